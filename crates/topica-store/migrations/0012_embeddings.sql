-- Semantic mode's cache: each paper's sentence embedding (little-endian f32s) under the model
-- that made it, with a hash of the text it embedded, so an edited title or abstract is embedded
-- again and another model's vectors are never mixed in. Derived data: never part of an undo
-- step, dropped and rebuilt freely. Rows of papers that are gone are ignored and pruned.
CREATE TABLE embeddings (
    paper_id  INTEGER NOT NULL,
    model     TEXT NOT NULL,
    text_hash INTEGER NOT NULL,
    vector    BLOB NOT NULL,
    PRIMARY KEY (paper_id, model)
) WITHOUT ROWID;

-- A semantic fit's dense leaf and parent centroids (unit, little-endian f32s), which place new
-- papers by their embeddings; NULL after a lexical fit.
ALTER TABLE topics ADD COLUMN embedding BLOB;
