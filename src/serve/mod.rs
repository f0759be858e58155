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

use crate::cli::ServeCmd;
use crate::diagnostic::{Diagnostic, Diagnostics};
use state::Shared;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::{Receiver, channel};
use watch::Change;

/// Threads answering ordinary requests; live-reload streams get their own.
const WORKERS: usize = 4;

/// Runs until interrupted; returns `false` (exit 1) when it cannot start.
pub fn serve(
    root: &Path,
    cmd: &ServeCmd,
    diags: &Diagnostics,
    print: impl Fn(&Diagnostics),
) -> bool {
    if !root.join(crate::config::Config::FILE).is_file() {
        diags.push(
            Diagnostic::error(format!("no site.toml in {}", root.display()))
                .with_hint("run klynge serve in a site folder, or pass --root DIR"),
        );
        print(diags);
        return false;
    }
    let root = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    let host = if cmd.interface.contains(':') {
        format!("[{}]", cmd.interface)
    } else {
        cmd.interface.clone()
    };
    let addr = format!("{host}:{}", cmd.port);
    let server = match tiny_http::Server::http(&addr) {
        Ok(s) => Arc::new(s),
        Err(e) => {
            diags.push(
                Diagnostic::error(format!("cannot listen on {addr}: {e}")).with_hint(format!(
                    "is another server using port {}? choose another with --port",
                    cmd.port
                )),
            );
            print(diags);
            return false;
        }
    };
    let port = server.server_addr().to_ip().map_or(cmd.port, |a| a.port());
    let origin = format!("http://{host}:{port}");

    let (tx, rx) = channel();
    let mut watcher = match watch::Watcher::start(&root, tx) {
        Ok(w) => w,
        Err(msg) => {
            diags.push(Diagnostic::error(msg));
            print(diags);
            return false;
        }
    };

    let shared = Arc::new(Shared::default());
    let mut builder = rebuild::Builder::new(root.clone(), origin.clone(), cmd.drafts);
    let report = builder.rebuild(&shared, diags);
    print(diags);
    match &report {
        Some(r) => println!("{}", r.line().replacen("rebuilt", "built", 1)),
        None => eprintln!(
            "the site does not build: the browser shows the errors until a change fixes them"
        ),
    }
    for i in 0..WORKERS {
        let (server, shared) = (server.clone(), shared.clone());
        let spawned = std::thread::Builder::new()
            .name(format!("klynge-http-{i}"))
            .spawn(move || http::worker(server, shared));
        if let Err(e) = spawned {
            eprintln!("error: cannot start a server thread: {e}");
            return false;
        }
    }
    let base_path = shared.read().base_path.clone();
    println!("serving {origin}{base_path}/ (Ctrl+C to stop)");

    watch_loop(
        &root,
        &rx,
        &mut watcher,
        &mut builder,
        &shared,
        &print,
        report.is_none(),
    );
    eprintln!("error: the file watcher stopped");
    false
}

/// Rebuilds after each batch of changes, until the watcher goes away.
fn watch_loop(
    root: &Path,
    rx: &Receiver<Vec<PathBuf>>,
    watcher: &mut watch::Watcher,
    builder: &mut rebuild::Builder,
    shared: &Shared,
    print: &impl Fn(&Diagnostics),
    mut broken: bool,
) {
    while let Ok(first) = rx.recv() {
        let mut paths = first;
        while let Ok(more) = rx.try_recv() {
            paths.extend(more);
        }
        let change = watch::classify(root, &paths);
        if change == Change::None {
            continue;
        }
        watcher.refresh();
        builder.note_changes(&paths);
        if change == Change::Everything {
            builder.need_full();
        }
        let diags = Diagnostics::new();
        let report = builder.rebuild(shared, &diags);
        print(&diags);
        match &report {
            Some(r) => println!("{}", r.line()),
            None => eprintln!(
                "rebuild failed with {} error(s): the browser shows them until a change fixes them",
                diags.error_count()
            ),
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
