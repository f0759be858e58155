//! The template functions and filters klynge adds to Tera's, each on the
//! `basic` fixture through an overridden `page.html`, with their errors
//! (which name the template and line), and `serve` after a data file that
//! a template loaded changes.

use crate::support::*;

/// The `basic` fixture whose plain pages show `snippet` in `<div id=out>`.
fn with_page_template(snippet: &str) -> SiteTest {
    let site = SiteTest::fixture("basic");
    site.write(
        "templates/page.html",
        format!(
            "{{% extends \"base.html\" %}}\n{{% block content %}}\n<div id=\"out\">{snippet}</div>\n{{{{ data.body | safe }}}}\n{{% endblock content %}}\n"
        ),
    );
    site
}

/// What `snippet` gives on the English (or `lang`) about page.
fn out_in(site: &SiteTest, lang: &str) -> String {
    site.build().assert_ok();
    let doc = site.page(&format!("/{lang}/pages/about/"));
    doc.select(&sel("#out")).next().unwrap().inner_html()
}

fn out(snippet: &str) -> String {
    out_in(&with_page_template(snippet), "en")
}

/// The build fails with one error in templates/page.html saying `what`.
fn fails(site: &SiteTest, what: &str) -> String {
    let built = site.build();
    built.assert_err();
    let text = built.rendered();
    assert!(text.contains("templates/page.html:"), "{text}");
    assert!(text.contains(what), "{what} not in:\n{text}");
    text
}

#[test]
fn get_url_links_pages_and_files_with_the_base_path() {
    assert_eq!(
        out("{{ get_url(path=\"/en/spas/kurbad/\") }} {{ get_url(path=\"/style.css\") }}"),
        "/en/spas/kurbad/ /style.css"
    );
    let site = with_page_template("{{ get_url(path=\"/en/spas/\") }}");
    site.replace(
        "site.toml",
        "base_url = \"https://example.org\"",
        "base_url = \"https://example.org/cluster\"",
    );
    assert_eq!(out_in(&site, "en"), "/cluster/en/spas/");
    let text = fails(
        &with_page_template("{{ get_url(path=\"/en/spas/kurbd/\") }}"),
        "the site has no page or file `/en/spas/kurbd/`",
    );
    assert!(text.contains("did you mean `/en/spas/kurbad/`?"), "{text}");
}

#[test]
fn get_item_gives_the_list_view_of_an_item() {
    let site = with_page_template(
        "{% set s = get_item(kind=\"spa\", slug=\"kurbad\") %}{{ s.title }}|{{ s.href }}|{{ s.location }}",
    );
    assert_eq!(
        out_in(&site, "en"),
        "Kurbadet Rehabilitation|/en/spas/kurbad/|Ålesund"
    );
    let nb = with_page_template(
        "{% set c = get_item(kind=\"cluster\", slug=\"fjord\", lang=\"nb\") %}{{ c.href }}",
    );
    assert_eq!(out_in(&nb, "en"), "/nb/clusters/fjord/");
    let text = fails(
        &with_page_template("{{ get_item(kind=\"spa\", slug=\"kurbd\") }}"),
        "there is no spa `kurbd`",
    );
    assert!(text.contains("did you mean `kurbad`?"), "{text}");
    fails(
        &with_page_template("{{ get_item(kind=\"hotel\", slug=\"x\") }}"),
        "`hotel` is not a kind",
    );
}

#[test]
fn t_reads_ui_strings_of_the_page_language() {
    let site = with_page_template(
        "{{ t(key=\"news\") }}|{{ t(key=\"shortcode.note_tip\") }}|{{ t(key=\"news\", lang=\"en\") }}|{{ t(key=\"nothing\", default=\"-\") }}",
    );
    assert_eq!(out_in(&site, "nb"), "Nyheter|Tips|News|-");
    let text = fails(
        &with_page_template("{{ t(key=\"newz\") }}"),
        "the theme has no UI string `newz`",
    );
    assert!(text.contains("did you mean `news`?"), "{text}");
}

#[test]
fn load_data_reads_toml_json_and_csv_inside_the_site() {
    let site = with_page_template(
        "{% set p = load_data(path=\"data/prices.toml\") %}{{ p.sauna.eur }}|{% set j = load_data(path=\"data/hours.json\") %}{{ j.open }}|{% set c = load_data(path=\"data/rooms.csv\") %}{{ c.headers | join(sep=\",\") }}|{% for r in c.records %}{{ r.1 }};{% endfor %}",
    );
    site.write("data/prices.toml", "[sauna]\neur = 25\n");
    site.write("data/hours.json", "{\"open\": \"08:00\"}");
    site.write(
        "data/rooms.csv",
        "room,view\nsingle,\"sea, with balcony\"\ndouble,\"the \"\"old\"\" town\"\n",
    );
    assert_eq!(
        out_in(&site, "en"),
        "25|08:00|room,view|sea, with balcony;the \"old\" town;"
    );
}

#[test]
fn load_data_refuses_files_outside_the_site() {
    for path in ["../secret.toml", "/etc/hostname", "data/../../secret.toml"] {
        let site = with_page_template(&format!("{{{{ load_data(path=\"{path}\") }}}}"));
        fails(&site, "is not a path inside the site");
    }
    let site = with_page_template("{{ load_data(path=\"data/out.toml\") }}");
    std::fs::write(site.tmp().join("secret.toml"), "a = 1\n").unwrap();
    std::fs::create_dir_all(site.path("data")).unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(site.tmp().join("secret.toml"), site.path("data/out.toml")).unwrap();
    #[cfg(unix)]
    fails(&site, "leads out of the site");
    let site = with_page_template("{{ load_data(path=\"data/x.yaml\") }}");
    site.write("data/x.yaml", "a: 1\n");
    fails(&site, "is not a .toml, .json or .csv file");
    let site = with_page_template("{{ load_data(path=\"data/bad.csv\") }}");
    site.write("data/bad.csv", "a,b\n1\n");
    fails(&site, "line 2 has 1 fields, the header 2");
}

#[test]
fn get_env_reads_only_listed_variables_and_get_random_is_refused() {
    let site = with_page_template("{{ get_env(name=\"HOME\") }}");
    fails(&site, "`HOME` is not in `[templates] env` of site.toml");
    let site =
        with_page_template("{{ get_env(name=\"KLYNGE_TEST_UNSET_VARIABLE\", default=\"none\") }}");
    let toml = site.read("site.toml");
    site.write(
        "site.toml",
        format!("{toml}\n[templates]\nenv = [\"KLYNGE_TEST_UNSET_VARIABLE\"]\n"),
    );
    assert_eq!(out_in(&site, "en"), "none");
    fails(
        &with_page_template("{{ get_random() }}"),
        "is not available",
    );
}

#[test]
fn filters_are_deterministic() {
    assert_eq!(
        out(
            "{{ \"Pärnu Spa & Hotel\" | slugify }}|{{ \"a b/c?d\" | urlencode }}|{{ \"a b/c\" | urlencode_strict }}|{{ 999 | filesizeformat }}|{{ 1234567 | filesizeformat }}"
        ),
        "parnu-spa-hotel|a%20b/c%3Fd|a%20b%2Fc|999 B|1.2 MB"
    );
    let site = with_page_template(
        "{{ \"2016-02-23\" | date }}|{{ \"2016-02-03\" | date(format=\"%-d %B %Y, %d.%m.\") }}",
    );
    assert_eq!(
        out_in(&site, "en"),
        "23 February 2016|3 February 2016, 03.02."
    );
    fails(
        &with_page_template("{{ \"2016-02-23\" | date(format=\"%H\") }}"),
        "`%H` is not a format klynge knows",
    );
}

#[test]
fn serve_renders_the_pages_that_loaded_an_edited_data_file() {
    let site =
        with_page_template("{% set p = load_data(path=\"data/prices.toml\") %}{{ p.sauna.eur }}");
    site.write("data/prices.toml", "[sauna]\neur = 25\n");
    let mut serve = site.serve();
    serve.rebuild().assert_ok();
    serve.write("data/prices.toml", "[sauna]\neur = 30\n");
    let served = serve.rebuild();
    served.assert_ok();
    let page = serve.text("/en/pages/about/").unwrap();
    assert!(page.contains("<div id=\"out\">30</div>"), "{page}");
    serve.assert_same_as_fresh();
}

#[test]
fn now_is_the_builds_one_time_on_every_page() {
    let site = with_page_template("{{ now() }}|{{ now(timestamp=true) }}");
    let now = klynge::time::BuildTime::parse("2027-03-14T08:00:00+02:00").unwrap();
    site.build_with(|a| a.now = Some(now)).assert_ok();
    for lang in ["en", "nb"] {
        let doc = site.page(&format!("/{lang}/pages/about/"));
        let got = doc.select(&sel("#out")).next().unwrap().inner_html();
        assert_eq!(got, "2027-03-14T06:00:00Z|1805004000", "{lang}");
    }
}
