import { describe, expect, it } from 'vitest';
import { chosenValue, styleChoices, styleLabel } from './styles';
import type { StyleEntry } from '../../lib/ipc/bindings';

const apa: StyleEntry = { name: 'apa', title: 'APA Style 7th edition', bundled: true, parent: null };
const chicago: StyleEntry = { name: 'chicago', title: 'Chicago (author-date)', bundled: true, parent: null };
const acs: StyleEntry = { name: 'acs', title: 'ACS Guide', bundled: false, parent: null };
const nlm: StyleEntry = { name: 'vancouver-nlm', title: 'Vancouver - NLM', bundled: false, parent: 'vancouver' };

describe('style picker', () => {
  it('labels added styles with their name and parent', () => {
    expect(styleLabel(apa)).toBe('APA Style 7th edition');
    expect(styleLabel(acs)).toBe('ACS Guide (added: acs)');
    expect(styleLabel(nlm)).toBe('Vancouver - NLM (added: vancouver-nlm, as vancouver)');
  });
  it('keeps a chosen style that is no longer listed selectable', () => {
    expect(styleChoices([apa, acs], 'acs')).toHaveLength(2);
    const gone = styleChoices([apa], 'acs');
    expect(gone).toHaveLength(2);
    expect(gone[1].title).toContain('not in this library');
  });
  it('reads the old setting chicago-author-date as chicago', () => {
    expect(styleChoices([apa, chicago], 'chicago-author-date')).toHaveLength(2);
    expect(chosenValue('chicago-author-date')).toBe('chicago');
    expect(chosenValue('acs')).toBe('acs');
  });
});
