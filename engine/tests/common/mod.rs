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
    serde_json::from_value(doc).expect("the builders write valid scenarios")
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

/// A ten-component topology the size of a lesson: two client populations, a gateway, services
/// in a chain with fan-out, a database and a provider.
pub fn ten_components(seed: u64, rate_per_sec: f64, duration_s: f64) -> Scenario {
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

/// A scenario file from `tests/data/`, embedded at compile time so the same test runs in wasm,
/// where there is no file system.
pub fn data(name: &str) -> Scenario {
    let text = match name {
        "checkout.json" => include_str!("../../../tests/data/checkout.json"),
        "mechanisms/1-paid-twice.json" => {
            include_str!("../../../tests/data/mechanisms/1-paid-twice.json")
        }
        "mechanisms/2-launch-spike.json" => {
            include_str!("../../../tests/data/mechanisms/2-launch-spike.json")
        }
        "mechanisms/3-one-cashier.json" => {
            include_str!("../../../tests/data/mechanisms/3-one-cashier.json")
        }
        "mechanisms/4-nobody-got-the-email.json" => {
            include_str!("../../../tests/data/mechanisms/4-nobody-got-the-email.json")
        }
        "mechanisms/5-two-answers.json" => {
            include_str!("../../../tests/data/mechanisms/5-two-answers.json")
        }
        "mechanisms/6-the-logs-said-fine.json" => {
            include_str!("../../../tests/data/mechanisms/6-the-logs-said-fine.json")
        }
        "mechanisms/7-pull-one-wire.json" => {
            include_str!("../../../tests/data/mechanisms/7-pull-one-wire.json")
        }
        "mechanisms/8-worked-on-my-machine.json" => {
            include_str!("../../../tests/data/mechanisms/8-worked-on-my-machine.json")
        }
        other => panic!("no embedded test scenario {other:?}: add it to common::data"),
    };
    Scenario::from_json(text).unwrap_or_else(|e| panic!("{name}: {e}"))
}
