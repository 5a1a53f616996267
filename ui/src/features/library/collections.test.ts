import { describe, expect, it } from 'vitest';
import { collectionRows } from './collections';

describe('collection rows', () => {
  it('put each parent before its children, whatever the characters sort as', () => {
    const rows = collectionRows([
      ['Thesis/Chapter 2', 3],
      ['Thesis B', 1],
      ['Thesis', 5],
      ['reading', 2],
      ['Thesis/Chapter 2/Figures', 1],
    ]);
    expect(rows.map((r) => [r.path, r.depth, r.label])).toEqual([
      ['reading', 0, 'reading'],
      ['Thesis', 0, 'Thesis'],
      ['Thesis/Chapter 2', 1, 'Chapter 2'],
      ['Thesis/Chapter 2/Figures', 2, 'Figures'],
      ['Thesis B', 0, 'Thesis B'],
    ]);
  });
});
