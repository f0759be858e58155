//! The search index of each language, `/<lang>/search.json`. Words are
//! folded the way readers type them (case and diacritics away: `Füssing` →
//! `fussing`, `İzmir` → `izmir`, `Rīgas` → `rigas`), with `deunicode` doing
//! the transliteration; `static/search.js` folds the query the same way.

use super::{OutputFile, Renderer};
use crate::config::Lang;
use crate::content::Kind;
use rayon::prelude::*;
use serde::Serialize;

/// Lower-case ASCII words of `text`, separated by spaces.
pub fn fold(text: &str) -> String {
    crate::slug::ascii_words(text, ' ')
}

/// The words of `words` (folded, distinct, space separated) that are not
/// in `taken` (likewise): a body's words minus its title's.
fn minus(words: &str, taken: &str) -> String {
    let taken: crate::slug::WordSet = taken.split(' ').collect();
    let mut kept = String::with_capacity(words.len());
    for w in words
        .split(' ')
        .filter(|w| !w.is_empty() && !taken.contains(w))
    {
        if !kept.is_empty() {
            kept.push(' ');
        }
        kept.push_str(w);
    }
    kept
}

/// One entry of the index. Short field names keep the file small.
#[derive(Serialize)]
struct Doc {
    /// Title as written.
    t: String,
    /// URL.
    u: String,
    /// Kind: c(luster), s(pa), n(ews), l(ocation), p(age).
    k: &'static str,
    /// Location name, for spas.
    #[serde(skip_serializing_if = "String::is_empty")]
    l: String,
    /// Snippet.
    s: String,
    /// Language of a fallback translation.
    #[serde(skip_serializing_if = "Option::is_none")]
    g: Option<String>,
    /// Folded words of title and location: ranked first.
    w: String,
    /// Folded words of the body not already in `w`.
    b: String,
}

pub fn index_file(r: &Renderer, lang: &Lang) -> OutputFile {
    let c = &r.site.config;
    // Items in parallel: the index is the largest file of a big site.
    let mut docs: Vec<Doc> = r
        .site
        .items
        .par_iter()
        .filter_map(|item| {
            let link = r.item_link(item, lang)?;
            let t = item.translation_for(c, lang)?;
            let k = match item.kind {
                Kind::Cluster => "c",
                Kind::Spa => "s",
                Kind::News => "n",
                _ => "p",
            };
            let location = link.location.clone().unwrap_or_default();
            let mut extra = String::new();
            if let crate::content::FrontMatter::Spa(f) = &t.file.front {
                extra = f.treatments.clone().unwrap_or_default().join(" ");
            }
            let w = crate::slug::unique_words(&format!("{} {location} {extra}", t.title));
            Some(Doc {
                t: t.title.clone(),
                u: link.href,
                k,
                l: location,
                s: crate::markdown::truncate_words(&link.summary, 140),
                g: link.lang,
                b: minus(&t.body.words, &w),
                w,
            })
        })
        .collect();
    for loc in &r.site.locations {
        let name = loc.record.name_in(lang.as_str());
        let all_names: Vec<&str> = std::iter::once(loc.record.name.as_str())
            .chain(loc.record.names.values().map(String::as_str))
            .collect();
        let w = crate::slug::unique_words(&all_names.join(" "));
        let b = minus(
            &crate::slug::unique_words(loc.record.region.as_deref().unwrap_or("")),
            &w,
        );
        docs.push(Doc {
            t: name.to_string(),
            u: c.link(&loc.path(lang)),
            k: "l",
            l: r.country_name(lang, &loc.record.country),
            s: loc.record.region.clone().unwrap_or_default(),
            g: None,
            w,
            b,
        });
    }
    let json = serde_json::to_string(&docs).unwrap_or_else(|_| "[]".into());
    OutputFile {
        path: format!("{lang}/search.json"),
        bytes: json.into_bytes(),
    }
}

#[cfg(test)]
mod tests {
    use super::fold;

    #[test]
    fn folds_as_readers_type() {
        assert_eq!(fold("Bad Füssing"), "bad fussing");
        assert_eq!(fold("Pärnu"), "parnu");
        assert_eq!(fold("İzmir"), "izmir");
        assert_eq!(fold("ılıca"), "ilica");
        assert_eq!(fold("Kylpylä"), "kylpyla");
        assert_eq!(fold("Rīgas"), "rigas");
        assert_eq!(fold("Beitostølen"), "beitostolen");
        assert_eq!(fold("Æra Ås"), "aera as");
    }
}
