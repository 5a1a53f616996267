import { describe, expect, it } from 'vitest';
import { findInPages, findWords, nextMatch, normalize, viewerTerms } from './terms';

describe('viewerTerms', () => {
  it('takes the words of a full-text query and of the find box, once each', () => {
    expect(viewerTerms('fulltext:zygomorphic')).toEqual(['zygomorphic']);
    expect(viewerTerms('fulltext:"zygomorphic flowers" year:2020 AND tag:todo', 'Flowers quokka')).toEqual([
      'zygomorphic',
      'flowers',
      'quokka',
    ]);
    expect(viewerTerms('', '')).toEqual([]);
  });
  it('find words keep letters and digits, lower-cased', () => {
    expect(findWords('  "Quokka," (2019) ')).toEqual(['quokka', '2019']);
    expect(findWords('— ')).toEqual([]);
  });
});

describe('findInPages', () => {
  const pages = ['An introduction.\nNothing here', 'The zygo-\nmorphic flower; zygomorphic again', 'A quokka\nsmiles'];
  it('counts matches per page, any case, across line breaks and hyphenation', () => {
    expect(findInPages(pages, 'Zygomorphic')).toEqual([{ page: 2, count: 2 }]);
    expect(findInPages(pages, 'quokka smiles')).toEqual([{ page: 3, count: 1 }]);
    expect(findInPages(pages, 'wombat')).toEqual([]);
    expect(findInPages(pages, '   ')).toEqual([]);
  });
  it('normalizes white space and joins a word broken at a line end', () => {
    expect(normalize('A  B\n\tC')).toBe('a b c');
    expect(normalize('zygo-\n  morphic')).toBe('zygomorphic');
  });
  it('goes to the next or previous page with a match, wrapping around', () => {
    const m = [{ page: 2 }, { page: 5 }];
    expect(nextMatch(m, 1, 1)).toBe(2);
    expect(nextMatch(m, 2, 1)).toBe(5);
    expect(nextMatch(m, 5, 1)).toBe(2);
    expect(nextMatch(m, 5, -1)).toBe(2);
    expect(nextMatch(m, 2, -1)).toBe(5);
    expect(nextMatch([], 1, 1)).toBeNull();
  });
});
