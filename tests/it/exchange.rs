//! Spreadsheets: `klynge export` and `klynge import` on the basic fixture.
//! An unchanged export imports without changing a byte; edits change only
//! their values; bad rows are reported by row and column with the right
//! spelling, and then nothing is written.

use crate::support::{SiteTest, tree};

fn export(site: &SiteTest, what: &str) -> String {
    let run = site.klynge(&["export", what]);
    run.assert_exit(0);
    run.stdout
}

#[test]
fn an_unchanged_export_imports_without_changing_a_byte() {
    let site = SiteTest::fixture("basic");
    let before = tree(&site.root);
    for what in [
        "clusters",
        "spas",
        "news",
        "pages",
        "locations",
        "treatments",
        "categories",
    ] {
        let csv = export(&site, what);
        assert!(csv.lines().count() >= 2, "{what}: {csv}");
        std::fs::write(site.tmp().join(format!("{what}.csv")), &csv).unwrap();
        let file = site.tmp().join(format!("{what}.csv"));
        let run = site.klynge(&["import", what, file.to_str().unwrap()]);
        run.assert_exit(0);
        assert!(
            run.stdout.contains(" 0 created, 0 updated"),
            "{what}: {run}"
        );
    }
    assert!(
        tree(&site.root) == before,
        "an import of an export changed files"
    );
}

#[test]
fn an_import_creates_and_updates_files_and_keeps_bodies() {
    let site = SiteTest::fixture("basic");
    let csv = export(&site, "spas").replace(",62.47,", ",62.5,")
        + "havbris,Havbris Spa,,A spa by the sea.,,,,,,,,fjord,tartu,wellness-spa,hydrotherapy,https://havbris.example.com/,,,,,,,,,,,,en; nb,,,,,\n";
    std::fs::write(site.tmp().join("spas.csv"), &csv).unwrap();
    let file = site.tmp().join("spas.csv");
    let run = site.klynge(&["import", "spas", file.to_str().unwrap()]);
    run.assert_exit(0);
    assert!(
        run.stdout.contains("1 created, 1 updated, 1 unchanged"),
        "{run}"
    );
    let kurbad = site.read("content/spas/kurbad.en.md");
    assert!(
        kurbad.contains("coordinates = { lat = 62.5, lon = 6.15 }"),
        "{kurbad}"
    );
    assert!(
        kurbad.contains("Kurbadet offers rehabilitation by the sea."),
        "{kurbad}"
    );
    let new = site.read("content/spas/havbris.en.md");
    assert_eq!(
        new,
        "+++\ntitle = \"Havbris Spa\"\ndescription = \"A spa by the sea.\"\ncluster = \"fjord\"\nlocation = \"tartu\"\nkind = \"wellness-spa\"\ntreatments = [\"hydrotherapy\"]\nwebsite = \"https://havbris.example.com/\"\nlanguages = [\"en\", \"nb\"]\n+++\n"
    );
    site.check().assert_ok();
    // A location added from a spreadsheet row.
    let locations =
        export(&site, "locations") + "molde,NO,Molde,Molde,62.737,7.160,Møre og Romsdal,\n";
    std::fs::write(site.tmp().join("locations.csv"), &locations).unwrap();
    let file = site.tmp().join("locations.csv");
    site.klynge(&["import", "locations", file.to_str().unwrap()])
        .assert_exit(0);
    let toml = site.read("content/locations.toml");
    assert!(
        toml.ends_with("[[location]]\nslug = \"molde\"\ncountry = \"NO\"\nname = \"Molde\"\nnames = { nb = \"Molde\" }\ncoordinates = { lat = 62.737, lon = 7.16 }\nregion = \"Møre og Romsdal\"\n"),
        "{toml}"
    );
    site.check().assert_ok();
}

#[test]
fn bad_rows_are_named_by_row_and_column_and_nothing_is_written() {
    let site = SiteTest::fixture("basic");
    let before = tree(&site.root);
    std::fs::write(
        site.tmp().join("bad.csv"),
        "file,title,cluster,location,kind,coordinates.lat,treatmnets\n\
         havbris,Havbris Spa,fjord,tartu,wellness-spa,58.1,\n\
         kurbad,Kurbadet,fjrod,Alesund,spa-hotell,abc,\n\
         Bad Name,X,fjord,tartu,,,\n\
         havbris,Again,fjord,tartu,,,\n",
    )
    .unwrap();
    let file = site.tmp().join("bad.csv");
    let run = site.klynge(&["import", "spas", file.to_str().unwrap()]);
    run.assert_exit(1);
    for expected in [
        "row 1, column `treatmnets`: no such field",
        "did you mean `treatments`?",
        "row 3, column `cluster`: no cluster `fjrod`; did you mean `fjord`?",
        "row 3, column `location`: no location `Alesund`; did you mean `alesund`?",
        "row 3, column `kind`: no choice `spa-hotell`; did you mean `spa-hotel`?",
        "row 3, column `coordinates.lat`: `abc` is not a number",
        "row 4, column `file`:",
        "row 5, column `file`: `havbris` is also in row 2",
        "import failed: nothing was written",
    ] {
        assert!(run.stderr.contains(expected), "missing {expected:?}\n{run}");
    }
    assert!(run.stderr.contains("bad.csv:3:1: error"), "{run}");
    assert!(tree(&site.root) == before, "a failed import wrote files");
}

#[test]
fn an_unknown_table_is_a_usage_error() {
    let site = SiteTest::fixture("basic");
    let run = site.klynge(&["export", "spa"]);
    run.assert_exit(2);
    assert!(
        run.stderr.contains("choose one of: clusters, spas"),
        "{run}"
    );
}

/// Programmes are no spreadsheet column: an import that changes a spa's
/// other facts leaves its `[[programmes]]` as they were.
#[test]
fn an_import_keeps_a_spas_programmes() {
    let site = SiteTest::fixture("basic");
    let programmes = "\n[[programmes]]\nname = \"Rehabilitation week\"\nprice = 12500\ncurrency = \"NOK\"\nnights = 7\ntreatments = [\"physiotherapy\"]\n";
    let file = "content/spas/kurbad.en.md";
    let text = site.read(file);
    let text = text.replacen("\n+++\n", &format!("\n{}+++\n", programmes.trim_start()), 1);
    site.write(file, &text);
    site.build().assert_ok();
    let csv = export(&site, "spas").replace("Kurbadet Rehabilitation", "Kurbadet Rehab");
    let path = site.tmp().join("spas.csv");
    std::fs::write(&path, csv).unwrap();
    site.klynge(&["import", "spas", path.to_str().unwrap()])
        .assert_exit(0);
    let after = site.read(file);
    assert!(after.contains("title = \"Kurbadet Rehab\""), "{after}");
    assert!(after.contains(programmes.trim()), "{after}");
    site.build().assert_ok();
}

#[test]
fn a_news_month_goes_through_a_spreadsheet_and_a_bad_one_is_named() {
    let site = SiteTest::fixture("basic");
    site.replace(
        "content/news/opening.en.md",
        "date = 2024-05-02",
        "date = \"2011-01\"",
    );
    let csv = export(&site, "news");
    assert!(csv.contains(",2011-01,"), "{csv}");
    // Unchanged, it imports as it was; a month edited in a cell is kept
    // as a month, and a day as a date.
    let file = site.tmp().join("news.csv");
    std::fs::write(&file, csv.replace(",2011-01,", ",2011-02,")).unwrap();
    site.klynge(&["import", "news", file.to_str().unwrap()])
        .assert_exit(0);
    assert!(
        site.read("content/news/opening.en.md")
            .contains("date = \"2011-02\"")
    );
    std::fs::write(&file, csv.replace(",2011-01,", ",2011-02-03,")).unwrap();
    site.klynge(&["import", "news", file.to_str().unwrap()])
        .assert_exit(0);
    assert!(
        site.read("content/news/opening.en.md")
            .contains("date = 2011-02-03\n")
    );
    site.check().assert_ok();
    let before = tree(&site.root);
    std::fs::write(&file, csv.replace(",2011-01,", ",2011-13,")).unwrap();
    let run = site.klynge(&["import", "news", file.to_str().unwrap()]);
    run.assert_exit(1);
    assert!(
        run.stderr.contains("column `date`") && run.stderr.contains("no month 13"),
        "{run}"
    );
    assert!(tree(&site.root) == before, "a failed import wrote files");
}
