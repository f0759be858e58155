//! The world's land, borders and lakes (Natural Earth 1:50m, public
//! domain; `data/basemap/README.md`), compiled into the binary so every
//! site draws real maps with no tile server and no request to anyone.
//!
//! Countries are stored as rings of shared arcs (TopoJSON's idea): an arc
//! is simplified once per frame, so neighbours' fills meet without slivers
//! and a border is one line. A frame's drawing depends only on the frame,
//! so it is made once and shared by every page that shows that frame.

use std::collections::HashMap;
use std::fmt::Write;
use std::sync::{Arc, Mutex, OnceLock};

static DATA: &[u8] = include_bytes!("../data/basemap/world-50m.bin");

/// A box in degrees: west, south, east, north.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bounds {
    pub west: f64,
    pub south: f64,
    pub east: f64,
    pub north: f64,
}

impl Bounds {
    const EMPTY: Bounds = Bounds {
        west: f64::INFINITY,
        south: f64::INFINITY,
        east: f64::NEG_INFINITY,
        north: f64::NEG_INFINITY,
    };

    fn add(&mut self, lon: f64, lat: f64) {
        self.west = self.west.min(lon);
        self.east = self.east.max(lon);
        self.south = self.south.min(lat);
        self.north = self.north.max(lat);
    }

    fn union(&mut self, o: &Bounds) {
        self.west = self.west.min(o.west);
        self.east = self.east.max(o.east);
        self.south = self.south.min(o.south);
        self.north = self.north.max(o.north);
    }

    fn meets(&self, o: &Bounds) -> bool {
        self.west <= o.east && o.west <= self.east && self.south <= o.north && o.south <= self.north
    }
}

/// A line of (lon, lat) points that one or two country rings share.
struct Line {
    points: Vec<[f64; 2]>,
    bounds: Bounds,
}

/// Rings of references to lines; `!i` is line `i` walked backwards.
type Polygon = Vec<Vec<i32>>;

struct Country {
    code: [u8; 2],
    polygons: Vec<Polygon>,
    bounds: Bounds,
}

pub struct Basemap {
    lines: Vec<Line>,
    countries: Vec<Country>,
    lakes: Vec<Polygon>,
    /// Lines that two different countries share: the borders.
    borders: Vec<usize>,
}

/// The basemap, decoded on first use (a few milliseconds).
pub fn world() -> &'static Basemap {
    static WORLD: OnceLock<Basemap> = OnceLock::new();
    WORLD.get_or_init(|| Basemap::decode(DATA).expect("the compiled-in basemap decodes"))
}

/// Reads the varints `scripts/basemap.mjs` writes.
struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn uvar(&mut self) -> Option<u64> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let b = *self.bytes.get(self.at)?;
            self.at += 1;
            v |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Some(v);
            }
        }
        None
    }

    fn len(&mut self) -> Option<usize> {
        usize::try_from(self.uvar()?).ok()
    }

    fn svar(&mut self) -> Option<i64> {
        let u = self.uvar()?;
        Some((u >> 1) as i64 ^ -((u & 1) as i64))
    }

    fn polygon(&mut self) -> Option<Polygon> {
        (0..self.len()?)
            .map(|_| {
                (0..self.len()?)
                    .map(|_| i32::try_from(self.svar()?).ok())
                    .collect()
            })
            .collect()
    }
}

impl Basemap {
    fn decode(bytes: &[u8]) -> Option<Basemap> {
        let mut r = Reader {
            bytes: bytes.strip_prefix(b"KLMAP1")?,
            at: 0,
        };
        let mut lines = Vec::new();
        for _ in 0..r.len()? {
            let n = r.len()?;
            let (mut x, mut y) = (0i64, 0i64);
            let mut points = Vec::with_capacity(n);
            let mut bounds = Bounds::EMPTY;
            for _ in 0..n {
                x += r.svar()?;
                y += r.svar()?;
                let p = [x as f64 / 1000.0, y as f64 / 1000.0];
                bounds.add(p[0], p[1]);
                points.push(p);
            }
            lines.push(Line { points, bounds });
        }
        let mut countries = Vec::new();
        for _ in 0..r.len()? {
            let code = [*r.bytes.get(r.at)?, *r.bytes.get(r.at + 1)?];
            r.at += 2;
            let polygons: Vec<Polygon> =
                (0..r.len()?).map(|_| r.polygon()).collect::<Option<_>>()?;
            let mut bounds = Bounds::EMPTY;
            for i in polygons.iter().flatten().flatten() {
                bounds.union(&lines.get(line_index(*i))?.bounds);
            }
            countries.push(Country {
                code,
                polygons,
                bounds,
            });
        }
        let lakes: Vec<Polygon> = (0..r.len()?).map(|_| r.polygon()).collect::<Option<_>>()?;
        if lakes
            .iter()
            .flatten()
            .flatten()
            .any(|i| line_index(*i) >= lines.len())
        {
            return None;
        }
        let mut users: Vec<Option<usize>> = vec![None; lines.len()];
        let mut shared = vec![false; lines.len()];
        for (c, country) in countries.iter().enumerate() {
            for i in country.polygons.iter().flatten().flatten() {
                let l = line_index(*i);
                match users[l] {
                    None => users[l] = Some(c),
                    Some(o) if o != c => shared[l] = true,
                    _ => {}
                }
            }
        }
        let borders = (0..lines.len()).filter(|l| shared[*l]).collect();
        Some(Basemap {
            lines,
            countries,
            lakes,
            borders,
        })
    }

    /// The box of a country's main land (its largest polygon), to frame
    /// a map of the whole country; `None` for a country too large for one
    /// map (Russia, Canada) or one the basemap lacks.
    pub fn country_bounds(&self, code: &str) -> Option<Bounds> {
        let c = self.countries.iter().find(|c| c.code == code.as_bytes())?;
        let b = c
            .polygons
            .iter()
            .map(|p| {
                let mut b = Bounds::EMPTY;
                for r in p.iter().flatten() {
                    b.union(&self.lines[line_index(*r)].bounds);
                }
                b
            })
            .max_by(|a, b| area(a).total_cmp(&area(b)))?;
        (b.east - b.west <= 30.0 && b.north - b.south <= 20.0).then_some(b)
    }

    /// Whether the basemap has a shape for `code`.
    pub fn has_country(&self, code: &str) -> bool {
        self.countries.iter().any(|c| c.code == code.as_bytes())
    }

    /// Whether (`lat`, `lon`) lies in country `code`, or within `slack`
    /// degrees of its outline: at 1:50m a coastal town can sit a kilometre
    /// or two out at sea. `None` when the basemap has no such country.
    pub fn in_country(&self, code: &str, lat: f64, lon: f64, slack: f64) -> Option<bool> {
        let mine: Vec<&Country> = self
            .countries
            .iter()
            .filter(|c| c.code == code.as_bytes())
            .collect();
        if mine.is_empty() {
            return None;
        }
        let near = Bounds {
            west: lon - slack,
            south: lat - slack,
            east: lon + slack,
            north: lat + slack,
        };
        for c in mine.into_iter().filter(|c| c.bounds.meets(&near)) {
            let mut inside = false;
            for ring in c.polygons.iter().flatten() {
                for r in ring {
                    let line = &self.lines[line_index(*r)];
                    if !line.bounds.meets(&near) && !crosses_ray(&line.bounds, lat, lon) {
                        continue;
                    }
                    for w in line.points.windows(2) {
                        let (a, b) = (w[0], w[1]);
                        if (a[1] > lat) != (b[1] > lat)
                            && lon < a[0] + (lat - a[1]) / (b[1] - a[1]) * (b[0] - a[0])
                        {
                            inside = !inside;
                        }
                        if seg_dist(lon, lat, a, b) <= slack {
                            return Some(true);
                        }
                    }
                }
            }
            // Even–odd over every ring: a hole (Lesotho in South Africa)
            // flips the answer back.
            if inside {
                return Some(true);
            }
        }
        Some(false)
    }
}

fn area(b: &Bounds) -> f64 {
    (b.east - b.west) * (b.north - b.south)
}

/// How far outside its country's outline, in degrees (about 8 km), a
/// point may lie before it is reported: 1:50m coasts and borders are a
/// kilometre or two off, and a harbour town sits on the water.
const SLACK: f64 = 0.075;

/// When (`lat`, `lon`) lies outside country `code`, what to say and what
/// to write instead: a message and a hint. `None` when it lies inside, or
/// when the basemap has no outline for `code`.
pub fn outside(code: &str, lat: f64, lon: f64) -> Option<(String, String)> {
    let w = world();
    if w.in_country(code, lat, lon, SLACK)? {
        return None;
    }
    let message =
        format!("coordinates (lat {lat}, lon {lon}) lie outside {code}, the place's country");
    let swapped =
        (-90.0..=90.0).contains(&lon) && w.in_country(code, lon, lat, SLACK) == Some(true);
    let hint = if swapped {
        format!(
            "latitude and longitude look swapped: write `coordinates = {{ lat = {lon}, lon = {lat} }}`"
        )
    } else {
        format!(
            "check the numbers (`lat` is north–south, `lon` east–west; west and south are negative) or the country code `{code}`"
        )
    };
    Some((message, hint))
}

/// Whether a line in `b` can cross the ray east of (`lat`, `lon`).
fn crosses_ray(b: &Bounds, lat: f64, lon: f64) -> bool {
    b.south <= lat && lat <= b.north && b.east >= lon
}

/// Distance in degrees (longitude scaled by cos φ) from (x, y) to segment ab.
fn seg_dist(x: f64, y: f64, a: [f64; 2], b: [f64; 2]) -> f64 {
    let k = y.to_radians().cos();
    let (ax, ay, bx, by, px) = (a[0] * k, a[1], b[0] * k, b[1], x * k);
    let (dx, dy) = (bx - ax, by - ay);
    let len2 = dx * dx + dy * dy;
    let t = if len2 > 0.0 {
        (((px - ax) * dx + (y - ay) * dy) / len2).clamp(0.0, 1.0)
    } else {
        0.0
    };
    let (qx, qy) = (ax + t * dx, ay + t * dy);
    ((px - qx).powi(2) + (y - qy).powi(2)).sqrt()
}

fn line_index(r: i32) -> usize {
    (if r >= 0 { r } else { !r }) as usize
}

/// Mercator's y, in radians, for a latitude in degrees (kept off the poles).
fn merc_y(lat: f64) -> f64 {
    let phi = lat.clamp(-85.0, 85.0).to_radians();
    (std::f64::consts::FRAC_PI_4 + phi / 2.0).tan().ln()
}

fn merc_lat(y: f64) -> f64 {
    (2.0 * y.exp().atan() - std::f64::consts::FRAC_PI_2).to_degrees()
}

/// A Mercator view: what part of the world a map of `width` × `height`
/// shows. Conformal, so towns keep their bearings and a country its shape
/// at the scale of these maps. Fields are integers (a scale step, a grid
/// cell) so equal frames compare and hash exactly.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Frame {
    pub width: u32,
    pub height: u32,
    /// Pixels per radian are 2^(zoom / 4).
    zoom: i32,
    /// The centre, in cells of width / 16 pixels.
    cx: i64,
    cy: i64,
}

/// Space kept between the outermost place and the frame's edge.
const PAD: f64 = 44.0;
/// Narrowest span a map shows, in radians of longitude (about 2.3°):
/// a single town still sits among its neighbours and coast.
const MIN_SPAN: f64 = 0.04;

impl Frame {
    /// The frame that shows every (lat, lon) of `points`, `width` wide and
    /// between `min_h` and `max_h` tall. Scale and centre are snapped to
    /// steps, so pages whose places are nearly the same share one frame,
    /// and so one drawing of the basemap.
    pub fn fit(points: &[(f64, f64)], width: u32, min_h: u32, max_h: u32) -> Frame {
        let (mut x0, mut x1, mut y0, mut y1) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
        for &(lat, lon) in points {
            let (x, y) = (lon.to_radians(), merc_y(lat));
            x0 = x0.min(x);
            x1 = x1.max(x);
            y0 = y0.min(y);
            y1 = y1.max(y);
        }
        if points.is_empty() {
            (x0, x1, y0, y1) = (0.0, 0.0, 0.0, 0.0);
        }
        let (w, inner_w) = (f64::from(width), f64::from(width) - 2.0 * PAD);
        let inner_max_h = f64::from(max_h) - 2.0 * PAD;
        let span_x = (x1 - x0).max(MIN_SPAN);
        let span_y = (y1 - y0).max(MIN_SPAN * inner_max_h / inner_w / 2.0);
        let k = (inner_w / span_x).min(inner_max_h / span_y);
        // Down to the step below, so the places still fit.
        let zoom = (k.log2() * 4.0).floor() as i32;
        let k = 2f64.powf(f64::from(zoom) / 4.0);
        let height = ((span_y * k + 2.0 * PAD) / 20.0).ceil() * 20.0;
        let height = (height as u32).clamp(min_h, max_h);
        let cell = w / 16.0 / k;
        Frame {
            width,
            height,
            zoom,
            cx: ((x0 + x1) / 2.0 / cell).round() as i64,
            cy: ((y0 + y1) / 2.0 / cell).round() as i64,
        }
    }

    fn scale(&self) -> f64 {
        2f64.powf(f64::from(self.zoom) / 4.0)
    }

    /// The top-left corner, in radians (x) and Mercator y.
    fn origin(&self) -> (f64, f64) {
        let k = self.scale();
        let cell = f64::from(self.width) / 16.0 / k;
        (
            self.cx as f64 * cell - f64::from(self.width) / 2.0 / k,
            self.cy as f64 * cell + f64::from(self.height) / 2.0 / k,
        )
    }

    /// Pixel position of (lat, lon).
    pub fn project(&self, lat: f64, lon: f64) -> (f64, f64) {
        let k = self.scale();
        let (ox, oy) = self.origin();
        ((lon.to_radians() - ox) * k, (oy - merc_y(lat)) * k)
    }

    /// What the frame shows, in degrees, widened by `margin` pixels.
    fn bounds(&self, margin: f64) -> Bounds {
        let k = self.scale();
        let (ox, oy) = self.origin();
        let m = margin / k;
        Bounds {
            west: (ox - m).to_degrees(),
            east: (ox + f64::from(self.width) / k + m).to_degrees(),
            north: merc_lat(oy + m),
            south: merc_lat(oy - f64::from(self.height) / k - m),
        }
    }
}

/// How far a simplified line may stray from the data, in pixels: below
/// what a reader sees even on a large screen.
const TOLERANCE: f64 = 1.5;
/// Outlines are clipped this far outside the frame, so the cut edges (and
/// their strokes) are never seen.
const CLIP_MARGIN: f64 = 4.0;

/// The basemap drawn for `frame` as SVG elements (sea, land, lakes,
/// borders), with the countries in `home` set apart. Made once per frame
/// and home; later calls share it.
pub fn draw(frame: Frame, home: &[String]) -> Arc<str> {
    type Cache = Mutex<HashMap<(Frame, Vec<String>), Arc<str>>>;
    static CACHE: OnceLock<Cache> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    let key = (frame, home.to_vec());
    if let Some(s) = cache.lock().unwrap_or_else(|e| e.into_inner()).get(&key) {
        return s.clone();
    }
    // Drawn outside the lock: two threads that miss together draw the
    // same bytes, and one of them is kept.
    let drawn: Arc<str> = world().draw(frame, home).into();
    let mut c = cache.lock().unwrap_or_else(|e| e.into_inner());
    // `serve` runs for days: a bound keeps frames of old edits from piling up.
    if c.len() > 4096 {
        c.clear();
    }
    c.entry(key).or_insert(drawn).clone()
}

/// A rectangle to clip to, in pixels.
#[derive(Clone, Copy)]
struct Clip {
    x0: f64,
    y0: f64,
    x1: f64,
    y1: f64,
}

impl Basemap {
    fn draw(&self, frame: Frame, home: &[String]) -> String {
        let view = frame.bounds(CLIP_MARGIN + 2.0);
        let clip = Clip {
            x0: -CLIP_MARGIN,
            y0: -CLIP_MARGIN,
            x1: f64::from(frame.width) + CLIP_MARGIN,
            y1: f64::from(frame.height) + CLIP_MARGIN,
        };
        // The world's width in pixels at this scale.
        let world_w = std::f64::consts::TAU * frame.scale();
        let mut simplified: HashMap<usize, Vec<(f64, f64)>> = HashMap::new();
        let mut line = |i: usize| -> Vec<(f64, f64)> {
            simplified
                .entry(i)
                .or_insert_with(|| {
                    let pts: Vec<(f64, f64)> = self.lines[i]
                        .points
                        .iter()
                        .map(|p| frame.project(p[1], p[0]))
                        .collect();
                    simplify(&pts, TOLERANCE)
                })
                .clone()
        };
        let (mut land, mut mine, mut lakes, mut borders) =
            (String::new(), String::new(), String::new(), String::new());
        for c in self.countries.iter().filter(|c| c.bounds.meets(&view)) {
            let is_home = home.iter().any(|h| h.as_bytes() == c.code);
            let out = if is_home { &mut mine } else { &mut land };
            for polygon in &c.polygons {
                for ring in polygon {
                    let pts = unwrap(ring_points(ring, &mut line), world_w);
                    write_ring(out, &clip_ring(&pts, clip));
                }
            }
        }
        for polygon in &self.lakes {
            for ring in polygon {
                let in_view = ring
                    .iter()
                    .any(|r| self.lines[line_index(*r)].bounds.meets(&view));
                if in_view {
                    let pts = unwrap(ring_points(ring, &mut line), world_w);
                    write_ring(&mut lakes, &clip_ring(&pts, clip));
                }
            }
        }
        for &b in &self.borders {
            if self.lines[b].bounds.meets(&view) {
                for piece in clip_line(&unwrap(line(b), world_w), clip) {
                    write_line(&mut borders, &piece);
                }
            }
        }
        let mut out =
            String::with_capacity(land.len() + mine.len() + lakes.len() + borders.len() + 300);
        let _ = write!(
            out,
            "<rect class=\"map-sea\" width=\"{}\" height=\"{}\"/>",
            frame.width, frame.height
        );
        for (class, d) in [
            ("map-land", &land),
            ("map-land map-home", &mine),
            ("map-lake", &lakes),
            ("map-border", &borders),
        ] {
            if !d.is_empty() {
                let _ = write!(out, "<path class=\"{class}\" d=\"{d}\"/>");
            }
        }
        out
    }
}

/// Natural Earth's outlines are spherical: Russia's and Fiji's rings step
/// across the antimeridian, from 180° to -180°. On a flat map that step
/// is a line across the whole world; shifting the rest of the ring by one
/// world width keeps it where it belongs, beyond the frame's edge.
fn unwrap(mut pts: Vec<(f64, f64)>, world_w: f64) -> Vec<(f64, f64)> {
    let mut shift = 0.0;
    let mut prev = match pts.first() {
        Some(p) => p.0,
        None => return pts,
    };
    for p in pts.iter_mut().skip(1) {
        let raw = p.0;
        let step = raw - prev;
        if step > world_w / 2.0 {
            shift -= world_w;
        } else if step < -world_w / 2.0 {
            shift += world_w;
        }
        prev = raw;
        p.0 = raw + shift;
    }
    pts
}

/// A ring's points from its simplified lines, each shared end once.
fn ring_points(ring: &[i32], line: &mut impl FnMut(usize) -> Vec<(f64, f64)>) -> Vec<(f64, f64)> {
    let mut pts: Vec<(f64, f64)> = Vec::new();
    for &r in ring {
        let mut l = line(line_index(r));
        if r < 0 {
            l.reverse();
        }
        let skip = usize::from(!pts.is_empty());
        pts.extend(l.into_iter().skip(skip));
    }
    pts
}

/// Douglas–Peucker: the fewest points of `pts` that stay within `tol` of
/// it, ends kept (so lines shared by two rings still meet).
pub fn simplify(pts: &[(f64, f64)], tol: f64) -> Vec<(f64, f64)> {
    if pts.len() < 3 {
        return pts.to_vec();
    }
    let mut keep = vec![false; pts.len()];
    keep[0] = true;
    keep[pts.len() - 1] = true;
    // An explicit stack: a long coast would recurse thousands deep.
    let mut stack = vec![(0, pts.len() - 1)];
    while let Some((a, b)) = stack.pop() {
        let (mut far, mut at) = (0.0, 0);
        for i in a + 1..b {
            let d = dist_to_segment(pts[i], pts[a], pts[b]);
            if d > far {
                (far, at) = (d, i);
            }
        }
        if far > tol {
            keep[at] = true;
            stack.push((a, at));
            stack.push((at, b));
        }
    }
    pts.iter()
        .zip(keep)
        .filter_map(|(p, k)| k.then_some(*p))
        .collect()
}

fn dist_to_segment(p: (f64, f64), a: (f64, f64), b: (f64, f64)) -> f64 {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let len2 = dx * dx + dy * dy;
    if len2 == 0.0 {
        return ((p.0 - a.0).powi(2) + (p.1 - a.1).powi(2)).sqrt();
    }
    // The distance to the chord's line, as Douglas–Peucker defines it;
    // for a closed ring (a == b) the branch above measures to the point.
    ((p.0 - a.0) * dy - (p.1 - a.1) * dx).abs() / len2.sqrt()
}

/// Sutherland–Hodgman against each side of `c` in turn. The result may
/// run along the clip edges, which lie outside the visible frame.
fn clip_ring(pts: &[(f64, f64)], c: Clip) -> Vec<(f64, f64)> {
    let mut poly = pts.to_vec();
    // Each side as (inside test, intersection of segment pq with the side).
    type Side = (
        fn(&(f64, f64), &Clip) -> bool,
        fn((f64, f64), (f64, f64), &Clip) -> (f64, f64),
    );
    let sides: [Side; 4] = [
        (|p, c| p.0 >= c.x0, |p, q, c| at_x(p, q, c.x0)),
        (|p, c| p.0 <= c.x1, |p, q, c| at_x(p, q, c.x1)),
        (|p, c| p.1 >= c.y0, |p, q, c| at_y(p, q, c.y0)),
        (|p, c| p.1 <= c.y1, |p, q, c| at_y(p, q, c.y1)),
    ];
    for (inside, cut) in sides {
        if poly.is_empty() {
            break;
        }
        let mut out = Vec::with_capacity(poly.len());
        let mut prev = *poly.last().expect("not empty");
        for &p in &poly {
            match (inside(&p, &c), inside(&prev, &c)) {
                (true, true) => out.push(p),
                (true, false) => {
                    out.push(cut(prev, p, &c));
                    out.push(p);
                }
                (false, true) => out.push(cut(prev, p, &c)),
                (false, false) => {}
            }
            prev = p;
        }
        poly = out;
    }
    poly
}

fn at_x(p: (f64, f64), q: (f64, f64), x: f64) -> (f64, f64) {
    let t = (x - p.0) / (q.0 - p.0);
    (x, p.1 + t * (q.1 - p.1))
}

fn at_y(p: (f64, f64), q: (f64, f64), y: f64) -> (f64, f64) {
    let t = (y - p.1) / (q.1 - p.1);
    (p.0 + t * (q.0 - p.0), y)
}

/// The parts of a polyline inside `c` (Liang–Barsky per segment).
fn clip_line(pts: &[(f64, f64)], c: Clip) -> Vec<Vec<(f64, f64)>> {
    let mut pieces: Vec<Vec<(f64, f64)>> = Vec::new();
    let mut cur: Vec<(f64, f64)> = Vec::new();
    for w in pts.windows(2) {
        match clip_segment(w[0], w[1], c) {
            Some((a, b)) => {
                if cur.last() != Some(&a) {
                    if cur.len() > 1 {
                        pieces.push(std::mem::take(&mut cur));
                    }
                    cur = vec![a];
                }
                cur.push(b);
            }
            None => {
                if cur.len() > 1 {
                    pieces.push(std::mem::take(&mut cur));
                }
                cur.clear();
            }
        }
    }
    if cur.len() > 1 {
        pieces.push(cur);
    }
    pieces
}

fn clip_segment(a: (f64, f64), b: (f64, f64), c: Clip) -> Option<((f64, f64), (f64, f64))> {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let (mut t0, mut t1) = (0.0f64, 1.0f64);
    for (p, q) in [
        (-dx, a.0 - c.x0),
        (dx, c.x1 - a.0),
        (-dy, a.1 - c.y0),
        (dy, c.y1 - a.1),
    ] {
        if p == 0.0 {
            if q < 0.0 {
                return None;
            }
        } else {
            let t = q / p;
            if p < 0.0 {
                t0 = t0.max(t);
            } else {
                t1 = t1.min(t);
            }
        }
    }
    if t0 > t1 {
        return None;
    }
    let at = |t: f64| (a.0 + t * dx, a.1 + t * dy);
    Some((
        if t0 > 0.0 { at(t0) } else { a },
        if t1 < 1.0 { at(t1) } else { b },
    ))
}

/// Whole pixels, as relative moves: the shortest text for a path, and
/// exact, since each move is the difference of two rounded positions.
fn write_moves(out: &mut String, pts: &[(f64, f64)]) -> usize {
    let mut last: Option<(i64, i64)> = None;
    let mut n = 0;
    for &(x, y) in pts {
        let p = (x.round() as i64, y.round() as i64);
        match last {
            None => {
                let _ = write!(out, "M{} {}", p.0, p.1);
            }
            Some(l) if l == p => continue,
            Some(l) => {
                let (dx, dy) = (p.0 - l.0, p.1 - l.1);
                // A minus sign separates numbers on its own.
                let sep = if dy < 0 { "" } else { " " };
                let _ = write!(out, "l{dx}{sep}{dy}");
            }
        }
        last = Some(p);
        n += 1;
    }
    n
}

fn write_ring(out: &mut String, pts: &[(f64, f64)]) {
    if pts.len() < 3 {
        return;
    }
    let mark = out.len();
    if write_moves(out, pts) < 3 {
        // Smaller than a pixel: an islet at this scale.
        out.truncate(mark);
    } else {
        out.push('z');
    }
}

fn write_line(out: &mut String, pts: &[(f64, f64)]) {
    let mark = out.len();
    if write_moves(out, pts) < 2 {
        out.truncate(mark);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_the_world() {
        let w = world();
        assert!(w.countries.len() > 200 && w.lakes.len() > 200);
        for code in [
            "EE", "LV", "LT", "FI", "SE", "NO", "RU", "BY", "TR", "GR", "BG", "GE", "SY", "CY",
        ] {
            assert!(w.has_country(code), "{code}");
        }
        assert!(!w.borders.is_empty());
    }

    #[test]
    fn places_are_in_their_countries() {
        let w = world();
        let inside = |c, lat, lon| w.in_country(c, lat, lon, 0.05).unwrap();
        assert!(inside("EE", 58.385, 24.519), "Pärnu, on the coast");
        assert!(inside("EE", 58.250, 22.483), "Kuressaare, on an island");
        assert!(inside("TR", 38.42, 27.14), "İzmir");
        assert!(inside("NO", 61.24, 8.90), "Beitostølen");
        assert!(inside("LV", 56.95, 24.11), "Rīga");
        assert!(
            !inside("EE", 24.519, 58.385),
            "swapped: in the Gulf of Oman"
        );
        assert!(!inside("EE", 56.95, 24.11), "Rīga is not in Estonia");
        assert!(
            !inside("ZA", -29.5, 28.2),
            "Maseru is in Lesotho, a hole in South Africa"
        );
        assert!(inside("LS", -29.5, 28.2));
        assert_eq!(w.in_country("ZZ", 0.0, 0.0, 0.05), None);
        let (msg, hint) = outside("EE", 24.519, 58.385).unwrap();
        assert!(msg.contains("outside EE"), "{msg}");
        assert!(hint.contains("lat = 58.385, lon = 24.519"), "{hint}");
        assert!(outside("EE", 58.385, 24.519).is_none());
        assert!(outside("ZZ", 1.0, 1.0).is_none(), "no outline, no claim");
        // A step across the antimeridian (a world is 100 wide here) is
        // walked on, not drawn back across the map.
        let u = unwrap(
            vec![(90.0, 0.0), (99.0, 1.0), (2.0, 2.0), (95.0, 3.0)],
            100.0,
        );
        assert_eq!(u, vec![(90.0, 0.0), (99.0, 1.0), (102.0, 2.0), (95.0, 3.0)]);
        let no = w.country_bounds("NO").unwrap();
        assert!(
            no.north < 72.0 && no.south > 57.0,
            "mainland, not Svalbard: {no:?}"
        );
        assert!(w.country_bounds("RU").is_none());
    }

    #[test]
    fn simplify_keeps_ends_and_shape() {
        let pts: Vec<(f64, f64)> = (0..=100)
            .map(|i| (i as f64, (i % 2) as f64 * 0.1))
            .collect();
        assert_eq!(simplify(&pts, 0.5), vec![(0.0, 0.0), (100.0, 0.0)]);
        let tent = [
            (0.0, 0.0),
            (5.0, 5.1),
            (10.0, 10.0),
            (15.0, 5.1),
            (20.0, 0.0),
        ];
        assert_eq!(
            simplify(&tent, 0.5),
            vec![(0.0, 0.0), (10.0, 10.0), (20.0, 0.0)]
        );
    }

    #[test]
    fn clipping_keeps_what_is_inside() {
        let c = Clip {
            x0: 0.0,
            y0: 0.0,
            x1: 10.0,
            y1: 10.0,
        };
        let big = [(-5.0, -5.0), (15.0, -5.0), (15.0, 15.0), (-5.0, 15.0)];
        let r = clip_ring(&big, c);
        assert!(
            r.iter()
                .all(|p| (0.0..=10.0).contains(&p.0) && (0.0..=10.0).contains(&p.1))
        );
        assert_eq!(r.len(), 4);
        assert!(clip_ring(&[(20.0, 20.0), (30.0, 20.0), (30.0, 30.0)], c).is_empty());
        let pieces = clip_line(
            &[
                (-5.0, 5.0),
                (5.0, 5.0),
                (5.0, 20.0),
                (5.0, 30.0),
                (5.0, 8.0),
            ],
            c,
        );
        assert_eq!(
            pieces,
            vec![
                vec![(0.0, 5.0), (5.0, 5.0), (5.0, 10.0)],
                vec![(5.0, 10.0), (5.0, 8.0)]
            ]
        );
    }

    #[test]
    fn a_frame_shows_its_places_and_is_shared() {
        let ee = [
            (58.385, 24.519),
            (59.437, 24.745),
            (57.83, 27.02),
            (58.25, 22.48),
        ];
        let f = Frame::fit(&ee, 600, 300, 600);
        for &(lat, lon) in &ee {
            let (x, y) = f.project(lat, lon);
            assert!(
                (20.0..=580.0).contains(&x) && (20.0..=f64::from(f.height) - 20.0).contains(&y),
                "{x} {y}"
            );
        }
        // Nudging a place a little keeps the frame, and so the drawing.
        let mut moved = ee;
        moved[0].1 += 0.01;
        assert_eq!(Frame::fit(&moved, 600, 300, 600), f);
        let a = draw(f, &["EE".into()]);
        let b = draw(f, &["EE".into()]);
        assert!(Arc::ptr_eq(&a, &b), "drawn once");
        assert!(a.contains("map-home") && a.contains("map-lake") && a.contains("map-border"));
    }
}
