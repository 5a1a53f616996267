import { describe, expect, it } from 'vitest';
import { backupLabel, restoreQuestion } from './backups';

const daily = { path: '/lib/backups/library-2026-12-05T140300Z.sqlite', takenAt: '2026-12-05T14:03:00Z', bytes: 1_234_567, beforeRestore: false };

describe('backups', () => {
  it('names a backup by its time and size', () => {
    const label = backupLabel(daily, 'en-GB');
    expect(label).toContain('2026');
    expect(label).toContain('Dec');
    expect(label).toContain('1.2 MB');
    expect(label).not.toContain('restore');
  });
  it('says which backup holds the library from before a restore', () => {
    expect(backupLabel({ ...daily, beforeRestore: true }, 'en-GB')).toContain('before a restore');
  });
  it('asks before replacing the library, and says the present is kept', () => {
    const q = restoreQuestion(daily, 'en-GB');
    expect(q).toContain('2026');
    expect(q).toContain('backed up first');
  });
});
