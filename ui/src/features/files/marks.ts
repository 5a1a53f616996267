// Marks words in a rendered text layer: each span's text is split with the search bar's own
// highlighter (words starting with a term, any case) and the matches wrapped in <mark>. Text
// nodes only — never HTML — so a PDF's text cannot inject markup.

import { highlight } from '../search/highlight';

/** Wraps the words of `terms` found in `layer`'s spans in `<mark>`; returns how many. Marks left
 *  by an earlier call are undone first, so it can be called again as the terms change. */
export function markTerms(layer: HTMLElement, terms: string[]): number {
  clearMarks(layer);
  if (terms.length === 0) return 0;
  let count = 0;
  const doc = layer.ownerDocument;
  for (const span of Array.from(layer.querySelectorAll('span'))) {
    // Leaf spans only (pdf.js nests spans for marked content).
    if (span.children.length > 0) continue;
    const text = span.textContent ?? '';
    const segs = highlight(text, terms);
    if (!segs.some((s) => s.mark)) continue;
    const frag = doc.createDocumentFragment();
    for (const s of segs) {
      if (s.mark) {
        const m = doc.createElement('mark');
        m.className = 'term';
        m.textContent = s.text;
        frag.append(m);
        count++;
      } else {
        frag.append(doc.createTextNode(s.text));
      }
    }
    span.replaceChildren(frag);
  }
  return count;
}

/** Takes the marks of `markTerms` out again, leaving the spans' text as it was. */
export function clearMarks(layer: HTMLElement) {
  for (const m of Array.from(layer.querySelectorAll('mark.term'))) {
    const span = m.parentElement;
    m.replaceWith(m.ownerDocument.createTextNode(m.textContent ?? ''));
    span?.normalize();
  }
}
