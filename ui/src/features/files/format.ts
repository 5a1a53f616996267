// How an attached file is described in the Files section.

import type { AttachedFile, TextState } from '../../lib/ipc/bindings';

/** 1 234 bytes → "1.2 KB"; decimal units, as file managers show. */
export function fileSize(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB'];
  let v = bytes;
  let u = -1;
  while (v >= 1000 && u < units.length - 1) {
    v /= 1000;
    u++;
  }
  return `${v < 10 ? v.toFixed(1) : Math.round(v)} ${units[u]}`;
}

/** What to say about a file's text, or null when there is nothing to say (read, or not a PDF).
 *  Words as the engine's `TextState::describe`. */
export function textNote(t: TextState): string | null {
  switch (t.state) {
    case 'read':
    case 'notPdf':
      return null;
    case 'pending':
      return 'text not read yet';
    case 'noTextLayer':
      return 'no text layer — scanned?';
    case 'unreadable':
      return `text could not be read: ${t.reason}`;
  }
}

/** The facts line: pages, size, linked or stored. */
export function facts(f: AttachedFile): string {
  const parts: string[] = [];
  if (f.pages != null) parts.push(`${f.pages} page${f.pages === 1 ? '' : 's'}`);
  parts.push(fileSize(f.size));
  parts.push(f.linked ? 'linked' : 'in the library');
  return parts.join(' · ');
}

/** The in-app viewer reads PDFs only. */
export function isPdf(f: AttachedFile): boolean {
  return /\.pdf$/i.test(f.name) || /\.pdf$/i.test(f.path) || f.text.state !== 'notPdf';
}
