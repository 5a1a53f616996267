//! Which segments of the index have had their checksums verified. A segment's files never change
//! once written, so each is read through and checked once, at the first open that finds it, not
//! at every open: checking every file of a 1M-paper index took 0.7 s of each start, warm.

use std::collections::HashSet;
use std::path::Path;

use tantivy::Index;

/// The ids of the segments checked so far, one per line, in the index folder (tantivy leaves
/// files it does not manage alone).
const CHECKED: &str = "topica-checked-segments";

/// Whether every file of the index's current segments holds its checksum; a file that does not
/// (truncated or overwritten) means the index must be rebuilt. Segments checked at an earlier
/// open are not read again.
pub(crate) fn segments_sound(index: &Index, dir: &Path) -> bool {
    let Ok(metas) = index.load_metas() else {
        return false;
    };
    let list = dir.join(CHECKED);
    let before = std::fs::read_to_string(&list).unwrap_or_default();
    let checked: HashSet<&str> = before.lines().collect();
    let current: Vec<String> = metas
        .segments
        .iter()
        .map(|s| s.id().uuid_string())
        .collect();
    let unchecked: Vec<&str> = current
        .iter()
        .map(String::as_str)
        .filter(|id| !checked.contains(id))
        .collect();
    if unchecked.is_empty() {
        return true;
    }
    // As `Index::validate_checksum`: the segments' files the directory manages (a missing one
    // is caught when the reader opens the segments).
    let managed = index.directory().list_managed_files();
    for path in metas.list_segment_files() {
        let name = path.to_string_lossy();
        if !unchecked.iter().any(|id| name.starts_with(id)) || !managed.contains(&path) {
            continue;
        }
        if !index.directory().validate_checksum(&path).unwrap_or(false) {
            return false;
        }
    }
    // Best effort: a list that cannot be written means checking again next time.
    let _ = std::fs::write(&list, current.join("\n"));
    true
}
