// Pure helpers of the Semantic topics settings: the mode select's value, a job's progress line.
import type { Progress, SemanticStatus } from '../../lib/ipc/bindings';

/** The select's value: the user's choice, or "auto". */
export function modeChoice(s: SemanticStatus): 'auto' | 'semantic' | 'lexical' {
  return s.chosen ?? 'auto';
}

/** "12 of 94 papers" for embedding, "10 of 87 MB" for a download, "starting…" before the first. */
export function progressText(p: Progress | null): string {
  if (!p) return 'starting…';
  if (p.phase.startsWith('downloading')) {
    const mb = (n: number) => Math.floor(n / (1 << 20));
    return p.total ? `${mb(p.done)} of ${mb(p.total)} MB` : `${mb(p.done)} MB`;
  }
  return p.total != null ? `${p.done} of ${p.total} papers` : `${p.done} papers`;
}
