// First-load bytes per route of the built app in dist/, compressed as a static host sends
// them (gzip at zlib's default level 6, brotli at quality 11, the level hosts precompress at),
// against the budget in size-budget.json. Sizes are deterministic for a build, so this is a
// gate: `cargo xtask test` fails when a route is over its budget. `cargo xtask bench` prints
// the same table. It also fails when the embed preview's "about N KB" is a tenth off what Play
// loads. Usage: node xtask/size.mjs [--report] (--report: print, never fail).
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const report = process.argv.includes('--report');

if (!existsSync(join(dist, 'index.html'))) {
  console.error('size: dist/index.html is missing; build first (trunk build --release --offline)');
  process.exit(2);
}

const names = readdirSync(dist);
const one = (pattern) => {
  const found = names.filter((n) => pattern.test(n));
  if (found.length !== 1) {
    console.error(`size: expected one file in dist/ matching ${pattern}, found ${found.length}`);
    process.exit(2);
  }
  return found[0];
};
const sizes = new Map();
const size = (rel) => {
  if (!sizes.has(rel)) {
    const body = readFileSync(join(dist, rel));
    sizes.set(rel, {
      raw: body.length,
      gzip: gzipSync(body).length,
      brotli: brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
    });
  }
  return sizes.get(rel);
};
// The lesson whose files weigh most: every route that opens a lesson is measured with it.
const heaviest = (files) => {
  const slugs = readdirSync(join(dist, 'lessons'), { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);
  let best = [];
  let most = -1;
  for (const slug of slugs) {
    const set = files.map((f) => `lessons/${slug}/${f}`);
    const total = set.reduce((sum, f) => sum + size(f).gzip, 0);
    if (total > most) [best, most] = [set, total];
  }
  return best;
};

// The page and its start-up (static/boot.js picks one of three wasm files by the fragment).
const page = ['index.html', 'boot.js', 'modules.js', one(/^app-[0-9a-f]+\.css$/), one(/^favicon-[0-9a-f]+\.svg$/)];
// A split file (xtask/split.mjs): its module, its wasm file and the loader of its parts, which
// the module imports; a part: its files, as the file's parts.json lists them.
// Each is in a folder named for its content (play-<hash>/).
const folderOf = (name) => one(new RegExp(`^${name}-[0-9a-f]{16}$`));
const split = (folder, bin) => [`${folder}/${bin}.js`, `${folder}/${bin}_bg.wasm`, `${folder}/__wasm_split.js`];
const playFolder = folderOf('play');
const playParts = JSON.parse(readFileSync(join(dist, playFolder, 'parts.json'), 'utf8'));
const part = (name) => {
  if (!playParts[name]) {
    console.error(`size: ${playFolder}/parts.json names no part ${name}`);
    process.exit(2);
  }
  return playParts[name].map((f) => `${playFolder}/${f}`);
};
const play = split(playFolder, 'app');
const home = ['home.js', 'home_bg.wasm'];
const workshop = split(folderOf('workshop'), 'workshop');
const engine = ['backend-playground/browser.js', 'backend-playground/engine.js', 'backend-playground/engine_bg.wasm'];
const lessonFiles = heaviest(['lesson.md', 'start.json', 'solution.json']);
const preview = ['embed.html', 'embed-frame.js', ...heaviest(['lesson.json', 'start.json'])];
// What each route downloads before it is interactive (a lesson: before it is playing).
const routes = [
  ['home', [...page, ...home]],
  ['sandbox', [...page, ...play]],
  ['lesson', [...page, ...play, ...lessonFiles]],
  ['embed preview', preview],
  ['embed playing', [...preview, 'play.html', 'boot.js', 'modules.js', page[3], ...play, ...part('embed'), ...lessonFiles]],
  ['challenge', [...page, ...workshop]],
  ['compare', [...page, ...workshop, 'compare-worker.js', ...engine]],
  ['embed dialog', [...page, ...play, ...part('dialogs'), 'embed.html', 'embed-frame.js']],
  ['challenge dialog', [...page, ...play, ...part('dialogs'), 'shortcuts-worker.js', ...engine]],
];

const budgetFile = join(root, 'size-budget.json');
const budget = JSON.parse(readFileSync(budgetFile, 'utf8')).gzip_bytes;
const kb = (n) => (n / 1024).toFixed(1).padStart(7);
const rows = [];
let over = 0;
console.log('route              files   raw KB  gzip KB  brotli KB  budget KB (gzip)');
for (const [name, files] of routes) {
  const total = files.reduce((t, f) => {
    const s = size(f);
    return { raw: t.raw + s.raw, gzip: t.gzip + s.gzip, brotli: t.brotli + s.brotli };
  }, { raw: 0, gzip: 0, brotli: 0 });
  const limit = budget[name];
  const bad = limit === undefined || total.gzip > limit;
  if (bad) over += 1;
  rows.push({ name, total, limit });
  console.log(`${name.padEnd(18)} ${String(files.length).padStart(5)} ${kb(total.raw)}  ${kb(total.gzip)}    ${kb(total.brotli)}    ${limit === undefined ? '   none' : kb(limit)}${bad ? '  OVER' : ''}`);
}
console.log('\nlargest files (gzip KB):');
[...sizes.entries()].sort((a, b) => b[1].gzip - a[1].gzip).slice(0, 6).forEach(([f, s]) => console.log(`  ${kb(s.gzip)}  ${f}`));
// The embed's preview tells a reader what Play will download (static/embed.html): the figure
// must stay within a tenth of what it is.
const hint = /about (\d+) KB/.exec(readFileSync(join(dist, 'embed.html'), 'utf8'));
const after = rows.find((r) => r.name === 'embed playing').total.gzip - rows.find((r) => r.name === 'embed preview').total.gzip;
if (!hint || Math.abs(Number(hint[1]) * 1024 - after) > after / 10) {
  console.error(`\nsize: embed.html's preview says Play loads ${hint ? `about ${hint[1]} KB` : 'an unnamed size'}; it loads ${kb(after).trim()} KB gzipped. Say so in static/embed.html.`);
  if (!report) process.exit(1);
}
if (over && !report) {
  console.error(`\nsize: ${over} route(s) over the budget in size-budget.json (or with none). Cut bytes, or raise the budget there in a reviewed change.`);
  process.exit(1);
}
