//! Content loading: walk `content/`, read each file, split and parse its
//! front matter into the typed struct of its kind, and take its language
//! from the file name. Nothing here knows about other files; joining
//! translations and resolving references is the site graph's job.

pub mod date;
pub mod frontmatter;
pub mod load;
pub mod locations;
pub mod treatments;

pub use date::Date;
pub use frontmatter::FrontMatter;
pub use load::{ContentFile, LoadedContent, SourceFile, load};
pub use locations::LocationRecord;
pub use treatments::{CategoryRecord, TreatmentRecord, Treatments};

use serde::Serialize;

/// What a content file describes, from the folder it is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Cluster,
    Spa,
    News,
    Page,
    /// A seminar, fair or open day: `content/events/<slug>.<lang>.md`.
    Event,
    /// `content/_index.<lang>.md`, the text of a language home.
    Home,
}

impl Kind {
    /// The kinds whose files are items with pages of their own, in the
    /// order lists, the sitemap and the search index take them.
    pub const ITEMS: [Kind; 5] = [
        Kind::Cluster,
        Kind::Spa,
        Kind::News,
        Kind::Page,
        Kind::Event,
    ];

    /// The folder under `content/` and the URL segment of this kind.
    pub fn folder(self) -> &'static str {
        match self {
            Kind::Cluster => "clusters",
            Kind::Spa => "spas",
            Kind::News => "news",
            Kind::Page => "pages",
            Kind::Event => "events",
            Kind::Home => "",
        }
    }

    pub fn from_folder(folder: &str) -> Option<Kind> {
        Some(match folder {
            "clusters" => Kind::Cluster,
            "spas" => Kind::Spa,
            "news" => Kind::News,
            "pages" => Kind::Page,
            "events" => Kind::Event,
            _ => return None,
        })
    }

    /// The kind's name in messages.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Cluster => "cluster",
            Kind::Spa => "spa",
            Kind::News => "news item",
            Kind::Page => "page",
            Kind::Event => "event",
            Kind::Home => "home text",
        }
    }

    /// The key of this kind's name in the theme's UI strings.
    pub fn label_key(self) -> &'static str {
        match self {
            Kind::Cluster => "cluster",
            Kind::Spa => "spa",
            Kind::News => "news_item",
            Kind::Page | Kind::Home | Kind::Event => "page",
        }
    }
}

/// A name in `lang` from a record's `names` table, or its default `name`:
/// the rule of every translated name in a TOML record.
pub fn name_in<'a>(
    names: &'a indexmap::IndexMap<String, String>,
    name: &'a str,
    lang: &str,
) -> &'a str {
    names.get(lang).map_or(name, String::as_str)
}

/// The same rule for an optional text and its `descriptions` table.
pub fn text_in<'a>(
    texts: &'a indexmap::IndexMap<String, String>,
    text: Option<&'a str>,
    lang: &str,
) -> Option<&'a str> {
    texts.get(lang).map(String::as_str).or(text)
}
