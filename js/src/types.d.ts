// The data the package takes and gives, as the scenario format (docs/scenario-format.md) and
// the engine write it. Fields a file may leave out are optional; the engine fills the defaults.

/** A scenario file: version 1 of the format. */
export interface Scenario {
  version: 1;
  name?: string;
  seed?: number;
  duration_s: number;
  window_ms?: number;
  trace_every?: number;
  access_log_every?: number;
  components: Component[];
  wires?: Wire[];
  faults?: Fault[];
  goals?: Goal[];
  locked?: Lock[];
}

export interface Component {
  id: string;
  name?: string;
  x?: number;
  y?: number;
  spec: ComponentSpec;
}

export type ComponentSpec =
  | ({ kind: "client" } & ClientSpec)
  | ({ kind: "load_balancer" } & LoadBalancerSpec)
  | ({ kind: "service" } & ServiceSpec)
  | ({ kind: "rate_limiter" } & RateLimiterSpec)
  | ({ kind: "cache" } & CacheSpec)
  | ({ kind: "database" } & DatabaseSpec)
  | ({ kind: "replica" } & ReplicaSpec)
  | ({ kind: "queue" } & QueueSpec)
  | ({ kind: "workers" } & WorkersSpec)
  | { kind: "dead_letter" }
  | ({ kind: "provider" } & ProviderSpec);

export type ComponentKind = ComponentSpec["kind"];
export type Op = "read" | "write" | "payment" | "job" | "purchase";

/** Durations: constant, exponential or lognormal. */
export type Dist =
  | { dist: "constant"; ms: number }
  | { dist: "exponential"; mean_ms: number }
  | { dist: "lognormal"; median_ms: number; sigma: number };

export interface ClientSpec {
  rate_per_sec: number;
  arrival?: "poisson" | "constant";
  ramp_to_per_sec?: number | null;
  ramp_s?: number;
  mix?: { op: Op; weight: number }[];
  users?: number;
  keys?: number;
  key_skew?: number;
  timeout_ms?: number | null;
  retry?: RetryPolicy;
  idempotency_keys?: boolean;
  accepts_contract?: number | null;
  /** Share (0–1) of requests a user sends twice, a moment apart, with the same key. */
  double_submit?: number;
  /** Share (0–1) of successful answers lost on the way back to the user. */
  reply_loss?: number;
}

export interface RetryPolicy {
  max_attempts?: number;
  backoff_ms?: number;
  jitter?: "none" | "full" | "equal";
  budget_ratio?: number | null;
}

export interface LoadBalancerSpec {
  policy?: "round_robin" | "least_connections" | "random";
  health_checks?: boolean;
}

export interface AutoscaleSpec {
  min_workers: number;
  max_workers: number;
  target_utilisation?: number;
  interval_ms?: number;
  warmup_ms?: number;
  cooldown_ms?: number;
}

export interface ServiceSpec {
  workers: number;
  queue_capacity?: number | null;
  service_time: Dist;
  error_probability?: number;
  call_timeout_ms?: number | null;
  circuit_breaker?: { failure_ratio: number; window_calls?: number; open_ms: number } | null;
  idempotency?: "off" | "check_after_completion" | "atomic_reserve";
  idempotency_ttl_ms?: number;
  /** Pass the request's idempotency key on to the calls it makes. */
  forward_keys?: boolean;
  contract?: number;
  versioned_contract?: boolean;
  accepts_contract?: number | null;
  concurrency?: "none" | "optimistic" | "lock" | "atomic";
  read_your_writes_ms?: number | null;
  strong_reads?: boolean;
  autoscale?: AutoscaleSpec | null;
}

export interface RateLimiterSpec {
  rate_per_sec: number;
  burst: number;
  scope?: "global" | "per_user";
  action?: "reject" | "delay";
  max_delay_ms?: number;
}

export interface CacheSpec {
  capacity: number;
  ttl_ms: number;
  hit_ms?: number;
  invalidate_on_write?: boolean;
}

export interface DatabaseSpec {
  pool_size: number;
  queue_capacity?: number | null;
  read_time: Dist;
  write_time: Dist;
  indexed?: boolean;
  no_index_factor?: number;
  stock_per_key?: number;
}

export interface ReplicaSpec {
  pool_size: number;
  read_time: Dist;
  lag: Dist;
}

export interface QueueSpec {
  capacity?: number | null;
  visibility_timeout_ms?: number;
  max_deliveries?: number;
  retry_backoff_ms?: number;
}

export interface WorkersSpec {
  concurrency: number;
  job_time: Dist;
  failure_probability?: number;
  failure_under_load?: number;
  poison_probability?: number;
  idempotent?: boolean;
  call_timeout_ms?: number | null;
  autoscale?: AutoscaleSpec | null;
}

export interface ProviderSpec {
  concurrency?: number;
  latency: Dist;
  failure_probability?: number;
  /** How long it honours an idempotency key (null: it honours none). */
  key_ttl_ms?: number | null;
}

export interface Wire {
  from: string;
  to: string;
  mode?: "sync" | "async";
  ops?: Op[];
  optional?: boolean;
}

export type FaultKind =
  | { kind: "traffic_spike"; target: string; multiplier: number }
  | { kind: "crash"; target: string }
  | { kind: "latency"; target: string; add_ms: number }
  | { kind: "errors"; target: string; probability: number }
  | { kind: "partition"; from: string; to: string }
  | { kind: "replication_lag"; target: string; multiplier: number }
  | { kind: "contract_change"; target: string; contract: number }
  | { kind: "slow_query"; target: string };

export interface Fault {
  at_s: number;
  duration_s?: number | null;
  fault: FaultKind;
}

export type GoalMetric =
  | "p50_ms"
  | "p95_ms"
  | "p99_ms"
  | "success_ratio"
  | "goodput_per_sec"
  | "duplicates"
  | "stale_reads"
  | "lost_updates"
  | "oversold"
  | "jobs_lost"
  | "dead_lettered"
  | "unfulfilled"
  | "jobs_unresolved"
  | "misreads"
  | "utilisation"
  | "max_queue_depth"
  | "queue_depth_at_end"
  | "components_in_error"
  | "cost_per_hour";

export interface Goal {
  label: string;
  component?: string | null;
  metric: GoalMetric;
  compare: "<=" | ">=";
  target: number;
  from_s?: number;
  to_s?: number | null;
}

/** A condition the scenario holds fixed: a change to it makes the goals not count. */
export interface Lock {
  path: string;
  value: unknown;
  why?: string;
}

/** A change to a running simulation (`Simulation.apply`). */
export type Command =
  | { command: "set"; path: string; value: unknown }
  | { command: "set_component"; id: string; spec: ComponentSpec }
  | { command: "set_wire_mode"; from: string; to: string; mode: "sync" | "async" }
  | { command: "set_wire_optional"; from: string; to: string; optional: boolean }
  | ({ command: "inject_fault" } & Fault)
  | { command: "end_fault"; index: number }
  | { command: "rename"; id: string; name: string };

/** What a problem is about. */
export type Subject =
  | { on: "scenario" }
  | { on: "component"; id: string; index: number }
  | { on: "wire"; index: number; from: string; to: string }
  | { on: "fault"; index: number; kind: string }
  | { on: "goal"; index: number; label: string };

/** One thing wrong with a scenario or a command. */
export interface Problem {
  subject: Subject;
  /** The field at fault, as written in the file (`spec.workers`); empty for the whole. */
  field: string;
  message: string;
}

/** The error `load` and `Simulation.apply` throw: `problems` lists every problem found. */
export interface PlaygroundError extends Error {
  name: "PlaygroundError";
  problems: Problem[];
}

export interface LoadOptions {
  /** The seed of the run (default: the scenario's). A number must be a safe integer. */
  seed?: number | bigint;
  /** The run's length in simulated seconds (default: the scenario's `duration_s`). */
  duration?: number;
}

export interface GoalStatus {
  label: string;
  component: string | null;
  metric: GoalMetric;
  compare: "<=" | ">=";
  target: number;
  measured: number;
  passed: boolean;
  /** Whether the goal's interval is over, so the verdict can no longer change. */
  settled: boolean;
  started: boolean;
  from_s: number;
}

export interface Ledger {
  entered: number;
  succeeded: number;
  failed: number;
  rejected: number;
  timed_out: number;
  in_flight: number;
}

export interface JobLedger {
  accepted: number;
  delivered: number;
  dead_lettered: number;
  dropped: number;
  in_flight: number;
}

/** What both whole-run totals and windows count. */
export interface Counts {
  arrivals: number;
  completions: number;
  errors: number;
  rejections: number;
  timeouts: number;
  retries: number;
  attempts: number;
  effects: number;
  duplicates: number;
  stale_reads: number;
  lost_updates: number;
  conflicts: number;
  hits: number;
  misses: number;
  dead_lettered: number;
  dropped: number;
  contract_errors: number;
  short_circuits: number;
  /** Calls that failed and were answered by a fallback (written when not zero). */
  fallbacks?: number;
  /** Fire-and-forget hand-offs that failed or were lost (written when not zero). */
  handoffs_failed?: number;
  /** Answers read in a format the reader was not written for (written when not zero). */
  misreads?: number;
}

/** Whole-run counters of one component. */
export interface Totals extends Counts {}

/** One closed window of simulated time (`window_ms` long) of one component. */
export interface Window extends Counts {
  start_ms: number;
  queue_depth_avg: number;
  queue_depth_max: number;
  utilisation: number;
  p50_ms: number;
  p95_ms: number;
  p99_ms: number;
  max_ms: number;
  lag_ms: number;
  dlq_size: number;
  oversold: number;
  circuit_open: boolean;
  /** Workers serving, for a component that autoscales. */
  workers?: number;
}

export interface Metrics {
  id: string;
  totals: Totals;
  /** Whole-run latency percentiles of finished requests, in milliseconds. */
  latency: { count: number; mean_ms: number; p50_ms: number; p95_ms: number; p99_ms: number; max_ms: number };
  /** Closed windows, oldest first (the most recent ones, when the run outlived the history). */
  windows: Window[];
}

export interface LogLine {
  at_ms: number;
  level: "INFO" | "WARN" | "ERROR";
  /** The id of the component that wrote it. */
  component: string;
  message: string;
}

export interface Span {
  id: number;
  parent: number | null;
  /** The index of the component (its position in the scenario's `components`). */
  component: number;
  caller: number;
  attempt: number;
  start_ms: number;
  end_ms: number | null;
  status: "ok" | "error" | "rejected" | "conflict" | null;
  note: string;
}

export interface Trace {
  request: number;
  spans: Span[];
}

export interface ComponentSnapshot {
  id: string;
  name: string;
  kind: ComponentKind;
  queue_depth: number;
  queue_capacity: number | null;
  in_service: number;
  workers: number;
  crashed: boolean;
  circuit_open: boolean;
  last_window: Window | null;
  totals: Totals;
}

export interface Snapshot {
  now_ms: number;
  components: ComponentSnapshot[];
  partitioned: boolean[];
  ledger: Ledger;
  jobs: JobLedger;
}

/** A locked condition the run broke. */
export interface Change {
  path: string;
  expected: string;
  found: string;
  why: string;
  /** The same, as one sentence. */
  message: string;
}

/** One edit the shortcut search tried, as a learner would make it in the app. */
export interface ShortcutEdit {
  /** A stable name (`async api->psp`, `set api.workers 128`): what a lesson declares. */
  key: string;
  /** The edit in the app's words. */
  words: string;
  family: "dropped_work" | "routed_around" | "setting" | "budget" | "pair";
}

/** An edit that passed every goal on every seed, and what it is. */
export interface ShortcutFound {
  edit: ShortcutEdit;
  verdict:
    | { verdict: "solution" }
    | { verdict: "accepted"; why: string }
    | { verdict: "shortcut" };
}

/** What a shortcut search found. */
export interface ShortcutSummary {
  singles: number;
  skipped: number;
  runs: number;
  stopped: number;
  seeds: number[];
  start_passes: boolean;
  found: ShortcutFound[];
}
