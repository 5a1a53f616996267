//! Backups: copies of the database taken while the library is open, kept in the library's
//! `backups/` folder, and a library put back from one.
//!
//! The app takes one a day (`daily_backup`) and keeps them for the number of days the user
//! chose; `topica-cli backup` takes one when asked. Only the database is copied: attached files
//! live in `files/` and are never deleted by Topica (an emptied trash moves them to the
//! system's trash), and the search index is rebuilt from the database.

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::library::{rfc3339, unix_now};
use crate::{db, Error, Library, Result};

/// The folder of a library that holds its backups.
pub const BACKUP_DIR: &str = "backups";

/// A backup's name: `library-<UTC time>.sqlite`; the time without colons, which Windows
/// refuses in file names.
const PREFIX: &str = "library-";
const SUFFIX: &str = ".sqlite";
/// The name's end for the copy a restore takes of what it replaces (never pruned).
const BEFORE_RESTORE: &str = "-before-restore";

/// One backup file.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct BackupFile {
    pub path: String,
    /// When it was taken (RFC 3339 UTC), from its name.
    pub taken_at: String,
    pub bytes: u64,
    /// The copy a restore took of the library it replaced.
    pub before_restore: bool,
}

/// What a restore did.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct RestoreReport {
    /// The backup the library now holds.
    pub restored: String,
    /// A backup of the library as it was just before, to go back to.
    pub previous: BackupFile,
    /// Papers in the library now (trash left out).
    pub papers: usize,
}

/// `2026-12-05T14:03:00Z` → `2026-12-05T140300Z`.
fn stamp(secs: i64) -> String {
    rfc3339(secs).replace(':', "")
}

/// The stamp of a backup's file name and whether it is a before-restore copy; `None` for
/// files Topica did not name.
fn parse_name(name: &str) -> Option<(String, bool)> {
    let middle = name.strip_prefix(PREFIX)?.strip_suffix(SUFFIX)?;
    let (stamp, before) = match middle.strip_suffix(BEFORE_RESTORE) {
        Some(s) => (s, true),
        None => (middle, false),
    };
    // 2026-12-05T140300Z, optionally -2, -3… when two were taken in one second.
    let stamp = stamp.split_once("Z-").map_or(stamp, |(s, _)| s);
    let stamp = stamp.strip_suffix('Z').unwrap_or(stamp);
    let ok = stamp.len() == 17
        && stamp.char_indices().all(|(i, c)| match i {
            4 | 7 => c == '-',
            10 => c == 'T',
            _ => c.is_ascii_digit(),
        });
    ok.then(|| (format!("{stamp}Z"), before))
}

/// `2026-12-05T140300Z` → `2026-12-05T14:03:00Z`.
fn taken_at(stamp: &str) -> String {
    let (date, time) = stamp.split_at(11);
    format!("{date}{}:{}:{}Z", &time[0..2], &time[2..4], &time[4..6])
}

impl Library {
    /// The library's backup folder.
    pub fn backup_dir(&self) -> PathBuf {
        self.dir().join(BACKUP_DIR)
    }

    /// Takes a backup now: into `to` when given, else into the backup folder.
    pub fn backup(&self, to: Option<&Path>) -> Result<BackupFile> {
        match to {
            Some(path) => {
                db::backup::backup_to(&self.conn(), path)?;
                let bytes = std::fs::metadata(path)
                    .map_err(|e| Error::file(path, e))?
                    .len();
                Ok(BackupFile {
                    path: path.display().to_string(),
                    taken_at: rfc3339(unix_now()),
                    bytes,
                    before_restore: false,
                })
            }
            None => self.backup_named(""),
        }
    }

    fn backup_named(&self, tail: &str) -> Result<BackupFile> {
        let dir = self.backup_dir();
        std::fs::create_dir_all(&dir).map_err(|e| Error::file(&dir, e))?;
        let now = stamp(unix_now());
        let mut path = dir.join(format!("{PREFIX}{now}{tail}{SUFFIX}"));
        let mut n = 2;
        while path.exists() {
            path = dir.join(format!("{PREFIX}{now}-{n}{tail}{SUFFIX}"));
            n += 1;
        }
        db::backup::backup_to(&self.conn(), &path)?;
        let bytes = std::fs::metadata(&path)
            .map_err(|e| Error::file(&path, e))?
            .len();
        Ok(BackupFile {
            path: path.display().to_string(),
            taken_at: taken_at(&now),
            bytes,
            before_restore: !tail.is_empty(),
        })
    }

    /// The backups in the backup folder, the newest first. Files Topica did not name are
    /// left out.
    pub fn backups(&self) -> Result<Vec<BackupFile>> {
        let dir = self.backup_dir();
        let entries = match std::fs::read_dir(&dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(Error::file(&dir, e)),
        };
        let mut found = Vec::new();
        for entry in entries {
            let entry = entry.map_err(|e| Error::file(&dir, e))?;
            let name = entry.file_name().to_string_lossy().into_owned();
            let Some((stamp, before_restore)) = parse_name(&name) else {
                continue;
            };
            let bytes = entry.metadata().map(|m| m.len()).unwrap_or(0);
            found.push((
                stamp.clone(),
                name,
                BackupFile {
                    path: entry.path().display().to_string(),
                    taken_at: taken_at(&stamp),
                    bytes,
                    before_restore,
                },
            ));
        }
        // Newest first; in one second, the later numbered name first.
        found.sort_by(|a, b| (&b.0, b.1.len(), &b.1).cmp(&(&a.0, a.1.len(), &a.1)));
        Ok(found.into_iter().map(|(_, _, b)| b).collect())
    }

    /// Takes the day's backup unless one was taken in the last 24 hours, then deletes the
    /// daily backups older than `keep_days` (never the newest one, nor a before-restore copy).
    /// Returns the backup taken, if any. `keep_days` 0 turns daily backups off.
    pub fn daily_backup(&self, keep_days: u32) -> Result<Option<BackupFile>> {
        if keep_days == 0 {
            return Ok(None);
        }
        let now = unix_now();
        let day_ago = stamp(now - 86_400);
        let recent = self
            .backups()?
            .iter()
            .any(|b| !b.before_restore && b.taken_at.replace(':', "") > day_ago);
        let taken = if recent {
            None
        } else {
            Some(self.backup_named("")?)
        };
        let cutoff = stamp(now - i64::from(keep_days) * 86_400);
        for old in self
            .backups()?
            .into_iter()
            .filter(|b| !b.before_restore)
            .skip(1)
            .filter(|b| b.taken_at.replace(':', "") < cutoff)
        {
            std::fs::remove_file(&old.path).map_err(|e| Error::file(&old.path, e))?;
        }
        Ok(taken)
    }

    /// Replaces the library's database with the backup at `from`, after checking that it is
    /// a sound Topica library and taking a backup of the library as it is (so the restore can
    /// itself be undone by restoring that). The search index is rebuilt; attached files are
    /// not touched.
    pub fn restore_backup(&self, from: &Path) -> Result<RestoreReport> {
        db::backup::check_backup(from)?;
        let previous = self.backup_named(BEFORE_RESTORE)?;
        {
            let mut conn = self.conn();
            let before = db::meta::generation(&conn)?;
            db::backup::restore_from(&mut conn, from)?;
            // Everything that follows the library by its generation (keep-updated exports,
            // the app's refresh, the index's freshness) must see a change, even where the
            // backup's number is lower than the one it replaced.
            let restored = db::meta::generation(&conn)?;
            db::meta::set(&conn, "generation", &(before.max(restored) + 1).to_string())?;
        }
        // A restore need not move the stamps the caches are kept by.
        *self
            .primary_leaves
            .lock()
            .unwrap_or_else(|p| p.into_inner()) = None;
        *self
            .leaf_centroids
            .lock()
            .unwrap_or_else(|p| p.into_inner()) = None;
        let papers = self.rebuild_index()?;
        Ok(RestoreReport {
            restored: from.display().to_string(),
            previous,
            papers,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_read_back_and_others_left_alone() {
        assert_eq!(
            parse_name("library-2026-12-05T140300Z.sqlite"),
            Some(("2026-12-05T140300Z".into(), false))
        );
        assert_eq!(
            parse_name("library-2026-12-05T140300Z-2-before-restore.sqlite"),
            Some(("2026-12-05T140300Z".into(), true))
        );
        assert_eq!(parse_name("library-mine.sqlite"), None);
        assert_eq!(parse_name("library.sqlite"), None);
        assert_eq!(taken_at("2026-12-05T140300Z"), "2026-12-05T14:03:00Z");
        assert_eq!(stamp(0), "1970-01-01T000000Z");
    }
}
