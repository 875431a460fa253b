// The JSON Schema of the file format (schema/scenario.schema.json, written from the registry of
// kinds by `cargo xtask gen`) as an editor uses it: validated with Ajv (draft 2020-12), it
// accepts every lesson file and refuses the mistakes the engine's reader refuses. Each verdict is
// compared with the npm package's own `validate`, so the schema cannot drift from the format.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { mkdirSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(join(root, 'xtask', 'node', 'package.json'));
const Ajv2020 = require('ajv/dist/2020').default;
const schema = JSON.parse(readFileSync(join(root, 'schema', 'scenario.schema.json'), 'utf8'));
const consumer = join(root, 'target', 'npm', 'schema-consumer');

let pkg;
let check;

before(async () => {
  rmSync(consumer, { recursive: true, force: true });
  mkdirSync(join(consumer, 'node_modules'), { recursive: true });
  symlinkSync(join(root, 'target', 'npm', 'backend-playground'), join(consumer, 'node_modules', 'backend-playground'), 'dir');
  writeFileSync(join(consumer, 'package.json'), '{ "private": true, "type": "module" }\n');
  writeFileSync(join(consumer, 'entry.mjs'), 'export * from "backend-playground";\n');
  pkg = await import(join(consumer, 'entry.mjs'));
  check = new Ajv2020({ allErrors: true, strict: true }).compile(schema);
});

const lessonFiles = readdirSync(join(root, 'lessons'), { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .flatMap((d) => ['start.json', 'solution.json', 'harder.json', 'harder-solution.json']
    .map((f) => join('lessons', d.name, f)));

test('every lesson file and the sample checkout validate, and the reader agrees', () => {
  assert.ok(lessonFiles.length >= 32, `${lessonFiles.length} lesson files`);
  for (const file of [...lessonFiles, join('tests', 'data', 'checkout.json')]) {
    const text = readFileSync(join(root, file), 'utf8');
    const valid = check(JSON.parse(text));
    assert.ok(valid, `${file}: ${JSON.stringify(check.errors?.slice(0, 3))}`);
    assert.deepEqual(pkg.validate(text), [], file);
  }
  // Lesson files point editors at the schema.
  const first = JSON.parse(readFileSync(join(root, lessonFiles[0]), 'utf8'));
  assert.equal(first.$schema, '../../schema/scenario.schema.json');
});

test('the mistakes the reader refuses, the schema refuses too', () => {
  const base = JSON.parse(readFileSync(join(root, 'tests', 'data', 'checkout.json'), 'utf8'));
  const api = base.components.findIndex((c) => c.id === 'api');
  const broken = {
    'a misspelt field': (s) => { s.components[api].spec.worker = 4; },
    'a number out of its range': (s) => { s.components[api].spec.workers = 0; },
    'a fraction where a whole number goes': (s) => { s.components[api].spec.workers = 2.5; },
    'a word that is not a choice': (s) => { s.components[api].spec.idempotency = 'sometimes'; },
    'a required field left out': (s) => { delete s.components[api].spec.service_time; },
    'an unknown kind': (s) => { s.components[api].spec.kind = 'mainframe'; },
    'a distribution without its mean': (s) => { s.components[api].spec.service_time = { dist: 'exponential' }; },
    'a retry policy with a typo': (s) => { s.components[0].spec.retry.max_attempt = 3; },
    'text where a switch goes': (s) => { s.components[api].spec.strong_reads = 'yes'; },
    'a top-level typo': (s) => { s.durationS = 10; },
  };
  for (const [what, breakIt] of Object.entries(broken)) {
    const s = structuredClone(base);
    breakIt(s);
    assert.equal(check(s), false, `the schema accepts ${what}`);
    assert.notDeepEqual(pkg.validate(JSON.stringify(s)), [], `the reader accepts ${what}`);
  }
  // A field left out takes the default the schema advertises: the reader fills the same value.
  const spec = schema.$defs.spec_service.properties;
  assert.equal(spec.idempotency.default, 'off');
  assert.equal(spec.workers.minimum, 1);
  assert.deepEqual(spec.queue_capacity.anyOf[1], { type: 'null' });
});
