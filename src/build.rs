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

#[derive(Debug, Clone, Default)]
pub struct BuildArgs {
    pub root: PathBuf,
    /// Default: `root/public`.
    pub output: Option<PathBuf>,
    pub base_url: Option<String>,
    pub drafts: bool,
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
    let theme = theme?;
    if diags.has_errors() {
        return None;
    }
    Some(Loaded { site, theme })
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
    progress: Progress,
    diags: &Diagnostics,
) -> Option<Vec<Route>> {
    let (site, theme) = (&loaded.site, &loaded.theme);
    let jobs = render::check_collisions(site, render::jobs(site), &theme.statics, diags);
    let bar = progress_bar(progress, jobs.len());
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
        if let Some(bar) = &bar {
            bar.inc(1);
        }
        if let Err(d) = staging.write(&done.file.path, &done.file.bytes) {
            keep_error(&done.file.path, d);
        }
        done.route
    });
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
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

fn progress_bar(progress: Progress, pages: usize) -> Option<indicatif::ProgressBar> {
    match progress {
        _ if pages < PROGRESS_FROM_PAGES => None,
        Progress::Bar => {
            let bar = indicatif::ProgressBar::new(pages as u64);
            if let Ok(style) = indicatif::ProgressStyle::with_template(
                "{spinner} rendering {pos}/{len} pages {wide_bar} {eta}",
            ) {
                bar.set_style(style);
            }
            Some(bar)
        }
        Progress::Lines => {
            eprintln!("rendering {pages} pages");
            None
        }
        Progress::Silent => None,
    }
}

/// What a successful build did, for the one-line summary.
pub struct Summary {
    pub pages_per_language: Vec<(String, usize)>,
    pub files: usize,
    pub millis: u128,
}

impl Summary {
    pub fn line(&self) -> String {
        let per: Vec<String> = self
            .pages_per_language
            .iter()
            .map(|(l, n)| format!("{l} {n}"))
            .collect();
        format!(
            "built {} files ({}) in {} ms",
            self.files,
            per.join(", "),
            self.millis
        )
    }
}

/// `klynge build`.
pub fn build(args: &BuildArgs, diags: &Diagnostics) -> Option<Summary> {
    build_with(args, Progress::Silent, diags)
}

/// How `build` reports progress on a long build.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Progress {
    Silent,
    /// A progress bar (an interactive terminal).
    Bar,
    /// One plain line when rendering starts (logs, CI).
    Lines,
}

/// Sites smaller than this build too fast for progress to mean anything.
const PROGRESS_FROM_PAGES: usize = 300;

/// `build` with progress reporting for long builds.
pub fn build_with(args: &BuildArgs, progress: Progress, diags: &Diagnostics) -> Option<Summary> {
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
    };
    let loaded = load(
        &args.root,
        &overrides,
        BuildOptions {
            drafts: args.drafts,
        },
        diags,
    )?;
    let staging = match output::Staging::new(&output) {
        Ok(s) => s,
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
    if let Err(d) = staging.commit() {
        diags.push(d);
        return None;
    }
    let pages_per_language = loaded
        .site
        .config
        .languages
        .iter()
        .map(|l| {
            let prefix = format!("{}/", l.code);
            let n = routes
                .iter()
                .map(Route::file)
                .filter(|p| p.starts_with(&prefix) && p.ends_with(".html"))
                .count();
            (l.code.to_string(), n)
        })
        .collect();
    Some(Summary {
        pages_per_language,
        files: routes.len(),
        millis: start.elapsed().as_millis(),
    })
}
