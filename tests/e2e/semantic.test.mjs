// End-to-end test of semantic topics in the real window: the model is downloaded through
// Settings → Semantic topics from a model hub on 127.0.0.1 (serving the installed model's files,
// honouring Range), the library switched to meaning, its topics recomputed and every paper
// embedded; then the full labels in the sidebar, the map and screenshots of both.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { By, eventually, launch, screenshot, startDriver, text } from './harness.mjs';

/** The model scripts/install-model.sh installed (TOPICA_MODEL_DIR, else the default folder). */
const installed = process.env.TOPICA_MODEL_DIR ||
  path.join(process.env.XDG_DATA_HOME || path.join(os.homedir(), '.local/share'), 'io.topica.desktop/models/all-MiniLM-L6-v2');

let driver;
let d;
let hub;
const requests = [];

describe('semantic topics', { concurrency: false }, () => {
  before(async () => {
    const files = Object.fromEntries(['config.json', 'tokenizer.json', 'model.safetensors']
      .map((f) => [`/st/${f}`, readFileSync(path.join(installed, f))]));
    hub = http.createServer((req, res) => {
      requests.push(req.url);
      const body = files[req.url];
      if (!body) { res.writeHead(404).end('Entry not found'); return; }
      res.writeHead(200, { 'Content-Length': body.length, 'Content-Type': 'application/octet-stream' }).end(body);
    });
    await new Promise((r) => hub.listen(0, '127.0.0.1', r));
    // The window's data folder is the test's own (startDriver sets XDG_DATA_HOME): no model yet.
    driver = await startDriver({ extraEnv: { TOPICA_MODEL_HUB: `http://127.0.0.1:${hub.address().port}/st` } });
    d = await launch();
    await eventually(() => d.findElements(By.css('[data-topic-level="leaf"]')).then((l) => l.length >= 2), 60_000, 'the lexical topics');
  });
  after(async () => {
    await d?.quit().catch(() => {});
    driver?.stop();
    hub?.close();
  });

  it('downloads the model, switches to meaning and recomputes the topics', async () => {
    await d.findElement(By.css('[data-testid="settings-button"]')).click();
    // The section asks the engine for its status first.
    assert.match(await text(d, '[data-testid="semantic-model"]'), /No model/);
    await screenshot(d, 'semantic-settings-no-model');
    await d.findElement(By.css('[data-testid="download-model"]')).click();
    await eventually(async () => /all-MiniLM-L6-v2, in/.test(await d.findElement(By.css('[data-testid="semantic-model"]')).getText()), 60_000, 'the downloaded model');
    assert.deepEqual(requests.sort(), ['/st/config.json', '/st/model.safetensors', '/st/tokenizer.json']);
    // Automatic now means meaning for this small library.
    const mode = await d.findElement(By.css('[data-testid="topic-mode"]'));
    assert.match(await mode.findElement(By.css('option[value="auto"]')).getText(), /meaning/);
    await d.findElement(By.css('[data-testid="recompute-semantic"]')).click();
    // The sidebar shows how far the embedding is while it runs (94 papers take seconds).
    await eventually(async () => /Reading the meaning of 94 papers/.test(await d.findElement(By.css('[data-testid="topics-embedding"]')).getAttribute('textContent')),
      60_000, 'the embedding progress in the sidebar');
    await eventually(async () => /94 of 94 papers embedded/.test(await d.findElement(By.css('[data-testid="embedded-count"]')).getText()),
      240_000, 'every paper embedded by the recompute');
    await screenshot(d, 'semantic-settings');
    await d.findElement(By.css('[data-testid="settings-sheet"] .buttons .primary')).click();
  });

  it('shows full phrase labels in the sidebar', async () => {
    let seen = [];
    const labels = await eventually(async () => {
      const els = await d.findElements(By.css('[data-topic-level="leaf"]'));
      const texts = await Promise.all(els.map((e) => e.getAttribute('textContent')));
      seen = texts;
      return texts.some((t) => /speech\s+(enhancement|generation)/i.test(t)) && texts;
    }, 30_000, 'a speech topic among the semantic leaves').catch((e) => assert.fail(`${e.message}: ${seen.join(' | ')}`));
    // Labels are phrases of the papers' words, some of them several words long; the sidebar
    // wraps them and its tooltip holds the whole label.
    const phrases = labels.flatMap((t) => t.replace(/\s+\d+$/, '').split('·').map((p) => p.trim().replace(/\s+/g, ' ')));
    assert.ok(phrases.filter((p) => p.includes(' ')).length >= 3, `multi-word phrases: ${phrases}`);
    for (const p of phrases) assert.doesNotMatch(p, /^(of|the|and|a|in|on|for|with)\b|\b(of|the|and|a|in|on|for|with)$/i, p);
    await d.actions().move({ x: 700, y: 790 }).perform();
    await screenshot(d, 'semantic-topic-tree');
  });

  it('draws the semantic topics on the map', async () => {
    await d.findElement(By.css('[data-testid="map-tab"]')).click();
    await eventually(async () => d.executeScript(`const c = document.querySelector('[data-testid="map-canvas"]'); return c && Number(c.dataset.points) === 94;`), 20_000, '94 dots');
    await screenshot(d, 'semantic-map');
  });
});
