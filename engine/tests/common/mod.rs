//! Scenario builders shared by the engine's integration tests.
#![allow(dead_code)] // Each test binary uses a different subset of the builders.

use engine::scenario::{
    Arrival, ClientSpec, Component, ComponentSpec, Dist, Scenario, ServiceSpec, Wire,
};

/// A client population.
pub fn client(id: &str, rate_per_sec: f64) -> Component {
    Component {
        id: id.into(),
        name: String::new(),
        x: 0.0,
        y: 0.0,
        spec: ComponentSpec::Client(ClientSpec {
            rate_per_sec,
            arrival: Arrival::Poisson,
            timeout_ms: None,
            max_attempts: 1,
            backoff_ms: 0.0,
        }),
    }
}

/// A service with `workers` servers and the given service-time distribution.
pub fn service(id: &str, workers: u32, service_time: Dist) -> Component {
    Component {
        id: id.into(),
        name: String::new(),
        x: 0.0,
        y: 0.0,
        spec: ComponentSpec::Service(ServiceSpec {
            workers,
            queue_capacity: None,
            service_time,
            error_probability: 0.0,
            call_timeout_ms: None,
        }),
    }
}

/// A wire.
pub fn wire(from: &str, to: &str) -> Wire {
    Wire {
        from: from.into(),
        to: to.into(),
    }
}

/// A scenario from parts.
pub fn scenario(
    seed: u64,
    duration_s: f64,
    components: Vec<Component>,
    wires: Vec<Wire>,
) -> Scenario {
    Scenario {
        version: 1,
        name: "test".into(),
        seed,
        duration_s,
        window_ms: 100.0,
        components,
        wires,
    }
}

/// An M/x/c queue: Poisson arrivals at `lambda` per second into `c` servers.
pub fn queue_model(
    seed: u64,
    lambda: f64,
    c: u32,
    service_time: Dist,
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

/// A ten-component topology the size of a lesson: two client populations, a gateway, three
/// services in a chain with fan-out, and backing stores.
pub fn ten_components(seed: u64, rate_per_sec: f64, duration_s: f64) -> Scenario {
    let exp = |mean_ms| Dist::Exponential { mean_ms };
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
            service("db", 32, exp(0.8)),
            service("cache", 64, exp(0.1)),
            service(
                "provider",
                64,
                Dist::Lognormal {
                    median_ms: 5.0,
                    sigma: 0.5,
                },
            ),
        ],
        vec![
            wire("web", "gateway"),
            wire("mobile", "gateway"),
            wire("gateway", "users"),
            wire("gateway", "orders"),
            wire("users", "cache"),
            wire("orders", "inventory"),
            wire("orders", "payments"),
            wire("inventory", "db"),
            wire("payments", "provider"),
        ],
    )
}
