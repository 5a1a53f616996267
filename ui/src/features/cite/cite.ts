// What Quick cite copies, by mode: kept apart from the palette so it is tested on its own.

export type CiteMode = 'latex' | 'pandoc' | 'reference';

/** The citation of a paper with `key` in `mode`; `reference` renders it in the citation style. */
export async function citation(mode: CiteMode, key: string | null, reference: () => Promise<string>): Promise<string> {
  if (mode === 'reference') return (await reference()).trim();
  if (!key) throw new Error('This paper has no citation key yet; export it once, or set one in its edit form.');
  return mode === 'latex' ? `\\cite{${key}}` : `[@${key}]`;
}

/** The entry of a style's HTML bibliography (citeproc-js markup: a `csl-bib-body` of
 *  `csl-entry` divs), as a fragment to paste: the entry's inner HTML, or the whole text trimmed
 *  when it is not that markup. */
export function entryHtml(html: string): string {
  const m = /<div class="csl-entry"[^>]*>([\s\S]*?)<\/div>/.exec(html);
  return (m ? m[1] : html).trim();
}
