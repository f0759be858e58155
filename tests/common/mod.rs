//! Helpers shared by the build tests: fixture sites copied to temporary
//! folders, builds through the library, and `check_site`, which reads the
//! built output the way a browser and a crawler would.

#![allow(dead_code)]

use klynge::build::{BuildArgs, build};
use klynge::diagnostic::{Diagnostic, Diagnostics};
use scraper::{ElementRef, Html, Selector};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet, VecDeque};
use std::fs;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

/// The origin of every fixture's `base_url`.
pub const ORIGIN: &str = "https://example.org";

/// A site copied into a temporary folder: `<tmp>/site` is the root, and the
/// output goes to `<tmp>/out/public`, so `<tmp>/out` holds nothing else.
pub struct Site {
    pub tmp: TempDir,
    pub root: PathBuf,
    pub out: PathBuf,
}

pub fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Copies `tests/fixtures/<name>` into a new temporary folder.
pub fn fixture(name: &str) -> Site {
    let src = manifest_dir().join("tests/fixtures").join(name);
    assert!(
        src.join("site.toml").is_file(),
        "no fixture {}",
        src.display()
    );
    let site = empty_site();
    copy_dir(&src, &site.root);
    site
}

/// Copies the repository's sample site (site.toml, content/, and the
/// theme and template folders when present) into a temporary folder.
pub fn sample_site() -> Site {
    let src = manifest_dir();
    let site = empty_site();
    fs::copy(src.join("site.toml"), site.root.join("site.toml")).unwrap();
    for dir in ["content", "themes", "templates", "static"] {
        if src.join(dir).is_dir() {
            copy_dir(&src.join(dir), &site.root.join(dir));
        }
    }
    site
}

fn empty_site() -> Site {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    let out = tmp.path().join("out").join("public");
    fs::create_dir_all(&root).unwrap();
    fs::create_dir_all(out.parent().unwrap()).unwrap();
    Site { tmp, root, out }
}

/// Builds the repository's own sample site, where it stands, into `out`;
/// panics with the errors when it does not build.
pub fn build_repository_site(out: &Path) {
    let diags = Diagnostics::new();
    let args = BuildArgs {
        root: manifest_dir(),
        output: Some(out.to_path_buf()),
        base_url: None,
        drafts: false,
    };
    let built = build(&args, &diags);
    assert!(
        built.is_some(),
        "the sample site must build:\n{}",
        headlines(&diags.sorted())
    );
}

pub fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from).sort_by_file_name() {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(from).unwrap();
        let target = to.join(rel);
        if entry.file_type().is_dir() {
            fs::create_dir_all(&target).unwrap();
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

impl Site {
    /// Builds into `self.out`; the diagnostics on failure.
    pub fn try_build(
        &self,
        base_url: Option<&str>,
        drafts: bool,
    ) -> Result<Vec<Diagnostic>, Vec<Diagnostic>> {
        self.try_build_into(&self.out, base_url, drafts)
    }

    pub fn try_build_into(
        &self,
        out: &Path,
        base_url: Option<&str>,
        drafts: bool,
    ) -> Result<Vec<Diagnostic>, Vec<Diagnostic>> {
        let diags = Diagnostics::new();
        let args = BuildArgs {
            root: self.root.clone(),
            output: Some(out.to_path_buf()),
            base_url: base_url.map(str::to_string),
            drafts,
        };
        let summary = build(&args, &diags);
        let all = diags.sorted();
        match summary {
            Some(_) if !diags.has_errors() => Ok(all),
            Some(_) => panic!(
                "build returned a summary despite errors:\n{}",
                headlines(&all)
            ),
            None => Err(all),
        }
    }

    /// Builds and panics with every diagnostic when the build fails.
    pub fn build(&self) {
        self.build_with(None, false);
    }

    pub fn build_with(&self, base_url: Option<&str>, drafts: bool) {
        if let Err(d) = self.try_build(base_url, drafts) {
            panic!(
                "build of {} failed:\n{}",
                self.root.display(),
                headlines(&d)
            );
        }
    }

    /// Builds, expecting failure; the error diagnostics.
    pub fn build_err(&self, base_url: Option<&str>, drafts: bool) -> Vec<Diagnostic> {
        match self.try_build(base_url, drafts) {
            Ok(d) => panic!("build succeeded but should have failed:\n{}", headlines(&d)),
            Err(d) => {
                let errors: Vec<Diagnostic> = d.into_iter().filter(Diagnostic::is_error).collect();
                assert!(
                    !errors.is_empty(),
                    "build failed without an error diagnostic"
                );
                errors
            }
        }
    }

    pub fn write(&self, rel: &str, text: &str) {
        let p = self.root.join(rel);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, text).unwrap();
    }

    pub fn read(&self, rel: &str) -> String {
        fs::read_to_string(self.root.join(rel)).unwrap()
    }

    pub fn remove(&self, rel: &str) {
        fs::remove_file(self.root.join(rel)).unwrap();
    }

    /// Whether the output has a file for site path `url` (`/en/spas/`).
    pub fn exists(&self, url: &str) -> bool {
        self.out.join(file_for(url)).is_file()
    }

    pub fn text(&self, url: &str) -> String {
        let p = self.out.join(file_for(url));
        fs::read_to_string(&p)
            .unwrap_or_else(|e| panic!("cannot read {url} ({}): {e}", p.display()))
    }

    pub fn page(&self, url: &str) -> Html {
        Html::parse_document(&self.text(url))
    }
}

pub fn headlines(diags: &[Diagnostic]) -> String {
    diags
        .iter()
        .map(|d| format!("  {}\n", d.headline()))
        .collect()
}

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

/// Every file of a tree, by path relative to `dir`, with its bytes.
pub fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut map = BTreeMap::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let rel = entry
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            map.insert(rel, fs::read(entry.path()).unwrap());
        }
    }
    map
}

/// Panics with the differing paths when two trees are not byte-identical.
pub fn assert_same_tree(a: &Path, b: &Path, what: &str) {
    let (ta, tb) = (tree(a), tree(b));
    let only_a: Vec<_> = ta.keys().filter(|k| !tb.contains_key(*k)).collect();
    let only_b: Vec<_> = tb.keys().filter(|k| !ta.contains_key(*k)).collect();
    let differ: Vec<_> = ta
        .iter()
        .filter(|(k, v)| tb.get(*k).is_some_and(|w| w != *v))
        .map(|(k, _)| k)
        .collect();
    assert!(
        only_a.is_empty() && only_b.is_empty() && differ.is_empty(),
        "{what}: trees differ\n only in {}: {only_a:?}\n only in {}: {only_b:?}\n different bytes: {differ:?}",
        a.display(),
        b.display()
    );
    assert!(!ta.is_empty(), "{what}: empty tree {}", a.display());
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

// ---------------------------------------------------------------------------
// Minimal XML tree on top of quick-xml, strict enough to prove well-formedness.

#[derive(Debug, Default)]
pub struct XmlNode {
    pub name: String,
    pub attrs: Vec<(String, String)>,
    pub children: Vec<XmlNode>,
    pub text: String,
}

impl XmlNode {
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// Every descendant (self included) named `name`.
    pub fn all<'a>(&'a self, name: &str, out: &mut Vec<&'a XmlNode>) {
        if self.name == name {
            out.push(self);
        }
        for c in &self.children {
            c.all(name, out);
        }
    }

    pub fn find_all(&self, name: &str) -> Vec<&XmlNode> {
        let mut v = Vec::new();
        self.all(name, &mut v);
        v
    }
}

/// Parses `text` as a well-formed XML document with a single root.
pub fn parse_xml(text: &str) -> Result<XmlNode, String> {
    use quick_xml::XmlVersion;
    use quick_xml::events::{BytesStart, Event};
    fn start(e: &BytesStart) -> Result<XmlNode, String> {
        let name = e.name().as_ref().to_string();
        let mut attrs = Vec::new();
        for a in e.attributes() {
            let a = a.map_err(|e| format!("bad attribute in <{name}>: {e}"))?;
            let key = a.key.as_ref().to_string();
            let value = a
                .normalized_value(XmlVersion::Implicit1_0)
                .map_err(|e| format!("bad value of {key} in <{name}>: {e}"))?;
            attrs.push((key, value.into_owned()));
        }
        Ok(XmlNode {
            name,
            attrs,
            ..Default::default()
        })
    }
    let mut reader = quick_xml::Reader::from_str(text);
    let mut stack: Vec<XmlNode> = Vec::new();
    let mut root: Option<XmlNode> = None;
    let push_child = |stack: &mut Vec<XmlNode>,
                      root: &mut Option<XmlNode>,
                      node: XmlNode|
     -> Result<(), String> {
        match stack.last_mut() {
            Some(parent) => parent.children.push(node),
            None if root.is_none() => *root = Some(node),
            None => return Err(format!("second root element <{}>", node.name)),
        }
        Ok(())
    };
    loop {
        let pos = reader.buffer_position();
        let ev = reader
            .read_event()
            .map_err(|e| format!("XML error near byte {pos}: {e}"))?;
        match ev {
            Event::Start(e) => {
                if stack.is_empty() && root.is_some() {
                    return Err("second root element".into());
                }
                stack.push(start(&e)?);
            }
            Event::Empty(e) => {
                let node = start(&e)?;
                push_child(&mut stack, &mut root, node)?;
            }
            Event::End(_) => {
                let node = stack.pop().ok_or("end tag without start tag")?;
                push_child(&mut stack, &mut root, node)?;
            }
            Event::Text(t) => {
                let s = t.xml_content(XmlVersion::Implicit1_0);
                match stack.last_mut() {
                    Some(n) => n.text.push_str(&s),
                    None if s.trim().is_empty() => {}
                    None => return Err(format!("text outside the root element: {s:?}")),
                }
            }
            Event::CData(t) => {
                let s = t.xml_content(XmlVersion::Implicit1_0);
                stack
                    .last_mut()
                    .ok_or("CDATA outside the root element")?
                    .text
                    .push_str(&s);
            }
            Event::GeneralRef(r) => {
                let name = r.to_string();
                let resolved = match r
                    .resolve_char_ref()
                    .map_err(|e| format!("bad reference &{name};: {e}"))?
                {
                    Some(c) => c.to_string(),
                    None => quick_xml::escape::resolve_predefined_entity(&name)
                        .ok_or_else(|| format!("undefined entity &{name};"))?
                        .to_string(),
                };
                stack
                    .last_mut()
                    .ok_or("reference outside the root element")?
                    .text
                    .push_str(&resolved);
            }
            Event::Decl(_) | Event::Comment(_) | Event::PI(_) | Event::DocType(_) => {}
            Event::Eof => break,
        }
    }
    if let Some(open) = stack.last() {
        return Err(format!("<{}> is never closed", open.name));
    }
    root.ok_or_else(|| "no root element".to_string())
}

// ---------------------------------------------------------------------------
// Link resolution and the whole-site check.

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
