//! Which facts the social card of each kind of page shows (the drawing is
//! `crate::card`). Every fact is one the page itself shows, read the way
//! the page reads it, so the card changes exactly when the page does.

use super::Renderer;
use crate::card::Card;
use crate::config::Lang;
use crate::site::{ClusterFacts, EventFacts, Facts, Item, LocId, NewsFacts, SpaFacts};

impl Renderer<'_> {
    /// A card in `lang`'s direction, with the site's title at its foot.
    fn card(&self, lang: &Lang, kind: Option<String>, title: &str, lines: Vec<String>) -> Card {
        let c = self.config();
        Card {
            rtl: c.dir(lang).as_str() == "rtl",
            kind,
            title: title.to_string(),
            lines: lines.into_iter().filter(|l| !l.trim().is_empty()).collect(),
            site: c
                .language(lang)
                .map_or(c.languages[0].title.clone(), |l| l.title.clone()),
            places: Vec::new(),
            countries: Vec::new(),
        }
    }

    /// "Pärnu, Estonia" for a location, in `lang`.
    fn town_and_country(&self, id: LocId, lang: &Lang) -> String {
        let rec = &self.site.location(id).record;
        format!(
            "{}{}{}",
            rec.name_in(lang.as_str()),
            self.text(lang, "list_separator"),
            self.country_name(lang, &rec.country)
        )
    }

    /// The card's map marks the locations `ids` (those with coordinates)
    /// and shows their countries whole.
    fn mark(&self, card: &mut Card, ids: impl IntoIterator<Item = LocId>) {
        for id in ids {
            let rec = &self.site.location(id).record;
            if let Some(co) = rec.coordinates {
                card.places.push((co.lat, co.lon));
            }
            if !card.countries.contains(&rec.country) {
                card.countries.push(rec.country.clone());
            }
        }
    }

    pub(super) fn spa_card(&self, lang: &Lang, title: &str, f: &SpaFacts, cluster: &str) -> Card {
        let kind = f.kind.map_or_else(
            || self.text(lang, "spa"),
            |k| self.text(lang, k.label_key()),
        );
        let member = format!("{} {cluster}", self.text(lang, "member_of"));
        let lines = vec![self.town_and_country(f.location, lang), member];
        let mut card = self.card(lang, Some(kind), title, lines);
        self.mark(&mut card, [f.location]);
        if let Some(co) = f.coordinates {
            // Its own point rather than its town's.
            card.places = vec![(co.lat, co.lon)];
        }
        card
    }

    pub(super) fn cluster_card(
        &self,
        lang: &Lang,
        item: &Item,
        title: &str,
        f: &ClusterFacts,
    ) -> Card {
        let country = self.country_name(lang, &f.country);
        let mut card = self.card(lang, Some(self.text(lang, "cluster")), title, vec![country]);
        // Its members' towns, or the places it names when it lists none.
        let mut towns: Vec<LocId> = item
            .members
            .iter()
            .filter_map(|id| match self.facts(self.site.item(*id)) {
                Facts::Spa(s) => Some(s.location),
                _ => None,
            })
            .collect();
        if towns.is_empty() {
            towns = f.locations.clone();
        }
        towns.sort();
        towns.dedup();
        self.mark(&mut card, towns);
        card.countries = vec![f.country.clone()];
        card
    }

    pub(super) fn news_card(
        &self,
        lang: &Lang,
        title: &str,
        f: &NewsFacts,
        cluster: Option<&str>,
    ) -> Card {
        let kind = format!(
            "{} · {}",
            self.text(lang, "news_item"),
            self.moment(lang, f.date).text
        );
        let places: Vec<String> = f
            .locations
            .iter()
            .map(|l| self.town_and_country(*l, lang))
            .collect();
        let mut lines = vec![places.join(" · ")];
        lines.extend(cluster.map(str::to_string));
        let mut card = self.card(lang, Some(kind), title, lines);
        self.mark(&mut card, f.locations.iter().copied());
        card
    }

    pub(super) fn event_card(
        &self,
        lang: &Lang,
        title: &str,
        f: &EventFacts,
        organiser: Option<&str>,
    ) -> Card {
        let kind = format!(
            "{} · {}",
            self.calendar_text(lang, "event"),
            self.when_view(lang, f).text
        );
        let mut lines: Vec<String> = f
            .location
            .map(|l| self.town_and_country(l, lang))
            .into_iter()
            .collect();
        lines.extend(organiser.map(str::to_string));
        let mut card = self.card(lang, Some(kind), title, lines);
        self.mark(&mut card, f.location);
        card
    }

    pub(super) fn page_card(&self, lang: &Lang, title: &str) -> Card {
        self.card(lang, None, title, Vec::new())
    }

    pub(super) fn location_card(&self, lang: &Lang, id: LocId) -> Card {
        let rec = &self.site.location(id).record;
        let country = self.country_name(lang, &rec.country);
        let lines = vec![match &rec.region {
            Some(region) => format!("{region}, {country}"),
            None => country,
        }];
        let title = rec.name_in(lang.as_str());
        let mut card = self.card(lang, Some(self.text(lang, "location")), title, lines);
        self.mark(&mut card, [id]);
        card
    }
}
