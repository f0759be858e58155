//! XLIFF 2.0 (OASIS, `urn:oasis:names:tc:xliff:document:2.0`): one
//! `<file>` per content item, its source's path as `original` and the
//! source's hash in a note; one `<unit>` per text field and one for the
//! body, each with a note saying what the field is. Written and read with
//! quick-xml, so escaping and well-formedness are the XML library's.

use super::{BODY, HASH_FIELD, Pair, source_hash, texts, unit_names};
use crate::config::Config;
use crate::content::{self, Kind};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::exchange::Imported;
use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use std::io;
use std::path::{Path, PathBuf};

pub const NAMESPACE: &str = "urn:oasis:names:tc:xliff:document:2.0";

/// A source's path as `original` writes it: relative, with `/`.
fn original(pair: &Pair) -> String {
    pair.source
        .source
        .shown
        .iter()
        .map(|c| c.to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

pub(super) fn write(config: &Config, lang: &str, todo: &[Pair]) -> Result<String, String> {
    write_io(config, lang, todo).map_err(|e| e.to_string())
}

fn write_io(config: &Config, lang: &str, todo: &[Pair]) -> io::Result<String> {
    let mut w = Writer::new_with_indent(Vec::new(), b' ', 2);
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    let root = BytesStart::new("xliff").with_attributes([
        ("xmlns", NAMESPACE),
        ("version", "2.0"),
        ("srcLang", config.default_language.as_str()),
        ("trgLang", lang),
    ]);
    w.write_event(Event::Start(root))?;
    for (i, pair) in todo.iter().enumerate() {
        let id = format!("f{}", i + 1);
        let original = original(pair);
        w.create_element("file")
            .with_attributes([("id", id.as_str()), ("original", original.as_str())])
            .write_inner_content(|w| write_file(w, pair))?;
    }
    w.write_event(Event::End(BytesEnd::new("xliff")))?;
    let mut bytes = w.into_inner();
    bytes.push(b'\n');
    String::from_utf8(bytes).map_err(io::Error::other)
}

fn write_file(w: &mut Writer<Vec<u8>>, pair: &Pair) -> io::Result<()> {
    let hash = source_hash(&pair.source);
    w.create_element("notes").write_inner_content(|w| {
        w.create_element("note")
            .with_attribute(("category", HASH_FIELD))
            .write_text_content(BytesText::new(&hash))?;
        Ok(())
    })?;
    let old = pair.translation.as_deref().map(texts).unwrap_or_default();
    for t in texts(&pair.source) {
        let target = old.iter().find(|o| o.unit == t.unit);
        w.create_element("unit")
            .with_attribute(("id", t.unit))
            .write_inner_content(|w| {
                w.create_element("notes").write_inner_content(|w| {
                    w.create_element("note")
                        .with_attribute(("category", "meaning"))
                        .write_text_content(BytesText::new(&t.meaning))?;
                    Ok(())
                })?;
                w.create_element("segment")
                    .with_attribute(("state", "initial"))
                    .write_inner_content(|w| {
                        w.create_element("source")
                            .with_attribute(("xml:space", "preserve"))
                            .write_text_content(BytesText::new(&t.text))?;
                        if let Some(old) = target {
                            w.create_element("target")
                                .with_attribute(("xml:space", "preserve"))
                                .write_text_content(BytesText::new(&old.text))?;
                        }
                        Ok(())
                    })?;
                Ok(())
            })?;
    }
    Ok(())
}

// -------------------------------------------------------------- reading --

/// An XLIFF document as import needs it; offsets are bytes into its text.
#[derive(Debug, Default)]
pub struct Doc {
    pub root_at: usize,
    pub src_lang: Option<String>,
    pub trg_lang: Option<String>,
    pub files: Vec<XFile>,
}

#[derive(Debug, Default)]
pub struct XFile {
    pub at: usize,
    pub original: Option<String>,
    pub hash: Option<String>,
    pub units: Vec<XUnit>,
}

#[derive(Debug, Default)]
pub struct XUnit {
    pub at: usize,
    pub id: Option<String>,
    pub state: Option<String>,
    pub source: String,
    /// The target's text and where its element starts.
    pub target: Option<(String, usize)>,
}

fn attr(e: &BytesStart, name: &str) -> Option<String> {
    let a = e.try_get_attribute(name).ok()??;
    a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
        .ok()
        .map(|v| v.into_owned())
}

/// Reads the parts of XLIFF 2.0 import uses, or the offset and message of
/// the first XML error.
pub fn parse_xliff(text: &str) -> Result<Doc, (usize, String)> {
    let mut reader = quick_xml::Reader::from_str(text);
    let mut doc = Doc::default();
    let mut open: Vec<String> = Vec::new();
    let mut seen_root = false;
    loop {
        let at = reader.buffer_position() as usize;
        let event = reader
            .read_event()
            .map_err(|e| (reader.error_position() as usize, e.to_string()))?;
        match event {
            Event::Start(e) => {
                let name = e.local_name().as_ref().to_string();
                start(&mut doc, &open, &name, &e, at)?;
                seen_root = true;
                open.push(name);
            }
            Event::Empty(e) => {
                let name = e.local_name().as_ref().to_string();
                start(&mut doc, &open, &name, &e, at)?;
                seen_root = true;
            }
            Event::End(_) => {
                open.pop();
            }
            Event::Text(t) => push_text(&mut doc, &open, &t.xml10_content()),
            Event::CData(c) => push_text(&mut doc, &open, &c.xml10_content()),
            Event::GeneralRef(r) => {
                let c = match r.resolve_char_ref() {
                    Ok(Some(c)) => c.to_string(),
                    _ => match quick_xml::escape::resolve_predefined_entity(&r) {
                        Some(s) => s.to_string(),
                        None => return Err((at, format!("unknown entity `&{};`", &*r))),
                    },
                };
                push_text(&mut doc, &open, &c);
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if !seen_root {
        return Err((0, "the file has no XML element".into()));
    }
    Ok(doc)
}

fn start(
    doc: &mut Doc,
    open: &[String],
    name: &str,
    e: &BytesStart,
    at: usize,
) -> Result<(), (usize, String)> {
    let parent = open.last().map(String::as_str);
    match (parent, name) {
        (None, "xliff") => {
            doc.root_at = at;
            if attr(e, "xmlns").as_deref() != Some(super::xliff::NAMESPACE)
                || attr(e, "version").as_deref() != Some("2.0")
            {
                return Err((
                    at,
                    format!(
                        "not XLIFF 2.0: write `<xliff xmlns=\"{NAMESPACE}\" version=\"2.0\" …>`"
                    ),
                ));
            }
            doc.src_lang = attr(e, "srcLang");
            doc.trg_lang = attr(e, "trgLang");
        }
        (None, other) => {
            return Err((
                at,
                format!("the root element is `<{other}>`, not XLIFF's `<xliff>`"),
            ));
        }
        (Some("xliff"), "file") => doc.files.push(XFile {
            at,
            original: attr(e, "original"),
            ..XFile::default()
        }),
        (Some("file"), "unit") => {
            if let Some(f) = doc.files.last_mut() {
                f.units.push(XUnit {
                    at,
                    id: attr(e, "id"),
                    ..XUnit::default()
                });
            }
        }
        (Some("segment"), "target") => {
            if let Some(u) = doc.files.last_mut().and_then(|f| f.units.last_mut()) {
                u.target = Some((String::new(), at));
            }
        }
        (Some("unit"), "segment") => {
            if let Some(u) = doc.files.last_mut().and_then(|f| f.units.last_mut()) {
                u.state = attr(e, "state");
            }
        }
        _ => {}
    }
    Ok(())
}

fn push_text(doc: &mut Doc, open: &[String], text: &str) {
    let path: Vec<&str> = open.iter().map(String::as_str).collect();
    let Some(file) = doc.files.last_mut() else {
        return;
    };
    match path.as_slice() {
        ["xliff", "file", "notes", "note"] => {
            file.hash.get_or_insert_with(String::new).push_str(text);
        }
        [.., "unit", "segment", "source"] => {
            if let Some(u) = file.units.last_mut() {
                u.source.push_str(text);
            }
        }
        [.., "unit", "segment", "target"] => {
            if let Some((t, _)) = file.units.last_mut().and_then(|u| u.target.as_mut()) {
                t.push_str(text);
            }
        }
        _ => {}
    }
}

// -------------------------------------------------------------- import --

/// One file's planned write: path, new text, whether it is new.
type Write = (PathBuf, String, bool);

/// Writes the translations of the XLIFF file at `path` into the site. Every
/// file and unit is checked first; with any error nothing is written.
pub fn import(root: &Path, path: &Path, diags: &Diagnostics) -> Option<Imported> {
    let (config, files) = super::load(root, diags)?;
    let shown = path.to_path_buf();
    let text = match crate::fsutil::read_source(path, &shown, diags) {
        Ok(t) => t,
        Err(d) => {
            diags.push(d);
            return None;
        }
    };
    let err = |at: usize, msg: String, hint: &str| {
        let d = Diagnostic::error(msg).in_file(&shown).at(&text, at);
        diags.push(if hint.is_empty() {
            d
        } else {
            d.with_hint(hint)
        });
    };
    let doc = match parse_xliff(&text) {
        Ok(doc) => doc,
        Err((at, msg)) => {
            err(
                at,
                format!("malformed XML: {msg}"),
                "an XLIFF file as `klynge translations export` wrote it, with only the <target> texts changed",
            );
            return None;
        }
    };
    let default = config.default_language.as_str();
    if doc.src_lang.as_deref() != Some(default) {
        err(
            doc.root_at,
            format!(
                "srcLang is {}, not the site's default language",
                doc.src_lang.as_deref().unwrap_or("missing")
            ),
            &format!("write srcLang=\"{default}\""),
        );
        return None;
    }
    let lang = doc.trg_lang.clone().unwrap_or_default();
    if let Err(hint) = super::target_lang(&config, &lang) {
        err(
            doc.root_at,
            format!("trgLang `{lang}` is not a language to translate this site into"),
            &hint,
        );
        return None;
    }
    let pairs = super::pairs(&config, &files, &lang);
    let mut writes = Vec::new();
    let mut done = Imported::default();
    let before = diags.error_count();
    for xf in &doc.files {
        let pair = pairs.iter().find(|p| Some(original(p)) == xf.original);
        let Some(pair) = pair else {
            err(
                xf.at,
                format!(
                    "no content file `{}` in this site",
                    xf.original.as_deref().unwrap_or("")
                ),
                "`original` names the default-language file the texts were exported from",
            );
            continue;
        };
        if !check_units(pair.source.kind, xf, &err) {
            continue;
        }
        match plan(&config, pair, xf, &lang) {
            Ok(Some(w)) => writes.push(w),
            Ok(None) => done.unchanged += 1,
            Err(msg) => err(xf.at, msg, ""),
        }
    }
    if diags.error_count() > before {
        return None;
    }
    done.write(writes, diags)
}

/// Each unit is a text of the item's kind and, when it has a target, the
/// target holds text; errors reported through `err`.
fn check_units(kind: Kind, xf: &XFile, err: &impl Fn(usize, String, &str)) -> bool {
    let names = unit_names(kind);
    let mut ok = true;
    for u in &xf.units {
        let id = u.id.as_deref().unwrap_or("");
        if !names.contains(&id) {
            err(
                u.at,
                format!("unknown unit `{id}` for a {}", kind.name()),
                &format!("the units of a {} are: {}", kind.name(), names.join(", ")),
            );
            ok = false;
        } else if let Some((t, at)) = &u.target
            && t.trim().is_empty()
            && !u.source.trim().is_empty()
        {
            err(
                *at,
                format!("the target of unit `{id}` is empty"),
                "write the translation between <target> and </target>, or remove the <target> to leave the unit untranslated",
            );
            ok = false;
        }
    }
    ok
}

/// The translation file as the XLIFF file's targets make it, `None` when
/// nothing changes.
fn plan(config: &Config, pair: &Pair, xf: &XFile, lang: &str) -> Result<Option<Write>, String> {
    let targets: Vec<(&str, &str, bool)> = xf
        .units
        .iter()
        .filter_map(|u| {
            let (t, _) = u.target.as_ref()?;
            let initial = u.state.as_deref().is_none_or(|s| s == "initial");
            Some((u.id.as_deref()?, t.trim(), initial))
        })
        .collect();
    if targets.is_empty() {
        return Ok(None);
    }
    let old = pair.translation.as_deref().map(texts).unwrap_or_default();
    let same = |unit: &str, t: &str| old.iter().any(|o| o.unit == unit && o.text == t);
    // Exported and sent back untouched: still the translation there was.
    if pair.translation.is_some() && targets.iter().all(|(u, t, initial)| *initial && same(u, t)) {
        return Ok(None);
    }
    if pair.translation.is_none() && !targets.iter().any(|(u, _, _)| *u == "title") {
        return Err(format!(
            "a new translation needs a title: write the <target> of unit `title` of {}",
            xf.original.as_deref().unwrap_or("")
        ));
    }
    let (path, raw, is_new) = match &pair.translation {
        Some(t) => (t.source.path.clone(), t.source.text.clone(), false),
        None => (
            super::translation_path(config, &pair.source, lang),
            "+++\n+++\n".to_string(),
            true,
        ),
    };
    let hash = xf
        .hash
        .as_deref()
        .map(str::trim)
        .map_or_else(|| source_hash(&pair.source), str::to_string);
    let text = rewrite(&raw, &targets, &hash, pair)?;
    Ok((text != raw).then_some((path, text, is_new)))
}

/// `raw` with the targets' fields, body and `source_hash` written in; the
/// other fields and their formatting kept.
fn rewrite(
    raw: &str,
    targets: &[(&str, &str, bool)],
    hash: &str,
    pair: &Pair,
) -> Result<String, String> {
    let (front, at, body_at) = content::load::split_front_matter(raw).map_err(|(_, why)| why)?;
    let mut doc: toml_edit::DocumentMut = front
        .parse()
        .map_err(|e| format!("cannot update the translation's front matter: {e}"))?;
    let mut body = raw[body_at..].to_string();
    for (unit, text) in targets.iter().map(|(u, t, _)| (*u, *t)) {
        if unit == BODY {
            if body.trim() != text {
                body = format!("\n{text}\n");
            }
        } else if doc.get(unit).and_then(|v| v.as_str()) != Some(text) {
            doc[unit] = toml_edit::value(text);
        }
    }
    if pair.translation.is_none()
        && let Some(key) = pair.source.front.common().translation_key
    {
        doc["translation_key"] = toml_edit::value(key);
    }
    if doc.get(HASH_FIELD).and_then(|v| v.as_str()) != Some(hash) {
        doc[HASH_FIELD] = toml_edit::value(hash);
    }
    let close = &raw[at + front.len()..body_at];
    Ok(format!("{}{}{}{}", &raw[..at], doc, close, body))
}
