// Starts the app: imports the wasm-bindgen module and the wasm file whose (content-hashed) names
// Trunk writes on this script's tag, so the page needs no inline script and runs under a
// Content-Security-Policy of script-src 'self' 'wasm-unsafe-eval' (docs/deploying.md).
const tag = document.querySelector('script[data-boot-js]');
const { default: init } = await import(tag.dataset.bootJs);
await init({ module_or_path: tag.dataset.bootWasm });
