//! File-system helpers that always name the path in their errors, and the
//! one place where source text is decoded (UTF-8 check, BOM, CRLF).

use crate::diagnostic::{Diagnostic, Diagnostics};
use std::ffi::OsStr;
use std::fs;
use std::path::{Path, PathBuf};

/// Reads a source file as editors write it: UTF-8, with or without a BOM,
/// with LF or CRLF line ends. The text returned has the BOM removed and
/// CRLF turned into LF, so every later offset counts lines the same way.
/// Control characters are replaced, with a warning to `diags`
/// (`crate::controls`).
pub fn read_source(
    path: &Path,
    shown_as: &Path,
    diags: &Diagnostics,
) -> Result<String, Diagnostic> {
    let bytes = fs::read(path)
        .map_err(|e| Diagnostic::error(format!("cannot read file: {e}")).in_file(shown_as))?;
    decode_source(bytes, shown_as, diags)
}

pub fn decode_source(
    bytes: Vec<u8>,
    shown_as: &Path,
    diags: &Diagnostics,
) -> Result<String, Diagnostic> {
    let mut text = decode_utf8(bytes, shown_as)?;
    if let Some(d) = crate::controls::clean_source(&mut text, shown_as) {
        diags.push(d);
    }
    Ok(text)
}

fn decode_utf8(bytes: Vec<u8>, shown_as: &Path) -> Result<String, Diagnostic> {
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let bytes = e.into_bytes();
            let prefix = String::from_utf8_lossy(&bytes[..valid]).into_owned();
            let rest_of_line: Vec<u8> = bytes[valid..]
                .iter()
                .take_while(|b| **b != b'\n')
                .copied()
                .collect();
            let shown = format!("{prefix}{}", String::from_utf8_lossy(&rest_of_line));
            return Err(Diagnostic::error(format!(
                "file is not valid UTF-8 (invalid byte 0x{:02x})",
                bytes[valid]
            ))
            .in_file(shown_as)
            .at(&shown, valid)
            .with_hint("save the file as UTF-8"));
        }
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    Ok(if text.contains('\r') {
        text.replace("\r\n", "\n")
    } else {
        text.to_string()
    })
}

/// True for a file or folder name no walk of the site takes: hidden names
/// (`.git`, `.DS_Store`, Emacs's lock file `.#laine.en.md`, Vim's
/// `.laine.en.md.swp`) and the backups editors write beside a file
/// (`laine.en.md~`, Emacs's `#laine.en.md#`, Vim's probe file `4913`).
/// `.well-known` is the exception: a static host serves it (RFC 8615).
pub fn is_ignored_name(name: &OsStr) -> bool {
    let Some(name) = name.to_str() else {
        return false;
    };
    (name.starts_with('.') && name != ".well-known")
        || name.ends_with('~')
        || (name.starts_with('#') && name.ends_with('#'))
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name == "4913"
}

/// The warning for a file whose name is not UTF-8, which no page could name.
pub fn not_utf8_name(shown: &Path) -> Diagnostic {
    Diagnostic::warning("the file name is not valid UTF-8; ignored")
        .in_file(shown)
        .with_hint("rename the file; names are best kept to ASCII letters, digits and `-`")
}

/// Every file under `dir`, sorted, following symbolic links; `root` is the
/// site's root, for the paths in messages. Ignored names
/// ([`is_ignored_name`]) are skipped, folders and all. A broken symbolic
/// link or a name that is not UTF-8 is a warning and left out; a link loop
/// or an unreadable folder is an error.
pub fn walk_files(root: &Path, dir: &Path, report: &mut dyn FnMut(Diagnostic)) -> Vec<PathBuf> {
    let shown = |p: &Path| crate::diagnostic::display_path(root, p);
    let mut paths = Vec::new();
    let walker = walkdir::WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_ignored_name(e.file_name()));
    for entry in walker {
        match entry {
            Ok(e) if e.file_type().is_file() => {
                if e.file_name().to_str().is_none() {
                    report(not_utf8_name(&shown(e.path())));
                } else {
                    paths.push(e.into_path());
                }
            }
            Ok(e) if e.depth() > 0 && e.file_name().to_str().is_none() => {
                report(
                    not_utf8_name(&shown(e.path()))
                        .with_hint("rename the folder; what is in it is left out until then"),
                );
            }
            Ok(_) => {}
            Err(e) => {
                let path = e.path().unwrap_or(dir).to_path_buf();
                // With links followed, an entry whose link has no target
                // fails to be read; its own name decides first.
                if path.file_name().is_some_and(is_ignored_name) {
                    continue;
                }
                report(walk_problem(&e, &path, &shown(&path)));
            }
        }
    }
    paths
}

fn walk_problem(e: &walkdir::Error, path: &Path, shown: &Path) -> Diagnostic {
    if e.loop_ancestor().is_some() {
        return Diagnostic::error("symbolic link loop; this folder is skipped")
            .in_file(shown)
            .with_hint("remove the link, or point it outside the folder it is in");
    }
    let dangling = fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink())
        && fs::metadata(path).is_err();
    if dangling {
        let target = fs::read_link(path)
            .map(|t| t.display().to_string())
            .unwrap_or_default();
        return Diagnostic::warning(format!(
            "symbolic link to `{target}`, which does not exist; ignored"
        ))
        .in_file(shown)
        .with_hint("remove the link or restore what it points to");
    }
    Diagnostic::error(format!("cannot read: {e}")).in_file(shown)
}

/// Writes `bytes` to `path`, creating parent folders.
pub fn write_file(path: &Path, bytes: &[u8]) -> Result<(), Diagnostic> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).map_err(|e| {
            Diagnostic::error(format!("cannot create folder {}: {e}", parent.display()))
        })?;
    }
    fs::write(path, bytes)
        .map_err(|e| Diagnostic::error(format!("cannot write {}: {e}", path.display())))
}

/// [`write_file`], unless the file already holds exactly `bytes`: a tool
/// run again on unchanged input leaves files (and their times) alone.
/// Returns whether it wrote.
pub fn write_if_changed(path: &Path, bytes: &[u8]) -> Result<bool, Diagnostic> {
    if fs::read(path).is_ok_and(|old| old == bytes) {
        return Ok(false);
    }
    write_file(path, bytes).map(|()| true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bom_and_crlf_are_accepted() {
        let t = decode_source(
            b"\xef\xbb\xbf+++\r\ntitle = \"a\"\r\n".to_vec(),
            Path::new("a"),
            &Diagnostics::new(),
        )
        .unwrap();
        assert_eq!(t, "+++\ntitle = \"a\"\n");
    }

    #[test]
    fn invalid_utf8_names_line_and_column() {
        let d = decode_source(
            b"ok\nab\xffcd\n".to_vec(),
            Path::new("x.md"),
            &Diagnostics::new(),
        )
        .unwrap_err();
        let loc = d.location.unwrap();
        assert_eq!((loc.line, loc.column), (2, 3));
        assert!(d.message.contains("0xff"));
    }
}
