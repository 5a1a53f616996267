// `npm run bench:search`: search as you type in the real window on a 100k-paper library — time
// from a keystroke to the frame that shows its results. For each query the page first shows the
// results of the query minus its last character; the timed keystroke then types that character
// (an `input` event, as the browser fires it) and the clock stops just after the frame that first
// shows that query's results (`data-results-for`) with the engine's best hit and its snippet on
// top (a message posted from that frame's animation callback). Prints p50/p95/max; asserts nothing (the machine is noisy).
//
// Baseline in the same run: the IPC round trip of the same search alone (the UI's call, timed
// from the page), so the ratio shows what the UI adds to the engine and the IPC.
// Needs the built app, topica-cli, tauri-driver and xvfb-run (as `scripts/e2e.sh` sets up).

import { N, bigLibrary, cli } from './bench-library.mjs';
import { UNTIL_PAINTED, line, openWindow, pct } from './bench-window.mjs';

// Words and phrases of the sample abstracts, which the synthetic library is made of; fielded and
// prefix queries as a researcher types them.
const QUERIES = [
  'speech enhancement', 'diffusion', 'language models', 'attention', 'reinforcement learning',
  'graph neural', 'transformer', 'contrastive', 'image generation', 'prompt tuning',
  '"neural network"', 'title:attention', 'year:2015', 'speech*', 'benchmark dataset',
  'adversarial robustness', 'knowledge distillation', 'retrieval', 'optimization convergence', 'tokens',
];
const ROUNDS = Number(process.env.TOPICA_BENCH_ROUNDS ?? 3);

if (!process.env.DISPLAY) {
  console.error('needs an X display: run `xvfb-run -a -s "-screen 0 1280x800x24" npm run bench:search`');
  process.exit(2);
}

const lib = bigLibrary();
// The best hit of each query, as the engine ranks it; queries with no hit are left out.
const expected = [];
for (const q of QUERIES) {
  const hits = JSON.parse(cli('--library', lib, 'search', q, '--limit', '1', '--json'));
  if (hits.length) expected.push({ q, id: hits[0].id });
  else console.error(`bench: "${q}" has no hit in this library; left out`);
}

const { d, close } = await openWindow(lib);

// In the page: type `q` minus its last character and wait for its results to settle, then time
// the last keystroke to painted results (top row = `id`, with a snippet). Also times the search
// IPC alone (same query, same limit as the UI) right after.
const TIME_ONE = UNTIL_PAINTED + `
const [q, id, done] = arguments;
const box = document.querySelector('.search input');
const type = (v) => { box.value = v; box.dispatchEvent(new Event('input', { bubbles: true })); };
const list = document.querySelector('.list');
const shows = () => {
  const top = list.querySelector('.row[data-paper-id]');
  return list.dataset.resultsFor === q && top && top.getAttribute('data-paper-id') === String(id) && top.querySelector('.snippet');
};
const settle = (ms) => new Promise((r) => setTimeout(r, ms));
(async () => {
  type(q.slice(0, -1));
  await settle(400);
  const t0 = performance.now();
  await untilPainted(list, shows, () => type(q), () => {
    const top = document.querySelector('.list .row[data-paper-id]');
    return 'after 10 s the top row is ' + (top ? top.getAttribute('data-paper-id') + ' ' + top.textContent.slice(0, 80) : 'missing') + ', expected ' + id;
  });
  const painted = performance.now() - t0;
  const t1 = performance.now();
  await window.__TAURI_INTERNALS__.invoke('search_ranked', { query: q, limit: 500, detailed: 60 });
  const ipc = performance.now() - t1;
  const t2 = performance.now();
  await window.__TAURI_INTERNALS__.invoke('topic_counts', { query: q });
  const facets = performance.now() - t2;
  type('');
  await settle(300);
  done({ painted, ipc, facets });
})().catch((e) => done({ error: String(e) }));
`;

try {
  const painted = [];
  const ipc = [];
  const facets = [];
  for (let round = 0; round < ROUNDS + 1; round++) {
    for (const { q, id } of expected) {
      const r = await d.executeAsyncScript(TIME_ONE, q, id);
      if (r.error) throw new Error(`"${q}": ${r.error}`);
      if (round === 0) continue; // warm-up round: first use of each term's postings
      painted.push(r.painted);
      ipc.push(r.ipc);
      facets.push(r.facets);
    }
  }
  console.log(`${N.toLocaleString()} papers, ${expected.length} queries × ${ROUNDS} rounds`);
  console.log(`keystroke → painted results: ${line(painted)}`);
  console.log(`search IPC alone (baseline):  ${line(ipc)}`);
  console.log(`counts per topic (asked for after the list): ${line(facets)}`);
  console.log(`ratio painted / IPC at p50: ${(pct(painted, 0.5) / pct(ipc, 0.5)).toFixed(2)}×`);
  console.log(`target: ≤ 50 ms keystroke to painted results → ${pct(painted, 0.5) <= 50 ? 'met at p50' : 'MISSED at p50'}${pct(painted, 0.95) <= 50 ? ', met at p95' : ', missed at p95'}`);
} finally {
  await close();
}
