//! Every file of the site before it is rendered: the jobs, each with its
//! [`Route`]; the check that every output file has exactly one writer; and
//! the one parallel render loop that `build`, `check` and `serve` share.

use super::deps::{Dep, Recorder};
use super::{OutputFile, Renderer};
use crate::config::Lang;
use crate::content::frontmatter::SpaKind;
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::route::{Route, Section};
use crate::site::{ItemId, LocId, Site, TreatId};
use rayon::prelude::*;
use std::collections::HashMap;

/// One page or file to render. Jobs name items and locations by the
/// graph's ids, which is what rendering needs; [`Job::route`] names the
/// same page in a way that survives a rebuild.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Job {
    Chooser,
    NotFound,
    NotFoundIn(Lang),
    Home(Lang),
    ItemPage(ItemId, Lang),
    Index(Lang, Section),
    NewsList(Lang, usize),
    EventsList(Lang, usize),
    /// An event translation's calendar file.
    EventIcs(ItemId, Lang),
    /// A language's calendar of every event.
    EventsIcs(Lang),
    LocationPage(LocId, Lang),
    TreatmentPage(TreatId, Lang),
    KindPage(SpaKind, Lang),
    /// A spa translation's vCard.
    VCard(ItemId, Lang),
    SearchIndex(Lang),
    Feed(Lang),
    Alias(ItemId, Lang, String),
    Sitemap,
    Robots,
    /// A processed photo's file, by its path in the output.
    Photo(String),
}

impl Job {
    pub fn route(&self, site: &Site) -> Route {
        match self {
            Job::Chooser => Route::Chooser,
            Job::NotFound => Route::NotFound,
            Job::NotFoundIn(l) => Route::NotFoundIn(l.clone()),
            Job::Sitemap => Route::Sitemap,
            Job::Robots => Route::Robots,
            Job::Home(l) => Route::Home(l.clone()),
            Job::Index(l, s) => Route::Index(l.clone(), *s),
            Job::NewsList(l, n) => Route::NewsPage(l.clone(), *n),
            Job::EventsList(l, n) => Route::EventsPage(l.clone(), *n),
            Job::EventsIcs(l) => Route::EventsIcs(l.clone()),
            Job::EventIcs(id, l) => {
                let t = site
                    .item(*id)
                    .translation_in(l)
                    .expect("a job per translation");
                Route::EventIcs(l.clone(), t.slug.clone())
            }
            Job::SearchIndex(l) => Route::SearchIndex(l.clone()),
            Job::Feed(l) => Route::Feed(l.clone()),
            Job::LocationPage(id, l) => site.location(*id).route(l),
            Job::TreatmentPage(id, l) => site.treatment(*id).route(l),
            Job::KindPage(k, l) => Route::SpaKind(l.clone(), *k),
            Job::VCard(id, l) => {
                let t = site
                    .item(*id)
                    .translation_in(l)
                    .expect("a job per translation");
                Route::VCard(l.clone(), t.slug.clone())
            }
            Job::ItemPage(id, l) => {
                let item = site.item(*id);
                let t = item.translation_in(l).expect("a job per translation");
                item.route(t)
            }
            Job::Alias(_, _, alias) => Route::Alias(alias.clone()),
            Job::Photo(file) => Route::Photo(file.clone()),
        }
    }

    /// The content file that asked for this page, for error messages.
    fn source<'s>(&self, site: &'s Site) -> Option<&'s crate::content::load::SourceFile> {
        match self {
            Job::ItemPage(id, l)
            | Job::Alias(id, l, _)
            | Job::VCard(id, l)
            | Job::EventIcs(id, l) => site
                .item(*id)
                .translation_in(l)
                .map(|t| t.file.source.as_ref()),
            _ => None,
        }
    }
}

/// All jobs of the site, in a stable order: the site's own pages first,
/// then each item's pages and aliases.
pub fn jobs(site: &Site) -> Vec<Job> {
    let mut jobs = vec![Job::Chooser, Job::NotFound, Job::Sitemap, Job::Robots];
    for lang in site.config.languages.iter().map(|l| &l.code) {
        jobs.push(Job::Home(lang.clone()));
        jobs.push(Job::NotFoundIn(lang.clone()));
        jobs.push(Job::Index(lang.clone(), Section::Clusters));
        jobs.push(Job::Index(lang.clone(), Section::Spas));
        jobs.push(Job::Index(lang.clone(), Section::Locations));
        jobs.push(Job::Index(lang.clone(), Section::Search));
        jobs.push(Job::SearchIndex(lang.clone()));
        jobs.push(Job::Feed(lang.clone()));
        for n in 1..=site.news_pages() {
            jobs.push(Job::NewsList(lang.clone(), n));
        }
        for loc in &site.locations {
            jobs.push(Job::LocationPage(loc.id, lang.clone()));
        }
        if !site.treatments.is_empty() {
            jobs.push(Job::Index(lang.clone(), Section::Treatments));
        }
        for t in &site.treatments {
            jobs.push(Job::TreatmentPage(t.id, lang.clone()));
        }
        for kind in site.spa_kinds() {
            jobs.push(Job::KindPage(kind, lang.clone()));
        }
        // A site without events has no event pages, nor a link to them.
        if site.has_events() {
            for n in 1..=site.events_pages() {
                jobs.push(Job::EventsList(lang.clone(), n));
            }
            jobs.push(Job::EventsIcs(lang.clone()));
        }
    }
    for item in &site.items {
        for t in &item.translations {
            jobs.push(Job::ItemPage(item.id, t.lang.clone()));
            if item.kind == crate::content::Kind::Spa {
                jobs.push(Job::VCard(item.id, t.lang.clone()));
            }
            if item.kind == crate::content::Kind::Event {
                jobs.push(Job::EventIcs(item.id, t.lang.clone()));
            }
            for a in &t.aliases {
                jobs.push(Job::Alias(item.id, t.lang.clone(), a.clone()));
            }
        }
    }
    jobs.extend(site.photos.outputs().into_iter().map(Job::Photo));
    jobs
}

/// Who writes a file: a job, or a static file of the theme.
#[derive(Clone, Copy)]
enum Writer<'j> {
    Job(&'j Job),
    Static,
}

/// Every output file must have one writer, and no file may be the folder
/// of another (`style.css` and an alias `style.css/`). Reports each
/// collision at the content file that asked for the later writer and drops
/// that job, so what remains can be rendered without one file replacing
/// another depending on which thread finished last.
pub fn check_collisions(
    site: &Site,
    jobs: Vec<Job>,
    statics: &[(String, Vec<u8>)],
    diags: &Diagnostics,
) -> Vec<Job> {
    let mut owners = Owners::with_capacity(jobs.len() + statics.len());
    let mut rejected = vec![false; jobs.len()];
    for (path, _) in statics {
        owners.insert(path, Writer::Static);
    }
    // Pages whose file clashed: their vCards, in the same folder, clash
    // the same way and are dropped without a second message.
    let mut page_rejected: std::collections::HashSet<(ItemId, &Lang)> = Default::default();
    for (n, job) in jobs.iter().enumerate() {
        // robots.txt is the one generated file that a site may also keep
        // as a plain file (`static/robots.txt`, as on any static host):
        // then the site's file is the one written, without a collision.
        if *job == Job::Robots
            && statics
                .iter()
                .any(|(p, _)| *p == site.config.file(&Route::Robots))
        {
            rejected[n] = true;
            continue;
        }
        if let Job::VCard(id, l) | Job::EventIcs(id, l) = job
            && page_rejected.contains(&(*id, l))
        {
            rejected[n] = true;
            continue;
        }
        let file = site.config.file(&job.route(site));
        match owners.clash(&file) {
            Some((other_file, other, how)) => {
                diags.push(collision(site, job, &other_file, other, how));
                rejected[n] = true;
                if let Job::ItemPage(id, l) = job {
                    page_rejected.insert((*id, l));
                }
            }
            None => owners.insert(&file, Writer::Job(job)),
        }
    }
    // A static file inside a page's folder (`en/index.html/x`) cannot be
    // written either; statics never clash with each other (one folder).
    for (path, _) in statics {
        if let Some((page, _, Clash::Folder)) = owners.folder_clash(path) {
            diags.push(Diagnostic::error(format!(
                "static file {path} is inside the folder of the page {page}"
            )));
        }
    }
    jobs.into_iter()
        .zip(rejected)
        .filter_map(|(j, r)| (!r).then_some(j))
        .collect()
}

/// How a new file clashes with one already owned.
#[derive(Clone, Copy, PartialEq)]
enum Clash {
    /// The same file.
    Same,
    /// One is a folder of the other (`style.css` and `style.css/index.html`).
    Folder,
    /// The same but for letter case (`Viimsi/` and `viimsi/`): one file on
    /// a case-insensitive disk or host (macOS, Windows, some CDNs).
    Case,
}

/// The output files owned so far, indexed so that each check is a few
/// look-ups, not a scan of every file: a site has tens of thousands.
struct Owners<'j> {
    files: HashMap<String, Writer<'j>>,
    /// Every folder of an owned file, with the least file under it.
    folders: HashMap<String, String>,
    /// Every owned file and folder by its lower-case form.
    lower: HashMap<String, String>,
}

impl<'j> Owners<'j> {
    fn with_capacity(n: usize) -> Self {
        Owners {
            files: HashMap::with_capacity(n),
            folders: HashMap::with_capacity(n),
            lower: HashMap::with_capacity(n * 2),
        }
    }

    fn insert(&mut self, file: &str, writer: Writer<'j>) {
        self.files.insert(file.to_string(), writer);
        self.lower.insert(file.to_lowercase(), file.to_string());
        for dir in folders_of(file) {
            self.lower
                .entry(dir.to_lowercase())
                .or_insert_with(|| dir.to_string());
            let least = self
                .folders
                .entry(dir.to_string())
                .or_insert_with(|| file.to_string());
            if file < least.as_str() {
                *least = file.to_string();
            }
        }
    }

    /// An owned file that `file` would replace, sit inside or hold, or
    /// that differs from it (or from one of its folders) only in case.
    fn clash(&self, file: &str) -> Option<(String, Writer<'j>, Clash)> {
        if let Some(w) = self.files.get(file) {
            return Some((file.to_string(), *w, Clash::Same));
        }
        self.folder_clash(file).or_else(|| self.case_clash(file))
    }

    fn folder_clash(&self, file: &str) -> Option<(String, Writer<'j>, Clash)> {
        let parent =
            folders_of(file).find_map(|dir| self.files.get(dir).map(|w| (dir.to_string(), *w)));
        let child = || {
            let inside = self.folders.get(file)?;
            Some((inside.clone(), *self.files.get(inside)?))
        };
        parent.or_else(child).map(|(f, w)| (f, w, Clash::Folder))
    }

    fn case_clash(&self, file: &str) -> Option<(String, Writer<'j>, Clash)> {
        std::iter::once(file)
            .chain(folders_of(file))
            .find_map(|part| {
                let other = self.lower.get(&part.to_lowercase())?;
                if other == part {
                    return None;
                }
                // Name the owned file that holds the other spelling.
                let owned = match self.files.get(other) {
                    Some(_) => other.clone(),
                    None => self.folders.get(other)?.clone(),
                };
                Some((owned.clone(), *self.files.get(&owned)?, Clash::Case))
            })
    }
}

/// The folders of an output path, outermost first: `en`, `en/spas` for
/// `en/spas/index.html`.
fn folders_of(file: &str) -> impl Iterator<Item = &str> {
    file.char_indices()
        .filter(|(_, c)| *c == '/')
        .map(|(i, _)| &file[..i])
}

fn collision(site: &Site, job: &Job, other_file: &str, other: Writer, how: Clash) -> Diagnostic {
    // A page that clashes with an alias written earlier: the alias is the
    // one to change, so the error is at the alias as written.
    if !matches!(job, Job::Alias(..))
        && let Writer::Job(alias @ Job::Alias(..)) = other
        && alias.source(site).is_some()
    {
        return collision(
            site,
            alias,
            &site.config.file(&job.route(site)),
            Writer::Job(job),
            how,
        );
    }
    let path = site.config.path(&job.route(site));
    let what = match other {
        Writer::Static => format!("the theme's static file {other_file}"),
        Writer::Job(o) => match o.source(site) {
            Some(src) => src.shown.display().to_string(),
            None => format!("the site's own {}", site.config.path(&o.route(site))),
        },
    };
    // Pages and aliases are folders with an `index.html`: the other
    // writer is a file at one of their folders, or the same file.
    let clash = match how {
        Clash::Same => format!("is also written by {what}"),
        Clash::Folder => format!("needs a folder where {what} is a file"),
        Clash::Case => format!(
            "differs only in letter case from {other_file}, written by {what}: on a case-insensitive host one replaces the other"
        ),
    };
    let Some(src) = job.source(site) else {
        return Diagnostic::error(format!("output path {path} {clash}"));
    };
    match job {
        Job::Alias(_, _, alias) => {
            // Aliases are kept without their slashes; find it as written.
            let written = ["/{}/", "/{}", "{}/", "{}"]
                .map(|form| form.replace("{}", alias))
                .into_iter()
                .find(|w| src.text.contains(&format!("\"{w}\"")))
                .unwrap_or_else(|| alias.clone());
            src.error_at_value("aliases", &written, format!("alias `{path}` {clash}"))
                .with_hint("remove the alias, or choose an address no page of the site has")
        }
        _ => src
            .error_at_key("slug", format!("output path {path} {clash}"))
            .with_hint("change the `slug` or the alias of one of them"),
    }
}

/// One rendered file, with its route and, if asked, what it read.
pub struct Rendered {
    pub route: Route,
    pub file: OutputFile,
    /// Sorted and without repeats; empty unless recording was asked for.
    pub deps: Vec<Dep>,
}

/// Renders `jobs` in parallel and hands each file to `each` as it is made
/// with the job's index in `jobs` (a build writes it at once; `serve` keeps
/// it). With `record`, each file
/// comes with the parts of the site its page read. Errors go to `diags`.
pub fn render_each<T: Send>(
    r: &Renderer,
    jobs: &[Job],
    record: bool,
    diags: &Diagnostics,
    each: impl Fn(usize, Rendered) -> T + Sync + Send,
) -> Vec<T> {
    let out = jobs
        .par_iter()
        .enumerate()
        .filter_map(|(n, job)| {
            let recorder = record.then(Recorder::default);
            let page = Renderer {
                deps: recorder.as_ref(),
                ..*r
            };
            match page.render_job(job) {
                Ok(Some(mut file)) => Some({
                    if !matches!(job, Job::Photo(_)) {
                        crate::controls::strip(&mut file.bytes);
                    }
                    each(
                        n,
                        Rendered {
                            route: job.route(r.site),
                            file,
                            deps: recorder.map(Recorder::finish).unwrap_or_default(),
                        },
                    )
                }),
                Ok(None) => None,
                Err(d) => {
                    diags.push(d);
                    None
                }
            }
        })
        .collect();
    for d in r.entries.take_errors() {
        diags.push(d);
    }
    out
}
