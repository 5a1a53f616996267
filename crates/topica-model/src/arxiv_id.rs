//! arXiv identifiers: parsing every spelling a researcher pastes into one canonical form.
//!
//! The versionless id is a paper's identity; the version is kept beside it.

/// A parsed arXiv identifier.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ArxivId {
    /// Versionless canonical id: `2201.12288` or `hep-th/9901001`.
    pub id: String,
    /// `Some(2)` for `2201.12288v2`.
    pub version: Option<u32>,
}

impl ArxivId {
    /// Parses `2201.12288v2`, `arXiv:2201.12288`, `https://arxiv.org/abs/2201.12288v2`,
    /// `https://arxiv.org/pdf/2201.12288v2.pdf`, `hep-th/9901001`, `math.GT/0309136`.
    pub fn parse(input: &str) -> Option<ArxivId> {
        let mut s = input.trim();
        for prefix in ["https://", "http://"] {
            if let Some(rest) = strip_prefix_ci(s, prefix) {
                s = rest;
            }
        }
        for host in ["www.arxiv.org/", "arxiv.org/", "export.arxiv.org/"] {
            if let Some(rest) = strip_prefix_ci(s, host) {
                s = rest;
                for section in ["abs/", "pdf/", "html/", "format/"] {
                    if let Some(rest) = s.strip_prefix(section) {
                        s = rest;
                    }
                }
            }
        }
        if let Some(rest) = strip_prefix_ci(s, "arxiv:") {
            s = rest.trim_start();
        }
        let s = s.trim_end_matches('/');
        let s = s.strip_suffix(".pdf").unwrap_or(s);
        let (base, version) = split_version(s);
        if is_new_style(base) || is_old_style(base) {
            Some(ArxivId {
                id: base.to_string(),
                version,
            })
        } else {
            None
        }
    }

    /// `(year, month)` encoded in the identifier itself: `2112.09332` → December 2021,
    /// `hep-th/9901001` → January 1999.
    pub fn year_month(&self) -> Option<(i32, u8)> {
        let digits = match self.id.rsplit_once('/') {
            Some((_, number)) => number,
            None => &self.id,
        };
        let yy: i32 = digits.get(0..2)?.parse().ok()?;
        let mm: u8 = digits.get(2..4)?.parse().ok()?;
        if !(1..=12).contains(&mm) {
            return None;
        }
        // Old-style ids start in 1991; new-style ids in 2007 (0704).
        let year = if yy >= 91 { 1900 + yy } else { 2000 + yy };
        Some((year, mm))
    }

    /// The id with its version, as arXiv prints it.
    pub fn versioned(&self) -> String {
        match self.version {
            Some(v) => format!("{}v{}", self.id, v),
            None => self.id.clone(),
        }
    }
}

fn strip_prefix_ci<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    if s.len() >= prefix.len()
        && s.is_char_boundary(prefix.len())
        && s[..prefix.len()].eq_ignore_ascii_case(prefix)
    {
        Some(&s[prefix.len()..])
    } else {
        None
    }
}

fn split_version(s: &str) -> (&str, Option<u32>) {
    if let Some(pos) = s.rfind(['v', 'V']) {
        let digits = &s[pos + 1..];
        if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
            if let Ok(v) = digits.parse() {
                return (&s[..pos], Some(v));
            }
        }
    }
    (s, None)
}

/// `YYMM.NNNN` (2007–2014) or `YYMM.NNNNN` (2015–).
fn is_new_style(s: &str) -> bool {
    let Some((yymm, number)) = s.split_once('.') else {
        return false;
    };
    yymm.len() == 4
        && yymm.bytes().all(|b| b.is_ascii_digit())
        && (number.len() == 4 || number.len() == 5)
        && number.bytes().all(|b| b.is_ascii_digit())
        && (1..=12).contains(&yymm[2..].parse::<u8>().unwrap_or(0))
}

/// `archive(.SUBJ)/YYMMNNN`, e.g. `hep-th/9901001`, `math.GT/0309136`.
fn is_old_style(s: &str) -> bool {
    let Some((archive, number)) = s.split_once('/') else {
        return false;
    };
    let archive_ok = !archive.is_empty()
        && archive
            .bytes()
            .all(|b| b.is_ascii_alphabetic() || b == b'-' || b == b'.')
        && archive.as_bytes()[0].is_ascii_lowercase();
    archive_ok && number.len() == 7 && number.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Option<(String, Option<u32>)> {
        ArxivId::parse(s).map(|a| (a.id, a.version))
    }

    #[test]
    fn spellings() {
        let want = Some(("2201.12288".to_string(), Some(2)));
        assert_eq!(p("2201.12288v2"), want);
        assert_eq!(p("arXiv:2201.12288v2"), want);
        assert_eq!(p("https://arxiv.org/abs/2201.12288v2"), want);
        assert_eq!(p("http://arxiv.org/pdf/2201.12288v2.pdf"), want);
        assert_eq!(p("arXiv:2201.12288"), Some(("2201.12288".into(), None)));
        assert_eq!(p("hep-th/9901001"), Some(("hep-th/9901001".into(), None)));
        assert_eq!(
            p("http://arxiv.org/abs/math.GT/0309136v1"),
            Some(("math.GT/0309136".into(), Some(1)))
        );
        assert_eq!(p("0704.0001"), Some(("0704.0001".into(), None)));
        assert_eq!(p("abc"), None);
        assert_eq!(p("10.1103/PhysRevD.76.013009"), None);
        assert_eq!(p("2213.12345"), None, "month 13 is not an arXiv id");
    }

    #[test]
    fn dates_from_ids() {
        assert_eq!(
            ArxivId::parse("2112.09332").unwrap().year_month(),
            Some((2021, 12))
        );
        assert_eq!(
            ArxivId::parse("hep-th/9901001").unwrap().year_month(),
            Some((1999, 1))
        );
        assert_eq!(
            ArxivId::parse("0704.0001").unwrap().year_month(),
            Some((2007, 4))
        );
    }
}
