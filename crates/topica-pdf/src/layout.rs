//! Characters placed on a page, turned into text: where a line or a word ends is decided from
//! positions and type sizes (pdf-extract's plain-text heuristics: a new line when the baseline
//! moves more than 1.5 × the type size, or back left and down; a space when the gap exceeds a
//! tenth of it), and each line's largest type size is kept for the title guess.

use pdf_extract::{MediaBox, OutputDev, OutputError, Transform};

use crate::Line;

/// A gap this many type sizes wide separates runs set apart on one line (authors side by side).
const FAR_APART: f64 = 2.0;

#[derive(Default)]
pub(crate) struct Page {
    text: String,
    lines: Vec<Line>,
    line: String,
    line_size: f64,
    /// Page height, to put y downwards as text is read.
    height: f64,
    last_end: f64,
    last_y: f64,
    word_start: bool,
    started: bool,
}

impl Page {
    /// The page's text and its lines.
    pub(crate) fn finish(mut self) -> (String, Vec<Line>) {
        self.end_line();
        (self.text.trim().to_string(), self.lines)
    }

    fn end_line(&mut self) {
        let text = self.line.trim();
        if !text.is_empty() {
            self.lines.push(Line {
                text: text.to_string(),
                size: self.line_size,
            });
        }
        self.line.clear();
        self.line_size = 0.0;
    }

    fn newline(&mut self) {
        self.text.push('\n');
        self.end_line();
    }
}

impl OutputDev for Page {
    fn begin_page(
        &mut self,
        _page_num: u32,
        media_box: &MediaBox,
        _art_box: Option<(f64, f64, f64, f64)>,
    ) -> Result<(), OutputError> {
        self.height = media_box.ury - media_box.lly;
        Ok(())
    }

    fn end_page(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn output_character(
        &mut self,
        trm: &Transform,
        width: f64,
        _spacing: f64,
        font_size: f64,
        char: &str,
    ) -> Result<(), OutputError> {
        let (x, y) = (trm.m31, self.height - trm.m32);
        // The size as printed: the font's size through the text matrix (the side of the square
        // with the area of the transformed size vector, as pdf-extract measures it).
        let vx = font_size * (trm.m11 + trm.m21);
        let vy = font_size * (trm.m12 + trm.m22);
        let size = (vx * vy).abs().sqrt();
        if self.word_start && self.started {
            if (y - self.last_y).abs() > size * 1.5
                || (x < self.last_end && (y - self.last_y).abs() > size * 0.5)
            {
                self.newline();
            } else if x > self.last_end + size * FAR_APART {
                self.text.push(' ');
                self.line.push('\t');
            } else if x > self.last_end + size * 0.1 {
                self.text.push(' ');
                self.line.push(' ');
            }
        }
        self.text.push_str(char);
        self.line.push_str(char);
        if char.chars().any(char::is_alphanumeric) {
            self.line_size = self.line_size.max(size);
        }
        self.started = true;
        self.word_start = false;
        self.last_y = y;
        self.last_end = x + width * size;
        Ok(())
    }

    fn begin_word(&mut self) -> Result<(), OutputError> {
        self.word_start = true;
        Ok(())
    }

    fn end_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn end_line(&mut self) -> Result<(), OutputError> {
        Ok(())
    }
}
