//! The web editor (`klynge cms`) in headless Chromium: the admin page of a
//! copy of the basic fixture is served on 127.0.0.1 with Decap's local
//! backend (`decap-server`) on the copy's folder; `tests/browser/cms.mjs`
//! creates a spa and edits a translation through the editor, and what the
//! editor wrote must then pass `klynge check` and build.

use crate::support::{SiteTest, manifest_dir};
use std::net::TcpListener;
use std::process::Command;

#[test]
fn the_editor_writes_files_that_check_and_build() {
    let repo = manifest_dir();
    let modules = repo.join("tests/browser/node_modules");
    for needed in [
        "decap-cms/dist/decap-cms.js",
        "decap-server",
        "playwright-core",
    ] {
        assert!(
            modules.join(needed).exists(),
            "tests/browser/node_modules/{needed} is missing: run scripts/test (npm ci in tests/browser)"
        );
    }
    let site = SiteTest::fixture("basic");
    // A port for decap-server, free now; the editor's config names it.
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .unwrap()
        .port();
    let decap = modules.join("decap-cms");
    let local = format!("http://127.0.0.1:{port}/api/v1");
    site.klynge(&[
        "cms",
        "--decap",
        decap.to_str().unwrap(),
        "--local-backend",
        &local,
    ])
    .assert_exit(0);
    site.build().assert_ok();
    // Only the admin page loads the editor's script.
    for (path, bytes) in site.tree() {
        if path.ends_with(".html") && !path.starts_with("admin/") {
            assert!(
                !String::from_utf8_lossy(&bytes).contains("decap-cms"),
                "{path} loads the editor"
            );
        }
    }
    let artifacts = repo.join("target/browser-artifacts");
    std::fs::create_dir_all(&artifacts).unwrap();
    let run = Command::new("node")
        .arg(repo.join("tests/browser/cms.mjs"))
        .arg(&site.root)
        .arg(&site.out)
        .arg(port.to_string())
        .arg(&artifacts)
        .env("CHROMIUM", "/usr/bin/chromium")
        .output()
        .expect("start node");
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(
        run.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&run.stderr)
    );

    let new_en = site.read("content/spas/havbris-spa.en.md");
    assert!(new_en.starts_with("+++\n"), "{new_en}");
    assert!(new_en.contains("cluster = \"fjord\""), "{new_en}");
    assert!(new_en.contains("kind = \"wellness-spa\""), "{new_en}");
    let new_nb = site.read("content/spas/havbris-spa.nb.md");
    assert!(new_nb.contains("title = \"Havbris spa\""), "{new_nb}");
    let edited = site.read("content/spas/kurbad.nb.md");
    assert!(edited.contains("ved sjøen i Ålesund"), "{edited}");
    assert!(
        edited.contains("Kurbadet tilbyr rehabilitering"),
        "{edited}"
    );

    site.klynge(&["check", "--strict"]).assert_exit(0);
    site.build().assert_ok();
    let page = site.text("/nb/spas/havbris-spa/");
    assert!(page.contains("Et velværespa ved havet."), "{page}");
}
