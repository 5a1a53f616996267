// Pure helpers of the Semantic topics settings: the model's line, the mode select's value, a
// job's progress line.
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

/** The sentence saying where the model is read from, around its folder (shown as code):
 *  whether the folder holds it, and whether it is the user's folder or the default one. */
export function modelLine(s: SemanticStatus, chosen: string | null): { before: string; dir: string; after: string } {
  const dir = s.modelDir ?? 'the model folder';
  const whose = chosen ? 'your folder' : 'the default folder';
  return s.modelPresent
    ? { before: 'Model: all-MiniLM-L6-v2, in ', dir, after: ` (${whose}).` }
    : { before: `No model in ${whose}, `, dir, after: ': topics are found by words alone.' };
}
