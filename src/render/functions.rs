//! The theme author's functions and filters, beside Tera's own:
//!
//! - `get_url(path=…)`: a site path as a link, with the base path; an
//!   error for a page the site does not have;
//! - `get_item(kind=, slug=, lang=)`: an item as lists show it (the same
//!   item link view pages get);
//! - `t(key=…, default=…)`: a UI string of the page language;
//! - `load_data(path=…)`: a TOML, JSON or CSV file inside the site;
//! - `get_env(name=…)`: only the variables `[templates] env` lists;
//! - `now()`: the build's one fixed time (`--now`, `SOURCE_DATE_EPOCH`);
//! - filters `slugify`, `urlencode`, `urlencode_strict`,
//!   `filesizeformat`, `date`.
//!
//! Every one of them gives the same answer for the same site, so output
//! stays byte-identical between runs and machines.
//!
//! The functions read the site and record what they read for `serve`, so
//! they need the page being rendered. Tera hands a function only its
//! arguments; the page is put in a thread-local for the length of each
//! render ([`Renderer::render_tera`]), which is the one place that sets it.

use super::Renderer;
use super::deps::Dep;
use crate::config::Lang;
use crate::content::Kind;
use serde_json::{Value, json};
use std::cell::Cell;
use std::collections::HashMap;
use std::path::{Component, Path};
use std::ptr::NonNull;

/// The page being rendered on this thread: its renderer and language.
#[derive(Clone, Copy)]
struct Scope {
    renderer: NonNull<Renderer<'static>>,
    lang: NonNull<Lang>,
}

thread_local! {
    static PAGE: Cell<Option<Scope>> = const { Cell::new(None) };
}

/// Puts the previous scope back, also when rendering panics.
struct Restore(Option<Scope>);

impl Drop for Restore {
    fn drop(&mut self) {
        PAGE.set(self.0);
    }
}

impl Renderer<'_> {
    /// Renders `template` with `context` for a page in `lang`: the one way
    /// pages, list entries and shortcodes call Tera, so the functions
    /// below always know their page.
    pub(crate) fn render_tera(
        &self,
        template: &str,
        lang: &Lang,
        context: &tera::Context,
    ) -> tera::Result<String> {
        let scope = Scope {
            renderer: NonNull::from(self).cast(),
            lang: NonNull::from(lang),
        };
        let _restore = Restore(PAGE.replace(Some(scope)));
        self.theme.tera.render(template, context)
    }
}

/// Runs `f` with the page being rendered on this thread.
fn with_page<R>(
    name: &str,
    f: impl FnOnce(&Renderer<'_>, &Lang) -> tera::Result<R>,
) -> tera::Result<R> {
    let Some(scope) = PAGE.get() else {
        return Err(format!("`{name}` can only be called while a page is rendered").into());
    };
    // SAFETY: `render_tera` sets the scope from references that outlive
    // the `tera.render` call it wraps and restores the previous scope when
    // that call ends, so the pointers are valid whenever a function runs
    // on this thread. `f` is generic over the renderer's lifetime and
    // cannot keep what it is lent.
    let (r, lang) = unsafe {
        (
            scope.renderer.cast::<Renderer<'_>>().as_ref(),
            scope.lang.as_ref(),
        )
    };
    f(r, lang)
}

type Args = HashMap<String, Value>;

fn text_arg<'a>(args: &'a Args, fname: &str, name: &str, example: &str) -> tera::Result<&'a str> {
    match args.get(name) {
        Some(Value::String(s)) => Ok(s),
        Some(other) => Err(format!(
            "{fname}: `{name}` must be text, not {other}; for example {example}"
        )
        .into()),
        None => Err(format!("{fname} needs `{name}`: for example {example}").into()),
    }
}

/// The language a function call means: its `lang` argument, else the
/// page's.
fn lang_arg(r: &Renderer, args: &Args, page: &Lang, fname: &str) -> tera::Result<Lang> {
    match args.get("lang").and_then(Value::as_str) {
        Some(l) if r.site.config.has_language(l) => Ok(Lang(l.to_string())),
        Some(l) => Err(format!(
            "{fname}: the site has no language `{l}`; its languages are {}",
            r.site
                .config
                .languages
                .iter()
                .map(|l| l.code.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )
        .into()),
        None => Ok(page.clone()),
    }
}

/// `get_url(path="/en/spas/laine/")`: the link to a page or static file of
/// the site, with the base path.
fn get_url(args: &Args) -> tera::Result<Value> {
    with_page("get_url", |r, _| {
        let path = text_arg(args, "get_url", "path", "get_url(path=\"/en/spas/\")")?;
        if !path.starts_with('/') {
            return Err(format!(
                "get_url: `{path}` is not a site path; write it from the site's root, like `/en/spas/`"
            )
            .into());
        }
        if !r.has_path(path) {
            return Err(format!(
                "get_url: the site has no page or file `{path}`{}",
                r.nearest_path(path)
                    .map(|p| format!("; did you mean `{p}`?"))
                    .unwrap_or_default()
            )
            .into());
        }
        Ok(r.site.config.link(path).into())
    })
}

/// `get_item(kind="spa", slug="laine")`: the item link view of an item in
/// the page language (or `lang`).
fn get_item(args: &Args) -> tera::Result<Value> {
    with_page("get_item", |r, page| {
        let example = "get_item(kind=\"spa\", slug=\"laine\")";
        let kind_name = text_arg(args, "get_item", "kind", example)?;
        let slug = text_arg(args, "get_item", "slug", example)?;
        let kind = match kind_name {
            "cluster" => Kind::Cluster,
            "spa" => Kind::Spa,
            "news" => Kind::News,
            "page" => Kind::Page,
            other => {
                return Err(format!(
                    "get_item: `{other}` is not a kind; the kinds are cluster, spa, news, page"
                )
                .into());
            }
        };
        let lang = lang_arg(r, args, page, "get_item")?;
        r.read(Dep::Kind(kind));
        let Some(item) = r
            .site
            .find(kind, slug)
            .filter(|i| !i.translations.is_empty())
        else {
            let keys: Vec<&str> = r
                .site
                .items_of(kind)
                .filter(|i| !i.translations.is_empty())
                .map(|i| i.key.as_str())
                .collect();
            return Err(format!(
                "get_item: there is no {kind_name} `{slug}`{}",
                crate::slug::closest(slug, &keys)
                    .map(|k| format!("; did you mean `{k}`?"))
                    .unwrap_or_default()
            )
            .into());
        };
        let link = r
            .item_link(item, &lang)
            .ok_or_else(|| format!("get_item: {kind_name} `{slug}` has no page"))?;
        Ok(json!(&*link))
    })
}

/// `t(key="news")`: a UI string of the page language (the theme's
/// fallbacks are already applied); `default` when the theme has none.
/// A dotted key reads a table: `t(key="shortcode.note_info")`.
fn t(args: &Args) -> tera::Result<Value> {
    with_page("t", |r, page| {
        let key = text_arg(args, "t", "key", "t(key=\"news\")")?;
        let lang = lang_arg(r, args, page, "t")?;
        let strings = r.theme.strings(&lang);
        let mut parts = key.split('.');
        let first = parts.next().unwrap_or_default();
        let found = parts.try_fold(strings.get(first), |v, p| Some(v?.get(p)));
        match (found.flatten(), args.get("default")) {
            (Some(toml::Value::String(s)), _) => Ok(s.clone().into()),
            (Some(other), _) => Ok(serde_json::to_value(other).map_err(tera::Error::json)?),
            (None, Some(d)) => Ok(d.clone()),
            (None, None) => {
                let keys: Vec<&str> = strings.keys().map(String::as_str).collect();
                Err(format!(
                    "t: the theme has no UI string `{key}`{}; give one in i18n/<lang>.toml or pass `default=\"…\"`",
                    crate::slug::closest(key, &keys)
                        .map(|k| format!(" (did you mean `{k}`?)"))
                        .unwrap_or_default()
                )
                .into())
            }
        }
    })
}

/// `load_data(path="data/prices.toml")`: the file parsed. TOML and JSON
/// as they are; CSV as `{headers, records}`. Only files inside the site:
/// no absolute path, no `..`, no symbolic link that leads out.
fn load_data(args: &Args) -> tera::Result<Value> {
    with_page("load_data", |r, _| {
        let rel = text_arg(
            args,
            "load_data",
            "path",
            "load_data(path=\"data/prices.toml\")",
        )?;
        let root = &r.site.config.root;
        let file = data_path(root, rel).map_err(|why| format!("load_data: `{rel}` {why}"))?;
        r.read(Dep::Data(data_key(rel)));
        let text = std::fs::read_to_string(&file)
            .map_err(|e| format!("load_data: cannot read `{rel}`: {e}"))?;
        parse_data(rel, &text).map_err(|why| format!("load_data: `{rel}`: {why}").into())
    })
}

/// The file `rel` names inside `root`, or why it may not be read.
pub fn data_path(root: &Path, rel: &str) -> Result<std::path::PathBuf, String> {
    let p = Path::new(rel);
    if rel.is_empty()
        || rel.contains('\\')
        || !p
            .components()
            .all(|c| matches!(c, Component::Normal(_) | Component::CurDir))
    {
        return Err(
            "is not a path inside the site: write it from the site folder, like `data/prices.toml`, without `/` at the start or `..`"
                .into(),
        );
    }
    let file = root.join(p);
    let real = file
        .canonicalize()
        .map_err(|e| format!("cannot be read: {e}"))?;
    let real_root = root.canonicalize().map_err(|e| e.to_string())?;
    if !real.starts_with(&real_root) {
        return Err("leads out of the site (a symbolic link): copy the file into the site".into());
    }
    Ok(real)
}

/// What a page that loaded `rel` records: a hash of the path as written
/// relative to the site, stable between runs.
pub fn data_key(rel: &str) -> u64 {
    let rel = rel.strip_prefix("./").unwrap_or(rel);
    // FNV-1a: small, and the same on every machine.
    rel.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

fn parse_data(rel: &str, text: &str) -> Result<Value, String> {
    let ext = Path::new(rel)
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    match ext.as_deref() {
        Some("toml") => {
            let v: toml::Value = toml::from_str(text).map_err(|e| e.message().to_string())?;
            serde_json::to_value(v).map_err(|e| e.to_string())
        }
        Some("json") => serde_json::from_str(text).map_err(|e| e.to_string()),
        Some("csv") => {
            csv(text).map(|(headers, records)| json!({"headers": headers, "records": records}))
        }
        _ => Err("is not a .toml, .json or .csv file".into()),
    }
}

/// RFC 4180 CSV: the first row is the headers; fields may be quoted, with
/// `""` for a quote and line breaks inside quotes.
fn csv(text: &str) -> Result<(Vec<String>, Vec<Vec<String>>), String> {
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut line = 1;
    let mut chars = text.trim_start_matches('\u{feff}').chars().peekable();
    let mut any = false;
    while let Some(c) = chars.next() {
        any = true;
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => {
                if c == '\n' {
                    line += 1;
                }
                field.push(c);
            }
            (false, '"') if field.is_empty() => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut field)),
            (false, '\r') => {}
            (false, '\n') => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
                line += 1;
                any = false;
            }
            (false, c) => field.push(c),
        }
    }
    if quoted {
        return Err(format!("a quoted field is never closed (line {line})"));
    }
    if any {
        row.push(field);
        rows.push(row);
    }
    let mut rows = rows.into_iter();
    let headers = rows.next().ok_or("the file is empty")?;
    let records: Vec<Vec<String>> = rows.collect();
    if let Some((n, r)) = records
        .iter()
        .enumerate()
        .find(|(_, r)| r.len() != headers.len())
    {
        return Err(format!(
            "line {} has {} fields, the header {}",
            n + 2,
            r.len(),
            headers.len()
        ));
    }
    Ok((headers, records))
}

/// `get_env(name=…)`: only variables `[templates] env` in site.toml lists.
struct GetEnv {
    allowed: Vec<String>,
}

impl tera::Function for GetEnv {
    fn call(&self, args: &Args) -> tera::Result<Value> {
        let name = text_arg(args, "get_env", "name", "get_env(name=\"CI_COMMIT\")")?;
        if !self.allowed.iter().any(|a| a == name) {
            return Err(format!(
                "get_env: `{name}` is not in `[templates] env` of site.toml; list it there (`env = [\"{name}\"]`) so that the build says what it depends on"
            )
            .into());
        }
        match std::env::var(name) {
            Ok(v) => Ok(v.into()),
            Err(_) => args.get("default").cloned().ok_or_else(|| {
                format!("get_env: `{name}` is not set; pass `default=\"…\"`").into()
            }),
        }
    }
}

/// The build's one time (`--now`, `SOURCE_DATE_EPOCH` or the clock when
/// the build started), never the clock at the moment a page renders, so
/// every page of a build says the same and a reproducible build stays so.
/// As Tera's own: RFC 3339 in UTC, or `timestamp=true` for seconds.
fn now(args: &Args) -> tera::Result<Value> {
    with_page("now", |r, _| {
        let now = r.site.config.now;
        Ok(match args.get("timestamp") {
            Some(Value::Bool(true)) => now.timestamp().as_second().into(),
            _ => now.rfc3339().into(),
        })
    })
}

fn get_random(_: &Args) -> tera::Result<Value> {
    Err("`get_random()` is not available: the same site must give the same pages every time".into())
}

fn slugify(v: &Value, _: &Args) -> tera::Result<Value> {
    let s = tera::try_get_value!("slugify", "value", String, v);
    Ok(crate::slug::slugify(&s).into())
}

/// Percent-encoding of everything but the unreserved characters and, for
/// `urlencode` (not `urlencode_strict`), `/`, as Tera's own filters do.
fn percent(s: &str, keep_slash: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                out.push(b as char)
            }
            b'/' if keep_slash => out.push('/'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

fn urlencode(v: &Value, _: &Args) -> tera::Result<Value> {
    let s = tera::try_get_value!("urlencode", "value", String, v);
    Ok(percent(&s, true).into())
}

fn urlencode_strict(v: &Value, _: &Args) -> tera::Result<Value> {
    let s = tera::try_get_value!("urlencode_strict", "value", String, v);
    Ok(percent(&s, false).into())
}

/// Bytes for people: `1.2 MB`, in powers of 1000 (as file managers show).
fn filesizeformat(v: &Value, _: &Args) -> tera::Result<Value> {
    let n = tera::try_get_value!("filesizeformat", "value", u64, v);
    const UNITS: [&str; 5] = ["kB", "MB", "GB", "TB", "PB"];
    if n < 1000 {
        return Ok(format!("{n} B").into());
    }
    let mut size = n as f64;
    let mut unit = "B";
    for u in UNITS {
        if size < 1000.0 {
            break;
        }
        size /= 1000.0;
        unit = u;
    }
    Ok(format!("{size:.1} {unit}").into())
}

/// `date(format="%d %B %Y")` of a date view (`data.date`) or an ISO date
/// text: `%Y`, `%m`, `%d`, `%-d`, `%B` (the month's name in the page
/// language) and `%%`. Without `format`, the page language's own format.
fn date(v: &Value, args: &Args) -> tera::Result<Value> {
    let iso = match v {
        Value::String(s) => s.as_str(),
        Value::Object(o) => o.get("iso").and_then(Value::as_str).unwrap_or_default(),
        _ => "",
    };
    let parsed = parse_iso(iso).ok_or_else(|| {
        format!("date: `{v}` is not a date; give it a date view (`data.date`) or text like \"2016-02-23\"")
    })?;
    with_page("date", |r, lang| {
        let Some(format) = args.get("format").and_then(Value::as_str) else {
            return Ok(r.date_text(lang, parsed).into());
        };
        let month = super::month_name(r.theme.strings(lang), parsed.month, r.locale(lang));
        let mut out = String::new();
        let mut chars = format.chars();
        while let Some(c) = chars.next() {
            if c != '%' {
                out.push(c);
                continue;
            }
            match chars.next() {
                Some('Y') => out.push_str(&parsed.year.to_string()),
                Some('m') => out.push_str(&format!("{:02}", parsed.month)),
                Some('d') => out.push_str(&format!("{:02}", parsed.day)),
                Some('-') if chars.next() == Some('d') => out.push_str(&parsed.day.to_string()),
                Some('B') => out.push_str(&month),
                Some('%') => out.push('%'),
                other => {
                    return Err(format!(
                        "date: `%{}` is not a format klynge knows; use %Y, %m, %d, %-d, %B or %%",
                        other.map(String::from).unwrap_or_default()
                    )
                    .into());
                }
            }
        }
        Ok(out.into())
    })
}

fn parse_iso(s: &str) -> Option<crate::content::Date> {
    let mut parts = s.get(..10)?.split('-');
    let year = parts.next()?.parse().ok()?;
    let month: u8 = parts.next()?.parse().ok()?;
    let day: u8 = parts.next()?.parse().ok()?;
    ((1..=12).contains(&month) && (1..=31).contains(&day)).then_some(crate::content::Date {
        year,
        month,
        day,
    })
}

/// Registers all of the above on the theme's Tera.
pub fn register(tera: &mut tera::Tera, config: &crate::config::Config) {
    tera.register_function("get_url", get_url);
    tera.register_function("get_item", get_item);
    tera.register_function("t", t);
    tera.register_function("load_data", load_data);
    tera.register_function("now", now);
    tera.register_function("get_random", get_random);
    tera.register_function(
        "get_env",
        GetEnv {
            allowed: config.template_env.clone(),
        },
    );
    tera.register_filter("slugify", slugify);
    tera.register_filter("urlencode", urlencode);
    tera.register_filter("urlencode_strict", urlencode_strict);
    tera.register_filter("filesizeformat", filesizeformat);
    tera.register_filter("date", date);
}

impl Renderer<'_> {
    /// Whether the site has a page or a static file at `path`, recording
    /// what makes it exist: an item's pages, the number of news pages.
    fn has_path(&self, path: &str) -> bool {
        let path = path.split(['#', '?']).next().unwrap_or(path);
        if let Some(item) = self.site_paths().get(path) {
            match item {
                Some(id) => self.read(Dep::Pages(*id)),
                None if path.contains("/news/page/") => self.read(Dep::Kind(Kind::News)),
                None => {}
            }
            return true;
        }
        // A news page that is not there yet may come with the next item.
        self.read(Dep::Kind(Kind::News));
        self.theme
            .statics
            .iter()
            .any(|(p, _)| path.strip_prefix('/') == Some(p.as_str()))
    }

    fn nearest_path(&self, path: &str) -> Option<String> {
        let all: Vec<&str> = self.site_paths().keys().map(String::as_str).collect();
        crate::slug::closest(path, &all).map(str::to_string)
    }

    /// Every page path of the site, with the item it belongs to.
    fn site_paths(&self) -> &HashMap<String, Option<crate::site::ItemId>> {
        self.site.page_paths.get_or_init(|| {
            super::jobs(self.site)
                .iter()
                .map(|j| {
                    let item = match j {
                        super::Job::ItemPage(id, _)
                        | super::Job::VCard(id, _)
                        | super::Job::Alias(id, _, _) => Some(*id),
                        _ => None,
                    };
                    (self.site.config.path(&j.route(self.site)), item)
                })
                .collect()
        })
    }
}
