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
