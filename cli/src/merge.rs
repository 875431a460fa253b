//! `playground merge`: the JSON Lines of a sweep's shards joined into the whole sweep's table, in
//! run order, exactly as one machine running the whole sweep would have printed it. Rows of a
//! different sweep (another file, grid, seeds or playground version: the fingerprint each row
//! carries) are refused, as are two different results for one run, and missing runs unless
//! `--allow-missing`.

use crate::sweep::{Row, Setting, SweepFormat, MAX_RUNS};
use std::collections::BTreeMap;
use std::io::{BufRead, Read};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// The longest line a sweep row may be (a row is well under a kilobyte per goal).
const MAX_LINE: usize = 1 << 20;

/// Where a row was read, for messages.
fn place(file: &Path, line: usize) -> String {
    format!("{}:{line}", file.display())
}

/// The shards' rows joined.
struct Merged {
    /// The grid's paths (without their values, which the rows hold).
    settings: Vec<Setting>,
    /// In run order, each run once.
    rows: Vec<Row>,
    /// The sweep's fingerprint and number of runs.
    sweep: (String, usize),
    /// What the user should know (the runs missing, with `--allow-missing`).
    warnings: Vec<String>,
}

/// Joins the shards' rows; the whole sweep's table, or what is wrong with the shards.
fn merge_rows(files: &[PathBuf], allow_missing: bool) -> Result<Merged, String> {
    // The first row read: its sweep, its number of runs, its settings' paths, its place.
    let mut first: Option<(String, usize, Vec<String>, String)> = None;
    let mut rows: BTreeMap<usize, (Row, String)> = BTreeMap::new();
    for file in files {
        let f = std::fs::File::open(file)
            .map_err(|e| format!("cannot read {}: {e}", file.display()))?;
        let mut reader = std::io::BufReader::new(f);
        let mut line = String::new();
        let mut number = 0;
        loop {
            line.clear();
            number += 1;
            let read = (&mut reader)
                .take(MAX_LINE as u64 + 1)
                .read_line(&mut line)
                .map_err(|e| format!("cannot read {}: {e}", place(file, number)))?;
            if read == 0 {
                break;
            }
            if read > MAX_LINE {
                return Err(format!(
                    "{}: a line longer than {MAX_LINE} bytes: not a sweep row",
                    place(file, number)
                ));
            }
            if line.trim().is_empty() {
                continue;
            }
            let here = place(file, number);
            let (sweep, runs, paths, row) =
                crate::sweep::read_jsonl(&line).map_err(|e| format!("{here}: {e}"))?;
            match &first {
                None => {
                    if runs == 0 || runs > MAX_RUNS {
                        return Err(format!("{here}: a sweep of {runs} runs cannot be"));
                    }
                    first = Some((sweep, runs, paths, here.clone()));
                }
                Some((s, r, p, at)) if (s, r, p) != (&sweep, &runs, &paths) => {
                    return Err(format!(
                        "{here} is a row of another sweep than {at} (fingerprint {sweep}, not \
                         {s}): a different scenario file, grid, seeds or playground version. \
                         Merge only the shards of one sweep"
                    ));
                }
                Some(_) => {}
            }
            if row.run >= runs {
                return Err(format!(
                    "{here}: run {} of a sweep of {runs} runs does not exist",
                    row.run
                ));
            }
            match rows.get(&row.run) {
                // The same shard written twice (a retried task) gives the same row: kept once.
                Some((seen, _)) if seen == &row => {}
                Some((_, at)) => {
                    return Err(format!(
                        "{here}: run {} has another result than at {at}: the shards were not \
                         made by the same playground from the same files",
                        row.run
                    ));
                }
                None => {
                    rows.insert(row.run, (row, here));
                }
            }
        }
    }
    let Some((sweep, runs, paths, _)) = first else {
        return Err("no rows: the files hold no line `playground sweep` wrote".to_string());
    };
    let missing: Vec<usize> = (0..runs).filter(|r| !rows.contains_key(r)).collect();
    let mut warnings = Vec::new();
    if !missing.is_empty() {
        let shown: Vec<String> = missing.iter().take(10).map(usize::to_string).collect();
        let more = if missing.len() > 10 { ", ..." } else { "" };
        let said = format!(
            "{} of {runs} runs are missing (runs {}{more}): a shard did not finish or its file \
             was not given",
            missing.len(),
            shown.join(", ")
        );
        if !allow_missing {
            return Err(format!("{said}; --allow-missing merges the rest"));
        }
        warnings.push(said);
    }
    let settings = paths
        .into_iter()
        .map(|path| Setting {
            path,
            values: Vec::new(),
        })
        .collect();
    Ok(Merged {
        settings,
        rows: rows.into_values().map(|(r, _)| r).collect(),
        sweep: (sweep, runs),
        warnings,
    })
}

/// `playground merge FILES`: prints (or writes) the joined table.
pub fn merge(
    files: &[PathBuf],
    format: SweepFormat,
    allow_missing: bool,
    output: Option<&Path>,
) -> ExitCode {
    match merge_rows(files, allow_missing) {
        Ok(m) => {
            for w in &m.warnings {
                eprintln!("{w}");
            }
            let text = crate::sweep::write(format, &m.settings, &m.rows, (&m.sweep.0, m.sweep.1));
            crate::write_out(output, &text)
        }
        Err(e) => {
            eprintln!("{e}");
            ExitCode::from(2)
        }
    }
}
