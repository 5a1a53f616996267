// Search-term highlighting in the detail pane: which words of a query to mark, and where.
// Produces segments (never HTML), so an abstract can't inject markup.

const FIELDS = /^(title|abstract|author|authors|year|tag|tags|topic|id|notes|fulltext):/i;
const OPERATORS = new Set(['and', 'or', 'not']);

/** The words of an engine query worth highlighting: no field names, operators, years or ids. */
export function queryTerms(query: string): string[] {
  const terms: string[] = [];
  const re = /"([^"]*)"?|(\S+)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(query))) {
    let tok = m[1] ?? m[2];
    if (m[2] !== undefined) {
      const field = tok.match(FIELDS);
      if (field) {
        const name = field[1].toLowerCase();
        if (name === 'year' || name === 'id' || name === 'tag' || name === 'tags') continue;
        tok = tok.slice(field[0].length);
      }
      tok = tok.replace(/^[-+(]+|[)~\d]*$/g, '').replace(/\*$/, '');
      if (tok.startsWith('"')) {
        // a fielded phrase: title:"deep learning" — the regex split it; take the words
        tok = tok.replace(/"/g, '');
      }
    }
    for (const w of tok.split(/\s+/)) {
      const word = w.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '');
      if (word.length >= 2 && !OPERATORS.has(word.toLowerCase())) terms.push(word.toLowerCase());
    }
  }
  return [...new Set(terms)];
}

export interface Segment {
  text: string;
  mark: boolean;
}

function escapeRe(s: string) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Splits `text` into marked and unmarked segments; terms match at word starts, any case. */
export function highlight(text: string, terms: string[]): Segment[] {
  if (!text) return [];
  if (terms.length === 0) return [{ text, mark: false }];
  const sorted = [...terms].sort((a, b) => b.length - a.length).map(escapeRe);
  const re = new RegExp(`(?<![\\p{L}\\p{N}])(${sorted.join('|')})[\\p{L}\\p{N}]*`, 'giu');
  const out: Segment[] = [];
  let last = 0;
  for (const m of text.matchAll(re)) {
    const i = m.index ?? 0;
    if (i > last) out.push({ text: text.slice(last, i), mark: false });
    out.push({ text: m[0], mark: true });
    last = i + m[0].length;
  }
  if (last < text.length) out.push({ text: text.slice(last), mark: false });
  return out;
}
