//! Social cards: the picture `og:image` names on a page without a photo,
//! drawn at build time from the page's facts in its language.

use crate::support::site::SiteTest;
use std::collections::BTreeMap;

fn meta(page: &scraper::Html, key: &str) -> String {
    let css = format!("meta[property=\"{key}\"], meta[name=\"{key}\"]");
    let sel = scraper::Selector::parse(&css).unwrap();
    let el = page
        .select(&sel)
        .next()
        .unwrap_or_else(|| panic!("no {key}"));
    el.value().attr("content").unwrap().to_string()
}

/// The card file a page's `og:image` names, as a path in the output.
fn card_of(site: &SiteTest, url: &str) -> String {
    let page = site.page(url);
    let og = meta(&page, "og:image");
    let file = og
        .strip_prefix("https://example.org/")
        .unwrap_or_else(|| panic!("{og}"));
    assert!(
        file.starts_with("photos/card-") && file.ends_with(".png"),
        "{og}"
    );
    assert_eq!(meta(&page, "og:image:width"), "1200");
    assert_eq!(meta(&page, "og:image:height"), "630");
    assert_eq!(meta(&page, "twitter:card"), "summary_large_image");
    file.to_string()
}

/// Size and number of distinct colours of a PNG.
fn look(png: &[u8]) -> (u32, u32, usize) {
    let img = image::load_from_memory_with_format(png, image::ImageFormat::Png)
        .unwrap()
        .into_rgb8();
    let mut colours: Vec<[u8; 3]> = img.pixels().map(|p| p.0).collect();
    colours.sort_unstable();
    colours.dedup();
    (img.width(), img.height(), colours.len())
}

fn cards(tree: &BTreeMap<String, Vec<u8>>) -> BTreeMap<&String, &Vec<u8>> {
    tree.iter()
        .filter(|(p, _)| p.starts_with("photos/card-"))
        .collect()
}

#[test]
fn pages_without_photos_get_cards_in_latin_and_arabic_script() {
    let site = SiteTest::sample();
    site.build().assert_ok();
    let tree = site.tree();
    for (url, alt_has) in [
        (
            "/en/spas/beitostolen-helsesportsenter/",
            "Beitostølen, Norway",
        ),
        ("/ar/clusters/izmir/", "تركيا"),
        ("/ru/clusters/estonia/", "Эстония"),
    ] {
        let file = card_of(&site, url);
        let (w, h, colours) = look(&tree[&file]);
        assert_eq!((w, h), (1200, 630), "{url}");
        assert!(colours > 200, "{url}: {colours} colours, a blank card?");
        let alt = meta(&site.page(url), "og:image:alt");
        assert!(alt.contains(alt_has), "{url}: {alt}");
    }
    // Each language draws its own card of the same item.
    assert_ne!(
        card_of(&site, "/en/clusters/izmir/"),
        card_of(&site, "/ar/clusters/izmir/")
    );
}

#[test]
fn cards_are_the_same_bytes_on_one_thread_and_on_two_and_cached() {
    let build_on = |threads: usize| {
        let site = SiteTest::sample();
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        pool.install(|| site.build().assert_ok().photos_processed);
        let tree = site.tree();
        let made: BTreeMap<String, Vec<u8>> = cards(&tree)
            .into_iter()
            .map(|(p, b)| (p.clone(), b.clone()))
            .collect();
        (site, made)
    };
    let (site, one) = build_on(1);
    let (_, two) = build_on(2);
    assert!(one.len() > 50, "{} cards", one.len());
    assert!(one == two, "cards differ between thread counts");
    // A second build draws nothing: every card comes from the cache.
    let (drawn, reused) = site.build().assert_ok().cards;
    assert_eq!(drawn, 0);
    assert!(reused >= one.len(), "{reused} from the cache");
    assert!(cards(&site.tree()).into_iter().eq(one.iter()));
}

#[test]
fn cards_are_drawn_only_when_the_site_asks_for_them() {
    let site = SiteTest::sample();
    site.replace("site.toml", "[social_cards]\nenabled = true\n", "");
    let built = site.build();
    assert_eq!(built.assert_ok().cards, (0, 0));
    assert!(cards(&site.tree()).is_empty());
    // A page without a photo then names no picture at all.
    let page = site.page("/en/clusters/izmir/");
    let sel = scraper::Selector::parse("meta[property=\"og:image\"]").unwrap();
    assert!(page.select(&sel).next().is_none());
}
