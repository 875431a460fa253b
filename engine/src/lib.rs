//! The discrete-event simulation engine of the system-design playground.
//!
//! # Layout
//! - [`scenario`]: what a user or lesson writes, plain serde data, versioned.
//! - [`topology`]: the validated, index-based graph; the only step that can fail.
//! - [`simulation`]: the run itself: `new`, `step`, `run_until`, `run_until_bounded`, `snapshot`.
//! - [`agenda`], [`time`], [`rng`], [`slab`]: the event queue, integer time, portable random
//!   streams and generational storage the run is built from.
//! - `components` (private): one file per component kind, the behaviour behind the switches.
//! - [`metrics`], [`histogram`]: windows of simulated time in ring buffers, latency percentiles.
//! - [`conditions`]: the locked parts of the world a lesson holds fixed, and what changed them.
//! - [`goal`]: lesson goals checked against the metrics; [`observe`]: logs and sampled traces.
//! - [`shortcuts`]: the search for edits that pass a lesson's goals without its idea.
//! - [`digest`]: a fingerprint of a run's numbers, for determinism checks across platforms.
//!
//! The engine knows nothing of browsers, wall clocks, threads or the operating system's
//! randomness: the same scenario and seed give the same bits natively and in WebAssembly.
//!
//! ```
//! use backend_playground_engine::{Scenario, Simulation};
//!
//! let text = r#"{"version": 1, "duration_s": 10, "seed": 7,
//!   "components": [{"id": "users", "spec": {"kind": "client", "rate_per_sec": 50}},
//!                  {"id": "api", "spec": {"kind": "service", "workers": 4,
//!                    "service_time": {"dist": "exponential", "mean_ms": 20}}}],
//!   "wires": [{"from": "users", "to": "api"}]}"#;
//! let scenario = Scenario::from_json(text).expect("a readable file");
//! let mut sim = Simulation::new(&scenario).expect("a valid design");
//! sim.run();
//! let ledger = sim.ledger();
//! assert!(ledger.balances() && ledger.succeeded > 400);
//! ```

pub mod agenda;
mod components;
pub mod digest;
mod faults;
pub mod goal;
pub mod histogram;
pub mod metrics;
pub mod observe;
pub mod report;
pub mod rng;
pub mod shortcuts;
pub mod simulation;
pub mod slab;
pub mod time;

// The file format is its own crate (`playground-format`); its modules are re-exported here so a
// user of the engine reads and writes files through one dependency.
pub use playground_format::{conditions, csv, kinds, scenario, topology};
pub use playground_format::{Command, Scenario};
pub use simulation::{JobLedger, Ledger, Simulation, Snapshot, Status};
pub use time::SimTime;
pub use topology::{Problem, ScenarioError};

/// The README's examples, compiled and run as doctests so they stay true.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
