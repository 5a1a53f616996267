//! `topica-cli map`: the window's map of papers from the command line, on a fresh sample library
//! (the map fits the topics first, as the window does).

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
