//! Helpers of the integration tests:
//!
//! - `site`: [`SiteTest`], a fixture or the sample site in a temporary
//!   folder, built, checked or served in memory, or run through the binary;
//! - `cli`: the `klynge` binary, run as a user would;
//! - `fs`: the one folder copy and the one folder snapshot;
//! - `expect`: expected-output files, rewritten under `UPDATE_EXPECT=1`;
//! - `html`: selectors, links, JSON-LD, site paths ↔ output files;
//! - `xml`: a strict little XML tree for feeds and sitemaps;
//! - `site_check`: `check_site`, a crawler's read of a whole built site.

pub mod cli;
pub mod expect;
pub mod fs;
pub mod html;
pub mod site;
pub mod site_check;
pub mod xml;

pub use cli::klynge_in;
pub use expect::expect_file;
pub use fs::{assert_same_tree, copy_dir, tree};
pub use html::{ld_of_type, main_link, main_links, sel, text_of};
pub use site::{SERVE_ORIGIN, SiteTest};
pub use site_check::{check_site, check_site_at, reachable};
pub use xml::parse_xml;

use std::path::PathBuf;

/// The origin of every fixture's `base_url`.
pub const ORIGIN: &str = "https://example.org";

/// The repository root.
pub fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `tests/fixtures/`, the fixture sites.
pub fn fixtures_dir() -> PathBuf {
    manifest_dir().join("tests/fixtures")
}
