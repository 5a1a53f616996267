import { describe, expect, it } from 'vitest';
import { planOpen } from './opened';

describe('planOpen', () => {
  it('sends each file to the sheet that takes it and shows the linked paper', () => {
    const plan = planOpen({
      files: ['/home/a/refs.bib', '/home/a/paper.pdf', '/home/a/apa-6th.csl', '/home/a/dump.ris'],
      papers: [12, 40],
      refused: ['/home/a/gone.bib: no such file'],
    });
    expect(plan.bibliographies).toEqual(['/home/a/refs.bib', '/home/a/dump.ris']);
    expect(plan.pdfs).toEqual(['/home/a/paper.pdf']);
    expect(plan.styles).toEqual(['/home/a/apa-6th.csl']);
    expect(plan.paper).toBe(40);
    expect(plan.refused).toHaveLength(1);
  });
  it('asks nothing of an empty request', () => {
    const plan = planOpen({ files: [], papers: [], refused: [] });
    expect(plan).toEqual({ pdfs: [], bibliographies: [], styles: [], paper: null, refused: [] });
  });
});
