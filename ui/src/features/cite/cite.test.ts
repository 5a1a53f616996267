import { describe, expect, it } from 'vitest';
import { citation } from './cite';

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
