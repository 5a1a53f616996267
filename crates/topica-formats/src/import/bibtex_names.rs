//! BibTeX name lists (`author`, `editor`) split BibTeX's way, on the LaTeX as written:
//! names at the top-level ` and `; each name by its top-level commas (`von Last, First`,
//! `von Last, Jr, First`) or, without a comma, `First von Last`, where the von part is the
//! words starting in lower case. A name that is one braced group (`{World Health
//! Organization}`) is one literal name; biblatex's `family=…, given=…` form is read too.
//! Splitting happens before LaTeX is decoded, so an accent's braces never split a name.

use super::latex::{decode, Unknown};
use super::text::collapse_ws;
use topica_model::Author;

/// The names of a list, in order. `and others` (et al.) is kept as a name `others`, as
/// BibTeX styles read it, so that an export writes it back.
pub(super) fn names(raw: &str, unknown: &mut Unknown) -> Vec<Author> {
    split_top_level_and(raw)
        .into_iter()
        .map(|item| name(&item, unknown))
        .filter(|a| !a.family.is_empty() || !a.given.is_empty())
        .collect()
}

/// Splits at ` and ` outside braces (any white space around it, any case).
fn split_top_level_and(raw: &str) -> Vec<String> {
    let b = raw.as_bytes();
    let mut items = Vec::new();
    let (mut depth, mut start, mut i) = (0usize, 0usize, 0usize);
    // Every split is at an ASCII white space byte: `raw.get` never gives `None` below.
    while let Some(&c) = b.get(i) {
        match c {
            b'{' => depth += 1,
            b'}' => depth = depth.saturating_sub(1),
            b'\\' => i += 1,
            c if depth == 0
                && c.is_ascii_whitespace()
                && b.get(i + 1..i + 4)
                    .is_some_and(|w| w.eq_ignore_ascii_case(b"and"))
                && b.get(i + 4).is_some_and(u8::is_ascii_whitespace) =>
            {
                items.push(raw.get(start..i).unwrap_or_default().trim().to_string());
                start = i + 5;
                i += 5;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    items.push(raw.get(start..).unwrap_or_default().trim().to_string());
    items.retain(|s| !s.is_empty());
    items
}

/// One name as written.
fn name(item: &str, unknown: &mut Unknown) -> Author {
    let mut clean = |parts: &[&str]| collapse_ws(&decode(&parts.join(" "), unknown));
    let parts = split_top_level(item, |c| c == b',');
    if let Some(a) = extended_name(&parts, &mut clean) {
        return a;
    }
    match parts.as_slice() {
        [whole] if is_one_group(whole) => {
            let text = clean(&[whole]);
            if text.contains(' ') {
                Author::literal(text)
            } else {
                Author::new(text, "")
            }
        }
        [whole] => {
            let words = split_top_level(whole, |c| c.is_ascii_whitespace() || c == b'~');
            let Some([given, von, family]) = first_von_last(&words) else {
                return Author::default();
            };
            Author {
                given: clean(given),
                particle: clean(von),
                family: clean(family),
                ..Author::default()
            }
        }
        [last, rest @ ..] => {
            let words = split_top_level(last, |c| c.is_ascii_whitespace() || c == b'~');
            // The von part: the leading lower-case words, but never the last word.
            let von = words
                .iter()
                .take(words.len().saturating_sub(1))
                .take_while(|w| starts_lower(w, &mut Unknown::default()))
                .count();
            let (von, family) = words
                .split_at_checked(von)
                .unwrap_or((&[], words.as_slice()));
            let (suffix, given) = match rest {
                [given] => ("", *given),
                [suffix, given, ..] => (*suffix, *given),
                [] => ("", ""),
            };
            Author {
                particle: clean(von),
                family: clean(family),
                given: clean(&[given]),
                suffix: clean(&[suffix]),
                literal: false,
            }
        }
        [] => Author::default(),
    }
}

/// `First von Last`: the given, von and family words. The last word is always the family
/// name; the von part runs from the first to the last lower-case word before it. `None` when
/// there are no words.
fn first_von_last<'a, 'w>(words: &'a [&'w str]) -> Option<[&'a [&'w str]; 3]> {
    let (_, before_last) = words.split_last()?;
    let mut unknown = Unknown::default();
    let lower: Vec<bool> = before_last
        .iter()
        .map(|w| starts_lower(w, &mut unknown))
        .collect();
    let (von_start, family_start) = match (
        lower.iter().position(|&l| l),
        lower.iter().rposition(|&l| l),
    ) {
        (Some(first), Some(last)) => (first, last + 1),
        _ => (before_last.len(), before_last.len()),
    };
    let (given, rest) = words.split_at_checked(von_start)?;
    let (von, family) = rest.split_at_checked(family_start.saturating_sub(von_start))?;
    Some([given, von, family])
}

/// Whether a word starts in lower case as BibTeX sees it: the first letter outside braces,
/// or the letter of a special character (`{\'e}`); other braced groups have no case.
fn starts_lower(word: &str, unknown: &mut Unknown) -> bool {
    let b = word.as_bytes();
    let mut i = 0;
    // `i` only moves over ASCII bytes and whole groups, so it stays on character boundaries.
    while let Some(&c) = b.get(i) {
        match c {
            b'{' if b.get(i + 1) == Some(&b'\\') => {
                let end = group_end(b, i);
                let text = decode(word.get(i..end).unwrap_or_default(), unknown);
                return text
                    .chars()
                    .find(|c| c.is_alphabetic())
                    .is_some_and(char::is_lowercase);
            }
            b'{' => i = group_end(b, i),
            b'\\' => {
                let text = decode(word.get(i..).unwrap_or_default(), unknown);
                return text
                    .chars()
                    .find(|c| c.is_alphabetic())
                    .is_some_and(char::is_lowercase);
            }
            c if c.is_ascii_alphabetic() => return c.is_ascii_lowercase(),
            c if c >= 0x80 => {
                return word
                    .get(i..)
                    .and_then(|rest| rest.chars().next())
                    .is_some_and(|c| c.is_alphabetic() && c.is_lowercase())
            }
            _ => i += 1,
        }
    }
    false
}

/// The byte after the group opened at `open`.
fn group_end(b: &[u8], open: usize) -> usize {
    let mut depth = 0usize;
    let mut i = open;
    while let Some(&c) = b.get(i) {
        match c {
            b'\\' => i += 1,
            b'{' => depth += 1,
            b'}' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return i + 1;
                }
            }
            _ => {}
        }
        i += 1;
    }
    b.len()
}

/// biblatex's extended name format: `family=Smith, given=John, prefix=van`.
fn extended_name(parts: &[&str], clean: &mut impl FnMut(&[&str]) -> String) -> Option<Author> {
    let mut a = Author::default();
    for part in parts {
        let (key, value) = part.split_once('=')?;
        let value = value.trim().trim_start_matches('"').trim_end_matches('"');
        match key.trim().to_ascii_lowercase().as_str() {
            "family" => a.family = clean(&[value]),
            "given" => a.given = clean(&[value]),
            "prefix" => a.particle = clean(&[value]),
            "suffix" => a.suffix = clean(&[value]),
            // Initials and flags say how to print the name, not what it is.
            "giveni" | "familyi" | "prefixi" | "suffixi" | "useprefix" => {}
            _ => return None,
        }
    }
    Some(a)
}

/// Splits at `sep` outside braces; pieces trimmed, empty ones dropped.
fn split_top_level(s: &str, sep: impl Fn(u8) -> bool) -> Vec<&str> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let (mut depth, mut start, mut i) = (0usize, 0usize, 0usize);
    // Every split is at an ASCII separator: `s.get` never gives `None` below.
    while let Some(&c) = b.get(i) {
        match c {
            b'\\' => {
                // `\~{n}` and `\,` are characters, not separators.
                i += 2;
                continue;
            }
            b'{' => depth += 1,
            b'}' => depth = depth.saturating_sub(1),
            c if depth == 0 && sep(c) => {
                out.push(s.get(start..i).unwrap_or_default().trim());
                start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    out.push(s.get(start.min(s.len())..).unwrap_or_default().trim());
    out.retain(|p| !p.is_empty());
    out
}

/// Whether `s` is one braced group: `{…}` with its first brace closed by its last.
fn is_one_group(s: &str) -> bool {
    let b = s.as_bytes();
    b.first() == Some(&b'{') && group_end(b, 0) == b.len()
}

#[cfg(test)]
#[allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::string_slice
)]
mod tests {
    use super::*;

    fn parse(s: &str) -> Vec<Author> {
        names(s, &mut Unknown::default())
    }

    fn a(family: &str, given: &str, particle: &str, suffix: &str) -> Author {
        Author {
            family: family.into(),
            given: given.into(),
            particle: particle.into(),
            suffix: suffix.into(),
            literal: false,
        }
    }

    #[test]
    fn the_three_bibtex_forms() {
        assert_eq!(
            parse(r"Ludwig van Beethoven and van der Berg, Jan and Smith, Jr., John"),
            [
                a("Beethoven", "Ludwig", "van", ""),
                a("Berg", "Jan", "van der", ""),
                a("Smith", "John", "", "Jr.")
            ]
        );
        assert_eq!(
            parse("D.~E. Knuth AND others"),
            [a("Knuth", "D. E.", "", ""), a("others", "", "", "")]
        );
    }

    #[test]
    fn accents_and_braces_do_not_split_names() {
        assert_eq!(
            parse(
                r#"Bal{\'a}zs Szegedy and {\"O}zt{\"u}rk, Ahmet and {\'E}mile Zola and Charles Louis de la Vall{\'e}e Poussin and Jean {de la} Fontaine"#
            ),
            [
                a("Szegedy", "Balázs", "", ""),
                a("Öztürk", "Ahmet", "", ""),
                a("Zola", "Émile", "", ""),
                a("Vallée Poussin", "Charles Louis", "de la", ""),
                // A braced group has no case: `{de la}` is not a von part.
                a("Fontaine", "Jean de la", "", ""),
            ]
        );
    }

    #[test]
    fn one_group_is_one_literal_name_and_the_extended_form_reads() {
        assert_eq!(
            parse("{World Health Organization}"),
            [Author::literal("World Health Organization")]
        );
        assert_eq!(parse("{Google}"), [a("Google", "", "", "")]);
        assert_eq!(
            parse("family=Smith, given=John, prefix=van, useprefix=true"),
            [a("Smith", "John", "van", "")]
        );
        assert_eq!(parse("Equals=Sign, Ann"), [a("Equals=Sign", "Ann", "", "")]);
    }
}
