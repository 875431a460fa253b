// What a TypeScript user writes: compiled with `tsc --noEmit` against the built package by
// js/tests/package.test.mjs, so the declarations cannot drift from the API.
import { load, validate, Simulation, type Command, type GoalStatus, type Report, type Scenario } from "backend-playground";

const scenario: Scenario = {
  version: 1,
  name: "checkout",
  duration_s: 60,
  components: [
    { id: "shoppers", spec: { kind: "client", rate_per_sec: 50, timeout_ms: 800, retry: { max_attempts: 3, backoff_ms: 100, jitter: "full" } } },
    { id: "api", spec: { kind: "service", workers: 8, service_time: { dist: "exponential", mean_ms: 40 } } },
    { id: "psp", spec: { kind: "provider", latency: { dist: "lognormal", median_ms: 300, sigma: 0.6 } } },
  ],
  wires: [{ from: "shoppers", to: "api" }, { from: "api", to: "psp" }],
  faults: [{ at_s: 20, duration_s: 10, fault: { kind: "latency", target: "psp", add_ms: 900 } }],
  goals: [{ label: "Nobody is charged twice", component: "psp", metric: "duplicates", compare: "<=", target: 0 }],
};

const problems = validate(scenario);
const where: string[] = problems.map((p) => (p.subject.on === "component" ? `${p.subject.id}.${p.field}` : p.field));

const sim: Simulation = load(JSON.stringify(scenario), { seed: 7n });
const plain = load(scenario); // options may be left out
plain.free();
sim.runUntil(30);
const flip: Command = { command: "set", path: "api.idempotency", value: "atomic_reserve" };
sim.apply(flip);
sim.apply({ command: "inject_fault", at_s: 40, duration_s: 5, fault: { kind: "crash", target: "api" } });
sim.run();
const failed: GoalStatus[] = sim.goals().filter((g) => !g.passed);
const p99: number = sim.metrics("psp").latency.p99_ms;
const depth: number[] = sim.metrics("api").windows.map((w) => w.queue_depth_avg);
const digest: string = sim.digest();
const story: Report = sim.report();
const firstSaturated: string | null = story.moments.find((m) => m.what.kind === "saturated")?.component ?? null;
sim.free();

export { where, failed, p99, depth, digest, story, firstSaturated };
