//! The validated, index-based graph built from a [`Scenario`]: the only fallible step.
//!
//! Validation collects every problem before it answers, each naming the component or wire and
//! the field concerned, so that an editor can mark them all at once. After `build` succeeds the
//! simulation never sees an id string again, only indices into `Vec`s.

use crate::kinds::{Need, Slot, Ty, DISTS};
use crate::scenario::{
    AutoscaleSpec, ClientSpec, ComponentSpec, Fault, FaultKind, Op, Scenario, WireMode,
    SCENARIO_VERSION,
};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::HashMap;
use std::fmt;

/// Largest number of components a scenario may hold.
pub const MAX_COMPONENTS: usize = 500;
/// Largest number of wires a scenario may hold.
pub const MAX_WIRES: usize = 5_000;
/// Longest run a scenario may ask for, in simulated seconds (one week).
pub const MAX_DURATION_S: f64 = 7.0 * 24.0 * 3600.0;
/// Largest offered rate of one client population, per second.
pub const MAX_RATE_PER_SEC: f64 = 1_000_000.0;
/// Longest duration any parameter may hold, in milliseconds (one day).
pub const MAX_MS: f64 = 86_400_000.0;
/// Largest number of faults on a timeline.
pub const MAX_FAULTS: usize = 1_000;
/// Largest number of goals.
pub const MAX_GOALS: usize = 100;
/// Most metrics windows a run may close, summed over its components (the run's length over
/// the window's width, times the components).
pub const MAX_WINDOW_CLOSES: f64 = 100_000_000.0;
/// Largest number of locked conditions.
pub const MAX_LOCKS: usize = 200;
/// Largest key space of all clients together (each key costs memory for popularity and records).
pub const MAX_KEYS: u32 = 1_000_000;
/// Largest user population of one client (each user has a session and maybe a token bucket).
pub const MAX_USERS: u32 = 100_000;

/// What a problem is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "on", rename_all = "snake_case")]
pub enum Subject {
    /// The text as read: it could not be read at all. The problem's `field` is the place in it
    /// (`components[1].spec.workers`; empty when the text is not JSON, whose message gives the
    /// line and column).
    File,
    /// The scenario as a whole.
    Scenario,
    /// The component with this id (or this position, when the id itself is the problem).
    Component {
        /// The component's id as written.
        id: String,
        /// Its position in the `components` list.
        index: usize,
    },
    /// The fault at this position in the `faults` list.
    Fault {
        /// Its position.
        index: usize,
        /// Its kind as written.
        kind: String,
    },
    /// The goal at this position in the `goals` list.
    Goal {
        /// Its position.
        index: usize,
        /// Its label.
        label: String,
    },
    /// The wire at this position in the `wires` list.
    Wire {
        /// Its position in the `wires` list.
        index: usize,
        /// Sender id as written.
        from: String,
        /// Receiver id as written.
        to: String,
    },
}

/// One thing wrong with a scenario.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    /// What the problem concerns.
    pub subject: Subject,
    /// The field at fault, as written in the file (e.g. `spec.workers`).
    pub field: String,
    /// A sentence for a learner.
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.subject {
            Subject::File if self.field.is_empty() => write!(f, "{}", self.message),
            Subject::File => write!(f, "{}: {}", self.field, self.message),
            Subject::Scenario => write!(f, "scenario, {}: {}", self.field, self.message),
            Subject::Component { id, index } => {
                write!(
                    f,
                    "component {index} (\"{id}\"), {}: {}",
                    self.field, self.message
                )
            }
            Subject::Fault { index, kind } => {
                write!(
                    f,
                    "fault {index} ({kind}), {}: {}",
                    self.field, self.message
                )
            }
            Subject::Goal { index, label } => {
                write!(
                    f,
                    "goal {index} (\"{label}\"), {}: {}",
                    self.field, self.message
                )
            }
            Subject::Wire { index, from, to } => {
                write!(
                    f,
                    "wire {index} (\"{from}\" -> \"{to}\"), {}: {}",
                    self.field, self.message
                )
            }
        }
    }
}

/// Every problem found in a scenario; the simulation was not built.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScenarioError {
    /// All problems, in the order of the file.
    pub problems: Vec<Problem>,
}

impl ScenarioError {
    /// Text that could not be read: where in it (a path such as `components[1].spec.workers`,
    /// empty for the whole text) and why.
    pub fn unreadable(field: impl Into<String>, message: impl Into<String>) -> ScenarioError {
        ScenarioError::one(Subject::File, field, message)
    }

    /// One problem about `subject`.
    pub fn one(
        subject: Subject,
        field: impl Into<String>,
        message: impl Into<String>,
    ) -> ScenarioError {
        ScenarioError {
            problems: vec![Problem {
                subject,
                field: field.into(),
                message: message.into(),
            }],
        }
    }
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Text that could not be read has one problem, said as it is.
        if let [p @ Problem {
            subject: Subject::File,
            ..
        }] = self.problems.as_slice()
        {
            return write!(f, "{p}");
        }
        let n = self.problems.len();
        writeln!(
            f,
            "the scenario has {n} problem{}:",
            if n == 1 { "" } else { "s" }
        )?;
        for p in &self.problems {
            writeln!(f, "  - {p}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ScenarioError {}

/// One outgoing wire, resolved.
#[derive(Debug, Clone, PartialEq)]
pub struct Edge {
    /// Index of the receiver.
    pub to: usize,
    /// Index of the wire in the scenario.
    pub wire: usize,
    /// Whether the sender waits.
    pub mode: WireMode,
    /// Operations carried (empty: all).
    pub ops: Vec<Op>,
    /// Whether the sender carries on without the answer when the call fails.
    pub optional: bool,
}

impl Edge {
    /// Whether requests doing `op` travel this wire.
    pub fn carries(&self, op: Op) -> bool {
        self.ops.is_empty() || self.ops.contains(&op)
    }
}

/// A component after validation.
#[derive(Debug, Clone)]
pub struct Node {
    /// The id as written.
    pub id: String,
    /// Display name (the id when none was given).
    pub name: String,
    /// Kind and parameters, checked.
    pub spec: ComponentSpec,
    /// This component's outgoing wires, in file order.
    pub downstream: Vec<Edge>,
}

/// The checked graph.
#[derive(Debug, Clone)]
pub struct Topology {
    /// Components, indexed as in the scenario.
    pub nodes: Vec<Node>,
    /// For each wire of the scenario, its (from, to) indices.
    pub wires: Vec<(usize, usize)>,
}

/// The kinds a component may send to and the rule in words, from the registry of kinds.
fn allowed_targets(from: &ComponentSpec) -> (&'static [&'static str], &'static str) {
    crate::kinds::kind(from.kind_name()).map_or((&[][..], ""), |k| (k.sends_to, k.sends_rule))
}

/// Whether a component of kind `from` may send to one of kind `to`; the error is a sentence
/// for a learner explaining the rule.
pub fn can_wire(from: &ComponentSpec, to: &ComponentSpec) -> Result<(), ScenarioError> {
    let (allowed, rule) = allowed_targets(from);
    if allowed.contains(&to.kind_name()) {
        Ok(())
    } else {
        Err(ScenarioError::one(
            Subject::Scenario,
            "wires",
            format!(
                "A {} cannot send to a {}: {rule}.",
                from.kind_name().replace('_', " "),
                to.kind_name().replace('_', " ")
            ),
        ))
    }
}

/// Whether a wire is a call its sender waits on (not replication, queue delivery or async).
fn is_call(from: &ComponentSpec, mode: WireMode) -> bool {
    mode == WireMode::Sync && !matches!(from, ComponentSpec::Database(_) | ComponentSpec::Queue(_))
}

/// The component kinds a fault may target, as the registry of kinds says.
pub use crate::kinds::fault_targets;

struct Checker {
    problems: Vec<Problem>,
}

impl Checker {
    fn push(&mut self, subject: Subject, field: impl Into<String>, message: impl Into<String>) {
        self.problems.push(Problem {
            subject,
            field: field.into(),
            message: message.into(),
        });
    }

    /// A finite number within [min, max].
    fn range(&mut self, subject: &Subject, field: &str, value: f64, min: f64, max: f64) {
        if !value.is_finite() {
            self.push(
                subject.clone(),
                field,
                format!("must be a finite number, not {value}"),
            );
        } else if value < min || value > max {
            self.push(
                subject.clone(),
                field,
                format!("must be between {min} and {max}, not {value}"),
            );
        }
    }

    /// A spec: every number within its registry range ([`Checker::slots`]), then what ranges
    /// cannot say (a client's mix, autoscaling bounds that hold the worker count).
    fn spec(&mut self, s: &Subject, spec: &ComponentSpec) {
        let info = spec.info();
        // Through text, as `conditions` does: `to_value` would put a second serialiser for every
        // spec type into the browser bundle.
        let tree: Value = serde_json::from_str(&spec.to_json()).unwrap_or_default();
        self.slots(s, info.name, "spec", info.fields, &tree);
        match spec {
            ComponentSpec::Client(c) => self.mix(s, c),
            ComponentSpec::Service(v) => {
                self.autoscale(s, "spec.workers", v.workers, v.autoscale.as_ref())
            }
            ComponentSpec::Workers(w) => {
                self.autoscale(s, "spec.concurrency", w.concurrency, w.autoscale.as_ref())
            }
            _ => {}
        }
    }

    /// Every number under `tree` within the range the registry gives its field, walking the
    /// spec as it writes itself against the registry's fields for its kind (nested objects,
    /// lists and distributions included): a field added to the registry is checked with no line
    /// here. A number that is not finite writes itself as `null`; where the field cannot be off,
    /// that is refused as well.
    fn slots(&mut self, s: &Subject, kind: &str, at: &str, slots: &[Slot], tree: &Value) {
        for slot in slots {
            let (Some(v), Some(info)) = (tree.get(slot.name), crate::kinds::field(kind, slot.name))
            else {
                continue;
            };
            let path = format!("{at}.{}", slot.name);
            match info.ty {
                Ty::Number | Ty::Whole => match (v.as_f64(), info.range) {
                    (Some(x), Some((min, max))) => self.range(s, &path, x, min, max),
                    (None, _) if v.is_null() && slot.need != Need::Off => {
                        self.push(s.clone(), path, "must be a finite number")
                    }
                    _ => {}
                },
                Ty::Object(inner) => self.slots(s, kind, &path, inner, v),
                Ty::List(inner) => {
                    for (i, item) in v.as_array().into_iter().flatten().enumerate() {
                        self.slots(s, kind, &format!("{path}[{i}]"), inner, item);
                    }
                }
                Ty::Dist => {
                    let name = v.get("dist").and_then(Value::as_str);
                    if let Some((_, inner)) = DISTS.iter().find(|(d, _)| Some(*d) == name) {
                        self.slots(s, "", &path, inner, v);
                    }
                }
                Ty::Bool | Ty::Word => {}
            }
        }
    }

    /// A client's mix: one to sixteen operations whose weights are not all zero.
    fn mix(&mut self, s: &Subject, c: &ClientSpec) {
        if c.mix.is_empty() || c.mix.len() > 16 {
            self.push(
                s.clone(),
                "spec.mix",
                "must list between 1 and 16 operations",
            );
        }
        let total: f64 = c
            .mix
            .iter()
            .map(|m| m.weight)
            .filter(|w| w.is_finite())
            .sum();
        if !c.mix.is_empty() && total <= 0.0 {
            self.push(s.clone(), "spec.mix", "the weights must not all be zero");
        }
    }

    /// Autoscaling bounds that hold the starting count (their ranges are the registry's).
    fn autoscale(&mut self, s: &Subject, field: &str, workers: u32, a: Option<&AutoscaleSpec>) {
        let Some(a) = a else { return };
        if a.min_workers > a.max_workers {
            self.push(
                s.clone(),
                "spec.autoscale.max_workers",
                format!(
                    "must be at least min_workers ({}), not {}",
                    a.min_workers, a.max_workers
                ),
            );
        } else if workers < a.min_workers || workers > a.max_workers {
            self.push(
                s.clone(),
                field,
                format!(
                    "with autoscaling it must be between min_workers ({}) and max_workers ({}), not {workers}",
                    a.min_workers, a.max_workers
                ),
            );
        }
    }

    fn fault(
        &mut self,
        i: usize,
        f: &Fault,
        index_of: &HashMap<&str, usize>,
        scenario: &Scenario,
        downstream: &[Vec<Edge>],
    ) {
        let s = Subject::Fault {
            index: i,
            kind: f.fault.kind_name().to_string(),
        };
        self.range(&s, "at_s", f.at_s, 0.0, MAX_DURATION_S);
        if let Some(d) = f.duration_s {
            self.range(&s, "duration_s", d, 0.001, MAX_DURATION_S);
        }
        let kind_of = |id: &str| {
            index_of
                .get(id)
                .map(|&t| scenario.components[t].spec.kind_name())
        };
        let mut target = |id: &str, kinds: &[&str], rule: &str| match kind_of(id) {
            None => self.push(
                s.clone(),
                "fault.target",
                format!("no component has the id \"{id}\""),
            ),
            Some(kind) if !kinds.contains(&kind) => self.push(
                s.clone(),
                "fault.target",
                format!("{rule}, and \"{id}\" is a {kind}"),
            ),
            Some(_) => {}
        };
        match &f.fault {
            FaultKind::TrafficSpike {
                target: t,
                multiplier,
            } => {
                target(
                    t,
                    &fault_targets("traffic_spike"),
                    "a traffic spike applies to a client",
                );
                self.range(&s, "fault.multiplier", *multiplier, 0.0, 1_000.0);
            }
            FaultKind::Crash { target: t } => target(
                t,
                &fault_targets("crash"),
                "clients and dead-letter queues cannot crash",
            ),
            FaultKind::Latency { target: t, add_ms } => {
                target(
                    t,
                    &fault_targets("latency"),
                    "latency applies to a component that does work",
                );
                self.range(&s, "fault.add_ms", *add_ms, 0.0, MAX_MS);
            }
            FaultKind::Errors {
                target: t,
                probability,
            } => {
                target(
                    t,
                    &fault_targets("errors"),
                    "errors apply to a component that does work",
                );
                self.range(&s, "fault.probability", *probability, 0.0, 1.0);
            }
            FaultKind::Partition { from, to } => {
                let wired = match (index_of.get(from.as_str()), index_of.get(to.as_str())) {
                    (Some(&a), Some(&b)) => downstream[a].iter().any(|e| e.to == b),
                    _ => false,
                };
                if !wired {
                    self.push(
                        s.clone(),
                        "fault.to",
                        format!("there is no wire from \"{from}\" to \"{to}\" to cut"),
                    );
                }
            }
            FaultKind::ReplicationLag {
                target: t,
                multiplier,
            } => {
                target(
                    t,
                    &fault_targets("replication_lag"),
                    "replication lag applies to a replica",
                );
                self.range(&s, "fault.multiplier", *multiplier, 0.0, 10_000.0);
            }
            FaultKind::ContractChange {
                target: t,
                contract,
            } => {
                target(
                    t,
                    &fault_targets("contract_change"),
                    "a contract change applies to a service",
                );
                if *contract == 0 || *contract > 1_000 {
                    self.push(s.clone(), "fault.contract", "must be between 1 and 1000");
                }
            }
            FaultKind::SlowQuery { target: t } => target(
                t,
                &fault_targets("slow_query"),
                "a slow query applies to a database",
            ),
        }
    }
}

impl Topology {
    /// Checks a scenario and builds the graph, or reports every problem found.
    pub fn build(scenario: &Scenario) -> Result<Topology, ScenarioError> {
        let mut ck = Checker {
            problems: Vec::new(),
        };
        let whole = Subject::Scenario;
        if scenario.version != SCENARIO_VERSION {
            ck.push(
                whole.clone(),
                "version",
                format!(
                    "this build reads version {SCENARIO_VERSION}, the file says {}",
                    scenario.version
                ),
            );
        }
        ck.range(
            &whole,
            "duration_s",
            scenario.duration_s,
            0.001,
            MAX_DURATION_S,
        );
        ck.range(&whole, "window_ms", scenario.window_ms, 1.0, 60_000.0);
        // Every window closes for every component, whether anything happened in it or not: a
        // week in 1 ms windows would be 600 million closes a component. Bound the product.
        let windows = scenario.duration_s * 1_000.0 / scenario.window_ms.max(1.0);
        let closes = windows * scenario.components.len() as f64;
        if closes.is_finite() && closes > MAX_WINDOW_CLOSES {
            let shortest = scenario.duration_s * 1_000.0 * scenario.components.len() as f64
                / MAX_WINDOW_CLOSES;
            ck.push(
                whole.clone(),
                "window_ms",
                format!(
                    "{windows:.0} windows of {} ms for {} components is more work than a run may ask for \
                     (at most {MAX_WINDOW_CLOSES:.0} window closes); use windows of at least {:.0} ms \
                     or a shorter run",
                    scenario.window_ms,
                    scenario.components.len(),
                    shortest.ceil()
                ),
            );
        }
        let counts = [
            ("components", scenario.components.len(), MAX_COMPONENTS),
            ("wires", scenario.wires.len(), MAX_WIRES),
            ("faults", scenario.faults.len(), MAX_FAULTS),
            ("goals", scenario.goals.len(), MAX_GOALS),
            ("locked", scenario.locked.len(), MAX_LOCKS),
        ];
        let mut too_big = false;
        for (field, n, max) in counts {
            if n > max {
                ck.push(
                    whole.clone(),
                    field,
                    format!("at most {max} {field}, not {n}"),
                );
                too_big = true;
            }
        }
        if too_big {
            // Too large to look into further without doing unbounded work for a bad file.
            return Err(ScenarioError {
                problems: ck.problems,
            });
        }

        let mut index_of: HashMap<&str, usize> = HashMap::new();
        let mut total_keys: u64 = 0;
        for (i, c) in scenario.components.iter().enumerate() {
            let s = Subject::Component {
                id: c.id.clone(),
                index: i,
            };
            if c.id.trim().is_empty() {
                ck.push(s.clone(), "id", "must not be empty");
            } else if c.id.chars().count() > 64 {
                ck.push(s.clone(), "id", "must be at most 64 characters");
            } else if index_of.insert(c.id.as_str(), i).is_some() {
                ck.push(
                    s.clone(),
                    "id",
                    format!("\"{}\" is used by another component", c.id),
                );
            }
            if c.name.chars().count() > 80 {
                ck.push(s.clone(), "name", "must be at most 80 characters");
            }
            ck.range(&s, "x", c.x, -1e6, 1e6);
            ck.range(&s, "y", c.y, -1e6, 1e6);
            if let ComponentSpec::Client(spec) = &c.spec {
                total_keys += u64::from(spec.keys.min(MAX_KEYS));
            }
            ck.spec(&s, &c.spec);
        }
        if total_keys > u64::from(MAX_KEYS) {
            ck.push(
                whole.clone(),
                "components",
                format!("all clients together may use at most {MAX_KEYS} keys, not {total_keys}"),
            );
        }

        let n = scenario.components.len();
        let mut downstream: Vec<Vec<Edge>> = vec![Vec::new(); n];
        let mut upstream: Vec<Vec<usize>> = vec![Vec::new(); n];
        let mut wires = Vec::with_capacity(scenario.wires.len());
        for (i, w) in scenario.wires.iter().enumerate() {
            let s = Subject::Wire {
                index: i,
                from: w.from.clone(),
                to: w.to.clone(),
            };
            let from = index_of.get(w.from.as_str()).copied();
            let to = index_of.get(w.to.as_str()).copied();
            if from.is_none() {
                ck.push(
                    s.clone(),
                    "from",
                    format!("no component has the id \"{}\"", w.from),
                );
            }
            if to.is_none() {
                ck.push(
                    s.clone(),
                    "to",
                    format!("no component has the id \"{}\"", w.to),
                );
            }
            if w.ops.len() > 5 {
                ck.push(s.clone(), "ops", "lists an operation more than once");
            }
            let (Some(from), Some(to)) = (from, to) else {
                wires.push((usize::MAX, usize::MAX));
                continue;
            };
            wires.push((from, to));
            if from == to {
                ck.push(s, "to", "a component cannot send requests to itself");
                continue;
            }
            let from_spec = &scenario.components[from].spec;
            let to_kind = scenario.components[to].spec.kind_name();
            let (allowed, rule) = allowed_targets(from_spec);
            if !allowed.contains(&to_kind) {
                ck.push(
                    s,
                    "to",
                    format!(
                        "a {} cannot send to a {to_kind}: {rule}",
                        from_spec.kind_name()
                    ),
                );
                continue;
            }
            if downstream[from].iter().any(|e| e.to == to) {
                ck.push(
                    s,
                    "to",
                    "the same two components are already wired this way",
                );
                continue;
            }
            upstream[to].push(from);
            downstream[from].push(Edge {
                to,
                wire: i,
                mode: w.mode,
                ops: w.ops.clone(),
                optional: w.optional,
            });
        }

        for (i, c) in scenario.components.iter().enumerate() {
            let s = Subject::Component {
                id: c.id.clone(),
                index: i,
            };
            let outs = downstream[i].len();
            let kind_of = |j: usize| scenario.components[j].spec.kind_name();
            let count_to = |kind: &str| {
                downstream[i]
                    .iter()
                    .filter(|e| kind_of(e.to) == kind)
                    .count()
            };
            match &c.spec {
                ComponentSpec::Client(_) if outs != 1 => {
                    ck.push(s, "wires", format!("a client needs exactly one outgoing wire, it has {outs}"))
                }
                ComponentSpec::RateLimiter(_) if outs != 1 => ck.push(
                    s,
                    "wires",
                    format!("a rate limiter needs exactly one outgoing wire, it has {outs}"),
                ),
                ComponentSpec::Cache(_) if outs != 1 => ck.push(
                    s,
                    "wires",
                    format!("a cache needs exactly one wire to the database or replica behind it, it has {outs}"),
                ),
                ComponentSpec::LoadBalancer(_) if outs == 0 => {
                    ck.push(s, "wires", "a load balancer needs at least one target")
                }
                ComponentSpec::Queue(_) if count_to("workers") == 0 => {
                    ck.push(s, "wires", "a queue needs a wire to a worker pool that consumes it")
                }
                ComponentSpec::Queue(_) if count_to("dead_letter") > 1 => {
                    ck.push(s, "wires", "a queue can have at most one dead-letter queue")
                }
                ComponentSpec::Replica(_)
                    if upstream[i].iter().filter(|&&u| kind_of(u) == "database").count() != 1 =>
                {
                    ck.push(s, "wires", "a replica needs exactly one incoming wire from the database it copies")
                }
                _ => {}
            }
        }

        let calls: Vec<Vec<usize>> = downstream
            .iter()
            .enumerate()
            .map(|(i, edges)| {
                let spec = &scenario.components[i].spec;
                edges
                    .iter()
                    .filter(|e| is_call(spec, e.mode))
                    .map(|e| e.to)
                    .collect()
            })
            .collect();
        if let Some(cycle) = find_cycle(&calls) {
            let names: Vec<&str> = cycle
                .iter()
                .map(|&i| scenario.components[i].id.as_str())
                .collect();
            let first = cycle[0];
            ck.push(
                Subject::Component { id: scenario.components[first].id.clone(), index: first },
                "wires",
                format!(
                    "synchronous calls form a loop ({}): a request would wait on itself; make one wire async",
                    names.join(" -> ")
                ),
            );
        }

        for (i, f) in scenario.faults.iter().enumerate() {
            ck.fault(i, f, &index_of, scenario, &downstream);
        }
        for (i, g) in scenario.goals.iter().enumerate() {
            let s = Subject::Goal {
                index: i,
                label: g.label.clone(),
            };
            if g.label.chars().count() > 200 {
                ck.push(s.clone(), "label", "must be at most 200 characters");
            }
            if let Some(id) = &g.component {
                if !index_of.contains_key(id.as_str()) {
                    ck.push(
                        s.clone(),
                        "component",
                        format!("no component has the id \"{id}\""),
                    );
                }
            }
            ck.range(&s, "target", g.target, -1e12, 1e12);
            ck.range(&s, "from_s", g.from_s, 0.0, MAX_DURATION_S);
            if let Some(to) = g.to_s {
                ck.range(
                    &s,
                    "to_s",
                    to,
                    g.from_s.clamp(0.0, MAX_DURATION_S),
                    MAX_DURATION_S,
                );
            }
        }

        for (i, lock) in scenario.locked.iter().enumerate() {
            if lock.path.is_empty() || lock.path.chars().count() > 200 {
                let msg = "must name what is locked, in at most 200 characters";
                ck.push(whole.clone(), format!("locked[{i}].path"), msg);
            }
            if lock.why.chars().count() > 300 {
                let msg = "must be at most 300 characters";
                ck.push(whole.clone(), format!("locked[{i}].why"), msg);
            }
            if let Some(rest) = lock.path.strip_prefix(crate::conditions::KIND_PREFIX) {
                let kind = rest.split('.').next().unwrap_or_default();
                if crate::kinds::kind(kind).is_none() {
                    let msg = format!(
                        "\"{kind}\" is not a kind of component (one of {})",
                        crate::kinds::KINDS.join(", ")
                    );
                    ck.push(whole.clone(), format!("locked[{i}].path"), msg);
                }
            }
            if let Some(rest) = lock.path.strip_prefix(crate::conditions::CALLS_PREFIX) {
                let ends = rest.split_once("->");
                if !ends.is_some_and(|(a, b)| !a.is_empty() && !b.is_empty()) {
                    let msg = "a call is written calls:<from id>-><to id>";
                    ck.push(whole.clone(), format!("locked[{i}].path"), msg);
                }
            }
        }

        if !ck.problems.is_empty() {
            return Err(ScenarioError {
                problems: ck.problems,
            });
        }
        let nodes = scenario
            .components
            .iter()
            .zip(downstream)
            .map(|(c, downstream)| Node {
                id: c.id.clone(),
                name: if c.name.is_empty() {
                    c.id.clone()
                } else {
                    c.name.clone()
                },
                spec: c.spec.clone(),
                downstream,
            })
            .collect();
        Ok(Topology { nodes, wires })
    }

    /// The index of the component with this id.
    pub fn index_of(&self, id: &str) -> Option<usize> {
        self.nodes.iter().position(|n| n.id == id)
    }

    /// Whether the synchronous calls of this graph form a loop.
    pub fn has_call_cycle(&self) -> bool {
        let calls: Vec<Vec<usize>> = self
            .nodes
            .iter()
            .map(|n| {
                n.downstream
                    .iter()
                    .filter(|e| is_call(&n.spec, e.mode))
                    .map(|e| e.to)
                    .collect()
            })
            .collect();
        find_cycle(&calls).is_some()
    }
}

/// Checks one component's parameters (for a switch flipped mid-run).
pub fn check_spec(subject: &Subject, spec: &ComponentSpec) -> Result<(), ScenarioError> {
    let mut ck = Checker {
        problems: Vec::new(),
    };
    ck.spec(subject, spec);
    if ck.problems.is_empty() {
        Ok(())
    } else {
        Err(ScenarioError {
            problems: ck.problems,
        })
    }
}

/// Checks a fault against a built graph (for a fault injected mid-run).
pub fn check_fault(fault: &Fault, topology: &Topology) -> Result<(), ScenarioError> {
    let mut ck = Checker {
        problems: Vec::new(),
    };
    let index_of: HashMap<&str, usize> = topology
        .nodes
        .iter()
        .enumerate()
        .map(|(i, n)| (n.id.as_str(), i))
        .collect();
    let scenario = Scenario {
        version: SCENARIO_VERSION,
        name: String::new(),
        seed: 0,
        duration_s: 1.0,
        window_ms: 100.0,
        trace_every: 0,
        access_log_every: 0,
        components: topology
            .nodes
            .iter()
            .map(|n| crate::scenario::Component {
                id: n.id.clone(),
                name: n.name.clone(),
                x: 0.0,
                y: 0.0,
                spec: n.spec.clone(),
            })
            .collect(),
        wires: Vec::new(),
        faults: Vec::new(),
        goals: Vec::new(),
        locked: Vec::new(),
    };
    let downstream: Vec<Vec<Edge>> = topology
        .nodes
        .iter()
        .map(|n| n.downstream.clone())
        .collect();
    ck.fault(0, fault, &index_of, &scenario, &downstream);
    if ck.problems.is_empty() {
        Ok(())
    } else {
        Err(ScenarioError {
            problems: ck.problems,
        })
    }
}

/// A loop in the call graph, as the list of nodes on it, found by iterative depth-first search.
fn find_cycle(edges: &[Vec<usize>]) -> Option<Vec<usize>> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        New,
        OnPath,
        Done,
    }
    let mut mark = vec![Mark::New; edges.len()];
    for root in 0..edges.len() {
        if mark[root] != Mark::New {
            continue;
        }
        let mut path: Vec<(usize, usize)> = vec![(root, 0)];
        mark[root] = Mark::OnPath;
        while let Some(&mut (node, ref mut next)) = path.last_mut() {
            if let Some(&to) = edges[node].get(*next) {
                *next += 1;
                match mark[to] {
                    Mark::New => {
                        mark[to] = Mark::OnPath;
                        path.push((to, 0));
                    }
                    Mark::OnPath => {
                        let start = path.iter().position(|&(n, _)| n == to).unwrap_or(0);
                        return Some(path[start..].iter().map(|&(n, _)| n).collect());
                    }
                    Mark::Done => {}
                }
            } else {
                mark[node] = Mark::Done;
                path.pop();
            }
        }
    }
    None
}
