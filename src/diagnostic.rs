//! One diagnostic type for every problem klynge reports, a collector, and a
//! compiler-style printer. Every stage pushes into a [`Diagnostics`] and keeps
//! going, so one run reports all problems; the caller decides the exit code.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    Error,
    Warning,
}

/// A place in a source file, 1-based, as editors count.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Location {
    pub line: usize,
    pub column: usize,
    /// The text of that line, shown under the message with a caret.
    pub line_text: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub level: Level,
    /// The file the problem is in, relative to the site root when possible.
    pub file: Option<PathBuf>,
    pub location: Option<Location>,
    pub message: String,
    pub hint: Option<String>,
}

impl Diagnostic {
    pub fn error(message: impl Into<String>) -> Self {
        Diagnostic {
            level: Level::Error,
            file: None,
            location: None,
            message: message.into(),
            hint: None,
        }
    }

    pub fn warning(message: impl Into<String>) -> Self {
        Diagnostic {
            level: Level::Warning,
            ..Diagnostic::error(message)
        }
    }

    pub fn in_file(mut self, file: impl Into<PathBuf>) -> Self {
        self.file = Some(file.into());
        self
    }

    /// Points the diagnostic at byte `offset` of `text`, the full contents of
    /// its file.
    pub fn at(mut self, text: &str, offset: usize) -> Self {
        self.location = Some(locate(text, offset));
        self
    }

    pub fn at_line(mut self, line: usize, column: usize) -> Self {
        self.location = Some(Location {
            line,
            column,
            line_text: String::new(),
        });
        self
    }

    /// The same diagnostic as a warning.
    pub fn as_warning(mut self) -> Self {
        self.level = Level::Warning;
        self
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.level == Level::Error
    }

    /// The one-line form, `file:line:col: error: message`.
    pub fn headline(&self) -> String {
        let mut s = String::new();
        if let Some(file) = &self.file {
            s.push_str(&file.display().to_string());
            if let Some(loc) = &self.location {
                s.push_str(&format!(":{}:{}", loc.line, loc.column));
            }
            s.push_str(": ");
        }
        s.push_str(match self.level {
            Level::Error => "error: ",
            Level::Warning => "warning: ",
        });
        s.push_str(&self.message);
        s
    }

    /// The full form: headline, the source line with a caret, the hint.
    pub fn render(&self, colour: bool) -> String {
        let (red, yellow, blue, bold, reset) = if colour {
            ("\x1b[31m", "\x1b[33m", "\x1b[34m", "\x1b[1m", "\x1b[0m")
        } else {
            ("", "", "", "", "")
        };
        let level_colour = if self.is_error() { red } else { yellow };
        let mut out = String::new();
        if let Some(file) = &self.file {
            out.push_str(&format!("{bold}{}", file.display()));
            if let Some(loc) = &self.location {
                out.push_str(&format!(":{}:{}", loc.line, loc.column));
            }
            out.push_str(&format!(":{reset} "));
        }
        let label = if self.is_error() { "error" } else { "warning" };
        out.push_str(&format!(
            "{level_colour}{bold}{label}{reset}{bold}: {}{reset}\n",
            self.message
        ));
        if let Some(loc) = &self.location
            && !loc.line_text.is_empty()
        {
            let num = loc.line.to_string();
            let pad = " ".repeat(num.len());
            let caret_pad: String = loc
                .line_text
                .chars()
                .take(loc.column.saturating_sub(1))
                .map(|c| if c == '\t' { '\t' } else { ' ' })
                .collect();
            out.push_str(&format!("{blue}{pad} |{reset}\n"));
            out.push_str(&format!("{blue}{num} |{reset} {}\n", loc.line_text));
            out.push_str(&format!(
                "{blue}{pad} |{reset} {caret_pad}{level_colour}^{reset}\n"
            ));
        }
        if let Some(hint) = &self.hint {
            out.push_str(&format!("{blue}  = help:{reset} {hint}\n"));
        }
        out
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.headline())
    }
}

/// Line and column (in characters) of byte `offset` in `text`.
pub fn locate(text: &str, offset: usize) -> Location {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
    let line = text[..line_start].matches('\n').count() + 1;
    let column = text[line_start..offset].chars().count() + 1;
    Location {
        line,
        column,
        line_text: text[line_start..line_end]
            .trim_end_matches('\r')
            .to_string(),
    }
}

/// Collects diagnostics from every stage, from any thread.
#[derive(Debug, Default)]
pub struct Diagnostics {
    items: Mutex<Vec<Diagnostic>>,
}

impl Diagnostics {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn push(&self, d: Diagnostic) {
        self.items.lock().expect("diagnostics lock").push(d);
    }

    pub fn has_errors(&self) -> bool {
        self.items
            .lock()
            .expect("diagnostics lock")
            .iter()
            .any(Diagnostic::is_error)
    }

    /// Whether anything at all was reported, warnings included.
    pub fn has_any(&self) -> bool {
        !self.items.lock().expect("diagnostics lock").is_empty()
    }

    /// All diagnostics, sorted by file and position so that output does not
    /// depend on thread scheduling.
    pub fn sorted(&self) -> Vec<Diagnostic> {
        let mut v = self.items.lock().expect("diagnostics lock").clone();
        v.sort_by(|a, b| {
            (&a.file, &a.location, a.level, &a.message).cmp(&(
                &b.file,
                &b.location,
                b.level,
                &b.message,
            ))
        });
        v.dedup();
        v
    }

    pub fn error_count(&self) -> usize {
        self.sorted().iter().filter(|d| d.is_error()).count()
    }
}

/// Path of `file` relative to `root` for display, else the path as given.
pub fn display_path(root: &Path, file: &Path) -> PathBuf {
    file.strip_prefix(root).unwrap_or(file).to_path_buf()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locate_counts_lines_and_chars() {
        let text = "a = 1\ntitel = \"Pärnu\"\n";
        let off = text.find("Pärnu").unwrap() + "Pär".len();
        let loc = locate(text, off);
        assert_eq!((loc.line, loc.column), (2, 13));
        assert_eq!(loc.line_text, "titel = \"Pärnu\"");
    }

    #[test]
    fn render_shows_caret_under_column() {
        let text = "x\n  bad = 1\n";
        let d = Diagnostic::error("unknown field `bad`")
            .in_file("content/a.md")
            .at(text, 4);
        let out = d.render(false);
        assert!(out.starts_with("content/a.md:2:3: error: unknown field `bad`\n"));
        assert!(out.contains("2 |   bad = 1\n  |   ^\n"), "{out}");
    }
}
