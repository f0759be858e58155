//! Which pages a content edit touches. The old and the new site graph are
//! compared item by item (source text, paths, titles, rendered bodies,
//! resolved references); each changed item brings its own pages in every
//! language, the pages that list or name it (its cluster's, its members',
//! its locations'), and the site-wide lists of its kind. Item ids may shift
//! between graphs, so items are matched by a stable key.

use crate::config::{Config, Lang};
use crate::content::Kind;
use crate::render::Job;
use crate::site::{Facts, Item, ItemId, LocId, Site, Translation};
use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

/// A stable name for an item across rebuilds: kind, key and first file.
pub fn item_key(item: &Item) -> String {
    let first = item
        .translations
        .first()
        .map(|t| t.file.source.shown.display().to_string());
    format!("{:?}/{}/{}", item.kind, item.key, first.unwrap_or_default())
}

/// A stable name for a job across rebuilds (ids replaced by keys).
pub fn job_key(site: &Site, job: &Job) -> String {
    match job {
        Job::ItemPage(id, l) => format!("item {} {l}", item_key(site.item(*id))),
        Job::Alias(id, l, a) => format!("alias {} {l} {a}", item_key(site.item(*id))),
        Job::LocationPage(id, l) => format!("location {} {l}", site.location(*id).record.slug),
        other => format!("{other:?}"),
    }
}

/// Whether the locations differ, which makes an incremental rebuild
/// pointless (every page shows location names).
pub fn locations_differ(old: &Site, new: &Site) -> bool {
    old.locations.len() != new.locations.len()
        || old
            .locations
            .iter()
            .zip(&new.locations)
            .any(|(a, b)| format!("{:?}", a.record) != format!("{:?}", b.record))
}

/// What an edit touched, in the new site's ids.
pub struct Plan {
    touched: Touched,
    homes_changed: bool,
    /// The items whose entries (`render::entries`) must be made again.
    pub items: Vec<ItemId>,
}

/// Whether `old` and `new` hold the same items under the same ids: true
/// after any edit that adds, removes or renames no file, and then items can
/// be compared by position instead of by key.
pub fn same_ids(old: &Site, new: &Site) -> bool {
    fn first(i: &Item) -> Option<&std::path::Path> {
        i.translations
            .first()
            .map(|t| t.file.source.shown.as_path())
    }
    old.items.len() == new.items.len()
        && old
            .items
            .iter()
            .zip(&new.items)
            .all(|(a, b)| a.kind == b.kind && a.key == b.key && first(a) == first(b))
}

/// What changed from `old` to `new` (same configuration, theme and
/// locations).
pub fn plan(old: &Site, new: &Site) -> Plan {
    let mut touched = Touched::default();
    if same_ids(old, new) {
        let same = |_: &Site, id: ItemId| Some(id);
        for (o, n) in old.items.iter().zip(&new.items) {
            let same_refs = references(o) == references(n);
            touched.compare(old, o, new, n, same_refs, &same);
        }
    } else {
        let new_ids: HashMap<String, ItemId> =
            new.items.iter().map(|i| (item_key(i), i.id)).collect();
        let to_new = |site: &Site, id: ItemId| new_ids.get(&item_key(site.item(id))).copied();
        let old_items: HashMap<String, &Item> =
            old.items.iter().map(|i| (item_key(i), i)).collect();
        let everywhere = Seen::everywhere(&new.config);
        for n in &new.items {
            match old_items.get(&item_key(n)) {
                Some(o) => {
                    let same_refs = keyed_references(old, o) == keyed_references(new, n);
                    touched.compare(old, o, new, n, same_refs, &to_new);
                }
                None => {
                    touched.add(new, n, &everywhere, &to_new);
                    touched.structure = true;
                }
            }
        }
        for (key, o) in &old_items {
            if !new_ids.contains_key(key) {
                touched.add(old, o, &everywhere, &to_new);
                touched.structure = true;
            }
        }
    }
    touched.counts |= touched.structure;
    Plan::new(touched, !same_homes(old, new))
}

/// What changed in `site` when `site::patch` replaced the items `replaced`
/// (as they were) with new ones under the same ids, pages and references.
pub fn plan_patch(site: &Site, replaced: &[Item]) -> Plan {
    let mut touched = Touched::default();
    let same = |_: &Site, id: ItemId| Some(id);
    for o in replaced {
        touched.compare(site, o, site, site.item(o.id), true, &same);
    }
    Plan::new(touched, false)
}

impl Plan {
    fn new(touched: Touched, homes_changed: bool) -> Plan {
        let items = touched.items.iter().copied().collect();
        Plan {
            touched,
            homes_changed,
            items,
        }
    }

    /// The jobs of `all` (`render::jobs` of the new site) to render again.
    pub fn jobs(&self, all: &[Job]) -> Vec<Job> {
        let touched = &self.touched;
        if touched.changed.is_empty() && !self.homes_changed {
            return Vec::new();
        }
        let listed = |k: Kind, l: &Lang| touched.listed.contains(&(k, l.clone()));
        let any_in = |set: &BTreeSet<(Kind, Lang)>, l: &Lang| set.iter().any(|(_, x)| x == l);
        all.iter()
            .filter(|job| match job {
                // Homes show clusters, news and the places (with counts).
                Job::Home(l) => {
                    self.homes_changed
                        || touched.counts
                        || listed(Kind::Cluster, l)
                        || listed(Kind::News, l)
                }
                Job::ItemPage(id, l) | Job::Alias(id, l, _) => {
                    touched.items.contains(id) || touched.related.contains(&(*id, l.clone()))
                }
                Job::LocationPage(id, l) => touched.locations.contains(&(*id, l.clone())),
                // The index holds every item's words.
                Job::SearchIndex(l) => any_in(&touched.changed, l),
                // The sitemap lists page paths only.
                Job::Sitemap => touched.structure,
                Job::ClusterIndex(l) => listed(Kind::Cluster, l),
                Job::SpaIndex(l) => listed(Kind::Spa, l),
                // Places with their number of spas.
                Job::LocationIndex(_) => touched.counts,
                Job::NewsList(l, _) => listed(Kind::News, l),
                // The feed holds each news item's whole text.
                Job::Feed(l) => touched.changed.contains(&(Kind::News, l.clone())),
                Job::Chooser | Job::NotFound | Job::Search(_) => false,
            })
            .cloned()
            .collect()
    }
}

/// Items and locations of the new site whose pages an edit touches.
/// Locations are the same in both sites (else the rebuild is full).
#[derive(Default)]
struct Touched {
    /// Kinds and languages where an item reads differently in any way.
    changed: BTreeSet<(Kind, Lang)>,
    /// Kinds and languages where an item shows differently in lists.
    listed: BTreeSet<(Kind, Lang)>,
    /// Items whose own pages change, in every language.
    items: BTreeSet<ItemId>,
    /// Pages of other items and of locations that show a changed item, in
    /// the languages where it shows differently.
    related: BTreeSet<(ItemId, Lang)>,
    locations: BTreeSet<(LocId, Lang)>,
    /// Items came, went, or changed their pages' paths or languages.
    structure: bool,
    /// The number of spas at a location may have changed (items came or
    /// went, or moved): the location index and the homes show it.
    counts: bool,
}

/// The languages whose readers see an item differently after an edit: in
/// any way (its pages, search records, feed entries), and in lists.
#[derive(Default)]
struct Seen {
    changed: Vec<Lang>,
    listed: Vec<Lang>,
}

impl Seen {
    fn everywhere(config: &Config) -> Seen {
        let all: Vec<Lang> = config.languages.iter().map(|l| l.code.clone()).collect();
        Seen {
            changed: all.clone(),
            listed: all,
        }
    }
}

impl Touched {
    /// `o` (an item of `old`) is `n` in `new`, naming the same clusters and
    /// locations (`same_refs`) or not: what readers see differently, if
    /// anything.
    fn compare(
        &mut self,
        old: &Site,
        o: &Item,
        new: &Site,
        n: &Item,
        same_refs: bool,
        to_new: &dyn Fn(&Site, ItemId) -> Option<ItemId>,
    ) {
        if same_refs && same_item(o, n) {
            return;
        }
        let seen = seen_differently(&new.config, o, n, same_refs);
        self.add(old, o, &seen, to_new);
        self.add(new, n, &seen, to_new);
        self.structure |= page_paths(o).ne(page_paths(n));
        self.counts |= !same_refs;
    }

    /// `item` changed in `site`: its own pages, and, in the languages where
    /// lists show it differently, the pages that show it. `to_new` turns
    /// an id of `site` into the new site's id of that item.
    fn add(
        &mut self,
        site: &Site,
        item: &Item,
        seen: &Seen,
        to_new: &dyn Fn(&Site, ItemId) -> Option<ItemId>,
    ) {
        if let Some(id) = to_new(site, item.id) {
            self.items.insert(id);
        }
        self.changed
            .extend(seen.changed.iter().map(|l| (item.kind, l.clone())));
        if seen.listed.is_empty() {
            return;
        }
        self.listed
            .extend(seen.listed.iter().map(|l| (item.kind, l.clone())));
        let (items, locations) = related(item, site);
        for lang in &seen.listed {
            for id in &items {
                if let Some(id) = to_new(site, *id) {
                    self.related.insert((id, lang.clone()));
                }
            }
            for l in &locations {
                self.locations.insert((*l, lang.clone()));
            }
        }
    }
}

/// The (language, path) of each page of an item, what the sitemap lists.
fn page_paths(item: &Item) -> impl Iterator<Item = (&crate::config::Lang, &str)> {
    item.translations.iter().map(|t| (&t.lang, t.path.as_str()))
}

/// Items and locations whose pages show `item` (ids of `site`).
fn related(item: &Item, site: &Site) -> (Vec<ItemId>, Vec<LocId>) {
    match &item.facts {
        Facts::Spa(f) => (vec![f.cluster], vec![f.location]),
        Facts::News(f) => (f.cluster.iter().copied().collect(), f.locations.clone()),
        Facts::Cluster(f) => {
            let items = item.members.iter().chain(&item.news).copied().collect();
            let mut locations = f.locations.clone();
            for l in &site.locations {
                if l.clusters.contains(&item.id) {
                    locations.push(l.id);
                }
            }
            (items, locations)
        }
        Facts::Page => (Vec::new(), Vec::new()),
    }
}

/// What an item's pages are made of, apart from other items' pages and
/// the clusters and locations it names.
fn same_item(a: &Item, b: &Item) -> bool {
    a.kind == b.kind
        && a.weight == b.weight
        && a.translations.len() == b.translations.len()
        && a.translations
            .iter()
            .zip(&b.translations)
            .all(|(x, y)| same_shown(x, y))
}

/// The same translation as lists show it: title, link, language, summary.
fn same_listed(x: &Translation, y: &Translation) -> bool {
    x.lang == y.lang
        && x.path == y.path
        && x.title == y.title
        && x.description == y.description
        && (Arc::ptr_eq(&x.body, &y.body) || x.body.summary == y.body.summary)
}

/// The same translation in every way its pages, search record and feed
/// entry show it.
fn same_shown(x: &Translation, y: &Translation) -> bool {
    same_listed(x, y)
        && x.updated == y.updated
        && x.aliases == y.aliases
        // An unchanged file keeps its loaded text and, mostly, its rendered
        // body: the pointers say so without reading them.
        && (Arc::ptr_eq(&x.body, &y.body) || x.body.html == y.body.html)
        && x.file.source.shown == y.file.source.shown
        && (Arc::ptr_eq(&x.file.source, &y.file.source)
            || x.file.source.text == y.file.source.text)
}

/// The languages whose readers see `a` and `b` differently. A reader of a
/// language sees the item's translation in that language, else its
/// fallback: an edit of the Estonian file of a spa written in English and
/// Estonian changes the Estonian lists only, an edit of the English one the
/// English lists and those of the languages that fall back to English.
/// Shared facts (the order of lists, place, kind, date, references) show in
/// every language.
fn seen_differently(config: &Config, a: &Item, b: &Item, same_refs: bool) -> Seen {
    let listed_facts = |i: &Item| match &i.facts {
        Facts::Spa(f) => (None, Some(f.location), f.kind),
        Facts::News(f) => (Some(f.date), None, None),
        Facts::Cluster(_) | Facts::Page => (None, None, None),
    };
    if !same_refs || a.kind != b.kind || a.weight != b.weight || listed_facts(a) != listed_facts(b)
    {
        return Seen::everywhere(config);
    }
    let mut seen = Seen::default();
    for lang in config.languages.iter().map(|l| &l.code) {
        let (listed, changed) = match (
            a.translation_for(config, lang),
            b.translation_for(config, lang),
        ) {
            (None, None) => (false, false),
            (Some(x), Some(y)) => {
                let listed = !same_listed(x, y);
                (listed, listed || !same_shown(x, y))
            }
            _ => (true, true),
        };
        if listed {
            seen.listed.push(lang.clone());
        }
        if changed {
            seen.changed.push(lang.clone());
        }
    }
    seen
}

/// The clusters and locations an item names itself, as ids (comparable
/// between sites with the same ids and locations).
fn references(item: &Item) -> (Vec<ItemId>, Vec<LocId>) {
    match &item.facts {
        Facts::Spa(f) => (vec![f.cluster], vec![f.location]),
        Facts::News(f) => (f.cluster.iter().copied().collect(), f.locations.clone()),
        Facts::Cluster(f) => (Vec::new(), f.locations.clone()),
        Facts::Page => (Vec::new(), Vec::new()),
    }
}

/// `references` with clusters as keys, comparable between any two sites.
fn keyed_references(site: &Site, item: &Item) -> (Vec<String>, Vec<LocId>) {
    let (items, locations) = references(item);
    (
        items
            .into_iter()
            .map(|id| item_key(site.item(id)))
            .collect(),
        locations,
    )
}

fn same_homes(a: &Site, b: &Site) -> bool {
    a.homes.len() == b.homes.len()
        && a.homes
            .iter()
            .zip(&b.homes)
            .all(|(x, y)| x.lang == y.lang && x.title == y.title && x.body.html == y.body.html)
}
