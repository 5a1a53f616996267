import { describe, expect, it } from 'vitest';
import { diffEdit, formOf } from './editForm';
import type { Paper } from '../../lib/ipc/bindings';

const paper = {
  id: 1, title: 'Old title', authors: [{ family: 'van Gogh', given: 'Vincent', particle: 'van' }, { family: 'Doe', given: 'J.' }],
  year: 2020, month: null, doi: null, arxivId: '2101.00001', abstract: 'A.', citationKey: 'gogh2020',
} as unknown as Paper;

describe('the edit form', () => {
  it('names only the fields that changed', () => {
    const f = formOf(paper);
    expect(diffEdit(paper, f)).toEqual({ fields: {} });
    f.fields.title = 'New title';
    f.fields.year = '2021';
    expect(diffEdit(paper, f)).toEqual({ fields: { title: 'New title', year: '2021' } });
  });

  it('sends the author list when its order changes, keeping what the form does not show', () => {
    const f = formOf(paper);
    f.authors.reverse();
    const e = diffEdit(paper, f);
    expect(e.authors).toEqual([paper.authors[1], paper.authors[0]]);
    const g = formOf(paper);
    g.authors.push({ family: '', given: '' }); // an empty row added and left empty
    expect(diffEdit(paper, g).authors).toBeUndefined();
  });
});
