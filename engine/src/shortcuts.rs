//! The shortcut search: single edits a learner could make without touching a lock (and pairs of
//! the most promising ones), each run on a few seeds, to find the ways a lesson's or challenge's
//! goals turn green without its idea.
//!
//! The engine has no threads: [`Search::edits`] lists what to try and [`Search::run`] tries one
//! edit (or pair) on the seeds; the command-line runner spreads the runs over every core, the
//! tests and the app run them one after another. An edit works on the scenario as it writes
//! itself back (a JSON tree) and is read back through the scenario reader, so an edit the reader
//! or the checks refuse is never tried, and one that breaks a locked condition is skipped as the
//! app would refuse it.

use crate::conditions;
use crate::scenario::Scenario;
use crate::simulation::Simulation;
use crate::topology::{ScenarioError, Subject};
use serde::Serialize;
use serde_json::{json, Value};

/// Factors each unlocked number is scaled by.
pub const FACTORS: [f64; 4] = [0.1, 0.5, 2.0, 10.0];

/// Runs a search makes at most unless told otherwise (one run: an edit on all its seeds).
pub const DEFAULT_BUDGET: usize = 600;

/// A run of an edit stops, failing, after this many times the start's events on the same
/// seed (at least [`MIN_EVENTS`]): an edit that makes the system do several times the work of
/// a start that already melts down is no fix, and such runs were most of a search's time.
pub const EVENT_FACTOR: u64 = 4;

/// The least event bound of a run (a start too small to measure by).
pub const MIN_EVENTS: u64 = 200_000;

/// Which family of shortcut an edit belongs to, for grouping in a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Family {
    /// A wire made asynchronous, optional or deleted; a component deleted.
    DroppedWork,
    /// A watched component copied beside itself, the traffic sent to the copy.
    RoutedAround,
    /// A number scaled, a switch flipped, a choice taken.
    Setting,
    /// Capacity moved within the cost budget: one tier shrunk and what it saved (with what
    /// was left) spent on another, the brute force a soft budget pays for.
    Budget,
    /// Two edits together.
    Pair,
}

/// How far a budget move shrinks the tier it takes the money from (1: it only spends what the
/// budget has left).
const SHRINKS: [f64; 3] = [1.0, 0.5, 0.25];

/// One change to a scenario's JSON tree.
#[derive(Debug, Clone, PartialEq)]
enum Step {
    /// Set the field at `field` (dots into nested fields) of component `id`'s spec.
    Set {
        id: String,
        field: String,
        value: Value,
    },
    /// Make the wire `from` → `to` asynchronous (fire and forget).
    Async { from: String, to: String },
    /// Flip whether the wire's failures are tolerated.
    Optional {
        from: String,
        to: String,
        optional: bool,
    },
    /// Let the wire carry only these operations.
    Ops {
        from: String,
        to: String,
        ops: Vec<String>,
    },
    /// Remove the wire.
    DeleteWire { from: String, to: String },
    /// Remove the component and its wires.
    DeleteComponent { id: String },
    /// Add a copy of the component beside it; every wire into it goes to the copy, every wire
    /// out of it is copied for the copy; `tuned` makes the copy as fast and reliable as its
    /// fields allow.
    Duplicate { id: String, tuned: bool },
}

/// One edit a learner could make in the app, written as they would make it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Edit {
    /// A stable name for the edit (`set api.workers 128`, `async api->psp`): what a lesson
    /// names to declare an accepted alternative.
    pub key: String,
    /// The edit in the app's words ("Set Payments API's workers to 128 (×2)").
    pub words: String,
    /// Its family.
    pub family: Family,
    #[serde(skip)]
    steps: Vec<Step>,
}

/// What an edit did on the seeds it was run on.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Trial {
    /// Whether every goal passed on every seed, with no locked condition changed.
    pub passed: bool,
    /// Whether a run was stopped at the event bound (and so failed).
    pub stopped: bool,
    /// Goals met, summed over the seeds run (a run stops at the first seed that fails).
    pub goals_met: usize,
    /// Seeds run.
    pub seeds_run: usize,
}

/// Whether a passing edit is the lesson's own fix, an alternative the lesson accepts, or a
/// shortcut.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "verdict", rename_all = "snake_case")]
pub enum Verdict {
    /// Every change the edit makes is one the solution makes too (same field, same direction).
    Solution,
    /// The lesson declares it an accepted alternative, for this reason.
    Accepted {
        /// Why it is accepted.
        why: String,
    },
    /// Nothing says it applies the idea.
    Shortcut,
}

/// A passing edit and its verdict.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Found {
    /// The edit.
    pub edit: Edit,
    /// What it is.
    pub verdict: Verdict,
}

/// An accepted alternative a lesson declares: the edit's key and why it applies the idea.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Accepted {
    /// [`Edit::key`].
    pub key: String,
    /// The reason, for a reviewer.
    pub why: String,
}

/// The alternatives a lesson's `lesson.json` (its text) accepts for one of its files: its
/// `alternatives` list, each `{"file": "start.json", "key": "<an edit's key>", "why": "..."}`,
/// those for `file`. A malformed entry or an empty reason is refused by its position.
pub fn accepted_in(lesson_json: &str, file: &str) -> Result<Vec<Accepted>, ScenarioError> {
    let tree: Value = serde_json::from_str(lesson_json)
        .map_err(|e| ScenarioError::unreadable("", e.to_string()))?;
    let mut out = Vec::new();
    for (i, a) in tree["alternatives"]
        .as_array()
        .into_iter()
        .flatten()
        .enumerate()
    {
        let field = |k: &str| -> Result<String, ScenarioError> {
            a[k].as_str().map(str::to_string).ok_or_else(|| {
                ScenarioError::unreadable(format!("alternatives[{i}].{k}"), "must be text")
            })
        };
        let why = field("why")?;
        if why.trim().is_empty() {
            return Err(ScenarioError::unreadable(
                format!("alternatives[{i}].why"),
                "is empty: say why it applies the idea",
            ));
        }
        if field("file")? == file {
            out.push(Accepted {
                key: field("key")?,
                why,
            });
        }
    }
    Ok(out)
}

/// A search over one scenario.
#[derive(Debug, Clone)]
pub struct Search {
    tree: Value,
    solution: Option<Value>,
    accepted: Vec<Accepted>,
    seeds: Vec<u64>,
    /// Per seed, the most events a run of an edit may take.
    max_events: Vec<u64>,
    /// Whether the start itself passes every goal on every seed.
    start_passes: bool,
}

/// What a whole search found, for a report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    /// Single edits listed, before locks and refusals.
    pub singles: usize,
    /// Edits skipped because they break a locked condition or the checks refuse them.
    pub skipped: usize,
    /// Runs made (an edit or pair on its seeds).
    pub runs: usize,
    /// Runs stopped at the event bound (see [`EVENT_FACTOR`]), counted as failing.
    pub stopped: usize,
    /// Seeds each was run on.
    pub seeds: Vec<u64>,
    /// Whether the start itself passes every goal (then every edit is moot).
    pub start_passes: bool,
    /// What passed.
    pub found: Vec<Found>,
}

impl Summary {
    /// The passing edits that are shortcuts.
    pub fn shortcuts(&self) -> impl Iterator<Item = &Found> {
        self.found.iter().filter(|f| f.verdict == Verdict::Shortcut)
    }
}

impl Search {
    /// A search from `start` on `seeds`; `solution` (the lesson's solved design) tells its fix
    /// apart from shortcuts; `accepted` lists alternatives the lesson declares.
    pub fn new(
        start: &Scenario,
        solution: Option<&Scenario>,
        accepted: Vec<Accepted>,
        seeds: Vec<u64>,
    ) -> Result<Search, ScenarioError> {
        let tree = parse(&start.to_json())?;
        let solution = solution.map(|s| parse(&s.to_json())).transpose()?;
        // The start, run once on each seed: the event bound of its edits and whether it
        // already passes.
        let mut start_passes = true;
        let max_events = seeds
            .iter()
            .map(|&seed| {
                let mut s = start.clone();
                s.seed = seed;
                let events = Simulation::new(&s).map_or(0, |mut sim| {
                    sim.run();
                    start_passes &= passes(&sim);
                    sim.events_processed()
                });
                (events * EVENT_FACTOR).max(MIN_EVENTS)
            })
            .collect();
        Ok(Search {
            tree,
            solution,
            accepted,
            start_passes,
            seeds,
            max_events,
        })
    }

    /// Every single edit a learner could make, locks not yet considered.
    pub fn edits(&self) -> Vec<Edit> {
        let mut out = Vec::new();
        let wires = self.tree["wires"].as_array().cloned().unwrap_or_default();
        let components = self.tree["components"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        let name_of = |id: &str| -> String {
            components
                .iter()
                .find(|c| c["id"] == id)
                .and_then(|c| c["name"].as_str())
                .filter(|n| !n.is_empty())
                .unwrap_or(id)
                .to_string()
        };
        // The operations the clients send, each a wire could be limited to.
        let mut ops: Vec<String> = Vec::new();
        for c in &components {
            for m in c["spec"]["mix"].as_array().into_iter().flatten() {
                if let Some(op) = m["op"].as_str().filter(|o| !ops.iter().any(|x| x == o)) {
                    ops.push(op.to_string());
                }
            }
        }
        for w in &wires {
            let (Some(from), Some(to)) = (w["from"].as_str(), w["to"].as_str()) else {
                continue;
            };
            let wire = format!("{} → {}", name_of(from), name_of(to));
            let (f, t) = (from.to_string(), to.to_string());
            if w["mode"] != "async" {
                out.push(Edit {
                    key: format!("async {from}->{to}"),
                    words: format!("Make the wire {wire} asynchronous (fire and forget)"),
                    family: Family::DroppedWork,
                    steps: vec![Step::Async {
                        from: f.clone(),
                        to: t.clone(),
                    }],
                });
            }
            let optional = w["optional"].as_bool().unwrap_or(false);
            out.push(Edit {
                key: format!("optional {from}->{to} {}", !optional),
                words: if optional {
                    format!("Make the wire {wire} required")
                } else {
                    format!("Make the wire {wire} optional (carry on without its answer)")
                },
                family: Family::DroppedWork,
                steps: vec![Step::Optional {
                    from: f.clone(),
                    to: t.clone(),
                    optional: !optional,
                }],
            });
            for op in &ops {
                if w["ops"]
                    .as_array()
                    .is_some_and(|o| o.len() == 1 && o[0] == op.as_str())
                {
                    continue;
                }
                out.push(Edit {
                    key: format!("ops {from}->{to} {op}"),
                    words: format!("Let the wire {wire} carry only {op} requests"),
                    family: Family::DroppedWork,
                    steps: vec![Step::Ops {
                        from: f.clone(),
                        to: t.clone(),
                        ops: vec![op.clone()],
                    }],
                });
            }
            out.push(Edit {
                key: format!("delete {from}->{to}"),
                words: format!("Delete the wire {wire}"),
                family: Family::DroppedWork,
                steps: vec![Step::DeleteWire { from: f, to: t }],
            });
        }
        for c in &components {
            let Some(id) = c["id"].as_str() else { continue };
            out.push(Edit {
                key: format!("delete {id}"),
                words: format!("Delete {}", name_of(id)),
                family: Family::DroppedWork,
                steps: vec![Step::DeleteComponent { id: id.into() }],
            });
        }
        for id in self.watched() {
            for tuned in [false, true] {
                out.push(Edit {
                    key: format!("duplicate {id}{}", if tuned { " tuned" } else { "" }),
                    words: format!(
                        "Add a second {}{} and move its incoming wires to it",
                        name_of(&id),
                        if tuned {
                            ", as fast and reliable as its fields allow,"
                        } else {
                            ""
                        }
                    ),
                    family: Family::RoutedAround,
                    steps: vec![Step::Duplicate {
                        id: id.clone(),
                        tuned,
                    }],
                });
            }
        }
        for c in &components {
            let (Some(id), Some(kind)) = (c["id"].as_str(), c["spec"]["kind"].as_str()) else {
                continue;
            };
            let mut settings = Vec::new();
            settings_of(kind, &c["spec"], &c["spec"], "", &mut settings);
            for (field, value, how) in settings {
                out.push(Edit {
                    key: format!("set {id}.{field} {}", compact(&value)),
                    words: format!("Set {}'s {field} to {}{how}", name_of(id), words(&value)),
                    family: Family::Setting,
                    steps: vec![Step::Set {
                        id: id.into(),
                        field,
                        value,
                    }],
                });
            }
        }
        for e in self.budget_moves(&name_of) {
            if !out.iter().any(|o| o.key == e.key) {
                out.push(e);
            }
        }
        out
    }

    /// Capacity moved within the design's cost budget (a `cost_per_hour` goal of at most some
    /// amount): for each priced tier, every unit the budget has left spent on it, and the same
    /// after another tier is shrunk to a half or a quarter. The scaled settings try ×0.5 and
    /// ×2, which rarely land on what a budget allows exactly; a learner types the number.
    fn budget_moves(&self, name_of: &dyn Fn(&str) -> String) -> Vec<Edit> {
        let Some(budget) = self.tree["goals"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|g| g["metric"] == "cost_per_hour" && g["compare"] == "<=")
            .filter_map(|g| g["target"].as_f64())
            .reduce(f64::min)
        else {
            return Vec::new();
        };
        // (id, capacity field, units, dollars an hour a unit) of each fixed-size priced tier.
        let tiers: Vec<(String, &str, f64, f64)> = self.tree["components"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|c| c["spec"]["autoscale"].is_null())
            .filter_map(|c| {
                let price = crate::kinds::kind(c["spec"]["kind"].as_str()?)?.price?;
                let units = c["spec"][price.field].as_f64()?;
                Some((
                    c["id"].as_str()?.to_string(),
                    price.field,
                    units,
                    price.dollars_per_hour / price.per,
                ))
            })
            .collect();
        // What the whole design costs, by the one rule the cost goal is measured by (an
        // autoscaled pool counts too, though no move takes from it or spends on it).
        let spent = Scenario::from_json(&self.tree.to_string())
            .map_or(0.0, |s| crate::kinds::design_cost_per_hour(&s));
        let mut out = Vec::new();
        for (to, to_field, to_units, to_each) in &tiers {
            for (from, from_field, from_units, from_each) in &tiers {
                for shrink in SHRINKS {
                    let moving = shrink < 1.0;
                    if moving == (from == to) {
                        // Shrink another tier, or (once, as `from` passes `to`) only spend.
                        continue;
                    }
                    let kept = if moving {
                        (from_units * shrink).floor().max(1.0)
                    } else {
                        *from_units
                    };
                    let left = budget - (spent - (from_units - kept) * from_each);
                    let extra = (left / to_each + 1e-9).floor();
                    if extra < 1.0 {
                        continue;
                    }
                    let more = to_units + extra;
                    let spend = Step::Set {
                        id: to.clone(),
                        field: (*to_field).to_string(),
                        value: json!(more as u64),
                    };
                    let (key, words, steps) = if moving {
                        (
                            format!("set {from}.{from_field} {kept} + set {to}.{to_field} {more}"),
                            format!(
                                "Shrink {}'s {from_field} to {kept} and spend the budget on {}'s {to_field}: {more}",
                                name_of(from),
                                name_of(to)
                            ),
                            vec![
                                Step::Set {
                                    id: from.clone(),
                                    field: (*from_field).to_string(),
                                    value: json!(kept as u64),
                                },
                                spend,
                            ],
                        )
                    } else {
                        (
                            format!("set {to}.{to_field} {more}"),
                            format!(
                                "Spend what the budget has left on {}'s {to_field}: {more}",
                                name_of(to)
                            ),
                            vec![spend],
                        )
                    };
                    out.push(Edit {
                        key,
                        words,
                        family: Family::Budget,
                        steps,
                    });
                }
            }
        }
        out
    }

    /// The components a learner could route around: those a goal names, then every other one
    /// that is not a client (a locked third party is the usual target).
    fn watched(&self) -> Vec<String> {
        let mut ids: Vec<String> = Vec::new();
        let named = self.tree["goals"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|g| g["component"].as_str());
        let others = self.tree["components"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|c| c["spec"]["kind"] != "client")
            .filter_map(|c| c["id"].as_str());
        for id in named.chain(others) {
            if !ids.iter().any(|i| i == id) {
                ids.push(id.to_string());
            }
        }
        ids
    }

    /// The scenario after `edits`, or why the app would not let a learner make them: the reader
    /// or the checks refuse it, or it breaks a locked condition.
    pub fn apply(&self, edits: &[&Edit]) -> Result<Scenario, ScenarioError> {
        let mut tree = self.tree.clone();
        for e in edits {
            for s in &e.steps {
                step(&mut tree, s).map_err(|m| ScenarioError::one(Subject::Scenario, "", m))?;
            }
        }
        let scenario = Scenario::from_json(&tree.to_string())?;
        if let Some(c) = conditions::changed(&scenario).first() {
            return Err(ScenarioError::one(
                Subject::Scenario,
                c.path.clone(),
                c.message(),
            ));
        }
        crate::topology::Topology::build(&scenario)?;
        Ok(scenario)
    }

    /// Runs `scenario` (an edited start) on the seeds, stopping at the first that fails.
    pub fn run(&self, scenario: &Scenario) -> Trial {
        let mut trial = Trial {
            passed: true,
            stopped: false,
            goals_met: 0,
            seeds_run: 0,
        };
        for (&seed, &bound) in self.seeds.iter().zip(&self.max_events) {
            let mut s = scenario.clone();
            s.seed = seed;
            trial.seeds_run += 1;
            let Ok(mut sim) = Simulation::new(&s) else {
                trial.passed = false;
                break;
            };
            match run_to_verdict(&mut sim, bound) {
                Ran::Finished => {}
                Ran::Lost => {
                    trial.passed = false;
                    break;
                }
                Ran::Stopped => {
                    trial.passed = false;
                    trial.stopped = true;
                    break;
                }
            }
            let counted = sim.conditions_changed().is_empty();
            let met = sim.goals().iter().filter(|g| g.passed).count();
            trial.goals_met += if counted { met } else { 0 };
            if !passes(&sim) {
                trial.passed = false;
                break;
            }
        }
        trial
    }

    /// Whether the start passes every goal on every seed (nothing to search for then).
    pub fn start_passes(&self) -> bool {
        self.start_passes
    }

    /// The edit of two, for the pairs of the search.
    pub fn pair(a: &Edit, b: &Edit) -> Edit {
        Edit {
            key: format!("{} + {}", a.key, b.key),
            words: format!("{}, and {}", a.words, lower_first(&b.words)),
            family: Family::Pair,
            steps: a.steps.iter().chain(&b.steps).cloned().collect(),
        }
    }

    /// What a passing edit is: the solution's own change, an accepted alternative, or a shortcut.
    pub fn verdict(&self, edit: &Edit) -> Verdict {
        if let Some(a) = self.accepted.iter().find(|a| a.key == edit.key) {
            return Verdict::Accepted { why: a.why.clone() };
        }
        match &self.solution {
            Some(solution) if edit.steps.iter().all(|s| self.makes(solution, s, false)) => {
                Verdict::Solution
            }
            _ => Verdict::Shortcut,
        }
    }

    /// The shortcuts among `found` that `design` (a participant's answer) makes in full: each
    /// of the edit's changes is in the design, a number moved at least as far the same way, a
    /// wire made the same, a wire or component gone. Their words, for a facilitator: the design
    /// may apply the idea as well, but it also holds a change that passes without it.
    pub fn shortcuts_in(&self, found: &[Found], design: &Scenario) -> Vec<String> {
        let Ok(tree) = parse(&design.to_json()) else {
            return Vec::new();
        };
        found
            .iter()
            .filter(|f| f.verdict == Verdict::Shortcut)
            .filter(|f| f.edit.steps.iter().all(|s| self.design_makes(&tree, s)))
            .map(|f| f.edit.words.clone())
            .collect()
    }

    /// Whether `design` makes the change of `step` to the start, at least as far.
    fn design_makes(&self, design: &Value, step: &Step) -> bool {
        match step {
            Step::DeleteComponent { id } => design["components"]
                .as_array()
                .is_some_and(|cs| !cs.iter().any(|c| c["id"] == id.as_str())),
            // A copy routed around is judged by its run, not by its shape.
            Step::Duplicate { .. } => false,
            other => self.makes(design, other, true),
        }
    }

    /// Whether `tree` (the solution, or a design) makes this change too: the same field moved
    /// the same way (`as_far`: at least as far, and a switch turned on to the same value), the
    /// same wire made the same, the same wire gone.
    fn makes(&self, tree: &Value, step: &Step, as_far: bool) -> bool {
        let wire = |tree: &Value, from: &str, to: &str| -> Option<Value> {
            tree["wires"]
                .as_array()?
                .iter()
                .find(|w| w["from"] == from && w["to"] == to)
                .cloned()
        };
        match step {
            Step::Set { id, field, value } => {
                let path = format!("{id}.{field}");
                let at = |tree: &Value| conditions::lookup(tree, &path).unwrap_or(Value::Null);
                let (before, after) = (at(&self.tree), at(tree));
                match (before.as_f64(), after.as_f64(), value.as_f64()) {
                    (Some(b), Some(a), Some(v)) => {
                        a != b
                            && (a - b).signum() == (v - b).signum()
                            && (!as_far || (a - b).abs() >= (v - b).abs())
                    }
                    // The same switch turned on (the value may differ: both apply it).
                    _ if !as_far && before.is_null() && !after.is_null() && !value.is_null() => {
                        true
                    }
                    _ => before != after && conditions::same(&after, value),
                }
            }
            Step::Async { from, to } => wire(tree, from, to).is_some_and(|w| w["mode"] == "async"),
            Step::Optional { from, to, optional } => wire(tree, from, to)
                .is_some_and(|w| w["optional"].as_bool().unwrap_or(false) == *optional),
            Step::DeleteWire { from, to } => {
                wire(&self.tree, from, to).is_some() && wire(tree, from, to).is_none()
            }
            Step::Ops { from, to, ops } => {
                wire(tree, from, to).is_some_and(|w| w["ops"] == json!(ops))
            }
            Step::DeleteComponent { .. } | Step::Duplicate { .. } => false,
        }
    }

    /// The whole search, one run after another (the CLI runs the same steps on every core):
    /// every single edit, then pairs of the most promising failing ones while `budget` runs
    /// last. `tick` is called after each run.
    pub fn search(&self, budget: usize, mut tick: impl FnMut()) -> Summary {
        let mut stepper = Stepper::new(self.clone(), budget);
        while stepper.step() {
            tick();
        }
        stepper.summary()
    }

    /// Pairs of the most promising single edits that did not pass alone (a passing single is
    /// already reported), at most `budget` of them; promising: most goals met, then list order.
    /// Two edits of the same field or of the same wire are not paired.
    pub fn pairs(&self, tried: &[(Edit, Trial)], budget: usize) -> Vec<Edit> {
        let mut ranked: Vec<&(Edit, Trial)> = tried
            .iter()
            .filter(|(e, t)| !t.passed && !matches!(e.family, Family::Pair | Family::Budget))
            .collect();
        ranked.sort_by_key(|(_, t)| std::cmp::Reverse(t.goals_met));
        // n(n-1)/2 <= budget.
        let mut n = 0;
        while (n + 1) * n / 2 <= budget && n < ranked.len() {
            n += 1;
        }
        let top = &ranked[..n.min(ranked.len())];
        let mut out = Vec::new();
        for (i, (a, _)) in top.iter().enumerate() {
            for (b, _) in &top[i + 1..] {
                if out.len() >= budget {
                    return out;
                }
                if subject(a) != subject(b) {
                    out.push(Search::pair(a, b));
                }
            }
        }
        out
    }

    /// The report from what was tried.
    pub fn summary(
        &self,
        singles: usize,
        skipped: usize,
        runs: usize,
        tried: Vec<(Edit, Trial)>,
    ) -> Summary {
        let stopped = tried.iter().filter(|(_, t)| t.stopped).count();
        let found = tried
            .into_iter()
            .filter(|(_, t)| t.passed)
            .map(|(edit, _)| Found {
                verdict: self.verdict(&edit),
                edit,
            })
            .collect();
        Summary {
            singles,
            skipped,
            runs,
            stopped,
            seeds: self.seeds.clone(),
            start_passes: self.start_passes,
            found,
        }
    }
}

/// A search made one run at a time, for a caller that must stay responsive between runs (a
/// browser's worker reporting progress): the same steps as [`Search::search`].
#[derive(Debug, Clone)]
pub struct Stepper {
    search: Search,
    budget: usize,
    singles: usize,
    skipped: usize,
    /// Edits still to try, next last.
    queue: Vec<Edit>,
    tried: Vec<(Edit, Trial)>,
    paired: bool,
}

impl Stepper {
    /// A search of at most `budget` runs, not yet started.
    pub fn new(search: Search, budget: usize) -> Stepper {
        let mut queue = search.edits();
        let singles = queue.len();
        queue.reverse();
        Stepper {
            search,
            budget,
            singles,
            skipped: 0,
            queue,
            tried: Vec::new(),
            paired: false,
        }
    }

    /// Runs the next edit (skipping those the app would refuse); false once nothing is left.
    pub fn step(&mut self) -> bool {
        loop {
            if self.tried.len() >= self.budget {
                self.queue.clear();
                self.paired = true;
            }
            let Some(edit) = self.queue.pop() else {
                if self.paired {
                    return false;
                }
                self.paired = true;
                let left = self.budget.saturating_sub(self.tried.len());
                let mut pairs = self.search.pairs(&self.tried, left);
                pairs.reverse();
                self.queue = pairs;
                continue;
            };
            match self.search.apply(&[&edit]) {
                Ok(s) => {
                    let t = self.search.run(&s);
                    self.tried.push((edit, t));
                    return true;
                }
                Err(_) if !self.paired => self.skipped += 1,
                Err(_) => {}
            }
        }
    }

    /// Runs made so far.
    pub fn runs(&self) -> usize {
        self.tried.len()
    }

    /// About how many runs the whole search makes: the budget, or fewer when there are fewer
    /// edits to try (an estimate until the pairs are chosen).
    pub fn planned(&self) -> usize {
        let pairs_left = if self.paired { 0 } else { self.budget };
        (self.tried.len() + self.queue.len() + pairs_left).min(self.budget)
    }

    /// What was found so far (everything, once [`Stepper::step`] has returned false).
    pub fn summary(&self) -> Summary {
        self.search.summary(
            self.singles,
            self.skipped,
            self.tried.len(),
            self.tried.clone(),
        )
    }
}

/// Whether a finished run counts and meets every one of its goals (a scenario without goals
/// passes nothing).
fn passes(sim: &Simulation) -> bool {
    let goals = sim.goals();
    sim.conditions_changed().is_empty() && !goals.is_empty() && goals.iter().all(|g| g.passed)
}

/// How a run of an edit ended.
enum Ran {
    /// At the scenario's end.
    Finished,
    /// Early: a goal that can only get worse had already failed.
    Lost,
    /// At the event bound.
    Stopped,
}

/// Runs to the end in slices of a tenth of the run, stopping early once a goal is lost for
/// good: a count or a peak that may only grow (duplicates, lost jobs, the largest queue, the
/// cost's peak...) already above its "at most" target.
fn run_to_verdict(sim: &mut Simulation, bound: u64) -> Ran {
    use crate::scenario::{Comparison, GoalMetric as M};
    let end = sim.end();
    let slice = (end.as_secs() / 10.0).max(0.001);
    let mut left = bound;
    let mut at = 0.0;
    loop {
        at += slice;
        let deadline = crate::SimTime::from_secs(at).min(end);
        let before = sim.events_processed();
        if !sim.run_until_bounded(deadline, left) {
            return Ran::Stopped;
        }
        left = left.saturating_sub(sim.events_processed() - before);
        if deadline >= end {
            return Ran::Finished;
        }
        let lost = sim.goals().iter().any(|g| {
            let grows = matches!(
                g.metric,
                M::Duplicates
                    | M::StaleReads
                    | M::LostUpdates
                    | M::Oversold
                    | M::JobsLost
                    | M::DeadLettered
                    | M::Unfulfilled
                    | M::Misreads
                    | M::MaxQueueDepth
                    | M::CostPerHour
            );
            grows && g.compare == Comparison::AtMost && g.started && g.measured > g.target
        });
        if lost || !sim.conditions_changed().is_empty() {
            return Ran::Lost;
        }
    }
}

/// What an edit changes (a field, a wire, a component), so a pair never edits one thing twice.
fn subject(e: &Edit) -> String {
    match e.steps.first() {
        Some(Step::Set { id, field, .. }) => format!("{id}.{field}"),
        Some(
            Step::Async { from, to }
            | Step::Optional { from, to, .. }
            | Step::Ops { from, to, .. }
            | Step::DeleteWire { from, to },
        ) => format!("{from}->{to}"),
        Some(Step::DeleteComponent { id } | Step::Duplicate { id, .. }) => id.clone(),
        None => String::new(),
    }
}

fn parse(text: &str) -> Result<Value, ScenarioError> {
    serde_json::from_str(text).map_err(|e| {
        ScenarioError::unreadable("", format!("the scenario does not write itself: {e}"))
    })
}

/// The settings a learner could change in a spec (a tree at `prefix` inside `spec`): each
/// number scaled, each switch flipped, each other choice, each optional field switched on or
/// off. Each is (field path, new value, words on how).
fn settings_of(
    kind: &str,
    spec: &Value,
    node: &Value,
    prefix: &str,
    out: &mut Vec<(String, Value, String)>,
) {
    let Some(fields) = node.as_object() else {
        return;
    };
    for (name, value) in fields {
        if name == "kind" || name == "dist" {
            continue;
        }
        let path = if prefix.is_empty() {
            name.clone()
        } else {
            format!("{prefix}.{name}")
        };
        let info = crate::kinds::field(kind, name);
        let optional = info.is_some_and(|f| f.when_on.is_some());
        match value {
            Value::Number(n) => {
                let Some(x) = n.as_f64() else { continue };
                let whole = n.is_u64() || n.is_i64();
                let (lo, hi) = info.and_then(|f| f.range).unwrap_or((0.0, f64::MAX));
                let mut seen = vec![x];
                for k in FACTORS {
                    let mut y = (x * k).clamp(lo, hi);
                    if whole {
                        y = y.round();
                    }
                    if seen.contains(&y) {
                        continue;
                    }
                    seen.push(y);
                    let v = if whole { json!(y as u64) } else { json!(y) };
                    out.push((path.clone(), v, format!(" (×{k})")));
                }
                if x != 0.0 && lo <= 0.0 && !seen.contains(&0.0) && !whole {
                    out.push((path.clone(), json!(0.0), String::new()));
                }
            }
            Value::Bool(b) => out.push((path.clone(), json!(!b), String::new())),
            Value::String(s) => {
                for c in crate::kinds::choices(name) {
                    if c != s {
                        out.push((path.clone(), json!(c), String::new()));
                    }
                }
            }
            Value::Null => {
                if let Some(on) = crate::kinds::switched_on(kind, name, spec) {
                    out.push((path.clone(), on, " (switched on)".into()));
                }
            }
            Value::Object(_) => settings_of(kind, spec, value, &path, out),
            Value::Array(_) => {}
        }
        if optional && !value.is_null() {
            out.push((path, Value::Null, " (switched off)".into()));
        }
    }
}

fn step(tree: &mut Value, s: &Step) -> Result<(), String> {
    fn wires(tree: &mut Value) -> Result<&mut Vec<Value>, String> {
        tree["wires"]
            .as_array_mut()
            .ok_or_else(|| "the scenario has no wires".to_string())
    }
    match s {
        Step::Set { id, field, value } => {
            let parts = tree["components"]
                .as_array_mut()
                .ok_or("the scenario has no components")?;
            let c = parts
                .iter_mut()
                .find(|c| c["id"] == id.as_str())
                .ok_or_else(|| format!("no component {id}"))?;
            let mut node = &mut c["spec"];
            for key in field.split('.') {
                node = &mut node[key];
            }
            *node = value.clone();
        }
        Step::Async { from, to } => set_wire(tree, from, to, "mode", json!("async"))?,
        Step::Optional { from, to, optional } => {
            set_wire(tree, from, to, "optional", json!(optional))?;
        }
        Step::Ops { from, to, ops } => set_wire(tree, from, to, "ops", json!(ops))?,
        Step::DeleteWire { from, to } => {
            wires(tree)?.retain(|w| !(w["from"] == from.as_str() && w["to"] == to.as_str()));
        }
        Step::DeleteComponent { id } => {
            wires(tree)?.retain(|w| w["from"] != id.as_str() && w["to"] != id.as_str());
            if let Some(cs) = tree["components"].as_array_mut() {
                cs.retain(|c| c["id"] != id.as_str());
            }
        }
        Step::Duplicate { id, tuned } => {
            let cs = tree["components"]
                .as_array_mut()
                .ok_or("the scenario has no components")?;
            let original = cs
                .iter()
                .find(|c| c["id"] == id.as_str())
                .cloned()
                .ok_or_else(|| format!("no component {id}"))?;
            let copy_id = format!("{id}-copy");
            let mut copy = original.clone();
            copy["id"] = json!(copy_id);
            copy["name"] = json!(format!(
                "{} (copy)",
                original["name"].as_str().unwrap_or(id)
            ));
            if let Some(y) = original["y"].as_f64() {
                copy["y"] = json!(y + 120.0);
            }
            if *tuned {
                tune(&mut copy["spec"]);
            }
            cs.push(copy);
            let ws = wires(tree)?;
            let mut extra = Vec::new();
            for w in ws.iter_mut() {
                if w["to"] == id.as_str() {
                    w["to"] = json!(copy_id);
                } else if w["from"] == id.as_str() {
                    let mut c = w.clone();
                    c["from"] = json!(copy_id);
                    extra.push(c);
                }
            }
            ws.extend(extra);
        }
    }
    Ok(())
}

/// Sets one field of the wire `from` → `to` in a scenario's tree.
fn set_wire(tree: &mut Value, from: &str, to: &str, key: &str, value: Value) -> Result<(), String> {
    let wire = tree["wires"]
        .as_array_mut()
        .and_then(|ws| ws.iter_mut().find(|w| w["from"] == from && w["to"] == to))
        .ok_or_else(|| format!("no wire {from} → {to}"))?;
    wire[key] = value;
    Ok(())
}

/// A spec made as fast and reliable as its fields allow: every time a tenth, every failure,
/// error or lag gone.
fn tune(node: &mut Value) {
    let Some(fields) = node.as_object_mut() else {
        return;
    };
    for (name, v) in fields.iter_mut() {
        if v.is_object() {
            tune(v);
        } else if let Some(x) = v.as_f64() {
            if name.ends_with("ms") && name != "timeout_ms" {
                *v = json!(x * 0.1);
            } else if name.contains("failure") || name.contains("error") || name.contains("lag") {
                *v = json!(0.0);
            }
        }
    }
}

/// A value as compact JSON for an edit's key.
fn compact(v: &Value) -> String {
    match v {
        Value::Number(n) => n
            .as_f64()
            .map_or_else(|| n.to_string(), |x| format!("{}", (x * 1e6).round() / 1e6)),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// A value in the app's words.
fn words(v: &Value) -> String {
    match v {
        Value::Null => "off".into(),
        Value::Bool(true) => "on".into(),
        Value::Bool(false) => "off".into(),
        Value::String(s) => s.replace('_', " "),
        Value::Object(_) | Value::Array(_) => "on".into(),
        Value::Number(_) => compact(v),
    }
}

fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().chain(c).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lessons_alternatives_are_read_for_one_file_and_an_empty_reason_is_refused() {
        let lesson = r#"{"alternatives": [
            {"file": "start.json", "key": "set shop.concurrency lock", "why": "the other fix"},
            {"file": "harder.json", "key": "set shop.workers 20", "why": "serialised writers"}]}"#;
        let start = accepted_in(lesson, "start.json").expect("reads");
        assert_eq!(
            start,
            [Accepted {
                key: "set shop.concurrency lock".into(),
                why: "the other fix".into()
            }]
        );
        assert_eq!(accepted_in("{}", "start.json"), Ok(Vec::new()));
        let empty = r#"{"alternatives": [{"file": "start.json", "key": "k", "why": " "}]}"#;
        assert_eq!(
            accepted_in(empty, "start.json").map_err(|e| e.to_string()),
            Err("alternatives[0].why: is empty: say why it applies the idea".into())
        );
        let keyless = r#"{"alternatives": [{"file": "start.json", "why": "w"}]}"#;
        assert_eq!(
            accepted_in(keyless, "start.json").map_err(|e| e.to_string()),
            Err("alternatives[0].key: must be text".into())
        );
    }
}
