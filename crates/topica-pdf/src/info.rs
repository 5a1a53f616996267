//! The document information dictionary: title, author, subject, keywords, as text strings
//! (UTF-16 with a byte-order mark, or PDFDocEncoding).

use pdf_extract::{Dictionary, Document, Object};

use crate::Info;

pub(crate) fn read(doc: &Document) -> Info {
    let Some(dict) = info_dict(doc) else {
        return Info::default();
    };
    let field = |key: &[u8]| -> Option<String> {
        let mut obj = dict.get(key).ok()?;
        if let Ok(id) = obj.as_reference() {
            obj = doc.get_object(id).ok()?;
        }
        let Object::String(bytes, _) = obj else {
            return None;
        };
        let text = decode(bytes);
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        (!text.is_empty()).then_some(text)
    };
    Info {
        title: field(b"Title"),
        author: field(b"Author"),
        subject: field(b"Subject"),
        keywords: field(b"Keywords"),
    }
}

fn info_dict(doc: &Document) -> Option<&Dictionary> {
    let obj = doc.trailer.get(b"Info").ok()?;
    match obj {
        Object::Reference(id) => doc.get_dictionary(*id).ok(),
        Object::Dictionary(d) => Some(d),
        _ => None,
    }
}

/// A PDF text string: UTF-16BE (or LE) after a byte-order mark, UTF-8 after its mark (PDF 2.0),
/// else PDFDocEncoding, which is Latin-1 but for a few typographic characters.
pub(crate) fn decode(bytes: &[u8]) -> String {
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        let units: Vec<u16> = rest
            .chunks_exact(2)
            .map(|c| u16::from_be_bytes([c[0], c[1]]))
            .collect();
        return String::from_utf16_lossy(&units);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        let units: Vec<u16> = rest
            .chunks_exact(2)
            .map(|c| u16::from_le_bytes([c[0], c[1]]))
            .collect();
        return String::from_utf16_lossy(&units);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return String::from_utf8_lossy(rest).into_owned();
    }
    bytes.iter().map(|&b| pdf_doc_char(b)).collect()
}

/// PDFDocEncoding (PDF 32000-1, annex D): Latin-1 with typographic characters at 0x18–0x1F and
/// 0x80–0x9F.
fn pdf_doc_char(b: u8) -> char {
    const HIGH: [char; 32] = [
        '•', '†', '‡', '…', '—', '–', 'ƒ', '⁄', '‹', '›', '−', '‰', '„', '“', '”', '‘', '’', '‚',
        '™', 'ﬁ', 'ﬂ', 'Ł', 'Œ', 'Š', 'Ÿ', 'Ž', 'ı', 'ł', 'œ', 'š', 'ž', '\u{FFFD}',
    ];
    const LOW: [char; 8] = ['˘', 'ˇ', 'ˆ', '˙', '˝', '˛', '˚', '˜'];
    match b {
        0x18..=0x1F => LOW[usize::from(b - 0x18)],
        0x80..=0x9F => HIGH[usize::from(b - 0x80)],
        0xA0 => '€',
        _ => char::from(b),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_strings_decode_in_each_encoding() {
        assert_eq!(decode(b"\xFE\xFF\x00A\x00\xFC\x00\xDF"), "Aüß");
        assert_eq!(decode(b"\xFF\xFEA\x00\xFC\x00"), "Aü");
        assert_eq!(decode("\u{FEFF}é".as_bytes()), "é");
        assert_eq!(
            decode(b"Caf\xE9 \x8Dquoted\x8E \x84 \x93"),
            "Café “quoted” — ﬁ"
        );
    }
}
