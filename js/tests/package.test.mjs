// The npm package as its users get it: these tests import the built package
// (target/npm/backend-playground, made by `cargo xtask npm`) by its name, through a
// node_modules link, so Node resolves it by the package's conditional exports, not our sources.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync, readdirSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const packageDir = join(root, 'target', 'npm', 'backend-playground');
const consumer = join(root, 'target', 'npm', 'consumer');
const lesson = (slug, file = 'start.json') => readFileSync(join(root, 'lessons', slug, file), 'utf8');
const slugs = readdirSync(join(root, 'lessons'), { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();

let pkg;

before(async () => {
  rmSync(consumer, { recursive: true, force: true });
  mkdirSync(join(consumer, 'node_modules'), { recursive: true });
  symlinkSync(packageDir, join(consumer, 'node_modules', 'backend-playground'), 'dir');
  writeFileSync(join(consumer, 'package.json'), '{ "private": true, "type": "module" }\n');
  writeFileSync(join(consumer, 'entry.mjs'), 'export * from "backend-playground";\n');
  pkg = await import(join(consumer, 'entry.mjs'));
});

/** The native CLI's report of the same scenario and seed. */
function native(file, seed) {
  const out = execFileSync(
    'cargo',
    ['run', '--quiet', '-p', 'playground-cli', '--', 'run', file, '--seed', String(seed), '--format', 'json'],
    { cwd: root, encoding: 'utf8', maxBuffer: 1 << 30 },
  );
  return JSON.parse(out);
}

test('Node resolves the package to its Node entry, and the package lists every file it needs', () => {
  const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8'));
  assert.equal(manifest.name, 'backend-playground');
  assert.match(manifest.version, /^\d+\.\d+\.\d+$/);
  assert.equal(manifest.exports['.'].node, './node.js');
  assert.equal(manifest.exports['.'].default, './browser.js');
  for (const file of manifest.files) {
    assert.ok(readFileSync(join(packageDir, file)).length > 0, file);
  }
  assert.deepEqual(Object.keys(pkg).sort(), ['ShortcutSearch', 'Simulation', '__panicForTests', 'load', 'validate']);
});

test('validate lists every problem of a broken file as data, and nothing for a valid one', () => {
  const problems = pkg.validate(readFileSync(join(root, 'tests', 'data', 'broken.json'), 'utf8'));
  assert.ok(problems.length >= 2, JSON.stringify(problems));
  for (const p of problems) {
    assert.equal(typeof p.message, 'string');
    assert.equal(typeof p.field, 'string');
    assert.ok(['file', 'scenario', 'component', 'wire', 'fault', 'goal'].includes(p.subject.on), p.subject.on);
  }
  assert.ok(problems.some((p) => p.subject.on === 'component' && p.field.startsWith('spec.')));
  for (const slug of slugs) {
    assert.deepEqual(pkg.validate(lesson(slug)), [], slug);
    assert.deepEqual(pkg.validate(JSON.parse(lesson(slug))), [], `${slug} as an object`);
  }
  // A file that cannot be read says where, as data: the place in it and why.
  const [unreadable] = pkg.validate('{"version": 1, "duration_s": 10, "components": [{"id": 3}]}');
  assert.deepEqual(unreadable.subject, { on: 'file' });
  assert.equal(unreadable.field, 'components[0].id');
  assert.match(unreadable.message, /expected a text/);
  assert.match(pkg.validate(42)[0].message, /JSON text or an object/);
  assert.match(pkg.validate('{ not json')[0].message, /key must be a string|expected/);
});

test('a lesson loads, runs, and reports its goals, ledger and metrics', () => {
  const sim = pkg.load(lesson('01-paid-twice'), { seed: 1 });
  assert.equal(sim.now(), 0);
  const next = sim.peek();
  assert.ok(next !== null && next >= 0 && next < 1, `the first event: ${next}`);
  assert.equal(sim.step(), true);
  assert.equal(sim.now(), next, 'step() goes to the event peek() named');
  assert.equal(sim.runUntil(20), 20);
  assert.equal(sim.now(), 20);
  assert.equal(sim.runUntil(1e9), sim.end(), 'runUntil stops at the end');
  const goals = sim.goals();
  const charged = goals.find((g) => g.label === 'Nobody is charged twice, by any provider');
  assert.ok(charged && !charged.passed && charged.measured > 0, JSON.stringify(charged));
  assert.ok(goals.every((g) => g.settled));
  const ledger = sim.ledger();
  assert.equal(
    ledger.entered,
    ledger.succeeded + ledger.failed + ledger.rejected + ledger.timed_out + ledger.in_flight,
  );
  const psp = sim.metrics('psp');
  assert.equal(psp.totals.duplicates, charged.measured);
  assert.ok(psp.windows.length > 100 && psp.latency.p99_ms >= psp.latency.p50_ms);
  assert.ok(sim.logs().length > 0 && sim.logs().every((l) => typeof l.component === 'string'));
  assert.ok(sim.traces().length > 0);
  assert.equal(sim.snapshot().components.length, JSON.parse(lesson('01-paid-twice')).components.length);
  assert.deepEqual(sim.conditionsChanged(), []);
  // What happened, as the CLI's --report says it: the first duplicate, at the provider.
  const story = sim.report();
  const duplicate = story.moments.find((m) => m.what.kind === 'first_duplicate');
  assert.equal(duplicate?.component, 'psp', JSON.stringify(story));
  assert.equal(story.chain.length, story.moments.length);
  assert.ok(story.chain.some((s) => s.includes('Payment provider does a side effect twice for the first time')));
  assert.equal(sim.step(), false, 'the run is over');
  assert.equal(sim.peek(), undefined);
  sim.free();

  const solved = pkg.load(lesson('01-paid-twice', 'solution.json'));
  solved.run();
  assert.ok(solved.goals().every((g) => g.passed), JSON.stringify(solved.goals()));
  solved.free();
});

test('flipping a switch mid-run changes what happens after it', () => {
  const plain = pkg.load(lesson('01-paid-twice'));
  const flipped = pkg.load(lesson('01-paid-twice'));
  plain.runUntil(30);
  flipped.runUntil(30);
  assert.equal(plain.digest(), flipped.digest());
  flipped.apply({ command: 'set', path: 'api.idempotency', value: 'atomic_reserve' });
  flipped.runUntil(40); // attempts already in flight may still land twice
  const settled = flipped.metrics('psp').totals.duplicates;
  plain.run();
  flipped.run();
  assert.equal(flipped.metrics('psp').totals.duplicates, settled, 'no new duplicates');
  assert.ok(plain.metrics('psp').totals.duplicates > settled + 10);
  assert.notEqual(plain.digest(), flipped.digest());
  // Commands also arrive as JSON text; a fault can be injected and ended.
  const sim = pkg.load(lesson('01-paid-twice'));
  sim.apply('{"command": "inject_fault", "at_s": 1, "fault": {"kind": "crash", "target": "psp"}}');
  sim.runUntil(3);
  assert.ok(sim.snapshot().components.find((c) => c.id === 'psp').crashed);
  sim.apply({ command: 'end_fault', index: 0 });
  assert.ok(!sim.snapshot().components.find((c) => c.id === 'psp').crashed);
  for (const s of [plain, flipped, sim]) s.free();
});

test('the digest equals the native one for the same scenario and seed', () => {
  for (const [slug, seed] of [['01-paid-twice', 1], ['04-nobody-got-the-email', 7], ['07-pull-one-wire', 3]]) {
    const file = join('lessons', slug, 'start.json');
    const sim = pkg.load(lesson(slug), { seed: BigInt(seed) });
    sim.run();
    const report = native(file, seed);
    assert.equal(sim.digest(), report.digest, slug);
    assert.deepEqual(sim.ledger(), report.ledger, slug);
    assert.deepEqual(sim.goals(), report.goals, slug);
    sim.free();
  }
  const a = pkg.load(lesson('01-paid-twice'), { seed: 1 });
  const b = pkg.load(lesson('01-paid-twice'), { seed: 2 });
  a.run();
  b.run();
  assert.notEqual(a.digest(), b.digest());
});

test('bad calls throw a PlaygroundError naming the problem and leave everything usable', () => {
  const expectProblem = (call, pattern) => {
    assert.throws(call, (e) => {
      assert.equal(e.name, 'PlaygroundError');
      assert.ok(Array.isArray(e.problems) && e.problems.length > 0);
      assert.match(e.message, pattern);
      return true;
    });
  };
  expectProblem(() => pkg.load(readFileSync(join(root, 'tests', 'data', 'broken.json'), 'utf8')), /problem/);
  expectProblem(() => pkg.load(lesson('01-paid-twice'), { seeed: 1 }), /unknown option `seeed`/);
  expectProblem(() => pkg.load(lesson('01-paid-twice'), { seed: -1 }), /options\.seed/);
  expectProblem(() => pkg.load(lesson('01-paid-twice'), { seed: 0.5 }), /options\.seed/);
  expectProblem(() => pkg.load(lesson('01-paid-twice'), { duration: 0 }), /options\.duration/);
  const sim = pkg.load(lesson('01-paid-twice'), { duration: 10 });
  assert.equal(sim.end(), 10);
  sim.runUntil(2);
  const before = sim.digest();
  expectProblem(() => sim.runUntil(Number.NaN), /runUntil/);
  expectProblem(() => sim.apply({ command: 'set', path: 'api.workers', value: 0 }), /spec\.workers/);
  expectProblem(() => sim.apply({ command: 'explode' }), /unknown variant `explode`/);
  expectProblem(() => sim.apply({ command: 'end_fault', index: 4 }), /no fault number 4/);
  expectProblem(() => sim.metrics('nobody'), /no component has the id "nobody"/);
  assert.equal(sim.digest(), before, 'refused commands change nothing');
  sim.run();
  assert.equal(sim.now(), 10);
  sim.free();
});

test('a panic in the engine throws, resets the module, and the next call works', () => {
  const old = pkg.load(lesson('01-paid-twice'));
  old.runUntil(5);
  const logged = [];
  const error = console.error;
  console.error = (m) => logged.push(String(m));
  try {
    assert.throws(() => pkg.__panicForTests(), (e) => {
      assert.equal(e.name, 'PlaygroundError');
      assert.match(e.message, /a panic asked for by a test/);
      assert.ok(e.cause instanceof WebAssembly.RuntimeError);
      return true;
    });
  } finally {
    console.error = error;
  }
  assert.ok(logged.some((m) => m.includes('internal error')), logged.join('\n'));
  assert.throws(() => old.now(), /stale object/, 'a simulation from before the reset is refused');
  const fresh = pkg.load(lesson('01-paid-twice'), { seed: 1 });
  fresh.run();
  assert.equal(fresh.digest(), native(join('lessons', '01-paid-twice', 'start.json'), 1).digest);
  fresh.free();
});

test('free() releases a simulation: it cannot be used again, and memory stops growing', () => {
  const sim = pkg.load(lesson('03-one-cashier'));
  sim.free();
  assert.throws(() => sim.now(), /null pointer|stale|closure invoked|freed/i);
  const cycle = () => {
    const s = pkg.load(lesson('03-one-cashier'), { duration: 20 });
    s.run();
    s.free();
  };
  for (let i = 0; i < 5; i++) cycle();
  const settled = process.memoryUsage().arrayBuffers;
  for (let i = 0; i < 40; i++) cycle();
  const after = process.memoryUsage().arrayBuffers;
  assert.ok(after - settled < 4 << 20, `wasm memory grew by ${after - settled} bytes over 40 freed runs`);
});

test('the declarations type-check a user example, every lesson file and the outputs as they are', () => {
  // Real data against the declared types: object literals get TypeScript's excess-property
  // checks, so a field the engine writes but the declarations miss fails here, and so does a
  // declared field of the wrong type or a required one the engine does not write.
  const dir = join(consumer, 'check');
  mkdirSync(dir, { recursive: true });
  let data = 'import type * as P from "backend-playground";\n';
  for (const slug of slugs) {
    for (const file of readdirSync(join(root, 'lessons', slug)).filter((f) => f.endsWith('.json'))) {
      const text = lesson(slug, file);
      if (JSON.parse(text).version === 1 && 'components' in JSON.parse(text)) {
        data += `export const s_${slug.replaceAll('-', '_')}_${file.replace('.json', '').replaceAll('-', '_')}: P.Scenario = ${text};\n`;
      }
    }
  }
  const sim = pkg.load(lesson('05-two-answers'));
  sim.runUntil(30);
  sim.apply({ command: 'rename', id: sim.snapshot().components[0].id, name: 'renamed' });
  sim.run();
  const outputs = {
    GoalStatus: sim.goals(),
    Ledger: sim.ledger(),
    JobLedger: sim.jobs(),
    Snapshot: sim.snapshot(),
    LogLine: sim.logs().slice(-50),
    Trace: sim.traces().slice(-5),
    Problem: pkg.validate(readFileSync(join(root, 'tests', 'data', 'broken.json'), 'utf8')),
  };
  for (const id of sim.snapshot().components.map((c) => c.id)) {
    const m = sim.metrics(id);
    m.windows = m.windows.slice(-3);
    data += `export const m_${id.replaceAll('-', '_')}: P.Metrics = ${JSON.stringify(m)};\n`;
  }
  for (const [type, value] of Object.entries(outputs)) {
    const declared = Array.isArray(value) ? `P.${type}[]` : `P.${type}`;
    data += `export const out_${type}: ${declared} = ${JSON.stringify(value)};\n`;
  }
  const queued = pkg.load(lesson('04-nobody-got-the-email', 'solution.json'));
  queued.run();
  data += `export const jobs: P.JobLedger = ${JSON.stringify(queued.jobs())};\n`;
  const locked = pkg.load(lesson('02-launch-spike'));
  locked.apply({ command: 'inject_fault', at_s: 1, fault: { kind: 'crash', target: 'api' } });
  data += `export const changed: P.Change[] = ${JSON.stringify(locked.conditionsChanged())};\n`;
  assert.ok(locked.conditionsChanged().length > 0);
  writeFileSync(join(dir, 'data.ts'), data);
  writeFileSync(join(dir, 'example.ts'), readFileSync(join(root, 'js', 'tests', 'example.ts')));
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        strict: true,
        noEmit: true,
        module: 'nodenext',
        moduleResolution: 'nodenext',
        target: 'es2022',
        lib: ['es2022', 'dom'],
        skipLibCheck: false,
        types: [],
      },
      files: ['data.ts', 'example.ts'],
    }),
  );
  writeFileSync(join(dir, 'package.json'), '{ "private": true, "type": "module" }\n');
  const tsc = join(root, 'xtask', 'node', 'node_modules', '.bin', 'tsc');
  const run = spawnSync(tsc, ['-p', dir], { encoding: 'utf8' });
  assert.equal(run.status, 0, `tsc found problems:\n${run.stdout}${run.stderr}`);

  // And the checker does check: a misspelt field and a wrong command are errors.
  writeFileSync(
    join(dir, 'example.ts'),
    'import { load } from "backend-playground";\n' +
      'const sim = load("{}");\n' +
      'sim.apply({ command: "set_wire_mode", from: "a", to: "b", mode: "sideways" });\n' +
      'export const n: number = sim.goals()[0].measurd;\n',
  );
  const bad = spawnSync(tsc, ['-p', dir], { encoding: 'utf8' });
  assert.notEqual(bad.status, 0);
  assert.match(bad.stdout, /sideways/);
  assert.match(bad.stdout, /measurd/);
});

test('the shortcut search finds a planted shortcut, one run a step, and refuses absurd options', async () => {
  const planted = readFileSync(join(root, 'tests', 'data', 'shortcut-planted.json'), 'utf8');
  const search = new pkg.ShortcutSearch(planted, null, [1, 2], 120);
  let steps = 0;
  while (search.step()) steps += 1;
  assert.ok(steps > 50 && steps <= 120, `${steps} runs`);
  assert.equal(search.runs(), steps);
  const summary = search.summary();
  const shortcuts = summary.found.filter((f) => f.verdict.verdict === 'shortcut').map((f) => f.edit.key);
  assert.ok(shortcuts.includes('async api->psp'), JSON.stringify(shortcuts));
  assert.deepEqual(summary.seeds, [1, 2]);
  search.free();
  // An alternative the author accepts is reported with its reason, not as a shortcut.
  const accepting = new pkg.ShortcutSearch(planted, null, [1], 120, [{ key: 'async api->psp', why: 'a test accepts it' }]);
  while (accepting.step());
  const found = accepting.summary().found.find((f) => f.edit.key === 'async api->psp');
  assert.deepEqual(found.verdict, { verdict: 'accepted', why: 'a test accepts it' });
  accepting.free();
  assert.throws(() => new pkg.ShortcutSearch(planted, null, [1], 10, [{ key: 1 }]), /accepted: each entry needs a key and a why/);
  assert.throws(() => new pkg.ShortcutSearch(planted, null, [], 10), /seeds: expected 1 to 10 seeds/);
  assert.throws(() => new pkg.ShortcutSearch(planted, null, [1], 0), /budget: expected 1 to 5000 runs/);
  assert.throws(() => new pkg.ShortcutSearch('{', null, [1], 10), (e) => e.name === 'PlaygroundError');
});
