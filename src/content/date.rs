//! One calendar date type for the whole program, so a date is stored one way.

use serde::Serialize;
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: u16,
    pub month: u8,
    pub day: u8,
}

impl Date {
    /// From a TOML date or date-time; `Err` says what is wrong.
    pub fn from_toml(dt: &toml::value::Datetime) -> Result<Date, String> {
        let d = dt
            .date
            .ok_or_else(|| format!("`{dt}` has no date part (expected e.g. 2016-02-23)"))?;
        let date = Date {
            year: d.year,
            month: d.month,
            day: d.day,
        };
        if d.month == 0 || d.month > 12 || d.day == 0 || d.day > days_in_month(d.year, d.month) {
            return Err(format!("`{dt}` is not a date in the calendar"));
        }
        Ok(date)
    }

    pub fn iso(&self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) => {
            29
        }
        2 => 28,
        _ => 31,
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.iso())
    }
}

impl Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.iso())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> Result<Date, String> {
        Date::from_toml(&s.parse().unwrap())
    }

    #[test]
    fn checks_the_calendar() {
        assert_eq!(parse("2016-02-23").unwrap().iso(), "2016-02-23");
        assert!(parse("2016-02-29").is_ok());
        // The TOML parser itself rejects 2019-02-29.
        assert!("2019-02-29".parse::<toml::value::Datetime>().is_err());
        assert!(parse("12:00:00").is_err());
    }
}

/// Reads an optional TOML date or date-time, also when it is written as a
/// text in quotes (`date = "2024-03-14"`), as web editors and spreadsheets
/// write dates; an empty text is no date. A text that is not a date is an
/// error saying how to write one.
pub fn lenient<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Option<toml::value::Datetime>, D::Error> {
    use serde::Deserialize;
    use serde::de::Error;
    match toml::Value::deserialize(d)? {
        toml::Value::Datetime(dt) => Ok(Some(dt)),
        toml::Value::String(s) if s.trim().is_empty() => Ok(None),
        toml::Value::String(s) => s.trim().parse().map(Some).map_err(|_| {
            D::Error::custom(format!(
                "`\"{s}\"` is not a date: write the year first, e.g. `2024-03-14`, or `2024-03-14T09:30` with a time"
            ))
        }),
        other => Err(D::Error::custom(format!(
            "a date is written like `2024-03-14`, not as a {}",
            other.type_str()
        ))),
    }
}

/// A news item's `date` as written: a TOML date or date-time, or a text
/// that is none, such as a month (`"2011-01"`), checked where the item is
/// read so that its error names the line.
#[derive(Debug, Clone, PartialEq)]
pub enum Written {
    Datetime(toml::value::Datetime),
    Text(String),
}

/// As [`lenient`], but a text that is not a date is kept to be checked
/// as a month.
pub fn lenient_or_month<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Option<Written>, D::Error> {
    use serde::Deserialize;
    use serde::de::Error;
    match toml::Value::deserialize(d)? {
        toml::Value::Datetime(dt) => Ok(Some(Written::Datetime(dt))),
        toml::Value::String(s) if s.trim().is_empty() => Ok(None),
        toml::Value::String(s) => Ok(Some(match s.trim().parse() {
            Ok(dt) => Written::Datetime(dt),
            Err(_) => Written::Text(s.trim().to_string()),
        })),
        other => Err(D::Error::custom(format!(
            "a date is written like `2024-03-14`, or a month like `\"2024-03\"`, not as a {}",
            other.type_str()
        ))),
    }
}

#[cfg(test)]
mod lenient_tests {
    #[derive(serde::Deserialize)]
    struct T {
        #[serde(default, deserialize_with = "super::lenient")]
        d: Option<toml::value::Datetime>,
    }

    fn read(text: &str) -> Result<Option<String>, String> {
        toml::from_str::<T>(text)
            .map(|t| t.d.map(|d| d.to_string()))
            .map_err(|e| e.message().to_string())
    }

    #[test]
    fn quoted_dates_are_dates() {
        assert_eq!(read("d = 2024-03-14").unwrap().unwrap(), "2024-03-14");
        assert_eq!(read("d = \"2024-03-14\"").unwrap().unwrap(), "2024-03-14");
        assert_eq!(
            read("d = \"2024-03-14T09:30:00\"").unwrap().unwrap(),
            "2024-03-14T09:30:00"
        );
        assert_eq!(read("d = \"\"").unwrap(), None);
        assert_eq!(read("").unwrap(), None);
        assert!(
            read("d = \"14.03.2024\"")
                .unwrap_err()
                .contains("year first")
        );
        assert!(read("d = 3").unwrap_err().contains("integer"));
    }
}
