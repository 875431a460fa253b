// Builds the app's two split wasm files into Trunk's staging folder: the main file (lessons,
// sandbox, embed) into play-<hash>/, the workshop's (challenge, facilitator, compare, notes,
// rooms) into workshop-<hash>/. Each is cut in parts: the file itself, and one file per part a page opens later
// (`app/src/parts.rs`: the embed's screen, the Embed and Challenge dialogs). A part shares its
// file's memory, function table, Yew and standard library, so it costs only its own code, unlike
// a second wasm file with a runtime of its own (ARCHITECTURE.md, "Why these choices").
//
// Steps: cargo links the bins with their relocations (app/build.rs); `wasm-split-cli` cuts each
// at its `#[wasm_split]` functions and writes `__wasm_split.js`, which fetches a part the first
// time it is called; wasm-bindgen writes the file's JS module; in release builds wasm-opt -Oz
// shrinks every wasm file, as Trunk does for the home screen's.
//
// Run by Trunk's post-build hook (Trunk.toml), which sets TRUNK_PROFILE and TRUNK_STAGING_DIR.
// Usage: node xtask/split.mjs
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const staging = process.env.TRUNK_STAGING_DIR;
const release = process.env.TRUNK_PROFILE === 'release';
if (!staging) {
  console.error('split: run by Trunk\'s post-build hook, which sets TRUNK_STAGING_DIR');
  process.exit(2);
}

const run = (program, args) => execFileSync(program, args, { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });

const metadata = JSON.parse(execFileSync('cargo', ['metadata', '--format-version', '1', '--no-deps'], { cwd: root, maxBuffer: 1 << 26 }));
const profile = release ? 'release' : 'debug';
// Each split file gets a folder of its own, named for its content (`play-<hash>/`), so a host may
// cache it for as long as it likes and the frames of a post with several embeds share one
// download; the parts' names (`split_dialogs.wasm`) and their loader's (`__wasm_split.js`) are the
// same in both files. The page learns the folders from its start-up script's tag, written here
// into index.html (`data-play`, `data-workshop`), as Trunk writes hashed names for the files it
// builds.
const files = [
  { bin: 'app', folder: 'play' },
  { bin: 'workshop', folder: 'workshop' },
];
run('cargo', ['build', '--target', 'wasm32-unknown-unknown', '-p', 'app', ...files.flatMap((f) => ['--bin', f.bin]), ...(release ? ['--release'] : [])]);
// The features rustc 1.95 enables for wasm32 by default, which wasm-opt must be told of.
const features = ['--enable-bulk-memory', '--enable-nontrapping-float-to-int', '--enable-reference-types', '--enable-sign-ext', '--enable-mutable-globals', '--enable-multivalue'];
const folders = {};
for (const { bin, folder } of files) {
  const linked = join(metadata.target_directory, 'wasm32-unknown-unknown', profile, `${bin}.wasm`);
  const cutDir = join(metadata.target_directory, 'split', profile, bin);
  const out = join(staging, `${folder}-building`);
  rmSync(out, { recursive: true, force: true });
  rmSync(cutDir, { recursive: true, force: true });
  mkdirSync(cutDir, { recursive: true });
  mkdirSync(out, { recursive: true });
  run('wasm-split-cli', [linked, cutDir, '--out-name', bin]);
  // --keep-lld-exports: the parts import the function table the linker exports.
  run('wasm-bindgen', ['--target', 'web', '--no-typescript', '--keep-lld-exports', '--out-dir', out, '--out-name', bin, join(cutDir, `${bin}.wasm`)]);
  const written = [`${bin}_bg.wasm`];
  for (const name of readdirSync(cutDir)) {
    if (name === `${bin}.wasm`) continue;
    copyFileSync(join(cutDir, name), join(out, name));
    if (name.endsWith('.wasm')) written.push(name);
  }
  if (release) {
    for (const name of written) run('wasm-opt', ['-Oz', ...features, join(out, name), '-o', join(out, name)]);
  }
  // What each part fetches (its file and the chunks it shares with other parts), read from the
  // loader wasm-split-cli wrote, as parts.json: xtask/size.mjs adds up a part's bytes with it.
  const loader = readFileSync(join(out, '__wasm_split.js'), 'utf8');
  const chunks = Object.fromEntries([...loader.matchAll(/const (__chunk_\d+) = makeLoad\(\(\) => \{\s*const src = fetch\(new URL\("\.\/([\w.]+)"/g)].map((m) => [m[1], m[2]]));
  const parts = {};
  for (const m of loader.matchAll(/export const __wasm_split_load_(\w+) = wrapAsyncCb\(makeLoad\(\(\) => \{\s*const src = fetch\(new URL\("\.\/([\w.]+)"[\s\S]*?\n, \[([^\]]*)\]\)\);/g)) {
    const deps = m[3].split(',').map((d) => d.trim()).filter(Boolean);
    if (deps.some((d) => !chunks[d])) throw new Error(`split: ${folder}/__wasm_split.js: part ${m[1]} needs a chunk not found in it`);
    parts[m[1]] = [m[2], ...deps.map((d) => chunks[d])];
  }
  const cut = written.filter((n) => n.startsWith('split_')).length;
  if (Object.keys(parts).length !== cut) {
    throw new Error(`split: ${folder}/__wasm_split.js: read ${Object.keys(parts).length} parts, but wasm-split-cli wrote ${cut} files; has its loader's form changed?`);
  }
  writeFileSync(join(out, 'parts.json'), `${JSON.stringify(parts, null, 2)}\n`);
  const hash = createHash('sha256');
  for (const name of readdirSync(out).sort()) hash.update(name).update(readFileSync(join(out, name)));
  const named = `${folder}-${hash.digest('hex').slice(0, 16)}`;
  renameSync(out, join(staging, named));
  folders[folder] = named;
  console.log(`split: ${named}/: ${written.join(', ')}, __wasm_split.js and parts.json (${profile})`);
}

const index = join(staging, 'index.html');
const tag = '<script type="module" src="boot.js"></script>';
const html = readFileSync(index, 'utf8');
if (!html.includes(tag)) throw new Error(`split: ${index} has no ${tag} to name the folders on`);
const attrs = Object.entries(folders).map(([k, v]) => ` data-${k}="${v}"`).join('');
writeFileSync(index, html.replace(tag, `<script type="module" src="boot.js"${attrs}></script>`));
