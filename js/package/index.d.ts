/// <reference lib="esnext.disposable" />
// The package's API: the same in Node and in browsers (each entry instantiates the module
// before its import returns).
export { load, validate, Simulation, ShortcutSearch } from "./engine.js";
export type * from "./engine.js";
