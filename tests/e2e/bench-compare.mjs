// The compare page's benchmark (not a test), run by `cargo xtask bench` against the built dist/:
// thirty answer links to lesson 1's challenge re-run in the page's worker and ranked. Prints the
// time from the click to the ranked table and the page's frame times meanwhile (the page must
// keep answering while the worker runs).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { launch, serveDist, root, recordFrames, framesRecorded } from './harness.mjs';

const challenge = readFileSync(join(root, 'tests', 'data', 'challenge-links', 'v1-lesson-01.txt'), 'utf8').trim();
const server = await serveDist('/');
const browser = await launch();
try {
  // One real answer from the challenge screen gives the challenge's fingerprint and design.
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(`${server.url}#${challenge}`);
  await page.selectOption('select[aria-label=Speed]', '100');
  await page.click('button[aria-label=Play]');
  await page.locator('.result-card').waitFor({ timeout: 120_000 });
  const link = await page.locator('#answer-link').inputValue();
  const base = JSON.parse(inflateRawSync(Buffer.from(link.split('answer=')[1], 'base64url')).toString());
  const answers = [];
  for (let i = 0; i < 30; i++) {
    const a = structuredClone(base);
    const api = a.scenario.components.find((c) => c.id === 'api').spec;
    api.workers = 16 + 4 * (i % 12);
    api.idempotency = ['off', 'check_after_completion', 'atomic_reserve'][i % 3];
    answers.push(`${server.url}#answer=${deflateRawSync(Buffer.from(JSON.stringify(a)), { level: 9 }).toString('base64url')}`);
  }
  await page.goto(`${server.url}#compare`);
  await page.reload();
  await page.getByLabel('The challenge link').fill(`#${challenge}`);
  await page.getByLabel('Answer links', { exact: false }).fill(answers.join('\n'));
  await recordFrames(page);
  const started = Date.now();
  await page.getByRole('button', { name: 'Re-run and rank' }).click();
  const status = page.getByRole('status').filter({ hasText: /30 answers re-run on the challenge's seed in [\d.]+ s/ });
  await status.waitFor({ timeout: 300_000 });
  const wall = (Date.now() - started) / 1000;
  const f = await framesRecorded(page);
  const ranked = await page.locator('.compare-table tbody tr').count();
  console.log(`compare: 30 answers to lesson 1's challenge re-run in a worker and ranked in ${wall.toFixed(1)} s (${await status.innerText()}); ${ranked} rows`);
  console.log(`compare: page frames meanwhile: median ${f.median.toFixed(1)} ms, 95th percentile ${f.p95.toFixed(1)} ms, longest ${f.longest.toFixed(1)} ms over ${f.count} frames`);
} finally {
  await browser.close();
  await server.close();
}
