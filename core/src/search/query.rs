//! The query language: words, `"phrases"`, `prefix*`, `-excluded`, `OR`, and fields
//! `title:` `abstract:` `author:` `year:2021` `year:2019..2022` `tag:` `id:` `notes:` `topic:`.
//!
//! Parsing is separate from tantivy so errors can say where the query went wrong.

use std::ops::Bound;

use tantivy::query::{
    BooleanQuery, BoostQuery, DisjunctionMaxQuery, EmptyQuery, FuzzyTermQuery, Occur, PhraseQuery, Query, RangeQuery,
    RegexQuery, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{Index, Term};

use super::schema::{Fields, NAMES, PROSE};
use crate::{ArxivId, Error, Result};

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

/// Parses the engine's query syntax. Errors carry the 0-based character position.
pub fn parse(input: &str) -> Result<ParsedQuery> {
    let chars: Vec<char> = input.chars().collect();
    let mut groups: Vec<Vec<Clause>> = vec![Vec::new()];
    let mut i = 0;
    let err = |position: usize, reason: &str| Error::InvalidQuery { position, reason: reason.to_string() };
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
        let word_end = (i..chars.len()).find(|&j| chars[j].is_whitespace() || chars[j] == '"').unwrap_or(chars.len());
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
            let close = (i + 1..chars.len()).find(|&j| chars[j] == '"').ok_or_else(|| err(i, "unclosed quote"))?;
            let phrase: String = chars[i + 1..close].iter().collect();
            i = close + 1;
            if phrase.trim().is_empty() {
                return Err(err(start, "empty phrase"));
            }
            Matcher::Phrase(phrase)
        } else {
            let end = (i..chars.len()).find(|&j| chars[j].is_whitespace()).unwrap_or(chars.len());
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
                parse_years(&word).ok_or_else(|| err(value_start, "a year is `2021`, `2019..2022`, `2019..` or `..2022`"))?
            } else if let Some(stem) = word.strip_suffix('*') {
                if stem.is_empty() || stem.contains('*') {
                    return Err(err(value_start, "a prefix needs letters before `*`"));
                }
                Matcher::Prefix(stem.to_string())
            } else if word.contains('"') {
                return Err(err(value_start, "unexpected quote"));
            } else {
                Matcher::Word(word)
            }
        };
        if target == Target::Year && !matches!(matcher, Matcher::Years(..)) {
            return Err(err(start, "a year is `2021`, `2019..2022`, `2019..` or `..2022`"));
        }
        groups.last_mut().expect("one group").push(Clause { target, matcher, negated });
    }
    if groups.last().is_some_and(Vec::is_empty) && groups.len() > 1 {
        return Err(err(chars.len(), "`OR` needs a term on each side"));
    }
    groups.retain(|g| !g.is_empty());
    if groups.iter().any(|g| g.iter().all(|c| c.negated)) {
        return Err(err(0, "a query needs at least one term that is not excluded"));
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
        self.groups.iter().flatten().any(|c| !c.negated && matches!(c.matcher, Matcher::Word(_)))
    }

    /// Builds the tantivy query; with `fuzzy`, plain words match within edit distance 1–2.
    pub(crate) fn to_tantivy(&self, f: &Fields, index: &Index, fuzzy: bool) -> Result<Box<dyn Query>> {
        if self.groups.is_empty() {
            return Ok(Box::new(EmptyQuery));
        }
        let mut groups: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for g in &self.groups {
            let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
            for c in g {
                let q = clause_query(c, f, index, fuzzy)?;
                clauses.push((if c.negated { Occur::MustNot } else { Occur::Must }, q));
            }
            groups.push((Occur::Should, Box::new(BooleanQuery::new(clauses))));
        }
        if groups.len() == 1 {
            return Ok(groups.pop().expect("one group").1);
        }
        Ok(Box::new(BooleanQuery::new(groups)))
    }
}

/// Tokens of `text` under the named analyzer.
fn analyze(index: &Index, analyzer: &str, text: &str) -> Vec<String> {
    let mut a = index.tokenizers().get(analyzer).expect("analyzers are registered on open");
    let mut stream = a.token_stream(text);
    let mut out = Vec::new();
    while stream.advance() {
        out.push(stream.token().text.clone());
    }
    out
}

fn text_query(field: Field, analyzer: &str, m: &Matcher, index: &Index, fuzzy: bool) -> Box<dyn Query> {
    match m {
        Matcher::Word(w) | Matcher::Phrase(w) => {
            let tokens = analyze(index, analyzer, w);
            match tokens.len() {
                0 => Box::new(EmptyQuery),
                1 => {
                    let term = Term::from_field_text(field, &tokens[0]);
                    if fuzzy && matches!(m, Matcher::Word(_)) && tokens[0].chars().count() >= 4 {
                        let distance = if tokens[0].chars().count() >= 7 { 2 } else { 1 };
                        Box::new(FuzzyTermQuery::new(term, distance, true))
                    } else {
                        Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs))
                    }
                }
                _ => Box::new(PhraseQuery::new(tokens.iter().map(|t| Term::from_field_text(field, t)).collect())),
            }
        }
        Matcher::Prefix(p) => {
            // Prefixes are matched against indexed (stemmed) terms, so only fold and lower-case them.
            let folded = analyze(index, NAMES, p).join("");
            if folded.is_empty() {
                return Box::new(EmptyQuery);
            }
            let pattern = format!("{}.*", regex_escape(&folded));
            match RegexQuery::from_pattern(&pattern, field) {
                Ok(q) => Box::new(q),
                Err(_) => Box::new(EmptyQuery),
            }
        }
        Matcher::Years(..) => Box::new(EmptyQuery),
    }
}

fn regex_escape(s: &str) -> String {
    s.chars().flat_map(|c| if c.is_alphanumeric() { vec![c] } else { vec!['\\', c] }).collect()
}

fn clause_query(c: &Clause, f: &Fields, index: &Index, fuzzy: bool) -> Result<Box<dyn Query>> {
    let fuzzy = fuzzy && !c.negated;
    Ok(match c.target {
        Target::Any => {
            let parts: Vec<Box<dyn Query>> = vec![
                Box::new(BoostQuery::new(text_query(f.title, PROSE, &c.matcher, index, fuzzy), 2.0)),
                text_query(f.abstract_text, PROSE, &c.matcher, index, fuzzy),
                Box::new(BoostQuery::new(text_query(f.authors, NAMES, &c.matcher, index, fuzzy), 1.5)),
                text_query(f.notes, PROSE, &c.matcher, index, fuzzy),
                text_query(f.tags, NAMES, &c.matcher, index, fuzzy),
                text_query(f.topic, PROSE, &c.matcher, index, fuzzy),
            ];
            // Sum of the best field plus a little of the others: a word in the title and the
            // abstract ranks above a word in the abstract alone.
            Box::new(DisjunctionMaxQuery::with_tie_breaker(parts, 0.3))
        }
        Target::Title => text_query(f.title, PROSE, &c.matcher, index, fuzzy),
        Target::Abstract => text_query(f.abstract_text, PROSE, &c.matcher, index, fuzzy),
        Target::Author => text_query(f.authors, NAMES, &c.matcher, index, fuzzy),
        Target::Notes => text_query(f.notes, PROSE, &c.matcher, index, fuzzy),
        Target::Tag => text_query(f.tags, NAMES, &c.matcher, index, fuzzy),
        Target::Topic => text_query(f.topic, PROSE, &c.matcher, index, fuzzy),
        Target::Id => {
            let raw = match &c.matcher {
                Matcher::Word(w) | Matcher::Phrase(w) | Matcher::Prefix(w) => w.as_str(),
                Matcher::Years(..) => "",
            };
            let id = ArxivId::parse(raw).map(|a| a.id).unwrap_or_else(|| raw.to_string());
            match &c.matcher {
                Matcher::Prefix(_) => Box::new(RegexQuery::from_pattern(&format!("{}.*", regex_escape(&id)), f.arxiv_id)?),
                _ => Box::new(TermQuery::new(Term::from_field_text(f.arxiv_id, &id), IndexRecordOption::Basic)),
            }
        }
        Target::Year => {
            let Matcher::Years(lo, hi) = c.matcher else { unreachable!("checked by parse") };
            let bound = |y: Option<i32>| match y {
                Some(y) => Bound::Included(Term::from_field_i64(f.year, y as i64)),
                None => Bound::Unbounded,
            };
            Box::new(RangeQuery::new(bound(lo), bound(hi)))
        }
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
        let q = parse(r#"author:vaswani "speech enhancement" diffus* -gan year:2019..2022"#).unwrap();
        let g = &q.groups[0];
        assert_eq!(g.len(), 5);
        assert_eq!(g[0], Clause { target: Target::Author, matcher: Matcher::Word("vaswani".into()), negated: false });
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
}
