//! What `serve` keeps of each page between rebuilds: its route, which job
//! of the current list makes it, and what it read; and the other way
//! round, which pages read each thing, so that an edit's changes lead
//! straight to the pages to render again.

use super::changes::Key;
use crate::route::Route;
use std::collections::{HashMap, HashSet};

struct Page {
    /// Its index in the builder's current job list.
    job: usize,
    reads: Vec<Key>,
}

#[derive(Default)]
pub struct Kept {
    slots: HashMap<Route, usize>,
    pages: Vec<Option<Page>>,
    readers: HashMap<Key, Vec<usize>>,
}

impl Kept {
    /// Records that `route`, made by job `job`, read `reads` (sorted, no
    /// repeats), replacing what it read before.
    pub fn record(&mut self, route: Route, job: usize, reads: Vec<Key>) {
        let slot = match self.slots.get(&route) {
            Some(&s) => s,
            None => {
                self.pages.push(None);
                self.slots.insert(route.clone(), self.pages.len() - 1);
                self.pages.len() - 1
            }
        };
        let before = self.pages[slot].take().map(|p| p.reads).unwrap_or_default();
        // Most pages read the same things after an edit as before.
        if before == reads {
            self.pages[slot] = Some(Page { job, reads });
            return;
        }
        // Otherwise only the difference touches the reverse index.
        for key in before.iter().filter(|k| reads.binary_search(k).is_err()) {
            if let Some(v) = self.readers.get_mut(key) {
                v.retain(|s| *s != slot);
            }
        }
        for key in reads.iter().filter(|k| before.binary_search(k).is_err()) {
            self.readers.entry(*key).or_default().push(slot);
        }
        self.pages[slot] = Some(Page { job, reads });
    }

    /// Forgets a page that is gone.
    pub fn remove(&mut self, route: &Route) {
        let Some(slot) = self.slots.remove(route) else {
            return;
        };
        if let Some(page) = self.pages[slot].take() {
            for key in &page.reads {
                if let Some(v) = self.readers.get_mut(key) {
                    v.retain(|s| *s != slot);
                }
            }
        }
    }

    pub fn contains(&self, route: &Route) -> bool {
        self.slots.contains_key(route)
    }

    /// Which job makes `route` now (after the job list changed).
    pub fn set_job(&mut self, route: &Route, job: usize) {
        if let Some(page) = self.slots.get(route).and_then(|&s| self.pages[s].as_mut()) {
            page.job = job;
        }
    }

    pub fn routes(&self) -> impl Iterator<Item = &Route> {
        self.slots.keys()
    }

    /// The jobs of the pages that read any of `keys`, in job order.
    pub fn readers_of(&self, keys: &HashSet<Key>) -> Vec<usize> {
        let mut jobs: Vec<usize> = keys
            .iter()
            .filter_map(|k| self.readers.get(k))
            .flatten()
            .filter_map(|&s| self.pages[s].as_ref().map(|p| p.job))
            .collect();
        jobs.sort_unstable();
        jobs.dedup();
        jobs
    }
}
