//! The registry of component kinds: everything the app, the reader and the checks need to know
//! about each kind, as data, in one place. A kind's label, badge letter and description; which
//! kinds it may send to and the rule in words; which faults can target it; and, for every field
//! a spec can hold, its unit, a one-sentence help, the words it takes, what it holds when
//! switched on, and for a number the range the checks enforce (`topology` reads it from here). The palette, the inspector, the faults panel and the wire checks all read this;
//! adding a field to a kind means adding its line here, and nothing in the app.

/// What the registry knows about one component kind.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct KindInfo {
    /// The kind's name as written in files (`"load_balancer"`).
    pub name: &'static str,
    /// What the palette and the inspector call it.
    pub label: &'static str,
    /// The letters on its badge.
    pub letter: &'static str,
    /// One line on what it is.
    pub description: &'static str,
    /// The kinds it may send to (empty: it sends nothing).
    pub sends_to: &'static [&'static str],
    /// The rule behind `sends_to`, in words, for a refused wire.
    pub sends_rule: &'static str,
    /// Whether it needs exactly one outgoing wire.
    pub one_output: bool,
    /// The faults (as written in files) that can target it.
    pub faults: &'static [&'static str],
    /// What its capacity costs (None: nothing the designer pays for by the unit; a third
    /// party's capacity is the world's, not the designer's).
    pub price: Option<Price>,
    /// Fields whose meaning differs for this kind from the shared table.
    pub overrides: &'static [FieldInfo],
    /// Its fields, in the order files write them: required, defaulted or off when left out. The
    /// reader takes each default from here.
    pub fields: &'static [Slot],
    /// The spec a newly placed component of this kind gets (JSON; fields left out take their
    /// defaults).
    pub example: &'static str,
}

/// The price of a kind's capacity: so much per hour for each unit of one field. Invented but
/// proportioned like a cloud bill: a database connection costs several service workers, a
/// replica's connection half of a primary's, memory for a cache is cheap.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Price {
    /// The field that counts units of capacity (`workers`, `pool_size`, `capacity`).
    pub field: &'static str,
    /// Dollars per hour for `per` units.
    pub dollars_per_hour: f64,
    /// How many units that price buys (1, or 1,000 cache entries).
    pub per: f64,
    /// What one unit is called, for cards ("worker", "connection", "entry").
    pub unit: &'static str,
}

const WORKER_PRICE: Price = Price {
    field: "workers",
    dollars_per_hour: 0.05,
    per: 1.0,
    unit: "worker",
};
const POOL_PRICE: Price = Price {
    field: "concurrency",
    ..WORKER_PRICE
};
const CONNECTION_PRICE: Price = Price {
    field: "pool_size",
    dollars_per_hour: 0.40,
    per: 1.0,
    unit: "connection",
};
const REPLICA_PRICE: Price = Price {
    dollars_per_hour: 0.20,
    ..CONNECTION_PRICE
};
const CACHE_PRICE: Price = Price {
    field: "capacity",
    dollars_per_hour: 0.10,
    per: 1_000.0,
    unit: "entry",
};

/// What a component costs per hour as specified now: its units of capacity at its kind's price
/// (an autoscaling pool counts the workers it has at the moment, kept in the spec).
pub fn cost_per_hour(spec: &crate::scenario::ComponentSpec) -> f64 {
    use crate::scenario::ComponentSpec as S;
    let Some(price) = kind(spec.kind_name()).and_then(|k| k.price) else {
        return 0.0;
    };
    let units = match spec {
        S::Cache(c) => f64::from(c.capacity),
        other => f64::from(other.workers()),
    };
    units * price.dollars_per_hour / price.per
}

/// What a whole design's capacity costs per hour: the sum of [`cost_per_hour`] over its
/// components.
pub fn design_cost_per_hour(scenario: &crate::Scenario) -> f64 {
    scenario
        .components
        .iter()
        .map(|c| cost_per_hour(&c.spec))
        .sum()
}

/// What a field holds, as a file writes it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Ty {
    /// A number (the checks hold it to the field's range).
    Number,
    /// A whole number, 0 or more.
    Whole,
    /// `true` or `false`.
    Bool,
    /// One of the field's `choices`.
    Word,
    /// A distribution of durations: `{"dist": "constant", "ms": 5}`, `{"dist": "exponential",
    /// "mean_ms": 5}` or `{"dist": "lognormal", "median_ms": 5, "sigma": 0.5}`.
    Dist,
    /// An object with these fields.
    Object(&'static [Slot]),
    /// A list of objects with these fields.
    List(&'static [Slot]),
}

/// Whether a file must write a field, and what the field holds when the file leaves it out.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Need {
    /// The file must write it.
    Required,
    /// Left out, it holds this value (JSON).
    Default(&'static str),
    /// Left out (or `null`), it is off.
    Off,
}

/// A field as one kind (or one nested object) has it: its name (the rest is in [`field`]) and
/// whether a file must write it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Slot {
    /// The field's name as written in files.
    pub name: &'static str,
    /// Required, defaulted or off when left out.
    pub need: Need,
}

const fn required(name: &'static str) -> Slot {
    Slot {
        name,
        need: Need::Required,
    }
}

const fn or(name: &'static str, default: &'static str) -> Slot {
    Slot {
        name,
        need: Need::Default(default),
    }
}

const fn off(name: &'static str) -> Slot {
    Slot {
        name,
        need: Need::Off,
    }
}

/// A client's retry policy (`retry`).
pub const RETRY: &[Slot] = &[
    or("max_attempts", "1"),
    or("backoff_ms", "0"),
    or("jitter", "\"none\""),
    off("budget_ratio"),
];

/// A service's circuit breaker (`circuit_breaker`).
pub const BREAKER: &[Slot] = &[
    required("failure_ratio"),
    or("window_calls", "20"),
    required("open_ms"),
];

/// An autoscaling policy (`autoscale`).
pub const AUTOSCALE: &[Slot] = &[
    required("min_workers"),
    required("max_workers"),
    or("target_utilisation", "0.6"),
    or("interval_ms", "5000"),
    or("warmup_ms", "10000"),
    or("cooldown_ms", "60000"),
];

/// One entry of a client's operation mix (`mix`).
pub const MIX: &[Slot] = &[required("op"), required("weight")];

/// The fields of each distribution (`dist`).
pub const DISTS: [(&str, &[Slot]); 3] = [
    ("constant", &[required("ms")]),
    ("exponential", &[required("mean_ms")]),
    ("lognormal", &[required("median_ms"), required("sigma")]),
];

/// What an optional field holds when it is switched on.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum WhenOn {
    /// This JSON value.
    Value(&'static str),
    /// Twice the number in this sibling field (a ramp starts at double the rate).
    Twice(&'static str),
    /// An autoscaling policy whose bounds hold the component's worker count.
    WorkerBounds,
}

/// What the registry knows about one field of a spec (at any depth: `retry.max_attempts` is
/// `max_attempts`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FieldInfo {
    /// The field's name as written in files.
    pub name: &'static str,
    /// What it holds.
    pub ty: Ty,
    /// The unit its number is in ("ms", "/s", "0–1"), empty when none.
    pub unit: &'static str,
    /// What it does, in a sentence a learner can act on.
    pub help: &'static str,
    /// The words it takes, for a field that takes one of a few; empty otherwise.
    pub choices: &'static [&'static str],
    /// For a field that can be switched off (absent in a file): what it holds when switched on.
    pub when_on: Option<WhenOn>,
    /// For a number: the least and the most it may be (the checks refuse anything outside).
    pub range: Option<(f64, f64)>,
}

use crate::topology::{MAX_DURATION_S, MAX_MS, MAX_RATE_PER_SEC};

const MAX_USERS_F: f64 = crate::topology::MAX_USERS as f64;
const MAX_KEYS_F: f64 = crate::topology::MAX_KEYS as f64;

/// Kinds that spend time on requests, and so can be slowed down or made to fail.
const WORKING: &[&str] = &["crash", "latency", "errors"];
/// Kinds that can only crash.
const CRASH: &[&str] = &["crash"];

/// Every kind, in palette order.
pub const KIND_INFO: [KindInfo; 11] = [
    KindInfo {
        name: "client",
        label: "Users",
        letter: "U",
        description: "People sending requests: how many per second, what they ask, when they give up and retry.",
        sends_to: &["load_balancer", "service", "rate_limiter"],
        sends_rule: "a client sends requests to a load balancer, a service or a rate limiter",
        one_output: true,
        faults: &["traffic_spike"],
        price: None,
        overrides: &[],
        fields: &[
            required("rate_per_sec"),
            or("arrival", "\"poisson\""),
            off("ramp_to_per_sec"),
            or("ramp_s", "0"),
            or("mix", r#"[{"op": "read", "weight": 1}]"#),
            or("users", "1000"),
            or("keys", "1000"),
            or("key_skew", "0"),
            off("timeout_ms"),
            or("retry", "{}"),
            or("idempotency_keys", "false"),
            off("accepts_contract"),
            or("double_submit", "0"),
            or("reply_loss", "0"),
        ],
        example: r#"{"rate_per_sec": 100, "timeout_ms": 1000}"#
    },
    KindInfo {
        name: "load_balancer",
        label: "Load balancer",
        letter: "LB",
        description: "Spreads requests over several services and skips the ones that crashed.",
        sends_to: &["service", "rate_limiter", "load_balancer"],
        sends_rule: "a load balancer spreads requests over services (or rate limiters, or other balancers)",
        one_output: false,
        faults: CRASH,
        price: None,
        overrides: &[],
        fields: &[or("policy", "\"round_robin\""), or("health_checks", "true")],
        example: "{}"
    },
    KindInfo {
        name: "rate_limiter",
        label: "Rate limiter",
        letter: "RL",
        description: "A token bucket: lets a steady rate through and answers 429 to the rest.",
        sends_to: &["service", "load_balancer", "rate_limiter"],
        sends_rule: "a rate limiter guards a service or a load balancer",
        one_output: true,
        faults: CRASH,
        price: None,
        overrides: &[],
        fields: &[
            required("rate_per_sec"),
            required("burst"),
            or("scope", "\"global\""),
            or("action", "\"reject\""),
            or("max_delay_ms", "1000"),
        ],
        example: r#"{"rate_per_sec": 100, "burst": 20}"#
    },
    KindInfo {
        name: "service",
        label: "Service",
        letter: "S",
        description: "Workers handling requests one at a time each, waiting on whatever they call.",
        sends_to: &["service", "load_balancer", "rate_limiter", "cache", "database", "replica", "queue", "provider"],
        sends_rule: "a service calls services, balancers, limiters, caches, databases, replicas, queues or providers",
        one_output: false,
        faults: &["crash", "latency", "errors", "contract_change"],
        price: Some(WORKER_PRICE),
        overrides: &[],
        fields: &[
            required("workers"),
            off("queue_capacity"),
            required("service_time"),
            or("error_probability", "0"),
            off("call_timeout_ms"),
            off("circuit_breaker"),
            or("idempotency", "\"off\""),
            or("idempotency_ttl_ms", "3600000"),
            or("forward_keys", "false"),
            or("contract", "1"),
            or("versioned_contract", "false"),
            off("accepts_contract"),
            or("concurrency", "\"none\""),
            off("read_your_writes_ms"),
            or("strong_reads", "false"),
            off("autoscale"),
        ],
        example: r#"{"workers": 16, "service_time": {"dist": "exponential", "mean_ms": 10}}"#
    },
    KindInfo {
        name: "cache",
        label: "Cache",
        letter: "C",
        description: "Answers repeated reads from memory; may serve data older than the database.",
        sends_to: &["database", "replica"],
        sends_rule: "a cache sits in front of a database or a replica",
        one_output: true,
        faults: WORKING,
        price: Some(CACHE_PRICE),
        overrides: &[FieldInfo {
            name: "capacity",
            ty: Ty::Whole,
            unit: "",
            help: "How many entries it keeps.",
            choices: &[],
            when_on: None,
            range: Some((1.0, 10_000_000.0)),
        }],
        fields: &[
            required("capacity"),
            required("ttl_ms"),
            or("hit_ms", "0.5"),
            or("invalidate_on_write", "true"),
        ],
        example: r#"{"capacity": 1000, "ttl_ms": 30000}"#
    },
    KindInfo {
        name: "database",
        label: "Database",
        letter: "DB",
        description: "The source of truth: a few connections, versioned records, slow without its index.",
        sends_to: &["replica"],
        sends_rule: "a database's outgoing wires replicate to read replicas",
        one_output: false,
        faults: &["crash", "latency", "errors", "slow_query"],
        price: Some(CONNECTION_PRICE),
        overrides: &[],
        fields: &[
            required("pool_size"),
            off("queue_capacity"),
            required("read_time"),
            required("write_time"),
            or("indexed", "true"),
            or("no_index_factor", "20"),
            or("stock_per_key", "100"),
        ],
        example: r#"{"pool_size": 10, "read_time": {"dist": "exponential", "mean_ms": 5},
            "write_time": {"dist": "exponential", "mean_ms": 10}}"#
    },
    KindInfo {
        name: "replica",
        label: "Read replica",
        letter: "R",
        description: "A read-only copy of the database that lags behind it.",
        sends_to: &[],
        sends_rule: "a replica only answers reads; it sends nothing on",
        one_output: false,
        faults: &["crash", "latency", "errors", "replication_lag"],
        price: Some(REPLICA_PRICE),
        overrides: &[],
        fields: &[required("pool_size"), required("read_time"), required("lag")],
        example: r#"{"pool_size": 10, "read_time": {"dist": "exponential", "mean_ms": 5},
            "lag": {"dist": "lognormal", "median_ms": 200, "sigma": 0.5}}"#
    },
    KindInfo {
        name: "queue",
        label: "Queue",
        letter: "Q",
        description: "Holds jobs for background workers and delivers each at least once.",
        sends_to: &["workers", "dead_letter"],
        sends_rule: "a queue delivers to worker pools and to one dead-letter queue",
        one_output: false,
        faults: CRASH,
        price: None,
        overrides: &[],
        fields: &[
            off("capacity"),
            or("visibility_timeout_ms", "30000"),
            or("max_deliveries", "1"),
            or("retry_backoff_ms", "0"),
        ],
        example: r#"{"capacity": 1000}"#
    },
    KindInfo {
        name: "workers",
        label: "Workers",
        letter: "W",
        description: "Background workers that take jobs from a queue; jobs can fail or run twice.",
        sends_to: &["provider", "service", "database", "load_balancer", "rate_limiter", "queue"],
        sends_rule: "workers call providers, services, databases or queues",
        one_output: false,
        faults: WORKING,
        price: Some(POOL_PRICE),
        overrides: &[COUNT_CONCURRENCY],
        fields: &[
            required("concurrency"),
            required("job_time"),
            or("failure_probability", "0"),
            or("failure_under_load", "0"),
            or("poison_probability", "0"),
            or("idempotent", "false"),
            off("call_timeout_ms"),
            off("autoscale"),
        ],
        example: r#"{"concurrency": 8, "job_time": {"dist": "exponential", "mean_ms": 50}}"#
    },
    KindInfo {
        name: "dead_letter",
        label: "Dead-letter queue",
        letter: "DLQ",
        description: "Where jobs go after their last failed attempt, so nothing vanishes.",
        sends_to: &[],
        sends_rule: "a dead-letter queue only keeps messages",
        one_output: false,
        faults: &[],
        price: None,
        overrides: &[],
        fields: &[],
        example: "{}"
    },
    KindInfo {
        name: "provider",
        label: "Provider",
        letter: "$",
        description: "An outside service with side effects (payments, email) that counts duplicates.",
        sends_to: &[],
        sends_rule: "a provider is the end of the line; it calls nothing",
        one_output: false,
        faults: WORKING,
        price: None,
        overrides: &[FieldInfo {
            range: Some((1.0, 100_000.0)),
            ..COUNT_CONCURRENCY
        }],
        fields: &[
            or("concurrency", "1000"),
            required("latency"),
            or("failure_probability", "0"),
            off("key_ttl_ms"),
        ],
        example: r#"{"latency": {"dist": "lognormal", "median_ms": 100, "sigma": 0.6}}"#
    },
];

/// `concurrency` as a number (worker pools, providers) rather than a guard (services).
const COUNT_CONCURRENCY: FieldInfo = FieldInfo {
    name: "concurrency",
    ty: Ty::Number,
    unit: "",
    help: "How many it handles at once.",
    choices: &[],
    when_on: None,
    range: Some((1.0, 10_000.0)),
};

/// What the optional field `name` of a `kind` spec holds when it is switched on, given the spec
/// as a JSON tree (the form the inspector edits); None for a field that cannot be switched off.
pub fn switched_on(kind: &str, name: &str, spec: &serde_json::Value) -> Option<serde_json::Value> {
    use serde_json::json;
    Some(match field(kind, name)?.when_on? {
        WhenOn::Value(text) => serde_json::from_str(text).ok()?,
        WhenOn::Twice(other) => json!(spec[other].as_f64().unwrap_or(50.0) * 2.0),
        WhenOn::WorkerBounds => {
            let workers = spec["workers"]
                .as_u64()
                .or(spec["concurrency"].as_u64())
                .unwrap_or(1)
                .clamp(1, 5_000);
            let mut policy = json!({ "min_workers": 1, "max_workers": (workers * 2).max(32) });
            for slot in AUTOSCALE {
                if let Need::Default(text) = slot.need {
                    policy[slot.name] = serde_json::from_str(text).ok()?;
                }
            }
            policy
        }
    })
}

/// Every kind's name, in palette order.
pub const KINDS: [&str; 11] = {
    let mut out = [""; 11];
    let mut i = 0;
    while i < out.len() {
        out[i] = KIND_INFO[i].name;
        i += 1;
    }
    out
};

/// The registry's entry for a kind.
pub fn kind(name: &str) -> Option<&'static KindInfo> {
    KIND_INFO.iter().find(|k| k.name == name)
}

/// What a field of a spec of `kind` is: the kind's own entry if it has one, else the shared one.
pub fn field(kind: &str, name: &str) -> Option<&'static FieldInfo> {
    Registry::BUILT_IN.field(kind, name)
}

/// The tables of the registry, as one value: the built-in ones, or a copy a test changes (the
/// generated files are written from one, `crate::generate`).
#[derive(Debug, Clone, Copy)]
pub struct Registry<'a> {
    /// Every kind, in palette order.
    pub kinds: &'a [KindInfo],
    /// The fields every kind shares (a kind's `overrides` come first).
    pub fields: &'a [FieldInfo],
}

impl Registry<'static> {
    /// The registry the playground runs with.
    pub const BUILT_IN: Registry<'static> = Registry {
        kinds: &KIND_INFO,
        fields: FIELDS,
    };
}

impl<'a> Registry<'a> {
    /// A field of `kind` ("" for the shared table): the kind's own entry, else the shared one.
    pub fn field(&self, kind: &str, name: &str) -> Option<&'a FieldInfo> {
        let own = self
            .kinds
            .iter()
            .find(|k| k.name == kind)
            .and_then(|k| k.overrides.iter().find(|f| f.name == name));
        own.or_else(|| self.fields.iter().find(|f| f.name == name))
    }
}

/// Where a field comes in the inspector: the registry's order (capacity and load first, switches
/// next, details last); unknown fields last.
pub fn rank(name: &str) -> usize {
    FIELDS
        .iter()
        .position(|f| f.name == name)
        .unwrap_or(FIELDS.len())
}

/// The words a field takes (empty when it is not a choice of words).
pub fn choices(name: &str) -> &'static [&'static str] {
    field("", name).map_or(&[], |f| f.choices)
}

/// The kinds a fault of this kind (as written in files) may target; empty for a partition,
/// which targets a wire.
pub fn fault_targets(fault_kind: &str) -> Vec<&'static str> {
    KIND_INFO
        .iter()
        .filter(|k| k.faults.contains(&fault_kind))
        .map(|k| k.name)
        .collect()
}

/// Help shared by fields that mean the same thing in different places.
const HELP_WAITING: &str = "How many may wait or be kept. For a queue of requests: when full, new ones are refused at once (backpressure). Off: no limit.";
const HELP_QUERY_TIME: &str = "How long one query takes.";
const HELP_FAILURE_CHANCE: &str = "The chance that handling fails with an error.";
const HELP_RAMP: &str = "Move the rate to this value over the first seconds of the run.";

/// Every field any spec can hold, in the inspector's order.
pub const FIELDS: &[FieldInfo] = &[
    FieldInfo {
        name: "rate_per_sec",
        ty: Ty::Number,
        unit: "/s",
        help: "Requests per second: new requests from users, or tokens added to a rate limiter's bucket.",
        choices: &[],
        when_on: None,
        range: Some((0.0, MAX_RATE_PER_SEC)),
    },
    FieldInfo {
        name: "workers",
        ty: Ty::Whole,
        unit: "",
        help: "How many requests it handles at once; the rest wait in its queue.",
        choices: &[],
        when_on: None,
        range: Some((1.0, 10_000.0)),
    },
    FieldInfo {
        name: "pool_size",
        ty: Ty::Whole,
        unit: "",
        help: "Connections: how many queries run at once.",
        choices: &[],
        when_on: None,
        range: Some((1.0, 10_000.0)),
    },
    FieldInfo {
        name: "concurrency",
        ty: Ty::Word,
        unit: "",
        help: "How it guards read-modify-write of one record: none (updates get lost), optimistic (a version check), a lock, or atomic (one conditional update in the database, no read).",
        choices: &["none", "optimistic", "lock", "atomic"],
        when_on: None,
        range: None,
    },
    FieldInfo {
        name: "capacity",
        ty: Ty::Whole,
        unit: "",
        help: HELP_WAITING,
        choices: &[],
        when_on: Some(WhenOn::Value("1000")),
        range: Some((0.0, 10_000_000.0)),
    },
    FieldInfo {
        name: "autoscale",
        ty: Ty::Object(AUTOSCALE),
        unit: "",
        help: "Add workers when they are busier than the target and let them go when they are idle, within the bounds; new workers serve only after a warm-up.",
        choices: &[],
        when_on: Some(WhenOn::WorkerBounds),
        range: None,
    },
    FieldInfo {
        name: "min_workers",
        ty: Ty::Whole,
        unit: "",
        help: "The fewest workers it keeps, however quiet it gets.",
        choices: &[],
        when_on: None,
        range: Some((1.0, 10_000.0)),
    },
    FieldInfo {
        name: "max_workers",
        ty: Ty::Whole,
        unit: "",
        help: "The most workers it may have, however busy it gets (a budget).",
        choices: &[],
        when_on: None,
        range: Some((1.0, 10_000.0)),
    },
    FieldInfo {
        name: "target_utilisation",
        ty: Ty::Number,
        unit: "0–1",
        help: "The busy share of the workers to aim for: lower keeps more spare capacity for bursts, at a higher cost.",
        choices: &[],
        when_on: None,
        range: Some((0.05, 1.0)),
    },
    FieldInfo {
        name: "interval_ms",
        ty: Ty::Number,
        unit: "ms",
        help: "How often the load is measured and the worker count decided.",
        choices: &[],
        when_on: None,
        range: Some((100.0, MAX_MS)),
    },
    FieldInfo {
        name: "warmup_ms",
        ty: Ty::Number,
        unit: "ms",
        help: "How long a new worker takes to start before it serves: the gap a spike must be survived without it.",
        choices: &[],
        when_on: None,
        range: Some((0.0, MAX_MS)),
    },
    FieldInfo {
        name: "cooldown_ms",
        ty: Ty::Number,
        unit: "ms",
        help: "How long after the last change workers may be let go, so a short lull does not throw away capacity.",
        choices: &[],
        when_on: None,
        range: Some((0.0, MAX_MS)),
    },
    FieldInfo {
        name: "service_time",
        ty: Ty::Dist,
        unit: "",
        help: "How long handling one request takes, not counting the calls it makes.",
        choices: &[],
        when_on: None,
        range: None,
    },
    FieldInfo {
        name: "read_time",
        ty: Ty::Dist,
        unit: "",
        help: HELP_QUERY_TIME,
        choices: &[],
        when_on: None,
        range: None,
    },
    FieldInfo {
        name: "write_time",
        ty: Ty::Dist,
        unit: "",
        help: HELP_QUERY_TIME,
        choices: &[],
        when_on: None,
        range: None,
    },
    FieldInfo {
        name: "job_time",
        ty: Ty::Dist,
        unit: "",
        help: "How long one job takes, not counting the calls it makes.",
        choices: &[],
        when_on: None,
        range: None,
    },
    FieldInfo {
        name: "latency",
        ty: Ty::Dist,
        unit: "",
        help: "How long the provider takes to answer.",
        choices: &[],
        when_on: None,
        range: None,
    },
    FieldInfo {
        name: "lag",
        ty: Ty::Dist,
        unit: "",
        help: "How far behind the primary database the replica runs.",
        choices: &[],
        when_on: None,
        range: None,
    },
    FieldInfo {
        name: "queue_capacity",
        ty: Ty::Whole,
        unit: "",
        help: HELP_WAITING,
        choices: &[],
        when_on: Some(WhenOn::Value("100")),
        range: Some((0.0, 10_000_000.0)),
    },
    FieldInfo {
        name: "timeout_ms",
        ty: Ty::Number,
        unit: "ms",
        help: "How long a user waits for an answer before giving up (and retrying, if retries are on).",
        choices: &[],
        when_on: Some(WhenOn::Value("1000")),
        range: Some((0.001, MAX_MS)),
    },
    FieldInfo {
        name: "call_timeout_ms",
        ty: Ty::Number,
        unit: "ms",
        help: "How long it waits for each call it makes before giving up on it.",
        choices: &[],
        when_on: Some(WhenOn::Value("1000")),
        range: Some((0.001, MAX_MS)),
    },
    FieldInfo {
        name: "retry",
        ty: Ty::Object(RETRY),
        unit: "",
        help: "What a user does after a failure or a timeout.",
        choices: &[],
        when_on: None,
        range: None,
    },
    FieldInfo {
        name: "idempotency",
        ty: Ty::Word,
        unit: "",
        help: "Remember request keys so a repeated request does not repeat its side effect. Check after completion leaves a gap where duplicates slip through; atomic reserve closes it.",
        choices: &["off", "check_after_completion", "atomic_reserve"],
        when_on: None,
        range: None,
    },
    FieldInfo {
        name: "idempotency_keys",
        ty: Ty::Bool,
        unit: "",
        help: "Send a key with each request, the same key on a retry, so a server can recognise a repeat.",
        choices: &[],
        when_on: None,
        range: None,
    },
    FieldInfo {
        name: "forward_keys",
        ty: Ty::Bool,
        unit: "",
        help: "Pass each request's idempotency key on to the calls it makes, so a provider that honours keys charges once per key.",
        choices: &[],
        when_on: None,
        range: None,
    },
    FieldInfo {
        name: "key_ttl_ms",
        ty: Ty::Number,
        unit: "ms",
        help: "How long it remembers an idempotency key: a repeat with a key it knows gets the first answer without a second charge. Off: every call is new.",
        choices: &[],
        when_on: Some(WhenOn::Value("86400000")),
        range: Some((1.0, MAX_MS)),
    },
    FieldInfo {
        name: "double_submit",
        ty: Ty::Number,
        unit: "0–1",
        help: "The share of requests a user sends twice, a moment apart (a double click), with the same key.",
        choices: &[],
        when_on: None,
        range: Some((0.0, 1.0)),
    },
    FieldInfo {
        name: "reply_loss",
        ty: Ty::Number,
        unit: "0–1",
        help: "The share of successful answers lost on the way back: the work was done, but the user sees an error and tries again.",
        choices: &[],
        when_on: None,
        range: Some((0.0, 1.0)),
    },
    FieldInfo {
        name: "circuit_breaker",
        ty: Ty::Object(BREAKER),
        unit: "",
        help: "After too many failed calls, stop calling for a while and fail at once instead.",
        choices: &[],
        when_on: Some(WhenOn::Value("{\"failure_ratio\": 0.5, \"window_calls\": 20, \"open_ms\": 5000}")),
        range: None,
    },
    FieldInfo {
        name: "read_your_writes_ms",
        ty: Ty::Number,
        unit: "ms",
        help: "After a user writes, send that user's reads to the primary database for this long.",
        choices: &[],
        when_on: Some(WhenOn::Value("2000")),
        range: Some((0.0, MAX_MS)),
    },
    FieldInfo {
        name: "strong_reads",
        ty: Ty::Bool,
        unit: "",
        help: "Always read from the primary database, never from a replica.",
        choices: &[],
        when_on: None,
        range: None,
    },
    FieldInfo {
        name: "indexed",
        ty: Ty::Bool,
        unit: "",
        help: "With the index, reads are quick; without it each read scans the table.",
        choices: &[],
        when_on: None,
        range: None,
    },
    FieldInfo {
        name: "invalidate_on_write",
        ty: Ty::Bool,
        unit: "",
        help: "Drop an entry when its record is written, so reads do not see old data.",
        choices: &[],
        when_on: None,
        range: None,
    },
    FieldInfo {
        name: "ttl_ms",
        ty: Ty::Number,
        unit: "ms",
        help: "How long a cached entry is served before it is fetched again.",
        choices: &[],
        when_on: None,
        range: Some((0.0, MAX_MS)),
    },
    FieldInfo {
        name: "max_deliveries",
        ty: Ty::Whole,
        unit: "",
        help: "Deliveries before a message goes to the dead-letter queue (or is dropped, if there is none).",
        choices: &[],
        when_on: None,
        range: Some((1.0, 100.0)),
    },
    FieldInfo {
        name: "visibility_timeout_ms",
        ty: Ty::Number,
        unit: "ms",
        help: "How long a delivered message stays hidden; not acknowledged by then, it is delivered again.",
        choices: &[],
        when_on: None,
        range: Some((1.0, MAX_MS)),
    },
    FieldInfo {
        name: "retry_backoff_ms",
        ty: Ty::Number,
        unit: "ms",
        help: "The wait before a failed message is delivered again; it doubles each time.",
        choices: &[],
        when_on: None,
        range: Some((0.0, MAX_MS)),
    },
    FieldInfo {
        name: "idempotent",
        ty: Ty::Bool,
        unit: "",
        help: "Remember finished jobs, so a job delivered twice acts once.",
        choices: &[],
        when_on: None,
        range: None,
    },
    FieldInfo {
        name: "mix",
        ty: Ty::List(MIX),
        unit: "",
        help: "What users ask for, and how often.",
        choices: &[],
        when_on: None,
        range: None,
    },
    FieldInfo {
        name: "policy",
        ty: Ty::Word,
        unit: "",
        help: "How the load balancer picks the next instance.",
        choices: &["round_robin", "least_connections", "random"],
        when_on: None,
        range: None,
    },
    FieldInfo {
        name: "error_probability",
        ty: Ty::Number,
        unit: "0–1",
        help: HELP_FAILURE_CHANCE,
        choices: &[],
        when_on: None,
        range: Some((0.0, 1.0)),
    },
    FieldInfo {
        name: "accepts_contract",
        ty: Ty::Whole,
        unit: "",
        help: "The only response format version it can read; any other fails.",
        choices: &[],
        when_on: Some(WhenOn::Value("1")),
        range: Some((1.0, 1_000.0)),
    },
    FieldInfo {
        name: "action",
        ty: Ty::Word,
        unit: "",
        help: "Refuse requests over the limit, or make them wait (up to the maximum delay).",
        choices: &["reject", "delay"],
        when_on: None,
        range: None,
    },
    FieldInfo {
        name: "arrival",
        ty: Ty::Word,
        unit: "",
        help: "Poisson: random gaps between requests, as real users make them. Constant: evenly spaced.",
        choices: &["poisson", "constant"],
        when_on: None,
        range: None,
    },
    FieldInfo {
        name: "backoff_ms",
        ty: Ty::Number,
        unit: "ms",
        help: "The wait before a retry; it doubles with each further try.",
        choices: &[],
        when_on: None,
        range: Some((0.0, 60_000.0)),
    },
    FieldInfo {
        name: "budget_ratio",
        ty: Ty::Number,
        unit: "share",
        help: "A retry budget: retries allowed as a share of first tries, so retries cannot multiply an overload.",
        choices: &[],
        when_on: Some(WhenOn::Value("0.1")),
        range: Some((0.0, 10.0)),
    },
    FieldInfo {
        name: "burst",
        ty: Ty::Number,
        unit: "",
        help: "The most tokens the bucket can save up: how big a burst passes at once.",
        choices: &[],
        when_on: None,
        range: Some((1.0, 1e9)),
    },
    FieldInfo {
        name: "contract",
        ty: Ty::Whole,
        unit: "",
        help: "The version of the response format it produces.",
        choices: &[],
        when_on: None,
        range: Some((1.0, 1_000.0)),
    },
    FieldInfo {
        name: "dist",
        ty: Ty::Word,
        unit: "",
        help: "The shape of the durations: constant, exponential (memoryless) or log-normal (a long slow tail).",
        choices: &["constant", "exponential", "lognormal"],
        when_on: None,
        range: None,
    },
    FieldInfo {
        name: "failure_probability",
        ty: Ty::Number,
        unit: "0–1",
        help: HELP_FAILURE_CHANCE,
        choices: &[],
        when_on: None,
        range: Some((0.0, 1.0)),
    },
    FieldInfo {
        name: "failure_ratio",
        ty: Ty::Number,
        unit: "0–1",
        help: "The share of failed calls that opens the circuit.",
        choices: &[],
        when_on: None,
        range: Some((0.01, 1.0)),
    },
    FieldInfo {
        name: "failure_under_load",
        ty: Ty::Number,
        unit: "0–1",
        help: "Extra chance of failure while every worker is busy.",
        choices: &[],
        when_on: None,
        range: Some((0.0, 1.0)),
    },
    FieldInfo {
        name: "health_checks",
        ty: Ty::Bool,
        unit: "",
        help: "Stop sending to an instance that has crashed.",
        choices: &[],
        when_on: None,
        range: None,
    },
    FieldInfo {
        name: "hit_ms",
        ty: Ty::Number,
        unit: "ms",
        help: "How long answering from the cache takes.",
        choices: &[],
        when_on: None,
        range: Some((0.0, MAX_MS)),
    },
    FieldInfo {
        name: "idempotency_ttl_ms",
        ty: Ty::Number,
        unit: "ms",
        help: "How long a request key is remembered.",
        choices: &[],
        when_on: None,
        range: Some((1.0, MAX_MS)),
    },
    FieldInfo {
        name: "jitter",
        ty: Ty::Word,
        unit: "",
        help: "Randomises the wait so that retries from many users do not arrive together.",
        choices: &["none", "full", "equal"],
        when_on: None,
        range: None,
    },
    FieldInfo {
        name: "key_skew",
        ty: Ty::Number,
        unit: "",
        help: "How unevenly records are hit: 0 is even; higher values make a few records hot.",
        choices: &[],
        when_on: None,
        range: Some((0.0, 3.0)),
    },
    FieldInfo {
        name: "keys",
        ty: Ty::Whole,
        unit: "",
        help: "How many different records the requests touch.",
        choices: &[],
        when_on: None,
        range: Some((1.0, MAX_KEYS_F)),
    },
    FieldInfo {
        name: "max_attempts",
        ty: Ty::Whole,
        unit: "",
        help: "Tries in all, the first one included: 1 means no retries.",
        choices: &[],
        when_on: None,
        range: Some((1.0, 20.0)),
    },
    FieldInfo {
        name: "max_delay_ms",
        ty: Ty::Number,
        unit: "ms",
        help: "The longest a request may be held back before it is refused.",
        choices: &[],
        when_on: None,
        range: Some((0.0, MAX_MS)),
    },
    FieldInfo {
        name: "mean_ms",
        ty: Ty::Number,
        unit: "ms",
        help: "The average duration; single ones vary a lot around it.",
        choices: &[],
        when_on: None,
        range: Some((0.0, MAX_MS)),
    },
    FieldInfo {
        name: "median_ms",
        ty: Ty::Number,
        unit: "ms",
        help: "Half the durations are shorter than this, half longer.",
        choices: &[],
        when_on: None,
        range: Some((0.0, MAX_MS)),
    },
    FieldInfo {
        name: "ms",
        ty: Ty::Number,
        unit: "",
        help: "Every duration is exactly this long.",
        choices: &[],
        when_on: None,
        range: Some((0.0, MAX_MS)),
    },
    FieldInfo {
        name: "no_index_factor",
        ty: Ty::Number,
        unit: "",
        help: "How many times slower a read is without the index.",
        choices: &[],
        when_on: None,
        range: Some((1.0, 10_000.0)),
    },
    FieldInfo {
        name: "open_ms",
        ty: Ty::Number,
        unit: "ms",
        help: "How long the circuit stays open before trying again.",
        choices: &[],
        when_on: None,
        range: Some((1.0, MAX_MS)),
    },
    FieldInfo {
        name: "poison_probability",
        ty: Ty::Number,
        unit: "0–1",
        help: "The share of jobs that fail every time, however often they are tried.",
        choices: &[],
        when_on: None,
        range: Some((0.0, 1.0)),
    },
    FieldInfo {
        name: "ramp_s",
        ty: Ty::Number,
        unit: "s",
        help: HELP_RAMP,
        choices: &[],
        when_on: None,
        range: Some((0.0, MAX_DURATION_S)),
    },
    FieldInfo {
        name: "ramp_to_per_sec",
        ty: Ty::Number,
        unit: "/s",
        help: HELP_RAMP,
        choices: &[],
        when_on: Some(WhenOn::Twice("rate_per_sec")),
        range: Some((0.0, MAX_RATE_PER_SEC)),
    },
    FieldInfo {
        name: "scope",
        ty: Ty::Word,
        unit: "",
        help: "One bucket for everybody, or one per user.",
        choices: &["global", "per_user"],
        when_on: None,
        range: None,
    },
    FieldInfo {
        name: "sigma",
        ty: Ty::Number,
        unit: "",
        help: "The spread of the log-normal: 1 gives a heavy slow tail.",
        choices: &[],
        when_on: None,
        range: Some((0.0, 4.0)),
    },
    FieldInfo {
        name: "stock_per_key",
        ty: Ty::Whole,
        unit: "",
        help: "Items in stock per record at the start, for purchases.",
        choices: &[],
        when_on: None,
        range: Some((0.0, 1e9)),
    },
    FieldInfo {
        name: "users",
        ty: Ty::Whole,
        unit: "",
        help: "How many different users send the requests.",
        choices: &[],
        when_on: None,
        range: Some((1.0, MAX_USERS_F)),
    },
    FieldInfo {
        name: "versioned_contract",
        ty: Ty::Bool,
        unit: "",
        help: "Keep answering each caller in the format version it asks for.",
        choices: &[],
        when_on: None,
        range: None,
    },
    FieldInfo {
        name: "window_calls",
        ty: Ty::Whole,
        unit: "",
        help: "How many recent calls the failure share is measured over.",
        choices: &[],
        when_on: None,
        range: Some((1.0, 1_000.0)),
    },
    FieldInfo {
        name: "op",
        ty: Ty::Word,
        unit: "",
        help: "What this share of requests asks for: a read, a write, a payment, a background job or a purchase.",
        choices: &["read", "write", "payment", "job", "purchase"],
        when_on: None,
        range: None,
    },
    FieldInfo {
        name: "weight",
        ty: Ty::Number,
        unit: "",
        help: "How often this operation comes, relative to the others in the mix.",
        choices: &[],
        when_on: None,
        range: Some((0.0, 1e6)),
    },
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{ComponentSpec, FAULT_KINDS};
    use serde_json::Value;

    /// A kind's example spec as a JSON tree, with every optional field switched on.
    fn full_example(kind: &str) -> Value {
        let spec = ComponentSpec::example(kind).unwrap_or_else(|| panic!("{kind}: no example"));
        let mut tree: Value = serde_json::from_str(&spec.to_json()).unwrap_or(Value::Null);
        let copy = tree.clone();
        if let Value::Object(map) = &mut tree {
            for (name, v) in map.iter_mut() {
                if v.is_null() {
                    if let Some(on) = switched_on(kind, name, &copy) {
                        *v = on;
                    }
                }
            }
        }
        tree
    }

    fn parse(tree: &Value) -> Result<ComponentSpec, crate::ScenarioError> {
        ComponentSpec::from_json(&tree.to_string())
    }

    #[test]
    fn every_kind_is_registered_once_and_its_specs_point_back_at_it() {
        for (i, kind) in KINDS.iter().enumerate() {
            let spec = ComponentSpec::example(kind).unwrap_or_else(|| panic!("{kind}"));
            assert_eq!(spec.info().name, *kind);
            assert_eq!(spec.kind_name(), *kind);
            assert_eq!(KIND_INFO[i].name, *kind);
            assert!(!KIND_INFO[i].label.is_empty() && !KIND_INFO[i].letter.is_empty());
            for target in KIND_INFO[i].sends_to {
                assert!(kind_exists(target), "{kind} sends to unknown {target}");
            }
        }
        let mut names = KINDS.to_vec();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), KINDS.len());
    }

    fn kind_exists(name: &str) -> bool {
        kind(name).is_some()
    }

    #[test]
    fn every_field_of_every_kind_is_explained_and_switches_on_to_a_valid_spec() {
        fn walk(kind: &str, v: &Value, missing: &mut Vec<String>) {
            match v {
                Value::Object(map) => {
                    for (k, child) in map {
                        if k != "kind" && field(kind, k).is_none_or(|f| f.help.is_empty()) {
                            missing.push(format!("{kind}.{k}"));
                        }
                        walk(kind, child, missing);
                    }
                }
                Value::Array(items) => items.iter().for_each(|i| walk(kind, i, missing)),
                _ => {}
            }
        }
        let mut missing = Vec::new();
        for kind in KINDS {
            let tree = full_example(kind);
            walk(kind, &tree, &mut missing);
            let spec = parse(&tree).unwrap_or_else(|e| panic!("{kind}, all switched on: {e}"));
            crate::topology::check_spec(&crate::topology::Subject::Scenario, &spec)
                .unwrap_or_else(|e| panic!("{kind}, all switched on: {e}"));
        }
        assert!(missing.is_empty(), "fields without help: {missing:?}");
    }

    /// Every field reachable from a list of slots, with the kind whose table explains it.
    fn reachable(kind: &'static str, slots: &[Slot], out: &mut Vec<(&'static str, Slot)>) {
        for slot in slots {
            out.push((kind, *slot));
            match field(kind, slot.name).map(|f| f.ty) {
                Some(Ty::Object(inner) | Ty::List(inner)) => reachable(kind, inner, out),
                Some(Ty::Dist) => {
                    for (_, inner) in DISTS {
                        reachable("", inner, out);
                    }
                }
                _ => {}
            }
        }
    }

    #[test]
    fn the_registry_lists_exactly_the_fields_a_spec_writes_and_ranges_every_number() {
        for info in KIND_INFO {
            // A spec with every field switched on writes exactly the registry's fields.
            let tree = full_example(info.name);
            let written: Vec<&str> = tree
                .as_object()
                .map(|m| {
                    m.keys()
                        .map(String::as_str)
                        .filter(|k| *k != "kind")
                        .collect()
                })
                .unwrap_or_default();
            let mut listed: Vec<&str> = info.fields.iter().map(|s| s.name).collect();
            let mut sorted = written.clone();
            sorted.sort_unstable();
            listed.sort_unstable();
            assert_eq!(
                sorted, listed,
                "{}: the spec writes other fields than the registry lists",
                info.name
            );
            // Every field has an entry, every number a range, every word its choices, and every
            // default reads as the field's value.
            let mut all = Vec::new();
            reachable(info.name, info.fields, &mut all);
            for (kind, slot) in all {
                let f = field(kind, slot.name)
                    .unwrap_or_else(|| panic!("{}.{}: no entry", info.name, slot.name));
                match f.ty {
                    Ty::Number | Ty::Whole => {
                        assert!(f.range.is_some(), "{}.{}: no range", info.name, f.name)
                    }
                    Ty::Word => assert!(
                        !f.choices.is_empty(),
                        "{}.{}: no choices",
                        info.name,
                        f.name
                    ),
                    _ => {}
                }
                if let Need::Default(text) = slot.need {
                    let v: Value = serde_json::from_str(text).unwrap_or_else(|e| {
                        panic!("{}.{}: default {text}: {e}", info.name, f.name)
                    });
                    let fits = match f.ty {
                        Ty::Number => v.is_number(),
                        Ty::Whole => v.is_u64(),
                        Ty::Bool => v.is_boolean(),
                        Ty::Word => v.as_str().is_some_and(|w| f.choices.contains(&w)),
                        Ty::Dist | Ty::Object(_) => v.is_object(),
                        Ty::List(_) => v.is_array(),
                    };
                    assert!(
                        fits,
                        "{}.{}: the default {text} is not a {:?}",
                        info.name, f.name, f.ty
                    );
                }
            }
        }
    }

    #[test]
    fn a_left_out_field_reads_as_the_registrys_default_written_out() {
        let mut tried = 0;
        for info in KIND_INFO {
            let mut tree: Value = serde_json::from_str(info.example).unwrap_or_default();
            tree["kind"] = Value::from(info.name);
            let left_out = parse(&tree).unwrap_or_else(|e| panic!("{}: {e}", info.name));
            for slot in info.fields {
                if let (Need::Default(text), None) = (slot.need, tree.get(slot.name)) {
                    let mut written = tree.clone();
                    written[slot.name] = serde_json::from_str(text).unwrap_or_default();
                    let spec = parse(&written).unwrap_or_else(|e| panic!("{}: {e}", info.name));
                    assert_eq!(spec, left_out, "{}.{} = {text}", info.name, slot.name);
                    tried += 1;
                }
            }
        }
        assert!(tried > 30, "only {tried} defaults tried");
    }

    #[test]
    fn every_word_a_field_offers_is_one_the_reader_accepts() {
        fn walk(root: &Value, path: &mut Vec<Value>, v: &Value, tried: &mut usize) {
            let Value::Object(map) = v else {
                if let Value::Array(items) = v {
                    for (i, item) in items.iter().enumerate() {
                        path.push(Value::from(i));
                        walk(root, path, item, tried);
                        path.pop();
                    }
                }
                return;
            };
            for (k, child) in map {
                path.push(Value::from(k.clone()));
                // A distribution's shape brings its own fields; it is checked on its own below.
                if child.is_string() && k != "kind" && k != "dist" {
                    for word in choices(k) {
                        let mut doc = root.clone();
                        let mut at = &mut doc;
                        for seg in path.iter() {
                            at = match seg {
                                Value::String(key) => &mut at[key.as_str()],
                                Value::Number(n) => &mut at[n.as_u64().unwrap_or(0) as usize],
                                _ => at,
                            };
                        }
                        *at = Value::from(*word);
                        let kind = root["kind"].as_str().unwrap_or_default();
                        parse(&doc).unwrap_or_else(|e| panic!("{kind}.{k} = {word}: {e}"));
                        *tried += 1;
                    }
                }
                walk(root, path, child, tried);
                path.pop();
            }
        }
        let mut tried = 0;
        for kind in KINDS {
            let tree = full_example(kind);
            walk(&tree, &mut Vec::new(), &tree, &mut tried);
        }
        assert!(tried > 20, "only {tried} words tried");
        for (word, fields) in [
            ("constant", r#""ms": 5"#),
            ("exponential", r#""mean_ms": 5"#),
            ("lognormal", r#""median_ms": 5, "sigma": 0.5"#),
        ] {
            assert!(choices("dist").contains(&word));
            let text = format!(
                r#"{{"kind": "service", "workers": 1, "service_time": {{"dist": "{word}", {fields}}}}}"#
            );
            ComponentSpec::from_json(&text).unwrap_or_else(|e| panic!("{word}: {e}"));
        }
        assert_eq!(choices("dist").len(), 3);
    }

    #[test]
    fn autoscaling_switched_on_holds_any_worker_count_the_checks_allow() {
        for workers in [1u32, 16, 64, 9_999, 10_000] {
            let tree = serde_json::json!({ "kind": "service", "workers": workers,
                "service_time": { "dist": "constant", "ms": 1 } });
            let mut on = tree.clone();
            on["autoscale"] = switched_on("service", "autoscale", &tree).expect("switchable");
            let spec = parse(&on).unwrap_or_else(|e| panic!("{workers}: {e}"));
            crate::topology::check_spec(&crate::topology::Subject::Scenario, &spec)
                .unwrap_or_else(|e| panic!("{workers} workers, autoscaling on: {e}"));
        }
    }

    /// Every number of every kind (all optional fields switched on) has a range in the registry,
    /// and the checks enforce exactly it: the bounds pass, just outside them is refused, naming
    /// the field's path.
    #[test]
    fn every_number_has_a_range_and_the_checks_enforce_it() {
        fn numbers(v: &Value, path: String, out: &mut Vec<(String, String)>) {
            match v {
                Value::Object(map) => {
                    for (k, child) in map {
                        let here = format!("{path}.{k}");
                        if child.is_number() {
                            out.push((here.clone(), k.clone()));
                        }
                        numbers(child, here, out);
                    }
                }
                Value::Array(items) => {
                    for (i, item) in items.iter().enumerate() {
                        numbers(item, format!("{path}[{i}]"), out);
                    }
                }
                _ => {}
            }
        }
        fn set(doc: &mut Value, path: &str, value: f64) {
            let mut at = doc;
            for part in path.trim_start_matches("spec.").split('.') {
                let (key, index) = match part.split_once('[') {
                    Some((k, i)) => (k, i.trim_end_matches(']').parse::<usize>().ok()),
                    None => (part, None),
                };
                at = &mut at[key];
                if let Some(i) = index {
                    at = &mut at[i];
                }
            }
            // Whole numbers as integers, as a file writes counts.
            *at = if value.fract() == 0.0 && value.abs() < 1e15 {
                Value::from(value as i64)
            } else {
                Value::from(value)
            };
        }
        let check = |doc: &Value| -> Result<(), String> {
            let spec = parse(doc).map_err(|e| e.to_string())?;
            crate::topology::check_spec(&crate::topology::Subject::Scenario, &spec)
                .map_err(|e| e.to_string())
        };
        let mut checked = 0;
        for kind in KINDS {
            let tree = full_example(kind);
            let mut found = Vec::new();
            numbers(&tree, "spec".into(), &mut found);
            for (path, name) in found {
                let range = field(kind, &name).and_then(|f| f.range);
                let Some((min, max)) = range else {
                    panic!("{kind}: {path} has no range in the registry");
                };
                // Counts cannot go below zero in a file; their ranges start at 0 or 1.
                for (value, ok) in [(min, true), (max, true), (max * 1.5 + 1.0, false)]
                    .into_iter()
                    .chain((min > 0.0).then_some((min / 2.0 - 0.5, false)))
                {
                    let mut doc = tree.clone();
                    // Autoscaling's bounds must hold the worker count: widest bounds, so each
                    // number is judged by its own range alone.
                    if doc["autoscale"].is_object() {
                        doc["autoscale"]["min_workers"] = Value::from(1);
                        doc["autoscale"]["max_workers"] = Value::from(10_000);
                    }
                    set(&mut doc, &path, value);
                    if path.contains("autoscale") {
                        let count = if kind == "workers" {
                            "concurrency"
                        } else {
                            "workers"
                        };
                        let within = doc["autoscale"]["min_workers"].as_f64().unwrap_or(1.0);
                        doc[count] = Value::from(within.clamp(1.0, 10_000.0) as i64);
                    }
                    let result = check(&doc);
                    match (ok, &result) {
                        (true, Err(e)) if e.contains(&path[5..]) => {
                            panic!("{kind}: {path} = {value} is inside its range but refused: {e}")
                        }
                        (false, Ok(())) => {
                            panic!("{kind}: {path} = {value} is outside its range but accepted")
                        }
                        (false, Err(e)) if !e.contains(&path[5..]) && !e.contains("expected") => {
                            panic!("{kind}: {path} = {value} refused without naming it: {e}")
                        }
                        _ => {}
                    }
                    checked += 1;
                }
            }
        }
        assert!(checked > 150, "only {checked} values checked");
    }

    #[test]
    fn every_fault_but_a_partition_has_targets() {
        for fault in FAULT_KINDS {
            assert_eq!(
                fault_targets(fault).is_empty(),
                fault == "partition",
                "{fault}"
            );
        }
    }
}
