// The PDF import report as the sheet shows it: files grouped by what became of them.

import type { PdfImportReport, PdfResult } from '../../lib/ipc/bindings';

export type OutcomeKind = PdfResult['outcome']['kind'];

export interface ReportGroup {
  kind: OutcomeKind;
  heading: string;
  files: PdfResult[];
}

const HEADINGS: Record<OutcomeKind, string> = {
  failed: 'Not imported',
  added: 'Added as new papers',
  merged: 'Attached to papers already in the library',
  alreadyThere: 'Already in the library with this file',
};

/** Failures first (they need the user), then added, merged, already there; empty groups are
 *  left out; within a group, the order of the report. */
export function groupReport(r: PdfImportReport): ReportGroup[] {
  const order: OutcomeKind[] = ['failed', 'added', 'merged', 'alreadyThere'];
  return order
    .map((kind) => ({ kind, heading: HEADINGS[kind], files: r.files.filter((f) => f.outcome.kind === kind) }))
    .filter((g) => g.files.length > 0);
}

/** Files the library already held, each with its paper. */
export function alreadyThere(r: PdfImportReport): number {
  return r.files.filter((f) => f.outcome.kind === 'alreadyThere').length;
}

/** One line for the status bar or the sheet's head. */
export function summary(r: PdfImportReport): string {
  const there = alreadyThere(r);
  const parts = [`${r.added} added`, `${r.merged} attached to papers already here`];
  if (there) parts.push(`${there} already there`);
  parts.push(`${r.failed} not imported`);
  return parts.join(' · ');
}

/** The file's name, from a path of either separator. */
export function baseName(path: string): string {
  return path.split(/[\\/]/).pop() || path;
}
