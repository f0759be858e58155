//! Time in content: news dated to the minute with its UTC offset, and
//! items scheduled (`publish_date`) or expiring (`expires`) against the
//! build's one "now" (`--now`, `SOURCE_DATE_EPOCH`).

use crate::support::html::json_ld;
use crate::support::*;
use klynge::time::BuildTime;

fn now(s: &str) -> Option<BuildTime> {
    Some(BuildTime::parse(s).unwrap())
}

#[test]
fn a_news_time_with_its_offset_is_kept_in_the_feed_the_json_ld_and_the_page() {
    let site = SiteTest::fixture("basic");
    site.replace(
        "content/news/opening.en.md",
        "date = 2024-05-02",
        "date = 2024-05-02T23:30:00-04:00",
    );
    site.build().assert_ok();
    let feed = site.text("/en/atom.xml");
    assert!(
        feed.contains("<published>2024-05-02T23:30:00-04:00</published>"),
        "{feed}"
    );
    let doc = site.page("/en/news/opening/");
    let article = json_ld(&doc)
        .into_iter()
        .find(|n| n["@type"] == "NewsArticle")
        .expect("a NewsArticle");
    assert_eq!(article["datePublished"], "2024-05-02T23:30:00-04:00");
    let time = doc
        .select(&sel("main time[datetime='2024-05-02T23:30:00-04:00']"))
        .next()
        .expect("the time element carries the instant");
    let shown = text_of(time);
    // The day as written, not the next day in UTC; the time at its offset.
    assert!(
        shown.contains("2 May 2024") && shown.contains("23:30"),
        "{shown}"
    );
    assert!(shown.contains("UTC-04:00"), "{shown}");
    // The translation without a date of its own shows the same instant.
    let nb = site.page("/nb/news/opening/");
    assert!(
        nb.select(&sel("time[datetime='2024-05-02T23:30:00-04:00']"))
            .next()
            .is_some()
    );
}

#[test]
fn scheduled_items_wait_for_their_day_unless_future_is_asked_for() {
    let site = SiteTest::fixture("basic");
    site.write(
        "content/pages/later.en.md",
        "+++\ntitle = \"Christmas opening hours\"\npublish_date = 2026-12-24\n+++\n\nOpen every day.\n",
    );
    site.write(
        "content/pages/later.nb.md",
        "+++\ntitle = \"Åpningstider i julen\"\n+++\n\nÅpent hver dag.\n",
    );
    let at = |t: &str| {
        let built = site.build_with(|a| a.now = now(t));
        let summary = built.assert_ok();
        (summary.held_back, summary.line())
    };
    let (held, line) = at("2026-12-23T23:59:59Z");
    assert_eq!(held.scheduled, 1);
    assert!(
        line.contains("held back: 1 scheduled item (--future builds it)"),
        "{line}"
    );
    assert!(!site.exists("/en/pages/later/"));
    // The translation without the date of its own is held back with it.
    assert!(!site.exists("/nb/pages/later/"));
    let (held, line) = at("2026-12-24T00:00:00Z");
    assert_eq!(held.scheduled, 0);
    assert!(!line.contains("held back"), "{line}");
    assert!(site.exists("/en/pages/later/") && site.exists("/nb/pages/later/"));
    let built = site.build_with(|a| {
        a.now = now("2020-01-01T00:00:00Z");
        a.future = true;
    });
    assert_eq!(built.assert_ok().held_back.scheduled, 0);
    assert!(site.exists("/en/pages/later/"));
}

#[test]
fn expired_items_leave_the_site_at_their_time() {
    let site = SiteTest::fixture("basic");
    site.write(
        "content/news/sale.en.md",
        "+++\ntitle = \"Winter offer at Kurbadet\"\ndate = 2024-11-01\n+++\n\nTen per cent off.\n",
    );
    site.write(
        "content/news/sale.nb.md",
        "+++\ntitle = \"Vintertilbud på Kurbadet\"\nexpires = 2025-01-01T12:00:00+01:00\n+++\n\nTi prosent rabatt.\n",
    );
    let before = site.build_with(|a| a.now = now("2025-01-01T10:59:59Z"));
    assert_eq!(before.assert_ok().held_back.expired, 0);
    assert!(site.exists("/en/news/sale/"));
    let after = site.build_with(|a| a.now = now("2025-01-01T11:00:00Z"));
    let summary = after.assert_ok();
    assert_eq!(summary.held_back.expired, 1);
    assert!(
        summary.line().contains("1 expired item"),
        "{}",
        summary.line()
    );
    assert!(!site.exists("/en/news/sale/") && !site.exists("/nb/news/sale/"));
    assert!(!site.text("/en/atom.xml").contains("Winter offer"));
}

#[test]
fn the_build_time_comes_from_the_command_line_or_source_date_epoch() {
    let site = SiteTest::fixture("basic");
    site.write(
        "content/pages/later.en.md",
        "+++\ntitle = \"Christmas opening hours\"\npublish_date = 2026-12-24\n+++\n\nOpen every day.\n",
    );
    let run = site.klynge(&["build", "--now", "2026-12-23T12:00:00Z"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(
        run.stdout.contains("held back: 1 scheduled item"),
        "{}",
        run.stdout
    );
    let run = site.klynge(&["build", "--now", "Christmas"]);
    assert_eq!(run.code, Some(2), "a wrong --now is a usage error");
    assert!(run.stderr.contains("RFC 3339"), "{}", run.stderr);
    // SOURCE_DATE_EPOCH, when --now is not given: 2026-12-24T00:00:00Z.
    let epoch = |value: &str| {
        std::process::Command::new(env!("CARGO_BIN_EXE_klynge"))
            .args(["build", "--root", site.root.to_str().unwrap()])
            .env("NO_COLOR", "1")
            .env("SOURCE_DATE_EPOCH", value)
            .output()
            .unwrap()
    };
    let out = epoch("1798070400");
    assert!(out.status.success());
    assert!(!String::from_utf8_lossy(&out.stdout).contains("held back"));
    let out = epoch("1798070399");
    assert!(String::from_utf8_lossy(&out.stdout).contains("held back: 1 scheduled"));
    let out = epoch("tomorrow");
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("SOURCE_DATE_EPOCH"));
}

#[test]
fn a_news_month_without_a_day_is_shown_fed_and_sorted_as_a_month() {
    let site = SiteTest::fixture("basic");
    site.replace(
        "content/news/opening.en.md",
        "date = 2024-05-02",
        "date = \"2011-01\"",
    );
    // Written as the same month in the translation, as shared facts are.
    site.replace(
        "content/news/opening.nb.md",
        "+++\n\n",
        "date = \"2011-01\"\n+++\n\n",
    );
    // A later item on the first of the same month lists above it.
    site.write(
        "content/news/later.en.md",
        "+++\ntitle = \"On the first\"\ndate = 2011-01-01\n+++\n\nThe first.\n",
    );
    site.build().assert_ok();
    check_site(&site.out, "");
    let time = |url: &str| -> (String, String) {
        let doc = site.page(url);
        let t = doc
            .select(&sel("main .item-meta time"))
            .next()
            .unwrap_or_else(|| panic!("{url}: no time"));
        (t.attr("datetime").unwrap().to_string(), text_of(t))
    };
    assert_eq!(
        time("/en/news/opening/"),
        ("2011-01".into(), "January 2011".into())
    );
    assert_eq!(
        time("/nb/news/opening/"),
        ("2011-01".into(), "januar 2011".into())
    );
    let doc = site.page("/en/news/opening/");
    let article = json_ld(&doc)
        .into_iter()
        .find(|n| n["@type"] == "NewsArticle")
        .expect("a NewsArticle");
    assert_eq!(article["datePublished"], "2011-01");
    // Atom needs a full date-time: the first of the month.
    let feed = site.text("/en/atom.xml");
    assert!(
        feed.contains("<published>2011-01-01T00:00:00Z</published>"),
        "{feed}"
    );
    parse_xml(&feed).unwrap();
    let list = site.page("/en/news/");
    let titles: Vec<String> = list.select(&sel(".item-title a")).map(text_of).collect();
    let (first, month) = (
        titles.iter().position(|t| t == "On the first").unwrap(),
        titles
            .iter()
            .position(|t| t == "Kurbadet opens a new pool")
            .unwrap(),
    );
    assert!(first < month, "{titles:?}");
}

#[test]
fn a_month_with_one_digit_or_past_twelve_is_an_error_with_the_fix() {
    let site = SiteTest::fixture("basic");
    for (written, says, hint) in [
        ("\"2011-13\"", "no month 13", "\"2011-01\""),
        ("\"2011-1\"", "two-digit month", "`date = \"2011-01\"`"),
        ("\"Jan 2011\"", "is not a date", "\"2011-01\""),
    ] {
        site.write(
            "content/news/opening.en.md",
            format!("+++\ntitle = \"Pool\"\ndate = {written}\n+++\n\nText.\n"),
        );
        let built = site.build();
        built.assert_err();
        let all = built.rendered();
        assert!(
            all.contains("content/news/opening.en.md:3:8: error:") && all.contains(says),
            "{written}: {all}"
        );
        assert!(all.contains(hint), "{written}: {all}");
    }
}
