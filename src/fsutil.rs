//! File-system helpers that always name the path in their errors, and the
//! one place where source text is decoded (UTF-8 check, BOM, CRLF).

use crate::diagnostic::Diagnostic;
use std::fs;
use std::path::Path;

/// Reads a source file as editors write it: UTF-8, with or without a BOM,
/// with LF or CRLF line ends. The text returned has the BOM removed and
/// CRLF turned into LF, so every later offset counts lines the same way.
pub fn read_source(path: &Path, shown_as: &Path) -> Result<String, Diagnostic> {
    let bytes = fs::read(path)
        .map_err(|e| Diagnostic::error(format!("cannot read file: {e}")).in_file(shown_as))?;
    decode_source(bytes, shown_as)
}

pub fn decode_source(bytes: Vec<u8>, shown_as: &Path) -> Result<String, Diagnostic> {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bom_and_crlf_are_accepted() {
        let t = decode_source(
            b"\xef\xbb\xbf+++\r\ntitle = \"a\"\r\n".to_vec(),
            Path::new("a"),
        )
        .unwrap();
        assert_eq!(t, "+++\ntitle = \"a\"\n");
    }

    #[test]
    fn invalid_utf8_names_line_and_column() {
        let d = decode_source(b"ok\nab\xffcd\n".to_vec(), Path::new("x.md")).unwrap_err();
        let loc = d.location.unwrap();
        assert_eq!((loc.line, loc.column), (2, 3));
        assert!(d.message.contains("0xff"));
    }
}
