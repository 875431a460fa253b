//! The proof behind every lesson: for five seeds, the starting scenario fails at least one of
//! its goals (and already does within the first 30 simulated seconds, so the failure shows on
//! the charts early), and the solved scenario passes every goal. Runs natively and in wasm.
#![allow(clippy::expect_used, clippy::unwrap_used)] // A test may stop at the first broken expectation.

mod common;

use common::{data, lesson_slugs};
use engine::{SimTime, Simulation};
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

const SEEDS: [u64; 5] = [1, 2, 3, 4, 5];

fn report(sim: &Simulation) -> String {
    sim.goals()
        .iter()
        .map(|g| {
            format!(
                "  {} {} = {:.3}\n",
                if g.passed { "PASS" } else { "FAIL" },
                g.label,
                g.measured
            )
        })
        .collect()
}

#[test]
fn every_lesson_fails_at_the_start_and_passes_when_solved() {
    for lesson in lesson_slugs() {
        for seed in SEEDS {
            let mut start = data(&format!("lessons/{lesson}/start.json"));
            start.seed = seed;
            assert!(!start.goals.is_empty(), "{lesson} has goals");
            let mut sim = Simulation::new(&start).expect("valid start");
            sim.run_until(SimTime::from_secs(30.0));
            assert!(
                sim.goals().iter().any(|g| !g.passed),
                "{lesson} seed {seed}: the failure shows by 30 s:\n{}",
                report(&sim)
            );
            sim.run();
            assert!(
                sim.goals().iter().any(|g| !g.passed),
                "{lesson} seed {seed}: the start fails a goal:\n{}",
                report(&sim)
            );

            let mut solution = data(&format!("lessons/{lesson}/solution.json"));
            solution.seed = seed;
            assert_eq!(
                solution.goals, start.goals,
                "{lesson}: the solution is judged by the same goals"
            );
            let mut sim = Simulation::new(&solution).expect("valid solution");
            sim.run();
            assert!(
                sim.goals().iter().all(|g| g.passed),
                "{lesson} seed {seed}: the solution passes:\n{}",
                report(&sim)
            );
        }
    }
}
