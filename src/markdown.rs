//! Markdown to HTML with pulldown-cmark: unique heading ids, fenced
//! code highlighted, `@/kind/slug.md#anchor` links rewritten through a
//! resolver the caller gives, links with unsafe schemes and (unless the site
//! allows it) raw HTML left out. Knows nothing of the site itself.

use crate::highlight;
use crate::url;
use pulldown_cmark::{CodeBlockKind, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use std::collections::{HashMap, HashSet};
use std::ops::Range;

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
    /// The shortcodes of the body, in order; `html` holds a token for each
    /// (see [`Call::token`]) that the renderer replaces.
    pub calls: Vec<Call>,
}

/// A shortcode of a body, its Markdown body rendered and its photos
/// processed; what it shows is made when the page is.
#[derive(Debug, Clone, PartialEq)]
pub struct Call {
    pub name: String,
    pub args: Vec<crate::shortcode::Arg>,
    /// Byte offset of the call in the body.
    pub offset: usize,
    /// Written with a body, `{% … %}…{% end %}`.
    pub has_body: bool,
    /// The rendered Markdown between `{% … %}` and `{% end %}` (a
    /// gallery's body is its `photos` instead).
    pub body: Option<CallBody>,
    /// Photos the call names: a gallery's images, a video's still.
    pub photos: Vec<CallPhoto>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CallBody {
    pub html: String,
    /// Its plain text, for the search index.
    pub text: String,
    /// Shortcodes inside the body; `html` holds their tokens.
    pub calls: Vec<Call>,
}

/// A photo of a shortcode: its `<picture>` and what the body says of it.
#[derive(Debug, Clone, PartialEq)]
pub struct CallPhoto {
    pub html: String,
    pub alt: String,
    pub caption: Option<String>,
}

/// The two ends of a call's token. Private-use characters: Markdown
/// leaves them as they are, and no editor types them.
pub const TOKEN_OPEN: char = '\u{E000}';
pub const TOKEN_CLOSE: char = '\u{E001}';

impl Call {
    /// What stands for call number `n` of a body in its HTML.
    pub fn token(n: usize) -> String {
        format!("{TOKEN_OPEN}{n}{TOKEN_CLOSE}")
    }
}

/// A problem at a byte offset of the body: an error (a broken internal
/// link) or a warning (something left out of the page).
#[derive(Debug, Clone)]
pub struct Problem {
    pub offset: usize,
    pub message: String,
    pub hint: Option<String>,
    pub is_error: bool,
}

/// What the site lets a body do.
#[derive(Debug, Clone, Copy, Default)]
pub struct Settings {
    /// Raw HTML in Markdown goes into the page as written. Off by default:
    /// bodies come from many hands (editors, translators, a web editor), and
    /// raw HTML is the one way a body could run a script on the site.
    pub raw_html: bool,
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
    settings: Settings,
) -> (Rendered, Vec<Problem>) {
    render_with_images(body, resolve, &|_, _| Ok(None), settings)
}

/// Turns an image's destination and alt text into the HTML that replaces
/// it (`Some`), keeps the image as written (`None`), or says why it
/// cannot be shown. The caller does the file work; this module does none.
pub type ImageResolver<'r> = dyn Fn(&str, &str) -> Result<Option<String>, String> + 'r;

/// `render`, with images (`![alt](hall.jpg)`) given to `image`.
pub fn render_with_images(
    body: &str,
    resolve: &dyn Fn(&str) -> Result<String, String>,
    image: &ImageResolver,
    settings: Settings,
) -> (Rendered, Vec<Problem>) {
    let (found, errors) = crate::shortcode::find(body);
    let mut problems: Vec<Problem> = errors
        .into_iter()
        .map(|e| Problem {
            offset: e.offset,
            message: e.message,
            hint: Some(e.hint),
            is_error: true,
        })
        .collect();
    if found.is_empty() {
        let (r, p) = render_markdown(body, resolve, image, settings);
        problems.extend(p);
        return (r, problems);
    }
    // Each call becomes a token; `moved` maps offsets in the text with
    // tokens back to the body: (offset there, offset in the body).
    let mut text = String::with_capacity(body.len());
    let mut moved: Vec<(usize, usize)> = vec![(0, 0)];
    let mut calls = Vec::new();
    let mut from = 0;
    for (n, f) in found.into_iter().enumerate() {
        text.push_str(&body[from..f.span.start]);
        let token = Call::token(n);
        if f.block {
            text.push_str("\n\n");
            text.push_str(&token);
            text.push_str("\n\n");
        } else {
            text.push_str(&token);
        }
        moved.push((text.len(), f.span.end));
        from = f.span.end;
        calls.push(call_of(body, f, resolve, image, settings, &mut problems));
    }
    text.push_str(&body[from..]);
    let back = |offset: usize| {
        let &(there, here) = moved
            .iter()
            .rev()
            .find(|(there, _)| *there <= offset)
            .unwrap_or(&(0, 0));
        here + (offset - there)
    };
    let (mut r, p) = render_markdown(&text, resolve, image, settings);
    problems.extend(p.into_iter().map(|p| Problem {
        offset: back(p.offset),
        ..p
    }));
    for l in &mut r.links {
        l.offset = back(l.offset);
    }
    // What a call's body says is part of the page's text; the tokens are not.
    for (n, c) in calls.iter().enumerate() {
        let words = c.body.as_ref().map_or("", |b| b.text.as_str());
        r.text = r.text.replace(&Call::token(n), &format!(" {words} "));
        r.summary = r.summary.replace(&Call::token(n), "");
    }
    r.text = fold_whitespace(&r.text);
    r.summary = fold_whitespace(&r.summary);
    r.calls = calls;
    (r, problems)
}

/// One found shortcode with its body rendered (offsets moved to the
/// outer body) and its photos processed.
fn call_of(
    body: &str,
    f: crate::shortcode::Found,
    resolve: &dyn Fn(&str) -> Result<String, String>,
    image: &ImageResolver,
    settings: Settings,
    problems: &mut Vec<Problem>,
) -> Call {
    let mut call = Call {
        name: f.name,
        args: f.args,
        offset: f.span.start,
        has_body: f.inner.is_some(),
        body: None,
        photos: Vec::new(),
    };
    if let Some(inner) = f.inner {
        if call.name == "gallery" {
            call.photos = gallery_photos(&body[inner.clone()], inner.start, image, problems);
        } else {
            let (r, p) = render_with_images(&body[inner.clone()], resolve, image, settings);
            problems.extend(p.into_iter().map(|p| Problem {
                offset: p.offset + inner.start,
                ..p
            }));
            call.body = Some(CallBody {
                html: r.html,
                text: r.text,
                calls: r
                    .calls
                    .into_iter()
                    .map(|c| shifted(c, inner.start))
                    .collect(),
            });
        }
    }
    if let Some(still) = call.args.iter().find(|a| a.name == "still") {
        let alt = call
            .args
            .iter()
            .find(|a| a.name == "title")
            .and_then(|a| a.value.as_str())
            .unwrap_or("");
        if let Some(src) = still.value.as_str() {
            match image(src, alt) {
                Ok(Some(html)) => call.photos.push(CallPhoto {
                    html,
                    alt: alt.to_string(),
                    caption: None,
                }),
                Ok(None) => problems.push(Problem {
                    offset: still.offset,
                    message: format!("the still `{src}` must be a photo file of the site"),
                    hint: Some("put the photo beside the content file and name it: `still=\"hall.jpg\"` (an outside image would be a request to another site)".into()),
                    is_error: true,
                }),
                Err(message) => problems.push(Problem {
                    offset: still.offset,
                    message,
                    hint: None,
                    is_error: true,
                }),
            }
        }
    }
    call
}

/// `call` with its offsets moved by `by` bytes.
fn shifted(mut call: Call, by: usize) -> Call {
    call.offset += by;
    for a in &mut call.args {
        a.offset += by;
    }
    if let Some(b) = call.body.take() {
        call.body = Some(CallBody {
            calls: b.calls.into_iter().map(|c| shifted(c, by)).collect(),
            ..b
        });
    }
    call
}

/// The images of a gallery's body, one `![alt](file "caption")` a line;
/// anything else there is an error.
fn gallery_photos(
    text: &str,
    base: usize,
    image: &ImageResolver,
    problems: &mut Vec<Problem>,
) -> Vec<CallPhoto> {
    let mut out = Vec::new();
    let mut open: Option<(String, Option<String>, String, usize)> = None;
    for (event, range) in Parser::new_ext(text, options()).into_offset_iter() {
        match (&mut open, event) {
            (
                None,
                Event::Start(Tag::Image {
                    dest_url, title, ..
                }),
            ) => {
                let caption = (!title.is_empty()).then(|| title.to_string());
                open = Some((dest_url.to_string(), caption, String::new(), range.start));
            }
            (Some((dest, caption, alt, at)), Event::End(TagEnd::Image)) => {
                let offset = base + *at;
                match image(dest, alt) {
                    Ok(Some(html)) => out.push(CallPhoto {
                        html,
                        alt: alt.trim().to_string(),
                        caption: caption.take(),
                    }),
                    Ok(None) => problems.push(Problem {
                        offset,
                        message: format!("gallery photo `{dest}` must be a photo file of the site"),
                        hint: Some(
                            "put the photo beside the content file: `![what it shows](pool.jpg)`"
                                .into(),
                        ),
                        is_error: true,
                    }),
                    Err(message) => problems.push(Problem {
                        offset,
                        message,
                        hint: None,
                        is_error: true,
                    }),
                }
                open = None;
            }
            (Some((_, _, alt, _)), e) => {
                if let Some(t) = plain_text(&e) {
                    alt.push_str(&t);
                }
            }
            (None, Event::Text(t)) if !t.trim().is_empty() => problems.push(Problem {
                offset: base + range.start,
                message: "a gallery holds only images".into(),
                hint: Some(
                    "write one image a line: `![what it shows](pool.jpg \"a caption\")`".into(),
                ),
                is_error: true,
            }),
            _ => {}
        }
    }
    out
}

/// Markdown to HTML, shortcodes already replaced by tokens.
fn render_markdown(
    body: &str,
    resolve: &dyn Fn(&str) -> Result<String, String>,
    image: &ImageResolver,
    settings: Settings,
) -> (Rendered, Vec<Problem>) {
    let mut w = Writer {
        resolve,
        image,
        image_open: None,
        settings,
        out: Rendered::default(),
        problems: Vec::new(),
        events: Vec::new(),
        heading: None,
        code: None,
        ids: HeadingIds::default(),
        in_first_paragraph: false,
        summary_done: false,
        dropping_link: false,
        raw_html_at: Vec::new(),
    };
    for (event, range) in Parser::new_ext(body, options()).into_offset_iter() {
        w.event(event, range);
    }
    w.finish()
}

/// A heading whose events are held back until its text is known, to make
/// its id.
struct Heading<'a> {
    level: HeadingLevel,
    id: Option<CowStr<'a>>,
    classes: Vec<CowStr<'a>>,
    attrs: Vec<(CowStr<'a>, Option<CowStr<'a>>)>,
    inner: Vec<Event<'a>>,
}

/// The state of one body's rendering: the events to write, and what is
/// being gathered beside them.
struct Writer<'a, 'r> {
    resolve: &'r dyn Fn(&str) -> Result<String, String>,
    image: &'r ImageResolver<'r>,
    /// An image being read: its events (to write back if it is kept),
    /// destination, alt text so far and offset.
    image_open: Option<OpenImage<'a>>,
    settings: Settings,
    out: Rendered,
    problems: Vec<Problem>,
    events: Vec<Event<'a>>,
    heading: Option<Heading<'a>>,
    /// A fenced or indented code block being read: its language and text.
    code: Option<(String, String)>,
    ids: HeadingIds,
    in_first_paragraph: bool,
    summary_done: bool,
    /// The link being read was left out: its end goes too.
    dropping_link: bool,
    /// Where raw HTML was left out, reported once per body.
    raw_html_at: Vec<usize>,
}

/// An image whose alt text is being read.
struct OpenImage<'a> {
    events: Vec<Event<'a>>,
    dest: String,
    alt: String,
    offset: usize,
    depth: usize,
}

impl<'a> Writer<'a, '_> {
    fn event(&mut self, event: Event<'a>, range: Range<usize>) {
        if self.code.is_some() {
            return self.code_event(event);
        }
        if self.image_open.is_some() {
            return self.image_event(event);
        }
        let event = match event {
            Event::Start(Tag::CodeBlock(kind)) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(l) => l.to_string(),
                    CodeBlockKind::Indented => String::new(),
                };
                self.code = Some((lang, String::new()));
                return;
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => match self.link_target(dest_url, range.start) {
                Some(dest_url) => Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                }),
                None => {
                    self.dropping_link = true;
                    return;
                }
            },
            Event::End(TagEnd::Link) if self.dropping_link => {
                self.dropping_link = false;
                return;
            }
            Event::Start(Tag::Image { dest_url, .. })
                if self.refuse_url(&dest_url, range.start) =>
            {
                // The image goes; its alt text stays as text.
                return;
            }
            Event::Start(Tag::Image { ref dest_url, .. }) => {
                self.image_open = Some(OpenImage {
                    dest: dest_url.to_string(),
                    events: vec![event],
                    alt: String::new(),
                    offset: range.start,
                    depth: 0,
                });
                return;
            }
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }) => {
                self.heading = Some(Heading {
                    level,
                    id,
                    classes,
                    attrs,
                    inner: Vec::new(),
                });
                return;
            }
            Event::End(TagEnd::Heading(_)) => return self.end_heading(),
            Event::Html(_) | Event::InlineHtml(_) if !self.settings.raw_html => {
                return self.leave_out_html(&event, range.start);
            }
            other => self.block(other),
        };
        if let Some(t) = plain_text(&event) {
            if self.in_first_paragraph {
                self.out.summary.push_str(&t);
            }
            if self.heading.is_none() {
                self.out.text.push_str(&t);
            }
        }
        self.push(event);
    }

    /// Raw HTML, which the site does not allow: left out, and noted for
    /// the warning unless it is only a comment.
    fn leave_out_html(&mut self, event: &Event<'a>, offset: usize) {
        if let Event::Html(html) | Event::InlineHtml(html) = event
            && !html.trim_start().starts_with("<!--")
        {
            self.raw_html_at.push(offset);
        }
    }

    /// Tables and paragraphs: what the summary, the plain text and the
    /// table wrapper need to know of them. Returns the event to write.
    fn block(&mut self, event: Event<'a>) -> Event<'a> {
        match event {
            // Wide tables scroll inside their own box, which keyboard users
            // can focus to scroll (WCAG 2.1.1).
            Event::Start(Tag::Table(_)) => {
                self.push(Event::Html(
                    "<div class=\"table-wrap\" tabindex=\"0\">".into(),
                ));
                event
            }
            Event::End(TagEnd::Table) => {
                self.push(event);
                Event::Html("</div>".into())
            }
            Event::Start(Tag::Paragraph) => {
                if !self.summary_done && self.heading.is_none() {
                    self.in_first_paragraph = true;
                }
                event
            }
            Event::End(TagEnd::Paragraph) => {
                if self.in_first_paragraph {
                    self.in_first_paragraph = false;
                    self.summary_done = true;
                }
                self.out.text.push(' ');
                event
            }
            other => other,
        }
    }

    /// Inside an image: gathers its alt text; at its end, asks the resolver
    /// what it becomes.
    fn image_event(&mut self, event: Event<'a>) {
        let Some(img) = self.image_open.as_mut() else {
            return;
        };
        match &event {
            Event::Start(Tag::Image { .. }) => img.depth += 1,
            Event::End(TagEnd::Image) if img.depth > 0 => img.depth -= 1,
            Event::End(TagEnd::Image) => {
                img.events.push(event);
                let Some(img) = self.image_open.take() else {
                    return;
                };
                self.out.text.push_str(&img.alt);
                if self.in_first_paragraph {
                    self.out.summary.push_str(&img.alt);
                }
                match (self.image)(&img.dest, &img.alt) {
                    Ok(Some(html)) => self.push(Event::InlineHtml(html.into())),
                    Ok(None) => {
                        for e in img.events {
                            self.push(e);
                        }
                    }
                    Err(message) => self.problems.push(Problem {
                        offset: img.offset,
                        message,
                        hint: None,
                        is_error: true,
                    }),
                }
                return;
            }
            _ => {}
        }
        if let Some(t) = plain_text(&event) {
            img.alt.push_str(&t);
        }
        img.events.push(event);
    }

    /// Inside a code block: gathers its text, and highlights it at its end.
    fn code_event(&mut self, event: Event<'a>) {
        let Some((lang, text)) = self.code.as_mut() else {
            return;
        };
        match event {
            Event::Text(t) => text.push_str(&t),
            Event::End(TagEnd::CodeBlock) => {
                self.out.text.push_str(text);
                self.out.text.push(' ');
                let html = highlight::highlight(text, lang);
                self.code = None;
                self.events.push(Event::Html(html.into()));
            }
            _ => {}
        }
    }

    /// Where a link goes: an internal `@/…` target resolved, an outside URL
    /// as written, or `None` when the link is left out (unsafe scheme).
    fn link_target(&mut self, dest: CowStr<'a>, offset: usize) -> Option<CowStr<'a>> {
        let Some(internal) = dest.strip_prefix("@/") else {
            return (!self.refuse_url(&dest, offset)).then_some(dest);
        };
        let (target, anchor) = match internal.split_once('#') {
            Some((t, a)) => (t.to_string(), Some(a.to_string())),
            None => (internal.to_string(), None),
        };
        let url = match (self.resolve)(&target) {
            Ok(url) => url,
            Err(message) => {
                self.problems.push(Problem {
                    offset,
                    message,
                    hint: None,
                    is_error: true,
                });
                return Some("#".into());
            }
        };
        let url = match &anchor {
            Some(a) => format!("{url}#{a}"),
            None => url,
        };
        self.out.links.push(InternalLink {
            target,
            anchor,
            offset,
        });
        Some(url.into())
    }

    /// True, with a warning, when `dest` has a scheme a page must not link
    /// to (`javascript:`, `data:`…).
    fn refuse_url(&mut self, dest: &str, offset: usize) -> bool {
        let Some(scheme) = url::unsafe_scheme(dest) else {
            return false;
        };
        self.problems.push(Problem {
            offset,
            message: format!("link to a `{scheme}:` URL left out of the page"),
            hint: Some(url::SAFE_SCHEMES_HINT.to_string()),
            is_error: false,
        });
        true
    }

    fn end_heading(&mut self) {
        let Some(h) = self.heading.take() else { return };
        let text: String = h
            .inner
            .iter()
            .filter_map(plain_text)
            .map(|c| c.to_string())
            .collect();
        let id = self.ids.unique(heading_base(h.id.as_deref(), &text));
        self.out.anchors.push(id.clone());
        self.out.text.push_str(&text);
        self.out.text.push(' ');
        self.events.push(Event::Start(Tag::Heading {
            level: h.level,
            id: Some(id.into()),
            classes: h.classes,
            attrs: h.attrs,
        }));
        self.events.extend(h.inner);
        self.events.push(Event::End(TagEnd::Heading(h.level)));
    }

    /// Appends to the held-back heading if one is open, else to the output.
    fn push(&mut self, event: Event<'a>) {
        match self.heading.as_mut() {
            Some(h) => h.inner.push(event),
            None => self.events.push(event),
        }
    }

    fn finish(mut self) -> (Rendered, Vec<Problem>) {
        if let Some(&offset) = self.raw_html_at.first() {
            let more = match self.raw_html_at.len() - 1 {
                0 => String::new(),
                n => format!(
                    " (and {n} more place{} in this file)",
                    if n == 1 { "" } else { "s" }
                ),
            };
            self.problems.push(Problem {
                offset,
                message: format!("raw HTML left out of the page{more}"),
                hint: Some(
                    "write it in Markdown, or allow raw HTML with `[markdown] raw_html = true` in site.toml"
                        .into(),
                ),
                is_error: false,
            });
        }
        pulldown_cmark::html::push_html(&mut self.out.html, self.events.into_iter());
        self.out.summary = fold_whitespace(&self.out.summary);
        self.out.text = fold_whitespace(&self.out.text);
        (self.out, self.problems)
    }
}

/// The id a heading asks for before de-duplication: its custom `{#id}` when
/// that is a clean ASCII id, else a slug of it, else the heading's text
/// made an id (`slug::heading_id`: in its own script if not Latin).
fn heading_base(custom: Option<&str>, text: &str) -> String {
    match custom {
        Some(id)
            if !id.is_empty()
                && id
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') =>
        {
            id.to_string()
        }
        Some(id) if !crate::slug::heading_id(id).is_empty() => crate::slug::heading_id(id),
        _ => {
            let s = crate::slug::heading_id(text);
            if s.is_empty() {
                "section".to_string()
            } else {
                s
            }
        }
    }
}

/// The heading ids of one body, made unique by `-1`, `-2`… suffixes.
///
/// Each base remembers the next suffix to try, so a body of thousands of
/// identical headings costs one look-up each rather than a scan of every id
/// so far per suffix tried. The ids are those a plain scan would give: a
/// suffix is skipped only when it is taken, and taken ids stay taken.
#[derive(Default)]
struct HeadingIds {
    used: HashSet<String>,
    next: HashMap<String, usize>,
}

impl HeadingIds {
    fn unique(&mut self, base: String) -> String {
        if self.used.insert(base.clone()) {
            return base;
        }
        let n = self.next.entry(base.clone()).or_insert(1);
        loop {
            let candidate = format!("{base}-{n}");
            *n += 1;
            if self.used.insert(candidate.clone()) {
                return candidate;
            }
        }
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

    fn with(s: &str, settings: Settings) -> (Rendered, Vec<Problem>) {
        let resolve = |t: &str| {
            if t == "spas/laine.md" {
                Ok("/en/spas/laine/".into())
            } else {
                Err(format!("no such item `{t}`"))
            }
        };
        render(s, &resolve, settings)
    }

    fn md(s: &str) -> Rendered {
        with(s, Settings::default()).0
    }

    #[test]
    fn heading_ids_are_unique_ascii() {
        let r = md("# Pärnu\n\n## Pärnu\n\n## Goals {#goals}\n\n## Goals\n");
        assert_eq!(r.anchors, ["parnu", "parnu-1", "goals", "goals-1"]);
        assert!(r.html.contains("<h1 id=\"parnu\">Pärnu</h1>"), "{}", r.html);
    }

    #[test]
    fn a_suffix_taken_by_another_heading_is_skipped() {
        let r = md("# A\n\n# A-1\n\n# A\n\n# A\n");
        assert_eq!(r.anchors, ["a", "a-1", "a-2", "a-3"]);
    }

    #[test]
    fn thousands_of_identical_headings_get_distinct_ids() {
        let body = "## Hours\n\n".repeat(20_000);
        let r = md(&body);
        assert_eq!(r.anchors.len(), 20_000);
        assert_eq!(r.anchors[19_999], "hours-19999");
        let distinct: HashSet<&String> = r.anchors.iter().collect();
        assert_eq!(distinct.len(), 20_000);
    }

    #[test]
    fn links_with_unsafe_schemes_are_left_out_with_a_warning() {
        let (r, problems) = with(
            "[a](javascript:alert(1)) [b](<java\tScRiPt:x>) ![c](data:text/html,x) [d](https://x.ee/) [e](mailto:a@b.ee)",
            Settings::default(),
        );
        assert!(!r.html.to_lowercase().contains("script:"), "{}", r.html);
        assert!(!r.html.contains("data:"), "{}", r.html);
        assert!(
            r.html.contains("<a href=\"https://x.ee/\">d</a>"),
            "{}",
            r.html
        );
        assert!(r.html.contains("mailto:a@b.ee"), "{}", r.html);
        assert!(
            r.html.contains(">a") || r.html.contains("a "),
            "text kept: {}",
            r.html
        );
        let offsets: Vec<usize> = problems.iter().map(|p| p.offset).collect();
        assert_eq!(offsets, [0, 25, 46]);
        assert!(problems.iter().all(|p| !p.is_error));
    }

    #[test]
    fn raw_html_is_left_out_unless_the_site_allows_it() {
        let body =
            "Hi <b onclick=\"x()\">there</b>.\n\n<script>alert(1)</script>\n\n<!-- note -->\n";
        let (r, problems) = with(body, Settings::default());
        assert!(!r.html.contains("<script"), "{}", r.html);
        assert!(!r.html.contains("onclick"), "{}", r.html);
        assert!(!r.html.contains("note"), "{}", r.html);
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].offset, 3);
        assert!(
            problems[0].message.contains("2 more places"),
            "{}",
            problems[0].message
        );
        let (r, problems) = with(body, Settings { raw_html: true });
        assert!(r.html.contains("<script>alert(1)</script>"), "{}", r.html);
        assert!(problems.is_empty());
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
        let (_, errors) = render(
            "x\n\n[a](@/spas/none.md)",
            &|t| Err(format!("no `{t}`")),
            Settings::default(),
        );
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
