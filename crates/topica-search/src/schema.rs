//! The index schema and its analyzers.

use tantivy::schema::{
    Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, FAST, INDEXED, STORED, STRING,
};
use tantivy::tokenizer::{
    AsciiFoldingFilter, LowerCaser, RemoveLongFilter, SimpleTokenizer, TextAnalyzer,
};
use tantivy::{doc, Index, TantivyDocument};

use super::prose::{MemoProse, LONGEST};
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
    b.add_text_field("title", text(PROSE, false));
    b.add_text_field("abstract", text(PROSE, true));
    b.add_text_field("authors", text(NAMES, false));
    b.add_text_field("notes", text(PROSE, false));
    // No longer written (tags are searched from memory, see `tags`); kept so that indexes made
    // before open with this schema.
    b.add_text_field("tags", text(NAMES, false));
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
    // The words of the title's and abstract's glued words ("onshorttexts" → "on short texts"),
    // searched beside them: the topic fit finds them (`topica_model::glued`). Not stored.
    b.add_text_field("repaired", text(PROSE, false));
    b.build()
}

/// Handles to every field.
#[derive(Clone, Copy)]
pub(crate) struct Fields {
    pub paper_id: Field,
    pub arxiv_id: Field,
    pub display_title: Field,
    pub title: Field,
    pub abstract_text: Field,
    pub authors: Field,
    pub notes: Field,
    pub topic: Field,
    pub lexicon: Field,
    pub year: Field,
    pub fulltext: Field,
    pub repaired: Field,
}

impl Fields {
    pub(crate) fn from_schema(s: &Schema) -> Result<Fields> {
        Ok(Fields {
            paper_id: s.get_field("paper_id")?,
            arxiv_id: s.get_field("arxiv_id")?,
            display_title: s.get_field("display_title")?,
            title: s.get_field("title")?,
            abstract_text: s.get_field("abstract")?,
            authors: s.get_field("authors")?,
            notes: s.get_field("notes")?,
            topic: s.get_field("topic")?,
            lexicon: s.get_field("lexicon")?,
            year: s.get_field("year")?,
            fulltext: s.get_field("fulltext")?,
            repaired: s.get_field("repaired")?,
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
        if let Some(t) = &p.title {
            d.add_text(self.title, t);
        }
        if let Some(a) = &p.abstract_text {
            d.add_text(self.abstract_text, a);
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
        for text in [&p.title, &p.abstract_text].into_iter().flatten() {
            if let Some(parts) = glued_parts(text, glued) {
                d.add_text(self.repaired, parts);
            }
        }
        d
    }
}
