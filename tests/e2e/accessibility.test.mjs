// Automated accessibility checks (axe-core, run inside the page) on the screens people use: the
// home screen, the sandbox while a simulation runs, a lesson, dark mode and a phone, the embed
// view, its preview and the Embed dialog. Serious and
// critical findings fail the test; each names the rule and the elements.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { root, browserAndServer, axeFindings as findings } from './harness.mjs';

const env = browserAndServer();

const screens = [
  { name: 'home', hash: '', ready: '.lesson-card' },
  { name: 'sandbox, running', hash: '#sandbox', ready: '.card', play: true },
  { name: 'a lesson', hash: '#lesson=01-paid-twice', ready: '.goals' },
  { name: 'sandbox, dark', hash: '#sandbox', ready: '.card', options: { colorScheme: 'dark' } },
  { name: 'sandbox, phone', hash: '#sandbox', ready: '.card', options: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true } },
  { name: 'an embed, running', hash: '#embed?lesson=01-paid-twice&charts=side-effects&switches=api.idempotency', ready: '.embed-goals', play: true },
  { name: 'an embed, dark, with a note', hash: '#embed?lesson=01-paid-twice&theme=dark&colour=red', ready: '.embed-goals', options: { viewport: { width: 360, height: 700 } } },
  { name: "an embed's preview", hash: 'embed.html#lesson=01-paid-twice', ready: 'svg[role=img]' },
  { name: "an embed's preview, dark, damaged", hash: 'embed.html#s=damaged&theme=dark', ready: '#note:not([hidden])', options: { viewport: { width: 360, height: 700 } } },
  { name: 'the Embed dialog', hash: '#lesson=01-paid-twice', ready: '.card', open: 'Embed', then: '.embed-dialog iframe' },
  { name: 'the Embed dialog, dark', hash: '#sandbox', ready: '.card', open: 'Embed', then: '.embed-dialog iframe', options: { colorScheme: 'dark' } },
  { name: 'a lesson in projector mode', hash: '#lesson=01-paid-twice', ready: '.card', open: 'Projector', then: 'html[data-projector]', play: true },
  { name: 'a lesson\'s facilitator notes', hash: '#notes=01-paid-twice', ready: '.handout-link' },
  { name: 'the compare page', hash: '#compare', ready: '#compare-answers' },
  { name: 'the facilitator window, waiting', hash: '#facilitator', ready: '.facilitator' },
  { name: 'opening a live room', hash: '#host', ready: '#room-lesson' },
  { name: 'joining a live room', hash: '#room=K2M9PQ', ready: '#room-name' },
  { name: 'the Challenge dialog', hash: '#lesson=01-paid-twice', ready: '.card', open: 'Challenge', then: '#challenge-link' },
  { name: 'a challenge, running', hash: `#${readFileSync(join(root, 'tests', 'data', 'challenge-links', 'v1-lesson-01.txt'), 'utf8').trim()}`, ready: '.challenge-panel', play: true },
];

for (const screen of screens) {
  test(`no serious accessibility findings: ${screen.name}`, async () => {
    const context = await env.browser.newContext({ viewport: { width: 1440, height: 1000 }, ...screen.options });
    const page = await context.newPage();
    await page.goto(`${env.server.url}${screen.hash}`);
    await page.waitForSelector(screen.ready);
    if (screen.open) {
      await page.getByRole('button', { name: screen.open, exact: true }).click();
      await page.waitForSelector(screen.then);
    }
    if (screen.play) {
      await page.click('button[aria-label=Play]');
      await page.waitForFunction(() => parseFloat(document.querySelector('.clock').textContent) > 1);
      if (!screen.hash.startsWith('#embed') && !screen.hash.startsWith('#challenge')) await page.click('.card[data-id="api"] .card-body');
    }
    const serious = await findings(page);
    assert.deepEqual(serious, [], JSON.stringify(serious, null, 2));
    await context.close();
  });
}

test('cards are buttons named by their visible words, without the live numbers', async () => {
  const context = await env.browser.newContext({ viewport: { width: 1440, height: 1000 } });
  const page = await context.newPage();
  await page.goto(`${env.server.url}#sandbox`);
  await page.waitForSelector('.card');
  await page.click('button[aria-label=Play]');
  await page.waitForFunction(() => parseFloat(document.querySelector('.clock').textContent) > 1);
  const tree = await page.locator('svg.surface').ariaSnapshot();
  // Name, kind and, for parts with a price, what their capacity costs an hour.
  for (const name of [/button "Users Users"/, /button "API Service · \$\d+\.\d\d\/h"/, /button "Database Database · \$\d+\.\d\d\/h"/]) {
    assert.match(tree, name);
  }
  assert.ok(!/\/s sent|busy/.test(tree), 'live numbers stay out of the names');
  await context.close();
});
