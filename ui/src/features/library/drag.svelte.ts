// Dragging inside the window: papers onto a collection, a tag or a topic in the sidebar, and a
// collection onto another to nest it. Done with pointer events rather than HTML5 drag and drop:
// the webview's native drop belongs to the shell (files dropped on the window), and pointer
// events behave the same on every platform and under WebDriver.
//
// Drop targets carry `data-drop` (see `parseTarget`); what a drop does is `dropOn`'s business.

import * as api from '../../lib/ipc/api';
import { app } from './app.svelte';
import { topics } from '../topics/topics.svelte';

export type Payload = { kind: 'papers'; ids: number[] } | { kind: 'collection'; path: string };
export type Target =
  | { kind: 'collection'; path: string }
  | { kind: 'collections-root' }
  | { kind: 'tag'; name: string }
  | { kind: 'topic'; id: number };

/** A pointer must travel this far (px) before a press becomes a drag, so clicks stay clicks. */
const THRESHOLD = 6;

/** `data-drop` values: `collection:<path>`, `collections-root`, `tag:<name>`, `topic:<id>`. */
export function parseTarget(s: string | null | undefined): Target | null {
  if (!s) return null;
  if (s === 'collections-root') return { kind: 'collections-root' };
  const i = s.indexOf(':');
  if (i < 0) return null;
  const [kind, value] = [s.slice(0, i), s.slice(i + 1)];
  if (kind === 'collection') return { kind, path: value };
  if (kind === 'tag') return { kind, name: value };
  if (kind === 'topic' && /^\d+$/.test(value)) return { kind, id: Number(value) };
  return null;
}

/** Whether `payload` may be dropped on `target` (a collection never goes inside itself). */
export function accepts(payload: Payload, target: Target): boolean {
  if (payload.kind === 'papers') return target.kind !== 'collections-root';
  if (target.kind === 'collections-root') return payload.path.includes('/');
  if (target.kind !== 'collection') return false;
  return target.path !== payload.path && !target.path.startsWith(`${payload.path}/`) && parentOf(payload.path) !== target.path;
}

function parentOf(path: string): string | null {
  const i = path.lastIndexOf('/');
  return i < 0 ? null : path.slice(0, i);
}

class Drag {
  /** What is being dragged, once the pointer has moved past the threshold. */
  payload = $state.raw<Payload | null>(null);
  x = $state(0);
  y = $state(0);
  /** The `data-drop` under the pointer that accepts the payload. */
  over = $state<string | null>(null);
  private pressed: { x: number; y: number; payload: () => Payload } | null = null;

  get label(): string {
    const p = this.payload;
    if (!p) return '';
    if (p.kind === 'collection') return p.path.split('/').pop() ?? p.path;
    return `${p.ids.length} paper${p.ids.length === 1 ? '' : 's'}`;
  }

  /** A press that may become a drag of `payload` (read when the drag starts). */
  press(e: PointerEvent, payload: () => Payload) {
    if (e.button !== 0 || e.shiftKey || e.ctrlKey || e.metaKey) return;
    this.pressed = { x: e.clientX, y: e.clientY, payload };
    window.addEventListener('pointermove', this.move);
    window.addEventListener('pointerup', this.up, { once: true });
  }

  private move = (e: PointerEvent) => {
    const p = this.pressed;
    if (!p) return;
    if (!this.payload) {
      if (Math.hypot(e.clientX - p.x, e.clientY - p.y) < THRESHOLD) return;
      this.payload = p.payload();
      document.body.classList.add('dragging');
    }
    this.x = e.clientX;
    this.y = e.clientY;
    const el = document.elementFromPoint(e.clientX, e.clientY)?.closest<HTMLElement>('[data-drop]');
    const target = parseTarget(el?.dataset.drop);
    this.over = target && accepts(this.payload, target) ? (el?.dataset.drop ?? null) : null;
  };

  private up = () => {
    window.removeEventListener('pointermove', this.move);
    const payload = this.payload;
    const target = parseTarget(this.over);
    this.pressed = null;
    this.payload = null;
    this.over = null;
    document.body.classList.remove('dragging');
    if (payload && target) {
      // The click that ends a drag is not a click on what lies under it.
      window.addEventListener('click', (e) => e.stopPropagation(), { capture: true, once: true });
      void dropOn(payload, target);
    }
  };
}

export const drag = new Drag();

/** What a drop does: each is one engine call and one undo step. */
export async function dropOn(payload: Payload, target: Target) {
  if (payload.kind === 'papers') {
    const ids = payload.ids;
    const n = `${ids.length} paper${ids.length === 1 ? '' : 's'}`;
    if (target.kind === 'collection') {
      await app.bulk(`Added to “${target.path}”`, () => api.collectPapers(ids, target.path, true));
    } else if (target.kind === 'tag') {
      await app.bulk(`Tagged “${target.name}”`, () => api.tagPapers(ids, target.name, true));
    } else if (target.kind === 'topic') {
      const label = topics.byId(target.id)?.label ?? 'the topic';
      await app.bulk(`Moved ${n} to “${label}”; they stay there when topics are recomputed`, async () => {
        await topics.move(ids, target.id);
        return { changed: ids };
      }, false);
    }
    return;
  }
  const name = payload.path.split('/').pop() ?? payload.path;
  const parent = target.kind === 'collection' ? target.path : null;
  await app.bulk(parent ? `Moved “${name}” into “${parent}”` : `Moved “${name}” to the top`, async () => {
    await api.reshapeCollection({ action: 'move', name: payload.path, parent });
    return { changed: [] };
  }, false);
}
