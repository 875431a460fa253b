//! The eight lessons, embedded at build time from `lessons/` (no network at run time).

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

macro_rules! embedded {
    ($($slug:literal),*) => {
        [$(
            (
                $slug,
                include_str!(concat!("../../lessons/", $slug, "/lesson.json")),
                include_str!(concat!("../../lessons/", $slug, "/lesson.md")),
                include_str!(concat!("../../lessons/", $slug, "/start.json")),
                include_str!(concat!("../../lessons/", $slug, "/solution.json")),
            ),
        )*]
    };
}

/// (slug, lesson.json, lesson.md, start.json, solution.json) of every lesson, in order.
const FILES: [(&str, &str, &str, &str, &str); 8] = embedded!(
    "01-paid-twice",
    "02-launch-spike",
    "03-one-cashier",
    "04-nobody-got-the-email",
    "05-two-answers",
    "06-the-logs-said-fine",
    "07-pull-one-wire",
    "08-worked-on-my-machine"
);

/// The slugs of all lessons, in order.
pub fn slugs() -> impl Iterator<Item = &'static str> {
    FILES.iter().map(|f| f.0)
}

/// A lesson by slug (None: no such lesson, or its files do not parse, which a test rules out).
pub fn lesson(slug: &str) -> Option<Lesson> {
    let (slug, meta, story, start, solution) = FILES.iter().find(|f| f.0 == slug)?;
    Some(Lesson {
        slug,
        meta: serde_json::from_str(meta).ok()?,
        story,
        start: Scenario::from_json(start).ok()?,
        solution: Scenario::from_json(solution).ok()?,
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
        assert_eq!(lessons.len(), 8);
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
