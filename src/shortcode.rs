//! Shortcodes in Markdown bodies, in Zola's syntax: `{{ name(arg=value) }}`
//! inline, and `{% name(arg=value) %}…{% end %}` around a Markdown body.
//! This module only finds and parses them; `markdown` puts a token where
//! each one was, and the renderer turns the tokens into HTML when a page
//! is made, because what a shortcode shows (a spa's phone number, a map of
//! places) can change without the body that calls it changing.
//!
//! Shortcodes inside code (fenced or indented blocks, `inline code`) are
//! text, so a page can show how to write one.

use pulldown_cmark::{Event, Parser, Tag, TagEnd};
use serde_json::Value;
use std::ops::Range;

/// One argument as written: `kind="warning"`.
#[derive(Debug, Clone, PartialEq)]
pub struct Arg {
    pub name: String,
    pub value: Value,
    /// Byte offset of the argument's name in the body.
    pub offset: usize,
}

/// One shortcode found in a body, before its body (if any) is rendered.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    pub name: String,
    pub args: Vec<Arg>,
    /// The whole call, `{{ … }}` or `{% … %}…{% end %}`, in the body.
    pub span: Range<usize>,
    /// The Markdown between `{% … %}` and `{% end %}`.
    pub inner: Option<Range<usize>>,
    /// The call stands alone on its lines, so it becomes a block of its
    /// own rather than part of a paragraph.
    pub block: bool,
}

/// A mistake in a shortcode, at a byte offset of the body.
#[derive(Debug, Clone, PartialEq)]
pub struct SyntaxError {
    pub offset: usize,
    pub message: String,
    pub hint: String,
}

/// The shortcodes of `body` that are outside code, outermost only (those
/// inside a `{% … %}` body are found when that body is rendered), in order.
pub fn find(body: &str) -> (Vec<Found>, Vec<SyntaxError>) {
    let code = code_ranges(body);
    let mut found = Vec::new();
    let mut errors = Vec::new();
    let mut at = 0;
    while let Some(i) = next_open(body, at, &code) {
        let inline = body[i..].starts_with("{{");
        let mut p = Cursor { s: body, at: i + 2 };
        p.spaces();
        let Some(name) = p.ident() else {
            // `{{` or `{%` not followed by a name and `(`: plain text.
            at = i + 2;
            continue;
        };
        p.spaces();
        if !p.eat("(") {
            if !inline && name == "end" {
                errors.push(SyntaxError {
                    offset: i,
                    message: "`{% end %}` without a shortcode to close".into(),
                    hint: "remove it, or open a body shortcode before it: `{% note() %}`".into(),
                });
                at = i + 2;
                continue;
            }
            at = i + 2;
            continue;
        }
        let call = match parse_call(&mut p, name.clone(), inline) {
            Ok(c) => c,
            Err(e) => {
                errors.push(e);
                // Skip to the end of the line: one mistake, one error.
                at = body[i..].find('\n').map_or(body.len(), |n| i + n + 1);
                continue;
            }
        };
        let (span, inner) = if inline {
            (i..p.at, None)
        } else {
            match find_end(body, p.at, &code) {
                Some((inner_end, end)) => (i..end, Some(p.at..inner_end)),
                None => {
                    errors.push(SyntaxError {
                        offset: i,
                        message: format!("`{{% {name}(…) %}}` is never closed"),
                        hint: format!(
                            "write `{{% end %}}` on a line of its own after its body, or use the inline form `{{{{ {name}(…) }}}}`"
                        ),
                    });
                    at = p.at;
                    continue;
                }
            }
        };
        at = span.end;
        found.push(Found {
            block: stands_alone(body, &span),
            name: call.0,
            args: call.1,
            span,
            inner,
        });
    }
    (found, errors)
}

/// The name and arguments after `name(`, through the closing `}}`/`%}`.
fn parse_call(
    p: &mut Cursor,
    name: String,
    inline: bool,
) -> Result<(String, Vec<Arg>), SyntaxError> {
    let close = if inline { "}}" } else { "%}" };
    let mut args: Vec<Arg> = Vec::new();
    loop {
        p.spaces();
        if p.eat(")") {
            break;
        }
        let offset = p.at;
        let Some(arg) = p.ident() else {
            return Err(p.error(
                format!("cannot read the arguments of shortcode `{name}` here"),
                format!("every argument has a name: `{name}(name=value, other=value)`"),
            ));
        };
        p.spaces();
        if !p.eat("=") {
            return Err(SyntaxError {
                offset,
                message: format!("argument `{arg}` of shortcode `{name}` has no value"),
                hint: format!("write `{arg}=\"…\"`: every argument is named"),
            });
        }
        p.spaces();
        let value = p.value()?;
        if args.iter().any(|a| a.name == arg) {
            return Err(SyntaxError {
                offset,
                message: format!("argument `{arg}` of shortcode `{name}` is given twice"),
                hint: "keep one of them".into(),
            });
        }
        args.push(Arg {
            name: arg,
            value,
            offset,
        });
        p.spaces();
        if p.eat(")") {
            break;
        }
        if !p.eat(",") {
            return Err(p.error(
                format!("expected `,` or `)` in the arguments of shortcode `{name}`"),
                "separate arguments with commas and close them with `)`".into(),
            ));
        }
    }
    p.spaces();
    if !p.eat(close) {
        return Err(p.error(
            format!("shortcode `{name}` is not closed with `{close}`"),
            format!("end the call with `{close}`, right after its `)`"),
        ));
    }
    Ok((name, args))
}

/// The first `{{`/`{%` at or after `from` that is not inside code.
fn next_open(body: &str, from: usize, code: &[Range<usize>]) -> Option<usize> {
    let mut at = from;
    while let Some(i) = body.get(at..)?.find('{').map(|i| at + i) {
        let rest = &body[i..];
        if (rest.starts_with("{{") || rest.starts_with("{%")) && !inside(code, i) {
            return Some(i);
        }
        at = i + 1;
    }
    None
}

/// The `{% end %}` that closes a body opened before `from`, counting the
/// body shortcodes opened inside it: (start of `{% end %}`, its end).
fn find_end(body: &str, from: usize, code: &[Range<usize>]) -> Option<(usize, usize)> {
    let mut depth = 0usize;
    let mut at = from;
    while let Some(i) = next_open(body, at, code) {
        if body[i..].starts_with("{{") {
            at = i + 2;
            continue;
        }
        let mut p = Cursor { s: body, at: i + 2 };
        p.spaces();
        match p.ident().as_deref() {
            Some("end") => {
                p.spaces();
                if p.eat("%}") {
                    if depth == 0 {
                        return Some((i, p.at));
                    }
                    depth -= 1;
                }
            }
            Some(_) => {
                p.spaces();
                if p.eat("(") {
                    depth += 1;
                }
            }
            None => {}
        }
        at = p.at.max(i + 2);
    }
    None
}

/// Whether `span` has only blank space before it and after it on its
/// first and last lines.
fn stands_alone(body: &str, span: &Range<usize>) -> bool {
    let line_start = body[..span.start].rfind('\n').map_or(0, |n| n + 1);
    let line_end = body[span.end..]
        .find('\n')
        .map_or(body.len(), |n| span.end + n);
    body[line_start..span.start].trim().is_empty() && body[span.end..line_end].trim().is_empty()
}

fn inside(ranges: &[Range<usize>], at: usize) -> bool {
    ranges.iter().any(|r| r.contains(&at))
}

/// Where `body` has code: code blocks and inline code spans.
fn code_ranges(body: &str) -> Vec<Range<usize>> {
    // Cheap exit for the usual body, which has no shortcode at all.
    if !body.contains("{{") && !body.contains("{%") {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut block_start = None;
    for (event, range) in Parser::new_ext(body, crate::markdown::options()).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(_)) => block_start = Some(range.start),
            Event::End(TagEnd::CodeBlock) => {
                if let Some(s) = block_start.take() {
                    out.push(s..range.end);
                }
            }
            Event::Code(_) => out.push(range),
            _ => {}
        }
    }
    out
}

/// A reader over the body text.
struct Cursor<'s> {
    s: &'s str,
    at: usize,
}

impl Cursor<'_> {
    fn rest(&self) -> &str {
        &self.s[self.at..]
    }

    fn spaces(&mut self) {
        let n = self.rest().len() - self.rest().trim_start().len();
        self.at += n;
    }

    fn eat(&mut self, t: &str) -> bool {
        if self.rest().starts_with(t) {
            self.at += t.len();
            true
        } else {
            false
        }
    }

    fn ident(&mut self) -> Option<String> {
        let rest = self.rest();
        let n = rest
            .char_indices()
            .find(|&(i, c)| {
                !(c.is_ascii_alphanumeric() || c == '_') || (i == 0 && c.is_ascii_digit())
            })
            .map_or(rest.len(), |(i, _)| i);
        if n == 0 {
            return None;
        }
        let id = rest[..n].to_string();
        self.at += n;
        Some(id)
    }

    fn error(&self, message: String, hint: String) -> SyntaxError {
        SyntaxError {
            offset: self.at,
            message,
            hint,
        }
    }

    /// A value: a string in `"…"` or `'…'`, a number, `true`/`false`, or a
    /// list of values in `[…]`.
    fn value(&mut self) -> Result<Value, SyntaxError> {
        let c = self.rest().chars().next();
        match c {
            Some(q @ ('"' | '\'')) => self.string(q).map(Value::String),
            Some('[') => {
                self.at += 1;
                let mut items = Vec::new();
                loop {
                    self.spaces();
                    if self.eat("]") {
                        return Ok(Value::Array(items));
                    }
                    items.push(self.value()?);
                    self.spaces();
                    if self.eat("]") {
                        return Ok(Value::Array(items));
                    }
                    if !self.eat(",") {
                        return Err(self.error(
                            "expected `,` or `]` in a list".into(),
                            "write a list as `[\"a\", \"b\"]`".into(),
                        ));
                    }
                }
            }
            _ => {
                if self.eat("true") {
                    return Ok(Value::Bool(true));
                }
                if self.eat("false") {
                    return Ok(Value::Bool(false));
                }
                self.number()
            }
        }
    }

    fn string(&mut self, quote: char) -> Result<String, SyntaxError> {
        let start = self.at;
        self.at += 1;
        let mut out = String::new();
        let mut chars = self.s[self.at..].char_indices();
        while let Some((i, c)) = chars.next() {
            match c {
                '\\' => match chars.next() {
                    Some((_, 'n')) => out.push('\n'),
                    Some((_, e)) => out.push(e),
                    None => break,
                },
                c if c == quote => {
                    self.at += i + 1;
                    return Ok(out);
                }
                '\n' => break,
                c => out.push(c),
            }
        }
        self.at = start;
        Err(self.error(
            "this string is never closed".into(),
            format!("end it with {quote} on the same line"),
        ))
    }

    fn number(&mut self) -> Result<Value, SyntaxError> {
        let rest = self.rest();
        let n = rest
            .char_indices()
            .find(|&(i, c)| !(c.is_ascii_digit() || c == '.' || (i == 0 && c == '-')))
            .map_or(rest.len(), |(i, _)| i);
        let text = &rest[..n];
        let value = if text.contains('.') {
            text.parse::<f64>()
                .ok()
                .and_then(serde_json::Number::from_f64)
                .map(Value::Number)
        } else {
            text.parse::<i64>().ok().map(Value::from)
        };
        match value {
            Some(v) => {
                self.at += n;
                Ok(v)
            }
            None => Err(self.error(
                "expected a value: a string in quotes, a number, true, false or a list".into(),
                "put text in quotes: `title=\"Pärnu\"`".into(),
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(body: &str) -> Found {
        let (f, e) = find(body);
        assert!(e.is_empty(), "{e:?}");
        assert_eq!(f.len(), 1, "{f:?}");
        f.into_iter().next().unwrap()
    }

    #[test]
    fn inline_call_with_every_kind_of_value() {
        let f = one(r#"See {{ map(locations=["parnu", 'riga'], zoom=2, big=true, x=-1.5) }} now"#);
        assert_eq!(f.name, "map");
        assert!(!f.block);
        assert_eq!(f.args[0].value, serde_json::json!(["parnu", "riga"]));
        assert_eq!(f.args[1].value, serde_json::json!(2));
        assert_eq!(f.args[2].value, serde_json::json!(true));
        assert_eq!(f.args[3].value, serde_json::json!(-1.5));
        assert_eq!(f.args[0].offset, 11);
    }

    #[test]
    fn body_call_with_nested_body_call() {
        let body = "{% note(kind=\"info\") %}\nA {% note() %}b{% end %} c\n{% end %}\n\nAfter";
        let f = one(body);
        assert!(f.block);
        let inner = f.inner.unwrap();
        assert_eq!(&body[inner], "\nA {% note() %}b{% end %} c\n");
        assert_eq!(&body[f.span.end..], "\n\nAfter");
    }

    #[test]
    fn code_is_left_alone() {
        let body = "`{{ map() }}`\n\n```\n{% note() %}\n```\n\n    {{ x() }}\n";
        let (f, e) = find(body);
        assert!(f.is_empty() && e.is_empty(), "{f:?} {e:?}");
    }

    #[test]
    fn plain_braces_are_text() {
        let (f, e) = find("a {{ b }} and {% c %} and {{ 1 }}");
        assert!(f.is_empty() && e.is_empty(), "{f:?} {e:?}");
    }

    #[test]
    fn mistakes_are_reported_where_they_are() {
        let body = "x\n{% note() %}\nno end";
        let (_, e) = find(body);
        assert_eq!(e[0].offset, 2);
        assert!(e[0].message.contains("never closed"), "{e:?}");
        let (_, e) = find("{{ map(\"parnu\") }}");
        assert_eq!(e[0].offset, 7);
        let (_, e) = find("{{ map(a=1, a=2) }}");
        assert!(e[0].message.contains("twice"));
        let (_, e) = find("{{ map(a=\"x) }}");
        assert!(e[0].message.contains("never closed"));
        let (_, e) = find("{{ map(a=1 }}");
        assert!(e[0].message.contains("`,` or `)`"), "{e:?}");
        let (_, e) = find("text\n{% end %}");
        assert_eq!(e[0].offset, 5);
    }
}
