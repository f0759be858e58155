//! The benchmark generator's site must build: generate a small one and
//! build it with zero errors and zero warnings.

use crate::support::{SiteTest, tree};
use klynge_synth::{Target, generate};

#[test]
fn synthetic_site_builds_cleanly() {
    let site = SiteTest::empty();
    let stats = generate(40, Target::Klynge, &site.root).unwrap();
    assert!(stats.files > 100, "{stats:?}");
    let built = site.build();
    built.assert_ok();
    assert!(
        built.diagnostics.is_empty(),
        "warnings: {}",
        built.rendered()
    );
    let public = &site.out;
    for page in [
        "en/index.html",
        "nb/spas/index.html",
        "en/news/page/2/index.html",
        "en/spas/spa-00003/index.html",
    ] {
        assert!(public.join(page).is_file(), "{page} missing");
    }
    // A fenced TOML block is highlighted into classes.
    let highlighted = tree(&public.join("en/spas"))
        .values()
        .any(|bytes| String::from_utf8_lossy(bytes).contains("data-lang=\"toml\""));
    assert!(highlighted);
}

#[test]
fn hugo_site_has_config_layouts_and_translations() {
    let tmp = tempfile::tempdir().unwrap();
    generate(10, Target::Hugo, tmp.path()).unwrap();
    let config = std::fs::read_to_string(tmp.path().join("hugo.toml")).unwrap();
    assert!(config.contains("defaultContentLanguageInSubdir = true"));
    assert!(config.contains("location = \"locations\""));
    for layout in [
        "_default/baseof.html",
        "_default/single.html",
        "_default/list.html",
        "_default/taxonomy.html",
        "_default/term.html",
        "index.html",
    ] {
        assert!(
            tmp.path().join("layouts").join(layout).is_file(),
            "{layout}"
        );
    }
    assert!(tmp.path().join("content/spas/spa-00000.en.md").is_file());
}
