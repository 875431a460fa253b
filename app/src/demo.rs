//! The numbers behind the shell's first chart, computed by the engine in the browser: how the
//! latency of one server grows as it gets busier (an M/M/1 queue swept over its load).

use engine::{Scenario, Simulation};

/// One load level of the sweep.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SweepPoint {
    /// Offered load as a share of capacity, 0 to 1.
    pub utilisation: f64,
    /// Mean time in the system measured by the engine, in milliseconds.
    pub mean_ms: f64,
    /// 99th percentile measured by the engine, in milliseconds.
    pub p99_ms: f64,
    /// Queueing theory's mean, 1 / (μ − λ), in milliseconds.
    pub theory_mean_ms: f64,
}

/// Service time of the one server, in milliseconds (so capacity is 100 requests per second).
pub const SERVICE_MS: f64 = 10.0;

/// Simulates the server at each load in `utilisations` for `customers` arrivals with `seed`.
pub fn latency_sweep(utilisations: &[f64], customers: f64, seed: u64) -> Vec<SweepPoint> {
    let capacity_per_sec = 1_000.0 / SERVICE_MS;
    utilisations
        .iter()
        .filter_map(|&rho| {
            let rate = rho * capacity_per_sec;
            let text = format!(
                r#"{{"version": 1, "name": "one server at {load:.0}% load", "seed": {seed}, "duration_s": {duration},
                    "window_ms": 1000, "trace_every": 0, "access_log_every": 0,
                    "components": [
                      {{"id": "users", "name": "Users", "spec": {{"kind": "client", "rate_per_sec": {rate}}}}},
                      {{"id": "server", "name": "Server", "spec": {{"kind": "service", "workers": 1,
                        "service_time": {{"dist": "exponential", "mean_ms": {SERVICE_MS}}}}}}}
                    ],
                    "wires": [{{"from": "users", "to": "server"}}]}}"#,
                load = rho * 100.0,
                duration = customers / rate,
            );
            let scenario = Scenario::from_json(&text).ok()?;
            let mut sim = Simulation::new(&scenario).ok()?;
            sim.run();
            let server = &sim.metrics()[1];
            Some(SweepPoint {
                utilisation: rho,
                mean_ms: server.mean_latency_us() / 1_000.0,
                p99_ms: server.latency.quantile(0.99) as f64 / 1_000.0,
                theory_mean_ms: 1_000.0 / (capacity_per_sec - rate),
            })
        })
        .collect()
}

/// Arrivals simulated at each load: enough for the curve to settle, few enough to take well
/// under a second in the browser.
pub const CUSTOMERS: f64 = 50_000.0;

/// The loads the shell shows.
pub const LOADS: [f64; 9] = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latency_grows_with_load_and_follows_theory() {
        let points = latency_sweep(&LOADS, CUSTOMERS, 1);
        assert_eq!(points.len(), LOADS.len());
        for pair in points.windows(2) {
            assert!(pair[1].mean_ms > pair[0].mean_ms, "{pair:?}");
        }
        for p in &points {
            // Near saturation a finite run converges slowly, so the bound widens there.
            let bound = if p.utilisation < 0.85 { 0.10 } else { 0.20 };
            let err = (p.mean_ms - p.theory_mean_ms).abs() / p.theory_mean_ms;
            assert!(err < bound, "{p:?}");
            assert!(p.p99_ms > p.mean_ms);
        }
    }
}
