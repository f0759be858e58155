//! `klynge serve`: builds the site into memory, serves it over HTTP, watches
//! the sources, rebuilds what changed and reloads open pages. The user's
//! `public/` is never touched.
//!
//! - `path`: request path decoding and safety checks
//! - `mime`: Content-Type by file name
//! - `http`: routing and responses from the in-memory site
//! - `live`: live-reload script, event stream, build-error page
//! - `state`: what the HTTP threads and the rebuild loop share
//! - `watch`: file watching and sorting changes
//! - `rebuild`: full and incremental rebuilds into memory
//! - `changes`: what an edit changed, in the terms pages record reads
//! - `kept`: each page's route and what it read, kept between rebuilds

mod changes;
mod http;
#[cfg(test)]
mod incremental_tests;
mod kept;
mod live;
mod mime;
mod path;
pub mod rebuild;
pub mod state;
mod watch;

use crate::diagnostic::{Diagnostic, Diagnostics};
use rebuild::Report;
use state::Shared;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::{Receiver, channel};
use watch::{Change, Notice};

/// What `klynge serve` serves, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServeOptions {
    /// The site folder (the one with site.toml).
    pub root: PathBuf,
    /// The port to listen on; 0 for any free one.
    pub port: u16,
    /// The address to listen on (IPv4 or IPv6, without brackets);
    /// `127.0.0.1` keeps the preview on this computer.
    pub interface: String,
    /// Include items with `draft = true`.
    pub drafts: bool,
    /// The build time of the whole session; without it
    /// `SOURCE_DATE_EPOCH` or the clock at the first build.
    pub now: Option<crate::time::BuildTime>,
    /// Build items whose `publish_date` is still to come.
    pub future: bool,
}

impl Default for ServeOptions {
    /// The current folder on `127.0.0.1:1111`, without drafts.
    fn default() -> ServeOptions {
        ServeOptions {
            root: PathBuf::from("."),
            port: 1111,
            interface: "127.0.0.1".into(),
            drafts: false,
            now: None,
            future: false,
        }
    }
}

/// What `serve` reports as it runs, in this order: `Diagnostics` then
/// `Built` or `BuildFailed` for the first build, `Serving`, then for each
/// batch of changes `Diagnostics` and `Rebuilt` or `RebuildFailed`;
/// `WatchWarning` at any time. The library shows none of it.
#[derive(Debug)]
pub enum ServeEvent<'a> {
    /// The warnings and errors of the build or rebuild whose outcome comes
    /// next (often none).
    Diagnostics(&'a Diagnostics),
    /// The first build succeeded.
    Built(&'a Report),
    /// The first build failed; the browser shows its errors until a change
    /// fixes them. Serving goes on.
    BuildFailed { errors: usize },
    /// The server is listening; `url` is the site's home, with the base
    /// path of `base_url` and a final `/`.
    Serving { url: String },
    /// A rebuild after changes succeeded.
    Rebuilt(&'a Report),
    /// A rebuild after changes failed; the browser shows its errors until a
    /// change fixes them.
    RebuildFailed { errors: usize },
    /// File watching had a problem (a folder that cannot be watched); it
    /// goes on.
    WatchWarning(String),
    /// A server thread could not start; `serve` returns `false`.
    ThreadFailed { error: String },
    /// The file watcher stopped; `serve` returns `false`.
    WatcherStopped,
}

/// Runs until interrupted, telling `on_event` what happens. Returns
/// `false` (exit 1) when it cannot start, with the reason in `diags`, or
/// when it stops (`ThreadFailed`, `WatcherStopped`).
pub fn serve(opts: &ServeOptions, diags: &Diagnostics, on_event: &dyn Fn(ServeEvent<'_>)) -> bool {
    let root = opts.root.as_path();
    if !root.join(crate::config::Config::FILE).is_file() {
        diags.push(
            Diagnostic::error(format!("no site.toml in {}", root.display()))
                .with_hint("run klynge serve in a site folder, or pass --root DIR"),
        );
        return false;
    }
    let root = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    let host = if opts.interface.contains(':') {
        format!("[{}]", opts.interface)
    } else {
        opts.interface.clone()
    };
    let addr = format!("{host}:{}", opts.port);
    let listener = match std::net::TcpListener::bind(&addr) {
        Ok(s) => s,
        Err(e) => {
            diags.push(
                Diagnostic::error(format!("cannot listen on {addr}: {e}")).with_hint(format!(
                    "is another server using port {}? choose another with --port",
                    opts.port
                )),
            );
            return false;
        }
    };
    let port = listener.local_addr().map_or(opts.port, |a| a.port());
    let origin = format!("http://{host}:{port}");

    let (tx, rx) = channel();
    let mut watcher = match watch::Watcher::start(&root, tx) {
        Ok(w) => w,
        Err(msg) => {
            diags.push(Diagnostic::error(msg));
            return false;
        }
    };
    for w in watcher.refresh() {
        on_event(ServeEvent::WatchWarning(w));
    }

    let shared = Arc::new(Shared::default());
    let mut builder = rebuild::Builder::new(root.clone(), origin.clone(), opts.drafts)
        .schedule(opts.now, opts.future);
    let first = Diagnostics::new();
    let report = builder.rebuild(&shared, &first);
    on_event(ServeEvent::Diagnostics(&first));
    match &report {
        Some(r) => on_event(ServeEvent::Built(r)),
        None => on_event(ServeEvent::BuildFailed {
            errors: first.error_count(),
        }),
    }
    let spawned = std::thread::Builder::new()
        .name("klynge-http-accept".into())
        .spawn({
            let shared = shared.clone();
            move || http::accept_loop(listener, shared)
        });
    if let Err(e) = spawned {
        on_event(ServeEvent::ThreadFailed {
            error: e.to_string(),
        });
        return false;
    }
    let base_path = shared.read().base_path.clone();
    on_event(ServeEvent::Serving {
        url: format!("{origin}{base_path}/"),
    });

    watch_loop(
        &root,
        &rx,
        &mut watcher,
        &mut builder,
        &shared,
        on_event,
        report.is_none(),
    );
    on_event(ServeEvent::WatcherStopped);
    false
}

/// Rebuilds after each batch of changes, until the watcher goes away.
fn watch_loop(
    root: &Path,
    rx: &Receiver<Notice>,
    watcher: &mut watch::Watcher,
    builder: &mut rebuild::Builder,
    shared: &Shared,
    on_event: &dyn Fn(ServeEvent<'_>),
    mut broken: bool,
) {
    while let Ok(first) = rx.recv() {
        let mut paths = Vec::new();
        for notice in std::iter::once(first).chain(std::iter::from_fn(|| rx.try_recv().ok())) {
            match notice {
                Notice::Changed(more) => paths.extend(more),
                Notice::Warning(w) => on_event(ServeEvent::WatchWarning(w)),
            }
        }
        let change = watch::classify(root, &paths);
        if change == Change::None {
            continue;
        }
        for w in watcher.refresh() {
            on_event(ServeEvent::WatchWarning(w));
        }
        builder.note_changes(&paths);
        if change == Change::Everything {
            builder.need_full();
        }
        let diags = Diagnostics::new();
        let report = builder.rebuild(shared, &diags);
        on_event(ServeEvent::Diagnostics(&diags));
        match &report {
            Some(r) => on_event(ServeEvent::Rebuilt(r)),
            None => on_event(ServeEvent::RebuildFailed {
                errors: diags.error_count(),
            }),
        }
        let idle = report
            .as_ref()
            .is_some_and(|r| r.rendered == 0 && r.removed == 0);
        if !idle || broken {
            shared.bump();
        }
        broken = report.is_none();
    }
}
