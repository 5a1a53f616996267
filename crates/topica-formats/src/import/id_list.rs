//! A plain list of arXiv ids or URLs, one per line; `#` starts a comment.

use std::io::BufRead;

use super::{numbered_lines, Record, Records};
use topica_model::ArxivId;
use topica_model::Paper;
use topica_model::RecordError;

pub(super) fn parse<R: BufRead + Send + 'static>(file: String, reader: R) -> Records<'static> {
    Box::new(numbered_lines(file.clone(), reader).filter_map(move |l| {
        let (line, text) = match l {
            Ok(x) => x,
            Err(e) => return Some(Err(e)),
        };
        let text = text.split('#').next().unwrap_or("").trim();
        let token = text.split_whitespace().next()?;
        Some(match ArxivId::parse(token) {
            Some(id) => Ok(Record::new(
                line,
                Paper {
                    arxiv_id: Some(id.id),
                    arxiv_version: id.version,
                    ..Paper::default()
                },
            )),
            None => Err(RecordError {
                text: String::new(),
                file: file.clone(),
                line,
                reason: format!("{token:?} is not an arXiv id or URL"),
            }),
        })
    }))
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
    fn ids_and_urls() {
        let text =
            "# reading list\n2201.12288v2\nhttps://arxiv.org/abs/hep-th/9901001\n\nnonsense\n";
        let recs: Vec<_> = parse(
            "l.txt".into(),
            std::io::Cursor::new(text.as_bytes().to_vec()),
        )
        .collect();
        assert_eq!(recs.len(), 3);
        assert_eq!(
            recs[1].as_ref().unwrap().paper.arxiv_id.as_deref(),
            Some("hep-th/9901001")
        );
        assert_eq!(recs[2].as_ref().unwrap_err().line, 5);
    }
}
