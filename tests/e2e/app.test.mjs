// End-to-end tests of the real Topica window on the embedded sample library (94 papers).
// Tests run in order and share one temporary library; topic and export tests run only when the
// build has those capabilities (the app reports them), and are skipped with the reason otherwise.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import { ROOT, By, Key, answerFileDialog, answerSaveDialog, cliPath, eventually, launch, screenshot, startDriver, text } from './harness.mjs';
import { search as typeSearch } from './harness.mjs';

const FIXTURE = path.join(ROOT, 'tests/fixtures/desktop/id_0808.05394_1707.08567_s0_m100_42e5aa0ec3af.xml');

let driver;
let d;

const search = (q) => typeSearch(d, q);

/** Clicks the row of paper `id`, retrying while the list re-renders. */
async function clickRow(id) {
  await eventually(async () => {
    await d.findElement(By.css(`.row[data-paper-id="${id}"]`)).click();
    return true;
  }, 10_000, `clicking paper ${id}`);
}

/** The top search hit's id, once results (rows with a snippet) are on screen. */
async function firstHitId() {
  return eventually(async () => {
    const rows = await d.findElements(By.css('.list .row[data-paper-id]'));
    if (!rows.length || !(await rows[0].findElements(By.css('.snippet'))).length) return null;
    return rows[0].getAttribute('data-paper-id');
  }, 10_000, 'search results');
}

async function firstRowId() {
  return eventually(async () => {
    const rows = await d.findElements(By.css('.list .row[data-paper-id]'));
    if (!rows.length) return null;
    // rows are absolutely positioned; the first one in DOM order is the top one
    return rows[0].getAttribute('data-paper-id');
  }, 10_000, 'a first row');
}

describe('Topica desktop app', { concurrency: false }, () => {
  before(async () => {
    driver = await startDriver();
    d = await launch();
  });
  after(async () => {
    await d?.quit().catch(() => {});
    driver?.stop();
  });

  it('opens the sample library with its 94 papers', async () => {
    assert.equal(await text(d, '[data-testid="count-all"]'), '94');
    await eventually(async () => (await text(d, '[data-testid="list-count"]')) === '94 papers', 10_000, '94 papers listed');
    const rows = await d.findElements(By.css('.list .row[data-paper-id]'));
    assert.ok(rows.length > 5 && rows.length < 94, `virtualized: ${rows.length} rows rendered`);
    await eventually(async () => /Sample library/.test(await d.findElement(By.css('[data-testid="library-dir"]')).getAttribute('textContent')), 10_000, 'the sample library named in the status bar');
    // First run: the shell fits the sample's topics off the UI thread; the sidebar shows them.
    const leaves = await eventually(() => d.findElements(By.css('[data-topic-level="leaf"]')).then((l) => l.length >= 2 && l), 60_000, 'the sample library\'s topics');
    let total = 0;
    for (const leaf of leaves) {
      assert.ok((await leaf.findElement(By.css('.label')).getAttribute('textContent')).trim().length > 0, 'a topic has a label');
      total += Number(await leaf.findElement(By.css('.count')).getText());
    }
    assert.equal(total, 94, 'every sample paper is in one leaf topic');
    assert.ok((await d.findElements(By.css('[data-topic-level="parent"]'))).length >= 1, 'broader topics are listed');
    await screenshot(d, 'main-view');
  });

  it('typing a query shows the right paper first, and a bad query says why', async () => {
    await search('multi-query attention');
    const first = await firstHitId();
    await clickRow(first);
    await eventually(async () => (await text(d, '[data-testid="arxiv-link"]')).includes('1911.02150'), 10_000, 'paper 1911.02150 first');
    const marks = await d.findElements(By.css('[data-testid="abstract"] mark'));
    assert.ok(marks.length >= 2, 'search terms are highlighted in the abstract');

    // A glued word of the seed text ("onshorttexts") reads and searches as its words.
    await search('"short texts" "long texts"');
    await clickRow(await firstHitId());
    await eventually(async () => (await text(d, '[data-testid="arxiv-link"]')).includes('2201.03533'), 10_000, 'paper 2201.03533 found by its glued words');
    await eventually(async () => /focused on short texts, such as/.test(await text(d, '[data-testid="abstract"]')), 10_000, 'the glued words shown apart');

    await search('title:"unclosed');
    const err = await text(d, '[data-testid="query-error"]');
    assert.match(err, /quote|invalid|unclosed|character/i);
    await search('');
  });

  it('quick cite finds a paper as you type and copies its LaTeX citation and its reference', async () => {
    const key = await d.executeAsyncScript('const done = arguments[arguments.length - 1]; window.__TAURI_INTERNALS__.invoke("search_ranked", { query: "multi-query attention", limit: 1, detailed: 1 }).then((r) => window.__TAURI_INTERNALS__.invoke("paper", { id: r.hits[0].id })).then((p) => done(p.citationKey), () => done(null));');
    assert.ok(key, 'the paper has a citation key');
    const open = async () => {
      await d.findElement(By.css('body')).sendKeys(Key.chord(Key.CONTROL, Key.SHIFT, 'c'));
      return d.wait(async () => (await d.findElements(By.css('[data-testid="quick-cite-query"]')))[0], 10_000);
    };
    let input = await open();
    await input.sendKeys('multi-query attention');
    await eventually(async () => (await d.findElements(By.css('[data-testid="quick-cite-hits"] li.current'))).length === 1, 10_000, 'the best hit highlighted');
    await screenshot(d, 'quick-cite');
    await input.sendKeys(Key.ENTER);
    const said = async () => {
      const m = await d.findElements(By.css('[data-testid="message"]'));
      const f = await d.findElements(By.css('[data-testid="quick-cite"] [role="alert"]'));
      return `${m.length ? await m[0].getText() : ''}${f.length ? ` / palette: ${await f[0].getText()}` : ''}`;
    };
    // (The message ends with its close button, ×.)
    await eventually(async () => (await said()).startsWith(`Copied \\cite{${key}} `), 10_000, 'the copied citation').catch(async (e) => {
      throw new Error(`${e.message}; shown: ${await said()}`);
    });
    assert.equal((await d.findElements(By.css('[data-testid="quick-cite"]'))).length, 0, 'the palette closed');
    // As the reference in the settings' citation style (APA).
    input = await open();
    await d.findElement(By.css('[data-testid="cite-mode-reference"]')).click();
    await input.sendKeys('multi-query attention');
    await eventually(async () => (await d.findElements(By.css('[data-testid="quick-cite-hits"] li.current'))).length === 1, 10_000, 'a hit');
    await input.sendKeys(Key.ENTER);
    // The sample's paper has no title or authors in the source: APA cites it by its arXiv id.
    await eventually(async () => /^Copied \(ArXiv:1911\.02150\)\. \(2019\)\. arXiv\./.test(await text(d, '[data-testid="message"]')), 10_000, 'the copied reference');
    // On the clipboard as rich text (italics for a word processor) and as plain text.
    const clip = (type) => execFileSync('xclip', ['-selection', 'clipboard', '-o', '-t', type], { encoding: 'utf8' });
    assert.equal(clip('text/html').trim(), '(ArXiv:1911.02150). (2019). arXiv. <a href="https://arxiv.org/abs/1911.02150">https://arxiv.org/abs/1911.02150</a>');
    assert.match(clip('UTF8_STRING'), /^\(ArXiv:1911\.02150\)\. \(2019\)\. arXiv\./);
  });

  it('search hits ranked past the first 60 show their snippets once scrolled to', async () => {
    await search('model'); // 87 of the sample's papers
    await eventually(async () => (await d.findElement(By.css('.list')).getAttribute('data-results-for')) === 'model', 10_000, 'results for "model"');
    await firstHitId();
    await d.executeScript('const l = document.querySelector(".list"); l.scrollTop = l.scrollHeight;');
    const rows = await eventually(async () => {
      const shown = await d.findElements(By.css('.list .row[data-paper-id]'));
      for (const r of shown) if (!(await r.findElements(By.css('.snippet b'))).length) return null;
      return shown;
    }, 10_000, 'every row at the bottom of the results with a highlighted snippet');
    const tops = await Promise.all(rows.map(async (r) => parseInt(await r.getCssValue('top'), 10)));
    assert.ok(Math.min(...tops) >= 60 * 52, `rows past the 60th are shown (tops from ${Math.min(...tops)}px)`);
    await screenshot(d, 'search-scrolled');
    await search('');
  });

  it('clicking a topic filters the list, and a topic can be renamed in place', async (t) => {
    const leaves = await d.findElements(By.css('[data-topic-level="leaf"]'));
    const topic = leaves[leaves.length - 1];
    const id = await topic.getAttribute('data-topic-id');
    const n = Number(await topic.findElement(By.css('.count')).getText());
    const label = await topic.findElement(By.css('.label')).getAttribute('textContent');
    await topic.click();
    await eventually(async () => (await text(d, '[data-testid="list-count"]')) === `${n} paper${n === 1 ? '' : 's'}`, 10_000, 'the topic list');
    assert.ok(n > 0 && n < 94);
    assert.equal(await text(d, '[data-testid="list-heading"]'), `Topic: ${label}`);
    // Every listed paper is one of the topic's (the engine says which), and the year chart is shown.
    const listed = await d.executeScript('return [...document.querySelectorAll(".list .row[data-paper-id]")].map((r) => Number(r.dataset.paperId))');
    const members = await d.executeAsyncScript('const done = arguments[arguments.length - 1]; window.__TAURI_INTERNALS__.invoke("in_topic", { ids: arguments[0], topic: Number(arguments[1]) }).then(done, () => done(null));', listed, id);
    assert.ok(listed.length > 0 && members && members.length === listed.length, `${listed} within topic ${id}: ${members}`);
    await eventually(async () => (await d.findElements(By.css('[data-testid="year-chart"]'))).length === 1, 10_000, 'the year chart');

    // Rename in place: double-click, type, Enter; the new label shows and survives a reload of the tree.
    await d.actions().doubleClick(topic).perform();
    const input = await d.findElement(By.css('[data-testid="topic-rename"]'));
    await input.clear();
    await input.sendKeys('My renamed topic', Key.ENTER);
    await eventually(async () => (await d.findElement(By.css(`[data-topic-id="${id}"] .label`)).getAttribute('textContent')) === 'My renamed topic', 10_000, 'the renamed topic');
    // Move the pointer off the sidebar so its tooltip does not cover later screenshots.
    await d.actions().move({ x: 700, y: 780 }).perform();
    const renamed = await d.executeAsyncScript('const done = arguments[arguments.length - 1]; window.__TAURI_INTERNALS__.invoke("topics").then((ts) => done(ts.find((t) => t.id === Number(arguments[0]))), () => done(null));', id);
    assert.equal(renamed.label, 'My renamed topic');
    assert.equal(renamed.renamed, true);
  });

  it('shows the map of papers; a broader topic in its legend opens that topic', async (t) => {
    await d.findElement(By.css('[data-testid="map-tab"]')).click();
    // Every sample paper is a dot (tests/e2e/map.test.mjs tests the map itself).
    await eventually(async () => (await d.findElement(By.css('[data-testid="map-canvas"]')).getAttribute('data-points')) === '94', 20_000, '94 dots drawn');
    await new Promise((r) => setTimeout(r, 500)); // let WebKit paint before the X screenshot
    await screenshot(d, 'topic-map');
    const entry = await d.findElement(By.css('.map-legend button'));
    const label = (await entry.getText()).trim();
    await entry.click();
    await eventually(async () => (await text(d, '[data-testid="list-heading"]')) === `Topic: ${label}`, 10_000, 'the topic opened from the map');
  });

  it('opening a paper shows its related papers', async (t) => {
    await d.findElement(By.css('[data-view="all"]')).click();
    await search('id:2101.00190');
    await clickRow(await firstHitId());
    await eventually(async () => (await text(d, '[data-testid="arxiv-link"]')).includes('2101.00190'), 10_000, 'paper 2101.00190 open');
    const related = await eventually(() => d.findElements(By.css('[data-testid="related"] [data-related-id]')).then((r) => r.length && r), 20_000, 'related papers');
    const all = await text(d, '[data-testid="related"]');
    // Prefix-tuning's nearest kin in the sample: P-Tuning v2 (2110.07602).
    assert.match(all, /2110\.07602/, `related papers of 2101.00190:\n${all}`);
    assert.ok((await d.findElements(By.css('[data-testid="paper-topics"] li'))).length >= 1, 'topic weights shown');
    await screenshot(d, 'detail-pane');
    await d.executeScript('arguments[0].scrollIntoView({ block: "center" })', related[0]);
    await screenshot(d, 'detail-pane-related');
    const title = await related[0].getText();
    await related[0].click();
    await eventually(async () => (await text(d, '[data-testid="detail-title"]')).length > 0 && title.includes((await text(d, '[data-testid="detail-title"]')).slice(0, 20)), 10_000, 'the related paper opens');
    await search('');
  });

  it('imports a fixture file through File → Import and shows the report', async () => {
    await d.findElement(By.css('[data-testid="import-button"]')).click();
    await answerFileDialog('Import into Topica', FIXTURE);
    const added = await text(d, '[data-testid="import-added"]', 30_000);
    assert.equal(added, '1');
    await screenshot(d, 'import-report');
    await d.findElement(By.css('[data-testid="import-sheet"] button.primary')).click();
    await eventually(async () => (await text(d, '[data-testid="count-all"]')) === '95', 10_000, '95 papers after import');
    await search('"information theory"');
    const first = await firstHitId();
    await clickRow(first);
    assert.match(await text(d, '[data-testid="detail-title"]'), /AEW10/);
    await search('');
  });

  it('exports a file that parses', async (t) => {
    await search('');
    await d.findElement(By.css('[data-view="all"]')).click();
    await d.findElement(By.css('[data-testid="export-button"]')).click();
    await d.findElement(By.css('[data-testid="export-scope"] option[value="all"]')).click();
    await d.findElement(By.css('[data-testid="export-format"] option[value="bibtex"]')).click();
    const out = path.join(mkdtempSync(path.join(os.tmpdir(), 'topica-e2e-export-')), 'library.bib');
    await d.findElement(By.css('[data-testid="export-save"]')).click();
    await answerSaveDialog('Export from Topica', out);
    assert.match(await text(d, '[data-testid="export-result"]', 30_000), /^95 references written/);
    await screenshot(d, 'export-done');
    await d.findElement(By.css('[data-testid="export-sheet"] button.primary')).click();
    const bib = readFileSync(out, 'utf8');
    assert.equal((bib.match(/^@\w+\{/gm) ?? []).length, 95);
    // The file parses: a fresh library imports every entry from it, with the keys it wrote.
    const lib = mkdtempSync(path.join(os.tmpdir(), 'topica-e2e-reimport-'));
    const report = JSON.parse(execFileSync(cliPath(), ['--library', lib, 'import', out, '--json'], { encoding: 'utf8' }));
    assert.equal(report.added, 95);
    assert.deepEqual(report.skipped, []);
  });

  it('keeps an exported file updated as the library changes, and lists it in the settings', async () => {
    await search('');
    await d.findElement(By.css('[data-view="all"]')).click();
    await d.findElement(By.css('[data-testid="export-button"]')).click();
    await d.findElement(By.css('[data-testid="export-scope"] option[value="all"]')).click();
    await d.findElement(By.css('[data-testid="export-format"] option[value="biblatex"]')).click();
    await d.findElement(By.css('[data-testid="export-keep-updated"]')).click();
    const out = path.join(mkdtempSync(path.join(os.tmpdir(), 'topica-e2e-keep-')), 'thesis.bib');
    await d.findElement(By.css('[data-testid="export-save"]')).click();
    await answerSaveDialog('Export from Topica', out);
    assert.match(await text(d, '[data-testid="export-result"]', 30_000), /will be kept updated/);
    await d.findElement(By.css('[data-testid="export-sheet"] button.primary')).click();
    const entries = () => (readFileSync(out, 'utf8').match(/^@\w+\{/gm) ?? []).length;
    assert.equal(entries(), 95);
    // A paper deleted in the window leaves the file a moment later; its undo brings it back.
    const id = await firstRowId();
    await clickRow(id);
    await d.findElement(By.css('.list')).sendKeys(Key.DELETE);
    await eventually(async () => entries() === 94, 20_000, 'the file without the deleted paper');
    await d.findElement(By.css('.list')).sendKeys(Key.chord(Key.CONTROL, 'z'));
    await eventually(async () => entries() === 95, 20_000, 'the file after the undo');
    await d.findElement(By.css('[data-testid="settings-button"]')).click();
    const listed = await text(d, '[data-testid="auto-export"]', 10_000);
    assert.match(listed, new RegExp(`${out.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}[\\s\\S]*biblatex, the whole library[\\s\\S]*Written`));
    await screenshot(d, 'settings-auto-exports');
    await d.findElement(By.css('[data-testid="settings-sheet"] button.link')).click();
    await eventually(async () => (await d.findElements(By.css('[data-testid="auto-export"]'))).length === 0, 10_000, 'the export no longer listed');
    await d.findElement(By.css('[data-testid="settings-sheet"] button.primary')).click();
  });

  it('keeps a note across an app restart', async () => {
    await d.findElement(By.css('[data-view="all"]')).click();
    const id = await firstRowId();
    await clickRow(id);
    const notes = await d.wait(async () => (await d.findElements(By.css('[data-testid="notes"]')))[0], 10_000);
    const note = `Read section 3 again — ${Date.now()}`;
    await notes.sendKeys(note);
    await eventually(async () => (await text(d, '[data-testid="note-state"]')) === 'Saved', 10_000, 'the note saved');
    await screenshot(d, 'detail-pane-with-note');
    await d.quit();
    d = await launch();
    await d.findElement(By.css('[data-view="all"]')).click();
    await eventually(async () => (await d.findElements(By.css(`.row[data-paper-id="${id}"]`))).length === 1, 10_000, 'the paper listed');
    await clickRow(id);
    await eventually(async () => (await d.findElement(By.css('[data-testid="notes"]')).getAttribute('value')) === note, 10_000, 'the note after restart');
  });

  it('switches to dark mode from the settings', async () => {
    await d.findElement(By.css('[data-testid="settings-button"]')).click();
    const select = await d.findElement(By.css('[data-testid="theme"]'));
    await select.findElement(By.css('option[value="dark"]')).click();
    await eventually(async () => (await d.executeScript('return document.documentElement.dataset.theme')) === 'dark', 5_000, 'dark theme');
    await d.findElement(By.css('[data-testid="settings-sheet"] button.primary')).click();
    await search('speech');
    await clickRow(await firstHitId());
    await eventually(async () => /speech/i.test(await text(d, '[data-testid="abstract"]')), 10_000, 'the hit opened');
    await screenshot(d, 'dark-mode');
    assert.ok(readdirSync(path.join(ROOT, 'tests/e2e/screenshots')).length >= 3);
    void readFileSync;
    void Key;
  });

  it("sets the library's number of topics and citation key pattern in the settings", async (t) => {
    await search('');
    // The paper imported above joined its nearest topic; the tree says the topics predate it.
    assert.match(await text(d, '[data-testid="topics-stale"]', 10_000), /^1 paper added since these topics were found/);
    await d.findElement(By.css('[data-testid="settings-button"]')).click();
    await d.findElement(By.css('[data-testid="topic-count"] option[value="5"]')).click();
    await eventually(
      async () => (await d.findElements(By.css('[data-topic-level="leaf"]'))).length === 5
        && (await d.findElements(By.css('[data-testid="topics-stale"]'))).length === 0,
      120_000, 'five leaf topics after the refit, which included the new paper',
    );
    // The rename made earlier carries over to the refitted topic its papers went to.
    const labels = await d.executeScript('return [...document.querySelectorAll("[data-topic-level=leaf] .label")].map((l) => l.textContent)');
    assert.ok(labels.includes('My renamed topic'), `renamed topic kept: ${labels}`);
    const setPattern = async (p) => {
      const box = await d.findElement(By.css('[data-testid="key-pattern"]'));
      // Separate calls: WebKitWebDriver drops keys sent after a chord in the same call.
      await box.sendKeys(Key.chord(Key.CONTROL, 'a'), Key.BACK_SPACE);
      await box.sendKeys(p, Key.TAB);
    };
    await setPattern('[auth:lower][year');
    assert.match(await text(d, '[data-testid="key-pattern-error"]', 10_000), /citation key pattern/);
    await setPattern('[auth:lower][year]_[shorttitle:lower]');
    await eventually(async () => (await d.findElements(By.css('[data-testid="key-pattern-error"]'))).length === 0, 10_000, 'the valid pattern accepted');
    await screenshot(d, 'settings');
    await d.findElement(By.css('[data-testid="settings-sheet"] button.primary')).click();
    // Both live in the library: a reopened sheet reads them back from the engine.
    await d.findElement(By.css('[data-testid="settings-button"]')).click();
    await eventually(async () => (await d.findElement(By.css('[data-testid="key-pattern"]')).getAttribute('value')) === '[auth:lower][year]_[shorttitle:lower]', 10_000, 'the stored pattern');
    assert.equal(await d.findElement(By.css('[data-testid="topic-count"]')).getAttribute('value'), '5');
    await d.findElement(By.css('[data-testid="settings-sheet"] button.primary')).click();
  });

  it('imports a .bib with a Latin-1 line and lists that line as a warning', async () => {
    // Written here: one UTF-8 accent, one line in Latin-1 (Müller as 0xFC).
    const dir = mkdtempSync(path.join(os.tmpdir(), 'topica-e2e-latin1-'));
    const file = path.join(dir, 'old-refs.bib');
    const bytes = Buffer.concat([
      Buffer.from('@article{goedel31,\n  author = {Gödel, Kurt},\n  title = {Formally Undecidable Propositions},\n  year = 1931}\n'),
      Buffer.from('@article{mueller99,\n  author = {M', 'utf8'), Buffer.from([0xfc]), Buffer.from('ller, Jan},\n  title = {Old Encodings},\n  year = 1999}\n'),
    ]);
    writeFileSync(file, bytes);
    await d.findElement(By.css('[data-testid="import-button"]')).click();
    await answerFileDialog('Import into Topica', file);
    assert.equal(await text(d, '[data-testid="import-added"]', 30_000), '2');
    assert.match(await text(d, '[data-testid="import-sheet"] ul.skipped li'), /old-refs\.bib:6.*read as Windows-1252/);
    await screenshot(d, 'import-warnings');
    await d.findElement(By.css('[data-testid="import-sheet"] button.primary')).click();
  });

  it('refuses a path the user did not choose when a script in the window asks for it', async () => {
    const call = (cmd, args) => d.executeAsyncScript(
      'const done = arguments[arguments.length - 1]; window.__TAURI_INTERNALS__.invoke(arguments[0], arguments[1]).then(() => done("ok"), (e) => done(e));',
      cmd, args);
    const opened = await call('set_library_dir', { dir: '/tmp/topica-not-chosen' });
    assert.equal(opened.kind, 'notChosen', JSON.stringify(opened));
    assert.match(opened.message, /^\/tmp\/topica-not-chosen was not chosen in a dialog or dropped on the window/);
    const exported = await call('export_file', { format: 'bibtex', scope: { kind: 'all' }, path: '/tmp/topica-not-chosen.bib' });
    assert.equal(exported.kind, 'notChosen', JSON.stringify(exported));
    assert.equal(existsSync('/tmp/topica-not-chosen.bib'), false);
  });

  it('imports every readable entry of a file with a broken one and shows the broken one as written', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'topica-e2e-lenient-'));
    const file = path.join(dir, 'mixed.bib');
    writeFileSync(file, [
      '@article{lenient1, title = {Lenient Readers of Old Files}, author = {Ames, Ann}, year = 2001}',
      '@article{lenient2, title = {Never closed, author = {Bell, Bob}, year = 2002',
      '@article{lenient1, title = {A Second Entry With the Same Key}, author = {Cole, Cy}, year = 2003}',
      '',
    ].join('\n'));
    await d.findElement(By.css('[data-testid="import-button"]')).click();
    await answerFileDialog('Import into Topica', file);
    assert.equal(await text(d, '[data-testid="import-added"]', 30_000), '2');
    const skipped = await text(d, '[data-testid="import-skipped"]');
    assert.match(skipped, /mixed\.bib:2 a `\{` in this value is never closed/);
    assert.match(await text(d, '[data-testid="import-skipped"] pre'), /^@article\{lenient2, title = \{Never closed/);
    assert.match(await text(d, '[data-testid="import-warnings"] + ul'), /duplicate citation key "lenient1".*"lenient1-2"/);
    await screenshot(d, 'import-skipped');
    await d.findElement(By.css('[data-testid="import-sheet"] button.primary')).click();
  });
});
