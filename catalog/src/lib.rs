//! The one list of lessons: every folder under `lessons/` that holds a `lesson.json`, with its
//! four files embedded as text at build time (`build.rs` writes the list). The app, the engine's
//! tests and the command-line tests all read this list, so adding a lesson folder needs no Rust
//! edit. The files are text here; each crate parses them with its own types.

/// The files of one lesson folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LessonFiles {
    /// The folder's name, also the lesson's address (`#lesson=<slug>`).
    pub slug: &'static str,
    /// `lesson.json`: title, hook, hints, focus.
    pub meta: &'static str,
    /// `lesson.md`: the story.
    pub story: &'static str,
    /// `start.json`: the scenario the learner starts from.
    pub start: &'static str,
    /// `solution.json`: the solved scenario.
    pub solution: &'static str,
    /// `harder.json` and `harder-solution.json`: the harder variant a learner reaches from the
    /// lesson's end, starting from the solved system in a harsher world, and its solution.
    pub harder: Option<(&'static str, &'static str)>,
}

include!(concat!(env!("OUT_DIR"), "/lessons.rs"));

/// The lesson with this slug.
pub fn find(slug: &str) -> Option<&'static LessonFiles> {
    LESSONS.iter().find(|l| l.slug == slug)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_lesson_folder_is_listed_in_order_with_its_files() {
        let slugs: Vec<&str> = LESSONS.iter().map(|l| l.slug).collect();
        let mut sorted = slugs.clone();
        sorted.sort_unstable();
        assert_eq!(slugs, sorted);
        assert!(slugs.len() >= 8, "{slugs:?}");
        for l in LESSONS {
            assert!(l.meta.contains("\"title\""), "{}", l.slug);
            assert!(l.start.contains("\"components\""), "{}", l.slug);
            assert!(l.solution.contains("\"components\""), "{}", l.slug);
            assert!(!l.story.is_empty(), "{}", l.slug);
        }
        assert_eq!(find("01-paid-twice").map(|l| l.slug), Some("01-paid-twice"));
        let metas: Vec<(&str, &str)> = LESSONS.iter().map(|l| (l.slug, l.meta)).collect();
        assert_eq!(METAS, metas.as_slice());
        assert_eq!(find("no-such-lesson"), None);
    }
}
