//! Slugs and heading ids. Slugs are ASCII: names are transliterated with
//! `deunicode` (`Pärnu` → `parnu`, `İzmir` → `izmir`, `Beitostølen` →
//! `beitostolen`, `Москва` → `moskva`, `北京` → `bei-jing`) rather than with
//! a hand-made table, so every script we may meet is covered. Heading ids
//! keep the letters of a heading written in another script than Latin
//! (`## Лечение` → `лечение`), as Markdown tools commonly do.

use icu_properties::props::{GeneralCategory, GeneralCategoryGroup, Script};
use icu_properties::{CodePointMapData, CodePointMapDataBorrowed};

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

/// The id of a heading with text `text`, before de-duplication. A heading
/// whose letters are all Latin gets its slug (`Pärnu` → `parnu`), as it
/// always has. One with letters of another script keeps them: lower-cased,
/// its letters, marks and digits (and `-`, `_`) kept, everything else
/// dropped, runs of spaces made one `-` (`Лечение и отдых` →
/// `лечение-и-отдых`, `العلاج بالمياه` → `العلاج-بالمياه`).
pub fn heading_id(text: &str) -> String {
    let script = CodePointMapData::<Script>::new();
    if !text
        .chars()
        .any(|c| c.is_alphabetic() && !is_latin_or_common(script, c))
    {
        return slugify(text);
    }
    let category = CodePointMapData::<GeneralCategory>::new();
    let mut out = String::with_capacity(text.len());
    let mut pending = false;
    for c in text.chars() {
        let gc = category.get(c);
        let kept = c == '-'
            || c == '_'
            || GeneralCategoryGroup::Letter.contains(gc)
            || GeneralCategoryGroup::Mark.contains(gc)
            || GeneralCategoryGroup::Number.contains(gc);
        if kept {
            if pending && !out.is_empty() {
                out.push('-');
            }
            pending = false;
            out.extend(c.to_lowercase());
        } else if c.is_whitespace() {
            pending = true;
        }
    }
    out.trim_matches('-').to_string()
}

fn is_latin_or_common(script: CodePointMapDataBorrowed<'static, Script>, c: char) -> bool {
    matches!(
        script.get(c),
        Script::Latin | Script::Common | Script::Inherited
    )
}

/// `text` folded into search words, separated by spaces: the one rule the
/// index and `search.js` (its `klyngeWords`) share, so that what a reader
/// types finds what an editor wrote.
///
/// - Latin, Greek and Cyrillic letters become ASCII as for slugs
///   (`Pärnu` → `parnu`, `Пярну` → `piarnu`): readers type them with or
///   without diacritics, in either script.
/// - Arabic and Hebrew keep their letters, with the variants readers
///   type interchangeably made one (alef with hamza or madda → alef, alef
///   maqsura and Persian yeh → yeh, taa marbuta → heh, Persian kaf → kaf)
///   and vowel marks and tatweel dropped; Arabic-Indic digits become 0–9.
/// - Chinese, Japanese and Korean, written without spaces, become the
///   overlapping pairs of characters of each run (`温泉酒店` → `温泉 泉酒
///   酒店`), so any two characters of a name find it.
/// - Other letters and digits (Georgian, Armenian, Devanagari…) are kept,
///   lower-cased; everything else separates words.
pub fn search_words(text: &str) -> String {
    let mut w = WordWriter::default();
    for c in text.chars() {
        if (c as u32) < 0x80 {
            w.ascii(c as u8);
        } else if is_skipped_mark(c) {
            // Inside a word: it neither ends the word nor shows in it.
        } else if let Some(c) = normal_rtl(c) {
            w.letter(c);
        } else if is_cjk(c) {
            w.cjk(c);
        } else if is_transliterated(c) {
            ascii_spelling(c).bytes().for_each(|b| w.ascii(b));
        } else if c.is_alphanumeric() {
            c.to_lowercase().for_each(|l| w.letter(l));
        } else {
            w.ascii(b' ');
        }
    }
    w.finish()
}

/// Builds `search_words`' output: words separated by single spaces, with
/// a run of CJK characters held until it ends to make its pairs.
#[derive(Default)]
struct WordWriter {
    out: String,
    pending: bool,
    cjk: Vec<char>,
}

impl WordWriter {
    fn ascii(&mut self, b: u8) {
        if b.is_ascii_alphanumeric() {
            self.letter(b.to_ascii_lowercase() as char);
        } else {
            self.end_cjk();
            self.pending = true;
        }
    }

    fn letter(&mut self, c: char) {
        self.end_cjk();
        if self.pending && !self.out.is_empty() {
            self.out.push(' ');
        }
        self.pending = false;
        self.out.push(c);
    }

    fn cjk(&mut self, c: char) {
        self.cjk.push(c);
    }

    fn end_cjk(&mut self) {
        if self.cjk.is_empty() {
            return;
        }
        let run = std::mem::take(&mut self.cjk);
        let pairs: Vec<String> = if run.len() == 1 {
            vec![run[0].to_string()]
        } else {
            run.windows(2).map(|p| p.iter().collect()).collect()
        };
        for pair in pairs {
            if !self.out.is_empty() {
                self.out.push(' ');
            }
            self.out.push_str(&pair);
        }
        self.pending = true;
    }

    fn finish(mut self) -> String {
        self.end_cjk();
        self.out
    }
}

/// Arabic vowel marks, tatweel and Quranic signs; Hebrew points: readers
/// type words without them.
fn is_skipped_mark(c: char) -> bool {
    matches!(c as u32,
        0x064B..=0x065F | 0x0670 | 0x0640 | 0x06D6..=0x06ED
        | 0x0591..=0x05BD | 0x05BF | 0x05C1 | 0x05C2 | 0x05C4 | 0x05C5 | 0x05C7)
}

/// An Arabic or Hebrew letter or digit in its search form.
fn normal_rtl(c: char) -> Option<char> {
    let n = match c {
        '\u{622}' | '\u{623}' | '\u{625}' | '\u{671}' => '\u{627}',
        '\u{649}' | '\u{6CC}' | '\u{626}' => '\u{64A}',
        '\u{629}' => '\u{647}',
        '\u{624}' => '\u{648}',
        '\u{6A9}' => '\u{643}',
        '\u{660}'..='\u{669}' => char::from(b'0' + (c as u32 - 0x660) as u8),
        '\u{6F0}'..='\u{6F9}' => char::from(b'0' + (c as u32 - 0x6F0) as u8),
        '\u{621}'..='\u{64A}'
        | '\u{66E}'..='\u{6D3}'
        | '\u{6D5}'
        | '\u{6FA}'..='\u{6FF}'
        | '\u{750}'..='\u{77F}'
        | '\u{5D0}'..='\u{5EA}'
        | '\u{5F0}'..='\u{5F2}' => c,
        _ => return None,
    };
    Some(n)
}

/// Han, kana and Hangul: scripts written without spaces between words.
fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF
        | 0xAC00..=0xD7AF | 0x1100..=0x11FF)
}

/// The blocks of Latin, Greek and Cyrillic letters, which fold to ASCII
/// (search.js keeps the same list and a table of their spellings).
pub const TRANSLITERATED: [(u32, u32); 5] = [
    (0x00C0, 0x02AF),
    (0x0370, 0x03FF),
    (0x0400, 0x052F),
    (0x1E00, 0x1EFF),
    (0x1F00, 0x1FFF),
];

fn is_transliterated(c: char) -> bool {
    let n = c as u32;
    c.is_alphabetic() && TRANSLITERATED.iter().any(|&(a, b)| (a..=b).contains(&n))
}

/// How the search index spells a transliterated letter in ASCII (its
/// non-alphanumeric characters separate words).
pub fn ascii_spelling(c: char) -> &'static str {
    deunicode::deunicode_char(c).unwrap_or(" ")
}

/// The distinct words of `text` as the search index folds them (two
/// bytes or more), in order of first use, separated by spaces.
pub fn unique_words(text: &str) -> String {
    let folded = search_words(text);
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

    /// The examples docs/links-and-urls.md shows.
    #[test]
    fn names_in_other_scripts_become_the_documented_slugs() {
        for (name, slug) in [
            ("Pärnu rannahotell", "parnu-rannahotell"),
            ("İçmeler", "icmeler"),
            ("Санаторий Балтика", "sanatorii-baltika"),
            ("Ὑδροθεραπεία", "udrotherapeia"),
            ("温泉", "wen-quan"),
        ] {
            assert_eq!(slugify(name), slug, "{name}");
        }
    }

    #[test]
    fn heading_ids_keep_a_script_other_than_latin() {
        for (text, id) in [
            ("Pärnu: mud & sea", "parnu-mud-sea"),
            ("Лечение и отдых", "лечение-и-отдых"),
            ("Грязелечение — 2026!", "грязелечение-2026"),
            ("العلاج بالمياه المعدنية", "العلاج-بالمياه-المعدنية"),
            ("温泉，疗养", "温泉疗养"),
            ("Spa «Эстония»", "spa-эстония"),
            ("Ὑδροθεραπεία", "ὑδροθεραπεία"),
            ("हिन्दी भाषा", "हिन्दी-भाषा"),
            ("!!!", ""),
        ] {
            assert_eq!(heading_id(text), id, "{text}");
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
