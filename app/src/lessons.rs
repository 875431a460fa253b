//! The lessons. Their list and metadata (`lesson.json`) are embedded at build time from
//! `lessons/` through `lesson-catalog`, so the home screen and the routes know every lesson at
//! once; a lesson's story and scenarios are fetched from the site's own `lessons/` folder when
//! it is opened, which keeps them out of the first download. A new lesson folder appears here
//! without a Rust edit.

pub use crate::diagnosis::Find;
use engine::Scenario;
use serde_json::Value;

/// What `lesson.json` says.
#[derive(Debug, Clone, PartialEq)]
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
    /// Hints, in the order to reveal them: where to look, which component, which switch, a value.
    pub hints: Vec<String>,
    /// A guess the learner makes before the first run, drawn beside what happened.
    pub predict: Option<Predict>,
    /// A diagnosis the learner makes in the panel before the lesson counts as done.
    pub find: Option<Find>,
    /// The harder variant offered at the lesson's end (its scenarios are `harder.json` and
    /// `harder-solution.json`).
    pub harder: Option<Harder>,
    /// Other conditions to try the system under (a laptop: one user at a time); the goals
    /// count only under the lesson's own.
    pub profiles: Vec<Profile>,
}

/// Other conditions for the same system: a name and the locked fields it sets.
#[derive(Debug, Clone, PartialEq)]
pub struct Profile {
    /// "Laptop: one buyer at a time".
    pub label: String,
    /// Field paths (`buyers.rate_per_sec`) and their values under these conditions.
    pub set: Vec<(String, Value)>,
}

impl Profile {
    /// `scenario` under these conditions, or what is wrong with a setting.
    pub fn apply(&self, scenario: &Scenario) -> Result<Scenario, String> {
        engine::conditions::with_values(scenario, &self.set).map_err(|e| e.to_string())
    }
}

/// What the lesson's end says of its harder variant, and the variant's own hints.
#[derive(Debug, Clone, PartialEq)]
pub struct Harder {
    /// A few words: "A key store that forgets".
    pub title: String,
    /// What is harsher this time, in a short paragraph.
    pub brief: String,
    /// Hints for the variant, in order.
    pub hints: Vec<String>,
    /// The variant's own culprit to find, if it asks for one.
    pub find: Option<Find>,
}

/// "Before you press Play": a question about one goal's measured value, with a few answers.
#[derive(Debug, Clone, PartialEq)]
pub struct Predict {
    /// The question.
    pub question: String,
    /// Which of the scenario's goals it is about (its position in `goals`).
    pub goal: usize,
    /// The answers offered: words, and the value they stand for.
    pub choices: Vec<(String, f64)>,
}

impl Meta {
    /// Reads `lesson.json`, through the JSON tree the scenario reader already uses (a derived
    /// reader would be code of its own in the bundle); unknown fields are refused by name.
    pub fn from_json(text: &str) -> Result<Meta, String> {
        // `alternatives` is for the shortcut search (`playground shortcuts`), `solution_changes`
        // for the lesson tests; not for the app.
        const FIELDS: [&str; 12] = [
            "title",
            "hook",
            "teaches",
            "minutes",
            "focus",
            "hints",
            "predict",
            "find",
            "harder",
            "profiles",
            "alternatives",
            "solution_changes",
        ];
        let doc: Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
        let o = doc.as_object().ok_or("expected an object")?;
        if let Some(k) = o.keys().find(|k| !FIELDS.contains(&k.as_str())) {
            return Err(format!("unknown field \"{k}\""));
        }
        let text = |k: &str| {
            o.get(k)
                .and_then(Value::as_str)
                .map(str::to_string)
                .ok_or_else(|| format!("{k}: expected text"))
        };
        let list = |k: &str| {
            o.get(k)
                .and_then(Value::as_array)
                .and_then(|a| a.iter().map(|x| x.as_str().map(str::to_string)).collect())
                .ok_or_else(|| format!("{k}: expected a list of texts"))
        };
        Ok(Meta {
            title: text("title")?,
            hook: text("hook")?,
            teaches: list("teaches")?,
            minutes: o
                .get("minutes")
                .and_then(Value::as_u64)
                .and_then(|m| u32::try_from(m).ok())
                .ok_or("minutes: expected a whole number")?,
            focus: text("focus")?,
            hints: list("hints")?,
            predict: o.get("predict").map(read_predict).transpose()?,
            find: o.get("find").map(read_find).transpose()?,
            harder: o.get("harder").map(read_harder).transpose()?,
            profiles: match o.get("profiles") {
                None => Vec::new(),
                Some(v) => v
                    .as_array()
                    .ok_or("profiles: expected a list")?
                    .iter()
                    .map(read_profile)
                    .collect::<Result<_, _>>()?,
            },
        })
    }
}

fn field<'a>(v: &'a Value, at: &str, k: &str) -> Result<&'a Value, String> {
    v.get(k).ok_or_else(|| format!("{at}.{k}: missing"))
}

fn words(v: &Value, at: &str, k: &str) -> Result<String, String> {
    field(v, at, k)?
        .as_str()
        .map(str::to_string)
        .ok_or_else(|| format!("{at}.{k}: expected text"))
}

fn read_predict(v: &Value) -> Result<Predict, String> {
    let goal = field(v, "predict", "goal")?
        .as_u64()
        .and_then(|g| usize::try_from(g).ok())
        .ok_or("predict.goal: expected a goal's position, 0 or more")?;
    let choices = field(v, "predict", "choices")?
        .as_array()
        .filter(|a| (2..=6).contains(&a.len()))
        .ok_or("predict.choices: expected two to six answers")?
        .iter()
        .map(|c| {
            let pair = c.as_array().filter(|p| p.len() == 2);
            let words = pair.and_then(|p| p[0].as_str());
            let value = pair.and_then(|p| p[1].as_f64()).filter(|x| x.is_finite());
            match (words, value) {
                (Some(w), Some(x)) => Ok((w.to_string(), x)),
                _ => Err("predict.choices: each answer is [\"words\", number]".to_string()),
            }
        })
        .collect::<Result<Vec<_>, String>>()?;
    Ok(Predict {
        question: words(v, "predict", "question")?,
        goal,
        choices,
    })
}

fn read_profile(v: &Value) -> Result<Profile, String> {
    let set = field(v, "profiles[]", "set")?
        .as_object()
        .ok_or("profiles[].set: expected an object of field paths")?
        .iter()
        .map(|(k, x)| (k.clone(), x.clone()))
        .collect();
    Ok(Profile {
        label: words(v, "profiles[]", "label")?,
        set,
    })
}

fn read_harder(v: &Value) -> Result<Harder, String> {
    let hints = field(v, "harder", "hints")?
        .as_array()
        .and_then(|a| a.iter().map(|x| x.as_str().map(str::to_string)).collect())
        .ok_or("harder.hints: expected a list of texts")?;
    Ok(Harder {
        title: words(v, "harder", "title")?,
        brief: words(v, "harder", "brief")?,
        hints,
        find: v
            .get("find")
            .map(|f| Find::read(f, "harder.find", usize::MAX))
            .transpose()?,
    })
}

fn read_find(v: &Value) -> Result<Find, String> {
    Find::read(v, "find", usize::MAX)
}

/// One lesson, parsed.
#[derive(Debug, Clone, PartialEq)]
pub struct Lesson {
    /// Folder name, also its address: `#lesson=<slug>`.
    pub slug: &'static str,
    /// Metadata.
    pub meta: Meta,
    /// The narrative (Markdown subset).
    pub story: String,
    /// The starting scenario.
    pub start: Scenario,
    /// The solved scenario.
    pub solution: Scenario,
}

/// The slugs of all lessons, in order (the folders under `lessons/`, listed at build time).
pub fn slugs() -> impl Iterator<Item = &'static str> {
    lesson_catalog::METAS.iter().map(|m| m.0)
}

/// The alternatives a lesson's `lesson.json` accepts for one of its files (the shortcut
/// search's `alternatives`, read by the engine's reader), as `{key, why}` objects; empty for an
/// unknown lesson or a malformed list (the test command refuses those).
pub fn accepted_alternatives(slug: &str, file: &str) -> Vec<serde_json::Value> {
    let Some((_, text)) = lesson_catalog::METAS.iter().find(|(s, _)| *s == slug) else {
        return Vec::new();
    };
    engine::shortcuts::accepted_in(text, file)
        .unwrap_or_default()
        .into_iter()
        .map(|a| serde_json::json!({ "key": a.key, "why": a.why }))
        .collect()
}

/// Every lesson's slug and metadata, in order (a folder whose `lesson.json` does not parse is
/// left out, which a test rules out).
pub fn metas() -> Vec<(&'static str, Meta)> {
    lesson_catalog::METAS
        .iter()
        .filter_map(|(slug, text)| Some((*slug, Meta::from_json(text).ok()?)))
        .collect()
}

/// A lesson from its files' text, or a sentence naming the file that does not parse.
pub fn parse(
    slug: &'static str,
    story: &str,
    start: &str,
    solution: &str,
) -> Result<Lesson, String> {
    let (_, meta_text) = lesson_catalog::METAS
        .iter()
        .find(|m| m.0 == slug)
        .ok_or_else(|| format!("There is no lesson \"{slug}\"."))?;
    let meta = Meta::from_json(meta_text).map_err(|e| format!("{slug}/lesson.json: {e}"))?;
    Ok(Lesson {
        slug,
        meta,
        story: story.to_string(),
        start: Scenario::from_json(start).map_err(|e| format!("{slug}/start.json: {e}"))?,
        solution: Scenario::from_json(solution)
            .map_err(|e| format!("{slug}/solution.json: {e}"))?,
    })
}

/// Fetches a lesson's story and scenarios from the site's `lessons/` folder (next to the page,
/// so a site served from a sub-path works) and parses them; with `harder`, its harder variant.
pub async fn fetch(slug: &'static str, harder: bool) -> Result<Lesson, String> {
    let file = |name: &str| format!("lessons/{slug}/{name}");
    let story = crate::io::fetch_text(&file("lesson.md")).await?;
    let (start, solution) = if harder {
        ("harder.json", "harder-solution.json")
    } else {
        ("start.json", "solution.json")
    };
    let start = crate::io::fetch_text(&file(start)).await?;
    let solution = crate::io::fetch_text(&file(solution)).await?;
    let lesson = parse(slug, &story, &start, &solution)?;
    if harder {
        lesson.harder()
    } else {
        Ok(lesson)
    }
}

impl Lesson {
    /// The lesson turned into its harder variant (its scenarios already in place): the
    /// variant's title, brief and hints; no guess the second time, and a diagnosis only if the
    /// variant asks for its own (its culprit is another).
    pub fn harder(mut self) -> Result<Lesson, String> {
        let title = self.meta.title.clone();
        let h = self
            .meta
            .harder
            .take()
            .ok_or_else(|| format!("The lesson \"{title}\" has no harder variant."))?;
        self.meta.title = format!("{title}, harder: {}", h.title);
        self.meta.hints = h.hints;
        self.meta.predict = None;
        self.meta.find = h.find;
        self.story = format!("## The harder variant\n\n{}\n\n{}", h.brief, self.story);
        Ok(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every lesson has facilitator notes (`facilitator.md` in its folder) with the sections a
    /// facilitator looks for, its own prediction question, and the end-of-run figure of every
    /// goal that fails on the default seed, as the app shows it: notes that drift from the
    /// engine fail here.
    #[test]
    fn facilitator_notes_say_what_the_engine_measures() {
        for files in lesson_catalog::LESSONS {
            let path = format!(
                "{}/../lessons/{}/facilitator.md",
                env!("CARGO_MANIFEST_DIR"),
                files.slug
            );
            let notes = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
            for section in [
                "## Ask the room first",
                "## What the room sees on seed",
                "## Usual wrong answers",
                "## The fix",
                "## Discussion prompts",
            ] {
                assert!(
                    notes.contains(section),
                    "{}: notes lack {section:?}",
                    files.slug
                );
            }
            let meta = Meta::from_json(files.meta).expect("meta");
            if let Some(p) = &meta.predict {
                let start_of_question: String = p.question.chars().take(40).collect();
                assert!(
                    notes.replace('\n', " ").contains(&start_of_question),
                    "{}: the notes ask the lesson's question",
                    files.slug
                );
            }
            let start = Scenario::from_json(files.start).expect("start");
            assert!(
                notes.contains(&format!("seed {}", start.seed)),
                "{}: the notes name the seed",
                files.slug
            );
            let mut sim = engine::Simulation::new(&start).expect("runs");
            sim.run();
            for g in sim.goals().iter().filter(|g| !g.passed) {
                let line = format!(
                    "At the end: {}: {}",
                    g.label,
                    crate::components::lesson_panel::amount(g.metric, g.measured)
                );
                assert!(
                    notes.contains(&line),
                    "{}: the notes should say {line:?}",
                    files.slug
                );
            }
        }
    }

    #[test]
    fn a_lessons_accepted_alternatives_are_read_for_its_file() {
        let start = accepted_alternatives("08-worked-on-my-machine", "start.json");
        let keys: Vec<&str> = start.iter().filter_map(|a| a["key"].as_str()).collect();
        assert_eq!(
            keys,
            ["set shop.concurrency lock", "set shop.concurrency atomic"]
        );
        assert!(start.iter().all(|a| a["why"].as_str().is_some()));
        assert!(accepted_alternatives("03-one-cashier", "start.json").is_empty());
        assert!(accepted_alternatives("no-such-lesson", "start.json").is_empty());
    }

    #[test]
    fn every_lesson_parses_and_its_scenarios_run() {
        assert_eq!(
            metas().len(),
            lesson_catalog::LESSONS.len(),
            "every lesson.json parses"
        );
        assert!(metas().len() >= 8);
        for files in lesson_catalog::LESSONS {
            let l = parse(files.slug, files.story, files.start, files.solution)
                .unwrap_or_else(|e| panic!("{e}"));
            engine::Simulation::new(&l.start).unwrap_or_else(|e| panic!("{}: {e}", l.slug));
            engine::Simulation::new(&l.solution).unwrap_or_else(|e| panic!("{}: {e}", l.slug));
            assert!(
                l.start.components.iter().any(|c| c.id == l.meta.focus),
                "{}: focus exists",
                l.slug
            );
            assert_eq!(
                l.meta.harder.is_some(),
                files.harder.is_some(),
                "{}: a harder variant has both its words and its files",
                l.slug
            );
            if let Some((start, solution)) = files.harder {
                let h = parse(files.slug, files.story, start, solution)
                    .and_then(Lesson::harder)
                    .unwrap_or_else(|e| panic!("{e}"));
                assert!(h.meta.predict.is_none() && !h.meta.hints.is_empty());
                assert!(h.story.starts_with("## The harder variant"));
            }
            for profile in &l.meta.profiles {
                let other = profile.apply(&l.start).unwrap_or_else(|e| panic!("{e}"));
                let sim = engine::Simulation::new(&other).expect("valid under other conditions");
                assert!(
                    !sim.conditions_changed().is_empty(),
                    "{}: {} changes the lesson's conditions",
                    l.slug,
                    profile.label
                );
            }
            let predict = l
                .meta
                .predict
                .as_ref()
                .expect("a guess before the first run");
            assert!(
                predict.goal < l.start.goals.len(),
                "{}: the guess is about a goal",
                l.slug
            );
            if let Some(find) = &l.meta.find {
                assert!(
                    l.start.components.iter().any(|c| c.id == find.answer),
                    "{}: the culprit exists",
                    l.slug
                );
            }
            assert!(
                !l.meta.hints.is_empty() && l.story.contains("## What it costs"),
                "{}",
                l.slug
            );
        }
        assert!(parse("no-such-lesson", "", "", "").is_err());
        let extra = r#"{"title": "t", "hook": "h", "teaches": [], "minutes": 5, "focus": "f", "hints": [], "typo": 1}"#;
        assert_eq!(Meta::from_json(extra), Err("unknown field \"typo\"".into()));
        let short = r#"{"title": "t", "hook": "h", "teaches": ["a", 2], "minutes": 5, "focus": "f", "hints": []}"#;
        assert!(Meta::from_json(short).is_err_and(|e| e.contains("teaches")));
        let first = &lesson_catalog::LESSONS[0];
        let broken = parse(first.slug, first.story, "{", first.solution).expect_err("broken");
        assert!(broken.contains("start.json"), "{broken}");
    }
}
