//! The whole pipeline behind `klynge build`: configuration, content, graph,
//! theme, render, output. `check` and `serve` reuse its stages.

use crate::config::{Config, Overrides};
use crate::content;
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::output;
use crate::render::{self, OutputFile, RenderOptions};
use crate::route::Route;
use crate::site::{self, BuildOptions, Site};
use crate::theme::Theme;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// What `klynge build` builds, and where.
#[derive(Debug, Clone, Default)]
pub struct BuildArgs {
    /// The site folder (the one with site.toml).
    pub root: PathBuf,
    /// Where to write the site. Default: `root/public`.
    pub output: Option<PathBuf>,
    /// Overrides `base_url` of site.toml.
    pub base_url: Option<String>,
    /// Include items with `draft = true`.
    pub drafts: bool,
    /// Replace the output folder even when klynge did not write it
    /// (keeping `.git`, `CNAME` and `.nojekyll`).
    pub force: bool,
    /// The build time (`--now`); without it `SOURCE_DATE_EPOCH` or the clock.
    pub now: Option<crate::time::BuildTime>,
    /// Build items whose `publish_date` is still to come (`--future`).
    pub future: bool,
}

/// A site loaded and checked, ready to render.
pub struct Loaded {
    pub site: Site,
    pub theme: Theme,
}

/// Loads configuration, content and theme. `None` when errors make
/// rendering pointless; the errors are in `diags`.
pub fn load(
    root: &Path,
    overrides: &Overrides,
    opts: BuildOptions,
    diags: &Diagnostics,
) -> Option<Loaded> {
    let config = Config::load(root, overrides, diags)?;
    let content = content::load(&config, diags);
    load_from(config, content, opts, diags)
}

/// `load` for content already read (`serve` keeps a cache of it).
pub fn load_from(
    config: Config,
    content: content::LoadedContent,
    opts: BuildOptions,
    diags: &Diagnostics,
) -> Option<Loaded> {
    let theme = Theme::load(&config, diags);
    let site = site::build(config, content, opts, diags);
    let mut theme = theme?;
    theme.tera.register_function(
        "resize_image",
        site::photos::ResizeImage {
            photos: std::sync::Arc::clone(&site.photos),
            root: site.config.root.clone(),
            base_path: site.config.base_path.clone(),
        },
    );
    render::functions::register(&mut theme.tera, &site.config);
    check_shortcodes(&site, &theme, diags);
    if diags.has_errors() {
        return None;
    }
    Some(Loaded { site, theme })
}

/// Every body's shortcodes against the theme's: all the unknown names and
/// wrong arguments at once, before any page is made.
fn check_shortcodes(site: &Site, theme: &Theme, diags: &Diagnostics) {
    let known = render::shortcodes::names(theme);
    let bodies = site
        .items
        .iter()
        .flat_map(|i| i.translations.iter().map(|t| (&t.file, &t.body)))
        .chain(site.homes.iter().map(|h| (&h.file, &h.body)));
    for (file, body) in bodies {
        for d in render::shortcodes::check(file, &body.calls, &known) {
            diags.push(d);
        }
    }
}

/// Renders every page and adds the theme's static files.
pub fn render(loaded: &Loaded, opts: &RenderOptions, diags: &Diagnostics) -> Vec<OutputFile> {
    let mut files = render::render_site(&loaded.site, &loaded.theme, opts, diags);
    files.extend(loaded.theme.statics.iter().map(|(path, bytes)| OutputFile {
        path: path.clone(),
        bytes: bytes.clone(),
    }));
    files.sort_by(|a, b| a.path.cmp(&b.path));
    files
}

/// `render`, each file written to `staging` as soon as it is made instead
/// of the whole site being held in memory. Returns the routes written, or
/// `None` after an error (reported in `diags`; what was written is then
/// thrown away with `staging`).
fn render_into(
    loaded: &Loaded,
    opts: &RenderOptions,
    staging: &output::Staging,
    progress: &(dyn Fn(Progress) + Sync),
    diags: &Diagnostics,
) -> Option<Vec<Route>> {
    let (site, theme) = (&loaded.site, &loaded.theme);
    let jobs = render::check_collisions(site, render::jobs(site), &theme.statics, diags);
    progress(Progress::Start { pages: jobs.len() });
    let entries = render::entries::Entries::new(site);
    let r = render::Renderer {
        site,
        theme,
        opts,
        entries: &entries,
        deps: None,
    };
    // Of several write errors, the one for the first path, as `write_site` would.
    let write_error: std::sync::Mutex<Option<(String, Diagnostic)>> = std::sync::Mutex::new(None);
    let keep_error = |path: &str, d: Diagnostic| {
        let mut e = write_error.lock().unwrap_or_else(|e| e.into_inner());
        if e.as_ref().is_none_or(|(p, _)| path < p.as_str()) {
            *e = Some((path.to_string(), d));
        }
    };
    let mut routes = render::render_each(&r, &jobs, false, diags, |_, done| {
        progress(Progress::Page);
        if let Err(d) = staging.write(&done.file.path, &done.file.bytes) {
            keep_error(&done.file.path, d);
        }
        done.route
    });
    // Photos templates asked for while rendering (`resize_image`).
    let extra = render::late_photo_jobs(site, &jobs, &theme.statics, diags);
    routes.extend(render::render_each(&r, &extra, false, diags, |_, done| {
        if let Err(d) = staging.write(&done.file.path, &done.file.bytes) {
            keep_error(&done.file.path, d);
        }
        done.route
    }));
    progress(Progress::Done);
    for (path, bytes) in &theme.statics {
        if let Err(d) = staging.write(path, bytes) {
            keep_error(path, d);
        }
        routes.push(Route::Static(path.clone()));
    }
    if diags.has_errors() {
        return None;
    }
    if let Some((_, d)) = write_error.into_inner().unwrap_or_else(|e| e.into_inner()) {
        diags.push(d);
        return None;
    }
    Some(routes)
}

/// What a successful build did, for the one-line summary.
pub struct Summary {
    pub pages_per_language: Vec<(String, usize)>,
    pub files: usize,
    pub millis: u128,
    /// Photos decoded and encoded by this build, and photos whose files
    /// were taken from the cache (`.klynge-cache/images/`).
    pub photos_processed: usize,
    pub photos_cached: usize,
    /// Social cards drawn by this build, and cards taken from the cache
    /// (`.klynge-cache/cards/`).
    pub cards: (usize, usize),
    /// Items left out because their `publish_date` is still to come or
    /// their `expires` has passed.
    pub held_back: crate::site::HeldBack,
    /// Files this build wrote with new bytes and files it removed; every
    /// other file kept its bytes and its modification time.
    pub changes: output::Changes,
}

impl Summary {
    pub fn line(&self) -> String {
        let per: Vec<String> = self
            .pages_per_language
            .iter()
            .map(|(l, n)| format!("{l} {n}"))
            .collect();
        let photos = match (self.photos_processed, self.photos_cached) {
            (0, 0) => String::new(),
            (made, kept) => format!("; photos: {made} processed, {kept} from the cache"),
        };
        let output::Changes { changed, removed } = self.changes;
        let removed = match removed {
            0 => String::new(),
            n => format!(", {n} removed"),
        };
        format!(
            "built {} files ({}) in {} ms; {changed} changed{removed}{photos}{}",
            self.files,
            per.join(", "),
            self.millis,
            self.held_back.summary()
        )
    }
}

/// `klynge build`, silently.
pub fn build(args: &BuildArgs, diags: &Diagnostics) -> Option<Summary> {
    build_with(args, &|_| {}, diags)
}

/// What `build_with` reports while it renders, for a progress display.
/// Events come from the rendering threads, in no fixed order between
/// `Start` and `Done`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Progress {
    /// Rendering starts: `pages` jobs (pages, feeds, indexes) will follow.
    Start { pages: usize },
    /// One more job is taken up (a bar counts these up to `pages`).
    Page,
    /// Rendering is over, successful or not (sent after every `Start`).
    Done,
}

/// `build`, telling `progress` how rendering goes (it is called from
/// several threads). The library shows nothing itself; the binary draws a
/// bar or prints a line.
pub fn build_with(
    args: &BuildArgs,
    progress: &(dyn Fn(Progress) + Sync),
    diags: &Diagnostics,
) -> Option<Summary> {
    let start = Instant::now();
    let output = args
        .output
        .clone()
        .unwrap_or_else(|| args.root.join("public"));
    if let Err(d) = output::check_output_dir(&args.root, &output) {
        diags.push(d);
        return None;
    }
    let overrides = Overrides {
        base_url: args.base_url.clone(),
        now: args.now,
    };
    let loaded = load(
        &args.root,
        &overrides,
        BuildOptions {
            drafts: args.drafts,
            future: args.future,
        },
        diags,
    )?;
    let staging = match output::Staging::open(&output, args.force) {
        Ok(mut s) => {
            for w in s.take_warnings() {
                diags.push(w);
            }
            s
        }
        Err(d) => {
            // Content and template errors come first, as they would have
            // without this folder problem.
            render(&loaded, &RenderOptions::default(), diags);
            if !diags.has_errors() {
                diags.push(d);
            }
            return None;
        }
    };
    let routes = render_into(
        &loaded,
        &RenderOptions::default(),
        &staging,
        progress,
        diags,
    )?;
    let changes = staging.changes();
    if let Err(d) = staging.commit() {
        diags.push(d);
        return None;
    }
    // The site is written: what the cache holds beyond it is dead weight.
    loaded.site.photos.prune();
    let pages_per_language = loaded
        .site
        .config
        .languages
        .iter()
        .map(|l| {
            let prefix = format!("{}/", l.code);
            let n = routes
                .iter()
                .map(|r| loaded.site.config.file(r))
                .filter(|p| p.starts_with(&prefix) && p.ends_with(".html"))
                .count();
            (l.code.to_string(), n)
        })
        .collect();
    let (photos_processed, photos_cached) = loaded.site.photos.counts();
    Some(Summary {
        pages_per_language,
        files: routes.len(),
        millis: start.elapsed().as_millis(),
        photos_processed,
        photos_cached,
        cards: loaded.site.photos.card_counts(),
        held_back: loaded.site.held_back,
        changes,
    })
}
