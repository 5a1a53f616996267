//! BibTeX and BibLaTeX files, read with the `biblatex` crate, one entry at a time.
//!
//! The crate parses a whole file and stops at the first problem, so a file with one bad entry
//! would lose all the good ones. We therefore split the file at top-level `@` ourselves and let
//! the crate parse each entry on its own, together with every `@string` of the file and the
//! entries it `crossref`s or `xdata`s. Byte offsets in the crate's errors are mapped back to
//! lines of the original file, so every bad entry is reported with its own line.

use std::collections::HashMap;

use biblatex::{
    Bibliography, Chunk, ChunksExt, Date, DateValue, Datetime, Entry, PermissiveType, Person,
    RawBibliography, Spanned,
};

use super::bibtex_graph;
use super::text::{collapse_ws, latex_to_unicode};
use super::{Record, Records};
use topica_model::ArxivId;
use topica_model::RecordError;
use topica_model::{normalize_doi, Author, Paper};

pub(super) fn parse(file: String, text: &str) -> Records<'static> {
    let results = parse_all(&file, text);
    Box::new(results.into_iter())
}

/// One top-level `@...` block of the file.
struct Segment {
    /// Byte offset of the `@` in the file.
    start: usize,
    /// The block's text; `@type( … )` is rewritten `@type{ … }` (same length) for the crate.
    text: String,
}

/// What a segment turned out to be.
enum Kind {
    /// `@string` definitions: part of every entry's context.
    Strings(Vec<StringDef>),
    /// A bibliography entry with its key and the keys it inherits from.
    Entry { key: String, parents: Vec<String> },
    /// `@comment`, `@preamble`: nothing to import.
    Other,
}

/// One `@string` definition: its name, the names its value refers to, and the length of its
/// literal text.
struct StringDef {
    name: String,
    refs: Vec<String>,
    literal: u64,
}

/// A classified segment: its kind and the `@string` names its values refer to.
struct Parsed {
    kind: Kind,
    refs: Vec<String>,
}

/// Maps byte offsets of the text given to the crate back to the file.
struct SourceMap {
    /// (offset in the assembled source, offset in the file, length)
    pieces: Vec<(usize, usize, usize)>,
}

impl SourceMap {
    fn to_file(&self, offset: usize) -> usize {
        for &(src, orig, len) in &self.pieces {
            if offset >= src && offset <= src + len {
                return orig + (offset - src);
            }
        }
        self.pieces.first().map_or(0, |p| p.1)
    }
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

fn parse_all(file: &str, text: &str) -> Vec<Result<Record, RecordError>> {
    let lines = Lines::new(text);
    let err = |offset: usize, reason: String| RecordError {
        file: file.to_string(),
        line: lines.line(offset),
        reason,
    };
    let mut out: Vec<Result<Record, RecordError>> = Vec::new();

    // Classify every segment with the crate's raw parser (no abbreviation resolution yet).
    let segments = split_segments(text);
    let mut parsed: Vec<Option<Parsed>> = Vec::with_capacity(segments.len());
    for seg in &segments {
        // BibTeX's @comment and @preamble carry nothing to import; JabRef writes preambles the
        // crate refuses (`@Preamble{text}` without quotes), so they are not parsed at all.
        let name = seg.text[1..]
            .trim_start()
            .split(|c: char| !c.is_ascii_alphabetic())
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        if name == "comment" || name == "preamble" {
            parsed.push(Some(Parsed {
                kind: Kind::Other,
                refs: Vec::new(),
            }));
            continue;
        }
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
        match RawBibliography::parse(&seg.text) {
            Ok(raw) => {
                let mut refs = Vec::new();
                let pairs = raw
                    .entries
                    .iter()
                    .flat_map(|e| e.v.fields.iter())
                    .chain(raw.abbreviations.iter());
                for pair in pairs {
                    for chunk in &pair.value.v {
                        if let biblatex::RawChunk::Abbreviation(a) = chunk.v {
                            refs.push(a.to_string());
                        }
                    }
                }
                let kind = if let Some(e) = raw.entries.first() {
                    Kind::Entry {
                        key: e.v.key.v.trim().to_string(),
                        parents: raw_parents(&e.v),
                    }
                } else if !raw.abbreviations.is_empty() {
                    Kind::Strings(raw.abbreviations.iter().map(string_def).collect())
                } else {
                    Kind::Other
                };
                parsed.push(Some(Parsed { kind, refs }));
            }
            Err(e) => {
                // An entry cut off by the next one or the end of file is reported where it starts.
                let at_end = e.span.start >= seg.text.trim_end().len();
                let at = if at_end {
                    seg.start
                } else {
                    seg.start + e.span.start.min(seg.text.len())
                };
                out.push(Err(err(
                    at,
                    describe_parse_error(&e.kind, seg, e.span.start),
                )));
                parsed.push(None);
            }
        }
    }
    let kind = |i: usize| parsed[i].as_ref().map(|p| &p.kind);

    let strings: Vec<usize> = (0..segments.len())
        .filter(|&i| matches!(kind(i), Some(Kind::Strings(_))))
        .collect();
    let defined: Vec<&String> = strings
        .iter()
        .filter_map(|&i| match kind(i) {
            Some(Kind::Strings(defs)) => Some(defs.iter().map(|d| &d.name)),
            _ => None,
        })
        .flatten()
        .collect();
    let mut defines: HashMap<String, usize> = HashMap::new();
    let mut string_defs: HashMap<String, &StringDef> = HashMap::new();
    for &i in &strings {
        if let Some(Kind::Strings(defs)) = kind(i) {
            for d in defs {
                // A later definition of the same name wins, as in BibTeX.
                defines.insert(d.name.to_lowercase(), i);
                string_defs.insert(d.name.to_lowercase(), d);
            }
        }
    }
    let string_sizes = string_sizes(&string_defs, |name| {
        lines.line(segments[defines[name]].start)
    });
    // Keys compare case-insensitively in BibTeX; JabRef writes entries without keys, which
    // are not duplicates of each other.
    let mut by_key: HashMap<String, usize> = HashMap::new();
    for i in 0..segments.len() {
        if let Some(Kind::Entry { key, .. }) = kind(i) {
            if !key.is_empty() {
                by_key.entry(key.to_lowercase()).or_insert(i);
            }
        }
    }

    let parents_of = |j: usize| -> Vec<usize> {
        match kind(j) {
            Some(Kind::Entry { parents, .. }) => parents
                .iter()
                .filter_map(|p| by_key.get(&p.to_lowercase()).copied())
                .collect(),
            _ => Vec::new(),
        }
    };
    let inheritance = inheritance_problems(segments.len(), &parents_of, |j| match kind(j) {
        Some(Kind::Entry { key, .. }) => key.clone(),
        _ => String::new(),
    });

    for (i, seg) in segments.iter().enumerate() {
        let Some(Kind::Entry { key, .. }) = kind(i) else {
            continue;
        };
        if !key.is_empty() {
            let first = by_key[&key.to_lowercase()];
            if first != i {
                out.push(Err(err(
                    seg.start,
                    format!(
                        "duplicate citation key {key:?} (first used on line {})",
                        lines.line(segments[first].start)
                    ),
                )));
                continue;
            }
        }
        // An entry without a key that inherits from the empty key names itself (keyless
        // entries are not in `by_key`, so the graph cannot see that cycle).
        if key.is_empty()
            && matches!(kind(i), Some(Kind::Entry { parents, .. }) if parents.iter().any(String::is_empty))
        {
            out.push(Err(err(
                seg.start,
                "entry \"\": crossref/xdata cycle (an entry without a key inherits from the empty key, itself)".to_string(),
            )));
            continue;
        }
        // The entry first, then its context: the entries it inherits from and the @strings.
        if let Some(Err(problem)) = inheritance.get(&i) {
            out.push(Err(err(seg.start, format!("entry {key:?}: {problem}"))));
            continue;
        }
        let mut context: Vec<usize> = vec![i];
        let mut next = 0;
        while let Some(&j) = context.get(next) {
            next += 1;
            for pi in parents_of(j) {
                if !context.contains(&pi) {
                    context.push(pi);
                }
            }
        }
        // Only the @string blocks the entry needs (transitively): a file with hundreds of
        // journal abbreviations must not re-parse all of them for every entry.
        let mut needed: Vec<usize> = Vec::new();
        let mut pending: Vec<&String> = context
            .iter()
            .filter_map(|&j| parsed[j].as_ref())
            .flat_map(|p| p.refs.iter())
            .collect();
        while let Some(r) = pending.pop() {
            if let Some(&j) = defines.get(&r.to_lowercase()) {
                if !needed.contains(&j) {
                    needed.push(j);
                    pending.extend(
                        parsed[j]
                            .as_ref()
                            .map(|p| p.refs.iter())
                            .into_iter()
                            .flatten(),
                    );
                }
            }
        }
        let uses = context.iter().filter_map(|&j| parsed[j].as_ref());
        if let Err(problem) = expanded_chars(uses, &string_sizes) {
            out.push(Err(err(seg.start, format!("entry {key:?}: {problem}"))));
            continue;
        }
        needed.sort_unstable();
        let refs: Vec<&String> = context
            .iter()
            .chain(needed.iter())
            .filter_map(|&j| parsed[j].as_ref())
            .flat_map(|p| p.refs.iter())
            .collect();
        context.extend(needed);
        let mut source = String::new();
        let mut map = SourceMap { pieces: Vec::new() };
        for &j in &context {
            map.pieces
                .push((source.len(), segments[j].start, segments[j].text.len()));
            source.push_str(&segments[j].text);
            source.push('\n');
        }
        // BibTeX's @string names are case-insensitive (the crate's are not), and an undefined
        // one is only a warning in BibTeX that keeps the name as text.
        for r in refs {
            if defined.contains(&r) || month_abbreviation(r) {
                continue;
            }
            match defined.iter().find(|d| d.eq_ignore_ascii_case(r)) {
                Some(d) => source.push_str(&format!("@string{{{r} = {d}}}\n")),
                None => source.push_str(&format!("@string{{{r} = {{{r}}}}}\n")),
            }
        }
        let bib = match Bibliography::parse(&shield(&source)) {
            Ok(b) => b,
            Err(e) => {
                let at = map.to_file(e.span.start);
                out.push(Err(err(at, format!("entry {key:?}: {}", e.kind))));
                continue;
            }
        };
        let Some(entry) = bib.get(key) else { continue };
        let key_text = key.clone();
        if entry.entry_type == biblatex::EntryType::XData {
            continue; // a data container for other entries, not a paper
        }
        let raw_kind = RawBibliography::parse(&seg.text)
            .ok()
            .and_then(|r| r.entries.first().map(|e| e.v.kind.v.to_lowercase()))
            .unwrap_or_default();
        match to_paper(entry, &raw_kind).map(|mut p| {
            if key_text.is_empty() {
                p.citation_key = None;
            }
            p
        }) {
            Ok(paper) => {
                let line = lines.line(seg.start);
                let mut warnings = Vec::new();
                if let (None, Some(y)) = (paper.year, paper.extra.get("year")) {
                    warnings.push(RecordError {
                        file: file.to_string(),
                        line,
                        reason: format!(
                            "entry {key:?}: year {y:?} is not a year; kept as text in the entry's `year` field"
                        ),
                    });
                }
                out.push(Ok(Record {
                    line,
                    paper,
                    warnings,
                }))
            }
            Err((span_start, reason)) => {
                let at = span_start.map_or(seg.start, |s| map.to_file(s));
                out.push(Err(err(at, format!("entry {key:?}: {reason}"))));
            }
        }
    }
    out.sort_by_key(|r| match r {
        Ok(rec) => rec.line,
        Err(e) => e.line,
    });
    out
}

fn string_def(pair: &biblatex::Pair<'_>) -> StringDef {
    let mut refs = Vec::new();
    let mut literal = 0u64;
    for chunk in &pair.value.v {
        match chunk.v {
            biblatex::RawChunk::Abbreviation(a) => refs.push(a.to_lowercase()),
            biblatex::RawChunk::Normal(t) => literal += t.len() as u64,
        }
    }
    StringDef {
        name: pair.key.v.to_string(),
        refs,
        literal,
    }
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
        |n| {
            defs[n]
                .refs
                .iter()
                .filter(|r| defs.contains_key(*r))
                .cloned()
                .collect()
        },
        // An undefined name stays as its own text (BibTeX warns and goes on). Each use counts
        // one more, so that empty strings doubled 40 times are also refused: the crate's work
        // grows with uses, not only with characters.
        |n| {
            let d = defs[n];
            1 + d.literal
                + d.refs
                    .iter()
                    .filter(|r| !defs.contains_key(*r))
                    .map(|r| r.len() as u64)
                    .sum::<u64>()
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
) -> HashMap<usize, Result<(), String>> {
    use bibtex_graph::{chain_text, Unexpandable, MAX_INHERIT_DEPTH, MAX_INHERIT_EXPANSION};
    let measured = bibtex_graph::expand(0..segments, |&j| parents_of(j), |_| 1);
    measured
        .into_iter()
        .map(|(j, m)| {
            let verdict = match m {
                Err(Unexpandable::Cycle(chain)) => {
                    let keys: Vec<String> = chain.into_iter().map(&key_of).collect();
                    Err(format!("crossref/xdata cycle ({})", chain_text(&keys)))
                }
                Err(Unexpandable::Through(p)) => Err(format!(
                    "crossref/xdata cycle through {:?}",
                    key_of(p)
                )),
                Ok(e) if e.depth > MAX_INHERIT_DEPTH => Err(format!(
                    "inherits through a chain of {} crossref/xdata entries; the limit is {MAX_INHERIT_DEPTH}",
                    e.depth
                )),
                Ok(e) if e.size > MAX_INHERIT_EXPANSION => Err(format!(
                    "inherits from more than {MAX_INHERIT_EXPANSION} crossref/xdata entries (counting each path); the limit is {MAX_INHERIT_EXPANSION}"
                )),
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

fn describe_parse_error(kind: &biblatex::ParseErrorKind, seg: &Segment, at: usize) -> String {
    match kind {
        _ if at >= seg.text.trim_end().len() => {
            "entry is not closed (unbalanced braces or quotes?)".to_string()
        }
        biblatex::ParseErrorKind::Expected(biblatex::Token::Comma) => {
            "syntax error: expected a comma (is the citation key missing, or the comma between two fields?)".to_string()
        }
        other => format!("syntax error: {other}"),
    }
}

fn raw_parents(e: &biblatex::RawEntry<'_>) -> Vec<String> {
    let mut keys = Vec::new();
    for pair in &e.fields {
        let name = pair.key.v.to_ascii_lowercase();
        if name == "crossref" || name == "xdata" {
            let mut value = String::new();
            for chunk in &pair.value.v {
                if let biblatex::RawChunk::Normal(s) = chunk.v {
                    value.push_str(s);
                }
            }
            // An empty value names the entry with the empty key, as the crate reads it:
            // `@misc{, crossref = {}}` is a cycle, on which the crate would recurse forever.
            if value.trim().is_empty() {
                keys.push(String::new());
                continue;
            }
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
    // Where each block's closing delimiter is, when it has one.
    let mut ends: Vec<Option<usize>> = Vec::new();
    while i < bytes.len() {
        let b = bytes[i];
        match b {
            b'@' if (depth == 0 || line_start) && looks_like_entry_start(&text[i..]) => {
                starts.push(i);
                depth = 0;
                line_start = false;
                i += 1;
                continue;
            }
            b'%' if depth == 0 => {
                while i < bytes.len() && bytes[i] != b'\n' {
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
                ends.resize(starts.len(), None);
                ends[starts.len() - 1].get_or_insert(i + 1);
            }
            b'}' if depth > 0 => {
                depth -= 1;
                if depth == 0 {
                    // The entry is closed: what follows up to the next `@` is free text.
                    ends.resize(starts.len(), None);
                    ends[starts.len() - 1].get_or_insert(i + 1);
                }
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
            let end = ends
                .get(k)
                .copied()
                .flatten()
                .filter(|&e| e <= next)
                .unwrap_or(next);
            Segment {
                start: s,
                text: braces_for_parens(&text[s..end]),
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
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 1, // an escaped brace does not nest
            b'{' => {
                depth += 1;
                if depth > MAX_BRACE_DEPTH {
                    let mut deepest = depth;
                    let mut d = depth;
                    for &b in &bytes[i + 1..] {
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

/// `@article( key, … )` → `@article{ key, … }`, keeping every byte offset.
fn braces_for_parens(seg: &str) -> String {
    let name_len = seg[1..]
        .bytes()
        .take_while(|b| b.is_ascii_alphabetic())
        .count();
    let after = 1 + name_len;
    let open = after + seg[after..].len() - seg[after..].trim_start().len();
    if seg.as_bytes().get(open) != Some(&b'(') {
        return seg.to_string();
    }
    let mut out = seg.as_bytes().to_vec();
    out[open] = b'{';
    if let Some(close) = seg.rfind(')') {
        if close > open {
            out[close] = b'}';
        }
    }
    String::from_utf8(out).unwrap_or_else(|_| seg.to_string())
}

/// `@article{`, `@String {`: an entry type name followed by an opening delimiter.
fn looks_like_entry_start(s: &str) -> bool {
    let rest = &s[1..];
    let name_len = rest.bytes().take_while(|b| b.is_ascii_alphabetic()).count();
    name_len > 0
        && rest[name_len..]
            .trim_start_matches([' ', '\t'])
            .starts_with(['{', '('])
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

/// A field's text: LaTeX resolved by the crate, leftovers by our own table, white space
/// collapsed, shielded characters put back (see [`shield`]).
fn field_text(entry: &Entry, name: &str) -> Option<String> {
    let chunks = entry.get(name)?;
    let mut s = String::new();
    // Text between math runs, decoded as a whole (a leftover macro and its argument may sit in
    // two chunks); math is kept as written, so a `\$` in it cannot end it early.
    let mut text = String::new();
    for c in chunks {
        match &c.v {
            Chunk::Math(m) => {
                s.push_str(&unshield(&latex_to_unicode(&text)));
                text.clear();
                s.push('$');
                s.push_str(&unshield_math(m));
                s.push('$');
            }
            Chunk::Normal(t) | Chunk::Verbatim(t) => text.push_str(t),
        }
    }
    s.push_str(&unshield(&latex_to_unicode(&text)));
    let s = collapse_ws(&s);
    (!s.is_empty()).then_some(s)
}

/// Escapes of characters that are LaTeX syntax, each with the stand-in it becomes before the
/// crate parses an entry. The crate resolves `{\textbraceleft}` to `{` and keeps unknown macros
/// as `\name{…}`, so after it a brace, a backslash or a `~` could be syntax left over or a
/// character the source escaped; our own pass over the leftovers cannot tell. A stand-in is a
/// C1 control character (never text in a .bib; not U+0085, which is white space), padded with empty groups `{}` and U+FDDF (a
/// noncharacter) to the escape's length in bytes, so the crate's error offsets still point into
/// the source; [`unshield`] puts the characters back and drops the padding. `\{` and `\}` are
/// not shielded: BibTeX counts them as braces, so a stand-in would unbalance the entry (and
/// Topica's export never writes them).
const SHIELDED: &[(&str, char, &str)] = &[
    ("{\\textbackslash}", '\u{84}', "{}{}{}{}{}{}{}"),
    ("\\textbackslash{}", '\u{84}', "{}{}{}{}{}{}{}"),
    ("{\\textbraceleft}", '\u{88}', "{}{}{}{}{}{}{}"),
    ("{\\textbraceright}", '\u{86}', "{}{}{}{}{}{}\u{fddf}"),
    ("{\\textasciitilde}", '\u{87}', "{}{}{}{}{}{}\u{fddf}"),
    ("\\$", '\u{83}', ""),
];

/// The characters the stand-ins stand for, by stand-in.
fn shielded_char(c: char) -> Option<char> {
    Some(match c {
        '\u{83}' => '$',
        '\u{84}' => '\\',
        '\u{88}' => '{',
        '\u{86}' => '}',
        '\u{87}' => '~',
        _ => return None,
    })
}

/// The entry's source with escaped LaTeX specials replaced by stand-ins (same length in bytes).
/// Stand-in characters already in the source are dropped first: they are not text.
fn shield(source: &str) -> std::borrow::Cow<'_, str> {
    let has_standins = source
        .chars()
        .any(|c| shielded_char(c).is_some() || c == '\u{fddf}');
    if !has_standins && !SHIELDED.iter().any(|(from, _, _)| source.contains(from)) {
        return std::borrow::Cow::Borrowed(source);
    }
    let mut s: String = source
        .chars()
        .map(|c| {
            if shielded_char(c).is_some() || c == '\u{fddf}' {
                ' '
            } else {
                c
            }
        })
        .collect();
    for (from, to, pad) in SHIELDED {
        let standin = format!("{to}{pad}");
        debug_assert_eq!(standin.len(), from.len(), "{from}");
        s = s.replace(from, &standin);
    }
    std::borrow::Cow::Owned(s)
}

/// Math is kept as written: a stand-in in it goes back to the escape it replaced.
fn unshield_math(m: &str) -> String {
    let mut out = m.to_string();
    for (from, to, pad) in SHIELDED {
        let standin = format!("{to}{pad}");
        if out.contains(&standin) {
            out = out.replace(&standin, from);
        }
    }
    out
}

/// Puts back the characters [`shield`] stood in for, and drops its padding.
fn unshield(s: &str) -> String {
    if !s
        .chars()
        .any(|c| shielded_char(c).is_some() || c == '\u{fddf}')
    {
        return s.to_string();
    }
    s.chars()
        .filter(|&c| c != '\u{fddf}')
        .map(|c| shielded_char(c).unwrap_or(c))
        .collect()
}

fn chunks_start(entry: &Entry, name: &str) -> Option<usize> {
    entry
        .get(name)
        .and_then(|c| c.first())
        .map(|c: &Spanned<Chunk>| c.span.start)
}

fn author(p: &Person) -> Author {
    let clean = |s: &str| collapse_ws(&unshield(&latex_to_unicode(s)));
    let family = clean(&p.name);
    let given = clean(&p.given_name);
    let particle = clean(&p.prefix);
    let suffix = clean(&p.suffix);
    // `{{World Health Organization}}` reaches us as one unsplit family name with spaces.
    if given.is_empty() && particle.is_empty() && suffix.is_empty() && family.contains(' ') {
        return Author::literal(family);
    }
    Author {
        family,
        given,
        particle,
        suffix,
        literal: false,
    }
}

fn people(entry: &Entry, name: &str) -> Vec<Author> {
    let Some(chunks) = entry.get(name) else {
        return Vec::new();
    };
    let parsed: Vec<Author> = chunks
        .parse::<Vec<Person>>()
        .map(|v| v.iter().map(author).collect())
        .unwrap_or_default();
    let items = name_items(chunks);
    // Where the crate loses a name — it reads one with `=` in it as biblatex's `family=…,
    // given=…` form and gives an empty person, or fails on the list — the list is split here,
    // BibTeX's way, rather than lost.
    let lost = parsed.len() != items.len()
        || parsed
            .iter()
            .any(|a| a.family.is_empty() && a.given.is_empty());
    if lost {
        return items
            .iter()
            .map(|i| name_by_commas(i))
            .filter(|a| !a.family.is_empty() || !a.given.is_empty())
            .collect();
    }
    parsed
        .into_iter()
        .filter(|a| !a.family.is_empty() || !a.given.is_empty())
        .collect()
}

/// One name as written, read BibTeX's way by its top-level commas: `Family, Given`,
/// `Family, Jr, Given`, or without a comma `Given von Family`.
fn name_by_commas(item: &str) -> Author {
    let clean = |s: &str| collapse_ws(&unshield(&latex_to_unicode(s)));
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0usize, 0usize);
    for (i, b) in item.bytes().enumerate() {
        match b {
            b'{' => depth += 1,
            b'}' => depth = depth.saturating_sub(1),
            b',' if depth == 0 => {
                parts.push(&item[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&item[start..]);
    match parts.as_slice() {
        // One braced group is one family name, whatever is inside it.
        [whole] if is_one_group(whole.trim()) => Author::new(clean(whole), ""),
        [whole] => Author::parse(&clean(whole)),
        [family, given] => Author::new(clean(family), clean(given)),
        [family, suffix, given, ..] => Author {
            suffix: clean(suffix),
            ..Author::new(clean(family), clean(given))
        },
        [] => Author::default(),
    }
}

/// Whether `s` is one braced group: `{…}` with its first brace closed by its last.
fn is_one_group(s: &str) -> bool {
    if !(s.starts_with('{') && s.ends_with('}')) {
        return false;
    }
    let mut depth = 0usize;
    for (i, b) in s.bytes().enumerate() {
        match b {
            b'{' => depth += 1,
            b'}' => {
                depth = depth.saturating_sub(1);
                if depth == 0 && i + 1 < s.len() {
                    return false;
                }
            }
            _ => {}
        }
    }
    true
}

/// A name list's names as written (braced groups kept), split at the top-level ` and `.
fn name_items(chunks: &[Spanned<Chunk>]) -> Vec<String> {
    let mut text = String::new();
    for c in chunks {
        match &c.v {
            Chunk::Normal(t) => text.push_str(t),
            Chunk::Verbatim(t) => {
                text.push('{');
                text.push_str(t);
                text.push('}');
            }
            Chunk::Math(m) => {
                text.push('$');
                text.push_str(m);
                text.push('$');
            }
        }
    }
    let mut items = Vec::new();
    let (mut depth, mut start) = (0usize, 0usize);
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'{' => depth += 1,
            b'}' => depth = depth.saturating_sub(1),
            b' ' if depth == 0
                && bytes.len() >= i + 5
                && bytes[i + 1..i + 4].eq_ignore_ascii_case(b"and")
                && bytes[i + 4].is_ascii_whitespace() =>
            {
                items.push(text[start..i].trim().to_string());
                start = i + 5;
                i += 5;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    items.push(text[start..].trim().to_string());
    items.retain(|s| !s.is_empty());
    items
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
    (0..b.len().saturating_sub(3)).find_map(|i| {
        let digits = &b[i..i + 4];
        let alone = (i == 0 || !b[i - 1].is_ascii_digit())
            && b.get(i + 4).is_none_or(|c| !c.is_ascii_digit());
        (alone && digits.iter().all(u8::is_ascii_digit))
            .then(|| s[i..i + 4].parse().ok())
            .flatten()
    })
}

/// Fields read into columns; everything else goes to `extra`.
const MAPPED: &[&str] = &[
    "title",
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

fn to_paper(entry: &Entry, raw_kind: &str) -> Result<Paper, (Option<usize>, String)> {
    let mut p = Paper {
        citation_key: Some(entry.key.clone()),
        ..Paper::default()
    };
    let (kind, known) = entry_kind(raw_kind);
    if !known {
        p.extra.insert("entrytype".into(), raw_kind.to_string());
    }
    p.kind = Some(kind);
    p.title = field_text(entry, "title");
    p.authors = people(entry, "author");
    p.editors = people(entry, "editor");
    let journal = field_text(entry, "journaltitle").or_else(|| field_text(entry, "journal"));
    let booktitle = field_text(entry, "booktitle");
    p.container = journal.clone().or_else(|| booktitle.clone());
    if journal.is_some() {
        if let Some(b) = booktitle {
            p.extra.insert("booktitle".into(), b);
        }
    }
    p.volume = field_text(entry, "volume");
    p.issue = field_text(entry, "number").or_else(|| field_text(entry, "issue"));
    if entry.get("number").is_some() {
        if let Some(i) = field_text(entry, "issue") {
            p.extra.insert("issue".into(), i);
        }
    }
    p.pages = field_text(entry, "pages").map(|s| s.replace(['–', '—'], "-"));
    p.publisher = field_text(entry, "publisher");
    p.url = field_text(entry, "url");
    p.abstract_text = field_text(entry, "abstract");
    if let Some(d) = field_text(entry, "doi") {
        match normalize_doi(&d) {
            Some(n) => p.doi = Some(n),
            None => {
                p.extra.insert("doi".into(), d);
            }
        }
    }
    // arXiv: eprint + archivePrefix/eprinttype = arXiv; else an arXiv URL or "arXiv preprint arXiv:…".
    let archive = field_text(entry, "archiveprefix")
        .or_else(|| field_text(entry, "eprinttype"))
        .unwrap_or_default();
    let eprint = field_text(entry, "eprint");
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
    if let Some(c) = field_text(entry, "primaryclass").or_else(|| field_text(entry, "eprintclass"))
    {
        p.categories.push(c);
    }
    // Dates: a BibLaTeX `date` must be ISO 8601; `year` may be free text ("in press").
    if entry.get("date").is_some() {
        match entry.date() {
            Ok(PermissiveType::Typed(Date { value, .. })) => {
                let at: Datetime = match value {
                    DateValue::At(d)
                    | DateValue::After(d)
                    | DateValue::Before(d)
                    | DateValue::Between(d, _) => d,
                };
                p.year = Some(at.year);
                p.month = at.month.map(|m| m + 1);
            }
            _ => {
                // A number-led date that is not ISO 8601 (`2012-13`, `19XXX-XX-XX`) is corrupt data;
                // free text (`Mar 3`, as EndNote exports write) is kept as text beside the year.
                let text = field_text(entry, "date").unwrap_or_default();
                if text.starts_with(|c: char| c.is_ascii_digit()) {
                    return Err((chunks_start(entry, "date"), format!("date {text:?} is not a valid date (expected YYYY, YYYY-MM or YYYY-MM-DD)")));
                }
                p.extra.insert("date".into(), text);
            }
        }
    }
    if p.year.is_none() {
        if let Some(y) = field_text(entry, "year") {
            match first_year(&y) {
                Some(year) => p.year = Some(year),
                None => {
                    p.extra.insert("year".into(), y);
                }
            }
        }
    }
    if p.month.is_none() {
        if let Some(m) = field_text(entry, "month") {
            match month_number(&m) {
                Some(n) => p.month = Some(n),
                None => {
                    p.extra.insert("month".into(), m);
                }
            }
        }
    }
    for name in entry.fields.keys() {
        if MAPPED.contains(&name.as_str()) {
            continue;
        }
        if let Some(v) = field_text(entry, name) {
            p.extra.insert(name.clone(), v);
        }
    }
    Ok(p)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_keyless_entry_inheriting_from_the_empty_key_is_a_cycle_not_a_stack_overflow() {
        // Found by the property test: the crate resolved `crossref = {}` to the entry itself.
        let text = "@misc{, crossref = {}, title = {A}}\n@misc{ok, title = {B}, crossref = {}}\n";
        let recs = parse_all("c.bib", text);
        assert_eq!(recs.len(), 2);
        assert_eq!(
            recs[0].as_ref().unwrap_err().to_string(),
            "c.bib:1: entry \"\": crossref/xdata cycle (an entry without a key inherits from the empty key, itself)"
        );
        assert_eq!(recs[1].as_ref().unwrap().paper.title.as_deref(), Some("B"));
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
    fn one_bad_entry_does_not_hide_the_others() {
        let text = "@article{a, title={One}}\n\n@article{b,\n  title = {Two},\n  author 💯 {X}\n}\n@article{c, title={Three}}\n@article{a, title={Again}}\n";
        let recs = papers(text);
        let ok: Vec<_> = recs
            .iter()
            .filter_map(|r| r.as_ref().ok())
            .map(|r| r.paper.title.clone().unwrap())
            .collect();
        assert_eq!(ok, vec!["One", "Three"]);
        let errs: Vec<_> = recs.iter().filter_map(|r| r.as_ref().err()).collect();
        assert_eq!(errs.len(), 2, "{errs:?}");
        assert_eq!(errs[0].line, 5, "{}", errs[0]);
        assert_eq!(errs[1].line, 8);
        assert!(errs[1].reason.contains("duplicate"), "{}", errs[1]);
    }

    #[test]
    fn unclosed_entry_costs_only_itself() {
        let text = "@article{a,\n  title = {One\n}\n@article{b, title={Two}}\n";
        let recs = papers(text);
        assert_eq!(recs.len(), 2);
        assert_eq!(recs[0].as_ref().unwrap_err().line, 1);
        assert_eq!(
            recs[1].as_ref().unwrap().paper.title.as_deref(),
            Some("Two")
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
