//! Bad input: a corpus of broken sites, each one defect laid over the valid
//! site `tests/fixtures/errors/base/`. A case is a folder
//! `tests/fixtures/errors/cases/<name>/` holding the files that differ from
//! the base, and beside it `<name>.expected`: every diagnostic the build
//! reports, in full as `Diagnostic::render(false)` prints it (headline with
//! `file:line:col`, the source line, the caret, the hint), with paths
//! relative to the site root. The build must fail with exit code 1, print
//! exactly that, and leave the previous output byte for byte as it was.
//!
//! To add a case or accept changed messages, run
//! `UPDATE_EXPECT=1 cargo test --release --test it errors::` and review
//! the `.expected` files it writes in `git diff` before committing.

use crate::support::*;
use std::fs;
use std::path::PathBuf;

fn errors_dir() -> PathBuf {
    fixtures_dir().join("errors")
}

/// The case folders, sorted.
fn cases() -> Vec<PathBuf> {
    let mut cases: Vec<PathBuf> = fs::read_dir(errors_dir().join("cases"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    cases.sort();
    cases
}

fn name_of(case: &std::path::Path) -> String {
    case.file_name().unwrap().to_string_lossy().into_owned()
}

fn base() -> SiteTest {
    SiteTest::fixture("errors/base")
}

/// `n error` or `n errors`, the binary's closing line.
fn error_count(n: usize) -> String {
    format!("{n} error{}\n", if n == 1 { "" } else { "s" })
}

#[test]
fn every_broken_site_fails_cleanly_and_keeps_the_previous_output() {
    let cases = cases();
    assert!(cases.len() >= 20, "the corpus has lost cases: {cases:?}");
    let mut failures = Vec::new();
    for case in &cases {
        let name = name_of(case);
        let site = base();
        let good = site.build();
        good.assert_ok();
        let before = good.tree();
        site.overlay(case);

        // The library: the whole rendered text of every diagnostic.
        let built = site.build();
        if built.ok() {
            failures.push(format!("{name}: the build succeeded"));
        }
        let rendered = built.rendered();
        let expected = case.with_extension("expected");
        if let Err(e) = expect_file(&expected, &rendered) {
            failures.push(format!("{name}: {e}"));
        }
        if site.tree() != before {
            failures.push(format!(
                "{name}: the failed build changed the previous output"
            ));
        }
        let beside: Vec<_> = fs::read_dir(site.out.parent().unwrap())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        if beside != ["public"] {
            failures.push(format!(
                "{name}: temporary folders left beside the output: {beside:?}"
            ));
        }

        // The binary prints the same text, then the count, and exits 1.
        let out = site.out.to_str().unwrap();
        let run = site.klynge(&["build", "--output", out]);
        if run.code != Some(1) {
            failures.push(format!(
                "{name}: exit code {:?}, expected 1\n{run}",
                run.code
            ));
        }
        if run.stderr.contains("panicked") {
            failures.push(format!("{name}: panicked\n{run}"));
        }
        let tail = format!("{rendered}{}", error_count(built.errors().count()));
        if !run.stderr.ends_with(&tail) {
            failures.push(format!(
                "{name}: the binary's stderr does not end with the rendered diagnostics\n--- expected end\n{tail}--- stderr\n{}",
                run.stderr
            ));
        }
        if site.tree() != before {
            failures.push(format!("{name}: the binary changed the previous output"));
        }

        // `check` reports the same problems and exits 1 too.
        let check = site.klynge(&["check"]);
        if check.code != Some(1) || !check.stderr.contains(&rendered) {
            failures.push(format!(
                "{name}: check does not report the same errors\n{check}"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// Every `.expected` file belongs to a case folder (none left behind by a
/// renamed or removed case).
#[test]
fn every_expectation_has_its_case() {
    let cases = cases();
    let orphans: Vec<String> = fs::read_dir(errors_dir().join("cases"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "expected"))
        .filter(|p| !cases.contains(&p.with_extension("")))
        .map(|p| name_of(&p))
        .collect();
    assert!(
        orphans.is_empty(),
        "expectations without a case: {orphans:?}"
    );
}

#[test]
fn all_errors_of_a_run_are_reported_at_once() {
    let site = base();
    let chosen = [
        "unknown_field",
        "missing_cluster",
        "broken_anchor",
        "bad_country",
    ];
    for case in chosen {
        site.overlay(&errors_dir().join("cases").join(case));
    }
    let run = site.klynge(&["build"]);
    run.assert_exit(1);
    assert!(run.stderr.ends_with(&error_count(5)), "{run}");
    for case in chosen {
        let expected =
            fs::read_to_string(errors_dir().join(format!("cases/{case}.expected"))).unwrap();
        assert!(run.stderr.contains(&expected), "{case} is missing:\n{run}");
    }
    assert!(!site.path("public").exists());
}

#[test]
fn bom_and_crlf_files_are_accepted() {
    let site = base();
    let page = "content/pages/about.en.md";
    let text = site.read(page).replace('\n', "\r\n");
    site.write(page, format!("\u{feff}{text}"));
    site.build().assert_ok();
    assert!(site.text("/en/pages/about/").contains("<h1>About</h1>"));
}

#[cfg(unix)]
#[test]
fn a_symlink_loop_is_an_error_not_a_hang() {
    let site = base();
    std::os::unix::fs::symlink("..", site.path("content/pages/loop")).unwrap();
    let run = site.klynge(&["build"]);
    run.assert_exit(1);
    assert!(
        run.stderr
            .contains("content/pages/loop: error: symbolic link loop"),
        "{run}"
    );
}

#[test]
fn a_missing_ui_string_warns_and_fails_check_strict() {
    let site = base();
    // A site-level UI string file for en that adds a key the theme's nb
    // file does not have: nb falls back to en for it.
    site.write("i18n/en.toml", "cluster_motto = \"Health by the sea\"\n");
    let build = site.klynge(&["build"]);
    build.assert_exit(0);
    assert!(
        build.stderr.contains(
            "warning: UI string `cluster_motto` is missing for language `nb`; using `en`"
        ),
        "{build}"
    );
    site.klynge(&["check"]).assert_exit(0);
    site.klynge(&["check", "--strict"]).assert_exit(1);
    let checked = site.check();
    checked.assert_ok();
    assert!(
        checked
            .warnings()
            .any(|w| w.message.contains("`cluster_motto`")),
        "{}",
        checked.rendered()
    );
}

#[test]
fn output_inside_the_sources_is_refused() {
    let site = base();
    let before = tree(&site.root);
    for out in [".", "content", "content/x"] {
        let out = site.path(out);
        site.klynge(&["build", "--output", out.to_str().unwrap()])
            .assert_exit(1);
    }
    assert_eq!(tree(&site.root), before);
}

/// A link that only `check` finds broken (an address written by hand) is
/// reported in the content file that writes it, at its line and column.
#[test]
fn check_names_the_source_of_a_broken_link() {
    let site = base();
    site.write(
        "content/pages/about.en.md",
        "+++\ntitle = \"About\"\n+++\n\nAbout this site, and [the old spa](/en/spas/kalev/).\n",
    );
    let checked = site.check();
    assert_eq!(
        checked.rendered(),
        "content/pages/about.en.md:5:36: error: link `/en/spas/kalev/` points to a page that does not exist\n  |\n5 | About this site, and [the old spa](/en/spas/kalev/).\n  |                                    ^\n  = help: check the address: klynge checks links against the pages it built; `@/spas/laine.md` links to a content file by name\n"
    );
    let run = site.klynge(&["check"]);
    run.assert_exit(1);
    assert!(
        run.stderr
            .ends_with("1 error\ncheck failed: fix the errors above\n"),
        "{run}"
    );
}

/// Eleven different mistakes an editor makes, in six files: one run reports
/// all eleven, each once, and nothing else (no error caused by another).
#[test]
fn ten_mistakes_are_reported_in_one_run() {
    let site = base();
    site.write(
        "content/spas/laine.en.md",
        "+++\ntitle = \"Spa hotel Laine\"\ncluster = \"estland\"\nlocation = \"Tallinn\"\nkind = \"spa\"\ntreatments = \"Mud baths\"\n+++\n\n## Treatments\n\nMud baths.\n",
    );
    site.write(
        "content/news/founding.en.md",
        "+++\ntitle = \"The association is founded\"\ndate = \"15.01.2011\"\ncluster = \"estonia\"\n+++\n\nThe news.\n",
    );
    site.write(
        "content/pages/about.en.md",
        "+++\ntitle = “About”\n+++\n\nAbout.\n",
    );
    site.write(
        "content/pages/contact.en.md",
        "---\ntitle: Contact\n---\n\nWrite to us.\n",
    );
    site.write(
        "content/clusters/estonia.en.md",
        "+++\ntitle = \"Estonian cluster\"\ncountry = \"EE\"\nlocations = [\"haapsalu\"]\nphnoe = \"+372 444 1234\"\n+++\n\nSee [Kalev](@/spas/kalev.md).\n",
    );
    site.write(
        "content/locations.toml",
        "[[location]]\nslug = \"haapsalu\"\ncountry = \"EE\"\nname = \"Haapsalu\"\n\n[[location]]\nslug = \"london\"\ncountry = \"UK\"\nname = \"London\"\n\n[[location]]\nslug = \"haapsalu\"\ncountry = \"EE\"\nname = \"Haapsalu\"\n",
    );
    let run = site.klynge(&["build"]);
    run.assert_exit(1);
    let expected = [
        "content/spas/laine.en.md:3:12: error: there is no cluster `estland`",
        "content/spas/laine.en.md:4:13: error: there is no location `Tallinn`",
        "content/spas/laine.en.md:5:8: error: `kind = \"spa\"` is not one of the choices",
        "content/spas/laine.en.md:6:14: error: `treatments` is a list",
        "content/news/founding.en.md:3:8: error: `\"15.01.2011\"` is not a date: write the year first",
        "content/pages/about.en.md:2:9: error: `title` is written with typographic quotes",
        "content/pages/contact.en.md:1:1: error: klynge's front matter is TOML between `+++` lines",
        "content/clusters/estonia.en.md:5:1: error: unknown field `phnoe`",
        "content/clusters/estonia.en.md:8:5: error: internal link to `@/spas/kalev.md`",
        "content/locations.toml:8:12: error: `UK` is not an ISO 3166-1 alpha-2 country code",
        "content/locations.toml:12:9: error: location `haapsalu` is defined twice",
    ];
    for e in expected {
        assert!(run.stderr.contains(e), "missing {e:?}\n{run}");
    }
    assert!(run.stderr.ends_with(&error_count(expected.len())), "{run}");
}
