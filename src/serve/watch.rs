//! Watching the site's sources: `site.toml` and the folders a build reads
//! (`content/`, `themes/`, `templates/`, `static/`, `i18n/`), with a short
//! debounce (reads filtered out), and sorting each batch of changed paths
//! into what it needs.

use notify_debouncer_full::notify::event::{AccessKind, AccessMode, EventKind};
use notify_debouncer_full::notify::{RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache, new_debouncer};
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::Sender;
use std::time::Duration;

/// The folders under the root that a build reads.
pub const DIRS: [&str; 7] = [
    "content",
    "themes",
    "templates",
    "static",
    "i18n",
    "assets",
    "data",
];

/// How long the sources must be quiet before a rebuild. An editor's save
/// (write, or write to a temporary file and rename) is over in a few
/// milliseconds; a longer wait would only add to every edit's latency
/// (a rebuilt page within 50 ms of the save is the goal). A batch that a
/// slow save or a `git checkout` splits in two is no harm: each rebuild
/// reads the files as they are, and the second one finishes the work.
/// Changes that arrive during a rebuild are taken together in the next.
pub const DEBOUNCE: Duration = Duration::from_millis(5);

/// How often the debouncer looks for batches that have gone quiet: a
/// batch waits `DEBOUNCE` plus up to one tick. The crate's default, a
/// quarter of the timeout, would add a millisecond or more to each edit;
/// a wake-up a millisecond costs the idle server nothing measurable.
const TICK: Duration = Duration::from_millis(1);

/// What a batch of changes needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Change {
    None,
    /// Only content files: reload content, re-render what depends on it.
    Content,
    /// Configuration, theme, templates, static files, UI strings or
    /// locations: rebuild everything.
    Everything,
}

/// What the watcher sends the rebuild loop.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notice {
    /// These paths changed (one debounced batch).
    Changed(Vec<PathBuf>),
    /// Watching had a problem; it goes on.
    Warning(String),
}

pub struct Watcher {
    root: PathBuf,
    debouncer: Debouncer<RecommendedWatcher, RecommendedCache>,
    watched: HashSet<PathBuf>,
}

impl Watcher {
    /// Starts watching `root` (canonical) and sends the paths of each
    /// batch of changes to `tx`. Call `refresh` next, to watch the source
    /// folders.
    pub fn start(root: &Path, tx: Sender<Notice>) -> Result<Watcher, String> {
        let handler = move |batch: DebounceEventResult| match batch {
            Ok(events) => {
                let paths: Vec<PathBuf> = events
                    .into_iter()
                    .filter(|e| !is_read(&e.event.kind))
                    .flat_map(|e| e.event.paths)
                    .collect();
                if !paths.is_empty() {
                    let _ = tx.send(Notice::Changed(paths));
                }
            }
            Err(errors) => {
                for e in errors {
                    let _ = tx.send(Notice::Warning(format!("file watching: {e}")));
                }
            }
        };
        let mut debouncer = new_debouncer(DEBOUNCE, Some(TICK), handler)
            .map_err(|e| format!("cannot watch for changes: {e}"))?;
        // The root itself, not recursively: site.toml, and folders that
        // appear later. public/ and the like are never watched.
        debouncer
            .watch(root, RecursiveMode::NonRecursive)
            .map_err(|e| format!("cannot watch {}: {e}", root.display()))?;
        Ok(Watcher {
            root: root.to_path_buf(),
            debouncer,
            watched: HashSet::new(),
        })
    }

    /// Watches the source folders that exist now and were not watched yet.
    /// Returns a warning for each folder it cannot watch.
    pub fn refresh(&mut self) -> Vec<String> {
        let mut warnings = Vec::new();
        for dir in DIRS {
            let path = self.root.join(dir);
            if path.is_dir() && !self.watched.contains(&path) {
                match self.debouncer.watch(&path, RecursiveMode::Recursive) {
                    Ok(()) => {
                        self.watched.insert(path);
                    }
                    Err(e) => warnings.push(format!("cannot watch {}: {e}", path.display())),
                }
            } else if !path.is_dir() {
                // Gone: watch it again if it comes back.
                self.watched.remove(&path);
            }
        }
        warnings
    }
}

/// Opening and reading a file is no change (and every build reads them
/// all); closing a file written to is.
fn is_read(kind: &EventKind) -> bool {
    matches!(kind, EventKind::Access(a) if *a != AccessKind::Close(AccessMode::Write))
}

/// What the changes to `paths` (absolute, under `root`) need.
pub fn classify(root: &Path, paths: &[PathBuf]) -> Change {
    paths
        .iter()
        .map(|p| classify_one(root, p))
        .max()
        .unwrap_or(Change::None)
}

/// Whether `path` is a photo a page may show: one beside content, or in
/// `assets/`.
pub fn is_photo_change(root: &Path, path: &Path) -> bool {
    let Ok(rel) = path.strip_prefix(root) else {
        return false;
    };
    let first = rel.components().next().and_then(|c| c.as_os_str().to_str());
    matches!(first, Some("content" | "assets"))
        && !rel.iter().any(crate::fsutil::is_ignored_name)
        && rel
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(crate::photos::is_photo_name)
}

fn classify_one(root: &Path, path: &Path) -> Change {
    let Ok(rel) = path.strip_prefix(root) else {
        return Change::None;
    };
    // Hidden files and editors' swap, lock and backup files: no walk of the
    // site reads them.
    if rel.iter().any(crate::fsutil::is_ignored_name) {
        return Change::None;
    }
    let first = rel
        .components()
        .next()
        .and_then(|c| c.as_os_str().to_str())
        .unwrap_or("");
    match first {
        "site.toml" => Change::Everything,
        "content" if rel == Path::new("content/locations.toml") => Change::Everything,
        // A photo: the pages that show it are rebuilt with it processed anew.
        "content"
            if rel
                .file_name()
                .and_then(|n| n.to_str())
                .is_some_and(crate::photos::is_photo_name) =>
        {
            Change::Everything
        }
        "assets" => Change::Everything,
        "content" if rel == Path::new("content/treatments.toml") => Change::Everything,
        // The content is compared graph to graph, so anything here
        // (the folder itself too) can take the incremental path.
        "content" => Change::Content,
        // Files templates load (`load_data`): the pages that loaded them
        // are found by their records, like a content edit's.
        "data" => Change::Content,
        "themes" | "templates" | "static" | "i18n" => Change::Everything,
        _ => Change::None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_changes() {
        let root = Path::new("/site");
        let c = |p: &str| classify(root, &[PathBuf::from(p)]);
        assert_eq!(c("/site/content/spas/laine.en.md"), Change::Content);
        assert_eq!(c("/site/content/locations.toml"), Change::Everything);
        assert_eq!(c("/site/content/spas/laine/hall.jpg"), Change::Everything);
        assert_eq!(c("/site/assets/shared.png"), Change::Everything);
        assert_eq!(c("/site/content/treatments.toml"), Change::Everything);
        assert_eq!(c("/site/site.toml"), Change::Everything);
        assert_eq!(c("/site/templates/base.html"), Change::Everything);
        assert_eq!(c("/site/themes/default/i18n/en.toml"), Change::Everything);
        assert_eq!(c("/site/public/index.html"), Change::None);
        assert_eq!(c("/site/content/spas/.laine.en.md.swp"), Change::None);
        assert_eq!(c("/elsewhere/site.toml"), Change::None);
        let both = [
            PathBuf::from("/site/content/a.md"),
            PathBuf::from("/site/static/x.css"),
        ];
        assert_eq!(classify(root, &both), Change::Everything);
    }
}
