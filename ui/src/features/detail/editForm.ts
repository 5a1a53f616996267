// The edit form's model: a paper's editable fields as text, and the engine edit that names only
// what changed (so an untouched field is never marked as the user's).

import type { Author, Paper, PaperEdit } from '../../lib/ipc/bindings';

export const FIELD_NAMES = ['title', 'year', 'month', 'kind', 'container', 'volume', 'issue', 'pages', 'publisher', 'doi', 'url', 'arxiv_id', 'citation_key', 'abstract'] as const;
export type FieldName = (typeof FIELD_NAMES)[number];

export type Form = { fields: Record<FieldName, string>; authors: { family: string; given: string }[] };

function textOf(p: Paper, name: FieldName): string {
  const v = {
    title: p.title, year: p.year, month: p.month, kind: p.kind, container: p.container, volume: p.volume, issue: p.issue,
    pages: p.pages, publisher: p.publisher, doi: p.doi, url: p.url, arxiv_id: p.arxivId, citation_key: p.citationKey, abstract: p.abstract,
  }[name];
  return v === null || v === undefined ? '' : String(v);
}

export function formOf(p: Paper): Form {
  const fields = Object.fromEntries(FIELD_NAMES.map((n) => [n, textOf(p, n)])) as Record<FieldName, string>;
  return { fields, authors: p.authors.map((a) => ({ family: a.family, given: a.given ?? '' })) };
}

/** The fields whose text changed, and the author list when it changed (order included). */
export function diffEdit(p: Paper, form: Form): PaperEdit {
  const fields: Record<string, string> = {};
  for (const n of FIELD_NAMES) {
    if (form.fields[n].trim() !== textOf(p, n).trim()) fields[n] = form.fields[n];
  }
  const authors: Author[] = form.authors
    .filter((a) => a.family.trim() || a.given.trim())
    .map((a) => {
      // Keep what the form does not show (particle, suffix, literal) for authors left as they were.
      const same = p.authors.find((o) => o.family === a.family.trim() && (o.given ?? '') === a.given.trim());
      return same ?? { family: a.family.trim(), given: a.given.trim() };
    });
  const changed = authors.length !== p.authors.length || authors.some((a, i) => a !== p.authors[i]);
  return changed ? { fields, authors } : { fields };
}
