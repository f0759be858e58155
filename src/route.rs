//! Every address of the built site, in one table: a typed [`Route`] per
//! page or file, and the one function from a route to its site path
//! (`/en/spas/laine/`) and output file (`en/spas/laine/index.html`).
//!
//! Nothing else formats a site path. Pages link to each other through
//! routes, the sitemap lists routes, `serve` keys what it keeps by route,
//! and collisions are found by comparing routes' files, so a new page kind
//! gets its URL in one place and every consumer follows.
//!
//! A route names a page by what readers see in its URL (language, kind,
//! slug), not by the graph's ids, so it stays the same page across the
//! rebuilds of `serve` even when ids shift.

use crate::config::Lang;
use crate::content::Kind;
use std::fmt::Write as _;

/// A language-wide index page: `/<lang>/<folder>/`. The news list is
/// paginated and has its own route, [`Route::NewsPage`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Section {
    Clusters,
    Spas,
    Locations,
    Search,
    /// The treatments, by category.
    Treatments,
}

impl Section {
    pub fn folder(self) -> &'static str {
        match self {
            Section::Clusters => "clusters",
            Section::Spas => "spas",
            Section::Locations => "locations",
            Section::Search => "search",
            Section::Treatments => "treatments",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Route {
    /// The language chooser at the site root.
    Chooser,
    NotFound,
    Sitemap,
    /// `robots.txt`, which names the sitemap.
    Robots,
    Home(Lang),
    Index(Lang, Section),
    /// Page `n` (from 1) of a language's news list.
    NewsPage(Lang, usize),
    /// Page `n` (from 1) of a language's events: upcoming, then past.
    EventsPage(Lang, usize),
    /// An event's iCalendar file, beside its page:
    /// `/<lang>/events/<slug>/<slug>.ics`.
    EventIcs(Lang, String),
    /// Every event of a language as one calendar: `/<lang>/events.ics`.
    EventsIcs(Lang),
    /// A location's page, by slug.
    Location(Lang, String),
    /// A cluster, spa, news item or page, by kind and slug.
    Item(Lang, Kind, String),
    /// A treatment's page, by slug: the spas that offer it.
    Treatment(Lang, String),
    /// The spas of one kind: `/<lang>/spas/kind/<kind>/`.
    SpaKind(Lang, crate::content::frontmatter::SpaKind),
    /// A spa's contact card, beside its page: `/<lang>/spas/<slug>/<slug>.vcf`.
    VCard(Lang, String),
    SearchIndex(Lang),
    Feed(Lang),
    /// A redirect page at an old address (`old/laine`, no slashes around).
    Alias(String),
    /// A theme file (`style.css`), at its path in the output.
    Static(String),
    /// A processed photo, at its path in the output
    /// (`photos/hall-3f2a9c01de-960.webp`).
    Photo(String),
}

impl Route {
    /// The site path, without the site's base path: `/en/spas/laine/`.
    /// `Config::link` and `Config::absolute` turn it into a URL.
    pub fn path(&self) -> String {
        let mut s = String::with_capacity(32);
        let _ = match self {
            Route::Chooser => write!(s, "/"),
            Route::NotFound => write!(s, "/404.html"),
            Route::Sitemap => write!(s, "/sitemap.xml"),
            Route::Robots => write!(s, "/robots.txt"),
            Route::Home(l) => write!(s, "/{l}/"),
            Route::Index(l, section) => write!(s, "/{l}/{}/", section.folder()),
            Route::NewsPage(l, 1) => write!(s, "/{l}/news/"),
            Route::NewsPage(l, n) => write!(s, "/{l}/news/page/{n}/"),
            Route::EventsPage(l, 1) => write!(s, "/{l}/events/"),
            Route::EventsPage(l, n) => write!(s, "/{l}/events/page/{n}/"),
            Route::EventIcs(l, slug) => write!(s, "/{l}/events/{slug}/{slug}.ics"),
            Route::EventsIcs(l) => write!(s, "/{l}/events.ics"),
            Route::Location(l, slug) => write!(s, "/{l}/locations/{slug}/"),
            Route::Item(l, kind, slug) => write!(s, "/{l}/{}/{slug}/", kind.folder()),
            Route::Treatment(l, slug) => write!(s, "/{l}/treatments/{slug}/"),
            Route::SpaKind(l, kind) => write!(s, "/{l}/spas/kind/{}/", kind.slug()),
            Route::VCard(l, slug) => write!(s, "/{l}/spas/{slug}/{slug}.vcf"),
            Route::SearchIndex(l) => write!(s, "/{l}/search.json"),
            Route::Feed(l) => write!(s, "/{l}/atom.xml"),
            Route::Alias(a) => write!(s, "/{a}/"),
            Route::Static(p) => write!(s, "/{p}"),
            Route::Photo(p) => write!(s, "/{p}"),
        };
        s
    }

    /// The file in the output folder: `en/spas/laine/index.html`.
    pub fn file(&self) -> String {
        file_for(&self.path())
    }
}

/// The output file of a site path: `/en/spas/` → `en/spas/index.html`.
pub fn file_for(path: &str) -> String {
    let p = path.trim_start_matches('/');
    if p.is_empty() {
        "index.html".into()
    } else if p.ends_with('/') {
        let mut s = String::with_capacity(p.len() + 10);
        s.push_str(p);
        s.push_str("index.html");
        s
    } else {
        p.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_and_files() {
        let en = Lang("en".into());
        let cases = [
            (Route::Chooser, "/", "index.html"),
            (Route::NotFound, "/404.html", "404.html"),
            (Route::Sitemap, "/sitemap.xml", "sitemap.xml"),
            (Route::Robots, "/robots.txt", "robots.txt"),
            (Route::Home(en.clone()), "/en/", "en/index.html"),
            (
                Route::Index(en.clone(), Section::Spas),
                "/en/spas/",
                "en/spas/index.html",
            ),
            (
                Route::NewsPage(en.clone(), 1),
                "/en/news/",
                "en/news/index.html",
            ),
            (
                Route::NewsPage(en.clone(), 3),
                "/en/news/page/3/",
                "en/news/page/3/index.html",
            ),
            (
                Route::Location(en.clone(), "parnu".into()),
                "/en/locations/parnu/",
                "en/locations/parnu/index.html",
            ),
            (
                Route::Item(en.clone(), Kind::Spa, "laine".into()),
                "/en/spas/laine/",
                "en/spas/laine/index.html",
            ),
            (
                Route::SearchIndex(en.clone()),
                "/en/search.json",
                "en/search.json",
            ),
            (Route::Feed(en.clone()), "/en/atom.xml", "en/atom.xml"),
            (
                Route::Index(en.clone(), Section::Treatments),
                "/en/treatments/",
                "en/treatments/index.html",
            ),
            (
                Route::Treatment(en.clone(), "mud-therapy".into()),
                "/en/treatments/mud-therapy/",
                "en/treatments/mud-therapy/index.html",
            ),
            (
                Route::SpaKind(
                    en.clone(),
                    crate::content::frontmatter::SpaKind::DentalClinic,
                ),
                "/en/spas/kind/dental-clinic/",
                "en/spas/kind/dental-clinic/index.html",
            ),
            (
                Route::VCard(en.clone(), "laine".into()),
                "/en/spas/laine/laine.vcf",
                "en/spas/laine/laine.vcf",
            ),
            (
                Route::Alias("old/laine".into()),
                "/old/laine/",
                "old/laine/index.html",
            ),
            (Route::Static("style.css".into()), "/style.css", "style.css"),
        ];
        for (route, path, file) in cases {
            assert_eq!(route.path(), path, "{route:?}");
            assert_eq!(route.file(), file, "{route:?}");
        }
    }
}
