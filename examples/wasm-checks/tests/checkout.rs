//! Checks on the checkout scenario, written once and run three ways: natively (`cargo test`),
//! in Node (`--target wasm32-unknown-unknown` with `wasm-bindgen-test-runner`) and in headless
//! Chromium (the same, with `WASM_BINDGEN_USE_BROWSER=1`).
#![allow(clippy::expect_used)] // A test may stop at the first broken expectation.

use engine::{Scenario, Simulation};
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

/// The scenario on one seed, run to its end.
fn run(seed: u64) -> Simulation {
    let mut scenario = Scenario::from_json(wasm_checks::CHECKOUT).expect("checkout.json reads");
    scenario.seed = seed;
    let mut sim = Simulation::new(&scenario).expect("checkout.json is valid");
    sim.run();
    sim
}

#[test]
fn nobody_is_charged_twice_under_a_ten_times_spike() {
    for seed in 1..=3 {
        let sim = run(seed);
        // On failure this prints, e.g.:
        //   seed 2: 1 of 1 goals failed at 60.0 s simulated
        //     FAIL Nobody is charged twice: duplicates at psp measured 14, the goal is at most 0
        if let Err(report) = sim.check_goals() {
            panic!("seed {seed}: {report}");
        }
    }
}

#[test]
fn the_spike_is_felt_and_every_request_is_accounted_for() {
    let sim = run(1);
    let api = sim.totals("api").expect("the scenario has an api");
    let psp = sim.totals("psp").expect("the scenario has a psp");
    assert!(
        api.arrivals > 10_000,
        "the spike arrived: {} requests",
        api.arrivals
    );
    assert!(psp.effects > 0, "payments went through");
    assert_eq!(psp.duplicates, 0, "a payment was charged twice");
    assert!(sim.ledger().balances(), "ledger: {:?}", sim.ledger());
}

#[test]
fn a_change_that_breaks_the_promise_fails_with_a_readable_report() {
    // What the check above would say if someone switched the idempotency off.
    let text = wasm_checks::CHECKOUT.replace("\"atomic_reserve\"", "\"off\"");
    let mut sim = Simulation::new(&Scenario::from_json(&text).expect("reads")).expect("valid");
    sim.run();
    let report = sim
        .check_goals()
        .expect_err("without idempotency, payments repeat");
    let message = report.to_string();
    assert!(
        message.contains("FAIL Nobody is charged twice: duplicates at psp measured"),
        "{message}"
    );
}
