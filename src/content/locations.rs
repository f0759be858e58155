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
        self.names.get(lang).map_or(&self.name, |s| s)
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
        let de = toml::de::Deserializer::from(toml::Spanned::new(item.span(), table.clone()));
        let rec = match LocationRecord::deserialize(de) {
            Ok(rec) => rec,
            Err(e) => {
                let message = tidy_toml_message(e.message());
                let mut d = source.error_at(e.span().map_or(start, |s| s.start), message.clone());
                if let Some(hint) = record_hint(&message) {
                    d = d.with_hint(hint);
                }
                diags.push(d);
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

/// A hint for a `[[location]]` that does not read as a record.
fn record_hint(message: &str) -> Option<String> {
    const FIELDS: [&str; 7] = [
        "slug",
        "country",
        "name",
        "names",
        "coordinates",
        "region",
        "description",
    ];
    if let Some(rest) = message.strip_prefix("unknown field `") {
        let field = rest.split('`').next().unwrap_or("");
        return Some(match crate::slug::closest(field, &FIELDS) {
            Some(near) => format!("did you mean `{near}`?"),
            None => format!("a [[location]] has the fields {}", FIELDS.join(", ")),
        });
    }
    if let Some(rest) = message.strip_prefix("missing field `") {
        let field = rest.split('`').next().unwrap_or("");
        return Some(format!(
            "add `{field} = …` to this [[location]]; slug, country and name are required"
        ));
    }
    None
}
