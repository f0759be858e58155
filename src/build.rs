//! The whole pipeline behind `klynge build`: configuration, content, graph,
//! theme, render, output. `check` and `serve` reuse its stages.

use crate::config::{Config, Overrides};
use crate::content;
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::output;
use crate::render::{self, OutputFile, RenderOptions};
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
pub fn load(root: &Path, overrides: &Overrides, opts: BuildOptions, diags: &Diagnostics) -> Option<Loaded> {
    let config = Config::load(root, overrides, diags)?;
    let content = content::load(&config, diags);
    load_from(config, content, opts, diags)
}

/// `load` for content already read (`serve` keeps a cache of it).
pub fn load_from(config: Config, content: content::LoadedContent, opts: BuildOptions, diags: &Diagnostics) -> Option<Loaded> {
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
    for (path, bytes) in &loaded.theme.statics {
        if files.iter().any(|f| &f.path == path) {
            diags.push(Diagnostic::error(format!("static file {path} has the same path as a page")));
            continue;
        }
        files.push(OutputFile { path: path.clone(), bytes: bytes.clone() });
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    files
}

/// What a successful build did, for the one-line summary.
pub struct Summary {
    pub pages_per_language: Vec<(String, usize)>,
    pub files: usize,
    pub millis: u128,
}

impl Summary {
    pub fn line(&self) -> String {
        let per: Vec<String> = self.pages_per_language.iter().map(|(l, n)| format!("{l} {n}")).collect();
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
    let start = Instant::now();
    let output = args.output.clone().unwrap_or_else(|| args.root.join("public"));
    if let Err(d) = output::check_output_dir(&args.root, &output) {
        diags.push(d);
        return None;
    }
    let overrides = Overrides { base_url: args.base_url.clone() };
    let loaded = load(&args.root, &overrides, BuildOptions { drafts: args.drafts }, diags)?;
    let files = render(&loaded, &RenderOptions::default(), diags);
    if diags.has_errors() {
        return None;
    }
    if let Err(d) = output::write_site(&output, &files) {
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
            let n = files.iter().filter(|f| f.path.starts_with(&prefix) && f.path.ends_with(".html")).count();
            (l.code.to_string(), n)
        })
        .collect();
    Some(Summary {
        pages_per_language,
        files: files.len(),
        millis: start.elapsed().as_millis(),
    })
}
