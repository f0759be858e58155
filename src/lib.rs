//! klynge: a static site generator for health-tourism clusters.
//!
//! The modules are listed in the order data flows through a build:
//! `config` → `content` (loading) → `markdown` → `site` (the graph) →
//! `render` (pages, feeds, sitemap, search) → `output`. `check` adds link
//! and coverage checks on top of a build; `diagnostic` is the one error type
//! every stage reports into.
//!
//! The commands: `build` (the whole pipeline), `check`, `scaffold`
//! (`init`, `new`) and `serve`, each taking a plain options struct
//! (`BuildArgs`, `NewOptions`, `InitOptions`, `ServeOptions`).
//!
//! The library neither parses the command line nor prints: problems go
//! into a `Diagnostics` collector, progress and serve's messages to a
//! callback (`build::Progress`, `serve::ServeEvent`). The binary
//! (`main.rs`, with clap in `cli.rs`) decides what to show. The benchmark
//! site writer is the dev-only workspace member `synth/` (`klynge-synth`).

pub mod basemap;
pub mod controls;
pub mod diagnostic;
pub mod fsutil;
pub mod locale;
pub mod slug;
pub mod spans;

pub mod card;
pub mod config;
pub mod content;
pub mod highlight;
pub mod markdown;
pub mod output;
pub mod photos;
pub mod render;
pub mod route;
pub mod schema;
pub mod shortcode;
pub mod site;
pub mod theme;
pub mod time;
pub mod url;

pub mod build;
pub mod check;
pub mod cms;
pub mod completeness;
pub mod exchange;
pub mod scaffold;
pub mod serve;
pub mod translations;
