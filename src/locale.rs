//! What a page language's own rules decide about text, from the Unicode
//! CLDR data that ICU4X compiles in: the order of sorted lists
//! (collation), the plural form a count takes, digits and separators of
//! numbers, and how a date is written. The data is part of the binary, so
//! every machine writes the same bytes.
//!
//! Each language's rules are made once per process, on first use, and
//! shared by every thread and every later build (`serve` rebuilds).

use fixed_decimal::Decimal;
use icu_calendar::{Date as IcuDate, Gregorian};
use icu_collator::options::CollatorOptions;
use icu_collator::{CollatorBorrowed, CollatorPreferences};
use icu_datetime::FixedCalendarDateTimeFormatter;
use icu_datetime::fieldsets::{M, YM, YMD};
use icu_decimal::DecimalFormatter;
use icu_locale_core::Locale as Tag;
use icu_plurals::{PluralCategory, PluralRules};
use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

/// The rules of one language.
pub struct Locale {
    collator: CollatorBorrowed<'static>,
    plurals: PluralRules,
    numbers: DecimalFormatter,
    /// Dates in the Gregorian calendar, as every date in the content is
    /// written, in the language's long format ("3 February 2016").
    dates: FixedCalendarDateTimeFormatter<Gregorian, YMD>,
    months: FixedCalendarDateTimeFormatter<Gregorian, M>,
    /// A month of a year, for dates whose day is not known ("January 2011").
    month_years: FixedCalendarDateTimeFormatter<Gregorian, YM>,
}

/// The rules of the language with code `lang` (`et`, `zh-Hant`, …). A code
/// CLDR does not know gets the root rules, which suit most languages.
pub fn of(lang: &str) -> &'static Locale {
    static MADE: OnceLock<Mutex<HashMap<String, &'static Locale>>> = OnceLock::new();
    let mut made = MADE
        .get_or_init(Mutex::default)
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    if let Some(l) = made.get(lang) {
        return l;
    }
    // One per language code for the life of the process: a handful.
    let l: &'static Locale = Box::leak(Box::new(Locale::new(lang)));
    made.insert(lang.to_string(), l);
    l
}

/// The CLDR locale a site's language code stands for. Plain `en` is
/// CLDR's international English (`en-001`: "3 February 2016", 24-hour
/// times), not its US English, as the sites are read across the world;
/// `en-US` still gets US English.
fn tag(lang: &str) -> Tag {
    let lang = if lang == "en" { "en-001" } else { lang };
    Tag::try_from_str(lang).unwrap_or(Tag::UNKNOWN)
}

impl Locale {
    fn new(lang: &str) -> Locale {
        let t = &tag(lang);
        Locale {
            collator: made(t, |t| {
                CollatorBorrowed::try_new(CollatorPreferences::from(t), CollatorOptions::default())
            }),
            plurals: made(t, |t| PluralRules::try_new_cardinal(t.into())),
            numbers: made(t, |t| {
                DecimalFormatter::try_new(t.into(), Default::default())
            }),
            dates: made(t, |t| {
                FixedCalendarDateTimeFormatter::try_new(t.into(), YMD::long())
            }),
            months: made(t, |t| {
                FixedCalendarDateTimeFormatter::try_new(t.into(), M::long())
            }),
            month_years: made(t, |t| {
                FixedCalendarDateTimeFormatter::try_new(t.into(), YM::long())
            }),
        }
    }

    /// The bytes that order `text` among others in this language: keys
    /// compare as the texts collate, so a list sorts by key once per
    /// entry instead of collating on every comparison.
    pub fn sort_key(&self, text: &str) -> Vec<u8> {
        let mut key = Vec::with_capacity(text.len() * 2);
        let Ok(()) = self.collator.write_sort_key_to(text, &mut key);
        key
    }

    /// Sorts `v` by the name each entry shows, in this language's order;
    /// entries that collate the same keep a fixed order by their name's
    /// bytes, then by `tie` (a link or code), whatever order they came in.
    pub fn sort_by_name<T>(
        &self,
        v: &mut [T],
        name: impl Fn(&T) -> &str,
        tie: impl Fn(&T) -> &str,
    ) {
        v.sort_by_cached_key(|x| {
            (
                self.sort_key(name(x)),
                name(x).to_string(),
                tie(x).to_string(),
            )
        });
    }

    /// The CLDR plural category of `n` in this language: `one`, `few`, ….
    pub fn plural(&self, n: u64) -> &'static str {
        category_name(self.plurals.category_for(n))
    }

    /// The plural categories this language tells apart, `other` last.
    pub fn plural_categories(&self) -> Vec<&'static str> {
        let mut v: Vec<&'static str> = self
            .plurals
            .categories()
            .map(category_name)
            .filter(|c| *c != "other")
            .collect();
        v.push("other");
        v
    }

    /// A whole number with the language's digits and group separators.
    pub fn number(&self, n: u64) -> String {
        self.numbers.format_to_string(&Decimal::from(n))
    }

    /// `units` / 10^`places` with exactly `places` decimals, in the
    /// language's digits and decimal separator (`58,385` in Estonian).
    pub fn decimal(&self, units: i64, places: i16) -> String {
        let mut d = Decimal::from(units);
        d.multiply_pow10(-places);
        d.absolute.pad_end(-places);
        self.numbers.format_to_string(&d)
    }

    /// A date in the language's long format.
    pub fn date(&self, d: crate::content::Date) -> String {
        match gregorian(d) {
            Some(g) => self.dates.format(&g).to_string(),
            None => d.iso(),
        }
    }

    /// The month and year of `d` in the language's long format, its day
    /// left out ("January 2011").
    pub fn month_year(&self, d: crate::content::Date) -> String {
        match gregorian(d) {
            Some(g) => self.month_years.format(&g).to_string(),
            None => format!("{:04}-{:02}", d.year, d.month),
        }
    }

    /// The name of month `month` (1-12) as it stands alone ("February").
    pub fn month_name(&self, month: u8) -> String {
        match IcuDate::try_new_gregorian(2000, month, 1) {
            Ok(g) => self.months.format(&g).to_string(),
            Err(_) => format!("{month:02}"),
        }
    }
}

/// The name of a country (`EE`, ISO 3166-1) or language (`et`, ISO 639-1)
/// in language `lang`, from the CLDR table in data/cldr/ (made by
/// scripts/cldr-names.mjs for the default theme's languages). `zh-Hant` and
/// `en-GB` look in `zh` and `en`.
pub fn cldr_name(lang: &str, code: &str) -> Option<&'static str> {
    static NAMES: OnceLock<HashMap<(&'static str, &'static str), &'static str>> = OnceLock::new();
    let names = NAMES.get_or_init(|| {
        include_str!("../data/cldr/names.tsv")
            .lines()
            .filter(|l| !l.starts_with('#'))
            .filter_map(|l| {
                let mut f = l.splitn(3, '\t');
                Some(((f.next()?, f.next()?), f.next()?))
            })
            .collect()
    });
    names.get(&(lang, code)).copied().or_else(|| {
        let base = lang.split(['-', '_']).next()?;
        (base != lang).then(|| names.get(&(base, code)).copied())?
    })
}

fn category_name(c: PluralCategory) -> &'static str {
    match c {
        PluralCategory::Zero => "zero",
        PluralCategory::One => "one",
        PluralCategory::Two => "two",
        PluralCategory::Few => "few",
        PluralCategory::Many => "many",
        PluralCategory::Other => "other",
    }
}

fn gregorian(d: crate::content::Date) -> Option<IcuDate<Gregorian>> {
    IcuDate::try_new_gregorian(i32::from(d.year), d.month, d.day).ok()
}

/// One formatter made from compiled data for `tag`, or for the root locale
/// if that fails. Compiled data falls back from every locale to the root,
/// so the root always succeeds.
fn made<T, E: std::fmt::Debug>(tag: &Tag, make: impl Fn(&Tag) -> Result<T, E>) -> T {
    make(tag)
        .or_else(|_| make(&Tag::UNKNOWN))
        .expect("ICU4X data for the root locale is compiled in")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sorted(lang: &str, words: &[&str]) -> Vec<String> {
        let mut v: Vec<String> = words.iter().map(|s| s.to_string()).collect();
        of(lang).sort_by_name(&mut v, |s| s, |_| "");
        v
    }

    #[test]
    fn estonian_puts_s_caron_after_s_and_z_caron_after_z() {
        // Estonian: … s š z ž t … õ ä ö ü (CLDR `et`).
        assert_eq!(
            sorted(
                "et",
                &["tõru", "žanr", "zoo", "šokk", "sõna", "õun", "ämber"]
            ),
            ["sõna", "šokk", "zoo", "žanr", "tõru", "õun", "ämber"]
        );
        // English puts š with s and ž with z, õ with o.
        assert_eq!(
            sorted("en", &["tõru", "žanr", "zoo", "šokk", "sõna", "õun"]),
            ["õun", "šokk", "sõna", "tõru", "žanr", "zoo"]
        );
    }

    #[test]
    fn turkish_puts_dotless_i_before_i() {
        assert_eq!(
            sorted("tr", &["içme", "ılıca", "Ihlara", "İzmir", "hamam"]),
            ["hamam", "Ihlara", "ılıca", "içme", "İzmir"]
        );
    }

    #[test]
    fn latvian_puts_long_a_after_a_and_k_cedilla_after_k() {
        // CLDR `lv`: ā, č, ē, ģ, ī, ķ, ļ, ņ, š, ū, ž are letters of their
        // own, each after its plain letter: "ābele" follows "avots".
        assert_eq!(
            sorted(
                "lv",
                &[
                    "ķirbis", "kvass", "čaula", "cukurs", "ārs", "ars", "avots", "ābele"
                ]
            ),
            [
                "ars", "avots", "ābele", "ārs", "cukurs", "čaula", "kvass", "ķirbis"
            ]
        );
        assert_eq!(
            sorted("en", &["ķirbis", "kvass", "čaula", "cukurs"]),
            ["čaula", "cukurs", "ķirbis", "kvass"]
        );
    }

    #[test]
    fn plural_categories_follow_cldr() {
        let ru = of("ru");
        let got: Vec<&str> = [1, 2, 5, 21, 11, 22, 25]
            .iter()
            .map(|n| ru.plural(*n))
            .collect();
        assert_eq!(got, ["one", "few", "many", "one", "many", "few", "many"]);
        let ar = of("ar");
        let got: Vec<&str> = [0, 1, 2, 3, 11, 100]
            .iter()
            .map(|n| ar.plural(*n))
            .collect();
        assert_eq!(got, ["zero", "one", "two", "few", "many", "other"]);
        assert_eq!(of("ja").plural_categories(), ["other"]);
        assert_eq!(of("lv").plural_categories(), ["zero", "one", "other"]);
    }

    #[test]
    fn numbers_and_dates_are_written_the_languages_way() {
        let d = crate::content::Date {
            year: 2016,
            month: 2,
            day: 3,
        };
        assert_eq!(of("en").date(d), "3 February 2016");
        assert_eq!(of("et").date(d), "3 veebruar 2016");
        // CLDR puts a narrow no-break space before "г.".
        assert_eq!(of("ru").date(d), "3 февраля 2016\u{202f}г.");
        assert_eq!(of("lv").date(d), "2016. gada 3. februāris");
        assert_eq!(of("en-US").date(d), "February 3, 2016");
        assert_eq!(of("de").number(1_234_567), "1.234.567");
        assert_eq!(of("en").number(1_234_567), "1,234,567");
        assert_eq!(of("fa").number(25), "۲۵");
        assert_eq!(of("et").decimal(58_385, 3), "58,385");
        assert_eq!(of("fa").decimal(58_385, 3), "۵۸٫۳۸۵");
        assert_eq!(of("en").decimal(-6_150, 3), "-6.150");
        assert_eq!(of("ru").month_name(2), "февраль");
    }

    #[test]
    fn names_come_from_cldr_in_the_page_language() {
        assert_eq!(cldr_name("et", "EE"), Some("Eesti"));
        assert_eq!(cldr_name("tr", "EE"), Some("Estonya"));
        assert_eq!(cldr_name("ar", "LV"), Some("لاتفيا"));
        assert_eq!(cldr_name("ru", "et"), Some("эстонский"));
        assert_eq!(cldr_name("zh-Hant", "EE"), cldr_name("zh", "EE"));
        assert_eq!(cldr_name("xx", "EE"), None);
    }

    #[test]
    fn ties_keep_a_fixed_order() {
        let mut a = vec![("Pärnu", "/b"), ("Pärnu", "/a"), ("pärnu", "/c")];
        let mut b = a.clone();
        b.reverse();
        of("et").sort_by_name(&mut a, |x| x.0, |x| x.1);
        of("et").sort_by_name(&mut b, |x| x.0, |x| x.1);
        assert_eq!(a, b);
        assert_eq!(a, [("pärnu", "/c"), ("Pärnu", "/a"), ("Pärnu", "/b")]);
    }

    #[test]
    fn unknown_codes_sort_by_the_root_rules() {
        assert_eq!(sorted("not a code", &["b", "a", "ä"]), ["a", "ä", "b"]);
    }
}
