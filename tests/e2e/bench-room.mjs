// The live room's benchmark (not a test), run by `cargo xtask bench` against the built dist/ and
// the release CLI (`--profile bench-native`): the facilitator's screen open on a room of lesson
// 1's challenge while fifty participants join and answer at once (fifty concurrent HTTP
// requests from here, each run by the server), once with the challenge's run paused and once with
// it playing beside the room. Prints the time until the fifty rows are ranked on the screen and
// the screen's frame times from the first request to a second after the last row.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launch, root, recordFrames, framesRecorded, startWorkshop } from './harness.mjs';

const N = 50;
const data = mkdtempSync(join(tmpdir(), 'room-bench-'));
const { url, server } = await startWorkshop(
  ['--port', '0', '--data', data, '--rate', '100000'],
  join(root, 'target', 'bench-native', 'playground'),
);
const lesson = (file) => readFileSync(join(root, 'lessons', '01-paid-twice', file), 'utf8');
const post = async (path, body) => {
  const r = await fetch(`${url}api/rooms${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!r.ok) throw new Error(`${path}: ${r.status} ${await r.text()}`);
  return r.json();
};
const browser = await launch();
try {
  for (const playing of [false, true]) {
  const challenge = readFileSync(join(root, 'tests', 'data', 'challenge-links', 'v1-lesson-01.txt'), 'utf8').trim();
  const opened = await post('', { title: 'Paid twice', start: lesson('start.json'), seed: 1, challenge });
  const { room, facilitator_token: token } = opened;
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.addInitScript(([code, t]) => localStorage.setItem(`backend-playground.host.${code}`, JSON.stringify(t)), [room, token]);
  await page.goto(`${url}#host=${room}`);
  await page.locator('.room-count').filter({ hasText: '0 joined' }).waitFor({ timeout: 60_000 });
  if (playing) {
    // The projector plays the challenge's run at 1x while the answers arrive.
    await page.click('button[aria-label=Play]');
    await page.waitForFunction(() => parseFloat(document.querySelector('.clock').textContent) > 0.5);
  }
  await recordFrames(page);
  const started = Date.now();
  const designs = [lesson('solution.json'), lesson('start.json')];
  await Promise.all(Array.from({ length: N }, async (_, i) => {
    const { token: mine } = await post(`/${room}/join`, { name: `Participant ${i + 1}` });
    await post(`/${room}/answers`, { token: mine, design: designs[i % 2] });
  }));
  const served = (Date.now() - started) / 1000;
  await page.waitForFunction((n) => document.querySelectorAll('.room-ranking tbody tr').length === n, N, { timeout: 120_000 });
  const wall = (Date.now() - started) / 1000;
  // A second more: the redraws the last events caused count too.
  await page.waitForTimeout(1000);
  const f = await framesRecorded(page);
  console.log(`room: ${N} participants joined and answered at once; the server judged every answer in ${served.toFixed(1)} s and the facilitator's screen ranked all ${N} in ${wall.toFixed(1)} s`);
  console.log(`room: facilitator's screen meanwhile, ${playing ? 'the run playing beside it' : 'the run paused'}: median frame ${f.median.toFixed(1)} ms (${(1000 / f.median).toFixed(0)} fps), 95th percentile ${f.p95.toFixed(1)} ms, longest ${f.longest.toFixed(1)} ms over ${f.count} frames`);
  await page.close();
  }
} finally {
  await browser.close();
  server.kill('SIGKILL');
  rmSync(data, { recursive: true, force: true });
}
