//! `content/locations.toml`: the places spas, clusters and news refer to.

use super::frontmatter::Coordinates;
use super::load::{SourceFile, tidy_toml_message};
use crate::diagnostic::Diagnostics;
use indexmap::IndexMap;
use serde::Deserialize;

/// The file's shape, read only for serde's message when it is wrong.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct LocationsFile {
    #[allow(dead_code)]
    #[serde(default)]
    location: Vec<LocationRecord>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LocationRecord {
    pub slug: String,
    /// ISO 3166-1 alpha-2.
    pub country: String,
    /// The name in the default language.
    pub name: String,
    #[serde(default)]
    pub names: IndexMap<String, String>,
    pub coordinates: Option<Coordinates>,
    pub region: Option<String>,
    pub description: Option<String>,
}

impl LocationRecord {
    pub fn name_in(&self, lang: &str) -> &str {
        super::name_in(&self.names, &self.name, lang)
    }
}

/// What of `locations.toml` could not be read: references to these slugs
/// are not errors of their own (the file's error is the one to fix).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FailedLocations {
    /// The file as a whole did not parse: every slug is in doubt.
    pub all: bool,
    /// Slugs of records that were reported and left out.
    pub slugs: Vec<String>,
}

impl FailedLocations {
    pub fn covers(&self, slug: &str) -> bool {
        self.all || self.slugs.iter().any(|s| s == slug)
    }
}

/// Parses and checks the records; bad ones are reported and left out, each
/// on its own, so one typo loses one record, not the file.
pub fn parse(source: &SourceFile, diags: &Diagnostics) -> Vec<LocationRecord> {
    parse_with_failures(source, diags).0
}

/// `parse`, with what failed.
pub fn parse_with_failures(
    source: &SourceFile,
    diags: &Diagnostics,
) -> (Vec<LocationRecord>, FailedLocations) {
    use toml::de::{DeTable, DeValue};
    let text = &source.text;
    let mut failed = FailedLocations::default();
    let doc = match DeTable::parse(text) {
        Ok(doc) => doc,
        Err(e) => {
            let offset = e.span().map_or(0, |s| s.start);
            diags.push(source.error_at(offset, tidy_toml_message(e.message())));
            failed.all = true;
            return (Vec::new(), failed);
        }
    };
    // Keys other than `location`, and a `location` that is not an array
    // of tables: the file's own shape, checked as a whole.
    let shape_ok = doc.get_ref().iter().all(|(k, v)| {
        k.get_ref() == "location"
            && matches!(v.get_ref(), DeValue::Array(items)
                if items.iter().all(|i| matches!(i.get_ref(), DeValue::Table(_))))
    });
    if !shape_ok && let Err(e) = toml::from_str::<LocationsFile>(text) {
        let offset = e.span().map_or(0, |s| s.start);
        diags.push(source.error_at(offset, tidy_toml_message(e.message())).with_hint(
            "content/locations.toml holds only `[[location]]` tables; docs/content.md describes them",
        ));
        failed.all = true;
        return (Vec::new(), failed);
    }
    let mut out: Vec<LocationRecord> = Vec::new();
    let records = match doc.get_ref().get("location").map(|v| v.get_ref()) {
        Some(DeValue::Array(items)) => items.iter().collect::<Vec<_>>(),
        _ => Vec::new(),
    };
    let at_key = |index: usize, key: &str, fallback: usize| {
        crate::spans::in_array_of_tables(text, "location", index, key)
            .map_or(fallback, |(k, _)| k.start)
    };
    let at_value = |index: usize, key: &str, fallback: usize| {
        crate::spans::in_array_of_tables(text, "location", index, key).map_or(fallback, |(_, v)| {
            v.start + usize::from(text[v.start..].starts_with('"'))
        })
    };
    for (index, item) in records.into_iter().enumerate() {
        let start = item.span().start;
        let DeValue::Table(table) = item.get_ref() else {
            continue;
        };
        let slug_text = table
            .get("slug")
            .and_then(|v| v.get_ref().as_str())
            .map(str::to_string);
        let rec = match record_of(item.span(), table) {
            Ok(rec) => rec,
            Err(errors) => {
                for e in errors {
                    let message = tidy_toml_message(e.message());
                    let mut d =
                        source.error_at(e.span().map_or(start, |s| s.start), message.clone());
                    if let Some(hint) = record_hint(&message) {
                        d = d.with_hint(hint);
                    }
                    diags.push(d);
                }
                failed.slugs.extend(slug_text);
                continue;
            }
        };
        let slug_at = at_value(index, "slug", start);
        let fail = |d: crate::diagnostic::Diagnostic, failed: &mut FailedLocations| {
            diags.push(d);
            failed.slugs.push(rec.slug.clone());
        };
        if let Err(msg) = crate::slug::check_slug(&rec.slug) {
            fail(source.error_at(slug_at, msg), &mut failed);
            continue;
        }
        if !crate::site::countries::is_country_code(&rec.country) {
            let mut d = source.error_at(
                at_value(index, "country", start),
                format!(
                    "`{}` is not an ISO 3166-1 alpha-2 country code (expected e.g. `EE`, `NO`, `TR`)",
                    rec.country
                ),
            );
            if let Some(hint) = crate::site::countries::hint(&rec.country) {
                d = d.with_hint(hint);
            }
            fail(d, &mut failed);
            continue;
        }
        if let Some(c) = &rec.coordinates
            && let Err(msg) = c.check()
        {
            let d = source
                .error_at(at_key(index, "coordinates", start), format!("location `{}`: {msg}", rec.slug))
                .with_hint("latitude (`lat`) is north–south, -90 to 90; longitude (`lon`) east–west, -180 to 180");
            fail(d, &mut failed);
            continue;
        }
        if let Some(c) = &rec.coordinates
            && let Some((msg, hint)) = crate::basemap::outside(&rec.country, c.lat, c.lon)
        {
            // A warning: the build goes on, since the outline is only 1:50m.
            diags.push(
                source
                    .error_at(
                        at_key(index, "coordinates", start),
                        format!("location `{}`: {msg}", rec.slug),
                    )
                    .as_warning()
                    .with_hint(hint),
            );
        }
        if out.iter().any(|o| o.slug == rec.slug) {
            // The first definition stays; this, the second, is the error.
            diags.push(
                source
                    .error_at(slug_at, format!("location `{}` is defined twice", rec.slug))
                    .with_hint("each [[location]] needs its own slug; remove or rename this one"),
            );
            continue;
        }
        out.push(rec);
    }
    (out, failed)
}

type DeTable<'i> = toml::de::DeTable<'i>;

/// One `[[location]]` as a record, or every problem it has. serde stops at
/// a record's first problem, so on failure each key is checked again on its
/// own, beside stand-ins for the required fields, and what is left after
/// the bad keys is checked for a missing field: an editor sees a record's
/// typo, its wrong type and its missing name in one run. The stand-ins are
/// the only list of fields here; any other field added to the struct is
/// checked like the rest.
fn record_of(
    span: std::ops::Range<usize>,
    table: &DeTable<'_>,
) -> Result<LocationRecord, Vec<toml::de::Error>> {
    let parse = |t: DeTable<'_>, span: std::ops::Range<usize>| {
        LocationRecord::deserialize(toml::de::Deserializer::from(toml::Spanned::new(span, t)))
    };
    let whole = match parse(table.clone(), span.clone()) {
        Ok(rec) => return Ok(rec),
        Err(e) => e,
    };
    const REQUIRED: [(&str, &str); 3] = [("slug", "x"), ("country", "EE"), ("name", "x")];
    let mut errors = Vec::new();
    let mut good = DeTable::new();
    for (key, value) in table.iter() {
        let mut one = DeTable::new();
        for (field, stand_in) in REQUIRED {
            if key.get_ref().as_ref() != field {
                one.insert(
                    toml::Spanned::new(0..0, field.into()),
                    toml::Spanned::new(0..0, toml::de::DeValue::String(stand_in.into())),
                );
            }
        }
        one.insert(key.clone(), value.clone());
        match parse(one, key.span().start..value.span().end) {
            Ok(_) => {
                good.insert(key.clone(), value.clone());
            }
            Err(e) => errors.push(e),
        }
    }
    if let Err(e) = parse(good, span) {
        // `nmae = …` already says "did you mean `name`?": that name is
        // not missing a second time.
        let typo_of_it = field_in(e.message(), "missing field `").is_some_and(|missing| {
            errors.iter().any(|t| {
                field_in(t.message(), "unknown field `")
                    .and_then(|typo| crate::slug::closest(typo, &FIELDS))
                    == Some(missing)
            })
        });
        let missing = e.message().starts_with("missing field");
        if (missing && !typo_of_it) || errors.is_empty() {
            errors.push(e);
        }
    }
    errors.sort_by_key(|e| e.span().map_or(0, |s| s.start));
    if errors.is_empty() {
        errors.push(whole);
    }
    Err(errors)
}

/// A hint for a `[[location]]` that does not read as a record.
fn record_hint(message: &str) -> Option<String> {
    if let Some(field) = field_in(message, "unknown field `") {
        return Some(match crate::slug::closest(field, &FIELDS) {
            Some(near) => format!("did you mean `{near}`?"),
            None => format!("a [[location]] has the fields {}", FIELDS.join(", ")),
        });
    }
    if let Some(field) = field_in(message, "missing field `") {
        return Some(format!(
            "add `{field} = …` to this [[location]]; slug, country and name are required"
        ));
    }
    if message.contains("expected struct Coordinates") {
        return Some("write `coordinates = { lat = 58.385, lon = 24.497 }` (degrees north and east; south and west are negative)".into());
    }
    if message.ends_with("expected a string") {
        return Some("write the text in quotes: `\"…\"`".into());
    }
    if message.contains("expected a map") {
        return Some(
            "`names` is a table of translations: `names = { et = \"Pärnu\", ru = \"Пярну\" }`"
                .into(),
        );
    }
    None
}

/// The fields of a `[[location]]`, for did-you-mean hints.
const FIELDS: [&str; 7] = [
    "slug",
    "country",
    "name",
    "names",
    "coordinates",
    "region",
    "description",
];

/// The field a serde message names after `prefix` (e.g. "unknown field `").
fn field_in<'m>(message: &'m str, prefix: &str) -> Option<&'m str> {
    message.strip_prefix(prefix)?.split('`').next()
}
