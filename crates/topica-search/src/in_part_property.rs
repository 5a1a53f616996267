//! `title:`, `abstract:` and plain words against an oracle: for papers made of a small
//! vocabulary (stemmed variants, a word past the length limit, punctuation, empty parts), each
//! query finds exactly the papers whose part holds the word, or the two words in a row, by the
//! prose analyzer's own tokens and positions. This checks what `in_part` and `add_words` add to
//! tantivy: where each part starts and ends.

use std::collections::BTreeSet;

use proptest::prelude::*;
use tantivy::tokenizer::TokenStream;

use super::prose::chain;
use super::SearchIndex;
use topica_model::Paper;

const VOCAB: &[&str] = &[
    "alpha",
    "beta",
    "learning",
    "learned",
    "flows",
    "x",
    "—",
    "a-b",
    "Über",
    "2021",
    "pneumonoultramicroscopicsilicovolcanoconiosis-and-more",
];

fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(VOCAB), 0..7).prop_map(|w| w.join(" "))
}

/// A paper's title, abstract, notes and topic labels.
type Parts = (Option<String>, Option<String>, String, Vec<String>);

fn paper() -> impl Strategy<Value = Parts> {
    (
        prop::option::of(text()),
        prop::option::of(text()),
        text(),
        prop::collection::vec(text(), 0..3),
    )
}

/// The prose analyzer's tokens of `text`, with their positions.
fn tokens(text: &str) -> Vec<(usize, String)> {
    let mut analyzer = chain();
    let mut stream = analyzer.token_stream(text);
    let mut out = Vec::new();
    while stream.advance() {
        let t = stream.token();
        out.push((t.position, t.text.clone()));
    }
    out
}

/// Whether `text` holds `want` (tokens) one right after another.
fn holds(text: &str, want: &[String]) -> bool {
    let got = tokens(text);
    got.iter().any(|(at, first)| {
        first == &want[0]
            && want[1..]
                .iter()
                .enumerate()
                .all(|(i, w)| got.iter().any(|(p, t)| *p == at + 1 + i && t == w))
    })
}

/// Every text of a paper a plain word searches.
fn everything(p: &Parts) -> Vec<String> {
    let mut all: Vec<String> = [&p.0, &p.1].into_iter().flatten().cloned().collect();
    all.push(p.2.clone());
    all.extend(p.3.iter().cloned());
    all
}

/// Whether `{field}"…"` should find `p`: the part holds `want`.
fn finds(field: &str, p: &Parts, want: &[String]) -> bool {
    match field {
        "title:" => p.0.as_deref().is_some_and(|t| holds(t, want)),
        "abstract:" => p.1.as_deref().is_some_and(|t| holds(t, want)),
        _ => everything(p).iter().any(|t| holds(t, want)),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn parts_find_what_they_hold(papers in prop::collection::vec(paper(), 1..6), a in 0..VOCAB.len(), b in 0..VOCAB.len()) {
        let dir = tempfile::tempdir().expect("temp dir");
        let index = SearchIndex::create(dir.path()).expect("create");
        for (i, (title, abstract_text, notes, topics)) in papers.iter().enumerate() {
            let p = Paper {
                id: i as i64 + 1,
                title: title.clone(),
                abstract_text: abstract_text.clone(),
                notes: notes.clone(),
                topics: topics.clone(),
                ..Paper::default()
            };
            index.add(&p, None).unwrap();
        }
        index.commit(1).unwrap();
        for words in [vec![VOCAB[a]], vec![VOCAB[a], VOCAB[b]]] {
            let want: Vec<String> = words.iter().flat_map(|w| tokens(w)).map(|t| t.1).collect();
            if want.is_empty() {
                continue;
            }
            // A word occurring nowhere goes to typo tolerance, which is not what this checks.
            if !papers.iter().any(|p| everything(p).iter().any(|t| holds(t, &want))) {
                continue;
            }
            // Quoted, and a single word also as a plain word (the path with typo tolerance).
            let mut written = vec![format!("\"{}\"", words.join(" "))];
            if let [word] = words.as_slice() {
                written.push(word.to_string());
            }
            for (field, term) in ["title:", "abstract:", ""].into_iter().flat_map(|f| written.iter().map(move |w| (f, w))) {
                let query = format!("{field}{term}");
                let found: BTreeSet<i64> = index.matching_ids(&query).unwrap().into_iter().collect();
                let expected: BTreeSet<i64> = papers
                    .iter()
                    .enumerate()
                    .filter(|(_, p)| finds(field, p, &want))
                    .map(|(i, _)| i as i64 + 1)
                    .collect();
                prop_assert_eq!(&found, &expected, "{} over {:?}", query, papers);
            }
        }
    }
}
