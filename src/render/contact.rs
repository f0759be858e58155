//! How a reader gets in touch: the spa's facts box and structured data
//! (`tel:`, opening hours, prices), a pre-filled `mailto:` enquiry and the
//! spa's vCard.

use super::context::*;
use super::{OutputFile, Renderer, seo};
use crate::config::Lang;
use crate::content::frontmatter::{DayHours, Span};
use crate::route::Route;
use crate::site::{Facts, Item, OpeningHours, SpaFacts};
use serde_json::{Value, json};

/// `tel:` of a phone number as written: digits and a leading `+` only.
pub fn tel_href(phone: &str) -> String {
    let mut s = String::from("tel:");
    for (i, c) in phone.trim().chars().enumerate() {
        if c.is_ascii_digit() || (c == '+' && i == 0) {
            s.push(c);
        }
    }
    s
}

/// Percent-encodes `s` for a `mailto:` query value (RFC 6068): all but
/// the unreserved characters.
pub fn mailto_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 3);
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

const DAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

impl<'a> Renderer<'a> {
    /// The JSON-LD `@id` of `item`: made from its default-language page,
    /// which pages in other languages read too.
    pub(super) fn ld_id(&self, item: &Item) -> String {
        self.read(super::deps::Dep::Pages(item.id));
        seo::item_id(&self.site.config, item, "item")
    }

    /// A language's name in the page language: the theme's
    /// `language_names`, else CLDR's name, else its English name.
    pub(super) fn spoken_name(&self, lang: &Lang, code: &str) -> String {
        self.theme
            .strings(lang)
            .get("language_names")
            .and_then(|t| t.get(code))
            .and_then(|v| v.as_str())
            .or_else(|| crate::locale::cldr_name(lang.as_str(), code))
            .map(str::to_string)
            .or_else(|| crate::site::codes::language_name(code).map(str::to_string))
            .unwrap_or_else(|| code.to_string())
    }

    fn day_names(&self, lang: &Lang) -> Vec<String> {
        let names = self
            .theme
            .strings(lang)
            .get("weekdays")
            .and_then(|v| v.as_array());
        (0..7)
            .map(|i| {
                names
                    .and_then(|n| n.get(i))
                    .and_then(|v| v.as_str())
                    .unwrap_or(DAYS[i])
                    .to_string()
            })
            .collect()
    }

    fn days_view(&self, lang: &Lang, week: &[Option<DayHours>; 7]) -> Vec<DayView> {
        let names = self.day_names(lang);
        week.iter()
            .zip(names)
            .filter_map(|(d, name)| {
                let text = match d.as_ref()? {
                    DayHours::Closed => self.text(lang, "closed"),
                    DayHours::Open(spans) => spans
                        .iter()
                        .map(|s| format!("{}–{}", Span::hhmm(s.opens), Span::hhmm(s.closes)))
                        .collect::<Vec<_>>()
                        .join(&self.text(lang, "list_separator")),
                };
                Some(DayView { name, text })
            })
            .collect()
    }

    pub(super) fn hours_view(&self, lang: &Lang, h: &OpeningHours) -> HoursView {
        HoursView {
            days: self.days_view(lang, &h.week),
            seasons: h
                .seasons
                .iter()
                .map(|s| SeasonView {
                    from: self.date(lang, s.from),
                    until: self.date(lang, s.until),
                    days: self.days_view(lang, &s.week),
                })
                .collect(),
            closed: h.closed.iter().map(|d| self.date(lang, *d)).collect(),
        }
    }

    /// The `mailto:` enquiry of a spa page: to the spa, else to its
    /// cluster's contact, subject and body in the page language.
    pub(super) fn enquiry(
        &self,
        p: &super::pages::ItemPage<'_, '_>,
        f: &SpaFacts,
        cluster: &Item,
        cluster_name: &str,
    ) -> Option<EnquiryView> {
        let (to, via) = match &f.email {
            Some(e) => (e.clone(), None),
            None => {
                let Facts::Cluster(c) = self.facts(cluster) else {
                    return None;
                };
                let e = c.contact.as_ref()?.email.clone()?;
                (e, Some(cluster_name.to_string()))
            }
        };
        let lang = p.lang;
        let subject = self.fill(lang, "enquiry_subject", &[("name", &p.t.title)]);
        let body = self.fill(
            lang,
            "enquiry_body",
            &[("name", &p.t.title), ("url", &p.url)],
        );
        let href = format!(
            "mailto:{to}?subject={}&body={}",
            mailto_encode(&subject),
            // Line breaks of a mailto: body are CRLF (RFC 6068, 5).
            mailto_encode(&body.replace('\n', "\r\n"))
        );
        let label = match &via {
            Some(c) => self.fill(lang, "enquiry_via", &[("cluster", c)]),
            None => self.text(lang, "enquiry"),
        };
        Some(EnquiryView { href, label, via })
    }

    /// schema.org node of a spa: its business type by kind, with an `@id`
    /// shared by its translations.
    pub(super) fn spa_json_ld(
        &self,
        p: &super::pages::ItemPage<'_, '_>,
        f: &SpaFacts,
        description: &str,
    ) -> Value {
        let c = &self.site.config;
        let lang = p.lang;
        let loc = self.site.location(f.location);
        let schema = f
            .kind
            .map_or("HealthAndBeautyBusiness", |k| k.schema_type());
        let local = f.kind.is_none_or(|k| k.is_local_business());
        let mut biz = json!({
            "@type": schema, "@id": self.ld_id(p.item),
            "name": p.t.title, "url": p.url, "description": description,
        });
        seo::set(&mut biz, "telephone", f.phone.clone().map(Into::into));
        seo::set(&mut biz, "email", f.email.clone().map(Into::into));
        seo::set(&mut biz, "sameAs", f.website.clone().map(Into::into));
        let address = seo::postal_address_in(
            f.address.as_ref(),
            loc.record.name_in(lang.as_str()),
            &loc.record.country,
        );
        seo::set(&mut biz, "address", Some(address));
        // Only the spa's own point: the town's centre would be a false one.
        seo::set(&mut biz, "geo", f.coordinates.as_ref().map(seo::geo));
        let cluster = self.site.item(f.cluster);
        if let Some(cl) = self.item_link(cluster, lang) {
            let href = cl.href.strip_prefix(&c.base_path).unwrap_or(&cl.href);
            seo::set(
                &mut biz,
                "memberOf",
                Some(
                    json!({"@type": "Organization", "@id": self.ld_id(cluster), "name": cl.title, "url": c.absolute(href)}),
                ),
            );
        }
        let services: Vec<(String, String)> = f
            .treatments
            .iter()
            .map(|id| {
                let t = self.site.treatment(*id);
                (
                    t.record.name_in(lang.as_str()).to_string(),
                    c.url(&t.route(lang)),
                )
            })
            .collect();
        if !services.is_empty() {
            if f.kind.is_some_and(|k| k.is_medical()) {
                let list: Vec<Value> = services
                    .iter()
                    .map(|(name, url)| json!({"@type": "MedicalTherapy", "name": name, "url": url}))
                    .collect();
                seo::set(&mut biz, "availableService", Some(list.into()));
                seo::set(&mut biz, "medicalSpecialty", self.specialties(f));
            } else {
                let list: Vec<Value> = services
                    .iter()
                    .map(|(name, url)| json!({"@type": "Offer", "itemOffered": {"@type": "Service", "name": name, "url": url}}))
                    .collect();
                seo::set(&mut biz, "makesOffer", Some(list.into()));
            }
        }
        let pr = &f.practical;
        if !pr.programmes.is_empty() {
            let mut offers = match biz.get_mut("makesOffer").map(Value::take) {
                Some(Value::Array(a)) => a,
                _ => Vec::new(),
            };
            offers.extend(pr.programmes.iter().map(|g| programme_ld(g, lang)));
            seo::set(&mut biz, "makesOffer", Some(offers.into()));
        }
        if !pr.languages.is_empty() {
            seo::set(&mut biz, "knowsLanguage", Some(pr.languages.clone().into()));
        }
        if local {
            seo::set(
                &mut biz,
                "openingHoursSpecification",
                pr.hours
                    .as_ref()
                    .map(opening_hours_ld)
                    .filter(|v| v.as_array().is_some_and(|a| !a.is_empty())),
            );
            seo::set(
                &mut biz,
                "priceRange",
                pr.price.as_ref().map(|p| p.range_text().into()),
            );
            seo::set(
                &mut biz,
                "currenciesAccepted",
                pr.price.as_ref().map(|p| p.currency.clone().into()),
            );
            if !pr.accessibility.is_empty() {
                let list: Vec<Value> = pr
                    .accessibility
                    .iter()
                    .map(|a| json!({"@type": "LocationFeatureSpecification", "name": a.english(), "value": true}))
                    .collect();
                seo::set(&mut biz, "amenityFeature", Some(list.into()));
            }
        }
        if let Some(b) = &pr.booking {
            seo::set(
                &mut biz,
                "potentialAction",
                Some(json!({"@type": "ReserveAction", "target": b})),
            );
        }
        biz
    }
}

impl Renderer<'_> {
    /// The schema.org medical specialties of a spa's treatments, each once,
    /// in the order of its treatments.
    fn specialties(&self, f: &SpaFacts) -> Option<Value> {
        let mut out: Vec<Value> = Vec::new();
        for id in &f.treatments {
            if let Some(sp) = &self.site.treatment(*id).record.specialty {
                let v = Value::from(format!("https://schema.org/{sp}"));
                if !out.contains(&v) {
                    out.push(v);
                }
            }
        }
        (!out.is_empty()).then(|| out.into())
    }
}

/// A programme as a schema.org `Offer` of a `Service`, in the page
/// language.
fn programme_ld(g: &crate::site::Programme, lang: &Lang) -> Value {
    let w = &g.written;
    let mut service = json!({"@type": "Service", "name": w.name_in(lang.as_str())});
    seo::set(
        &mut service,
        "description",
        w.description_in(lang.as_str()).map(Into::into),
    );
    json!({
        "@type": "Offer",
        "price": w.price,
        "priceCurrency": w.currency,
        "itemOffered": service,
    })
}

/// schema.org `OpeningHoursSpecification`s: the week, each season with
/// `validFrom`/`validThrough`, and each closed date as a day that opens
/// and closes at midnight (how search engines are told of a closure).
fn opening_hours_ld(h: &OpeningHours) -> Value {
    let mut out: Vec<Value> = Vec::new();
    let week =
        |week: &[Option<DayHours>; 7], valid: Option<(String, String)>, out: &mut Vec<Value>| {
            for (day, hours) in DAYS.iter().zip(week) {
                let spans: Vec<(String, String)> = match hours {
                    None => continue,
                    Some(DayHours::Closed) => vec![("00:00".into(), "00:00".into())],
                    Some(DayHours::Open(spans)) => spans
                        .iter()
                        .map(|s| (Span::hhmm(s.opens), Span::hhmm(s.closes)))
                        .collect(),
                };
                for (opens, closes) in spans {
                    let mut spec = json!({
                        "@type": "OpeningHoursSpecification",
                        "dayOfWeek": format!("https://schema.org/{day}"),
                        "opens": opens, "closes": closes,
                    });
                    if let Some((from, until)) = &valid {
                        seo::set(&mut spec, "validFrom", Some(from.clone().into()));
                        seo::set(&mut spec, "validThrough", Some(until.clone().into()));
                    }
                    out.push(spec);
                }
            }
        };
    week(&h.week, None, &mut out);
    for s in &h.seasons {
        week(&s.week, Some((s.from.iso(), s.until.iso())), &mut out);
    }
    for d in &h.closed {
        out.push(json!({
            "@type": "OpeningHoursSpecification",
            "opens": "00:00", "closes": "00:00",
            "validFrom": d.iso(), "validThrough": d.iso(),
        }));
    }
    out.into()
}

/// Escapes a vCard text value (RFC 6350, 3.4).
fn vtext(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ',' => out.push_str("\\,"),
            ';' => out.push_str("\\;"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// Folds a content line at 75 octets, never inside a character.
fn fold(line: &str, out: &mut String) {
    let mut width = 0;
    for c in line.chars() {
        if width + c.len_utf8() > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += c.len_utf8();
    }
    out.push_str("\r\n");
}

/// A spa translation's vCard 4.0: name, cluster, phone, e-mail, page,
/// website, address, and its own coordinates.
pub fn vcard(r: &Renderer, item: &Item, lang: &Lang) -> Option<OutputFile> {
    let t = item.translation_in(lang)?;
    // The card shows the title and address of the page, what the item's
    // list entry holds, not its text: an edit of the text leaves it be.
    r.read(super::deps::Dep::Pages(item.id));
    let link = r.item_link(item, lang)?;
    let Facts::Spa(f) = r.facts(item) else {
        return None;
    };
    let c = &r.site.config;
    let loc = r.site.location(f.location);
    let mut lines: Vec<String> = vec![
        "BEGIN:VCARD".into(),
        "VERSION:4.0".into(),
        "KIND:org".into(),
        format!("FN:{}", vtext(&link.title)),
        format!("ORG:{}", vtext(&link.title)),
    ];
    if let Some(k) = f.kind {
        lines.push(format!(
            "CATEGORIES:{}",
            vtext(&r.text(lang, k.label_key()))
        ));
    }
    if let Some(p) = &f.phone {
        lines.push(format!("TEL;VALUE=uri;TYPE=work:{}", tel_href(p)));
    }
    if let Some(e) = &f.email {
        lines.push(format!("EMAIL;TYPE=work:{}", vtext(e)));
    }
    let a = f.address.as_ref();
    let part = |v: Option<&String>| v.map_or_else(String::new, |s| vtext(s));
    let city = a
        .and_then(|a| a.city.clone())
        .unwrap_or_else(|| loc.record.name_in(lang.as_str()).to_string());
    lines.push(format!(
        "ADR;TYPE=work:;;{};{};;{};{}",
        part(a.and_then(|a| a.street.as_ref())),
        vtext(&city),
        part(a.and_then(|a| a.postal_code.as_ref())),
        vtext(&r.country_name(lang, &loc.record.country)),
    ));
    if let Some(co) = &f.coordinates {
        lines.push(format!("GEO:geo:{},{}", co.lat, co.lon));
    }
    let path = link.href.strip_prefix(&c.base_path).unwrap_or(&link.href);
    lines.push(format!("URL:{}", c.absolute(path)));
    if let Some(w) = &f.website {
        lines.push(format!("URL;TYPE=work:{w}"));
    }
    lines.push("END:VCARD".into());
    let mut text = String::new();
    for l in &lines {
        fold(l, &mut text);
    }
    Some(OutputFile {
        path: r
            .site
            .config
            .file(&Route::VCard(lang.clone(), t.slug.clone())),
        bytes: text.into_bytes(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tel_and_mailto() {
        assert_eq!(tel_href("+372 508 4020"), "tel:+3725084020");
        assert_eq!(tel_href("(0) 22-33"), "tel:02233");
        assert_eq!(mailto_encode("A b&c=ü"), "A%20b%26c%3D%C3%BC");
    }

    #[test]
    fn vcard_lines_fold_and_escape() {
        assert_eq!(vtext("a,b;c\\d\ne"), "a\\,b\\;c\\\\d\\ne");
        let mut s = String::new();
        fold(&"é".repeat(50), &mut s);
        assert!(s.lines().all(|l| l.len() <= 75));
        assert_eq!(s.replace("\r\n ", "").trim_end(), "é".repeat(50));
    }
}
