// Multi-selection over an ordered list of ids: click, Ctrl/Cmd-click, Shift-click, arrow keys
// with and without Shift. Pure data; the list component renders it.

export class Selection {
  /** Selected ids. */
  readonly ids = new Set<number>();
  /** Index of the focused row (keyboard cursor), -1 when none. */
  cursor = -1;
  private anchor = -1;

  constructor(private order: number[] = []) {}

  /** A new list (view or sort changed): keep selected ids that are still listed. */
  reset(order: number[]) {
    const focused = this.focusedId();
    this.order = order;
    const still = new Set(order);
    for (const id of [...this.ids]) if (!still.has(id)) this.ids.delete(id);
    this.cursor = focused !== null ? order.indexOf(focused) : -1;
    if (this.cursor < 0 && this.ids.size === 0) this.anchor = -1;
    this.anchor = this.cursor;
  }

  focusedId(): number | null {
    return this.cursor >= 0 && this.cursor < this.order.length ? this.order[this.cursor] : null;
  }

  click(index: number, mods: { toggle?: boolean; range?: boolean } = {}) {
    if (index < 0 || index >= this.order.length) return;
    if (mods.range && this.anchor >= 0) {
      this.selectRange(this.anchor, index, !mods.toggle);
    } else if (mods.toggle) {
      const id = this.order[index];
      if (this.ids.has(id)) this.ids.delete(id);
      else this.ids.add(id);
      this.anchor = index;
    } else {
      this.ids.clear();
      this.ids.add(this.order[index]);
      this.anchor = index;
    }
    this.cursor = index;
  }

  /** Moves the cursor by `delta` rows; with `extend`, grows the selection from the anchor. */
  move(delta: number, extend = false) {
    if (this.order.length === 0) return;
    const next = this.cursor < 0 ? (delta > 0 ? 0 : this.order.length - 1) : Math.min(this.order.length - 1, Math.max(0, this.cursor + delta));
    if (extend && this.anchor >= 0) {
      this.selectRange(this.anchor, next, true);
      this.cursor = next;
    } else {
      this.click(next);
    }
  }

  /** Selects exactly those of `ids` that are listed (a lasso on the map); the cursor stays. */
  only(ids: Iterable<number>) {
    const listed = new Set(this.order);
    this.ids.clear();
    for (const id of ids) if (listed.has(id)) this.ids.add(id);
  }

  selectAll() {
    this.order.forEach((id) => this.ids.add(id));
  }

  /** Selected ids in list order. */
  selected(): number[] {
    return this.order.filter((id) => this.ids.has(id));
  }

  private selectRange(a: number, b: number, replace: boolean) {
    if (replace) this.ids.clear();
    const [lo, hi] = a <= b ? [a, b] : [b, a];
    for (let i = lo; i <= hi; i++) this.ids.add(this.order[i]);
  }
}
