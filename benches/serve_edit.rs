//! The serve-mode rebuild after one spa edit (issue 5), in process: a full
//! build into memory, then `--edits` saved edits of one spa, each followed
//! by the incremental rebuild `klynge serve` would run. Prints each
//! rebuild's report and the median. The file watcher's debounce is not
//! included; `scripts/bench` measures the whole path through a running
//! server too.
//!
//!     cargo run --release --example serve_edit -- --root SITE [--edits 9] [--spa spa-00001]

use klynge::diagnostic::Diagnostics;
use klynge::serve::rebuild::Builder;
use klynge::serve::state::Shared;
use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let mut root: Option<PathBuf> = None;
    let mut edits = 9usize;
    let mut spa = String::from("spa-00001");
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let value = args.next();
        let parsed = match (a.as_str(), value) {
            ("--root", Some(v)) => {
                root = Some(PathBuf::from(v));
                Ok(())
            }
            ("--edits", Some(v)) => v
                .parse()
                .map(|v| edits = v)
                .map_err(|e| format!("--edits: {e}")),
            ("--spa", Some(v)) => {
                spa = v;
                Ok(())
            }
            (other, _) => Err(format!("unexpected argument `{other}`")),
        };
        if let Err(e) = parsed {
            eprintln!("{e}\nusage: serve_edit --root SITE [--edits N] [--spa SLUG]");
            return ExitCode::from(2);
        }
    }
    let Some(root) = root else {
        eprintln!("usage: serve_edit --root SITE [--edits N] [--spa SLUG]");
        return ExitCode::from(2);
    };
    let file = root.join("content/spas").join(format!("{spa}.en.md"));
    let original = match std::fs::read_to_string(&file) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("cannot read {}: {e}", file.display());
            return ExitCode::from(1);
        }
    };
    let shared = Shared::default();
    let mut builder = Builder::new(root.clone(), "http://127.0.0.1:1111".into(), false);
    match builder.rebuild(&shared, &Diagnostics::new()) {
        Some(r) => println!("{}", r.line().replacen("rebuilt", "built", 1)),
        None => {
            eprintln!("the site does not build");
            return ExitCode::from(1);
        }
    }
    let mut millis = Vec::new();
    for i in 0..edits {
        let text = format!("{original}\nEdit number {i} of the benchmark.\n");
        if let Err(e) = std::fs::write(&file, text) {
            eprintln!("cannot write {}: {e}", file.display());
            return ExitCode::from(1);
        }
        builder.note_changes(std::slice::from_ref(&file));
        let diags = Diagnostics::new();
        match builder.rebuild(&shared, &diags) {
            Some(r) => {
                println!("edit {}: {}", i + 1, r.line());
                millis.push(r.millis);
            }
            None => {
                eprintln!("edit {} failed: {} error(s)", i + 1, diags.error_count());
                let _ = std::fs::write(&file, &original);
                return ExitCode::from(1);
            }
        }
    }
    let _ = std::fs::write(&file, &original);
    millis.sort_unstable();
    if let Some(m) = millis.get(millis.len() / 2) {
        println!("median rebuild after one spa edit: {m} ms over {edits} edits");
    }
    ExitCode::SUCCESS
}
