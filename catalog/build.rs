//! Lists the lesson folders under `lessons/` and writes one `include_str!` per file into
//! `$OUT_DIR/lessons.rs`, so a new folder appears in the app and every test without a Rust edit.
//! A folder counts as a lesson when it holds `lesson.json`; the others must be there too, and a
//! folder missing one fails the build with its name. A harder variant (`harder.json` with
//! `harder-solution.json`) is optional, but comes as a pair.

use std::fmt::Write as _;
use std::path::Path;

const FILES: [&str; 4] = ["lesson.json", "lesson.md", "start.json", "solution.json"];

fn main() {
    let here = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| ".".into());
    let root = Path::new(&here).join("..").join("lessons");
    println!("cargo:rerun-if-changed={}", root.display());
    let mut folders: Vec<_> = std::fs::read_dir(&root)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", root.display()))
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|p| p.join("lesson.json").is_file())
        .collect();
    // Folder names start with their number, so name order is lesson order.
    folders.sort();
    let mut out = String::from("/// Every lesson under `lessons/`, in folder-name order.\npub const LESSONS: &[LessonFiles] = &[\n");
    for folder in &folders {
        let slug = folder
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_else(|| panic!("{}: a lesson folder's name must be text", folder.display()));
        let _ = writeln!(out, "    LessonFiles {{\n        slug: {slug:?},");
        for (field, file) in ["meta", "story", "start", "solution"].iter().zip(FILES) {
            let path = folder.join(file);
            assert!(path.is_file(), "lesson {slug} has no {file}");
            let path = path
                .to_str()
                .unwrap_or_else(|| panic!("{}: path is not text", path.display()));
            let _ = writeln!(out, "        {field}: include_str!({path:?}),");
        }
        let pair = ["harder.json", "harder-solution.json"].map(|f| folder.join(f));
        match pair.each_ref().map(|p| p.is_file()) {
            [true, true] => {
                let [a, b] = pair.map(|p| p.to_str().unwrap_or_default().to_string());
                let _ = writeln!(
                    out,
                    "        harder: Some((include_str!({a:?}), include_str!({b:?}))),"
                );
            }
            [false, false] => out.push_str("        harder: None,\n"),
            _ => panic!("lesson {slug}: harder.json and harder-solution.json come as a pair"),
        }
        out.push_str("    },\n");
    }
    out.push_str("];\n");
    // The metadata alone, for a caller that lists the lessons and fetches the rest when one is
    // opened (the browser app): referring to it keeps the other files out of its binary.
    out.push_str("/// Every lesson's slug and `lesson.json`, in folder-name order.\npub const METAS: &[(&str, &str)] = &[\n");
    for folder in &folders {
        let slug = folder
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        let path = folder.join("lesson.json");
        let path = path.to_str().unwrap_or_default();
        let _ = writeln!(out, "    ({slug:?}, include_str!({path:?})),");
    }
    out.push_str("];\n");
    let dest =
        Path::new(&std::env::var("OUT_DIR").unwrap_or_else(|_| ".".into())).join("lessons.rs");
    std::fs::write(&dest, out).unwrap_or_else(|e| panic!("cannot write {}: {e}", dest.display()));
}
