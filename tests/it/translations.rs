//! Translators' round trip: `klynge translations export` writes what is
//! missing or stale in a language as XLIFF 2.0, `import` writes it back
//! with the source's hash, and `klynge check` lists stale translations.

use crate::support::{SiteTest, tree};

fn site() -> SiteTest {
    let site = SiteTest::empty();
    site.write(
        "site.toml",
        "title = \"Spas\"\nbase_url = \"https://example.org\"\ndefault_language = \"en\"\n\
         [languages.en]\nname = \"English\"\n[languages.de]\nname = \"Deutsch\"\n",
    );
    site.write(
        "content/pages/about.md",
        "+++\ntitle = \"About us\"\ndescription = \"Who we are\"\n+++\n\nWe run spas & clinics.\n",
    );
    site.write(
        "content/pages/contact.md",
        "+++\ntitle = \"Contact\"\n+++\n\nWrite to us.\n",
    );
    site
}

fn export(site: &SiteTest) -> String {
    let run = site.klynge(&["translations", "export", "--lang", "de"]);
    run.assert_exit(0);
    run.stdout
}

/// Every `<source>` gets a `<target>` of "DE " and the source's text.
fn translate(xliff: &str) -> String {
    let mut out = String::new();
    for line in xliff.lines() {
        out.push_str(line);
        out.push('\n');
        if let Some(rest) = line.trim().strip_prefix("<source xml:space=\"preserve\">") {
            let text = rest.strip_suffix("</source>").unwrap();
            out.push_str(&format!(
                "<target xml:space=\"preserve\">DE {text}</target>\n"
            ));
        }
    }
    out
}

fn import(site: &SiteTest, xliff: &str) -> crate::support::cli::Run {
    let file = site.tmp().join("de.xlf");
    std::fs::write(&file, xliff).unwrap();
    site.klynge(&["translations", "import", file.to_str().unwrap()])
}

#[test]
fn export_lists_missing_items_as_well_formed_xliff() {
    let site = site();
    let xliff = export(&site);
    assert!(xliff.contains(
        "<xliff xmlns=\"urn:oasis:names:tc:xliff:document:2.0\" version=\"2.0\" srcLang=\"en\" trgLang=\"de\">"
    ));
    assert!(xliff.contains("original=\"content/pages/about.md\""));
    assert!(xliff.contains("<unit id=\"description\">"));
    assert!(xliff.contains("We run spas &amp; clinics."));
    let doc = klynge::translations::parse_xliff(&xliff).expect("well-formed");
    assert_eq!(doc.files.len(), 2);
    assert_eq!(doc.files[0].units.len(), 3);
    let file = site.tmp().join("de.xlf");
    std::fs::write(&file, &xliff).unwrap();
    if let Ok(out) = std::process::Command::new("xmllint")
        .args(["--noout", file.to_str().unwrap()])
        .output()
    {
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn import_writes_translations_and_check_finds_them_stale_after_a_change() {
    let site = site();
    let run = import(&site, &translate(&export(&site)));
    run.assert_exit(0);
    let de = site.read("content/pages/about.de.md");
    assert!(de.contains("title = \"DE About us\""), "{de}");
    assert!(de.contains("source_hash = \""), "{de}");
    assert!(de.contains("DE We run spas & clinics."), "{de}");
    let checked = site.check();
    assert_eq!(checked.warnings().count(), 0, "{}", checked.rendered());
    assert!(
        site.klynge(&["translations", "export", "--lang", "de"])
            .stderr
            .contains("nothing is missing or stale")
    );

    site.replace("content/pages/about.md", "Who we are", "Who we are now");
    let checked = site.check();
    let headlines = checked.headlines();
    assert!(
        headlines.contains("content/pages/about.de.md:4:1: warning: stale translation"),
        "{headlines}"
    );
    let stale = export(&site);
    assert!(
        stale.contains("<target xml:space=\"preserve\">DE Who we are</target>"),
        "{stale}"
    );
    assert!(!stale.contains("contact.md"), "{stale}");
    // Sent back untouched: no file changes.
    let before = tree(&site.root);
    import(&site, &stale).assert_exit(0);
    assert_eq!(tree(&site.root), before);
}

#[test]
fn bad_imports_name_the_place_and_write_nothing() {
    let site = site();
    let good = translate(&export(&site));
    let before = tree(&site.root);
    let cases = [
        (
            good.replace("<unit id=\"description\">", "<unit id=\"summary\">"),
            "unknown unit `summary` for a page",
        ),
        (
            good.replace("trgLang=\"de\"", "trgLang=\"fr\""),
            "trgLang `fr` is not a language",
        ),
        (
            good.replace(">DE Contact<", "><"),
            "the target of unit `title` is empty",
        ),
        (
            good.replace("</file>\n  <file", "</unit>\n  <file"),
            "malformed XML",
        ),
    ];
    for (text, expected) in cases {
        let run = import(&site, &text);
        run.assert_exit(1);
        assert!(run.stderr.contains(expected), "{expected}: {run}");
        assert!(run.stderr.contains("de.xlf:"), "{run}");
        assert_eq!(tree(&site.root), before, "{expected}");
    }
}
