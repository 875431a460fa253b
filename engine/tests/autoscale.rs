//! Autoscaling: a service under a spike gets more workers only after the warm-up, reaches its
//! maximum and no further, and lets workers go after the spike once the cooldown has passed;
//! every step is logged and the worker count is in every window. Runs natively and in wasm.
#![allow(clippy::expect_used, clippy::unwrap_used)] // A test may stop at the first broken expectation.

// The crate is published as `backend-playground-engine`; the tests call it by its short name.
extern crate backend_playground_engine as engine;

use engine::{Scenario, Simulation};
use serde_json::{json, Value};
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

/// 100 requests/s into a service of 4 workers taking 20 ms on average (half busy), spiking to
/// four times that from 30 s to 90 s; the run lasts 240 s in windows of one second.
fn spike(autoscale: Option<Value>, seed: u64) -> Scenario {
    let mut api = json!({ "kind": "service", "workers": 4,
        "service_time": { "dist": "exponential", "mean_ms": 20 } });
    if let Some(a) = autoscale {
        api["autoscale"] = a;
    }
    let doc = json!({ "version": 1, "seed": seed, "duration_s": 240, "window_ms": 1000,
        "components": [
            { "id": "users", "spec": { "kind": "client", "rate_per_sec": 100 } },
            { "id": "api", "spec": api }
        ],
        "wires": [{ "from": "users", "to": "api" }],
        "faults": [{ "at_s": 30, "duration_s": 60,
            "fault": { "kind": "traffic_spike", "target": "users", "multiplier": 4 } }] });
    Scenario::from_json(&doc.to_string()).expect("valid scenario")
}

fn policy() -> Value {
    json!({ "min_workers": 2, "max_workers": 12, "target_utilisation": 0.6,
            "interval_ms": 5000, "warmup_ms": 10000, "cooldown_ms": 30000 })
}

/// (window start in seconds, workers serving at its end) for the service.
fn counts(sim: &Simulation) -> Vec<(f64, u32)> {
    sim.metrics()[1]
        .history
        .iter()
        .map(|w| {
            (
                w.start_ms / 1_000.0,
                w.workers.expect("an autoscaled window has a count"),
            )
        })
        .collect()
}

#[test]
fn a_spike_is_absorbed_after_the_warm_up_and_the_workers_go_after_the_cooldown() {
    for seed in [1, 2, 3] {
        let mut sim = Simulation::new(&spike(Some(policy()), seed)).expect("valid");
        sim.run();
        let counts = counts(&sim);
        assert_eq!(counts.len(), 240);
        // Never outside the bounds.
        assert!(
            counts.iter().all(|&(_, n)| (2..=12).contains(&n)),
            "{counts:?}"
        );
        // Before the spike the count stays near the four it started with.
        let before = counts
            .iter()
            .filter(|(t, _)| *t < 29.0)
            .map(|c| c.1)
            .max()
            .unwrap();
        assert!(
            before <= 5,
            "seed {seed}: {before} workers before the spike"
        );
        // No new worker serves before the spike plus the warm-up (the first look is up to one
        // interval later still).
        let first_up = counts
            .iter()
            .find(|&&(t, n)| t >= 29.0 && n > before)
            .map(|c| c.0)
            .expect("scaled out");
        assert!(
            first_up >= 39.0,
            "seed {seed}: more workers at {first_up} s, before the warm-up ended"
        );
        // The spike needs 8 busy workers, 14 at the 60% target: the count stops at the maximum.
        let peak = counts.iter().map(|c| c.1).max().unwrap();
        assert_eq!(peak, 12, "seed {seed}");
        // It absorbed the spike: the backlog built while the new workers warmed up is gone
        // before the spike ends.
        let late: Vec<_> = sim.metrics()[1]
            .history
            .iter()
            .filter(|w| (85.0..90.0).contains(&(w.start_ms / 1_000.0)))
            .collect();
        let depths: Vec<u32> = sim.metrics()[1]
            .history
            .iter()
            .map(|w| w.queue_depth_max)
            .collect();
        assert!(
            late.iter().all(|w| w.queue_depth_max < 50),
            "seed {seed}: still queueing late in the spike: {depths:?}"
        );
        // After the spike, and not before the cooldown since the last change, it scales in.
        let end = counts.last().unwrap().1;
        assert!(end <= 5, "seed {seed}: {end} workers at the end");
        let changes: Vec<(f64, bool)> = counts
            .windows(2)
            .filter(|p| p[1].1 != p[0].1)
            .map(|p| (p[1].0, p[1].1 > p[0].1))
            .collect();
        let first_down = changes
            .iter()
            .find(|c| !c.1)
            .map(|c| c.0)
            .expect("scaled in");
        assert!(
            first_down >= 90.0,
            "seed {seed}: let go at {first_down} s, during the spike"
        );
        // Every step down comes a cooldown (30 s, less a window for rounding) after the change
        // before it, whichever way that went.
        for pair in changes.windows(2) {
            if !pair[1].1 {
                assert!(
                    pair[1].0 - pair[0].0 >= 29.0,
                    "seed {seed}: let go at {} s, {} s after the change before: {changes:?}",
                    pair[1].0,
                    pair[1].0 - pair[0].0
                );
            }
        }
        // Every step is in the log.
        let said = |text: &str| {
            sim.logs()
                .any(|l| l.component == 1 && l.message.contains(text))
        };
        assert!(
            said("scaling out") && said("warmed up") && said("scaling in"),
            "seed {seed}"
        );
        assert!(sim.ledger().balances());
    }
}

#[test]
fn without_autoscaling_the_same_spike_swamps_the_service() {
    let mut fixed = Simulation::new(&spike(None, 1)).expect("valid");
    fixed.run();
    let late_depth = fixed.metrics()[1]
        .history
        .iter()
        .filter(|w| (70.0..90.0).contains(&(w.start_ms / 1_000.0)))
        .map(|w| w.queue_depth_max)
        .max()
        .unwrap();
    assert!(
        late_depth > 1_000,
        "fixed workers keep up? depth {late_depth}"
    );
    assert!(fixed.metrics()[1]
        .history
        .iter()
        .all(|w| w.workers.is_none()));
}

#[test]
fn a_minimum_above_the_load_holds_and_the_maximum_holds_under_any_load() {
    let mut tight = policy();
    tight["min_workers"] = json!(4);
    tight["max_workers"] = json!(4);
    let mut sim = Simulation::new(&spike(Some(tight), 1)).expect("valid");
    sim.run();
    assert!(counts(&sim).iter().all(|&(_, n)| n == 4));
    assert!(!sim.logs().any(|l| l.message.contains("scaling")));
}

#[test]
fn bounds_that_do_not_hold_the_starting_count_are_refused_by_name() {
    let mut low = policy();
    low["max_workers"] = json!(3);
    let e = Simulation::new(&spike(Some(low), 1)).expect_err("4 workers above a maximum of 3");
    assert!(e.to_string().contains("spec.workers"), "{e}");
    let mut crossed = policy();
    crossed["min_workers"] = json!(9);
    crossed["max_workers"] = json!(3);
    let e = Simulation::new(&spike(Some(crossed), 1)).expect_err("minimum above maximum");
    assert!(e.to_string().contains("max_workers"), "{e}");
    let mut fast = policy();
    fast["interval_ms"] = json!(1);
    let e = Simulation::new(&spike(Some(fast), 1)).expect_err("an interval of 1 ms");
    assert!(e.to_string().contains("interval_ms"), "{e}");
}

#[test]
fn switching_autoscaling_on_mid_run_starts_it() {
    let mut sim = Simulation::new(&spike(None, 1)).expect("valid");
    sim.run_until(engine::SimTime::from_secs(20.0));
    let mut spec = Scenario::clone(&spike(Some(policy()), 1)).components[1]
        .spec
        .clone();
    if let engine::scenario::ComponentSpec::Service(s) = &mut spec {
        s.workers = 4;
    }
    sim.apply(engine::Command::SetComponent {
        id: "api".into(),
        spec,
    })
    .expect("applied");
    sim.run();
    let peak = sim.metrics()[1]
        .history
        .iter()
        .filter_map(|w| w.workers)
        .max();
    assert_eq!(peak, Some(12));
}
