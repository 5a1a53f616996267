// End-to-end: files on papers in the real window. A PDF imported through Import PDFs… (its
// native dialog answered with xdotool: the same `import_pdfs` a drop of PDFs on the window calls,
// and the same grant — WebDriver cannot drive an OS drag and drop) becomes a paper with its file;
// `fulltext:` finds it with the page that matched; that page opens in the in-app reader with the
// word marked in its text layer; a PDF attached to a paper of the sample library is listed in its
// Files section, removed and brought back with Undo. The metadata services point at a closed
// local port and online lookup is switched off in the settings: no test touches the network.
// The library is the sample without its LoRA paper, whose arXiv id the fixture PDF carries (with
// it, the import would rightly merge the PDF into that paper).

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT, By, Key, answerFileDialog, cliPath, eventually, launch, screenshot, startDriver, text } from './harness.mjs';
import { search as typeSearch } from './harness.mjs';

const PDFS = path.join(ROOT, 'tests/fixtures/pdf');
const PAPER = path.join(PDFS, 'arxiv-paper.pdf');
const CLOSED = 'http://127.0.0.1:9';

let driver;
let d;
const search = (q) => typeSearch(d, q);

/** Calls a command the way a script in the window could (`onProgress: 'channel'` becomes a
 *  real progress channel); bytes come back as their first five. */
const invoke = (cmd, args) => d.executeAsyncScript(`
  const done = arguments[arguments.length - 1];
  const args = arguments[1];
  const t = window.__TAURI_INTERNALS__;
  if (args.onProgress === 'channel') args.onProgress = '__CHANNEL__:' + t.transformCallback(() => {});
  t.invoke(arguments[0], args).then(
    (r) => done({ ok: r instanceof ArrayBuffer ? Array.from(new Uint8Array(r.slice(0, 5))) : r }),
    (e) => done({ err: e }));`, cmd, args);

async function setTheme(theme) {
  await d.findElement(By.css('[data-testid="settings-button"]')).click();
  await d.findElement(By.css(`[data-testid="theme"] option[value="${theme}"]`)).click();
  await d.findElement(By.css('[data-testid="settings-sheet"] button.primary')).click();
  await eventually(async () => (await d.executeScript('return document.documentElement.dataset.theme')) === theme, 5_000, `${theme} theme`);
}

/** The page number the reader's page field shows. */
const shownPage = async () => (await d.findElement(By.css('[data-testid="viewer-page-input"]'))).getAttribute('value');

/** The file names listed in the open paper's Files section. */
async function listedFiles() {
  // textContent: the section may be scrolled out of the pane, where WebDriver reads no text.
  return d.executeScript('return [...document.querySelectorAll(\'[data-testid="file"] .file-name\')].map((e) => e.textContent)');
}

describe('Files on papers', { concurrency: false, skip: existsSync(PAPER) ? false : `${PAPER} is not there yet` }, () => {
  before(async () => {
    const library = path.join(mkdtempSync(path.join(os.tmpdir(), 'topica-e2e-files-')), 'library');
    for (const args of [['import-sample'], ['rm', '2106.09685'], ['empty-trash']]) {
      execFileSync(cliPath(), ['--library', library, ...args], { stdio: 'ignore' });
    }
    driver = await startDriver({ library, extraEnv: { TOPICA_ARXIV_API: `${CLOSED}/arxiv`, TOPICA_DOI_RESOLVER: `${CLOSED}/doi`, TOPICA_CROSSREF_API: `${CLOSED}/crossref` } });
    d = await launch();
  });
  after(async () => {
    await d?.quit().catch(() => {});
    driver?.stop();
  });

  it('imports a PDF as a paper with its file, offline as the settings say, and reports it', async () => {
    await eventually(async () => (await text(d, '[data-testid="count-all"]')) === '93', 30_000, 'the sample library without LoRA');
    await d.findElement(By.css('[data-testid="settings-button"]')).click();
    const lookup = await d.findElement(By.css('[data-testid="pdf-lookup"]'));
    assert.equal(await lookup.isSelected(), true, 'online lookup is on by default');
    await lookup.click();
    assert.equal(await d.findElement(By.css('[data-testid="attach-by"]')).getAttribute('value'), 'copy');
    await d.findElement(By.css('[data-testid="settings-sheet"] button.primary')).click();

    await d.findElement(By.css('[data-testid="import-pdfs-button"]')).click();
    await answerFileDialog('Import PDFs into Topica', PAPER);
    assert.equal(await text(d, '[data-testid="pdf-import-added"]', 60_000), '1');
    assert.equal(await text(d, '[data-testid="pdf-import-failed"]'), '0');
    const file = await text(d, '[data-testid="pdf-import-file"]');
    assert.match(file, /arxiv-paper\.pdf/);
    // Offline: the paper was made from the PDF's own text, and the note says so.
    assert.match(await text(d, '[data-testid="pdf-import-note"]'), /offline|read from/);
    await screenshot(d, 'pdf-import-report');
    await eventually(async () => (await text(d, '[data-testid="count-all"]')) === '94', 10_000, '94 papers after the import');

    // The report's link opens the new paper; its Files section lists the PDF, text read.
    await d.findElement(By.css('[data-testid="pdf-import-paper"]')).click();
    await eventually(async () => (await listedFiles()).includes('arxiv-paper.pdf'), 10_000, 'the file listed on the new paper');
    const facts = await d.executeScript('return document.querySelector(\'[data-testid="file-facts"]\').textContent');
    assert.match(facts, /\d+ pages? · .*B · in the library/);
    assert.equal((await d.findElements(By.css('[data-testid="file-missing"]'))).length, 0);
    assert.equal((await d.findElements(By.css('[data-testid="file-text-note"]'))).length, 0, 'its text was read');
    await d.executeScript('document.querySelector(\'[data-testid="files"]\').scrollIntoView({ block: "center" })');
    await screenshot(d, 'files-section');
  });

  it('imports the same PDF again as already there, changing nothing (dark theme)', async () => {
    await setTheme('dark');
    await d.findElement(By.css('[data-testid="import-pdfs-button"]')).click();
    await answerFileDialog('Import PDFs into Topica', PAPER);
    assert.equal(await text(d, '[data-testid="pdf-import-added"]', 60_000), '0');
    assert.match(await text(d, '[data-testid="pdf-import-alreadyThere"]'), /arxiv-paper\.pdf/);
    await screenshot(d, 'pdf-import-report-dark');
    await d.findElement(By.css('[data-testid="pdf-import-done"]')).click();
    assert.match(await text(d, '[data-testid="message"]'), /PDF import: 0 added .* 1 already there/);
    assert.equal(await text(d, '[data-testid="count-all"]'), '94');
    await setTheme('light');
  });

  it('finds the PDF by a word of its second page, and the hit says the page', async () => {
    await search('fulltext:zygomorphic');
    await eventually(async () => (await text(d, '[data-testid="list-count"]')) === '1 match', 15_000, 'one full-text match');
    const page = await eventually(async () => (await d.findElements(By.css('.list .row [data-testid="hit-page"]')))[0], 10_000, 'the page link');
    assert.equal(await page.getText(), 'p. 2');
    assert.match(await text(d, '.list .row .snippet'), /zygomorphic/i);
    await screenshot(d, 'search-hit-page');
  });

  it('opens the reader at that page with the word marked, and moves through it by keys and Find', async () => {
    await d.findElement(By.css('.list .row [data-testid="hit-page"]')).click();
    await eventually(async () => (await d.findElements(By.css('[data-testid="viewer-page"][data-page="2"]'))).length === 1, 30_000, 'page 2 drawn');
    assert.equal(await shownPage(), '2');
    assert.match(await text(d, '[data-testid="viewer-page"]'), /^of \d+$/);
    const spans = await d.executeScript(
      'return [...document.querySelectorAll(\'[data-testid="viewer-text"] span\')].map((s) => s.textContent)');
    assert.ok(spans.some((s) => /zygomorphic/i.test(s)), `a text-layer span holds the word: ${spans.join(' | ')}`);
    const marks = await d.findElements(By.css('[data-testid="viewer-text"] mark.term'));
    assert.ok(marks.length >= 1, 'the word is marked');
    assert.match(await marks[0].getText(), /^zygomorphic/i);
    await screenshot(d, 'pdf-viewer');

    // Keys: Page Down to 3, Home to 1; Find "quokka" goes to the page that has it (3).
    const viewer = await d.findElement(By.css('[data-testid="pdf-viewer"]'));
    await viewer.sendKeys(Key.PAGE_DOWN);
    await eventually(async () => (await shownPage()) === '3', 10_000, 'page 3');
    await viewer.sendKeys(Key.HOME);
    await eventually(async () => (await shownPage()) === '1', 10_000, 'page 1');
    const find = await d.findElement(By.css('[data-testid="viewer-find"]'));
    await find.sendKeys('quokka', Key.ENTER);
    await eventually(async () => (await d.findElements(By.css('[data-testid="viewer-page"][data-page="3"]'))).length === 1, 15_000, 'Find goes to page 3');
    assert.match(await text(d, '[data-testid="viewer-find-result"]'), /^\d+ match(es)? on \d+ pages?$/);
    const found = await d.findElements(By.css('[data-testid="viewer-text"] mark.term'));
    assert.ok((await Promise.all(found.map((m) => m.getText()))).some((t) => /^quokka/i.test(t)), 'quokka marked on page 3');
    // A typed page number.
    const input = await d.findElement(By.css('[data-testid="viewer-page-input"]'));
    await input.sendKeys(Key.chord(Key.CONTROL, 'a'));
    await input.sendKeys('2', Key.ENTER);
    await eventually(async () => (await d.findElements(By.css('[data-testid="viewer-page"][data-page="2"]'))).length === 1, 10_000, 'page 2 typed');

    await d.findElement(By.css('[data-testid="pdf-viewer"]')).sendKeys(Key.ESCAPE);
    await eventually(async () => (await d.findElements(By.css('[data-testid="pdf-viewer"]'))).length === 0, 5_000, 'Esc closes the reader');

    // The same page in the dark theme.
    await setTheme('dark');
    await d.findElement(By.css('.list .row [data-testid="hit-page"]')).click();
    await eventually(async () => (await d.findElements(By.css('[data-testid="viewer-page"][data-page="2"]'))).length === 1, 30_000, 'page 2 drawn again');
    await screenshot(d, 'pdf-viewer-dark');
    await d.findElement(By.css('[data-testid="viewer-close"]')).click();
    await setTheme('light');
    await search('');
  });

  it('attaches a PDF to a paper of the sample library, lists it, removes it and undoes that', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'topica-e2e-attach-'));
    const mine = path.join(dir, 'my annotated copy.pdf');
    copyFileSync(PAPER, mine);
    await d.findElement(By.css('[data-view="all"]')).click();
    const row = await eventually(async () => (await d.findElements(By.css('.list .row[data-paper-id]')))[3], 10_000, 'rows');
    await row.click();
    await eventually(async () => (await d.findElements(By.css('[data-testid="no-files"]'))).length === 1, 10_000, 'a paper without files');
    await d.findElement(By.css('[data-testid="attach-file"]')).click();
    await answerFileDialog('Attach files to the paper', mine);
    await eventually(async () => (await listedFiles()).includes('my annotated copy.pdf'), 30_000, 'the attached file listed');
    assert.match(await text(d, '[data-testid="message"]'), /Attached 1 file/);
    await d.executeScript('document.querySelector(\'[data-testid="files"]\').scrollIntoView({ block: "center" })');
    await screenshot(d, 'files-attached');
    await setTheme('dark');
    await d.executeScript('document.querySelector(\'[data-testid="files"]\').scrollIntoView({ block: "center" })');
    await screenshot(d, 'files-attached-dark');
    await setTheme('light');

    // Its bytes reach the reader through file_bytes (by id; a PDF starts with %PDF-).
    const id = Number(await d.findElement(By.css('[data-testid="file"]')).getAttribute('data-file-id'));
    const head = await invoke('file_bytes', { fileId: id });
    assert.equal(String.fromCharCode(...head.ok), '%PDF-');

    await d.findElement(By.css('[data-testid="file-remove"]')).click();
    await eventually(async () => (await d.findElements(By.css('[data-testid="no-files"]'))).length === 1, 10_000, 'the file removed');
    await d.findElement(By.css('[data-testid="message-action"]')).click(); // Undo
    await eventually(async () => (await listedFiles()).includes('my annotated copy.pdf'), 10_000, 'the file back after Undo');
  });

  it('refuses what the user did not choose, and files that are not the library’s', async () => {
    const paperId = Number(await d.findElement(By.css('.list .row.selected')).getAttribute('data-paper-id'));
    const attach = await invoke('attach_files', { paperId, paths: ['/etc/passwd'], link: true });
    assert.equal(attach.err?.kind, 'notChosen', JSON.stringify(attach));
    const imported = await invoke('import_pdfs', { job: 999, paths: ['/tmp'], onProgress: 'channel' });
    assert.equal(imported.err?.kind, 'notChosen', JSON.stringify(imported));
    const relink = await invoke('relink_file', { fileId: 1, path: '/etc/hostname' });
    assert.equal(relink.err?.kind, 'notChosen', JSON.stringify(relink));
    const bytes = await invoke('file_bytes', { fileId: 987654 });
    assert.equal(bytes.err?.kind, 'notFound', JSON.stringify(bytes));
    const opened = await invoke('open_file', { fileId: 987654 });
    assert.equal(opened.err?.kind, 'notFound', JSON.stringify(opened));
  });
});
