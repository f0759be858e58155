//! Walks `content/` and turns each file into a [`ContentFile`]: kind from the
//! folder, language from the name, typed front matter, and the byte offset
//! where the Markdown body starts so later errors can name a line.

use super::Kind;
use super::frontmatter::*;
use super::locations::{self, LocationRecord};
use super::treatments::{self, Treatments};
use crate::config::{Config, Lang};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::fsutil;
use rayon::prelude::*;
use serde::de::DeserializeOwned;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// A file's text, kept so that any stage can point into it.
#[derive(Debug)]
pub struct SourceFile {
    pub path: PathBuf,
    /// The path shown in messages: relative to the site root.
    pub shown: PathBuf,
    pub text: String,
}

impl SourceFile {
    pub fn error_at(&self, offset: usize, message: impl Into<String>) -> Diagnostic {
        Diagnostic::error(message)
            .in_file(&self.shown)
            .at(&self.text, offset)
    }

    /// An error on the line that sets front-matter `key`, else on line 1.
    pub fn error_at_key(&self, key: &str, message: impl Into<String>) -> Diagnostic {
        let offset = crate::config::find_key(&self.text, key).unwrap_or(0);
        self.error_at(offset, message)
    }

    /// An error at the first place `value` is written as a quoted string
    /// after `key`, for a reference inside a list; else at the key.
    pub fn error_at_value(&self, key: &str, value: &str, message: impl Into<String>) -> Diagnostic {
        let key_at = crate::config::find_key(&self.text, key).unwrap_or(0);
        let quoted = format!("\"{value}\"");
        let offset = self.text[key_at..]
            .find(&quoted)
            .map(|i| key_at + i + 1)
            .unwrap_or(key_at);
        self.error_at(offset, message)
    }
}

#[derive(Debug, Clone)]
pub struct ContentFile {
    pub source: Arc<SourceFile>,
    pub kind: Kind,
    /// The path under the kind's folder without language and extension
    /// (`laine` for `spas/laine.nb.md`): translations share it.
    pub key: String,
    /// The last part of `key`: the default slug.
    pub stem: String,
    pub lang: Lang,
    pub front: FrontMatter,
    /// Where the Markdown body starts in `source.text`.
    pub body_offset: usize,
    /// Another file of the same kind and key failed to load (set by `load`).
    pub sibling_failed: bool,
}

impl ContentFile {
    pub fn body(&self) -> &str {
        &self.source.text[self.body_offset..]
    }
}

#[derive(Debug, Default)]
pub struct LoadedContent {
    pub files: Vec<Arc<ContentFile>>,
    pub locations: Vec<LocationRecord>,
    pub locations_source: Option<Arc<SourceFile>>,
    /// `content/treatments.toml`, checked.
    pub treatments: Treatments,
}

/// Loads every file under `root/content`. Bad files become diagnostics and
/// are left out; the rest is returned.
pub fn load(config: &Config, diags: &Diagnostics) -> LoadedContent {
    ContentCache::fill(config).content(diags)
}

/// Every content file's load result with its diagnostics, by path. A full
/// build fills it once; `serve` keeps it and re-reads only the files that
/// changed, so an edit costs one file read, not a walk of the whole site.
#[derive(Clone, Default)]
pub struct ContentCache {
    entries: BTreeMap<PathBuf, Entry>,
    /// Problems of the walk itself (symlink loops, unreadable folders).
    walk_diags: Vec<Diagnostic>,
}

#[derive(Clone)]
struct Entry {
    loaded: Option<Loaded>,
    diags: Vec<Diagnostic>,
}

impl ContentCache {
    /// Walks `root/content` and loads every file, in parallel.
    pub fn fill(config: &Config) -> ContentCache {
        let content_dir = config.root.join("content");
        let mut cache = ContentCache::default();
        if !content_dir.is_dir() {
            cache
                .walk_diags
                .push(Diagnostic::error("there is no content/ folder").in_file("content"));
            return cache;
        }
        let paths = walk(config, &content_dir, &mut cache.walk_diags);
        let loaded: Vec<(PathBuf, Entry)> = paths
            .into_par_iter()
            .map(|p| {
                let entry = load_entry(config, &content_dir, &p);
                (p, entry)
            })
            .collect();
        cache.entries.extend(loaded);
        cache
    }

    /// Re-reads `changed` paths (files or folders, absolute): changed files
    /// are loaded again, deleted ones dropped, new folders walked. The walk
    /// of `content/` is done again, as a fresh build does it, whenever a
    /// changed path is not a plain file (a folder, a link, something gone)
    /// or the last walk had problems: walk errors (a symlink loop, a folder
    /// moved away, a file that vanished mid-walk) depend on the whole
    /// tree, so they are found anew, never kept from an earlier walk. A
    /// saved file, the usual edit, costs one read and no walk.
    pub fn update(&mut self, config: &Config, changed: &[PathBuf]) {
        let content_dir = config.root.join("content");
        let changed: Vec<&PathBuf> = changed
            .iter()
            .filter(|p| p.starts_with(&content_dir))
            .collect();
        let plain_file = |p: &Path| std::fs::symlink_metadata(p).is_ok_and(|m| m.is_file());
        if self.walk_diags.is_empty() && changed.iter().all(|p| plain_file(p)) {
            for path in changed {
                let entry = load_entry(config, &content_dir, path);
                self.entries.insert(path.clone(), entry);
            }
            return;
        }
        let mut walk_diags = Vec::new();
        let paths = if content_dir.is_dir() {
            walk(config, &content_dir, &mut walk_diags)
        } else {
            walk_diags.push(Diagnostic::error("there is no content/ folder").in_file("content"));
            Vec::new()
        };
        let mut old = std::mem::take(&mut self.entries);
        for p in paths {
            let kept = old
                .remove(&p)
                .filter(|_| !changed.iter().any(|c| p.starts_with(c)));
            let entry = kept.unwrap_or_else(|| load_entry(config, &content_dir, &p));
            self.entries.insert(p, entry);
        }
        self.walk_diags = walk_diags;
    }

    /// The files at `paths` as now loaded, if every one of them is a content
    /// file that loaded without any diagnostic (else `None`).
    pub fn clean_files(&self, paths: &[PathBuf]) -> Option<Vec<Arc<ContentFile>>> {
        let unique: std::collections::BTreeSet<&PathBuf> = paths.iter().collect();
        unique
            .into_iter()
            .map(|p| match self.entries.get(p) {
                Some(Entry {
                    loaded: Some(Loaded::File(f)),
                    diags,
                }) if diags.is_empty() => Some(Arc::clone(f)),
                _ => None,
            })
            .collect()
    }

    /// The loaded content, with every file's diagnostics pushed to `diags`.
    pub fn content(&self, diags: &Diagnostics) -> LoadedContent {
        for d in &self.walk_diags {
            diags.push(d.clone());
        }
        // Path stems (without language and extension) of the files that failed.
        let failed: std::collections::HashSet<PathBuf> = self
            .entries
            .iter()
            .filter(|(_, e)| e.loaded.is_none())
            .map(|(p, _)| stem_path(p))
            .collect();
        let mut out = LoadedContent::default();
        for (path, entry) in &self.entries {
            for d in &entry.diags {
                diags.push(d.clone());
            }
            match &entry.loaded {
                Some(Loaded::File(f)) => {
                    // Shared with the cache: a rebuild copies pointers, not files.
                    let mut f = Arc::clone(f);
                    if failed.contains(&stem_path(path)) {
                        Arc::make_mut(&mut f).sibling_failed = true;
                    }
                    out.files.push(f);
                }
                Some(Loaded::Locations(source, records)) => {
                    out.locations = records.clone();
                    out.locations_source = Some(source.clone());
                }
                Some(Loaded::Treatments(records)) => {
                    out.treatments = records.clone();
                }
                None => {}
            }
        }
        out
    }
}

/// Every content file under `dir`, sorted; walk problems go to `diags`.
fn walk(config: &Config, dir: &Path, diags: &mut Vec<Diagnostic>) -> Vec<PathBuf> {
    fsutil::walk_files(&config.root, dir, &mut |d| diags.push(d))
}

fn load_entry(config: &Config, content_dir: &Path, path: &Path) -> Entry {
    let diags = Diagnostics::new();
    let loaded = load_one(config, content_dir, path, &diags);
    Entry {
        loaded,
        diags: diags.sorted(),
    }
}

/// `spas/laine.nb.md` → `spas/laine`: what translations of one item share.
fn stem_path(p: &Path) -> PathBuf {
    let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
    let stem = name.split('.').next().unwrap_or(name);
    p.with_file_name(stem)
}

#[derive(Clone)]
enum Loaded {
    File(Arc<ContentFile>),
    Locations(Arc<SourceFile>, Vec<LocationRecord>),
    Treatments(Treatments),
}

/// Where a content file sits: what its path says about it.
struct Place<'p> {
    kind: Kind,
    /// Folders below the kind's folder.
    folders: Vec<&'p str>,
    stem: &'p str,
    lang: Lang,
    is_toml: bool,
}

fn load_one(
    config: &Config,
    content_dir: &Path,
    path: &Path,
    diags: &Diagnostics,
) -> Option<Loaded> {
    let rel = path.strip_prefix(content_dir).ok()?;
    let shown = crate::diagnostic::display_path(&config.root, path);
    // Editors' lock and backup files, hidden files: never content.
    if rel.iter().any(fsutil::is_ignored_name) {
        return None;
    }
    let Some(names) = utf8_names(rel) else {
        diags.push(fsutil::not_utf8_name(&shown));
        return None;
    };
    let read = || match fsutil::read_source(path, &shown, diags) {
        Ok(text) => Some(Arc::new(SourceFile {
            path: path.to_path_buf(),
            shown: shown.clone(),
            text,
        })),
        Err(d) => {
            diags.push(d);
            None
        }
    };
    if names == ["locations.toml"] {
        let source = read()?;
        let records = locations::parse(&source, diags);
        return Some(Loaded::Locations(source, records));
    }
    if names == ["treatments.toml"] {
        let source = read()?;
        return Some(Loaded::Treatments(treatments::parse(&source, diags)));
    }
    let place = place_of(config, &names, &shown, diags)?;
    let source = match place.lang_problem(config) {
        Some(d) => {
            let source = read()?;
            diags.push(d.in_file(&shown).at(&source.text, 0));
            return None;
        }
        None => read()?,
    };
    let (front, body_offset) = parse_file(&source, place.kind, place.is_toml, diags)?;
    let mut key_parts = place.folders;
    key_parts.push(place.stem);
    Some(Loaded::File(Arc::new(ContentFile {
        source,
        kind: place.kind,
        key: key_parts.join("/"),
        stem: place.stem.to_string(),
        lang: place.lang,
        front,
        body_offset,
        sibling_failed: false,
    })))
}

/// The parts of `rel` as text, or `None` if one is not UTF-8.
fn utf8_names(rel: &Path) -> Option<Vec<&str>> {
    rel.iter().map(|c| c.to_str()).collect()
}

/// The kind, key and language a content path gives, or a warning why the
/// file is not content (`None`).
fn place_of<'p>(
    config: &Config,
    names: &[&'p str],
    shown: &Path,
    diags: &Diagnostics,
) -> Option<Place<'p>> {
    let (file_name, folders) = names.split_last()?;
    let (base, is_toml) = if let Some(b) = file_name.strip_suffix(".md") {
        (b, false)
    } else if let Some(b) = file_name.strip_suffix(".toml") {
        (b, true)
    } else {
        diags
            .push(Diagnostic::warning("not a content file (.md or .toml); ignored").in_file(shown));
        return None;
    };
    let (kind, folders) = match folders.split_first() {
        None if base == "_index" || base.starts_with("_index.") => (Kind::Home, Vec::new()),
        None => {
            diags.push(
                Diagnostic::warning(
                    "content file outside clusters/, spas/, news/ and pages/; ignored",
                )
                .in_file(shown),
            );
            return None;
        }
        Some((first, rest)) => match Kind::from_folder(first) {
            Some(k) => (k, rest.to_vec()),
            None => {
                diags.push(
                    Diagnostic::warning(format!(
                        "unknown content folder `{first}` (expected clusters, spas, news or pages); ignored"
                    ))
                    .in_file(shown),
                );
                return None;
            }
        },
    };
    let (stem, lang) = match base.rsplit_once('.') {
        Some((stem, suffix)) => (stem, Lang(suffix.to_string())),
        None => (base, config.default_language.clone()),
    };
    if kind != Kind::Home
        && let Err(msg) = crate::slug::check_slug(stem)
    {
        diags.push(Diagnostic::error(format!("bad file name: {msg}")).in_file(shown));
        return None;
    }
    Some(Place {
        kind,
        folders,
        stem,
        lang,
        is_toml,
    })
}

impl Place<'_> {
    /// An error when the file name's language suffix is not a site language.
    fn lang_problem(&self, config: &Config) -> Option<Diagnostic> {
        if config.has_language(self.lang.as_str()) {
            return None;
        }
        let codes: Vec<&str> = config.languages.iter().map(|l| l.code.as_str()).collect();
        Some(
            Diagnostic::error(format!(
                "unknown language suffix `.{}` in the file name",
                self.lang
            ))
            .with_hint(format!("the site's languages are: {}", codes.join(", "))),
        )
    }
}

/// The typed front matter of `source` and where its body starts.
fn parse_file(
    source: &SourceFile,
    kind: Kind,
    is_toml: bool,
    diags: &Diagnostics,
) -> Option<(FrontMatter, usize)> {
    let (front_text, front_offset, body_offset) = if is_toml {
        (source.text.as_str(), 0, source.text.len())
    } else {
        match split_front_matter(&source.text) {
            Ok(split) => split,
            Err((offset, msg)) => {
                diags.push(source.error_at(offset, msg).with_hint(
                    "a content file starts with a line `+++`, then TOML front matter, then a closing `+++` line",
                ));
                return None;
            }
        }
    };
    if let Some((at, escape)) = crate::controls::escape_in_toml(front_text) {
        diags.push(crate::controls::escape_warning(
            &source.text,
            &source.shown,
            front_offset + at,
            escape,
        ));
    }
    match parse_front(kind, front_text) {
        Ok(f) => Some((f, body_offset)),
        Err(e) => {
            for d in front_matter_errors(source, front_text, front_offset, &e) {
                diags.push(d);
            }
            None
        }
    }
}

/// The diagnostics for a front matter that does not parse. serde stops at
/// the first unknown field; the others are found here by reading the
/// front matter as a plain table, so an editor fixes every typo in one go.
fn front_matter_errors(
    source: &SourceFile,
    front_text: &str,
    front_offset: usize,
    e: &toml::de::Error,
) -> Vec<Diagnostic> {
    let offset = front_offset + e.span().map_or(0, |s| s.start);
    let message = tidy_toml_message(e.message());
    let Some(expected) = unknown_field_expected(&message) else {
        return vec![source.error_at(offset, message)];
    };
    // An unknown field of a table inside the front matter (`[hours]`):
    // the other keys at the top are not the ones the message lists.
    let named = message
        .strip_prefix("unknown field `")
        .and_then(|m| m.split_once('`'))
        .map(|(k, _)| k);
    let mut unknown: Vec<(usize, String)> = match front_text.parse::<toml::Table>() {
        Ok(table) if named.is_some_and(|k| !table.contains_key(k)) => Vec::new(),
        Ok(table) => table
            .keys()
            .filter(|k| !expected.contains(&k.as_str()))
            .map(|k| {
                let at = crate::config::find_key(front_text, k).unwrap_or(0);
                (front_offset + at, k.clone())
            })
            .collect(),
        Err(_) => Vec::new(),
    };
    if unknown.is_empty() {
        return vec![source.error_at(offset, message)];
    }
    unknown.sort();
    let list = expected
        .iter()
        .map(|f| format!("`{f}`"))
        .collect::<Vec<_>>()
        .join(", ");
    unknown
        .into_iter()
        .map(|(at, key)| {
            let hint = match crate::slug::closest(&key, &expected) {
                Some(near) => {
                    format!("did you mean `{near}`? docs/content.md lists the fields of each kind")
                }
                None => "check the spelling; docs/content.md lists the fields of each kind".into(),
            };
            source
                .error_at(at, format!("unknown field `{key}`, expected one of {list}"))
                .with_hint(hint)
        })
        .collect()
}

/// The field names of serde's "unknown field `x`, expected one of `a`, `b`"
/// message.
fn unknown_field_expected(message: &str) -> Option<Vec<&str>> {
    let (_, list) = message
        .strip_prefix("unknown field `")?
        .split_once("expected ")?;
    let list = list.strip_prefix("one of ").unwrap_or(list);
    Some(
        list.split(", ")
            .map(|f| f.trim().trim_matches('`'))
            .filter(|f| !f.is_empty())
            .collect(),
    )
}

/// Splits `+++` front matter off. Returns the front matter, its offset and
/// the body's offset, or the offset and text of the problem.
pub fn split_front_matter(text: &str) -> Result<(&str, usize, usize), (usize, String)> {
    if text.trim().is_empty() {
        return Err((
            0,
            "the file is empty; expected front matter between `+++` lines".into(),
        ));
    }
    let first_end = text.find('\n').map_or(text.len(), |i| i + 1);
    if text[..first_end].trim_end() != "+++" {
        return Err((
            0,
            "expected `+++` on the first line to open the front matter".into(),
        ));
    }
    let mut offset = first_end;
    for line in text[first_end..].split_inclusive('\n') {
        if line.trim_end() == "+++" {
            return Ok((&text[first_end..offset], first_end, offset + line.len()));
        }
        offset += line.len();
    }
    Err((
        0,
        "the front matter is not closed: no second `+++` line".into(),
    ))
}

pub fn parse_front(kind: Kind, text: &str) -> Result<FrontMatter, toml::de::Error> {
    fn p<T: DeserializeOwned>(t: &str) -> Result<T, toml::de::Error> {
        toml::from_str(t)
    }
    Ok(match kind {
        Kind::Cluster => FrontMatter::Cluster(p(text)?),
        Kind::Spa => FrontMatter::Spa(p(text)?),
        Kind::News => FrontMatter::News(p(text)?),
        Kind::Page => FrontMatter::Page(p(text)?),
        Kind::Home => FrontMatter::Home(p(text)?),
    })
}

/// toml's messages sometimes end in a newline or repeat position info.
pub fn tidy_toml_message(msg: &str) -> String {
    msg.trim().replace('\n', "; ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_front_matter() {
        let t = "+++\ntitle = \"a\"\n+++\nbody\n";
        let (fm, fo, bo) = split_front_matter(t).unwrap();
        assert_eq!(fm, "title = \"a\"\n");
        assert_eq!(fo, 4);
        assert_eq!(&t[bo..], "body\n");
    }

    #[test]
    fn front_matter_problems() {
        assert!(split_front_matter("").unwrap_err().1.contains("empty"));
        assert!(
            split_front_matter("title = 1\n")
                .unwrap_err()
                .1
                .contains("first line")
        );
        assert!(
            split_front_matter("+++\ntitle = 1\n")
                .unwrap_err()
                .1
                .contains("not closed")
        );
        assert!(split_front_matter("+++\n+++").is_ok());
    }

    #[test]
    fn unknown_field_has_span_and_expected_list() {
        let e = parse_front(Kind::Spa, "title = \"x\"\ntitel = \"y\"\n").unwrap_err();
        assert!(
            e.message().contains("unknown field `titel`"),
            "{}",
            e.message()
        );
        assert_eq!(e.span().unwrap().start, 12);
    }
}
