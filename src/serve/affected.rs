//! Which pages a content edit touches. The old and the new site graph are
//! compared item by item (source text, paths, titles, rendered bodies,
//! resolved references); each changed item brings its own pages in every
//! language, the pages that list or name it (its cluster's, its members',
//! its locations'), and the site-wide lists of its kind. Item ids may shift
//! between graphs, so items are matched by a stable key.

use crate::content::Kind;
use crate::render::Job;
use crate::site::{Facts, Item, Site};
use std::collections::{BTreeSet, HashMap};

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

/// The jobs of `new` to render again after the content changed from `old`
/// (same configuration, theme and locations). `all` is `render::jobs(new)`.
pub fn jobs(old: &Site, new: &Site, all: &[Job]) -> Vec<Job> {
    let old_items: HashMap<String, &Item> = old.items.iter().map(|i| (item_key(i), i)).collect();
    let new_items: HashMap<String, &Item> = new.items.iter().map(|i| (item_key(i), i)).collect();
    let mut touched = Touched::default();
    for (key, n) in &new_items {
        match old_items.get(key) {
            Some(o) if same_item(old, o, new, n) => {}
            Some(o) => {
                touched.add(old, o);
                touched.add(new, n);
                touched.structure |= page_paths(o).ne(page_paths(n));
            }
            None => {
                touched.add(new, n);
                touched.structure = true;
            }
        }
    }
    for (key, o) in &old_items {
        if !new_items.contains_key(key) {
            touched.add(old, o);
            touched.structure = true;
        }
    }
    let homes_changed = !same_homes(old, new);
    if touched.kinds.is_empty() && !homes_changed {
        return Vec::new();
    }

    let any = !touched.kinds.is_empty();
    let has = |k: Kind| touched.kinds.contains(&k);
    all.iter()
        .filter(|job| match job {
            Job::Home(_) => true,
            Job::ItemPage(id, _) | Job::Alias(id, _, _) => {
                touched.items.contains(&item_key(new.item(*id)))
            }
            Job::LocationPage(id, _) => touched.locations.contains(&new.location(*id).record.slug),
            Job::SearchIndex(_) => any,
            // The sitemap lists page paths only.
            Job::Sitemap => touched.structure,
            Job::ClusterIndex(_) => has(Kind::Cluster),
            Job::SpaIndex(_) | Job::LocationIndex(_) => has(Kind::Spa),
            Job::NewsList(_, _) | Job::Feed(_) => has(Kind::News),
            Job::Chooser | Job::NotFound | Job::Search(_) => false,
        })
        .cloned()
        .collect()
}

#[derive(Default)]
struct Touched {
    kinds: BTreeSet<Kind>,
    items: BTreeSet<String>,
    locations: BTreeSet<String>,
    /// Items came, went, or changed their pages' paths or languages.
    structure: bool,
}

impl Touched {
    /// `item` changed in `site`: it, and everything whose pages show it.
    fn add(&mut self, site: &Site, item: &Item) {
        self.kinds.insert(item.kind);
        self.items.insert(item_key(item));
        let (items, locations) = related(site, item);
        self.items.extend(items);
        self.locations.extend(locations);
    }
}

/// The (language, path) of each page of an item, what the sitemap lists.
fn page_paths(item: &Item) -> impl Iterator<Item = (&crate::config::Lang, &str)> {
    item.translations.iter().map(|t| (&t.lang, t.path.as_str()))
}

/// Item keys and location slugs of the pages that show `item`.
fn related(site: &Site, item: &Item) -> (Vec<String>, Vec<String>) {
    let key = |id: &crate::site::ItemId| item_key(site.item(*id));
    let slug = |id: &crate::site::LocId| site.location(*id).record.slug.clone();
    match &item.facts {
        Facts::Spa(f) => (vec![key(&f.cluster)], vec![slug(&f.location)]),
        Facts::News(f) => (
            f.cluster.iter().map(key).collect(),
            f.locations.iter().map(slug).collect(),
        ),
        Facts::Cluster(f) => {
            let items = item.members.iter().chain(&item.news).map(key).collect();
            let mut locations: Vec<String> = f.locations.iter().map(slug).collect();
            for l in &site.locations {
                if l.clusters.contains(&item.id) {
                    locations.push(l.record.slug.clone());
                }
            }
            (items, locations)
        }
        Facts::Page => (Vec::new(), Vec::new()),
    }
}

/// What an item's pages are made of, apart from other items' pages.
fn same_item(a_site: &Site, a: &Item, b_site: &Site, b: &Item) -> bool {
    a.kind == b.kind
        && a.weight == b.weight
        && a.translations.len() == b.translations.len()
        && a.translations.iter().zip(&b.translations).all(|(x, y)| {
            x.lang == y.lang
                && x.path == y.path
                && x.title == y.title
                && x.description == y.description
                && x.updated == y.updated
                && x.aliases == y.aliases
                && x.body.html == y.body.html
                && x.file.source.shown == y.file.source.shown
                && x.file.source.text == y.file.source.text
        })
        && references(a_site, a) == references(b_site, b)
}

/// The clusters and locations an item names itself, as keys and slugs.
fn references(site: &Site, item: &Item) -> (Vec<String>, Vec<String>) {
    let key = |id: &crate::site::ItemId| item_key(site.item(*id));
    let slug = |id: &crate::site::LocId| site.location(*id).record.slug.clone();
    match &item.facts {
        Facts::Spa(f) => (vec![key(&f.cluster)], vec![slug(&f.location)]),
        Facts::News(f) => (
            f.cluster.iter().map(key).collect(),
            f.locations.iter().map(slug).collect(),
        ),
        Facts::Cluster(f) => (Vec::new(), f.locations.iter().map(slug).collect()),
        Facts::Page => (Vec::new(), Vec::new()),
    }
}

fn same_homes(a: &Site, b: &Site) -> bool {
    a.homes.len() == b.homes.len()
        && a.homes
            .iter()
            .zip(&b.homes)
            .all(|(x, y)| x.lang == y.lang && x.title == y.title && x.body.html == y.body.html)
}
