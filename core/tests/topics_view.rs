//! The topic browser's reads over the sample library: a topic's papers in list order, papers per
//! year per topic, and the paper map.

use std::collections::{HashMap, HashSet};

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
        let members: HashSet<i64> = lib.topic_members(leaf.id).unwrap().into_iter().collect();
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

    // A search narrowed to a topic (the app's facet) keeps the hits listed under it, in order.
    let all = lib
        .list_ids(&topica_core::View::All, SortBy::Title)
        .unwrap();
    let leaf = leaves[0];
    let members: HashSet<i64> = lib.topic_members(leaf.id).unwrap().into_iter().collect();
    let want: Vec<i64> = all
        .iter()
        .copied()
        .filter(|id| members.contains(id))
        .collect();
    assert_eq!(lib.in_topic(&all, leaf.id).unwrap(), want);
    assert_eq!(lib.in_topic(&all, parent.id).unwrap().len(), parent.size);
    assert!(lib.in_topic(&all, -1).unwrap().is_empty());
}

#[test]
fn papers_per_year_add_up_per_topic_and_parent() {
    let lib = sample_library();
    let topics = lib.topics().unwrap();
    let years: Vec<topica_core::TopicYear> = topics
        .iter()
        .flat_map(|t| lib.topic_years(t.id).unwrap())
        .collect();
    assert!(
        years
            .windows(2)
            .all(|w| w[0].topic != w[1].topic || w[0].year < w[1].year),
        "oldest year first, each year once: {years:?}"
    );
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
    assert!(lib.topic_years(-1).unwrap().is_empty(), "no such topic");
}

#[test]
fn the_paper_map_places_every_paper_once_near_its_leaf() {
    let lib = sample_library();
    let empty = lib.paper_map().unwrap();
    assert!(
        empty.points.is_empty() && empty.topics.is_empty(),
        "no map before the first fit"
    );
    let topics = lib.topics().unwrap();
    let map = lib.paper_map().unwrap();

    // Every paper with a topic has exactly one point, under the leaf that lists it.
    let leaf_of: HashMap<i64, i64> = topics
        .iter()
        .filter(|t| t.parent.is_some())
        .flat_map(|t| {
            lib.topic_members(t.id)
                .unwrap()
                .into_iter()
                .map(move |p| (p, t.id))
        })
        .collect();
    assert_eq!(map.points.len(), leaf_of.len());
    assert_eq!(map.points.len(), 94);
    for p in &map.points {
        assert_eq!(leaf_of.get(&p.id), Some(&p.leaf), "paper {}", p.id);
        let leaf = topics.iter().find(|t| t.id == p.leaf).unwrap();
        assert_eq!(Some(p.parent), leaf.parent);
        assert!(p.x.is_finite() && p.y.is_finite());
    }
    let ids: HashSet<i64> = map.points.iter().map(|p| p.id).collect();
    assert_eq!(ids.len(), map.points.len(), "one point per paper");

    // A label per topic with papers, at the mean of its papers, counting them.
    for t in topics.iter().filter(|t| t.size > 0) {
        let label = map.topics.iter().find(|m| m.topic == t.id).unwrap();
        assert_eq!(label.papers, t.size, "{}", t.label);
        assert_eq!(label.label, t.label);
        assert_eq!(label.level, t.level);
        let own: Vec<_> = map
            .points
            .iter()
            .filter(|p| p.leaf == t.id || p.parent == t.id)
            .collect();
        let mx = own.iter().map(|p| p.x).sum::<f32>() / own.len() as f32;
        assert!(
            (mx - label.x).abs() < 1e-3,
            "{}: {mx} vs {}",
            t.label,
            label.x
        );
    }

    // On average a leaf's papers lie nearer their own leaf's centre than other leaves' centres.
    let leaves: Vec<_> = map.topics.iter().filter(|t| t.level == "leaf").collect();
    assert!(leaves.len() >= 2);
    let dist =
        |p: &topica_core::PaperPoint, t: &topica_core::MapTopic| (p.x - t.x).hypot(p.y - t.y);
    for leaf in &leaves {
        let own: Vec<_> = map.points.iter().filter(|p| p.leaf == leaf.topic).collect();
        let to_own = own.iter().map(|p| dist(p, leaf)).sum::<f32>() / own.len() as f32;
        for other in leaves.iter().filter(|o| o.topic != leaf.topic) {
            let to_other = own.iter().map(|p| dist(p, other)).sum::<f32>() / own.len() as f32;
            assert!(
                to_own < to_other,
                "{}: {to_own} from its centre, {to_other} from {}'s",
                leaf.label,
                other.label
            );
        }
    }
    assert_eq!(map, lib.paper_map().unwrap(), "deterministic");

    // A paper in the trash leaves the map; restored, it comes back to the same place.
    let gone = map.points[0].id;
    lib.trash(&[gone]).unwrap();
    assert!(lib.paper_map().unwrap().points.iter().all(|p| p.id != gone));
    lib.restore(&[gone]).unwrap();
    assert_eq!(lib.paper_map().unwrap(), map);
}
