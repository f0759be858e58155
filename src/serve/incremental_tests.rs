//! Incremental rebuilds must give exactly what a full rebuild gives. Each
//! test edits a copy of the sample site, rebuilds incrementally, and
//! compares every file with a fresh full build.

use super::rebuild::Builder;
use super::state::Shared;
use crate::diagnostic::Diagnostics;
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

/// One build time for every builder of these tests: the calendars carry
/// it, and an incremental build is compared with a fresh one.
fn now() -> Option<crate::time::BuildTime> {
    crate::time::BuildTime::parse("2026-12-03T12:00:00Z").ok()
}

fn copy_site() -> tempfile::TempDir {
    let src = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    fs::copy(src.join("site.toml"), dir.path().join("site.toml")).unwrap();
    for e in walkdir::WalkDir::new(src.join("content")) {
        let e = e.unwrap();
        let to = dir.path().join(e.path().strip_prefix(src).unwrap());
        if e.file_type().is_dir() {
            fs::create_dir_all(&to).unwrap();
        } else {
            fs::copy(e.path(), &to).unwrap();
        }
    }
    dir
}

fn snapshot(shared: &Shared) -> BTreeMap<String, Vec<u8>> {
    shared
        .read()
        .files
        .iter()
        .map(|(k, v)| (k.clone(), v.to_vec()))
        .collect()
}

fn full(root: &Path) -> BTreeMap<String, Vec<u8>> {
    let shared = Shared::default();
    let mut b = Builder::new(root.to_path_buf(), "http://127.0.0.1:1111".into(), false)
        .schedule(now(), false);
    b.rebuild(&shared, &Diagnostics::new()).expect("full build");
    snapshot(&shared)
}

fn assert_same(incremental: &BTreeMap<String, Vec<u8>>, full: &BTreeMap<String, Vec<u8>>) {
    let a: Vec<&String> = incremental.keys().collect();
    let b: Vec<&String> = full.keys().collect();
    assert_eq!(a, b, "same files");
    for (k, v) in full {
        assert!(incremental[k] == *v, "{k} differs from a full build");
    }
}

/// Applies each edit in turn, rebuilding incrementally after each, and
/// checks the result against a full build every time. Returns, for each
/// edit, whether the graph was patched in place and how many files were
/// rendered.
fn check(edits: &[&dyn Fn(&Path)]) -> Vec<(bool, usize)> {
    check_in(copy_site(), edits)
}

/// `check` on a site already prepared in `dir`.
fn check_in(dir: tempfile::TempDir, edits: &[&dyn Fn(&Path)]) -> Vec<(bool, usize)> {
    let root: PathBuf = dir.path().to_path_buf();
    let shared = Shared::default();
    let mut b =
        Builder::new(root.clone(), "http://127.0.0.1:1111".into(), false).schedule(now(), false);
    let total = b.rebuild(&shared, &Diagnostics::new()).unwrap().rendered;
    let mut patched = Vec::new();
    for edit in edits {
        // The paths a watcher would report: files added, changed or removed.
        let before = files_of(&root.join("content"));
        edit(&root);
        let after = files_of(&root.join("content"));
        b.note_changes(&diff_paths(&before, &after));
        let d = Diagnostics::new();
        let r = b
            .rebuild(&shared, &d)
            .unwrap_or_else(|| panic!("{:?}", d.sorted()));
        assert!(!r.full, "a content edit is incremental");
        assert!(r.rendered < total, "rendered {} of {total}", r.rendered);
        assert_same(&snapshot(&shared), &full(&root));
        patched.push((r.patched, r.rendered));
    }
    patched
}

/// The paths that differ between two walks of the content folder.
fn diff_paths(
    before: &BTreeMap<PathBuf, Vec<u8>>,
    after: &BTreeMap<PathBuf, Vec<u8>>,
) -> Vec<PathBuf> {
    before
        .keys()
        .chain(after.keys())
        .filter(|p| before.get(*p) != after.get(*p))
        .cloned()
        .collect()
}

fn files_of(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| (e.path().to_path_buf(), fs::read(e.path()).unwrap()))
        .collect()
}

fn replace(root: &Path, file: &str, from: &str, to: &str) {
    let p = root.join(file);
    let text = fs::read_to_string(&p).unwrap();
    assert!(text.contains(from), "{file} has {from}");
    fs::write(&p, text.replacen(from, to, 1)).unwrap();
}

/// A theme may show any fact its templates are given, not only what the
/// default theme shows, and serve has no list of what that is: every page
/// template and the list entry template here print their whole context,
/// and each edit must still give exactly what a full build gives.
#[test]
fn a_theme_that_shows_every_fact_of_its_contexts_stays_correct() {
    let dir = copy_site();
    let templates = dir.path().join("templates");
    fs::create_dir_all(&templates).unwrap();
    for name in [
        "home.html",
        "cluster.html",
        "clusters.html",
        "spa.html",
        "spas.html",
        "news.html",
        "news_list.html",
        "location.html",
        "locations.html",
        "page.html",
        "list_item.html",
        "treatments.html",
        "treatment.html",
    ] {
        fs::write(templates.join(name), "{{ __tera_context }}\n").unwrap();
    }
    let spa = "content/spas/laine.en.md";
    check_in(
        dir,
        &[
            &|r| replace(r, spa, "kind = \"spa-hotel\"", "kind = \"medical-spa\""),
            // A treatment added: the treatment pages and index list it.
            &|r| {
                replace(
                    r,
                    spa,
                    "kind = \"medical-spa\"",
                    "kind = \"medical-spa\"\ntreatments = [\"thalassotherapy\"]",
                )
            },
            // A new kind: its kind page comes, the spa's kind link moves.
            &|r| replace(r, spa, "kind = \"medical-spa\"", "kind = \"hospital\""),
            &|r| {
                replace(
                    r,
                    spa,
                    "treatments = [\"thalassotherapy\"]",
                    "treatments = [\"rehabilitation\", \"thalassotherapy\"]",
                )
            },
            // Practical facts shown in the facts box.
            &|r| {
                replace(
                    r,
                    spa,
                    "kind = \"hospital\"",
                    "kind = \"hospital\"\nlanguages = [\"et\", \"en\"]\nprice = { currency = \"EUR\", from = 60 }\nhours = { monday = \"09:00-17:00\", sunday = \"closed\" }",
                )
            },
            &|r| replace(r, spa, "title = \"", "title = \"A "),
            &|r| {
                replace(
                    r,
                    "content/news/estonia-association-2011.en.md",
                    "date = \"2011-01\"",
                    "date = 2024-06-01",
                )
            },
            &|r| {
                replace(
                    r,
                    "content/clusters/estonia.en.md",
                    "phone = \"+372 508 4020\"",
                    "phone = \"+372 508 4021\"",
                )
            },
            &|r| {
                let p = r.join("content/spas/laine.tr.md");
                fs::write(p, "+++\ntitle = \"Laine Türkçe\"\n+++\nMetin.\n").unwrap();
            },
        ],
    );
}

#[test]
fn title_edit() {
    let patched = check(&[&|r| {
        replace(
            r,
            "content/spas/laine.en.md",
            "title = \"Spa hotel Laine\"",
            "title = \"Laine Renamed\"",
        )
    }]);
    assert!(patched[0].0, "a saved edit patches the graph");
}

/// The sample's about page shows the Estonian cluster's contact card
/// through a shortcode: an edit of the cluster's phone number, and of the
/// page's own call, re-renders it, and only a few other pages.
#[test]
fn a_contact_shortcode_follows_the_item_it_shows() {
    let edits: [&dyn Fn(&Path); 2] = [
        &|r| {
            replace(
                r,
                "content/clusters/estonia.en.md",
                "phone = \"+372 508 4020\"",
                "phone = \"+372 508 4021\"",
            )
        },
        &|r| {
            replace(
                r,
                "content/pages/about.en.md",
                "{{ contact(cluster=\"estonia\") }}",
                "{{ contact(cluster=\"latvia\") }}",
            )
        },
    ];
    let sample =
        fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("content/pages/about.en.md"))
            .unwrap();
    assert!(sample.contains("{{ contact(cluster=\"estonia\") }}"));
    let rendered = check(&edits);
    // A new call in the page's own text renders that page alone.
    assert_eq!(rendered[1].1, 1, "{rendered:?}");
}

/// A title shows in the lists of the languages that read that translation:
/// the Estonian title in the Estonian lists only, the English one also in
/// the languages without their own translation.
#[test]
fn a_translation_edit_renders_the_lists_of_its_readers_only() {
    let done = check(&[
        &|r| {
            replace(
                r,
                "content/spas/laine.en.md",
                "title = \"",
                "title = \"New ",
            )
        },
        &|r| {
            replace(
                r,
                "content/spas/laine.et.md",
                "title = \"",
                "title = \"Uus ",
            )
        },
    ]);
    assert!(done[0].0 && done[1].0);
    assert!(
        done[1].1 < done[0].1,
        "et: fewer pages than en, lv, tr: {done:?}"
    );
}

#[test]
fn body_edits_patch_the_graph_and_reshaping_edits_do_not() {
    let patched = check(&[
        // Text, and facts no other page depends on: patched.
        &|r| {
            replace(
                r,
                "content/spas/laine.en.md",
                "\n\n",
                "\n\nA new first paragraph.\n\n",
            )
        },
        &|r| {
            replace(
                r,
                "content/clusters/estonia.en.md",
                "description = \"Estonia's health",
                "description = \"The health",
            )
        },
        // Another cluster: the graph is built anew.
        &|r| {
            replace(
                r,
                "content/spas/laine.en.md",
                "cluster = \"estonia\"",
                "cluster = \"latvia\"",
            )
        },
        // A weight orders lists: built anew.
        &|r| replace(r, "content/spas/laine.en.md", "+++\n", "+++\nweight = 3\n"),
    ]);
    let patched: Vec<bool> = patched.iter().map(|p| p.0).collect();
    assert_eq!(patched, [true, true, false, false]);
}

/// Text below a spa's first paragraph shows on its own pages and in the
/// search indexes only: the lists that show the spa are left alone.
#[test]
fn an_edit_below_the_summary_renders_only_the_pages_that_show_it() {
    let append = |r: &Path, file: &str| {
        let p = r.join(file);
        let text = fs::read_to_string(&p).unwrap();
        fs::write(&p, format!("{text}\nA closing paragraph, new.\n")).unwrap();
    };
    let done = check(&[
        &|r| append(r, "content/spas/laine.en.md"),
        // A news item's whole text is in the feeds too.
        &|r| append(r, "content/news/estonia-association-2011.en.md"),
    ]);
    // Laine is written in en, et and nb; lv, tr, ar and ru readers see the
    // English text, so the en, lv, tr, ar and ru search indexes change;
    // its et and nb pages do not show the English text.
    assert_eq!(
        done[0],
        (true, 1 + 5),
        "its en page and five search indexes"
    );
    assert!(done[1].0);
}

/// Removing a heading that another page links to breaks that link: the
/// patched graph must report it as a full build does, and recover.
#[test]
fn an_anchor_removed_by_a_patch_is_an_error() {
    let dir = copy_site();
    let root = dir.path().to_path_buf();
    replace(
        &root,
        "content/spas/laine.en.md",
        "+++\n\n",
        "+++\n\n## Opening hours\n\n",
    );
    replace(
        &root,
        "content/spas/fra-mare.en.md",
        "+++\n\n",
        "+++\n\nSee [Laine's hours](@/spas/laine.md#opening-hours).\n\n",
    );
    let shared = Shared::default();
    let mut b =
        Builder::new(root.clone(), "http://127.0.0.1:1111".into(), false).schedule(now(), false);
    b.rebuild(&shared, &Diagnostics::new()).expect("builds");
    let good = snapshot(&shared);

    let before = files_of(&root.join("content"));
    replace(
        &root,
        "content/spas/laine.en.md",
        "## Opening hours",
        "## Hours",
    );
    b.note_changes(&diff_paths(&before, &files_of(&root.join("content"))));
    let d = Diagnostics::new();
    assert!(b.rebuild(&shared, &d).is_none(), "the broken anchor fails");
    let errors: Vec<String> = d.sorted().iter().map(|e| e.headline()).collect();
    assert!(
        errors
            .iter()
            .any(|e| e.contains("fra-mare.en.md") && e.contains("opening-hours")),
        "{errors:?}"
    );
    assert!(shared.read().error_page.is_some());

    let before = files_of(&root.join("content"));
    replace(
        &root,
        "content/spas/laine.en.md",
        "## Hours",
        "## Opening hours",
    );
    b.note_changes(&diff_paths(&before, &files_of(&root.join("content"))));
    b.rebuild(&shared, &Diagnostics::new()).expect("recovers");
    assert!(shared.read().error_page.is_none());
    assert_same(&snapshot(&shared), &full(&root));
    assert_same(&snapshot(&shared), &good);
}

#[test]
fn spa_moves_cluster_and_location_then_back() {
    check(&[
        &|r| {
            replace(
                r,
                "content/spas/laine.en.md",
                "cluster = \"estonia\"",
                "cluster = \"latvia\"",
            );
            replace(
                r,
                "content/spas/laine.en.md",
                "location = \"haapsalu\"",
                "location = \"tallinn\"",
            );
        },
        &|r| {
            replace(
                r,
                "content/spas/laine.en.md",
                "cluster = \"latvia\"",
                "cluster = \"estonia\"",
            );
            replace(
                r,
                "content/spas/laine.en.md",
                "location = \"tallinn\"",
                "location = \"haapsalu\"",
            );
        },
    ]);
}

#[test]
fn maps_follow_a_spa_given_its_own_point_and_moving_it() {
    // The spa's page and its cluster's map read the spa's facts.
    check(&[
        &|r| {
            replace(
                r,
                "content/spas/laine.en.md",
                "location = \"haapsalu\"",
                "location = \"haapsalu\"\ncoordinates = { lat = 58.95, lon = 23.52 }",
            )
        },
        &|r| {
            replace(
                r,
                "content/spas/laine.en.md",
                "coordinates = { lat = 58.95, lon = 23.52 }",
                "coordinates = { lat = 58.90, lon = 23.60 }",
            )
        },
    ]);
}

#[test]
fn maps_follow_a_moved_location() {
    // `locations.toml` is read whole, so serve renders everything again;
    // what matters is that the maps come out as a fresh build draws them,
    // with the basemap drawings cached from before the move.
    let dir = copy_site();
    let root: PathBuf = dir.path().to_path_buf();
    let shared = Shared::default();
    let mut b =
        Builder::new(root.clone(), "http://127.0.0.1:1111".into(), false).schedule(now(), false);
    b.rebuild(&shared, &Diagnostics::new()).unwrap();
    let page = "en/locations/otepaa/index.html";
    let before = snapshot(&shared)[page].clone();
    for (from, to) in [
        ("lat = 58.050, lon = 26.483", "lat = 58.120, lon = 26.300"),
        ("lat = 58.120, lon = 26.300", "lat = 58.050, lon = 26.483"),
    ] {
        let old = files_of(&root.join("content"));
        replace(&root, "content/locations.toml", from, to);
        b.note_changes(&diff_paths(&old, &files_of(&root.join("content"))));
        let d = Diagnostics::new();
        b.rebuild(&shared, &d)
            .unwrap_or_else(|| panic!("{:?}", d.sorted()));
        assert_same(&snapshot(&shared), &full(&root));
        let after = snapshot(&shared)[page].clone();
        assert_eq!(
            after == before,
            to.contains("26.483"),
            "Otepää's map follows it"
        );
    }
}

#[test]
fn items_and_translations_come_and_go() {
    check(&[
        &|r| {
            fs::write(r.join("content/news/aaa-new.en.md"), "+++\ntitle = \"Brand new\"\ndate = 2030-01-01\ncluster = \"izmir\"\n+++\n\nSee [Laine](@/spas/laine.md).\n").unwrap()
        },
        &|r| fs::remove_file(r.join("content/spas/laine.et.md")).unwrap(),
        &|r| fs::remove_file(r.join("content/news/aaa-new.en.md")).unwrap(),
        &|r| {
            replace(
                r,
                "content/spas/laine.en.md",
                "+++\n",
                "+++\nslug = \"laine-hotel\"\naliases = [\"old/laine\"]\n",
            )
        },
        &|r| {
            replace(
                r,
                "content/clusters/estonia.en.md",
                "+++\n",
                "+++\nweight = -5\n",
            )
        },
        &|r| {
            replace(
                r,
                "content/_index.en.md",
                "\n\n",
                "\n\nA new home paragraph.\n\n",
            )
        },
    ]);
}

/// Events come and go, move in time (from upcoming to past at the fixed
/// build time, and across pages of the list), change organiser and place,
/// and get a translation with only a title, whose facts come from the
/// English one: the event pages, lists, calendars and the pages that show
/// upcoming events must each time be what a full build makes.
#[test]
fn events_come_and_go_and_move_in_time() {
    const ESTONIA_DAY: &str = "+++\ntitle = \"Estonian spa day\"\nstart = 2027-05-14T10:00:00\nend = 2027-05-14T16:00:00\ntimezone = \"Europe/Tallinn\"\nlocation = \"haapsalu\"\norganiser = \"estonia\"\nprice = { currency = \"EUR\", from = 10 }\n+++\n\nA day of open doors at the spas of [Estonia](@/clusters/estonia.md).\n";
    let results = check(&[
        &|r| fs::write(r.join("content/events/estonia-day.en.md"), ESTONIA_DAY).unwrap(),
        &|r| {
            fs::write(
                r.join("content/events/estonia-day.et.md"),
                "+++\ntitle = \"Eesti spaapäev\"\n+++\n\nAvatud uste päev.\n",
            )
            .unwrap()
        },
        // Text only: the graph is patched.
        &|r| {
            replace(
                r,
                "content/events/estonia-day.et.md",
                "Avatud uste päev.",
                "Avatud uste päev Eesti spaades.",
            )
        },
        // A time in the past moves it from upcoming to past.
        &|r| {
            replace(
                r,
                "content/events/estonia-day.en.md",
                "2027-05-14T",
                "2026-05-14T",
            )
        },
        &|r| {
            replace(
                r,
                "content/events/estonia-day.en.md",
                "end = 2027-05-14T16",
                "end = 2026-05-14T16",
            )
        },
        &|r| {
            replace(
                r,
                "content/events/estonia-day.en.md",
                "organiser = \"estonia\"",
                "organiser = \"latvia\"",
            )
        },
        &|r| {
            replace(
                r,
                "content/events/estonia-day.en.md",
                "location = \"haapsalu\"",
                "location = \"parnu\"",
            )
        },
        &|r| {
            replace(
                r,
                "content/events/izmir-cluster-seminar-2016.en.md",
                "start = 2016-02-23",
                "start = 2027-02-23",
            )
        },
        &|r| fs::remove_file(r.join("content/events/estonia-day.et.md")).unwrap(),
        &|r| fs::remove_file(r.join("content/events/estonia-day.en.md")).unwrap(),
    ]);
    assert!(results[2].0, "a text edit patches the graph");
}

/// A batch with a good and a broken edit fails as a whole; when the broken
/// file is fixed, the good edit of the failed batch must show too.
#[test]
fn a_fix_after_a_failed_batch_applies_the_whole_batch() {
    let dir = copy_site();
    let root = dir.path().to_path_buf();
    let shared = Shared::default();
    let mut b =
        Builder::new(root.clone(), "http://127.0.0.1:1111".into(), false).schedule(now(), false);
    b.rebuild(&shared, &Diagnostics::new()).expect("builds");

    let before = files_of(&root.join("content"));
    replace(
        &root,
        "content/spas/fra-mare.en.md",
        "title = \"",
        "title = \"Renamed ",
    );
    replace(
        &root,
        "content/spas/laine.en.md",
        "+++\n\n",
        "bogus = 1\n+++\n\n",
    );
    b.note_changes(&diff_paths(&before, &files_of(&root.join("content"))));
    assert!(
        b.rebuild(&shared, &Diagnostics::new()).is_none(),
        "the batch fails"
    );

    let before = files_of(&root.join("content"));
    replace(&root, "content/spas/laine.en.md", "bogus = 1\n", "");
    b.note_changes(&diff_paths(&before, &files_of(&root.join("content"))));
    b.rebuild(&shared, &Diagnostics::new()).expect("recovers");
    assert_same(&snapshot(&shared), &full(&root));
}

/// A property test: random sequences of edits to a small site
/// (tests/fixtures/serve-props) and to the sample site, each step rebuilt
/// incrementally and compared with a fresh full build by a new `Builder`.
/// A step whose full build fails must fail incrementally too and leave the
/// served files as they were. Edits name their files by index into what
/// exists when they are applied, so every sequence applies and shrinks. A
/// failure shows the steps, what each did to which file, and the first
/// difference; `PROPS_LOG=1` (with `--nocapture`) prints every case.
mod props {
    use super::{Builder, Diagnostics, Shared, files_of, snapshot};
    use proptest::prelude::*;
    use proptest::strategy::Union;
    use proptest::test_runner::{Config, TestCaseError, TestError, TestRunner};
    use std::collections::BTreeMap;
    use std::fs;
    use std::path::{Path, PathBuf};

    /// Cases on the fixture, and steps in each (a step is one edit, or two
    /// rebuilt together), unless `PROPTEST_CASES` says otherwise.
    const CASES: u32 = 24;
    const MAX_STEPS: usize = 6;
    /// The same on the sample site, whose builds take longer.
    const SAMPLE_CASES: u32 = 6;
    const SAMPLE_STEPS: usize = 4;

    const LANGS: [&str; 3] = ["en", "nb", "et"];
    /// Titles that sort differently (accents, case) and repeat.
    const TITLES: [&str; 6] = ["Aalto", "Zeta", "Ölbad", "mittel", "Laine Spa", "Bjørk"];
    const PLACE_NAMES: [&str; 5] = ["Pärnu", "Pernau", "Dorpat", "Kristiania", "Åsgård"];
    const COUNTRIES: [&str; 3] = ["EE", "NO", "LV"];

    /// Every file (`Some(bytes)`) and folder (`None`) under `content/`.
    type Files = BTreeMap<PathBuf, Option<Vec<u8>>>;
    type Served = BTreeMap<String, Vec<u8>>;

    #[derive(Clone, Debug)]
    enum Edit {
        /// Any file of any kind (home texts included), any translation.
        Retitle {
            file: u8,
            title: u8,
        },
        /// A new first paragraph: the summaries of lists change.
        BodyAbove {
            file: u8,
        },
        /// A closing paragraph: the summaries stay.
        BodyBelow {
            file: u8,
        },
        /// A spa to another cluster, location or both (none: next cluster).
        MoveSpa {
            spa: u8,
            cluster: Option<u8>,
            location: Option<u8>,
        },
        AddSpa {
            lang: u8,
            cluster: u8,
            location: u8,
        },
        AddNews {
            lang: u8,
            day: u16,
            cluster: Option<u8>,
        },
        /// Every file of a spa, news item or page; links to it unlinked.
        Delete {
            item: u8,
        },
        /// Every file of an item renamed (`subfolder`: moved in or out of
        /// one instead), links and cluster references rewritten.
        Rename {
            item: u8,
            subfolder: bool,
        },
        /// A front-matter `slug` set or removed.
        Slug {
            file: u8,
            slug: Option<u8>,
        },
        AddTranslation {
            item: u8,
            lang: u8,
        },
        /// A translation that does not carry the item's facts.
        RemoveTranslation {
            file: u8,
        },
        NewsDate {
            news: u8,
            day: u16,
        },
        Weight {
            file: u8,
            weight: Option<i8>,
        },
        Alias {
            file: u8,
            add: bool,
        },
        /// The display name of a location in the default language or in
        /// `names`.
        LocationName {
            loc: u8,
            lang: Option<u8>,
            name: u8,
        },
        AddLocation {
            country: u8,
        },
        /// The home text of a language, written if missing.
        Home {
            lang: u8,
            above: bool,
        },
        /// `draft = true` toggled on a translation without facts.
        Draft {
            file: u8,
        },
        /// Another field set, changed or removed (`value` 0 removes).
        Field {
            field: Field,
            file: u8,
            value: u8,
        },
        /// A broken edit (with a retitle in the same batch when `also`),
        /// rebuilt; a retitle while still broken (`then`), rebuilt; then
        /// fixed and rebuilt.
        Broken {
            how: Break,
            file: u8,
            also: Option<u8>,
            then: Option<u8>,
        },
        /// A file, or its folder, reported as changed though it is not (a
        /// save without changes, a watcher's folder event).
        Touch {
            file: u8,
            folder: bool,
        },
    }

    #[derive(Clone, Copy, Debug)]
    enum Break {
        Toml,
        UnknownField,
        UnknownCluster,
        UnknownLocation,
        DeadLink,
        FactConflict,
        NoTitle,
        /// A heading another page links to renamed.
        Anchor,
        /// A slug that another page of the language has.
        SlugTaken,
        /// An alias at the address of another page.
        AliasTaken,
    }

    #[derive(Clone, Copy, Debug)]
    enum Field {
        /// Of any file but the home texts.
        Description,
        Updated,
        /// Of a spa.
        Kind,
        Treatments,
        /// Of a cluster.
        Partners,
        /// Of a news item.
        Source,
        NewsCluster,
        /// Of a cluster or news item.
        Locations,
    }

    /// What a sequence is made of: one edit, or two saved together and
    /// rebuilt once.
    #[derive(Clone, Debug)]
    enum Step {
        One(Edit),
        Two(Edit, Edit),
    }

    fn step() -> impl Strategy<Value = Step> {
        prop_oneof![
            4 => edit(true).prop_map(Step::One),
            1 => (edit(false), edit(false)).prop_map(|(a, b)| Step::Two(a, b)),
        ]
    }

    /// An edit; `broken` allows the broken ones.
    fn edit(broken: bool) -> BoxedStrategy<Edit> {
        let n = any::<u8>;
        let brk = prop_oneof![
            Just(Break::Toml),
            Just(Break::UnknownField),
            Just(Break::UnknownCluster),
            Just(Break::UnknownLocation),
            Just(Break::DeadLink),
            Just(Break::FactConflict),
            Just(Break::NoTitle),
            Just(Break::Anchor),
            Just(Break::SlugTaken),
            Just(Break::AliasTaken),
        ];
        let field = prop_oneof![
            Just(Field::Description),
            Just(Field::Updated),
            Just(Field::Kind),
            Just(Field::Treatments),
            Just(Field::Partners),
            Just(Field::Source),
            Just(Field::NewsCluster),
            Just(Field::Locations),
        ];
        let mut arms = vec![
            (
                3,
                (n(), n())
                    .prop_map(|(file, title)| Edit::Retitle { file, title })
                    .boxed(),
            ),
            (2, n().prop_map(|file| Edit::BodyAbove { file }).boxed()),
            (2, n().prop_map(|file| Edit::BodyBelow { file }).boxed()),
            (
                2,
                (n(), proptest::option::of(n()), proptest::option::of(n()))
                    .prop_map(|(spa, cluster, location)| Edit::MoveSpa {
                        spa,
                        cluster,
                        location,
                    })
                    .boxed(),
            ),
            (
                1,
                (n(), n(), n())
                    .prop_map(|(lang, cluster, location)| Edit::AddSpa {
                        lang,
                        cluster,
                        location,
                    })
                    .boxed(),
            ),
            (
                2,
                (n(), 0..400u16, proptest::option::of(n()))
                    .prop_map(|(lang, day, cluster)| Edit::AddNews { lang, day, cluster })
                    .boxed(),
            ),
            (1, n().prop_map(|item| Edit::Delete { item }).boxed()),
            (
                1,
                (n(), any::<bool>())
                    .prop_map(|(item, subfolder)| Edit::Rename { item, subfolder })
                    .boxed(),
            ),
            (
                1,
                (n(), proptest::option::of(n()))
                    .prop_map(|(file, slug)| Edit::Slug { file, slug })
                    .boxed(),
            ),
            (
                2,
                (n(), n())
                    .prop_map(|(item, lang)| Edit::AddTranslation { item, lang })
                    .boxed(),
            ),
            (
                2,
                n().prop_map(|file| Edit::RemoveTranslation { file })
                    .boxed(),
            ),
            (
                2,
                (n(), 0..400u16)
                    .prop_map(|(news, day)| Edit::NewsDate { news, day })
                    .boxed(),
            ),
            (
                1,
                (n(), proptest::option::of(any::<i8>()))
                    .prop_map(|(file, weight)| Edit::Weight { file, weight })
                    .boxed(),
            ),
            (
                1,
                (n(), any::<bool>())
                    .prop_map(|(file, add)| Edit::Alias { file, add })
                    .boxed(),
            ),
            (
                1,
                (n(), proptest::option::of(n()), n())
                    .prop_map(|(loc, lang, name)| Edit::LocationName { loc, lang, name })
                    .boxed(),
            ),
            (
                1,
                n().prop_map(|country| Edit::AddLocation { country })
                    .boxed(),
            ),
            (
                1,
                (n(), any::<bool>())
                    .prop_map(|(lang, above)| Edit::Home { lang, above })
                    .boxed(),
            ),
            (1, n().prop_map(|file| Edit::Draft { file }).boxed()),
            (
                1,
                (n(), any::<bool>())
                    .prop_map(|(file, folder)| Edit::Touch { file, folder })
                    .boxed(),
            ),
            (
                2,
                (field, n(), n())
                    .prop_map(|(field, file, value)| Edit::Field { field, file, value })
                    .boxed(),
            ),
        ];
        if broken {
            arms.push((
                2,
                (
                    brk,
                    n(),
                    proptest::option::of(n()),
                    proptest::option::of(n()),
                )
                    .prop_map(|(how, file, also, then)| Edit::Broken {
                        how,
                        file,
                        also,
                        then,
                    })
                    .boxed(),
            ));
        }
        Union::new_weighted(arms).boxed()
    }

    /// A content file, by its path under `content/`.
    #[derive(Clone, Debug)]
    struct File {
        rel: String,
        /// `spas`, `news`, `clusters`, `pages` or `home`.
        kind: String,
        /// The path without language and extension: `spas/laine`.
        stem: String,
        /// The last part of `stem`: the item's key in its folder.
        base: String,
        lang: String,
    }

    fn parse(rel: &str) -> File {
        let (stem, lang) = rel
            .strip_suffix(".md")
            .and_then(|s| s.rsplit_once('.'))
            .unwrap_or_else(|| panic!("{rel}: named <stem>.<lang>.md"));
        let kind = if rel.starts_with("_index") {
            "home"
        } else {
            rel.split('/').next().unwrap()
        };
        File {
            rel: rel.to_string(),
            kind: kind.to_string(),
            stem: stem.to_string(),
            base: stem.rsplit('/').next().unwrap().to_string(),
            lang: lang.to_string(),
        }
    }

    fn pick<T: Clone>(v: &[T], n: impl Into<usize>) -> Option<T> {
        if v.is_empty() {
            None
        } else {
            Some(v[n.into() % v.len()].clone())
        }
    }

    /// Splits `+++\n<front>+++\n<body>`.
    fn split(text: &str) -> (String, String) {
        let rest = text.strip_prefix("+++\n").expect("front matter");
        if let Some(body) = rest.strip_prefix("+++\n") {
            return (String::new(), body.to_string());
        }
        let end = rest.find("\n+++\n").expect("end of front matter");
        (rest[..=end].to_string(), rest[end + 5..].to_string())
    }

    fn join(front: &str, body: &str) -> String {
        format!("+++\n{front}+++\n{body}")
    }

    fn get(front: &str, key: &str) -> Option<String> {
        let start = format!("{key} = ");
        front
            .lines()
            .find_map(|l| l.strip_prefix(&start))
            .map(str::to_string)
    }

    /// Sets, replaces or (`None`) removes the line of `key`.
    fn set(front: &str, key: &str, value: Option<&str>) -> String {
        let start = format!("{key} = ");
        let mut lines: Vec<String> = front.lines().map(str::to_string).collect();
        let at = lines.iter().position(|l| l.starts_with(&start));
        match (at, value) {
            (Some(i), Some(v)) => lines[i] = format!("{start}{v}"),
            (Some(i), None) => {
                lines.remove(i);
            }
            (None, Some(v)) => lines.push(format!("{start}{v}")),
            (None, None) => {}
        }
        lines.iter().map(|l| format!("{l}\n")).collect()
    }

    fn quote(s: &str) -> String {
        format!("\"{s}\"")
    }

    fn unquote(s: &str) -> String {
        s.trim_matches('"').to_string()
    }

    /// A date in 2024 from a day number: 2024-01-01 to 2025-02-03, some
    /// of them shared.
    fn date(day: u16) -> String {
        let (year, day) = (2024 + day / 336, day % 336);
        format!("{year}-{:02}-{:02}", 1 + day / 28, 1 + day % 28)
    }

    /// The content folder as it is now.
    struct View {
        content: PathBuf,
        files: Vec<File>,
    }

    impl View {
        fn new(root: &Path) -> View {
            let content = root.join("content");
            let files = files_of(&content)
                .keys()
                .map(|p| {
                    p.strip_prefix(&content)
                        .unwrap()
                        .to_string_lossy()
                        .into_owned()
                })
                .filter(|p| p.ends_with(".md"))
                .map(|p| parse(&p))
                .collect();
            View { content, files }
        }

        fn read(&self, rel: &str) -> String {
            fs::read_to_string(self.content.join(rel)).unwrap()
        }

        fn write(&self, rel: &str, text: &str) {
            let p = self.content.join(rel);
            fs::create_dir_all(p.parent().unwrap()).unwrap();
            fs::write(p, text).unwrap();
        }

        fn remove(&self, rel: &str) {
            fs::remove_file(self.content.join(rel)).unwrap();
        }

        fn front(&self, rel: &str) -> String {
            split(&self.read(rel)).0
        }

        fn set_key(&self, rel: &str, key: &str, value: Option<&str>) {
            let (front, body) = split(&self.read(rel));
            self.write(rel, &join(&set(&front, key, value), &body));
        }

        fn body(&self, rel: &str, f: impl FnOnce(&str) -> String) {
            let (front, body) = split(&self.read(rel));
            self.write(rel, &join(&front, &f(&body)));
        }

        fn of_kind(&self, kinds: &[&str]) -> Vec<File> {
            self.files
                .iter()
                .filter(|f| kinds.contains(&f.kind.as_str()))
                .cloned()
                .collect()
        }

        /// Items by stem, with their files.
        fn items(&self, kinds: &[&str]) -> Vec<(String, Vec<File>)> {
            let mut by: BTreeMap<String, Vec<File>> = BTreeMap::new();
            for f in self.of_kind(kinds) {
                by.entry(f.stem.clone()).or_default().push(f);
            }
            by.into_iter().collect()
        }

        /// Whether the file holds its item's required facts.
        fn carries_facts(&self, f: &File) -> bool {
            let key = match f.kind.as_str() {
                "spas" => "cluster",
                "news" => "date",
                "clusters" => "country",
                _ => return false,
            };
            get(&self.front(&f.rel), key).is_some()
        }

        fn carriers(&self, kind: &str) -> Vec<File> {
            self.of_kind(&[kind])
                .into_iter()
                .filter(|f| self.carries_facts(f))
                .collect()
        }

        fn is_draft(&self, f: &File) -> bool {
            get(&self.front(&f.rel), "draft").is_some()
        }

        fn clusters(&self) -> Vec<String> {
            self.items(&["clusters"])
                .into_iter()
                .map(|(_, files)| files[0].base.clone())
                .collect()
        }

        fn locations(&self) -> Vec<String> {
            self.read("locations.toml")
                .lines()
                .filter_map(|l| l.strip_prefix("slug = "))
                .map(unquote)
                .collect()
        }

        /// The slugs of the `[[treatment]]`s of treatments.toml (none
        /// without the file).
        fn treatments(&self) -> Vec<String> {
            let path = self.content.join("treatments.toml");
            let text = fs::read_to_string(path).unwrap_or_default();
            let mut out = Vec::new();
            let mut in_treatment = false;
            for l in text.lines() {
                if l.starts_with("[[") {
                    in_treatment = l.trim() == "[[treatment]]";
                } else if in_treatment && let Some(s) = l.strip_prefix("slug = ") {
                    out.push(unquote(s));
                }
            }
            out
        }

        /// A name `<prefix>-<k>` that no item of `kind` has.
        fn fresh(&self, kind: &str, prefix: &str) -> String {
            let used: Vec<String> = self.of_kind(&[kind]).into_iter().map(|f| f.base).collect();
            (1..)
                .map(|k| format!("{prefix}-{k}"))
                .find(|n| !used.contains(n))
                .unwrap()
        }

        /// Replaces `from` by `to` in every content file.
        fn rewrite_all(&self, from: &str, to: &str) {
            for f in &self.files {
                let text = self.read(&f.rel);
                if text.contains(from) {
                    self.write(&f.rel, &text.replace(from, to));
                }
            }
        }

        /// Changes one `[[location]]` block of locations.toml.
        fn edit_location(&self, loc: u8, f: impl FnOnce(&mut Vec<String>)) -> String {
            let text = self.read("locations.toml");
            let mut blocks: Vec<String> =
                text.split("[[location]]\n").map(str::to_string).collect();
            let i = 1 + loc as usize % (blocks.len() - 1);
            let mut lines: Vec<String> = blocks[i].lines().map(str::to_string).collect();
            let slug = unquote(lines[0].strip_prefix("slug = ").unwrap());
            f(&mut lines);
            blocks[i] = lines.iter().map(|l| format!("{l}\n")).collect();
            fs::write(
                self.content.join("locations.toml"),
                blocks.join("[[location]]\n"),
            )
            .unwrap();
            slug
        }
    }

    /// Applies one edit that should keep the site valid; says what it did.
    fn apply(v: &View, edit: &Edit) -> String {
        match *edit {
            Edit::Retitle { file, title } => {
                let f = pick(&v.files, file).unwrap();
                let t = TITLES[title as usize % TITLES.len()];
                v.set_key(&f.rel, "title", Some(&quote(t)));
                format!("title of {} = {t:?}", f.rel)
            }
            Edit::BodyAbove { file } => {
                let f = pick(&v.files, file).unwrap();
                v.body(&f.rel, |b| format!("\nNew opening words.\n{b}"));
                format!("new first paragraph in {}", f.rel)
            }
            Edit::BodyBelow { file } => {
                let f = pick(&v.files, file).unwrap();
                v.body(&f.rel, |b| format!("{b}\nClosing words.\n"));
                format!("new last paragraph in {}", f.rel)
            }
            Edit::MoveSpa {
                spa,
                cluster,
                location,
            } => {
                let Some(f) = pick(&v.carriers("spas"), spa) else {
                    return "no spa to move".into();
                };
                let front = v.front(&f.rel);
                let clusters = v.clusters();
                let now = unquote(&get(&front, "cluster").unwrap());
                let cluster = match (cluster, location) {
                    (Some(c), _) => pick(&clusters, c),
                    (None, None) => {
                        let i = clusters.iter().position(|c| *c == now).unwrap_or(0);
                        pick(&clusters, i + 1)
                    }
                    (None, Some(_)) => None,
                };
                let location = location.and_then(|l| pick(&v.locations(), l));
                let mut front = front;
                if let Some(c) = &cluster {
                    front = set(&front, "cluster", Some(&quote(c)));
                }
                if let Some(l) = &location {
                    front = set(&front, "location", Some(&quote(l)));
                }
                v.write(&f.rel, &join(&front, &split(&v.read(&f.rel)).1));
                format!("{} to cluster {cluster:?}, location {location:?}", f.rel)
            }
            Edit::AddSpa {
                lang,
                cluster,
                location,
            } => {
                let name = v.fresh("spas", "added");
                let lang = LANGS[lang as usize % LANGS.len()];
                let cluster = pick(&v.clusters(), cluster).unwrap();
                let location = pick(&v.locations(), location).unwrap();
                let rel = format!("spas/{name}.{lang}.md");
                v.write(
                    &rel,
                    &format!(
                        "+++\ntitle = \"Added spa {name}\"\ncluster = \"{cluster}\"\nlocation = \"{location}\"\n+++\n\nA new spa in [its cluster](@/clusters/{cluster}.md).\n\nMore about it.\n"
                    ),
                );
                format!("new {rel} in {cluster}, {location}")
            }
            Edit::AddNews { lang, day, cluster } => {
                let name = v.fresh("news", "added");
                let lang = LANGS[lang as usize % LANGS.len()];
                let rel = format!("news/{name}.{lang}.md");
                let cluster = cluster.and_then(|c| pick(&v.clusters(), c));
                let line = cluster
                    .as_ref()
                    .map(|c| format!("cluster = \"{c}\"\n"))
                    .unwrap_or_default();
                let date = date(day);
                v.write(
                    &rel,
                    &format!(
                        "+++\ntitle = \"News {name}\"\ndate = {date}\n{line}+++\n\nSomething happened.\n\nThe details.\n"
                    ),
                );
                format!("new {rel} of {date}, cluster {cluster:?}")
            }
            Edit::Delete { item } => {
                let Some((stem, files)) = pick(&v.items(&["spas", "news", "pages"]), item) else {
                    return "nothing to delete".into();
                };
                for f in &files {
                    v.remove(&f.rel);
                }
                let v = View::new(v.content.parent().unwrap());
                v.rewrite_all(
                    &format!("@/{stem}.md"),
                    &format!("https://example.com/{stem}"),
                );
                format!("deleted {stem} ({} files)", files.len())
            }
            Edit::Rename { item, subfolder } => {
                let Some((stem, files)) =
                    pick(&v.items(&["clusters", "spas", "news", "pages"]), item)
                else {
                    return "nothing to rename".into();
                };
                let kind = files[0].kind.clone();
                let base = files[0].base.clone();
                let dir = stem
                    .strip_suffix(base.as_str())
                    .and_then(|d| d.strip_suffix('/'))
                    .unwrap();
                let new_stem = if subfolder && kind != "clusters" {
                    if dir == kind {
                        format!("{kind}/sub/{base}")
                    } else {
                        format!("{kind}/{base}")
                    }
                } else {
                    let new_base = match base.strip_suffix("-r") {
                        Some(b) => b.to_string(),
                        None => format!("{base}-r"),
                    };
                    format!("{dir}/{new_base}")
                };
                if v.files.iter().any(|f| f.stem == new_stem) {
                    return format!("{new_stem} exists already");
                }
                for f in &files {
                    let text = v.read(&f.rel);
                    v.remove(&f.rel);
                    v.write(&format!("{new_stem}.{}.md", f.lang), &text);
                }
                // A folder left empty goes too.
                let old_dir = v.content.join(dir);
                if fs::read_dir(&old_dir).unwrap().next().is_none() {
                    fs::remove_dir(&old_dir).unwrap();
                }
                let v = View::new(v.content.parent().unwrap());
                v.rewrite_all(&format!("@/{stem}.md"), &format!("@/{new_stem}.md"));
                if kind == "clusters" {
                    let new_base = new_stem.rsplit('/').next().unwrap();
                    v.rewrite_all(
                        &format!("cluster = \"{base}\""),
                        &format!("cluster = \"{new_base}\""),
                    );
                }
                format!("renamed {stem} to {new_stem}")
            }
            Edit::Slug { file, slug } => {
                let Some(f) = pick(&v.of_kind(&["clusters", "spas", "news", "pages"]), file) else {
                    return "no file".into();
                };
                let value = slug.map(|s| quote(&format!("{}-{}-s{}", f.base, f.lang, s % 2)));
                v.set_key(&f.rel, "slug", value.as_deref());
                format!("slug of {} = {value:?}", f.rel)
            }
            Edit::AddTranslation { item, lang } => {
                let Some((stem, files)) = pick(
                    &v.items(&["clusters", "spas", "news", "pages", "home"]),
                    item,
                ) else {
                    return "no item".into();
                };
                let missing: Vec<&str> = LANGS
                    .iter()
                    .copied()
                    .filter(|l| files.iter().all(|f| f.lang != *l))
                    .collect();
                let Some(lang) = pick(&missing, lang) else {
                    return format!("{stem} is in every language");
                };
                let rel = format!("{stem}.{lang}.md");
                let base = &files[0].base;
                v.write(
                    &rel,
                    &format!("+++\ntitle = \"{base} in {lang}\"\n+++\n\nTranslated text.\n"),
                );
                format!("new translation {rel}")
            }
            Edit::RemoveTranslation { file } => {
                let items = v.items(&["clusters", "spas", "news", "pages", "home"]);
                let candidates: Vec<File> = items
                    .into_iter()
                    .filter(|(_, files)| files.len() > 1)
                    .flat_map(|(_, files)| files)
                    .filter(|f| !v.carries_facts(f))
                    .collect();
                let Some(f) = pick(&candidates, file) else {
                    return "no translation to remove".into();
                };
                v.remove(&f.rel);
                format!("removed translation {}", f.rel)
            }
            Edit::NewsDate { news, day } => {
                let Some(f) = pick(&v.carriers("news"), news) else {
                    return "no news".into();
                };
                let date = date(day);
                v.set_key(&f.rel, "date", Some(&date));
                format!("date of {} = {date}", f.rel)
            }
            Edit::Weight { file, weight } => {
                let Some(f) = pick(&v.of_kind(&["clusters", "spas", "news", "pages"]), file) else {
                    return "no file".into();
                };
                let w = weight.map(|w| (w.rem_euclid(5) - 2).to_string());
                v.set_key(&f.rel, "weight", w.as_deref());
                format!("weight of {} = {w:?}", f.rel)
            }
            Edit::Alias { file, add } => {
                let Some(f) = pick(&v.of_kind(&["clusters", "spas", "news", "pages"]), file) else {
                    return "no file".into();
                };
                let old = get(&v.front(&f.rel), "aliases");
                let value = match (add, old) {
                    (false, _) => None,
                    (true, None) => Some(format!("[\"old/{}-{}\"]", f.base, f.lang)),
                    (true, Some(_)) => Some(format!(
                        "[\"old/{b}-{l}\", \"/{l}/older/{b}/\"]",
                        b = f.base,
                        l = f.lang
                    )),
                };
                v.set_key(&f.rel, "aliases", value.as_deref());
                format!("aliases of {} = {value:?}", f.rel)
            }
            Edit::LocationName { loc, lang, name } => {
                let name = PLACE_NAMES[name as usize % PLACE_NAMES.len()];
                let lang = lang.map(|l| LANGS[l as usize % LANGS.len()]);
                let slug = v.edit_location(loc, |lines| match lang {
                    None | Some("en") => {
                        let i = lines.iter().position(|l| l.starts_with("name = ")).unwrap();
                        lines[i] = format!("name = {}", quote(name));
                    }
                    Some(lang) => {
                        let i = lines.iter().position(|l| l.starts_with("names = "));
                        let mut names: Vec<(String, String)> = i
                            .map(|i| {
                                let inner = lines[i]
                                    .trim_start_matches("names = {")
                                    .trim_end_matches('}')
                                    .trim();
                                inner
                                    .split(", ")
                                    .filter_map(|kv| kv.split_once(" = "))
                                    .map(|(k, v)| (k.to_string(), v.to_string()))
                                    .collect()
                            })
                            .unwrap_or_default();
                        match names.iter_mut().find(|(k, _)| k == lang) {
                            Some(kv) => kv.1 = quote(name),
                            None => names.push((lang.to_string(), quote(name))),
                        }
                        let line = format!(
                            "names = {{ {} }}",
                            names
                                .iter()
                                .map(|(k, v)| format!("{k} = {v}"))
                                .collect::<Vec<_>>()
                                .join(", ")
                        );
                        match i {
                            Some(i) => lines[i] = line,
                            None => lines.push(line),
                        }
                    }
                });
                format!("name of location {slug} in {lang:?} = {name:?}")
            }
            Edit::AddLocation { country } => {
                let used = v.locations();
                let slug = (1..)
                    .map(|k| format!("place-{k}"))
                    .find(|s| !used.contains(s))
                    .unwrap();
                let country = COUNTRIES[country as usize % COUNTRIES.len()];
                let mut text = v.read("locations.toml");
                text.push_str(&format!(
                    "\n[[location]]\nslug = \"{slug}\"\ncountry = \"{country}\"\nname = \"Place {slug}\"\n"
                ));
                fs::write(v.content.join("locations.toml"), text).unwrap();
                format!("new location {slug} in {country}")
            }
            Edit::Home { lang, above } => {
                let lang = LANGS[lang as usize % LANGS.len()];
                let rel = format!("_index.{lang}.md");
                if !v.content.join(&rel).exists() {
                    v.write(&rel, &format!("+++\n+++\n\nThe home text in {lang}.\n"));
                    return format!("new {rel}");
                }
                if above {
                    v.body(&rel, |b| format!("\nA new home paragraph.\n{b}"));
                } else {
                    v.body(&rel, |b| format!("{b}\nA closing home paragraph.\n"));
                }
                format!("home text {rel} edited (above: {above})")
            }
            Edit::Draft { file } => {
                let candidates: Vec<File> = v
                    .of_kind(&["clusters", "spas", "news", "pages"])
                    .into_iter()
                    .filter(|f| !v.carries_facts(f))
                    .collect();
                let Some(f) = pick(&candidates, file) else {
                    return "no file to draft".into();
                };
                let draft = !v.is_draft(&f);
                v.set_key(&f.rel, "draft", draft.then_some("true"));
                format!("draft of {} = {draft}", f.rel)
            }
            Edit::Field { field, file, value } => {
                let kinds: &[&str] = match field {
                    Field::Description | Field::Updated => &["clusters", "spas", "news", "pages"],
                    Field::Kind | Field::Treatments => &["spas"],
                    Field::Partners => &["clusters"],
                    Field::Source | Field::NewsCluster | Field::Locations => &["news", "clusters"],
                };
                let mut candidates = v.of_kind(kinds);
                if matches!(
                    field,
                    Field::Kind | Field::Source | Field::NewsCluster | Field::Locations
                ) {
                    // Shared facts: in the file that holds the others.
                    candidates.retain(|f| v.carries_facts(f));
                }
                if matches!(field, Field::Source | Field::NewsCluster) {
                    candidates.retain(|f| f.kind == "news");
                }
                let Some(f) = pick(&candidates, file) else {
                    return format!("no file for {field:?}");
                };
                let three = |a: &str, b: &str| match value % 3 {
                    0 => None,
                    1 => Some(a.to_string()),
                    _ => Some(b.to_string()),
                };
                let (key, new) = match field {
                    Field::Description => (
                        "description",
                        three("\"A short description.\"", "\"Another description.\""),
                    ),
                    Field::Updated => ("updated", (value % 3 > 0).then(|| date(value as u16 * 7))),
                    Field::Kind => (
                        "kind",
                        [
                            "medical-spa",
                            "wellness-spa",
                            "spa-hotel",
                            "rehabilitation",
                            "water-park",
                            "clinic",
                            "hospital",
                            "dental-clinic",
                            "university",
                        ]
                        .get(value as usize % 10)
                        .map(|k| quote(k)),
                    ),
                    Field::Treatments => {
                        // Up to three of the site's treatments, by the bits of `value`.
                        let chosen: Vec<String> = v
                            .treatments()
                            .iter()
                            .enumerate()
                            .filter(|(i, _)| *i < 3 && value & (1 << i) != 0)
                            .map(|(_, t)| quote(t))
                            .collect();
                        (
                            "treatments",
                            (value % 5 > 0).then(|| format!("[{}]", chosen.join(", "))),
                        )
                    }
                    Field::Partners => (
                        "partners",
                        three("[\"The town\"]", "[\"The town\", \"A university\"]"),
                    ),
                    Field::Source => (
                        "source",
                        three(
                            "{ name = \"Newsletter\" }",
                            "{ name = \"Paper\", url = \"https://example.org/paper\" }",
                        ),
                    ),
                    Field::NewsCluster => (
                        "cluster",
                        (value % 3 > 0)
                            .then(|| pick(&v.clusters(), value).map(|c| quote(&c)))
                            .flatten(),
                    ),
                    Field::Locations => {
                        // The locations whose bits are set in `value`.
                        let chosen: Vec<String> = v
                            .locations()
                            .iter()
                            .enumerate()
                            .filter(|(i, _)| *i < 8 && value & (1 << i) != 0)
                            .map(|(_, l)| quote(l))
                            .collect();
                        (
                            "locations",
                            (!chosen.is_empty()).then(|| format!("[{}]", chosen.join(", "))),
                        )
                    }
                };
                v.set_key(&f.rel, key, new.as_deref());
                format!("{key} of {} = {new:?}", f.rel)
            }
            Edit::Broken { .. } | Edit::Touch { .. } => unreachable!("applied by `Sim`"),
        }
    }

    /// Breaks the site; returns the files changed (to be restored) and
    /// what was done.
    fn apply_break(v: &View, how: Break, file: u8) -> (Vec<String>, String) {
        let live: Vec<File> = v.files.iter().filter(|f| !v.is_draft(f)).cloned().collect();
        let spas: Vec<File> = v
            .carriers("spas")
            .into_iter()
            .filter(|f| !v.is_draft(f))
            .collect();
        // Translations of spas that take their facts from another file.
        let followers: Vec<File> = live
            .iter()
            .filter(|f| f.kind == "spas" && !v.carries_facts(f))
            .filter(|f| spas.iter().any(|s| s.stem == f.stem))
            .cloned()
            .collect();
        let titled: Vec<File> = live.iter().filter(|f| f.kind != "home").cloned().collect();
        // Items whose headings are linked to, with an `#anchor`.
        let linked: Vec<String> = v
            .items(&["spas", "news", "pages", "clusters"])
            .into_iter()
            .map(|(stem, _)| stem)
            .filter(|stem| {
                let link = format!("@/{stem}.md#");
                live.iter().any(|f| v.read(&f.rel).contains(&link))
            })
            .collect();
        let how = match how {
            Break::UnknownCluster | Break::UnknownLocation if spas.is_empty() => Break::Toml,
            Break::FactConflict if followers.is_empty() => Break::Toml,
            Break::Anchor if linked.is_empty() => Break::Toml,
            how => how,
        };
        // Pages of the same kind and language, the second one at its
        // file's name.
        let pairs: Vec<(File, File)> = titled
            .iter()
            .flat_map(|a| titled.iter().map(move |b| (a.clone(), b.clone())))
            .filter(|(a, b)| a.rel != b.rel && a.kind == b.kind && a.lang == b.lang)
            .filter(|(_, b)| get(&v.front(&b.rel), "slug").is_none())
            .collect();
        let how = match how {
            Break::SlugTaken | Break::AliasTaken if pairs.is_empty() => Break::UnknownField,
            how => how,
        };
        if let Break::SlugTaken | Break::AliasTaken = how {
            let (a, b) = pick(&pairs, file).unwrap();
            let what = if let Break::SlugTaken = how {
                v.set_key(&a.rel, "slug", Some(&quote(&b.base)));
                "the slug"
            } else {
                let alias = format!("{}/{}/{}", b.lang, b.kind, b.base);
                v.set_key(&a.rel, "aliases", Some(&format!("[{}]", quote(&alias))));
                "an alias at the address"
            };
            return (
                vec![a.rel.clone()],
                format!("{what} of {} in {}", b.rel, a.rel),
            );
        }
        if let Break::Anchor = how {
            let stem = pick(&linked, file).unwrap();
            let mut changed = Vec::new();
            for f in v.files.iter().filter(|f| f.stem == stem) {
                let text = v.read(&f.rel);
                if text.contains("\n## ") {
                    v.write(&f.rel, &text.replace("\n## ", "\n## Renamed "));
                    changed.push(f.rel.clone());
                }
            }
            let what = format!("headings renamed in {changed:?}, linked to");
            return (changed, what);
        }
        let f = match how {
            Break::UnknownCluster | Break::UnknownLocation => pick(&spas, file),
            Break::FactConflict => pick(&followers, file),
            Break::NoTitle => pick(&titled, file),
            _ => pick(&live, file),
        }
        .expect("a file to break");
        let what = match how {
            Break::Toml => {
                let (front, body) = split(&v.read(&f.rel));
                v.write(&f.rel, &join(&format!("{front}oops = = 1\n"), &body));
                "invalid TOML"
            }
            Break::UnknownField => {
                v.set_key(&f.rel, "bogus", Some("1"));
                "an unknown field"
            }
            Break::UnknownCluster => {
                v.set_key(&f.rel, "cluster", Some("\"nowhere\""));
                "an unknown cluster"
            }
            Break::UnknownLocation => {
                v.set_key(&f.rel, "location", Some("\"nowhere\""));
                "an unknown location"
            }
            Break::DeadLink => {
                v.body(&f.rel, |b| format!("{b}\n[dead](@/spas/nowhere.md)\n"));
                "a dead link"
            }
            Break::FactConflict => {
                let carrier = spas.iter().find(|s| s.stem == f.stem).unwrap();
                let theirs = unquote(&get(&v.front(&carrier.rel), "location").unwrap());
                let other = v.locations().into_iter().find(|l| *l != theirs).unwrap();
                v.set_key(&f.rel, "location", Some(&quote(&other)));
                "a location that differs from its translation's"
            }
            Break::NoTitle => {
                v.set_key(&f.rel, "title", None);
                "no title"
            }
            Break::Anchor | Break::SlugTaken | Break::AliasTaken => unreachable!("done above"),
        };
        (vec![f.rel.clone()], format!("{what} in {}", f.rel))
    }

    /// The site being edited and its serve builder.
    struct Sim {
        _dir: tempfile::TempDir,
        root: PathBuf,
        shared: Shared,
        builder: Builder,
        log: Vec<String>,
        /// Paths to report at the next rebuild though they did not change.
        touched: Vec<PathBuf>,
    }

    const ORIGIN: &str = "http://127.0.0.1:1111";

    impl Sim {
        /// A copy of the site at `site` (its site.toml and content/).
        fn new(site: Site) -> Sim {
            let dir = match site {
                Site::Fixture => {
                    let src =
                        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/serve-props");
                    let dir = tempfile::tempdir().unwrap();
                    for e in walkdir::WalkDir::new(&src) {
                        let e = e.unwrap();
                        let to = dir.path().join(e.path().strip_prefix(&src).unwrap());
                        if e.file_type().is_dir() {
                            fs::create_dir_all(&to).unwrap();
                        } else {
                            fs::copy(e.path(), &to).unwrap();
                        }
                    }
                    dir
                }
                Site::Sample => super::copy_site(),
            };
            let root = dir.path().to_path_buf();
            let shared = Shared::default();
            let mut builder =
                Builder::new(root.clone(), ORIGIN.into(), false).schedule(super::now(), false);
            let d = Diagnostics::new();
            if builder.rebuild(&shared, &d).is_none() {
                panic!("the fixture builds: {}", headlines(&d));
            }
            Sim {
                _dir: dir,
                root,
                shared,
                builder,
                log: Vec::new(),
                touched: Vec::new(),
            }
        }

        fn content(&self) -> Files {
            let content = self.root.join("content");
            walkdir::WalkDir::new(&content)
                .min_depth(1)
                .into_iter()
                .map(|e| e.unwrap())
                .map(|e| {
                    let bytes = e.file_type().is_file().then(|| fs::read(e.path()).unwrap());
                    (e.path().to_path_buf(), bytes)
                })
                .collect()
        }

        fn view(&self) -> View {
            View::new(&self.root)
        }

        /// Rebuilds after the content changed from `before`, and checks the
        /// result against a full build. Returns whether the site built.
        fn settle(&mut self, before: &Files) -> Result<bool, String> {
            // What a watcher reports: folders and files that came, went
            // or changed (folders first), and paths touched but unchanged.
            let after = self.content();
            let mut changes: Vec<(bool, PathBuf)> = before
                .iter()
                .chain(&after)
                .filter(|(p, _)| before.get(*p) != after.get(*p))
                .map(|(p, b)| (b.is_some(), p.clone()))
                .collect();
            changes.sort();
            changes.dedup();
            let mut changes: Vec<PathBuf> = changes.into_iter().map(|(_, p)| p).collect();
            changes.append(&mut self.touched);
            let served = snapshot(&self.shared);
            self.builder.note_changes(&changes);
            let d = Diagnostics::new();
            let got = self.builder.rebuild(&self.shared, &d);
            let how = match &got {
                None => "failed".to_string(),
                Some(r) if r.full => format!("full rebuild, {} rendered", r.rendered),
                Some(r) if r.patched => format!("patched, {} rendered", r.rendered),
                Some(r) => format!("incremental, {} rendered", r.rendered),
            };
            if let Some(last) = self.log.last_mut() {
                last.push_str(&format!(" → {how}"));
            }
            let (want, want_diags) = full_build(&self.root);
            match (got, want) {
                (Some(_), Some(want)) => {
                    compare(&snapshot(&self.shared), &want, "the full build")?;
                    Ok(true)
                }
                (None, None) => {
                    compare(&snapshot(&self.shared), &served, "the files served before")
                        .map_err(|e| format!("a failed rebuild changed what is served: {e}"))?;
                    if self.shared.read().error_page.is_none() {
                        return Err("a failed rebuild shows no error page".into());
                    }
                    Ok(false)
                }
                (Some(_), None) => Err(format!(
                    "the incremental rebuild worked, a full build fails: {want_diags}"
                )),
                (None, Some(_)) => Err(format!(
                    "the incremental rebuild failed, a full build works: {}",
                    headlines(&d)
                )),
            }
        }

        /// Puts the content back as it was in `to`.
        fn restore(&self, to: &Files) {
            let now = self.content();
            for (p, bytes) in now.iter().rev() {
                if !to.contains_key(p) {
                    match bytes {
                        Some(_) => fs::remove_file(p).unwrap(),
                        None => fs::remove_dir(p).unwrap(),
                    }
                }
            }
            for (p, bytes) in to {
                if now.get(p) != Some(bytes) {
                    match bytes {
                        Some(bytes) => {
                            fs::create_dir_all(p.parent().unwrap()).unwrap();
                            fs::write(p, bytes).unwrap();
                        }
                        None => fs::create_dir_all(p).unwrap(),
                    }
                }
            }
        }

        fn step(&mut self, step: &Step) -> Result<(), String> {
            let edits = match step {
                Step::One(Edit::Broken {
                    how,
                    file,
                    also,
                    then,
                }) => {
                    return self.broken(*how, *file, *also, *then);
                }
                Step::One(e) => vec![e],
                Step::Two(a, b) => vec![a, b],
            };
            let before = self.content();
            for (i, edit) in edits.iter().enumerate() {
                let what = match **edit {
                    Edit::Touch { file, folder } => self.touch(file, folder),
                    _ => apply(&self.view(), edit),
                };
                let with = if i > 0 {
                    "  and, in the same rebuild, "
                } else {
                    ""
                };
                self.log.push(format!("{with}{edit:?}: {what}"));
            }
            if !self.settle(&before)? {
                // Rare: the edit made the site invalid (an alias taken
                // twice…). Both builds agreed; undo it.
                self.log.push("  (the site did not build: undone)".into());
                let broken = self.content();
                self.restore(&before);
                if !self.settle(&broken)? {
                    return Err("undoing a failed edit does not build".into());
                }
            }
            Ok(())
        }

        fn touch(&mut self, file: u8, folder: bool) -> String {
            let v = self.view();
            let f = pick(&v.files, file).unwrap();
            let mut path = v.content.join(&f.rel);
            if folder {
                path.pop();
            }
            let shown = path.strip_prefix(&self.root).unwrap().display().to_string();
            let what = format!("reported {shown} unchanged");
            self.touched.push(path);
            what
        }

        fn broken(
            &mut self,
            how: Break,
            file: u8,
            also: Option<u8>,
            then: Option<u8>,
        ) -> Result<(), String> {
            let before = self.content();
            let v = self.view();
            let (broken, mut what) = apply_break(&v, how, file);
            if let Some(title) = also {
                let others: Vec<File> = v
                    .files
                    .iter()
                    .filter(|f| !broken.contains(&f.rel))
                    .cloned()
                    .collect();
                if let Some(f) = pick(&others, title) {
                    let t = TITLES[title as usize % TITLES.len()];
                    v.set_key(&f.rel, "title", Some(&quote(t)));
                    what.push_str(&format!(", with title of {} = {t:?}", f.rel));
                }
            }
            self.log.push(format!(
                "Broken {{ {how:?}, {file}, {also:?}, {then:?} }}: {what}"
            ));
            if self.settle(&before)? {
                return Err("the broken edit built: the test's edit is not broken".into());
            }
            if let Some(title) = then {
                let before = self.content();
                let v = self.view();
                let others: Vec<File> = v
                    .files
                    .iter()
                    .filter(|f| !broken.contains(&f.rel))
                    .cloned()
                    .collect();
                let f = pick(&others, title).unwrap();
                let t = TITLES[title as usize % TITLES.len()];
                v.set_key(&f.rel, "title", Some(&quote(t)));
                self.log
                    .push(format!("  still broken, title of {} = {t:?}", f.rel));
                if self.settle(&before)? {
                    return Err("the site built while still broken".into());
                }
            }
            let after = self.content();
            for rel in &broken {
                let path = v.content.join(rel);
                fs::write(&path, before[&path].as_ref().unwrap()).unwrap();
            }
            self.log.push(format!("  fixed {broken:?}"));
            if !self.settle(&after)? {
                return Err("the fixed site does not build".into());
            }
            Ok(())
        }
    }

    fn headlines(d: &Diagnostics) -> String {
        d.sorted()
            .iter()
            .filter(|e| e.is_error())
            .map(|e| e.headline())
            .collect::<Vec<_>>()
            .join("; ")
    }

    /// A fresh full build by a new builder, or its errors.
    fn full_build(root: &Path) -> (Option<Served>, String) {
        let shared = Shared::default();
        let mut b =
            Builder::new(root.to_path_buf(), ORIGIN.into(), false).schedule(super::now(), false);
        let d = Diagnostics::new();
        match b.rebuild(&shared, &d) {
            Some(_) => (Some(snapshot(&shared)), String::new()),
            None => (None, headlines(&d)),
        }
    }

    /// The first difference between what is served and what should be.
    fn compare(got: &Served, want: &Served, what: &str) -> Result<(), String> {
        let missing: Vec<&String> = want.keys().filter(|k| !got.contains_key(*k)).collect();
        let extra: Vec<&String> = got.keys().filter(|k| !want.contains_key(*k)).collect();
        if !missing.is_empty() || !extra.is_empty() {
            return Err(format!(
                "files differ from {what}: missing {missing:?}, extra {extra:?}"
            ));
        }
        match want.iter().find(|(k, v)| got[*k] != **v) {
            Some((k, v)) => Err(format!(
                "{k} differs from {what}:\n{}",
                diff_context(&got[k], v)
            )),
            None => Ok(()),
        }
    }

    /// The first differing line of two files, with two lines around it,
    /// long lines cut to a window around the first differing character.
    fn diff_context(got: &[u8], want: &[u8]) -> String {
        let got = String::from_utf8_lossy(got);
        let want = String::from_utf8_lossy(want);
        let (g, w): (Vec<&str>, Vec<&str>) = (got.lines().collect(), want.lines().collect());
        let first = (0..g.len().max(w.len()))
            .find(|&i| g.get(i) != w.get(i))
            .unwrap_or(0);
        let col = match (g.get(first), w.get(first)) {
            (Some(a), Some(b)) => a
                .char_indices()
                .zip(b.chars())
                .find(|((_, x), y)| x != y)
                .map(|((i, _), _)| i)
                .unwrap_or(a.len().min(b.len())),
            _ => 0,
        };
        let cut = |line: &str| -> String {
            let chars: Vec<char> = line.chars().collect();
            let at = line[..col.min(line.len())].chars().count();
            let from = at.saturating_sub(80);
            let to = (at + 80).min(chars.len());
            let mut s: String = chars[from..to].iter().collect();
            if from > 0 {
                s.insert(0, '…');
            }
            if to < chars.len() {
                s.push('…');
            }
            s
        };
        let mut out = format!("first difference at line {}:\n", first + 1);
        let lo = first.saturating_sub(2);
        for (sign, lines) in [("- full", &w), ("+ incr", &g)] {
            for (i, line) in lines.iter().enumerate().skip(lo).take(5) {
                let mark = if i == first { ">" } else { " " };
                out.push_str(&format!("{sign} {mark}{:>4} | {}\n", i + 1, cut(line)));
            }
        }
        out
    }

    #[derive(Clone, Copy)]
    enum Site {
        /// tests/fixtures/serve-props.
        Fixture,
        /// The repository's sample site.
        Sample,
    }

    fn run(site: Site, steps: &[Step]) -> Result<(), String> {
        let mut sim = Sim::new(site);
        for (i, step) in steps.iter().enumerate() {
            if let Err(why) = sim.step(step) {
                return Err(format!(
                    "step {} of {}:\n  {}\n{why}",
                    i + 1,
                    steps.len(),
                    sim.log.join("\n  ")
                ));
            }
        }
        if std::env::var("PROPS_LOG").is_ok() {
            eprintln!("CASE\n  {}", sim.log.join("\n  "));
        }
        Ok(())
    }

    /// Runs `cases` random sequences of up to `max_steps` steps on `site`.
    /// `PROPTEST_CASES=n` runs `n` cases on the fixture and as many more
    /// on the sample site, in proportion; debug builds, many times slower,
    /// run a quarter of the cases unless told.
    fn check_sequences(site: Site, cases: u32, max_steps: usize) {
        let cases = match std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|s| s.parse::<u32>().ok())
        {
            Some(n) => (cases * n / CASES).max(1),
            None if cfg!(debug_assertions) => cases.div_ceil(4),
            None => cases,
        };
        let mut runner = TestRunner::new(Config {
            cases,
            failure_persistence: None,
            max_shrink_iters: 512,
            ..Config::default()
        });
        let result = runner.run(&proptest::collection::vec(step(), 1..=max_steps), |steps| {
            run(site, &steps).map_err(TestCaseError::fail)
        });
        match result {
            Ok(()) => {}
            Err(TestError::Fail(why, steps)) => {
                panic!("{why}\nminimal failing sequence: {steps:#?}")
            }
            Err(e) => panic!("{e}"),
        }
    }

    #[test]
    fn random_edit_sequences_rebuild_as_a_full_build_does() {
        check_sequences(Site::Fixture, CASES, MAX_STEPS);
    }

    /// Fewer, shorter sequences on the sample site: five languages, more
    /// links, anchors and translations.
    #[test]
    fn random_edit_sequences_on_the_sample_site() {
        check_sequences(Site::Sample, SAMPLE_CASES, SAMPLE_STEPS);
    }
}
