//! LaTeX text to Unicode, losing no word: `Bal\'azs` → "Balázs", `{\'\i}` → "í",
//! `Core\textendash{{Shell Nanowires}}` → "Core–Shell Nanowires", `\emph{Deep} nets` →
//! "Deep nets", `\foo{Bar}` → "Bar" (and `\foo` reported). Math (`$…$`) is kept as written.
//!
//! Symbols come from latexcodec's published table (`latex_symbols.rs`, generated), with the
//! few it lacks listed here; accents are applied generically with Unicode combining marks.
//! The reader is a small recursive descent over brace groups, so a command never swallows a
//! group that is not its argument, and an argument is never glued to a command's name.

use unicode_normalization::UnicodeNormalization;

use super::latex_symbols::SYMBOLS;

/// What decoding met that it does not know: unknown command names (without backslash).
#[derive(Debug, Default)]
pub struct Unknown(pub Vec<String>);

impl Unknown {
    fn note(&mut self, name: &str) {
        if !self.0.iter().any(|n| n == name) {
            self.0.push(name.to_string());
        }
    }
}

/// Decodes the LaTeX commands, accents and braces of text that is only partly LaTeX (arXiv
/// metadata, where `-->` is an arrow and `''` two primes): TeX's ligatures are left as written.
pub fn latex_to_unicode(s: &str) -> String {
    run(s, &mut Unknown::default(), false)
}

/// Decodes a BibTeX value to Unicode (NFC), as LaTeX would print it: commands, accents, `--`,
/// `---`, ``` `` ``` and `''`, grouping braces dropped. Unknown commands keep their argument's
/// text, or stay as written when they have none, and are noted in `unknown`.
pub fn decode(s: &str, unknown: &mut Unknown) -> String {
    run(s, unknown, true)
}

fn run(s: &str, unknown: &mut Unknown, ligatures: bool) -> String {
    let specials: &[char] = if ligatures {
        &['\\', '{', '}', '~', '-', '`', '\'']
    } else {
        &['\\', '{', '}', '~']
    };
    if !s.contains(specials) {
        return s.to_string();
    }
    let chars: Vec<char> = s.chars().collect();
    let mut d = Decoder {
        c: &chars,
        unknown,
        depth: 0,
        ligatures,
    };
    let mut out = String::with_capacity(s.len());
    d.run(0, chars.len(), &mut out);
    if out.is_ascii() {
        return out;
    }
    out.nfc().collect()
}

/// Combining mark of an accent command.
fn combining(accent: char) -> Option<char> {
    Some(match accent {
        '\'' => '\u{301}',
        '`' => '\u{300}',
        '^' => '\u{302}',
        '"' => '\u{308}',
        '~' => '\u{303}',
        '=' => '\u{304}',
        '.' => '\u{307}',
        'u' => '\u{306}',
        'v' => '\u{30C}',
        'H' => '\u{30B}',
        'c' => '\u{327}',
        'k' => '\u{328}',
        'r' => '\u{30A}',
        'd' => '\u{323}',
        'b' => '\u{331}',
        't' => '\u{361}',
        _ => return None,
    })
}

/// Argument-less commands latexcodec's table does not hold (or holds otherwise than BibTeX
/// files mean them): what Topica's own export writes, and what real files use.
fn extra_symbol(name: &str) -> Option<&'static str> {
    Some(match name {
        // `\-` is a discretionary hyphen: no character in the text.
        "-" | "/" | "@" | "relax" | "protect" | "null" | "nobreak" | "allowbreak" => "",
        "textbraceleft" | "{" | "lbrace" => "{",
        "textbraceright" | "}" | "rbrace" => "}",
        "textasciicircum" => "^",
        "textunderscore" => "_",
        "textbar" => "|",
        "slash" | "textslash" => "/",
        "textless" => "<",
        "textgreater" => ">",
        "textdollar" | "$" => "$",
        "textquoteright" => "’",
        "textquoteleft" => "‘",
        "textquotedblleft" => "“",
        "textquotedblright" => "”",
        "textquotesingle" => "'",
        "textquotedbl" => "\"",
        "quotedblbase" => "„",
        "quotesinglbase" => "‚",
        "guilsinglleft" => "‹",
        "guilsinglright" => "›",
        "textexclamdown" => "¡",
        "textquestiondown" => "¿",
        "textsection" => "§",
        "textparagraph" => "¶",
        "textdagger" => "†",
        "textdaggerdbl" => "‡",
        "textellipsis" | "dots" => "…",
        "textordfeminine" => "ª",
        "textordmasculine" => "º",
        "textasteriskcentered" => "∗",
        "textvisiblespace" => "␣",
        "textnumero" => "№",
        "texteuro" | "euro" => "€",
        "textcent" => "¢",
        "textmu" => "µ",
        "j" => "ȷ",
        "SS" => "ẞ",
        "ng" => "ŋ",
        "NG" => "Ŋ",
        "LaTeX" => "LaTeX",
        "LaTeXe" => "LaTeX2e",
        "TeX" => "TeX",
        "BibTeX" => "BibTeX",
        "XeTeX" => "XeTeX",
        " " | "\n" | "\t" | "\\" | "newline" | "linebreak" | "par" => " ",
        "," | ";" | ":" | "thinspace" | "enspace" => "\u{2009}",
        "qquad" => "\u{2003}\u{2003}",
        _ => return None,
    })
}

fn symbol(name: &str) -> Option<&'static str> {
    extra_symbol(name).or_else(|| {
        SYMBOLS
            .binary_search_by(|(c, _)| (*c).cmp(name))
            .ok()
            .and_then(|i| SYMBOLS.get(i))
            .map(|(_, text)| *text)
    })
}

/// Commands whose one argument is the text (formatting, case, grouping): `\emph{x}` → "x".
fn keeps_argument(name: &str) -> bool {
    matches!(
        name,
        "emph"
            | "textit"
            | "textbf"
            | "textsc"
            | "textrm"
            | "textsf"
            | "texttt"
            | "textup"
            | "textsl"
            | "textmd"
            | "textnormal"
            | "textsuperscript"
            | "textsubscript"
            | "mbox"
            | "hbox"
            | "fbox"
            | "text"
            | "textsw"
            | "mkbibemph"
            | "mkbibitalic"
            | "mkbibbold"
            | "mkbibquote"
            | "mkbibparens"
            | "enquote"
            | "textquote"
            | "uppercase"
            | "lowercase"
            | "MakeUppercase"
            | "MakeLowercase"
            | "NoCaseChange"
            | "nocase"
            | "underline"
            | "uline"
            | "acro"
            | "acrshort"
            | "acrlong"
            | "acrfull"
            | "ac"
            | "url"
            | "nolinkurl"
            | "path"
            | "ensuremath"
            | "foreignlanguage"
            | "textlatin"
            | "textgreek"
            | "textcyrillic"
            | "selectlanguage"
            | "bibstring"
            | "bibsc"
    )
}

/// Declarations that change the font of the rest of their group: `{\sl slanted}` → "slanted".
fn is_declaration(name: &str) -> bool {
    matches!(
        name,
        "it" | "bf"
            | "em"
            | "sl"
            | "rm"
            | "sc"
            | "tt"
            | "sf"
            | "up"
            | "itshape"
            | "bfseries"
            | "scshape"
            | "slshape"
            | "upshape"
            | "mdseries"
            | "rmfamily"
            | "sffamily"
            | "ttfamily"
            | "normalfont"
            | "noindent"
            | "small"
            | "footnotesize"
            | "scriptsize"
            | "tiny"
            | "large"
            | "Large"
            | "LARGE"
            | "huge"
            | "Huge"
            | "normalsize"
            | "centering"
            | "raggedright"
    )
}

/// Commands whose argument is not text (a sort key, a label): dropped with it.
fn drops_argument(name: &str) -> bool {
    matches!(
        name,
        "noopsort" | "SortNoop" | "sortnoop" | "nosort" | "label" | "index" | "hspace" | "vspace"
    )
}

struct Decoder<'a> {
    c: &'a [char],
    unknown: &'a mut Unknown,
    /// Brace depth, to bound recursion on hostile input (the importer refuses deeper entries
    /// before they reach here; this is the decoder's own guard).
    depth: usize,
    /// Whether `--`, `---`, ``` `` ``` and `''` are TeX's ligatures (in BibTeX) or characters.
    ligatures: bool,
}

const MAX_DEPTH: usize = 256;

impl Decoder<'_> {
    /// The character at `i`, if `i` is before `to` (and in the text).
    fn at(&self, i: usize, to: usize) -> Option<char> {
        self.c.get(i).copied().filter(|_| i < to)
    }

    /// `c[from..to]`, or nothing when that is not a range of the text.
    fn slice(&self, from: usize, to: usize) -> &[char] {
        self.c.get(from..to).unwrap_or_default()
    }

    /// Decodes `c[from..to]` into `out`.
    fn run(&mut self, from: usize, to: usize, out: &mut String) {
        let mut i = from;
        while let Some(ch) = self.at(i, to) {
            match ch {
                '$' => {
                    // Math only when it closes; a lone `$` is a dollar sign.
                    match self.math_end(i + 1, to) {
                        Some(end) => {
                            out.extend(self.slice(i, end + 1));
                            i = end + 1;
                        }
                        None => {
                            out.push('$');
                            i += 1;
                        }
                    }
                }
                '{' => {
                    let end = self.group_end(i, to);
                    self.group(i + 1, end, out);
                    i = (end + 1).min(to);
                }
                '}' => i += 1, // a stray closing brace is syntax, not text
                '~' => {
                    out.push('\u{a0}');
                    i += 1;
                }
                '-' if self.ligatures && self.c.get(i + 1) == Some(&'-') && i + 1 < to => {
                    if self.c.get(i + 2) == Some(&'-') && i + 2 < to {
                        out.push('—');
                        i += 3;
                    } else {
                        out.push('–');
                        i += 2;
                    }
                }
                '`' if self.ligatures && self.c.get(i + 1) == Some(&'`') && i + 1 < to => {
                    out.push('“');
                    i += 2;
                }
                '\'' if self.ligatures && self.c.get(i + 1) == Some(&'\'') && i + 1 < to => {
                    out.push('”');
                    i += 2;
                }
                '\\' => i = self.command(i, to, out),
                c => {
                    out.push(c);
                    i += 1;
                }
            }
        }
    }

    /// Decodes a group's inside, guarding the recursion.
    fn group(&mut self, from: usize, to: usize, out: &mut String) {
        if self.depth >= MAX_DEPTH {
            out.extend(
                self.slice(from, to)
                    .iter()
                    .filter(|c| !matches!(c, '{' | '}')),
            );
            return;
        }
        self.depth += 1;
        self.run(from, to, out);
        self.depth -= 1;
    }

    /// The index of the `}` closing the `{` at `open` (or `to` when it never closes).
    /// `\{` and `\}` are characters, not braces.
    fn group_end(&self, open: usize, to: usize) -> usize {
        let mut depth = 0usize;
        let mut i = open;
        while let Some(c) = self.at(i, to) {
            match c {
                '\\' => i += 1,
                '{' => depth += 1,
                '}' => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        return i;
                    }
                }
                _ => {}
            }
            i += 1;
        }
        to
    }

    /// The closing `$` of math opened before `from`, if any before `to`.
    fn math_end(&self, from: usize, to: usize) -> Option<usize> {
        let mut i = from;
        while let Some(c) = self.at(i, to) {
            match c {
                '\\' => i += 1,
                '$' => return Some(i),
                _ => {}
            }
            i += 1;
        }
        None
    }

    /// A command at `at` (its backslash); returns where decoding goes on.
    fn command(&mut self, at: usize, to: usize, out: &mut String) -> usize {
        let Some(&first) = self.c.get(at + 1).filter(|_| at + 1 < to) else {
            out.push('\\'); // a backslash ending the text
            return at + 1;
        };
        let (name, mut i) = if first.is_ascii_alphabetic() {
            let mut end = at + 1;
            while self.at(end, to).is_some_and(|c| c.is_ascii_alphabetic()) {
                end += 1;
            }
            (self.slice(at + 1, end).iter().collect::<String>(), end)
        } else {
            (first.to_string(), at + 2)
        };
        let is_word = first.is_ascii_alphabetic();
        // `\(…\)` and `\[…\]` are math, kept as written in the one spelling Topica keeps: `$…$`.
        if let Some(close) = match first {
            '(' => Some(')'),
            '[' => Some(']'),
            _ => None,
        } {
            if let Some(end) = (i..to.saturating_sub(1))
                .find(|&k| self.at(k, to) == Some('\\') && self.at(k + 1, to) == Some(close))
            {
                out.push('$');
                out.extend(self.slice(i, end));
                out.push('$');
                return end + 2;
            }
        }
        // Accents: `\'e`, `\'{e}`, `\' e`, `\v{s}`, `{\'\i}`, `\c c`.
        if let Some(mark) = name
            .chars()
            .next()
            .and_then(combining)
            .filter(|_| name.chars().count() == 1)
        {
            return self.accent(mark, i, to, out).unwrap_or_else(|| {
                // No base letter (`\'{}`): the accent on its own.
                out.push(match first {
                    '~' => '~',
                    '^' => '^',
                    '"' => '¨',
                    '\'' => '´',
                    '`' => '`',
                    _ => mark,
                });
                i
            });
        }
        // TeX eats the spaces after a control word.
        let after_word = i;
        if is_word {
            while self.at(i, to) == Some(' ') {
                i += 1;
            }
        }
        if let Some(text) = symbol(&name) {
            out.push_str(text);
            // `\ss{}`, `\o{}`: the empty group ends the command name; nothing to write.
            if self.c.get(i) == Some(&'{') && self.c.get(i + 1) == Some(&'}') && i + 1 < to {
                i += 2;
            }
            return i;
        }
        if is_declaration(&name) {
            return i;
        }
        let arg = (self.at(i, to) == Some('{')).then(|| (i, self.group_end(i, to)));
        if keeps_argument(&name) || name == "href" {
            if let Some((open, close)) = arg {
                if name == "href" {
                    // `\href{url}{text}`: the text is what the title says.
                    let next = close + 1;
                    if self.at(next, to) == Some('{') {
                        let end = self.group_end(next, to);
                        self.group(next + 1, end, out);
                        return (end + 1).min(to);
                    }
                }
                self.group(open + 1, close, out);
                return (close + 1).min(to);
            }
            return i;
        }
        if drops_argument(&name) {
            return arg.map_or(i, |(_, close)| (close + 1).min(to));
        }
        // Unknown: keep the argument's text, or the command as written when it has none.
        self.unknown.note(&name);
        match arg {
            Some((open, close)) => {
                self.group(open + 1, close, out);
                (close + 1).min(to)
            }
            None => {
                out.push('\\');
                out.push_str(&name);
                after_word
            }
        }
    }

    /// Applies an accent to its base at `i`: a letter, a `{…}` group, or a command (`\i`).
    /// Returns where decoding goes on, or None when there is no base.
    fn accent(&mut self, mark: char, mut i: usize, to: usize, out: &mut String) -> Option<usize> {
        while self.at(i, to) == Some(' ') {
            i += 1;
        }
        let mut base = String::new();
        let next = match self.c.get(i).filter(|_| i < to)? {
            '{' => {
                let close = self.group_end(i, to);
                self.group(i + 1, close, &mut base);
                (close + 1).min(to)
            }
            // A command as the base (`\'\i`), under the groups' recursion guard: each accent
            // of `\'\'\'…` on a command recursed unguarded, and 5,000 of them (10 KB of a
            // title) overflowed the stack. Past the guard the accent stands on its own.
            '\\' if self.depth < MAX_DEPTH => {
                self.depth += 1;
                let next = self.command(i, to, &mut base);
                self.depth -= 1;
                next
            }
            c if c.is_alphanumeric() => {
                base.push(*c);
                i + 1
            }
            _ => return None,
        };
        if base.is_empty() {
            return None; // `\'{}`: the caller writes the accent on its own
        }
        // The mark goes on the last letter; a dotless i or j takes it as i or j.
        let mut letters: Vec<char> = base.chars().collect();
        if let Some(last) = letters.last_mut() {
            *last = match *last {
                'ı' => 'i',
                'ȷ' => 'j',
                c => c,
            };
        }
        let last = letters.pop()?;
        out.extend(letters);
        out.extend([last, mark].into_iter().nfc());
        Some(next)
    }
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

    fn d(s: &str) -> (String, Vec<String>) {
        let mut u = Unknown::default();
        (decode(s, &mut u), u.0)
    }

    #[test]
    fn argumentless_commands_do_not_swallow_the_next_group() {
        assert_eq!(
            d(r"Core\textendash{{Shell Nanowires}}").0,
            "Core–Shell Nanowires"
        );
        assert_eq!(d(r"pre\-{C}olumbian").0, "preColumbian");
        assert_eq!(d(r"a \ldots{} b \& c").0, "a … b & c");
        assert_eq!(d(r"\ss e and \ss{}e").0, "ße and ße");
    }

    #[test]
    fn accents_on_dotless_and_special_letters() {
        assert_eq!(d(r"{\'\i}sland").0, "ísland");
        assert_eq!(
            d(r"\o{} \O{} \ss{} \aa{} {\AA} \l{} \L{} \v{s} \v s \c{c} \u{g}").0,
            "ø Ø ß å Å ł Ł š š ç ğ"
        );
        // TeX ends a control word at the space, and eats it.
        assert_eq!(d(r"Bj\o rn \O \ss").0, "Bjørn Øß");
        assert_eq!(
            d(r#"Schr\"{o}dinger {\"O}zt{\"u}rk Bal\'azs \'{}"#).0,
            "Schrödinger Öztürk Balázs ´"
        );
        assert_eq!(
            d(r"\^{\j} \H{o} \k{a} \r{u} \={a} \.{z} \d{s}").0,
            "ĵ ő ą ů ā ż ṣ"
        );
    }

    #[test]
    fn formatting_keeps_its_argument_and_declarations_their_group() {
        let (t, unknown) = d(
            r"\emph{Emph} \textit{It} \textbf{Bf} x\textsuperscript{2} H\textsubscript{2}O \mkbibemph{mk} \enquote{q} {\sl slanted} \acro{NASA} \hbox{box}",
        );
        assert_eq!(t, "Emph It Bf x2 H2O mk q slanted NASA box");
        assert!(unknown.is_empty());
    }

    #[test]
    fn unknown_commands_keep_their_argument_apart_and_are_noted() {
        let (t, unknown) = d(r"\foo{Bar} and \methodname is $x^2$ and \noopsort{a}Zeta");
        assert_eq!(t, r"Bar and \methodname is $x^2$ and Zeta");
        assert_eq!(unknown, ["foo", "methodname"]);
    }

    #[test]
    fn math_is_kept_and_a_lone_dollar_is_a_dollar() {
        assert_eq!(d(r"costs $5 and {\$}6").0, "costs $5 and $6");
        assert_eq!(d(r"$\alpha{}_{i}$--like").0, r"$\alpha{}_{i}$–like");
        assert_eq!(d(r"``quoted'' --- yes").0, "“quoted” — yes");
    }

    #[test]
    fn inline_math_in_either_spelling_is_kept_as_dollars() {
        assert_eq!(
            d(r"Radix-2\({}^{\mbox{k}}\) FFT").0,
            r"Radix-2${}^{\mbox{k}}$ FFT"
        );
        assert_eq!(d(r"a \[x\] b AND\slash OR").0, "a $x$ b AND/OR");
        assert_eq!(d(r"unclosed \( stays").0, r"unclosed \( stays");
    }

    #[test]
    fn escaped_braces_are_characters() {
        assert_eq!(d(r"Escaped \{ brace \}").0, "Escaped { brace }");
        assert_eq!(
            d(r"{\textbraceleft}x{\textbraceright} \textbackslash{}n").0,
            r"{x} \n"
        );
    }

    #[test]
    fn hostile_nesting_does_not_recurse_without_bound() {
        let s = "{".repeat(100_000) + "x" + &"}".repeat(100_000);
        assert_eq!(d(&s).0, "x");
        // Accents on accents on a command: one recursion each, once overflowing the stack.
        // Past the guard an accent is written on its own (´), and the next starts afresh.
        let s = r"\'".repeat(100_000) + r"\ss";
        let accents = d(&s)
            .0
            .chars()
            .filter(|&c| matches!(c, '\u{301}' | '´'))
            .count();
        assert_eq!(accents, 100_000);
        let s = r"\'\emph{".repeat(50_000) + "x";
        assert!(d(&s).0.contains('x'));
    }
}
