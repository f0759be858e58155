//! Which pages a content edit touches. The old and the new site graph are
//! compared item by item (source text, paths, titles, rendered bodies,
//! resolved references); each changed item brings its own pages in every
//! language, the pages that list or name it (its cluster's, its members',
//! its locations'), and the site-wide lists of its kind. Item ids may shift
//! between graphs, so items are matched by a stable key.

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
            if !same_item(o, n) || !same_refs {
                let listed = !same_refs || !same_listing(o, n);
                touched.add(old, o, listed, &same);
                touched.add(new, n, listed, &same);
                touched.structure |= page_paths(o).ne(page_paths(n));
            }
        }
    } else {
        let new_ids: HashMap<String, ItemId> =
            new.items.iter().map(|i| (item_key(i), i.id)).collect();
        let to_new = |site: &Site, id: ItemId| new_ids.get(&item_key(site.item(id))).copied();
        let old_items: HashMap<String, &Item> =
            old.items.iter().map(|i| (item_key(i), i)).collect();
        for n in &new.items {
            match old_items.get(&item_key(n)) {
                Some(o) => {
                    let same_refs = keyed_references(old, o) == keyed_references(new, n);
                    if !same_item(o, n) || !same_refs {
                        let listed = !same_refs || !same_listing(o, n);
                        touched.add(old, o, listed, &to_new);
                        touched.add(new, n, listed, &to_new);
                        touched.structure |= page_paths(o).ne(page_paths(n));
                    }
                }
                None => {
                    touched.add(new, n, true, &to_new);
                    touched.structure = true;
                }
            }
        }
        for (key, o) in &old_items {
            if !new_ids.contains_key(key) {
                touched.add(old, o, true, &to_new);
                touched.structure = true;
            }
        }
    }
    Plan::new(touched, !same_homes(old, new))
}

/// What changed in `site` when `site::patch` replaced the items `replaced`
/// (as they were) with new ones under the same ids, pages and references.
pub fn plan_patch(site: &Site, replaced: &[Item]) -> Plan {
    let mut touched = Touched::default();
    let same = |_: &Site, id: ItemId| Some(id);
    for o in replaced {
        let n = site.item(o.id);
        if !same_item(o, n) {
            let listed = !same_listing(o, n);
            touched.add(site, o, listed, &same);
            touched.add(site, n, listed, &same);
        }
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
        let listed = |k: Kind| touched.listed.contains(&k);
        all.iter()
            .filter(|job| match job {
                Job::Home(_) => self.homes_changed || !touched.listed.is_empty(),
                Job::ItemPage(id, _) | Job::Alias(id, _, _) => touched.items.contains(id),
                Job::LocationPage(id, _) => touched.locations.contains(id),
                // The index holds every item's words.
                Job::SearchIndex(_) => !touched.changed.is_empty(),
                // The sitemap lists page paths only.
                Job::Sitemap => touched.structure,
                Job::ClusterIndex(_) => listed(Kind::Cluster),
                Job::SpaIndex(_) | Job::LocationIndex(_) => listed(Kind::Spa),
                Job::NewsList(_, _) => listed(Kind::News),
                // The feed holds each news item's whole text.
                Job::Feed(_) => touched.changed.contains(&Kind::News),
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
    /// Kinds with an item that changed in any way.
    changed: BTreeSet<Kind>,
    /// Kinds with an item that changed as other pages show it.
    listed: BTreeSet<Kind>,
    items: BTreeSet<ItemId>,
    locations: BTreeSet<LocId>,
    /// Items came, went, or changed their pages' paths or languages.
    structure: bool,
}

impl Touched {
    /// `item` changed in `site`: its own pages, and, when it changed as
    /// lists show it (`listed`), the pages that show it. `to_new` turns an
    /// id of `site` into the new site's id of that item.
    fn add(
        &mut self,
        site: &Site,
        item: &Item,
        listed: bool,
        to_new: &dyn Fn(&Site, ItemId) -> Option<ItemId>,
    ) {
        self.changed.insert(item.kind);
        if let Some(id) = to_new(site, item.id) {
            self.items.insert(id);
        }
        if !listed {
            return;
        }
        self.listed.insert(item.kind);
        let (items, locations) = related(item, site);
        for id in items {
            if let Some(id) = to_new(site, id) {
                self.items.insert(id);
            }
        }
        self.locations.extend(locations);
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
        && same_translations(a, b, |x, y| {
            x.updated == y.updated
                && x.aliases == y.aliases
                // An unchanged file keeps its loaded text and, mostly, its
                // rendered body: the pointers say so without reading them.
                && (Arc::ptr_eq(&x.body, &y.body) || x.body.html == y.body.html)
                && x.file.source.shown == y.file.source.shown
                && (Arc::ptr_eq(&x.file.source, &y.file.source)
                    || x.file.source.text == y.file.source.text)
        })
}

/// Whether `a` and `b` look the same where other pages show them: in lists
/// (title, link, fallback language, summary, date, place, kind), in the
/// order of lists (weight, date) and in JSON-LD item lists. An edit of the
/// text below a spa's first paragraph changes its own pages and the search
/// index, not the spa index that lists it.
fn same_listing(a: &Item, b: &Item) -> bool {
    let listed_facts = |i: &Item| match &i.facts {
        Facts::Spa(f) => (None, Some(f.location), f.kind),
        Facts::News(f) => (Some(f.date), None, None),
        Facts::Cluster(_) | Facts::Page => (None, None, None),
    };
    listed_facts(a) == listed_facts(b)
        && same_translations(a, b, |x, y| {
            Arc::ptr_eq(&x.body, &y.body) || x.body.summary == y.body.summary
        })
}

/// The same weight, and translations in the same languages with the same
/// paths, titles and descriptions, of which each pair also passes `more`.
fn same_translations(
    a: &Item,
    b: &Item,
    more: impl Fn(&Translation, &Translation) -> bool,
) -> bool {
    a.weight == b.weight
        && a.translations.len() == b.translations.len()
        && a.translations.iter().zip(&b.translations).all(|(x, y)| {
            x.lang == y.lang
                && x.path == y.path
                && x.title == y.title
                && x.description == y.description
                && more(x, y)
        })
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
