//! Shortcodes as a page shows them. A body keeps a token for each call
//! (see `markdown::Call`); here each token becomes the HTML of the
//! template `shortcodes/<name>.html`, given the call's arguments and, for
//! the built-in ones, what they show from the site: a spa's contact card,
//! a map of places, a gallery's photos, a video's links.
//!
//! This happens when the page renders, not when the body does, so what a
//! call reads (a spa's phone number) is recorded like any other read, and
//! `serve` re-renders the page when it changes.

use super::Renderer;
use super::context::AddressView;
use super::deps::Dep;
use crate::config::Lang;
use crate::content::{ContentFile, Kind};
use crate::diagnostic::Diagnostic;
use crate::markdown::{Call, CallBody};
use crate::route::Route;
use crate::site::{Body, Facts};
use serde::Serialize;
use serde_json::{Map, Value, json};

/// The type an argument of a built-in shortcode takes.
#[derive(Clone, Copy, PartialEq)]
enum Ty {
    Text,
    List,
}

struct ArgSpec {
    name: &'static str,
    ty: Ty,
    required: bool,
}

const fn arg(name: &'static str, ty: Ty, required: bool) -> ArgSpec {
    ArgSpec { name, ty, required }
}

/// A built-in shortcode: its arguments, whether it takes a body, and the
/// arguments of which exactly one must be given.
struct Builtin {
    name: &'static str,
    args: &'static [ArgSpec],
    body: bool,
    one_of: &'static [&'static str],
    example: &'static str,
}

const BUILTINS: &[Builtin] = &[
    Builtin {
        name: "note",
        args: &[arg("kind", Ty::Text, false), arg("title", Ty::Text, false)],
        body: true,
        one_of: &[],
        example: "{% note(kind=\"warning\") %}Bring a towel.{% end %}",
    },
    Builtin {
        name: "gallery",
        args: &[],
        body: true,
        one_of: &[],
        example: "{% gallery() %}\n![The pool](pool.jpg)\n{% end %}",
    },
    Builtin {
        name: "map",
        args: &[
            arg("locations", Ty::List, true),
            arg("title", Ty::Text, false),
        ],
        body: false,
        one_of: &[],
        example: "{{ map(locations=[\"parnu\", \"haapsalu\"]) }}",
    },
    Builtin {
        name: "contact",
        args: &[arg("spa", Ty::Text, false), arg("cluster", Ty::Text, false)],
        body: false,
        one_of: &["spa", "cluster"],
        example: "{{ contact(spa=\"laine\") }}",
    },
    Builtin {
        name: "video",
        args: &[
            arg("youtube", Ty::Text, false),
            arg("vimeo", Ty::Text, false),
            arg("title", Ty::Text, true),
            arg("still", Ty::Text, false),
        ],
        body: false,
        one_of: &["youtube", "vimeo"],
        example: "{{ video(youtube=\"dQw4w9WgXcQ\", title=\"A tour of the spa\") }}",
    },
];

/// The kinds of `note`, each with its UI string `note_<kind>`.
pub const NOTE_KINDS: [&str; 3] = ["info", "tip", "warning"];

/// A mistake in a call: where in the body, what, and what to write.
struct Wrong {
    offset: usize,
    message: String,
    hint: String,
}

impl Wrong {
    fn at(offset: usize, message: String, hint: String) -> Wrong {
        Wrong {
            offset,
            message,
            hint,
        }
    }

    fn into_diagnostic(self, file: &ContentFile) -> Diagnostic {
        file.source
            .error_at(file.body_offset + self.offset, self.message)
            .with_hint(self.hint)
    }
}

/// The names of the shortcodes a theme has: a template
/// `shortcodes/<name>.html` each (the built-in ones among them).
pub fn names(theme: &crate::theme::Theme) -> Vec<String> {
    let mut v: Vec<String> = theme
        .tera
        .get_template_names()
        .filter_map(|n| n.strip_prefix("shortcodes/")?.strip_suffix(".html"))
        .map(str::to_string)
        .collect();
    v.sort();
    v
}

/// Every mistake in the calls of `body` that needs no page to be seen:
/// unknown names, wrong and missing arguments. `known` is [`names`].
pub fn check(file: &ContentFile, calls: &[Call], known: &[String]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for c in calls {
        if let Err(w) = check_call(c, known) {
            out.push(w.into_diagnostic(file));
        }
        if let Some(b) = &c.body {
            out.extend(check(file, &b.calls, known));
        }
    }
    out
}

fn check_call(c: &Call, known: &[String]) -> Result<(), Wrong> {
    if !known.contains(&c.name) {
        let names: Vec<&str> = known.iter().map(String::as_str).collect();
        let hint = match crate::slug::closest(&c.name, &names) {
            Some(near) => format!("did you mean `{near}`?"),
            None => format!(
                "the shortcodes are {}; a site adds its own as templates/shortcodes/<name>.html",
                names.join(", ")
            ),
        };
        return Err(Wrong::at(
            c.offset,
            format!("unknown shortcode `{}`", c.name),
            hint,
        ));
    }
    let Some(b) = BUILTINS.iter().find(|b| b.name == c.name) else {
        return Ok(());
    };
    if b.body != c.has_body {
        let message = if b.body {
            format!("shortcode `{}` needs a body", c.name)
        } else {
            format!("shortcode `{}` takes no body", c.name)
        };
        return Err(Wrong::at(
            c.offset,
            message,
            format!("write `{}`", b.example),
        ));
    }
    for a in &c.args {
        let Some(spec) = b.args.iter().find(|s| s.name == a.name) else {
            let names: Vec<&str> = b.args.iter().map(|s| s.name).collect();
            let hint = match crate::slug::closest(&a.name, &names) {
                Some(near) => format!("did you mean `{near}`?"),
                None if names.is_empty() => format!("`{}` takes no arguments", b.name),
                None => format!("`{}` takes {}", b.name, names.join(", ")),
            };
            return Err(Wrong::at(
                a.offset,
                format!("shortcode `{}` has no argument `{}`", b.name, a.name),
                hint,
            ));
        };
        let fits = match spec.ty {
            Ty::Text => a.value.is_string(),
            Ty::List => a
                .value
                .as_array()
                .is_some_and(|v| v.iter().all(Value::is_string)),
        };
        if !fits {
            let want = match spec.ty {
                Ty::Text => format!("text in quotes: `{}=\"…\"`", a.name),
                Ty::List => format!("a list of texts: `{}=[\"a\", \"b\"]`", a.name),
            };
            return Err(Wrong::at(
                a.offset,
                format!(
                    "argument `{}` of shortcode `{}` must be {want}",
                    a.name, b.name
                ),
                format!("for example `{}`", b.example),
            ));
        }
    }
    if let Some(w) = check_values(c) {
        return Err(w);
    }
    for spec in b.args.iter().filter(|s| s.required) {
        if !c.args.iter().any(|a| a.name == spec.name) {
            return Err(Wrong::at(
                c.offset,
                format!("shortcode `{}` needs argument `{}`", b.name, spec.name),
                format!("for example `{}`", b.example),
            ));
        }
    }
    if !b.one_of.is_empty() {
        let given = c
            .args
            .iter()
            .filter(|a| b.one_of.contains(&a.name.as_str()))
            .count();
        if given != 1 {
            return Err(Wrong::at(
                c.offset,
                format!(
                    "shortcode `{}` needs exactly one of {}",
                    b.name,
                    b.one_of
                        .iter()
                        .map(|n| format!("`{n}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                format!("for example `{}`", b.example),
            ));
        }
    }
    Ok(())
}

/// The values of a built-in call that can be wrong whatever the site
/// holds: a note's kind, a video's id.
fn check_values(c: &Call) -> Option<Wrong> {
    let text = |n: &str| {
        c.args
            .iter()
            .find(|a| a.name == n)
            .and_then(|a| Some((a, a.value.as_str()?)))
    };
    if c.name == "note"
        && let Some((a, k)) = text("kind")
        && !NOTE_KINDS.contains(&k)
    {
        let hint = match crate::slug::closest(k, &NOTE_KINDS) {
            Some(near) => format!("did you mean `{near}`?"),
            None => format!("the kinds are {}", NOTE_KINDS.join(", ")),
        };
        return Some(Wrong::at(
            a.offset,
            format!("`{k}` is not a kind of note"),
            hint,
        ));
    }
    if c.name == "video" {
        let youtube = |id: &str| {
            id.len() == 11
                && id
                    .chars()
                    .all(|ch| ch.is_ascii_alphanumeric() || ch == '-' || ch == '_')
        };
        let vimeo =
            |id: &str| !id.is_empty() && id.len() <= 12 && id.chars().all(|ch| ch.is_ascii_digit());
        if let Some((a, id)) = text("youtube")
            && !youtube(id)
        {
            return Some(Wrong::at(
                a.offset,
                format!("`{id}` is not a YouTube video id"),
                "a YouTube id is the 11 characters after `v=` in the video's address: `youtube=\"dQw4w9WgXcQ\"`".into(),
            ));
        }
        if let Some((a, id)) = text("vimeo")
            && !vimeo(id)
        {
            return Some(Wrong::at(
                a.offset,
                format!("`{id}` is not a Vimeo video id"),
                "a Vimeo id is the number at the end of the video's address: `vimeo=\"76979871\"`"
                    .into(),
            ));
        }
    }
    None
}

/// A contact card: a spa's or a cluster's ways to get in touch.
#[derive(Serialize)]
struct ContactCard {
    kind: &'static str,
    name: String,
    href: String,
    address: Option<AddressView>,
    phone: Option<String>,
    phone_href: Option<String>,
    email: Option<String>,
    website: Option<String>,
    person: Option<String>,
    vcard: Option<String>,
}

#[derive(Serialize)]
struct GalleryPhoto<'c> {
    html: &'c str,
    alt: &'c str,
    caption: Option<&'c str>,
}

impl Renderer<'_> {
    /// `body`'s HTML with its shortcodes made, for a page in `lang`.
    pub(crate) fn body_html(
        &self,
        file: &ContentFile,
        body: &Body,
        lang: &Lang,
    ) -> Result<String, Diagnostic> {
        if body.calls.is_empty() {
            return Ok(body.html.clone());
        }
        let known = names(self.theme);
        let mut maps = 0;
        self.fill_calls(file, &body.html, &body.calls, lang, &known, &mut maps)
    }

    fn fill_calls(
        &self,
        file: &ContentFile,
        html: &str,
        calls: &[Call],
        lang: &Lang,
        known: &[String],
        maps: &mut usize,
    ) -> Result<String, Diagnostic> {
        let mut out = html.to_string();
        for (n, c) in calls.iter().enumerate() {
            check_call(c, known).map_err(|w| w.into_diagnostic(file))?;
            let made = self
                .shortcode(file, c, lang, known, maps)
                .map_err(|w| w.into_diagnostic(file))?;
            let token = Call::token(n);
            let block = format!("<p>{token}</p>");
            out = if out.contains(&block) {
                out.replacen(&block, &made, 1)
            } else {
                out.replacen(&token, &made, 1)
            };
        }
        Ok(out)
    }

    /// One call's HTML: its template given its arguments and data.
    fn shortcode(
        &self,
        file: &ContentFile,
        c: &Call,
        lang: &Lang,
        known: &[String],
        maps: &mut usize,
    ) -> Result<String, Wrong> {
        let mut vars = Map::new();
        for a in &c.args {
            vars.insert(a.name.clone(), a.value.clone());
        }
        vars.insert("lang".into(), lang.as_str().into());
        if let Some(CallBody { html, calls, .. }) = &c.body {
            let inner = self
                .fill_calls(file, html, calls, lang, known, maps)
                .map_err(|d| Wrong::at(c.offset, d.message, d.hint.unwrap_or_default()))?;
            vars.insert("body".into(), inner.into());
        }
        match c.name.as_str() {
            "note" => self.note(c, lang, &mut vars),
            "gallery" => {
                let photos: Vec<GalleryPhoto> = c
                    .photos
                    .iter()
                    .map(|p| GalleryPhoto {
                        html: &p.html,
                        alt: &p.alt,
                        caption: p.caption.as_deref(),
                    })
                    .collect();
                vars.insert("photos".into(), json!(photos));
            }
            "map" => {
                *maps += 1;
                let svg = self.map_of(c, lang, *maps)?;
                vars.insert("map".into(), svg.into());
            }
            "contact" => {
                let card = self.contact_card(c, lang)?;
                vars.insert("card".into(), json!(card));
            }
            "video" => self.video(c, &mut vars)?,
            _ => {}
        }
        let template = format!("shortcodes/{}.html", c.name);
        let strings = self.theme.strings(lang);
        self.theme
            .with_context(strings, Value::Object(vars), |ctx| {
                self.render_tera(&template, lang, ctx)
            })
            .and_then(|r| r)
            .map_err(|e| {
                let d = self.theme.render_error(e, &template);
                let at = d
                    .file
                    .as_ref()
                    .map(|f| f.display().to_string())
                    .unwrap_or_else(|| format!("templates/{template}"));
                Wrong::at(
                    c.offset,
                    format!("shortcode `{}` failed: {}", c.name, d.message),
                    format!(
                        "its template is {at}; give the call the arguments the template uses, or test them there with `{{% if name %}}`"
                    ),
                )
            })
    }

    fn note(&self, c: &Call, lang: &Lang, vars: &mut Map<String, Value>) {
        let kind = c
            .args
            .iter()
            .find(|a| a.name == "kind")
            .and_then(|a| a.value.as_str())
            .unwrap_or("info");
        vars.insert("kind".into(), kind.into());
        vars.insert(
            "label".into(),
            self.shortcode_text(lang, &format!("note_{kind}")).into(),
        );
    }

    /// A UI string of the theme's `[shortcode]` table.
    fn shortcode_text(&self, lang: &Lang, key: &str) -> String {
        self.theme
            .strings(lang)
            .get("shortcode")
            .and_then(|t| t.get(key))
            .and_then(|v| v.as_str())
            .unwrap_or_default()
            .to_string()
    }

    /// The inline SVG of the places a `map` call names, linked to their
    /// pages; `n` makes its id unique in the page.
    fn map_of(&self, c: &Call, lang: &Lang, n: usize) -> Result<String, Wrong> {
        let Some(a) = c.args.iter().find(|a| a.name == "locations") else {
            return Ok(String::new());
        };
        let slugs: Vec<&str> = a
            .value
            .as_array()
            .map(|v| v.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        if slugs.is_empty() {
            return Err(Wrong::at(
                a.offset,
                "a map needs at least one location".into(),
                "name places by their slug: `locations=[\"parnu\"]`".into(),
            ));
        }
        let mut places = Vec::new();
        for slug in &slugs {
            let Some(loc) = self.site.location_by_slug(slug) else {
                let all: Vec<&str> = self
                    .site
                    .locations
                    .iter()
                    .map(|l| l.record.slug.as_str())
                    .collect();
                let hint = match crate::slug::closest(slug, &all) {
                    Some(near) => format!("did you mean `{near}`?"),
                    None => format!("the locations are {}", all.join(", ")),
                };
                return Err(Wrong::at(
                    a.offset,
                    format!("map: there is no location `{slug}`"),
                    hint,
                ));
            };
            if loc.record.coordinates.is_none() {
                return Err(Wrong::at(
                    a.offset,
                    format!("map: location `{slug}` has no coordinates to show"),
                    format!("give `{slug}` `coordinates` in content/locations.toml"),
                ));
            }
            places.push(loc);
        }
        let hrefs: Vec<String> = places
            .iter()
            .map(|l| self.site.config.href(&l.route(lang)))
            .collect();
        let points: Vec<super::map::Point> = places
            .iter()
            .zip(&hrefs)
            .filter_map(|(l, href)| {
                let co = l.record.coordinates?;
                Some(super::map::Point {
                    lat: co.lat,
                    lon: co.lon,
                    label: l.record.name_in(lang.as_str()),
                    href: Some(href),
                    highlight: false,
                    hreflang: None,
                    country: &l.record.country,
                })
            })
            .collect();
        let names: Vec<&str> = places
            .iter()
            .map(|l| l.record.name_in(lang.as_str()))
            .collect();
        let title = match c
            .args
            .iter()
            .find(|a| a.name == "title")
            .and_then(|a| a.value.as_str())
        {
            Some(t) => t.to_string(),
            None => self.fill(
                lang,
                "map_of",
                &[("name", &names.join(&self.text(lang, "list_separator")))],
            ),
        };
        Ok(super::map::svg(&format!("map-{n}"), &title, &points, None))
    }

    fn contact_card(&self, c: &Call, lang: &Lang) -> Result<ContactCard, Wrong> {
        let (kind, a) = c
            .args
            .iter()
            .find_map(|a| match a.name.as_str() {
                "spa" => Some((Kind::Spa, a)),
                "cluster" => Some((Kind::Cluster, a)),
                _ => None,
            })
            .ok_or_else(|| {
                Wrong::at(
                    c.offset,
                    "contact needs `spa` or `cluster`".into(),
                    "for example `{{ contact(spa=\"laine\") }}`".into(),
                )
            })?;
        let slug = a.value.as_str().unwrap_or_default();
        let Some(item) = self.item_by_slug(kind, slug) else {
            let all: Vec<&str> = self
                .site
                .items_of(kind)
                .filter(|i| !i.translations.is_empty())
                .map(|i| i.key.as_str())
                .collect();
            let what = if kind == Kind::Spa { "spa" } else { "cluster" };
            let hint = match crate::slug::closest(slug, &all) {
                Some(near) => format!("did you mean `{near}`?"),
                None => format!(
                    "name the {what} by its file name, like content/{}s/<name>.md",
                    what
                ),
            };
            return Err(Wrong::at(
                a.offset,
                format!("contact: there is no {what} `{slug}`"),
                hint,
            ));
        };
        let t = self.translation_for(item, lang).ok_or_else(|| {
            Wrong::at(
                a.offset,
                format!("contact: `{slug}` has no page"),
                String::new(),
            )
        })?;
        let href = self.site.config.link(&t.path);
        let card = match self.facts(item) {
            Facts::Spa(f) => ContactCard {
                kind: "spa",
                name: t.title.clone(),
                href,
                address: f.address.as_ref().map(super::pages::address_view),
                phone_href: f.phone.as_deref().map(super::contact::tel_href),
                phone: f.phone.clone(),
                email: f.email.clone(),
                website: f.website.clone(),
                person: None,
                vcard: Some(
                    self.site
                        .config
                        .href(&Route::VCard(t.lang.clone(), t.slug.clone())),
                ),
            },
            Facts::Cluster(f) => {
                let ct = f.contact.as_ref();
                let phone = ct.and_then(|c| c.phone.clone());
                ContactCard {
                    kind: "cluster",
                    name: t.title.clone(),
                    href,
                    address: f.address.as_ref().map(super::pages::address_view),
                    phone_href: phone.as_deref().map(super::contact::tel_href),
                    phone,
                    email: ct.and_then(|c| c.email.clone()),
                    website: f.website.clone(),
                    person: ct.and_then(|c| match (&c.name, &c.role) {
                        (Some(n), Some(r)) => Some(format!("{n}, {r}")),
                        (Some(n), None) => Some(n.clone()),
                        _ => None,
                    }),
                    vcard: None,
                }
            }
            _ => {
                return Err(Wrong::at(
                    a.offset,
                    format!("contact: `{slug}` is not a spa or cluster"),
                    String::new(),
                ));
            }
        };
        Ok(card)
    }

    /// An item of `kind` by its file name (`laine` for spas/laine.md), else
    /// by the slug of one of its translations. Reading which items a kind
    /// has is recorded: a new spa may be the one a call names.
    fn item_by_slug(&self, kind: Kind, slug: &str) -> Option<&crate::site::Item> {
        self.read(Dep::Kind(kind));
        self.site
            .find(kind, slug)
            .filter(|i| !i.translations.is_empty())
            .or_else(|| {
                self.site
                    .items_of(kind)
                    .find(|i| i.translations.iter().any(|t| t.slug == slug))
            })
    }

    /// A video: a link to it and the player's address, which the theme's
    /// script loads only when the reader asks for it.
    fn video(&self, c: &Call, vars: &mut Map<String, Value>) -> Result<(), Wrong> {
        let get = |n: &str| c.args.iter().find(|a| a.name == n);
        let (provider, a) = match (get("youtube"), get("vimeo")) {
            (Some(a), _) => ("youtube", a),
            (None, Some(a)) => ("vimeo", a),
            (None, None) => return Ok(()),
        };
        let id = a.value.as_str().unwrap_or_default();
        let (watch, embed) = match provider {
            "youtube" => (
                format!("https://www.youtube.com/watch?v={id}"),
                format!("https://www.youtube-nocookie.com/embed/{id}?autoplay=1"),
            ),
            _ => (
                format!("https://vimeo.com/{id}"),
                format!("https://player.vimeo.com/video/{id}?autoplay=1&dnt=1"),
            ),
        };
        vars.insert("provider".into(), provider.into());
        let provider_name = if provider == "youtube" {
            "YouTube"
        } else {
            "Vimeo"
        };
        vars.insert("provider_name".into(), provider_name.into());
        vars.insert("id".into(), id.into());
        vars.insert("watch".into(), watch.into());
        vars.insert("embed".into(), embed.into());
        vars.insert(
            "script".into(),
            self.site
                .config
                .href(&Route::Static("video.js".into()))
                .into(),
        );
        vars.insert(
            "still".into(),
            c.photos
                .first()
                .map_or(Value::Null, |p| p.html.clone().into()),
        );
        Ok(())
    }
}

/// The built-in shortcodes' names, for documentation and tests.
pub fn builtin_names() -> Vec<&'static str> {
    BUILTINS.iter().map(|b| b.name).collect()
}
