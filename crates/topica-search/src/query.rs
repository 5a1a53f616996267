//! The query language: words, `"phrases"`, `prefix*`, `-excluded`, `OR`, and fields
//! `title:` `abstract:` `author:` `year:2021` `year:2019..2022` `tag:` `id:` `notes:` `topic:`
//! `fulltext:`.
//!
//! Parsing is separate from tantivy so errors can say where the query went wrong.

use std::cell::Cell;
use std::collections::{HashMap, HashSet};
use std::ops::Bound;

use tantivy::query::{
    BooleanQuery, BoostQuery, DisjunctionMaxQuery, EmptyQuery, FuzzyTermQuery, Occur, PhraseQuery,
    Query, RangeQuery, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{Index, Searcher, Term};

use super::in_part::{InPart, Part};
use super::phrase_words::PhraseWords;
use super::schema::{Fields, NAMES, PROSE};
use super::seeking_sum::SeekingSum;
use crate::{Error, Result};
use topica_model::ArxivId;

/// Which part of a paper a clause looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// Title, abstract, authors, notes and tags.
    Any,
    Title,
    Abstract,
    Author,
    Notes,
    Tag,
    Topic,
    Id,
    Year,
    /// The text of the paper's attached files.
    Fulltext,
}

impl Target {
    fn from_name(name: &str) -> Option<Target> {
        Some(match name.to_ascii_lowercase().as_str() {
            "title" | "ti" => Target::Title,
            "abstract" | "abs" => Target::Abstract,
            "author" | "au" | "authors" => Target::Author,
            "notes" | "note" => Target::Notes,
            "tag" | "tags" => Target::Tag,
            "topic" => Target::Topic,
            "id" | "arxiv" => Target::Id,
            "year" => Target::Year,
            "fulltext" | "full" | "text" | "pdf" => Target::Fulltext,
            _ => return None,
        })
    }
}

/// What a clause matches.
#[derive(Debug, Clone, PartialEq)]
pub enum Matcher {
    Word(String),
    Prefix(String),
    Phrase(String),
    Years(Option<i32>, Option<i32>),
}

/// One clause of a query.
#[derive(Debug, Clone, PartialEq)]
pub struct Clause {
    pub target: Target,
    pub matcher: Matcher,
    pub negated: bool,
}

/// A parsed query: OR-groups of AND-ed clauses.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ParsedQuery {
    pub groups: Vec<Vec<Clause>>,
}

/// The longest query accepted, in characters: a pasted page of text is not a query, and one of
/// 100,000 characters took seconds to run.
pub const MAX_QUERY_CHARS: usize = 1_000;

/// Parses the engine's query syntax. Errors carry the 0-based character position.
pub fn parse(input: &str) -> Result<ParsedQuery> {
    let chars: Vec<char> = input.chars().collect();
    let mut groups: Vec<Vec<Clause>> = vec![Vec::new()];
    let mut i = 0;
    let err = |position: usize, reason: &str| Error::InvalidQuery {
        position,
        reason: reason.to_string(),
    };
    if chars.len() > MAX_QUERY_CHARS {
        return Err(err(
            MAX_QUERY_CHARS,
            &format!(
                "the query is {} characters long; the limit is {MAX_QUERY_CHARS}",
                chars.len()
            ),
        ));
    }
    // Terms with no letter or digit (`&`, `—`) are left out, as the index holds none; where
    // the first one was, if nothing else is left to search for.
    let mut only_punctuation: Option<usize> = None;
    while i < chars.len() {
        if chars[i].is_whitespace() {
            i += 1;
            continue;
        }
        let start = i;
        let mut negated = false;
        if chars[i] == '-' || chars[i] == '+' {
            negated = chars[i] == '-';
            i += 1;
            if i >= chars.len() || chars[i].is_whitespace() {
                return Err(err(start, "a `-` or `+` must be followed by a term"));
            }
        }
        // field name?
        let mut target = Target::Any;
        let word_end = (i..chars.len())
            .find(|&j| chars[j].is_whitespace() || chars[j] == '"')
            .unwrap_or(chars.len());
        if let Some(colon) = (i..word_end).find(|&j| chars[j] == ':') {
            let name: String = chars[i..colon].iter().collect();
            if !name.is_empty() && name.chars().all(|c| c.is_ascii_alphabetic()) {
                target = Target::from_name(&name).ok_or_else(|| {
                    err(i, &format!("unknown field `{name}:`; fields are title, abstract, author, year, tag, topic, id, notes"))
                })?;
                i = colon + 1;
                if i >= chars.len() || chars[i].is_whitespace() {
                    return Err(err(colon, &format!("`{name}:` needs a value")));
                }
            }
        }
        let matcher = if chars[i] == '"' {
            let close = (i + 1..chars.len())
                .find(|&j| chars[j] == '"')
                .ok_or_else(|| err(i, "unclosed quote"))?;
            let phrase: String = chars[i + 1..close].iter().collect();
            i = close + 1;
            if phrase.trim().is_empty() {
                return Err(err(start, "empty phrase"));
            }
            Matcher::Phrase(phrase)
        } else {
            let end = (i..chars.len())
                .find(|&j| chars[j].is_whitespace())
                .unwrap_or(chars.len());
            let word: String = chars[i..end].iter().collect();
            let value_start = i;
            i = end;
            if word == "OR" && target == Target::Any && !negated {
                if groups.last().is_none_or(Vec::is_empty) {
                    return Err(err(start, "`OR` needs a term on each side"));
                }
                groups.push(Vec::new());
                continue;
            }
            if word == "AND" && target == Target::Any && !negated {
                continue;
            }
            if target == Target::Year {
                let years = parse_years(&word).ok_or_else(|| {
                    err(
                        value_start,
                        "a year is `2021`, `2019..2022`, `2019..` or `..2022`",
                    )
                })?;
                if let Matcher::Years(Some(lo), Some(hi)) = years {
                    if lo > hi {
                        return Err(err(
                            value_start,
                            &format!(
                                "the years {lo}..{hi} run backwards; did you mean {hi}..{lo}?"
                            ),
                        ));
                    }
                }
                years
            } else if let Some(stem) = word.strip_suffix('*') {
                if stem.is_empty() || stem.contains('*') {
                    return Err(err(value_start, "a prefix needs letters before `*`"));
                }
                Matcher::Prefix(stem.to_string())
            } else if let Some(star) = word.find('*') {
                let at = value_start + word[..star].chars().count();
                return Err(err(
                    at,
                    "`*` only ends a word (a prefix search, as in `optim*`)",
                ));
            } else if !word.chars().any(char::is_alphanumeric) {
                only_punctuation.get_or_insert(value_start);
                continue;
            } else if word.contains('"') {
                return Err(err(value_start, "unexpected quote"));
            } else {
                Matcher::Word(word)
            }
        };
        if target == Target::Year && !matches!(matcher, Matcher::Years(..)) {
            return Err(err(
                start,
                "a year is `2021`, `2019..2022`, `2019..` or `..2022`",
            ));
        }
        groups.last_mut().expect("one group").push(Clause {
            target,
            matcher,
            negated,
        });
    }
    if groups.last().is_some_and(Vec::is_empty) && groups.len() > 1 {
        return Err(err(chars.len(), "`OR` needs a term on each side"));
    }
    groups.retain(|g| !g.is_empty());
    if let (true, Some(at)) = (groups.is_empty(), only_punctuation) {
        return Err(err(
            at,
            "nothing to search for: a term needs a letter or a digit",
        ));
    }
    if groups.iter().any(|g| g.iter().all(|c| c.negated)) {
        return Err(err(
            0,
            "a query needs at least one term that is not excluded",
        ));
    }
    Ok(ParsedQuery { groups })
}

fn parse_years(s: &str) -> Option<Matcher> {
    let year = |t: &str| -> Option<Option<i32>> {
        if t.is_empty() {
            return Some(None);
        }
        let y: i32 = t.parse().ok()?;
        (1000..=9999).contains(&y).then_some(Some(y))
    };
    if let Some((a, b)) = s.split_once("..") {
        let (lo, hi) = (year(a)?, year(b)?);
        if lo.is_none() && hi.is_none() {
            return None;
        }
        return Some(Matcher::Years(lo, hi));
    }
    let y = year(s)??;
    Some(Matcher::Years(Some(y), Some(y)))
}

impl ParsedQuery {
    /// True when typo tolerance could help: some clause is a plain word.
    pub fn has_plain_terms(&self) -> bool {
        self.groups
            .iter()
            .flatten()
            .any(|c| !c.negated && matches!(c.matcher, Matcher::Word(_)))
    }

    /// Whether some clause looks in full text alone (`fulltext:`).
    pub fn targets_fulltext(&self) -> bool {
        self.groups
            .iter()
            .flatten()
            .any(|c| !c.negated && c.target == Target::Fulltext)
    }

    /// The quoted phrases the query looks for in abstracts (for snippets).
    pub(crate) fn phrases(&self) -> Vec<String> {
        self.groups
            .iter()
            .flatten()
            .filter(|c| !c.negated && matches!(c.target, Target::Any | Target::Abstract))
            .filter_map(|c| match &c.matcher {
                Matcher::Phrase(p) => Some(p.split_whitespace().collect::<Vec<_>>().join(" ")),
                _ => None,
            })
            .collect()
    }

    /// Builds the tantivy query against `searcher`'s term statistics: a plain word that occurs
    /// nowhere is replaced by the indexed words within edit distance 1–2 (sets `cx.fuzzy_used`).
    pub(crate) fn to_tantivy(&self, cx: &Ctx<'_>) -> Result<Box<dyn Query>> {
        if self.groups.is_empty() {
            return Ok(Box::new(EmptyQuery));
        }
        let mut groups: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for g in &self.groups {
            let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
            for c in g {
                let q = clause_query(c, cx)?;
                clauses.push((
                    if c.negated {
                        Occur::MustNot
                    } else {
                        Occur::Must
                    },
                    q,
                ));
            }
            groups.push((Occur::Should, Box::new(BooleanQuery::new(clauses))));
        }
        if groups.len() == 1 {
            return Ok(groups.pop().expect("one group").1);
        }
        Ok(Box::new(BooleanQuery::new(groups)))
    }
}

/// What a query is built against: the fields and the current searcher's statistics.
pub(crate) struct Ctx<'a> {
    pub f: &'a Fields,
    pub searcher: &'a Searcher,
    /// Set when some word was replaced by its typo-tolerant neighbours.
    pub fuzzy_used: Cell<bool>,
    /// Papers by tag: tags are searched from memory, not from the documents.
    pub tags: &'a std::sync::Mutex<crate::tags::TagPostings>,
}

/// A searched field: its analyzer and its weight in an all-fields query.
#[derive(Clone, Copy)]
struct Searched {
    field: Field,
    analyzer: &'static str,
    boost: f32,
    /// Only the title's or the abstract's part of the field (`words`): see `in_part`.
    part: Option<Part>,
}

impl Ctx<'_> {
    fn index(&self) -> &Index {
        self.searcher.index()
    }

    /// The fields a text target searches.
    fn searched(&self, target: Target) -> Vec<Searched> {
        let f = self.f;
        let s = |field, analyzer, boost| Searched {
            field,
            analyzer,
            boost,
            part: None,
        };
        let words_part = |part| Searched {
            part: Some(part),
            ..s(f.words, PROSE, 1.0)
        };
        match target {
            Target::Any => vec![
                // Title (twice), notes, topic labels, abstract and glued words' words ("on short
                // texts" for "onshorttexts"): one field (`schema::build`).
                s(f.words, PROSE, 1.0),
                s(f.authors, NAMES, 1.5),
                // Full text ranks below a match in the title or abstract: a paper that only
                // mentions a word in passing, among thousands of others, is a weaker match.
                s(f.fulltext, PROSE, 0.3),
            ],
            Target::Fulltext => vec![s(f.fulltext, PROSE, 1.0)],
            Target::Title => vec![words_part(Part::Title)],
            Target::Abstract => vec![words_part(Part::Abstract)],
            Target::Author => vec![s(f.authors, NAMES, 1.0)],
            Target::Notes => vec![s(f.notes, PROSE, 1.0)],
            // Tags are matched from memory (`tag_matches`), not from a field.
            Target::Tag => Vec::new(),
            Target::Topic => vec![s(f.topic, PROSE, 1.0)],
            Target::Id | Target::Year => Vec::new(),
        }
    }

    /// The unstemmed dictionaries typo tolerance draws neighbours from, for a target.
    fn lexicons(&self, target: Target) -> Vec<Field> {
        let f = self.f;
        match target {
            Target::Any => vec![f.lexicon, f.authors],
            Target::Title | Target::Abstract | Target::Notes => vec![f.lexicon],
            Target::Author => vec![f.authors],
            Target::Tag | Target::Topic | Target::Id | Target::Year | Target::Fulltext => {
                Vec::new()
            }
        }
    }

    /// The papers a clause finds by tag (`tag:` and plain words search tags), as a query on
    /// their ids at a constant score; `None` when the target does not search tags.
    fn tag_matches(&self, target: Target, matcher: &Matcher) -> Option<Vec<u64>> {
        if !matches!(target, Target::Any | Target::Tag) {
            return None;
        }
        let mut tags = self.tags.lock().expect("tags lock");
        Some(match matcher {
            Matcher::Word(w) => tags.word(w),
            Matcher::Phrase(p) => tags.phrase(p),
            Matcher::Prefix(p) => tags.prefix(&analyze(self.index(), NAMES, p).join("")),
            Matcher::Years(..) => Vec::new(),
        })
    }

    fn ids_query(&self, ids: &[u64]) -> Box<dyn Query> {
        if ids.is_empty() {
            return Box::new(EmptyQuery);
        }
        let terms = ids
            .iter()
            .map(|&id| Term::from_field_u64(self.f.paper_id, id));
        Box::new(tantivy::query::ConstScoreQuery::new(
            Box::new(tantivy::query::TermSetQuery::new(terms)),
            1.0,
        ))
    }

    /// How many documents contain `word` in any of `fields`.
    fn doc_freq(&self, fields: &[Searched], word: &str) -> Result<u64> {
        let mut n = 0;
        for s in fields {
            for token in analyze(self.index(), s.analyzer, word) {
                n += self
                    .searcher
                    .doc_freq(&Term::from_field_text(s.field, &token))?;
            }
        }
        Ok(n)
    }

    /// Indexed words within `distance` edits of `word` in `field`.
    fn neighbours(
        &self,
        field: Field,
        word: &str,
        distance: u8,
        out: &mut HashSet<String>,
    ) -> Result<()> {
        let automaton =
            FuzzyTermQuery::new(Term::from_field_text(field, word), distance, true).automaton()?;
        for seg in self.searcher.segment_readers() {
            let inverted = seg.inverted_index(field)?;
            let mut stream = inverted.terms().search(&automaton).into_stream()?;
            while stream.advance() {
                if let Ok(w) = std::str::from_utf8(stream.key()) {
                    if !out.contains(w) {
                        out.insert(w.to_string());
                    }
                }
            }
        }
        Ok(())
    }

    /// Indexed terms of `field` starting with `prefix`, most frequent first (at most `limit`).
    fn expansions(&self, field: Field, prefix: &str, limit: usize) -> Result<Vec<String>> {
        let mut found: HashMap<String, u64> = HashMap::new();
        let mut upper = prefix.as_bytes().to_vec();
        upper.push(0xff);
        for seg in self.searcher.segment_readers() {
            let inverted = seg.inverted_index(field)?;
            let mut stream = inverted
                .terms()
                .range()
                .ge(prefix.as_bytes())
                .lt(&upper)
                .into_stream()?;
            while stream.advance() {
                if let Ok(w) = std::str::from_utf8(stream.key()) {
                    *found.entry(w.to_string()).or_default() += u64::from(stream.value().doc_freq);
                }
            }
        }
        let mut v: Vec<(String, u64)> = found.into_iter().collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        Ok(v.into_iter().take(limit).map(|(w, _)| w).collect())
    }
}

/// Most words a typo or a prefix expands to: enough for recall, few enough to stay fast.
const MAX_EXPANSIONS: usize = 64;
const MAX_NEIGHBOURS: usize = 8;

/// Tokens of `text` under the named analyzer.
pub(crate) fn analyze(index: &Index, analyzer: &str, text: &str) -> Vec<String> {
    let mut a = index
        .tokenizers()
        .get(analyzer)
        .expect("analyzers are registered on open");
    let mut stream = a.token_stream(text);
    let mut out = Vec::new();
    while stream.advance() {
        out.push(stream.token().text.clone());
    }
    out
}

/// One query per field, combined: the best field counts fully, the others a little, so a word
/// in the title and the abstract ranks above a word in the abstract alone.
///
/// A field where the words occur nowhere is left out, so that a plain word in a library without
/// full text is a single term: an intersection of single terms is ranked with block-max pruning.
fn across(
    fields: &[Searched],
    mut per_field: impl FnMut(Searched) -> Result<Option<Box<dyn Query>>>,
) -> Result<Box<dyn Query>> {
    let mut parts: Vec<Box<dyn Query>> = Vec::with_capacity(fields.len());
    for &s in fields {
        let Some(q) = per_field(s)? else {
            continue;
        };
        parts.push(if s.boost == 1.0 {
            q
        } else {
            Box::new(BoostQuery::new(q, s.boost))
        });
    }
    Ok(match parts.len() {
        0 => Box::new(EmptyQuery),
        1 => parts.pop().expect("one part"),
        _ => Box::new(DisjunctionMaxQuery::with_tie_breaker(parts, 0.3)),
    })
}

/// A word (or a quoted phrase) in one field: a term, or a phrase when it analyzes to several;
/// `None` when it gives no token or some token occurs in no paper there.
fn exact_in(s: Searched, cx: &Ctx<'_>, text: &str) -> Result<Option<Box<dyn Query>>> {
    let tokens = analyze(cx.index(), s.analyzer, text);
    let mut terms = Vec::with_capacity(tokens.len());
    for t in &tokens {
        let term = Term::from_field_text(s.field, t);
        if cx.searcher.doc_freq(&term)? == 0 {
            return Ok(None);
        }
        terms.push(term);
    }
    if terms.is_empty() {
        return Ok(None);
    }
    if let Some(part) = s.part {
        return Ok(Some(Box::new(InPart::new(part, terms))));
    }
    Ok(Some(if terms.len() == 1 {
        Box::new(TermQuery::new(
            terms.remove(0),
            IndexRecordOption::WithFreqs,
        ))
    } else {
        Box::new(PhraseQuery::new(terms))
    }))
}

/// A phrase and its `words` as one [`PhraseWords`] query, when `fields` searches `words` whole
/// and neither the phrase nor any of its words occurs in its other fields: the query below,
/// read in one pass. `None` otherwise.
fn phrase_in_words_alone(
    fields: &[Searched],
    cx: &Ctx<'_>,
    phrase: &str,
    words: &[String],
) -> Result<Option<Box<dyn Query>>> {
    let mut whole = None;
    for &s in fields {
        if s.field == cx.f.words && s.part.is_none() && s.boost == 1.0 {
            whole = Some(s);
            continue;
        }
        if exact_in(s, cx, phrase)?.is_some() {
            return Ok(None);
        }
        for w in words {
            if exact_in(s, cx, w)?.is_some() {
                return Ok(None);
            }
        }
    }
    let Some(s) = whole else {
        return Ok(None);
    };
    let term = |t: &String| Term::from_field_text(s.field, t);
    let terms: Vec<Term> = analyze(cx.index(), s.analyzer, phrase)
        .iter()
        .map(term)
        .collect();
    for t in &terms {
        if cx.searcher.doc_freq(t)? == 0 {
            return Ok(None);
        }
    }
    let mut word_terms = Vec::with_capacity(words.len());
    for w in words {
        match analyze(cx.index(), s.analyzer, w).as_slice() {
            [one] => word_terms.push(term(one)),
            _ => return Ok(None),
        }
    }
    Ok(PhraseWords::new(terms, &word_terms).map(|q| Box::new(q) as Box<dyn Query>))
}

/// Edit distance with adjacent transpositions (optimal string alignment), on characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            d[i][j] = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d[i][j] = d[i][j].min(d[i - 2][j - 2] + 1);
            }
        }
    }
    d[a.len()][b.len()]
}

/// A text clause: its fields' query, and the papers it finds by tag.
fn text_clause(c: &Clause, cx: &Ctx<'_>) -> Result<Box<dyn Query>> {
    let by_tag = cx.tag_matches(c.target, &c.matcher);
    let tagged = by_tag.as_ref().is_some_and(|ids| !ids.is_empty());
    let in_fields = if c.target == Target::Tag {
        Box::new(EmptyQuery)
    } else {
        fields_clause(c, cx, tagged)?
    };
    Ok(match by_tag {
        Some(ids) if !ids.is_empty() => {
            if c.target == Target::Tag {
                cx.ids_query(&ids)
            } else {
                Box::new(BooleanQuery::new(vec![
                    (Occur::Should, in_fields),
                    (Occur::Should, cx.ids_query(&ids)),
                ]))
            }
        }
        _ => in_fields,
    })
}

/// A text clause in its target's fields. `tagged`: some paper has the word as a tag, so a word
/// found nowhere else is not a typo.
fn fields_clause(c: &Clause, cx: &Ctx<'_>, tagged: bool) -> Result<Box<dyn Query>> {
    let fields = cx.searched(c.target);
    let index = cx.index();
    match &c.matcher {
        Matcher::Word(w) => {
            if c.negated || tagged || cx.doc_freq(&fields, w)? > 0 {
                return across(&fields, |s| exact_in(s, cx, w));
            }
            // No paper has the word: look for what the user probably meant.
            let typed = analyze(index, NAMES, w).join(" ");
            let len = typed.chars().count();
            if len < super::lexicon::SHORTEST_TYPO || typed.contains(' ') {
                return across(&fields, |s| exact_in(s, cx, w));
            }
            let distance = if len >= 7 { 2 } else { 1 };
            let mut found: HashSet<String> = HashSet::new();
            for lexicon in cx.lexicons(c.target) {
                cx.neighbours(lexicon, &typed, distance, &mut found)?;
            }
            // How common each word is where this clause searches; the lexicon keeps words of
            // papers since changed, and those match nothing here.
            let mut candidates: Vec<(usize, u64, String)> = Vec::with_capacity(found.len());
            for word in found {
                let n = cx.doc_freq(&fields, &word)?;
                if n > 0 {
                    candidates.push((edit_distance(&typed, &word), n, word));
                }
            }
            // Closest first, then the most common: "trnsformer" means "transformer", not "transformed".
            candidates.sort_by(|a, b| {
                a.0.cmp(&b.0)
                    .then(b.1.cmp(&a.1))
                    .then_with(|| a.2.cmp(&b.2))
            });
            candidates.truncate(MAX_NEIGHBOURS);
            if candidates.is_empty() {
                return Ok(Box::new(EmptyQuery));
            }
            cx.fuzzy_used.set(true);
            let mut alternatives: Vec<(Occur, Box<dyn Query>)> = Vec::new();
            for (d, _, word) in &candidates {
                let q = across(&fields, |s| exact_in(s, cx, word))?;
                // A nearer word counts more.
                let boost = 1.0 / (*d as f32).max(1.0);
                alternatives.push((Occur::Should, Box::new(BoostQuery::new(q, boost))));
            }
            Ok(Box::new(BooleanQuery::new(alternatives)))
        }
        Matcher::Phrase(p) => {
            let words: Vec<String> = analyze(index, NAMES, p);
            if words.len() >= 2 {
                if let Some(q) = phrase_in_words_alone(&fields, cx, p, &words)? {
                    return Ok(q);
                }
            }
            let phrase = across(&fields, |s| exact_in(s, cx, p))?;
            if words.len() < 2 {
                return Ok(phrase);
            }
            // The phrase must occur; its words, wherever they occur, add to the score, so a paper
            // about speech enhancement throughout outranks one that mentions it once. They are
            // scored only at the phrase's matches (`SeekingSum`), not scanned as a union.
            let mut bonus: Vec<Box<dyn Query>> = Vec::with_capacity(words.len());
            for w in &words {
                bonus.push(across(&fields, |s| exact_in(s, cx, w))?);
            }
            Ok(Box::new(BooleanQuery::new(vec![
                (Occur::Must, phrase),
                (Occur::Should, Box::new(SeekingSum::new(bonus))),
            ])))
        }
        Matcher::Prefix(p) => {
            // Prefixes are matched against indexed (stemmed) terms, so only fold and lower-case them.
            let folded = analyze(index, NAMES, p).join("");
            if folded.is_empty() {
                return Ok(Box::new(EmptyQuery));
            }
            // Expanded to the words themselves (not a regex) so they score with BM25 and are
            // highlighted in snippets.
            across(&fields, |s| {
                let terms = cx.expansions(s.field, &folded, MAX_EXPANSIONS)?;
                let parts: Vec<(Occur, Box<dyn Query>)> = terms
                    .iter()
                    .map(|t| {
                        let term = Term::from_field_text(s.field, t);
                        let q: Box<dyn Query> = if let Some(part) = s.part {
                            Box::new(InPart::new(part, vec![term]))
                        } else {
                            Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs))
                        };
                        (Occur::Should, q)
                    })
                    .collect();
                Ok((!parts.is_empty())
                    .then(|| Box::new(BooleanQuery::new(parts)) as Box<dyn Query>))
            })
        }
        Matcher::Years(..) => Ok(Box::new(EmptyQuery)),
    }
}

fn clause_query(c: &Clause, cx: &Ctx<'_>) -> Result<Box<dyn Query>> {
    let f = cx.f;
    Ok(match c.target {
        Target::Id => {
            let raw = match &c.matcher {
                Matcher::Word(w) | Matcher::Phrase(w) | Matcher::Prefix(w) => w.as_str(),
                Matcher::Years(..) => "",
            };
            let id = ArxivId::parse(raw)
                .map(|a| a.id)
                .unwrap_or_else(|| raw.to_string());
            let term = |t: &str| -> Box<dyn Query> {
                Box::new(TermQuery::new(
                    Term::from_field_text(f.arxiv_id, t),
                    IndexRecordOption::Basic,
                ))
            };
            match &c.matcher {
                Matcher::Prefix(_) => {
                    let ids = cx.expansions(f.arxiv_id, &id, usize::MAX)?;
                    Box::new(BooleanQuery::new(
                        ids.iter().map(|i| (Occur::Should, term(i))).collect(),
                    ))
                }
                _ => term(&id),
            }
        }
        Target::Year => {
            let Matcher::Years(lo, hi) = c.matcher else {
                unreachable!("checked by parse")
            };
            let bound = |y: Option<i32>| match y {
                Some(y) => Bound::Included(Term::from_field_i64(f.year, y as i64)),
                None => Bound::Unbounded,
            };
            Box::new(RangeQuery::new(bound(lo), bound(hi)))
        }
        _ => text_clause(c, cx)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pos(q: &str) -> usize {
        match parse(q) {
            Err(Error::InvalidQuery { position, .. }) => position,
            other => panic!("{q:?} should be rejected, got {other:?}"),
        }
    }

    #[test]
    fn syntax() {
        let q =
            parse(r#"author:vaswani "speech enhancement" diffus* -gan year:2019..2022"#).unwrap();
        let g = &q.groups[0];
        assert_eq!(g.len(), 5);
        assert_eq!(
            g[0],
            Clause {
                target: Target::Author,
                matcher: Matcher::Word("vaswani".into()),
                negated: false
            }
        );
        assert_eq!(g[1].matcher, Matcher::Phrase("speech enhancement".into()));
        assert_eq!(g[2].matcher, Matcher::Prefix("diffus".into()));
        assert!(g[3].negated);
        assert_eq!(g[4].matcher, Matcher::Years(Some(2019), Some(2022)));
        assert_eq!(parse("a OR b").unwrap().groups.len(), 2);
    }

    #[test]
    fn errors_say_where() {
        assert_eq!(pos(r#"speech "enhancement"#), 7);
        assert_eq!(pos("colour:red"), 0);
        assert_eq!(pos("x year:20x1"), 7);
        assert_eq!(pos("OR b"), 0);
        assert_eq!(pos("-only"), 0);
        assert_eq!(pos("a title:"), 7);
    }

    /// Found by trying: `neural & network` matched nothing (the `&` term had no token), `*tion`
    /// quietly searched `tion`, `year:2022..2019` matched nothing without a word, and a
    /// 100,000-character query ran for seconds.
    #[test]
    fn punctuation_stars_backward_years_and_long_queries() {
        let words = |q: &str| -> Vec<Matcher> {
            parse(q)
                .unwrap()
                .groups
                .concat()
                .into_iter()
                .map(|c| c.matcher)
                .collect()
        };
        assert_eq!(words("neural & network"), words("neural network"));
        assert_eq!(words("neural — network /"), words("neural network"));
        assert_eq!(pos("& —"), 0);
        assert_eq!(pos("*tion"), 0);
        assert_eq!(pos("ab opti*ze"), 7);
        assert_eq!(pos("year:2022..2019"), 5);
        assert!(parse("year:2019..2022").is_ok());
        assert_eq!(pos(&"a ".repeat(600)), MAX_QUERY_CHARS);
        assert!(parse(&"a ".repeat(400)).is_ok());
    }
}
