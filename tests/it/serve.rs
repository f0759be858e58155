//! `klynge serve` end to end: the built binary serves a copy of
//! tests/fixtures/serve-site on a free port; real HTTP requests check
//! routing, content types, the 404 page, path safety, live reload, and
//! rebuilds after edits, broken edits and fixes. The same rebuild loop in
//! memory (`SiteTest::serve`) checks what each rebuild reports.

use crate::support::{SERVE_ORIGIN, SiteTest, fixtures_dir, manifest_dir};
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
struct Serve {
    child: Child,
    port: u16,
    site: SiteTest,
    logs: tempfile::TempDir,
}

impl Serve {
    fn start() -> Serve {
        let site = SiteTest::fixture("serve-site");
        let logs = tempfile::tempdir().unwrap();
        let port = free_port();
        let child = Command::new(env!("CARGO_BIN_EXE_klynge"))
            .args(["serve", "--root"])
            .arg(&site.root)
            .args(["--port", &port.to_string()])
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

    fn log(&self, name: &str) -> String {
        fs::read_to_string(self.logs.path().join(name)).unwrap_or_default()
    }

    fn get(&self, target: &str) -> Reply {
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
struct Reply {
    status: u16,
    /// Header lines, names lower-cased.
    headers: Vec<(String, String)>,
    body: String,
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
fn get(port: u16, target: &str) -> Reply {
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
