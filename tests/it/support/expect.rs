//! Expected-output files. A test compares what it got with a file of the
//! repository; `UPDATE_EXPECT=1 cargo test --release --test it <filter>`
//! rewrites every file that differs (or is missing) instead of failing,
//! so updating expectations is one run and a review of `git diff`.

use std::fs;
use std::path::Path;

/// Whether this run rewrites expected-output files.
pub fn updating() -> bool {
    std::env::var_os("UPDATE_EXPECT").is_some_and(|v| !v.is_empty() && v != "0")
}

/// `Ok` when `path` holds exactly `actual` (or was just rewritten to it
/// under `UPDATE_EXPECT=1`); otherwise both texts, for the failure message.
pub fn expect_file(path: &Path, actual: &str) -> Result<(), String> {
    let expected = fs::read_to_string(path).ok();
    if expected.as_deref() == Some(actual) {
        return Ok(());
    }
    if updating() {
        fs::write(path, actual).unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
        return Ok(());
    }
    let name = path.display();
    Err(match expected {
        Some(expected) => format!(
            "{name} differs (UPDATE_EXPECT=1 rewrites it)\n--- expected\n{expected}--- got\n{actual}---"
        ),
        None => format!("no {name} (UPDATE_EXPECT=1 writes it); got\n{actual}---"),
    })
}
