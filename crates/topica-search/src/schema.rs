//! The index schema and its analyzers.

use tantivy::schema::{
    Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, FAST, INDEXED, STORED, STRING,
};
use tantivy::tokenizer::{
    AsciiFoldingFilter, LowerCaser, RemoveLongFilter, SimpleTokenizer, TextAnalyzer,
};
use tantivy::{doc, Index, TantivyDocument};

use super::in_part;
use super::prose::{span, MemoProse, LONGEST};
use crate::Result;
use topica_model::{glued_parts, GluedWords, Paper};

/// Stemmed English prose: title, abstract, notes.
pub(crate) const PROSE: &str = "topica_prose";
/// Names and tags: folded and lower-cased, not stemmed.
pub(crate) const NAMES: &str = "topica_names";

pub(crate) fn register_tokenizers(index: &Index) {
    // `prose::chain` with a memory of words' tokens: the same tokens.
    index
        .tokenizers()
        .register(PROSE, TextAnalyzer::from(MemoProse::default()));
    index.tokenizers().register(
        NAMES,
        TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(RemoveLongFilter::limit(LONGEST))
            .filter(LowerCaser)
            .filter(AsciiFoldingFilter)
            .build(),
    );
}

fn text(tokenizer: &str, stored: bool) -> TextOptions {
    let opts = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(tokenizer)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    if stored {
        opts.set_stored()
    } else {
        opts
    }
}

pub(crate) fn build() -> Schema {
    let mut b = Schema::builder();
    b.add_u64_field("paper_id", INDEXED | STORED | FAST);
    b.add_text_field("arxiv_id", STRING | STORED);
    b.add_text_field("display_title", STORED);
    // The prose a plain word searches, in one field: the title (twice, so that a word there
    // weighs as two in the abstract), the notes and the topic labels, then the abstract and its
    // glued words' words. One field makes a query of plain words an intersection of single
    // terms, which tantivy ranks with block-max pruning and counts without scores; searched in
    // seven fields, every match of every word was scored (#21). `title:` and `abstract:` search
    // their part of it, which `title_end` and `abstract_at` bound (`in_part`).
    b.add_text_field("words", text(PROSE, false));
    b.add_u64_field(in_part::TITLE_END, FAST);
    b.add_u64_field(in_part::ABSTRACT_AT, FAST);
    // The abstract is searched through `words` and not stored: hits take it from the database,
    // which holds it anyway (storing it cost the 100k import about 10 %: lz4, writes, merges).
    // Names (and `author:`), notes (`notes:`) and topic labels (`topic:`) keep fields of their
    // own as well: names are not prose, and the other two are short.
    b.add_text_field("authors", text(NAMES, false));
    b.add_text_field("notes", text(PROSE, false));
    b.add_text_field("topic", text(PROSE, false));
    // The typo-tolerance lexicon: the unstemmed words of titles, abstracts and notes, so typo
    // tolerance compares what was typed with what was written (a stemmer cuts a misspelling
    // differently: "trnsformer" keeps its "-er", "transformer" becomes "transform"). Papers do
    // not carry it: each commit that brings new words adds one lexicon document holding just
    // those (`search::lexicon`), so a word is indexed once, not once per paper that uses it.
    b.add_text_field(
        "lexicon",
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(NAMES)
                .set_index_option(IndexRecordOption::Basic),
        ),
    );
    b.add_i64_field("year", INDEXED | STORED | FAST);
    // The text of the paper's attached PDFs, pages joined: searched (`fulltext:`, and plain
    // words below the title and abstract), not stored: the database holds it page by page, and
    // a hit's page and snippet come from there (`SearchIndex::page_snippet`).
    b.add_text_field("fulltext", text(PROSE, false));
    b.build()
}

/// Handles to every field.
#[derive(Clone, Copy)]
pub(crate) struct Fields {
    pub paper_id: Field,
    pub arxiv_id: Field,
    pub display_title: Field,
    pub words: Field,
    pub title_end: Field,
    pub abstract_at: Field,
    pub authors: Field,
    pub notes: Field,
    pub topic: Field,
    pub lexicon: Field,
    pub year: Field,
    pub fulltext: Field,
}

impl Fields {
    pub(crate) fn from_schema(s: &Schema) -> Result<Fields> {
        Ok(Fields {
            paper_id: s.get_field("paper_id")?,
            arxiv_id: s.get_field("arxiv_id")?,
            display_title: s.get_field("display_title")?,
            words: s.get_field("words")?,
            title_end: s.get_field(in_part::TITLE_END)?,
            abstract_at: s.get_field(in_part::ABSTRACT_AT)?,
            authors: s.get_field("authors")?,
            notes: s.get_field("notes")?,
            topic: s.get_field("topic")?,
            lexicon: s.get_field("lexicon")?,
            year: s.get_field("year")?,
            fulltext: s.get_field("fulltext")?,
        })
    }

    pub(crate) fn document(
        &self,
        p: &Paper,
        fulltext: Option<&str>,
        glued: &GluedWords,
    ) -> TantivyDocument {
        let mut d = doc!(
            self.paper_id => p.id as u64,
            self.display_title => p.display_title(),
        );
        if let Some(a) = &p.arxiv_id {
            d.add_text(self.arxiv_id, a);
        }
        for a in &p.authors {
            d.add_text(self.authors, a.display_name());
        }
        if !p.notes.is_empty() {
            d.add_text(self.notes, &p.notes);
        }
        // Tags are not in the document: they are searched from memory (`tags`), so tagging
        // papers does not re-index them.
        for t in &p.topics {
            d.add_text(self.topic, t);
        }
        if let Some(y) = p.year {
            d.add_i64(self.year, y as i64);
        }
        if let Some(t) = fulltext {
            d.add_text(self.fulltext, t);
        }
        self.add_words(&mut d, p, glued);
        d
    }

    /// `words`, in its order, with `title_end` and `abstract_at`.
    fn add_words(&self, d: &mut TantivyDocument, p: &Paper, glued: &GluedWords) {
        let title = p.title.as_deref().unwrap_or_default();
        let notes = Some(p.notes.as_str()).filter(|n| !n.is_empty());
        // tantivy places a value's tokens after the previous value's last one and a gap of one
        // (`POSITION_GAP`); `prose::span` is the positions a value takes.
        let title_end = u64::from(span(title));
        d.add_u64(self.title_end, title_end);
        let mut at: u64 = 0;
        for text in [title, title]
            .into_iter()
            .chain(notes)
            .chain(p.topics.iter().map(String::as_str))
        {
            d.add_text(self.words, text);
            at += u64::from(span(text)) + 1;
        }
        d.add_u64(self.abstract_at, at);
        if let Some(a) = &p.abstract_text {
            d.add_text(self.words, a);
        }
        for text in [&p.title, &p.abstract_text].into_iter().flatten() {
            if let Some(parts) = glued_parts(text, glued) {
                d.add_text(self.words, parts);
            }
        }
    }
}
