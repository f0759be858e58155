//! Lists of spas as a patient scans them: under their country, then their
//! town, both in the page language's order, each card with the facts that
//! decide (kind, town when no heading gives it, treatments, languages).

use crate::support::*;

/// A site in English, Estonian and Turkish with spas in Estonia, Germany
/// and Türkiye; the towns' names sort differently in each language.
fn three_country_site() -> SiteTest {
    let site = SiteTest::empty();
    site.write(
        "site.toml",
        r#"title = "Spa towns"
base_url = "https://example.org"
default_language = "en"
theme = "default"
fallback = ["en"]

[languages.en]
name = "English"

[languages.et]
name = "Eesti"

[languages.tr]
name = "Türkçe"
"#,
    );
    let mut towns = String::new();
    for (slug, country, name) in [
        ("tartu", "EE", "Tartu"),
        ("parnu", "EE", "Pärnu"),
        ("oisu", "EE", "Õisu"),
        ("zookula", "EE", "Zooküla"),
        ("baden", "DE", "Baden-Baden"),
        ("ilgaz", "TR", "Ilgaz"),
        ("icmeler", "TR", "İçmeler"),
    ] {
        towns.push_str(&format!(
            "[[location]]\nslug = \"{slug}\"\ncountry = \"{country}\"\nname = \"{name}\"\n\n"
        ));
    }
    site.write("content/locations.toml", &towns);
    site.write(
        "content/treatments.toml",
        r#"[[treatment]]
slug = "sauna"
name = "Sauna"
names = { et = "Saun", tr = "Sauna" }

[[treatment]]
slug = "mud"
name = "Mud therapy"
names = { et = "Mudaravi", tr = "Çamur terapisi" }

[[treatment]]
slug = "massage"
name = "Massage"
names = { et = "Massaaž", tr = "Masaj" }

[[treatment]]
slug = "hydrotherapy"
name = "Hydrotherapy"
names = { et = "Veeravi", tr = "Hidroterapi" }

[[treatment]]
slug = "physiotherapy"
name = "Physiotherapy"
names = { et = "Füsioteraapia", tr = "Fizyoterapi" }
"#,
    );
    site.write(
        "content/clusters/baltic.en.md",
        "+++\ntitle = \"Spa Cluster\"\ncountry = \"EE\"\n+++\n\nA cluster.\n",
    );
    for (slug, town) in [
        ("tartu-spa", "tartu"),
        ("parnu-spa", "parnu"),
        ("oisu-spa", "oisu"),
        ("zoo-spa", "zookula"),
        ("baden-spa", "baden"),
        ("ilgaz-spa", "ilgaz"),
        ("icmeler-spa", "icmeler"),
    ] {
        site.write(
            &format!("content/spas/{slug}.en.md"),
            format!("+++\ntitle = \"{slug}\"\ncluster = \"baltic\"\nlocation = \"{town}\"\n+++\n\nA spa.\n"),
        );
    }
    site
}

fn texts(doc: &scraper::Html, selector: &str) -> Vec<String> {
    doc.select(&sel(selector)).map(text_of).collect()
}

#[test]
fn spa_lists_group_by_country_then_town_in_the_page_languages_order() {
    let site = three_country_site();
    site.build().assert_ok();
    check_site(&site.out, "");
    let en = site.page("/en/spas/");
    assert_eq!(
        texts(&en, "main section.country > h2"),
        ["Estonia", "Germany", "Türkiye"]
    );
    // English sorts by letters, marks aside: Õ with O, İ with I.
    assert_eq!(
        texts(&en, "section[aria-labelledby=\"country-EE\"] h3"),
        ["Õisu", "Pärnu", "Tartu", "Zooküla"]
    );
    assert_eq!(
        texts(&en, "section[aria-labelledby=\"country-TR\"] h3"),
        ["İçmeler", "Ilgaz"]
    );
    // Estonian: z after s and before t, õ after w; its country names.
    let et = site.page("/et/spas/");
    assert_eq!(
        texts(&et, "main section.country > h2"),
        ["Eesti", "Saksamaa", "Türgi"]
    );
    assert_eq!(
        texts(&et, "section[aria-labelledby=\"country-EE\"] h3"),
        ["Pärnu", "Zooküla", "Tartu", "Õisu"]
    );
    // Turkish: dotless I before dotted İ; Germany is Almanya, first.
    let tr = site.page("/tr/spas/");
    assert_eq!(
        texts(&tr, "main section.country > h2"),
        ["Almanya", "Estonya", "Türkiye"]
    );
    assert_eq!(
        texts(&tr, "section[aria-labelledby=\"country-TR\"] h3"),
        ["Ilgaz", "İçmeler"]
    );
    // Every town heading links its page, and its spa sits under it.
    let ee = sel("section[aria-labelledby=\"country-EE\"] h3 a");
    let first = et.select(&ee).next().expect("a town link");
    assert_eq!(first.attr("href"), Some("/et/locations/parnu/"));
}

#[test]
fn a_card_under_its_towns_heading_leaves_the_town_out() {
    let site = three_country_site();
    site.replace(
        "content/spas/tartu-spa.en.md",
        "location = \"tartu\"",
        "location = \"tartu\"\nkind = \"spa-hotel\"\ntreatments = [\"sauna\"]",
    );
    site.replace(
        "content/spas/parnu-spa.en.md",
        "location = \"parnu\"",
        "location = \"parnu\"\ntreatments = [\"sauna\", \"mud\"]",
    );
    site.build().assert_ok();
    for url in ["/en/spas/", "/en/locations/tartu/", "/en/clusters/baltic/"] {
        let doc = site.page(url);
        assert!(
            doc.select(&sel("main .item .place")).next().is_none(),
            "{url}: a card repeats its town"
        );
    }
    // The kind still shows.
    let doc = site.page("/en/spas/");
    assert!(texts(&doc, "main .item .kind").contains(&"Spa hotel".to_string()));
    // Where no heading names the town, the card does: Pärnu's spa is
    // among those offering the same treatments as Tartu's.
    let tartu = site.page("/en/spas/tartu-spa/");
    let similar = texts(
        &tartu,
        "section[aria-labelledby=\"h-similar\"] .item .place",
    );
    assert_eq!(similar, ["Pärnu"]);
}

#[test]
fn a_cluster_page_names_countries_only_when_its_members_have_several() {
    let site = three_country_site();
    site.build().assert_ok();
    let doc = site.page("/en/clusters/baltic/");
    let members = "section[aria-labelledby=\"h-members\"]";
    assert_eq!(
        texts(&doc, &format!("{members} h3")),
        ["Estonia", "Germany", "Türkiye"]
    );
    assert_eq!(texts(&doc, &format!("{members} h4")).len(), 7);
    // With members in one country, the towns are the headings.
    for slug in ["baden-spa", "ilgaz-spa", "icmeler-spa"] {
        site.remove(&format!("content/spas/{slug}.en.md"));
    }
    site.build().assert_ok();
    let doc = site.page("/en/clusters/baltic/");
    assert_eq!(
        texts(&doc, &format!("{members} h3")),
        ["Õisu", "Pärnu", "Tartu", "Zooküla"]
    );
    assert!(doc.select(&sel(&format!("{members} h4"))).next().is_none());
}

#[test]
fn kind_and_treatment_pages_group_the_same_way() {
    let site = three_country_site();
    for slug in ["tartu-spa", "ilgaz-spa", "baden-spa"] {
        let town = slug.trim_end_matches("-spa");
        site.replace(
            &format!("content/spas/{slug}.en.md"),
            &format!("location = \"{town}\""),
            &format!("location = \"{town}\"\nkind = \"thermal-spring\"\ntreatments = [\"mud\"]"),
        );
    }
    site.build().assert_ok();
    let kind = site.page("/et/spas/kind/thermal-spring/");
    assert_eq!(
        texts(&kind, "main section.country > h2"),
        ["Eesti", "Saksamaa", "Türgi"]
    );
    assert_eq!(
        texts(&kind, "main section.country h3"),
        ["Tartu", "Baden-Baden", "Ilgaz"]
    );
    let treatment = site.page("/tr/treatments/mud/");
    assert_eq!(
        texts(&treatment, "main section.country > h3"),
        ["Almanya", "Estonya", "Türkiye"]
    );
    assert!(treatment.select(&sel("main .item .place")).next().is_none());
}

#[test]
fn cards_show_kind_treatments_and_languages_in_the_readers_language() {
    let site = three_country_site();
    site.replace(
        "content/spas/tartu-spa.en.md",
        "location = \"tartu\"",
        "location = \"tartu\"\nkind = \"spa-hotel\"\ntreatments = [\"mud\", \"sauna\", \"massage\", \"hydrotherapy\", \"physiotherapy\"]\nlanguages = [\"et\", \"en\", \"de\"]",
    );
    site.build().assert_ok();
    let card = |url: &str, href: &str| -> String {
        let doc = site.page(url);
        let a = main_link(&doc, href).unwrap_or_else(|| panic!("{url}: no {href}"));
        let li = a
            .ancestors()
            .filter_map(scraper::ElementRef::wrap)
            .find(|e| e.value().name() == "li")
            .unwrap();
        li.html()
    };
    let et = card("/et/spas/", "/en/spas/tartu-spa/");
    // The first three treatments in the order written, the rest counted.
    assert!(et.contains("Mudaravi, Saun, Massaaž"), "{et}");
    assert!(et.contains("+2 veel"), "{et}");
    assert!(!et.contains("Veeravi"), "{et}");
    assert!(et.contains("eesti, inglise, saksa"), "{et}");
    assert!(
        et.contains("Spaahotell") || et.contains("spaahotell"),
        "{et}"
    );
    // An English entry on the Estonian page: marked, not tagged.
    assert!(et.contains("hreflang=\"en\""), "{et}");
    assert!(et.contains("lang=\"en\">tartu-spa</span>"), "{et}");
    assert!(!et.contains("lang-tag"), "{et}");
    let tr = card("/tr/spas/", "/en/spas/tartu-spa/");
    assert!(tr.contains("Çamur terapisi, Sauna, Masaj"), "{tr}");
    assert!(tr.contains("+2 daha"), "{tr}");
    let en = card("/en/spas/", "/en/spas/tartu-spa/");
    assert!(en.contains("Estonian, English, German"), "{en}");
    assert!(!en.contains("hreflang"), "{en}");
    // A spa without treatments or languages gets no empty lines.
    let bare = card("/en/spas/", "/en/spas/parnu-spa/");
    assert!(!bare.contains("item-facts"), "{bare}");
}
