//! Words whose spaces were lost on the way out of a PDF ("onshorttexts"), and the text with them
//! repaired for reading and searching. The topic fit finds them (it counts every word of the
//! library); the stored text stays as the user has it.

use std::borrow::Cow;
use std::collections::HashMap;

/// Glued words (lower case, as written) and their words: "onshorttexts" → on, short, texts.
pub type GluedWords = HashMap<String, Vec<String>>;

/// `text` with each glued word of `glued` written as its words ("focused onshorttexts" →
/// "focused on short texts"); borrowed when it holds none. A word is a run of ASCII letters,
/// matched as written: glued words are found in lower case.
pub fn unglue<'a>(text: &'a str, glued: &GluedWords) -> Cow<'a, str> {
    if glued.is_empty() {
        return Cow::Borrowed(text);
    }
    let mut out: Option<String> = None;
    let mut copied = 0;
    for (start, word) in words(text) {
        if let Some(parts) = glued.get(word) {
            let o = out.get_or_insert_with(|| String::with_capacity(text.len() + 16));
            o.push_str(&text[copied..start]);
            o.push_str(&parts.join(" "));
            copied = start + word.len();
        }
    }
    match out {
        Some(mut o) => {
            o.push_str(&text[copied..]);
            Cow::Owned(o)
        }
        None => Cow::Borrowed(text),
    }
}

/// The parts of the glued words in `text`, space-separated ("on short texts thought long
/// texts"), or `None`: what a search index adds beside the text as written.
pub fn glued_parts(text: &str, glued: &GluedWords) -> Option<String> {
    if glued.is_empty() {
        return None;
    }
    let parts: Vec<String> = words(text)
        .filter_map(|(_, w)| glued.get(w))
        .map(|p| p.join(" "))
        .collect();
    (!parts.is_empty()).then(|| parts.join(" "))
}

/// (byte offset, word) of each run of ASCII letters.
fn words(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let bytes = text.as_bytes();
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < bytes.len() && !bytes.get(i).is_some_and(u8::is_ascii_alphabetic) {
            i += 1;
        }
        if i >= bytes.len() {
            return None;
        }
        let start = i;
        while bytes.get(i).is_some_and(u8::is_ascii_alphabetic) {
            i += 1;
        }
        text.get(start..i).map(|w| (start, w))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn glued() -> GluedWords {
        HashMap::from([
            (
                "onshorttexts".to_string(),
                vec!["on".into(), "short".into(), "texts".into()],
            ),
            ("ofand".to_string(), vec!["of".into(), "and".into()]),
        ])
    }

    #[test]
    fn glued_words_are_written_as_their_words_and_the_rest_as_it_was() {
        let g = glued();
        assert_eq!(
            unglue("focused onshorttexts, such as “prefix tuning” ofand…", &g),
            "focused on short texts, such as “prefix tuning” of and…"
        );
        // Whole words only, as written: not inside another word, not another case.
        let same = "Onshorttexts xonshorttexts onshorttextsx";
        assert!(matches!(unglue(same, &g), Cow::Borrowed(_)));
        assert!(matches!(unglue("nothing here", &g), Cow::Borrowed(_)));
        assert_eq!(
            glued_parts("onshorttexts and ofand", &g).as_deref(),
            Some("on short texts of and")
        );
        assert_eq!(glued_parts("plain text", &g), None);
        assert_eq!(unglue("onshorttexts", &GluedWords::new()), "onshorttexts");
    }
}
