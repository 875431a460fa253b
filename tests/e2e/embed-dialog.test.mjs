// The Embed dialog as a blog author uses it: pick what readers see, watch the preview follow,
// copy the snippet, paste it into a static page on another origin, and the embed there is the
// one chosen.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launch, openPage, serveDist, serveDir, screenshot } from './harness.mjs';

let browser;
let playground;

before(async () => {
  browser = await launch();
  playground = await serveDist('/');
});
after(async () => {
  await browser?.close();
  await playground?.close();
});

test('sandbox: choose charts, a switch and a theme; the preview follows; the copied snippet works on another site', async () => {
  const { page, context, errors } = await openPage(browser, `${playground.url}#sandbox`, { viewport: { width: 1280, height: 900 } });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(playground.url).origin });
  await page.locator('.card').first().waitFor();
  await page.getByRole('button', { name: 'Embed', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Embed in a post' });
  await dialog.waitFor();
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('aria-label')), 'Close', 'focus moves into the dialog');
  assert.equal(await dialog.getByText('Show', { exact: false }).count(), 0, 'no lesson to choose in the sandbox');

  await dialog.getByLabel('Queue depth').check();
  assert.ok(await dialog.getByLabel('Errors').isDisabled(), 'three charts at most');
  await dialog.getByLabel('Theme').selectOption('dark');
  const switchOne = dialog.getByLabel('Switch 1');
  const offered = await switchOne.locator('option').evaluateAll((os) => os.map((o) => o.value));
  assert.ok(offered.includes('api.workers'), offered.join(' '));
  await switchOne.selectOption('api.workers');

  const preview = dialog.locator('iframe');
  await page.waitForFunction(() => document.querySelector('.embed-dialog iframe').getAttribute('src').includes('switches=api.workers'));
  const src = await preview.getAttribute('src');
  assert.match(src, /^embed\.html#s=[A-Za-z0-9_-]+&charts=latency,throughput,queue&seed=\d+&theme=dark&switches=api\.workers$/);
  await preview.contentFrame().locator('svg[role=img]').waitFor();
  await page.waitForFunction(() => document.querySelector('.embed-dialog iframe').contentDocument?.documentElement.getAttribute('data-theme') === 'dark');
  assert.equal(await preview.contentFrame().locator('.bar').evaluate((e) => getComputedStyle(e).backgroundColor), 'rgb(22, 32, 43)', 'the preview is dark');
  await screenshot(page, 'embed-dialog');

  await dialog.getByRole('button', { name: 'Copy' }).first().click();
  await dialog.getByRole('button', { name: 'Copied' }).waitFor();
  const snippet = await page.evaluate(() => navigator.clipboard.readText());
  assert.equal(snippet, await dialog.locator('#embed-snippet-element').inputValue(), 'what was copied is what is shown');
  assert.match(snippet, /^<script defer src="http:\/\/127\.0\.0\.1:\d+\/embed\.js"><\/script>\n<backend-playground s="/);

  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'detached' });
  assert.deepEqual(errors, []);
  await context.close();

  // The author pastes it into a post on their own site.
  const dir = mkdtempSync(join(tmpdir(), 'post-'));
  writeFileSync(join(dir, 'index.html'), `<!doctype html><html lang="en"><meta charset="utf-8"><link rel="icon" href="data:,"><title>A post</title><body><p>Before.</p>\n${snippet}\n<p>After.</p></body></html>`);
  const blog = await serveDir(dir);
  try {
    const reader = await openPage(browser, blog.url, { viewport: { width: 800, height: 1400 } });
    const frame = reader.page.locator('backend-playground iframe').contentFrame();
    await frame.locator('svg[role=img]').waitFor();
    await frame.locator('button.play').click();
    await frame.locator('button[aria-label=Pause]').waitFor();
    assert.equal(await frame.locator('.embed .charts canvas').count(), 3);
    assert.equal(await frame.locator('.embed-switch input[type=number]').count(), 1, 'the workers switch');
    assert.equal(await frame.locator('.embed').evaluate((e) => getComputedStyle(e).backgroundColor), 'rgb(15, 22, 32)', 'dark');
    assert.equal(await frame.locator('.embed-notes').count(), 0, 'every option understood');
    assert.deepEqual(reader.errors, []);
    await reader.context.close();
  } finally {
    await blog.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a lesson: the dialog offers the lesson by name or the canvas as it is', async () => {
  const { page, context, errors } = await openPage(browser, `${playground.url}#lesson=01-paid-twice`, { viewport: { width: 1280, height: 900 } });
  await page.locator('.card').first().waitFor();
  await page.getByRole('button', { name: 'Embed', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Embed in a post' });
  await dialog.waitFor();
  const link = () => dialog.locator('#embed-snippet-link').inputValue();
  assert.match(await link(), /embed\.html#lesson=01-paid-twice&charts=latency,side-effects&seed=1$/);
  await dialog.getByLabel('Show').selectOption('canvas');
  assert.match(await link(), /embed\.html#s=[A-Za-z0-9_-]+&charts=latency,side-effects&seed=1$/);
  await dialog.getByLabel('Fixed height', { exact: false }).check();
  const iframe = await dialog.locator('#embed-snippet-iframe').inputValue();
  assert.match(iframe, /data-fixed-height/);
  assert.ok(!iframe.includes('embed-resize.js'), 'a fixed height needs no helper');
  await dialog.getByRole('button', { name: 'Close' }).click();
  await dialog.waitFor({ state: 'detached' });
  assert.deepEqual(errors, []);
  await context.close();
});
