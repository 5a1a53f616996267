//! The `file` field of a BibTeX entry, as JabRef, Mendeley and Better BibTeX write it: a
//! `;`-separated list of `description:path:type` (JabRef, Mendeley's `:path:pdf`) or plain
//! paths (Better BibTeX), with `\:`, `\;` and `\\` escaping the separators in JabRef's form.

/// The paths a `file` field names, in order, unescaped. Entries that name no path are left out.
pub fn paths(value: &str) -> Vec<String> {
    split_unescaped(value, ';')
        .into_iter()
        .filter_map(|entry| {
            let parts = split_unescaped(&entry, ':');
            let path = match parts.as_slice() {
                // description:path:type
                [_, path, _] => path.clone(),
                // description:path:type with a drive letter left unescaped (C:\…)
                [_, drive, rest, _] if drive.len() == 1 => format!("{drive}:{rest}"),
                _ => unescape(&entry),
            };
            let path = path.trim().to_string();
            (!path.is_empty()).then_some(path)
        })
        .collect()
}

/// Splits at `sep` where it is not escaped by a backslash; each part unescaped.
fn split_unescaped(s: &str, sep: char) -> Vec<String> {
    let mut parts = vec![String::new()];
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some(n) => {
                    if let Some(last) = parts.last_mut() {
                        last.push('\\');
                        last.push(n);
                    }
                }
                None => {
                    if let Some(last) = parts.last_mut() {
                        last.push('\\');
                    }
                }
            }
        } else if c == sep {
            parts.push(String::new());
        } else if let Some(last) = parts.last_mut() {
            last.push(c);
        }
    }
    if sep == ':' {
        parts.iter().map(|p| unescape(p)).collect()
    } else {
        parts
    }
}

/// `\:` → `:`, `\;` → `;`, `\\` → `\`.
fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some(n @ (':' | ';' | '\\')) => out.push(n),
                Some(n) => {
                    out.push('\\');
                    out.push(n);
                }
                None => out.push('\\'),
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jabref_mendeley_and_better_bibtex_forms() {
        assert_eq!(paths(":papers/a.pdf:PDF"), ["papers/a.pdf"]);
        assert_eq!(
            paths("Full text:papers/a.pdf:PDF;Slides:talks/b.pdf:PDF"),
            ["papers/a.pdf", "talks/b.pdf"]
        );
        assert_eq!(
            paths(":C\\:\\\\Users\\\\me\\\\a.pdf:PDF"),
            ["C:\\Users\\me\\a.pdf"]
        );
        assert_eq!(paths(":C:\\Users\\me\\a.pdf:PDF"), ["C:\\Users\\me\\a.pdf"]);
        assert_eq!(
            paths("/home/me/Zotero/storage/X/a.pdf"),
            ["/home/me/Zotero/storage/X/a.pdf"]
        );
        assert_eq!(paths(":odd\\;name.pdf:PDF"), ["odd;name.pdf"]);
        assert!(paths("").is_empty());
        assert!(paths("::PDF").is_empty());
    }

    #[test]
    fn reads_back_what_our_export_writes() {
        // core's export writes `:{path with \ : ; escaped}:{TYPE}` joined by `;`.
        let written = ":files/vaswani2017attention.pdf:PDF;:../elsewhere/with\\:colon.pdf:PDF";
        assert_eq!(
            paths(written),
            [
                "files/vaswani2017attention.pdf",
                "../elsewhere/with:colon.pdf"
            ]
        );
    }
}
