//! Installs, once, the pinned tools the two commands need, and builds the PATH that finds them.

use std::path::{Path, PathBuf};
use std::process::Command;

/// Trunk 0.22 needs a newer rustc than these machines have; 0.21.14 is the last that installs.
const TRUNK_VERSION: &str = "0.21.14";
/// What `wasm-opt --version` prints for the npm `binaryen` package pinned in xtask/node.
const WASM_OPT_VERSION: &str = "version 132";
/// The splitter of the main and workshop wasm files (xtask/split.mjs), from crates.io.
const WASM_SPLIT_VERSION: &str = "0.2.4";
const CHROMIUM: &str = "/usr/bin/chromium";
/// Debian's Firefox ESR, for the embeds' end-to-end tests in a second browser engine.
const FIREFOX: &str = "/usr/bin/firefox-esr";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// How much of the toolchain a command needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Need {
    /// Rust for wasm, Trunk, wasm-bindgen, wasm-split-cli, wasm-opt.
    Build,
    /// All of that plus Chromium, ChromeDriver, Firefox ESR, playwright-core and puppeteer-core.
    Browser,
}

/// The environment in which to run tools.
#[derive(Debug)]
pub struct Env {
    path: String,
}

impl Env {
    /// A command that finds the project's local tools.
    pub fn command(&self, program: &str) -> Command {
        crate::command_with_path(program, &self.path)
    }
}

fn output(program: &str, args: &[&str], path: &str) -> Option<String> {
    let out = crate::command_with_path(program, path)
        .args(args)
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

fn run(
    what: &str,
    program: &str,
    args: &[&str],
    dir: Option<&Path>,
    path: &str,
) -> Result<(), String> {
    println!("xtask: {what}: {program} {}", args.join(" "));
    let mut c = crate::command_with_path(program, path);
    c.args(args);
    if let Some(d) = dir {
        c.current_dir(d);
    }
    let status = c
        .status()
        .map_err(|e| format!("{what}: could not start {program}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{what} failed ({program} {})", args.join(" ")))
    }
}

/// The `wasm-bindgen` version recorded in Cargo.lock: the CLI must match it exactly.
fn locked_wasm_bindgen(root: &Path) -> Result<String, String> {
    let lock = std::fs::read_to_string(root.join("Cargo.lock")).map_err(|e| {
        format!("cannot read Cargo.lock: {e} (it is committed; is this a full clone?)")
    })?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line == "name = \"wasm-bindgen\"" {
            if let Some(v) = lines.next().and_then(|l| l.strip_prefix("version = \"")) {
                return Ok(v.trim_end_matches('"').to_string());
            }
        }
    }
    Err("Cargo.lock has no wasm-bindgen entry".into())
}

fn is_root() -> bool {
    output("id", &["-u"], &std::env::var("PATH").unwrap_or_default()).as_deref() == Some("0")
}

/// The twiggy (it names itself `twiggy-opt` when asked its version) that `cargo xtask bench` measures the wasm files with (xtask/weight.mjs).
const TWIGGY_VERSION: &str = "0.8.0";

/// Installs twiggy when the pinned version is missing: only the benchmark needs it, so the
/// test command never waits for it.
pub fn ensure_twiggy(env: &Env) -> Result<(), String> {
    let have = output("twiggy", &["--version"], &env.path).unwrap_or_default();
    if have == format!("twiggy-opt {TWIGGY_VERSION}") {
        return Ok(());
    }
    run(
        "installing twiggy",
        "cargo",
        &["install", "--locked", "twiggy", "--version", TWIGGY_VERSION],
        None,
        &env.path,
    )
}

/// Makes sure every tool `need` asks for is installed, installing what is missing.
pub fn ensure(root: &Path, need: Need) -> Result<Env, String> {
    let home_bin = std::env::var("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|_| std::env::var("HOME").map(|h| PathBuf::from(h).join(".cargo")))
        .map(|p| p.join("bin"))
        .map_err(|_| "neither CARGO_HOME nor HOME is set")?;
    let node_dir = root.join("xtask").join("node");
    let node_bin = node_dir.join("node_modules").join(".bin");
    let path = format!(
        "{}:{}:{}",
        node_bin.display(),
        home_bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );

    let targets = output("rustup", &["target", "list", "--installed"], &path).unwrap_or_default();
    if !targets.lines().any(|t| t == "wasm32-unknown-unknown") {
        run(
            "adding the wasm target",
            "rustup",
            &["target", "add", "wasm32-unknown-unknown"],
            None,
            &path,
        )?;
    }

    let trunk = output("trunk", &["--version"], &path).unwrap_or_default();
    if trunk != format!("trunk {TRUNK_VERSION}") {
        println!("xtask: installing Trunk {TRUNK_VERSION} (about 9 minutes on 2 cores, once)");
        run(
            "installing Trunk",
            "cargo",
            &["install", "--locked", "trunk", "--version", TRUNK_VERSION],
            None,
            &path,
        )?;
    }

    let bindgen = locked_wasm_bindgen(root)?;
    let have = output("wasm-bindgen", &["--version"], &path).unwrap_or_default();
    let runner = output("wasm-bindgen-test-runner", &["--version"], &path).unwrap_or_default();
    let want = format!("wasm-bindgen {bindgen}");
    if have != want || !runner.contains(&bindgen) {
        // No `--locked`: the CLI's lock file names a version missing from the registry.
        run(
            "installing the wasm-bindgen CLI",
            "cargo",
            &[
                "install",
                "--force",
                "wasm-bindgen-cli",
                "--version",
                &bindgen,
            ],
            None,
            &path,
        )?;
    }

    // `cargo install --list` names each installed package with its version.
    let split = format!("wasm_split_cli_support v{WASM_SPLIT_VERSION}:");
    let installed = output("cargo", &["install", "--list"], &path).unwrap_or_default();
    if !installed.lines().any(|l| l == split) {
        run(
            "installing wasm-split-cli",
            "cargo",
            &[
                "install",
                "--locked",
                "--force",
                "wasm_split_cli_support",
                "--version",
                WASM_SPLIT_VERSION,
                "--features",
                "build-binary",
            ],
            None,
            &path,
        )?;
    }

    if output("node", &["--version"], &path).is_none()
        || output("npm", &["--version"], &path).is_none()
    {
        return Err("Node.js and npm are needed (for wasm-opt and the end-to-end tests): apt-get install -y nodejs npm".into());
    }
    let wasm_opt = output("wasm-opt", &["--version"], &path).unwrap_or_default();
    let installed = [
        "playwright-core",
        "puppeteer-core",
        "axe-core",
        "typescript",
        "ajv",
        "mermaid",
    ]
    .iter()
    .all(|package| {
        node_dir
            .join("node_modules")
            .join(package)
            .join("package.json")
            .exists()
    });
    if !wasm_opt.contains(WASM_OPT_VERSION) || !installed {
        run(
            "installing the npm tools into xtask/node",
            "npm",
            &["ci", "--no-audit", "--no-fund", "--loglevel=error"],
            Some(&node_dir),
            &path,
        )?;
    }

    if need == Need::Browser
        && ![CHROMIUM, CHROMEDRIVER, FIREFOX]
            .iter()
            .all(|p| Path::new(p).exists())
    {
        let install = "apt-get update && apt-get install -y chromium chromium-driver firefox-esr";
        if is_root() {
            run(
                "installing Chromium and Firefox ESR",
                "sh",
                &["-c", &format!("DEBIAN_FRONTEND=noninteractive {install}")],
                None,
                &path,
            )?;
        } else {
            return Err(format!("Chromium, ChromeDriver and Firefox ESR are needed for the browser tests; run: sudo sh -c '{install}'"));
        }
    }
    Ok(Env { path })
}
