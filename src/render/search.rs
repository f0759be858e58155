//! The search index of each language, `/<lang>/search.json`. Words are
//! folded the way readers type them (case and diacritics away: `Füssing` →
//! `fussing`, `İzmir` → `izmir`, `Rīgas` → `rigas`), with `deunicode` doing
//! the transliteration; `static/search.js` folds the query the same way.

use super::deps::Dep;
use super::{OutputFile, Renderer};
use crate::config::Lang;
use crate::content::Kind;
use crate::route::Route;
use crate::site::Item;
use rayon::prelude::*;
use serde::Serialize;
use std::sync::Arc;

/// The search words of `text`, separated by spaces.
pub fn fold(text: &str) -> String {
    crate::slug::search_words(text)
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

/// `item`'s record in `lang`'s index, as JSON; `None` when the item has no
/// translation. `Renderer::search_record` keeps it between uses.
pub fn record(r: &Renderer, item: &Item, lang: &Lang) -> Option<Arc<str>> {
    let link = r.item_link(item, lang)?;
    let t = item.translation_for(&r.site.config, lang)?;
    let k = match item.kind {
        Kind::Cluster => "c",
        Kind::Spa => "s",
        Kind::News => "n",
        Kind::Event => "e",
        _ => "p",
    };
    let location = link.location.clone().unwrap_or_default();
    let mut extra = String::new();
    if let crate::site::Facts::Spa(f) = &item.facts {
        let names: Vec<&str> = f
            .treatments
            .iter()
            .map(|id| r.site.treatment(*id).record.name_in(lang.as_str()))
            .collect();
        extra = names.join(" ");
    }
    let w = crate::slug::unique_words(&format!("{} {location} {extra}", t.title));
    let doc = Doc {
        t: t.title.clone(),
        u: link.href.clone(),
        k,
        l: location,
        s: crate::markdown::truncate_words(&link.summary, 140),
        g: link.lang.clone(),
        b: minus(&t.body.words, &w),
        w,
    };
    serde_json::to_string(&doc).ok().map(Arc::from)
}

pub fn index_file(r: &Renderer, lang: &Lang) -> OutputFile {
    let c = &r.site.config;
    // Items in parallel: the index is the largest file of a big site.
    for kind in Kind::ITEMS {
        r.read(Dep::Kind(kind));
    }
    let records: Vec<Arc<str>> = r
        .site
        .items
        .par_iter()
        .filter_map(|item| r.search_record(item, lang))
        .collect();
    let mut docs: Vec<Doc> = Vec::new();
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
            u: c.href(&loc.route(lang)),
            k: "l",
            l: r.country_name(lang, &loc.record.country),
            s: loc.record.region.clone().unwrap_or_default(),
            g: None,
            w,
            b,
        });
    }
    // The JSON array of the records, as `serde_json::to_string` would
    // write the whole list.
    let locations: Vec<String> = docs
        .iter()
        .filter_map(|d| serde_json::to_string(d).ok())
        .collect();
    let size: usize = records.iter().map(|s| s.len() + 1).sum::<usize>()
        + locations.iter().map(|s| s.len() + 1).sum::<usize>();
    let mut json = String::with_capacity(size + 2);
    json.push('[');
    for (i, doc) in records
        .iter()
        .map(|s| &**s)
        .chain(locations.iter().map(String::as_str))
        .enumerate()
    {
        if i > 0 {
            json.push(',');
        }
        json.push_str(doc);
    }
    json.push(']');
    OutputFile {
        path: c.file(&Route::SearchIndex(lang.clone())),
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
        assert_eq!(fold("Курорт Пярну"), "kurort piarnu");
        assert_eq!(fold("المُنْتَجَع الصحّي في إزمير"), "المنتجع الصحي في ازمير");
        assert_eq!(fold("مدرسة"), "مدرسه");
        assert_eq!(
            fold("温泉酒店 in 伊兹密尔"),
            "温泉 泉酒 酒店 in 伊兹 兹密 密尔"
        );
        assert_eq!(fold("온천 호텔"), "온천 호텔");
        assert_eq!(fold("ბორჯომი Ջերմուկ ٢٠٢٤"), "ბორჯომი ջերմուկ 2024");
        assert_eq!(fold("58.385° N, 24 × 3"), "58 385 n 24 3");
    }
}
