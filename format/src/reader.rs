//! Reading scenario files: JSON text, parsed once into a `serde_json::Value` tree, then walked by
//! hand into the [`crate::scenario`] types.
//!
//! This is the format's one reader; a component spec's defaults come from the registry of kinds
//! (`crate::kinds`), the top level's are written here. The scenario
//! types derive serde's `Serialize` (to write files) but not `Deserialize`. Why by hand: serde's
//! derived `Deserialize` for the scenario's thirty-odd types (three of them internally tagged
//! enums, which buffer and re-read every field) weighed about 40 KB of the gzipped browser
//! bundle; this reader is a few KB, and its messages name the place by path
//! (`components[2].spec.workers`), which reads better to a learner than a line and column. A test
//! in `engine/tests/fuzz.rs` writes back everything it reads from thousands of generated and
//! damaged files and reads it again, so writer and reader cannot drift apart.
//!
//! Everything a file holds is untrusted: every failure is a sentence, never a panic.

use crate::kinds::{Need, Slot, AUTOSCALE, BREAKER, MIX, RETRY};
use crate::scenario::*;
use crate::topology::ScenarioError;
use serde_json::{Map, Value};
use std::cell::RefCell;

/// A type read from a JSON value found at `at` (a path such as `components[2].spec`).
pub(crate) trait Read: Sized {
    fn read(v: &Value, at: &str) -> Result<Self, Fail>;
}

/// Parses a whole scenario file.
pub(crate) fn scenario(text: &str) -> Result<Scenario, Fail> {
    let tree: Value = serde_json::from_str(text).map_err(not_json)?;
    Scenario::read(&tree, "")
}

/// Parses one component spec (`{"kind": ..., ...}`).
pub(crate) fn component_spec(text: &str) -> Result<ComponentSpec, Fail> {
    let tree: Value = serde_json::from_str(text).map_err(not_json)?;
    component_spec_tree(&tree)
}

/// Reads one component spec already parsed.
pub(crate) fn component_spec_tree(tree: &Value) -> Result<ComponentSpec, Fail> {
    ComponentSpec::read(tree, "")
}

/// `at` followed by `key`, as a path.
fn join(at: &str, key: &str) -> String {
    if at.is_empty() {
        key.to_string()
    } else {
        format!("{at}.{key}")
    }
}

/// What stopped the reader: where (a path) and why.
#[derive(Debug, PartialEq)]
pub(crate) struct Fail {
    at: String,
    message: String,
}

impl From<Fail> for ScenarioError {
    fn from(f: Fail) -> ScenarioError {
        ScenarioError::unreadable(f.at, f.message)
    }
}

/// Text that is not JSON: the parser's message gives the line and column.
fn not_json(e: serde_json::Error) -> Fail {
    Fail {
        at: String::new(),
        message: e.to_string(),
    }
}

/// Stops the reader at `at` (empty: the top) saying `message`.
fn fail<T>(at: &str, message: String) -> Result<T, Fail> {
    Err(Fail {
        at: at.to_string(),
        message,
    })
}

/// What a JSON value is, in words, for messages.
fn what(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => format!("{b}"),
        Value::Number(n) => format!("the number {n}"),
        Value::String(s) => format!("the text \"{s}\""),
        Value::Array(_) => "a list".into(),
        Value::Object(_) => "an object".into(),
    }
}

/// A JSON object being read: hands out fields and, at the end, refuses any it was not asked for.
struct Obj<'a> {
    map: &'a Map<String, Value>,
    at: &'a str,
    asked: RefCell<Vec<&'static str>>,
}

impl<'a> Obj<'a> {
    fn new(v: &'a Value, at: &'a str) -> Result<Obj<'a>, Fail> {
        match v {
            Value::Object(map) => Ok(Obj {
                map,
                at,
                asked: RefCell::new(Vec::new()),
            }),
            other => fail(at, format!("expected an object, found {}", what(other))),
        }
    }

    fn get(&self, key: &'static str) -> Option<&'a Value> {
        self.asked.borrow_mut().push(key);
        self.map.get(key)
    }

    /// A field that must be present.
    fn req<T: Read>(&self, key: &'static str) -> Result<T, Fail> {
        match self.get(key) {
            Some(v) => T::read(v, &join(self.at, key)),
            None => fail(self.at, format!("missing field `{key}`")),
        }
    }

    /// A field that may be left out, taking `default` then.
    fn or<T: Read>(&self, key: &'static str, default: T) -> Result<T, Fail> {
        match self.get(key) {
            Some(v) => T::read(v, &join(self.at, key)),
            None => Ok(default),
        }
    }

    /// A field that may be left out, taking its type's default then.
    fn opt<T: Read + Default>(&self, key: &'static str) -> Result<T, Fail> {
        self.or(key, T::default())
    }

    /// A field as the registry of kinds has it in `slots` (a kind's, or a nested object's): one
    /// the file must write, one that takes the registry's default when left out, or one that is
    /// off (`null`) when left out.
    fn slot<T: Read>(&self, slots: &[Slot], key: &'static str) -> Result<T, Fail> {
        let need = slots.iter().find(|s| s.name == key).map(|s| s.need);
        let at = join(self.at, key);
        match (self.get(key), need) {
            // The reader asks only for the registry's fields; a test reads every kind's example.
            (_, None) => fail(&at, "is not in the registry of kinds".to_string()),
            (Some(v), _) => T::read(v, &at),
            (None, Some(Need::Required)) => fail(self.at, format!("missing field `{key}`")),
            (None, Some(Need::Default(text))) => match serde_json::from_str::<Value>(text) {
                Ok(v) => T::read(&v, &at),
                Err(e) => fail(
                    &at,
                    format!("the registry's default {text:?} is not JSON: {e}"),
                ),
            },
            (None, Some(Need::Off)) => T::read(&Value::Null, &at),
        }
    }

    /// Refuses fields nobody asked for (a misspelt field should not be silently ignored).
    fn done<T>(self, value: T) -> Result<T, Fail> {
        let asked = self.asked.borrow();
        match self.map.keys().find(|k| !asked.contains(&k.as_str())) {
            None => Ok(value),
            Some(k) => {
                let known: Vec<String> = asked.iter().map(|a| format!("`{a}`")).collect();
                fail(
                    self.at,
                    format!("unknown field `{k}`, expected one of {}", known.join(", ")),
                )
            }
        }
    }

    /// The tag of an internally tagged object (`kind`, `dist`), checked against `names`.
    fn tag(&self, key: &'static str, names: &[&str]) -> Result<&'a str, Fail> {
        let at = join(self.at, key);
        match self.get(key) {
            None => fail(self.at, format!("missing field `{key}`")),
            Some(Value::String(s)) if names.contains(&s.as_str()) => Ok(s),
            Some(Value::String(s)) => fail(&at, unknown_word(s, names)),
            Some(other) => fail(&at, format!("expected a word, found {}", what(other))),
        }
    }
}

fn unknown_word(s: &str, names: &[&str]) -> String {
    let known: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    format!(
        "unknown variant `{s}`, expected one of {}",
        known.join(", ")
    )
}

impl Read for f64 {
    fn read(v: &Value, at: &str) -> Result<f64, Fail> {
        match v.as_f64() {
            Some(x) => Ok(x),
            None => fail(at, format!("expected a number, found {}", what(v))),
        }
    }
}

impl Read for u64 {
    fn read(v: &Value, at: &str) -> Result<u64, Fail> {
        match v.as_u64() {
            Some(x) => Ok(x),
            None => fail(
                at,
                format!("expected a whole number, 0 or more, found {}", what(v)),
            ),
        }
    }
}

impl Read for u32 {
    fn read(v: &Value, at: &str) -> Result<u32, Fail> {
        match v.as_u64().map(u32::try_from) {
            Some(Ok(x)) => Ok(x),
            Some(Err(_)) => fail(at, format!("{} is too large", what(v))),
            None => fail(
                at,
                format!("expected a whole number, 0 or more, found {}", what(v)),
            ),
        }
    }
}

impl Read for bool {
    fn read(v: &Value, at: &str) -> Result<bool, Fail> {
        match v {
            Value::Bool(b) => Ok(*b),
            other => fail(at, format!("expected true or false, found {}", what(other))),
        }
    }
}

impl Read for String {
    fn read(v: &Value, at: &str) -> Result<String, Fail> {
        match v {
            Value::String(s) => Ok(s.clone()),
            other => fail(at, format!("expected a text, found {}", what(other))),
        }
    }
}

impl<T: Read> Read for Option<T> {
    fn read(v: &Value, at: &str) -> Result<Option<T>, Fail> {
        match v {
            Value::Null => Ok(None),
            other => T::read(other, at).map(Some),
        }
    }
}

impl<T: Read> Read for Vec<T> {
    fn read(v: &Value, at: &str) -> Result<Vec<T>, Fail> {
        match v {
            Value::Array(items) => items
                .iter()
                .enumerate()
                .map(|(i, item)| T::read(item, &format!("{at}[{i}]")))
                .collect(),
            other => fail(at, format!("expected a list, found {}", what(other))),
        }
    }
}

/// Enums written as one word each.
macro_rules! words {
    ($($ty:ident { $($variant:ident = $word:literal),+ $(,)? })+) => {$(
        impl $ty {
            /// The words a file writes for this, in order.
            pub const WORDS: &'static [&'static str] = &[$($word),+];
        }

        impl Read for $ty {
            fn read(v: &Value, at: &str) -> Result<$ty, Fail> {
                match v.as_str() {
                    $(Some($word) => Ok($ty::$variant),)+
                    Some(s) => fail(at, unknown_word(s, $ty::WORDS)),
                    None => fail(at, format!("expected a word, found {}", what(v))),
                }
            }
        }
    )+};
}

words! {
    Op { Read = "read", Write = "write", Payment = "payment", Job = "job", Purchase = "purchase" }
    Jitter { None = "none", Full = "full", Equal = "equal" }
    Arrival { Poisson = "poisson", Constant = "constant" }
    Balance { RoundRobin = "round_robin", LeastConnections = "least_connections", Random = "random" }
    IdempotencyMode {
        Off = "off",
        CheckAfterCompletion = "check_after_completion",
        AtomicReserve = "atomic_reserve",
    }
    Concurrency { None = "none", Optimistic = "optimistic", Lock = "lock", Atomic = "atomic" }
    LimitAction { Reject = "reject", Delay = "delay" }
    LimitScope { Global = "global", PerUser = "per_user" }
    WireMode { Sync = "sync", Async = "async" }
    GoalMetric {
        P50Ms = "p50_ms",
        P95Ms = "p95_ms",
        P99Ms = "p99_ms",
        SuccessRatio = "success_ratio",
        GoodputPerSec = "goodput_per_sec",
        Duplicates = "duplicates",
        StaleReads = "stale_reads",
        LostUpdates = "lost_updates",
        Oversold = "oversold",
        JobsLost = "jobs_lost",
        DeadLettered = "dead_lettered",
        Unfulfilled = "unfulfilled",
        JobsUnresolved = "jobs_unresolved",
        Misreads = "misreads",
        Utilisation = "utilisation",
        MaxQueueDepth = "max_queue_depth",
        QueueDepthAtEnd = "queue_depth_at_end",
        ComponentsInError = "components_in_error",
        CostPerHour = "cost_per_hour",
    }
    Comparison { AtMost = "<=", AtLeast = ">=" }
}

impl Read for Scenario {
    fn read(v: &Value, at: &str) -> Result<Scenario, Fail> {
        let o = Obj::new(v, at)?;
        // The version first: a newer file may hold fields this build has never heard of, and
        // "made by a newer version" is the useful thing to say about it.
        let version: u32 = o.req("version")?;
        if version != SCENARIO_VERSION {
            return fail(
                at,
                format!(
                    "this build reads scenario version {SCENARIO_VERSION}, the file says {version}"
                ),
            );
        }
        // An editor's pointer to the JSON Schema (`schema/scenario.schema.json`): read and
        // ignored, as it says nothing about the world.
        let _: Option<String> = o.opt("$schema")?;
        let s = Scenario {
            version,
            name: o.opt("name")?,
            seed: o.opt("seed")?,
            duration_s: o.req("duration_s")?,
            window_ms: o.or("window_ms", default_window_ms())?,
            trace_every: o.or("trace_every", default_trace_every())?,
            access_log_every: o.or("access_log_every", default_log_every())?,
            components: o.req("components")?,
            wires: o.opt("wires")?,
            faults: o.opt("faults")?,
            goals: o.opt("goals")?,
            locked: o.opt("locked")?,
        };
        o.done(s)
    }
}

impl Read for Component {
    fn read(v: &Value, at: &str) -> Result<Component, Fail> {
        let o = Obj::new(v, at)?;
        let c = Component {
            id: o.req("id")?,
            name: o.opt("name")?,
            x: o.opt("x")?,
            y: o.opt("y")?,
            spec: o.req("spec")?,
        };
        o.done(c)
    }
}

impl Read for ComponentSpec {
    fn read(v: &Value, at: &str) -> Result<ComponentSpec, Fail> {
        let o = Obj::new(v, at)?;
        let kind = o.tag("kind", &KINDS)?;
        let f = crate::kinds::kind(kind).map_or(&[][..], |k| k.fields);
        let spec = match kind {
            "client" => ComponentSpec::Client(ClientSpec {
                rate_per_sec: o.slot(f, "rate_per_sec")?,
                arrival: o.slot(f, "arrival")?,
                ramp_to_per_sec: o.slot(f, "ramp_to_per_sec")?,
                ramp_s: o.slot(f, "ramp_s")?,
                mix: o.slot(f, "mix")?,
                users: o.slot(f, "users")?,
                keys: o.slot(f, "keys")?,
                key_skew: o.slot(f, "key_skew")?,
                timeout_ms: o.slot(f, "timeout_ms")?,
                retry: o.slot(f, "retry")?,
                idempotency_keys: o.slot(f, "idempotency_keys")?,
                accepts_contract: o.slot(f, "accepts_contract")?,
                double_submit: o.slot(f, "double_submit")?,
                reply_loss: o.slot(f, "reply_loss")?,
            }),
            "load_balancer" => ComponentSpec::LoadBalancer(LoadBalancerSpec {
                policy: o.slot(f, "policy")?,
                health_checks: o.slot(f, "health_checks")?,
            }),
            "service" => ComponentSpec::Service(ServiceSpec {
                workers: o.slot(f, "workers")?,
                queue_capacity: o.slot(f, "queue_capacity")?,
                service_time: o.slot(f, "service_time")?,
                error_probability: o.slot(f, "error_probability")?,
                call_timeout_ms: o.slot(f, "call_timeout_ms")?,
                circuit_breaker: o.slot(f, "circuit_breaker")?,
                idempotency: o.slot(f, "idempotency")?,
                idempotency_ttl_ms: o.slot(f, "idempotency_ttl_ms")?,
                forward_keys: o.slot(f, "forward_keys")?,
                contract: o.slot(f, "contract")?,
                versioned_contract: o.slot(f, "versioned_contract")?,
                accepts_contract: o.slot(f, "accepts_contract")?,
                concurrency: o.slot(f, "concurrency")?,
                read_your_writes_ms: o.slot(f, "read_your_writes_ms")?,
                strong_reads: o.slot(f, "strong_reads")?,
                autoscale: o.slot(f, "autoscale")?,
            }),
            "rate_limiter" => ComponentSpec::RateLimiter(RateLimiterSpec {
                rate_per_sec: o.slot(f, "rate_per_sec")?,
                burst: o.slot(f, "burst")?,
                scope: o.slot(f, "scope")?,
                action: o.slot(f, "action")?,
                max_delay_ms: o.slot(f, "max_delay_ms")?,
            }),
            "cache" => ComponentSpec::Cache(CacheSpec {
                capacity: o.slot(f, "capacity")?,
                ttl_ms: o.slot(f, "ttl_ms")?,
                hit_ms: o.slot(f, "hit_ms")?,
                invalidate_on_write: o.slot(f, "invalidate_on_write")?,
            }),
            "database" => ComponentSpec::Database(DatabaseSpec {
                pool_size: o.slot(f, "pool_size")?,
                queue_capacity: o.slot(f, "queue_capacity")?,
                read_time: o.slot(f, "read_time")?,
                write_time: o.slot(f, "write_time")?,
                indexed: o.slot(f, "indexed")?,
                no_index_factor: o.slot(f, "no_index_factor")?,
                stock_per_key: o.slot(f, "stock_per_key")?,
            }),
            "replica" => ComponentSpec::Replica(ReplicaSpec {
                pool_size: o.slot(f, "pool_size")?,
                read_time: o.slot(f, "read_time")?,
                lag: o.slot(f, "lag")?,
            }),
            "queue" => ComponentSpec::Queue(QueueSpec {
                capacity: o.slot(f, "capacity")?,
                visibility_timeout_ms: o.slot(f, "visibility_timeout_ms")?,
                max_deliveries: o.slot(f, "max_deliveries")?,
                retry_backoff_ms: o.slot(f, "retry_backoff_ms")?,
            }),
            "workers" => ComponentSpec::Workers(WorkersSpec {
                concurrency: o.slot(f, "concurrency")?,
                job_time: o.slot(f, "job_time")?,
                failure_probability: o.slot(f, "failure_probability")?,
                failure_under_load: o.slot(f, "failure_under_load")?,
                poison_probability: o.slot(f, "poison_probability")?,
                idempotent: o.slot(f, "idempotent")?,
                call_timeout_ms: o.slot(f, "call_timeout_ms")?,
                autoscale: o.slot(f, "autoscale")?,
            }),
            "dead_letter" => ComponentSpec::DeadLetter(DeadLetterSpec {}),
            _ => ComponentSpec::Provider(ProviderSpec {
                concurrency: o.slot(f, "concurrency")?,
                latency: o.slot(f, "latency")?,
                failure_probability: o.slot(f, "failure_probability")?,
                key_ttl_ms: o.slot(f, "key_ttl_ms")?,
            }),
        };
        o.done(spec)
    }
}

impl Read for MixEntry {
    fn read(v: &Value, at: &str) -> Result<MixEntry, Fail> {
        let o = Obj::new(v, at)?;
        let m = MixEntry {
            op: o.slot(MIX, "op")?,
            weight: o.slot(MIX, "weight")?,
        };
        o.done(m)
    }
}

impl Read for RetryPolicy {
    fn read(v: &Value, at: &str) -> Result<RetryPolicy, Fail> {
        let o = Obj::new(v, at)?;
        let r = RetryPolicy {
            max_attempts: o.slot(RETRY, "max_attempts")?,
            backoff_ms: o.slot(RETRY, "backoff_ms")?,
            jitter: o.slot(RETRY, "jitter")?,
            budget_ratio: o.slot(RETRY, "budget_ratio")?,
        };
        o.done(r)
    }
}

impl Read for AutoscaleSpec {
    fn read(v: &Value, at: &str) -> Result<AutoscaleSpec, Fail> {
        let o = Obj::new(v, at)?;
        let a = AutoscaleSpec {
            min_workers: o.slot(AUTOSCALE, "min_workers")?,
            max_workers: o.slot(AUTOSCALE, "max_workers")?,
            target_utilisation: o.slot(AUTOSCALE, "target_utilisation")?,
            interval_ms: o.slot(AUTOSCALE, "interval_ms")?,
            warmup_ms: o.slot(AUTOSCALE, "warmup_ms")?,
            cooldown_ms: o.slot(AUTOSCALE, "cooldown_ms")?,
        };
        o.done(a)
    }
}

impl Read for BreakerSpec {
    fn read(v: &Value, at: &str) -> Result<BreakerSpec, Fail> {
        let o = Obj::new(v, at)?;
        let b = BreakerSpec {
            failure_ratio: o.slot(BREAKER, "failure_ratio")?,
            window_calls: o.slot(BREAKER, "window_calls")?,
            open_ms: o.slot(BREAKER, "open_ms")?,
        };
        o.done(b)
    }
}

impl Read for Dist {
    fn read(v: &Value, at: &str) -> Result<Dist, Fail> {
        let o = Obj::new(v, at)?;
        let d = match o.tag("dist", &["constant", "exponential", "lognormal"])? {
            "constant" => Dist::Constant { ms: o.req("ms")? },
            "exponential" => Dist::Exponential {
                mean_ms: o.req("mean_ms")?,
            },
            _ => Dist::Lognormal {
                median_ms: o.req("median_ms")?,
                sigma: o.req("sigma")?,
            },
        };
        o.done(d)
    }
}

impl Read for Wire {
    fn read(v: &Value, at: &str) -> Result<Wire, Fail> {
        let o = Obj::new(v, at)?;
        let w = Wire {
            from: o.req("from")?,
            to: o.req("to")?,
            mode: o.opt("mode")?,
            ops: o.opt("ops")?,
            optional: o.opt("optional")?,
        };
        o.done(w)
    }
}

impl Read for Fault {
    fn read(v: &Value, at: &str) -> Result<Fault, Fail> {
        let o = Obj::new(v, at)?;
        let f = Fault {
            at_s: o.req("at_s")?,
            duration_s: o.opt("duration_s")?,
            fault: o.req("fault")?,
        };
        o.done(f)
    }
}

impl Read for FaultKind {
    fn read(v: &Value, at: &str) -> Result<FaultKind, Fail> {
        let o = Obj::new(v, at)?;
        let kind = o.tag("kind", &FAULT_KINDS)?;
        let f = match kind {
            "partition" => FaultKind::Partition {
                from: o.req("from")?,
                to: o.req("to")?,
            },
            _ => {
                let target = o.req("target")?;
                match kind {
                    "traffic_spike" => FaultKind::TrafficSpike {
                        target,
                        multiplier: o.req("multiplier")?,
                    },
                    "crash" => FaultKind::Crash { target },
                    "latency" => FaultKind::Latency {
                        target,
                        add_ms: o.req("add_ms")?,
                    },
                    "errors" => FaultKind::Errors {
                        target,
                        probability: o.req("probability")?,
                    },
                    "replication_lag" => FaultKind::ReplicationLag {
                        target,
                        multiplier: o.req("multiplier")?,
                    },
                    "contract_change" => FaultKind::ContractChange {
                        target,
                        contract: o.req("contract")?,
                    },
                    _ => FaultKind::SlowQuery { target },
                }
            }
        };
        o.done(f)
    }
}

/// The commands a running simulation takes, as `Command`'s writer spells them.
const COMMANDS: [&str; 7] = [
    "set_component",
    "set",
    "set_wire_mode",
    "set_wire_optional",
    "inject_fault",
    "end_fault",
    "rename",
];

/// Parses one command (`{"command": "set", "path": "api.workers", "value": 8}`).
pub(crate) fn command(text: &str) -> Result<crate::command::Command, Fail> {
    let tree: Value = serde_json::from_str(text).map_err(not_json)?;
    crate::command::Command::read(&tree, "")
}

impl Read for crate::command::Command {
    fn read(v: &Value, at: &str) -> Result<Self, Fail> {
        use crate::command::Command;
        let o = Obj::new(v, at)?;
        let c = match o.tag("command", &COMMANDS)? {
            "set_component" => Command::SetComponent {
                id: o.req("id")?,
                spec: o.req("spec")?,
            },
            "set" => Command::Set {
                path: o.req("path")?,
                value: o.req("value")?,
            },
            "set_wire_mode" => Command::SetWireMode {
                from: o.req("from")?,
                to: o.req("to")?,
                mode: o.req("mode")?,
            },
            "set_wire_optional" => Command::SetWireOptional {
                from: o.req("from")?,
                to: o.req("to")?,
                optional: o.req("optional")?,
            },
            "inject_fault" => Command::InjectFault(Fault {
                at_s: o.req("at_s")?,
                duration_s: o.opt("duration_s")?,
                fault: o.req("fault")?,
            }),
            "end_fault" => Command::EndFault {
                index: o.req::<u32>("index")? as usize,
            },
            _ => Command::Rename {
                id: o.req("id")?,
                name: o.req("name")?,
            },
        };
        o.done(c)
    }
}

impl Read for Goal {
    fn read(v: &Value, at: &str) -> Result<Goal, Fail> {
        let o = Obj::new(v, at)?;
        let g = Goal {
            label: o.req("label")?,
            component: o.opt("component")?,
            metric: o.req("metric")?,
            compare: o.req("compare")?,
            target: o.req("target")?,
            from_s: o.opt("from_s")?,
            to_s: o.opt("to_s")?,
        };
        o.done(g)
    }
}

impl Read for Lock {
    fn read(v: &Value, at: &str) -> Result<Lock, Fail> {
        let o = Obj::new(v, at)?;
        let lock = Lock {
            path: o.req("path")?,
            value: spec_as_written(o.req("value")?),
            why: o.opt("why")?,
        };
        o.done(lock)
    }
}

/// A lock's value that holds a whole component spec, as the writer writes that spec today: a
/// field added to the kind after the lock was written takes its default, so the lock still
/// holds a component that leaves the new field alone. Any other value is kept as it is (one
/// that is not a readable spec is compared as written, and breaks).
fn spec_as_written(value: Value) -> Value {
    if !value.get("kind").is_some_and(Value::is_string) {
        return value;
    }
    ComponentSpec::read(&value, "")
        .ok()
        .and_then(|spec| serde_json::from_str(&spec.to_json()).ok())
        .unwrap_or(value)
}

impl Read for Value {
    fn read(v: &Value, _at: &str) -> Result<Value, Fail> {
        Ok(v.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refusal(text: &str) -> String {
        ScenarioError::from(scenario(text).expect_err("refused")).to_string()
    }

    const CLIENT: &str = r#"{"id": "u", "spec": {"kind": "client", "rate_per_sec": 10}}"#;

    #[test]
    fn operation_names_read_back_as_themselves() {
        for op in Op::ALL {
            assert_eq!(Op::read(&Value::String(op.name().into()), ""), Ok(op));
        }
    }

    #[test]
    fn defaults_fill_what_a_file_leaves_out() {
        let s = scenario(&format!(
            r#"{{"version": 1, "duration_s": 5, "components": [{CLIENT}]}}"#
        ))
        .expect("reads");
        assert_eq!((s.window_ms, s.trace_every, s.seed), (100.0, 50, 0));
        let ComponentSpec::Client(c) = &s.components[0].spec else {
            panic!("a client")
        };
        let one_attempt = RetryPolicy {
            max_attempts: 1,
            backoff_ms: 0.0,
            jitter: Jitter::None,
            budget_ratio: None,
        };
        assert_eq!((c.users, c.keys, c.retry), (1_000, 1_000, one_attempt));
        assert_eq!(c.mix.len(), 1);
    }

    #[test]
    fn a_pointer_to_the_schema_is_read_and_ignored() {
        let with = |schema: &str| {
            scenario(&format!(
                r#"{{"$schema": {schema}, "version": 1, "duration_s": 5, "components": [{CLIENT}]}}"#
            ))
        };
        let plain = scenario(&format!(
            r#"{{"version": 1, "duration_s": 5, "components": [{CLIENT}]}}"#
        ));
        assert_eq!(with("\"../../schema/scenario.schema.json\""), plain);
        let refused = ScenarioError::from(with("3").expect_err("a number"));
        assert!(refused.to_string().contains("$schema: expected a text"));
    }

    #[test]
    fn messages_name_the_place_and_what_was_expected() {
        let file = |components: &str| {
            format!(r#"{{"version": 1, "duration_s": 5, "components": [{CLIENT}, {components}]}}"#)
        };
        assert_eq!(
            refusal(&file(r#"{"id": "s", "spec": {"kind": "service", "workers": "four", "service_time": {"dist": "constant", "ms": 1}}}"#)),
            "components[1].spec.workers: expected a whole number, 0 or more, found the text \"four\""
        );
        assert_eq!(
            refusal(&file(
                r#"{"id": "s", "spec": {"kind": "service", "workers": 2}}"#
            )),
            "components[1].spec: missing field `service_time`"
        );
        assert_eq!(
            refusal(&file(r#"{"id": "s", "spec": {"kind": "servise"}}"#)),
            "components[1].spec.kind: unknown variant `servise`, expected one of `client`, `load_balancer`, `rate_limiter`, `service`, `cache`, `database`, `replica`, `queue`, `workers`, `dead_letter`, `provider`"
        );
        let unknown = refusal(&file(
            r#"{"id": "d", "spec": {"kind": "dead_letter", "size": 3}}"#,
        ));
        assert!(
            unknown.starts_with("components[1].spec: unknown field `size`"),
            "{unknown}"
        );
        assert_eq!(
            refusal(&file(
                r#"{"id": "s", "spec": {"kind": "cache", "capacity": 4294967296, "ttl_ms": 1}}"#
            )),
            "components[1].spec.capacity: the number 4294967296 is too large"
        );
        assert_eq!(
            refusal(
                r#"{"version": 1, "duration_s": 5, "components": [], "faults": [{"at_s": 1, "fault": {"kind": "crash"}}]}"#
            ),
            "faults[0].fault: missing field `target`"
        );
        assert_eq!(refusal("[]"), "expected an object, found a list");
        assert_eq!(
            refusal(r#"{"version": 2, "duration_s": 5, "components": [], "new_in_v2": true}"#),
            "this build reads scenario version 1, the file says 2"
        );
        assert!(
            refusal("{\"version\": 1,").contains("line 1"),
            "syntax errors keep their place"
        );
    }
}
