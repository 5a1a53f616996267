//! Search on real data: ranking on the sample library, typo tolerance, prefixes, fields,
//! phrases, exclusion, OR, snippets, counts, and query errors that never panic.

use topica_core::{Error, ImportOptions, SearchResults};

use crate::util;

fn ids(r: &SearchResults) -> Vec<&str> {
    r.hits
        .iter()
        .map(|h| h.arxiv_id.as_deref().unwrap_or("-"))
        .collect()
}

fn ids_sorted(r: &SearchResults) -> Vec<String> {
    let mut v: Vec<String> = ids(r).into_iter().map(String::from).collect();
    v.sort();
    v
}

#[test]
fn speech_enhancement_papers_rank_first() {
    let t = util::sample_library();
    let r = t.search("\"speech enhancement\"", 10).unwrap();
    let top3 = &ids(&r)[..3.min(r.hits.len())];
    assert!(top3.contains(&"2212.11851"), "top 3: {top3:?}");
    assert!(top3.contains(&"2302.14748"), "top 3: {top3:?}");
    assert_eq!(
        r.total,
        r.hits.len(),
        "fewer than 10 papers mention the phrase"
    );
    // Every hit really contains the phrase (the words alone do not match).
    for h in &r.hits {
        let p = t.find(h.arxiv_id.as_deref().unwrap()).unwrap();
        assert!(
            p.abstract_text
                .unwrap()
                .to_lowercase()
                .contains("speech enhancement"),
            "{}",
            h.snippet
        );
    }
}

#[test]
fn snippets_highlight_the_matches() {
    let t = util::sample_library();
    let r = t.search("\"speech enhancement\"", 3).unwrap();
    for h in &r.hits {
        // The snippet shows the phrase itself, not its words scattered.
        assert!(
            h.snippet
                .to_lowercase()
                .contains("<b>speech</b> <b>enhancement</b>"),
            "{}",
            h.snippet
        );
        assert!(
            h.snippet.len() < 400,
            "a snippet is a fragment: {}",
            h.snippet
        );
    }
    // Prefix matches are highlighted too.
    let r = t.search("diffus*", 5).unwrap();
    assert!(!r.hits.is_empty());
    assert!(
        r.hits[0].snippet.to_lowercase().contains("<b>diffusion"),
        "{}",
        r.hits[0].snippet
    );
}

#[test]
fn a_misspelt_word_finds_what_was_meant() {
    let t = util::sample_library();
    let exact = t.search("transformer", 100).unwrap();
    assert!(exact.total > 0 && !exact.fuzzy);
    let typo = t.search("trnsformer", 100).unwrap();
    assert!(
        typo.fuzzy,
        "no paper has the word as typed, so typo tolerance was used"
    );
    assert!(
        typo.total >= exact.total,
        "{} < {}",
        typo.total,
        exact.total
    );
    for id in ids(&exact) {
        assert!(
            ids(&typo).contains(&id),
            "{id} found by `transformer` but not by `trnsformer`"
        );
    }
    // Two edits away, transposition included.
    let r = t.search("difusoin", 10).unwrap();
    assert!(r.fuzzy && r.total > 0);
    assert!(
        r.hits[0]
            .snippet
            .to_lowercase()
            .contains("<b>diffusion</b>"),
        "{}",
        r.hits[0].snippet
    );
    // A typo beside a correct word: only the typo is relaxed, the correct word still must match.
    let both = t.search("speech enhancemnet", 10).unwrap();
    assert!(both.fuzzy);
    assert!(ids(&both).contains(&"2212.11851"), "{:?}", ids(&both));
    for h in &both.hits {
        let p = t.find(h.arxiv_id.as_deref().unwrap()).unwrap();
        assert!(p.abstract_text.unwrap().to_lowercase().contains("speech"));
    }
    // Gibberish matches nothing rather than everything.
    let none = t.search("qqqqxxzz", 10).unwrap();
    assert_eq!(none.total, 0);
}

/// Words enter the typo-tolerance lexicon with each edit, and a word no paper holds any more
/// is not offered as a correction.
#[test]
fn typo_tolerance_follows_edits() {
    let t = util::sample_library();
    let p = t.find("2212.11851").unwrap();
    assert_eq!(t.search("axolotel", 10).unwrap().total, 0);
    t.set_notes(p.id, "axolotl experiments").unwrap();
    let r = t.search("axolotel", 10).unwrap();
    assert!(r.fuzzy);
    assert_eq!(ids(&r), vec!["2212.11851"]);
    t.set_notes(p.id, "nothing here").unwrap();
    let r = t.search("axolotel", 10).unwrap();
    assert_eq!(r.total, 0, "the old note's word is gone: {:?}", ids(&r));
}

#[test]
fn prefix_phrase_exclusion_and_or() {
    let t = util::sample_library();
    let diffusion = t.search("diffusion", 100).unwrap();
    let prefix = t.search("diffus*", 100).unwrap();
    assert!(prefix.total >= diffusion.total && diffusion.total > 0);

    let speech = t.search("speech", 100).unwrap();
    let no_enh = t.search("speech -enhancement", 100).unwrap();
    let phrase = t.search("\"speech enhancement\"", 100).unwrap();
    assert!(no_enh.total > 0 && no_enh.total < speech.total);
    for id in ids(&phrase) {
        assert!(
            !ids(&no_enh).contains(&id),
            "{id} mentions speech enhancement but was not excluded"
        );
    }

    let either = t.search("speech OR diffusion", 200).unwrap();
    let both_sets: std::collections::BTreeSet<&str> =
        ids(&speech).into_iter().chain(ids(&diffusion)).collect();
    assert_eq!(either.total, both_sets.len(), "OR is the union");

    let and = t.search("speech diffusion", 100).unwrap();
    assert!(
        and.total <= speech.total.min(diffusion.total),
        "words are AND-ed"
    );
}

#[test]
fn total_counts_all_matches_not_only_the_shown_ones() {
    let t = util::sample_library();
    let all = t.search("model", 1000).unwrap();
    let few = t.search("model", 2).unwrap();
    assert_eq!(few.hits.len(), 2);
    assert_eq!(few.total, all.total);
    assert_eq!(all.hits.len(), all.total);
    assert!(all.total > 10);
}

#[test]
fn ranked_search_details_the_first_hits_and_lists_the_rest_by_id() {
    let t = util::sample_library();
    let full = t.search("model", 30).unwrap();
    let ranked = t.search_ranked("model", 30, 5).unwrap();
    assert_eq!(ranked.total, full.total);
    assert_eq!(ranked.hits.len(), 5);
    let full_ids: Vec<i64> = full.hits.iter().map(|h| h.id).collect();
    let ranked_ids: Vec<i64> = ranked
        .hits
        .iter()
        .map(|h| h.id)
        .chain(ranked.more_ids.iter().copied())
        .collect();
    assert_eq!(ranked_ids, full_ids, "same hits in the same order");
    assert_eq!(ranked.hits[0].snippet, full.hits[0].snippet);
    assert!(full.more_ids.is_empty());
}

#[test]
fn hits_listed_by_id_come_in_full_when_asked_for() {
    let t = util::sample_library();
    let full = t.search("speech", 30).unwrap();
    let ranked = t.search_ranked("speech", 30, 2).unwrap();
    assert!(ranked.more_ids.len() >= 3, "{:?}", ranked.more_ids);
    // Some of the rows listed by id, plus one paper that does not match at all.
    let wanted: Vec<i64> = ranked.more_ids.iter().rev().take(3).copied().collect();
    let matched = t.search("speech", 1000).unwrap();
    let unmatched = t
        .papers(0, 0)
        .unwrap()
        .iter()
        .map(|p| p.id)
        .find(|id| matched.hits.iter().all(|h| h.id != *id))
        .expect("a paper without speech");
    let mut asked = wanted.clone();
    asked.push(unmatched);
    let hits = t.search_hits("speech", &asked).unwrap();
    let mut got: Vec<i64> = hits.iter().map(|h| h.id).collect();
    got.sort();
    let mut expected = wanted.clone();
    expected.sort();
    assert_eq!(
        got, expected,
        "the matching ids, the unmatched one left out"
    );
    for h in &hits {
        let same = full.hits.iter().find(|f| f.id == h.id).unwrap();
        assert_eq!(h.snippet, same.snippet, "as the full search made it");
        assert_eq!(h.title, same.title);
        assert!(h.snippet.contains("<b>"), "{}", h.snippet);
    }
    assert!(
        hits.windows(2).all(|w| w[0].score >= w[1].score),
        "best first"
    );
    assert!(t.search_hits("speech", &[]).unwrap().is_empty());
    assert!(matches!(
        t.search_hits("speech \"enhancement", &wanted),
        Err(Error::InvalidQuery { .. })
    ));
}

#[test]
fn id_and_abstract_fields() {
    let t = util::sample_library();
    let r = t.search("id:2212.11851", 10).unwrap();
    assert_eq!(ids(&r), vec!["2212.11851"]);
    let r = t.search("id:arXiv:2201.12288v2", 10).unwrap();
    assert_eq!(
        ids(&r),
        vec!["2201.12288"],
        "any spelling of an id finds the paper"
    );
    let r = t.search("abstract:\"speech enhancement\"", 10).unwrap();
    assert!(ids(&r).contains(&"2212.11851"));
    // The sample has no titles yet, so title: finds nothing until enrichment.
    assert_eq!(t.search("title:speech", 10).unwrap().total, 0);
}

#[test]
fn tag_field_and_user_edits_are_searchable() {
    let t = util::sample_library();
    let p = t.find("2212.11851").unwrap();
    t.set_tags(p.id, &["to-read".into(), "audio".into()])
        .unwrap();
    let r = t.search("tag:audio", 10).unwrap();
    assert_eq!(ids(&r), vec!["2212.11851"]);
    t.set_notes(p.id, "compare with the zebrafish baseline")
        .unwrap();
    assert_eq!(ids(&t.search("zebrafish", 10).unwrap()), vec!["2212.11851"]);
}

#[test]
fn author_and_year_filters_on_arxiv_metadata() {
    let t = util::sample_library();
    let report = t
        .import_files(
            &[util::fixture("arxiv/arxiv-metadata-sample-300.jsonl")],
            &ImportOptions::default(),
        )
        .unwrap();
    assert_eq!(report.added, 300);

    let r = t.search("author:grabec", 50).unwrap();
    assert_eq!(
        ids_sorted(&r),
        [
            "0704.0047",
            "0704.0050",
            "0704.0089",
            "0704.0107",
            "0704.0151",
            "0704.0162"
        ]
    );
    let r = t.search("author:hoekstra author:yurkin", 50).unwrap();
    assert_eq!(
        ids_sorted(&r),
        ["0704.0033", "0704.0035", "0704.0037", "0704.0038"]
    );
    // Accents fold: Balázs is found as balazs.
    assert_eq!(ids(&t.search("author:balazs", 5).unwrap()), ["0704.0001"]);
    // Plain words reach authors too.
    assert!(ids(&t.search("grabec", 50).unwrap()).contains(&"0704.0047"));

    // The fixture is all April 2007; the sample is 2018 onwards.
    assert_eq!(t.search("year:2007 OR year:2006", 1000).unwrap().total, 300);
    let in_range = t.search("year:2019..2022", 1000).unwrap();
    let expected = t
        .papers(0, 0)
        .unwrap()
        .iter()
        .filter(|p| p.year.is_some_and(|y| (2019..=2022).contains(&y)))
        .count();
    assert!(expected > 0);
    assert_eq!(in_range.total, expected);
    for h in &in_range.hits {
        assert!((2019..=2022).contains(&h.year.unwrap()));
    }
    let open_ended = t.search("year:2023..", 1000).unwrap();
    assert!(open_ended.hits.iter().all(|h| h.year.unwrap() >= 2023));
    // Filters combine with words.
    let r = t.search("year:2007 title:quantum", 100).unwrap();
    assert!(r.total > 0);
    for h in &r.hits {
        assert_eq!(h.year, Some(2007));
        assert!(h.title.to_lowercase().contains("quantum"), "{}", h.title);
    }
}

#[test]
fn rejected_queries_say_where() {
    let t = util::sample_library();
    for (q, at) in [
        ("speech \"enhancement", 7),
        ("colour:red", 0),
        ("year:20x1", 5),
        ("a OR", 4),
    ] {
        match t.search(q, 10) {
            Err(Error::InvalidQuery { position, reason }) => {
                assert_eq!(position, at, "{q}: {reason}");
                assert!(!reason.is_empty());
            }
            other => panic!("{q:?} should be rejected, got {other:?}"),
        }
    }
}

/// Property-style: thousands of random and garbage strings never panic; each is either a
/// result or an `InvalidQuery` whose position lies inside the query.
#[test]
fn garbage_queries_never_panic() {
    let t = util::sample_library();
    let alphabet: Vec<char> =
        "ab zé*-+\":OR.()[]{}\\/^~!?&|'\u{0}\u{feff}日本2019..title:year:author:id:tag:"
            .chars()
            .collect();
    let mut seed: u64 = 0x5eed_cafe;
    let mut next = move || {
        // xorshift64*: deterministic, no dependency.
        seed ^= seed >> 12;
        seed ^= seed << 25;
        seed ^= seed >> 27;
        seed.wrapping_mul(0x2545_f491_4f6c_dd1d)
    };
    let mut fixed: Vec<String> = [
        "",
        " ",
        "\"",
        "\"\"",
        "*",
        "-",
        "--a",
        "+",
        "OR",
        "a OR OR b",
        "year:",
        "year:..",
        "year:99999",
        "id:",
        "id:*",
        "title:\"\"",
        "author:*",
        "::",
        "a:b:c",
        "-\"x\"",
        "\u{0}",
        "日本語*",
        "year:2019..2018",
        "x*y*",
        "tag:-",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    for _ in 0..3000 {
        let len = (next() % 24) as usize;
        fixed.push(
            (0..len)
                .map(|_| alphabet[(next() % alphabet.len() as u64) as usize])
                .collect(),
        );
    }
    for q in &fixed {
        match t.search(q, 5) {
            Ok(r) => assert!(r.hits.len() <= r.total.max(5)),
            Err(Error::InvalidQuery { position, .. }) => {
                assert!(position <= q.chars().count(), "{q:?} at {position}")
            }
            Err(e) => panic!("{q:?} gave a non-query error: {e}"),
        }
    }
}

/// A term of punctuation alone (`&`) is left out instead of making the whole query match
/// nothing; the other findings of the same try are refused with a reason and a position.
#[test]
fn punctuation_is_left_out_and_odd_queries_say_why() {
    let t = util::sample_library();
    let plain = t.search("speech enhancement", 10).unwrap();
    let amp = t.search("speech & enhancement", 10).unwrap();
    assert!(plain.total > 0);
    assert_eq!(amp.total, plain.total);
    assert_eq!(ids(&amp), ids(&plain));
    for (q, words) in [
        ("*tion", "only ends a word"),
        ("year:2022..2019", "run backwards"),
        ("&", "nothing to search for"),
    ] {
        match t.search(q, 10) {
            Err(Error::InvalidQuery { reason, .. }) => {
                assert!(reason.contains(words), "{q}: {reason}")
            }
            other => panic!("{q:?} should be refused, got {other:?}"),
        }
    }
    let long = "speech ".repeat(200);
    match t.search(&long, 10) {
        Err(Error::InvalidQuery { reason, .. }) => {
            assert!(reason.contains("the limit is 1000"), "{reason}")
        }
        other => panic!("a 1,400-character query should be refused, got {other:?}"),
    }
}
