//! Lesson goals evaluated against the metrics while the run goes.
//!
//! Each goal keeps its own accumulator, fed as windows close (and, for latency percentiles, as
//! requests finish), so a goal's answer never depends on how much history the rings still hold.

use crate::histogram::Histogram;
use crate::metrics::ComponentMetrics;
use crate::scenario::{Comparison, ComponentSpec, Goal, GoalMetric};
use crate::time::SimTime;
use crate::topology::Topology;
use serde::Serialize;

/// A goal's state, for the checklist a learner sees (written out, never read back).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GoalStatus {
    /// Words for the learner.
    pub label: String,
    /// The component measured (None: the whole system).
    pub component: Option<String>,
    /// What is measured.
    pub metric: GoalMetric,
    /// How it is compared.
    pub compare: Comparison,
    /// The target.
    pub target: f64,
    /// The value measured so far over the goal's interval.
    pub measured: f64,
    /// Whether the measured value meets the target now (false while there is nothing to measure).
    pub passed: bool,
    /// Whether the interval is over, so the answer will not change.
    pub settled: bool,
    /// Whether the interval has begun (before it, nothing is measured yet).
    pub started: bool,
    /// Start of the interval, in simulated seconds.
    pub from_s: f64,
    /// While the goal fails: when it last went from met to missed (the end of the window after
    /// which it has failed ever since), in simulated seconds. Left out of files when met.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lost_at_s: Option<f64>,
}

/// Why a run's goals do not hold, as a test wants to read it: [`Simulation::check_goals`]'s
/// error. Its `Debug` form is the same readable text as its `Display`, so `.unwrap()` and
/// `.expect()` in a test print the failing goals, not a struct dump.
///
/// [`Simulation::check_goals`]: crate::Simulation::check_goals
#[derive(Clone, PartialEq)]
pub struct GoalReport {
    /// Simulated seconds when it was taken.
    pub at_s: f64,
    /// How many goals the scenario has.
    pub goals: usize,
    /// The goals that fail (or have nothing measured yet).
    pub failed: Vec<GoalStatus>,
    /// The locked conditions the run broke, which make every goal not count.
    pub changed: Vec<crate::conditions::Change>,
}

impl std::fmt::Display for GoalReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.failed.is_empty() {
            write!(
                f,
                "{} goals do not count at {:.1} s simulated",
                self.goals, self.at_s
            )?;
        } else {
            write!(
                f,
                "{} of {} goals failed at {:.1} s simulated",
                self.failed.len(),
                self.goals,
                self.at_s
            )?;
        }
        for g in &self.failed {
            let compare = match g.compare {
                Comparison::AtMost => "at most",
                Comparison::AtLeast => "at least",
            };
            let place = g
                .component
                .as_deref()
                .map_or(String::new(), |c| format!(" at {c}"));
            let metric = serde_json::to_string(&g.metric).unwrap_or_default();
            if g.started {
                write!(
                    f,
                    "\n  FAIL {}: {}{place} measured {}, the goal is {compare} {}",
                    g.label,
                    metric.trim_matches('"'),
                    g.measured,
                    g.target
                )?;
            } else {
                write!(
                    f,
                    "\n  FAIL {}: its interval starts at {} s, nothing measured yet",
                    g.label, g.from_s
                )?;
            }
        }
        if !self.changed.is_empty() {
            write!(
                f,
                "\nthe run broke its locked conditions, so no goal counts:"
            )?;
            for c in &self.changed {
                write!(f, "\n  {}", c.message())?;
            }
        }
        Ok(())
    }
}

impl std::fmt::Debug for GoalReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Display::fmt(self, f)
    }
}

impl std::error::Error for GoalReport {}

#[derive(Debug, Clone)]
struct Accumulator {
    spec: Goal,
    component: Option<usize>,
    from: SimTime,
    to: SimTime,
    latency: Histogram,
    windows: u64,
    seconds: f64,
    completions: u64,
    failures: u64,
    counter: u64,
    level: f64,
    utilisation_sum: f64,
    max_queue: u32,
    /// Per component: (arrivals, errors) in the interval, for the blast radius.
    errors_by_component: Vec<(u64, u64)>,
    /// The end of the window after which the goal has been missed ever since (None: met).
    failing_since: Option<SimTime>,
}

/// All goals of a run.
#[derive(Debug, Clone)]
pub struct Goals {
    goals: Vec<Accumulator>,
    /// For each component, the goals that want its individual latencies.
    latency_goals: Vec<Vec<usize>>,
}

fn is_latency(metric: GoalMetric) -> bool {
    matches!(
        metric,
        GoalMetric::P50Ms | GoalMetric::P95Ms | GoalMetric::P99Ms
    )
}

impl Goals {
    /// Accumulators for the scenario's goals (already validated against `topology`); a goal
    /// without an end runs to `end`, the end of the run.
    pub fn new(goals: &[Goal], topology: &Topology, end: SimTime) -> Goals {
        let mut latency_goals = vec![Vec::new(); topology.nodes.len()];
        let goals = goals
            .iter()
            .enumerate()
            .map(|(i, g)| {
                let component = g.component.as_deref().and_then(|id| topology.index_of(id));
                if is_latency(g.metric) {
                    // A system-wide latency goal measures what the clients see.
                    for (c, node) in topology.nodes.iter().enumerate() {
                        let wanted = match component {
                            Some(k) => k == c,
                            None => matches!(node.spec, ComponentSpec::Client(_)),
                        };
                        if wanted {
                            latency_goals[c].push(i);
                        }
                    }
                }
                Accumulator {
                    spec: g.clone(),
                    component,
                    from: SimTime::from_secs(g.from_s),
                    to: g.to_s.map_or(end, SimTime::from_secs).min(end),
                    latency: if is_latency(g.metric) {
                        Histogram::default()
                    } else {
                        Histogram::empty()
                    },
                    windows: 0,
                    seconds: 0.0,
                    completions: 0,
                    failures: 0,
                    counter: 0,
                    level: 0.0,
                    utilisation_sum: 0.0,
                    max_queue: 0,
                    errors_by_component: vec![(0, 0); topology.nodes.len()],
                    failing_since: None,
                }
            })
            .collect();
        Goals {
            goals,
            latency_goals,
        }
    }

    /// A request finished at `comp` after `latency_us`.
    pub fn latency(&mut self, comp: usize, now: SimTime, latency_us: u64, ok: bool) {
        let Some(list) = self.latency_goals.get(comp) else {
            return;
        };
        for &g in list {
            let acc = &mut self.goals[g];
            if ok && now >= acc.from && now < acc.to {
                acc.latency.record(latency_us);
            }
        }
    }

    /// A window [start, end) closed; fold it into every goal whose interval covers it, and note
    /// when each goal went from met to missed (`jobs_in_flight`: the job ledger's unresolved jobs).
    pub fn window_closed(
        &mut self,
        start: SimTime,
        end: SimTime,
        metrics: &[ComponentMetrics],
        topology: &Topology,
        jobs_in_flight: u64,
    ) {
        for acc in &mut self.goals {
            if start < acc.from || end > acc.to {
                continue;
            }
            acc.fold(end.since(start) as f64 / 1e6, metrics, topology);
            let (_, passed) = acc.verdict(metrics, jobs_in_flight);
            acc.failing_since = match (passed, acc.failing_since) {
                (true, _) => None,
                (false, since) => since.or(Some(end)),
            };
        }
    }

    /// Every goal's state at `now`, with `jobs_in_flight` the job ledger's unresolved jobs.
    pub fn status(
        &self,
        now: SimTime,
        metrics: &[ComponentMetrics],
        jobs_in_flight: u64,
    ) -> Vec<GoalStatus> {
        self.goals
            .iter()
            .map(|acc| {
                let (measured, passed) = acc.verdict(metrics, jobs_in_flight);
                GoalStatus {
                    label: acc.spec.label.clone(),
                    component: acc.spec.component.clone(),
                    metric: acc.spec.metric,
                    compare: acc.spec.compare,
                    target: acc.spec.target,
                    measured,
                    passed,
                    settled: now >= acc.to,
                    started: now >= acc.from,
                    from_s: acc.from.as_secs(),
                    lost_at_s: acc.failing_since.filter(|_| !passed).map(SimTime::as_secs),
                }
            })
            .collect()
    }
}

impl Accumulator {
    /// Folds the window that just closed, `seconds` long (the last of each component's history),
    /// into the goal.
    fn fold(&mut self, seconds: f64, metrics: &[ComponentMetrics], topology: &Topology) {
        let acc = self;
        acc.windows += 1;
        acc.seconds += seconds;
        let chosen: Vec<usize> = match acc.component {
            Some(c) => vec![c],
            None => (0..metrics.len()).collect(),
        };
        let mut cost = 0.0;
        for c in chosen {
            let Some(w) = metrics[c].history.back() else {
                continue;
            };
            let is_client = matches!(topology.nodes[c].spec, ComponentSpec::Client(_));
            // System-wide success and goodput are what clients see.
            if acc.component.is_some() || is_client {
                acc.completions += u64::from(w.completions);
                acc.failures += u64::from(w.errors + w.rejections);
            }
            acc.counter += u64::from(match acc.spec.metric {
                GoalMetric::Duplicates => w.duplicates,
                GoalMetric::StaleReads => w.stale_reads,
                GoalMetric::LostUpdates => w.lost_updates,
                GoalMetric::JobsLost => w.dropped,
                GoalMetric::DeadLettered => w.dead_lettered,
                GoalMetric::Unfulfilled => w.fallbacks + w.handoffs_failed + w.misreads,
                GoalMetric::Misreads => w.misreads,
                _ => 0,
            });
            if acc.spec.metric == GoalMetric::Oversold {
                acc.level = acc.level.max(f64::from(w.oversold));
            }
            acc.utilisation_sum += f64::from(w.utilisation);
            acc.max_queue = acc.max_queue.max(w.queue_depth_max);
            if acc.spec.metric == GoalMetric::QueueDepthAtEnd {
                acc.level = f64::from(w.queue_depth_avg);
            }
            if acc.spec.metric == GoalMetric::CostPerHour {
                cost += crate::kinds::cost_per_hour(&topology.nodes[c].spec);
            }
            if !is_client {
                let e = &mut acc.errors_by_component[c];
                e.0 += u64::from(w.arrivals);
                e.1 += u64::from(w.errors + w.timeouts + w.contract_errors);
            }
        }
        if acc.spec.metric == GoalMetric::CostPerHour {
            acc.level = acc.level.max(cost);
        }
    }

    /// The value measured so far and whether it meets the target (false with nothing measured).
    fn verdict(&self, metrics: &[ComponentMetrics], jobs_in_flight: u64) -> (f64, bool) {
        let acc = self;
        let ms = |q: f64| acc.latency.quantile(q) as f64 / 1_000.0;
        let (measured, has_data) = match acc.spec.metric {
            GoalMetric::P50Ms => (ms(0.50), acc.latency.count() > 0),
            GoalMetric::P95Ms => (ms(0.95), acc.latency.count() > 0),
            GoalMetric::P99Ms => (ms(0.99), acc.latency.count() > 0),
            GoalMetric::SuccessRatio => {
                let total = acc.completions + acc.failures;
                (
                    if total == 0 {
                        0.0
                    } else {
                        acc.completions as f64 / total as f64
                    },
                    total > 0,
                )
            }
            GoalMetric::GoodputPerSec => (
                if acc.seconds > 0.0 {
                    acc.completions as f64 / acc.seconds
                } else {
                    0.0
                },
                acc.windows > 0,
            ),
            GoalMetric::Duplicates
            | GoalMetric::StaleReads
            | GoalMetric::LostUpdates
            | GoalMetric::JobsLost
            | GoalMetric::DeadLettered
            | GoalMetric::Unfulfilled
            | GoalMetric::Misreads => (acc.counter as f64, acc.windows > 0),
            GoalMetric::Oversold | GoalMetric::QueueDepthAtEnd | GoalMetric::CostPerHour => {
                (acc.level, acc.windows > 0)
            }
            GoalMetric::Utilisation => {
                let n = acc.windows as f64
                    * if acc.component.is_some() {
                        1.0
                    } else {
                        metrics.len().max(1) as f64
                    };
                (
                    if n > 0.0 {
                        acc.utilisation_sum / n
                    } else {
                        0.0
                    },
                    acc.windows > 0,
                )
            }
            GoalMetric::MaxQueueDepth => (f64::from(acc.max_queue), acc.windows > 0),
            GoalMetric::JobsUnresolved => (jobs_in_flight as f64, acc.windows > 0),
            GoalMetric::ComponentsInError => {
                let n = acc
                    .errors_by_component
                    .iter()
                    .filter(|&&(arrivals, errors)| {
                        errors >= 5 && errors as f64 > 0.05 * arrivals as f64
                    })
                    .count();
                (n as f64, acc.windows > 0)
            }
        };
        let meets = match acc.spec.compare {
            Comparison::AtMost => measured <= acc.spec.target,
            Comparison::AtLeast => measured >= acc.spec.target,
        };
        (measured, has_data && meets)
    }
}
