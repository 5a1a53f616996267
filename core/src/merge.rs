//! Merging two records of the same paper: each bibliographic field keeps its richest value.
//!
//! User fields and the citation key are never touched here, nor any field the user edited
//! (`Paper::edited`): an import fills what is empty around a user's edit, never over it.

use topica_model::{copy_field, Author, Paper};

/// Folds `incoming` into `stored`. Returns whether `stored` changed.
pub(crate) fn merge_into(stored: &mut Paper, incoming: &Paper) -> bool {
    let before = stored.clone();
    richer_opt(&mut stored.arxiv_id, &incoming.arxiv_id);
    stored.arxiv_version = max_opt(stored.arxiv_version, incoming.arxiv_version);
    richer_opt(&mut stored.doi, &incoming.doi);
    richer_text(&mut stored.title, &incoming.title);
    richer_authors(&mut stored.authors, &incoming.authors);
    richer_authors(&mut stored.editors, &incoming.editors);
    // A year from a source beats one derived from the arXiv id only when none is stored.
    if stored.year.is_none() {
        stored.year = incoming.year;
        stored.month = incoming.month;
    } else if stored.month.is_none() && stored.year == incoming.year {
        stored.month = incoming.month;
    }
    richer_text(&mut stored.abstract_text, &incoming.abstract_text);
    if incoming.categories.len() > stored.categories.len() {
        stored.categories = incoming.categories.clone();
    }
    for (field, incoming_value) in [
        (&mut stored.journal_ref, &incoming.journal_ref),
        (&mut stored.comments, &incoming.comments),
        (&mut stored.container, &incoming.container),
        (&mut stored.volume, &incoming.volume),
        (&mut stored.issue, &incoming.issue),
        (&mut stored.pages, &incoming.pages),
        (&mut stored.publisher, &incoming.publisher),
        (&mut stored.url, &incoming.url),
    ] {
        richer_text(field, incoming_value);
    }
    // A specific entry type beats the generic ones.
    let generic = |k: &Option<String>| {
        matches!(
            k.as_deref(),
            None | Some("misc") | Some("article") | Some("online")
        )
    };
    if generic(&stored.kind) && !generic(&incoming.kind) || stored.kind.is_none() {
        stored.kind = incoming.kind.clone().or(stored.kind.take());
    }
    for (k, v) in &incoming.extra {
        let entry = stored.extra.entry(k.clone()).or_default();
        if v.len() > entry.len() {
            *entry = v.clone();
        }
    }
    for field in &before.edited {
        copy_field(stored, &before, field);
    }
    *stored != before
}

fn max_opt(a: Option<u32>, b: Option<u32>) -> Option<u32> {
    match (a, b) {
        (Some(x), Some(y)) => Some(x.max(y)),
        (x, y) => x.or(y),
    }
}

fn richer_opt(stored: &mut Option<String>, incoming: &Option<String>) {
    if stored.is_none() {
        stored.clone_from(incoming);
    }
}

/// The longer text wins: a full abstract beats a truncated one, a title beats none.
fn richer_text(stored: &mut Option<String>, incoming: &Option<String>) {
    if let Some(new) = incoming.as_deref().filter(|s| !s.trim().is_empty()) {
        let old_len = stored.as_deref().map_or(0, |s| s.trim().chars().count());
        if new.trim().chars().count() > old_len {
            *stored = Some(new.to_string());
        }
    }
}

/// More authors win; at the same count, the list with more given names spelled out wins.
fn richer_authors(stored: &mut Vec<Author>, incoming: &[Author]) {
    let weight = |v: &[Author]| {
        v.iter()
            .map(|a| a.given.chars().filter(|c| c.is_alphabetic()).count())
            .sum::<usize>()
    };
    if incoming.len() > stored.len()
        || (incoming.len() == stored.len() && weight(incoming) > weight(stored))
    {
        *stored = incoming.to_vec();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edited_fields_stay_and_empty_ones_fill() {
        let mut stored = Paper {
            title: Some("Mine".into()),
            year: Some(2020),
            edited: vec!["title".into(), "year".into()],
            ..Paper::default()
        };
        let incoming = Paper {
            title: Some("A much longer title from a database".into()),
            year: Some(2019),
            volume: Some("12".into()),
            ..Paper::default()
        };
        assert!(merge_into(&mut stored, &incoming));
        assert_eq!(stored.title.as_deref(), Some("Mine"));
        assert_eq!(stored.year, Some(2020));
        assert_eq!(stored.volume.as_deref(), Some("12"));
    }

    #[test]
    fn richest_value_wins_and_user_fields_stay() {
        let mut stored = Paper {
            arxiv_id: Some("2201.12288".into()),
            arxiv_version: Some(1),
            abstract_text: Some("short".into()),
            notes: "mine".into(),
            tags: vec!["t".into()],
            ..Paper::default()
        };
        let incoming = Paper {
            arxiv_id: Some("2201.12288".into()),
            arxiv_version: Some(2),
            title: Some("A Title".into()),
            abstract_text: Some("a longer abstract".into()),
            notes: "theirs".into(),
            ..Paper::default()
        };
        assert!(merge_into(&mut stored, &incoming));
        assert_eq!(stored.arxiv_version, Some(2));
        assert_eq!(stored.title.as_deref(), Some("A Title"));
        assert_eq!(stored.abstract_text.as_deref(), Some("a longer abstract"));
        assert_eq!(stored.notes, "mine");
        assert_eq!(stored.tags, vec!["t".to_string()]);
        assert!(
            !merge_into(&mut stored, &incoming),
            "merging the same record again changes nothing"
        );
    }
}
