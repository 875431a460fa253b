// Shared set-up for the end-to-end tests: a static server for dist/ on 127.0.0.1 (optionally
// under a sub-path, as a static host would), and Debian's Chromium driven by playwright-core.
import { createServer } from 'node:http';
import { readFile, mkdir } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { spawn, execFileSync } from 'node:child_process';
import { extname, join, normalize, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { before, after } from 'node:test';
import assert from 'node:assert/strict';

const here = dirname(fileURLToPath(import.meta.url));
export const root = resolve(here, '..', '..');
export const dist = join(root, 'dist');
export const shots = join(root, 'target', 'e2e');

// playwright-core lives in the xtask's local, ignored node_modules.
const require = createRequire(join(root, 'xtask', 'node', 'package.json'));
const { chromium } = require('playwright-core');

const types = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.wasm': 'application/wasm',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
};

/** Serves dist/ under `base` (e.g. '/' or '/blog/posts/demo/') on a free port. */
export async function serveDist(base = '/') {
  return serveDir(dist, base);
}

/**
 * Serves the folder `dir` under `base` on a free port, with the caching a static host such as
 * GitHub Pages sends (max-age=600), so frames of one page share downloads as they would there.
 * `hits` counts the requests for each path; `headers` are added to every answer.
 */
export async function serveDir(dir, base = '/', headers = {}) {
  const hits = new Map();
  const policies = await headersFile(dir);
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    hits.set(path, (hits.get(path) ?? 0) + 1);
    if (!path.startsWith(base)) {
      res.writeHead(404).end('outside the served base');
      return;
    }
    let rel = path.slice(base.length) || 'index.html';
    const file = normalize(join(dir, rel));
    if (!file.startsWith(dir)) {
      res.writeHead(403).end();
      return;
    }
    try {
      const body = await readFile(file);
      res
        .writeHead(200, {
          'content-type': types[extname(file)] ?? 'application/octet-stream',
          'cache-control': 'max-age=600',
          // Lets the page that embeds read the sizes of what it fetched from here (resource timing).
          'timing-allow-origin': '*',
          ...(policies.get(rel) ?? {}),
          ...headers,
        })
        .end(body);
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address();
  return { url: `http://127.0.0.1:${port}${base}`, hits, close: () => new Promise((ok) => server.close(ok)) };
}

/**
 * The headers `dist/_headers` (static/_headers, the file a static host reads) sets, by path
 * relative to the served base ('/' is index.html): the tests serve what the site serves, so the
 * pages run under the Content-Security-Policy a deployment sends.
 */
async function headersFile(dir) {
  const rules = new Map();
  let text;
  try {
    text = await readFile(join(dir, '_headers'), 'utf8');
  } catch {
    return rules;
  }
  let paths = [];
  for (const line of text.split('\n')) {
    if (!line.trim() || line.trim().startsWith('#')) continue;
    if (!/^\s/.test(line)) {
      const rel = line.trim().replace(/^\//, '') || 'index.html';
      paths = [rel];
      rules.set(rel, rules.get(rel) ?? {});
      continue;
    }
    const at = line.indexOf(':');
    for (const p of paths) rules.get(p)[line.slice(0, at).trim().toLowerCase()] = line.slice(at + 1).trim();
  }
  return rules;
}

/** Chromium with the flags this closed network needs (see shared/TOOLCHAIN.md). */
export async function launch() {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-quic',
      '--no-first-run',
    ],
  });
}

/**
 * Debian's Firefox ESR, driven by puppeteer-core over WebDriver BiDi (playwright-core cannot
 * drive a stock Firefox). Its API is Puppeteer's, not Playwright's.
 */
export async function launchFirefox({ dark = false } = {}) {
  const puppeteer = require('puppeteer-core');
  return puppeteer.launch({
    browser: 'firefox',
    executablePath: '/usr/bin/firefox-esr',
    headless: true,
    // BiDi cannot emulate the colour scheme; a preference sets what pages are told (0: dark).
    extraPrefsFirefox: dark ? { 'layout.css.prefers-color-scheme.content-override': 0 } : {},
  });
}

/** Opens a page that records console errors, page errors and every request it makes. */
export async function openPage(browser, url, options = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, ...options });
  const page = await context.newPage();
  const errors = [];
  const requests = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(String(e)));
  // Every frame reports what its Content-Security-Policy refused, as an error the test sees.
  await context.addInitScript(() => document.addEventListener('securitypolicyviolation', (e) => {
    console.error(`CSP violation: ${e.violatedDirective} refused ${e.blockedURI || 'inline code'}`);
  }));
  page.on('request', (r) => requests.push(r.url()));
  await page.goto(url);
  return { page, context, errors, requests };
}

/**
 * axe-core's serious and critical findings on the page, each with its rule and elements. axe is
 * evaluated by the test driver, not as a script tag: the pages run under a policy that refuses
 * inline scripts, and axe is the test's tool, not part of the page.
 */
export async function axeFindings(page) {
  await page.evaluate(readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8'));
  const result = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
  });
  return result.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/**
 * Starts `playground workshop` serving dist/ on 127.0.0.1 with `args` added (the debug build,
 * built first, unless `bin` names another); resolves with its address and its process once it
 * listens.
 */
export function startWorkshop(args, bin) {
  if (!bin) execFileSync('cargo', ['build', '--quiet', '-p', 'playground-cli'], { cwd: root, stdio: 'inherit' });
  const server = spawn(bin ?? join(root, 'target', 'debug', 'playground'), ['workshop', '--dist', dist, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`no address from the server: ${out}`)), 20_000);
    server.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/workshop server on (http:\/\/127\.0\.0\.1:\d+\/)/);
      if (m) {
        clearTimeout(timer);
        resolve({ url: m[1], server });
      }
    });
    server.on('exit', (code) => reject(new Error(`the server stopped (${code}): ${out}`)));
  });
}

/** Starts recording the page's frame times (each requestAnimationFrame's gap to the last). */
export async function recordFrames(page) {
  await page.evaluate(() => {
    window.frameTimes = [];
    let last = performance.now();
    const tick = (now) => {
      window.frameTimes.push(now - last);
      last = now;
      if (!window.stopFrames) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
}

/** Stops recording frames; returns their count, and the median, 95th percentile and longest gap in ms. */
export async function framesRecorded(page) {
  const frames = await page.evaluate(() => {
    window.stopFrames = true;
    return window.frameTimes.slice(1);
  });
  const sorted = [...frames].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))];
  return { count: frames.length, median: at(0.5), p95: at(0.95), longest: sorted[sorted.length - 1] };
}

/** Saves a full-page screenshot under target/e2e/ and returns its path. */
export async function screenshot(page, name) {
  await mkdir(shots, { recursive: true });
  const path = join(shots, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/**
 * Starts Chromium and a static server for dist/ (under `base`) before a file's tests and stops
 * both after them. The returned object's `browser` and `server` are set once the tests start.
 */
export function browserAndServer(base = '/') {
  const env = { browser: undefined, server: undefined };
  before(async () => {
    env.browser = await launch();
    env.server = await serveDist(base);
  });
  after(async () => {
    await env.browser?.close();
    await env.server?.close();
  });
  return env;
}

/** The centre of the element `selector` matches, in page pixels. */
export async function centre(page, selector) {
  const box = await page.locator(selector).boundingBox();
  assert.ok(box, `${selector} is on screen`);
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

/** Wires card `from` to card `to` as a user does: a drag from `from`'s port onto `to`. */
export async function wire(page, from, to) {
  const a = await centre(page, `.card[data-id="${from}"] .port`);
  const b = await centre(page, `.card[data-id="${to}"] .card-body`);
  await page.mouse.move(a.x, a.y);
  await page.mouse.down();
  await page.mouse.move((a.x + b.x) / 2, (a.y + b.y) / 2, { steps: 5 });
  await page.mouse.move(b.x, b.y, { steps: 5 });
  await page.mouse.up();
}

/** Plays a lesson to its end at 100x: every goal has its verdict (lessons last at most a minute of
 * simulated time, under a second of play). */
export async function playToEnd(page) {
  await page.selectOption('select[aria-label=Speed]', '100');
  if (await page.locator('button[aria-label=Play]').count()) {
    await page.click('button[aria-label=Play]');
  }
  await page.waitForFunction(() => {
    const goals = [...document.querySelectorAll('.goals li')];
    return goals.length > 0 && goals.every((g) => !g.classList.contains('waiting') && !g.textContent.includes('so far'));
  }, null, { timeout: 30_000 });
}

// A point a third of the way along wire `index`'s own line, in page pixels (the centre of its
// box may lie on another wire or on nothing).
export async function pointOnWire(page, index) {
  return page.evaluate((i) => {
    const path = document.querySelector(`.wire[data-wire="${i}"] .wire-line`);
    const p = path.getPointAtLength(path.getTotalLength() / 3);
    const m = path.getScreenCTM();
    return { x: p.x * m.a + p.y * m.c + m.e, y: p.x * m.b + p.y * m.d + m.f };
  }, index);
}

/**
 * The demo article (dist/embed-demo.html) served from its own origin, with its embeds pointing
 * at the playground served from `playground` (another origin), as a blog author's post would.
 */
export async function serveArticle(playground, headers = {}) {
  const { mkdtempSync, writeFileSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const text = await readFile(join(dist, 'embed-demo.html'), 'utf8');
  const links = text.match(/"\.\/embed/g)?.length ?? 0;
  assert.equal(links, 3, 'the demo names embed.js, embed-resize.js and one embed.html, relatively');
  const dir = mkdtempSync(join(tmpdir(), 'article-'));
  writeFileSync(join(dir, 'index.html'), text.replaceAll('"./embed', `"${playground.url}embed`));
  return serveDir(dir, '/', headers);
}
