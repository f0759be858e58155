//! Time: the one build time every "today" of a build comes from, and the
//! moments content gives (a day, or an instant with the UTC offset it was
//! written with). Time zones and their daylight-saving rules come from
//! jiff's bundled copy of the IANA database, so a build gives the same
//! bytes on every machine whatever its own zone files say.

use crate::content::Date;
use jiff::Timestamp;
use jiff::tz::{Offset, TimeZone};

/// When the build happens, fixed once: `--now`, else `SOURCE_DATE_EPOCH`,
/// else the clock when the build starts. Everything that depends on
/// today (upcoming or past events, scheduled items, calendars' DTSTAMP)
/// reads this, so a build is reproducible from its inputs and this value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct BuildTime(Timestamp);

/// The environment variable of reproducible builds
/// (reproducible-builds.org): seconds since 1970-01-01 UTC.
pub const SOURCE_DATE_EPOCH: &str = "SOURCE_DATE_EPOCH";

impl BuildTime {
    /// From an RFC 3339 instant (`2026-12-03T12:00:00Z`, `…+03:00`).
    pub fn parse(text: &str) -> Result<BuildTime, String> {
        text.trim().parse::<Timestamp>().map(BuildTime).map_err(|_| {
            format!(
                "`{text}` is not an RFC 3339 time: write e.g. `2026-12-03T12:00:00Z` or `2026-12-03T15:00:00+03:00`"
            )
        })
    }

    /// From whole seconds since 1970-01-01 UTC, as `SOURCE_DATE_EPOCH` gives.
    pub fn from_epoch(text: &str) -> Result<BuildTime, String> {
        text.trim()
            .parse::<i64>()
            .ok()
            .and_then(|s| Timestamp::from_second(s).ok())
            .map(BuildTime)
            .ok_or_else(|| {
                format!("{SOURCE_DATE_EPOCH}=`{text}` is not a number of seconds since 1970-01-01")
            })
    }

    /// The clock, to the second (finer would only make output differ more).
    pub fn clock() -> BuildTime {
        let now = Timestamp::now();
        BuildTime(Timestamp::from_second(now.as_second()).unwrap_or(now))
    }

    /// `--now` if given, else `SOURCE_DATE_EPOCH` if set, else the clock.
    pub fn resolve(now: Option<&str>) -> Result<BuildTime, String> {
        if let Some(text) = now {
            return BuildTime::parse(text);
        }
        match std::env::var(SOURCE_DATE_EPOCH) {
            Ok(v) if !v.trim().is_empty() => BuildTime::from_epoch(&v),
            _ => Ok(BuildTime::clock()),
        }
    }

    pub fn timestamp(self) -> Timestamp {
        self.0
    }

    /// `2026-12-03T12:00:00Z`.
    pub fn rfc3339(self) -> String {
        self.0.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
    }

    /// `20261203T120000Z`, as iCalendar writes a UTC time.
    pub fn ics(self) -> String {
        ics_utc(self.0)
    }
}

/// An instant as iCalendar writes it in UTC: `20261203T120000Z`.
pub fn ics_utc(ts: Timestamp) -> String {
    ts.strftime("%Y%m%dT%H%M%SZ").to_string()
}

/// An instant and the UTC offset it is shown with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Stamp {
    pub ts: Timestamp,
    pub offset: Offset,
}

impl Stamp {
    /// The wall-clock date and time at `offset`.
    pub fn local(&self) -> jiff::civil::DateTime {
        self.offset.to_datetime(self.ts)
    }

    pub fn date(&self) -> Date {
        civil_date(self.local().date())
    }

    /// `2016-02-23T15:32:00+02:00`.
    pub fn rfc3339(&self) -> String {
        self.ts
            .to_zoned_datetime(TimeZone::fixed(self.offset))
            .strftime("%Y-%m-%dT%H:%M:%S%:z")
            .to_string()
    }

    /// `15:32`.
    pub fn hhmm(&self) -> String {
        self.local().strftime("%H:%M").to_string()
    }

    /// `UTC+02:00`, `UTC`.
    pub fn offset_text(&self) -> String {
        offset_text(self.offset)
    }
}

/// `+03:00`, `-04:00`, `+00:00`: as RFC 3339 and TOML write an offset.
pub fn offset_rfc3339(offset: Offset) -> String {
    let s = offset.seconds();
    let sign = if s < 0 { '-' } else { '+' };
    let m = s.unsigned_abs() / 60;
    format!("{sign}{:02}:{:02}", m / 60, m % 60)
}

pub fn offset_text(offset: Offset) -> String {
    let s = offset.seconds();
    if s == 0 {
        return "UTC".into();
    }
    let sign = if s < 0 { '-' } else { '+' };
    let m = s.unsigned_abs() / 60;
    format!("UTC{sign}{:02}:{:02}", m / 60, m % 60)
}

/// A news item's date or an item's schedule: a whole day, or an instant;
/// or, for news whose source names no day, a month (kept as its first day).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Moment {
    Month(Date),
    Day(Date),
    At(Stamp),
}

/// Why a TOML value is not a [`Moment`]: the message and what to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeError {
    pub message: String,
    pub hint: String,
}

impl Moment {
    /// From a TOML date (`2016-02-23`) or offset date-time
    /// (`2016-02-23T15:32:00+02:00`). A local date-time is refused: the
    /// same wall-clock time is a different instant in every zone.
    pub fn from_toml(key: &str, dt: &toml::value::Datetime) -> Result<Moment, TimeError> {
        let date = Date::from_toml(dt).map_err(|message| TimeError {
            message,
            hint: format!("write a date (`{key} = 2016-02-23`) or a date and time with its UTC offset (`{key} = 2016-02-23T15:32:00+02:00`)"),
        })?;
        let Some(time) = dt.time else {
            return Ok(Moment::Day(date));
        };
        let Some(offset) = dt.offset else {
            return Err(TimeError {
                message: format!(
                    "`{key} = {dt}` is a local time with no UTC offset, so it is a different moment in every time zone"
                ),
                hint: format!(
                    "add the offset of the place, e.g. `{key} = {dt}+02:00` (or `Z` for UTC), or write only the date: `{key} = {}`",
                    date.iso()
                ),
            });
        };
        let minutes = match offset {
            toml::value::Offset::Z => 0,
            toml::value::Offset::Custom { minutes } => i32::from(minutes),
        };
        let bad = |message: String| TimeError {
            message,
            hint: format!("write e.g. `{key} = 2016-02-23T15:32:00+02:00`"),
        };
        let offset = Offset::from_seconds(minutes * 60)
            .map_err(|_| bad(format!("`{dt}`: the UTC offset is out of range")))?;
        let local = jiff_date(date)
            .and_then(|d| {
                jiff::civil::Time::new(
                    time.hour as i8,
                    time.minute as i8,
                    time.second.unwrap_or(0) as i8,
                    0,
                )
                .ok()
                .map(|t| d.to_datetime(t))
            })
            .ok_or_else(|| bad(format!("`{dt}` is not a time of day")))?;
        let ts = offset
            .to_timestamp(local)
            .map_err(|_| bad(format!("`{dt}` is out of range")))?;
        Ok(Moment::At(Stamp { ts, offset }))
    }

    /// A date as written: a TOML date or date-time, or a month in quotes
    /// (`"2011-01"`).
    pub fn from_written(key: &str, w: &crate::content::date::Written) -> Result<Moment, TimeError> {
        match w {
            crate::content::date::Written::Datetime(dt) => Moment::from_toml(key, dt),
            crate::content::date::Written::Text(text) => Moment::month(key, text),
        }
    }

    /// A year and month, `2011-01`: four digits, a dash, two digits.
    fn month(key: &str, text: &str) -> Result<Moment, TimeError> {
        let hint = format!(
            "write the year first: `{key} = 2011-01-15`, or only the year and month when the source gives no day: `{key} = \"2011-01\"`"
        );
        let err = |message: String| TimeError {
            message,
            hint: hint.clone(),
        };
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        let Some((y, m)) = text.split_once('-').filter(|(y, m)| digits(y) && digits(m)) else {
            return Err(err(format!(
                "`\"{text}\"` is not a date: write the year first, or a month as `\"2011-01\"`"
            )));
        };
        if y.len() != 4 || m.len() != 2 {
            return Err(TimeError {
                message: format!(
                    "`\"{text}\"`: a month is written with a four-digit year and a two-digit month"
                ),
                hint: format!("write `{key} = \"{y:0>4}-{m:0>2}\"`"),
            });
        }
        let (year, month) = (y.parse().unwrap_or(0), m.parse().unwrap_or(0));
        if !(1..=12).contains(&month) {
            return Err(err(format!(
                "`\"{text}\"`: there is no month {month}; months are 01 to 12"
            )));
        }
        Ok(Moment::Month(Date {
            year,
            month,
            day: 1,
        }))
    }

    /// The instant: a day, or a month, counts from its start in UTC.
    pub fn instant(&self) -> Timestamp {
        match self {
            Moment::At(s) => s.ts,
            Moment::Day(d) | Moment::Month(d) => day_start_utc(*d),
        }
    }

    /// The day, as written; a month's first day.
    pub fn date(&self) -> Date {
        match self {
            Moment::Day(d) | Moment::Month(d) => *d,
            Moment::At(s) => s.date(),
        }
    }

    /// `2016-02-23`, `2016-02-23T15:32:00+02:00` or `2016-02`.
    pub fn iso(&self) -> String {
        match self {
            Moment::Month(d) => format!("{:04}-{:02}", d.year, d.month),
            Moment::Day(d) => d.iso(),
            Moment::At(s) => s.rfc3339(),
        }
    }

    /// RFC 3339 with a time, as Atom needs it: a day (or a month's first
    /// day) is its start in UTC.
    pub fn rfc3339(&self) -> String {
        match self {
            Moment::Day(d) | Moment::Month(d) => format!("{}T00:00:00Z", d.iso()),
            Moment::At(s) => s.rfc3339(),
        }
    }
}

impl PartialOrd for Moment {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

/// By instant; a month before its first day, a day before an instant at
/// its start; the same instant written with two offsets by the offset, so
/// the order is total.
impl Ord for Moment {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        let key = |m: &Moment| match m {
            Moment::Month(_) => (m.instant(), 0, 0),
            Moment::Day(_) => (m.instant(), 1, 0),
            Moment::At(s) => (s.ts, 2, s.offset.seconds()),
        };
        key(self).cmp(&key(other))
    }
}

pub fn jiff_date(d: Date) -> Option<jiff::civil::Date> {
    jiff::civil::Date::new(d.year as i16, d.month as i8, d.day as i8).ok()
}

pub fn civil_date(d: jiff::civil::Date) -> Date {
    Date {
        year: d.year() as u16,
        month: d.month() as u8,
        day: d.day() as u8,
    }
}

/// Midnight UTC at the start of `d`.
pub fn day_start_utc(d: Date) -> Timestamp {
    jiff_date(d)
        .and_then(|d| {
            Offset::UTC
                .to_timestamp(d.to_datetime(jiff::civil::Time::midnight()))
                .ok()
        })
        .unwrap_or(Timestamp::UNIX_EPOCH)
}

/// The day after `d`.
pub fn next_day(d: Date) -> Date {
    jiff_date(d)
        .and_then(|j| j.tomorrow().ok())
        .map_or(d, civil_date)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn moment(s: &str) -> Result<Moment, TimeError> {
        Moment::from_toml("date", &s.parse().unwrap())
    }

    #[test]
    fn a_date_or_a_time_with_its_offset() {
        let d = moment("2016-02-23").unwrap();
        assert_eq!(d.iso(), "2016-02-23");
        assert_eq!(d.rfc3339(), "2016-02-23T00:00:00Z");
        let t = moment("2016-02-23T15:32:00+02:00").unwrap();
        assert_eq!(t.iso(), "2016-02-23T15:32:00+02:00");
        let Moment::At(s) = t else { panic!() };
        assert_eq!(s.hhmm(), "15:32");
        assert_eq!(s.offset_text(), "UTC+02:00");
        assert_eq!(ics_utc(s.ts), "20160223T133200Z");
        // Late in the evening west of UTC is the next day in UTC: the
        // date shown is the one written.
        let w = moment("2016-02-23T23:30:00-05:00").unwrap();
        assert_eq!(w.date().iso(), "2016-02-23");
        assert!(w > moment("2016-02-24").unwrap());
    }

    #[test]
    fn a_month_when_the_day_is_not_known() {
        let written = |s: &str| crate::content::date::Written::Text(s.into());
        let m = Moment::from_written("date", &written("2011-01")).unwrap();
        assert_eq!(m.iso(), "2011-01");
        assert_eq!(m.rfc3339(), "2011-01-01T00:00:00Z");
        let first = moment("2011-01-01").unwrap();
        assert!(m < first && first < moment("2011-01-01T00:00:00Z").unwrap());
        let e = Moment::from_written("date", &written("2011-13")).unwrap_err();
        assert!(e.message.contains("no month 13"), "{}", e.message);
        let e = Moment::from_written("date", &written("2011-1")).unwrap_err();
        assert!(e.hint.contains("\"2011-01\""), "{}", e.hint);
        assert!(Moment::from_written("date", &written("January 2011")).is_err());
        assert!(Moment::from_written("date", &written("11-01")).is_err());
    }

    #[test]
    fn a_local_time_without_offset_says_how_to_write_it() {
        let e = moment("2016-02-23T15:32:00").unwrap_err();
        assert!(e.message.contains("no UTC offset"), "{}", e.message);
        assert!(e.hint.contains("2016-02-23T15:32:00+02:00"), "{}", e.hint);
        assert!(moment("15:32:00").is_err());
    }

    #[test]
    fn build_time_from_the_command_line_or_the_epoch() {
        let t = BuildTime::parse("2026-12-03T15:00:00+03:00").unwrap();
        assert_eq!(t.rfc3339(), "2026-12-03T12:00:00Z");
        assert_eq!(t.ics(), "20261203T120000Z");
        assert_eq!(
            BuildTime::from_epoch("1456241520").unwrap().rfc3339(),
            "2016-02-23T15:32:00Z"
        );
        assert!(BuildTime::parse("yesterday").is_err());
        assert!(BuildTime::from_epoch("soon").is_err());
    }
}
