// static/modules.js picks the wasm file a page starts with from its fragment; the table in
// tests/data/modules.json is what it must pick (app/src/route.rs checks the Rust side against
// the same table). Then, in the browser: a first visit downloads only the home screen's file,
// opening a lesson loads the page again with the main file (and none of its parts: the embed's
// screen and the dialogs), and the workshop's file is fetched only for a workshop screen.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { moduleFor } from '../../static/modules.js';
import { browserAndServer, openPage } from './harness.mjs';

const table = JSON.parse(readFileSync(new URL('../data/modules.json', import.meta.url), 'utf8'));

test('modules.js starts the file the table names for every fragment', () => {
  const fragments = Object.entries(table.fragments);
  assert.ok(fragments.length >= 10);
  for (const [fragment, expected] of fragments) {
    assert.equal(moduleFor(fragment), expected, `#${fragment}`);
  }
});

const env = browserAndServer();

test('a first visit fetches the home file only; a lesson and a workshop screen fetch their own', async () => {
  const { page, context, errors, requests } = await openPage(env.browser, env.server.url);
  const wasm = () => requests.filter((r) => r.endsWith('.wasm')).map((r) => r.split('/').pop());
  await page.waitForSelector('.lesson-card');
  assert.deepEqual(wasm(), ['home_bg.wasm']);

  requests.length = 0;
  await page.click('.lesson-card:not(.sandbox) a');
  await page.waitForSelector('.card');
  assert.deepEqual(wasm(), ['app_bg.wasm']);
  assert.match(page.url(), /#lesson=01-/);

  requests.length = 0;
  await page.goto(`${env.server.url}#compare`);
  await page.waitForSelector('.compare-body');
  assert.deepEqual(wasm().filter((w) => w !== 'engine_bg.wasm'), ['workshop_bg.wasm']);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a module asked twice in a row for a screen it lacks says so instead of loading the page forever', async () => {
  const { page, context, errors } = await openPage(env.browser, env.server.url);
  await page.waitForSelector('.lesson-card');
  // As if the page had just been loaded for #sandbox and the home file had started again.
  await page.evaluate(() => {
    sessionStorage.setItem('playground-reloaded-for', 'sandbox');
    location.hash = 'sandbox';
  });
  const alert = await page.waitForSelector('.elsewhere[role=alert]');
  assert.match(await alert.textContent(), /did not load/);
  assert.match(page.url(), /#sandbox$/);
  assert.deepEqual(errors, []);
  await context.close();
});

test('the dialogs part is fetched only when a dialog opens, and a failed fetch says so and closes', async () => {
  const { page, context, errors, requests } = await openPage(env.browser, `${env.server.url}#sandbox`);
  const wasm = () => requests.filter((r) => r.endsWith('.wasm')).map((r) => r.split('/').pop());
  await page.waitForSelector('.card');
  assert.deepEqual(wasm(), ['app_bg.wasm']);
  await page.getByRole('button', { name: 'Embed' }).click();
  await page.getByRole('dialog', { name: 'Embed in a post' }).waitFor();
  assert.ok(wasm().includes('split_dialogs.wasm'), wasm().join());
  assert.ok(!wasm().includes('split_embed.wasm'), wasm().join());
  await page.keyboard.press('Escape');
  await page.getByRole('dialog').waitFor({ state: 'detached' });
  assert.deepEqual(errors, []);
  await context.close();

  // A site missing the file (or a connection that dropped): a sentence, and the design stays.
  const second = await openPage(env.browser, `${env.server.url}#sandbox`);
  await second.page.route(/split_dialogs\.wasm$/, (route) => route.fulfill({ status: 404, body: 'gone' }));
  await second.page.waitForSelector('.card');
  const cards = await second.page.locator('.card').count();
  await second.page.getByRole('button', { name: 'Challenge' }).click();
  const alert = second.page.getByRole('alertdialog', { name: 'The dialog did not open' });
  await alert.waitFor();
  assert.match(await alert.textContent(), /could not be loaded/);
  await alert.getByRole('button', { name: 'Close' }).click();
  await alert.waitFor({ state: 'detached' });
  assert.equal(await second.page.locator('.card').count(), cards);
  await second.context.close();
});

test('an embed whose part cannot be fetched says so', async () => {
  const { page, context, requests } = await openPage(env.browser, 'about:blank');
  await page.route(/split_embed\.wasm$/, (route) => route.fulfill({ status: 404, body: 'gone' }));
  await page.goto(`${env.server.url}play.html#embed?lesson=01-paid-twice`);
  const alert = page.locator('.elsewhere[role=alert]');
  await alert.waitFor();
  assert.match(await alert.textContent(), /did not load\. Check the connection, then reload the page/);
  assert.ok(requests.some((r) => r.endsWith('/split_embed.wasm')), requests.join());
  await context.close();
});

test('the inspector is a part: not fetched before a lesson starts, fetched a moment later, drawn on selection; a failed fetch says so', async () => {
  const { page, context, errors, requests } = await openPage(env.browser, `${env.server.url}#lesson=01-paid-twice`);
  const wasm = () => requests.filter((r) => r.endsWith('.wasm')).map((r) => r.split('/').pop());
  await page.waitForSelector('.card');
  assert.deepEqual(wasm(), ['app_bg.wasm']);
  const deadline = Date.now() + 15_000;
  while (!wasm().includes('split_inspector.wasm') && Date.now() < deadline) await page.waitForTimeout(100);
  assert.ok(wasm().includes('split_inspector.wasm'), wasm().join());
  await page.locator('.card').first().click();
  await page.getByRole('region', { name: 'Inspector' }).waitFor();
  assert.deepEqual(errors, []);
  await context.close();

  const second = await openPage(env.browser, 'about:blank');
  await second.page.route(/split_inspector\.wasm$/, (route) => route.fulfill({ status: 404, body: 'gone' }));
  await second.page.goto(`${env.server.url}#lesson=01-paid-twice`);
  await second.page.waitForSelector('.card');
  await second.page.locator('.card').first().click();
  const alert = second.page.locator('.side [role=alert]');
  await alert.waitFor();
  assert.match(await alert.textContent(), /Could not load the inspector/);
  await second.context.close();
});
