//! The arXiv id and DOI a paper names for itself.
//!
//! A paper's own identifiers are in its document information (publishers put the DOI in the
//! subject or keywords), in arXiv's stamp down the first page's margin, and in the header or
//! footer of its first page; its references name other papers' identifiers. So: the document
//! information first, then the first two pages up to a "References" heading; a DOI labelled as
//! one ("DOI:", "doi.org/") before a bare one. Better none than a wrong one: a candidate that
//! does not parse is skipped.

use topica_model::{normalize_doi, ArxivId};

use crate::Document;

/// What a PDF says it is.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Identifiers {
    pub arxiv_id: Option<ArxivId>,
    /// Normalised (lower case, no resolver prefix).
    pub doi: Option<String>,
}

/// How many pages are searched for identifiers.
const PAGES: usize = 2;

pub fn identifiers(doc: &Document) -> Identifiers {
    let info = [&doc.info.subject, &doc.info.keywords, &doc.info.title];
    let info: Vec<&str> = info.iter().filter_map(|s| s.as_deref()).collect();
    let front = front_matter(doc);
    let texts: Vec<&str> = info.iter().copied().chain(front.iter().copied()).collect();
    let arxiv_id = texts.iter().find_map(|t| arxiv_in(t));
    // A bare DOI (not introduced as one) is taken only from a paper with no arXiv id: an
    // arXiv abstract that cites a dataset's DOI is not that dataset.
    let doi = texts.iter().find_map(|t| doi_in(t, true)).or_else(|| {
        arxiv_id
            .is_none()
            .then(|| front.iter().find_map(|t| doi_in(t, false)))
            .flatten()
    });
    Identifiers { arxiv_id, doi }
}

/// The first pages' text, up to the references.
fn front_matter(doc: &Document) -> Vec<&str> {
    let mut out = Vec::new();
    for page in doc.pages.iter().take(PAGES) {
        match references_at(page) {
            Some(end) => {
                out.push(&page[..end]);
                break;
            }
            None => out.push(page.as_str()),
        }
    }
    out
}

/// Where a line that is a references heading starts.
fn references_at(page: &str) -> Option<usize> {
    let mut at = 0;
    for line in page.split_inclusive('\n') {
        let words: String = line
            .trim()
            .trim_start_matches(|c: char| c.is_ascii_digit() || c == '.' || c == ' ')
            .to_lowercase();
        if matches!(
            words.trim(),
            "references" | "bibliography" | "literature cited"
        ) {
            return Some(at);
        }
        at += line.len();
    }
    None
}

/// The first arXiv id written as one: `arXiv:2106.09685v2`, `arXiv:hep-th/9901001`.
fn arxiv_in(text: &str) -> Option<ArxivId> {
    let lower = text.to_ascii_lowercase();
    let mut from = 0;
    while let Some(i) = lower[from..].find("arxiv") {
        let start = from + i + "arxiv".len();
        from = start;
        let rest = text[start..].trim_start_matches([':', ' ', '.']);
        let token: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '/' | '-'))
            .collect();
        // The stamp runs on into the category when spaces are lost ("2106.09685v2[cs.CL]").
        let token = token.trim_end_matches(['.', '-']);
        if let Some(id) =
            ArxivId::parse(token).or_else(|| ArxivId::parse(&format!("arXiv:{token}")))
        {
            return Some(id);
        }
    }
    None
}

/// The first DOI in `text`; `labelled`: only one introduced as a DOI.
fn doi_in(text: &str, labelled: bool) -> Option<String> {
    let lower = text.to_ascii_lowercase();
    let mut from = 0;
    while let Some(i) = lower[from..].find("10.") {
        let start = from + i;
        from = start + 3;
        let raw_before = &lower[..start];
        let before = raw_before.trim_end();
        let is_labelled = before.ends_with("doi:")
            || before.ends_with("doi")
            || before.ends_with("doi.org/")
            || before.ends_with("dx.doi.org/");
        if labelled && !is_labelled {
            continue;
        }
        // A DOI starts at a word boundary: not the "10." of "v10.2".
        if !labelled
            && raw_before
                .chars()
                .next_back()
                .is_some_and(|c| c.is_alphanumeric() || c == '.')
        {
            continue;
        }
        let token: String = text[start..]
            .chars()
            .take_while(|c| !c.is_whitespace() && !matches!(c, '"' | '<' | '>'))
            .collect();
        let token = token.trim_end_matches(['.', ',', ';', ')', ']', '}', ':']);
        // A DOI broken at the end of a line ("10.1145/30-\n65386") is not guessed at.
        if token.ends_with('-') {
            continue;
        }
        if let Some(doi) = normalize_doi(token).filter(|d| valid_doi(d)) {
            return Some(doi);
        }
    }
    None
}

/// `10.` + a registrant code of 4–9 digits (dots allowed) + `/` + a suffix.
fn valid_doi(d: &str) -> bool {
    let Some((prefix, suffix)) = d.split_once('/') else {
        return false;
    };
    let Some(code) = prefix.strip_prefix("10.") else {
        return false;
    };
    let digits = code.chars().filter(char::is_ascii_digit).count();
    (4..=9).contains(&digits)
        && code.chars().all(|c| c.is_ascii_digit() || c == '.')
        && !suffix.is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Info;

    fn doc(pages: &[&str]) -> Document {
        Document {
            pages: pages.iter().map(|p| p.to_string()).collect(),
            ..Document::default()
        }
    }

    fn ids(d: &Document) -> (Option<String>, Option<String>) {
        let found = identifiers(d);
        (found.arxiv_id.map(|a| a.id), found.doi)
    }

    #[test]
    fn arxivs_stamp_with_or_without_its_spaces() {
        let d = doc(&["arXiv:2106.09685v2 [cs.CL] 16 Oct 2021\nTitle"]);
        assert_eq!(ids(&d).0.as_deref(), Some("2106.09685"));
        let d = doc(&["Title\narXiv:1706.03762v5[cs.CL]6Dec2017"]);
        assert_eq!(ids(&d).0.as_deref(), Some("1706.03762"));
        let d = doc(&["arXiv:hep-th/9901001v1 1 Jan 1999"]);
        assert_eq!(ids(&d).0.as_deref(), Some("hep-th/9901001"));
    }

    #[test]
    fn a_labelled_doi_wins_over_a_bare_one_and_punctuation_is_trimmed() {
        let d = doc(&["See 10.1000/other for data.\nDOI: 10.1145/3065386."]);
        assert_eq!(ids(&d).1.as_deref(), Some("10.1145/3065386"));
        let d = doc(&["https://doi.org/10.1038/nature14539)"]);
        assert_eq!(ids(&d).1.as_deref(), Some("10.1038/nature14539"));
        // Bare, on the first page, when nothing is labelled.
        let d = doc(&["Published as 10.5555/12345678, 2020"]);
        assert_eq!(ids(&d).1.as_deref(), Some("10.5555/12345678"));
        // Not the "10." inside a version number or a section number.
        let d = doc(&["Version v10.2 released; see section 10.3/4"]);
        assert_eq!(ids(&d).1, None);
    }

    #[test]
    fn the_references_and_later_pages_are_not_the_papers_own() {
        let d = doc(&[
            "Title\nIntro",
            "Method\nReferences\n[1] A. Vaswani. arXiv:1706.03762. doi:10.1109/CVPR.2016.90",
        ]);
        assert_eq!(ids(&d), (None, None));
        let d = doc(&["Title", "Text", "arXiv:1706.03762 doi:10.1109/CVPR.2016.90"]);
        assert_eq!(ids(&d), (None, None));
    }

    #[test]
    fn an_arxiv_paper_takes_only_a_doi_labelled_as_its_own() {
        let d = doc(&["arXiv:2101.00001v1\nData: 10.5281/zenodo.5430155."]);
        assert_eq!(ids(&d), (Some("2101.00001".into()), None));
        let d = doc(&["arXiv:2101.00001v1\nDOI: 10.1145/3065386"]);
        assert_eq!(ids(&d).1.as_deref(), Some("10.1145/3065386"));
    }

    #[test]
    fn a_doi_broken_across_a_line_is_not_guessed() {
        let d = doc(&["DOI: 10.1145/30-\n65386"]);
        assert_eq!(ids(&d).1, None);
    }

    #[test]
    fn the_document_information_comes_first() {
        let mut d = doc(&["DOI 10.9999/page.one"]);
        d.info = Info {
            subject: Some("Nature 521, 436–444. doi:10.1038/nature14539".into()),
            ..Info::default()
        };
        assert_eq!(ids(&d).1.as_deref(), Some("10.1038/nature14539"));
    }
}
