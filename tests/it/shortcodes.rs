//! Shortcodes end to end: each built-in one on a page of the `basic`
//! fixture, a site's own shortcode beside an overridden template,
//! shortcodes in code left as text, and `serve` after a shortcode's
//! template changes. The broken calls are cases of `errors::`
//! (`tests/fixtures/errors/cases/shortcode_*`).

use crate::photos::jpeg;
use crate::support::*;

/// The `basic` fixture with `body` as the English about page's text.
fn with_about(body: &str) -> SiteTest {
    let site = SiteTest::fixture("basic");
    site.write(
        "content/pages/about.en.md",
        // Other pages link to its `#contact` heading.
        format!("+++\ntitle = \"About this site\"\n+++\n\n{body}\n## Contact\n\nWrite to us.\n"),
    );
    site
}

fn about(site: &SiteTest) -> scraper::Html {
    site.build().assert_ok();
    site.page("/en/pages/about/")
}

#[test]
fn note_is_a_labelled_box_around_its_markdown() {
    let site = with_about(
        "Before.\n\n{% note(kind=\"warning\") %}\nBring **a towel** to [Kurbadet](@/spas/kurbad.md).\n{% end %}\n\nAfter.\n",
    );
    let doc = about(&site);
    let note = doc
        .select(&sel("main .prose div.note.note-warning[role=note]"))
        .next()
        .expect("a note");
    let label = note.select(&sel(".note-label")).next().unwrap();
    assert_eq!(text_of(label), "Warning");
    assert_eq!(
        note.select(&sel("strong")).map(text_of).collect::<Vec<_>>(),
        ["a towel"]
    );
    assert!(main_link(&doc, "/en/spas/kurbad/").is_some());
    // The box is a block of its own, not inside a paragraph.
    assert_eq!(doc.select(&sel("p div.note")).count(), 0);
    // What the note says is found by the search, its markup is not.
    let index = site.text("/en/search.json");
    assert!(index.contains("towel"), "{index}");
    assert!(!index.contains('\u{E000}'), "{index}");
    // In Norwegian the label is Norwegian (the page falls back to English).
    site.write(
        "content/pages/about.nb.md",
        "+++\ntitle = \"Om\"\n+++\n\n{% note(title=\"Husk\") %}Ta med håndkle.{% end %}\n{% note() %}Info.{% end %}\n",
    );
    site.build().assert_ok();
    let nb = site.page("/nb/pages/about/");
    let labels: Vec<String> = nb.select(&sel("main .note-label")).map(text_of).collect();
    assert_eq!(labels, ["Husk", "Merk"]);
}

#[test]
fn map_links_each_place_to_its_page() {
    let doc = about(&with_about(
        "{{ map(locations=[\"alesund\", \"tartu\"], title=\"Our towns\") }}\n",
    ));
    let svg = doc
        .select(&sel("main figure.map-figure svg.map"))
        .next()
        .expect("a map");
    let title = svg.select(&sel("title")).next().unwrap();
    assert_eq!(text_of(title), "Our towns");
    let hrefs: Vec<&str> = svg
        .select(&sel("a"))
        .filter_map(|a| a.attr("href"))
        .collect();
    assert_eq!(hrefs.len(), 2, "{hrefs:?}");
    assert!(hrefs.contains(&"/en/locations/alesund/"), "{hrefs:?}");
    assert!(hrefs.contains(&"/en/locations/tartu/"), "{hrefs:?}");
}

#[test]
fn contact_shows_a_spa_or_a_cluster() {
    let doc = about(&with_about(
        "{{ contact(spa=\"kurbad\") }}\n\n{{ contact(cluster=\"fjord\") }}\n",
    ));
    let cards: Vec<_> = doc.select(&sel("main .contact-card")).collect();
    assert_eq!(cards.len(), 2);
    let spa = text_of(cards[0]);
    assert!(spa.contains("Kurbadet Rehabilitation"), "{spa}");
    assert!(spa.contains("Badeveien 2"), "{spa}");
    let vcard = cards[0]
        .select(&sel("a[download]"))
        .next()
        .and_then(|a| a.attr("href"))
        .unwrap();
    let site_path = vcard.to_string();
    assert!(site_path.ends_with(".vcf"), "{site_path}");
    let name = cards[1].select(&sel(".contact-name a")).next().unwrap();
    assert_eq!(name.attr("href"), Some("/en/clusters/fjord/"));
}

#[test]
fn video_makes_no_third_party_request_before_the_click() {
    let site = with_about(
        "{{ video(youtube=\"dQw4w9WgXcQ\", title=\"A walk through the baths\") }}\n\n{{ video(vimeo=\"76979871\", title=\"The pool\", still=\"pool.jpg\") }}\n",
    );
    site.write("content/pages/about/pool.jpg", jpeg(640, 360));
    let doc = about(&site);
    let html = site.text("/en/pages/about/");
    // Nothing on the page loads from another site: no iframe, and every
    // src (images, scripts) is the site's own.
    assert_eq!(doc.select(&sel("iframe")).count(), 0);
    for e in doc.select(&sel("[src], [srcset]")) {
        for attr in ["src", "srcset"] {
            if let Some(v) = e.value().attr(attr) {
                assert!(v.starts_with('/'), "{attr}={v} in {html}");
            }
        }
    }
    let videos: Vec<_> = doc.select(&sel("main figure.video")).collect();
    assert_eq!(videos.len(), 2);
    assert_eq!(
        videos[0].attr("data-embed"),
        Some("https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1")
    );
    let watch = videos[0].select(&sel("figcaption a")).next().unwrap();
    assert_eq!(
        watch.attr("href"),
        Some("https://www.youtube.com/watch?v=dQw4w9WgXcQ")
    );
    assert!(text_of(videos[0]).contains("YouTube"));
    assert!(videos[1].select(&sel("picture img[width][height]")).count() == 1);
    assert_eq!(
        videos[1].attr("data-embed"),
        Some("https://player.vimeo.com/video/76979871?autoplay=1&dnt=1")
    );
    // The player script is the theme's own file.
    assert!(site.exists("/video.js"));
    assert!(
        site.text("/video.js").contains("youtube") || site.text("/video.js").contains("iframe")
    );
}

#[test]
fn gallery_shows_its_photos_with_captions() {
    let site = with_about(
        "{% gallery() %}\n![The pool](pool.jpg \"Morning swim\")\n![The sauna](sauna.jpg)\n{% end %}\n",
    );
    site.write("content/pages/about/pool.jpg", jpeg(800, 600));
    site.write("content/pages/about/sauna.jpg", jpeg(600, 800));
    let doc = about(&site);
    let items: Vec<_> = doc
        .select(&sel("main .gallery .gallery-list li figure"))
        .collect();
    assert_eq!(items.len(), 2);
    let alts: Vec<&str> = doc
        .select(&sel("main .gallery img"))
        .filter_map(|i| i.attr("alt"))
        .collect();
    assert_eq!(alts, ["The pool", "The sauna"]);
    let caption = items[0].select(&sel("figcaption")).next().unwrap();
    assert_eq!(text_of(caption), "Morning swim");
    assert_eq!(items[1].select(&sel("figcaption")).count(), 0);
}

#[test]
fn shortcodes_in_code_are_text() {
    let doc = about(&with_about(
        "Write `{{ map(locations=[\"tartu\"]) }}` for a map.\n\n```\n{% note() %}\nhello\n{% end %}\n```\n",
    ));
    assert_eq!(doc.select(&sel("main svg.map, main .note")).count(), 0);
    let code: Vec<String> = doc.select(&sel("main code")).map(text_of).collect();
    assert_eq!(code[0], "{{ map(locations=[\"tartu\"]) }}");
    assert!(code[1].contains("{% note() %}"), "{code:?}");
}

/// A site's own shortcode and an overridden page template, together.
fn custom_site() -> SiteTest {
    let site = with_about(
        "Prices:\n\n{% price(amount=95, currency=\"EUR\") %}A *day* in the baths.{% end %}\n\nAnd inline: {{ badge(text=\"new\") }} here.\n",
    );
    site.write(
        "templates/shortcodes/price.html",
        "<div class=\"price\"><strong>{{ amount }} {{ currency }}</strong> {{ body | safe }}</div>\n",
    );
    site.write(
        "templates/shortcodes/badge.html",
        "<span class=\"badge\">{{ text | upper }}</span>",
    );
    site.write(
        "templates/page.html",
        "{% extends \"base.html\" %}\n{% block content %}\n<article class=\"plain-page own\">\n<h1>{{ head.heading }}</h1>\n{{ data.body | safe }}\n</article>\n{% endblock content %}\n",
    );
    site
}

#[test]
fn a_sites_own_shortcode_renders_in_its_overridden_template() {
    let site = custom_site();
    let doc = about(&site);
    let price = doc
        .select(&sel("main article.own .price"))
        .next()
        .expect("the site's price shortcode in its own page template");
    assert_eq!(text_of(price).trim(), "95 EUR A day in the baths.");
    let badge = doc
        .select(&sel("main p .badge"))
        .next()
        .expect("inline badge");
    assert_eq!(text_of(badge), "NEW");
    // The other pages keep the theme's built-in templates.
    let spa = site.page("/en/spas/kurbad/");
    assert_eq!(spa.select(&sel("main .prose")).count(), 1);
}

#[test]
fn serve_renders_again_after_a_shortcode_template_changes() {
    let site = custom_site();
    let mut serve = site.serve();
    serve.rebuild().assert_ok();
    serve.write(
        "templates/shortcodes/badge.html",
        "<em class=\"badge\">{{ text }}!</em>",
    );
    let served = serve.rebuild();
    served.assert_ok();
    let page = serve.text("/en/pages/about/").unwrap();
    assert!(page.contains("<em class=\"badge\">new!</em>"), "{page}");
    // Exactly what a fresh serve of the edited site serves.
    serve.assert_same_as_fresh();
}

#[test]
fn a_theme_folder_without_shortcode_templates_still_has_the_built_in_ones() {
    let site = with_about("{% note(kind=\"tip\") %}Come early.{% end %}\n");
    copy_dir(
        &manifest_dir().join("themes/default"),
        &site.path("themes/default"),
    );
    std::fs::remove_dir_all(site.path("themes/default/templates/shortcodes")).unwrap();
    // A shortcode of the theme folder's own is found beside the built-in ones.
    site.write(
        "themes/default/templates/shortcodes/stars.html",
        "<span class=\"stars\">{{ n }}★</span>",
    );
    let doc = about(&site);
    assert_eq!(doc.select(&sel("main .note.note-tip")).count(), 1);
    site.write(
        "content/pages/about.en.md",
        "+++\ntitle = \"About\"\n+++\n\nRated {{ starz(n=4) }}.\n\n## Contact\n",
    );
    let built = site.build();
    built.assert_err();
    assert!(
        built.rendered().contains("did you mean `stars`?"),
        "{}",
        built.rendered()
    );
}
