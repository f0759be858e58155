//! The command line of the `klynge` binary, with clap's derive: one
//! argument struct per command, each turned into the library's plain
//! options struct. The library knows nothing of clap.

use clap::{Args, Parser, Subcommand};
use klynge::build::BuildArgs;
use klynge::scaffold::{self, InitOptions, NewOptions};
use klynge::serve::ServeOptions;
use std::path::{Path, PathBuf};

#[derive(Debug, Parser)]
#[command(name = "klynge", version, about = "A static site generator for health-tourism clusters", long_about = None)]
pub struct Cli {
    /// The site folder (the one with site.toml); for `init`, the folder DIR
    /// is made in.
    #[arg(long, global = true, default_value = ".", value_name = "DIR")]
    pub root: PathBuf,

    /// Print only errors.
    #[arg(long, short, global = true)]
    pub quiet: bool,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the site into public/ (or --output).
    #[command(
        after_help = "Examples:\n  klynge build\n  klynge build --root site --output /tmp/out --base-url https://example.org/sub"
    )]
    Build(BuildCmd),
    /// Run every validation of build, plus links and translation coverage; write nothing.
    #[command(after_help = "Examples:\n  klynge check\n  klynge check --strict")]
    Check(CheckCmd),
    /// Build, serve on 127.0.0.1, rebuild on change and reload the browser.
    #[command(after_help = "Examples:\n  klynge serve\n  klynge serve --port 8080")]
    Serve(ServeCmd),
    /// Write a new content file with its front matter.
    #[command(
        after_help = "Examples:\n  klynge new spa laine --lang nb\n  klynge new news spring-seminar\n  klynge new page contact"
    )]
    New(NewCmd),
    /// Create a new site in DIR.
    #[command(
        after_help = "Examples:\n  klynge init my-cluster --languages en,nb\n  klynge init my-cluster --theme-copy"
    )]
    Init(InitCmd),
    /// Write a web editor (Decap CMS) for the site into static/admin/, served at /admin/.
    #[command(
        after_help = "Examples:\n  klynge cms\n  klynge cms --backend github --repo my-org/my-site\n  klynge cms --decap ../node_modules/decap-cms"
    )]
    Cms(CmsCmd),
    /// Create and update content from a CSV table (a spreadsheet saved as CSV).
    #[command(
        after_help = "Examples:\n  klynge import spas members.csv\n  klynge import locations towns.csv\n  klynge import spas members-nb.csv --lang nb"
    )]
    Import(ImportCmd),
    /// Write a CSV table of the site's items or records, one row each, to stdout or --output.
    #[command(
        after_help = "Examples:\n  klynge export spas > members.csv\n  klynge export locations --output towns.csv"
    )]
    Export(ExportCmd),
    /// Send texts to translators and take their work back: XLIFF 2.0 (or CSV) of what is missing or stale in a language.
    #[command(
        subcommand,
        after_help = "Examples:\n  klynge translations export --lang de --out de.xlf\n  klynge translations import de.xlf"
    )]
    Translations(TranslationsCmd),
}

#[derive(Debug, Subcommand)]
pub enum TranslationsCmd {
    /// Write the texts whose translation into --lang is missing or stale.
    Export(TranslationsExport),
    /// Write translated texts from an XLIFF file into the translation files.
    Import(TranslationsImport),
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum TranslationFormat {
    Xliff,
    Csv,
}

#[derive(Debug, Args)]
pub struct TranslationsExport {
    /// The language to translate into.
    #[arg(long)]
    pub lang: String,
    /// Write the file here instead of to stdout.
    #[arg(long, short, value_name = "FILE")]
    pub out: Option<PathBuf>,
    #[arg(long, value_enum, default_value = "xliff")]
    pub format: TranslationFormat,
}

#[derive(Debug, Args)]
pub struct TranslationsImport {
    /// The XLIFF file, with the translators' <target> texts.
    pub file: PathBuf,
}

#[derive(Debug, Args)]
pub struct ImportCmd {
    /// clusters, spas, news, events, pages, locations, treatments or categories.
    pub what: String,
    /// The CSV file; its first row names the columns.
    pub file: PathBuf,
    /// The language of the files written (default: the site's default language).
    #[arg(long)]
    pub lang: Option<String>,
}

#[derive(Debug, Args)]
pub struct ExportCmd {
    /// clusters, spas, news, events, pages, locations, treatments or categories.
    pub what: String,
    /// The language of the files read (default: the site's default language).
    #[arg(long)]
    pub lang: Option<String>,
    /// Write the table here instead of to stdout.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct BuildCmd {
    /// Where to write the site (default: ROOT/public).
    #[arg(long, short, value_name = "DIR")]
    pub output: Option<PathBuf>,
    /// Override base_url from site.toml.
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
    /// Include items with `draft = true`.
    #[arg(long)]
    pub drafts: bool,
    /// Replace the output folder even if klynge did not write it (its
    /// `.git`, `CNAME` and `.nojekyll` are kept).
    #[arg(long)]
    pub force: bool,
    /// The build time, RFC 3339 (default: SOURCE_DATE_EPOCH, else the clock):
    /// what decides upcoming events and scheduled items.
    #[arg(long, value_name = "TIME", value_parser = build_time)]
    pub now: Option<klynge::time::BuildTime>,
    /// Build items whose `publish_date` is still to come.
    #[arg(long)]
    pub future: bool,
}

impl BuildCmd {
    pub fn options(&self, root: &Path) -> BuildArgs {
        BuildArgs {
            root: root.to_path_buf(),
            output: self.output.clone(),
            base_url: self.base_url.clone(),
            drafts: self.drafts,
            force: self.force,
            now: self.now,
            future: self.future,
        }
    }
}

#[derive(Debug, Args)]
pub struct CheckCmd {
    /// Fail on warnings too (missing UI strings, missing translations).
    #[arg(long)]
    pub strict: bool,
    /// Include items with `draft = true`.
    #[arg(long)]
    pub drafts: bool,
    /// Warn about listings not verified for this long (`365d`, `26w`,
    /// `1y`: their `verified = DATE`), and about those never verified.
    #[arg(long, value_name = "AGE", value_parser = klynge::completeness::parse_age)]
    pub stale: Option<u32>,
    /// The build time, RFC 3339 (default: SOURCE_DATE_EPOCH, else the clock):
    /// what listings are stale against.
    #[arg(long, value_name = "TIME", value_parser = build_time)]
    pub now: Option<klynge::time::BuildTime>,
}

#[derive(Debug, Args)]
pub struct ServeCmd {
    /// The port to listen on.
    #[arg(long, short, default_value_t = 1111)]
    pub port: u16,
    /// The address to listen on; 127.0.0.1 keeps the preview on this computer.
    #[arg(long, short, default_value = "127.0.0.1", value_name = "ADDR")]
    pub interface: String,
    /// Include items with `draft = true`.
    #[arg(long)]
    pub drafts: bool,
    /// The build time, RFC 3339 (default: SOURCE_DATE_EPOCH, else the clock
    /// when serve starts).
    #[arg(long, value_name = "TIME", value_parser = build_time)]
    pub now: Option<klynge::time::BuildTime>,
    /// Build items whose `publish_date` is still to come.
    #[arg(long)]
    pub future: bool,
}

impl ServeCmd {
    pub fn options(&self, root: &Path) -> ServeOptions {
        ServeOptions {
            root: root.to_path_buf(),
            port: self.port,
            interface: self.interface.clone(),
            drafts: self.drafts,
            now: self.now,
            future: self.future,
        }
    }
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum NewKind {
    Cluster,
    Spa,
    News,
    Page,
}

impl From<NewKind> for scaffold::NewKind {
    fn from(k: NewKind) -> scaffold::NewKind {
        match k {
            NewKind::Cluster => scaffold::NewKind::Cluster,
            NewKind::Spa => scaffold::NewKind::Spa,
            NewKind::News => scaffold::NewKind::News,
            NewKind::Page => scaffold::NewKind::Page,
        }
    }
}

#[derive(Debug, Args)]
pub struct NewCmd {
    /// What to write: content/clusters/, spas/, news/ or pages/.
    pub kind: NewKind,
    /// The file name and URL slug (ASCII letters, digits, `-`, `_`).
    pub slug: String,
    /// Language of the file (default: the site's default language).
    #[arg(long)]
    pub lang: Option<String>,
}

impl NewCmd {
    pub fn options(&self, root: &Path) -> NewOptions {
        NewOptions {
            root: root.to_path_buf(),
            kind: self.kind.into(),
            slug: self.slug.clone(),
            lang: self.lang.clone(),
        }
    }
}

#[derive(Debug, Args)]
pub struct InitCmd {
    /// The folder to create (inside --root, if given); it must be new or empty.
    pub dir: PathBuf,
    /// The site's languages, default language first.
    #[arg(long, default_value = "en", value_delimiter = ',', value_parser = language_code)]
    pub languages: Vec<String>,
    /// Copy the default theme into the site, to edit it.
    #[arg(long)]
    pub theme_copy: bool,
}

impl InitCmd {
    pub fn options(&self, root: &Path) -> InitOptions {
        InitOptions {
            dir: root.join(&self.dir),
            languages: self.languages.clone(),
            theme_copy: self.theme_copy,
        }
    }
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum CmsBackend {
    /// Netlify's Git Gateway, with Netlify Identity logins.
    GitGateway,
    /// GitHub, with an OAuth login.
    Github,
}

#[derive(Debug, Args)]
pub struct CmsCmd {
    /// How editors reach the site's repository.
    #[arg(long, value_enum, default_value = "git-gateway")]
    pub backend: CmsBackend,
    /// The GitHub repository, OWNER/NAME (with --backend github).
    #[arg(long, value_name = "OWNER/NAME", required_if_eq("backend", "github"))]
    pub repo: Option<String>,
    /// The branch editors' changes are committed to.
    #[arg(long, default_value = "main")]
    pub branch: String,
    /// The OAuth server for the GitHub login (with --backend github).
    #[arg(long, value_name = "URL")]
    pub auth_url: Option<String>,
    /// The address of `decap-server` when editing on this computer
    /// (default: http://localhost:8081/api/v1).
    #[arg(long, value_name = "URL")]
    pub local_backend: Option<String>,
    /// The folder of the decap-cms npm package (default: ROOT/node_modules/decap-cms).
    #[arg(long, value_name = "DIR")]
    pub decap: Option<PathBuf>,
}

impl CmsCmd {
    pub fn options(&self, root: &Path) -> klynge::cms::CmsOptions {
        use klynge::cms::Backend;
        let backend = match self.backend {
            CmsBackend::GitGateway => Backend::GitGateway {
                branch: self.branch.clone(),
            },
            CmsBackend::Github => Backend::GitHub {
                repo: self.repo.clone().unwrap_or_default(),
                branch: self.branch.clone(),
                base_url: self.auth_url.clone(),
            },
        };
        klynge::cms::CmsOptions {
            root: root.to_path_buf(),
            backend,
            local_backend: self.local_backend.clone(),
            decap: self.decap.clone(),
        }
    }
}

/// `--now`: an RFC 3339 instant.
fn build_time(s: &str) -> Result<klynge::time::BuildTime, String> {
    klynge::time::BuildTime::parse(s)
}

/// A language code as site.toml accepts it (`en`, `nb`, `pt-br`), so that
/// `klynge init` never writes a site.toml that fails to load.
fn language_code(s: &str) -> Result<String, String> {
    let s = s.trim();
    let mut parts = s.split('-');
    let first = parts.next().unwrap_or("");
    let ok = (2..=3).contains(&first.len())
        && first.chars().all(|c| c.is_ascii_lowercase())
        && parts
            .all(|p| !p.is_empty() && p.len() <= 8 && p.chars().all(|c| c.is_ascii_alphanumeric()));
    if ok {
        Ok(s.to_string())
    } else {
        Err(format!(
            "`{s}` is not a language code (expected e.g. `en`, `nb`, `pt-br`)"
        ))
    }
}
