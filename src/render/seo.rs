//! schema.org JSON-LD for each page kind, as `serde_json` values.

use serde_json::{Value, json};

use crate::content::frontmatter::{Address, Coordinates};

pub fn postal_address(a: &Address) -> Value {
    let mut v = json!({ "@type": "PostalAddress" });
    let m = v.as_object_mut().expect("object");
    if let Some(s) = &a.street {
        m.insert("streetAddress".into(), s.clone().into());
    }
    if let Some(s) = &a.postal_code {
        m.insert("postalCode".into(), s.clone().into());
    }
    if let Some(s) = &a.city {
        m.insert("addressLocality".into(), s.clone().into());
    }
    if let Some(s) = &a.country {
        m.insert("addressCountry".into(), s.clone().into());
    }
    v
}

pub fn geo(c: &Coordinates) -> Value {
    json!({ "@type": "GeoCoordinates", "latitude": c.lat, "longitude": c.lon })
}

pub fn breadcrumbs(crumbs: &[(String, String)]) -> Value {
    let items: Vec<Value> = crumbs
        .iter()
        .enumerate()
        .map(|(i, (name, url))| {
            json!({ "@type": "ListItem", "position": i + 1, "name": name, "item": url })
        })
        .collect();
    json!({ "@type": "BreadcrumbList", "itemListElement": items })
}

/// Inserts `key: value` when the value is present.
pub fn set(v: &mut Value, key: &str, value: Option<Value>) {
    if let (Some(m), Some(value)) = (v.as_object_mut(), value) {
        m.insert(key.to_string(), value);
    }
}

/// The JSON-LD graph as text safe inside `<script>`: `</` cannot end it.
pub fn script_text(graph: Vec<Value>) -> String {
    let doc = json!({ "@context": "https://schema.org", "@graph": graph });
    let text = serde_json::to_string(&doc).unwrap_or_default();
    if text.contains("</") {
        text.replace("</", "<\\/")
    } else {
        text
    }
}
