//! What `klynge check` says about the listings themselves, beyond errors:
//! which facts a patient looks for each member still lacks (most of them
//! are also what search engines recommend in a `LocalBusiness`), and,
//! with `--stale`, which listings nobody has checked with the member for
//! too long (`verified = DATE`).

use crate::config::Config;
use crate::content::{Date, FrontMatter};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::site::{Facts, Item, Site};

/// The facts the table reports on, as its column heads.
pub const FACTS: [&str; 10] = [
    "address",
    "phone",
    "email",
    "photo",
    "hours",
    "languages",
    "treatments",
    "price",
    "point",
    "verified",
];

/// One member's row: which of [`FACTS`] it has.
pub struct Row {
    pub key: String,
    pub has: [bool; FACTS.len()],
}

/// A row for every spa (member) of the site, in the graph's order.
pub fn rows(site: &Site) -> Vec<Row> {
    site.items
        .iter()
        .filter(|i| !i.translations.is_empty())
        .filter_map(|item| {
            let Facts::Spa(f) = &item.facts else {
                return None;
            };
            let p = &f.practical;
            let photo = item.translations.iter().any(|t| t.photos.image.is_some());
            let street = f.address.as_ref().is_some_and(|a| a.street.is_some());
            Some(Row {
                key: item.key.clone(),
                has: [
                    street,
                    f.phone.is_some(),
                    f.email.is_some(),
                    photo,
                    p.hours.is_some(),
                    !p.languages.is_empty(),
                    !f.treatments.is_empty(),
                    p.price.is_some(),
                    f.coordinates.is_some(),
                    f.verified.is_some(),
                ],
            })
        })
        .collect()
}

/// The rows as a table with a count of the missing per fact; empty when
/// the site has no members.
pub fn table(rows: &[Row]) -> String {
    if rows.is_empty() {
        return String::new();
    }
    let width = rows
        .iter()
        .map(|r| r.key.chars().count())
        .max()
        .unwrap_or(0)
        .max(7);
    let mut out = String::from("\nwhat a patient looks for, per member (✓ = given):\n");
    out.push_str(&format!("{:width$}", "member"));
    for f in FACTS {
        out.push_str(&format!(" {f:>w$}", w = f.len().max(3)));
    }
    out.push('\n');
    let mut missing = [0usize; FACTS.len()];
    for r in rows {
        out.push_str(&format!("{:width$}", r.key));
        for (i, f) in FACTS.iter().enumerate() {
            let mark = if r.has[i] { "✓" } else { "-" };
            out.push_str(&format!(" {mark:>w$}", w = f.len().max(3)));
            missing[i] += usize::from(!r.has[i]);
        }
        out.push('\n');
    }
    out.push_str(&format!("{:width$}", "missing"));
    for (i, f) in FACTS.iter().enumerate() {
        out.push_str(&format!(" {:>w$}", missing[i], w = f.len().max(3)));
    }
    out.push('\n');
    out
}

/// `--stale 365d`: how old a `verified` date may be, in days.
pub fn parse_age(text: &str) -> Result<u32, String> {
    let (n, unit) = text.split_at(
        text.find(|c: char| !c.is_ascii_digit())
            .unwrap_or(text.len()),
    );
    let days = match unit {
        "d" => 1,
        "w" => 7,
        "y" => 365,
        _ => 0,
    };
    match n.parse::<u32>() {
        Ok(n) if days > 0 && n > 0 => Ok(n * days),
        _ => Err(format!(
            "`{text}` is not an age: write a number of days, weeks or years, e.g. `365d`, `26w` or `1y`"
        )),
    }
}

/// A warning for each listing (cluster or member) whose `verified` date is
/// more than `max_days` before the build's day, at its line; one summary
/// warning for the listings with no `verified` date at all.
pub fn stale(site: &Site, max_days: u32, diags: &Diagnostics) {
    // The build's day in UTC: a day either way does not make a listing stale.
    let today = crate::time::civil_date(
        site.config
            .now
            .timestamp()
            .to_zoned_datetime(jiff::tz::TimeZone::UTC)
            .date(),
    );
    let mut never = Vec::new();
    for item in site.items.iter().filter(|i| !i.translations.is_empty()) {
        let verified = match &item.facts {
            Facts::Spa(f) => f.verified,
            Facts::Cluster(f) => f.verified,
            _ => continue,
        };
        let Some(day) = verified else {
            never.push(format!("{}/{}", item.kind.folder(), item.key));
            continue;
        };
        let age = days_between(day, today);
        if age > i64::from(max_days) {
            diags.push(at_verified(&site.config, item, format!(
                "listing last verified {age} days ago ({day}), more than the {max_days} days `--stale` allows"
            ))
            .as_warning()
            .with_hint(format!(
                "check its facts with the member, then write `verified = {}`",
                today.iso()
            )));
        }
    }
    if !never.is_empty() {
        let n = never.len();
        let shown: Vec<&str> = never.iter().take(5).map(String::as_str).collect();
        let more = if n > 5 {
            format!(" and {} more", n - 5)
        } else {
            String::new()
        };
        diags.push(
            Diagnostic::warning(format!(
                "{n} listing{} never verified: {}{more}",
                if n == 1 { " is" } else { "s are" },
                shown.join(", ")
            ))
            .with_hint(
                "write `verified = DATE` in a listing's front matter once its facts are checked",
            ),
        );
    }
}

/// The warning at the `verified` line of the translation that sets it.
fn at_verified(config: &Config, item: &Item, message: String) -> Diagnostic {
    let sets = |front: &FrontMatter| match front {
        FrontMatter::Spa(s) => s.verified.is_some(),
        FrontMatter::Cluster(c) => c.verified.is_some(),
        _ => false,
    };
    let t = item
        .translations
        .iter()
        .find(|t| sets(&t.file.front))
        .or_else(|| item.translation_in(&config.default_language))
        .or_else(|| item.translations.first())
        .expect("a listing with translations");
    t.file.source.error_at_key("verified", message)
}

/// Whole days from `a` to `b`.
fn days_between(a: Date, b: Date) -> i64 {
    let day = |d: Date| jiff::civil::date(d.year as i16, d.month as i8, d.day as i8);
    day(a).until(day(b)).map_or(0, |s| i64::from(s.get_days()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages_in_days_weeks_and_years() {
        assert_eq!(parse_age("365d"), Ok(365));
        assert_eq!(parse_age("26w"), Ok(182));
        assert_eq!(parse_age("2y"), Ok(730));
        assert!(parse_age("365").unwrap_err().contains("365d"));
        assert!(parse_age("0d").is_err());
        assert!(parse_age("d").is_err());
    }

    #[test]
    fn days_between_dates() {
        let d = |year, month, day| Date { year, month, day };
        assert_eq!(days_between(d(2025, 12, 3), d(2026, 12, 3)), 365);
        assert_eq!(days_between(d(2024, 2, 28), d(2024, 3, 1)), 2);
    }
}
