//! Control characters, which no page may carry. XML 1.0 forbids every C0
//! control but tab, line feed and carriage return, and the noncharacters
//! U+FFFE and U+FFFF: one of them in a title makes the whole feed invalid,
//! and HTML validators reject them too. They come from text pasted out of
//! word processors (a vertical tab for a line break) or typed as TOML
//! escapes (`"\u0001"`).
//!
//! Sources are cleaned as they are read, with a warning at the first place
//! so the editor can fix the file. Every generated page is cleaned again as
//! it is made, for what a TOML escape puts into a value.

use crate::diagnostic::Diagnostic;
use std::path::Path;

/// True for a character no page may carry.
pub fn is_forbidden(c: char) -> bool {
    (c < ' ' && !matches!(c, '\t' | '\n' | '\r'))
        || c == '\u{7f}'
        || matches!(c, '\u{fffe}' | '\u{ffff}')
}

/// A name for a forbidden character in messages.
fn describe(c: char) -> String {
    let name = match c {
        '\u{0}' => " (NUL)",
        '\u{b}' => " (vertical tab)",
        '\u{c}' => " (form feed)",
        '\u{8}' => " (backspace)",
        '\u{1b}' => " (escape)",
        _ => "",
    };
    format!("U+{:04X}{name}", c as u32)
}

/// Replaces each forbidden character of `text` by a space (a noncharacter by
/// U+FFFD, which has its length), so every offset into the text stays the
/// same. Returns a warning at the first one, naming how many there were.
pub fn clean_source(text: &mut String, shown: &Path) -> Option<Diagnostic> {
    let first = text.char_indices().find(|&(_, c)| is_forbidden(c))?;
    let mut count = 0;
    let cleaned: String = text
        .chars()
        .map(|c| {
            if !is_forbidden(c) {
                c
            } else {
                count += 1;
                if c.len_utf8() == 1 { ' ' } else { '\u{fffd}' }
            }
        })
        .collect();
    let more = match count - 1 {
        0 => String::new(),
        n => format!(", and {n} more in this file"),
    };
    let d = Diagnostic::warning(format!(
        "control character {} replaced by a space{more}",
        describe(first.1)
    ))
    .in_file(shown)
    .at(text, first.0)
    .with_hint("such characters come from text pasted out of a word processor; retype the spot");
    *text = cleaned;
    Some(d)
}

/// The first TOML escape in `toml` that writes a forbidden character
/// (`\u0001`, `\U0000000B`, `\uFFFE`), with its offset: such a value is
/// cleaned out of every page, and the editor should know.
pub fn escape_in_toml(toml: &str) -> Option<(usize, &str)> {
    let bytes = toml.as_bytes();
    let mut i = 0;
    while let Some(at) = toml[i..].find('\\').map(|n| n + i) {
        // `\\` is an escaped backslash, not the start of an escape.
        if bytes.get(at + 1) == Some(&b'\\') {
            i = at + 2;
            continue;
        }
        let digits = match bytes.get(at + 1) {
            Some(b'u') => 4,
            Some(b'U') => 8,
            _ => 0,
        };
        let hex = toml.get(at + 2..at + 2 + digits).unwrap_or("");
        if digits > 0
            && let Ok(code) = u32::from_str_radix(hex, 16)
            && char::from_u32(code).is_some_and(is_forbidden)
        {
            return Some((at, &toml[at..at + 2 + digits]));
        }
        i = at + 1;
    }
    None
}

/// The warning for [`escape_in_toml`]'s find in `source` at `offset`.
pub fn escape_warning(source: &str, shown: &Path, offset: usize, escape: &str) -> Diagnostic {
    Diagnostic::warning(format!(
        "`{escape}` writes a control character, which is left out of the pages"
    ))
    .in_file(shown)
    .at(source, offset)
    .with_hint("remove the escape, or write `\\n` for a line break")
}

/// Drops forbidden characters from a generated page.
pub fn strip(bytes: &mut Vec<u8>) {
    // Every forbidden character is a byte below 0x20, 0x7F, or starts with
    // 0xEF (U+FFFE and U+FFFF are EF BF BE and EF BF BF): a page with none
    // of those bytes, nearly every page, is left as it is.
    let suspect =
        |b: &u8| (*b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r')) || *b == 0x7f || *b == 0xef;
    if !bytes.iter().any(suspect) {
        return;
    }
    let Ok(text) = std::str::from_utf8(bytes) else {
        return;
    };
    let cleaned: String = text.chars().filter(|&c| !is_forbidden(c)).collect();
    *bytes = cleaned.into_bytes();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cleans_sources_keeping_offsets() {
        let mut text = "a\u{b}b\u{0}c\u{fffe}d".to_string();
        let len = text.len();
        let d = clean_source(&mut text, Path::new("x.md")).expect("warning");
        assert_eq!(text, "a b c\u{fffd}d");
        assert_eq!(text.len(), len);
        assert!(d.message.contains("U+000B (vertical tab)"), "{}", d.message);
        assert!(d.message.contains("2 more"), "{}", d.message);
        let mut fine = "tab\tand\nline".to_string();
        assert!(clean_source(&mut fine, Path::new("x.md")).is_none());
    }

    #[test]
    fn finds_escapes_of_control_characters() {
        assert_eq!(escape_in_toml(r#"t = "a\u0001b""#), Some((6, r"\u0001")));
        assert_eq!(
            escape_in_toml(r#"t = "\U0000000B""#),
            Some((5, r"\U0000000B"))
        );
        assert_eq!(escape_in_toml(r#"t = "\uFFFE""#), Some((5, r"\uFFFE")));
        assert_eq!(escape_in_toml(r#"t = "\u00e4 \n \t \\u0001""#), None);
    }

    #[test]
    fn strips_pages() {
        let mut page = "<p>a\u{1}b\u{fffe}c é ￼</p>".as_bytes().to_vec();
        strip(&mut page);
        assert_eq!(String::from_utf8(page).unwrap(), "<p>abc é ￼</p>");
    }
}
