//! Semantic mode with the real model (installed by `scripts/install-model.sh`, which the test
//! command runs first): the Rust encoder against sentence-transformers' vectors, the embedding
//! cache, semantic topics and related papers on the sample library, and a missing model.

use std::collections::BTreeMap;

use topica_core::semantic::{default_model_dir, Encoder, EncoderOptions, ModelFolder};
use topica_core::{Error, Library, PaperEdit, TopicMode};

use crate::util;

/// The installed model; a missing one fails with the command that installs it (never a skip).
fn model() -> ModelFolder {
    let dir = default_model_dir();
    ModelFolder::open(&dir).unwrap_or_else(|e| {
        panic!("{e}: run scripts/install-model.sh (the README's test command does)")
    })
}

fn semantic_sample() -> util::TestLibrary {
    let t = util::sample_library();
    t.set_model_dir(Some(&model().dir));
    t
}

#[test]
fn the_rust_encoder_matches_sentence_transformers() {
    let reference: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(util::fixture("semantic/reference-embeddings.json")).unwrap(),
    )
    .unwrap();
    let items = reference["items"].as_array().unwrap();
    let texts: Vec<&str> = items.iter().map(|i| i["text"].as_str().unwrap()).collect();
    let encoder = Encoder::load(&model(), EncoderOptions::default()).unwrap();
    let ours = encoder.embed(&texts).unwrap();
    for (item, v) in items.iter().zip(&ours) {
        let want: Vec<f32> = item["vector"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_f64().unwrap() as f32)
            .collect();
        assert_eq!(v.len(), 384);
        let cos: f32 = v.iter().zip(&want).map(|(a, b)| a * b).sum();
        assert!(cos >= 0.999, "cosine {cos} for {:?}", item["text"]);
    }
    // Different texts stay apart (a constant vector would pass the check above for neither).
    let cross: f32 = ours[0].iter().zip(&ours[1]).map(|(a, b)| a * b).sum();
    assert!(cross < 0.5, "{cross}");
}

#[test]
fn embeddings_are_cached_and_redone_only_for_edited_papers() {
    let t = semantic_sample();
    let first = t.embed_papers(&mut |_| true).unwrap();
    assert_eq!((first.embedded, first.cached), (94, 0));
    let again = t.embed_papers(&mut |_| true).unwrap();
    assert_eq!((again.embedded, again.cached), (0, 94));
    let p = t.find("2101.00190").unwrap();
    t.update_paper(
        p.id,
        &PaperEdit {
            fields: BTreeMap::from([("abstract".to_string(), "A new abstract.".to_string())]),
            authors: None,
        },
    )
    .unwrap();
    let after_edit = t.embed_papers(&mut |_| true).unwrap();
    assert_eq!((after_edit.embedded, after_edit.cached), (1, 93));
    assert_eq!(t.semantic_status().unwrap().embedded, 94);
}

#[test]
fn a_cancelled_embedding_keeps_the_steps_it_finished() {
    let t = semantic_sample();
    let mut calls = 0;
    let r = t
        .embed_papers(&mut |p| {
            calls += 1;
            p.done == 0
        })
        .unwrap();
    assert!(r.cancelled);
    assert_eq!(calls, 2, "one call before the first step, one after it");
    assert_eq!(r.embedded, 64);
    assert_eq!(t.semantic_status().unwrap().embedded, 64);
    let rest = t.embed_papers(&mut |_| true).unwrap();
    assert_eq!((rest.embedded, rest.cached), (30, 64));
}

#[test]
fn semantic_topics_and_related_papers_on_the_sample_library() {
    let t = semantic_sample();
    assert_eq!(t.topic_mode().unwrap(), TopicMode::Semantic);
    let topics = t.recompute_topics().unwrap();
    let leaves: Vec<_> = topics.iter().filter(|t| t.level == "leaf").collect();
    assert!(leaves.len() >= 4, "{topics:#?}");
    let status = t.semantic_status().unwrap();
    assert_eq!((status.embedded, status.papers), (94, 94));

    // Prefix-tuning's neighbours are the other prompt-tuning papers, not speech papers.
    let prefix = t.find("2101.00190").unwrap();
    let related = t.related(prefix.id, 5).unwrap();
    let ids: Vec<&str> = related
        .iter()
        .filter_map(|r| r.arxiv_id.as_deref())
        .collect();
    assert!(ids.contains(&"2110.07602"), "P-tuning v2 missing: {related:#?}");
    for r in &related {
        let title = r.title.to_lowercase();
        for w in ["speech", "audio", "voice", "sound", "music"] {
            assert!(!title.contains(w), "a {w} paper among prefix-tuning's: {related:#?}");
        }
    }
    // Papers on speech share a leaf (the sample has several).
    let speech: Vec<_> = ["2302.14748", "2212.11851"]
        .iter()
        .map(|a| t.paper_topics(t.find(a).unwrap().id).unwrap()[0].topic)
        .collect();
    assert_eq!(speech[0], speech[1]);
}

#[test]
fn lexical_mode_is_chosen_and_semantic_without_the_model_is_a_clear_error() {
    let t = semantic_sample();
    t.set_topic_mode(Some(TopicMode::Lexical)).unwrap();
    t.recompute_topics().unwrap();
    assert_eq!(t.semantic_status().unwrap().embedded, 0, "lexical mode embeds nothing");

    let dir = tempfile::tempdir().unwrap();
    let lib = Library::open(dir.path()).unwrap();
    lib.import_sample().unwrap();
    assert_eq!(lib.topic_mode().unwrap(), TopicMode::Lexical, "no model folder set");
    let before = lib.topics().unwrap();
    lib.set_model_dir(Some(&dir.path().join("no-model-here")));
    lib.set_topic_mode(Some(TopicMode::Semantic)).unwrap();
    match lib.recompute_topics() {
        Err(e @ Error::Semantic(_)) => {
            let msg = e.to_string();
            assert!(msg.contains("no-model-here") && msg.contains("config.json"), "{msg}");
        }
        other => panic!("expected a semantic error, got {other:?}"),
    }
    assert_eq!(lib.topics().unwrap(), before, "a failed fit leaves the topics as they were");
}
