// What the app was asked to open from outside the window (its command line: a double-clicked
// file, a topica:// link, a second launch handing over its arguments): sorted into the sheets
// that take each kind.

import type { OpenRequest } from '../../lib/ipc/bindings';
import { planDrop } from '../files/drop';

export interface OpenPlan {
  /** PDFs and folders, for the PDF import. */
  pdfs: string[];
  /** Bibliographies, for the import sheet. */
  bibliographies: string[];
  /** CSL style files, to add to the citation styles. */
  styles: string[];
  /** The paper to show (the last link's). */
  paper: number | null;
  /** What could not be opened, one line each. */
  refused: string[];
}

export function planOpen(req: OpenRequest): OpenPlan {
  const styles = req.files.filter((f) => /\.csl$/i.test(f));
  const rest = planDrop(req.files.filter((f) => !/\.csl$/i.test(f)));
  return {
    pdfs: rest.pdfs,
    bibliographies: rest.bibliographies,
    styles,
    paper: req.papers.length ? req.papers[req.papers.length - 1] : null,
    refused: req.refused,
  };
}
