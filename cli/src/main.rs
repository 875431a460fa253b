//! `playground`: runs a scenario file headless and prints what happened.
//!
//! ```text
//! playground run FILE [--seed N] [--duration SECONDS] [--format table|json|csv]
//! ```
//! A bad file gets a message naming every problem and exit code 2, never a panic trace.

mod bench;

use engine::{Scenario, Simulation};
use std::process::ExitCode;

const USAGE: &str =
    "usage: playground run FILE [--seed N] [--duration SECONDS] [--format table|json|csv]";

/// Parsed command line.
#[derive(Debug)]
struct Args {
    file: String,
    seed: Option<u64>,
    duration_s: Option<f64>,
    format: Format,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Format {
    Table,
    Json,
    Csv,
}

fn parse(args: &[String]) -> Result<Args, String> {
    let mut it = args.iter();
    match it.next().map(String::as_str) {
        Some("run") => {}
        Some(other) => return Err(format!("unknown command {other:?}\n{USAGE}")),
        None => return Err(USAGE.into()),
    }
    let mut file = None;
    let mut seed = None;
    let mut duration_s = None;
    let mut format = Format::Table;
    while let Some(a) = it.next() {
        let mut value = |name: &str| {
            it.next()
                .cloned()
                .ok_or(format!("{name} needs a value\n{USAGE}"))
        };
        match a.as_str() {
            "--seed" => {
                let v = value("--seed")?;
                seed = Some(
                    v.parse()
                        .map_err(|_| format!("--seed: {v:?} is not a whole number"))?,
                );
            }
            "--duration" => {
                let v = value("--duration")?;
                duration_s = Some(
                    v.parse()
                        .map_err(|_| format!("--duration: {v:?} is not a number of seconds"))?,
                );
            }
            "--format" => {
                format = match value("--format")?.as_str() {
                    "table" => Format::Table,
                    "json" => Format::Json,
                    "csv" => Format::Csv,
                    other => return Err(format!("--format: {other:?} is not table, json or csv")),
                }
            }
            f if !f.starts_with("--") && file.is_none() => file = Some(f.to_string()),
            other => return Err(format!("unexpected argument {other:?}\n{USAGE}")),
        }
    }
    Ok(Args {
        file: file.ok_or(format!("no scenario file given\n{USAGE}"))?,
        seed,
        duration_s,
        format,
    })
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("bench") => {
            bench::run();
            return ExitCode::SUCCESS;
        }
        Some("bench-memory") => {
            bench::memory();
            return ExitCode::SUCCESS;
        }
        _ => {}
    }
    let args = match parse(&args) {
        Ok(a) => a,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let text = match std::fs::read_to_string(&args.file) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("cannot read {}: {e}", args.file);
            return ExitCode::from(2);
        }
    };
    let mut scenario = match Scenario::from_json(&text) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("{}: {e}", args.file);
            return ExitCode::from(2);
        }
    };
    if let Some(seed) = args.seed {
        scenario.seed = seed;
    }
    if let Some(d) = args.duration_s {
        scenario.duration_s = d;
    }
    let mut sim = match Simulation::new(&scenario) {
        Ok(s) => s,
        Err(e) => {
            eprint!("{}: {e}", args.file);
            return ExitCode::from(2);
        }
    };
    run_with_progress(&mut sim);
    // A closed pipe (`playground run f.json | head`) ends the output quietly, not with a panic.
    let _ = std::io::Write::write_all(&mut std::io::stdout(), report(&sim, args.format).as_bytes());
    ExitCode::SUCCESS
}

/// Runs to the end, drawing a progress bar on stderr when it is a terminal.
fn run_with_progress(sim: &mut Simulation) {
    use std::io::{IsTerminal, Write};
    if !std::io::stderr().is_terminal() {
        sim.run();
        return;
    }
    let end = sim.end();
    let mut err = std::io::stderr();
    for step in 1..=50u64 {
        sim.run_until(engine::SimTime::from_us(end.as_us() / 50 * step));
        let bar: String = (0..50).map(|i| if i < step { '#' } else { '.' }).collect();
        let _ = write!(
            err,
            "\r[{bar}] {:>5.1} / {:.1} s simulated",
            sim.now().as_secs(),
            end.as_secs()
        );
        let _ = err.flush();
    }
    sim.run();
    let _ = writeln!(err);
}

/// The run's results in the chosen format.
fn report(sim: &Simulation, format: Format) -> String {
    let mut out = String::new();
    let nodes = &sim.topology().nodes;
    match format {
        Format::Table => {
            out += &format!(
                "{:<16} {:>9} {:>9} {:>7} {:>8} {:>8} {:>9} {:>9} {:>9}\n",
                "component",
                "arrivals",
                "ok",
                "errors",
                "rejected",
                "timeouts",
                "p50 ms",
                "p99 ms",
                "max ms"
            );
            for (n, m) in nodes.iter().zip(sim.metrics()) {
                let t = m.totals;
                let ms = |us: u64| us as f64 / 1_000.0;
                out += &format!(
                    "{:<16} {:>9} {:>9} {:>7} {:>8} {:>8} {:>9.1} {:>9.1} {:>9.1}\n",
                    n.id,
                    t.arrivals,
                    t.completions,
                    t.errors,
                    t.rejections,
                    t.timeouts,
                    ms(m.latency.quantile(0.5)),
                    ms(m.latency.quantile(0.99)),
                    ms(m.latency.max())
                );
            }
            let l = sim.ledger();
            out += &format!(
                "\nrequests: {} entered, {} succeeded, {} failed, {} rejected, {} timed out, {} in flight\n",
                l.entered, l.succeeded, l.failed, l.rejected, l.timed_out, l.in_flight
            );
            let j = sim.job_ledger();
            if j.accepted > 0 {
                out += &format!(
                    "jobs: {} accepted, {} delivered, {} dead-lettered, {} lost, {} in flight\n",
                    j.accepted, j.delivered, j.dead_lettered, j.dropped, j.in_flight
                );
            }
            let goals = sim.goals();
            if !goals.is_empty() {
                out += "\ngoals:\n";
                for g in goals {
                    let cmp = match g.compare {
                        engine::scenario::Comparison::AtMost => "<=",
                        engine::scenario::Comparison::AtLeast => ">=",
                    };
                    out += &format!(
                        "  {} {}  (measured {:.3}, target {cmp} {})\n",
                        if g.passed { "PASS" } else { "FAIL" },
                        g.label,
                        g.measured,
                        g.target
                    );
                }
            }
            let changed = sim.conditions_changed();
            if !changed.is_empty() {
                out += "\nconditions changed, so the goals do not count:\n";
                for c in changed {
                    out += &format!("  {}\n", c.message());
                }
            }
        }
        Format::Json => {
            let components: Vec<serde_json::Value> = nodes
                .iter()
                .zip(sim.metrics())
                .map(|(n, m)| {
                    serde_json::json!({
                        "id": n.id,
                        "totals": m.totals,
                        "windows": m.history,
                    })
                })
                .collect();
            let doc = serde_json::json!({
                "ledger": sim.ledger(),
                "jobs": sim.job_ledger(),
                "goals": sim.goals(),
                "conditions_changed": sim.conditions_changed(),
                "components": components,
            });
            out = serde_json::to_string_pretty(&doc).unwrap_or_default();
            out.push('\n');
        }
        Format::Csv => {
            out += "component,start_ms,arrivals,completions,errors,rejections,timeouts,retries,queue_depth_avg,utilisation,p50_ms,p95_ms,p99_ms,max_ms\n";
            for (n, m) in nodes.iter().zip(sim.metrics()) {
                for w in &m.history {
                    out += &format!(
                        "{},{},{},{},{},{},{},{},{},{},{},{},{},{}\n",
                        n.id,
                        w.start_ms,
                        w.arrivals,
                        w.completions,
                        w.errors,
                        w.rejections,
                        w.timeouts,
                        w.retries,
                        w.queue_depth_avg,
                        w.utilisation,
                        w.p50_ms,
                        w.p95_ms,
                        w.p99_ms,
                        w.max_ms
                    );
                }
            }
        }
    }
    out
}
