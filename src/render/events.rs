//! Event pages: the event list of a language (upcoming first, then past,
//! paginated like the news), each event's page with its schema.org
//! `Event`, and the upcoming events other pages show. Times are shown in
//! the event's own time zone, in the page language's date format; the
//! split between upcoming and past is made at the build time.

use super::context::*;
use super::deps::Dep;
use super::{OutputFile, PageSpec, Renderer, seo};
use crate::config::Lang;
use crate::content::Kind;
use crate::diagnostic::Diagnostic;
use crate::route::Route;
use crate::site::{EventFacts, EventWhen, Facts, Item, ItemId};
use serde::Serialize;
use serde_json::json;
use std::sync::Arc;

type R = Result<OutputFile, Diagnostic>;

/// How many upcoming events the home, cluster and location pages show.
const UPCOMING_SHOWN: usize = 5;

#[derive(Serialize)]
pub struct EventsListData {
    pub upcoming: Vec<Arc<ItemLink>>,
    pub past: Vec<Arc<ItemLink>>,
    pub pagination: Pagination,
    /// The language's calendar of every event (`events.ics`).
    pub calendar: String,
}

#[derive(Serialize)]
pub struct EventData {
    pub body: String,
    /// The dates and times, in the event's zone and the page language.
    pub when: WhenView,
    pub upcoming: bool,
    pub location: Option<Link>,
    pub address: Option<AddressView>,
    pub online: Option<String>,
    pub organiser: Option<Arc<ItemLink>>,
    pub registration: Option<String>,
    pub deadline: Option<DateView>,
    pub price: Option<String>,
    pub free: bool,
    pub languages: Vec<String>,
    pub cancelled: bool,
    /// This event's own calendar file.
    pub ics: String,
    pub updated: Option<DateView>,
}

/// When an event is, as the reader sees it.
#[derive(Serialize, Clone, PartialEq, Debug)]
pub struct WhenView {
    /// `23 February 2016`, `29 March 2026, 10:00 (UTC+03:00) – 17:00 …`.
    pub text: String,
    /// For `<time datetime>`: the start, as schema.org writes it.
    pub start_iso: String,
    pub end_iso: String,
    /// `Times are in Europe/Istanbul.` for a timed event.
    pub zone_note: Option<String>,
}

impl<'a> Renderer<'a> {
    /// The events with pages in list order, each one's facts recorded.
    fn events_ordered(&self) -> Vec<ItemId> {
        for i in self.items_of(Kind::Event) {
            self.read(Dep::Facts(i.id));
        }
        self.site.events_in_order()
    }

    /// An item page's spec with the event list as its parent crumb.
    fn item_spec_for(
        &self,
        item: &Item,
        lang: &Lang,
        section: &'static str,
        index: Option<Route>,
    ) -> PageSpec {
        let mut spec = self.item_spec(item, lang, section, None);
        if let Some(r) = index {
            spec.crumbs.insert(
                0,
                Link {
                    name: self.calendar_text(lang, "events"),
                    href: self.site.config.href(&r),
                },
            );
        }
        spec
    }

    /// Whether the site has event pages (and a nav link to them).
    pub(super) fn has_events(&self) -> bool {
        self.read(Dep::Kind(Kind::Event));
        self.site.has_events()
    }

    /// Upcoming events that `keep` accepts, soonest first, as list links.
    pub(super) fn upcoming_events(
        &self,
        lang: &Lang,
        keep: impl Fn(&EventFacts) -> bool,
    ) -> Vec<Arc<ItemLink>> {
        let now = self.site.config.now;
        let ids: Vec<ItemId> = self
            .events_ordered()
            .into_iter()
            .filter(|id| match &self.site.item(*id).facts {
                Facts::Event(e) => e.upcoming(now) && keep(e),
                _ => false,
            })
            .take(UPCOMING_SHOWN)
            .collect();
        self.item_links(ids.iter().map(|i| self.site.item(*i)), lang, true)
    }

    pub(super) fn events_list(&self, lang: &'a Lang, n: usize) -> R {
        let c = &self.site.config;
        let sorted = self.events_ordered();
        let per = c.news_per_page;
        let total = sorted.len().div_ceil(per).max(1);
        let route = Route::EventsPage(lang.clone(), n);
        let path = c.path(&route);
        let page_path = |l: &Lang, k: usize| c.path(&Route::EventsPage(l.clone(), k));
        let shown: Vec<ItemId> = sorted
            .iter()
            .skip((n - 1) * per)
            .take(per)
            .copied()
            .collect();
        let now = c.now;
        let (up, past): (Vec<ItemId>, Vec<ItemId>) = shown.into_iter().partition(
            |id| matches!(&self.site.item(*id).facts, Facts::Event(e) if e.upcoming(now)),
        );
        let links =
            |ids: &[ItemId]| self.item_links(ids.iter().map(|i| self.site.item(*i)), lang, true);
        let label = self.fill(
            lang,
            "page_n",
            &[
                ("n", &self.locale(lang).number(n as u64)),
                ("total", &self.locale(lang).number(total as u64)),
            ],
        );
        let pagination = self.pagination(lang, n, total, &label, page_path);
        let title = self.calendar_text(lang, "events");
        let heading = if n == 1 {
            title.clone()
        } else {
            format!("{title} ({label})")
        };
        let mut spec = PageSpec::new(path.clone(), heading, "events");
        spec.alternates = self.all_languages(|l| Route::EventsPage(l.clone(), n));
        spec.crumbs.push(Link {
            name: title,
            href: c.link(&page_path(lang, 1)),
        });
        if n > 1 {
            spec.crumbs.push(Link {
                name: label,
                href: c.link(&path),
            });
        }
        let data = EventsListData {
            upcoming: links(&up),
            past: links(&past),
            pagination,
            calendar: c.href(&Route::EventsIcs(lang.clone())),
        };
        let all: Vec<Arc<ItemLink>> = data.upcoming.iter().chain(&data.past).cloned().collect();
        spec.json_ld.push(self.item_list(&spec.heading, &all));
        let page = self.page(lang, spec, data);
        self.template("events.html", &page, &route)
    }

    pub(super) fn event_page(&self, p: &super::pages::ItemPage<'_, 'a>, f: &EventFacts) -> R {
        let (item, t, lang) = (p.item, p.t, p.lang);
        let c = &self.site.config;
        let mut spec = self.item_spec_for(
            item,
            lang,
            "events",
            Some(Route::EventsPage(lang.clone(), 1)),
        );
        let organiser = f
            .organiser
            .and_then(|id| self.item_link(self.site.item(id), lang));
        let event = self.event_json_ld(p, f, &spec.description, organiser.as_deref());
        spec.json_ld.push(event.into());
        let card = self.event_card(
            lang,
            &t.title,
            f,
            organiser.as_ref().map(|o| o.title.as_str()),
        );
        spec.card = Some((t.slug.clone(), card));
        let price_free = f
            .price
            .as_ref()
            .is_some_and(|pr| pr.from.unwrap_or(0.0) == 0.0 && pr.to.unwrap_or(0.0) == 0.0);
        let data = EventData {
            body: self.body_html(&t.file, &t.body, lang)?,
            when: self.when_view(lang, f),
            upcoming: f.upcoming(c.now),
            location: f.location.map(|l| self.location_link(l, lang)),
            address: f.address.as_ref().map(super::pages::address_view),
            online: f.online.clone(),
            organiser,
            registration: f.registration.clone(),
            deadline: f.deadline.map(|d| self.moment(lang, d)),
            price: f
                .price
                .as_ref()
                .filter(|_| !price_free)
                .map(|pr| pr.range_text()),
            free: price_free,
            languages: f
                .languages
                .iter()
                .map(|code| self.spoken_name(lang, code))
                .collect(),
            cancelled: f.status == crate::content::frontmatter::EventStatus::Cancelled,
            ics: c.href(&Route::EventIcs(lang.clone(), t.slug.clone())),
            updated: p.updated.clone(),
        };
        let page = self.page(lang, spec, data);
        self.template("event.html", &page, &p.route)
    }

    /// An event's dates in the page language, in the event's zone.
    pub(super) fn when_view(&self, lang: &Lang, f: &EventFacts) -> WhenView {
        let day = |d| self.date_text(lang, d);
        match f.when {
            EventWhen::Days { first, last } => WhenView {
                text: if first == last {
                    day(first)
                } else {
                    format!("{} – {}", day(first), day(last))
                },
                start_iso: first.iso(),
                end_iso: last.iso(),
                zone_note: None,
            },
            EventWhen::Timed { start, end } => {
                let zone = f.zone();
                let at = |ts: jiff::Timestamp| {
                    let z = ts.to_zoned_datetime(zone.clone());
                    let stamp = crate::time::Stamp {
                        ts,
                        offset: z.offset(),
                    };
                    (stamp, z.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string())
                };
                let (s, s_iso) = at(start);
                let (e, e_iso) = at(end);
                let start_text = self.moment(lang, crate::time::Moment::At(s)).text;
                // The end on the same day shows its time only.
                let end_text = if e.date() == s.date() && e.offset == s.offset {
                    e.hhmm()
                } else {
                    self.moment(lang, crate::time::Moment::At(e)).text
                };
                WhenView {
                    text: if start == end {
                        start_text
                    } else {
                        format!("{start_text} – {end_text}")
                    },
                    start_iso: s_iso,
                    end_iso: e_iso,
                    zone_note: f
                        .timezone
                        .as_ref()
                        .map(|z| self.calendar_fill(lang, "times_in", &[("zone", z)])),
                }
            }
        }
    }

    /// schema.org `Event`.
    fn event_json_ld(
        &self,
        p: &super::pages::ItemPage<'_, 'a>,
        f: &EventFacts,
        description: &str,
        organiser: Option<&ItemLink>,
    ) -> serde_json::Value {
        let c = &self.site.config;
        let when = self.when_view(p.lang, f);
        let mut ev = json!({
            "@type": "Event", "@id": self.ld_id(p.item), "name": p.t.title, "url": p.url,
            "description": description,
            "startDate": when.start_iso, "endDate": when.end_iso,
            "eventStatus": f.status.schema(),
        });
        let place = f.location.map(|l| {
            let loc = self.site.location(l);
            let name = loc.record.name_in(p.lang.as_str()).to_string();
            let mut place = json!({"@type": "Place", "name": name,
                "address": seo::postal_address_in(f.address.as_ref(), &name, &loc.record.country)});
            seo::set(
                &mut place,
                "geo",
                loc.record.coordinates.as_ref().map(seo::geo),
            );
            place
        });
        let online = f
            .online
            .as_ref()
            .map(|u| json!({"@type": "VirtualLocation", "url": u}));
        let mode = match (&place, &online) {
            (Some(_), Some(_)) => "https://schema.org/MixedEventAttendanceMode",
            (None, Some(_)) => "https://schema.org/OnlineEventAttendanceMode",
            _ => "https://schema.org/OfflineEventAttendanceMode",
        };
        seo::set(&mut ev, "eventAttendanceMode", Some(mode.into()));
        let locations: Vec<serde_json::Value> = place.into_iter().chain(online).collect();
        seo::set(
            &mut ev,
            "location",
            match locations.len() {
                0 => None,
                1 => locations.into_iter().next(),
                _ => Some(locations.into()),
            },
        );
        if let (Some(o), Some(id)) = (organiser, f.organiser) {
            let href = o.href.strip_prefix(&c.base_path).unwrap_or(&o.href);
            seo::set(
                &mut ev,
                "organizer",
                Some(
                    json!({"@type": "Organization", "@id": self.ld_id(self.site.item(id)), "name": o.title, "url": c.absolute(href)}),
                ),
            );
        }
        if f.price.is_some() || f.registration.is_some() {
            let mut offer = json!({"@type": "Offer"});
            if let Some(pr) = &f.price {
                seo::set(
                    &mut offer,
                    "priceCurrency",
                    Some(pr.currency.clone().into()),
                );
                seo::set(&mut offer, "price", pr.from.or(pr.to).map(Into::into));
            }
            seo::set(&mut offer, "url", f.registration.clone().map(Into::into));
            seo::set(
                &mut offer,
                "validThrough",
                f.deadline.map(|d| d.iso().into()),
            );
            seo::set(&mut ev, "offers", Some(offer));
        }
        if !f.languages.is_empty() {
            seo::set(
                &mut ev,
                "inLanguage",
                Some(
                    f.languages
                        .iter()
                        .map(|l| serde_json::Value::from(l.as_str()))
                        .collect(),
                ),
            );
        }
        ev
    }
}
