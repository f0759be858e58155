//! The addresses of the site: a language's own words for the folders of
//! its paths (`[languages.<lang>.segments]`), followed by every link,
//! list, feed, index and alternate that names a page.

use crate::support::*;

/// The basic site with its Norwegian folders renamed.
fn renamed() -> SiteTest {
    let site = SiteTest::fixture("basic");
    let toml = site.read("site.toml");
    site.write(
        "site.toml",
        format!(
            "{toml}\n[languages.nb.segments]\nclusters = \"klynger\"\nspas = \"kurbad\"\nnews = \"nyheter\"\npages = \"sider\"\nlocations = \"steder\"\ntreatments = \"behandlinger\"\nsearch = \"sok\"\nkind = \"type\"\npage = \"side\"\n"
        ),
    );
    site.write(
        "content/spas/solhotell.nb.md",
        site.read("content/spas/solhotell.nb.md").replacen(
            "+++\n",
            "+++\naliases = [\"/gammel/solhotell/\"]\n",
            1,
        ),
    );
    site
}

#[test]
fn a_language_spells_its_own_folders_and_every_link_follows() {
    let site = renamed();
    site.build().assert_ok();
    // Every link, anchor, alternate and sitemap entry resolves.
    let report = check_site(&site.out, "");
    assert!(report.html_pages >= 25, "{report:?}");
    site.check().assert_ok();

    for url in [
        "/nb/kurbad/",
        "/nb/kurbad/kurbad/",
        "/nb/nyheter/opening/",
        "/nb/klynger/fjord/",
        "/nb/sider/about/",
        "/nb/steder/",
        "/nb/sok/",
        "/en/spas/kurbad/",
        "/en/news/opening/",
    ] {
        assert!(site.exists(url), "{url} is missing");
    }
    assert!(!site.exists("/nb/spas/"), "the old folder is still written");

    // No file of the site names a Norwegian page by its English folder.
    for (rel, bytes) in site.tree() {
        let text = String::from_utf8_lossy(&bytes);
        for old in ["/nb/spas/", "/nb/news/", "/nb/clusters/", "/nb/pages/"] {
            assert!(!text.contains(old), "{rel} still links {old}");
        }
    }

    let sitemap = site.text("/sitemap.xml");
    assert!(sitemap.contains("<loc>https://example.org/nb/kurbad/kurbad/</loc>"));
    assert!(sitemap.contains("<loc>https://example.org/en/spas/kurbad/</loc>"));

    // hreflang and the switcher of the English page lead to the new path.
    let en = site.page("/en/spas/kurbad/");
    let alternate = en
        .select(&sel(r#"link[rel="alternate"][hreflang="nb"]"#))
        .next()
        .and_then(|l| l.attr("href"));
    assert_eq!(alternate, Some("https://example.org/nb/kurbad/kurbad/"));
    assert!(
        en.select(&sel(r#"a[hreflang="nb"]"#))
            .any(|a| a.attr("href") == Some("/nb/kurbad/kurbad/")),
        "the switcher links the Norwegian page"
    );

    // Navigation, breadcrumbs, search index, feed and alias.
    let nb = site.page("/nb/kurbad/kurbad/");
    let nav: Vec<_> = nb
        .select(&sel("nav.main-nav a"))
        .filter_map(|a| a.attr("href"))
        .collect();
    for href in ["/nb/klynger/", "/nb/kurbad/", "/nb/nyheter/", "/nb/sok/"] {
        assert!(nav.contains(&href), "nav {nav:?} lacks {href}");
    }
    assert!(
        nb.select(&sel("nav.breadcrumbs a"))
            .any(|a| a.attr("href") == Some("/nb/kurbad/")),
        "the crumb of the spa list"
    );
    assert!(site.text("/nb/search.json").contains("/nb/kurbad/kurbad/"));
    assert!(
        site.text("/nb/atom.xml")
            .contains("https://example.org/nb/nyheter/opening/")
    );
    assert!(
        site.text("/gammel/solhotell/")
            .contains("/nb/kurbad/solhotell/")
    );
}

#[test]
fn serve_serves_the_renamed_folders() {
    let site = renamed();
    let mut serve = site.serve();
    serve.rebuild().assert_ok();
    assert!(serve.text("/nb/kurbad/kurbad/").is_some());
    assert!(serve.text("/nb/spas/kurbad/").is_none());
    // A new spa appears under the Norwegian word at once.
    serve.write(
        "content/spas/fjellbad.nb.md",
        "+++\ntitle = \"Fjellbad\"\ncluster = \"fjord\"\nlocation = \"alesund\"\n+++\n\nEt bad.\n",
    );
    serve.rebuild().assert_ok();
    assert!(serve.text("/nb/kurbad/fjellbad/").is_some());
}

#[test]
fn renamed_folders_that_clash_with_a_page_are_refused() {
    // An alias may not take a renamed folder's page either.
    let site = renamed();
    site.write(
        "content/pages/about.en.md",
        site.read("content/pages/about.en.md").replacen(
            "+++\n",
            "+++\naliases = [\"/nb/kurbad/\"]\n",
            1,
        ),
    );
    let built = site.build();
    built.assert_err();
    let text = built.rendered();
    assert!(text.contains("alias `/nb/kurbad/`"), "{text}");
}

#[test]
fn menus_put_plain_pages_into_every_language_navigation() {
    let site = SiteTest::fixture("basic");
    let toml = site.read("site.toml");
    site.write(
        "site.toml",
        format!(
            "{toml}\n[[languages.en.menu]]\nname = \"About\"\nurl = \"@/pages/about.md\"\n\n[[languages.en.menu]]\nname = \"The cluster abroad\"\nurl = \"https://example.com/fjord\"\n\n[[languages.nb.menu]]\nname = \"Om oss\"\nurl = \"@/pages/about.md\"\n"
        ),
    );
    // The Norwegian About page is gone: the menu leads to the English one.
    site.remove("content/pages/about.nb.md");
    site.build().assert_ok();
    check_site(&site.out, "");
    site.check().assert_ok();

    let menu = |url: &str| -> Vec<(String, String, Option<String>, bool)> {
        site.page(url)
            .select(&sel("nav.main-nav a"))
            .skip(6)
            .map(|a| {
                (
                    text_of(a),
                    a.attr("href").unwrap().to_string(),
                    a.attr("hreflang").map(str::to_string),
                    a.attr("aria-current") == Some("page"),
                )
            })
            .filter(|(name, ..)| ["About", "The cluster abroad", "Om oss"].contains(&name.as_str()))
            .collect()
    };
    assert_eq!(
        menu("/en/spas/"),
        [
            ("About".into(), "/en/pages/about/".into(), None, false),
            (
                "The cluster abroad".into(),
                "https://example.com/fjord".into(),
                None,
                false
            ),
        ]
    );
    assert!(menu("/en/pages/about/")[0].3, "the About page is current");
    assert_eq!(
        menu("/nb/"),
        [(
            "Om oss".into(),
            "/en/pages/about/".into(),
            Some("en".into()),
            false
        )]
    );
}

#[test]
fn the_sample_site_shows_its_about_page_in_the_navigation() {
    let site = SiteTest::sample();
    site.build().assert_ok();
    for (url, href) in [
        ("/en/", "/en/pages/about/"),
        ("/nb/spas/", "/nb/pages/about/"),
        ("/ar/", "/en/pages/about/"),
    ] {
        let doc = site.page(url);
        assert!(
            doc.select(&sel("nav.main-nav a"))
                .any(|a| a.attr("href") == Some(href)),
            "{url} has no About link to {href}"
        );
    }
}

#[test]
fn serve_follows_the_page_a_menu_leads_to() {
    let site = SiteTest::fixture("basic");
    let toml = site.read("site.toml");
    site.write(
        "site.toml",
        format!("{toml}\n[[languages.nb.menu]]\nname = \"Om oss\"\nurl = \"@/pages/about.md\"\n"),
    );
    let mut serve = site.serve();
    serve.rebuild().assert_ok();
    assert!(
        serve
            .text("/nb/spas/")
            .unwrap()
            .contains("href=\"/nb/pages/about/\"")
    );
    // The page gets a slug of its own: every page's menu follows.
    serve.replace(
        "content/pages/about.nb.md",
        "+++\n",
        "+++\nslug = \"om-oss\"\n",
    );
    serve.rebuild().assert_ok();
    let spas = serve.text("/nb/spas/").unwrap();
    assert!(spas.contains("href=\"/nb/pages/om-oss/\""), "{spas}");
}

#[test]
fn each_language_has_a_404_page_under_its_prefix_in_its_own_words() {
    let site = SiteTest::sample();
    site.build().assert_ok();
    let all = site.page("/404.html");
    let every: Vec<_> = all
        .select(&sel(".not-found li"))
        .filter_map(|e| e.attr("lang"))
        .collect();
    assert_eq!(every, ["en", "nb", "et", "tr", "lv", "ar", "ru"]);
    for (lang, dir) in [("en", "ltr"), ("nb", "ltr"), ("ar", "rtl"), ("ru", "ltr")] {
        let url = format!("/{lang}/404.html");
        let doc = site.page(&url);
        let html = doc.select(&sel("html")).next().unwrap();
        assert_eq!(html.attr("lang"), Some(lang), "{url}");
        assert_eq!(html.attr("dir"), Some(dir), "{url}");
        let entries: Vec<_> = doc.select(&sel(".not-found li")).collect();
        assert_eq!(entries.len(), 1, "{url}: its own language only");
        let home = format!("/{lang}/");
        assert!(
            entries[0]
                .select(&sel("a"))
                .any(|a| a.attr("href") == Some(home.as_str())),
            "{url} links its home"
        );
        assert!(
            doc.select(&sel(r#"meta[name="robots"]"#))
                .any(|m| m.attr("content").is_some_and(|c| c.contains("noindex"))),
            "{url} is not indexed"
        );
    }
    // The English and Norwegian pages say it in their own words.
    let heading = |url: &str| text_of(site.page(url).select(&sel("h1")).next().unwrap());
    assert_ne!(heading("/en/404.html"), heading("/nb/404.html"));
    assert!(!site.text("/sitemap.xml").contains("404.html"));
    // The Netlify rules of docs/deploying.md reach the output from static/.
    site.write("static/_redirects", "/nb/*  /nb/404.html  404\n");
    site.build().assert_ok();
    assert!(site.exists("/_redirects"));

    // `serve` has them too (its HTTP side answers a miss under a prefix
    // with that language's page: serve::http's tests).
    let mut serve = site.serve();
    serve.rebuild().assert_ok();
    let nb = serve
        .text("/nb/404.html")
        .expect("serve writes /nb/404.html");
    assert!(nb.contains("<html lang=\"nb\""), "{nb}");
}

#[test]
fn og_locale_is_language_and_territory_with_the_other_translations_as_alternates() {
    let site = SiteTest::sample();
    site.build().assert_ok();
    let metas = |url: &str, property: &str| -> Vec<String> {
        site.page(url)
            .select(&sel(&format!(r#"meta[property="{property}"]"#)))
            .map(|m| m.attr("content").unwrap().to_string())
            .collect()
    };
    assert_eq!(metas("/nb/pages/about/", "og:locale"), ["nb_NO"]);
    assert_eq!(
        metas("/nb/pages/about/", "og:locale:alternate"),
        ["en_GB", "tr_TR", "lv_LV"]
    );
    assert_eq!(metas("/ar/", "og:locale"), ["ar_AR"]);
    let home_alternates = metas("/ar/", "og:locale:alternate");
    assert_eq!(
        home_alternates,
        ["en_GB", "nb_NO", "et_EE", "tr_TR", "lv_LV", "ru_RU"]
    );

    // site.toml may set a language's locale; a malformed one is an error.
    site.replace(
        "site.toml",
        "name = \"English\"",
        "name = \"English\"\nlocale = \"en_IE\"",
    );
    site.build().assert_ok();
    assert_eq!(metas("/en/", "og:locale"), ["en_IE"]);
    site.replace("site.toml", "locale = \"en_IE\"", "locale = \"en-ie\"");
    let built = site.build();
    built.assert_err();
    assert!(
        built.rendered().contains("like `en_GB`"),
        "{}",
        built.rendered()
    );
}

#[test]
fn the_world_fixture_builds_in_five_languages_and_both_directions() {
    let site = SiteTest::fixture("world");
    site.build().assert_ok();
    let report = check_site(&site.out, "");
    assert!(report.html_pages >= 60, "{report:?}");
    site.check().assert_ok();
    for (url, lang, dir) in [
        ("/en/", "en", "ltr"),
        ("/ar/spas/balcova-thermal/", "ar", "rtl"),
        ("/ru/kurorty/balcova-thermal/", "ru", "ltr"),
        ("/zh/spas/cesme-clinic/", "zh", "ltr"),
        ("/tr/tesisler/cesme-clinic/", "tr", "ltr"),
        ("/tr/haberler/season-2026/", "tr", "ltr"),
        ("/ar/404.html", "ar", "rtl"),
    ] {
        let doc = site.page(url);
        let html = doc.select(&sel("html")).next().unwrap();
        assert_eq!(
            (html.attr("lang"), html.attr("dir")),
            (Some(lang), Some(dir)),
            "{url}"
        );
    }
}
