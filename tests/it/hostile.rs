//! Hostile and careless input: what an attacker or a hurried editor puts
//! into content, and what each page must still be. Content errors are in
//! the error corpus (`errors.rs`); these are the cases that build, with
//! warnings, and whose output is checked by real parsers.

use crate::support::SiteTest;
use crate::support::html::{json_ld, sel};
use crate::support::xml::parse_xml;

const ABOUT: &str = "content/pages/about.en.md";

fn about_with(front: &str, body: &str) -> SiteTest {
    let site = SiteTest::sample();
    site.write(ABOUT, format!("+++\n{front}\n+++\n\n{body}\n"));
    site
}

#[test]
fn a_comment_opener_in_a_title_cannot_blank_the_page() {
    // html5ever follows the HTML parser's script states, where a raw
    // `<!--<script>` inside a script would swallow the rest of the page.
    let site = about_with(
        r#"title = "About <!--<script> & </script> us""#,
        "Body text stays.",
    );
    site.build().assert_ok();
    let html = site.text("/en/pages/about/");
    let doc = scraper::Html::parse_document(&html);
    let main = doc
        .select(&sel("main"))
        .next()
        .expect("the page keeps its <main>");
    assert!(main.text().collect::<String>().contains("Body text stays."));
    let ld = json_ld(&doc);
    assert!(
        ld.iter()
            .any(|v| v.to_string().contains("About <!--<script> & </script> us")),
        "the JSON-LD still carries the title: {ld:?}"
    );
    let script = html.split("application/ld+json\">").nth(1).unwrap();
    let script = &script[..script.find("</script>").unwrap()];
    assert!(!script.contains(['<', '>', '&']), "{script}");
}

#[test]
fn control_characters_never_reach_a_page_and_are_named() {
    let site = SiteTest::sample();
    let spa = "content/news/estonia-association-2011.en.md";
    let text = site.read(spa);
    // A vertical tab pasted into the title, a TOML escape, a NUL in the body.
    let text = text.replacen("title = \"", "title = \"Pasted\u{b}from Word \\u0001", 1);
    site.write(spa, format!("{text}\nA NUL\u{0} here.\n"));
    let built = site.build();
    built.assert_ok();
    let warnings: Vec<String> = built.warnings().map(|d| d.headline()).collect();
    assert!(
        warnings
            .iter()
            .any(|w| w.contains(spa) && w.contains("U+000B (vertical tab)")),
        "{warnings:?}"
    );
    assert!(
        warnings
            .iter()
            .any(|w| w.contains(spa) && w.contains(r"`\u0001`")),
        "{warnings:?}"
    );
    let forbidden = |c: char| klynge::controls::is_forbidden(c);
    for (path, bytes) in built.tree() {
        if let Ok(text) = std::str::from_utf8(&bytes) {
            assert!(
                !text.contains(forbidden),
                "{path} holds a control character"
            );
        }
    }
    for feed in ["/en/atom.xml", "/et/atom.xml"] {
        parse_xml(&site.text(feed)).unwrap_or_else(|e| panic!("{feed}: {e}"));
    }
}

#[test]
fn links_that_run_code_are_left_out_of_bodies() {
    let site = about_with(
        r#"title = "About""#,
        "[Book now](javascript:alert(1)) or [mail us](mailto:info@example.ee).\n\n<img src=x onerror=alert(1)>\n",
    );
    let built = site.build();
    built.assert_ok();
    let doc = site.page("/en/pages/about/");
    let hrefs: Vec<&str> = doc
        .select(&sel("main a[href]"))
        .filter_map(|a| a.value().attr("href"))
        .collect();
    assert!(hrefs.contains(&"mailto:info@example.ee"), "{hrefs:?}");
    assert!(!hrefs.iter().any(|h| h.contains("javascript")), "{hrefs:?}");
    assert!(doc.select(&sel("main img")).next().is_none());
    let rendered = built.rendered();
    assert!(
        rendered.contains(&format!(
            "{ABOUT}:5:1: warning: link to a `javascript:` URL"
        )),
        "{rendered}"
    );
    assert!(
        rendered.contains(&format!("{ABOUT}:7:1: warning: raw HTML left out")),
        "{rendered}"
    );
}

#[test]
fn a_site_may_allow_raw_html() {
    let site = about_with(
        r#"title = "About""#,
        "<figure class=\"team\">Team</figure>\n",
    );
    let toml = site.read("site.toml");
    site.write(
        "site.toml",
        format!("{toml}\n[markdown]\nraw_html = true\n"),
    );
    let built = site.build();
    built.assert_ok();
    assert_eq!(built.warnings().count(), 0, "{}", built.rendered());
    assert!(
        site.page("/en/pages/about/")
            .select(&sel("main figure.team"))
            .next()
            .is_some()
    );
}

#[test]
fn thousands_of_identical_headings_build() {
    let site = about_with(r#"title = "About""#, &"## Opening hours\n\n".repeat(5_000));
    site.build().assert_ok();
    let doc = site.page("/en/pages/about/");
    let ids: std::collections::BTreeSet<&str> = doc
        .select(&sel("main h2[id]"))
        .filter_map(|h| h.value().attr("id"))
        .collect();
    assert_eq!(ids.len(), 5_000);
    assert!(ids.contains("opening-hours-4999"));
}

#[cfg(unix)]
#[test]
fn lock_files_hidden_files_and_broken_links_do_not_break_the_build() {
    use std::os::unix::ffi::OsStrExt;
    let site = SiteTest::sample();
    let spas = site.path("content/spas");
    // Emacs's lock file: a symbolic link to nowhere, named `.#<file>`.
    std::os::unix::fs::symlink("user@host.1234:1", spas.join(".#laine.en.md")).unwrap();
    std::os::unix::fs::symlink("gone.en.md", spas.join("moved.en.md")).unwrap();
    site.write("content/spas/.draft.en.md", "not front matter at all");
    site.write("content/spas/laine.en.md~", "an editor's backup");
    site.write("content/.git/HEAD", "ref: refs/heads/main");
    let odd = std::ffi::OsStr::from_bytes(b"caf\xe9.en.md");
    std::fs::write(spas.join(odd), "+++\ntitle = \"x\"\n+++\n").unwrap();
    let built = site.build();
    built.assert_ok();
    let headlines = built.headlines();
    assert_eq!(
        headlines,
        "content/spas/caf\u{fffd}.en.md: warning: the file name is not valid UTF-8; ignored\n\
         content/spas/moved.en.md: warning: symbolic link to `gone.en.md`, which does not exist; ignored\n",
    );
}
