// Which words the viewer highlights: the words of the search that led to the page, and what
// is typed in "Find in document". Built on the search bar's own term extraction, so a word the
// list marked is the word the page marks.

import { queryTerms } from '../search/highlight';

/** The words to mark on a page: the query's (fields, operators, years dropped) and the find
 *  box's words, lower-cased, each once. */
export function viewerTerms(query: string, find = ''): string[] {
  const words = [...queryTerms(query), ...findWords(find)];
  return [...new Set(words)];
}

/** The words of a "Find in document" text (at least one letter or digit each). */
export function findWords(find: string): string[] {
  return find
    .split(/\s+/)
    .map((w) => w.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '').toLowerCase())
    .filter((w) => w.length > 0);
}

/** Text as the finder compares it: lower case, runs of white space (and line breaks, and the
 *  hyphen of a word broken at a line's end) made one space, so a phrase across lines is found. */
export function normalize(text: string): string {
  return text.replace(/(\p{L})-\s*\n\s*(\p{L})/gu, '$1$2').replace(/\s+/g, ' ').toLowerCase();
}

/** The pages (1-based) that hold `needle`, with how many times, in page order. */
export function findInPages(pages: string[], needle: string): { page: number; count: number }[] {
  const n = normalize(needle).trim();
  if (!n) return [];
  const out: { page: number; count: number }[] = [];
  pages.forEach((text, i) => {
    const hay = normalize(text);
    let count = 0;
    for (let at = hay.indexOf(n); at >= 0; at = hay.indexOf(n, at + n.length)) count++;
    if (count > 0) out.push({ page: i + 1, count });
  });
  return out;
}

/** The next page with a match after `page` (or before it, `dir` -1), wrapping around; null
 *  when nothing matched. */
export function nextMatch(matches: { page: number }[], page: number, dir: 1 | -1): number | null {
  if (matches.length === 0) return null;
  const pages = matches.map((m) => m.page);
  if (dir > 0) return pages.find((p) => p > page) ?? pages[0];
  return [...pages].reverse().find((p) => p < page) ?? pages[pages.length - 1];
}
