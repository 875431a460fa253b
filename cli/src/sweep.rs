//! `playground sweep`: one scenario over a grid of settings and seeds, on every core, one row per
//! run. `--shard I/N` runs only the runs whose number is I modulo N, so a batch system can split a
//! sweep too big for one machine; every row carries its run number, and the shards' rows sorted
//! by it are exactly the whole sweep's.

use engine::scenario::ComponentSpec;
use engine::{Scenario, Simulation};
use rayon::prelude::*;
use serde_json::Value;
use std::path::Path;
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

/// `I/N`: run the runs whose number is I modulo N (I from 0 to N-1, as a Kubernetes indexed
/// Job's `JOB_COMPLETION_INDEX`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Shard {
    /// This shard's number.
    pub index: usize,
    /// How many shards.
    pub count: usize,
}

/// Reads `I/N`.
pub fn parse_shard(text: &str) -> Result<Shard, String> {
    let (i, n) = text
        .split_once('/')
        .ok_or_else(|| format!("{text:?}: expected I/N, e.g. 0/4"))?;
    let number = |t: &str| {
        t.trim()
            .parse::<usize>()
            .map_err(|_| format!("{t:?} is not a whole number"))
    };
    let (index, count) = (number(i)?, number(n)?);
    if count == 0 || index >= count {
        return Err(format!(
            "{text:?}: I must be from 0 to N-1, and N at least 1"
        ));
    }
    Ok(Shard { index, count })
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
}

/// What one run produced.
struct Row {
    run: usize,
    values: Vec<Value>,
    seed: u64,
    goals: Vec<(String, f64, bool)>,
    metrics: Vec<(&'static str, f64)>,
    changed: bool,
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
    engine::conditions::with_values(base, &pairs)
}

/// Runs the sweep (or its shard) and prints the rows.
pub fn sweep(
    file: &Path,
    settings: &[Setting],
    seeds: &[u64],
    shard: Option<Shard>,
    threads: Option<usize>,
    format: SweepFormat,
) -> ExitCode {
    let base = match crate::load(file) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
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
    let rows: Vec<Row> = match threads {
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
    let text = match format {
        SweepFormat::Csv => csv(settings, &rows),
        SweepFormat::Json => json(settings, &rows),
        SweepFormat::Table => table(settings, &rows),
    };
    let _ = std::io::Write::write_all(&mut std::io::stdout(), text.as_bytes());
    ExitCode::SUCCESS
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
    vec![
        ("requests", l.entered as f64),
        ("succeeded", l.succeeded as f64),
        ("failed", (l.failed + l.rejected + l.timed_out) as f64),
        ("users_p99_ms", p99),
        ("duplicates", duplicates as f64),
    ]
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

fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

fn csv(settings: &[Setting], rows: &[Row]) -> String {
    let line = |cols: Vec<String>| {
        cols.iter()
            .map(|c| csv_field(c))
            .collect::<Vec<_>>()
            .join(",")
    };
    let mut out = line(header(settings, rows));
    out.push('\n');
    for r in rows {
        out += &line(cells(r));
        out.push('\n');
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

    #[test]
    fn shards_are_read_from_zero() {
        assert_eq!(parse_shard("0/4"), Ok(Shard { index: 0, count: 4 }));
        assert_eq!(parse_shard("3/4"), Ok(Shard { index: 3, count: 4 }));
        assert!(parse_shard("4/4").is_err());
        assert!(parse_shard("0/0").is_err());
        assert!(parse_shard("a/b").is_err());
    }

    #[test]
    fn csv_fields_with_commas_and_quotes_are_quoted() {
        assert_eq!(csv_field("plain"), "plain");
        assert_eq!(csv_field("a, b"), "\"a, b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
    }
}
