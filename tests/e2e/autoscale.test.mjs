// Autoscaling as a sandbox user meets it: a service's inspector offers the switch with no code of
// its own (it comes from the engine's registry of kinds); a scenario with a spike shows the worker
// count climbing only after the warm-up, the backlog drained, and a log line per step.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readFile } from 'node:fs/promises';
import { screenshot, root, browserAndServer, openPage } from './harness.mjs';

const env = browserAndServer();
const clock = (page) => page.evaluate(() => parseFloat(document.querySelector('.clock').textContent));

test('the inspector offers autoscaling on a service and turning it on shows its fields', async () => {
  const { page, context, errors } = await openPage(env.browser, `${env.server.url}#sandbox`);
  await page.waitForSelector('.card[data-id="api"]');
  await page.click('.card[data-id="api"] .card-body');
  const group = page.locator('.inspector .field', { hasText: 'Autoscale' });
  await group.locator('button', { hasText: 'turn on' }).click();
  const legend = page.locator('.inspector fieldset legend', { hasText: 'Autoscale' });
  await legend.waitFor();
  const text = await page.textContent('.inspector');
  for (const label of ['Min workers', 'Max workers', 'Target utilisation', 'Warmup', 'Cooldown']) {
    assert.ok(text.includes(label), `${label} in the inspector: ${text}`);
  }
  assert.ok((await legend.getAttribute('title')).includes('warm-up'));
  assert.deepEqual(errors, []);
  await context.close();
});

test('a spike is absorbed after the warm-up, with a chart of the workers and a log line per step', async () => {
  const { page, context, errors } = await openPage(env.browser, `${env.server.url}#sandbox`);
  await page.waitForSelector('.card[data-id="api"]');
  await page.setInputFiles('input[type=file]', join(root, 'tests', 'data', 'autoscale-spike.json'));
  await page.waitForSelector('.doc-name >> text=Autoscaling through a spike');
  await page.click('.card[data-id="api"] .card-body');
  await page.selectOption('select[aria-label="Speed"]', '25');
  await page.click('button[aria-label="Play"]');
  await page.waitForFunction(() => parseFloat(document.querySelector('.clock').textContent) > 100, null, { timeout: 60_000 });
  await page.click('button[aria-label="Pause"]');
  assert.ok((await clock(page)) > 100);
  const chart = page.locator('.chart-card', { hasText: 'Workers (autoscaling)' });
  await chart.waitFor();
  // The chart's data as CSV: time and workers serving, one row per window.
  const [csv] = await Promise.all([page.waitForEvent('download'), chart.locator('text=CSV').click()]);
  const text = await readFile(await csv.path(), 'utf8');
  const rows = text.trim().split('\n').slice(1).map((line) => line.split(',').map(Number));
  assert.ok(rows.length > 50, `rows: ${rows.length}`);
  const at = (t) => rows.filter((r) => r[0] <= t).at(-1)?.[1];
  assert.equal(at(29), 4, 'four workers before the spike');
  assert.ok(at(38) <= 4, `no new worker before the warm-up: ${at(38)}`);
  assert.equal(Math.max(...rows.map((r) => r[1])), 12, 'up to the maximum and no further');
  const logs = await page.textContent('.observability');
  assert.match(logs, /scaling out/);
  assert.match(logs, /warmed up/);
  await screenshot(page, 'autoscale-spike');
  assert.deepEqual(errors, []);
  await context.close();
});
