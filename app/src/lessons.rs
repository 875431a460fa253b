//! The lessons, embedded at build time from `lessons/` through `lesson-catalog` (no network at
//! run time): a new lesson folder appears here without a Rust edit.

use engine::Scenario;
use serde::Deserialize;

/// What `lesson.json` says.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Meta {
    /// Title.
    pub title: String,
    /// One-line hook.
    pub hook: String,
    /// The switches and ideas it teaches.
    pub teaches: Vec<String>,
    /// Estimated minutes.
    pub minutes: u32,
    /// The component whose charts tell the story.
    pub focus: String,
    /// Hints, in the order to reveal them.
    pub hints: Vec<String>,
}

/// One lesson, parsed.
#[derive(Debug, Clone, PartialEq)]
pub struct Lesson {
    /// Folder name, also its address: `#lesson=<slug>`.
    pub slug: &'static str,
    /// Metadata.
    pub meta: Meta,
    /// The narrative (Markdown subset).
    pub story: &'static str,
    /// The starting scenario.
    pub start: Scenario,
    /// The solved scenario.
    pub solution: Scenario,
}

/// The slugs of all lessons, in order (the folders under `lessons/`, listed at build time).
pub fn slugs() -> impl Iterator<Item = &'static str> {
    lesson_catalog::LESSONS.iter().map(|l| l.slug)
}

/// A lesson by slug (None: no such lesson, or its files do not parse, which a test rules out).
pub fn lesson(slug: &str) -> Option<Lesson> {
    let files = lesson_catalog::find(slug)?;
    Some(Lesson {
        slug: files.slug,
        meta: serde_json::from_str(files.meta).ok()?,
        story: files.story,
        start: Scenario::from_json(files.start).ok()?,
        solution: Scenario::from_json(files.solution).ok()?,
    })
}

/// Every lesson, in order.
pub fn all() -> Vec<Lesson> {
    slugs().filter_map(lesson).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_lesson_parses_and_its_scenarios_run() {
        let lessons = all();
        // Every folder parses: none is dropped by `lesson` returning None.
        assert_eq!(lessons.len(), lesson_catalog::LESSONS.len());
        assert!(lessons.len() >= 8);
        for l in &lessons {
            engine::Simulation::new(&l.start).unwrap_or_else(|e| panic!("{}: {e}", l.slug));
            engine::Simulation::new(&l.solution).unwrap_or_else(|e| panic!("{}: {e}", l.slug));
            assert!(
                l.start.components.iter().any(|c| c.id == l.meta.focus),
                "{}: focus exists",
                l.slug
            );
            assert!(
                !l.meta.hints.is_empty() && l.story.contains("## What it costs"),
                "{}",
                l.slug
            );
        }
    }
}
