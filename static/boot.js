// Starts the app: picks the wasm file that holds the screen the fragment names (modules.js),
// imports its wasm-bindgen module and runs it. The main file's (content-hashed) names are on this
// script's tag, written by Trunk; home.js and workshop.js keep their names. The page needs no
// inline script and runs under a Content-Security-Policy of
// script-src 'self' 'wasm-unsafe-eval' (docs/deploying.md).
import { moduleFor } from './modules.js';

const tag = document.querySelector('script[data-boot-js]');

// Loads one of the files the app opens later (the dialogs', src/dialogs.rs), once a page.
const later = new Map();
window.playgroundModule = (name) => {
  if (!/^[a-z]+$/.test(name)) return Promise.reject(new Error(`no file named ${name}`));
  if (!later.has(name)) {
    later.set(name, import(`./${name}.js`).then(async (module) => {
      await module.default({ module_or_path: `./${name}_bg.wasm` });
      return module;
    }));
  }
  return later.get(name);
};
const which = moduleFor(location.hash.slice(1));
const [js, wasm] = which === 'play'
  ? [tag.dataset.bootJs, tag.dataset.bootWasm]
  : [`./${which}.js`, `./${which}_bg.wasm`];
const loading = document.querySelector('[data-booting]');
try {
  const { default: init } = await import(js);
  await init({ module_or_path: wasm });
  loading?.remove();
} catch (error) {
  if (loading) loading.textContent = `The playground could not start: ${error.message}. Reload the page to try again.`;
  throw error;
}
