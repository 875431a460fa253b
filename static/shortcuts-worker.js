// The Challenge dialog's worker (docs/workshops.md): runs the shortcut search on the challenge's
// start off the page's main thread, with the npm package's engine built beside it
// (backend-playground/), so the dialog stays usable while a few hundred runs go.
//   in:  { start, solution, seeds, budget, accepted }   start and solution as scenario JSON
//        text; accepted, the alternatives the lesson declares ([{ key, why }])
//   out: { type: 'progress', runs, planned }  at most ten times a second
//        { type: 'done', summary }            the ShortcutSummary
//        { type: 'error', error }
const engine = import('./backend-playground/browser.js');

self.onmessage = async (event) => {
  const { start, solution, seeds, budget, accepted } = event.data ?? {};
  if (typeof start !== 'string' || start.length > 2_000_000) return;
  if (solution != null && (typeof solution !== 'string' || solution.length > 2_000_000)) return;
  let ShortcutSearch;
  try {
    ({ ShortcutSearch } = await engine);
  } catch (error) {
    self.postMessage({ type: 'error', error: `the engine did not load: ${error?.message ?? error}` });
    return;
  }
  let search;
  try {
    search = new ShortcutSearch(start, solution ?? null, Float64Array.from(seeds ?? [1]), budget ?? 300, Array.isArray(accepted) ? accepted : undefined);
    let shown = 0;
    while (search.step()) {
      const now = performance.now();
      if (now - shown > 100) {
        shown = now;
        self.postMessage({ type: 'progress', runs: search.runs(), planned: search.planned() });
      }
    }
    self.postMessage({ type: 'done', summary: search.summary() });
  } catch (error) {
    self.postMessage({ type: 'error', error: String(error?.message ?? error) });
  } finally {
    search?.free();
  }
};
