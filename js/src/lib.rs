//! The engine for JavaScript and TypeScript: the bindings behind the npm package
//! `backend-playground` (built by `cargo xtask test` into `target/npm/`, described in
//! docs/headless.md).
//!
//! Everything crosses the boundary as JSON data, read by the scenario format's own reader on
//! the way in and written by the engine's serde writers on the way out, so a JS user sees the
//! same field names as a file and the CLI's `--format json`. Every failure is a thrown
//! `PlaygroundError` carrying its `problems`; a panic (a bug) is logged and the module is
//! re-instantiated before the next call, so one bad call cannot poison the ones after it.

use engine::topology::{Problem, ScenarioError, Subject};
use engine::{Command, Scenario, SimTime};
use serde::Serialize;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &str = include_str!("types.d.ts");

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = console, js_name = error)]
    fn console_error(message: &str);

    /// `load`'s options object, typed for TypeScript as the declarations' `LoadOptions`.
    #[wasm_bindgen(typescript_type = "LoadOptions")]
    pub type Options;
}

/// Installs the panic hook once, when the module is instantiated.
#[wasm_bindgen(start)]
fn start() {
    std::panic::set_hook(Box::new(|info| {
        let message = info.to_string();
        console_error(&format!("backend-playground: internal error: {message}"));
        // The package's entries put it in the error they throw (see js/package/guard.js).
        let key = js_sys::Symbol::for_("backend-playground.panic");
        let _ = js_sys::Reflect::set(&js_sys::global(), &key, &message.into());
        wasm_bindgen::handler::schedule_reinit();
    }));
}

/// Does nothing; calling it makes a reset scheduled by a panic happen now, so simulations made
/// before it are refused by name instead of reading a fresh instance's memory.
#[doc(hidden)]
#[wasm_bindgen(js_name = "__resetAfterPanic", skip_typescript)]
pub fn reset_after_panic() {}

/// Panics on purpose, so the tests can show that a panic leaves the module usable.
#[doc(hidden)]
#[wasm_bindgen(js_name = "__panicForTests", skip_typescript)]
pub fn panic_for_tests() {
    panic!("a panic asked for by a test");
}

/// Every problem in a scenario (JSON text or an object), as data: empty when it is valid.
#[wasm_bindgen(unchecked_return_type = "Problem[]")]
pub fn validate(
    #[wasm_bindgen(unchecked_param_type = "string | Scenario")] scenario: JsValue,
) -> Result<JsValue, JsValue> {
    let problems = match read_scenario(&scenario) {
        Ok(s) => match engine::Simulation::new(&s) {
            Ok(_) => Vec::new(),
            Err(e) => e.problems,
        },
        Err(e) => e.problems,
    };
    to_js(&problems)
}

/// A simulation of `scenario` (JSON text or an object), ready to run from time zero.
#[wasm_bindgen]
pub fn load(
    #[wasm_bindgen(unchecked_param_type = "string | Scenario")] scenario: JsValue,
    options: Option<Options>,
) -> Result<Simulation, JsValue> {
    let mut scenario = read_scenario(&scenario).map_err(thrown)?;
    if let Some(options) = options {
        let options: js_sys::Object = options.unchecked_into();
        let known = ["seed", "duration"];
        for key in js_sys::Object::keys(&options).iter() {
            let key = key.as_string().unwrap_or_default();
            if !known.contains(&key.as_str()) {
                return Err(error(&format!(
                    "options: unknown option `{key}`, expected `seed` or `duration`"
                )));
            }
        }
        let seed = js_sys::Reflect::get(&options, &"seed".into())?;
        if !seed.is_undefined() {
            scenario.seed = seed_of(&seed)?;
        }
        let duration = js_sys::Reflect::get(&options, &"duration".into())?;
        if !duration.is_undefined() {
            scenario.duration_s = duration
                .as_f64()
                .filter(|d| d.is_finite() && *d > 0.0)
                .ok_or_else(|| {
                    error("options.duration: expected a positive number of simulated seconds")
                })?;
        }
    }
    let inner = engine::Simulation::new(&scenario).map_err(thrown)?;
    Ok(Simulation { inner })
}

/// The shortcut search (docs/lessons.md): the edits a learner could make without touching a
/// lock, each run on `seeds`, one run per `step()` so a worker can report progress between
/// them. `solution` (optional) tells the lesson's own fix apart from shortcuts, and `accepted`
/// (optional) lists the alternatives a lesson declares, by key with the reason.
#[wasm_bindgen]
#[derive(Debug)]
pub struct ShortcutSearch {
    inner: engine::shortcuts::Stepper,
}

/// The most seeds and runs a search in the browser may be asked for.
const MAX_SEARCH_SEEDS: usize = 10;
const MAX_SEARCH_RUNS: u32 = 5_000;

#[wasm_bindgen]
impl ShortcutSearch {
    /// A search from `start`, not yet run.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "string | Scenario")] start: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string | Scenario | null | undefined")]
        solution: JsValue,
        seeds: Vec<f64>,
        budget: u32,
        #[wasm_bindgen(unchecked_param_type = "{ key: string; why: string }[] | undefined")]
        accepted: JsValue,
    ) -> Result<ShortcutSearch, JsValue> {
        let accepted = if accepted.is_undefined() || accepted.is_null() {
            Vec::new()
        } else {
            let text = json_text(&accepted, "accepted").map_err(|m| error(&m))?;
            let list: serde_json::Value =
                serde_json::from_str(&text).map_err(|e| error(&format!("accepted: {e}")))?;
            list.as_array()
                .ok_or_else(|| error("accepted: expected a list of { key, why }"))?
                .iter()
                .map(|a| match (a["key"].as_str(), a["why"].as_str()) {
                    (Some(key), Some(why)) => Ok(engine::shortcuts::Accepted {
                        key: key.into(),
                        why: why.into(),
                    }),
                    _ => Err(error("accepted: each entry needs a key and a why, as text")),
                })
                .collect::<Result<Vec<_>, JsValue>>()?
        };
        let start = read_scenario(&start).map_err(thrown)?;
        let solution = if solution.is_null() || solution.is_undefined() {
            None
        } else {
            Some(read_scenario(&solution).map_err(thrown)?)
        };
        if seeds.is_empty() || seeds.len() > MAX_SEARCH_SEEDS {
            return Err(error(&format!(
                "seeds: expected 1 to {MAX_SEARCH_SEEDS} seeds, got {}",
                seeds.len()
            )));
        }
        let seeds = seeds
            .iter()
            .map(|&s| seed_of(&JsValue::from_f64(s)))
            .collect::<Result<Vec<u64>, JsValue>>()?;
        if budget == 0 || budget > MAX_SEARCH_RUNS {
            return Err(error(&format!(
                "budget: expected 1 to {MAX_SEARCH_RUNS} runs, got {budget}"
            )));
        }
        let search = engine::shortcuts::Search::new(&start, solution.as_ref(), accepted, seeds)
            .map_err(thrown)?;
        Ok(ShortcutSearch {
            inner: engine::shortcuts::Stepper::new(search, budget as usize),
        })
    }

    /// Runs the next edit; false once the search is over.
    pub fn step(&mut self) -> bool {
        self.inner.step()
    }

    /// Runs made so far.
    pub fn runs(&self) -> u32 {
        self.inner.runs() as u32
    }

    /// About how many runs the whole search makes.
    pub fn planned(&self) -> u32 {
        self.inner.planned() as u32
    }

    /// What passed so far, each edit in the app's words with its verdict.
    #[wasm_bindgen(unchecked_return_type = "ShortcutSummary")]
    pub fn summary(&self) -> Result<JsValue, JsValue> {
        to_js(&self.inner.summary())
    }
}

/// A running simulation. Call `free()` when done with it, or let the garbage collector do so.
#[wasm_bindgen]
#[derive(Debug)]
pub struct Simulation {
    inner: engine::Simulation,
}

#[wasm_bindgen]
impl Simulation {
    /// Runs until `seconds` of simulated time (at most the run's end); returns the time reached.
    #[wasm_bindgen(js_name = runUntil)]
    pub fn run_until(&mut self, seconds: f64) -> Result<f64, JsValue> {
        if !(seconds.is_finite() && seconds >= 0.0) {
            return Err(error(&format!(
                "runUntil: expected a number of simulated seconds, at least 0, got {seconds}"
            )));
        }
        let deadline = SimTime::from_secs(seconds).min(self.inner.end());
        self.inner.run_until(deadline);
        Ok(self.inner.now().as_secs())
    }

    /// Runs to the end of the scenario; returns the time reached.
    pub fn run(&mut self) -> f64 {
        self.inner.run();
        self.inner.now().as_secs()
    }

    /// Processes the next event (at most the run's end); false when the run is over.
    pub fn step(&mut self) -> bool {
        let before = self.inner.events_processed();
        self.inner.run_until_bounded(self.inner.end(), 1);
        self.inner.events_processed() > before
    }

    /// When the next event happens, in simulated seconds; `undefined` when the run has nothing left
    /// to do before its end.
    pub fn peek(&self) -> Option<f64> {
        self.inner
            .next_event_at()
            .filter(|t| *t <= self.inner.end())
            .map(|t| t.as_secs())
    }

    /// Simulated seconds since the start.
    pub fn now(&self) -> f64 {
        self.inner.now().as_secs()
    }

    /// Simulated seconds at which the run ends.
    pub fn end(&self) -> f64 {
        self.inner.end().as_secs()
    }

    /// Events processed so far.
    #[wasm_bindgen(js_name = eventsProcessed)]
    pub fn events_processed(&self) -> f64 {
        self.inner.events_processed() as f64
    }

    /// Applies a change to the running system (flip a switch, change a field, inject or end a
    /// fault, rename). A refused command throws and leaves the simulation as it was.
    pub fn apply(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "Command | string")] command: JsValue,
    ) -> Result<(), JsValue> {
        let command = json_text(&command, "command")
            .map_err(|m| problem("command", m))
            .and_then(|text| Command::from_json(&text))
            .map_err(thrown)?;
        self.inner.apply(command).map_err(thrown)
    }

    /// Every goal of the scenario with its measured value and verdict so far.
    #[wasm_bindgen(unchecked_return_type = "GoalStatus[]")]
    pub fn goals(&self) -> Result<JsValue, JsValue> {
        to_js(&self.inner.goals())
    }

    /// What happened so far, in words: the moments that matter (each with its time, component,
    /// value and threshold) and the causal chain linking them (`playground run --report`).
    /// Faults injected with `apply` are not among the moments yet; scheduled ones are.
    #[wasm_bindgen(unchecked_return_type = "Report")]
    pub fn report(&self) -> Result<JsValue, JsValue> {
        to_js(&engine::report::report(&self.inner))
    }

    /// The request ledger: every request entered is answered, failed, refused, timed out or
    /// still in flight.
    #[wasm_bindgen(unchecked_return_type = "Ledger")]
    pub fn ledger(&self) -> Result<JsValue, JsValue> {
        to_js(&self.inner.ledger())
    }

    /// The job ledger of the run's queues.
    #[wasm_bindgen(unchecked_return_type = "JobLedger")]
    pub fn jobs(&self) -> Result<JsValue, JsValue> {
        to_js(&self.inner.job_ledger())
    }

    /// One component's whole-run totals, latency percentiles and closed windows.
    #[wasm_bindgen(unchecked_return_type = "Metrics")]
    pub fn metrics(&self, id: &str) -> Result<JsValue, JsValue> {
        let Some(i) = self.inner.topology().index_of(id) else {
            return Err(thrown(problem(
                "id",
                format!("no component has the id \"{id}\""),
            )));
        };
        let m = &self.inner.metrics()[i];
        let ms = |us: u64| us as f64 / 1000.0;
        to_js(&serde_json::json!({
            "id": id,
            "totals": m.totals,
            "latency": {
                "count": m.latency.count(),
                "mean_ms": m.latency.mean() / 1000.0,
                "p50_ms": ms(m.latency.quantile(0.50)),
                "p95_ms": ms(m.latency.quantile(0.95)),
                "p99_ms": ms(m.latency.quantile(0.99)),
                "max_ms": ms(m.latency.max()),
            },
            "windows": m.history,
        }))
    }

    /// The log lines kept so far, oldest first, each naming its component by id.
    #[wasm_bindgen(unchecked_return_type = "LogLine[]")]
    pub fn logs(&self) -> Result<JsValue, JsValue> {
        let nodes = &self.inner.topology().nodes;
        let lines: Vec<serde_json::Value> = self
            .inner
            .logs()
            .map(|l| {
                serde_json::json!({
                    "at_ms": l.at_ms,
                    "level": l.level,
                    "component": nodes.get(l.component).map_or("", |n| n.id.as_str()),
                    "message": l.message,
                })
            })
            .collect();
        to_js(&lines)
    }

    /// The sampled traces kept so far, oldest first.
    #[wasm_bindgen(unchecked_return_type = "Trace[]")]
    pub fn traces(&self) -> Result<JsValue, JsValue> {
        let traces: Vec<&engine::observe::Trace> = self.inner.traces().collect();
        to_js(&traces)
    }

    /// Plain data for drawing: every component's state now, partitions and ledgers.
    #[wasm_bindgen(unchecked_return_type = "Snapshot")]
    pub fn snapshot(&self) -> Result<JsValue, JsValue> {
        to_js(&self.inner.snapshot())
    }

    /// The locked conditions this run has broken (empty: its goals count).
    #[wasm_bindgen(js_name = conditionsChanged, unchecked_return_type = "Change[]")]
    pub fn conditions_changed(&self) -> Result<JsValue, JsValue> {
        let changes: Vec<serde_json::Value> = self
            .inner
            .conditions_changed()
            .iter()
            .map(|c| {
                serde_json::json!({
                    "path": c.path, "expected": c.expected, "found": c.found,
                    "why": c.why, "message": c.message(),
                })
            })
            .collect();
        to_js(&changes)
    }

    /// A fingerprint of every number of the run so far, as 16 hex digits: equal digests mean
    /// equal numbers to the last bit (`playground run --format json` prints the same).
    pub fn digest(&self) -> String {
        format!("{:016x}", engine::digest::digest(&self.inner))
    }
}

/// A scenario from JSON text or an object, through the format's one reader.
fn read_scenario(value: &JsValue) -> Result<Scenario, ScenarioError> {
    let text = json_text(value, "scenario").map_err(|m| problem("", m))?;
    Scenario::from_json(&text)
}

/// `value` as JSON text: a string as it is, anything else through `JSON.stringify`.
fn json_text(value: &JsValue, what: &str) -> Result<String, String> {
    if let Some(text) = value.as_string() {
        return Ok(text);
    }
    if !value.is_object() {
        return Err(format!("expected the {what} as JSON text or an object"));
    }
    js_sys::JSON::stringify(value)
        .ok()
        .and_then(|s| s.as_string())
        .ok_or_else(|| format!("the {what} cannot be written as JSON"))
}

/// A seed from a JS number (a safe integer) or bigint.
fn seed_of(value: &JsValue) -> Result<u64, JsValue> {
    let bad = || error("options.seed: expected a whole number from 0 to 2^64 - 1");
    if value.is_bigint() {
        let text = js_sys::BigInt::from(value.clone())
            .to_string(10)
            .map_err(|_| bad())?;
        return String::from(text).parse().map_err(|_| bad());
    }
    match value.as_f64() {
        Some(n) if n.fract() == 0.0 && (0.0..=9_007_199_254_740_991.0).contains(&n) => Ok(n as u64),
        _ => Err(bad()),
    }
}

/// One problem about the scenario or command as a whole.
fn problem(field: &str, message: String) -> ScenarioError {
    ScenarioError {
        problems: vec![Problem {
            subject: Subject::Scenario,
            field: field.into(),
            message,
        }],
    }
}

/// A `PlaygroundError` carrying the problems.
fn thrown(e: ScenarioError) -> JsValue {
    let err = js_sys::Error::new(&e.to_string());
    err.set_name("PlaygroundError");
    if let Ok(problems) = to_js(&e.problems) {
        let _ = js_sys::Reflect::set(&err, &"problems".into(), &problems);
    }
    err.into()
}

/// A `PlaygroundError` with one problem.
fn error(message: &str) -> JsValue {
    thrown(problem("", message.to_string()))
}

/// Data as plain JS values, through the engine's JSON writer.
fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, JsValue> {
    let text = serde_json::to_string(value).map_err(|e| error(&e.to_string()))?;
    js_sys::JSON::parse(&text)
}
