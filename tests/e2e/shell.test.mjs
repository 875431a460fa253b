// The built site, opened in Chromium: it renders the starter scenario, plays it with the engine
// in WebAssembly, logs no errors, makes no request beyond its own origin, and works from a
// sub-path and in dark mode.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serveDist, launch, openPage, screenshot } from './harness.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

async function checkShell(base, shotName, options) {
  const server = await serveDist(base);
  try {
    const { page, context, errors, requests } = await openPage(browser, `${server.url}#sandbox`, options);
    await page.waitForSelector('.card');
    assert.equal(await page.textContent('h1'), 'Backend Playground');
    assert.equal(await page.locator('.card').count(), 3);
    await page.click('button[aria-label=Play]');
    await page.waitForFunction(() => parseFloat(document.querySelector('.clock').textContent) > 2, null, { timeout: 20_000 });
    const points = await page.getAttribute('canvas.chart >> nth=0', 'data-points');
    assert.ok(Number(points) > 10, `latency chart points: ${points}`);
    await screenshot(page, shotName);
    assert.deepEqual(errors, [], 'console errors');
    const origin = new URL(server.url).origin;
    const foreign = requests.filter((u) => !u.startsWith(origin) && !u.startsWith('data:') && !u.startsWith('blob:'));
    assert.deepEqual(foreign, [], 'requests outside the page origin');
    await context.close();
  } finally {
    await server.close();
  }
}

test('the app renders, plays and draws charts with no console errors', async () => {
  await checkShell('/', 'shell');
});

test('the site works from a sub-path of a static host', async () => {
  await checkShell('/blog/2026/queues/', 'shell-subpath');
});

test('dark mode renders', async () => {
  await checkShell('/', 'shell-dark', { colorScheme: 'dark' });
});
