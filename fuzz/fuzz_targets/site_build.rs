//! The whole build, from a content tree to an output folder, on trees the
//! fuzzer makes: any file names, front matter of every field with any
//! values, raw TOML, any Markdown. A build may fail, but never panic, never
//! write outside its output folder, and never leave a staging folder; a
//! build that succeeds gives the same bytes when run again.

#![no_main]

use arbitrary::Arbitrary;
use klynge::build::{BuildArgs, build};
use klynge::diagnostic::Diagnostics;
use libfuzzer_sys::fuzz_target;
use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

const SITE: &str = r#"title = "Fuzz"
base_url = "https://example.org/sub"
default_language = "en"
fallback = ["en"]

[languages.en]
name = "English"

[languages.nb]
name = "Norsk"

[news]
per_page = 2
"#;

const LOCATIONS: &str = r#"[[location]]
slug = "parnu"
name = "Pärnu"
country = "EE"
"#;

const FOLDERS: [&str; 6] = ["clusters", "spas", "news", "pages", "", "other"];
const LANGS: [&str; 3] = ["", ".nb", ".xx"];

#[derive(Arbitrary, Debug)]
struct Tree {
    files: Vec<File>,
    /// Added to `content/locations.toml`.
    locations: Option<String>,
    raw_html: bool,
}

#[derive(Arbitrary, Debug)]
struct File {
    folder: u8,
    stem: String,
    lang: u8,
    toml_file: bool,
    fields: Vec<Field>,
    body: String,
}

#[derive(Arbitrary, Debug)]
enum Field {
    Title(String),
    Slug(String),
    Description(String),
    Aliases(Vec<String>),
    Cluster(String),
    Location(String),
    Locations(Vec<String>),
    Country(String),
    Date(String),
    Founded(i64),
    Website(String),
    Weight(i64),
    Draft(bool),
    TranslationKey(String),
    /// Written as it is: anything TOML can choke on.
    Raw(String),
}

impl Field {
    fn toml(&self) -> String {
        let s = |v: &str| toml::Value::String(v.to_string()).to_string();
        let list = |v: &[String]| {
            toml::Value::Array(v.iter().map(|x| toml::Value::String(x.clone())).collect())
                .to_string()
        };
        match self {
            Field::Title(v) => format!("title = {}", s(v)),
            Field::Slug(v) => format!("slug = {}", s(v)),
            Field::Description(v) => format!("description = {}", s(v)),
            Field::Aliases(v) => format!("aliases = {}", list(v)),
            Field::Cluster(v) => format!("cluster = {}", s(v)),
            Field::Location(v) => format!("location = {}", s(v)),
            Field::Locations(v) => format!("locations = {}", list(v)),
            Field::Country(v) => format!("country = {}", s(v)),
            // A date as TOML writes it when it is one, else a string.
            Field::Date(v) if v.parse::<toml::value::Datetime>().is_ok() => format!("date = {v}"),
            Field::Date(v) => format!("date = {}", s(v)),
            Field::Founded(v) => format!("founded = {v}"),
            Field::Website(v) => format!("website = {}", s(v)),
            Field::Weight(v) => format!("weight = {v}"),
            Field::Draft(v) => format!("draft = {v}"),
            Field::TranslationKey(v) => format!("translation_key = {}", s(v)),
            Field::Raw(v) => v.clone(),
        }
    }
}

/// A file name the file system takes: no separators or NUL, not empty.
fn name(stem: &str) -> String {
    let clean: String = stem
        .chars()
        .filter(|c| !matches!(c, '/' | '\\' | '\0'))
        .take(40)
        .collect();
    if clean.is_empty() || clean == "." || clean == ".." {
        "x".into()
    } else {
        clean
    }
}

fn write_tree(root: &Path, tree: &Tree) {
    let mut site = SITE.to_string();
    if tree.raw_html {
        site.push_str("\n[markdown]\nraw_html = true\n");
    }
    fs::write(root.join("site.toml"), site).unwrap();
    let content = root.join("content");
    fs::create_dir_all(&content).unwrap();
    let mut locations = LOCATIONS.to_string();
    if let Some(extra) = &tree.locations {
        locations.push_str(extra);
    }
    fs::write(content.join("locations.toml"), locations).unwrap();
    for f in tree.files.iter().take(24) {
        let folder = FOLDERS[f.folder as usize % FOLDERS.len()];
        let lang = LANGS[f.lang as usize % LANGS.len()];
        let ext = if f.toml_file { "toml" } else { "md" };
        let dir = content.join(folder);
        let _ = fs::create_dir_all(&dir);
        let front: Vec<String> = f.fields.iter().map(Field::toml).collect();
        let text = if f.toml_file {
            front.join("\n")
        } else {
            format!("+++\n{}\n+++\n{}", front.join("\n"), f.body)
        };
        let _ = fs::write(dir.join(format!("{}{lang}.{ext}", name(&f.stem))), text);
    }
}

fn tree_of(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap().display().to_string();
            (rel, fs::read(e.path()).unwrap())
        })
        .collect()
}

fuzz_target!(|tree: Tree| {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    fs::create_dir_all(&root).unwrap();
    write_tree(&root, &tree);
    let out = tmp.path().join("out").join("public");
    fs::create_dir_all(tmp.path().join("out")).unwrap();
    let args = BuildArgs {
        root: root.clone(),
        output: Some(out.clone()),
        ..BuildArgs::default()
    };
    let first = build(&args, &Diagnostics::new());
    // Nothing but the output folder beside it: no staging folder left.
    let beside: Vec<_> = fs::read_dir(tmp.path().join("out"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert!(beside.iter().all(|n| n == "public"), "left beside the output: {beside:?}");
    if first.is_some() {
        let once = tree_of(&out);
        assert!(build(&args, &Diagnostics::new()).is_some(), "a second build failed");
        assert!(once == tree_of(&out), "a second build wrote other bytes");
    }
});
