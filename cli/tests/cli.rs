//! The command-line runner as a user meets it: good files give tables, JSON and CSV; bad files
//! give a message naming each problem and exit code 2, never a panic.
#![allow(clippy::expect_used, clippy::unwrap_used)] // A test may stop at the first broken expectation.

use std::path::PathBuf;
use std::process::{Command, Output};

fn data(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join("tests")
        .join("data")
        .join(name)
}

fn playground(args: &[&str]) -> Output {
    playground_with(args, &[])
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn a_good_file_prints_a_table_with_every_component() {
    let file = data("checkout.json");
    let out = playground(&["run", file.to_str().expect("utf-8 path")]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    for id in ["shoppers", "api", "payments"] {
        assert!(stdout.contains(id), "{stdout}");
    }
    assert!(stdout.contains("entered"), "{stdout}");
}

#[test]
fn json_and_csv_are_machine_readable_and_seed_changes_numbers() {
    let file = data("checkout.json");
    let path = file.to_str().expect("utf-8 path");
    let a = playground(&["run", path, "--format", "json", "--seed", "1"]);
    let b = playground(&["run", path, "--format", "json", "--seed", "2"]);
    let doc: serde_json::Value = serde_json::from_slice(&a.stdout).expect("valid JSON");
    assert_eq!(doc["components"].as_array().map(Vec::len), Some(3));
    assert!(doc["ledger"]["entered"].as_u64().unwrap_or(0) > 1_000);
    assert_ne!(a.stdout, b.stdout);
    let csv = text(&playground(&["run", path, "--format", "csv", "--duration", "2"]).stdout);
    let header_columns = csv.lines().next().map(|l| l.split(',').count());
    // 3 components × 20 windows of 100 ms in 2 s, plus the header.
    assert_eq!(csv.lines().count(), 1 + 3 * 20);
    assert!(csv
        .lines()
        .all(|l| Some(l.split(',').count()) == header_columns));
}

#[test]
fn a_bad_file_names_every_problem_and_exits_2() {
    let file = data("broken.json");
    let out = playground(&["run", file.to_str().expect("utf-8 path")]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    for needle in [
        "duration_s",
        "rate_per_sec",
        "spec.workers",
        "\"ghost\"",
        "loop",
    ] {
        assert!(stderr.contains(needle), "missing {needle:?} in:\n{stderr}");
    }
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn unreadable_and_malformed_input_gets_a_message() {
    let out = playground(&["run", "/nonexistent/scenario.json"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("cannot read"));
    let out = playground(&[
        "run",
        file_with("{ \"version\": 1, ").to_str().expect("utf-8"),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("not a valid scenario file"),
        "{}",
        text(&out.stderr)
    );
    let out = playground(&["fly"]);
    assert_eq!(out.status.code(), Some(2));
}

fn file_with(content: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    let path = dir.join("malformed.json");
    std::fs::write(&path, content).expect("write");
    path
}

#[test]
fn a_closed_pipe_ends_quietly() {
    use std::io::Read;
    let file = data("checkout.json");
    let mut child = Command::new(env!("CARGO_BIN_EXE_playground"))
        // Ten simulated minutes of CSV: far more than a pipe buffer holds.
        .args([
            "run",
            file.to_str().expect("utf-8 path"),
            "--format",
            "csv",
            "--duration",
            "600",
        ])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("runs");
    // Read one byte, then close our end of the pipe, as `| head -c 1` would.
    let mut stdout = child.stdout.take().expect("stdout");
    let mut one = [0u8; 1];
    stdout.read_exact(&mut one).expect("some output");
    drop(stdout);
    let out = child.wait_with_output().expect("exits");
    assert!(
        !text(&out.stderr).contains("panicked"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn a_lesson_run_under_changed_conditions_says_so() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let start = root.join("lessons/02-launch-spike/start.json");
    let file = std::fs::read_to_string(&start).expect("the lesson's start");
    let mut doc: serde_json::Value = serde_json::from_str(&file).expect("JSON");
    doc["components"][0]["spec"]["rate_per_sec"] = serde_json::json!(30);
    let dir = std::env::temp_dir().join(format!("playground-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temporary folder");
    let changed = dir.join("quieter.json");
    std::fs::write(&changed, doc.to_string()).expect("written");

    let out = playground(&[
        "run",
        changed.to_str().expect("utf-8 path"),
        "--duration",
        "2",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("conditions changed, so the goals do not count:\n  users.rate_per_sec is 30, but the scenario holds it at 300"),
        "{stdout}"
    );
    let json = playground(&[
        "run",
        changed.to_str().expect("utf-8 path"),
        "--duration",
        "2",
        "--format",
        "json",
    ]);
    let doc: serde_json::Value = serde_json::from_slice(&json.stdout).expect("JSON");
    assert_eq!(doc["conditions_changed"][0]["path"], "users.rate_per_sec");

    // The lesson as shipped: nothing to report.
    let out = playground(&[
        "run",
        start.to_str().expect("utf-8 path"),
        "--duration",
        "2",
    ]);
    assert!(!text(&out.stdout).contains("conditions changed"));
    let _ = std::fs::remove_dir_all(&dir);
}

fn lesson(slug: &str, file: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join("lessons")
        .join(slug)
        .join(file);
    path.to_str().expect("utf-8 path").to_string()
}

#[test]
fn validate_prints_problems_only_and_exits_2_on_any() {
    let good = data("checkout.json");
    let broken = data("broken.json");
    let out = playground(&[
        "validate",
        good.to_str().expect("utf-8"),
        broken.to_str().expect("utf-8"),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stdout).contains("checkout.json: ok"));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("5 problems") && stderr.contains("\"ghost\""),
        "{stderr}"
    );
    let out = playground(&["validate", good.to_str().expect("utf-8")]);
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn check_exits_1_when_a_goal_fails_on_any_seed_and_0_when_all_pass() {
    let start = lesson("01-paid-twice", "start.json");
    let solution = lesson("01-paid-twice", "solution.json");
    let out = playground(&["check", &solution, "--seeds", "1..3"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    let table = text(&out.stdout);
    assert!(table.contains("12 checked: 12 passed, 0 failed"), "{table}");
    let out = playground(&["check", &solution, &start, "--seeds", "2"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stdout).contains("FAIL    "),
        "{}",
        text(&out.stdout)
    );
    // A missing file is an error (exit 2), reported beside the others.
    let out = playground(&["check", &solution, "/nonexistent.json", "--seeds", "1"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("cannot read /nonexistent.json"));
    // Malformed seeds are refused by name.
    let out = playground(&["check", &solution, "--seeds", "9..1"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("runs backwards"));
}

#[test]
fn junit_parses_and_lists_every_goal_on_every_seed() {
    let start = lesson("04-nobody-got-the-email", "start.json");
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    let report = dir.join("junit.xml");
    let out = playground(&[
        "check",
        &start,
        "--seeds",
        "1,2",
        "--format",
        "junit",
        "--output",
        report.to_str().expect("utf-8"),
    ]);
    assert_eq!(out.status.code(), Some(1), "the start fails a goal");
    let xml = std::fs::read_to_string(&report).expect("written");
    let mut reader = quick_xml::Reader::from_str(&xml);
    let (mut cases, mut failures, mut names) = (0, 0, Vec::new());
    loop {
        match reader.read_event().expect("well-formed XML") {
            quick_xml::events::Event::Eof => break,
            quick_xml::events::Event::Start(e) | quick_xml::events::Event::Empty(e) => {
                match e.name().as_ref() {
                    b"testcase" => {
                        cases += 1;
                        let name = e.try_get_attribute("name").expect("attr").expect("a name");
                        names.push(name.unescape_value().expect("text").into_owned());
                    }
                    b"failure" => failures += 1,
                    _ => {}
                }
            }
            _ => {}
        }
    }
    // Six goals (five and the budget) on two seeds.
    assert_eq!(cases, 12, "{xml}");
    assert!(failures >= 2, "the lost jobs fail on both seeds:\n{xml}");
    assert!(
        names.contains(&"No job vanishes without a trace [seed 2]".to_string()),
        "{names:?}"
    );
}

#[test]
fn check_fails_every_goal_of_a_run_under_changed_conditions() {
    let start = lesson("02-launch-spike", "solution.json");
    let file = std::fs::read_to_string(&start).expect("the lesson's solution");
    let mut doc: serde_json::Value = serde_json::from_str(&file).expect("JSON");
    doc["faults"] = serde_json::json!([]);
    let path = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("no-spike.json");
    std::fs::write(&path, doc.to_string()).expect("written");
    let out = playground(&["check", path.to_str().expect("utf-8"), "--seeds", "1"]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "every goal would pass, but none counts"
    );
    assert!(
        text(&out.stdout)
            .contains("conditions changed, so the goal does not count: faults was changed"),
        "{}",
        text(&out.stdout)
    );
}

#[test]
fn completions_are_printed_for_a_shell() {
    let out = playground(&["completions", "bash"]);
    assert_eq!(out.status.code(), Some(0));
    let script = text(&out.stdout);
    assert!(
        script.contains("playground") && script.contains("validate") && script.contains("--seeds")
    );
}

#[test]
fn a_sweep_has_one_row_per_run_and_its_shards_add_up_to_it() {
    let file = lesson("01-paid-twice", "start.json");
    let sweep = |extra: &[&str]| {
        let mut args = vec![
            "sweep",
            &file,
            "--set",
            "api.idempotency=off,atomic_reserve",
            "--set",
            "api.workers=32..64:32",
            "--seeds",
            "1..3",
            "--format",
            "csv",
        ];
        args.extend_from_slice(extra);
        let out = playground(&args);
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        text(&out.stdout)
    };
    let whole = sweep(&[]);
    let mut lines = whole.lines();
    let head = lines.next().expect("a header");
    assert!(
        head.starts_with(
            "run,api.idempotency,api.workers,seed,\"Nobody is charged twice, by any provider\","
        ),
        "{head}"
    );
    let rows: Vec<&str> = lines.collect();
    assert_eq!(rows.len(), 2 * 2 * 3, "two values, two values, three seeds");
    assert!(rows[0].starts_with("0,off,32,1,"), "{}", rows[0]);
    assert!(
        rows[11].starts_with("11,atomic_reserve,64,3,0,true,"),
        "{}",
        rows[11]
    );
    // Three shards, joined and put in run order, are the whole sweep, row for row.
    let mut joined: Vec<String> = Vec::new();
    for i in 0..3 {
        let shard = sweep(&["--shard", &format!("{i}/3"), "--threads", "1"]);
        let mut lines = shard.lines();
        assert_eq!(lines.next(), Some(head), "the same header");
        joined.extend(lines.map(str::to_string));
    }
    joined.sort_by_key(|r| r.split(',').next().and_then(|n| n.parse::<usize>().ok()));
    assert_eq!(joined, rows);
}

#[test]
fn a_sweep_refuses_a_bad_value_by_name() {
    let file = lesson("01-paid-twice", "start.json");
    let out = playground(&["sweep", &file, "--set", "api.workers=0,8"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("with api.workers=0") && stderr.contains("spec.workers"),
        "{stderr}"
    );
    let out = playground(&["sweep", &file, "--set", "nobody.workers=8"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("no component has the id \"nobody\""));
    // A path into a plain value is refused, not a panic.
    let out = playground(&["sweep", &file, "--set", "api.workers.extra=3"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("extra is inside a field that holds a plain value"));
    let out = playground(&["sweep", &file, "--shard", "3/3"]);
    assert_eq!(out.status.code(), Some(2));
}

/// Lesson 1's first 20 seconds charted into `name` (in the tests' temporary folder).
fn chart_of_lesson_one(name: &str) -> PathBuf {
    let path = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    let file = lesson("01-paid-twice", "start.json");
    let chart = path.to_str().expect("utf-8");
    let out = playground(&["run", &file, "--duration", "20", "--chart", chart]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    path
}

#[test]
fn run_draws_the_charts_into_an_svg_file_that_names_its_series() {
    let file = lesson("01-paid-twice", "start.json");
    let drawn = std::fs::read_to_string(chart_of_lesson_one("paid-twice.svg")).expect("written");
    assert!(drawn.starts_with("<svg"), "an SVG file");
    for name in [
        "Latency",
        "Throughput",
        "Errors",
        "Queue depth",
        "Utilisation",
        "Side effects",
        "p99",
        "good (succeeded)",
        "duplicate effects",
    ] {
        assert!(drawn.contains(name), "the chart names {name:?}");
    }
    let out = playground(&["run", &file, "--chart", "out.gif"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("charts are written as SVG or PNG"));
}

#[test]
fn run_draws_the_same_charts_into_a_png_with_their_text() {
    use resvg::tiny_skia::Pixmap;
    let file = lesson("01-paid-twice", "start.json");
    let png = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("paid-twice.png");
    let out = playground(&[
        "run",
        &file,
        "--duration",
        "20",
        "--chart",
        png.to_str().expect("utf-8"),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let image = Pixmap::decode_png(&std::fs::read(&png).expect("written")).expect("a PNG");
    // Six charts, three a row, 560 x (320 + 28) each.
    assert_eq!((image.width(), image.height()), (1680, 696));
    let background = image.pixel(1, 1).expect("a pixel");
    let differs = |x0: u32, y0: u32, w: u32, h: u32| {
        (y0..y0 + h)
            .flat_map(|y| (x0..x0 + w).map(move |x| (x, y)))
            .filter(|&(x, y)| image.pixel(x, y) != Some(background))
            .count()
    };
    // The first chart's title ("Latency — …") is drawn as text in its 28-pixel strip, and its
    // plot has lines; the fonts come from the system (this machine has DejaVu).
    assert!(differs(0, 0, 300, 28) > 200, "the title is drawn");
    assert!(differs(40, 60, 500, 250) > 2_000, "the plot is drawn");
}

/// Every lesson and every harder variant: the shortcut search on every core finds nothing that
/// passes but the lesson's own fix and the alternatives its lesson.json accepts with a reason
/// (two seeds here; `cargo xtask bench` runs the five-seed search and prints its figures).
#[test]
fn no_lesson_can_be_passed_by_a_shortcut() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut files = Vec::new();
    for entry in std::fs::read_dir(root.join("lessons")).expect("lessons/") {
        let dir = entry.expect("entry").path();
        for name in ["start.json", "harder.json"] {
            if dir.join(name).exists() {
                files.push(dir.join(name).to_str().expect("utf-8").to_string());
            }
        }
    }
    assert!(files.len() >= 15, "eight lessons and their harder variants");
    let mut args = vec!["shortcuts", "--seeds", "1..2", "--format", "json"];
    args.extend(files.iter().map(String::as_str));
    let out = playground(&args);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}{}", text(&out.stderr));
    let reports: serde_json::Value = serde_json::from_str(&stdout).expect("JSON");
    let reports = reports.as_array().expect("a list");
    assert_eq!(reports.len(), files.len());
    let mut accepted = 0;
    for r in reports {
        let search = &r["search"];
        let file = r["file"].as_str().expect("file");
        assert!(search["singles"].as_u64() > Some(50), "{file}: {search}");
        assert!(search["runs"].as_u64() > Some(100), "{file}: {search}");
        for f in search["found"].as_array().expect("found") {
            match f["verdict"]["verdict"].as_str() {
                Some("solution") => {}
                Some("accepted") => {
                    accepted += 1;
                    assert!(f["verdict"]["why"].as_str().is_some_and(|w| w.len() > 40));
                }
                other => panic!("{file}: {other:?} {}", f["edit"]["words"]),
            }
        }
    }
    assert!(
        accepted >= 4,
        "lesson 8 declares its alternatives: {accepted}"
    );
}

#[test]
fn the_search_names_a_planted_shortcut_as_a_user_would_make_it_and_exits_1() {
    let file = data("shortcut-planted.json");
    let out = playground(&[
        "shortcuts",
        file.to_str().expect("utf-8"),
        "--seeds",
        "1..2",
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let table = text(&out.stdout);
    for words in [
        "SHORTCUT  Make the wire API → Provider asynchronous (fire and forget)",
        "SHORTCUT  Delete the wire API → Provider",
        "[duplicate psp tuned]",
        "shortcut(s) pass every goal on every seed",
    ] {
        assert!(table.contains(words), "{words:?} in\n{table}");
    }
    // The locks a lesson author adds to close them, written with `playground lock`.
    let dir = std::env::temp_dir().join(format!("pg-lock-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let copy = dir.join("planted.json");
    std::fs::copy(&file, &copy).expect("copied");
    let copy = copy.to_str().expect("utf-8");
    let out = playground(&[
        "lock",
        copy,
        "--path",
        "calls:api->psp",
        "--path",
        "psp",
        "--why",
        "w",
    ]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "a reason for each path: {out:?}"
    );
    assert!(text(&out.stderr).contains("2 paths but 1 reasons"));
    let out = playground(&[
        "lock",
        copy,
        "--path",
        "calls:api->psp",
        "--why",
        "Charged before 'paid'.",
        "--path",
        "kind:provider",
        "--why",
        "Someone else's.",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let out = playground(&["lock", copy, "--path", "nobody.workers", "--why", "x"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("nobody.workers names nothing"));
    let out = playground(&["shortcuts", copy, "--seeds", "1..2", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let left: Vec<&str> = json[0]["search"]["found"]
        .as_array()
        .expect("found")
        .iter()
        .filter_map(|f| f["edit"]["key"].as_str())
        .collect();
    assert!(!left.contains(&"async api->psp"), "{left:?}");
    assert!(!left.contains(&"duplicate psp tuned"), "{left:?}");
    // Still a shortcut: an optional call (no goal bounds unfulfilled work in this file).
    assert!(left.contains(&"optional api->psp true"), "{left:?}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// The variables of every batch system `sweep` reads its shard from, removed so a test run
/// inside a CI job's parallel task is not itself sharded.
const SHARD_VARIABLES: [&str; 13] = [
    "JOB_COMPLETION_INDEX",
    "PLAYGROUND_SHARDS",
    "SLURM_ARRAY_TASK_ID",
    "SLURM_ARRAY_TASK_MIN",
    "SLURM_ARRAY_TASK_STEP",
    "SLURM_ARRAY_TASK_COUNT",
    "AWS_BATCH_JOB_ARRAY_INDEX",
    "CI_NODE_INDEX",
    "CI_NODE_TOTAL",
    "CIRCLE_NODE_INDEX",
    "CIRCLE_NODE_TOTAL",
    "BUILDKITE_PARALLEL_JOB",
    "BUILDKITE_PARALLEL_JOB_COUNT",
];

/// `playground` with these variables set and every other shard variable removed.
fn playground_with(args: &[&str], vars: &[(&str, String)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_playground"));
    command.args(args);
    for v in SHARD_VARIABLES {
        command.env_remove(v);
    }
    command.envs(vars.iter().map(|(k, v)| (k, v)));
    command.output().expect("runs")
}

fn scratch(name: &str) -> String {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("shards");
    std::fs::create_dir_all(&dir).expect("a scratch folder");
    dir.join(name).to_str().expect("utf-8").to_string()
}

/// Lesson 1 over two worker counts and `seeds`, with these extra arguments and variables.
fn lesson_one_sweep(seeds: &str, extra: &[&str], vars: &[(&str, String)]) -> Output {
    let file = lesson("01-paid-twice", "start.json");
    let mut args = vec![
        "sweep",
        &file,
        "--set",
        "api.workers=32..64:32",
        "--seeds",
        seeds,
    ];
    args.extend_from_slice(extra);
    playground_with(&args, vars)
}

#[test]
fn shards_from_each_batch_systems_variables_merge_into_the_whole_sweep() {
    let whole = lesson_one_sweep("1..3", &["--format", "csv"], &[]);
    assert_eq!(whole.status.code(), Some(0), "{}", text(&whole.stderr));
    let whole_json = lesson_one_sweep("1..3", &["--format", "json"], &[]);
    // Three tasks under each convention, as each system numbers them.
    type Vars = fn(usize) -> Vec<(&'static str, String)>;
    let conventions: [(&str, Vars); 5] = [
        ("kubernetes", |i| {
            vec![
                ("JOB_COMPLETION_INDEX", i.to_string()),
                ("PLAYGROUND_SHARDS", "3".into()),
            ]
        }),
        ("slurm", |i| {
            vec![
                ("SLURM_ARRAY_TASK_ID", (i + 1).to_string()),
                ("SLURM_ARRAY_TASK_MIN", "1".into()),
                ("SLURM_ARRAY_TASK_COUNT", "3".into()),
            ]
        }),
        ("aws", |i| {
            vec![
                ("AWS_BATCH_JOB_ARRAY_INDEX", i.to_string()),
                ("PLAYGROUND_SHARDS", "3".into()),
            ]
        }),
        ("gitlab", |i| {
            vec![
                ("CI_NODE_INDEX", (i + 1).to_string()),
                ("CI_NODE_TOTAL", "3".into()),
            ]
        }),
        ("circleci", |i| {
            vec![
                ("CIRCLE_NODE_INDEX", i.to_string()),
                ("CIRCLE_NODE_TOTAL", "3".into()),
            ]
        }),
    ];
    for (name, vars) in conventions {
        let mut files = Vec::new();
        for i in 0..3 {
            let path = scratch(&format!("{name}-{i}.jsonl"));
            let out = lesson_one_sweep("1..3", &["--output", &path], &vars(i));
            assert_eq!(out.status.code(), Some(0), "{name}: {}", text(&out.stderr));
            assert!(
                text(&out.stderr).contains(&format!("shard {i} of 3")),
                "{name}"
            );
            let shard = std::fs::read_to_string(&path).expect("written");
            assert_eq!(shard.lines().count(), 2, "{name}: 6 runs over 3 shards");
            files.push(path);
        }
        // Listed in any order, the shards give the whole sweep, byte for byte.
        files.reverse();
        let mut args = vec!["merge"];
        args.extend(files.iter().map(String::as_str));
        let merged = playground_with(&args, &[]);
        assert_eq!(
            merged.status.code(),
            Some(0),
            "{name}: {}",
            text(&merged.stderr)
        );
        assert_eq!(text(&merged.stdout), text(&whole.stdout), "{name}");
        args.extend(["--format", "json"]);
        assert_eq!(
            playground_with(&args, &[]).stdout,
            whole_json.stdout,
            "{name}"
        );
    }
    // A Kubernetes index without the number of shards is refused by name.
    let out = lesson_one_sweep("1..3", &[], &[("JOB_COMPLETION_INDEX", "1".into())]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("--shards N"),
        "{}",
        text(&out.stderr)
    );
    // `--shard` wins over the environment.
    let out = lesson_one_sweep(
        "1..3",
        &["--shard", "0/1", "--format", "csv"],
        &[("CI_NODE_INDEX", "2".into()), ("CI_NODE_TOTAL", "3".into())],
    );
    assert_eq!(out.stdout, whole.stdout);
}

#[test]
fn a_merge_refuses_another_sweeps_rows_missing_runs_and_broken_lines() {
    let shard = |seeds: &str, i: usize, name: &str| {
        let path = scratch(name);
        let out = lesson_one_sweep(
            seeds,
            &["--shard", &format!("{i}/2"), "--output", &path],
            &[],
        );
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        path
    };
    let a0 = shard("1..2", 0, "a-0.jsonl");
    let a1 = shard("1..2", 1, "a-1.jsonl");
    let b1 = shard("1..3", 1, "b-1.jsonl");
    // Another sweep's shard (other seeds) is refused, naming the file.
    let out = playground_with(&["merge", &a0, &b1], &[]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("another sweep") && stderr.contains("b-1.jsonl:1"),
        "{stderr}"
    );
    assert!(out.stdout.is_empty());
    // A missing shard is refused, or merged with --allow-missing and said.
    let out = playground_with(&["merge", &a0], &[]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("2 of 4 runs are missing (runs 1, 3)"),
        "{stderr}"
    );
    let out = playground_with(&["merge", &a0, "--allow-missing"], &[]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(text(&out.stdout).lines().count(), 1 + 2);
    // The same shard given twice (a retried task) counts once.
    let out = playground_with(&["merge", &a0, &a1, &a1], &[]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout).lines().count(), 1 + 4);
    // A row changed by hand is another result for its run.
    let forged = scratch("forged.jsonl");
    let a1_text = std::fs::read_to_string(&a1).expect("written");
    std::fs::write(&forged, a1_text.replacen("\"seed\":2", "\"seed\":9", 1)).expect("written");
    let out = playground_with(&["merge", &a0, &a1, &forged], &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("has another result"),
        "{}",
        text(&out.stderr)
    );
    // Lines that are not rows name their file and line; nothing is printed.
    let broken = scratch("broken.jsonl");
    for (content, says) in [
        ("{\"run\": 1}\n", "no \"sweep\""),
        ("not json\n", "not JSON"),
        ("", "no rows"),
    ] {
        std::fs::write(&broken, content).expect("written");
        let out = playground_with(&["merge", &broken], &[]);
        assert_eq!(out.status.code(), Some(2));
        let stderr = text(&out.stderr);
        assert!(stderr.contains(says), "{content:?}: {stderr}");
        assert!(out.stdout.is_empty() && !stderr.contains("panicked"));
    }
    let out = playground_with(&["merge", "/nonexistent/shard.jsonl"], &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("cannot read"));
}

#[test]
fn an_id_with_a_comma_and_a_quote_survives_every_csv() {
    let id = "api, \"v2\"";
    let mut scenario: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(data("checkout.json")).expect("read"))
            .expect("JSON");
    scenario["duration_s"] = 2.into();
    scenario["components"][1]["id"] = id.into();
    scenario["wires"][0]["to"] = id.into();
    scenario["wires"][1]["from"] = id.into();
    let file = scratch("comma-id.json");
    std::fs::write(&file, scenario.to_string()).expect("written");
    let cells = |bytes: &[u8]| -> Vec<Vec<String>> {
        csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(bytes)
            .records()
            .map(|r| {
                r.expect("a CSV record")
                    .iter()
                    .map(str::to_string)
                    .collect()
            })
            .collect()
    };
    // `run`: the id comes back as the first cell of its windows' rows.
    let out = playground_with(&["run", &file, "--format", "csv"], &[]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let rows = cells(&out.stdout);
    assert!(rows.iter().all(|r| r.len() == rows[0].len()));
    assert_eq!(rows.iter().filter(|r| r[0] == id).count(), 20);
    // `sweep` and `merge`: the setting's path, with the id in it, is a header cell.
    let path = format!("{id}.workers");
    let set = format!("{path}=8,16");
    let out = playground_with(&["sweep", &file, "--set", &set, "--format", "csv"], &[]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let rows = cells(&out.stdout);
    assert_eq!(rows[0][1], path);
    assert_eq!((rows.len(), rows[2][1].as_str()), (3, "16"));
    let shard = scratch("comma-id.jsonl");
    let made = playground_with(
        &[
            "sweep", &file, "--set", &set, "--shard", "0/1", "--output", &shard,
        ],
        &[],
    );
    assert_eq!(made.status.code(), Some(0), "{}", text(&made.stderr));
    let merged = playground_with(&["merge", &shard], &[]);
    assert_eq!(merged.stdout, out.stdout);
}

#[test]
fn lock_keeps_the_files_pointer_to_the_schema() {
    let copy = scratch("schema-pointer.json");
    std::fs::copy(lesson("01-paid-twice", "start.json"), &copy).expect("copied");
    let out = playground(&[
        "lock",
        &copy,
        "--path",
        "api.workers",
        "--why",
        "The team's size.",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let written = std::fs::read_to_string(&copy).expect("written");
    assert!(
        written.starts_with(
            "{\n  \"$schema\": \"../../schema/scenario.schema.json\",\n  \"version\": 1,"
        ),
        "{}",
        &written[..120.min(written.len())]
    );
    assert!(written.contains("The team's size."));
    assert_eq!(playground(&["validate", &copy]).status.code(), Some(0));
}

#[test]
fn run_tells_what_happened_as_markdown_or_json() {
    let file = lesson("02-launch-spike", "start.json");
    let out = playground(&["run", &file, "--report", "markdown"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let md = text(&out.stdout);
    assert!(md.starts_with("## What happened\n"), "{md}");
    for words in [
        "the traffic spike fault starts at Users",
        "API is the first component to saturate",
        "Users' calls time out, because API cannot keep up",
        "cannot drain while retries keep it full",
    ] {
        assert!(md.contains(words), "{words:?} in\n{md}");
    }
    // A Markdown parser reads a heading and one list item per sentence, each exactly its text.
    let report: serde_json::Value =
        serde_json::from_slice(&playground(&["run", &file, "--report", "json"]).stdout)
            .expect("JSON");
    let chain: Vec<String> = report["chain"]
        .as_array()
        .expect("a chain")
        .iter()
        .map(|l| l.as_str().expect("a sentence").to_string())
        .collect();
    let (mut items, mut heading, mut text, mut depth) = (Vec::new(), String::new(), None, 0);
    for event in pulldown_cmark::Parser::new(&md) {
        use pulldown_cmark::{Event, Tag, TagEnd};
        match event {
            Event::Start(Tag::Item) => text = Some(String::new()),
            Event::End(TagEnd::Item) => items.extend(text.take()),
            Event::Start(Tag::Heading { .. }) => depth += 1,
            Event::End(TagEnd::Heading(_)) => depth -= 1,
            Event::Text(t) | Event::Code(t) => match (&mut text, depth) {
                (Some(item), _) => item.push_str(&t),
                (None, 1) => heading.push_str(&t),
                _ => {}
            },
            Event::Start(Tag::Emphasis | Tag::Strong | Tag::Link { .. }) | Event::Html(_) => {
                panic!("the report's text turned into markup: {event:?}")
            }
            _ => {}
        }
    }
    assert_eq!(heading, "What happened");
    assert_eq!(items, chain);
    // Then every goal's verdict, a table row each.
    assert!(
        md.contains("| The queue is back to normal 5 s after the spike | missed from "),
        "{md}"
    );
    assert!(
        md.contains("| Capacity costs at most $1.00 an hour | met |"),
        "{md}"
    );
    let out = playground(&["run", &file, "--report", "json"]);
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let moments = doc["moments"].as_array().expect("moments");
    assert_eq!(moments.len(), doc["chain"].as_array().map_or(0, Vec::len));
    assert!(moments
        .iter()
        .any(|m| m["what"]["kind"] == "saturated" && m["component"] == "api"));
    let times: Vec<f64> = moments.iter().filter_map(|m| m["at_s"].as_f64()).collect();
    assert!(
        times.windows(2).all(|w| w[0] <= w[1]),
        "in time order: {times:?}"
    );
}

#[test]
fn a_failed_goal_in_junit_carries_what_happened() {
    let start = lesson("02-launch-spike", "start.json");
    let report = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("junit-story.xml");
    let path = report.to_str().expect("utf-8");
    let args = [
        "check", &start, "--seeds", "1", "--format", "junit", "--output", path,
    ];
    assert_eq!(playground(&args).status.code(), Some(1), "the start fails");
    let xml = std::fs::read_to_string(&report).expect("written");
    let mut reader = quick_xml::Reader::from_str(&xml);
    let (mut inside, mut stories) = (false, Vec::new());
    loop {
        match reader.read_event().expect("well-formed XML") {
            quick_xml::events::Event::Eof => break,
            quick_xml::events::Event::Start(e) if e.name().as_ref() == b"failure" => inside = true,
            quick_xml::events::Event::End(e) if e.name().as_ref() == b"failure" => inside = false,
            quick_xml::events::Event::Text(t) if inside => {
                stories.push(t.unescape().expect("text").into_owned());
            }
            _ => {}
        }
    }
    assert!(!stories.is_empty(), "{xml}");
    for s in &stories {
        assert!(s.starts_with("What happened:"), "{s}");
        assert!(
            s.contains("Users' calls time out, because API cannot keep up"),
            "{s}"
        );
    }
}

#[test]
fn diagram_draws_the_design_as_svg_png_or_mermaid() {
    use resvg::tiny_skia::Pixmap;
    let file = lesson("05-two-answers", "solution.json");
    let out = playground(&["diagram", &file]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let svg = text(&out.stdout);
    assert!(svg.starts_with("<svg"), "SVG by default");
    for name in [
        "Users",
        "Gateway",
        "Profile endpoint",
        "Feed endpoint",
        "Primary DB",
        "Read replica",
    ] {
        assert!(svg.contains(&format!(">{name}<")), "{name} is drawn");
    }
    assert_eq!(svg.matches(r#"class="wire""#).count(), 7);
    let out = playground(&["diagram", &file, "--format", "mermaid"]);
    let mermaid = text(&out.stdout);
    assert!(mermaid.starts_with("flowchart LR\n"), "{mermaid}");
    assert!(
        mermaid.contains("<b>Read replica</b><br/>Read replica<br/>pool size 40"),
        "{mermaid}"
    );
    assert!(mermaid.contains(r#"c1 -->|"read"| c3"#), "{mermaid}");
    // The format follows the output's extension; a PNG is a picture of the same size.
    let png = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("two-answers.png");
    let out = playground(&["diagram", &file, "--output", png.to_str().expect("utf-8")]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let pixmap = Pixmap::load_png(&png).expect("a PNG");
    assert!(
        pixmap.width() > 800 && pixmap.height() > 200,
        "{}x{}",
        pixmap.width(),
        pixmap.height()
    );
    // A PNG to a terminal, and a broken design, are refused with a message.
    let out = playground(&["diagram", &file, "--format", "png"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("add --output PATH.png"));
    let broken = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("unwired.json");
    let doc = r#"{"version": 1, "duration_s": 5, "wires": [{"from": "a", "to": "nowhere"}],
        "components": [{"id": "a", "spec": {"kind": "client", "rate_per_sec": 1}}]}"#;
    std::fs::write(&broken, doc).expect("write");
    let out = playground(&["diagram", broken.to_str().expect("utf-8")]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("nowhere"),
        "{}",
        text(&out.stderr)
    );
}
