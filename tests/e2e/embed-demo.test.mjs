// The demo article shipped in dist/ (embed-demo.html) as its reader meets it: served from one
// origin with the playground on another. Three embeds (two <backend-playground> elements, one
// iframe) show cheap previews, load the simulation only on Play, share one download of it, and
// each does what its options say.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, serveDist, serveArticle, screenshot } from './harness.mjs';

let browser;
let playground;
let article;

before(async () => {
  browser = await launch();
  playground = await serveDist('/');
  article = await serveArticle(playground);
});
after(async () => {
  await browser?.close();
  await playground?.close();
  await article?.close();
});

const wasmHits = () => [...playground.hits].filter(([p]) => p.endsWith('.wasm')).reduce((n, [, k]) => n + k, 0);
/** How often each wasm file was fetched, by name: the main file and the embed's part and chunk. */
const wasmFetches = () => [...playground.hits].filter(([p]) => p.endsWith('.wasm')).map(([p, k]) => `${p.split('/').pop()} ${k}`).sort();
/** The frame of the embed with id `id` (an element's frame sits in its shadow root). */
const embed = (page, id) => page.locator(`iframe#${id}, #${id} iframe`).contentFrame();
const duplicates = async (f) => Number((await f.locator('.embed-goals li').first().innerText()).match(/twice, by any provider: (\d+)/)?.[1]);

test('the article: previews without the simulation, Play loads it once, each embed keeps to its options', async () => {
  playground.hits.clear();
  const { page, context, errors, requests } = await openPage(browser, article.url, { viewport: { width: 700, height: 1000 } });
  const first = embed(page, 'paid-twice');
  const second = embed(page, 'launch-spike');
  await first.locator('svg[role=img]').waitFor();
  await page.locator('#launch-spike').scrollIntoViewIfNeeded();
  await second.locator('svg[role=img]').waitFor();
  assert.equal(await first.locator('.title').innerText(), 'Paid twice');
  assert.match(await first.locator('svg[role=img]').getAttribute('aria-label'), /Shoppers, Payments API, Payment provider/);
  assert.equal(await first.locator('svg g').count(), 3, 'one card a component');
  assert.equal(await second.locator('.title').innerText(), 'The launch spike');
  assert.equal(wasmHits(), 0, 'no simulation before the reader asks');
  assert.ok(!requests.some((r) => /\.wasm$|\/(play|workshop)\/|\/(home|boot)\.js$/.test(r)), 'not even its script');
  await page.locator('#paid-twice').scrollIntoViewIfNeeded();
  await screenshot(page, 'embed-demo-700-light-preview');

  await first.locator('button.play').click();
  await first.locator('.embed-title').filter({ hasText: 'Paid twice' }).waitFor();
  assert.equal(await first.locator('.embed .charts canvas').count(), 1, 'charts=side-effects: one chart');
  assert.match(await first.locator('.embed .charts canvas').getAttribute('aria-label'), /Side effects/);
  // The reader pressed Play: it plays, and focus sits on the button that now pauses.
  await first.locator('button[aria-label=Pause]').waitFor();
  // Faster, so the retries already in flight when the switch flips (up to six attempts, about
  // eight seconds) land within the wait below.
  await first.locator('select[aria-label=Speed]').selectOption('10');
  await page.waitForTimeout(1000);
  assert.ok((await duplicates(first)) > 0, 'duplicates climb');
  await first.locator('.embed-switch select').selectOption('atomic_reserve');
  await page.waitForTimeout(1500);
  const settled = await duplicates(first);
  await page.waitForTimeout(1500);
  assert.equal(await duplicates(first), settled, 'the exposed switch stops them');

  await page.locator('#launch-spike').scrollIntoViewIfNeeded();
  await second.locator('button.play').click();
  await second.locator('.embed-title').filter({ hasText: 'The launch spike' }).waitFor();
  assert.equal(await second.locator('.embed .charts canvas').count(), 2, 'charts=queue,latency');
  const capacity = second.locator('.embed-switch input[type=number]');
  assert.equal(await capacity.getAttribute('placeholder'), 'off', 'api.queue_capacity: a number box, empty while unbounded');
  assert.equal(await capacity.inputValue(), '');
  await capacity.fill('30');
  await capacity.press('Enter');
  await capacity.blur();
  await page.waitForTimeout(500); // several renders: a refused value would be put back to ''
  assert.equal(await capacity.inputValue(), '30', 'the bound took');
  // Two embeds playing, one download of the simulation: each file once.
  const fetched = wasmFetches();
  assert.ok(fetched.includes('app_bg.wasm 1') && fetched.includes('split_embed.wasm 1'), fetched.join());
  assert.ok(fetched.every((f) => f.endsWith(' 1')), fetched.join());
  // Auto-height: the plain iframe, sized by embed-resize.js, grew to its content.
  await page.waitForFunction(() => document.getElementById('launch-spike').getBoundingClientRect().height > 600);
  await screenshot(page, 'embed-demo-700-light-playing');

  // The third, autoplaying, loads only when the reader scrolls to it.
  const third = embed(page, 'email');
  assert.deepEqual(wasmFetches(), fetched, 'nothing more until it is in view');
  await page.locator('#email').scrollIntoViewIfNeeded();
  await third.locator('.embed-title').filter({ hasText: 'Nobody got the email' }).waitFor();
  await third.locator('button[aria-label=Pause]').waitFor();
  assert.equal(
    await third.locator('.embed').evaluate((e) => getComputedStyle(e).backgroundColor),
    'rgb(15, 22, 32)',
    'theme="dark" on the element',
  );
  assert.deepEqual(errors, []);
  const origins = new Set(requests.map((r) => new URL(r).origin));
  assert.deepEqual([...origins].sort(), [new URL(article.url).origin, new URL(playground.url).origin].sort(), 'no other host');
  await context.close();
});

test('the article at 360 px, dark, with storage blocked: previews and play', async () => {
  const { page, context, errors } = await openPage(browser, article.url, { viewport: { width: 360, height: 800 }, colorScheme: 'dark' });
  await context.addInitScript(() => {
    Object.defineProperty(window, 'localStorage', {
      get() {
        throw new DOMException('blocked by the host', 'SecurityError');
      },
    });
  });
  await page.reload();
  const first = embed(page, 'paid-twice');
  await first.locator('svg[role=img]').waitFor();
  await page.locator('#paid-twice').scrollIntoViewIfNeeded();
  assert.equal(await first.locator('.bar').evaluate((e) => getComputedStyle(e).backgroundColor), 'rgb(22, 32, 43)', 'the preview is dark too');
  await screenshot(page, 'embed-demo-360-dark-preview');
  await first.locator('button.play').click();
  await first.locator('button[aria-label=Pause]').waitFor();
  await page.waitForTimeout(1500);
  assert.ok(parseFloat(await first.locator('.clock').innerText()) > 0, 'it plays');
  await screenshot(page, 'embed-demo-360-dark-playing');
  assert.deepEqual(errors, []);
  await context.close();
});

test('under a strict Content-Security-Policy on the post (no wasm-unsafe-eval, no inline script), both ways play', async () => {
  const origin = new URL(playground.url).origin;
  const csp = `default-src 'none'; script-src ${origin}; frame-src ${origin}; style-src 'unsafe-inline'; img-src data:`;
  const strict = await serveArticle(playground, { 'content-security-policy': csp });
  try {
    const { page, context, errors } = await openPage(browser, strict.url, { viewport: { width: 700, height: 1600 } });
    const violations = [];
    page.on('console', (m) => /Content.Security.Policy|CSP/i.test(m.text()) && violations.push(m.text()));
    for (const id of ['paid-twice', 'launch-spike']) {
      const f = embed(page, id);
      await f.locator('svg[role=img]').waitFor();
      await f.locator('button.play').click();
      await f.locator('button[aria-label=Pause]').waitFor();
    }
    await page.waitForTimeout(1000);
    assert.ok(parseFloat(await embed(page, 'paid-twice').locator('.clock').innerText()) > 0);
    assert.deepEqual(violations, []);
    assert.deepEqual(errors, []);
    await context.close();
  } finally {
    await strict.close();
  }
});

test('the preview with damaged fragments: a note or a drawing, never an error', async () => {
  const { page, context, errors } = await openPage(browser, `${playground.url}embed.html`, { viewport: { width: 500, height: 500 } });
  const damaged = [
    's=', 's=%%%', 's=AAAA', 's=' + 'A'.repeat(5000), 'lesson=', 'lesson=%E0%A4%A', 'lesson=' + 'x'.repeat(300),
    'theme=%00', '&&&&', '=', 'lesson=01-paid-twice&lesson=02-launch-spike', 's=eJzLSM3JyQcABiwCFQ', '#'.repeat(40),
    Array.from({ length: 100 }, (_, i) => `k${i}=v`).join('&'),
  ];
  for (const fragment of damaged) {
    await page.goto(`${playground.url}embed.html#${fragment}`);
    await page.waitForFunction(() => !document.getElementById('note').hidden || document.querySelector('svg[role=img]'), null, { timeout: 5000 });
  }
  // A misspelt option and refused values are named in the preview, before Play, in the app's
  // words; the lesson still draws.
  await page.goto(`${playground.url}embed.html#lesson=01-paid-twice&colour=red&speed=3&theme=blue&seed=-1&until=0`);
  await page.locator('svg[role=img]').waitFor();
  assert.equal(
    await page.locator('#note').innerText(),
    'unknown option "colour"; theme: expected light, dark or auto; speed: expected one of 0.25, 0.5, 1, 2, 5, 10, 25, 100; seed: expected a whole number; until: expected a number of simulated seconds.',
  );
  await page.goto(`${playground.url}embed.html#lesson=01-paid-twice&speed=100&seed=18446744073709551615&until=30&theme=dark&controls=minimal&charts=latency`);
  await page.locator('svg[role=img]').waitFor();
  assert.equal(await page.locator('#note').isHidden(), true, 'good options raise no note');
  assert.deepEqual(errors, []);
  await context.close();
});

test('the element: methods, events, attribute changes, removal, and a damaged option', async () => {
  const { page, context, errors } = await openPage(browser, article.url, { viewport: { width: 800, height: 1000 } });
  const first = embed(page, 'paid-twice');
  await first.locator('svg[role=img]').waitFor();
  // play() from the host page loads the simulation and plays, as the reader's Play would.
  await page.evaluate(() => {
    window.heard = [];
    const el = document.getElementById('paid-twice');
    for (const type of ['goal', 'ended', 'goals']) el.addEventListener(type, (e) => window.heard.push({ type, detail: e.detail }));
    el.setAttribute('speed', '100');
    el.setAttribute('seed', '2');
  });
  // The attribute change reloads the frame with the new options (still a preview).
  await page.waitForFunction(() => document.querySelector('#paid-twice').shadowRoot.querySelector('iframe').src.includes('speed=100'));
  await embed(page, 'paid-twice').locator('svg[role=img]').waitFor();
  await page.evaluate(() => document.getElementById('paid-twice').play());
  await first.locator('.embed-title').filter({ hasText: 'Paid twice' }).waitFor();
  await page.waitForFunction(() => window.heard.some((m) => m.type === 'ended'), null, { timeout: 30_000 });
  assert.ok((await page.evaluate(() => window.heard.filter((m) => m.type === 'goal').length)) >= 3, 'a verdict for each goal');
  await page.evaluate(() => document.getElementById('paid-twice').askGoals());
  await page.waitForFunction(() => window.heard.some((m) => m.type === 'goals'));
  const goals = await page.evaluate(() => window.heard.find((m) => m.type === 'goals').detail.goals);
  assert.ok(Array.isArray(goals) && goals.length === 4, JSON.stringify(goals));

  // Removed from the page, its frame goes, and with it the run.
  await page.evaluate(() => document.getElementById('paid-twice').remove());
  assert.equal(await page.locator('iframe').count() >= 1, true);
  assert.equal(await page.evaluate(() => document.querySelectorAll('backend-playground').length), 1);

  // A damaged option: a note in the frame, nothing breaks.
  await page.evaluate(() => {
    const el = document.createElement('backend-playground');
    el.id = 'bad';
    el.setAttribute('lesson', '../../etc/passwd');
    el.setAttribute('s', 'not%%base64');
    document.body.prepend(el);
  });
  const bad = embed(page, 'bad');
  await bad.locator('#note:not([hidden])').waitFor();
  assert.match(await bad.locator('#note').innerText(), /lesson: no lesson has this name/);
  await bad.locator('button.play').click();
  await bad.locator('.embed-notes').waitFor();
  assert.match(await bad.locator('.embed-notes').innerText(), /lesson: no lesson has this name/);
  assert.deepEqual(errors, []);
  await context.close();
});
