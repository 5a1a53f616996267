// End-to-end tests of the sidebar on the sample library: its edge resized by a real pointer drag
// (xdotool) and by keys on the focused separator, within its bounds, the width remembered in the
// settings file and shown again after a restart; the topic tree's full labels (two lines, the
// whole label in the tooltip) and its keyboard (arrows, Left/Right, Enter).

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { By, Key, eventually, launch, screenshot, startDriver, text, xdo } from './harness.mjs';

let driver;
let d;

const RESIZER = '[data-testid="sidebar-resizer"]';

const sidebarWidth = () => d.executeScript('return Math.round(document.querySelector(".sidebar").getBoundingClientRect().width);');
const valueNow = async () => Number(await d.findElement(By.css(RESIZER)).getAttribute('aria-valuenow'));
/** The settings file the window wrote (startDriver's TOPICA_SETTINGS). */
const stored = () => {
  try {
    return JSON.parse(readFileSync(path.join(driver.dir, 'settings.json'), 'utf8')).settings ?? {};
  } catch {
    return {};
  }
};

/** Drags the sidebar's edge `dx` pixels with the real mouse, in steps as a hand would. */
async function dragEdge(dx) {
  const [x, y, top] = await d.executeScript(`const b = document.querySelector('${RESIZER}').getBoundingClientRect();
    return [b.left + b.width / 2, b.top + b.height / 2, window.outerHeight - window.innerHeight];`);
  const at = (px) => xdo('mousemove', String(Math.max(1, Math.round(px))), String(Math.round(y + top)));
  at(x);
  await new Promise((r) => setTimeout(r, 100));
  xdo('mousedown', '1');
  for (let i = 1; i <= 10; i++) {
    at(x + (dx * i) / 10);
    await new Promise((r) => setTimeout(r, 30));
  }
  await new Promise((r) => setTimeout(r, 150));
  xdo('mouseup', '1');
}

/** Sends keys to whatever has the focus. */
const keys = (...k) => d.actions().sendKeys(...k).perform();
const focused = () => d.executeScript('const a = document.activeElement; return a && (a.dataset.topicId ?? a.dataset.testid ?? a.tagName);');

describe('sidebar', { concurrency: false }, () => {
  before(async () => {
    driver = await startDriver();
    d = await launch();
    await eventually(() => d.findElements(By.css('[data-topic-level="leaf"]')).then((l) => l.length >= 2), 60_000, 'the topics');
  });
  after(async () => {
    await d?.quit().catch(() => {});
    driver?.stop();
  });

  it('is a separator at the default width', async () => {
    const sep = await d.findElement(By.css(RESIZER));
    assert.equal(await sep.getAttribute('role'), 'separator');
    assert.equal(await sep.getAttribute('aria-orientation'), 'vertical');
    assert.equal(await sep.getAttribute('aria-valuemin'), '200');
    assert.equal(await sep.getAttribute('aria-valuemax'), '480');
    assert.equal(await valueNow(), 250);
    assert.equal(await sidebarWidth(), 250);
  });

  it('resizes by a pointer drag, within its bounds, and remembers the width', async () => {
    await dragEdge(120);
    await eventually(async () => (await sidebarWidth()) === 370, 5_000, 'a 370 px sidebar');
    assert.equal(await valueNow(), 370);
    await eventually(() => stored().sidebarWidth === 370, 5_000, 'the width in the settings file');
    await screenshot(d, 'sidebar-wide');
    // Past the maximum and back below the minimum.
    await dragEdge(400);
    await eventually(async () => (await sidebarWidth()) === 480, 5_000, 'the widest sidebar');
    await dragEdge(-600);
    await eventually(async () => (await sidebarWidth()) === 200, 5_000, 'the narrowest sidebar');
    await eventually(() => stored().sidebarWidth === 200, 5_000, 'the narrowest width stored');
    await screenshot(d, 'sidebar-narrow');
  });

  it('resizes by keys on the focused separator', async () => {
    await d.executeScript(`document.querySelector('${RESIZER}').focus();`);
    assert.equal(await focused(), 'sidebar-resizer');
    await keys(Key.ARROW_RIGHT);
    await eventually(async () => (await valueNow()) === 216, 5_000, 'one step wider');
    await d.actions().keyDown(Key.SHIFT).sendKeys(Key.ARROW_RIGHT).keyUp(Key.SHIFT).perform();
    await eventually(async () => (await valueNow()) === 280, 5_000, 'four steps wider');
    await keys(Key.ARROW_LEFT);
    await eventually(async () => (await valueNow()) === 264, 5_000, 'one step narrower');
    await keys(Key.END);
    await eventually(async () => (await sidebarWidth()) === 480, 5_000, 'End: the widest');
    await keys(Key.HOME);
    await eventually(async () => (await sidebarWidth()) === 200, 5_000, 'Home: the narrowest');
    for (let i = 0; i < 10; i++) await keys(Key.ARROW_RIGHT);
    await eventually(async () => (await sidebarWidth()) === 360, 5_000, 'ten steps wider');
    await eventually(() => stored().sidebarWidth === 360, 5_000, 'the width stored');
  });

  it('shows the same width after a restart', async () => {
    await d.quit();
    d = await launch();
    await eventually(async () => (await sidebarWidth()) === 360, 10_000, 'the remembered width');
    assert.equal(await valueNow(), 360);
    await eventually(() => d.findElements(By.css('[data-topic-level="leaf"]')).then((l) => l.length >= 2), 60_000, 'the topics');
    await d.actions().move({ x: 700, y: 790 }).perform();
    await screenshot(d, 'sidebar-after-restart');
  });

  it('shows topic labels in full: two lines at most, the whole label in the tooltip', async () => {
    const labels = await d.executeScript(`return [...document.querySelectorAll('[data-topic-level="leaf"]')].map((b) => {
      const l = b.querySelector('.label'); const s = getComputedStyle(l);
      return { text: l.textContent, title: b.title, clamp: s.webkitLineClamp, wrap: s.whiteSpace, lines: Math.round(l.getBoundingClientRect().height / parseFloat(s.lineHeight)) };
    });`);
    assert.ok(labels.length >= 2);
    for (const l of labels) {
      assert.ok(l.title.startsWith(l.text), `the tooltip holds the label: ${JSON.stringify(l)}`);
      assert.equal(l.clamp, '2', JSON.stringify(l));
      assert.equal(l.wrap, 'normal', JSON.stringify(l));
      assert.ok(l.lines <= 2, JSON.stringify(l));
    }
    // At the narrowest width, long labels wrap onto a second line rather than being cut at one.
    await d.executeScript(`document.querySelector('${RESIZER}').focus();`);
    await keys(Key.HOME);
    await eventually(async () => (await sidebarWidth()) === 200, 5_000, 'the narrowest sidebar');
    const lines = await d.executeScript(`return [...document.querySelectorAll('[data-topic-level] .label')].map((l) =>
      Math.round(l.getBoundingClientRect().height / parseFloat(getComputedStyle(l).lineHeight)));`);
    assert.ok(lines.some((n) => n === 2), `some label wraps: ${lines}`);
    await screenshot(d, 'sidebar-narrow-labels');
    await keys(Key.END);
    await eventually(async () => (await sidebarWidth()) === 480, 5_000, 'the widest sidebar');
  });

  it('is a tree the keyboard moves through', async () => {
    const tree = await d.findElement(By.css('[data-testid="topic-tree"]'));
    assert.equal(await tree.getAttribute('role'), 'tree');
    const items = await d.executeScript(`return [...document.querySelectorAll('[data-testid="topic-tree"] [role="treeitem"]')].map((b) =>
      ({ id: b.dataset.topicId, level: b.getAttribute('aria-level'), expanded: b.getAttribute('aria-expanded'), tab: b.tabIndex, parent: b.dataset.topicLevel === 'parent' }));`);
    assert.equal(items.filter((i) => i.tab === 0).length, 1, `one tab stop: ${JSON.stringify(items)}`);
    const [first, second] = items;
    assert.ok(first.parent && first.expanded === 'true' && first.level === '1', JSON.stringify(first));
    assert.equal(second.level, '2');
    // Tab from the separator reaches the tree's one stop (the first topic: none is open yet).
    await d.executeScript(`document.querySelector('[data-topic-id="${first.id}"]').focus();`);
    await keys(Key.ARROW_DOWN);
    assert.equal(await focused(), second.id);
    await keys(Key.ARROW_UP);
    assert.equal(await focused(), first.id);
    await keys(Key.ARROW_RIGHT);
    assert.equal(await focused(), second.id, 'Right enters an open parent');
    await keys(Key.ARROW_LEFT);
    assert.equal(await focused(), first.id, 'Left goes up from a leaf');
    await keys(Key.ARROW_LEFT);
    await eventually(async () => (await d.findElement(By.css(`[data-topic-id="${first.id}"]`)).getAttribute('aria-expanded')) === 'false', 5_000, 'collapsed');
    assert.equal((await d.findElements(By.css(`[data-topic-id="${second.id}"]`))).length, 0, 'its leaves are hidden');
    await keys(Key.ARROW_DOWN);
    const next = await focused();
    assert.notEqual(next, second.id, 'Down skips the hidden leaves');
    await keys(Key.ARROW_UP, Key.ARROW_RIGHT);
    await eventually(async () => (await d.findElement(By.css(`[data-topic-id="${first.id}"]`)).getAttribute('aria-expanded')) === 'true', 5_000, 'expanded');
    await keys(Key.ARROW_DOWN, Key.ENTER);
    const label = await d.findElement(By.css(`[data-topic-id="${second.id}"] .label`)).getAttribute('textContent');
    await eventually(async () => (await text(d, '[data-testid="list-heading"]')) === `Topic: ${label}`, 10_000, 'Enter opens the topic');
    const el = await d.findElement(By.css(`[data-topic-id="${second.id}"]`));
    assert.equal(await el.getAttribute('aria-selected'), 'true');
    assert.equal(await el.getAttribute('tabindex'), '0');
    await screenshot(d, 'sidebar-tree-keyboard');
  });
});
