// The facilitator window and the projected tab, two windows of one browser paired through a
// BroadcastChannel: what the facilitator presses happens on the projector's run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { browserAndServer, root, screenshot } from './harness.mjs';

const env = browserAndServer();
const challenge = readFileSync(join(root, 'tests', 'data', 'challenge-links', 'v1-lesson-01.txt'), 'utf8').trim();

test('paired windows: run, fault, hint, solution and projector mode from the facilitator window', async () => {
  const context = await env.browser.newContext({ viewport: { width: 1280, height: 720 } });
  const errors = [];
  const watch = (page) => {
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    page.on('pageerror', (e) => errors.push(String(e)));
    return page;
  };
  const projector = watch(await context.newPage());
  await projector.goto(`${env.server.url}#${challenge}`);
  await projector.locator('.challenge-panel').waitFor();
  // Opened from the projector's top bar, as a facilitator would.
  const [facilitator] = await Promise.all([context.waitForEvent('page'), projector.getByRole('button', { name: 'Facilitator' }).click()]);
  watch(facilitator);
  await facilitator.setViewportSize({ width: 620, height: 860 });
  const paired = facilitator.getByRole('status').filter({ hasText: 'Paired:' });
  await paired.waitFor();
  assert.match(await paired.innerText(), /Paid twice.*0\.0 s.*paused/);

  await facilitator.getByRole('button', { name: 'Play', exact: true }).click();
  await projector.waitForFunction(() => parseFloat(document.querySelector('.clock').textContent) > 1);
  await facilitator.getByText(/playing/).first().waitFor();

  // A fault fired now shows on the projector's timeline and as a band on its charts.
  await facilitator.getByRole('button', { name: 'traffic spike on Shoppers' }).click();
  await projector.locator('.faults').filter({ hasText: /spike/i }).waitFor();
  await projector.waitForFunction(() => [...document.querySelectorAll('canvas.chart')].some((c) => Number(c.dataset.bands) > 0));

  // Hints in order, then the solution, released on the projector.
  assert.equal(await projector.locator('.challenge-panel .hint-text').count(), 0);
  await facilitator.getByRole('button', { name: 'Reveal the next hint on the projector' }).click();
  await projector.locator('.challenge-panel .hint-text').filter({ hasText: 'Hint 1: Look at the provider.' }).waitFor();
  await facilitator.locator('.facilitator-hints li.shown').first().waitFor();
  assert.equal(await projector.getByRole('button', { name: 'Load the released solution' }).count(), 0);
  await facilitator.getByRole('button', { name: 'Release the solution on the projector' }).click();
  await projector.getByRole('button', { name: 'Load the released solution' }).waitFor();

  await facilitator.getByRole('button', { name: 'Projector mode' }).click();
  await projector.waitForFunction(() => document.documentElement.hasAttribute('data-projector'));
  await facilitator.getByRole('button', { name: 'Pause', exact: true }).click();
  await facilitator.getByText(/paused/).first().waitFor();
  await screenshot(facilitator, 'facilitator-window');
  // The paired window passes axe-core too.
  const { createRequire } = await import('node:module');
  const axe = createRequire(join(root, 'xtask', 'node', 'package.json')).resolve('axe-core/axe.min.js');
  // Evaluated by the driver: the page's policy refuses inline scripts, and axe is the test's tool.
  await facilitator.evaluate(readFileSync(axe, 'utf8'));
  const serious = await facilitator.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, { resultTypes: ['violations'] });
    return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id);
  });
  assert.deepEqual(serious, []);
  await projector.screenshot({ path: (await screenshot(projector, 'facilitator-projector')).replace('.png', '-viewport.png') });
  assert.deepEqual(errors, []);
  await context.close();
});

test('the facilitator window alone waits for a playground tab and says so', async () => {
  const context = await env.browser.newContext();
  const page = await context.newPage();
  await page.goto(`${env.server.url}#facilitator`);
  await page.getByRole('status').filter({ hasText: 'Waiting for the playground' }).waitFor();
  await context.close();
});
