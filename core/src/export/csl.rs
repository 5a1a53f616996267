//! Formatted references: CSL styles (embedded from `core/resources/csl/`) rendered by hayagriva
//! over CSL-JSON items, written as plain text, HTML (citeproc-js markup) or Markdown.

use std::fmt::Write;
use std::sync::OnceLock;

use citationberg::json::Item;
use citationberg::{
    FontStyle, FontVariant, FontWeight, IndependentStyle, Locale, LocaleFile, TextDecoration,
    VerticalAlign,
};
use hayagriva::{
    BibliographyDriver, BibliographyRequest, CitationItem, CitationRequest, ElemChild,
    ElemChildren, Formatting,
};

use crate::{Error, Result};

/// The styles Topica ships.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CslStyle {
    Apa,
    Ieee,
    ChicagoAuthorDate,
    Mla,
    Nature,
}

impl CslStyle {
    /// Every style, in the order the CLI lists them.
    pub const ALL: [CslStyle; 5] = [
        CslStyle::Apa,
        CslStyle::Ieee,
        CslStyle::ChicagoAuthorDate,
        CslStyle::Mla,
        CslStyle::Nature,
    ];

    /// The name `--format` takes.
    pub fn name(self) -> &'static str {
        match self {
            CslStyle::Apa => "apa",
            CslStyle::Ieee => "ieee",
            CslStyle::ChicagoAuthorDate => "chicago",
            CslStyle::Mla => "mla",
            CslStyle::Nature => "nature",
        }
    }

    fn xml(self) -> &'static str {
        match self {
            CslStyle::Apa => include_str!("../../resources/csl/apa.csl"),
            CslStyle::Ieee => include_str!("../../resources/csl/ieee.csl"),
            CslStyle::ChicagoAuthorDate => {
                include_str!("../../resources/csl/chicago-author-date.csl")
            }
            CslStyle::Mla => include_str!("../../resources/csl/modern-language-association.csl"),
            CslStyle::Nature => include_str!("../../resources/csl/nature.csl"),
        }
    }

    /// The parsed style, parsed once per process.
    pub fn style(self) -> &'static IndependentStyle {
        static STYLES: [OnceLock<IndependentStyle>; 5] = [const { OnceLock::new() }; 5];
        let i = CslStyle::ALL
            .iter()
            .position(|s| *s == self)
            .expect("listed");
        STYLES[i].get_or_init(|| {
            IndependentStyle::from_xml(self.xml())
                .expect("embedded styles parse (checked by tests)")
        })
    }
}

/// The embedded locales (en-US, en-GB, de-DE, fr-FR), parsed once.
pub fn locales() -> &'static [Locale] {
    static LOCALES: OnceLock<Vec<Locale>> = OnceLock::new();
    LOCALES.get_or_init(|| {
        [
            include_str!("../../resources/csl/locales-en-US.xml"),
            include_str!("../../resources/csl/locales-en-GB.xml"),
            include_str!("../../resources/csl/locales-de-DE.xml"),
            include_str!("../../resources/csl/locales-fr-FR.xml"),
        ]
        .iter()
        .map(|x| {
            LocaleFile::from_xml(x)
                .expect("embedded locales parse (checked by tests)")
                .into()
        })
        .collect()
    })
}

/// How formatted references are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Flavor {
    /// One reference per line, no markup.
    #[default]
    Text,
    /// citeproc-js markup: `<div class="csl-bib-body">`, `<i>`, `<b>`, links as `<a>`.
    Html,
    /// `*italic*`, `**bold**`, `[text](url)`; references separated by blank lines.
    Markdown,
}

impl std::str::FromStr for Flavor {
    type Err = Error;
    fn from_str(s: &str) -> Result<Flavor> {
        match s.to_ascii_lowercase().as_str() {
            "text" | "txt" | "plain" => Ok(Flavor::Text),
            "html" => Ok(Flavor::Html),
            "markdown" | "md" => Ok(Flavor::Markdown),
            other => Err(Error::Invalid(format!(
                "unknown output {other:?}; expected text, html or markdown"
            ))),
        }
    }
}

/// Parses a CSL style from XML (the test suite brings its own styles).
pub fn parse_style(xml: &str) -> Result<IndependentStyle> {
    IndependentStyle::from_xml(xml).map_err(|e| Error::Invalid(format!("CSL style: {e}")))
}

/// One rendered reference.
#[derive(Debug, Clone, PartialEq)]
pub struct Reference {
    /// The item's id (the citation key).
    pub key: String,
    /// The rendered reference in the requested flavour (without the list wrapper).
    pub text: String,
}

/// Renders a bibliography of `items` (each cited once, in the given order, which numeric styles
/// use for numbering), returning references in the style's order.
pub fn render_references(
    items: &[Item],
    style: &IndependentStyle,
    locales: &[Locale],
    flavor: Flavor,
) -> Vec<Reference> {
    let mut driver: BibliographyDriver<'_, Item> = BibliographyDriver::new();
    for item in items {
        driver.citation(CitationRequest::from_items(
            vec![CitationItem::with_entry(item)],
            style,
            locales,
        ));
    }
    let rendered = driver.finish(BibliographyRequest::new(style, None, locales));
    let Some(bib) = rendered.bibliography else {
        return Vec::new();
    };
    bib.items
        .iter()
        .map(|it| {
            let mut text = String::new();
            if let Some(first) = &it.first_field {
                match flavor {
                    Flavor::Html => {
                        text.push_str("<div class=\"csl-left-margin\">");
                        write_child(&mut text, first, flavor);
                        text.push_str("</div><div class=\"csl-right-inline\">");
                    }
                    _ => {
                        write_child(&mut text, first, flavor);
                        text.push(' ');
                    }
                }
            }
            write_children(&mut text, &it.content, flavor);
            if it.first_field.is_some() && flavor == Flavor::Html {
                text.push_str("</div>");
            }
            Reference {
                key: it.key.clone(),
                text: text.trim().to_string(),
            }
        })
        .collect()
}

/// Renders citations (plain text), each a list of indexes into `items`. Used by the CSL
/// test-suite check of citation-mode cases.
pub fn render_citations(
    items: &[Item],
    cites: &[Vec<usize>],
    style: &IndependentStyle,
    locales: &[Locale],
) -> Vec<String> {
    let mut driver: BibliographyDriver<'_, Item> = BibliographyDriver::new();
    for cite in cites {
        let entries = cite
            .iter()
            .map(|&i| CitationItem::with_entry(&items[i]))
            .collect();
        driver.citation(CitationRequest::new(entries, style, None, locales, Some(1)));
    }
    let rendered = driver.finish(BibliographyRequest::new(style, None, locales));
    rendered
        .citations
        .iter()
        .map(|c| {
            let mut s = String::new();
            write_children(&mut s, &c.citation, Flavor::Text);
            s
        })
        .collect()
}

/// Wraps rendered references into one document.
pub fn join(references: &[Reference], flavor: Flavor) -> String {
    let mut out = String::new();
    match flavor {
        Flavor::Text => {
            for r in references {
                out.push_str(&r.text);
                out.push('\n');
            }
        }
        Flavor::Markdown => {
            for (i, r) in references.iter().enumerate() {
                if i > 0 {
                    out.push('\n');
                }
                out.push_str(&r.text);
                out.push('\n');
            }
        }
        Flavor::Html => {
            out.push_str("<div class=\"csl-bib-body\">\n");
            for r in references {
                let _ = writeln!(out, "  <div class=\"csl-entry\">{}</div>", r.text);
            }
            out.push_str("</div>\n");
        }
    }
    out
}

fn write_children(out: &mut String, children: &ElemChildren, flavor: Flavor) {
    for c in &children.0 {
        write_child(out, c, flavor);
    }
}

fn write_child(out: &mut String, child: &ElemChild, flavor: Flavor) {
    match child {
        ElemChild::Text(t) => write_formatted(out, &t.text, t.formatting, flavor),
        ElemChild::Elem(e) => {
            let div = match (flavor, e.display) {
                (Flavor::Html, Some(d)) => Some(match d {
                    citationberg::Display::Block => "csl-block",
                    citationberg::Display::LeftMargin => "csl-left-margin",
                    citationberg::Display::RightInline => "csl-right-inline",
                    citationberg::Display::Indent => "csl-indent",
                }),
                _ => None,
            };
            if let Some(class) = div {
                let _ = write!(out, "<div class=\"{class}\">");
            }
            write_children(out, &e.children, flavor);
            if div.is_some() {
                out.push_str("</div>");
            }
        }
        ElemChild::Markup(m) => out.push_str(&escape_for(m, flavor)),
        ElemChild::Link { text, url } => match flavor {
            Flavor::Text => out.push_str(&text.text),
            Flavor::Html => {
                let _ = write!(out, "<a href=\"{}\">", html_escape(url));
                write_formatted(out, &text.text, text.formatting, flavor);
                out.push_str("</a>");
            }
            Flavor::Markdown => {
                if text.text == *url {
                    let _ = write!(out, "<{url}>");
                } else {
                    let mut inner = String::new();
                    write_formatted(&mut inner, &text.text, text.formatting, flavor);
                    let _ = write!(out, "[{inner}]({url})");
                }
            }
        },
        ElemChild::Transparent { .. } => {}
    }
}

fn html_escape(s: &str) -> String {
    // citeproc-js's entity spellings, so output compares with the CSL test suite.
    s.replace('&', "&#38;")
        .replace('<', "&#60;")
        .replace('>', "&#62;")
}

fn markdown_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '\\' | '*' | '_' | '[' | ']' | '`' | '<' | '>' | '#') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

fn escape_for(s: &str, flavor: Flavor) -> String {
    match flavor {
        Flavor::Text => s.to_string(),
        Flavor::Html => html_escape(s),
        Flavor::Markdown => markdown_escape(s),
    }
}

fn write_formatted(out: &mut String, text: &str, f: Formatting, flavor: Flavor) {
    let body = escape_for(text, flavor);
    if flavor == Flavor::Text || f == Formatting::default() {
        out.push_str(&body);
        return;
    }
    let mut open = String::new();
    let mut close = String::new();
    let mut wrap = |o: &str, c: &str| {
        open.push_str(o);
        close.insert_str(0, c);
    };
    let visible = text.chars().any(|c| !c.is_whitespace());
    match flavor {
        Flavor::Html => {
            match f.vertical_align {
                VerticalAlign::Sub => wrap("<sub>", "</sub>"),
                VerticalAlign::Sup => wrap("<sup>", "</sup>"),
                _ => {}
            }
            // Bold whitespace is left plain, as citeproc-js does.
            if f.font_weight == FontWeight::Bold && visible {
                wrap("<b>", "</b>");
            }
            if f.font_style == FontStyle::Italic {
                wrap("<i>", "</i>");
            }
            if f.text_decoration == TextDecoration::Underline {
                wrap("<span style=\"text-decoration:underline;\">", "</span>");
            }
            if f.font_variant == FontVariant::SmallCaps {
                wrap("<span style=\"font-variant:small-caps;\">", "</span>");
            }
        }
        Flavor::Markdown => {
            // Emphasis markers must hug the text: move surrounding spaces outside them.
            if visible && (f.font_weight == FontWeight::Bold || f.font_style == FontStyle::Italic) {
                let lead = &body[..body.len() - body.trim_start().len()];
                let trail = &body[body.trim_end().len()..];
                let core = body.trim();
                let marks = match (
                    f.font_weight == FontWeight::Bold,
                    f.font_style == FontStyle::Italic,
                ) {
                    (true, true) => "***",
                    (true, false) => "**",
                    _ => "*",
                };
                let _ = write!(out, "{lead}{marks}{core}{marks}{trail}");
                return;
            }
        }
        Flavor::Text => {}
    }
    out.push_str(&open);
    out.push_str(&body);
    out.push_str(&close);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_embedded_style_renders_a_reference() {
        assert_eq!(locales().len(), 4);
        let item: Item = serde_json::from_str(
            r#"{"id": "k", "type": "article-journal", "title": "On Things", "author": [{"family": "Müller", "given": "Jörg"}],
                "issued": {"date-parts": [[2020]]}, "container-title": "Nature", "volume": "5", "page": "1-9"}"#,
        )
        .unwrap();
        for s in CslStyle::ALL {
            let refs = render_references(
                std::slice::from_ref(&item),
                s.style(),
                locales(),
                Flavor::Text,
            );
            assert_eq!(refs.len(), 1, "{s:?}");
            assert!(
                refs[0].text.contains("Müller") && refs[0].text.contains("On Things"),
                "{s:?}: {}",
                refs[0].text
            );
        }
    }
}
