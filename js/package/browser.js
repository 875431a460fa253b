// Browsers and bundlers: the module is fetched from beside this file (bundlers that understand
// `new URL(..., import.meta.url)` copy it) and instantiated before the first import returns.
import init from "./engine.js";

await init({ module_or_path: new URL("./engine_bg.wasm", import.meta.url) });

export { load, validate, Simulation, ShortcutSearch, __panicForTests } from "./guard.js";
