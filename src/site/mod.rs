//! The site graph: content files joined into items with their translations,
//! shared facts inherited, references to clusters and locations resolved
//! into ids, permalinks per language, bodies rendered with internal links
//! resolved. Every dangling reference becomes a diagnostic here, so the
//! renderer can trust what it is given.

pub mod codes;
pub mod countries;
mod events;
mod facts;
mod graph;
mod inherit;
mod patch;
pub mod photos;
mod schedule;

pub use graph::{BuildOptions, build, build_reusing};
pub use patch::patch;
pub use schedule::HeldBack;

use crate::config::{Config, Lang};
use crate::content::frontmatter::{Address, Contact, Coordinates, Source, SpaKind};
use crate::content::{ContentFile, Date, Kind, LocationRecord};
use std::collections::HashMap;
use std::sync::Arc;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ItemId(pub usize);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LocId(pub usize);

/// A treatment of `content/treatments.toml`, by its place in
/// [`Site::treatments`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TreatId(pub usize);

#[derive(Debug)]
pub struct Site {
    pub config: Config,
    /// Sorted by kind, then key: ids are stable for the same content.
    pub items: Vec<Item>,
    /// Sorted by country, then default-language name.
    pub locations: Vec<Location>,
    /// The home text of each language that has one.
    pub homes: Vec<Home>,
    /// Sorted by slug.
    pub treatments: Vec<Treatment>,
    /// The treatment categories, in the order of `content/treatments.toml`.
    pub categories: Vec<crate::content::CategoryRecord>,
    /// Treatments by slug, for resolving references.
    treatment_ids: HashMap<String, TreatId>,
    by_key: HashMap<(Kind, String), ItemId>,
    /// Locations by slug, for resolving references.
    location_ids: HashMap<String, LocId>,
    /// What failed to load: references to it are not reported again.
    failed: crate::content::load::Failed,
    /// Every page path by item and language: bodies render the same while
    /// this is unchanged (see `graph::render_bodies`).
    link_table: LinkTable,
    /// `news_newest_first`, made on first use.
    news_order: std::sync::OnceLock<Vec<ItemId>>,
    /// Every page's site path and the item it belongs to, made on first
    /// use (by the template function `get_url`). A patched graph keeps its
    /// pages' paths, so this stays true for it.
    pub page_paths: std::sync::OnceLock<HashMap<String, Option<ItemId>>>,
    /// `file_index`, made on first use.
    files: std::sync::OnceLock<HashMap<std::path::PathBuf, (ItemId, usize)>>,
    /// The photos the content shows, processed on first use. Shared by
    /// the graphs `serve` builds from one another between full rebuilds,
    /// and by the theme's `resize_image` function.
    pub photos: Arc<crate::photos::Library>,
    /// Items left out by their `publish_date` or `expires`.
    pub held_back: HeldBack,
}

/// Every page path by item and language, and the base path: bodies render
/// the same while this is unchanged.
#[derive(Debug, Default, PartialEq)]
struct LinkTable {
    pages: Vec<(Kind, String, Lang, String)>,
    base_path: String,
}

#[derive(Debug)]
pub struct Item {
    pub id: ItemId,
    pub kind: Kind,
    pub key: String,
    /// In the site's language order.
    pub translations: Vec<Translation>,
    pub facts: Facts,
    pub weight: i64,
    /// For a cluster: its member spas.
    pub members: Vec<ItemId>,
    /// For a cluster: the news that name it.
    pub news: Vec<ItemId>,
}

#[derive(Debug)]
pub struct Translation {
    pub lang: Lang,
    pub file: Arc<ContentFile>,
    pub slug: String,
    /// Site path of the page, `/en/spas/laine/` (no base path).
    pub path: String,
    pub title: String,
    pub description: Option<String>,
    pub updated: Option<Date>,
    /// Alias site paths, `old/laine`, each to get a redirect page.
    pub aliases: Vec<String>,
    /// Shared, so `serve` can reuse an unchanged body without copying it.
    pub body: Arc<Body>,
    /// The main photo and gallery of this translation.
    pub photos: Photos,
}

/// A photo an item shows, with its text in one translation.
#[derive(Debug, Clone, PartialEq)]
pub struct Photo {
    pub processed: Arc<crate::photos::Processed>,
    /// Empty only for a decorative photo.
    pub alt: String,
    pub caption: Option<String>,
    pub credit: Option<String>,
    pub decorative: bool,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Photos {
    pub image: Option<Photo>,
    pub gallery: Vec<Photo>,
}

/// A rendered Markdown body.
#[derive(Debug, Default, Clone)]
pub struct Body {
    pub html: String,
    pub anchors: Vec<String>,
    pub summary: String,
    /// The distinct folded words of `text`, for the search index: folded
    /// once here rather than once per language and rebuild.
    pub words: String,
    /// Internal links, kept so a reused body's anchors are checked again.
    pub links: Vec<crate::markdown::InternalLink>,
    /// The photo files the body shows, processed again when it is reused.
    pub photos: Vec<std::path::PathBuf>,
    /// Its shortcodes, whose tokens in `html` the renderer replaces.
    pub calls: Vec<crate::markdown::Call>,
}

#[derive(Debug)]
pub struct Home {
    pub lang: Lang,
    pub title: Option<String>,
    pub body: Arc<Body>,
    pub file: Arc<ContentFile>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Founded {
    Year(i64),
    Date(Date),
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct ClusterFacts {
    pub country: String,
    pub legal_name: Option<String>,
    pub org_number: Option<String>,
    pub founded: Option<Founded>,
    pub website: Option<String>,
    pub address: Option<Address>,
    pub contact: Option<Contact>,
    pub locations: Vec<LocId>,
    /// When the listing's facts were last checked with the cluster.
    pub verified: Option<Date>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SpaFacts {
    pub cluster: ItemId,
    pub location: LocId,
    pub kind: Option<SpaKind>,
    pub website: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub address: Option<Address>,
    pub coordinates: Option<Coordinates>,
    /// What it offers, in the order the front matter lists them.
    pub treatments: Vec<TreatId>,
    /// Boxed: most spas give few of these.
    pub practical: Box<Practical>,
    /// When the listing's facts were last checked with the member.
    pub verified: Option<Date>,
}

/// What a patient checks before going: hours, prices, languages… (each
/// checked where it is written; see `facts::practical`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Practical {
    pub hours: Option<OpeningHours>,
    pub price: Option<crate::content::frontmatter::Price>,
    /// ISO 639-1 codes.
    pub languages: Vec<String>,
    pub accreditations: Vec<String>,
    pub insurance: Vec<String>,
    pub accessibility: Vec<crate::content::frontmatter::Accessibility>,
    pub booking: Option<String>,
    /// Priced programmes, in the order the front matter lists them.
    pub programmes: Vec<Programme>,
}

/// A `[[programmes]]` entry, checked: a known currency, a price of zero or
/// more, at most one duration, known treatments.
#[derive(Debug, Clone, PartialEq)]
pub struct Programme {
    pub written: crate::content::frontmatter::Programme,
    pub duration: Option<Duration>,
    pub treatments: Vec<TreatId>,
}

/// How long a programme lasts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Duration {
    Nights(u32),
    Days(u32),
    Minutes(u32),
}

impl Duration {
    /// ISO 8601, as schema.org's `duration` is written (`P7D`, `PT90M`).
    pub fn iso(self) -> String {
        match self {
            Duration::Nights(n) | Duration::Days(n) => format!("P{n}D"),
            Duration::Minutes(n) => format!("PT{n}M"),
        }
    }

    /// The UI string counting it, and the count.
    pub fn count_key(self) -> (&'static str, u32) {
        match self {
            Duration::Nights(n) => ("nights_count", n),
            Duration::Days(n) => ("days_count", n),
            Duration::Minutes(n) => ("minutes_count", n),
        }
    }
}

/// Opening hours, checked: the usual week, seasons that replace it between
/// two dates, and days it is closed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OpeningHours {
    /// Monday first; `None` for a day the front matter does not give.
    pub week: [Option<crate::content::frontmatter::DayHours>; 7],
    pub seasons: Vec<Season>,
    pub closed: Vec<Date>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Season {
    pub from: Date,
    pub until: Date,
    pub week: [Option<crate::content::frontmatter::DayHours>; 7],
}

/// A treatment with the spas that offer it.
#[derive(Debug)]
pub struct Treatment {
    pub id: TreatId,
    pub record: crate::content::TreatmentRecord,
    pub spas: Vec<ItemId>,
}

impl Treatment {
    pub fn route(&self, lang: &Lang) -> crate::route::Route {
        crate::route::Route::Treatment(lang.clone(), self.record.slug.clone())
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct NewsFacts {
    /// A day, or a time with the offset it was written with.
    pub date: crate::time::Moment,
    pub cluster: Option<ItemId>,
    pub locations: Vec<LocId>,
    pub source: Option<Source>,
}

/// When an event happens, checked: whole days, or two instants.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventWhen {
    /// From the first to the last day, both included.
    Days { first: Date, last: Date },
    Timed {
        start: jiff::Timestamp,
        end: jiff::Timestamp,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct EventFacts {
    pub when: EventWhen,
    /// The IANA zone its times are shown in; for a timed event always set.
    pub timezone: Option<String>,
    pub location: Option<LocId>,
    pub address: Option<Address>,
    pub online: Option<String>,
    /// The cluster that organises it.
    pub organiser: Option<ItemId>,
    pub registration: Option<String>,
    pub deadline: Option<crate::time::Moment>,
    pub price: Option<crate::content::frontmatter::Price>,
    /// ISO 639-1 codes of the languages it is held in.
    pub languages: Vec<String>,
    pub status: crate::content::frontmatter::EventStatus,
}

impl EventFacts {
    /// The zone its times are shown in (UTC for all-day events without one).
    pub fn zone(&self) -> jiff::tz::TimeZone {
        self.timezone
            .as_deref()
            .and_then(|z| jiff::tz::TimeZone::get(z).ok())
            .unwrap_or(jiff::tz::TimeZone::UTC)
    }

    /// When it starts: an all-day event at the start of its first day in
    /// its zone.
    pub fn starts(&self) -> jiff::Timestamp {
        match self.when {
            EventWhen::Timed { start, .. } => start,
            EventWhen::Days { first, .. } => self.day_start(first),
        }
    }

    /// When it is over: an all-day event at the end of its last day.
    pub fn ends(&self) -> jiff::Timestamp {
        match self.when {
            EventWhen::Timed { end, .. } => end,
            EventWhen::Days { last, .. } => self.day_start(crate::time::next_day(last)),
        }
    }

    fn day_start(&self, d: Date) -> jiff::Timestamp {
        crate::time::jiff_date(d)
            .and_then(|d| d.to_zoned_datetime(self.zone()).ok())
            .map_or_else(|| crate::time::day_start_utc(d), |z| z.timestamp())
    }

    /// Whether it is still to come or going on at `now`.
    pub fn upcoming(&self, now: crate::time::BuildTime) -> bool {
        self.ends() > now.timestamp()
    }

    /// Its start as a moment, for lists: the first day, or the instant at
    /// its zone's offset.
    pub fn start_moment(&self) -> crate::time::Moment {
        match self.when {
            EventWhen::Days { first, .. } => crate::time::Moment::Day(first),
            EventWhen::Timed { start, .. } => crate::time::Moment::At(crate::time::Stamp {
                ts: start,
                offset: self.zone().to_offset(start),
            }),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Facts {
    Cluster(ClusterFacts),
    Spa(SpaFacts),
    News(NewsFacts),
    Event(Box<EventFacts>),
    Page,
}

impl Facts {
    /// The same facts with every item they name renamed by `f`: what makes
    /// the facts of two graphs, whose ids differ, comparable. Every
    /// `ItemId` a fact holds must pass through `f` here.
    pub fn map_items(&self, f: impl Fn(ItemId) -> ItemId) -> Facts {
        match self {
            Facts::Spa(s) => Facts::Spa(SpaFacts {
                cluster: f(s.cluster),
                ..s.clone()
            }),
            Facts::News(n) => Facts::News(NewsFacts {
                cluster: n.cluster.map(&f),
                ..n.clone()
            }),
            Facts::Event(e) => Facts::Event(Box::new(EventFacts {
                organiser: e.organiser.map(&f),
                ..(**e).clone()
            })),
            Facts::Cluster(_) | Facts::Page => self.clone(),
        }
    }
}

#[derive(Debug)]
pub struct Location {
    pub id: LocId,
    pub record: LocationRecord,
    pub spas: Vec<ItemId>,
    pub clusters: Vec<ItemId>,
    pub news: Vec<ItemId>,
}

impl Location {
    pub fn route(&self, lang: &Lang) -> crate::route::Route {
        crate::route::Route::Location(lang.clone(), self.record.slug.clone())
    }
}

impl Item {
    /// The translation a reader of `lang` is sent to: `lang` itself, else
    /// along the fallback order (docs/translations.md).
    pub fn translation_for(&self, config: &Config, lang: &Lang) -> Option<&Translation> {
        if let Some(t) = self.translation_in(lang) {
            return Some(t);
        }
        config
            .fallback_order(lang)
            .iter()
            .find_map(|l| self.translation_in(l))
    }

    /// The route of the page of `t`, one of this item's translations.
    pub fn route(&self, t: &Translation) -> crate::route::Route {
        crate::route::Route::Item(t.lang.clone(), self.kind, t.slug.clone())
    }

    pub fn translation_in(&self, lang: &Lang) -> Option<&Translation> {
        self.translations.iter().find(|t| &t.lang == lang)
    }

    /// What places the item on the lists of its kind, apart from its
    /// title: whether it has pages, its weight and its date. Every order
    /// of a kind's list must be made from these and the item's key.
    pub fn list_place(&self) -> (bool, i64, Option<crate::time::Moment>) {
        (!self.translations.is_empty(), self.weight, self.date())
    }

    pub fn date(&self) -> Option<crate::time::Moment> {
        match &self.facts {
            Facts::News(n) => Some(n.date),
            Facts::Event(e) => Some(e.start_moment()),
            _ => None,
        }
    }
}

impl Site {
    pub fn item(&self, id: ItemId) -> &Item {
        &self.items[id.0]
    }

    pub fn location(&self, id: LocId) -> &Location {
        &self.locations[id.0]
    }

    pub fn treatment(&self, id: TreatId) -> &Treatment {
        &self.treatments[id.0]
    }

    /// The kinds of spa that have at least one spa with pages, in the
    /// order of [`SpaKind::ALL`]: the kind pages there are.
    pub fn spa_kinds(&self) -> Vec<SpaKind> {
        let used: std::collections::HashSet<SpaKind> = self
            .items_of(Kind::Spa)
            .filter(|i| !i.translations.is_empty())
            .filter_map(|i| match &i.facts {
                Facts::Spa(s) => s.kind,
                _ => None,
            })
            .collect();
        SpaKind::ALL
            .iter()
            .copied()
            .filter(|k| used.contains(k))
            .collect()
    }

    /// The items of one kind. Items are sorted by kind (see `Site::items`),
    /// so this is a slice found by two binary searches, not a scan: pages
    /// ask it on every render (is there an events page for the menu?), and
    /// a scan made the build quadratic in the number of items.
    pub fn items_of(&self, kind: Kind) -> impl Iterator<Item = &Item> {
        let start = self.items.partition_point(|i| i.kind < kind);
        let len = self.items[start..].partition_point(|i| i.kind == kind);
        self.items[start..start + len].iter()
    }

    /// The item and translation an internal link (`spas/laine.md`, the
    /// part after `@/`) leads a reader of `lang` to.
    pub fn resolve_link(&self, target: &str, lang: &Lang) -> Result<(&Item, &Translation), String> {
        graph::resolve_item(self, target, lang)
    }

    pub fn find(&self, kind: Kind, key: &str) -> Option<&Item> {
        self.by_key
            .get(&(kind, key.to_string()))
            .map(|id| self.item(*id))
    }

    /// A location by its slug in `content/locations.toml`.
    pub fn location_by_slug(&self, slug: &str) -> Option<&Location> {
        self.location_ids.get(slug).map(|id| self.location(*id))
    }

    pub fn home(&self, lang: &Lang) -> Option<&Home> {
        self.homes.iter().find(|h| &h.lang == lang)
    }

    /// The news items that have a translation, newest first: what the
    /// news list pages show. Sorted once, not once per list page.
    pub fn news_newest_first(&self) -> &[ItemId] {
        self.news_order.get_or_init(|| {
            let ids: Vec<ItemId> = self
                .items_of(Kind::News)
                .filter(|i| !i.translations.is_empty())
                .map(|i| i.id)
                .collect();
            self.news_sorted(&ids)
        })
    }

    /// How many pages each language's news list has (at least one).
    pub fn news_pages(&self) -> usize {
        self.news_newest_first()
            .len()
            .div_ceil(self.config.news_per_page)
            .max(1)
    }

    /// Whether any event has pages: only then has the site event lists.
    pub fn has_events(&self) -> bool {
        self.items_of(Kind::Event)
            .any(|i| !i.translations.is_empty())
    }

    /// The events that have pages: upcoming ones (at the build time)
    /// soonest first, then past ones, latest first.
    pub fn events_in_order(&self) -> Vec<ItemId> {
        let now = self.config.now;
        let mut v: Vec<(
            bool,
            std::cmp::Reverse<jiff::Timestamp>,
            jiff::Timestamp,
            &str,
            ItemId,
        )> = self
            .items_of(Kind::Event)
            .filter(|i| !i.translations.is_empty())
            .filter_map(|i| match &i.facts {
                Facts::Event(e) => Some((
                    !e.upcoming(now),
                    std::cmp::Reverse(if e.upcoming(now) {
                        jiff::Timestamp::MIN
                    } else {
                        e.starts()
                    }),
                    if e.upcoming(now) {
                        e.starts()
                    } else {
                        jiff::Timestamp::MIN
                    },
                    i.key.as_str(),
                    i.id,
                )),
                _ => None,
            })
            .collect();
        v.sort();
        v.into_iter().map(|t| t.4).collect()
    }

    /// How many pages each language's event list has (at least one).
    pub fn events_pages(&self) -> usize {
        self.events_in_order()
            .len()
            .div_ceil(self.config.news_per_page)
            .max(1)
    }

    /// Where each content file's translation is: item and position.
    pub fn file_index(&self) -> &HashMap<std::path::PathBuf, (ItemId, usize)> {
        self.files.get_or_init(|| {
            self.items
                .iter()
                .flat_map(|i| {
                    i.translations
                        .iter()
                        .enumerate()
                        .map(move |(n, t)| (t.file.source.path.clone(), (i.id, n)))
                })
                .collect()
        })
    }

    /// News items, newest first.
    pub fn news_sorted(&self, ids: &[ItemId]) -> Vec<ItemId> {
        let mut v = ids.to_vec();
        v.sort_by(|a, b| {
            let (a, b) = (self.item(*a), self.item(*b));
            b.date().cmp(&a.date()).then_with(|| a.key.cmp(&b.key))
        });
        v
    }
}
