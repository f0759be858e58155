//! Bad input (issue 4, SPEC 6): a corpus of broken sites under
//! `tests/fixtures/errors/cases/`, each one defect laid over the valid
//! `base/` site. For each case the build must fail with exit code 1, print
//! exactly the diagnostics in the case's `expected.txt`, and leave the
//! previous output byte-for-byte as it was.
//!
//! `KLYNGE_BLESS=1 cargo test --test errors` writes missing expected.txt
//! files; review them before committing.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/errors")
}

fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(from).unwrap();
        let target = to.join(rel);
        if entry.file_type().is_dir() {
            fs::create_dir_all(&target).unwrap();
        } else if rel != Path::new("expected.txt") {
            fs::create_dir_all(target.parent().unwrap()).unwrap();
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Every file under `dir` with its bytes.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path().strip_prefix(dir).unwrap().to_path_buf(),
                fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

struct Run {
    code: Option<i32>,
    stderr: String,
}

fn klynge(args: &[&str], root: &Path) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_klynge"))
        .args(args)
        .arg("--root")
        .arg(root)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    Run {
        code: out.status.code(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// The headline of every diagnostic in klynge's stderr.
fn headlines(stderr: &str) -> String {
    stderr
        .lines()
        .filter(|l| {
            l.contains("error: ")
                || l.contains("warning: ")
                || l.ends_with(" errors")
                || l.ends_with(" error")
        })
        .filter(|l| !l.starts_with(' '))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn every_broken_site_fails_cleanly_and_keeps_the_previous_output() {
    let mut failures = Vec::new();
    let mut cases: Vec<PathBuf> = fs::read_dir(fixtures().join("cases"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    cases.sort();
    assert!(cases.len() >= 20, "the corpus covers every case of issue 4");
    for case in cases {
        let name = case.file_name().unwrap().to_string_lossy().to_string();
        let tmp = tempfile::tempdir().unwrap();
        let site = tmp.path().join("site");
        let public = tmp.path().join("public");
        copy_dir(&fixtures().join("base"), &site);
        let ok = klynge(&["build", "--output", public.to_str().unwrap()], &site);
        assert_eq!(
            ok.code,
            Some(0),
            "{name}: the base site must build: {}",
            ok.stderr
        );
        let before = snapshot(&public);

        copy_dir(&case, &site);
        let run = klynge(&["build", "--output", public.to_str().unwrap()], &site);
        if run.code != Some(1) {
            failures.push(format!(
                "{name}: exit code {:?}, expected 1\n{}",
                run.code, run.stderr
            ));
        }
        if run.stderr.contains("panicked") {
            failures.push(format!("{name}: panicked\n{}", run.stderr));
        }
        let got = headlines(&run.stderr).replace(&site.display().to_string(), "<site>");
        let expected_path = case.join("expected.txt");
        match fs::read_to_string(&expected_path) {
            Ok(expected) if expected.trim_end() == got.trim_end() => {}
            Ok(expected) => failures.push(format!("{name}: diagnostics differ\n--- expected\n{expected}\n--- got\n{got}\n--- full stderr\n{}", run.stderr)),
            Err(_) if std::env::var_os("KLYNGE_BLESS").is_some() => fs::write(&expected_path, format!("{got}\n")).unwrap(),
            Err(_) => failures.push(format!("{name}: no expected.txt; got\n{got}")),
        }
        if snapshot(&public) != before {
            failures.push(format!("{name}: the previous output changed"));
        }
        let leftovers: Vec<_> = fs::read_dir(tmp.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        if leftovers.len() != 2 {
            failures.push(format!(
                "{name}: temporary folders left beside the output: {leftovers:?}"
            ));
        }
        // `check` reports the same problems and exits 1 too.
        let check = klynge(&["check"], &site);
        if check.code != Some(1) {
            failures.push(format!("{name}: check exit code {:?}", check.code));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn all_errors_of_a_run_are_reported_at_once() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    copy_dir(&fixtures().join("base"), &site);
    for case in [
        "unknown_field",
        "missing_cluster",
        "broken_anchor",
        "bad_country",
    ] {
        copy_dir(&fixtures().join("cases").join(case), &site);
    }
    let run = klynge(&["build"], &site);
    assert_eq!(run.code, Some(1));
    assert!(
        run.stderr.trim_end().ends_with("4 errors"),
        "{}",
        run.stderr
    );
    assert!(!site.join("public").exists());
}

#[test]
fn bom_and_crlf_files_are_accepted() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    copy_dir(&fixtures().join("base"), &site);
    let page = site.join("content/pages/about.en.md");
    let text = fs::read_to_string(&page).unwrap().replace('\n', "\r\n");
    fs::write(&page, format!("\u{feff}{text}")).unwrap();
    let run = klynge(&["build"], &site);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let html = fs::read_to_string(site.join("public/en/pages/about/index.html")).unwrap();
    assert!(html.contains("<h1>About</h1>"));
}

#[cfg(unix)]
#[test]
fn a_symlink_loop_is_an_error_not_a_hang() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    copy_dir(&fixtures().join("base"), &site);
    std::os::unix::fs::symlink("..", site.join("content/pages/loop")).unwrap();
    let run = klynge(&["build"], &site);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("content/pages/loop: error: symbolic link loop"),
        "{}",
        run.stderr
    );
}

#[test]
fn usage_errors_exit_2() {
    let tmp = tempfile::tempdir().unwrap();
    assert_eq!(
        klynge(&["build", "--no-such-flag"], tmp.path()).code,
        Some(2)
    );
    assert_eq!(klynge(&["frobnicate"], tmp.path()).code, Some(2));
}

#[test]
fn a_missing_ui_string_warns_and_fails_check_strict() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    copy_dir(&fixtures().join("base"), &site);
    // A site-level UI string file for nb that lacks nothing but adds a key
    // the theme's nb file does not have: nb falls back to en for it.
    fs::create_dir_all(site.join("i18n")).unwrap();
    fs::write(
        site.join("i18n/en.toml"),
        "cluster_motto = \"Health by the sea\"\n",
    )
    .unwrap();
    let build = klynge(&["build"], &site);
    assert_eq!(build.code, Some(0), "{}", build.stderr);
    assert!(
        build.stderr.contains(
            "warning: UI string `cluster_motto` is missing for language `nb`; using `en`"
        ),
        "{}",
        build.stderr
    );
    assert_eq!(klynge(&["check"], &site).code, Some(0));
    assert_eq!(klynge(&["check", "--strict"], &site).code, Some(1));
}

#[test]
fn output_inside_the_sources_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    copy_dir(&fixtures().join("base"), &site);
    let before = snapshot(&site);
    for out in [".", "content", "content/x"] {
        let run = klynge(
            &["build", "--output", site.join(out).to_str().unwrap()],
            &site,
        );
        assert_eq!(run.code, Some(1), "{out}: {}", run.stderr);
    }
    assert_eq!(snapshot(&site), before);
}
