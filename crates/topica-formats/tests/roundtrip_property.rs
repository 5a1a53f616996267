//! Property tests (#21): any text in any field — LaTeX specials, unbalanced braces, `%`, `@`, `#`,
//! backslashes, quotes, control characters, accents, CJK, emoji, very long words — exported as
//! BibTeX, BibLaTeX, RIS or CSL-JSON reads back through our importer as the same fields.
//!
//! "The same" is exact but for what a format cannot carry, said once here: runs of white space
//! (a line break in a title) come back as one space, text comes back in Unicode's composed form,
//! and control characters other than white
//! space are dropped (no format has a way to write a BEL). In names, a `~` is BibTeX's tie (a
//! space), and RIS has no way to write a comma inside a name part ("Family, Given"): names are
//! drawn without them there.

use proptest::prelude::*;
use topica_formats::export::{bibtex, csl_json, ris};
use topica_formats::import::{read_str, Format};
use topica_model::{Author, Paper};

/// The characters hostile text is drawn from, weighted towards what breaks writers.
fn hostile_char() -> impl Strategy<Value = char> {
    prop_oneof![
        4 => prop::char::range('a', 'z'),
        2 => Just(' '),
        3 => prop::sample::select(vec![
            '{', '}', '\\', '%', '$', '&', '#', '_', '^', '~', '@', ',', '=', '"', '\'', '`', '(', ')', '[', ']', '<', '>', '|', '-', '.', ':', ';', '/', '*', '?', '!',
        ]),
        2 => prop::sample::select(vec!['é', 'ü', 'ß', 'ø', 'Å', 'ñ', 'ç', 'ł', 'ő', 'œ', 'æ', 'ı', 'ğ', 'Ω', 'π', '∑', '≤', '→', '中', '文', 'ア', '한', '😀', '\u{301}', '\u{a0}', '–', '—', '“', '”', '«', '»']),
        1 => prop::sample::select(vec!['\n', '\t', '\r', '\u{7}', '\u{1b}', '\u{0}']),
        1 => prop::char::range('A', 'Z'),
    ]
}

fn hostile_text(max: usize) -> impl Strategy<Value = String> {
    prop_oneof![
        6 => prop::collection::vec(hostile_char(), 1..max).prop_map(|v| v.into_iter().collect()),
        // A very long word.
        1 => (prop::char::range('a', 'z'), 200usize..2000).prop_map(|(c, n)| c.to_string().repeat(n)),
    ]
}

/// What a format can carry of `s`: white space runs as one space, no other control characters,
/// compared in Unicode's composed form (an `a` and a combining accent read back as `á`).
fn carried(s: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    let kept: String = s
        .chars()
        .filter(|c| !c.is_control() || c.is_whitespace())
        .nfc()
        .collect();
    kept.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A text field's expected value after a round trip (`None` when nothing is left to carry).
fn carried_opt(s: &str) -> Option<String> {
    Some(carried(s)).filter(|c| !c.is_empty())
}

/// A person's name part: no white space or control characters inside (a name's parts are
/// words), none of `unwritable`, anything else goes.
fn name_part(unwritable: &'static [char]) -> impl Strategy<Value = String> {
    prop::collection::vec(hostile_char(), 1..12).prop_map(move |v| {
        v.into_iter()
            .filter(|c| !c.is_whitespace() && !c.is_control() && !unwritable.contains(c))
            .collect::<String>()
    })
}

/// What a name part cannot hold in every format (a tie), and in RIS (its separator).
const NOT_IN_NAMES: &[char] = &['~'];
const NOT_IN_RIS_NAMES: &[char] = &['~', ','];

prop_compose! {
    fn hostile_paper_with(unwritable: &'static [char])(
        title in hostile_text(80),
        abstract_text in hostile_text(300),
        container in hostile_text(40),
        publisher in hostile_text(30),
        volume in "[0-9]{1,4}",
        authors in prop::collection::vec((name_part(unwritable), name_part(unwritable)), 1..4),
        year in 1450i32..2100,
    ) -> Paper {
        Paper {
            id: 1,
            title: Some(title),
            abstract_text: Some(abstract_text),
            container: Some(container),
            publisher: Some(publisher),
            volume: Some(volume),
            kind: Some("article".into()),
            authors: authors
                .into_iter()
                .filter(|(f, _)| !f.is_empty())
                .map(|(f, g)| Author::new(f, g))
                .collect(),
            year: Some(year),
            citation_key: Some("key1".into()),
            ..Paper::default()
        }
    }
}

fn hostile_paper() -> impl Strategy<Value = Paper> {
    hostile_paper_with(NOT_IN_NAMES)
}

fn read_one(text: &str, format: Format) -> Result<Paper, String> {
    let mut records = read_str("roundtrip", text, format);
    let first = records
        .next()
        .ok_or_else(|| format!("no record read back from:\n{text}"))?
        .map_err(|e| format!("{e}\nin:\n{text}"))?;
    if let Some(extra) = records.next() {
        return Err(format!("a second record {extra:?} in:\n{text}"));
    }
    Ok(first.paper)
}

fn assert_carried(
    format: &str,
    sent: &Paper,
    got: &Paper,
    text: &str,
) -> Result<(), TestCaseError> {
    let ctx = |field: &str| format!("{format} {field} in:\n{text}");
    for (field, a, b) in [
        ("title", &sent.title, &got.title),
        ("abstract", &sent.abstract_text, &got.abstract_text),
        ("container", &sent.container, &got.container),
        ("publisher", &sent.publisher, &got.publisher),
        ("volume", &sent.volume, &got.volume),
    ] {
        let want = a.as_deref().and_then(carried_opt);
        let have = b.as_deref().and_then(carried_opt);
        prop_assert_eq!(want, have, "{}", ctx(field));
    }
    prop_assert_eq!(sent.year, got.year, "{}", ctx("year"));
    let names = |v: &[Author]| -> Vec<(String, String)> {
        v.iter()
            .map(|a| (carried(&a.family), carried(&a.given)))
            .collect()
    };
    prop_assert_eq!(
        names(&sent.authors),
        names(&got.authors),
        "{}",
        ctx("authors")
    );
    Ok(())
}

/// Cases per property in the suite (a few seconds in all); `TOPICA_PROPTEST_CASES` for a longer run.
fn cases() -> u32 {
    std::env::var("TOPICA_PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(192)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn bibtex_reads_back_what_it_wrote(p in hostile_paper()) {
        let mut out = String::new();
        bibtex::write_entry(&mut out, &p, "key1", bibtex::Dialect::Bibtex);
        let got = read_one(&out, Format::Bibtex).map_err(TestCaseError::fail)?;
        assert_carried("BibTeX", &p, &got, &out)?;
    }

    #[test]
    fn biblatex_reads_back_what_it_wrote(p in hostile_paper()) {
        let mut out = String::new();
        bibtex::write_entry(&mut out, &p, "key1", bibtex::Dialect::Biblatex);
        let got = read_one(&out, Format::Bibtex).map_err(TestCaseError::fail)?;
        // BibLaTeX's data model has no publisher for an article: it is not written.
        let sent = Paper { publisher: None, ..p };
        assert_carried("BibLaTeX", &sent, &got, &out)?;
    }

    #[test]
    fn ris_reads_back_what_it_wrote(p in hostile_paper_with(NOT_IN_RIS_NAMES)) {
        let mut out = String::new();
        ris::write_record(&mut out, &p, "key1");
        let got = read_one(&out, Format::Ris).map_err(TestCaseError::fail)?;
        assert_carried("RIS", &p, &got, &out)?;
    }

    #[test]
    fn csl_json_reads_back_what_it_wrote(p in hostile_paper()) {
        let out = serde_json::to_string(&vec![csl_json::item(&p, "key1")]).unwrap();
        let got = read_one(&out, Format::CslJson).map_err(TestCaseError::fail)?;
        assert_carried("CSL-JSON", &p, &got, &out)?;
    }

    /// Arbitrary bytes never panic an importer: each gives records or errors, and stops.
    #[test]
    fn no_importer_panics_on_arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..2000)) {
        let (text, _) = topica_formats::import::decode(&bytes);
        for format in [Format::Bibtex, Format::Ris, Format::CslJson, Format::ArxivAtom, Format::ArxivJsonl, Format::Seed, Format::IdList] {
            let n = read_str("fuzz", &text, format).take(10_000).count();
            prop_assert!(n <= 10_000);
        }
    }

    /// Text that looks like the formats (their own punctuation, shuffled) never panics either.
    #[test]
    fn no_importer_panics_on_near_miss_text(parts in prop::collection::vec(prop::sample::select(vec![
        "@article{", "@string{a = ", "@comment{", "}", "{", ",", " = ", "\"", "#", "title", "author = {", " and ",
        "TY  - JOUR\n", "ER  - \n", "AU  - ", "PY  - ", "\n", "[{", "}]", "\"title\":", "\"author\":[{\"family\":",
        "\"issued\":{\"date-parts\":[[", "]]}", "<entry>", "</entry>", "<feed>", "crossref = {", "\\", "%", "\u{0}",
    ]), 0..200)) {
        let text: String = parts.concat();
        for format in [Format::Bibtex, Format::Ris, Format::CslJson, Format::ArxivAtom] {
            let n = read_str("near-miss", &text, format).take(10_000).count();
            prop_assert!(n <= 10_000);
        }
    }
}
