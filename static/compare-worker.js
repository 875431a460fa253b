// The compare page's worker (docs/workshops.md): re-runs answers off the page's main thread with
// the engine of the npm package built beside it (backend-playground/, the same engine as the
// app), so the page answers input while thirty runs go. One message in, one out:
//   in:  { id, scenario }            a scenario's JSON text (seed already the challenge's)
//   out: { id, goals, ledger, ms } or { id, error }
// The listener is in place before the engine has loaded (a static import would leave messages
// sent meanwhile with no one to hear them); each run waits for the engine instead.
const engine = import('./backend-playground/browser.js');

self.onmessage = async (event) => {
  const { id, scenario } = event.data ?? {};
  if (typeof id !== 'number' || typeof scenario !== 'string' || scenario.length > 2_000_000) return;
  let load;
  try {
    ({ load } = await engine);
  } catch (error) {
    self.postMessage({ id, error: `the engine did not load: ${error?.message ?? error}` });
    return;
  }
  const started = performance.now();
  let sim;
  try {
    sim = load(scenario);
    sim.run();
    const goals = sim.goals().map((g) => ({ label: g.label, passed: g.passed, measured: g.measured, target: g.target, compare: g.compare, metric: g.metric }));
    const { entered, succeeded, failed, timed_out } = sim.ledger();
    self.postMessage({ id, goals, ledger: { entered, succeeded, failed, timed_out }, ms: performance.now() - started });
  } catch (error) {
    self.postMessage({ id, error: String(error?.message ?? error) });
  } finally {
    sim?.free();
  }
};
