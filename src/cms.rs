//! `klynge cms`: a web editor for the site. It writes `static/admin/` (the
//! build copies it to `/admin/`): Decap CMS's configuration, generated from
//! the content model (`schema`) and the site's languages, an admin page,
//! and Decap's script copied from its npm package, so the editor is served
//! by the site itself and no other host is contacted. Readers' pages never
//! load it: only `/admin/index.html` names the script.

use crate::config::{Config, Overrides};
use crate::content::Kind;
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::schema::{self, Field, Holds, Target};
use serde_json::{Map, Value, json};
use std::path::{Path, PathBuf};

/// Where the editor is written, under the site root; `static/` is copied
/// to the output as it is.
pub const ADMIN_DIR: &str = "static/admin";

/// Uploaded photos go under assets/, which front matter reaches as `/…`.
const MEDIA_FOLDER: &str = "assets/uploads";
const PUBLIC_FOLDER: &str = "/uploads";

/// How the editor reaches the site's repository.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Backend {
    /// Netlify's Git Gateway (Netlify Identity logs editors in).
    GitGateway { branch: String },
    /// GitHub directly, with an OAuth login.
    GitHub {
        repo: String,
        branch: String,
        base_url: Option<String>,
    },
}

#[derive(Debug, Clone)]
pub struct CmsOptions {
    pub root: PathBuf,
    pub backend: Backend,
    /// The address of a `decap-server` for editing this folder's files on
    /// this computer (default: Decap's own, http://localhost:8081/api/v1).
    pub local_backend: Option<String>,
    /// The `decap-cms` npm package folder (default: `node_modules/decap-cms`
    /// in the site).
    pub decap: Option<PathBuf>,
}

/// Writes the editor; returns the files written, or `None` after
/// reporting why not.
pub fn write(opts: &CmsOptions, diags: &Diagnostics) -> Option<Vec<PathBuf>> {
    let config = Config::load(&opts.root, &Overrides::default(), diags)?;
    let package = opts
        .decap
        .clone()
        .unwrap_or_else(|| opts.root.join("node_modules/decap-cms"));
    let scripts = match decap_files(&package) {
        Ok(files) => files,
        Err(d) => {
            diags.push(d);
            return None;
        }
    };
    let dir = opts.root.join(ADMIN_DIR);
    let mut written = Vec::new();
    let mut put = |name: &str, bytes: &[u8]| -> Result<(), Diagnostic> {
        let path = dir.join(name);
        crate::fsutil::write_if_changed(&path, bytes)?;
        written.push(path);
        Ok(())
    };
    let result = (|| {
        put(
            "config.yml",
            config_yaml(&config, &opts.backend, opts.local_backend.as_deref()).as_bytes(),
        )?;
        put("index.html", admin_page(&config).as_bytes())?;
        for (name, source) in &scripts {
            let bytes = std::fs::read(source)
                .map_err(|e| Diagnostic::error(format!("cannot read {}: {e}", source.display())))?;
            put(name, &bytes)?;
        }
        Ok(())
    })();
    match result {
        Ok(()) => Some(written),
        Err(d) => {
            diags.push(d);
            None
        }
    }
}

/// The files of the `decap-cms` package the admin page needs: the script,
/// the chunks and WebAssembly it loads beside itself, and its licence
/// notices (Decap CMS is MIT-licensed).
fn decap_files(package: &Path) -> Result<Vec<(String, PathBuf)>, Diagnostic> {
    let dist = package.join("dist");
    let missing = || {
        Diagnostic::error(format!(
            "no Decap CMS script at {}",
            dist.join("decap-cms.js").display()
        ))
        .with_hint(
            "run `npm install decap-cms@3` in the site folder, or pass --decap with the folder of the decap-cms package",
        )
    };
    let entries = std::fs::read_dir(&dist).map_err(|_| missing())?;
    let mut files: Vec<(String, PathBuf)> = entries
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let name = e.file_name().into_string().ok()?;
            let wanted = name == "decap-cms.js"
                || name == "decap-cms.js.LICENSE.txt"
                || (name.ends_with(".decap-cms.js") && !name.contains('/'))
                || name.ends_with(".wasm");
            wanted.then(|| (name, e.path()))
        })
        .collect();
    if !files.iter().any(|(n, _)| n == "decap-cms.js") {
        return Err(missing());
    }
    files.sort();
    Ok(files)
}

/// The admin page: Decap's script, which reads `config.yml` beside it.
fn admin_page(config: &Config) -> String {
    let title = html_escape::encode_text(&config.languages[0].title).to_string();
    format!(
        r#"<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>Content manager · {title}</title>
</head>
<body>
<!-- Decap CMS (MIT licence; notices in decap-cms.js.LICENSE.txt), written by `klynge cms`. -->
<script src="decap-cms.js"></script>
</body>
</html>
"#
    )
}

/// Decap's `config.yml` for the site.
pub fn config_yaml(config: &Config, backend: &Backend, local_backend: Option<&str>) -> String {
    let mut out = String::from(
        "# Written by `klynge cms` from klynge's content model and site.toml:\n# run it again after changing them, rather than editing this file.\n",
    );
    write_yaml(&config_value(config, backend, local_backend), 0, &mut out);
    out
}

fn config_value(config: &Config, backend: &Backend, local_backend: Option<&str>) -> Value {
    let backend = match backend {
        Backend::GitGateway { branch } => json!({"name": "git-gateway", "branch": branch}),
        Backend::GitHub {
            repo,
            branch,
            base_url,
        } => {
            let mut b = json!({"name": "github", "repo": repo, "branch": branch});
            if let Some(url) = base_url {
                b["base_url"] = json!(url);
            }
            b
        }
    };
    let local = match local_backend {
        Some(url) => json!({"url": url, "allowed_hosts": ["localhost", "127.0.0.1"]}),
        None => json!(true),
    };
    let locales: Vec<&str> = config.languages.iter().map(|l| l.code.as_str()).collect();
    let mut collections: Vec<Value> = schema::EDITED
        .iter()
        .map(|&kind| kind_collection(config, kind))
        .collect();
    collections.push(home_collection(config));
    collections.push(records_collection(
        config,
        "locations",
        "Locations",
        "content/locations.toml",
        &[("location", "Locations", "Location", schema::LOCATION)],
    ));
    collections.push(records_collection(
        config,
        "treatments",
        "Treatments",
        "content/treatments.toml",
        &[
            ("category", "Categories", "Category", schema::CATEGORY),
            ("treatment", "Treatments", "Treatment", schema::TREATMENT),
        ],
    ));
    json!({
        "backend": backend,
        "local_backend": local,
        "publish_mode": "simple",
        "media_folder": MEDIA_FOLDER,
        "public_folder": PUBLIC_FOLDER,
        "site_url": config.base_url,
        "slug": {"encoding": "ascii", "clean_accents": true, "sanitize_replacement": "-"},
        "i18n": {
            "structure": "multiple_files",
            "locales": locales,
            "default_locale": config.default_language.as_str(),
        },
        "collections": collections,
    })
}

/// The collection name, label and singular label of an edited kind.
fn names(kind: Kind) -> (&'static str, &'static str, &'static str) {
    match kind {
        Kind::Cluster => ("clusters", "Clusters", "Cluster"),
        Kind::Spa => ("spas", "Members (spas, clinics…)", "Member"),
        Kind::News => ("news", "News", "News item"),
        Kind::Event => ("events", "Events", "Event"),
        Kind::Page => ("pages", "Pages", "Page"),
        Kind::Home => ("home", "Home page texts", "Home page text"),
    }
}

/// A folder collection: one kind's files, `<slug>.<lang>.md`.
fn kind_collection(config: &Config, kind: Kind) -> Value {
    let (name, label, singular) = names(kind);
    let mut fields: Vec<Value> = schema::fields(kind)
        .iter()
        .map(|f| field_value(config, f, Some(!f.shared)))
        .collect();
    fields.push(body_field());
    let mut c = json!({
        "name": name,
        "label": label,
        "label_singular": singular,
        "folder": format!("content/{}", kind.folder()),
        "create": true,
        "extension": "md",
        "format": "toml-frontmatter",
        "i18n": true,
        "identifier_field": "title",
        "summary": "{{title}}",
        "fields": fields,
    });
    if kind == Kind::News {
        c["sortable_fields"] = json!(["date", "title"]);
    }
    c
}

/// The language homes, `content/_index.<lang>.md`: a folder collection of
/// the one file, as Decap translates only folder collections file by file.
fn home_collection(config: &Config) -> Value {
    let (name, label, singular) = names(Kind::Home);
    let mut fields: Vec<Value> = schema::fields(Kind::Home)
        .iter()
        .map(|f| field_value(config, f, Some(!f.shared)))
        .collect();
    fields.push(body_field());
    json!({
        "name": name,
        "label": label,
        "label_singular": singular,
        "folder": "content",
        "create": false,
        "delete": false,
        "extension": "md",
        "format": "toml-frontmatter",
        "i18n": true,
        "identifier_field": "title",
        "fields": fields,
    })
}

fn body_field() -> Value {
    json!({"name": "body", "label": "Text", "widget": "markdown", "required": false, "i18n": true})
}

/// A file collection of records kept in one TOML file (`[[location]]`…).
fn records_collection(
    config: &Config,
    name: &str,
    label: &str,
    file: &str,
    lists: &[(&str, &str, &str, &[Field])],
) -> Value {
    let fields: Vec<Value> = lists
        .iter()
        .map(|(key, label, singular, table)| {
            json!({
                "name": key,
                "label": label,
                "label_singular": singular,
                "widget": "list",
                "required": false,
                "summary": "{{fields.name}} ({{fields.slug}})",
                "fields": table.iter().map(|f| field_value(config, f, None)).collect::<Vec<_>>(),
            })
        })
        .collect();
    json!({
        "name": name,
        "label": label,
        "files": [{
            "name": name,
            "label": label,
            "file": file,
            "format": "toml",
            "fields": fields,
        }],
    })
}

/// One field's form widget. `i18n` is whether it is translated (`None`
/// where the collection has no translations).
fn field_value(config: &Config, field: &Field, i18n: Option<bool>) -> Value {
    field_at(config, field, i18n, true)
}

/// [`field_value`] for a field of the item (`top`) or of a table in it.
fn field_at(config: &Config, field: &Field, i18n: Option<bool>, top: bool) -> Value {
    let mut v = Map::new();
    v.insert("name".into(), json!(field.name));
    v.insert("label".into(), json!(field.label));
    v.insert("required".into(), json!(field.required));
    if !field.hint.is_empty() {
        v.insert("hint".into(), json!(field.hint));
    }
    if let Some(translated) = i18n {
        // `false`: kept in the default language's file only (Decap's
        // "none"); lists and tables take only the boolean form.
        v.insert("i18n".into(), json!(translated));
    }
    let nested = |fields: &[Field]| -> Value {
        Value::Array(
            fields
                .iter()
                .map(|f| {
                    // Decap checks the required parts of an optional table
                    // even when the table is left empty (and, folded, shows
                    // no message): a part is required only of a required
                    // table here. klynge's check still asks for it when the
                    // table is written.
                    let f = Field {
                        required: f.required && field.required,
                        ..*f
                    };
                    // The parts of a translated table are translated with it.
                    field_at(config, &f, i18n.map(|t| t && !f.shared), false)
                })
                .collect(),
        )
    };
    let widget: Map<String, Value> = match field.holds {
        Holds::Line => obj(json!({"widget": "string"})),
        Holds::Text => obj(json!({"widget": "text"})),
        // No default: Decap would write `false` into every file, and into
        // a photo table that holds nothing else.
        Holds::Bool => obj(json!({"widget": "boolean"})),
        Holds::Int => obj(json!({"widget": "number", "value_type": "int"})),
        Holds::Float => obj(json!({"widget": "number", "value_type": "float"})),
        Holds::Date => obj(date_widget()),
        Holds::DateTime => obj(json!({
            "widget": "datetime",
            "format": "YYYY-MM-DDTHH:mm:ss",
        })),
        // Decap's date picker cannot keep a month without a day: a text,
        // checked against the forms klynge reads.
        Holds::Published => obj(json!({
            "widget": "string",
            "pattern": [PUBLISHED_PATTERN, "a day (2024-03-14) or a month (2024-03)"],
        })),
        Holds::Choice(choices) => obj(json!({"widget": "select", "options": choices()})),
        Holds::Choices(choices) => obj(json!({
            "widget": "select",
            "multiple": true,
            "options": choices(),
        })),
        Holds::Ref(target) => obj(relation(target, false)),
        Holds::Refs(target) => obj(relation(target, true)),
        Holds::Lines => obj(json!({
            "widget": "list",
            "field": {"name": "item", "label": field.label, "widget": "string"},
        })),
        Holds::Dates => obj(json!({
            "widget": "list",
            "field": {"name": "day", "label": "Day", "widget": "datetime", "format": "YYYY-MM-DD", "time_format": false},
        })),
        Holds::Table(fields) => {
            obj(json!({"widget": "object", "collapsed": true, "fields": nested(fields)}))
        }
        // `default: []`: without it Decap starts a list of tables with one
        // empty table, which then fails its own required fields.
        Holds::Tables(fields) => {
            let mut list =
                obj(json!({"widget": "list", "collapsed": true, "fields": nested(fields)}));
            if top {
                list.insert("default".into(), json!([]));
            }
            list
        }
        Holds::Photo => obj(json!({"widget": "image", "choose_url": false})),
        Holds::SourceHash => obj(json!({"widget": "hidden"})),
        Holds::PerLanguage(holds) => {
            let per: Vec<Value> = config
                .languages
                .iter()
                .filter(|l| l.code != config.default_language)
                .map(|l| {
                    let one = Field {
                        name: Box::leak(l.code.as_str().to_string().into_boxed_str()),
                        label: Box::leak(l.name.clone().into_boxed_str()),
                        holds: *holds,
                        required: false,
                        shared: false,
                        hint: "",
                    };
                    field_value(config, &one, None)
                })
                .collect();
            obj(json!({"widget": "object", "collapsed": true, "fields": per}))
        }
    };
    v.extend(widget);
    Value::Object(v)
}

fn obj(v: Value) -> Map<String, Value> {
    match v {
        Value::Object(m) => m,
        _ => Map::new(),
    }
}

/// A day with an optional time and offset, or a year and month.
const PUBLISHED_PATTERN: &str =
    r"^\d{4}-\d{2}(-\d{2}([T ]\d{2}:\d{2}(:\d{2})?(Z|[+-]\d{2}:\d{2})?)?)?$";

fn date_widget() -> Value {
    json!({"widget": "datetime", "format": "YYYY-MM-DD", "time_format": false})
}

/// A choice among the clusters, locations, treatments or categories.
fn relation(target: Target, multiple: bool) -> Value {
    let mut v = match target {
        Target::Cluster => json!({
            "widget": "relation",
            "collection": "clusters",
            "value_field": "{{slug}}",
            "search_fields": ["title"],
            "display_fields": ["title"],
        }),
        Target::Location => records_relation("locations", "location"),
        Target::Treatment => records_relation("treatments", "treatment"),
        Target::Category => records_relation("treatments", "category"),
    };
    if multiple {
        v["multiple"] = json!(true);
    }
    v
}

fn records_relation(collection: &str, list: &str) -> Value {
    json!({
        "widget": "relation",
        "collection": collection,
        "file": collection,
        "value_field": format!("{list}.*.slug"),
        "search_fields": [format!("{list}.*.name"), format!("{list}.*.slug")],
        "display_fields": [format!("{list}.*.name")],
    })
}

/// Block-style YAML for a JSON value: maps and lists indented, strings in
/// JSON's double quotes (valid YAML scalars), so no value needs YAML's
/// quoting rules.
fn write_yaml(v: &Value, indent: usize, out: &mut String) {
    let pad = " ".repeat(indent);
    match v {
        Value::Object(m) => {
            // A field's name first, as people write these files; serde_json
            // keeps its maps sorted, which would put `name` in the middle.
            let rank = |k: &str| match k {
                "name" => 0,
                "label" => 1,
                "widget" => 2,
                _ => 3,
            };
            let mut keys: Vec<(&String, &Value)> = m.iter().collect();
            keys.sort_by_key(|(k, _)| rank(k));
            for (k, val) in keys {
                out.push_str(&pad);
                out.push_str(k);
                out.push(':');
                yaml_child(val, indent, out);
            }
        }
        Value::Array(items) => {
            for item in items {
                out.push_str(&pad);
                out.push('-');
                match item {
                    Value::Object(m) if !m.is_empty() => {
                        // The first key on the dash's line, the rest under it.
                        let mut first = String::new();
                        write_yaml(item, indent + 2, &mut first);
                        out.push(' ');
                        out.push_str(&first[indent + 2..]);
                    }
                    _ => yaml_child(item, indent, out),
                }
            }
        }
        scalar => {
            out.push_str(&pad);
            out.push_str(&scalar.to_string());
            out.push('\n');
        }
    }
}

/// A value after `key:` or `-`: inline when it is a scalar or empty, else
/// on the next lines, indented.
fn yaml_child(v: &Value, indent: usize, out: &mut String) {
    match v {
        Value::Object(m) if !m.is_empty() => {
            out.push('\n');
            write_yaml(v, indent + 2, out);
        }
        Value::Array(a) if !a.is_empty() => {
            out.push('\n');
            write_yaml(v, indent + 2, out);
        }
        Value::Object(_) => out.push_str(" {}\n"),
        Value::Array(_) => out.push_str(" []\n"),
        scalar => {
            out.push(' ');
            out.push_str(&scalar.to_string());
            out.push('\n');
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> Config {
        let text = r#"
title = "T"
base_url = "https://example.org"
default_language = "en"
[languages.en]
name = "English"
[languages.nb]
name = "Norsk bokmål"
"#;
        Config::parse(
            Path::new("."),
            text,
            &Overrides::default(),
            &Diagnostics::new(),
        )
        .unwrap()
    }

    fn gateway() -> Backend {
        Backend::GitGateway {
            branch: "main".into(),
        }
    }

    fn collection<'a>(v: &'a Value, name: &str) -> &'a Value {
        v["collections"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["name"] == name)
            .unwrap()
    }

    fn field<'a>(c: &'a Value, name: &str) -> &'a Value {
        c["fields"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["name"] == name)
            .unwrap_or_else(|| panic!("no field {name}"))
    }

    #[test]
    fn every_kind_has_a_collection_with_every_field() {
        let v = config_value(&site(), &gateway(), None);
        for kind in schema::EDITED {
            let c = collection(&v, names(kind).0);
            assert_eq!(c["folder"], format!("content/{}", kind.folder()));
            assert_eq!(c["format"], "toml-frontmatter");
            assert_eq!(c["extension"], "md");
            for f in schema::fields(kind) {
                let w = field(c, f.name);
                assert_eq!(w["required"], f.required, "{}", f.name);
                assert_eq!(w["i18n"], !f.shared, "{}", f.name);
            }
            assert_eq!(field(c, "body")["widget"], "markdown");
        }
        assert_eq!(v["i18n"]["structure"], "multiple_files");
        assert_eq!(v["i18n"]["locales"], json!(["en", "nb"]));
        assert_eq!(v["i18n"]["default_locale"], "en");
    }

    #[test]
    fn widgets_follow_what_fields_hold() {
        let v = config_value(&site(), &gateway(), None);
        let spas = collection(&v, "spas");
        assert_eq!(field(spas, "kind")["widget"], "select");
        assert!(
            field(spas, "kind")["options"]
                .as_array()
                .unwrap()
                .contains(&json!("medical-spa"))
        );
        assert_eq!(field(spas, "cluster")["widget"], "relation");
        assert_eq!(field(spas, "cluster")["collection"], "clusters");
        assert_eq!(field(spas, "location")["value_field"], "location.*.slug");
        assert_eq!(field(spas, "treatments")["multiple"], true);
        assert_eq!(field(spas, "address")["widget"], "object");
        assert_eq!(field(spas, "gallery")["widget"], "list");
        let image = field(spas, "image");
        assert_eq!(field(image, "src")["widget"], "image");
        assert_eq!(field(image, "alt")["i18n"], true);
        assert_eq!(field(spas, "address")["i18n"], false);
        let news = collection(&v, "news");
        // A text, so a month without a day survives an edit.
        assert_eq!(field(news, "date")["widget"], "string");
        let pattern = field(news, "date")["pattern"][0]
            .as_str()
            .unwrap()
            .to_string();
        assert!(pattern.contains(r"\d{4}-\d{2}("), "{pattern}");
        let locations = collection(&v, "locations");
        let list = &locations["files"][0]["fields"][0];
        assert_eq!(list["name"], "location");
        assert_eq!(field(field(list, "names"), "nb")["widget"], "string");
    }

    #[test]
    fn yaml_nests_maps_and_lists() {
        let mut out = String::new();
        write_yaml(
            &json!({"a": 1, "b": {"c": "x"}, "d": [{"e": true, "f": []}, "g"]}),
            0,
            &mut out,
        );
        assert_eq!(
            out,
            "a: 1\nb:\n  c: \"x\"\nd:\n  - e: true\n    f: []\n  - \"g\"\n"
        );
    }

    #[test]
    fn backends() {
        let gh = Backend::GitHub {
            repo: "org/site".into(),
            branch: "main".into(),
            base_url: Some("https://auth.example.org".into()),
        };
        let v = config_value(&site(), &gh, Some("http://127.0.0.1:9000/api/v1"));
        assert_eq!(v["backend"]["name"], "github");
        assert_eq!(v["backend"]["repo"], "org/site");
        assert_eq!(v["local_backend"]["url"], "http://127.0.0.1:9000/api/v1");
        let y = config_yaml(&site(), &gateway(), None);
        assert!(
            y.contains("backend:\n  name: \"git-gateway\"\n  branch: \"main\"\n"),
            "{y}"
        );
        assert!(y.contains("local_backend: true\n"));
    }
}
