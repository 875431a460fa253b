// The data the package takes and gives, as the scenario format (docs/scenario-format.md) and
// the engine write it. Fields a file may leave out are optional; the engine fills the defaults.

/** A scenario file: version 1 of the format. */
export interface Scenario {
  /** An editor's pointer to the JSON Schema; read and ignored. */
  $schema?: string;
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

// generated from the registry of kinds by `cargo xtask gen`: specs
export type ComponentSpec =
  | ({ kind: "client" } & ClientSpec)
  | ({ kind: "load_balancer" } & LoadBalancerSpec)
  | ({ kind: "rate_limiter" } & RateLimiterSpec)
  | ({ kind: "service" } & ServiceSpec)
  | ({ kind: "cache" } & CacheSpec)
  | ({ kind: "database" } & DatabaseSpec)
  | ({ kind: "replica" } & ReplicaSpec)
  | ({ kind: "queue" } & QueueSpec)
  | ({ kind: "workers" } & WorkersSpec)
  | ({ kind: "dead_letter" } & DeadLetterSpec)
  | ({ kind: "provider" } & ProviderSpec);

export type ComponentKind = ComponentSpec["kind"];
export type Op = "read" | "write" | "payment" | "job" | "purchase";

/** Durations in milliseconds: constant, exponential or lognormal. */
export type Dist =
  | { dist: "constant"; ms: number }
  | { dist: "exponential"; mean_ms: number }
  | { dist: "lognormal"; median_ms: number; sigma: number };

/** People sending requests: how many per second, what they ask, when they give up and retry. */
export interface ClientSpec {
  /** Requests per second: new requests from users, or tokens added to a rate limiter's bucket. */
  rate_per_sec: number;
  /** Poisson: random gaps between requests, as real users make them. Constant: evenly spaced. */
  arrival?: "poisson" | "constant";
  /** Move the rate to this value over the first seconds of the run. */
  ramp_to_per_sec?: number | null;
  /** Move the rate to this value over the first seconds of the run. */
  ramp_s?: number;
  /** What users ask for, and how often. */
  mix?: {
    /** What this share of requests asks for: a read, a write, a payment, a background job or a purchase. */
    op: Op;
    /** How often this operation comes, relative to the others in the mix. */
    weight: number;
  }[];
  /** How many different users send the requests. */
  users?: number;
  /** How many different records the requests touch. */
  keys?: number;
  /** How unevenly records are hit: 0 is even; higher values make a few records hot. */
  key_skew?: number;
  /** How long a user waits for an answer before giving up (and retrying, if retries are on). */
  timeout_ms?: number | null;
  /** What a user does after a failure or a timeout. */
  retry?: RetryPolicy;
  /** Send a key with each request, the same key on a retry, so a server can recognise a repeat. */
  idempotency_keys?: boolean;
  /** The only response format version it can read; any other fails. */
  accepts_contract?: number | null;
  /** The share of requests a user sends twice, a moment apart (a double click), with the same key. */
  double_submit?: number;
  /** The share of successful answers lost on the way back: the work was done, but the user sees an error and tries again. */
  reply_loss?: number;
}

/** Spreads requests over several services and skips the ones that crashed. */
export interface LoadBalancerSpec {
  /** How the load balancer picks the next instance. */
  policy?: "round_robin" | "least_connections" | "random";
  /** Stop sending to an instance that has crashed. */
  health_checks?: boolean;
}

/** A token bucket: lets a steady rate through and answers 429 to the rest. */
export interface RateLimiterSpec {
  /** Requests per second: new requests from users, or tokens added to a rate limiter's bucket. */
  rate_per_sec: number;
  /** The most tokens the bucket can save up: how big a burst passes at once. */
  burst: number;
  /** One bucket for everybody, or one per user. */
  scope?: "global" | "per_user";
  /** Refuse requests over the limit, or make them wait (up to the maximum delay). */
  action?: "reject" | "delay";
  /** The longest a request may be held back before it is refused. */
  max_delay_ms?: number;
}

/** Workers handling requests one at a time each, waiting on whatever they call. */
export interface ServiceSpec {
  /** How many requests it handles at once; the rest wait in its queue. */
  workers: number;
  /** How many may wait or be kept. For a queue of requests: when full, new ones are refused at once (backpressure). Off: no limit. */
  queue_capacity?: number | null;
  /** How long handling one request takes, not counting the calls it makes. */
  service_time: Dist;
  /** The chance that handling fails with an error. */
  error_probability?: number;
  /** How long it waits for each call it makes before giving up on it. */
  call_timeout_ms?: number | null;
  /** After too many failed calls, stop calling for a while and fail at once instead. */
  circuit_breaker?: {
    /** The share of failed calls that opens the circuit. */
    failure_ratio: number;
    /** How many recent calls the failure share is measured over. */
    window_calls?: number;
    /** How long the circuit stays open before trying again. */
    open_ms: number;
  } | null;
  /** Remember request keys so a repeated request does not repeat its side effect. Check after completion leaves a gap where duplicates slip through; atomic reserve closes it. */
  idempotency?: "off" | "check_after_completion" | "atomic_reserve";
  /** How long a request key is remembered. */
  idempotency_ttl_ms?: number;
  /** Pass each request's idempotency key on to the calls it makes, so a provider that honours keys charges once per key. */
  forward_keys?: boolean;
  /** The version of the response format it produces. */
  contract?: number;
  /** Keep answering each caller in the format version it asks for. */
  versioned_contract?: boolean;
  /** The only response format version it can read; any other fails. */
  accepts_contract?: number | null;
  /** How it guards read-modify-write of one record: none (updates get lost), optimistic (a version check), a lock, or atomic (one conditional update in the database, no read). */
  concurrency?: "none" | "optimistic" | "lock" | "atomic";
  /** After a user writes, send that user's reads to the primary database for this long. */
  read_your_writes_ms?: number | null;
  /** Always read from the primary database, never from a replica. */
  strong_reads?: boolean;
  /** Add workers when they are busier than the target and let them go when they are idle, within the bounds; new workers serve only after a warm-up. */
  autoscale?: AutoscaleSpec | null;
}

/** Answers repeated reads from memory; may serve data older than the database. */
export interface CacheSpec {
  /** How many entries it keeps. */
  capacity: number;
  /** How long a cached entry is served before it is fetched again. */
  ttl_ms: number;
  /** How long answering from the cache takes. */
  hit_ms?: number;
  /** Drop an entry when its record is written, so reads do not see old data. */
  invalidate_on_write?: boolean;
}

/** The source of truth: a few connections, versioned records, slow without its index. */
export interface DatabaseSpec {
  /** Connections: how many queries run at once. */
  pool_size: number;
  /** How many may wait or be kept. For a queue of requests: when full, new ones are refused at once (backpressure). Off: no limit. */
  queue_capacity?: number | null;
  /** How long one query takes. */
  read_time: Dist;
  /** How long one query takes. */
  write_time: Dist;
  /** With the index, reads are quick; without it each read scans the table. */
  indexed?: boolean;
  /** How many times slower a read is without the index. */
  no_index_factor?: number;
  /** Items in stock per record at the start, for purchases. */
  stock_per_key?: number;
}

/** A read-only copy of the database that lags behind it. */
export interface ReplicaSpec {
  /** Connections: how many queries run at once. */
  pool_size: number;
  /** How long one query takes. */
  read_time: Dist;
  /** How far behind the primary database the replica runs. */
  lag: Dist;
}

/** Holds jobs for background workers and delivers each at least once. */
export interface QueueSpec {
  /** How many may wait or be kept. For a queue of requests: when full, new ones are refused at once (backpressure). Off: no limit. */
  capacity?: number | null;
  /** How long a delivered message stays hidden; not acknowledged by then, it is delivered again. */
  visibility_timeout_ms?: number;
  /** Deliveries before a message goes to the dead-letter queue (or is dropped, if there is none). */
  max_deliveries?: number;
  /** The wait before a failed message is delivered again; it doubles each time. */
  retry_backoff_ms?: number;
}

/** Background workers that take jobs from a queue; jobs can fail or run twice. */
export interface WorkersSpec {
  /** How many it handles at once. */
  concurrency: number;
  /** How long one job takes, not counting the calls it makes. */
  job_time: Dist;
  /** The chance that handling fails with an error. */
  failure_probability?: number;
  /** Extra chance of failure while every worker is busy. */
  failure_under_load?: number;
  /** The share of jobs that fail every time, however often they are tried. */
  poison_probability?: number;
  /** Remember finished jobs, so a job delivered twice acts once. */
  idempotent?: boolean;
  /** How long it waits for each call it makes before giving up on it. */
  call_timeout_ms?: number | null;
  /** Add workers when they are busier than the target and let them go when they are idle, within the bounds; new workers serve only after a warm-up. */
  autoscale?: AutoscaleSpec | null;
}

/** Where jobs go after their last failed attempt, so nothing vanishes. */
export interface DeadLetterSpec {
}

/** An outside service with side effects (payments, email) that counts duplicates. */
export interface ProviderSpec {
  /** How many it handles at once. */
  concurrency?: number;
  /** How long the provider takes to answer. */
  latency: Dist;
  /** The chance that handling fails with an error. */
  failure_probability?: number;
  /** How long it remembers an idempotency key: a repeat with a key it knows gets the first answer without a second charge. Off: every call is new. */
  key_ttl_ms?: number | null;
}

/** What a user does after a failure or a timeout. */
export interface RetryPolicy {
  /** Tries in all, the first one included: 1 means no retries. */
  max_attempts?: number;
  /** The wait before a retry; it doubles with each further try. */
  backoff_ms?: number;
  /** Randomises the wait so that retries from many users do not arrive together. */
  jitter?: "none" | "full" | "equal";
  /** A retry budget: retries allowed as a share of first tries, so retries cannot multiply an overload. */
  budget_ratio?: number | null;
}

/** Add workers when they are busier than the target and let them go when they are idle, within the bounds; new workers serve only after a warm-up. */
export interface AutoscaleSpec {
  /** The fewest workers it keeps, however quiet it gets. */
  min_workers: number;
  /** The most workers it may have, however busy it gets (a budget). */
  max_workers: number;
  /** The busy share of the workers to aim for: lower keeps more spare capacity for bursts, at a higher cost. */
  target_utilisation?: number;
  /** How often the load is measured and the worker count decided. */
  interval_ms?: number;
  /** How long a new worker takes to start before it serves: the gap a spike must be survived without it. */
  warmup_ms?: number;
  /** How long after the last change workers may be let go, so a short lull does not throw away capacity. */
  cooldown_ms?: number;
}
// end of generated specs

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
  /** Text that could not be read: `field` is the place in it (`components[1].spec.workers`). */
  | { on: "file" }
  | { on: "scenario" }
  | { on: "component"; id: string; index: number }
  | { on: "wire"; index: number; from: string; to: string }
  | { on: "fault"; index: number; kind: string }
  | { on: "goal"; index: number; label: string };

/** One thing wrong with a scenario or a command. */
export interface Problem {
  subject: Subject;
  /** The field at fault, as written in the file (`spec.workers`; for an unreadable file, the
   * path in it, `components[1].spec.workers`); empty for the whole. */
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

/** One moment that matters in a run (`Simulation.report`). */
export interface Moment {
  /** When, in simulated seconds. */
  at_s: number;
  /** The component it concerns, if one. */
  component: string | null;
  what:
    | { kind: "fault_starts"; fault: string }
    | { kind: "fault_ends"; fault: string }
    | { kind: "replica_lags" }
    | { kind: "saturated"; first: boolean }
    | { kind: "queue_grows" }
    | { kind: "scales_out" }
    | { kind: "refuses"; limiter: boolean }
    | { kind: "timeouts_begin" }
    | { kind: "unreadable_answers" }
    | { kind: "errors_begin" }
    | { kind: "breaker_opens" }
    | { kind: "retries_amplify" }
    | { kind: "queue_stays_high" }
    | { kind: "breaker_closes" }
    | { kind: "scales_in" }
    | { kind: "first_duplicate" }
    | { kind: "first_stale_read" }
    | { kind: "first_lost_update" }
    | { kind: "first_oversold" }
    | { kind: "first_job_lost" }
    | { kind: "first_dead_lettered" }
    | { kind: "goal_missed"; label: string; metric: GoalMetric };
  /** The value measured. */
  value: number;
  /** The threshold it crossed (or the goal's target). */
  threshold: number;
  /** The earlier moment it follows from (its index in `moments`), when a rule links one. */
  because?: number;
}

/** What happened: the moments in time order and the causal chain, a sentence each. */
export interface Report {
  moments: Moment[];
  chain: string[];
  /** Every goal's verdict as the run stands. */
  goals: GoalStatus[];
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
  /** While the goal fails: when it last went from met to missed, in simulated seconds. */
  lost_at_s?: number;
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
