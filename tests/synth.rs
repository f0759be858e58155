//! The benchmark generator's site (SPEC 7) must build: generate a small
//! one and build it with zero errors and zero warnings.

use klynge::build::{BuildArgs, build};
use klynge::diagnostic::Diagnostics;
use klynge_synth::{Target, generate};

#[test]
fn synthetic_site_builds_cleanly() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    let stats = generate(40, Target::Klynge, &root).unwrap();
    assert!(stats.files > 100, "{stats:?}");
    let diags = Diagnostics::new();
    let args = BuildArgs {
        root: root.clone(),
        output: Some(tmp.path().join("public")),
        ..Default::default()
    };
    let summary = build(&args, &diags);
    let all = diags.sorted();
    let shown: Vec<String> = all.iter().map(|d| d.render(false)).collect();
    assert!(
        summary.is_some() && !diags.has_errors(),
        "{}",
        shown.join("")
    );
    assert!(all.is_empty(), "warnings: {}", shown.join(""));
    let public = tmp.path().join("public");
    for page in [
        "en/index.html",
        "nb/spas/index.html",
        "en/news/page/2/index.html",
        "en/spas/spa-00003/index.html",
    ] {
        assert!(public.join(page).is_file(), "{page} missing");
    }
    // A fenced TOML block is highlighted into classes.
    let highlighted = walkdir::WalkDir::new(public.join("en/spas"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .any(|e| {
            std::fs::read_to_string(e.path())
                .unwrap_or_default()
                .contains("data-lang=\"toml\"")
        });
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
