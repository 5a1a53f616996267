-- CSL styles a user added to the library (`topica-cli styles add`, the app's settings): the
-- file's text as given, so an export renders the same wherever the library is opened. `name`
-- is what `--format` takes; `style_id` is the style's cs:info/cs:id, which a dependent style
-- names as its parent.
CREATE TABLE styles (
    name     TEXT PRIMARY KEY COLLATE NOCASE,
    style_id TEXT NOT NULL,
    title    TEXT NOT NULL,
    xml      TEXT NOT NULL,
    added_at TEXT NOT NULL   -- RFC 3339
) WITHOUT ROWID;
