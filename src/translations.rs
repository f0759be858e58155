//! Translators' round trip. A translation (`spas/laine.de.md` beside the
//! default language's `spas/laine.md`) records in `source_hash` which
//! version of its source it was made from: a hash of the source's
//! translated texts (the fields `schema` marks as text, and the body).
//! When the source changes, the translation is stale; `klynge check` says
//! so, `klynge translations export --lang de` writes what is missing or
//! stale in German as XLIFF 2.0 (or CSV), and `klynge translations import`
//! writes the translated texts back with the source's hash.

mod xliff;

use crate::config::Config;
use crate::content::{self, ContentFile, Kind};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::schema;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub use xliff::{import, parse_xliff};

/// The front-matter field a translation's source version is written in.
pub const HASH_FIELD: &str = "source_hash";

/// The unit of a file's Markdown body, beside one unit per text field.
pub const BODY: &str = "body";

/// A translated text of a file: its unit (a field name, or [`BODY`]), what
/// the field means, and the text, trimmed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text {
    pub unit: &'static str,
    pub meaning: String,
    pub text: String,
}

/// The front matter of a file as a TOML table (empty when it does not parse).
fn front_table(file: &ContentFile) -> toml::Table {
    let text = &file.source.text;
    let front = if file.source.path.extension().is_some_and(|e| e == "toml") {
        text.as_str()
    } else {
        match content::load::split_front_matter(text) {
            Ok((front, _, _)) => front,
            Err(_) => "",
        }
    };
    toml::from_str(front).unwrap_or_default()
}

/// The text fields of `kind`, from the schema, in front-matter order.
pub fn text_fields(kind: Kind) -> Vec<schema::Field> {
    schema::fields(kind)
        .into_iter()
        .filter(|f| f.is_text())
        .collect()
}

/// The units a file of `kind` may have.
pub fn unit_names(kind: Kind) -> Vec<&'static str> {
    let mut names: Vec<&str> = text_fields(kind).iter().map(|f| f.name).collect();
    names.push(BODY);
    names
}

fn meaning(field: &schema::Field) -> String {
    match field.hint {
        "" => field.label.to_string(),
        hint => format!("{}: {hint}", field.label),
    }
}

/// The translated texts `file` has, in unit order; empty texts left out.
pub fn texts(file: &ContentFile) -> Vec<Text> {
    let table = front_table(file);
    let mut out: Vec<Text> = text_fields(file.kind)
        .iter()
        .filter_map(|f| {
            let text = table.get(f.name)?.as_str()?.trim();
            (!text.is_empty()).then(|| Text {
                unit: f.name,
                meaning: meaning(f),
                text: text.to_string(),
            })
        })
        .collect();
    let body = file.body().trim();
    if !body.is_empty() {
        out.push(Text {
            unit: BODY,
            meaning: "The page's text, in Markdown".into(),
            text: body.to_string(),
        });
    }
    out
}

/// The version of a source: the first 16 hex digits of the SHA-256 of its
/// translated texts, each with its unit name. SHA-256 (already used for
/// the photo cache) is the same on every machine and every release, which
/// a hash of std's `Hasher` does not promise.
pub fn source_hash(file: &ContentFile) -> String {
    let mut h = Sha256::new();
    for t in texts(file) {
        h.update(t.unit.as_bytes());
        h.update([0]);
        h.update(t.text.as_bytes());
        h.update([0]);
    }
    h.finalize()
        .iter()
        .take(8)
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The `source_hash` a translation records, if any.
pub fn recorded_hash(file: &ContentFile) -> Option<String> {
    front_table(file)
        .get(HASH_FIELD)?
        .as_str()
        .map(str::to_string)
}

/// Where a translation stands against its source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum State {
    Missing,
    /// Made from another version of the source.
    Stale,
    /// No `source_hash`: made from an unknown version.
    Unknown,
    Current,
}

/// One content item: its default-language file and its translation in a
/// language, if there is one.
#[derive(Debug, Clone)]
pub struct Pair {
    pub source: Arc<ContentFile>,
    pub translation: Option<Arc<ContentFile>>,
}

impl Pair {
    pub fn state(&self) -> State {
        let Some(t) = &self.translation else {
            return State::Missing;
        };
        match recorded_hash(t) {
            None => State::Unknown,
            Some(h) if h == source_hash(&self.source) => State::Current,
            Some(_) => State::Stale,
        }
    }
}

/// Files joined as the site graph joins them: same kind and key, or the
/// same `translation_key`.
fn join_key(file: &ContentFile) -> (Kind, String) {
    let key = file
        .front
        .common()
        .translation_key
        .map_or_else(|| file.key.clone(), str::to_string);
    (file.kind, key)
}

/// Every item with a default-language file, with its translation in
/// `lang`, in kind and key order.
pub fn pairs<'f>(
    config: &Config,
    files: impl IntoIterator<Item = &'f Arc<ContentFile>>,
    lang: &str,
) -> Vec<Pair> {
    let mut groups: BTreeMap<(Kind, String), (Option<_>, Option<_>)> = BTreeMap::new();
    for f in files {
        let entry = groups.entry(join_key(f)).or_default();
        if f.lang == config.default_language {
            entry.0 = Some(Arc::clone(f));
        } else if f.lang.as_str() == lang {
            entry.1 = Some(Arc::clone(f));
        }
    }
    groups
        .into_values()
        .filter_map(|(source, translation)| {
            Some(Pair {
                source: source?,
                translation,
            })
        })
        .collect()
}

/// Per language: how many translations are stale and how many have no
/// `source_hash`; a warning at the `source_hash` line of each stale one.
pub fn stale_check(
    config: &Config,
    files: &[&Arc<ContentFile>],
    diags: &Diagnostics,
) -> Vec<(String, usize, usize)> {
    let mut out = Vec::new();
    for l in &config.languages {
        if l.code == config.default_language {
            out.push((l.code.to_string(), 0, 0));
            continue;
        }
        let (mut stale, mut unknown) = (0, 0);
        for p in pairs(config, files.iter().copied(), l.code.as_str()) {
            match (p.state(), &p.translation) {
                (State::Stale, Some(t)) => {
                    stale += 1;
                    diags.push(
                        t.source
                            .error_at_key(
                                HASH_FIELD,
                                format!(
                                    "stale translation: {} changed since this was translated from it",
                                    p.source.source.shown.display()
                                ),
                            )
                            .as_warning()
                            .with_hint(format!(
                                "export what changed with `klynge translations export --lang {}`, then import the translated file",
                                l.code
                            )),
                    );
                }
                (State::Unknown, _) => unknown += 1,
                _ => {}
            }
        }
        out.push((l.code.to_string(), stale, unknown));
    }
    out
}

/// The file a translation of `source` into `lang` is written to when there
/// is none: beside it, `laine.md` or `laine.en.md` → `laine.de.md`.
pub fn translation_path(config: &Config, source: &ContentFile, lang: &str) -> PathBuf {
    let path = &source.source.path;
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    let base = name
        .strip_suffix(".md")
        .or_else(|| name.strip_suffix(".toml"))
        .unwrap_or(name);
    let suffix = format!(".{}", config.default_language);
    let stem = base.strip_suffix(&suffix).unwrap_or(base);
    path.with_file_name(format!("{stem}.{lang}.md"))
}

/// The output format of `translations export`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Xliff,
    Csv,
}

/// What `translations export` found to translate.
pub struct Export {
    pub text: String,
    /// Items with a missing or stale translation.
    pub items: usize,
}

/// The site's config and content files, for export and import. Content
/// problems are `klynge check`'s to report; a file that fails to load is
/// left out.
fn load(root: &Path, diags: &Diagnostics) -> Option<(Config, Vec<Arc<ContentFile>>)> {
    let config = Config::load(root, &crate::config::Overrides::default(), diags)?;
    let loaded = content::load(&config, &Diagnostics::new());
    Some((config, loaded.files))
}

/// A language of the site other than the default, or an error saying which
/// there are.
fn target_lang(config: &Config, lang: &str) -> Result<(), String> {
    if config.has_language(lang) && lang != config.default_language.as_str() {
        return Ok(());
    }
    let others: Vec<&str> = config
        .languages
        .iter()
        .filter(|l| l.code != config.default_language)
        .map(|l| l.code.as_str())
        .collect();
    Err(format!(
        "translations are into the site's other languages: {}",
        others.join(", ")
    ))
}

/// The missing and stale translations into `lang`, as XLIFF or CSV.
pub fn export(root: &Path, lang: &str, format: Format, diags: &Diagnostics) -> Option<Export> {
    let (config, files) = load(root, diags)?;
    if let Err(hint) = target_lang(&config, lang) {
        diags.push(
            Diagnostic::error(format!("`{lang}` is not a language to translate into"))
                .with_hint(hint),
        );
        return None;
    }
    let todo: Vec<Pair> = pairs(&config, &files, lang)
        .into_iter()
        .filter(|p| matches!(p.state(), State::Missing | State::Stale))
        .filter(|p| !texts(&p.source).is_empty())
        .collect();
    let text = match format {
        Format::Xliff => xliff::write(&config, lang, &todo),
        Format::Csv => write_csv(&todo),
    };
    match text {
        Ok(text) => Some(Export {
            text,
            items: todo.len(),
        }),
        Err(e) => {
            diags.push(Diagnostic::error(format!("cannot write the export: {e}")));
            None
        }
    }
}

/// One row per unit: file, unit, meaning, source, and the translation there
/// is when it is stale.
fn write_csv(todo: &[Pair]) -> Result<String, String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let row = |w: &mut csv::Writer<Vec<u8>>, r: [&str; 5]| w.write_record(r);
    row(&mut w, ["file", "unit", "meaning", "source", "target"]).map_err(|e| e.to_string())?;
    for p in todo {
        let old = p.translation.as_deref().map(texts).unwrap_or_default();
        let shown = p.source.source.shown.to_string_lossy();
        for t in texts(&p.source) {
            let target = old
                .iter()
                .find(|o| o.unit == t.unit)
                .map(|o| o.text.as_str());
            row(
                &mut w,
                [&shown, t.unit, &t.meaning, &t.text, target.unwrap_or("")],
            )
            .map_err(|e| e.to_string())?;
        }
    }
    let bytes = w.into_inner().map_err(|e| e.to_string())?;
    String::from_utf8(bytes).map_err(|e| e.to_string())
}
