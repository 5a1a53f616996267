//! Writers: papers to BibTeX/BibLaTeX, RIS and CSL-JSON, and formatted references in CSL styles.
//! Each writes one paper at a time to a string; choosing the papers and their keys is the
//! library's.

pub mod bibtex;
pub mod csl;
pub mod csl_json;
pub mod latex;
pub mod ris;

/// Collapses runs of whitespace (metadata line wraps) to single spaces.
pub fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}
