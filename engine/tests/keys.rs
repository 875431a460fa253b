//! Idempotency keys end to end: a user who submits twice or never hears the answer, a service
//! that remembers keys or passes them on, and a provider that honours the keys it is given.
//! The point of lesson 1: the server side must hold the key whatever the client does.
#![allow(clippy::expect_used, clippy::unwrap_used)] // A test may stop at the first broken expectation.

// The crate is published as `backend-playground-engine`; the tests call it by its short name.
extern crate backend_playground_engine as engine;

mod common;

use engine::{Scenario, Simulation};
use serde_json::{json, Value};
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

/// What the shoppers do: how often they submit twice or lose the answer, how long they wait,
/// how many attempts they make.
#[derive(Clone, Copy)]
struct Shoppers {
    double_submit: f64,
    reply_loss: f64,
    timeout_ms: f64,
    attempts: u32,
}

/// What the payments side does with keys.
#[derive(Clone, Copy)]
struct Server {
    idempotency: &'static str,
    forward_keys: bool,
    /// How long the provider remembers a key (None: it honours none).
    provider_key_ttl_ms: Option<f64>,
}

const NO_KEYS: Server = Server {
    idempotency: "off",
    forward_keys: false,
    provider_key_ttl_ms: Some(86_400_000.0),
};

/// Shoppers → payments API → a provider whose charge takes a constant 300 ms, for 30 s at 40
/// payments a second.
fn payments(shoppers: Shoppers, server: Server) -> Scenario {
    let doc = json!({
        "version": 1, "seed": 3, "duration_s": 30,
        "components": [
            { "id": "shoppers", "spec": { "kind": "client", "rate_per_sec": 40,
                "mix": [{ "op": "payment", "weight": 1 }], "idempotency_keys": true,
                "timeout_ms": shoppers.timeout_ms,
                "retry": { "max_attempts": shoppers.attempts, "backoff_ms": 300, "jitter": "equal" },
                "double_submit": shoppers.double_submit, "reply_loss": shoppers.reply_loss } },
            { "id": "api", "spec": { "kind": "service", "workers": 64,
                "service_time": common::constant(2.0), "idempotency": server.idempotency,
                "forward_keys": server.forward_keys } },
            { "id": "psp", "spec": { "kind": "provider", "latency": common::constant(300.0),
                "key_ttl_ms": server.provider_key_ttl_ms } }
        ],
        "wires": [common::wire("shoppers", "api"), common::wire("api", "psp")]
    });
    Scenario::from_json(&doc.to_string()).expect("valid")
}

/// Runs to the end: (duplicate charges, charges, requests the shoppers sent that have ended, of
/// which succeeded).
fn run(s: &Scenario) -> (u64, u64, u64, u64) {
    let mut sim = Simulation::new(s).expect("valid");
    sim.run();
    let psp = &sim.metrics()[sim.topology().index_of("psp").expect("psp")].totals;
    let l = sim.ledger();
    (
        psp.duplicates,
        psp.effects,
        l.entered - l.in_flight,
        l.succeeded,
    )
}

/// Shoppers who never retry and wait 30 s, but one in ten taps Pay twice.
const PATIENT_DOUBLE_TAPPERS: Shoppers = Shoppers {
    double_submit: 0.1,
    reply_loss: 0.0,
    timeout_ms: 30_000.0,
    attempts: 1,
};

#[test]
fn a_double_submission_charges_twice_however_patient_the_client_unless_the_key_is_reserved() {
    let plain = payments(
        Shoppers {
            double_submit: 0.0,
            ..PATIENT_DOUBLE_TAPPERS
        },
        NO_KEYS,
    );
    let (dupes, effects, sent, ok) = run(&plain);
    assert_eq!(dupes, 0, "one tap, no retries: one charge each");
    assert_eq!((sent, ok), (effects, effects), "every payment charged once");

    let (dupes, effects, sent, _) = run(&payments(PATIENT_DOUBLE_TAPPERS, NO_KEYS));
    let payments_made = effects - dupes;
    let extra = sent - payments_made;
    assert!(
        (80..=160).contains(&extra),
        "about one payment in ten is sent twice: {extra} of {payments_made}"
    );
    assert_eq!(
        dupes, extra,
        "with no key held, every second tap charges again"
    );

    let naive = Server {
        idempotency: "check_after_completion",
        ..NO_KEYS
    };
    let (naive_dupes, ..) = run(&payments(PATIENT_DOUBLE_TAPPERS, naive));
    assert!(
        naive_dupes > 0 && naive_dupes < dupes,
        "a key remembered after the charge catches only the taps that come after it: {naive_dupes} of {dupes}"
    );

    let atomic = Server {
        idempotency: "atomic_reserve",
        ..NO_KEYS
    };
    let (dupes, effects, sent, ok) = run(&payments(PATIENT_DOUBLE_TAPPERS, atomic));
    assert_eq!(
        dupes, 0,
        "a key reserved before the charge stops the second tap"
    );
    assert!(ok < sent, "a second tap is refused while the first runs");
    assert!(
        ok > effects,
        "a second tap after the first finished gets its answer, not a charge"
    );
}

#[test]
fn an_answer_lost_after_the_charge_charges_again_on_retry_unless_the_key_is_remembered() {
    let losing = Shoppers {
        double_submit: 0.0,
        reply_loss: 0.1,
        timeout_ms: 30_000.0,
        attempts: 4,
    };
    let (dupes, effects, _, ok) = run(&payments(losing, NO_KEYS));
    let payments_made = effects - dupes;
    assert!(
        (80..=160).contains(&dupes),
        "about one answer in ten is lost and its retry charges again: {dupes} of {payments_made}"
    );
    assert!(
        ok + 5 >= payments_made,
        "the retries get their answers: {ok} of {payments_made}"
    );

    // The retry comes after the first charge finished, so even a key checked after completion
    // holds here.
    let naive = Server {
        idempotency: "check_after_completion",
        ..NO_KEYS
    };
    let (dupes, ..) = run(&payments(losing, naive));
    assert_eq!(dupes, 0, "the retry finds the finished charge's answer");
}

#[test]
fn a_provider_honours_the_keys_it_is_given_and_only_those() {
    let both = Shoppers {
        double_submit: 0.1,
        reply_loss: 0.1,
        timeout_ms: 1_000.0,
        attempts: 6,
    };
    let (dupes, ..) = run(&payments(both, NO_KEYS));
    assert!(dupes > 100, "the API keeps the key to itself: {dupes}");

    let forwarded = Server {
        forward_keys: true,
        ..NO_KEYS
    };
    let (dupes, effects, _, ok) = run(&payments(both, forwarded));
    assert_eq!(dupes, 0, "the provider charges once per key it is given");
    assert!(
        ok >= effects,
        "refused repeats retry and get the first answer: {ok} answers for {effects} charges"
    );

    let forgetful = Server {
        forward_keys: true,
        provider_key_ttl_ms: None,
        ..NO_KEYS
    };
    let (dupes, ..) = run(&payments(both, forgetful));
    assert!(dupes > 100, "a provider that honours no keys: {dupes}");

    let mut unkeyed: Value = serde_json::from_str(&payments(both, forwarded).to_json()).unwrap();
    unkeyed["components"][0]["spec"]["idempotency_keys"] = json!(false);
    let (dupes, ..) = run(&Scenario::from_json(&unkeyed.to_string()).unwrap());
    assert!(
        dupes > 100,
        "a client that sends no key: nothing to pass on: {dupes}"
    );
}

#[test]
fn nothing_new_is_drawn_while_the_new_fields_are_off() {
    // A file written before these fields existed runs exactly as it did: the same numbers for
    // the same seed, with no extra random draws.
    let old = common::lesson_start("02-launch-spike");
    let mut a = Simulation::new(&old).expect("valid");
    a.run();
    let mut text: Value = serde_json::from_str(&old.to_json()).unwrap();
    text["components"][0]["spec"]["double_submit"] = json!(0.0);
    text["components"][0]["spec"]["reply_loss"] = json!(0.0);
    let mut b = Simulation::new(&Scenario::from_json(&text.to_string()).unwrap()).expect("valid");
    b.run();
    assert_eq!(a.ledger(), b.ledger());
}

#[test]
fn a_lock_written_before_a_field_existed_still_holds_and_a_change_to_it_breaks_it() {
    let doc = |double_submit: f64| {
        json!({
            "version": 1, "duration_s": 1,
            "components": [
                { "id": "users", "spec": { "kind": "client", "rate_per_sec": 10,
                    "double_submit": double_submit } },
                { "id": "web", "spec": { "kind": "service", "workers": 2,
                    "service_time": common::constant(1.0) } }
            ],
            "wires": [common::wire("users", "web")],
            // As an older version wrote it: no double_submit, reply_loss or key fields.
            "locked": [
                { "path": "users", "why": "the users",
                  "value": { "kind": "client", "rate_per_sec": 10 } },
                { "path": "kind:client", "why": "every client",
                  "value": { "kind": "client", "rate_per_sec": 10 } }
            ]
        })
        .to_string()
    };
    let held = Scenario::from_json(&doc(0.0)).expect("reads");
    assert!(engine::conditions::changed(&held).is_empty());
    let again = Scenario::from_json(&held.to_json()).expect("reads back");
    assert_eq!(
        again.locked, held.locked,
        "written back as the writer writes specs"
    );

    let broken = Scenario::from_json(&doc(0.5)).expect("reads");
    let paths: Vec<String> = engine::conditions::changed(&broken)
        .into_iter()
        .map(|c| c.path)
        .collect();
    assert_eq!(paths, ["users"]);
}
