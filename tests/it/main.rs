//! klynge's integration tests, one test binary (`cargo test --test it`),
//! so the crate is linked once, not once per file. One module per area;
//! helpers, with the `SiteTest` fixture builder, are in `support/`, and
//! the fixture sites in `tests/fixtures/`.
//!
//! Run one area or test: `cargo test --release --test it errors::` or
//! `cargo test --release --test it -- basic_json_ld_types`.

mod support;

mod browser;
mod build;
mod cards;
mod cms;
mod docs;
mod errors;
mod events;
mod exchange;
mod facts;
mod first_hour;
mod functions;
mod hostile;
mod lists;
mod locale;
mod maps;
mod no_panic;
mod output;
mod photos;
mod search;
mod seed_facts;
mod serve;
mod shortcodes;
mod soak;
mod synth;
mod time;
mod translations;
mod urls;
