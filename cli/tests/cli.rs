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
    Command::new(env!("CARGO_BIN_EXE_playground"))
        .args(args)
        .output()
        .expect("runs")
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
