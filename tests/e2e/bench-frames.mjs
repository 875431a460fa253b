// The app's frame-rate benchmark (not a test): opens the ten-component reference scenario at
// 1,000 requests/s through a share link, fills the charts' history, plays it at 1x with every
// chart on screen (full), and prints the median frame rate, the 95th-percentile frame time and
// the time charts take to redraw.
// Run by `cargo xtask bench` against the built dist/.
import { deflateRawSync } from 'node:zlib';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { serveDist, launch, root } from './harness.mjs';

const scenario = await readFile(join(root, 'xtask', 'bench', 'ten-components.json'));
const packed = deflateRawSync(Buffer.from(JSON.stringify(JSON.parse(scenario))), { level: 9 });
const fragment = 's=' + packed.toString('base64url');

const server = await serveDist('/');
const browser = await launch();
try {
  const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
  await page.goto(`${server.url}#${fragment}`);
  await page.waitForSelector('.card[data-id="email"]');
  await page.click('button[aria-label=Play]');
  // Fill every chart's history first (600 windows of 100 ms) at 100x, so the measurement at 1x
  // draws full charts, the heaviest case.
  await page.selectOption('select[aria-label=Speed]', '100');
  await page.waitForFunction(() => parseFloat(document.querySelector('.clock').textContent) > 65, null, { timeout: 120_000 });
  await page.selectOption('select[aria-label=Speed]', '1');
  await page.waitForTimeout(1_000);
  const result = await page.evaluate(() => new Promise((resolve) => {
    const frames = [];
    const draws = [];
    let last = performance.now();
    const end = last + 8_000;
    function tick(now) {
      frames.push(now - last);
      last = now;
      const total = [...document.querySelectorAll('canvas.chart')].reduce((sum, c) => sum + Number(c.getAttribute('data-draw-ms') || 0), 0);
      draws.push(total);
      if (now < end) requestAnimationFrame(tick); else resolve({ frames, draws, clock: document.querySelector('.clock').textContent });
    }
    requestAnimationFrame(tick);
  }));
  const sorted = [...result.frames].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)];
  const p95 = sorted[Math.floor(sorted.length * 0.95)];
  const drawSorted = [...result.draws].sort((a, b) => a - b);
  const drawMedian = drawSorted[Math.floor(drawSorted.length / 2)];
  console.log(`app     ten components at 1,000 req/s, 1x, all charts full: ${(1000 / median).toFixed(1)} fps median, ${p95.toFixed(1)} ms p95 frame, ${drawMedian.toFixed(2)} ms to redraw all charts (median), simulated clock ${result.clock} (headless Chromium, software rendering)`);
} finally {
  await browser.close();
  await server.close();
}
