//! `playground sweep`: one scenario over a grid of settings and seeds, on every core, one row per
//! run. A shard (`--shard I/N`, or the index a batch system sets: `crate::shard`) runs only the
//! runs whose number is I modulo N, so a sweep too big for one machine is split over many; each
//! shard writes JSON Lines whose rows carry the sweep's fingerprint and their run number, and
//! `playground merge` (`crate::merge`) joins them into exactly the whole sweep's table.

use crate::shard::Shard;
use engine::scenario::ComponentSpec;
use engine::{Scenario, Simulation};
use rayon::prelude::*;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// The most runs one sweep (or one shard of it) may hold.
pub const MAX_RUNS: usize = 100_000;

/// One `--set path=values`: a field of a component and the values it takes.
#[derive(Debug, Clone, PartialEq)]
pub struct Setting {
    /// `api.workers`, `shoppers.retry.max_attempts`.
    pub path: String,
    /// The values, as JSON.
    pub values: Vec<Value>,
}

/// `api.workers=8..64:8` (both ends included), `api.idempotency=off,atomic_reserve` or one value.
pub fn parse_setting(text: &str) -> Result<Setting, String> {
    let (path, values) = text
        .split_once('=')
        .ok_or_else(|| format!("{text:?}: expected <component>.<field>=<values>"))?;
    if !path.contains('.') {
        return Err(format!("{path:?}: expected <component>.<field>"));
    }
    let values =
        if let Some((range, step)) = values.split_once(':').filter(|_| values.contains("..")) {
            let (a, b) = range.split_once("..").unwrap_or((range, range));
            let number = |t: &str| {
                t.trim()
                    .parse::<f64>()
                    .ok()
                    .filter(|x| x.is_finite())
                    .ok_or_else(|| format!("{t:?} is not a number"))
            };
            let (a, b, step) = (number(a)?, number(b)?, number(step)?);
            if step <= 0.0 || a > b {
                return Err(format!(
                    "{values:?}: a range needs a positive step and a start below its end"
                ));
            }
            let count = ((b - a) / step).floor() as usize + 1;
            if count > MAX_RUNS {
                return Err(format!("{values:?} is more than {MAX_RUNS} values"));
            }
            (0..count)
                .map(|i| json_number(a + step * i as f64))
                .collect()
        } else {
            values.split(',').map(|v| word_or_json(v.trim())).collect()
        };
    Ok(Setting {
        path: path.trim().to_string(),
        values,
    })
}

/// A whole number stays whole (8, not 8.0), so a field that wants one accepts it.
fn json_number(x: f64) -> Value {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        Value::from(x as i64)
    } else {
        Value::from(x)
    }
}

/// `3`, `true`, `null` or `{"dist": ...}` as JSON; anything else is a word (`atomic_reserve`).
fn word_or_json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|_| Value::String(text.to_string()))
}

/// How `sweep` prints its rows.
#[derive(Debug, Clone, Copy, PartialEq, clap::ValueEnum)]
pub enum SweepFormat {
    /// Comma-separated values with a header.
    Csv,
    /// A JSON array of objects.
    Json,
    /// Aligned columns for people.
    Table,
    /// One JSON object per line and per run, each with the sweep's fingerprint: what a shard
    /// writes by default, for `playground merge`.
    Jsonl,
}

/// What one run produced.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Row {
    pub run: usize,
    pub values: Vec<Value>,
    pub seed: u64,
    pub goals: Vec<(String, f64, bool)>,
    pub metrics: Vec<(&'static str, f64)>,
    pub changed: bool,
}

/// The figures every row reports beside the goals, in their column order ([`key_metrics`]).
const METRICS: [&str; 5] = [
    "requests",
    "succeeded",
    "failed",
    "users_p99_ms",
    "duplicates",
];

/// Where a sweep's rows come from and go, besides the grid.
#[derive(Debug)]
pub struct SweepOptions {
    /// The seeds, innermost in the grid.
    pub seeds: Vec<u64>,
    /// `--shard I/N`.
    pub shard: Option<Shard>,
    /// `--shards N`: the number of shards where the batch system gives only an index.
    pub shards: Option<usize>,
    /// `--threads N` (default: one per core).
    pub threads: Option<usize>,
    /// `--format` (default: CSV, or JSON Lines for a shard).
    pub format: Option<SweepFormat>,
    /// `--output PATH` (default: standard output).
    pub output: Option<PathBuf>,
}

/// What a sweep is, in sixteen hex digits: the playground's version, the scenario as read, the
/// grid and the seeds. Rows of two sweeps with different fingerprints are never merged.
fn fingerprint(base: &Scenario, settings: &[Setting], seeds: &[u64]) -> String {
    let mut text = format!("playground {} sweep\n", env!("CARGO_PKG_VERSION"));
    text += &base.to_json();
    for s in settings {
        text += &format!("\n{}={}", s.path, Value::Array(s.values.clone()));
    }
    text += &format!("\nseeds={seeds:?}\n");
    format!("{:016x}", engine::digest::of_bytes(text.as_bytes()))
}

/// The scenario with one value for each setting, or what is wrong with a setting.
fn with_values(
    base: &Scenario,
    settings: &[Setting],
    values: &[Value],
) -> Result<Scenario, String> {
    let pairs: Vec<(String, Value)> = settings
        .iter()
        .zip(values)
        .map(|(s, v)| (s.path.clone(), v.clone()))
        .collect();
    engine::conditions::with_values(base, &pairs).map_err(|e| e.to_string())
}

/// Runs the sweep (or its shard) and prints the rows.
pub fn sweep(file: &Path, settings: &[Setting], options: &SweepOptions) -> ExitCode {
    let seeds = &options.seeds[..];
    let base = match crate::load(file) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let shard = match options.shard {
        Some(s) => Some(s),
        None => match crate::shard::from_env(&|name| std::env::var(name).ok(), options.shards) {
            Ok(Some((s, told))) => {
                eprintln!("shard {} of {} ({told})", s.index, s.count);
                Some(s)
            }
            Ok(None) => None,
            Err(e) => {
                eprintln!("{e}");
                return ExitCode::from(2);
            }
        },
    };
    let format = options.format.unwrap_or(if shard.is_some() {
        SweepFormat::Jsonl
    } else {
        SweepFormat::Csv
    });
    // The grid, settings in the order given, seeds innermost; numbered in that order.
    let mut combos: Vec<Vec<Value>> = vec![Vec::new()];
    for s in settings {
        combos = combos
            .iter()
            .flat_map(|c| {
                s.values.iter().map(move |v| {
                    let mut next = c.clone();
                    next.push(v.clone());
                    next
                })
            })
            .collect();
        if combos.len().saturating_mul(seeds.len()) > MAX_RUNS {
            eprintln!(
                "the sweep holds more than {MAX_RUNS} runs; split it with fewer values or seeds"
            );
            return ExitCode::from(2);
        }
    }
    let total = combos.len() * seeds.len();
    let shard = shard.unwrap_or(Shard { index: 0, count: 1 });
    let runs: Vec<usize> = (0..total)
        .filter(|r| r % shard.count == shard.index)
        .collect();
    // Every combination is checked before anything runs: a bad value stops the sweep by name.
    let mut scenarios = Vec::with_capacity(combos.len());
    for values in &combos {
        let built = with_values(&base, settings, values)
            .and_then(|s| Simulation::new(&s).map(|_| s).map_err(|e| e.to_string()));
        match built {
            Ok(s) => scenarios.push(s),
            Err(e) => {
                let shown: Vec<String> = settings
                    .iter()
                    .zip(values)
                    .map(|(s, v)| format!("{}={v}", s.path))
                    .collect();
                eprintln!(
                    "{}: with {}: {}",
                    file.display(),
                    shown.join(" "),
                    e.trim_end()
                );
                return ExitCode::from(2);
            }
        }
    }
    let one = |run: usize| -> Row {
        let (combo, seed) = (run / seeds.len(), seeds[run % seeds.len()]);
        let mut scenario = scenarios[combo].clone();
        scenario.seed = seed;
        // Checked above; a run that still cannot be built yields an empty row, not a panic.
        let mut row = Row {
            run,
            values: combos[combo].clone(),
            seed,
            goals: Vec::new(),
            metrics: Vec::new(),
            changed: false,
        };
        let Ok(mut sim) = Simulation::new(&scenario) else {
            return row;
        };
        sim.run();
        row.changed = !sim.conditions_changed().is_empty();
        row.goals = sim
            .goals()
            .into_iter()
            .map(|g| (g.label, g.measured, g.passed))
            .collect();
        row.metrics = key_metrics(&sim);
        row
    };
    let progress = crate::progress::Progress::new(runs.len());
    let one = |r| {
        let row = one(r);
        progress.tick();
        row
    };
    let rows: Vec<Row> = match options.threads {
        Some(n) => match rayon::ThreadPoolBuilder::new()
            .num_threads(n.max(1))
            .build()
        {
            Ok(pool) => pool.install(|| runs.par_iter().map(|&r| one(r)).collect()),
            Err(e) => {
                eprintln!("cannot start {n} threads: {e}");
                return ExitCode::from(2);
            }
        },
        None => runs.par_iter().map(|&r| one(r)).collect(),
    };
    progress.finish();
    let sweep = fingerprint(&base, settings, seeds);
    let text = write(format, settings, &rows, (&sweep, total));
    crate::write_out(options.output.as_deref(), &text)
}

/// The rows in `format`; `sweep` is the fingerprint and number of runs JSON Lines carry.
pub(crate) fn write(
    format: SweepFormat,
    settings: &[Setting],
    rows: &[Row],
    sweep: (&str, usize),
) -> String {
    match format {
        SweepFormat::Csv => csv(settings, rows),
        SweepFormat::Json => json(settings, rows),
        SweepFormat::Table => table(settings, rows),
        SweepFormat::Jsonl => rows
            .iter()
            .map(|r| jsonl(settings, r, sweep) + "\n")
            .collect(),
    }
}

/// A row's goals (label, measured, passed) and figures as JSON, as the JSON array and the JSON
/// Lines both write them.
fn results(r: &Row) -> (Value, Value) {
    let goals: Vec<Value> = r
        .goals
        .iter()
        .map(|(label, measured, passed)| {
            serde_json::json!({ "label": label, "measured": measured, "passed": passed })
        })
        .collect();
    let metrics: serde_json::Map<String, Value> = r
        .metrics
        .iter()
        .map(|(k, v)| (k.to_string(), Value::from(*v)))
        .collect();
    (Value::Array(goals), Value::Object(metrics))
}

/// One row as a line of JSON, with everything `merge` needs to rebuild it.
fn jsonl(settings: &[Setting], r: &Row, (sweep, runs): (&str, usize)) -> String {
    let set: Vec<Value> = settings
        .iter()
        .zip(&r.values)
        .map(|(s, v)| serde_json::json!({ "path": s.path, "value": v }))
        .collect();
    let (goals, metrics) = results(r);
    serde_json::json!({ "sweep": sweep, "runs": runs, "run": r.run, "set": set, "seed": r.seed,
                        "goals": goals, "metrics": metrics, "conditions_changed": r.changed })
    .to_string()
}

/// A line `jsonl` wrote: the sweep's fingerprint and number of runs, the settings' paths, the row.
pub(crate) fn read_jsonl(line: &str) -> Result<(String, usize, Vec<String>, Row), String> {
    let v: Value = serde_json::from_str(line).map_err(|e| format!("not JSON: {e}"))?;
    let missing = |field: &str| format!("no {field:?}: not a line `playground sweep` wrote");
    let text = |v: &Value, field: &str| v.get(field).and_then(Value::as_str).map(str::to_string);
    let whole = |v: &Value, field: &str| v.get(field).and_then(Value::as_u64);
    // serde_json writes a number that is not finite as null.
    let number = |v: Option<&Value>| v.map(|x| x.as_f64().unwrap_or(f64::NAN));
    let sweep = text(&v, "sweep").ok_or_else(|| missing("sweep"))?;
    let runs = whole(&v, "runs").ok_or_else(|| missing("runs"))? as usize;
    let run = whole(&v, "run").ok_or_else(|| missing("run"))? as usize;
    let seed = whole(&v, "seed").ok_or_else(|| missing("seed"))?;
    let mut paths = Vec::new();
    let mut values = Vec::new();
    for s in v
        .get("set")
        .and_then(Value::as_array)
        .ok_or_else(|| missing("set"))?
    {
        paths.push(text(s, "path").ok_or_else(|| missing("set[].path"))?);
        values.push(
            s.get("value")
                .cloned()
                .ok_or_else(|| missing("set[].value"))?,
        );
    }
    let mut goals = Vec::new();
    for g in v
        .get("goals")
        .and_then(Value::as_array)
        .ok_or_else(|| missing("goals"))?
    {
        let label = text(g, "label").ok_or_else(|| missing("goals[].label"))?;
        let measured = number(g.get("measured")).ok_or_else(|| missing("goals[].measured"))?;
        let passed = g.get("passed").and_then(Value::as_bool);
        goals.push((
            label,
            measured,
            passed.ok_or_else(|| missing("goals[].passed"))?,
        ));
    }
    let found = v
        .get("metrics")
        .and_then(Value::as_object)
        .ok_or_else(|| missing("metrics"))?;
    // A run that could not be built has no figures at all.
    let metrics = if found.is_empty() {
        Vec::new()
    } else {
        METRICS
            .iter()
            .map(|&k| {
                number(found.get(k))
                    .map(|x| (k, x))
                    .ok_or_else(|| missing(k))
            })
            .collect::<Result<_, _>>()?
    };
    let changed = v.get("conditions_changed").and_then(Value::as_bool);
    let row = Row {
        run,
        values,
        seed,
        goals,
        metrics,
        changed: changed.ok_or_else(|| missing("conditions_changed"))?,
    };
    Ok((sweep, runs, paths, row))
}

/// What every row reports beside the goals: the request ledger, the users' p99, side effects.
fn key_metrics(sim: &Simulation) -> Vec<(&'static str, f64)> {
    let l = sim.ledger();
    let clients = sim
        .topology()
        .nodes
        .iter()
        .zip(sim.metrics())
        .filter(|(n, _)| matches!(n.spec, ComponentSpec::Client(_)));
    let p99 = clients
        .map(|(_, m)| m.latency.quantile(0.99) as f64 / 1_000.0)
        .fold(0.0, f64::max);
    let duplicates: u64 = sim.metrics().iter().map(|m| m.totals.duplicates).sum();
    let values = [
        l.entered as f64,
        l.succeeded as f64,
        (l.failed + l.rejected + l.timed_out) as f64,
        p99,
        duplicates as f64,
    ];
    METRICS.into_iter().zip(values).collect()
}

/// A value as a cell: words without quotes, numbers as they are.
fn cell(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn header(settings: &[Setting], rows: &[Row]) -> Vec<String> {
    let mut head = vec!["run".to_string()];
    head.extend(settings.iter().map(|s| s.path.clone()));
    head.push("seed".into());
    if let Some(first) = rows
        .iter()
        .find(|r| !r.goals.is_empty() || !r.metrics.is_empty())
    {
        for (label, _, _) in &first.goals {
            head.push(label.clone());
            head.push(format!("{label} passed"));
        }
        head.extend(first.metrics.iter().map(|(k, _)| k.to_string()));
    }
    head.push("conditions_changed".into());
    head
}

fn cells(row: &Row) -> Vec<String> {
    let mut out = vec![row.run.to_string()];
    out.extend(row.values.iter().map(cell));
    out.push(row.seed.to_string());
    for (_, measured, passed) in &row.goals {
        out.push(format!("{measured}"));
        out.push(passed.to_string());
    }
    out.extend(row.metrics.iter().map(|(_, v)| format!("{v}")));
    out.push(row.changed.to_string());
    out
}

fn csv(settings: &[Setting], rows: &[Row]) -> String {
    let mut out = engine::csv::record(header(settings, rows));
    for r in rows {
        out += &engine::csv::record(cells(r));
    }
    out
}

fn json(settings: &[Setting], rows: &[Row]) -> String {
    let list: Vec<Value> = rows
        .iter()
        .map(|r| {
            let set: serde_json::Map<String, Value> = settings
                .iter()
                .zip(&r.values)
                .map(|(s, v)| (s.path.clone(), v.clone()))
                .collect();
            let (goals, metrics) = results(r);
            serde_json::json!({ "run": r.run, "set": set, "seed": r.seed, "goals": goals,
                                "metrics": metrics, "conditions_changed": r.changed })
        })
        .collect();
    let mut out = serde_json::to_string_pretty(&list).unwrap_or_default();
    out.push('\n');
    out
}

fn table(settings: &[Setting], rows: &[Row]) -> String {
    let head = header(settings, rows);
    let body: Vec<Vec<String>> = rows.iter().map(cells).collect();
    let widths: Vec<usize> = (0..head.len())
        .map(|i| {
            body.iter()
                .filter_map(|r| r.get(i))
                .chain(std::iter::once(&head[i]))
                .map(|c| c.chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let line = |cols: &[String]| {
        let padded: Vec<String> = cols
            .iter()
            .zip(&widths)
            .map(|(c, w)| format!("{c:>w$}"))
            .collect();
        padded.join("  ") + "\n"
    };
    let mut out = line(&head);
    for r in &body {
        out += &line(r);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_are_read_as_ranges_lists_and_words() {
        let s = parse_setting("api.workers=8..32:8").expect("a range");
        assert_eq!(s.path, "api.workers");
        assert_eq!(
            s.values,
            vec![
                Value::from(8),
                Value::from(16),
                Value::from(24),
                Value::from(32)
            ]
        );
        let s = parse_setting("shoppers.retry.max_attempts=1,3,6").expect("a list");
        assert_eq!(
            s.values,
            vec![Value::from(1), Value::from(3), Value::from(6)]
        );
        let s = parse_setting("api.idempotency=off,atomic_reserve").expect("words");
        assert_eq!(s.values[1], Value::from("atomic_reserve"));
        assert!(parse_setting("api.workers").is_err());
        assert!(parse_setting("workers=3").is_err());
        assert!(parse_setting("api.workers=9..1:1").is_err());
        assert!(parse_setting("api.workers=1..2:0").is_err());
        assert!(parse_setting("api.workers=0..1000000:1").is_err_and(|e| e.contains("more than")));
    }
}
