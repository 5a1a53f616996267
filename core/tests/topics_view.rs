//! The topic browser's reads over the sample library: a topic's papers in list order, papers per
//! year per topic, and the topic map.

use std::collections::HashSet;

use topica_core::SortBy;

use crate::util::sample_library;

#[test]
fn a_fresh_sample_has_no_topics_until_asked_then_every_paper_has_one() {
    let lib = sample_library();
    assert!(!lib.has_topics().unwrap());
    let topics = lib.topics().unwrap();
    assert!(lib.has_topics().unwrap());

    let leaves: Vec<_> = topics.iter().filter(|t| t.parent.is_some()).collect();
    let mut seen = HashSet::new();
    for leaf in &leaves {
        let ids = lib.topic_paper_ids(leaf.id, SortBy::Year).unwrap();
        assert_eq!(
            ids.len(),
            leaf.size,
            "topic {} lists its papers",
            leaf.label
        );
        let members: HashSet<i64> = leaf.papers.iter().copied().collect();
        assert!(ids.iter().all(|id| members.contains(id)));
        // In the list's year order (newest first, undated last).
        let years: Vec<i32> = lib
            .rows(&ids)
            .unwrap()
            .iter()
            .map(|r| r.year.unwrap_or(i32::MIN))
            .collect();
        assert!(years.windows(2).all(|w| w[0] >= w[1]), "{years:?}");
        seen.extend(ids);
    }
    assert_eq!(seen.len(), 94, "every sample paper is in exactly one leaf");

    // A parent lists its leaves' papers together.
    let parent = topics.iter().find(|t| t.parent.is_none()).unwrap();
    let ids = lib.topic_paper_ids(parent.id, SortBy::Added).unwrap();
    assert_eq!(ids.len(), parent.size);
    assert!(lib.topic_paper_ids(-1, SortBy::Added).unwrap().is_empty());
}

#[test]
fn papers_per_year_add_up_per_topic_and_parent() {
    let lib = sample_library();
    let topics = lib.topics().unwrap();
    let years = lib.topic_years().unwrap();
    let with_year = lib
        .rows(
            &lib.list_ids(&topica_core::View::All, SortBy::Added)
                .unwrap(),
        )
        .unwrap()
        .iter()
        .filter(|r| r.year.is_some())
        .count();
    let leaf_ids: HashSet<i64> = topics
        .iter()
        .filter(|t| t.parent.is_some())
        .map(|t| t.id)
        .collect();
    let leaf_total: usize = years
        .iter()
        .filter(|y| leaf_ids.contains(&y.topic))
        .map(|y| y.papers)
        .sum();
    assert_eq!(leaf_total, with_year);
    for t in &topics {
        let n: usize = years
            .iter()
            .filter(|y| y.topic == t.id)
            .map(|y| y.papers)
            .sum();
        assert!(n <= t.size, "{}: {n} dated papers of {}", t.label, t.size);
    }
    let parent_total: usize = years
        .iter()
        .filter(|y| !leaf_ids.contains(&y.topic))
        .map(|y| y.papers)
        .sum();
    assert_eq!(
        parent_total, with_year,
        "each parent counts its leaves' papers"
    );
}

#[test]
fn the_map_places_every_leaf_once() {
    let lib = sample_library();
    assert!(
        lib.topic_map().unwrap().is_empty(),
        "no map before the first fit"
    );
    let topics = lib.topics().unwrap();
    let map = lib.topic_map().unwrap();
    let leaves: HashSet<i64> = topics
        .iter()
        .filter(|t| t.parent.is_some())
        .map(|t| t.id)
        .collect();
    assert_eq!(map.iter().map(|p| p.topic).collect::<HashSet<_>>(), leaves);
    assert!(map.iter().all(|p| p.x.abs() <= 1.0 && p.y.abs() <= 1.0));
    // Not all on one spot.
    assert!(map
        .iter()
        .any(|p| (p.x - map[0].x).abs() + (p.y - map[0].y).abs() > 0.1));
    assert_eq!(map, lib.topic_map().unwrap());
}
