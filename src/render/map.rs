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
    let esc = |s: &str| html_escape::encode_text(s).to_string();
    let mut out = String::new();
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
        esc(title)
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
    let mut placed: Vec<(f64, f64, f64, f64)> = Vec::new();
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
        let candidates = [
            (x + 10.0, y + 5.0, "start"),
            (x - 10.0, y + 5.0, "end"),
            (x, y - 12.0, "middle"),
            (x, y + 22.0, "middle"),
            (x + 10.0, y + 20.0, "start"),
            (x - 10.0, y - 8.0, "end"),
        ];
        let bbox = |(lx, ly, anchor): (f64, f64, &str)| {
            let left = match anchor {
                "start" => lx,
                "end" => lx - width,
                _ => lx - width / 2.0,
            };
            (left, ly - 18.0, left + width, ly + 5.0)
        };
        let fits = |b: (f64, f64, f64, f64)| {
            b.0 >= 0.0
                && b.2 <= W
                && b.1 >= 0.0
                && b.3 <= H
                && placed
                    .iter()
                    .all(|o| b.2 < o.0 || b.0 > o.2 || b.3 < o.1 || b.1 > o.3)
        };
        let (lx, ly, anchor) = candidates
            .iter()
            .copied()
            .find(|c| fits(bbox(*c)))
            .unwrap_or(if x > W - 150.0 {
                candidates[1]
            } else {
                candidates[0]
            });
        placed.push(bbox((lx, ly, anchor)));
        let dot = format!(
            "<circle class=\"{class}\" cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"{}\"/><text class=\"map-label\" x=\"{lx:.1}\" y=\"{ly:.1}\" text-anchor=\"{anchor}\">{}</text>",
            if p.highlight { 9 } else { 6 },
            esc(p.label)
        );
        match p.href {
            Some(h) => {
                let _ = write!(
                    out,
                    "<a href=\"{}\">{dot}</a>",
                    html_escape::encode_double_quoted_attribute(h)
                );
            }
            None => out.push_str(&dot),
        }
    }
    out.push_str("</svg>");
    out
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
        for cap in s.split("<circle").skip(1) {
            let cx: f64 = cap
                .split("cx=\"")
                .nth(1)
                .unwrap()
                .split('"')
                .next()
                .unwrap()
                .parse()
                .unwrap();
            let cy: f64 = cap
                .split("cy=\"")
                .nth(1)
                .unwrap()
                .split('"')
                .next()
                .unwrap()
                .parse()
                .unwrap();
            assert!((0.0..=W).contains(&cx) && (0.0..=H).contains(&cy));
        }
        assert_eq!(svg("m", "x", &[]), "");
    }
}
