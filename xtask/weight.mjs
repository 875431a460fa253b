// Where the app's bytes go: each of its wasm files (static/modules.js picks one per page; the
// dialogs' is loaded when one opens)
// split by the crate its code comes from, measured with twiggy on a build that keeps function
// names (wasm-bindgen --keep-debug, then the same `wasm-opt -Oz` Trunk runs, with -g), beside
// each file's real size in dist/. `cargo xtask bench` runs it after the release build and writes
// the table into docs/performance.md (--write); alone it prints the table.
// Usage: node xtask/weight.mjs [--write]
import { readFileSync, writeFileSync, readdirSync, mkdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';
import { gzipSync } from 'node:zlib';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const built = join(root, 'target', 'wasm32-unknown-unknown', 'release');
const scratch = join(root, 'target', 'weight');
const wasmOpt = join(root, 'xtask', 'node', 'node_modules', 'binaryen', 'bin', 'wasm-opt');

const distName = (pattern) => readdirSync(dist).find((n) => pattern.test(n));
const modules = [
  { name: 'home', bin: 'home', dist: 'home_bg.wasm' },
  { name: 'play (lessons, sandbox, embed)', bin: 'app', dist: distName(/^app-[0-9a-f]+_bg\.wasm$/) },
  { name: 'workshop', bin: 'workshop', dist: 'workshop_bg.wasm' },
  { name: 'dialogs (loaded when one opens)', bin: 'dialogs', dist: 'dialogs_bg.wasm' },
];

// The groups a row of the table names, by the first crate path in an item's name.
const groups = [
  ['yew', /^yew|^implicit_clone|^gloo/, 'Yew (with each app component\'s lifecycle, compiled into its generic code)'],
  ['app', /^app$/, 'the app\'s own code (`app/`)'],
  ['engine', /^backend_playground_(engine|format)$/, 'the engine and the file format (`engine/`, `format/`)'],
  ['charts', /^backend_playground_charts|^plotters/, 'charts (`charts/`, plotters)'],
  ['std', /^core|^alloc|^std|^compiler_builtins|^dlmalloc|^hashbrown|^__rustc|^libm|^zmij/, 'Rust\'s standard library (formatting, collections, allocator)'],
  ['serde', /^serde|^itoa|^ryu|^indexmap/, 'serde and serde_json'],
  ['bindings', /^wasm_bindgen|^js_sys|^web_sys/, 'wasm-bindgen, js-sys, web-sys'],
  ['other crates', /./, 'other crates (miniz_oxide, ...)'],
];

function crateOf(item) {
  const m = /(?:^|<|&|as |for )([a-z_][a-z0-9_]*)(?:\[[0-9a-f]+\])?::/.exec(item);
  return m ? m[1] : null;
}

function measure(mod) {
  const out = join(scratch, mod.bin);
  mkdirSync(out, { recursive: true });
  execFileSync('wasm-bindgen', ['--target', 'web', '--keep-debug', '--out-dir', out, join(built, `${mod.bin}.wasm`)]);
  const named = join(out, 'named.wasm');
  execFileSync(wasmOpt, ['-Oz', '-g', '--enable-bulk-memory', '--enable-nontrapping-float-to-int', '--enable-reference-types', join(out, `${mod.bin}_bg.wasm`), '-o', named]);
  const csv = execFileSync('twiggy', ['top', '-n', '10000000', '--format', 'csv', named], { maxBuffer: 1 << 28 }).toString();
  const sums = new Map(groups.map(([key]) => [key, 0]));
  sums.set('data', 0);
  sums.set('unnamed', 0);
  for (const line of csv.split('\n').slice(1)) {
    const m = /^(?:"((?:[^"]|"")*)"|([^,]*)),(\d+),/.exec(line);
    if (!m) continue;
    const item = (m[1] ?? m[2]).replace(/""/g, '"');
    const bytes = Number(m[3]);
    if (/^"function names" subsection|^custom section|^"[a-z ]+" subsection/.test(item)) continue;
    if (item.startsWith('data segment')) { sums.set('data', sums.get('data') + bytes); continue; }
    const crate = crateOf(item);
    if (!crate) { sums.set('unnamed', sums.get('unnamed') + bytes); continue; }
    const [key] = groups.find(([, re]) => re.test(crate));
    sums.set(key, sums.get(key) + bytes);
  }
  const body = readFileSync(join(dist, mod.dist));
  return { sums, raw: body.length, gzip: gzipSync(body).length };
}

const kb = (n) => (n / 1024).toFixed(1);
const results = modules.map((m) => ({ ...m, ...measure(m) }));
const rows = [...groups.map(([key, , label]) => [key, label]), ['data', 'data: strings, tables, lesson list'], ['unnamed', 'small items twiggy cannot name (glue, thunks)']];
let table = `| where the bytes come from (KB before compression) | ${results.map((r) => r.name).join(' | ')} |\n|---|${results.map(() => '---:').join('|')}|\n`;
for (const [key, label] of rows) {
  table += `| ${label} | ${results.map((r) => kb(r.sums.get(key))).join(' | ')} |\n`;
}
table += `| **all, as measured here** | ${results.map((r) => `**${kb([...r.sums.values()].reduce((a, b) => a + b, 0))}**`).join(' | ')} |\n`;
table += `| the file in \`dist/\`: raw / gzip | ${results.map((r) => `${kb(r.raw)} / ${kb(r.gzip)}`).join(' | ')} |\n`;
console.log(table);

if (process.argv.includes('--write')) {
  const file = join(root, 'docs', 'performance.md');
  const text = readFileSync(file, 'utf8');
  const begin = '<!-- weight: written by `cargo xtask bench` (xtask/weight.mjs) -->';
  const end = '<!-- weight: end -->';
  const a = text.indexOf(begin);
  const b = text.indexOf(end);
  if (a < 0 || b < a) {
    console.error(`weight: docs/performance.md has no ${begin} ... ${end} block`);
    process.exit(2);
  }
  writeFileSync(file, `${text.slice(0, a + begin.length)}\n${table}${text.slice(b)}`);
  console.log('weight: docs/performance.md updated');
}
