//! ASCII slugs and heading ids. Names are transliterated with `deunicode`
//! (`Pärnu` → `parnu`, `İzmir` → `izmir`, `Beitostølen` → `beitostolen`)
//! rather than with a hand-made table, so every script we may meet is covered.

/// Lower-case ASCII, words joined by `-`, nothing else.
pub fn slugify(text: &str) -> String {
    ascii_words(text, '-')
}

/// `text` transliterated to ASCII and lower-cased, its runs of letters and
/// digits joined by `sep`. Slugs and the search index both fold this way.
///
/// The same as running `ascii_words` over `deunicode(text)`, one character
/// at a time: no intermediate string, and ASCII needs no table look-up.
/// (deunicode's only context rule, trimming a trailing space before a
/// space, cannot change where words start or end.)
pub fn ascii_words(text: &str, sep: char) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending = false;
    let mut push = |b: u8, out: &mut String| {
        if b.is_ascii_alphanumeric() {
            if pending && !out.is_empty() {
                out.push(sep);
            }
            pending = false;
            out.push(b.to_ascii_lowercase() as char);
        } else {
            pending = true;
        }
    };
    for c in text.chars() {
        if (c as u32) < 0x7F {
            push(c as u8, &mut out);
        } else {
            match deunicode::deunicode_char(c) {
                Some(s) => s.bytes().for_each(|b| push(b, &mut out)),
                // deunicode writes `[?]` here: a separator.
                None => push(b' ', &mut out),
            }
        }
    }
    out
}

/// The distinct words of `text` as the search index folds them (two
/// characters or more), in order of first use, separated by spaces.
pub fn unique_words(text: &str) -> String {
    let folded = ascii_words(text, ' ');
    let mut seen = WordSet::with_capacity_and_hasher(folded.len() / 6, Default::default());
    let mut out = String::with_capacity(folded.len());
    for w in folded.split(' ') {
        if w.len() >= 2 && seen.insert(w) {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(w);
        }
    }
    out
}

/// The candidate nearest to `word` by edit distance, if one is near enough
/// to be a typo of it (`titel` → `title`).
pub fn closest<'c>(word: &str, candidates: &[&'c str]) -> Option<&'c str> {
    candidates
        .iter()
        .map(|c| (strsim::damerau_levenshtein(word, c), *c))
        .filter(|&(d, c)| d <= 2 && d < c.len().max(word.len()) / 2 + 1)
        .min_by_key(|&(d, _)| d)
        .map(|(_, c)| c)
}

/// A set of words with a small multiplicative hash (FxHash's) instead of
/// SipHash: the keys are the site's own words, and hashing them was a
/// tenth of a build.
pub type WordSet<'a> =
    std::collections::HashSet<&'a str, std::hash::BuildHasherDefault<WordHasher>>;

#[derive(Default)]
pub struct WordHasher(u64);

impl WordHasher {
    const K: u64 = 0x517c_c1b7_2722_0a95;

    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(Self::K);
    }
}

impl std::hash::Hasher for WordHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            self.add(u64::from_le_bytes(c.try_into().expect("8 bytes")));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut word = [0u8; 8];
            word[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(word));
        }
    }

    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// Why a slug given by an editor cannot be used, if it cannot.
pub fn check_slug(slug: &str) -> Result<(), String> {
    if slug.is_empty() {
        return Err("the slug is empty".into());
    }
    if slug.contains("..") || slug.contains('/') || slug.contains('\\') {
        return Err(format!(
            "slug `{slug}` would leave its folder (`..`, `/` and `\\` are not allowed)"
        ));
    }
    // `.` is the folder itself: `/en/spas/./` is the spa index.
    if slug == "." {
        return Err("slug `.` names the section's own folder, not a page of it".into());
    }
    // A hidden folder: left out by hosts, walks and `ls` alike.
    if slug.starts_with('.') {
        return Err(format!(
            "slug `{slug}` starts with `.`, which makes a hidden folder"
        ));
    }
    if !slug
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.')
    {
        return Err(format!(
            "slug `{slug}` has characters other than ASCII letters, digits, `-`, `_` and `.`"
        ));
    }
    Ok(())
}

/// Why an alias path cannot be used, if it cannot: it must stay inside the
/// output folder.
pub fn check_alias(alias: &str) -> Result<String, String> {
    let trimmed = alias.trim_matches('/');
    if alias.contains('\\') || alias.contains(':') {
        return Err(format!("alias `{alias}` is not a site path"));
    }
    let mut parts = Vec::new();
    for part in trimmed.split('/') {
        if part == ".." || part == "." {
            return Err(format!("alias `{alias}` would leave the output folder"));
        }
        if !part.is_empty() {
            parts.push(part);
        }
    }
    if parts.is_empty() {
        return Err(format!("alias `{alias}` points at the site root"));
    }
    Ok(parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transliterates_names() {
        for (name, slug) in [
            ("Pärnu", "parnu"),
            ("Võru", "voru"),
            ("İzmir", "izmir"),
            ("Beitostølen", "beitostolen"),
            ("Līgatne", "ligatne"),
            ("ESTONIA Medical Spa & Hotel", "estonia-medical-spa-hotel"),
            ("  --Hei, verden!-- ", "hei-verden"),
        ] {
            assert_eq!(slugify(name), slug, "{name}");
        }
    }

    #[test]
    fn ascii_words_matches_deunicode_then_fold() {
        fn reference(text: &str) -> String {
            let ascii = deunicode::deunicode(text);
            let mut out = String::new();
            let mut pending = false;
            for c in ascii.chars() {
                if c.is_ascii_alphanumeric() {
                    if pending && !out.is_empty() {
                        out.push('-');
                    }
                    pending = false;
                    out.push(c.to_ascii_lowercase());
                } else {
                    pending = true;
                }
            }
            out
        }
        for text in [
            "Pärnu Võru İzmir Beitostølen Līgatne Æra Ås ılıca",
            "中国x🅶 ☃中 国 🄏中国 北京",
            "ab\u{7f}cd e\u{80}f g\u{ffff}h i\u{10ffff}j",
            "h̵̡ĕ̷l̶l̴o̸ w̷ǫ̷r̵ļ̴ḏ̶!",
            "  --Hei, verden!-- ",
            "",
        ] {
            assert_eq!(ascii_words(text, '-'), reference(text), "{text:?}");
        }
    }

    #[test]
    fn slugs_cannot_escape() {
        assert!(check_slug("../etc").is_err());
        assert!(check_slug("a/b").is_err());
        assert!(check_slug("").is_err());
        assert!(check_slug("laine").is_ok());
        assert!(check_alias("/../x").is_err());
        assert_eq!(check_alias("/old/laine/").unwrap(), "old/laine");
    }
}
