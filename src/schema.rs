//! The content model as data: every front-matter field of every kind and
//! every field of `locations.toml` and `treatments.toml`, with what it
//! holds, whether translations share it and whether it is required. The
//! web editor's configuration (`klynge cms`), the spreadsheet columns
//! (`klynge import`, `klynge export`) and the texts sent to translators
//! (`klynge translations`) are all made from these tables, so they cannot
//! drift apart. A test reads the front-matter structs' own field names
//! through serde and fails when a struct has a field these tables lack.

use crate::content::Kind;
use crate::content::frontmatter::{Accessibility, EventStatus, SpaKind};

/// What a field holds, in the terms an editor's form needs.
#[derive(Debug, Clone, Copy)]
pub enum Holds {
    /// One line of text.
    Line,
    /// A paragraph of plain text.
    Text,
    Bool,
    Int,
    Float,
    /// A day, `2024-03-14`.
    Date,
    /// A day or a day and time of day, local: `2024-03-14T09:00:00`.
    DateTime,
    /// When news was published: a day, a day and time, or only a month
    /// (`2011-01`) when its source names no day.
    Published,
    /// One of fixed choices.
    Choice(fn() -> Vec<&'static str>),
    /// Any of fixed choices.
    Choices(fn() -> Vec<&'static str>),
    /// The slug of a cluster, location, treatment or category.
    Ref(Target),
    /// Slugs of several.
    Refs(Target),
    /// A list of lines.
    Lines,
    /// A list of days.
    Dates,
    /// A table of the given fields.
    Table(&'static [Field]),
    /// A list of tables of the given fields.
    Tables(&'static [Field]),
    /// A photo: a file beside the item's content, or `/…` under assets/.
    Photo,
    /// A text for each language of the site, keyed by language code.
    PerLanguage(&'static Holds),
    /// The version of its source a translation was made from, written by
    /// `klynge translations import`: no editor's form shows it.
    SourceHash,
}

/// What a reference points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Cluster,
    Location,
    Treatment,
    Category,
}

#[derive(Debug, Clone, Copy)]
pub struct Field {
    pub name: &'static str,
    /// The field's name in a form.
    pub label: &'static str,
    pub holds: Holds,
    /// Required of the item (for a shared fact: of the default-language file).
    pub required: bool,
    /// A fact the translations share, written in the default language's
    /// file and inherited by the others; otherwise each translation's own.
    pub shared: bool,
    /// What to write, shown beside the field.
    pub hint: &'static str,
}

const fn f(name: &'static str, label: &'static str, holds: Holds) -> Field {
    Field {
        name,
        label,
        holds,
        required: false,
        shared: false,
        hint: "",
    }
}

impl Field {
    const fn req(self) -> Field {
        Field {
            required: true,
            ..self
        }
    }
    const fn shared(self) -> Field {
        Field {
            shared: true,
            ..self
        }
    }
    const fn hint(self, hint: &'static str) -> Field {
        Field { hint, ..self }
    }

    /// Whether the field is a text a translator translates.
    pub fn is_text(&self) -> bool {
        !self.shared && matches!(self.holds, Holds::Line | Holds::Text) && self.translatable()
    }

    /// Lines that are names or codes, not prose, stay as they are.
    fn translatable(&self) -> bool {
        !matches!(self.name, "slug" | "translation_key")
    }
}

fn spa_kinds() -> Vec<&'static str> {
    SpaKind::ALL.iter().map(|k| k.slug()).collect()
}

fn specialties() -> Vec<&'static str> {
    crate::content::treatments::MEDICAL_SPECIALTIES.to_vec()
}

fn event_statuses() -> Vec<&'static str> {
    [
        EventStatus::Scheduled,
        EventStatus::Cancelled,
        EventStatus::Postponed,
        EventStatus::Rescheduled,
        EventStatus::MovedOnline,
    ]
    .iter()
    .map(|s| kebab(s))
    .collect()
}

fn accessibility() -> Vec<&'static str> {
    [
        Accessibility::StepFreeAccess,
        Accessibility::WheelchairRooms,
        Accessibility::AccessibleToilet,
        Accessibility::AccessibleParking,
        Accessibility::HearingLoop,
        Accessibility::GuideDogsWelcome,
    ]
    .iter()
    .map(|a| kebab(a))
    .collect()
}

/// A unit enum variant's name as front matter writes it (serde's own).
fn kebab<T: serde::Serialize>(value: &T) -> &'static str {
    match toml::Value::try_from(value) {
        Ok(toml::Value::String(s)) => Box::leak(s.into_boxed_str()),
        _ => "",
    }
}

pub const ADDRESS: &[Field] = &[
    f("street", "Street", Holds::Line),
    f("postal_code", "Postal code", Holds::Line),
    f("city", "City", Holds::Line),
    f("country", "Country", Holds::Line).hint("ISO 3166-1 alpha-2 code: EE, NO, TR"),
];

pub const CONTACT: &[Field] = &[
    f("name", "Name", Holds::Line),
    f("role", "Role", Holds::Line),
    f("phone", "Phone", Holds::Line),
    f("email", "Email", Holds::Line),
];

pub const COORDINATES: &[Field] = &[
    f("lat", "Latitude", Holds::Float)
        .req()
        .hint("decimal degrees, -90 to 90"),
    f("lon", "Longitude", Holds::Float)
        .req()
        .hint("decimal degrees, -180 to 180"),
];

pub const SOURCE: &[Field] = &[
    f("name", "Name", Holds::Line).req(),
    f("url", "Address (URL)", Holds::Line),
];

pub const PHOTO: &[Field] = &[
    f("src", "Photo", Holds::Photo),
    f("alt", "Text for readers who cannot see it", Holds::Line)
        .hint("required unless the photo is decorative"),
    f("caption", "Caption", Holds::Line),
    f("credit", "Credit", Holds::Line),
    f("decorative", "Decorative (no text needed)", Holds::Bool),
];

pub const PRICE: &[Field] = &[
    f("currency", "Currency", Holds::Line)
        .req()
        .hint("ISO 4217: EUR, NOK, TRY"),
    f("from", "From", Holds::Float),
    f("to", "To", Holds::Float),
];

/// A `[[programmes]]` entry of a spa.
pub const PROGRAMME: &[Field] = &[
    f("name", "Name", Holds::Line)
        .req()
        .hint("in the site's default language"),
    f(
        "names",
        "Names in other languages",
        Holds::PerLanguage(&NAME),
    ),
    f("price", "Price", Holds::Float).req(),
    f("currency", "Currency", Holds::Line)
        .req()
        .hint("ISO 4217: EUR, NOK, TRY"),
    f("nights", "Nights", Holds::Int).hint("one of nights, days or minutes"),
    f("days", "Days", Holds::Int),
    f("minutes", "Minutes", Holds::Int),
    f("treatments", "Treatments", Holds::Refs(Target::Treatment)),
    f("description", "Description", Holds::Text).hint("in the site's default language"),
    f(
        "descriptions",
        "Descriptions in other languages",
        Holds::PerLanguage(&PROSE),
    ),
];

const DAY_HINT: &str = "09:00-18:00, or closed";

pub const SEASON: &[Field] = &[
    f("from", "From", Holds::Date).req(),
    f("until", "Until", Holds::Date).req(),
    f("monday", "Monday", Holds::Line).hint(DAY_HINT),
    f("tuesday", "Tuesday", Holds::Line).hint(DAY_HINT),
    f("wednesday", "Wednesday", Holds::Line).hint(DAY_HINT),
    f("thursday", "Thursday", Holds::Line).hint(DAY_HINT),
    f("friday", "Friday", Holds::Line).hint(DAY_HINT),
    f("saturday", "Saturday", Holds::Line).hint(DAY_HINT),
    f("sunday", "Sunday", Holds::Line).hint(DAY_HINT),
];

pub const HOURS: &[Field] = &[
    f("monday", "Monday", Holds::Line).hint(DAY_HINT),
    f("tuesday", "Tuesday", Holds::Line).hint(DAY_HINT),
    f("wednesday", "Wednesday", Holds::Line).hint(DAY_HINT),
    f("thursday", "Thursday", Holds::Line).hint(DAY_HINT),
    f("friday", "Friday", Holds::Line).hint(DAY_HINT),
    f("saturday", "Saturday", Holds::Line).hint(DAY_HINT),
    f("sunday", "Sunday", Holds::Line).hint(DAY_HINT),
    f("closed", "Closed on", Holds::Dates),
    f("season", "Seasons with other hours", Holds::Tables(SEASON)),
];

/// The fields every kind has, in the order front matter lists them.
pub const COMMON: &[Field] = &[
    f("title", "Title", Holds::Line).req(),
    f("slug", "Address segment (slug)", Holds::Line)
        .hint("ASCII letters, digits and -; by default the file name"),
    f("description", "Description", Holds::Text)
        .hint("one or two sentences for search engines and lists"),
    f("draft", "Draft (not published)", Holds::Bool),
    f("weight", "Weight (order in lists)", Holds::Int),
    f("updated", "Updated", Holds::Date),
    f("publish_date", "Publish from", Holds::DateTime).shared(),
    f("expires", "Expires", Holds::DateTime).shared(),
    f("aliases", "Old addresses (redirected here)", Holds::Lines),
    f("translation_key", "Translation key", Holds::Line)
        .hint("joins translations whose file names differ"),
    f("image", "Main photo", Holds::Table(PHOTO)),
    f("gallery", "Gallery", Holds::Tables(PHOTO)),
    f("source_hash", "Source version", Holds::SourceHash),
];

pub const CLUSTER: &[Field] = &[
    f("country", "Country", Holds::Line)
        .req()
        .shared()
        .hint("ISO 3166-1 alpha-2 code: EE, NO, TR"),
    f("legal_name", "Legal name", Holds::Line).shared(),
    f("org_number", "Organisation number", Holds::Line).shared(),
    f("founded", "Founded (year)", Holds::Int).shared(),
    f("website", "Website", Holds::Line).shared(),
    f("address", "Address", Holds::Table(ADDRESS)).shared(),
    f("contact", "Contact", Holds::Table(CONTACT)).shared(),
    f("locations", "Locations", Holds::Refs(Target::Location)).shared(),
    f("partners", "Partners", Holds::Lines),
    f("verified", "Facts checked on", Holds::Date).shared(),
];

pub const SPA: &[Field] = &[
    f("cluster", "Cluster", Holds::Ref(Target::Cluster))
        .req()
        .shared(),
    f("location", "Location", Holds::Ref(Target::Location))
        .req()
        .shared(),
    f("kind", "Kind", Holds::Choice(spa_kinds)).shared(),
    f("treatments", "Treatments", Holds::Refs(Target::Treatment)).shared(),
    f("website", "Website", Holds::Line).shared(),
    f("phone", "Phone", Holds::Line).shared(),
    f("email", "Email", Holds::Line).shared(),
    f("address", "Address", Holds::Table(ADDRESS)).shared(),
    f("coordinates", "Coordinates", Holds::Table(COORDINATES)).shared(),
    f("hours", "Opening hours", Holds::Table(HOURS)).shared(),
    f("price", "Prices", Holds::Table(PRICE)).shared(),
    f("languages", "Languages spoken", Holds::Lines)
        .shared()
        .hint("language codes: en, de, ru"),
    f("accreditations", "Accreditations", Holds::Lines).shared(),
    f("insurance", "Insurance accepted", Holds::Lines).shared(),
    f(
        "accessibility",
        "Accessibility",
        Holds::Choices(accessibility),
    )
    .shared(),
    f("booking", "Booking address (URL)", Holds::Line).shared(),
    f("programmes", "Programmes", Holds::Tables(PROGRAMME)).shared(),
    f("verified", "Facts checked on", Holds::Date).shared(),
];

pub const NEWS: &[Field] = &[
    f("date", "Date", Holds::Published)
        .req()
        .shared()
        .hint("a day, 2024-03-14; or only the month, 2024-03, when the source gives no day"),
    f("cluster", "Cluster", Holds::Ref(Target::Cluster)).shared(),
    f("locations", "Locations", Holds::Refs(Target::Location)).shared(),
    f("source", "Source", Holds::Table(SOURCE)).shared(),
];

pub const EVENT: &[Field] = &[
    f("start", "Starts", Holds::DateTime).req().shared(),
    f("end", "Ends", Holds::DateTime).shared(),
    f("timezone", "Time zone", Holds::Line)
        .shared()
        .hint("IANA name: Europe/Istanbul"),
    f("location", "Location", Holds::Ref(Target::Location)).shared(),
    f("address", "Address", Holds::Table(ADDRESS)).shared(),
    f("online", "Online at (URL)", Holds::Line).shared(),
    f("organiser", "Organiser", Holds::Ref(Target::Cluster)).shared(),
    f("registration", "Registration (URL)", Holds::Line).shared(),
    f(
        "registration_deadline",
        "Registration deadline",
        Holds::DateTime,
    )
    .shared(),
    f("price", "Price", Holds::Table(PRICE)).shared(),
    f("languages", "Languages", Holds::Lines)
        .shared()
        .hint("language codes: en, tr"),
    f("status", "Status", Holds::Choice(event_statuses)).shared(),
];

static NAME: Holds = Holds::Line;
static PROSE: Holds = Holds::Text;

/// A `[[location]]` of content/locations.toml.
pub const LOCATION: &[Field] = &[
    f("slug", "Slug", Holds::Line).req().hint("ASCII: parnu"),
    f("country", "Country", Holds::Line)
        .req()
        .hint("ISO 3166-1 alpha-2 code: EE, NO, TR"),
    f("name", "Name", Holds::Line)
        .req()
        .hint("in the site's default language"),
    f(
        "names",
        "Names in other languages",
        Holds::PerLanguage(&NAME),
    ),
    f("coordinates", "Coordinates", Holds::Table(COORDINATES)),
    f("region", "Region", Holds::Line),
    f("description", "Description", Holds::Text),
];

/// A `[[category]]` of content/treatments.toml.
pub const CATEGORY: &[Field] = &[
    f("slug", "Slug", Holds::Line).req(),
    f("name", "Name", Holds::Line).req(),
    f(
        "names",
        "Names in other languages",
        Holds::PerLanguage(&NAME),
    ),
];

/// A `[[treatment]]` of content/treatments.toml.
pub const TREATMENT: &[Field] = &[
    f("slug", "Slug", Holds::Line).req(),
    f("name", "Name", Holds::Line).req(),
    f(
        "names",
        "Names in other languages",
        Holds::PerLanguage(&NAME),
    ),
    f("description", "Description", Holds::Text),
    f(
        "descriptions",
        "Descriptions in other languages",
        Holds::PerLanguage(&PROSE),
    ),
    f("category", "Category", Holds::Ref(Target::Category)),
    f(
        "specialty",
        "Medical specialty (schema.org)",
        Holds::Choice(specialties),
    ),
];

/// The kinds an editor writes files of, in the order the editor lists them.
pub const EDITED: [Kind; 5] = [
    Kind::Cluster,
    Kind::Spa,
    Kind::News,
    Kind::Event,
    Kind::Page,
];

/// Every front-matter field of `kind`: the common ones, then its own.
pub fn fields(kind: Kind) -> Vec<Field> {
    let own: &[Field] = match kind {
        Kind::Cluster => CLUSTER,
        Kind::Spa => SPA,
        Kind::News => NEWS,
        Kind::Event => EVENT,
        Kind::Page | Kind::Home => &[],
    };
    COMMON
        .iter()
        .chain(own)
        .map(|f| match (kind, f.name) {
            // A language home may leave its title to the site's.
            (Kind::Home, "title") => Field {
                required: false,
                ..*f
            },
            _ => *f,
        })
        .collect()
}

/// The field names of a struct as its `Deserialize` implementation knows
/// them, read by asking it to deserialize from a probe that records the
/// names and stops.
pub fn struct_fields<'de, T: serde::Deserialize<'de>>() -> Vec<&'static str> {
    let mut names = None;
    let _ = T::deserialize(probe::Probe(&mut names));
    names.unwrap_or_default().to_vec()
}

mod probe {
    use serde::de::{self, Visitor};
    use std::fmt;

    pub struct Probe<'a>(pub &'a mut Option<&'static [&'static str]>);

    #[derive(Debug)]
    pub struct Stop;

    impl fmt::Display for Stop {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("probe")
        }
    }
    impl std::error::Error for Stop {}
    impl de::Error for Stop {
        fn custom<T: fmt::Display>(_: T) -> Self {
            Stop
        }
    }

    impl<'de> de::Deserializer<'de> for Probe<'_> {
        type Error = Stop;
        fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Stop> {
            Err(Stop)
        }
        fn deserialize_struct<V: Visitor<'de>>(
            self,
            _: &'static str,
            fields: &'static [&'static str],
            _: V,
        ) -> Result<V::Value, Stop> {
            *self.0 = Some(fields);
            Err(Stop)
        }
        serde::forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
            bytes byte_buf option unit unit_struct newtype_struct seq tuple
            tuple_struct map enum identifier ignored_any
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::frontmatter::*;
    use crate::content::{CategoryRecord, LocationRecord, TreatmentRecord};

    fn names(fields: &[Field]) -> Vec<&'static str> {
        fields.iter().map(|f| f.name).collect()
    }

    /// The tables hold exactly the structs' fields, in the structs' order:
    /// a field added to front matter without saying here what it holds
    /// (and so without a form field, a column, a translation rule) fails.
    #[test]
    fn tables_match_the_structs() {
        let kinds: [(Kind, Vec<&str>); 6] = [
            (Kind::Cluster, struct_fields::<ClusterFront>()),
            (Kind::Spa, struct_fields::<SpaFront>()),
            (Kind::News, struct_fields::<NewsFront>()),
            (Kind::Event, struct_fields::<EventFront>()),
            (Kind::Page, struct_fields::<PageFront>()),
            (Kind::Home, struct_fields::<PageFront>()),
        ];
        for (kind, from_serde) in kinds {
            assert!(!from_serde.is_empty());
            assert_eq!(names(&fields(kind)), from_serde, "{kind:?}");
        }
        let nested: [(&str, &[Field], Vec<&str>); 11] = [
            ("Address", ADDRESS, struct_fields::<Address>()),
            ("Contact", CONTACT, struct_fields::<Contact>()),
            ("Coordinates", COORDINATES, struct_fields::<Coordinates>()),
            ("Source", SOURCE, struct_fields::<Source>()),
            ("PhotoFront", PHOTO, struct_fields::<PhotoFront>()),
            ("Price", PRICE, struct_fields::<Price>()),
            ("Hours", HOURS, struct_fields::<Hours>()),
            ("SeasonHours", SEASON, struct_fields::<SeasonHours>()),
            (
                "LocationRecord",
                LOCATION,
                struct_fields::<LocationRecord>(),
            ),
            (
                "CategoryRecord",
                CATEGORY,
                struct_fields::<CategoryRecord>(),
            ),
            (
                "TreatmentRecord",
                TREATMENT,
                struct_fields::<TreatmentRecord>(),
            ),
        ];
        for (name, table, from_serde) in nested {
            assert_eq!(names(table), from_serde, "{name}");
        }
    }

    #[test]
    fn choices_are_what_front_matter_accepts() {
        for kind in spa_kinds() {
            let front = format!("title = \"x\"\nkind = \"{kind}\"\n");
            assert!(
                crate::content::load::parse_front(Kind::Spa, &front).is_ok(),
                "{kind}"
            );
        }
        assert_eq!(spa_kinds().len(), SpaKind::ALL.len());
        assert!(event_statuses().contains(&"moved-online"));
        assert!(accessibility().contains(&"step-free-access"));
    }

    #[test]
    fn texts_are_the_translations_own() {
        let texts: Vec<&str> = fields(Kind::Spa)
            .into_iter()
            .filter(|f| f.is_text())
            .map(|f| f.name)
            .collect();
        assert_eq!(texts, ["title", "description"]);
    }
}
