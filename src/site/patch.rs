//! An edit of existing content files applied to a built site in place: what
//! `serve` does after the usual save of one file, instead of joining all
//! files into a new graph (tens of milliseconds on a 10,000-file site).
//!
//! The patch covers edits that keep the site's shape: the same files, each
//! still part of the same item, every page at the same path, the same
//! clusters and locations named, the same news dates and weights. Anything
//! else, and any diagnostic at all, returns `None` without changing the
//! site, and the caller builds the graph anew (which reports the problems).
//! So a patched site is always the site `build` would make from the same
//! files; `serve`'s incremental tests compare the two after every edit.

use super::graph::{check_anchors, make_item, render_body};
use super::{Facts, Item, ItemId, Site};
use crate::content::ContentFile;
use crate::diagnostic::Diagnostics;
use std::collections::BTreeMap;
use std::sync::Arc;

/// Replaces the files `changed` (newly loaded, each without diagnostics) in
/// `site`. Returns the replaced items as they were, or `None` when the
/// edit does not fit a patch; the site is then unchanged.
pub fn patch(
    site: &mut Site,
    changed: Vec<Arc<ContentFile>>,
    opts: super::BuildOptions,
) -> Option<Vec<Item>> {
    let mut by_item: BTreeMap<ItemId, Vec<Arc<ContentFile>>> = BTreeMap::new();
    for file in changed {
        let &(id, t) = site.file_index().get(&file.source.path)?;
        let old = &site.item(id).translations[t].file;
        let same_place = file.kind == old.kind
            && file.key == old.key
            && file.lang == old.lang
            && file.front.common().translation_key == old.front.common().translation_key
            && (opts.drafts || !file.front.common().draft)
            // The item was built: it stays so while its schedule is as it was.
            && file.front.common().publish_date == old.front.common().publish_date
            && file.front.common().expires == old.front.common().expires;
        if !same_place {
            return None;
        }
        by_item.entry(id).or_default().push(file);
    }

    let diags = Diagnostics::new();
    let mut new_items = Vec::with_capacity(by_item.len());
    for (id, changed) in by_item {
        let old = site.item(id);
        let files: Vec<Arc<ContentFile>> = old
            .translations
            .iter()
            .map(|t| {
                changed
                    .iter()
                    .find(|f| f.source.path == t.file.source.path)
                    .unwrap_or(&t.file)
                    .clone()
            })
            .collect();
        let mut item = make_item(site, id, old.kind, old.key.clone(), files, &diags);
        if diags.has_any() || !same_shape(old, &item) {
            return None;
        }
        for (new, was) in item.translations.iter_mut().zip(&old.translations) {
            new.body = if Arc::ptr_eq(&new.file.source, &was.file.source) {
                Arc::clone(&was.body)
            } else {
                render_body(site, &new.file, &diags)
            };
        }
        if diags.has_any() {
            return None;
        }
        item.members = old.members.clone();
        item.news = old.news.clone();
        new_items.push(item);
    }

    let mut olds: Vec<Item> = new_items
        .into_iter()
        .map(|item| {
            let id = item.id;
            std::mem::replace(&mut site.items[id.0], item)
        })
        .collect();
    // Links elsewhere may point at anchors the edit removed.
    check_anchors(site, &diags);
    if diags.has_any() {
        for old in olds.drain(..) {
            let id = old.id;
            site.items[id.0] = old;
        }
        return None;
    }
    Some(olds)
}

/// Whether `new` keeps everything of `old` that other items' pages, the
/// page paths, the link table or the order of lists depend on.
fn same_shape(old: &Item, new: &Item) -> bool {
    let pages = |i: &Item| -> Vec<(String, String, Vec<String>)> {
        i.translations
            .iter()
            .map(|t| (t.lang.to_string(), t.path.clone(), t.aliases.clone()))
            .collect()
    };
    let relations = |i: &Item| match &i.facts {
        Facts::Spa(f) => (vec![f.cluster], vec![f.location], None),
        Facts::News(f) => (
            f.cluster.iter().copied().collect(),
            f.locations.clone(),
            Some(f.date),
        ),
        Facts::Cluster(f) => (Vec::new(), f.locations.clone(), None),
        Facts::Event(f) => (
            f.organiser.iter().copied().collect(),
            f.location.iter().copied().collect(),
            Some(f.start_moment()),
        ),
        Facts::Page => (Vec::new(), Vec::new(), None),
    };
    // The treatment pages list the spas that offer each treatment.
    let treatments = |i: &Item| match &i.facts {
        Facts::Spa(f) => f.treatments.clone(),
        _ => Vec::new(),
    };
    // A spa whose facts could not be made would be dropped from the site.
    let facts_made = !matches!(new.facts, Facts::Page) || matches!(old.facts, Facts::Page);
    facts_made
        && old.weight == new.weight
        && pages(old) == pages(new)
        && relations(old) == relations(new)
        && treatments(old) == treatments(new)
}
