//! An event's facts from its translations: when (whole days, or times in
//! its IANA time zone, checked against the zone's daylight-saving rules),
//! where (a location, an address, a link to follow it online), who
//! organises it, how to register and what it costs.

use super::facts::{Input, cloned, link_url, price, spoken, typed};
use super::inherit::inherit;
use super::{EventFacts, EventWhen};
use crate::content::ContentFile;
use crate::content::frontmatter::FrontMatter;
use crate::diagnostic::Diagnostics;
use crate::time::Moment;
use jiff::tz::{AmbiguousOffset, TimeZone};

macro_rules! field {
    ($fr:expr, $name:ident, $diags:expr) => {
        inherit(&$fr, stringify!($name), |f| f.$name.as_ref(), $diags)
    };
}

pub(super) fn event_facts(input: &Input) -> Option<EventFacts> {
    let diags = input.diags;
    let fr = typed(input, |f| match f {
        FrontMatter::Event(e) => Some(e),
        _ => None,
    });
    let zone = match field!(fr, timezone, diags) {
        Some((name, file)) => Some((time_zone(name, file, diags)?, name.clone(), file)),
        None => None,
    };
    let Some((start, start_file)) = field!(fr, start, diags) else {
        input.missing("start");
        return None;
    };
    let end = field!(fr, end, diags);
    let when = when(start, start_file, end, zone.as_ref(), diags)?;
    let organiser = match field!(fr, organiser, diags) {
        Some((slug, file)) => Some(input.cluster_as(slug, file, "organiser")?),
        None => None,
    };
    let location = match field!(fr, location, diags) {
        Some((slug, file)) => Some(input.location(slug, file, "location")?),
        None => None,
    };
    let deadline = match field!(fr, registration_deadline, diags) {
        Some((dt, file)) => match Moment::from_toml("registration_deadline", dt) {
            Ok(m) => Some(m),
            Err(e) => {
                diags.push(
                    file.source
                        .error_at_written("registration_deadline", e.message)
                        .with_hint(e.hint),
                );
                return None;
            }
        },
        None => None,
    };
    Some(EventFacts {
        when,
        timezone: zone.map(|(_, name, _)| name),
        location,
        address: cloned(field!(fr, address, diags)),
        online: link_url(field!(fr, online, diags), "online", diags),
        organiser,
        registration: link_url(field!(fr, registration, diags), "registration", diags),
        deadline,
        price: price(field!(fr, price, diags), diags),
        languages: spoken(field!(fr, languages, diags), diags),
        status: field!(fr, status, diags)
            .map(|(s, _)| *s)
            .unwrap_or_default(),
    })
}

/// An IANA time zone by name, from the bundled database.
fn time_zone(name: &str, file: &ContentFile, diags: &Diagnostics) -> Option<TimeZone> {
    if let Ok(tz) = TimeZone::get(name) {
        return Some(tz);
    }
    diags.push(
        file.source
            .error_at_value(
                "timezone",
                name,
                format!("`{name}` is not a time zone of the IANA database"),
            )
            .with_hint(
                "write the zone of the place as Area/City, e.g. `Europe/Istanbul`, `Europe/Tallinn`, `Europe/Oslo`",
            ),
    );
    None
}

/// `start` and `end`: both dates (an all-day event, `end` its last day) or
/// both times. A time is written with its UTC offset, which must be the
/// zone's offset at that moment (so a slip across a daylight-saving change
/// is caught), or without one, to be read in the zone.
fn when(
    start: &toml::value::Datetime,
    start_file: &ContentFile,
    end: Option<(&toml::value::Datetime, &ContentFile)>,
    zone: Option<&(TimeZone, String, &ContentFile)>,
    diags: &Diagnostics,
) -> Option<EventWhen> {
    let day = |key: &str, dt: &toml::value::Datetime, file: &ContentFile| {
        match crate::content::Date::from_toml(dt) {
            Ok(d) => Some(d),
            Err(msg) => {
                diags.push(file.source.error_at_written(key, msg));
                None
            }
        }
    };
    if start.time.is_none() {
        let first = day("start", start, start_file)?;
        let last = match end {
            None => first,
            Some((e, file)) if e.time.is_some() => {
                diags.push(
                    file.source
                        .error_at_written("end", format!("`start` is a date but `end = {e}` has a time"))
                        .with_hint(format!("for an all-day event write the last day, e.g. `end = {}`; for a timed one give `start` a time too", first.iso())),
                );
                return None;
            }
            Some((e, file)) => {
                let last = day("end", e, file)?;
                if last < first {
                    diags.push(
                        file.source
                            .error_at_written(
                                "end",
                                format!(
                                    "the event ends ({}) before it starts ({})",
                                    last.iso(),
                                    first.iso()
                                ),
                            )
                            .with_hint(
                                "`end` is the last day of the event: write it on or after `start`",
                            ),
                    );
                    return None;
                }
                last
            }
        };
        return Some(EventWhen::Days { first, last });
    }
    let Some((tz, name, _)) = zone else {
        diags.push(
            start_file
                .source
                .error_at_written("start", "an event with a time of day needs its `timezone`")
                .with_hint("add the IANA zone of the place, e.g. `timezone = \"Europe/Istanbul\"`, so readers see the times as held there"),
        );
        return None;
    };
    let start_ts = instant("start", start, start_file, tz, name, diags)?;
    let end_ts = match end {
        None => start_ts,
        Some((e, file)) if e.time.is_none() => {
            diags.push(
                file.source
                    .error_at_written(
                        "end",
                        format!("`start` has a time but `end = {e}` is a date"),
                    )
                    .with_hint("give `end` a time too, e.g. `end = 2026-03-29T17:00:00`"),
            );
            return None;
        }
        Some((e, file)) => {
            let ts = instant("end", e, file, tz, name, diags)?;
            if ts < start_ts {
                diags.push(
                    file.source
                        .error_at_written(
                            "end",
                            format!("the event ends ({e}) before it starts ({start})"),
                        )
                        .with_hint("write the end time after the start time"),
                );
                return None;
            }
            ts
        }
    };
    Some(EventWhen::Timed {
        start: start_ts,
        end: end_ts,
    })
}

/// A TOML date-time in zone `tz` as an instant, checked.
fn instant(
    key: &str,
    dt: &toml::value::Datetime,
    file: &ContentFile,
    tz: &TimeZone,
    name: &str,
    diags: &Diagnostics,
) -> Option<jiff::Timestamp> {
    let error = |msg: String, hint: String| {
        diags.push(file.source.error_at_written(key, msg).with_hint(hint));
        None
    };
    if dt.offset.is_some() {
        let Moment::At(stamp) = Moment::from_toml(key, dt).ok()? else {
            return None;
        };
        let zone_offset = tz.to_offset(stamp.ts);
        if zone_offset != stamp.offset {
            // The wall-clock time as written, with the zone's offset.
            let written = stamp.local();
            return error(
                format!(
                    "`{key} = {dt}`: {name} is at {} then, not {}",
                    crate::time::offset_text(zone_offset),
                    stamp.offset_text()
                ),
                format!(
                    "write the offset the zone has on that day (`{key} = {}{}`), or leave the offset out and klynge reads the time in {name}",
                    written.strftime("%Y-%m-%dT%H:%M:%S"),
                    crate::time::offset_rfc3339(zone_offset)
                ),
            );
        }
        return Some(stamp.ts);
    }
    let date = crate::content::Date::from_toml(dt).ok()?;
    let time = dt.time?;
    let local = crate::time::jiff_date(date)?.to_datetime(
        jiff::civil::Time::new(
            time.hour as i8,
            time.minute as i8,
            time.second.unwrap_or(0) as i8,
            0,
        )
        .ok()?,
    );
    let ambiguous = tz.to_ambiguous_timestamp(local);
    match ambiguous.offset() {
        AmbiguousOffset::Unambiguous { offset } => offset.to_timestamp(local).ok(),
        AmbiguousOffset::Gap { before, after } => error(
            format!(
                "`{key} = {dt}` does not exist in {name}: the clocks go forward from {} to {} that night",
                crate::time::offset_text(before),
                crate::time::offset_text(after)
            ),
            "choose a time before or after the change".into(),
        ),
        AmbiguousOffset::Fold { before, after } => error(
            format!(
                "`{key} = {dt}` happens twice in {name}: the clocks go back from {} to {} that night",
                crate::time::offset_text(before),
                crate::time::offset_text(after)
            ),
            format!(
                "add the offset to say which: `{key} = {dt}{}` (the first) or `{key} = {dt}{}` (the second)",
                crate::time::offset_rfc3339(before),
                crate::time::offset_rfc3339(after)
            ),
        ),
    }
}
