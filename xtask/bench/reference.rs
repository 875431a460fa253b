//! Reference models shared by the benchmarks (native in `cli/src/bench.rs`, wasm under Node in
//! `engine/tests/bench_wasm.rs`, both of which include this file) and described parameter for
//! parameter to SimPy in `mmc_simpy.py` beside it, so every figure measures the same model. They
//! live with the benchmarks, not in the engine library, which reads no benchmark or test data.

use engine::Scenario;

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
/// with a replica, a queue with workers, a provider) at `rate` requests per second. The file is
/// the one the app's frame-rate benchmark opens, so both measure the same system.
pub fn ten_components(rate: f64, duration_s: f64) -> Scenario {
    let text = include_str!("ten-components.json");
    let mut scenario = Scenario::from_json(text)
        .unwrap_or_else(|e| unreachable!("the reference models are valid: {e}"));
    scenario.duration_s = duration_s;
    for c in &mut scenario.components {
        if let engine::scenario::ComponentSpec::Client(client) = &mut c.spec {
            client.rate_per_sec = rate;
        }
    }
    scenario
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use engine::Simulation;

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

/// A file at the documented limits: 500 components and 5,000 wires (10 clients, each through
/// its own balancer to all 200 services, each service calling 14 or 15 of 280 providers), in
/// 100 ms windows for `duration_s`: the memory a largest file demands.
pub fn at_the_limits(duration_s: f64) -> Scenario {
    let mut components = Vec::new();
    let mut wires = Vec::new();
    let wire = |from: String, to: String| format!(r#"{{"from": "{from}", "to": "{to}"}}"#);
    for i in 0..10 {
        components.push(format!(
            r#"{{"id": "c{i}", "spec": {{"kind": "client", "rate_per_sec": 20}}}}"#
        ));
        components.push(format!(
            r#"{{"id": "lb{i}", "spec": {{"kind": "load_balancer"}}}}"#
        ));
        wires.push(wire(format!("c{i}"), format!("lb{i}")));
        for s in 0..200 {
            wires.push(wire(format!("lb{i}"), format!("s{s}")));
        }
    }
    for s in 0..200 {
        components.push(format!(
            r#"{{"id": "s{s}", "spec": {{"kind": "service", "workers": 4, "service_time": {{"dist": "exponential", "mean_ms": 5}}}}}}"#
        ));
        let calls = if s < 190 { 15 } else { 14 };
        for k in 0..calls {
            wires.push(wire(
                format!("s{s}"),
                format!("p{}", (s * 7 + k * 19) % 280),
            ));
        }
    }
    for p in 0..280 {
        components.push(format!(
            r#"{{"id": "p{p}", "spec": {{"kind": "provider", "latency": {{"dist": "constant", "ms": 2}}}}}}"#
        ));
    }
    let text = format!(
        r#"{{"version": 1, "seed": 1, "duration_s": {duration_s}, "components": [{}], "wires": [{}]}}"#,
        components.join(","),
        wires.join(",")
    );
    Scenario::from_json(&text)
        .unwrap_or_else(|e| unreachable!("the reference models are valid: {e}"))
}
