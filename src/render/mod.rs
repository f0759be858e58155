//! From the site graph to files: every page as (path, bytes), a pure
//! function of the graph and the theme. Pages render in parallel (`jobs`);
//! the result is sorted by path, so output never depends on scheduling.

mod cards;
pub mod contact;
pub mod context;
pub mod deps;
pub mod entries;
mod events;
pub mod feeds;
pub mod functions;
pub mod ics;
pub mod jobs;
mod map;
mod pages;
mod related;
pub mod search;
pub mod seo;
pub mod shortcodes;
pub mod sitemap;
mod taxonomy;

use crate::config::{Config, Lang};
use crate::content::Date;
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::route::{Route, Section};
use crate::site::{Item, Site};
use crate::theme::Theme;
use context::*;
pub use jobs::{Job, Rendered, check_collisions, jobs, render_each};
use serde::Serialize;
use std::sync::Arc;

/// One file of the built site: its path relative to the output folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    pub path: String,
    pub bytes: Vec<u8>,
}

#[derive(Debug, Clone, Default)]
pub struct RenderOptions {
    /// `klynge serve` injects its live-reload script through this.
    pub live_reload: Option<String>,
}

pub struct Renderer<'a> {
    pub site: &'a Site,
    pub theme: &'a Theme,
    pub opts: &'a RenderOptions,
    /// Items as lists show them, made once per language (see `entries`).
    pub entries: &'a entries::Entries,
    /// Where the page being rendered notes what it reads, when `serve`
    /// asks for it (see `deps`).
    pub deps: Option<&'a deps::Recorder>,
}

/// The photo files templates asked for while `jobs` were rendered
/// (`resize_image`), checked against every other output like the rest.
pub fn late_photo_jobs(
    site: &Site,
    jobs: &[Job],
    statics: &[(String, Vec<u8>)],
    diags: &Diagnostics,
) -> Vec<Job> {
    let outputs = site.photos.outputs();
    if outputs.is_empty() {
        return Vec::new();
    }
    // Only photo jobs can be the same as a photo output: hashing the
    // whole list would cost `serve` a millisecond on every edit.
    let known: std::collections::HashSet<&Job> =
        jobs.iter().filter(|j| matches!(j, Job::Photo(_))).collect();
    let extra: Vec<Job> = outputs
        .into_iter()
        .map(Job::Photo)
        .filter(|j| !known.contains(j))
        .collect();
    if extra.is_empty() {
        return extra;
    }
    let n = jobs.len();
    let all: Vec<Job> = jobs.iter().cloned().chain(extra).collect();
    let mut checked = check_collisions(site, all, statics, diags);
    checked.split_off(n.min(checked.len()))
}

/// Renders the whole site, without its static files.
pub fn render_site(
    site: &Site,
    theme: &Theme,
    opts: &RenderOptions,
    diags: &Diagnostics,
) -> Vec<OutputFile> {
    let entries = entries::Entries::new(site);
    let r = Renderer {
        site,
        theme,
        opts,
        entries: &entries,
        deps: None,
    };
    let jobs = check_collisions(site, jobs(site), &theme.statics, diags);
    let mut files = render_each(&r, &jobs, false, diags, |_, r| r.file);
    let extra = late_photo_jobs(site, &jobs, &theme.statics, diags);
    files.extend(render_each(&r, &extra, false, diags, |_, r| r.file));
    files.sort_by(|a, b| a.path.cmp(&b.path));
    files
}

impl<'a> Renderer<'a> {
    fn config(&self) -> &Config {
        &self.site.config
    }

    pub fn render_job(&self, job: &Job) -> Result<Option<OutputFile>, Diagnostic> {
        match job {
            Job::Chooser => self.chooser().map(Some),
            Job::NotFound => self.not_found().map(Some),
            Job::NotFoundIn(l) => self.not_found_in(l).map(Some),
            Job::Home(l) => self.home(l).map(Some),
            Job::ItemPage(id, l) => self.item_page(self.site.item(*id), l),
            Job::Index(l, Section::Clusters) => self.cluster_index(l).map(Some),
            Job::Index(l, Section::Spas) => self.spa_index(l).map(Some),
            Job::Index(l, Section::Locations) => self.location_index(l).map(Some),
            Job::Index(l, Section::Search) => self.search_page(l).map(Some),
            Job::NewsList(l, n) => self.news_list(l, *n).map(Some),
            Job::EventsList(l, n) => self.events_list(l, *n).map(Some),
            Job::EventIcs(id, l) => Ok(ics::event_file(self, self.site.item(*id), l)),
            Job::EventsIcs(l) => Ok(Some(ics::language_file(self, l))),
            Job::LocationPage(id, l) => self.location_page(*id, l).map(Some),
            Job::Index(l, Section::Treatments) => self.treatment_index(l).map(Some),
            Job::TreatmentPage(id, l) => self.treatment_page(*id, l).map(Some),
            Job::KindPage(k, l) => self.kind_page(*k, l).map(Some),
            Job::VCard(id, l) => Ok(contact::vcard(self, self.site.item(*id), l)),
            Job::SearchIndex(l) => Ok(Some(search::index_file(self, l))),
            Job::Feed(l) => Ok(Some(feeds::atom(self, l))),
            Job::Alias(id, l, alias) => self.alias(self.site.item(*id), l, alias).map(Some),
            Job::Sitemap => Ok(Some(sitemap::sitemap(self))),
            Job::Robots => sitemap::robots(self).map(Some),
            Job::Photo(file) => self
                .site
                .photos
                .read_output(file)
                .map(|bytes| {
                    Some(OutputFile {
                        path: file.clone(),
                        bytes,
                    })
                })
                .map_err(Diagnostic::error),
        }
    }

    /// Notes that the page being rendered read `dep`.
    pub fn read(&self, dep: deps::Dep) {
        if let Some(r) = self.deps {
            r.push(dep);
        }
    }

    /// The language's position, for records.
    pub fn lang_ix(&self, lang: &Lang) -> deps::LangIx {
        deps::LangIx::of(self.site, lang)
    }

    /// Renders `template` with `ctx` into the file for site path `path`.
    fn template<D: Serialize>(
        &self,
        template: &str,
        ctx: &Page<D>,
        route: &Route,
    ) -> Result<OutputFile, Diagnostic> {
        let path = self.config().path(route);
        if let Some(e) = &ctx.card_error {
            return Err(Diagnostic::error(format!("{path}: {e}")));
        }
        let context_error =
            |e: tera::Error| Diagnostic::error(format!("cannot build the context of {path}: {e}"));
        let mut page =
            serde_json::to_value(ctx).map_err(|e| context_error(tera::Error::json(e)))?;
        // `has_code`: the page shows highlighted code, so it needs
        // syntax.css (19 KB that the other pages need not load).
        let has_code = page
            .get("data")
            .is_some_and(|d| any_string_contains(d, "code hl"));
        if let serde_json::Value::Object(map) = &mut page {
            map.insert("has_code".into(), has_code.into());
        }
        let html = self
            .theme
            .with_context(ctx.t, page, |context| {
                self.render_tera(template, &Lang(ctx.lang.to_string()), context)
            })
            .map_err(context_error)?
            .map_err(|e| self.theme.render_error(e, template))?;
        let mut html = html;
        crate::photos::first_image_eager(&mut html);
        Ok(OutputFile {
            path: file_for(&path),
            bytes: html.into_bytes(),
        })
    }

    /// The page language's collation, plural rules, number and date formats.
    pub fn locale(&self, lang: &Lang) -> &'static crate::locale::Locale {
        crate::locale::of(lang.as_str())
    }

    pub fn text(&self, lang: &Lang, key: &str) -> String {
        self.theme.text(lang, key)
    }

    /// UI string `key` for `n` things, its `{count}` the number in the
    /// page language's digits. The string may be a table of CLDR plural
    /// forms (`{ one = "{count} spa", other = "{count} spas" }`): the form
    /// of `n`'s category in the language is taken, or `other` when the
    /// table lacks it. A plain string serves every count.
    pub fn count_text(&self, lang: &Lang, key: &str, n: usize) -> String {
        let locale = self.locale(lang);
        let form = match self.theme.strings(lang).get(key) {
            Some(toml::Value::Table(forms)) => forms
                .get(locale.plural(n as u64))
                .or_else(|| forms.get("other"))
                .and_then(toml::Value::as_str)
                .unwrap_or_default(),
            Some(toml::Value::String(s)) => s,
            _ => "",
        };
        form.replace("{count}", &locale.number(n as u64))
    }

    /// A UI string with `{name}` placeholders filled.
    pub fn fill(&self, lang: &Lang, key: &str, args: &[(&str, &str)]) -> String {
        let mut s = self.text(lang, key);
        for (k, v) in args {
            s = s.replace(&format!("{{{k}}}"), v);
        }
        s
    }

    /// A UI string of the theme's `[calendar]` table (events and times).
    pub fn calendar_text(&self, lang: &Lang, key: &str) -> String {
        self.theme
            .strings(lang)
            .get("calendar")
            .and_then(|t| t.get(key))
            .and_then(|v| v.as_str())
            .unwrap_or_default()
            .to_string()
    }

    /// [`Self::calendar_text`] with `{name}` placeholders filled.
    pub fn calendar_fill(&self, lang: &Lang, key: &str, args: &[(&str, &str)]) -> String {
        let mut s = self.calendar_text(lang, key);
        for (k, v) in args {
            s = s.replace(&format!("{{{k}}}"), v);
        }
        s
    }

    /// A date as the page language writes it: CLDR's long format (ICU4X),
    /// unless the theme or site sets its own `date_format` for the language.
    pub fn date_text(&self, lang: &Lang, date: Date) -> String {
        let strings = self.theme.strings(lang);
        if strings.contains_key("date_format") {
            format_date(strings, date, self.locale(lang))
        } else {
            self.locale(lang).date(date)
        }
    }

    pub fn date(&self, lang: &Lang, date: Date) -> DateView {
        DateView {
            iso: date.iso(),
            text: self.date_text(lang, date),
        }
    }

    /// A day, or a time as written (at its offset), in the page language.
    pub fn moment(&self, lang: &Lang, m: crate::time::Moment) -> DateView {
        match m {
            crate::time::Moment::Day(d) => self.date(lang, d),
            m @ crate::time::Moment::Month(d) => DateView {
                iso: m.iso(),
                text: self.locale(lang).month_year(d),
            },
            crate::time::Moment::At(s) => DateView {
                iso: s.rfc3339(),
                text: self.calendar_fill(
                    lang,
                    "datetime_format",
                    &[
                        ("date", &self.date_text(lang, s.date())),
                        ("time", &s.hhmm()),
                        ("zone", &s.offset_text()),
                    ],
                ),
            },
        }
    }

    pub fn language_name(&self, lang: &Lang) -> String {
        self.config()
            .language(lang)
            .map_or_else(|| lang.to_string(), |l| l.name.clone())
    }

    /// A country's name in the page language: the theme's `countries`,
    /// else CLDR's name, else its code.
    pub fn country_name(&self, lang: &Lang, code: &str) -> String {
        self.theme
            .strings(lang)
            .get("countries")
            .and_then(|c| c.get(code))
            .and_then(|v| v.as_str())
            .or_else(|| crate::locale::cldr_name(lang.as_str(), code))
            .unwrap_or(code)
            .to_string()
    }

    /// What lists show of `item` to a reader of `lang`, without its entry
    /// HTML; `None` if it has no translation at all. `item_link` keeps it.
    fn link_facts(&self, item: &Item, lang: &Lang) -> Option<ItemLink> {
        let t = item.translation_for(self.config(), lang)?;
        let fallback = &t.lang != lang;
        let spa = match &item.facts {
            crate::site::Facts::Spa(s) => self.spa_entry(s, lang),
            _ => SpaEntry::default(),
        };
        Some(ItemLink {
            sort: self.locale(lang).sort_key(&t.title),
            html: std::sync::Arc::default(),
            html_in_town: None,
            title: t.title.clone(),
            href: self.config().link(&t.path),
            lang: fallback.then(|| t.lang.to_string()),
            lang_name: fallback.then(|| self.language_name(&t.lang)),
            summary: crate::markdown::truncate_words(
                t.description.as_deref().unwrap_or(&t.body.summary),
                200,
            ),
            date: match &item.facts {
                crate::site::Facts::Event(f) => {
                    let when = self.when_view(lang, f);
                    Some(DateView {
                        iso: when.start_iso,
                        text: when.text,
                    })
                }
                _ => item.date().map(|d| self.moment(lang, d)),
            },
            location: spa.location,
            kind: spa.kind,
            treatments: spa.treatments,
            more_treatments: spa.more_treatments,
            languages: spa.languages,
            photo: t
                .photos
                .image
                .as_ref()
                .map(|p| self.photo_view(p, crate::site::photos::THUMB_SIZES)),
        })
    }

    /// What a spa's list entry says of it: the facts a patient scans.
    fn spa_entry(&self, s: &crate::site::SpaFacts, lang: &Lang) -> SpaEntry {
        /// Treatments named on an entry; the others are counted.
        const SHOWN: usize = 3;
        let place = &self.site.location(s.location).record;
        let names = |ids: &[crate::site::TreatId]| -> Vec<String> {
            ids.iter()
                .map(|id| {
                    self.site
                        .treatment(*id)
                        .record
                        .name_in(lang.as_str())
                        .to_string()
                })
                .collect()
        };
        let shown = s.treatments.len().min(SHOWN);
        let rest = s.treatments.len() - shown;
        SpaEntry {
            location: Some(place.name_in(lang.as_str()).to_string()),
            kind: s.kind.map(|k| self.text(lang, k.label_key())),
            treatments: names(&s.treatments[..shown]),
            more_treatments: (rest > 0).then(|| self.count_text(lang, "more_count", rest)),
            languages: s
                .practical
                .languages
                .iter()
                .map(|code| self.spoken_name(lang, code))
                .collect(),
        }
    }

    /// A photo as templates see it, with `<picture>` markup for `sizes`.
    pub fn photo_view(&self, p: &crate::site::Photo, sizes: &str) -> PhotoView {
        let c = self.config();
        let link = |f: &str| c.href(&Route::Photo(f.to_string()));
        let largest = p.processed.largest();
        PhotoView {
            html: crate::photos::picture(&p.processed, &p.alt, sizes, &link),
            href: link(&largest.jpeg),
            width: largest.width,
            height: largest.height,
            alt: p.alt.clone(),
            caption: p.caption.clone(),
            credit: p.credit.clone(),
            decorative: p.decorative,
        }
    }

    /// Links for `ids`, sorted by weight then title as the reader sees it.
    pub fn item_links(
        &self,
        ids: impl IntoIterator<Item = &'a Item>,
        lang: &Lang,
        keep_order: bool,
    ) -> Vec<Arc<ItemLink>> {
        let mut v = self.weighted_links(ids, lang);
        if !keep_order {
            v.sort_by(list_order);
        }
        v.into_iter().map(|(_, l)| l).collect()
    }

    /// The first `k` of `ids` in list order, without ordering the rest:
    /// for a few links out of many.
    pub fn first_item_links(
        &self,
        ids: impl IntoIterator<Item = &'a Item>,
        lang: &Lang,
        k: usize,
    ) -> Vec<Arc<ItemLink>> {
        let mut v = self.weighted_links(ids, lang);
        if k == 0 {
            return Vec::new();
        }
        if v.len() > k {
            v.select_nth_unstable_by(k - 1, list_order);
            v.truncate(k);
        }
        v.sort_by(list_order);
        v.into_iter().map(|(_, l)| l).collect()
    }

    fn weighted_links(
        &self,
        ids: impl IntoIterator<Item = &'a Item>,
        lang: &Lang,
    ) -> Vec<(i64, Arc<ItemLink>)> {
        ids.into_iter()
            .filter_map(|i| {
                // Lists order by weight, one of the item's facts.
                self.read(deps::Dep::Facts(i.id));
                self.item_link(i, lang).map(|l| (i.weight, l))
            })
            .collect()
    }

    /// The menu of `lang` as links from the page at `here` (a site path).
    /// Which translation an entry leads to depends on the item's pages,
    /// which every page showing the menu reads.
    fn menu(&self, lang: &Lang, here: &str) -> Vec<MenuLink> {
        let c = self.config();
        let Some(language) = c.language(lang) else {
            return Vec::new();
        };
        language
            .menu
            .iter()
            .filter_map(|entry| {
                let (href, to) = match &entry.target {
                    crate::config::MenuTarget::External(url) => (url.clone(), None),
                    crate::config::MenuTarget::Page(target) => {
                        // Checked when the site was built: it resolves.
                        let (item, t) = self.site.resolve_link(target, lang).ok()?;
                        self.read(deps::Dep::Pages(item.id));
                        (c.link(&t.path), Some((&t.lang, t.path == here)))
                    }
                };
                Some(MenuLink {
                    name: entry.name.clone(),
                    href,
                    lang: to.and_then(|(l, _)| (l != lang).then(|| l.to_string())),
                    current: to.is_some_and(|(_, here)| here),
                })
            })
            .collect()
    }

    fn nav(&self, lang: &Lang, section: &'static str, here: &str) -> Nav {
        let c = self.config();
        let link = |r: Route| c.href(&r);
        let index = |s: Section| link(Route::Index(lang.clone(), s));
        Nav {
            home: link(Route::Home(lang.clone())),
            clusters: index(Section::Clusters),
            spas: index(Section::Spas),
            news: link(Route::NewsPage(lang.clone(), 1)),
            locations: index(Section::Locations),
            search: index(Section::Search),
            treatments: (!self.site.treatments.is_empty()).then(|| index(Section::Treatments)),
            events: self
                .has_events()
                .then(|| link(Route::EventsPage(lang.clone(), 1))),
            section,
            menu: self.menu(lang, here),
        }
    }

    /// The frame every page shares. `alternates` are (lang, site path) of
    /// the page in each language it exists in, this one included.
    fn page<D: Serialize>(&self, lang: &'a Lang, spec: PageSpec, data: D) -> Page<'a, D> {
        let c: &'a Config = &self.site.config;
        let theme: &'a Theme = self.theme;
        let site_title = c
            .language(lang)
            .map_or(c.languages[0].title.as_str(), |l| l.title.as_str());
        let mut crumbs = vec![Link {
            name: self.text(lang, "home"),
            href: c.href(&Route::Home(lang.clone())),
        }];
        crumbs.extend(spec.crumbs);
        let mut graph = spec.json_ld;
        let shown = spec.photos.image.as_ref().or(spec.photos.gallery.first());
        let og_image = shown.map(|p| {
            let v = p.processed.largest();
            OgImage {
                url: c.url(&Route::Photo(v.jpeg.clone())),
                width: v.width,
                height: v.height,
                alt: p.alt.clone(),
                card: false,
            }
        });
        // A page without a photo shows its social card, when it has one.
        let (card_image, card_error) = match (&og_image, &spec.card) {
            (None, Some((slug, card))) if c.social_cards => {
                match self.site.photos.card(&spec.path, slug, card) {
                    Ok(file) => (
                        file.map(|f| OgImage {
                            url: c.url(&Route::Photo(f)),
                            width: crate::card::WIDTH,
                            height: crate::card::HEIGHT,
                            alt: card.alt(),
                            card: true,
                        }),
                        None,
                    ),
                    Err(e) => (None, Some(e)),
                }
            }
            _ => (None, None),
        };
        if let (Some(og), Some(seo::Node::Value(main))) = (&og_image, graph.first_mut()) {
            let mut img = serde_json::json!({"@type": "ImageObject", "url": og.url, "width": og.width, "height": og.height});
            seo::set(
                &mut img,
                "caption",
                shown.and_then(|p| p.caption.clone()).map(Into::into),
            );
            seo::set(main, "image", Some(img));
        }
        if crumbs.len() > 1 {
            let abs: Vec<(String, String)> = crumbs
                .iter()
                .map(|l| {
                    (
                        l.name.clone(),
                        format!(
                            "{}{}",
                            &c.base_url[..c.base_url.len() - c.base_path.len()],
                            l.href
                        ),
                    )
                })
                .collect();
            graph.push(seo::breadcrumbs(&abs).into());
        }
        let switcher = spec
            .alternates
            .iter()
            .map(|(l, path)| SwitchLink {
                lang: l.to_string(),
                name: self.language_name(l),
                href: c.link(path),
                current: l == lang,
            })
            .collect();
        let alternates = spec
            .alternates
            .iter()
            .map(|(l, path)| Alternate {
                lang: l.to_string(),
                href: c.absolute(path),
            })
            .collect();
        let x_default = spec
            .alternates
            .iter()
            .find(|(l, _)| l == &c.default_language && spec.x_default_is_default_lang)
            .map_or_else(|| c.absolute("/"), |(_, p)| c.absolute(p));
        let title = if spec.heading == site_title {
            site_title.to_string()
        } else {
            format!("{} – {site_title}", spec.heading)
        };
        let description = if spec.description.is_empty() {
            c.language(lang)
                .map(|l| l.description.clone())
                .unwrap_or_default()
        } else {
            spec.description
        };
        Page {
            lang: lang.as_str(),
            dir: c.dir(lang).as_str(),
            t: theme.strings(lang),
            site: self.site_view(site_title),
            head: Head {
                title,
                heading: spec.heading,
                description: if description.is_empty() {
                    site_title.to_string()
                } else {
                    description
                },
                canonical: c.absolute(&spec.path),
                alternates,
                x_default,
                og_type: spec.og_type,
                og_locale: c.language(lang).and_then(|l| l.locale.clone()),
                og_locale_alternates: spec
                    .alternates
                    .iter()
                    .filter(|(l, _)| l != lang)
                    .filter_map(|(l, _)| c.language(l).and_then(|l| l.locale.clone()))
                    .collect(),
                json_ld: seo::script_text(graph),
                feed: c.href(&Route::Feed(lang.clone())),
                noindex: spec.noindex,
                og_image: og_image.or(card_image),
            },
            card_error,
            nav: self.nav(lang, spec.section, &spec.path),
            switcher,
            breadcrumbs: if spec.show_crumbs { crumbs } else { Vec::new() },
            live_reload: self.opts.live_reload.clone(),
            photo: spec
                .photos
                .image
                .as_ref()
                .map(|p| self.photo_view(p, crate::site::photos::MAIN_SIZES)),
            gallery: spec
                .photos
                .gallery
                .iter()
                .map(|p| self.photo_view(p, crate::site::photos::THUMB_SIZES))
                .collect(),
            data,
        }
    }

    fn site_view(&self, title: &'a str) -> SiteView<'a> {
        let c: &'a Config = &self.site.config;
        SiteView {
            title,
            base_path: &c.base_path,
            chooser: c.link("/"),
            stylesheet: c.href(&Route::Static("style.css".into())),
            favicon: c.href(&Route::Static("favicon.svg".into())),
            syntax_stylesheet: c.href(&Route::Static("syntax.css".into())),
            search_script: c.href(&Route::Static("search.js".into())),
        }
    }

    /// The route and page spec of a section index (`/en/spas/`): headed by
    /// UI string `key`, which also names its nav section, with its
    /// alternates in every language and its own crumb.
    fn section_spec(&self, lang: &Lang, section: Section, key: &'static str) -> (Route, PageSpec) {
        let route = Route::Index(lang.clone(), section);
        let path = self.config().path(&route);
        let mut spec = PageSpec::new(path.clone(), self.text(lang, key), key);
        spec.alternates = self.all_languages(|l| Route::Index(l.clone(), section));
        spec.crumbs.push(Link {
            name: spec.heading.clone(),
            href: self.config().link(&path),
        });
        (route, spec)
    }

    /// Site paths of a language-wide page (`/en/spas/`) in every language.
    fn all_languages(&self, route_in: impl Fn(&Lang) -> Route) -> Vec<(Lang, String)> {
        let c = self.config();
        c.languages
            .iter()
            .map(|l| (l.code.clone(), c.path(&route_in(&l.code))))
            .collect()
    }
}

/// The spa facts of an `ItemLink`.
#[derive(Default)]
struct SpaEntry {
    location: Option<String>,
    kind: Option<String>,
    treatments: Vec<String>,
    more_treatments: Option<String>,
    languages: Vec<String>,
}

/// The order of every list: by weight, then title in the page language;
/// titles that collate the same keep a fixed order, by their bytes, then
/// by link.
fn list_order(a: &(i64, Arc<ItemLink>), b: &(i64, Arc<ItemLink>)) -> std::cmp::Ordering {
    let ((wa, a), (wb, b)) = (a, b);
    (wa, &a.sort, &a.title, &a.href).cmp(&(wb, &b.sort, &b.title, &b.href))
}

/// What `Renderer::page` needs to know about one page.
pub(crate) struct PageSpec {
    pub path: String,
    pub heading: String,
    pub description: String,
    pub section: &'static str,
    pub alternates: Vec<(Lang, String)>,
    /// Item pages point x-default at their default-language translation;
    /// language-wide pages at the chooser.
    pub x_default_is_default_lang: bool,
    pub crumbs: Vec<Link>,
    pub show_crumbs: bool,
    pub og_type: &'static str,
    pub json_ld: Vec<seo::Node>,
    pub noindex: bool,
    /// The main photo and gallery the page shows.
    pub photos: crate::site::Photos,
    /// The social card of a page without a photo, with the name its file
    /// is given (the page's slug).
    pub card: Option<(String, crate::card::Card)>,
}

impl PageSpec {
    pub fn new(path: String, heading: String, section: &'static str) -> Self {
        PageSpec {
            path,
            heading,
            description: String::new(),
            section,
            alternates: Vec::new(),
            x_default_is_default_lang: false,
            crumbs: Vec::new(),
            show_crumbs: true,
            og_type: "website",
            json_ld: Vec::new(),
            noindex: false,
            photos: crate::site::Photos::default(),
            card: None,
        }
    }
}

/// Whether a string in `v` (or a key) contains `needle`: what
/// `v.to_string().contains(needle)` says for a needle with no characters
/// JSON escapes, without writing the page's data out as JSON.
fn any_string_contains(v: &serde_json::Value, needle: &str) -> bool {
    match v {
        serde_json::Value::String(s) => s.contains(needle),
        serde_json::Value::Array(a) => a.iter().any(|x| any_string_contains(x, needle)),
        serde_json::Value::Object(o) => o
            .iter()
            .any(|(k, x)| k.contains(needle) || any_string_contains(x, needle)),
        _ => false,
    }
}

pub use crate::route::file_for;

/// A date by a theme's own `date_format` with its `months`, or the
/// language's own month names where it has no `months`.
pub fn format_date(
    strings: &crate::theme::Strings,
    date: Date,
    locale: &crate::locale::Locale,
) -> String {
    let format = strings
        .get("date_format")
        .and_then(|v| v.as_str())
        .unwrap_or("{year}-{month_num}-{day}");
    let month = month_name(strings, date.month, locale);
    format
        .replace("{day}", &date.day.to_string())
        .replace("{month_num}", &format!("{:02}", date.month))
        .replace("{month}", &month)
        .replace("{year}", &date.year.to_string())
}

/// Month `month`'s name: from the theme's `months` if it has them, else
/// the language's own (CLDR's, standing alone: "February").
pub fn month_name(
    strings: &crate::theme::Strings,
    month: u8,
    locale: &crate::locale::Locale,
) -> String {
    strings
        .get("months")
        .and_then(|v| v.as_array())
        .and_then(|m| m.get(usize::from(month).wrapping_sub(1)))
        .and_then(|v| v.as_str())
        .map_or_else(|| locale.month_name(month), str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_follow_the_language() {
        let en: crate::theme::Strings = toml::from_str(
            "date_format = \"{day} {month} {year}\"\nmonths = [\"January\",\"February\",\"March\",\"April\",\"May\",\"June\",\"July\",\"August\",\"September\",\"October\",\"November\",\"December\"]",
        )
        .unwrap();
        let d = Date {
            year: 2016,
            month: 2,
            day: 3,
        };
        let en_locale = crate::locale::of("en");
        assert_eq!(format_date(&en, d, en_locale), "3 February 2016");
        let lv: crate::theme::Strings =
            toml::from_str("date_format = \"{year}. gada {day}.{month_num}.\"").unwrap();
        assert_eq!(
            format_date(&lv, d, crate::locale::of("lv")),
            "2016. gada 3.02."
        );
        // No `months`: the language's own names.
        let et: crate::theme::Strings =
            toml::from_str("date_format = \"{day}. {month} {year}\"").unwrap();
        assert_eq!(
            format_date(&et, d, crate::locale::of("et")),
            "3. veebruar 2016"
        );
    }
}
