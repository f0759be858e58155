//! Maps drawn at build time as inline SVG: a Natural Earth basemap
//! (`crate::basemap`, Mercator) under the places, their labels placed so
//! that none overlaps another or leaves the frame. No tile server, no
//! third-party request, nothing for a consent banner; each place also gets a
//! plain OpenStreetMap link, which loads nothing until it is followed.

use crate::basemap::{self, Frame};
use std::fmt::Write;

pub struct Point<'a> {
    pub lat: f64,
    pub lon: f64,
    pub label: &'a str,
    pub href: Option<&'a str>,
    pub highlight: bool,
    /// The language of the linked page, when it is not the page's own (a
    /// fallback translation): links say so, as lists do.
    pub hreflang: Option<&'a str>,
    /// ISO code of the place's country: the map sets it apart from its
    /// neighbours.
    pub country: &'a str,
}

const W: f64 = 600.0;
const MIN_H: u32 = 300;
const MAX_H: u32 = 560;

/// The frame a map of `points` uses, showing the whole of `country` too
/// when one is given.
fn frame(points: &[Point], country: Option<&str>) -> Frame {
    let mut at: Vec<(f64, f64)> = points.iter().map(|p| (p.lat, p.lon)).collect();
    if let Some(b) = country.and_then(|c| basemap::world().country_bounds(c)) {
        at.extend([(b.south, b.west), (b.north, b.east)]);
    }
    Frame::fit(&at, W as u32, MIN_H, MAX_H)
}

/// An SVG map of `points`, titled `title` for screen readers, showing all
/// of `country` (its main land) too when given; `id` must be unique in the
/// page. Empty when there is nothing to draw.
pub fn svg(id: &str, title: &str, points: &[Point], country: Option<&str>) -> String {
    if points.is_empty() {
        return String::new();
    }
    let frame = frame(points, country);
    let h = f64::from(frame.height);
    let mut home: Vec<String> = points.iter().map(|p| p.country.to_string()).collect();
    home.sort();
    home.dedup();
    let base = basemap::draw(frame, &home);
    // 140-220 bytes a point: one reservation instead of a dozen doublings.
    let mut out = String::with_capacity(base.len() + 512 + 256 * points.len());
    // `direction="ltr"`: labels are placed by their left edge for
    // `text-anchor="start"`; on a right-to-left page the inherited
    // direction would turn start into the right edge, and a label would
    // grow over its own dot. The words of a label still read right to
    // left: the direction orders whole runs, not the letters of one.
    // A map whose dots are links is a group of links, not an image: an
    // `img` cannot contain focusable elements (WCAG 4.1.2, axe
    // nested-interactive).
    let role = if points.iter().any(|p| p.href.is_some()) {
        "group"
    } else {
        "img"
    };
    let _ = write!(
        out,
        "<svg class=\"map\" viewBox=\"0 0 {W} {h}\" direction=\"ltr\" role=\"{role}\" aria-labelledby=\"{id}-title\" xmlns=\"http://www.w3.org/2000/svg\"><title id=\"{id}-title\">{}</title>",
        html_escape::encode_text(title)
    );
    out.push_str(&base);
    let xy: Vec<(f64, f64)> = points.iter().map(|p| frame.project(p.lat, p.lon)).collect();
    // Dots are obstacles for every label, so no label hides a place.
    let mut placed = Placed::new(W, h);
    for &(x, y) in &xy {
        placed.insert(dot_box(x, y));
    }
    // The page's own place first, then north to south: the place a
    // reader came for always gets the best spot.
    let mut order: Vec<usize> = (0..points.len()).collect();
    order.sort_by(|&a, &b| {
        let (pa, pb) = (&points[a], &points[b]);
        pb.highlight
            .cmp(&pa.highlight)
            .then(pb.lat.total_cmp(&pa.lat))
            .then(pa.label.cmp(pb.label))
    });
    let mut labels: Vec<Option<At>> = vec![None; points.len()];
    for &i in &order {
        let (x, y) = xy[i];
        labels[i] = place_label(x, y, label_width(points[i].label), &mut placed);
    }
    // Leaders first, dots over them, labels over both.
    for (i, at) in labels.iter().enumerate() {
        if let Some(at @ (_, _, _, true)) = at {
            let (x, y) = xy[i];
            let b = bbox(*at, label_width(points[i].label));
            let (tx, ty) = (x.clamp(b.left, b.right), y.clamp(b.top, b.bottom));
            let _ = write!(
                out,
                "<line class=\"map-leader\" x1=\"{x:.1}\" y1=\"{y:.1}\" x2=\"{tx:.1}\" y2=\"{ty:.1}\"/>"
            );
        }
    }
    for &i in order.iter().rev() {
        write_place(&mut out, &points[i], xy[i], labels[i]);
    }
    out.push_str("</svg>");
    out
}

/// One place: its dot and label, a link when it has a page.
fn write_place(out: &mut String, p: &Point, (x, y): (f64, f64), label: Option<At>) {
    let class = if p.highlight {
        "map-dot map-dot-here"
    } else {
        "map-dot"
    };
    // Written straight into `out`: a `format!` per dot, then a copy,
    // was a second allocation and copy for every point on every page.
    if let Some(h) = p.href {
        let _ = write!(
            out,
            "<a href=\"{}\"",
            html_escape::encode_double_quoted_attribute(h)
        );
        // No `hreflang` here: SVG's `<a>` has no such attribute (the
        // HTML checker rejects it); the list under the map says it.
        out.push('>');
    }
    let name = html_escape::encode_text(p.label);
    let _ = write!(
        out,
        "<circle class=\"{class}\" cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"{}\"",
        if p.highlight { 9 } else { 6 }
    );
    match label {
        Some((lx, ly, anchor, _)) => {
            let _ = write!(
                out,
                "/><text class=\"map-label\" x=\"{lx:.1}\" y=\"{ly:.1}\" text-anchor=\"{anchor}\">{name}</text>"
            );
        }
        // No room anywhere: the dot keeps its name for pointers and screen
        // readers, and the list under the map names it too.
        None => {
            let _ = write!(out, "><title>{name}</title></circle>");
        }
    }
    if p.href.is_some() {
        out.push_str("</a>");
    }
}

/// Wide enough for the theme's 22 px phone labels, so they never clip.
fn label_width(label: &str) -> f64 {
    label.chars().count() as f64 * 13.0
}

/// The box a dot covers, a little inside its drawn radius so that the
/// labels right beside it still fit.
fn dot_box(x: f64, y: f64) -> Rect {
    Rect {
        left: x - 5.0,
        top: y - 5.0,
        right: x + 5.0,
        bottom: y + 5.0,
    }
}

/// A label's position: the text's anchor point, `text-anchor`, and
/// whether it sits away from its dot and needs a leader line.
type At = (f64, f64, &'static str, bool);

/// Beside the dot: right, left, above, below and the corners.
fn candidates(x: f64, y: f64) -> [At; 6] {
    [
        (x + 10.0, y + 5.0, "start", false),
        (x - 10.0, y + 5.0, "end", false),
        (x, y - 12.0, "middle", false),
        (x, y + 25.0, "middle", false),
        (x + 10.0, y + 24.0, "start", false),
        (x - 10.0, y - 10.0, "end", false),
    ]
}

/// Farther out, with a leader line: rings of growing radius, twelve
/// directions each, the label's near side towards the dot.
fn displaced(x: f64, y: f64) -> impl Iterator<Item = At> {
    [34.0, 52.0, 74.0, 100.0, 130.0, 170.0]
        .into_iter()
        .flat_map(move |r| {
            (0..12).map(move |k| {
                let a = f64::from(k) * std::f64::consts::PI / 6.0;
                let (dx, dy) = (r * a.cos(), r * a.sin());
                let anchor = if dx > 1.0 {
                    "start"
                } else if dx < -1.0 {
                    "end"
                } else {
                    "middle"
                };
                // The text's baseline sits 6 px under the point, so the
                // box is centred on it.
                (x + dx, y + dy + 6.0, anchor, true)
            })
        })
}

/// The box a label `width` wide covers when written at `at`.
fn bbox((lx, ly, anchor, _): At, width: f64) -> Rect {
    let left = match anchor {
        "start" => lx,
        "end" => lx - width,
        _ => lx - width / 2.0,
    };
    Rect {
        left,
        top: ly - 18.0,
        right: left + width,
        bottom: ly + 5.0,
    }
}

/// Whether a label box lies inside the frame and clear of those placed.
/// The frame test comes first: `Placed::hits` only answers for boxes
/// inside the frame.
fn fits(b: &Rect, placed: &Placed) -> bool {
    b.left >= 0.0 && b.right <= placed.w && b.top >= 0.0 && b.bottom <= placed.h && !placed.hits(b)
}

/// Places the label of a dot at (`x`, `y`): beside it if there is room,
/// else farther out on a leader line; `None` when nowhere is free, since a
/// label must never cover another or be cut by the frame.
fn place_label(x: f64, y: f64, width: f64, placed: &mut Placed) -> Option<At> {
    let at = candidates(x, y)
        .into_iter()
        .chain(displaced(x, y))
        .find(|&at| fits(&bbox(at, width), placed))?;
    placed.insert(bbox(at, width));
    Some(at)
}

/// A label's box in viewBox units. Closed: boxes that only touch collide.
#[derive(Clone, Copy, Debug)]
struct Rect {
    left: f64,
    top: f64,
    right: f64,
    bottom: f64,
}

impl Rect {
    /// True with a NaN coordinate: such a box is never called free.
    fn overlaps(&self, o: &Rect) -> bool {
        !(self.right < o.left || self.left > o.right || self.bottom < o.top || self.top > o.bottom)
    }
}

// Cells about the size of a label (labels run 80-150 wide, 23 tall): a
// candidate box then looks at two to four cells instead of at every box
// placed so far. Comparing against all of them was O(n²) per map, and each
// of a country's location pages draws the whole country's map.
const COLS: usize = 4;
const CELL_H: f64 = 25.0;

/// The boxes placed so far, bucketed by the grid cells they cover,
/// answering exactly what a scan of all of them would.
struct Placed {
    w: f64,
    h: f64,
    rows: usize,
    cells: Vec<Vec<Rect>>,
    /// Boxes with a NaN or inverted side, which the grid cannot place;
    /// only a malformed coordinate makes one, so a plain scan is cheap.
    odd: Vec<Rect>,
}

impl Placed {
    fn new(w: f64, h: f64) -> Self {
        let rows = ((h / CELL_H).ceil() as usize).max(1);
        Placed {
            w,
            h,
            rows,
            cells: vec![Vec::new(); COLS * rows],
            odd: Vec::new(),
        }
    }

    /// The cell holding coordinate `v`, clamped to the grid. Monotonic in
    /// `v`, which is all correctness needs: a point shared by two boxes
    /// then lies in a cell both of them are filed under.
    fn cell(v: f64, size: f64, n: usize) -> usize {
        // `as` saturates: negative values go to 0, huge ones to the max.
        ((v / size) as usize).min(n - 1)
    }

    fn col(&self, x: f64) -> usize {
        Self::cell(x, self.w / COLS as f64, COLS)
    }

    fn row(&self, y: f64) -> usize {
        Self::cell(y, CELL_H, self.rows)
    }

    fn insert(&mut self, r: Rect) {
        if !(r.left <= r.right && r.top <= r.bottom) {
            self.odd.push(r);
            return;
        }
        // Queries lie inside the frame, so only the part of `r` inside it
        // can ever be hit; a box wholly outside is filed nowhere.
        let (l, rt) = (r.left.max(0.0), r.right.min(self.w));
        let (t, b) = (r.top.max(0.0), r.bottom.min(self.h));
        if l > rt || t > b {
            return;
        }
        for row in self.row(t)..=self.row(b) {
            for col in self.col(l)..=self.col(rt) {
                self.cells[row * COLS + col].push(r);
            }
        }
    }

    /// Whether `q` overlaps a box placed so far. `q` must lie inside the
    /// frame; the caller checks that first.
    fn hits(&self, q: &Rect) -> bool {
        debug_assert!(q.left >= 0.0 && q.right <= self.w && q.top >= 0.0 && q.bottom <= self.h);
        if self.odd.iter().any(|o| q.overlaps(o)) {
            return true;
        }
        (self.row(q.top)..=self.row(q.bottom)).any(|row| {
            (self.col(q.left)..=self.col(q.right))
                .any(|col| self.cells[row * COLS + col].iter().any(|o| q.overlaps(o)))
        })
    }
}

/// The places of a map as a list, the map's text alternative: each name
/// (linked to its page when it has one) and its OpenStreetMap link.
/// `osm_text` is the OpenStreetMap link's text, `osm_label` its
/// accessible name for a place's name.
pub fn places_list(
    caption: &str,
    points: &[Point],
    osm_text: &str,
    osm_label: impl Fn(&str) -> String,
) -> String {
    let mut out = String::with_capacity(64 + 200 * points.len());
    let _ = write!(
        out,
        "<figcaption class=\"map-places\"><span class=\"map-places-title\">{}</span><ul>",
        html_escape::encode_text(caption)
    );
    for p in points {
        let name = html_escape::encode_text(p.label);
        out.push_str("<li>");
        match p.href {
            Some(h) => {
                let _ = write!(
                    out,
                    "<a href=\"{}\"",
                    html_escape::encode_double_quoted_attribute(h)
                );
                match p.hreflang {
                    Some(l) => {
                        let _ = write!(
                            out,
                            " hreflang=\"{l}\" lang=\"{l}\">{name}</a> <span class=\"lang-tag\">{}</span>",
                            l.to_uppercase()
                        );
                    }
                    None => {
                        let _ = write!(out, ">{name}</a>");
                    }
                }
            }
            None => {
                let _ = write!(out, "{name}");
            }
        }
        let _ = write!(
            out,
            " <a class=\"map-osm\" href=\"{}\" rel=\"external\" aria-label=\"{}\">{}</a></li>",
            html_escape::encode_double_quoted_attribute(&osm_href(p.lat, p.lon)),
            html_escape::encode_double_quoted_attribute(&osm_label(p.label)),
            html_escape::encode_text(osm_text)
        );
    }
    out.push_str("</ul></figcaption>");
    out
}

/// A plain link to the place on openstreetmap.org, marker and zoom set.
pub fn osm_href(lat: f64, lon: f64) -> String {
    format!("https://www.openstreetmap.org/?mlat={lat:.5}&mlon={lon:.5}#map=13/{lat:.5}/{lon:.5}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use quick_xml::events::Event;

    fn svg(id: &str, title: &str, points: &[Point]) -> String {
        super::svg(id, title, points, None)
    }

    fn pt<'a>(lat: f64, lon: f64, label: &'a str, country: &'a str) -> Point<'a> {
        Point {
            lat,
            lon,
            label,
            href: Some("/en/?a=1&b=\"2\""),
            highlight: false,
            hreflang: None,
            country,
        }
    }

    /// What a map's SVG holds: the viewBox height, dots and label boxes;
    /// and it checks the SVG is well-formed XML on the way.
    fn read(s: &str) -> (f64, Vec<(f64, f64)>, Vec<Rect>) {
        let mut reader = quick_xml::Reader::from_str(s);
        let (mut open, mut h, mut dots, mut labels) = (Vec::new(), 0.0, Vec::new(), Vec::new());
        // A label being read: where, its anchor, its text so far.
        let mut text: Option<(f64, f64, &'static str, String)> = None;
        let attr = |e: &quick_xml::events::BytesStart, k: &str| -> String {
            e.try_get_attribute(k)
                .unwrap()
                .unwrap()
                .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .unwrap()
                .into_owned()
        };
        let circle = |e: &quick_xml::events::BytesStart| -> (f64, f64) {
            (
                attr(e, "cx").parse().unwrap(),
                attr(e, "cy").parse().unwrap(),
            )
        };
        loop {
            match reader.read_event().expect("well-formed SVG") {
                Event::Start(e) => {
                    let name = e.name().as_ref().to_string();
                    match name.as_str() {
                        "svg" => {
                            h = attr(&e, "viewBox")
                                .split(' ')
                                .nth(3)
                                .unwrap()
                                .parse()
                                .unwrap()
                        }
                        "circle" => dots.push(circle(&e)),
                        "text" => {
                            let anchor = match attr(&e, "text-anchor").as_str() {
                                "start" => "start",
                                "end" => "end",
                                _ => "middle",
                            };
                            let (x, y) = (
                                attr(&e, "x").parse().unwrap(),
                                attr(&e, "y").parse().unwrap(),
                            );
                            text = Some((x, y, anchor, String::new()));
                        }
                        _ => {}
                    }
                    open.push(name);
                }
                Event::Text(t) => {
                    if let Some(l) = &mut text {
                        l.3.push_str(&t.xml10_content());
                    }
                }
                Event::GeneralRef(r) => {
                    let c = quick_xml::escape::resolve_predefined_entity(&r)
                        .expect("a predefined entity");
                    if let Some(l) = &mut text {
                        l.3.push_str(c);
                    }
                }
                Event::End(e) => {
                    if let Some((x, y, anchor, label)) = text.take() {
                        labels.push(bbox((x, y, anchor, false), label_width(&label)));
                    }
                    assert_eq!(open.pop().as_deref(), Some(e.name().as_ref()));
                }
                Event::Empty(e) if e.name().as_ref() == "circle" => dots.push(circle(&e)),
                Event::Eof => break,
                _ => {}
            }
        }
        assert!(open.is_empty());
        (h, dots, labels)
    }

    fn gzipped(s: &str) -> usize {
        use std::io::Write as _;
        let mut z = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        z.write_all(s.as_bytes()).unwrap();
        z.finish().unwrap().len()
    }

    /// No label overlaps another label or any dot, and every label is
    /// inside the frame.
    fn assert_clear(h: f64, dots: &[(f64, f64)], labels: &[Rect]) {
        for (i, a) in labels.iter().enumerate() {
            assert!(
                a.left >= 0.0 && a.right <= W && a.top >= 0.0 && a.bottom <= h,
                "{a:?} leaves the frame"
            );
            for b in &labels[..i] {
                assert!(!a.overlaps(b), "{a:?} overlaps {b:?}");
            }
            for &(x, y) in dots {
                assert!(
                    !a.overlaps(&dot_box(x, y)),
                    "{a:?} covers the dot at {x} {y}"
                );
            }
        }
    }

    #[test]
    fn draws_the_basemap_under_the_places() {
        let pts = [
            Point {
                highlight: true,
                href: None,
                ..pt(58.385, 24.519, "Pärnu", "EE")
            },
            pt(59.437, 24.745, "Tallinn", "EE"),
            pt(57.833, 27.017, "Võru", "EE"),
        ];
        let s = svg("map-ee", "Map of <Estonia>", &pts);
        assert!(s.starts_with("<svg"));
        assert!(s.contains("<title id=\"map-ee-title\">Map of &lt;Estonia&gt;</title>"));
        for class in [
            "map-sea",
            "map-land",
            "map-land map-home",
            "map-lake",
            "map-border",
        ] {
            assert!(s.contains(&format!("class=\"{class}\"")), "{class}");
        }
        let (h, dots, labels) = read(&s);
        assert_eq!((dots.len(), labels.len()), (3, 3));
        for (x, y) in dots {
            assert!((0.0..=W).contains(&x) && (0.0..=h).contains(&y));
        }
        assert_eq!(svg("m", "x", &[]), "");
    }

    #[test]
    fn labels_of_twenty_towns_within_thirty_km_never_collide() {
        let names: Vec<String> = (0..20).map(|i| format!("Town number {i}")).collect();
        let mut g = Lcg(3);
        // Within 15 km of Otepää in every direction.
        let pts: Vec<Point> = names
            .iter()
            .map(|n| {
                pt(
                    58.05 + g.next(-0.13, 0.13),
                    26.48 + g.next(-0.25, 0.25),
                    n,
                    "EE",
                )
            })
            .collect();
        let s = svg("m", "dense", &pts);
        let (h, dots, labels) = read(&s);
        assert_eq!(dots.len(), 20);
        assert_eq!(labels.len(), 20, "every town labelled");
        assert_clear(h, &dots, &labels);
        // The sample's close towns, at the country's scale.
        let ee = [
            pt(58.050, 26.483, "Otepää", "EE"),
            pt(57.918, 27.641, "Värska", "EE"),
            pt(57.833, 27.017, "Võru", "EE"),
            pt(58.385, 24.519, "Pärnu", "EE"),
            pt(59.437, 24.745, "Tallinn", "EE"),
            pt(58.939, 23.541, "Haapsalu", "EE"),
            pt(58.250, 22.483, "Kuressaare", "EE"),
            pt(59.381, 24.245, "Laulasmaa", "EE"),
        ];
        let s = svg("m", "ee", &ee);
        let (h, dots, labels) = read(&s);
        assert_eq!(labels.len(), 8);
        assert_clear(h, &dots, &labels);
    }

    #[test]
    fn a_crowd_gets_leaders_then_dots_without_labels_never_overlaps() {
        let names: Vec<String> = (0..300).map(|i| format!("Place <{i}> & co")).collect();
        let mut g = Lcg(7);
        let pts: Vec<Point> = names
            .iter()
            .map(|n| pt(55.0 + g.next(0.0, 5.0), 21.0 + g.next(0.0, 8.0), n, "LV"))
            .collect();
        let s = svg("m", "crowd", &pts);
        let (h, dots, labels) = read(&s);
        assert_eq!(dots.len(), 300);
        // Dots are obstacles too: in a crowd few labels find room.
        assert!(labels.len() >= 5 && labels.len() < 300, "{}", labels.len());
        assert_clear(h, &dots, &labels);
        assert!(s.contains("map-leader"));
        // Unlabelled dots keep their names.
        assert_eq!(s.matches("<title>").count(), 300 - labels.len());
        assert!(gzipped(&s) < 40_000, "{}", gzipped(&s));
    }

    #[test]
    fn each_sample_country_map_is_inside_the_weight_budget() {
        let sets: [&[Point]; 4] = [
            &[
                pt(58.385, 24.519, "Pärnu", "EE"),
                pt(59.437, 24.745, "Tallinn", "EE"),
                pt(57.833, 27.017, "Võru", "EE"),
                pt(58.25, 22.48, "Kuressaare", "EE"),
            ],
            &[
                pt(56.95, 24.11, "Rīga", "LV"),
                pt(56.97, 23.77, "Jūrmala", "LV"),
                pt(56.51, 21.01, "Liepāja", "LV"),
            ],
            &[
                pt(38.42, 27.14, "İzmir", "TR"),
                pt(38.32, 26.30, "Çeşme", "TR"),
                pt(39.65, 27.88, "Balıkesir", "TR"),
            ],
            &[
                pt(61.24, 8.90, "Beitostølen", "NO"),
                pt(59.91, 10.75, "Oslo", "NO"),
                pt(69.65, 18.96, "Tromsø", "NO"),
            ],
        ];
        for pts in sets {
            let s = svg("m", "budget", pts);
            read(&s);
            // The budget: 25 KB gzipped per map, whatever the country.
            assert!(
                gzipped(&s) < 25_000,
                "{} gzipped {}",
                pts[0].label,
                gzipped(&s)
            );
            assert!(s.len() < 120_000, "{} is {} bytes", pts[0].label, s.len());
        }
    }

    #[test]
    fn the_text_alternative_lists_every_place_with_its_osm_link() {
        let pts = [
            pt(58.385, 24.519, "Pärnu", "EE"),
            Point {
                href: None,
                ..pt(59.437, 24.745, "Tal<linn>", "EE")
            },
        ];
        let s = places_list("On the map", &pts, "OpenStreetMap", |n| {
            format!("{n} on OpenStreetMap")
        });
        assert_eq!(s.matches("<li>").count(), 2);
        assert!(s.contains("href=\"https://www.openstreetmap.org/?mlat=58.38500&amp;mlon=24.51900#map=13/58.38500/24.51900\""));
        assert!(
            s.contains("aria-label=\"Tal&lt;linn&gt; on OpenStreetMap\"")
                || s.contains("aria-label=\"Tal<linn> on OpenStreetMap\"")
        );
        assert!(s.contains("<a href=\"/en/?a=1&amp;b=&quot;2&quot;\">Pärnu</a>"));
        assert!(s.contains("<li>Tal&lt;linn&gt; <a class=\"map-osm\""));
    }

    /// A small linear congruential generator: deterministic, no dependency.
    struct Lcg(u64);

    impl Lcg {
        /// A value in `[lo, hi)`, on a 0.5 px lattice so that boxes often
        /// touch exactly, the case a grid is most likely to get wrong.
        fn next(&mut self, lo: f64, hi: f64) -> f64 {
            self.0 = self
                .0
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let steps = (((hi - lo) * 2.0) as u64).max(1000);
            lo + ((self.0 >> 33) % steps) as f64 / steps as f64 * (hi - lo)
        }
    }

    fn random_rect(g: &mut Lcg, lo_x: f64, hi_x: f64, lo_y: f64, hi_y: f64) -> Rect {
        let r = |g: &mut Lcg, lo: f64, hi: f64| (g.next(lo, hi) * 2.0).round() / 2.0;
        let (left, top) = (r(g, lo_x, hi_x), r(g, lo_y, hi_y));
        Rect {
            left,
            top,
            right: left + r(g, 0.0, 160.0),
            bottom: top + r(g, 0.0, 30.0),
        }
    }

    #[test]
    fn grid_agrees_with_a_scan_of_every_box() {
        const H: f64 = 430.0;
        let mut g = Lcg(42);
        let mut placed = Placed::new(W, H);
        let mut all: Vec<Rect> = Vec::new();
        let (mut hits, mut misses) = (0, 0);
        for i in 0..400 {
            // Boxes placed may stick out of the frame or, from a bad
            // coordinate, be NaN or infinite.
            let r = match i % 50 {
                7 => Rect {
                    left: f64::NAN,
                    top: 100.0,
                    right: f64::NAN,
                    bottom: 123.0,
                },
                19 => Rect {
                    left: f64::NEG_INFINITY,
                    top: g.next(0.0, 400.0),
                    right: g.next(0.0, 40.0),
                    bottom: f64::INFINITY,
                },
                _ => random_rect(&mut g, -100.0, W + 20.0, -40.0, H + 20.0),
            };
            placed.insert(r);
            all.push(r);
            // Queries always lie inside the frame, as `fits` guarantees.
            for _ in 0..5 {
                let q = random_rect(&mut g, 0.0, W, 0.0, H);
                if q.right > W || q.bottom > H {
                    continue;
                }
                let want = all.iter().any(|o| q.overlaps(o));
                assert_eq!(
                    placed.hits(&q),
                    want,
                    "query {q:?} after {} boxes",
                    all.len()
                );
                if want { hits += 1 } else { misses += 1 }
            }
            // Touching exactly counts as overlapping.
            if r.left.is_finite() && r.left >= 0.0 && r.right <= W && r.top >= 0.0 && r.bottom <= H
            {
                let edge = Rect {
                    left: r.right,
                    right: r.right,
                    ..r
                };
                assert!(placed.hits(&edge));
            }
        }
        // Both answers were exercised, not just one.
        assert!(hits > 100 && misses > 100, "{hits} hits, {misses} misses");
    }
}
