// End-to-end: desktop conventions. A second launch with a .bib hands it to the running window
// (single instance over D-Bus), which opens the import sheet and comes to the front; a
// topica://paper/<key> link shows that paper, a .csl joins the citation styles; the window's size survives a restart; File →
// Restore from backup… puts the library back as a backup had it.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT, By, answerFileDialog, appPath, eventually, launch, screenshot, search, startDriver, text, xdo } from './harness.mjs';

/** A private D-Bus session bus, as a desktop session has: the single-instance plugin finds the
 *  running app on it. Resolves to [address, stop]. */
function sessionBus() {
  return new Promise((resolve, reject) => {
    const bus = spawn('dbus-daemon', ['--session', '--nofork', '--print-address'], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    bus.stdout.on('data', (d) => {
      out += d;
      const line = out.split('\n')[0];
      if (out.includes('\n')) resolve([line.trim(), () => bus.kill()]);
    });
    bus.once('error', reject);
  });
}

/** Runs the app a second time with `args`; resolves to its exit code (it should hand over and exit). */
function secondLaunch(env, args, cwd) {
  return new Promise((resolve, reject) => {
    const p = spawn(appPath(), args, { env, cwd, stdio: 'ignore' });
    const timer = setTimeout(() => { p.kill(); reject(new Error('the second launch did not exit: it opened a window of its own')); }, 30_000);
    p.once('exit', (code) => { clearTimeout(timer); resolve(code); });
  });
}

describe('A second launch', { concurrency: false }, () => {
  let driver;
  let d;
  let stopBus;
  let env;
  before(async () => {
    const [address, stop] = await sessionBus();
    stopBus = stop;
    driver = await startDriver({ extraEnv: { DBUS_SESSION_BUS_ADDRESS: address } });
    env = driver.env;
    d = await launch();
    await eventually(async () => (await text(d, '[data-testid="count-all"]')) === '94', 30_000, 'the sample library');
  });
  after(async () => {
    await d?.quit().catch(() => {});
    driver?.stop();
    stopBus?.();
  });

  it('hands a .bib to the running window, which opens the import sheet', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'topica-e2e-open-'));
    writeFileSync(path.join(dir, 'thesis.bib'), '@article{doe2024, title={A Paper Opened by Double-Click}, author={Doe, Jane}, year={2024}, journal={J}}\n');
    // A relative path: the running window resolves it against the second launch's folder.
    assert.equal(await secondLaunch(env, ['thesis.bib'], dir), 0);
    const sheet = await d.wait(async () => (await d.findElements(By.css('[data-testid="import-sheet"]')))[0], 15_000);
    await eventually(async () => (await sheet.getText()).includes('thesis.bib'), 10_000, 'the sheet naming the file');
    await screenshot(d, 'second-launch-import');
    await eventually(async () => (await text(d, '[data-testid="import-added"]')) === '1', 20_000, 'the paper imported');
    await d.findElement(By.css('[data-testid="import-sheet"] button.primary')).click(); // Done
  });

  it('adds a .csl it is handed to the citation styles', async () => {
    const style = path.join(ROOT, 'tests/fixtures/styles/american-chemical-society.csl');
    assert.equal(await secondLaunch(env, [style], os.tmpdir()), 0);
    await eventually(async () => /Added the citation style/.test(await text(d, '[data-testid="message"]')), 15_000, 'the style added');
    const names = await d.executeAsyncScript('const done = arguments[arguments.length - 1]; window.__TAURI_INTERNALS__.invoke("styles").then((s) => done(s.filter((x) => !x.bundled).map((x) => x.name)), (e) => done(String(e)));');
    assert.deepEqual(names, ['american-chemical-society']);
    // The Export dialog offers it beside the bundled styles.
    await d.findElement(By.css('[data-testid="export-button"]')).click();
    await d.wait(async () => (await d.findElements(By.css('[data-testid="export-format"] option[value="american-chemical-society"]')))[0], 10_000);
    assert.ok((await d.findElements(By.css('[data-testid="export-format"] option[value="chicago-notes"]'))).length === 1, 'a bundled style');
    await screenshot(d, 'export-styles');
    await d.findElement(By.css('[data-testid="export-sheet"] .buttons button')).click(); // Cancel
  });

  it('shows the paper a topica:// link names', async () => {
    assert.equal(await secondLaunch(env, ['topica://paper/doe2024'], os.tmpdir()), 0);
    await eventually(async () => (await text(d, '[data-testid="detail-title"]')) === 'A Paper Opened by Double-Click', 15_000, 'the linked paper shown');
  });
});

describe('Moving in from Zotero', { concurrency: false }, () => {
  let driver;
  let d;
  before(async () => {
    driver = await startDriver();
    d = await launch();
  });
  after(async () => {
    await d?.quit().catch(() => {});
    driver?.stop();
  });

  it('imports a zotero.sqlite chosen in Import…, with its collection, and says what it left out', async () => {
    await eventually(async () => (await text(d, '[data-testid="count-all"]')) === '94', 30_000, 'the sample library');
    const folder = mkdtempSync(path.join(os.tmpdir(), 'topica-e2e-zotero-'));
    const db = path.join(folder, 'zotero.sqlite');
    execFileSync('python3', ['-c', 'import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); c.executescript(open(sys.argv[2]).read()); c.commit()',
      db, path.join(ROOT, 'tests/fixtures/zotero/small-library.sql')]);
    await d.findElement(By.css('[data-testid="import-button"]')).click();
    await answerFileDialog('Import into Topica', db);
    assert.equal(await text(d, '[data-testid="import-added"]', 30_000), '1');
    assert.match(await text(d, '[data-testid="import-sheet"]'), /trash/);
    await screenshot(d, 'zotero-import');
    await d.findElement(By.css('[data-testid="import-sheet"] button.primary')).click();
    await eventually(async () => (await text(d, '[data-testid="count-all"]')) === '95', 10_000, '95 papers');
    await search(d, 'title:zotero');
    await eventually(async () => (await text(d, '[data-testid="list-count"]')) === '1 match', 10_000, 'the Zotero paper found');
  });
});

describe('The window', { concurrency: false }, () => {
  let driver;
  let d;
  before(async () => {
    driver = await startDriver();
    d = await launch();
  });
  after(async () => {
    await d?.quit().catch(() => {});
    driver?.stop();
  });

  it('keeps its size across a restart', async () => {
    const win = xdo('search', '--onlyvisible', '--name', '^Topica$').split('\n').pop();
    xdo('windowsize', '--sync', win, '1000', '640');
    await eventually(async () => (await d.executeScript('return window.innerWidth')) === 1000, 10_000, 'the window resized');
    await new Promise((r) => setTimeout(r, 500));
    await d.quit();
    d = await launch();
    await eventually(async () => (await d.executeScript('return [window.innerWidth, window.outerHeight]'))[0] === 1000, 10_000, 'the size after a restart');
  });

  it('restores the library from a backup', async () => {
    await eventually(async () => (await text(d, '[data-testid="count-all"]')) === '94', 30_000, 'the sample library');
    const call = (cmd, args) => d.executeAsyncScript('const done = arguments[arguments.length - 1]; window.__TAURI_INTERNALS__.invoke(arguments[0], arguments[1]).then(done, (e) => done(String(e)));', cmd, args);
    assert.match((await call('backup_now', {})).path, /backups/);
    assert.deepEqual(await call('trash', { ids: [1, 2, 3] }), [1, 2, 3]);
    await eventually(async () => (await text(d, '[data-testid="count-all"]')) === '91', 10_000, 'three papers deleted');
    // File → Restore from backup… (the 10th entry: after Export… and Back up now).
    xdo('mousemove', '19', '12', 'click', '1');
    await new Promise((r) => setTimeout(r, 700));
    xdo('key', ...Array(10).fill('Down'), 'Return');
    const row = await d.wait(async () => (await d.findElements(By.css('[data-testid="backup"] button')))[0], 10_000);
    await screenshot(d, 'backups');
    await row.click();
    await d.wait(async () => (await d.findElements(By.css('[data-testid="restore-question"]')))[0], 5_000);
    await screenshot(d, 'backup-restore-question');
    await d.findElement(By.css('[data-testid="restore-confirm"]')).click();
    await eventually(async () => (await text(d, '[data-testid="count-all"]')) === '94', 20_000, 'the library as the backup had it');
  });
});
