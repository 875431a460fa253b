//! `playground check`: every goal of every file on every seed, as a table for people or as
//! JUnit XML, which CI systems show as one test per goal and seed. A run whose locked
//! conditions changed fails every goal with the reason; a file that cannot be read or built is
//! an error, reported in the same output, and makes the exit code 2.

use engine::goal::GoalStatus;
use engine::scenario::{Comparison, GoalMetric};
use engine::Simulation;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// The most seeds one check runs (a range written by mistake, `1..1000000000`, is refused).
pub const MAX_SEEDS: usize = 10_000;

/// The seeds to run each file on.
#[derive(Debug, Clone, PartialEq)]
pub struct Seeds(pub Vec<u64>);

/// `7`, `1..20` (both ends included) or `1,5,9`.
pub fn parse_seeds(text: &str) -> Result<Seeds, String> {
    let number = |t: &str| {
        t.trim()
            .parse::<u64>()
            .map_err(|_| format!("{t:?} is not a whole number, 0 or more"))
    };
    let seeds: Vec<u64> = if let Some((a, b)) = text.split_once("..") {
        let (a, b) = (number(a)?, number(b.trim_start_matches('='))?);
        if a > b {
            return Err(format!("{a}..{b} runs backwards"));
        }
        if b - a >= MAX_SEEDS as u64 {
            return Err(format!("{a}..{b} is more than {MAX_SEEDS} seeds"));
        }
        (a..=b).collect()
    } else {
        text.split(',').map(number).collect::<Result<_, _>>()?
    };
    if seeds.len() > MAX_SEEDS {
        return Err(format!("more than {MAX_SEEDS} seeds"));
    }
    Ok(Seeds(seeds))
}

/// How `check` reports.
#[derive(Debug, Clone, Copy, PartialEq, clap::ValueEnum)]
pub enum CheckFormat {
    /// One line per goal and seed, and a summary.
    Table,
    /// JUnit XML: a test suite per file, a test case per goal and seed.
    Junit,
}

/// One goal on one seed, or a file that could not be checked at all.
struct Case {
    file: String,
    name: String,
    outcome: Outcome,
}

enum Outcome {
    Passed {
        measured: String,
        target: String,
    },
    Failed {
        measured: String,
        target: String,
        why: String,
        /// What happened in the run, in sentences (the run report's causal chain).
        story: String,
    },
    Error(String),
}

/// Runs the check and prints (or writes) the report; the exit code says how it went.
pub fn check(
    files: &[PathBuf],
    seeds: &Seeds,
    format: CheckFormat,
    output: Option<&Path>,
) -> ExitCode {
    let mut cases = Vec::new();
    let progress = crate::progress::Progress::new(files.len() * seeds.0.len());
    for file in files {
        cases.extend(check_file(file, seeds, &progress));
    }
    progress.finish();
    let report = match format {
        CheckFormat::Table => table(&cases),
        CheckFormat::Junit => junit(&cases),
    };
    if crate::write_out(output, &report) != ExitCode::SUCCESS {
        return ExitCode::from(2);
    }
    let errors = cases.iter().any(|c| matches!(c.outcome, Outcome::Error(_)));
    let failed = cases
        .iter()
        .any(|c| matches!(c.outcome, Outcome::Failed { .. }));
    for c in cases
        .iter()
        .filter(|c| matches!(c.outcome, Outcome::Error(_)))
    {
        if let Outcome::Error(e) = &c.outcome {
            eprintln!("{}", e.trim_end());
        }
    }
    if errors {
        ExitCode::from(2)
    } else if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn check_file(file: &Path, seeds: &Seeds, progress: &crate::progress::Progress) -> Vec<Case> {
    let name = file.display().to_string();
    let error = |message: String| Case {
        file: name.clone(),
        name: "the file".into(),
        outcome: Outcome::Error(message),
    };
    let scenario = match crate::load(file) {
        Ok(s) => s,
        Err(e) => return vec![error(e)],
    };
    let mut cases = Vec::new();
    for &seed in &seeds.0 {
        let mut s = scenario.clone();
        s.seed = seed;
        let mut sim = match Simulation::new(&s) {
            Ok(sim) => sim,
            Err(e) => return vec![error(format!("{name}: {e}"))],
        };
        sim.run();
        progress.tick();
        let changed: Vec<String> = sim
            .conditions_changed()
            .iter()
            .map(|c| c.message())
            .collect();
        let goals = sim.goals();
        // A failed goal carries the run's story: what happened, in time order.
        let story = if goals.iter().any(|g| !g.passed) {
            engine::report::report(&sim).chain.join("\n")
        } else {
            String::new()
        };
        for g in goals {
            let mut outcome = outcome(&g, &changed);
            if let Outcome::Failed { story: s, .. } = &mut outcome {
                s.clone_from(&story);
            }
            cases.push(Case {
                file: name.clone(),
                name: format!("{} [seed {seed}]", g.label),
                outcome,
            });
        }
    }
    cases
}

fn outcome(g: &GoalStatus, changed: &[String]) -> Outcome {
    let measured = amount(g.metric, g.measured);
    let target = format!(
        "{} {}",
        match g.compare {
            Comparison::AtMost => "<=",
            Comparison::AtLeast => ">=",
        },
        amount(g.metric, g.target)
    );
    if !changed.is_empty() {
        let why = format!(
            "conditions changed, so the goal does not count: {}",
            changed.join("; ")
        );
        return Outcome::Failed {
            measured,
            target,
            why,
            story: String::new(),
        };
    }
    if g.passed {
        Outcome::Passed { measured, target }
    } else {
        let why = format!("measured {measured}, target {target}");
        Outcome::Failed {
            measured,
            target,
            why,
            story: String::new(),
        }
    }
}

/// A value as a person reads it: money in dollars, whole numbers without decimals.
fn amount(metric: GoalMetric, v: f64) -> String {
    match metric {
        GoalMetric::CostPerHour => format!("${v:.2}/h"),
        _ if v.fract() == 0.0 && v.abs() < 1e15 => format!("{v:.0}"),
        _ => format!("{v:.3}"),
    }
}

fn table(cases: &[Case]) -> String {
    let mut out = format!(
        "{:<7} {:<40} {:<50} {:>12} {:>14}\n",
        "result", "file", "goal", "measured", "target"
    );
    for c in cases {
        let (result, measured, target) = match &c.outcome {
            Outcome::Passed { measured, target } => ("PASS", measured.as_str(), target.as_str()),
            Outcome::Failed {
                measured, target, ..
            } => ("FAIL", measured.as_str(), target.as_str()),
            Outcome::Error(_) => ("ERROR", "", ""),
        };
        out += &format!(
            "{result:<7} {:<40} {:<50} {measured:>12} {target:>14}\n",
            c.file, c.name
        );
        if let Outcome::Failed { why, .. } = &c.outcome {
            if why.starts_with("conditions changed") {
                out += &format!("        {why}\n");
            }
        }
    }
    let count = |f: fn(&Outcome) -> bool| cases.iter().filter(|c| f(&c.outcome)).count();
    out += &format!(
        "\n{} checked: {} passed, {} failed, {} files with errors\n",
        cases.len(),
        count(|o| matches!(o, Outcome::Passed { .. })),
        count(|o| matches!(o, Outcome::Failed { .. })),
        count(|o| matches!(o, Outcome::Error(_))),
    );
    out
}

/// Text made safe inside XML attributes and elements.
fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Characters XML 1.0 cannot hold at all.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

fn junit(cases: &[Case]) -> String {
    let failures = |cs: &[&Case]| {
        cs.iter()
            .filter(|c| matches!(c.outcome, Outcome::Failed { .. }))
            .count()
    };
    let errors = |cs: &[&Case]| {
        cs.iter()
            .filter(|c| matches!(c.outcome, Outcome::Error(_)))
            .count()
    };
    let all: Vec<&Case> = cases.iter().collect();
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"playground check\" tests=\"{}\" failures=\"{}\" errors=\"{}\">\n",
        all.len(),
        failures(&all),
        errors(&all)
    );
    let mut files: Vec<&str> = Vec::new();
    for c in cases {
        if !files.contains(&c.file.as_str()) {
            files.push(&c.file);
        }
    }
    for file in files {
        let suite: Vec<&Case> = cases.iter().filter(|c| c.file == file).collect();
        out += &format!(
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"{}\">\n",
            xml(file),
            suite.len(),
            failures(&suite),
            errors(&suite)
        );
        for c in suite {
            let open = format!(
                "    <testcase classname=\"{}\" name=\"{}\"",
                xml(&c.file),
                xml(&c.name)
            );
            out += &match &c.outcome {
                Outcome::Passed { .. } => format!("{open}/>\n"),
                Outcome::Failed { why, story, .. } if !story.is_empty() => format!(
                    "{open}>\n      <failure type=\"goal\" message=\"{}\">What happened:\n{}\n      </failure>\n    </testcase>\n",
                    xml(why),
                    xml(story)
                ),
                Outcome::Failed { why, .. } => format!(
                    "{open}>\n      <failure type=\"goal\" message=\"{}\"/>\n    </testcase>\n",
                    xml(why)
                ),
                Outcome::Error(e) => format!(
                    "{open}>\n      <error type=\"invalid\" message=\"{}\"/>\n    </testcase>\n",
                    xml(e.trim_end())
                ),
            };
        }
        out += "  </testsuite>\n";
    }
    out += "</testsuites>\n";
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seeds_are_read_as_people_write_them() {
        assert_eq!(parse_seeds("7"), Ok(Seeds(vec![7])));
        assert_eq!(parse_seeds("1..3"), Ok(Seeds(vec![1, 2, 3])));
        assert_eq!(parse_seeds("1..=3"), Ok(Seeds(vec![1, 2, 3])));
        assert_eq!(parse_seeds("1,5, 9"), Ok(Seeds(vec![1, 5, 9])));
        assert!(parse_seeds("5..1").is_err_and(|e| e.contains("backwards")));
        assert!(parse_seeds("0..10000").is_err_and(|e| e.contains("more than")));
        assert!(parse_seeds("0..9999").is_ok());
        assert!(parse_seeds("x").is_err_and(|e| e.contains("\"x\" is not a whole number")));
        assert!(parse_seeds("-1").is_err());
    }

    #[test]
    fn xml_text_is_escaped() {
        assert_eq!(
            xml("a<b & \"c\" 'd'>"),
            "a&lt;b &amp; &quot;c&quot; &apos;d&apos;&gt;"
        );
        assert_eq!(xml("bell\u{7}"), "bell\u{fffd}");
    }
}
