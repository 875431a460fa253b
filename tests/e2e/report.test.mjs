// "What happened" in the app: lesson 2's launch spike played to its end lists its moments under
// the charts; clicking one moves the charts' cursor to its time and selects its component; the
// lesson panel tells, for each missed goal, the moments that led to it. Lesson 6's culprit is not
// given away by the timeline before the learner names it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { screenshot, browserAndServer } from './harness.mjs';

const env = browserAndServer();

async function playToEnd(page) {
  await page.selectOption('select[aria-label=Speed]', '100');
  if (await page.locator('button[aria-label=Play]').count()) {
    await page.click('button[aria-label=Play]');
  }
  await page.waitForFunction(() => {
    const goals = [...document.querySelectorAll('.goals li')];
    return goals.length > 0 && goals.every((g) => !g.classList.contains('waiting') && !g.textContent.includes('so far'));
  }, null, { timeout: 30_000 });
}

test('the timeline tells lesson 2 and a click moves the cursor and selects the component', async () => {
  const page = await env.browser.newPage({ viewport: { width: 1440, height: 1400 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${env.server.url}#lesson=02-launch-spike`);
  await page.waitForSelector('.timeline');
  assert.match(await page.textContent('.timeline'), /Nothing has crossed a threshold yet/);
  await playToEnd(page);
  const lines = await page.locator('.timeline .moment-line').allTextContents();
  assert.ok(lines.some((l) => /traffic spike fault starts at users/.test(l)), lines.join('\n'));
  assert.ok(lines.some((l) => /cannot drain while retries keep it full/.test(l)), lines.join('\n'));
  // The moment the API saturated first: click it.
  const saturated = page.locator('.timeline .moment-button', { hasText: 'first component to saturate' });
  const at = Number(await saturated.getAttribute('data-at'));
  assert.equal(await saturated.getAttribute('data-component'), 'api');
  await saturated.click();
  await page.waitForFunction((t) => {
    const c = document.querySelector('canvas.chart');
    return c && Number(c.getAttribute('data-cursor')) === t;
  }, at, { timeout: 10_000 });
  assert.equal(await saturated.getAttribute('aria-pressed'), 'true');
  // The charts and the inspector now show the API.
  assert.match(await page.textContent('.charts h2'), /api|API/);
  assert.equal(await page.locator('.inspector input[aria-label="Name"], .inspector').count() > 0, true);
  // Beside the goals: how the goals came to be missed, from the first cause, each cause once.
  const story = await page.locator('.lesson-panel .end-story li').allTextContents();
  assert.match(story[0], /traffic spike fault starts at users/);
  assert.equal(story.filter((l) => /traffic spike fault starts/.test(l)).length, 1);
  assert.match(story.join('\n'), /cannot drain while retries keep it full[\s\S]*"The queue is back to normal 5 s after the spike" is missed for good/);
  await screenshot(page, 'report-timeline-lesson-2');
  assert.deepEqual(errors, []);
  await page.close();
});

test('lesson 6 keeps the timeline to itself until the culprit is named', async () => {
  const page = await env.browser.newPage({ viewport: { width: 1440, height: 1100 } });
  await page.goto(`${env.server.url}#lesson=06-the-logs-said-fine`);
  await page.waitForSelector('.timeline');
  await playToEnd(page);
  assert.match(await page.textContent('.timeline'), /shows once you have named the culprit/);
  assert.equal(await page.locator('.timeline .moment').count(), 0);
  assert.equal(await page.locator('.lesson-panel .end-story').count(), 0);
  await page.close();
});
