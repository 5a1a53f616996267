-- Keep-updated exports: a file rewritten whenever what it holds changes. `generation` is the
-- library's generation (meta) the file was last brought up to date with; NULL = never.
CREATE TABLE auto_exports (
    path        TEXT PRIMARY KEY,
    format      TEXT NOT NULL,
    scope_kind  TEXT NOT NULL,  -- all, collection, tag, topic, query, saved
    scope_value TEXT NOT NULL DEFAULT '',
    generation  INTEGER,
    written_at  TEXT,            -- RFC 3339, when the file was last written
    error       TEXT             -- why the last attempt failed, or NULL
) WITHOUT ROWID;
