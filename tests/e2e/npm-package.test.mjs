// The npm package's browser entry in headless Chromium: the built package (cargo xtask npm)
// served as static files, imported by a page as a bundler-free user would, running a lesson
// to the same digest as the native CLI.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { launch, openPage, root, serveDir } from './harness.mjs';

const served = join(root, 'target', 'npm');
let browser;
let server;

before(async () => {
  writeFileSync(join(served, 'index.html'), '<!doctype html><link rel="icon" href="data:,"><title>package check</title>\n');
  browser = await launch();
  server = await serveDir(served);
});
after(async () => {
  await browser?.close();
  await server?.close();
});

test('the browser entry loads in Chromium and gives the native digest', async () => {
  const { page, errors, requests } = await openPage(browser, server.url);
  const file = join('lessons', '01-paid-twice', 'start.json');
  const text = readFileSync(join(root, file), 'utf8');
  const got = await page.evaluate(async (scenario) => {
    const pkg = await import('./backend-playground/browser.js');
    const sim = pkg.load(scenario, { seed: 5 });
    sim.runUntil(30);
    const before = sim.metrics('psp').totals.duplicates;
    sim.apply({ command: 'set', path: 'api.idempotency', value: 'atomic_reserve' });
    sim.run();
    const problems = pkg.validate({
      version: 1,
      duration_s: 5,
      components: [{ id: 'a', spec: { kind: 'service', workers: 0, service_time: { dist: 'constant', ms: 1 } } }],
    });
    const plain = pkg.load(scenario, { seed: 5 });
    plain.run();
    return { before, digest: plain.digest(), flipped: sim.digest(), goals: plain.goals(), problems };
  }, text);
  const native = JSON.parse(
    execFileSync('cargo', ['run', '--quiet', '-p', 'playground-cli', '--', 'run', file, '--seed', '5', '--format', 'json'], {
      cwd: root,
      encoding: 'utf8',
      maxBuffer: 1 << 30,
    }),
  );
  assert.equal(got.digest, native.digest);
  assert.deepEqual(got.goals, native.goals);
  assert.notEqual(got.flipped, got.digest, 'the switch changed the run');
  assert.ok(got.before > 0);
  assert.equal(got.problems[0]?.field, 'spec.workers');
  assert.deepEqual(errors, []);
  const origin = new URL(server.url).origin;
  assert.deepEqual(requests.filter((r) => !r.startsWith(origin)), []);
  assert.ok(requests.some((r) => r.endsWith('/backend-playground/engine_bg.wasm')));
});
