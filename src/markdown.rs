//! Markdown to HTML with pulldown-cmark: unique ASCII heading ids, fenced
//! code highlighted, `@/kind/slug.md#anchor` links rewritten through a
//! resolver the caller gives. Knows nothing of the site itself.

use crate::highlight;
use crate::slug::slugify;
use pulldown_cmark::{CodeBlockKind, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

/// An internal link found in the body, kept to check its anchor once every
/// page's headings are known.
#[derive(Debug, Clone)]
pub struct InternalLink {
    /// The part after `@/` and before `#`: `spas/laine.md`.
    pub target: String,
    pub anchor: Option<String>,
    /// Byte offset of the link in the body.
    pub offset: usize,
}

#[derive(Debug, Clone, Default)]
pub struct Rendered {
    pub html: String,
    /// Heading ids, in order.
    pub anchors: Vec<String>,
    pub links: Vec<InternalLink>,
    /// Plain text of the first paragraph, for descriptions.
    pub summary: String,
    /// Plain text of the whole body, for the search index.
    pub text: String,
}

/// A problem at a byte offset of the body.
#[derive(Debug, Clone)]
pub struct BodyError {
    pub offset: usize,
    pub message: String,
}

pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// Renders `body`. `resolve` turns an internal target (`spas/laine.md`)
/// into a URL path, or says why it cannot.
pub fn render(
    body: &str,
    resolve: &dyn Fn(&str) -> Result<String, String>,
) -> (Rendered, Vec<BodyError>) {
    let mut out = Rendered::default();
    let mut errors = Vec::new();
    let mut events: Vec<Event> = Vec::new();

    // A heading's events are held back until its text is known, to make its id.
    let mut heading: Held = None;
    let mut code: Option<(String, String)> = None;
    let mut paragraph_depth = 0usize;
    let mut in_first_paragraph = false;
    let mut summary_done = false;

    for (event, range) in Parser::new_ext(body, options()).into_offset_iter() {
        if let Some((lang, text)) = code.as_mut() {
            match event {
                Event::Text(t) => text.push_str(&t),
                Event::End(TagEnd::CodeBlock) => {
                    out.text.push_str(text);
                    out.text.push(' ');
                    events.push(Event::Html(highlight::highlight(text, lang).into()));
                    code = None;
                }
                _ => {}
            }
            continue;
        }
        let event = match event {
            Event::Start(Tag::CodeBlock(kind)) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(l) => l.to_string(),
                    CodeBlockKind::Indented => String::new(),
                };
                code = Some((lang, String::new()));
                continue;
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) if dest_url.starts_with("@/") => {
                let (target, anchor) = match dest_url[2..].split_once('#') {
                    Some((t, a)) => (t.to_string(), Some(a.to_string())),
                    None => (dest_url[2..].to_string(), None),
                };
                let url = match resolve(&target) {
                    Ok(url) => {
                        out.links.push(InternalLink {
                            target,
                            anchor: anchor.clone(),
                            offset: range.start,
                        });
                        match &anchor {
                            Some(a) => format!("{url}#{a}"),
                            None => url,
                        }
                    }
                    Err(message) => {
                        errors.push(BodyError {
                            offset: range.start,
                            message,
                        });
                        String::from("#")
                    }
                };
                Event::Start(Tag::Link {
                    link_type,
                    dest_url: url.into(),
                    title,
                    id,
                })
            }
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }) => {
                heading = Some((level, id, classes, attrs, Vec::new()));
                continue;
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((level, id, classes, attrs, inner)) = heading.take() {
                    let text: String = inner
                        .iter()
                        .filter_map(plain_text)
                        .map(|c| c.to_string())
                        .collect();
                    let base = match id {
                        // A custom id is kept when it is already a clean ASCII id.
                        Some(id)
                            if !id.is_empty()
                                && id
                                    .chars()
                                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') =>
                        {
                            id.to_string()
                        }
                        Some(id) if !slugify(&id).is_empty() => slugify(&id),
                        _ => {
                            let s = slugify(&text);
                            if s.is_empty() {
                                "section".to_string()
                            } else {
                                s
                            }
                        }
                    };
                    let mut unique = base.clone();
                    let mut n = 1;
                    while out.anchors.contains(&unique) {
                        unique = format!("{base}-{n}");
                        n += 1;
                    }
                    out.anchors.push(unique.clone());
                    out.text.push_str(&text);
                    out.text.push(' ');
                    events.push(Event::Start(Tag::Heading {
                        level,
                        id: Some(unique.into()),
                        classes,
                        attrs,
                    }));
                    events.extend(inner);
                    events.push(Event::End(TagEnd::Heading(level)));
                }
                continue;
            }
            // Wide tables scroll inside their own box, which keyboard users
            // can focus to scroll (WCAG 2.1.1).
            Event::Start(Tag::Table(_)) => {
                push(
                    &mut heading,
                    &mut events,
                    Event::Html("<div class=\"table-wrap\" tabindex=\"0\">".into()),
                );
                event
            }
            Event::End(TagEnd::Table) => {
                push(&mut heading, &mut events, event);
                Event::Html("</div>".into())
            }
            Event::Start(Tag::Paragraph) => {
                paragraph_depth += 1;
                if !summary_done && heading.is_none() {
                    in_first_paragraph = true;
                }
                event
            }
            Event::End(TagEnd::Paragraph) => {
                paragraph_depth = paragraph_depth.saturating_sub(1);
                if in_first_paragraph {
                    in_first_paragraph = false;
                    summary_done = true;
                }
                out.text.push(' ');
                event
            }
            other => other,
        };
        if let Some(t) = plain_text(&event) {
            if in_first_paragraph {
                out.summary.push_str(&t);
            }
            if heading.is_none() {
                out.text.push_str(&t);
            }
        }
        push(&mut heading, &mut events, event);
    }
    let _ = paragraph_depth;
    pulldown_cmark::html::push_html(&mut out.html, events.into_iter());
    out.summary = fold_whitespace(&out.summary);
    out.text = fold_whitespace(&out.text);
    (out, errors)
}

type Held<'a> = Option<(
    HeadingLevel,
    Option<CowStr<'a>>,
    Vec<CowStr<'a>>,
    Vec<(CowStr<'a>, Option<CowStr<'a>>)>,
    Vec<Event<'a>>,
)>;

/// Appends to the held-back heading if one is open, else to the output.
fn push<'a>(heading: &mut Held<'a>, events: &mut Vec<Event<'a>>, event: Event<'a>) {
    match heading.as_mut() {
        Some((_, _, _, _, inner)) => inner.push(event),
        None => events.push(event),
    }
}

fn plain_text<'a>(e: &Event<'a>) -> Option<CowStr<'a>> {
    match e {
        Event::Text(t) | Event::Code(t) => Some(t.clone()),
        Event::SoftBreak | Event::HardBreak => Some(" ".into()),
        _ => None,
    }
}

pub fn fold_whitespace(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for w in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

/// `text` cut at a word boundary to at most `max` characters, with `…`.
pub fn truncate_words(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut out = String::new();
    let mut len = 0;
    for word in text.split_whitespace() {
        let n = word.chars().count();
        if len + n + 1 > max {
            break;
        }
        if !out.is_empty() {
            out.push(' ');
            len += 1;
        }
        out.push_str(word);
        len += n;
    }
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn md(s: &str) -> Rendered {
        render(s, &|t| {
            if t == "spas/laine.md" {
                Ok("/en/spas/laine/".into())
            } else {
                Err(format!("no such item `{t}`"))
            }
        })
        .0
    }

    #[test]
    fn heading_ids_are_unique_ascii() {
        let r = md("# Pärnu\n\n## Pärnu\n\n## Goals {#goals}\n\n## Goals\n");
        assert_eq!(r.anchors, ["parnu", "parnu-1", "goals", "goals-1"]);
        assert!(r.html.contains("<h1 id=\"parnu\">Pärnu</h1>"), "{}", r.html);
    }

    #[test]
    fn gfm_extensions() {
        let r =
            md("| a | b |\n|---|---|\n| 1 | 2 |\n\n~~x~~\n\n- [x] done\n\nA[^1].\n\n[^1]: Note.\n");
        assert!(r.html.contains("<table>"));
        assert!(r.html.contains("<del>x</del>"));
        assert!(r.html.contains("type=\"checkbox\""));
        assert!(r.html.contains("footnote"));
    }

    #[test]
    fn internal_links_resolve_and_keep_anchor() {
        let r = md("See [Laine](@/spas/laine.md#treatments).");
        assert!(
            r.html.contains("href=\"/en/spas/laine/#treatments\""),
            "{}",
            r.html
        );
        assert_eq!(r.links[0].anchor.as_deref(), Some("treatments"));
        assert_eq!(r.links[0].offset, 4);
    }

    #[test]
    fn broken_internal_link_is_an_error_with_offset() {
        let (_, errors) = render("x\n\n[a](@/spas/none.md)", &|t| Err(format!("no `{t}`")));
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].offset, 3);
    }

    #[test]
    fn summary_is_first_paragraph() {
        let r = md("# T\n\nFirst *para*\ngraph.\n\nSecond.");
        assert_eq!(r.summary, "First para graph.");
        assert!(r.text.contains("Second."));
    }

    #[test]
    fn truncates_at_words() {
        assert_eq!(truncate_words("one two three", 9), "one two…");
        assert_eq!(truncate_words("short", 9), "short");
    }
}
