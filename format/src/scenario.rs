//! What a user or a lesson writes: plain data, versioned.
//!
//! A `Scenario` is untrusted input (it may come from a file or a share link). Nothing here is
//! checked; `topology::Topology::build` validates it once and reports every problem together.
//! The JSON form is the one canonical file format; `docs/scenario-format.md` describes it.
//! These types are written with serde's `Serialize` and read by one reader, `crate::reader`,
//! which also holds every default; a round-trip test (`engine/tests/fuzz.rs`) keeps the two
//! directions in step.

use serde::Serialize;

/// The format version this build writes and reads.
pub const SCENARIO_VERSION: u32 = 1;

/// A whole scenario: components, wires, faults, goals, the seed and how long to run.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Scenario {
    /// Format version; must equal [`SCENARIO_VERSION`].
    pub version: u32,
    /// A title shown to people.
    pub name: String,
    /// Seed of every random stream in the run.
    pub seed: u64,
    /// How long a full run lasts, in simulated seconds.
    pub duration_s: f64,
    /// Width of one metrics window, in simulated milliseconds.
    pub window_ms: f64,
    /// One request in this many is traced hop by hop (0: none).
    pub trace_every: u32,
    /// One successful request in this many writes an access-log line (0: none).
    pub access_log_every: u32,
    /// The parts of the system.
    pub components: Vec<Component>,
    /// Directed connections: `from` sends requests to `to`.
    pub wires: Vec<Wire>,
    /// Things that go wrong, on a timeline.
    pub faults: Vec<Fault>,
    /// What a lesson asks the learner to achieve, checked against the metrics.
    pub goals: Vec<Goal>,
    /// The conditions a lesson or challenge holds fixed (the world: traffic, faults, third
    /// parties); a run whose locked values differ says so, and its goals do not count.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub locked: Vec<Lock>,
}

/// One part of the world a lesson or challenge holds fixed, with its value when locked.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Lock {
    /// What is held: `faults`, `goals`, `seed` or `duration_s`, or a component's field as
    /// `<component id>.<field>`, with dots into nested fields (`shoppers.retry.max_attempts`);
    /// a component id alone holds its whole spec.
    pub path: String,
    /// Its value when locked, written as the scenario writes it back.
    pub value: serde_json::Value,
    /// One sentence for the learner: why it is not theirs to change.
    pub why: String,
}

pub(crate) fn default_window_ms() -> f64 {
    100.0
}
pub(crate) fn default_trace_every() -> u32 {
    50
}
pub(crate) fn default_log_every() -> u32 {
    20
}
fn is_false(b: &bool) -> bool {
    !*b
}
/// One placed component.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Component {
    /// Unique, stable identifier (also names the component's random stream).
    pub id: String,
    /// A label shown to people; defaults to the id.
    pub name: String,
    /// Position on the canvas (canvas units); the engine ignores it.
    pub x: f64,
    /// Position on the canvas (canvas units); the engine ignores it.
    pub y: f64,
    /// What kind of component it is, with that kind's parameters.
    pub spec: ComponentSpec,
}

/// Component kinds and their parameters.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ComponentSpec {
    /// A population of users sending requests down its one outgoing wire.
    Client(ClientSpec),
    /// Spreads requests over its targets.
    LoadBalancer(LoadBalancerSpec),
    /// Workers in front of a queue, calling downstreams while they hold a worker.
    Service(ServiceSpec),
    /// A token bucket in front of its one downstream.
    RateLimiter(RateLimiterSpec),
    /// Keeps recent reads; serves hits itself, passes misses and writes on.
    Cache(CacheSpec),
    /// The primary database: versioned records, a connection pool, replication to replicas.
    Database(DatabaseSpec),
    /// A read replica, fed by a wire from its primary.
    Replica(ReplicaSpec),
    /// A message broker with at-least-once delivery to the worker pools it is wired to.
    Queue(QueueSpec),
    /// Background workers consuming a queue.
    Workers(WorkersSpec),
    /// Where messages go after their last failed attempt.
    DeadLetter(DeadLetterSpec),
    /// An external side-effect provider (payments, email) that counts its effects.
    Provider(ProviderSpec),
}

/// Every kind's name as written in files, in palette order (from the registry of kinds).
pub use crate::kinds::KINDS;

impl ComponentSpec {
    /// This spec as pretty JSON, the form it has inside a scenario file. It shares its code with
    /// [`Scenario::to_json`], which keeps one serialiser for specs in the browser bundle.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// Parses one spec (`{"kind": ..., ...}`), saying what is wrong and where.
    pub fn from_json(text: &str) -> Result<ComponentSpec, crate::ScenarioError> {
        crate::reader::component_spec(text).map_err(Into::into)
    }

    /// A sensible starting point for a newly placed component of `kind` (None: unknown kind):
    /// the registry's example for the kind, its other fields at their defaults.
    pub fn example(kind: &str) -> Option<ComponentSpec> {
        let info = crate::kinds::kind(kind)?;
        let mut tree: serde_json::Value = serde_json::from_str(info.example).ok()?;
        tree.as_object_mut()?
            .insert("kind".into(), serde_json::Value::from(kind));
        crate::reader::component_spec_tree(&tree).ok()
    }

    /// What the registry of kinds knows about this spec's kind.
    pub fn info(&self) -> &'static crate::kinds::KindInfo {
        let i = match self {
            ComponentSpec::Client(_) => 0,
            ComponentSpec::LoadBalancer(_) => 1,
            ComponentSpec::RateLimiter(_) => 2,
            ComponentSpec::Service(_) => 3,
            ComponentSpec::Cache(_) => 4,
            ComponentSpec::Database(_) => 5,
            ComponentSpec::Replica(_) => 6,
            ComponentSpec::Queue(_) => 7,
            ComponentSpec::Workers(_) => 8,
            ComponentSpec::DeadLetter(_) => 9,
            ComponentSpec::Provider(_) => 10,
        };
        &crate::kinds::KIND_INFO[i]
    }

    /// The kind's name as written in files.
    pub fn kind_name(&self) -> &'static str {
        match self {
            ComponentSpec::Client(_) => "client",
            ComponentSpec::LoadBalancer(_) => "load_balancer",
            ComponentSpec::Service(_) => "service",
            ComponentSpec::RateLimiter(_) => "rate_limiter",
            ComponentSpec::Cache(_) => "cache",
            ComponentSpec::Database(_) => "database",
            ComponentSpec::Replica(_) => "replica",
            ComponentSpec::Queue(_) => "queue",
            ComponentSpec::Workers(_) => "workers",
            ComponentSpec::DeadLetter(_) => "dead_letter",
            ComponentSpec::Provider(_) => "provider",
        }
    }

    /// The autoscaling of its workers, when it has it.
    pub fn autoscale(&self) -> Option<&AutoscaleSpec> {
        match self {
            ComponentSpec::Service(s) => s.autoscale.as_ref(),
            ComponentSpec::Workers(w) => w.autoscale.as_ref(),
            _ => None,
        }
    }

    /// Sets the count of parallel servers of a service or a worker pool (the others keep theirs).
    pub fn set_workers(&mut self, n: u32) {
        match self {
            ComponentSpec::Service(s) => s.workers = n,
            ComponentSpec::Workers(w) => w.concurrency = n,
            _ => {}
        }
    }

    /// Parallel servers this component has (zero where the idea does not apply).
    pub fn workers(&self) -> u32 {
        match self {
            ComponentSpec::Service(s) => s.workers,
            ComponentSpec::Database(d) => d.pool_size,
            ComponentSpec::Replica(r) => r.pool_size,
            ComponentSpec::Workers(w) => w.concurrency,
            ComponentSpec::Provider(p) => p.concurrency,
            _ => 0,
        }
    }
}

/// What a request asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Op {
    /// Read a record.
    Read,
    /// Write a record.
    Write,
    /// Charge a payment (a side effect at a provider).
    Payment,
    /// Hand a background job (an email) to a queue.
    Job,
    /// Buy one item: read the stock, then write it back one lower.
    Purchase,
}

impl Op {
    /// Every operation, in the order files and menus list them.
    pub const ALL: [Op; 5] = [Op::Read, Op::Write, Op::Payment, Op::Job, Op::Purchase];

    /// The operation's name as written in files.
    pub fn name(self) -> &'static str {
        match self {
            Op::Read => "read",
            Op::Write => "write",
            Op::Payment => "payment",
            Op::Job => "job",
            Op::Purchase => "purchase",
        }
    }
}

/// One entry of a client's request mix.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct MixEntry {
    /// What the request does.
    pub op: Op,
    /// Relative weight.
    pub weight: f64,
}

/// How a client population sends requests.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClientSpec {
    /// Mean new requests per second across the population.
    pub rate_per_sec: f64,
    /// How arrivals are spaced.
    pub arrival: Arrival,
    /// If set, the rate moves linearly to this value over `ramp_s` seconds from the start.
    pub ramp_to_per_sec: Option<f64>,
    /// Length of the ramp in seconds.
    pub ramp_s: f64,
    /// What requests do, by weight (default: all reads).
    pub mix: Vec<MixEntry>,
    /// Distinct users in the population (sessions for read-your-writes; rate-limit buckets).
    pub users: u32,
    /// Size of the key space requests touch.
    pub keys: u32,
    /// Zipf exponent of key popularity (0: uniform; 1: a few keys are very hot).
    pub key_skew: f64,
    /// How long a client waits for an answer before giving up on an attempt (None: forever).
    pub timeout_ms: Option<f64>,
    /// Retry behaviour.
    pub retry: RetryPolicy,
    /// Whether every attempt of a request carries the same idempotency key.
    pub idempotency_keys: bool,
    /// The response format version this client understands (None: any).
    pub accepts_contract: Option<u32>,
    /// Share of requests a user sends twice (a double click): the second a moment after the
    /// first, for the same thing and with the same idempotency key.
    pub double_submit: f64,
    /// Share of successful answers lost on the way back (a phone losing its signal): the work
    /// was done, but the user sees an error and tries again.
    pub reply_loss: f64,
}

/// When and how often a failed attempt is tried again.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct RetryPolicy {
    /// Total attempts per request, first included (1: no retries).
    pub max_attempts: u32,
    /// Wait before the first retry; doubled for each later one.
    pub backoff_ms: f64,
    /// Random spread of the wait.
    pub jitter: Jitter,
    /// If set, retries may add at most this share of the original requests (e.g. 0.1 = 10%).
    pub budget_ratio: Option<f64>,
}

/// Randomisation of retry waits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Jitter {
    /// The exact backoff.
    #[default]
    None,
    /// Uniform between zero and the backoff.
    Full,
    /// Half the backoff plus a uniform share of the other half.
    Equal,
}

/// Arrival processes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Arrival {
    /// Exponential gaps: a Poisson process.
    #[default]
    Poisson,
    /// Equal gaps.
    Constant,
}

/// How a load balancer picks a target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Balance {
    /// Each target in turn.
    #[default]
    RoundRobin,
    /// The target with the fewest requests in flight.
    LeastConnections,
    /// A uniformly random target.
    Random,
}

/// A load balancer's settings.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LoadBalancerSpec {
    /// Target selection.
    pub policy: Balance,
    /// Whether health checks take crashed targets out of rotation.
    pub health_checks: bool,
}

/// Idempotency-key handling in a service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum IdempotencyMode {
    /// Every attempt is treated as new.
    #[default]
    Off,
    /// Looks up the key, but records it only after the work completes: a retry that arrives
    /// while the first attempt is still in flight runs again.
    CheckAfterCompletion,
    /// Reserves the key atomically before working: a concurrent retry is told to come back.
    AtomicReserve,
}

/// Read-modify-write protection for purchases.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Concurrency {
    /// Read, then write back blindly: concurrent buyers overwrite each other.
    #[default]
    None,
    /// Write only if the version is unchanged; on a conflict, read again and retry.
    Optimistic,
    /// Lock the record from the read until the write.
    Lock,
    /// No read at all: one conditional update in the database (`stock = stock - 1 where
    /// stock > 0`), which cannot lose an update or oversell.
    Atomic,
}

/// Autoscaling of a service's or a worker pool's workers: every `interval_ms` the busy share of
/// the workers over the last interval is compared with `target_utilisation`; more workers are
/// ordered when it is above (they serve only after `warmup_ms`, as new instances boot), and
/// workers are let go when it is below, no sooner than `cooldown_ms` after the last change. The
/// count never leaves `min_workers..=max_workers`; the component's own count is where it starts.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct AutoscaleSpec {
    /// Fewest workers.
    pub min_workers: u32,
    /// Most workers.
    pub max_workers: u32,
    /// The busy share of the workers to aim for (0 to 1).
    pub target_utilisation: f64,
    /// How often the load is measured and the count decided.
    pub interval_ms: f64,
    /// How long a new worker takes before it serves.
    pub warmup_ms: f64,
    /// How long after the last change workers may be let go.
    pub cooldown_ms: f64,
}

/// A circuit breaker on a service's downstream calls.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct BreakerSpec {
    /// Share of failed calls, over the last `window_calls`, that opens the circuit.
    pub failure_ratio: f64,
    /// How many recent calls the ratio is taken over.
    pub window_calls: u32,
    /// How long the circuit stays open before one trial call is let through.
    pub open_ms: f64,
}

/// A service's capacity and behaviour.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ServiceSpec {
    /// Requests handled at once.
    pub workers: u32,
    /// Waiting requests beyond which new ones are shed (None: unbounded).
    pub queue_capacity: Option<u32>,
    /// Time a worker spends on one request, besides waiting on downstreams.
    pub service_time: Dist,
    /// Chance that handling a request fails with an error.
    pub error_probability: f64,
    /// How long this service waits for each downstream call (None: forever).
    pub call_timeout_ms: Option<f64>,
    /// Circuit breaker on downstream calls (None: no breaker).
    pub circuit_breaker: Option<BreakerSpec>,
    /// Idempotency-key handling.
    pub idempotency: IdempotencyMode,
    /// How long an idempotency record is kept.
    pub idempotency_ttl_ms: f64,
    /// Whether the calls it makes carry on the idempotency key of the request they serve (off:
    /// a downstream sees every call as new).
    pub forward_keys: bool,
    /// Response format version this service produces.
    pub contract: u32,
    /// Whether callers pinned to an older format keep getting it (versioned contract).
    pub versioned_contract: bool,
    /// Response format version this service understands from its downstreams (None: any).
    pub accepts_contract: Option<u32>,
    /// Read-modify-write protection for purchases.
    pub concurrency: Concurrency,
    /// Read-your-writes: after a user writes, route that user's reads to the primary for this long.
    pub read_your_writes_ms: Option<f64>,
    /// Route every read to the primary (strong reads) instead of replicas or caches.
    pub strong_reads: bool,
    /// Add and remove workers with the load (None: a fixed count).
    pub autoscale: Option<AutoscaleSpec>,
}

/// What a rate limiter does with a request over the limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LimitAction {
    /// Answer 429 at once.
    #[default]
    Reject,
    /// Hold it until a token is free (up to `max_delay_ms`), then pass it on.
    Delay,
}

/// Who shares a token bucket.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LimitScope {
    /// One bucket for everyone.
    #[default]
    Global,
    /// One bucket per user.
    PerUser,
}

/// A token-bucket rate limiter.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RateLimiterSpec {
    /// Tokens added per second (per bucket).
    pub rate_per_sec: f64,
    /// Bucket size: the largest burst let through at once.
    pub burst: f64,
    /// One bucket for all, or one per user.
    pub scope: LimitScope,
    /// Reject or delay what is over the limit.
    pub action: LimitAction,
    /// With `delay`, the longest a request may be held before it is rejected after all.
    pub max_delay_ms: f64,
}

/// A cache in front of a data store.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CacheSpec {
    /// Entries kept; the least recently used is evicted beyond this.
    pub capacity: u32,
    /// How long an entry is served before it must be fetched again.
    pub ttl_ms: f64,
    /// Time to answer a hit.
    pub hit_ms: f64,
    /// Whether a write deletes the cached entry (otherwise it is served stale until its TTL).
    pub invalidate_on_write: bool,
}

/// The primary database.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DatabaseSpec {
    /// Connections: queries run at once.
    pub pool_size: u32,
    /// Queries waiting for a connection beyond which new ones fail (None: unbounded).
    pub queue_capacity: Option<u32>,
    /// Cost of one read with the index in place.
    pub read_time: Dist,
    /// Cost of one write.
    pub write_time: Dist,
    /// Whether the index that makes reads cheap exists.
    pub indexed: bool,
    /// How many times slower a read is without the index.
    pub no_index_factor: f64,
    /// Items in stock per key at the start (for purchases).
    pub stock_per_key: u32,
}

/// A read replica.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReplicaSpec {
    /// Connections: queries run at once.
    pub pool_size: u32,
    /// Cost of one read.
    pub read_time: Dist,
    /// Delay between a write committing on the primary and it showing here.
    pub lag: Dist,
}

/// A message broker.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QueueSpec {
    /// Messages held at most; new ones are refused beyond this (None: unbounded).
    pub capacity: Option<u32>,
    /// How long a delivered message stays hidden; unacknowledged by then, it is delivered again.
    pub visibility_timeout_ms: f64,
    /// Deliveries of a message before it is dead-lettered (or dropped without a DLQ).
    pub max_deliveries: u32,
    /// Wait before a failed message is delivered again, doubled each time.
    pub retry_backoff_ms: f64,
}

/// A pool of background workers.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WorkersSpec {
    /// Jobs processed at once.
    pub concurrency: u32,
    /// Time one job takes, besides its downstream calls.
    pub job_time: Dist,
    /// Chance a job fails when the pool is idle.
    pub failure_probability: f64,
    /// Extra failure chance at full utilisation (rises linearly with the pool's busy share).
    pub failure_under_load: f64,
    /// Share of messages that are poison: they fail on every attempt.
    pub poison_probability: f64,
    /// Whether a job records that it ran, so a redelivered copy does not repeat its effect.
    pub idempotent: bool,
    /// How long a job waits on each downstream call.
    pub call_timeout_ms: Option<f64>,
    /// Add and remove workers with the backlog's load (None: a fixed count).
    pub autoscale: Option<AutoscaleSpec>,
}

/// A dead-letter queue: keeps what failed for a person to look at.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct DeadLetterSpec {}

/// An external provider of side effects.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProviderSpec {
    /// Calls handled at once.
    pub concurrency: u32,
    /// Time to answer a call.
    pub latency: Dist,
    /// Chance a call fails (before any effect happens).
    pub failure_probability: f64,
    /// How long it remembers an idempotency key a call carries (None: it honours no keys, every
    /// call is new). A call with a key it has seen gets the first call's answer without a second
    /// effect; one that comes while the first is still running is refused as a conflict.
    pub key_ttl_ms: Option<f64>,
}

/// A distribution of durations in milliseconds.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(tag = "dist", rename_all = "snake_case", deny_unknown_fields)]
pub enum Dist {
    /// Always the same.
    Constant {
        /// The duration.
        ms: f64,
    },
    /// Exponential with this mean.
    Exponential {
        /// The mean.
        mean_ms: f64,
    },
    /// Log-normal with this median; `sigma` sets the tail (1.0 is a heavy one).
    Lognormal {
        /// The median.
        median_ms: f64,
        /// Standard deviation of the underlying normal.
        sigma: f64,
    },
}

impl Dist {
    /// The mean duration in milliseconds.
    pub fn mean_ms(&self) -> f64 {
        match *self {
            Dist::Constant { ms } => ms,
            Dist::Exponential { mean_ms } => mean_ms,
            Dist::Lognormal { median_ms, sigma } => median_ms * libm::exp(sigma * sigma / 2.0),
        }
    }
}

/// How a caller treats a wire's calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum WireMode {
    /// The caller waits for the answer, holding its worker.
    #[default]
    Sync,
    /// The caller hands the request over and moves on without waiting (fire and forget).
    Async,
}

/// A directed connection between two components.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Wire {
    /// Id of the sender.
    pub from: String,
    /// Id of the receiver.
    pub to: String,
    /// Whether the sender waits for answers.
    pub mode: WireMode,
    /// Which operations travel this wire (empty: all).
    pub ops: Vec<Op>,
    /// Whether the caller carries on without the answer when this call fails, times out or is
    /// cut short by a circuit breaker (a fallback: the page renders without recommendations).
    #[serde(skip_serializing_if = "is_false")]
    pub optional: bool,
}

/// Something that goes wrong for a while.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Fault {
    /// When it starts, in simulated seconds.
    pub at_s: f64,
    /// How long it lasts (None: to the end of the run).
    pub duration_s: Option<f64>,
    /// What happens.
    pub fault: FaultKind,
}

/// Kinds of fault.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum FaultKind {
    /// A client population sends `multiplier` times its rate.
    TrafficSpike {
        /// The client.
        target: String,
        /// Rate multiplier.
        multiplier: f64,
    },
    /// The component stops: work in progress is lost, new requests are refused.
    Crash {
        /// The component.
        target: String,
    },
    /// Every request takes this much longer at the component.
    Latency {
        /// The component.
        target: String,
        /// Added time.
        add_ms: f64,
    },
    /// Requests fail with this extra probability.
    Errors {
        /// The component.
        target: String,
        /// Added failure chance.
        probability: f64,
    },
    /// Calls across the wire are lost (no answer ever comes).
    Partition {
        /// Sender id.
        from: String,
        /// Receiver id.
        to: String,
    },
    /// Replication to a replica takes `multiplier` times longer.
    ReplicationLag {
        /// The replica.
        target: String,
        /// Lag multiplier.
        multiplier: f64,
    },
    /// The component starts producing responses in a new format version.
    ContractChange {
        /// The component.
        target: String,
        /// The new version.
        contract: u32,
    },
    /// The database loses its index: reads become slow.
    SlowQuery {
        /// The database.
        target: String,
    },
}

/// The kinds of fault as written in files, in the order menus list them.
pub const FAULT_KINDS: [&str; 8] = [
    "traffic_spike",
    "crash",
    "latency",
    "errors",
    "partition",
    "replication_lag",
    "contract_change",
    "slow_query",
];

impl FaultKind {
    /// The kind's name as written in files.
    pub fn kind_name(&self) -> &'static str {
        match self {
            FaultKind::TrafficSpike { .. } => "traffic_spike",
            FaultKind::Crash { .. } => "crash",
            FaultKind::Latency { .. } => "latency",
            FaultKind::Errors { .. } => "errors",
            FaultKind::Partition { .. } => "partition",
            FaultKind::ReplicationLag { .. } => "replication_lag",
            FaultKind::ContractChange { .. } => "contract_change",
            FaultKind::SlowQuery { .. } => "slow_query",
        }
    }
}

/// A measurable quantity a goal can test.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum GoalMetric {
    /// 50th percentile latency in ms of requests finished at the component.
    P50Ms,
    /// 95th percentile latency in ms.
    P95Ms,
    /// 99th percentile latency in ms.
    P99Ms,
    /// Share of finished requests that succeeded (0 to 1); at a client, of logical requests.
    SuccessRatio,
    /// Successful completions per second.
    GoodputPerSec,
    /// Side effects beyond the first for the same logical key.
    Duplicates,
    /// Reads that returned an older version than the user's own last write.
    StaleReads,
    /// Writes that overwrote a change they never saw.
    LostUpdates,
    /// Items sold beyond the stock.
    Oversold,
    /// Jobs lost without a trace (neither delivered nor dead-lettered).
    JobsLost,
    /// Jobs given up on and moved to a dead-letter queue (not delivered, but not lost).
    DeadLettered,
    /// Requests answered as a success while the work they stand for did not happen: optional
    /// calls the caller carried on without (fallbacks), fire-and-forget hand-offs that failed
    /// or were lost, and answers a tolerant reader read in a format it was not written for
    /// (misreads). Summed over every component when the goal names none.
    Unfulfilled,
    /// Jobs accepted by a queue and not yet resolved (delivered, dead-lettered or lost): still
    /// waiting, being worked on or backing off. Always the whole system; at the end of a run,
    /// work that was promised and never done.
    JobsUnresolved,
    /// Answers read without an error in a format the reader was not written for (a tolerant
    /// reader after its callee's format changed): data read wrong, silently.
    Misreads,
    /// Mean share of worker time busy (0 to 1).
    Utilisation,
    /// Largest waiting line.
    MaxQueueDepth,
    /// Waiting line at the end of the interval.
    QueueDepthAtEnd,
    /// Components (other than clients) with errors or timeouts in the interval.
    ComponentsInError,
    /// The most the capacity cost per hour (workers, pools, cache entries, at the registry's
    /// prices) reached during the interval.
    CostPerHour,
}

/// How a measured value is compared with the target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Comparison {
    /// At most the target.
    #[serde(rename = "<=")]
    AtMost,
    /// At least the target.
    #[serde(rename = ">=")]
    AtLeast,
}

/// A lesson goal: a metric of a component over an interval, compared with a target.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Goal {
    /// Words for the learner (e.g. "Nobody is charged twice").
    pub label: String,
    /// The component measured (None: the whole system, where the metric allows).
    pub component: Option<String>,
    /// What is measured.
    pub metric: GoalMetric,
    /// How it is compared.
    pub compare: Comparison,
    /// The target.
    pub target: f64,
    /// Start of the interval, in simulated seconds.
    pub from_s: f64,
    /// End of the interval (None: the end of the run).
    pub to_s: Option<f64>,
}

impl Scenario {
    /// Parses the canonical JSON form, naming the line and column of a syntax error and the
    /// path (`components[2].spec.workers`) of a missing, unknown or mistyped field.
    pub fn from_json(text: &str) -> Result<Scenario, crate::ScenarioError> {
        crate::reader::scenario(text).map_err(Into::into)
    }

    /// The canonical JSON form, pretty-printed.
    pub fn to_json(&self) -> String {
        // Serialising plain data with string keys cannot fail.
        serde_json::to_string_pretty(self).unwrap_or_default()
    }
}
