//! The time from a saved edit of one spa to its rebuilt pages,
//! measured two ways on the site at `--root`:
//!
//! 1. in process: a full build into memory, then `--edits` edits of the
//!    spa, each followed by the incremental rebuild `klynge serve` runs;
//!    each rebuild's report and the median;
//! 2. through a running `klynge serve`: the time from writing the file to
//!    the live-reload event the open browser tab gets once the rebuilt
//!    pages are served (file watching, debounce, rebuild and publishing).
//!
//!     cargo run --release --example serve_edit -- --root SITE [--edits 9] [--spa spa-00001]

use klynge::diagnostic::Diagnostics;
use klynge::serve::rebuild::Builder;
use klynge::serve::state::Shared;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

/// The allocator of the `klynge` binary, so that the figures are its own.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
    // The languages the spa is written in: an edit of its English text
    // shows in the lists of these and of the languages that fall back to it.
    let mut langs: Vec<String> = std::fs::read_dir(root.join("content/spas"))
        .map(|d| {
            d.filter_map(Result::ok)
                .filter_map(|e| {
                    let name = e.file_name().to_string_lossy().into_owned();
                    let rest = name.strip_prefix(&format!("{spa}."))?;
                    Some(rest.strip_suffix(".md")?.to_string())
                })
                .collect()
        })
        .unwrap_or_default();
    langs.sort();
    println!("{spa} is written in {}", langs.join(", "));
    let shared = Shared::default();
    let mut builder = Builder::new(root.clone(), "http://127.0.0.1:1111".into(), false);
    match builder.rebuild(&shared, &Diagnostics::new()) {
        Some(r) => println!("{}", r.line().replacen("rebuilt", "built", 1)),
        None => {
            eprintln!("the site does not build");
            return ExitCode::from(1);
        }
    }
    let mut results: Vec<(Edit, u128, usize)> = Vec::new();
    for edit in [Edit::Text, Edit::Title] {
        let mut millis = Vec::new();
        let mut pages = 0;
        for i in 0..edits {
            if let Err(e) = std::fs::write(&file, edit.apply(&original, i)) {
                eprintln!("cannot write {}: {e}", file.display());
                return ExitCode::from(1);
            }
            builder.note_changes(std::slice::from_ref(&file));
            let diags = Diagnostics::new();
            match builder.rebuild(&shared, &diags) {
                Some(r) => {
                    println!("{} edit {}: {}", edit.name(), i + 1, r.line());
                    millis.push(r.millis);
                    pages = r.rendered;
                }
                None => {
                    eprintln!("edit {} failed: {} error(s)", i + 1, diags.error_count());
                    let _ = std::fs::write(&file, &original);
                    return ExitCode::from(1);
                }
            }
        }
        results.push((edit, median(&mut millis), pages));
    }
    let _ = std::fs::write(&file, &original);
    // The server below should have the machine to itself, as it would.
    drop(builder);
    drop(shared);

    let through_server = match through_server(&root, &file, &original, edits) {
        Ok(m) => m,
        Err(e) => {
            let _ = std::fs::write(&file, &original);
            eprintln!("through the server: {e}");
            return ExitCode::from(1);
        }
    };
    let _ = std::fs::write(&file, &original);
    for ((edit, ms, pages), (_, mut server)) in results.into_iter().zip(through_server) {
        println!(
            "{} of {spa} ({}): rebuild {ms} ms ({pages} files), saved edit to live reload through klynge serve {} ms (medians of {edits})",
            edit.name(),
            langs.join(" "),
            median(&mut server)
        );
    }
    ExitCode::SUCCESS
}

/// The two edits measured: text below the first paragraph (the spa's own
/// pages and the search indexes change), and the title (every list that
/// shows the spa changes too: spa index, location, cluster).
#[derive(Clone, Copy)]
enum Edit {
    Text,
    Title,
}

impl Edit {
    fn name(self) -> &'static str {
        match self {
            Edit::Text => "text edit",
            Edit::Title => "title edit",
        }
    }

    fn apply(self, original: &str, i: usize) -> String {
        match self {
            Edit::Text => format!("{original}\nEdit number {i} of the benchmark.\n"),
            Edit::Title => original.replacen("title = \"", &format!("title = \"Edit {i} "), 1),
        }
    }
}

fn median(v: &mut [u128]) -> u128 {
    v.sort_unstable();
    v.get(v.len() / 2).copied().unwrap_or(0)
}

/// Starts `klynge serve` on a free port in this process, then makes each
/// kind of edit of `file` `edits` times, timing each write until the
/// reload event.
fn through_server(
    root: &Path,
    file: &Path,
    original: &str,
    edits: usize,
) -> Result<Vec<(Edit, Vec<u128>)>, String> {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map_err(|e| format!("no free port: {e}"))?
        .port();
    let opts = klynge::serve::ServeOptions {
        root: root.to_path_buf(),
        port,
        ..Default::default()
    };
    std::thread::spawn(move || {
        let diags = Diagnostics::new();
        klynge::serve::serve(&opts, &diags, &|_| {});
    });
    let deadline = Instant::now() + Duration::from_secs(120);
    let mut events = loop {
        if let Ok(s) = TcpStream::connect(("127.0.0.1", port)) {
            break s;
        }
        if Instant::now() > deadline {
            return Err("the server did not start".into());
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    events
        .set_read_timeout(Some(Duration::from_secs(30)))
        .map_err(|e| e.to_string())?;
    write!(
        events,
        "GET /__klynge/events HTTP/1.1\r\nHost: bench\r\n\r\n"
    )
    .map_err(|e| e.to_string())?;
    let mut seen = String::new();
    read_until(&mut events, &mut seen, "retry:", 1)?;
    let mut reloads = 0;
    let mut out = Vec::new();
    for edit in [Edit::Text, Edit::Title] {
        let mut times = Vec::new();
        for i in 0..edits {
            // Let the watcher settle, so each edit is a batch of its own.
            std::thread::sleep(Duration::from_millis(300));
            let text = edit.apply(original, i + 1000);
            let start = Instant::now();
            std::fs::write(file, text).map_err(|e| format!("{}: {e}", file.display()))?;
            reloads += 1;
            read_until(&mut events, &mut seen, "event: reload", reloads)?;
            let ms = start.elapsed().as_millis();
            println!(
                "{} through the server {}: reload after {ms} ms",
                edit.name(),
                i + 1
            );
            times.push(ms);
        }
        out.push((edit, times));
    }
    Ok(out)
}

/// Reads the event stream until `needle` has been seen `count` times.
fn read_until(
    s: &mut TcpStream,
    seen: &mut String,
    needle: &str,
    count: usize,
) -> Result<(), String> {
    let mut buf = [0u8; 4096];
    while seen.matches(needle).count() < count {
        let n = s.read(&mut buf).map_err(|e| format!("event stream: {e}"))?;
        if n == 0 {
            return Err("event stream closed".into());
        }
        seen.push_str(&String::from_utf8_lossy(&buf[..n]));
    }
    Ok(())
}
