//! A new user's first hour, with the real binary in a temporary
//! folder outside the repository: `init`, `new`, `build`, `check`, the
//! help and version output, usage errors, and `init --theme-copy`.

use crate::support::{klynge_in, manifest_dir, tree};
use std::fs;
use std::path::{Path, PathBuf};

/// A fresh folder under the system's temporary folder, outside the
/// repository, removed on drop; and its canonical path.
fn temp_dir() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::Builder::new()
        .prefix("klynge-")
        .tempdir()
        .unwrap();
    let dir = tmp.path().canonicalize().unwrap();
    let repo = manifest_dir().canonicalize().unwrap();
    assert!(
        !dir.starts_with(&repo),
        "{} must be outside the repository",
        dir.display()
    );
    (tmp, dir)
}

fn read(p: &Path) -> String {
    fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// The front matter of a content file, between its `+++` lines.
fn front_matter(p: &Path) -> toml::Table {
    let t = read(p);
    let rest = t.strip_prefix("+++\n").expect("opens with +++");
    let end = rest.find("\n+++\n").expect("closes with +++");
    toml::from_str(&rest[..end + 1]).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn str_of<'a>(t: &'a toml::Table, key: &str) -> &'a str {
    t.get(key)
        .and_then(|v| v.as_str())
        .unwrap_or_else(|| panic!("no string `{key}` in {t:?}"))
}

#[test]
fn init_new_build_check() {
    let (_tmp, tmp) = temp_dir();
    let o = klynge_in(&tmp, &["init", "site", "--languages", "en,nb"]);
    o.assert_exit(0);
    let site = tmp.join("site");
    let config = read(&site.join("site.toml"));
    assert!(config.contains("default_language = \"en\""), "{config}");
    assert!(config.contains("[languages.en]"), "{config}");
    assert!(config.contains("[languages.nb]"), "{config}");
    // A new site is small: its shared links get pictures.
    assert!(
        config.contains("[social_cards]\nenabled = true"),
        "{config}"
    );
    for f in [
        "content/locations.toml",
        "content/_index.en.md",
        "content/clusters/my-cluster.en.md",
        "content/spas/first-spa.en.md",
        "content/news/welcome.en.md",
    ] {
        assert!(site.join(f).is_file(), "init wrote no {f}");
    }
    assert!(
        !site.join("themes").exists(),
        "the built-in theme needs no copy"
    );

    // `new` for each kind, from inside the site folder.
    let o = klynge_in(&site, &["new", "spa", "kalev", "--lang", "nb"]);
    o.assert_exit(0);
    let spa = site.join("content/spas/kalev.nb.md");
    let fm = front_matter(&spa);
    assert!(!str_of(&fm, "title").is_empty());
    assert_eq!(str_of(&fm, "cluster"), "my-cluster");
    assert_eq!(str_of(&fm, "location"), "parnu");

    let o = klynge_in(&site, &["new", "news", "spring-seminar"]);
    o.assert_exit(0);
    let fm = front_matter(&site.join("content/news/spring-seminar.en.md"));
    assert!(!str_of(&fm, "title").is_empty());
    let date = fm
        .get("date")
        .and_then(|d| d.as_datetime())
        .expect("a date");
    assert!(date.date.is_some() && date.time.is_none(), "{date}");
    assert_eq!(date.to_string(), klynge::scaffold::today());
    assert_eq!(str_of(&fm, "cluster"), "my-cluster");

    let o = klynge_in(&tmp, &["--root", "site", "new", "cluster", "baltic"]);
    o.assert_exit(0);
    let fm = front_matter(&site.join("content/clusters/baltic.en.md"));
    assert!(!str_of(&fm, "title").is_empty());
    assert_eq!(str_of(&fm, "country").len(), 2);

    let o = klynge_in(&site, &["new", "page", "contact"]);
    o.assert_exit(0);
    let page = site.join("content/pages/contact.en.md");
    assert!(!str_of(&front_matter(&page), "title").is_empty());

    // `new` never overwrites: neither a page nor the spa just written.
    fs::write(&page, "+++\ntitle = \"Contact us\"\n+++\n\nMy own words.\n").unwrap();
    let before = read(&page);
    let o = klynge_in(&site, &["new", "page", "contact"]);
    o.assert_exit(1);
    assert!(o.stderr.contains("exists already"), "{o}");
    assert_eq!(read(&page), before);
    let before = read(&spa);
    klynge_in(&site, &["new", "spa", "kalev", "--lang", "nb"]).assert_exit(1);
    assert_eq!(read(&spa), before);

    // No name that makes a hidden file or names the folder itself.
    // A bad slug is a usage error (exit 2), as is a slug with capitals,
    // which would make an address such as /en/spas/Upper/.
    for name in [".", ".hidden", "..", "Upper"] {
        let o = klynge_in(&site, &["new", "spa", name]);
        o.assert_exit(2);
        assert!(o.stderr.contains("error: "), "{o}");
    }
    let o = klynge_in(&site, &["new", "spa", "Upper"]);
    assert!(o.stderr.contains("`klynge new spa upper`"), "{o}");
    assert!(!site.join("content/spas/Upper.en.md").exists());
    // A language the site does not have: the site's languages are listed.
    let o = klynge_in(&site, &["new", "spa", "kuressaare", "--lang", "de"]);
    o.assert_exit(2);
    assert!(o.stderr.contains("the site's languages are: en, nb"), "{o}");
    let hidden: Vec<_> = fs::read_dir(site.join("content/spas"))
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with('.'))
        .collect();
    assert!(hidden.is_empty(), "{hidden:?}");

    // A translation of an existing item gets only its text fields: its
    // facts are inherited, so the site still builds.
    let o = klynge_in(&site, &["new", "spa", "first-spa", "--lang", "nb"]);
    o.assert_exit(0);
    let fm = front_matter(&site.join("content/spas/first-spa.nb.md"));
    assert_eq!(str_of(&fm, "title"), "First spa");
    assert!(
        fm.get("cluster").is_none() && fm.get("location").is_none(),
        "{fm:?}"
    );

    let o = klynge_in(&site, &["build"]);
    o.assert_exit(0);
    let public = site.join("public");
    assert!(public.join("nb/spas/kalev/index.html").is_file(), "{o}");
    assert!(!public.join("en/spas/kalev/index.html").exists());
    for f in [
        "index.html",
        "404.html",
        "sitemap.xml",
        "en/index.html",
        "nb/index.html",
        "en/news/spring-seminar/index.html",
        "en/clusters/baltic/index.html",
        "en/pages/contact/index.html",
        "nb/spas/first-spa/index.html",
        "en/locations/parnu/index.html",
    ] {
        assert!(public.join(f).is_file(), "no {f} in the built site");
    }
    // The Norwegian-only spa is listed in English too, marked as Norwegian.
    let en_spas = read(&public.join("en/spas/index.html"));
    assert!(
        en_spas.contains("href=\"/nb/spas/kalev/\" hreflang=\"nb\""),
        "{en_spas}"
    );

    let o = klynge_in(&site, &["check"]);
    o.assert_exit(0);
    let out = &o.stdout;
    assert!(out.contains("spas/kalev"), "{o}");
    assert!(out.ends_with("check: no errors, 1 warning\n"), "{o}");

    // --strict fails on that warning and says so, with -q too.
    for args in [&["check", "--strict"][..], &["check", "--strict", "-q"]] {
        let o = klynge_in(&site, args);
        o.assert_exit(1);
        assert!(o.stderr.contains("warning: "), "{o}");
        assert!(
            o.stderr
                .ends_with("check failed: --strict counts the 1 warning above as errors\n"),
            "{o}"
        );
    }
}

#[test]
fn init_makes_dir_inside_root() {
    let (_tmp, tmp) = temp_dir();
    fs::create_dir(tmp.join("sites")).unwrap();
    klynge_in(&tmp, &["--root", "sites", "init", "mine"]).assert_exit(0);
    assert!(tmp.join("sites/mine/site.toml").is_file());
    let o = klynge_in(&tmp, &["init", "--help"]);
    assert!(o.stdout.contains("inside --root"), "{o}");
}

#[test]
fn init_writes_a_gitignore_for_the_output_and_the_photo_cache() {
    let (_tmp, tmp) = temp_dir();
    klynge_in(&tmp, &["init", "mine"]).assert_exit(0);
    let ignore = fs::read_to_string(tmp.join("mine/.gitignore")).unwrap();
    let lines: Vec<&str> = ignore.lines().filter(|l| !l.starts_with('#')).collect();
    assert_eq!(lines, ["/public/", "/.klynge-cache/", "/node_modules/"]);
    assert!(klynge::photos::CACHE_DIR.starts_with(".klynge-cache/"));
    // The site still builds, and the ignored folders are the ones it makes.
    klynge_in(&tmp.join("mine"), &["build"]).assert_exit(0);
    assert!(tmp.join("mine/public/index.html").is_file());
}

#[test]
fn init_refuses_a_folder_that_is_not_empty() {
    let (_tmp, tmp) = temp_dir();
    let dir = tmp.join("full");
    fs::create_dir_all(dir.join("notes")).unwrap();
    fs::write(dir.join("keep.txt"), "mine\n").unwrap();
    fs::write(dir.join("notes/a.md"), "# a\n").unwrap();
    let before = tree(&dir);
    let o = klynge_in(&tmp, &["init", "full", "--languages", "en,nb"]);
    o.assert_exit(1);
    assert!(o.stderr.contains("not empty"), "{o}");
    assert_eq!(tree(&dir), before, "init changed a non-empty folder");

    // An empty folder is fine.
    fs::create_dir(tmp.join("empty")).unwrap();
    klynge_in(&tmp, &["init", "empty"]).assert_exit(0);
    assert!(tmp.join("empty/site.toml").is_file());
}

#[test]
fn version_help_and_usage_errors() {
    let (_tmp, tmp) = temp_dir();
    let o = klynge_in(&tmp, &["--version"]);
    o.assert_exit(0);
    let out = &o.stdout;
    assert!(out.contains(env!("CARGO_PKG_VERSION")), "{out}");
    assert!(out.starts_with("klynge "), "{out}");

    let o = klynge_in(&tmp, &["build", "--help"]);
    o.assert_exit(0);
    let help = &o.stdout;
    assert!(help.contains("Examples:"), "{help}");
    assert!(help.contains("klynge build --root"), "{help}");
    for cmd in ["check", "serve", "new", "init"] {
        let o = klynge_in(&tmp, &[cmd, "--help"]);
        o.assert_exit(0);
        let help = &o.stdout;
        assert!(help.contains(&format!("klynge {cmd}")), "{cmd}: {help}");
    }

    for args in [
        &["frobnicate"][..],
        &[],
        &["build", "--no-such-option"],
        &["new"],
        &["new", "castle", "x"],
        &["serve", "--port", "many"],
        &["init", "x", "--languages", "EN"],
        &["init", "x", "--languages", ""],
    ] {
        let o = klynge_in(&tmp, args);
        o.assert_exit(2);
    }
    assert!(!tmp.join("x").exists(), "a usage error must write nothing");

    // Not a site folder: a content error, not a usage error.
    let o = klynge_in(&tmp, &["build"]);
    o.assert_exit(1);
    assert!(o.stderr.contains("site.toml"), "{o}");
}

#[test]
fn theme_copy_is_used_by_the_build() {
    let (_tmp, tmp) = temp_dir();
    let o = klynge_in(&tmp, &["init", "site", "--theme-copy"]);
    o.assert_exit(0);
    let site = tmp.join("site");
    let base = site.join("themes/default/templates/base.html");
    assert!(base.is_file());
    for f in ["i18n/en.toml", "static/style.css", "templates/spa.html"] {
        assert!(site.join("themes/default").join(f).is_file(), "no {f}");
    }
    let edited = read(&base).replace("<body>", "<body>\n<!-- edited copy of the theme -->");
    fs::write(&base, edited).unwrap();
    let o = klynge_in(&site, &["build"]);
    o.assert_exit(0);
    let home = read(&site.join("public/en/index.html"));
    assert!(home.contains("<!-- edited copy of the theme -->"), "{home}");
}

#[test]
fn duplicate_languages_are_written_once() {
    let (_tmp, tmp) = temp_dir();
    let o = klynge_in(&tmp, &["init", "site", "--languages", "nb,en,nb"]);
    o.assert_exit(0);
    let config = read(&tmp.join("site/site.toml"));
    assert_eq!(config.matches("[languages.nb]").count(), 1, "{config}");
    assert!(config.contains("default_language = \"nb\""), "{config}");
    klynge_in(&tmp.join("site"), &["build", "-q"]).assert_exit(0);
}
