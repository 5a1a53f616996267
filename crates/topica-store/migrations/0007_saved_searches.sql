-- Saved searches (smart collections): a query under a name, run again whenever it is opened, so
-- it follows the library as it changes.
CREATE TABLE saved_searches (
    name  TEXT PRIMARY KEY,
    query TEXT NOT NULL
) WITHOUT ROWID;
