//! `SiteTest`: a site copied into a temporary folder, edited, then built,
//! checked or served in memory through the library, or run through the
//! `klynge` binary. Every run returns something to assert on.
//!
//! ```ignore
//! let site = SiteTest::fixture("basic");
//! site.replace("content/spas/kurbad.en.md", "kind = ", "typo = 1\nkind = ");
//! let built = site.build();
//! built.assert_err();
//! assert!(built.rendered().contains("content/spas/kurbad.en.md:"));
//! ```

use super::cli::{Run, klynge_in};
use super::fs::{copy_dir, tree};
use super::html::file_for;
use super::{fixtures_dir, manifest_dir};
use klynge::build::{BuildArgs, Summary, build};
use klynge::diagnostic::{Diagnostic, Diagnostics};
use klynge::serve::rebuild::{Builder, Report};
use klynge::serve::state::Shared;
use scraper::Html;
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

/// The build time of the tests' builds and serves, unless a test sets
/// its own: output that depends on the day is the same on every run.
pub fn test_now() -> klynge::time::BuildTime {
    klynge::time::BuildTime::parse("2026-12-03T12:00:00Z").expect("an RFC 3339 time")
}

/// A site in a temporary folder: `<tmp>/site` is its root, and builds go
/// to `<tmp>/out/public`, so `<tmp>/out` holds nothing else (a failed
/// build must leave no temporary folder there).
pub struct SiteTest {
    tmp: TempDir,
    pub root: PathBuf,
    pub out: PathBuf,
}

impl SiteTest {
    /// A copy of `tests/fixtures/<name>` (`"basic"`, `"errors/base"`).
    pub fn fixture(name: &str) -> SiteTest {
        let src = fixtures_dir().join(name);
        assert!(
            src.join("site.toml").is_file(),
            "no fixture {}",
            src.display()
        );
        let site = SiteTest::empty();
        copy_dir(&src, &site.root);
        site
    }

    /// A copy of the repository's sample site: site.toml, content/, and
    /// the theme, template and static folders when there are any.
    pub fn sample() -> SiteTest {
        let src = manifest_dir();
        let site = SiteTest::empty();
        fs::copy(src.join("site.toml"), site.root.join("site.toml")).unwrap();
        for dir in ["content", "themes", "templates", "static"] {
            if src.join(dir).is_dir() {
                copy_dir(&src.join(dir), &site.root.join(dir));
            }
        }
        site
    }

    /// An empty site folder, to fill by hand or by a generator.
    pub fn empty() -> SiteTest {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("site");
        let out = tmp.path().join("out").join("public");
        fs::create_dir_all(&root).unwrap();
        fs::create_dir_all(out.parent().unwrap()).unwrap();
        SiteTest { tmp, root, out }
    }

    /// The temporary folder holding `site/` and `out/`.
    pub fn tmp(&self) -> &Path {
        self.tmp.path()
    }

    /// `rel` (a path relative to the site root) as an absolute path.
    pub fn path(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }

    pub fn read(&self, rel: &str) -> String {
        let p = self.path(rel);
        fs::read_to_string(&p).unwrap_or_else(|e| panic!("cannot read {}: {e}", p.display()))
    }

    /// Writes (or replaces) a file of the site, creating its folders.
    pub fn write(&self, rel: &str, contents: impl AsRef<[u8]>) -> &Self {
        let p = self.path(rel);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, contents).unwrap();
        self
    }

    /// Replaces the first `from` in a file by `to`; panics when the file
    /// lacks `from`, so an edit that no longer applies cannot pass unseen.
    pub fn replace(&self, rel: &str, from: &str, to: &str) -> &Self {
        let text = self.read(rel);
        assert!(text.contains(from), "{rel} lacks {from:?}");
        self.write(rel, text.replacen(from, to, 1))
    }

    pub fn remove(&self, rel: &str) -> &Self {
        fs::remove_file(self.path(rel)).unwrap();
        self
    }

    pub fn rename(&self, from: &str, to: &str) -> &Self {
        fs::rename(self.path(from), self.path(to)).unwrap();
        self
    }

    /// Copies every file under `dir` over the site, replacing files of the
    /// same name (the error corpus lays each defect over a valid site).
    pub fn overlay(&self, dir: &Path) -> &Self {
        copy_dir(dir, &self.root);
        self
    }

    /// Builds through the library into `self.out`.
    pub fn build(&self) -> Built {
        self.build_with(|_| {})
    }

    /// Builds with the arguments changed by `edit` (root and output are
    /// preset to the site's): `site.build_with(|a| a.drafts = true)`.
    pub fn build_with(&self, edit: impl FnOnce(&mut BuildArgs)) -> Built {
        let mut args = BuildArgs {
            root: self.root.clone(),
            output: Some(self.out.clone()),
            now: Some(test_now()),
            ..BuildArgs::default()
        };
        edit(&mut args);
        let diags = Diagnostics::new();
        let summary = build(&args, &diags);
        let built = self.outcome(summary, &diags, args.output);
        if built.result.is_some() && built.errors().next().is_some() {
            panic!(
                "build returned a summary despite errors:\n{}",
                built.rendered()
            );
        }
        built
    }

    /// `klynge check` through the library: builds in memory, writes nothing.
    pub fn check(&self) -> Checked {
        self.check_with(klynge::check::CheckOptions::default())
    }

    /// `klynge check` with options, at the fixed test time.
    pub fn check_with(&self, options: klynge::check::CheckOptions) -> Checked {
        let diags = Diagnostics::new();
        let options = klynge::check::CheckOptions {
            now: Some(test_now()),
            ..options
        };
        let report = klynge::check::check(&self.root, options, &diags);
        self.outcome(report, &diags, None)
    }

    /// `klynge serve` in memory, without HTTP or a file watcher: edit
    /// through the returned value, then rebuild.
    pub fn serve(&self) -> ServeTest<'_> {
        ServeTest {
            site: self,
            builder: Builder::new(self.root.clone(), SERVE_ORIGIN.into(), false)
                .schedule(Some(test_now()), false),
            shared: Shared::default(),
        }
    }

    /// Runs the `klynge` binary on this site: `klynge <args> --root <root>`.
    /// Its output names the site's files relative to the root.
    pub fn klynge(&self, args: &[&str]) -> Run {
        let mut all: Vec<&str> = args.to_vec();
        let root = self.root.to_str().expect("a UTF-8 temporary path");
        all.extend(["--root", root]);
        let mut run = klynge_in(self.tmp(), &all);
        run.stdout = self.normalise(&run.stdout);
        run.stderr = self.normalise(&run.stderr);
        run
    }

    /// `text` with this site's temporary paths made stable (see
    /// [`StablePaths`]).
    pub fn normalise(&self, text: &str) -> String {
        self.stable_paths().apply(text)
    }

    fn stable_paths(&self) -> StablePaths {
        StablePaths {
            root: self.root.clone(),
            tmp: self.tmp().to_path_buf(),
        }
    }

    fn outcome<R>(
        &self,
        result: Option<R>,
        diags: &Diagnostics,
        out: Option<PathBuf>,
    ) -> Outcome<R> {
        Outcome {
            result,
            diagnostics: diags.sorted(),
            out,
            paths: self.stable_paths(),
        }
    }

    // The built output, by site path (`/en/spas/`, `/sitemap.xml`).

    /// Whether the output has a file for site path `url`.
    pub fn exists(&self, url: &str) -> bool {
        self.out.join(file_for(url)).is_file()
    }

    pub fn text(&self, url: &str) -> String {
        let p = self.out.join(file_for(url));
        fs::read_to_string(&p)
            .unwrap_or_else(|e| panic!("cannot read {url} ({}): {e}", p.display()))
    }

    pub fn page(&self, url: &str) -> Html {
        Html::parse_document(&self.text(url))
    }

    /// Every file of the output.
    pub fn tree(&self) -> BTreeMap<String, Vec<u8>> {
        tree(&self.out)
    }
}

/// What a build, check or serve rebuild returned, with every diagnostic
/// it reported (sorted, as the binary prints them).
#[must_use]
pub struct Outcome<R> {
    /// The library's result: `None` when it gave up.
    pub result: Option<R>,
    pub diagnostics: Vec<Diagnostic>,
    /// Where a build wrote its output.
    pub out: Option<PathBuf>,
    paths: StablePaths,
}

pub type Built = Outcome<Summary>;
pub type Checked = Outcome<klynge::check::Report>;
pub type Served = Outcome<Report>;

impl<R> Outcome<R> {
    /// A result, and no error (warnings allowed).
    pub fn ok(&self) -> bool {
        self.result.is_some() && self.errors().next().is_none()
    }

    /// Panics with every diagnostic unless the run succeeded.
    pub fn assert_ok(&self) -> &R {
        match &self.result {
            Some(r) if self.ok() => r,
            _ => panic!("the run failed:\n{}", self.rendered()),
        }
    }

    /// Panics unless the run failed with at least one error.
    pub fn assert_err(&self) -> &Self {
        assert!(
            !self.ok(),
            "the run succeeded but should have failed:\n{}",
            self.rendered()
        );
        assert!(
            self.errors().next().is_some(),
            "the run failed without an error diagnostic"
        );
        self
    }

    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics.iter().filter(|d| d.is_error())
    }

    pub fn warnings(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics.iter().filter(|d| !d.is_error())
    }

    /// Every diagnostic in full, as `Diagnostic::render(false)` prints it
    /// (headline, source line, caret, hint), temporary paths made stable.
    pub fn rendered(&self) -> String {
        let all: String = self.diagnostics.iter().map(|d| d.render(false)).collect();
        self.paths.apply(&all)
    }

    /// One headline per line.
    pub fn headlines(&self) -> String {
        let all: String = self
            .diagnostics
            .iter()
            .map(|d| format!("{}\n", d.headline()))
            .collect();
        self.paths.apply(&all)
    }

    /// Every file of the output a build wrote.
    pub fn tree(&self) -> BTreeMap<String, Vec<u8>> {
        tree(self.out.as_ref().expect("this run writes no output"))
    }
}

/// Makes a site's temporary paths stable in text: paths under the site
/// root become relative to it, the root itself `.`, and other paths in
/// the temporary folder start with `<tmp>`.
#[derive(Clone)]
struct StablePaths {
    root: PathBuf,
    tmp: PathBuf,
}

impl StablePaths {
    fn apply(&self, text: &str) -> String {
        let canonical = |p: &Path| p.canonicalize().unwrap_or_else(|_| p.to_path_buf());
        let mut text = text.to_string();
        for (root, tmp) in [
            (self.root.clone(), self.tmp.clone()),
            (canonical(&self.root), canonical(&self.tmp)),
        ] {
            let (root, tmp) = (root.display().to_string(), tmp.display().to_string());
            text = text
                .replace(&format!("{root}/"), "")
                .replace(&root, ".")
                .replace(&tmp, "<tmp>");
        }
        text
    }
}

/// The origin an in-memory serve renders absolute URLs with.
pub const SERVE_ORIGIN: &str = "http://127.0.0.1:1111";

/// `klynge serve`'s rebuild loop in memory: edits made through it are
/// noted as a file watcher would report them, for the next `rebuild`.
pub struct ServeTest<'a> {
    site: &'a SiteTest,
    builder: Builder,
    shared: Shared,
}

impl ServeTest<'_> {
    /// Serves exactly what a fresh serve of the site as it is now serves.
    pub fn assert_same_as_fresh(&self) {
        let mut fresh = self.site.serve();
        fresh.rebuild().assert_ok();
        assert!(
            self.files() == fresh.files(),
            "serve differs from a fresh serve"
        );
    }

    /// A full rebuild first, then incremental ones after edits.
    pub fn rebuild(&mut self) -> Served {
        let diags = Diagnostics::new();
        let report = self.builder.rebuild(&self.shared, &diags);
        self.site.outcome(report, &diags, None)
    }

    pub fn write(&mut self, rel: &str, contents: impl AsRef<[u8]>) -> &mut Self {
        self.site.write(rel, contents);
        self.changed(rel)
    }

    pub fn replace(&mut self, rel: &str, from: &str, to: &str) -> &mut Self {
        self.site.replace(rel, from, to);
        self.changed(rel)
    }

    pub fn remove(&mut self, rel: &str) -> &mut Self {
        self.site.remove(rel);
        self.changed(rel)
    }

    /// Notes a change made some other way.
    pub fn changed(&mut self, rel: &str) -> &mut Self {
        self.builder.note_changes(&[self.site.path(rel)]);
        self
    }

    /// The site as served: output path → bytes.
    pub fn files(&self) -> BTreeMap<String, Vec<u8>> {
        self.shared
            .read()
            .files
            .iter()
            .map(|(k, v)| (k.clone(), v.to_vec()))
            .collect()
    }

    /// The served text of site path `url` (without the base path).
    pub fn text(&self, url: &str) -> Option<String> {
        let out = self.shared.read();
        let bytes = out.files.get(&file_for(url))?;
        Some(String::from_utf8_lossy(bytes).into_owned())
    }

    /// The page every HTML request gets while the last rebuild failed.
    pub fn error_page(&self) -> Option<String> {
        let out = self.shared.read();
        let page = out.error_page.as_ref()?;
        Some(String::from_utf8_lossy(page).into_owned())
    }
}
