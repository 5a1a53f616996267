-- Papers: bibliographic fields (written by imports and enrichment) and user fields (written only by the user).
CREATE TABLE papers (
    id            INTEGER PRIMARY KEY,
    arxiv_id      TEXT UNIQUE,            -- versionless
    arxiv_version INTEGER,
    doi           TEXT UNIQUE,            -- lower case
    title         TEXT,
    title_key     TEXT,                   -- letters+digits, lower case: duplicate detection
    first_author  TEXT,                   -- lower-case family name of the first author: duplicate detection
    authors       TEXT NOT NULL DEFAULT '[]',  -- JSON [{family, given, ...}]
    editors       TEXT NOT NULL DEFAULT '[]',
    year          INTEGER,
    month         INTEGER,
    abstract      TEXT,
    categories    TEXT NOT NULL DEFAULT '[]',  -- JSON, primary first
    journal_ref   TEXT,
    comments      TEXT,
    kind          TEXT,
    container     TEXT,
    volume        TEXT,
    issue         TEXT,
    pages         TEXT,
    publisher     TEXT,
    url           TEXT,
    citation_key  TEXT UNIQUE,
    extra         TEXT NOT NULL DEFAULT '{}',  -- JSON object of fields without a column
    notes         TEXT NOT NULL DEFAULT '',
    read          INTEGER NOT NULL DEFAULT 0,
    starred       INTEGER NOT NULL DEFAULT 0,
    date_added    TEXT NOT NULL
);
CREATE INDEX papers_title_key ON papers(title_key, first_author, year);

CREATE TABLE tags (
    paper_id INTEGER NOT NULL REFERENCES papers(id) ON DELETE CASCADE,
    tag      TEXT NOT NULL,
    PRIMARY KEY (paper_id, tag)
) WITHOUT ROWID;
CREATE INDEX tags_tag ON tags(tag);

CREATE TABLE collections (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE
);
CREATE TABLE collection_papers (
    collection_id INTEGER NOT NULL REFERENCES collections(id) ON DELETE CASCADE,
    paper_id      INTEGER NOT NULL REFERENCES papers(id) ON DELETE CASCADE,
    PRIMARY KEY (collection_id, paper_id)
) WITHOUT ROWID;

-- Key/value facts about the library. `generation` is bumped by every write that the search
-- index must see; the index stores the generation it was built from.
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
INSERT INTO meta(key, value) VALUES ('generation', '0');
