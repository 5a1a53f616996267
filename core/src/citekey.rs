//! Citation keys in a library: unique (case-insensitively), given at import, and pinned once
//! given. The pattern language that makes a key is `topica_formats::citekey`'s.

use crate::db::Connection;

use crate::db::{meta, papers};
use crate::{Error, Result};
use topica_formats::citekey::{is_valid_key, make_unique};
pub use topica_formats::citekey::{KeyPattern, DEFAULT_PATTERN};
use topica_model::Paper;

/// `meta` key holding the library's pattern.
const PATTERN_META_KEY: &str = "citekey_pattern";

/// Whether another paper holds `key` (case-insensitively: BibTeX and biber treat keys
/// differing only in case as clashes).
pub(crate) fn key_taken(conn: &Connection, key: &str, except: i64) -> Result<bool> {
    Ok(papers::citation_key_taken(conn, key, except)?)
}

/// The library's pattern (the default when never set).
pub(crate) fn stored_pattern(conn: &Connection) -> Result<KeyPattern> {
    match meta::get(conn, PATTERN_META_KEY)? {
        Some(p) => Ok(KeyPattern::parse(&p)?),
        None => Ok(KeyPattern::default()),
    }
}

pub(crate) fn store_pattern(conn: &Connection, pattern: &KeyPattern) -> Result<()> {
    Ok(meta::set(conn, PATTERN_META_KEY, &pattern.to_string())?)
}

/// Import hook, called for each new paper before it is inserted: keeps the key the file gave
/// when valid and free, otherwise generates one from `pattern` ([`stored_pattern`], read once
/// per import). `taken` answers inside the import's transaction, so keys given earlier in the
/// same import count as taken.
pub(crate) fn assign_for_insert(
    paper: &mut Paper,
    pattern: &KeyPattern,
    mut taken: impl FnMut(&str) -> Result<bool>,
) -> Result<()> {
    if let Some(k) = paper.citation_key.as_deref().map(str::trim) {
        if is_valid_key(k) && !taken(k)? {
            paper.citation_key = Some(k.to_string());
            return Ok(());
        }
    }
    let base = pattern.key_for(paper);
    paper.citation_key = Some(make_unique(&base, taken)?);
    Ok(())
}

/// Gives every paper without a key one (libraries created before keys existed). Returns how
/// many were assigned. Existing keys are never changed.
pub(crate) fn assign_missing(conn: &Connection) -> Result<usize> {
    let ids = papers::ids_without_citation_key(conn)?;
    if ids.is_empty() {
        return Ok(0);
    }
    let pattern = stored_pattern(conn)?;
    for &id in &ids {
        let paper = papers::get(conn, id)?.ok_or_else(|| Error::NotFound(id.to_string()))?;
        let key = make_unique(&pattern.key_for(&paper), |k| key_taken(conn, k, id))?;
        papers::set_citation_key(conn, id, &key)?;
    }
    Ok(ids.len())
}

/// Regenerates the keys of `ids` (all papers when empty) from the library's pattern; the only
/// path besides [`set_key`] that changes an existing key. Returns (id, old, new) for changed keys.
pub(crate) fn regenerate(
    conn: &Connection,
    ids: &[i64],
) -> Result<Vec<(i64, Option<String>, String)>> {
    let pattern = stored_pattern(conn)?;
    let ids: Vec<i64> = if ids.is_empty() {
        papers::ids(conn)?
    } else {
        ids.to_vec()
    };
    // Clear first so papers being regenerated do not block each other's natural keys.
    for &id in &ids {
        if papers::get(conn, id)?.is_none() {
            return Err(Error::NotFound(id.to_string()));
        }
    }
    let mut old = Vec::with_capacity(ids.len());
    for &id in &ids {
        old.push(papers::take_citation_key(conn, id)?);
    }
    let mut changed = Vec::new();
    for (&id, old) in ids.iter().zip(old) {
        let paper = papers::get(conn, id)?.ok_or_else(|| Error::NotFound(id.to_string()))?;
        let key = make_unique(&pattern.key_for(&paper), |k| key_taken(conn, k, id))?;
        papers::set_citation_key(conn, id, &key)?;
        if old.as_deref() != Some(key.as_str()) {
            changed.push((id, old, key));
        }
    }
    Ok(changed)
}

/// Sets one paper's key by hand; refused when invalid or held by another paper.
pub(crate) fn set_key(conn: &Connection, id: i64, key: &str) -> Result<()> {
    let key = key.trim();
    if !is_valid_key(key) {
        return Err(Error::Invalid(format!("{key:?} is not a usable citation key (no spaces, commas, braces, quotes, #, %, =, ~ or backslashes)")));
    }
    if key_taken(conn, key, id)? {
        return Err(Error::Invalid(format!(
            "citation key {key:?} is already used by another paper"
        )));
    }
    Ok(papers::set_citation_key(conn, id, key)?)
}

impl crate::Library {
    /// The library's citation key pattern.
    pub fn citation_key_pattern(&self) -> Result<KeyPattern> {
        stored_pattern(&self.conn())
    }

    /// Sets the pattern used for papers that get a key from now on; existing keys stay
    /// (call [`crate::Library::regenerate_citation_keys`] to apply it to them).
    pub fn set_citation_key_pattern(&self, pattern: &str) -> Result<KeyPattern> {
        let p = KeyPattern::parse(pattern)?;
        store_pattern(&self.conn(), &p)?;
        Ok(p)
    }

    /// Gives a key to every paper without one (libraries from before keys existed); returns
    /// how many were assigned. Never changes an existing key.
    pub fn ensure_citation_keys(&self) -> Result<usize> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        let n = assign_missing(&tx)?;
        tx.commit()?;
        Ok(n)
    }

    /// Regenerates keys from the pattern for `ids` (library ids, arXiv ids or keys; all papers
    /// when empty): the user's explicit request, the only way a pinned key changes besides
    /// [`crate::Library::set_citation_key`]. Returns (library id, old key, new key) per change.
    pub fn regenerate_citation_keys(
        &self,
        refs: &[String],
    ) -> Result<Vec<(i64, Option<String>, String)>> {
        let ids = refs
            .iter()
            .map(|r| self.find(r).map(|p| p.id))
            .collect::<Result<Vec<_>>>()?;
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        let changed = regenerate(&tx, &ids)?;
        tx.commit()?;
        drop(conn);
        self.rename_files_for(&changed.iter().map(|(id, _, _)| *id).collect::<Vec<_>>());
        Ok(changed)
    }

    /// Sets one paper's key by hand (refused when invalid or taken).
    pub fn set_citation_key(&self, id: i64, key: &str) -> Result<crate::Paper> {
        {
            let mut conn = self.conn();
            let tx = conn.transaction()?;
            if papers::get(&tx, id)?.is_none() {
                return Err(Error::NotFound(id.to_string()));
            }
            set_key(&tx, id, key)?;
            tx.commit()?;
        }
        self.rename_files_for(&[id]);
        self.paper(id)
    }
}
