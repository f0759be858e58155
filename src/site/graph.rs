//! Builds the [`Site`] from loaded content.

use super::*;
use crate::content::LoadedContent;

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::markdown;
use rayon::prelude::*;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Copy, Default)]
pub struct BuildOptions {
    /// Include files with `draft = true`.
    pub drafts: bool,
    /// Include items whose `publish_date` is still to come.
    pub future: bool,
}

/// Joins, checks and renders the content into a site graph. Problems are
/// reported to `diags`; the graph returned holds what was usable.
pub fn build(
    config: Config,
    content: LoadedContent,
    opts: BuildOptions,
    diags: &Diagnostics,
) -> Site {
    build_reusing(config, content, opts, diags, None)
}

/// `build`, reusing the rendered bodies of `previous` (a site built without
/// errors) for files that did not change, when no page path changed either:
/// what `serve` does after an edit, so one edit renders one body.
pub fn build_reusing(
    config: Config,
    content: LoadedContent,
    opts: BuildOptions,
    diags: &Diagnostics,
    previous: Option<&Site>,
) -> Site {
    // A graph built from a previous one (serve, after a content edit) keeps
    // its photos: a changed photo file makes serve rebuild in full.
    let photos = match previous {
        Some(p) if p.config.root == config.root => Arc::clone(&p.photos),
        _ => Arc::new(crate::photos::Library::new(&config.root)),
    };
    let mut site = Site {
        config,
        items: Vec::new(),
        locations: Vec::new(),
        homes: Vec::new(),
        by_key: HashMap::new(),
        location_ids: HashMap::new(),
        failed: content.failed,
        treatments: Vec::new(),
        categories: Vec::new(),
        treatment_ids: HashMap::new(),
        link_table: LinkTable::default(),
        news_order: std::sync::OnceLock::new(),
        files: std::sync::OnceLock::new(),
        page_paths: std::sync::OnceLock::new(),
        photos,
        held_back: HeldBack::default(),
    };
    build_locations(&mut site, content.locations);
    build_treatments(&mut site, content.treatments);

    // Group files into items: same kind and path stem, or same translation_key.
    let mut groups: BTreeMap<(Kind, String), Vec<Arc<ContentFile>>> = BTreeMap::new();
    let mut homes = Vec::new();
    for file in content.files {
        if file.front.common().draft && !opts.drafts {
            continue;
        }
        if file.kind == Kind::Home {
            check_home_front(&file, diags);
            homes.push(file);
            continue;
        }
        let key = file
            .front
            .common()
            .translation_key
            .map_or_else(|| file.key.clone(), str::to_string);
        groups.entry((file.kind, key)).or_default().push(file);
    }

    let config = &site.config;
    let mut items = Vec::new();
    for ((kind, key), mut files) in groups {
        files.sort_by(|a, b| {
            (config.language_rank(&a.lang), &a.source.shown)
                .cmp(&(config.language_rank(&b.lang), &b.source.shown))
        });
        files.dedup_by(|b, a| {
            if a.lang == b.lang {
                diags.push(
                    b.source
                        .error_at(
                            0,
                            format!(
                                "a second {} translation of this item; {} is one already",
                                b.lang,
                                a.source.shown.display()
                            ),
                        )
                        .with_hint("each item has at most one file per language"),
                );
                true
            } else {
                false
            }
        });
        match super::schedule::held_back(&files, site.config.now, opts, diags) {
            Some(super::schedule::Held::Scheduled) => {
                site.held_back.scheduled += 1;
                continue;
            }
            Some(super::schedule::Held::Expired) => {
                site.held_back.expired += 1;
                continue;
            }
            None => {}
        }
        let id = ItemId(items.len());
        for f in &files {
            site.by_key.insert((kind, f.key.clone()), id);
        }
        items.push((id, kind, key, files));
    }

    // Front-matter photos are processed all at once, in parallel, so that
    // an item with a large gallery does not keep one thread busy alone.
    let all_files: Vec<Arc<ContentFile>> = items
        .iter()
        .flat_map(|(_, _, _, files)| files.iter().cloned())
        .collect();
    super::photos::front_paths(&site.config.root, &all_files)
        .par_iter()
        .for_each(|p| {
            let _ = site.photos.get(p);
        });
    let site_ref = &site;
    let built: Vec<Item> = items
        .into_par_iter()
        .map(|(id, kind, key, files)| make_item(site_ref, id, kind, key, files, diags))
        .collect();
    // An item whose facts could not be made is dropped, so that later
    // stages never see a spa without its cluster; its errors are reported.
    let valid: Vec<bool> = built
        .iter()
        .map(|i| {
            !matches!(
                (i.kind, &i.facts),
                (
                    Kind::Cluster | Kind::Spa | Kind::News | Kind::Event,
                    Facts::Page
                )
            )
        })
        .collect();
    site.items = built;
    // `Site::items_of` relies on it (the groups above are in kind order).
    debug_assert!(site.items.windows(2).all(|w| w[0].kind <= w[1].kind));
    site.link_table = link_table(&site);
    check_menus(&site, diags);
    render_bodies(&mut site, homes, diags, previous);
    link_relations(&mut site, &valid);
    site
}

/// A language home (`_index.<lang>.md`) is always at `/<lang>/`: a `slug`
/// or `aliases` there would be silently ignored, so they are errors.
fn check_home_front(file: &ContentFile, diags: &Diagnostics) {
    let common = file.front.common();
    let home = crate::route::Route::Home(file.lang.clone()).path(&crate::route::Segments::AS_KEYS);
    if common.slug.is_some() {
        diags.push(
            file.source
                .error_at_key(
                    "slug",
                    format!("a language home has no slug: its address is always {home}"),
                )
                .with_hint(
                    "remove `slug`; to rename the section, change the language code in site.toml",
                ),
        );
    }
    if !common.aliases.is_empty() {
        diags.push(
            file.source
                .error_at_key(
                    "aliases",
                    format!("a language home has no aliases: its address is always {home}"),
                )
                .with_hint(
                    "remove `aliases`, or give the old address to a page's `aliases` instead",
                ),
        );
    }
}

/// One item from its files (in the site's language order), without its
/// bodies and reverse relations. `site` needs its locations and `by_key`.
pub(super) fn make_item(
    site: &Site,
    id: ItemId,
    kind: Kind,
    key: String,
    files: Vec<Arc<ContentFile>>,
    diags: &Diagnostics,
) -> Item {
    let facts = super::facts::facts_of(site, kind, &files, diags);
    let weight = files
        .iter()
        .find_map(|f| f.front.common().weight)
        .unwrap_or(0);
    let mut translations: Vec<Translation> = files
        .into_iter()
        .filter_map(|f| translation_of(&site.config.segments, kind, f, diags))
        .collect();
    super::photos::resolve(site, &mut translations, diags);
    Item {
        id,
        kind,
        key,
        translations,
        facts: facts.unwrap_or(Facts::Page),
        weight,
        members: Vec::new(),
        news: Vec::new(),
    }
}

fn build_locations(site: &mut Site, records: Vec<LocationRecord>) {
    let mut records = records;
    records.sort_by(|a, b| (&a.country, &a.name, &a.slug).cmp(&(&b.country, &b.name, &b.slug)));
    site.locations = records
        .into_iter()
        .enumerate()
        .map(|(i, record)| Location {
            id: LocId(i),
            record,
            spas: Vec::new(),
            clusters: Vec::new(),
            news: Vec::new(),
        })
        .collect();
    site.location_ids = site
        .locations
        .iter()
        .map(|l| (l.record.slug.clone(), l.id))
        .collect();
}

fn build_treatments(site: &mut Site, records: crate::content::Treatments) {
    let mut treatments = records.treatments;
    treatments.sort_by(|a, b| a.slug.cmp(&b.slug));
    site.treatments = treatments
        .into_iter()
        .enumerate()
        .map(|(i, record)| Treatment {
            id: TreatId(i),
            record,
            spas: Vec::new(),
        })
        .collect();
    site.treatment_ids = site
        .treatments
        .iter()
        .map(|t| (t.record.slug.clone(), t.id))
        .collect();
    site.categories = records.categories;
}

/// The per-language part of an item: title, slug, permalink, aliases.
fn translation_of(
    names: &crate::route::Segments,
    kind: Kind,
    file: Arc<ContentFile>,
    diags: &Diagnostics,
) -> Option<Translation> {
    let common = file.front.common();
    let Some(title) = common.title.map(str::to_string) else {
        // A title written wrong (`titel`, `title = 5`) is reported as such.
        if file.field_written_wrong("title") {
            return None;
        }
        diags.push(
            file.source
                .error_at(0, "missing required field `title`")
                .with_hint("every translation needs its own `title = …`"),
        );
        return None;
    };
    let slug = match common.slug {
        Some(s) => {
            if let Err(msg) = crate::slug::check_slug(s) {
                diags.push(file.source.error_at_key("slug", msg));
                return None;
            }
            s.to_string()
        }
        None => crate::slug::slugify(&file.stem),
    };
    if slug.is_empty() {
        diags.push(
            file.source
                .error_at(0, "the file name gives an empty slug; add `slug = …`"),
        );
        return None;
    }
    let updated = match common.updated.map(Date::from_toml) {
        Some(Ok(d)) => Some(d),
        Some(Err(msg)) => {
            diags.push(file.source.error_at_key("updated", msg));
            None
        }
        None => None,
    };
    let mut aliases = Vec::new();
    for a in common.aliases {
        match crate::slug::check_alias(a) {
            Ok(p) => aliases.push(p),
            Err(msg) => diags.push(file.source.error_at_value("aliases", a, msg)),
        }
    }
    let lang = file.lang.clone();
    Some(Translation {
        path: crate::route::Route::Item(lang.clone(), kind, slug.clone()).path(names),
        lang,
        slug,
        title,
        description: common.description.map(str::to_string),
        updated,
        aliases,
        body: Arc::default(),
        photos: Photos::default(),
        file,
    })
}

/// Every `@/` link of the languages' menus leads to a page, as body links
/// must: a menu entry that leads nowhere is an error at its line.
fn check_menus(site: &Site, diags: &Diagnostics) {
    for lang in &site.config.languages {
        for entry in &lang.menu {
            let crate::config::MenuTarget::Page(target) = &entry.target else {
                continue;
            };
            if let Err(why) = resolve_target(site, target, &lang.code) {
                let mut d = Diagnostic::error(format!("menu entry `{}`: {why}", entry.name))
                    .in_file(crate::config::Config::FILE)
                    .with_hint("name a content file of the site, like `@/pages/about.md`");
                d.location = Some(entry.at.clone());
                diags.push(d);
            }
        }
    }
}

/// Where an internal link target (`spas/laine.md`, `spas/laine.nb.md`)
/// points for a reader of `lang`.
fn resolve_target<'s>(
    site: &'s Site,
    target: &str,
    lang: &Lang,
) -> Result<&'s Translation, String> {
    resolve_item(site, target, lang).map(|(_, t)| t)
}

/// The item and translation an internal link target points at.
pub(super) fn resolve_item<'s>(
    site: &'s Site,
    target: &str,
    lang: &Lang,
) -> Result<(&'s Item, &'s Translation), String> {
    let no_item = || format!("internal link to `@/{target}`: there is no such content file");
    let path = target.strip_suffix(".md").ok_or_else(|| {
        format!("internal link `@/{target}` must name a Markdown file, like `@/spas/laine.md`")
    })?;
    let (folder, rest) = path.split_once('/').ok_or_else(no_item)?;
    let kind = Kind::from_folder(folder).ok_or_else(no_item)?;
    let (key, explicit) = match rest.rsplit_once('.') {
        Some((k, l)) if site.config.has_language(l) => (k, Some(Lang(l.to_string()))),
        _ => (rest, None),
    };
    let id = site
        .by_key
        .get(&(kind, key.to_string()))
        .ok_or_else(no_item)?;
    let item = site.item(*id);
    let t = match &explicit {
        Some(l) => item.translation_in(l),
        None => item.translation_for(&site.config, lang),
    };
    t.map(|t| (item, t)).ok_or_else(no_item)
}

/// What internal links resolve against: every translation's path, and
/// the base path links start with.
fn link_table(site: &Site) -> LinkTable {
    let mut pages: Vec<(Kind, String, Lang, String)> = site
        .items
        .iter()
        .flat_map(|i| {
            i.translations
                .iter()
                .map(move |t| (i.kind, i.key.clone(), t.lang.clone(), t.path.clone()))
        })
        .collect();
    pages.sort_unstable();
    LinkTable {
        pages,
        base_path: site.config.base_path.clone(),
    }
}

fn render_bodies(
    site: &mut Site,
    homes: Vec<Arc<ContentFile>>,
    diags: &Diagnostics,
    previous: Option<&Site>,
) {
    // Bodies of unchanged files (the same loaded text) can be reused when
    // every link target is where it was.
    let mut reuse: HashMap<&std::path::Path, (&Arc<crate::content::SourceFile>, &Arc<Body>)> =
        HashMap::new();
    if let Some(prev) = previous.filter(|p| p.link_table == site.link_table) {
        for t in prev.items.iter().flat_map(|i| &i.translations) {
            reuse.insert(&t.file.source.path, (&t.file.source, &t.body));
        }
        for h in &prev.homes {
            reuse.insert(&h.file.source.path, (&h.file.source, &h.body));
        }
    }
    // Render every body in parallel against the immutable graph, then store.
    struct Job<'a> {
        file: &'a ContentFile,
    }
    let jobs: Vec<Job> = site
        .items
        .iter()
        .flat_map(|i| i.translations.iter().map(|t| Job { file: &t.file }))
        .chain(homes.iter().map(|f| Job { file: f }))
        .collect();
    let site_ref: &Site = site;
    let results: Vec<Arc<Body>> = jobs
        .par_iter()
        .map(|job| {
            let file = job.file;
            if let Some((source, body)) = reuse.get(file.source.path.as_path())
                && Arc::ptr_eq(source, &file.source)
                && body.photos.iter().all(|p| site_ref.photos.get(p).is_ok())
            {
                return Arc::clone(body);
            }
            render_body(site_ref, file, diags)
        })
        .collect();

    let mut results = results.into_iter();
    for item in &mut site.items {
        for t in &mut item.translations {
            if let Some(body) = results.next() {
                t.body = body;
            }
        }
    }
    for file in homes {
        if let Some(body) = results.next() {
            site.homes.push(Home {
                lang: file.lang.clone(),
                title: file.front.common().title.map(str::to_string),
                body,
                file,
            });
        }
    }
    site.homes
        .sort_by_key(|h| site.config.language_rank(&h.lang));

    check_anchors(site, diags);
}

/// The Markdown body of `file`, its internal links resolved against `site`.
pub(super) fn render_body(site: &Site, file: &ContentFile, diags: &Diagnostics) -> Arc<Body> {
    let resolve =
        |target: &str| resolve_target(site, target, &file.lang).map(|t| site.config.link(&t.path));
    let used = std::sync::Mutex::new(Vec::new());
    let image = super::photos::body_image(site, file, &used);
    let (r, problems) =
        markdown::render_with_images(file.body(), &resolve, &image, site.config.markdown);
    drop(image);
    for p in problems {
        let mut d = file.source.error_at(file.body_offset + p.offset, p.message);
        if !p.is_error {
            d = d.as_warning();
        }
        if let Some(hint) = p.hint {
            d = d.with_hint(hint);
        }
        diags.push(d);
    }
    Arc::new(Body {
        html: r.html,
        anchors: r.anchors,
        summary: r.summary,
        // The plain text itself is not kept: only its words are used.
        words: crate::slug::unique_words(&r.text),
        links: r.links,
        calls: r.calls,
        photos: used.into_inner().unwrap_or_else(|e| e.into_inner()),
    })
}

/// Every internal link's `#anchor` against its target's headings: possible
/// only once every page's headings are known.
pub(super) fn check_anchors(site: &Site, diags: &Diagnostics) {
    let files = site
        .items
        .iter()
        .flat_map(|i| i.translations.iter().map(|t| (&t.file, &t.body)))
        .chain(site.homes.iter().map(|h| (&h.file, &h.body)));
    for (file, body) in files {
        for link in &body.links {
            let Some(anchor) = &link.anchor else { continue };
            // A target shown in another language because its own
            // translation failed to load: that failure is the error.
            if let Ok(t) = resolve_target(site, &link.target, &file.lang)
                && !(t.file.sibling_failed && t.file.lang != file.lang)
                && !t.body.anchors.iter().any(|a| a == anchor)
            {
                diags.push(
                    file.source
                        .error_at(file.body_offset + link.offset, format!(
                            "internal link to `@/{}#{anchor}`: {} has no heading with id `{anchor}`",
                            link.target,
                            t.file.source.shown.display()
                        ))
                        .with_hint(if t.body.anchors.is_empty() {
                            "that page has no headings".to_string()
                        } else {
                            format!("its heading ids are: {}", t.body.anchors.join(", "))
                        }),
                );
            }
        }
    }
}

/// Fills the reverse relations: a cluster's members and news, a location's
/// spas, clusters and news.
fn link_relations(site: &mut Site, valid: &[bool]) {
    let mut members: Vec<(ItemId, ItemId)> = Vec::new();
    let mut cluster_news: Vec<(ItemId, ItemId)> = Vec::new();
    let mut loc_spas: Vec<(LocId, ItemId)> = Vec::new();
    let mut loc_clusters: Vec<(LocId, ItemId)> = Vec::new();
    let mut loc_news: Vec<(LocId, ItemId)> = Vec::new();
    let mut offered: Vec<(TreatId, ItemId)> = Vec::new();
    for item in &site.items {
        if !valid[item.id.0] || item.translations.is_empty() {
            continue;
        }
        match &item.facts {
            Facts::Spa(s) => {
                members.push((s.cluster, item.id));
                loc_spas.push((s.location, item.id));
                loc_clusters.push((s.location, s.cluster));
                for t in &s.treatments {
                    offered.push((*t, item.id));
                }
            }
            Facts::Cluster(c) => {
                for l in &c.locations {
                    loc_clusters.push((*l, item.id));
                }
            }
            Facts::News(n) => {
                if let Some(c) = n.cluster {
                    cluster_news.push((c, item.id));
                }
                for l in &n.locations {
                    loc_news.push((*l, item.id));
                }
            }
            // Who organises an event and where it is held are read from
            // its facts by the pages that list events.
            Facts::Event(_) | Facts::Page => {}
        }
    }
    for (c, s) in members {
        site.items[c.0].members.push(s);
    }
    for (c, n) in cluster_news {
        site.items[c.0].news.push(n);
    }
    for (l, s) in loc_spas {
        site.locations[l.0].spas.push(s);
    }
    for (l, c) in loc_clusters {
        let v = &mut site.locations[l.0].clusters;
        if !v.contains(&c) {
            v.push(c);
        }
    }
    for (l, n) in loc_news {
        site.locations[l.0].news.push(n);
    }
    for (t, s) in offered {
        site.treatments[t.0].spas.push(s);
    }
    for loc in &mut site.locations {
        loc.clusters.sort();
    }
    let ids: Vec<ItemId> = site.items.iter().map(|i| i.id).collect();
    for id in ids {
        let news = site.news_sorted(&site.items[id.0].news);
        site.items[id.0].news = news;
    }
    for l in 0..site.locations.len() {
        let news = site.news_sorted(&site.locations[l].news);
        site.locations[l].news = news;
    }
    // Items whose facts failed are removed from the lists the renderer walks.
    for (i, ok) in valid.iter().enumerate() {
        if !ok {
            site.items[i].translations.clear();
        }
    }
}
