// Starts the app: picks the wasm file that holds the screen the fragment names (modules.js),
// imports its wasm-bindgen module and runs it. The main file's (content-hashed) names are on this
// script's tag, written by Trunk; the other files keep their names. The page needs no inline
// script and runs under a Content-Security-Policy of
// script-src 'self' 'wasm-unsafe-eval' (docs/deploying.md).
import { moduleFor } from './modules.js';

const tag = document.querySelector('script[data-boot-js]');
const named = (name) => [`./${name}.js`, `./${name}_bg.wasm`];

// Imports a wasm-bindgen module and instantiates its wasm file; the module, once it runs.
async function load([js, wasm]) {
  const module = await import(js);
  await module.default({ module_or_path: wasm });
  return module;
}

// The files the app opens later (the dialogs', app/src/dialogs.rs), each loaded once a page.
const later = new Map();
window.playgroundModule = (name) => {
  if (!/^[a-z]+$/.test(name)) return Promise.reject(new Error(`no file named ${name}`));
  if (!later.has(name)) later.set(name, load(named(name)));
  return later.get(name);
};

const which = moduleFor(location.hash.slice(1));
const loading = document.querySelector('[data-booting]');
try {
  await load(which === 'play' ? [tag.dataset.bootJs, tag.dataset.bootWasm] : named(which));
  loading?.remove();
} catch (error) {
  if (loading) loading.textContent = `The playground could not start: ${error.message}. Reload the page to try again.`;
  throw error;
}
