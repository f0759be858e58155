//! Every fact in seeds/ (the facts taken from the source documents)
//! appears on the built sample site, so a fact cannot be dropped from
//! content/ silently.

use crate::support::{SiteTest, manifest_dir};

fn collect_facts(value: &toml::Value, path: &str, out: &mut Vec<(String, String)>) {
    match value {
        toml::Value::String(s) => out.push((path.to_string(), s.clone())),
        toml::Value::Integer(i) => out.push((path.to_string(), i.to_string())),
        toml::Value::Float(f) => out.push((path.to_string(), f.to_string())),
        toml::Value::Array(a) => {
            for (i, v) in a.iter().enumerate() {
                collect_facts(v, &format!("{path}[{i}]"), out);
            }
        }
        toml::Value::Table(t) => {
            for (k, v) in t {
                collect_facts(v, &format!("{path}.{k}"), out);
            }
        }
        toml::Value::Boolean(_) | toml::Value::Datetime(_) => {}
    }
}

fn fold(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn every_seed_fact_is_on_the_built_site() {
    let root = manifest_dir();
    let site = SiteTest::sample();
    site.build().assert_ok();

    let mut site_text = String::new();
    for (rel, bytes) in site.tree() {
        if rel.ends_with(".html") {
            let html = String::from_utf8(bytes).unwrap();
            site_text.push_str(&fold(&html_escape::decode_html_entities(&html)));
            site_text.push('\n');
        }
    }

    let mut seeds = 0;
    let mut missing = Vec::new();
    for entry in std::fs::read_dir(root.join("seeds")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "toml") {
            continue;
        }
        seeds += 1;
        let doc: toml::Table = toml::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let source = doc
            .get("source")
            .and_then(|s| s.as_table())
            .expect("[source] table");
        let file = source
            .get("file")
            .and_then(|f| f.as_str())
            .expect("source.file");
        assert!(
            root.join("../shared/seeds").join(file).exists()
                || !root.join("../shared/seeds").exists(),
            "{}: source file {file} not in ../shared/seeds",
            path.display()
        );
        let mut facts = Vec::new();
        collect_facts(
            doc.get("facts").expect("[facts] table"),
            "facts",
            &mut facts,
        );
        assert!(facts.len() >= 10, "{}: too few facts", path.display());
        for (key, fact) in facts {
            if !site_text.contains(&fold(&fact)) {
                missing.push(format!(
                    "{} {key} = {fact:?}",
                    path.file_name().unwrap().to_string_lossy()
                ));
            }
        }
    }
    assert_eq!(seeds, 4, "one seed file per source document");
    assert!(
        missing.is_empty(),
        "facts not found on any built page:\n{}",
        missing.join("\n")
    );
}
