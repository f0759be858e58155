//! iCalendar files (RFC 5545): one beside each event page, for "add to
//! calendar", and one per language with every event, to subscribe to.
//! Times are written in UTC (no VTIMEZONE to keep in step with the
//! database), all-day events as dates; lines end in CRLF and are folded
//! at 75 octets; the UID is the event's key at the site's host, the same
//! in every build, and DTSTAMP is the build time.

use super::deps::Dep;
use super::{OutputFile, Renderer};
use crate::config::Lang;
use crate::content::Kind;
use crate::route::Route;
use crate::site::{EventFacts, EventWhen, Item, Translation};
use crate::time::ics_utc;

/// The calendar file of `item`'s translation in `lang`.
pub fn event_file(r: &Renderer, item: &Item, lang: &Lang) -> Option<OutputFile> {
    let t = item.translation_in(lang)?;
    r.read(Dep::Text(item.id, r.lang_ix(lang)));
    r.read(Dep::Pages(item.id));
    let f = match r.facts(item) {
        crate::site::Facts::Event(f) => f,
        _ => return None,
    };
    let mut lines = Vec::new();
    vevent(r, item, t, f, &mut lines);
    let route = Route::EventIcs(lang.clone(), t.slug.clone());
    Some(OutputFile {
        path: r.site.config.file(&route),
        bytes: calendar(&t.title, lang, lines).into_bytes(),
    })
}

/// Every event of the site in `lang` (or its fallback translation).
pub fn language_file(r: &Renderer, lang: &Lang) -> OutputFile {
    let c = &r.site.config;
    for i in r.items_of(Kind::Event) {
        r.read(Dep::Facts(i.id));
    }
    let mut lines = Vec::new();
    for id in r.site.events_in_order() {
        let item = r.site.item(id);
        if let (Some(t), crate::site::Facts::Event(f)) =
            (r.translation_for(item, lang), &item.facts)
        {
            vevent(r, item, t, f, &mut lines);
        }
    }
    let site_title = c.language(lang).map_or("", |l| l.title.as_str());
    let name = format!("{site_title} – {}", r.calendar_text(lang, "events"));
    OutputFile {
        path: c.file(&Route::EventsIcs(lang.clone())),
        bytes: calendar(&name, lang, lines).into_bytes(),
    }
}

/// A whole VCALENDAR around `events` (unfolded content lines).
fn calendar(name: &str, lang: &Lang, events: Vec<String>) -> String {
    let mut lines = vec![
        "BEGIN:VCALENDAR".to_string(),
        "VERSION:2.0".to_string(),
        "PRODID:-//klynge//klynge static site generator//EN".to_string(),
        "CALSCALE:GREGORIAN".to_string(),
        "METHOD:PUBLISH".to_string(),
        format!("X-WR-CALNAME;LANGUAGE={lang}:{}", text(name)),
    ];
    lines.extend(events);
    lines.push("END:VCALENDAR".to_string());
    let mut out = String::new();
    for l in &lines {
        fold_into(l, &mut out);
    }
    out
}

fn vevent(r: &Renderer, item: &Item, t: &Translation, f: &EventFacts, out: &mut Vec<String>) {
    let c = &r.site.config;
    let host = c
        .base_url
        .split_once("://")
        .map_or(c.base_url.as_str(), |(_, rest)| rest);
    let host = host.split('/').next().unwrap_or(host);
    out.push("BEGIN:VEVENT".into());
    out.push(format!("UID:{}@{host}", text(&item.key)));
    out.push(format!("DTSTAMP:{}", c.now.ics()));
    match f.when {
        EventWhen::Days { first, last } => {
            let d = |d: crate::content::Date| format!("{:04}{:02}{:02}", d.year, d.month, d.day);
            out.push(format!("DTSTART;VALUE=DATE:{}", d(first)));
            // DTEND is exclusive: the day after the last.
            out.push(format!(
                "DTEND;VALUE=DATE:{}",
                d(crate::time::next_day(last))
            ));
        }
        EventWhen::Timed { start, end } => {
            out.push(format!("DTSTART:{}", ics_utc(start)));
            if end > start {
                out.push(format!("DTEND:{}", ics_utc(end)));
            }
        }
    }
    out.push(format!("SUMMARY;LANGUAGE={}:{}", t.lang, text(&t.title)));
    let description = t.description.as_deref().unwrap_or(&t.body.summary);
    if !description.is_empty() {
        out.push(format!(
            "DESCRIPTION;LANGUAGE={}:{}",
            t.lang,
            text(description)
        ));
    }
    let mut place: Vec<String> = Vec::new();
    if let Some(l) = f.location {
        place.push(
            r.site
                .location(l)
                .record
                .name_in(t.lang.as_str())
                .to_string(),
        );
    }
    if let Some(a) = &f.address {
        place.extend(
            [&a.street, &a.postal_code, &a.city, &a.country]
                .into_iter()
                .flatten()
                .cloned(),
        );
    }
    place.dedup();
    if !place.is_empty() {
        out.push(format!("LOCATION:{}", text(&place.join(", "))));
    } else if let Some(u) = &f.online {
        out.push(format!("LOCATION:{}", text(u)));
    }
    out.push(format!("URL:{}", c.absolute(&t.path)));
    out.push(format!("STATUS:{}", f.status.ics()));
    out.push("END:VEVENT".into());
}

/// A TEXT value escaped (RFC 5545, 3.3.11): backslash, `;`, `,` and
/// line breaks.
pub fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// Appends `line` folded at 75 octets (never inside a UTF-8 character),
/// each piece ended by CRLF, each continuation started by a space.
pub fn fold_into(line: &str, out: &mut String) {
    let mut rest = line;
    let mut limit = 75;
    loop {
        if rest.len() <= limit {
            out.push_str(rest);
            out.push_str("\r\n");
            return;
        }
        let mut cut = limit;
        while !rest.is_char_boundary(cut) {
            cut -= 1;
        }
        out.push_str(&rest[..cut]);
        out.push_str("\r\n ");
        rest = &rest[cut..];
        // The leading space counts towards the next line's 75.
        limit = 74;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_and_lines_fold_at_75_octets() {
        assert_eq!(text("a, b; c\\d\ne"), "a\\, b\\; c\\\\d\\ne");
        let long = format!("SUMMARY:{}", "İzmir sağlık turizmi ".repeat(8));
        let mut out = String::new();
        fold_into(&long, &mut out);
        for l in out.split_terminator("\r\n") {
            assert!(l.len() <= 75, "{} octets: {l}", l.len());
        }
        assert!(!out.replace("\r\n", "").contains('\n'));
        // Unfolding gives the line back.
        assert_eq!(out.trim_end_matches("\r\n").replace("\r\n ", ""), long);
    }
}
