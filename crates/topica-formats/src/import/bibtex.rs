//! BibTeX and BibLaTeX files, read as leniently as BibTeX and biber read them, losing no word.
//!
//! The file is split at top-level `@` ourselves, so one bad entry costs only itself; each
//! block is read by `bibtex_syntax` (which repairs what real files get wrong and says so).
//! `@string` macros and `crossref`/`xdata` inheritance are measured first by `bibtex_graph`
//! (cycles, chains and expansions past the limits cost only the entries that use them) and
//! then resolved here on the values as written; names are split by `bibtex_names` and the
//! LaTeX of every value is decoded by `latex`, after resolution, as BibTeX itself would.

use std::collections::HashMap;

use super::bibtex_graph;
use super::bibtex_jabref;
use super::bibtex_names::names;
use super::bibtex_syntax::{read_block, Block, Part};
use super::latex::{decode, Unknown};
use super::text::collapse_ws;
use super::{Record, Records};
use topica_model::ArxivId;
use topica_model::RecordError;
use topica_model::{normalize_doi, Paper};

pub(super) fn parse(file: String, text: &str) -> Records<'static> {
    let results = parse_all(&file, text);
    Box::new(results.into_iter())
}

/// One top-level `@...` block of the file.
struct Segment {
    /// Byte offset of the `@` in the file.
    start: usize,
    /// The block's text, up to the next block (text after its closing delimiter is ignored).
    text: String,
}

/// What a segment turned out to be.
enum Kind {
    /// `@string` definitions: part of every entry's context.
    Strings(Vec<StringDef>),
    /// A bibliography entry.
    Entry(Block),
    /// `@comment`, `@preamble`: nothing to import.
    Other,
}

/// One `@string` definition: its name (lower-cased) and its value as written.
struct StringDef {
    name: String,
    parts: Vec<Part>,
}

impl StringDef {
    /// The (lower-cased) names its value refers to.
    fn refs(&self) -> Vec<String> {
        macro_refs(&self.parts)
    }
    /// The length of its literal text.
    fn literal(&self) -> u64 {
        self.parts
            .iter()
            .map(|p| match p {
                Part::Literal(t) => t.len() as u64,
                Part::Macro(_) => 0,
            })
            .sum()
    }
}

fn macro_refs(parts: &[Part]) -> Vec<String> {
    parts
        .iter()
        .filter_map(|p| match p {
            Part::Macro(m) => Some(m.to_lowercase()),
            Part::Literal(_) => None,
        })
        .collect()
}

/// A classified segment and the `@string` names its values refer to.
struct Parsed {
    kind: Kind,
    refs: Vec<String>,
}

/// 1-based line of byte offsets in one text.
struct Lines(Vec<usize>);

impl Lines {
    fn new(text: &str) -> Lines {
        Lines(
            std::iter::once(0)
                .chain(text.match_indices('\n').map(|(i, _)| i + 1))
                .collect(),
        )
    }
    fn line(&self, offset: usize) -> usize {
        self.0.partition_point(|&start| start <= offset).max(1)
    }
}

/// An entry's fields after `@string`s and inheritance: (lower-cased name, value as written).
#[derive(Debug, Clone, Default)]
struct Fields(Vec<(String, String)>);

impl Fields {
    fn raw(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
    fn has(&self, name: &str) -> bool {
        self.raw(name).is_some()
    }
}

/// The months BibTeX predefines as `@string`s.
const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// The `@string`s of a file, expanded once each.
struct Strings<'a> {
    defs: HashMap<String, &'a StringDef>,
    expanded: HashMap<String, String>,
}

impl Strings<'_> {
    /// The text of `parts`, macros expanded; undefined names are noted (BibTeX reads them as
    /// empty and warns). Only called on values whose strings measured within the limits.
    fn expand(&mut self, parts: &[Part], undefined: &mut Vec<String>) -> String {
        let mut out = String::new();
        for p in parts {
            match p {
                Part::Literal(t) => out.push_str(t),
                Part::Macro(m) => {
                    let name = m.to_lowercase();
                    if let Some(t) = self.expanded.get(&name) {
                        out.push_str(t);
                    } else if let Some(def) = self.defs.get(&name).copied() {
                        // Depth is bounded by MAX_STRING_DEPTH, measured before.
                        let t = self.expand(&def.parts, undefined);
                        out.push_str(&t);
                        self.expanded.insert(name, t);
                    } else if month_abbreviation(&name) {
                        let month = MONTHS
                            .iter()
                            .find(|mo| mo.get(..3).is_some_and(|a| a.eq_ignore_ascii_case(&name)))
                            .map_or("January", |mo| mo);
                        out.push_str(month);
                    } else if !undefined.contains(m) {
                        undefined.push(m.clone());
                    }
                }
            }
        }
        out
    }
}

/// What is not inherited through `crossref`/`xdata`: the links themselves and the keys.
const NOT_INHERITED: &[&str] = &["crossref", "xdata", "ids", "entryset", "key", "label"];

/// Entry types whose title is the `booktitle` of the entries inside them (biber's default
/// inheritance: a proceedings' title is its papers' booktitle).
const CONTAINERS: &[&str] = &[
    "proceedings",
    "mvproceedings",
    "book",
    "mvbook",
    "collection",
    "mvcollection",
    "reference",
    "mvreference",
];

/// Adds to `child` what it inherits from `parent`: every field it lacks, and the parent's
/// title as its booktitle when the parent is a container.
fn inherit(child: &mut Fields, parent: &Fields, parent_kind: &str) {
    let container = CONTAINERS.contains(&parent_kind);
    for (name, value) in &parent.0 {
        if NOT_INHERITED.contains(&name.as_str()) {
            continue;
        }
        let target = match name.as_str() {
            "title" if container => "booktitle",
            "subtitle" if container => "booksubtitle",
            "titleaddon" if container => "booktitleaddon",
            n => n,
        };
        if !child.has(target) {
            child.0.push((target.to_string(), value.clone()));
        }
    }
}

fn parse_all(file: &str, text: &str) -> Vec<Result<Record, RecordError>> {
    let lines = Lines::new(text);
    let err = |offset: usize, reason: String| RecordError {
        text: String::new(),
        file: file.to_string(),
        line: lines.line(offset),
        reason,
    };
    let mut out: Vec<Result<Record, RecordError>> = Vec::new();

    // Read every segment.
    let segments = split_segments(text);
    let mut parsed: Vec<Option<Parsed>> = Vec::with_capacity(segments.len());
    for seg in &segments {
        if seg.text.len() as u64 > MAX_ENTRY_CHARS {
            out.push(Err(err(
                seg.start,
                format!(
                    "this entry is {:.1} MB, more than the {} MB an entry may be (a reference, \
                     not a document); the entry was not read",
                    seg.text.len() as f64 / 1e6,
                    MAX_ENTRY_CHARS >> 20
                ),
            )));
            parsed.push(None);
            continue;
        }
        if let Some((depth, at)) = too_deep(&seg.text) {
            out.push(Err(err(
                seg.start + at,
                format!(
                    "braces nested {depth} deep here, more than the {MAX_BRACE_DEPTH} any real entry uses; \
                     the entry was not read"
                ),
            )));
            parsed.push(None);
            continue;
        }
        match read_block(&seg.text) {
            Ok(block) => {
                let refs: Vec<String> = block
                    .fields
                    .iter()
                    .flat_map(|f| macro_refs(&f.parts))
                    .collect();
                let kind = match block.kind.as_str() {
                    "comment" | "preamble" => Kind::Other,
                    "string" => Kind::Strings(
                        block
                            .fields
                            .into_iter()
                            .map(|f| StringDef {
                                name: f.name,
                                parts: f.parts,
                            })
                            .collect(),
                    ),
                    _ => Kind::Entry(block),
                };
                parsed.push(Some(Parsed { kind, refs }));
            }
            Err(e) => {
                out.push(Err(err(seg.start + e.offset.min(seg.text.len()), e.reason)));
                parsed.push(None);
            }
        }
    }
    let entry = |i: usize| match parsed.get(i).and_then(Option::as_ref).map(|p| &p.kind) {
        Some(Kind::Entry(b)) => Some(b),
        _ => None,
    };

    // @strings: a later definition of the same name wins, as in BibTeX.
    let mut defines: HashMap<String, usize> = HashMap::new();
    let mut string_defs: HashMap<String, &StringDef> = HashMap::new();
    for (i, p) in parsed.iter().enumerate() {
        if let Some(Parsed {
            kind: Kind::Strings(defs),
            ..
        }) = p
        {
            for d in defs {
                defines.insert(d.name.clone(), i);
                string_defs.insert(d.name.clone(), d);
            }
        }
    }
    // Each name in `string_defs` is in `defines`, at a segment's index.
    let start_of = |i: usize| segments.get(i).map_or(0, |s| s.start);
    let string_sizes = string_sizes(&string_defs, |name| {
        lines.line(defines.get(name).map_or(0, |&i| start_of(i)))
    });
    let mut strings = Strings {
        defs: string_defs,
        expanded: HashMap::new(),
    };

    // Keys compare case-insensitively in BibTeX; entries without keys are not duplicates of
    // each other.
    let mut by_key: HashMap<String, usize> = HashMap::new();
    for i in 0..segments.len() {
        if let Some(b) = entry(i) {
            if !b.key.is_empty() {
                by_key.entry(b.key.to_lowercase()).or_insert(i);
            }
        }
    }
    let parents_of = |j: usize| -> Vec<usize> {
        entry(j).map_or_else(Vec::new, |b| {
            parents(b)
                .iter()
                .filter_map(|p| by_key.get(&p.to_lowercase()).copied())
                .filter(|&p| p != j || !b.key.is_empty())
                .collect()
        })
    };
    let inheritance = inheritance_problems(segments.len(), &parents_of, |j| {
        entry(j).map(|b| b.key.clone()).unwrap_or_default()
    });
    // Entries whose inheritance is a cycle inherit nothing (the cycle is broken, not the file).
    let inherits = |j: usize| !matches!(inheritance.get(&j), Some(Err(Problem::Cycle(_))));

    // JabRef's groups, read as collections (the last group tree of the file counts).
    let groups = segments
        .iter()
        .enumerate()
        .rev()
        .filter(|&(i, _)| {
            matches!(
                parsed.get(i),
                Some(Some(Parsed {
                    kind: Kind::Other,
                    ..
                }))
            )
        })
        .find_map(|(_, seg)| bibtex_jabref::read(&seg.text).map(|g| (seg.start, g)));
    // JabRef's default key pattern: entries keep their own keys; the report says how to give
    // new papers keys the same way.
    let key_pattern = segments
        .iter()
        .enumerate()
        .filter(|&(i, _)| {
            matches!(
                parsed.get(i),
                Some(Some(Parsed {
                    kind: Kind::Other,
                    ..
                }))
            )
        })
        .find_map(|(_, seg)| bibtex_jabref::key_pattern(&seg.text).map(|p| (seg.start, p)));
    let mut resolved: HashMap<usize, Fields> = HashMap::new();
    let mut unknown = Unknown::default();
    let mut taken_keys: Vec<String> = by_key.keys().cloned().collect();
    for (i, seg) in segments.iter().enumerate() {
        let Some(block) = entry(i) else {
            continue;
        };
        let line = lines.line(seg.start);
        let warn = |offset: usize, reason: String| RecordError {
            text: String::new(),
            file: file.to_string(),
            line: lines.line(seg.start + offset),
            reason,
        };
        let mut key = block.key.clone();
        let mut warnings: Vec<RecordError> = block
            .repairs
            .iter()
            .map(|r| warn(r.offset, format!("entry {key:?}: {}", r.what)))
            .collect();
        if !key.is_empty() {
            // Every key is in `by_key` (at its first entry).
            let first = by_key.get(&key.to_lowercase()).copied().unwrap_or(i);
            if first != i {
                let new = unique_key(&key, &taken_keys);
                warnings.push(warn(
                    0,
                    format!(
                        "duplicate citation key {key:?} (first used on line {}); imported as a separate entry with the key {new:?}",
                        lines.line(start_of(first))
                    ),
                ));
                taken_keys.push(new.to_lowercase());
                key = new;
            }
        }
        match inheritance.get(&i) {
            Some(Err(Problem::Limit(problem))) => {
                out.push(Err(err(seg.start, format!("entry {key:?}: {problem}"))));
                continue;
            }
            Some(Err(Problem::Cycle(cycle))) => warnings.push(warn(
                0,
                format!(
                    "entry {key:?}: {cycle}; the cycle is broken here: this entry inherits nothing"
                ),
            )),
            _ => {}
        }
        // The entry and everything it inherits from, for the @string expansion limit.
        let mut context: Vec<usize> = vec![i];
        if inherits(i) {
            let mut next = 0;
            while let Some(&j) = context.get(next) {
                next += 1;
                for pi in parents_of(j) {
                    if !context.contains(&pi) {
                        context.push(pi);
                    }
                }
            }
        }
        let uses = context
            .iter()
            .filter_map(|&j| parsed.get(j).and_then(Option::as_ref));
        if let Err(problem) = expanded_chars(uses, &string_sizes) {
            out.push(Err(err(seg.start, format!("entry {key:?}: {problem}"))));
            continue;
        }
        let mut undefined = Vec::new();
        let fields = resolve(
            i,
            &mut resolved,
            &mut strings,
            &mut undefined,
            &|j| entry(j),
            &|j| {
                if inherits(j) {
                    parents_of(j)
                } else {
                    Vec::new()
                }
            },
        );
        for name in undefined {
            warnings.push(warn(
                0,
                format!(
                    "entry {key:?}: @string {name:?} is not defined; read as empty, as BibTeX does"
                ),
            ));
        }
        if block.kind == "xdata" {
            continue; // a data container for other entries, not a paper
        }
        let known_before = unknown.0.len();
        let mut paper = match to_paper(&fields, &block.kind, &mut unknown) {
            Ok(p) => p,
            Err(reason) => {
                out.push(Err(err(seg.start, format!("entry {key:?}: {reason}"))));
                continue;
            }
        };
        if is_empty(&paper) {
            out.push(Err(err(
                seg.start,
                format!("entry {key:?} has no field with text in it; nothing to import"),
            )));
            continue;
        }
        paper.citation_key = (!key.is_empty()).then(|| key.clone());
        if let Some((_, g)) = &groups {
            paper.collections = g.collections_of(&key, fields.raw("groups"));
        }
        if let (None, Some(y)) = (paper.year, paper.extra.get("year")) {
            warnings.push(warn(
                0,
                format!("entry {key:?}: year {y:?} is not a year; kept as text in the entry's `year` field"),
            ));
        }
        if let Some(d) = paper.extra.get("date") {
            warnings.push(warn(
                0,
                match paper.year {
                    Some(y) => format!("entry {key:?}: date {d:?} is not an ISO 8601 date; kept as text, with the year {y} read from it"),
                    None => format!("entry {key:?}: date {d:?} is not an ISO 8601 date; kept as text"),
                },
            ));
        }
        for name in unknown.0.iter().skip(known_before) {
            warnings.push(warn(
                0,
                format!("entry {key:?}: unknown LaTeX command \\{name}: its argument's text was kept (said once per file)"),
            ));
        }
        out.push(Ok(Record {
            file: file.to_string(),
            line,
            paper,
            warnings,
        }));
    }
    // The JabRef groups that are queries, not folders, said once (on the file's first paper).
    if let Some((start, g)) = &groups {
        let said = g.dynamic.iter().map(|(name, kind)| RecordError {
            file: file.to_string(),
            line: lines.line(*start),
            reason: format!(
                "JabRef's {kind} {name:?} is a search, not a folder: it is not imported as a collection (its sub-groups are)"
            ),
            text: String::new(),
        });
        if let Some(Ok(first)) = out.iter_mut().find(|r| r.is_ok()) {
            first.warnings.extend(said);
        }
    }
    if let Some((start, pattern)) = key_pattern {
        let note = RecordError {
            file: file.to_string(),
            line: lines.line(start),
            reason: format!(
                "JabRef's key pattern {pattern} noted: every entry kept its own key; to give new papers keys the same way, set it as this library's pattern (`topica-cli keys pattern '{pattern}'`, or Settings)"
            ),
            text: String::new(),
        };
        if let Some(Ok(first)) = out.iter_mut().find(|r| r.is_ok()) {
            first.warnings.push(note);
        }
    }
    out.sort_by_key(|r| match r {
        Ok(rec) => rec.line,
        Err(e) => e.line,
    });
    out
}

/// Whether an entry holds no field with text (`@article{b, title=}`): nothing but its type.
fn is_empty(p: &Paper) -> bool {
    let texts = [
        &p.title,
        &p.container,
        &p.doi,
        &p.url,
        &p.arxiv_id,
        &p.abstract_text,
        &p.publisher,
        &p.volume,
        &p.issue,
        &p.pages,
    ];
    texts.iter().all(|t| t.is_none())
        && p.authors.is_empty()
        && p.editors.is_empty()
        && p.year.is_none()
        && p.month.is_none()
        && p.extra.keys().all(|k| k == "entrytype")
}

/// `key-2`, `key-3`…: the first that no entry of the file uses.
fn unique_key(key: &str, taken: &[String]) -> String {
    (2..)
        .map(|n| format!("{key}-{n}"))
        .find(|k| !taken.contains(&k.to_lowercase()))
        .unwrap_or_else(|| key.to_string())
}

/// The keys an entry inherits from (`crossref`, `xdata`), as written.
fn parents(b: &Block) -> Vec<String> {
    let mut keys = Vec::new();
    for f in &b.fields {
        if f.name == "crossref" || f.name == "xdata" {
            let value: String = f
                .parts
                .iter()
                .map(|p| match p {
                    Part::Literal(t) | Part::Macro(t) => t.as_str(),
                })
                .collect();
            keys.extend(
                value
                    .split(',')
                    .map(|k| k.trim().to_string())
                    .filter(|k| !k.is_empty()),
            );
        }
    }
    keys
}

/// An entry's fields: its own (macros expanded), then what it inherits, parents first to
/// last. Memoized: a parent is resolved once however many children it has (an xdata diamond
/// costs its nodes, not its paths).
fn resolve<'b>(
    i: usize,
    memo: &mut HashMap<usize, Fields>,
    strings: &mut Strings<'_>,
    undefined: &mut Vec<String>,
    entry: &dyn Fn(usize) -> Option<&'b Block>,
    parents_of: &dyn Fn(usize) -> Vec<usize>,
) -> Fields {
    if let Some(f) = memo.get(&i) {
        return f.clone();
    }
    let Some(block) = entry(i) else {
        return Fields::default();
    };
    let mut fields = Fields::default();
    for f in &block.fields {
        if !fields.has(&f.name) {
            let value = strings.expand(&f.parts, undefined);
            fields.0.push((f.name.clone(), value));
        }
    }
    // Depth is bounded by MAX_INHERIT_DEPTH, measured before; cycles inherit nothing.
    for p in parents_of(i) {
        let parent = resolve(p, memo, strings, undefined, entry, parents_of);
        let parent_kind = entry(p).map_or("", |b| b.kind.as_str());
        inherit(&mut fields, &parent, parent_kind);
    }
    memo.insert(i, fields.clone());
    fields
}

/// Why an entry's inheritance cannot be followed.
enum Problem {
    /// A cycle: broken, the entry inherits nothing.
    Cycle(String),
    /// A limit: the entry is refused.
    Limit(String),
}

/// Each `@string` (by lower-cased name): the characters it expands to, or why it cannot be
/// expanded (a cycle, a chain too long, an expansion too large).
fn string_sizes(
    defs: &HashMap<String, &StringDef>,
    line_of: impl Fn(&str) -> usize,
) -> HashMap<String, Result<u64, String>> {
    use bibtex_graph::{chain_text, Unexpandable, MAX_STRING_CHARS, MAX_STRING_DEPTH};
    let mut names: Vec<&String> = defs.keys().collect();
    names.sort();
    let measured = bibtex_graph::expand(
        names.into_iter().cloned(),
        // Every node is a key of `defs` (the names, and the refs kept here).
        |n| {
            defs.get(n).map_or_else(Vec::new, |d| {
                d.refs()
                    .into_iter()
                    .filter(|r| defs.contains_key(r))
                    .collect()
            })
        },
        // An undefined name stays as its own text (BibTeX warns and goes on). Each use counts
        // one more, so that empty strings doubled 40 times are also refused: the crate's work
        // grows with uses, not only with characters.
        |n| {
            defs.get(n).map_or(1, |d| {
                1 + d.literal()
                    + d.refs()
                        .iter()
                        .filter(|r| !defs.contains_key(*r))
                        .map(|r| r.len() as u64)
                        .sum::<u64>()
            })
        },
    );
    measured
        .into_iter()
        .map(|(name, m)| {
            let line = line_of(&name);
            let size = match m {
                Err(Unexpandable::Cycle(chain)) => Err(format!(
                    "@string {name:?} (line {line}) refers to itself ({}), which BibTeX cannot expand",
                    chain_text(&chain)
                )),
                Err(Unexpandable::Through(c)) => Err(format!(
                    "@string {name:?} (line {line}) uses {c:?}, which refers to itself"
                )),
                Ok(e) if e.depth > MAX_STRING_DEPTH => Err(format!(
                    "@string {name:?} (line {line}) is defined through a chain of {} other @strings; the limit is {MAX_STRING_DEPTH}",
                    e.depth
                )),
                Ok(e) if e.size > MAX_STRING_CHARS => Err(format!(
                    "@string {name:?} (line {line}) expands to more than {MAX_STRING_CHARS} characters (the limit)"
                )),
                Ok(e) => Ok(e.size),
            };
            (name, size)
        })
        .collect()
}

/// The characters the `@string` uses of an entry and its parents expand to, or why they cannot
/// be expanded (a bad string, or more than [`MAX_ENTRY_CHARS`] in all).
fn expanded_chars<'a>(
    context: impl Iterator<Item = &'a Parsed>,
    sizes: &HashMap<String, Result<u64, String>>,
) -> Result<u64, String> {
    let mut total = 0u64;
    for r in context.flat_map(|p| p.refs.iter()) {
        if let Some(size) = sizes.get(&r.to_lowercase()) {
            total = total.saturating_add(size.clone()?);
        }
    }
    if total > MAX_ENTRY_CHARS {
        return Err(format!(
            "its @string uses expand to more than {MAX_ENTRY_CHARS} characters (the limit)"
        ));
    }
    Ok(total)
}

/// Most characters one entry may hold, as written and as its `@string` uses (with its parents)
/// expand to.
const MAX_ENTRY_CHARS: u64 = 4 << 20;

/// Per entry (by segment), whether its `crossref`/`xdata` inheritance can be resolved: refused
/// for a cycle, a chain deeper than the limit, or more inherited copies than the limit.
fn inheritance_problems(
    segments: usize,
    parents_of: &impl Fn(usize) -> Vec<usize>,
    key_of: impl Fn(usize) -> String,
) -> HashMap<usize, Result<(), Problem>> {
    use bibtex_graph::{chain_text, Unexpandable, MAX_INHERIT_DEPTH, MAX_INHERIT_EXPANSION};
    let measured = bibtex_graph::expand(0..segments, |&j| parents_of(j), |_| 1);
    measured
        .into_iter()
        .map(|(j, m)| {
            let verdict = match m {
                Err(Unexpandable::Cycle(chain)) => {
                    let keys: Vec<String> = chain.into_iter().map(&key_of).collect();
                    Err(Problem::Cycle(format!("crossref/xdata cycle ({})", chain_text(&keys))))
                }
                Err(Unexpandable::Through(p)) => Err(Problem::Cycle(format!(
                    "crossref/xdata cycle through {:?}",
                    key_of(p)
                ))),
                Ok(e) if e.depth > MAX_INHERIT_DEPTH => Err(Problem::Limit(format!(
                    "inherits through a chain of {} crossref/xdata entries; the limit is {MAX_INHERIT_DEPTH}",
                    e.depth
                ))),
                Ok(e) if e.size > MAX_INHERIT_EXPANSION => Err(Problem::Limit(format!(
                    "inherits from more than {MAX_INHERIT_EXPANSION} crossref/xdata entries (counting each path); the limit is {MAX_INHERIT_EXPANSION}"
                ))),
                Ok(_) => Ok(()),
            };
            (j, verdict)
        })
        .collect()
}

fn month_abbreviation(name: &str) -> bool {
    [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ]
    .contains(&name.to_ascii_lowercase().as_str())
}

/// Splits the file at top-level `@type{`. A line starting with `@type{` also starts a new block
/// even inside an unclosed entry, so one missing brace costs one entry, not the rest of the file.
/// An `@` that does not start an entry (an e-mail address in free text between entries) is
/// ignored, as BibTeX ignores all text outside entries.
fn split_segments(text: &str) -> Vec<Segment> {
    let bytes = text.as_bytes();
    let mut starts: Vec<usize> = Vec::new();
    let mut depth: i64 = 0;
    let mut i = 0;
    let mut line_start = true;
    // Whether the current entry is `@type( … )` rather than `@type{ … }`.
    let mut paren_entry = false;
    // `i` moves on past ASCII bytes, or two bytes past a backslash (maybe into a character,
    // but only ASCII bytes are matched, and those start characters): `text.get(i..)` at an
    // `@` is never `None`.
    while let Some(&b) = bytes.get(i) {
        match b {
            b'@' if (depth == 0 || line_start)
                && text.get(i..).is_some_and(looks_like_entry_start) =>
            {
                starts.push(i);
                depth = 0;
                line_start = false;
                i += 1;
                continue;
            }
            b'%' if depth == 0 => {
                while bytes.get(i).is_some_and(|&c| c != b'\n') {
                    i += 1;
                }
                continue;
            }
            b'\\' if depth > 0 => {
                i += 2;
                line_start = false;
                continue;
            }
            b'(' if !starts.is_empty() && depth == 0 => {
                paren_entry = true;
                depth = 1;
            }
            b'{' if !starts.is_empty() => {
                if depth == 0 {
                    paren_entry = false;
                }
                depth += 1;
            }
            b')' if paren_entry && depth == 1 => {
                depth = 0;
            }
            b'}' if depth > 0 => {
                depth -= 1;
            }
            _ => {}
        }
        if b == b'\n' {
            line_start = true;
        } else if !b.is_ascii_whitespace() {
            line_start = false;
        }
        i += 1;
    }
    starts
        .iter()
        .enumerate()
        .map(|(k, &s)| {
            let next = starts.get(k + 1).copied().unwrap_or(text.len());
            // Up to the next block: the reader stops at the closing delimiter itself, which
            // for `@type( … )` only it can find (a `)` may sit inside a value).
            Segment {
                start: s,
                text: text.get(s..next).unwrap_or_default().to_string(),
            }
        })
        .collect()
}

/// Deepest brace nesting an entry may have. Real entries stay under ten (math in a title); the
/// parser takes time quadratic in the depth (100,000 levels: 12 s), so deeper is refused.
const MAX_BRACE_DEPTH: usize = 64;

/// The depth and byte offset where an entry's braces first nest deeper than [`MAX_BRACE_DEPTH`].
fn too_deep(seg: &str) -> Option<(usize, usize)> {
    let bytes = seg.as_bytes();
    let (mut depth, mut i) = (0usize, 0usize);
    while let Some(&b) = bytes.get(i) {
        match b {
            b'\\' => i += 1, // an escaped brace does not nest
            b'{' => {
                depth += 1;
                if depth > MAX_BRACE_DEPTH {
                    let mut deepest = depth;
                    let mut d = depth;
                    for &b in bytes.get(i + 1..).unwrap_or_default() {
                        match b {
                            b'{' => d += 1,
                            b'}' => d = d.saturating_sub(1),
                            _ => {}
                        }
                        deepest = deepest.max(d);
                    }
                    return Some((deepest, i));
                }
            }
            b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
        i += 1;
    }
    None
}

/// `@article{`, `@String {`: an entry type name followed by an opening delimiter.
fn looks_like_entry_start(s: &str) -> bool {
    let Some(rest) = s.strip_prefix('@') else {
        return false;
    };
    let name_len = rest.bytes().take_while(|b| b.is_ascii_alphabetic()).count();
    name_len > 0
        && rest.get(name_len..).is_some_and(|after| {
            after
                .trim_start_matches([' ', '\t'])
                .starts_with(['{', '('])
        })
}

/// The entry types Topica keeps as they are; aliases map to their BibLaTeX name.
fn entry_kind(raw: &str) -> (String, bool) {
    const KNOWN: &[&str] = &[
        "article",
        "book",
        "mvbook",
        "inbook",
        "bookinbook",
        "suppbook",
        "booklet",
        "collection",
        "mvcollection",
        "incollection",
        "suppcollection",
        "dataset",
        "manual",
        "misc",
        "online",
        "patent",
        "periodical",
        "suppperiodical",
        "proceedings",
        "mvproceedings",
        "inproceedings",
        "reference",
        "mvreference",
        "inreference",
        "report",
        "set",
        "software",
        "thesis",
        "unpublished",
        "mastersthesis",
        "phdthesis",
        "techreport",
        "artwork",
        "audio",
        "image",
        "jurisdiction",
        "legislation",
        "legal",
        "letter",
        "movie",
        "music",
        "performance",
        "review",
        "standard",
        "video",
    ];
    match raw {
        "conference" => ("inproceedings".into(), true),
        "electronic" | "www" => ("online".into(), true),
        k if KNOWN.contains(&k) => (k.to_string(), true),
        _ => ("misc".into(), false),
    }
}

/// Fields whose value is not LaTeX text (identifiers, links, paths): only the escapes real
/// files put in them (`\_`, `\%`, `\&`, `\#`, `\$`, `\~`) and braces are taken out.
const VERBATIM: &[&str] = &[
    "doi", "url", "eprint", "file", "pdf", "uri", "urlraw", "verba", "verbb", "verbc", "ids",
];

fn verbatim(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if matches!(chars.peek(), Some('_' | '%' | '&' | '#' | '$' | '~')) => {
                out.extend(chars.next());
            }
            '{' | '}' => {}
            c => out.push(c),
        }
    }
    collapse_ws(&out)
}

/// A field's text: LaTeX decoded, white space collapsed; None when empty.
fn field_text(fields: &Fields, name: &str, unknown: &mut Unknown) -> Option<String> {
    let raw = fields.raw(name)?;
    let s = if VERBATIM.contains(&name) {
        verbatim(raw)
    } else {
        collapse_ws(&decode(raw, unknown))
    };
    (!s.is_empty()).then_some(s)
}

/// A BibLaTeX `date` (ISO 8601 / EDTF, maybe a range): its first year and month.
fn iso_date(s: &str) -> Option<(i32, Option<u8>)> {
    let first = s
        .split('/')
        .next()?
        .trim()
        .trim_end_matches(['?', '~', '%']);
    let (sign, digits) = match first.strip_prefix('-') {
        Some(rest) => (-1, rest),
        None => (1, first),
    };
    let mut parts = digits.split('-');
    let year = parts.next()?;
    if year.len() != 4 || !year.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let year: i32 = year.parse().ok()?;
    let month = match parts.next() {
        None => None,
        Some(m) if m.len() == 2 && m.bytes().all(|b| b.is_ascii_digit()) => {
            let m: u8 = m.parse().ok()?;
            match m {
                1..=12 => Some(m),
                21..=24 => None, // EDTF seasons: the year is all there is
                _ => return None,
            }
        }
        Some(_) => return None,
    };
    match parts.next() {
        None => {}
        Some(d) => {
            let day: u8 = d.get(..2)?.parse().ok()?;
            if !(1..=31).contains(&day) || month.is_none() {
                return None;
            }
        }
    }
    Some((sign * year, month))
}

fn to_paper(fields: &Fields, raw_kind: &str, unknown: &mut Unknown) -> Result<Paper, String> {
    let mut p = Paper::default();
    let (kind, known) = entry_kind(raw_kind);
    if !known {
        p.extra.insert("entrytype".into(), raw_kind.to_string());
    }
    p.kind = Some(kind);
    let mut text = |name: &str| field_text(fields, name, unknown);
    p.title = text("title");
    let journal = text("journaltitle").or_else(|| text("journal"));
    let booktitle = text("booktitle");
    // `howpublished` is where a `@misc` appeared (and where Topica's export writes the
    // container of a type BibTeX has no field for).
    p.container = journal
        .clone()
        .or_else(|| booktitle.clone())
        .or_else(|| text("howpublished"));
    if journal.is_some() {
        if let Some(b) = booktitle {
            p.extra.insert("booktitle".into(), b);
        }
    }
    p.volume = text("volume");
    p.issue = text("number").or_else(|| text("issue"));
    if fields.has("number") {
        if let Some(i) = text("issue") {
            p.extra.insert("issue".into(), i);
        }
    }
    p.pages = text("pages").map(|s| s.replace(['–', '—'], "-"));
    p.publisher = text("publisher");
    p.url = text("url");
    p.abstract_text = text("abstract");
    if let Some(d) = text("doi") {
        match normalize_doi(&d) {
            Some(n) => p.doi = Some(n),
            None => {
                p.extra.insert("doi".into(), d);
            }
        }
    }
    // arXiv: eprint + archivePrefix/eprinttype = arXiv; else an arXiv URL or "arXiv preprint arXiv:…".
    let archive = text("archiveprefix")
        .or_else(|| text("eprinttype"))
        .unwrap_or_default();
    let eprint = text("eprint");
    let primary = text("primaryclass").or_else(|| text("eprintclass"));
    let date = text("date");
    let year = text("year");
    let month = text("month");
    let mut arxiv = None;
    if let Some(e) = &eprint {
        if archive.eq_ignore_ascii_case("arxiv") || archive.is_empty() {
            arxiv = ArxivId::parse(e);
        }
        if arxiv.is_none() {
            p.extra.insert("eprint".into(), e.clone());
            if !archive.is_empty() {
                p.extra.insert("eprinttype".into(), archive.clone());
            }
        }
    }
    if arxiv.is_none() {
        arxiv = p
            .url
            .as_deref()
            .filter(|u| u.contains("arxiv.org/"))
            .and_then(ArxivId::parse);
    }
    if arxiv.is_none() {
        arxiv = p
            .container
            .as_deref()
            .and_then(|j| j.split_once("arXiv:"))
            .and_then(|(_, rest)| ArxivId::parse(rest.split_whitespace().next().unwrap_or("")));
    }
    if let Some(a) = arxiv {
        p.arxiv_id = Some(a.id);
        p.arxiv_version = a.version;
    }
    if let Some(c) = primary {
        p.categories.push(c);
    }
    // Dates: a BibLaTeX `date` should be ISO 8601; what is not (`2012-22`, `Spring 2019`) is
    // kept as text, with the year read from it. `year` may be free text too ("in press").
    if let Some(d) = date {
        match iso_date(&d) {
            Some((y, m)) => {
                p.year = Some(y);
                p.month = m;
            }
            None => {
                p.year = first_year(&d);
                p.extra.insert("date".into(), d);
            }
        }
    }
    if p.year.is_none() {
        if let Some(y) = year {
            // A number is the year (`-876`, `4`: ancient works); other text gives its first
            // four-digit year ("Spring 2019").
            let exact = y
                .trim()
                .parse::<i32>()
                .ok()
                .filter(|n| topica_model::YEARS.contains(n));
            match exact.or_else(|| first_year(&y)) {
                Some(year) => {
                    p.year = Some(year);
                    // "Spring 2019", "2012-22": the year is read, and the text kept as written.
                    if y.trim() != year.to_string() {
                        p.extra.insert("year".into(), y);
                    }
                }
                None => {
                    p.extra.insert("year".into(), y);
                }
            }
        }
    }
    if p.month.is_none() {
        if let Some(m) = month {
            match month_number(&m) {
                Some(n) => p.month = Some(n),
                None => {
                    p.extra.insert("month".into(), m);
                }
            }
        }
    }
    p.authors = fields
        .raw("author")
        .map(|r| names(r, unknown))
        .unwrap_or_default();
    p.editors = fields
        .raw("editor")
        .map(|r| names(r, unknown))
        .unwrap_or_default();
    for (name, _) in &fields.0 {
        if MAPPED.contains(&name.as_str()) || p.extra.contains_key(name) {
            continue;
        }
        if let Some(v) = field_text(fields, name, unknown) {
            p.extra.insert(name.clone(), v);
        }
    }
    Ok(p)
}

fn month_number(s: &str) -> Option<u8> {
    let s = s.trim().to_lowercase();
    if let Ok(n) = s.parse::<u8>() {
        return (1..=12).contains(&n).then_some(n);
    }
    const NAMES: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    NAMES
        .iter()
        .position(|m| s.starts_with(m))
        .map(|i| i as u8 + 1)
}

fn first_year(s: &str) -> Option<i32> {
    let b = s.as_bytes();
    b.windows(4).enumerate().find_map(|(i, digits)| {
        let alone = i
            .checked_sub(1)
            .and_then(|before| b.get(before))
            .is_none_or(|c| !c.is_ascii_digit())
            && b.get(i + 4).is_none_or(|c| !c.is_ascii_digit());
        (alone && digits.iter().all(u8::is_ascii_digit))
            .then(|| s.get(i..i + 4)?.parse().ok())
            .flatten()
    })
}

/// Fields read into columns; everything else goes to `extra`.
const MAPPED: &[&str] = &[
    "title",
    "howpublished",
    "author",
    "editor",
    "journal",
    "journaltitle",
    "booktitle",
    "volume",
    "number",
    "issue",
    "pages",
    "publisher",
    "url",
    "doi",
    "eprint",
    "archiveprefix",
    "eprinttype",
    "primaryclass",
    "eprintclass",
    "abstract",
    "date",
    "year",
    "month",
    "crossref",
    "xdata",
];

#[cfg(test)]
#[allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::string_slice
)]
mod tests {
    use super::*;
    use topica_model::Author;

    #[test]
    fn jabrefs_key_pattern_is_noted_on_the_first_paper_and_keys_are_kept() {
        let text = "@article{Doe2020, title = {A}}\n@article{Roe2021, title = {B}}\n\n\
                    @Comment{jabref-meta: keypatterndefault:[auth][year];}\n";
        let recs = parse_all("j.bib", text);
        let first = recs[0].as_ref().unwrap();
        assert_eq!(first.paper.citation_key.as_deref(), Some("Doe2020"));
        let note = &first.warnings[0];
        assert_eq!(note.line, 4);
        assert!(note.reason.contains("[auth][year]"), "{}", note.reason);
        assert!(recs[1].as_ref().unwrap().warnings.is_empty());
    }

    #[test]
    fn a_keyless_entry_with_an_empty_crossref_inherits_nothing_and_comes_in() {
        // Found by the property test: the crate resolved `crossref = {}` to the entry itself.
        let text = "@misc{, crossref = {}, title = {A}}\n@misc{ok, title = {B}, crossref = {}}\n";
        let recs = parse_all("c.bib", text);
        let titles: Vec<_> = recs
            .iter()
            .map(|r| r.as_ref().unwrap().paper.title.clone().unwrap())
            .collect();
        assert_eq!(titles, ["A", "B"]);
    }

    #[test]
    fn escaped_specials_and_odd_names_read_back_as_written() {
        let text = r"@misc{k, title = {{\textbackslash}i {\textbraceleft}x {\textasciitilde} \$5 $\$~x$},
            author = {{,}, a and =, b and Smith, {and}}}";
        let p = parse_all("s.bib", text).remove(0).unwrap().paper;
        assert_eq!(p.title.as_deref(), Some(r"\i {x ~ $5 $\$~x$"));
        let names: Vec<(&str, &str)> = p
            .authors
            .iter()
            .map(|a| (a.family.as_str(), a.given.as_str()))
            .collect();
        assert_eq!(names, [(",", "a"), ("=", "b"), ("Smith", "and")]);
    }

    #[test]
    fn braces_nested_too_deep_refuse_that_entry_only_with_its_line() {
        let deep = format!("{}x{}", "{".repeat(5000), "}".repeat(5000));
        let text = format!("@article{{a, title={{{deep}}}, year=2020}}\n\n@article{{b, title={{Fine {{Math}}}}, year=2021}}\n");
        let recs = parse_all("d.bib", &text);
        let errs: Vec<&RecordError> = recs.iter().filter_map(|r| r.as_ref().err()).collect();
        assert_eq!(errs.len(), 1, "{recs:?}");
        assert_eq!(errs[0].line, 1);
        assert!(
            errs[0]
                .reason
                .starts_with("braces nested 5002 deep here, more than the 64"),
            "{}",
            errs[0]
        );
        let ok: Vec<&Record> = recs.iter().filter_map(|r| r.as_ref().ok()).collect();
        assert_eq!(ok.len(), 1);
        assert_eq!(ok[0].paper.title.as_deref(), Some("Fine Math"));
        assert_eq!(
            too_deep(r"{\{\{\{ x \}\}\}}"),
            None,
            "escaped braces do not nest"
        );
    }

    #[test]
    fn a_year_that_is_not_one_is_kept_as_text_and_said() {
        let recs = parse_all(
            "y.bib",
            "@article{a, title={Far}, year={20201}}\n@article{b, title={Soon}, year={in press}}\n@article{c, title={Fine}, year={2021}}\n",
        );
        let said: Vec<String> = recs
            .iter()
            .flat_map(|r| r.as_ref().unwrap().warnings.iter().map(ToString::to_string))
            .collect();
        assert_eq!(
            said,
            [
                "y.bib:1: entry \"a\": year \"20201\" is not a year; kept as text in the entry's `year` field",
                "y.bib:2: entry \"b\": year \"in press\" is not a year; kept as text in the entry's `year` field",
            ]
        );
        assert_eq!(
            recs[0]
                .as_ref()
                .unwrap()
                .paper
                .extra
                .get("year")
                .map(String::as_str),
            Some("20201")
        );
    }

    #[test]
    fn an_entry_of_megabytes_is_refused_and_the_next_one_read() {
        let text = format!(
            "@article{{a, title={{Big}}, abstract={{{}}}, year=2020}}\n@article{{b, title={{Fine}}, year=2021}}\n",
            "word ".repeat(1_000_000)
        );
        let recs = parse_all("big.bib", &text);
        let err = recs[0].as_ref().unwrap_err();
        assert_eq!(err.line, 1);
        assert!(
            err.reason
                .starts_with("this entry is 5.0 MB, more than the 4 MB"),
            "{err}"
        );
        assert_eq!(
            recs[1].as_ref().unwrap().paper.title.as_deref(),
            Some("Fine")
        );
    }

    fn papers(text: &str) -> Vec<Result<Record, RecordError>> {
        parse_all("t.bib", text)
    }

    #[test]
    fn strings_accents_names_and_arxiv() {
        let text = r#"@string{ieee = "IEEE Trans."}
% a comment
@article{key1,
  author = {van Beethoven, Ludwig and Ford, Jr., Henry and {{World Health Organization}} and Bal\'azs, C.},
  title = {The {GPU} era of Schr\"{o}dinger},
  journal = ieee # " Foo",
  year = 2021, month = mar,
  pages = {12--19},
  eprint = {2201.12288v2}, archivePrefix = {arXiv}, primaryClass = {cs.CL},
  keywords = {a, b},
}
"#;
        let recs = papers(text);
        assert_eq!(recs.len(), 1);
        let r = recs[0].as_ref().unwrap();
        assert_eq!(r.line, 3);
        let p = &r.paper;
        assert_eq!(p.citation_key.as_deref(), Some("key1"));
        assert_eq!(p.title.as_deref(), Some("The GPU era of Schrödinger"));
        assert_eq!(p.container.as_deref(), Some("IEEE Trans. Foo"));
        assert_eq!((p.year, p.month), (Some(2021), Some(3)));
        assert_eq!(p.pages.as_deref(), Some("12-19"));
        assert_eq!(p.arxiv_id.as_deref(), Some("2201.12288"));
        assert_eq!(p.arxiv_version, Some(2));
        assert_eq!(p.categories, vec!["cs.CL"]);
        assert_eq!(p.extra.get("keywords").map(String::as_str), Some("a, b"));
        let a = &p.authors;
        assert_eq!(
            (
                a[0].particle.as_str(),
                a[0].family.as_str(),
                a[0].given.as_str()
            ),
            ("van", "Beethoven", "Ludwig")
        );
        assert_eq!(
            (
                a[1].family.as_str(),
                a[1].suffix.as_str(),
                a[1].given.as_str()
            ),
            ("Ford", "Jr.", "Henry")
        );
        assert_eq!(a[2], Author::literal("World Health Organization"));
        assert_eq!(a[3].family, "Balázs");
    }

    #[test]
    fn a_stray_token_and_a_duplicate_key_cost_nothing_and_are_said() {
        let text = "@article{a, title={One}}\n\n@article{b,\n  title = {Two},\n  author 💯 {X}\n}\n@article{c, title={Three}}\n@article{a, title={Again}}\n";
        let recs = papers(text);
        let got: Vec<_> = recs
            .iter()
            .map(|r| {
                let r = r.as_ref().unwrap();
                (
                    r.paper.citation_key.clone().unwrap(),
                    r.paper.title.clone().unwrap(),
                )
            })
            .collect();
        assert_eq!(
            got,
            [("a", "One"), ("b", "Two"), ("c", "Three"), ("a-2", "Again")]
                .map(|(k, t)| (k.to_string(), t.to_string()))
        );
        let said: Vec<String> = recs
            .iter()
            .flat_map(|r| r.as_ref().unwrap().warnings.iter().map(ToString::to_string))
            .collect();
        assert_eq!(
            said,
            [
                "t.bib:5: entry \"b\": text \"author 💯 {X}\" is not `name = value`; left out",
                "t.bib:8: duplicate citation key \"a\" (first used on line 1); imported as a separate entry with the key \"a-2\"",
            ]
        );
    }

    #[test]
    fn an_unclosed_entry_is_read_up_to_the_next_and_an_unclosed_value_costs_only_itself() {
        let text = "@article{a,\n  title = {One\n}\n@article{b, title={Two}}\n@article{c, title = {Never closed\n@article{d, title={Four}}\n";
        let recs = papers(text);
        let titles: Vec<_> = recs
            .iter()
            .map(|r| match r {
                Ok(r) => r.paper.title.clone().unwrap(),
                Err(e) => e.to_string(),
            })
            .collect();
        assert_eq!(
            titles,
            [
                "One",
                "Two",
                "t.bib:5: a `{` in this value is never closed (unbalanced braces?)",
                "Four"
            ]
        );
        assert_eq!(
            recs[0].as_ref().unwrap().warnings[0].to_string(),
            "t.bib:1: entry \"a\": entry is not closed; read up to the next entry"
        );
    }

    #[test]
    fn crossref_fills_container() {
        let text = "@inproceedings{child, title={Paper}, crossref={proc}}\n@proceedings{proc, title={Proc of X}, booktitle={Proc of X}, year={1999}, publisher={ACM}}\n";
        let recs = papers(text);
        let child = recs
            .iter()
            .find_map(|r| {
                r.as_ref()
                    .ok()
                    .filter(|r| r.paper.citation_key.as_deref() == Some("child"))
            })
            .unwrap();
        assert_eq!(child.paper.container.as_deref(), Some("Proc of X"));
        assert_eq!(child.paper.year, Some(1999));
    }

    /// The reasons of the refused records, and the keys of the imported ones.
    fn outcome(text: &str) -> (Vec<String>, Vec<String>) {
        let mut errors = Vec::new();
        let mut keys = Vec::new();
        for r in papers(text) {
            match r {
                Ok(r) => keys.push(r.paper.citation_key.unwrap_or_default()),
                Err(e) => errors.push(format!("{}: {}", e.line, e.reason)),
            }
        }
        (errors, keys)
    }

    #[test]
    fn a_string_that_refers_to_itself_refuses_its_entry_and_nothing_else() {
        let text = "@string{a = a # a}\n@misc{uses, title = a}\n@misc{fine, title = {Fine}}\n";
        let (errors, keys) = outcome(text);
        assert_eq!(
            errors,
            vec![
                r#"2: entry "uses": @string "a" (line 1) refers to itself (a → a), which BibTeX cannot expand"#
            ]
        );
        assert_eq!(keys, vec!["fine"]);
        let mutual = "@string{a = b}\n@string{B = \"x\" # A}\n@misc{uses, title = {T}, note = a}\n";
        let (errors, _) = outcome(mutual);
        assert_eq!(errors.len(), 1);
        assert!(
            errors[0].starts_with("3: entry \"uses\": @string "),
            "{errors:?}"
        );
        assert!(
            errors[0].contains("refers to itself (a → b → a)")
                || errors[0].contains("refers to itself (b → a → b)"),
            "{errors:?}"
        );
    }

    #[test]
    fn doubling_strings_and_long_chains_are_refused_with_the_limit() {
        let mut text = String::from("@string{s0 = \"xy\"}\n");
        for i in 1..=39 {
            text.push_str(&format!("@string{{s{i} = s{} # s{}}}\n", i - 1, i - 1));
        }
        text.push_str("@misc{big, title = s39}\n@misc{small, title = s3}\n");
        let (errors, keys) = outcome(&text);
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(
            errors[0].starts_with("41: entry \"big\": @string \"s39\" (line 40) expands to more than 1048576 characters (the limit)"),
            "{errors:?}"
        );
        assert_eq!(keys, vec!["small"]);

        let mut chain = String::from("@string{c0 = \"x\"}\n");
        for i in 1..=70 {
            chain.push_str(&format!("@string{{c{i} = c{}}}\n", i - 1));
        }
        chain.push_str("@misc{deep, title = c70}\n");
        let (errors, _) = outcome(&chain);
        assert!(
            errors[0].ends_with("@string \"c70\" (line 71) is defined through a chain of 70 other @strings; the limit is 64"),
            "{errors:?}"
        );
    }

    #[test]
    fn many_uses_of_a_large_string_are_refused_per_entry() {
        let big = "z".repeat(600_000);
        let text = format!("@string{{big = \"{big}\"}}\n@misc{{many, title = big # big # big # big # big # big # big # big}}\n@misc{{one, title = big}}\n");
        let (errors, keys) = outcome(&text);
        assert_eq!(
            errors,
            vec!["2: entry \"many\": its @string uses expand to more than 4194304 characters (the limit)"]
        );
        assert_eq!(keys, vec!["one"]);
    }

    #[test]
    fn xdata_diamonds_and_deep_chains_are_refused_without_exponential_work() {
        // d{i} inherits from a{i+1} and b{i+1}, both of which inherit from d{i+1}: 2^13 paths
        // within the depth limit (the 28 levels that took minutes are refused for depth too).
        let mut text = String::new();
        for i in 0..13 {
            text.push_str(&format!("@xdata{{d{i}, xdata = {{a{n}, b{n}}}}}\n@xdata{{a{n}, xdata = {{d{n}}}}}\n@xdata{{b{n}, xdata = {{d{n}}}}}\n", n = i + 1));
        }
        text.push_str("@xdata{d13, note = {end}}\n@misc{top, title = {T}, xdata = {d0}}\n@misc{free, title = {F}}\n");
        let (errors, keys) = outcome(&text);
        assert!(
            errors.iter().any(|e| e
                .contains("entry \"top\": inherits from more than 4096 crossref/xdata entries")),
            "{errors:?}"
        );
        assert!(keys.contains(&"free".to_string()), "{keys:?}");
        let mut chain = String::from("@misc{top, title = {T}, crossref = {p1}}\n");
        for i in 1..=40 {
            chain.push_str(&format!(
                "@misc{{p{i}, title = {{P}}, crossref = {{p{}}}}}\n",
                i + 1
            ));
        }
        let (errors, _) = outcome(&chain);
        assert!(
            errors[0].starts_with("1: entry \"top\": inherits through a chain of 40 crossref/xdata entries; the limit is 32"),
            "{errors:?}"
        );
    }
}
