//! The public API as the app and headless users drive it: stepping in bounded slices, flipping
//! switches and injecting faults mid-run, snapshots, goals, logs and traces.
#![allow(clippy::expect_used, clippy::unwrap_used)] // A test may stop at the first broken expectation.

// The crate is published as `backend-playground-engine`; the tests call it by its short name.
extern crate backend_playground_engine as engine;

mod common;

use engine::scenario::{ComponentSpec, Fault, FaultKind, IdempotencyMode, WireMode};
use engine::{Command, SimTime, Simulation};
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

fn paid_twice() -> Simulation {
    Simulation::new(&common::lesson_start("01-paid-twice")).expect("valid")
}

fn duplicates(sim: &Simulation) -> u64 {
    sim.metrics()[sim.topology().index_of("psp").expect("psp")]
        .totals
        .duplicates
}

#[test]
fn run_until_bounded_stays_inside_its_event_budget() {
    let mut sim = paid_twice();
    let reached = sim.run_until_bounded(SimTime::from_secs(10.0), 100);
    assert!(!reached);
    assert_eq!(sim.events_processed(), 100);
    assert!(sim.now() < SimTime::from_secs(10.0));
    while !sim.run_until_bounded(SimTime::from_secs(10.0), 1_000) {}
    assert_eq!(sim.now(), SimTime::from_secs(10.0));
    assert!(
        sim.version() >= 99,
        "a window closes every 100 ms: version {}",
        sim.version()
    );
}

#[test]
fn stepping_in_slices_gives_the_same_numbers_as_one_run() {
    let mut whole = paid_twice();
    whole.run_until(SimTime::from_secs(20.0));
    let mut sliced = paid_twice();
    let mut t: f64 = 0.0;
    while t < 20.0 {
        t += 0.016;
        while !sliced.run_until_bounded(SimTime::from_secs(t.min(20.0)), 97) {}
    }
    assert_eq!(
        engine::digest::digest(&whole),
        engine::digest::digest(&sliced)
    );
}

#[test]
fn flipping_idempotency_mid_run_stops_new_duplicates() {
    let mut sim = paid_twice();
    sim.run_until(SimTime::from_secs(30.0));
    let before = duplicates(&sim);
    assert!(before > 20, "{before}");
    let api = sim.topology().nodes[sim.topology().index_of("api").expect("api")]
        .spec
        .clone();
    let ComponentSpec::Service(mut spec) = api else {
        panic!("api is a service")
    };
    spec.idempotency = IdempotencyMode::AtomicReserve;
    sim.apply(Command::SetComponent {
        id: "api".into(),
        spec: ComponentSpec::Service(spec),
    })
    .expect("valid switch");
    // Attempts already in flight may still complete twice; give them time to drain.
    sim.run_until(SimTime::from_secs(40.0));
    let settled = duplicates(&sim);
    sim.run_until(SimTime::from_secs(60.0));
    assert_eq!(
        duplicates(&sim),
        settled,
        "no new duplicates once keys are reserved atomically"
    );
}

#[test]
fn invalid_commands_are_refused_and_change_nothing() {
    let mut sim = paid_twice();
    sim.run_until(SimTime::from_secs(5.0));
    let before = engine::digest::digest(&sim);
    let bad_spec = ComponentSpec::from_json(
        &serde_json::json!({
        "kind": "service", "workers": 0, "service_time": { "dist": "constant", "ms": -1 } })
        .to_string(),
    )
    .expect("well-formed");
    let err = sim
        .apply(Command::SetComponent {
            id: "api".into(),
            spec: bad_spec,
        })
        .expect_err("refused");
    assert!(
        err.to_string().contains("spec.workers")
            && err.to_string().contains("spec.service_time.ms"),
        "{err}"
    );
    let kind_change =
        ComponentSpec::from_json(r#"{ "kind": "dead_letter" }"#).expect("well-formed");
    assert!(sim
        .apply(Command::SetComponent {
            id: "api".into(),
            spec: kind_change
        })
        .is_err());
    assert!(sim
        .apply(Command::SetComponent {
            id: "nobody".into(),
            spec: ComponentSpec::DeadLetter(Default::default())
        })
        .is_err());
    let fault = Fault {
        at_s: 0.0,
        duration_s: None,
        fault: FaultKind::SlowQuery {
            target: "api".into(),
        },
    };
    assert!(sim.apply(Command::InjectFault(fault)).is_err());
    assert!(sim
        .apply(Command::SetWireMode {
            from: "psp".into(),
            to: "api".into(),
            mode: WireMode::Async
        })
        .is_err());
    assert_eq!(engine::digest::digest(&sim), before);
}

#[test]
fn an_injected_crash_shows_in_snapshot_logs_and_ledger() {
    let mut sim = paid_twice();
    sim.run_until(SimTime::from_secs(2.0));
    let fault = Fault {
        at_s: 0.0,
        duration_s: Some(3.0),
        fault: FaultKind::Crash {
            target: "psp".into(),
        },
    };
    sim.apply(Command::InjectFault(fault)).expect("valid fault");
    sim.run_until(SimTime::from_secs(3.0));
    let snap = sim.snapshot();
    let psp = snap.components.iter().find(|c| c.id == "psp").expect("psp");
    assert!(psp.crashed);
    assert!(sim
        .logs()
        .any(|l| l.level == engine::observe::Level::Error && l.message.contains("exited")));
    sim.run_until(SimTime::from_secs(8.0));
    assert!(
        !sim.snapshot().components.iter().any(|c| c.crashed),
        "recovered after 3 s"
    );
    assert!(sim.ledger().balances());
}

#[test]
fn traces_show_retries_and_duplicate_effects() {
    let mut scenario = common::lesson_start("01-paid-twice");
    scenario.trace_every = 1;
    let mut sim = Simulation::new(&scenario).expect("valid");
    sim.run_until(SimTime::from_secs(10.0));
    let traces: Vec<_> = sim.traces().collect();
    assert!(!traces.is_empty());
    let retried = traces.iter().any(|t| t.spans.iter().any(|s| s.attempt > 1));
    let duplicate = traces
        .iter()
        .any(|t| t.spans.iter().any(|s| s.note == "duplicate effect"));
    let timed_out = traces
        .iter()
        .any(|t| t.spans.iter().any(|s| s.note == "timed out"));
    assert!(
        retried && duplicate && timed_out,
        "retried {retried}, duplicate {duplicate}, timed out {timed_out}"
    );
    let nested = traces.iter().any(|t| {
        t.spans
            .iter()
            .any(|s| s.parent.is_some() && s.component == 2)
    });
    assert!(nested, "the provider call hangs under the API's span");
    for t in &traces {
        for s in &t.spans {
            if let Some(p) = s.parent {
                assert!(p < s.id, "a parent span starts before its child");
            }
        }
    }
}

#[test]
fn goals_report_measured_values_and_settle() {
    let mut sim = Simulation::new(&common::lesson_start("02-launch-spike")).expect("valid");
    sim.run_until(SimTime::from_secs(15.0));
    let goals = sim.goals();
    assert_eq!(goals.len(), 4, "three goals and the budget");
    assert!(
        goals.iter().all(|g| !g.settled),
        "no interval has ended at 15 s"
    );
    sim.run();
    let goals = sim.goals();
    assert!(goals.iter().all(|g| g.settled));
    assert!(
        goals[0].measured > 500.0,
        "p99 during the spike: {}",
        goals[0].measured
    );
    assert!(!goals[0].passed);
}

#[test]
fn a_rename_reaches_snapshots_and_names_and_changes_no_number() {
    let mut renamed = paid_twice();
    let mut plain = paid_twice();
    renamed.run_until(SimTime::from_secs(1.0));
    plain.run_until(SimTime::from_secs(1.0));
    renamed
        .apply(Command::Rename {
            id: "psp".into(),
            name: "Stripe-like provider".into(),
        })
        .expect("renamed");
    let name_of = |sim: &Simulation| {
        sim.snapshot()
            .components
            .iter()
            .find(|c| c.id == "psp")
            .map(|c| c.name.clone())
    };
    assert_eq!(name_of(&renamed).as_deref(), Some("Stripe-like provider"));
    renamed
        .apply(Command::Rename {
            id: "psp".into(),
            name: " ".into(),
        })
        .expect("renamed");
    assert_eq!(name_of(&renamed).as_deref(), Some("psp"), "no name: the id");
    assert!(renamed
        .apply(Command::Rename {
            id: "nobody".into(),
            name: "x".into(),
        })
        .is_err());
    renamed.run_until(SimTime::from_secs(5.0));
    plain.run_until(SimTime::from_secs(5.0));
    assert_eq!(renamed.metrics()[0].totals, plain.metrics()[0].totals);
}

#[test]
fn a_live_change_to_a_locked_condition_is_reported_for_the_rest_of_the_run() {
    let start = common::lesson_start("02-launch-spike");
    let mut sim = Simulation::new(&start).expect("valid");
    assert!(
        sim.conditions_changed().is_empty(),
        "the start keeps its own locks"
    );
    sim.run_until(SimTime::from_secs(2.0));

    // A switch the learner owns: no change of conditions.
    let mut api = start.components[1].spec.clone();
    if let engine::scenario::ComponentSpec::Service(s) = &mut api {
        s.queue_capacity = Some(30);
    }
    let cmd = engine::Command::SetComponent {
        id: "api".into(),
        spec: api,
    };
    sim.apply(cmd).expect("applied");
    assert!(sim.conditions_changed().is_empty());

    // The traffic: reported, naming the field, both values and why.
    let mut users = start.components[0].spec.clone();
    if let engine::scenario::ComponentSpec::Client(c) = &mut users {
        c.rate_per_sec = 30.0;
    }
    let cmd = engine::Command::SetComponent {
        id: "users".into(),
        spec: users,
    };
    sim.apply(cmd)
        .expect("applied: a locked change is reported, not refused");
    let changed = sim.conditions_changed();
    assert_eq!(changed.len(), 1);
    let message = changed[0].message();
    assert!(
        message.starts_with("users.rate_per_sec is 30, but the scenario holds it at 300 ("),
        "{message}"
    );

    // Changing it back does not undo seconds run under other conditions.
    let cmd = engine::Command::SetComponent {
        id: "users".into(),
        spec: start.components[0].spec.clone(),
    };
    sim.apply(cmd).expect("applied");
    assert_eq!(sim.conditions_changed().len(), 1);

    // A fault added while the faults are locked.
    let fault = start.faults[0].clone();
    sim.apply(engine::Command::InjectFault(fault))
        .expect("applied");
    let paths: Vec<&str> = sim
        .conditions_changed()
        .iter()
        .map(|c| c.path.as_str())
        .collect();
    assert_eq!(paths, ["users.rate_per_sec", "faults"]);
}

#[test]
fn locks_read_back_as_written_and_bad_ones_are_named() {
    let start = common::lesson_start("01-paid-twice");
    let again = engine::Scenario::from_json(&start.to_json()).expect("reads back");
    assert_eq!(again.locked, start.locked);
    assert!(!start.locked.is_empty());

    let mut bad = start.clone();
    bad.locked[0].path = String::new();
    bad.locked[1].why = "x".repeat(301);
    let problems = Simulation::new(&bad).expect_err("refused").problems;
    let fields: Vec<&str> = problems.iter().map(|p| p.field.as_str()).collect();
    assert_eq!(fields, ["locked[0].path", "locked[1].why"]);

    let mut removed = start.clone();
    removed.components.retain(|c| c.id != "psp");
    removed.wires.retain(|w| w.to != "psp");
    removed
        .goals
        .retain(|g| g.component.as_deref() != Some("psp"));
    let sim = Simulation::new(&removed).expect("valid without the provider");
    let found: Vec<(&str, &str)> = sim
        .conditions_changed()
        .iter()
        .map(|c| (c.path.as_str(), c.found.as_str()))
        .collect();
    // The duplicates goal counts every provider, so the goals still hold; the call to the
    // provider the lesson requires is gone with it.
    assert_eq!(found, [("psp", "gone"), ("calls:api->psp", "gone")]);
    assert!(sim.conditions_changed()[0]
        .message()
        .starts_with("psp was removed, but"));
}

#[test]
fn an_optional_call_that_fails_lets_the_request_carry_on() {
    let text = |optional: bool| {
        serde_json::json!({
            "version": 1, "duration_s": 10,
            "components": [
                { "id": "users", "spec": { "kind": "client", "rate_per_sec": 50 } },
                { "id": "web", "spec": { "kind": "service", "workers": 10,
                    "service_time": { "dist": "constant", "ms": 1 } } },
                { "id": "recs", "spec": { "kind": "service", "workers": 10,
                    "service_time": { "dist": "constant", "ms": 1 }, "error_probability": 1.0 } }
            ],
            "wires": [ { "from": "users", "to": "web" },
                       { "from": "web", "to": "recs", "optional": optional } ]
        })
        .to_string()
    };
    let ok_share = |sim: &Simulation| {
        let l = sim.ledger();
        l.succeeded as f64 / (l.succeeded + l.failed).max(1) as f64
    };
    let mut required =
        Simulation::new(&engine::Scenario::from_json(&text(false)).expect("valid")).expect("valid");
    required.run();
    assert_eq!(
        ok_share(&required),
        0.0,
        "a failing required call fails the request"
    );

    let optional_file = engine::Scenario::from_json(&text(true)).expect("valid");
    assert!(
        optional_file.to_json().contains("\"optional\": true"),
        "written back"
    );
    assert!(
        !engine::Scenario::from_json(&text(false))
            .expect("valid")
            .to_json()
            .contains("optional"),
        "left out when off"
    );
    let mut optional = Simulation::new(&optional_file).expect("valid");
    optional.run_until(SimTime::from_secs(5.0));
    assert_eq!(
        ok_share(&optional),
        1.0,
        "the request carries on without the answer"
    );
    assert!(optional
        .logs()
        .any(|l| l.message.contains("carrying on without recs")));
    let web = optional.metrics()[1].totals;
    assert!(
        web.fallbacks > 100,
        "counted as fallbacks: {}",
        web.fallbacks
    );
    assert_eq!(
        web.errors + web.timeouts,
        0,
        "not as the web tier's own failures"
    );

    // Switched off mid-run: from then on the failures reach the users.
    let off = Command::SetWireOptional {
        from: "web".into(),
        to: "recs".into(),
        optional: false,
    };
    optional.apply(off).expect("applied");
    optional.run();
    assert!(ok_share(&optional) < 0.6, "{}", ok_share(&optional));
    let none = Command::SetWireOptional {
        from: "web".into(),
        to: "users".into(),
        optional: true,
    };
    assert!(optional.apply(none).is_err(), "no such wire");
}

#[test]
fn an_idempotent_worker_whose_send_failed_sends_again_on_redelivery() {
    let doc = serde_json::json!({
        "version": 1, "duration_s": 12,
        "components": [
            { "id": "signups", "spec": { "kind": "client", "rate_per_sec": 50,
                "mix": [ { "op": "job", "weight": 1 } ] } },
            { "id": "api", "spec": { "kind": "service", "workers": 10,
                "service_time": { "dist": "constant", "ms": 1 } } },
            { "id": "jobs", "spec": { "kind": "queue", "max_deliveries": 100, "retry_backoff_ms": 500 } },
            { "id": "mailers", "spec": { "kind": "workers", "concurrency": 10,
                "job_time": { "dist": "constant", "ms": 5 }, "idempotent": true } },
            { "id": "email", "spec": { "kind": "provider",
                "latency": { "dist": "constant", "ms": 5 } } }
        ],
        "wires": [ { "from": "signups", "to": "api" }, { "from": "api", "to": "jobs" },
                   { "from": "jobs", "to": "mailers" }, { "from": "mailers", "to": "email" } ],
        "faults": [ { "at_s": 2, "duration_s": 2,
                      "fault": { "kind": "errors", "target": "email", "probability": 1.0 } } ]
    });
    let scenario = engine::Scenario::from_json(&doc.to_string()).expect("valid");
    let mut sim = Simulation::new(&scenario).expect("valid");
    sim.run();
    let jobs = sim.job_ledger();
    let email = sim.metrics()[4].totals;
    assert!(jobs.delivered > 400, "{jobs:?}");
    // Every delivered job sent its email: none was marked done by the failed attempt.
    assert_eq!(
        email.effects - email.duplicates,
        jobs.delivered,
        "emails sent {} (duplicates {}), jobs delivered {}",
        email.effects,
        email.duplicates,
        jobs.delivered
    );
}

#[test]
fn the_work_a_file_can_demand_is_bounded_by_its_windows() {
    let file = |duration_s: f64, window_ms: f64| {
        let doc = serde_json::json!({
            "version": 1, "duration_s": duration_s, "window_ms": window_ms,
            "components": [
                { "id": "users", "spec": { "kind": "client", "rate_per_sec": 1 } },
                { "id": "api", "spec": { "kind": "service", "workers": 1,
                    "service_time": { "dist": "constant", "ms": 1 } } }
            ],
            "wires": [ { "from": "users", "to": "api" } ]
        });
        engine::Scenario::from_json(&doc.to_string()).expect("readable")
    };
    // A week in 1 ms windows: refused, saying what would do.
    let week = Simulation::new(&file(604_800.0, 1.0))
        .expect_err("refused")
        .problems;
    assert_eq!(week.len(), 1);
    assert_eq!(week[0].field, "window_ms");
    assert!(
        week[0].message.contains("windows of at least 13 ms"),
        "{}",
        week[0].message
    );
    // At the limit (two components, 50 million windows each) it is accepted; one second more
    // is not.
    assert!(Simulation::new(&file(50_000.0, 1.0)).is_ok());
    assert!(Simulation::new(&file(50_001.0, 1.0)).is_err());
    // The suggestion holds: a week in 13 ms windows is accepted.
    assert!(Simulation::new(&file(604_800.0, 13.0)).is_ok());
}

#[test]
fn commands_read_from_json_as_written_and_bad_ones_are_named() {
    let texts = [
        r#"{"command":"set","path":"api.idempotency","value":"atomic_reserve"}"#,
        r#"{"command":"set_wire_mode","from":"api","to":"psp","mode":"async"}"#,
        r#"{"command":"set_wire_optional","from":"api","to":"psp","optional":true}"#,
        r#"{"command":"inject_fault","at_s":3,"duration_s":2,"fault":{"kind":"crash","target":"psp"}}"#,
        r#"{"command":"end_fault","index":0}"#,
        r#"{"command":"rename","id":"api","name":"Checkout API"}"#,
    ];
    for text in texts {
        let command = Command::from_json(text).expect(text);
        let again = Command::from_json(&command.to_json()).expect("reads back");
        assert_eq!(again, command, "{text}");
    }
    let spec = Command::SetComponent {
        id: "api".into(),
        spec: ComponentSpec::example("service").expect("a service"),
    };
    assert_eq!(Command::from_json(&spec.to_json()), Ok(spec));
    for (text, names) in [
        (r#"{"command":"explode"}"#, "unknown variant `explode`"),
        (
            r#"{"command":"set","path":"api.workers"}"#,
            "missing field `value`",
        ),
        (r#"{"command":"end_fault","index":-1}"#, "index"),
        (
            r#"{"command":"rename","id":"api","name":"x","colour":1}"#,
            "unknown field `colour`",
        ),
        ("[1, 2", "EOF"),
    ] {
        // One structured problem: the text could not be read, where and why.
        let err = Command::from_json(text).expect_err(text);
        assert_eq!(err.problems.len(), 1, "{text}");
        assert_eq!(err.problems[0].subject, engine::topology::Subject::File);
        assert!(err.to_string().contains(names), "{text}: {err}");
    }
}

#[test]
fn a_field_set_by_path_acts_like_the_whole_component_and_is_checked_the_same() {
    let mut by_path = paid_twice();
    let mut whole = paid_twice();
    for sim in [&mut by_path, &mut whole] {
        sim.run_until(SimTime::from_secs(20.0));
    }
    by_path
        .apply(Command::Set {
            path: "api.idempotency".into(),
            value: serde_json::json!("atomic_reserve"),
        })
        .expect("a valid switch");
    let ComponentSpec::Service(mut spec) = whole.topology().nodes
        [whole.topology().index_of("api").expect("api")]
    .spec
    .clone() else {
        panic!("api is a service")
    };
    spec.idempotency = IdempotencyMode::AtomicReserve;
    whole
        .apply(Command::SetComponent {
            id: "api".into(),
            spec: ComponentSpec::Service(spec),
        })
        .expect("valid");
    for sim in [&mut by_path, &mut whole] {
        sim.run_until(SimTime::from_secs(60.0));
    }
    assert_eq!(
        engine::digest::digest(&by_path),
        engine::digest::digest(&whole)
    );

    let before = engine::digest::digest(&by_path);
    for (path, value, names) in [
        ("api.workers", serde_json::json!(0), "workers"),
        ("api.workers", serde_json::json!("many"), "api.workers"),
        (
            "nobody.workers",
            serde_json::json!(3),
            "no component has the id",
        ),
        ("api.workers.extra", serde_json::json!(3), "plain value"),
        (
            "api.colour",
            serde_json::json!("red"),
            "unknown field `colour`",
        ),
    ] {
        let err = by_path
            .apply(Command::Set {
                path: path.into(),
                value,
            })
            .expect_err(path);
        assert!(err.to_string().contains(names), "{path}: {err}");
    }
    assert_eq!(engine::digest::digest(&by_path), before, "refused whole");
}

#[test]
fn an_ended_fault_stops_now_and_one_not_started_never_starts() {
    let crash = |at_s: f64| Fault {
        at_s,
        duration_s: None,
        fault: FaultKind::Crash {
            target: "psp".into(),
        },
    };
    let crashed = |sim: &Simulation| {
        sim.snapshot()
            .components
            .iter()
            .any(|c| c.id == "psp" && c.crashed)
    };
    let mut sim = paid_twice();
    sim.apply(Command::InjectFault(crash(2.0))).expect("valid");
    sim.apply(Command::InjectFault(crash(20.0))).expect("valid");
    sim.run_until(SimTime::from_secs(5.0));
    assert!(crashed(&sim));
    sim.apply(Command::EndFault { index: 0 }).expect("active");
    sim.apply(Command::EndFault { index: 1 }).expect("waiting");
    assert!(!crashed(&sim), "recovered at once");
    sim.apply(Command::EndFault { index: 0 })
        .expect("ending twice is allowed and changes nothing");
    sim.run_until(SimTime::from_secs(30.0));
    assert!(!crashed(&sim), "the second crash never started");
    let err = sim
        .apply(Command::EndFault { index: 2 })
        .expect_err("only two faults");
    assert!(err.to_string().contains("has 2"), "{err}");
    assert!(sim.ledger().balances());
}

#[test]
fn check_goals_names_each_failing_goal_readably_and_passes_a_solved_run() {
    let mut start = paid_twice();
    start.run();
    let report = start.check_goals().expect_err("the start double-charges");
    let text = format!("{report:?}");
    assert!(
        text.starts_with("1 of 4 goals failed at 60.0 s simulated")
            && text.contains("FAIL Nobody is charged twice, by any provider: duplicates measured")
            && text.contains("the goal is at most 0"),
        "{text}"
    );
    assert_eq!(text, report.to_string(), "Debug reads as Display");
    let dupes = start.totals("psp").expect("psp").duplicates;
    assert!(text.contains(&format!("measured {dupes},")), "{text}");
    assert!(start.totals("nobody").is_none());

    let mut solved =
        Simulation::new(&common::data("lessons/01-paid-twice/solution.json")).expect("valid");
    solved.run();
    assert_eq!(solved.check_goals(), Ok(()));

    let mut changed = paid_twice();
    changed
        .apply(Command::Set {
            path: "shoppers.rate_per_sec".into(),
            value: serde_json::json!(1),
        })
        .expect("valid, though locked");
    changed.run();
    let text = changed.check_goals().expect_err("changed").to_string();
    assert!(text.contains("so no goal counts"), "{text}");
}

#[allow(dead_code)] // The benchmarks' models; this file uses the one at the limits.
#[path = "../../xtask/bench/reference.rs"]
mod reference;

#[test]
fn a_file_at_the_limits_keeps_a_bounded_history_and_short_runs_keep_only_their_own() {
    let big = reference::at_the_limits(60.0);
    let kept = engine::simulation::history_limit(&big);
    let per_window = std::mem::size_of::<engine::metrics::Window>();
    assert!(
        kept * per_window * 500 <= engine::simulation::HISTORY_BYTES,
        "{kept}"
    );
    assert!(kept >= 300, "still half a minute of 100 ms windows: {kept}");
    let mut sim = Simulation::new(&big).expect("valid at the limits");
    sim.run();
    assert!(sim.metrics().iter().all(|m| m.history.len() == kept));
    // Not a window of room past the limit: growing by doubling used to take the capacity to
    // the next power of two (512 for 350 here; 32,768 for the 17,476 an hour-long ten-component
    // run keeps), up to twice the memory `HISTORY_BYTES` allows.
    for m in sim.metrics() {
        assert!(
            m.history.capacity() <= kept,
            "capacity {} for a limit of {kept}",
            m.history.capacity()
        );
    }

    // Ten components keep the whole half hour; a short run only what it has.
    let mut long = common::lesson_start("01-paid-twice");
    long.duration_s = 7_200.0;
    assert_eq!(
        engine::simulation::history_limit(&long),
        engine::simulation::HISTORY_WINDOWS
    );
    let short = common::lesson_start("01-paid-twice");
    assert_eq!(
        engine::simulation::history_limit(&short),
        (short.duration_s * 1000.0 / short.window_ms) as usize + 1
    );
}
