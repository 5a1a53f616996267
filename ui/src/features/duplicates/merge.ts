// The merge form's rules: which fields differ between the records of a duplicate group, and
// which record's value each field takes (the kept record's, or the first one that has a value,
// unless the user chose another).

import type { Author, Paper } from '../../lib/ipc/bindings';

/** The fields the form shows, in order, with the engine's field names. */
export const MERGE_FIELDS: [field: string, label: string][] = [
  ['title', 'Title'],
  ['authors', 'Authors'],
  ['year', 'Year'],
  ['kind', 'Type'],
  ['container', 'Journal / proceedings'],
  ['volume', 'Volume'],
  ['issue', 'Issue'],
  ['pages', 'Pages'],
  ['publisher', 'Publisher'],
  ['doi', 'DOI'],
  ['arxiv_id', 'arXiv'],
  ['url', 'URL'],
  ['abstract', 'Abstract'],
  ['citation_key', 'Citation key'],
];

function names(authors: Author[]): string {
  return authors.map((a) => (a.given ? `${a.family}, ${a.given}` : a.family)).join('; ');
}

/** A field's value as the form shows it ('' when the record has none). */
export function shown(p: Paper, field: string): string {
  switch (field) {
    case 'title': return p.title ?? '';
    case 'authors': return names(p.authors);
    case 'year': return p.year == null ? '' : String(p.year);
    case 'kind': return p.kind ?? '';
    case 'container': return p.container ?? '';
    case 'volume': return p.volume ?? '';
    case 'issue': return p.issue ?? '';
    case 'pages': return p.pages ?? '';
    case 'publisher': return p.publisher ?? '';
    case 'doi': return p.doi ?? '';
    case 'arxiv_id': return p.arxivId ?? '';
    case 'url': return p.url ?? '';
    case 'abstract': return p.abstract ?? '';
    case 'citation_key': return p.citationKey ?? '';
    default: return '';
  }
}

export type FieldRow = {
  field: string;
  label: string;
  /** Each record's value, in the records' order. */
  values: string[];
  /** Whether the records disagree (only then is there a choice to make). */
  differs: boolean;
};

/** The rows of the form: fields at least one record has. */
export function fieldRows(papers: Paper[]): FieldRow[] {
  return MERGE_FIELDS.map(([field, label]) => {
    const values = papers.map((p) => shown(p, field));
    const present = new Set(values.filter((v) => v !== ''));
    return { field, label, values, differs: present.size > 1 };
  }).filter((r) => r.values.some((v) => v !== ''));
}

/** The record whose value a field takes by default: the kept one's if it has one. */
export function defaultSource(row: FieldRow, papers: Paper[], keep: number): number {
  const k = papers.findIndex((p) => p.id === keep);
  if (k >= 0 && row.values[k] !== '') return keep;
  const i = row.values.findIndex((v) => v !== '');
  return papers[i >= 0 ? i : 0].id;
}

/**
 * What to send with the merge: only the fields whose chosen record is not the one the engine
 * would take anyway. The citation key stays the kept record's unless chosen (the others' keys
 * become aliases).
 */
export function choicesToSend(
  rows: FieldRow[],
  papers: Paper[],
  keep: number,
  chosen: Record<string, number>,
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const row of rows) {
    const pick = chosen[row.field];
    if (pick === undefined || pick === defaultSource(row, papers, keep)) continue;
    out[row.field] = pick;
  }
  return out;
}
