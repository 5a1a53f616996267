// Search as you type, with no fixed debounce: a keystroke's query runs at once when no search is
// in flight, so results paint one engine round trip after the keystroke (a 120 ms debounce put
// that floor at 120 ms). Keystrokes that come while a search runs keep only the newest query,
// which runs as soon as that search returns, so a fast typist never queues a backlog. Responses
// that arrive after a newer one was shown are dropped, so the list never flickers back.

export class LatestOnly<Q, R> {
  /** Number of the last run started, and of the last run whose result was shown. */
  private started = 0;
  private shown = 0;
  /** Runs started before this number are forgotten (the query was cleared). */
  private floor = 0;
  private inFlight = 0;
  /** The newest query typed while a search was in flight. */
  private waiting: { q: Q } | null = null;
  private errorTimer: ReturnType<typeof setTimeout> | null = null;

  /**
   * `errorDelayMs`: an error of a typed query is reported only if no newer query was typed
   * within that time, so a half-typed `author:"…` does not flash red at every keystroke.
   * Errors of `now()` (Enter) are reported at once.
   */
  constructor(
    private run: (q: Q) => Promise<R>,
    private deliver: (q: Q, r: R) => void | Promise<void>,
    private fail: (q: Q, e: unknown) => void,
    private errorDelayMs = 0,
  ) {}

  /** A query typed: runs at once, or after the search in flight, replacing any query waiting. */
  push(q: Q) {
    this.clearErrorTimer();
    if (this.inFlight > 0) this.waiting = { q };
    else void this.start(q, true);
  }

  /** Runs `q` at once (Enter, or a programmatic search). */
  now(q: Q): Promise<void> {
    this.clearErrorTimer();
    this.waiting = null;
    return this.start(q, false);
  }

  /** Forgets anything in flight or waiting (the query was cleared). */
  cancel() {
    this.clearErrorTimer();
    this.waiting = null;
    this.floor = this.started + 1;
  }

  private async start(q: Q, typed: boolean): Promise<void> {
    const mine = ++this.started;
    this.inFlight++;
    try {
      const r = await this.run(q);
      // Stale if a newer run was shown, the query was cleared, or a newer query is waiting.
      if (mine > this.shown && mine >= this.floor && !this.waiting) {
        this.shown = mine;
        await this.deliver(q, r);
      }
    } catch (e) {
      if (mine === this.started && mine >= this.floor && !this.waiting) {
        if (typed && this.errorDelayMs > 0) {
          this.clearErrorTimer();
          this.errorTimer = setTimeout(() => {
            this.errorTimer = null;
            if (mine === this.started && mine >= this.floor) this.fail(q, e);
          }, this.errorDelayMs);
        } else {
          this.fail(q, e);
        }
      }
    } finally {
      this.inFlight--;
      if (this.inFlight === 0 && this.waiting) {
        const next = this.waiting.q;
        this.waiting = null;
        void this.start(next, true);
      }
    }
  }

  private clearErrorTimer() {
    if (this.errorTimer) clearTimeout(this.errorTimer);
    this.errorTimer = null;
  }
}
