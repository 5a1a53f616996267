import { describe, expect, it } from 'vitest';
import type { Paper } from '../../lib/ipc/bindings';
import { choicesToSend, defaultSource, fieldRows } from './merge';

function paper(id: number, p: Partial<Paper>): Paper {
  return {
    id, arxivId: null, arxivVersion: null, doi: null, title: null, authors: [], editors: [], year: null, month: null,
    abstract: null, categories: [], journalRef: null, comments: null, kind: null, container: null, volume: null,
    issue: null, pages: null, publisher: null, url: null, citationKey: null, extra: {}, tags: [], collections: [],
    notes: '', read: false, starred: false, dateAdded: '', edited: [], ...p,
  } as Paper;
}

const preprint = paper(1, { title: 'Deep Residual Learning', year: 2015, arxivId: '1512.03385', citationKey: 'he2015' });
const published = paper(2, { title: 'Deep residual learning', year: 2016, doi: '10.1109/cvpr.2016.90', pages: '770--778', citationKey: 'he2016' });

describe('the merge form', () => {
  it('shows the fields either record has and marks the ones they disagree on', () => {
    const rows = fieldRows([preprint, published]);
    expect(rows.map((r) => r.field)).toEqual(['title', 'year', 'pages', 'doi', 'arxiv_id', 'citation_key']);
    expect(rows.filter((r) => r.differs).map((r) => r.field)).toEqual(['title', 'year', 'citation_key']);
  });

  it("takes the kept record's value, or the one record that has one", () => {
    const rows = fieldRows([preprint, published]);
    const byField = Object.fromEntries(rows.map((r) => [r.field, r]));
    expect(defaultSource(byField.title, [preprint, published], 1)).toBe(1);
    expect(defaultSource(byField.title, [preprint, published], 2)).toBe(2);
    expect(defaultSource(byField.doi, [preprint, published], 1)).toBe(2);
  });

  it('sends only the choices the engine would not make itself', () => {
    const papers = [preprint, published];
    const rows = fieldRows(papers);
    expect(choicesToSend(rows, papers, 1, { title: 1, doi: 2 })).toEqual({});
    expect(choicesToSend(rows, papers, 1, { title: 2, year: 2 })).toEqual({ title: 2, year: 2 });
  });
});
