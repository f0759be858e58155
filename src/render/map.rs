//! Maps drawn at build time as inline SVG from coordinates: no tile server,
//! no third-party request, nothing for a consent banner. A simple
//! equirectangular projection with the latitude scaled by cos(φ) is honest
//! enough at the scale of a country.

use std::fmt::Write;

pub struct Point<'a> {
    pub lat: f64,
    pub lon: f64,
    pub label: &'a str,
    pub href: Option<&'a str>,
    pub highlight: bool,
}

const W: f64 = 600.0;
const H: f64 = 400.0;
const PAD: f64 = 40.0;

/// An SVG map of `points`, titled `title` for screen readers; `id` must be
/// unique in the page. Empty when there is nothing to draw.
pub fn svg(id: &str, title: &str, points: &[Point]) -> String {
    if points.is_empty() {
        return String::new();
    }
    let (mut min_lat, mut max_lat, mut min_lon, mut max_lon) =
        (90.0f64, -90.0f64, 180.0f64, -180.0f64);
    for p in points {
        min_lat = min_lat.min(p.lat);
        max_lat = max_lat.max(p.lat);
        min_lon = min_lon.min(p.lon);
        max_lon = max_lon.max(p.lon);
    }
    // At least half a degree of span, so a single town sits in a landscape.
    let mid_lat = (min_lat + max_lat) / 2.0;
    let kx = mid_lat.to_radians().cos().max(0.2);
    let span_lat = (max_lat - min_lat).max(0.5);
    let span_lon = ((max_lon - min_lon) * kx).max(0.5);
    let scale = ((W - 2.0 * PAD) / span_lon).min((H - 2.0 * PAD) / span_lat);
    let cx = (min_lon + max_lon) / 2.0;
    let cy = mid_lat;
    let project = |lat: f64, lon: f64| {
        (
            W / 2.0 + (lon - cx) * kx * scale,
            H / 2.0 - (lat - cy) * scale,
        )
    };
    // 140-180 bytes a point: one reservation instead of a dozen doublings
    // for a country of a few hundred places.
    let mut out = String::with_capacity(1024 + 256 * points.len());
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
        "<svg class=\"map\" viewBox=\"0 0 {W} {H}\" role=\"{role}\" aria-labelledby=\"{id}-title\" xmlns=\"http://www.w3.org/2000/svg\"><title id=\"{id}-title\">{}</title><rect class=\"map-bg\" width=\"{W}\" height=\"{H}\" rx=\"8\"/>",
        html_escape::encode_text(title)
    );
    // A faint graticule every degree gives a sense of scale and direction.
    let (lat0, lat1) = (
        (cy - H / 2.0 / scale).floor() as i32,
        (cy + H / 2.0 / scale).ceil() as i32,
    );
    for lat in lat0..=lat1 {
        let (_, y) = project(lat as f64, cx);
        let _ = write!(
            out,
            "<line class=\"map-grid\" x1=\"0\" x2=\"{W}\" y1=\"{y:.1}\" y2=\"{y:.1}\"/>"
        );
    }
    let half_lon = W / 2.0 / (kx * scale);
    let (lon0, lon1) = (
        (cx - half_lon).floor() as i32,
        (cx + half_lon).ceil() as i32,
    );
    for lon in lon0..=lon1 {
        let (x, _) = project(cy, lon as f64);
        let _ = write!(
            out,
            "<line class=\"map-grid\" y1=\"0\" y2=\"{H}\" x1=\"{x:.1}\" x2=\"{x:.1}\"/>"
        );
    }
    // Labels are placed greedily: right of the dot, else left, above or
    // below, whichever does not collide with a label already placed.
    let mut placed = Placed::new();
    let mut order: Vec<&Point> = points.iter().collect();
    order.sort_by(|a, b| b.highlight.cmp(&a.highlight).then(b.lat.total_cmp(&a.lat)));
    for p in order {
        let (x, y) = project(p.lat, p.lon);
        let class = if p.highlight {
            "map-dot map-dot-here"
        } else {
            "map-dot"
        };
        // Wide enough for the theme's 22 px phone labels, so they never clip.
        let width = p.label.chars().count() as f64 * 13.0;
        let (lx, ly, anchor) = place_label(x, y, width, &mut placed);
        // Written straight into `out`: a `format!` per dot, then a copy,
        // was a second allocation and copy for every point on every page.
        if let Some(h) = p.href {
            let _ = write!(
                out,
                "<a href=\"{}\">",
                html_escape::encode_double_quoted_attribute(h)
            );
        }
        let _ = write!(
            out,
            "<circle class=\"{class}\" cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"{}\"/><text class=\"map-label\" x=\"{lx:.1}\" y=\"{ly:.1}\" text-anchor=\"{anchor}\">{}</text>",
            if p.highlight { 9 } else { 6 },
            html_escape::encode_text(p.label)
        );
        if p.href.is_some() {
            out.push_str("</a>");
        }
    }
    out.push_str("</svg>");
    out
}

/// A label's position: the text's anchor point and `text-anchor`.
type At = (f64, f64, &'static str);

/// Where the label of a dot at (`x`, `y`) may go, best first.
fn candidates(x: f64, y: f64) -> [At; 6] {
    [
        (x + 10.0, y + 5.0, "start"),
        (x - 10.0, y + 5.0, "end"),
        (x, y - 12.0, "middle"),
        (x, y + 22.0, "middle"),
        (x + 10.0, y + 20.0, "start"),
        (x - 10.0, y - 8.0, "end"),
    ]
}

/// The box a label `width` wide covers when written at `at`.
fn bbox((lx, ly, anchor): At, width: f64) -> Rect {
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
    b.left >= 0.0 && b.right <= W && b.top >= 0.0 && b.bottom <= H && !placed.hits(b)
}

/// Places the label of a dot at (`x`, `y`): the first candidate that fits,
/// else right of the dot (left near the right edge), overlapping or not.
fn place_label(x: f64, y: f64, width: f64, placed: &mut Placed) -> At {
    let c = candidates(x, y);
    let at = c
        .iter()
        .copied()
        .find(|&at| fits(&bbox(at, width), placed))
        .unwrap_or(if x > W - 150.0 { c[1] } else { c[0] });
    placed.insert(bbox(at, width));
    at
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
    /// The collision test the placement has always used, kept verbatim so
    /// the maps come out byte for byte as before. With a NaN coordinate it
    /// is true, as it always was.
    fn overlaps(&self, o: &Rect) -> bool {
        !(self.right < o.left || self.left > o.right || self.bottom < o.top || self.top > o.bottom)
    }
}

// Cells about the size of a label (labels run 80-150 wide, 23 tall): a
// candidate box then looks at two to four cells instead of at every box
// placed so far. Comparing against all of them was O(n²) per map, and each
// of a country's location pages draws the whole country's map. Finer cells
// measured slower at 200 places a map: more cells to file each box under.
const COLS: usize = 4;
const ROWS: usize = 16;
const CELL_W: f64 = W / COLS as f64;
const CELL_H: f64 = H / ROWS as f64;

/// The label boxes placed so far, bucketed by the grid cells they cover,
/// answering exactly what a scan of all of them would.
struct Placed {
    cells: Vec<Vec<Rect>>,
    /// Boxes with a NaN or inverted side, which the grid cannot place;
    /// only a malformed coordinate makes one, so a plain scan is cheap.
    odd: Vec<Rect>,
}

impl Placed {
    fn new() -> Self {
        Placed {
            cells: vec![Vec::new(); COLS * ROWS],
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

    fn insert(&mut self, r: Rect) {
        if !(r.left <= r.right && r.top <= r.bottom) {
            self.odd.push(r);
            return;
        }
        // Queries lie inside the frame, so only the part of `r` inside it
        // can ever be hit; a box wholly outside is filed nowhere.
        let (l, rt) = (r.left.max(0.0), r.right.min(W));
        let (t, b) = (r.top.max(0.0), r.bottom.min(H));
        if l > rt || t > b {
            return;
        }
        for row in Self::cell(t, CELL_H, ROWS)..=Self::cell(b, CELL_H, ROWS) {
            for col in Self::cell(l, CELL_W, COLS)..=Self::cell(rt, CELL_W, COLS) {
                self.cells[row * COLS + col].push(r);
            }
        }
    }

    /// Whether `q` overlaps a box placed so far. `q` must lie inside the
    /// frame; the caller checks that first.
    fn hits(&self, q: &Rect) -> bool {
        debug_assert!(q.left >= 0.0 && q.right <= W && q.top >= 0.0 && q.bottom <= H);
        if self.odd.iter().any(|o| q.overlaps(o)) {
            return true;
        }
        (Self::cell(q.top, CELL_H, ROWS)..=Self::cell(q.bottom, CELL_H, ROWS)).any(|row| {
            (Self::cell(q.left, CELL_W, COLS)..=Self::cell(q.right, CELL_W, COLS))
                .any(|col| self.cells[row * COLS + col].iter().any(|o| q.overlaps(o)))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draws_points_inside_the_frame() {
        let pts = [
            Point {
                lat: 58.385,
                lon: 24.519,
                label: "Pärnu",
                href: Some("/en/locations/parnu/"),
                highlight: true,
            },
            Point {
                lat: 59.437,
                lon: 24.745,
                label: "Tallinn",
                href: None,
                highlight: false,
            },
        ];
        let s = svg("map-ee", "Map of Estonia", &pts);
        assert!(s.starts_with("<svg"));
        assert!(s.contains("<title id=\"map-ee-title\">Map of Estonia</title>"));
        // The number in `name="…"` of the text after `<circle`.
        let attr = |cap: &str, name: &str| -> f64 {
            let rest = cap.split(&format!("{name}=\"")).nth(1).unwrap();
            rest.split('"').next().unwrap().parse().unwrap()
        };
        for cap in s.split("<circle").skip(1) {
            let (cx, cy) = (attr(cap, "cx"), attr(cap, "cy"));
            assert!((0.0..=W).contains(&cx) && (0.0..=H).contains(&cy));
        }
        assert_eq!(svg("m", "x", &[]), "");
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
            let steps = ((hi - lo) * 2.0) as u64;
            lo + ((self.0 >> 33) % steps) as f64 / 2.0
        }
    }

    fn random_rect(g: &mut Lcg, lo_x: f64, hi_x: f64, lo_y: f64, hi_y: f64) -> Rect {
        let (left, top) = (g.next(lo_x, hi_x), g.next(lo_y, hi_y));
        Rect {
            left,
            top,
            right: left + g.next(0.0, 160.0),
            bottom: top + g.next(0.0, 30.0),
        }
    }

    #[test]
    fn grid_agrees_with_a_scan_of_every_box() {
        let mut g = Lcg(42);
        let mut placed = Placed::new();
        let mut all: Vec<Rect> = Vec::new();
        let (mut hits, mut misses) = (0, 0);
        for i in 0..400 {
            // Boxes placed may stick out of the frame (a label that fits
            // nowhere) or, from a bad coordinate, be NaN or infinite.
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

    #[test]
    fn many_points_make_a_well_formed_map_without_needless_overlaps() {
        let mut g = Lcg(7);
        let labels: Vec<String> = (0..500)
            .map(|i| {
                format!("Place <{i}> & \"co\"")
                    .chars()
                    .take(4 + i % 9)
                    .collect()
            })
            .collect();
        let pts: Vec<Point> = labels
            .iter()
            .enumerate()
            .map(|(i, label)| Point {
                lat: 55.0 + g.next(0.0, 5.0) + g.next(0.0, 1.0) / 1000.0,
                lon: 21.0 + g.next(0.0, 8.0) + g.next(0.0, 1.0) / 1000.0,
                label,
                href: (i % 3 == 0).then_some("/en/?a=1&b=\"2\""),
                highlight: i == 123,
            })
            .collect();
        let s = svg("map", "Many <places>", &pts);
        // Well-formed XML, one dot and one label per point.
        use quick_xml::events::Event;
        let mut reader = quick_xml::Reader::from_str(&s);
        let (mut open, mut circles, mut texts) = (Vec::new(), 0, 0);
        loop {
            match reader.read_event().expect("well-formed SVG") {
                Event::Start(e) => {
                    texts += usize::from(e.name().as_ref() == "text");
                    open.push(e.name().as_ref().to_string());
                }
                Event::End(e) => assert_eq!(open.pop().as_deref(), Some(e.name().as_ref())),
                Event::Empty(e) => circles += usize::from(e.name().as_ref() == "circle"),
                Event::GeneralRef(r) => {
                    assert!(quick_xml::escape::resolve_predefined_entity(&r).is_some())
                }
                Event::Eof => break,
                _ => {}
            }
        }
        assert_eq!((open.len(), circles, texts), (0, 500, 500));

        // Placement itself, checked against a plain scan: a label lands in
        // the first free candidate, and overlaps another only when all six
        // candidates were taken. 500 labels cannot all fit in 600×400.
        let mut placed = Placed::new();
        let mut boxes: Vec<Rect> = Vec::new();
        let free = |b: &Rect, boxes: &[Rect]| {
            b.left >= 0.0
                && b.right <= W
                && b.top >= 0.0
                && b.bottom <= H
                && boxes.iter().all(|o| !b.overlaps(o))
        };
        let mut clear = Vec::new();
        for i in 0..500 {
            let (x, y) = (g.next(0.0, W), g.next(0.0, H));
            let width = (4 + i % 9) as f64 * 13.0;
            let at = place_label(x, y, width, &mut placed);
            let want = candidates(x, y)
                .into_iter()
                .find(|&c| free(&bbox(c, width), &boxes));
            let b = bbox(at, width);
            match want {
                Some(c) => {
                    assert_eq!(at, c);
                    clear.push(b);
                }
                None => assert_eq!(at, candidates(x, y)[usize::from(x > W - 150.0)]),
            }
            boxes.push(b);
        }
        // No two labels placed in a free spot overlap.
        for (i, a) in clear.iter().enumerate() {
            assert!(clear[..i].iter().all(|b| !a.overlaps(b)));
        }
        assert!(
            clear.len() > 20 && clear.len() < 500,
            "{} placed clear",
            clear.len()
        );
    }
}
