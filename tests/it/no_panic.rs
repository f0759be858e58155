//! No input makes klynge panic: property tests over the three
//! stages that see raw editor input — front-matter splitting, front-matter
//! parsing for every kind, and Markdown rendering. Inputs are built from
//! fragments of real syntax so the generator reaches deep paths, not just
//! the first syntax error. `PROPTEST_CASES=N` runs N cases per property
//! instead of 2000.

use klynge::content::Kind;
use klynge::content::load::{parse_front, split_front_matter};
use proptest::prelude::*;

fn fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("+++\n".to_string()),
        Just("title = \"Pärnu\"\n".to_string()),
        Just("date = 2016-02-23\n".to_string()),
        Just("date = 2016-02-30\n".to_string()),
        Just("founded = 2011\n".to_string()),
        Just("coordinates = { lat = 58.3, lon = 24.5 }\n".to_string()),
        Just("address = { street = \"Sadama 9\" }\n".to_string()),
        Just("[contact]\nname = \"A\"\n".to_string()),
        Just("kind = \"medical-spa\"\n".to_string()),
        Just("locations = [\"a\", \"b\"]\n".to_string()),
        Just("aliases = [\"/../x\"]\n".to_string()),
        Just("# Heading {#id}\n".to_string()),
        Just("## İzmir\n".to_string()),
        Just("## Ünlü {#İç}\n".to_string()),
        Just("[link](@/spas/laine.md#x)\n".to_string()),
        Just("[link](@/)\n".to_string()),
        Just("```toml\na = 1\n```\n".to_string()),
        Just("```\n".to_string()),
        Just("| a | b |\n|---|---|\n| 1 | 2 |\n".to_string()),
        Just("[^1]: note\n".to_string()),
        Just("- [x] task\n".to_string()),
        Just("~~del~~ *em* **strong**\n".to_string()),
        Just("<div>\n".to_string()),
        Just("\r\n".to_string()),
        Just("\u{feff}".to_string()),
        "\\PC{0,20}",
        any::<String>(),
    ]
}

fn document() -> impl Strategy<Value = String> {
    prop::collection::vec(fragment(), 0..16).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn splitting_and_parsing_never_panic(doc in document()) {
        if let Ok((front, front_offset, body_offset)) = split_front_matter(&doc) {
            prop_assert!(front_offset <= body_offset && body_offset <= doc.len());
            for kind in [Kind::Cluster, Kind::Spa, Kind::News, Kind::Page, Kind::Home] {
                if let Err(e) = parse_front(kind, front) {
                    // Error positions must point inside the text.
                    if let Some(span) = e.span() {
                        prop_assert!(span.start <= front.len());
                        let _ = klynge::diagnostic::locate(&doc, front_offset + span.start);
                    }
                }
            }
        }
    }

    #[test]
    fn markdown_never_panics(doc in document(), raw_html in any::<bool>()) {
        let resolve = |t: &str| if t.len().is_multiple_of(2) { Ok(format!("/en/{t}/")) } else { Err("no".into()) };
        let settings = klynge::markdown::Settings { raw_html };
        let (r, errors) = klynge::markdown::render(&doc, &resolve, settings);
        for e in errors {
            prop_assert!(e.offset <= doc.len());
        }
        for l in r.links {
            prop_assert!(l.offset <= doc.len());
        }
        // Heading ids are unique and ASCII.
        let mut ids = r.anchors.clone();
        ids.sort();
        ids.dedup();
        prop_assert_eq!(ids.len(), r.anchors.len());
        prop_assert!(r.anchors.iter().all(|a| a.is_ascii() && !a.is_empty()));
    }

    #[test]
    fn source_decoding_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..200)) {
        let _ = klynge::fsutil::decode_source(bytes, std::path::Path::new("x.md"), &Default::default());
    }
}
