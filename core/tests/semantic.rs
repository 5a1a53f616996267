//! Semantic mode with the real model (installed by `scripts/install-model.sh`, which the test
//! command runs first): the Rust encoder against sentence-transformers' vectors, the embedding
//! cache, semantic topics and related papers on the sample library, and a missing model.

use std::collections::BTreeMap;

use topica_core::semantic::{Encoder, EncoderOptions, ModelFolder};
use topica_core::{Error, Library, PaperEdit, TopicMode};

use crate::util;

/// The installed model; a missing one fails with the command that installs it (never a skip).
fn model() -> ModelFolder {
    let dir = topica_core::semantic::installed_model_dir();
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
    assert!(
        ids.contains(&"2110.07602"),
        "P-tuning v2 missing: {related:#?}"
    );
    for r in &related {
        let title = r.title.to_lowercase();
        for w in ["speech", "audio", "voice", "sound", "music"] {
            assert!(
                !title.contains(w),
                "a {w} paper among prefix-tuning's: {related:#?}"
            );
        }
    }
    // Papers on speech share a leaf (the sample has several).
    let speech: Vec<_> = ["2302.14748", "2212.11851"]
        .iter()
        .map(|a| t.paper_topics(t.find(a).unwrap().id).unwrap()[0].topic)
        .collect();
    assert_eq!(speech[0], speech[1]);

    // The map places every paper from the embeddings, each a finite point.
    let map = t.paper_map().unwrap();
    assert_eq!(map.points.len(), 94);
    assert!(map
        .points
        .iter()
        .all(|p| p.x.is_finite() && p.y.is_finite()));
}

#[test]
fn a_new_paper_is_embedded_and_placed_by_meaning_after_a_semantic_fit() {
    let t = semantic_sample();
    t.recompute_topics().unwrap();
    let speech_leaf = t.paper_topics(t.find("2302.14748").unwrap().id).unwrap()[0].topic;
    // Few of its words are the speech papers' own ("utterances", "talker", "denoise"), so its
    // place comes from its meaning.
    let bib = "@article{new1, title = {Cleaning up noisy recordings of talkers}, \
        abstract = {We denoise utterances recorded in reverberant rooms so that listeners and \
        recognisers understand the talker better, with a network trained on paired recordings.}, \
        year = {2024}}";
    let report = t
        .import_text("new.bib", bib, topica_core::Format::Bibtex, true)
        .unwrap();
    assert_eq!(report.added, 1, "{report:?}");
    let status = t.semantic_status().unwrap();
    assert_eq!(
        (status.embedded, status.papers),
        (95, 95),
        "the new paper is embedded"
    );
    let new = t
        .search("title:talkers", 5)
        .unwrap()
        .hits
        .first()
        .map(|h| h.id)
        .expect("the new paper is found");
    let weights = t.paper_topics(new).unwrap();
    assert_eq!(weights[0].topic, speech_leaf, "{weights:#?}");
    assert!((weights.iter().map(|w| w.weight).sum::<f32>() - 1.0).abs() < 1e-3);
}

#[test]
fn lexical_mode_is_chosen_and_semantic_without_the_model_is_a_clear_error() {
    let t = semantic_sample();
    t.set_topic_mode(Some(TopicMode::Lexical)).unwrap();
    t.recompute_topics().unwrap();
    assert_eq!(
        t.semantic_status().unwrap().embedded,
        0,
        "lexical mode embeds nothing"
    );

    let dir = tempfile::tempdir().unwrap();
    let lib = Library::open(dir.path()).unwrap();
    lib.import_sample().unwrap();
    assert_eq!(
        lib.topic_mode().unwrap(),
        TopicMode::Lexical,
        "no model folder set"
    );
    let before = lib.topics().unwrap();
    lib.set_model_dir(Some(&dir.path().join("no-model-here")));
    lib.set_topic_mode(Some(TopicMode::Semantic)).unwrap();
    match lib.recompute_topics() {
        Err(e @ Error::Semantic(_)) => {
            let msg = e.to_string();
            assert!(
                msg.contains("no-model-here") && msg.contains("config.json"),
                "{msg}"
            );
        }
        other => panic!("expected a semantic error, got {other:?}"),
    }
    assert_eq!(
        lib.topics().unwrap(),
        before,
        "a failed fit leaves the topics as they were"
    );
}

#[test]
fn a_chosen_model_folder_is_checked_and_a_bad_one_changes_nothing() {
    let t = util::sample_library();
    let good = model().dir;
    let scratch = tempfile::tempdir().unwrap();

    // An empty folder: the error names it and the first file it lacks.
    let empty = scratch.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    let e = t.use_model_dir(&empty).unwrap_err();
    assert_eq!(e.kind(), "semantic");
    let msg = e.to_string();
    assert!(
        msg.contains(&*empty.to_string_lossy()) && msg.contains("config.json"),
        "{msg}"
    );
    assert_eq!(
        t.semantic_status().unwrap().model_dir,
        None,
        "nothing was set"
    );

    // A good folder is taken.
    t.use_model_dir(&good).unwrap();
    let status = t.semantic_status().unwrap();
    assert_eq!(status.model_dir.as_deref(), Some(&*good.to_string_lossy()));
    assert!(status.model_present);

    // Every file there but one unreadable as what it should be: the error names that file, and
    // the good folder stays in use.
    let bad = scratch.path().join("bad");
    std::fs::create_dir(&bad).unwrap();
    for f in topica_core::semantic::model_files() {
        std::fs::copy(good.join(f.path), bad.join(f.path)).unwrap();
    }
    std::fs::write(bad.join("tokenizer.json"), "{ not a tokenizer").unwrap();
    let msg = t.use_model_dir(&bad).unwrap_err().to_string();
    assert!(
        msg.contains(&*bad.join("tokenizer.json").to_string_lossy()),
        "{msg}"
    );
    // An empty file (an interrupted copy) is named too.
    std::fs::write(bad.join("model.safetensors"), "").unwrap();
    let msg = t.use_model_dir(&bad).unwrap_err().to_string();
    assert!(
        msg.contains("model.safetensors") && msg.contains("empty"),
        "{msg}"
    );
    let status = t.semantic_status().unwrap();
    assert_eq!(status.model_dir.as_deref(), Some(&*good.to_string_lossy()));
    assert!(
        status.model_present,
        "the folder in use is still the good one"
    );

    // A copy of the model elsewhere works as well as the original.
    let copy = scratch.path().join("copy");
    std::fs::create_dir(&copy).unwrap();
    for f in topica_core::semantic::model_files() {
        std::fs::copy(good.join(f.path), copy.join(f.path)).unwrap();
    }
    t.use_model_dir(&copy).unwrap();
    assert_eq!(
        t.semantic_status().unwrap().model_dir.as_deref(),
        Some(&*copy.to_string_lossy())
    );
    let report = t.embed_papers(&mut |_| true).unwrap();
    assert_eq!(report.embedded, 94);
}

/// A model hub on 127.0.0.1 serving the installed model's files (honouring `Range`), with
/// `tamper` replacing a file's bytes.
fn hub(tamper: Option<(&'static str, Vec<u8>)>) -> util::http::Server {
    let dir = model().dir;
    let files: std::collections::HashMap<String, Vec<u8>> =
        ["config.json", "tokenizer.json", "model.safetensors"]
            .iter()
            .map(|f| {
                let bytes = match &tamper {
                    Some((name, b)) if name == f => b.clone(),
                    _ => std::fs::read(dir.join(f)).unwrap(),
                };
                (format!("/st/{f}"), bytes)
            })
            .collect();
    util::http::serve(move |r| match files.get(&r.target) {
        Some(b) => match r
            .range
            .strip_prefix("bytes=")
            .and_then(|s| s.strip_suffix('-'))
        {
            Some(from) => {
                let from: usize = from.parse().unwrap();
                util::http::Reply {
                    headers: vec![(
                        "Content-Range",
                        format!("bytes {from}-{}/{}", b.len() - 1, b.len()),
                    )],
                    ..util::http::Reply::bytes(206, "application/octet-stream", b[from..].to_vec())
                }
            }
            None => util::http::Reply::bytes(200, "application/octet-stream", b.clone()),
        },
        None => util::http::Reply::new(404, "text/plain", "Entry not found"),
    })
}

fn timeout() -> std::time::Duration {
    std::time::Duration::from_secs(10)
}

#[test]
fn the_model_downloads_resumes_and_is_checked() {
    let server = hub(None);
    let base = format!("{}/st", server.base);
    let dest = tempfile::tempdir().unwrap();
    // An earlier download stopped 1 MB into the weights; the config is already in place.
    let weights = std::fs::read(model().dir.join("model.safetensors")).unwrap();
    std::fs::write(
        dest.path().join("model.safetensors.part"),
        &weights[..1 << 20],
    )
    .unwrap();
    std::fs::copy(
        model().dir.join("config.json"),
        dest.path().join("config.json"),
    )
    .unwrap();
    let r = topica_core::download_model(&base, dest.path(), timeout(), &mut |_| true).unwrap();
    assert_eq!(r.present, vec!["config.json"]);
    assert_eq!(r.downloaded, vec!["tokenizer.json", "model.safetensors"]);
    assert_eq!(r.resumed, vec!["model.safetensors"]);
    let seen = server.seen();
    assert!(
        seen.iter()
            .any(|q| q.target == "/st/model.safetensors" && q.range == "bytes=1048576-"),
        "{seen:?}"
    );
    assert_eq!(
        std::fs::read(dest.path().join("model.safetensors")).unwrap(),
        weights
    );
    assert!(!dest.path().join("model.safetensors.part").exists());
    // The folder is a working model.
    let folder = ModelFolder::open(dest.path()).unwrap();
    let v = Encoder::load(&folder, EncoderOptions::default())
        .unwrap()
        .embed(&["a test"])
        .unwrap();
    assert_eq!(v[0].len(), 384);
    // A second run has nothing to do.
    let again = topica_core::download_model(&base, dest.path(), timeout(), &mut |_| true).unwrap();
    assert_eq!(
        (again.downloaded.len(), again.present.len(), again.bytes),
        (0, 3, 0)
    );
}

#[test]
fn a_cancelled_download_resumes_later() {
    let server = hub(None);
    let base = format!("{}/st", server.base);
    let dest = tempfile::tempdir().unwrap();
    let mut seen = 0;
    let r = topica_core::download_model(&base, dest.path(), timeout(), &mut |p| {
        seen += 1;
        p.done < 4 << 20 || p.total.unwrap_or(0) < 10 << 20
    });
    assert!(matches!(r, Err(Error::Cancelled)), "{r:?}");
    let part = std::fs::metadata(dest.path().join("model.safetensors.part"))
        .unwrap()
        .len();
    assert!((4 << 20..90 << 20).contains(&part), "{part}");
    assert!(!dest.path().join("model.safetensors").exists());
    let r = topica_core::download_model(&base, dest.path(), timeout(), &mut |_| true).unwrap();
    assert_eq!(r.resumed, vec!["model.safetensors"]);
    ModelFolder::open(dest.path()).unwrap();
    assert!(seen > 1);
}

#[test]
fn a_wrong_file_a_rate_limit_and_a_silent_hub_install_nothing() {
    let dest = tempfile::tempdir().unwrap();
    let server = hub(Some((
        "tokenizer.json",
        b"{\"not\": \"the tokenizer\"}".to_vec(),
    )));
    let base = format!("{}/st", server.base);
    let e = topica_core::download_model(&base, dest.path(), timeout(), &mut |_| true).unwrap_err();
    let msg = e.to_string();
    assert!(
        msg.contains("tokenizer.json") && msg.contains("not the model's file"),
        "{msg}"
    );
    assert!(!dest.path().join("tokenizer.json").exists());
    assert!(!dest.path().join("tokenizer.json.part").exists());

    let limited = util::http::serve(|_| util::http::Reply {
        headers: vec![("Retry-After", "60".into())],
        ..util::http::Reply::new(429, "text/plain", "slow down")
    });
    let e = topica_core::download_model(&limited.base, dest.path(), timeout(), &mut |_| true)
        .unwrap_err()
        .to_string();
    assert!(e.contains("limiting requests; try again in 60 s"), "{e}");

    let silent = util::http::serve(|_| util::http::Reply {
        delay: std::time::Duration::from_secs(3),
        ..util::http::Reply::new(200, "text/plain", "late")
    });
    let e = topica_core::download_model(
        &silent.base,
        dest.path(),
        std::time::Duration::from_secs(1),
        &mut |_| true,
    )
    .unwrap_err()
    .to_string();
    assert!(e.contains("did not answer in time"), "{e}");
    assert!(
        ModelFolder::open(dest.path()).is_err(),
        "no model was installed"
    );
}
