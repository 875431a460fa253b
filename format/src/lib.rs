//! The scenario file format of the system-design playground, apart from the simulation: what a
//! file holds and what it may hold. The simulation (`engine`) depends on this crate and never the
//! other way round, so a tool that only reads, checks or edits files (`playground validate`, an
//! editor) needs no simulation.
//!
//! ```
//! use backend_playground_format::{topology::Topology, Scenario};
//!
//! let text = r#"{"version": 1, "duration_s": 10,
//!   "components": [{"id": "users", "spec": {"kind": "client", "rate_per_sec": 50}},
//!                  {"id": "api", "spec": {"kind": "service", "workers": 0,
//!                    "service_time": {"dist": "exponential", "mean_ms": 20}}}],
//!   "wires": [{"from": "users", "to": "api"}]}"#;
//! let scenario = Scenario::from_json(text).expect("a readable file");
//! let problems = Topology::build(&scenario).expect_err("no workers").problems;
//! assert_eq!(problems[0].field, "spec.workers");
//! ```
//!
//! # Layout
//! - [`scenario`]: what a user or lesson writes, plain data, versioned; read by `reader`
//!   (private), which takes a spec's defaults from the registry.
//! - [`kinds`]: the registry of component kinds and their fields (types, defaults, units, help,
//!   ranges, choices): the schema of a spec.
//! - [`topology`]: the checks of a whole file, and the validated, index-based graph the
//!   simulation runs; the only step that can fail.
//! - [`conditions`]: the locked parts of the world a lesson holds fixed, and what changed them.
//! - [`command`]: changes made to a running simulation, as files and hosts write them.
//! - [`csv`]: the one way every CSV the playground writes is quoted.
//! - [`generate`]: the files written from the registry (`cargo xtask gen`): the JSON Schema,
//!   the docs' field tables, the npm package's spec types, the embed preview's kinds.

pub mod command;
pub mod conditions;
pub mod csv;
pub mod generate;
pub mod kinds;
mod reader;
pub mod scenario;
pub mod topology;

pub use command::Command;
pub use scenario::Scenario;
pub use topology::{Problem, ScenarioError};

/// The README's examples, compiled and run as doctests so they stay true.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
