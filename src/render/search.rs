//! The search index of each language, `/<lang>/search.json`. Words are
//! folded the way readers type them (case and diacritics away: `Füssing` →
//! `fussing`, `İzmir` → `izmir`, `Rīgas` → `rigas`), with `deunicode` doing
//! the transliteration; `static/search.js` folds the query the same way.

use super::{OutputFile, Renderer};
use crate::config::Lang;
use crate::content::Kind;
use serde::Serialize;

/// Lower-case ASCII words of `text`, separated by spaces.
pub fn fold(text: &str) -> String {
    crate::slug::ascii_words(text, ' ')
}

/// The distinct folded words of `text` not already in `seen`, in order.
fn new_words(text: &str, seen: &mut std::collections::HashSet<String>) -> String {
    let folded = fold(text);
    let mut out = Vec::new();
    for w in folded.split(' ') {
        if w.len() >= 2 && seen.insert(w.to_string()) {
            out.push(w.to_string());
        }
    }
    out.join(" ")
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
    let mut docs = Vec::new();
    for item in &r.site.items {
        let Some(link) = r.item_link(item, lang) else { continue };
        let Some(t) = item.translation_for(c, lang) else { continue };
        let k = match item.kind {
            Kind::Cluster => "c",
            Kind::Spa => "s",
            Kind::News => "n",
            _ => "p",
        };
        let mut seen = std::collections::HashSet::new();
        let location = link.location.clone().unwrap_or_default();
        let mut extra = String::new();
        if let crate::content::FrontMatter::Spa(f) = &t.file.front {
            extra = f.treatments.clone().unwrap_or_default().join(" ");
        }
        let w = new_words(&format!("{} {location} {extra}", t.title), &mut seen);
        docs.push(Doc {
            t: t.title.clone(),
            u: link.href,
            k,
            l: location,
            s: crate::markdown::truncate_words(&link.summary, 140),
            g: link.lang,
            w,
            b: new_words(&t.body.text, &mut seen),
        });
    }
    for loc in &r.site.locations {
        let name = loc.record.name_in(lang.as_str());
        let mut seen = std::collections::HashSet::new();
        let all_names: Vec<&str> = std::iter::once(loc.record.name.as_str())
            .chain(loc.record.names.values().map(String::as_str))
            .collect();
        docs.push(Doc {
            t: name.to_string(),
            u: c.link(&loc.path(lang)),
            k: "l",
            l: r.country_name(lang, &loc.record.country),
            s: loc.record.region.clone().unwrap_or_default(),
            g: None,
            w: new_words(&all_names.join(" "), &mut seen),
            b: new_words(loc.record.region.as_deref().unwrap_or(""), &mut seen),
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
