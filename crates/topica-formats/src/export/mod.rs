//! Writers: papers to BibTeX/BibLaTeX, RIS and CSL-JSON, and formatted references in CSL styles.
//! Each writes one paper at a time to a string; choosing the papers and their keys is the
//! library's.

pub mod bibtex;
pub mod csl;
pub mod csl_json;
pub mod csl_style;
pub mod latex;
pub mod ris;

/// `s` with the characters `encode` picks written as URL percent-escapes of their UTF-8 bytes
/// (what verbatim BibTeX fields and Markdown link targets need).
pub(crate) fn percent_encode(s: &str, encode: impl Fn(char) -> bool) -> String {
    use std::fmt::Write as _;
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if encode(c) {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                let _ = write!(out, "%{b:02X}");
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Collapses runs of whitespace (metadata line wraps) to single spaces.
pub fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}
