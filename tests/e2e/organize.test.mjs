// End-to-end: keeping a library in order in the real window. Merge two duplicates from the
// Possible duplicates view and say two others are not; drag papers onto a collection and a
// collection into another; drag a paper onto a topic; split a topic from its menu.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { By, Key, cliPath, dragTo, eventually, launch, screenshot, search, startDriver, text } from './harness.mjs';

/** A preprint and its published version; a typo'd copy with the authors reordered. */
const BIB = `
@article{he2015deep, title = {Deep Residual Learning for Image Recognition}, year = {2015},
  author = {He, Kaiming and Zhang, Xiangyu and Ren, Shaoqing and Sun, Jian}, eprint = {1512.03385}, archivePrefix = {arXiv}}
@inproceedings{he2016cvpr, title = {Deep residual learning for image recognition}, year = {2016},
  author = {He, Kaiming and Zhang, Xiangyu and Ren, Shaoqing and Sun, Jian}, doi = {10.1109/CVPR.2016.90},
  booktitle = {Proceedings of the IEEE Conference on Computer Vision and Pattern Recognition}, pages = {770--778}}
@article{bahdanau2014, title = {Neural machine translation by jointly learning to align and translate}, year = {2014},
  author = {Bahdanau, Dzmitry and Cho, Kyunghyun and Bengio, Yoshua}}
@article{bengio2014typo, title = {Neural machine translaton by jointly learning to align and translate}, year = {2014},
  author = {Bengio, Yoshua and Bahdanau, Dzmitry and Cho, Kyunghyun}}
`;

let driver;
let d;
let lib;
const cli = (...args) => execFileSync(cliPath(), ['--library', lib, ...args], { encoding: 'utf8', input: args.includes('-') ? BIB : undefined });
const idOf = (key) => JSON.parse(cli('show', key, '--json')).id;
const rows = () => eventually(async () => {
  const r = await d.findElements(By.css('.list .row[data-paper-id]'));
  return r.length >= 2 && r;
}, 10_000, 'rows');

describe('Organizing the library in the window', { concurrency: false }, () => {
  before(async () => {
    driver = await startDriver();
    lib = driver.env.TOPICA_LIBRARY;
    cli('import-sample');
    cli('add', '-');
    d = await launch();
  });
  after(async () => {
    await d?.quit().catch(() => {});
    driver?.stop();
  });

  it('merges a preprint with its published version from Possible duplicates, and keeps two others apart', async () => {
    const [pre, publ] = [idOf('he2015deep'), idOf('he2016cvpr')];
    const papers = Number(await text(d, '[data-testid="count-all"]'));
    await eventually(async () => (await text(d, '[data-testid="count-duplicates"]')) === '2', 15_000, 'two groups counted');
    await d.findElement(By.css('[data-view="duplicates"]')).click();
    await d.findElement(By.css(`[data-duplicate-group="${pre},${publ}"]`)).click();
    await d.wait(async () => (await d.findElements(By.css(`[data-keep="${pre}"]`))).length === 1, 10_000);
    // Keep the preprint's record, with the published title's spelling.
    await d.findElement(By.css(`[data-choose="title:${publ}"]`)).click();
    await screenshot(d, 'duplicates-view');
    // The same view in the dark theme, to be looked at (the theme is the root's data attribute).
    await d.executeScript('document.documentElement.dataset.theme = "dark"');
    await screenshot(d, 'duplicates-view-dark');
    await d.executeScript('document.documentElement.dataset.theme = "light"');
    await d.findElement(By.css('[data-testid="merge"]')).click();
    await eventually(async () => /Merged 2 papers into one/.test(await text(d, '[data-testid="message"]')), 10_000, 'the merge');
    await eventually(async () => Number(await text(d, '[data-testid="count-all"]')) === papers - 1, 10_000, 'one paper fewer');
    await eventually(async () => (await text(d, '[data-testid="count-duplicates"]')) === '1', 10_000, 'one group left');
    const merged = JSON.parse(cli('show', 'he2015deep', '--json'));
    assert.equal(merged.doi, '10.1109/cvpr.2016.90', 'the published DOI joined the preprint');
    assert.equal(merged.title, 'Deep residual learning for image recognition', 'the chosen title');
    assert.equal(merged.arxivId, '1512.03385');

    await d.findElement(By.css('[data-testid="not-duplicates"]')).click();
    await d.wait(async () => (await d.findElements(By.css('[data-testid="no-duplicates"]'))).length === 1, 10_000);
    assert.equal((await d.findElements(By.css('[data-testid="count-duplicates"]'))).length, 0);
    assert.deepEqual(JSON.parse(cli('duplicates', '--json')), [], 'remembered in the library');
  });

  it('drags two papers onto a collection, and that collection into another', async () => {
    await d.findElement(By.css('[data-view="all"]')).click();
    for (const name of ['Reading', 'Thesis']) {
      await d.findElement(By.css('[data-testid="new-collection"]')).click();
      await (await d.findElement(By.css('[data-testid="collection-name"]'))).sendKeys(name, Key.ENTER);
      await d.wait(async () => (await d.findElements(By.css(`[data-collection="${name}"]`))).length === 1, 10_000);
    }
    const r = await rows();
    await r[0].click();
    await d.actions().keyDown(Key.SHIFT).click(r[1]).keyUp(Key.SHIFT).perform();
    // The Copy menu's first entry (a <select>: its change event is what runs).
    await d.executeScript('const s = document.querySelector(\'[data-testid="bulk-copy"]\'); s.value = "cite"; s.dispatchEvent(new Event("change", { bubbles: true }));');
    await eventually(async () => /Copied \\cite\{…\} with 2 keys/.test(await text(d, '[data-testid="message"]')), 10_000, 'the keys copied');
    const reading = await d.findElement(By.css('[data-collection="Reading"]'));
    await dragTo(d, r[0], reading, async () => {
      assert.equal(await text(d, '[data-testid="drag-ghost"]'), '2 papers');
      await screenshot(d, 'drag-to-collection');
    });
    await eventually(async () => (await text(d, '[data-collection="Reading"] .count')) === '2', 10_000, 'two papers put in');

    await dragTo(d, await d.findElement(By.css('[data-collection="Reading"]')), await d.findElement(By.css('[data-collection="Thesis"]')));
    await eventually(async () => (await d.findElements(By.css('[data-collection="Thesis/Reading"]'))).length === 1, 10_000, 'nested by drag');
    assert.equal(await text(d, '[data-collection="Thesis"] .count'), '2', 'the parent counts its child\'s papers');
  });

  it('drags a paper onto a topic, and splits a topic in two from its menu', async () => {
    await d.findElement(By.css('[data-view="all"]')).click();
    await search(d, '');
    const leaves = await eventually(async () => {
      const l = await d.findElements(By.css('[data-topic-level="leaf"]'));
      return l.length >= 2 && l;
    }, 30_000, 'topics');
    const target = leaves[leaves.length - 1];
    const topicId = await target.getAttribute('data-topic-id');
    const [row] = await rows();
    const paper = Number(await row.getAttribute('data-paper-id'));
    await row.click();
    await dragTo(d, row, target);
    await eventually(async () => /Moved 1 paper to/.test(await text(d, '[data-testid="message"]')), 10_000, 'the move');
    const into = JSON.parse(cli('topics', '--json')).find((t) => t.id === Number(topicId));
    assert.ok(into.papers.some((p) => p.id === paper), 'the paper is listed in the topic it was dropped on');

    const before = leaves.length;
    const first = leaves[0];
    const label = await first.findElement(By.css('.label')).getAttribute('textContent');
    // The ⋯ button shows on hover; its click handler is what runs.
    await d.executeScript('arguments[0].parentElement.querySelector(\'[data-testid="topic-menu"]\').click()', first);
    await d.findElement(By.css('[data-testid="topic-split"]')).click();
    await eventually(async () => (await text(d, '[data-testid="message"]')).startsWith(`Split “${label}” into`), 20_000, 'the split');
    await eventually(async () => (await d.findElements(By.css('[data-topic-level="leaf"]'))).length === before + 1, 10_000, 'one leaf more');
  });
});
