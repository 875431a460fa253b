//! `playground shortcuts`: the engine's shortcut search on every core. Single edits first, then
//! pairs of the most promising ones while the budget lasts; each passing edit is the lesson's
//! own fix (its solution makes the same change), an alternative its `lesson.json` accepts with a
//! reason, or a shortcut. Exit 1 when a shortcut passes, 2 when a file cannot be searched.

use engine::shortcuts::{Accepted, Edit, Search, Summary, Trial, Verdict};
use engine::Scenario;
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// How `shortcuts` reports.
#[derive(Debug, Clone, Copy, PartialEq, clap::ValueEnum)]
pub enum ShortcutFormat {
    /// A few lines per file, for people.
    Table,
    /// One JSON object per file, in a list.
    Json,
}

/// Runs the search on every file and prints what passed.
pub fn shortcuts(
    files: &[PathBuf],
    seeds: &[u64],
    budget: usize,
    solution: Option<&Path>,
    format: ShortcutFormat,
) -> ExitCode {
    let mut reports = Vec::new();
    let mut failed = false;
    let mut broken = false;
    for file in files {
        match search_file(file, seeds, budget, solution) {
            Ok(summary) => {
                failed |= summary.shortcuts().next().is_some();
                reports.push((file.display().to_string(), summary));
            }
            Err(e) => {
                eprintln!("{e}");
                broken = true;
            }
        }
    }
    let text = match format {
        ShortcutFormat::Table => reports.iter().map(|(f, s)| table(f, s)).collect(),
        ShortcutFormat::Json => {
            let list: Vec<serde_json::Value> = reports
                .iter()
                .map(|(f, s)| serde_json::json!({ "file": f, "search": s }))
                .collect();
            serde_json::to_string_pretty(&list).unwrap_or_default() + "\n"
        }
    };
    let _ = std::io::Write::write_all(&mut std::io::stdout(), text.as_bytes());
    if broken {
        ExitCode::from(2)
    } else if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// The search on one file: its solution and accepted alternatives found beside it.
pub fn search_file(
    file: &Path,
    seeds: &[u64],
    budget: usize,
    solution: Option<&Path>,
) -> Result<Summary, String> {
    let start = crate::load(file)?;
    let solution_file = solution
        .map(Path::to_path_buf)
        .or_else(|| solution_beside(file));
    let solution: Option<Scenario> = solution_file.as_deref().map(crate::load).transpose()?;
    let accepted = accepted_beside(file)?;
    let search = Search::new(&start, solution.as_ref(), accepted, seeds.to_vec())
        .map_err(|e| format!("{}: {e}", file.display()))?;
    Ok(run_search(&search, budget))
}

/// [`Search::search`]'s steps, each stage's runs spread over every core.
pub fn run_search(search: &Search, budget: usize) -> Summary {
    let singles = search.edits();
    let ready: Vec<(Edit, Scenario)> = singles
        .iter()
        .filter_map(|e| search.apply(&[e]).ok().map(|s| (e.clone(), s)))
        .take(budget)
        .collect();
    let skipped = singles.len() - ready.len().min(singles.len());
    // One progress line for the single edits, one for the pairs chosen from them.
    let progress = crate::progress::Progress::new(ready.len());
    let mut tried = trials(search, ready, &progress);
    progress.finish();
    let pairs: Vec<(Edit, Scenario)> = search
        .pairs(&tried, budget.saturating_sub(tried.len()))
        .into_iter()
        .filter_map(|e| search.apply(&[&e]).ok().map(|s| (e, s)))
        .collect();
    let progress = crate::progress::Progress::new(pairs.len());
    tried.extend(trials(search, pairs, &progress));
    progress.finish();
    let runs = tried.len();
    search.summary(singles.len(), skipped, runs, tried)
}

fn trials(
    search: &Search,
    ready: Vec<(Edit, Scenario)>,
    progress: &crate::progress::Progress,
) -> Vec<(Edit, Trial)> {
    ready
        .into_par_iter()
        .map(|(e, s)| {
            let t = search.run(&s);
            progress.tick();
            (e, t)
        })
        .collect()
}

/// `solution.json` beside `start.json`, `harder-solution.json` beside `harder.json`.
fn solution_beside(file: &Path) -> Option<PathBuf> {
    let name = file.file_name()?.to_str()?;
    let other = match name {
        "start.json" => "solution.json".to_string(),
        n => format!("{}-solution.json", n.strip_suffix(".json")?),
    };
    let path = file.with_file_name(other);
    path.exists().then_some(path)
}

/// The alternatives `lesson.json` beside the file accepts for it: its `alternatives` list, each
/// `{"file": "start.json", "key": "<the edit's key>", "why": "<the reason>"}`.
fn accepted_beside(file: &Path) -> Result<Vec<Accepted>, String> {
    let lesson = file.with_file_name("lesson.json");
    let Ok(text) = std::fs::read_to_string(&lesson) else {
        return Ok(Vec::new());
    };
    let name = file
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    engine::shortcuts::accepted_in(&text, name).map_err(|e| format!("{}: {e}", lesson.display()))
}

fn table(file: &str, s: &Summary) -> String {
    let seeds = match (s.seeds.first(), s.seeds.last()) {
        (Some(a), Some(b)) if s.seeds.len() > 1 => format!("seeds {a}..{b}"),
        (Some(a), _) => format!("seed {a}"),
        _ => "no seeds".into(),
    };
    let mut out = format!(
        "{file}: {} edits listed, {} refused or locked, {} runs on {seeds}",
        s.singles, s.skipped, s.runs
    );
    if s.stopped > 0 {
        out += &format!(
            " ({} stopped at {}× the start's events, counted as failing)",
            s.stopped,
            engine::shortcuts::EVENT_FACTOR
        );
    }
    out += "\n";
    if s.start_passes {
        out += "  the start already passes every goal\n";
    }
    for f in &s.found {
        let (tag, why) = match &f.verdict {
            Verdict::Shortcut => ("SHORTCUT", String::new()),
            Verdict::Solution => ("solution", String::new()),
            Verdict::Accepted { why } => ("accepted", format!(": {why}")),
        };
        out += &format!(
            "  {tag:<9} {}{why}\n            [{}]\n",
            f.edit.words, f.edit.key
        );
    }
    let n = s.shortcuts().count();
    out += &if n == 0 {
        "  no shortcut passes\n".to_string()
    } else {
        format!("  {n} shortcut(s) pass every goal on every seed\n")
    };
    out
}
