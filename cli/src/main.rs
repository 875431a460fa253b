//! `playground`: runs scenario files headless, checks their goals for CI, and prints what
//! happened.
//!
//! ```text
//! playground run FILE [--seed N] [--duration SECONDS] [--format table|json|csv]
//! playground validate FILE...
//! playground check FILE... [--seeds 1..20] [--format table|junit] [--output PATH]
//! playground sweep FILE --set api.workers=8..64:8 [--set ...] [--seeds 1..10] [--shard I/N]
//!                       [--shards N] [--threads N] [--format csv|json|table|jsonl] [--output PATH]
//! playground merge SHARD.jsonl... [--format csv|json|table|jsonl] [--allow-missing] [--output PATH]
//! playground completions bash|zsh|fish|powershell|elvish
//! ```
//! Exit codes: 0 all is well; 1 a goal failed (`check`); 2 bad input (an unreadable or invalid
//! file, a malformed argument), with a message naming every problem, never a panic trace.

mod bench;
mod check;
mod merge;
mod progress;
mod room;
mod shard;
mod shortcuts;
mod sweep;
mod workshop;

use clap::{CommandFactory, Parser, Subcommand, ValueEnum};
use engine::{Scenario, Simulation};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Runs system-design playground scenarios headless.
#[derive(Debug, Parser)]
#[command(name = "playground", version, about, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Commands,
}

#[derive(Debug, Subcommand)]
enum Commands {
    /// Runs one scenario to its end and prints its metrics, ledgers and goals.
    Run {
        /// The scenario file (JSON).
        file: PathBuf,
        /// The seed of every random stream (default: the file's).
        #[arg(long)]
        seed: Option<u64>,
        /// How many simulated seconds to run (default: the file's).
        #[arg(long, value_name = "SECONDS")]
        duration: Option<f64>,
        /// How to print the results.
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
        /// Also draw the run's charts (the whole system, as the app shows it) into this SVG file.
        #[arg(long, value_name = "PATH.svg")]
        chart: Option<PathBuf>,
        /// Print what happened instead of the numbers: the moments that matter and the causal
        /// chain, as Markdown (for a CI step summary) or JSON.
        #[arg(long, value_enum, value_name = "FORMAT")]
        report: Option<ReportFormat>,
    },
    /// Draws the design as a picture for design docs and posts: each component with its kind
    /// and key settings, each wire with its mode; as SVG, PNG or a Mermaid flowchart.
    Diagram {
        /// The scenario file (JSON).
        file: PathBuf,
        /// The picture's format (default: from `--output`'s extension, else SVG).
        #[arg(long, value_enum)]
        format: Option<DiagramFormat>,
        /// Write the picture here instead of to standard output (a PNG needs a file).
        #[arg(long, value_name = "PATH")]
        output: Option<PathBuf>,
    },
    /// Checks scenario files and prints every problem; exits 2 if any file has one.
    Validate {
        /// The scenario files.
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Runs every goal of every file on every seed; exits 1 if any goal fails on any seed.
    Check {
        /// The scenario files.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// The seeds: `7`, `1..20` (both ends included) or `1,5,9`.
        #[arg(long, default_value = "1..5", value_parser = check::parse_seeds)]
        seeds: check::Seeds,
        /// A table for people, or JUnit XML for CI systems (one test case per goal and seed).
        #[arg(long, value_enum, default_value_t = check::CheckFormat::Table)]
        format: check::CheckFormat,
        /// Write the report here instead of to standard output.
        #[arg(long, value_name = "PATH")]
        output: Option<PathBuf>,
    },
    /// Runs one file over a grid of settings and seeds on every core, one row per run.
    Sweep {
        /// The scenario file.
        file: PathBuf,
        /// A field and its values: `api.workers=8..64:8` (both ends included), `a.b=1,3,6`,
        /// `api.idempotency=off,atomic_reserve`. Repeat for a grid.
        #[arg(long = "set", value_name = "PATH=VALUES", value_parser = sweep::parse_setting)]
        settings: Vec<sweep::Setting>,
        /// The seeds: `7`, `1..20` (both ends included) or `1,5,9`.
        #[arg(long, default_value = "1", value_parser = check::parse_seeds)]
        seeds: check::Seeds,
        /// Run only the runs whose number is I modulo N (I from 0 to N-1), to split a sweep
        /// over machines; `playground merge` joins the shards' rows. Without it, the index a
        /// batch system sets is used: JOB_COMPLETION_INDEX (Kubernetes), SLURM_ARRAY_TASK_ID,
        /// AWS_BATCH_JOB_ARRAY_INDEX, CI_NODE_INDEX (GitLab, from 1), CIRCLE_NODE_INDEX,
        /// BUILDKITE_PARALLEL_JOB.
        #[arg(long, value_name = "I/N", value_parser = shard::parse_shard)]
        shard: Option<shard::Shard>,
        /// The number of shards, where the batch system gives only the index (Kubernetes, AWS
        /// Batch); or set PLAYGROUND_SHARDS.
        #[arg(long, value_name = "N")]
        shards: Option<usize>,
        /// How many threads (default: one per core).
        #[arg(long)]
        threads: Option<usize>,
        /// How to print the rows (default: csv, or jsonl for a shard).
        #[arg(long, value_enum)]
        format: Option<sweep::SweepFormat>,
        /// Write the rows here instead of to standard output.
        #[arg(long, value_name = "PATH")]
        output: Option<PathBuf>,
    },
    /// Joins the JSON Lines of a sweep's shards into the whole sweep's table, in run order;
    /// refuses rows of another sweep, two results for one run, and missing runs.
    Merge {
        /// The shards' files (`playground sweep` with a shard writes JSON Lines).
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// How to print the rows.
        #[arg(long, value_enum, default_value_t = sweep::SweepFormat::Csv)]
        format: sweep::SweepFormat,
        /// Merge what is there when runs are missing (listed on standard error).
        #[arg(long)]
        allow_missing: bool,
        /// Write the table here instead of to standard output.
        #[arg(long, value_name = "PATH")]
        output: Option<PathBuf>,
    },
    /// Tries the edits a learner could make without touching a lock (each wire made
    /// asynchronous, optional or deleted, each component deleted, each watched component copied,
    /// each number scaled, each switch and choice) and pairs of the most promising, on every
    /// core; lists each that passes every goal on every seed. Exits 1 if a shortcut passes.
    Shortcuts {
        /// The scenario files (a lesson's `start.json`, `harder.json`, a challenge's start).
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// The seeds: `7`, `1..20` (both ends included) or `1,5,9`.
        #[arg(long, default_value = "1..5", value_parser = check::parse_seeds)]
        seeds: check::Seeds,
        /// The most runs (an edit on its seeds) per file.
        #[arg(long, default_value_t = engine::shortcuts::DEFAULT_BUDGET)]
        budget: usize,
        /// The solved design, whose own changes are not shortcuts (default: `solution.json`
        /// beside `start.json`, `NAME-solution.json` beside `NAME.json`).
        #[arg(long, value_name = "PATH")]
        solution: Option<PathBuf>,
        /// A table for people, or JSON.
        #[arg(long, value_enum, default_value_t = shortcuts::ShortcutFormat::Table)]
        format: shortcuts::ShortcutFormat,
    },
    /// Locks paths of a scenario file at the values they hold now and writes the file back:
    /// `api.workers`, `psp` (a whole component), `kind:provider.latency` (every provider, and
    /// any the learner adds), `wire:api->psp` (a call the product must make, as it makes it),
    /// `faults`, `goals`. A lock already on a path is refreshed (after changing the goals).
    /// `PATH=JSON` locks a value given here (a kind the file has no component of yet).
    Lock {
        /// The scenario file, rewritten in place.
        file: PathBuf,
        /// The path to lock (repeat for several, each with its `--why`).
        #[arg(long = "path", required = true)]
        paths: Vec<String>,
        /// Why it is locked, in the learner's words (one per `--path`, in order).
        #[arg(long = "why", required = true)]
        whys: Vec<String>,
    },
    /// Serves a live workshop room from this machine: the built app and the room's API (join
    /// with a name, predict, answer; every answer re-run here on the room's seed), with the
    /// facilitator's live events. Loopback only unless --lan. See docs/workshops.md.
    Workshop {
        /// The port (0: any free one; the address is printed).
        #[arg(long, default_value_t = 8090)]
        port: u16,
        /// Listen on the local network and print the join address as a QR code.
        #[arg(long)]
        lan: bool,
        /// Keep the rooms' records here, so a restarted server has every answer back.
        #[arg(long, value_name = "DIR")]
        data: Option<PathBuf>,
        /// The built app to serve.
        #[arg(long, value_name = "DIR", default_value = "dist")]
        dist: PathBuf,
        /// Requests a second one client address may send (three times that in a burst); raise it
        /// when the room reaches the laptop through one address (a NAT).
        #[arg(long, default_value_t = crate::room::LIMITS.per_second)]
        rate: f64,
    },
    /// Prints a shell completion script (`playground completions bash > playground.bash`).
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
    /// Engine speed on the reference models (used by `cargo xtask bench`).
    #[command(hide = true)]
    Bench,
    /// Peak memory of the reference models (used by `cargo xtask bench`).
    #[command(hide = true, name = "bench-memory")]
    BenchMemory {
        /// `hour` (the ten-component model for an hour) or `limits` (a file at the limits).
        #[arg(default_value = "hour")]
        model: String,
    },
    /// The shortcut search on every lesson, timed (used by `cargo xtask bench`).
    #[command(hide = true, name = "bench-shortcuts")]
    BenchShortcuts,
    /// Answers a workshop room verifies a second (used by `cargo xtask bench`).
    #[command(hide = true, name = "bench-workshop")]
    BenchWorkshop,
    /// A sweep's speed on one thread and on every core (used by `cargo xtask bench`).
    #[command(hide = true, name = "bench-sweep")]
    BenchSweep,
    /// Writes the reference models as scenario files, for the npm package's benchmark.
    #[command(hide = true, name = "bench-scenarios")]
    BenchScenarios {
        /// The folder to write `mm1.json` and `ten.json` into.
        dir: PathBuf,
    },
}

/// What `diagram` draws.
#[derive(Debug, Clone, Copy, PartialEq, ValueEnum)]
enum DiagramFormat {
    Svg,
    Png,
    Mermaid,
}

/// How `run --report` prints the run report.
#[derive(Debug, Clone, Copy, PartialEq, ValueEnum)]
enum ReportFormat {
    Markdown,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, ValueEnum)]
enum Format {
    Table,
    Json,
    Csv,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Commands::Run {
            file,
            seed,
            duration,
            format,
            chart,
            report,
        } => run(&file, seed, duration, format, chart.as_deref(), report),
        Commands::Diagram {
            file,
            format,
            output,
        } => diagram(&file, format, output.as_deref()),
        Commands::Validate { files } => validate(&files),
        Commands::Check {
            files,
            seeds,
            format,
            output,
        } => check::check(&files, &seeds, format, output.as_deref()),
        Commands::Sweep {
            file,
            settings,
            seeds,
            shard,
            shards,
            threads,
            format,
            output,
        } => sweep::sweep(
            &file,
            &settings,
            &sweep::SweepOptions {
                seeds: seeds.0,
                shard,
                shards,
                threads,
                format,
                output,
            },
        ),
        Commands::Merge {
            files,
            format,
            allow_missing,
            output,
        } => merge::merge(&files, format, allow_missing, output.as_deref()),
        Commands::Shortcuts {
            files,
            seeds,
            budget,
            solution,
            format,
        } => shortcuts::shortcuts(&files, &seeds.0, budget, solution.as_deref(), format),
        Commands::Lock { file, paths, whys } => lock(&file, &paths, &whys),
        Commands::Workshop {
            port,
            lan,
            data,
            dist,
            rate,
        } => workshop::workshop(workshop::Options {
            port,
            lan,
            data,
            dist,
            rate,
        }),
        Commands::Completions { shell } => {
            clap_complete::generate(
                shell,
                &mut Cli::command(),
                "playground",
                &mut std::io::stdout(),
            );
            ExitCode::SUCCESS
        }
        Commands::Bench => {
            bench::run();
            ExitCode::SUCCESS
        }
        Commands::BenchMemory { model } => {
            bench::memory(&model);
            ExitCode::SUCCESS
        }
        Commands::BenchShortcuts => {
            bench::shortcuts();
            ExitCode::SUCCESS
        }
        Commands::BenchWorkshop => {
            bench::workshop();
            ExitCode::SUCCESS
        }
        Commands::BenchSweep => {
            bench::sweep();
            ExitCode::SUCCESS
        }
        Commands::BenchScenarios { dir } => bench::write_scenarios(&dir),
    }
}

/// `playground diagram`: the design as SVG, PNG or Mermaid, to a file or standard output.
fn diagram(file: &Path, format: Option<DiagramFormat>, output: Option<&Path>) -> ExitCode {
    use playground_charts::diagram;
    let by_extension = || {
        let ext = output?.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "svg" => Some(DiagramFormat::Svg),
            "png" => Some(DiagramFormat::Png),
            "mmd" | "mermaid" | "md" => Some(DiagramFormat::Mermaid),
            _ => None,
        }
    };
    let format = format.or_else(by_extension).unwrap_or(DiagramFormat::Svg);
    let drawn = load(file).and_then(|s| {
        // A design that does not hold together is refused, as by `validate`.
        playground_format::topology::Topology::build(&s)
            .map_err(|e| format!("{}: {e}", file.display()))?;
        Ok(match format {
            DiagramFormat::Svg => diagram::svg(&s).into_bytes(),
            DiagramFormat::Mermaid => diagram::mermaid(&s).into_bytes(),
            DiagramFormat::Png if output.is_none() => {
                return Err("a PNG is written to a file: add --output PATH.png".into())
            }
            DiagramFormat::Png => rasterise(&diagram::svg(&s))?,
        })
    });
    let written = drawn.and_then(|bytes| match output {
        Some(path) => {
            std::fs::write(path, bytes).map_err(|e| format!("cannot write {}: {e}", path.display()))
        }
        None => std::io::Write::write_all(&mut std::io::stdout(), &bytes)
            .map_err(|e| format!("cannot write the diagram: {e}")),
    });
    match written {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{e}");
            ExitCode::from(2)
        }
    }
}

/// `playground lock`: each path locked at its value in the file, the file written back.
fn lock(file: &Path, paths: &[String], whys: &[String]) -> ExitCode {
    if paths.len() != whys.len() {
        eprintln!(
            "{} paths but {} reasons: give each --path its --why",
            paths.len(),
            whys.len()
        );
        return ExitCode::from(2);
    }
    let mut scenario = match load(file) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    for (path, why) in paths.iter().zip(whys) {
        // `kind:replica.read_time={...}`: a value given for a kind the file has none of yet.
        let given = match path.split_once('=') {
            Some((p, v)) => match serde_json::from_str(v) {
                Ok(v) => Some((p.to_string(), v)),
                Err(e) => {
                    eprintln!("{path}: the value after = is not JSON: {e}");
                    return ExitCode::from(2);
                }
            },
            None => None,
        };
        let lock = match given {
            Some((path, value)) => Some(engine::scenario::Lock {
                path,
                value,
                why: why.clone(),
            }),
            None => engine::conditions::lock(&scenario, path, why),
        };
        let Some(lock) = lock else {
            eprintln!("{}: {path} names nothing in the scenario", file.display());
            return ExitCode::from(2);
        };
        let path = &lock.path.clone();
        match scenario.locked.iter_mut().find(|l| &l.path == path) {
            Some(old) => *old = lock,
            None => scenario.locked.push(lock),
        }
    }
    if let Err(e) = Simulation::new(&scenario) {
        eprintln!("{}: {e}", file.display());
        return ExitCode::from(2);
    }
    // The file's pointer to the JSON Schema, which the scenario does not keep, stays first.
    let mut text = scenario.to_json() + "\n";
    let original = std::fs::read_to_string(file).unwrap_or_default();
    let schema = serde_json::from_str::<serde_json::Value>(&original)
        .ok()
        .and_then(|v| {
            v.get("$schema")
                .and_then(|s| s.as_str())
                .map(str::to_string)
        });
    if let (Some(schema), Some(rest)) = (schema, text.strip_prefix("{\n")) {
        text = format!(
            "{{\n  \"$schema\": {},\n{rest}",
            serde_json::Value::from(schema)
        );
    }
    match std::fs::write(file, text) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("cannot write {}: {e}", file.display());
            ExitCode::from(2)
        }
    }
}

/// A file read and parsed, or the message that says why not.
/// Writes a command's output to `path`, or to standard output (a closed pipe ends it quietly);
/// exit code 2 with a message when the file cannot be written.
pub(crate) fn write_out(path: Option<&Path>, text: &str) -> ExitCode {
    match path {
        Some(path) => match std::fs::write(path, text) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("cannot write {}: {e}", path.display());
                ExitCode::from(2)
            }
        },
        None => {
            let _ = std::io::Write::write_all(&mut std::io::stdout(), text.as_bytes());
            ExitCode::SUCCESS
        }
    }
}

pub(crate) fn load(file: &Path) -> Result<Scenario, String> {
    let text = std::fs::read_to_string(file)
        .map_err(|e| format!("cannot read {}: {e}", file.display()))?;
    Scenario::from_json(&text)
        .map_err(|e| format!("{}: not a valid scenario file: {e}", file.display()))
}

/// A file read, parsed and checked: the simulation it builds, or every problem in it.
fn build(file: &Path, scenario: &Scenario) -> Result<Simulation, String> {
    Simulation::new(scenario).map_err(|e| format!("{}: {e}", file.display()))
}

fn run(
    file: &Path,
    seed: Option<u64>,
    duration: Option<f64>,
    format: Format,
    chart: Option<&Path>,
    what_happened: Option<ReportFormat>,
) -> ExitCode {
    // Refuse a chart file we cannot write before spending the run on it.
    if let Some(path) = chart.filter(|p| chart_format(p).is_none()) {
        eprintln!(
            "{}: charts are written as SVG or PNG (a name ending in .svg or .png)",
            path.display()
        );
        return ExitCode::from(2);
    }
    let mut scenario = match load(file) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    if let Some(seed) = seed {
        scenario.seed = seed;
    }
    if let Some(d) = duration {
        scenario.duration_s = d;
    }
    let mut sim = match build(file, &scenario) {
        Ok(s) => s,
        Err(e) => {
            eprint!("{e}");
            return ExitCode::from(2);
        }
    };
    run_with_progress(&mut sim);
    // A closed pipe (`playground run f.json | head`) ends the output quietly, not with a panic.
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let written = match what_happened {
        None => report(&sim, format, &mut out),
        Some(how) => {
            let story = engine::report::report(&sim);
            let text = match how {
                ReportFormat::Markdown => story.markdown(),
                ReportFormat::Json => {
                    serde_json::to_string_pretty(&story).unwrap_or_default() + "\n"
                }
            };
            std::io::Write::write_all(&mut out, text.as_bytes())
        }
    };
    let _ = written.and_then(|()| std::io::Write::flush(&mut out));
    if let Some(path) = chart {
        if let Err(e) = write_chart(&sim, &scenario, path) {
            eprintln!("{}: {e}", path.display());
            return ExitCode::from(2);
        }
    }
    ExitCode::SUCCESS
}

/// The image formats `--chart` writes, by the file name's extension.
#[derive(Debug, Clone, Copy, PartialEq)]
enum ChartFormat {
    Svg,
    Png,
}

fn chart_format(path: &Path) -> Option<ChartFormat> {
    match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
        "svg" => Some(ChartFormat::Svg),
        "png" => Some(ChartFormat::Png),
        _ => None,
    }
}

/// Writes the run's charts to `path`, as SVG or as PNG by its extension.
fn write_chart(sim: &Simulation, scenario: &Scenario, path: &Path) -> Result<(), String> {
    let svg = draw_charts(sim, scenario)?;
    let bytes = match chart_format(path) {
        Some(ChartFormat::Png) => rasterise(&svg)?,
        _ => svg.into_bytes(),
    };
    std::fs::write(path, bytes).map_err(|e| e.to_string())
}

/// The run's charts for the whole system, drawn with the app's own chart code as one SVG: a
/// title per chart, the faults shaded, three charts a row.
fn draw_charts(sim: &Simulation, scenario: &Scenario) -> Result<String, String> {
    use playground_charts::{chart, views};
    use plotters::prelude::*;
    let palette = chart::LIGHT;
    let mut view = views::charts(sim, None, palette, scenario.window_ms / 1_000.0);
    view.bands = views::fault_bands(scenario);
    let (cols, width, height, title) = (3usize, 560u32, 320u32, 28u32);
    let rows = view.charts.len().div_ceil(cols).max(1);
    let size = (cols as u32 * width, rows as u32 * (height + title));
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, size).into_drawing_area();
        let fail = |e: DrawingAreaErrorKind<std::io::Error>| e.to_string();
        root.fill(&palette.background).map_err(fail)?;
        let font = ("sans-serif", 16).into_font().color(&palette.ink);
        for (area, c) in root.split_evenly((rows, cols)).iter().zip(&view.charts) {
            let (top, body) = area.split_vertically(title);
            let heading = format!("{} — {}", c.title, view.subject);
            top.draw_text(&heading, &font, (8, 6)).map_err(fail)?;
            chart::draw_time_series(&body, c.y_desc, &c.series, &view.bands, palette, 1.0)?;
        }
        root.present().map_err(fail)?;
    }
    Ok(svg)
}

/// The SVG as a PNG, rendered with resvg. Text needs a font installed on the system; without
/// one the lines are drawn and a warning says the labels are missing.
fn rasterise(svg: &str) -> Result<Vec<u8>, String> {
    use resvg::{tiny_skia, usvg};
    let mut options = usvg::Options::default();
    options.fontdb_mut().load_system_fonts();
    // The charts ask for `sans-serif`, which fontdb maps to Arial unless told otherwise: use
    // a sans-serif face the system has, else any face at all.
    let families: Vec<String> = options
        .fontdb
        .faces()
        .flat_map(|f| f.families.iter().map(|(name, _)| name.clone()))
        .collect();
    let preferred = [
        "DejaVu Sans",
        "Liberation Sans",
        "Noto Sans",
        "Arial",
        "Helvetica",
    ];
    match preferred
        .iter()
        .find(|p| families.iter().any(|f| f == *p))
        .map(|p| p.to_string())
        .or_else(|| families.first().cloned())
    {
        Some(family) => options.fontdb_mut().set_sans_serif_family(family),
        None => eprintln!(
            "warning: no fonts are installed, so the PNG has no text (on Debian: apt-get install fonts-dejavu-core)"
        ),
    }
    let tree = usvg::Tree::from_str(svg, &options).map_err(|e| format!("the chart: {e}"))?;
    let size = tree.size().to_int_size();
    let mut pixmap = tiny_skia::Pixmap::new(size.width(), size.height())
        .ok_or("the chart is too large to draw")?;
    resvg::render(&tree, tiny_skia::Transform::default(), &mut pixmap.as_mut());
    pixmap.encode_png().map_err(|e| format!("the PNG: {e}"))
}

/// Every problem of every file, on standard error; "ok" per good file on standard output.
fn validate(files: &[PathBuf]) -> ExitCode {
    let mut bad = false;
    for file in files {
        // The file format's own checks (the format crate alone: nothing is simulated).
        let checked = load(file).and_then(|s| {
            playground_format::topology::Topology::build(&s)
                .map(|_| ())
                .map_err(|e| format!("{}: {e}", file.display()))
        });
        match checked {
            Ok(()) => println!("{}: ok", file.display()),
            Err(e) => {
                bad = true;
                eprintln!("{}", e.trim_end());
            }
        }
    }
    if bad {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    }
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

/// One component in the JSON report, borrowed from the simulation.
#[derive(serde::Serialize)]
struct ComponentReport<'a> {
    id: &'a str,
    totals: &'a engine::metrics::Totals,
    windows: &'a std::collections::VecDeque<engine::metrics::Window>,
}

/// The JSON report, written straight to the output: a run at the window limit keeps 180,000
/// windows, which as a `serde_json::Value` tree took 1.6 GB.
#[derive(serde::Serialize)]
struct JsonReport<'a> {
    digest: String,
    ledger: engine::Ledger,
    jobs: engine::JobLedger,
    goals: Vec<engine::goal::GoalStatus>,
    conditions_changed: &'a [engine::conditions::Change],
    components: Vec<ComponentReport<'a>>,
}

/// Writes the run's results in the chosen format.
fn report(sim: &Simulation, format: Format, to: &mut impl std::io::Write) -> std::io::Result<()> {
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
            let doc = JsonReport {
                digest: format!("{:016x}", engine::digest::digest(sim)),
                ledger: sim.ledger(),
                jobs: sim.job_ledger(),
                goals: sim.goals(),
                conditions_changed: sim.conditions_changed(),
                components: nodes
                    .iter()
                    .zip(sim.metrics())
                    .map(|(n, m)| ComponentReport {
                        id: &n.id,
                        totals: &m.totals,
                        windows: &m.history,
                    })
                    .collect(),
            };
            serde_json::to_writer_pretty(&mut *to, &doc).map_err(std::io::Error::other)?;
            out.push('\n');
        }
        Format::Csv => {
            to.write_all(out.as_bytes())?;
            out.clear();
            to.write_all(
                engine::csv::record([
                    "component",
                    "start_ms",
                    "arrivals",
                    "completions",
                    "errors",
                    "rejections",
                    "timeouts",
                    "retries",
                    "queue_depth_avg",
                    "utilisation",
                    "p50_ms",
                    "p95_ms",
                    "p99_ms",
                    "max_ms",
                ])
                .as_bytes(),
            )?;
            for (n, m) in nodes.iter().zip(sim.metrics()) {
                for w in &m.history {
                    let cells = [
                        n.id.clone(),
                        w.start_ms.to_string(),
                        w.arrivals.to_string(),
                        w.completions.to_string(),
                        w.errors.to_string(),
                        w.rejections.to_string(),
                        w.timeouts.to_string(),
                        w.retries.to_string(),
                        w.queue_depth_avg.to_string(),
                        w.utilisation.to_string(),
                        w.p50_ms.to_string(),
                        w.p95_ms.to_string(),
                        w.p99_ms.to_string(),
                        w.max_ms.to_string(),
                    ];
                    to.write_all(engine::csv::record(cells).as_bytes())?;
                }
            }
        }
    }
    to.write_all(out.as_bytes())
}
