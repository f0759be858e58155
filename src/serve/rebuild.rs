//! Builds the site into memory and keeps it up to date. The builder owns
//! the site graph between rebuilds: a content edit reloads the content,
//! compares the new graph with the old one and renders only the pages that
//! changed (see `affected`); a change to `site.toml`, the theme, templates,
//! static files, UI strings or locations rebuilds everything.

use super::affected;
use super::live;
use super::state::{Bytes, Shared};
use crate::build::{self, Loaded};
use crate::config::{Config, Overrides};
use crate::content::load::ContentCache;
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::render::entries::Entries;
use crate::render::{self, Job, OutputFile, RenderOptions, Renderer};
use crate::site::BuildOptions;
use rayon::prelude::*;
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
    loaded: Option<Loaded>,
    opts: RenderOptions,
    base_path: String,
    /// Output path of each job that produced a file, by `affected::job_key`.
    job_paths: HashMap<String, String>,
    statics: HashSet<String>,
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
}

impl Builder {
    pub fn new(root: PathBuf, origin: String, drafts: bool) -> Builder {
        Builder {
            root,
            origin,
            drafts,
            loaded: None,
            opts: RenderOptions::default(),
            base_path: String::new(),
            job_paths: HashMap::new(),
            statics: HashSet::new(),
            full_pending: true,
            cache: None,
            changed: Vec::new(),
            entries: None,
            jobs: Vec::new(),
        }
    }

    /// Notes paths the watcher saw change, for the next `rebuild`.
    pub fn note_changes(&mut self, paths: &[PathBuf]) {
        self.changed.extend_from_slice(paths);
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
        let base_path = match Config::load(&self.root, &Overrides::default(), &scratch) {
            Some(c) => c.base_path,
            None => {
                for d in scratch.sorted() {
                    diags.push(d);
                }
                return None;
            }
        };
        let overrides = Overrides {
            base_url: Some(format!("{}{base_path}", self.origin)),
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
            },
            diags,
        )?;
        let load_millis = start.elapsed().as_millis();
        let opts = RenderOptions {
            live_reload: Some(format!("{base_path}{}", live::SCRIPT)),
        };
        let all = render::jobs(&loaded.site);
        let entries = Entries::keeping_search(&loaded.site);
        let rendered = render_keyed(&loaded, &opts, &entries, &all, diags);
        // Made now, so the first edit does not wait for it.
        loaded.site.file_index();
        let statics: HashSet<String> = loaded
            .theme
            .statics
            .iter()
            .map(|(p, _)| p.clone())
            .collect();
        check_collisions(&rendered, &statics, diags);
        if diags.has_errors() {
            return None;
        }
        let mut files: HashMap<String, Bytes> =
            HashMap::with_capacity(rendered.len() + statics.len());
        for (path, bytes) in &loaded.theme.statics {
            files.insert(path.clone(), bytes.clone().into());
        }
        let count = rendered.len();
        self.job_paths.clear();
        for (key, file) in rendered {
            self.job_paths.insert(key, file.path.clone());
            files.insert(file.path, file.bytes.into());
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
        self.statics = statics;
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
        let config = old.site.config.clone();
        let changed = std::mem::take(&mut self.changed);
        let cache = self
            .cache
            .get_or_insert_with(|| ContentCache::fill(&config));
        cache.update(&config, &changed);
        // The usual edit, a saved file, patches the graph kept; anything
        // else builds a new graph and compares it with the old one.
        let patched_items = cache
            .clean_files(&changed)
            .and_then(|files| crate::site::patch(&mut old.site, files, self.drafts));
        let patched = patched_items.is_some();
        let (site, plan, same_ids, theme) = match patched_items {
            Some(replaced) => {
                let plan = affected::plan_patch(&old.site, &replaced);
                (old.site, plan, true, old.theme)
            }
            None => {
                let content = cache.content(diags);
                let site = crate::site::build_reusing(
                    config,
                    content,
                    BuildOptions {
                        drafts: self.drafts,
                    },
                    diags,
                    Some(&old.site),
                );
                if diags.has_errors() {
                    // The graph kept is the one before these changes: the
                    // next rebuild must apply them too, not only its own.
                    self.changed.extend(changed);
                    self.loaded = Some(old);
                    return None;
                }
                if affected::locations_differ(&old.site, &site) {
                    self.loaded = Some(old);
                    return self.full(shared, diags);
                }
                let plan = affected::plan(&old.site, &site);
                let same_ids = affected::same_ids(&old.site, &site);
                (site, plan, same_ids, old.theme)
            }
        };
        let load_millis = start.elapsed().as_millis();
        let all = render::jobs(&site);
        let mut todo = plan.jobs(&all);
        let mut planned: HashSet<String> =
            todo.iter().map(|j| affected::job_key(&site, j)).collect();
        // Jobs that came or went: when the job list is the one last
        // rendered, under the same ids, there are none, and the keys of
        // the whole site need not be made.
        let mut gone: Vec<String> = Vec::new();
        if !(same_ids && all == self.jobs) {
            let keyed: Vec<(String, &Job)> = all
                .iter()
                .map(|j| (affected::job_key(&site, j), j))
                .collect();
            let live_keys: HashSet<&str> = keyed.iter().map(|(k, _)| k.as_str()).collect();
            gone = self
                .job_paths
                .keys()
                .filter(|k| !live_keys.contains(k.as_str()))
                .cloned()
                .collect();
            for (k, j) in &keyed {
                if !self.job_paths.contains_key(k) && planned.insert(k.clone()) {
                    todo.push((*j).clone());
                }
            }
        }
        let mut entries = self.entries.take().filter(|e| same_ids && e.fits(&site));
        match &mut entries {
            Some(e) => plan.items.iter().for_each(|id| e.forget(*id)),
            None => entries = Some(Entries::keeping_search(&site)),
        }
        let entries = entries.expect("set above");

        let loaded = Loaded { site, theme };
        let rendered = render_keyed(&loaded, &self.opts, &entries, &todo, diags);
        check_collisions(&rendered, &self.statics, diags);
        let failed = diags.has_errors();
        self.loaded = Some(loaded);
        if failed {
            // The graph kept no longer matches what is served.
            self.full_pending = true;
            return None;
        }
        self.entries = Some(entries);
        self.jobs = all;

        let mut remove: Vec<String> = Vec::new();
        for key in gone.iter().chain(&planned) {
            if let Some(path) = self.job_paths.remove(key) {
                remove.push(path);
            }
        }
        let count = rendered.len();
        let mut out = shared.write();
        for path in &remove {
            out.files.remove(path);
        }
        for (key, file) in rendered {
            self.job_paths.insert(key, file.path.clone());
            out.files.insert(file.path, file.bytes.into());
        }
        let removed = remove
            .iter()
            .filter(|p| !out.files.contains_key(*p))
            .count();
        Some(Report {
            full: false,
            patched,
            rendered: count,
            removed,
            millis: 0,
            load_millis,
        })
    }
}

/// Renders `jobs` in parallel, each file with its job's stable key.
fn render_keyed(
    loaded: &Loaded,
    opts: &RenderOptions,
    entries: &Entries,
    jobs: &[Job],
    diags: &Diagnostics,
) -> Vec<(String, OutputFile)> {
    let r = Renderer {
        site: &loaded.site,
        theme: &loaded.theme,
        opts,
        entries,
    };
    let files = jobs
        .par_iter()
        .filter_map(|job| match r.render_job(job) {
            Ok(file) => file.map(|f| (affected::job_key(&loaded.site, job), f)),
            Err(d) => {
                diags.push(d);
                None
            }
        })
        .collect();
    for d in entries.take_errors() {
        diags.push(d);
    }
    files
}

fn check_collisions(
    rendered: &[(String, OutputFile)],
    statics: &HashSet<String>,
    diags: &Diagnostics,
) {
    for (_, f) in rendered {
        if statics.contains(&f.path) {
            diags.push(Diagnostic::error(format!(
                "static file {} has the same path as a page",
                f.path
            )));
        }
    }
}
