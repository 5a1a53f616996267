-- Managing a library by hand: the trash, the fields a user edited, and the undo log.

-- NULL: the paper is in the library. Otherwise when it went to the trash (RFC 3339): it stays
-- in this table with its notes, tags, collections and citation key, and every list, count,
-- search, topic and export leaves it out until it is restored.
ALTER TABLE papers ADD COLUMN trashed_at TEXT;
CREATE INDEX papers_trashed ON papers(trashed_at) WHERE trashed_at IS NOT NULL;

-- The topic weights of trashed papers, set aside (as `topic_papers`) so a restore puts them back
-- instead of placing each paper again. A refit empties it: restored papers are then placed anew.
CREATE TABLE topic_papers_trashed (
    paper_id     INTEGER NOT NULL REFERENCES papers(id) ON DELETE CASCADE,
    topic_id     INTEGER NOT NULL REFERENCES topics(id) ON DELETE CASCADE,
    weight       REAL NOT NULL,
    centrality   REAL NOT NULL DEFAULT 0,
    primary_leaf INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (paper_id, topic_id)
) WITHOUT ROWID;

-- JSON list of the bibliographic fields the user edited ("title", "authors"...): an import or
-- an enrichment of the same paper fills empty fields but never overwrites these.
ALTER TABLE papers ADD COLUMN edited TEXT NOT NULL DEFAULT '[]';

-- The undo log: one row per user change, oldest first. `ops` is the change's JSON, read by
-- the engine (`topica-core`'s undo module), enough to undo and to redo it. `undone` = 1: the
-- step was undone and is the next to redo; a new change deletes every undone step.
CREATE TABLE undo_steps (
    id      INTEGER PRIMARY KEY,
    label   TEXT NOT NULL,
    ops     TEXT NOT NULL,
    undone  INTEGER NOT NULL DEFAULT 0,
    at      TEXT NOT NULL
);
