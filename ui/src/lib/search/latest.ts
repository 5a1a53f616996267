// Search as you type: debounce keystrokes and drop responses that arrive after a newer query
// was sent, so the list never flickers back to older results.

export class LatestOnly<Q, R> {
  private seq = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private run: (q: Q) => Promise<R>,
    private deliver: (q: Q, r: R) => void | Promise<void>,
    private fail: (q: Q, e: unknown) => void,
    private delayMs = 120,
  ) {}

  /** Schedules `q`; only the last one scheduled within the delay runs. */
  push(q: Q) {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.now(q), this.delayMs);
  }

  /** Runs `q` at once (Enter, or a programmatic search). */
  async now(q: Q): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const mine = ++this.seq;
    try {
      const r = await this.run(q);
      if (mine === this.seq) await this.deliver(q, r);
    } catch (e) {
      if (mine === this.seq) this.fail(q, e);
    }
  }

  /** Forgets anything in flight (the query was cleared). */
  cancel() {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.seq++;
  }
}
