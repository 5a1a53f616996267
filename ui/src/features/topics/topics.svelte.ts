// The library's topics as the UI holds them: the tree (with colours, sizes, no papers: a topic of a
// million-paper library lists thousands), the map of papers, and the user's edits. Only
// api.ts talks to the shell; every edit reloads the tree from the engine, which owns the truth.
// Once enough papers were added since the last fit (the engine decides: `needsRecompute`), the
// topics are refitted in the background while the old tree stays on screen.

import * as api from '../../lib/ipc/api';
import { buildTree, colours } from './tree';
import type { PaperMap, Progress, Topic, TopicsStatus as Freshness } from '../../lib/ipc/bindings';

export type TopicsStatus = 'idle' | 'loading' | 'fitting' | 'ready' | 'error';

export class TopicsState {
  list = $state.raw<Topic[]>([]);
  status = $state<TopicsStatus>('idle');
  error = $state<string | null>(null);
  /** The map of papers, fetched when the map is first shown after each load. */
  map = $state.raw<PaperMap | null>(null);
  freshness = $state.raw<Freshness | null>(null);
  /** A refit runs in the background; the tree on screen is the previous one until it ends. */
  recomputing = $state(false);
  /** Before a semantic refit, the papers without an embedding are embedded: how far it is. */
  embedding = $state.raw<{ done: number; total: number } | null>(null);
  private cancelEmbedding: (() => Promise<boolean>) | null = null;
  /** How many fits ended since the window opened: a fit finds the library's glued words, so rows
   *  fetched before it are fetched again (PaperList). */
  fits = $state(0);

  tree = $derived(buildTree(this.list));
  colours = $derived(colours(this.tree));

  private loads = 0;

  byId(id: number): Topic | undefined {
    return this.list.find((t) => t.id === id);
  }

  /** Loads (on a library without topics: fits) the tree. */
  async load() {
    const mine = ++this.loads;
    if (this.status !== 'fitting') this.status = 'loading';
    try {
      const list = await api.topics();
      const freshness = await api.topicsStatus();
      if (mine !== this.loads) return; // a newer load started meanwhile
      this.list = list;
      this.freshness = freshness;
      this.map = null; // the map is fetched again when shown
      this.status = 'ready';
      this.error = null;
      if (freshness.needsRecompute && !this.recomputing) void this.recompute();
    } catch (e) {
      if (mine !== this.loads) return;
      this.status = 'error';
      this.error = api.toTopicaError(e).message;
    }
  }

  /** The shell says the model is being fitted (first run) or is done. */
  progress(p: Progress) {
    if (p.done === 0 && this.status !== 'ready') this.status = 'fitting';
    if (p.done === 1) this.fits++;
  }

  /** Refits the topics on every paper (renames, pins and merges are kept), then reloads. In
   *  semantic mode the papers not yet embedded are embedded first, with progress and Cancel
   *  (which keeps the topics as they were, and the embeddings made so far). */
  async recompute() {
    if (this.recomputing) return;
    this.recomputing = true;
    try {
      const semantic = await api.semanticStatus();
      if (semantic.mode === 'semantic' && semantic.modelPresent && semantic.embedded < semantic.papers) {
        const todo = semantic.papers - semantic.embedded;
        this.embedding = { done: 0, total: todo };
        const job = api.embedPapers((p) => { this.embedding = { done: p.done, total: p.total ?? todo }; });
        this.cancelEmbedding = job.cancel;
        const report = await job.report;
        if (report.cancelled) return;
      }
      this.embedding = null;
      await api.recomputeTopics();
      this.fits++;
    } catch (e) {
      this.error = api.toTopicaError(e).message;
      this.status = 'error';
      return;
    } finally {
      this.recomputing = false;
      this.embedding = null;
      this.cancelEmbedding = null;
    }
    await this.load();
  }

  /** Stops the embedding before a semantic refit; the refit does not run. */
  async cancelRecompute() {
    await this.cancelEmbedding?.();
  }

  /** Sets the library's number of leaf topics (null: automatic) and refits with it. */
  async setLeaves(leaves: number | null) {
    await api.setTopicLeaves(leaves);
    await this.recompute();
  }

  async loadMap() {
    if (this.map) return;
    this.map = await api.paperMap();
  }

  async rename(id: number, label: string) {
    const l = label.trim();
    if (!l || l === this.byId(id)?.label) return;
    await api.renameTopic(id, l);
    await this.load();
  }

  async merge(from: number, into: number) {
    await api.mergeTopics(from, into);
    await this.load();
  }

  /** Puts papers in a leaf by hand (one undo step): they stay there when topics are recomputed. */
  async move(papers: number[], topic: number) {
    await api.movePapers(papers, topic);
    await this.load();
  }

  /** A new, empty leaf under `parent`, pinned; returns its id. */
  async create(label: string, parent: number | null) {
    const id = await api.createTopic(label, parent);
    await this.load();
    return id;
  }

  /** Splits a leaf into `parts` pinned topics by its papers. */
  async split(topic: number, parts = 2) {
    const ids = await api.splitTopic(topic, parts);
    await this.load();
    return ids;
  }

  async pin(id: number, pinned: boolean) {
    await api.pinTopic(id, pinned);
    await this.load();
  }
}

export const topics = new TopicsState();
