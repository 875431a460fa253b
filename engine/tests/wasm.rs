//! Determinism across platforms: the digests below were produced natively; the same tests run
//! in wasm under Node (`cargo xtask test`) and must produce the same bits. The mechanism
//! scenarios between them use every component kind, fault and switch family.
#![allow(clippy::expect_used, clippy::unwrap_used)] // A test may stop at the first broken expectation.

// The crate is published as `backend-playground-engine`; the tests call it by its short name.
extern crate backend_playground_engine as engine;

mod common;

use engine::digest::digest;
use engine::Simulation;
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

fn run_digest(mut scenario: engine::Scenario, seed: u64) -> u64 {
    scenario.seed = seed;
    let mut sim = Simulation::new(&scenario).expect("valid");
    sim.run();
    assert!(sim.ledger().balances());
    digest(&sim)
}

#[test]
fn service_chain_run_digest_is_the_same_everywhere() {
    let d = run_digest(common::service_chain(1, 1_000.0, 20.0), 1);
    assert_eq!(d, EXPECTED_SERVICE_CHAIN, "digest {d:#x}");
}

#[test]
fn a_different_seed_gives_different_numbers() {
    let s = common::service_chain(1, 1_000.0, 20.0);
    assert_ne!(run_digest(s.clone(), 1), run_digest(s, 2));
}

/// Every lesson's starting scenario, from the one lesson list. A lesson with a recorded digest
/// must match it (natively and in wasm); a lesson added since has none yet, so it is checked to
/// give the same bits twice in a row and its digest is printed for recording.
#[test]
fn every_lesson_digest_is_the_same_everywhere() {
    let got: Vec<(&str, u64)> = common::lesson_slugs()
        .map(|slug| (slug, run_digest(common::lesson_start(slug), 1)))
        .collect();
    let report: String = got
        .iter()
        .map(|(n, d)| format!("    (\"{n}\", {d:#x}),\n"))
        .collect();
    for (slug, d) in &got {
        match EXPECTED_LESSONS.iter().find(|(s, _)| s == slug) {
            Some((_, expected)) => assert_eq!(d, expected, "{slug}: got\n{report}"),
            None => {
                assert_eq!(*d, run_digest(common::lesson_start(slug), 1), "{slug}");
                println!("{slug}: no digest recorded yet; record {d:#x}");
            }
        }
    }
    assert!(
        EXPECTED_LESSONS
            .iter()
            .all(|(s, _)| got.iter().any(|(g, _)| g == s)),
        "a recorded lesson is missing from lessons/:\n{report}"
    );
}

/// Recorded natively; a change here means the engine's numbers changed (say why in the commit).
const EXPECTED_SERVICE_CHAIN: u64 = 0x03ee_2c07_5cbc_624f;

/// Recorded natively with seed 1 (lessons 3 and 5 re-recorded when their numbers were reworked
/// so the shortcuts fail: a ramp from 60 to 520 users a second in 3; many users writing rarely and a four-connection
/// primary in 5; lesson 6's slowdown 100 ms, so capacity within the budget cannot absorb it;
/// lesson 4's tiers sized to their load, a 5-worker API and 20 mail workers, so the budget
/// leaves no room for brute force; likewise a 16-worker API in 3, 48 web and 8 order workers
/// in 6, 50 shop workers in 8; lesson 1's shoppers tapping twice and losing answers).
const EXPECTED_LESSONS: [(&str, u64); 8] = [
    ("01-paid-twice", 0x1c6b_f489_b24a_d5a2),
    ("02-launch-spike", 0x910d_8553_c91a_4fe9),
    ("03-one-cashier", 0xea2e_a405_8e2a_0b6b),
    ("04-nobody-got-the-email", 0xaaa1_fc30_31ce_26b4),
    ("05-two-answers", 0xd6fc_1d3e_9d3d_c2c5),
    ("06-the-logs-said-fine", 0x2fad_64a9_9547_bc35),
    ("07-pull-one-wire", 0x05ad_3c2b_7090_dd86),
    ("08-worked-on-my-machine", 0x4e47_79fe_6762_a8f8),
];
