//! What an edit changed, in the terms pages record what they read
//! (`render::deps`): the old and the new graph compared item by item.
//!
//! Items are compared under ids that survive rebuilds ([`Uid`]), since an
//! added or removed file shifts the graph's ids. Each comparison is of a
//! whole thing (a translation's text and body, the shared facts with their
//! derived `PartialEq`), so a field added to the model is compared without
//! anyone listing it here. The derived views (list entries, search
//! records) are compared by value after they are made again.

use crate::config::Lang;
use crate::content::{ContentFile, Kind};
use crate::render::Renderer;
use crate::render::deps::{Dep, LangIx};
use crate::render::entries::{Entries, Stored};
use crate::site::{Body, Item, ItemId, Site, Translation};
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

/// An item's name across rebuilds: one per (kind, key) for the life of a
/// `serve` session.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Uid(u32);

/// What pages read, with items named by [`Uid`].
pub type Key = Dep<Uid>;

/// Gives out [`Uid`]s.
#[derive(Default)]
pub struct Uids {
    by_kind: HashMap<Kind, HashMap<String, Uid>>,
    next: u32,
}

impl Uids {
    /// The uid of each item of `site`, by `ItemId`.
    pub fn of(&mut self, site: &Site) -> Vec<Uid> {
        site.items
            .iter()
            .map(|item| {
                let keys = self.by_kind.entry(item.kind).or_default();
                if let Some(uid) = keys.get(&item.key) {
                    return *uid;
                }
                let uid = Uid(self.next);
                self.next += 1;
                keys.insert(item.key.clone(), uid);
                uid
            })
            .collect()
    }
}

/// The two graphs of an edit, each with its uids. After a patch both are
/// the same graph and `replaced` holds the items as they were.
pub struct Edit<'a> {
    pub old: &'a Site,
    pub old_uids: &'a [Uid],
    pub new: &'a Site,
    pub new_uids: &'a [Uid],
    /// The same items under the same ids in both graphs.
    pub same_ids: bool,
    /// Set after a patch: the items it replaced, as they were.
    pub replaced: Option<&'a [Item]>,
}

/// What changed.
#[derive(Default)]
pub struct Changes {
    pub keys: HashSet<Key>,
    /// Items that changed in any way, whose list entries and search
    /// records must be made again: (old id, new id, uid).
    pub touched: Vec<(Option<ItemId>, Option<ItemId>, Uid)>,
}

impl Edit<'_> {
    /// Everything the edit changed, apart from the derived views (see
    /// [`Changes::compare_views`]).
    pub fn changes(&self) -> Changes {
        let mut out = Changes::default();
        match self.replaced {
            Some(replaced) => {
                for o in replaced {
                    self.compare(Some(o), Some(self.new.item(o.id)), &mut out);
                }
            }
            None => {
                self.compare_all_items(&mut out);
                self.compare_lists(&mut out);
            }
        }
        out
    }

    fn compare_all_items(&self, out: &mut Changes) {
        if self.same_ids {
            for (o, n) in self.old.items.iter().zip(&self.new.items) {
                self.compare(Some(o), Some(n), out);
            }
            return;
        }
        let old_of: HashMap<Uid, &Item> = self
            .old
            .items
            .iter()
            .map(|i| (self.old_uids[i.id.0], i))
            .collect();
        let mut seen = HashSet::new();
        for n in &self.new.items {
            let uid = self.new_uids[n.id.0];
            seen.insert(uid);
            self.compare(old_of.get(&uid).copied(), Some(n), out);
        }
        for o in &self.old.items {
            if !seen.contains(&self.old_uids[o.id.0]) {
                self.compare(Some(o), None, out);
            }
        }
    }

    /// One item before and after (`None`: it did not exist).
    fn compare(&self, o: Option<&Item>, n: Option<&Item>, out: &mut Changes) {
        let uid = match (o, n) {
            (_, Some(n)) => self.new_uids[n.id.0],
            (Some(o), None) => self.old_uids[o.id.0],
            (None, None) => return,
        };
        let before = out.keys.len();
        for (l, lang) in self.new.config.languages.iter().enumerate() {
            let (a, b) = (
                o.and_then(|i| i.translation_in(&lang.code)),
                n.and_then(|i| i.translation_in(&lang.code)),
            );
            if !same_translation(a, b) {
                out.keys.insert(Dep::Text(uid, LangIx(l as u16)));
            }
        }
        if o.map(pages) != n.map(pages) {
            out.keys.insert(Dep::Pages(uid));
        }
        if o.map(|i| self.facts(i, self.old_uids)) != n.map(|i| self.facts(i, self.new_uids)) {
            out.keys.insert(Dep::Facts(uid));
        }
        if o.map(|i| relations(i, self.old_uids)) != n.map(|i| relations(i, self.new_uids)) {
            out.keys.insert(Dep::Relations(uid));
        }
        if out.keys.len() > before {
            out.touched.push((o.map(|i| i.id), n.map(|i| i.id), uid));
        }
    }

    /// An item's shared facts with the items they name as uids.
    fn facts(&self, item: &Item, uids: &[Uid]) -> (Kind, i64, crate::site::Facts) {
        let facts = if self.same_ids {
            item.facts.clone()
        } else {
            item.facts.map_items(|id| ItemId(uids[id.0].0 as usize))
        };
        (item.kind, item.weight, facts)
    }

    /// The site-wide lists: which items each kind has and in what order,
    /// the items at each location, the home texts.
    fn compare_lists(&self, out: &mut Changes) {
        let place = |i: &Item, uids: &[Uid]| (uids[i.id.0], i.list_place());
        for kind in Kind::ITEMS {
            let old = self.old.items_of(kind).map(|i| place(i, self.old_uids));
            let new = self.new.items_of(kind).map(|i| place(i, self.new_uids));
            if !old.eq(new) {
                out.keys.insert(Dep::Kind(kind));
            }
        }
        let named =
            |ids: &[ItemId], uids: &[Uid]| ids.iter().map(|i| uids[i.0]).collect::<Vec<_>>();
        for (o, n) in self.old.locations.iter().zip(&self.new.locations) {
            let at = |l: &crate::site::Location, uids: &[Uid]| {
                (
                    named(&l.spas, uids),
                    named(&l.clusters, uids),
                    named(&l.news, uids),
                )
            };
            if at(o, self.old_uids) != at(n, self.new_uids) {
                out.keys.insert(Dep::Place(n.id));
            }
        }
        for (o, n) in self.old.treatments.iter().zip(&self.new.treatments) {
            if named(&o.spas, self.old_uids) != named(&n.spas, self.new_uids) {
                out.keys.insert(Dep::Treatment(n.id));
            }
        }
        for (l, lang) in self.new.config.languages.iter().enumerate() {
            let same = match (self.old.home(&lang.code), self.new.home(&lang.code)) {
                (None, None) => true,
                (Some(a), Some(b)) => {
                    a.title == b.title && same_text(&a.file, &a.body, &b.file, &b.body)
                }
                _ => false,
            };
            if !same {
                out.keys.insert(Dep::Home(LangIx(l as u16)));
            }
        }
    }
}

impl Changes {
    /// Takes the stored list entries and search records of the touched
    /// items out of `old` (the table as it was), to compare with new ones.
    pub fn take_views(&self, old: &mut Entries) -> Vec<Vec<Stored>> {
        self.touched
            .iter()
            .map(|(old_id, _, _)| old_id.map(|id| old.take(id)).unwrap_or_default())
            .collect()
    }

    /// Makes the views of the touched items again (by `r`, into its
    /// table) and notes those that differ from `before`. A view that was
    /// never made counts as changed: no page can have read it, so that
    /// costs nothing.
    pub fn compare_views(&mut self, r: &Renderer, before: Vec<Vec<Stored>>) {
        let langs: Vec<&Lang> = r.site.config.languages.iter().map(|l| &l.code).collect();
        for (&(_, new_id, uid), was) in self.touched.iter().zip(before) {
            let item = new_id.map(|id| r.site.item(id));
            for (l, lang) in langs.iter().enumerate() {
                let ix = LangIx(l as u16);
                let was = was.get(l);
                let link = item.and_then(|i| r.item_link(i, lang));
                if was.and_then(|w| w.link.clone()) != Some(link) {
                    self.keys.insert(Dep::Entry(uid, ix));
                }
                let search = item.and_then(|i| r.search_record(i, lang));
                if was.and_then(|w| w.search.clone()) != Some(search) {
                    self.keys.insert(Dep::Search(uid, ix));
                }
            }
        }
    }
}

/// The routes of an item's pages, with their aliases.
fn pages(item: &Item) -> Vec<(&Lang, &str, &[String])> {
    item.translations
        .iter()
        .map(|t| (&t.lang, t.path.as_str(), t.aliases.as_slice()))
        .collect()
}

/// A cluster's members and news, by uid.
fn relations(item: &Item, uids: &[Uid]) -> (Vec<Uid>, Vec<Uid>) {
    let named = |ids: &[ItemId]| ids.iter().map(|i| uids[i.0]).collect();
    (named(&item.members), named(&item.news))
}

fn same_translation(a: Option<&Translation>, b: Option<&Translation>) -> bool {
    match (a, b) {
        (None, None) => true,
        (Some(a), Some(b)) => same_text(&a.file, &a.body, &b.file, &b.body),
        _ => false,
    }
}

/// Whether two versions of a file read the same: everything a translation
/// holds is made from its file and its rendered body (where the links of
/// the body point). An unchanged file keeps its loaded text and, mostly,
/// its body: the pointers say so without reading them.
fn same_text(a: &ContentFile, a_body: &Arc<Body>, b: &ContentFile, b_body: &Arc<Body>) -> bool {
    a.source.shown == b.source.shown
        && (Arc::ptr_eq(&a.source, &b.source) || a.source.text == b.source.text)
        && (Arc::ptr_eq(a_body, b_body) || a_body.html == b_body.html)
}
