//! What a patient decides by: treatments (a translated taxonomy with its
//! pages), kinds of member (a page each, their schema.org types), the
//! practical facts of a spa page (hours, prices, languages, access…),
//! the enquiry and vCard, and the structured data, parsed as JSON-LD.

use crate::support::html::json_ld;
use crate::support::*;
use serde_json::Value;

/// Kurbadet with every practical fact, written over the basic fixture.
const KURBAD: &str = r#"+++
title = "Kurbadet Rehabilitation"
description = "A rehabilitation centre in Ålesund."
cluster = "fjord"
location = "alesund"
kind = "rehabilitation"
treatments = ["physiotherapy", "hydrotherapy"]
address = { street = "Badeveien 2", postal_code = "6003", city = "Ålesund", country = "Norway" }
phone = "+47 700 11 222"
email = "post@kurbad.example.com"
website = "https://kurbad.example.com/"
booking = "https://kurbad.example.com/book"
languages = ["nb", "en", "de", "se"]
accreditations = ["CARF"]
insurance = ["HELFO"]
accessibility = ["step-free-access", "hearing-loop"]
price = { currency = "NOK", from = 900, to = 2500 }

[hours]
monday = "08:00-16:00"
tuesday = ["08:00-12:00", "13:00-18:00"]
saturday = "closed"
closed = [2026-12-24, 2026-12-25]

[[hours.season]]
from = 2026-06-15
until = 2026-08-15
monday = "10:00-14:00"
+++

Kurbadet offers rehabilitation by the sea.

## Treatments

Physiotherapy and hydrotherapy.
"#;

fn site_with_facts() -> SiteTest {
    let site = SiteTest::fixture("basic");
    site.write("content/spas/kurbad.en.md", KURBAD);
    site
}

fn node_of<'a>(nodes: &'a [Value], ty: &str) -> &'a Value {
    nodes
        .iter()
        .find(|n| n["@type"] == ty)
        .unwrap_or_else(|| panic!("no {ty} node in {nodes:?}"))
}

#[test]
fn treatments_have_an_index_by_category_and_a_page_each() {
    let site = SiteTest::fixture("basic");
    site.build().assert_ok();
    check_site(&site.out, "");

    let index = site.page("/en/treatments/");
    let headings: Vec<String> = index.select(&sel("main h2")).map(text_of).collect();
    assert_eq!(headings, ["Rehabilitation", "Other treatments"]);
    let links = main_links(&index);
    for href in [
        "/en/treatments/hydrotherapy/",
        "/en/treatments/physiotherapy/",
        "/en/treatments/sauna/",
    ] {
        assert!(links.iter().any(|l| l == href), "{links:?}");
    }
    // In the reader's language, from treatments.toml.
    let nb = site.page("/nb/treatments/");
    let text: String = nb.select(&sel("main")).map(text_of).collect();
    assert!(
        text.contains("Fysioterapi") && text.contains("Rehabilitering"),
        "{text}"
    );

    // A treatment's page: its spas under their country and town.
    let page = site.page("/nb/treatments/physiotherapy/");
    assert_eq!(
        page.select(&sel("main h3"))
            .map(text_of)
            .collect::<Vec<_>>(),
        ["Norge"]
    );
    assert!(main_link(&page, "/nb/spas/kurbad/").is_some());
    assert!(main_link(&page, "/nb/locations/alesund/").is_some());
    // A treatment nobody offers still has its page, saying so.
    let sauna = site.text("/en/treatments/sauna/");
    assert!(sauna.contains("Nothing here yet."), "{sauna}");

    // The spa page links its treatments, named in the page language.
    let spa = site.page("/nb/spas/kurbad/");
    let a = main_link(&spa, "/nb/treatments/physiotherapy/").expect("treatment link");
    assert_eq!(text_of(a), "Fysioterapi");
    // Search finds the spa by its treatments' names.
    assert!(site.text("/nb/search.json").contains("fysioterapi"));
    let map = site.text("/sitemap.xml");
    assert!(map.contains("https://example.org/en/treatments/physiotherapy/"));
    assert!(map.contains("https://example.org/nb/spas/kind/rehabilitation/"));
}

#[test]
fn every_kind_in_use_has_a_page_and_its_schema_org_type() {
    let site = SiteTest::fixture("basic");
    site.write(
        "content/spas/tannlege.en.md",
        "+++\ntitle = \"Fjord Dental\"\ncluster = \"fjord\"\nlocation = \"alesund\"\nkind = \"dental-clinic\"\n+++\n\nA dental clinic.\n",
    );
    site.write(
        "content/spas/sykehus.en.md",
        "+++\ntitle = \"Fjord Hospital\"\ncluster = \"fjord\"\nlocation = \"alesund\"\nkind = \"hospital\"\ntreatments = [\"physiotherapy\"]\n+++\n\nA hospital.\n",
    );
    site.write(
        "content/spas/uni.en.md",
        "+++\ntitle = \"Fjord University\"\ncluster = \"fjord\"\nlocation = \"alesund\"\nkind = \"university\"\n+++\n\nA university.\n",
    );
    site.build().assert_ok();
    check_site(&site.out, "");
    for (slug, kind, ty) in [
        ("tannlege", "dental-clinic", "Dentist"),
        ("sykehus", "hospital", "Hospital"),
        ("uni", "university", "CollegeOrUniversity"),
        ("kurbad", "rehabilitation", "MedicalClinic"),
        ("solhotell", "spa-hotel", "HealthAndBeautyBusiness"),
    ] {
        let page = format!("/en/spas/kind/{kind}/");
        let doc = site.page(&page);
        assert!(
            main_link(&doc, &format!("/en/spas/{slug}/")).is_some(),
            "{page}: {:?}",
            main_links(&doc)
        );
        let spa = site.page(&format!("/en/spas/{slug}/"));
        assert!(ld_of_type(&spa, ty).is_some(), "{slug} is a {ty}");
        assert!(
            main_link(&spa, &page).is_some(),
            "{slug} links its kind page"
        );
    }
    // Kinds nobody is have no page; the index links those that do.
    assert!(!site.exists("/en/spas/kind/agency/"));
    let index = site.page("/en/spas/");
    assert!(main_link(&index, "/en/spas/kind/hospital/").is_some());
    let nb = site.text("/nb/spas/kind/dental-clinic/");
    assert!(nb.contains("<h1>Tannklinikk</h1>"), "{nb}");
    // A hospital's treatments are MedicalTherapy services.
    let h = ld_of_type(&site.page("/en/spas/sykehus/"), "Hospital").unwrap();
    assert_eq!(h["availableService"][0]["@type"], "MedicalTherapy", "{h}");
    assert_eq!(h["availableService"][0]["name"], "Physiotherapy", "{h}");
    // A university is not a local business: no opening hours or prices.
    let u = ld_of_type(&site.page("/en/spas/uni/"), "CollegeOrUniversity").unwrap();
    assert!(u.get("priceRange").is_none());
}

#[test]
fn the_facts_box_shows_practical_facts_in_the_readers_language() {
    let site = site_with_facts();
    site.build().assert_ok();
    check_site(&site.out, "");
    let doc = site.page("/nb/spas/kurbad/");
    let facts: String = doc.select(&sel(".facts")).map(text_of).collect();
    for want in [
        "Åpningstider",
        "mandag",
        "08:00–16:00",
        "08:00–12:00, 13:00–18:00",
        "lørdag",
        "Stengt",
        "NOK 900–2500",
        // Language codes by name in the reader's language; a name the
        // theme lacks in Norwegian is CLDR's Norwegian name.
        "norsk bokmål, engelsk, tysk, nordsamisk",
        "Trinnfri adkomst",
        "Teleslynge",
        "CARF",
        "HELFO",
    ] {
        assert!(facts.contains(want), "{want:?} not in {facts}");
    }
    let rows: Vec<String> = doc
        .select(&sel(".facts table.hours tr"))
        .map(text_of)
        .collect();
    // Three days of the usual week, one of the season.
    assert_eq!(rows.len(), 4, "{rows:?}");
    let hrefs: Vec<&str> = doc
        .select(&sel(".facts a[href]"))
        .filter_map(|a| a.attr("href"))
        .collect();
    assert!(hrefs.contains(&"tel:+4770011222"), "{hrefs:?}");
    assert!(
        hrefs.contains(&"mailto:post@kurbad.example.com"),
        "{hrefs:?}"
    );
    assert!(
        hrefs.contains(&"https://kurbad.example.com/book"),
        "{hrefs:?}"
    );
    // The English page has English day names.
    let en: String = site
        .page("/en/spas/kurbad/")
        .select(&sel(".facts"))
        .map(text_of)
        .collect();
    assert!(en.contains("Monday") && en.contains("Closed on"), "{en}");
}

/// `mailto:` query value, decoded.
fn decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            out.push(u8::from_str_radix(&s[i + 1..i + 3], 16).unwrap());
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

#[test]
fn the_enquiry_is_prefilled_in_the_readers_language_and_a_vcard_is_beside_it() {
    let site = site_with_facts();
    site.build().assert_ok();
    let doc = site.page("/nb/spas/kurbad/");
    let a = doc
        .select(&sel(".contact-actions a.button"))
        .next()
        .expect("an enquiry link");
    let href = a.attr("href").unwrap();
    let (to, query) = href
        .strip_prefix("mailto:")
        .and_then(|h| h.split_once('?'))
        .expect("mailto with a query");
    assert_eq!(to, "post@kurbad.example.com");
    let mut subject = None;
    let mut body = None;
    for part in query.split('&') {
        let (k, v) = part.split_once('=').unwrap();
        match k {
            "subject" => subject = Some(decode(v)),
            "body" => body = Some(decode(v)),
            _ => panic!("unexpected {k}"),
        }
    }
    assert_eq!(
        subject.as_deref(),
        Some("Forespørsel: Kurbadet rehabilitering")
    );
    let body = body.unwrap();
    assert!(
        body.contains("https://example.org/nb/spas/kurbad/"),
        "{body}"
    );
    assert!(body.contains("\r\n"), "CRLF line breaks: {body:?}");

    // A spa without an address of its own is asked through its cluster.
    let sol = site.page("/en/spas/solhotell/");
    let a = sol
        .select(&sel(".contact-actions a.button"))
        .next()
        .unwrap();
    assert!(
        a.attr("href")
            .unwrap()
            .starts_with("mailto:kari@fjord.example.com?")
    );
    assert_eq!(text_of(a), "Ask Fjord Health Cluster about this member");

    let vcf = site.text("/nb/spas/kurbad/kurbad.vcf");
    assert!(main_link(&doc, "/nb/spas/kurbad/kurbad.vcf").is_some());
    let lines: Vec<&str> = vcf.split("\r\n").collect();
    assert_eq!(lines[0], "BEGIN:VCARD");
    assert_eq!(lines[1], "VERSION:4.0");
    for want in [
        "FN:Kurbadet rehabilitering",
        "TEL;VALUE=uri;TYPE=work:tel:+4770011222",
        "EMAIL;TYPE=work:post@kurbad.example.com",
        "ADR;TYPE=work:;;Badeveien 2;Ålesund;;6003;Norge",
        "URL:https://example.org/nb/spas/kurbad/",
    ] {
        assert!(lines.contains(&want), "{want} not in {vcf}");
    }
    assert!(vcf.ends_with("END:VCARD\r\n"));
}

#[test]
fn structured_data_of_a_spa_is_json_ld_with_the_recommended_properties() {
    let site = site_with_facts();
    site.build().assert_ok();
    let en = json_ld(&site.page("/en/spas/kurbad/"));
    let nb = json_ld(&site.page("/nb/spas/kurbad/"));
    let spa = node_of(&en, "MedicalClinic");
    let spa_nb = node_of(&nb, "MedicalClinic");
    // One item, one @id, in every translation.
    assert_eq!(spa["@id"], "https://example.org/en/spas/kurbad/#item");
    assert_eq!(spa["@id"], spa_nb["@id"]);
    assert_eq!(spa["url"], "https://example.org/en/spas/kurbad/");
    for key in [
        "name",
        "address",
        "telephone",
        "url",
        "priceRange",
        "openingHoursSpecification",
    ] {
        assert!(spa.get(key).is_some(), "{key} missing: {spa}");
    }
    assert_eq!(spa["telephone"], "+47 700 11 222");
    assert_eq!(spa["priceRange"], "NOK 900–2500");
    assert_eq!(spa["currenciesAccepted"], "NOK");
    assert_eq!(spa["address"]["streetAddress"], "Badeveien 2");
    assert_eq!(
        spa["address"]["addressCountry"], "NO",
        "the ISO code, not `Norway`"
    );
    assert_eq!(
        spa["knowsLanguage"],
        serde_json::json!(["nb", "en", "de", "se"])
    );
    let services: Vec<&str> = spa["availableService"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            assert_eq!(s["@type"], "MedicalTherapy");
            s["name"].as_str().unwrap()
        })
        .collect();
    assert_eq!(services, ["Physiotherapy", "Hydrotherapy"]);
    // The specialty of the treatments that have one, once.
    assert_eq!(
        spa["medicalSpecialty"],
        serde_json::json!(["https://schema.org/Physiotherapy"])
    );
    assert_eq!(spa_nb["availableService"][0]["name"], "Fysioterapi");
    let features: Vec<&str> = spa["amenityFeature"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            assert_eq!(f["@type"], "LocationFeatureSpecification");
            assert_eq!(f["value"], true);
            f["name"].as_str().unwrap()
        })
        .collect();
    assert_eq!(features, ["Step-free access", "Hearing loop"]);
    let hours = spa["openingHoursSpecification"].as_array().unwrap();
    let week: Vec<(&str, &str, &str)> = hours
        .iter()
        .filter(|h| h.get("validFrom").is_none())
        .map(|h| {
            (
                h["dayOfWeek"].as_str().unwrap(),
                h["opens"].as_str().unwrap(),
                h["closes"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        week,
        [
            ("https://schema.org/Monday", "08:00", "16:00"),
            ("https://schema.org/Tuesday", "08:00", "12:00"),
            ("https://schema.org/Tuesday", "13:00", "18:00"),
            ("https://schema.org/Saturday", "00:00", "00:00"),
        ]
    );
    let season: Vec<&Value> = hours
        .iter()
        .filter(|h| h.get("dayOfWeek").is_some() && h.get("validFrom").is_some())
        .collect();
    assert_eq!(season.len(), 1);
    assert_eq!(season[0]["validFrom"], "2026-06-15");
    assert_eq!(season[0]["validThrough"], "2026-08-15");
    let closed: Vec<&Value> = hours
        .iter()
        .filter(|h| h.get("dayOfWeek").is_none())
        .collect();
    assert_eq!(closed.len(), 2);
    assert_eq!(closed[0]["validFrom"], "2026-12-24");
    assert_eq!(closed[0]["opens"], "00:00");
    assert_eq!(
        spa["potentialAction"]["target"],
        "https://kurbad.example.com/book"
    );

    // The cluster names the spa by the same @id, and the spa the cluster.
    let cluster = json_ld(&site.page("/nb/clusters/fjord/"));
    let org = node_of(&cluster, "Organization");
    assert_eq!(org["@id"], "https://example.org/en/clusters/fjord/#item");
    assert_eq!(spa["memberOf"]["@id"], org["@id"]);
    assert_eq!(org["address"]["addressCountry"], "NO");
    let members: Vec<&Value> = org["member"].as_array().unwrap().iter().collect();
    assert!(members.iter().any(|m| m["@id"] == spa["@id"]), "{org}");

    // Every node of these pages has a type and every @id is absolute.
    for page in [
        "/en/treatments/",
        "/en/treatments/physiotherapy/",
        "/en/spas/kind/rehabilitation/",
        "/nb/spas/kurbad/",
    ] {
        for n in json_ld(&site.page(page)) {
            assert!(n.get("@type").is_some(), "{page}: {n}");
            if let Some(id) = n.get("@id") {
                assert!(id.as_str().unwrap().starts_with("https://"), "{page}: {n}");
            }
        }
    }
    let therapy = json_ld(&site.page("/nb/treatments/physiotherapy/"));
    let t = node_of(&therapy, "MedicalTherapy");
    assert_eq!(
        t["@id"],
        "https://example.org/en/treatments/physiotherapy/#item"
    );
    assert_eq!(t["name"], "Fysioterapi");
}

/// A spa in the basic fixture's cluster, with the front matter given.
fn spa(title: &str, location: &str, treatments: &str) -> String {
    format!(
        "+++\ntitle = \"{title}\"\ndescription = \"{title}.\"\ncluster = \"fjord\"\nlocation = \"{location}\"\nkind = \"wellness-spa\"\ntreatments = [{treatments}]\n+++\n\n{title}.\n"
    )
}

fn related_site() -> SiteTest {
    let site = site_with_facts();
    site.write(
        "content/spas/fjordbad.en.md",
        spa("Fjordbad", "alesund", ""),
    );
    site.write(
        "content/spas/both.en.md",
        spa("Tartu Both", "tartu", "\"hydrotherapy\", \"physiotherapy\""),
    );
    site.write(
        "content/spas/water.en.md",
        spa("Tartu Water", "tartu", "\"hydrotherapy\""),
    );
    site.write(
        "content/spas/sauna.en.md",
        spa("Tartu Sauna", "tartu", "\"sauna\""),
    );
    site
}

/// The titles of a related-spas section of a page.
fn related(page: &scraper::Html, id: &str) -> Vec<String> {
    let sel =
        scraper::Selector::parse(&format!("section[aria-labelledby={id}] .item-title a")).unwrap();
    page.select(&sel)
        .map(|a| a.text().collect::<String>())
        .collect()
}

#[test]
fn a_spa_page_leads_on_to_its_neighbours_and_to_spas_with_the_same_treatments() {
    let site = related_site();
    site.build().assert_ok();
    let kurbad = site.page("/en/spas/kurbad/");
    assert_eq!(related(&kurbad, "h-nearby"), ["Fjordbad"]);
    // Most treatments in common first; a spa with none in common is not
    // there, nor the spa itself.
    assert_eq!(related(&kurbad, "h-similar"), ["Tartu Both", "Tartu Water"]);
    let heading = scraper::Selector::parse("#h-nearby").unwrap();
    let h: String = kurbad.select(&heading).next().unwrap().text().collect();
    assert_eq!(h, "More in Ålesund");
    // Fjordbad offers nothing listed: its town, and no second list.
    let fjordbad = site.page("/en/spas/fjordbad/");
    assert_eq!(related(&fjordbad, "h-nearby"), ["Kurbadet Rehabilitation"]);
    assert!(related(&fjordbad, "h-similar").is_empty());
    // In Norwegian, the list follows the fallback rules of every list.
    let nb = site.page("/nb/spas/kurbad/");
    assert_eq!(related(&nb, "h-nearby"), ["Fjordbad"]);
}

#[test]
fn serve_follows_a_neighbours_treatments() {
    let site = related_site();
    let mut serve = site.serve();
    serve.rebuild().assert_ok();
    serve.replace(
        "content/spas/sauna.en.md",
        "treatments = [\"sauna\"]",
        "treatments = [\"sauna\", \"physiotherapy\", \"hydrotherapy\"]",
    );
    serve.rebuild().assert_ok();
    let page = serve.text("/en/spas/kurbad/").unwrap();
    let doc = scraper::Html::parse_document(&page);
    assert_eq!(
        related(&doc, "h-similar"),
        ["Tartu Both", "Tartu Sauna", "Tartu Water"]
    );
    serve.assert_same_as_fresh();
}

#[test]
fn check_reports_what_each_member_lacks_and_listings_not_verified_for_too_long() {
    let site = site_with_facts();
    // Kurbadet was checked 400 days before the test time; Sun Spa Hotel
    // and the cluster never were.
    site.replace(
        "content/spas/kurbad.en.md",
        "booking = ",
        "verified = 2025-10-29\nbooking = ",
    );
    let checked = site.check_with(klynge::check::CheckOptions {
        stale: Some(365),
        ..Default::default()
    });
    checked.assert_ok();
    let text = checked.rendered();
    assert!(
        text.contains("content/spas/kurbad.en.md:12:1: warning: listing last verified 400 days ago (2025-10-29), more than the 365 days `--stale` allows"),
        "{text}"
    );
    assert!(text.contains("write `verified = 2026-12-03`"), "{text}");
    assert!(
        text.contains("2 listings are never verified: clusters/fjord, spas/solhotell"),
        "{text}"
    );
    // Without --stale, nothing is said about it.
    let quiet = site.check();
    assert!(
        !quiet.rendered().contains("verified"),
        "{}",
        quiet.rendered()
    );

    let report = checked.result.as_ref().unwrap();
    let row = |key: &str| {
        let r = report.completeness.iter().find(|r| r.key == key).unwrap();
        klynge::completeness::FACTS
            .iter()
            .zip(r.has)
            .filter(|(_, has)| !has)
            .map(|(f, _)| *f)
            .collect::<Vec<_>>()
    };
    assert_eq!(row("kurbad"), ["photo", "point"]);
    assert_eq!(
        row("solhotell"),
        [
            "address",
            "phone",
            "email",
            "photo",
            "hours",
            "languages",
            "treatments",
            "price",
            "point",
            "verified"
        ]
    );
    let table = klynge::completeness::table(&report.completeness);
    assert!(
        table.lines().last().unwrap().starts_with("missing"),
        "{table}"
    );

    // A recent check: no warning for it; the day shows in the facts box.
    site.replace("content/spas/kurbad.en.md", "2025-10-29", "2026-11-02");
    let checked = site.check_with(klynge::check::CheckOptions {
        stale: Some(365),
        ..Default::default()
    });
    assert!(
        !checked.rendered().contains("kurbad.en.md"),
        "{}",
        checked.rendered()
    );
    let built = site.build();
    built.assert_ok();
    assert!(
        site.text("/en/spas/kurbad/")
            .contains("<dt>Details checked</dt><dd><time datetime=\"2026-11-02\">")
    );
}

#[test]
fn a_verified_date_must_be_a_day() {
    let site = site_with_facts();
    site.replace(
        "content/spas/kurbad.en.md",
        "booking = ",
        "verified = 2026-11-02T10:00:00Z\nbooking = ",
    );
    let built = site.build();
    built.assert_err();
    assert!(
        built
            .rendered()
            .contains("`verified` is a day (e.g. `verified = 2026-05-04`)"),
        "{}",
        built.rendered()
    );
}

/// Kurbadet with two programmes, one with a Norwegian name.
const PROGRAMMES: &str = r#"
[[programmes]]
name = "Rehabilitation week"
names = { nb = "Rehabiliteringsuke" }
price = 12500
currency = "NOK"
nights = 7
treatments = ["physiotherapy", "hydrotherapy"]
description = "Daily physiotherapy and pool sessions."

[[programmes]]
name = "Pool session"
price = 450.5
currency = "NOK"
minutes = 90
"#;

#[test]
fn programmes_are_listed_with_prices_in_the_readers_language_and_offered_in_json_ld() {
    let site = SiteTest::fixture("basic");
    let kurbad = KURBAD.replacen("\n[hours]", &format!("{PROGRAMMES}\n[hours]"), 1);
    site.write("content/spas/kurbad.en.md", &kurbad);
    site.build().assert_ok();
    let nb = site.page("/nb/spas/kurbad/");
    let list: Vec<String> = nb
        .select(&sel(".programmes .programme-head"))
        .map(text_of)
        .collect();
    assert_eq!(list.len(), 2, "{list:?}");
    assert!(list[0].contains("Rehabiliteringsuke"), "{list:?}");
    assert!(list[0].contains("7 netter"), "{list:?}");
    assert!(list[1].contains("90 minutter"), "{list:?}");
    assert!(list[1].contains("450,50 NOK"), "{list:?}");
    let en = json_ld(&site.page("/en/spas/kurbad/"));
    let spa = node_of(&en, "MedicalClinic");
    let offers = spa["makesOffer"].as_array().expect("makesOffer");
    let week = offers
        .iter()
        .find(|o| o["itemOffered"]["name"] == "Rehabilitation week")
        .expect("the programme's offer");
    assert_eq!(week["price"], 12500.0);
    assert_eq!(week["priceCurrency"], "NOK");
    assert_eq!(week["@type"], "Offer");
}
