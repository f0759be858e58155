//! Exact places in TOML text, from toml's own span-preserving parse rather
//! than a search of the text: the key `slug` of the second `[[location]]`,
//! the `"tallinn"` inside `locations = [...]`. Errors found after parsing
//! use these to point at the right line and column.

use std::ops::Range;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

/// The tables of a TOML text in source order, depth first: the document,
/// then each table and each table of an array of tables below it.
fn tables<'t, 'i>(table: &'t DeTable<'i>, out: &mut Vec<&'t DeTable<'i>>) {
    out.push(table);
    for value in table.values() {
        match value.get_ref() {
            DeValue::Table(t) => tables(t, out),
            DeValue::Array(items) => {
                for item in items.iter() {
                    if let DeValue::Table(t) = item.get_ref() {
                        tables(t, out);
                    }
                }
            }
            _ => {}
        }
    }
}

/// The key and value of the first place `key` is set, anywhere in `text`.
fn entry<'i>(
    doc: &Spanned<DeTable<'i>>,
    key: &str,
) -> Option<(Range<usize>, Spanned<DeValue<'i>>)> {
    let mut all = Vec::new();
    tables(doc.get_ref(), &mut all);
    all.into_iter()
        .find_map(|t| t.get_key_value(key).map(|(k, v)| (k.span(), v.clone())))
}

/// Byte range of the first key `key` in `text` (at any depth).
pub fn key_span(text: &str, key: &str) -> Option<Range<usize>> {
    let (doc, _) = DeTable::parse_recoverable(text);
    entry(&doc, key).map(|(k, _)| k)
}

/// Byte range of the value of the first key `key` in `text`.
pub fn value_span(text: &str, key: &str) -> Option<Range<usize>> {
    let (doc, _) = DeTable::parse_recoverable(text);
    entry(&doc, key).map(|(_, v)| v.span())
}

/// Byte offset of `value` as written for a key `key`: the string itself,
/// or the element of a list of strings equal to it. The first key `key`
/// (at any depth) that holds it: in a file of records (`[[treatment]]`)
/// the same key is set in every record, and the array of tables
/// `[[category]]` is itself a key `category`, so the first key of that name
/// is not always the one meant.
pub fn value_offset(text: &str, key: &str, value: &str) -> Option<usize> {
    let (doc, _) = DeTable::parse_recoverable(text);
    let mut all = Vec::new();
    tables(doc.get_ref(), &mut all);
    all.into_iter()
        .filter_map(|t| t.get(key))
        .find_map(|v| string_in(v, value))
}

/// Where the string `value` is written in `v` (a string or a list), past
/// its opening quote.
pub fn string_in(v: &Spanned<DeValue<'_>>, value: &str) -> Option<usize> {
    match v.get_ref() {
        DeValue::String(s) if s == value => Some(v.span().start + 1),
        DeValue::Array(items) => items.iter().find_map(|item| string_in(item, value)),
        _ => None,
    }
}

/// Key and value spans of `key` in the `index`-th table of the array of
/// tables `array` (`[[location]]`).
pub fn in_array_of_tables(
    text: &str,
    array: &str,
    index: usize,
    key: &str,
) -> Option<(Range<usize>, Range<usize>)> {
    let (doc, _) = DeTable::parse_recoverable(text);
    let DeValue::Array(items) = doc.get_ref().get(array)?.get_ref() else {
        return None;
    };
    let DeValue::Table(t) = items.get(index)?.get_ref() else {
        return None;
    };
    let (k, v) = t.get_key_value(key)?;
    Some((k.span(), v.span()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_keys_and_values_exactly() {
        let text = "# slug = \"no\"\n[[location]]\nslug = \"a\"\nnames = { slug = 1 }\n\n[[location]]\nslug = \"b\"\n";
        assert_eq!(key_span(text, "slug").unwrap().start, 27);
        assert_eq!(value_offset(text, "slug", "a"), Some(35));
        // The second record's value, not the first record's key.
        assert_eq!(&text[value_offset(text, "slug", "b").unwrap()..], "b\"\n");
        let records = "[[category]]\nslug = \"baths\"\n\n[[treatment]]\ncategory = \"bath\"\n";
        assert_eq!(
            &records[value_offset(records, "category", "bath").unwrap()..],
            "bath\"\n"
        );
        let (k, v) = in_array_of_tables(text, "location", 1, "slug").unwrap();
        assert_eq!(&text[v], "\"b\"");
        assert_eq!(&text[k.start..], "slug = \"b\"\n");
        let list = "locations = [\"x\", \"tallinn\"]\n";
        assert_eq!(
            &list[value_offset(list, "locations", "tallinn").unwrap()..],
            "tallinn\"]\n"
        );
    }
}
