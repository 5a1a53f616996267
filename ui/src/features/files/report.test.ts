import { describe, expect, it } from 'vitest';
import { baseName, groupReport, summary } from './report';
import type { PdfImportReport } from '../../lib/ipc/bindings';

const report: PdfImportReport = {
  files: [
    { path: '/papers/a.pdf', outcome: { kind: 'added' }, paperId: 1, title: 'A', note: 'metadata fetched for arXiv 2101.00001' },
    { path: '/papers/broken.pdf', outcome: { kind: 'failed', reason: 'the file is damaged' }, note: '' },
    { path: '/papers/b.pdf', outcome: { kind: 'merged' }, paperId: 2, title: 'B', note: '' },
    { path: '/papers/c.pdf', outcome: { kind: 'added' }, paperId: 3, title: 'C', note: 'no arXiv id or DOI found' },
    { path: 'C:\\papers\\d.pdf', outcome: { kind: 'alreadyThere' }, paperId: 2, title: 'B', note: '' },
  ],
  added: 2,
  merged: 1,
  failed: 1,
};

describe('groupReport', () => {
  it('puts failures first, then added, merged and already there, each in report order', () => {
    const groups = groupReport(report);
    expect(groups.map((g) => g.kind)).toEqual(['failed', 'added', 'merged', 'alreadyThere']);
    expect(groups[1].files.map((f) => f.title)).toEqual(['A', 'C']);
    expect(groups[0].heading).toBe('Not imported');
  });
  it('leaves out empty groups', () => {
    const only = groupReport({ ...report, files: report.files.slice(0, 1) });
    expect(only.map((g) => g.kind)).toEqual(['added']);
    expect(groupReport({ files: [], added: 0, merged: 0, failed: 0 })).toEqual([]);
  });
  it('sums up in one line, naming files already there only when there are some', () => {
    expect(summary(report)).toBe('2 added · 1 attached to papers already here · 1 already there · 1 not imported');
    expect(summary({ files: [], added: 0, merged: 0, failed: 0 })).toBe('0 added · 0 attached to papers already here · 0 not imported');
  });
  it('names a file by its last path part, either separator', () => {
    expect(baseName('/papers/a.pdf')).toBe('a.pdf');
    expect(baseName('C:\\papers\\d.pdf')).toBe('d.pdf');
  });
});
