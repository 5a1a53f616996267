// Files dropped on the window: where they land decides what happens. On a paper's row or on the
// detail pane they are attached to that paper; elsewhere PDFs and folders are imported as
// papers, and bibliography files (.bib, .ris, .json…) are imported as before.

/** Files the bibliography importer reads, a Zotero database among them (the rest of a drop
 *  elsewhere goes to the PDF import). */
const BIBLIOGRAPHY = /\.(bib|bibtex|biblatex|ris|json|jsonl|xml|atom|txt|csv|tsv|sqlite)$/i;

export interface DropPlan {
  /** PDFs and folders (anything without a bibliography's extension), for the PDF import. */
  pdfs: string[];
  /** Bibliography files, for the file import. */
  bibliographies: string[];
}

/** Splits a drop that landed outside any paper. A path without an extension is most likely a
 *  folder, which the PDF import searches for PDFs (it reports anything else it is given). */
export function planDrop(paths: string[]): DropPlan {
  const plan: DropPlan = { pdfs: [], bibliographies: [] };
  for (const p of paths) (BIBLIOGRAPHY.test(p) ? plan.bibliographies : plan.pdfs).push(p);
  return plan;
}

/** What a drop at an element lands on: a paper (a list row, or the detail pane showing one),
 *  or nothing in particular. Reads `data-drop-paper` set by the row and the pane. */
export function dropPaperAt(el: Element | null): number | null {
  const host = el?.closest('[data-drop-paper]');
  if (!host) return null;
  const id = Number(host.getAttribute('data-drop-paper'));
  return Number.isInteger(id) && id > 0 ? id : null;
}
