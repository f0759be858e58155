//! Spreadsheets: `klynge export spas` writes one CSV row per item (or per
//! record of locations.toml and treatments.toml), with a header row of
//! the model's field names; `klynge import spas members.csv` creates and
//! updates the files from such a table. The columns come from `schema`:
//! every field that fits in a cell (lists as `a; b`, the parts of small
//! tables as `address.city`). An import checks every cell first and
//! writes nothing if any is wrong; it changes only the values that differ,
//! in place, so re-importing an unchanged export changes no byte, and a
//! file's Markdown body and other fields are never touched.

use crate::config::{Config, Overrides};
use crate::content::{self, Kind};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::schema::{self, Field, Holds, Target};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// What a table holds: the items of a kind, or records of a TOML file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Table {
    Items(Kind),
    Locations,
    Treatments,
    Categories,
}

impl Table {
    /// From the command line's word: `spas`, `clusters`, `locations`…
    pub fn from_name(name: &str) -> Option<Table> {
        Some(match name {
            "locations" => Table::Locations,
            "treatments" => Table::Treatments,
            "categories" => Table::Categories,
            other => Table::Items(Kind::from_folder(other)?),
        })
    }

    pub const NAMES: &'static str =
        "clusters, spas, news, events, pages, locations, treatments, categories";

    fn fields(self) -> Vec<Field> {
        match self {
            Table::Items(kind) => schema::fields(kind),
            Table::Locations => schema::LOCATION.to_vec(),
            Table::Treatments => schema::TREATMENT.to_vec(),
            Table::Categories => schema::CATEGORY.to_vec(),
        }
    }

    /// The records' file and its array of tables (`[[location]]`).
    fn records(self) -> Option<(&'static str, &'static str)> {
        match self {
            Table::Items(_) => None,
            Table::Locations => Some(("content/locations.toml", "location")),
            Table::Treatments => Some(("content/treatments.toml", "treatment")),
            Table::Categories => Some(("content/treatments.toml", "category")),
        }
    }

    /// The column naming a row: an item's file name, a record's slug.
    fn id_column(self) -> &'static str {
        match self {
            Table::Items(_) => "file",
            _ => "slug",
        }
    }
}

/// A column: a field, or a part of a table field.
#[derive(Debug, Clone)]
struct Column {
    name: String,
    /// The key, and the part's key in a table.
    path: (String, Option<String>),
    holds: Holds,
}

/// Whether a value fits in one cell.
fn flat(holds: &Holds) -> bool {
    !matches!(
        holds,
        Holds::Table(_)
            | Holds::Tables(_)
            | Holds::PerLanguage(_)
            | Holds::Photo
            | Holds::SourceHash
    )
}

fn columns(table: Table, config: &Config) -> Vec<Column> {
    let mut out = Vec::new();
    if let Table::Items(_) = table {
        out.push(Column {
            name: "file".into(),
            path: ("file".into(), None),
            holds: Holds::Line,
        });
    }
    for f in table.fields() {
        match f.holds {
            Holds::Table(parts) if parts.iter().all(|p| flat(&p.holds)) => {
                for p in parts {
                    out.push(Column {
                        name: format!("{}.{}", f.name, p.name),
                        path: (f.name.into(), Some(p.name.into())),
                        holds: p.holds,
                    });
                }
            }
            Holds::PerLanguage(holds) => {
                for l in &config.languages {
                    if l.code != config.default_language {
                        out.push(Column {
                            name: format!("{}.{}", f.name, l.code),
                            path: (f.name.into(), Some(l.code.to_string())),
                            holds: *holds,
                        });
                    }
                }
            }
            ref h if flat(h) => out.push(Column {
                name: f.name.into(),
                path: (f.name.into(), None),
                holds: f.holds,
            }),
            _ => {}
        }
    }
    out
}

/// One row's worth of existing data: where it is and its values.
struct Existing {
    /// `None` for a record.
    path: Option<PathBuf>,
    values: toml::Table,
}

/// The site as an import or export needs it.
struct Site {
    config: Config,
    loaded: content::LoadedContent,
}

impl Site {
    fn load(root: &Path, diags: &Diagnostics) -> Option<Site> {
        let config = Config::load(root, &Overrides::default(), diags)?;
        // The content's own problems are `klynge check`'s to report.
        let loaded = content::load(&config, &Diagnostics::new());
        Some(Site { config, loaded })
    }

    fn lang(&self, lang: Option<&str>) -> Result<String, Diagnostic> {
        let lang = lang.unwrap_or(self.config.default_language.as_str());
        if self.config.has_language(lang) {
            Ok(lang.to_string())
        } else {
            Err(
                Diagnostic::error(format!("`{lang}` is not a language of the site")).with_hint(
                    format!(
                        "the site's languages are: {}",
                        self.config
                            .languages
                            .iter()
                            .map(|l| l.code.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                ),
            )
        }
    }

    /// The rows there are now, by id, in id order.
    fn existing(&self, table: Table, lang: &str) -> BTreeMap<String, Existing> {
        let mut out = BTreeMap::new();
        match table.records() {
            None => {
                let Table::Items(kind) = table else {
                    return out;
                };
                for f in &self.loaded.files {
                    if f.kind != kind || f.lang.as_str() != lang {
                        continue;
                    }
                    let text = match front_text(&f.source.text, is_toml(&f.source.path)) {
                        Some(t) => t,
                        None => continue,
                    };
                    if let Ok(values) = text.parse::<toml::Table>() {
                        let path = Some(f.source.path.clone());
                        out.insert(f.key.clone(), Existing { path, values });
                    }
                }
            }
            Some((file, array)) => {
                let text = std::fs::read_to_string(self.config.root.join(file)).unwrap_or_default();
                let doc = text.parse::<toml::Table>().unwrap_or_default();
                if let Some(toml::Value::Array(records)) = doc.get(array) {
                    for r in records {
                        if let toml::Value::Table(t) = r
                            && let Some(toml::Value::String(slug)) = t.get("slug")
                        {
                            let values = t.clone();
                            out.insert(slug.clone(), Existing { path: None, values });
                        }
                    }
                }
            }
        }
        out
    }

    /// The slugs a reference may name.
    fn targets(&self, target: Target) -> Vec<String> {
        let mut out: Vec<String> = match target {
            Target::Cluster => self
                .loaded
                .files
                .iter()
                .filter(|f| f.kind == Kind::Cluster)
                .map(|f| f.key.clone())
                .collect(),
            Target::Location => self
                .loaded
                .locations
                .iter()
                .map(|l| l.slug.clone())
                .collect(),
            Target::Treatment => self
                .loaded
                .treatments
                .treatments
                .iter()
                .map(|t| t.slug.clone())
                .collect(),
            Target::Category => self
                .loaded
                .treatments
                .categories
                .iter()
                .map(|c| c.slug.clone())
                .collect(),
        };
        out.sort();
        out.dedup();
        out
    }
}

fn is_toml(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "toml")
}

/// The TOML of a content file: its front matter, or all of a `.toml` item.
fn front_text(text: &str, toml_file: bool) -> Option<&str> {
    if toml_file {
        return Some(text);
    }
    content::load::split_front_matter(text)
        .ok()
        .map(|(front, _, _)| front)
}

// ------------------------------------------------------------- export --

/// The CSV of `table` in `lang` (default: the default language).
pub fn export(
    root: &Path,
    table: Table,
    lang: Option<&str>,
    diags: &Diagnostics,
) -> Option<String> {
    let site = Site::load(root, diags)?;
    let lang = site.lang(lang).map_err(|d| diags.push(d)).ok()?;
    let columns = columns(table, &site.config);
    let mut w = csv::Writer::from_writer(Vec::new());
    let header: Vec<&str> = columns.iter().map(|c| c.name.as_str()).collect();
    let mut rows = vec![header.iter().map(|s| s.to_string()).collect::<Vec<_>>()];
    for (id, row) in site.existing(table, &lang) {
        rows.push(
            columns
                .iter()
                .map(|c| match c.path.0.as_str() {
                    "file" if c.path.1.is_none() && table.id_column() == "file" => id.clone(),
                    _ => lookup(&row.values, &c.path).map(cell).unwrap_or_default(),
                })
                .collect(),
        );
    }
    for r in rows {
        if let Err(e) = w.write_record(&r) {
            diags.push(Diagnostic::error(format!("cannot write the table: {e}")));
            return None;
        }
    }
    let bytes = w.into_inner().ok()?;
    String::from_utf8(bytes).ok()
}

fn lookup<'v>(values: &'v toml::Table, path: &(String, Option<String>)) -> Option<&'v toml::Value> {
    let v = values.get(&path.0)?;
    match &path.1 {
        None => Some(v),
        Some(part) => v.as_table()?.get(part),
    }
}

/// A value as a spreadsheet cell: texts as they are, lists joined by `; `.
fn cell(v: &toml::Value) -> String {
    match v {
        toml::Value::String(s) => s.clone(),
        toml::Value::Array(items) => items.iter().map(cell).collect::<Vec<_>>().join("; "),
        other => other.to_string(),
    }
}

// ------------------------------------------------------------- import --

/// What an import did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Imported {
    pub created: Vec<PathBuf>,
    pub updated: Vec<PathBuf>,
    pub unchanged: usize,
}

impl Imported {
    /// Writes the checked `(path, text, is_new)` files of an import and
    /// counts them; `None` at the first file that cannot be written.
    pub fn write(
        mut self,
        writes: Vec<(PathBuf, String, bool)>,
        diags: &Diagnostics,
    ) -> Option<Imported> {
        for (path, text, is_new) in writes {
            if let Err(d) = crate::fsutil::write_file(&path, text.as_bytes()) {
                diags.push(d);
                return None;
            }
            if is_new {
                self.created.push(path);
            } else {
                self.updated.push(path);
            }
        }
        Some(self)
    }
}

/// Creates and updates `table`'s files from the CSV at `csv_path`. Every
/// cell is checked first; with any error, nothing is written (`None`).
pub fn import(
    root: &Path,
    table: Table,
    csv_path: &Path,
    lang: Option<&str>,
    diags: &Diagnostics,
) -> Option<Imported> {
    let site = Site::load(root, diags)?;
    let lang = site.lang(lang).map_err(|d| diags.push(d)).ok()?;
    let shown = csv_path.to_path_buf();
    let text = match crate::fsutil::read_source(csv_path, &shown, diags) {
        Ok(t) => t,
        Err(d) => {
            diags.push(d);
            return None;
        }
    };
    let rows = read_rows(&site, table, &text, &shown, diags)?;
    let existing = site.existing(table, &lang);
    match table.records() {
        None => import_items(&site, table, &lang, &rows, &existing, diags),
        Some((file, array)) => import_records(&site, file, array, &rows, diags),
    }
}

/// A checked row: its id and its cells as values (`None`: empty cell).
struct Row {
    id: String,
    cells: Vec<(Column, Option<toml::Value>)>,
}

fn read_rows(
    site: &Site,
    table: Table,
    text: &str,
    shown: &Path,
    diags: &Diagnostics,
) -> Option<Vec<Row>> {
    let columns = columns(table, &site.config);
    let names: Vec<&str> = columns.iter().map(|c| c.name.as_str()).collect();
    let mut reader = csv::ReaderBuilder::new()
        .flexible(false)
        .from_reader(text.as_bytes());
    // Each error points at its row's line of the file, and says the row
    // as a spreadsheet numbers it (the header is row 1).
    let error = |row: u64, byte: u64, message: String| {
        Diagnostic::error(format!("row {row}, {message}"))
            .in_file(shown)
            .at(text, byte as usize)
    };
    let header: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|s| s.trim().to_string()).collect(),
        Err(e) => {
            diags.push(Diagnostic::error(format!("not a CSV table: {e}")).in_file(shown));
            return None;
        }
    };
    let mut ok = true;
    let mut used: Vec<Option<Column>> = Vec::new();
    for name in &header {
        match columns.iter().find(|c| &c.name == name) {
            Some(c) => used.push(Some(c.clone())),
            None => {
                let hint = match crate::slug::closest(name, &names) {
                    Some(near) => format!("did you mean `{near}`?"),
                    None => format!("the columns of this table are: {}", names.join(", ")),
                };
                diags.push(error(1, 0, format!("column `{name}`: no such field")).with_hint(hint));
                ok = false;
                used.push(None);
            }
        }
    }
    let id_column = table.id_column();
    let Some(id_at) = header.iter().position(|h| h == id_column) else {
        diags.push(
            error(1, 0, format!("no column `{id_column}`")).with_hint(format!(
                "the first row names the columns; `{id_column}` says which file each row is"
            )),
        );
        return None;
    };
    let mut rows = Vec::new();
    let mut seen: BTreeMap<String, u64> = BTreeMap::new();
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let (row, byte) = e.position().map_or((0, 0), |p| (p.line(), p.byte()));
                diags.push(error(row, byte, format!("cannot be read: {e}")));
                ok = false;
                continue;
            }
        };
        let (row_no, byte) = record.position().map_or((0, 0), |p| (p.line(), p.byte()));
        let id = record.get(id_at).unwrap_or("").trim().to_string();
        if let Err(why) = crate::slug::check_slug(&id) {
            diags.push(error(row_no, byte, format!("column `{id_column}`: {why}")));
            ok = false;
            continue;
        }
        if let Some(first) = seen.insert(id.clone(), row_no) {
            diags.push(error(
                row_no,
                byte,
                format!("column `{id_column}`: `{id}` is also in row {first}"),
            ));
            ok = false;
        }
        let mut cells = Vec::new();
        for (i, c) in used.iter().enumerate() {
            let Some(c) = c else { continue };
            if c.name == id_column && table.id_column() == "file" {
                continue;
            }
            match parse_cell(site, c, record.get(i).unwrap_or("")) {
                Ok(v) => cells.push((c.clone(), v)),
                Err((message, hint)) => {
                    let mut d = error(row_no, byte, format!("column `{}`: {message}", c.name));
                    if let Some(h) = hint {
                        d = d.with_hint(h);
                    }
                    diags.push(d);
                    ok = false;
                }
            }
        }
        rows.push(Row { id, cells });
    }
    ok.then_some(rows)
}

type CellError = (String, Option<String>);

/// A cell as the value its field holds; `None` for an empty cell.
fn parse_cell(site: &Site, c: &Column, text: &str) -> Result<Option<toml::Value>, CellError> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let list = || -> Vec<&str> {
        text.split(';')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .collect()
    };
    let strings = |items: Vec<&str>| {
        toml::Value::Array(
            items
                .into_iter()
                .map(|s| toml::Value::String(s.into()))
                .collect(),
        )
    };
    let v = match c.holds {
        Holds::Line | Holds::Text | Holds::Photo => toml::Value::String(text.into()),
        Holds::Bool => match text {
            "true" => toml::Value::Boolean(true),
            "false" => toml::Value::Boolean(false),
            _ => return Err((format!("`{text}` is not `true` or `false`"), None)),
        },
        Holds::Int => toml::Value::Integer(
            text.parse()
                .map_err(|_| (format!("`{text}` is not a whole number"), None))?,
        ),
        Holds::Float => toml::Value::Float(text.parse().map_err(|_| {
            (
                format!("`{text}` is not a number"),
                Some("write a point for decimals: `58.385`".into()),
            )
        })?),
        Holds::Date | Holds::DateTime => toml::Value::Datetime(text.parse().map_err(|_| {
            (
                format!("`{text}` is not a date"),
                Some(
                    "write the year first: `2024-03-14`, or `2024-03-14T09:30` with a time".into(),
                ),
            )
        })?),
        Holds::Published => match text.parse() {
            Ok(dt) => toml::Value::Datetime(dt),
            Err(_) => {
                let written = crate::content::date::Written::Text(text.into());
                crate::time::Moment::from_written("date", &written)
                    .map_err(|e| (e.message, Some(e.hint)))?;
                toml::Value::String(text.into())
            }
        },
        Holds::Choice(choices) => {
            one_of(text, &choices(), "choice")?;
            toml::Value::String(text.into())
        }
        Holds::Choices(choices) => {
            let items = list();
            for item in &items {
                one_of(item, &choices(), "choice")?;
            }
            strings(items)
        }
        Holds::Ref(target) => {
            one_of(text, &borrowed(&site.targets(target)), target_name(target))?;
            toml::Value::String(text.into())
        }
        Holds::Refs(target) => {
            let known = site.targets(target);
            let items = list();
            for item in &items {
                one_of(item, &borrowed(&known), target_name(target))?;
            }
            strings(items)
        }
        Holds::Lines | Holds::Dates => strings(list()),
        Holds::Table(_) | Holds::Tables(_) | Holds::PerLanguage(_) | Holds::SourceHash => {
            return Err(("this field does not fit in a cell".into(), None));
        }
    };
    Ok(Some(v))
}

fn borrowed(v: &[String]) -> Vec<&str> {
    v.iter().map(String::as_str).collect()
}

fn target_name(t: Target) -> &'static str {
    match t {
        Target::Cluster => "cluster",
        Target::Location => "location",
        Target::Treatment => "treatment",
        Target::Category => "category",
    }
}

/// `Ok` if `value` is one of `known`, else an error with did-you-mean.
fn one_of(value: &str, known: &[&str], what: &str) -> Result<(), CellError> {
    if known.contains(&value) {
        return Ok(());
    }
    let message = format!("no {what} `{value}`");
    let near = crate::slug::closest(value, known).or_else(|| {
        known
            .iter()
            .copied()
            .find(|k| k.eq_ignore_ascii_case(value))
    });
    Err(match near {
        Some(near) => (format!("{message}; did you mean `{near}`?"), None),
        None if known.len() <= 20 => (
            message,
            Some(format!("the {what}s are: {}", known.join(", "))),
        ),
        None => (message, None),
    })
}

/// Whether `old` already holds `new` (numbers compared as numbers, so a
/// `62` in a file and a `62.0` read from a cell are the same).
fn same(old: Option<&toml::Value>, new: Option<&toml::Value>) -> bool {
    match (old, new) {
        (None, None) => true,
        (Some(toml::Value::Integer(a)), Some(toml::Value::Float(b))) => *a as f64 == *b,
        (Some(a), Some(b)) => a == b,
        _ => false,
    }
}

/// Sets the row's cells in `table`, leaving alone every value that
/// already holds what the cell says. Returns whether anything changed.
fn apply(
    table: &mut toml_edit::Table,
    old: &toml::Table,
    cells: &[(Column, Option<toml::Value>)],
) -> bool {
    let mut changed = false;
    for (c, new) in cells {
        if same(lookup(old, &c.path), new.as_ref()) {
            continue;
        }
        changed = true;
        let value = new.as_ref().map(edit_value);
        match (&c.path.1, value) {
            (None, Some(v)) => {
                table[c.path.0.as_str()] = toml_edit::Item::Value(v);
            }
            (None, None) => {
                table.remove(&c.path.0);
            }
            (Some(part), value) => {
                let key = c.path.0.as_str();
                if table.get(key).is_none() {
                    table[key] =
                        toml_edit::Item::Value(toml_edit::Value::InlineTable(Default::default()));
                }
                let Some(parent) = table.get_mut(key).and_then(|i| i.as_table_like_mut()) else {
                    continue;
                };
                match value {
                    Some(v) => {
                        parent.insert(part, toml_edit::Item::Value(v));
                    }
                    None => {
                        parent.remove(part);
                    }
                }
                if parent.is_empty() {
                    table.remove(key);
                }
            }
        }
    }
    changed
}

fn edit_value(v: &toml::Value) -> toml_edit::Value {
    v.to_string()
        .parse()
        .unwrap_or_else(|_| toml_edit::Value::from(v.to_string()))
}

fn import_items(
    site: &Site,
    table: Table,
    lang: &str,
    rows: &[Row],
    existing: &BTreeMap<String, Existing>,
    diags: &Diagnostics,
) -> Option<Imported> {
    let Table::Items(kind) = table else {
        return None;
    };
    let mut writes: Vec<(PathBuf, String, bool)> = Vec::new();
    let mut done = Imported::default();
    for row in rows {
        let (path, raw, old) = match existing.get(&row.id) {
            Some(e) => {
                let path = e.path.clone()?;
                let raw = std::fs::read_to_string(&path).ok()?;
                (path, raw, e.values.clone())
            }
            None => {
                let path = site
                    .config
                    .root
                    .join("content")
                    .join(kind.folder())
                    .join(format!("{}.{lang}.md", row.id));
                (path, "+++\n+++\n".to_string(), toml::Table::new())
            }
        };
        let toml_file = is_toml(&path);
        let (start, end) = match toml_file {
            true => (0, raw.len()),
            false => match content::load::split_front_matter(&raw) {
                Ok((front, at, _)) => (at, at + front.len()),
                Err((_, why)) => {
                    diags.push(Diagnostic::error(why).in_file(&path));
                    return None;
                }
            },
        };
        let mut doc: toml_edit::DocumentMut = match raw[start..end].parse() {
            Ok(d) => d,
            Err(e) => {
                diags.push(Diagnostic::error(format!("cannot update it: {e}")).in_file(&path));
                return None;
            }
        };
        let is_new = !existing.contains_key(&row.id);
        if !apply(doc.as_table_mut(), &old, &row.cells) && !is_new {
            done.unchanged += 1;
            continue;
        }
        let text = format!("{}{}{}", &raw[..start], doc, &raw[end..]);
        writes.push((path, text, is_new));
    }
    done.write(writes, diags)
}

fn import_records(
    site: &Site,
    file: &str,
    array: &str,
    rows: &[Row],
    diags: &Diagnostics,
) -> Option<Imported> {
    let path = site.config.root.join(file);
    let raw = std::fs::read_to_string(&path).unwrap_or_default();
    let mut doc: toml_edit::DocumentMut = match raw.parse() {
        Ok(d) => d,
        Err(e) => {
            diags.push(Diagnostic::error(format!("cannot update it: {e}")).in_file(file));
            return None;
        }
    };
    let old: toml::Table = raw.parse().unwrap_or_default();
    let old_records: Vec<toml::Table> = match old.get(array) {
        Some(toml::Value::Array(a)) => a.iter().filter_map(|v| v.as_table().cloned()).collect(),
        _ => Vec::new(),
    };
    if doc.get(array).is_none() {
        doc[array] = toml_edit::Item::ArrayOfTables(Default::default());
    }
    let Some(records) = doc[array].as_array_of_tables_mut() else {
        diags.push(
            Diagnostic::error(format!("`{array}` is not a list of `[[{array}]]` tables"))
                .in_file(file),
        );
        return None;
    };
    let mut done = Imported::default();
    let mut changed = false;
    for row in rows {
        let at = old_records
            .iter()
            .position(|r| r.get("slug").and_then(|s| s.as_str()) == Some(row.id.as_str()));
        let updated = match at.and_then(|i| records.get_mut(i)) {
            Some(t) => apply(t, &old_records[at.unwrap_or(0)], &row.cells),
            None => {
                let mut t = toml_edit::Table::new();
                apply(&mut t, &toml::Table::new(), &row.cells);
                records.push(t);
                true
            }
        };
        if updated {
            changed = true;
        } else {
            done.unchanged += 1;
        }
    }
    if changed {
        if let Err(d) = crate::fsutil::write_file(&path, doc.to_string().as_bytes()) {
            diags.push(d);
            return None;
        }
        done.updated.push(path);
    }
    Some(done)
}
