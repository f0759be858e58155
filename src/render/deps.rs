//! What a page read while it rendered. `serve` keeps these records and,
//! after an edit, renders again exactly the pages that read something the
//! edit changed; nothing outside the renderer lists which page shows what.
//!
//! The records are coarse where a page reads a thing whole (one
//! translation's text, an item's shared facts) and fine where many pages
//! read a small, derived view of an item: its entry in lists and its search
//! record are compared by value, so a field that a template newly shows in
//! lists is covered without anyone saying so. The configuration, theme and
//! locations are not recorded: a change to any of them renders everything.
//! So are the treatments' names and categories (`content/treatments.toml`);
//! which spas offer a treatment is recorded ([`Dep::Treatment`]).

use crate::config::Lang;
use crate::content::Kind;
use crate::site::{ItemId, LocId, Site, TreatId};
use std::sync::Mutex;

/// A language by its position in `site.toml`'s list: small and `Copy`,
/// for records that are made by the hundred thousand.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LangIx(pub u16);

impl LangIx {
    pub fn of(site: &Site, lang: &Lang) -> LangIx {
        let n = site
            .config
            .languages
            .iter()
            .position(|l| &l.code == lang)
            .unwrap_or(usize::from(u16::MAX));
        LangIx(n as u16)
    }
}

/// One thing a page read. `I` names an item: the graph's [`ItemId`] while
/// rendering; `serve` keeps records under ids that survive rebuilds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Dep<I = ItemId> {
    /// One translation as its own page shows it: its file and rendered body.
    Text(I, LangIx),
    /// Which pages an item has: its translations' routes and aliases.
    Pages(I),
    /// Its shared facts and its place in lists: kind, weight, dates,
    /// references to clusters and locations.
    Facts(I),
    /// The items that name it: a cluster's members and news.
    Relations(I),
    /// How lists in a language show it: the entry table's link and HTML.
    Entry(I, LangIx),
    /// Its record in a language's search index.
    Search(I, LangIx),
    /// Which items of a kind the site has.
    Kind(Kind),
    /// The spas, clusters and news at a location.
    Place(LocId),
    /// The home text of a language.
    Home(LangIx),
    /// The spas that offer a treatment.
    Treatment(TreatId),
    /// A data file a template loaded (`load_data`), by a hash of its path
    /// relative to the site.
    Data(u64),
}

impl<I: Copy> Dep<I> {
    /// The same record with its item named another way.
    pub fn map<J>(self, f: impl Fn(I) -> J) -> Dep<J> {
        match self {
            Dep::Text(i, l) => Dep::Text(f(i), l),
            Dep::Pages(i) => Dep::Pages(f(i)),
            Dep::Facts(i) => Dep::Facts(f(i)),
            Dep::Relations(i) => Dep::Relations(f(i)),
            Dep::Entry(i, l) => Dep::Entry(f(i), l),
            Dep::Search(i, l) => Dep::Search(f(i), l),
            Dep::Kind(k) => Dep::Kind(k),
            Dep::Place(p) => Dep::Place(p),
            Dep::Home(l) => Dep::Home(l),
            Dep::Treatment(t) => Dep::Treatment(t),
            Dep::Data(d) => Dep::Data(d),
        }
    }
}

/// The records of one page. A page renders on one thread, so the lock is
/// never contended; it only makes the renderer shareable between threads.
#[derive(Default)]
pub struct Recorder(Mutex<Vec<Dep>>);

impl Recorder {
    pub fn push(&self, dep: Dep) {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).push(dep);
    }

    /// The records, sorted and without repeats.
    pub fn finish(self) -> Vec<Dep> {
        let mut v = self.0.into_inner().unwrap_or_else(|e| e.into_inner());
        v.sort_unstable();
        v.dedup();
        v
    }
}

/// Reads of the graph that pages record. Pages go through these (and
/// `item_link`, `search_record`) instead of the graph's own methods where
/// what they read can change with an edit.
impl<'a> super::Renderer<'a> {
    /// The items of `kind`, in the graph's order.
    pub fn items_of(&self, kind: Kind) -> impl Iterator<Item = &'a crate::site::Item> + use<'a> {
        self.read(Dep::Kind(kind));
        let site: &'a Site = self.site;
        site.items_of(kind)
    }

    /// The news items that have pages, newest first.
    pub fn news_newest_first(&self) -> &'a [ItemId] {
        self.read(Dep::Kind(Kind::News));
        let site: &'a Site = self.site;
        site.news_newest_first()
    }

    /// How many pages each news list has.
    pub fn news_pages(&self) -> usize {
        self.read(Dep::Kind(Kind::News));
        self.site.news_pages()
    }

    /// `ids` newest first.
    pub fn news_sorted(&self, ids: &[ItemId]) -> Vec<ItemId> {
        for id in ids {
            self.read(Dep::Facts(*id));
        }
        self.site.news_sorted(ids)
    }

    /// The translation a reader of `lang` is shown, read whole: which one
    /// it is depends on which translations the item has.
    pub fn translation_for(
        &self,
        item: &'a crate::site::Item,
        lang: &Lang,
    ) -> Option<&'a crate::site::Translation> {
        self.read(Dep::Pages(item.id));
        let t = item.translation_for(&self.site.config, lang)?;
        self.read(Dep::Text(item.id, self.lang_ix(&t.lang)));
        Some(t)
    }

    /// An item's shared facts.
    pub fn facts(&self, item: &'a crate::site::Item) -> &'a crate::site::Facts {
        self.read(Dep::Facts(item.id));
        &item.facts
    }

    /// The home text of `lang`, if it has one.
    pub fn home_text(&self, lang: &Lang) -> Option<&'a crate::site::Home> {
        self.read(Dep::Home(self.lang_ix(lang)));
        let site: &'a Site = self.site;
        site.home(lang)
    }

    /// A treatment with the spas that offer it.
    pub fn treatment(&self, id: TreatId) -> &'a crate::site::Treatment {
        self.read(Dep::Treatment(id));
        let site: &'a Site = self.site;
        site.treatment(id)
    }

    /// A location with the items there.
    pub fn place(&self, id: LocId) -> &'a crate::site::Location {
        self.read(Dep::Place(id));
        let site: &'a Site = self.site;
        site.location(id)
    }
}
