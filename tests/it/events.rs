//! Events: all-day, timed, multi-day, in other time zones and across a
//! daylight-saving change; upcoming and past split at a fixed build time;
//! the pages, the lists that show them, schema.org `Event` parsed as
//! JSON-LD, and the iCalendar files parsed by a real iCalendar parser.

use crate::support::html::json_ld;
use crate::support::*;
use icalendar::parser::{Component, read_calendar, unfold};
use klynge::time::BuildTime;

/// Three days at Kurbadet, free with registration.
const OPEN_DAYS: &str = r#"+++
title = "Open days at Kurbadet"
description = "Three days to see the pools; bring a towel, a swimsuit; and a friend."
start = 2026-03-27
end = 2026-03-29
timezone = "Europe/Oslo"
location = "alesund"
address = { street = "Badeveien 2", city = "Ålesund", country = "Norway" }
organiser = "fjord"
registration = "https://kurbad.example.com/open-days"
registration_deadline = 2026-03-20
price = { currency = "NOK", from = 0 }
languages = ["nb", "en"]
+++

Come and see the new pool.
"#;

/// The night Norway's clocks go forward: 02:00 becomes 03:00, so from
/// 01:30 to 04:00 is an hour and a half.
const NIGHT_SWIM: &str = r#"+++
title = "Night swim into summer time"
start = 2026-03-29T01:30:00
end = 2026-03-29T04:00:00
timezone = "Europe/Oslo"
location = "alesund"
organiser = "fjord"
+++

Swim through the change to summer time.
"#;

/// In Tartu, three hours ahead of UTC in June, and online too.
const WEBINAR: &str = r#"+++
title = "Rehabilitation webinar"
start = 2026-06-10T10:00:00+03:00
end = 2026-06-10T12:30:00+03:00
timezone = "Europe/Tallinn"
location = "tartu"
online = "https://meet.example.com/rehab"
price = { currency = "EUR", from = 25 }
+++

Two hours and a half on rehabilitation after surgery.
"#;

const PAST_FAIR: &str = r#"+++
title = "Health fair 2025"
start = 2025-05-01
timezone = "Europe/Oslo"
location = "alesund"
organiser = "fjord"
+++

The fair of last spring.
"#;

fn site() -> SiteTest {
    let site = SiteTest::fixture("basic");
    site.write("content/events/open-days.en.md", OPEN_DAYS);
    site.write("content/events/night-swim.en.md", NIGHT_SWIM);
    site.write("content/events/webinar.en.md", WEBINAR);
    // A translation with only its title: the facts come from the English.
    site.write(
        "content/events/webinar.nb.md",
        "+++\ntitle = \"Webinar om rehabilitering\"\n+++\n\nTo og en halv time om rehabilitering.\n",
    );
    site.write("content/events/past-fair.en.md", PAST_FAIR);
    site
}

fn build_at(site: &SiteTest, now: &str) {
    site.build_with(|a| a.now = Some(BuildTime::parse(now).unwrap()))
        .assert_ok();
}

fn titles_in(doc: &scraper::Html, section: &str) -> Vec<String> {
    doc.select(&sel(&format!(
        "section[aria-labelledby='{section}'] .item-list a"
    )))
    .map(text_of)
    .filter(|t| !t.is_empty())
    .collect()
}

#[test]
fn the_event_list_shows_upcoming_events_soonest_first_then_past_ones() {
    let site = site();
    // The open days have begun and are not over: still upcoming.
    build_at(&site, "2026-03-28T12:00:00Z");
    let doc = site.page("/en/events/");
    assert_eq!(
        titles_in(&doc, "h-upcoming"),
        [
            "Open days at Kurbadet",
            "Night swim into summer time",
            "Rehabilitation webinar"
        ]
    );
    assert_eq!(titles_in(&doc, "h-past"), ["Health fair 2025"]);
    // The home, the organiser's and the location's pages list what is to come.
    let home = site.page("/en/");
    assert_eq!(titles_in(&home, "h-events").len(), 3);
    let cluster = site.page("/en/clusters/fjord/");
    assert_eq!(
        titles_in(&cluster, "h-events"),
        ["Open days at Kurbadet", "Night swim into summer time"]
    );
    let tartu = site.page("/en/locations/tartu/");
    assert_eq!(titles_in(&tartu, "h-events"), ["Rehabilitation webinar"]);
    // A day later the open days are over.
    build_at(&site, "2026-03-29T22:00:00Z");
    let doc = site.page("/en/events/");
    assert_eq!(titles_in(&doc, "h-upcoming"), ["Rehabilitation webinar"]);
    assert_eq!(
        titles_in(&doc, "h-past"),
        [
            "Night swim into summer time",
            "Open days at Kurbadet",
            "Health fair 2025"
        ]
    );
    assert!(titles_in(&site.page("/en/clusters/fjord/"), "h-events").is_empty());
    // The nav links the list; the sitemap lists it and every event page.
    assert!(main_links(&doc).iter().any(|h| h == "/en/events.ics"));
    // The search index has each event, marked as one.
    let search = site.text("/en/search.json");
    assert!(
        search.contains("\"u\":\"/en/events/night-swim/\",\"k\":\"e\""),
        "{search}"
    );
    let sitemap = site.text("/sitemap.xml");
    for p in [
        "/en/events/",
        "/nb/events/",
        "/en/events/night-swim/",
        "/nb/events/webinar/",
    ] {
        assert!(
            sitemap.contains(&format!("<loc>https://example.org{p}</loc>")),
            "{p}"
        );
    }
}

#[test]
fn times_are_shown_in_the_events_zone_across_a_daylight_saving_change() {
    let site = site();
    build_at(&site, "2026-01-01T00:00:00Z");
    let when = |url: &str| {
        let doc = site.page(url);
        let t = doc.select(&sel("main dd time")).next().expect("a time");
        (t.attr("datetime").unwrap().to_string(), text_of(t))
    };
    assert_eq!(
        when("/en/events/open-days/"),
        ("2026-03-27".into(), "27 March 2026 – 29 March 2026".into())
    );
    assert_eq!(
        when("/en/events/night-swim/"),
        (
            "2026-03-29T01:30:00+01:00".into(),
            "29 March 2026, 01:30 (UTC+01:00) – 29 March 2026, 04:00 (UTC+02:00)".into()
        )
    );
    assert_eq!(
        when("/en/events/webinar/").1,
        "10 June 2026, 10:00 (UTC+03:00) – 12:30"
    );
    // In Norwegian, with the facts of the English translation.
    let nb = site.page("/nb/events/webinar/");
    let text = text_of(nb.select(&sel("main .facts")).next().unwrap());
    assert!(
        text.contains("10. juni 2026 kl. 10:00 (UTC+03:00) – 12:30"),
        "{text}"
    );
    assert!(text.contains("Europe/Tallinn"), "{text}");
    assert!(text.contains("https://meet.example.com/rehab"), "{text}");
}

#[test]
fn an_event_page_carries_a_schema_org_event() {
    let site = site();
    build_at(&site, "2026-01-01T00:00:00Z");
    let event = |url: &str| {
        json_ld(&site.page(url))
            .into_iter()
            .find(|n| n["@type"] == "Event")
            .unwrap_or_else(|| panic!("no Event on {url}"))
    };
    let open = event("/en/events/open-days/");
    assert_eq!(open["startDate"], "2026-03-27");
    assert_eq!(open["endDate"], "2026-03-29");
    assert_eq!(open["eventStatus"], "https://schema.org/EventScheduled");
    assert_eq!(
        open["eventAttendanceMode"],
        "https://schema.org/OfflineEventAttendanceMode"
    );
    assert_eq!(open["location"]["@type"], "Place");
    assert_eq!(open["location"]["address"]["streetAddress"], "Badeveien 2");
    assert_eq!(open["location"]["geo"]["latitude"], 62.472);
    assert_eq!(open["organizer"]["name"], "Fjord Health Cluster");
    assert_eq!(open["offers"]["price"], 0.0);
    assert_eq!(open["offers"]["priceCurrency"], "NOK");
    assert_eq!(
        open["offers"]["url"],
        "https://kurbad.example.com/open-days"
    );
    assert_eq!(open["offers"]["validThrough"], "2026-03-20");
    assert_eq!(open["inLanguage"], serde_json::json!(["nb", "en"]));
    let night = event("/en/events/night-swim/");
    assert_eq!(night["startDate"], "2026-03-29T01:30:00+01:00");
    assert_eq!(night["endDate"], "2026-03-29T04:00:00+02:00");
    let web = event("/nb/events/webinar/");
    assert_eq!(
        web["eventAttendanceMode"],
        "https://schema.org/MixedEventAttendanceMode"
    );
    let kinds: Vec<&str> = web["location"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["@type"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["Place", "VirtualLocation"]);
    // The same node in both languages.
    assert_eq!(web["@id"], event("/en/events/webinar/")["@id"]);
}

/// The VEVENTs of a calendar file, after checking its lines: CRLF only,
/// none over 75 octets, and a real parser reads it.
fn vevents(text: &str) -> Vec<Component<'static>> {
    assert!(!text.replace("\r\n", "").contains('\n'), "bare LF");
    for line in text.split_terminator("\r\n") {
        assert!(line.len() <= 75, "{} octets: {line}", line.len());
    }
    let unfolded: &'static str = Box::leak(unfold(text).into_boxed_str());
    let cal = read_calendar(unfolded).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        cal.properties
            .iter()
            .find(|p| p.name == "VERSION")
            .unwrap()
            .val
            .as_str(),
        "2.0"
    );
    // The typed reading too: every event has a start.
    let typed: icalendar::Calendar = text.parse().expect("icalendar reads it");
    for c in &typed.components {
        if let icalendar::CalendarComponent::Event(e) = c {
            use icalendar::Component as _;
            assert!(e.get_start().is_some(), "{:?}", e.get_summary());
        }
    }
    cal.components
        .into_iter()
        .filter(|c| c.name == "VEVENT")
        .collect()
}

fn prop<'c>(c: &'c Component, name: &str) -> &'c str {
    c.find_prop(name)
        .unwrap_or_else(|| panic!("no {name}"))
        .val
        .as_str()
}

#[test]
fn calendars_are_valid_icalendar_in_utc_with_stable_uids() {
    let site = site();
    build_at(&site, "2026-01-01T09:30:00+01:00");
    let all = vevents(&site.text("/en/events.ics"));
    let summaries: Vec<&str> = all.iter().map(|e| prop(e, "SUMMARY")).collect();
    assert_eq!(
        summaries,
        [
            "Open days at Kurbadet",
            "Night swim into summer time",
            "Rehabilitation webinar",
            "Health fair 2025"
        ]
    );
    let open = &all[0];
    assert_eq!(prop(open, "UID"), "open-days@example.org");
    assert_eq!(prop(open, "DTSTAMP"), "20260101T083000Z");
    assert_eq!(prop(open, "DTSTART"), "20260327");
    // DTEND of a day event is the day after its last.
    assert_eq!(prop(open, "DTEND"), "20260330");
    // , and ; are escaped in the file, and the parser gives them back.
    assert_eq!(
        prop(open, "DESCRIPTION"),
        "Three days to see the pools; bring a towel, a swimsuit; and a friend."
    );
    assert!(unfold(&site.text("/en/events.ics")).contains("pools\\; bring a towel\\, a"));
    let night = &all[1];
    // 01:30 at UTC+1 and 04:00 at UTC+2: an hour and a half in UTC.
    assert_eq!(prop(night, "DTSTART"), "20260329T003000Z");
    assert_eq!(prop(night, "DTEND"), "20260329T020000Z");
    assert_eq!(prop(&all[2], "DTSTART"), "20260610T070000Z");
    // The event's own file, linked from its page, has the same event.
    let one = vevents(&site.text("/en/events/night-swim/night-swim.ics"));
    assert_eq!(one.len(), 1);
    assert_eq!(prop(&one[0], "UID"), "night-swim@example.org");
    let doc = site.page("/en/events/night-swim/");
    assert!(main_links(&doc).contains(&"/en/events/night-swim/night-swim.ics".to_string()));
    // In Norwegian: the fallback translations of the others, one UID each.
    let nb = vevents(&site.text("/nb/events.ics"));
    assert_eq!(prop(&nb[2], "SUMMARY"), "Webinar om rehabilitering");
    assert_eq!(prop(&nb[2], "UID"), "webinar@example.org");
    // The same inputs and build time give the same bytes.
    let first = site.text("/en/events.ics");
    build_at(&site, "2026-01-01T09:30:00+01:00");
    assert_eq!(site.text("/en/events.ics"), first);
}
