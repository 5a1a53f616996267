//! The topic engine on the sample library: labels, one leaf per paper, related papers, user
//! edits surviving recomputation, determinism, incremental assignment and `topic:` search.

use std::collections::{HashMap, HashSet};

use topica_core::topics::text::{is_stop_word, split_glued};

use crate::util::{self, Listed};

fn leaves(topics: &[Listed]) -> Vec<&Listed> {
    topics.iter().filter(|t| t.level == "leaf").collect()
}

#[test]
fn labels_are_readable_and_free_of_stop_words() {
    let t = util::sample_library();
    let topics = util::topics_listed(&t);
    assert!(
        leaves(&topics).len() >= 4,
        "94 papers make several topics: {topics:#?}"
    );
    assert!(topics.iter().any(|t| t.level == "parent"));
    for topic in &topics {
        let words: Vec<String> = topic
            .label
            .split([' ', '·'])
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect();
        assert!(!words.is_empty());
        for (i, w) in words.iter().enumerate() {
            // "of" may join a phrase ("chain of thought"), never stand at its ends.
            let joins = w == "of" && i > 0 && i + 1 < words.len();
            assert!(
                !is_stop_word(w) || joins,
                "stop word {w:?} in label {:?}",
                topic.label
            );
        }
        for w in [
            "we", "propose", "paper", "results", "show", "method", "approach", "novel",
        ] {
            assert!(!words.iter().any(|x| x == w), "{w} in {:?}", topic.label);
        }
        let unique: HashSet<&String> = words.iter().filter(|w| *w != "of").collect();
        assert_eq!(
            unique.len(),
            words.iter().filter(|w| *w != "of").count(),
            "label repeats a word: {:?}",
            topic.label
        );
        assert!(!topic.keyphrases.is_empty());
    }
}

/// In how many papers (title or abstract) each lower-case word is written as a word of its own.
fn word_papers(t: &util::TestLibrary) -> HashMap<String, u32> {
    let mut df: HashMap<String, u32> = HashMap::new();
    for p in t.papers(0, 0).unwrap() {
        let text = format!(
            "{} {}",
            p.title.unwrap_or_default(),
            p.abstract_text.unwrap_or_default()
        );
        let words: HashSet<String> = text
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect();
        words
            .into_iter()
            .for_each(|w| *df.entry(w).or_insert(0) += 1);
    }
    df
}

#[test]
fn labels_are_two_or_three_phrases_a_researcher_would_write() {
    let t = util::sample_library();
    let topics = util::topics_listed(&t);
    let df = word_papers(&t);
    let mut multi_word = 0;
    for topic in &topics {
        let phrases: Vec<&str> = topic.label.split(" · ").collect();
        assert!(
            (2..=3).contains(&phrases.len()),
            "2–3 phrases: {:?}",
            topic.label
        );
        multi_word += phrases.iter().filter(|p| p.contains(' ')).count();
        for phrase in &phrases {
            let words: Vec<String> = phrase.split(' ').map(str::to_lowercase).collect();
            assert!(
                (1..=3).contains(&words.iter().filter(|w| *w != "of").count()),
                "1–3 words: {phrase:?}"
            );
            for edge in [&words[0], &words[words.len() - 1]] {
                assert!(
                    !is_stop_word(edge) && edge != "of",
                    "{phrase:?} ends in a stop word"
                );
            }
            for w in &words {
                // A word the papers write on its own, in several of them…
                let seen = df.get(w).copied().unwrap_or(0);
                assert!(seen >= 2, "{w:?} of {:?} is in {seen} papers", topic.label);
                // …and not two of their words glued together.
                let known = |part: &str| df.get(part).copied().unwrap_or(0);
                assert_eq!(
                    split_glued(w, known),
                    None,
                    "{w:?} of {:?} is glued",
                    topic.label
                );
            }
        }
        // A label is not a list of keyphrases it does not start with.
        assert!(topic
            .keyphrases
            .starts_with(&phrases.iter().map(|p| p.to_string()).collect::<Vec<_>>()));
    }
    assert!(multi_word >= 4, "few multi-word phrases: {topics:#?}");
    // A broader topic is named for what its leaves share, not as its first leaf.
    for parent in topics.iter().filter(|t| t.level == "parent") {
        let first = topics
            .iter()
            .find(|l| l.parent == Some(parent.id))
            .expect("a parent has leaves");
        assert_ne!(parent.label, first.label);
    }
}

#[test]
fn every_paper_is_in_exactly_one_leaf_and_leaves_have_parents() {
    let t = util::sample_library();
    let topics = util::topics_listed(&t);
    let mut seen: Vec<i64> = leaves(&topics)
        .iter()
        .flat_map(|l| l.papers.clone())
        .collect();
    let n = seen.len();
    seen.sort_unstable();
    seen.dedup();
    assert_eq!(seen.len(), n, "a paper is in two leaves");
    let all: Vec<i64> = t.papers(0, 0).unwrap().iter().map(|p| p.id).collect();
    assert_eq!(seen, all);
    for l in leaves(&topics) {
        assert_eq!(l.size, l.papers.len());
        let parent = topics
            .iter()
            .find(|p| Some(p.id) == l.parent)
            .expect("leaf has a parent");
        assert!(
            parent
                .papers
                .iter()
                .filter(|p| l.papers.contains(p))
                .count()
                == l.size
        );
    }
    // Weights: the paper's own leaf first, all in (0, 1].
    let p = t.find("2101.00190").unwrap();
    let w = t.paper_topics(p.id).unwrap();
    assert!(
        w[0].primary
            && leaves(&topics)
                .iter()
                .any(|l| l.id == w[0].topic && l.papers.contains(&p.id))
    );
    assert!(w.iter().all(|x| x.weight >= 0.0 && x.weight <= 1.0));
}

#[test]
fn prefix_tuning_is_related_to_p_tuning_v2() {
    let t = util::sample_library();
    let p = t.find("2101.00190").unwrap();
    // P-tuning v2's abstract never says "prefix": plain TF-IDF cosine ranks it 9th; blending in
    // the papers' topics brings it into the top 5 (after prompt tuning, LoRA and P-tuning).
    let related = t.related(p.id, 5).unwrap();
    assert_eq!(related.len(), 5);
    let ids: Vec<&str> = related
        .iter()
        .filter_map(|r| r.arxiv_id.as_deref())
        .collect();
    assert!(
        ids.contains(&"2110.07602"),
        "related to prefix-tuning: {related:#?}"
    );
    assert!(
        !related.iter().any(|r| r.id == p.id),
        "a paper is not related to itself"
    );
    assert!(related.windows(2).all(|w| w[0].score >= w[1].score));
}

/// The app reads the leaf centroids as it opens a library with topics; related papers read
/// from them answer as a library that read nothing ahead does.
#[test]
fn leaf_centroids_are_read_ahead_only_where_there_are_topics() {
    let t = util::sample_library();
    assert!(!t.warm_topics().unwrap(), "no topics yet: nothing to read");
    t.topics().unwrap();
    let p = t.find("2101.00190").unwrap();
    let cold = t.related(p.id, 10).unwrap();
    let again = topica_core::Library::open(t.dir()).unwrap();
    assert!(again.warm_topics().unwrap());
    let warm = again.related(p.id, 10).unwrap();
    let ids = |r: &[topica_core::RelatedPaper]| r.iter().map(|r| r.id).collect::<Vec<_>>();
    assert_eq!(ids(&warm), ids(&cold));
    assert!(!warm.is_empty());
}

#[test]
fn related_from_candidates_finds_what_scoring_every_paper_finds() {
    // A large library scores only candidates (the papers sharing the rarest words, the paper's
    // leaf and the leaves near it); here, where every paper can be scored too, the two agree.
    let t = util::sample_library();
    t.topics().unwrap();
    let ids: Vec<i64> = t
        .papers(usize::MAX, 0)
        .unwrap()
        .iter()
        .map(|p| p.id)
        .collect();
    let (mut found, mut asked) = (0, 0);
    for &id in ids.iter().step_by(ids.len() / 40) {
        let every = t.related_scoring_all(id, 10).unwrap();
        let quick = t.related_from_candidates(id, 10).unwrap();
        assert!(quick.windows(2).all(|w| w[0].score >= w[1].score));
        assert!(!quick.iter().any(|r| r.id == id));
        // The same scores: a candidate's is computed as when every paper is scored.
        for q in &quick {
            if let Some(e) = every.iter().find(|e| e.id == q.id) {
                assert!((e.score - q.score).abs() < 1e-6, "{id}: {q:?} vs {e:?}");
            }
        }
        asked += every.len();
        found += every
            .iter()
            .filter(|e| quick.iter().any(|q| q.id == e.id))
            .count();
    }
    assert!(asked >= 300, "{asked}");
    assert!(
        found as f64 >= 0.97 * asked as f64,
        "candidates found {found} of {asked}"
    );
    // And the example the blend was tuned on holds from candidates alone.
    let p = t.find("2101.00190").unwrap();
    let quick = t.related_from_candidates(p.id, 5).unwrap();
    assert!(
        quick
            .iter()
            .any(|r| r.arxiv_id.as_deref() == Some("2110.07602")),
        "{quick:#?}"
    );
}

#[test]
fn user_edits_survive_recompute() {
    let t = util::sample_library();
    let topics = util::topics_listed(&t);
    let leaf = leaves(&topics)
        .into_iter()
        .max_by_key(|l| l.size)
        .unwrap()
        .clone();
    t.rename_topic(leaf.id, "My favourite papers").unwrap();
    let other = leaves(&topics)
        .into_iter()
        .find(|l| l.id != leaf.id)
        .unwrap()
        .clone();
    let moved = other.papers[0];
    t.move_paper(moved, leaf.id).unwrap();

    let after = util::listed(&t, t.recompute_topics().unwrap());
    let renamed = after
        .iter()
        .find(|x| x.label == "My favourite papers")
        .expect("rename survives recompute");
    assert!(renamed.renamed);
    assert!(
        renamed.papers.contains(&moved),
        "moved paper stays where the user put it"
    );
    let overlap = renamed
        .papers
        .iter()
        .filter(|p| leaf.papers.contains(p))
        .count();
    assert!(
        overlap * 2 >= leaf.size.min(renamed.size),
        "the label lands on the same papers"
    );
    // And the label is searchable.
    let hits = t.search("topic:favourite", 100).unwrap();
    assert_eq!(hits.total, renamed.size);
}

#[test]
fn merge_and_pin_survive_recompute() {
    let t = util::sample_library();
    let topics = util::topics_listed(&t);
    let mut ls: Vec<Listed> = leaves(&topics).into_iter().cloned().collect();
    ls.sort_by_key(|l| l.size);
    let (a, b) = (ls[0].clone(), ls[1].clone());
    t.merge_topics(a.id, b.id).unwrap();
    let merged = t
        .topics()
        .unwrap()
        .into_iter()
        .find(|x| x.id == b.id)
        .unwrap();
    assert_eq!(merged.size, a.size + b.size);
    let c = ls.last().unwrap().clone();
    t.pin_topic(c.id, true).unwrap();

    let after = util::listed(&t, t.recompute_topics().unwrap());
    let pinned = after
        .iter()
        .find(|x| x.id == c.id)
        .expect("pinned topic kept");
    assert!(pinned.pinned);
    let mut want = c.papers.clone();
    want.sort_unstable();
    let mut got = pinned.papers.clone();
    got.sort_unstable();
    assert_eq!(got, want, "a pinned topic keeps its papers");
    let m = after
        .iter()
        .find(|x| x.id == b.id)
        .expect("merged topic kept");
    let together = a
        .papers
        .iter()
        .chain(&b.papers)
        .filter(|p| m.papers.contains(p))
        .count();
    assert!(
        together * 2 > a.size + b.size,
        "merged papers stay together: {m:#?}"
    );
    assert!(t.merge_topics(b.id, b.id).is_err());
    assert!(t.rename_topic(9_999_999, "x").is_err());
}

#[test]
fn same_library_gives_same_topics() {
    let a = util::sample_library();
    let b = util::sample_library();
    let strip = |ts: Vec<Listed>| -> Vec<(String, Vec<String>, Vec<i64>)> {
        ts.into_iter()
            .map(|t| (t.topic.label, t.topic.keyphrases, t.papers))
            .collect()
    };
    let first = strip(util::topics_listed(&a));
    assert_eq!(first, strip(util::topics_listed(&b)));
    assert_eq!(
        first,
        strip(util::listed(&a, a.recompute_topics().unwrap()))
    );
}

#[test]
fn new_papers_join_the_nearest_topic_and_topics_are_searchable() {
    let t = util::sample_library();
    assert_eq!(t.topics_status().unwrap().chosen_leaves, None);
    t.set_topic_leaves(Some(6)).unwrap();
    assert_eq!(t.topics_status().unwrap().chosen_leaves, Some(6));
    let topics = util::listed(&t, t.recompute_topics().unwrap());
    assert_eq!(
        leaves(&topics).len(),
        6,
        "the override sets the number of leaves"
    );
    let before = t.len().unwrap();
    let pt = t.find("2110.07602").unwrap();
    let leaf_of_pt = leaves(&topics)
        .into_iter()
        .find(|l| l.papers.contains(&pt.id))
        .unwrap()
        .id;
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("new.jsonl");
    std::fs::write(
        &f,
        r#"{"id": "2401.99999", "title": "Deep prompt tuning across scales and tasks", "abstract": "Prompt tuning and prefix tuning tune only continuous prompts of a frozen language model. Deep prompt tuning matches fine-tuning across scales.", "categories": "cs.CL", "authors": "A. Person"}"#,
    )
    .unwrap();
    t.import_files(&[f], &Default::default()).unwrap();
    assert_eq!(t.len().unwrap(), before + 1);
    let new = t.find("2401.99999").unwrap();
    let w = t.paper_topics(new.id).unwrap();
    assert_eq!(
        w[0].topic, leaf_of_pt,
        "the new prompt-tuning paper joins P-tuning v2's topic"
    );
    // Counts per topic for a query add up to the number of hits.
    let counts = t.topic_counts("prompt").unwrap();
    let total = t.search("prompt", 1).unwrap().total;
    assert_eq!(counts.iter().map(|c| c.count).sum::<usize>(), total);
    let label = &t
        .topics()
        .unwrap()
        .into_iter()
        .find(|x| x.id == leaf_of_pt)
        .unwrap()
        .label;
    let word = label
        .split([' ', '·'])
        .find(|w| w.len() > 3 && w.chars().all(char::is_alphabetic))
        .unwrap();
    assert!(t
        .search(&format!("topic:{word}"), 200)
        .unwrap()
        .hits
        .iter()
        .any(|h| h.id == new.id));
}

#[test]
fn a_recompute_is_due_once_a_fifth_of_the_library_is_new() {
    let t = util::sample_library();
    t.topics().unwrap();
    let st = t.topics_status().unwrap();
    assert_eq!((st.fitted_papers, st.added_since_fit), (94, 0));
    assert!(!st.needs_recompute && !t.topics_need_recompute().unwrap());

    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("new.jsonl");
    let line = |i: usize| {
        format!(
            r#"{{"id": "2402.{i:05}", "title": "Graph neural networks for molecule property prediction, part {i}", "abstract": "Message passing networks predict molecular properties.", "categories": "cs.LG", "authors": "A. Person"}}"#
        )
    };
    // 18 new papers are 19% of 94: placed in existing topics, no recompute yet.
    std::fs::write(&f, (0..18).map(line).collect::<Vec<_>>().join("\n")).unwrap();
    t.import_files(std::slice::from_ref(&f), &Default::default())
        .unwrap();
    let st = t.topics_status().unwrap();
    assert_eq!(st.added_since_fit, 18, "{st:?}");
    assert!(!st.needs_recompute, "{st:?}");
    t.topics().unwrap(); // reading topics does not reset the count
    assert_eq!(t.topics_status().unwrap().added_since_fit, 18);
    // One more crosses 20%.
    std::fs::write(&f, line(18)).unwrap();
    t.import_files(&[f], &Default::default()).unwrap();
    t.topics().unwrap();
    let st = t.topics_status().unwrap();
    assert_eq!((st.papers, st.added_since_fit), (113, 19));
    assert!(st.needs_recompute && st.changed_share >= topica_core::RECOMPUTE_SHARE);

    t.recompute_topics().unwrap();
    let st = t.topics_status().unwrap();
    assert_eq!((st.fitted_papers, st.added_since_fit), (113, 0));
    assert!(!st.needs_recompute);
}

#[test]
fn counts_per_topic_follow_moves_here_and_writes_by_another_process() {
    let t = util::sample_library();
    let topics = util::topics_listed(&t);
    let counts = |q: &str| -> std::collections::HashMap<i64, usize> {
        t.topic_counts(q)
            .unwrap()
            .into_iter()
            .map(|c| (c.topic, c.count))
            .collect()
    };
    let before = counts("model");
    assert_eq!(counts("model"), before, "asked again, unchanged");
    let hit = t.search("model", 1).unwrap().hits[0].id;
    let from = t.paper_topics(hit).unwrap()[0].topic;
    let to = leaves(&topics)
        .into_iter()
        .find(|l| l.id != from)
        .unwrap()
        .id;

    t.move_paper(hit, to).unwrap();
    let moved = counts("model");
    assert_eq!(moved.get(&from).copied().unwrap_or(0), before[&from] - 1);
    assert_eq!(
        moved.get(&to).copied().unwrap_or(0),
        before.get(&to).copied().unwrap_or(0) + 1
    );

    // Another process (here another connection) moves it back.
    let other = rusqlite::Connection::open(t.dir.path().join("library.sqlite")).unwrap();
    other
        .execute(
            "UPDATE topic_papers SET primary_leaf = (topic_id = ?1) WHERE paper_id = ?2",
            [from, hit],
        )
        .unwrap();
    assert_eq!(counts("model"), before);
}

#[test]
fn a_topic_a_paper_was_moved_into_survives_a_refit_that_would_drop_it() {
    let t = util::sample_library();
    let topics = util::topics_listed(&t);
    let mut ls = leaves(&topics);
    ls.sort_by_key(|l| l.size);
    let (small, other) = (ls[0].clone(), ls[ls.len() - 1].clone());
    let moved = other.papers[0];
    t.move_paper(moved, small.id).unwrap();
    // Two leaves instead of seven: most of today's leaves have no continuation.
    t.set_topic_leaves(Some(2)).unwrap();
    let after = util::listed(&t, t.recompute_topics().unwrap());
    let kept = after
        .iter()
        .find(|x| x.id == small.id)
        .expect("the topic holding a moved paper is kept");
    assert!(kept.papers.contains(&moved), "{kept:?}");
    let primary = t
        .paper_topics(moved)
        .unwrap()
        .into_iter()
        .find(|w| w.primary)
        .unwrap();
    assert_eq!(primary.topic, small.id);
}

#[test]
fn a_topic_made_by_hand_waits_for_papers_and_keeps_them_across_recomputes() {
    let t = util::sample_library();
    let topics = util::topics_listed(&t);
    let parent = topics.iter().find(|x| x.level == "parent").unwrap().id;
    let leaf = leaves(&topics)[0].id;
    assert!(t.create_topic("  ", None).is_err(), "a label is needed");
    assert!(t.create_topic("Under a leaf", Some(leaf)).is_err());
    let id = t.create_topic("Reading group", Some(parent)).unwrap();
    let find = |topics: &[Listed]| topics.iter().find(|x| x.id == id).cloned();
    let made = find(&util::topics_listed(&t)).expect("listed");
    assert_eq!(
        (made.label.as_str(), made.size, made.pinned),
        ("Reading group", 0, true)
    );

    // Empty, it survives a recompute.
    let after = util::listed(&t, t.recompute_topics().unwrap());
    assert_eq!(
        find(&after).map(|x| x.size),
        Some(0),
        "an empty topic the user made stays"
    );

    let paper = leaves(&after)
        .iter()
        .find(|l| l.id != id && l.size > 0)
        .unwrap()
        .papers[0];
    t.move_paper(paper, id).unwrap();
    let after = util::listed(&t, t.recompute_topics().unwrap());
    assert_eq!(
        find(&after).unwrap().papers,
        [paper],
        "its paper stays across a recompute"
    );
    assert_eq!(t.search("topic:\"reading group\"", 10).unwrap().total, 1);

    // Made and undone at once, a topic is gone.
    let scratch = t.create_topic("Scratch", None).unwrap();
    assert_eq!(t.undo().unwrap().unwrap().label, "New topic “Scratch”");
    assert!(t.topics().unwrap().iter().all(|x| x.id != scratch));
    t.redo().unwrap().unwrap();
    assert!(t
        .topics()
        .unwrap()
        .iter()
        .any(|x| x.id == scratch && x.label == "Scratch"));
}

#[test]
fn a_split_divides_a_topic_by_its_papers_and_the_parts_stay() {
    let t = util::sample_library();
    let topics = util::topics_listed(&t);
    let big = leaves(&topics)
        .into_iter()
        .max_by_key(|l| l.size)
        .unwrap()
        .clone();
    assert!(t.split_topic(big.id, 5).is_err(), "2 to 4 parts");
    let parent_id = topics.iter().find(|x| x.level == "parent").unwrap().id;
    assert!(t.split_topic(parent_id, 2).is_err(), "leaves only");

    let parts = t.split_topic(big.id, 2).unwrap();
    assert_eq!(parts.len(), 2);
    assert_eq!(parts[0], big.id, "the first part keeps the id");
    let now = util::topics_listed(&t);
    let part = |id: i64| now.iter().find(|x| x.id == id).unwrap().clone();
    let (a, b) = (part(parts[0]), part(parts[1]));
    let mut union: Vec<i64> = a.papers.iter().chain(&b.papers).copied().collect();
    union.sort();
    let mut want = big.papers.clone();
    want.sort();
    assert_eq!(
        union, want,
        "every paper of the topic is in exactly one part"
    );
    assert!(a.size > 0 && b.size > 0);
    assert!(a.pinned && b.pinned, "the parts are the user's");
    assert!(
        !a.label.is_empty() && !b.label.is_empty() && a.label != b.label,
        "{} / {}",
        a.label,
        b.label
    );
    assert_eq!(b.parent, big.parent);

    // A recompute keeps both parts with their papers.
    let after = util::listed(&t, t.recompute_topics().unwrap());
    for p in [&a, &b] {
        let kept = after.iter().find(|x| x.id == p.id).expect("part kept");
        let mut got = kept.papers.clone();
        got.sort();
        let mut want = p.papers.clone();
        want.sort();
        assert_eq!(got, want);
    }

    // Undo after a refit cannot restore rows of another fit: the step is skipped, not wrong.
    let undone = t.undo().unwrap().unwrap();
    assert_eq!(undone.label, format!("Split topic “{}”", big.label));
}

#[test]
fn a_split_undoes_in_one_step() {
    let t = util::sample_library();
    let topics = util::topics_listed(&t);
    let big = leaves(&topics)
        .into_iter()
        .max_by_key(|l| l.size)
        .unwrap()
        .clone();
    let parts = t.split_topic(big.id, 3).unwrap();
    assert_eq!(parts.len(), 3);
    t.undo().unwrap().unwrap();
    let back = util::topics_listed(&t);
    assert!(
        back.iter().all(|x| !parts[1..].contains(&x.id)),
        "the new parts are gone"
    );
    let restored = back.iter().find(|x| x.id == big.id).unwrap();
    let mut got = restored.papers.clone();
    got.sort();
    let mut want = big.papers.clone();
    want.sort();
    assert_eq!(got, want);
    assert_eq!(restored.label, big.label);
}

#[test]
fn moving_several_papers_to_a_topic_is_one_undo_step() {
    let t = util::sample_library();
    let topics = util::topics_listed(&t);
    let ls = leaves(&topics);
    let (from, to) = (ls[0].clone(), ls[1].clone());
    let moved = &from.papers[..2];
    t.move_papers(moved, to.id).unwrap();
    let now = util::topics_listed(&t);
    let into = now.iter().find(|x| x.id == to.id).unwrap();
    assert!(moved.iter().all(|p| into.papers.contains(p)));
    assert_eq!(t.undo().unwrap().unwrap().label, "Move 2 papers to topic");
    let back = util::topics_listed(&t);
    let home = back.iter().find(|x| x.id == from.id).unwrap();
    assert!(
        moved.iter().all(|p| home.papers.contains(p)),
        "both back where they were"
    );
}

#[test]
fn glued_words_read_and_search_as_their_words_once_topics_are_fitted() {
    let t = util::sample_library();
    let p = t.find("2201.03533").unwrap();
    let stored = p.abstract_text.clone().unwrap();
    assert!(stored.contains("focused onshorttexts"), "{stored}");
    let finds = |q: &str| -> bool { t.search(q, 100).unwrap().hits.iter().any(|h| h.id == p.id) };
    assert_eq!(
        t.readable_abstract(p.id).unwrap(),
        None,
        "no fit, no glued words yet"
    );
    assert!(!finds("\"short texts\""));

    t.topics().unwrap();
    let shown = t
        .readable_abstract(p.id)
        .unwrap()
        .expect("glued words found");
    assert!(
        shown.contains("focused on short texts, such as sentences")
            && shown.contains("even though long texts comprise"),
        "{shown}"
    );
    assert_eq!(shown.len(), stored.len() + 4, "only spaces added: {shown}");
    assert!(finds("\"short texts\"") && finds("abstract:\"long texts\""));
    assert!(finds("onshorttexts"), "the word as written still finds it");
    // Hits and list rows show it apart too (the paper is untitled: its first sentence is its
    // title), and the snippet marks the words.
    let hit = t
        .search("\"short texts\" \"long texts\"", 5)
        .unwrap()
        .hits
        .remove(0);
    assert_eq!(hit.id, p.id);
    assert!(
        hit.title.contains("focused on short texts"),
        "{}",
        hit.title
    );
    assert!(
        hit.snippet.contains("<b>short</b> <b>texts</b>"),
        "{}",
        hit.snippet
    );
    assert!(t.rows(&[p.id]).unwrap()[0]
        .title
        .contains("even though long texts"));
    // The paper itself is as it was.
    assert_eq!(t.paper(p.id).unwrap().abstract_text.unwrap(), stored);
    // "prefix tuning” ofand we provide": a joint and a word.
    let prompt_tuning = t.find("2104.08691").unwrap();
    let shown = t
        .readable_abstract(prompt_tuning.id)
        .unwrap()
        .unwrap_or_default();
    assert!(shown.contains("“prefix tuning” of and we"), "{shown}");
}
