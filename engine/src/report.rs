//! What happened in a run, in words: the moments that matter, found in the run's metrics windows
//! by explicit detectors (each with its time, component, measured value and threshold), and a
//! short causal chain of sentences that links them by rules written here, in time order. Nothing
//! is guessed from text: a moment is a threshold crossed in the numbers, and a link is a rule.
//!
//! Detectors: a scheduled fault starts or ends; a component saturates (busy share at least
//! [`SATURATED`] for a second); its queue grows past [`queue_threshold`] for a second, and stays
//! there five seconds after the fault that caused it ended (a metastable state); timeouts begin;
//! a client's retries multiply its requests (attempts per new request above [`AMPLIFIED`]); the
//! first duplicate side effect; and each goal's verdict.

use crate::metrics::Window;
use crate::scenario::{FaultKind, Scenario};
use crate::simulation::Simulation;
use serde::Serialize;

/// The busy share at which a component counts as saturated.
pub const SATURATED: f64 = 0.95;
/// Attempts per new request at which a client's retries count as amplifying the load.
pub const AMPLIFIED: f64 = 1.5;
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
    /// A scheduled fault starts (its kind as files write it).
    FaultStarts { fault: String },
    /// A scheduled fault ends.
    FaultEnds { fault: String },
    /// Busy share at or above the threshold for a second; `first` for the first to saturate.
    Saturated { first: bool },
    /// The waiting line above the threshold for a second.
    QueueGrows,
    /// The waiting line still above the threshold after its cause ended.
    QueueStaysHigh,
    /// Timeouts begin.
    TimeoutsBegin,
    /// A client's attempts per new request above the threshold (the most it reached).
    RetriesAmplify,
    /// The first side effect done twice.
    FirstDuplicate,
    /// A goal missed at the end of the run.
    GoalMissed { label: String },
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
}

/// The run's moments in time order, and the chain of sentences that links them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    /// Every moment found, earliest first.
    pub moments: Vec<Moment>,
    /// The causal chain, a sentence each.
    pub chain: Vec<String>,
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

/// The report of `sim`, which runs `scenario` (for its faults and window width).
pub fn report(scenario: &Scenario, sim: &Simulation) -> Report {
    let now_s = sim.now().as_secs();
    let window_s = scenario.window_ms / 1000.0;
    let hold = (SUSTAINED_S / window_s).ceil() as usize;
    let mut moments = Vec::new();
    for f in &scenario.faults {
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
        let kind = f.fault.kind_name();
        if f.at_s <= now_s {
            moments.push(Moment {
                at_s: f.at_s,
                component: Some(target.clone()),
                what: What::FaultStarts { fault: kind.into() },
                value: 0.0,
                threshold: 0.0,
            });
        }
        if let Some(end) = f.duration_s.map(|d| f.at_s + d).filter(|e| *e <= now_s) {
            moments.push(Moment {
                at_s: end,
                component: Some(target),
                what: What::FaultEnds { fault: kind.into() },
                value: 0.0,
                threshold: 0.0,
            });
        }
    }
    let fault_ends: Vec<f64> = moments
        .iter()
        .filter(|m| matches!(m.what, What::FaultEnds { .. }))
        .map(|m| m.at_s)
        .collect();
    for (node, m) in sim.topology().nodes.iter().zip(sim.metrics()) {
        let history = &m.history;
        let at = |w: usize| history[w].start_ms / 1000.0;
        let id = Some(node.id.clone());
        if let Some(w) = first_sustained(history, hold, |w| f64::from(w.utilisation) >= SATURATED) {
            moments.push(Moment {
                at_s: at(w),
                component: id.clone(),
                // Which saturated first is known once every component is looked at.
                what: What::Saturated { first: false },
                value: f64::from(history[w].utilisation),
                threshold: SATURATED,
            });
        }
        let high = queue_threshold(node.spec.workers());
        if let Some(w) = first_sustained(history, hold, |w| f64::from(w.queue_depth_avg) >= high) {
            moments.push(Moment {
                at_s: at(w),
                component: id.clone(),
                what: What::QueueGrows,
                value: f64::from(history[w].queue_depth_avg),
                threshold: high,
            });
            // Still high well after a fault that ended after the queue grew.
            if let Some(end) = fault_ends.iter().copied().find(|e| *e > at(w)) {
                let look = end + STUCK_AFTER_S;
                if let Some(x) = history.iter().find(|x| x.start_ms / 1000.0 >= look) {
                    if f64::from(x.queue_depth_avg) >= high {
                        moments.push(Moment {
                            at_s: look,
                            component: id.clone(),
                            what: What::QueueStaysHigh,
                            value: f64::from(x.queue_depth_avg),
                            threshold: high,
                        });
                    }
                }
            }
        }
        if let Some(w) = history.iter().position(|w| w.timeouts > 0) {
            moments.push(Moment {
                at_s: at(w),
                component: id.clone(),
                what: What::TimeoutsBegin,
                value: f64::from(history[w].timeouts) / window_s,
                threshold: 0.0,
            });
        }
        let ratio = |w: &Window| f64::from(w.attempts) / f64::from(w.arrivals.max(1));
        if let Some(w) = first_sustained(history, hold, |w| w.arrivals > 0 && ratio(w) >= AMPLIFIED)
        {
            let most = history.iter().skip(w).map(ratio).fold(0.0, f64::max);
            moments.push(Moment {
                at_s: at(w),
                component: id.clone(),
                what: What::RetriesAmplify,
                value: most,
                threshold: AMPLIFIED,
            });
        }
        if let Some(w) = history.iter().position(|w| w.duplicates > 0) {
            moments.push(Moment {
                at_s: at(w),
                component: id,
                what: What::FirstDuplicate,
                value: f64::from(history[w].duplicates),
                threshold: 0.0,
            });
        }
    }
    // The earliest saturation (the first component in the file, at equal times) is the first.
    let first = moments
        .iter_mut()
        .filter(|m| matches!(m.what, What::Saturated { .. }))
        .reduce(|a, b| if b.at_s < a.at_s { b } else { a });
    if let Some(m) = first {
        m.what = What::Saturated { first: true };
    }
    for g in sim.goals().into_iter().filter(|g| g.settled && !g.passed) {
        moments.push(Moment {
            at_s: now_s,
            component: g.component.clone(),
            what: What::GoalMissed { label: g.label },
            value: g.measured,
            threshold: g.target,
        });
    }
    // In time order; at one time, causes before what they cause.
    moments.sort_by(|a, b| {
        a.at_s
            .total_cmp(&b.at_s)
            .then(rank(&a.what).cmp(&rank(&b.what)))
    });
    let chain = chain(&moments);
    Report { moments, chain }
}

/// The order of moments found at the same time: causes first.
fn rank(what: &What) -> u8 {
    match what {
        What::FaultStarts { .. } => 0,
        What::FaultEnds { .. } => 1,
        What::Saturated { .. } => 2,
        What::QueueGrows => 3,
        What::TimeoutsBegin => 4,
        What::RetriesAmplify => 5,
        What::QueueStaysHigh => 6,
        What::FirstDuplicate => 7,
        What::GoalMissed { .. } => 8,
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

/// A component's name in a sentence.
fn who(m: &Moment) -> &str {
    m.component.as_deref().unwrap_or("the system")
}

/// The causal chain: one sentence per moment, in time order, each saying what earlier moment it
/// follows from by these rules. A saturation, a growing queue or timeouts during a fault follow
/// from the fault; timeouts follow from a saturation before them; amplified retries follow from
/// timeouts before them; a queue still high after its fault ended cannot drain while retries
/// keep it full (when they do) or has not drained.
pub fn chain(moments: &[Moment]) -> Vec<String> {
    let mut out = Vec::new();
    let mut fault: Option<&Moment> = None;
    let mut saturated: Option<&Moment> = None;
    let mut timeouts: Option<&Moment> = None;
    let mut retries: Option<&Moment> = None;
    for m in moments {
        let t = m.at_s;
        let line = match &m.what {
            What::FaultStarts { fault: kind } => {
                fault = Some(m);
                format!(
                    "At {t:.1} s the {} fault starts at {}.",
                    kind.replace('_', " "),
                    who(m)
                )
            }
            What::FaultEnds { fault: kind } => {
                format!(
                    "At {t:.1} s the {} fault at {} ends.",
                    kind.replace('_', " "),
                    who(m)
                )
            }
            What::Saturated { first } => {
                let cause = fault.map_or(String::new(), |f| {
                    format!(", {:.1} s after the fault began", t - f.at_s)
                });
                let order = if *first { "first " } else { "" };
                saturated.get_or_insert(m);
                format!(
                    "By {t:.1} s {} is the {order}component to saturate: {:.0}% of its workers busy{cause}.",
                    who(m),
                    m.value * 100.0
                )
            }
            What::QueueGrows => format!(
                "From {t:.1} s the queue at {} passes {:.0} waiting and keeps growing.",
                who(m),
                m.threshold
            ),
            What::TimeoutsBegin => {
                timeouts.get_or_insert(m);
                match saturated {
                    Some(s) => format!(
                        "From {t:.1} s {} times out, because {} cannot keep up.",
                        who(m),
                        who(s)
                    ),
                    None => format!("From {t:.1} s {} times out.", who(m)),
                }
            }
            What::RetriesAmplify => {
                retries.get_or_insert(m);
                let why = if timeouts.is_some() {
                    " retrying after the timeouts"
                } else {
                    " retrying"
                };
                format!(
                    "From {t:.1} s {}{why} sends up to {:.1} times the requests it started.",
                    who(m),
                    m.value
                )
            }
            What::QueueStaysHigh => {
                let left = amount(m.value);
                let why = if retries.is_some() {
                    "it cannot drain while retries keep it full"
                } else {
                    "it has not drained"
                };
                format!(
                    "At {t:.1} s, after the fault ended, the queue at {} is still {left}: {why}.",
                    who(m)
                )
            }
            What::FirstDuplicate => format!(
                "At {t:.1} s {} does a side effect twice for the first time.",
                who(m)
            ),
            What::GoalMissed { label } => format!(
                "The goal \"{label}\" is missed: {} against a target of {}.",
                amount(m.value),
                amount(m.threshold)
            ),
        };
        out.push(line);
    }
    out
}

impl Report {
    /// The report as Markdown, for a CI step summary or a pull request comment.
    pub fn markdown(&self) -> String {
        let mut out = String::from("## What happened\n\n");
        if self.chain.is_empty() {
            out += "Nothing crossed a threshold: no fault, saturation, growing queue, timeout, amplified retries or duplicate.\n";
            return out;
        }
        for line in &self.chain {
            out += &format!("- {line}\n");
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        report(&scenario, &sim)
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
        assert!(r.chain[timeouts].contains("because api cannot keep up"));
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
        assert!(quiet.markdown().contains("Nothing crossed a threshold"));
    }
}
