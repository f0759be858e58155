//! `check_site`, which reads a built site the way a browser and a crawler
//! would: every internal link and anchor followed, hreflang alternates
//! proven mutual, JSON-LD, Atom feeds, the sitemap and search indexes
//! parsed; and `reachable`, the pages a reader can click their way to.

use super::ORIGIN;
use super::fs::tree;
use super::html::{file_for, sel, text_of, url_for};
use super::xml::parse_xml;
use scraper::Html;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet, VecDeque};
use std::fs;
use std::path::Path;

/// Resolves links the way a browser would on a site served at
/// `origin` + `base_path`, against the output folder `out`.
pub struct Resolver<'a> {
    pub out: &'a Path,
    pub origin: &'a str,
    pub base_path: &'a str,
}

/// A link that resolved to a file of the output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// Path relative to the output folder (`en/index.html`).
    pub file: String,
    pub fragment: Option<String>,
}

impl Resolver<'_> {
    /// The URL path (with base path) under which output file `rel` is served.
    pub fn served_at(&self, rel: &str) -> String {
        format!("{}{}", self.base_path, url_for(rel))
    }

    /// `Ok(None)` for links that leave the site (other hosts, mailto:, tel:).
    pub fn resolve(&self, from_rel: &str, href: &str) -> Result<Option<Target>, String> {
        let href = href.trim();
        let lower = href.to_ascii_lowercase();
        if ["mailto:", "tel:"].iter().any(|p| lower.starts_with(p)) {
            return Ok(None);
        }
        if lower.starts_with("javascript:") || lower.starts_with("data:") {
            return Err(format!("`{href}` is not a link"));
        }
        let (_, host) = self.origin.split_once("://").unwrap();
        let path_and_rest = if let Some(rest) = lower
            .strip_prefix("https://")
            .or(lower.strip_prefix("http://"))
        {
            let (h, _) = rest.split_once('/').unwrap_or((rest, ""));
            if h != host {
                return Ok(None);
            }
            if !href.starts_with(self.origin) {
                return Err(format!("`{href}` uses another scheme than {}", self.origin));
            }
            let rest = &href[self.origin.len()..];
            if rest.is_empty() {
                "/".to_string()
            } else {
                rest.to_string()
            }
        } else if let Some(rest) = href.strip_prefix("//") {
            let (h, p) = rest.split_once('/').unwrap_or((rest, ""));
            if h.to_ascii_lowercase() != host {
                return Ok(None);
            }
            format!("/{p}")
        } else if href.starts_with('/') {
            href.to_string()
        } else {
            // Relative to the page, or a bare fragment / query.
            let here = self.served_at(from_rel);
            if href.is_empty() || href.starts_with('#') || href.starts_with('?') {
                format!("{here}{href}")
            } else {
                let dir = &here[..=here.rfind('/').unwrap()];
                format!("{dir}{href}")
            }
        };
        let (path, fragment) = match path_and_rest.split_once('#') {
            Some((p, f)) => (p.to_string(), Some(f.to_string())),
            None => (path_and_rest.clone(), None),
        };
        let path = path.split('?').next().unwrap().to_string();
        let path =
            normalize(&path).ok_or_else(|| format!("`{href}` climbs above the site root"))?;
        let in_site = if self.base_path.is_empty() {
            path.as_str()
        } else if path == self.base_path {
            "/"
        } else {
            path.strip_prefix(self.base_path)
                .filter(|p| p.starts_with('/'))
                .ok_or_else(|| format!("`{href}` lacks the base path {}", self.base_path))?
        };
        let file = file_for(in_site);
        let full = self.out.join(&file);
        if full.is_dir() {
            return Err(format!("`{href}` names a folder without a trailing slash"));
        }
        if !full.is_file() {
            return Err(format!(
                "`{href}` does not resolve: no {file} in the output"
            ));
        }
        Ok(Some(Target {
            file,
            fragment: fragment.filter(|f| !f.is_empty()),
        }))
    }
}

/// Resolves `.` and `..` segments; `None` if the path climbs above `/`.
fn normalize(path: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    let segs: Vec<&str> = path.split('/').collect();
    for (i, seg) in segs.iter().enumerate() {
        match *seg {
            "" if i == 0 => {}
            "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    let mut out = format!("/{}", parts.join("/"));
    if (path.ends_with('/') || path.ends_with("/.") || path.ends_with("/..")) && !out.ends_with('/')
    {
        out.push('/');
    }
    Some(out)
}

/// What `check_site` learned about one HTML page.
struct PageInfo {
    lang: String,
    canonical: Option<String>,
    alternates: Vec<(String, String)>,
    ids: HashSet<String>,
    /// (what, link) pairs: every `href`, `src`, `action`, redirect target,
    /// `og:url` and site URL inside JSON-LD.
    refs: Vec<(String, String)>,
    /// `<a hreflang>` links: (hreflang, href).
    lang_links: Vec<(String, String)>,
    redirect: Option<String>,
    noindex: bool,
}

/// What `check_site` looked at, so tests can prove it looked at something.
#[derive(Debug, Default)]
pub struct CheckReport {
    pub html_pages: usize,
    pub links: usize,
    pub anchors: usize,
    pub feeds: usize,
    pub sitemap_urls: usize,
}

/// `check_site_at` for sites on [`ORIGIN`].
pub fn check_site(out: &Path, base_path: &str) -> CheckReport {
    check_site_at(out, ORIGIN, base_path)
}

/// Checks every page of the built site in `out`, served at `origin` +
/// `base_path`: head tags, every internal link and anchor, mutual
/// hreflang alternates, JSON-LD, Atom feeds, the sitemap and search indexes.
/// Panics listing every problem found.
pub fn check_site_at(out: &Path, origin: &str, base_path: &str) -> CheckReport {
    let r = Resolver {
        out,
        origin,
        base_path,
    };
    let files = tree(out);
    assert!(
        files.contains_key("index.html"),
        "no index.html in {}",
        out.display()
    );
    let mut errs: Vec<String> = Vec::new();
    let mut report = CheckReport::default();
    let mut pages: BTreeMap<String, PageInfo> = BTreeMap::new();

    for (rel, bytes) in files.iter().filter(|(k, _)| k.ends_with(".html")) {
        let text = match std::str::from_utf8(bytes) {
            Ok(t) => t,
            Err(_) => {
                errs.push(format!("{rel}: not UTF-8"));
                continue;
            }
        };
        let info = inspect_page(rel, text, &r, &mut errs);
        pages.insert(rel.clone(), info);
    }
    report.html_pages = pages.len();

    for (rel, page) in &pages {
        let me = r.served_at(rel);
        // Every internal link resolves, and its anchor exists.
        for (what, href) in &page.refs {
            match r.resolve(rel, href) {
                Ok(None) => {}
                Ok(Some(t)) => {
                    report.links += 1;
                    if let Some(frag) = &t.fragment {
                        report.anchors += 1;
                        match pages.get(&t.file) {
                            Some(target) if target.ids.contains(frag) => {}
                            Some(_) => errs.push(format!(
                                "{me}: {what} `{href}`: no id `{frag}` in {}",
                                t.file
                            )),
                            None => errs.push(format!(
                                "{me}: {what} `{href}`: anchor into non-HTML {}",
                                t.file
                            )),
                        }
                    }
                }
                Err(e) => errs.push(format!("{me}: {what} {e}")),
            }
        }
        // Canonical: exactly the page itself, or a redirect's target.
        if let Some(canonical) = &page.canonical {
            if !canonical.starts_with(&format!("{origin}{base_path}/")) {
                errs.push(format!(
                    "{me}: canonical {canonical} is not under {origin}{base_path}/"
                ));
            }
            match r.resolve(rel, canonical) {
                Ok(Some(t)) => {
                    if page.redirect.is_none() && t.file != *rel {
                        errs.push(format!(
                            "{me}: canonical {canonical} is another page ({})",
                            t.file
                        ));
                    }
                    if let Some(target) = &page.redirect {
                        match r.resolve(rel, target) {
                            Ok(Some(tt)) if tt.file == t.file => {}
                            _ => errs.push(format!(
                                "{me}: canonical {canonical} is not the redirect target {target}"
                            )),
                        }
                    }
                }
                Ok(None) => errs.push(format!("{me}: canonical {canonical} is on another host")),
                Err(e) => errs.push(format!("{me}: canonical {e}")),
            }
        }
        // Links that say which language they lead to lead to a page in it.
        for (hl, href) in &page.lang_links {
            if let Ok(Some(t)) = r.resolve(rel, href)
                && let Some(target) = pages.get(&t.file)
                && target.lang != *hl
            {
                errs.push(format!(
                    "{me}: link {href} says hreflang={hl} but the page has lang={}",
                    target.lang
                ));
            }
        }
        // hreflang alternates: self-referencing, unique, and mutual.
        let langs: Vec<&String> = page.alternates.iter().map(|(l, _)| l).collect();
        let unique: HashSet<&&String> = langs.iter().collect();
        if unique.len() != langs.len() {
            errs.push(format!("{me}: duplicate hreflang alternates {langs:?}"));
        }
        let real: Vec<&(String, String)> = page
            .alternates
            .iter()
            .filter(|(l, _)| l != "x-default")
            .collect();
        // Whether `page` (as seen from `from`) lists `target` under
        // hreflang `lang` or as the x-default (the language chooser).
        let lists = |from: &str, p: &PageInfo, lang: &str, target: &str| {
            p.alternates.iter().any(|(l, h)| {
                (l == lang || l == "x-default")
                    && matches!(r.resolve(from, h), Ok(Some(t)) if t.file == target)
            })
        };
        if !real.is_empty() && page.redirect.is_none() {
            if !lists(rel, page, &page.lang, rel) {
                errs.push(format!(
                    "{me}: no hreflang={} (or x-default) alternate pointing at itself",
                    page.lang
                ));
            }
            if !page.alternates.iter().any(|(l, _)| l == "x-default") {
                errs.push(format!("{me}: hreflang alternates without x-default"));
            }
        }
        for (l, href) in real {
            let Ok(Some(t)) = r.resolve(rel, href) else {
                continue;
            };
            if t.file == *rel {
                continue;
            }
            let Some(other) = pages.get(&t.file) else {
                errs.push(format!(
                    "{me}: hreflang={l} alternate {href} is not an HTML page"
                ));
                continue;
            };
            if other.lang != *l {
                errs.push(format!(
                    "{me}: hreflang={l} alternate {href} has lang={}",
                    other.lang
                ));
            }
            if !lists(&t.file, other, &page.lang, rel) {
                errs.push(format!("{me}: lists {href} as hreflang={l}, but that page does not list this one as hreflang={}", page.lang));
            }
        }
    }

    // XML: Atom feeds and the sitemap.
    let mut in_sitemap: HashSet<String> = HashSet::new();
    let mut sitemap_seen = false;
    for (rel, bytes) in files.iter().filter(|(k, _)| k.ends_with(".xml")) {
        let text = String::from_utf8_lossy(bytes);
        let doc = match parse_xml(&text) {
            Ok(d) => d,
            Err(e) => {
                errs.push(format!("{rel}: not well-formed XML: {e}"));
                continue;
            }
        };
        match doc.name.as_str() {
            "feed" => {
                report.feeds += 1;
                if doc.attr("xmlns") != Some("http://www.w3.org/2005/Atom") {
                    errs.push(format!("{rel}: feed without the Atom namespace"));
                }
                for link in doc.find_all("link") {
                    if let Some(h) = link.attr("href") {
                        check_url(&r, rel, "link", h, &mut errs, &mut report.links);
                    }
                }
                for entry in doc.find_all("entry") {
                    for field in ["title", "id", "updated"] {
                        if !entry
                            .children
                            .iter()
                            .any(|c| c.name == field && !c.text.trim().is_empty())
                        {
                            errs.push(format!("{rel}: an entry lacks <{field}>"));
                        }
                    }
                }
            }
            "urlset" => {
                sitemap_seen = true;
                for url in doc.find_all("url") {
                    let Some(loc) = url.children.iter().find(|c| c.name == "loc") else {
                        errs.push(format!("{rel}: <url> without <loc>"));
                        continue;
                    };
                    report.sitemap_urls += 1;
                    if let Some(t) = check_url(
                        &r,
                        rel,
                        "loc",
                        loc.text.trim(),
                        &mut errs,
                        &mut report.links,
                    ) {
                        in_sitemap.insert(t.file);
                    } else if !loc.text.trim().starts_with(origin) {
                        errs.push(format!("{rel}: loc {} is not on {origin}", loc.text.trim()));
                    }
                    for alt in url.children.iter().filter(|c| c.name == "xhtml:link") {
                        match alt.attr("href") {
                            Some(h) => {
                                check_url(&r, rel, "xhtml:link", h, &mut errs, &mut report.links);
                            }
                            None => errs.push(format!("{rel}: xhtml:link without href")),
                        }
                    }
                }
            }
            other => errs.push(format!("{rel}: unexpected XML root <{other}>")),
        }
    }
    if !sitemap_seen {
        errs.push("no sitemap.xml".into());
    }
    // Every indexable page is in the sitemap.
    for (rel, page) in &pages {
        if sitemap_seen && page.redirect.is_none() && !page.noindex && !in_sitemap.contains(rel) {
            errs.push(format!("{}: missing from the sitemap", r.served_at(rel)));
        }
    }

    // JSON files (search indexes) parse, and their URLs resolve.
    for (rel, bytes) in files.iter().filter(|(k, _)| k.ends_with(".json")) {
        match serde_json::from_slice::<serde_json::Value>(bytes) {
            Ok(v) => {
                let mut urls = Vec::new();
                json_urls(&v, origin, base_path, &mut urls);
                for u in urls {
                    match r.resolve(rel, &u) {
                        Ok(Some(_)) => report.links += 1,
                        Ok(None) => {}
                        Err(e) => errs.push(format!("{rel}: {e}")),
                    }
                }
            }
            Err(e) => errs.push(format!("{rel}: invalid JSON: {e}")),
        }
    }

    if !errs.is_empty() {
        let n = errs.len();
        errs.truncate(60);
        panic!(
            "check_site({}) found {n} problems:\n  {}",
            out.display(),
            errs.join("\n  ")
        );
    }
    report
}

fn check_url(
    r: &Resolver,
    rel: &str,
    what: &str,
    url: &str,
    errs: &mut Vec<String>,
    links: &mut usize,
) -> Option<Target> {
    match r.resolve(rel, url) {
        Ok(t) => {
            if t.is_some() {
                *links += 1;
            }
            t
        }
        Err(e) => {
            errs.push(format!("{rel}: {what} {e}"));
            None
        }
    }
}

/// Site URLs inside a JSON value: strings under `u`/`url`/`href`/`item`/`@id`
/// keys, and any string on the site's origin.
fn json_urls(v: &serde_json::Value, origin: &str, base_path: &str, out: &mut Vec<String>) {
    json_urls_keyed(v, None, origin, base_path, out)
}

fn json_urls_keyed(
    v: &serde_json::Value,
    key: Option<&str>,
    origin: &str,
    base_path: &str,
    out: &mut Vec<String>,
) {
    match v {
        serde_json::Value::String(s) => {
            let keyed = matches!(key, Some("u" | "url" | "href" | "item" | "@id"));
            if s.starts_with(origin) || (keyed && s.starts_with('/')) {
                out.push(s.clone());
            }
            let _ = base_path;
        }
        serde_json::Value::Array(a) => a
            .iter()
            .for_each(|x| json_urls_keyed(x, key, origin, base_path, out)),
        serde_json::Value::Object(o) => {
            for (k, x) in o {
                json_urls_keyed(x, Some(k), origin, base_path, out)
            }
        }
        _ => {}
    }
}

fn inspect_page(rel: &str, text: &str, r: &Resolver, errs: &mut Vec<String>) -> PageInfo {
    let me = r.served_at(rel);
    let doc = Html::parse_document(text);
    let mut err = |m: String| errs.push(format!("{me}: {m}"));
    if !text
        .trim_start()
        .to_ascii_lowercase()
        .starts_with("<!doctype html>")
    {
        err("no <!DOCTYPE html>".into());
    }
    let lang = doc
        .select(&sel("html"))
        .next()
        .and_then(|h| h.attr("lang"))
        .unwrap_or("")
        .to_string();
    if lang.is_empty() {
        err("no <html lang>".into());
    }
    let dir = doc
        .select(&sel("html"))
        .next()
        .and_then(|h| h.attr("dir"))
        .unwrap_or("");
    let rtl = ["ar", "fa", "he", "ur"].contains(&lang.split('-').next().unwrap_or(""));
    match (dir, rtl) {
        ("", _) => err("no <html dir>".into()),
        ("rtl", true) | ("ltr", false) => {}
        (d, _) => err(format!("<html dir=\"{d}\"> for language `{lang}`")),
    }
    let titles: Vec<String> = doc.select(&sel("head > title")).map(text_of).collect();
    let all_titles = doc.select(&sel("title")).count();
    let svg_titles = doc.select(&sel("svg title")).count();
    if titles.len() != 1 || all_titles - svg_titles != 1 {
        err(format!("{} <title> elements", all_titles - svg_titles));
    } else if titles[0].trim().is_empty() {
        err("empty <title>".into());
    }
    let refresh = doc
        .select(&sel(r#"meta[http-equiv="refresh" i]"#))
        .next()
        .and_then(|m| m.attr("content"))
        .map(|c| {
            let url = c.split_once(';').map_or("", |(_, u)| u).trim();
            let url = url
                .strip_prefix("url=")
                .or_else(|| url.strip_prefix("URL="))
                .unwrap_or(url);
            url.trim_matches(['"', '\'']).to_string()
        });
    let descriptions: Vec<&str> = doc
        .select(&sel(r#"meta[name="description"]"#))
        .map(|m| m.attr("content").unwrap_or(""))
        .collect();
    // A redirect page is no page of its own: it needs no description.
    if refresh.is_none() && (descriptions.len() != 1 || descriptions[0].trim().is_empty()) {
        err(format!("meta descriptions: {descriptions:?}"));
    }
    let canonicals: Vec<String> = doc
        .select(&sel(r#"link[rel="canonical"]"#))
        .map(|l| l.attr("href").unwrap_or("").to_string())
        .collect();
    if canonicals.len() != 1 {
        err(format!("{} canonical links", canonicals.len()));
    }
    let alternates: Vec<(String, String)> = doc
        .select(&sel(r#"link[rel="alternate"][hreflang]"#))
        .map(|l| {
            (
                l.attr("hreflang").unwrap().to_string(),
                l.attr("href").unwrap_or("").to_string(),
            )
        })
        .collect();
    let mut ids = HashSet::new();
    for e in doc.select(&sel("[id]")) {
        if !ids.insert(e.attr("id").unwrap().to_string()) {
            err(format!("duplicate id `{}`", e.attr("id").unwrap()));
        }
    }
    for e in doc.select(&sel("a[name]")) {
        ids.insert(e.attr("name").unwrap().to_string());
    }
    let mut refs = Vec::new();
    for (selector, attr) in [
        ("[href]", "href"),
        ("[src]", "src"),
        ("form[action]", "action"),
        (r#"meta[property="og:url"]"#, "content"),
        (r#"meta[property="og:image"]"#, "content"),
    ] {
        for e in doc.select(&sel(selector)) {
            let name = e.value().name();
            refs.push((
                format!("<{name} {attr}>"),
                e.attr(attr).unwrap().to_string(),
            ));
        }
    }
    if let Some(target) = &refresh {
        refs.push(("meta refresh".into(), target.clone()));
    }
    let lang_links = doc
        .select(&sel("a[href][hreflang]"))
        .map(|a| {
            (
                a.attr("hreflang").unwrap().to_string(),
                a.attr("href").unwrap().to_string(),
            )
        })
        .collect();
    for script in doc.select(&sel(r#"script[type="application/ld+json"]"#)) {
        match serde_json::from_str::<serde_json::Value>(&text_of(script)) {
            Ok(v) => {
                let tops = match &v {
                    serde_json::Value::Array(a) => a.clone(),
                    v => vec![v.clone()],
                };
                for top in &tops {
                    let ctx = top.get("@context").and_then(|c| c.as_str()).unwrap_or("");
                    if ctx != "https://schema.org" && ctx != "http://schema.org" {
                        err(format!("JSON-LD @context is {ctx:?}"));
                    }
                }
                let mut urls = Vec::new();
                json_urls(&v, r.origin, r.base_path, &mut urls);
                refs.extend(urls.into_iter().map(|u| ("JSON-LD url".to_string(), u)));
            }
            Err(e) => err(format!("JSON-LD does not parse: {e}")),
        }
    }
    let noindex = doc
        .select(&sel(r#"meta[name="robots"]"#))
        .any(|m| m.attr("content").unwrap_or("").contains("noindex"));
    PageInfo {
        lang,
        canonical: canonicals.into_iter().next(),
        alternates,
        ids,
        refs,
        lang_links,
        redirect: refresh,
        noindex,
    }
}

/// Output files reachable from `start` (a site path without base path) by
/// following `<a href>` links; only pages for which `expand` holds (by
/// site path) are followed further.
pub fn reachable(
    out: &Path,
    base_path: &str,
    start: &str,
    expand: impl Fn(&str) -> bool,
) -> BTreeSet<String> {
    let r = Resolver {
        out,
        origin: ORIGIN,
        base_path,
    };
    let mut seen = BTreeSet::new();
    let mut queue = VecDeque::new();
    let first = file_for(start);
    seen.insert(first.clone());
    queue.push_back(first);
    let mut cache: HashMap<String, Vec<String>> = HashMap::new();
    while let Some(rel) = queue.pop_front() {
        if !rel.ends_with(".html") || !expand(&url_for(&rel)) {
            continue;
        }
        let links = cache.entry(rel.clone()).or_insert_with(|| {
            let doc = Html::parse_document(&fs::read_to_string(out.join(&rel)).unwrap());
            doc.select(&sel("a[href]"))
                .map(|a| a.attr("href").unwrap().to_string())
                .collect()
        });
        for href in links.clone() {
            if let Ok(Some(t)) = r.resolve(&rel, &href)
                && seen.insert(t.file.clone())
            {
                queue.push_back(t.file);
            }
        }
    }
    seen
}
