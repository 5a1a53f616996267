import { describe, expect, it } from 'vitest';
import { citation, entryHtml } from './cite';

describe('citation', () => {
  const style = async () => 'Vaswani, A. (2017). Attention is all you need.\n';
  it('writes LaTeX and Pandoc citations from the key', async () => {
    expect(await citation('latex', 'vaswani2017attention', style)).toBe('\\cite{vaswani2017attention}');
    expect(await citation('pandoc', 'vaswani2017attention', style)).toBe('[@vaswani2017attention]');
  });
  it('renders the reference in the style, trimmed, and needs no key for it', async () => {
    expect(await citation('reference', null, style)).toBe('Vaswani, A. (2017). Attention is all you need.');
  });
  it('says why a paper without a key cannot be cited by key', async () => {
    await expect(citation('latex', null, style)).rejects.toThrow(/no citation key/);
  });
});

describe('entryHtml', () => {
  it('takes the entry out of citeproc-js markup, italics kept', () => {
    const html = '<div class="csl-bib-body">\n  <div class="csl-entry">Vaswani, A. (2017). <i>Attention is all you need</i>.</div>\n</div>\n';
    expect(entryHtml(html)).toBe('Vaswani, A. (2017). <i>Attention is all you need</i>.');
  });
  it('leaves other text as it is, trimmed', () => {
    expect(entryHtml(' plain ')).toBe('plain');
  });
});
