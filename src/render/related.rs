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
use crate::site::{ItemId, SpaFacts, TreatId};
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

        // How many of this spa's treatments each spa elsewhere offers,
        // bucketed by that count. A spa page asks this of a few treatments
        // whose lists may each hold a share of every spa on the site: a
        // count per item in a plain array (one byte each, zeroed per page)
        // is a few microseconds where a map from id to count was most of
        // a large site's build.
        let mut offered: Vec<TreatId> = f.treatments.clone();
        offered.sort_unstable();
        offered.dedup();
        let lists: Vec<&[ItemId]> = offered
            .iter()
            .map(|t| self.treatment(*t).spas.as_slice())
            .collect();
        let mut count = vec![0u8; self.site.items.len()];
        for id in lists.iter().copied().flatten() {
            count[id.0] = count[id.0].saturating_add(1);
        }
        for id in town.iter().chain([&this]) {
            count[id.0] = 0;
        }
        let mut by_count: Vec<Vec<ItemId>> = vec![Vec::new(); lists.len() + 1];
        for id in lists.iter().copied().flatten() {
            let n = std::mem::take(&mut count[id.0]);
            if n > 0 {
                // (A spa that names a treatment twice is in its list twice.)
                by_count[usize::from(n).min(lists.len())].push(*id);
            }
        }
        // Most treatments in common first; within a count, the order of
        // every list (weight, then title in the page language).
        let mut similar = Vec::new();
        for ids in by_count.iter().rev() {
            if similar.len() >= MAX_RELATED {
                break;
            }
            let room = MAX_RELATED - similar.len();
            similar.extend(self.first_item_links(
                ids.iter().map(|id| self.site.item(*id)),
                lang,
                room,
            ));
        }
        Related { nearby, similar }
    }
}
