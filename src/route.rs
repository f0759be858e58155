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
//!
//! The folder words of a path (`spas`, `news`, `page`…) are each a
//! [`Segment`], which a language may rename (`/nb/kurbad/`): the routes
//! stay the same, and [`Segments`] says how each language spells them.

use crate::config::Lang;
use crate::content::Kind;
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// A folder word of the site's paths that a language may spell its own way.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Segment {
    Clusters,
    Spas,
    News,
    Pages,
    Events,
    Locations,
    Treatments,
    Search,
    /// The spas of one kind: `/<lang>/spas/kind/<kind>/`.
    Kind,
    /// A later page of a list: `/<lang>/news/page/2/`.
    Page,
}

impl Segment {
    pub const ALL: [Segment; 10] = [
        Segment::Clusters,
        Segment::Spas,
        Segment::News,
        Segment::Pages,
        Segment::Events,
        Segment::Locations,
        Segment::Treatments,
        Segment::Search,
        Segment::Kind,
        Segment::Page,
    ];

    /// The segment's key in `[languages.<lang>.segments]`, which is also
    /// its spelling when a language does not rename it.
    pub fn key(self) -> &'static str {
        match self {
            Segment::Clusters => "clusters",
            Segment::Spas => "spas",
            Segment::News => "news",
            Segment::Pages => "pages",
            Segment::Events => "events",
            Segment::Locations => "locations",
            Segment::Treatments => "treatments",
            Segment::Search => "search",
            Segment::Kind => "kind",
            Segment::Page => "page",
        }
    }

    /// Whether the segment is a folder right under the language's own
    /// (`/nb/kurbad/`), where two such segments would be one folder.
    pub fn is_top_level(self) -> bool {
        !matches!(self, Segment::Kind | Segment::Page)
    }

    /// The segment of a kind's folder; the home has none.
    pub fn of_kind(kind: Kind) -> Option<Segment> {
        Some(match kind {
            Kind::Cluster => Segment::Clusters,
            Kind::Spa => Segment::Spas,
            Kind::News => Segment::News,
            Kind::Page => Segment::Pages,
            Kind::Event => Segment::Events,
            Kind::Home => return None,
        })
    }
}

/// How each language spells the segments it renames; the others are
/// spelt as their keys. Built from site.toml, checked there.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Segments {
    /// Per language, the spelling of each of [`Segment::ALL`] in its order.
    by_lang: BTreeMap<Lang, Vec<String>>,
}

impl Segments {
    /// Every segment spelt as its key: for the routes outside the
    /// languages' folders (`/404.html`, photos, theme files), and tests.
    pub const AS_KEYS: Segments = Segments {
        by_lang: BTreeMap::new(),
    };

    /// The spelling of `seg` in `lang`.
    pub fn get(&self, lang: &Lang, seg: Segment) -> &str {
        match self.by_lang.get(lang) {
            Some(names) => &names[seg as usize],
            None => seg.key(),
        }
    }

    /// Renames `seg` in `lang`.
    pub fn set(&mut self, lang: &Lang, seg: Segment, name: String) {
        let names = self
            .by_lang
            .entry(lang.clone())
            .or_insert_with(|| Segment::ALL.iter().map(|s| s.key().to_string()).collect());
        names[seg as usize] = name;
    }
}

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
    pub fn segment(self) -> Segment {
        match self {
            Section::Clusters => Segment::Clusters,
            Section::Spas => Segment::Spas,
            Section::Locations => Segment::Locations,
            Section::Search => Segment::Search,
            Section::Treatments => Segment::Treatments,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Route {
    /// The language chooser at the site root.
    Chooser,
    /// "Page not found" in every language: `/404.html`.
    NotFound,
    /// "Page not found" in one language, for misses under its prefix:
    /// `/<lang>/404.html`.
    NotFoundIn(Lang),
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
    /// The site path, without the site's base path: `/en/spas/laine/`,
    /// with each language's spelling of its segments from `names`.
    /// `Config::href` and `Config::url` turn a route into a URL.
    pub fn path(&self, names: &Segments) -> String {
        let mut s = String::with_capacity(32);
        let seg = |l: &Lang, seg: Segment| names.get(l, seg);
        let _ = match self {
            Route::Chooser => write!(s, "/"),
            Route::NotFound => write!(s, "/404.html"),
            Route::Sitemap => write!(s, "/sitemap.xml"),
            Route::Robots => write!(s, "/robots.txt"),
            Route::Home(l) => write!(s, "/{l}/"),
            Route::NotFoundIn(l) => write!(s, "/{l}/404.html"),
            Route::Index(l, section) => write!(s, "/{l}/{}/", seg(l, section.segment())),
            Route::NewsPage(l, 1) => write!(s, "/{l}/{}/", seg(l, Segment::News)),
            Route::NewsPage(l, n) => write!(
                s,
                "/{l}/{}/{}/{n}/",
                seg(l, Segment::News),
                seg(l, Segment::Page)
            ),
            Route::EventsPage(l, 1) => write!(s, "/{l}/{}/", seg(l, Segment::Events)),
            Route::EventsPage(l, n) => write!(
                s,
                "/{l}/{}/{}/{n}/",
                seg(l, Segment::Events),
                seg(l, Segment::Page)
            ),
            Route::EventIcs(l, slug) => {
                write!(s, "/{l}/{}/{slug}/{slug}.ics", seg(l, Segment::Events))
            }
            Route::EventsIcs(l) => write!(s, "/{l}/events.ics"),
            Route::Location(l, slug) => write!(s, "/{l}/{}/{slug}/", seg(l, Segment::Locations)),
            Route::Item(l, kind, slug) => match Segment::of_kind(*kind) {
                Some(k) => write!(s, "/{l}/{}/{slug}/", seg(l, k)),
                None => write!(s, "/{l}/"),
            },
            Route::Treatment(l, slug) => write!(s, "/{l}/{}/{slug}/", seg(l, Segment::Treatments)),
            Route::SpaKind(l, kind) => write!(
                s,
                "/{l}/{}/{}/{}/",
                seg(l, Segment::Spas),
                seg(l, Segment::Kind),
                kind.slug()
            ),
            Route::VCard(l, slug) => write!(s, "/{l}/{}/{slug}/{slug}.vcf", seg(l, Segment::Spas)),
            Route::SearchIndex(l) => write!(s, "/{l}/search.json"),
            Route::Feed(l) => write!(s, "/{l}/atom.xml"),
            Route::Alias(a) => write!(s, "/{a}/"),
            Route::Static(p) => write!(s, "/{p}"),
            Route::Photo(p) => write!(s, "/{p}"),
        };
        s
    }

    /// The file in the output folder: `en/spas/laine/index.html`.
    pub fn file(&self, names: &Segments) -> String {
        file_for(&self.path(names))
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
            (Route::NotFoundIn(en.clone()), "/en/404.html", "en/404.html"),
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
        let names = Segments::default();
        for (route, path, file) in cases {
            assert_eq!(route.path(&names), path, "{route:?}");
            assert_eq!(route.file(&names), file, "{route:?}");
        }
    }

    #[test]
    fn a_language_spells_its_own_segments_and_no_other() {
        let (en, nb) = (Lang("en".into()), Lang("nb".into()));
        let mut names = Segments::default();
        names.set(&nb, Segment::Spas, "kurbad".into());
        names.set(&nb, Segment::News, "nyheter".into());
        names.set(&nb, Segment::Page, "side".into());
        names.set(&nb, Segment::Kind, "type".into());
        let cases = [
            (Route::Index(nb.clone(), Section::Spas), "/nb/kurbad/"),
            (Route::Index(en.clone(), Section::Spas), "/en/spas/"),
            (
                Route::Item(nb.clone(), Kind::Spa, "laine".into()),
                "/nb/kurbad/laine/",
            ),
            (Route::NewsPage(nb.clone(), 1), "/nb/nyheter/"),
            (Route::NewsPage(nb.clone(), 2), "/nb/nyheter/side/2/"),
            (Route::EventsPage(nb.clone(), 2), "/nb/events/side/2/"),
            (
                Route::SpaKind(
                    nb.clone(),
                    crate::content::frontmatter::SpaKind::DentalClinic,
                ),
                "/nb/kurbad/type/dental-clinic/",
            ),
            (
                Route::VCard(nb.clone(), "laine".into()),
                "/nb/kurbad/laine/laine.vcf",
            ),
            (
                Route::Item(nb.clone(), Kind::Page, "om".into()),
                "/nb/pages/om/",
            ),
            (Route::Feed(nb.clone()), "/nb/atom.xml"),
        ];
        for (route, path) in cases {
            assert_eq!(route.path(&names), path, "{route:?}");
        }
    }
}
