//! Tags, searched from memory beside the index rather than from its documents.
//!
//! A tag was a field of each paper's document, so tagging 10,000 papers re-indexed 10,000 whole
//! documents (their abstracts tokenised again): 0.6–0.75 s at 100k papers. Here a tag change
//! is a map update. `tag:` and plain words find papers by tag through these postings, as a set
//! of paper ids the query matches at a constant score.
//!
//! The engine loads the map from its database when it opens a library (tags are user data, the
//! database is their source of truth) and sets each changed paper's tags with its change;
//! changes are staged and become visible with the index's commit, or are dropped with its
//! rollback, like documents.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use tantivy::tokenizer::TextAnalyzer;

/// Committed postings and the changes staged since the last commit.
pub(crate) struct TagPostings {
    analyzer: TextAnalyzer,
    /// Each tagged paper's tags, as tokens per tag (for phrases).
    by_paper: HashMap<u64, Vec<Vec<String>>>,
    /// Papers by token, for words and prefixes (ordered, so a prefix is a range).
    by_token: BTreeMap<String, BTreeSet<u64>>,
    /// Papers whose tags changed since the last commit, with their tags (`None`: gone).
    staged: Vec<(u64, Option<Vec<String>>)>,
}

impl TagPostings {
    pub(crate) fn new(analyzer: TextAnalyzer) -> TagPostings {
        TagPostings {
            analyzer,
            by_paper: HashMap::new(),
            by_token: BTreeMap::new(),
            staged: Vec::new(),
        }
    }

    fn tokens(&mut self, text: &str) -> Vec<String> {
        let mut stream = self.analyzer.token_stream(text);
        let mut out = Vec::new();
        while stream.advance() {
            out.push(stream.token().text.clone());
        }
        out
    }

    /// Stages a paper's tags (all of them); empty or `None` takes the paper out.
    pub(crate) fn stage(&mut self, paper: u64, tags: Option<Vec<String>>) {
        self.staged.push((paper, tags));
    }

    /// Drops what was staged.
    pub(crate) fn rollback(&mut self) {
        self.staged.clear();
    }

    /// Makes what was staged visible.
    pub(crate) fn commit(&mut self) {
        for (paper, tags) in std::mem::take(&mut self.staged) {
            self.set(paper, tags.as_deref().unwrap_or_default());
        }
    }

    /// Replaces everything with `all` (paper, its tags), committed at once: a library opened,
    /// or the index rebuilt.
    pub(crate) fn load(&mut self, all: impl IntoIterator<Item = (u64, Vec<String>)>) {
        self.staged.clear();
        self.by_paper.clear();
        self.by_token.clear();
        for (paper, tags) in all {
            self.set(paper, &tags);
        }
    }

    fn set(&mut self, paper: u64, tags: &[String]) {
        if let Some(old) = self.by_paper.remove(&paper) {
            for token in old.iter().flatten() {
                if let Some(set) = self.by_token.get_mut(token) {
                    set.remove(&paper);
                    if set.is_empty() {
                        self.by_token.remove(token);
                    }
                }
            }
        }
        let tokenised: Vec<Vec<String>> = tags.iter().map(|t| self.tokens(t)).collect();
        if tokenised.iter().all(Vec::is_empty) {
            return;
        }
        for token in tokenised.iter().flatten() {
            self.by_token
                .entry(token.clone())
                .or_default()
                .insert(paper);
        }
        self.by_paper.insert(paper, tokenised);
    }

    /// Papers with a tag holding this word (analysed as tags are: folded, lower case).
    pub(crate) fn word(&mut self, word: &str) -> Vec<u64> {
        let tokens = self.tokens(word);
        match tokens.as_slice() {
            [] => Vec::new(),
            [one] => self
                .by_token
                .get(one)
                .map(|s| s.iter().copied().collect())
                .unwrap_or_default(),
            // "state-of-the-art" is several tokens: a phrase inside one tag.
            _ => self.phrase_tokens(&tokens),
        }
    }

    /// Papers with a tag holding these words in this order.
    pub(crate) fn phrase(&mut self, phrase: &str) -> Vec<u64> {
        let tokens = self.tokens(phrase);
        self.phrase_tokens(&tokens)
    }

    fn phrase_tokens(&self, tokens: &[String]) -> Vec<u64> {
        let Some(first) = tokens.first().and_then(|t| self.by_token.get(t)) else {
            return Vec::new();
        };
        first
            .iter()
            .copied()
            .filter(|p| {
                self.by_paper.get(p).is_some_and(|tags| {
                    tags.iter()
                        .any(|t| t.windows(tokens.len()).any(|w| w == tokens))
                })
            })
            .collect()
    }

    /// Papers with a tag word starting with `prefix` (already folded and lower-cased).
    pub(crate) fn prefix(&self, prefix: &str) -> Vec<u64> {
        let mut out = BTreeSet::new();
        for (token, papers) in self.by_token.range(prefix.to_string()..) {
            if !token.starts_with(prefix) {
                break;
            }
            out.extend(papers);
        }
        out.into_iter().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn postings() -> TagPostings {
        let index = tantivy::Index::create_in_ram(crate::schema::build());
        crate::schema::register_tokenizers(&index);
        TagPostings::new(index.tokenizers().get(crate::schema::NAMES).unwrap())
    }

    #[test]
    fn words_phrases_and_prefixes_find_tagged_papers_once_committed() {
        let mut t = postings();
        t.stage(1, Some(vec!["To Read".into(), "Thèse".into()]));
        t.stage(2, Some(vec!["read later".into()]));
        assert!(
            t.word("read").is_empty(),
            "staged changes are not visible yet"
        );
        t.commit();
        assert_eq!(t.word("read"), [1, 2]);
        assert_eq!(t.word("these"), [1], "folded like the index folds names");
        assert_eq!(t.phrase("to read"), [1]);
        assert_eq!(t.phrase("read to"), Vec::<u64>::new());
        assert_eq!(t.prefix("rea"), [1, 2]);
        t.stage(1, None);
        t.rollback();
        t.commit();
        assert_eq!(t.word("read"), [1, 2], "a rollback drops the staged change");
        t.stage(1, Some(vec![]));
        t.commit();
        assert_eq!(t.word("read"), [2]);
        assert_eq!(
            t.prefix("th"),
            Vec::<u64>::new(),
            "no token of a paper without tags stays"
        );
        t.load([(7, vec!["x".to_string()])]);
        assert_eq!((t.word("read"), t.word("x")), (vec![], vec![7]));
    }
}
