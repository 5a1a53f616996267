// End-to-end tests of the map of papers on the sample library (94 papers): every paper drawn,
// zooming, a click on a dot opening its paper, a lasso selecting papers for the selection bar,
// and screenshots of it in the light and dark themes, zoomed out and in.
//
// The canvas says what it drew (data-points, data-total) and its view transform (data-scale,
// data-tx, data-ty: screen = world · scale + t), so the test can aim at a paper the engine placed.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { By, eventually, launch, screenshot, startDriver, text } from './harness.mjs';

let driver;
let d;

const CANVAS = '[data-testid="map-canvas"]';

/** The engine's map, through the same command the window uses. */
function paperMap() {
  return d.executeAsyncScript('const done = arguments[arguments.length - 1]; window.__TAURI_INTERNALS__.invoke("paper_map").then(done, (e) => done({ error: String(e) }));');
}

/** The canvas's view transform and size as last drawn. */
async function viewOf() {
  return d.executeScript(`const c = document.querySelector('${CANVAS}'); const b = c.getBoundingClientRect();
    return { scale: Number(c.dataset.scale), tx: Number(c.dataset.tx), ty: Number(c.dataset.ty), width: b.width, height: b.height,
      points: Number(c.dataset.points), total: Number(c.dataset.total), labels: c.dataset.labels };`);
}

/** Rectangles (canvas pixels) the overlays cover, where a click would not reach the canvas. */
async function covered() {
  return d.executeScript(`const c = document.querySelector('${CANVAS}').getBoundingClientRect();
    return [...document.querySelectorAll('.map-tools, .map-legend, .map-tip')].map((e) => { const b = e.getBoundingClientRect();
      return { left: b.left - c.left - 6, top: b.top - c.top - 6, right: b.right - c.left + 6, bottom: b.bottom - c.top + 6 }; });`);
}

const screen = (v, p) => [p.x * v.scale + v.tx, p.y * v.scale + v.ty];

/** Moves the real pointer to canvas pixel (x, y) (WebDriver offsets are from the element's centre). */
async function pointAt(canvas, v, x, y) {
  return d.actions().move({ origin: canvas, x: Math.round(x - v.width / 2), y: Math.round(y - v.height / 2) });
}

describe('the map of papers', { concurrency: false }, () => {
  before(async () => {
    driver = await startDriver();
    d = await launch();
    // The first run fits the sample's topics; the map waits for them.
    await eventually(() => d.findElements(By.css('[data-topic-level="leaf"]')).then((l) => l.length >= 2), 60_000, 'the sample library\'s topics');
    await d.actions().move({ x: 700, y: 790 }).perform(); // no sidebar tooltip in the screenshots
  });
  after(async () => {
    await d?.quit().catch(() => {});
    driver?.stop();
  });

  it('draws every paper as a dot, with topic labels', async () => {
    await d.findElement(By.css('[data-testid="map-tab"]')).click();
    const v = await eventually(async () => {
      const v = await viewOf();
      return v.total === 94 && v.points === 94 && v;
    }, 20_000, '94 dots drawn');
    const map = await paperMap();
    assert.equal(map.points.length, 94);
    // At the overview the broader topics are labelled.
    const parents = new Set(map.topics.filter((t) => t.level === 'parent').map((t) => String(t.topic)));
    const labelled = v.labels.split(' ').filter(Boolean);
    assert.ok(labelled.length >= 1 && labelled.every((id) => parents.has(id)), `labels ${v.labels} are broader topics`);
    // Every dot is inside the canvas at the fitted view.
    for (const p of map.points) {
      const [x, y] = screen(v, p);
      assert.ok(x > 0 && y > 0 && x < v.width && y < v.height, `paper ${p.id} at ${x}, ${y}`);
    }
    await new Promise((r) => setTimeout(r, 300));
    await screenshot(d, 'map-light-overview');
  });

  it('zooms with the buttons and the keyboard, labels leaves when zoomed in, and fits again', async () => {
    const before = await viewOf();
    await d.findElement(By.css('[data-testid="map-zoom-in"]')).click();
    await eventually(async () => (await viewOf()).scale > before.scale * 1.3, 5_000, 'zoomed in by the button');
    const canvas = await d.findElement(By.css(CANVAS));
    await canvas.sendKeys('+');
    await eventually(async () => (await viewOf()).scale > before.scale * 1.9, 5_000, 'zoomed in by the + key');
    const map = await paperMap();
    const leaves = new Set(map.topics.filter((t) => t.level === 'leaf').map((t) => String(t.topic)));
    const zoomed = await viewOf();
    const labelled = zoomed.labels.split(' ').filter(Boolean);
    assert.ok(labelled.length >= 1 && labelled.every((id) => leaves.has(id)), `labels ${zoomed.labels} are leaves when zoomed in`);
    assert.ok(zoomed.points < 94, `zoomed in, only the dots in view are drawn (${zoomed.points})`);
    await d.actions().move({ x: 700, y: 790 }).perform();
    await d.executeScript('document.activeElement.blur()'); // no keyboard cross in the screenshot
    await screenshot(d, 'map-light-zoomed');
    await canvas.sendKeys('0');
    await eventually(async () => Math.abs((await viewOf()).scale - before.scale) < 1e-6, 5_000, 'fitted again');
  });

  it('names a paper under the pointer and opens it on a click', async () => {
    const map = await paperMap();
    const v = await viewOf();
    const blocked = await covered();
    // The paper farthest from its nearest neighbour, clear of the overlays: one click, one paper.
    const pos = map.points.map((p) => ({ p, at: screen(v, p) }));
    const free = pos.filter(({ at: [x, y] }) => x > 30 && y > 30 && x < v.width - 30 && y < v.height - 30
      && !blocked.some((b) => x > b.left && x < b.right && y > b.top && y < b.bottom));
    const isolation = ({ at }) => Math.min(...pos.filter((q) => q.at !== at).map((q) => Math.hypot(q.at[0] - at[0], q.at[1] - at[1])));
    const target = free.sort((a, b) => isolation(b) - isolation(a))[0];
    assert.ok(target && isolation(target) > 6, 'a paper apart from the others');
    const canvas = await d.findElement(By.css(CANVAS));
    await (await pointAt(canvas, v, target.at[0], target.at[1])).perform();
    // The list's row of the paper: its title, or its abstract's first sentence when it has none.
    const [paper] = await d.executeAsyncScript('const done = arguments[arguments.length - 1]; window.__TAURI_INTERNALS__.invoke("rows", { ids: [arguments[0]] }).then(done, (e) => done([{ error: String(e) }]));', target.p.id);
    assert.ok(paper && paper.title, `paper ${target.p.id}: ${JSON.stringify(paper)}`);
    await eventually(async () => {
      const tip = await d.findElements(By.css(`[data-testid="map-tip"][data-paper-id="${target.p.id}"]`));
      return tip.length === 1 && (await tip[0].getText()).includes(paper.title.slice(0, 30));
    }, 5_000, 'the tooltip names the paper under the pointer');
    await (await pointAt(canvas, v, target.at[0], target.at[1])).click().perform();
    await eventually(async () => (await text(d, '[data-testid="detail-title"]')).startsWith(paper.title.slice(0, 40)), 10_000, `the detail pane shows “${paper.title}”`);
  });

  it('selects the papers inside a lasso for the bulk actions', async () => {
    const map = await paperMap();
    const v = await viewOf();
    const canvas = await d.findElement(By.css(CANVAS));
    // A rectangle round the middle of the map, nudged until no dot lies within 4 px of an edge
    // (where rounding could put it either side).
    const inside = (r, [x, y]) => x > r.x0 && x < r.x1 && y > r.y0 && y < r.y1;
    const near = (r, [x, y]) => [x - r.x0, r.x1 - x, y - r.y0, r.y1 - y].some((e) => Math.abs(e) < 4)
      && x > r.x0 - 4 && x < r.x1 + 4 && y > r.y0 - 4 && y < r.y1 + 4;
    let rect;
    const at = map.points.map((p) => screen(v, p));
    for (let k = 0; k < 400 && !rect; k++) {
      const [dx, dy] = [(k % 20) * 7, Math.floor(k / 20) * 5];
      const r = { x0: v.width * 0.15 + dx, x1: v.width * 0.5 + dx, y0: v.height * 0.15 + dy, y1: v.height * 0.5 + dy };
      const n = at.filter((a) => inside(r, a)).length;
      if (n >= 3 && n < 94 && !at.some((a) => near(r, a))) rect = { ...r, n };
    }
    assert.ok(rect, 'a lasso rectangle with papers clearly inside and out');
    await d.findElement(By.css('[data-testid="map-lasso"]')).click();
    assert.equal(await d.findElement(By.css('[data-testid="map-lasso"]')).getAttribute('aria-pressed'), 'true');
    const corners = [[rect.x0, rect.y0], [rect.x1, rect.y0], [rect.x1, rect.y1], [rect.x0, rect.y1]];
    const move = (x, y) => ({ origin: canvas, x: Math.round(x - v.width / 2), y: Math.round(y - v.height / 2), duration: 60 });
    let chain = d.actions().move(move(...corners[0])).press();
    for (const c of corners.slice(1)) chain = chain.move(move(...c));
    chain = chain.move(move(rect.x0, rect.y0 + 2));
    await chain.release().perform();
    await eventually(async () => (await text(d, '[data-testid="selection-count"]')) === `${rect.n} selected`, 10_000, `${rect.n} papers selected`);
    await screenshot(d, 'map-light-lasso');
    // The selection is the app's: the list shows the same count selected.
    await d.findElement(By.css('[data-testid="map-lasso"]')).click(); // lasso off
    await d.findElement(By.xpath('//button[@role="tab" and normalize-space()="Papers"]')).click();
    await eventually(async () => (await text(d, '[data-testid="selected-count"]')) === `${rect.n} selected`, 10_000, 'the list\'s selection');
  });

  it('reads in the dark theme too', async () => {
    await d.findElement(By.css('[data-testid="settings-button"]')).click();
    await (await d.findElement(By.css('[data-testid="theme"]'))).findElement(By.css('option[value="dark"]')).click();
    await eventually(async () => (await d.executeScript('return document.documentElement.dataset.theme')) === 'dark', 5_000, 'dark theme');
    await d.findElement(By.css('[data-testid="settings-sheet"] button.primary')).click();
    await d.findElement(By.css('[data-testid="map-tab"]')).click();
    await eventually(async () => (await viewOf()).points === 94, 10_000, 'the map drawn again');
    await d.actions().move({ x: 700, y: 790 }).perform();
    await screenshot(d, 'map-dark-overview');
    const canvas = await d.findElement(By.css(CANVAS));
    await canvas.sendKeys('+', '+', '+');
    await eventually(async () => (await viewOf()).labels.length > 0, 5_000, 'labels when zoomed in');
    await d.actions().move({ x: 700, y: 790 }).perform();
    await d.executeScript('document.activeElement.blur()');
    await screenshot(d, 'map-dark-zoomed');
  });
});
