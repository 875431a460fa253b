// Starts the app: picks the wasm file that holds the screen the fragment names (modules.js),
// imports its wasm-bindgen module and runs it. The page needs no inline script and runs under a
// Content-Security-Policy of
// script-src 'self' 'wasm-unsafe-eval' (docs/deploying.md).
import { moduleFor } from './modules.js';

// Where each wasm file's module is: the two split files (xtask/split.mjs) have folders of their
// own, named for their content, beside the parts they fetch later; this script's tag names them.
const folder = document.querySelector('script[data-play]')?.dataset ?? {};
const files = {
  home: ['./home.js', './home_bg.wasm'],
  play: [`./${folder.play}/app.js`, `./${folder.play}/app_bg.wasm`],
  workshop: [`./${folder.workshop}/workshop.js`, `./${folder.workshop}/workshop_bg.wasm`],
};

// Imports a wasm-bindgen module and instantiates its wasm file; the module, once it runs.
async function load([js, wasm]) {
  const module = await import(js);
  await module.default({ module_or_path: wasm });
  return module;
}

const which = moduleFor(location.hash.slice(1));
const loading = document.querySelector('[data-booting]');
try {
  await load(files[which]);
  loading?.remove();
} catch (error) {
  if (loading) loading.textContent = `The playground could not start: ${error.message}. Reload the page to try again.`;
  throw error;
}
