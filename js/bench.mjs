// The npm package's engine speed in Node, on the reference models the native `playground bench`
// runs (written as files by `playground bench-scenarios DIR`). Run by `cargo xtask bench`:
//   node js/bench.mjs DIR
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from '../target/npm/backend-playground/node.js';

const dir = process.argv[2];
const best = (file, runs) => {
  const text = readFileSync(join(dir, file), 'utf8');
  let top = { rate: 0, events: 0 };
  for (let i = 0; i < runs; i++) {
    const sim = load(text);
    const start = performance.now();
    sim.run();
    const secs = (performance.now() - start) / 1000;
    const events = sim.eventsProcessed();
    sim.free();
    if (events / secs > top.rate) top = { rate: events / secs, events };
  }
  return top;
};
const mm1 = best('mm1.json', 3);
console.log(`npm     bare M/M/1 (rho 0.8, 2M customers):      ${(mm1.rate / 1e6).toFixed(2).padStart(6)} M events/s  (${mm1.events} events)`);
const ten = best('ten.json', 3);
console.log(`npm     ten-component topology (1,000 req/s):      ${(ten.rate / 1e6).toFixed(2).padStart(6)} M events/s  (${ten.events} events)`);
