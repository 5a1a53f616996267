//! The citation key pattern language: parsing a pattern, and the key it gives a paper. Keeping
//! keys unique in a library and pinning them is `topica_core::citekey`'s.
//!
//! Two spellings of one pattern language are accepted (see docs/citation-keys.md):
//! - Better BibTeX formulas: `auth.lower + year + shorttitle(1)`, alternatives with `|`,
//!   literals in quotes (`auth + '_' + year`).
//! - JabRef brackets: `[auth:lower][year][shorttitle:lower]`, with literal text between brackets.

use unicode_normalization::UnicodeNormalization;

use crate::{Error, Result};
use topica_model::{Author, Paper};

/// The pattern a new library uses: `vaswani2017attention`.
pub const DEFAULT_PATTERN: &str = "auth.lower + year + shorttitle(1)";

/// Words `shorttitle`/`veryshorttitle`/`title` skip (Better BibTeX's and JabRef's function words, abridged).
const FUNCTION_WORDS: &[&str] = &[
    "a", "about", "above", "across", "after", "against", "along", "among", "an", "and", "around",
    "as", "at", "before", "behind", "below", "beneath", "beside", "between", "beyond", "but", "by",
    "down", "during", "for", "from", "in", "inside", "into", "is", "are", "near", "nor", "of",
    "off", "on", "onto", "or", "out", "over", "so", "the", "through", "to", "toward", "towards",
    "under", "up", "upon", "via", "with", "within", "without", "yet", "der", "die", "das", "le",
    "la", "les", "un", "une", "des", "du", "el", "los",
];

/// A parsed key pattern: alternatives tried in order until one yields a non-empty key.
#[derive(Debug, Clone, PartialEq)]
pub struct KeyPattern {
    source: String,
    alternatives: Vec<Vec<Piece>>,
}

#[derive(Debug, Clone, PartialEq)]
enum Piece {
    Literal(String),
    Call {
        func: Func,
        args: Vec<usize>,
        filters: Vec<Filter>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Func {
    /// Family name of author m (default 1), first n characters (0 = all).
    Auth,
    /// Family names of the first n authors (0 = all), "EtAl" when more.
    Authors,
    /// One author: Family; two: FamilyAndFamily; more: FamilyEtAl.
    AuthEtAl,
    /// Initials of the first n authors' family names (BibTeX alpha style).
    AuthorsAlpha,
    Year,
    ShortYear,
    Month,
    /// First n (default 3) significant words, the first m capitalised, the rest lower case.
    ShortTitle,
    /// First significant word.
    VeryShortTitle,
    /// Every significant word, capitalised.
    Title,
    FirstPage,
    Journal,
    /// The arXiv id (`2112.09332`), empty without one.
    Arxiv,
}

#[derive(Debug, Clone, PartialEq)]
enum Filter {
    Lower,
    Upper,
    Capitalize,
    /// Drops everything but letters and digits.
    NoPunct,
    /// First letter of each word.
    Abbr,
    /// 1-based start, length.
    Substring(usize, usize),
    Prefix(String),
    Postfix(String),
}

impl Func {
    fn from_name(name: &str) -> Option<Func> {
        Some(match name.to_ascii_lowercase().as_str() {
            "auth" => Func::Auth,
            "authors" => Func::Authors,
            "authetal" | "auth.etal" => Func::AuthEtAl,
            "authorsalpha" => Func::AuthorsAlpha,
            "year" => Func::Year,
            "shortyear" => Func::ShortYear,
            "month" => Func::Month,
            "shorttitle" => Func::ShortTitle,
            "veryshorttitle" => Func::VeryShortTitle,
            "title" | "camel" => Func::Title,
            "firstpage" => Func::FirstPage,
            "journal" => Func::Journal,
            "arxiv" => Func::Arxiv,
            _ => return None,
        })
    }
}

impl std::fmt::Display for KeyPattern {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.source)
    }
}

impl std::str::FromStr for KeyPattern {
    type Err = Error;
    fn from_str(s: &str) -> Result<KeyPattern> {
        KeyPattern::parse(s)
    }
}

impl Default for KeyPattern {
    fn default() -> KeyPattern {
        KeyPattern::parse(DEFAULT_PATTERN).expect("the default pattern parses")
    }
}

fn bad(pattern: &str, reason: impl std::fmt::Display) -> Error {
    Error::Invalid(format!("citation key pattern {pattern:?}: {reason}"))
}

impl KeyPattern {
    /// Parses either spelling; the error names the offending part.
    pub fn parse(source: &str) -> Result<KeyPattern> {
        let s = source.trim();
        if s.is_empty() {
            return Err(bad(source, "the pattern is empty"));
        }
        let alternatives = if s.contains('[') {
            vec![parse_jabref(s)?]
        } else {
            parse_formula(s)?
        };
        Ok(KeyPattern {
            source: s.to_string(),
            alternatives,
        })
    }

    /// The key this pattern gives `paper`, before uniqueness suffixes. Papers with neither title
    /// nor authors (arXiv ids not yet enriched) get `arxiv<id>`, which is then kept.
    pub fn key_for(&self, paper: &Paper) -> String {
        let has_title = paper.title.as_deref().is_some_and(|t| !t.trim().is_empty());
        if has_title || !paper.authors.is_empty() {
            for alt in &self.alternatives {
                let key = sanitize(&alt.iter().map(|p| eval(p, paper)).collect::<String>());
                // A key of digits alone ("2017") says nothing; try the next alternative.
                if key.chars().any(|c| c.is_ascii_alphabetic()) {
                    return key;
                }
            }
        }
        fallback_key(paper)
    }
}

/// `arxiv2112.09332`, `arxivhep-th9901001`, or `paper<id>` without an arXiv id.
fn fallback_key(paper: &Paper) -> String {
    match &paper.arxiv_id {
        Some(a) => sanitize(&format!("arxiv{}", a.replace('/', ""))),
        None => match &paper.doi {
            Some(d) => sanitize(&format!("doi{}", d.rsplit('/').next().unwrap_or(d))),
            None => format!("paper{}", paper.id),
        },
    }
}

fn parse_args(pattern: &str, inner: &str) -> Result<Vec<String>> {
    let args: Vec<String> = inner
        .split(',')
        .map(|a| a.trim().trim_matches(|c| c == '\'' || c == '"').to_string())
        .filter(|a| !a.is_empty())
        .collect();
    if args.len() > 3 {
        return Err(bad(pattern, format!("too many arguments in ({inner})")));
    }
    Ok(args)
}

fn numbers(pattern: &str, name: &str, args: &[String]) -> Result<Vec<usize>> {
    args.iter()
        .map(|a| {
            a.parse::<usize>()
                .map_err(|_| bad(pattern, format!("{name}: {a:?} is not a number")))
        })
        .collect()
}

fn parse_filter(pattern: &str, name: &str, args: &[String]) -> Result<Filter> {
    let n = |i: usize| -> Result<usize> {
        args.get(i)
            .ok_or_else(|| {
                bad(
                    pattern,
                    format!("filter {name} needs {} argument(s)", i + 1),
                )
            })?
            .parse()
            .map_err(|_| {
                bad(
                    pattern,
                    format!("filter {name}: {:?} is not a number", args[i]),
                )
            })
    };
    let s = |i: usize| -> Result<String> {
        args.get(i)
            .cloned()
            .ok_or_else(|| bad(pattern, format!("filter {name} needs a text argument")))
    };
    Ok(match name.to_ascii_lowercase().as_str() {
        "lower" => Filter::Lower,
        "upper" => Filter::Upper,
        "capitalize" => Filter::Capitalize,
        "nopunct" | "condense" | "ascii" | "fold" | "clean" => Filter::NoPunct,
        "abbr" => Filter::Abbr,
        "substring" => Filter::Substring(n(0)?.max(1), n(1)?),
        "prefix" => Filter::Prefix(s(0)?),
        "postfix" => Filter::Postfix(s(0)?),
        other => return Err(bad(pattern, format!("unknown filter {other:?}"))),
    })
}

/// Splits `name(args)` into the name and its argument list.
fn split_call<'a>(pattern: &str, term: &'a str) -> Result<(&'a str, Vec<String>, &'a str)> {
    let term = term.trim();
    let name_end = term
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(term.len());
    let (name, rest) = term.split_at(name_end);
    if let Some(after_paren) = rest.strip_prefix('(') {
        let close = after_paren
            .find(')')
            .ok_or_else(|| bad(pattern, format!("missing ) after {name}(")))?;
        Ok((
            name,
            parse_args(pattern, &after_paren[..close])?,
            &after_paren[close + 1..],
        ))
    } else {
        Ok((name, Vec::new(), rest))
    }
}

/// `auth.lower + year + shorttitle(1) | arxiv`: alternatives of `+`-joined terms.
fn parse_formula(s: &str) -> Result<Vec<Vec<Piece>>> {
    let mut alternatives = Vec::new();
    for alt in split_outside_quotes(s, '|') {
        let mut pieces = Vec::new();
        for term in split_outside_quotes(&alt, '+') {
            let term = term.trim();
            if term.is_empty() {
                return Err(bad(s, "empty term (two '+' in a row?)"));
            }
            if let Some(lit) = quoted(term) {
                pieces.push(Piece::Literal(lit.to_string()));
                continue;
            }
            // `auth.etal` is a function name with a dot; any other dot starts a filter.
            let (term, etal) = match term.strip_prefix("auth.etal") {
                Some(rest) => (rest, true),
                None => (term, false),
            };
            let (name, args, mut rest) = if etal {
                ("authetal", Vec::new(), term)
            } else {
                split_call(s, term)?
            };
            let func = Func::from_name(name)
                .ok_or_else(|| bad(s, format!("unknown function {name:?}")))?;
            let args = numbers(s, name, &args)?;
            let mut filters = Vec::new();
            while let Some(r) = rest.strip_prefix('.') {
                let (fname, fargs, after) = split_call(s, r)?;
                filters.push(parse_filter(s, fname, &fargs)?);
                rest = after;
            }
            if !rest.trim().is_empty() {
                return Err(bad(s, format!("unexpected {:?} after {name}", rest.trim())));
            }
            pieces.push(Piece::Call {
                func,
                args,
                filters,
            });
        }
        alternatives.push(pieces);
    }
    Ok(alternatives)
}

/// `[auth:lower][year]-[shorttitle]`: JabRef's bracket syntax, `authN`/`authorsN` included.
fn parse_jabref(s: &str) -> Result<Vec<Piece>> {
    let mut pieces = Vec::new();
    let mut rest = s;
    while !rest.is_empty() {
        match rest.find('[') {
            Some(0) => {
                let close = rest.find(']').ok_or_else(|| bad(s, "missing ]"))?;
                let inner = &rest[1..close];
                let mut parts = inner.split(':');
                let field = parts.next().unwrap_or("").trim();
                let digits_at = field
                    .find(|c: char| c.is_ascii_digit())
                    .unwrap_or(field.len());
                let (name, n) = field.split_at(digits_at);
                let func = Func::from_name(name)
                    .ok_or_else(|| bad(s, format!("unknown field [{field}]")))?;
                let args = if n.is_empty() {
                    Vec::new()
                } else {
                    vec![n
                        .parse()
                        .map_err(|_| bad(s, format!("bad number in [{field}]")))?]
                };
                let filters = parts
                    .map(|m| parse_filter(s, m.trim(), &[]))
                    .collect::<Result<Vec<_>>>()?;
                pieces.push(Piece::Call {
                    func,
                    args,
                    filters,
                });
                rest = &rest[close + 1..];
            }
            Some(i) => {
                pieces.push(Piece::Literal(rest[..i].to_string()));
                rest = &rest[i..];
            }
            None => {
                pieces.push(Piece::Literal(rest.to_string()));
                rest = "";
            }
        }
    }
    Ok(pieces)
}

fn quoted(term: &str) -> Option<&str> {
    let t = term.trim();
    for q in ['\'', '"'] {
        if t.len() >= 2 && t.starts_with(q) && t.ends_with(q) {
            return Some(&t[1..t.len() - 1]);
        }
    }
    None
}

fn split_outside_quotes(s: &str, sep: char) -> Vec<String> {
    let mut out = vec![String::new()];
    let mut quote: Option<char> = None;
    let mut depth = 0usize;
    for c in s.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (None, '\'' | '"') => quote = Some(c),
            (None, '(') => depth += 1,
            (None, ')') => depth = depth.saturating_sub(1),
            (None, c) if c == sep && depth == 0 => {
                out.push(String::new());
                continue;
            }
            _ => {}
        }
        out.last_mut().expect("never empty").push(c);
    }
    out
}

/// Folds a string to ASCII: accents dropped, ß → ss, ø → o, æ → ae, ł → l.
pub fn ascii_fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.nfkd() {
        if c.is_ascii() {
            out.push(c);
            continue;
        }
        match c {
            'ß' => out.push_str("ss"),
            'ø' => out.push('o'),
            'Ø' => out.push('O'),
            'æ' => out.push_str("ae"),
            'Æ' => out.push_str("AE"),
            'œ' => out.push_str("oe"),
            'Œ' => out.push_str("OE"),
            'ł' => out.push('l'),
            'Ł' => out.push('L'),
            'đ' => out.push('d'),
            'Đ' => out.push('D'),
            'ı' => out.push('i'),
            'þ' => out.push_str("th"),
            'ð' => out.push('d'),
            '\u{2010}'..='\u{2015}' => out.push('-'),
            _ => {} // combining marks and scripts without a Latin spelling
        }
    }
    out
}

/// Keeps the characters BibTeX, biber and LaTeX's `\cite` all accept in a key.
fn sanitize(s: &str) -> String {
    ascii_fold(s)
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | ':' | '.'))
        .collect()
}

fn alnum(s: &str) -> String {
    ascii_fold(s)
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect()
}

/// The part of a name a key uses: family name without particle; an institution's first
/// significant word ("The LIGO Collaboration" → "LIGO").
fn name_part(a: &Author) -> String {
    if a.literal {
        let words = significant_words(&a.family);
        return words.first().map(|w| alnum(w)).unwrap_or_default();
    }
    alnum(&a.family)
}

fn significant_words(text: &str) -> Vec<String> {
    text.split(|c: char| c.is_whitespace() || c == '-' || c == '/' || c == '–' || c == '—')
        .map(|w| {
            w.chars()
                .filter(|c| c.is_alphanumeric())
                .collect::<String>()
        })
        .filter(|w| !w.is_empty() && !FUNCTION_WORDS.contains(&w.to_lowercase().as_str()))
        .collect()
}

fn capitalize(w: &str) -> String {
    let mut c = w.chars();
    match c.next() {
        Some(f) => f
            .to_uppercase()
            .chain(c.flat_map(char::to_lowercase))
            .collect(),
        None => String::new(),
    }
}

fn eval(piece: &Piece, p: &Paper) -> String {
    let (func, args, filters) = match piece {
        Piece::Literal(s) => return s.clone(),
        Piece::Call {
            func,
            args,
            filters,
        } => (*func, args, filters),
    };
    let arg = |i: usize, default: usize| args.get(i).copied().unwrap_or(default);
    let mut v = match func {
        Func::Auth => {
            let name = p
                .authors
                .get(arg(1, 1).max(1) - 1)
                .map(name_part)
                .unwrap_or_default();
            match arg(0, 0) {
                0 => name,
                n => name.chars().take(n).collect(),
            }
        }
        Func::Authors => {
            let n = arg(0, 0);
            let shown = if n == 0 {
                p.authors.len()
            } else {
                n.min(p.authors.len())
            };
            let mut s: String = p.authors[..shown].iter().map(name_part).collect();
            if shown < p.authors.len() {
                s.push_str("EtAl");
            }
            s
        }
        Func::AuthEtAl => match p.authors.as_slice() {
            [] => String::new(),
            [a] => name_part(a),
            [a, b] => format!("{}And{}", name_part(a), name_part(b)),
            [a, ..] => format!("{}EtAl", name_part(a)),
        },
        Func::AuthorsAlpha => {
            let n = arg(0, 3).max(1);
            match p.authors.as_slice() {
                [] => String::new(),
                [a] => name_part(a).chars().take(3).collect(),
                many => {
                    let mut s: String = many
                        .iter()
                        .take(n)
                        .filter_map(|a| name_part(a).chars().next())
                        .collect();
                    if many.len() > n {
                        s.push('+');
                    }
                    s
                }
            }
        }
        Func::Year => p.year.map(|y| y.to_string()).unwrap_or_default(),
        Func::ShortYear => p
            .year
            .map(|y| format!("{:02}", y.rem_euclid(100)))
            .unwrap_or_default(),
        Func::Month => p.month.map(|m| format!("{m:02}")).unwrap_or_default(),
        Func::ShortTitle | Func::VeryShortTitle | Func::Title => {
            let words = significant_words(p.title.as_deref().unwrap_or(""));
            let (n, m) = match func {
                Func::ShortTitle => (arg(0, 3), arg(1, 0)),
                Func::VeryShortTitle => (arg(0, 1), arg(1, 0)),
                _ => (usize::MAX, usize::MAX),
            };
            words
                .iter()
                .take(n)
                .enumerate()
                .map(|(i, w)| {
                    if i < m {
                        capitalize(w)
                    } else {
                        w.to_lowercase()
                    }
                })
                .collect()
        }
        Func::FirstPage => p
            .pages
            .as_deref()
            .and_then(|pg| {
                pg.split(|c: char| !c.is_alphanumeric())
                    .find(|s| !s.is_empty())
            })
            .unwrap_or("")
            .to_string(),
        Func::Journal => p
            .container
            .as_deref()
            .map(|c| significant_words(c).iter().map(|w| capitalize(w)).collect())
            .unwrap_or_default(),
        Func::Arxiv => p.arxiv_id.clone().unwrap_or_default(),
    };
    for f in filters {
        v = match f {
            Filter::Lower => v.to_lowercase(),
            Filter::Upper => v.to_uppercase(),
            Filter::Capitalize => capitalize(&v),
            Filter::NoPunct => alnum(&v),
            Filter::Abbr => v
                .split_whitespace()
                .filter_map(|w| w.chars().next())
                .collect(),
            Filter::Substring(start, len) => v.chars().skip(start - 1).take(*len).collect(),
            Filter::Prefix(s) if !v.is_empty() => format!("{s}{v}"),
            Filter::Postfix(s) if !v.is_empty() => format!("{v}{s}"),
            Filter::Prefix(_) | Filter::Postfix(_) => v,
        };
    }
    v
}

/// Suffixes `a`, `b`, … `z`, `aa`, `ab`… until `taken` says no.
pub fn make_unique<E>(
    base: &str,
    mut taken: impl FnMut(&str) -> std::result::Result<bool, E>,
) -> std::result::Result<String, E> {
    if !taken(base)? {
        return Ok(base.to_string());
    }
    for n in 0usize.. {
        let mut suffix = Vec::new();
        let mut k = n;
        loop {
            suffix.push(b'a' + (k % 26) as u8);
            if k < 26 {
                break;
            }
            k = k / 26 - 1;
        }
        suffix.reverse();
        let candidate = format!("{base}{}", String::from_utf8(suffix).expect("ascii"));
        if !taken(&candidate)? {
            return Ok(candidate);
        }
    }
    unreachable!("an unbounded search always ends")
}

/// Whether a key string from a file is one we can keep (non-empty, no spaces or BibTeX delimiters).
pub fn is_valid_key(key: &str) -> bool {
    !key.is_empty()
        && key.len() <= 200
        && !key.chars().any(|c| {
            c.is_whitespace()
                || c.is_control()
                || matches!(
                    c,
                    ',' | '{' | '}' | '(' | ')' | '"' | '#' | '%' | '\'' | '=' | '~' | '\\'
                )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paper(title: &str, authors: &[(&str, &str)], year: i32) -> Paper {
        Paper {
            title: Some(title.into()),
            authors: authors.iter().map(|(f, g)| Author::new(*f, *g)).collect(),
            year: Some(year),
            ..Paper::default()
        }
    }

    #[test]
    fn default_pattern_gives_author_year_first_title_word() {
        let p = paper(
            "Attention Is All You Need",
            &[("Vaswani", "Ashish"), ("Shazeer", "Noam")],
            2017,
        );
        assert_eq!(KeyPattern::default().key_for(&p), "vaswani2017attention");
        let p = paper(
            "The Ökonomie of Ærø",
            &[("Müller-Lüdenscheidt", "Jörg")],
            2020,
        );
        assert_eq!(
            KeyPattern::default().key_for(&p),
            "mullerludenscheidt2020okonomie"
        );
    }

    #[test]
    fn better_bibtex_formulas() {
        let p = paper(
            "Deep Residual Learning for Image Recognition",
            &[("He", "Kaiming"), ("Zhang", "X"), ("Ren", "S")],
            2016,
        );
        let k = |pat: &str| KeyPattern::parse(pat).unwrap().key_for(&p);
        assert_eq!(
            k("auth.lower + shorttitle(3,3) + year"),
            "heDeepResidualLearning2016"
        );
        assert_eq!(k("auth + '_' + shortyear"), "He_16");
        assert_eq!(k("authors(2) + year"), "HeZhangEtAl2016");
        assert_eq!(k("auth.etal + year"), "HeEtAl2016");
        assert_eq!(k("authorsAlpha + shortyear"), "HZR16");
        assert_eq!(k("title.substring(1,10)"), "DeepResidu");
        assert_eq!(k("veryshorttitle.upper + year"), "DEEP2016");
        assert_eq!(
            k("journal | auth.lower + year"),
            "he2016",
            "an empty alternative falls through"
        );
    }

    #[test]
    fn jabref_brackets() {
        let p = paper("Attention Is All You Need", &[("Vaswani", "Ashish")], 2017);
        let k = |pat: &str| KeyPattern::parse(pat).unwrap().key_for(&p);
        assert_eq!(
            k("[auth:lower][year][shorttitle:lower]"),
            "vaswani2017attentionallyou"
        );
        assert_eq!(k("[auth3]-[year]"), "Vas-2017");
        assert_eq!(k("[authEtAl][shortyear]"), "Vaswani17");
    }

    #[test]
    fn bad_patterns_are_refused_with_a_reason() {
        for (pat, needle) in [
            ("", "empty"),
            ("auth + nosuch", "unknown function"),
            ("auth.shout", "unknown filter"),
            ("[auth", "missing ]"),
            ("auth(x)", "not a number"),
        ] {
            let e = KeyPattern::parse(pat).unwrap_err().to_string();
            assert!(e.contains(needle), "{pat:?}: {e}");
        }
    }

    #[test]
    fn papers_without_title_or_authors_use_the_arxiv_id() {
        let p = Paper {
            arxiv_id: Some("2112.09332".into()),
            year: Some(2021),
            ..Paper::default()
        };
        assert_eq!(KeyPattern::default().key_for(&p), "arxiv2112.09332");
        let p = Paper {
            arxiv_id: Some("hep-th/9901001".into()),
            ..Paper::default()
        };
        assert_eq!(KeyPattern::default().key_for(&p), "arxivhep-th9901001");
    }

    #[test]
    fn institutions_use_their_first_significant_word() {
        let mut p = paper("Observation of Gravitational Waves", &[], 2016);
        p.authors = vec![Author::literal("The LIGO Scientific Collaboration")];
        assert_eq!(KeyPattern::default().key_for(&p), "ligo2016observation");
    }

    #[test]
    fn suffixes_run_a_to_z_then_aa() {
        let taken: Vec<String> = std::iter::once("k".to_string())
            .chain((b'a'..=b'z').map(|c| format!("k{}", c as char)))
            .collect();
        assert_eq!(
            make_unique("k", |c| Ok::<_, Error>(taken.iter().any(|t| t == c))).unwrap(),
            "kaa"
        );
        assert_eq!(
            make_unique("free", |_| Ok::<_, Error>(false)).unwrap(),
            "free"
        );
        assert!(
            is_valid_key("vaswani2017attention") && !is_valid_key("a b") && !is_valid_key("a,b")
        );
    }
}
