//! Incremental rebuilds must give exactly what a full rebuild gives. Each
//! test edits a copy of the sample site, rebuilds incrementally, and
//! compares every file with a fresh full build.

use super::rebuild::Builder;
use super::state::Shared;
use crate::diagnostic::Diagnostics;
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

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
    let mut b = Builder::new(root.to_path_buf(), "http://127.0.0.1:1111".into(), false);
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
    let dir = copy_site();
    let root: PathBuf = dir.path().to_path_buf();
    let shared = Shared::default();
    let mut b = Builder::new(root.clone(), "http://127.0.0.1:1111".into(), false);
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
    // Laine is written in en, et and nb; lv and tr readers see the English
    // text, so the en, lv and tr search indexes change.
    assert_eq!(done[0], (true, 3 + 3), "its pages and three search indexes");
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
    let mut b = Builder::new(root.clone(), "http://127.0.0.1:1111".into(), false);
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

/// A batch with a good and a broken edit fails as a whole; when the broken
/// file is fixed, the good edit of the failed batch must show too.
#[test]
fn a_fix_after_a_failed_batch_applies_the_whole_batch() {
    let dir = copy_site();
    let root = dir.path().to_path_buf();
    let shared = Shared::default();
    let mut b = Builder::new(root.clone(), "http://127.0.0.1:1111".into(), false);
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
