// "What happened" in the app: lesson 2's launch spike played to its end lists its moments under
// the charts; clicking one moves the charts' cursor to its time and selects its component; the
// lesson panel tells, for each missed goal, the moments that led to it. Lesson 6's culprit is not
// given away by the timeline before the learner names it. Export diagram saves the design as SVG
// (a browser opens it and it names every component), PNG, and Mermaid that the mermaid package
// parses, for every lesson.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { screenshot, root, browserAndServer, playToEnd } from './harness.mjs';

const env = browserAndServer();

test('the timeline tells lesson 2 and a click moves the cursor and selects the component', async () => {
  const page = await env.browser.newPage({ viewport: { width: 1440, height: 1400 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${env.server.url}#lesson=02-launch-spike`);
  await page.waitForSelector('.timeline');
  assert.match(await page.textContent('.timeline'), /Nothing has crossed a threshold yet/);
  await playToEnd(page);
  const lines = await page.locator('.timeline .moment-line').allTextContents();
  assert.ok(lines.some((l) => /traffic spike fault starts at Users/.test(l)), lines.join('\n'));
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
  assert.match(story[0], /traffic spike fault starts at Users/);
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

/** Downloads what clicking `format` in the Diagram menu saves; returns its bytes. */
async function exportDiagram(page, format) {
  await page.click('details.menu > summary');
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.click(`.menu-items button:text-is("${format}")`),
  ]);
  const path = await download.path();
  return { name: download.suggestedFilename(), bytes: await readFile(path) };
}

test('Export diagram saves SVG, PNG and Mermaid, and every lesson\'s Mermaid parses', async () => {
  const mermaidPath = join(root, 'xtask', 'node', 'node_modules', 'mermaid', 'dist', 'mermaid.min.js');
  const parser = await env.browser.newPage();
  await parser.setContent('<!doctype html><title>parse</title>');
  await parser.addScriptTag({ path: mermaidPath });
  const slugs = (await readdir(join(root, 'lessons'), { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name).sort();
  const page = await env.browser.newPage({ viewport: { width: 1440, height: 1000 }, acceptDownloads: true });
  for (const slug of slugs) {
    await page.goto(`${env.server.url}#lesson=${slug}`);
    await page.reload();
    await page.waitForSelector('.lesson-panel');
    const { name, bytes } = await exportDiagram(page, 'Mermaid');
    assert.equal(name, 'diagram.mmd');
    const text = bytes.toString('utf8');
    assert.match(text, /^flowchart LR\n/);
    const verdict = await parser.evaluate(async (t) => {
      try {
        return (await window.mermaid.parse(t)) ? 'ok' : 'refused';
      } catch (e) {
        return String(e && e.message || e);
      }
    }, text);
    assert.equal(verdict, 'ok', `${slug}: Mermaid parses\n${text}`);
  }
  // Lesson 5's design as SVG: a browser opens it and it names every component.
  await page.goto(`${env.server.url}#lesson=05-two-answers`);
  await page.reload();
  await page.waitForSelector('.lesson-panel');
  const svg = (await exportDiagram(page, 'SVG')).bytes.toString('utf8');
  const viewer = await env.browser.newPage();
  await viewer.setContent(svg);
  const names = await viewer.locator('svg g.card text').allTextContents();
  for (const n of ['Users', 'Gateway', 'Profile endpoint', 'Feed endpoint', 'Primary DB', 'Read replica']) {
    assert.ok(names.includes(n), `${n} in ${names}`);
  }
  const box = await viewer.locator('svg').boundingBox();
  assert.ok(box.width > 800 && box.height > 200, JSON.stringify(box));
  await screenshot(viewer, 'diagram-05-two-answers');
  const png = (await exportDiagram(page, 'PNG')).bytes;
  assert.deepEqual([...png.subarray(1, 4)].map((b) => String.fromCharCode(b)).join(''), 'PNG');
  // Twice the drawing's size, for high-density screens: the width sits in the IHDR chunk.
  assert.equal(png.readUInt32BE(16), Math.round(box.width) * 2);
  await Promise.all([viewer.close(), page.close(), parser.close()]);
});

test('an embed with the report option says what happened under its charts', async () => {
  const page = await env.browser.newPage({ viewport: { width: 700, height: 900 } });
  await page.goto(`${env.server.url}play.html#embed?lesson=02-launch-spike&report&play&speed=100&until=30`);
  const root = page;
  await root.locator('.timeline .moment-line', { hasText: 'cannot drain while retries keep it full' }).waitFor({ timeout: 30_000 });
  const lines = await root.locator('.timeline .moment-line').allTextContents();
  assert.match(lines[0], /traffic spike fault starts at Users/);
  // Without the option, no timeline.
  const plain = await env.browser.newPage({ viewport: { width: 700, height: 900 } });
  await plain.goto(`${env.server.url}play.html#embed?lesson=02-launch-spike&play&speed=100&until=12`);
  await plain.waitForSelector('.embed canvas.chart');
  assert.equal(await plain.locator('.timeline').count(), 0);
  await screenshot(page, 'embed-report-700');
  await Promise.all([page.close(), plain.close()]);
});

test('the Embed dialog\'s snippets carry a picture and a link for readers where the embed cannot run', async () => {
  const page = await env.browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(`${env.server.url}#lesson=01-paid-twice`);
  await page.waitForSelector('.lesson-panel');
  await page.getByRole('button', { name: 'Embed', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Embed in a post' });
  await dialog.waitFor();
  const element = await dialog.locator('#embed-snippet-element').inputValue();
  const iframe = await dialog.locator('#embed-snippet-iframe').inputValue();
  await page.close();
  const check = async (context, html, label) => {
    const reader = await context.newPage();
    await reader.setContent(`<!doctype html><html lang="en"><title>A post</title><body><p>Before.</p>\n${html}\n<p>After.</p></body></html>`);
    const img = reader.locator('a[href$="#lesson=01-paid-twice"] img');
    await img.waitFor({ state: 'visible' });
    const shown = await img.evaluate((i) => i.complete && i.naturalWidth > 0 ? i.naturalWidth : 0);
    assert.ok(shown > 300, `${label}: the diagram is drawn (${shown} px wide)`);
    assert.match(await img.getAttribute('alt'), /a diagram of the design/);
    await screenshot(reader, `fallback-${label}`);
    await reader.close();
  };
  // Scripts blocked: the element never upgrades and shows what it holds.
  const noScripts = await env.browser.newContext({ javaScriptEnabled: false });
  await check(noScripts, element, 'no-scripts');
  // A feed reader that strips frames and scripts keeps what was inside the frame.
  const stripped = iframe.replace(/<iframe[^>]*>/, '').replace('</iframe>', '').replace(/<script[^>]*><\/script>/g, '');
  assert.ok(!/iframe|script/.test(stripped), stripped.slice(0, 200));
  await check(noScripts, stripped, 'feed-reader');
  await noScripts.close();
});
