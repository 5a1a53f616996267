// Page arithmetic of the in-app viewer: which page a key, a typed number or a jump lands on,
// and the scale that fits a page to the pane's width. Pure, so it is tested without pdf.js.

/** `page` kept within 1..total (a document has at least one page). */
export function clampPage(page: number, total: number): number {
  const last = Math.max(1, Math.floor(total));
  if (!Number.isFinite(page)) return 1;
  return Math.min(last, Math.max(1, Math.round(page)));
}

/** The page a typed page number asks for, or null when it is not a number (keep the current). */
export function pageFromInput(text: string, total: number): number | null {
  const n = Number(text.trim());
  if (!text.trim() || !Number.isFinite(n)) return null;
  return clampPage(n, total);
}

/** Where a navigation key goes from `page`, or null when the key is not one of the viewer's. */
export function pageForKey(key: string, page: number, total: number): number | null {
  switch (key) {
    case 'PageDown':
    case 'ArrowRight':
      return clampPage(page + 1, total);
    case 'PageUp':
    case 'ArrowLeft':
      return clampPage(page - 1, total);
    case 'Home':
      return 1;
    case 'End':
      return clampPage(total, total);
    default:
      return null;
  }
}

/** The scale at which a page `pageWidth` wide (in PDF points at scale 1) fills `paneWidth`
 *  CSS pixels less a margin on each side; never below a readable minimum or absurdly large. */
export function fitWidthScale(paneWidth: number, pageWidth: number, margin = 16): number {
  if (!(pageWidth > 0) || !(paneWidth > 0)) return 1;
  const s = (paneWidth - 2 * margin) / pageWidth;
  return Math.min(6, Math.max(0.25, s));
}

/** Zoom steps for the − and + buttons, from the current scale. */
export function zoomStep(scale: number, dir: 1 | -1): number {
  const next = dir > 0 ? scale * 1.2 : scale / 1.2;
  return Math.min(6, Math.max(0.25, Math.round(next * 100) / 100));
}
