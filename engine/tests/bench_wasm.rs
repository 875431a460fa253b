//! The engine's speed in WebAssembly under Node, on the same reference models as the native
//! `playground bench`. Ignored in the test suite (a benchmark, not a test); `cargo xtask bench`
//! runs it with `--include-ignored` and prints the figures.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::disallowed_methods)]

// The crate is published as `backend-playground-engine`; the tests call it by its short name.
extern crate backend_playground_engine as engine;

#[path = "../../xtask/bench/reference.rs"]
mod reference;

use engine::{Scenario, Simulation};
use reference::{at_the_limits, mmc, ten_components};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{console_log, wasm_bindgen_test};

fn best_rate(scenario: &Scenario, runs: usize) -> (f64, u64) {
    let mut best = (0.0, 0);
    for _ in 0..runs {
        let mut sim = Simulation::new(scenario).expect("valid");
        let start = js_sys::Date::now();
        sim.run();
        let secs = (js_sys::Date::now() - start) / 1_000.0;
        let rate = sim.events_processed() as f64 / secs.max(1e-9);
        if rate > best.0 {
            best = (rate, sim.events_processed());
        }
    }
    best
}

#[wasm_bindgen_test]
#[ignore]
fn bench_reference_models_in_wasm() {
    let (mm1, events) = best_rate(&mmc(1, 800.0, 1.0, 2_500.0), 3);
    console_log!(
        "wasm    bare M/M/1 (rho 0.8, 2M customers):      {:>6.2} M events/s  ({events} events)",
        mm1 / 1e6
    );
    let (ten, events) = best_rate(&ten_components(1_000.0, 600.0), 3);
    console_log!(
        "wasm    ten-component topology (1,000 req/s):      {:>6.2} M events/s  ({events} events)",
        ten / 1e6
    );

    // The module's whole linear memory after a run of a file at the documented limits: what a
    // browser tab or Node process gives the engine (it never shrinks, so this is the peak).
    let mut sim = Simulation::new(&at_the_limits(5.0)).expect("valid");
    sim.run();
    let memory: js_sys::WebAssembly::Memory = wasm_bindgen::memory().unchecked_into();
    let bytes = js_sys::ArrayBuffer::from(memory.buffer()).byte_length();
    console_log!(
        "wasm    500 components, 5,000 wires, 5 s:          {:>6.1} MB linear memory (target < 64 MB)",
        f64::from(bytes) / (1024.0 * 1024.0)
    );
}
