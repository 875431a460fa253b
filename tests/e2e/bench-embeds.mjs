// The embeds' benchmark (not a test), run by `cargo xtask bench` against the built dist/: the
// demo article (dist/embed-demo.html) served from one origin with the playground on another.
// Prints the bytes the page transferred before any interaction (resource timing, in the page
// and in every frame), then presses Play on two embeds and prints how many times the
// simulation's wasm was downloaded and the frame rate while both play.
import { readdirSync, readFileSync } from 'node:fs';
import { launch, serveDist, serveArticle } from './harness.mjs';

/** Resident memory of every Chromium renderer process, in MB (the bench runs only this one). */
function renderersMb() {
  let kb = 0;
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (!cmd.includes('chromium') || !cmd.includes('--type=renderer')) continue;
      kb += Number(readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+)/)?.[1] ?? 0);
    } catch {
      // the process ended meanwhile
    }
  }
  return kb / 1024;
}

const playground = await serveDist('/');
const article = await serveArticle(playground);
const browser = await launch();

/** Bytes transferred as the document in `frame` saw them (its navigation and its resources). */
const transferred = (frame) =>
  frame.evaluate(() =>
    performance
      .getEntriesByType('navigation')
      .concat(performance.getEntriesByType('resource'))
      .map((e) => ({ name: e.name, bytes: e.transferSize })),
  );

try {
  // A laptop's window: the first embed in view, the second just below, the third (which
  // autoplays when seen) further down.
  const page = await browser.newPage({ viewport: { width: 900, height: 1000 } });
  await page.goto(article.url);
  await page.locator('#paid-twice iframe').contentFrame().locator('svg[role=img]').waitFor();
  await page.locator('iframe#launch-spike').contentFrame().locator('svg[role=img]').waitFor();
  await page.waitForTimeout(1500);
  const entries = [];
  for (const frame of page.frames()) entries.push(...(await transferred(frame)));
  const before = entries.reduce((n, e) => n + e.bytes, 0);
  const wasmBefore = entries.filter((e) => e.name.endsWith('.wasm')).length;
  console.log(`embeds before interaction: ${before} bytes transferred over ${entries.length} requests, uncompressed (target <= 51200), wasm requests ${wasmBefore}`);
  const largest = [...entries].sort((a, b) => b.bytes - a.bytes).slice(0, 4);
  console.log(`embeds before interaction, largest: ${largest.map((e) => `${new URL(e.name).pathname} ${e.bytes}`).join(', ')}`);

  const idleMb = renderersMb();
  // Taller, so both embeds stay in view while they play (a frame out of view pauses); the
  // third stays below the fold.
  await page.setViewportSize({ width: 900, height: 1500 });
  for (const id of ['#paid-twice iframe', 'iframe#launch-spike']) {
    await page.locator(id).contentFrame().locator('button.play').click();
  }
  for (const id of ['#paid-twice iframe', 'iframe#launch-spike']) {
    await page.locator(id).contentFrame().locator('button[aria-label=Pause]').waitFor({ timeout: 60_000 });
  }
  await page.waitForTimeout(1000);
  const playingMb = renderersMb();
  console.log(`embeds memory: renderers ${idleMb.toFixed(0)} MB with three previews, ${playingMb.toFixed(0)} MB with two playing: about ${((playingMb - idleMb) / 2).toFixed(0)} MB resident per playing embed (each its own frame and app instance)`);
  let downloads = 0;
  for (const frame of page.frames()) {
    downloads += (await transferred(frame)).filter((e) => e.name.endsWith('.wasm') && e.bytes > 0).length;
  }
  const served = [...playground.hits].filter(([p]) => p.endsWith('.wasm')).reduce((n, [, k]) => n + k, 0);
  console.log(`embeds after Play on two: wasm downloaded ${downloads} time(s) (resource timing), served ${served} time(s)`);

  // Frame times for five seconds while both play, in the article and inside each frame.
  const measure = (frame) =>
    frame.evaluate(
      () =>
        new Promise((resolve) => {
          const times = [];
          let last = performance.now();
          const end = last + 5000;
          const tick = (now) => {
            times.push(now - last);
            last = now;
            if (now < end) requestAnimationFrame(tick);
            else resolve(times);
          };
          requestAnimationFrame(tick);
        }),
    );
  const frames = [page.mainFrame(), page.locator('#paid-twice iframe').contentFrame(), page.locator('iframe#launch-spike').contentFrame()];
  const handles = await Promise.all(frames.slice(1).map((f) => f.locator('html').elementHandle()));
  const results = await Promise.all([measure(page.mainFrame()), ...(await Promise.all(handles.map((h) => h.ownerFrame()))).map(measure)]);
  const names = ['article', 'embed 1', 'embed 2'];
  results.forEach((times, i) => {
    const sorted = [...times].sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)];
    const p95 = sorted[Math.floor(sorted.length * 0.95)];
    console.log(`embeds playing, ${names[i]}: ${(1000 / median).toFixed(1)} fps median, 95th percentile frame ${p95.toFixed(1)} ms, ${times.length} frames in 5 s (target 60 fps)`);
  });
  const clocks = [];
  for (const f of frames.slice(1)) clocks.push(await f.locator('.clock').innerText());
  const third = await page.locator('#email iframe').contentFrame().locator('.embed').count();
  console.log(`embeds playing: simulated clocks ${clocks.join(' and ')}; the third embed ${third ? 'loaded too' : 'still a preview'}`);
} finally {
  await browser.close();
  await playground.close();
  await article.close();
}
