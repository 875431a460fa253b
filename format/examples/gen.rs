//! Writes the files generated from the registry of kinds (`cargo xtask gen`), or with `--check`
//! says which committed file differs from what would be written and exits 1 (`cargo xtask test`
//! runs the check). Run from the repository: the files are found beside this crate.

use backend_playground_format::generate::{regions, splice};
use backend_playground_format::kinds::Registry;
use std::path::Path;
use std::process::ExitCode;

fn main() -> ExitCode {
    let check = std::env::args().any(|a| a == "--check");
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    let root = here.parent().unwrap_or(here);
    let all = regions(&Registry::BUILT_IN);
    let mut files: Vec<&str> = all.iter().map(|r| r.file).collect();
    files.dedup();
    let mut stale = Vec::new();
    for file in files {
        let path = root.join(file);
        let current = std::fs::read_to_string(&path).unwrap_or_default();
        let mut next = current.clone();
        for region in all.iter().filter(|r| r.file == file) {
            match splice(&next, region) {
                Ok(text) => next = text,
                Err(e) => {
                    eprintln!("{e}");
                    return ExitCode::from(2);
                }
            }
        }
        if next == current {
            continue;
        }
        stale.push(file);
        if !check {
            if let Some(dir) = path.parent() {
                let _ = std::fs::create_dir_all(dir);
            }
            if let Err(e) = std::fs::write(&path, next) {
                eprintln!("cannot write {file}: {e}");
                return ExitCode::from(2);
            }
            println!("wrote {file}");
        }
    }
    if check && !stale.is_empty() {
        eprintln!(
            "not as the registry of kinds writes them: {}\nrun `cargo xtask gen` and commit the result",
            stale.join(", ")
        );
        return ExitCode::FAILURE;
    }
    if stale.is_empty() {
        println!("the generated files are up to date");
    }
    ExitCode::SUCCESS
}
