// End-to-end: more than one library. File → Open library… lists the libraries opened before;
// choosing one switches the window to it, and the library open at quit reopens at start.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT, By, cliPath, eventually, launch, screenshot, startDriver, text, xdo } from './harness.mjs';

const FIXTURE = path.join(ROOT, 'tests/fixtures/desktop/id_0808.05394_1707.08567_s0_m100_42e5aa0ec3af.xml');

let driver;
let d;
let other;

describe('Switching libraries', { concurrency: false }, () => {
  before(async () => {
    // A second library, made with the real CLI: the fixture's one paper.
    other = path.join(mkdtempSync(path.join(os.tmpdir(), 'topica-e2e-other-')), 'thesis-library');
    execFileSync(cliPath(), ['--library', other, 'import', FIXTURE], { stdio: 'ignore' });
    // No TOPICA_LIBRARY: the app opens its default library, then the one it remembers.
    driver = await startDriver({ extraEnv: { TOPICA_LIBRARY: '' } });
    writeFileSync(driver.env.TOPICA_SETTINGS, JSON.stringify({ settings: { recentLibraries: [other] } }));
    d = await launch();
  });
  after(async () => {
    await d?.quit().catch(() => {});
    driver?.stop();
  });

  it('opens a recent library from File → Open library…, and reopens it after a restart', async () => {
    await eventually(async () => (await text(d, '[data-testid="count-all"]')) === '94', 30_000, 'the sample library first');
    // The native menu: File, then its third entry (Add by identifier…, New library…, Open library…).
    xdo('mousemove', '19', '12', 'click', '1');
    await new Promise((r) => setTimeout(r, 700));
    xdo('key', 'Down', 'Down', 'Down', 'Return');
    const entry = await d.wait(async () => (await d.findElements(By.css(`[data-recent-library="${other}"]`)))[0], 10_000);
    await screenshot(d, 'libraries');
    await entry.click();
    await eventually(async () => (await text(d, '[data-testid="count-all"]')) === '1', 10_000, 'the other library shown');
    assert.match(await d.findElement(By.css('[data-testid="library-dir"]')).getAttribute('textContent'), /thesis-library/);
    await d.quit();
    d = await launch();
    await eventually(async () => (await text(d, '[data-testid="count-all"]')) === '1', 20_000, 'the other library after a restart');
  });
});
