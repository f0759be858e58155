//! What `klynge build` does to the output folder: nothing lost, nothing
//! overwritten. It replaces only its own output (marked by
//! `.klynge-output`), an empty folder, or, with `--force`, any folder;
//! keeps what the user put there; cleans up after killed builds; and a
//! closed pipe on stdout or stderr is no panic.

use crate::support::{SiteTest, tree};
use std::fs;
use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn put(path: &Path, text: &str) {
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

/// The names beside the output folder (`<tmp>/out`).
fn beside(site: &SiteTest) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(site.out.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn build_refuses_a_folder_it_did_not_write_until_forced() {
    let site = SiteTest::fixture("basic");
    let thesis = site.out.clone();
    put(&thesis.join("thesis.tex"), "\\chapter{One}");
    put(&thesis.join("chapters/two.tex"), "\\chapter{Two}");
    put(&thesis.join(".git/HEAD"), "ref: refs/heads/main\n");
    let before = tree(&thesis);
    let out = thesis.to_str().unwrap();

    let run = site.klynge(&["build", "--output", out]);
    run.assert_exit(1);
    assert!(
        run.stderr
            .contains("error: output folder <tmp>/out/public was not written by klynge")
            && run.stderr.contains("`chapters`, `thesis.tex`")
            && run
                .stderr
                .contains("help: pass --force to replace it, or choose another --output"),
        "{run}"
    );
    assert_eq!(tree(&thesis), before, "the refused folder was changed");
    assert_eq!(beside(&site), ["public"], "temporary folders left");

    // `--output src` next to the site, say, is refused the same way.
    let src = site.tmp().join("src");
    put(&src.join("main.rs"), "fn main() {}");
    let run = site.klynge(&["build", "--output", src.to_str().unwrap()]);
    run.assert_exit(1);
    assert!(run.stderr.contains("`main.rs`"), "{run}");
    assert!(src.join("main.rs").is_file());

    // --force replaces it, keeping the checkout a static host needs.
    site.klynge(&["build", "--output", out, "--force"])
        .assert_exit(0);
    assert!(!thesis.join("thesis.tex").exists() && !thesis.join("chapters").exists());
    assert_eq!(
        fs::read_to_string(thesis.join(".git/HEAD")).unwrap(),
        "ref: refs/heads/main\n"
    );
    assert!(site.exists("/en/spas/kurbad/"));
    // From now on it is klynge's output: no --force needed.
    site.klynge(&["build", "--output", out]).assert_exit(0);
    assert_eq!(beside(&site), ["public"]);
}

#[test]
fn rebuilding_keeps_what_the_user_put_into_the_output() {
    let site = SiteTest::fixture("basic");
    let out = site.out.to_str().unwrap().to_string();
    site.klynge(&["build", "--output", &out]).assert_exit(0);
    let manifest = fs::read_to_string(site.out.join(".klynge-output")).unwrap();
    let listed: Vec<&str> = manifest.lines().skip(1).collect();
    let mut sorted = listed.clone();
    sorted.sort();
    assert_eq!(listed, sorted, "the manifest is sorted");
    let generated: Vec<String> = tree(&site.out)
        .into_keys()
        .filter(|k| k != ".klynge-output")
        .collect();
    assert_eq!(listed, generated, "the manifest lists every file written");

    put(&site.out.join(".git/HEAD"), "ref: refs/heads/gh-pages\n");
    put(&site.out.join("CNAME"), "health.example.org\n");
    put(&site.out.join(".nojekyll"), "");
    put(&site.out.join("downloads/brochure.pdf"), "%PDF");
    // A page klynge wrote and no longer writes goes away.
    put(
        &site.root.join("content/pages/extra.en.md"),
        "+++\ntitle = \"Extra\"\n+++\nText.\n",
    );
    site.klynge(&["build", "--output", &out]).assert_exit(0);
    assert!(
        site.exists("/en/pages/extra/"),
        "{:?}",
        tree(&site.out).keys()
    );
    fs::remove_file(site.root.join("content/pages/extra.en.md")).unwrap();
    site.klynge(&["build", "--output", &out]).assert_exit(0);
    assert!(!site.exists("/en/pages/extra/"));

    let files = tree(&site.out);
    assert_eq!(files[".git/HEAD"], b"ref: refs/heads/gh-pages\n");
    assert_eq!(files["CNAME"], b"health.example.org\n");
    assert_eq!(files[".nojekyll"], b"");
    assert_eq!(files["downloads/brochure.pdf"], b"%PDF");
    let manifest = String::from_utf8_lossy(&files[".klynge-output"]).into_owned();
    for kept in [".git/HEAD", "CNAME", ".nojekyll", "downloads/brochure.pdf"] {
        assert!(
            !manifest.lines().any(|l| l == kept),
            "{kept} listed as klynge's"
        );
    }
    assert_eq!(beside(&site), ["public"]);
}

#[test]
fn a_user_file_where_the_site_now_writes_is_an_error_naming_both() {
    let site = SiteTest::fixture("basic");
    site.build().assert_ok();
    put(&site.out.join("CNAME"), "mine.example.org\n");
    let before = tree(&site.out);
    site.write("static/CNAME", "theirs.example.org\n");
    let built = site.build();
    built.assert_err();
    assert!(
        built
            .headlines()
            .contains("error: <tmp>/out/public/CNAME was not written by klynge, and the site now writes CNAME too"),
        "{}",
        built.rendered()
    );
    assert_eq!(tree(&site.out), before, "the output was changed");
    assert_eq!(beside(&site), ["public"]);
}

#[test]
fn a_stale_staging_folder_of_a_killed_build_is_removed() {
    let site = SiteTest::fixture("basic");
    site.build().assert_ok();
    let parent = site.out.parent().unwrap();
    put(
        &parent.join(".public.klynge-new-999999/en/index.html"),
        "half",
    );
    put(&parent.join(".public.klynge-old-999999/index.html"), "old");
    let out = site.out.to_str().unwrap();
    site.klynge(&["build", "--output", out]).assert_exit(0);
    assert_eq!(beside(&site), ["public"]);
}

/// A site of `spas` spas built once, and the binary started on it again,
/// with `RAYON_NUM_THREADS=1` so it takes a while.
fn start_a_long_build(
    spas: usize,
) -> (
    SiteTest,
    std::collections::BTreeMap<String, Vec<u8>>,
    std::process::Child,
) {
    let site = SiteTest::empty();
    klynge_synth::generate(spas, klynge_synth::Target::Klynge, &site.root).unwrap();
    site.build().assert_ok();
    let before = tree(&site.out);
    let child = Command::new(env!("CARGO_BIN_EXE_klynge"))
        .args(["build", "--root"])
        .arg(&site.root)
        .arg("--output")
        .arg(&site.out)
        .env("RAYON_NUM_THREADS", "1")
        .env("NO_COLOR", "1")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    (site, before, child)
}

/// Waits for the build's `rendering N pages` line (it is writing into its
/// staging folder by then), sends `signal`, and returns the exit code.
fn interrupt(child: &mut std::process::Child, site: &SiteTest, signal: &str) -> Option<i32> {
    let mut stderr = child.stderr.take().unwrap();
    let mut seen = Vec::new();
    let mut byte = [0u8; 1];
    while !String::from_utf8_lossy(&seen).contains("rendering") {
        match stderr.read(&mut byte) {
            Ok(1) => seen.push(byte[0]),
            _ => panic!(
                "the build ended before rendering: {}",
                String::from_utf8_lossy(&seen)
            ),
        }
    }
    let staging = site
        .out
        .parent()
        .unwrap()
        .join(format!(".public.klynge-new-{}", child.id()));
    let start = Instant::now();
    while !staging.exists() && start.elapsed() < Duration::from_secs(10) {
        std::thread::sleep(Duration::from_millis(5));
    }
    assert!(staging.exists(), "no staging folder while rendering");
    let kill = Command::new("kill")
        .args([signal, &child.id().to_string()])
        .status()
        .unwrap();
    assert!(kill.success());
    let _ = stderr.read_to_end(&mut seen);
    let status = child.wait().unwrap();
    let text = String::from_utf8_lossy(&seen);
    assert!(!text.contains("panicked"), "{text}");
    status.code()
}

#[test]
#[cfg(unix)]
fn sigterm_and_ctrl_c_during_a_build_remove_its_staging_folder() {
    let (site, before, mut child) = start_a_long_build(600);
    let code = interrupt(&mut child, &site, "-TERM");
    assert_eq!(code, Some(143), "SIGTERM: exit 128 + 15");
    assert_eq!(beside(&site), ["public"], "staging folder left");
    assert!(tree(&site.out) == before, "the old output was changed");

    let mut child = Command::new(env!("CARGO_BIN_EXE_klynge"))
        .args(["build", "--root"])
        .arg(&site.root)
        .arg("--output")
        .arg(&site.out)
        .env("RAYON_NUM_THREADS", "1")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let code = interrupt(&mut child, &site, "-INT");
    assert_eq!(code, Some(130), "SIGINT: exit 128 + 2");
    assert_eq!(beside(&site), ["public"], "staging folder left");
    assert!(tree(&site.out) == before, "the old output was changed");
}

/// Runs the binary with stdout or stderr a pipe nobody reads any more.
fn with_closed(site: &SiteTest, args: &[&str], close_stdout: bool) -> (Option<i32>, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_klynge"))
        .args(args)
        .arg("--root")
        .arg(&site.root)
        .current_dir(site.tmp())
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let (closed, mut open): (Box<dyn Read>, Box<dyn Read>) = if close_stdout {
        (
            Box::new(child.stdout.take().unwrap()),
            Box::new(child.stderr.take().unwrap()),
        )
    } else {
        (
            Box::new(child.stderr.take().unwrap()),
            Box::new(child.stdout.take().unwrap()),
        )
    };
    drop(closed);
    let mut text = String::new();
    open.read_to_string(&mut text).unwrap();
    (child.wait().unwrap().code(), text)
}

#[test]
fn a_closed_pipe_is_no_panic() {
    let site = SiteTest::fixture("basic");
    // stdout closed: `klynge check | head -0`, the coverage table unread.
    let (code, stderr) = with_closed(&site, &["check"], true);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(code, Some(0), "{stderr}");
    let (code, stderr) = with_closed(&site, &["build"], true);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(code, Some(0), "{stderr}");

    // stderr closed with errors to report: the exit code stays 1.
    site.replace(
        "content/spas/kurbad.en.md",
        "kind = \"rehabilitation\"",
        "kind = \"rehabilitation\"\ntypo = 1",
    );
    let (code, stdout) = with_closed(&site, &["check"], false);
    assert_eq!(code, Some(1), "{stdout}");
    let (code, stdout) = with_closed(&site, &["build"], false);
    assert_eq!(code, Some(1), "{stdout}");
}

/// The modification time of `rel` under the output.
fn mtime(site: &SiteTest, rel: &str) -> std::time::SystemTime {
    fs::metadata(site.out.join(rel))
        .unwrap()
        .modified()
        .unwrap()
}

/// Sets the modification time of every file under `dir` to `time`.
fn age_files(dir: &Path, time: std::time::SystemTime) {
    for entry in walkdir::WalkDir::new(dir) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let file = fs::File::options().write(true).open(entry.path()).unwrap();
            file.set_modified(time).unwrap();
        }
    }
}

#[test]
fn a_rebuild_keeps_the_files_whose_bytes_did_not_change() {
    let site = SiteTest::fixture("basic");
    let first = site.build();
    let files = first.assert_ok().files;
    assert_eq!(
        first.assert_ok().changes.changed,
        files,
        "a first build writes every file"
    );
    let long_ago = std::time::UNIX_EPOCH + Duration::from_secs(1_000_000_000);
    age_files(&site.out, long_ago);

    // Unchanged site: no file gets new bytes or a new time.
    let again = site.build();
    let summary = again.assert_ok();
    assert_eq!((summary.changes.changed, summary.changes.removed), (0, 0));
    assert!(summary.line().contains("; 0 changed"), "{}", summary.line());
    for page in ["en/spas/kurbad/index.html", "nb/index.html", "sitemap.xml"] {
        assert_eq!(mtime(&site, page), long_ago, "{page} was rewritten");
    }

    // One edit: that spa's page changes, an unrelated page keeps its time,
    // and the output is the same as a fresh build's.
    site.replace(
        "content/spas/kurbad.en.md",
        "A rehabilitation centre in Ålesund.",
        "A rehabilitation centre by the sea in Ålesund.",
    );
    let edited = site.build();
    let summary = edited.assert_ok();
    assert!(
        summary.changes.changed > 0 && summary.changes.changed < files / 2,
        "{}",
        summary.line()
    );
    assert_ne!(mtime(&site, "en/spas/kurbad/index.html"), long_ago);
    assert_eq!(mtime(&site, "nb/news/opening/index.html"), long_ago);
    let fresh = SiteTest::fixture("basic");
    fresh.write(
        "content/spas/kurbad.en.md",
        site.read("content/spas/kurbad.en.md"),
    );
    fresh.build().assert_ok();
    assert_eq!(
        site.tree(),
        fresh.tree(),
        "kept files differ from a fresh build"
    );

    // A removed page is counted as removed.
    site.remove("content/news/opening.nb.md");
    let removed = site.build();
    let summary = removed.assert_ok();
    assert!(summary.changes.removed >= 1, "{}", summary.line());
    assert!(summary.line().contains("removed"), "{}", summary.line());
    assert!(!site.out.join("nb/news/opening/index.html").exists());
}
