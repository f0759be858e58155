//! The theme: Tera templates, UI strings per language, static files. The
//! default theme is compiled into the binary, so `klynge` works anywhere; a
//! site may use a theme folder of its own (`themes/<name>/`) and override
//! single templates in its `templates/` and UI strings in its `i18n/`.

use crate::config::{Config, Lang};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::fsutil;
use include_dir::{Dir, include_dir};
use indexmap::IndexMap;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use tera::Tera;

pub static DEFAULT_THEME: Dir = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

/// UI strings of one language, fallbacks already filled in.
pub type Strings = IndexMap<String, toml::Value>;

pub struct Theme {
    pub tera: Tera,
    pub strings: BTreeMap<Lang, Strings>,
    /// Files copied as they are to the output root: (relative path, bytes).
    pub statics: Vec<(String, Vec<u8>)>,
    /// Template contexts that already hold one language's `t`, for reuse
    /// by the renderer (see `Theme::with_context`).
    contexts: ContextPool,
    /// Each template's text and shown path, by name, so a render error can
    /// name the line.
    sources: BTreeMap<String, (PathBuf, String)>,
}

/// Tera contexts holding only `t`, keyed by the address of the `Strings`
/// they were made from. Serialising the UI strings (about 200 values) for
/// every page cost more than a tenth of a build; a context is taken from
/// here, given the page's other variables, rendered, cleared, and put back.
#[derive(Default)]
struct ContextPool(std::sync::Mutex<Vec<(usize, tera::Context)>>);

/// A file of a theme, from disk or from the binary, with the name shown in
/// messages.
struct ThemeFile {
    rel: String,
    shown: PathBuf,
    bytes: Vec<u8>,
}

fn theme_files(config: &Config, diags: &Diagnostics) -> Vec<ThemeFile> {
    let dir = config.root.join("themes").join(&config.theme);
    let mut files = Vec::new();
    if dir.is_dir() {
        collect_dir(&config.root, &dir, &mut files, diags);
        // The built-in shortcodes belong to klynge more than to a theme: a
        // theme folder made before they existed still has them.
        let mut builtin = Vec::new();
        if let Some(d) = DEFAULT_THEME.get_dir("templates/shortcodes") {
            collect_embedded(d, &mut builtin);
        }
        for f in builtin {
            if !files.iter().any(|t| t.rel == f.rel) {
                files.push(f);
            }
        }
    } else if config.theme == "default" {
        collect_embedded(&DEFAULT_THEME, &mut files);
    } else {
        diags.push(
            Diagnostic::error(format!(
                "theme `{}` not found: there is no folder themes/{}/",
                config.theme, config.theme
            ))
            .in_file("site.toml"),
        );
    }
    files.sort_by(|a, b| a.rel.cmp(&b.rel));
    files
}

fn collect_embedded(dir: &Dir, out: &mut Vec<ThemeFile>) {
    for f in dir.files() {
        let rel = f.path().to_string_lossy().replace('\\', "/");
        out.push(ThemeFile {
            shown: PathBuf::from(format!("(built-in theme)/{rel}")),
            rel,
            bytes: f.contents().to_vec(),
        });
    }
    for d in dir.dirs() {
        collect_embedded(d, out);
    }
}

fn collect_dir(root: &Path, dir: &Path, out: &mut Vec<ThemeFile>, diags: &Diagnostics) {
    for path in fsutil::walk_files(root, dir, &mut |d| diags.push(d)) {
        let rel = path
            .strip_prefix(dir)
            .unwrap_or(&path)
            .to_string_lossy()
            .replace('\\', "/");
        let shown = crate::diagnostic::display_path(root, &path);
        match std::fs::read(&path) {
            Ok(bytes) => out.push(ThemeFile { rel, shown, bytes }),
            Err(err) => diags.push(Diagnostic::error(format!("cannot read: {err}")).in_file(shown)),
        }
    }
}

impl Theme {
    pub fn load(config: &Config, diags: &Diagnostics) -> Option<Theme> {
        let mut files = theme_files(config, diags);
        // The site's own overrides come after the theme's, so they win.
        for (sub, prefix) in [
            ("templates", "templates/"),
            ("i18n", "i18n/"),
            ("static", "static/"),
        ] {
            let dir = config.root.join(sub);
            if dir.is_dir() {
                let mut own = Vec::new();
                collect_dir(&config.root, &dir, &mut own, diags);
                for mut f in own {
                    f.rel = format!("{prefix}{}", f.rel);
                    files.retain(|t| t.rel != f.rel || t.rel.starts_with("i18n/"));
                    files.push(f);
                }
            }
        }

        let mut tera = Tera::default();
        tera.autoescape_on(vec![".html", ".xml"]);
        tera.set_escape_fn(escape_html);
        let mut templates = Vec::new();
        let mut ok = true;
        for f in files.iter().filter(|f| f.rel.starts_with("templates/")) {
            let name = f.rel.trim_start_matches("templates/").to_string();
            match fsutil::decode_source(f.bytes.clone(), &f.shown, diags) {
                Ok(text) => templates.push((name, text, f.shown.clone())),
                Err(d) => {
                    diags.push(d);
                    ok = false;
                }
            }
        }
        // On failure, each template is parsed on its own, so the error names
        // its file; a template that only lacks its parent or its macros
        // passes that probe.
        if ok
            && let Err(e) =
                tera.add_raw_templates(templates.iter().map(|(n, t, _)| (n.as_str(), t.as_str())))
        {
            let mut named = false;
            for (name, text, shown) in &templates {
                let mut probe = Tera::default();
                if let Err(pe) = probe.add_raw_template(name, text) {
                    let d = tera_error_in(pe, shown, Some(text));
                    // Alone, a template cannot find its parent or the
                    // macros it imports: not its own error.
                    if !d.message.contains("isn't loaded") && !d.message.contains("isn't present") {
                        diags.push(d);
                        named = true;
                    }
                }
            }
            if !named {
                // Tera names the template whose parent is missing: point there.
                let d = tera_error(e, Path::new("templates"));
                let shown = d
                    .message
                    .split("Template '")
                    .nth(1)
                    .and_then(|rest| rest.split('\'').next())
                    .and_then(|name| templates.iter().find(|(n, _, _)| n == name))
                    .map(|(_, _, shown)| shown.clone());
                diags.push(match shown {
                    Some(s) => Diagnostic { file: Some(s), ..d },
                    None => d,
                });
            }
            ok = false;
        }

        let strings = load_strings(config, &files, diags);
        let statics = files
            .iter()
            .filter_map(|f| {
                f.rel
                    .strip_prefix("static/")
                    .map(|r| (r.to_string(), f.bytes.clone()))
            })
            .collect();
        let sources = templates
            .into_iter()
            .map(|(name, text, shown)| (name, (shown, text)))
            .collect();
        ok.then_some(Theme {
            tera,
            strings,
            statics,
            contexts: ContextPool::default(),
            sources,
        })
    }

    /// A render error of `template` as a diagnostic at the template and
    /// line it comes from (an included or parent template, if Tera names
    /// one), with the variable it lacks under the caret.
    pub fn render_error(&self, e: tera::Error, template: &str) -> Diagnostic {
        let chain = error_chain(&e);
        // Tera names the innermost template last: "while rendering 'x'".
        let name = chain
            .rsplit("while rendering '")
            .next()
            .filter(|_| chain.contains("while rendering '"))
            .and_then(|rest| rest.split('\'').next())
            .filter(|n| self.sources.contains_key(*n))
            .unwrap_or(template);
        let Some((shown, text)) = self.sources.get(name) else {
            return tera_error(e, Path::new(&format!("templates/{template}")));
        };
        let mut d = tera_error_in(e, shown, Some(text));
        if d.location.is_none()
            && let Some(at) = failing_spot(&chain, text)
        {
            d = d.at(text, at);
        }
        if let Some(var) = chain
            .split("Variable `")
            .nth(1)
            .and_then(|rest| rest.split('`').next())
            .filter(|_| chain.contains("not found in context"))
        {
            d.message = format!("template error: `{var}` is not a variable of this page");
            d = d.with_hint(
                "check the spelling; docs/themes.md lists the variables of each template (`{% if x %}` tests one that a page may lack)",
            );
        }
        d
    }

    pub fn strings(&self, lang: &Lang) -> &Strings {
        static EMPTY: std::sync::OnceLock<Strings> = std::sync::OnceLock::new();
        self.strings
            .get(lang)
            .unwrap_or_else(|| EMPTY.get_or_init(Strings::new))
    }

    /// Runs `f` with a context whose `t` is `strings` (which must be this
    /// theme's strings of some language, as `Theme::strings` gives them)
    /// and whose other variables are the fields of `page`. The variables
    /// of `page` are removed again afterwards, so nothing leaks from one
    /// page into the next.
    pub fn with_context<R>(
        &self,
        strings: &Strings,
        page: serde_json::Value,
        f: impl FnOnce(&tera::Context) -> R,
    ) -> Result<R, tera::Error> {
        let key = strings as *const Strings as usize;
        let pooled = {
            let mut pool = self.contexts.0.lock().unwrap_or_else(|e| e.into_inner());
            pool.iter()
                .rposition(|(k, _)| *k == key)
                .map(|i| pool.swap_remove(i).1)
        };
        let mut context = match pooled {
            Some(c) => c,
            None => {
                let mut c = tera::Context::new();
                c.try_insert("t", strings)?;
                c
            }
        };
        let keys: Vec<String> = match &page {
            serde_json::Value::Object(map) => map.keys().filter(|k| *k != "t").cloned().collect(),
            _ => Vec::new(),
        };
        context.extend(tera::Context::from_value(page)?);
        let result = f(&context);
        for k in &keys {
            context.remove(k);
        }
        self.contexts
            .0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push((key, context));
        Ok(result)
    }

    /// A UI string as text (empty if missing; missing keys were warned about).
    pub fn text(&self, lang: &Lang, key: &str) -> String {
        match self.strings(lang).get(key) {
            Some(toml::Value::String(s)) => s.clone(),
            _ => String::new(),
        }
    }
}

/// HTML escaping for templates. Tera's default also escapes `/`, which
/// makes every URL in the output unreadable for no gain in safety.
pub fn escape_html(input: &str) -> String {
    // Byte-wise: the five are ASCII, which never occurs inside a multi-byte
    // UTF-8 sequence, and the text between them is copied in one piece.
    let mut out = String::with_capacity(input.len() + 16);
    let mut start = 0;
    for (i, b) in input.bytes().enumerate() {
        let entity = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        out.push_str(&input[start..i]);
        out.push_str(entity);
        start = i + 1;
    }
    out.push_str(&input[start..]);
    out
}

/// A Tera error's message with those of its sources, `: `-joined.
fn error_chain(e: &tera::Error) -> String {
    let mut msg = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        msg.push_str(": ");
        msg.push_str(&s.to_string());
        source = s.source();
    }
    msg
}

/// Where in a template's `text` a render error happened: the first
/// `{{`/`{%` tag that uses the variable Tera says is missing.
fn failing_spot(chain: &str, text: &str) -> Option<usize> {
    let var = chain.split("Variable `").nth(1)?.split('`').next()?;
    let mut from = 0;
    while let Some(i) = text[from..].find(var) {
        let at = from + i;
        let before = &text[..at];
        let open = before
            .rfind("{{")
            .into_iter()
            .chain(before.rfind("{%"))
            .max();
        let close = before
            .rfind("}}")
            .into_iter()
            .chain(before.rfind("%}"))
            .max();
        let ends_word =
            !text[at + var.len()..].starts_with(|c: char| c.is_alphanumeric() || c == '_');
        if open.is_some() && open > close && ends_word {
            return Some(at);
        }
        from = at + var.len();
    }
    None
}

/// A Tera error as a diagnostic: Tera puts the position in its message as
/// `--> line:col`.
pub fn tera_error(e: tera::Error, shown: &Path) -> Diagnostic {
    tera_error_in(e, shown, None)
}

/// `tera_error` for a template whose `text` is known: a parse error is
/// shown at its line with a caret, and its message is pest's own
/// "expected …" rather than its whole picture squashed on one line.
pub fn tera_error_in(e: tera::Error, shown: &Path, text: Option<&str>) -> Diagnostic {
    let msg = error_chain(&e);
    let mut d = Diagnostic::error(String::new()).in_file(shown);
    if let Some(text) = text
        && msg.starts_with("Failed to parse")
        && let Some((line, col)) = arrow_position(&msg)
    {
        let offset = text
            .split_inclusive('\n')
            .take(line - 1)
            .map(str::len)
            .sum::<usize>();
        let line_text = text[offset..].split('\n').next().unwrap_or("");
        let col_bytes = line_text
            .char_indices()
            .nth(col - 1)
            .map_or(line_text.len(), |(i, _)| i);
        let expected = msg
            .lines()
            .map(str::trim)
            .find_map(|l| l.strip_prefix("= "))
            .unwrap_or("");
        d.message = if expected.is_empty() {
            "template error: the template cannot be parsed here".into()
        } else {
            format!("template error: cannot parse the template here: {expected}")
        };
        return d.at(text, offset + col_bytes);
    }
    if let Some((l, c)) = arrow_position(&msg) {
        d = d.at_line(l, c);
    }
    d.message = format!("template error: {}", crate::markdown::fold_whitespace(&msg));
    d
}

/// The `--> line:col` of a Tera (pest) message.
fn arrow_position(msg: &str) -> Option<(usize, usize)> {
    let pos = msg.find("--> ")?;
    let rest = &msg[pos + 4..];
    let mut nums = rest
        .split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty());
    let (l, c) = (nums.next()?.parse().ok()?, nums.next()?.parse().ok()?);
    (l >= 1 && c >= 1).then_some((l, c))
}

/// Merges `over` into `base`, table by table, so a site's `[countries]`
/// adds to the theme's instead of replacing it.
fn merge_tables(base: &mut toml::Table, over: toml::Table) {
    for (k, v) in over {
        match (base.get_mut(&k), v) {
            (Some(toml::Value::Table(b)), toml::Value::Table(o)) => merge_tables(b, o),
            (_, v) => {
                base.insert(k, v);
            }
        }
    }
}

/// The tables of names by code (`EE`, `et`) that CLDR has too: a language
/// that borrows one from its fallback gets CLDR's names in its own
/// language instead, where CLDR has them.
const NAME_TABLES: [&str; 2] = ["countries", "language_names"];

fn names_in(lang: &Lang, borrowed: &toml::Table) -> toml::Table {
    borrowed
        .iter()
        .map(|(code, v)| {
            let own = crate::locale::cldr_name(lang.as_str(), code);
            (code.clone(), own.map_or_else(|| v.clone(), |n| n.into()))
        })
        .collect()
}

/// The language every theme's UI strings are complete in.
const STRINGS_BASE: &str = "en";

fn load_strings(
    config: &Config,
    files: &[ThemeFile],
    diags: &Diagnostics,
) -> BTreeMap<Lang, Strings> {
    // Every language file the theme and site give, merged in that order.
    let mut by_lang: BTreeMap<String, toml::Table> = BTreeMap::new();
    for f in files
        .iter()
        .filter(|f| f.rel.starts_with("i18n/") && f.rel.ends_with(".toml"))
    {
        let lang = f
            .rel
            .trim_start_matches("i18n/")
            .trim_end_matches(".toml")
            .to_string();
        let text = match fsutil::decode_source(f.bytes.clone(), &f.shown, diags) {
            Ok(t) => t,
            Err(d) => {
                diags.push(d);
                continue;
            }
        };
        match toml::from_str::<toml::Table>(&text) {
            Ok(table) => merge_tables(by_lang.entry(lang).or_default(), table),
            Err(e) => {
                let mut d = Diagnostic::error(e.message().trim().to_string()).in_file(&f.shown);
                if let Some(span) = e.span() {
                    d = d.at(&text, span.start);
                }
                diags.push(d);
            }
        }
    }
    // The theme's own language closes every fallback order, so a site in a
    // language the theme has no strings for still builds.
    let base = Lang(STRINGS_BASE.to_string());
    let mut keys: Vec<&String> = Vec::new();
    for lang in config
        .languages
        .iter()
        .map(|l| &l.code)
        .chain(&config.fallback)
        .chain(std::iter::once(&base))
    {
        if let Some(t) = by_lang.get(lang.as_str()) {
            for k in t.keys() {
                if !keys.contains(&k) {
                    keys.push(k);
                }
            }
        }
    }
    let mut out = BTreeMap::new();
    for lang in config.languages.iter().map(|l| &l.code) {
        let mut order = config.fallback_order(lang);
        if !order.contains(&base) {
            order.push(base.clone());
        }
        if !by_lang.contains_key(lang.as_str()) {
            diags.push(Diagnostic::warning(format!(
                "the theme has no UI strings for `{lang}` (i18n/{lang}.toml); using {}",
                order.get(1).map_or("none", |l| l.as_str())
            )));
        }
        let mut strings = Strings::new();
        for key in &keys {
            let found = order.iter().enumerate().find_map(|(i, l)| {
                by_lang
                    .get(l.as_str())
                    .and_then(|t| t.get(*key))
                    .map(|v| (i, l, v))
            });
            if let Some((i, from, value)) = found {
                if i > 0 && by_lang.contains_key(lang.as_str()) {
                    diags.push(Diagnostic::warning(format!(
                        "UI string `{key}` is missing for language `{lang}`; using `{from}`"
                    )));
                }
                let value = match (i > 0, value) {
                    (true, toml::Value::Table(names)) if NAME_TABLES.contains(&key.as_str()) => {
                        toml::Value::Table(names_in(lang, names))
                    }
                    _ => value.clone(),
                };
                strings.insert((*key).clone(), value);
            }
        }
        out.insert(lang.clone(), strings);
    }
    out
}
