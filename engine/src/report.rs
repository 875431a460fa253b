//! What happened in a run, in words: the moments that matter, found in the run's metrics windows
//! by explicit detectors (each with its time, component, measured value and threshold), each
//! linked to the earlier moment that caused it by a rule written here, and a short causal chain
//! of sentences read off those links. Nothing is guessed from text: a moment is a threshold
//! crossed in the numbers, and a link is a rule over time and the wires.
//!
//! Detectors: a fault starts or ends (scheduled in the file or injected live); a replica runs
//! behind; a component saturates (busy share at least [`SATURATED`] for a second) and which one
//! first; its queue grows past [`queue_threshold`] for a second, and stays there five seconds after
//! the fault that caused it ended (a metastable state); an autoscaler steps out or in; a component
//! starts refusing work (shedding, or a rate limiter limiting); timeouts begin; answers cannot be
//! read (a contract mismatch); errors pass [`ERRORING`] of the answers for a second; a circuit
//! breaker opens or closes; a client's retries multiply its requests (attempts per new request
//! above [`AMPLIFIED`]); the first duplicate side effect, stale read, lost update, oversold item,
//! lost job and dead-lettered job; and each missed goal, at the moment it was lost.
//!
//! Links (each moment's `because`, the latest earlier moment that fits its rule):
//! - a fault's end follows its start;
//! - a saturation follows a saturation of a component it waits on (downstream along the wires),
//!   else a fault still active on it, downstream of it, or upstream of it (a traffic spike);
//! - a growing queue, an autoscaler stepping out and shedding follow the component's saturation,
//!   else an active fault on or around it;
//! - timeouts follow a saturation, a growing queue or a fault downstream;
//! - unreadable answers follow a contract change downstream;
//! - errors follow unreadable answers at the component, errors downstream, timeouts at the
//!   component, or a fault on or downstream of it;
//! - a breaker opening follows errors or timeouts at the component or a fault downstream;
//! - amplified retries follow timeouts or errors at the client;
//! - a queue still high after the fault follows amplified retries upstream (it cannot drain
//!   while they keep it full), else the fault's end;
//! - a breaker closing follows its opening, an autoscaler stepping in its stepping out;
//! - the first duplicate follows timeouts or amplified retries upstream; the first stale read a
//!   replica running behind; a lost or dead-lettered job errors or timeouts downstream;
//! - a missed goal follows the first moment of the kind it measures.

use crate::metrics::Window;
use crate::scenario::{ComponentSpec, FaultKind, GoalMetric};
use crate::simulation::Simulation;
use crate::topology::Topology;
use serde::Serialize;
use std::collections::VecDeque;

/// The busy share at which a component counts as saturated.
pub const SATURATED: f64 = 0.95;
/// Attempts per new request at which a client's retries count as amplifying the load.
pub const AMPLIFIED: f64 = 1.5;
/// The share of answers that are errors at which a component counts as erroring.
pub const ERRORING: f64 = 0.05;
/// The replication delay at which a replica counts as running behind, in milliseconds.
pub const LAGGING_MS: f64 = 100.0;
/// How long a condition must hold to count, in seconds.
const SUSTAINED_S: f64 = 1.0;
/// How long after its cause ended a queue still high counts as stuck, in seconds.
const STUCK_AFTER_S: f64 = 5.0;

/// The queue depth that counts as grown for a component with `workers` workers.
pub fn queue_threshold(workers: u32) -> f64 {
    f64::from(workers.saturating_mul(2)).max(20.0)
}

/// What a moment is.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum What {
    /// A fault starts (its kind as files write it).
    FaultStarts { fault: String },
    /// A fault ends.
    FaultEnds { fault: String },
    /// A replica's changes arrive late (mean delay in a window) for a second.
    ReplicaLags,
    /// Busy share at or above the threshold for a second; `first` for the first to saturate.
    Saturated { first: bool },
    /// The waiting line above the threshold for a second.
    QueueGrows,
    /// An autoscaler adds workers (value: workers after, threshold: before).
    ScalesOut,
    /// A component starts refusing work for a second: a rate limiter limiting, or shedding.
    Refuses { limiter: bool },
    /// Timeouts begin.
    TimeoutsBegin,
    /// Answers that cannot be read begin (a contract mismatch).
    UnreadableAnswers,
    /// Errors pass the threshold share of answers for a second.
    ErrorsBegin,
    /// A circuit breaker opens.
    BreakerOpens,
    /// A client's attempts per new request above the threshold (the most it reached).
    RetriesAmplify,
    /// The waiting line still above the threshold after its cause ended.
    QueueStaysHigh,
    /// A circuit breaker closes again.
    BreakerCloses,
    /// An autoscaler removes workers (value: workers after, threshold: before).
    ScalesIn,
    /// The first side effect done twice (value: how many by the end).
    FirstDuplicate,
    /// The first read older than the reader's own write or the database (value: how many).
    FirstStaleRead,
    /// The first write that overwrote a change it never saw (value: how many).
    FirstLostUpdate,
    /// The first item sold beyond the stock (value: how many by the end).
    FirstOversold,
    /// The first job lost without a trace (value: how many).
    FirstJobLost,
    /// The first job moved to a dead-letter queue (value: how many).
    FirstDeadLettered,
    /// A goal missed at the end of the run, at the moment it was lost for good.
    GoalMissed { label: String, metric: GoalMetric },
}

/// One moment that matters.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Moment {
    /// When, in simulated seconds.
    pub at_s: f64,
    /// The component it concerns (its id), if one.
    pub component: Option<String>,
    /// What happened.
    pub what: What,
    /// The value measured.
    pub value: f64,
    /// The threshold it crossed (or the goal's target).
    pub threshold: f64,
    /// The earlier moment that caused it (its index in the report's moments), by the rules in
    /// this module's documentation; left out of files when none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub because: Option<usize>,
}

/// The run's moments in time order, and the chain of sentences that links them.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Report {
    /// Every moment found, earliest first.
    pub moments: Vec<Moment>,
    /// The causal chain, a sentence each, in the moments' order.
    pub chain: Vec<String>,
    /// Every goal's verdict as the run stands (a missed one's moment is among the moments).
    pub goals: Vec<crate::goal::GoalStatus>,
}

/// The first window index from which `hold` windows in a row satisfy `cond`.
fn first_sustained<'a>(
    history: impl IntoIterator<Item = &'a Window>,
    hold: usize,
    cond: impl Fn(&Window) -> bool,
) -> Option<usize> {
    let mut run = 0;
    for (i, w) in history.into_iter().enumerate() {
        run = if cond(w) { run + 1 } else { 0 };
        if run >= hold.max(1) {
            return Some(i + 1 - run);
        }
    }
    None
}

/// The first window with some `part` from which, over the next `hold` windows together, `part`
/// is at least `share` of `whole`.
fn first_share(
    history: &VecDeque<Window>,
    hold: usize,
    part: impl Fn(&Window) -> u32,
    whole: impl Fn(&Window) -> u32,
    share: f64,
) -> Option<usize> {
    (0..history.len()).find(|&w| {
        if part(&history[w]) == 0 {
            return false;
        }
        let next = history.iter().skip(w).take(hold.max(1));
        let (p, n) = next.fold((0u64, 0u64), |(p, n), x| {
            (p + u64::from(part(x)), n + u64::from(whole(x)))
        });
        p as f64 >= share * n.max(1) as f64
    })
}

/// How many wires a call crosses from one component to another, for the rules that link
/// moments along the wires.
struct Wires<'a> {
    topology: &'a Topology,
    /// `hops[a][b]`: wires from `a` down to `b` (None: `b` is not downstream of `a`).
    hops: Vec<Vec<Option<u32>>>,
}

impl<'a> Wires<'a> {
    fn new(topology: &'a Topology) -> Wires<'a> {
        let n = topology.nodes.len();
        let hops = (0..n)
            .map(|from| {
                let mut seen = vec![None; n];
                let mut next = VecDeque::from([(from, 0u32)]);
                while let Some((at, d)) = next.pop_front() {
                    for e in &topology.nodes[at].downstream {
                        if seen[e.to].is_none() && e.to != from {
                            seen[e.to] = Some(d + 1);
                            next.push_back((e.to, d + 1));
                        }
                    }
                }
                seen
            })
            .collect();
        Wires { topology, hops }
    }

    /// The component a moment concerns, by index (a partition counts at its sender).
    fn place(&self, m: &Moment) -> Option<usize> {
        let id = m.component.as_deref()?;
        self.topology.index_of(id.split("->").next().unwrap_or(id))
    }

    /// Wires from `a`'s component down to `b`'s (None: not downstream, or no component).
    fn down(&self, a: &Moment, b: &Moment) -> Option<u32> {
        self.hops[self.place(a)?][self.place(b)?]
    }

    fn same(&self, a: &Moment, b: &Moment) -> bool {
        self.place(a).is_some() && self.place(a) == self.place(b)
    }

    /// The name of the component a moment concerns, as its card shows it (a partition's wire and
    /// a moment of no component as written).
    fn who<'m>(&'m self, m: &'m Moment) -> &'m str {
        match (self.place(m), m.component.as_deref()) {
            (Some(i), Some(id)) if !id.contains("->") => &self.topology.nodes[i].name,
            (_, Some(id)) => id,
            (_, None) => "the system",
        }
    }

    /// `b` is `a`'s component or downstream of it.
    fn on_or_down(&self, a: &Moment, b: &Moment) -> bool {
        self.same(a, b) || self.down(a, b).is_some()
    }

    /// `b` is `a`'s component, or upstream or downstream of it.
    fn near(&self, a: &Moment, b: &Moment) -> bool {
        self.on_or_down(a, b) || self.down(b, a).is_some()
    }
}

/// Reads one counter of a window.
type Pick = fn(&Window) -> u32;

/// A component's first window where a counter of `pick` is above zero, with the run's total.
struct First {
    at_s: f64,
    component: usize,
    total: f64,
}

/// The report of `sim` at the time it has reached.
pub fn report(sim: &Simulation) -> Report {
    let now_s = sim.now().as_secs();
    let window_s = sim.window_s();
    let hold = ((SUSTAINED_S / window_s).ceil() as usize).max(1);
    let topology = sim.topology();
    let wires = Wires::new(topology);
    let mut moments = Vec::new();
    let mut push = |at_s: f64, component: Option<String>, what: What, value: f64, threshold| {
        moments.push(Moment {
            at_s,
            component,
            what,
            value,
            threshold,
            because: None,
        });
    };
    let mut fault_ends = Vec::new();
    for (f, start, end) in sim.fault_history() {
        let target = match &f.fault {
            FaultKind::Partition { from, to } => format!("{from}->{to}"),
            FaultKind::TrafficSpike { target, .. }
            | FaultKind::Crash { target }
            | FaultKind::Latency { target, .. }
            | FaultKind::Errors { target, .. }
            | FaultKind::ReplicationLag { target, .. }
            | FaultKind::ContractChange { target, .. }
            | FaultKind::SlowQuery { target } => target.clone(),
        };
        let fault = f.fault.kind_name().to_string();
        if let Some(at) = start {
            let what = What::FaultStarts {
                fault: fault.clone(),
            };
            push(at.as_secs(), Some(target.clone()), what, 0.0, 0.0);
        }
        if let Some(at) = end {
            fault_ends.push(at.as_secs());
            push(
                at.as_secs(),
                Some(target),
                What::FaultEnds { fault },
                0.0,
                0.0,
            );
        }
    }
    fault_ends.sort_by(f64::total_cmp);
    // The first of each kind of wrong result, over all components: (kind, candidates).
    let mut firsts: Vec<(What, Vec<First>)> = vec![
        (What::FirstDuplicate, Vec::new()),
        (What::FirstStaleRead, Vec::new()),
        (What::FirstLostUpdate, Vec::new()),
        (What::FirstOversold, Vec::new()),
        (What::FirstJobLost, Vec::new()),
        (What::FirstDeadLettered, Vec::new()),
    ];
    for (c, (node, m)) in topology.nodes.iter().zip(sim.metrics()).enumerate() {
        let history = &m.history;
        let at = |w: usize| history[w].start_ms / 1000.0;
        let id = || Some(node.id.clone());
        let is_client = matches!(node.spec, ComponentSpec::Client(_));
        if matches!(node.spec, ComponentSpec::Replica(_)) {
            let lag = |w: &Window| f64::from(w.lag_ms);
            // Windows where no change arrived measure no delay: the mean is over the others.
            let behind = |w: usize| {
                let next = history
                    .iter()
                    .skip(w)
                    .take(hold)
                    .map(lag)
                    .filter(|l| *l > 0.0);
                let (sum, n) = next.fold((0.0, 0), |(s, n), l| (s + l, n + 1));
                lag(&history[w]) >= LAGGING_MS && sum / f64::from(n.max(1)) >= LAGGING_MS
            };
            if let Some(w) = (0..history.len()).find(|&w| behind(w)) {
                let most = history.iter().skip(w).map(lag).fold(0.0, f64::max);
                // A delay is measured when the change arrives: the replica was behind from when
                // the change was written.
                let since = (at(w) - lag(&history[w]) / 1000.0).max(0.0);
                push(since, id(), What::ReplicaLags, most, LAGGING_MS);
            }
        }
        let busy = |w: &Window| f64::from(w.utilisation);
        if let Some(w) = first_sustained(history, hold, |w| busy(w) >= SATURATED) {
            // Which saturated first is known once every component is looked at.
            let what = What::Saturated { first: false };
            push(at(w), id(), what, busy(&history[w]), SATURATED);
        }
        let high = queue_threshold(node.spec.workers());
        let depth = |w: &Window| f64::from(w.queue_depth_avg);
        if let Some(w) = first_sustained(history, hold, |w| depth(w) >= high) {
            push(at(w), id(), What::QueueGrows, depth(&history[w]), high);
            // Still high well after a fault that ended after the queue grew.
            if let Some(end) = fault_ends.iter().copied().find(|e| *e > at(w)) {
                let look = end + STUCK_AFTER_S;
                if let Some(x) = history.iter().find(|x| x.start_ms / 1000.0 >= look) {
                    if depth(x) >= high {
                        push(look, id(), What::QueueStaysHigh, depth(x), high);
                    }
                }
            }
        }
        let steps = history.iter().zip(history.iter().skip(1)).enumerate();
        let steps: Vec<(usize, u32, u32)> = steps
            .filter_map(|(w, (a, b))| Some((w + 1, a.workers?, b.workers?)))
            .filter(|(_, a, b)| a != b)
            .collect();
        if let Some(&(w, before, _)) = steps.iter().find(|(_, a, b)| b > a) {
            let most = history.iter().skip(w).filter_map(|x| x.workers).max();
            let most = f64::from(most.unwrap_or(before));
            push(at(w), id(), What::ScalesOut, most, f64::from(before));
            if let Some(&(w, before, after)) = steps.iter().find(|(x, a, b)| *x > w && b < a) {
                push(
                    at(w),
                    id(),
                    What::ScalesIn,
                    f64::from(after),
                    f64::from(before),
                );
            }
        }
        if !is_client {
            if let Some(w) = first_sustained(history, hold, |w| w.rejections > 0) {
                let limiter = matches!(node.spec, ComponentSpec::RateLimiter(_));
                let next = history.iter().skip(w).take(hold);
                let (n, refused) = next.fold((0, 0), |(n, r), x| (n + 1, r + x.rejections));
                let per_s = f64::from(refused) / (f64::from(n) * window_s);
                push(at(w), id(), What::Refuses { limiter }, per_s, 0.0);
            }
        }
        if let Some(w) = history.iter().position(|w| w.timeouts > 0) {
            let per_s = f64::from(history[w].timeouts) / window_s;
            push(at(w), id(), What::TimeoutsBegin, per_s, 0.0);
        }
        if let Some(w) = history
            .iter()
            .position(|w| w.contract_errors + w.misreads > 0)
        {
            let total = m.totals.contract_errors + m.totals.misreads;
            push(at(w), id(), What::UnreadableAnswers, total as f64, 0.0);
        }
        // Refusals by design (a version conflict, a request already in progress) are not errors.
        let failed = |w: &Window| w.errors.saturating_sub(w.conflicts);
        let answered = |w: &Window| failed(w) + w.completions;
        if let Some(w) = first_share(history, hold, failed, answered, ERRORING) {
            let share = |w: &Window| f64::from(failed(w)) / f64::from(answered(w).max(1));
            let most = history.iter().skip(w).map(share).fold(0.0, f64::max);
            push(at(w), id(), What::ErrorsBegin, most, ERRORING);
        }
        if let Some(w) = history.iter().position(|w| w.circuit_open) {
            let refused = m.totals.short_circuits as f64;
            push(at(w), id(), What::BreakerOpens, refused, 0.0);
            // Closed for good: a trial call that lets it close for a moment does not count.
            let after = history.iter().skip(w);
            if let Some(x) = first_sustained(after, hold, |x| !x.circuit_open) {
                push(at(w + x), id(), What::BreakerCloses, 0.0, 0.0);
            }
        }
        let ratio = |w: &Window| f64::from(w.attempts) / f64::from(w.arrivals.max(1));
        if let Some(w) = first_sustained(history, hold, |w| w.arrivals > 0 && ratio(w) >= AMPLIFIED)
        {
            let most = history.iter().skip(w).map(ratio).fold(0.0, f64::max);
            push(at(w), id(), What::RetriesAmplify, most, AMPLIFIED);
        }
        let t = &m.totals;
        let counts: [(Pick, f64); 6] = [
            (|w| w.duplicates, t.duplicates as f64),
            (|w| w.stale_reads, t.stale_reads as f64),
            (|w| w.lost_updates, t.lost_updates as f64),
            (|w| w.oversold, 0.0),
            (|w| w.dropped, t.dropped as f64),
            (|w| w.dead_lettered, t.dead_lettered as f64),
        ];
        for ((pick, total), (_, found)) in counts.into_iter().zip(&mut firsts) {
            if let Some(w) = history.iter().position(|w| pick(w) > 0) {
                // Oversold is a level, not a count: its total is the highest it reached.
                let level = history.iter().map(pick).max().unwrap_or(0);
                let total = if total > 0.0 { total } else { f64::from(level) };
                let (at_s, component) = (at(w), c);
                found.push(First {
                    at_s,
                    component,
                    total,
                });
            }
        }
    }
    // Stale reads count where they are served and again where they are seen: name the readers,
    // the components that call a replica or cache serving them, each on its own.
    let serves_stale = |c: usize| {
        matches!(
            topology.nodes[c].spec,
            ComponentSpec::Replica(_) | ComponentSpec::Cache(_)
        )
    };
    if let Some((_, found)) = firsts.iter_mut().find(|(w, _)| *w == What::FirstStaleRead) {
        let origins: Vec<usize> = found.iter().map(|f| f.component).collect();
        let reads = |f: &First| {
            topology.nodes[f.component]
                .downstream
                .iter()
                .any(|e| serves_stale(e.to) && origins.contains(&e.to))
        };
        if found.iter().any(reads) {
            for f in found.iter().filter(|f| reads(f)) {
                let id = Some(topology.nodes[f.component].id.clone());
                push(f.at_s, id, What::FirstStaleRead, f.total, 0.0);
            }
            found.clear();
        }
    }
    for (what, found) in firsts {
        // The earliest; at one time, the one the others' calls reach (where it happens).
        let Some(earliest) = found.iter().map(|f| f.at_s).min_by(f64::total_cmp) else {
            continue;
        };
        let tied: Vec<&First> = found.iter().filter(|f| f.at_s == earliest).collect();
        let deepest = tied.iter().find(|f| {
            tied.iter()
                .all(|g| wires.hops[f.component][g.component].is_none())
        });
        let f = deepest.unwrap_or(&tied[0]);
        let id = Some(topology.nodes[f.component].id.clone());
        push(f.at_s, id, what, f.total, 0.0);
    }
    for g in sim.goals().into_iter().filter(|g| g.settled && !g.passed) {
        let what = What::GoalMissed {
            label: g.label,
            metric: g.metric,
        };
        let at = g.lost_at_s.unwrap_or(now_s);
        push(at, g.component.clone(), what, g.measured, g.target);
    }
    // The earliest saturation (the first component in the file, at equal times) is the first.
    let first = moments
        .iter_mut()
        .filter(|m| matches!(m.what, What::Saturated { .. }))
        .reduce(|a, b| if b.at_s < a.at_s { b } else { a });
    if let Some(m) = first {
        m.what = What::Saturated { first: true };
    }
    // In time order; at one time, causes before what they cause, and further down the wires
    // (where a failure starts) before further up.
    let depth = |m: &Moment| {
        let c = wires.place(m);
        c.map_or(0, |c| {
            wires.hops.iter().filter_map(|h| h[c]).max().unwrap_or(0)
        })
    };
    moments.sort_by(|a, b| {
        a.at_s
            .total_cmp(&b.at_s)
            .then(rank(&a.what).cmp(&rank(&b.what)))
            .then(depth(b).cmp(&depth(a)))
    });
    for i in 0..moments.len() {
        let because = cause(&moments[..i], &moments[i], &wires);
        moments[i].because = because;
    }
    let chain = moments
        .iter()
        .map(|m| sentence(m, &moments, &wires))
        .collect();
    Report {
        moments,
        chain,
        goals: sim.goals(),
    }
}

/// The order of moments found at the same time: causes first.
fn rank(what: &What) -> u8 {
    match what {
        What::FaultStarts { .. } => 0,
        What::FaultEnds { .. } => 1,
        What::ReplicaLags => 2,
        What::Saturated { .. } => 3,
        What::QueueGrows => 4,
        What::ScalesOut => 5,
        What::Refuses { .. } => 6,
        What::TimeoutsBegin => 7,
        What::UnreadableAnswers => 8,
        What::ErrorsBegin => 9,
        What::BreakerOpens => 10,
        What::RetriesAmplify => 11,
        What::QueueStaysHigh => 12,
        What::BreakerCloses => 13,
        What::ScalesIn => 14,
        What::FirstDuplicate => 15,
        What::FirstStaleRead => 16,
        What::FirstLostUpdate => 17,
        What::FirstOversold => 18,
        What::FirstJobLost => 19,
        What::FirstDeadLettered => 20,
        What::GoalMissed { .. } => 21,
    }
}

/// The latest of `earlier` that `fits`.
fn latest(earlier: &[Moment], fits: impl Fn(&Moment) -> bool) -> Option<usize> {
    earlier.iter().rposition(fits)
}

/// Whether the fault that starts at `earlier[i]` has not ended among the moments after it.
fn still_on(earlier: &[Moment], i: usize) -> bool {
    let What::FaultStarts { fault } = &earlier[i].what else {
        return false;
    };
    !earlier[i + 1..].iter().any(|m| {
        m.component == earlier[i].component
            && matches!(&m.what, What::FaultEnds { fault: f } if f == fault)
    })
}

/// The earlier moment that caused `m`, by the rules in this module's documentation.
fn cause(earlier: &[Moment], m: &Moment, wires: &Wires) -> Option<usize> {
    let fault_on = |near: &dyn Fn(&Moment) -> bool| {
        (0..earlier.len()).rev().find(|&i| {
            matches!(earlier[i].what, What::FaultStarts { .. })
                && still_on(earlier, i)
                && near(&earlier[i])
        })
    };
    let here = |p: &Moment| wires.same(m, p);
    let below = |p: &Moment| wires.down(m, p).is_some();
    match &m.what {
        What::FaultStarts { .. } => None,
        What::FaultEnds { fault } => latest(earlier, |p| {
            here(p) && matches!(&p.what, What::FaultStarts { fault: f } if f == fault)
        }),
        What::ReplicaLags => fault_on(&|p| {
            here(p) && matches!(&p.what, What::FaultStarts { fault } if fault == "replication_lag")
        }),
        What::Saturated { .. } => latest(earlier, |p| {
            matches!(p.what, What::Saturated { .. }) && below(p)
        })
        .or_else(|| fault_on(&|p| wires.near(m, p))),
        What::QueueGrows | What::ScalesOut | What::Refuses { .. } => latest(earlier, |p| {
            matches!(p.what, What::Saturated { .. }) && here(p)
        })
        .or_else(|| fault_on(&|p| wires.near(m, p))),
        What::TimeoutsBegin => latest(earlier, |p| {
            matches!(p.what, What::Saturated { .. } | What::QueueGrows) && below(p)
        })
        .or_else(|| fault_on(&below)),
        What::UnreadableAnswers => fault_on(&|p| {
            matches!(&p.what, What::FaultStarts { fault } if fault == "contract_change")
                && wires.on_or_down(m, p)
        }),
        What::ErrorsBegin => latest(earlier, |p| p.what == What::UnreadableAnswers && here(p))
            .or_else(|| latest(earlier, |p| p.what == What::ErrorsBegin && below(p)))
            .or_else(|| latest(earlier, |p| p.what == What::TimeoutsBegin && here(p)))
            .or_else(|| fault_on(&|p| wires.on_or_down(m, p))),
        What::BreakerOpens => latest(earlier, |p| {
            matches!(p.what, What::ErrorsBegin | What::TimeoutsBegin) && here(p)
        })
        .or_else(|| fault_on(&below)),
        What::RetriesAmplify => latest(earlier, |p| {
            matches!(p.what, What::TimeoutsBegin | What::ErrorsBegin) && here(p)
        }),
        What::QueueStaysHigh => latest(earlier, |p| {
            p.what == What::RetriesAmplify && wires.on_or_down(p, m)
        })
        .or_else(|| latest(earlier, |p| matches!(p.what, What::FaultEnds { .. }))),
        What::BreakerCloses => latest(earlier, |p| p.what == What::BreakerOpens && here(p)),
        What::ScalesIn => latest(earlier, |p| p.what == What::ScalesOut && here(p)),
        What::FirstDuplicate => latest(earlier, |p| {
            matches!(p.what, What::TimeoutsBegin | What::RetriesAmplify) && wires.on_or_down(p, m)
        }),
        What::FirstStaleRead => latest(earlier, |p| {
            p.what == What::ReplicaLags && wires.on_or_down(m, p)
        }),
        What::FirstLostUpdate | What::FirstOversold => None,
        What::FirstJobLost | What::FirstDeadLettered => latest(earlier, |p| {
            matches!(
                p.what,
                What::ErrorsBegin | What::TimeoutsBegin | What::BreakerOpens
            ) && wires.on_or_down(m, p)
        })
        .or_else(|| fault_on(&|p| wires.on_or_down(m, p))),
        What::GoalMissed { metric, .. } => {
            let kinds: &[fn(&What) -> bool] = match metric {
                GoalMetric::Duplicates => &[|w| *w == What::FirstDuplicate],
                GoalMetric::StaleReads => &[|w| *w == What::FirstStaleRead],
                GoalMetric::LostUpdates => &[|w| *w == What::FirstLostUpdate],
                GoalMetric::Oversold => &[|w| *w == What::FirstOversold],
                GoalMetric::JobsLost => &[|w| *w == What::FirstJobLost],
                GoalMetric::DeadLettered => &[|w| *w == What::FirstDeadLettered],
                GoalMetric::P50Ms
                | GoalMetric::P95Ms
                | GoalMetric::P99Ms
                | GoalMetric::GoodputPerSec
                | GoalMetric::Utilisation
                | GoalMetric::JobsUnresolved => &[
                    |w| matches!(w, What::Saturated { first: true }),
                    |w| *w == What::QueueGrows,
                    |w| *w == What::TimeoutsBegin,
                ],
                GoalMetric::SuccessRatio | GoalMetric::ComponentsInError => &[
                    |w| *w == What::UnreadableAnswers,
                    |w| *w == What::ErrorsBegin,
                    |w| *w == What::TimeoutsBegin,
                    |w| matches!(w, What::Refuses { .. }),
                ],
                GoalMetric::Misreads | GoalMetric::Unfulfilled => &[
                    |w| *w == What::UnreadableAnswers,
                    |w| *w == What::ErrorsBegin,
                    |w| *w == What::TimeoutsBegin,
                ],
                GoalMetric::MaxQueueDepth | GoalMetric::QueueDepthAtEnd => {
                    &[|w| *w == What::QueueStaysHigh, |w| *w == What::QueueGrows]
                }
                GoalMetric::CostPerHour => &[|w| *w == What::ScalesOut],
            };
            // The root: the earliest moment of the first kind the run has.
            kinds
                .iter()
                .find_map(|fits| earlier.iter().position(|p| fits(&p.what)))
        }
    }
}

/// A measured value in a sentence: whole numbers whole, small ones to three places.
fn amount(v: f64) -> String {
    if v.fract() == 0.0 || v.abs() >= 100.0 {
        format!("{v:.0}")
    } else if v.abs() < 10.0 {
        format!("{v:.3}")
    } else {
        format!("{v:.1}")
    }
}

/// A component's name as an owner: "api's", "users'".
fn owns(name: &str) -> String {
    if name.ends_with('s') {
        format!("{name}'")
    } else {
        format!("{name}'s")
    }
}

/// A fault's kind in words.
fn fault_words(kind: &str) -> String {
    kind.replace('_', " ")
}

/// "1 wire" or "2 wires".
fn wires_away(n: u32) -> String {
    if n == 1 {
        "1 wire".into()
    } else {
        format!("{n} wires")
    }
}

/// A moment named in a few words, for a later sentence that follows from it.
fn noun(m: &Moment, wires: &Wires) -> String {
    let (t, c) = (m.at_s, wires.who(m));
    match &m.what {
        What::FaultStarts { fault } => {
            format!("the {} fault at {c} ({t:.1} s)", fault_words(fault))
        }
        What::FaultEnds { fault } => format!("the end of the {} fault at {c}", fault_words(fault)),
        What::ReplicaLags => format!("{c} running behind ({t:.1} s)"),
        What::Saturated { .. } => format!("{c} saturating ({t:.1} s)"),
        What::QueueGrows => format!("the queue growing at {c} ({t:.1} s)"),
        What::ScalesOut => format!("{c} scaling out ({t:.1} s)"),
        What::Refuses { .. } => format!("{c} turning work away ({t:.1} s)"),
        What::TimeoutsBegin => format!("the timeouts at {c} ({t:.1} s)"),
        What::UnreadableAnswers => format!("the unreadable answers at {c} ({t:.1} s)"),
        What::ErrorsBegin => format!("the errors at {c} ({t:.1} s)"),
        What::BreakerOpens => format!("{} breaker opening ({t:.1} s)", owns(c)),
        What::RetriesAmplify => format!("the retries from {c} ({t:.1} s)"),
        What::QueueStaysHigh => format!("the queue stuck at {c}"),
        What::BreakerCloses => format!("{} breaker closing ({t:.1} s)", owns(c)),
        What::ScalesIn => format!("{c} scaling in ({t:.1} s)"),
        What::FirstDuplicate => format!("the first duplicate at {c} ({t:.1} s)"),
        What::FirstStaleRead => format!("the first stale read at {c} ({t:.1} s)"),
        What::FirstLostUpdate => format!("the first lost update at {c} ({t:.1} s)"),
        What::FirstOversold => format!("the first oversold item at {c} ({t:.1} s)"),
        What::FirstJobLost => format!("the first lost job at {c} ({t:.1} s)"),
        What::FirstDeadLettered => format!("the first dead-lettered job at {c} ({t:.1} s)"),
        What::GoalMissed { label, .. } => format!("the goal \"{label}\""),
    }
}

/// Where a chain of causes started: the moment reached by following `because` back from `m`.
fn root<'m>(m: &'m Moment, moments: &'m [Moment]) -> &'m Moment {
    let mut at = m;
    // Links always point earlier, so this ends; the bound is a second guard.
    for _ in 0..moments.len() {
        match at.because.and_then(|i| moments.get(i)) {
            Some(p) => at = p,
            None => break,
        }
    }
    at
}

/// The sentence for moment `m` of `moments`, saying what it follows from.
fn sentence(m: &Moment, moments: &[Moment], wires: &Wires) -> String {
    let t = m.at_s;
    let c = wires.who(m);
    let by = m.because.and_then(|i| moments.get(i));
    let after = |p: &Moment| format!(", after {}", noun(p, wires));
    match &m.what {
        What::FaultStarts { fault } => {
            format!("At {t:.1} s the {} fault starts at {c}.", fault_words(fault))
        }
        What::FaultEnds { fault } => {
            format!("At {t:.1} s the {} fault at {c} ends.", fault_words(fault))
        }
        What::ReplicaLags => format!(
            "From {t:.1} s {c} runs behind its primary: changes arrive up to {:.0} ms late{}.",
            m.value,
            by.map_or(String::new(), after)
        ),
        What::Saturated { first } => {
            let why = match by {
                Some(p) if matches!(p.what, What::Saturated { .. }) => {
                    format!(", its workers held waiting on {}", wires.who(p))
                }
                Some(p) => format!(", {:.1} s after {}", t - p.at_s, noun(p, wires)),
                None => String::new(),
            };
            let pct = m.value * 100.0;
            if *first {
                format!("By {t:.1} s {c} is the first component to saturate: {pct:.0}% of its workers busy{why}.")
            } else {
                format!("By {t:.1} s {c} saturates as well: {pct:.0}% of its workers busy{why}.")
            }
        }
        What::QueueGrows => format!(
            "From {t:.1} s the queue at {c} passes {:.0} waiting and keeps growing.",
            m.threshold
        ),
        What::ScalesOut => format!(
            "From {t:.1} s {} autoscaler adds workers, from {:.0} up to {:.0}{}.",
            owns(c),
            m.threshold,
            m.value,
            by.map_or(String::new(), after)
        ),
        What::ScalesIn => format!(
            "At {t:.1} s {} autoscaler gives workers back, down to {:.0}.",
            owns(c),
            m.value
        ),
        What::Refuses { limiter } => {
            let doing = if *limiter {
                "limits the rate: it turns away"
            } else {
                "sheds load: it refuses"
            };
            format!(
                "From {t:.1} s {c} {doing} {} requests a second{}.",
                amount(m.value),
                by.map_or(String::new(), after)
            )
        }
        What::TimeoutsBegin => match by {
            Some(p) if matches!(p.what, What::FaultStarts { .. }) => {
                format!("From {t:.1} s {} calls time out, because of {}.", owns(c), noun(p, wires))
            }
            Some(p) => format!(
                "From {t:.1} s {} calls time out, because {} cannot keep up.",
                owns(c),
                wires.who(p)
            ),
            None => format!("From {t:.1} s {} calls time out.", owns(c)),
        },
        What::UnreadableAnswers => match by {
            Some(p) => {
                let away = wires.down(m, p).map_or(String::new(), |n| {
                    format!(", {} away", wires_away(n))
                });
                format!(
                    "From {t:.1} s {c} cannot read the answers it gets: {}'s contract changed{away}.",
                    wires.who(p)
                )
            }
            None => format!("From {t:.1} s {c} cannot read the answers it gets."),
        },
        What::ErrorsBegin => {
            let pct = m.value * 100.0;
            let why = match by {
                Some(p) if p.what == What::UnreadableAnswers => {
                    ", because it cannot read them".to_string()
                }
                Some(p) if p.what == What::ErrorsBegin => format!(", passed on from {}", wires.who(p)),
                Some(p) if p.what == What::TimeoutsBegin => ", as calls time out".to_string(),
                Some(p) => after(p),
                None => String::new(),
            };
            // Name a fault further away than the next wire, where the errors began.
            let start = root(m, moments);
            let origin = match (&start.what, wires.down(m, start)) {
                (What::FaultStarts { fault }, Some(n)) if n >= 2 && by != Some(start) => format!(
                    "; it began with the {} fault at {}, {} away",
                    fault_words(fault),
                    wires.who(start),
                    wires_away(n)
                ),
                _ => String::new(),
            };
            let of = match wires.place(m).map(|i| &wires.topology.nodes[i].spec) {
                Some(ComponentSpec::Workers(_)) => "jobs fail",
                Some(ComponentSpec::Client(_)) => "requests fail",
                _ => "answers are errors",
            };
            format!(
                "From {t:.1} s up to {pct:.0}% of {} {of}{why}{origin}.",
                owns(c)
            )
        }
        What::BreakerOpens => format!(
            "At {t:.1} s {} circuit breaker opens{}; it refuses {:.0} calls at once in the run.",
            owns(c),
            by.map_or(String::new(), after),
            m.value
        ),
        What::BreakerCloses => format!("At {t:.1} s {} circuit breaker closes again.", owns(c)),
        What::RetriesAmplify => {
            let why = match by {
                Some(p) if p.what == What::TimeoutsBegin => " after the timeouts",
                Some(_) => " after the errors",
                None => "",
            };
            format!(
                "From {t:.1} s {} retries{why} multiply the load: up to {:.1} attempts for each new request.",
                owns(c),
                m.value
            )
        }
        What::QueueStaysHigh => {
            let why = match by {
                Some(p) if p.what == What::RetriesAmplify => {
                    "it cannot drain while retries keep it full"
                }
                _ => "it has not drained",
            };
            format!(
                "At {t:.1} s, after the fault ended, the queue at {c} is still {}: {why}.",
                amount(m.value)
            )
        }
        What::FirstDuplicate => {
            let why = by.map_or(String::new(), |p| {
                format!(
                    ": {} gave up waiting and sent again a request {c} had already done",
                    wires.who(p)
                )
            });
            format!(
                "At {t:.1} s {c} does a side effect twice for the first time{why} ({} by the end).",
                amount(m.value)
            )
        }
        What::FirstStaleRead => {
            let (older, why) = match by {
                Some(p) if wires.same(m, p) => (
                    "older than the user's own write",
                    ", because it runs behind its primary".to_string(),
                ),
                Some(p) => (
                    "older than the user's own write",
                    format!(", from {}, which runs behind its primary", wires.who(p)),
                ),
                None => ("that is stale", String::new()),
            };
            format!(
                "From {t:.1} s {c} reads data {older}{why} ({} stale reads by the end).",
                amount(m.value)
            )
        }
        What::FirstLostUpdate => format!(
            "From {t:.1} s {c} loses updates: requests served at the same time read the same row, and the later write overwrites a change it never saw ({} by the end).",
            amount(m.value)
        ),
        What::FirstOversold => format!(
            "At {t:.1} s {c} sells an item it no longer has: purchases served at the same time read the same stock ({} oversold by the end).",
            amount(m.value)
        ),
        What::FirstJobLost => format!(
            "From {t:.1} s {c} loses jobs without a trace{} ({} by the end).",
            by.map_or(String::new(), |p| format!(", after {}", noun(p, wires))),
            amount(m.value)
        ),
        What::FirstDeadLettered => format!(
            "From {t:.1} s {c} gives up on jobs and moves them to a dead-letter queue{} ({} by the end).",
            by.map_or(String::new(), after),
            amount(m.value)
        ),
        What::GoalMissed { label, .. } => format!(
            "From {t:.1} s the goal \"{label}\" is missed for good{}: {} against a target of {}.",
            by.map_or(String::new(), |p| format!(", since {}", noun(p, wires))),
            amount(m.value),
            amount(m.threshold)
        ),
    }
}

/// Text that Markdown shows as written: its punctuation that could start emphasis, code, a link,
/// HTML or a heading (an id such as `my_api` or a goal's label with `*`) escaped.
fn markdown_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        if matches!(
            ch,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '~'
        ) {
            out.push('\\');
        }
        out.push(ch);
    }
    out
}

impl Report {
    /// The report as Markdown, for a CI step summary or a pull request comment.
    pub fn markdown(&self) -> String {
        let mut out = String::from("## What happened\n\n");
        if self.chain.is_empty() {
            out += "Nothing crossed a threshold: no fault, saturation, growing queue, timeout, error, refusal, amplified retries or wrong result.\n";
        }
        for line in &self.chain {
            out += &format!("- {}\n", markdown_text(line));
        }
        if !self.goals.is_empty() {
            out += "\n| goal | verdict | measured | target |\n|---|---|---:|---:|\n";
            for g in &self.goals {
                let verdict = match (g.passed, g.settled, g.lost_at_s) {
                    (true, true, _) => "met".to_string(),
                    (true, false, _) => "met so far".to_string(),
                    (false, _, Some(t)) => format!("missed from {t:.1} s"),
                    (false, _, None) => "missed".to_string(),
                };
                let compare = match g.compare {
                    crate::scenario::Comparison::AtMost => "≤",
                    crate::scenario::Comparison::AtLeast => "≥",
                };
                out += &format!(
                    "| {} | {verdict} | {} | {compare} {} |\n",
                    markdown_text(&g.label),
                    amount(g.measured),
                    amount(g.target)
                );
            }
        }
        out
    }
}
#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::Scenario;

    #[test]
    fn a_condition_counts_once_it_has_held_long_enough() {
        let w = |u: f32| Window {
            utilisation: u,
            ..Window::default()
        };
        let h = [w(0.5), w(0.99), w(0.99), w(0.2), w(0.99), w(0.99), w(0.99)];
        assert_eq!(first_sustained(&h, 3, |w| w.utilisation >= 0.95), Some(4));
        assert_eq!(first_sustained(&h, 2, |w| w.utilisation >= 0.95), Some(1));
        assert_eq!(first_sustained(&h, 4, |w| w.utilisation >= 0.95), None);
        assert_eq!(queue_threshold(4), 20.0);
        assert_eq!(queue_threshold(64), 128.0);
    }

    fn told(file: &str) -> Report {
        let scenario = Scenario::from_json(file).expect("a lesson file");
        let mut sim = Simulation::new(&scenario).expect("valid");
        sim.run();
        report(&sim)
    }

    /// Lesson 2's launch spike, as its story tells it: the spike, the API saturating, the users
    /// timing out and retrying, and the queue still full after the spike ended.
    #[test]
    fn the_launch_spike_is_told_cause_first() {
        let r = told(include_str!("../../lessons/02-launch-spike/start.json"));
        let kinds: Vec<&What> = r.moments.iter().map(|m| &m.what).collect();
        let at = |f: &dyn Fn(&What) -> bool| kinds.iter().position(|w| f(w));
        let start = at(&|w| matches!(w, What::FaultStarts { .. })).expect("the spike starts");
        let saturated =
            at(&|w| matches!(w, What::Saturated { first: true })).expect("api saturates");
        let timeouts = at(&|w| matches!(w, What::TimeoutsBegin)).expect("users time out");
        let retries = at(&|w| matches!(w, What::RetriesAmplify)).expect("retries amplify");
        let stuck = at(&|w| matches!(w, What::QueueStaysHigh)).expect("the queue stays full");
        assert!(start < saturated && saturated < timeouts && timeouts < retries && retries < stuck);
        assert_eq!(r.moments[saturated].component.as_deref(), Some("api"));
        assert!(r.moments[retries].value >= AMPLIFIED);
        assert!(
            r.chain[stuck].contains("cannot drain while retries keep it full"),
            "{:?}",
            r.chain
        );
        assert!(r.chain[timeouts].contains("because API cannot keep up"));
        assert_eq!(r.chain.len(), r.moments.len());
        // Solved, the spike still saturates the API for a moment, but nothing is left stuck.
        let solved = told(include_str!("../../lessons/02-launch-spike/solution.json"));
        assert!(!solved
            .moments
            .iter()
            .any(|m| m.what == What::QueueStaysHigh));
        assert!(!solved
            .moments
            .iter()
            .any(|m| matches!(m.what, What::GoalMissed { .. })));
    }

    #[test]
    fn lesson_one_names_its_first_duplicate_and_a_quiet_run_says_so() {
        let r = told(include_str!("../../lessons/01-paid-twice/start.json"));
        let dup = r
            .moments
            .iter()
            .find(|m| m.what == What::FirstDuplicate)
            .expect("a duplicate");
        assert_eq!(dup.component.as_deref(), Some("psp"));
        assert!(r
            .markdown()
            .contains("does a side effect twice for the first time"));
        let quiet = told(
            r#"{"version": 1, "duration_s": 5, "components": [
                {"id": "u", "spec": {"kind": "client", "rate_per_sec": 10}},
                {"id": "s", "spec": {"kind": "service", "workers": 4,
                    "service_time": {"dist": "constant", "ms": 5}}}],
                "wires": [{"from": "u", "to": "s"}]}"#,
        );
        assert!(quiet.moments.is_empty());
        assert_eq!(markdown_text("my_api *x* <b>"), "my\\_api \\*x\\* \\<b\\>");
        assert!(quiet.markdown().contains("Nothing crossed a threshold"));
    }
}
