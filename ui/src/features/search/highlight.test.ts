import { describe, expect, it } from 'vitest';
import { highlight, queryTerms } from './highlight';

describe('queryTerms', () => {
  it('drops field names, operators, years and keeps phrase words', () => {
    expect(queryTerms('"speech enhancement" AND author:smith year:2021 transform*')).toEqual([
      'speech',
      'enhancement',
      'smith',
      'transform',
    ]);
    expect(queryTerms('tag:todo -diffusion')).toEqual(['diffusion']);
    expect(queryTerms('')).toEqual([]);
    // Full-text queries highlight their words too (in the PDF viewer).
    expect(queryTerms('fulltext:zygomorphic fulltext:"marsupial quokka"')).toEqual(['zygomorphic', 'marsupial', 'quokka']);
  });
});

describe('highlight', () => {
  it('marks whole words starting with a term, any case', () => {
    const segs = highlight('Transformers transform speech. Retransform no.', ['transform']);
    expect(segs.filter((s) => s.mark).map((s) => s.text)).toEqual(['Transformers', 'transform']);
    expect(segs.map((s) => s.text).join('')).toBe('Transformers transform speech. Retransform no.');
  });
  it('escapes regex characters in terms and returns plain text without terms', () => {
    const segs = highlight('a (b) c .*', ['(b', '.*']);
    expect(segs.map((s) => s.text).join('')).toBe('a (b) c .*');
    expect(segs.filter((s) => s.mark).map((s) => s.text)).toEqual(['(b', '.*']);
    expect(highlight('abc', [])).toEqual([{ text: 'abc', mark: false }]);
  });
});
