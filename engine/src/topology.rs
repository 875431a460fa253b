//! The validated, index-based graph built from a [`Scenario`]: the only fallible step.
//!
//! Validation collects every problem before it answers, each naming the component or wire and
//! the field concerned, so that an editor can mark them all at once. After `build` succeeds the
//! simulation never sees an id string again, only indices into `Vec`s.

use crate::scenario::{ClientSpec, ComponentSpec, Dist, Scenario, ServiceSpec, SCENARIO_VERSION};
use serde::{Deserialize, Serialize};
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

/// What a problem is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "on", rename_all = "snake_case")]
pub enum Subject {
    /// The scenario as a whole.
    Scenario,
    /// The component with this id (or this position, when the id itself is the problem).
    Component {
        /// The component's id as written.
        id: String,
        /// Its position in the `components` list.
        index: usize,
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
            Subject::Scenario => write!(f, "scenario, {}: {}", self.field, self.message),
            Subject::Component { id, index } => {
                write!(
                    f,
                    "component {index} ({id:?}), {}: {}",
                    self.field, self.message
                )
            }
            Subject::Wire { index, from, to } => {
                write!(
                    f,
                    "wire {index} ({from:?} -> {to:?}), {}: {}",
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

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
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

/// A component after validation.
#[derive(Debug, Clone)]
pub struct Node {
    /// The id as written.
    pub id: String,
    /// Display name (the id when none was given).
    pub name: String,
    /// Kind and parameters, checked.
    pub spec: ComponentSpec,
    /// Receivers of this component's outgoing wires, in file order.
    pub downstream: Vec<usize>,
}

/// The checked graph.
#[derive(Debug, Clone)]
pub struct Topology {
    /// Components, indexed as in the scenario.
    pub nodes: Vec<Node>,
}

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

    fn dist(&mut self, subject: &Subject, field: &str, dist: &Dist) {
        match *dist {
            Dist::Constant { ms } => self.range(subject, &format!("{field}.ms"), ms, 0.0, MAX_MS),
            Dist::Exponential { mean_ms } => {
                self.range(subject, &format!("{field}.mean_ms"), mean_ms, 0.0, MAX_MS)
            }
            Dist::Lognormal { median_ms, sigma } => {
                self.range(
                    subject,
                    &format!("{field}.median_ms"),
                    median_ms,
                    0.0,
                    MAX_MS,
                );
                self.range(subject, &format!("{field}.sigma"), sigma, 0.0, 4.0);
            }
        }
    }

    fn timeout(&mut self, subject: &Subject, field: &str, value: Option<f64>) {
        if let Some(ms) = value {
            self.range(subject, field, ms, 0.001, MAX_MS);
        }
    }

    fn client(&mut self, s: &Subject, c: &ClientSpec) {
        self.range(
            s,
            "spec.rate_per_sec",
            c.rate_per_sec,
            0.0,
            MAX_RATE_PER_SEC,
        );
        self.timeout(s, "spec.timeout_ms", c.timeout_ms);
        if !(1..=20).contains(&c.max_attempts) {
            self.push(
                s.clone(),
                "spec.max_attempts",
                format!("must be between 1 and 20, not {}", c.max_attempts),
            );
        }
        self.range(s, "spec.backoff_ms", c.backoff_ms, 0.0, MAX_MS);
    }

    fn service(&mut self, s: &Subject, v: &ServiceSpec) {
        if !(1..=10_000).contains(&v.workers) {
            self.push(
                s.clone(),
                "spec.workers",
                format!("must be between 1 and 10000, not {}", v.workers),
            );
        }
        if let Some(cap) = v.queue_capacity {
            if cap > 10_000_000 {
                self.push(
                    s.clone(),
                    "spec.queue_capacity",
                    format!("must be at most 10000000, not {cap}"),
                );
            }
        }
        self.dist(s, "spec.service_time", &v.service_time);
        self.range(s, "spec.error_probability", v.error_probability, 0.0, 1.0);
        self.timeout(s, "spec.call_timeout_ms", v.call_timeout_ms);
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
        if scenario.components.len() > MAX_COMPONENTS {
            ck.push(
                whole.clone(),
                "components",
                format!(
                    "at most {MAX_COMPONENTS} components, not {}",
                    scenario.components.len()
                ),
            );
        }
        if scenario.wires.len() > MAX_WIRES {
            ck.push(
                whole.clone(),
                "wires",
                format!("at most {MAX_WIRES} wires, not {}", scenario.wires.len()),
            );
        }
        if !ck.problems.is_empty()
            && (scenario.components.len() > MAX_COMPONENTS || scenario.wires.len() > MAX_WIRES)
        {
            // Too large to look into further without doing unbounded work for a bad file.
            return Err(ScenarioError {
                problems: ck.problems,
            });
        }

        let mut index_of: HashMap<&str, usize> = HashMap::new();
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
                    format!("{:?} is used by another component", c.id),
                );
            }
            if c.name.chars().count() > 80 {
                ck.push(s.clone(), "name", "must be at most 80 characters");
            }
            ck.range(&s, "x", c.x, -1e6, 1e6);
            ck.range(&s, "y", c.y, -1e6, 1e6);
            match &c.spec {
                ComponentSpec::Client(spec) => ck.client(&s, spec),
                ComponentSpec::Service(spec) => ck.service(&s, spec),
            }
        }

        let mut downstream: Vec<Vec<usize>> = vec![Vec::new(); scenario.components.len()];
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
                    format!("no component has the id {:?}", w.from),
                );
            }
            if to.is_none() {
                ck.push(
                    s.clone(),
                    "to",
                    format!("no component has the id {:?}", w.to),
                );
            }
            let (Some(from), Some(to)) = (from, to) else {
                continue;
            };
            if from == to {
                ck.push(s, "to", "a component cannot send requests to itself");
                continue;
            }
            if let ComponentSpec::Client(_) = scenario.components[to].spec {
                ck.push(
                    s,
                    "to",
                    "a client only sends requests; it cannot receive them",
                );
                continue;
            }
            if downstream[from].contains(&to) {
                ck.push(
                    s,
                    "to",
                    "the same two components are already wired this way",
                );
                continue;
            }
            downstream[from].push(to);
        }

        for (i, c) in scenario.components.iter().enumerate() {
            if let ComponentSpec::Client(_) = c.spec {
                if downstream[i].len() != 1 {
                    ck.push(
                        Subject::Component {
                            id: c.id.clone(),
                            index: i,
                        },
                        "wires",
                        format!(
                            "a client needs exactly one outgoing wire, it has {}",
                            downstream[i].len()
                        ),
                    );
                }
            }
        }
        if let Some(cycle) = find_cycle(&downstream) {
            let names: Vec<&str> = cycle
                .iter()
                .map(|&i| scenario.components[i].id.as_str())
                .collect();
            let first = cycle[0];
            ck.push(
                Subject::Component {
                    id: scenario.components[first].id.clone(),
                    index: first,
                },
                "wires",
                format!(
                    "synchronous calls form a loop ({}): a request would wait on itself",
                    names.join(" -> ")
                ),
            );
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
        Ok(Topology { nodes })
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
