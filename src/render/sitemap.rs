//! `sitemap.xml`: every indexable page, each with its `xhtml:link`
//! hreflang alternates (the same page in the other languages).

use super::{OutputFile, Renderer};
use crate::config::Lang;

pub fn sitemap(r: &Renderer) -> OutputFile {
    let c = &r.site.config;
    // Groups of (lang, site path) that are the same page in several languages.
    let mut groups: Vec<Vec<(Lang, String)>> = Vec::new();
    let langs: Vec<Lang> = c.languages.iter().map(|l| l.code.clone()).collect();
    let per_lang =
        |f: &dyn Fn(&Lang) -> String| langs.iter().map(|l| (l.clone(), f(l))).collect::<Vec<_>>();
    groups.push(per_lang(&|l| format!("/{l}/")));
    for section in ["clusters", "spas", "news", "locations", "search"] {
        groups.push(per_lang(&|l| format!("/{l}/{section}/")));
    }
    let news = r
        .site
        .items_of(crate::content::Kind::News)
        .filter(|i| !i.translations.is_empty())
        .count();
    for n in 2..=news.div_ceil(c.news_per_page) {
        groups.push(per_lang(&|l| format!("/{l}/news/page/{n}/")));
    }
    for loc in &r.site.locations {
        groups.push(per_lang(&|l| loc.path(l)));
    }
    for item in &r.site.items {
        if !item.translations.is_empty() {
            groups.push(
                item.translations
                    .iter()
                    .map(|t| (t.lang.clone(), t.path.clone()))
                    .collect(),
            );
        }
    }
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n",
    );
    xml.push_str(&format!(
        "  <url>\n    <loc>{}</loc>\n  </url>\n",
        c.absolute("/")
    ));
    for group in &groups {
        for (_, path) in group {
            xml.push_str(&format!("  <url>\n    <loc>{}</loc>\n", c.absolute(path)));
            if group.len() > 1 {
                for (l, p) in group {
                    xml.push_str(&format!(
                        "    <xhtml:link rel=\"alternate\" hreflang=\"{l}\" href=\"{}\"/>\n",
                        c.absolute(p)
                    ));
                }
            }
            xml.push_str("  </url>\n");
        }
    }
    xml.push_str("</urlset>\n");
    OutputFile {
        path: "sitemap.xml".into(),
        bytes: xml.into_bytes(),
    }
}
