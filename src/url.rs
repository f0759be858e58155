//! Which URLs a page may link to. A link is a place a reader clicks, so a
//! scheme that runs code there (`javascript:`, `vbscript:`) or makes a page
//! of its own (`data:`) is refused; the list is of what is allowed, so a
//! scheme nobody thought of is refused too.

/// The schemes a link may have; a URL with no scheme (a path, `#anchor`,
/// `//host/…`) is always allowed.
const SAFE_SCHEMES: [&str; 9] = [
    "http", "https", "mailto", "tel", "sms", "geo", "ftp", "ftps", "webcal",
];

/// A hint for messages about a refused link.
pub const SAFE_SCHEMES_HINT: &str =
    "links may be http://, https://, mailto:, tel:, sms:, geo:, ftp:, webcal: or a path";

/// The scheme of `url`, lower-cased, when it is not one a link may have.
///
/// Browsers ignore leading spaces and control characters and any tab or
/// newline inside a URL (`java\tscript:` runs as `javascript:`), so they
/// are ignored here too before the scheme is read.
pub fn unsafe_scheme(url: &str) -> Option<String> {
    let cleaned: String = url
        .trim_start_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .take_while(|&c| !matches!(c, '/' | '?' | '#'))
        .collect();
    let (scheme, _) = cleaned.split_once(':')?;
    let is_scheme = scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    if !is_scheme {
        return None;
    }
    let scheme = scheme.to_ascii_lowercase();
    (!SAFE_SCHEMES.contains(&scheme.as_str())).then_some(scheme)
}

#[cfg(test)]
mod tests {
    use super::unsafe_scheme;

    #[test]
    fn refuses_script_and_data_schemes_however_written() {
        for url in [
            "javascript:alert(1)",
            " JavaScript:x",
            "java\tscript:x",
            "\u{1}javascript:x",
            "vbscript:x",
            "data:text/html,<b>",
        ] {
            assert!(unsafe_scheme(url).is_some(), "{url:?}");
        }
    }

    #[test]
    fn allows_web_mail_phone_and_paths() {
        for url in [
            "https://laine.ee/",
            "http://x",
            "mailto:info@laine.ee",
            "tel:+3725551234",
            "/en/spas/",
            "#hours",
            "../x",
            "//cdn.example/x",
            "page?a=b:c",
        ] {
            assert_eq!(unsafe_scheme(url), None, "{url:?}");
        }
    }
}
