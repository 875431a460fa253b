//! The run report tells each lesson's mechanism, read from its structure (which moment, where,
//! and which earlier moment it follows from), never from its wording: on several seeds the start
//! shows the failure the lesson teaches and the solution shows none of it. Small constructed
//! scenarios check each detector, and a healthy system raises no alarm on 20 seeds.
#![allow(clippy::expect_used, clippy::unwrap_used)] // A test may stop at the first broken expectation.

// The crate is published as `backend-playground-engine`; the tests call it by its short name.
extern crate backend_playground_engine as engine;

mod common;

use common::{client, constant, data, exp, service, wire};
use engine::report::{report, Moment, Report, What};
use engine::{Command, Scenario, SimTime, Simulation};
use serde_json::{json, Value};
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

const SEEDS: [u64; 3] = [1, 2, 3];

/// A scenario from its parts and further top-level fields (`faults`, `goals`, `window_ms`).
fn scenario(duration_s: f64, components: Vec<Value>, wires: Vec<Value>, more: Value) -> Scenario {
    let mut doc = json!({ "version": 1, "seed": 1, "duration_s": duration_s,
        "components": components, "wires": wires });
    for (k, v) in more.as_object().expect("an object") {
        doc[k] = v.clone();
    }
    Scenario::from_json(&doc.to_string()).expect("a valid scenario")
}

fn told(scenario: &Scenario) -> Report {
    let mut sim = Simulation::new(scenario).expect("valid");
    sim.run();
    report(&sim)
}

fn lesson(slug: &str, file: &str, seed: u64) -> Report {
    let mut s = data(&format!("lessons/{slug}/{file}"));
    s.seed = seed;
    told(&s)
}

/// The first moment that is `what` at `component`.
fn find<'r>(r: &'r Report, component: &str, what: fn(&What) -> bool) -> Option<&'r Moment> {
    r.moments
        .iter()
        .find(|m| m.component.as_deref() == Some(component) && what(&m.what))
}

/// The moment `m` follows from.
fn cause<'r>(r: &'r Report, m: &Moment) -> Option<&'r Moment> {
    m.because.map(|i| &r.moments[i])
}

/// Where the chain of causes behind `m` starts.
fn root<'r>(r: &'r Report, mut m: &'r Moment) -> &'r Moment {
    while let Some(p) = cause(r, m) {
        m = p;
    }
    m
}

fn at(m: &Moment) -> Option<&str> {
    m.component.as_deref()
}

fn none_of(r: &Report, what: fn(&What) -> bool) -> bool {
    !r.moments.iter().any(|m| what(&m.what))
}

/// Every link points to an earlier moment, and every sentence belongs to a moment.
fn well_formed(r: &Report, context: &str) {
    assert_eq!(r.chain.len(), r.moments.len(), "{context}");
    for (i, m) in r.moments.iter().enumerate() {
        if let Some(b) = m.because {
            assert!(b < i, "{context}: moment {i} follows a later one");
            assert!(
                r.moments[b].at_s <= m.at_s,
                "{context}: a cause after its effect"
            );
        }
    }
}

#[test]
fn each_lesson_start_tells_its_mechanism_and_its_solution_does_not() {
    for seed in SEEDS {
        let ctx = |l: &str| format!("{l} seed {seed}");
        // 1: a charge done twice at the provider after the shoppers timed out and retried.
        let r = lesson("01-paid-twice", "start.json", seed);
        let dup = find(&r, "psp", |w| *w == What::FirstDuplicate).expect("a duplicate at psp");
        let why = cause(&r, dup).expect("the duplicate has a cause");
        assert!(matches!(
            why.what,
            What::TimeoutsBegin | What::RetriesAmplify
        ));
        assert_eq!(at(why), Some("shoppers"), "{}", ctx("1"));
        let s = lesson("01-paid-twice", "solution.json", seed);
        assert!(none_of(&s, |w| *w == What::FirstDuplicate), "{}", ctx("1"));

        // 2: retries amplify the spike and the queue outlives it.
        let r = lesson("02-launch-spike", "start.json", seed);
        let stuck = find(&r, "api", |w| *w == What::QueueStaysHigh).expect("stuck queue");
        let retries = cause(&r, stuck).expect("stuck because of something");
        assert_eq!(retries.what, What::RetriesAmplify, "{}", ctx("2"));
        assert_eq!(at(retries), Some("users"));
        assert!(retries.value >= engine::report::AMPLIFIED);
        let timeouts = cause(&r, retries).expect("retries follow the timeouts");
        assert_eq!(timeouts.what, What::TimeoutsBegin);
        assert!(matches!(root(&r, stuck).what, What::FaultStarts { .. }));
        let s = lesson("02-launch-spike", "solution.json", seed);
        assert!(none_of(&s, |w| *w == What::QueueStaysHigh), "{}", ctx("2"));
        assert!(none_of(&s, |w| *w == What::RetriesAmplify), "{}", ctx("2"));

        // 3: the database saturates first.
        let r = lesson("03-one-cashier", "start.json", seed);
        let first = r
            .moments
            .iter()
            .find(|m| m.what == What::Saturated { first: true })
            .expect("a first saturation");
        assert_eq!(at(first), Some("db"), "{}", ctx("3"));
        let s = lesson("03-one-cashier", "solution.json", seed);
        assert!(find(&s, "db", |w| matches!(w, What::Saturated { .. })).is_none());

        // 4: jobs lost after the mailers' deliveries fail.
        let r = lesson("04-nobody-got-the-email", "start.json", seed);
        let lost = r
            .moments
            .iter()
            .find(|m| m.what == What::FirstJobLost)
            .expect("a lost job");
        let why = cause(&r, lost).expect("lost after something");
        assert_eq!((&why.what, at(why)), (&What::ErrorsBegin, Some("mailers")));
        let s = lesson("04-nobody-got-the-email", "solution.json", seed);
        assert!(none_of(&s, |w| *w == What::FirstJobLost), "{}", ctx("4"));

        // 5: the profile reads stale data through the lagging replica.
        let r = lesson("05-two-answers", "start.json", seed);
        let stale = find(&r, "profile", |w| *w == What::FirstStaleRead).expect("stale profile");
        let why = cause(&r, stale).expect("stale because of something");
        assert_eq!((&why.what, at(why)), (&What::ReplicaLags, Some("replica")));
        let s = lesson("05-two-answers", "solution.json", seed);
        assert!(find(&s, "profile", |w| *w == What::FirstStaleRead).is_none());

        // 6: the slow dependency holds the web tier's workers.
        let r = lesson("06-the-logs-said-fine", "start.json", seed);
        let web = find(&r, "web", |w| matches!(w, What::Saturated { .. })).expect("web full");
        let why = cause(&r, web).expect("web saturates because of something");
        assert!(matches!(why.what, What::Saturated { .. }), "{}", ctx("6"));
        assert_eq!(at(why), Some("recs"));
        let start = root(&r, web);
        assert_eq!(
            start.what,
            What::FaultStarts {
                fault: "latency".into()
            }
        );
        let s = lesson("06-the-logs-said-fine", "solution.json", seed);
        assert!(find(&s, "web", |w| matches!(w, What::Saturated { .. })).is_none());

        // 7: the storefront's errors start at the contract change two wires away.
        let r = lesson("07-pull-one-wire", "start.json", seed);
        let errors = find(&r, "a", |w| *w == What::ErrorsBegin).expect("storefront errors");
        let start = root(&r, errors);
        assert_eq!(
            (&start.what, at(start)),
            (
                &What::FaultStarts {
                    fault: "contract_change".into()
                },
                Some("c")
            ),
            "{}",
            ctx("7")
        );
        let s = lesson("07-pull-one-wire", "solution.json", seed);
        assert!(none_of(&s, |w| matches!(
            w,
            What::ErrorsBegin | What::UnreadableAnswers
        )));

        // 8: stock sold twice under concurrent purchases.
        let r = lesson("08-worked-on-my-machine", "start.json", seed);
        assert!(
            find(&r, "db", |w| *w == What::FirstOversold).is_some(),
            "{}",
            ctx("8")
        );
        let s = lesson("08-worked-on-my-machine", "solution.json", seed);
        assert!(none_of(&s, |w| matches!(
            w,
            What::FirstOversold | What::FirstLostUpdate
        )));
    }
}

#[test]
fn every_start_s_missed_goals_are_traced_and_every_solution_misses_none() {
    for slug in common::lesson_slugs() {
        let r = lesson(slug, "start.json", 1);
        well_formed(&r, slug);
        let missed: Vec<&Moment> = r
            .moments
            .iter()
            .filter(|m| matches!(m.what, What::GoalMissed { .. }))
            .collect();
        assert!(!missed.is_empty(), "{slug}: the start misses a goal");
        for m in missed {
            assert!(m.because.is_some(), "{slug}: {:?} has no cause", m.what);
            assert!(m.at_s < 60.0, "{slug}: lost at {} s", m.at_s);
        }
        let s = lesson(slug, "solution.json", 1);
        well_formed(&s, slug);
        assert!(
            none_of(&s, |w| matches!(w, What::GoalMissed { .. })),
            "{slug}"
        );
    }
}

/// A healthy shop: users through a load balancer to two services, a cache in front of the
/// database, orders queued to idempotent workers that call a provider; everything at about a
/// third of its capacity.
fn healthy(seed: u64) -> Scenario {
    let doc = json!({ "version": 1, "seed": seed, "duration_s": 30, "components": [
        { "id": "users", "spec": { "kind": "client", "rate_per_sec": 200,
            "timeout_ms": 2000, "retry": { "max_attempts": 3 } } },
        { "id": "lb", "spec": { "kind": "load_balancer" } },
        { "id": "web1", "spec": { "kind": "service", "workers": 8,
            "service_time": { "dist": "exponential", "mean_ms": 10 }, "call_timeout_ms": 1000 } },
        { "id": "web2", "spec": { "kind": "service", "workers": 8,
            "service_time": { "dist": "exponential", "mean_ms": 10 }, "call_timeout_ms": 1000 } },
        { "id": "cache", "spec": { "kind": "cache", "capacity": 100000, "ttl_ms": 60000 } },
        { "id": "db", "spec": { "kind": "database", "pool_size": 8,
            "read_time": { "dist": "exponential", "mean_ms": 5 },
            "write_time": { "dist": "exponential", "mean_ms": 5 } } },
        { "id": "orders", "spec": { "kind": "queue" } },
        { "id": "senders", "spec": { "kind": "workers", "concurrency": 8,
            "job_time": { "dist": "exponential", "mean_ms": 5 }, "idempotent": true } },
        { "id": "mail", "spec": { "kind": "provider",
            "latency": { "dist": "exponential", "mean_ms": 20 } } }
      ], "wires": [
        { "from": "users", "to": "lb" }, { "from": "lb", "to": "web1" }, { "from": "lb", "to": "web2" },
        { "from": "web1", "to": "cache" }, { "from": "web2", "to": "cache" },
        { "from": "cache", "to": "db" },
        { "from": "web1", "to": "orders", "mode": "async" },
        { "from": "web2", "to": "orders", "mode": "async" },
        { "from": "orders", "to": "senders" }, { "from": "senders", "to": "mail" }
      ] });
    Scenario::from_json(&doc.to_string()).expect("a valid healthy scenario")
}

#[test]
fn a_healthy_system_raises_no_alarm_on_twenty_seeds() {
    for seed in 1..=20 {
        let r = told(&healthy(seed));
        assert!(r.moments.is_empty(), "seed {seed}: {:#?}", r.chain);
        assert!(r.markdown().contains("Nothing crossed a threshold"));
    }
}

#[test]
fn a_breaker_opens_on_a_crash_downstream_and_closes_after_it() {
    let mut api = service("api", 8, exp(5.0));
    api["spec"]["circuit_breaker"] =
        json!({ "failure_ratio": 0.5, "window_calls": 20, "open_ms": 500 });
    api["spec"]["call_timeout_ms"] = json!(100);
    let s = scenario(
        20.0,
        vec![client("users", 100.0), api, service("dep", 8, exp(5.0))],
        vec![wire("users", "api"), wire("api", "dep")],
        json!({ "faults": [{ "at_s": 5, "duration_s": 5,
            "fault": { "kind": "crash", "target": "dep" } }] }),
    );
    let r = told(&s);
    well_formed(&r, "breaker");
    let opens = find(&r, "api", |w| *w == What::BreakerOpens).expect("the breaker opens");
    assert!((5.0..6.0).contains(&opens.at_s), "opens at {}", opens.at_s);
    assert_eq!(
        root(&r, opens).what,
        What::FaultStarts {
            fault: "crash".into()
        }
    );
    let closes = find(&r, "api", |w| *w == What::BreakerCloses).expect("and closes");
    assert!(
        closes.at_s >= 10.0 && closes.at_s < 12.0,
        "closes at {}",
        closes.at_s
    );
    assert_eq!(
        cause(&r, closes).map(|m| &m.what),
        Some(&What::BreakerOpens)
    );
}

#[test]
fn an_autoscaler_stepping_out_and_in_is_told_with_its_counts() {
    let api = json!({ "id": "api", "spec": { "kind": "service", "workers": 4,
        "service_time": { "dist": "exponential", "mean_ms": 20 },
        "autoscale": { "min_workers": 2, "max_workers": 12, "target_utilisation": 0.6,
            "interval_ms": 5000, "warmup_ms": 5000, "cooldown_ms": 10000 } } });
    let s = scenario(
        120.0,
        vec![client("users", 100.0), api],
        vec![wire("users", "api")],
        json!({ "window_ms": 1000, "faults": [{ "at_s": 20, "duration_s": 30,
            "fault": { "kind": "traffic_spike", "target": "users", "multiplier": 4 } }] }),
    );
    let r = told(&s);
    well_formed(&r, "autoscale");
    let out = find(&r, "api", |w| *w == What::ScalesOut).expect("scales out");
    assert!(out.at_s >= 20.0 && out.value > out.threshold && out.value <= 12.0);
    let back = find(&r, "api", |w| *w == What::ScalesIn).expect("scales in");
    assert!(back.at_s > out.at_s && back.value < back.threshold);
    assert_eq!(cause(&r, back).map(|m| &m.what), Some(&What::ScalesOut));
}

#[test]
fn a_rate_limiter_turning_work_away_is_named_as_one() {
    let limiter = json!({ "id": "limit", "spec": { "kind": "rate_limiter",
        "rate_per_sec": 50, "burst": 10 } });
    let s = scenario(
        10.0,
        vec![
            client("users", 100.0),
            limiter,
            service("api", 8, constant(5.0)),
        ],
        vec![wire("users", "limit"), wire("limit", "api")],
        json!({}),
    );
    let r = told(&s);
    let refuses = find(&r, "limit", |w| matches!(w, What::Refuses { .. })).expect("limits");
    assert_eq!(refuses.what, What::Refuses { limiter: true });
    assert!(
        (30.0..80.0).contains(&refuses.value),
        "{} a second",
        refuses.value
    );
}

#[test]
fn a_fault_injected_live_is_told_when_it_happened_and_a_goal_when_it_was_lost() {
    let s = scenario(
        20.0,
        vec![client("users", 100.0), service("api", 4, exp(10.0))],
        vec![wire("users", "api")],
        json!({ "goals": [{ "label": "fast", "component": "users",
            "metric": "p99_ms", "compare": "<=", "target": 200 }] }),
    );
    let mut sim = Simulation::new(&s).unwrap();
    sim.run_until(SimTime::from_secs(4.0));
    let live = json!({ "command": "inject_fault", "at_s": 0,
        "fault": { "kind": "latency", "target": "api", "add_ms": 500 } });
    sim.apply(Command::from_json(&live.to_string()).unwrap())
        .unwrap();
    sim.run_until(SimTime::from_secs(9.0));
    sim.apply(Command::EndFault { index: 0 }).unwrap();
    sim.run();
    let r = report(&sim);
    well_formed(&r, "live");
    let starts = find(&r, "api", |w| matches!(w, What::FaultStarts { .. })).expect("starts");
    assert_eq!(starts.at_s, 4.0);
    let ends = find(&r, "api", |w| matches!(w, What::FaultEnds { .. })).expect("ends");
    assert_eq!(ends.at_s, 9.0);
    let missed = r
        .moments
        .iter()
        .find(|m| matches!(m.what, What::GoalMissed { .. }))
        .expect("the p99 goal is missed");
    // Lost after the fault began, not at the end of the run when it was judged.
    assert!(
        missed.at_s > 4.0 && missed.at_s < 10.0,
        "lost at {}",
        missed.at_s
    );
}
