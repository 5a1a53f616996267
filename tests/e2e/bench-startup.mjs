// `npm run bench:startup`: cold start to first painted rows, and resident memory of the whole
// app (shell + WebKit processes), on a 100k-paper library against the 94-paper sample library
// measured in the same run. Prints figures; asserts nothing (the machine is shared and noisy).
//
// The 100k library is synthetic (words of the sample abstracts, seeded) and cached in
// bench-data/. Needs the built app (`npm run build:e2e`), topica-cli, and xvfb-run.

import { spawn } from 'node:child_process';
import { readFileSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { tmpdir } from 'node:os';
import { appPath } from './harness.mjs';
import { N, bigLibrary, cli } from './bench-library.mjs';

const RUNS = Number(process.env.TOPICA_BENCH_RUNS ?? 3);

function sampleLibrary() {
  const lib = path.join(tmpdir(), `topica-bench-sample-${process.pid}`);
  rmSync(lib, { recursive: true, force: true });
  cli('--library', lib, 'import-sample');
  return lib;
}

/**
 * Memory in MB of `pid` and all its descendants (WebKit runs in child processes): RSS and PSS.
 * Summed RSS counts every shared page (libwebkit2gtk, GTK, ICU data…) once per process that maps
 * it; PSS divides each shared page among the processes mapping it, so the sum is what the app
 * costs the machine. Both are printed; the budget is checked against PSS.
 */
function treeMemoryMb(pid) {
  const children = new Map();
  for (const p of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const ppid = Number(readFileSync(`/proc/${p}/stat`, 'utf8').split(') ')[1].split(' ')[1]);
      if (!children.has(ppid)) children.set(ppid, []);
      children.get(ppid).push(Number(p));
    } catch {}
  }
  let rss = 0;
  let pss = 0;
  const stack = [pid];
  while (stack.length) {
    const p = stack.pop();
    try {
      const rollup = readFileSync(`/proc/${p}/smaps_rollup`, 'utf8');
      rss += Number(rollup.match(/^Rss:\s+(\d+)/m)?.[1] ?? 0);
      pss += Number(rollup.match(/^Pss:\s+(\d+)/m)?.[1] ?? 0);
    } catch {}
    stack.push(...(children.get(p) ?? []));
  }
  return { rss: rss / 1024, pss: pss / 1024 };
}

function once(lib) {
  return new Promise((resolve, reject) => {
    const settings = path.join(tmpdir(), `topica-bench-settings-${process.pid}.json`);
    rmSync(settings, { force: true });
    const t0 = performance.now();
    const child = spawn(appPath(), [], {
      env: { ...process.env, TOPICA_LIBRARY: lib, TOPICA_SETTINGS: settings, TOPICA_BENCH: '1' },
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const timer = setTimeout(() => { child.kill(); reject(new Error('no first paint within 60 s')); }, 60_000);
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/TOPICA_PAINTED ms=(\d+)/);
      const phases = out.match(/TOPICA_PHASES (.*)\n/);
      if (!m || !phases) return;
      const wall = performance.now() - t0;
      setTimeout(() => {
        const { rss, pss } = treeMemoryMb(child.pid);
        clearTimeout(timer);
        child.kill();
        resolve({ wall, inApp: Number(m[1]), rss, pss, phases: phases[1] });
      }, 1000); // let the list settle before reading memory
    });
    child.on('error', reject);
  });
}

async function measure(lib) {
  const runs = [];
  for (let i = 0; i < RUNS; i++) runs.push(await once(lib));
  const med = (k) => runs.map((r) => r[k]).sort((a, b) => a - b)[Math.floor(runs.length / 2)];
  const max = (k) => Math.max(...runs.map((r) => r[k]));
  const median = [...runs].sort((a, b) => a.wall - b.wall)[Math.floor(runs.length / 2)];
  return { wall: med('wall'), inApp: med('inApp'), rss: max('rss'), pss: max('pss'), phases: median.phases };
}

if (!process.env.DISPLAY) {
  console.error('needs an X display: run `xvfb-run -a -s "-screen 0 1280x800x24" npm run bench:startup`');
  process.exit(2);
}
const big = bigLibrary();
const small = sampleLibrary();
const base = await measure(small);
const res = await measure(big);
const fmt = (r) =>
  `first paint ${r.wall.toFixed(0)} ms (in-app ${r.inApp} ms), memory PSS ${r.pss.toFixed(0)} MB (RSS summed ${r.rss.toFixed(0)} MB)`;
console.log(`sample library (94 papers):  ${fmt(base)}`);
console.log(`${N.toLocaleString()} papers:              ${fmt(res)}`);
console.log(`where the time goes (ms since launch, median run): sample ${base.phases}; ${N.toLocaleString()}: ${res.phases}`);
console.log(`ratio ${N.toLocaleString()} / sample: start ${(res.wall / base.wall).toFixed(2)}×, memory ${(res.pss / base.pss).toFixed(2)}×`);
console.log(`targets: first paint ≤ 1500 ms → ${res.wall <= 1500 ? 'met' : 'MISSED'}; memory (PSS) ≤ 400 MB → ${res.pss <= 400 ? 'met' : 'MISSED'}`);
rmSync(small, { recursive: true, force: true });
