//! Related spas on a spa's page, so that a reader who finds one place that
//! does not suit them has somewhere to go next: the other spas in the same
//! town, then the spas elsewhere that offer most of the same treatments.
//!
//! Both lists go through the recorded reads (`place`, `treatment`,
//! `item_links`), so `serve` renders a spa page again when a neighbour
//! arrives, leaves, or changes its treatments or its entry in lists.

use super::Renderer;
use super::context::ItemLink;
use crate::config::Lang;
use crate::site::{ItemId, SpaFacts};
use std::cmp::Reverse;
use std::collections::BTreeMap;
use std::sync::Arc;

/// At most this many spas in each list: a hint, not a second index.
const MAX_RELATED: usize = 6;

pub(super) struct Related {
    pub nearby: Vec<Arc<ItemLink>>,
    pub similar: Vec<Arc<ItemLink>>,
}

impl<'a> Renderer<'a> {
    pub(super) fn related_spas(&self, this: ItemId, f: &SpaFacts, lang: &Lang) -> Related {
        let town = &self.place(f.location).spas;
        let others = town.iter().filter(|id| **id != this);
        let mut nearby = self.item_links(others.map(|id| self.site.item(*id)), lang, false);
        nearby.truncate(MAX_RELATED);

        // How many of this spa's treatments each spa elsewhere offers.
        let mut shared: BTreeMap<ItemId, usize> = BTreeMap::new();
        for t in &f.treatments {
            for id in &self.treatment(*t).spas {
                if *id != this && !town.contains(id) {
                    *shared.entry(*id).or_default() += 1;
                }
            }
        }
        // Most treatments in common first; within a count, the order of
        // every list (weight, then title in the page language).
        let mut by_count: BTreeMap<Reverse<usize>, Vec<ItemId>> = BTreeMap::new();
        for (id, n) in shared {
            by_count.entry(Reverse(n)).or_default().push(id);
        }
        let mut similar = Vec::new();
        for ids in by_count.into_values() {
            if similar.len() >= MAX_RELATED {
                break;
            }
            similar.extend(self.item_links(ids.iter().map(|id| self.site.item(*id)), lang, false));
        }
        similar.truncate(MAX_RELATED);
        Related { nearby, similar }
    }
}
