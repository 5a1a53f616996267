-- Topics: derived from titles and abstracts (rebuildable), plus the user's edits (never lost).
-- Ids are kept across recomputations when a new topic maps onto an old one by overlap, so user
-- edits that point at a topic id stay valid.
CREATE TABLE topics (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    parent_id   INTEGER REFERENCES topics(id) ON DELETE SET NULL,  -- NULL for parent topics
    level       INTEGER NOT NULL,        -- 0 = parent, 1 = leaf
    label       TEXT NOT NULL,           -- the model's label
    user_label  TEXT,                    -- the user's label (rename), wins over `label`
    keyphrases  TEXT NOT NULL DEFAULT '[]',  -- JSON list, best first
    pinned      INTEGER NOT NULL DEFAULT 0,  -- user: keep this topic's papers across recomputes
    merged      INTEGER NOT NULL DEFAULT 0,  -- user merged topics into this one: keep them together
    centroid    BLOB NOT NULL DEFAULT x''    -- sparse unit vector: (u32 term, f32 weight) pairs
);

-- Paper ↔ topic weights. `primary_leaf` = 1 on exactly one leaf per paper.
CREATE TABLE topic_papers (
    paper_id     INTEGER NOT NULL REFERENCES papers(id) ON DELETE CASCADE,
    topic_id     INTEGER NOT NULL REFERENCES topics(id) ON DELETE CASCADE,
    weight       REAL NOT NULL,
    centrality   REAL NOT NULL DEFAULT 0,
    primary_leaf INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (paper_id, topic_id)
) WITHOUT ROWID;
CREATE INDEX topic_papers_topic ON topic_papers(topic_id, primary_leaf);

-- User moves: this paper belongs in this leaf whatever the model says.
CREATE TABLE topic_moves (
    paper_id INTEGER PRIMARY KEY REFERENCES papers(id) ON DELETE CASCADE,
    topic_id INTEGER NOT NULL REFERENCES topics(id) ON DELETE CASCADE
);

-- The model's vocabulary (term id = position) and each paper's TF-IDF vector, for assigning new
-- papers and finding related ones without refitting.
CREATE TABLE topic_terms (
    id      INTEGER PRIMARY KEY,
    key     TEXT NOT NULL,   -- stem key ("speech enhanc")
    surface TEXT NOT NULL,   -- how it is written ("speech enhancement")
    idf     REAL NOT NULL
);
CREATE TABLE topic_vectors (
    paper_id INTEGER PRIMARY KEY REFERENCES papers(id) ON DELETE CASCADE,
    vector   BLOB NOT NULL
);
