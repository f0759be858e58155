//! `klynge serve` end to end: the built binary serves a copy of
//! tests/fixtures/serve-site on a free port; real HTTP requests check
//! routing, content types, the 404 page, path safety, live reload, and
//! rebuilds after edits, broken edits and fixes. The same rebuild loop in
//! memory (`SiteTest::serve`) checks what each rebuild reports.

use crate::support::html::{file_for, url_for};
use crate::support::{SERVE_ORIGIN, SiteTest, fixtures_dir, manifest_dir};
use klynge::diagnostic::Diagnostics;
use klynge::serve::rebuild::Builder;
use klynge::serve::state::Shared;
use std::collections::BTreeMap;
use std::fs;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const BASE: &str = "/preview";

fn fixture() -> PathBuf {
    fixtures_dir().join("serve-site")
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A running `klynge serve`, killed on drop (also when a test panics).
pub(crate) struct Serve {
    child: Child,
    pub(crate) port: u16,
    pub(crate) site: SiteTest,
    logs: tempfile::TempDir,
}

impl Serve {
    fn start() -> Serve {
        Serve::start_site(SiteTest::fixture("serve-site"))
    }

    /// Serves `site` with the built binary on a free port.
    pub(crate) fn start_site(site: SiteTest) -> Serve {
        let logs = tempfile::tempdir().unwrap();
        let port = free_port();
        // The build time every test build uses, so that calendars (which
        // carry it) are the same served and freshly built.
        let now = crate::support::site::test_now().rfc3339();
        let child = Command::new(env!("CARGO_BIN_EXE_klynge"))
            .args(["serve", "--root"])
            .arg(&site.root)
            .args(["--port", &port.to_string(), "--now", &now])
            .stdin(Stdio::null())
            .stdout(fs::File::create(logs.path().join("out")).unwrap())
            .stderr(fs::File::create(logs.path().join("err")).unwrap())
            .spawn()
            .unwrap();
        let mut s = Serve {
            child,
            port,
            site,
            logs,
        };
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Some(status) = s.child.try_wait().unwrap() {
                panic!("serve exited with {status}: {}", s.log("err"));
            }
            if TcpStream::connect(("127.0.0.1", port)).is_ok() && s.get("/").status != 0 {
                return s;
            }
            assert!(
                Instant::now() < deadline,
                "serve did not answer: {}",
                s.log("err")
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    pub(crate) fn log(&self, name: &str) -> String {
        fs::read_to_string(self.logs.path().join(name)).unwrap_or_default()
    }

    pub(crate) fn get(&self, target: &str) -> Reply {
        get(self.port, target)
    }

    fn file(&self, rel: &str) -> PathBuf {
        self.site.path(rel)
    }

    /// Polls `target` (at most 10 s) until `ok` holds.
    fn wait_for(&self, target: &str, what: &str, ok: impl Fn(&Reply) -> bool) -> Reply {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let r = self.get(target);
            if ok(&r) {
                return r;
            }
            assert!(
                Instant::now() < deadline,
                "timed out waiting for {what} at {target}; last reply {}:\n{}\nstdout:\n{}\nstderr:\n{}",
                r.status,
                r.body,
                self.log("out"),
                self.log("err")
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[derive(Debug)]
pub(crate) struct Reply {
    /// 0 when there was no answer (refused, reset, timed out, garbled).
    pub(crate) status: u16,
    /// Header lines, names lower-cased.
    headers: Vec<(String, String)>,
    pub(crate) body: String,
}

impl Reply {
    fn header(&self, name: &str) -> &str {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map_or("", |(_, v)| v.as_str())
    }
}

/// A minimal HTTP/1.1 GET sent byte for byte as given (no normalising of
/// `..`, unlike real clients), read to the end.
pub(crate) fn get(port: u16, target: &str) -> Reply {
    let failed = Reply {
        status: 0,
        headers: Vec::new(),
        body: String::new(),
    };
    let Ok(mut s) = TcpStream::connect(("127.0.0.1", port)) else {
        return failed;
    };
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let request =
        format!("GET {target} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n");
    if s.write_all(request.as_bytes()).is_err() {
        return failed;
    }
    let mut raw = Vec::new();
    if s.read_to_end(&mut raw).is_err() {
        return failed;
    }
    let text = String::from_utf8_lossy(&raw).into_owned();
    let Some((head, body)) = text.split_once("\r\n\r\n") else {
        return failed;
    };
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    Reply {
        status,
        headers,
        body: body.to_string(),
    }
}

const LIVE_SCRIPT: &str = "<script src=\"/preview/__klynge/live.js\"></script>";

#[test]
fn serves_the_site_from_memory_under_its_subpath() {
    let s = Serve::start();

    let home = s.get(&format!("{BASE}/en/"));
    assert_eq!(home.status, 200);
    assert!(
        home.body.contains(LIVE_SCRIPT),
        "live-reload script on the home page"
    );
    assert!(home.body.contains("Baltic Test Cluster"));
    assert!(
        s.get(&format!("{BASE}/")).body.contains(LIVE_SCRIPT),
        "and on the language chooser"
    );

    let spa = s.get(&format!("{BASE}/en/spas/laine/"));
    assert_eq!(spa.status, 200);
    assert_eq!(spa.header("content-type"), "text/html; charset=utf-8");
    assert!(spa.body.contains("<title>Laine Spa"));
    // Absolute URLs point at the preview server, subpath kept.
    assert!(spa.body.contains(&format!(
        "href=\"http://127.0.0.1:{}/preview/en/spas/laine/\"",
        s.port
    )));

    for (path, ty) in [
        ("/style.css", "text/css; charset=utf-8"),
        ("/en/atom.xml", "application/atom+xml; charset=utf-8"),
        ("/sitemap.xml", "application/xml; charset=utf-8"),
        ("/en/search.json", "application/json"),
        ("/__klynge/live.js", "text/javascript; charset=utf-8"),
    ] {
        let r = s.get(&format!("{BASE}{path}"));
        assert_eq!((r.status, r.header("content-type")), (200, ty), "{path}");
    }
    assert!(
        s.get(&format!("{BASE}/__klynge/live.js"))
            .body
            .contains("location.reload()")
    );

    let redirect = s.get("/");
    assert_eq!(
        (redirect.status, redirect.header("location")),
        (301, "/preview/")
    );
    let redirect = s.get(&format!("{BASE}/en/spas"));
    assert_eq!(
        (redirect.status, redirect.header("location")),
        (301, "/preview/en/spas/")
    );

    let missing = s.get(&format!("{BASE}/nonexistent/"));
    assert_eq!(missing.status, 404);
    assert!(
        missing.body.contains("Page not found"),
        "the site's own 404 page"
    );

    assert!(!s.file("public").exists(), "serve never writes public/");
}

#[test]
fn refuses_paths_that_leave_the_output() {
    let s = Serve::start();
    for target in [
        "/../site.toml",
        "/%2e%2e/site.toml",
        "/..%2fsite.toml",
        "/%5c..%5csite.toml",
        "/preview/../site.toml",
        "/preview/%2e%2e/site.toml",
        "/preview/%2E%2E%2Fsite.toml",
        "/preview/..%5csite.toml",
        "/preview/%2e%2e/%2e%2e/etc/passwd",
        "/preview/content/spas/laine.en.md",
        "/preview/site.toml",
        "/preview/%00",
    ] {
        let r = s.get(target);
        assert!(
            matches!(r.status, 400 | 404),
            "{target}: status {}",
            r.status
        );
        assert!(
            !r.body.contains("base_url") && !r.body.contains("cluster = "),
            "{target} leaked a source file"
        );
    }
}

#[test]
fn rebuilds_on_edit_shows_errors_and_recovers() {
    let s = Serve::start();
    let spa_page = format!("{BASE}/en/spas/laine/");
    let spa_file = s.file("content/spas/laine.en.md");
    let original = fs::read_to_string(&spa_file).unwrap();

    // A live-reload stream, to see it told to reload.
    let mut events = TcpStream::connect(("127.0.0.1", s.port)).unwrap();
    events
        .set_read_timeout(Some(Duration::from_millis(200)))
        .unwrap();
    write!(
        events,
        "GET {BASE}/__klynge/events HTTP/1.1\r\nHost: x\r\n\r\n"
    )
    .unwrap();
    let mut seen = String::new();
    read_until(&mut events, &mut seen, "retry:");
    assert!(seen.contains("text/event-stream"), "{seen}");

    // An edit shows up, on the spa page and on its cluster's page.
    fs::write(
        &spa_file,
        original.replace("title = \"Laine Spa\"", "title = \"Laine Spa Renamed\""),
    )
    .unwrap();
    s.wait_for(&spa_page, "the new title", |r| {
        r.status == 200 && r.body.contains("<title>Laine Spa Renamed")
    });
    s.wait_for(
        &format!("{BASE}/en/clusters/baltic/"),
        "the member's new title",
        |r| r.body.contains("Laine Spa Renamed"),
    );
    read_until(&mut events, &mut seen, "event: reload");
    assert!(
        s.log("out").contains("(incremental"),
        "a content edit rebuilds incrementally:\n{}",
        s.log("out")
    );

    // A broken edit: the error page, with file, line and message, and the
    // live-reload script; other files are still served.
    fs::write(
        &spa_file,
        original.replace("+++\n\nA spa", "bogus_field = 1\n+++\n\nA spa"),
    )
    .unwrap();
    let broken = s.wait_for(&spa_page, "the error page", |r| r.status == 500);
    assert!(
        broken.body.contains("content/spas/laine.en.md:7:1"),
        "{}",
        broken.body
    );
    assert!(broken.body.contains("bogus_field"));
    assert!(broken.body.contains(LIVE_SCRIPT));
    assert_eq!(
        s.get(&format!("{BASE}/en/")).status,
        500,
        "every HTML page shows the error"
    );
    assert_eq!(s.get(&format!("{BASE}/style.css")).status, 200);
    assert!(
        s.log("err").contains("bogus_field"),
        "errors are printed too"
    );

    // The fix recovers.
    fs::write(
        &spa_file,
        original.replace("title = \"Laine Spa\"", "title = \"Laine Spa Fixed\""),
    )
    .unwrap();
    s.wait_for(&spa_page, "recovery", |r| {
        r.status == 200 && r.body.contains("<title>Laine Spa Fixed")
    });
    assert_eq!(s.get(&format!("{BASE}/en/")).status, 200);

    // A template of the site's own overrides the theme: a full rebuild.
    fs::create_dir_all(s.file("templates")).unwrap();
    let base =
        fs::read_to_string(manifest_dir().join("themes/default/templates/404.html")).unwrap();
    fs::write(
        s.file("templates/404.html"),
        base.replace("<h1>", "<h1 data-own-template>"),
    )
    .unwrap();
    s.wait_for(
        &format!("{BASE}/nowhere/"),
        "the site's own template",
        |r| r.status == 404 && r.body.contains("data-own-template"),
    );

    assert!(!s.file("public").exists(), "serve never writes public/");
}

/// Reads from `stream` into `seen` until it contains `needle` (at most 10 s).
fn read_until(stream: &mut TcpStream, seen: &mut String, needle: &str) {
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut buf = [0u8; 4096];
    while !seen.contains(needle) {
        assert!(
            Instant::now() < deadline,
            "no {needle:?} in the event stream: {seen}"
        );
        match stream.read(&mut buf) {
            Ok(0) => panic!("event stream closed: {seen}"),
            Ok(n) => seen.push_str(&String::from_utf8_lossy(&buf[..n])),
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) => {}
            Err(e) => panic!("event stream: {e}"),
        }
    }
}

#[test]
fn a_busy_port_is_a_clear_error() {
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let logs = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_klynge"))
        .args(["serve", "--root"])
        .arg(fixture())
        .args(["--port", &port.to_string()])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(fs::File::create(logs.path().join("err")).unwrap())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("serve kept running on a busy port");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(status.code(), Some(1));
    let err = fs::read_to_string(logs.path().join("err")).unwrap();
    assert!(
        err.contains(&format!("127.0.0.1:{port}")) && err.contains("--port"),
        "{err}"
    );
    assert!(!fixture().join("public").exists());
}

#[test]
fn in_memory_rebuilds_are_incremental_report_errors_and_recover() {
    let site = SiteTest::fixture("serve-site");
    let mut serve = site.serve();
    assert!(serve.rebuild().assert_ok().full, "the first build is full");
    let spa = "/en/spas/laine/";
    let file = "content/spas/laine.en.md";
    let page = serve.text(spa).expect("the spa page is served");
    assert!(page.contains("<title>Laine Spa"), "{page}");
    assert!(
        page.contains(&format!("href=\"{SERVE_ORIGIN}{BASE}{spa}\"")),
        "absolute URLs point at the preview, subpath kept"
    );
    assert!(page.contains(LIVE_SCRIPT), "the live-reload script");

    // A content edit: incremental, on the spa page and its cluster's page.
    serve.replace(
        file,
        "title = \"Laine Spa\"",
        "title = \"Laine Spa Renamed\"",
    );
    let edited = serve.rebuild();
    let report = edited.assert_ok();
    assert!(!report.full, "{}", report.line());
    assert!(
        serve
            .text(spa)
            .unwrap()
            .contains("<title>Laine Spa Renamed")
    );
    let cluster = serve.text("/en/clusters/baltic/").unwrap();
    assert!(cluster.contains("Laine Spa Renamed"), "{cluster}");

    // A broken edit: the error, in full, and the error page; the last
    // good pages stay behind it.
    serve.replace(file, "+++\n\nA spa", "bogus_field = 1\n+++\n\nA spa");
    let broken = serve.rebuild();
    broken.assert_err();
    let rendered = broken.rendered();
    assert!(
        rendered.contains("content/spas/laine.en.md:7:1: error: unknown field `bogus_field`"),
        "{rendered}"
    );
    assert!(
        rendered.contains("7 | bogus_field = 1\n  | ^\n"),
        "{rendered}"
    );
    let error_page = serve.error_page().expect("an error page");
    assert!(
        error_page.contains("content/spas/laine.en.md:7:1"),
        "{error_page}"
    );
    assert!(
        serve
            .text(spa)
            .unwrap()
            .contains("<title>Laine Spa Renamed")
    );

    // The fix recovers.
    serve.replace(file, "bogus_field = 1\n", "");
    serve.rebuild().assert_ok();
    assert!(serve.error_page().is_none());
    assert!(
        serve
            .text(spa)
            .unwrap()
            .contains("<title>Laine Spa Renamed")
    );

    // A new file is served and listed; removed, it is gone again.
    let news = "content/news/second.en.md";
    let item = "en/news/second/index.html";
    serve.write(
        news,
        "+++\ntitle = \"A second wing\"\ndate = 2024-06-01\ncluster = \"baltic\"\n+++\n\nMore.\n",
    );
    serve.rebuild().assert_ok();
    assert!(serve.files().contains_key(item));
    assert!(serve.text("/en/news/").unwrap().contains("A second wing"));
    serve.remove(news);
    serve.rebuild().assert_ok();
    assert!(!serve.files().contains_key(item));
    assert!(!serve.text("/en/news/").unwrap().contains("A second wing"));
}

/// What a fresh build of the site's tree as it is now gives: the files a
/// new `klynge serve` would serve (a new in-memory builder with the
/// server's origin), or its error page. `klynge build` must agree on
/// whether the site builds.
pub(crate) struct Fresh {
    pub(crate) ok: bool,
    pub(crate) files: BTreeMap<String, Vec<u8>>,
    error_page: Option<Vec<u8>>,
    headlines: String,
}

pub(crate) fn fresh(s: &Serve) -> Fresh {
    let root = fs::canonicalize(&s.site.root).unwrap();
    let shared = Shared::default();
    let diags = Diagnostics::new();
    let origin = format!("http://127.0.0.1:{}", s.port);
    let ok = Builder::new(root, origin, false)
        .schedule(Some(crate::support::site::test_now()), false)
        .rebuild(&shared, &diags)
        .is_some();
    let out = shared.read();
    Fresh {
        ok,
        files: out
            .files
            .iter()
            .map(|(k, v)| (k.clone(), v.to_vec()))
            .collect(),
        error_page: out.error_page.as_ref().map(|p| p.to_vec()),
        headlines: diags
            .sorted()
            .iter()
            .filter(|d| d.is_error())
            .map(|d| d.headline())
            .collect::<Vec<_>>()
            .join("\n"),
    }
}

/// What the server must answer for `url` (below the base path) when it
/// serves `f`: status and body.
fn expected(f: &Fresh, url: &str) -> (u16, String) {
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    let url = url.split('?').next().unwrap_or(url);
    let key = file_for(url);
    if let Some(page) = &f.error_page {
        return (500, text(page));
    }
    if let Some(bytes) = f.files.get(&key) {
        return (200, text(bytes));
    }
    if !url.ends_with('/') && f.files.contains_key(&format!("{key}/index.html")) {
        return (301, String::new());
    }
    // A miss under a language's prefix gets that language's 404 page.
    let lang_404 = url
        .trim_start_matches('/')
        .split('/')
        .next()
        .map(|first| format!("{first}/404.html"));
    match lang_404
        .and_then(|k| f.files.get(&k))
        .or_else(|| f.files.get("404.html"))
    {
        Some(page) => (404, text(page)),
        None => (404, "not found\n".into()),
    }
}

/// The first difference between what `s` serves and a fresh build `f`,
/// over every file of `f` and the pages `urls` (site paths below the
/// base path). While the site does not build only HTML pages are
/// compared: they all show the error page.
pub(crate) fn differs(s: &Serve, f: &Fresh, base: &str, urls: &[String]) -> Option<String> {
    let mut all: Vec<String> = f.files.keys().map(|k| url_for(k)).collect();
    all.extend(urls.iter().cloned());
    all.sort();
    all.dedup();
    for url in all {
        if f.error_page.is_some() && !file_for(&url).ends_with(".html") {
            continue;
        }
        let (status, body) = expected(f, &url);
        let got = s.get(&format!("{base}{}", encode(&url)));
        if got.status != status || got.body != body {
            return Some(format!(
                "{url}: served {} ({} bytes), a fresh build gives {status} ({} bytes); fresh build errors:\n{}\nserved body starts:\n{}",
                got.status,
                got.body.len(),
                body.len(),
                f.headlines,
                got.body.chars().take(600).collect::<String>()
            ));
        }
    }
    None
}

/// Non-ASCII bytes percent-encoded, as a browser sends them.
fn encode(url: &str) -> String {
    url.bytes()
        .map(|b| {
            if b.is_ascii() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// Waits (at most `secs`) until `s` serves what a fresh build of the tree
/// gives, for every file of it and `urls`; panics with the difference.
/// Returns the fresh build.
pub(crate) fn settle(s: &Serve, base: &str, urls: &[&str], secs: u64) -> Fresh {
    let urls: Vec<String> = urls.iter().map(|u| u.to_string()).collect();
    let deadline = Instant::now() + Duration::from_secs(secs);
    loop {
        let f = fresh(s);
        let Some(why) = differs(s, &f, base, &urls) else {
            let built = s.site.build();
            assert_eq!(
                built.ok(),
                f.ok,
                "klynge build and a fresh serve build disagree:\n{}",
                built.rendered()
            );
            if f.ok {
                // The build's own manifest is the one file serve has no use for.
                let built: Vec<String> = built
                    .tree()
                    .into_keys()
                    .filter(|k| k != klynge::output::MANIFEST)
                    .collect();
                let served: Vec<String> = f.files.keys().cloned().collect();
                assert_eq!(built, served, "klynge build writes the files serve serves");
            }
            return f;
        };
        assert!(
            Instant::now() < deadline,
            "serve does not answer as a fresh build: {why}\nstdout:\n{}\nstderr:\n{}",
            s.log("out"),
            s.log("err")
        );
        std::thread::sleep(Duration::from_millis(150));
    }
}

/// Pages of the serve fixture that come and go in these tests.
const PAGES: [&str; 4] = ["/en/", "/en/spas/laine/", "/en/news/opening/", "/nb/"];

#[test]
fn a_symlink_loop_added_then_removed_leaves_no_error() {
    let s = Serve::start();
    settle(&s, BASE, &PAGES, 10);
    let link = s.file("content/spas/loop");
    std::os::unix::fs::symlink("../spas", &link).unwrap();
    let broken = settle(&s, BASE, &PAGES, 10);
    assert!(!broken.ok, "a symlink loop is an error");
    assert!(
        broken.headlines.contains("symbolic link loop"),
        "{}",
        broken.headlines
    );
    fs::remove_file(&link).unwrap();
    assert!(settle(&s, BASE, &PAGES, 10).ok);
    assert_eq!(s.get(&format!("{BASE}/en/spas/laine/")).status, 200);
}

#[test]
fn the_content_folder_moved_away_and_back_serves_as_a_fresh_build() {
    let s = Serve::start();
    settle(&s, BASE, &PAGES, 10);
    fs::rename(s.file("content"), s.file("x")).unwrap();
    let gone = settle(&s, BASE, &PAGES, 10);
    assert!(!gone.ok, "{}", gone.headlines);
    fs::rename(s.file("x"), s.file("content")).unwrap();
    assert!(settle(&s, BASE, &PAGES, 10).ok);
    // Watched again: an edit after the move shows.
    s.site.replace(
        "content/spas/laine.en.md",
        "title = \"Laine Spa\"",
        "title = \"Laine Spa Moved\"",
    );
    s.wait_for(&format!("{BASE}/en/spas/laine/"), "the edit", |r| {
        r.body.contains("<title>Laine Spa Moved")
    });
    settle(&s, BASE, &PAGES, 10);
}

#[test]
fn a_broken_link_in_a_full_rebuild_then_removed_serves_as_a_fresh_build() {
    let s = Serve::start();
    settle(&s, BASE, &PAGES, 10);
    // A link to nowhere is left out with a warning; a change to site.toml
    // makes the rebuild a full one.
    std::os::unix::fs::symlink("nowhere.md", s.file("content/spas/dangling.en.md")).unwrap();
    s.site.replace(
        "site.toml",
        "title = \"Serve fixture\"",
        "title = \"Serve fixture 2\"",
    );
    let broken = settle(&s, BASE, &PAGES, 10);
    assert!(broken.ok, "a broken link is a warning, not an error");
    fs::remove_file(s.file("content/spas/dangling.en.md")).unwrap();
    assert!(settle(&s, BASE, &PAGES, 10).ok);
}

#[test]
fn an_alias_that_collided_with_a_page_removed_serves_the_page_again() {
    let s = Serve::start();
    settle(&s, BASE, &PAGES, 10);
    let news = "content/news/opening.en.md";
    let spa = "content/spas/laine.en.md";
    for (file, before, alias) in [
        (news, "cluster = ", "aliases = [\"/en/spas/laine/\"]\n"),
        (spa, "kind = ", "aliases = [\"/en/news/opening/\"]\n"),
        (news, "cluster = ", "aliases = [\"/en/\"]\n"),
    ] {
        s.site.replace(file, before, &format!("{alias}{before}"));
        let broken = settle(&s, BASE, &PAGES, 10);
        assert!(
            broken.headlines.contains("is also written by"),
            "{}",
            broken.headlines
        );
        s.site.replace(file, alias, "");
        let fixed = settle(&s, BASE, &PAGES, 10);
        assert!(fixed.ok, "{}", fixed.headlines);
        for page in PAGES {
            assert_eq!(s.get(&format!("{BASE}{page}")).status, 200, "{page}");
        }
    }
}

/// A request on its own connection: sends `head` (without the final empty
/// line), reads nothing.
fn stall(port: u16, target: &str) -> TcpStream {
    let mut c = TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(c, "GET {target} HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
    c
}

#[test]
fn slow_readers_do_not_keep_others_waiting() {
    let site = SiteTest::fixture("serve-site");
    // 16 MB: more than a loopback socket buffers, so a client that reads
    // nothing keeps its answer unfinished.
    let big: Vec<u8> = (0..16u32 << 20).map(|i| (i % 251) as u8).collect();
    site.write("static/big.bin", &big);
    let s = Serve::start_site(site);
    let stalled: Vec<TcpStream> = (0..8)
        .map(|_| stall(s.port, &format!("{BASE}/big.bin")))
        .collect();
    std::thread::sleep(Duration::from_millis(500));
    let start = Instant::now();
    let home = get_within(s.port, &format!("{BASE}/en/"), Duration::from_secs(2));
    assert_eq!(
        home.status, 200,
        "answered within 2 s while 8 clients stall"
    );
    assert!(start.elapsed() < Duration::from_secs(2));
    // A stalled client still gets its whole file once it reads.
    let mut first = stalled.into_iter().next().unwrap();
    first
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let mut raw = Vec::new();
    first.read_to_end(&mut raw).unwrap();
    assert!(
        raw.ends_with(&big[big.len() - 1000..]),
        "{} bytes",
        raw.len()
    );
    assert!(raw.len() > big.len());
}

/// `get` that gives up after `timeout`.
fn get_within(port: u16, target: &str, timeout: Duration) -> Reply {
    let (tx, rx) = std::sync::mpsc::channel();
    let target = target.to_string();
    std::thread::spawn(move || {
        let _ = tx.send(get(port, &target));
    });
    rx.recv_timeout(timeout).unwrap_or(Reply {
        status: 0,
        headers: Vec::new(),
        body: String::new(),
    })
}

/// Sends `request` as is and reads the status of the answer (0 for none).
fn raw_status(port: u16, request: &[u8]) -> u16 {
    let mut c = TcpStream::connect(("127.0.0.1", port)).unwrap();
    c.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let _ = c.write_all(request);
    let mut raw = Vec::new();
    let _ = c.read_to_end(&mut raw);
    let text = String::from_utf8_lossy(&raw);
    text.split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0)
}

#[test]
fn oversized_request_heads_are_refused() {
    let s = Serve::start();
    let long_target = format!(
        "GET {BASE}/{} HTTP/1.1\r\nHost: x\r\n\r\n",
        "a".repeat(10_000)
    );
    assert_eq!(raw_status(s.port, long_target.as_bytes()), 414);
    let mut many = format!("GET {BASE}/en/ HTTP/1.1\r\nHost: x\r\n");
    for i in 0..2_000 {
        many.push_str(&format!("X-Filler-{i}: {}\r\n", "b".repeat(40)));
    }
    many.push_str("\r\n");
    assert!(many.len() > 64 * 1024);
    assert_eq!(raw_status(s.port, many.as_bytes()), 431);
    let long_header = format!(
        "GET {BASE}/en/ HTTP/1.1\r\nHost: x\r\nX-Big: {}\r\n\r\n",
        "c".repeat(100_000)
    );
    assert_eq!(raw_status(s.port, long_header.as_bytes()), 431);
    // Within the limits: answered.
    let fine = format!(
        "GET {BASE}/en/ HTTP/1.1\r\nHost: x\r\nX-Fine: {}\r\n\r\n",
        "d".repeat(4_000)
    );
    assert_eq!(raw_status(s.port, fine.as_bytes()), 200);
    // 10 MB of header: refused early, and the server goes on.
    let mut c = TcpStream::connect(("127.0.0.1", s.port)).unwrap();
    c.set_write_timeout(Some(Duration::from_secs(10))).unwrap();
    let _ = write!(c, "GET {BASE}/en/ HTTP/1.1\r\nHost: x\r\nX-Huge: ");
    let chunk = vec![b'e'; 1 << 20];
    let sent = (0..10).take_while(|_| c.write_all(&chunk).is_ok()).count();
    assert!(sent < 10, "the server stopped reading before 10 MB");
    drop(c);
    assert_eq!(s.get(&format!("{BASE}/en/")).status, 200);
}

#[test]
fn the_trailing_slash_redirect_keeps_the_query() {
    let s = Serve::start();
    let r = s.get(&format!("{BASE}/en/search?q=laine"));
    assert_eq!(
        (r.status, r.header("location")),
        (301, "/preview/en/search/?q=laine")
    );
    let r = s.get(&format!("{BASE}/en/search?q=laine&x=%C3%A4"));
    assert_eq!(r.header("location"), "/preview/en/search/?q=laine&x=%C3%A4");
    let r = s.get(&format!("{BASE}?q=1"));
    assert_eq!((r.status, r.header("location")), (301, "/preview/?q=1"));
    let r = s.get(&format!("{BASE}/en/search"));
    assert_eq!(r.header("location"), "/preview/en/search/");
}
