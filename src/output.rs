//! Writes the built site: into a temporary folder beside the target, which
//! replaces the target only when everything was written. A failed build
//! thus leaves the previous output exactly as it was.

use crate::diagnostic::Diagnostic;
use crate::render::OutputFile;
use rayon::prelude::*;
use std::collections::HashSet;
use std::fs;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;

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

/// Writes `files` into `output`, replacing what was there only on success.
pub fn write_site(output: &Path, files: &[OutputFile]) -> Result<(), Diagnostic> {
    let staging = Staging::new(output)?;
    files
        .par_iter()
        .try_for_each(|f| staging.write(&f.path, &f.bytes))?;
    staging.commit()
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
    /// The outermost folder above the output that did not exist before.
    created: Option<PathBuf>,
    /// Folders of the temporary tree made so far.
    folders: Mutex<HashSet<PathBuf>>,
    committed: bool,
}

impl Staging {
    pub fn new(output: &Path) -> Result<Staging, Diagnostic> {
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
        let mut staging = Staging {
            output: output.to_path_buf(),
            tmp: PathBuf::new(),
            old: PathBuf::new(),
            created,
            folders: Mutex::new(HashSet::new()),
            committed: false,
        };
        if output.exists() && !output.is_dir() {
            return Err(Diagnostic::error(format!(
                "output {} exists and is not a folder",
                output.display()
            )));
        }
        let pid = std::process::id();
        staging.tmp = parent.join(format!(".{name}.klynge-new-{pid}"));
        staging.old = parent.join(format!(".{name}.klynge-old-{pid}"));
        let _ = fs::remove_dir_all(&staging.tmp);
        fs::create_dir_all(&staging.tmp).map_err(|e| {
            Diagnostic::error(format!("cannot create {}: {e}", staging.tmp.display()))
        })?;
        Ok(staging)
    }

    /// Writes one file (`path` relative to the output folder); safe to call
    /// from several threads at once.
    pub fn write(&self, path: &str, bytes: &[u8]) -> Result<(), Diagnostic> {
        let target = self.tmp.join(safe_relative(path)?);
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
        fs::write(&target, bytes)
            .map_err(|e| Diagnostic::error(format!("cannot write {}: {e}", target.display())))
    }

    /// Puts the written site in place of the output folder.
    pub fn commit(mut self) -> Result<(), Diagnostic> {
        let output = self.output.clone();
        if output.exists() {
            fs::rename(&output, &self.old).map_err(|e| {
                Diagnostic::error(format!(
                    "cannot move the old {} aside: {e}",
                    output.display()
                ))
            })?;
        }
        if let Err(e) = fs::rename(&self.tmp, &output) {
            // Put the previous output back before reporting.
            let _ = fs::rename(&self.old, &output);
            return Err(Diagnostic::error(format!(
                "cannot move the new site into {}: {e}",
                output.display()
            )));
        }
        self.committed = true;
        let _ = fs::remove_dir_all(&self.old);
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if self.committed {
            return;
        }
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
}
