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

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SpaKind {
    MedicalSpa,
    WellnessSpa,
    SpaHotel,
    Rehabilitation,
    WaterPark,
    Clinic,
}

impl SpaKind {
    /// The key of this kind's name in the theme's UI strings.
    pub fn label_key(self) -> &'static str {
        match self {
            SpaKind::MedicalSpa => "kind_medical_spa",
            SpaKind::WellnessSpa => "kind_wellness_spa",
            SpaKind::SpaHotel => "kind_spa_hotel",
            SpaKind::Rehabilitation => "kind_rehabilitation",
            SpaKind::WaterPark => "kind_water_park",
            SpaKind::Clinic => "kind_clinic",
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
        }
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
    ($(#[$doc:meta])* $name:ident { $($field:ident : $ty:ty),* $(,)? }) => {
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
            pub updated: Option<toml::value::Datetime>,
            #[serde(default)]
            pub aliases: Vec<String>,
            pub translation_key: Option<String>,
            /// The main photo (docs/content.md, "Photos").
            pub image: Option<toml::Spanned<PhotoFront>>,
            #[serde(default)]
            pub gallery: Vec<toml::Spanned<PhotoFront>>,
            $(pub $field: $ty,)*
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
});

front_matter!(NewsFront {
    date: Option<toml::value::Datetime>,
    cluster: Option<String>,
    locations: Option<Vec<String>>,
    source: Option<Source>,
});

front_matter!(PageFront {});

/// A file's parsed front matter, by kind.
#[derive(Debug, Clone)]
pub enum FrontMatter {
    Cluster(ClusterFront),
    Spa(SpaFront),
    News(NewsFront),
    Page(PageFront),
    Home(PageFront),
}

impl FrontMatter {
    pub fn common(&self) -> CommonRef<'_> {
        match self {
            FrontMatter::Cluster(f) => f.common(),
            FrontMatter::Spa(f) => f.common(),
            FrontMatter::News(f) => f.common(),
            FrontMatter::Page(f) | FrontMatter::Home(f) => f.common(),
        }
    }
}
