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

/// The Zola version of the synthetic site: its configuration and front
/// matter are TOML, its templates parse, every item of the klynge site is
/// there under Zola's file names, and — when `ZOLA` names a zola binary —
/// Zola builds it.
#[test]
fn zola_site_has_config_templates_and_translations() {
    let tmp = tempfile::tempdir().unwrap();
    generate(10, Target::Zola, tmp.path()).unwrap();
    let root = tmp.path();
    let config: toml::Table =
        toml::from_str(&std::fs::read_to_string(root.join("config.toml")).unwrap()).unwrap();
    assert_eq!(config["default_language"].as_str(), Some("en"));
    assert!(config["languages"].as_table().unwrap().contains_key("nb"));
    let mut templates = Vec::new();
    for entry in walkdir::WalkDir::new(root.join("templates")) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let name = entry.path().strip_prefix(root.join("templates")).unwrap();
            let text = std::fs::read_to_string(entry.path()).unwrap();
            templates.push((name.to_string_lossy().into_owned(), text));
        }
    }
    let mut tera = tera::Tera::default();
    tera.add_raw_templates(templates)
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert!(tera.get_template_names().count() >= 6);
    let mut files = 0;
    for entry in walkdir::WalkDir::new(root.join("content")) {
        let entry = entry.unwrap();
        if entry.path().extension().is_some_and(|e| e == "md") {
            let text = std::fs::read_to_string(entry.path()).unwrap();
            let front = text.split("+++").nth(1).unwrap();
            toml::from_str::<toml::Table>(front)
                .unwrap_or_else(|e| panic!("{}: {e}", entry.path().display()));
            files += 1;
        }
    }
    // The default language has no suffix, the others do.
    assert!(root.join("content/spas/spa-00000.md").is_file());
    assert!(root.join("content/clusters/_index.nb.md").is_file());
    let klynge = tempfile::tempdir().unwrap();
    generate(10, Target::Klynge, klynge.path()).unwrap();
    let md = walkdir::WalkDir::new(klynge.path().join("content"))
        .into_iter()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|x| x == "md")
        })
        .count();
    // The same items; Zola has a section file per section and language.
    assert!(files >= md, "{files} Zola files, {md} klynge files");
    if let Some(zola) = std::env::var_os("ZOLA") {
        let out = std::process::Command::new(zola)
            .args(["--root"])
            .arg(root)
            .args(["build", "--output-dir"])
            .arg(root.join("public"))
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "zola build: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}
