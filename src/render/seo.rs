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

/// A node of a page's JSON-LD graph: a value, or JSON already written
/// (long lists, serialised straight from typed structs rather than built
/// as values first).
pub enum Node {
    Value(Value),
    Json(String),
}

impl From<Value> for Node {
    fn from(v: Value) -> Node {
        Node::Value(v)
    }
}

/// An `ItemList` of (name, absolute URL), written as JSON with its keys in
/// the order `serde_json` gives a value's keys (sorted), as every other
/// node is.
pub fn item_list<'a>(name: &str, items: impl Iterator<Item = (&'a str, String)>) -> Node {
    #[derive(serde::Serialize)]
    struct ListItem<'a> {
        #[serde(rename = "@type")]
        kind: &'static str,
        name: &'a str,
        position: usize,
        url: String,
    }
    #[derive(serde::Serialize)]
    struct ItemList<'a> {
        #[serde(rename = "@type")]
        kind: &'static str,
        #[serde(rename = "itemListElement")]
        elements: Vec<ListItem<'a>>,
        name: &'a str,
    }
    let list = ItemList {
        kind: "ItemList",
        elements: items
            .enumerate()
            .map(|(i, (name, url))| ListItem {
                kind: "ListItem",
                name,
                position: i + 1,
                url,
            })
            .collect(),
        name,
    };
    Node::Json(serde_json::to_string(&list).unwrap_or_else(|_| "{}".into()))
}

/// The JSON-LD graph as text safe inside `<script>`: `</` cannot end it.
/// The same text as `{"@context": …, "@graph": graph}` serialised whole.
pub fn script_text(graph: Vec<Node>) -> String {
    let mut text = String::from(r#"{"@context":"https://schema.org","@graph":["#);
    for (i, node) in graph.iter().enumerate() {
        if i > 0 {
            text.push(',');
        }
        match node {
            Node::Value(v) => text.push_str(&serde_json::to_string(v).unwrap_or_default()),
            Node::Json(s) => text.push_str(s),
        }
    }
    text.push_str("]}");
    escape_for_script(text)
}

/// JSON made safe inside `<script>`: the HTML parser ends a script at `</`
/// and treats `<!--` as the start of an escape that can swallow the rest of
/// the page, so no `<` may stay raw. `<`, `>` and `&` occur in JSON only
/// inside strings, where `\u003c` and the like mean the same characters.
fn escape_for_script(text: String) -> String {
    if !text.contains(['<', '>', '&']) {
        return text;
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            c => out.push(c),
        }
    }
    out
}

/// A postal address whose `addressCountry` is the ISO 3166-1 code of
/// the place, whatever the front matter writes as the country's name;
/// `locality` is the town when the address gives none.
pub fn postal_address_in(a: Option<&Address>, locality: &str, country_code: &str) -> Value {
    let mut v = a.map_or_else(|| json!({ "@type": "PostalAddress" }), postal_address);
    let m = v.as_object_mut().expect("object");
    m.entry("addressLocality")
        .or_insert_with(|| locality.to_string().into());
    m.insert("addressCountry".into(), country_code.to_string().into());
    v
}

/// The `@id` of an item's node, the same in every translation: the URL of
/// its page in the default language (else its first), with a fragment.
pub fn item_id(config: &crate::config::Config, item: &crate::site::Item, fragment: &str) -> String {
    let t = item
        .translation_in(&config.default_language)
        .or_else(|| item.translations.first());
    let path = t.map_or("/", |t| t.path.as_str());
    format!("{}#{fragment}", config.absolute(path))
}
