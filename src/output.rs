//! Writes the built site: into a temporary folder beside the target, which
//! replaces the target only when everything was written. A failed build
//! thus leaves the previous output exactly as it was.

use crate::diagnostic::Diagnostic;
use crate::render::OutputFile;
use rayon::prelude::*;
use std::collections::BTreeSet;
use std::fs;
use std::path::{Component, Path, PathBuf};

/// Refuses output folders that would destroy the site's sources.
pub fn check_output_dir(root: &Path, output: &Path) -> Result<(), Diagnostic> {
    let abs = |p: &Path| fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    let root = abs(root);
    let out = match output.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => abs(parent).join(output.file_name().unwrap_or_default()),
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
        Err(Diagnostic::error(format!("refusing to write `{path}`: it would leave the output folder")))
    }
}

/// Writes `files` into `output`, replacing what was there only on success.
pub fn write_site(output: &Path, files: &[OutputFile]) -> Result<(), Diagnostic> {
    let name = output
        .file_name()
        .ok_or_else(|| Diagnostic::error(format!("output {} is not a folder name", output.display())))?
        .to_string_lossy()
        .to_string();
    let parent = match output.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    fs::create_dir_all(&parent)
        .map_err(|e| Diagnostic::error(format!("cannot create {}: {e}", parent.display())))?;
    if output.exists() && !output.is_dir() {
        return Err(Diagnostic::error(format!("output {} exists and is not a folder", output.display())));
    }
    let pid = std::process::id();
    let tmp = parent.join(format!(".{name}.klynge-new-{pid}"));
    let old = parent.join(format!(".{name}.klynge-old-{pid}"));
    let _ = fs::remove_dir_all(&tmp);
    let result = write_all(&tmp, files);
    if let Err(e) = result {
        let _ = fs::remove_dir_all(&tmp);
        return Err(e);
    }
    if output.exists() {
        fs::rename(output, &old).map_err(|e| {
            let _ = fs::remove_dir_all(&tmp);
            Diagnostic::error(format!("cannot move the old {} aside: {e}", output.display()))
        })?;
    }
    if let Err(e) = fs::rename(&tmp, output) {
        // Put the previous output back before reporting.
        let _ = fs::rename(&old, output);
        let _ = fs::remove_dir_all(&tmp);
        return Err(Diagnostic::error(format!("cannot move the new site into {}: {e}", output.display())));
    }
    let _ = fs::remove_dir_all(&old);
    Ok(())
}

fn write_all(dir: &Path, files: &[OutputFile]) -> Result<(), Diagnostic> {
    let mut folders = BTreeSet::new();
    folders.insert(dir.to_path_buf());
    let mut targets = Vec::with_capacity(files.len());
    for f in files {
        let target = dir.join(safe_relative(&f.path)?);
        if let Some(p) = target.parent() {
            folders.insert(p.to_path_buf());
        }
        targets.push(target);
    }
    for folder in &folders {
        fs::create_dir_all(folder)
            .map_err(|e| Diagnostic::error(format!("cannot create {}: {e}", folder.display())))?;
    }
    files
        .par_iter()
        .zip(targets.par_iter())
        .try_for_each(|(f, target)| {
            fs::write(target, &f.bytes)
                .map_err(|e| Diagnostic::error(format!("cannot write {}: {e}", target.display())))
        })
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
        let f = |p: &str, b: &str| OutputFile { path: p.into(), bytes: b.as_bytes().to_vec() };
        write_site(&out, &[f("a/index.html", "one")]).unwrap();
        write_site(&out, &[f("b.html", "two")]).unwrap();
        assert!(!out.join("a").exists());
        assert_eq!(fs::read_to_string(out.join("b.html")).unwrap(), "two");
        assert!(write_site(&out, &[f("../evil", "x")]).is_err());
        assert_eq!(fs::read_to_string(out.join("b.html")).unwrap(), "two");
        assert_eq!(fs::read_dir(tmp.path()).unwrap().count(), 1, "no temporary folders left");
    }

    #[test]
    fn refuses_to_write_over_sources() {
        let tmp = tempfile::tempdir().unwrap();
        assert!(check_output_dir(tmp.path(), tmp.path()).is_err());
        assert!(check_output_dir(tmp.path(), &tmp.path().join("content/x")).is_err());
        assert!(check_output_dir(tmp.path(), &tmp.path().join("public")).is_ok());
    }
}
