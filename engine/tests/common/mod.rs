//! Scenario builders shared by the engine's integration tests. They write the canonical JSON
//! form, so the tests exercise the same parsing and defaults as files do.
#![allow(dead_code)] // Each test binary uses a different subset of the builders.

use engine::Scenario;
use serde_json::{json, Value};

/// A client population with Poisson arrivals and no timeout or retries.
pub fn client(id: &str, rate_per_sec: f64) -> Value {
    json!({ "id": id, "spec": { "kind": "client", "rate_per_sec": rate_per_sec } })
}

/// A service with `workers` servers and the given service-time distribution.
pub fn service(id: &str, workers: u32, service_time: Value) -> Value {
    json!({ "id": id, "spec": { "kind": "service", "workers": workers, "service_time": service_time } })
}

/// Exponential durations with this mean.
pub fn exp(mean_ms: f64) -> Value {
    json!({ "dist": "exponential", "mean_ms": mean_ms })
}

/// Constant durations.
pub fn constant(ms: f64) -> Value {
    json!({ "dist": "constant", "ms": ms })
}

/// A wire.
pub fn wire(from: &str, to: &str) -> Value {
    json!({ "from": from, "to": to })
}

/// A scenario from parts; panics on a builder mistake (a test bug, not an engine result).
pub fn scenario(seed: u64, duration_s: f64, components: Vec<Value>, wires: Vec<Value>) -> Scenario {
    let doc = json!({ "version": 1, "name": "test", "seed": seed, "duration_s": duration_s,
                      "components": components, "wires": wires });
    Scenario::from_json(&doc.to_string()).expect("the builders write valid scenarios")
}

/// An M/x/c queue: Poisson arrivals at `lambda` per second into `c` servers.
pub fn queue_model(
    seed: u64,
    lambda: f64,
    c: u32,
    service_time: Value,
    duration_s: f64,
) -> Scenario {
    scenario(
        seed,
        duration_s,
        vec![
            client("clients", lambda),
            service("server", c, service_time),
        ],
        vec![wire("clients", "server")],
    )
}

/// Two client populations and eight plain services in a chain with fan-out: every queue is a
/// service's, so Little's law can be checked per component. (The benchmarks' ten-component
/// model, with a cache, a database, a queue and a provider, is `xtask/bench/ten-components.json`.)
pub fn service_chain(seed: u64, rate_per_sec: f64, duration_s: f64) -> Scenario {
    scenario(
        seed,
        duration_s,
        vec![
            client("web", rate_per_sec * 0.7),
            client("mobile", rate_per_sec * 0.3),
            service("gateway", 64, exp(0.2)),
            service("orders", 32, exp(1.0)),
            service("payments", 16, exp(2.0)),
            service("inventory", 16, exp(1.0)),
            service("users", 16, exp(0.5)),
            service("profiles", 32, exp(0.8)),
            service("search", 64, exp(0.1)),
            service(
                "fraud",
                64,
                json!({ "dist": "lognormal", "median_ms": 5.0, "sigma": 0.5 }),
            ),
        ],
        vec![
            wire("web", "gateway"),
            wire("mobile", "gateway"),
            wire("gateway", "users"),
            wire("gateway", "orders"),
            wire("users", "search"),
            wire("orders", "inventory"),
            wire("orders", "payments"),
            wire("inventory", "profiles"),
            wire("payments", "fraud"),
        ],
    )
}

/// The lessons' folder names, in order: the one list, read from `lessons/` at build time.
pub fn lesson_slugs() -> impl Iterator<Item = &'static str> {
    lesson_catalog::LESSONS.iter().map(|l| l.slug)
}

/// A scenario file by its path from the repository root (`tests/data/checkout.json` or
/// `lessons/<slug>/start.json` / `solution.json`), embedded at compile time so the same test
/// runs in wasm, where there is no file system.
pub fn data(name: &str) -> Scenario {
    let lesson = name.strip_prefix("lessons/").and_then(|rest| {
        let (slug, file) = rest.split_once('/')?;
        let files = lesson_catalog::find(slug)?;
        match file {
            "start.json" => Some(files.start),
            "solution.json" => Some(files.solution),
            "harder.json" => files.harder.map(|h| h.0),
            "harder-solution.json" => files.harder.map(|h| h.1),
            _ => None,
        }
    });
    let text = match (lesson, name) {
        (Some(text), _) => text,
        (None, "tests/data/checkout.json") => include_str!("../../../tests/data/checkout.json"),
        (None, "tests/data/shortcut-planted.json") => {
            include_str!("../../../tests/data/shortcut-planted.json")
        }
        (None, other) => panic!("no embedded test scenario {other:?}: add it to common::data"),
    };
    Scenario::from_json(text).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// A lesson's starting scenario, by its folder name.
pub fn lesson_start(slug: &str) -> Scenario {
    data(&format!("lessons/{slug}/start.json"))
}
