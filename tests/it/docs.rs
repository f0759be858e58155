//! The examples of docs/themes.md's "Functions, filters and shortcodes",
//! rendered, so the documentation cannot drift from what klynge does:
//! each `jinja example` block is put in a page template and must give
//! exactly its `html output` block; each `markdown example` is put in a
//! page body, and its `html output` must be part of the page. Blocks with
//! `file=PATH` are written into the site first. Every function, filter
//! and built-in shortcode must have an example.

use crate::photos::jpeg;
use crate::support::*;

const SECTION: &str = "## Functions, filters and shortcodes";

/// A fenced block: its info string and text.
struct Block {
    info: String,
    text: String,
}

fn blocks(doc: &str) -> Vec<Block> {
    let start = doc.find(SECTION).expect("the section is in docs/themes.md");
    let rest = &doc[start + SECTION.len()..];
    let section = &rest[..rest.find("\n## ").unwrap_or(rest.len())];
    let mut out = Vec::new();
    let mut open: Option<Block> = None;
    for line in section.lines() {
        match &mut open {
            None => {
                if let Some(info) = line.strip_prefix("```") {
                    open = Some(Block {
                        info: info.trim().to_string(),
                        text: String::new(),
                    });
                }
            }
            Some(_) if line == "```" => out.extend(open.take()),
            Some(b) => {
                b.text.push_str(line);
                b.text.push('\n');
            }
        }
    }
    out
}

/// (example, expected output) pairs of one kind of example.
fn pairs<'b>(blocks: &'b [Block], kind: &str) -> Vec<(&'b str, &'b str)> {
    blocks
        .windows(2)
        .filter(|w| w[0].info == format!("{kind} example") && w[1].info == "html output")
        .map(|w| (w[0].text.as_str(), w[1].text.as_str()))
        .collect()
}

#[test]
fn every_example_of_the_theme_docs_renders_as_shown() {
    let doc = std::fs::read_to_string(manifest_dir().join("docs/themes.md")).unwrap();
    let blocks = blocks(&doc);
    let site = SiteTest::fixture("basic");
    for b in &blocks {
        if let Some(path) = b
            .info
            .split_whitespace()
            .find_map(|w| w.strip_prefix("file="))
        {
            site.write(path, &b.text);
        }
    }
    let toml = site.read("site.toml");
    site.write(
        "site.toml",
        format!("{toml}\n[templates]\nenv = [\"SITE_VERSION\"]\n"),
    );
    site.write("content/pages/about/pool.jpg", jpeg(800, 600));
    site.write("content/pages/about/sauna.jpg", jpeg(600, 800));

    let templates = pairs(&blocks, "jinja");
    let markdown = pairs(&blocks, "markdown");
    assert!(templates.len() >= 6 && markdown.len() >= 6, "examples lost");
    let mut page = String::from("{% extends \"base.html\" %}\n{% block content %}\n");
    for (i, (example, _)) in templates.iter().enumerate() {
        page.push_str(&format!(
            "<div id=\"ex-{i}\">{}</div>\n",
            example.trim_end()
        ));
    }
    page.push_str("{{ data.body | safe }}\n{% endblock content %}\n");
    site.write("templates/page.html", page);
    let body: Vec<&str> = markdown.iter().map(|(m, _)| *m).collect();
    site.write(
        "content/pages/about.en.md",
        format!(
            "+++\ntitle = \"About\"\n+++\n\n{}\n## Contact\n\nWrite to us.\n",
            body.join("\n")
        ),
    );
    // The docs' `now()` example shows this fixed build time.
    let now = klynge::time::BuildTime::parse("2026-12-03T12:00:00Z").unwrap();
    site.build_with(|a| a.now = Some(now)).assert_ok();
    let html = site.text("/en/pages/about/");
    let mut wrong = Vec::new();
    for (i, (example, output)) in templates.iter().enumerate() {
        let open = format!("<div id=\"ex-{i}\">");
        let from = html.find(&open).expect("example rendered") + open.len();
        let got = &html[from..from + html[from..].find("</div>\n").unwrap()];
        if got != output.trim_end_matches('\n') {
            wrong.push(format!("{example}gives\n{got}\nnot\n{output}"));
        }
    }
    for (example, output) in &markdown {
        if !html.contains(output.trim_end_matches('\n')) {
            wrong.push(format!("{example}does not give\n{output}"));
        }
    }
    assert!(
        wrong.is_empty(),
        "{}\n\npage:\n{html}",
        wrong.join("\n---\n")
    );

    // Every function, filter and shortcode has an example.
    let examples: String = blocks
        .iter()
        .filter(|b| b.info.ends_with("example"))
        .map(|b| b.text.as_str())
        .collect();
    for name in [
        "get_url(",
        "get_item(",
        "t(",
        "load_data(",
        "get_env(",
        "slugify",
        "urlencode ",
        "urlencode_strict",
        "filesizeformat",
        "date(",
    ]
    .into_iter()
    .map(String::from)
    .chain(
        klynge::render::shortcodes::builtin_names()
            .into_iter()
            .map(|n| format!("{n}(")),
    ) {
        assert!(examples.contains(&name), "no example of `{name}`");
    }
}
