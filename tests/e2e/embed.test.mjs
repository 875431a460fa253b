// The embed view as a blog author uses it: a static page on one origin with iframes of the
// playground served from another, at a laptop's and a phone's width, light and dark.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launch, openPage, serveDist, serveDir, screenshot } from './harness.mjs';

let browser;
let playground;
let blog;
let blogDir;

const frame = (src, title, height = 620) =>
  `<iframe src="${src}" title="${title}" width="100%" height="${height}" style="border:1px solid #ccc" loading="lazy"></iframe>`;

before(async () => {
  browser = await launch();
  playground = await serveDist('/');
  blogDir = mkdtempSync(join(tmpdir(), 'blog-'));
  const base = playground.url;
  writeFileSync(
    join(blogDir, 'index.html'),
    `<!doctype html><html lang="en"><meta charset="utf-8"><link rel="icon" href="data:,">
     <title>Why our retries double-charged customers</title>
     <body style="max-width:700px;margin:auto;font-family:serif">
     <h1>Why our retries double-charged customers</h1>
     <p>Press Play: the duplicate charges climb. Now switch the API's idempotency to atomic_reserve.</p>
     ${frame(`${base}play.html#embed?lesson=01-paid-twice&charts=side-effects&switches=api.idempotency&seed=3&speed=10`, 'Paid twice, live')}
     <p>The same system, untouched, for comparison.</p>
     ${frame(`${base}play.html#embed?lesson=01-paid-twice&charts=side-effects,latency&seed=3&speed=10&colour=red`, 'Paid twice, untouched')}
     </body></html>`,
  );
  writeFileSync(
    join(blogDir, 'auto.html'),
    `<!doctype html><html lang="en"><meta charset="utf-8"><link rel="icon" href="data:,"><title>Auto height</title>
     <body><p>An embed sized by the helper script.</p>
     <iframe id="auto" src="${base}play.html#embed?lesson=01-paid-twice&charts=side-effects,latency" title="Auto" width="100%" height="150"></iframe>
     <iframe id="fixed" src="${base}play.html#embed?lesson=01-paid-twice" title="Fixed" width="100%" height="300" data-fixed-height></iframe>
     <script src="${base}embed-resize.js"></script></body></html>`,
  );
  writeFileSync(
    join(blogDir, 'far.html'),
    `<!doctype html><html lang="en"><meta charset="utf-8"><link rel="icon" href="data:,"><title>Far down</title>
     <body><p>A long post.</p><div style="height:3000px"></div>
     <iframe id="far" src="${base}play.html#embed?lesson=01-paid-twice&autoplay&speed=5" title="Far" width="100%" height="620"></iframe>
     <div style="height:3000px"></div></body></html>`,
  );
  writeFileSync(
    join(blogDir, 'messages.html'),
    `<!doctype html><html lang="en"><meta charset="utf-8"><link rel="icon" href="data:,"><title>Messages</title>
     <body><iframe id="m" src="${base}play.html#embed?lesson=01-paid-twice&switches=api.idempotency&speed=25" title="Driven" width="100%" height="800"></iframe>
     <script>
       window.received = [];
       window.addEventListener('message', (e) => {
         if (e.source === document.getElementById('m').contentWindow && e.data && e.data.source === 'backend-playground') {
           window.received.push(e.data);
         }
       });
       window.send = (m) => document.getElementById('m').contentWindow.postMessage({ target: 'backend-playground', version: 1, ...m }, '*');
     </script></body></html>`,
  );
  // A page whose other frame (an ad, a widget) forges the host's messages to the embed.
  writeFileSync(
    join(blogDir, 'forged.html'),
    `<!doctype html><html lang="en"><meta charset="utf-8"><link rel="icon" href="data:,"><title>Forged</title>
     <body><iframe id="m" src="${base}play.html#embed?lesson=01-paid-twice&switches=api.idempotency&speed=25" title="Driven" width="100%" height="700"></iframe>
     <iframe id="widget" srcdoc="<p>a widget</p>" title="Widget"></iframe>
     <script>
       window.forge = (m) => document.getElementById('widget').contentWindow.eval(
         'parent.frames[0].postMessage(' + JSON.stringify({ target: 'backend-playground', version: 1, ...m }) + ', "*")');
       window.send = (m) => document.getElementById('m').contentWindow.postMessage({ target: 'backend-playground', version: 1, ...m }, '*');
     </script></body></html>`,
  );
  blog = await serveDir(blogDir);
});
after(async () => {
  await browser?.close();
  await playground?.close();
  await blog?.close();
  rmSync(blogDir, { recursive: true, force: true });
});

/** The post at `width`, as a reader whose system prefers `colorScheme`. */
const blogPage = (width, colorScheme, height = 900) => openPage(browser, blog.url, { viewport: { width, height }, colorScheme });

const duplicates = async (f) => Number((await f.locator('.embed-goals li').first().innerText()).match(/twice, by any provider: (\d+)/)?.[1]);

test('two embeds in a post: play, flip the exposed switch in one, and only that one changes', async () => {
  // Tall enough that both frames stay in view (a frame out of view pauses).
  const { page, context, errors, requests } = await blogPage(700, 'light', 1700);
  const [live, untouched] = [page.frameLocator('iframe').nth(0), page.frameLocator('iframe').nth(1)];
  for (const f of [live, untouched]) {
    await f.locator('.embed-title').filter({ hasText: 'Paid twice' }).waitFor();
    assert.equal(await f.locator('.embed .chart-card, .embed .charts canvas').count() > 0, true);
  }
  assert.equal(await live.locator('.embed .charts canvas').count(), 1, 'the one chart asked for');
  assert.equal(await untouched.locator('.embed .charts canvas').count(), 2, 'the two charts asked for');
  assert.match(await untouched.locator('.embed-notes').innerText(), /unknown option "colour"/);
  assert.equal(await live.locator('.embed-notes').count(), 0);
  const open = await live.locator('.embed-open').getAttribute('href');
  assert.match(open, /^\.\/#s=[A-Za-z0-9_-]+$/, 'Open in the playground carries the scenario');

  await live.locator('button[aria-label=Play]').click();
  await untouched.locator('button[aria-label=Play]').click();
  await page.waitForTimeout(2500);
  const before = await duplicates(live);
  assert.ok(before > 0, `duplicates climb before the switch: ${before}`);
  await live.locator('.embed-switch select').selectOption('atomic_reserve');
  await page.waitForTimeout(1500); // attempts in flight may still land twice
  const settled = await duplicates(live);
  await page.waitForTimeout(2500);
  assert.equal(await duplicates(live), settled, 'no new duplicates after the switch');
  assert.ok((await duplicates(untouched)) > settled, 'the other embed still double-charges');
  await screenshot(page, 'embed-post-700-light');
  assert.deepEqual(errors, []);
  const origins = new Set(requests.map((r) => new URL(r).origin));
  assert.deepEqual([...origins].sort(), [new URL(blog.url).origin, new URL(playground.url).origin].sort());
  await context.close();
});

test('a phone-width post in dark mode, with storage blocked, still plays', async () => {
  const { page, context, errors } = await blogPage(360, 'dark');
  await context.addInitScript(() => {
    Object.defineProperty(window, 'localStorage', {
      get() {
        throw new DOMException('blocked by the host', 'SecurityError');
      },
    });
  });
  await page.reload();
  const live = page.frameLocator('iframe').nth(0);
  await live.locator('.embed-title').filter({ hasText: 'Paid twice' }).waitFor();
  await live.locator('button[aria-label=Play]').click();
  await page.waitForTimeout(2000);
  assert.ok((await duplicates(live)) > 0, 'the run moves');
  const background = await live.locator('.embed').evaluate((e) => getComputedStyle(e).backgroundColor);
  assert.equal(background, 'rgb(15, 22, 32)', 'dark, as the reader prefers');
  await screenshot(page, 'embed-post-360-dark');
  assert.deepEqual(errors, []);
  await context.close();
});

test('the helper script sizes a frame to its content and ignores messages not from a frame', async () => {
  const { page, context, errors } = await openPage(browser, `${blog.url}auto.html`, { viewport: { width: 700, height: 900 } });
  await page.frameLocator('#auto').locator('.embed-goals').waitFor();
  await page.waitForFunction(() => document.getElementById('auto').getBoundingClientRect().height > 600);
  const height = await page.evaluate(() => document.getElementById('auto').clientHeight);
  const content = await page.frameLocator('#auto').locator('.embed').evaluate((e) => e.getBoundingClientRect().height);
  assert.ok(Math.abs(height - content) <= 1, `the frame (${height}) fits its content (${content})`);
  // A message from the page itself (or any other window) claiming to be a frame is ignored.
  await page.evaluate(() => {
    for (const height of [1e9, 10, 5000]) {
      window.postMessage({ source: 'backend-playground', version: 1, type: 'height', height }, '*');
    }
    window.postMessage('not an object', '*');
    window.postMessage({ source: 'backend-playground', version: 2, type: 'height', height: 800 }, '*');
  });
  await page.waitForTimeout(300);
  assert.equal(await page.evaluate(() => document.getElementById('auto').clientHeight), height);
  assert.equal(await page.evaluate(() => document.getElementById('fixed').clientHeight), 300);
  assert.deepEqual(errors, []);
  await context.close();
});

test('an autoplaying embed out of view does no work until scrolled in, and stops when scrolled away', async () => {
  const { page, context, errors } = await openPage(browser, `${blog.url}far.html`, { viewport: { width: 700, height: 800 } });
  const far = page.frameLocator('#far');
  await far.locator('.embed-goals').waitFor({ state: 'attached' });
  const clock = async () => parseFloat(await far.locator('.clock').innerText());
  await page.waitForTimeout(1500);
  assert.equal(await clock(), 0, 'out of view: the simulated clock stays put');
  await page.locator('#far').scrollIntoViewIfNeeded();
  await page.waitForTimeout(1500);
  const seen = await clock();
  assert.ok(seen > 1, `in view it plays: ${seen} s`);
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.waitForTimeout(500);
  const away = await clock();
  await page.waitForTimeout(1500);
  assert.equal(await clock(), away, 'scrolled away, it pauses');
  await page.locator('#far').scrollIntoViewIfNeeded();
  await page.waitForTimeout(1000);
  assert.ok((await clock()) > away, 'and plays again when it comes back');
  assert.deepEqual(errors, []);
  await context.close();
});

test('a message from another frame on the host page is ignored, before and after Play', async () => {
  const { page, context, errors } = await openPage(browser, `${blog.url}forged.html`, { viewport: { width: 800, height: 900 } });
  const f = page.frameLocator('#m');
  await f.locator('.embed-goals').waitFor();
  const clock = async () => parseFloat(await f.locator('.clock').innerText());
  await page.evaluate(() => {
    window.forge({ type: 'set', path: 'api.idempotency', value: 'atomic_reserve' });
    window.forge({ type: 'play' });
  });
  await page.waitForTimeout(800);
  assert.equal(await clock(), 0, 'the widget cannot press Play');
  assert.equal(await f.locator('.embed-switch select').inputValue(), 'off', 'nor flip a switch');
  // The page that frames it can.
  await page.evaluate(() => window.send({ type: 'play' }));
  await page.waitForFunction(() => true);
  await f.locator('.clock').filter({ hasNotText: /^0\.0/ }).waitFor();
  await page.evaluate(() => window.forge({ type: 'pause' }));
  const t = await clock();
  await page.waitForTimeout(500);
  assert.ok((await clock()) > t, 'a forged pause is ignored while it runs');
  assert.deepEqual(errors, []);
  await context.close();
});

test('the host page drives a frame by message and hears its goals and its end', async () => {
  const { page, context, errors } = await openPage(browser, `${blog.url}messages.html`, { viewport: { width: 800, height: 900 } });
  const f = page.frameLocator('#m');
  await f.locator('.embed-goals').waitFor();
  const clock = async () => parseFloat(await f.locator('.clock').innerText());
  // Wrong shapes first: nothing happens, nothing breaks.
  await page.evaluate(() => {
    const w = document.getElementById('m').contentWindow;
    for (const bad of [null, 'play', 42, { type: 'play' }, { target: 'backend-playground', version: 9, type: 'play' }, { target: 'backend-playground', version: 1, type: 'set', path: 'api.workers', value: { evil: true } }]) {
      w.postMessage(bad, '*');
    }
  });
  await page.waitForTimeout(500);
  assert.equal(await clock(), 0);
  await page.evaluate(() => window.send({ type: 'set', path: 'api.idempotency', value: 'atomic_reserve' }));
  await page.evaluate(() => window.send({ type: 'play' }));
  await page.waitForFunction(() => window.received.some((m) => m.type === 'ended'), null, { timeout: 20_000 });
  assert.equal(await f.locator('.embed-switch select').inputValue(), 'atomic_reserve', 'the switch follows the message');
  await page.evaluate(() => window.send({ type: 'goals' }));
  await page.waitForFunction(() => window.received.some((m) => m.type === 'goals'));
  const received = await page.evaluate(() => window.received);
  const verdicts = received.filter((m) => m.type === 'goal');
  assert.ok(verdicts.length >= 3, JSON.stringify(verdicts));
  const charged = received.find((m) => m.type === 'goals').goals.find((g) => g.label === 'Nobody is charged twice, by any provider');
  assert.equal(charged.passed, true, 'atomic keys from the start: nobody is charged twice');
  assert.ok(received.every((m) => m.version === 1));
  assert.ok(received.some((m) => m.type === 'refused'), 'a value the field cannot take is refused by message');
  await page.evaluate(() => {
    window.send({ type: 'pause' });
    window.send({ type: 'reset' });
  });
  await page.waitForTimeout(300);
  assert.equal(await clock(), 0, 'paused and reset');
  assert.deepEqual(errors, []);
  await context.close();
});
