//! `klynge check`: every validation of `build`, then what only a whole
//! rendered site shows: links and anchors that do not resolve, and which
//! items are missing in which languages. Writes nothing.

use crate::build;
use crate::config::Overrides;
use crate::content::ContentFile;
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::render::{OutputFile, RenderOptions};
use crate::site::BuildOptions;
use std::collections::{HashMap, HashSet};
use std::path::Path;

pub struct Report {
    /// Languages, in site order.
    pub languages: Vec<String>,
    /// (kind/key, languages it exists in).
    pub rows: Vec<(String, Vec<bool>)>,
    /// Which facts a patient looks for each member has.
    pub completeness: Vec<crate::completeness::Row>,
    /// Per language, in site order: translations made from an older version
    /// of their source, and those that do not say which version.
    pub stale: Vec<(String, usize, usize)>,
}

/// What `klynge check` is asked for beyond every validation of `build`.
#[derive(Debug, Clone, Copy, Default)]
pub struct CheckOptions {
    /// Include items with `draft = true`.
    pub drafts: bool,
    /// Warn about listings whose `verified` date is older than this many
    /// days, and about those with none.
    pub stale: Option<u32>,
    /// The build time (`--now`): what "upcoming" and "stale" are measured
    /// from.
    pub now: Option<crate::time::BuildTime>,
}

impl Report {
    /// A table of items × languages: `✓` where a translation exists.
    pub fn coverage_table(&self) -> String {
        let width = self
            .rows
            .iter()
            .map(|(k, _)| k.chars().count())
            .max()
            .unwrap_or(4)
            .max(4);
        let mut out = format!("{:width$}", "item");
        for l in &self.languages {
            out.push_str(&format!(" {l:>3}"));
        }
        out.push('\n');
        let mut missing = vec![0usize; self.languages.len()];
        for (key, present) in &self.rows {
            out.push_str(&format!("{key:width$}"));
            for (i, p) in present.iter().enumerate() {
                out.push_str(if *p { "   ✓" } else { "   -" });
                if !p {
                    missing[i] += 1;
                }
            }
            out.push('\n');
        }
        out.push_str(&format!("{:width$}", "missing"));
        for m in missing {
            out.push_str(&format!(" {m:>3}"));
        }
        out.push('\n');
        if self.stale.iter().any(|(_, s, u)| s + u > 0) {
            out.push_str(&format!("{:width$}", "stale"));
            for (_, s, _) in &self.stale {
                out.push_str(&format!(" {s:>3}"));
            }
            out.push('\n');
            out.push_str(&format!("{:width$}", "unknown"));
            for (_, _, u) in &self.stale {
                out.push_str(&format!(" {u:>3}"));
            }
            out.push('\n');
            for (lang, _, u) in &self.stale {
                if *u > 0 {
                    let s = if *u == 1 { "" } else { "s" };
                    out.push_str(&format!(
                        "{lang}: {u} translation{s} without source_hash, so whether the source changed since is unknown\n"
                    ));
                }
            }
        }
        out
    }
}

pub fn check(root: &Path, options: CheckOptions, diags: &Diagnostics) -> Option<Report> {
    let loaded = build::load(
        root,
        &Overrides {
            now: options.now,
            ..Overrides::default()
        },
        BuildOptions {
            drafts: options.drafts,
            future: false,
        },
        diags,
    )?;
    if let Some(days) = options.stale {
        crate::completeness::stale(&loaded.site, days, diags);
    }
    let files = build::render(&loaded, &RenderOptions::default(), diags);
    // Each page's output file and the content file it is made from, so a
    // broken link is reported where the editor wrote it.
    let mut sources: HashMap<String, &ContentFile> = HashMap::new();
    for item in &loaded.site.items {
        for t in &item.translations {
            sources.insert(crate::route::file_for(&t.path), &t.file);
        }
    }
    for h in &loaded.site.homes {
        let home = crate::route::Route::Home(h.lang.clone());
        sources.insert(loaded.site.config.file(&home), &h.file);
    }
    check_links_from(&loaded.site.config.base_path, &files, &sources, diags);
    let config = &loaded.site.config;
    let languages: Vec<String> = config
        .languages
        .iter()
        .map(|l| l.code.to_string())
        .collect();
    let mut rows = Vec::new();
    for item in &loaded.site.items {
        if item.translations.is_empty() {
            continue;
        }
        let present: Vec<bool> = config
            .languages
            .iter()
            .map(|l| item.translation_in(&l.code).is_some())
            .collect();
        if item.translation_in(&config.default_language).is_none()
            && let Some(t) = item.translations.first()
        {
            diags.push(
                Diagnostic::warning(format!(
                    "no {} translation; readers of {} see the {} one",
                    config.default_language, config.default_language, t.lang
                ))
                .in_file(&t.file.source.shown),
            );
        }
        rows.push((format!("{}/{}", item.kind.folder(), item.key), present));
    }
    let files: Vec<_> = loaded
        .site
        .items
        .iter()
        .flat_map(|i| i.translations.iter().map(|t| &t.file))
        .chain(loaded.site.homes.iter().map(|h| &h.file))
        .collect();
    let stale = crate::translations::stale_check(config, &files, diags);
    Some(Report {
        languages,
        rows,
        completeness: crate::completeness::rows(&loaded.site),
        stale,
    })
}

/// Every `href` and `src` in the HTML pages that points inside the site
/// must name a file of the output, and its `#anchor` an id in that file.
pub fn check_links(base_path: &str, files: &[OutputFile], diags: &Diagnostics) {
    check_links_from(base_path, files, &HashMap::new(), diags);
}

/// The error for a broken `url` on the page in output file `page`: at the
/// place the content file it is made from writes the link, else naming
/// that file (a link from a template), else the output file.
fn link_error(
    url: &str,
    page: &str,
    problem: &str,
    sources: &HashMap<String, &ContentFile>,
) -> Diagnostic {
    let Some(file) = sources.get(page) else {
        return Diagnostic::error(format!("link `{url}` in {page} {problem}"));
    };
    let body = file.body();
    // As a Markdown link target, a quoted HTML attribute, an autolink.
    let written = [("](", ""), ("\"", "\""), ("<", ">")]
        .iter()
        .find_map(|(before, after)| {
            let i = body.find(&format!("{before}{url}{after}"))?;
            Some(i + before.len())
        })
        .or_else(|| body.find(url));
    match written {
        Some(at) => file
            .source
            .error_at(file.body_offset + at, format!("link `{url}` {problem}"))
            .with_hint("check the address: klynge checks links against the pages it built; `@/spas/laine.md` links to a content file by name"),
        None => Diagnostic::error(format!(
            "link `{url}` on the page made from this file ({page}) {problem}"
        ))
        .in_file(&file.source.shown)
        .with_hint("the link is not in the file's text: it comes from the theme's templates"),
    }
}

fn check_links_from(
    base_path: &str,
    files: &[OutputFile],
    sources: &HashMap<String, &ContentFile>,
    diags: &Diagnostics,
) {
    let by_path: HashMap<&str, &OutputFile> = files.iter().map(|f| (f.path.as_str(), f)).collect();
    let mut ids: HashMap<&str, HashSet<String>> = HashMap::new();
    for f in files.iter().filter(|f| f.path.ends_with(".html")) {
        let html = String::from_utf8_lossy(&f.bytes);
        ids.insert(
            f.path.as_str(),
            attr_values(&html, "id").into_iter().collect(),
        );
    }
    for f in files.iter().filter(|f| f.path.ends_with(".html")) {
        let html = String::from_utf8_lossy(&f.bytes);
        // `srcset` holds `url width` pairs: each URL is checked too.
        let srcset = attr_values(&html, "srcset").into_iter().flat_map(|set| {
            set.split(',')
                .filter_map(|c| c.split_whitespace().next().map(str::to_string))
                .collect::<Vec<_>>()
        });
        let urls = ["href", "src"]
            .into_iter()
            .flat_map(|attr| attr_values(&html, attr))
            .chain(srcset);
        {
            for url in urls {
                if url.starts_with("http:")
                    || url.starts_with("https:")
                    || url.starts_with("mailto:")
                    || url.starts_with("tel:")
                    || url.starts_with("data:")
                    || url.starts_with("//")
                {
                    continue;
                }
                let (path, anchor) = match url.split_once('#') {
                    // Ids in a script other than Latin arrive percent-encoded,
                    // as browsers find them.
                    Some((p, a)) => (p.to_string(), Some(percent_decoded(a))),
                    None => (url.clone(), None),
                };
                let path = path.split('?').next().unwrap_or("").to_string();
                let target = if path.is_empty() {
                    Some(f.path.clone())
                } else if path.starts_with('/') {
                    path.strip_prefix(base_path)
                        .filter(|r| r.starts_with('/'))
                        .map(crate::render::file_for)
                } else {
                    relative_target(&f.path, &path)
                };
                let Some(target) = target else {
                    diags.push(link_error(
                        &url,
                        &f.path,
                        "does not point inside the site",
                        sources,
                    ));
                    continue;
                };
                if !by_path.contains_key(target.as_str()) {
                    diags.push(link_error(
                        &url,
                        &f.path,
                        "points to a page that does not exist",
                        sources,
                    ));
                    continue;
                }
                if let Some(a) = anchor.filter(|a| !a.is_empty())
                    && !ids.get(target.as_str()).is_some_and(|s| s.contains(&a))
                {
                    diags.push(link_error(
                        &url,
                        &f.path,
                        "points to a heading id (`#…`) that the page does not have",
                        sources,
                    ));
                }
            }
        }
    }
}

/// The output file a relative link (`../parnu/`) from page file `from`
/// points to, or `None` if it climbs out of the site.
fn relative_target(from: &str, link: &str) -> Option<String> {
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop();
    for seg in link.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    let joined = format!(
        "/{}{}",
        parts.join("/"),
        if link.ends_with('/') { "/" } else { "" }
    );
    Some(crate::render::file_for(&joined))
}

/// Values of `name="…"` attributes in `html`, unescaped.
fn attr_values(html: &str, name: &str) -> Vec<String> {
    let needle = format!(" {name}=\"");
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find(&needle) {
        rest = &rest[i + needle.len()..];
        if let Some(end) = rest.find('"') {
            out.push(html_escape::decode_html_entities(&rest[..end]).to_string());
            rest = &rest[end..];
        }
    }
    out
}

/// `s` with its `%XX` escapes decoded (as UTF-8; a broken sequence is
/// kept as the replacement character, which no id holds).
fn percent_decoded(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = |j: usize| b.get(j).and_then(|c| (*c as char).to_digit(16));
        match (b[i], hex(i + 1), hex(i + 2)) {
            (b'%', Some(h), Some(l)) => {
                out.push((h * 16 + l) as u8);
                i += 3;
            }
            (c, _, _) => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::{percent_decoded, relative_target};

    #[test]
    fn anchors_are_compared_decoded() {
        assert_eq!(percent_decoded("%D0%BB%D0%B5%D1%87"), "леч");
        assert_eq!(percent_decoded("a%2"), "a%2");
        assert_eq!(percent_decoded("plain-id"), "plain-id");
    }

    #[test]
    fn relative_links_resolve_from_the_page() {
        assert_eq!(
            relative_target("en/spas/laine/index.html", "../kalev/").as_deref(),
            Some("en/spas/kalev/index.html")
        );
        assert_eq!(
            relative_target("en/index.html", "spas/").as_deref(),
            Some("en/spas/index.html")
        );
        assert_eq!(
            relative_target("en/index.html", "atom.xml").as_deref(),
            Some("en/atom.xml")
        );
        assert_eq!(relative_target("index.html", "../x/"), None);
    }
}
