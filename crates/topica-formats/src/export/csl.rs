//! Formatted references: CSL styles (embedded from `resources/csl/`) rendered by hayagriva
//! over CSL-JSON items, written as plain text, HTML (citeproc-js markup) or Markdown.

use std::fmt::Write;
use std::sync::OnceLock;

use citationberg::json::Item;
use citationberg::{
    FontStyle, FontVariant, FontWeight, IndependentStyle, Locale, LocaleCode, LocaleFile,
    TextDecoration, VerticalAlign,
};
use hayagriva::{
    BibliographyDriver, BibliographyRequest, CitationItem, CitationRequest, ElemChild,
    ElemChildren, Formatting,
};

use crate::{Error, Result};

/// The styles Topica ships (`resources/csl/`, from the CSL styles repository; see its
/// `SOURCES.md`). Dependent styles there are bundled as their independent parent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CslStyle {
    Apa,
    Ieee,
    ChicagoAuthorDate,
    Mla,
    Nature,
    ChicagoNotes,
    Harvard,
    Vancouver,
    Acm,
    Acl,
    SpringerAuthorDate,
    SpringerBrackets,
    ElsevierHarvard,
}

/// Bundled styles: (style, name `--format` takes, file stem in the CSL repository, XML).
const BUNDLED: [(CslStyle, &str, &str, &str); 13] = [
    (
        CslStyle::Apa,
        "apa",
        "apa",
        include_str!("../../resources/csl/apa.csl"),
    ),
    (
        CslStyle::Ieee,
        "ieee",
        "ieee",
        include_str!("../../resources/csl/ieee.csl"),
    ),
    (
        CslStyle::ChicagoAuthorDate,
        "chicago",
        "chicago-author-date",
        include_str!("../../resources/csl/chicago-author-date.csl"),
    ),
    (
        CslStyle::Mla,
        "mla",
        "modern-language-association",
        include_str!("../../resources/csl/modern-language-association.csl"),
    ),
    (
        CslStyle::Nature,
        "nature",
        "nature",
        include_str!("../../resources/csl/nature.csl"),
    ),
    (
        CslStyle::ChicagoNotes,
        "chicago-notes",
        "chicago-notes-bibliography",
        include_str!("../../resources/csl/chicago-notes-bibliography.csl"),
    ),
    (
        CslStyle::Harvard,
        "harvard",
        "harvard-cite-them-right",
        include_str!("../../resources/csl/harvard-cite-them-right.csl"),
    ),
    // The repository's `vancouver-nlm` is a dependent style of this one. Its file has `<name/>`
    // added to three `<names>` (see SOURCES.md): hayagriva prints nothing for a `cs:names`
    // without a `cs:name`, where CSL inherits the style's name options.
    (
        CslStyle::Vancouver,
        "vancouver",
        "nlm-citation-sequence",
        include_str!("../../resources/csl/nlm-citation-sequence.csl"),
    ),
    (
        CslStyle::Acm,
        "acm",
        "association-for-computing-machinery",
        include_str!("../../resources/csl/association-for-computing-machinery.csl"),
    ),
    (
        CslStyle::Acl,
        "acl",
        "association-for-computational-linguistics",
        include_str!("../../resources/csl/association-for-computational-linguistics.csl"),
    ),
    (
        CslStyle::SpringerAuthorDate,
        "springer",
        "springer-basic-author-date",
        include_str!("../../resources/csl/springer-basic-author-date.csl"),
    ),
    (
        CslStyle::SpringerBrackets,
        "springer-brackets",
        "springer-basic-brackets",
        include_str!("../../resources/csl/springer-basic-brackets.csl"),
    ),
    (
        CslStyle::ElsevierHarvard,
        "elsevier-harvard",
        "elsevier-harvard",
        include_str!("../../resources/csl/elsevier-harvard.csl"),
    ),
];

impl CslStyle {
    /// Every style, in the order the CLI lists them.
    pub const ALL: [CslStyle; 13] = {
        let mut all = [CslStyle::Apa; 13];
        let mut i = 0;
        while i < BUNDLED.len() {
            all[i] = BUNDLED[i].0;
            i += 1;
        }
        all
    };

    fn index(self) -> usize {
        CslStyle::ALL
            .iter()
            .position(|s| *s == self)
            .expect("every style is listed")
    }

    /// The name `--format` takes.
    pub fn name(self) -> &'static str {
        BUNDLED[self.index()].1
    }

    /// The file name (without `.csl`) in the CSL styles repository, which `--format` also
    /// takes, and the last part of the style's id (`http://www.zotero.org/styles/<stem>`).
    pub fn file_stem(self) -> &'static str {
        BUNDLED[self.index()].2
    }

    /// A bundled style by its name or its file stem (case-insensitive).
    pub fn from_name(name: &str) -> Option<CslStyle> {
        let name = name.trim().to_ascii_lowercase();
        CslStyle::ALL
            .into_iter()
            .find(|s| s.name() == name || s.file_stem() == name)
    }

    /// The style's CSL source (embedded).
    pub fn xml(self) -> &'static str {
        BUNDLED[self.index()].3
    }

    /// The style's title, as its `cs:info` gives it.
    pub fn title(self) -> &'static str {
        &self.style().info.title.value
    }

    /// The parsed style, parsed once per process.
    pub fn style(self) -> &'static IndependentStyle {
        static STYLES: [OnceLock<IndependentStyle>; 13] = [const { OnceLock::new() }; 13];
        STYLES[self.index()].get_or_init(|| {
            IndependentStyle::from_xml(self.xml())
                .expect("embedded styles parse (checked by tests)")
        })
    }
}

/// The embedded locale files: (code, XML).
pub const LOCALE_XML: [(&str, &str); 17] = [
    (
        "en-US",
        include_str!("../../resources/csl/locales-en-US.xml"),
    ),
    (
        "en-GB",
        include_str!("../../resources/csl/locales-en-GB.xml"),
    ),
    (
        "de-DE",
        include_str!("../../resources/csl/locales-de-DE.xml"),
    ),
    (
        "fr-FR",
        include_str!("../../resources/csl/locales-fr-FR.xml"),
    ),
    (
        "es-ES",
        include_str!("../../resources/csl/locales-es-ES.xml"),
    ),
    (
        "it-IT",
        include_str!("../../resources/csl/locales-it-IT.xml"),
    ),
    (
        "pt-BR",
        include_str!("../../resources/csl/locales-pt-BR.xml"),
    ),
    (
        "pt-PT",
        include_str!("../../resources/csl/locales-pt-PT.xml"),
    ),
    (
        "nl-NL",
        include_str!("../../resources/csl/locales-nl-NL.xml"),
    ),
    (
        "ja-JP",
        include_str!("../../resources/csl/locales-ja-JP.xml"),
    ),
    (
        "zh-CN",
        include_str!("../../resources/csl/locales-zh-CN.xml"),
    ),
    (
        "zh-TW",
        include_str!("../../resources/csl/locales-zh-TW.xml"),
    ),
    (
        "ru-RU",
        include_str!("../../resources/csl/locales-ru-RU.xml"),
    ),
    (
        "pl-PL",
        include_str!("../../resources/csl/locales-pl-PL.xml"),
    ),
    (
        "sv-SE",
        include_str!("../../resources/csl/locales-sv-SE.xml"),
    ),
    (
        "da-DK",
        include_str!("../../resources/csl/locales-da-DK.xml"),
    ),
    (
        "ko-KR",
        include_str!("../../resources/csl/locales-ko-KR.xml"),
    ),
];

/// The embedded locales, parsed once, in [`LOCALE_XML`]'s order.
pub fn locales() -> &'static [Locale] {
    static LOCALES: OnceLock<Vec<Locale>> = OnceLock::new();
    LOCALES.get_or_init(|| {
        LOCALE_XML
            .iter()
            .map(|(_, x)| {
                LocaleFile::from_xml(x)
                    .expect("embedded locales parse (checked by tests)")
                    .into()
            })
            .collect()
    })
}

/// The codes of the embedded locales.
pub fn locale_codes() -> impl Iterator<Item = &'static str> {
    LOCALE_XML.iter().map(|(code, _)| *code)
}

/// An embedded locale's code, spelled as Topica has it (`de-de` is `de-DE`); an unknown
/// code is an error listing the known ones.
pub fn locale_code(code: &str) -> Result<LocaleCode> {
    let wanted = code.trim();
    locale_codes()
        .find(|c| c.eq_ignore_ascii_case(wanted))
        .map(|c| LocaleCode(c.to_string()))
        .ok_or_else(|| {
            Error::Invalid(format!(
                "unknown locale {wanted:?}; Topica has {}",
                locale_codes().collect::<Vec<_>>().join(", ")
            ))
        })
}

/// The locale a style renders in: the one asked for, else the style's `default-locale`, else
/// en-US (what hayagriva does when given none; named here so the reference cache keys on it).
pub fn effective_locale(style: &IndependentStyle, asked: Option<&LocaleCode>) -> LocaleCode {
    asked
        .cloned()
        .or_else(|| style.default_locale.clone())
        .unwrap_or_else(|| LocaleCode("en-US".into()))
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

/// Items per hayagriva run. hayagriva's `finish` looks every entry up by value among all
/// citations and builds an ICU collator per sort comparison, so one run over n items costs
/// O(n²) deep comparisons: 10,000 APA references took minutes in one run, while runs of a few
/// hundred stay linear overall (measured by `topica-cli bench-export`).
const CHUNK: usize = 200;

/// Renders a bibliography of `items` (each cited once, in the given order, which numeric styles
/// use for numbering), returning references in the style's order.
///
/// Bibliographies larger than [`CHUNK`] are rendered in runs, in parallel:
/// - styles whose bibliography keeps citation order (numeric styles such as IEEE) are cut into
///   consecutive runs, each numbered from where the previous one stopped: the same text as
///   one pass;
/// - styles that sort their bibliography (author-date styles such as APA) render one run per
///   first-author name, runs in name order (accents folded, the style's particle rule), which
///   hayagriva then sorts exactly within. Every set of references a style can confuse (added
///   initials, year suffixes "2020a/b", repeated-author dashes) shares a first author, so it is
///   disambiguated together. This also disambiguates more than one pass: hayagriva stops after
///   three disambiguation rounds over the whole bibliography, which over hundreds of
///   references leaves identical "(Smith, 2020)" citations without year suffixes.
///
/// `locale`: the locale asked for (None: the style's default-locale, else en-US).
pub fn render_references(
    items: &[Item],
    style: &IndependentStyle,
    locales: &[Locale],
    locale: Option<&LocaleCode>,
    flavor: Flavor,
) -> Vec<Reference> {
    let runs = plan_runs(items, style);
    use rayon::prelude::*;
    runs.into_par_iter()
        .map(|run| {
            let run_items = run.items.iter().map(|&i| &items[i]);
            render_run(run_items, style, locales, locale, flavor, run.offset)
        })
        .collect::<Vec<_>>()
        .into_iter()
        .flatten()
        .collect()
}

/// References hayagriva renders together: what each reference's text depends on is exactly
/// these items (in this order) and `offset`, which is what makes a run cacheable.
#[derive(Debug, Clone)]
pub struct Run {
    /// Indexes of the items, in citation order.
    pub items: Vec<usize>,
    /// References before this run (numeric styles number on from here).
    pub offset: usize,
}

/// Cuts a bibliography into runs as [`render_references`] describes; rendering them in order
/// and concatenating gives the bibliography.
pub fn plan_runs(items: &[Item], style: &IndependentStyle) -> Vec<Run> {
    if items.len() <= CHUNK {
        return vec![Run {
            items: (0..items.len()).collect(),
            offset: 0,
        }];
    }
    let sorts = style
        .bibliography
        .as_ref()
        .is_some_and(|b| b.sort.is_some());
    let groups: Vec<Vec<usize>> = if sorts {
        let demote = style.settings.demote_non_dropping_particle
            != citationberg::DemoteNonDroppingParticle::Never;
        groups_by_first_author(items, demote)
    } else {
        (0..items.len())
            .step_by(CHUNK)
            .map(|start| (start..(start + CHUNK).min(items.len())).collect())
            .collect()
    };
    // Each run renders exactly its own items, so its numbering offset is known up front and the
    // runs render in parallel.
    let mut seen = 0;
    groups
        .into_iter()
        .map(|items| {
            let offset = seen;
            seen += items.len();
            Run { items, offset }
        })
        .collect()
}

/// Groups items by first-author name, groups in name order, items in the caller's order
/// within a group (hayagriva gives year suffixes in citation order, as in one pass).
fn groups_by_first_author(items: &[Item], demote_particle: bool) -> Vec<Vec<usize>> {
    let mut keyed: Vec<(String, usize)> = items
        .iter()
        .enumerate()
        .map(|(index, item)| (name_key(item, demote_particle), index))
        .collect();
    keyed.sort(); // by name, then by position
    let mut groups: Vec<Vec<usize>> = Vec::new();
    let mut last_key: Option<&str> = None;
    for (key, index) in &keyed {
        if last_key != Some(key.as_str()) {
            groups.push(Vec::new());
        }
        groups.last_mut().expect("pushed").push(*index);
        last_key = Some(key);
    }
    groups
}

/// What author-date styles sort and disambiguate by first: the first author's name (family and
/// particle in the style's sort order, accents folded, lower case), or the title when there is
/// no author.
fn name_key(item: &Item, demote_particle: bool) -> String {
    use citationberg::json::{NameValue, Value};
    let name = ["author", "editor"]
        .iter()
        .find_map(|var| match item.0.get(*var) {
            Some(Value::Names(names)) => names.first().map(|n| match n {
                NameValue::Item(n) => match &n.non_dropping_particle {
                    Some(p) if demote_particle => format!("{} {p}", n.family),
                    Some(p) => format!("{p} {}", n.family),
                    None => n.family.clone(),
                },
                NameValue::Literal(l) => l.literal.clone(),
            }),
            _ => None,
        })
        .or_else(|| {
            item.0
                .get("title")
                .and_then(|t| t.to_str())
                .map(|t| t.into_owned())
        })
        .unwrap_or_default();
    crate::citekey::ascii_fold(&name).to_lowercase()
}

/// One hayagriva run; `offset` references were rendered before it (numeric styles count on).
/// `locale` as in [`render_references`].
pub fn render_run<'a>(
    items: impl Iterator<Item = &'a Item>,
    style: &IndependentStyle,
    locales: &[Locale],
    locale: Option<&LocaleCode>,
    flavor: Flavor,
    offset: usize,
) -> Vec<Reference> {
    let mut driver: BibliographyDriver<'_, Item> =
        BibliographyDriver::new().with_citation_number_offset(offset);
    for item in items {
        driver.citation(CitationRequest::new(
            vec![CitationItem::with_entry(item)],
            style,
            locale.cloned(),
            locales,
            None,
        ));
    }
    let rendered = driver.finish(BibliographyRequest::new(style, locale.cloned(), locales));
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
        ElemChild::Link { text, url } => match (flavor, web_link(url)) {
            (Flavor::Text, _) => out.push_str(&text.text),
            // A URL or DOI is the paper's data, not ours: only http(s) becomes a link (no
            // `javascript:`), and it is escaped for the attribute or link it lands in.
            (_, None) => write_formatted(out, &text.text, text.formatting, flavor),
            (Flavor::Html, Some(url)) => {
                let _ = write!(out, "<a href=\"{}\">", attribute_escape(url));
                write_formatted(out, &text.text, text.formatting, flavor);
                out.push_str("</a>");
            }
            (Flavor::Markdown, Some(url)) => {
                let target = markdown_link_target(url);
                if text.text == url {
                    let _ = write!(out, "<{target}>");
                } else {
                    let mut inner = String::new();
                    write_formatted(&mut inner, &text.text, text.formatting, flavor);
                    let _ = write!(out, "[{inner}]({target})");
                }
            }
        },
        ElemChild::Transparent { .. } => {}
    }
}

/// `url` when it may be a link: an http(s) URL, or one with no scheme (a relative link, as
/// styles print "www.example.org"). Any other scheme (`javascript:`, `data:`, `file:`) is not,
/// judged as browsers read it: without tabs and line breaks, after leading blanks.
fn web_link(url: &str) -> Option<&str> {
    let seen: String = url
        .trim_start_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    let scheme = seen.split_once(':').map(|(s, _)| s).filter(|s| {
        s.starts_with(|c: char| c.is_ascii_alphabetic())
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
    });
    match scheme {
        None => Some(url),
        Some(s) if s.eq_ignore_ascii_case("https") || s.eq_ignore_ascii_case("http") => Some(url),
        Some(_) => None,
    }
}

/// Escapes text for a double-quoted HTML attribute: the text escapes and both quotes.
fn attribute_escape(s: &str) -> String {
    html_escape(s).replace('"', "&#34;").replace('\'', "&#39;")
}

/// A URL as a Markdown link target (`[text](target)` or `<target>`): what would end either
/// form percent-encoded (white space, angle brackets, backslashes, and parentheses when they
/// do not pair up, which CommonMark allows only paired).
fn markdown_link_target(url: &str) -> String {
    let mut depth = 0i32;
    let paired = url.chars().all(|c| {
        depth += match c {
            '(' => 1,
            ')' => -1,
            _ => 0,
        };
        depth >= 0
    }) && depth == 0;
    super::percent_encode(url, |c| {
        c.is_whitespace()
            || c.is_control()
            || matches!(c, '<' | '>' | '\\')
            || (!paired && matches!(c, '(' | ')'))
    })
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

    /// Browsers drop tabs and line breaks anywhere in a URL and blanks before it, so
    /// `java\tscript:` is `javascript:` to them: the check reads URLs the same way.
    #[test]
    fn only_web_and_relative_urls_are_links() {
        for url in [
            "https://arxiv.org/abs/1",
            "HTTP://x.org",
            "www.reporturl.com",
            "/a:b",
            "java script:x",
        ] {
            assert_eq!(web_link(url), Some(url), "{url}");
        }
        for url in [
            "javascript:alert(1)",
            " java\tscript:alert(1)",
            "\u{1}JaVaScRiPt:x",
            "data:text/html,x",
            "file:///etc/passwd",
            "vbscript:x",
        ] {
            assert_eq!(web_link(url), None, "{url:?}");
        }
        assert_eq!(
            markdown_link_target("https://x.org/a(b)c d"),
            "https://x.org/a(b)c%20d"
        );
        assert_eq!(
            markdown_link_target("https://x.org/a)b<c>"),
            "https://x.org/a%29b%3Cc%3E"
        );
    }

    /// 2½ chunks of references whose first authors repeat, with shared years, so the styles
    /// must add initials and year suffixes ("2001a") across what chunking cuts. (Given names
    /// have distinct initials: with more ambiguity than that, hayagriva's three disambiguation
    /// passes stop short over hundreds of references in one run, so one run is no oracle.)
    fn many_items() -> Vec<Item> {
        let families = [
            ("Smith", None),
            ("Müller", None),
            ("Beek", Some("van")),
            ("Ångström", None),
            ("Zhou", None),
            ("Cruz", Some("de la")),
            ("Brown", None),
            ("Dubois", None),
            ("Chen", None),
            ("Abbott", None),
            ("Ebert", None),
        ];
        (0..CHUNK * 2 + 50)
            .map(|i| {
                let (family, particle) = families[i % families.len()];
                let given = ["Jan", "Kim", "Lee"][i % 3];
                let mut author = serde_json::json!({ "family": family, "given": given });
                if let Some(p) = particle {
                    author["non-dropping-particle"] = p.into();
                }
                serde_json::from_value(serde_json::json!({
                    "id": format!("k{i}"),
                    "type": "article-journal",
                    "title": format!("Study number {i}"),
                    "author": [author],
                    "issued": {"date-parts": [[2000 + (i / 7 % 4) as i64]]},
                    "container-title": "Journal",
                }))
                .unwrap()
            })
            .collect()
    }

    /// "2002f)" → "2002)": a year suffix removed.
    fn without_year_suffixes(s: &str) -> String {
        let c: Vec<char> = s.chars().collect();
        let mut out = String::new();
        for (i, &ch) in c.iter().enumerate() {
            let after_year = i >= 4 && c[i - 4..i].iter().all(char::is_ascii_digit);
            let before_end = matches!(c.get(i + 1), Some(')' | ',' | '.'));
            if ch.is_ascii_lowercase() && after_year && before_end {
                continue;
            }
            out.push(ch);
        }
        out
    }

    #[test]
    fn large_bibliographies_render_in_runs_like_one_pass_but_fully_disambiguated() {
        let items = many_items();
        // Numeric styles: exactly one pass, numbering continued across runs.
        let s = CslStyle::Ieee;
        let runs = render_references(&items, s.style(), locales(), None, Flavor::Text);
        let whole = render_run(items.iter(), s.style(), locales(), None, Flavor::Text, 0);
        assert_eq!(runs, whole);
        assert!(runs[CHUNK + 1]
            .text
            .starts_with(&format!("[{}]", CHUNK + 2)));
        // Sorted styles: one pass's order and text, except the year suffixes one pass gives up on.
        for s in [CslStyle::Apa, CslStyle::ChicagoAuthorDate, CslStyle::Mla] {
            let runs = render_references(&items, s.style(), locales(), None, Flavor::Text);
            let whole = render_run(items.iter(), s.style(), locales(), None, Flavor::Text, 0);
            assert_eq!(runs.len(), items.len(), "{s:?}");
            for (i, (r, w)) in runs.iter().zip(&whole).enumerate() {
                assert_eq!(r.key, w.key, "{s:?}: reference {i} is out of order");
                assert_eq!(
                    without_year_suffixes(&r.text),
                    without_year_suffixes(&w.text),
                    "{s:?}: reference {i} differs"
                );
            }
        }
        // APA: runs leave fewer references that read the same "Author, I. (year)" than one pass
        // does (hayagriva's three disambiguation rounds stop short over a whole bibliography;
        // within one first author they get further, though not always all the way).
        let distinct_heads = |refs: &[Reference]| {
            let mut heads: Vec<&str> = refs
                .iter()
                .map(|r| r.text.split(')').next().unwrap())
                .collect();
            heads.sort();
            heads.dedup();
            heads.len()
        };
        let apa = render_references(&items, CslStyle::Apa.style(), locales(), None, Flavor::Text);
        let whole = render_run(
            items.iter(),
            CslStyle::Apa.style(),
            locales(),
            None,
            Flavor::Text,
            0,
        );
        assert!(apa.iter().any(|r| r.text.contains("2002b)")));
        assert!(
            distinct_heads(&apa) > distinct_heads(&whole),
            "{} vs {}",
            distinct_heads(&apa),
            distinct_heads(&whole)
        );
    }

    #[test]
    fn every_embedded_style_renders_a_reference() {
        assert_eq!(locales().len(), LOCALE_XML.len());
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
                None,
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
