//! Atom feed of each language's news (RFC 4287). Items without a
//! translation in the language appear in their fallback translation,
//! marked with `xml:lang`, as on the HTML lists.

use super::{OutputFile, Renderer};
use crate::config::Lang;
use crate::content::Kind;
use crate::route::Route;
use crate::site::ItemId;

fn esc(s: &str) -> String {
    html_escape::encode_text(s).replace('"', "&quot;")
}

pub fn atom(r: &Renderer, lang: &Lang) -> OutputFile {
    let c = &r.site.config;
    let ids: Vec<ItemId> = r.items_of(Kind::News).map(|i| i.id).collect();
    let sorted = r.news_sorted(&ids);
    let title = c.language(lang).map_or("", |l| l.title.as_str());
    let route = Route::Feed(lang.clone());
    let self_url = c.url(&route);
    let mut entries = String::new();
    let mut newest = None;
    for id in sorted.iter().take(50) {
        let item = r.site.item(*id);
        let (Some(t), Some(date)) = (r.translation_for(item, lang), item.date()) else {
            continue;
        };
        let updated = t.updated.map_or(date, crate::time::Moment::Day).max(date);
        newest = newest.max(Some(updated));
        let url = c.absolute(&t.path);
        entries.push_str(&format!(
            "  <entry xml:lang=\"{}\">\n    <title>{}</title>\n    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n    <id>{}</id>\n    <published>{}</published>\n    <updated>{}</updated>\n    <summary>{}</summary>\n    <content type=\"html\">{}</content>\n  </entry>\n",
            t.lang,
            esc(&t.title),
            esc(&url),
            esc(&url),
            date.rfc3339(),
            updated.rfc3339(),
            esc(t.description.as_deref().unwrap_or(&t.body.summary)),
            // A body whose shortcodes fail is reported by its own page.
            esc(&r.body_html(&t.file, &t.body, lang).unwrap_or_default()),
        ));
    }
    let updated = newest.map_or_else(|| "1970-01-01T00:00:00Z".to_string(), |d| d.rfc3339());
    // The generator names itself and its version, and no address: klynge
    // has no public home page to point at.
    let version = env!("CARGO_PKG_VERSION");
    let xml = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{lang}\">\n  <title>{}</title>\n  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n  <id>{}</id>\n  <updated>{updated}</updated>\n  <author><name>{}</name></author>\n  <generator version=\"{version}\">klynge</generator>\n{entries}</feed>\n",
        esc(title),
        esc(&self_url),
        esc(&c.url(&Route::NewsPage(lang.clone(), 1))),
        esc(&self_url),
        esc(title),
    );
    OutputFile {
        path: c.file(&route),
        bytes: xml.into_bytes(),
    }
}
