//! The seed table: `arXiv id | abstract |` rows from a dataset-viewer dump, as in the embedded
//! sample library. Abstracts may span lines; a row ends with ` |`. The two header lines
//! (`stringlengths …`, `| abstract`) are skipped.
//!
//! The dump's quirks are repaired here, where they are known to come from the dump and not
//! from the author: footnote marks (`Language††*equal contributionmodels`, `methods.111`),
//! words glued at a lost line break (`proposeReflexion`), and spaces before punctuation.

use std::io::BufRead;

use super::text::collapse_ws;
use super::{numbered_lines, Record, Records};
use topica_model::ArxivId;
use topica_model::Paper;
use topica_model::RecordError;

/// A line that starts a row: an arXiv id followed by ` | `.
pub(crate) fn is_record_start(line: &str) -> bool {
    line.split_once(" | ")
        .is_some_and(|(id, _)| ArxivId::parse(id).is_some())
}

pub(super) fn parse<R: BufRead + Send + 'static>(file: String, reader: R) -> Records<'static> {
    let mut lines = numbered_lines(file.clone(), reader).peekable();
    let mut header_done = false;
    Box::new(std::iter::from_fn(move || loop {
        let (line_no, line) = match lines.next()? {
            Ok(l) => l,
            Err(e) => return Some(Err(e)),
        };
        if !header_done
            && (line.starts_with("stringlengths")
                || line.trim() == "| abstract"
                || line.trim().is_empty())
        {
            continue;
        }
        header_done = true;
        if line.trim().is_empty() {
            continue;
        }
        let Some((id_text, rest)) = line.split_once(" | ").or_else(|| line.split_once('|')) else {
            return Some(Err(RecordError {
                text: String::new(),
                file: file.clone(),
                line: line_no,
                reason: "expected `arXiv id | abstract |`".into(),
            }));
        };
        let mut body = rest.to_string();
        // Continue until the row's closing ` |`.
        while !body.trim_end().ends_with('|') {
            match lines.next() {
                Some(Ok((_, next))) => {
                    body.push('\n');
                    body.push_str(&next);
                }
                Some(Err(e)) => return Some(Err(e)),
                None => {
                    return Some(Err(RecordError {
                        text: String::new(),
                        file: file.clone(),
                        line: line_no,
                        reason: "row is not closed by ` |` before the end of the file".into(),
                    }))
                }
            }
        }
        let body = body.trim_end().trim_end_matches('|');
        let Some(id) = ArxivId::parse(id_text) else {
            return Some(Err(RecordError {
                text: String::new(),
                file: file.clone(),
                line: line_no,
                reason: format!("{:?} is not an arXiv id", id_text.trim()),
            }));
        };
        let abstract_text = clean_abstract(body);
        let mut paper = Paper {
            arxiv_id: Some(id.id.clone()),
            arxiv_version: id.version,
            abstract_text: (!abstract_text.is_empty()).then_some(abstract_text),
            ..Paper::default()
        };
        let nul = super::text::strip_nul(&mut paper);
        let mut rec = Record::new(line_no, paper);
        if nul {
            rec.warnings.push(RecordError {
                text: String::new(),
                file: file.clone(),
                line: line_no,
                reason: "a NUL byte (\\0) was removed".into(),
            });
        }
        return Some(Ok(rec));
    }))
}

/// Repairs the dump's known damage; see the module doc.
pub(crate) fn clean_abstract(raw: &str) -> String {
    let text = collapse_ws(raw);
    // Footnote marks with their glued footnote text: "Language††*equal contributionmodels".
    let text = remove_footnotes(&text);
    let mut words: Vec<String> = Vec::new();
    for w in text.split(' ') {
        let w = strip_footnote_number(w);
        words.extend(split_glued(&w));
    }
    let mut s = words.join(" ");
    for (from, to) in [
        (" ,", ","),
        (" .", "."),
        (" ;", ";"),
        (" :", ":"),
        ("( ", "("),
        (" )", ")"),
    ] {
        s = s.replace(from, to);
    }
    s.trim().to_string()
}

fn remove_footnotes(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some((before, mark)) = rest
        .find(['†', '‡'])
        .and_then(|pos| rest.split_at_checked(pos))
    {
        out.push_str(before);
        let after = mark.trim_start_matches(['†', '‡', '*']);
        // A footnote glued in the text ("*equal contribution") goes with its mark.
        let after = after.strip_prefix("equal contribution").unwrap_or(after);
        if !out.ends_with(' ') && !after.starts_with(' ') && !after.is_empty() {
            out.push(' ');
        }
        rest = after;
    }
    out.push_str(rest);
    out
}

/// "methods.111" → "methods." — footnote numbers after the end of a sentence.
fn strip_footnote_number(w: &str) -> String {
    if let Some((head, tail)) = w.rsplit_once('.') {
        if !tail.is_empty()
            && tail.len() <= 3
            && tail.bytes().all(|b| b.is_ascii_digit())
            && head.chars().last().is_some_and(char::is_alphabetic)
            && head.chars().count() > 2
        {
            return format!("{head}.");
        }
    }
    w.to_string()
}

/// "proposeReflexion" → ["propose", "Reflexion"]: a lower-case word glued to a capitalised one.
/// Brand spellings (arXiv, bioRxiv, iPhone-style one-letter prefixes) are left alone.
fn split_glued(w: &str) -> Vec<String> {
    let chars: Vec<char> = w.chars().collect();
    let lower_run = chars.iter().take_while(|c| c.is_ascii_lowercase()).count();
    let Some((head, tail)) = chars.split_at_checked(lower_run) else {
        return vec![w.to_string()];
    };
    if let (true, [first, second, _, ..]) = (lower_run >= 2, tail) {
        let rest: String = tail.iter().collect();
        let cap = first.is_ascii_uppercase() && second.is_ascii_lowercase();
        let brand = rest.starts_with("Xiv")
            || rest.starts_with("Rxiv")
            || rest.starts_with("Text")
            || rest.starts_with("Net");
        if cap && !brand {
            let head: String = head.iter().collect();
            return vec![head, rest];
        }
    }
    vec![w.to_string()]
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

    #[test]
    fn repairs_dump_damage() {
        assert_eq!(
            clean_abstract("Language††*equal contributionmodels can largely benefit"),
            "Language models can largely benefit"
        );
        assert_eq!(
            clean_abstract("pretraining methods.111 "),
            "pretraining methods."
        );
        assert_eq!(
            clean_abstract("We proposeReflexion, a\nnovel framework"),
            "We propose Reflexion, a novel framework"
        );
        assert_eq!(
            clean_abstract("Large Language Models (LLMs) , and arXiv"),
            "Large Language Models (LLMs), and arXiv"
        );
        assert_eq!(
            clean_abstract("version 1.5 of GPT-4."),
            "version 1.5 of GPT-4."
        );
    }

    #[test]
    fn rows_span_lines() {
        let text = "stringlengths 9\n| abstract\nstringlengths 431\n2101.00190 | Fine-tuning is\nthe way. |\n2201.12288v2 | Second. |\n";
        let recs: Vec<_> =
            parse("t".into(), std::io::Cursor::new(text.as_bytes().to_vec())).collect();
        assert_eq!(recs.len(), 2);
        let r0 = recs[0].as_ref().unwrap();
        assert_eq!(r0.line, 4);
        assert_eq!(
            r0.paper.abstract_text.as_deref(),
            Some("Fine-tuning is the way.")
        );
        let r1 = recs[1].as_ref().unwrap();
        assert_eq!(
            (r1.paper.arxiv_id.as_deref(), r1.paper.arxiv_version),
            (Some("2201.12288"), Some(2))
        );
    }

    #[test]
    fn unclosed_row_names_its_line() {
        let text = "2101.00190 | never closed\n";
        let recs: Vec<_> = parse(
            "f.txt".into(),
            std::io::Cursor::new(text.as_bytes().to_vec()),
        )
        .collect();
        let e = recs[0].as_ref().unwrap_err();
        assert_eq!((e.file.as_str(), e.line), ("f.txt", 1));
    }
}
