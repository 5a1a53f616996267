-- Glued words the last topic fit found ("onshorttexts" → "on short texts"): derived, replaced by
-- every full fit. The paper shown and the search index write them as their words; the papers'
-- own text is never changed.
CREATE TABLE glued_words (
    word  TEXT PRIMARY KEY,
    parts TEXT NOT NULL
) WITHOUT ROWID;
