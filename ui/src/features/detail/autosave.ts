// Notes saved as you type and never lost: edits are debounced to the engine; a failed save
// keeps the text dirty and retries; switching papers or closing the window flushes first; and
// an unsaved draft is mirrored to localStorage so a crash mid-save cannot eat it.

export type SaveState = 'saved' | 'dirty' | 'saving' | 'error';

export interface DraftStore {
  getItem(k: string): string | null;
  setItem(k: string, v: string): void;
  removeItem(k: string): void;
}

export class NoteSaver {
  state: SaveState = 'saved';
  error: string | null = null;
  private pending = new Map<number, string>();
  private timer: ReturnType<typeof setTimeout> | null = null;
  private inflight: Promise<void> | null = null;

  constructor(
    private save: (id: number, text: string) => Promise<unknown>,
    private onState: (s: SaveState, error: string | null) => void = () => {},
    private drafts: DraftStore | null = null,
    private delayMs = 400,
    private retryMs = 2000,
  ) {}

  static draftKey(id: number) {
    return `topica.note-draft.${id}`;
  }

  /** An unsaved draft left by a previous session, if any. */
  draft(id: number): string | null {
    return this.drafts?.getItem(NoteSaver.draftKey(id)) ?? null;
  }

  /** The user typed: remember, mirror to the draft store, save after a pause. */
  edit(id: number, text: string) {
    this.pending.set(id, text);
    this.drafts?.setItem(NoteSaver.draftKey(id), text);
    this.set('dirty', null);
    this.schedule(this.delayMs);
  }

  /** Saves everything pending now (switching papers, window closing). */
  async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.inflight) await this.inflight;
    if (this.pending.size === 0) return;
    const batch = [...this.pending];
    this.pending.clear();
    this.set('saving', null);
    this.inflight = (async () => {
      for (const [id, text] of batch) {
        try {
          await this.save(id, text);
          if (!this.pending.has(id)) this.drafts?.removeItem(NoteSaver.draftKey(id));
        } catch (e) {
          // Keep the newest text: only requeue if the user has not typed since.
          if (!this.pending.has(id)) this.pending.set(id, text);
          this.set('error', e instanceof Error ? e.message : String(e));
        }
      }
    })();
    await this.inflight;
    this.inflight = null;
    if (this.pending.size > 0) {
      if (this.state !== 'error') this.set('dirty', null);
      this.schedule(this.state === 'error' ? this.retryMs : this.delayMs);
    } else {
      this.set('saved', null);
    }
  }

  private schedule(ms: number) {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.flush(), ms);
  }

  private set(s: SaveState, error: string | null) {
    this.state = s;
    this.error = error;
    this.onState(s, error);
  }
}
