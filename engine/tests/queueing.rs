//! Accuracy against closed-form queueing theory, with fixed seeds.
#![allow(clippy::expect_used, clippy::unwrap_used)] // A test may stop at the first broken expectation.

// The crate is published as `backend-playground-engine`; the tests call it by its short name.
extern crate backend_playground_engine as engine;

mod common;

use common::queue_model;

use engine::Simulation;
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

/// Runs an M/x/c model for about `customers` arrivals and returns (mean wait, server metrics index).
fn run(
    lambda: f64,
    c: u32,
    service_time: serde_json::Value,
    customers: f64,
    seed: u64,
) -> Simulation {
    let duration_s = customers / lambda;
    let mut sim =
        Simulation::new(&queue_model(seed, lambda, c, service_time, duration_s)).expect("valid");
    sim.run();
    sim
}

fn rel_err(measured: f64, expected: f64) -> f64 {
    (measured - expected).abs() / expected
}

/// Erlang C: the probability that an arrival waits in an M/M/c queue.
fn erlang_c(c: u32, a: f64) -> f64 {
    let rho = a / f64::from(c);
    let mut term = 1.0;
    let mut sum = 1.0;
    for k in 1..c {
        term *= a / f64::from(k);
        sum += term;
    }
    let last = term * a / f64::from(c) / (1.0 - rho);
    last / (sum + last)
}

#[test]
fn mm1_at_half_load_mean_wait_within_2_percent() {
    // λ = 500/s, μ = 1000/s: Wq = ρ / (μ − λ) = 0.5 / 500 s = 1 ms.
    let sim = run(500.0, 1, common::exp(1.0), 1e6, 11);
    let wait_ms = sim.metrics()[1].mean_wait_us() / 1_000.0;
    assert!(
        rel_err(wait_ms, 1.0) < 0.02,
        "mean wait {wait_ms} ms, expected 1 ms"
    );
}

#[test]
fn md1_at_half_load_mean_wait_within_2_percent() {
    // Pollaczek–Khinchine for constant service: Wq = ρ / (2μ(1 − ρ)) = 0.5 ms.
    let sim = run(500.0, 1, common::constant(1.0), 1e6, 12);
    let wait_ms = sim.metrics()[1].mean_wait_us() / 1_000.0;
    assert!(
        rel_err(wait_ms, 0.5) < 0.02,
        "mean wait {wait_ms} ms, expected 0.5 ms"
    );
}

#[test]
fn mm1_at_080_load_mean_wait_within_5_percent() {
    // λ = 800/s, μ = 1000/s: Wq = 0.8 / 200 s = 4 ms.
    let sim = run(800.0, 1, common::exp(1.0), 1e6, 13);
    let wait_ms = sim.metrics()[1].mean_wait_us() / 1_000.0;
    assert!(
        rel_err(wait_ms, 4.0) < 0.05,
        "mean wait {wait_ms} ms, expected 4 ms"
    );
}

#[test]
fn mmc_erlang_c_at_080_load_within_6_percent() {
    // c = 4, μ = 1000/s per server, λ = 3200/s: ρ = 0.8.
    let (c, lambda, mu) = (4u32, 3200.0, 1000.0);
    let a = lambda / mu;
    let expected_ms = erlang_c(c, a) / (f64::from(c) * mu - lambda) * 1_000.0;
    let sim = run(lambda, c, common::exp(1.0), 1e6, 14);
    let wait_ms = sim.metrics()[1].mean_wait_us() / 1_000.0;
    assert!(
        rel_err(wait_ms, expected_ms) < 0.06,
        "mean wait {wait_ms} ms, expected {expected_ms} ms"
    );
}

#[test]
fn mm1_sojourn_p99_within_3_percent() {
    // The sojourn time of M/M/1 is exponential with rate μ − λ, so p99 = −ln(0.01) / (μ − λ).
    let sim = run(500.0, 1, common::exp(1.0), 1e6, 15);
    let expected_ms = -(0.01f64.ln()) / 500.0 * 1_000.0;
    let p99_ms = sim.metrics()[1].latency.quantile(0.99) as f64 / 1_000.0;
    assert!(
        rel_err(p99_ms, expected_ms) < 0.03,
        "p99 {p99_ms} ms, expected {expected_ms} ms"
    );
}

#[test]
fn littles_law_holds_on_every_service_of_a_chain() {
    let mut sim = Simulation::new(&common::service_chain(16, 2_000.0, 300.0)).expect("valid");
    sim.run();
    let now = sim.now();
    for (node, m) in sim.topology().nodes.iter().zip(sim.metrics()) {
        if m.totals.arrivals == 0 || node.spec.kind_name() == "client" {
            continue;
        }
        let lambda_per_us = m.totals.arrivals as f64 / now.as_us() as f64;
        let l = m.mean_in_system(now);
        let w = m.mean_latency_us();
        assert!(
            rel_err(l, lambda_per_us * w) < 0.01,
            "{}: L = {l}, λW = {}",
            node.id,
            lambda_per_us * w
        );
    }
}
