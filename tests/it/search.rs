//! The search index and `search.js` fold text the same way: a reader's
//! query finds an editor's words only if both sides agree on every
//! letter. This runs search.js's `klyngeWords` in Node.js on the same texts
//! as `klynge::slug::search_words` and compares.

use crate::support::manifest_dir;
use std::io::Write;
use std::process::{Command, Stdio};

/// Every letter of the ranges folded to ASCII (one word each, between two
/// ASCII letters so that a letter folding to nothing still shows), and
/// phrases in the scripts kept as they are.
fn texts() -> Vec<String> {
    let mut texts: Vec<String> = transliterated().map(|c| format!("a{c}b")).collect();
    texts.extend(
        [
            "Bad Füssing, Pärnu, İzmir, Ilıca, Beitostølen, Æra Ås, Straße",
            "Курорт Пярну: грязелечение и ванны",
            "Θεραπευτικά λουτρά της Αιδηψού",
            "المُنْتَجَع الصحّي في إزمير، العلاج بالمياه الحرارية ٢٠٢٤",
            "مدرسة، مستشفى، عيادة أسنان",
            "بیمارستان کودکان در ایران",
            "מרכז שיקום בים המלח",
            "温泉酒店在伊兹密尔 with 日本の温泉 and 한국 온천 호텔",
            "ბორჯომი Ջերմուկ स्वास्थ्य पर्यटन",
            "58.385° N, 24.519° E; +372 444 1234; info@laine.ee",
        ]
        .map(String::from),
    );
    texts
}

fn transliterated() -> impl Iterator<Item = char> {
    klynge::slug::TRANSLITERATED
        .iter()
        .flat_map(|&(a, b)| a..=b)
        .filter_map(char::from_u32)
        .filter(|c| c.is_alphabetic())
}

/// search.js's table of spellings: each ASCII spelling with its letters.
fn spelling_table() -> String {
    let mut by_spelling: std::collections::BTreeMap<&str, String> = Default::default();
    for c in transliterated() {
        by_spelling
            .entry(klynge::slug::ascii_spelling(c))
            .or_default()
            .push(c);
    }
    let entries: Vec<String> = by_spelling
        .iter()
        .map(|(spelling, letters)| {
            format!(
                "{}: {}",
                serde_json::to_string(spelling).unwrap(),
                serde_json::to_string(letters).unwrap()
            )
        })
        .collect();
    format!(
        "  var SPELLING = {{\n    {}\n  }};\n",
        entries.join(",\n    ")
    )
}

/// The table in search.js is the one the index uses (UPDATE_EXPECT=1
/// writes it).
#[test]
fn search_js_spells_letters_as_the_index_does() {
    let path = manifest_dir().join("themes/default/static/search.js");
    let js = std::fs::read_to_string(&path).unwrap();
    let (head, rest) = js.split_once("  // BEGIN generated\n").unwrap();
    let (table, tail) = rest.split_once("  // END generated\n").unwrap();
    let want = spelling_table();
    if table != want {
        if crate::support::expect::updating() {
            let js = format!("{head}  // BEGIN generated\n{want}  // END generated\n{tail}");
            std::fs::write(&path, js).unwrap();
        } else {
            panic!("search.js's letter table is out of date: run with UPDATE_EXPECT=1");
        }
    }
}

#[test]
fn search_js_folds_every_script_as_the_index_does() {
    let script = manifest_dir().join("themes/default/static/search.js");
    let texts = texts();
    let program = format!(
        "eval(require('fs').readFileSync({:?}, 'utf8'));\n\
         const texts = JSON.parse(require('fs').readFileSync(0, 'utf8'));\n\
         process.stdout.write(JSON.stringify(texts.map(t => klyngeWords(t).join(' '))));",
        script.display().to_string()
    );
    let mut node = Command::new("node")
        .args(["-e", &program])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("node (Node.js) runs search.js; scripts/test installs it");
    node.stdin
        .take()
        .unwrap()
        .write_all(serde_json::to_string(&texts).unwrap().as_bytes())
        .unwrap();
    let out = node.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let js: Vec<String> = serde_json::from_slice(&out.stdout).unwrap();
    let differ: Vec<String> = texts
        .iter()
        .zip(&js)
        .filter(|(t, j)| klynge::slug::search_words(t) != **j)
        .map(|(t, j)| {
            format!(
                "{t:?}: index {:?}, search.js {j:?}",
                klynge::slug::search_words(t)
            )
        })
        .collect();
    assert!(
        differ.is_empty(),
        "{} texts fold differently:\n{}",
        differ.len(),
        differ.join("\n")
    );
}
