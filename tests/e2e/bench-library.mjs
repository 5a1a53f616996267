// The libraries the desktop benchmarks run on, prepared (untimed) with topica-cli: a synthetic
// 100k-paper library (words of the sample abstracts, seeded), built once and cached in bench-data/,
// or the library TOPICA_BENCH_LIBRARY names.

import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from './harness.mjs';

export const N = Number(process.env.TOPICA_BENCH_PAPERS ?? 100_000);
const target = process.env.CARGO_TARGET_DIR ?? path.join(ROOT, 'target');
const benchDir = path.join(ROOT, 'bench-data');

/** The CLI only prepares the libraries (untimed); a release build, when there is one, fits 100k topics in minutes. */
export function cli(...args) {
  const release = path.join(target, 'release', 'topica-cli');
  const bin = existsSync(release) ? release : path.join(target, 'debug', 'topica-cli');
  if (!existsSync(bin)) execFileSync('cargo', ['build', '-p', 'topica-cli'], { stdio: 'inherit', cwd: ROOT });
  return execFileSync(bin, args, { encoding: 'utf8', maxBuffer: 1 << 26 });
}

export function bigLibrary() {
  // An existing library instead, its topics fitted, with TOPICA_BENCH_PAPERS its size (the 1M
  // run: a library imported from `synth_corpus.py --n 1000000` with topica-cli).
  if (process.env.TOPICA_BENCH_LIBRARY) return process.env.TOPICA_BENCH_LIBRARY;
  const lib = path.join(benchDir, `library-${N}-v2`);
  if (existsSync(path.join(lib, 'library.sqlite'))) return lib;
  mkdirSync(benchDir, { recursive: true });
  const words = readFileSync(path.join(ROOT, 'resources/sample-library.txt'), 'utf8').toLowerCase().match(/[a-z]{3,}/g);
  let seed = 42;
  // 32-bit integer LCG: in doubles, seed * 1103515245 loses bits past 2^53 and the sequence
  // falls into a cycle (27% of 100k papers repeated earlier ones and merged into them).
  const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) & 0x7fffffff) / 2 ** 31;
  const pick = (k) => Array.from({ length: k }, () => words[Math.floor(rnd() * words.length)]).join(' ');
  const lines = [];
  for (let i = 0; i < N; i++) {
    const yymm = `${String(10 + (i % 14)).padStart(2, '0')}${String(1 + (i % 12)).padStart(2, '0')}`;
    lines.push(JSON.stringify({
      id: `${yymm}.${String(i).padStart(5, '0')}`,
      title: pick(8),
      authors: `${pick(1)} ${pick(1)}, ${pick(1)} ${pick(1)}`,
      abstract: pick(120),
      categories: 'cs.LG',
    }));
  }
  const file = path.join(benchDir, `synthetic-${N}-v2.jsonl`);
  writeFileSync(file, lines.join('\n') + '\n');
  console.error(`importing ${N} synthetic papers (once; cached in bench-data/)…`);
  cli('--library', lib, 'import', file);
  // Fit the topics now: a library opened without a model starts a fit in the background, which
  // the memory reading would include; the benchmark measures the steady state.
  console.error('fitting its topics (once)…');
  cli('--library', lib, 'topics');
  return lib;
}
