//! Reading built pages: CSS selectors, links inside `<main>`, JSON-LD
//! nodes, and the mapping between site paths and output files.

use scraper::{ElementRef, Html, Selector};

/// The output file of a site path without base path: `/en/` → `en/index.html`.
pub fn file_for(url: &str) -> String {
    let p = url.trim_start_matches('/');
    if p.is_empty() || p.ends_with('/') {
        format!("{p}index.html")
    } else {
        p.to_string()
    }
}

/// The site path of an output file: `en/index.html` → `/en/`.
pub fn url_for(rel: &str) -> String {
    if rel == "index.html" {
        "/".into()
    } else if let Some(dir) = rel.strip_suffix("/index.html") {
        format!("/{dir}/")
    } else {
        format!("/{rel}")
    }
}

pub fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap_or_else(|e| panic!("bad selector {s}: {e:?}"))
}

/// Every `href` of `<a>` elements inside `<main>`, in document order.
pub fn main_links(doc: &Html) -> Vec<String> {
    doc.select(&sel("main a[href]"))
        .map(|a| a.attr("href").unwrap().to_string())
        .collect()
}

/// The `<a>` inside `<main>` linking to `href`, if any.
pub fn main_link<'a>(doc: &'a Html, href: &str) -> Option<ElementRef<'a>> {
    doc.select(&sel("main a[href]"))
        .find(|a| a.attr("href") == Some(href))
}

pub fn text_of(e: ElementRef) -> String {
    e.text().collect::<String>()
}

/// Every JSON-LD node of a page: the scripts' top-level objects and the
/// members of their `@graph`s.
pub fn json_ld(doc: &Html) -> Vec<serde_json::Value> {
    let mut nodes = Vec::new();
    for script in doc.select(&sel(r#"script[type="application/ld+json"]"#)) {
        let v: serde_json::Value = serde_json::from_str(&text_of(script)).expect("JSON-LD parses");
        let tops = match v {
            serde_json::Value::Array(a) => a,
            v => vec![v],
        };
        for top in tops {
            if let Some(graph) = top.get("@graph").and_then(|g| g.as_array()) {
                nodes.extend(graph.iter().cloned());
            } else {
                nodes.push(top);
            }
        }
    }
    nodes
}

/// The JSON-LD node of `@type` `ty` on a page.
pub fn ld_of_type(doc: &Html, ty: &str) -> Option<serde_json::Value> {
    json_ld(doc).into_iter().find(|n| {
        n.get("@type").is_some_and(|t| match t {
            serde_json::Value::String(s) => s == ty,
            serde_json::Value::Array(a) => a.iter().any(|x| x == ty),
            _ => false,
        })
    })
}
