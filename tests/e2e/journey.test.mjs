// A newcomer's journey, step by step, with a screenshot of each: start empty, place a client, a
// service and a database, wire them with the mouse, play, watch the charts move, flip a switch
// and see its effect, undo, export and re-import, open a share link, and try a corrupt link
// without losing work.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { screenshot, shots, root, browserAndServer, centre, wire } from './harness.mjs';

const env = browserAndServer();

const clock = (page) => page.evaluate(() => parseFloat(document.querySelector('.clock').textContent));

test('a newcomer builds, runs, changes, saves and shares a system', async () => {
  const context = await env.browser.newContext({ viewport: { width: 1440, height: 1000 }, acceptDownloads: true });
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  await page.goto(`${env.server.url}#sandbox`);
  await page.waitForSelector('.card');

  // 1. An empty canvas.
  await page.click('text=New');
  await page.waitForSelector('.empty-hint');
  assert.equal(await page.locator('.card').count(), 0);
  await screenshot(page, 'journey-1-empty');

  // 2. Place a client, a service and a database from the palette.
  for (const kind of ['client', 'service', 'database']) {
    await page.click(`button.palette-item.kind-${kind}`);
  }
  assert.equal(await page.locator('.card').count(), 3);

  // 3. Wire them by dragging from each output port; an illegal wire is refused with a reason.
  await wire(page, 'client', 'service');
  await wire(page, 'service', 'database');
  assert.equal(await page.locator('.wire').count(), 2);
  await wire(page, 'database', 'client');
  assert.match(await page.textContent('.notice.error'), /cannot send to a client/);
  assert.equal(await page.locator('.wire').count(), 2);
  await screenshot(page, 'journey-2-wired');

  // 4. Play: the clock runs and the charts fill.
  await page.click('button[aria-label=Play]');
  await page.waitForFunction(() => parseFloat(document.querySelector('.clock').textContent) > 3, null, { timeout: 20_000 });
  const points = Number(await page.getAttribute('canvas.chart >> nth=1', 'data-points'));
  assert.ok(points > 20, `throughput chart points: ${points}`);
  await screenshot(page, 'journey-3-running');
  // Charts read out values under the pointer and export as PNG.
  const latency = page.locator('canvas.chart >> nth=0');
  const box = await latency.boundingBox();
  await latency.hover({ position: { x: box.width * 0.6, y: box.height / 2 } });
  assert.match(await page.textContent('.readout >> nth=0'), /^at \d+\.\d s: p50 /);
  const [png] = await Promise.all([page.waitForEvent('download'), page.click('.chart-card >> nth=0 >> text=PNG')]);
  assert.equal(png.suggestedFilename(), 'latency.png');

  // Inject a fault from the panel: it is listed by the component's name and shaded on the charts.
  await page.selectOption('select[aria-label="Fault"]', 'latency');
  await page.selectOption('select[aria-label="Target"]', { label: 'Service' });
  await page.fill('input[aria-label="Lasts (seconds, 0 for ever)"]', '2');
  await page.dispatchEvent('input[aria-label="Lasts (seconds, 0 for ever)"]', 'change');
  await page.click('text=Inject');
  assert.match(await page.textContent('.fault-list'), /Service: \+200 ms, \d+–\d+ s/);
  await page.waitForFunction(() => document.querySelector('canvas.chart')?.getAttribute('data-bands') === '1', null, { timeout: 10_000 });

  // 5. Pin the system as A, then flip a switch while running: send eight times the traffic and
  // see the card report it.
  await page.click('text=Pin as A');
  await page.click('.card[data-id="client"] .card-body');
  const rate = page.locator('.inspector label.field', { hasText: /^Rate/ }).locator('input');
  assert.equal(await rate.inputValue(), '100');
  await rate.fill('800');
  // The run keeps redrawing while the user types: the typed value must survive those redraws.
  await page.waitForTimeout(400);
  assert.equal(await rate.inputValue(), '800');
  await rate.dispatchEvent('change');
  const sent = async () => Number((await page.textContent('.card[data-id="client"] .live')).match(/(\d+)\/s/)?.[1] ?? 0);
  await page.waitForFunction(() => {
    const m = document.querySelector('.card[data-id="client"] .live')?.textContent.match(/(\d+)\/s/);
    return m && Number(m[1]) > 500;
  }, null, { timeout: 30_000 });
  assert.ok((await sent()) > 500);
  await screenshot(page, 'journey-4-switch-flipped');
  // Same-seed A/B: both runs overlaid on one set of charts.
  await page.click('text=Compare A with now');
  await page.waitForSelector('.charts >> nth=1');
  assert.match(await page.textContent('.charts >> nth=1'), /A \(pinned\) against B \(now\), same seed/);
  const abPoints = Number(await page.getAttribute('.charts >> nth=1 >> canvas.chart >> nth=1', 'data-points'));
  assert.ok(abPoints > 100, `A/B throughput points: ${abPoints}`);
  await page.locator('.charts >> nth=1').scrollIntoViewIfNeeded();
  await screenshot(page, 'journey-4b-ab-compare');

  // 6. Undo brings the old rate back.
  await page.click('svg.surface', { position: { x: 5, y: 5 } });
  await page.click('.card[data-id="client"] .card-body');
  await page.keyboard.press('Control+z');
  await page.waitForFunction(() => {
    const input = [...document.querySelectorAll('.inspector label.field')].find((l) => l.textContent.startsWith('Rate'))?.querySelector('input');
    return input && input.value === '100';
  }, null, { timeout: 30_000 });

  // 7. Export, start over, and import the file again.
  await page.click('button[aria-label=Pause]');
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('text=Export')]);
  const exported = join(shots, 'journey-exported.json');
  await download.saveAs(exported);
  const doc = JSON.parse(await readFile(exported, 'utf8'));
  assert.equal(doc.components.length, 3);
  await page.click('text=New');
  assert.equal(await page.locator('.card').count(), 0);
  await page.setInputFiles('input[type=file]', exported);
  await page.waitForSelector('.card[data-id="database"]');
  assert.equal(await page.locator('.wire').count(), 2);
  await screenshot(page, 'journey-5-reimported');

  // 8. A share link opens the same system, seed included, in a fresh env.browser.
  await page.fill('input.seed', '4242');
  await page.press('input.seed', 'Enter');
  await page.click('text=Share link');
  const link = page.url();
  assert.match(link, /#s=/);
  // The notice says it was copied only because it was: the clipboard holds the link.
  await page.waitForSelector('.notice >> text=/Link copied/');
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), link);
  const other = await env.browser.newContext({ viewport: { width: 1440, height: 1000 } });
  const shared = await other.newPage();
  await shared.goto(link);
  await shared.waitForSelector('.card[data-id="database"]');
  assert.equal(await shared.inputValue('input.seed'), '4242');
  assert.equal(await shared.locator('.wire').count(), 2);
  await screenshot(shared, 'journey-6-shared-link');
  await other.close();

  // 9. A corrupt link explains itself and leaves the work as it was: opened in a new tab (the
  // work comes back from autosave) and pasted into this one (the work stays on screen).
  const tab = await context.newPage();
  await tab.goto(`${env.server.url}#s=thisIsNotAScenario`);
  await tab.waitForSelector('.notice.error');
  assert.match(await tab.textContent('.notice.error'), /damaged/);
  assert.match(await tab.textContent('.notice.error'), /unchanged/);
  assert.equal(await tab.locator('.card').count(), 3, 'the autosaved work is still there');
  assert.equal(await tab.inputValue('input.seed'), '4242');
  await screenshot(tab, 'journey-7-corrupt-link');
  await page.evaluate(() => { window.location.hash = 's=AAAA'; });
  await page.waitForSelector('.notice.error');
  assert.equal(await page.locator('.card').count(), 3);

  assert.deepEqual(errors, []);
  await context.close();
});

test('a system can be built with the keyboard alone', async () => {
  const context = await env.browser.newContext({ viewport: { width: 1440, height: 1000 } });
  const page = await context.newPage();
  await page.goto(`${env.server.url}#sandbox`);
  await page.waitForSelector('.card');
  await page.click('text=New');
  await page.focus('button.palette-item.kind-client');
  await page.keyboard.press('Enter');
  await page.focus('button.palette-item.kind-service');
  await page.keyboard.press('Enter');
  assert.equal(await page.locator('.card').count(), 2);
  // Focus the client, press C, move focus to the service, press Enter.
  await page.focus('.card[data-id="client"]');
  await page.keyboard.press('c');
  assert.match(await page.textContent('.notice'), /Wiring from/);
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-id')), 'service');
  await page.keyboard.press('Enter');
  assert.equal(await page.locator('.wire').count(), 1);
  // Arrows nudge the focused card: 10 units a press, 50 with Shift.
  const where = async () => (await page.getAttribute('.card[data-id="service"]', 'transform')).match(/-?[\d.]+/g).map(Number);
  await page.focus('.card[data-id="service"]');
  const [x0, y0] = await where();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Shift+ArrowRight');
  assert.deepEqual(await where(), [x0 + 50, y0 + 20]);
  // Delete a card from the keyboard and undo it (focusing a card selects it; after wiring, the
  // new wire is what is selected).
  await page.focus('button.palette-item.kind-client');
  await page.focus('.card[data-id="service"]');
  await page.keyboard.press('Delete');
  assert.equal(await page.locator('.card').count(), 1);
  await page.keyboard.press('Control+z');
  assert.equal(await page.locator('.card').count(), 2);
  await screenshot(page, 'journey-keyboard');
  await context.close();
});

test('a system can be built and viewed by touch', async () => {
  // A tablet: touch events reach the app as pointer events of type "touch", with the implicit
  // capture and multi-finger behaviour real fingers have (sent through the DevTools protocol).
  const context = await env.browser.newContext({ viewport: { width: 1024, height: 900 }, hasTouch: true });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${env.server.url}#sandbox`);
  await page.waitForSelector('.card');
  await page.tap('text=New');
  await page.tap('button.palette-item.kind-client');
  await page.tap('button.palette-item.kind-service');
  assert.equal(await page.locator('.card').count(), 2);
  const cdp = await context.newCDPSession(page);
  const touch = (type, points) =>
    cdp.send('Input.dispatchTouchEvent', { type, touchPoints: points.map(([x, y], id) => ({ x, y, id })) });
  async function slide(from, to, steps = 8) {
    await touch('touchStart', [from]);
    for (let i = 1; i <= steps; i++) {
      await touch('touchMove', [[from[0] + ((to[0] - from[0]) * i) / steps, from[1] + ((to[1] - from[1]) * i) / steps]]);
    }
    await touch('touchEnd', []);
  }

  // Move the service card with a finger.
  const before = await centre(page, '.card[data-id="service"] .card-body');
  await slide([before.x, before.y], [before.x + 60, before.y + 120]);
  const after = await centre(page, '.card[data-id="service"] .card-body');
  assert.ok(Math.abs(after.y - before.y - 120) < 4, `the card followed the finger: ${before.y} -> ${after.y}`);

  // Wire by sliding from the client's output to the service.
  const port = await centre(page, '.card[data-id="client"] .port');
  await slide([port.x, port.y], [after.x, after.y]);
  assert.equal(await page.locator('.wire').count(), 1);

  // Pinch out on the background: the drawing grows about the fingers.
  const surface = await page.locator('svg.surface').boundingBox();
  const width = async () => (await page.locator('.card[data-id="client"] .card-body').boundingBox()).width;
  const w0 = await width();
  const cx = surface.x + surface.width - 120;
  const cy = surface.y + 60;
  await touch('touchStart', [[cx - 20, cy], [cx + 20, cy]]);
  for (let i = 1; i <= 6; i++) await touch('touchMove', [[cx - 20 - 8 * i, cy], [cx + 20 + 8 * i, cy]]);
  await touch('touchEnd', []);
  const w1 = await width();
  assert.ok(w1 > w0 * 1.4, `pinching out zoomed in: card ${w0.toFixed(0)} -> ${w1.toFixed(0)} px wide`);
  // A tap on empty canvas after the gesture behaves as a single touch again (clears selection).
  await page.touchscreen.tap(cx, cy);
  assert.equal(await page.locator('.wire').count(), 1);
  assert.equal(await page.locator('.card').count(), 2);
  assert.deepEqual(errors, []);
  await screenshot(page, 'journey-touch');
  await context.close();
});

test('a browser that refuses to store work or to copy says so instead of pretending', async () => {
  const context = await env.browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.addInitScript(() => {
    Storage.prototype.setItem = () => {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    };
    Clipboard.prototype.writeText = () => Promise.reject(new DOMException('Not allowed.', 'NotAllowedError'));
  });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${env.server.url}#sandbox`);
  await page.waitForSelector('.card');
  await page.click('button.palette-item.kind-cache');
  await page.waitForSelector('.notice.error');
  assert.match(await page.textContent('.notice.error'), /not keeping your work.*Export/);
  // The work itself is untouched and can still be exported.
  assert.equal(await page.locator('.card').count(), 4);
  // A refused clipboard is not reported as a copy.
  await page.click('text=Share link');
  await page.waitForSelector('.notice >> text=/did not allow copying; the link is in the address bar/');
  assert.deepEqual(errors, []);
  await context.close();
});

test('on a phone the canvas takes the width and the system fits in view', async () => {
  const context = await env.browser.newContext({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });
  const page = await context.newPage();
  await page.goto(`${env.server.url}#sandbox`);
  await page.waitForSelector('.card');
  const surface = await page.locator('svg.surface').boundingBox();
  assert.ok(surface.width > 0.9 * 390 - 30, `the canvas is ${surface.width} px wide`);
  for (const card of await page.locator('.card .card-body').all()) {
    const box = await card.boundingBox();
    assert.ok(box.x >= surface.x && box.x + box.width <= surface.x + surface.width, 'every card is in view');
  }
  await screenshot(page, 'journey-phone');
  await context.close();
});

test('a file with problems opens to be fixed; an unreadable file is refused and work stays', async () => {
  const context = await env.browser.newContext({ viewport: { width: 1440, height: 1000 } });
  const page = await context.newPage();
  await page.goto(`${env.server.url}#sandbox`);
  await page.waitForSelector('.card[data-id="db"]');
  // Not a scenario at all: refused, the starter system is untouched.
  await page.setInputFiles('input[type=file]', { name: 'notes.json', mimeType: 'application/json', buffer: Buffer.from('{"hello": ') });
  await page.waitForSelector('.notice.error');
  assert.match(await page.textContent('.notice.error'), /Could not open notes\.json: .*Your work is unchanged/);
  assert.equal(await page.locator('.card').count(), 3);
  // A readable file with mistakes opens, with each problem marked where it is, and cannot run.
  await page.setInputFiles('input[type=file]', join(root, 'tests', 'data', 'broken.json'));
  await page.waitForSelector('.card[data-id="b"]');
  assert.ok(await page.locator('.problems li').count() >= 4, 'the problems are listed');
  assert.ok(await page.locator('.card .problem-mark').count() >= 2, 'cards carry their problems');
  assert.ok(await page.locator('button[aria-label=Play]').isDisabled(), 'a broken system does not run');
  await screenshot(page, 'journey-broken-file');
  // Undo brings back the work from before the import.
  await page.keyboard.press('Control+z');
  await page.waitForSelector('.card[data-id="db"]');
  assert.equal(await page.locator('.problems').count(), 0);
  await context.close();
});

test('shift-click selects several cards and dragging one moves them all', async () => {
  const context = await env.browser.newContext({ viewport: { width: 1440, height: 1000 } });
  const page = await context.newPage();
  await page.goto(`${env.server.url}#sandbox`);
  await page.waitForSelector('.card[data-id="db"]');
  const at = async (id) => page.locator(`.card[data-id="${id}"] .card-body`).boundingBox();
  const [api0, db0, users0] = [await at('api'), await at('db'), await at('users')];
  await page.click('.card[data-id="api"] .card-body');
  await page.click('.card[data-id="db"] .card-body', { modifiers: ['Shift'] });
  assert.equal(await page.locator('.card.selected').count(), 2);
  const from = { x: api0.x + 40, y: api0.y + 20 };
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move(from.x + 30, from.y + 60, { steps: 4 });
  await page.mouse.move(from.x + 60, from.y + 120, { steps: 4 });
  await page.mouse.up();
  const [api1, db1, users1] = [await at('api'), await at('db'), await at('users')];
  assert.ok(Math.abs(api1.y - api0.y - 120) < 3 && Math.abs(db1.y - db0.y - 120) < 3, 'both moved');
  assert.equal(users1.y, users0.y, 'the unselected card stayed');
  // One undo puts the whole group back.
  await page.keyboard.press('Control+z');
  assert.ok(Math.abs((await at('db')).y - db0.y) < 1);
  // A click (no drag) on a card of the group selects just that card.
  await page.click('.card[data-id="db"] .card-body');
  assert.equal(await page.locator('.card.selected').count(), 1);
  await context.close();
});

test('wires, names, stepping, faults and log filters respond as a learner expects', async () => {
  const context = await env.browser.newContext({ viewport: { width: 1440, height: 1000 } });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${env.server.url}#sandbox`);
  await page.waitForSelector('.card[data-id="db"]');

  // A wire: select it, make it asynchronous, then delete it and undo.
  await page.click('.wire >> nth=1', { force: true });
  await page.waitForSelector('section[aria-label="Wire inspector"]');
  await page.selectOption('section[aria-label="Wire inspector"] select', 'async');
  assert.equal(await page.locator('.wire.async').count(), 1);
  await page.click('text=Delete wire');
  assert.equal(await page.locator('.wire').count(), 1);
  await page.keyboard.press('Control+z');
  assert.equal(await page.locator('.wire').count(), 2);

  // Renaming in the inspector renames the card.
  await page.click('.card[data-id="api"] .card-body');
  const name = page.locator('.inspector label.field', { hasText: /^Name/ }).locator('input');
  await name.fill('Checkout API');
  await name.dispatchEvent('change');
  assert.equal((await page.textContent('.card[data-id="api"] .name')).trim(), 'Checkout API');

  // Step advances the clock by one window; logs fill and filter by component and level.
  await page.click('text=Step');
  await page.click('text=Step');
  assert.equal(await page.textContent('.clock'), '0.2 s');
  await page.click('button[aria-label=Play]');
  await page.waitForFunction(() => document.querySelectorAll('.log-lines li').length > 5, null, { timeout: 20_000 });
  await page.click('button[aria-label=Pause]');
  await page.selectOption('select[aria-label="Component"]', { label: 'Checkout API' });
  const shown = await page.locator('.log-lines .log-comp').allTextContents();
  assert.ok(shown.length > 0 && shown.every((c) => c === 'Checkout API'), `only the API, by its new name: ${shown.slice(0, 5)}`);
  await page.selectOption('select[aria-label="Lowest level shown"]', { index: 2 });
  for (const level of await page.locator('.log-lines .log-level').allTextContents()) {
    assert.notEqual(level, 'INFO');
  }

  // A wire's mode changes in the running simulation: the clock carries on.
  const before = parseFloat(await page.textContent('.clock'));
  await page.click('.wire >> nth=0', { force: true });
  await page.selectOption('section[aria-label="Wire inspector"] select', 'async');
  assert.equal(parseFloat(await page.textContent('.clock')), before, 'the run was not restarted');
  // Which requests a wire carries: tick reads only.
  await page.check('section[aria-label="Wire inspector"] .op-choice:has-text("read") input');
  assert.ok(await page.isChecked('section[aria-label="Wire inspector"] .op-choice:has-text("read") input'));
  assert.match(await page.textContent('.wire-ops'), /Only the ticked kinds/);

  // A fault can be taken off the timeline again.
  await page.click('text=Inject');
  assert.equal(await page.locator('.fault-list li').count(), 1);
  await page.click('button[aria-label="Remove fault"]');
  assert.equal(await page.locator('.fault-list li').count(), 0);
  assert.deepEqual(errors, []);
  await context.close();
});
