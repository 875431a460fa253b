//! A world that holds whatever the learner adds or rewires: locks on a kind and on a call,
//! outcomes counted across the system (unfulfilled work, misread formats, jobs left unresolved),
//! and the shortcut search finding a planted shortcut and none once the world holds.
#![allow(clippy::expect_used, clippy::unwrap_used)] // A test may stop at the first broken expectation.

// The crate is published as `backend-playground-engine`; the tests call it by its short name.
extern crate backend_playground_engine as engine;

mod common;

use engine::conditions::{self, Change};
use engine::scenario::{GoalMetric, Lock, WireMode};
use engine::shortcuts::{Family, Search, Verdict};
use engine::{Command, Scenario, Simulation};
use serde_json::json;
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

/// Shoppers → API → a provider that fails one charge in ten; the shoppers and the provider
/// locked, the goals watching only the shoppers' success.
fn planted() -> Scenario {
    common::data("tests/data/shortcut-planted.json")
}

fn lock(s: &Scenario, path: &str) -> Lock {
    conditions::lock(s, path, "the world").expect("names something")
}

/// The planted world made to hold: the call to the provider is required, every provider is the
/// world's, and unfulfilled work is bounded.
fn held() -> Scenario {
    let mut s = planted();
    let calls = lock(&s, "calls:api->psp");
    let kind = lock(&s, "kind:provider");
    s.locked.extend([calls, kind]);
    let mut goals = serde_json::to_value(&s.goals).unwrap();
    goals
        .as_array_mut()
        .unwrap()
        .push(json!({"label": "Every payment answered was charged",
        "metric": "unfulfilled", "compare": "<=", "target": 0}));
    let mut tree: serde_json::Value = serde_json::from_str(&s.to_json()).unwrap();
    tree["goals"] = goals;
    let mut s = Scenario::from_json(&tree.to_string()).expect("reads");
    let goals = lock(&s, "goals");
    s.locked.retain(|l| l.path != "goals");
    s.locked.push(goals);
    s
}

fn changed(s: &Scenario) -> Vec<String> {
    conditions::changed(s)
        .iter()
        .map(|c: &Change| c.path.clone())
        .collect()
}

#[test]
fn the_search_finds_the_planted_shortcuts_and_none_once_the_world_holds() {
    let search = Search::new(&planted(), None, Vec::new(), vec![1, 2]).expect("search");
    let found = search.search(400, || {});
    assert!(!found.start_passes, "the start fails its goals");
    let keys: Vec<&str> = found.shortcuts().map(|f| f.edit.key.as_str()).collect();
    for planted in [
        "async api->psp",
        "optional api->psp true",
        "delete api->psp",
        "duplicate psp tuned",
    ] {
        assert!(keys.contains(&planted), "{planted} not found in {keys:?}");
    }
    // An answer holding one of them is named by it (a live room's facilitator sees which),
    // whatever else it changed; the start, and a change the search did not find, are not.
    let with = |edit: &dyn Fn(&mut serde_json::Value)| {
        let mut tree: serde_json::Value = serde_json::from_str(&planted().to_json()).unwrap();
        edit(&mut tree);
        Scenario::from_json(&tree.to_string()).expect("reads")
    };
    let made_async = with(&|t| {
        t["wires"][1]["mode"] = json!("async");
        t["components"][1]["name"] = json!("Renamed API");
    });
    let named = search.shortcuts_in(&found.found, &made_async);
    assert!(
        named.iter().any(|w| w.contains("asynchronous")),
        "{named:?}"
    );
    let deleted = with(&|t| {
        t["wires"].as_array_mut().unwrap().remove(1);
    });
    assert!(!search.shortcuts_in(&found.found, &deleted).is_empty());
    assert_eq!(
        search.shortcuts_in(&found.found, &planted()),
        Vec::<String>::new()
    );
    let renamed = with(&|t| t["components"][1]["name"] = json!("Renamed API"));
    assert_eq!(
        search.shortcuts_in(&found.found, &renamed),
        Vec::<String>::new()
    );
    let search = Search::new(&held(), None, Vec::new(), vec![1, 2]).expect("search");
    let found = search.search(400, || {});
    assert!(found.runs > 100, "the search ran: {}", found.runs);
    let left: Vec<&str> = found.shortcuts().map(|f| f.edit.words.as_str()).collect();
    assert!(left.is_empty(), "{left:?}");
}

/// Lesson 3 as it was: an API tier four times its load and a budget with room for it.
fn oversized_cashier() -> Scenario {
    let mut tree: serde_json::Value =
        serde_json::from_str(&common::lesson_start("03-one-cashier").to_json()).unwrap();
    tree["components"][1]["spec"]["workers"] = json!(64);
    let budget = |goals: &mut serde_json::Value| {
        let cost = goals
            .as_array_mut()
            .unwrap()
            .iter_mut()
            .find(|g| g["metric"] == "cost_per_hour")
            .unwrap();
        cost["target"] = json!(7.5);
    };
    budget(&mut tree["goals"]);
    let locks = tree["locked"].as_array_mut().unwrap();
    let goals = locks.iter_mut().find(|l| l["path"] == "goals").unwrap();
    budget(&mut goals["value"]);
    Scenario::from_json(&tree.to_string()).expect("reads")
}

/// The budget moves of a search that pass on seeds 1 and 2, by key.
fn passing_budget_moves(s: &Scenario) -> Vec<String> {
    let search = Search::new(s, None, Vec::new(), vec![1, 2]).expect("search");
    search
        .edits()
        .into_iter()
        .filter(|e| e.family == Family::Budget)
        .filter(|e| {
            search
                .apply(&[e])
                .is_ok_and(|scenario| search.run(&scenario).passed)
        })
        .map(|e| e.key)
        .collect()
}

#[test]
fn the_search_spends_an_oversized_tier_on_brute_force_and_finds_nothing_once_tiers_fit() {
    let found = passing_budget_moves(&oversized_cashier());
    assert!(
        found.contains(&"set api.workers 16 + set db.pool_size 16".to_string()),
        "a quarter of the API buys six connections: {found:?}"
    );
    assert!(
        passing_budget_moves(&common::lesson_start("03-one-cashier")).is_empty(),
        "the API sized to its load leaves nothing to move"
    );
}

#[test]
fn a_declared_alternative_and_the_solutions_own_change_are_not_shortcuts() {
    let start = planted();
    // A solution that gives the API retries is not what this world offers; a solution that
    // makes the wire optional is (its change is then the lesson's own).
    let mut tree: serde_json::Value = serde_json::from_str(&start.to_json()).unwrap();
    tree["wires"][1]["optional"] = json!(true);
    let solution = Scenario::from_json(&tree.to_string()).expect("reads");
    let accepted = vec![engine::shortcuts::Accepted {
        key: "async api->psp".into(),
        why: "a test says so".into(),
    }];
    let search = Search::new(&start, Some(&solution), accepted, vec![1]).expect("search");
    let found = search.search(200, || {});
    let verdict = |key: &str| {
        found
            .found
            .iter()
            .find(|f| f.edit.key == key)
            .map(|f| f.verdict.clone())
    };
    assert_eq!(verdict("optional api->psp true"), Some(Verdict::Solution));
    assert_eq!(
        verdict("async api->psp"),
        Some(Verdict::Accepted {
            why: "a test says so".into()
        })
    );
    assert_eq!(verdict("delete api->psp"), Some(Verdict::Shortcut));
}

#[test]
fn a_kind_lock_holds_a_component_the_learner_adds_and_names_it() {
    let s = held();
    let mut added = s.clone();
    let mut copy = added.components[2].clone();
    copy.id = "psp2".into();
    let engine::scenario::ComponentSpec::Provider(p) = &mut copy.spec else {
        panic!("a provider")
    };
    p.failure_probability = 0.0;
    added.components.push(copy.clone());
    assert_eq!(
        changed(&added),
        ["psp2"],
        "the reliable copy breaks the world"
    );
    // Added through the world's rules it starts as the world has it, and the kind's lock shows
    // on its inspector.
    let fresh = conditions::with_world(&s.locked, &copy.spec);
    assert_eq!(fresh, s.components[2].spec, "takes the world's values");
    let mut obeys = s.clone();
    copy.spec = fresh;
    obeys.components.push(copy);
    assert!(changed(&obeys).is_empty(), "{:?}", changed(&obeys));
    let locks = conditions::locks_on(&obeys, "psp2");
    assert_eq!(locks, [(String::new(), "the world".to_string())]);
    // A kind with no lock is left alone.
    let api = &s.components[1].spec;
    assert_eq!(&conditions::with_world(&s.locked, api), api);
}

#[test]
fn a_call_lock_holds_through_a_cache_but_not_a_fire_and_forget_or_an_ops_limit() {
    let s = held();
    let mut tree: serde_json::Value = serde_json::from_str(&s.to_json()).unwrap();
    // API → limiter → provider still waits for the provider.
    tree["components"]
        .as_array_mut()
        .unwrap()
        .push(json!({"id": "gate", "spec": {
        "kind": "rate_limiter", "rate_per_sec": 1000, "burst": 100}}));
    tree["wires"][1]["to"] = json!("gate");
    tree["wires"]
        .as_array_mut()
        .unwrap()
        .push(json!({"from": "gate", "to": "psp"}));
    let through = Scenario::from_json(&tree.to_string()).expect("reads");
    assert!(changed(&through).is_empty(), "{:?}", changed(&through));

    let mut tree: serde_json::Value = serde_json::from_str(&s.to_json()).unwrap();
    // The shoppers send payments; a wire that carries only reads carries none of them.
    tree["wires"][1]["ops"] = json!(["read"]);
    let limited = Scenario::from_json(&tree.to_string()).expect("reads");
    let change = &conditions::changed(&limited)[0];
    assert_eq!(change.path, "calls:api->psp");
    assert!(
        change
            .message()
            .starts_with("The call api → psp is no longer made and waited for, but the scenario"),
        "{}",
        change.message()
    );

    // Made asynchronous while running: the run says so and its goals do not count.
    let mut sim = Simulation::new(&s).expect("valid");
    sim.run_until(engine::SimTime::from_secs(1.0));
    assert!(sim.conditions_changed().is_empty());
    sim.apply(Command::SetWireMode {
        from: "api".into(),
        to: "psp".into(),
        mode: WireMode::Async,
    })
    .expect("applied");
    let paths: Vec<&str> = sim
        .conditions_changed()
        .iter()
        .map(|c| c.path.as_str())
        .collect();
    assert_eq!(paths, ["calls:api->psp"]);
}

/// The held world with the locks taken off, so a run can try what the locks refuse.
fn unlocked(mut s: Scenario) -> Scenario {
    s.locked.clear();
    s
}

fn unfulfilled(s: &Scenario) -> f64 {
    let mut sim = Simulation::new(s).expect("valid");
    sim.run();
    let g = sim.goals();
    g.iter()
        .find(|g| g.metric == GoalMetric::Unfulfilled)
        .expect("the goal")
        .measured
}

#[test]
fn unfulfilled_counts_failed_hand_offs_and_fallbacks_across_the_system() {
    let s = unlocked(held());
    assert_eq!(unfulfilled(&s), 0.0, "a synchronous call fails visibly");
    for (field, value) in [("mode", json!("async")), ("optional", json!(true))] {
        let mut tree: serde_json::Value = serde_json::from_str(&s.to_json()).unwrap();
        tree["wires"][1][field] = value;
        let edited = Scenario::from_json(&tree.to_string()).expect("reads");
        let n = unfulfilled(&edited);
        // 50 payments a second for 20 s, one in ten refused by the provider: about 100.
        assert!((50.0..=150.0).contains(&n), "{field}: {n}");
        let mut sim = Simulation::new(&edited).expect("valid");
        sim.run();
        let api = sim.totals("api").expect("api");
        assert_eq!(
            api.fallbacks + api.handoffs_failed,
            n as u64,
            "{field}: counted at the API"
        );
    }
}

#[test]
fn a_tolerant_reader_misreads_a_changed_format_and_a_pinned_one_does_not() {
    let lesson = common::lesson_start("07-pull-one-wire");
    let count = |accepts: serde_json::Value| {
        let mut tree: serde_json::Value = serde_json::from_str(&lesson.to_json()).unwrap();
        for c in tree["components"].as_array_mut().unwrap() {
            if c["id"] == "b" {
                c["spec"]["accepts_contract"] = accepts.clone();
            }
        }
        let s = unlocked(Scenario::from_json(&tree.to_string()).expect("reads"));
        let mut sim = Simulation::new(&s).expect("valid");
        sim.run();
        let b = sim.totals("b").expect("b");
        (b.misreads, b.contract_errors)
    };
    let (misread, errors) = count(json!(null));
    assert!(misread > 1_000, "every answer after the change: {misread}");
    assert_eq!(errors, 0, "and no error says so");
    let (misread, errors) = count(json!(1));
    assert_eq!(misread, 0);
    assert!(errors > 1_000, "a pinned reader fails loudly: {errors}");
}

#[test]
fn jobs_left_waiting_at_the_end_are_unresolved() {
    let lesson = common::lesson_start("04-nobody-got-the-email");
    let mut sim = Simulation::new(&lesson).expect("valid");
    sim.run();
    let ledger = sim.job_ledger();
    let goal = sim
        .goals()
        .into_iter()
        .find(|g| g.metric == GoalMetric::JobsUnresolved)
        .expect("the lesson bounds them");
    assert_eq!(goal.measured, ledger.in_flight as f64);
    // Half the mail workers leave a backlog the goal sees.
    let mut tree: serde_json::Value = serde_json::from_str(&lesson.to_json()).unwrap();
    for c in tree["components"].as_array_mut().unwrap() {
        if c["id"] == "mailers" {
            c["spec"]["concurrency"] = json!(4);
        }
    }
    let slow = unlocked(Scenario::from_json(&tree.to_string()).expect("reads"));
    let mut sim = Simulation::new(&slow).expect("valid");
    sim.run();
    let goal = sim
        .goals()
        .into_iter()
        .find(|g| g.metric == GoalMetric::JobsUnresolved)
        .expect("the goal");
    assert!(!goal.passed, "a backlog of {} fails it", goal.measured);
}

#[test]
fn a_misspelt_kind_or_call_lock_is_refused_by_name() {
    let mut s = held();
    s.locked.push(Lock {
        path: "kind:provder.latency".into(),
        value: json!(null),
        why: "typo".into(),
    });
    s.locked.push(Lock {
        path: "calls:api-psp".into(),
        value: json!(null),
        why: "typo".into(),
    });
    let err = Simulation::new(&s).expect_err("refused");
    let text = err.to_string();
    assert!(
        text.contains("\"provder\" is not a kind of component"),
        "{text}"
    );
    assert!(
        text.contains("a call is written calls:<from id>-><to id>"),
        "{text}"
    );
}
