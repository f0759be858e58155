//! `klynge build` through the library: each test builds a small fixture
//! site from `tests/fixtures/<scenario>/`, copied to a temporary folder,
//! and reads the output as a browser would — parsed HTML, every
//! internal link and anchor followed, hreflang alternates proven mutual,
//! JSON-LD, Atom feeds and the sitemap parsed.

use crate::support::*;
use scraper::Html;
use std::collections::BTreeSet;
use std::fs;
use std::process::Command;

// ---------------------------------------------------------------------------
// Small assertion helpers.

fn assert_exists(site: &SiteTest, urls: &[&str]) {
    let missing: Vec<&&str> = urls.iter().filter(|u| !site.exists(u)).collect();
    assert!(missing.is_empty(), "missing pages: {missing:?}");
}

fn assert_absent(site: &SiteTest, urls: &[&str]) {
    let present: Vec<&&str> = urls.iter().filter(|u| site.exists(u)).collect();
    assert!(
        present.is_empty(),
        "pages that should not exist: {present:?}"
    );
}

/// `doc` links to `href` inside `<main>`.
fn assert_lists(doc: &Html, page: &str, href: &str) {
    assert!(
        main_link(doc, href).is_some(),
        "{page} does not link {href}; its links: {:?}",
        main_links(doc)
    );
}

fn assert_not_lists(doc: &Html, page: &str, href: &str) {
    assert!(
        main_link(doc, href).is_none(),
        "{page} links {href} but should not"
    );
}

/// On `page` (a list page in another language), the link to `href` is
/// marked as leading to a page in `lang`: `hreflang` on the link, `lang`
/// on the text, and a visible language tag where its card shows text in
/// that language.
fn assert_fallback_link(site: &SiteTest, page: &str, href: &str, lang: &str) {
    let doc = site.page(page);
    let a = main_link(&doc, href)
        .unwrap_or_else(|| panic!("{page} does not link {href}: {:?}", main_links(&doc)));
    assert_eq!(
        a.attr("hreflang"),
        Some(lang),
        "{page}: link {href} lacks hreflang={lang}"
    );
    let text_lang = a.attr("lang") == Some(lang)
        || a.select(&sel(&format!("[lang=\"{lang}\"]")))
            .next()
            .is_some();
    assert!(
        text_lang,
        "{page}: the text of link {href} is not marked lang={lang}"
    );
    // A visible tag where the card shows text in that language (its
    // summary), and none on a card that shows only the item's name.
    let card = a
        .ancestors()
        .filter_map(scraper::ElementRef::wrap)
        .find(|e| e.value().name() == "li")
        .expect("a link in a list entry");
    let summary = card.select(&sel(".item-summary")).next();
    let tag = card.select(&sel(".lang-tag")).next();
    match summary {
        Some(s) => {
            assert_eq!(s.attr("lang"), Some(lang), "{page}: summary of {href}");
            let tag = tag.unwrap_or_else(|| panic!("{page}: no language tag on {href}"));
            assert_eq!(text_of(tag), lang.to_uppercase(), "{page}: {href}");
        }
        None => assert!(tag.is_none(), "{page}: a name-only card {href} is tagged"),
    }
}

fn assert_native_link(site: &SiteTest, page: &str, href: &str, lang: &str) {
    let doc = site.page(page);
    let a = main_link(&doc, href)
        .unwrap_or_else(|| panic!("{page} does not link {href}: {:?}", main_links(&doc)));
    assert!(
        a.attr("hreflang").is_none_or(|h| h == lang),
        "{page}: link {href} in its own language carries hreflang={:?}",
        a.attr("hreflang")
    );
}

fn canonical(doc: &Html) -> String {
    doc.select(&sel(r#"link[rel="canonical"]"#))
        .next()
        .unwrap()
        .attr("href")
        .unwrap()
        .to_string()
}

// ---------------------------------------------------------------------------
// basic: en + nb, one cluster, two spas in two locations, a news item, a page.

#[test]
fn basic_site_has_every_page_and_passes_the_site_check() {
    let site = SiteTest::fixture("basic");
    site.build().assert_ok();
    let report = check_site(&site.out, "");
    assert!(report.html_pages >= 25, "{report:?}");
    assert_eq!(report.feeds, 2, "{report:?}");
    assert!(report.sitemap_urls >= 25, "{report:?}");
    // Every page names the site icon (check_site proved the file is there),
    // so no browser asks for a /favicon.ico that is not.
    for page in ["/", "/en/", "/404.html", "/nb/spas/"] {
        let doc = site.page(page);
        let icon = doc.select(&sel(r#"link[rel="icon"]"#)).next();
        assert_eq!(
            icon.and_then(|l| l.attr("href")),
            Some("/favicon.svg"),
            "{page}"
        );
    }
    // `@/…md#anchor` links keep their anchor (check_site proved it exists).
    assert_lists(
        &site.page("/en/pages/about/"),
        "/en/pages/about/",
        "/en/spas/kurbad/#treatments",
    );
    assert_lists(
        &site.page("/en/news/opening/"),
        "/en/news/opening/",
        "/en/spas/kurbad/#treatments",
    );
    assert_lists(
        &site.page("/en/clusters/fjord/"),
        "/en/clusters/fjord/",
        "/en/pages/about/#contact",
    );
    assert_lists(
        &site.page("/nb/pages/about/"),
        "/nb/pages/about/",
        "/nb/spas/solhotell/",
    );
    assert_exists(
        &site,
        &[
            "/",
            "/en/",
            "/nb/",
            "/en/clusters/fjord/",
            "/nb/clusters/fjord/",
            "/en/spas/",
            "/en/spas/kurbad/",
            "/en/spas/solhotell/",
            "/nb/spas/kurbad/",
            "/en/news/",
            "/en/news/opening/",
            "/nb/news/opening/",
            "/en/locations/",
            "/en/locations/alesund/",
            "/en/locations/tartu/",
            "/en/pages/about/",
            "/nb/pages/about/",
            "/en/atom.xml",
            "/nb/atom.xml",
            "/en/search/",
            "/en/search.json",
            "/nb/search.json",
            "/sitemap.xml",
            "/404.html",
        ],
    );
    // The language chooser names every language, in its own name.
    let chooser = site.page("/");
    let links = main_links(&chooser);
    assert!(
        links.contains(&"/en/".to_string()) && links.contains(&"/nb/".to_string()),
        "{links:?}"
    );
    assert!(
        chooser
            .root_element()
            .text()
            .collect::<String>()
            .contains("Norsk bokmål")
    );
    // The page's language is its prefix's.
    let nb = site.page("/nb/spas/kurbad/");
    assert_eq!(
        nb.select(&sel("html")).next().unwrap().attr("lang"),
        Some("nb")
    );
    assert!(text_of(nb.select(&sel("title")).next().unwrap()).contains("Kurbadet rehabilitering"));
}

#[test]
fn basic_cluster_and_location_pages_list_their_members_and_news() {
    let site = SiteTest::fixture("basic");
    site.build().assert_ok();
    for lang in ["en", "nb"] {
        let page = format!("/{lang}/clusters/fjord/");
        let doc = site.page(&page);
        assert_lists(&doc, &page, &format!("/{lang}/spas/kurbad/"));
        assert_lists(&doc, &page, &format!("/{lang}/spas/solhotell/"));
        assert_lists(&doc, &page, &format!("/{lang}/news/opening/"));

        let page = format!("/{lang}/locations/alesund/");
        let doc = site.page(&page);
        assert_lists(&doc, &page, &format!("/{lang}/spas/kurbad/"));
        assert_not_lists(&doc, &page, &format!("/{lang}/spas/solhotell/"));
        assert_lists(&doc, &page, &format!("/{lang}/news/opening/"));

        let page = format!("/{lang}/locations/tartu/");
        let doc = site.page(&page);
        assert_lists(&doc, &page, &format!("/{lang}/spas/solhotell/"));
        assert_not_lists(&doc, &page, &format!("/{lang}/spas/kurbad/"));

        let page = format!("/{lang}/spas/");
        let doc = site.page(&page);
        assert_lists(&doc, &page, &format!("/{lang}/spas/kurbad/"));
        assert_lists(&doc, &page, &format!("/{lang}/spas/solhotell/"));

        let page = format!("/{lang}/news/");
        assert_lists(&site.page(&page), &page, &format!("/{lang}/news/opening/"));
        let page = format!("/{lang}/locations/");
        let doc = site.page(&page);
        assert_lists(&doc, &page, &format!("/{lang}/locations/alesund/"));
        assert_lists(&doc, &page, &format!("/{lang}/locations/tartu/"));
    }
    // A spa page links its location and its cluster.
    let page = "/en/spas/kurbad/";
    let doc = site.page(page);
    assert_lists(&doc, page, "/en/locations/alesund/");
    assert_lists(&doc, page, "/en/clusters/fjord/");
    // The Atom feed carries the news item.
    let feed = parse_xml(&site.text("/en/atom.xml")).unwrap();
    let links: Vec<&str> = feed
        .find_all("entry")
        .iter()
        .flat_map(|e| e.find_all("link"))
        .filter_map(|l| l.attr("href"))
        .collect();
    assert_eq!(links, ["https://example.org/en/news/opening/"]);
    // The search index finds the spa, diacritics folded.
    let index: serde_json::Value = serde_json::from_str(&site.text("/en/search.json")).unwrap();
    assert!(
        index.to_string().contains("/en/spas/kurbad/"),
        "search index lacks the spa"
    );
}

#[test]
fn basic_json_ld_types() {
    let site = SiteTest::fixture("basic");
    site.build().assert_ok();

    let kurbad = site.page("/en/spas/kurbad/");
    let spa = ld_of_type(&kurbad, "MedicalClinic").expect("rehabilitation spa is a MedicalClinic");
    assert_eq!(spa["address"]["@type"], "PostalAddress", "{spa}");
    assert_eq!(spa["address"]["streetAddress"], "Badeveien 2", "{spa}");
    assert_eq!(spa["geo"]["@type"], "GeoCoordinates", "{spa}");
    assert_eq!(spa["geo"]["latitude"].as_f64(), Some(62.47), "{spa}");
    assert_eq!(spa["geo"]["longitude"].as_f64(), Some(6.15), "{spa}");
    assert_eq!(spa["url"], "https://example.org/en/spas/kurbad/");

    let sol = site.page("/en/spas/solhotell/");
    let spa = ld_of_type(&sol, "HealthAndBeautyBusiness")
        .expect("spa-hotel is a HealthAndBeautyBusiness");
    assert_eq!(spa["address"]["@type"], "PostalAddress", "{spa}");
    assert_eq!(spa["address"]["addressLocality"], "Tartu", "{spa}");
    // No coordinates of its own: no point at all, not its town's centre.
    assert!(spa.get("geo").is_none(), "{spa}");
    assert_eq!(spa["address"]["addressCountry"], "EE", "{spa}");
    assert!(ld_of_type(&sol, "MedicalClinic").is_none());

    let cluster = site.page("/en/clusters/fjord/");
    let org = ld_of_type(&cluster, "Organization").expect("cluster is an Organization");
    assert_eq!(org["name"], "Fjord Health Cluster");
    assert_eq!(org["address"]["@type"], "PostalAddress", "{org}");

    let news = site.page("/en/news/opening/");
    let article = ld_of_type(&news, "NewsArticle").expect("news is a NewsArticle");
    assert_eq!(article["datePublished"], "2024-05-02", "{article}");

    for page in [
        "/en/spas/kurbad/",
        "/en/clusters/fjord/",
        "/en/news/opening/",
        "/nb/pages/about/",
        "/en/locations/tartu/",
    ] {
        let doc = site.page(page);
        let crumbs = ld_of_type(&doc, "BreadcrumbList")
            .unwrap_or_else(|| panic!("{page}: no BreadcrumbList"));
        let items = crumbs["itemListElement"].as_array().unwrap();
        assert!(items.len() >= 2, "{page}: {crumbs}");
        let last = items.last().unwrap();
        assert_eq!(
            last["item"].as_str(),
            Some(canonical(&doc).as_str()),
            "{page}: last crumb is not the page"
        );
        for (i, item) in items.iter().enumerate() {
            assert_eq!(
                item["position"].as_u64(),
                Some(i as u64 + 1),
                "{page}: {crumbs}"
            );
        }
    }
}

#[test]
fn basic_language_switcher_links_the_other_translation() {
    let site = SiteTest::fixture("basic");
    site.build().assert_ok();
    for (here, there, lang) in [
        ("/en/spas/kurbad/", "/nb/spas/kurbad/", "nb"),
        ("/nb/spas/kurbad/", "/en/spas/kurbad/", "en"),
        ("/en/news/opening/", "/nb/news/opening/", "nb"),
        ("/nb/clusters/fjord/", "/en/clusters/fjord/", "en"),
    ] {
        let doc = site.page(here);
        let a = doc
            .select(&sel("a[href]"))
            .find(|a| a.attr("href") == Some(there))
            .unwrap_or_else(|| panic!("{here} has no link to its translation {there}"));
        assert_eq!(
            a.attr("hreflang"),
            Some(lang),
            "{here}: switcher link {there}"
        );
        assert_eq!(a.attr("lang"), Some(lang), "{here}: switcher link {there}");
        let alternates: Vec<(String, String)> = doc
            .select(&sel(r#"link[rel="alternate"][hreflang]"#))
            .map(|l| {
                (
                    l.attr("hreflang").unwrap().into(),
                    l.attr("href").unwrap().into(),
                )
            })
            .collect();
        assert!(
            alternates.contains(&(lang.into(), format!("{ORIGIN}{there}"))),
            "{here}: {alternates:?}"
        );
        assert!(
            alternates.iter().any(|(l, _)| l == "x-default"),
            "{here}: {alternates:?}"
        );
    }
}

/// `check_site` itself fails on broken output: each case damages a copy of
/// a good build and expects a complaint containing `needle`.
#[test]
fn check_site_catches_broken_output() {
    let site = SiteTest::fixture("basic");
    site.build().assert_ok();
    check_site(&site.out, "");
    type Damage = fn(&std::path::Path);
    fn edit(dir: &std::path::Path, file: &str, from: &str, to: &str) {
        let p = dir.join(file);
        let text = fs::read_to_string(&p).unwrap();
        assert!(text.contains(from), "{file} lacks {from:?}");
        fs::write(p, text.replacen(from, to, 1)).unwrap();
    }
    let cases: Vec<(&str, Damage, &str)> = vec![
        (
            "missing page",
            |d| fs::remove_file(d.join("en/spas/solhotell/index.html")).unwrap(),
            "/en/spas/solhotell/",
        ),
        (
            "missing anchor",
            |d| {
                edit(
                    d,
                    "en/pages/about/index.html",
                    "id=\"contact\"",
                    "id=\"kontakt\"",
                )
            },
            "no id `contact`",
        ),
        (
            "one-sided hreflang",
            |d| {
                edit(
                    d,
                    "nb/spas/kurbad/index.html",
                    "hreflang=\"en\" href=\"https://example.org/en/spas/kurbad/\"",
                    "hreflang=\"en\" href=\"https://example.org/en/spas/solhotell/\"",
                )
            },
            "does not list this one",
        ),
        (
            "broken sitemap",
            |d| edit(d, "sitemap.xml", "</urlset>", "<url></urlset>"),
            "sitemap.xml: not well-formed",
        ),
        (
            "feed link",
            |d| edit(d, "en/atom.xml", "/en/news/opening/", "/en/news/closing/"),
            "en/atom.xml",
        ),
        (
            "two titles",
            |d| edit(d, "en/index.html", "</head>", "<title>again</title></head>"),
            "2 <title>",
        ),
        (
            "no description",
            |d| {
                edit(
                    d,
                    "en/spas/index.html",
                    "name=\"description\"",
                    "name=\"x\"",
                )
            },
            "meta descriptions",
        ),
        (
            "JSON-LD context",
            |d| {
                edit(
                    d,
                    "en/news/opening/index.html",
                    "\"https://schema.org\"",
                    "\"https://example.com\"",
                )
            },
            "@context",
        ),
        (
            "no lang",
            |d| {
                edit(
                    d,
                    "nb/index.html",
                    "<html lang=\"nb\" dir=\"ltr\">",
                    "<html>",
                )
            },
            "no <html lang>",
        ),
        (
            "no direction",
            |d| edit(d, "nb/index.html", " dir=\"ltr\">", ">"),
            "no <html dir>",
        ),
        (
            "wrong canonical",
            |d| {
                edit(
                    d,
                    "nb/news/index.html",
                    "https://example.org/nb/news/\"",
                    "https://example.org/en/news/\"",
                )
            },
            "canonical",
        ),
    ];
    for (what, damage, needle) in cases {
        let copy = site
            .tmp()
            .join(format!("damaged-{}", what.replace(' ', "-")));
        copy_dir(&site.out, &copy);
        damage(&copy);
        let result = std::panic::catch_unwind(|| check_site(&copy, ""));
        let msg = match result {
            Ok(r) => panic!("{what}: check_site passed damaged output: {r:?}"),
            Err(e) => e.downcast_ref::<String>().cloned().unwrap_or_default(),
        };
        assert!(
            msg.contains(needle),
            "{what}: complaint lacks {needle:?}:\n{msg}"
        );
    }
    // A site built for the host root lacks the base path of a subpath site.
    let msg =
        std::panic::catch_unwind(|| check_site(&site.out, "/sub")).expect_err("links lack /sub");
    assert!(
        msg.downcast_ref::<String>()
            .unwrap()
            .contains("lacks the base path /sub")
    );
}

// ---------------------------------------------------------------------------
// untranslated: items missing in a language appear there, linked to their
// fallback translation and marked with its language.

#[test]
fn untranslated_items_link_their_fallback_translation() {
    let site = SiteTest::fixture("untranslated");
    site.build().assert_ok();
    check_site(&site.out, "");
    // Item pages exist only in the languages they were written in.
    assert_exists(
        &site,
        &[
            "/en/spas/alpha/",
            "/en/spas/beta/",
            "/sv/spas/beta/",
            "/nb/spas/delta/",
            "/en/news/notice/",
        ],
    );
    assert_absent(
        &site,
        &[
            "/nb/spas/alpha/",
            "/sv/spas/alpha/",
            "/nb/spas/beta/",
            "/nb/news/notice/",
            "/sv/news/notice/",
        ],
    );
    for page in ["/nb/spas/", "/nb/locations/bergen/", "/nb/clusters/vest/"] {
        // alpha is only in en; fallback (sv) lacks it, so the language order gives en.
        assert_fallback_link(&site, page, "/en/spas/alpha/", "en");
        // beta is in en and sv: `fallback = ["sv"]` comes before the language order.
        assert_fallback_link(&site, page, "/sv/spas/beta/", "sv");
        assert_native_link(&site, page, "/nb/spas/delta/", "nb");
    }
    for page in ["/nb/clusters/vest/", "/nb/locations/bergen/", "/nb/news/"] {
        assert_fallback_link(&site, page, "/en/news/notice/", "en");
    }
    // From sv, alpha falls back along the language order to en.
    assert_fallback_link(&site, "/sv/spas/", "/en/spas/alpha/", "en");
    assert_native_link(&site, "/sv/spas/", "/sv/spas/beta/", "sv");
    // The nb Atom feed shows what nb readers see, and still parses.
    parse_xml(&site.text("/nb/atom.xml")).unwrap();
    // A page in a language lacking the item offers no switcher link to it.
    let alpha = site.page("/en/spas/alpha/");
    assert!(
        alpha
            .select(&sel("a[href]"))
            .all(|a| !a.attr("href").unwrap().starts_with("/nb/spas/alpha")),
        "a link to the missing nb translation"
    );
}

#[test]
fn untranslated_internal_links_follow_the_fallback_order() {
    let site = SiteTest::fixture("untranslated");
    site.build().assert_ok();
    let page = "/nb/pages/guide/";
    let doc = site.page(page);
    let links = main_links(&doc);
    for href in ["/en/spas/alpha/", "/sv/spas/beta/", "/nb/spas/delta/"] {
        assert!(
            links.iter().any(|l| l == href),
            "{page}: no link {href}: {links:?}"
        );
    }
    // Without `fallback`, the language order alone decides: beta → en.
    site.replace("site.toml", "fallback = [\"sv\"]", "fallback = []");
    site.build().assert_ok();
    let doc = site.page(page);
    let links = main_links(&doc);
    assert!(
        links.iter().any(|l| l == "/en/spas/beta/"),
        "{page}: {links:?}"
    );
    assert_fallback_link(&site, "/nb/spas/", "/en/spas/beta/", "en");
    check_site(&site.out, "");
}

// ---------------------------------------------------------------------------
// subpath: base_url with a path, and the --base-url override.

#[test]
fn subpath_base_url_prefixes_every_link() {
    let site = SiteTest::fixture("subpath");
    site.build().assert_ok();
    let report = check_site(&site.out, "/sub");
    assert!(report.links > 200, "{report:?}");
    // Output paths do not carry the subpath; URLs do.
    assert_exists(&site, &["/en/spas/kurbad/", "/old/sun-hotel/", "/404.html"]);
    assert!(!site.out.join("sub").exists());
    let doc = site.page("/en/spas/kurbad/");
    assert_eq!(canonical(&doc), "https://example.org/sub/en/spas/kurbad/");
    // Every root-relative link on every page carries the subpath.
    for (rel, bytes) in site.tree().iter().filter(|(k, _)| k.ends_with(".html")) {
        let doc = Html::parse_document(std::str::from_utf8(bytes).unwrap());
        for e in doc.select(&sel("[href], [src]")) {
            let link = e.attr("href").or(e.attr("src")).unwrap();
            if link.starts_with('/') {
                assert!(link.starts_with("/sub/"), "{rel}: link {link} lacks /sub/");
            }
        }
    }
    let sitemap = parse_xml(&site.text("/sitemap.xml")).unwrap();
    for loc in sitemap.find_all("loc") {
        assert!(
            loc.text.starts_with("https://example.org/sub/"),
            "sitemap loc {}",
            loc.text
        );
    }
    let alias = site.text("/old/sun-hotel/");
    assert!(
        alias.contains("/sub/en/spas/solhotell/"),
        "alias target lacks the subpath: {alias}"
    );
}

#[test]
fn base_url_override_changes_canonical_urls() {
    let site = SiteTest::fixture("subpath");
    site.build_with(|a| a.base_url = Some("https://preview.example.net/pr-7".into()))
        .assert_ok();
    check_site_at(&site.out, "https://preview.example.net", "/pr-7");
    let doc = site.page("/nb/news/opening/");
    assert_eq!(
        canonical(&doc),
        "https://preview.example.net/pr-7/nb/news/opening/"
    );
    assert!(
        !site.text("/sitemap.xml").contains("example.org/sub"),
        "sitemap still uses site.toml's base_url"
    );
    assert!(
        !site.text("/en/atom.xml").contains("example.org/sub"),
        "feed still uses site.toml's base_url"
    );

    // An override to a host root drops the subpath entirely.
    site.build_with(|a| a.base_url = Some("https://other.example.com/".into()))
        .assert_ok();
    check_site_at(&site.out, "https://other.example.com", "");
    let doc = site.page("/en/spas/kurbad/");
    assert_eq!(canonical(&doc), "https://other.example.com/en/spas/kurbad/");
}

// ---------------------------------------------------------------------------
// pagination: per_page = 2.

/// The news items linked from one news list page, in order.
fn news_on(site: &SiteTest, page: &str) -> Vec<String> {
    let doc = site.page(page);
    let mut seen = Vec::new();
    for href in main_links(&doc) {
        let Some(slug) = href.strip_prefix("/en/news/") else {
            continue;
        };
        if slug.is_empty() || slug.starts_with("page/") || seen.contains(&href) {
            continue;
        }
        seen.push(href);
    }
    seen
}

fn rel_link(site: &SiteTest, page: &str, rel: &str) -> Option<String> {
    let doc = site.page(page);
    let found: Vec<String> = doc
        .select(&sel(&format!("a[rel~=\"{rel}\"], link[rel~=\"{rel}\"]")))
        .map(|a| a.attr("href").unwrap().to_string())
        .collect();
    let unique: BTreeSet<&String> = found.iter().collect();
    assert!(
        unique.len() <= 1,
        "{page}: several rel={rel} links: {found:?}"
    );
    found.into_iter().next()
}

#[test]
fn pagination_splits_news_newest_first() {
    let site = SiteTest::fixture("pagination");
    site.build().assert_ok();
    check_site(&site.out, "");
    assert_exists(
        &site,
        &["/en/news/", "/en/news/page/2/", "/en/news/page/3/"],
    );
    assert_absent(&site, &["/en/news/page/4/"]);
    let pages = ["/en/news/", "/en/news/page/2/", "/en/news/page/3/"];
    let per_page: Vec<Vec<String>> = pages.iter().map(|p| news_on(&site, p)).collect();
    assert_eq!(
        per_page,
        [
            vec!["/en/news/cherry/", "/en/news/apple/"],
            vec!["/en/news/elder/", "/en/news/banana/"],
            vec!["/en/news/damson/"],
        ],
        "news not split newest first"
    );
    assert_eq!(rel_link(&site, pages[0], "prev"), None);
    assert_eq!(
        rel_link(&site, pages[0], "next").as_deref(),
        Some("/en/news/page/2/")
    );
    assert_eq!(
        rel_link(&site, pages[1], "prev").as_deref(),
        Some("/en/news/")
    );
    assert_eq!(
        rel_link(&site, pages[1], "next").as_deref(),
        Some("/en/news/page/3/")
    );
    assert_eq!(
        rel_link(&site, pages[2], "prev").as_deref(),
        Some("/en/news/page/2/")
    );
    assert_eq!(rel_link(&site, pages[2], "next"), None);
    // Each list page is its own canonical page.
    assert_eq!(
        canonical(&site.page(pages[1])),
        "https://example.org/en/news/page/2/"
    );
    // The feed has them all, newest first.
    let feed = parse_xml(&site.text("/en/atom.xml")).unwrap();
    let ids: Vec<String> = feed
        .find_all("entry")
        .iter()
        .map(|e| {
            e.children
                .iter()
                .find(|c| c.name == "id")
                .unwrap()
                .text
                .clone()
        })
        .collect();
    assert_eq!(ids.len(), 5, "{ids:?}");
    assert!(
        ids[0].ends_with("/cherry/") && ids[4].ends_with("/damson/"),
        "{ids:?}"
    );
}

#[test]
fn pagination_boundary_exact_multiple_of_per_page() {
    let site = SiteTest::fixture("pagination");
    site.remove("content/news/damson.en.md");
    site.build().assert_ok();
    check_site(&site.out, "");
    assert_exists(&site, &["/en/news/", "/en/news/page/2/"]);
    assert_absent(&site, &["/en/news/page/3/"]);
    assert_eq!(
        news_on(&site, "/en/news/page/2/"),
        ["/en/news/elder/", "/en/news/banana/"]
    );
    assert_eq!(rel_link(&site, "/en/news/page/2/", "next"), None);

    // One item: one page, no pagination links.
    for slug in ["apple", "banana", "elder"] {
        site.remove(&format!("content/news/{slug}.en.md"));
    }
    site.build().assert_ok();
    assert_absent(&site, &["/en/news/page/2/"]);
    assert_eq!(news_on(&site, "/en/news/"), ["/en/news/cherry/"]);
    assert_eq!(rel_link(&site, "/en/news/", "next"), None);
}

// ---------------------------------------------------------------------------
// aliases

#[test]
fn alias_gets_a_redirect_page() {
    let site = SiteTest::fixture("aliases");
    site.build().assert_ok();
    check_site(&site.out, "");
    for alias in ["/old/spa-name/", "/legacy/"] {
        let doc = site.page(alias);
        let refresh = doc
            .select(&sel(r#"meta[http-equiv="refresh"]"#))
            .next()
            .unwrap_or_else(|| panic!("{alias}: no meta refresh"))
            .attr("content")
            .unwrap()
            .to_string();
        let target = refresh
            .split_once("url=")
            .map(|(_, u)| u.trim())
            .unwrap_or("");
        assert!(
            target == "/en/spas/renamed/" || target == "https://example.org/en/spas/renamed/",
            "{alias}: refresh {refresh:?}"
        );
        assert_eq!(
            canonical(&doc),
            "https://example.org/en/spas/renamed/",
            "{alias}"
        );
        assert!(
            doc.select(&sel("a[href]"))
                .any(|a| a.attr("href").unwrap().ends_with("/en/spas/renamed/")),
            "{alias}: no plain link to the target for browsers without refresh"
        );
    }
    // Redirects are not pages of their own in the sitemap.
    let sitemap = site.text("/sitemap.xml");
    assert!(
        !sitemap.contains("/old/spa-name/") && !sitemap.contains("/legacy/"),
        "{sitemap}"
    );
}

#[test]
fn alias_leaving_the_output_folder_fails_naming_the_file() {
    let site = SiteTest::fixture("aliases");
    let file = "content/spas/renamed.en.md";
    for bad in ["../escaped", "/old/../../escaped/", "/a/../../../etc"] {
        site.replace(file, "\"legacy\"", &format!("{bad:?}"));
        let built = site.build();
        built.assert_err();
        let all = built.rendered();
        assert!(
            built
                .errors()
                .any(|d| d.file.as_deref() == Some(std::path::Path::new(file))
                    && d.location.is_some()),
            "alias {bad}: no error located in {file}:\n{all}"
        );
        assert!(all.contains(file), "{all}");
        assert!(!site.out.exists(), "a failed build wrote output");
        assert!(!site.tmp().join("escaped").exists() && !site.tmp().join("out/escaped").exists());
        site.replace(file, &format!("{bad:?}"), "\"legacy\"");
    }
    site.build().assert_ok();
}

// ---------------------------------------------------------------------------
// drafts

#[test]
fn drafts_are_left_out_unless_asked_for() {
    let site = SiteTest::fixture("drafts");
    site.build().assert_ok();
    check_site(&site.out, "");
    assert_absent(&site, &["/en/spas/secret/", "/en/news/upcoming/"]);
    assert_exists(&site, &["/en/spas/open/", "/en/news/published/"]);
    let everywhere = [
        "/en/spas/",
        "/en/news/",
        "/en/",
        "/en/clusters/c/",
        "/en/locations/oslo/",
        "/en/atom.xml",
        "/sitemap.xml",
        "/en/search.json",
    ];
    for page in everywhere {
        let text = site.text(page);
        assert!(
            !text.contains("secret") && !text.contains("upcoming"),
            "{page} mentions a draft"
        );
    }

    site.build_with(|a| a.drafts = true).assert_ok();
    check_site(&site.out, "");
    assert_exists(
        &site,
        &["/en/spas/secret/", "/en/news/upcoming/", "/en/spas/open/"],
    );
    assert_lists(&site.page("/en/spas/"), "/en/spas/", "/en/spas/secret/");
    assert_lists(&site.page("/en/news/"), "/en/news/", "/en/news/upcoming/");
    assert_lists(
        &site.page("/en/clusters/c/"),
        "/en/clusters/c/",
        "/en/spas/secret/",
    );
    assert!(site.text("/en/atom.xml").contains("/en/news/upcoming/"));
    assert!(site.text("/sitemap.xml").contains("/en/spas/secret/"));
}

// ---------------------------------------------------------------------------
// inheritance

#[test]
fn translations_inherit_facts_from_the_default_language() {
    let site = SiteTest::fixture("inheritance");
    site.build().assert_ok();
    check_site(&site.out, "");
    let page = "/nb/spas/klinikk/";
    let doc = site.page(page);
    assert_lists(&doc, page, "/nb/locations/bergen/");
    assert_lists(&doc, page, "/nb/clusters/nordic/");
    assert_lists(&doc, page, "https://klinikk.example.com/");
    let clinic = ld_of_type(&doc, "MedicalClinic").expect("kind = rehabilitation inherited");
    assert_eq!(clinic["address"]["addressLocality"], "Bergen", "{clinic}");
    // No coordinates of its own: no point, not Bergen's centre.
    assert!(clinic.get("geo").is_none(), "{clinic}");
    assert_eq!(clinic["address"]["addressCountry"], "NO", "{clinic}");
    // The kind is shown with the nb theme's word for it.
    let strings: toml::Table = toml::from_str(
        &fs::read_to_string(manifest_dir().join("themes/default/i18n/nb.toml")).unwrap(),
    )
    .unwrap();
    let label = strings["kind_rehabilitation"].as_str().unwrap();
    let main = text_of(doc.select(&sel("main")).next().unwrap());
    assert!(
        main.contains(label),
        "{page} does not show the kind `{label}`"
    );
    // The inherited facts place it in the nb lists.
    assert_lists(
        &site.page("/nb/locations/bergen/"),
        "/nb/locations/bergen/",
        page,
    );
    assert_not_lists(
        &site.page("/nb/locations/oslo/"),
        "/nb/locations/oslo/",
        page,
    );
    assert_lists(
        &site.page("/nb/clusters/nordic/"),
        "/nb/clusters/nordic/",
        page,
    );
    // The cluster's country and locations too.
    let cluster = site.page("/nb/clusters/nordic/");
    assert_lists(&cluster, "/nb/clusters/nordic/", "/nb/locations/oslo/");
    assert!(ld_of_type(&cluster, "Organization").is_some());
}

#[test]
fn conflicting_facts_across_translations_fail_naming_both_files() {
    let site = SiteTest::fixture("inheritance");
    let nb = "content/spas/klinikk.nb.md";
    site.replace(nb, "+++\n\n", "location = \"oslo\"\n+++\n\n");
    assert!(site.read(nb).contains("location = \"oslo\"\n+++"));
    let built = site.build();
    built.assert_err();
    let all = built.rendered();
    let both = built.errors().find(|d| {
        let line = format!("{} {}", d.headline(), d.hint.clone().unwrap_or_default());
        line.contains("content/spas/klinikk.en.md") && line.contains("content/spas/klinikk.nb.md")
    });
    let d = both.unwrap_or_else(|| panic!("no error naming both translations:\n{all}"));
    assert!(d.message.contains("location"), "{}", d.headline());
    assert!(d.location.is_some(), "{}", d.headline());
    assert!(!site.out.exists());

    // The same value in both is no conflict.
    site.replace(nb, "location = \"oslo\"", "location = \"bergen\"");
    site.build().assert_ok();
}

// ---------------------------------------------------------------------------
// Determinism and failure safety.

#[test]
fn builds_are_byte_identical_across_runs_and_thread_counts() {
    let site = SiteTest::sample();
    let out1 = site.tmp().join("out1/public");
    let out2 = site.tmp().join("out2/public");
    let out3 = site.tmp().join("out3/public");
    // One build time for all three (calendars carry it), given two ways.
    const NOW: &str = "2026-12-03T12:00:00Z";
    let now = klynge::time::BuildTime::parse(NOW).ok();
    // Two library builds on thread pools of different sizes (more threads
    // than this machine may have cores, so the work really interleaves)...
    for (out, threads) in [(&out1, 8), (&out2, 3)] {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        pool.install(|| {
            site.build_with(|a| {
                a.output = Some(out.clone());
                a.now = now;
            })
            .assert_ok();
        });
    }
    // ...and one through the binary on a single thread.
    let run = Command::new(env!("CARGO_BIN_EXE_klynge"))
        .args(["build", "--root"])
        .arg(&site.root)
        .arg("--output")
        .arg(&out3)
        .env("RAYON_NUM_THREADS", "1")
        .env("SOURCE_DATE_EPOCH", "1796299200")
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert_same_tree(&out1, &out2, "library builds on 8 and 3 threads");
    assert_same_tree(&out1, &out3, "library build vs one-thread binary build");
}

#[test]
fn failed_build_keeps_the_previous_output() {
    let site = SiteTest::fixture("basic");
    site.build().assert_ok();
    let before = site.tree();
    assert!(before.contains_key("en/spas/kurbad/index.html"));
    let file = "content/spas/kurbad.en.md";
    site.replace(
        file,
        "kind = \"rehabilitation\"",
        "kind = \"rehabilitation\"\ntypo = 1",
    );
    let built = site.build();
    built.assert_err();
    assert!(built.headlines().contains(file), "{}", built.rendered());
    assert!(
        before == site.tree(),
        "the failed build changed the previous output"
    );
    let beside: Vec<String> = fs::read_dir(site.out.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        beside,
        ["public"],
        "temporary folders left beside the output"
    );

    // A render-time failure (a broken internal link) keeps it too.
    site.replace(file, "typo = 1", "").replace(
        file,
        "Kurbadet offers",
        "[Gone](@/spas/nowhere.md) offers",
    );
    let built = site.build();
    built.assert_err();
    assert!(built.headlines().contains(file), "{}", built.rendered());
    assert!(
        before == site.tree(),
        "the failed build changed the previous output"
    );
    assert_eq!(fs::read_dir(site.out.parent().unwrap()).unwrap().count(), 1);
}

// ---------------------------------------------------------------------------
// The repository's sample site.

#[test]
fn sample_site_passes_the_site_check_and_everything_is_reachable() {
    let site = SiteTest::sample();
    site.build().assert_ok();
    let report = check_site(&site.out, "");
    assert!(report.html_pages > 100, "{report:?}");

    let config: toml::Table = toml::from_str(&site.read("site.toml")).unwrap();
    let langs: Vec<String> = config["languages"]
        .as_table()
        .unwrap()
        .keys()
        .cloned()
        .collect();
    // Items and the languages each is written in, from content/.
    let mut items: std::collections::BTreeMap<(String, String), BTreeSet<String>> =
        Default::default();
    for kind in ["clusters", "spas", "news"] {
        for entry in fs::read_dir(site.root.join("content").join(kind)).unwrap() {
            let name = entry.unwrap().file_name().to_string_lossy().into_owned();
            let stem = name
                .strip_suffix(".md")
                .or(name.strip_suffix(".toml"))
                .unwrap();
            let (slug, lang) = stem.rsplit_once('.').unwrap();
            items
                .entry((kind.to_string(), slug.to_string()))
                .or_default()
                .insert(lang.to_string());
        }
    }
    assert!(items.len() > 20);
    let locations: toml::Table = toml::from_str(&site.read("content/locations.toml")).unwrap();
    let location_slugs: Vec<String> = locations["location"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["slug"].as_str().unwrap().to_string())
        .collect();

    for lang in &langs {
        let prefix = format!("/{lang}/");
        let seen = reachable(&site.out, "", &prefix, |url| url.starts_with(&prefix));
        let mut missing = Vec::new();
        for ((kind, slug), written) in &items {
            let ok = if written.contains(lang) {
                seen.contains(&format!("{lang}/{kind}/{slug}/index.html"))
            } else {
                written
                    .iter()
                    .any(|l| seen.contains(&format!("{l}/{kind}/{slug}/index.html")))
            };
            if !ok {
                missing.push(format!("{kind}/{slug}"));
            }
        }
        for slug in &location_slugs {
            if !seen.contains(&format!("{lang}/locations/{slug}/index.html")) {
                missing.push(format!("locations/{slug}"));
            }
        }
        assert!(
            missing.is_empty(),
            "not reachable from /{lang}/: {missing:?}"
        );
    }
}

#[test]
fn translation_key_joins_files_with_different_stems() {
    let site = SiteTest::fixture("inheritance");
    // `klinikken.nb.md` joins `klinikk` (en) through translation_key and
    // inherits its facts; it is one item, so the pages switch between them.
    site.rename("content/spas/klinikk.nb.md", "content/spas/klinikken.nb.md")
        .replace(
            "content/spas/klinikken.nb.md",
            "+++\n",
            "+++\ntranslation_key = \"klinikk\"\n",
        );
    site.build().assert_ok();
    check_site(&site.out, "");
    let nb = "/nb/spas/klinikken/";
    let doc = site.page(nb);
    assert_lists(&doc, nb, "/nb/locations/bergen/");
    let alternates: Vec<String> = doc
        .select(&sel("link[rel=alternate][hreflang=en]"))
        .filter_map(|e| e.value().attr("href").map(str::to_string))
        .collect();
    assert_eq!(alternates, ["https://example.org/en/spas/klinikk/"], "{nb}");
}

/// A right-to-left language gets `dir="rtl"` on every page, from its code
/// or from `dir` in site.toml; other languages' names and texts inside it
/// are isolated with `dir="auto"`; a wrong `dir` is an error at its line.
#[test]
fn right_to_left_languages_are_marked_on_every_page() {
    let site = SiteTest::sample();
    // The sample site has ar (without `dir`); yi is added, overriding its default.
    let toml = site.read("site.toml");
    assert!(toml.contains("[languages.ar]\n"), "the sample site has ar");
    site.write(
        "site.toml",
        format!("{toml}\n[languages.yi]\nname = \"ייִדיש\"\ndir = \"ltr\"\n"),
    );
    site.build().assert_ok();
    for (url, dir) in [
        ("/ar/", "rtl"),
        ("/ar/spas/", "rtl"),
        ("/yi/", "ltr"),
        ("/en/", "ltr"),
    ] {
        let doc = site.page(url);
        let html = doc.select(&sel("html")).next().unwrap();
        assert_eq!(html.value().attr("dir"), Some(dir), "{url}");
    }
    let doc = site.page("/en/");
    let arabic = doc
        .select(&sel("[lang=ar]"))
        .next()
        .expect("the switcher names Arabic");
    assert_eq!(arabic.value().attr("dir"), Some("auto"));

    site.write(
        "site.toml",
        toml.replacen("[languages.ar]\n", "[languages.ar]\ndir = \"right\"\n", 1),
    );
    let built = site.build();
    built.assert_err();
    assert!(
        built
            .rendered()
            .contains("unknown variant `right`, expected `ltr` or `rtl`"),
        "{}",
        built.rendered()
    );
}

#[test]
fn robots_txt_names_the_sitemap_unless_the_site_keeps_its_own() {
    let site = SiteTest::fixture("basic");
    site.build().assert_ok();
    let robots = site.text("/robots.txt");
    let sitemap_line = robots
        .lines()
        .find_map(|l| l.strip_prefix("Sitemap: "))
        .expect("a Sitemap line");
    assert!(sitemap_line.starts_with("https://"), "{robots}");
    assert!(sitemap_line.ends_with("/sitemap.xml"), "{robots}");
    assert!(robots.contains("User-agent: *"), "{robots}");

    // A site's own static/robots.txt is written instead, without a collision.
    site.write("static/robots.txt", "User-agent: *\nDisallow: /drafts/\n");
    site.build().assert_ok();
    assert_eq!(
        site.text("/robots.txt"),
        "User-agent: *\nDisallow: /drafts/\n"
    );
}

#[test]
fn the_404_page_speaks_every_language_of_the_site() {
    let site = SiteTest::fixture("basic");
    site.build().assert_ok();
    let doc = site.page("/404.html");
    let entries: Vec<_> = doc.select(&sel(".not-found li")).collect();
    let langs: Vec<_> = entries.iter().filter_map(|e| e.attr("lang")).collect();
    assert_eq!(langs, ["en", "nb"], "one line per site language, in order");
    for e in &entries {
        let lang = e.attr("lang").unwrap();
        let home = e.select(&sel("a")).next().expect("a link home");
        assert_eq!(home.attr("href"), Some(format!("/{lang}/").as_str()));
        assert_eq!(home.attr("hreflang"), Some(lang));
    }
    // The Norwegian line is in Norwegian, not the default language.
    assert_ne!(text_of(entries[0]), text_of(entries[1]));
}

#[test]
fn coordinates_are_written_the_way_the_page_language_writes_them() {
    let site = SiteTest::sample();
    site.build().assert_ok();
    let meta = |url: &str| {
        let doc = site.page(url);
        let p = doc
            .select(&sel("main .item-meta"))
            .next()
            .expect("a meta line");
        text_of(p)
    };
    let cases = [
        ("/en/locations/parnu/", "58.385° N, 24.519° E"),
        ("/et/locations/parnu/", "58,385° N, 24,519° E"),
        ("/ru/locations/parnu/", "58,385° с. ш., 24,519° в. д."),
        ("/tr/locations/parnu/", "58,385° K, 24,519° D"),
        ("/ar/locations/parnu/", "58.385° شمالاً، 24.519° شرقاً"),
    ];
    for (url, coordinates) in cases {
        let line = meta(url);
        assert!(line.contains(coordinates), "{url}: {line}");
    }
}
