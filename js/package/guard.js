// One bad call must not poison the next. A panic in the engine (a bug) aborts the call with a
// WebAssembly.RuntimeError and schedules a fresh instance; this wrapper makes the reset happen
// at once and throws a PlaygroundError naming the panic. Simulations made before the reset
// then throw "Invalid stale object" instead of reading the new instance's memory.
import * as engine from "./engine.js";

const PANIC = Symbol.for("backend-playground.panic");

function guarded(call) {
  return function (...args) {
    try {
      return call.apply(this, args);
    } catch (e) {
      if (!(e instanceof WebAssembly.RuntimeError)) throw e;
      engine.__resetAfterPanic();
      const panic = globalThis[PANIC] ?? e.message;
      delete globalThis[PANIC];
      const message = `internal error (a bug; please report it with the scenario): ${panic}. The engine was reset: simulations made before this error can no longer be used.`;
      const error = new Error(message, { cause: e });
      error.name = "PlaygroundError";
      error.problems = [{ subject: { on: "scenario" }, field: "", message }];
      throw error;
    }
  };
}

const methods = engine.Simulation.prototype;
for (const name of Object.getOwnPropertyNames(methods)) {
  const d = Object.getOwnPropertyDescriptor(methods, name);
  if (name !== "constructor" && name !== "free" && typeof d.value === "function") {
    Object.defineProperty(methods, name, { ...d, value: guarded(d.value) });
  }
}

export const load = guarded(engine.load);
export const validate = guarded(engine.validate);
export const __panicForTests = guarded(engine.__panicForTests);
export const Simulation = engine.Simulation;

const search = engine.ShortcutSearch.prototype;
for (const name of Object.getOwnPropertyNames(search)) {
  const d = Object.getOwnPropertyDescriptor(search, name);
  if (name !== "constructor" && name !== "free" && typeof d.value === "function") {
    Object.defineProperty(search, name, { ...d, value: guarded(d.value) });
  }
}
export const ShortcutSearch = engine.ShortcutSearch;
