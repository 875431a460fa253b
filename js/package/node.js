// Node: the module is compiled and instantiated synchronously from the file beside this one.
import { readFileSync } from "node:fs";
import { initSync } from "./engine.js";

initSync({ module: readFileSync(new URL("./engine_bg.wasm", import.meta.url)) });

export { load, validate, Simulation, ShortcutSearch, __panicForTests } from "./guard.js";
