// Types that cross the IPC boundary, mirroring the serde shapes of topica_core and the shell.

export interface Author {
  family: string;
  given?: string;
  particle?: string;
  suffix?: string;
  literal?: boolean;
}

export interface Paper {
  id: number;
  arxivId: string | null;
  arxivVersion: number | null;
  doi: string | null;
  title: string | null;
  authors: Author[];
  editors: Author[];
  year: number | null;
  month: number | null;
  abstract: string | null;
  categories: string[];
  journalRef: string | null;
  comments: string | null;
  kind: string | null;
  container: string | null;
  volume: string | null;
  issue: string | null;
  pages: string | null;
  publisher: string | null;
  url: string | null;
  citationKey: string | null;
  extra: Record<string, string>;
  tags: string[];
  collections: string[];
  notes: string;
  read: boolean;
  starred: boolean;
  dateAdded: string;
}

export interface PaperRow {
  id: number;
  title: string;
  authors: string;
  year: number | null;
  arxivId: string | null;
  read: boolean;
  starred: boolean;
  dateAdded: string;
}

export type View =
  | { kind: 'all' }
  | { kind: 'unread' }
  | { kind: 'starred' }
  | { kind: 'recent' }
  | { kind: 'tag'; name: string }
  | { kind: 'collection'; name: string }
  /** A topic's papers (a leaf, or all leaves of a parent); `name` is its label when chosen. */
  | { kind: 'topic'; id: number; name: string };

export type SortBy = 'added' | 'year' | 'title';
/** Relevance only orders search results. */
export type ListSort = SortBy | 'relevance';

export interface SearchHit {
  id: number;
  arxivId: string | null;
  title: string;
  year: number | null;
  score: number;
  /** Abstract fragment, HTML-escaped by the engine, matches in <b>. */
  snippet: string;
}

export interface SearchResults {
  total: number;
  hits: SearchHit[];
  /** Ids of the hits ranked after `hits` (only from `searchRanked`). */
  moreIds: number[];
  fuzzy: boolean;
}

export interface RecordError {
  file: string;
  line: number;
  reason: string;
}

export interface ImportReport {
  added: number;
  merged: number;
  /** Records that repeated a paper added earlier by the same import, merged into it. */
  duplicates: number;
  skipped: RecordError[];
  /** Read otherwise than written, nothing refused (a line that was not UTF-8). */
  warnings: RecordError[];
}

export interface Progress {
  phase: string;
  done: number;
  total: number | null;
}

export interface Stats {
  papers: number;
  withArxivId: number;
  withDoi: number;
  withoutTitle: number;
  firstYear: number | null;
  lastYear: number | null;
  tags: [string, number][];
  collections: [string, number][];
  schemaVersion: number;
}

export interface LibraryInfo {
  dir: string;
  stats: Stats;
  openedSample: boolean;
}

/** How current the topics are (the engine's `TopicsStatus`). */
export interface TopicsFreshness {
  /** Papers the last full fit saw (0 before the first fit). */
  fittedPapers: number;
  papers: number;
  /** Papers added since the last full fit. */
  addedSinceFit: number;
  changedShare: number;
  /** Enough changed that the topics should be refitted. */
  needsRecompute: boolean;
  /** The library's number of leaf topics; null: chosen from the data. */
  chosenLeaves: number | null;
}

export type Theme = 'light' | 'dark' | 'system';

export interface Settings {
  theme: Theme;
  citationStyle: string;
  libraryDir: string | null;
  lastView: unknown;
}

/** Engine capabilities present in this build; the UI hides what is missing. */
export interface Features {
  topics: boolean;
  export: boolean;
  enrich: boolean;
}

/** What an export covers. */
export type ExportScope =
  | { kind: 'all' }
  | { kind: 'ids'; value: string[] }
  | { kind: 'collection'; value: string }
  | { kind: 'tag'; value: string }
  | { kind: 'query'; value: string }
  | { kind: 'topic'; value: string };

export interface ExportReport {
  papers: number;
  keysAssigned: number;
  bytes: number;
}

export interface EnrichReport {
  candidates: number;
  enriched: number;
  notFound: string[];
  requests: number;
}

/** A topic of the library's model (parents first; a leaf has a `parent`). */
export interface Topic {
  id: number;
  label: string;
  keyphrases: string[];
  size: number;
  parent: number | null;
  level: 'leaf' | 'parent';
  pinned: boolean;
  renamed: boolean;
  /** Paper ids, most central first. */
  papers: number[];
}

/** How strongly a paper belongs to a leaf topic. */
export interface TopicWeight {
  topic: number;
  label: string;
  weight: number;
  primary: boolean;
}

export interface RelatedPaper {
  id: number;
  arxivId: string | null;
  title: string;
  score: number;
}

/** Search hits in one leaf topic (a facet). */
export interface TopicCount {
  topic: number;
  label: string;
  parent: number | null;
  count: number;
}

/** A leaf topic on the map: similar topics are close; x, y in [-1, 1]. */
export interface TopicPoint {
  topic: number;
  x: number;
  y: number;
}

export interface TopicYear {
  topic: number;
  year: number;
  papers: number;
}
