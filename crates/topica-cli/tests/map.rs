//! `topica-cli map` and the search facets: the window's map of papers and facets from the
//! command line, on a fresh sample library (the map fits the topics first, as the window does).

mod common;

use common::{cli, json};

#[test]
fn the_map_places_every_sample_paper_with_its_arxiv_id() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    json(&cli(d, &["import-sample", "--json"]));
    let map = json(&cli(d, &["map", "--json"]));
    let points = map["points"].as_array().unwrap();
    assert_eq!(points.len(), 94, "every sample paper has a point");
    assert!(points
        .iter()
        .all(|p| p["x"].is_f64() && p["y"].is_f64() && p["leaf"].is_i64() && p["parent"].is_i64()));
    assert!(
        points.iter().any(|p| p["arxivId"] == "1911.02150"),
        "points carry their arXiv id"
    );
    let topics = map["topics"].as_array().unwrap();
    let leaf_papers: u64 = topics
        .iter()
        .filter(|t| t["level"] == "leaf")
        .map(|t| t["papers"].as_u64().unwrap())
        .sum();
    assert_eq!(leaf_papers, 94);

    // The text form lists the topics and one line per paper.
    let out = cli(d, &["map"]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("94 papers on the map"), "{text}");
    assert!(text.lines().any(|l| l.contains("1911.02150")));
}

/// `search --facets` counts hits per leaf as the window's facets do; `--topic` narrows the hits
/// to one of them, as choosing a facet does.
#[test]
fn search_facets_count_hits_per_topic_and_topic_narrows_them() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    json(&cli(d, &["import-sample", "--json"]));
    let all = json(&cli(
        d,
        &["search", "speech", "--limit", "100", "--json", "--facets"],
    ));
    let hits = all["hits"].as_array().unwrap();
    let facets = all["facets"].as_array().unwrap();
    assert!(
        facets.len() >= 2,
        "speech papers fall in several topics: {facets:?}"
    );
    let counted: u64 = facets.iter().map(|f| f["count"].as_u64().unwrap()).sum();
    assert_eq!(counted as usize, hits.len(), "every hit is counted once");
    let first = &facets[0];
    let topic = first["topic"].as_i64().unwrap().to_string();
    let narrowed = json(&cli(
        d,
        &[
            "search", "speech", "--limit", "100", "--json", "--topic", &topic,
        ],
    ));
    let narrowed = narrowed.as_array().unwrap();
    assert_eq!(narrowed.len() as u64, first["count"].as_u64().unwrap());
    // In the order the whole search ranked them.
    let order: Vec<&serde_json::Value> = hits
        .iter()
        .filter(|h| narrowed.iter().any(|n| n["id"] == h["id"]))
        .map(|h| &h["id"])
        .collect();
    assert_eq!(order, narrowed.iter().map(|n| &n["id"]).collect::<Vec<_>>());
}
