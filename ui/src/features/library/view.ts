// What the UI lists and sorts by, beyond the engine's own types (ipc/bindings.ts).

import type { View as EngineView, SortBy } from '../../lib/ipc/bindings';

/** A sidebar view: the engine's views, a topic's papers (a leaf, or all leaves of a parent;
 *  `name` is its label when chosen), or the groups of possible duplicates. */
export type View = EngineView | { kind: 'topic'; id: number; name: string } | { kind: 'duplicates' };

/** Relevance only orders search results. */
export type ListSort = SortBy | 'relevance';

/** The settings' theme: explicit light/dark, or follow the system. */
export type Theme = 'light' | 'dark' | 'system';
