//! Request paths: percent-decoding and the safety checks that run before
//! any lookup. The server only ever looks paths up in the in-memory output,
//! so these checks are a second wall: a path that tries to climb out, or
//! that means different things on different systems, is refused outright.

/// Why a request path was refused (answered with 400).
#[derive(Debug, PartialEq, Eq)]
pub struct BadPath;

/// The decoded path of a request target (`/en/spas/?q=x` → `/en/spas/`),
/// or `BadPath` for anything that is not a plain, relative-free path.
pub fn decode(target: &str) -> Result<String, BadPath> {
    let raw = target.split(['?', '#']).next().unwrap_or("");
    if !raw.starts_with('/') || raw.starts_with("//") {
        return Err(BadPath);
    }
    let bytes = percent_decode(raw.as_bytes())?;
    let path = String::from_utf8(bytes).map_err(|_| BadPath)?;
    if path.chars().any(|c| c == '\\' || c.is_control()) {
        return Err(BadPath);
    }
    if path.split('/').any(|seg| seg == ".." || seg == ".") {
        return Err(BadPath);
    }
    // `/C:/…` or a drive-relative segment: meaningless here, refused.
    if path.split('/').any(|seg| seg.contains(':')) {
        return Err(BadPath);
    }
    Ok(path)
}

fn percent_decode(input: &[u8]) -> Result<Vec<u8>, BadPath> {
    let mut out = Vec::with_capacity(input.len());
    let mut i = 0;
    while i < input.len() {
        if input[i] == b'%' {
            let hex = input.get(i + 1..i + 3).ok_or(BadPath)?;
            let hex = std::str::from_utf8(hex).map_err(|_| BadPath)?;
            out.push(u8::from_str_radix(hex, 16).map_err(|_| BadPath)?);
            i += 3;
        } else {
            out.push(input[i]);
            i += 1;
        }
    }
    Ok(out)
}

/// The output file for a decoded path below the base path: `/` →
/// `index.html`, `/en/spas/` → `en/spas/index.html`, `/style.css` →
/// `style.css`.
pub fn output_key(path: &str) -> String {
    crate::render::file_for(path)
}

/// `path` with the site's base path (`""` or `/sub`) removed, or `None` if
/// the path is outside it.
pub fn strip_base<'a>(path: &'a str, base: &str) -> Option<&'a str> {
    if base.is_empty() {
        return Some(path);
    }
    let rest = path.strip_prefix(base)?;
    (rest.is_empty() || rest.starts_with('/')).then_some(rest)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_and_drops_query() {
        assert_eq!(decode("/en/spas/?q=x").unwrap(), "/en/spas/");
        assert_eq!(
            decode("/en/locations/p%C3%A4rnu/").unwrap(),
            "/en/locations/pärnu/"
        );
        assert_eq!(decode("/").unwrap(), "/");
    }

    #[test]
    fn refuses_traversal_and_tricks() {
        for bad in [
            "/../site.toml",
            "/%2e%2e/site.toml",
            "/%2E%2E/site.toml",
            "/..%2fsite.toml",
            "/en/../../etc/passwd",
            "/%5c..%5csite.toml",
            "/a\\b",
            "/a%00b",
            "/./index.html",
            "//etc/passwd",
            "/C:/Windows/win.ini",
            "http://example.org/",
            "site.toml",
            "/%zz",
            "/%2",
            "/%ff",
        ] {
            assert_eq!(decode(bad), Err(BadPath), "{bad}");
        }
    }

    #[test]
    fn keys_and_base_paths() {
        assert_eq!(output_key("/"), "index.html");
        assert_eq!(output_key("/en/spas/"), "en/spas/index.html");
        assert_eq!(output_key("/en/atom.xml"), "en/atom.xml");
        assert_eq!(strip_base("/sub/en/", "/sub"), Some("/en/"));
        assert_eq!(strip_base("/sub", "/sub"), Some(""));
        assert_eq!(strip_base("/subway/", "/sub"), None);
        assert_eq!(strip_base("/en/", ""), Some("/en/"));
    }
}
