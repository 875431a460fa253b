// Rewrites every .json file under a folder without its indentation: the lesson files Trunk
// copies into dist/ are written pretty for people and diffs, but an embed's preview downloads
// two of them per frame, and hosts that do not compress send every space (a post with three
// embeds: 55 KB before, under its 50 KB target after). Run by Trunk's post-build hook
// (Trunk.toml) on dist/lessons/, which also drops each file's `$schema` (an editor's pointer
// whose path means nothing on the site). Usage: node xtask/minify-json.mjs DIR
import { readdirSync, readFileSync, writeFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.argv[2];
if (!dir) {
  console.error('usage: node xtask/minify-json.mjs DIR');
  process.exit(2);
}
let files = 0;
let saved = 0;
const walk = (d) => {
  for (const name of readdirSync(d)) {
    const path = join(d, name);
    if (statSync(path).isDirectory()) walk(path);
    else if (name.endsWith('.json')) {
      const text = readFileSync(path, 'utf8');
      let value;
      try {
        value = JSON.parse(text);
      } catch (e) {
        console.error(`minify-json: ${path} is not JSON: ${e.message}`);
        process.exit(1);
      }
      // The pointer to the JSON Schema is for editors of the repository's files, not for the site.
      if (value && typeof value === 'object' && !Array.isArray(value)) delete value.$schema;
      const small = JSON.stringify(value);
      writeFileSync(path, small);
      files += 1;
      saved += text.length - small.length;
    }
  }
};
walk(dir);
console.log(`minify-json: ${files} files, ${saved} bytes of indentation dropped`);
