// End-to-end: Settings → Semantic topics → Use a folder…, answered in the native folder dialog
// (xdotool): a folder without the model is refused with the file it lacks and changes nothing; a
// copy of the installed model is taken, remembered in the settings file and used again after a
// restart; "Use the default folder" goes back.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { By, answerFolderDialog, eventually, launch, screenshot, startDriver, text } from './harness.mjs';

/** The model scripts/install-model.sh installed (TOPICA_MODEL_DIR, else the default folder). */
const installed = process.env.TOPICA_MODEL_DIR ||
  path.join(process.env.XDG_DATA_HOME || path.join(os.homedir(), '.local/share'), 'io.topica.desktop/models/all-MiniLM-L6-v2');
const TITLE = 'Choose the folder of the all-MiniLM-L6-v2 model';

let driver;
let d;
let copy;
let empty;

const MODEL = '[data-testid="semantic-model"]';
const stored = () => {
  try {
    return JSON.parse(readFileSync(path.join(driver.dir, 'settings.json'), 'utf8')).settings ?? {};
  } catch {
    return {};
  }
};

/** Screenshot with the whole Semantic topics section (and its error) in view. */
async function shot(name) {
  await d.executeScript('document.querySelector(\'[data-testid="semantic-topics"]\').scrollIntoView({ block: "end" });');
  await screenshot(d, name);
}

async function openSettings() {
  await d.findElement(By.css('[data-testid="settings-button"]')).click();
  await d.wait(async () => (await d.findElements(By.css(MODEL))).length === 1, 10_000);
}

/** Use a folder…, answered with `dir` in the native dialog. */
async function useFolder(dir) {
  await d.findElement(By.css('[data-testid="use-model-folder"]')).click();
  await answerFolderDialog(TITLE, dir);
}

describe('model folder', { concurrency: false }, () => {
  before(async () => {
    // The window's data folder is the test's own (startDriver sets XDG_DATA_HOME): no model
    // there, so only a chosen folder can give one.
    driver = await startDriver();
    copy = path.join(driver.dir, 'shared models', 'MiniLM copy');
    mkdirSync(copy, { recursive: true });
    for (const f of ['config.json', 'tokenizer.json', 'model.safetensors']) copyFileSync(path.join(installed, f), path.join(copy, f));
    empty = path.join(driver.dir, 'not-a-model');
    mkdirSync(empty);
    d = await launch();
    await openSettings();
  });
  after(async () => {
    await d?.quit().catch(() => {});
    driver?.stop();
    // The copy is the model's 87 MB: not left in the temporary folder.
    if (copy) rmSync(path.dirname(copy), { recursive: true, force: true });
  });

  it('refuses a folder without the model, naming it and the file it lacks', async () => {
    assert.match(await text(d, MODEL), /No model in the default folder/);
    await useFolder(empty);
    const err = await eventually(async () => {
      const e = await d.findElements(By.css('[data-testid="semantic-error"]'));
      return e.length === 1 && e[0].getText();
    }, 20_000, 'the error');
    assert.ok(err.includes(empty) && err.includes('config.json'), err);
    assert.match(await text(d, MODEL), /No model in the default folder/, 'nothing changed');
    assert.equal(stored().modelDir ?? null, null, 'nothing remembered');
    assert.equal((await d.findElements(By.css('[data-testid="default-model-folder"]'))).length, 0);
    await shot('model-folder-refused');
  });

  it('takes a copy of the model, and remembers it across a restart', async () => {
    await useFolder(copy);
    await eventually(async () => (await text(d, MODEL)).includes(`all-MiniLM-L6-v2, in ${copy} (your folder)`), 30_000, 'the chosen model');
    assert.equal((await d.findElements(By.css('[data-testid="semantic-error"]'))).length, 0, 'the old error is gone');
    assert.equal(stored().modelDir, copy);
    // Automatic mode means meaning now.
    const mode = await d.findElement(By.css('[data-testid="topic-mode"]'));
    assert.match(await mode.findElement(By.css('option[value="auto"]')).getText(), /meaning/);
    await shot('model-folder-chosen');

    await d.quit();
    d = await launch();
    await openSettings();
    assert.match(await text(d, MODEL), new RegExp(`in ${copy.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(your folder\\)`));
  });

  it('goes back to the default folder', async () => {
    await d.findElement(By.css('[data-testid="default-model-folder"]')).click();
    await eventually(async () => /No model in the default folder/.test(await text(d, MODEL)), 10_000, 'the default folder');
    await eventually(() => stored().modelDir === null, 5_000, 'the setting cleared');
    assert.equal((await d.findElements(By.css('[data-testid="default-model-folder"]'))).length, 0);
    assert.equal((await d.findElements(By.css('[data-testid="download-model"]'))).length, 1, 'the download is offered again');
  });
});
