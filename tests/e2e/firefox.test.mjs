// The embeds in Firefox (Debian's firefox-esr through puppeteer-core and WebDriver BiDi): blog
// readers do not all use Chromium. The demo article from one origin with the playground on
// another, as in embed-demo.test.mjs; storage blocked; a frame out of view; damaged options;
// and lesson 1 to its end with the same numbers as in Chromium.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { launch, launchFirefox, serveDist, serveArticle, shots } from './harness.mjs';

let firefox;
let darkFirefox;
let playground;
let article;

before(async () => {
  firefox = await launchFirefox();
  playground = await serveDist('/');
  article = await serveArticle(playground);
});
after(async () => {
  await firefox?.close();
  await darkFirefox?.close();
  await playground?.close();
  await article?.close();
});

const sleep = (ms) => new Promise((ok) => setTimeout(ok, ms));

/** A page in its own browser context, recording errors and requests. */
async function open(url, { width = 700, height = 1000, dark = false, blockStorage = false } = {}) {
  if (dark) darkFirefox ??= await launchFirefox({ dark: true });
  const context = await (dark ? darkFirefox : firefox).createBrowserContext();
  const page = await context.newPage();
  await page.setViewport({ width, height });
  if (blockStorage) {
    await page.evaluateOnNewDocument(() => {
      Object.defineProperty(window, 'localStorage', {
        get() {
          throw new DOMException('blocked by the host', 'SecurityError');
        },
      });
    });
  }
  // The page reports what its Content-Security-Policy refused, as an error the test sees.
  await page.evaluateOnNewDocument(() => document.addEventListener('securitypolicyviolation', (e) => {
    console.error(`CSP violation: ${e.violatedDirective} refused ${e.blockedURI || 'inline code'}`);
  }));
  const errors = [];
  const requests = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('request', (r) => requests.push(r.url()));
  await page.goto(url);
  return { page, context, errors, requests };
}

/** The frame of the embed: an element's (in its shadow root) or a plain iframe's. */
async function frameOf(page, id) {
  const handle = await page.waitForSelector(`#${id} >>> iframe, iframe#${id}`);
  return handle.contentFrame();
}

async function shot(page, name) {
  await mkdir(shots, { recursive: true });
  await page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
}

const text = (frame, selector) => frame.$eval(selector, (e) => e.innerText);
const duplicates = async (frame) => Number((await text(frame, '.embed-goals li')).match(/twice, by any provider: (\d+)/)?.[1]);
const wasmHits = () => [...playground.hits].filter(([p]) => p.endsWith('.wasm')).reduce((n, [, k]) => n + k, 0);
/** How often each wasm file was fetched, by name: the main file and the embed's part and chunk. */
const wasmFetches = () => [...playground.hits].filter(([p]) => p.endsWith('.wasm')).map(([p, k]) => `${p.split('/').pop()} ${k}`).sort();

test('Firefox: the article previews, plays on click, keeps each embed to its options, sizes its frames', async () => {
  playground.hits.clear();
  const { page, context, errors, requests } = await open(article.url);
  const first = await frameOf(page, 'paid-twice');
  await first.waitForSelector('svg[role=img]');
  assert.equal(await text(first, '.title'), 'Paid twice');
  assert.equal(wasmHits(), 0, 'no simulation before the reader asks');
  await shot(page, 'firefox-demo-700-light-preview');

  await first.click('button.play');
  await first.waitForSelector('button[aria-label=Pause]', { timeout: 60_000 });
  assert.equal((await first.$$('.embed .charts canvas')).length, 1, 'charts=side-effects');
  await first.select('select[aria-label=Speed]', '10');
  await sleep(1000);
  assert.ok((await duplicates(first)) > 0, 'duplicates climb');
  await first.select('.embed-switch select', 'atomic_reserve');
  await sleep(1500);
  const settled = await duplicates(first);
  await sleep(1500);
  assert.equal(await duplicates(first), settled, 'the exposed switch stops them');

  const second = await frameOf(page, 'launch-spike');
  await page.$eval('#launch-spike', (e) => e.scrollIntoView());
  await second.waitForSelector('svg[role=img]');
  await second.click('button.play');
  await second.waitForSelector('button[aria-label=Pause]', { timeout: 60_000 });
  assert.equal((await second.$$('.embed .charts canvas')).length, 2, 'charts=queue,latency');
  assert.equal(await second.$eval('.embed-switch input[type=number]', (i) => i.value), '', 'the other embed untouched');
  // One download for both: each of the main file, the embed's part and its chunk once.
  const fetched = wasmFetches();
  assert.ok(fetched.includes('app_bg.wasm 1') && fetched.includes('split_embed.wasm 1'), fetched.join());
  assert.ok(fetched.every((f) => f.endsWith(' 1')), fetched.join());
  await page.waitForFunction(() => document.getElementById('launch-spike').getBoundingClientRect().height > 600);
  await shot(page, 'firefox-demo-700-light-playing');
  assert.deepEqual(errors, []);
  const origins = new Set(requests.filter((r) => /^https?:/.test(r)).map((r) => new URL(r).origin));
  for (const origin of origins) {
    assert.ok([new URL(article.url).origin, new URL(playground.url).origin].includes(origin), `no request to ${origin}`);
  }
  await context.close();
});

test('Firefox: 360 px, dark, storage blocked: the preview and the run', async () => {
  const { page, context, errors } = await open(article.url, { width: 360, height: 800, dark: true, blockStorage: true });
  const first = await frameOf(page, 'paid-twice');
  await first.waitForSelector('svg[role=img]');
  assert.equal(await first.$eval('.bar', (e) => getComputedStyle(e).backgroundColor), 'rgb(22, 32, 43)', 'dark, as the reader prefers');
  await first.click('button.play');
  await first.waitForSelector('button[aria-label=Pause]', { timeout: 60_000 });
  assert.equal(
    await first.evaluate(() => {
      try {
        return typeof window.localStorage;
      } catch (e) {
        return e.name;
      }
    }),
    'SecurityError',
    'storage really is blocked in the frame',
  );
  await sleep(1500);
  assert.ok(parseFloat(await text(first, '.clock')) > 0, 'it plays');
  await page.$eval('#paid-twice', (e) => e.scrollIntoView());
  await shot(page, 'firefox-demo-360-dark');
  assert.deepEqual(errors, []);
  await context.close();
});

test('Firefox: an autoplaying embed out of view waits, plays in view, pauses when scrolled away', async () => {
  playground.hits.clear();
  const { page, context, errors } = await open(article.url, { width: 700, height: 800 });
  await sleep(1500);
  assert.ok(await page.$eval('#email', (e) => e.getBoundingClientRect().top > 800), 'below the fold');
  assert.equal(wasmHits(), 0, 'out of view: no simulation loaded, none run');
  await page.$eval('#email', (e) => e.scrollIntoView());
  const third = await frameOf(page, 'email');
  await third.waitForSelector('button[aria-label=Pause]', { timeout: 60_000 });
  await sleep(1500);
  const seen = parseFloat(await text(third, '.clock'));
  assert.ok(seen > 0.5, `in view it plays: ${seen} s`);
  await page.evaluate(() => window.scrollTo(0, 0));
  await sleep(600);
  const away = parseFloat(await text(third, '.clock'));
  await sleep(1500);
  assert.equal(parseFloat(await text(third, '.clock')), away, 'scrolled away, it pauses');
  assert.deepEqual(errors, []);
  await context.close();
});

test('Firefox: damaged options get a note each, nothing breaks', async () => {
  const preview = await open(`${playground.url}embed.html#lesson=../../etc&s=x`);
  await preview.page.waitForSelector('#note:not([hidden])');
  assert.match(await preview.page.$eval('#note', (e) => e.innerText), /lesson: no lesson has this name/);
  await preview.context.close();
  const app = await open(`${playground.url}#embed?lesson=01-paid-twice&seed=abc&colour=red&charts=pie`);
  await app.page.waitForSelector('.embed-notes');
  const notes = await app.page.$eval('.embed-notes', (e) => e.innerText);
  for (const note of [/seed: expected a whole number/, /unknown option "colour"/, /no chart is called "pie"/]) assert.match(notes, note);
  assert.deepEqual(app.errors, []);
  await app.context.close();
});

test('Firefox and Chromium: lesson 1 to its end, the same numbers', async () => {
  const url = `${playground.url}#embed?lesson=01-paid-twice&seed=7&speed=100&autoplay`;
  const ff = await open(url, { width: 900, height: 1200 });
  await ff.page.waitForFunction(() => document.querySelector('.clock')?.textContent.startsWith('60.0'), { timeout: 120_000 });
  const inFirefox = await ff.page.$eval('.embed-goals', (e) => e.innerText);
  await ff.context.close();

  const chromium = await launch();
  try {
    const page = await chromium.newPage({ viewport: { width: 900, height: 1200 } });
    await page.goto(url);
    await page.waitForFunction(() => document.querySelector('.clock')?.textContent.startsWith('60.0'), null, { timeout: 120_000 });
    const inChromium = await page.locator('.embed-goals').innerText();
    assert.match(inFirefox, /charged twice, by any provider: \d+/);
    assert.equal(inFirefox, inChromium);
  } finally {
    await chromium.close();
  }
});
