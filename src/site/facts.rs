//! An item's facts (a cluster's country, a spa's cluster and location, a
//! news item's date…) from the front matter of its translations: inherited
//! across translations, references resolved, values checked. A fact that
//! cannot be made is an error at the line that wrote it.

use super::inherit::inherit;
use super::*;
use crate::content::frontmatter::{self as fm, FrontMatter};
use crate::diagnostic::Diagnostics;

/// The value of front-matter field `$name` across the translations `$fr`,
/// with the file that wrote it.
macro_rules! field {
    ($fr:expr, $name:ident, $diags:expr) => {
        inherit(&$fr, stringify!($name), |f| f.$name.as_ref(), $diags)
    };
}

/// `facts_of`'s inputs, shared by the kind-specific functions.
pub(super) struct Input<'a> {
    pub(super) site: &'a Site,
    pub(super) kind: Kind,
    pub(super) files: &'a [Arc<ContentFile>],
    pub(super) diags: &'a Diagnostics,
}

pub(super) fn facts_of(
    site: &Site,
    kind: Kind,
    files: &[Arc<ContentFile>],
    diags: &Diagnostics,
) -> Option<Facts> {
    let input = Input {
        site,
        kind,
        files,
        diags,
    };
    match kind {
        Kind::Cluster => cluster_facts(&input).map(Facts::Cluster),
        Kind::Spa => spa_facts(&input).map(Facts::Spa),
        Kind::News => news_facts(&input).map(Facts::News),
        Kind::Event => super::events::event_facts(&input).map(|e| Facts::Event(Box::new(e))),
        Kind::Page | Kind::Home => Some(Facts::Page),
    }
}

fn cluster_facts(input: &Input) -> Option<ClusterFacts> {
    let diags = input.diags;
    let fr = typed(input, |f| match f {
        FrontMatter::Cluster(c) => Some(c),
        _ => None,
    });
    let founded = founded(field!(fr, founded, diags), diags);
    let Some((country, country_file)) = field!(fr, country, diags) else {
        input.missing("country");
        return None;
    };
    if !countries::is_country_code(country) {
        let mut d = country_file.source.error_at_value("country", country, format!(
            "`{country}` is not an ISO 3166-1 alpha-2 country code (expected e.g. `EE`, `NO`, `TR`)"
        ));
        if let Some(hint) = countries::hint(country) {
            d = d.with_hint(hint);
        }
        diags.push(d);
        return None;
    }
    Some(ClusterFacts {
        country: country.clone(),
        legal_name: cloned(field!(fr, legal_name, diags)),
        org_number: cloned(field!(fr, org_number, diags)),
        founded,
        website: link_url(field!(fr, website, diags), "website", diags),
        address: cloned(field!(fr, address, diags)),
        contact: cloned(field!(fr, contact, diags)),
        locations: input.locations(field!(fr, locations, diags), "locations"),
        verified: verified(field!(fr, verified, diags), diags),
    })
}

fn spa_facts(input: &Input) -> Option<SpaFacts> {
    let diags = input.diags;
    let fr = typed(input, |f| match f {
        FrontMatter::Spa(c) => Some(c),
        _ => None,
    });
    let coordinates = field!(fr, coordinates, diags);
    if let Some((c, file)) = coordinates
        && let Err(msg) = c.check()
    {
        diags.push(file.source.error_at_key("coordinates", msg));
    }
    let cluster = match field!(fr, cluster, diags) {
        Some((slug, file)) => input.cluster(slug, file),
        None => {
            input.missing("cluster");
            None
        }
    };
    let location = match field!(fr, location, diags) {
        Some((slug, file)) => input.location(slug, file, "location"),
        None => {
            input.missing("location");
            None
        }
    };
    if let (Some((c, file)), Some(loc)) = (coordinates, location)
        && c.check().is_ok()
    {
        let country = &input.site.location(loc).record.country;
        if let Some((msg, hint)) = crate::basemap::outside(country, c.lat, c.lon) {
            diags.push(
                file.source
                    .error_at_key("coordinates", format!("{msg} (from its `location`)"))
                    .as_warning()
                    .with_hint(hint),
            );
        }
    }
    Some(SpaFacts {
        cluster: cluster?,
        location: location?,
        kind: field!(fr, kind, diags).map(|(k, _)| *k),
        website: link_url(field!(fr, website, diags), "website", diags),
        phone: phone(field!(fr, phone, diags), diags),
        email: email(field!(fr, email, diags), diags),
        address: cloned(field!(fr, address, diags)),
        coordinates: coordinates.map(|(c, _)| *c),
        treatments: input.treatments(field!(fr, treatments, diags)),
        practical: Box::new(Practical {
            hours: hours(field!(fr, hours, diags).map(|(h, f)| (&**h, f)), diags),
            price: price(field!(fr, price, diags), diags),
            languages: spoken(field!(fr, languages, diags), diags),
            accreditations: cloned(field!(fr, accreditations, diags)).unwrap_or_default(),
            insurance: cloned(field!(fr, insurance, diags)).unwrap_or_default(),
            accessibility: cloned(field!(fr, accessibility, diags)).unwrap_or_default(),
            booking: link_url(field!(fr, booking, diags), "booking", diags),
            programmes: input.programmes(field!(fr, programmes, diags)),
        }),
        verified: verified(field!(fr, verified, diags), diags),
    })
}

/// `verified = 2026-05-04`: the day someone last checked a listing's
/// facts with the member (`klynge check --stale` finds the old ones).
fn verified(
    value: Option<(&toml::value::Datetime, &ContentFile)>,
    diags: &Diagnostics,
) -> Option<crate::content::Date> {
    let (dt, file) = value?;
    let checked = crate::content::Date::from_toml(dt).and_then(|d| {
        if dt.time.is_some() {
            Err(format!(
                "`{dt}` is a date and time; `verified` is a day (e.g. `verified = 2026-05-04`)"
            ))
        } else {
            Ok(d)
        }
    });
    checked
        .map_err(|msg| diags.push(file.source.error_at_key("verified", msg)))
        .ok()
}

fn news_facts(input: &Input) -> Option<NewsFacts> {
    let diags = input.diags;
    let fr = typed(input, |f| match f {
        FrontMatter::News(c) => Some(c),
        _ => None,
    });
    let cluster = match field!(fr, cluster, diags) {
        Some((slug, file)) => Some(input.cluster(slug, file)?),
        None => None,
    };
    let locations = input.locations(field!(fr, locations, diags), "locations");
    let source = field!(fr, source, diags).map(|(s, file)| {
        let url = link_url(s.url.as_ref().map(|u| (u, file)), "url", diags);
        fm::Source {
            name: s.name.clone(),
            url,
        }
    });
    let Some((date, date_file)) = field!(fr, date, diags) else {
        input.missing("date");
        return None;
    };
    let date = match crate::time::Moment::from_written("date", date) {
        Ok(d) => d,
        Err(e) => {
            diags.push(
                date_file
                    .source
                    .error_at_written("date", e.message)
                    .with_hint(e.hint),
            );
            return None;
        }
    };
    Some(NewsFacts {
        date,
        cluster,
        locations,
        source,
    })
}

pub(super) fn cloned<T: Clone>(o: Option<(&T, &ContentFile)>) -> Option<T> {
    o.map(|(v, _)| v.clone())
}

/// A URL a page will link to, refused (an error at its line) when its
/// scheme could run code in the reader's browser.
pub(super) fn link_url(
    value: Option<(&String, &ContentFile)>,
    key: &str,
    diags: &Diagnostics,
) -> Option<String> {
    let (url, file) = value?;
    match crate::url::unsafe_scheme(url) {
        None => Some(url.clone()),
        Some(scheme) => {
            diags.push(
                file.source
                    .error_at_key(
                        key,
                        format!("`{key}` is a `{scheme}:` URL, which a page may not link to"),
                    )
                    .with_hint(crate::url::SAFE_SCHEMES_HINT),
            );
            None
        }
    }
}

/// The years `founded` may give: four digits, as a founding year is written.
const YEARS: std::ops::RangeInclusive<i64> = 1000..=9999;

/// A cluster's founding year or date, checked.
fn founded(value: Option<(&fm::Founded, &ContentFile)>, diags: &Diagnostics) -> Option<Founded> {
    let (value, file) = value?;
    let error = |msg: String| {
        diags.push(
            file.source
                .error_at_key("founded", msg)
                .with_hint("write a year (`founded = 2011`) or a date (`founded = 2011-01-15`)"),
        );
        None
    };
    match value {
        fm::Founded::Year(y) if YEARS.contains(y) => Some(Founded::Year(*y)),
        fm::Founded::Year(y) => error(format!("`founded = {y}` is not a four-digit year")),
        fm::Founded::Date(d) => match Date::from_toml(d) {
            Ok(d) => Some(Founded::Date(d)),
            Err(msg) => error(msg),
        },
    }
}

/// Typed front matter of every file of one kind, in inheritance order.
pub(super) fn typed<'a, F>(
    input: &Input<'a>,
    pick: impl Fn(&'a FrontMatter) -> Option<&'a F>,
) -> Vec<(&'a ContentFile, &'a F)> {
    let order = input.site.config.inheritance_order();
    let mut v: Vec<_> = input
        .files
        .iter()
        .filter_map(|f| pick(&f.front).map(|front| (&**f, front)))
        .collect();
    v.sort_by_key(|(f, _)| order.iter().position(|l| l == &f.lang));
    v
}

impl Input<'_> {
    pub(super) fn missing(&self, field: &str) {
        // A translation that failed to parse may well have held the field;
        // its own error is the one to fix, so this one would only be noise.
        if self
            .files
            .iter()
            .any(|f| f.sibling_failed || f.field_written_wrong(field))
        {
            return;
        }
        if let Some(f) = self.files.first() {
            self.diags.push(f.source.error_at(0, format!(
                "missing required field `{field}` (a {} needs it in at least one of its translations)",
                self.kind.name()
            )).with_hint(format!("add `{field} = …` to the front matter")));
        }
    }

    pub(super) fn cluster(&self, slug: &str, file: &ContentFile) -> Option<ItemId> {
        self.cluster_as(slug, file, "cluster")
    }

    /// A cluster named by `field` (`cluster`, an event's `organiser`).
    pub(super) fn cluster_as(&self, slug: &str, file: &ContentFile, field: &str) -> Option<ItemId> {
        let site = self.site;
        if let Some(id) = site.by_key.get(&(Kind::Cluster, slug.to_string())) {
            return Some(*id);
        }
        // The cluster's file failed to load: its own error says why.
        if site
            .failed
            .keys
            .contains(&(Kind::Cluster, slug.to_string()))
        {
            return None;
        }
        let mut known: Vec<&str> = site
            .by_key
            .keys()
            .filter(|(k, _)| *k == Kind::Cluster)
            .map(|(_, s)| s.as_str())
            .collect();
        known.sort_unstable();
        known.dedup();
        let hint = if known.is_empty() {
            format!(
                "there are no clusters yet: add content/clusters/{slug}.{}.md, or run `klynge new cluster {slug}`",
                file.lang
            )
        } else {
            match crate::slug::closest(slug, &known) {
                Some(near) => format!(
                    "did you mean `{near}`? the clusters are: {}",
                    known.join(", ")
                ),
                None => format!("the clusters are: {}", known.join(", ")),
            }
        };
        self.diags.push(
            file.source
                .error_at_value(field, slug, format!("there is no cluster `{slug}`"))
                .with_hint(hint),
        );
        None
    }

    pub(super) fn location(&self, slug: &str, file: &ContentFile, field: &str) -> Option<LocId> {
        let site = self.site;
        if let Some(id) = site.location_ids.get(slug) {
            return Some(*id);
        }
        // The record (or the whole file) failed: its own error says why.
        if site.failed.locations.covers(slug) {
            return None;
        }
        let mut known: Vec<&str> = site
            .locations
            .iter()
            .map(|l| l.record.slug.as_str())
            .collect();
        known.sort_unstable();
        let hint = if known.is_empty() {
            format!(
                "there are no locations yet: add a [[location]] with `slug = \"{slug}\"` to content/locations.toml"
            )
        } else {
            let near = crate::slug::closest(slug, &known).or_else(|| {
                known
                    .iter()
                    .copied()
                    .find(|k| k.eq_ignore_ascii_case(&crate::slug::slugify(slug)))
            });
            let list = format!("the locations are: {}", known.join(", "));
            match near {
                Some(near) => format!("did you mean `{near}`? {list}"),
                None => format!(
                    "{list}; or add a [[location]] with this slug to content/locations.toml"
                ),
            }
        };
        self.diags.push(
            file.source
                .error_at_value(
                    field,
                    slug,
                    format!("there is no location `{slug}` in content/locations.toml"),
                )
                .with_hint(hint),
        );
        None
    }

    /// The treatments a spa lists, each a slug of content/treatments.toml.
    fn treatments(&self, value: Option<(&Vec<String>, &ContentFile)>) -> Vec<TreatId> {
        let Some((slugs, file)) = value else {
            return Vec::new();
        };
        let mut known: Vec<&str> = self
            .site
            .treatments
            .iter()
            .map(|t| t.record.slug.as_str())
            .collect();
        known.sort_unstable();
        let mut out = Vec::new();
        for slug in slugs {
            match self.site.treatment_ids.get(slug.as_str()) {
                Some(id) if out.contains(id) => self.diags.push(file.source.error_at_value(
                    "treatments",
                    slug,
                    format!("treatment `{slug}` is listed twice"),
                )),
                Some(id) => out.push(*id),
                None => {
                    let d = file.source.error_at_value(
                        "treatments",
                        slug,
                        format!("there is no treatment `{slug}` in content/treatments.toml"),
                    );
                    let hint = match crate::slug::closest(slug, &known) {
                        Some(near) => format!("did you mean `{near}`?"),
                        None if known.is_empty() => {
                            "add a [[treatment]] with this slug to content/treatments.toml"
                                .to_string()
                        }
                        None => format!(
                            "add a [[treatment]] with this slug to content/treatments.toml, or use one of: {}",
                            known.join(", ")
                        ),
                    };
                    self.diags.push(d.with_hint(hint));
                }
            }
        }
        out
    }

    /// A spa's `[[programmes]]`, each checked; a wrong one is left out.
    fn programmes(
        &self,
        value: Option<(&Vec<fm::Programme>, &ContentFile)>,
    ) -> Vec<super::Programme> {
        let Some((list, file)) = value else {
            return Vec::new();
        };
        let err = |i: usize, key: &str, msg: String| {
            file.source.error_in_array("programmes", i, key, msg)
        };
        let mut out = Vec::new();
        for (i, p) in list.iter().enumerate() {
            if let Some((msg, hint)) = currency_problem(&p.currency) {
                self.diags.push(err(i, "currency", msg).with_hint(hint));
                continue;
            }
            if !p.price.is_finite() || p.price < 0.0 {
                let msg = format!(
                    "a price of {} {}: prices are zero or more",
                    p.price, p.currency
                );
                self.diags.push(err(i, "price", msg));
                continue;
            }
            let durations = [
                ("nights", p.nights.map(super::Duration::Nights)),
                ("days", p.days.map(super::Duration::Days)),
                ("minutes", p.minutes.map(super::Duration::Minutes)),
            ];
            let given: Vec<_> = durations.iter().filter(|(_, d)| d.is_some()).collect();
            if let [_, (second, _), ..] = given[..] {
                let msg = format!("programme `{}` gives more than one duration", p.name);
                let hint = "give one of `nights`, `days` or `minutes`";
                self.diags.push(err(i, second, msg).with_hint(hint));
                continue;
            }
            if let Some((key, _)) = given
                .iter()
                .find(|(_, d)| matches!(d, Some(d) if d.count_key().1 == 0))
            {
                let msg = format!("programme `{}` lasts no time: `{key} = 0`", p.name);
                self.diags.push(
                    err(i, key, msg).with_hint("leave the duration out, or give one of 1 or more"),
                );
                continue;
            }
            let treatments = self.treatments(Some((&p.treatments, file)));
            out.push(super::Programme {
                written: p.clone(),
                duration: given.first().and_then(|(_, d)| *d),
                treatments,
            });
        }
        out
    }

    fn locations(&self, value: Option<(&Vec<String>, &ContentFile)>, field: &str) -> Vec<LocId> {
        let Some((slugs, file)) = value else {
            return Vec::new();
        };
        slugs
            .iter()
            .filter_map(|s| self.location(s, file, field))
            .collect()
    }
}

/// Opening hours, their dates checked: a season runs forward, closed
/// dates are real dates.
fn hours(value: Option<(&fm::Hours, &ContentFile)>, diags: &Diagnostics) -> Option<OpeningHours> {
    let (h, file) = value?;
    let date = |key: &str, d: &toml::value::Datetime| match Date::from_toml(d) {
        Ok(d) => Some(d),
        Err(msg) => {
            diags.push(file.source.error_at_key(key, format!("`{key}`: {msg}")));
            None
        }
    };
    let mut ok = true;
    let mut closed = Vec::new();
    for d in &h.closed {
        match date("closed", d) {
            Some(d) => closed.push(d),
            None => ok = false,
        }
    }
    closed.sort();
    closed.dedup();
    let mut seasons = Vec::new();
    for s in &h.season {
        let (Some(from), Some(until)) = (date("from", &s.from), date("until", &s.until)) else {
            ok = false;
            continue;
        };
        if until < from {
            diags.push(
                file.source
                    .error_at_value(
                        "until",
                        &s.until.to_string(),
                        format!(
                            "a season of `hours` ends ({}) before it starts ({})",
                            until.iso(),
                            from.iso()
                        ),
                    )
                    .with_hint(
                        "write `from` as the first day of the season and `until` as the last",
                    ),
            );
            ok = false;
            continue;
        }
        seasons.push(Season {
            from,
            until,
            week: s.week(),
        });
    }
    seasons.sort_by_key(|s| s.from);
    ok.then_some(OpeningHours {
        week: h.week(),
        seasons,
        closed,
    })
}

/// What is wrong with a currency code, and what to write instead.
fn currency_problem(code: &str) -> Option<(String, String)> {
    if codes::is_currency_code(code) {
        return None;
    }
    let upper = code.to_uppercase();
    let known: Vec<&str> = codes::currency_codes().collect();
    let hint = if codes::is_currency_code(&upper) {
        format!("currency codes are upper case: `{upper}`")
    } else {
        match crate::slug::closest(&upper, &known) {
            Some(near) => {
                format!("did you mean `{near}`? (an ISO 4217 code, e.g. `EUR`, `NOK`, `TRY`)")
            }
            None => "write an ISO 4217 code, e.g. `EUR`, `NOK`, `TRY`".to_string(),
        }
    };
    Some((format!("`{code}` is not an ISO 4217 currency code"), hint))
}

/// A price range with a known currency, from no more than to.
pub(super) fn price(
    value: Option<(&fm::Price, &ContentFile)>,
    diags: &Diagnostics,
) -> Option<fm::Price> {
    let (p, file) = value?;
    if let Some((msg, hint)) = currency_problem(&p.currency) {
        diags.push(
            file.source
                .error_at_value("currency", &p.currency, msg)
                .with_hint(hint),
        );
        return None;
    }
    // `from` and `to` as written inside the `price` table.
    let at = |key: &str| {
        let text = &file.source.text;
        let start = crate::config::find_key(text, "price").unwrap_or(0);
        let mut i = start;
        while let Some(n) = text[i..].find(key) {
            let after = text[i + n + key.len()..].trim_start();
            let before = text[..i + n].chars().next_back();
            if after.starts_with('=') && before.is_none_or(|c| !c.is_alphanumeric() && c != '_') {
                return i + n;
            }
            i += n + key.len();
        }
        start
    };
    for (key, v) in [("from", p.from), ("to", p.to)] {
        if let Some(v) = v
            && (!v.is_finite() || v < 0.0)
        {
            diags.push(file.source.error_at(
                at(key),
                format!("a price of {v} {}: prices are zero or more", p.currency),
            ));
            return None;
        }
    }
    if let (Some(a), Some(b)) = (p.from, p.to)
        && b < a
    {
        diags.push(
            file.source
                .error_at(
                    at("to"),
                    format!("the price range ends ({b}) below where it starts ({a})"),
                )
                .with_hint("write the lowest price as `from` and the highest as `to`"),
        );
        return None;
    }
    Some(p.clone())
}

/// Languages spoken, each an ISO 639-1 code.
pub(super) fn spoken(
    value: Option<(&Vec<String>, &ContentFile)>,
    diags: &Diagnostics,
) -> Vec<String> {
    let Some((codes_given, file)) = value else {
        return Vec::new();
    };
    let known: Vec<&str> = codes::language_codes().collect();
    let mut out: Vec<String> = Vec::new();
    for code in codes_given {
        if codes::language_name(code).is_some() {
            if !out.contains(code) {
                out.push(code.clone());
            }
            continue;
        }
        let lower = code.to_lowercase();
        let hint = if codes::language_name(&lower).is_some() {
            format!("language codes are lower case: `{lower}`")
        } else {
            match crate::slug::closest(&lower, &known) {
                Some(near) => format!(
                    "did you mean `{near}` ({})? Languages are ISO 639-1 codes, e.g. `en`, `et`, `tr`",
                    codes::language_name(near).unwrap_or(near)
                ),
                None => "languages are ISO 639-1 codes, e.g. `en`, `et`, `tr`".to_string(),
            }
        };
        diags.push(
            file.source
                .error_at_value(
                    "languages",
                    code,
                    format!("`{code}` is not an ISO 639-1 language code"),
                )
                .with_hint(hint),
        );
    }
    out
}

/// A phone number a `tel:` link can dial: digits with spaces, dashes,
/// dots, slashes or brackets between them, and a leading `+`.
fn phone(value: Option<(&String, &ContentFile)>, diags: &Diagnostics) -> Option<String> {
    let (p, file) = value?;
    let t = p.trim();
    let allowed = t
        .char_indices()
        .all(|(i, c)| c.is_ascii_digit() || " -./()".contains(c) || (c == '+' && i == 0));
    let digits = t.chars().filter(char::is_ascii_digit).count();
    if allowed && (5..=17).contains(&digits) {
        return Some(p.clone());
    }
    diags.push(
        file.source
            .error_at_value(
                "phone",
                p,
                format!("`{p}` is not a phone number a reader can dial"),
            )
            .with_hint("write digits with spaces and the country code first, e.g. `+372 508 4020`"),
    );
    None
}

/// An e-mail address a `mailto:` link can write to.
fn email(value: Option<(&String, &ContentFile)>, diags: &Diagnostics) -> Option<String> {
    let (e, file) = value?;
    let ok = match e.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !e
                    .chars()
                    .any(|c| c.is_whitespace() || "<>?&,;:\\\"".contains(c))
                && e.matches('@').count() == 1
        }
        None => false,
    };
    if ok {
        return Some(e.clone());
    }
    diags.push(
        file.source
            .error_at_value("email", e, format!("`{e}` is not an e-mail address"))
            .with_hint("write one address, e.g. `info@example.com`"),
    );
    None
}
