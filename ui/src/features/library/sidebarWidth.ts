// The sidebar's width: dragged at its edge or moved by keys on its separator, kept between
// bounds, remembered in the settings (`sidebarWidth`, null = the default).

export const SIDEBAR_MIN = 200;
export const SIDEBAR_MAX = 480;
export const SIDEBAR_DEFAULT = 250;
/** Pixels an arrow key moves the edge; with Shift, four times that. */
export const SIDEBAR_STEP = 16;

/** A stored or dragged width within the bounds, in whole pixels (none: the default). */
export function clampWidth(w: number | null | undefined): number {
  if (w == null || !Number.isFinite(w)) return SIDEBAR_DEFAULT;
  return Math.round(Math.min(SIDEBAR_MAX, Math.max(SIDEBAR_MIN, w)));
}

/** The width after a key on the separator, or null for a key it does not take. */
export function keyWidth(width: number, key: string, shift = false): number | null {
  const step = shift ? 4 * SIDEBAR_STEP : SIDEBAR_STEP;
  switch (key) {
    case 'ArrowRight': return clampWidth(width + step);
    case 'ArrowLeft': return clampWidth(width - step);
    case 'Home': return SIDEBAR_MIN;
    case 'End': return SIDEBAR_MAX;
    case 'Enter': return SIDEBAR_DEFAULT;
    default: return null;
  }
}

/** The width during a drag that began at `start` px, the pointer `dx` screen pixels on; `scale`
 *  is screen pixels per CSS pixel (the window's zoom). */
export function dragWidth(start: number, dx: number, scale = 1): number {
  return clampWidth(start + dx / (scale > 0 ? scale : 1));
}
