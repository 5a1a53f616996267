//! The paper model: bibliographic fields an importer fills, and user fields only the user changes.

use serde::{Deserialize, Serialize};

/// One author or editor. Corporate authors ("The LIGO Collaboration") have only `family`
/// and `literal = true`, so exporters brace them instead of splitting them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct Author {
    pub family: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub given: String,
    /// "von", "van der", "de la"...
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub particle: String,
    /// "Jr.", "III"...
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub suffix: String,
    /// A name that must not be split (institutions, collaborations).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub literal: bool,
}

impl Author {
    /// A person's name from family and given parts.
    pub fn new(family: impl Into<String>, given: impl Into<String>) -> Author {
        Author {
            family: family.into(),
            given: given.into(),
            ..Author::default()
        }
    }

    /// An institution or collaboration.
    pub fn literal(name: impl Into<String>) -> Author {
        Author {
            family: name.into(),
            literal: true,
            ..Author::default()
        }
    }

    /// "Given von Family, Jr." for display.
    pub fn display_name(&self) -> String {
        let mut parts: Vec<&str> = Vec::new();
        for p in [&self.given, &self.particle, &self.family] {
            if !p.is_empty() {
                parts.push(p);
            }
        }
        let mut s = parts.join(" ");
        if !self.suffix.is_empty() {
            s.push_str(", ");
            s.push_str(&self.suffix);
        }
        s
    }

    /// Parses "Family, Given", "Family, Jr., Given" or "Given von Family" (BibTeX's three forms).
    pub fn parse(name: &str) -> Author {
        let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
        let commas: Vec<&str> = name.split(',').map(str::trim).collect();
        let (first, von_last, jr) = match commas.as_slice() {
            [last] => ("", *last, ""),
            [last, first] => (*first, *last, ""),
            [last, jr, first, ..] => (*first, *last, *jr),
            [] => ("", "", ""),
        };
        if commas.len() == 1 {
            // "Given von Family": the von part starts at the first lower-case word that is not the last.
            let words: Vec<&str> = von_last.split(' ').filter(|w| !w.is_empty()).collect();
            if words.len() <= 1 {
                return Author {
                    family: von_last.to_string(),
                    ..Author::default()
                };
            }
            let last = words.len() - 1;
            let von_start = words[..last].iter().position(|w| starts_lower(w));
            let (given, particle, family) = match von_start {
                Some(v) => {
                    let von_end = (v..last)
                        .rev()
                        .find(|&i| starts_lower(words[i]))
                        .map_or(v, |i| i + 1);
                    (
                        words[..v].join(" "),
                        words[v..von_end].join(" "),
                        words[von_end..].join(" "),
                    )
                }
                None => (
                    words[..last].join(" "),
                    String::new(),
                    words[last].to_string(),
                ),
            };
            return Author {
                family,
                given,
                particle,
                ..Author::default()
            };
        }
        let words: Vec<&str> = von_last.split(' ').filter(|w| !w.is_empty()).collect();
        let von_end = words
            .iter()
            .rposition(|w| starts_lower(w))
            .filter(|&i| i + 1 < words.len())
            .map_or(0, |i| i + 1);
        Author {
            family: words[von_end..].join(" "),
            given: first.to_string(),
            particle: words[..von_end].join(" "),
            suffix: jr.to_string(),
            literal: false,
        }
    }
}

fn starts_lower(w: &str) -> bool {
    w.chars()
        .find(|c| c.is_alphabetic())
        .is_some_and(char::is_lowercase)
}

/// A paper in the library.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct Paper {
    /// Library-local id (SQLite rowid); 0 before the paper is stored.
    pub id: i64,
    /// Versionless arXiv id, the paper's identity when present.
    pub arxiv_id: Option<String>,
    /// Newest arXiv version seen.
    pub arxiv_version: Option<u32>,
    /// Lower-case DOI without a resolver prefix.
    pub doi: Option<String>,
    pub title: Option<String>,
    pub authors: Vec<Author>,
    pub editors: Vec<Author>,
    pub year: Option<i32>,
    pub month: Option<u8>,
    #[serde(rename = "abstract")]
    pub abstract_text: Option<String>,
    /// arXiv categories, primary first.
    pub categories: Vec<String>,
    pub journal_ref: Option<String>,
    pub comments: Option<String>,
    /// BibTeX-style entry type: article, inproceedings, book, misc...
    pub kind: Option<String>,
    /// Journal, proceedings or book title.
    pub container: Option<String>,
    pub volume: Option<String>,
    pub issue: Option<String>,
    pub pages: Option<String>,
    pub publisher: Option<String>,
    pub url: Option<String>,
    /// Citation key, stored and pinned once given.
    pub citation_key: Option<String>,
    /// Fields a source had that have no column (isbn, note, address...), kept for export.
    pub extra: std::collections::BTreeMap<String, String>,
    // ---- user fields: never written by an import ----
    pub tags: Vec<String>,
    pub collections: Vec<String>,
    pub notes: String,
    pub read: bool,
    pub starred: bool,
    /// RFC 3339 UTC timestamp.
    pub date_added: String,
    /// When the paper went to the trash (RFC 3339 UTC); `None` while it is in the library.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub trashed_at: Option<String>,
    /// The bibliographic fields the user edited (names as in [`EDITABLE_FIELDS`]): imports and
    /// enrichment never overwrite them.
    #[serde(default)]
    pub edited: Vec<String>,
    /// Labels of the paper's topic and its broader topic (derived; searchable as `topic:`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub topics: Vec<String>,
}

impl Paper {
    /// What the UI shows as a title: the title, or the abstract's first sentence until enriched.
    pub fn display_title(&self) -> String {
        if let Some(t) = self.title.as_deref().filter(|t| !t.trim().is_empty()) {
            return t.to_string();
        }
        if let Some(a) = self.abstract_text.as_deref() {
            let first = first_sentence(a);
            let mut s: String = first.chars().take(160).collect();
            if first.chars().count() > 160 {
                s.push('…');
            }
            return s;
        }
        self.arxiv_id
            .clone()
            .unwrap_or_else(|| format!("paper {}", self.id))
    }
}

/// The first sentence of `text`: up to a `.`, `?` or `!` followed by white space and a capital
/// (so "44.1kHz", "e.g. the" and "Fig. 2" do not end it).
pub fn first_sentence(text: &str) -> &str {
    let text = text.trim();
    let bytes = text.as_bytes();
    for (i, c) in text.char_indices() {
        if matches!(c, '.' | '?' | '!') && bytes.get(i + 1) == Some(&b' ') {
            let next = text[i + 2..].chars().next();
            let before = &text[..i];
            let abbreviation = before.ends_with("e.g")
                || before.ends_with("i.e")
                || before.ends_with("et al")
                || before.ends_with("Fig")
                || before.ends_with("vs");
            if next.is_some_and(|n| n.is_uppercase()) && !abbreviation {
                return &text[..=i];
            }
        }
    }
    text
}

/// Normalises a DOI: lower case, no `https://doi.org/` or `doi:` prefix.
pub fn normalize_doi(doi: &str) -> Option<String> {
    let mut d = doi.trim();
    let lower = d.to_ascii_lowercase();
    if lower.starts_with("http://") || lower.starts_with("https://") {
        // Any resolver or publisher link that carries the DOI in its path
        // (`http://doi.acm.org/10.1145/…`, `https://onlinelibrary.wiley.com/doi/abs/10.1002/…`).
        d = &d[d.find("/10.").or_else(|| d.find("/10/"))? + 1..];
    } else {
        for p in ["doi:", "doi ", "doi.org/", "dx.doi.org/"] {
            if lower.starts_with(p) {
                d = d[p.len()..].trim();
                break;
            }
        }
    }
    // `10.prefix/suffix`, or a short DOI (`10/fqd6hj`, which doi.org resolves like any other).
    let short = d
        .strip_prefix("10/")
        .is_some_and(|s| !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric()));
    (d.starts_with("10.") && d.len() > 3 || short).then(|| d.to_lowercase())
}

/// A title reduced for duplicate detection: letters and digits only, lower case.
pub fn title_key(title: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    // NFKD leaves ASCII as it is; most titles are ASCII and every import computes their keys.
    if title.is_ascii() {
        return title
            .bytes()
            .filter(u8::is_ascii_alphanumeric)
            .map(|b| char::from(b.to_ascii_lowercase()))
            .collect();
    }
    title
        .nfkd()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dois_from_links_prefixes_and_short_forms() {
        for (input, want) in [
            ("10.1000/ABC", Some("10.1000/abc")),
            ("doi:10.1/x", Some("10.1/x")),
            ("DOI 10.1/x", Some("10.1/x")),
            ("https://doi.org/10.1/x", Some("10.1/x")),
            ("http://dx.doi.org/10.1/x", Some("10.1/x")),
            (
                "http://doi.acm.org/10.1145/1137627.1137631",
                Some("10.1145/1137627.1137631"),
            ),
            (
                "https://onlinelibrary.wiley.com/doi/abs/10.1002/x.1",
                Some("10.1002/x.1"),
            ),
            ("10/fqd6hj", Some("10/fqd6hj")),
            ("https://doi.org/10/fqd6hj", Some("10/fqd6hj")),
            ("10/", None),
            ("10.", None),
            ("https://example.org/paper", None),
            ("ISBN 978-3", None),
        ] {
            assert_eq!(normalize_doi(input).as_deref(), want, "{input}");
        }
    }

    #[test]
    fn bibtex_name_forms() {
        let a = Author::parse("Ludwig van Beethoven");
        assert_eq!(
            (a.given.as_str(), a.particle.as_str(), a.family.as_str()),
            ("Ludwig", "van", "Beethoven")
        );
        let a = Author::parse("van Beethoven, Ludwig");
        assert_eq!(
            (a.given.as_str(), a.particle.as_str(), a.family.as_str()),
            ("Ludwig", "van", "Beethoven")
        );
        let a = Author::parse("Ford, Jr., Henry");
        assert_eq!(
            (a.given.as_str(), a.family.as_str(), a.suffix.as_str()),
            ("Henry", "Ford", "Jr.")
        );
        let a = Author::parse("Jean de la Fontaine");
        assert_eq!(
            (a.given.as_str(), a.particle.as_str(), a.family.as_str()),
            ("Jean", "de la", "Fontaine")
        );
        let a = Author::parse("Vaswani");
        assert_eq!(a.family, "Vaswani");
    }

    #[test]
    fn first_sentences() {
        assert_eq!(
            first_sentence("Generating 44.1kHz audio. Then more."),
            "Generating 44.1kHz audio."
        );
        assert_eq!(
            first_sentence("We use e.g. Transformers. Next."),
            "We use e.g. Transformers."
        );
        assert_eq!(first_sentence("No full stop"), "No full stop");
    }

    #[test]
    fn dois_and_titles() {
        assert_eq!(
            normalize_doi("https://doi.org/10.1103/PhysRevD.76.013009").as_deref(),
            Some("10.1103/physrevd.76.013009")
        );
        assert_eq!(normalize_doi("not a doi"), None);
        assert_eq!(
            title_key("Attention Is All You Need!"),
            title_key("attention is all you need")
        );
        assert_eq!(title_key("Über Café"), "ubercafe");
        // ASCII (the fast path) and the same title with one non-ASCII letter agree.
        assert_eq!(title_key("GPT-4: 10x Faster, {LoRA}!"), "gpt410xfasterlora");
        assert_eq!(title_key("GPT-4: 10x Fäster, {LoRA}!"), "gpt410xfasterlora");
    }
}
