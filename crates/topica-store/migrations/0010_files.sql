-- Files attached to papers (PDFs), and the text read from them.

-- One row per file a paper holds. `stored`: a copy Topica keeps in the library folder, `path`
-- relative to it (`files/vaswani2017attention.pdf`), named from the citation key and renamed
-- when the key changes. `linked`: a file the user keeps elsewhere, `path` absolute, never moved
-- or deleted by Topica. `removed_at`: detached from its paper (undoable); the row and a stored
-- copy stay until the trash is emptied, when the copy goes to the system trash.
CREATE TABLE files (
    id          INTEGER PRIMARY KEY,
    paper_id    INTEGER NOT NULL REFERENCES papers(id) ON DELETE CASCADE,
    kind        TEXT NOT NULL CHECK (kind IN ('stored', 'linked')),
    path        TEXT NOT NULL,
    -- The file's name as the user had it, shown in lists.
    name        TEXT NOT NULL,
    size        INTEGER NOT NULL,
    sha256      TEXT NOT NULL,
    pages       INTEGER,
    added_at    TEXT NOT NULL,
    removed_at  TEXT,
    -- NULL: its text was not read yet; 'ok'; otherwise why it could not be read.
    text_status TEXT
);
CREATE INDEX files_paper ON files(paper_id);
CREATE UNIQUE INDEX files_stored_path ON files(path) WHERE kind = 'stored';

-- The text of each page of a file (1-based page numbers), what `fulltext:` searches.
CREATE TABLE file_pages (
    file_id INTEGER NOT NULL REFERENCES files(id) ON DELETE CASCADE,
    page    INTEGER NOT NULL,
    text    TEXT NOT NULL,
    PRIMARY KEY (file_id, page)
) WITHOUT ROWID;
