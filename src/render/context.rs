//! Typed views handed to templates. Each page kind has its own struct, so
//! a template's variables are listed here, in one place, with their types
//! (docs/themes.md describes them for theme authors).

use serde::Serialize;
use std::sync::Arc;

/// What every page gets, around the page kind's own `data`.
#[derive(Serialize)]
pub struct Page<'a, D: Serialize> {
    pub lang: &'a str,
    /// `ltr` or `rtl`: the direction of the page language.
    pub dir: &'static str,
    /// Not serialised with the page: `Theme::with_context` supplies it.
    #[serde(skip)]
    pub t: &'a crate::theme::Strings,
    pub site: SiteView<'a>,
    pub head: Head,
    pub nav: Nav,
    /// The same page in the site's other languages (only those that exist).
    pub switcher: Vec<SwitchLink>,
    pub breadcrumbs: Vec<Link>,
    /// Set by `klynge serve` only: the live-reload script's URL.
    pub live_reload: Option<String>,
    /// The page's main photo and gallery (item pages; docs/themes.md).
    pub photo: Option<PhotoView>,
    pub gallery: Vec<PhotoView>,
    pub data: D,
    /// Why the page's social card could not be made: the page is then an
    /// error, not a page without its picture.
    #[serde(skip)]
    pub card_error: Option<String>,
}

/// A processed photo for templates: `html` is the whole `<picture>`
/// (lazy; the page's first image is made eager), `href` the widest JPEG.
#[derive(Serialize, Clone, PartialEq, Debug)]
pub struct PhotoView {
    pub html: String,
    pub href: String,
    pub width: u32,
    pub height: u32,
    pub alt: String,
    pub caption: Option<String>,
    pub credit: Option<String>,
    pub decorative: bool,
}

/// The picture of `og:image`: an absolute URL and its size.
#[derive(Serialize, Clone)]
pub struct OgImage {
    pub url: String,
    pub width: u32,
    pub height: u32,
    pub alt: String,
    /// A social card drawn from the page's facts, not a photo.
    pub card: bool,
}

#[derive(Serialize)]
pub struct SiteView<'a> {
    /// The site's title in the page language.
    pub title: &'a str,
    pub base_path: &'a str,
    /// The language chooser at the site root.
    pub chooser: String,
    pub stylesheet: String,
    /// The site icon: the theme's `favicon.svg`, or the site's own.
    pub favicon: String,
    pub syntax_stylesheet: String,
    pub search_script: String,
}

#[derive(Serialize)]
pub struct Head {
    /// The `<title>`: page title and site title.
    pub title: String,
    /// The page's own title, for `<h1>` and OpenGraph.
    pub heading: String,
    pub description: String,
    pub canonical: String,
    pub alternates: Vec<Alternate>,
    pub x_default: String,
    pub og_type: &'static str,
    /// The page language's `ll_TT` locale, when the site knows it.
    pub og_locale: Option<String>,
    /// The locales of the page's other translations.
    pub og_locale_alternates: Vec<String>,
    /// schema.org JSON-LD, already serialised and safe inside `<script>`.
    pub json_ld: String,
    pub feed: String,
    /// Set on pages that must not be indexed (404, redirects).
    pub noindex: bool,
    /// The page's main photo (or first gallery photo), for social cards.
    pub og_image: Option<OgImage>,
}

#[derive(Serialize, Clone)]
pub struct Alternate {
    pub lang: String,
    pub href: String,
}

#[derive(Serialize)]
pub struct Nav {
    pub home: String,
    pub clusters: String,
    pub spas: String,
    pub news: String,
    pub locations: String,
    pub search: String,
    /// The treatment index, when the site has treatments.
    pub treatments: Option<String>,
    /// The event list, when the site has events.
    pub events: Option<String>,
    /// Which of the above this page belongs to, for `aria-current`.
    pub section: &'static str,
    /// The language's own links (`[[languages.<lang>.menu]]`), after the
    /// sections.
    pub menu: Vec<MenuLink>,
}

#[derive(Serialize, Clone)]
pub struct MenuLink {
    pub name: String,
    pub href: String,
    /// The language of the page it leads to, when not the page's own (a
    /// fallback translation): for `hreflang` and `lang`.
    pub lang: Option<String>,
    /// Whether it leads to the page it is shown on, for `aria-current`.
    pub current: bool,
}

#[derive(Serialize, Clone)]
pub struct SwitchLink {
    pub lang: String,
    pub name: String,
    pub href: String,
    pub current: bool,
}

#[derive(Serialize, Clone)]
pub struct Link {
    pub name: String,
    pub href: String,
}

/// A date with its machine form (for `datetime`) and its display form.
#[derive(Serialize, Clone, PartialEq)]
pub struct DateView {
    pub iso: String,
    pub text: String,
}

/// A link to an item in a list. `lang` is set when the item is shown in a
/// fallback translation, so the template can mark it.
#[derive(Serialize, Clone, PartialEq)]
pub struct ItemLink {
    /// The HTML of the item's entry in lists: `list_item.html`, made once
    /// per item and language (see `render::entries`).
    pub html: std::sync::Arc<str>,
    /// The same entry without the town, for lists under a town heading;
    /// `None` for entries that name no town.
    pub html_in_town: Option<std::sync::Arc<str>>,
    /// Collation key of the title in the page language, made once with
    /// the link.
    #[serde(skip)]
    pub sort: Vec<u8>,
    pub title: String,
    pub href: String,
    pub lang: Option<String>,
    pub lang_name: Option<String>,
    pub summary: String,
    pub date: Option<DateView>,
    pub location: Option<String>,
    pub kind: Option<String>,
    /// A spa's first treatments, named in the page language…
    pub treatments: Vec<String>,
    /// …and "+2 more" for the rest.
    pub more_treatments: Option<String>,
    /// The languages a spa's staff speak, named in the page language.
    pub languages: Vec<String>,
    /// The item's main photo, sized for a list card.
    pub photo: Option<PhotoView>,
}

#[derive(Serialize, Clone)]
pub struct LocationGroup {
    pub name: String,
    pub href: String,
    pub items: Vec<Arc<ItemLink>>,
}

#[derive(Serialize, Clone)]
pub struct CountryGroup {
    pub code: String,
    pub name: String,
    pub locations: Vec<LocationLink>,
    /// Inline SVG map of the country's locations, drawn at build time.
    pub map: String,
}

#[derive(Serialize, Clone)]
pub struct LocationLink {
    pub name: String,
    pub href: String,
    pub spa_count: usize,
    /// `spa_count` in words, in the page language's plural form.
    pub spa_count_text: String,
    pub region: Option<String>,
}

#[derive(Serialize)]
pub struct AddressView {
    pub lines: Vec<String>,
}

#[derive(Serialize)]
pub struct ContactView {
    pub name: Option<String>,
    pub role: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
}

#[derive(Serialize)]
pub struct HomeData {
    pub text: Option<TextView>,
    /// The next events, soonest first.
    pub events: Vec<Arc<ItemLink>>,
    pub clusters: Vec<Arc<ItemLink>>,
    pub news: Vec<Arc<ItemLink>>,
    pub countries: Vec<CountryGroup>,
}

/// Body HTML, with its language when it is a fallback translation.
#[derive(Serialize)]
pub struct TextView {
    pub html: String,
    pub lang: Option<String>,
}

#[derive(Serialize)]
pub struct ChooserData {
    pub languages: Vec<ChooserEntry>,
}

#[derive(Serialize)]
pub struct ChooserEntry {
    pub lang: String,
    pub dir: &'static str,
    pub name: String,
    pub title: String,
    pub href: String,
    /// "Choose your language", in this language.
    pub prompt: String,
}

/// The site-wide 404 page: a reader may come from any language, so it
/// says "not found" in each, every line linking to that language's home.
#[derive(Serialize)]
pub struct NotFoundData {
    pub languages: Vec<NotFoundEntry>,
}

#[derive(Serialize)]
pub struct NotFoundEntry {
    pub lang: String,
    pub dir: &'static str,
    pub title: String,
    pub text: String,
    pub back_home: String,
    pub href: String,
}

#[derive(Serialize)]
pub struct ClusterData {
    pub body: String,
    /// The cluster's next events, soonest first.
    pub events: Vec<Arc<ItemLink>>,
    pub country: String,
    pub legal_name: Option<String>,
    pub org_number: Option<String>,
    pub founded: Option<DateView>,
    pub website: Option<String>,
    pub address: Option<AddressView>,
    pub contact: Option<ContactView>,
    pub partners: Vec<String>,
    pub locations: Vec<Link>,
    /// The member spas under their country, then their town.
    pub members: Vec<CountrySpas>,
    pub news: Vec<Arc<ItemLink>>,
    pub updated: Option<DateView>,
    /// When the listing's facts were last checked (`verified`).
    pub verified: Option<DateView>,
    /// Inline SVG map of the members, with its list of places.
    pub map: String,
}

#[derive(Serialize)]
pub struct SpaData {
    pub body: String,
    pub kind: Option<String>,
    pub cluster: Arc<ItemLink>,
    pub location: Link,
    pub country: String,
    /// Links to the treatment pages, names in the page language.
    pub treatments: Vec<Link>,
    pub website: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub address: Option<AddressView>,
    /// The spa's own coordinates only: none when it has none.
    pub coordinates: Option<CoordinatesView>,
    pub updated: Option<DateView>,
    /// When the listing's facts were last checked (`verified`).
    pub verified: Option<DateView>,
    /// The page of the spas of this kind.
    pub kind_href: Option<String>,
    /// `tel:` link of `phone`.
    pub phone_href: Option<String>,
    pub hours: Option<HoursView>,
    /// `EUR 60–250`.
    pub price: Option<String>,
    /// Languages spoken, by name in the page language.
    pub languages: Vec<String>,
    pub accreditations: Vec<String>,
    pub insurance: Vec<String>,
    /// Accessibility features, by name in the page language.
    pub accessibility: Vec<String>,
    pub booking: Option<String>,
    /// Priced programmes, in the order the front matter lists them.
    pub programmes: Vec<ProgrammeView>,
    pub enquiry: Option<EnquiryView>,
    /// The spa's vCard.
    pub vcard: String,
    /// Inline SVG map of the spa (or its town), with its list of places.
    pub map: String,
    /// The other spas in its town.
    pub nearby: Vec<Arc<ItemLink>>,
    /// Spas elsewhere offering most of the same treatments.
    pub similar: Vec<Arc<ItemLink>>,
}

/// Opening hours for the facts box.
#[derive(Serialize)]
pub struct HoursView {
    /// The usual week, the days the front matter gives.
    pub days: Vec<DayView>,
    pub seasons: Vec<SeasonView>,
    pub closed: Vec<DateView>,
}

#[derive(Serialize)]
pub struct DayView {
    pub name: String,
    /// `09:00–12:00, 13:00–17:00`, or the word for closed.
    pub text: String,
}

#[derive(Serialize)]
pub struct SeasonView {
    pub from: DateView,
    pub until: DateView,
    pub days: Vec<DayView>,
}

/// A priced programme, in the page language.
#[derive(Serialize)]
pub struct ProgrammeView {
    pub name: String,
    /// `890 EUR`, the number in the language's digits.
    pub price: String,
    /// `7 nights`, in the language's plural form.
    pub duration: Option<String>,
    /// ISO 8601 (`P7D`), for `<time datetime>`.
    pub duration_iso: Option<String>,
    pub treatments: Vec<Link>,
    pub description: Option<String>,
}

/// A pre-filled e-mail enquiry.
#[derive(Serialize)]
pub struct EnquiryView {
    /// `mailto:` with subject and body in the page language.
    pub href: String,
    pub label: String,
    /// Set when the enquiry goes to the cluster's contact, for want of the
    /// spa's own address: the cluster's name.
    pub via: Option<String>,
}

/// `/<lang>/treatments/`: treatments under their categories.
#[derive(Serialize)]
pub struct TreatmentIndexData {
    pub categories: Vec<TreatmentGroup>,
}

#[derive(Serialize)]
pub struct TreatmentGroup {
    /// Empty for the treatments of no category when there are no others.
    pub name: String,
    pub slug: String,
    pub treatments: Vec<TreatmentLink>,
}

#[derive(Serialize)]
pub struct TreatmentLink {
    pub name: String,
    pub href: String,
    pub description: Option<String>,
    pub spa_count: usize,
    /// `spa_count` in words, in the page language's plural form.
    pub spa_count_text: String,
}

/// A treatment's page: the spas offering it by country and town.
#[derive(Serialize)]
pub struct TreatmentData {
    pub name: String,
    pub description: Option<String>,
    pub category: Option<Link>,
    pub countries: Vec<CountrySpas>,
}

#[derive(Serialize)]
pub struct CountrySpas {
    pub code: String,
    pub name: String,
    pub locations: Vec<LocationGroup>,
}

/// Every spa of `countries`, in the order the page lists them.
pub fn country_items(countries: &[CountrySpas]) -> Vec<Arc<ItemLink>> {
    countries
        .iter()
        .flat_map(|c| &c.locations)
        .flat_map(|l| l.items.iter().cloned())
        .collect()
}

#[derive(Serialize)]
pub struct CoordinatesView {
    pub lat: f64,
    pub lon: f64,
    pub text: String,
}

#[derive(Serialize)]
pub struct NewsData {
    pub body: String,
    pub date: DateView,
    pub updated: Option<DateView>,
    pub cluster: Option<Arc<ItemLink>>,
    pub locations: Vec<Link>,
    pub source: Option<SourceView>,
}

#[derive(Serialize)]
pub struct SourceView {
    pub name: String,
    pub url: Option<String>,
}

#[derive(Serialize)]
pub struct PageData {
    pub body: String,
    pub updated: Option<DateView>,
}

#[derive(Serialize)]
pub struct ListData {
    pub items: Vec<Arc<ItemLink>>,
}

#[derive(Serialize)]
pub struct SpaIndexData {
    /// The spas under their country, then their town.
    pub countries: Vec<CountrySpas>,
    /// The kind pages, each with its name; on a kind page, the others.
    pub kinds: Vec<Link>,
}

#[derive(Serialize)]
pub struct NewsListData {
    pub items: Vec<Arc<ItemLink>>,
    pub pagination: Pagination,
}

#[derive(Serialize)]
pub struct Pagination {
    pub current: usize,
    pub total: usize,
    pub newer: Option<String>,
    pub older: Option<String>,
    pub pages: Vec<PageLink>,
    /// "Page 2 of 3", in the page language.
    pub label: String,
}

#[derive(Serialize)]
pub struct PageLink {
    pub n: usize,
    /// `n` in the page language's digits.
    pub text: String,
    pub href: String,
    pub current: bool,
}

#[derive(Serialize)]
pub struct LocationIndexData {
    pub countries: Vec<CountryGroup>,
}

#[derive(Serialize)]
pub struct LocationData {
    pub name: String,
    /// The next events held here, soonest first.
    pub events: Vec<Arc<ItemLink>>,
    pub country: String,
    pub region: Option<String>,
    pub coordinates: Option<CoordinatesView>,
    pub map: String,
    pub description: Option<String>,
    pub spas: Vec<Arc<ItemLink>>,
    pub clusters: Vec<Arc<ItemLink>>,
    pub news: Vec<Arc<ItemLink>>,
}

#[derive(Serialize)]
pub struct SearchData {
    pub index: String,
    /// Every UI string the search script needs, serialised for a data attribute.
    pub strings: String,
}

#[derive(Serialize)]
pub struct RedirectData {
    pub target: String,
}

#[derive(Serialize)]
pub struct Empty {}
