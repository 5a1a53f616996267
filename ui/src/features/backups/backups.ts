// How a backup is named in File → Restore from backup….

import type { BackupFile } from '../../lib/ipc/bindings';
import { fileSize } from '../files/format';

/** "5 Dec 2026, 14:03 · 1.2 MB", the time in the user's zone, plus what the backup is when it
 *  is not a daily or by-hand one. */
export function backupLabel(b: BackupFile, locale?: string): string {
  const when = new Date(b.takenAt).toLocaleString(locale, {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  });
  const what = b.beforeRestore ? ' · the library before a restore' : '';
  return `${when} · ${fileSize(b.bytes)}${what}`;
}

/** The confirmation a restore asks for. */
export function restoreQuestion(b: BackupFile, locale?: string): string {
  const when = new Date(b.takenAt).toLocaleString(locale, { dateStyle: 'medium', timeStyle: 'short' });
  return `Put the library back as it was on ${when}? Papers added or changed since then go; the library as it is now is backed up first, so you can come back to it.`;
}
