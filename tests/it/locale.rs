//! Text in the page language's own rules (CLDR, through ICU4X): lists
//! sorted by the language's alphabet, counts in its plural forms, dates
//! and numbers as it writes them, country names in it, heading ids in the
//! heading's own script.

use crate::support::*;

/// A site in English, Estonian, Turkish, Latvian, Russian and Arabic
/// with towns in Estonia, Türkiye and Latvia, each named in its language.
fn baltic_turkish_site() -> SiteTest {
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

[languages.lv]
name = "Latviešu"

[languages.ru]
name = "Русский"

[languages.ar]
name = "العربية"
"#,
    );
    let mut towns = String::new();
    let mut add = |slug: &str, country: &str, name: &str, lang: &str| {
        towns.push_str(&format!(
            "[[location]]\nslug = \"{slug}\"\ncountry = \"{country}\"\nname = \"{name}\"\nnames = {{ {lang} = \"{name}\" }}\n\n"
        ));
    };
    for (slug, name) in [
        ("tu", "Turbaküla"),
        ("so", "Soolaküla"),
        ("sh", "Šokiküla"),
        ("zo", "Zooküla"),
        ("zh", "Žanriküla"),
        ("oo", "Õunaküla"),
    ] {
        add(slug, "EE", name, "et");
    }
    for (slug, name) in [
        ("izmir", "İzmir"),
        ("icmeler", "İçmeler"),
        ("ilgaz", "Ilgaz"),
        ("ihlara", "Ihlara"),
        ("hamamozu", "Hamamözü"),
    ] {
        add(slug, "TR", name, "tr");
    }
    for (slug, name) in [
        ("kemeri", "Ķemeri"),
        ("kuldiga", "Kuldīga"),
        ("ligatne", "Līgatne"),
        ("baldone", "Baldone"),
        ("jurmala", "Jūrmala"),
    ] {
        add(slug, "LV", name, "lv");
    }
    site.write("content/locations.toml", &towns);
    site.write(
        "content/clusters/thermal.tr.md",
        "+++\ntitle = \"Termal Küme\"\ncountry = \"TR\"\n+++\n\nKüme.\n",
    );
    for (slug, title, lang) in [
        ("ilica", "Ilıca Termal", "tr"),
        ("icme", "İçme Kür Merkezi", "tr"),
        ("hamam", "Hamam Evi", "tr"),
    ] {
        site.write(
            &format!("content/spas/{slug}.{lang}.md"),
            format!("+++\ntitle = \"{title}\"\ncluster = \"thermal\"\nlocation = \"ilgaz\"\nkind = \"thermal-spring\"\n+++\n\nSu.\n"),
        );
    }
    site
}

/// The names listed under the country `code` on `url`'s location index.
fn towns(site: &SiteTest, url: &str, code: &str) -> Vec<String> {
    let doc = site.page(url);
    let list = sel(&format!(
        "section[aria-labelledby=\"country-{code}\"] li > a"
    ));
    doc.select(&list).map(text_of).collect()
}

#[test]
fn lists_sort_by_the_page_languages_alphabet() {
    let site = baltic_turkish_site();
    site.build().assert_ok();
    // Estonian: š after s, z and ž after š, before t; õ after w.
    assert_eq!(
        towns(&site, "/et/locations/", "EE"),
        [
            "Soolaküla",
            "Šokiküla",
            "Zooküla",
            "Žanriküla",
            "Turbaküla",
            "Õunaküla"
        ]
    );
    // English sorts the same names by their letters, marks aside.
    assert_eq!(
        towns(&site, "/en/locations/", "EE"),
        [
            "Õunaküla",
            "Šokiküla",
            "Soolaküla",
            "Turbaküla",
            "Žanriküla",
            "Zooküla"
        ]
    );
    // Turkish: dotless ı (I) is a letter before dotted i (İ).
    assert_eq!(
        towns(&site, "/tr/locations/", "TR"),
        ["Hamamözü", "Ihlara", "Ilgaz", "İçmeler", "İzmir"]
    );
    assert_eq!(
        towns(&site, "/en/locations/", "TR"),
        ["Hamamözü", "İçmeler", "Ihlara", "Ilgaz", "İzmir"]
    );
    // Latvian: ķ is a letter after k.
    assert_eq!(
        towns(&site, "/lv/locations/", "LV"),
        ["Baldone", "Jūrmala", "Kuldīga", "Ķemeri", "Līgatne"]
    );
    assert_eq!(
        towns(&site, "/en/locations/", "LV"),
        ["Baldone", "Jūrmala", "Ķemeri", "Kuldīga", "Līgatne"]
    );
    // Items too: "ılıca" before "içme" on the Turkish spa index.
    let doc = site.page("/tr/spas/");
    let titles: Vec<String> = doc.select(&sel(".item-title a")).map(text_of).collect();
    assert_eq!(titles, ["Hamam Evi", "Ilıca Termal", "İçme Kür Merkezi"]);
}

#[test]
fn country_groups_sort_by_their_names_in_the_page_language() {
    let site = baltic_turkish_site();
    site.build().assert_ok();
    let order = |url: &str| -> Vec<String> {
        site.page(url)
            .select(&sel("section.country h2"))
            .map(text_of)
            .collect()
    };
    // Eesti, Läti, Türgi; Estonia, Latvia, Türkiye; Estonija, Latvija, Turcija.
    assert_eq!(order("/et/locations/"), ["Eesti", "Läti", "Türgi"]);
    assert_eq!(order("/en/locations/"), ["Estonia", "Latvia", "Türkiye"]);
    assert_eq!(order("/lv/locations/"), ["Igaunija", "Latvija", "Turcija"]);
}

#[test]
fn counts_take_the_languages_plural_forms() {
    let site = baltic_turkish_site();
    site.build().assert_ok();
    let count = |url: &str| -> String {
        let doc = site.page(url);
        doc.select(&sel("section[aria-labelledby=\"country-TR\"] li"))
            .find(|li| text_of(*li).contains("Ilgaz"))
            .map(text_of)
            .unwrap_or_default()
    };
    assert!(
        count("/en/locations/").contains("(3 places)"),
        "{}",
        count("/en/locations/")
    );
    assert!(
        count("/ru/locations/").contains("(3 места)"),
        "{}",
        count("/ru/locations/")
    );
    assert!(
        count("/ar/locations/").contains("(3 أماكن)"),
        "{}",
        count("/ar/locations/")
    );
    assert!(
        count("/tr/locations/").contains("(3 yer)"),
        "{}",
        count("/tr/locations/")
    );
}

/// Every count string of the default theme is a table with exactly the
/// plural categories CLDR gives its language: no form missing, none extra.
#[test]
fn the_themes_count_strings_have_each_languages_plural_forms() {
    let dir = manifest_dir().join("themes/default/i18n");
    let mut checked = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let lang = path.file_stem().unwrap().to_str().unwrap().to_string();
        let strings: toml::Table =
            toml::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let want = klynge::locale::of(&lang).plural_categories();
        for key in ["spa_count", "search_results_count", "more_count"] {
            let forms = strings[key]
                .as_table()
                .unwrap_or_else(|| panic!("{lang}: {key} is not a table"));
            let got: Vec<&str> = forms.keys().map(String::as_str).collect();
            let mut sorted_want = want.clone();
            sorted_want.sort_unstable();
            let mut sorted_got = got.clone();
            sorted_got.sort_unstable();
            assert_eq!(sorted_got, sorted_want, "{lang}: {key}");
            for (c, v) in forms {
                let v = v.as_str().unwrap();
                // Only a form for a single number ("one result", "two
                // results", "no results") may leave the number out.
                assert!(
                    v.contains("{count}") || ["zero", "one", "two"].contains(&c.as_str()),
                    "{lang}: {key}.{c}"
                );
            }
            checked += 1;
        }
    }
    assert_eq!(checked, 132);
}

/// A Russian site with treatments offered at 1, 2, 5 and 21 places: each
/// count takes its own form, and the old one-string form still works.
#[test]
fn russian_counts_take_one_few_and_many() {
    let site = SiteTest::empty();
    site.write(
        "site.toml",
        "title = \"Курорты\"\nbase_url = \"https://example.org\"\ndefault_language = \"ru\"\ntheme = \"default\"\n\n[languages.ru]\nname = \"Русский\"\n",
    );
    site.write(
        "content/locations.toml",
        "[[location]]\nslug = \"svetlogorsk\"\ncountry = \"RU\"\nname = \"Светлогорск\"\n",
    );
    site.write(
        "content/clusters/baltika.ru.md",
        "+++\ntitle = \"Балтика\"\ncountry = \"RU\"\n+++\n\nКластер.\n",
    );
    let mut treatments = String::new();
    for n in [1, 2, 5, 21] {
        treatments.push_str(&format!(
            "[[treatment]]\nslug = \"t{n}\"\nname = \"Процедура {n}\"\n\n"
        ));
    }
    site.write("content/treatments.toml", &treatments);
    for i in 1..=21 {
        let offered: Vec<String> = [1, 2, 5, 21]
            .iter()
            .filter(|n| i <= **n)
            .map(|n| format!("\"t{n}\""))
            .collect();
        site.write(
            &format!("content/spas/s{i}.ru.md"),
            format!(
                "+++\ntitle = \"Санаторий {i}\"\ncluster = \"baltika\"\nlocation = \"svetlogorsk\"\ntreatments = [{}]\n+++\n\nТекст.\n",
                offered.join(", ")
            ),
        );
    }
    site.build().assert_ok();
    let text = text_of(site.page("/ru/treatments/").root_element());
    for (name, count) in [
        ("Процедура 1", "(1 место)"),
        ("Процедура 2", "(2 места)"),
        ("Процедура 5", "(5 мест)"),
        ("Процедура 21", "(21 место)"),
    ] {
        assert!(text.contains(&format!("{name} {count}")), "{name}: {text}");
    }
    // A site that writes the count as one string gets it for every count.
    site.write("i18n/ru.toml", "spa_count = \"{count} шт.\"\n");
    site.build().assert_ok();
    let text = text_of(site.page("/ru/treatments/").root_element());
    assert!(text.contains("Процедура 5 (5 шт.)"), "{text}");
}

/// Russian and Arabic headings keep their letters in their ids, links to
/// them resolve and pass `check`; an explicit `slug` wins over the file
/// name.
#[test]
fn headings_and_slugs_in_other_scripts() {
    let site = baltic_turkish_site();
    site.write(
        "content/pages/guide.ru.md",
        "+++\ntitle = \"Путеводитель\"\n+++\n\n## Лечение и отдых\n\nТекст.\n\n## Pärnu\n\n[К лечению](@/pages/guide.md#лечение-и-отдых)\n",
    );
    site.write(
        "content/pages/guide.ar.md",
        "+++\ntitle = \"دليل\"\n+++\n\n## العلاج بالمياه\n\nنص.\n",
    );
    site.write(
        "content/pages/kurort.ru.md",
        "+++\ntitle = \"Курорт\"\nslug = \"kurort-svetlogorsk\"\n+++\n\nТекст.\n",
    );
    site.build().assert_ok();
    site.check().assert_ok();
    let html = site.text("/ru/pages/guide/");
    assert!(html.contains("<h2 id=\"лечение-и-отдых\">"), "{html}");
    // Latin headings keep their ASCII ids.
    assert!(html.contains("<h2 id=\"parnu\">"), "{html}");
    // The link is percent-encoded, as browsers look the id up.
    assert!(
        html.contains("href=\"/ru/pages/guide/#%D0%BB%D0%B5%D1%87%D0%B5%D0%BD%D0%B8%D0%B5-%D0%B8-%D0%BE%D1%82%D0%B4%D1%8B%D1%85\""),
        "{html}"
    );
    let html = site.text("/ar/pages/guide/");
    assert!(html.contains("<h2 id=\"العلاج-بالمياه\">"), "{html}");
    assert!(site.exists("/ru/pages/kurort-svetlogorsk/"));
    assert!(!site.exists("/ru/pages/kurort/"));
}
