//! Reference models shared by the benchmarks (native, wasm under Node) and described parameter
//! for parameter to SimPy in `xtask/bench/mmc_simpy.py`, so every figure measures the same model.

use crate::Scenario;

/// M/M/c with Poisson arrivals at `lambda` per second, `c` servers of mean `mean_ms`.
pub fn mmc(c: u32, lambda: f64, mean_ms: f64, duration_s: f64) -> Scenario {
    let text = format!(
        r#"{{"version": 1, "seed": 1, "duration_s": {duration_s}, "window_ms": 1000, "trace_every": 0, "access_log_every": 0,
            "components": [
              {{"id": "arrivals", "spec": {{"kind": "client", "rate_per_sec": {lambda}}}}},
              {{"id": "servers", "spec": {{"kind": "service", "workers": {c}, "service_time": {{"dist": "exponential", "mean_ms": {mean_ms}}}}}}}
            ],
            "wires": [{{"from": "arrivals", "to": "servers"}}]}}"#
    );
    Scenario::from_json(&text)
        .unwrap_or_else(|e| unreachable!("the reference models are valid: {e}"))
}

/// A lesson-sized topology: ten components (clients, a balancer, services, a cache, a database
/// with a replica, a queue with workers, a provider) at `rate` requests per second.
pub fn ten_components(rate: f64, duration_s: f64) -> Scenario {
    let text = format!(
        r#"{{"version": 1, "seed": 1, "duration_s": {duration_s},
            "components": [
              {{"id": "users", "spec": {{"kind": "client", "rate_per_sec": {rate}, "timeout_ms": 2000, "keys": 5000, "key_skew": 0.9,
                 "mix": [{{"op": "read", "weight": 80}}, {{"op": "write", "weight": 15}}, {{"op": "job", "weight": 5}}],
                 "retry": {{"max_attempts": 2, "backoff_ms": 50, "jitter": "full"}}}}}},
              {{"id": "lb", "spec": {{"kind": "load_balancer", "policy": "least_connections"}}}},
              {{"id": "api1", "spec": {{"kind": "service", "workers": 64, "service_time": {{"dist": "exponential", "mean_ms": 2}}}}}},
              {{"id": "api2", "spec": {{"kind": "service", "workers": 64, "service_time": {{"dist": "exponential", "mean_ms": 2}}}}}},
              {{"id": "cache", "spec": {{"kind": "cache", "capacity": 1000, "ttl_ms": 10000}}}},
              {{"id": "db", "spec": {{"kind": "database", "pool_size": 32, "read_time": {{"dist": "exponential", "mean_ms": 3}},
                 "write_time": {{"dist": "exponential", "mean_ms": 5}}}}}},
              {{"id": "replica", "spec": {{"kind": "replica", "pool_size": 32, "read_time": {{"dist": "exponential", "mean_ms": 3}},
                 "lag": {{"dist": "lognormal", "median_ms": 100, "sigma": 0.5}}}}}},
              {{"id": "jobs", "spec": {{"kind": "queue", "max_deliveries": 3}}}},
              {{"id": "workers", "spec": {{"kind": "workers", "concurrency": 16, "job_time": {{"dist": "exponential", "mean_ms": 10}},
                 "failure_probability": 0.02}}}},
              {{"id": "email", "spec": {{"kind": "provider", "latency": {{"dist": "lognormal", "median_ms": 30, "sigma": 0.6}}}}}}
            ],
            "wires": [
              {{"from": "users", "to": "lb"}}, {{"from": "lb", "to": "api1"}}, {{"from": "lb", "to": "api2"}},
              {{"from": "api1", "to": "cache"}}, {{"from": "api2", "to": "cache"}}, {{"from": "cache", "to": "replica"}},
              {{"from": "api1", "to": "db"}}, {{"from": "api2", "to": "db"}}, {{"from": "db", "to": "replica"}},
              {{"from": "api1", "to": "jobs"}}, {{"from": "api2", "to": "jobs"}},
              {{"from": "jobs", "to": "workers"}}, {{"from": "workers", "to": "email"}}
            ]}}"#
    );
    Scenario::from_json(&text)
        .unwrap_or_else(|e| unreachable!("the reference models are valid: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Simulation;

    #[test]
    fn reference_models_are_valid_and_run() {
        for s in [mmc(4, 3_200.0, 1.0, 1.0), ten_components(1_000.0, 1.0)] {
            let mut sim = Simulation::new(&s).expect("valid");
            sim.run();
            assert!(sim.events_processed() > 1_000);
            assert!(sim.ledger().balances() && sim.job_ledger().balances());
        }
    }
}
