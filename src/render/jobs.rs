//! Every file of the site before it is rendered: the jobs, each with its
//! [`Route`]; the check that every output file has exactly one writer; and
//! the one parallel render loop that `build`, `check` and `serve` share.

use super::deps::{Dep, Recorder};
use super::{OutputFile, Renderer};
use crate::config::Lang;
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::route::{Route, Section};
use crate::site::{ItemId, LocId, Site};
use rayon::prelude::*;
use std::collections::HashMap;

/// One page or file to render. Jobs name items and locations by the
/// graph's ids, which is what rendering needs; [`Job::route`] names the
/// same page in a way that survives a rebuild.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Job {
    Chooser,
    NotFound,
    Home(Lang),
    ItemPage(ItemId, Lang),
    Index(Lang, Section),
    NewsList(Lang, usize),
    LocationPage(LocId, Lang),
    SearchIndex(Lang),
    Feed(Lang),
    Alias(ItemId, Lang, String),
    Sitemap,
}

impl Job {
    pub fn route(&self, site: &Site) -> Route {
        match self {
            Job::Chooser => Route::Chooser,
            Job::NotFound => Route::NotFound,
            Job::Sitemap => Route::Sitemap,
            Job::Home(l) => Route::Home(l.clone()),
            Job::Index(l, s) => Route::Index(l.clone(), *s),
            Job::NewsList(l, n) => Route::NewsPage(l.clone(), *n),
            Job::SearchIndex(l) => Route::SearchIndex(l.clone()),
            Job::Feed(l) => Route::Feed(l.clone()),
            Job::LocationPage(id, l) => site.location(*id).route(l),
            Job::ItemPage(id, l) => {
                let item = site.item(*id);
                let t = item.translation_in(l).expect("a job per translation");
                item.route(t)
            }
            Job::Alias(_, _, alias) => Route::Alias(alias.clone()),
        }
    }

    /// The content file that asked for this page, for error messages.
    fn source<'s>(&self, site: &'s Site) -> Option<&'s crate::content::load::SourceFile> {
        match self {
            Job::ItemPage(id, l) | Job::Alias(id, l, _) => site
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
    let mut jobs = vec![Job::Chooser, Job::NotFound, Job::Sitemap];
    for lang in site.config.languages.iter().map(|l| &l.code) {
        jobs.push(Job::Home(lang.clone()));
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
    }
    for item in &site.items {
        for t in &item.translations {
            jobs.push(Job::ItemPage(item.id, t.lang.clone()));
            for a in &t.aliases {
                jobs.push(Job::Alias(item.id, t.lang.clone(), a.clone()));
            }
        }
    }
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
    let mut owners: HashMap<String, Writer> = HashMap::with_capacity(jobs.len() + statics.len());
    let mut rejected = vec![false; jobs.len()];
    for (path, _) in statics {
        owners.insert(path.clone(), Writer::Static);
    }
    let files: Vec<String> = jobs.iter().map(|j| j.route(site).file()).collect();
    for (n, job) in jobs.iter().enumerate() {
        let file = &files[n];
        let clash = owners
            .get(file)
            .map(|w| (file.clone(), *w))
            .or_else(|| folder_clash(file, &owners));
        match clash {
            Some((other_file, other)) => {
                diags.push(collision(site, job, file, &other_file, other));
                rejected[n] = true;
            }
            None => {
                owners.insert(file.clone(), Writer::Job(job));
            }
        }
    }
    // A static file inside a page's folder (`en/index.html/x`) cannot be
    // written either; statics never clash with each other (one folder).
    for (path, _) in statics {
        if let Some((page, _)) = folder_clash(path, &owners) {
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

/// A file already owned that is a folder of `file`, or that `file` is a
/// folder of: one of the two could not be written.
fn folder_clash<'j>(
    file: &str,
    owners: &HashMap<String, Writer<'j>>,
) -> Option<(String, Writer<'j>)> {
    let parent = file
        .char_indices()
        .filter(|(_, c)| *c == '/')
        .map(|(i, _)| &file[..i])
        .find_map(|dir| owners.get(dir).map(|w| (dir.to_string(), *w)));
    parent.or_else(|| {
        let as_dir = format!("{file}/");
        owners
            .iter()
            .filter(|(f, _)| f.starts_with(&as_dir))
            .min_by(|a, b| a.0.cmp(b.0))
            .map(|(f, w)| (f.clone(), *w))
    })
}

fn collision(site: &Site, job: &Job, file: &str, other_file: &str, other: Writer) -> Diagnostic {
    let path = job.route(site).path();
    let what = match other {
        Writer::Static => format!("the theme's static file {other_file}"),
        Writer::Job(o) => match o.source(site) {
            Some(src) => src.shown.display().to_string(),
            None => format!("the site's own {}", o.route(site).path()),
        },
    };
    // Pages and aliases are folders with an `index.html`: the other
    // writer is a file at one of their folders, or the same file.
    let clash = if other_file == file {
        format!("is also written by {what}")
    } else {
        format!("needs a folder where {what} is a file")
    };
    let Some(src) = job.source(site) else {
        return Diagnostic::error(format!("output path {path} {clash}"));
    };
    match job {
        Job::Alias(_, _, alias) => {
            // Aliases are kept without their slashes; find it as written.
            let written = [
                format!("/{alias}/"),
                format!("/{alias}"),
                format!("{alias}/"),
            ]
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
                    crate::controls::strip(&mut file.bytes);
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
