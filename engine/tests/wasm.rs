//! Determinism across platforms: the digests below were produced natively; the same tests run
//! in wasm under Node (`cargo xtask test`) and must produce the same bits. The mechanism
//! scenarios between them use every component kind, fault and switch family.
#![allow(clippy::expect_used, clippy::unwrap_used)] // A test may stop at the first broken expectation.

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
fn ten_component_run_digest_is_the_same_everywhere() {
    let d = run_digest(common::ten_components(1, 1_000.0, 20.0), 1);
    assert_eq!(d, EXPECTED_TEN_COMPONENTS, "digest {d:#x}");
}

#[test]
fn a_different_seed_gives_different_numbers() {
    let s = common::ten_components(1, 1_000.0, 20.0);
    assert_ne!(run_digest(s.clone(), 1), run_digest(s, 2));
}

#[test]
fn every_mechanism_digest_is_the_same_everywhere() {
    let got: Vec<(&str, u64)> = EXPECTED_MECHANISMS
        .iter()
        .map(|(name, _)| {
            (
                *name,
                run_digest(common::data(&format!("mechanisms/{name}")), 1),
            )
        })
        .collect();
    let report: String = got
        .iter()
        .map(|(n, d)| format!("    (\"{n}\", {d:#x}),\n"))
        .collect();
    for ((name, expected), (_, d)) in EXPECTED_MECHANISMS.iter().zip(&got) {
        assert_eq!(d, expected, "{name}: got\n{report}");
    }
}

/// Recorded natively; a change here means the engine's numbers changed (say why in the commit).
const EXPECTED_TEN_COMPONENTS: u64 = 0x9083_1c41_5aaf_f670;

/// Recorded natively with seed 1.
const EXPECTED_MECHANISMS: [(&str, u64); 8] = [
    ("1-paid-twice.json", 0xdc53_b0ce_1d70_4029),
    ("2-launch-spike.json", 0x040f_6f34_5d15_f92e),
    ("3-one-cashier.json", 0xf15c_29cc_50d1_ee53),
    ("4-nobody-got-the-email.json", 0xfb8a_1f9c_29dc_1398),
    ("5-two-answers.json", 0xec3e_c115_66bc_c78d),
    ("6-the-logs-said-fine.json", 0x30a6_6b71_48be_53b4),
    ("7-pull-one-wire.json", 0x9ebc_0e84_66f6_88eb),
    ("8-worked-on-my-machine.json", 0xfb4f_44af_3cf4_bda5),
];
