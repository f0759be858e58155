//! Maps: the basemap under every map, the list of places beside it, and
//! the warning for a point outside its country.

use crate::support::*;

fn base() -> SiteTest {
    SiteTest::fixture("errors/base")
}

#[test]
fn swapped_coordinates_warn_at_their_line_and_the_build_goes_on() {
    let site = base();
    site.replace(
        "content/locations.toml",
        "coordinates = { lat = 58.939, lon = 23.541 }",
        "coordinates = { lat = 23.541, lon = 58.939 }",
    );
    site.replace(
        "content/spas/laine.en.md",
        "kind = \"spa-hotel\"\n",
        "kind = \"spa-hotel\"\ncoordinates = { lat = 56.95, lon = 24.11 }\n",
    );
    let built = site.build();
    built.assert_ok();
    let text = built.rendered();
    assert!(
        text.contains(
            "content/locations.toml:5:1: warning: location `haapsalu`: coordinates (lat 23.541, lon 58.939) lie outside EE, the place's country"
        ),
        "{text}"
    );
    assert!(
        text.contains("latitude and longitude look swapped: write `coordinates = { lat = 58.939, lon = 23.541 }`"),
        "{text}"
    );
    assert!(
        text.contains("content/spas/laine.en.md:6:1: warning: coordinates (lat 56.95, lon 24.11) lie outside EE"),
        "{text}"
    );
    assert_eq!(built.warnings().count(), 2, "{text}");
    // The right numbers say nothing.
    let site = base();
    let built = site.build();
    assert_eq!(built.warnings().count(), 0, "{}", built.rendered());
}

#[test]
fn every_map_page_has_a_basemap_links_and_a_list_of_its_places() {
    let site = SiteTest::sample();
    site.build().assert_ok();
    for url in [
        "/en/locations/",
        "/en/locations/otepaa/",
        "/en/spas/laine/",
        "/en/clusters/estonia/",
    ] {
        let doc = site.page(url);
        let figures: Vec<_> = doc.select(&sel("main figure.map-figure")).collect();
        assert!(!figures.is_empty(), "{url} has no map");
        for fig in figures {
            let svg = fig.select(&sel("svg.map")).next().expect("an SVG map");
            // A single town's map may show no border; a country's does.
            let parts: &[&str] = if url == "/en/locations/" {
                &[
                    "rect.map-sea",
                    "path.map-land",
                    "path.map-home",
                    "path.map-border",
                ]
            } else {
                &["rect.map-sea", "path.map-home"]
            };
            for part in parts {
                assert!(svg.select(&sel(part)).next().is_some(), "{url}: no {part}");
            }
            let dots = svg.select(&sel("circle.map-dot")).count();
            let listed = fig.select(&sel("figcaption.map-places li")).count();
            assert!(
                dots > 0 && dots == listed,
                "{url}: {dots} dots, {listed} listed"
            );
            let osm: Vec<&str> = fig
                .select(&sel("figcaption.map-places a.map-osm"))
                .map(|a| a.attr("href").unwrap())
                .collect();
            assert_eq!(osm.len(), listed, "{url}");
            assert!(
                osm.iter()
                    .all(|h| h.starts_with("https://www.openstreetmap.org/?mlat="))
            );
        }
    }
    // Otepää's neighbours are links on its map; Otepää itself is marked.
    let doc = site.page("/en/locations/otepaa/");
    assert!(
        doc.select(&sel("svg.map circle.map-dot-here"))
            .next()
            .is_some()
    );
    assert!(
        doc.select(&sel("svg.map a[href=\"/en/locations/voru/\"]"))
            .next()
            .is_some()
    );
}
