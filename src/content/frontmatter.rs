//! Typed front matter, one struct per kind. `deny_unknown_fields` makes a
//! typo (`titel`) an error that names the field, instead of a silently
//! missing value. Fields that translations may inherit are `Option`s here;
//! the site graph checks required ones after inheritance.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Address {
    pub street: Option<String>,
    pub postal_code: Option<String>,
    pub city: Option<String>,
    pub country: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    pub name: Option<String>,
    pub role: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Coordinates {
    pub lat: f64,
    pub lon: f64,
}

impl Coordinates {
    pub fn check(&self) -> Result<(), String> {
        if !(-90.0..=90.0).contains(&self.lat) || !(-180.0..=180.0).contains(&self.lon) {
            return Err(format!(
                "coordinates ({}, {}) are outside -90..90 / -180..180 degrees",
                self.lat, self.lon
            ));
        }
        Ok(())
    }
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    pub name: String,
    pub url: Option<String>,
}

/// `founded` is a year (`2011`) or a date (`2011-01-15`).
#[derive(Debug, Clone, PartialEq)]
pub enum Founded {
    Year(i64),
    Date(toml::value::Datetime),
}

/// Read by hand rather than as an untagged enum, whose only message for a
/// wrong value is "data did not match any variant of untagged enum".
impl<'de> Deserialize<'de> for Founded {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        match toml::Value::deserialize(d)? {
            toml::Value::Integer(y) => Ok(Founded::Year(y)),
            toml::Value::Datetime(dt) => Ok(Founded::Date(dt)),
            toml::Value::String(s) if s.trim().parse::<i64>().is_ok() => {
                Err(D::Error::custom(format!(
                    "`founded` is a number: write `founded = {}`, without quotes",
                    s.trim()
                )))
            }
            toml::Value::String(s) => Err(D::Error::custom(format!(
                "`founded = \"{s}\"` is not a year or a date: write e.g. `founded = 2011` or `founded = 2011-01-15`, without quotes"
            ))),
            other => Err(D::Error::custom(format!(
                "`founded` is a year or a date, not a {}: write e.g. `founded = 2011`",
                other.type_str()
            ))),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SpaKind {
    MedicalSpa,
    WellnessSpa,
    SpaHotel,
    Rehabilitation,
    WaterPark,
    Clinic,
    Hospital,
    DentalClinic,
    ThermalSpring,
    University,
    ResearchInstitute,
    Agency,
    /// A ministry or a public development or investment agency.
    PublicBody,
    Association,
}

impl SpaKind {
    /// Every kind, in the order kind lists show them.
    pub const ALL: [SpaKind; 14] = [
        SpaKind::Hospital,
        SpaKind::Clinic,
        SpaKind::DentalClinic,
        SpaKind::Rehabilitation,
        SpaKind::MedicalSpa,
        SpaKind::WellnessSpa,
        SpaKind::SpaHotel,
        SpaKind::ThermalSpring,
        SpaKind::WaterPark,
        SpaKind::University,
        SpaKind::ResearchInstitute,
        SpaKind::Agency,
        SpaKind::PublicBody,
        SpaKind::Association,
    ];

    /// As written in front matter and in the kind page's address.
    pub fn slug(self) -> &'static str {
        match self {
            SpaKind::MedicalSpa => "medical-spa",
            SpaKind::WellnessSpa => "wellness-spa",
            SpaKind::SpaHotel => "spa-hotel",
            SpaKind::Rehabilitation => "rehabilitation",
            SpaKind::WaterPark => "water-park",
            SpaKind::Clinic => "clinic",
            SpaKind::Hospital => "hospital",
            SpaKind::DentalClinic => "dental-clinic",
            SpaKind::ThermalSpring => "thermal-spring",
            SpaKind::University => "university",
            SpaKind::ResearchInstitute => "research-institute",
            SpaKind::Agency => "agency",
            SpaKind::PublicBody => "public-body",
            SpaKind::Association => "association",
        }
    }

    /// The key of this kind's name in the theme's UI strings.
    pub fn label_key(self) -> &'static str {
        match self {
            SpaKind::MedicalSpa => "kind_medical_spa",
            SpaKind::WellnessSpa => "kind_wellness_spa",
            SpaKind::SpaHotel => "kind_spa_hotel",
            SpaKind::Rehabilitation => "kind_rehabilitation",
            SpaKind::WaterPark => "kind_water_park",
            SpaKind::Clinic => "kind_clinic",
            SpaKind::Hospital => "kind_hospital",
            SpaKind::DentalClinic => "kind_dental_clinic",
            SpaKind::ThermalSpring => "kind_thermal_spring",
            SpaKind::University => "kind_university",
            SpaKind::ResearchInstitute => "kind_research_institute",
            SpaKind::Agency => "kind_agency",
            SpaKind::PublicBody => "kind_public_body",
            SpaKind::Association => "kind_association",
        }
    }

    /// The schema.org type of a business of this kind.
    pub fn schema_type(self) -> &'static str {
        match self {
            SpaKind::Rehabilitation | SpaKind::Clinic => "MedicalClinic",
            SpaKind::MedicalSpa => "MedicalClinic",
            SpaKind::WellnessSpa | SpaKind::SpaHotel | SpaKind::WaterPark => {
                "HealthAndBeautyBusiness"
            }
            SpaKind::ThermalSpring => "HealthAndBeautyBusiness",
            SpaKind::Hospital => "Hospital",
            SpaKind::DentalClinic => "Dentist",
            SpaKind::University => "CollegeOrUniversity",
            SpaKind::ResearchInstitute => "ResearchOrganization",
            SpaKind::Agency => "TravelAgency",
            SpaKind::PublicBody => "GovernmentOrganization",
            SpaKind::Association => "NGO",
        }
    }

    /// Whether the schema.org type is a `LocalBusiness` (a place with
    /// opening hours, prices and amenities), not only an organisation.
    pub fn is_local_business(self) -> bool {
        !matches!(
            self,
            SpaKind::University | SpaKind::ResearchInstitute | SpaKind::Association
        )
    }

    /// Whether the schema.org type takes `availableService` (a
    /// `MedicalTherapy`): hospitals and medical clinics do.
    pub fn is_medical(self) -> bool {
        matches!(self.schema_type(), "MedicalClinic" | "Hospital")
    }
}

/// A photo in front matter: `image = { src = "hall.jpg", alt = "…" }` or
/// one entry of `gallery`. `src` is relative to the item's photo folder
/// (`content/spas/laine/` for `content/spas/laine.en.md`), or starts with
/// `/` for `assets/`; a translation may leave it out to use the photo at
/// the same place in another translation. `alt` is required unless the
/// photo is marked `decorative` (then `alt = ""`).
#[derive(Debug, Clone, PartialEq, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PhotoFront {
    pub src: Option<String>,
    pub alt: Option<String>,
    pub caption: Option<String>,
    pub credit: Option<String>,
    #[serde(default)]
    pub decorative: bool,
}

/// Declares a front-matter struct with the fields every kind accepts
/// (docs/content.md) followed by the kind's own, so the common list is written once.
macro_rules! front_matter {
    ($(#[$doc:meta])* $name:ident { $($(#[$attr:meta])* $field:ident : $ty:ty),* $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Default, Deserialize)]
        #[serde(deny_unknown_fields)]
        pub struct $name {
            pub title: Option<String>,
            pub slug: Option<String>,
            pub description: Option<String>,
            #[serde(default)]
            pub draft: bool,
            pub weight: Option<i64>,
            #[serde(default, deserialize_with = "super::date::lenient")]
            pub updated: Option<toml::value::Datetime>,
            /// Built only from this day or time on (`--future` builds it anyway).
            #[serde(default, deserialize_with = "super::date::lenient")]
            pub publish_date: Option<toml::value::Datetime>,
            /// Not built from this day or time on.
            #[serde(default, deserialize_with = "super::date::lenient")]
            pub expires: Option<toml::value::Datetime>,
            #[serde(default)]
            pub aliases: Vec<String>,
            pub translation_key: Option<String>,
            /// The main photo (docs/content.md, "Photos").
            pub image: Option<toml::Spanned<PhotoFront>>,
            #[serde(default)]
            pub gallery: Vec<toml::Spanned<PhotoFront>>,
            /// In a translation: the version of its source it was made from
            /// (docs/editing.md, "Translators"); not shown on any page.
            pub source_hash: Option<String>,
            $($(#[$attr])* pub $field: $ty,)*
        }

        impl Common for $name {
            fn common(&self) -> CommonRef<'_> {
                CommonRef {
                    title: self.title.as_deref(),
                    slug: self.slug.as_deref(),
                    description: self.description.as_deref(),
                    draft: self.draft,
                    weight: self.weight,
                    updated: self.updated.as_ref(),
                    publish_date: self.publish_date.as_ref(),
                    expires: self.expires.as_ref(),
                    aliases: &self.aliases,
                    translation_key: self.translation_key.as_deref(),
                    image: self.image.as_ref(),
                    gallery: &self.gallery,
                }
            }
        }
    };
}

/// The fields every kind has, borrowed, so callers need not match on kind.
#[derive(Debug, Clone, Copy)]
pub struct CommonRef<'a> {
    pub title: Option<&'a str>,
    pub slug: Option<&'a str>,
    pub description: Option<&'a str>,
    pub draft: bool,
    pub weight: Option<i64>,
    pub updated: Option<&'a toml::value::Datetime>,
    pub publish_date: Option<&'a toml::value::Datetime>,
    pub expires: Option<&'a toml::value::Datetime>,
    pub aliases: &'a [String],
    pub translation_key: Option<&'a str>,
    pub image: Option<&'a toml::Spanned<PhotoFront>>,
    pub gallery: &'a [toml::Spanned<PhotoFront>],
}

pub trait Common {
    fn common(&self) -> CommonRef<'_>;
}

front_matter!(ClusterFront {
    country: Option<String>,
    legal_name: Option<String>,
    org_number: Option<String>,
    founded: Option<Founded>,
    website: Option<String>,
    address: Option<Address>,
    contact: Option<Contact>,
    locations: Option<Vec<String>>,
    partners: Option<Vec<String>>,
    verified: Option<toml::value::Datetime>,
});

front_matter!(SpaFront {
    cluster: Option<String>,
    location: Option<String>,
    kind: Option<SpaKind>,
    treatments: Option<Vec<String>>,
    website: Option<String>,
    phone: Option<String>,
    email: Option<String>,
    address: Option<Address>,
    coordinates: Option<Coordinates>,
    hours: Option<Box<Hours>>,
    price: Option<Price>,
    languages: Option<Vec<String>>,
    accreditations: Option<Vec<String>>,
    insurance: Option<Vec<String>>,
    accessibility: Option<Vec<Accessibility>>,
    booking: Option<String>,
    programmes: Option<Vec<Programme>>,
    verified: Option<toml::value::Datetime>,
});

front_matter!(NewsFront {
    // A day, a time, or a month (`"2011-01"`) when the source gives no day.
    #[serde(default, deserialize_with = "super::date::lenient_or_month")]
    date: Option<super::date::Written>,
    cluster: Option<String>,
    locations: Option<Vec<String>>,
    source: Option<Source>,
});

front_matter!(PageFront {});

front_matter!(
    /// An event. Its times and places are shared facts; title, description
    /// and body are each translation's own.
    EventFront {
        #[serde(default, deserialize_with = "super::date::lenient")]
        start: Option<toml::value::Datetime>,
        #[serde(default, deserialize_with = "super::date::lenient")]
        end: Option<toml::value::Datetime>,
        // IANA name (`Europe/Istanbul`): the zone times are shown in.
        timezone: Option<String>,
        // A location slug of content/locations.toml.
        location: Option<String>,
        address: Option<Address>,
        // Where to follow it online.
        online: Option<String>,
        // The cluster that organises it.
        organiser: Option<String>,
        registration: Option<String>,
        #[serde(default, deserialize_with = "super::date::lenient")]
        registration_deadline: Option<toml::value::Datetime>,
        price: Option<Price>,
        languages: Option<Vec<String>>,
        status: Option<EventStatus>,
    }
);

/// Whether an event goes ahead: schema.org's `eventStatus`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum EventStatus {
    #[default]
    Scheduled,
    Cancelled,
    Postponed,
    Rescheduled,
    MovedOnline,
}

impl EventStatus {
    pub fn schema(self) -> &'static str {
        match self {
            EventStatus::Scheduled => "https://schema.org/EventScheduled",
            EventStatus::Cancelled => "https://schema.org/EventCancelled",
            EventStatus::Postponed => "https://schema.org/EventPostponed",
            EventStatus::Rescheduled => "https://schema.org/EventRescheduled",
            EventStatus::MovedOnline => "https://schema.org/EventMovedOnline",
        }
    }

    /// iCalendar's STATUS (RFC 5545, 3.8.1.11).
    pub fn ics(self) -> &'static str {
        match self {
            EventStatus::Cancelled => "CANCELLED",
            EventStatus::Postponed => "TENTATIVE",
            _ => "CONFIRMED",
        }
    }
}

/// A file's parsed front matter, by kind.
#[derive(Debug, Clone)]
pub enum FrontMatter {
    Cluster(ClusterFront),
    Spa(SpaFront),
    News(NewsFront),
    Page(PageFront),
    Home(PageFront),
    Event(EventFront),
}

impl FrontMatter {
    pub fn common(&self) -> CommonRef<'_> {
        match self {
            FrontMatter::Cluster(f) => f.common(),
            FrontMatter::Spa(f) => f.common(),
            FrontMatter::News(f) => f.common(),
            FrontMatter::Page(f) | FrontMatter::Home(f) => f.common(),
            FrontMatter::Event(f) => f.common(),
        }
    }
}

/// `[hours]`: the opening hours of a week, with seasons and closed dates.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Hours {
    pub monday: Option<DayHours>,
    pub tuesday: Option<DayHours>,
    pub wednesday: Option<DayHours>,
    pub thursday: Option<DayHours>,
    pub friday: Option<DayHours>,
    pub saturday: Option<DayHours>,
    pub sunday: Option<DayHours>,
    /// Dates it is closed (holidays).
    #[serde(default)]
    pub closed: Vec<toml::value::Datetime>,
    /// `[[hours.season]]`: other hours between two dates.
    #[serde(default)]
    pub season: Vec<SeasonHours>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeasonHours {
    pub from: toml::value::Datetime,
    pub until: toml::value::Datetime,
    pub monday: Option<DayHours>,
    pub tuesday: Option<DayHours>,
    pub wednesday: Option<DayHours>,
    pub thursday: Option<DayHours>,
    pub friday: Option<DayHours>,
    pub saturday: Option<DayHours>,
    pub sunday: Option<DayHours>,
}

/// `week()` for a struct with a field per weekday. (The weekdays are
/// written out in each struct rather than flattened from one, because serde
/// cannot flatten into a struct that denies unknown fields.)
macro_rules! week {
    ($($name:ident),*) => {$(
        impl $name {
            /// Monday first.
            pub fn week(&self) -> [Option<DayHours>; 7] {
                [
                    self.monday.clone(),
                    self.tuesday.clone(),
                    self.wednesday.clone(),
                    self.thursday.clone(),
                    self.friday.clone(),
                    self.saturday.clone(),
                    self.sunday.clone(),
                ]
            }
        }
    )*};
}

week!(Hours, SeasonHours);

/// One day's hours: `"closed"`, `"09:00-18:00"` or a list of such spans.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DayHours {
    Closed,
    Open(Vec<Span>),
}

/// Opening and closing time, minutes after midnight; `closes` may be
/// 24:00 (1440).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub opens: u16,
    pub closes: u16,
}

impl Span {
    pub fn hhmm(minutes: u16) -> String {
        format!("{:02}:{:02}", minutes / 60, minutes % 60)
    }

    /// `09:00-18:00`, checked: times of day, opening before closing.
    pub fn parse(s: &str) -> Result<Span, String> {
        let bad = || {
            format!(
                "`{s}` is not a time span: write it as `09:00-18:00` (24-hour times), or `closed`"
            )
        };
        let (a, b) = s.split_once(['-', '–']).ok_or_else(bad)?;
        let time = |t: &str| -> Option<u16> {
            let (h, m) = t.trim().split_once(':')?;
            if h.len() != 2 || m.len() != 2 {
                return None;
            }
            let (h, m): (u16, u16) = (h.parse().ok()?, m.parse().ok()?);
            (m < 60 && (h < 24 || (h == 24 && m == 0))).then_some(h * 60 + m)
        };
        let (opens, closes) = (time(a).ok_or_else(bad)?, time(b).ok_or_else(bad)?);
        if opens >= closes {
            return Err(format!(
                "`{s}` closes before it opens: write the earlier time first (a span past midnight ends at `24:00`)"
            ));
        }
        Ok(Span { opens, closes })
    }
}

/// Read by hand: a string or a list of strings, each checked, so that a
/// wrong time is an error at its line that says how to write it.
impl<'de> Deserialize<'de> for DayHours {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        let spans = |items: Vec<String>| -> Result<DayHours, D::Error> {
            let spans = items
                .iter()
                .map(|s| Span::parse(s))
                .collect::<Result<Vec<_>, _>>()
                .map_err(D::Error::custom)?;
            if spans.is_empty() {
                return Err(D::Error::custom(
                    "an empty list of hours: write `closed`, or spans like `[\"09:00-12:00\", \"13:00-17:00\"]`",
                ));
            }
            if spans.windows(2).any(|w| w[1].opens < w[0].closes) {
                return Err(D::Error::custom(
                    "the spans of a day overlap or are out of order: list them from morning to evening",
                ));
            }
            Ok(DayHours::Open(spans))
        };
        match toml::Value::deserialize(d)? {
            toml::Value::String(s) if s.trim() == "closed" => Ok(DayHours::Closed),
            toml::Value::String(s) => spans(vec![s]),
            toml::Value::Array(a) => {
                let items = a
                    .into_iter()
                    .map(|v| match v {
                        toml::Value::String(s) => Ok(s),
                        other => Err(D::Error::custom(format!(
                            "hours are strings like `\"09:00-18:00\"`, not a {}",
                            other.type_str()
                        ))),
                    })
                    .collect::<Result<Vec<_>, _>>()?;
                spans(items)
            }
            other => Err(D::Error::custom(format!(
                "hours are `\"09:00-18:00\"`, a list of such spans, or `\"closed\"`, not a {}",
                other.type_str()
            ))),
        }
    }
}

/// `[price]`: what a stay or treatment costs, from and to, in a currency.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Price {
    /// ISO 4217: `EUR`, `NOK`, `TRY`.
    pub currency: String,
    pub from: Option<f64>,
    pub to: Option<f64>,
}

impl Price {
    /// `EUR 60–250`, `EUR 60+`, as schema.org's `priceRange` is written.
    pub fn range_text(&self) -> String {
        let n = |v: f64| {
            if v.fract() == 0.0 {
                format!("{v:.0}")
            } else {
                format!("{v:.2}")
            }
        };
        match (self.from, self.to) {
            (Some(a), Some(b)) if a == b => format!("{} {}", self.currency, n(a)),
            (Some(a), Some(b)) => format!("{} {}–{}", self.currency, n(a), n(b)),
            (Some(a), None) => format!("{} {}+", self.currency, n(a)),
            (None, Some(b)) => format!("{} –{}", self.currency, n(b)),
            (None, None) => self.currency.clone(),
        }
    }
}

/// `[[programmes]]`: a package a spa sells at one price (a week's cure,
/// a day of treatments), shared by the translations like the other facts;
/// its name and description are given per language as treatments' are.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Programme {
    /// The name in the default language.
    pub name: String,
    #[serde(default)]
    pub names: indexmap::IndexMap<String, String>,
    pub price: f64,
    /// ISO 4217: `EUR`, `NOK`, `TRY`.
    pub currency: String,
    /// How long it lasts: one of `nights`, `days` or `minutes`.
    pub nights: Option<u32>,
    pub days: Option<u32>,
    pub minutes: Option<u32>,
    /// Slugs of content/treatments.toml it includes.
    #[serde(default)]
    pub treatments: Vec<String>,
    pub description: Option<String>,
    #[serde(default)]
    pub descriptions: indexmap::IndexMap<String, String>,
}

impl Programme {
    pub fn name_in(&self, lang: &str) -> &str {
        super::name_in(&self.names, &self.name, lang)
    }

    pub fn description_in(&self, lang: &str) -> Option<&str> {
        super::text_in(&self.descriptions, self.description.as_deref(), lang)
    }
}

/// What makes a place usable for a patient with a disability; shown by
/// name and as schema.org `amenityFeature`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Accessibility {
    StepFreeAccess,
    WheelchairRooms,
    AccessibleToilet,
    AccessibleParking,
    HearingLoop,
    GuideDogsWelcome,
}

impl Accessibility {
    pub fn label_key(self) -> &'static str {
        match self {
            Accessibility::StepFreeAccess => "access_step_free",
            Accessibility::WheelchairRooms => "access_wheelchair_rooms",
            Accessibility::AccessibleToilet => "access_toilet",
            Accessibility::AccessibleParking => "access_parking",
            Accessibility::HearingLoop => "access_hearing_loop",
            Accessibility::GuideDogsWelcome => "access_guide_dogs",
        }
    }

    /// The feature's English name, for structured data.
    pub fn english(self) -> &'static str {
        match self {
            Accessibility::StepFreeAccess => "Step-free access",
            Accessibility::WheelchairRooms => "Wheelchair-accessible rooms",
            Accessibility::AccessibleToilet => "Accessible toilet",
            Accessibility::AccessibleParking => "Accessible parking",
            Accessibility::HearingLoop => "Hearing loop",
            Accessibility::GuideDogsWelcome => "Guide dogs welcome",
        }
    }
}
