// The built site, opened in Chromium: it renders, draws its chart from the engine, logs no
// errors, makes no request beyond its own origin, and works from a sub-path.
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
    const { page, context, errors, requests } = await openPage(browser, server.url, options);
    await page.waitForSelector('#latency-chart[data-drawn="9"]', { timeout: 20_000 });
    assert.equal(await page.textContent('h1'), 'Backend Playground');
    assert.match(await page.textContent('.surface'), /Your canvas is empty/);
    assert.equal(await page.locator('.chart-table tbody tr').count(), 9);
    await screenshot(page, shotName);
    assert.deepEqual(errors, [], 'console errors');
    const origin = new URL(server.url).origin;
    const foreign = requests.filter((u) => !u.startsWith(origin) && !u.startsWith('data:'));
    assert.deepEqual(foreign, [], 'requests outside the page origin');
    await context.close();
  } finally {
    await server.close();
  }
}

test('the shell renders with its chart and no console errors', async () => {
  await checkShell('/', 'shell');
});

test('the site works from a sub-path of a static host', async () => {
  await checkShell('/blog/2026/queues/', 'shell-subpath');
});

test('dark mode renders', async () => {
  await checkShell('/', 'shell-dark', { colorScheme: 'dark' });
});
