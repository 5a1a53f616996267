//! The syntax of one BibTeX block (`@type{key, name = value # value, …}`), read as leniently
//! as BibTeX and biber read it.
//!
//! Written by hand rather than taken from the `biblatex` crate, which stops at the first thing
//! it does not expect: real files have empty fields (`, ,`), entries without a key, field names
//! and keys with spaces, a `)` inside an `@type( … )` entry, a missing comma between two fields.
//! Each of those is read here the way its author meant, and said in a [`Repair`] so the import
//! report can list it. Values are kept as written (LaTeX, braces and all): turning them into
//! text is `latex`'s job, after `@string` macros and `crossref`s are resolved.

/// One piece of a field value, as written between `#`s.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Part {
    /// `{…}` or `"…"` without its delimiters, or a bare number.
    Literal(String),
    /// A bare name: an `@string` macro (or a month, `jan`…`dec`).
    Macro(String),
}

/// One `name = value` of a block, with the byte offset of its name in the block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Field {
    /// Lower-cased; spaces inside it removed (`journal title` → `journaltitle`).
    pub name: String,
    pub parts: Vec<Part>,
    pub offset: usize,
}

/// A block of the file, read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Block {
    /// Lower-cased: `article`, `string`, `comment`…
    pub kind: String,
    /// As written, trimmed; white space inside it turned into `_`. Empty when the entry has none.
    pub key: String,
    pub fields: Vec<Field>,
    pub repairs: Vec<Repair>,
}

/// Something read otherwise than BibTeX's grammar says, with where (byte offset in the block).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Repair {
    pub offset: usize,
    pub what: String,
}

/// Why a block cannot be read at all, with where (byte offset in the block).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct SyntaxError {
    pub offset: usize,
    pub reason: String,
}

/// Reads one block starting at its `@`. Text after the block's closing delimiter is ignored
/// (BibTeX ignores everything outside entries).
pub(super) fn read_block(text: &str) -> Result<Block, SyntaxError> {
    let mut r = Reader {
        s: text.as_bytes(),
        text,
        at: 0,
        repairs: Vec::new(),
    };
    r.expect_at()?;
    let kind = r.word().to_ascii_lowercase();
    if kind.is_empty() {
        return Err(r.error("expected an entry type after `@`"));
    }
    r.skip_ws();
    let close = match r.peek() {
        Some(b'{') => b'}',
        Some(b'(') => b')',
        _ => return Err(r.error("expected `{` or `(` after the entry type")),
    };
    r.at += 1;
    let mut block = Block {
        kind,
        key: String::new(),
        fields: Vec::new(),
        repairs: Vec::new(),
    };
    match block.kind.as_str() {
        // Free text: nothing to read, and no syntax to hold it to.
        "comment" | "preamble" => {}
        "string" => block.fields = r.fields(close)?,
        _ => {
            block.key = r.key(close);
            block.fields = r.fields(close)?;
        }
    }
    block.repairs = r.repairs;
    Ok(block)
}

struct Reader<'a> {
    s: &'a [u8],
    text: &'a str,
    at: usize,
    repairs: Vec<Repair>,
}

impl Reader<'_> {
    fn peek(&self) -> Option<u8> {
        self.s.get(self.at).copied()
    }

    fn error(&self, reason: &str) -> SyntaxError {
        SyntaxError {
            offset: self.at.min(self.s.len()),
            reason: reason.to_string(),
        }
    }

    fn repair(&mut self, offset: usize, what: String) {
        self.repairs.push(Repair { offset, what });
    }

    fn expect_at(&mut self) -> Result<(), SyntaxError> {
        self.skip_ws();
        if self.peek() != Some(b'@') {
            return Err(self.error("expected `@`"));
        }
        self.at += 1;
        self.skip_ws();
        Ok(())
    }

    fn skip_ws(&mut self) {
        while self.peek().is_some_and(|b| b.is_ascii_whitespace()) {
            self.at += 1;
        }
    }

    /// An entry type or field name: letters, digits and the few marks real files use.
    fn word(&mut self) -> &str {
        let start = self.at;
        while self
            .peek()
            .is_some_and(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b':'))
        {
            self.at += 1;
        }
        // ASCII bytes were skipped: `start..at` is on character boundaries.
        self.text.get(start..self.at).unwrap_or_default()
    }

    /// The citation key: everything up to the first comma. A key is missing when what comes
    /// first is already a field (`@article{\n title = …`) or the entry closes at once.
    fn key(&mut self, close: u8) -> String {
        self.skip_ws();
        let start = self.at;
        let mut i = self.at;
        while let Some(&b) = self.s.get(i) {
            if b == b','
                || b == close
                || b == b'\n' && self.s.get(i + 1..).is_some_and(starts_field)
            {
                break;
            }
            if b == b'=' || b == b'{' || b == b'"' {
                // `title = …` where the key should be: the entry has no key.
                self.repair(
                    start,
                    "entry has no citation key; one is made for it".into(),
                );
                return String::new();
            }
            i += 1;
        }
        // `i` is at an ASCII byte or the end (`start` too): this is never `None`.
        let raw = self.text.get(start..i).unwrap_or_default().trim();
        self.at = i;
        if self.peek() == Some(b',') {
            self.at += 1;
        }
        if raw.is_empty() {
            self.repair(
                start,
                "entry has no citation key; one is made for it".into(),
            );
            return String::new();
        }
        if raw.contains(char::is_whitespace) {
            let key = raw.split_whitespace().collect::<Vec<_>>().join("_");
            self.repair(
                start,
                format!(
                    "citation key {raw:?} has spaces, which LaTeX cannot cite; read as {key:?}"
                ),
            );
            return key;
        }
        raw.to_string()
    }

    /// `name = value, …` up to the closing delimiter.
    fn fields(&mut self, close: u8) -> Result<Vec<Field>, SyntaxError> {
        let mut fields = Vec::new();
        loop {
            // Empty fields (`, ,`) and trailing commas are nothing.
            while self
                .peek()
                .is_some_and(|b| b.is_ascii_whitespace() || b == b',')
            {
                self.at += 1;
            }
            match self.peek() {
                None => {
                    // Said where the entry starts: where it ends is the next one's start.
                    self.repair(0, "entry is not closed; read up to the next entry".into());
                    return Ok(fields);
                }
                Some(b) if b == close => {
                    self.at += 1;
                    return Ok(fields);
                }
                // A `}` closing a `(`-entry, or the other way round: the author's slip.
                Some(b'}' | b')') => {
                    self.at += 1;
                    return Ok(fields);
                }
                _ => {}
            }
            let offset = self.at;
            let name_end = self
                .s
                .get(self.at..)
                .unwrap_or_default()
                .iter()
                .position(|&b| matches!(b, b'=' | b',' | b'{' | b'}' | b'"' | b'(' | b')'))
                .map_or(self.s.len(), |p| self.at + p);
            if self.s.get(name_end) != Some(&b'=') {
                // Text that is not `name = value`: skip to the next comma or line outside the
                // braces it opens (or to the entry's end), and say so.
                let stray_end = self.stray_end(close);
                let stray = self
                    .text
                    .get(self.at..stray_end)
                    .unwrap_or_default()
                    .trim()
                    .to_string();
                self.at = stray_end.max(self.at + 1);
                self.repair(
                    offset,
                    format!("text {stray:?} is not `name = value`; left out"),
                );
                continue;
            }
            let raw_name = self.text.get(self.at..name_end).unwrap_or_default().trim();
            let name: String = raw_name
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect::<String>()
                .to_lowercase();
            if raw_name.contains(char::is_whitespace) {
                self.repair(
                    offset,
                    format!("field name {raw_name:?} has spaces; read as {name:?}"),
                );
            }
            self.at = name_end + 1;
            let parts = self.value(close)?;
            if !name.is_empty() {
                fields.push(Field {
                    name,
                    parts,
                    offset,
                });
            }
            self.skip_ws();
            match self.peek() {
                Some(b',') => self.at += 1,
                Some(b) if b == close || b == b'}' || b == b')' => {}
                None => {} // the loop's top says the entry is not closed
                Some(_) => {
                    let at = self.at;
                    self.repair(at, "missing comma between two fields".into());
                }
            }
        }
    }

    /// Where text that is not a field ends: at a comma or line break outside the braces it
    /// opens, or before the entry's closing delimiter.
    fn stray_end(&self, close: u8) -> usize {
        let mut depth = 0usize;
        let mut i = self.at;
        while let Some(&b) = self.s.get(i) {
            match b {
                b'\\' => i += 1,
                b'{' => depth += 1,
                b'}' if depth > 0 => depth -= 1,
                b',' | b'\n' if depth == 0 => return i,
                b if b == close && depth == 0 => return i,
                _ => {}
            }
            i += 1;
        }
        self.s.len()
    }

    /// `{…} # "…" # macro # 2020`: the parts of one value.
    fn value(&mut self, close: u8) -> Result<Vec<Part>, SyntaxError> {
        let mut parts = Vec::new();
        loop {
            self.skip_ws();
            match self.peek() {
                Some(b'{') => parts.push(Part::Literal(self.braced()?)),
                Some(b'"') => parts.push(Part::Literal(self.quoted()?)),
                Some(b) if b == b',' || b == close || b == b'}' => {
                    // `name = ,`: an empty field.
                    return Ok(parts);
                }
                None => return Ok(parts),
                Some(_) => {
                    let start = self.at;
                    while self.peek().is_some_and(|b| {
                        !b.is_ascii_whitespace()
                            && !matches!(b, b'#' | b',' | b'{' | b'}' | b'"' | b'=')
                            && b != close
                    }) {
                        self.at += 1;
                    }
                    let word = self.text.get(start..self.at).unwrap_or_default();
                    if word.is_empty() {
                        let found = self
                            .text
                            .get(self.at..)
                            .and_then(|t| t.chars().next())
                            .unwrap_or(' ');
                        return Err(self.error(&format!("unexpected {found:?} in a field value")));
                    }
                    if word.bytes().all(|b| b.is_ascii_digit()) {
                        parts.push(Part::Literal(word.to_string()));
                    } else {
                        parts.push(Part::Macro(word.to_string()));
                    }
                }
            }
            self.skip_ws();
            if self.peek() == Some(b'#') {
                self.at += 1;
            } else {
                return Ok(parts);
            }
        }
    }

    /// A `{…}` value without its outer braces. `\{` and `\}` are escaped characters, not
    /// braces: counting them (as BibTeX does) would read a title with one `\{` to the end of
    /// the file.
    fn braced(&mut self) -> Result<String, SyntaxError> {
        let open = self.at;
        self.at += 1;
        let start = self.at;
        let mut depth = 1usize;
        while let Some(b) = self.peek() {
            match b {
                b'\\' => {
                    self.at += 2;
                    continue;
                }
                b'{' => depth += 1,
                b'}' => {
                    depth -= 1;
                    if depth == 0 {
                        // Both ends are at ASCII bytes; were they not, the value is unclosed.
                        let Some(v) = self.text.get(start..self.at) else {
                            break;
                        };
                        self.at += 1;
                        return Ok(v.to_string());
                    }
                }
                // A new entry at the start of a line: this value was never closed. Stop here so
                // the error costs this entry, not the ones after it.
                b'\n' if self.s.get(self.at + 1..).is_some_and(starts_entry) => break,
                _ => {}
            }
            self.at += 1;
        }
        self.at = open;
        Err(self.error("a `{` in this value is never closed (unbalanced braces?)"))
    }

    /// A `"…"` value without its quotes; a `"` inside braces does not end it.
    fn quoted(&mut self) -> Result<String, SyntaxError> {
        let open = self.at;
        self.at += 1;
        let start = self.at;
        let mut depth = 0usize;
        while let Some(b) = self.peek() {
            match b {
                b'\\' => {
                    self.at += 2;
                    continue;
                }
                b'{' => depth += 1,
                b'}' => depth = depth.saturating_sub(1),
                b'"' if depth == 0 => {
                    // Both ends are at ASCII bytes; were they not, the value is unclosed.
                    let Some(v) = self.text.get(start..self.at) else {
                        break;
                    };
                    self.at += 1;
                    return Ok(v.to_string());
                }
                b'\n' if self.s.get(self.at + 1..).is_some_and(starts_entry) => break,
                _ => {}
            }
            self.at += 1;
        }
        self.at = open;
        Err(self.error("a `\"` in this value is never closed"))
    }
}

/// Whether a line starts a field (`  title = …`): used to tell a missing key from a key.
fn starts_field(line: &[u8]) -> bool {
    let line = line.trim_ascii_start();
    let name = line
        .iter()
        .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-'))
        .count();
    let rest = line.get(name..).unwrap_or_default();
    name > 0 && rest.trim_ascii_start().first() == Some(&b'=')
}

/// Whether a line starts an entry (`@article{`).
fn starts_entry(line: &[u8]) -> bool {
    let Some(rest) = line.trim_ascii_start().strip_prefix(b"@") else {
        return false;
    };
    let name = rest.iter().take_while(|b| b.is_ascii_alphabetic()).count();
    let after = rest.get(name..).unwrap_or_default();
    name > 0 && matches!(after.trim_ascii_start().first(), Some(b'{' | b'('))
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

    fn lit(s: &str) -> Vec<Part> {
        vec![Part::Literal(s.into())]
    }

    #[test]
    fn reads_the_common_forms() {
        let b = read_block("@Article{k1, title = {A {B} c}, year = 2020, journal = jpr # \" x\"}")
            .unwrap();
        assert_eq!(b.kind, "article");
        assert_eq!(b.key, "k1");
        let f: Vec<(&str, &Vec<Part>)> = b
            .fields
            .iter()
            .map(|f| (f.name.as_str(), &f.parts))
            .collect();
        assert_eq!(f[0], ("title", &lit("A {B} c")));
        assert_eq!(f[1], ("year", &lit("2020")));
        assert_eq!(
            f[2],
            (
                "journal",
                &vec![Part::Macro("jpr".into()), Part::Literal(" x".into())]
            )
        );
        assert!(b.repairs.is_empty());
    }

    #[test]
    fn paren_entries_keep_parens_inside_values() {
        let b = read_block("@misc(k, title = \"a) b\", note = {(c)})\ntrailing )").unwrap();
        assert_eq!(b.fields[0].parts, lit("a) b"));
        assert_eq!(b.fields[1].parts, lit("(c)"));
    }

    #[test]
    fn empty_fields_spaced_names_missing_keys_and_commas_are_read_and_said() {
        let b = read_block("@article{k2, title={T},, author={A}, , journal title = {J}}").unwrap();
        let names: Vec<&str> = b.fields.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["title", "author", "journaltitle"]);
        assert_eq!(b.repairs.len(), 1, "{:?}", b.repairs);
        let b = read_block("@article{\n  title = {No key}, year={2011}}").unwrap();
        assert_eq!((b.key.as_str(), b.fields.len()), ("", 2));
        let b = read_block("@article{key with space, title={T}}").unwrap();
        assert_eq!(b.key, "key_with_space");
        let b = read_block("@article{k, title={T} year={1}}").unwrap();
        assert_eq!(b.fields.len(), 2);
        assert_eq!(b.repairs[0].what, "missing comma between two fields");
        let b = read_block("@article{k, title=, year={1}}").unwrap();
        assert_eq!(b.fields[0].parts, vec![]);
    }

    #[test]
    fn escaped_braces_do_not_count_and_an_unclosed_value_stops_at_the_next_entry() {
        let b = read_block(r"@article{d2, title = {Escaped \{ brace}, year={2004}}").unwrap();
        assert_eq!(b.fields[0].parts, lit(r"Escaped \{ brace"));
        let e = read_block("@article{x, title = {never closed,\n year = 1\n@article{y, title={T}}")
            .unwrap_err();
        assert_eq!(e.offset, 20);
        // Every value closed but not the entry: what was read is the entry, and it is said.
        let b = read_block("@article{a,\n  title = {One\n}\n").unwrap();
        assert_eq!(b.fields[0].parts, lit("One\n"));
        assert_eq!(
            b.repairs[0].what,
            "entry is not closed; read up to the next entry"
        );
    }
}
