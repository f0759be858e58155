//! Walks `content/` and turns each file into a [`ContentFile`]: kind from the
//! folder, language from the name, typed front matter, and the byte offset
//! where the Markdown body starts so later errors can name a line.

use super::Kind;
use super::frontmatter::*;
use super::locations::{self, FailedLocations, LocationRecord};
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

    /// The TOML part of the file (the front matter, or the whole of a
    /// `.toml` file) and its offset in `text`.
    fn toml_part(&self) -> (&str, usize) {
        if self.path.extension().is_some_and(|e| e == "toml") {
            return (&self.text, 0);
        }
        match split_front_matter(&self.text) {
            Ok((front, offset, _)) => (front, offset),
            Err(_) => (&self.text, 0),
        }
    }

    /// An error at the front-matter key `key`, else on line 1.
    pub fn error_at_key(&self, key: &str, message: impl Into<String>) -> Diagnostic {
        let (toml, base) = self.toml_part();
        let offset = crate::config::find_key(toml, key).map_or(0, |at| base + at);
        self.error_at(offset, message)
    }

    /// An error at the value of front-matter `key` as written (a date,
    /// a number), else at the key.
    pub fn error_at_written(&self, key: &str, message: impl Into<String>) -> Diagnostic {
        let (toml, base) = self.toml_part();
        match crate::spans::value_span(toml, key) {
            Some(span) => {
                let lead = toml[span.clone()].len() - toml[span.clone()].trim_start().len();
                self.error_at(base + span.start + lead, message)
            }
            None => self.error_at_key(key, message),
        }
    }

    /// An error at the value of `key` in the `index`-th table of the array
    /// of tables `array` (`[[programmes]]`), else at `array`.
    pub fn error_in_array(
        &self,
        array: &str,
        index: usize,
        key: &str,
        message: impl Into<String>,
    ) -> Diagnostic {
        let (toml, base) = self.toml_part();
        match crate::spans::in_array_of_tables(toml, array, index, key) {
            Some((_, value)) => self.error_at(base + value.start, message),
            None => self.error_at_key(array, message),
        }
    }

    /// The value of front-matter `key` as written (`"spa-hotel"`).
    pub fn written_value(&self, key: &str) -> Option<&str> {
        let (toml, _) = self.toml_part();
        crate::spans::value_span(toml, key).map(|span| toml[span].trim())
    }

    /// An error at the place `value` is written as a string for `key` (the
    /// value, or the element of a list); else at the key.
    pub fn error_at_value(&self, key: &str, value: &str, message: impl Into<String>) -> Diagnostic {
        let (toml, base) = self.toml_part();
        match crate::spans::value_offset(toml, key, value) {
            Some(at) => self.error_at(base + at, message),
            None => self.error_at_key(key, message),
        }
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
    /// Front-matter fields that were reported as wrong and left out: the
    /// file is loaded without them, so that its other fields (references
    /// to clusters and locations, say) are checked in the same run.
    pub bad_fields: Vec<String>,
}

impl ContentFile {
    /// Whether `field` may be missing only because it was written wrong:
    /// a bad field has its name, or one a typo away (`titel`).
    pub fn field_written_wrong(&self, field: &str) -> bool {
        self.bad_fields
            .iter()
            .any(|b| b == field || crate::slug::closest(b, &[field]).is_some())
    }

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
    /// What failed to load, so that references to it are not reported
    /// again as missing: each failure's own error is the one to fix.
    pub failed: Failed,
}

/// The items and locations of files that failed to load.
#[derive(Debug, Default, Clone)]
pub struct Failed {
    /// Kind and key (`spas`, `laine`) of every content file that failed.
    pub keys: std::collections::HashSet<(Kind, String)>,
    pub locations: FailedLocations,
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
    /// For a content file that failed to load: its kind and key.
    failed_key: Option<(Kind, String)>,
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
                    ..
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
                Some(Loaded::Locations(source, records, failed)) => {
                    out.locations = records.clone();
                    out.locations_source = Some(source.clone());
                    out.failed.locations = failed.clone();
                }
                None => {
                    if let Some(key) = &entry.failed_key {
                        out.failed.keys.insert(key.clone());
                    }
                }
                Some(Loaded::Treatments(records)) => {
                    out.treatments = records.clone();
                }
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
    let failed_key = match loaded {
        None if diags.has_errors() => key_of_path(content_dir, path),
        _ => None,
    };
    Entry {
        loaded,
        diags: diags.sorted(),
        failed_key,
    }
}

/// The kind and key a content path would have (`spas/a/laine.nb.md` →
/// spa `a/laine`), read from the path alone.
fn key_of_path(content_dir: &Path, path: &Path) -> Option<(Kind, String)> {
    let names = utf8_names(path.strip_prefix(content_dir).ok()?)?;
    let (file_name, folders) = names.split_last()?;
    let (first, rest) = folders.split_first()?;
    let kind = Kind::from_folder(first)?;
    let base = file_name
        .strip_suffix(".md")
        .or_else(|| file_name.strip_suffix(".toml"))?;
    let stem = base.rsplit_once('.').map_or(base, |(stem, _)| stem);
    let mut parts = rest.to_vec();
    parts.push(stem);
    Some((kind, parts.join("/")))
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
    Locations(Arc<SourceFile>, Vec<LocationRecord>, FailedLocations),
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
        let (records, failed) = locations::parse_with_failures(&source, diags);
        return Some(Loaded::Locations(source, records, failed));
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
    let (front, body_offset, bad_fields) = parse_file(&source, place.kind, place.is_toml, diags)?;
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
        bad_fields,
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
    } else if crate::photos::is_photo_name(file_name) {
        // A photo beside its item, read when a page shows it.
        return None;
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
                    "content file outside clusters/, spas/, news/, pages/ and events/; ignored",
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
                        "unknown content folder `{first}` (expected clusters, spas, news, pages or events); ignored"
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

/// The typed front matter of `source`, where its body starts, and the
/// fields left out because they were wrong (each reported).
fn parse_file(
    source: &SourceFile,
    kind: Kind,
    is_toml: bool,
    diags: &Diagnostics,
) -> Option<(FrontMatter, usize, Vec<String>)> {
    let (front_text, front_offset, body_offset) = if is_toml {
        (source.text.as_str(), 0, source.text.len())
    } else {
        match split_front_matter(&source.text) {
            Ok(split) => split,
            Err((offset, msg)) => {
                let hint = if msg.contains("`---`") {
                    "change both `---` lines to `+++`, and write each field the TOML way: `title = \"About us\"`, not `title: About us`"
                } else {
                    "a content file starts with a line `+++`, then TOML front matter, then a closing `+++` line"
                };
                diags.push(source.error_at(offset, msg).with_hint(hint));
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
        Ok(f) => Some((f, body_offset, Vec::new())),
        Err(e) => {
            for d in front_matter_errors(source, kind, front_text, front_offset, &e) {
                diags.push(d);
            }
            let (front, bad) = partial_front(kind, front_text)?;
            Some((front, body_offset, bad))
        }
    }
}

/// The front matter without its wrong fields, and their names; `None`
/// when the TOML itself does not parse (what it holds is then unsure).
fn partial_front(kind: Kind, front_text: &str) -> Option<(FrontMatter, Vec<String>)> {
    let doc = toml::de::DeTable::parse(front_text).ok()?;
    let span = doc.span();
    let mut good = toml::de::DeTable::new();
    let mut bad = Vec::new();
    for (key, value) in doc.get_ref().iter() {
        if check_one(kind, key, value).is_ok() {
            good.insert(key.clone(), value.clone());
        } else {
            bad.push(key.get_ref().to_string());
        }
    }
    let de = toml::de::Deserializer::from(toml::Spanned::new(span, good));
    fn p<'i, T: serde::Deserialize<'i>>(de: toml::de::Deserializer<'i>) -> Option<T> {
        T::deserialize(de).ok()
    }
    let front = match kind {
        Kind::Cluster => FrontMatter::Cluster(p(de)?),
        Kind::Spa => FrontMatter::Spa(p(de)?),
        Kind::News => FrontMatter::News(p(de)?),
        Kind::Page => FrontMatter::Page(p(de)?),
        Kind::Event => FrontMatter::Event(p(de)?),
        Kind::Home => FrontMatter::Home(p(de)?),
    };
    Some((front, bad))
}

/// The diagnostics for a front matter that does not parse. serde stops at
/// the first problem; here the front matter is read again with toml's
/// recovering parser, every syntax error is reported, and each top-level
/// key is checked alone (a one-key table deserialized into the kind's
/// struct, whose fields are all optional), so an editor sees every bad
/// field, each at its own place, in one run. Nothing here lists fields:
/// a field added to a struct is checked like the others.
fn front_matter_errors(
    source: &SourceFile,
    kind: Kind,
    front_text: &str,
    front_offset: usize,
    e: &toml::de::Error,
) -> Vec<Diagnostic> {
    let (doc, syntax) = toml::de::DeTable::parse_recoverable(front_text);
    let mut out: Vec<Diagnostic> = syntax
        .iter()
        .map(|err| syntax_error(source, front_text, front_offset, err))
        .collect();
    let bad_lines: Vec<usize> = syntax
        .iter()
        .filter_map(|err| err.span())
        .map(|s| line_of(front_text, s.start))
        .collect();
    for (key, value) in doc.get_ref().iter() {
        if bad_lines.contains(&line_of(front_text, key.span().start))
            || bad_lines.contains(&line_of(front_text, value.span().start))
        {
            continue;
        }
        let Err(err) = check_one(kind, key, value) else {
            continue;
        };
        out.push(field_error(
            source,
            kind,
            front_text,
            front_offset,
            key,
            value,
            &err,
        ));
    }
    if out.is_empty() {
        let offset = front_offset + e.span().map_or(0, |s| s.start);
        out.push(source.error_at(offset, tidy_toml_message(e.message())));
    }
    out
}

fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count()
}

type DeKey<'i> = toml::Spanned<toml::de::DeString<'i>>;
type DeVal<'i> = toml::Spanned<toml::de::DeValue<'i>>;

/// Deserializes the one-key table `key = value` into `kind`'s struct.
fn check_one(kind: Kind, key: &DeKey<'_>, value: &DeVal<'_>) -> Result<(), toml::de::Error> {
    fn p<'i, T: serde::Deserialize<'i>>(
        de: toml::de::Deserializer<'i>,
    ) -> Result<(), toml::de::Error> {
        T::deserialize(de).map(|_| ())
    }
    let mut one = toml::de::DeTable::new();
    one.insert(key.clone(), value.clone());
    let de =
        toml::de::Deserializer::from(toml::Spanned::new(key.span().start..value.span().end, one));
    match kind {
        Kind::Cluster => p::<ClusterFront>(de),
        Kind::Spa => p::<SpaFront>(de),
        Kind::News => p::<NewsFront>(de),
        Kind::Event => p::<EventFront>(de),
        Kind::Page | Kind::Home => p::<PageFront>(de),
    }
}

/// Whether `key = value_text` is a valid line of `kind`'s front matter.
fn would_parse(kind: Kind, key: &str, value_text: &str) -> bool {
    let line = format!("{} = {value_text}\n", toml_key(key));
    match toml::de::DeTable::parse(&line) {
        Ok(doc) => doc
            .get_ref()
            .iter()
            .all(|(k, v)| check_one(kind, k, v).is_ok()),
        Err(_) => false,
    }
}

/// `key` as written in TOML: bare when it can be.
fn toml_key(key: &str) -> String {
    if !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        key.to_string()
    } else {
        format!("{key:?}")
    }
}

/// What a TOML value is, in an editor's words.
fn describe(value: &toml::de::DeValue<'_>) -> &'static str {
    use toml::de::DeValue as V;
    match value {
        V::String(_) => "a text in quotes",
        V::Integer(_) => "a number",
        V::Float(_) => "a decimal number",
        V::Boolean(_) => "`true` or `false`",
        V::Datetime(_) => "a date",
        V::Array(_) => "a list",
        V::Table(_) => "a table",
    }
}

/// What serde's "expected …" asks for, in an editor's words.
fn describe_expected(message: &str) -> Option<&'static str> {
    let (_, expected) = message.rsplit_once(", expected ")?;
    Some(match expected.trim() {
        "a string" => "a text in quotes",
        "a sequence" => "a list",
        "a TOML datetime" => "a date (written like `2024-03-14`, without quotes)",
        "a boolean" => "`true` or `false`",
        e if e.starts_with('i') || e.starts_with('u') || e.contains("integer") => "a whole number",
        e if e.starts_with('f') => "a number",
        e if e.starts_with("struct") || e.contains("map") => "a table",
        _ => return None,
    })
}

/// The error for one front-matter field that does not fit its kind.
fn field_error(
    source: &SourceFile,
    kind: Kind,
    front_text: &str,
    front_offset: usize,
    key: &DeKey<'_>,
    value: &DeVal<'_>,
    err: &toml::de::Error,
) -> Diagnostic {
    let name = key.get_ref().as_ref();
    let message = tidy_toml_message(err.message());
    let span = err.span().unwrap_or(key.span());
    if let Some(expected) = unknown_field_expected(&message) {
        let hint = match crate::slug::closest(name, &expected) {
            Some(near) => {
                format!("did you mean `{near}`? docs/content.md lists the fields of each kind")
            }
            None => "check the spelling; docs/content.md lists the fields of each kind".into(),
        };
        // A nested table's unknown field is at its own place; a top-level one at its key.
        let at = if span.start == key.span().start || err.span().is_none() {
            key.span().start
        } else {
            span.start
        };
        return source.error_at(front_offset + at, message).with_hint(hint);
    }
    let raw = &front_text[value.span()];
    let at = front_offset + span.start;
    // A value that would be right written another way: say how.
    let mut fixes: Vec<(String, &str)> = Vec::new();
    if let toml::de::DeValue::String(s) = value.get_ref() {
        fixes.push((s.trim().to_string(), "remove the quotes"));
        fixes.push((format!("[{raw}]"), "write a list"));
    } else if !matches!(value.get_ref(), toml::de::DeValue::Table(_)) {
        fixes.push((format!("{:?}", raw.trim()), "put it in quotes"));
        if !matches!(value.get_ref(), toml::de::DeValue::Array(_)) {
            fixes.push((format!("[{raw}]"), "write a list"));
        }
    }
    let fix = fixes
        .into_iter()
        .find(|(v, _)| would_parse(kind, name, v))
        .map(|(v, how)| format!("{how}: `{} = {v}`", toml_key(name)));
    if message.starts_with("invalid type:") {
        let text = match describe_expected(&message) {
            Some(expected) => format!("`{name}` is {expected}, not {}", describe(value.get_ref())),
            None => message,
        };
        let hint = fix.unwrap_or_else(|| match describe_expected(err.message()) {
            Some(e) if e.starts_with("a date") => {
                format!(
                    "write a date, year first, without quotes: `{} = 2024-03-14`",
                    toml_key(name)
                )
            }
            _ => format!(
                "docs/content.md says what `{name}` holds in a {}",
                kind.name()
            ),
        });
        source.error_at(at, text).with_hint(hint)
    } else if let Some(rest) = message.strip_prefix("unknown variant `") {
        // "unknown variant `spa`, expected one of `medical-spa`, …"
        let (written, expected) = rest.split_once('`').unwrap_or((rest, ""));
        let choices: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
        let near = crate::slug::closest(written, &choices).or_else(|| {
            // The one choice that contains what was written (`hotel`).
            let mut containing = choices
                .iter()
                .filter(|c| !written.is_empty() && c.contains(written));
            match (containing.next(), containing.next()) {
                (Some(c), None) => Some(*c),
                _ => None,
            }
        });
        let list = choices
            .iter()
            .map(|c| format!("`{c}`"))
            .collect::<Vec<_>>()
            .join(", ");
        let hint = match near {
            Some(near) => format!(
                "did you mean `{} = \"{near}\"`? the choices are: {list}",
                toml_key(name)
            ),
            None => format!("write one of these, in quotes: {list}"),
        };
        source
            .error_at(
                at,
                format!("`{name} = \"{written}\"` is not one of the choices"),
            )
            .with_hint(hint)
    } else {
        // A message of klynge's own (a custom deserializer's) says what to write.
        source.error_at(at, message)
    }
}

/// A TOML syntax error in the front matter, with the likely slips of an
/// editor (a date written the local way, typographic quotes, a word
/// without quotes) said in words and the line written right.
fn syntax_error(
    source: &SourceFile,
    front_text: &str,
    front_offset: usize,
    err: &toml::de::Error,
) -> Diagnostic {
    let span = err.span().unwrap_or(0..0);
    let message = tidy_toml_message(err.message());
    let line_start = front_text[..span.start.min(front_text.len())]
        .rfind('\n')
        .map_or(0, |i| i + 1);
    let line_end = front_text[line_start..]
        .find('\n')
        .map_or(front_text.len(), |i| line_start + i);
    let line = front_text[line_start..line_end].trim_end_matches('\r');
    let plain = |message: String| source.error_at(front_offset + span.start, message);
    let Some((key, value)) = line.split_once('=') else {
        return plain(message);
    };
    let (key, value) = (key.trim(), value.trim());
    let value_at = front_offset + line_start + line.find(value).unwrap_or(0);
    if let Some(iso) = local_date(value) {
        return source
            .error_at(value_at, format!("`{value}` is not a date klynge can read"))
            .with_hint(format!(
                "write the year first, then month and day, without quotes: `{key} = {iso}`"
            ));
    }
    const SMART: [char; 8] = ['“', '”', '„', '‘', '’', '‚', '«', '»'];
    if value.starts_with(SMART) || value.ends_with(SMART) {
        let inner = value.trim_matches(SMART);
        return source
            .error_at(
                value_at,
                format!("`{key}` is written with typographic quotes `{value}`"),
            )
            .with_hint(format!(
                "use straight quotes (the \" key): `{key} = \"{inner}\"`"
            ));
    }
    if message.starts_with("string values must be quoted") {
        return source
            .error_at(value_at, format!("the text of `{key}` must be in quotes"))
            .with_hint(format!("write `{key} = \"{value}\"`"));
    }
    plain(message)
}

/// `14.03.2024`, `14/03/2024` or `14-03-2024` as `2024-03-14`.
fn local_date(value: &str) -> Option<String> {
    let parts: Vec<&str> = value.split(['.', '/', '-']).collect();
    let [d, m, y] = parts.as_slice() else {
        return None;
    };
    let digits = |s: &str, n: std::ops::RangeInclusive<usize>| {
        n.contains(&s.len()) && s.chars().all(|c| c.is_ascii_digit())
    };
    if !(digits(d, 1..=2) && digits(m, 1..=2) && digits(y, 4..=4)) {
        return None;
    }
    Some(format!("{y}-{m:0>2}-{d:0>2}"))
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
    if text[..first_end].trim_end() == "---" {
        return Err((
            0,
            "klynge's front matter is TOML between `+++` lines, not `---` lines".into(),
        ));
    }
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
        Kind::Event => FrontMatter::Event(p(text)?),
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
