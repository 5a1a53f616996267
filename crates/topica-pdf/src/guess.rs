//! A paper's title and authors from the PDF alone, for a file that names no identifier (or
//! when offline): the document information's title when it reads like one (not "Microsoft Word
//! – draft3.docx"), else the first page's largest type; the authors are the lines under it
//! that read like names.

use serde::{Deserialize, Serialize};

use crate::{Document, Line};

/// A title (and authors) read from a PDF.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Guess {
    pub title: String,
    /// As printed ("Ana Müller"), in order.
    pub authors: Vec<String>,
    pub from: GuessSource,
}

/// Where a [`Guess`] came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum GuessSource {
    /// The document information dictionary.
    Info,
    /// The first page's largest text.
    FirstPage,
}

/// Lines within this share of the largest size are the title's.
const TITLE_SIZE: f64 = 0.92;
/// A title is at most this many lines.
const TITLE_LINES: usize = 4;

pub fn title_guess(doc: &Document) -> Option<Guess> {
    let page = first_page_guess(&doc.first_page);
    if let Some(title) = doc.info.title.as_deref().filter(|t| reads_like_a_title(t)) {
        // The authors as the information lists them, else as the page prints them.
        let authors = match doc.info.author.as_deref() {
            Some(a) if !a.trim().is_empty() => split_names(a),
            _ => page.map(|g| g.authors.clone()).unwrap_or_default(),
        };
        return Some(Guess {
            title: title.to_string(),
            authors,
            from: GuessSource::Info,
        });
    }
    page
}

/// Whether a document information title is a paper's title, not what a tool wrote there.
fn reads_like_a_title(t: &str) -> bool {
    let lower = t.trim().to_lowercase();
    let words = lower.split_whitespace().count();
    let tool = [
        "microsoft word",
        "untitled",
        "title",
        "document",
        "latex",
        "slide",
    ]
    .iter()
    .any(|p| lower.starts_with(p));
    let file_name = [
        ".doc", ".docx", ".pdf", ".tex", ".dvi", ".ps", ".indd", ".rtf", ".odt",
    ]
    .iter()
    .any(|e| lower.ends_with(e))
        || (words == 1 && lower.contains(['_', '-', '.']));
    words >= 2 && !tool && !file_name && lower.chars().any(char::is_alphabetic)
}

fn first_page_guess(lines: &[Line]) -> Option<Guess> {
    // The arXiv stamp, page numbers and running heads are not titles.
    let usable = |l: &Line| {
        let t = l.text.to_lowercase();
        l.text.chars().filter(|c| c.is_alphabetic()).count() >= 4 && !t.contains("arxiv:")
    };
    let largest = lines
        .iter()
        .filter(|l| usable(l))
        .map(|l| l.size)
        .fold(0.0_f64, f64::max);
    if largest <= 0.0 {
        return None;
    }
    let start = lines
        .iter()
        .position(|l| usable(l) && l.size >= largest * TITLE_SIZE)?;
    let title_lines: Vec<&Line> = lines[start..]
        .iter()
        .take_while(|l| l.size >= largest * TITLE_SIZE)
        .take(TITLE_LINES)
        .collect();
    let title = title_lines
        .iter()
        .map(|l| l.text.replace('\t', " "))
        .collect::<Vec<_>>()
        .join(" ");
    let title = title.split_whitespace().collect::<Vec<_>>().join(" ");
    let authors = lines[start + title_lines.len()..]
        .iter()
        .take(2)
        .take_while(|l| !l.text.to_lowercase().starts_with("abstract"))
        .map(|l| split_names(&l.text))
        .take_while(|names| !names.is_empty())
        .flatten()
        .collect();
    Some(Guess {
        title,
        authors,
        from: GuessSource::FirstPage,
    })
}

/// The names on an author line ("A and B", "A, B, C", names set apart by tabs), or none when
/// some part does not read like a name (an affiliation, an e-mail address, a sentence).
fn split_names(line: &str) -> Vec<String> {
    let parts: Vec<String> = line
        .replace(" and ", "\t")
        .replace([';', ',', '&'], "\t")
        .split('\t')
        .map(|p| {
            p.trim_matches(|c: char| c.is_ascii_digit() || c == '*' || c == '†' || c == ' ')
                .to_string()
        })
        .filter(|p| !p.is_empty())
        .collect();
    if parts.is_empty() || !parts.iter().all(|p| reads_like_a_name(p)) {
        return Vec::new();
    }
    parts
}

fn reads_like_a_name(p: &str) -> bool {
    let words: Vec<&str> = p.split_whitespace().collect();
    let not_names = [
        "university",
        "institute",
        "department",
        "school",
        "laboratory",
        "inc",
    ];
    (2..=5).contains(&words.len())
        && !p.contains('@')
        && !p.chars().any(|c| c.is_ascii_digit())
        && !not_names
            .iter()
            .any(|w| p.to_lowercase().split_whitespace().any(|x| x == *w))
        && words
            .iter()
            .filter(|w| {
                !matches!(
                    **w,
                    "de" | "van" | "von" | "der" | "da" | "di" | "la" | "le"
                )
            })
            .all(|w| w.chars().next().is_some_and(char::is_uppercase))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Info;

    fn line(text: &str, size: f64) -> Line {
        Line {
            text: text.into(),
            size,
        }
    }

    #[test]
    fn tool_titles_are_not_titles() {
        for t in [
            "Microsoft Word - draft3.docx",
            "paper_final_v2",
            "Untitled",
            "main.tex",
            "",
            "2106.09685",
        ] {
            assert!(!reads_like_a_title(t), "{t}");
        }
        assert!(reads_like_a_title(
            "ImageNet Classification with Deep Convolutional Neural Networks"
        ));
    }

    #[test]
    fn the_largest_type_is_the_title_and_the_names_under_it_the_authors() {
        let doc = Document {
            info: Info {
                title: Some("Microsoft Word - draft3.docx".into()),
                ..Info::default()
            },
            first_page: vec![
                line("arXiv:2101.00001v1 [cs.LG] 1 Jan 2021", 20.0),
                line("Workshop on Tables 2021", 9.0),
                line("Sparse Mixtures of Experts", 17.2),
                line("for Tabular Data", 17.2),
                line("Priya Raman and Tomás Ibarra", 12.0),
                line("University of Somewhere", 12.0),
                line("Abstract", 10.0),
            ],
            ..Document::default()
        };
        let g = title_guess(&doc).unwrap();
        assert_eq!(g.title, "Sparse Mixtures of Experts for Tabular Data");
        assert_eq!(g.authors, ["Priya Raman", "Tomás Ibarra"]);
        assert_eq!(g.from, GuessSource::FirstPage);
    }

    #[test]
    fn names_set_apart_are_split_and_an_affiliation_is_not_a_name() {
        assert_eq!(
            split_names("Ana Müller\tJörg Weiß"),
            ["Ana Müller", "Jörg Weiß"]
        );
        assert_eq!(
            split_names("A. Vaswani*, N. Shazeer†, Niki Parmar"),
            ["A. Vaswani", "N. Shazeer", "Niki Parmar"]
        );
        assert!(split_names("University of Somewhere").is_empty());
        assert!(split_names("We propose a new method for tables").is_empty());
        assert!(split_names("jane@example.org").is_empty());
    }
}
