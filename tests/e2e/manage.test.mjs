// End-to-end: managing the library in the real window. Add by arXiv id and by DOI (against a
// metadata server on 127.0.0.1 that this file starts, replaying recorded arXiv answers and the
// DOI fixtures), paste BibTeX, edit a title and find the paper by its new word, delete → trash →
// restore, undo a delete after restarting the app, and the native menu's Add entry.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { ROOT, By, Key, cliPath, eventually, launch, screenshot, startDriver, text, until, xdo } from './harness.mjs';
import { search as typeSearch } from './harness.mjs';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';

const FIXTURES = path.join(ROOT, 'tests/fixtures');

/** The arXiv recordings by their id_list, and the DOI fixtures by DOI. */
function metadataServer() {
  const arxiv = new Map();
  const dir = path.join(FIXTURES, 'arxiv_api/arxiv.py_recorded_json');
  for (const f of readdirSync(dir)) {
    const rec = JSON.parse(readFileSync(path.join(dir, f), 'utf8'));
    const m = /id_list=([^&]*)/.exec(rec.url);
    if (m) arxiv.set(decodeURIComponent(m[1]), rec);
  }
  const doi = (name) => readFileSync(path.join(FIXTURES, 'doi', name), 'utf8');
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    const send = (status, type, body) => {
      res.writeHead(status, { 'Content-Type': type });
      res.end(body);
    };
    if (url.pathname === '/arxiv/query') {
      const rec = arxiv.get(url.searchParams.get('id_list')) ?? arxiv.get('0000.0000');
      return send(rec.status_code, 'application/atom+xml', rec.body);
    }
    if (url.pathname === '/doi/10.1038/nature14539') {
      return send(200, 'application/vnd.citationstyles.csl+json', doi('10.1038_nature14539.csl.json'));
    }
    return send(404, 'text/plain', 'not found');
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

let server;
let driver;
let d;

const search = (q) => typeSearch(d, q);

async function count(testid) {
  const els = await d.findElements(By.css(`[data-testid="${testid}"]`));
  return els.length ? Number(await els[0].getText()) : 0;
}

async function openAdd(textToType) {
  await d.findElement(By.css('[data-testid="add-button"]')).click();
  const box = await d.wait(async () => (await d.findElements(By.css('[data-testid="add-input"]')))[0], 10_000);
  // The dialog's field has the focus; text with new lines goes in through the script, as a paste would.
  await d.executeScript('const t = arguments[0]; const el = document.querySelector(\'[data-testid="add-input"]\'); el.value = t; el.dispatchEvent(new Event("input", { bubbles: true }));', textToType);
  return box;
}

describe('Managing the library in the window', { concurrency: false }, () => {
  before(async () => {
    server = await metadataServer();
    const base = `http://127.0.0.1:${server.address().port}`;
    driver = await startDriver({
      extraEnv: { TOPICA_ARXIV_API: `${base}/arxiv/query`, TOPICA_DOI_RESOLVER: `${base}/doi`, TOPICA_CROSSREF_API: `${base}/crossref` },
    });
    d = await launch();
  });
  after(async () => {
    await d?.quit().catch(() => {});
    driver?.stop();
    server?.close();
  });

  it('adds papers by arXiv link and by DOI, and says why one could not be added', async () => {
    await eventually(async () => (await count('count-all')) === 94, 30_000, 'the sample library');
    await openAdd('https://arxiv.org/abs/1605.08386v1\ndoi:10.1038/nature14539\n10.9999/nothing-here');
    await screenshot(d, 'add-dialog');
    await d.findElement(By.css('[data-testid="add-submit"]')).click();
    const results = await text(d, '[data-testid="add-results"]', 30_000);
    assert.match(results, /Heat-bath random walks with Markov bases/);
    assert.match(results, /Deep learning/);
    assert.match(await text(d, '[data-testid="add-failed"]'), /10\.9999\/nothing-here.*does not know/);
    await screenshot(d, 'add-dialog-results');
    await d.findElement(By.css('[data-testid="add-close"]')).click(); // Done
    await eventually(async () => (await count('count-all')) === 96, 10_000, '96 papers');
    // The first added paper is open.
    assert.match(await text(d, '[data-testid="detail-title"]'), /Heat-bath random walks/);
    await search('author:Hinton');
    await eventually(async () => (await text(d, '[data-testid="list-count"]')) === '1 match', 10_000, 'the DOI paper found by author');
    await search('');
  });

  it('takes pasted BibTeX and reports the entry it skipped', async () => {
    await openAdd('@article{doe2020, title={A Pasted Paper About Zebrafish}, author={Doe, Jane}, year={2020}}\n@article{broken, title=}\n');
    await d.findElement(By.css('[data-testid="add-submit"]')).click();
    assert.match(await text(d, '[data-testid="add-import"]', 20_000), /Read as bibtex: 1 added · 0 merged · 1 skipped/);
    await d.findElement(By.css('[data-testid="add-close"]')).click();
    await eventually(async () => (await count('count-all')) === 97, 10_000, '97 papers');
  });

  it('edits a title, finds the paper by the new word, and refuses a bad year in place', async () => {
    await search('zebrafish');
    const row = await eventually(async () => (await d.findElements(By.css('.list .row[data-paper-id]')))[0], 10_000, 'the pasted paper');
    await row.click();
    await d.findElement(By.css('[data-testid="edit"]')).click();
    const title = await d.findElement(By.css('[data-field="title"]'));
    await title.sendKeys(Key.chord(Key.CONTROL, 'a'), Key.BACK_SPACE);
    await title.sendKeys('Quokkas Count Papers');
    const year = await d.findElement(By.css('[data-field="year"]'));
    await year.sendKeys(Key.chord(Key.CONTROL, 'a'), Key.BACK_SPACE);
    await year.sendKeys('20x1');
    await year.sendKeys(Key.chord(Key.CONTROL, Key.ENTER)); // Ctrl+Enter saves from any field
    assert.match(await text(d, '[data-error-for="year"]'), /"20x1" is not a year/);
    await screenshot(d, 'edit-form');
    await year.sendKeys(Key.chord(Key.CONTROL, 'a'), Key.BACK_SPACE);
    await year.sendKeys('2021');
    await d.executeScript('document.querySelector(\'[data-testid="edit-save"]\').scrollIntoView({ block: "center" })');
    await d.findElement(By.css('[data-testid="edit-save"]')).click();
    await eventually(async () => (await text(d, '[data-testid="detail-title"]')) === 'Quokkas Count Papers', 10_000, 'the saved title');
    assert.match(await text(d, '[data-testid="edited-note"]'), /title, year/);
    await search('quokkas');
    await eventually(async () => (await text(d, '[data-testid="list-count"]')) === '1 match', 10_000, 'found by the new word');
    await search('');
  });

  it('deletes to the trash with Delete, and restores from the trash', async () => {
    await search('quokkas');
    const row = await eventually(async () => (await d.findElements(By.css('.list .row[data-paper-id]')))[0], 10_000, 'the edited paper');
    const id = await row.getAttribute('data-paper-id');
    await row.click();
    await d.findElement(By.css('.list')).sendKeys(Key.DELETE);
    await eventually(async () => /Moved 1 paper to the trash/.test(await text(d, '[data-testid="message"]')), 10_000, 'the toast');
    await eventually(async () => (await count('count-trash')) === 1 && (await count('count-all')) === 96, 10_000, 'counts after delete');
    await search('');
    await d.findElement(By.css('[data-view="trash"]')).click();
    await eventually(async () => (await text(d, '[data-testid="list-heading"]')) === 'Trash', 10_000, 'the trash');
    const trashed = await eventually(async () => (await d.findElements(By.css(`.row[data-paper-id="${id}"]`)))[0], 10_000, 'the paper in the trash');
    await trashed.click();
    assert.match(await text(d, '[data-testid="trashed-note"]'), /In the trash/);
    await screenshot(d, 'trash');
    await d.findElement(By.css('[data-testid="restore"]')).click();
    await eventually(async () => (await count('count-trash')) === 0 && (await count('count-all')) === 97, 10_000, 'counts after restore');
  });

  it('undoes a delete after the app restarts', async () => {
    await d.findElement(By.css('[data-view="all"]')).click();
    await search('quokkas');
    // The search's own rows, not the list shown before it answered.
    await eventually(async () => /^1 match$/.test(await text(d, '[data-testid="list-count"]')), 10_000, 'the one match');
    const row = await eventually(async () => (await d.findElements(By.css('.list .row[data-paper-id]')))[0], 10_000, 'the paper');
    await row.click();
    await (await d.wait(until.elementLocated(By.css('[data-testid="delete"]')), 10_000)).click();
    await eventually(async () => (await count('count-all')) === 96, 10_000, 'deleted');
    await d.quit();
    d = await launch();
    await eventually(async () => (await count('count-trash')) === 1, 10_000, 'still in the trash after the restart');
    await d.findElement(By.css('.list')).sendKeys(Key.chord(Key.CONTROL, 'z'));
    await eventually(async () => /Undid: Delete 1 paper/.test(await text(d, '[data-testid="message"]')), 10_000, 'the undo');
    await eventually(async () => (await count('count-all')) === 97 && (await count('count-trash')) === 0, 10_000, 'back after undo');
  });

  it("the File menu's Add entry opens the add dialog", async () => {
    // The native (GTK) menu bar, which WebDriver cannot see: click File, then its first entry.
    xdo('mousemove', '19', '12', 'click', '1');
    await new Promise((r) => setTimeout(r, 700));
    xdo('key', 'Down', 'Return');
    await d.wait(async () => (await d.findElements(By.css('[data-testid="add-dialog"]'))).length === 1, 10_000);
    await d.findElement(By.css('[data-testid="add-close"]')).click();
  });

  it('right-click on a paper offers Move to the trash, and Ctrl+= zooms the window', async () => {
    await d.findElement(By.css('[data-view="all"]')).click();
    await search('quokkas');
    const row = await eventually(async () => (await d.findElements(By.css('.list .row[data-paper-id]')))[0], 10_000, 'the paper');
    // A real right-click through X (WebKitWebDriver's contextClick sends no contextmenu event):
    // the row's centre, below the native menu bar that sits above the web view.
    const r = await d.executeScript('const b = arguments[0].getBoundingClientRect(); return [b.left + b.width / 2, b.top + b.height / 2, window.outerHeight - window.innerHeight];', row);
    xdo('mousemove', String(Math.round(r[0])), String(Math.round(r[1] + r[2])), 'click', '3');
    await d.wait(async () => (await d.findElements(By.css('[data-testid="context-menu"]'))).length === 1, 5_000);
    await screenshot(d, 'context-menu');
    await d.findElement(By.css('[data-testid="context-delete"]')).click();
    await eventually(async () => (await count('count-trash')) === 1, 10_000, 'trashed from the context menu');
    await search('');
    await d.findElement(By.css('.list')).sendKeys(Key.chord(Key.CONTROL, '='));
    await eventually(async () => (await d.executeScript('return document.documentElement.style.zoom')) === '1.1', 5_000, 'zoomed to 110 %');
    await d.findElement(By.css('.list')).sendKeys(Key.chord(Key.CONTROL, '0'));
    await eventually(async () => (await d.executeScript('return document.documentElement.style.zoom')) === '1', 5_000, 'actual size');
  });

  it('selects three papers with Shift+click and tags them in one step, which one Undo takes back', async () => {
    await search('');
    await d.findElement(By.css('[data-view="all"]')).click();
    await eventually(async () => (await text(d, '[data-testid="list-heading"]')) === 'All papers', 10_000, 'all papers');
    const rows = await eventually(async () => {
      const r = await d.findElements(By.css('.list .row[data-paper-id]'));
      return r.length >= 3 && r;
    }, 10_000, 'three rows');
    await rows[0].click();
    await d.actions().keyDown(Key.SHIFT).click(rows[2]).keyUp(Key.SHIFT).perform();
    assert.equal(await text(d, '[data-testid="selection-count"]'), '3 selected');
    await d.findElement(By.css('[data-testid="bulk-tag"]')).click();
    const name = await d.findElement(By.css('[data-testid="bulk-name"]'));
    await name.sendKeys('reading-group');
    await screenshot(d, 'selection-bar');
    await d.findElement(By.css('[data-testid="bulk-apply"]')).click();
    await eventually(async () => /Tagged “reading-group”: 3 papers changed/.test(await text(d, '[data-testid="message"]')), 10_000, 'the bulk tag');
    await search('tag:reading-group');
    await eventually(async () => (await text(d, '[data-testid="list-count"]')) === '3 matches', 10_000, 'three tagged');
    assert.equal(await text(d, '[data-tag="reading-group"] .count'), '3');
    await d.findElement(By.css('[data-testid="message-action"]')).click(); // Undo
    await eventually(async () => /Undid: Tag 3 papers with “reading-group”/.test(await text(d, '[data-testid="message"]')), 10_000, 'the undo');
    // The tag is gone from the sidebar: no paper carries it any more.
    await eventually(async () => (await d.findElements(By.css('[data-tag="reading-group"]'))).length === 0, 10_000, 'untagged by undo');
    await search('');
  });

  it('View → Light / dark switches the theme; the new views in dark', async () => {
    const before = await d.executeScript('return document.documentElement.dataset.theme');
    xdo('mousemove', '103', '12', 'click', '1');
    await new Promise((r) => setTimeout(r, 700));
    xdo('key', 'Down', 'Down', 'Down', 'Down', 'Return'); // Papers, Topic map, Trash, Light / dark
    await eventually(async () => (await d.executeScript('return document.documentElement.dataset.theme')) !== before, 5_000, 'the theme switched');
    assert.equal(await d.executeScript('return document.documentElement.dataset.theme'), 'dark');
    await d.findElement(By.css('[data-view="all"]')).click();
    const rows = await eventually(async () => {
      const r = await d.findElements(By.css('.list .row[data-paper-id]'));
      return r.length >= 2 && r;
    }, 10_000, 'rows');
    await rows[0].click();
    await d.actions().keyDown(Key.SHIFT).click(rows[1]).keyUp(Key.SHIFT).perform();
    await d.findElement(By.css('[data-testid="edit"]')).click();
    await d.findElement(By.css('[data-testid="edit-form"]'));
    await d.actions().move({ x: 700, y: 780 }).perform();
    await screenshot(d, 'edit-form-dark');
    await d.findElement(By.css('[data-testid="edit-form"] button[type="button"]:not(.icon):not(.link)')).click(); // Cancel
    await openAdd('2201.12288\n10.1038/nature14539');
    await screenshot(d, 'add-dialog-dark');
    await d.findElement(By.css('[data-testid="add-close"]')).click();
  });

  it('saves a search, which counts a paper added afterwards', async () => {
    const paste = async (bib) => {
      await openAdd(bib);
      await d.findElement(By.css('[data-testid="add-submit"]')).click();
      await text(d, '[data-testid="add-import"]', 20_000);
      await d.findElement(By.css('[data-testid="add-close"]')).click();
    };
    await paste('@article{zyz2023, title={A First Paper by Zyzzyva}, author={Zyzzyva, Jane}, year={2023}}');
    await search('author:Zyzzyva');
    await eventually(async () => (await text(d, '[data-testid="list-count"]')) === '1 match', 10_000, 'one paper by Zyzzyva');
    // Retried: the results' facets arrive after the count and may shift the head mid-click.
    await eventually(async () => {
      await d.findElement(By.css('[data-testid="save-search"]')).click();
      return true;
    }, 10_000, 'clicking Save search');
    const name = await d.findElement(By.css('[data-testid="save-search-name"]'));
    await name.sendKeys(Key.chord(Key.CONTROL, 'a'), Key.BACK_SPACE);
    await name.sendKeys('By Zyzzyva');
    await d.findElement(By.css('[data-testid="save-search-ok"]')).click();
    await eventually(async () => (await text(d, '[data-saved-search="By Zyzzyva"] .count')) === '1', 10_000, 'the saved search listed');
    await search('');
    await paste('@article{zyz2024, title={Another Paper by Zyzzyva}, author={Zyzzyva, Jane}, year={2024}}');
    await eventually(async () => (await text(d, '[data-saved-search="By Zyzzyva"] .count')) === '2', 10_000, 'the saved search follows the library');
    await d.findElement(By.css('[data-saved-search="By Zyzzyva"]')).click();
    await eventually(async () => (await text(d, '[data-testid="list-count"]')) === '2 matches', 10_000, 'its papers listed');
    await screenshot(d, 'saved-search');
    await search('');
  });

  it('moves a paper to another topic from the detail pane, and it stays there after Recompute', async () => {
    await search('author:Zyzzyva');
    const row = await eventually(async () => (await d.findElements(By.css('.list .row[data-paper-id]')))[0], 10_000, 'a paper');
    const id = Number(await row.getAttribute('data-paper-id'));
    await row.click();
    const primary = () => d.executeAsyncScript('const done = arguments[arguments.length - 1]; window.__TAURI_INTERNALS__.invoke("paper_topics", { id: arguments[0] }).then((w) => done((w.find((x) => x.primary) ?? {}).topic ?? null), () => done(null));', id);
    const before = await eventually(primary, 10_000, 'its topic');
    const select = await d.wait(async () => (await d.findElements(By.css('[data-testid="move-topic"]')))[0], 10_000);
    const options = await select.findElements(By.css('option:not([disabled])'));
    let target = null;
    for (const o of options) {
      const v = Number(await o.getAttribute('value'));
      if (v !== before) { target = v; await o.click(); break; }
    }
    assert.ok(target, 'another leaf to move to');
    await eventually(async () => (await primary()) === target, 10_000, 'moved');
    await d.findElement(By.css('[data-testid="topics-stale"] button')).click();
    // The refit runs in the background: wait for the engine to say the topics are fresh.
    await eventually(async () => (await d.executeAsyncScript('const done = arguments[arguments.length - 1]; window.__TAURI_INTERNALS__.invoke("topics_status").then((s) => done(s.addedSinceFit === 0), () => done(false));')), 120_000, 'the recompute');
    assert.equal(await primary(), target, 'still where it was put');
    await search('');
  });

  it('nests a collection, counts its children\'s papers, and undoes its deletion', async () => {
    await search('');
    await d.findElement(By.css('[data-view="all"]')).click();
    await d.findElement(By.css('[data-testid="new-collection"]')).click();
    await (await d.findElement(By.css('[data-testid="collection-name"]'))).sendKeys('Thesis', Key.ENTER);
    const thesis = await d.wait(async () => (await d.findElements(By.css('[data-collection="Thesis"]')))[0], 10_000);
    await d.actions().move({ origin: thesis }).perform();
    await d.findElement(By.css('[aria-label="New collection inside Thesis"]')).click();
    await (await d.findElement(By.css('[data-testid="collection-name"]'))).sendKeys('Chapter 2', Key.ENTER);
    await d.wait(async () => (await d.findElements(By.css('[data-collection="Thesis/Chapter 2"]'))).length === 1, 10_000);
    const rows = await eventually(async () => {
      const r = await d.findElements(By.css('.list .row[data-paper-id]'));
      return r.length >= 2 && r;
    }, 10_000, 'rows');
    await rows[0].click();
    await d.actions().keyDown(Key.SHIFT).click(rows[1]).keyUp(Key.SHIFT).perform();
    await d.findElement(By.css('[data-testid="bulk-collect"]')).click();
    await (await d.findElement(By.css('[data-testid="bulk-name"]'))).sendKeys('Thesis/Chapter 2');
    await d.findElement(By.css('[data-testid="bulk-apply"]')).click();
    await eventually(async () => (await text(d, '[data-collection="Thesis"] .count')) === '2'
      && (await text(d, '[data-collection="Thesis/Chapter 2"] .count')) === '2', 10_000, 'the parent counts its child\'s papers');
    await d.findElement(By.css('[data-collection="Thesis"]')).click();
    await eventually(async () => (await text(d, '[data-testid="list-count"]')) === '2 papers', 10_000, 'the parent lists them');
    await d.actions().move({ x: 700, y: 780 }).perform();
    await screenshot(d, 'nested-collections');
    // The row's small action buttons sit against the sidebar's scrollbar, where WebKitWebDriver
    // refuses to click; the button's own click handler is what runs.
    await d.executeScript('document.querySelector(\'[data-delete-collection="Thesis"]\').click()');
    await eventually(async () => (await d.findElements(By.css('[data-collection]'))).length === 0, 10_000, 'deleted with its child');
    await d.findElement(By.css('[data-testid="message-action"]')).click(); // Undo
    await eventually(async () => (await d.findElements(By.css('[data-collection="Thesis/Chapter 2"]'))).length === 1, 10_000, 'back by undo');
    assert.equal(await text(d, '[data-collection="Thesis/Chapter 2"] .count'), '2');
  });

  it('shows a paper a topica-cli adds to the open library, once the window is idle', async () => {
    const before = await count('count-all');
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'topica-e2e-cli-')), 'one.bib');
    writeFileSync(file, '@article{cli2026, title={Written Beside the Window}, author={Cli, Ada}, year={2026}}\n');
    // The window lets go of the index's writer after 5 s idle; until then the CLI is told the
    // library is busy, and says so.
    const said = await eventually(() => {
      try {
        return execFileSync(cliPath(), ['--library', driver.env.TOPICA_LIBRARY, 'import', file, '--json'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
      } catch (e) {
        assert.match(String(e.stderr), /the library is busy/);
        return null;
      }
    }, 30_000, 'the CLI import');
    assert.equal(JSON.parse(said).added, 1);
    await eventually(async () => (await count('count-all')) === before + 1, 15_000, 'the window shows the new paper');
  });

  it('renames a tag onto another in the sidebar, which merges them', async () => {
    await search('');
    await d.findElement(By.css('[data-view="all"]')).click();
    const bulkTag = async (from, to, tag) => {
      const rows = await eventually(async () => {
        const r = await d.findElements(By.css('.list .row[data-paper-id]'));
        return r.length >= 3 && r;
      }, 10_000, 'rows');
      await rows[from].click();
      await d.actions().keyDown(Key.SHIFT).click(rows[to]).keyUp(Key.SHIFT).perform();
      await d.findElement(By.css('[data-testid="bulk-tag"]')).click();
      await (await d.findElement(By.css('[data-testid="bulk-name"]'))).sendKeys(tag);
      await d.findElement(By.css('[data-testid="bulk-apply"]')).click();
      await d.wait(async () => (await d.findElements(By.css(`[data-tag="${tag}"]`))).length === 1, 10_000);
    };
    await bulkTag(0, 1, 'ml');
    await bulkTag(1, 2, 'deep-learning');
    await d.findElement(By.css('[data-tag="ml"]')).click();
    // The row's small buttons sit against the scrollbar (see the collections test).
    await d.executeScript('document.querySelector(\'[data-rename-tag="ml"]\').click()');
    const input = await d.wait(async () => (await d.findElements(By.css('[data-testid="tag-name"]')))[0], 5_000);
    await input.sendKeys(Key.chord(Key.CONTROL, 'a'), Key.BACK_SPACE);
    await input.sendKeys('deep-learning', Key.ENTER);
    await eventually(async () => (await d.findElements(By.css('[data-tag="ml"]'))).length === 0
      && (await text(d, '[data-tag="deep-learning"] .count')) === '3', 10_000, 'merged into one tag of three papers');
    assert.equal(await text(d, '[data-testid="list-heading"]'), 'Tag: deep-learning');
    await d.actions().move({ x: 700, y: 780 }).perform();
    await screenshot(d, 'tag-merged');
  });
});
