// Where the app's bytes go: each of its wasm files (static/modules.js picks one per page) and the
// play file's parts (fetched when first drawn), split by the crate its code comes from, measured
// with twiggy on a build that keeps function names (wasm-bindgen --keep-debug, then the same
// `wasm-opt -Oz` the build runs, with -g), beside each file's real size in dist/. `cargo xtask
// bench` runs it after the release build and writes the table into docs/performance.md
// (--write); alone it prints the table.
// Usage: node xtask/weight.mjs [--write]
import { readFileSync, writeFileSync, readdirSync, mkdirSync, rmSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';
import { gzipSync } from 'node:zlib';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const built = join(root, 'target', 'wasm32-unknown-unknown', 'release');
// Where the release build's split (xtask/split.mjs) leaves each file cut, before wasm-bindgen.
const cuts = join(root, 'target', 'split', 'release');
const scratch = join(root, 'target', 'weight');
const wasmOpt = join(root, 'xtask', 'node', 'node_modules', 'binaryen', 'bin', 'wasm-opt');

// The split files are measured as the build cut them, without their parts; the play file's parts
// (the embed's screen, the dialogs, the inspector, each fetched when first drawn) are a column of
// their own.
const folderOf = (name) => readdirSync(dist).find((n) => new RegExp(`^${name}-[0-9a-f]{16}$`).test(n));
const play = folderOf('play');
const playParts = readdirSync(join(cuts, 'app')).filter((n) => /^(split|chunk)_\w+\.wasm$/.test(n));
const modules = [
  { name: 'home', bin: 'home', dist: ['home_bg.wasm'] },
  { name: 'play (lessons, sandbox, embed)', bin: 'app', split: 'main', dist: [`${play}/app_bg.wasm`] },
  { name: 'play\'s parts (the embed\'s screen, the dialogs, the inspector: fetched when first drawn)', bin: 'app', split: 'parts', dist: playParts.map((n) => `${play}/${n}`) },
  { name: 'workshop', bin: 'workshop', split: 'main', dist: [`${folderOf('workshop')}/workshop_bg.wasm`] },
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

const opt = (input, output) => execFileSync(wasmOpt, ['-Oz', '-g', '--enable-bulk-memory', '--enable-nontrapping-float-to-int', '--enable-reference-types', input, '-o', output]);
const twiggy = (file) => execFileSync('twiggy', ['top', '-n', '10000000', '--format', 'csv', file], { maxBuffer: 1 << 28 }).toString();

// The file's items as twiggy names them: the file (or its parts) rebuilt with names kept.
function items(mod) {
  const out = join(scratch, mod.split ? `${mod.bin}-${mod.split}` : mod.bin);
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  if (mod.split === 'parts') {
    return playParts.map((n) => {
      const named = join(out, `named-${n}`);
      opt(join(cuts, mod.bin, n), named);
      return twiggy(named);
    }).join('\n');
  }
  const input = mod.split ? join(cuts, mod.bin, `${mod.bin}.wasm`) : join(built, `${mod.bin}.wasm`);
  execFileSync('wasm-bindgen', ['--target', 'web', '--keep-debug', '--keep-lld-exports', '--out-dir', out, '--out-name', mod.bin, input]);
  const named = join(out, 'named.wasm');
  opt(join(out, `${mod.bin}_bg.wasm`), named);
  return twiggy(named);
}

function measure(mod) {
  const csv = items(mod);
  const sums = new Map(groups.map(([key]) => [key, 0]));
  sums.set('data', 0);
  sums.set('unnamed', 0);
  for (const line of csv.split('\n')) {
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
  const bodies = mod.dist.map((f) => readFileSync(join(dist, f)));
  return { sums, raw: bodies.reduce((t, b) => t + b.length, 0), gzip: bodies.reduce((t, b) => t + gzipSync(b).length, 0) };
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
