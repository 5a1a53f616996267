// `npm run bench:scroll`: scrolling the paper list of a 100k-paper library (or the library
// TOPICA_BENCH_LIBRARY names) in the real window — time from a scroll to the frame that shows every
// row in view filled in (title and authors, no "Loading…"). Two gestures: a page down (the next
// screen of rows) and a jump to a random place (the scrollbar dragged), whose rows were never
// fetched. The clock stops just after the frame that first shows the window full (a message posted
// from that frame's animation callback). Prints p50/p95/max; asserts nothing (the machine is noisy).
//
// Baseline in the same run: the IPC round trip of the rows call alone for one screen of ids (the
// UI's call, timed from the page), so the ratio shows what the list adds to the engine and the IPC.
// Needs the built app, topica-cli, tauri-driver and xvfb-run (as `scripts/e2e.sh` sets up).

import { N, bigLibrary } from './bench-library.mjs';
import { UNTIL_PAINTED, line, openWindow, pct } from './bench-window.mjs';

const ROUNDS = Number(process.env.TOPICA_BENCH_ROUNDS ?? 30);

if (!process.env.DISPLAY) {
  console.error('needs an X display: run `xvfb-run -a -s "-screen 0 1280x800x24" npm run bench:scroll`');
  process.exit(2);
}

const lib = bigLibrary();
const { d, close } = await openWindow(lib);

// In the page: scroll the list to `to` (a fraction of its height, or -1 for one page down) and
// time until every row in view is filled; then time the rows call alone for the ids now in view.
const TIME_ONE = UNTIL_PAINTED + `
const [to, done] = arguments;
const list = document.querySelector('.list');
const inView = () => {
  const top = list.scrollTop, bottom = top + list.clientHeight;
  return [...list.querySelectorAll('.row[data-paper-id]')].filter((r) => {
    const y = r.offsetTop;
    return y + r.offsetHeight > top && y < bottom;
  });
};
// Rows cover the view (none missing: a row is 52 px) and none is waiting for its text.
const full = () => {
  const rows = inView();
  return rows.length >= Math.floor(list.clientHeight / 52) && rows.every((r) => !r.querySelector('.placeholder'));
};
const settle = (ms) => new Promise((r) => setTimeout(r, ms));
(async () => {
  await settle(150);
  const t0 = performance.now();
  const scroll = () => {
    list.scrollTop = to < 0 ? list.scrollTop + list.clientHeight : Math.floor(to * (list.scrollHeight - list.clientHeight));
  };
  await untilPainted(list, full, scroll, () => 'after 10 s the rows in view are not filled');
  const painted = performance.now() - t0;
  const ids = inView().map((r) => Number(r.getAttribute('data-paper-id')));
  const t1 = performance.now();
  await window.__TAURI_INTERNALS__.invoke('rows', { ids });
  const ipc = performance.now() - t1;
  done({ painted, ipc });
})().catch((e) => done({ error: String(e) }));
`;

try {
  let seed = 7;
  const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) & 0x7fffffff) / 2 ** 31;
  const figures = { page: { painted: [], ipc: [] }, jump: { painted: [], ipc: [] } };
  for (let round = 0; round < ROUNDS + 1; round++) {
    for (const kind of ['jump', 'page']) {
      const r = await d.executeAsyncScript(TIME_ONE, kind === 'page' ? -1 : rnd());
      if (r.error) throw new Error(`${kind}: ${r.error}`);
      if (round === 0) continue; // warm-up round
      figures[kind].painted.push(r.painted);
      figures[kind].ipc.push(r.ipc);
    }
  }
  console.log(`${N.toLocaleString()} papers, ${ROUNDS} scrolls of each kind`);
  for (const [kind, name] of [['page', 'page down'], ['jump', 'jump to a random place']]) {
    const f = figures[kind];
    console.log(`${name} → rows in view painted: ${line(f.painted)}`);
    console.log(`  rows IPC alone for those ids (baseline): ${line(f.ipc)}; ratio at p50 ${(pct(f.painted, 0.5) / Math.max(pct(f.ipc, 0.5), 0.1)).toFixed(2)}×`);
  }
  const p95 = Math.max(pct(figures.page.painted, 0.95), pct(figures.jump.painted, 0.95));
  console.log(`target: list scroll p95 ≤ 50 ms → ${p95 <= 50 ? 'met' : 'MISSED'} (worst p95 ${p95.toFixed(1)} ms)`);
} finally {
  await close();
}
