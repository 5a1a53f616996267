//! Writing plain text as BibTeX field values: LaTeX special characters escaped, Unicode
//! spelled as LaTeX accents for 8-bit BibTeX, `$…$` math from arXiv metadata kept as is, and
//! title words whose capitals matter protected with braces.

/// How far to go in spelling Unicode as LaTeX.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Charset {
    /// Classic BibTeX is 8-bit: accents become `{\'e}`; other non-ASCII stays UTF-8.
    Ascii,
    /// biber reads UTF-8: only LaTeX's special characters are escaped.
    Utf8,
}

/// LaTeX spellings of precomposed letters (base letter + accent command).
fn accent_command(c: char) -> Option<&'static str> {
    Some(match c {
        '\u{0300}' => "`",
        '\u{0301}' => "'",
        '\u{0302}' => "^",
        '\u{0303}' => "~",
        '\u{0304}' => "=",
        '\u{0306}' => "u",
        '\u{0307}' => ".",
        '\u{0308}' => "\"",
        '\u{030A}' => "r",
        '\u{030B}' => "H",
        '\u{030C}' => "v",
        '\u{0327}' => "c",
        '\u{0328}' => "k",
        '\u{0323}' => "d",
        '\u{0331}' => "b",
        _ => return None,
    })
}

/// Letters and symbols with their own LaTeX macro.
fn symbol(c: char) -> Option<&'static str> {
    Some(match c {
        'ß' => "{\\ss}",
        'æ' => "{\\ae}",
        'Æ' => "{\\AE}",
        'œ' => "{\\oe}",
        'Œ' => "{\\OE}",
        'ø' => "{\\o}",
        'Ø' => "{\\O}",
        'å' => "{\\aa}",
        'Å' => "{\\AA}",
        'ł' => "{\\l}",
        'Ł' => "{\\L}",
        'ı' => "{\\i}",
        '\u{a0}' => "~",
        '…' => "{\\ldots}",
        '§' => "{\\S}",
        '©' => "{\\copyright}",
        _ => return None,
    })
}

/// Escapes one character of text outside math.
fn push_escaped(out: &mut String, c: char, charset: Charset) {
    match c {
        '\\' => out.push_str("{\\textbackslash}"),
        // Not `\{`: BibTeX counts every brace, escaped or not, so `\}` in text that does not
        // balance ends the field early. A braced command is a balanced group for every reader.
        '{' => out.push_str("{\\textbraceleft}"),
        '}' => out.push_str("{\\textbraceright}"),
        '&' | '%' | '$' | '#' | '_' => {
            out.push('\\');
            out.push(c);
        }
        '~' => out.push_str("{\\textasciitilde}"),
        '^' => out.push_str("{\\textasciicircum}"),
        c if c.is_ascii() => out.push(c),
        c if charset == Charset::Utf8 => out.push(c),
        // Dashes and curly quotes stay UTF-8: their ASCII spellings do not read back as the same text.
        c => {
            if let Some(s) = symbol(c) {
                out.push_str(s);
                return;
            }
            use unicode_normalization::UnicodeNormalization;
            let decomposed: Vec<char> = std::iter::once(c).nfd().collect();
            if let [base, marks @ ..] = decomposed.as_slice() {
                if base.is_ascii_alphabetic()
                    && !marks.is_empty()
                    && marks.iter().all(|m| accent_command(*m).is_some())
                {
                    // {\"{o}}: the outer braces keep BibTeX's purify and case changes off the accent.
                    let mut s = match *base {
                        'i' => "\\i".to_string(),
                        'j' => "\\j".to_string(),
                        b => b.to_string(),
                    };
                    for m in marks {
                        s = format!("\\{}{{{s}}}", accent_command(*m).expect("checked"));
                    }
                    out.push('{');
                    out.push_str(&s);
                    out.push('}');
                    return;
                }
            }
            out.push(c); // no LaTeX spelling: stays UTF-8 (inputenc/biber read it)
        }
    }
}

/// Splits text into (is_math, segment) runs; `$…$` only counts when balanced, so a lone
/// dollar sign ("costs $5") is text. Math whose braces do not balance (arXiv abstracts have
/// typos like `$e^{-a_{NR}} p)}$`) is text too: written verbatim it would end the BibTeX field
/// early and break every entry after it. Neither is math with a bare `%`, `#` or `&` in it (LaTeX
/// would comment out or refuse the rest). "Balance" holds both for BibTeX, which counts every
/// brace, and for readers that skip `\{` and `\}`: `${\}{}$` satisfies one and not the other.
fn math_runs(text: &str) -> Vec<(bool, &str)> {
    let mut runs = Vec::new();
    let mut rest = text;
    let mut from = 0;
    while let Some(start) = find_unescaped_dollar(rest, from) {
        let Some(end) = find_unescaped_dollar(rest, start + 1) else {
            break;
        };
        let run = &rest[start..=end];
        if !braces_balance(run)
            || !braces_balance(&without_escaped_braces(run))
            || has_unescaped(run, &['%', '#', '&'])
        {
            from = end + 1; // this pair is text: its closing dollar opens nothing either
            continue;
        }
        if start > 0 {
            runs.push((false, &rest[..start]));
        }
        runs.push((true, &rest[start..=end]));
        rest = &rest[end + 1..];
        from = 0;
    }
    if !rest.is_empty() {
        runs.push((false, rest));
    }
    runs
}

/// Whether `{` and `}` nest properly as BibTeX counts them: every brace, `\{` and `\}`
/// included (BibTeX knows no escapes), so math that passes this test cannot end a field.
fn braces_balance(s: &str) -> bool {
    let mut depth = 0i32;
    for c in s.chars() {
        match c {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth < 0 {
                    return false;
                }
            }
            _ => {}
        }
    }
    depth == 0
}

/// Whether `s` holds one of `chars` without a backslash before it. In math these are not math:
/// `%` would comment out the rest of the field in LaTeX, `#` and `&` are errors there.
fn has_unescaped(s: &str, chars: &[char]) -> bool {
    let mut escaped = false;
    for c in s.chars() {
        if !escaped && chars.contains(&c) {
            return true;
        }
        escaped = c == '\\' && !escaped;
    }
    false
}

/// `s` without its `\{` and `\}`: braces as readers that honour those escapes count them
/// (biber, biblatex-rs). Math is written as math only when both ways of counting balance.
fn without_escaped_braces(s: &str) -> String {
    s.replace("\\{", "").replace("\\}", "")
}

fn find_unescaped_dollar(s: &str, from: usize) -> Option<usize> {
    let bytes = s.as_bytes();
    (from..bytes.len()).find(|&i| bytes[i] == b'$' && (i == 0 || bytes[i - 1] != b'\\'))
}

/// Printable ASCII that [`escape`] copies as is: not a LaTeX special, not whitespace, and not
/// `-`, `` ` `` or `'` (which may need a ligature break).
fn is_plain_ascii(b: u8) -> bool {
    b.is_ascii_graphic()
        && !matches!(
            b,
            b'\\'
                | b'{'
                | b'}'
                | b'&'
                | b'%'
                | b'$'
                | b'#'
                | b'_'
                | b'~'
                | b'^'
                | b'-'
                | b'`'
                | b'\''
        )
}

/// Escapes a field value; `$…$` math passes through untouched.
pub fn escape(text: &str, charset: Charset) -> String {
    escape_with(text, charset, true)
}

/// Escapes text where a `$` is a dollar sign, never math (a person's name).
pub fn escape_literal(text: &str, charset: Charset) -> String {
    escape_with(text, charset, false)
}

fn escape_with(text: &str, charset: Charset, math: bool) -> String {
    // ASCII output spells accented letters as commands: a letter and its combining accent
    // (decomposed text, as macOS file names give it) become one letter first, so `a` + U+0301
    // is written `{\'{a}}` rather than a bare combining mark.
    let composed: String;
    let text = if charset == Charset::Ascii && !text.is_ascii() {
        use unicode_normalization::UnicodeNormalization;
        composed = text.nfc().collect();
        composed.as_str()
    } else {
        text
    };
    let mut out = String::with_capacity(text.len() + 8);
    let runs = if math {
        math_runs(text)
    } else {
        vec![(false, text)]
    };
    for (math, run) in runs {
        // Math goes out as written (`math_runs` only calls balanced math math).
        if math {
            // On one line: a line of the field that starts with `@` would read as a new entry.
            if run.contains(['\n', '\r']) {
                out.push_str(&run.replace(['\n', '\r'], " "));
            } else {
                out.push_str(run);
            }
        } else {
            // Line breaks in metadata (arXiv wraps titles) are layout: one space, never a
            // blank line, which LaTeX would read as a paragraph break inside an argument.
            let mut prev_space = false;
            let mut rest = run;
            while !rest.is_empty() {
                // Most text is plain ASCII that needs no escaping: copy it a span at a time
                // (character by character this was a tenth of a 10,000-paper BibTeX export).
                let plain = rest
                    .bytes()
                    .position(|b| !is_plain_ascii(b))
                    .unwrap_or(rest.len());
                if plain > 0 {
                    out.push_str(&rest[..plain]);
                    prev_space = false;
                    rest = &rest[plain..];
                    continue;
                }
                let c = rest.chars().next().expect("not empty");
                rest = &rest[c.len_utf8()..];
                if c.is_whitespace() && c != '\u{a0}' {
                    if !prev_space {
                        out.push(' ');
                    }
                    prev_space = true;
                    continue;
                }
                prev_space = false;
                // A literal "--" would print as an en dash, "``" and "''" as curly quotes
                // (and read back as them): break TeX's ligature.
                if matches!(c, '-' | '`' | '\'') && out.ends_with(c) {
                    out.push_str("{}");
                }
                push_escaped(&mut out, c, charset);
            }
        }
    }
    out
}

const SMALL_WORDS: &[&str] = &[
    "a", "an", "and", "as", "at", "but", "by", "for", "from", "in", "into", "is", "of", "on", "or",
    "over", "the", "to", "via", "with",
];

/// Whether a title is in sentence case: few capitalised words after the first. Only then does a
/// capitalised word tell us it is a proper noun.
fn is_sentence_case(words: &[&str]) -> bool {
    // Acronyms and mixed case are protected anyway and say nothing about the title's casing.
    let content: Vec<&&str> = words
        .iter()
        .skip(1)
        .filter(|w| !SMALL_WORDS.contains(&w.to_lowercase().as_str()))
        .filter(|w| {
            !w.chars()
                .filter(|c| c.is_alphabetic())
                .skip(1)
                .any(char::is_uppercase)
        })
        .collect();
    if content.is_empty() {
        return false;
    }
    let capitalised = content
        .iter()
        .filter(|w| w.chars().next().is_some_and(char::is_uppercase))
        .count();
    capitalised * 2 <= content.len()
}

/// A word whose capitals a style must not change: acronyms and mixed case (`BERT`, `GPT-3`,
/// `ImageNet`, `pH`), or, in a sentence-case title, a capitalised word after the first
/// (`Bayesian`, `Europe`).
fn needs_protection(word: &str, index: usize, sentence_case: bool) -> bool {
    let letters: Vec<char> = word.chars().filter(|c| c.is_alphabetic()).collect();
    if letters.is_empty() {
        return false;
    }
    let inner_capital = letters.iter().skip(1).any(|c| c.is_uppercase());
    inner_capital || (sentence_case && index > 0 && letters[0].is_uppercase())
}

/// Escapes a title and braces the words whose capitals matter.
pub fn title(text: &str, charset: Charset) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let runs = math_runs(text);
    let plain_words: Vec<&str> = runs
        .iter()
        .filter(|(m, _)| !m)
        .flat_map(|(_, r)| r.split_whitespace())
        .collect();
    let sentence_case = is_sentence_case(&plain_words);
    let mut index = 0;
    for (math, run) in runs {
        if math {
            out.push('{');
            out.push_str(run);
            out.push('}');
            continue;
        }
        // Keep the run's whitespace exactly; brace the words.
        let mut word = String::new();
        let flush = |word: &mut String, out: &mut String, index: &mut usize| {
            if word.is_empty() {
                return;
            }
            let escaped = escape(word, charset);
            if needs_protection(word, *index, sentence_case) {
                out.push('{');
                out.push_str(&escaped);
                out.push('}');
            } else {
                out.push_str(&escaped);
            }
            *index += 1;
            word.clear();
        };
        for c in run.chars() {
            if c.is_whitespace() {
                flush(&mut word, &mut out, &mut index);
                out.push(c);
            } else {
                word.push(c);
            }
        }
        flush(&mut word, &mut out, &mut index);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn specials_are_escaped() {
        assert_eq!(escape("R&D 100% #1 a_b {x} ~ ^ \\", Charset::Ascii), "R\\&D 100\\% \\#1 a\\_b {\\textbraceleft}x{\\textbraceright} {\\textasciitilde} {\\textasciicircum} {\\textbackslash}");
    }

    #[test]
    fn unicode_becomes_accent_commands_for_bibtex_only() {
        assert_eq!(escape("Schrödinger Gödel Ångström Łukasiewicz naïve ß", Charset::Ascii), "Schr{\\\"{o}}dinger G{\\\"{o}}del {\\AA}ngstr{\\\"{o}}m {\\L}ukasiewicz na{\\\"{\\i}}ve {\\ss}");
        assert_eq!(
            escape("Schrödinger – 東京", Charset::Utf8),
            "Schrödinger – 東京"
        );
        assert_eq!(
            escape("東京", Charset::Ascii),
            "東京",
            "no LaTeX spelling: stays UTF-8"
        );
    }

    #[test]
    fn math_with_unbalanced_braces_is_escaped_as_text() {
        let out = escape(r"in $e^{-\alpha_{NR}} p)}$ form and $x_{1}$", Charset::Utf8);
        assert_eq!(
            out,
            r"in \$e{\textasciicircum}{\textbraceleft}-{\textbackslash}alpha\_{\textbraceleft}NR{\textbraceright}{\textbraceright} p){\textbraceright}\$ form and $x_{1}$"
        );
        assert!(braces_balance(&out));
    }

    /// Both directions of the LaTeX table: every character the importer's table (latexcodec's)
    /// decodes is written by the exporter in a form the importer reads back as that character,
    /// in 8-bit BibTeX and in UTF-8 BibLaTeX, alone and between letters.
    #[test]
    fn every_symbol_of_the_import_table_round_trips_through_the_exporter() {
        use crate::import::latex::decode;
        for (command, text) in crate::import::latex_symbols::SYMBOLS {
            // Spacing and invisible characters are white space or nothing once read.
            if text.chars().all(|c| c.is_whitespace() || c == '\u{ad}') {
                continue;
            }
            for charset in [Charset::Ascii, Charset::Utf8] {
                for sample in [text.to_string(), format!("a{text}b")] {
                    let written = escape(&sample, charset);
                    let read = decode(&written, &mut Default::default());
                    assert_eq!(
                        read, sample,
                        "\\{command} ({charset:?}): {sample:?} → {written:?}"
                    );
                }
            }
            // And the table's own spelling reads as the character.
            let spelled = format!("\\{command}{{}}");
            assert_eq!(
                &decode(&spelled, &mut Default::default()),
                text,
                "{spelled}"
            );
        }
    }

    /// BibTeX counts `\{` as a brace: math holding one unmatched escaped brace is text, and
    /// a lone brace in text is a balanced command (the abstract of arXiv 0704.1049 broke
    /// pybtex at `p_B\cdot(p_i+p_j)}` before).
    #[test]
    fn every_escaped_field_balances_as_bibtex_counts() {
        for text in [
            r"$\{x$ and $y\}$",
            r"the exponential form $e^{-\alpha_{NR}} p_B\cdot(p_i+p_j)}$ so that",
            "}{ a } b { c",
            r"\} \{ \\{",
        ] {
            let out = escape(text, Charset::Ascii);
            let mut depth = 0i32;
            for c in out.chars() {
                depth += match c {
                    '{' => 1,
                    '}' => -1,
                    _ => 0,
                };
                assert!(depth >= 0, "{text:?} → {out:?}");
            }
            assert_eq!(depth, 0, "{text:?} → {out:?}");
        }
        // Text (no math) reads back as itself through our importer's LaTeX decoding.
        for text in ["}{ a } b { c", r"\} \{ x\y"] {
            let out = escape(text, Charset::Ascii);
            assert_eq!(
                crate::import::latex::decode(&out, &mut Default::default()),
                text,
                "{out:?}"
            );
        }
    }

    #[test]
    fn math_passes_through_and_lone_dollars_are_escaped() {
        assert_eq!(
            escape("$\\mathcal{N}=4$ SYM costs $5", Charset::Ascii),
            "$\\mathcal{N}=4$ SYM costs \\$5"
        );
    }

    #[test]
    fn titles_protect_acronyms_and_sentence_case_proper_nouns() {
        assert_eq!(
            title(
                "BERT: Pre-training of Deep Bidirectional Transformers",
                Charset::Ascii
            ),
            "{BERT:} Pre-training of Deep Bidirectional Transformers"
        );
        assert_eq!(
            title(
                "Scaling laws for GPT-3 on ImageNet in Europe",
                Charset::Ascii
            ),
            "Scaling laws for {GPT-3} on {ImageNet} in {Europe}"
        );
        assert_eq!(
            title("Attention Is All You Need", Charset::Ascii),
            "Attention Is All You Need",
            "title case: nothing to tell"
        );
        assert_eq!(
            title("The $\\mathcal{N}=4$ theory", Charset::Ascii),
            "The {$\\mathcal{N}=4$} theory"
        );
    }
}
