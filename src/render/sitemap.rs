//! `sitemap.xml`: every indexable page, each with its `xhtml:link`
//! hreflang alternates (the same page in the other languages).

use super::deps::Dep;
use super::{OutputFile, Renderer};
use crate::config::Lang;
use crate::content::Kind;
use crate::route::{Route, Section};

pub fn sitemap(r: &Renderer) -> OutputFile {
    let c = &r.site.config;
    // Groups of (lang, site path) that are the same page in several languages.
    let mut groups: Vec<Vec<(Lang, String)>> = Vec::new();
    for kind in Kind::ITEMS {
        r.read(Dep::Kind(kind));
    }
    let langs: Vec<Lang> = c.languages.iter().map(|l| l.code.clone()).collect();
    let per_lang = |f: &dyn Fn(&Lang) -> Route| {
        langs
            .iter()
            .map(|l| (l.clone(), c.path(&f(l))))
            .collect::<Vec<_>>()
    };
    groups.push(per_lang(&|l| Route::Home(l.clone())));
    let index = |s| move |l: &Lang| Route::Index(l.clone(), s);
    groups.push(per_lang(&index(Section::Clusters)));
    groups.push(per_lang(&index(Section::Spas)));
    groups.push(per_lang(&|l| Route::NewsPage(l.clone(), 1)));
    groups.push(per_lang(&index(Section::Locations)));
    groups.push(per_lang(&index(Section::Search)));
    for n in 2..=r.news_pages() {
        groups.push(per_lang(&|l| Route::NewsPage(l.clone(), n)));
    }
    for loc in &r.site.locations {
        groups.push(per_lang(&|l| loc.route(l)));
    }
    if r.site.has_events() {
        for i in r.site.items_of(Kind::Event) {
            r.facts(i);
        }
        for n in 1..=r.site.events_pages() {
            groups.push(per_lang(&|l| Route::EventsPage(l.clone(), n)));
        }
    }
    if !r.site.treatments.is_empty() {
        groups.push(per_lang(&index(Section::Treatments)));
    }
    for t in &r.site.treatments {
        groups.push(per_lang(&|l| t.route(l)));
    }
    // Which kinds have pages depends on every spa's kind.
    for item in r.site.items_of(Kind::Spa) {
        r.facts(item);
    }
    for kind in r.site.spa_kinds() {
        groups.push(per_lang(&|l| Route::SpaKind(l.clone(), kind)));
    }
    for item in &r.site.items {
        r.read(Dep::Pages(item.id));
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
        c.url(&Route::Chooser)
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
        path: c.file(&Route::Sitemap),
        bytes: xml.into_bytes(),
    }
}

/// `robots.txt`, from the theme's `robots.txt` template: by default every
/// page may be crawled and the sitemap is named, so search engines find
/// every language's pages. A site that wants otherwise writes its own
/// `templates/robots.txt`.
pub fn robots(r: &Renderer) -> Result<OutputFile, crate::diagnostic::Diagnostic> {
    const TEMPLATE: &str = "robots.txt";
    let c = &r.site.config;
    let mut context = tera::Context::new();
    context.insert("sitemap_url", &c.url(&Route::Sitemap));
    context.insert("base_url", &c.absolute("/"));
    let text = r
        .theme
        .tera
        .render(TEMPLATE, &context)
        .map_err(|e| r.theme.render_error(e, TEMPLATE))?;
    Ok(OutputFile {
        path: c.file(&Route::Robots),
        bytes: text.into_bytes(),
    })
}
