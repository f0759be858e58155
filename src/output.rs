//! Writes the built site: into a temporary folder beside the target, which
//! replaces the target only when everything was written. A failed build
//! thus leaves the previous output exactly as it was.
//!
//! Nothing lost, nothing overwritten: klynge lists what it wrote in
//! [`MANIFEST`] at the output's root, replaces only a folder holding that
//! list (or an empty one, or any with `--force`), and carries over into the
//! new output what it did not write there (a gh-pages `.git`, `CNAME`).

use crate::diagnostic::Diagnostic;
use crate::render::OutputFile;
use rayon::prelude::*;
use std::collections::{BTreeSet, HashSet};
use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, RwLock};

/// Refuses output folders that would destroy the site's sources.
pub fn check_output_dir(root: &Path, output: &Path) -> Result<(), Diagnostic> {
    let abs = |p: &Path| fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    let root = abs(root);
    let out = match output.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => {
            abs(parent).join(output.file_name().unwrap_or_default())
        }
        _ => abs(output),
    };
    if out == root || root.starts_with(&out) {
        return Err(Diagnostic::error(format!(
            "output folder {} holds the site itself; choose another --output",
            output.display()
        )));
    }
    for source in ["content", "themes", "templates", "static", "i18n"] {
        if out.starts_with(root.join(source)) {
            return Err(Diagnostic::error(format!(
                "output folder {} is inside the site's {source}/ folder; choose another --output",
                output.display()
            )));
        }
    }
    Ok(())
}

/// A relative path that cannot leave the output folder.
fn safe_relative(path: &str) -> Result<PathBuf, Diagnostic> {
    let p = Path::new(path);
    if p.components().all(|c| matches!(c, Component::Normal(_))) && !path.is_empty() {
        Ok(p.to_path_buf())
    } else {
        Err(Diagnostic::error(format!(
            "refusing to write `{path}`: it would leave the output folder"
        )))
    }
}

/// The file at the root of every output folder klynge writes: the paths of
/// the files it wrote there, one a line, sorted. Its leading dot keeps it
/// out of the site's pages.
pub const MANIFEST: &str = ".klynge-output";

const MANIFEST_HEADER: &str = "# klynge build wrote the files below; it replaces them on the next build and keeps the rest of this folder.";

/// What a static host needs and a user puts into the output folder by
/// hand: kept even when `--force` replaces a folder klynge did not write.
const HOST_FILES: [&str; 3] = [".git", "CNAME", ".nojekyll"];

/// Writes `files` into `output`, replacing what was there only on success.
pub fn write_site(output: &Path, files: &[OutputFile]) -> Result<(), Diagnostic> {
    let staging = Staging::new(output)?;
    files
        .par_iter()
        .try_for_each(|f| staging.write(&f.path, &f.bytes))?;
    staging.commit()
}

/// Set once a signal ends the process (see [`abandon_staging`]): writes
/// hold it for reading, so the signal handler waits for the writes under
/// way, and commits hold it for writing, so a commit is never cut short.
static CANCELLED: RwLock<bool> = RwLock::new(false);
/// The temporary folders of the stagings not yet committed or dropped.
static ACTIVE: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// Removes the temporary folder of every build under way and makes their
/// further writes and commits fail: for a signal handler, before it ends
/// the process. A commit under way is finished first.
pub fn abandon_staging() {
    let mut cancelled = CANCELLED.write().unwrap_or_else(|e| e.into_inner());
    *cancelled = true;
    for tmp in ACTIVE.lock().unwrap_or_else(|e| e.into_inner()).drain(..) {
        let _ = fs::remove_dir_all(tmp);
    }
}

fn cancelled_error() -> Diagnostic {
    Diagnostic::error("the build was stopped")
}

/// An output folder being written: files go into a temporary folder beside
/// it as they are made, so a build need not hold the whole site in memory,
/// and replace it only on `commit`. Dropped without a commit, it removes
/// what it wrote (and the folders it had to create to hold it), so a failed
/// build leaves the previous output exactly as it was.
pub struct Staging {
    output: PathBuf,
    tmp: PathBuf,
    old: PathBuf,
    /// While a commit moves entries the user put into the output, the list
    /// of them, so that a later build can put them back if this one is
    /// killed half-way (see [`recover_stale`]).
    journal: PathBuf,
    /// The outermost folder above the output that did not exist before.
    created: Option<PathBuf>,
    /// Folders of the temporary tree made so far.
    folders: Mutex<HashSet<PathBuf>>,
    /// Every path written, for the manifest.
    written: Mutex<Vec<String>>,
    /// The root entries the previous output's manifest names (klynge's);
    /// `None` when it had no manifest.
    owned: Option<HashSet<String>>,
    /// Every file the previous output's manifest names: the files an
    /// unchanged write may keep (see [`Staging::keep_unchanged`]).
    previous: HashSet<String>,
    /// Files written with new bytes (new files or changed ones).
    changed: AtomicUsize,
    /// Warnings of `new` (stale folders it could not clean up).
    warnings: Vec<Diagnostic>,
    committed: bool,
}

impl Staging {
    /// A staging for `output` that refuses a non-empty folder klynge did
    /// not write.
    pub fn new(output: &Path) -> Result<Staging, Diagnostic> {
        Staging::open(output, false)
    }

    /// A staging for `output`; with `force`, a non-empty folder without
    /// klynge's manifest is replaced too (keeping [`HOST_FILES`]).
    pub fn open(output: &Path, force: bool) -> Result<Staging, Diagnostic> {
        let name = output
            .file_name()
            .ok_or_else(|| {
                Diagnostic::error(format!("output {} is not a folder name", output.display()))
            })?
            .to_string_lossy()
            .to_string();
        let parent = match output.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let created = parent
            .ancestors()
            .take_while(|p| !p.as_os_str().is_empty() && !p.exists())
            .last()
            .map(Path::to_path_buf);
        fs::create_dir_all(&parent)
            .map_err(|e| Diagnostic::error(format!("cannot create {}: {e}", parent.display())))?;
        let pid = std::process::id();
        let mut staging = Staging {
            output: output.to_path_buf(),
            tmp: parent.join(format!(".{name}.klynge-new-{pid}")),
            old: parent.join(format!(".{name}.klynge-old-{pid}")),
            journal: parent.join(format!(".{name}.klynge-carry-{pid}")),
            created,
            folders: Mutex::new(HashSet::new()),
            written: Mutex::new(Vec::new()),
            owned: None,
            previous: HashSet::new(),
            changed: AtomicUsize::new(0),
            warnings: Vec::new(),
            committed: false,
        };
        staging.warnings = remove_stale(&parent, &name, output);
        if output.exists() && !output.is_dir() {
            return Err(Diagnostic::error(format!(
                "output {} exists and is not a folder",
                output.display()
            )));
        }
        if let Some(files) = read_manifest(output) {
            staging.owned = Some(root_names(&files));
            staging.previous = files;
        }
        if staging.owned.is_none() && !force {
            let foreign: Vec<String> = root_entries(output)
                .into_iter()
                .filter(|e| !HOST_FILES.contains(&e.as_str()))
                .collect();
            if !foreign.is_empty() {
                return Err(refusal(output, &foreign));
            }
        }
        {
            let cancelled = CANCELLED.read().unwrap_or_else(|e| e.into_inner());
            if *cancelled {
                return Err(cancelled_error());
            }
            let _ = fs::remove_dir_all(&staging.tmp);
            fs::create_dir_all(&staging.tmp).map_err(|e| {
                Diagnostic::error(format!("cannot create {}: {e}", staging.tmp.display()))
            })?;
            ACTIVE
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push(staging.tmp.clone());
        }
        Ok(staging)
    }

    /// What `open` has to say that is not an error (stale folders of
    /// killed builds it left in place).
    pub fn take_warnings(&mut self) -> Vec<Diagnostic> {
        std::mem::take(&mut self.warnings)
    }

    /// Writes one file (`path` relative to the output folder); safe to call
    /// from several threads at once.
    pub fn write(&self, path: &str, bytes: &[u8]) -> Result<(), Diagnostic> {
        let target = self.tmp.join(safe_relative(path)?);
        if path == MANIFEST {
            return Err(Diagnostic::error(format!(
                "refusing to write `{path}`: klynge keeps its list of written files under that name"
            ))
            .with_hint("rename the file"));
        }
        let cancelled = CANCELLED.read().unwrap_or_else(|e| e.into_inner());
        if *cancelled {
            return Err(cancelled_error());
        }
        if let Some(folder) = target.parent() {
            let known = self
                .folders
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .contains(folder);
            if !known {
                fs::create_dir_all(folder).map_err(|e| {
                    Diagnostic::error(format!("cannot create {}: {e}", folder.display()))
                })?;
                self.folders
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .insert(folder.to_path_buf());
            }
        }
        if !self.keep_unchanged(path, &target, bytes) {
            fs::write(&target, bytes).map_err(|e| {
                Diagnostic::error(format!("cannot write {}: {e}", target.display()))
            })?;
            self.changed.fetch_add(1, Ordering::Relaxed);
        }
        self.written
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(path.to_string());
        Ok(())
    }

    /// Puts the previous build's file at `target` instead of writing
    /// `bytes` when that file holds exactly these bytes: a hard link (or,
    /// across file systems, a copy with the old modification time). A
    /// rebuild thus leaves the modification time of every unchanged file
    /// alone, and deploy tools that compare times (`rsync`, `aws s3 sync`)
    /// upload only what changed. Only files the previous build wrote (its
    /// manifest) are candidates; any doubt means writing afresh.
    fn keep_unchanged(&self, path: &str, target: &Path, bytes: &[u8]) -> bool {
        if !self.previous.contains(path) {
            return false;
        }
        let old = self.output.join(path);
        let Ok(meta) = fs::symlink_metadata(&old) else {
            return false;
        };
        if !meta.is_file() || meta.len() != bytes.len() as u64 {
            return false;
        }
        if fs::read(&old).ok().as_deref() != Some(bytes) {
            return false;
        }
        if fs::hard_link(&old, target).is_ok() {
            return true;
        }
        let copied = fs::copy(&old, target).is_ok()
            && meta.modified().is_ok_and(|time| {
                fs::File::options()
                    .write(true)
                    .open(target)
                    .and_then(|f| f.set_modified(time))
                    .is_ok()
            });
        if !copied {
            let _ = fs::remove_file(target);
        }
        copied
    }

    /// What this build changes in the output so far: files written with
    /// new bytes, and files of the previous build it no longer writes.
    pub fn changes(&self) -> Changes {
        let written = self.written.lock().unwrap_or_else(|e| e.into_inner());
        let now: HashSet<&str> = written.iter().map(String::as_str).collect();
        Changes {
            changed: self.changed.load(Ordering::Relaxed),
            removed: self
                .previous
                .iter()
                .filter(|p| !now.contains(p.as_str()))
                .count(),
        }
    }

    /// Puts the written site in place of the output folder, carrying over
    /// what the user put there.
    pub fn commit(self) -> Result<(), Diagnostic> {
        self.commit_with(&|from, to| fs::rename(from, to))
    }

    /// The root entries of the current output to carry into the new one.
    fn carried(&self) -> Vec<String> {
        root_entries(&self.output)
            .into_iter()
            .filter(|e| e != MANIFEST)
            .filter(|e| match &self.owned {
                Some(owned) => !owned.contains(e),
                None => HOST_FILES.contains(&e.as_str()),
            })
            .collect()
    }

    /// `commit`, with the renames done by `rename` (tests make it fail).
    fn commit_with(
        mut self,
        rename: &dyn Fn(&Path, &Path) -> io::Result<()>,
    ) -> Result<(), Diagnostic> {
        let cancelled = CANCELLED.write().unwrap_or_else(|e| e.into_inner());
        if *cancelled {
            return Err(cancelled_error());
        }
        let output = self.output.clone();
        let carry = self.carried();
        for e in &carry {
            if self.tmp.join(e).symlink_metadata().is_ok() {
                return Err(Diagnostic::error(format!(
                    "{} was not written by klynge, and the site now writes {e} too",
                    output.join(e).display()
                ))
                .with_hint(format!(
                    "move {} away, or leave `{e}` out of the site",
                    output.join(e).display()
                )));
            }
        }
        let mut written =
            std::mem::take(&mut *self.written.lock().unwrap_or_else(|e| e.into_inner()));
        written.sort();
        written.dedup();
        let mut manifest = format!("{MANIFEST_HEADER}\n");
        for p in &written {
            manifest.push_str(p);
            manifest.push('\n');
        }
        let manifest_path = self.tmp.join(MANIFEST);
        fs::write(&manifest_path, manifest).map_err(|e| {
            Diagnostic::error(format!("cannot write {}: {e}", manifest_path.display()))
        })?;

        if output.symlink_metadata().is_err() {
            rename(&self.tmp, &output).map_err(|e| {
                Diagnostic::error(format!(
                    "cannot move the new site into {}: {e}",
                    output.display()
                ))
            })?;
            return self.committed(cancelled);
        }
        if !carry.is_empty() {
            fs::write(&self.journal, carry.join("\n") + "\n").map_err(|e| {
                Diagnostic::error(format!("cannot write {}: {e}", self.journal.display()))
            })?;
        }
        match rename(&output, &self.old) {
            Ok(()) => {
                if let Err(d) = self.swap_folders(&carry, rename) {
                    let _ = fs::remove_file(&self.journal);
                    return Err(d);
                }
            }
            Err(e) if busy(&e) => {
                // A mount point (a Docker volume) cannot be renamed: swap
                // its entries instead. What the user put there stays.
                if let Err(d) = self.swap_entries(&carry, rename) {
                    let _ = fs::remove_file(&self.journal);
                    return Err(d);
                }
            }
            Err(e) => {
                let _ = fs::remove_file(&self.journal);
                return Err(Diagnostic::error(format!(
                    "cannot move the old {} aside: {e}",
                    output.display()
                )));
            }
        }
        self.committed(cancelled)
    }

    fn committed(
        mut self,
        cancelled: std::sync::RwLockWriteGuard<'_, bool>,
    ) -> Result<(), Diagnostic> {
        self.committed = true;
        let _ = fs::remove_dir_all(&self.old);
        let _ = fs::remove_dir_all(&self.tmp);
        let _ = fs::remove_file(&self.journal);
        self.unregister();
        drop(cancelled);
        Ok(())
    }

    fn unregister(&self) {
        ACTIVE
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .retain(|t| t != &self.tmp);
    }

    /// The output is at `old` now: moves the carried entries from there
    /// into the new site, and the new site into place. On failure, puts
    /// everything back as it was.
    fn swap_folders(
        &mut self,
        carry: &[String],
        rename: &dyn Fn(&Path, &Path) -> io::Result<()>,
    ) -> Result<(), Diagnostic> {
        let mut moved: Vec<&String> = Vec::new();
        let mut failure = None;
        for e in carry {
            match rename(&self.old.join(e), &self.tmp.join(e)) {
                Ok(()) => moved.push(e),
                Err(err) => {
                    failure = Some(format!(
                        "cannot carry {} over into the new site: {err}",
                        self.output.join(e).display()
                    ));
                    break;
                }
            }
        }
        if failure.is_none() {
            match rename(&self.tmp, &self.output) {
                Ok(()) => return Ok(()),
                Err(err) => {
                    failure = Some(format!(
                        "cannot move the new site into {}: {err}",
                        self.output.display()
                    ))
                }
            }
        }
        // Put the previous output back before reporting.
        let mut restored = true;
        for e in moved.iter().rev() {
            restored &= rename(&self.tmp.join(e), &self.old.join(e)).is_ok();
        }
        restored &= rename(&self.old, &self.output).is_ok();
        Err(self.failed(failure.unwrap_or_default(), restored))
    }

    /// The output cannot be renamed: moves its entries (but the carried
    /// ones) into `old` and the new site's entries into it, the manifest
    /// last; meanwhile the output's manifest names the entries of both, so
    /// that nothing of klynge's is taken for the user's if this is cut
    /// short. On failure, puts everything back as it was.
    fn swap_entries(
        &mut self,
        carry: &[String],
        rename: &dyn Fn(&Path, &Path) -> io::Result<()>,
    ) -> Result<(), Diagnostic> {
        let manifest = self.output.join(MANIFEST);
        let previous = fs::read_to_string(&manifest).ok();
        let mut both = previous.clone().unwrap_or_default();
        both.push_str(&fs::read_to_string(self.tmp.join(MANIFEST)).unwrap_or_default());
        let mut failure = fs::create_dir_all(&self.old)
            .and_then(|()| fs::write(&manifest, both))
            .err()
            .map(|e| format!("cannot prepare {}: {e}", self.output.display()));
        let mut out_moved: Vec<String> = Vec::new();
        let mut in_moved: Vec<String> = Vec::new();
        if failure.is_none() {
            for e in root_entries(&self.output) {
                if e == MANIFEST || carry.contains(&e) {
                    continue;
                }
                if let Err(err) = move_entry(rename, &self.output.join(&e), &self.old.join(&e)) {
                    failure = Some(format!(
                        "cannot move {} aside: {err}",
                        self.output.join(&e).display()
                    ));
                    break;
                }
                out_moved.push(e);
            }
        }
        if failure.is_none() {
            let mut entries = root_entries(&self.tmp);
            entries.retain(|e| e != MANIFEST);
            entries.push(MANIFEST.to_string());
            for e in entries {
                if let Err(err) = move_entry(rename, &self.tmp.join(&e), &self.output.join(&e)) {
                    failure = Some(format!(
                        "cannot move {} into {}: {err}",
                        e,
                        self.output.display()
                    ));
                    break;
                }
                in_moved.push(e);
            }
        }
        let Some(failure) = failure else {
            return Ok(());
        };
        let mut restored = true;
        for e in in_moved.iter().rev() {
            restored &= move_entry(rename, &self.output.join(e), &self.tmp.join(e)).is_ok();
        }
        for e in out_moved.iter().rev() {
            restored &= move_entry(rename, &self.old.join(e), &self.output.join(e)).is_ok();
        }
        restored &= match &previous {
            Some(text) => fs::write(&manifest, text).is_ok(),
            None => fs::remove_file(&manifest).is_ok() || !manifest.exists(),
        };
        if restored {
            let _ = fs::remove_dir(&self.old);
        }
        Err(self.failed(failure, restored))
    }

    /// The error of a failed swap. When the previous output could not be
    /// put back whole, nothing is removed: the error says where it is.
    fn failed(&mut self, failure: String, restored: bool) -> Diagnostic {
        if restored {
            return Diagnostic::error(failure);
        }
        self.committed = true; // keep the folders: they hold the user's files
        self.unregister();
        Diagnostic::error(format!(
            "{failure}; the previous output could not be put back whole: what is missing from {} is in {} and {}",
            self.output.display(),
            self.old.display(),
            self.tmp.display()
        ))
    }
}

/// Whether renaming the output folder failed because it is a mount point.
fn busy(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::ResourceBusy | io::ErrorKind::CrossesDevices
    ) || (cfg!(unix) && e.raw_os_error() == Some(1)) // EPERM
}

/// Renames `from` to `to`, or copies and removes it when they are on
/// different file systems.
fn move_entry(
    rename: &dyn Fn(&Path, &Path) -> io::Result<()>,
    from: &Path,
    to: &Path,
) -> io::Result<()> {
    match rename(from, to) {
        Err(e) if e.kind() == io::ErrorKind::CrossesDevices => {
            copy_entry(from, to)?;
            if from.is_dir() {
                fs::remove_dir_all(from)
            } else {
                fs::remove_file(from)
            }
        }
        r => r,
    }
}

fn copy_entry(from: &Path, to: &Path) -> io::Result<()> {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.map_err(io::Error::other)?;
        let rel = entry.path().strip_prefix(from).map_err(io::Error::other)?;
        let target = to.join(rel);
        let kind = entry.file_type();
        if kind.is_dir() {
            fs::create_dir_all(&target)?;
        } else if kind.is_symlink() {
            #[cfg(unix)]
            std::os::unix::fs::symlink(fs::read_link(entry.path())?, &target)?;
        } else {
            fs::copy(entry.path(), &target)?;
        }
    }
    Ok(())
}

/// The names in folder `dir`, sorted; none when it cannot be read.
fn root_entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// The files named by `output`'s manifest, `None` without one.
fn read_manifest(output: &Path) -> Option<HashSet<String>> {
    let text = fs::read_to_string(output.join(MANIFEST)).ok()?;
    Some(
        text.lines()
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(str::to_string)
            .collect(),
    )
}

/// The root entries that hold `files`.
fn root_names(files: &HashSet<String>) -> HashSet<String> {
    files
        .iter()
        .filter_map(|f| f.split('/').next())
        .map(str::to_string)
        .collect()
}

/// What a build changed in its output folder (for the summary line).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Changes {
    /// Files written with bytes the previous build did not have there.
    pub changed: usize,
    /// Files of the previous build that this one no longer writes.
    pub removed: usize,
}

/// The error for a non-empty output folder klynge did not write.
fn refusal(output: &Path, entries: &[String]) -> Diagnostic {
    let shown: Vec<String> = entries.iter().take(3).map(|e| format!("`{e}`")).collect();
    let more = match entries.len().saturating_sub(shown.len()) {
        0 => String::new(),
        n => format!(" and {n} more"),
    };
    Diagnostic::error(format!(
        "output folder {} was not written by klynge and is not empty (it holds {}{more}); building would delete what is in it",
        output.display(),
        shown.join(", ")
    ))
    .with_hint("pass --force to replace it, or choose another --output")
}

/// Removes the temporary folders that builds killed before they could
/// clean up left beside `output` (their process is gone), after putting
/// back what they had moved out of the output. Returns warnings for those
/// it left in place.
fn remove_stale(parent: &Path, name: &str, output: &Path) -> Vec<Diagnostic> {
    let prefix = format!(".{name}.klynge-");
    let pids: BTreeSet<u32> = root_entries(parent)
        .iter()
        .filter_map(|e| e.strip_prefix(&prefix))
        .filter_map(|rest| {
            let (_, pid) = rest.split_once('-')?;
            pid.parse::<u32>().ok()
        })
        .filter(|&pid| !running(pid))
        .collect();
    pids.into_iter()
        .filter_map(|pid| recover_stale(parent, name, output, pid).err())
        .collect()
}

/// Whether process `pid` may still be running (a build under way).
fn running(pid: u32) -> bool {
    if pid == std::process::id() {
        return true;
    }
    if cfg!(target_os = "linux") {
        Path::new("/proc").join(pid.to_string()).exists()
    } else {
        true // no cheap way to tell: leave the folders alone
    }
}

/// Cleans up after killed build `pid`: puts back an output it had moved
/// aside and the entries its journal lists, then removes its folders.
fn recover_stale(parent: &Path, name: &str, output: &Path, pid: u32) -> Result<(), Diagnostic> {
    let new = parent.join(format!(".{name}.klynge-new-{pid}"));
    let old = parent.join(format!(".{name}.klynge-old-{pid}"));
    let journal = parent.join(format!(".{name}.klynge-carry-{pid}"));
    let keep = |what: String| {
        Diagnostic::warning(format!(
            "an interrupted build left {}: {what}, so klynge left it in place",
            new.display()
        ))
        .with_hint("compare it with the output folder, then remove it by hand")
    };
    if output.symlink_metadata().is_err() && old.is_dir() {
        fs::rename(&old, output).map_err(|e| keep(format!("cannot restore the output: {e}")))?;
    }
    if let Ok(list) = fs::read_to_string(&journal) {
        for e in list.lines().filter(|l| !l.is_empty()) {
            let Ok(rel) = safe_relative(e) else { continue };
            let dest = output.join(&rel);
            for src in [new.join(&rel), old.join(&rel)] {
                if src.symlink_metadata().is_err() {
                    continue;
                }
                if dest.symlink_metadata().is_ok() {
                    return Err(keep(format!(
                        "it holds {e}, and so does {}",
                        output.display()
                    )));
                }
                fs::create_dir_all(output)
                    .and_then(|()| fs::rename(&src, &dest))
                    .map_err(|err| keep(format!("cannot move {e} back: {err}")))?;
            }
        }
    }
    let _ = fs::remove_dir_all(&new);
    let _ = fs::remove_dir_all(&old);
    let _ = fs::remove_file(&journal);
    Ok(())
}

impl Drop for Staging {
    fn drop(&mut self) {
        if self.committed {
            return;
        }
        self.unregister();
        if !self.tmp.as_os_str().is_empty() {
            let _ = fs::remove_dir_all(&self.tmp);
        }
        // Folders made only to hold the output go too, if still empty.
        if let Some(top) = &self.created
            && let Some(parent) = self.output.parent()
        {
            for dir in parent.ancestors() {
                if fs::remove_dir(dir).is_err() || dir == top {
                    break;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_paths_that_escape() {
        assert!(safe_relative("../x").is_err());
        assert!(safe_relative("/etc/passwd").is_err());
        assert!(safe_relative("a/../../b").is_err());
        assert!(safe_relative("en/index.html").is_ok());
    }

    #[test]
    fn replaces_output_and_keeps_it_on_failure() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        let f = |p: &str, b: &str| OutputFile {
            path: p.into(),
            bytes: b.as_bytes().to_vec(),
        };
        write_site(&out, &[f("a/index.html", "one")]).unwrap();
        write_site(&out, &[f("b.html", "two")]).unwrap();
        assert!(!out.join("a").exists());
        assert_eq!(fs::read_to_string(out.join("b.html")).unwrap(), "two");
        assert!(write_site(&out, &[f("../evil", "x")]).is_err());
        assert_eq!(fs::read_to_string(out.join("b.html")).unwrap(), "two");
        assert_eq!(
            fs::read_dir(tmp.path()).unwrap().count(),
            1,
            "no temporary folders left"
        );
    }

    #[test]
    fn a_staging_dropped_without_commit_leaves_nothing_behind() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("a/b/public");
        let staging = Staging::new(&out).unwrap();
        staging.write("en/spas/x/index.html", b"x").unwrap();
        assert!(staging.write("../evil", b"x").is_err());
        drop(staging);
        assert_eq!(
            fs::read_dir(tmp.path()).unwrap().count(),
            0,
            "no folders left"
        );
        let staging = Staging::new(&out).unwrap();
        staging.write("en/index.html", b"one").unwrap();
        staging.commit().unwrap();
        assert_eq!(
            fs::read_to_string(out.join("en/index.html")).unwrap(),
            "one"
        );
    }

    #[test]
    fn refuses_to_write_over_sources() {
        let tmp = tempfile::tempdir().unwrap();
        assert!(check_output_dir(tmp.path(), tmp.path()).is_err());
        assert!(check_output_dir(tmp.path(), &tmp.path().join("content/x")).is_err());
        assert!(check_output_dir(tmp.path(), &tmp.path().join("public")).is_ok());
    }

    fn file(p: &str, b: &str) -> OutputFile {
        OutputFile {
            path: p.into(),
            bytes: b.as_bytes().to_vec(),
        }
    }

    fn beside(dir: &Path) -> Vec<String> {
        root_entries(dir.parent().unwrap())
    }

    fn put(path: &Path, text: &str) {
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }

    #[test]
    fn marks_its_output_with_a_sorted_manifest() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        write_site(&out, &[file("z.html", "z"), file("a/index.html", "a")]).unwrap();
        let text = fs::read_to_string(out.join(MANIFEST)).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines, [MANIFEST_HEADER, "a/index.html", "z.html"]);
        // The site cannot write a file of that name.
        let err = write_site(&out, &[file(MANIFEST, "x")]).unwrap_err();
        assert!(err.message.contains(MANIFEST), "{}", err.message);
        assert_eq!(fs::read_to_string(out.join(MANIFEST)).unwrap(), text);
    }

    #[test]
    fn refuses_a_folder_it_did_not_write_unless_forced() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("thesis");
        put(&out.join("chapter1.tex"), "Ch. 1");
        put(&out.join("figures/a.png"), "png");
        put(&out.join(".git/HEAD"), "ref: refs/heads/main");
        let err = write_site(&out, &[file("index.html", "x")]).unwrap_err();
        let shown = err.render(false);
        assert!(shown.contains(&out.display().to_string()), "{shown}");
        assert!(shown.contains("`chapter1.tex`, `figures`"), "{shown}");
        assert_eq!(
            err.hint.as_deref(),
            Some("pass --force to replace it, or choose another --output")
        );
        assert_eq!(root_entries(&out), [".git", "chapter1.tex", "figures"]);
        assert_eq!(beside(&out), ["thesis"], "no temporary folder left");

        // --force replaces it, keeping only what a static host needs.
        let staging = Staging::open(&out, true).unwrap();
        staging.write("index.html", b"x").unwrap();
        staging.commit().unwrap();
        assert_eq!(root_entries(&out), [".git", MANIFEST, "index.html"]);
        assert_eq!(
            fs::read_to_string(out.join(".git/HEAD")).unwrap(),
            "ref: refs/heads/main"
        );
        assert_eq!(beside(&out), ["thesis"]);
    }

    #[test]
    fn an_empty_folder_or_one_with_host_files_only_is_built() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        fs::create_dir(&out).unwrap();
        write_site(&out, &[file("index.html", "x")]).unwrap();
        let gh = tmp.path().join("gh-pages");
        put(&gh.join(".git/HEAD"), "ref");
        put(&gh.join("CNAME"), "example.org");
        put(&gh.join(".nojekyll"), "");
        write_site(&gh, &[file("index.html", "x")]).unwrap();
        assert_eq!(
            root_entries(&gh),
            [".git", MANIFEST, ".nojekyll", "CNAME", "index.html"]
        );
    }

    #[test]
    fn replacing_its_own_output_keeps_what_the_user_put_there() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        write_site(&out, &[file("en/index.html", "one"), file("old.html", "o")]).unwrap();
        put(&out.join(".git/HEAD"), "ref: refs/heads/gh-pages");
        put(&out.join("CNAME"), "health.example.org");
        put(&out.join("notes/mine.txt"), "mine");
        write_site(&out, &[file("en/index.html", "two")]).unwrap();
        assert_eq!(
            root_entries(&out),
            [".git", MANIFEST, "CNAME", "en", "notes"]
        );
        assert_eq!(
            fs::read_to_string(out.join("en/index.html")).unwrap(),
            "two"
        );
        assert_eq!(
            fs::read_to_string(out.join("CNAME")).unwrap(),
            "health.example.org"
        );
        assert_eq!(
            fs::read_to_string(out.join("notes/mine.txt")).unwrap(),
            "mine"
        );
        assert_eq!(
            fs::read_to_string(out.join(".git/HEAD")).unwrap(),
            "ref: refs/heads/gh-pages"
        );
        // The manifest lists klynge's files only, so they stay the user's.
        let manifest = fs::read_to_string(out.join(MANIFEST)).unwrap();
        assert_eq!(
            manifest.lines().skip(1).collect::<Vec<_>>(),
            ["en/index.html"]
        );
        assert_eq!(beside(&out), ["public"], "no temporary folder left");
    }

    #[test]
    fn a_user_file_where_the_site_now_writes_is_an_error() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        write_site(&out, &[file("index.html", "one")]).unwrap();
        put(&out.join("CNAME"), "mine.example.org");
        let before = crate_tree(&out);
        let err = write_site(&out, &[file("index.html", "two"), file("CNAME", "x")]).unwrap_err();
        assert!(
            err.message
                .contains(&out.join("CNAME").display().to_string())
                && err.message.contains("writes CNAME"),
            "{}",
            err.message
        );
        assert_eq!(crate_tree(&out), before, "output untouched");
        assert_eq!(beside(&out), ["public"]);
    }

    fn crate_tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
        walkdir::WalkDir::new(dir)
            .sort_by_file_name()
            .into_iter()
            .map(|e| e.unwrap())
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                let rel = e.path().strip_prefix(dir).unwrap().display().to_string();
                (rel, fs::read(e.path()).unwrap())
            })
            .collect()
    }

    /// A rename that fails as on a mount point for `busy`, and for
    /// `broken` too once `busy` has been tried.
    fn mount_rename(
        busy: PathBuf,
        broken: Option<PathBuf>,
    ) -> impl Fn(&Path, &Path) -> io::Result<()> {
        move |from: &Path, to: &Path| {
            if from == busy {
                return Err(io::Error::new(
                    io::ErrorKind::ResourceBusy,
                    "Device or resource busy",
                ));
            }
            if broken.as_deref() == Some(from) {
                return Err(io::Error::other("injected failure"));
            }
            fs::rename(from, to)
        }
    }

    #[test]
    fn an_output_that_cannot_be_renamed_gets_its_entries_swapped() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        write_site(
            &out,
            &[file("en/index.html", "one"), file("gone.html", "g")],
        )
        .unwrap();
        put(&out.join(".git/HEAD"), "ref");
        let staging = Staging::new(&out).unwrap();
        staging.write("en/index.html", b"two").unwrap();
        staging.write("new.html", b"n").unwrap();
        staging
            .commit_with(&mount_rename(out.clone(), None))
            .unwrap();
        assert_eq!(root_entries(&out), [".git", MANIFEST, "en", "new.html"]);
        assert_eq!(
            fs::read_to_string(out.join("en/index.html")).unwrap(),
            "two"
        );
        assert_eq!(fs::read_to_string(out.join(".git/HEAD")).unwrap(), "ref");
        let manifest = fs::read_to_string(out.join(MANIFEST)).unwrap();
        assert_eq!(
            manifest.lines().skip(1).collect::<Vec<_>>(),
            ["en/index.html", "new.html"]
        );
        assert_eq!(beside(&out), ["public"], "no temporary folder left");

        // A move that fails half-way puts the previous output back.
        let before = crate_tree(&out);
        let staging = Staging::new(&out).unwrap();
        staging.write("en/index.html", b"three").unwrap();
        staging.write("zzz.html", b"z").unwrap();
        let broken = staging.tmp.join("zzz.html");
        let err = staging
            .commit_with(&mount_rename(out.clone(), Some(broken)))
            .unwrap_err();
        assert!(err.message.contains("zzz.html"), "{}", err.message);
        assert_eq!(crate_tree(&out), before, "previous output restored");
        assert_eq!(beside(&out), ["public"], "no temporary folder left");
    }

    #[test]
    fn stale_folders_of_killed_builds_are_removed() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        write_site(&out, &[file("index.html", "one")]).unwrap();
        let dead = 999_999;
        put(
            &tmp.path()
                .join(format!(".public.klynge-new-{dead}/index.html")),
            "x",
        );
        put(
            &tmp.path()
                .join(format!(".public.klynge-old-{dead}/index.html")),
            "x",
        );
        // Another output's folders are not this build's business.
        put(&tmp.path().join(format!(".other.klynge-new-{dead}/a")), "x");
        write_site(&out, &[file("index.html", "two")]).unwrap();
        assert_eq!(
            beside(&out),
            [format!(".other.klynge-new-{dead}"), "public".into()]
        );

        // Killed while it carried `.git` over: it goes back into the output.
        put(
            &tmp.path()
                .join(format!(".public.klynge-new-{dead}/.git/HEAD")),
            "ref",
        );
        put(
            &tmp.path().join(format!(".public.klynge-carry-{dead}")),
            ".git\n",
        );
        let staging = Staging::new(&out).unwrap();
        assert_eq!(fs::read_to_string(out.join(".git/HEAD")).unwrap(), "ref");
        drop(staging);
        assert_eq!(
            beside(&out),
            [format!(".other.klynge-new-{dead}"), "public".into()]
        );

        // Killed between its two renames: the previous output comes back.
        fs::rename(&out, tmp.path().join(format!(".public.klynge-old-{dead}"))).unwrap();
        let staging = Staging::new(&out).unwrap();
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "two");
        drop(staging);
    }
}
