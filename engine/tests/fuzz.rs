//! Thousands of random and mutated scenarios through validation and short runs: no panic, no
//! hang, and both ledgers balance at every instant checked. The generator is the engine's own
//! seeded RNG, so a failure names a case number that reproduces exactly.
#![allow(clippy::expect_used, clippy::unwrap_used)] // A test may stop at the first broken expectation.

// The crate is published as `backend-playground-engine`; the tests call it by its short name.
extern crate backend_playground_engine as engine;

mod common;

use engine::rng::Rng;
use engine::{Scenario, SimTime, Simulation};
use serde_json::{json, Value};
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

#[cfg(not(target_arch = "wasm32"))]
const CASES: u64 = 3_000;
#[cfg(target_arch = "wasm32")]
const CASES: u64 = 300;

use engine::scenario::KINDS;

fn pick<'a, T>(r: &mut Rng, xs: &'a [T]) -> &'a T {
    &xs[r.below(xs.len() as u64) as usize]
}

/// A number that is usually sensible and now and then absurd.
fn num(r: &mut Rng, typical: f64) -> Value {
    match r.below(60) {
        0 => json!(-typical),
        1 => json!(0),
        2 => json!(1e12),
        _ => json!(typical * (0.1 + 2.0 * r.uniform())),
    }
}

fn dist(r: &mut Rng) -> Value {
    match r.below(3) {
        0 => json!({ "dist": "constant", "ms": num(r, 5.0) }),
        1 => json!({ "dist": "exponential", "mean_ms": num(r, 5.0) }),
        _ => json!({ "dist": "lognormal", "median_ms": num(r, 5.0), "sigma": r.uniform() * 1.5 }),
    }
}

/// An autoscaling policy three times in ten, its bounds sometimes not holding the starting count
/// (which validation must refuse the same way in both readers).
fn autoscale(r: &mut Rng) -> Value {
    if !r.chance(0.3) {
        return Value::Null;
    }
    json!({ "min_workers": 1 + r.below(3), "max_workers": 1 + r.below(30), "target_utilisation": 0.1 + r.uniform() * 0.9,
            "interval_ms": 100 + r.below(1_000), "warmup_ms": r.below(2_000), "cooldown_ms": r.below(3_000) })
}

fn spec(r: &mut Rng, kind: &str) -> Value {
    let count = |r: &mut Rng, n: u64| json!(1 + r.below(n));
    match kind {
        "client" => {
            json!({ "kind": kind, "rate_per_sec": num(r, 100.0), "timeout_ms": num(r, 200.0), "keys": count(r, 50), "users": count(r, 50),
            "key_skew": r.uniform(), "idempotency_keys": r.chance(0.5),
            "mix": [{ "op": *pick(r, &["read", "write", "payment", "job", "purchase"]), "weight": 1 },
                    { "op": *pick(r, &["read", "write", "payment", "job", "purchase"]), "weight": r.uniform() }],
            "retry": { "max_attempts": count(r, 5), "backoff_ms": num(r, 20.0), "jitter": *pick(r, &["none", "full", "equal"]), "budget_ratio": r.uniform() } })
        }
        "load_balancer" => {
            json!({ "kind": kind, "policy": *pick(r, &["round_robin", "least_connections", "random"]) })
        }
        "service" => {
            json!({ "kind": kind, "workers": count(r, 20), "service_time": dist(r), "error_probability": r.uniform() * 0.2,
            "queue_capacity": if r.chance(0.5) { json!(r.below(50)) } else { Value::Null }, "call_timeout_ms": num(r, 100.0),
            "idempotency": *pick(r, &["off", "check_after_completion", "atomic_reserve"]), "concurrency": *pick(r, &["none", "optimistic", "lock"]),
            "circuit_breaker": if r.chance(0.3) { json!({ "failure_ratio": 0.5, "window_calls": 10, "open_ms": 200 }) } else { Value::Null },
            "read_your_writes_ms": if r.chance(0.3) { json!(100) } else { Value::Null }, "accepts_contract": if r.chance(0.2) { json!(1) } else { Value::Null },
            "autoscale": autoscale(r) })
        }
        "rate_limiter" => {
            json!({ "kind": kind, "rate_per_sec": num(r, 50.0), "burst": 5, "scope": *pick(r, &["global", "per_user"]), "action": *pick(r, &["reject", "delay"]) })
        }
        "cache" => {
            json!({ "kind": kind, "capacity": count(r, 20), "ttl_ms": num(r, 500.0), "invalidate_on_write": r.chance(0.5) })
        }
        "database" => {
            json!({ "kind": kind, "pool_size": count(r, 8), "read_time": dist(r), "write_time": dist(r), "indexed": r.chance(0.7), "stock_per_key": r.below(20) })
        }
        "replica" => {
            json!({ "kind": kind, "pool_size": count(r, 8), "read_time": dist(r), "lag": dist(r) })
        }
        "queue" => {
            json!({ "kind": kind, "capacity": if r.chance(0.5) { json!(r.below(30)) } else { Value::Null }, "visibility_timeout_ms": num(r, 200.0), "max_deliveries": count(r, 4), "retry_backoff_ms": num(r, 20.0) })
        }
        "workers" => {
            json!({ "kind": kind, "concurrency": count(r, 8), "job_time": dist(r), "failure_probability": r.uniform() * 0.3, "failure_under_load": r.uniform() * 0.3,
            "poison_probability": r.uniform() * 0.05, "idempotent": r.chance(0.5), "call_timeout_ms": num(r, 100.0),
            "autoscale": autoscale(r) })
        }
        "dead_letter" => json!({ "kind": kind }),
        _ => json!({ "kind": kind, "latency": dist(r), "failure_probability": r.uniform() * 0.2 }),
    }
}

/// A topology that is valid by construction (its parameters may still be absurd now and then).
fn structured_scenario(r: &mut Rng) -> Value {
    let mut components = vec![json!({ "id": "users", "spec": spec(r, "client") })];
    let mut wires = Vec::new();
    let add = |components: &mut Vec<Value>, r: &mut Rng, id: &str, kind: &str| {
        components.push(json!({ "id": id, "spec": spec(r, kind) }));
    };
    let wire = |from: &str, to: &str, mode: &str| json!({ "from": from, "to": to, "mode": mode });
    match r.below(3) {
        0 => {
            add(&mut components, r, "lb", "load_balancer");
            add(&mut components, r, "api2", "service");
            wires.push(wire("users", "lb", "sync"));
            wires.push(wire("lb", "api", "sync"));
            wires.push(wire("lb", "api2", "sync"));
        }
        1 => {
            add(&mut components, r, "rl", "rate_limiter");
            wires.push(wire("users", "rl", "sync"));
            wires.push(wire("rl", "api", "sync"));
        }
        _ => wires.push(wire("users", "api", "sync")),
    }
    add(&mut components, r, "api", "service");
    if r.chance(0.6) {
        add(&mut components, r, "db", "database");
        wires.push(wire("api", "db", "sync"));
        if r.chance(0.5) {
            add(&mut components, r, "rep", "replica");
            wires.push(wire("db", "rep", "sync"));
            wires.push(wire("api", "rep", "sync"));
        }
        if r.chance(0.4) {
            add(&mut components, r, "cache", "cache");
            wires.push(wire("api", "cache", "sync"));
            wires.push(wire("cache", "db", "sync"));
        }
    }
    if r.chance(0.5) {
        add(&mut components, r, "q", "queue");
        add(&mut components, r, "w", "workers");
        add(&mut components, r, "mail", "provider");
        let mode = *pick(r, &["sync", "async"]);
        wires.push(wire("api", "q", mode));
        wires.push(wire("q", "w", "sync"));
        wires.push(wire("w", "mail", "sync"));
        if r.chance(0.5) {
            add(&mut components, r, "dlq", "dead_letter");
            wires.push(wire("q", "dlq", "sync"));
        }
    }
    if r.chance(0.5) {
        add(&mut components, r, "psp", "provider");
        wires.push(wire("api", "psp", "sync"));
    }
    if r.chance(0.4) {
        add(&mut components, r, "svc2", "service");
        let mode = *pick(r, &["sync", "async"]);
        wires.push(wire("api", "svc2", mode));
    }
    let of_kind = |kinds: &[&str]| -> Vec<String> {
        components
            .iter()
            .filter(|c| {
                c["spec"]["kind"]
                    .as_str()
                    .is_some_and(|k| kinds.contains(&k))
            })
            .filter_map(|c| c["id"].as_str().map(String::from))
            .collect()
    };
    let mut faults = Vec::new();
    for _ in 0..r.below(4) {
        let kind = *pick(r, &engine::scenario::FAULT_KINDS);
        let pool = of_kind(&engine::topology::fault_targets(kind));
        let fault = if kind == "partition" {
            let w = &wires[r.below(wires.len() as u64) as usize];
            json!({ "kind": kind, "from": w["from"], "to": w["to"] })
        } else if pool.is_empty() {
            continue;
        } else {
            let t = pick(r, &pool).clone();
            match kind {
                "traffic_spike" => json!({ "kind": kind, "target": t, "multiplier": 5 }),
                "latency" => json!({ "kind": kind, "target": t, "add_ms": 50 }),
                "errors" => json!({ "kind": kind, "target": t, "probability": 0.5 }),
                "replication_lag" => json!({ "kind": kind, "target": t, "multiplier": 10 }),
                "contract_change" => json!({ "kind": kind, "target": t, "contract": 2 }),
                _ => json!({ "kind": kind, "target": t }),
            }
        };
        faults.push(json!({ "at_s": r.uniform() * 2.0, "duration_s": 0.1 + r.uniform() * 2.0, "fault": fault }));
    }
    let mut doc = random_scenario(r);
    doc["components"] = json!(components);
    doc["wires"] = json!(wires);
    doc["faults"] = json!(faults);
    doc["goals"][0]["component"] = json!("users");
    doc
}

fn random_scenario(r: &mut Rng) -> Value {
    let n = 1 + r.below(9) as usize;
    let mut components = vec![json!({ "id": "c0", "spec": spec(r, "client") })];
    for i in 1..n {
        let kind = *pick(r, &KINDS);
        components.push(json!({ "id": format!("c{i}"), "spec": spec(r, kind) }));
    }
    let mut wires = Vec::new();
    for _ in 0..r.below(2 * n as u64 + 2) {
        let (a, b) = (r.below(n as u64 + 1), r.below(n as u64));
        wires.push(json!({ "from": format!("c{a}"), "to": format!("c{b}"), "mode": *pick(r, &["sync", "sync", "async"]) }));
    }
    let mut faults = Vec::new();
    for _ in 0..r.below(4) {
        let t = format!("c{}", r.below(n as u64));
        let fault = match r.below(8) {
            0 => json!({ "kind": "traffic_spike", "target": t, "multiplier": 5 }),
            1 => json!({ "kind": "crash", "target": t }),
            2 => json!({ "kind": "latency", "target": t, "add_ms": 50 }),
            3 => json!({ "kind": "errors", "target": t, "probability": 0.5 }),
            4 => json!({ "kind": "partition", "from": t, "to": format!("c{}", r.below(n as u64)) }),
            5 => json!({ "kind": "replication_lag", "target": t, "multiplier": 10 }),
            6 => json!({ "kind": "contract_change", "target": t, "contract": 2 }),
            _ => json!({ "kind": "slow_query", "target": t }),
        };
        faults.push(
            json!({ "at_s": r.uniform() * 2.0, "duration_s": r.uniform() * 2.0, "fault": fault }),
        );
    }
    json!({ "version": 1, "seed": r.next_u64() >> 12, "duration_s": 3, "trace_every": 5, "access_log_every": 3,
            "components": components, "wires": wires, "faults": faults,
            "goals": [{ "label": "g", "component": "c0", "metric": "p99_ms", "compare": "<=", "target": 100 },
                      { "label": "h", "metric": "components_in_error", "compare": "<=", "target": 1 }] })
}

/// Changes one random place of a document to something unexpected, removes or repeats it, or
/// adds a field nobody knows.
fn mutate(r: &mut Rng, node: &mut Value) {
    let descend = r.chance(0.8);
    match node {
        Value::Object(map) if descend && !map.is_empty() => {
            let keys: Vec<String> = map.keys().cloned().collect();
            let k = pick(r, &keys).clone();
            if r.chance(0.2) {
                map.remove(&k);
            } else if r.chance(0.1) {
                map.insert("surprise".into(), json!(1));
            } else if let Some(child) = map.get_mut(&k) {
                mutate(r, child);
            }
            return;
        }
        Value::Array(items) if descend && !items.is_empty() => {
            let i = r.below(items.len() as u64) as usize;
            if r.chance(0.15) {
                let copy = items[i].clone();
                items.push(copy);
            } else {
                mutate(r, &mut items[i]);
            }
            return;
        }
        _ => {}
    }
    *node = match r.below(7) {
        0 => json!(-1),
        1 => json!(f64::MAX),
        2 => json!("c1"),
        3 => json!(null),
        4 => json!(0),
        5 => json!(4_294_967_295u64),
        _ => json!([]),
    };
}

/// Reads `doc` the way the app and the CLI do (`Scenario::from_json`, the format's one reader),
/// and checks that what it read writes back (serde's `Serialize`) to a text it reads to the same
/// scenario: writer and reader agree on every field and every default.
fn read(case: u64, doc: &Value) -> Option<Scenario> {
    let ours = Scenario::from_json(&doc.to_string());
    if let Ok(s) = &ours {
        let written = s.to_json();
        let again = Scenario::from_json(&written).unwrap_or_else(|e| {
            panic!("case {case}: the written form is not read back: {e}\n{written}")
        });
        assert_eq!(
            &again, s,
            "case {case}: a round trip changed the scenario\n{written}"
        );
    }
    ours.ok()
}

/// Runs a scenario briefly, checking both ledgers every `check_every` events; returns the
/// events processed (zero when the scenario was refused).
fn exercise(case: u64, doc: &Value, check_every: u64) -> u64 {
    let Some(scenario) = read(case, doc) else {
        return 0;
    };
    let Ok(mut sim) = Simulation::new(&scenario) else {
        return 0;
    };
    let end = SimTime::from_secs(3.0);
    let mut budget = 30_000u64;
    while budget > 0 {
        let reached = sim.run_until_bounded(end, check_every.min(budget));
        budget = budget.saturating_sub(check_every);
        assert!(sim.ledger().balances(), "case {case}: {:?}", sim.ledger());
        assert!(
            sim.job_ledger().balances(),
            "case {case}: {:?}",
            sim.job_ledger()
        );
        if reached {
            break;
        }
    }
    let _ = (
        sim.snapshot(),
        sim.goals(),
        sim.logs().count(),
        sim.traces().count(),
    );
    sim.events_processed()
}

#[test]
fn random_scenarios_never_panic_and_always_balance() {
    let mut valid = 0;
    let mut events = 0;
    for case in 0..CASES {
        let mut r = Rng::stream(case, "fuzz-random");
        let doc = if case % 4 == 0 {
            random_scenario(&mut r)
        } else {
            structured_scenario(&mut r)
        };
        if read(case, &doc)
            .and_then(|s| Simulation::new(&s).ok())
            .is_some()
        {
            valid += 1;
        }
        events += exercise(case, &doc, if case % 50 == 0 { 1 } else { 500 });
    }
    // The generator must reach the engine, not just the validator.
    assert!(
        valid > CASES / 3,
        "only {valid} of {CASES} random scenarios were valid"
    );
    assert!(
        events > 1_000 * valid,
        "the valid scenarios ran only {events} events in all"
    );
    println!("{valid} of {CASES} random scenarios valid; {events} events run");
}

#[test]
fn mutated_lesson_scenarios_never_panic_and_always_balance() {
    let bases: Vec<Value> = [
        "01-paid-twice",
        "02-launch-spike",
        "04-nobody-got-the-email",
        "05-two-answers",
        "08-worked-on-my-machine",
    ]
    .iter()
    .map(|slug| serde_json::to_value(common::lesson_start(slug)).expect("serialises"))
    .collect();
    let mut events = 0;
    for case in 0..CASES {
        let mut r = Rng::stream(case, "fuzz-mutate");
        let mut doc = pick(&mut r, &bases).clone();
        doc["duration_s"] = json!(3);
        for _ in 0..1 + r.below(3) {
            mutate(&mut r, &mut doc);
        }
        events += exercise(case, &doc, 1_000);
    }
    assert!(
        events > 100 * CASES,
        "mutants ran only {events} events in all"
    );
    println!("{CASES} mutants; {events} events run");
}

#[test]
fn validation_reports_every_problem_with_its_place() {
    let doc = json!({ "version": 2, "duration_s": -1, "window_ms": 0,
        "components": [
            { "id": "u", "spec": { "kind": "client", "rate_per_sec": -3.0 } },
            { "id": "u", "spec": { "kind": "service", "workers": 0, "service_time": { "dist": "constant", "ms": 1 } } },
            { "id": "r", "spec": { "kind": "replica", "pool_size": 1, "read_time": { "dist": "constant", "ms": 1 }, "lag": { "dist": "constant", "ms": 1 } } }
        ],
        "wires": [ { "from": "u", "to": "nowhere" }, { "from": "r", "to": "u" } ],
        "faults": [ { "at_s": 1, "fault": { "kind": "slow_query", "target": "r" } } ],
        "goals": [ { "label": "x", "component": "ghost", "metric": "p99_ms", "compare": "<=", "target": 1 } ] });
    // The reader refuses another version at once; validation must name it too.
    let mut doc = doc;
    doc["version"] = json!(1);
    let mut scenario = Scenario::from_json(&doc.to_string()).expect("well-formed JSON");
    scenario.version = 2;
    let err = Simulation::new(&scenario).expect_err("invalid");
    let text = err.to_string();
    for needle in [
        "version",
        "duration_s",
        "window_ms",
        "spec.rate_per_sec",
        "is used by another component",
        "spec.workers",
        "no component has the id \"nowhere\"",
        "a replica cannot send",
        "exactly one incoming wire",
        "slow query applies to a database",
        "\"ghost\"",
    ] {
        assert!(text.contains(needle), "missing {needle:?} in\n{text}");
    }
}
