import { describe, expect, it } from 'vitest';
import { facts, fileSize, isPdf, textNote } from './format';
import type { AttachedFile } from '../../lib/ipc/bindings';

const file = (over: Partial<AttachedFile>): AttachedFile => ({
  id: 1, paperId: 1, name: 'paper.pdf', path: '/lib/files/key.pdf', linked: false, size: 123_456, pages: 12,
  addedAt: '2026-01-01T00:00:00Z', text: { state: 'read' }, missing: false, ...over,
});

describe('file descriptions', () => {
  it('sizes files in decimal units', () => {
    expect(fileSize(999)).toBe('999 B');
    expect(fileSize(1_234)).toBe('1.2 KB');
    expect(fileSize(123_456)).toBe('123 KB');
    expect(fileSize(5_400_000)).toBe('5.4 MB');
    expect(fileSize(2_000_000_000)).toBe('2.0 GB');
  });
  it('says why text could not be read, and nothing when it was or the file is no PDF', () => {
    expect(textNote({ state: 'read' })).toBeNull();
    expect(textNote({ state: 'notPdf' })).toBeNull();
    expect(textNote({ state: 'noTextLayer' })).toBe('no text layer — scanned?');
    expect(textNote({ state: 'unreadable', reason: 'the file is encrypted' })).toBe('text could not be read: the file is encrypted');
    expect(textNote({ state: 'pending' })).toBe('text not read yet');
  });
  it('lists pages, size and where the file lives', () => {
    expect(facts(file({}))).toBe('12 pages · 123 KB · in the library');
    expect(facts(file({ pages: 1, linked: true }))).toBe('1 page · 123 KB · linked');
    expect(facts(file({ pages: undefined, name: 'notes.txt' }))).toBe('123 KB · in the library');
  });
  it('offers the in-app reader for PDFs only', () => {
    expect(isPdf(file({}))).toBe(true);
    expect(isPdf(file({ name: 'SCAN.PDF', text: { state: 'noTextLayer' } }))).toBe(true);
    expect(isPdf(file({ name: 'data.csv', path: '/x/data.csv', text: { state: 'notPdf' } }))).toBe(false);
  });
});
