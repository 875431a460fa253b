//! Challenge links and answer links (docs/workshops.md). A facilitator turns a lesson or the
//! canvas into a challenge: a title, a brief, the starting scenario (its goals, locked
//! conditions, budget and seed inside it), hints to release in order, and a solution kept out of
//! sight until it is released. All of it travels in the link (`#challenge=...`), as JSON with a
//! format version, packed like a share link. A participant's answer travels back the same way
//! (`#answer=...`): their scenario and the fingerprint of the challenge it answers.
//!
//! A solution inside a link is not a secret from someone who decodes it; the aim is only that
//! the screen does not show it before it is released.

use crate::diagnosis::{Diagnosis, Find};
use crate::share;
use engine::Scenario;
use serde_json::{json, Value};

/// The fragment key of a challenge link: `#challenge=...`.
pub const CHALLENGE_KEY: &str = "challenge=";
/// The fragment key of an answer link: `#answer=...`.
pub const ANSWER_KEY: &str = "answer=";
/// The challenge format this build writes (and the newest it reads).
pub const VERSION: u64 = 1;
/// At most this many answers in one comparison.
pub const MAX_ANSWERS: usize = 200;
/// At most this many hints.
pub const MAX_HINTS: usize = 12;
/// At most this many characters of a brief, a title or a hint.
pub const MAX_TEXT: usize = 4_000;

/// A challenge, as its link carries it.
#[derive(Debug, Clone, PartialEq)]
pub struct Challenge {
    pub title: String,
    /// What the participants are asked to do (Markdown subset).
    pub brief: String,
    /// Where they start: goals, locked conditions, budget and seed inside.
    pub start: Scenario,
    /// Released one at a time, in order.
    pub hints: Vec<String>,
    /// Kept out of sight until released.
    pub solution: Option<Scenario>,
    /// Whether the solution is released (a link the facilitator hands out afterwards).
    pub released: bool,
    /// The lesson it came from, if any (by slug).
    pub lesson: Option<String>,
    /// The culprit participants are asked to name before they fix it, if any (lesson 6).
    pub find: Option<Find>,
}

impl Challenge {
    /// The fragment (without `#`) of the link that carries this challenge.
    pub fn link(&self) -> String {
        let mut v = json!({
            "version": VERSION,
            "title": self.title,
            "brief": self.brief,
            "start": tree(&self.start),
            "hints": self.hints,
            "released": self.released,
        });
        if let Some(s) = &self.solution {
            v["solution"] = tree(s);
        }
        if let Some(l) = &self.lesson {
            v["lesson"] = Value::String(l.clone());
        }
        if let Some(f) = &self.find {
            v["find"] = f.to_value();
        }
        format!("{CHALLENGE_KEY}{}", share::pack(&v.to_string()))
    }

    /// The challenge a link (or its fragment) carries, or a sentence saying what is wrong with
    /// it.
    pub fn from_link(link: &str) -> Result<Challenge, String> {
        let link = link.trim();
        let fragment = link.rsplit_once('#').map_or(link, |(_, f)| f);
        let payload = fragment
            .strip_prefix(CHALLENGE_KEY)
            .ok_or("This link does not carry a challenge.")?;
        let text = share::unpack(payload, "challenge link")?;
        let v: Value = serde_json::from_str(&text)
            .map_err(|e| format!("This challenge link is damaged: {e}."))?;
        let version = v["version"]
            .as_u64()
            .ok_or("This challenge link has no format version.")?;
        if version == 0 || version > VERSION {
            return Err(format!(
                "This challenge link was written by a newer version of the playground (format {version}; this one reads up to {VERSION})."
            ));
        }
        let text_of = |key: &str| -> Result<String, String> {
            let t = v[key].as_str().unwrap_or_default();
            if t.chars().count() > MAX_TEXT {
                return Err(format!(
                    "This challenge link's {key} is longer than {MAX_TEXT} characters."
                ));
            }
            Ok(t.to_string())
        };
        let scenario = |key: &str| -> Result<Scenario, String> {
            let s = Scenario::from_json(&v[key].to_string())
                .map_err(|e| format!("This challenge link's {key} scenario cannot be read: {e}"))?;
            crate::state::editable(&s)
                .map_err(|e| format!("This challenge link's {key} scenario is too large: {e}"))?;
            Ok(s)
        };
        let hints = match &v["hints"] {
            Value::Null => Vec::new(),
            Value::Array(items) if items.len() <= MAX_HINTS => items
                .iter()
                .map(|h| match h.as_str() {
                    Some(t) if t.chars().count() <= MAX_TEXT => Ok(t.to_string()),
                    _ => {
                        Err("This challenge link has a hint that is not a short text.".to_string())
                    }
                })
                .collect::<Result<_, _>>()?,
            _ => {
                return Err(format!(
                    "This challenge link's hints are not a list of at most {MAX_HINTS}."
                ))
            }
        };
        let start = scenario("start")?;
        let find = match &v["find"] {
            Value::Null => None,
            f => {
                let find = Find::read(f, "find", MAX_TEXT).map_err(|e| {
                    format!("This challenge link's culprit question is damaged: {e}.")
                })?;
                if !start.components.iter().any(|c| c.id == find.answer) {
                    return Err(format!(
                        "This challenge link asks for a culprit, \"{}\", that is not in its start.",
                        find.answer.chars().take(64).collect::<String>()
                    ));
                }
                Some(find)
            }
        };
        Ok(Challenge {
            title: text_of("title")?,
            brief: text_of("brief")?,
            start,
            hints,
            solution: if v["solution"].is_null() {
                None
            } else {
                Some(scenario("solution")?)
            },
            released: v["released"].as_bool().unwrap_or(false),
            lesson: v["lesson"].as_str().map(str::to_string),
            find,
        })
    }

    /// A short fingerprint of what the participants start from (the scenario with its goals,
    /// locks, budget and seed): an answer names it, and the compare page checks it.
    pub fn fingerprint(&self) -> String {
        format!(
            "{:016x}",
            engine::rng::stable_hash(fingerprint_text(&self.start).as_bytes())
        )
    }

    /// The participant's answer: their scenario, for this challenge, and whether they named its
    /// culprit (when it asks for one).
    pub fn answer(&self, scenario: &Scenario, culprit: Diagnosis) -> Answer {
        Answer {
            challenge: self.fingerprint(),
            title: self.title.clone(),
            scenario: scenario.clone(),
            culprit: if self.find.is_some() {
                culprit
            } else {
                Diagnosis::Looking
            },
        }
    }
}

/// Fields added to the scenario format after links began to carry fingerprints, each with the
/// value that leaves it off. A fingerprint hashes the scenario as it writes itself, so without
/// this a build that writes a new field would no longer match the answers an older build made
/// for the same challenge. A field added later joins this list.
const LATER_FIELDS: [(&str, &str); 4] = [
    ("\"double_submit\": ", "0.0"),
    ("\"reply_loss\": ", "0.0"),
    ("\"forward_keys\": ", "false"),
    ("\"key_ttl_ms\": ", "null"),
];

/// The text a fingerprint hashes: the scenario as it writes itself, without the lines of the
/// [`LATER_FIELDS`] that are off (a line left last in its object loses its comma), which is
/// the text builds before those fields wrote.
fn fingerprint_text(scenario: &Scenario) -> String {
    let text = scenario.to_json();
    let kept: Vec<&str> = text
        .lines()
        .filter(|line| {
            let t = line.trim().trim_end_matches(',');
            !LATER_FIELDS
                .iter()
                .any(|(key, off)| t.strip_prefix(key) == Some(off))
        })
        .collect();
    let closes = |next: Option<&&str>| {
        next.is_some_and(|n| matches!(n.trim_start().chars().next(), Some('}' | ']')))
    };
    kept.iter()
        .enumerate()
        .map(|(i, line)| match line.strip_suffix(',') {
            Some(bare) if closes(kept.get(i + 1)) => bare,
            _ => line,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// A participant's answer, as its link carries it.
#[derive(Debug, Clone, PartialEq)]
pub struct Answer {
    /// The fingerprint of the challenge it answers.
    pub challenge: String,
    pub title: String,
    pub scenario: Scenario,
    /// Whether the participant named the challenge's culprit (Looking: it asks for none, or
    /// they did not answer).
    pub culprit: Diagnosis,
}

impl Answer {
    /// The answer as JSON: what its link packs, and what its file holds (format 1).
    fn value(&self) -> Value {
        let mut v = json!({
            "version": VERSION,
            "title": self.title,
            "scenario": tree(&self.scenario),
        });
        // An answer made from a bare scenario file names no challenge.
        if !self.challenge.is_empty() {
            v["challenge"] = Value::String(self.challenge.clone());
        }
        if let Some(record) = self.culprit.record() {
            v["culprit"] = record;
        }
        v
    }

    /// The fragment (without `#`) of the link that carries this answer.
    pub fn link(&self) -> String {
        format!("{ANSWER_KEY}{}", share::pack(&self.value().to_string()))
    }

    /// The answer as a file to save (`answer.json`): the same JSON its link packs, readable.
    pub fn file(&self) -> String {
        let mut v = self.value();
        v["kind"] = Value::String(ANSWER_FILE_KIND.into());
        serde_json::to_string_pretty(&v).unwrap_or_default()
    }

    /// The answer a fragment (or a whole link) carries, or what is wrong with it.
    pub fn from_link(link: &str) -> Result<Answer, String> {
        let fragment = link.rsplit_once('#').map_or(link, |(_, f)| f);
        let payload = fragment
            .trim()
            .strip_prefix(ANSWER_KEY)
            .ok_or("This link does not carry an answer.")?;
        let text = share::unpack(payload, "answer link")?;
        let v: Value = serde_json::from_str(&text)
            .map_err(|e| format!("This answer link is damaged: {e}."))?;
        Answer::from_value(&v, "answer link")
    }

    /// The answer in `v` (a link's or a file's JSON); `what` names where it came from.
    fn from_value(v: &Value, what: &str) -> Result<Answer, String> {
        match v["version"].as_u64() {
            Some(1) => {}
            Some(n) => return Err(format!("This {what} has format {n}; this version reads 1.")),
            None => return Err(format!("This {what} has no format version.")),
        }
        let scenario = Scenario::from_json(&v["scenario"].to_string())
            .map_err(|e| format!("This {what}'s scenario cannot be read: {e}"))?;
        crate::state::editable(&scenario)
            .map_err(|e| format!("This {what}'s scenario is too large: {e}"))?;
        let short = |key: &str, max: usize| -> String {
            v[key]
                .as_str()
                .unwrap_or_default()
                .chars()
                .take(max)
                .collect()
        };
        let culprit = match &v["culprit"] {
            Value::Null => Diagnosis::Looking,
            record => Diagnosis::from_record(record)
                .ok_or(format!("This {what}'s record of the culprit is damaged."))?,
        };
        Ok(Answer {
            challenge: short("challenge", 64),
            title: short("title", 200),
            scenario,
            culprit,
        })
    }
}

/// The `kind` an answer file names itself by.
pub const ANSWER_FILE_KIND: &str = "backend-playground answer";

/// The answers a file holds, as answer-link fragments, each titled with the file's `name` so the
/// table says whose it is: an answer file (saved from a result card), a scenario file (the
/// sandbox's Export: it names no challenge, so the compare page checks its seed and locked
/// conditions instead), or text with answer links in it (a saved chat). Or why it holds none.
pub fn answers_in_file(name: &str, text: &str) -> Result<Vec<String>, String> {
    let retitled = |mut a: Answer| {
        a.title = name.chars().take(200).collect();
        a.link()
    };
    if let Ok(v) = serde_json::from_str::<Value>(text) {
        if !v.is_object() {
            return Err("it is JSON but neither an answer nor a scenario.".into());
        }
        if v.get("scenario").is_some() {
            return Answer::from_value(&v, "answer file").map(|a| vec![retitled(a)]);
        }
        let scenario = Scenario::from_json(text)
            .map_err(|e| format!("it is neither an answer file nor a scenario: {e}"))?;
        crate::state::editable(&scenario).map_err(|e| format!("its scenario is too large: {e}"))?;
        let answer = Answer {
            challenge: String::new(),
            title: String::new(),
            scenario,
            culprit: Diagnosis::Looking,
        };
        return Ok(vec![retitled(answer)]);
    }
    // A damaged link is kept as it is, so the compare table shows it flagged with the reason.
    let mut found = Vec::new();
    for word in text.split(|c: char| c.is_whitespace() || "<>()[]\"'`".contains(c)) {
        let Some(at) = word.find(ANSWER_KEY) else {
            continue;
        };
        if at > 0 && !word[..at].ends_with('#') {
            continue;
        }
        found
            .push(Answer::from_link(&word[at..]).map_or_else(|_| word[at..].to_string(), retitled));
        if found.len() > MAX_ANSWERS {
            break;
        }
    }
    if found.is_empty() {
        return Err("there is no answer link, answer or scenario in it.".into());
    }
    Ok(found)
}

/// What an answer changed from the challenge's start, field by field, in words:
/// `api.idempotency: "off" → "atomic_reserve"`, `+ cache (a cache)`, `+ wire api → cache`.
pub fn diff(start: &Scenario, answer: &Scenario) -> Vec<String> {
    let mut out = Vec::new();
    if start.seed != answer.seed {
        out.push(format!("seed: {} → {}", start.seed, answer.seed));
    }
    let specs = |s: &Scenario| -> Vec<(String, Value)> {
        s.components
            .iter()
            .map(|c| {
                (
                    c.id.clone(),
                    serde_json::from_str(&c.spec.to_json()).unwrap_or(Value::Null),
                )
            })
            .collect()
    };
    let (before, after) = (specs(start), specs(answer));
    for (id, spec) in &before {
        match after.iter().find(|(i, _)| i == id) {
            None => out.push(format!("− {id}")),
            Some((_, new)) => fields(id, spec, new, &mut out),
        }
    }
    for (id, spec) in &after {
        if !before.iter().any(|(i, _)| i == id) {
            out.push(format!(
                "+ {id} (a {})",
                spec["kind"]
                    .as_str()
                    .unwrap_or("component")
                    .replace('_', " ")
            ));
        }
    }
    let wire = |w: &engine::scenario::Wire| format!("{} → {}", w.from, w.to);
    for w in &start.wires {
        if !answer
            .wires
            .iter()
            .any(|v| v.from == w.from && v.to == w.to)
        {
            out.push(format!("− wire {}", wire(w)));
        }
    }
    for w in &answer.wires {
        match start
            .wires
            .iter()
            .find(|v| v.from == w.from && v.to == w.to)
        {
            None => out.push(format!("+ wire {}", wire(w))),
            Some(v) if v != w => out.push(format!("wire {}: changed", wire(w))),
            Some(_) => {}
        }
    }
    if start.faults != answer.faults {
        out.push(format!(
            "faults: {} → {}",
            start.faults.len(),
            answer.faults.len()
        ));
    }
    out
}

/// The fields of one component's spec that differ, by path under `at`.
fn fields(at: &str, before: &Value, after: &Value, out: &mut Vec<String>) {
    match (before, after) {
        (Value::Object(a), Value::Object(b)) => {
            let mut keys: Vec<&String> = a
                .keys()
                .chain(b.keys().filter(|k| !a.contains_key(*k)))
                .collect();
            keys.sort_by_key(|k| engine::kinds::rank(k));
            for k in keys {
                fields(
                    &format!("{at}.{k}"),
                    a.get(k).unwrap_or(&Value::Null),
                    b.get(k).unwrap_or(&Value::Null),
                    out,
                );
            }
        }
        (a, b) if a != b => out.push(format!("{at}: {a} → {b}")),
        _ => {}
    }
}

/// A scenario as a JSON tree (its canonical text, parsed).
fn tree(scenario: &Scenario) -> Value {
    serde_json::from_str(&scenario.to_json()).unwrap_or(Value::Null)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lesson_one() -> Challenge {
        let files = lesson_catalog::find("01-paid-twice").expect("lesson 1");
        Challenge {
            title: "Paid twice".into(),
            brief: "Stop the double charges without touching the client.".into(),
            start: Scenario::from_json(files.start).expect("start"),
            hints: vec!["Look at the provider.".into(), "Idempotency.".into()],
            solution: Some(Scenario::from_json(files.solution).expect("solution")),
            released: false,
            lesson: Some("01-paid-twice".into()),
            find: None,
        }
    }

    /// Lesson 6 as a challenge: its culprit travels in the link.
    fn lesson_six() -> Challenge {
        let files = lesson_catalog::find("06-the-logs-said-fine").expect("lesson 6");
        let meta = crate::lessons::Meta::from_json(files.meta).expect("meta");
        Challenge {
            title: "The logs said fine".into(),
            brief: "Find it, then fix it.".into(),
            start: Scenario::from_json(files.start).expect("start"),
            hints: meta.hints.clone(),
            solution: None,
            released: false,
            lesson: Some("06-the-logs-said-fine".into()),
            find: meta.find,
        }
    }

    #[test]
    fn a_challenges_culprit_travels_in_its_link_and_the_answer_says_if_it_was_found() {
        let c = lesson_six();
        let find = c.find.clone().expect("lesson 6 asks for its culprit");
        assert_eq!((find.answer.as_str(), find.guesses), ("recs", 2));
        assert_eq!(Challenge::from_link(&c.link()), Ok(c.clone()));
        for said in [Diagnosis::Found(2), Diagnosis::Shown, Diagnosis::Looking] {
            let a = Answer::from_link(&c.answer(&c.start, said).link()).expect("reads");
            assert_eq!(a.culprit, said);
        }
        // A challenge that asks for no culprit records none, whatever the screen held.
        let plain = lesson_one();
        assert_eq!(
            plain.answer(&plain.start, Diagnosis::Found(1)).culprit,
            Diagnosis::Looking
        );
    }

    #[test]
    fn a_culprit_the_start_does_not_have_or_a_forged_record_is_refused_by_name() {
        let mut c = lesson_six();
        if let Some(f) = c.find.as_mut() {
            f.answer = "nobody".into();
        }
        let why = Challenge::from_link(&c.link()).unwrap_err();
        assert!(
            why.contains("\"nobody\", that is not in its start"),
            "{why}"
        );

        let c = lesson_six();
        let mut v: Value = serde_json::from_str(
            &share::unpack(
                c.answer(&c.start, Diagnosis::Found(1))
                    .link()
                    .strip_prefix(ANSWER_KEY)
                    .unwrap(),
                "answer link",
            )
            .unwrap(),
        )
        .unwrap();
        v["culprit"] = json!({"found": true, "guesses": 0});
        let link = format!("{ANSWER_KEY}{}", share::pack(&v.to_string()));
        assert_eq!(
            Answer::from_link(&link).unwrap_err(),
            "This answer link's record of the culprit is damaged."
        );
    }

    #[test]
    fn a_challenge_reads_back_from_its_link_whole() {
        let c = lesson_one();
        let link = c.link();
        assert!(link.starts_with(CHALLENGE_KEY));
        assert_eq!(Challenge::from_link(&link), Ok(c.clone()));
        assert_eq!(Challenge::from_link(&format!("#{link}")), Ok(c.clone()));
        assert_eq!(
            Challenge::from_link(&format!(" https://example.org/pg/#{link}\n")),
            Ok(c)
        );
    }

    #[test]
    fn an_answer_names_its_challenge_and_carries_the_design() {
        let c = lesson_one();
        let solved = c.solution.clone().expect("solution");
        let link = format!(
            "https://example.org/pg/#{}",
            c.answer(&solved, Diagnosis::Looking).link()
        );
        let a = Answer::from_link(&link).expect("reads");
        assert_eq!(a.challenge, c.fingerprint());
        assert_eq!(a.scenario, solved);
        // Another seed is another challenge.
        let mut other = c.clone();
        other.start.seed += 1;
        assert_ne!(other.fingerprint(), c.fingerprint());
    }

    #[test]
    fn damaged_links_say_what_is_wrong() {
        let c = lesson_one();
        let link = c.link();
        let cut = &link[..link.len() / 2];
        assert!(Challenge::from_link(cut).unwrap_err().contains("damaged"));
        assert!(Challenge::from_link("challenge=***")
            .unwrap_err()
            .contains("not valid base64"));
        let refusal = |json: &str| {
            Challenge::from_link(&format!("{CHALLENGE_KEY}{}", share::pack(json))).unwrap_err()
        };
        assert!(refusal(r#"{"version": 9, "title": "x"}"#).contains("newer version"));
        assert!(refusal(r#"{"version": 1, "title": "x"}"#).contains("start scenario"));
        let many = json!({"version": 1, "hints": vec!["h"; MAX_HINTS + 1]}).to_string();
        assert!(refusal(&many).contains("hints"));
        assert!(Answer::from_link("answer=AAAA").is_err());
        assert!(Answer::from_link("https://x/#s=abc")
            .unwrap_err()
            .contains("does not carry an answer"));
    }

    #[test]
    fn the_diff_names_each_changed_field_and_nothing_else() {
        let c = lesson_one();
        let solved = c.solution.clone().expect("solution");
        assert_eq!(diff(&c.start, &c.start), Vec::<String>::new());
        let changes = diff(&c.start, &solved);
        assert!(
            changes.contains(&r#"api.idempotency: "off" → "atomic_reserve""#.to_string()),
            "{changes:?}"
        );
        let mut more = solved.clone();
        more.seed = 99;
        more.components.retain(|k| k.id != "psp");
        more.wires.retain(|w| w.to != "psp");
        let changes = diff(&c.start, &more);
        assert!(changes.contains(&"seed: 1 → 99".to_string()));
        assert!(changes.contains(&"− psp".to_string()));
        assert!(
            changes.contains(&"− wire api → psp".to_string()),
            "{changes:?}"
        );
    }

    #[test]
    fn files_give_answers_whatever_their_shape() {
        let c = lesson_one();
        let solved = c.solution.clone().expect("solution");
        // An answer file saved from a result card keeps its challenge, titled by its file.
        let links = answers_in_file("alice.json", &c.answer(&solved, Diagnosis::Looking).file())
            .expect("answer file");
        let a = Answer::from_link(&links[0]).expect("a link");
        assert_eq!(
            (links.len(), a.challenge, a.title.as_str()),
            (1, c.fingerprint(), "alice.json")
        );
        assert_eq!(a.scenario, solved);
        // A scenario file (the sandbox's Export) names no challenge.
        let links = answers_in_file("bob.json", &solved.to_json()).expect("scenario file");
        let b = Answer::from_link(&links[0]).expect("a link");
        assert_eq!((b.challenge.as_str(), &b.scenario), ("", &solved));
        // A saved chat: links among words and brackets; a damaged one is kept as it is.
        let link = c.answer(&solved, Diagnosis::Looking).link();
        let chat = format!(
            "alice: https://x.org/pg/#{link} done!\nbob: (#{link})\ncarol: answer=AAAA\nsee https://x/#s=abc or xanswer=1"
        );
        let links = answers_in_file("chat.txt", &chat).expect("chat");
        assert_eq!(links.len(), 3, "{links:?}");
        assert!(Answer::from_link(&links[0]).is_ok() && Answer::from_link(&links[1]).is_ok());
        assert_eq!(links[2], "answer=AAAA");
        // What is not an answer says why.
        let refusal = |text: &str| answers_in_file("x", text).unwrap_err();
        assert!(refusal("[1, 2]").contains("neither an answer nor a scenario"));
        assert!(refusal(r#"{"components": 3}"#).contains("neither an answer file nor a scenario"));
        assert!(refusal("hello").contains("no answer link"));
        assert!(refusal(r#"{"version": 7, "scenario": {}}"#).contains("format 7"));
        // At most MAX_ANSWERS (and one over, to be refused by the page) from one file.
        let many = format!("#{link} ").repeat(MAX_ANSWERS + 50);
        assert_eq!(
            answers_in_file("x", &many).expect("many").len(),
            MAX_ANSWERS + 1
        );
    }

    /// Answer links and files written by this build must open in every later one.
    #[test]
    fn shipped_answers_keep_opening() {
        let link = include_str!("../../tests/data/challenge-links/v1-answer-lesson-01.txt").trim();
        let file = include_str!("../../tests/data/challenge-links/v1-answer-lesson-01.json");
        // Both answer the shipped challenge link with its solution.
        let c = Challenge::from_link(include_str!(
            "../../tests/data/challenge-links/v1-lesson-01.txt"
        ))
        .expect("the v1 challenge opens");
        for a in [
            Answer::from_link(link).expect("the v1 answer link opens"),
            Answer::from_link(&answers_in_file("f", file).expect("the v1 file opens")[0])
                .expect("its link opens"),
        ] {
            assert_eq!(a.challenge, c.fingerprint());
            assert_eq!(Some(a.scenario), c.solution);
        }
    }

    #[test]
    fn a_fingerprint_leaves_out_later_fields_that_are_off_and_keeps_those_that_are_on() {
        let c = lesson_six();
        let text = fingerprint_text(&c.start);
        assert!(!text.contains("double_submit") && !text.contains("forward_keys"));
        serde_json::from_str::<Value>(&text).expect("still JSON: no comma left before a brace");
        let mut on = c.clone();
        let tree =
            on.start
                .to_json()
                .replacen("\"forward_keys\": false", "\"forward_keys\": true", 1);
        on.start = Scenario::from_json(&tree).expect("reads");
        assert!(fingerprint_text(&on.start).contains("\"forward_keys\": true"));
        assert_ne!(on.fingerprint(), c.fingerprint());
    }

    /// Links written by this build must open in every later one.
    #[test]
    fn shipped_challenge_links_keep_opening() {
        let text = include_str!("../../tests/data/challenge-links/v1-lesson-01.txt").trim();
        let c = Challenge::from_link(text).expect("the v1 fixture opens");
        assert_eq!(c.title, "Paid twice");
        assert_eq!(c.hints.len(), 2);
        assert!(c.solution.is_some() && !c.released);
        assert_eq!(c.start.goals.len(), 3);
    }
}
