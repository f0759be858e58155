//! `site.toml` into typed, validated configuration. Command-line overrides
//! (`--base-url`) are applied here, once, so no later stage needs to know
//! where a setting came from.

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::fsutil;
use crate::route::{Route, Segment, Segments};
use indexmap::IndexMap;
use serde::Deserialize;
use std::fmt;
use std::path::{Path, PathBuf};

/// A language code of the site (`en`, `nb`, `et`…).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(transparent)]
pub struct Lang(pub String);

impl Lang {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    title: String,
    base_url: String,
    default_language: String,
    #[serde(default = "default_theme")]
    theme: String,
    #[serde(default)]
    fallback: Vec<String>,
    description: Option<String>,
    languages: IndexMap<String, RawLanguage>,
    #[serde(default)]
    news: RawNews,
    #[serde(default)]
    markdown: RawMarkdown,
    #[serde(default)]
    templates: RawTemplates,
    #[serde(default)]
    social_cards: RawSocialCards,
}

/// `[social_cards]`: whether pages without a photo get a drawn card as
/// their `og:image`. Off unless asked for: a card takes tens of
/// milliseconds to draw, once per page and language (later builds take it
/// from the cache), which a cluster's site of a few hundred pages pays
/// once, but a portal of a hundred thousand pages would pay for an hour
/// on its first build. `klynge init` writes `enabled = true`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSocialCards {
    #[serde(default)]
    enabled: bool,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTemplates {
    /// The environment variables templates may read with `get_env`.
    #[serde(default)]
    env: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMarkdown {
    #[serde(default)]
    raw_html: bool,
}

fn default_theme() -> String {
    "default".into()
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLanguage {
    name: String,
    title: Option<String>,
    description: Option<String>,
    /// `ltr` or `rtl`; by default from the language code.
    dir: Option<Dir>,
    /// The OpenGraph locale (`en_GB`); by default from [`default_locale`].
    locale: Option<toml::Spanned<String>>,
    /// The language's own words for the folders of its paths.
    #[serde(default)]
    segments: RawSegments,
    /// Links the navigation shows after the site's own sections.
    #[serde(default)]
    menu: Vec<RawMenuEntry>,
}

/// `[[languages.<lang>.menu]]`: one link of the navigation.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMenuEntry {
    name: String,
    url: toml::Spanned<String>,
}

/// `[languages.<lang>.segments]`: one optional spelling per
/// [`Segment`](crate::route::Segment), under the segment's own key.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSegments {
    clusters: Option<toml::Spanned<String>>,
    spas: Option<toml::Spanned<String>>,
    news: Option<toml::Spanned<String>>,
    pages: Option<toml::Spanned<String>>,
    events: Option<toml::Spanned<String>>,
    locations: Option<toml::Spanned<String>>,
    treatments: Option<toml::Spanned<String>>,
    search: Option<toml::Spanned<String>>,
    kind: Option<toml::Spanned<String>>,
    page: Option<toml::Spanned<String>>,
}

impl RawSegments {
    fn get(&self, seg: Segment) -> Option<&toml::Spanned<String>> {
        match seg {
            Segment::Clusters => self.clusters.as_ref(),
            Segment::Spas => self.spas.as_ref(),
            Segment::News => self.news.as_ref(),
            Segment::Pages => self.pages.as_ref(),
            Segment::Events => self.events.as_ref(),
            Segment::Locations => self.locations.as_ref(),
            Segment::Treatments => self.treatments.as_ref(),
            Segment::Search => self.search.as_ref(),
            Segment::Kind => self.kind.as_ref(),
            Segment::Page => self.page.as_ref(),
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawNews {
    #[serde(default = "default_per_page")]
    per_page: usize,
}

impl Default for RawNews {
    fn default() -> Self {
        RawNews {
            per_page: default_per_page(),
        }
    }
}

fn default_per_page() -> usize {
    10
}

/// The direction a language's script is written in: `dir` on `<html>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Dir {
    Ltr,
    Rtl,
}

impl Dir {
    /// The direction of the main script of a language: right to left for
    /// Arabic, Hebrew, Persian, Urdu and the others written in their scripts.
    pub fn of_code(code: &str) -> Dir {
        const RTL: [&str; 11] = [
            "ar", "arc", "ckb", "dv", "fa", "he", "ps", "sd", "ug", "ur", "yi",
        ];
        let primary = code.split('-').next().unwrap_or(code);
        if RTL.contains(&primary) {
            Dir::Rtl
        } else {
            Dir::Ltr
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Dir::Ltr => "ltr",
            Dir::Rtl => "rtl",
        }
    }
}

/// One link of a language's navigation (`[[languages.<lang>.menu]]`).
#[derive(Debug, Clone)]
pub struct MenuEntry {
    /// The link's text, in the language.
    pub name: String,
    pub target: MenuTarget,
    /// Where `url` is written in site.toml, for errors found later.
    pub at: crate::diagnostic::Location,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MenuTarget {
    /// A content file, as in `@/pages/about.md` (without `@/`): the
    /// translation for the menu's language, as body links resolve.
    Page(String),
    /// A page elsewhere: `https://…`.
    External(String),
}

#[derive(Debug, Clone)]
pub struct Language {
    pub code: Lang,
    /// The direction of the language's script.
    pub dir: Dir,
    /// The language's name in itself, shown in the language chooser.
    pub name: String,
    /// The site's title in this language.
    pub title: String,
    pub description: String,
    /// The navigation's links after the site's own sections.
    pub menu: Vec<MenuEntry>,
    /// The `og:locale` of its pages (`nb_NO`), when known.
    pub locale: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Config {
    pub root: PathBuf,
    /// Scheme and host, and the subpath if any, with no trailing slash.
    pub base_url: String,
    /// The subpath part of `base_url` (`""` or `/sub`), prefixed to every link.
    pub base_path: String,
    pub default_language: Lang,
    pub theme: String,
    pub fallback: Vec<Lang>,
    /// In the order of `[languages]` in site.toml: the site's language order.
    pub languages: Vec<Language>,
    pub news_per_page: usize,
    /// What Markdown bodies may do (`[markdown]`).
    pub markdown: crate::markdown::Settings,
    /// The build's one "now" (`--now`, `SOURCE_DATE_EPOCH` or the clock):
    /// what upcoming events, scheduled items and calendars are made from.
    pub now: crate::time::BuildTime,
    /// The environment variables templates may read (`[templates] env`):
    /// any other would make the output depend on the shell it was built in.
    pub template_env: Vec<String>,
    /// Whether pages without a photo get a social card (`[social_cards]`).
    pub social_cards: bool,
    /// Each language's spelling of the folders of its paths.
    pub segments: Segments,
}

/// What the command line may change in the configuration.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    pub base_url: Option<String>,
    /// The build time (`--now`); without it, `SOURCE_DATE_EPOCH` or the clock.
    pub now: Option<crate::time::BuildTime>,
}

impl Config {
    pub const FILE: &'static str = "site.toml";

    /// Reads and validates `root/site.toml`. Problems go to `diags`; `None`
    /// means the configuration is unusable.
    pub fn load(root: &Path, overrides: &Overrides, diags: &Diagnostics) -> Option<Config> {
        let path = root.join(Self::FILE);
        let shown = PathBuf::from(Self::FILE);
        let text = match fsutil::read_source(&path, &shown, diags) {
            Ok(t) => t,
            Err(d) => {
                diags.push(d.with_hint("run klynge in a site folder, or pass --root DIR"));
                return None;
            }
        };
        Self::parse(root, &text, overrides, diags)
    }

    pub fn parse(
        root: &Path,
        text: &str,
        overrides: &Overrides,
        diags: &Diagnostics,
    ) -> Option<Config> {
        let shown = Path::new(Self::FILE);
        if let Some((at, escape)) = crate::controls::escape_in_toml(text) {
            diags.push(crate::controls::escape_warning(text, shown, at, escape));
        }
        let raw: RawConfig = match toml::from_str(text) {
            Ok(r) => r,
            Err(e) => {
                let mut d = Diagnostic::error(e.message().to_string()).in_file(shown);
                if let Some(span) = e.span() {
                    d = d.at(text, span.start);
                }
                diags.push(d);
                return None;
            }
        };
        let at_key = |key: &str| {
            let offset = find_key(text, key).unwrap_or(0);
            Diagnostic::error("").in_file(shown).at(text, offset)
        };
        let mut ok = true;
        let mut error = |key: &str, msg: String| {
            let mut d = at_key(key);
            d.message = msg;
            diags.push(d);
            ok = false;
        };

        let from_command_line = overrides.base_url.is_some();
        let mut bad_override = false;
        let base_url = overrides
            .base_url
            .clone()
            .unwrap_or(raw.base_url)
            .trim_end_matches('/')
            .to_string();
        let base_path = match split_base_url(&base_url) {
            Ok(p) => p,
            Err(why) if from_command_line => {
                // Not site.toml's line: the value came from the command line.
                diags.push(
                    Diagnostic::error(format!("--base-url `{base_url}` {why}"))
                        .with_hint("pass a URL such as --base-url https://example.org/sub"),
                );
                bad_override = true;
                String::new()
            }
            Err(why) => {
                error("base_url", format!("base_url `{base_url}` {why}"));
                String::new()
            }
        };
        if raw.languages.is_empty() {
            error("languages", "site.toml has no [languages]".into());
        }
        let mut languages = Vec::new();
        let mut segments = Segments::default();
        let mut segments_ok = true;
        for (code, lang) in &raw.languages {
            segments_ok &= read_segments(text, code, &lang.segments, &mut segments, diags);
            let menu = read_menu(text, &lang.menu, diags);
            if let Some(l) = &lang.locale
                && !is_locale(l.get_ref())
            {
                diags.push(
                    Diagnostic::error(format!(
                        "locale `{}` of [languages.{code}] is not a language and territory like `en_GB`",
                        l.get_ref()
                    ))
                    .in_file(shown)
                    .at(text, l.span().start)
                    .with_hint("write the language code in lowercase, `_` and the country in capitals: locale = \"pt_BR\""),
                );
                segments_ok = false;
            }
            segments_ok &= menu.len() == lang.menu.len();
            if !is_language_code(code) {
                error(
                    code,
                    format!("`{code}` is not a language code (expected e.g. `en`, `nb`, `pt-br`)"),
                );
            }
            languages.push(Language {
                code: Lang(code.clone()),
                dir: lang.dir.unwrap_or_else(|| Dir::of_code(code)),
                name: lang.name.clone(),
                title: lang.title.clone().unwrap_or_else(|| raw.title.clone()),
                description: lang
                    .description
                    .clone()
                    .or_else(|| raw.description.clone())
                    .unwrap_or_default(),
                menu,
                locale: lang
                    .locale
                    .as_ref()
                    .map(|l| l.get_ref().clone())
                    .or_else(|| default_locale(code)),
            });
        }
        if !raw.languages.contains_key(&raw.default_language) {
            error(
                "default_language",
                format!(
                    "default_language `{}` is not one of [languages]",
                    raw.default_language
                ),
            );
        }
        for f in &raw.fallback {
            if !raw.languages.contains_key(f) {
                error(
                    "fallback",
                    format!("fallback language `{f}` is not one of [languages]"),
                );
            }
        }
        if raw.news.per_page == 0 {
            error("per_page", "news.per_page must be at least 1".into());
        }
        let now = match overrides.now {
            Some(now) => now,
            None => match crate::time::BuildTime::resolve(None) {
                Ok(now) => now,
                Err(msg) => {
                    diags.push(Diagnostic::error(msg).with_hint(
                        "set SOURCE_DATE_EPOCH to whole seconds since 1970 (`date +%s`), or pass --now 2026-12-03T12:00:00Z",
                    ));
                    bad_override = true;
                    crate::time::BuildTime::clock()
                }
            },
        };
        if !ok || !segments_ok || bad_override {
            return None;
        }
        Some(Config {
            root: root.to_path_buf(),
            base_url,
            base_path,
            default_language: Lang(raw.default_language),
            theme: raw.theme,
            fallback: raw.fallback.into_iter().map(Lang).collect(),
            languages,
            news_per_page: raw.news.per_page,
            markdown: crate::markdown::Settings {
                raw_html: raw.markdown.raw_html,
            },
            now,
            template_env: raw.templates.env,
            social_cards: raw.social_cards.enabled,
            segments,
        })
    }

    /// The site path of a route, in its language's spelling: `/nb/kurbad/`.
    pub fn path(&self, route: &Route) -> String {
        route.path(&self.segments)
    }

    /// The output file of a route: `nb/kurbad/index.html`.
    pub fn file(&self, route: &Route) -> String {
        route.file(&self.segments)
    }

    /// A route as a link, with the base path in front.
    pub fn href(&self, route: &Route) -> String {
        self.link(&self.path(route))
    }

    /// A route as an absolute URL.
    pub fn url(&self, route: &Route) -> String {
        self.absolute(&self.path(route))
    }

    pub fn language(&self, code: &Lang) -> Option<&Language> {
        self.languages.iter().find(|l| &l.code == code)
    }

    /// The direction of `code`'s script: the site's setting for its
    /// languages, else the code's own.
    pub fn dir(&self, code: &Lang) -> Dir {
        self.language(code)
            .map_or_else(|| Dir::of_code(code.as_str()), |l| l.dir)
    }

    pub fn has_language(&self, code: &str) -> bool {
        self.languages.iter().any(|l| l.code.0 == code)
    }

    /// The order in which translations are tried for a reader of `lang`:
    /// `lang` itself, then `fallback`, then the site's language order.
    pub fn fallback_order(&self, lang: &Lang) -> Vec<Lang> {
        let mut order = vec![lang.clone()];
        for l in self
            .fallback
            .iter()
            .chain(self.languages.iter().map(|l| &l.code))
        {
            if !order.contains(l) {
                order.push(l.clone());
            }
        }
        order
    }

    /// Order in which translations give an item its shared facts: the
    /// default language, then the site's language order (docs/translations.md).
    pub fn inheritance_order(&self) -> Vec<Lang> {
        let mut order = vec![self.default_language.clone()];
        for l in &self.languages {
            if l.code != self.default_language {
                order.push(l.code.clone());
            }
        }
        order
    }

    /// Index of a language in the site's language order.
    pub fn language_rank(&self, code: &Lang) -> usize {
        self.languages
            .iter()
            .position(|l| &l.code == code)
            .unwrap_or(usize::MAX)
    }

    /// A site path (`/en/spas/`) as a link, with the base path in front.
    pub fn link(&self, path: &str) -> String {
        // Called for every URL of every page: no formatting machinery.
        let mut s = String::with_capacity(self.base_path.len() + path.len());
        s.push_str(&self.base_path);
        s.push_str(path);
        s
    }

    /// A site path as an absolute URL.
    pub fn absolute(&self, path: &str) -> String {
        let origin = &self.base_url[..self.base_url.len() - self.base_path.len()];
        let mut s = String::with_capacity(self.base_url.len() + path.len());
        s.push_str(origin);
        s.push_str(&self.base_path);
        s.push_str(path);
        s
    }
}

/// The subpath of an http(s) URL (`""` for none), or `None` if not http(s).
/// The subpath of a base URL, or why it cannot be one. Every link of the
/// site starts with it, so it must be a plain origin and path: a query or
/// fragment would end up in the middle of every link, and `..` or a space
/// would make links that browsers and hosts read differently.
fn split_base_url(url: &str) -> Result<String, &'static str> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or("is not an http:// or https:// URL")?;
    let host_end = rest.find('/').unwrap_or(rest.len());
    if host_end == 0 {
        return Err("has no host");
    }
    if rest.contains('?') || rest.contains('#') {
        return Err("has a query or fragment (`?`, `#`), which would end up inside every link");
    }
    if rest
        .chars()
        .any(|c| c.is_whitespace() || c.is_control() || c == '\\')
    {
        return Err("has a space, a backslash or a control character");
    }
    let path = rest[host_end..].trim_end_matches('/');
    if path.split('/').any(|seg| seg == ".." || seg == ".") {
        return Err("has a `.` or `..` segment in its path");
    }
    Ok(path.to_string())
}

/// Reads `[languages.<code>.segments]` into `out`; false when a spelling
/// cannot be a folder of the site's paths (each problem is reported at
/// its value).
fn read_segments(
    text: &str,
    code: &str,
    raw: &RawSegments,
    out: &mut Segments,
    diags: &Diagnostics,
) -> bool {
    let shown = Path::new(Config::FILE);
    let mut ok = true;
    for seg in Segment::ALL {
        let Some(value) = raw.get(seg) else { continue };
        let name = value.get_ref().as_str();
        let at = |msg: String, hint: String| {
            Diagnostic::error(msg)
                .in_file(shown)
                .at(text, value.span().start)
                .with_hint(hint)
        };
        if let Err(why) = check_segment(name) {
            let slug = crate::slug::slugify(name);
            let hint = if slug.is_empty() {
                format!(
                    "write a word of lowercase ASCII letters, digits and `-`, e.g. {} = \"{}\"",
                    seg.key(),
                    seg.key()
                )
            } else {
                format!("write {} = \"{slug}\"", seg.key())
            };
            diags.push(at(
                format!(
                    "the {} segment `{name}` of [languages.{code}.segments] {why}",
                    seg.key()
                ),
                hint,
            ));
            ok = false;
            continue;
        }
        // A renamed folder may not take another folder's word: two sections,
        // or a section and an unrenamed one, would write into one folder.
        let spelt = |o: Segment| raw.get(o).map_or(o.key(), |v| v.get_ref().as_str());
        let clash = Segment::ALL.into_iter().find(|&o| {
            // Of two renamed to one word, the one written later is reported.
            let reported_there = raw
                .get(o)
                .is_some_and(|v| v.span().start > value.span().start);
            o != seg
                && !reported_there
                && o.is_top_level() == seg.is_top_level()
                && spelt(o) == name
        });
        if let Some(other) = clash {
            diags.push(at(
                format!(
                    "the {} segment `{name}` of [languages.{code}.segments] is also the {} folder of /{code}/",
                    seg.key(),
                    other.key()
                ),
                format!("give {} a word of its own", seg.key()),
            ));
            ok = false;
            continue;
        }
        out.set(&Lang(code.to_string()), seg, name.to_string());
    }
    ok
}

/// The menu entries of a language whose `url` can be a link: `@/` and a
/// content file, or an http(s) URL; the others are reported and left out.
fn read_menu(text: &str, raw: &[RawMenuEntry], diags: &Diagnostics) -> Vec<MenuEntry> {
    let mut out = Vec::new();
    for entry in raw {
        let url = entry.url.get_ref().trim();
        let offset = entry.url.span().start;
        let target = if let Some(file) = url.strip_prefix("@/") {
            MenuTarget::Page(file.to_string())
        } else if url.starts_with("https://") || url.starts_with("http://") {
            MenuTarget::External(url.to_string())
        } else {
            diags.push(
                Diagnostic::error(format!(
                    "menu entry `{}` links `{url}`, which is neither a content file nor a web address",
                    entry.name
                ))
                .in_file(Config::FILE)
                .at(text, offset)
                .with_hint("write url = \"@/pages/about.md\" for a page of the site, or a URL starting with https://"),
            );
            continue;
        };
        out.push(MenuEntry {
            name: entry.name.clone(),
            target,
            at: crate::diagnostic::locate(text, offset),
        });
    }
    out
}

/// Why `name` cannot be a folder word of the site's paths, if it cannot:
/// a slug as `slugify` makes them, so every host and link checker reads
/// the path the same way.
fn check_segment(name: &str) -> Result<(), &'static str> {
    if name.is_empty() {
        return Err("is empty");
    }
    if !name
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    {
        return Err("is not a slug (lowercase ASCII letters, digits and `-`)");
    }
    if name.starts_with('-') || name.ends_with('-') {
        return Err("starts or ends with `-`");
    }
    Ok(())
}

/// `ll_TT`: a language and a territory, as OpenGraph's `og:locale` is.
fn is_locale(s: &str) -> bool {
    let Some((lang, territory)) = s.split_once('_') else {
        return false;
    };
    (2..=3).contains(&lang.len())
        && lang.chars().all(|c| c.is_ascii_lowercase())
        && territory.len() == 2
        && territory.chars().all(|c| c.is_ascii_uppercase())
}

/// The OpenGraph locale of a language code: its territory when the code
/// names one (`pt-br` → `pt_BR`), else the country most of its readers
/// are in, as Facebook's list of locales has them (docs/translations.md).
pub fn default_locale(code: &str) -> Option<String> {
    let mut parts = code.split('-');
    let lang = parts.next()?;
    if let Some(region) = parts.find(|p| p.len() == 2) {
        return Some(format!("{lang}_{}", region.to_ascii_uppercase()));
    }
    const TABLE: [(&str, &str); 44] = [
        ("ar", "ar_AR"),
        ("az", "az_AZ"),
        ("bg", "bg_BG"),
        ("cs", "cs_CZ"),
        ("da", "da_DK"),
        ("de", "de_DE"),
        ("el", "el_GR"),
        ("en", "en_GB"),
        ("es", "es_ES"),
        ("et", "et_EE"),
        ("fa", "fa_IR"),
        ("fi", "fi_FI"),
        ("fr", "fr_FR"),
        ("ga", "ga_IE"),
        ("he", "he_IL"),
        ("hi", "hi_IN"),
        ("hr", "hr_HR"),
        ("hu", "hu_HU"),
        ("hy", "hy_AM"),
        ("is", "is_IS"),
        ("it", "it_IT"),
        ("ja", "ja_JP"),
        ("ka", "ka_GE"),
        ("kk", "kk_KZ"),
        ("ko", "ko_KR"),
        ("lt", "lt_LT"),
        ("lv", "lv_LV"),
        ("mt", "mt_MT"),
        ("nb", "nb_NO"),
        ("nl", "nl_NL"),
        ("nn", "nn_NO"),
        ("pl", "pl_PL"),
        ("pt", "pt_PT"),
        ("ro", "ro_RO"),
        ("ru", "ru_RU"),
        ("sk", "sk_SK"),
        ("sl", "sl_SI"),
        ("sq", "sq_AL"),
        ("sr", "sr_RS"),
        ("sv", "sv_SE"),
        ("tr", "tr_TR"),
        ("uk", "uk_UA"),
        ("uz", "uz_UZ"),
        ("zh", "zh_CN"),
    ];
    TABLE
        .iter()
        .find(|(l, _)| *l == lang)
        .map(|(_, locale)| locale.to_string())
}

fn is_language_code(code: &str) -> bool {
    let mut parts = code.split('-');
    let first = parts.next().unwrap_or("");
    (2..=3).contains(&first.len())
        && first.chars().all(|c| c.is_ascii_lowercase())
        && parts
            .all(|p| !p.is_empty() && p.len() <= 8 && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

/// Byte offset of the first place `key` is set (`key = …` or `[….key]`),
/// for pointing errors found after parsing at the right line: from toml's
/// spans, so a comment or a value that mentions the key is not taken for it;
/// a search of the text when the TOML does not parse that far.
pub fn find_key(text: &str, key: &str) -> Option<usize> {
    if let Some(span) = crate::spans::key_span(text, key) {
        return Some(span.start);
    }
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let t = line.trim_start();
        let indent = line.len() - t.len();
        let bare = t.trim_start_matches('[').trim_start_matches('"');
        if let Some(after) = bare.strip_prefix(key) {
            let after = after.trim_start_matches('"').trim_start();
            if after.starts_with('=') || after.starts_with(']') {
                return Some(offset + indent);
            }
        }
        if let Some(dot) = t.find(&format!(".{key}")) {
            let after = t[dot + key.len() + 1..].trim_start();
            if after.starts_with(']') || after.starts_with('=') {
                return Some(offset + indent + dot + 1);
            }
        }
        offset += line.len();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    const SITE: &str = r#"
title = "T"
base_url = "https://example.org/sub/"
default_language = "en"
fallback = ["en"]

[languages.nb]
name = "Norsk bokmål"
title = "Norsk tittel"

[languages.en]
name = "English"
"#;

    #[test]
    fn parses_languages_in_order_and_subpath() {
        let d = Diagnostics::new();
        let c = Config::parse(Path::new("."), SITE, &Overrides::default(), &d).unwrap();
        let codes: Vec<_> = c.languages.iter().map(|l| l.code.0.as_str()).collect();
        assert_eq!(codes, ["nb", "en"]);
        assert_eq!(c.base_path, "/sub");
        assert_eq!(c.link("/en/"), "/sub/en/");
        assert_eq!(c.absolute("/en/"), "https://example.org/sub/en/");
        assert_eq!(c.languages[0].title, "Norsk tittel");
        assert_eq!(c.languages[1].title, "T");
        let order: Vec<_> = c
            .fallback_order(&Lang("nb".into()))
            .into_iter()
            .map(|l| l.0)
            .collect();
        assert_eq!(order, ["nb", "en"]);
    }

    #[test]
    fn base_url_override_wins() {
        let d = Diagnostics::new();
        let o = Overrides {
            base_url: Some("http://127.0.0.1:1111".into()),
            ..Overrides::default()
        };
        let c = Config::parse(Path::new("."), SITE, &o, &d).unwrap();
        assert_eq!(c.base_path, "");
        assert_eq!(c.absolute("/"), "http://127.0.0.1:1111/");
    }

    #[test]
    fn a_base_url_override_that_cannot_prefix_links_is_refused_by_name() {
        for bad in [
            "https://example.org/?preview=1",
            "https://example.org/#top",
            "https://example.org/a b",
            "https://example.org/a/../b",
            "https://",
            "example.org",
        ] {
            let d = Diagnostics::new();
            let o = Overrides {
                base_url: Some(bad.into()),
                ..Overrides::default()
            };
            assert!(
                Config::parse(Path::new("."), SITE, &o, &d).is_none(),
                "{bad}"
            );
            let e = &d.sorted()[0];
            assert!(
                e.message.starts_with("--base-url `"),
                "{bad}: {}",
                e.message
            );
            assert!(e.file.is_none(), "{bad}: names site.toml");
        }
        let d = Diagnostics::new();
        let text = SITE.replace("https://example.org/sub/", "https://example.org/sub?x=1");
        assert!(Config::parse(Path::new("."), &text, &Overrides::default(), &d).is_none());
        let e = &d.sorted()[0];
        assert!(e.message.contains("query or fragment"), "{}", e.message);
        assert_eq!(e.file.as_deref(), Some(Path::new("site.toml")));
    }

    #[test]
    fn unknown_key_is_an_error_with_line() {
        let d = Diagnostics::new();
        let text = SITE.replace("fallback", "falback");
        assert!(Config::parse(Path::new("."), &text, &Overrides::default(), &d).is_none());
        let e = &d.sorted()[0];
        assert!(
            e.message.contains("unknown field `falback`"),
            "{}",
            e.message
        );
        assert_eq!(e.location.as_ref().unwrap().line, 5);
    }

    #[test]
    fn default_language_must_exist() {
        let d = Diagnostics::new();
        let text = SITE.replace("default_language = \"en\"", "default_language = \"de\"");
        assert!(Config::parse(Path::new("."), &text, &Overrides::default(), &d).is_none());
        let e = &d.sorted()[0];
        assert_eq!(e.location.as_ref().unwrap().line, 4);
    }
}
