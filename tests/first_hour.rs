//! A new user's first hour (issue 9), with the real binary in a temporary
//! folder outside the repository: `init`, `new`, `build`, `check`, the
//! help and version output, usage errors, and `init --theme-copy`.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const KLYNGE: &str = env!("CARGO_BIN_EXE_klynge");

/// A fresh folder under the system's temporary folder, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        let dir =
            std::env::temp_dir().join(format!("klynge-{name}-{}-{nanos}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        let dir = dir.canonicalize().unwrap();
        let repo = Path::new(env!("CARGO_MANIFEST_DIR"))
            .canonicalize()
            .unwrap();
        assert!(
            !dir.starts_with(&repo),
            "{} must be outside the repository",
            dir.display()
        );
        TempDir(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

fn klynge(dir: &Path, args: &[&str]) -> Output {
    Command::new(KLYNGE)
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("run klynge")
}

fn text(o: &Output) -> String {
    format!(
        "exit {:?}\n--- stdout\n{}--- stderr\n{}",
        o.status.code(),
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn assert_exit(o: &Output, code: i32) {
    assert_eq!(o.status.code(), Some(code), "{}", text(o));
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

/// Every file under `dir`, with its contents, to see that nothing changed.
fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push((p.clone(), fs::read(&p).unwrap()));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn init_new_build_check() {
    let tmp = TempDir::new("first-hour");
    let o = klynge(&tmp.0, &["init", "site", "--languages", "en,nb"]);
    assert_exit(&o, 0);
    let site = tmp.0.join("site");
    let config = read(&site.join("site.toml"));
    assert!(config.contains("default_language = \"en\""), "{config}");
    assert!(config.contains("[languages.en]"), "{config}");
    assert!(config.contains("[languages.nb]"), "{config}");
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
    let o = klynge(&site, &["new", "spa", "kalev", "--lang", "nb"]);
    assert_exit(&o, 0);
    let spa = site.join("content/spas/kalev.nb.md");
    let fm = front_matter(&spa);
    assert!(!str_of(&fm, "title").is_empty());
    assert_eq!(str_of(&fm, "cluster"), "my-cluster");
    assert_eq!(str_of(&fm, "location"), "parnu");

    let o = klynge(&site, &["new", "news", "spring-seminar"]);
    assert_exit(&o, 0);
    let fm = front_matter(&site.join("content/news/spring-seminar.en.md"));
    assert!(!str_of(&fm, "title").is_empty());
    let date = fm
        .get("date")
        .and_then(|d| d.as_datetime())
        .expect("a date");
    assert!(date.date.is_some() && date.time.is_none(), "{date}");
    assert_eq!(date.to_string(), klynge::scaffold::today());
    assert_eq!(str_of(&fm, "cluster"), "my-cluster");

    let o = klynge(&tmp.0, &["--root", "site", "new", "cluster", "baltic"]);
    assert_exit(&o, 0);
    let fm = front_matter(&site.join("content/clusters/baltic.en.md"));
    assert!(!str_of(&fm, "title").is_empty());
    assert_eq!(str_of(&fm, "country").len(), 2);

    let o = klynge(&site, &["new", "page", "contact"]);
    assert_exit(&o, 0);
    let page = site.join("content/pages/contact.en.md");
    assert!(!str_of(&front_matter(&page), "title").is_empty());

    // `new` never overwrites: neither a page nor the spa just written.
    fs::write(&page, "+++\ntitle = \"Contact us\"\n+++\n\nMy own words.\n").unwrap();
    let before = read(&page);
    let o = klynge(&site, &["new", "page", "contact"]);
    assert_exit(&o, 1);
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("exists already"),
        "{}",
        text(&o)
    );
    assert_eq!(read(&page), before);
    let before = read(&spa);
    assert_exit(&klynge(&site, &["new", "spa", "kalev", "--lang", "nb"]), 1);
    assert_eq!(read(&spa), before);

    // A translation of an existing item gets only its text fields: its
    // facts are inherited, so the site still builds.
    let o = klynge(&site, &["new", "spa", "first-spa", "--lang", "nb"]);
    assert_exit(&o, 0);
    let fm = front_matter(&site.join("content/spas/first-spa.nb.md"));
    assert_eq!(str_of(&fm, "title"), "First spa");
    assert!(
        fm.get("cluster").is_none() && fm.get("location").is_none(),
        "{fm:?}"
    );

    let o = klynge(&site, &["build"]);
    assert_exit(&o, 0);
    let public = site.join("public");
    assert!(
        public.join("nb/spas/kalev/index.html").is_file(),
        "{}",
        text(&o)
    );
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

    let o = klynge(&site, &["check"]);
    assert_exit(&o, 0);
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("spas/kalev"), "{}", text(&o));
}

#[test]
fn init_refuses_a_folder_that_is_not_empty() {
    let tmp = TempDir::new("not-empty");
    let dir = tmp.0.join("full");
    fs::create_dir_all(dir.join("notes")).unwrap();
    fs::write(dir.join("keep.txt"), "mine\n").unwrap();
    fs::write(dir.join("notes/a.md"), "# a\n").unwrap();
    let before = snapshot(&dir);
    let o = klynge(&tmp.0, &["init", "full", "--languages", "en,nb"]);
    assert_exit(&o, 1);
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("not empty"),
        "{}",
        text(&o)
    );
    assert_eq!(snapshot(&dir), before, "init changed a non-empty folder");

    // An empty folder is fine.
    fs::create_dir(tmp.0.join("empty")).unwrap();
    assert_exit(&klynge(&tmp.0, &["init", "empty"]), 0);
    assert!(tmp.0.join("empty/site.toml").is_file());
}

#[test]
fn version_help_and_usage_errors() {
    let tmp = TempDir::new("usage");
    let o = klynge(&tmp.0, &["--version"]);
    assert_exit(&o, 0);
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains(env!("CARGO_PKG_VERSION")), "{out}");
    assert!(out.starts_with("klynge "), "{out}");

    let o = klynge(&tmp.0, &["build", "--help"]);
    assert_exit(&o, 0);
    let help = String::from_utf8_lossy(&o.stdout);
    assert!(help.contains("Examples:"), "{help}");
    assert!(help.contains("klynge build --root"), "{help}");
    for cmd in ["check", "serve", "new", "init"] {
        let o = klynge(&tmp.0, &[cmd, "--help"]);
        assert_exit(&o, 0);
        let help = String::from_utf8_lossy(&o.stdout);
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
        let o = klynge(&tmp.0, args);
        assert_exit(&o, 2);
    }
    assert!(
        !tmp.0.join("x").exists(),
        "a usage error must write nothing"
    );

    // Not a site folder: a content error, not a usage error.
    let o = klynge(&tmp.0, &["build"]);
    assert_exit(&o, 1);
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("site.toml"),
        "{}",
        text(&o)
    );
}

#[test]
fn theme_copy_is_used_by_the_build() {
    let tmp = TempDir::new("theme-copy");
    let o = klynge(&tmp.0, &["init", "site", "--theme-copy"]);
    assert_exit(&o, 0);
    let site = tmp.0.join("site");
    let base = site.join("themes/default/templates/base.html");
    assert!(base.is_file());
    for f in ["i18n/en.toml", "static/style.css", "templates/spa.html"] {
        assert!(site.join("themes/default").join(f).is_file(), "no {f}");
    }
    let edited = read(&base).replace("<body>", "<body>\n<!-- edited copy of the theme -->");
    fs::write(&base, edited).unwrap();
    let o = klynge(&site, &["build"]);
    assert_exit(&o, 0);
    let home = read(&site.join("public/en/index.html"));
    assert!(home.contains("<!-- edited copy of the theme -->"), "{home}");
}

#[test]
fn duplicate_languages_are_written_once() {
    let tmp = TempDir::new("dup-langs");
    let o = klynge(&tmp.0, &["init", "site", "--languages", "nb,en,nb"]);
    assert_exit(&o, 0);
    let config = read(&tmp.0.join("site/site.toml"));
    assert_eq!(config.matches("[languages.nb]").count(), 1, "{config}");
    assert!(config.contains("default_language = \"nb\""), "{config}");
    assert_exit(&klynge(&tmp.0.join("site"), &["build", "-q"]), 0);
}
