//! Styles a user adds: reading a `.csl` file into what renders, with errors that name the
//! file, the line and the column. It does not store styles (the library does) or render them
//! (`csl.rs` does).
//!
//! citationberg reads a style through serde and reports where it failed only as a path of
//! element names (`citation.layout.text`), and quick-xml's deserializer drops the byte
//! position of a syntax error. So the file is first read event by event with quick-xml's
//! reader, which knows the byte offset of a syntax error, and a CSL error's path and value
//! are then looked for in the text to give the line a person can open the file at.

use std::sync::Arc;

use citationberg::{IndependentStyle, LocaleCode};

use super::csl::CslStyle;

/// A `.csl` file that is not a style Topica can use; `line` and `column` count from 1.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}, line {line}, column {column}: {reason}")]
pub struct StyleError {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub reason: String,
}

/// What a readable `.csl` file holds.
#[derive(Debug, Clone)]
pub struct ReadStyle {
    /// `cs:info/cs:id`, e.g. `http://www.zotero.org/styles/apa`.
    pub id: String,
    pub title: String,
    pub kind: ReadKind,
}

/// An independent style renders as itself; a dependent one names the style that renders it.
#[derive(Debug, Clone)]
pub enum ReadKind {
    Independent(Box<IndependentStyle>),
    Dependent {
        /// The `independent-parent` link's URL.
        parent: String,
        /// The dependent style's own `default-locale`, which overrides its parent's.
        default_locale: Option<LocaleCode>,
    },
}

/// Reads a `.csl` file (`file` names it in errors).
pub fn read_style(file: &str, xml: &str) -> Result<ReadStyle, StyleError> {
    let error = |offset: usize, reason: String| {
        let (line, column) = line_column(xml, offset);
        StyleError {
            file: file.to_string(),
            line,
            column,
            reason,
        }
    };
    well_formed(xml).map_err(|(offset, reason)| error(offset, reason))?;
    if !xml.contains("<style") {
        return Err(error(
            0,
            "this is XML but not a CSL style (no <style> element)".into(),
        ));
    }
    let style = citationberg::Style::from_xml(xml).map_err(|e| {
        let reason = e.source.to_string();
        let path = e.path.map(|p| p.to_string()).unwrap_or_default();
        let offset = locate(xml, &path, &reason);
        let reason = if path.is_empty() || path == "?" {
            format!("not a CSL style Topica can read: {reason}")
        } else {
            format!("not a CSL style Topica can read: {reason} (in {path})")
        };
        error(offset, reason)
    })?;
    let info = style.info();
    let (id, title) = (info.id.clone(), info.title.value.clone());
    let kind = match style {
        citationberg::Style::Independent(s) => ReadKind::Independent(Box::new(s)),
        citationberg::Style::Dependent(d) => ReadKind::Dependent {
            parent: d.parent_link.href,
            default_locale: d.default_locale,
        },
    };
    Ok(ReadStyle { id, title, kind })
}

/// Reads every event; a syntax error is (byte offset, reason).
fn well_formed(xml: &str) -> Result<(), (usize, String)> {
    let mut reader = quick_xml::Reader::from_str(xml);
    reader.config_mut().check_end_names = true;
    let mut depth = 0usize;
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Eof) => {
                return if depth == 0 {
                    Ok(())
                } else {
                    Err((
                        xml.len(),
                        "the file ends before its elements are closed".into(),
                    ))
                };
            }
            Ok(quick_xml::events::Event::Start(_)) => depth += 1,
            Ok(quick_xml::events::Event::End(_)) => depth = depth.saturating_sub(1),
            Ok(_) => {}
            Err(e) => {
                return Err((
                    reader.error_position() as usize,
                    format!("not well-formed XML: {e}"),
                ))
            }
        }
    }
}

/// Where in `xml` a CSL error is: the first attribute holding the value the message quotes
/// (`unknown variant `foo``), else the element its path ends at, found by following the
/// path's element names through the text, else the `<style>` element.
fn locate(xml: &str, path: &str, reason: &str) -> usize {
    let quoted = reason.split('`').nth(1).filter(|q| !q.is_empty());
    if let Some(q) = quoted {
        for quote in ['"', '\''] {
            if let Some(i) = xml.find(&format!("={quote}{q}{quote}")) {
                return i + 2;
            }
        }
    }
    let style_at = xml.find("<style").unwrap_or(0);
    let mut at = style_at;
    for segment in path.split('.') {
        let mut parts = segment.split('[');
        let name = parts.next().unwrap_or("");
        // `macro[3]`: the fourth `cs:macro` from here (the list index is the element's).
        let nth: usize = parts
            .next()
            .and_then(|i| i.trim_end_matches(']').parse().ok())
            .unwrap_or(0);
        if name.is_empty() || name.starts_with(['@', '$', '?']) {
            continue;
        }
        let mut found: Vec<usize> = [format!("<{name}"), format!("<cs:{name}")]
            .iter()
            .flat_map(|tag| {
                let from = at;
                xml[from..]
                    .match_indices(tag.as_str())
                    .filter(move |(i, _)| {
                        // The whole name: `<text` is not `<text-case`.
                        let end = from + i + tag.len();
                        xml[end..].starts_with(|c: char| c.is_whitespace() || c == '>' || c == '/')
                    })
                    .map(move |(i, _)| from + i)
            })
            .collect();
        found.sort_unstable();
        if let Some(&i) = found.get(nth).or(found.first()) {
            at = i;
        }
    }
    at
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

/// A bundled style whose id is `href` (`http` or `https`, with or without a trailing slash).
pub fn bundled_by_id(href: &str) -> Option<CslStyle> {
    let stem = |s: &str| {
        s.trim()
            .trim_end_matches('/')
            .trim_start_matches("https://")
            .trim_start_matches("http://")
            .to_string()
    };
    let wanted = stem(href);
    CslStyle::ALL
        .into_iter()
        .find(|s| stem(&s.style().info.id) == wanted)
}

/// A style ready to render: one Topica bundles, or one a user added.
#[derive(Debug, Clone)]
pub enum Style {
    Bundled(CslStyle),
    Added(Arc<AddedStyle>),
}

/// A style a user added, resolved: a dependent style renders with its parent's rules.
#[derive(Debug)]
pub struct AddedStyle {
    /// The name `--format` takes.
    pub name: String,
    pub title: String,
    /// The XML of the style that renders (the parent's, for a dependent style).
    pub xml: String,
    pub style: IndependentStyle,
    /// A dependent style's `default-locale`, which overrides its parent's.
    pub default_locale: Option<LocaleCode>,
}

impl Style {
    pub fn name(&self) -> &str {
        match self {
            Style::Bundled(s) => s.name(),
            Style::Added(a) => &a.name,
        }
    }

    pub fn title(&self) -> &str {
        match self {
            Style::Bundled(s) => s.title(),
            Style::Added(a) => &a.title,
        }
    }

    /// The XML of the independent style that renders.
    pub fn xml(&self) -> &str {
        match self {
            Style::Bundled(s) => s.xml(),
            Style::Added(a) => &a.xml,
        }
    }

    pub fn independent(&self) -> &IndependentStyle {
        match self {
            Style::Bundled(s) => s.style(),
            Style::Added(a) => &a.style,
        }
    }

    /// The locale to render in when none is asked for: a dependent style's own, or None
    /// (hayagriva then takes the style's default-locale, else en-US).
    pub fn default_locale(&self) -> Option<&LocaleCode> {
        match self {
            Style::Bundled(_) => None,
            Style::Added(a) => a.default_locale.as_ref(),
        }
    }
}

impl PartialEq for Style {
    fn eq(&self, other: &Style) -> bool {
        match (self, other) {
            (Style::Bundled(a), Style::Bundled(b)) => a == b,
            (Style::Added(a), Style::Added(b)) => {
                a.name == b.name && a.xml == b.xml && a.default_locale == b.default_locale
            }
            _ => false,
        }
    }
}

impl Eq for Style {}

impl From<CslStyle> for Style {
    fn from(s: CslStyle) -> Style {
        Style::Bundled(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = include_str!("../../resources/csl/nature.csl");

    #[test]
    fn a_bundled_style_reads_as_independent_with_its_title() {
        let s = read_style("nature.csl", GOOD).unwrap();
        assert_eq!(s.title, "Nature");
        assert!(matches!(s.kind, ReadKind::Independent(_)));
    }

    #[test]
    fn a_syntax_error_names_its_line() {
        // Line 4 closes an element that was never opened.
        let xml = "<?xml version=\"1.0\"?>\n<style xmlns=\"http://purl.org/net/xbiblio/csl\">\n<info>\n</citation>\n</style>\n";
        let e = read_style("broken.csl", xml).unwrap_err();
        assert_eq!((e.file.as_str(), e.line), ("broken.csl", 4), "{e}");
        assert!(
            e.to_string().starts_with("broken.csl, line 4, column "),
            "{e}"
        );
    }

    #[test]
    fn a_csl_error_names_the_line_of_the_bad_value() {
        let bad = GOOD.replacen(
            "<text variable=\"title\"/>",
            "<text variable=\"no-such-variable\"/>",
            1,
        );
        assert_ne!(bad, GOOD, "the fixture changed");
        let e = read_style("bad.csl", &bad).unwrap_err();
        let want = bad
            .lines()
            .position(|l| l.contains("no-such-variable"))
            .unwrap()
            + 1;
        assert_eq!(e.line, want, "{e}");
        assert!(e.reason.contains("text"), "{e}");
    }

    #[test]
    fn a_style_missing_its_class_is_refused() {
        let bad = GOOD.replacen("class=\"in-text\"", "", 1);
        let e = read_style("noclass.csl", &bad).unwrap_err();
        assert!(e.line >= 1, "{e}");
    }

    #[test]
    fn line_and_column_count_characters() {
        assert_eq!(line_column("ab\nçd", 5), (2, 2));
        assert_eq!(line_column("ab", 0), (1, 1));
    }

    #[test]
    fn bundled_styles_are_found_by_their_id() {
        assert_eq!(
            bundled_by_id("https://www.zotero.org/styles/apa/"),
            Some(CslStyle::Apa)
        );
        assert_eq!(
            bundled_by_id("http://www.zotero.org/styles/nlm-citation-sequence"),
            Some(CslStyle::Vancouver)
        );
        assert_eq!(bundled_by_id("http://www.zotero.org/styles/nope"), None);
    }
}
