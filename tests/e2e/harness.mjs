// Drives the real Topica binary through tauri-driver + WebKitWebDriver (run under xvfb-run).
// One tauri-driver per test file; each `launch()` starts the app afresh on the same library,
// so a test can quit and relaunch to check what survives a restart.

import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Builder, By, Key, until } from 'selenium-webdriver';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const SHOTS = path.join(ROOT, 'tests/e2e/screenshots');
export { By, Key, until };

function targetDir() {
  return process.env.CARGO_TARGET_DIR ?? path.join(ROOT, 'target');
}

/** The `topica-cli` built beside the app (cargo test builds it), to check what the app wrote. */
export function cliPath() {
  return path.join(targetDir(), 'debug', 'topica-cli');
}

export function appPath() {
  const p = process.env.TOPICA_APP ?? path.join(targetDir(), 'debug', 'topica');
  if (!existsSync(p)) throw new Error(`${p} not found: run \`npm run build:e2e\` first`);
  return p;
}

function driverPath() {
  const local = path.join(ROOT, '.tools/bin/tauri-driver');
  if (existsSync(local)) return local;
  return 'tauri-driver';
}

function waitPort(port, ms) {
  const deadline = Date.now() + ms;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      const s = net.connect(port, '127.0.0.1');
      s.once('connect', () => { s.end(); resolve(); });
      s.once('error', () => {
        s.destroy();
        if (Date.now() > deadline) reject(new Error(`port ${port} did not open`));
        else setTimeout(attempt, 100);
      });
    };
    attempt();
  });
}

/**
 * A temporary library (or `library`, for benchmarks) + settings file and a running tauri-driver
 * whose children inherit them.
 */
export async function startDriver({ library, extraEnv = {} } = {}) {
  const dir = mkdtempSync(path.join(tmpdir(), 'topica-e2e-'));
  const env = {
    ...process.env,
    TOPICA_LIBRARY: library ?? path.join(dir, 'library'),
    TOPICA_SETTINGS: path.join(dir, 'settings.json'),
    XDG_DATA_HOME: path.join(dir, 'xdg-data'),
    XDG_CONFIG_HOME: path.join(dir, 'xdg-config'),
    // No semantic model (the app looks in its own empty data folder): topics by words, fitted in
    // a second; the semantic test installs one through the window.
    TOPICA_MODEL_DIR: '',
    NO_AT_BRIDGE: '1',
    ...extraEnv,
  };
  const driver = spawn(driverPath(), [], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  driver.stderr.on('data', (d) => (log += d));
  await waitPort(4444, 20_000);
  // WebKitWebDriver inherits the stderr pipe: close our end too, or node waits for it after the tests.
  return { dir, env, stop: () => { driver.kill(); driver.stderr.destroy(); }, log: () => log };
}

export async function launch() {
  const caps = { browserName: 'wry', 'tauri:options': { application: appPath() } };
  const d = await new Builder().usingServer('http://127.0.0.1:4444/').withCapabilities(caps).build();
  // The first paint waits for the library to open.
  await d.wait(until.elementLocated(By.css('[data-testid="count-all"]')), 30_000);
  return d;
}

/** Types `q` into the search bar (empty: clears it). */
export async function search(d, q) {
  const box = await d.findElement(By.css('.search input'));
  // Select-all + Backspace fires the input event that clear() does not.
  await box.sendKeys(Key.chord(Key.CONTROL, 'a'), Key.BACK_SPACE);
  if (q) await box.sendKeys(q);
}

export async function text(d, css, timeout = 10_000) {
  const el = await d.wait(until.elementLocated(By.css(css)), timeout);
  return el.getText();
}

/** Waits until `f()` is truthy (re-evaluated), returns its value. */
export async function eventually(f, timeout = 10_000, what = 'condition') {
  const deadline = Date.now() + timeout;
  let last;
  while (Date.now() < deadline) {
    try {
      last = await f();
      if (last) return last;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}; last: ${last}`);
}

/** Screenshot of the whole X display (the real window, with its native menu bar). */
export async function screenshot(d, name) {
  mkdirSync(SHOTS, { recursive: true });
  const file = path.join(SHOTS, `${name}.png`);
  await new Promise((r) => setTimeout(r, 300)); // the X server shows what WebKit painted a moment ago
  try {
    execFileSync('/usr/bin/import', ['-window', 'root', file], { stdio: 'ignore' });
  } catch {
    writeFileSync(file, Buffer.from(await d.takeScreenshot(), 'base64'));
  }
  return file;
}

/** X11 helpers for the native (GTK) dialogs, which WebDriver cannot see. */
export function xdo(...args) {
  return execFileSync('xdotool', args, { encoding: 'utf8' }).trim();
}

/** Waits for a visible native dialog titled `title` and gives it the focus. The newest window
 *  of that title is taken, and focusing is retried: the previous dialog of the same title may
 *  still be unmapping (X then refuses the focus with BadMatch). */
async function focusDialog(title) {
  await eventually(async () => {
    let win;
    try {
      win = xdo('search', '--onlyvisible', '--name', title).split('\n').pop();
    } catch {
      return false;
    }
    await new Promise((r) => setTimeout(r, 700)); // let GTK finish mapping it
    try {
      xdo('windowfocus', '--sync', win);
      return true;
    } catch {
      return false;
    }
  }, 15_000, `the "${title}" dialog`);
}

/** Waits for a native dialog titled `title`, types `file` into its location field, confirms. */
export async function answerFileDialog(title, file) {
  await focusDialog(title);
  xdo('key', '--clearmodifiers', 'ctrl+l');
  await new Promise((r) => setTimeout(r, 300));
  xdo('type', '--delay', '10', file);
  await new Promise((r) => setTimeout(r, 300));
  xdo('key', 'Return');
}

/** Answers a GTK folder dialog with `dir`: typed into its location field, confirmed (a second
 *  Return when the first only completed the name or went into the folder). */
export async function answerFolderDialog(title, dir) {
  await answerFileDialog(title, dir);
  await new Promise((r) => setTimeout(r, 800));
  try {
    xdo('search', '--onlyvisible', '--name', title);
  } catch {
    return; // closed: the folder was taken
  }
  xdo('key', 'Return');
}

/** Answers a GTK save dialog: the name field takes a full path. */
export async function answerSaveDialog(title, file) {
  await focusDialog(title);
  xdo('key', '--clearmodifiers', 'ctrl+a');
  await new Promise((r) => setTimeout(r, 200));
  xdo('type', '--delay', '10', file);
  await new Promise((r) => setTimeout(r, 300));
  xdo('key', 'Return');
}

/**
 * Drags with the real mouse (xdotool), from the centre of element `from` to the centre of `to`,
 * in steps as a hand would. `during` runs with the button still down (a screenshot of the drag).
 */
export async function dragTo(d, from, to, during) {
  // Both ends are scrolled into view first (the target centred, then the source as little as
  // needed), and only then measured: a sidebar taller than the window (many topics) puts the
  // collections below its fold, where the pointer cannot reach them.
  await d.executeScript('arguments[1].scrollIntoView({ block: "center" }); arguments[0].scrollIntoView({ block: "nearest" });', from, to);
  const centre = (el) => d.executeScript(
    'const b = arguments[0].getBoundingClientRect(); return [b.left + b.width / 2, b.top + b.height / 2, window.outerHeight - window.innerHeight];', el);
  const [x1, y1, top] = await centre(from);
  const [x2, y2] = await centre(to);
  const at = (x, y) => xdo('mousemove', String(Math.round(x)), String(Math.round(y + top)));
  at(x1, y1);
  xdo('mousedown', '1');
  for (let i = 1; i <= 12; i++) {
    at(x1 + ((x2 - x1) * i) / 12, y1 + ((y2 - y1) * i) / 12);
    await new Promise((r) => setTimeout(r, 30));
  }
  await new Promise((r) => setTimeout(r, 150));
  if (during) await during();
  xdo('mouseup', '1');
}
