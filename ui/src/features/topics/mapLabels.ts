// Topic labels on the paper map: which level is labelled at the current zoom, and where labels go
// without overlapping. Greedy by importance: the topic with the most papers is placed first and
// keeps its place; a label that would overlap one already placed, or leave the canvas, is left out.

export interface LabelCandidate {
  id: number;
  /** Where the label is centred, in canvas pixels. */
  x: number;
  y: number;
  text: string;
  /** Higher goes first (the topic's number of papers). */
  weight: number;
}

export interface PlacedLabel extends LabelCandidate {
  /** The box the text takes, in canvas pixels. */
  left: number;
  top: number;
  width: number;
  height: number;
}

/** Parents' labels at the overview, leaves' once zoomed in past `factor` times the fitted
 *  scale: at the overview the leaves' labels would be too many to read. */
export function labelLevel(scale: number, fittedScale: number, factor = 1.8): 'parent' | 'leaf' {
  return scale > fittedScale * factor ? 'leaf' : 'parent';
}

/** A rectangle in canvas pixels. */
export interface Box {
  left: number;
  top: number;
  width: number;
  height: number;
}

/**
 * The labels that fit, in placement order. `measure` gives a text's width in pixels; every label
 * is `lineHeight` tall and keeps `gap` pixels from the others, from the canvas edges and from the
 * `blocked` boxes (controls drawn over the canvas).
 */
export function placeLabels(
  candidates: LabelCandidate[],
  measure: (text: string) => number,
  width: number,
  height: number,
  lineHeight = 16,
  gap = 4,
  blocked: Box[] = [],
): PlacedLabel[] {
  const order = [...candidates].sort((a, b) => b.weight - a.weight || a.id - b.id);
  const placed: PlacedLabel[] = [];
  const taken: Box[] = [...blocked];
  for (const c of order) {
    const w = measure(c.text);
    const box = { left: c.x - w / 2, top: c.y - lineHeight / 2, width: w, height: lineHeight };
    if (box.left < gap || box.top < gap || box.left + w > width - gap || box.top + lineHeight > height - gap) continue;
    const clash = taken.some(
      (p) =>
        box.left < p.left + p.width + gap &&
        p.left < box.left + box.width + gap &&
        box.top < p.top + p.height + gap &&
        p.top < box.top + box.height + gap,
    );
    if (!clash) {
      placed.push({ ...c, ...box });
      taken.push(box);
    }
  }
  return placed;
}

/** As much of a topic label (its leading " · "-separated terms) as fits in `max` pixels. */
export function shorten(label: string, measure: (text: string) => number, max: number): string {
  const terms = label.split(' · ');
  for (let n = terms.length; n > 1; n--) {
    const l = terms.slice(0, n).join(' · ');
    if (measure(l) <= max) return l;
  }
  return terms[0];
}
