//! One method per page kind: gather the page's data into its typed view,
//! then render its template.

use super::context::*;
use super::deps::Dep;
use super::map::{self, Point};
use super::{OutputFile, PageSpec, Renderer, seo};
use crate::config::Lang;
use crate::content::Kind;
use crate::diagnostic::Diagnostic;
use crate::route::{Route, Section};
use crate::site::{Facts, Item, ItemId, LocId};
use serde_json::json;
use std::sync::Arc;

type R = Result<OutputFile, Diagnostic>;

/// What every kind's item page starts from.
pub(super) struct ItemPage<'i, 'a> {
    pub(super) item: &'i Item,
    pub(super) t: &'i crate::site::Translation,
    pub(super) lang: &'a Lang,
    pub(super) route: Route,
    pub(super) url: String,
    pub(super) updated: Option<DateView>,
}

impl<'a> Renderer<'a> {
    pub(super) fn chooser(&self) -> R {
        let c = &self.site.config;
        let lang = &c.default_language;
        let languages = c
            .languages
            .iter()
            .map(|l| ChooserEntry {
                lang: l.code.to_string(),
                dir: c.dir(&l.code).as_str(),
                name: l.name.clone(),
                title: l.title.clone(),
                href: c.href(&Route::Home(l.code.clone())),
                prompt: self.text(&l.code, "choose_language"),
            })
            .collect();
        let mut spec = PageSpec::new(
            "/".into(),
            c.language(lang)
                .map(|l| l.title.clone())
                .unwrap_or_default(),
            "",
        );
        spec.alternates = self.all_languages(|l| Route::Home(l.clone()));
        spec.show_crumbs = false;
        spec.json_ld
            .push(json!({"@type": "WebSite", "name": spec.heading, "url": c.absolute("/")}).into());
        let mut page = self.page(lang, spec, ChooserData { languages });
        // The chooser is every language's page: it is the x-default itself.
        page.head.canonical = c.absolute("/");
        page.switcher.clear();
        self.template("chooser.html", &page, &Route::Chooser)
    }

    pub(super) fn not_found(&self) -> R {
        let c = &self.site.config;
        let lang = &c.default_language;
        let mut spec = PageSpec::new(
            c.path(&Route::NotFound),
            self.text(lang, "not_found_title"),
            "",
        );
        spec.show_crumbs = false;
        spec.noindex = true;
        let languages = c
            .languages
            .iter()
            .map(|l| NotFoundEntry {
                lang: l.code.to_string(),
                dir: c.dir(&l.code).as_str(),
                title: self.text(&l.code, "not_found_title"),
                text: self.text(&l.code, "not_found_text"),
                back_home: self.text(&l.code, "back_home"),
                href: c.href(&Route::Home(l.code.clone())),
            })
            .collect();
        let page = self.page(lang, spec, NotFoundData { languages });
        self.template("404.html", &page, &Route::NotFound)
    }

    /// The 404 page of one language, which hosts serve for misses under
    /// its prefix: the same template, with that language alone.
    pub(super) fn not_found_in(&self, lang: &'a Lang) -> R {
        let c = &self.site.config;
        let route = Route::NotFoundIn(lang.clone());
        let mut spec = PageSpec::new(c.path(&route), self.text(lang, "not_found_title"), "");
        spec.show_crumbs = false;
        spec.noindex = true;
        let languages = vec![NotFoundEntry {
            lang: lang.to_string(),
            dir: c.dir(lang).as_str(),
            title: self.text(lang, "not_found_title"),
            text: self.text(lang, "not_found_text"),
            back_home: self.text(lang, "back_home"),
            href: c.href(&Route::Home(lang.clone())),
        }];
        let page = self.page(lang, spec, NotFoundData { languages });
        self.template("404.html", &page, &route)
    }

    pub(super) fn home(&self, lang: &'a Lang) -> R {
        let c = &self.site.config;
        let text = self.home_text(lang).or_else(|| {
            c.fallback_order(lang)
                .iter()
                .find_map(|l| self.home_text(l))
        });
        let heading = text
            .and_then(|h| h.title.clone())
            .filter(|_| text.is_some_and(|h| &h.lang == lang))
            .unwrap_or_else(|| {
                c.language(lang)
                    .map(|l| l.title.clone())
                    .unwrap_or_default()
            });
        let news = self
            .news_newest_first()
            .iter()
            .copied()
            .take(5)
            .filter_map(|id| self.item_link(self.site.item(id), lang))
            .collect();
        let text_view = match text {
            Some(h) => Some(TextView {
                html: self.body_html(&h.file, &h.body, lang)?,
                lang: (&h.lang != lang).then(|| h.lang.to_string()),
            }),
            None => None,
        };
        let data = HomeData {
            events: self.upcoming_events(lang, |_| true),
            text: text_view,
            clusters: self.item_links(self.items_of(Kind::Cluster), lang, false),
            news,
            countries: self.countries(lang, false),
        };
        let route = Route::Home(lang.clone());
        let mut spec = PageSpec::new(self.site.config.path(&route), heading, "home");
        spec.description = text.map(|h| h.body.summary.clone()).unwrap_or_default();
        spec.alternates = self.all_languages(|l| Route::Home(l.clone()));
        spec.json_ld.push(json!({"@type": "WebSite", "name": spec.heading, "url": c.absolute(&spec.path), "inLanguage": lang.as_str()}).into());
        let page = self.page(lang, spec, data);
        self.template("home.html", &page, &route)
    }

    /// Item page spec shared by every kind: alternates are the item's
    /// translations, crumbs go through the kind's index.
    pub(super) fn item_spec(
        &self,
        item: &Item,
        lang: &Lang,
        section: &'static str,
        index: Option<(&str, Route)>,
    ) -> PageSpec {
        let t = item
            .translation_in(lang)
            .expect("item page exists only for its languages");
        let mut spec = PageSpec::new(t.path.clone(), t.title.clone(), section);
        spec.description = crate::markdown::truncate_words(
            t.description.as_deref().unwrap_or(&t.body.summary),
            200,
        );
        spec.alternates = item
            .translations
            .iter()
            .map(|t| (t.lang.clone(), t.path.clone()))
            .collect();
        spec.x_default_is_default_lang = true;
        spec.photos = t.photos.clone();
        if let Some((key, route)) = index {
            spec.crumbs.push(Link {
                name: self.text(lang, key),
                href: self.site.config.href(&route),
            });
        }
        spec.crumbs.push(Link {
            name: t.title.clone(),
            href: self.site.config.link(&t.path),
        });
        spec
    }

    pub(super) fn item_page(
        &self,
        item: &Item,
        lang: &'a Lang,
    ) -> Result<Option<OutputFile>, Diagnostic> {
        let Some(t) = item.translation_in(lang) else {
            return Ok(None);
        };
        // The page shows this translation whole, links its other languages
        // and shows the item's shared facts.
        self.read(Dep::Text(item.id, self.lang_ix(lang)));
        self.read(Dep::Pages(item.id));
        let page = ItemPage {
            item,
            t,
            lang,
            route: item.route(t),
            url: self.site.config.absolute(&t.path),
            updated: t.updated.map(|d| self.date(lang, d)),
        };
        let out = match self.facts(item) {
            Facts::Cluster(f) => self.cluster_page(&page, f)?,
            Facts::Spa(f) => self.spa_page(&page, f)?,
            Facts::News(f) => self.news_page(&page, f)?,
            Facts::Event(f) => self.event_page(&page, f)?,
            Facts::Page => self.plain_page(&page)?,
        };
        Ok(Some(out))
    }

    fn cluster_page(&self, p: &ItemPage<'_, 'a>, f: &crate::site::ClusterFacts) -> R {
        let (item, t, lang) = (p.item, p.t, p.lang);
        self.read(Dep::Relations(item.id));
        let mut spec = self.item_spec(
            item,
            lang,
            "clusters",
            Some(("clusters", Route::Index(lang.clone(), Section::Clusters))),
        );
        let org = self.cluster_json_ld(p, f, &spec.description);
        spec.json_ld.push(org.into());
        spec.card = Some((t.slug.clone(), self.cluster_card(lang, item, &t.title, f)));
        let data = ClusterData {
            events: self.upcoming_events(lang, |e| e.organiser == Some(item.id)),
            body: self.body_html(&t.file, &t.body, lang)?,
            country: self.country_name(lang, &f.country),
            legal_name: f.legal_name.clone(),
            org_number: f.org_number.clone(),
            founded: f.founded.as_ref().map(|d| match d {
                crate::site::Founded::Year(y) => DateView {
                    iso: y.to_string(),
                    text: y.to_string(),
                },
                crate::site::Founded::Date(d) => self.date(lang, *d),
            }),
            website: f.website.clone(),
            address: f.address.as_ref().map(address_view),
            contact: f.contact.as_ref().map(|c| ContactView {
                name: c.name.clone(),
                role: c.role.clone(),
                phone: c.phone.clone(),
                email: c.email.clone(),
            }),
            partners: match &t.file.front {
                crate::content::FrontMatter::Cluster(fm) => fm.partners.clone().unwrap_or_default(),
                _ => Vec::new(),
            },
            locations: f
                .locations
                .iter()
                .map(|l| self.location_link(*l, lang))
                .collect(),
            members: self.by_country(&item.members, lang),
            news: self.news_links(&item.news, lang),
            updated: p.updated.clone(),
            verified: f.verified.map(|d| self.date(lang, d)),
            map: self.cluster_map(item, lang, &t.title),
        };
        let page = self.page(lang, spec, data);
        self.template("cluster.html", &page, &p.route)
    }

    /// schema.org `Organization` of a cluster, with its members.
    fn cluster_json_ld(
        &self,
        p: &ItemPage<'_, 'a>,
        f: &crate::site::ClusterFacts,
        description: &str,
    ) -> serde_json::Value {
        let c = &self.site.config;
        let mut org = json!({"@type": "Organization", "@id": self.ld_id(p.item), "name": p.t.title, "url": p.url, "description": description});
        seo::set(&mut org, "legalName", f.legal_name.clone().map(Into::into));
        seo::set(&mut org, "sameAs", f.website.clone().map(Into::into));
        seo::set(
            &mut org,
            "address",
            f.address.as_ref().map(|a| {
                let city = a.city.clone().unwrap_or_default();
                seo::postal_address_in(Some(a), &city, &f.country)
            }),
        );
        seo::set(&mut org, "taxID", f.org_number.clone().map(Into::into));
        seo::set(
            &mut org,
            "foundingDate",
            f.founded.as_ref().map(|d| match d {
                crate::site::Founded::Year(y) => y.to_string().into(),
                crate::site::Founded::Date(d) => d.iso().into(),
            }),
        );
        if let Some(ct) = &f.contact {
            let mut cp = json!({"@type": "ContactPoint"});
            seo::set(&mut cp, "name", ct.name.clone().map(Into::into));
            seo::set(&mut cp, "contactType", ct.role.clone().map(Into::into));
            seo::set(&mut cp, "telephone", ct.phone.clone().map(Into::into));
            seo::set(&mut cp, "email", ct.email.clone().map(Into::into));
            seo::set(&mut org, "contactPoint", Some(cp));
        }
        let members: Vec<serde_json::Value> = p.item.members.iter().filter_map(|id| {
            let item = self.site.item(*id);
            let m = self.item_link(item, p.lang)?;
            Some(json!({"@type": "Organization", "@id": self.ld_id(item), "name": m.title, "url": c.absolute(m.href.strip_prefix(&c.base_path).unwrap_or(&m.href))}))
        }).collect();
        if !members.is_empty() {
            seo::set(&mut org, "member", Some(members.into()));
        }
        org
    }

    fn spa_page(&self, p: &ItemPage<'_, 'a>, f: &crate::site::SpaFacts) -> R {
        let (t, lang) = (p.t, p.lang);
        let mut spec = self.item_spec(
            p.item,
            lang,
            "spas",
            Some(("spas", Route::Index(lang.clone(), Section::Spas))),
        );
        let loc = self.site.location(f.location);
        let cluster_link = self
            .item_link(self.site.item(f.cluster), lang)
            .expect("a spa's cluster is a valid item");
        let biz = self.spa_json_ld(p, f, &spec.description);
        spec.json_ld.push(biz.into());
        let card = self.spa_card(lang, &t.title, f, &cluster_link.title);
        spec.card = Some((t.slug.clone(), card));
        let map = self.spa_map(f, lang, &t.title);
        let cluster_item = self.site.item(f.cluster);
        let related = self.related_spas(p.item.id, f, lang);
        let data = SpaData {
            body: self.body_html(&t.file, &t.body, lang)?,
            kind: f.kind.map(|k| self.text(lang, k.label_key())),
            location: self.location_link(f.location, lang),
            country: self.country_name(lang, &loc.record.country),
            treatments: f
                .treatments
                .iter()
                .map(|id| self.treatment_link(lang, *id))
                .collect(),
            website: f.website.clone(),
            phone: f.phone.clone(),
            email: f.email.clone(),
            address: f.address.as_ref().map(address_view),
            coordinates: f.coordinates.map(|c| self.coordinates_view(c, lang)),
            updated: p.updated.clone(),
            verified: f.verified.map(|d| self.date(lang, d)),
            kind_href: f
                .kind
                .map(|k| self.site.config.href(&Route::SpaKind(lang.clone(), k))),
            phone_href: f.phone.as_deref().map(super::contact::tel_href),
            hours: f.practical.hours.as_ref().map(|h| self.hours_view(lang, h)),
            price: f.practical.price.as_ref().map(|pr| pr.range_text()),
            languages: f
                .practical
                .languages
                .iter()
                .map(|code| self.spoken_name(lang, code))
                .collect(),
            accreditations: f.practical.accreditations.clone(),
            insurance: f.practical.insurance.clone(),
            accessibility: f
                .practical
                .accessibility
                .iter()
                .map(|a| self.text(lang, a.label_key()))
                .collect(),
            booking: f.practical.booking.clone(),
            programmes: f
                .practical
                .programmes
                .iter()
                .map(|pr| self.programme_view(lang, pr))
                .collect(),
            enquiry: self.enquiry(p, f, cluster_item, &cluster_link.title),
            vcard: self
                .site
                .config
                .href(&Route::VCard(lang.clone(), t.slug.clone())),
            cluster: cluster_link,
            map,
            nearby: related.nearby,
            similar: related.similar,
        };
        let page = self.page(lang, spec, data);
        self.template("spa.html", &page, &p.route)
    }

    fn treatment_link(&self, lang: &Lang, id: crate::site::TreatId) -> Link {
        let tr = self.site.treatment(id);
        Link {
            name: tr.record.name_in(lang.as_str()).to_string(),
            href: self.site.config.href(&tr.route(lang)),
        }
    }

    fn programme_view(&self, lang: &Lang, pr: &crate::site::Programme) -> ProgrammeView {
        let w = &pr.written;
        ProgrammeView {
            name: w.name_in(lang.as_str()).to_string(),
            price: self.money(lang, w.price, &w.currency),
            duration: pr.duration.map(|d| {
                let (key, n) = d.count_key();
                self.count_text(lang, key, n as usize)
            }),
            duration_iso: pr.duration.map(|d| d.iso()),
            treatments: pr
                .treatments
                .iter()
                .map(|id| self.treatment_link(lang, *id))
                .collect(),
            description: w.description_in(lang.as_str()).map(str::to_string),
        }
    }

    /// An amount of money in the page language: its digits, and the
    /// currency code where the language's `price_amount` puts it.
    fn money(&self, lang: &Lang, amount: f64, currency: &str) -> String {
        let locale = self.locale(lang);
        let number = if amount.fract() == 0.0 {
            locale.number(amount as u64)
        } else {
            locale.decimal((amount * 100.0).round() as i64, 2)
        };
        self.fill(
            lang,
            "price_amount",
            &[("amount", &number), ("currency", currency)],
        )
    }

    /// A spa's map: the spa itself and, when it has a point of its own,
    /// its town, linked to the town's page.
    fn spa_map(&self, f: &crate::site::SpaFacts, lang: &'a Lang, title: &str) -> String {
        let Some((lat, lon, label)) = self.spa_point(f, lang, title) else {
            return String::new();
        };
        let loc = self.site.location(f.location);
        let town = self.location_link(f.location, lang);
        let mut points = vec![Point {
            lat,
            lon,
            label: &label,
            href: None,
            highlight: true,
            hreflang: None,
            country: &loc.record.country,
        }];
        if let (Some(_), Some(c)) = (f.coordinates, loc.record.coordinates) {
            points.push(Point {
                lat: c.lat,
                lon: c.lon,
                label: &town.name,
                href: Some(&town.href),
                highlight: false,
                hreflang: None,
                country: &loc.record.country,
            });
        }
        self.map_figure(
            "map",
            &self.fill(lang, "map_of", &[("name", title)]),
            lang,
            &points,
        )
    }

    /// A cluster's map: its members, each at its own point or its town's.
    fn cluster_map(&self, item: &Item, lang: &'a Lang, title: &str) -> String {
        let members: Vec<(f64, f64, String, Arc<ItemLink>, &str)> = item
            .members
            .iter()
            .filter_map(|id| {
                let m = self.site.item(*id);
                let Facts::Spa(f) = self.facts(m) else {
                    return None;
                };
                let link = self.item_link(m, lang)?;
                let (lat, lon, label) = self.spa_point(f, lang, &link.title)?;
                let country = self.site.location(f.location).record.country.as_str();
                Some((lat, lon, label, link, country))
            })
            .collect();
        let points: Vec<Point> = members
            .iter()
            .map(|(lat, lon, label, link, country)| Point {
                lat: *lat,
                lon: *lon,
                label,
                href: Some(&link.href),
                highlight: false,
                hreflang: link.lang.as_deref(),
                country,
            })
            .collect();
        self.map_figure(
            "map",
            &self.fill(lang, "map_of", &[("name", title)]),
            lang,
            &points,
        )
    }

    fn news_page(&self, p: &ItemPage<'_, 'a>, f: &crate::site::NewsFacts) -> R {
        let (t, lang) = (p.t, p.lang);
        let c = &self.site.config;
        let mut spec = self.item_spec(
            p.item,
            lang,
            "news",
            Some(("news", Route::NewsPage(lang.clone(), 1))),
        );
        spec.og_type = "article";
        let mut article = json!({
            "@type": "NewsArticle", "headline": t.title, "url": p.url,
            "datePublished": f.date.iso(), "inLanguage": lang.as_str(),
            "description": spec.description,
            "publisher": {"@type": "Organization", "name": c.language(lang).map(|l| l.title.clone()).unwrap_or_default()},
        });
        seo::set(
            &mut article,
            "dateModified",
            t.updated.map(|d| d.iso().into()),
        );
        let cluster = f
            .cluster
            .and_then(|id| self.item_link(self.site.item(id), lang));
        if let Some(cl) = &cluster {
            seo::set(
                &mut article,
                "about",
                Some(json!({"@type": "Organization", "name": cl.title})),
            );
        }
        spec.json_ld.push(article.into());
        let card = self.news_card(
            lang,
            &t.title,
            f,
            cluster.as_ref().map(|c| c.title.as_str()),
        );
        spec.card = Some((t.slug.clone(), card));
        let data = NewsData {
            body: self.body_html(&t.file, &t.body, lang)?,
            date: self.moment(lang, f.date),
            updated: p.updated.clone(),
            cluster,
            locations: f
                .locations
                .iter()
                .map(|l| self.location_link(*l, lang))
                .collect(),
            source: f.source.as_ref().map(|s| SourceView {
                name: s.name.clone(),
                url: s.url.clone(),
            }),
        };
        let page = self.page(lang, spec, data);
        self.template("news.html", &page, &p.route)
    }

    fn plain_page(&self, p: &ItemPage<'_, 'a>) -> R {
        let mut spec = self.item_spec(p.item, p.lang, "", None);
        spec.json_ld.push(json!({"@type": "WebPage", "name": p.t.title, "url": p.url, "inLanguage": p.lang.as_str()}).into());
        spec.card = Some((p.t.slug.clone(), self.page_card(p.lang, &p.t.title)));
        let data = PageData {
            body: self.body_html(&p.t.file, &p.t.body, p.lang)?,
            updated: p.updated.clone(),
        };
        let page = self.page(p.lang, spec, data);
        self.template("page.html", &page, &p.route)
    }

    pub(super) fn cluster_index(&self, lang: &'a Lang) -> R {
        let (route, mut spec) = self.section_spec(lang, Section::Clusters, "clusters");
        let items = self.item_links(self.items_of(Kind::Cluster), lang, false);
        spec.json_ld.push(self.item_list(&spec.heading, &items));
        let page = self.page(lang, spec, ListData { items });
        self.template("clusters.html", &page, &route)
    }

    pub(super) fn spa_index(&self, lang: &'a Lang) -> R {
        let (route, mut spec) = self.section_spec(lang, Section::Spas, "spas");
        let ids: Vec<ItemId> = self.items_of(Kind::Spa).map(|i| i.id).collect();
        let countries = self.by_country(&ids, lang);
        spec.json_ld
            .push(self.item_list(&spec.heading, &country_items(&countries)));
        let kinds = self.kind_links(lang, None);
        let page = self.page(lang, spec, SpaIndexData { countries, kinds });
        self.template("spas.html", &page, &route)
    }

    pub(super) fn news_list(&self, lang: &'a Lang, n: usize) -> R {
        let c = &self.site.config;
        let sorted = self.news_newest_first();
        let per = c.news_per_page;
        let total = self.news_pages();
        let page_path = |l: &Lang, k: usize| c.path(&Route::NewsPage(l.clone(), k));
        let route = Route::NewsPage(lang.clone(), n);
        let path = c.path(&route);
        let items = self.news_links(
            &sorted
                .iter()
                .skip((n - 1) * per)
                .take(per)
                .copied()
                .collect::<Vec<_>>(),
            lang,
        );
        let label = self.fill(
            lang,
            "page_n",
            &[
                ("n", &self.locale(lang).number(n as u64)),
                ("total", &self.locale(lang).number(total as u64)),
            ],
        );
        let pagination = self.pagination(lang, n, total, &label, page_path);
        let heading = if n == 1 {
            self.text(lang, "news")
        } else {
            format!("{} ({label})", self.text(lang, "news"))
        };
        let mut spec = PageSpec::new(path.clone(), heading, "news");
        spec.alternates = self.all_languages(|l| Route::NewsPage(l.clone(), n));
        spec.crumbs.push(Link {
            name: self.text(lang, "news"),
            href: c.link(&page_path(lang, 1)),
        });
        if n > 1 {
            spec.crumbs.push(Link {
                name: label,
                href: c.link(&path),
            });
        }
        spec.json_ld.push(self.item_list(&spec.heading, &items));
        let page = self.page(lang, spec, NewsListData { items, pagination });
        self.template("news_list.html", &page, &route)
    }

    pub(super) fn location_index(&self, lang: &'a Lang) -> R {
        let (route, spec) = self.section_spec(lang, Section::Locations, "locations");
        let page = self.page(
            lang,
            spec,
            LocationIndexData {
                countries: self.countries(lang, true),
            },
        );
        self.template("locations.html", &page, &route)
    }

    pub(super) fn location_page(&self, id: LocId, lang: &'a Lang) -> R {
        let c = &self.site.config;
        let loc = self.place(id);
        let name = loc.record.name_in(lang.as_str()).to_string();
        let route = loc.route(lang);
        let path = self.site.config.path(&route);
        let mut spec = PageSpec::new(path.clone(), name.clone(), "locations");
        spec.description = loc.record.description.clone().unwrap_or_default();
        spec.alternates = self.all_languages(|l| loc.route(l));
        spec.crumbs.push(Link {
            name: self.text(lang, "locations"),
            href: c.href(&Route::Index(lang.clone(), Section::Locations)),
        });
        spec.crumbs.push(Link {
            name: name.clone(),
            href: c.link(&path),
        });
        let mut place = json!({"@type": "Place", "name": name, "url": c.absolute(&path),
            "address": {"@type": "PostalAddress", "addressLocality": name, "addressCountry": loc.record.country}});
        seo::set(
            &mut place,
            "geo",
            loc.record.coordinates.as_ref().map(seo::geo),
        );
        spec.json_ld.push(place.into());
        spec.card = Some((loc.record.slug.clone(), self.location_card(lang, id)));
        // The map shows this place among its nearest neighbours in the same
        // country: all of them on a cluster's site, a bounded number on a
        // national portal, where a whole country's places on every location
        // page would make each page, and the build, grow with the country.
        let near = nearest_in_country(&self.site.locations, loc);
        let hrefs: Vec<(LocId, String)> = near
            .iter()
            .map(|l| (*l, self.location_link(*l, lang).href))
            .collect();
        let points: Vec<Point> = self
            .site
            .locations
            .iter()
            .filter(|l| near.contains(&l.id))
            .filter_map(|l| {
                let co = l.record.coordinates?;
                Some(Point {
                    lat: co.lat,
                    lon: co.lon,
                    label: l.record.name_in(lang.as_str()),
                    // The page's own place is where the reader is.
                    href: (l.id != id)
                        .then(|| hrefs.iter().find(|h| h.0 == l.id).map(|h| h.1.as_str()))
                        .flatten(),
                    highlight: l.id == id,
                    hreflang: None,
                    country: &l.record.country,
                })
            })
            .collect();
        let map = if loc.record.coordinates.is_some() {
            self.map_figure(
                "map",
                &self.fill(lang, "map_of", &[("name", &name)]),
                lang,
                &points,
            )
        } else {
            String::new()
        };
        let data = LocationData {
            events: self.upcoming_events(lang, |e| e.location == Some(id)),
            name,
            country: self.country_name(lang, &loc.record.country),
            region: loc.record.region.clone(),
            coordinates: loc
                .record
                .coordinates
                .map(|c| self.coordinates_view(c, lang)),
            map,
            description: loc.record.description.clone(),
            spas: self.item_links(loc.spas.iter().map(|i| self.site.item(*i)), lang, false),
            clusters: self.item_links(loc.clusters.iter().map(|i| self.site.item(*i)), lang, false),
            news: self.news_links(&loc.news, lang),
        };
        let page = self.page(lang, spec, data);
        self.template("location.html", &page, &route)
    }

    pub(super) fn search_page(&self, lang: &'a Lang) -> R {
        let c = &self.site.config;
        let (route, spec) = self.section_spec(lang, Section::Search, "search");
        let keys = [
            "search_no_results",
            "search_results_count",
            "search_result_one",
            "cluster",
            "spa",
            "news_item",
            "location",
            "page",
            "in_language",
        ];
        // A count's plural forms go to the script as they are: it picks
        // the reader's form with the browser's CLDR plural rules.
        let as_json = |k: &str| match self.theme.strings(lang).get(k) {
            Some(toml::Value::Table(forms)) => forms
                .iter()
                .filter_map(|(c, v)| Some((c.clone(), v.as_str()?.into())))
                .collect::<serde_json::Map<String, serde_json::Value>>()
                .into(),
            _ => serde_json::Value::from(self.text(lang, k)),
        };
        let mut strings: serde_json::Map<String, serde_json::Value> =
            keys.iter().map(|k| (k.to_string(), as_json(k))).collect();
        strings.insert("event".into(), self.calendar_text(lang, "event").into());
        let data = SearchData {
            index: c.href(&Route::SearchIndex(lang.clone())),
            strings: serde_json::Value::Object(strings).to_string(),
        };
        let page = self.page(lang, spec, data);
        self.template("search.html", &page, &route)
    }

    pub(super) fn alias(&self, item: &Item, lang: &'a Lang, alias: &str) -> R {
        let c = &self.site.config;
        let t = item
            .translation_in(lang)
            .expect("alias of an existing translation");
        self.read(Dep::Text(item.id, self.lang_ix(lang)));
        let route = Route::Alias(alias.to_string());
        let mut spec = PageSpec::new(t.path.clone(), t.title.clone(), "");
        spec.show_crumbs = false;
        spec.noindex = true;
        let page = self.page(
            lang,
            spec,
            RedirectData {
                target: c.link(&t.path),
            },
        );
        self.template("redirect.html", &page, &route)
    }

    // Shared pieces.

    pub(super) fn location_link(&self, id: LocId, lang: &Lang) -> Link {
        let l = self.site.location(id);
        Link {
            name: l.record.name_in(lang.as_str()).to_string(),
            href: self.site.config.href(&l.route(lang)),
        }
    }

    fn news_links(&self, ids: &[ItemId], lang: &Lang) -> Vec<Arc<ItemLink>> {
        self.item_links(ids.iter().map(|i| self.site.item(*i)), lang, true)
    }

    /// Spas grouped under their locations, locations by name.
    pub(super) fn by_location(&self, ids: &[ItemId], lang: &Lang) -> Vec<LocationGroup> {
        let mut groups: Vec<(LocId, Vec<&Item>)> = Vec::new();
        for id in ids {
            let item = self.site.item(*id);
            let Facts::Spa(s) = self.facts(item) else {
                continue;
            };
            if item.translations.is_empty() {
                continue;
            }
            match groups.iter_mut().find(|g| g.0 == s.location) {
                Some(g) => g.1.push(item),
                None => groups.push((s.location, vec![item])),
            }
        }
        let mut out: Vec<LocationGroup> = groups
            .into_iter()
            .map(|(loc, items)| {
                let link = self.location_link(loc, lang);
                LocationGroup {
                    name: link.name,
                    href: link.href,
                    items: self.item_links(items, lang, false),
                }
            })
            .collect();
        self.locale(lang)
            .sort_by_name(&mut out, |g| &g.name, |g| &g.href);
        out
    }

    /// Spas by country, then by town (as `by_location`), countries by name
    /// in the page language's order.
    pub(super) fn by_country(&self, ids: &[ItemId], lang: &Lang) -> Vec<CountrySpas> {
        let mut by: Vec<(String, Vec<ItemId>)> = Vec::new();
        for id in ids {
            let item = self.site.item(*id);
            let Facts::Spa(s) = self.facts(item) else {
                continue;
            };
            let code = &self.site.location(s.location).record.country;
            match by.iter_mut().find(|(c, _)| c == code) {
                Some((_, v)) => v.push(*id),
                None => by.push((code.clone(), vec![*id])),
            }
        }
        let mut out: Vec<CountrySpas> = by
            .into_iter()
            .map(|(code, ids)| CountrySpas {
                name: self.country_name(lang, &code),
                locations: self.by_location(&ids, lang),
                code,
            })
            .filter(|c| !c.locations.is_empty())
            .collect();
        self.locale(lang)
            .sort_by_name(&mut out, |g| &g.name, |g| &g.code);
        out
    }

    /// Locations grouped by country, each country with its map.
    fn countries(&self, lang: &Lang, with_maps: bool) -> Vec<CountryGroup> {
        let mut out: Vec<CountryGroup> = Vec::new();
        for loc in &self.site.locations {
            self.read(Dep::Place(loc.id));
            let spa_count = loc
                .spas
                .iter()
                .filter(|s| !self.site.item(**s).translations.is_empty())
                .count();
            let link = LocationLink {
                name: loc.record.name_in(lang.as_str()).to_string(),
                href: self.site.config.href(&loc.route(lang)),
                spa_count,
                spa_count_text: self.count_text(lang, "spa_count", spa_count),
                region: loc.record.region.clone(),
            };
            match out.iter_mut().find(|g| g.code == loc.record.country) {
                Some(g) => g.locations.push(link),
                None => out.push(CountryGroup {
                    code: loc.record.country.clone(),
                    name: self.country_name(lang, &loc.record.country),
                    locations: vec![link],
                    map: String::new(),
                }),
            }
        }
        let locale = self.locale(lang);
        locale.sort_by_name(&mut out, |g| &g.name, |g| &g.code);
        for g in &mut out {
            locale.sort_by_name(&mut g.locations, |l| &l.name, |l| &l.href);
            if with_maps {
                let points: Vec<Point> = self
                    .site
                    .locations
                    .iter()
                    .filter(|l| l.record.country == g.code)
                    .filter_map(|l| {
                        let co = l.record.coordinates?;
                        let link = g
                            .locations
                            .iter()
                            .find(|x| x.name == l.record.name_in(lang.as_str()))?;
                        Some(Point {
                            lat: co.lat,
                            lon: co.lon,
                            label: &link.name,
                            href: Some(&link.href),
                            highlight: false,
                            hreflang: None,
                            country: &l.record.country,
                        })
                    })
                    .collect();
                g.map = self.map_figure_in(
                    &format!("map-{}", g.code.to_lowercase()),
                    &self.fill(lang, "map_of", &[("name", &g.name)]),
                    lang,
                    &points,
                    Some(&g.code),
                );
            }
        }
        out
    }

    /// A map and, under it, the same places as a list with their
    /// OpenStreetMap links: what goes inside a page's `<figure>`.
    fn map_figure(&self, id: &str, title: &str, lang: &Lang, points: &[Point]) -> String {
        self.map_figure_in(id, title, lang, points, None)
    }

    /// `map_figure`, showing the whole of `country`.
    fn map_figure_in(
        &self,
        id: &str,
        title: &str,
        lang: &Lang,
        points: &[Point],
        country: Option<&str>,
    ) -> String {
        if points.is_empty() {
            return String::new();
        }
        let mut out = map::svg(id, title, points, country);
        out.push_str(&map::places_list(
            &self.text(lang, "map_places"),
            points,
            &self.text(lang, "map_osm"),
            |name| self.fill(lang, "map_osm_place", &[("name", name)]),
        ));
        out
    }

    /// Where a spa is drawn: its own coordinates, else its town's, with a
    /// label that says so.
    fn spa_point(
        &self,
        f: &crate::site::SpaFacts,
        lang: &Lang,
        name: &str,
    ) -> Option<(f64, f64, String)> {
        if let Some(c) = f.coordinates {
            return Some((c.lat, c.lon, name.to_string()));
        }
        let loc = self.site.location(f.location);
        let c = loc.record.coordinates?;
        let town = loc.record.name_in(lang.as_str());
        Some((
            c.lat,
            c.lon,
            self.fill(lang, "map_town", &[("name", name), ("town", town)]),
        ))
    }

    pub(super) fn item_list(&self, name: &str, items: &[Arc<ItemLink>]) -> seo::Node {
        let c = &self.site.config;
        seo::item_list(
            name,
            items.iter().map(|l| {
                let path = l.href.strip_prefix(&c.base_path).unwrap_or(&l.href);
                (l.title.as_str(), c.absolute(path))
            }),
        )
    }
}

/// How many places a location page's map shows, the page's own included.
const MAP_PLACES: usize = 12;

/// `loc` and the places of its country nearest to it, at most
/// `MAP_PLACES` (ties broken by slug, so the choice is stable).
fn nearest_in_country(
    locations: &[crate::site::Location],
    loc: &crate::site::Location,
) -> Vec<LocId> {
    let Some(here) = loc.record.coordinates else {
        return vec![loc.id];
    };
    let kx = here.lat.to_radians().cos();
    let mut others: Vec<(f64, &str, LocId)> = locations
        .iter()
        .filter(|l| l.record.country == loc.record.country)
        .filter_map(|l| {
            let c = l.record.coordinates?;
            let (dy, dx) = (c.lat - here.lat, (c.lon - here.lon) * kx);
            let own = if l.id == loc.id {
                -1.0
            } else {
                dy * dy + dx * dx
            };
            Some((own, l.record.slug.as_str(), l.id))
        })
        .collect();
    others.sort_by(|a, b| a.0.total_cmp(&b.0).then_with(|| a.1.cmp(b.1)));
    others.truncate(MAP_PLACES);
    others.into_iter().map(|(_, _, id)| id).collect()
}

pub(super) fn address_view(a: &crate::content::frontmatter::Address) -> AddressView {
    let city_line = [a.postal_code.as_deref(), a.city.as_deref()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    AddressView {
        lines: [
            a.street.clone(),
            Some(city_line).filter(|s| !s.is_empty()),
            a.country.clone(),
        ]
        .into_iter()
        .flatten()
        .collect(),
    }
}

impl Renderer<'_> {
    /// Coordinates as the page's language writes them: "58.385° N" in
    /// English, "58,385° с. ш." in Russian, "北緯58.385°" in Japanese. The
    /// words, the order and the decimal sign are UI strings, so a
    /// translator fixes them without code.
    fn coordinates_view(
        &self,
        c: crate::content::frontmatter::Coordinates,
        lang: &Lang,
    ) -> CoordinatesView {
        // Three decimals, about 100 m, in the language's digits and
        // decimal separator, unless the theme sets `decimal_separator`.
        let own = self
            .theme
            .strings(lang)
            .get("decimal_separator")
            .and_then(|v| v.as_str());
        let degrees = |v: f64| {
            let fixed = format!("{:.3}", v.abs());
            match (own, fixed.replace('.', "").parse::<i64>()) {
                (None, Ok(units)) => self.locale(lang).decimal(units, 3),
                (sep, _) => fixed.replace('.', sep.unwrap_or(".")),
            }
        };
        let ns = self.text(lang, if c.lat >= 0.0 { "north" } else { "south" });
        let ew = self.text(lang, if c.lon >= 0.0 { "east" } else { "west" });
        CoordinatesView {
            lat: c.lat,
            lon: c.lon,
            text: self.fill(
                lang,
                "coordinates_text",
                &[
                    ("lat", &degrees(c.lat)),
                    ("ns", &ns),
                    ("lon", &degrees(c.lon)),
                    ("ew", &ew),
                ],
            ),
        }
    }
}

impl Renderer<'_> {
    /// The links between the pages of a paginated list (news, events):
    /// newer, older, and the first, the last and the two either side of
    /// page `n` — linking every page would make each list page grow with
    /// the site, and the whole section quadratically.
    pub(super) fn pagination(
        &self,
        lang: &Lang,
        n: usize,
        total: usize,
        label: &str,
        page_path: impl Fn(&Lang, usize) -> String,
    ) -> Pagination {
        let c = &self.site.config;
        Pagination {
            current: n,
            total,
            newer: (n > 1).then(|| c.link(&page_path(lang, n - 1))),
            older: (n < total).then(|| c.link(&page_path(lang, n + 1))),
            pages: (1..=total)
                .filter(|k| *k == 1 || *k == total || k.abs_diff(n) <= 2)
                .map(|k| PageLink {
                    n: k,
                    text: self.locale(lang).number(k as u64),
                    href: c.link(&page_path(lang, k)),
                    current: k == n,
                })
                .collect(),
            label: label.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::LocationRecord;
    use crate::content::frontmatter::Coordinates;
    use crate::site::Location;

    fn place(i: usize, country: &str, lat: f64, lon: f64) -> Location {
        Location {
            id: LocId(i),
            record: LocationRecord {
                slug: format!("p{i:02}"),
                country: country.into(),
                name: format!("Place {i}"),
                names: Default::default(),
                coordinates: Some(Coordinates { lat, lon }),
                region: None,
                description: None,
            },
            spas: Vec::new(),
            clusters: Vec::new(),
            news: Vec::new(),
        }
    }

    #[test]
    fn a_location_map_shows_its_nearest_places_in_its_country() {
        // Thirty places on a line of longitude, a tenth of a degree apart,
        // and one in another country right beside the first.
        let mut all: Vec<Location> = (0..30)
            .map(|i| place(i, "EE", 58.0 + i as f64 / 10.0, 25.0))
            .collect();
        all.push(place(30, "LV", 58.0, 25.01));
        let near = nearest_in_country(&all, &all[10]);
        assert_eq!(near.len(), MAP_PLACES);
        assert_eq!(near[0], LocId(10), "the place itself first");
        let mut got: Vec<usize> = near.iter().map(|l| l.0).collect();
        got.sort_unstable();
        // 10 and the five either side; the tie at distance six goes to the
        // smaller slug.
        assert_eq!(got, (4..=15).collect::<Vec<_>>());
        assert!(!near.contains(&LocId(30)), "only its own country");
        // A small country is drawn whole.
        let few: Vec<Location> = (0..5)
            .map(|i| place(i, "NO", 60.0 + i as f64, 10.0))
            .collect();
        assert_eq!(nearest_in_country(&few, &few[2]).len(), 5);
    }
}
