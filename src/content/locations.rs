//! `content/locations.toml`: the places spas, clusters and news refer to.

use super::frontmatter::Coordinates;
use super::load::{SourceFile, tidy_toml_message};
use crate::diagnostic::Diagnostics;
use indexmap::IndexMap;
use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct LocationsFile {
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

/// Parses and checks the records; bad ones are reported and left out.
pub fn parse(source: &SourceFile, diags: &Diagnostics) -> Vec<LocationRecord> {
    let file: LocationsFile = match toml::from_str(&source.text) {
        Ok(f) => f,
        Err(e) => {
            let offset = e.span().map_or(0, |s| s.start);
            diags.push(source.error_at(offset, tidy_toml_message(e.message())));
            return Vec::new();
        }
    };
    let mut out: Vec<LocationRecord> = Vec::new();
    for rec in file.location {
        let at = |msg: String| source.error_at_value("slug", &rec.slug, msg);
        if let Err(msg) = crate::slug::check_slug(&rec.slug) {
            diags.push(at(msg));
            continue;
        }
        if !crate::site::countries::is_country_code(&rec.country) {
            diags.push(
                source
                    .error_at_value("country", &rec.country, format!(
                        "`{}` is not an ISO 3166-1 alpha-2 country code (expected e.g. `EE`, `NO`, `TR`)",
                        rec.country
                    )),
            );
            continue;
        }
        if let Some(c) = &rec.coordinates
            && let Err(msg) = c.check()
        {
            diags.push(at(format!("location `{}`: {msg}", rec.slug)));
            continue;
        }
        if out.iter().any(|o| o.slug == rec.slug) {
            diags.push(at(format!("location `{}` is defined twice", rec.slug)));
            continue;
        }
        out.push(rec);
    }
    out
}
