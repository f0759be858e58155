//! Browser checks: builds the sample site, serves it on
//! 127.0.0.1 and runs `tests/browser/run.mjs` in headless Chromium — axe-core
//! on every page type in every language, the Nu HTML Checker over the whole
//! output, a reader's journey, search, screenshots, overflow at 375 px and
//! page weights; and Lighthouse (`tests/browser/lighthouse.mjs`) on every
//! page type. Artifacts go to `target/browser-artifacts/`.
//!
//! Never skipped: without Chromium, Java or `tests/browser/node_modules`
//! this test fails and says to run `scripts/test`, which installs them.

use crate::support::{SiteTest, manifest_dir};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const CHROMIUM: &str = "/usr/bin/chromium";
const TIME_LIMIT: Duration = Duration::from_secs(20 * 60);

fn missing_tools(repo: &Path) -> Vec<String> {
    let mut missing = Vec::new();
    let runs = |cmd: &str, arg: &str| {
        Command::new(cmd)
            .arg(arg)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    };
    if !runs("node", "--version") {
        missing.push("node (Node.js 20)".to_string());
    }
    if !Path::new(CHROMIUM).exists() {
        missing.push(format!("{CHROMIUM} (apt-get install chromium)"));
    }
    if !runs("java", "-version") {
        missing.push("java (apt-get install default-jre-headless)".to_string());
    }
    let modules = repo.join("tests/browser/node_modules");
    for package in [
        "playwright-core",
        "axe-core",
        "vnu-jar/build/dist/vnu.jar",
        "lighthouse",
        "chrome-launcher",
    ] {
        if !modules.join(package).exists() {
            missing.push(format!(
                "tests/browser/node_modules/{package} (npm ci in tests/browser)"
            ));
        }
    }
    missing
}

// ------------------------------------------------------------ server --

/// Serves `root` on 127.0.0.1 (GET and HEAD only) until the process ends;
/// returns the base URL.
fn serve(root: PathBuf) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let root = root.clone();
            std::thread::spawn(move || {
                let _ = handle(stream, &root);
            });
        }
    });
    format!("http://{addr}")
}

fn handle(mut stream: TcpStream, root: &Path) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 {
            return Ok(());
        }
        let mut parts = line.split_whitespace();
        let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or("/"));
        let mut keep_alive = parts.next() == Some("HTTP/1.1");
        let mut body_len = 0usize;
        let mut gzip = false;
        loop {
            let mut header = String::new();
            if reader.read_line(&mut header)? == 0 || header.trim().is_empty() {
                break;
            }
            let lower = header.to_ascii_lowercase();
            if let Some(v) = lower.strip_prefix("content-length:") {
                body_len = v.trim().parse().unwrap_or(0);
            }
            if lower.starts_with("connection:") && lower.contains("close") {
                keep_alive = false;
            }
            if lower.starts_with("accept-encoding:") && lower.contains("gzip") {
                gzip = true;
            }
        }
        std::io::copy(
            &mut (&mut reader).take(body_len as u64),
            &mut std::io::sink(),
        )?;
        let (status, content_type, mut body) = respond(method, target, root);
        // Text is sent gzipped when the browser asks, as GitHub Pages,
        // Netlify and the nginx example do: Lighthouse times the bytes a
        // reader's browser receives from a real host.
        let mut encoding = "";
        if gzip && compressible(content_type) {
            body = gzipped(&body);
            encoding = "Content-Encoding: gzip\r\nVary: Accept-Encoding\r\n";
        }
        let head = format!(
            "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\n{encoding}Content-Length: {}\r\nCache-Control: no-store\r\nConnection: {}\r\n\r\n",
            body.len(),
            if keep_alive { "keep-alive" } else { "close" }
        );
        stream.write_all(head.as_bytes())?;
        if method != "HEAD" {
            stream.write_all(&body)?;
        }
        stream.flush()?;
        if !keep_alive {
            return Ok(());
        }
    }
}

fn respond(method: &str, target: &str, root: &Path) -> (&'static str, &'static str, Vec<u8>) {
    if method != "GET" && method != "HEAD" {
        return (
            "405 Method Not Allowed",
            "text/plain",
            b"GET only\n".to_vec(),
        );
    }
    let path = percent_decode(target.split(['?', '#']).next().unwrap_or("/"));
    let mut file = root.to_path_buf();
    for part in path.split('/').filter(|p| !p.is_empty()) {
        if part == ".." || part == "." || part.contains('\\') {
            return not_found(root);
        }
        file.push(part);
    }
    if file.is_dir() {
        file.push("index.html");
    }
    match std::fs::read(&file) {
        Ok(body) => ("200 OK", content_type(&file), body),
        Err(_) => not_found(root),
    }
}

fn not_found(root: &Path) -> (&'static str, &'static str, Vec<u8>) {
    let body = std::fs::read(root.join("404.html")).unwrap_or_else(|_| b"not found\n".to_vec());
    ("404 Not Found", "text/html; charset=utf-8", body)
}

fn content_type(file: &Path) -> &'static str {
    match file.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

fn compressible(content_type: &str) -> bool {
    content_type.starts_with("text/")
        || content_type.starts_with("application/json")
        || content_type.starts_with("application/xml")
        || content_type == "image/svg+xml"
}

fn gzipped(body: &[u8]) -> Vec<u8> {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(body).expect("gzip in memory");
    gz.finish().expect("gzip in memory")
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("");
            if let Ok(b) = u8::from_str_radix(hex, 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

// -------------------------------------------------------------- test --

/// The sample site has no photos (none with a licence to ship). The spa
/// page the checks visit (`tervis`) gets a main photo, a gallery and a
/// body image made here, gradients described as what they are, so axe,
/// the HTML checker and the layout-shift check see every photo markup.
fn add_test_photos(site: &SiteTest) {
    use crate::photos::{jpeg, png};
    site.write("content/spas/tervis/main.jpg", jpeg(1800, 1200));
    site.write("content/spas/tervis/one.jpg", jpeg(1000, 750));
    site.write("content/spas/tervis/two.png", png(600, 600));
    let texts = [
        (
            "en",
            "A colour gradient (test image)",
            "A second gradient",
            "A square gradient",
        ),
        (
            "et",
            "Värviüleminek (testpilt)",
            "Teine värviüleminek",
            "Ruudukujuline värviüleminek",
        ),
        (
            "nb",
            "En fargeovergang (testbilde)",
            "En annen fargeovergang",
            "En kvadratisk fargeovergang",
        ),
    ];
    for (lang, main, one, two) in texts {
        let file = format!("content/spas/tervis.{lang}.md");
        let src = |s: &str| {
            if lang == "en" {
                format!("src = \"{s}\", ")
            } else {
                String::new()
            }
        };
        site.replace(
            &file,
            "\n+++\n",
            &format!(
                "\nimage = {{ {}alt = \"{main}\", caption = \"{main}\" }}\ngallery = [\n  {{ {}alt = \"{one}\" }},\n  {{ {}alt = \"{two}\", credit = \"klynge\" }},\n]\n+++\n",
                src("main.jpg"),
                src("one.jpg"),
                src("two.png"),
            ),
        );
    }
    site.replace(
        "content/spas/tervis.en.md",
        "Pärnu, on the bay",
        "![A third gradient (test image)](one.jpg)\n\nPärnu, on the bay",
    );
}

/// A site's own shortcode inside a site's own page template, and a video,
/// on the About page in English: axe and the HTML checker see the markup a
/// theme author adds, and the video journey presses play.
fn add_site_shortcode_and_template(site: &SiteTest) {
    site.write(
        "templates/shortcodes/price.html",
        "<aside class=\"note\" aria-label=\"{{ label }}\"><p><strong>{{ amount }} {{ currency }}</strong></p>{{ body | safe }}</aside>\n",
    );
    site.write(
        "templates/page.html",
        "{% extends \"base.html\" %}\n{% block content %}\n<article class=\"site-page\">\n<h1>{{ head.heading }}</h1>\n<div class=\"prose\">{{ data.body | safe }}</div>\n</article>\n{% endblock content %}\n",
    );
    site.replace(
        "content/pages/about.en.md",
        "## Where the content comes from",
        "{% price(amount=95, currency=\"EUR\", label=\"Example price\") %}\nA day in the baths, *sauna included* (an example of a site's own shortcode).\n{% end %}\n\n{{ video(youtube=\"dQw4w9WgXcQ\", title=\"A walk through the baths\") }}\n\n## Where the content comes from",
    );
}

fn require_tools(repo: &Path) {
    let missing = missing_tools(repo);
    assert!(
        missing.is_empty(),
        "the browser tests need {}.\nRun scripts/test, which installs them (apt: chromium, default-jre-headless; npm ci in tests/browser).",
        missing.join(", ")
    );
}

/// The sample site with the test photos, the site's own shortcode and page
/// template, built.
fn built_sample_site() -> SiteTest {
    let site = SiteTest::sample();
    add_test_photos(&site);
    add_site_shortcode_and_template(&site);
    site.build().assert_ok();
    site
}

#[test]
fn sample_site_in_headless_chromium() {
    let repo = manifest_dir();
    require_tools(&repo);
    let site = built_sample_site();
    run_script(&repo, "run.mjs", site.out.clone());
}

/// Lighthouse (`tests/browser/lighthouse.mjs`) on one page of each page
/// type, mobile and desktop preset: 100 in performance, accessibility,
/// best practices and SEO, or the test fails with the audits that missed.
/// The scores table goes to stdout, scores and timings to
/// `target/browser-artifacts/lighthouse.json`.
#[test]
fn lighthouse_on_every_page_type() {
    let repo = manifest_dir();
    require_tools(&repo);
    let site = built_sample_site();
    run_script(&repo, "lighthouse.mjs", site.out.clone());
}

/// Serves `out` and runs `tests/browser/<script>` against it, failing the
/// test with the script's failures when it exits unsuccessfully.
fn run_script(repo: &Path, script: &str, out: PathBuf) {
    let base = serve(out.clone());
    let artifacts = repo.join("target").join("browser-artifacts");
    std::fs::create_dir_all(&artifacts).unwrap();

    let mut child = Command::new("node")
        .arg(repo.join("tests/browser").join(script))
        .arg(&base)
        .arg(&out)
        .arg(&artifacts)
        .env("CHROMIUM", CHROMIUM)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start node");
    // Read both pipes while waiting, so a full pipe cannot stall node.
    let mut stdout = child.stdout.take().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let out_reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = stdout.read_to_string(&mut s);
        s
    });
    let err_reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = stderr.read_to_string(&mut s);
        s
    });
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break Some(status);
        }
        if start.elapsed() > TIME_LIMIT {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(200));
    };
    let stdout = out_reader.join().unwrap();
    let stderr = err_reader.join().unwrap();
    println!("{stdout}");
    eprintln!("{stderr}");
    let status = status.unwrap_or_else(|| {
        panic!("the browser checks took longer than {TIME_LIMIT:?}:\n{stdout}\n{stderr}")
    });
    // The full output is printed above; the panic repeats only the failures.
    let failures = stdout
        .find("FAILURES:")
        .map_or(stdout.as_str(), |i| &stdout[i..]);
    assert!(
        status.success(),
        "browser checks failed ({status}); screenshots and weights.json in {}:\n{failures}\n{stderr}",
        artifacts.display()
    );
}

/// The world fixture (en, ar, ru, zh, tr): axe at 1280 and 360 px on each
/// page type of every language, in both directions, vnu over the output,
/// and screenshots of the Arabic and Chinese home and spa pages
/// (`target/browser-artifacts/screenshots-world/`; docs/screenshots has
/// copies checked by eye).
#[test]
fn world_fixture_in_headless_chromium() {
    let repo = manifest_dir();
    require_tools(&repo);
    let site = SiteTest::fixture("world");
    site.build().assert_ok();
    run_script(&repo, "world.mjs", site.out.clone());
}
