//! Each of the eight lesson mechanisms, from the lessons' starting scenarios (`lessons/*/start.json`): the
//! starting scenario shows the failure in the numbers, and flipping the switch that fixes it
//! makes the failure go away, for several seeds.
#![allow(clippy::expect_used, clippy::unwrap_used)] // A test may stop at the first broken expectation.

// The crate is published as `backend-playground-engine`; the tests call it by its short name.
extern crate backend_playground_engine as engine;

mod common;

use engine::{Scenario, Simulation};
use serde_json::{json, Value};
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

const SEEDS: [u64; 3] = [1, 2, 3];

/// A lesson's starting scenario as JSON, by its folder name.
fn load(slug: &str) -> Value {
    serde_json::to_value(common::lesson_start(slug)).expect("serialises")
}

/// The spec object of the component with this id.
fn spec<'a>(doc: &'a mut Value, id: &str) -> &'a mut Value {
    let components = doc["components"].as_array_mut().expect("components");
    let c = components
        .iter_mut()
        .find(|c| c["id"] == id)
        .expect("component exists");
    &mut c["spec"]
}

fn run(doc: &Value, seed: u64) -> Simulation {
    let mut scenario = Scenario::from_json(&doc.to_string()).expect("valid scenario");
    scenario.seed = seed;
    let mut sim = Simulation::new(&scenario).unwrap_or_else(|e| panic!("{e}"));
    sim.run();
    assert!(
        sim.ledger().balances(),
        "request ledger: {:?}",
        sim.ledger()
    );
    assert!(
        sim.job_ledger().balances(),
        "job ledger: {:?}",
        sim.job_ledger()
    );
    sim
}

fn index(sim: &Simulation, id: &str) -> usize {
    sim.topology().index_of(id).expect("component exists")
}

fn totals(sim: &Simulation, id: &str) -> engine::metrics::Totals {
    sim.metrics()[index(sim, id)].totals
}

fn all_goals_pass(sim: &Simulation) -> bool {
    sim.goals().iter().all(|g| g.passed)
}

fn goal_report(sim: &Simulation) -> String {
    sim.goals()
        .iter()
        .map(|g| {
            format!(
                "{} {} = {:.3}\n",
                if g.passed { "PASS" } else { "FAIL" },
                g.label,
                g.measured
            )
        })
        .collect()
}

#[test]
fn paid_twice_idempotency_keys() {
    let broken = load("01-paid-twice");
    let mut naive = broken.clone();
    spec(&mut naive, "api")["idempotency"] = json!("check_after_completion");
    let mut atomic = broken.clone();
    spec(&mut atomic, "api")["idempotency"] = json!("atomic_reserve");
    for seed in SEEDS {
        let off = run(&broken, seed);
        let dup_off = totals(&off, "psp").duplicates;
        assert!(
            dup_off > 50,
            "seed {seed}: retries should charge twice: {dup_off}"
        );
        assert!(!all_goals_pass(&off));
        let naive = run(&naive, seed);
        let dup_naive = totals(&naive, "psp").duplicates;
        assert!(
            dup_naive > 0 && dup_naive < dup_off,
            "seed {seed}: naive {dup_naive} vs off {dup_off}"
        );
        let fixed = run(&atomic, seed);
        assert_eq!(totals(&fixed, "psp").duplicates, 0, "seed {seed}");
        assert!(
            all_goals_pass(&fixed),
            "seed {seed}:\n{}",
            goal_report(&fixed)
        );
    }
}

#[test]
fn launch_spike_shedding_and_retry_budget() {
    let broken = load("02-launch-spike");
    let mut fixed = broken.clone();
    spec(&mut fixed, "api")["queue_capacity"] = json!(30);
    spec(&mut fixed, "users")["retry"] =
        json!({ "max_attempts": 4, "backoff_ms": 100, "jitter": "full", "budget_ratio": 0.1 });
    for seed in SEEDS {
        let sim = run(&broken, seed);
        let api = &sim.metrics()[index(&sim, "api")];
        assert!(
            api.history
                .iter()
                .map(|w| w.queue_depth_max)
                .max()
                .unwrap_or(0)
                > 5_000,
            "seed {seed}: the queue should explode"
        );
        assert!(!all_goals_pass(&sim), "seed {seed}");
        let sim = run(&fixed, seed);
        assert!(all_goals_pass(&sim), "seed {seed}:\n{}", goal_report(&sim));
        assert!(
            totals(&sim, "api").rejections > 1_000,
            "seed {seed}: shedding has a cost: rejected users"
        );
    }
}

#[test]
fn one_cashier_index_and_cache() {
    let broken = load("03-one-cashier");
    let mut indexed = broken.clone();
    spec(&mut indexed, "db")["indexed"] = json!(true);
    let mut cached = broken.clone();
    cached["components"]
        .as_array_mut()
        .expect("array")
        .push(json!({
        "id": "cache", "spec": { "kind": "cache", "capacity": 2000, "ttl_ms": 30000 } }));
    let wires = cached["wires"].as_array_mut().expect("array");
    wires.push(json!({ "from": "api", "to": "cache" }));
    wires.push(json!({ "from": "cache", "to": "db" }));
    let mut lazy = cached.clone();
    spec(&mut lazy, "cache")["invalidate_on_write"] = json!(false);
    for seed in SEEDS {
        let sim = run(&broken, seed);
        assert!(!all_goals_pass(&sim), "seed {seed}:\n{}", goal_report(&sim));
        let sim = run(&indexed, seed);
        assert!(
            all_goals_pass(&sim),
            "seed {seed} indexed:\n{}",
            goal_report(&sim)
        );
        let sim = run(&cached, seed);
        let cache = totals(&sim, "cache");
        let hit_ratio = cache.hits as f64 / (cache.hits + cache.misses) as f64;
        assert!(hit_ratio > 0.6, "seed {seed}: hit ratio {hit_ratio}");
        assert!(
            all_goals_pass(&sim),
            "seed {seed} cached:\n{}",
            goal_report(&sim)
        );
        let stale_with_invalidation = cache.stale_reads;
        let sim = run(&lazy, seed);
        let stale_without = totals(&sim, "cache").stale_reads;
        assert!(
            stale_without > 10 * stale_with_invalidation.max(1),
            "seed {seed}: a cache that is not told of writes serves stale data: {stale_without} vs {stale_with_invalidation}"
        );
    }
}

#[test]
fn nobody_got_the_email_retries_dlq_and_idempotent_jobs() {
    let broken = load("04-nobody-got-the-email");
    let mut retries = broken.clone();
    spec(&mut retries, "jobs")["max_deliveries"] = json!(5);
    spec(&mut retries, "jobs")["retry_backoff_ms"] = json!(200);
    retries["components"]
        .as_array_mut()
        .expect("array")
        .push(json!({ "id": "dlq", "spec": { "kind": "dead_letter" } }));
    retries["wires"]
        .as_array_mut()
        .expect("array")
        .push(json!({ "from": "jobs", "to": "dlq" }));
    let mut fixed = retries.clone();
    spec(&mut fixed, "mailers")["idempotent"] = json!(true);
    for seed in SEEDS {
        let sim = run(&broken, seed);
        assert!(
            sim.job_ledger().dropped > 100,
            "seed {seed}: {:?}",
            sim.job_ledger()
        );
        let users = totals(&sim, "signups");
        assert_eq!(
            users.completions,
            users.arrivals - sim.ledger().in_flight,
            "every request answered 200"
        );
        let sim = run(&retries, seed);
        assert_eq!(sim.job_ledger().dropped, 0, "seed {seed}");
        assert!(
            sim.job_ledger().dead_lettered > 0,
            "seed {seed}: poison messages end in the DLQ"
        );
        assert!(
            totals(&sim, "email").duplicates > 0,
            "seed {seed}: retries without idempotency send twice"
        );
        let sim = run(&fixed, seed);
        assert!(all_goals_pass(&sim), "seed {seed}:\n{}", goal_report(&sim));
    }
}

#[test]
fn two_answers_read_your_writes_on_the_critical_endpoint() {
    let broken = load("05-two-answers");
    let mut fixed = broken.clone();
    spec(&mut fixed, "profile")["read_your_writes_ms"] = json!(5000);
    for seed in SEEDS {
        let sim = run(&broken, seed);
        assert!(totals(&sim, "profile").stale_reads > 50, "seed {seed}");
        let sim = run(&fixed, seed);
        assert!(all_goals_pass(&sim), "seed {seed}:\n{}", goal_report(&sim));
        assert!(
            totals(&sim, "feed").stale_reads > 0,
            "seed {seed}: other endpoints may still be stale"
        );
        assert!(
            totals(&sim, "replica").stale_reads > 0,
            "seed {seed}: the replica really serves old versions"
        );
    }
}

#[test]
fn the_logs_said_fine_but_metrics_did_not() {
    let broken = load("06-the-logs-said-fine");
    // The fix: a short timeout on the web tier's calls, and recommendations as optional.
    let mut fixed = broken.clone();
    spec(&mut fixed, "web")["call_timeout_ms"] = json!(150);
    let wires = fixed["wires"].as_array_mut().expect("wires");
    let to_recs = wires
        .iter_mut()
        .find(|w| w["to"] == "recs")
        .expect("a wire to recs");
    to_recs["optional"] = json!(true);
    for seed in SEEDS {
        let sim = run(&broken, seed);
        assert!(!all_goals_pass(&sim), "seed {seed}");
        let recs = index(&sim, "recs");
        let worst = sim.logs().map(|l| l.level).max();
        assert_eq!(
            worst,
            Some(engine::observe::Level::Info),
            "seed {seed}: the logs look fine"
        );
        assert!(
            sim.logs().any(|l| l.message.contains("200 OK")),
            "access lines are there"
        );
        // Twenty seconds in, the sampled requests show the slow hop (later on the web tier's
        // workers are all stuck waiting, and new requests queue before they reach it).
        let mut early = Scenario::from_json(&broken.to_string()).expect("valid");
        early.seed = seed;
        let mut early = Simulation::new(&early).expect("valid");
        early.run_until(engine::SimTime::from_secs(20.0));
        let now_ms = early.now().as_secs() * 1_000.0;
        let slow = early
            .traces()
            .flat_map(|t| t.spans.iter())
            .filter(|s| s.component == recs)
            // A span still open has lasted until now.
            .map(|s| s.end_ms.unwrap_or(now_ms) - s.start_ms)
            .fold(0.0, f64::max);
        assert!(
            slow > 100.0,
            "seed {seed}: a trace shows the slow hop ({slow} ms)"
        );
        let sim = run(&fixed, seed);
        assert!(all_goals_pass(&sim), "seed {seed}:\n{}", goal_report(&sim));
    }
}

#[test]
fn pull_one_wire_versioned_contract() {
    let broken = load("07-pull-one-wire");
    let mut fixed = broken.clone();
    spec(&mut fixed, "c")["versioned_contract"] = json!(true);
    for seed in SEEDS {
        let sim = run(&broken, seed);
        assert!(!all_goals_pass(&sim), "seed {seed}");
        assert!(totals(&sim, "b").contract_errors > 100, "seed {seed}");
        let sim = run(&fixed, seed);
        assert!(all_goals_pass(&sim), "seed {seed}:\n{}", goal_report(&sim));
    }
}

#[test]
fn worked_on_my_machine_concurrency_control() {
    let production = load("08-worked-on-my-machine");
    let mut laptop = production.clone();
    spec(&mut laptop, "buyers")["rate_per_sec"] = json!(1);
    let mut optimistic = production.clone();
    spec(&mut optimistic, "shop")["concurrency"] = json!("optimistic");
    let mut locked = production.clone();
    spec(&mut locked, "shop")["concurrency"] = json!("lock");
    for seed in SEEDS {
        let sim = run(&laptop, seed);
        assert!(
            all_goals_pass(&sim),
            "seed {seed}: one user at a time never loses an update"
        );
        let sim = run(&production, seed);
        assert!(totals(&sim, "db").lost_updates > 100, "seed {seed}");
        assert!(!all_goals_pass(&sim), "seed {seed}");
        for (name, doc) in [("optimistic", &optimistic), ("lock", &locked)] {
            let sim = run(doc, seed);
            assert!(
                all_goals_pass(&sim),
                "seed {seed} {name}:\n{}",
                goal_report(&sim)
            );
        }
        let sim = run(&optimistic, seed);
        assert!(
            totals(&sim, "shop").conflicts > 0,
            "seed {seed}: optimistic control pays in conflicts"
        );
    }
}
