//! Social cards: the picture a messenger shows when a page without a photo
//! is shared (`og:image`, 1200 × 630 PNG). A card is drawn from the page's
//! own facts in its language — what it is, its title, its town and
//! country, its cluster, the site — beside a map of its places on the
//! basemap, as SVG, and rasterised by `resvg`. Text is shaped by HarfBuzz's
//! rules (Arabic letters join, Devanagari conjuncts form) with the Noto
//! fonts compiled into the binary (`data/fonts/`), never the machine's, so
//! the same page gives the same bytes everywhere.
//!
//! Right-to-left pages get the mirror image: text on the right, aligned
//! right, map on the left. A card whose text has a letter none of the fonts
//! has (Chinese, Japanese, Korean) is not made: a box for each letter is
//! worse than no picture.

use crate::basemap::{self, Frame};
use resvg::{tiny_skia, usvg};
use std::fmt::Write;
use std::sync::{Arc, OnceLock};

pub const WIDTH: u32 = 1200;
pub const HEIGHT: u32 = 630;
/// A change in how cards are drawn must change this, so cached cards
/// drawn the old way are not reused.
pub const VERSION: &str = "klynge-card-1";

/// What a card shows. Every string is in the page's language.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Card {
    pub rtl: bool,
    /// What the page is: "Spa hotel", "Cluster", "News item"…
    pub kind: Option<String>,
    pub title: String,
    /// Short facts under the title, in order: town and country, cluster.
    pub lines: Vec<String>,
    /// The site's title, at the foot.
    pub site: String,
    /// (lat, lon) of the places the map marks; no map without one.
    pub places: Vec<(f64, f64)>,
    /// ISO codes of the countries the map sets apart and shows whole.
    pub countries: Vec<String>,
}

impl Card {
    /// The text alternative of the card: what it says, in reading order.
    pub fn alt(&self) -> String {
        let mut parts: Vec<&str> = Vec::new();
        parts.extend(self.kind.as_deref());
        parts.push(&self.title);
        parts.extend(self.lines.iter().map(String::as_str));
        parts.join(" · ")
    }
}

const FONT_FILES: [&[u8]; 12] = [
    include_bytes!("../data/fonts/NotoSans-Regular.ttf"),
    include_bytes!("../data/fonts/NotoSans-Bold.ttf"),
    include_bytes!("../data/fonts/NotoSansArabic-Regular.ttf"),
    include_bytes!("../data/fonts/NotoSansArabic-Bold.ttf"),
    include_bytes!("../data/fonts/NotoSansHebrew-Regular.ttf"),
    include_bytes!("../data/fonts/NotoSansHebrew-Bold.ttf"),
    include_bytes!("../data/fonts/NotoSansArmenian-Regular.ttf"),
    include_bytes!("../data/fonts/NotoSansArmenian-Bold.ttf"),
    include_bytes!("../data/fonts/NotoSansGeorgian-Regular.ttf"),
    include_bytes!("../data/fonts/NotoSansGeorgian-Bold.ttf"),
    include_bytes!("../data/fonts/NotoSansDevanagari-Regular.ttf"),
    include_bytes!("../data/fonts/NotoSansDevanagari-Bold.ttf"),
];

/// The parser's options: the shipped fonts only, loaded once.
fn options() -> &'static usvg::Options<'static> {
    static OPTIONS: OnceLock<usvg::Options<'static>> = OnceLock::new();
    OPTIONS.get_or_init(|| {
        let mut db = usvg::fontdb::Database::new();
        for data in FONT_FILES {
            db.load_font_source(usvg::fontdb::Source::Binary(Arc::new(data)));
        }
        usvg::Options {
            fontdb: Arc::new(db),
            font_family: FAMILY.to_string(),
            font_resolver: usvg::FontResolver {
                select_fallback: Box::new(fallback),
                ..usvg::FontResolver::default()
            },
            ..usvg::Options::default()
        }
    })
}

/// The font that draws `c` where the text's own font has no glyph for it:
/// one of the same weight, so a bold Arabic title stays bold.
fn fallback(
    c: char,
    used: &[usvg::fontdb::ID],
    db: &mut Arc<usvg::fontdb::Database>,
) -> Option<usvg::fontdb::ID> {
    let weight = db.face(*used.first()?)?.weight;
    let has = |id| db.with_face_data(id, |data, i| draws(data, i, c)) == Some(true);
    let candidates = || db.faces().filter(|f| !used.contains(&f.id) && has(f.id));
    let same = candidates().find(|f| f.weight == weight).map(|f| f.id);
    same.or_else(|| candidates().next().map(|f| f.id))
}

/// Whether the font `index` of `data` has a glyph for `c`.
fn draws(data: &[u8], index: u32, c: char) -> bool {
    use skrifa::MetadataProvider;
    skrifa::FontRef::from_index(data, index).is_ok_and(|f| f.charmap().map(c).is_some())
}

/// Whether some shipped font draws every letter of `s`.
fn covered(s: &str) -> bool {
    s.chars()
        .filter(|c| !c.is_whitespace() && !c.is_control() && !is_format(*c))
        .all(|c| FONT_FILES.iter().any(|data| draws(data, 0, c)))
}

/// Invisible formatting characters (joiners, direction marks), which no
/// font needs to draw.
fn is_format(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2069}' | '\u{FEFF}')
}

/// The family list of every text: the first font that has a letter draws
/// it (Latin, Greek and Cyrillic in Noto Sans, the others in theirs).
const FAMILY: &str = "Noto Sans";

// The default theme's colours (its header and map).
const BG: &str = "#0c4a52";
const TEXT: &str = "#ffffff";
const SOFT: &str = "#d4ebea";
const KIND: &str = "#ffd166";
const ACCENT: &str = "#e8703a";
const STYLE: &str = ".map-sea,.map-lake{fill:#cde2ea}.map-land{fill:#e7e4d9}.map-home{fill:#fbfaf5}.map-border{fill:none;stroke:#8f8a7c;stroke-width:1.5}";

/// The map's width; it takes the card's full height at one side.
const MAP_W: u32 = 470;
/// Space between the card's edge and its text.
const MARGIN: f64 = 64.0;
/// Title sizes tried, largest first, with the lines each may take.
const TITLE_SIZES: [(f64, usize); 4] = [(66.0, 3), (58.0, 3), (50.0, 4), (44.0, 4)];

/// The card as SVG, or `None` when its text has a letter no shipped font
/// draws.
pub fn svg(card: &Card) -> Option<String> {
    let all = [&card.title, &card.site]
        .into_iter()
        .chain(&card.kind)
        .chain(&card.lines);
    if !all.into_iter().all(|s| covered(s)) {
        return None;
    }
    let with_map = !card.places.is_empty();
    let text_w = if with_map {
        f64::from(WIDTH - MAP_W) - 2.0 * MARGIN + 8.0
    } else {
        f64::from(WIDTH) - 2.0 * MARGIN
    };
    let fact_size = 30.0;
    let facts: Vec<String> = card
        .lines
        .iter()
        .map(|l| wrap(l, fact_size, false, text_w, 2))
        .collect::<Option<Vec<_>>>()?
        .concat();
    let kind = match &card.kind {
        Some(k) => Some(fit_line(k, 28.0, true, text_w)?),
        None => None,
    };
    let site = fit_line(&card.site, 24.0, false, text_w)?;
    let (title_size, title) = wrap_title(&card.title, text_w)?;

    let mut out = String::with_capacity(64 * 1024);
    let _ = write!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{WIDTH}\" height=\"{HEIGHT}\" viewBox=\"0 0 {WIDTH} {HEIGHT}\"><style>{STYLE}</style><rect width=\"{WIDTH}\" height=\"{HEIGHT}\" fill=\"{BG}\"/>"
    );
    if with_map {
        let map_x = if card.rtl { 0 } else { WIDTH - MAP_W };
        write_map(&mut out, card, map_x);
    }
    // The text column: from the left margin, or to the right one.
    let (x, anchor) = if card.rtl {
        (f64::from(WIDTH) - MARGIN, "end")
    } else {
        (MARGIN, "start")
    };
    let bar_x = if card.rtl {
        f64::from(WIDTH) - MARGIN - 72.0
    } else {
        MARGIN
    };
    let _ = write!(
        out,
        "<rect x=\"{bar_x}\" y=\"64\" width=\"72\" height=\"8\" rx=\"4\" fill=\"{ACCENT}\"/>"
    );
    let text = |out: &mut String, y: f64, size: f64, bold: bool, fill: &str, s: &str| {
        let _ = write!(
            out,
            "<text x=\"{x}\" y=\"{y:.1}\" font-family=\"{FAMILY}\" font-size=\"{size}\" font-weight=\"{}\" fill=\"{fill}\" text-anchor=\"{anchor}\">{}</text>",
            if bold { 700 } else { 400 },
            html_escape::encode_text(&directed(s, card.rtl))
        );
    };
    let mut y = 128.0;
    if let Some(k) = &kind {
        text(&mut out, y, 28.0, true, KIND, k);
        y += 20.0;
    }
    for line in &title {
        y += title_size * 1.16;
        text(&mut out, y, title_size, true, TEXT, line);
    }
    y += 18.0;
    for (n, f) in facts.iter().enumerate() {
        y += fact_size * if n == 0 { 1.5 } else { 1.3 };
        text(&mut out, y, fact_size, false, SOFT, f);
    }
    text(&mut out, f64::from(HEIGHT) - 58.0, 24.0, false, SOFT, &site);
    out.push_str("</svg>");
    Some(out)
}

/// `s` wrapped so the renderer lays a right-to-left line out as one: its
/// bidirectional algorithm starts every line left to right, and an
/// embedding (RLE … PDF) sets the line's own direction.
fn directed(s: &str, rtl: bool) -> String {
    if rtl {
        format!("\u{202B}{s}\u{202C}")
    } else {
        s.to_string()
    }
}

/// The map at `map_x`, the card's full height: the basemap with the home
/// countries set apart, a dot at each place, an accent band at its edge.
fn write_map(out: &mut String, card: &Card, map_x: u32) {
    let mut at: Vec<(f64, f64)> = card.places.clone();
    for c in &card.countries {
        if let Some(b) = basemap::world().country_bounds(c) {
            at.extend([(b.south, b.west), (b.north, b.east)]);
        }
    }
    let frame = Frame::fit(&at, MAP_W, HEIGHT, HEIGHT);
    let base = basemap::draw(frame, &card.countries);
    let _ = write!(
        out,
        "<clipPath id=\"m\"><rect width=\"{MAP_W}\" height=\"{HEIGHT}\"/></clipPath><g transform=\"translate({map_x} 0)\"><g clip-path=\"url(#m)\">{base}"
    );
    let r = if card.places.len() > 1 { 9.0 } else { 14.0 };
    for &(lat, lon) in &card.places {
        let (px, py) = frame.project(lat, lon);
        let _ = write!(
            out,
            "<circle cx=\"{px:.1}\" cy=\"{py:.1}\" r=\"{r}\" fill=\"{ACCENT}\" stroke=\"#ffffff\" stroke-width=\"4\"/>"
        );
    }
    // A band of the accent colour where map and text meet.
    let edge = if card.rtl {
        f64::from(MAP_W) - 6.0
    } else {
        0.0
    };
    let _ = write!(
        out,
        "<rect x=\"{edge}\" width=\"6\" height=\"{HEIGHT}\" fill=\"{ACCENT}\"/></g></g>"
    );
}

/// The widths of `words` at `size`, or `None` if a letter has no glyph.
fn widths(words: &[&str], size: f64, bold: bool) -> Option<Vec<f64>> {
    let mut svg = String::from("<svg xmlns=\"http://www.w3.org/2000/svg\">");
    for w in words {
        let _ = write!(
            svg,
            "<text font-family=\"{FAMILY}\" font-size=\"{size}\" font-weight=\"{}\">{}</text>",
            if bold { 700 } else { 400 },
            html_escape::encode_text(w)
        );
    }
    svg.push_str("</svg>");
    let tree = usvg::Tree::from_str(&svg, options()).ok()?;
    let mut out = Vec::with_capacity(words.len());
    for node in tree.root().children() {
        let usvg::Node::Text(t) = node else { continue };
        let missing = t
            .layouted()
            .iter()
            .flat_map(|s| &s.positioned_glyphs)
            .any(|g| g.id.0 == 0);
        if missing {
            return None;
        }
        out.push(f64::from(t.bounding_box().width()));
    }
    // A word of spaces only has no text node: count it as empty.
    out.resize(words.len(), 0.0);
    Some(out)
}

/// The title in lines at the largest size that fits, the last line cut
/// with an ellipsis if even the smallest does not.
fn wrap_title(title: &str, width: f64) -> Option<(f64, Vec<String>)> {
    let words: Vec<&str> = title.split_whitespace().collect();
    for &(size, max_lines) in &TITLE_SIZES {
        let w = widths(&words, size, true)?;
        let lines = greedy(&words, &w, size * 0.26, width);
        if lines.len() <= max_lines && w.iter().all(|x| *x <= width) {
            return Some((size, lines));
        }
    }
    let &(size, max_lines) = TITLE_SIZES.last()?;
    Some((size, wrap(title, size, true, width, max_lines)?))
}

/// `text` in at most `max_lines` lines of `width`, the last one cut with
/// an ellipsis when the text is longer.
fn wrap(text: &str, size: f64, bold: bool, width: f64, max_lines: usize) -> Option<Vec<String>> {
    let words: Vec<&str> = text.split_whitespace().collect();
    let w = widths(&words, size, bold)?;
    let mut lines = greedy(&words, &w, size * 0.26, width);
    if lines.len() > max_lines {
        lines.truncate(max_lines);
        let end = lines.pop().unwrap_or_default();
        lines.push(format!("{end} …"));
    }
    // A last line made too long by its ellipsis, or a single word wider
    // than the card, is cut to fit.
    lines
        .into_iter()
        .map(|l| fit_line(&l, size, bold, width))
        .collect()
}

/// Words into lines no wider than `width` (a word wider than that is a
/// line of its own).
fn greedy(words: &[&str], widths: &[f64], space: f64, width: f64) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line_w = 0.0;
    for (word, &w) in words.iter().zip(widths) {
        match lines.last_mut() {
            Some(line) if line_w + space + w <= width => {
                line.push(' ');
                line.push_str(word);
                line_w += space + w;
            }
            _ => {
                lines.push((*word).to_string());
                line_w = w;
            }
        }
    }
    lines
}

/// `line` on one line of `width`: whole if it fits, else cut at a word
/// (or a letter) with an ellipsis.
fn fit_line(line: &str, size: f64, bold: bool, width: f64) -> Option<String> {
    let whole = widths(&[line], size, bold)?[0];
    if whole <= width {
        return Some(line.to_string());
    }
    let chars: Vec<(usize, char)> = line.char_indices().collect();
    // The longest prefix that fits with its ellipsis, found by halving.
    let (mut lo, mut hi) = (0, chars.len());
    while lo < hi {
        let mid = (lo + hi).div_ceil(2);
        let cut = format!("{}…", line[..chars[mid].0].trim_end());
        if widths(&[&cut], size, bold)?[0] <= width {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    let prefix = &line[..chars.get(lo).map_or(line.len(), |c| c.0)];
    // Back to the last space, when there is one not too far back.
    let prefix = match prefix.rfind(' ') {
        Some(at) if at * 3 > prefix.len() * 2 => &prefix[..at],
        _ => prefix,
    };
    Some(format!("{}…", prefix.trim_end()))
}

/// The card `svg` as PNG bytes.
pub fn png(svg: &str) -> Result<Vec<u8>, String> {
    let tree = usvg::Tree::from_str(svg, options())
        .map_err(|e| format!("cannot draw the social card: {e}"))?;
    let mut pixmap =
        tiny_skia::Pixmap::new(WIDTH, HEIGHT).ok_or("cannot draw the social card: no memory")?;
    resvg::render(&tree, tiny_skia::Transform::default(), &mut pixmap.as_mut());
    encode_rgb(&pixmap)
}

/// The card as an 8-bit RGB PNG: cards are opaque, so the alpha channel
/// would only cost bytes.
fn encode_rgb(pixmap: &tiny_skia::Pixmap) -> Result<Vec<u8>, String> {
    let rgb: Vec<u8> = pixmap
        .data()
        .chunks_exact(4)
        .flat_map(|p| [p[0], p[1], p[2]])
        .collect();
    let mut out = Vec::new();
    image::codecs::png::PngEncoder::new_with_quality(
        &mut out,
        image::codecs::png::CompressionType::Best,
        image::codecs::png::FilterType::Adaptive,
    )
    .write_image(&rgb, WIDTH, HEIGHT, image::ExtendedColorType::Rgb8)
    .map_err(|e| format!("cannot encode the social card: {e}"))?;
    Ok(out)
}

use image::ImageEncoder as _;

#[cfg(test)]
mod tests {
    use super::*;

    fn laine() -> Card {
        Card {
            rtl: false,
            kind: Some("Medical spa".into()),
            title: "Laine Spa Hotel and Rehabilitation Centre in Pärnu".into(),
            lines: vec![
                "Pärnu, Estonia".into(),
                "Member of Estonian Health Tourism Cluster".into(),
            ],
            site: "Health tourism in the Baltics, Türkiye and Norway".into(),
            places: vec![(58.385, 24.497)],
            countries: vec!["EE".into()],
        }
    }

    fn izmir() -> Card {
        Card {
            rtl: true,
            kind: Some("تجمع".into()),
            title: "تجمع إزمير للسياحة الصحية".into(),
            lines: vec!["إزمير، تركيا".into()],
            site: "السياحة الصحية في دول البلطيق وتركيا والنرويج".into(),
            places: vec![(38.42, 27.14)],
            countries: vec!["TR".into()],
        }
    }

    /// The decoded card: its size and how many distinct colours it has.
    fn look(png: &[u8]) -> (u32, u32, usize) {
        let img = image::load_from_memory(png).unwrap().into_rgb8();
        let mut colours: Vec<[u8; 3]> = img.pixels().map(|p| p.0).collect();
        colours.sort_unstable();
        colours.dedup();
        (img.width(), img.height(), colours.len())
    }

    fn drawn(card: &Card) -> Vec<u8> {
        let png = png(&svg(card).expect("the fonts cover the card")).unwrap();
        if let Some(dir) = std::env::var_os("KLYNGE_CARD_DUMP") {
            let name = if card.rtl { "rtl.png" } else { "ltr.png" };
            std::fs::write(std::path::Path::new(&dir).join(name), &png).unwrap();
        }
        png
    }

    #[test]
    fn latin_and_arabic_cards_are_drawn_whole() {
        for card in [laine(), izmir()] {
            let png = drawn(&card);
            let (w, h, colours) = look(&png);
            assert_eq!((w, h), (WIDTH, HEIGHT));
            // Text, map and background: far more than a blank card's one.
            assert!(colours > 200, "{colours} colours");
            assert_eq!(png, drawn(&card), "same card, same bytes");
        }
    }

    #[test]
    fn text_no_font_draws_makes_no_card() {
        let mut c = laine();
        c.title = "東京の温泉".into();
        assert_eq!(svg(&c), None);
    }

    #[test]
    fn a_long_title_is_wrapped_then_cut() {
        let long = "Sanatorium ".repeat(30);
        let (size, lines) = wrap_title(long.trim(), 600.0).unwrap();
        assert_eq!(size, TITLE_SIZES[TITLE_SIZES.len() - 1].0);
        assert_eq!(lines.len(), 4);
        assert!(lines[3].ends_with('…'), "{lines:?}");
        let short = wrap_title("Laine", 600.0).unwrap();
        assert_eq!(short, (TITLE_SIZES[0].0, vec!["Laine".to_string()]));
    }
}
