//! The running simulation: `new`, `step`, `run_until`, `run_until_bounded`, `apply`, `metrics`,
//! `snapshot`, `goals`.
//!
//! Requests move as *calls*: a caller (a client's request, a component's job, or nobody for a
//! fire-and-forget hand-off) sends a call to a callee, which handles it according to its kind
//! (`components/`) and answers. A caller that times out forgets the call; the callee does not
//! know and finishes the work anyway, just as a real server would. Every piece of in-flight state
//! lives in a generational slab, so a late event sees a stale key instead of a reused slot.

use crate::agenda::Agenda;
use crate::components::{Breaker, State};
use crate::goal::{GoalStatus, Goals};
use crate::metrics::{ComponentMetrics, Counter, Window};
use crate::observe::{Level, LogLine, Observer, Trace};
use crate::rng::Rng;
use crate::scenario::{ComponentSpec, Fault, Op, Scenario, WireMode};
use crate::slab::{Key, Slab};
use crate::time::{to_us, SimTime};
use crate::topology::{Problem, ScenarioError, Subject, Topology};
pub use playground_format::Command;
use serde::{Deserialize, Serialize};

/// How many closed windows each component keeps at most (30 minutes at the default 100 ms).
pub const HISTORY_WINDOWS: usize = 18_000;
/// The memory all components' kept windows may take together (see [`history_limit`]).
pub const HISTORY_BYTES: usize = 24 << 20;

/// How many closed windows each component of `scenario` keeps: no more than the run has, no
/// more than [`HISTORY_WINDOWS`], and no more than a fair share of [`HISTORY_BYTES`], so a file
/// with hundreds of components keeps a shorter history instead of hundreds of megabytes the
/// charts never show (ten components keep the full 18,000; 500 keep 350, 35 s at 100 ms).
/// Goals never read the history, so their verdicts do not depend on it.
pub fn history_limit(scenario: &Scenario) -> usize {
    let windows = scenario.duration_s * 1000.0 / scenario.window_ms;
    let in_run = if windows.is_finite() && windows >= 0.0 {
        windows.ceil() as usize + 1
    } else {
        HISTORY_WINDOWS
    };
    let share = HISTORY_BYTES / std::mem::size_of::<Window>() / scenario.components.len().max(1);
    HISTORY_WINDOWS.min(in_run).min(share)
}
/// How long a proxy (balancer, limiter, cache) waits for the component behind it: its idle timeout.
pub(crate) const PROXY_TIMEOUT_US: u64 = 60_000_000;

/// How a call ended, as the caller sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Success.
    Ok,
    /// A server error (5xx), a refused connection or an unreadable answer.
    Error,
    /// Refused for load: shed (503) or rate limited (429).
    Rejected,
    /// Conflict (409): a concurrent attempt holds the key, or a version check failed.
    Conflict,
}

/// An answer.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Reply {
    pub status: Status,
    /// Version of the record read or written (0: none).
    pub version: u64,
    /// Stock read (purchases).
    pub value: i64,
    /// Response format version.
    pub contract: u32,
}

impl Reply {
    pub fn status(status: Status) -> Reply {
        Reply {
            status,
            version: 0,
            value: 0,
            contract: 1,
        }
    }
}

/// Phase of a purchase's read-modify-write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Rmw {
    /// Read the stock (and, with a lock, take it).
    Read { lock: bool },
    /// Take one from the stock in one conditional update, if there is any left.
    Decrement,
    /// Write `value` back; when `checked`, only if the version is still `read_version`
    /// (optimistic concurrency).
    Write {
        value: i64,
        read_version: u64,
        checked: bool,
        unlock: bool,
        sale: bool,
    },
}

/// What travels with a call. It is copied into every call and job, so it stays small.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Msg {
    /// Logical request (or job) id, unique in the run: the key side effects are counted by.
    pub request: u64,
    pub attempt: u32,
    /// Global user index (sessions, per-user rate limits).
    pub user: u32,
    pub op: Op,
    pub key: u32,
    /// Whether the request carries an idempotency key; the key is its `request` id (a
    /// double submit repeats the id), so the flag is all a message needs to carry.
    pub keyed: bool,
    /// The version this user last wrote to `key` (0: never): a read returning less is stale.
    pub session_version: u64,
    /// When this user last wrote anything (read-your-writes routing).
    pub wrote_at: Option<SimTime>,
    pub wants_contract: Option<u32>,
    pub rmw: Option<Rmw>,
    /// Trace slot and the span that made this call.
    pub trace: Option<u64>,
    pub parent_span: Option<u32>,
}

impl Msg {
    /// The idempotency key, if the request carries one.
    pub fn idem(&self) -> Option<u64> {
        self.keyed.then_some(self.request)
    }
}

/// Who waits for a call's answer.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Caller {
    Request(Key),
    Job(Key),
    /// A call sent on the side (a cache invalidation): the answer is dropped.
    Nobody,
    /// A fire-and-forget call over an asynchronous wire from this component: the answer is
    /// dropped, but a failure is counted there (`handoffs_failed`), since the work its caller
    /// was told was done did not happen.
    HandOff(usize),
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct Call {
    pub caller: Caller,
    pub callee: usize,
    pub msg: Msg,
    pub span: Option<u32>,
}

/// One logical client request, across its attempts.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Request {
    pub client: usize,
    pub started: SimTime,
    pub attempts: u32,
    pub msg: Msg,
}

/// A component's handling of one piece of work.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Job {
    pub comp: usize,
    /// The call being answered (None for work a queue delivered).
    pub call: Option<Key>,
    /// The queue message being worked on, for worker jobs.
    pub delivery: Option<(usize, Key, u32)>,
    pub msg: Msg,
    pub arrived: SimTime,
    pub epoch: u32,
    /// Index of the next downstream wire to consider.
    pub stage: u16,
    pub failed: bool,
    /// Whether a worker was taken (stations) and must be released.
    pub holds_worker: bool,
    /// Data carried back to the caller.
    pub reply: Reply,
    /// Optimistic-concurrency retries so far.
    pub conflicts: u8,
    /// Workers: whether the failure strikes after the side effects instead of before.
    pub fail_late: bool,
}

#[derive(Debug, Clone, Copy)]
pub(crate) enum Event {
    Arrive {
        client: usize,
        generation: u32,
    },
    Attempt {
        request: Key,
    },
    Deliver {
        call: Key,
    },
    WorkDone {
        job: Key,
    },
    Respond {
        call: Key,
        reply: Reply,
    },
    CallTimeout {
        call: Key,
    },
    Forward {
        job: Key,
    },
    Replicate {
        replica: usize,
        key: u32,
        version: u64,
        committed: SimTime,
    },
    Visible {
        queue: usize,
        message: Key,
        receipt: u32,
    },
    FaultStart {
        fault: usize,
    },
    FaultEnd {
        fault: usize,
    },
    Autoscale {
        comp: usize,
    },
    WorkersReady {
        comp: usize,
        count: u32,
    },
    WindowClose,
}

/// Every logical request ends in exactly one of these; the books balance at every instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Ledger {
    /// Requests that entered (created by clients).
    pub entered: u64,
    /// Answered successfully.
    pub succeeded: u64,
    /// Answered with an error after the last attempt.
    pub failed: u64,
    /// Refused (shed or rate limited) on the last attempt.
    pub rejected: u64,
    /// The last attempt timed out.
    pub timed_out: u64,
    /// Not finished yet.
    pub in_flight: u64,
}

impl Ledger {
    /// True when every request that entered is counted exactly once.
    pub fn balances(&self) -> bool {
        self.entered
            == self.succeeded + self.failed + self.rejected + self.timed_out + self.in_flight
    }
}

/// Every job a queue accepts ends in exactly one of these.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct JobLedger {
    /// Jobs a queue accepted.
    pub accepted: u64,
    /// Processed and acknowledged.
    pub delivered: u64,
    /// Moved to a dead-letter queue after their last attempt.
    pub dead_lettered: u64,
    /// Lost without a trace: failed for the last time with no dead-letter queue.
    pub dropped: u64,
    /// Waiting, being worked on, or waiting to be retried.
    pub in_flight: u64,
}

impl JobLedger {
    /// True when every accepted job is counted exactly once.
    pub fn balances(&self) -> bool {
        self.accepted == self.delivered + self.dead_lettered + self.dropped + self.in_flight
    }
}

/// What the canvas draws for one component.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ComponentSnapshot {
    /// The id as written.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Kind as written in files.
    pub kind: String,
    /// Waiting work now.
    pub queue_depth: u32,
    /// Capacity of the waiting line, if bounded.
    pub queue_capacity: Option<u32>,
    /// Busy workers now.
    pub in_service: u32,
    /// Worker count (zero where it does not apply).
    pub workers: u32,
    /// Whether it is crashed.
    pub crashed: bool,
    /// Whether any of its circuit breakers is open.
    pub circuit_open: bool,
    /// The last closed window of its metrics.
    pub last_window: Option<Window>,
    /// Counts since the start of the run.
    pub totals: crate::metrics::Totals,
}

/// Plain data describing the system now, for drawing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    /// Simulated time, in milliseconds.
    pub now_ms: f64,
    /// One entry per component, in scenario order.
    pub components: Vec<ComponentSnapshot>,
    /// For each wire of the scenario, whether it is partitioned.
    pub partitioned: Vec<bool>,
    /// The request ledger.
    pub ledger: Ledger,
    /// The job ledger.
    pub jobs: JobLedger,
}

/// Where a fault is in its life: each starts at most once and ends at most once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FaultPhase {
    Waiting,
    Active,
    Over,
}

/// Temporary changes faults make to a component.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub(crate) struct Mods {
    pub crashed: bool,
    pub add_latency_ms: f64,
    pub add_error: f64,
    pub rate_multiplier: f64,
    pub lag_multiplier: f64,
    pub index_dropped: bool,
    pub contract: Option<u32>,
}

/// A running simulation of one scenario.
#[derive(Debug, Clone)]
pub struct Simulation {
    pub(crate) topology: Topology,
    pub(crate) state: Vec<State>,
    pub(crate) rngs: Vec<Rng>,
    pub(crate) metrics: Vec<ComponentMetrics>,
    pub(crate) mods: Vec<Mods>,
    pub(crate) epochs: Vec<u32>,
    pub(crate) breakers: Vec<Vec<Breaker>>,
    pub(crate) partitioned: Vec<bool>,
    pub(crate) faults: Vec<Fault>,
    /// Where each fault of `faults` is in its life.
    pub(crate) fault_phases: Vec<FaultPhase>,
    /// When each fault of `faults` started and ended (None: not yet, or never).
    pub(crate) fault_times: Vec<(Option<SimTime>, Option<SimTime>)>,
    pub(crate) agenda: Agenda<Event>,
    pub(crate) requests: Slab<Request>,
    pub(crate) jobs: Slab<Job>,
    pub(crate) calls: Slab<Call>,
    pub(crate) ledger: Ledger,
    pub(crate) job_ledger: JobLedger,
    pub(crate) goals: Goals,
    pub(crate) observer: Observer,
    pub(crate) now: SimTime,
    end: SimTime,
    window_us: u64,
    window_start: SimTime,
    version: u64,
    events: u64,
    pub(crate) next_request: u64,
    /// First global user index of each client.
    pub(crate) user_base: Vec<u32>,
    /// The autoscaler of each component (idle for those that do not autoscale).
    pub(crate) scalers: Vec<crate::components::Scaler>,
    /// The scenario's locked conditions, and those this run has broken (once broken, for the
    /// rest of the run: changing a value back does not undo seconds run under other conditions).
    locks: Vec<crate::scenario::Lock>,
    changed: Vec<crate::conditions::Change>,
}

impl Simulation {
    /// Validates the scenario and sets up the run at time zero.
    pub fn new(scenario: &Scenario) -> Result<Simulation, ScenarioError> {
        let topology = Topology::build(scenario)?;
        let n = topology.nodes.len();
        let mut user_base = Vec::with_capacity(n);
        let mut users = 0u32;
        for node in &topology.nodes {
            user_base.push(users);
            if let ComponentSpec::Client(c) = &node.spec {
                users = users.saturating_add(c.users);
            }
        }
        let state = topology
            .nodes
            .iter()
            .map(|node| State::new(node, users))
            .collect();
        let breakers = topology
            .nodes
            .iter()
            .map(|node| vec![Breaker::default(); node.downstream.len()])
            .collect();
        let metrics = topology
            .nodes
            .iter()
            .map(|node| ComponentMetrics::new(node.spec.workers(), history_limit(scenario)))
            .collect();
        let mut sim = Simulation {
            rngs: topology
                .nodes
                .iter()
                .map(|node| Rng::stream(scenario.seed, &node.id))
                .collect(),
            metrics,
            mods: vec![
                Mods {
                    rate_multiplier: 1.0,
                    lag_multiplier: 1.0,
                    ..Mods::default()
                };
                n
            ],
            epochs: vec![0; n],
            breakers,
            partitioned: vec![false; scenario.wires.len()],
            faults: Vec::new(),
            fault_phases: Vec::new(),
            fault_times: Vec::new(),
            agenda: Agenda::default(),
            requests: Slab::default(),
            jobs: Slab::default(),
            calls: Slab::default(),
            ledger: Ledger::default(),
            job_ledger: JobLedger::default(),
            goals: Goals::new(
                &scenario.goals,
                &topology,
                SimTime::from_secs(scenario.duration_s),
            ),
            observer: Observer::new(scenario.trace_every, scenario.access_log_every),
            now: SimTime::ZERO,
            end: SimTime::from_secs(scenario.duration_s),
            window_us: to_us(scenario.window_ms * 1_000.0).max(1_000),
            window_start: SimTime::ZERO,
            version: 0,
            events: 0,
            next_request: 1,
            user_base,
            scalers: vec![crate::components::Scaler::default(); n],
            locks: scenario.locked.clone(),
            changed: crate::conditions::changed(scenario),
            state,
            topology,
        };
        for i in 0..n {
            for e in 0..sim.topology.nodes[i].downstream.len() {
                let to = sim.topology.nodes[i].downstream[e].to;
                match &mut sim.state[to] {
                    State::Replica(_, r) => r.primary = Some(i),
                    State::Workers(_, w) => w.sources.push(i),
                    _ => {}
                }
            }
        }
        for i in 0..n {
            if matches!(sim.topology.nodes[i].spec, ComponentSpec::Client(_)) {
                sim.arm_client(i);
            }
        }
        for f in &scenario.faults {
            sim.add_fault(f.clone());
        }
        for i in 0..n {
            sim.arm_autoscaler(i);
        }
        sim.agenda
            .schedule(SimTime(sim.window_us), Event::WindowClose);
        Ok(sim)
    }

    /// Simulated time now.
    pub fn now(&self) -> SimTime {
        self.now
    }

    /// The end of a full run, from the scenario's duration.
    pub fn end(&self) -> SimTime {
        self.end
    }

    /// Events processed so far.
    pub fn events_processed(&self) -> u64 {
        self.events
    }

    /// Changes whenever a metrics window closes: the app redraws charts when it moves.
    pub fn version(&self) -> u64 {
        self.version
    }

    /// Per-component metrics, in scenario order.
    pub fn metrics(&self) -> &[ComponentMetrics] {
        &self.metrics
    }

    /// The request ledger now.
    pub fn ledger(&self) -> Ledger {
        self.ledger
    }

    /// The job ledger now.
    pub fn job_ledger(&self) -> JobLedger {
        self.job_ledger
    }

    /// The validated graph.
    pub fn topology(&self) -> &Topology {
        &self.topology
    }

    /// Each fault of the run, scheduled in the file or injected live, in the order it was added,
    /// with when it started and ended (None: not yet, or never).
    pub fn fault_history(
        &self,
    ) -> impl Iterator<Item = (&Fault, Option<SimTime>, Option<SimTime>)> {
        let times = self.fault_times.iter();
        self.faults.iter().zip(times).map(|(f, &(a, b))| (f, a, b))
    }

    /// The width of a metrics window, in simulated seconds.
    pub fn window_s(&self) -> f64 {
        self.window_us as f64 / 1e6
    }

    /// Every goal with its measured value and whether it passes.
    pub fn goals(&self) -> Vec<GoalStatus> {
        self.goals
            .status(self.now, &self.metrics, self.job_ledger.in_flight)
    }

    /// The most recent log lines, oldest first.
    pub fn logs(&self) -> impl DoubleEndedIterator<Item = &LogLine> {
        self.observer.logs()
    }

    /// The most recent sampled request traces, oldest first.
    pub fn traces(&self) -> impl DoubleEndedIterator<Item = &Trace> {
        self.observer.traces()
    }

    /// When the next event happens (None: nothing is left to do), as SimPy's `peek()`: a
    /// loop of `run_until` to it drives a progress bar or a step-by-step view.
    pub fn next_event_at(&self) -> Option<SimTime> {
        self.agenda.peek_time()
    }

    /// Processes the next event; false when nothing is left to do.
    pub fn step(&mut self) -> bool {
        self.step_until(SimTime(u64::MAX))
    }

    /// Processes the next event if it is due by `deadline`; false when none is.
    fn step_until(&mut self, deadline: SimTime) -> bool {
        let Some((at, event)) = self.agenda.pop_until(deadline) else {
            return false;
        };
        self.now = at;
        self.events += 1;
        self.handle(event);
        true
    }

    /// Processes every event up to and including `deadline`, then sets the clock to it.
    pub fn run_until(&mut self, deadline: SimTime) {
        while self.step_until(deadline) {}
        self.now = self.now.max(deadline);
    }

    /// Like `run_until` but stops after `max_events`; true when the deadline was reached.
    /// A UI frame uses this to stay inside its time budget whatever the load.
    pub fn run_until_bounded(&mut self, deadline: SimTime, max_events: u64) -> bool {
        let mut left = max_events;
        while left > 0 && self.step_until(deadline) {
            left -= 1;
        }
        if self.agenda.peek_time().is_some_and(|t| t <= deadline) {
            return false;
        }
        self.now = self.now.max(deadline);
        true
    }

    /// Runs to the scenario's end.
    pub fn run(&mut self) {
        self.run_until(self.end);
    }

    /// Applies a change to the running system. An invalid command is refused whole, with the
    /// problems named, and leaves the simulation exactly as it was.
    pub fn apply(&mut self, command: Command) -> Result<(), ScenarioError> {
        let refuse = |subject: Subject, field: &str, message: String| {
            Err(ScenarioError {
                problems: vec![Problem {
                    subject,
                    field: field.into(),
                    message,
                }],
            })
        };
        let unknown = |id: &str| {
            refuse(
                Subject::Scenario,
                "id",
                format!("no component has the id \"{id}\""),
            )
        };
        match command {
            Command::SetComponent { id, spec } => {
                let Some(i) = self.topology.index_of(&id) else {
                    return unknown(&id);
                };
                let old = &self.topology.nodes[i].spec;
                let subject = Subject::Component {
                    id: id.clone(),
                    index: i,
                };
                if old.kind_name() != spec.kind_name() {
                    let msg = format!("a {} cannot become a {}", old.kind_name(), spec.kind_name());
                    return refuse(subject, "spec.kind", msg);
                }
                crate::topology::check_spec(&subject, &spec)?;
                let ids: Vec<&str> = self.topology.nodes.iter().map(|n| n.id.as_str()).collect();
                let broken: Vec<_> =
                    crate::conditions::changed_by_spec(&self.locks, &ids, &id, &spec).collect();
                self.note_changes(broken);
                self.topology.nodes[i].spec = spec;
                self.metrics[i].set_workers(self.now, self.topology.nodes[i].spec.workers());
                self.respec(i);
                Ok(())
            }
            Command::Rename { id, name } => {
                let Some(i) = self.topology.index_of(&id) else {
                    return unknown(&id);
                };
                self.topology.nodes[i].name = if name.trim().is_empty() { id } else { name };
                Ok(())
            }
            Command::SetWireOptional { from, to, optional } => {
                let Some((a, e)) = self.edge_between(&from, &to) else {
                    let msg = format!("there is no wire from \"{from}\" to \"{to}\"");
                    return refuse(Subject::Scenario, "wires", msg);
                };
                self.topology.nodes[a].downstream[e].optional = optional;
                self.note_wire_change();
                Ok(())
            }
            Command::SetWireMode { from, to, mode } => {
                let Some((a, e)) = self.edge_between(&from, &to) else {
                    let msg = format!("there is no wire from \"{from}\" to \"{to}\"");
                    return refuse(Subject::Scenario, "wires", msg);
                };
                if mode == WireMode::Sync {
                    let mut probe = self.topology.clone();
                    probe.nodes[a].downstream[e].mode = mode;
                    if probe.has_call_cycle() {
                        let msg =
                            "making this wire synchronous would create a loop of waiting calls"
                                .to_string();
                        return refuse(Subject::Scenario, "mode", msg);
                    }
                }
                self.topology.nodes[a].downstream[e].mode = mode;
                self.note_wire_change();
                Ok(())
            }
            Command::EndFault { index } => {
                let Some(phase) = self.fault_phases.get(index).copied() else {
                    let msg = format!(
                        "there is no fault number {index} (this run has {})",
                        self.faults.len()
                    );
                    return refuse(Subject::Scenario, "faults", msg);
                };
                let broken = crate::conditions::faults_changed(&self.locks);
                self.note_changes(broken);
                match phase {
                    FaultPhase::Active => self.fault_end(index),
                    FaultPhase::Waiting => self.fault_phases[index] = FaultPhase::Over,
                    FaultPhase::Over => {}
                }
                Ok(())
            }
            Command::Set { path, value } => {
                let nodes = self.topology.nodes.iter();
                let components = nodes.map(|n| (n.id.as_str(), &n.spec));
                match crate::conditions::spec_with_value(components, &path, value) {
                    Ok((id, spec)) => self.apply(Command::SetComponent { id, spec }),
                    Err(refused) => Err(refused),
                }
            }
            Command::InjectFault(fault) => {
                crate::topology::check_fault(&fault, &self.topology)?;
                let broken = crate::conditions::faults_changed(&self.locks);
                self.note_changes(broken);
                self.add_fault(fault);
                Ok(())
            }
        }
    }

    /// Notes the `calls:` locks a live change to a wire broke.
    fn note_wire_change(&mut self) {
        let topology = &self.topology;
        let sent: Vec<Op> = topology
            .nodes
            .iter()
            .filter_map(|n| match &n.spec {
                ComponentSpec::Client(c) => Some(c.mix.iter().map(|m| m.op)),
                _ => None,
            })
            .flatten()
            .collect();
        let broken = crate::conditions::calls_changed(&self.locks, |from, to| {
            crate::conditions::calls_value(
                topology.index_of(from)?,
                topology.index_of(to)?,
                topology.nodes.len(),
                &sent,
                |i| crate::conditions::waits_through(topology.nodes[i].spec.kind_name()),
                |i, op| {
                    let edges = topology.nodes[i].downstream.iter();
                    edges
                        .filter(|e| e.mode == WireMode::Sync && e.carries(op))
                        .map(|e| e.to)
                        .collect()
                },
            )
        });
        self.note_changes(broken);
    }

    /// The sender's index and the edge's position among its wires, for the wire `from` → `to`.
    fn edge_between(&self, from: &str, to: &str) -> Option<(usize, usize)> {
        let a = self.topology.index_of(from)?;
        let b = self.topology.index_of(to)?;
        let e = self.topology.nodes[a]
            .downstream
            .iter()
            .position(|e| e.to == b)?;
        Some((a, e))
    }

    /// `Ok` when every goal passes now and the run kept its locked conditions; otherwise a
    /// report naming each failing goal with its measured value and target, and each broken
    /// condition, readable as a test failure (`sim.check_goals().unwrap()`). Call it after
    /// [`Simulation::run`] for final verdicts.
    pub fn check_goals(&self) -> Result<(), crate::goal::GoalReport> {
        let goals = self.goals();
        let total = goals.len();
        let failed: Vec<_> = goals.into_iter().filter(|g| !g.passed).collect();
        if failed.is_empty() && self.changed.is_empty() {
            return Ok(());
        }
        Err(crate::goal::GoalReport {
            at_s: self.now.as_secs(),
            goals: total,
            failed,
            changed: self.changed.clone(),
        })
    }

    /// The whole-run counters of the component `id`, or `None` if no component has that id.
    pub fn totals(&self, id: &str) -> Option<&crate::metrics::Totals> {
        Some(&self.metrics[self.topology.index_of(id)?].totals)
    }

    /// The locked conditions this run has broken, at its start or since (empty: the run is
    /// under the conditions its scenario locks, and its goals count).
    pub fn conditions_changed(&self) -> &[crate::conditions::Change] {
        &self.changed
    }

    fn note_changes(&mut self, broken: impl IntoIterator<Item = crate::conditions::Change>) {
        for change in broken {
            if !self.changed.iter().any(|c| c.path == change.path) {
                self.changed.push(change);
            }
        }
    }

    /// Plain data for drawing the canvas.
    pub fn snapshot(&self) -> Snapshot {
        let components = self
            .topology
            .nodes
            .iter()
            .enumerate()
            .map(|(i, node)| {
                let m = &self.metrics[i];
                ComponentSnapshot {
                    id: node.id.clone(),
                    name: node.name.clone(),
                    kind: node.spec.kind_name().to_string(),
                    queue_depth: m.queue_depth(),
                    queue_capacity: self.state[i].capacity(&node.spec),
                    in_service: m.in_service(),
                    workers: node.spec.workers(),
                    crashed: self.mods[i].crashed,
                    circuit_open: self.breakers[i].iter().any(|b| b.is_open(self.now)),
                    last_window: m.history.back().copied(),
                    totals: m.totals,
                }
            })
            .collect();
        Snapshot {
            now_ms: self.now.as_ms(),
            components,
            partitioned: self.partitioned.clone(),
            ledger: self.ledger,
            jobs: self.job_ledger,
        }
    }

    /// Runs one event. The rare handlers (a window's close, faults, autoscaling, replication, a
    /// queue message's return) are kept out of this function natively, where inlining them
    /// made the common path 3-6% slower; in wasm, keeping them out measured no faster and
    /// 0.8 KB larger gzipped, so there the compiler decides.
    fn handle(&mut self, event: Event) {
        match event {
            Event::Arrive { client, generation } => self.arrive(client, generation),
            Event::Attempt { request } => self.attempt(request),
            Event::Deliver { call } => self.deliver(call),
            Event::WorkDone { job } => self.work_done(job),
            Event::Respond { call, reply } => self.respond(call, reply),
            Event::CallTimeout { call } => self.call_timeout(call),
            Event::Forward { job } => self.forward(job),
            Event::Replicate {
                replica,
                key,
                version,
                committed,
            } => self.replicate(replica, key, version, committed),
            Event::Visible {
                queue,
                message,
                receipt,
            } => self.visible(queue, message, receipt),
            Event::FaultStart { fault } => self.fault_start(fault),
            Event::FaultEnd { fault } => self.fault_end(fault),
            Event::WindowClose => self.close_window(),
            Event::Autoscale { comp } => self.autoscale(comp),
            Event::WorkersReady { comp, count } => self.workers_ready(comp, count),
        }
    }

    #[cfg_attr(not(target_arch = "wasm32"), inline(never))] // rare: out of the event loop
    fn close_window(&mut self) {
        let end = self.now;
        for (i, m) in self.metrics.iter_mut().enumerate() {
            let extra = self.state[i].window_levels(&self.topology.nodes[i].spec);
            let open = self.breakers[i].iter().any(|b| b.is_open(end));
            m.close_window(self.window_start, end, extra, open);
            if self.topology.nodes[i].spec.autoscale().is_some() {
                if let Some(w) = m.history.back_mut() {
                    w.workers = Some(self.topology.nodes[i].spec.workers());
                }
            }
        }
        self.goals.window_closed(
            self.window_start,
            end,
            &self.metrics,
            &self.topology,
            self.job_ledger.in_flight,
        );
        self.window_start = end;
        self.version += 1;
        self.agenda
            .schedule(end.plus_us(self.window_us), Event::WindowClose);
    }

    /// Sends a call; returns its key. Partitioned wires swallow it; crashed callees refuse it.
    pub(crate) fn send(
        &mut self,
        caller: Caller,
        from: usize,
        edge: Option<usize>,
        callee: usize,
        mut msg: Msg,
        timeout_us: Option<u64>,
    ) -> Key {
        // A service passes its request's idempotency key on only when told to.
        if let ComponentSpec::Service(s) = &self.topology.nodes[from].spec {
            if !s.forward_keys {
                msg.keyed = false;
            }
        }
        let span = self.observer.open_span(&msg, callee, from, self.now);
        let call = self.calls.insert(Call {
            caller,
            callee,
            msg,
            span,
        });
        let lost = edge.is_some_and(|e| {
            let wire = self.topology.nodes[from].downstream[e].wire;
            self.partitioned.get(wire).copied().unwrap_or(false)
        });
        if !lost {
            self.agenda.schedule(self.now, Event::Deliver { call });
        }
        if let Some(us) = timeout_us {
            let us = us.max(1);
            self.agenda
                .schedule_after(self.now.plus_us(us), us, Event::CallTimeout { call });
        }
        if let (Caller::HandOff(from), true) = (caller, lost) {
            self.metrics[from].bump(Counter::HandoffsFailed);
        }
        if matches!(caller, Caller::Nobody | Caller::HandOff(_)) && lost {
            // Nobody waits for a lost hand-off: forget it now so the slab does not fill up.
            if let Some(c) = self.calls.remove(call) {
                self.observer.close_span(
                    c.msg.trace,
                    c.span,
                    self.now,
                    Status::Error,
                    "lost in a partition",
                );
            }
        }
        call
    }

    fn deliver(&mut self, call: Key) {
        let Some(&Call { callee, .. }) = self.calls.get(call) else {
            return;
        };
        self.metrics[callee].arrival();
        if self.mods[callee].crashed {
            self.answer(call, Reply::status(Status::Error));
            return;
        }
        match self.topology.nodes[callee].spec {
            ComponentSpec::Client(_) | ComponentSpec::DeadLetter(_) => {
                self.answer(call, Reply::status(Status::Error))
            }
            ComponentSpec::LoadBalancer(_) => self.balance(call),
            ComponentSpec::RateLimiter(_) => self.limit(call),
            ComponentSpec::Cache(_) => self.cache_lookup(call),
            ComponentSpec::Queue(_) => self.enqueue(call),
            ComponentSpec::Service(_)
            | ComponentSpec::Database(_)
            | ComponentSpec::Replica(_)
            | ComponentSpec::Workers(_)
            | ComponentSpec::Provider(_) => self.admit(call),
        }
    }

    /// Answers a call now (the reply reaches the caller as the next event at this instant).
    pub(crate) fn answer(&mut self, call: Key, reply: Reply) {
        self.agenda
            .schedule(self.now, Event::Respond { call, reply });
    }

    fn respond(&mut self, call: Key, reply: Reply) {
        let Some(c) = self.calls.remove(call) else {
            return;
        };
        let note = if reply.status == Status::Ok {
            ""
        } else {
            "failed"
        };
        self.observer
            .close_span(c.msg.trace, c.span, self.now, reply.status, note);
        match c.caller {
            Caller::Request(request) => self.request_answered(request, reply),
            Caller::Job(job) => self.job_answered(job, c.callee, reply),
            Caller::HandOff(from) => {
                if reply.status != Status::Ok {
                    self.metrics[from].bump(Counter::HandoffsFailed);
                }
            }
            Caller::Nobody => {}
        }
    }

    fn call_timeout(&mut self, call: Key) {
        let Some(c) = self.calls.remove(call) else {
            return;
        };
        self.observer
            .close_span(c.msg.trace, c.span, self.now, Status::Error, "timed out");
        match c.caller {
            Caller::Request(request) => self.request_timed_out(request),
            Caller::Job(job) => self.job_call_timed_out(job, c.callee),
            Caller::Nobody | Caller::HandOff(_) => {}
        }
    }

    /// A job if it is still live; work left over from before a crash is dropped here. Callers
    /// take the fields they need: a `Job` is 200 bytes, and copying whole jobs out of the slab
    /// cost about 7% of the engine's time on the M/M/4 reference model.
    pub(crate) fn live_job(&mut self, job: Key) -> Option<&Job> {
        let &Job { epoch, comp, .. } = self.jobs.get(job)?;
        if epoch != self.epochs[comp] {
            self.jobs.remove(job);
            return None;
        }
        self.jobs.get(job)
    }

    /// The span of the call a job is answering: the parent of the calls the job makes.
    pub(crate) fn parent_span(&self, job: &Job) -> Option<u32> {
        job.call
            .and_then(|c| self.calls.get(c))
            .and_then(|c| c.span)
    }

    /// Records a finished piece of work at a component, for its metrics and latency goals.
    pub(crate) fn record_finish(&mut self, comp: usize, started: SimTime, ok: bool) {
        let latency = self.now.since(started);
        if ok {
            self.metrics[comp].completion(latency);
        } else {
            self.metrics[comp].error(latency);
        }
        self.goals.latency(comp, self.now, latency, ok);
    }

    /// Writes a log line (rate-limited per component).
    pub(crate) fn log(&mut self, level: Level, comp: usize, message: impl FnOnce() -> String) {
        self.observer.log(self.now, level, comp, message);
    }

    /// Draws a duration in microseconds from a component's stream, plus any injected latency.
    pub(crate) fn draw_us(&mut self, comp: usize, dist: &crate::scenario::Dist) -> u64 {
        let ms =
            crate::components::draw(&mut self.rngs[comp], dist) + self.mods[comp].add_latency_ms;
        to_us(ms * 1_000.0)
    }

    pub(crate) fn add_fault(&mut self, fault: Fault) {
        let index = self.faults.len();
        let start = SimTime::from_secs(fault.at_s).max(self.now);
        self.agenda
            .schedule(start, Event::FaultStart { fault: index });
        if let Some(d) = fault.duration_s {
            self.agenda.schedule(
                start.plus_us(to_us(d * 1e6)),
                Event::FaultEnd { fault: index },
            );
        }
        self.faults.push(fault);
        self.fault_phases.push(FaultPhase::Waiting);
        self.fault_times.push((None, None));
    }
}
