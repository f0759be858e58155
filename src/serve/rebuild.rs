//! Builds the site into memory and keeps it up to date. The builder owns
//! the site graph between rebuilds and, for every page, what it read
//! (`kept`). A content edit reloads the content, patches the graph or
//! builds it anew, finds what changed (`changes`) and renders again the
//! pages that read any of it; a change to `site.toml`, the theme,
//! templates, static files, UI strings or locations rebuilds everything.

use super::changes::{Changes, Edit, Key, Uid, Uids};
use super::kept::Kept;
use super::live;
use super::state::{Bytes, Shared};
use crate::build::{self, Loaded};
use crate::config::{Config, Overrides};
use crate::content::load::ContentCache;
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::render::entries::{Entries, Stored};
use crate::render::{self, Job, RenderOptions, Rendered, Renderer};
use crate::route::Route;
use crate::site::{BuildOptions, Item, ItemId, Site};
use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::time::Instant;

/// What one successful rebuild did.
#[derive(Debug)]
pub struct Report {
    pub full: bool,
    /// The graph kept was patched in place (`site::patch`), not rebuilt.
    pub patched: bool,
    /// Files rendered (pages, feeds, indexes; static files not counted).
    pub rendered: usize,
    pub removed: usize,
    pub millis: u128,
    /// Of `millis`: reading content and building the graph.
    pub load_millis: u128,
}

impl Report {
    pub fn line(&self) -> String {
        let what = if self.full {
            "full rebuild"
        } else if self.patched {
            "incremental, graph patched"
        } else {
            "incremental"
        };
        let removed = if self.removed > 0 {
            format!(", removed {}", self.removed)
        } else {
            String::new()
        };
        format!(
            "rebuilt {} pages in {} ms ({what}: load {} ms, render {} ms{removed})",
            self.rendered,
            self.millis,
            self.load_millis,
            self.millis.saturating_sub(self.load_millis)
        )
    }
}

pub struct Builder {
    root: PathBuf,
    /// `http://127.0.0.1:1111`: the base URL without the site's subpath.
    origin: String,
    drafts: bool,
    /// Build items whose `publish_date` is still to come.
    future: bool,
    /// The build time, fixed for the session at the first build: pages
    /// rendered after an edit must match those rendered before it.
    now: Option<crate::time::BuildTime>,
    loaded: Option<Loaded>,
    opts: RenderOptions,
    base_path: String,
    /// Set by changes that need a full rebuild, cleared by one that works.
    full_pending: bool,
    /// Every content file as last read; an edit re-reads only its paths.
    cache: Option<ContentCache>,
    /// Paths changed since the last rebuild.
    changed: Vec<PathBuf>,
    /// Items as lists show them, kept for the next rebuild.
    entries: Option<Entries>,
    /// The jobs of the site last rendered.
    jobs: Vec<Job>,
    /// Each page's route and what it read.
    kept: Kept,
    uids: Uids,
    /// The uid of each item of the graph kept, by `ItemId`.
    item_uids: Vec<Uid>,
}

/// The graph after an edit: the kept one patched in place, or a new one.
enum NewGraph {
    /// The items the patch replaced, as they were.
    Patched(Vec<Item>),
    Rebuilt(Box<Site>),
}

impl Builder {
    pub fn new(root: PathBuf, origin: String, drafts: bool) -> Builder {
        Builder {
            root,
            origin,
            drafts,
            future: false,
            now: None,
            loaded: None,
            opts: RenderOptions::default(),
            base_path: String::new(),
            full_pending: true,
            cache: None,
            changed: Vec::new(),
            entries: None,
            jobs: Vec::new(),
            kept: Kept::default(),
            uids: Uids::default(),
            item_uids: Vec::new(),
        }
    }

    /// Sets the build time (`None`: `SOURCE_DATE_EPOCH` or the clock at
    /// the first build) and whether scheduled items are built anyway.
    pub fn schedule(mut self, now: Option<crate::time::BuildTime>, future: bool) -> Builder {
        self.now = now;
        self.future = future;
        self
    }

    /// Notes paths the watcher saw change, for the next `rebuild`.
    pub fn note_changes(&mut self, paths: &[PathBuf]) {
        self.changed.extend_from_slice(paths);
        // A photo is no content file: the pages showing it are found by a
        // full rebuild, which processes only the changed photo anew.
        if paths
            .iter()
            .any(|p| super::watch::is_photo_change(&self.root, p))
        {
            self.full_pending = true;
        }
        // A template (a shortcode's among them), the configuration, UI
        // strings: the builder itself knows these rebuild everything, so
        // whoever reports changes (the watcher, a test) gets the same.
        if super::watch::classify(&self.root, paths) == super::watch::Change::Everything {
            self.full_pending = true;
        }
    }

    /// Asks for a full rebuild at the next `rebuild`.
    pub fn need_full(&mut self) {
        self.full_pending = true;
    }

    /// Rebuilds and updates `shared`: the new pages on success, the error
    /// page on failure. Problems go to `diags`.
    pub fn rebuild(&mut self, shared: &Shared, diags: &Diagnostics) -> Option<Report> {
        let start = Instant::now();
        let result = if self.full_pending || self.loaded.is_none() {
            self.full(shared, diags)
        } else {
            self.incremental(shared, diags)
        };
        match result {
            Some(mut report) => {
                self.full_pending = false;
                shared.write().error_page = None;
                report.millis = start.elapsed().as_millis();
                Some(report)
            }
            None => {
                let errors: Vec<Diagnostic> = diags
                    .sorted()
                    .into_iter()
                    .filter(Diagnostic::is_error)
                    .collect();
                let page = live::error_page(&self.base_path, &errors);
                shared.write().error_page = Some(page.into_bytes().into());
                None
            }
        }
    }

    fn full(&mut self, shared: &Shared, diags: &Diagnostics) -> Option<Report> {
        // The site's own subpath is kept, so subpath hosting is previewed
        // as it will be published.
        let scratch = Diagnostics::new();
        let own = Overrides {
            now: self.now,
            ..Overrides::default()
        };
        let (base_path, now) = match Config::load(&self.root, &own, &scratch) {
            Some(c) => (c.base_path, c.now),
            None => {
                for d in scratch.sorted() {
                    diags.push(d);
                }
                return None;
            }
        };
        // Known from here on, so that the error page of a build that fails
        // later loads the live-reload script from under the base path.
        self.base_path = base_path.clone();
        self.now = Some(now);
        let overrides = Overrides {
            base_url: Some(format!("{}{base_path}", self.origin)),
            now: Some(now),
        };
        let start = Instant::now();
        let config = Config::load(&self.root, &overrides, diags)?;
        let cache = ContentCache::fill(&config);
        self.changed.clear();
        let content = cache.content(diags);
        self.cache = Some(cache);
        let loaded = build::load_from(
            config,
            content,
            BuildOptions {
                drafts: self.drafts,
                future: self.future,
            },
            diags,
        )?;
        let load_millis = start.elapsed().as_millis();
        let opts = RenderOptions {
            live_reload: Some(format!("{base_path}{}", live::SCRIPT)),
        };
        let (site, theme) = (&loaded.site, &loaded.theme);
        // Every page is drawn again: its card is the one it shows now.
        site.photos.forget_cards(None);
        let all = render::check_collisions(site, render::jobs(site), &theme.statics, diags);
        let entries = Entries::keeping_search(site);
        let todo: Vec<usize> = (0..all.len()).collect();
        let mut rendered = render_recorded(&loaded, &opts, &entries, &all, &todo, diags);
        // Photos templates asked for while rendering (`resize_image`).
        let extra = render::late_photo_jobs(site, &all, &theme.statics, diags);
        let first_extra = all.len();
        let all: Vec<Job> = all.into_iter().chain(extra).collect();
        let todo: Vec<usize> = (first_extra..all.len()).collect();
        rendered.extend(render_recorded(
            &loaded, &opts, &entries, &all, &todo, diags,
        ));
        // Made now, so the first edit does not wait for it.
        site.file_index();
        if diags.has_errors() {
            return None;
        }
        let mut files: HashMap<String, Bytes> =
            HashMap::with_capacity(rendered.len() + theme.statics.len());
        for (path, bytes) in &theme.statics {
            files.insert(path.clone(), bytes.clone().into());
        }
        let count = rendered.len();
        self.kept = Kept::default();
        self.item_uids = self.uids.of(site);
        for (job, page) in rendered {
            files.insert(page.file.path, page.file.bytes.into());
            let reads = named(&self.item_uids, page.deps);
            self.kept.record(page.route, job, reads);
        }
        {
            let mut out = shared.write();
            out.files = files;
            out.base_path = base_path.clone();
        }
        self.loaded = Some(loaded);
        self.entries = Some(entries);
        self.jobs = all;
        self.opts = opts;
        self.base_path = base_path;
        Some(Report {
            full: true,
            patched: false,
            rendered: count,
            removed: 0,
            millis: 0,
            load_millis,
        })
    }

    fn incremental(&mut self, shared: &Shared, diags: &Diagnostics) -> Option<Report> {
        let start = Instant::now();
        let mut old = self
            .loaded
            .take()
            .expect("incremental rebuilds follow a full one");
        let data: Vec<u64> = self
            .changed
            .iter()
            .filter_map(|p| p.strip_prefix(&self.root).ok())
            .map(|rel| {
                crate::render::functions::data_key(&rel.to_string_lossy().replace('\\', "/"))
            })
            .collect();
        let Some(graph) = self.new_graph(&mut old, diags) else {
            self.loaded = Some(old);
            return None;
        };
        if let NewGraph::Rebuilt(site) = &graph
            && (!same_locations(&old.site, site) || !same_treatments(&old.site, site))
        {
            // Every page shows location names.
            self.loaded = Some(old);
            return self.full(shared, diags);
        }
        let patched = matches!(graph, NewGraph::Patched(_));
        let (site, mut changes, same_ids, old_uids) = self.changes(old.site, graph);
        // Data files templates loaded: the pages that loaded them.
        changes
            .keys
            .extend(data.into_iter().map(crate::render::deps::Dep::Data));
        let load_millis = start.elapsed().as_millis();
        let (entries, before) = self.entries_for(&site, &changes, same_ids, &old_uids);
        let loaded = Loaded {
            site,
            theme: old.theme,
        };
        let r = Renderer {
            site: &loaded.site,
            theme: &loaded.theme,
            opts: &self.opts,
            entries: &entries,
            deps: None,
        };
        changes.compare_views(&r, before);
        let plan = self.plan(&loaded, same_ids, &changes.keys, diags);
        let rendered = match plan {
            Some((all, todo, mut gone)) => {
                let gone_pages: Vec<String> =
                    gone.iter().map(|r| loaded.site.config.path(r)).collect();
                loaded.site.photos.forget_cards(Some(&gone_pages));
                let mut rendered =
                    render_recorded(&loaded, &self.opts, &entries, &all, &todo, diags);
                // Photos the re-rendered pages asked for (`resize_image`).
                let extra =
                    render::late_photo_jobs(&loaded.site, &all, &loaded.theme.statics, diags);
                let first_extra = all.len();
                let all: Vec<Job> = all.into_iter().chain(extra).collect();
                let todo: Vec<usize> = (first_extra..all.len()).collect();
                rendered.extend(render_recorded(
                    &loaded, &self.opts, &entries, &all, &todo, diags,
                ));
                // Cards that no page shows since this edit leave the output.
                let live: HashSet<String> = loaded.site.photos.outputs().into_iter().collect();
                for job in &all {
                    if let Job::Photo(f) = job
                        && f.starts_with("photos/card-")
                        && !live.contains(f)
                    {
                        let route = job.route(&loaded.site);
                        self.kept.remove(&route);
                        gone.push(route);
                    }
                }
                let gone: Vec<String> = gone.iter().map(|r| loaded.site.config.file(r)).collect();
                (!diags.has_errors()).then_some((all, rendered, gone))
            }
            None => None,
        };
        self.loaded = Some(loaded);
        let Some((all, rendered, gone)) = rendered else {
            // The graph kept no longer matches what is served.
            self.full_pending = true;
            return None;
        };
        self.entries = Some(entries);
        self.jobs = all;
        let count = rendered.len();
        self.publish(shared, rendered, &gone);
        Some(Report {
            full: false,
            patched,
            rendered: count,
            removed: gone.len(),
            millis: 0,
            load_millis,
        })
    }

    fn options(&self) -> BuildOptions {
        BuildOptions {
            drafts: self.drafts,
            future: self.future,
        }
    }

    /// The content read again and the graph patched or built anew; `None`
    /// after errors (in `diags`), with the changed paths kept for the next
    /// rebuild, since the graph kept is the one before them.
    fn new_graph(&mut self, old: &mut Loaded, diags: &Diagnostics) -> Option<NewGraph> {
        let config = old.site.config.clone();
        let changed = std::mem::take(&mut self.changed);
        let options = self.options();
        let cache = self
            .cache
            .get_or_insert_with(|| ContentCache::fill(&config));
        cache.update(&config, &changed);
        // The usual edit, a saved file, patches the graph kept; anything
        // else builds a new graph and compares it with the old one.
        let patched = cache
            .clean_files(&changed)
            .and_then(|files| crate::site::patch(&mut old.site, files, options));
        if let Some(replaced) = patched {
            return Some(NewGraph::Patched(replaced));
        }
        let content = cache.content(diags);
        let site = crate::site::build_reusing(config, content, options, diags, Some(&old.site));
        if diags.has_errors() {
            self.changed.extend(changed);
            return None;
        }
        Some(NewGraph::Rebuilt(Box::new(site)))
    }

    /// What the edit changed. Returns the new graph, the changes, whether
    /// the ids stayed, and the uids of the old graph's items.
    fn changes(&mut self, old: Site, graph: NewGraph) -> (Site, Changes, bool, Vec<Uid>) {
        let old_uids = std::mem::take(&mut self.item_uids);
        match graph {
            NewGraph::Patched(replaced) => {
                let edit = Edit {
                    old: &old,
                    old_uids: &old_uids,
                    new: &old,
                    new_uids: &old_uids,
                    same_ids: true,
                    replaced: Some(&replaced),
                };
                let changes = edit.changes();
                self.item_uids = old_uids.clone();
                (old, changes, true, old_uids)
            }
            NewGraph::Rebuilt(new) => {
                let new_uids = self.uids.of(&new);
                let same_ids = new_uids == old_uids;
                let edit = Edit {
                    old: &old,
                    old_uids: &old_uids,
                    new: &new,
                    new_uids: &new_uids,
                    same_ids,
                    replaced: None,
                };
                let changes = edit.changes();
                self.item_uids = new_uids;
                (*new, changes, same_ids, old_uids)
            }
        }
    }

    /// The entry table for the new graph: the kept one when the ids stayed,
    /// else a new one that takes over the entries of unchanged items. The
    /// touched items' old entries come out first, to be compared.
    fn entries_for(
        &mut self,
        site: &Site,
        changes: &Changes,
        same_ids: bool,
        old_uids: &[Uid],
    ) -> (Entries, Vec<Vec<Stored>>) {
        let mut old = self
            .entries
            .take()
            .unwrap_or_else(|| Entries::keeping_search(site));
        let before = changes.take_views(&mut old);
        if same_ids && old.fits(site) {
            return (old, before);
        }
        let mut fresh = Entries::keeping_search(site);
        let old_ids: HashMap<Uid, usize> =
            old_uids.iter().enumerate().map(|(i, u)| (*u, i)).collect();
        for (i, uid) in self.item_uids.iter().enumerate() {
            if let Some(&o) = old_ids.get(uid) {
                fresh.adopt(ItemId(i), &mut old, ItemId(o));
            }
        }
        (fresh, before)
    }

    /// The jobs of the new graph, those to render (as indices) and the
    /// routes that are gone. `None` when two jobs would write one file.
    fn plan(
        &mut self,
        loaded: &Loaded,
        same_ids: bool,
        keys: &HashSet<Key>,
        diags: &Diagnostics,
    ) -> Option<(Vec<Job>, Vec<usize>, Vec<Route>)> {
        let site = &loaded.site;
        let all = render::jobs(site);
        // The same job list under the same ids, and no item's pages moved:
        // no page came or went, and the routes of the whole site need not
        // be made.
        let moved = keys.iter().any(|k| matches!(k, Key::Pages(_)));
        if same_ids && !moved && all == self.jobs {
            let todo = self.kept.readers_of(keys);
            return Some((all, todo, Vec::new()));
        }
        let all = render::check_collisions(site, all, &loaded.theme.statics, diags);
        if diags.has_errors() {
            return None;
        }
        let routes: Vec<Route> = all.iter().map(|j| j.route(site)).collect();
        let live: HashSet<&Route> = routes.iter().collect();
        let gone: Vec<Route> = self
            .kept
            .routes()
            .filter(|r| !live.contains(r))
            .cloned()
            .collect();
        for route in &gone {
            self.kept.remove(route);
        }
        let mut new = Vec::new();
        for (i, route) in routes.iter().enumerate() {
            if self.kept.contains(route) {
                self.kept.set_job(route, i);
            } else {
                new.push(i);
            }
        }
        let mut todo = self.kept.readers_of(keys);
        todo.extend(new);
        todo.sort_unstable();
        todo.dedup();
        Some((all, todo, gone))
    }

    /// Puts the new pages where the server reads them and keeps what each
    /// read; gone pages leave first (a new page may take a gone one's file).
    fn publish(&mut self, shared: &Shared, rendered: Vec<(usize, Rendered)>, gone: &[String]) {
        let mut out = shared.write();
        for file in gone {
            out.files.remove(file);
        }
        for (job, page) in rendered {
            out.files.insert(page.file.path, page.file.bytes.into());
            let reads = named(&self.item_uids, page.deps);
            self.kept.record(page.route, job, reads);
        }
    }
}

/// Renders the jobs `todo` of `all`, recording what each page reads;
/// each file comes with its index in `all`.
fn render_recorded(
    loaded: &Loaded,
    opts: &RenderOptions,
    entries: &Entries,
    all: &[Job],
    todo: &[usize],
    diags: &Diagnostics,
) -> Vec<(usize, Rendered)> {
    let r = Renderer {
        site: &loaded.site,
        theme: &loaded.theme,
        opts,
        entries,
        deps: None,
    };
    let jobs: Vec<Job> = todo.iter().map(|&i| all[i].clone()).collect();
    render::render_each(&r, &jobs, true, diags, |n, page| (todo[n], page))
}

/// A page's reads with its items named by uid, sorted, without repeats.
fn named(uids: &[Uid], deps: Vec<render::deps::Dep>) -> Vec<Key> {
    let mut v: Vec<Key> = deps.into_iter().map(|d| d.map(|id| uids[id.0])).collect();
    v.sort_unstable();
    v.dedup();
    v
}

fn same_locations(a: &Site, b: &Site) -> bool {
    a.locations
        .iter()
        .map(|l| &l.record)
        .eq(b.locations.iter().map(|l| &l.record))
}

/// The same `content/treatments.toml`: names, categories, order.
fn same_treatments(a: &Site, b: &Site) -> bool {
    a.categories == b.categories
        && a.treatments
            .iter()
            .map(|t| &t.record)
            .eq(b.treatments.iter().map(|t| &t.record))
}
