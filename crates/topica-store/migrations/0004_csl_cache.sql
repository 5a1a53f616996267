-- Rendered CSL references (APA, IEEE...), a cache: one row per run of references hayagriva
-- renders together, keyed by a SHA-256 of everything the run's text depends on (the items'
-- CSL-JSON in order, style, locales, output flavour, numbering offset, renderer version).
-- Derived data: deleting rows only makes the next export slower.
CREATE TABLE csl_cache (
    run_hash BLOB PRIMARY KEY,
    refs     TEXT NOT NULL,     -- JSON [[citation key, rendered text], ...] in bibliography order
    used_at  INTEGER NOT NULL   -- unix seconds of the last export that used the row
) WITHOUT ROWID;
