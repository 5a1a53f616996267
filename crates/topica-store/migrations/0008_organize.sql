-- Pairs of papers a user said are not duplicates: never proposed again. `a < b`; both rows go
-- when either paper is deleted for good.
CREATE TABLE not_duplicates (
    a INTEGER NOT NULL REFERENCES papers(id) ON DELETE CASCADE,
    b INTEGER NOT NULL REFERENCES papers(id) ON DELETE CASCADE,
    PRIMARY KEY (a, b),
    CHECK (a < b)
) WITHOUT ROWID;
CREATE INDEX not_duplicates_b ON not_duplicates(b);

-- A colour a user gave a tag (a CSS colour such as `#d94f4f`); tags without one have none.
CREATE TABLE tag_colors (
    tag   TEXT PRIMARY KEY,
    color TEXT NOT NULL
) WITHOUT ROWID;
