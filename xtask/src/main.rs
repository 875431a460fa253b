//! The README's two commands, as a `cargo xtask` helper with no dependencies beyond std.
//!
//! - `cargo xtask serve [--port N] [--dev]`: installs what is missing, then serves the app with
//!   Trunk: the release build users get (optimised wasm, no live-reload socket), or with `--dev`
//!   the debug build that rebuilds and reloads the page on every change.
//! - `cargo xtask test`: installs what is missing, then runs every suite and prints a summary.
//! - `cargo xtask npm`: builds the npm package `backend-playground` into `target/npm/` (the test
//!   command does this before testing the package).
//! - `cargo xtask gen [--check]`: writes the files generated from the registry of kinds (the
//!   test command checks them).
//!
//! Every tool is pinned (see `Pins`) and installed only from the package registries: crates.io
//! through `cargo install`, npm into the ignored folder `xtask/node/node_modules`, and Debian's
//! Chromium and Firefox ESR through apt. A second run finds them installed and skips straight to the work.
#![allow(clippy::disallowed_methods)] // The xtask times its own steps with the wall clock.

mod tools;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::{Duration, Instant};

/// Root of the workspace (the xtask crate lives one level below it).
fn root() -> PathBuf {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    here.parent().unwrap_or(here).to_path_buf()
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("serve") => serve(&args[1..]),
        Some("test") => test(&args[1..]),
        Some("bench") => bench(),
        Some("npm") => npm(),
        Some("gen") => gen(&args[1..]),
        _ => {
            eprintln!(
                "usage:\n  cargo xtask serve [--port N] [--dev]  install what is missing, serve the release build on http://127.0.0.1:8080 (--dev: debug build, live reload)\n  cargo xtask test [--skip-e2e]  install what is missing, run every test suite\n  cargo xtask bench              print engine speed natively, in wasm under Node, and against SimPy\n  cargo xtask npm                build the npm package backend-playground into target/npm/\n  cargo xtask gen [--check]      write the files generated from the registry of kinds (--check: fail if one differs)"
            );
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(code) => code,
        Err(message) => {
            eprintln!("xtask: {message}");
            ExitCode::FAILURE
        }
    }
}

/// Writes (or with `--check`, checks) the files generated from the registry of kinds: the JSON
/// Schema, the docs' field tables, the npm package's spec types, the embed preview's kinds.
fn gen(args: &[String]) -> Result<ExitCode, String> {
    let mut command = vec![
        "run",
        "-q",
        "-p",
        "backend-playground-format",
        "--example",
        "gen",
    ];
    match args {
        [] => {}
        [flag] if flag == "--check" => command.extend(["--", "--check"]),
        other => return Err(format!("gen: unknown options {other:?}")),
    }
    let status = Command::new("cargo")
        .args(&command)
        .current_dir(root())
        .status()
        .map_err(|e| format!("could not start cargo: {e}"))?;
    Ok(if status.success() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

fn serve(args: &[String]) -> Result<ExitCode, String> {
    let mut port: u16 = std::env::var("PORT")
        .ok()
        .and_then(|p| p.parse().ok())
        .unwrap_or(8080);
    let mut dev = false;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--dev" => dev = true,
            "--port" => {
                let value = it.next().ok_or("--port needs a number")?;
                port = value
                    .parse()
                    .map_err(|_| format!("--port: {value:?} is not a port number"))?;
            }
            other => return Err(format!("serve: unknown option {other:?}")),
        }
    }
    let env = tools::ensure(&root(), tools::Need::Build)?;
    // The compare page's worker runs the npm package's engine, which Trunk copies into dist/.
    npm()?;
    let build = if dev {
        "the debug build, rebuilt and reloaded on every change"
    } else {
        "the release build (the first build takes a few minutes)"
    };
    println!("\nServing the playground at http://127.0.0.1:{port}/: {build}  (Ctrl+C stops it)\n");
    let port = port.to_string();
    let mut trunk_args = vec![
        "serve",
        "--offline",
        "--address",
        "127.0.0.1",
        "--port",
        &port,
    ];
    // What users get: optimised wasm and no live-reload socket in the page.
    if !dev {
        trunk_args.extend(["--release", "--no-autoreload"]);
    }
    let status = env
        .command("trunk")
        .args(&trunk_args)
        .current_dir(root())
        .status()
        .map_err(|e| format!("could not start trunk: {e}"))?;
    Ok(if status.success() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// One suite of the test command.
struct Step {
    name: &'static str,
    program: &'static str,
    args: Vec<String>,
    envs: Vec<(String, String)>,
}

fn step(name: &'static str, program: &'static str, args: &[&str]) -> Step {
    Step {
        name,
        program,
        args: args.iter().map(|s| s.to_string()).collect(),
        envs: Vec::new(),
    }
}

impl Step {
    fn env(mut self, key: &str, value: impl Into<String>) -> Step {
        self.envs.push((key.to_string(), value.into()));
        self
    }
}

fn test(args: &[String]) -> Result<ExitCode, String> {
    let skip_e2e = args.iter().any(|a| a == "--skip-e2e");
    let started = Instant::now();
    let root = root();
    let env = tools::ensure(
        &root,
        if skip_e2e {
            tools::Need::Build
        } else {
            tools::Need::Browser
        },
    )?;
    let runner = "wasm-bindgen-test-runner";
    let wasm_runner = "CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER";
    // A user's crate asserting on its scenario (examples/wasm-checks), run in Node and Chromium.
    let example_tests = |name| {
        step(
            name,
            "cargo",
            &[
                "test",
                "-p",
                "wasm-checks",
                "--target",
                "wasm32-unknown-unknown",
                "--tests",
            ],
        )
    };
    // The browsers and the tests leave profiles and scratch folders in the temporary folder
    // (Chromium's own scoped folders are some 50 MB each, and a killed browser leaves its own):
    // the steps that start browsers put them in one folder under target/ instead (TMPDIR),
    // emptied before each such step and after it.
    let scratch = root.join("target").join("browser-tmp");
    let tmp = scratch.to_string_lossy().to_string();
    let mut steps = vec![
        step("format", "cargo", &["fmt", "--all", "--check"]),
        // The schema, the docs' field tables, the npm types and the embed's kinds are written
        // from the registry of kinds; a hand edit or a registry change not regenerated fails.
        step(
            "generated files (cargo xtask gen --check)",
            "cargo",
            &["xtask", "gen", "--check"],
        ),
        step(
            "clippy (native)",
            "cargo",
            &[
                "clippy",
                "--workspace",
                "--all-targets",
                "--",
                "-D",
                "warnings",
            ],
        ),
        step(
            "clippy (wasm32)",
            "cargo",
            &[
                "clippy",
                "-p",
                "backend-playground-format",
                "-p",
                "backend-playground-engine",
                "-p",
                "app",
                "-p",
                "playground-js",
                "-p",
                "wasm-checks",
                "--target",
                "wasm32-unknown-unknown",
                "--all-targets",
                "--",
                "-D",
                "warnings",
            ],
        ),
        step("native tests", "cargo", &["test", "--workspace"]),
        step("npm package (build)", "cargo", &["xtask", "npm"]),
        step(
            "npm package in Node (API, digests, tsc)",
            "node",
            &["--test", "--test-concurrency=1", "js/tests/"],
        ),
        // What `cargo publish` and `npm publish` would upload, checked without uploading: each
        // library crate packaged and built from its package (the engine against the packaged
        // format crate), and the npm package's manifest and files. The packaged crates build as
        // registry crates, which Cargo never rebuilds for a change of content at the same
        // version: in a checkout whose format crate changed since the last run, the engine was
        // verified against the old format build and failed. So they build in a target
        // directory of their own, cleaned of them first (their dependencies stay built).
        step(
            "crates packaged (cargo package)",
            "sh",
            &[
                "-c",
                "crates='-p backend-playground-format -p backend-playground-engine -p backend-playground-charts' \
                 && cargo clean --quiet --target-dir target/package-verify $crates \
                 && cargo package --target-dir target/package-verify --allow-dirty $crates",
            ],
        ),
        step(
            "npm publish --dry-run",
            "npm",
            &["publish", "--dry-run", "target/npm/backend-playground"],
        ),
        step(
            "engine tests in wasm (Node)",
            "cargo",
            &[
                "test",
                "-p",
                "backend-playground-engine",
                "--target",
                "wasm32-unknown-unknown",
                "--tests",
            ],
        )
        .env(wasm_runner, runner),
        example_tests("example crate's wasm tests (Node)").env(wasm_runner, runner),
        example_tests("example crate's wasm tests (headless Chromium)")
            .env(wasm_runner, runner)
            .env("WASM_BINDGEN_USE_BROWSER", "1")
            .env("CHROMEDRIVER", "/usr/bin/chromedriver")
            .env("TMPDIR", &tmp),
        step(
            "app tests in headless Chromium",
            "cargo",
            &[
                "test",
                "-p",
                "app",
                "--target",
                "wasm32-unknown-unknown",
                "--tests",
            ],
        )
        .env(wasm_runner, runner)
        .env("CHROMEDRIVER", "/usr/bin/chromedriver")
        .env("TMPDIR", &tmp),
        step(
            "release build (trunk --offline)",
            "trunk",
            &["build", "--release", "--offline"],
        ),
        // Sizes are deterministic, so the budget in size-budget.json is a gate, not a figure.
        step(
            "size budget (first-load bytes)",
            "node",
            &["xtask/size.mjs"],
        ),
    ];
    if !skip_e2e {
        steps.push(
            step(
                "end-to-end (Chromium and Firefox ESR)",
                "node",
                &["--test", "--test-concurrency=1", "tests/e2e/"],
            )
            .env("TMPDIR", &tmp),
        );
    }

    let mut results: Vec<(&str, bool, Duration)> = Vec::new();
    for s in &steps {
        println!("\n=== {} ===", s.name);
        let in_scratch = s.envs.iter().any(|(k, _)| k == "TMPDIR");
        if in_scratch {
            let _ = std::fs::remove_dir_all(&scratch);
            std::fs::create_dir_all(&scratch)
                .map_err(|e| format!("could not make {}: {e}", scratch.display()))?;
        }
        let t = Instant::now();
        let ok = env
            .command(s.program)
            .args(&s.args)
            .envs(s.envs.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .current_dir(&root)
            .status()
            .map(|st| st.success())
            .unwrap_or_else(|e| {
                eprintln!("could not start {}: {e}", s.program);
                false
            });
        results.push((s.name, ok, t.elapsed()));
        if in_scratch {
            let _ = std::fs::remove_dir_all(&scratch);
        }
        if !ok && s.name.starts_with("release build") {
            println!("(the end-to-end tests need the release build; they are counted as failed)");
            results.push(("end-to-end (skipped: no build)", false, Duration::ZERO));
            break;
        }
    }

    let failed = results.iter().filter(|r| !r.1).count();
    let passed = results.len() - failed;
    println!("\n=== summary ===");
    for (name, ok, took) in &results {
        println!(
            "{}  {:<45} {:>7.1} s",
            if *ok { "PASS" } else { "FAIL" },
            name,
            took.as_secs_f64()
        );
    }
    println!("total time {:.1} s", started.elapsed().as_secs_f64());
    println!("suites: {passed} passed, {failed} failed");
    Ok(if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// Prints every speed and memory figure of the engine in one run: natively, in wasm under
/// Node, and the same M/M/4 model in SimPy, with the ratio.
fn bench() -> Result<ExitCode, String> {
    let root = root();
    let env = tools::ensure(&root, tools::Need::Browser)?;
    let capture = |program: &str, args: &[&str], envs: &[(&str, &str)]| -> Result<String, String> {
        println!("xtask: {program} {}", args.join(" "));
        let out = env
            .command(program)
            .args(args)
            .envs(envs.iter().copied())
            .current_dir(&root)
            .output()
            .map_err(|e| format!("could not start {program}: {e}"))?;
        if !out.status.success() {
            return Err(format!(
                "{program} failed:\n{}",
                String::from_utf8_lossy(&out.stderr)
            ));
        }
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    };
    let cli = [
        "run",
        "--quiet",
        "--profile",
        "bench-native",
        "-p",
        "playground-cli",
        "--",
    ];
    let native = capture("cargo", &[&cli[..], &["bench"]].concat(), &[])?;
    let memory = capture(
        "cargo",
        &[&cli[..], &["bench-memory", "hour"]].concat(),
        &[],
    )? + &capture(
        "cargo",
        &[&cli[..], &["bench-memory", "limits"]].concat(),
        &[],
    )?;
    let sweep = capture("cargo", &[&cli[..], &["bench-sweep"]].concat(), &[])?;
    let shortcuts = capture("cargo", &[&cli[..], &["bench-shortcuts"]].concat(), &[])?;
    let workshop = capture("cargo", &[&cli[..], &["bench-workshop"]].concat(), &[])?;
    // The engine's wasm benchmark (in Node) built with `profile`.
    let wasm_bench = |profile: &str| {
        capture(
            "cargo",
            &[
                "test",
                "--profile",
                profile,
                "-p",
                "backend-playground-engine",
                "--target",
                "wasm32-unknown-unknown",
                "--test",
                "bench_wasm",
                "--",
                "--include-ignored",
                "--nocapture",
            ],
            &[(
                "CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER",
                "wasm-bindgen-test-runner",
            )],
        )
    };
    let wasm = wasm_bench("bench-native")?;
    // The same in the app's own build (the release profile, opt-level "z"; Cargo.toml says why).
    let app_build = wasm_bench("release")?
        .lines()
        .filter(|l| l.starts_with("wasm    ") && l.contains("events/s"))
        .map(|l| l.replacen("wasm    ", "app     ", 1) + "\n")
        .collect::<String>();
    let models = root.join("target").join("npm").join("bench");
    std::fs::create_dir_all(&models).map_err(|e| format!("target/npm/bench: {e}"))?;
    let models_arg = models.display().to_string();
    capture(
        "cargo",
        &[&cli[..], &["bench-scenarios", &models_arg]].concat(),
        &[],
    )?;
    npm()?;
    let package = capture("node", &["js/bench.mjs", &models_arg], &[])?;
    let venv = root.join("target").join("bench-venv");
    let python = venv.join("bin").join("python");
    if !python.exists() {
        let venv_arg = venv.display().to_string();
        capture("python3", &["-m", "venv", &venv_arg], &[])?;
        let pip = venv.join("bin").join("pip").display().to_string();
        capture(&pip, &["install", "--quiet", "simpy==4.1.1"], &[])?;
    }
    let simpy = capture(
        &python.display().to_string(),
        &["xtask/bench/mmc_simpy.py", "30"],
        &[],
    )?;
    capture("trunk", &["build", "--release", "--offline"], &[])?;
    let frames = capture("node", &["tests/e2e/bench-frames.mjs"], &[])?;
    let embeds = capture("node", &["tests/e2e/bench-embeds.mjs"], &[])?;
    let compare = capture("node", &["tests/e2e/bench-compare.mjs"], &[])?;
    let room = capture("node", &["tests/e2e/bench-room.mjs"], &[])?;
    let first_load = capture("node", &["xtask/size.mjs", "--report"], &[])?;
    tools::ensure_twiggy(&env)?;
    let weight = capture("node", &["xtask/weight.mjs", "--write"], &[])?;
    println!("\n=== first-load bytes per route (size-budget.json) ===\n{first_load}");
    println!("\n=== each wasm file by crate (docs/performance.md) ===\n{weight}");
    println!("\n=== engine benchmark ===");
    let lines: Vec<&str> = native
        .lines()
        .chain(memory.lines())
        .chain(sweep.lines())
        .chain(shortcuts.lines())
        .chain(workshop.lines())
        .chain(wasm.lines().filter(|l| l.starts_with("wasm ")))
        .chain(app_build.lines())
        .chain(package.lines())
        .chain(simpy.lines())
        .chain(frames.lines())
        .chain(embeds.lines())
        .chain(compare.lines())
        .chain(room.lines())
        .collect();
    for l in &lines {
        println!("{l}");
    }
    let figure = |prefix: &str, text: &str| -> Option<f64> {
        text.lines()
            .find(|l| l.starts_with(prefix))?
            .split(':')
            .nth(1)?
            .split_whitespace()
            .next()?
            .parse()
            .ok()
    };
    let n_mm1 = figure("native  bare", &native);
    let w_mm1 = figure("wasm    bare", &wasm);
    let n_ten = figure("native  ten", &native);
    let w_ten = figure("wasm    ten", &wasm);
    let n_mmc = figure("native  M/M/4", &native);
    let s_mmc = figure("simpy", &simpy);
    if let (Some(n), Some(w)) = (n_mm1, w_mm1) {
        println!(
            "ratio   wasm / native, bare M/M/1:                 {:>6.2}x",
            w / n
        );
    }
    if let (Some(n), Some(w)) = (n_ten, w_ten) {
        println!(
            "ratio   wasm / native, ten components:             {:>6.2}x",
            w / n
        );
    }
    if let (Some(n), Some(a)) = (n_mm1, figure("app     bare", &app_build)) {
        println!(
            "ratio   the app's build (opt-level z) / native, bare M/M/1: {:>6.2}x  (size chosen over speed: Cargo.toml)",
            a / n
        );
    }
    for (model, n, prefix) in [
        ("bare M/M/1:     ", n_mm1, "npm     bare"),
        ("ten components: ", n_ten, "npm     ten"),
    ] {
        if let (Some(n), Some(p)) = (n, figure(prefix, &package)) {
            println!(
                "ratio   npm package in Node / native, {model}  {:>6.2}x  (target 0.7x)",
                p / n
            );
        }
    }
    if let (Some(n), Some(s)) = (n_mmc, s_mmc) {
        println!(
            "ratio   engine / SimPy, M/M/4 customers per second: {:>6.1}x",
            n / s
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// Where `cargo xtask npm` lays out the package.
const NPM_OUT: &str = "target/npm/backend-playground";

/// Builds the npm package: the bindings crate (`js/`) compiled to wasm with the `npm` profile,
/// its JS glue from the wasm-bindgen CLI (`--target web`, which both entries instantiate), and
/// the hand-written files of `js/package/` with the workspace's version.
fn npm() -> Result<ExitCode, String> {
    let root = root();
    let env = tools::ensure(&root, tools::Need::Build)?;
    let run = |program: &str, args: &[&str]| -> Result<(), String> {
        println!("xtask: {program} {}", args.join(" "));
        let ok = env
            .command(program)
            .args(args)
            .current_dir(&root)
            .status()
            .map_err(|e| format!("could not start {program}: {e}"))?
            .success();
        if ok {
            Ok(())
        } else {
            Err(format!("{program} failed"))
        }
    };
    run(
        "cargo",
        &[
            "build",
            "-p",
            "playground-js",
            "--target",
            "wasm32-unknown-unknown",
            "--profile",
            "npm",
        ],
    )?;
    let out = root.join(NPM_OUT);
    if out.exists() {
        std::fs::remove_dir_all(&out).map_err(|e| format!("{NPM_OUT}: {e}"))?;
    }
    run(
        "wasm-bindgen",
        &[
            "--target",
            "web",
            "--out-dir",
            NPM_OUT,
            "--out-name",
            "engine",
            // Simulations made before a panic reset the module throw a clear error when used.
            "--experimental-reset-state-function",
            "target/wasm32-unknown-unknown/npm/playground_js.wasm",
        ],
    )?;
    let version = env!("CARGO_PKG_VERSION");
    let package = root.join("js").join("package");
    for entry in std::fs::read_dir(&package).map_err(|e| format!("js/package: {e}"))? {
        let path = entry.map_err(|e| format!("js/package: {e}"))?.path();
        let name = path.file_name().unwrap_or_default();
        let text =
            std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        std::fs::write(out.join(name), text.replace("@VERSION@", version))
            .map_err(|e| format!("{NPM_OUT}: {e}"))?;
    }
    // The file format's JSON Schema travels with the package, for editors and validators.
    let schema = root.join("schema").join("scenario.schema.json");
    std::fs::copy(&schema, out.join("scenario.schema.json"))
        .map_err(|e| format!("{}: {e}", schema.display()))?;
    println!("xtask: the package is in {NPM_OUT}");
    Ok(ExitCode::SUCCESS)
}

/// A command with the project's local tools first on PATH.
pub fn command_with_path(program: &str, path: &str) -> Command {
    let mut c = Command::new(program);
    c.env("PATH", path);
    c
}
