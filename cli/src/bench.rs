//! `playground bench`: engine speed on reference models, printed as figures.
//!
//! The models come from `xtask/bench/reference.rs`, shared with the wasm benchmark and described to
//! SimPy (`xtask/bench/mmc_simpy.py`) parameter for parameter.
#![allow(clippy::disallowed_methods)] // A benchmark measures wall-clock time by definition.

#[path = "../../xtask/bench/reference.rs"]
mod reference;

use engine::{Scenario, Simulation};
use reference::{at_the_limits, mmc, ten_components};
use std::time::Instant;

/// Prints a line, ignoring a closed pipe (`playground bench | head`).
macro_rules! out {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout(), $($arg)*);
    }};
}

/// Runs a scenario to its end; returns (events, seconds, customers finished at component 1).
pub fn time_run(scenario: &Scenario) -> (u64, f64, u64) {
    let mut sim = Simulation::new(scenario).unwrap_or_else(|e| panic!("{e}"));
    let start = Instant::now();
    sim.run();
    let secs = start.elapsed().as_secs_f64();
    let finished = sim.metrics().get(1).map_or(0, |m| m.totals.completions);
    (sim.events_processed(), secs, finished)
}

/// The best of `n` runs, in events per second.
fn best_rate(scenario: &Scenario, n: usize) -> (f64, u64, f64) {
    let mut best = (0.0, 0, 0.0);
    for _ in 0..n {
        let (events, secs, customers) = time_run(scenario);
        let rate = events as f64 / secs;
        if rate > best.0 {
            best = (rate, events, customers as f64 / secs);
        }
    }
    best
}

/// Writes the bare M/M/1 and the ten-component model, as `bench` runs them, into `dir`.
pub fn write_scenarios(dir: &std::path::Path) -> std::process::ExitCode {
    let models = [
        ("mm1.json", mmc(1, 800.0, 1.0, 2_500.0)),
        ("ten.json", ten_components(1_000.0, 600.0)),
    ];
    for (name, scenario) in models {
        let path = dir.join(name);
        if let Err(e) = std::fs::write(&path, scenario.to_json()) {
            eprintln!("cannot write {}: {e}", path.display());
            return std::process::ExitCode::from(2);
        }
    }
    std::process::ExitCode::SUCCESS
}

/// Prints the speed figures.
pub fn run() {
    let (mm1, events, _) = best_rate(&mmc(1, 800.0, 1.0, 2_500.0), 3);
    out!(
        "native  bare M/M/1 (rho 0.8, 2M customers):      {:>6.2} M events/s  ({events} events)",
        mm1 / 1e6
    );
    let (ten, events, _) = best_rate(&ten_components(1_000.0, 600.0), 3);
    out!(
        "native  ten-component topology (1,000 req/s):      {:>6.2} M events/s  ({events} events)",
        ten / 1e6
    );
    let (_, _, customers) = best_rate(&mmc(4, 3_200.0, 1.0, 300.0), 3);
    out!(
        "native  M/M/4 (rho 0.8) for the SimPy comparison:  {:>6.2} M customers/s",
        customers / 1e6
    );
}

/// Runs one model and prints the peak resident memory of this process (one model a process:
/// the peak is the process's): `hour` is one simulated hour of the ten-component topology at
/// 1,000 requests/s, `limits` a 5-second run of a file at the documented limits.
pub fn memory(model: &str) {
    let (scenario, label) = match model {
        "limits" => (
            at_the_limits(5.0),
            "native  500 components, 5,000 wires, 5 s:         ",
        ),
        _ => (
            ten_components(1_000.0, 3_600.0),
            "native  one simulated hour at 1,000 req/s:         ",
        ),
    };
    let (events, secs, _) = time_run(&scenario);
    let peak_kb = std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<u64>().ok())
        });
    match peak_kb {
        Some(kb) => out!(
            "{label}{:>6.1} MB peak memory ({events} events in {secs:.1} s)",
            kb as f64 / 1024.0
        ),
        None => out!("{label}{events} events in {secs:.1} s (peak memory unavailable here)"),
    }
}

/// Times 200 runs of the ten-component model (different seeds, ten simulated seconds each) on
/// one thread and on every core, as `playground sweep` runs them, five times each in turn, and
/// prints the median ratio with the lowest and highest (one run's ratio swings with the
/// machine's neighbours; the median of several is the figure to hold to a target).
pub fn sweep() {
    use rayon::prelude::*;
    let base = ten_components(1_000.0, 10.0);
    let scenarios: Vec<Scenario> = (1..=200u64)
        .map(|seed| {
            let mut s = base.clone();
            s.seed = seed;
            s
        })
        .collect();
    let run_all = |threads: usize| -> f64 {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap_or_else(|e| panic!("a thread pool: {e}"));
        let start = Instant::now();
        let events: u64 = pool.install(|| scenarios.par_iter().map(|s| time_run(s).0).sum());
        std::hint::black_box(events);
        start.elapsed().as_secs_f64()
    };
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    // Taken in turn, so neither side alone pays for a cold start or a noisy neighbour.
    let mut pairs: Vec<(f64, f64)> = (0..5).map(|_| (run_all(1), run_all(cores))).collect();
    pairs.sort_by(|a, b| (a.0 / a.1).total_cmp(&(b.0 / b.1)));
    let ratio = |(one, all): (f64, f64)| one / all;
    let (low, (one, all), high) = (pairs[0], pairs[2], pairs[4]);
    out!(
        "native  sweep, 200 runs of the ten-component model: {:>6.2}x faster on {cores} threads than on one, median of 5 ({one:.2} s vs {all:.2} s; lowest {:.2}x, highest {:.2}x)",
        ratio((one, all)),
        ratio(low),
        ratio(high)
    );
}

/// How many answers a workshop room verifies a second: each lesson's solution and start run as
/// `playground workshop` runs an answer (natively, on the room's seed, under the challenge's own
/// conditions), three times over, on one thread.
pub fn workshop() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../lessons");
    let mut lessons: Vec<std::path::PathBuf> = std::fs::read_dir(&root)
        .into_iter()
        .flatten()
        .flatten()
        .map(|d| d.path())
        .filter(|p| p.join("start.json").exists())
        .collect();
    lessons.sort();
    let read = |p: std::path::PathBuf| std::fs::read_to_string(p).unwrap_or_default();
    let pairs: Vec<(Scenario, String, String)> = lessons
        .iter()
        .filter_map(|l| {
            let start = read(l.join("start.json"));
            let scenario = Scenario::from_json(&start).ok()?;
            Some((scenario, start, read(l.join("solution.json"))))
        })
        .collect();
    let all = Instant::now();
    let (mut answers, mut slowest) = (0, 0.0f64);
    for _ in 0..3 {
        for (scenario, start, solution) in &pairs {
            for design in [start, solution] {
                let one = Instant::now();
                if crate::room::verify(scenario, 1, design).is_ok() {
                    answers += 1;
                }
                slowest = slowest.max(one.elapsed().as_secs_f64());
            }
        }
    }
    let secs = all.elapsed().as_secs_f64();
    out!(
        "workshop answers verified: {:.1} a second on one thread ({answers} answers of {} lessons in {secs:.2} s; the slowest {:.0} ms)",
        answers as f64 / secs,
        pairs.len(),
        slowest * 1000.0
    );
}

/// The shortcut search on every lesson's start and harder variant, five seeds, the default
/// budget, on every core: edits, runs, what passed and the time, per file and in all.
pub fn shortcuts() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut files: Vec<std::path::PathBuf> = std::fs::read_dir(root.join("lessons"))
        .into_iter()
        .flatten()
        .flatten()
        .flat_map(|d| ["start.json", "harder.json"].map(|n| d.path().join(n)))
        .filter(|p| p.exists())
        .collect();
    files.sort();
    let seeds: Vec<u64> = (1..=5).collect();
    let all = Instant::now();
    let (mut edits, mut runs, mut shortcuts) = (Vec::new(), 0, 0);
    for file in &files {
        let start = Instant::now();
        let name = file
            .strip_prefix(root.join("lessons"))
            .unwrap_or(file)
            .display();
        match crate::shortcuts::search_file(file, &seeds, engine::shortcuts::DEFAULT_BUDGET, None) {
            Ok(s) => {
                let found = s.shortcuts().count();
                println!(
                    "shortcuts {name:<42} {:>4} edits {:>4} runs {:>3} stopped {found} shortcut(s) {:>6.1} s",
                    s.singles,
                    s.runs,
                    s.stopped,
                    start.elapsed().as_secs_f64()
                );
                edits.push(s.singles);
                runs += s.runs;
                shortcuts += found;
            }
            Err(e) => println!("shortcuts {name}: {e}"),
        }
    }
    println!(
        "shortcuts all {} files: {}–{} edits each, {runs} runs, {shortcuts} shortcut(s), {:.1} s on {} threads",
        files.len(),
        edits.iter().min().unwrap_or(&0),
        edits.iter().max().unwrap_or(&0),
        all.elapsed().as_secs_f64(),
        rayon::current_num_threads()
    );
}
