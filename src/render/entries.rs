//! Each item as other pages show it, made once per language: its link (title,
//! URL, fallback language, summary, date, place), the HTML of its entry in
//! lists (`templates/list_item.html`) and its record in the search index.
//!
//! A spa appears on the spa index, its location's page and its cluster's
//! page, in every language, and in the search index: without this table
//! its entry would be made once per page. `serve` keeps the table between
//! rebuilds and forgets only the items an edit touched, so the site-wide
//! lists of a big site are spliced from stored entries instead of being
//! rendered again.

use super::Renderer;
use super::context::ItemLink;
use super::deps::Dep;
use crate::config::Lang;
use crate::diagnostic::Diagnostic;
use crate::site::{Item, ItemId, Site};
use std::sync::{Arc, Mutex, OnceLock};

/// One slot per (item, language), filled on first use; safe to share
/// between the threads that render pages.
pub struct Entries {
    langs: Vec<Lang>,
    slots: Vec<Slot>,
    /// Whether search records are kept: a build writes each once, so only
    /// `serve`, which writes them again after edits, keeps them.
    keep_search: bool,
    /// Errors of `list_item.html`, reported once each after rendering.
    errors: Mutex<Vec<Diagnostic>>,
}

/// What a slot held: `None` where nothing was made yet.
pub struct Stored {
    pub link: Option<Option<Arc<ItemLink>>>,
    pub search: Option<Option<Arc<str>>>,
}

#[derive(Default)]
struct Slot {
    link: OnceLock<Option<Arc<ItemLink>>>,
    search: OnceLock<Option<Arc<str>>>,
}

impl Entries {
    /// An empty table for the items and languages of `site`, for one build.
    pub fn new(site: &Site) -> Entries {
        Entries::with_search(site, false)
    }

    /// An empty table that also keeps search records, for `serve`.
    pub fn keeping_search(site: &Site) -> Entries {
        Entries::with_search(site, true)
    }

    fn with_search(site: &Site, keep_search: bool) -> Entries {
        let langs: Vec<Lang> = site
            .config
            .languages
            .iter()
            .map(|l| l.code.clone())
            .collect();
        let mut slots = Vec::new();
        slots.resize_with(site.items.len() * langs.len(), Slot::default);
        Entries {
            langs,
            slots,
            keep_search,
            errors: Mutex::new(Vec::new()),
        }
    }

    /// Whether this table can serve `site`: the same items under the same
    /// ids, in the same languages. Entries of items that changed must still
    /// be forgotten.
    pub fn fits(&self, site: &Site) -> bool {
        self.slots.len() == site.items.len() * self.langs.len()
            && site
                .config
                .languages
                .iter()
                .map(|l| &l.code)
                .eq(self.langs.iter())
    }

    /// Drops what is stored for `id`, to be made again from the new graph.
    pub fn forget(&mut self, id: ItemId) {
        let n = self.langs.len();
        if let Some(slots) = self.slots.get_mut(id.0 * n..(id.0 + 1) * n) {
            for s in slots {
                *s = Slot::default();
            }
        }
    }

    /// Takes out what is stored for `id` in each language (in the
    /// site's language order), leaving its slots empty: `serve` compares
    /// the old entries of an edited item with the new ones.
    pub fn take(&mut self, id: ItemId) -> Vec<Stored> {
        let n = self.langs.len();
        match self.slots.get_mut(id.0 * n..(id.0 + 1) * n) {
            Some(slots) => slots
                .iter_mut()
                .map(|s| Stored {
                    link: s.link.take(),
                    search: s.search.take(),
                })
                .collect(),
            None => Vec::new(),
        }
    }

    /// Moves what `old` stores for `old_id` into this table's slots of
    /// `id`: an item unchanged by an edit that shifted the ids.
    pub fn adopt(&mut self, id: ItemId, old: &mut Entries, old_id: ItemId) {
        let n = self.langs.len();
        for (l, stored) in old.take(old_id).into_iter().enumerate() {
            if let Some(slot) = self.slots.get_mut(id.0 * n + l) {
                if let Some(link) = stored.link {
                    let _ = slot.link.set(link);
                }
                if let Some(search) = stored.search {
                    let _ = slot.search.set(search);
                }
            }
        }
    }

    /// The errors met while making entries since the last call.
    pub fn take_errors(&self) -> Vec<Diagnostic> {
        std::mem::take(&mut *self.errors.lock().unwrap_or_else(|e| e.into_inner()))
    }

    fn slot(&self, id: ItemId, lang: &Lang) -> Option<&Slot> {
        let l = self.langs.iter().position(|x| x == lang)?;
        self.slots.get(id.0 * self.langs.len() + l)
    }
}

impl Renderer<'_> {
    /// A list entry for `item` as seen by a reader of `lang`, or `None` if
    /// it has no translation at all.
    pub fn item_link(&self, item: &Item, lang: &Lang) -> Option<Arc<ItemLink>> {
        self.read(Dep::Entry(item.id, self.lang_ix(lang)));
        match self.entries.slot(item.id, lang) {
            Some(slot) => slot
                .link
                .get_or_init(|| self.make_item_link(item, lang))
                .clone(),
            None => self.make_item_link(item, lang),
        }
    }

    /// `item`'s record in `lang`'s search index, as JSON.
    pub fn search_record(&self, item: &Item, lang: &Lang) -> Option<Arc<str>> {
        self.read(Dep::Search(item.id, self.lang_ix(lang)));
        match self.entries.slot(item.id, lang) {
            Some(slot) if self.entries.keep_search => slot
                .search
                .get_or_init(|| super::search::record(self, item, lang))
                .clone(),
            _ => super::search::record(self, item, lang),
        }
    }

    fn make_item_link(&self, item: &Item, lang: &Lang) -> Option<Arc<ItemLink>> {
        let mut link = self.link_facts(item, lang)?;
        if let Some(html) = self.list_item_html(&link, lang, false) {
            link.html = html.into();
            // Lists under a town heading show the entry without its town
            // (a template that fails once is reported once).
            if link.location.is_some() {
                link.html_in_town = self.list_item_html(&link, lang, true).map(Into::into);
            }
        }
        Some(Arc::new(link))
    }

    /// `list_item.html` for `link`; `None` after noting its error.
    fn list_item_html(&self, link: &ItemLink, lang: &Lang, in_town: bool) -> Option<String> {
        const TEMPLATE: &str = "list_item.html";
        let context =
            serde_json::json!({ "item": link, "lang": lang.as_str(), "in_town": in_town });
        let made = self
            .theme
            .with_context(self.theme.strings(lang), context, |c| {
                self.render_tera(TEMPLATE, lang, c)
            })
            .map_err(|e| {
                Diagnostic::error(format!("cannot build the context of a list entry: {e}"))
            })
            .and_then(|r| r.map_err(|e| self.theme.render_error(e, TEMPLATE)));
        made.map_err(|d| {
            self.entries
                .errors
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push(d)
        })
        .ok()
    }
}
