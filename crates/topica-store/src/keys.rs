//! What a bulk import asks the `papers` table for every record — "is this paper already
//! stored?" and "is this citation key taken?" — answered from hashes held in memory.
//!
//! Only 64-bit hashes of the keys are kept (a few dozen bytes a paper, so a dump of millions
//! of papers still imports in bounded memory). A miss is exact: every stored key is hashed.
//! A hit is confirmed against the stored row, and a hash that names the wrong row falls back
//! to the SQL lookups, so the answers are always the ones SQL would give.

use std::hash::{Hash, Hasher};

use rusqlite::{Connection, OptionalExtension};
use rustc_hash::{FxHashMap, FxHashSet, FxHasher};

use super::papers;
use crate::Result;
use topica_model::{title_key, Paper};

/// Which duplicate rule a hash belongs to (see [`papers::find_duplicate`]).
#[derive(Hash, Clone, Copy)]
enum Rule {
    Arxiv,
    Doi,
    Title,
}

fn hash_of(rule: Rule, parts: &[Option<&str>], year: Option<i32>) -> u64 {
    let mut h = FxHasher::default();
    rule.hash(&mut h);
    parts.hash(&mut h);
    year.hash(&mut h);
    h.finish()
}

/// The hash of a paper's title rule, when the rule applies to it (a title key of at least 8
/// characters and a year, as in [`papers::find_duplicate`]).
fn title_hash(
    title_key: Option<&str>,
    first_author: Option<&str>,
    year: Option<i32>,
) -> Option<u64> {
    let key = title_key.filter(|k| k.len() >= papers::MIN_TITLE_KEY)?;
    let year = year?;
    Some(hash_of(Rule::Title, &[Some(key), first_author], Some(year)))
}

/// Duplicate keys of every stored paper: hash → the lowest id that had it.
pub struct DuplicateKeys {
    ids: FxHashMap<u64, i64>,
}

impl DuplicateKeys {
    /// Hashes the keys of every paper in the table (including rows written earlier in the
    /// current transaction).
    pub fn load(conn: &Connection) -> Result<DuplicateKeys> {
        let mut keys = DuplicateKeys {
            ids: FxHashMap::default(),
        };
        let mut stmt = conn.prepare(
            "SELECT id, arxiv_id, doi, title_key, first_author, year FROM papers ORDER BY id",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let id: i64 = r.get(0)?;
            let arxiv: Option<String> = r.get(1)?;
            let doi: Option<String> = r.get(2)?;
            let title: Option<String> = r.get(3)?;
            let author: Option<String> = r.get(4)?;
            let year: Option<i32> = r.get(5)?;
            keys.remember_parts(
                id,
                arxiv.as_deref(),
                doi.as_deref(),
                title.as_deref(),
                author.as_deref(),
                year,
            );
        }
        Ok(keys)
    }

    fn remember_parts(
        &mut self,
        id: i64,
        arxiv: Option<&str>,
        doi: Option<&str>,
        title_key: Option<&str>,
        first_author: Option<&str>,
        year: Option<i32>,
    ) {
        let hashes = [
            arxiv.map(|a| hash_of(Rule::Arxiv, &[Some(a)], None)),
            doi.map(|d| hash_of(Rule::Doi, &[Some(d)], None)),
            title_hash(title_key, first_author, year),
        ];
        for h in hashes.into_iter().flatten() {
            let slot = self.ids.entry(h).or_insert(id);
            // SQL's `LIMIT 1` over the (key, rowid)-ordered index gives the lowest id.
            *slot = (*slot).min(id);
        }
    }

    /// Records the keys `p` (stored as `p.id`) has now: call after an insert or a merge.
    /// Keys a merge replaced stay behind as stale hashes; lookups confirm every hit.
    pub fn remember(&mut self, p: &Paper) {
        let tk = p.title.as_deref().map(title_key);
        let fa = papers::first_author_key(&p.authors);
        self.remember_parts(
            p.id,
            p.arxiv_id.as_deref(),
            p.doi.as_deref(),
            tk.as_deref(),
            fa.as_deref(),
            p.year,
        );
    }

    /// The stored paper `p` duplicates, with that paper loaded: the same answer as
    /// [`papers::find_duplicate`], without SQL when no stored paper shares a key with `p`.
    pub fn find(&self, conn: &Connection, p: &Paper) -> Result<Option<Paper>> {
        let tk = p.title.as_deref().map(title_key);
        let fa = papers::first_author_key(&p.authors);
        let rules = [
            p.arxiv_id
                .as_deref()
                .map(|a| hash_of(Rule::Arxiv, &[Some(a)], None)),
            p.doi
                .as_deref()
                .map(|d| hash_of(Rule::Doi, &[Some(d)], None)),
            title_hash(tk.as_deref(), fa.as_deref(), p.year),
        ];
        for (rule, h) in rules.into_iter().enumerate() {
            let Some(&id) = h.and_then(|h| self.ids.get(&h)) else {
                continue; // exact: no stored paper has this key
            };
            let stored = papers::get(conn, id)?;
            let confirmed = stored.as_ref().is_some_and(|s| match rule {
                0 => s.arxiv_id == p.arxiv_id,
                1 => s.doi == p.doi,
                _ => {
                    s.year == p.year
                        && s.title.as_deref().map(title_key) == tk
                        && papers::first_author_key(&s.authors) == fa
                }
            });
            if !confirmed {
                // A hash collision or a key a merge replaced: ask SQL.
                return match papers::find_duplicate(conn, p)? {
                    Some(id) => papers::get(conn, id),
                    None => Ok(None),
                };
            }
            // The same row the SQL lookup would pick, as long as no lower id shares the key:
            // the map keeps the lowest id that had the key, so only a stale lower id could.
            return Ok(stored);
        }
        Ok(None)
    }
}

/// Citation keys in use, folded the way SQLite's `COLLATE NOCASE` folds them (ASCII only).
pub struct TakenKeys {
    hashes: FxHashSet<u64>,
}

fn key_hash(key: &str) -> u64 {
    let mut h = FxHasher::default();
    for b in key.bytes() {
        h.write_u8(b.to_ascii_lowercase());
    }
    h.finish()
}

impl TakenKeys {
    pub fn load(conn: &Connection) -> Result<TakenKeys> {
        let mut hashes = FxHashSet::default();
        let mut stmt =
            conn.prepare("SELECT citation_key FROM papers WHERE citation_key IS NOT NULL")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let key: String = r.get(0)?;
            hashes.insert(key_hash(&key));
        }
        Ok(TakenKeys { hashes })
    }

    /// Whether a stored paper has `key` (case-insensitively); SQL confirms every hash hit.
    pub fn is_taken(&self, conn: &Connection, key: &str) -> Result<bool> {
        if !self.hashes.contains(&key_hash(key)) {
            return Ok(false);
        }
        Ok(conn
            .prepare_cached("SELECT 1 FROM papers WHERE citation_key = ?1 COLLATE NOCASE LIMIT 1")?
            .query_row([key], |_| Ok(()))
            .optional()?
            .is_some())
    }

    /// Records a key just stored.
    pub fn insert(&mut self, key: &str) {
        self.hashes.insert(key_hash(key));
    }
}
