// What the desktop app's benches share: the real window on a library (through tauri-driver), the
// page-side clock that stops just after the frame that paints a change, and percentiles.

import { Builder } from 'selenium-webdriver';
import { appPath, startDriver } from './harness.mjs';

/** The app's window on `library`, once its list shows rows with their text (60 s at most);
 *  `close()` quits it and stops the driver. */
export async function openWindow(library) {
  const driver = await startDriver({ library });
  const d = await new Builder()
    .usingServer('http://127.0.0.1:4444/')
    .withCapabilities({ browserName: 'wry', 'tauri:options': { application: appPath() } })
    .build();
  const close = async () => { await d.quit().catch(() => {}); driver.stop(); };
  const start = Date.now();
  while (!(await d.executeScript('return !!document.querySelector(".list .row[data-paper-id] .title:not(.placeholder)")'))) {
    if (Date.now() - start > 60_000) {
      await close();
      throw new Error('the list never painted');
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  await d.manage().setTimeouts({ script: 30_000 });
  return { d, close };
}

/** Page-side source to put before a timed script. `untilPainted(target, ready, act, why)` does
 *  `act()` and resolves just after the frame that first shows `ready()` true (a message posted
 *  from that frame's animation callback is handled right after it is drawn); after 10 s it
 *  rejects with `why()`. */
export const UNTIL_PAINTED = `
const untilPainted = (target, ready, act, why) => new Promise((resolve, reject) => {
  let seen = false;
  const timer = setTimeout(() => { obs.disconnect(); reject(new Error(why())); }, 10000);
  const check = () => {
    if (seen || !ready()) return;
    seen = true;
    obs.disconnect();
    clearTimeout(timer);
    requestAnimationFrame(() => {
      const ch = new MessageChannel();
      ch.port1.onmessage = () => resolve();
      ch.port2.postMessage(0);
    });
  };
  const obs = new MutationObserver(check);
  obs.observe(target, { subtree: true, childList: true, attributes: true, characterData: true });
  act();
  check();
  // A scroll's rows are laid out before the next frame: look again then.
  requestAnimationFrame(check);
});
`;

export const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))];
export const line = (xs) => `p50 ${pct(xs, 0.5).toFixed(1)} ms, p95 ${pct(xs, 0.95).toFixed(1)} ms, max ${Math.max(...xs).toFixed(1)} ms`;
