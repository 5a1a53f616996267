//! Reading a Zotero library (`zotero.sqlite`, and Better BibTeX's `better-bibtex.sqlite` beside
//! it) into plain data. What the data means for a paper is the engine's (`topica-core`'s
//! `zotero.rs`); this module only reads, and never writes to either file.
//!
//! Zotero may be running: it holds its database with an exclusive lock, and may have committed
//! pages in a `-wal` file not yet copied back. So the file is opened read-only as `immutable`
//! (SQLite then takes no lock and never writes, not even a journal), and when a `-wal` file
//! lies beside it, the database and its WAL are first copied to a temporary folder, so what
//! Zotero committed there is read too.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags};

use crate::{Error, Result};

/// One regular item of the user's library, with its children.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ZoteroItem {
    /// Zotero's `itemID` (the report's "line").
    pub item_id: i64,
    /// Zotero's 8-character item key.
    pub key: String,
    /// Zotero's item type (`journalArticle`, `conferencePaper`, ...).
    pub item_type: String,
    /// Fields by Zotero's field names (`title`, `date`, `DOI`, `publicationTitle`...), in
    /// field id order.
    pub fields: Vec<(String, String)>,
    /// Creators in their order.
    pub creators: Vec<ZoteroCreator>,
    pub tags: Vec<String>,
    /// Collection paths, parents first, joined with `/`.
    pub collections: Vec<String>,
    /// Child notes (HTML), oldest first.
    pub notes: Vec<String>,
    pub attachments: Vec<ZoteroAttachment>,
    /// Better BibTeX's citation key for the item, when its database is beside Zotero's.
    pub bbt_key: Option<String>,
}

/// A creator of an item.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ZoteroCreator {
    /// `author`, `editor`, `translator`, ...
    pub creator_type: String,
    pub first_name: String,
    pub last_name: String,
    /// Zotero's `fieldMode` 1: one name, not to be split (an institution).
    pub single_field: bool,
}

/// A child attachment of an item.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ZoteroAttachment {
    pub item_id: i64,
    /// The attachment's own key: a stored file lives in `storage/<key>/`.
    pub key: String,
    /// 0 imported file, 1 imported web page, 2 linked file, 3 linked URL, 4 embedded image.
    pub link_mode: i64,
    pub content_type: Option<String>,
    /// `storage:<name>` for a stored file, a path (or `attachments:<relative>`) for a linked one.
    pub path: Option<String>,
}

/// An item of the library that is not read as a paper, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct ZoteroSkipped {
    pub item_id: i64,
    pub key: String,
    pub item_type: String,
    pub reason: String,
}

/// The user library of a Zotero database.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ZoteroLibrary {
    pub items: Vec<ZoteroItem>,
    pub skipped: Vec<ZoteroSkipped>,
    /// Annotations on attachments (not imported; counted for the report).
    pub annotations: usize,
}

/// Item types that are never papers of their own.
const NOT_PAPERS: [&str; 3] = ["note", "attachment", "annotation"];

/// Reads the user library of the Zotero database at `db` (and Better BibTeX's keys from `bbt`
/// when given and present). Neither file is written.
pub fn read(db: &Path, bbt: Option<&Path>) -> Result<ZoteroLibrary> {
    let as_zotero =
        |e: rusqlite::Error| Error::file(db, format!("cannot be read as a Zotero database: {e}"));
    let snapshot = Snapshot::open(db)?;
    let conn = &snapshot.conn;
    // A Topica library given to import (its own library.sqlite, or a backup) is not Zotero's:
    // say what it is and what to do with it instead of naming a missing table.
    if table_exists(conn, "schema_version").unwrap_or(false)
        && !table_exists(conn, "libraries").unwrap_or(false)
    {
        return Err(Error::file(
            db,
            "this is a Topica library, not Zotero's: open it as a library (--library, File → Open library…) or put it back as a backup (backup restore, File → Restore from backup…)",
        ));
    }
    let mut lib = read_library(conn).map_err(as_zotero)?;
    if let Some(bbt) = bbt.filter(|p| p.is_file()) {
        let keys = Snapshot::open(bbt).and_then(|s| {
            bbt_keys(&s.conn).map_err(|e| {
                Error::file(
                    bbt,
                    format!("cannot be read as Better BibTeX's database: {e}"),
                )
            })
        })?;
        for item in &mut lib.items {
            item.bbt_key = keys.get(&item.item_id).cloned();
        }
    }
    Ok(lib)
}

/// A read-only connection to a database another program may hold, and the temporary copy it
/// reads when there is one (removed on drop).
struct Snapshot {
    conn: Connection,
    copy: Option<PathBuf>,
}

impl Snapshot {
    fn open(path: &Path) -> Result<Snapshot> {
        let meta = std::fs::metadata(path).map_err(|e| Error::file(path, e))?;
        if !meta.is_file() {
            return Err(Error::file(path, "not a file"));
        }
        let mut wal = path.as_os_str().to_owned();
        wal.push("-wal");
        let wal = PathBuf::from(wal);
        let has_wal = std::fs::metadata(&wal).is_ok_and(|m| m.len() > 0);
        if !has_wal {
            let conn = open_immutable(path)?;
            return Ok(Snapshot { conn, copy: None });
        }
        // Committed pages may still be in the WAL: read a copy of both (SQLite folds the WAL in
        // when it opens the copy; the original and its WAL are only read).
        let dir = std::env::temp_dir().join(format!(
            "topica-zotero-{}-{}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos())
        ));
        std::fs::create_dir_all(&dir).map_err(|e| Error::file(&dir, e))?;
        let copied = (|| -> std::io::Result<PathBuf> {
            let db = dir.join("db.sqlite");
            std::fs::copy(path, &db)?;
            std::fs::copy(&wal, dir.join("db.sqlite-wal"))?;
            Ok(db)
        })();
        let copy = match copied {
            Ok(db) => db,
            Err(e) => {
                let _ = std::fs::remove_dir_all(&dir);
                return Err(Error::file(path, format!("cannot copy it to read it: {e}")));
            }
        };
        let conn = Connection::open_with_flags(
            &copy,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| Error::file(path, e));
        match conn {
            Ok(conn) => Ok(Snapshot {
                conn,
                copy: Some(dir),
            }),
            Err(e) => {
                let _ = std::fs::remove_dir_all(&dir);
                Err(e)
            }
        }
    }
}

impl Drop for Snapshot {
    fn drop(&mut self) {
        if let Some(dir) = &self.copy {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

/// Opens `path` read-only as immutable: no lock taken, no journal or WAL written or read.
fn open_immutable(path: &Path) -> Result<Connection> {
    let abs = std::fs::canonicalize(path).map_err(|e| Error::file(path, e))?;
    let mut uri = String::from("file:");
    for b in abs.to_string_lossy().bytes() {
        // Percent-encode what a URI path may not hold as is.
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'/' | b'-' | b'_' | b'.' | b'~' => {
                uri.push(char::from(b));
            }
            _ => uri.push_str(&format!("%{b:02X}")),
        }
    }
    uri.push_str("?immutable=1");
    Connection::open_with_flags(
        &uri,
        OpenFlags::SQLITE_OPEN_READ_ONLY
            | OpenFlags::SQLITE_OPEN_URI
            | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| Error::file(path, e))
}

fn table_exists(conn: &Connection, name: &str) -> rusqlite::Result<bool> {
    conn.query_row(
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?1",
        [name],
        |r| r.get::<_, i64>(0),
    )
    .map(|n| n > 0)
}

/// Text of a column that Zotero types loosely (`itemDataValues.value` may be an integer).
fn text(v: rusqlite::types::ValueRef<'_>) -> String {
    use rusqlite::types::ValueRef;
    match v {
        ValueRef::Null => String::new(),
        ValueRef::Integer(i) => i.to_string(),
        ValueRef::Real(f) => f.to_string(),
        ValueRef::Text(t) | ValueRef::Blob(t) => String::from_utf8_lossy(t).into_owned(),
    }
}

fn read_library(conn: &Connection) -> rusqlite::Result<ZoteroLibrary> {
    let library: i64 = conn.query_row(
        "SELECT libraryID FROM libraries WHERE type = 'user' ORDER BY libraryID LIMIT 1",
        [],
        |r| r.get(0),
    )?;
    let mut deleted: std::collections::HashSet<i64> = std::collections::HashSet::new();
    {
        let mut stmt = conn.prepare("SELECT itemID FROM deletedItems")?;
        for id in stmt.query_map([], |r| r.get(0))? {
            deleted.insert(id?);
        }
    }

    // Items of the user library, by type.
    let mut lib = ZoteroLibrary::default();
    let mut at: HashMap<i64, usize> = HashMap::new();
    let mut children: HashMap<i64, (String, String)> = HashMap::new(); // itemID -> (key, type)
    {
        let mut stmt = conn.prepare(
            "SELECT i.itemID, i.key, t.typeName FROM items i \
             JOIN itemTypes t ON t.itemTypeID = i.itemTypeID \
             WHERE i.libraryID = ?1 ORDER BY i.itemID",
        )?;
        let rows = stmt.query_map([library], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
            ))
        })?;
        for row in rows {
            let (item_id, key, item_type) = row?;
            if deleted.contains(&item_id) {
                lib.skipped.push(ZoteroSkipped {
                    item_id,
                    key,
                    item_type,
                    reason: "in Zotero's trash".into(),
                });
                continue;
            }
            if NOT_PAPERS.contains(&item_type.as_str()) {
                children.insert(item_id, (key, item_type));
                continue;
            }
            at.insert(item_id, lib.items.len());
            lib.items.push(ZoteroItem {
                item_id,
                key,
                item_type,
                ..ZoteroItem::default()
            });
        }
    }

    // Fields. `fieldsCombined` adds custom fields to `fields` (Zotero fills it at startup).
    let fields_table = if table_exists(conn, "fieldsCombined")? {
        "(SELECT fieldID, fieldName FROM fields UNION SELECT fieldID, fieldName FROM fieldsCombined)"
    } else {
        "fields"
    };
    {
        let sql = format!(
            "SELECT d.itemID, f.fieldName, v.value FROM itemData d \
             JOIN {fields_table} f ON f.fieldID = d.fieldID \
             JOIN itemDataValues v ON v.valueID = d.valueID \
             ORDER BY d.itemID, d.fieldID"
        );
        let mut stmt = conn.prepare(&sql)?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            if let Some(&i) = at.get(&r.get::<_, i64>(0)?) {
                let name: String = r.get(1)?;
                let value = text(r.get_ref(2)?);
                if let Some(item) = lib.items.get_mut(i) {
                    if !item.fields.iter().any(|(n, _)| *n == name) {
                        item.fields.push((name, value));
                    }
                }
            }
        }
    }

    // Creators, in order.
    {
        let mut stmt = conn.prepare(
            "SELECT ic.itemID, ct.creatorType, c.firstName, c.lastName, c.fieldMode \
             FROM itemCreators ic JOIN creators c ON c.creatorID = ic.creatorID \
             JOIN creatorTypes ct ON ct.creatorTypeID = ic.creatorTypeID \
             ORDER BY ic.itemID, ic.orderIndex",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            if let Some(item) = at
                .get(&r.get::<_, i64>(0)?)
                .and_then(|&i| lib.items.get_mut(i))
            {
                item.creators.push(ZoteroCreator {
                    creator_type: r.get(1)?,
                    first_name: r.get::<_, Option<String>>(2)?.unwrap_or_default(),
                    last_name: r.get::<_, Option<String>>(3)?.unwrap_or_default(),
                    single_field: r.get::<_, Option<i64>>(4)? == Some(1),
                });
            }
        }
    }

    // Tags.
    {
        let mut stmt = conn.prepare(
            "SELECT it.itemID, t.name FROM itemTags it JOIN tags t ON t.tagID = it.tagID \
             ORDER BY it.itemID, t.name",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            if let Some(item) = at
                .get(&r.get::<_, i64>(0)?)
                .and_then(|&i| lib.items.get_mut(i))
            {
                item.tags.push(r.get(1)?);
            }
        }
    }

    // Collections as paths; a collection in the trash (Zotero 7) is left out with its subtree.
    {
        let mut trashed: std::collections::HashSet<i64> = std::collections::HashSet::new();
        if table_exists(conn, "deletedCollections")? {
            let mut stmt = conn.prepare("SELECT collectionID FROM deletedCollections")?;
            for id in stmt.query_map([], |r| r.get(0))? {
                trashed.insert(id?);
            }
        }
        let mut stmt = conn.prepare(
            "SELECT collectionID, collectionName, parentCollectionID FROM collections \
             WHERE libraryID = ?1",
        )?;
        let mut nodes: HashMap<i64, (String, Option<i64>)> = HashMap::new();
        for row in stmt.query_map([library], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, Option<i64>>(2)?,
            ))
        })? {
            let (id, name, parent) = row?;
            nodes.insert(id, (name, parent));
        }
        let mut paths: HashMap<i64, String> = HashMap::new();
        for &id in nodes.keys() {
            let mut parts = Vec::new();
            let mut cur = Some(id);
            let mut live = true;
            // Bounded by the number of collections, so a parent cycle cannot loop forever.
            for _ in 0..=nodes.len() {
                let Some(c) = cur else { break };
                if trashed.contains(&c) {
                    live = false;
                }
                let Some((name, parent)) = nodes.get(&c) else {
                    break;
                };
                // `/` separates Topica's levels: a name holding one keeps it as a lookalike.
                parts.push(name.trim().replace('/', "\u{2215}"));
                cur = *parent;
            }
            if live {
                parts.reverse();
                paths.insert(id, parts.join("/"));
            }
        }
        let mut stmt = conn.prepare(
            "SELECT itemID, collectionID FROM collectionItems ORDER BY itemID, collectionID",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let item = at
                .get(&r.get::<_, i64>(0)?)
                .and_then(|&i| lib.items.get_mut(i));
            if let (Some(item), Some(path)) = (item, paths.get(&r.get::<_, i64>(1)?)) {
                item.collections.push(path.clone());
            }
        }
    }

    // Notes: a child note goes to its parent; a standalone one is reported.
    {
        let mut stmt =
            conn.prepare("SELECT itemID, parentItemID, note FROM itemNotes ORDER BY itemID")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let id: i64 = r.get(0)?;
            let Some((key, item_type)) = children.get(&id) else {
                continue; // deleted, or another library's
            };
            if item_type != "note" {
                continue; // an attachment's own note
            }
            let parent = r
                .get::<_, Option<i64>>(1)?
                .and_then(|p| at.get(&p))
                .and_then(|&i| lib.items.get_mut(i));
            match parent {
                Some(item) => item
                    .notes
                    .push(r.get::<_, Option<String>>(2)?.unwrap_or_default()),
                None => lib.skipped.push(ZoteroSkipped {
                    item_id: id,
                    key: key.clone(),
                    item_type: item_type.clone(),
                    reason: "a standalone note, not a paper".into(),
                }),
            }
        }
    }

    // Attachments: a child goes to its parent; a standalone one is reported.
    {
        let mut stmt = conn.prepare(
            "SELECT itemID, parentItemID, linkMode, contentType, path FROM itemAttachments \
             ORDER BY itemID",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let id: i64 = r.get(0)?;
            let Some((key, item_type)) = children.get(&id) else {
                continue;
            };
            let parent_id: Option<i64> = r.get(1)?;
            let parent = parent_id
                .and_then(|p| at.get(&p))
                .and_then(|&i| lib.items.get_mut(i));
            match parent {
                Some(item) => item.attachments.push(ZoteroAttachment {
                    item_id: id,
                    key: key.clone(),
                    link_mode: r.get::<_, Option<i64>>(2)?.unwrap_or(-1),
                    content_type: r.get(3)?,
                    path: r.get(4)?,
                }),
                // A child of a deleted item went with it; only a standalone file is said.
                None if parent_id.is_none() => lib.skipped.push(ZoteroSkipped {
                    item_id: id,
                    key: key.clone(),
                    item_type: item_type.clone(),
                    reason: "a standalone attachment, not a paper (attach it to a paper in Zotero first)".into(),
                }),
                None => {}
            }
        }
    }
    lib.annotations = children.values().filter(|(_, t)| t == "annotation").count();
    Ok(lib)
}

/// Better BibTeX's key per item id: what the user's documents cite, pinned or not.
fn bbt_keys(conn: &Connection) -> rusqlite::Result<HashMap<i64, String>> {
    let mut stmt = conn.prepare(
        "SELECT itemID, citationKey FROM citationkey WHERE citationKey IS NOT NULL \
         AND citationKey <> '' ORDER BY pinned",
    )?;
    let mut keys = HashMap::new();
    for row in stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))? {
        let (id, key) = row?;
        // Ordered by `pinned`: a pinned key wins over another row for the same item.
        keys.insert(id, key);
    }
    Ok(keys)
}
