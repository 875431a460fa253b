//! "Find it": a lesson or a challenge that asks the learner to name the culprit before fixing it
//! (lesson 6). The question and its answer, the number of guesses allowed, and how many hints
//! may be read before the culprit is named; and where a learner stands: still looking, found it
//! on some guess, or out of guesses and shown the answer. Named once, it stays named.

use serde_json::{json, Value};

/// Guesses allowed when a lesson or challenge does not say.
pub const DEFAULT_GUESSES: u32 = 2;
/// The most guesses a file or a link may allow.
pub const MAX_GUESSES: u32 = 10;

/// What the learner is asked to find.
#[derive(Debug, Clone, PartialEq)]
pub struct Find {
    /// The question ("Which component is slow?").
    pub question: String,
    /// The id of the right component.
    pub answer: String,
    /// What the panel says to the right answer, and under the answer once it is shown.
    pub right: String,
    /// What it says to a wrong one (it must not name the culprit).
    pub wrong: String,
    /// Guesses allowed before the answer is shown.
    pub guesses: u32,
    /// Hints that may be read before the culprit is named: the later ones point at it.
    pub hints_before: Option<usize>,
}

/// Where a learner stands with the question.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Diagnosis {
    /// Still looking, after this many wrong guesses.
    #[default]
    Looking,
    /// Named the culprit on this guess (1: the first).
    Found(u32),
    /// Used every guess; the answer is shown.
    Shown,
}

impl Diagnosis {
    /// The state after the `nth` guess (1: the first) of `allowed`, `right` or not.
    pub fn after(self, right: bool, nth: u32, allowed: u32) -> Diagnosis {
        match self {
            Diagnosis::Looking if right => Diagnosis::Found(nth),
            Diagnosis::Looking if nth >= allowed.max(1) => Diagnosis::Shown,
            other => other,
        }
    }

    /// Whether the question is settled, either way.
    pub fn settled(self) -> bool {
        self != Diagnosis::Looking
    }

    /// The record an answer link carries (None while still looking).
    pub fn record(self) -> Option<Value> {
        match self {
            Diagnosis::Looking => None,
            Diagnosis::Found(n) => Some(json!({ "found": true, "guesses": n })),
            Diagnosis::Shown => Some(json!({ "found": false })),
        }
    }

    /// The state an answer link's record stands for; None for no record or a damaged one.
    pub fn from_record(v: &Value) -> Option<Diagnosis> {
        match v["found"].as_bool()? {
            true => {
                let n = v["guesses"]
                    .as_u64()
                    .filter(|n| (1..=u64::from(MAX_GUESSES)).contains(n))?;
                Some(Diagnosis::Found(n as u32))
            }
            false => Some(Diagnosis::Shown),
        }
    }

    /// For a table or a card: "found, 1st guess", "not found", "not named" (still looking).
    pub fn words(self) -> String {
        match self {
            Diagnosis::Looking => "not named".into(),
            Diagnosis::Found(1) => "found, 1st guess".into(),
            Diagnosis::Found(2) => "found, 2nd guess".into(),
            Diagnosis::Found(3) => "found, 3rd guess".into(),
            Diagnosis::Found(n) => format!("found, {n}th guess"),
            Diagnosis::Shown => "not found".into(),
        }
    }
}

impl Find {
    /// Reads a `find` object (a lesson's or a link's); `at` names it in a refusal. Texts are
    /// capped at `max_text` characters.
    pub fn read(v: &Value, at: &str, max_text: usize) -> Result<Find, String> {
        let text = |key: &str| -> Result<String, String> {
            match v[key].as_str() {
                Some(t) if !t.trim().is_empty() && t.chars().count() <= max_text => {
                    Ok(t.to_string())
                }
                Some(t) if !t.trim().is_empty() => {
                    Err(format!("{at}.{key}: longer than {max_text} characters"))
                }
                _ => Err(format!("{at}.{key}: expected a text")),
            }
        };
        let guesses = match &v["guesses"] {
            Value::Null => DEFAULT_GUESSES,
            n => n
                .as_u64()
                .filter(|n| (1..=u64::from(MAX_GUESSES)).contains(n))
                .ok_or(format!(
                    "{at}.guesses: expected a whole number from 1 to {MAX_GUESSES}"
                ))? as u32,
        };
        let hints_before = match &v["hints_before"] {
            Value::Null => None,
            n => Some(
                n.as_u64()
                    .ok_or(format!("{at}.hints_before: expected a whole number"))?
                    as usize,
            ),
        };
        if let Some(k) = v
            .as_object()
            .and_then(|o| o.keys().find(|k| !FIELDS.contains(&k.as_str())))
        {
            return Err(format!("{at}: unknown field \"{k}\""));
        }
        Ok(Find {
            question: text("question")?,
            answer: text("answer")?,
            right: text("right")?,
            wrong: text("wrong")?,
            guesses,
            hints_before,
        })
    }

    /// The object a challenge link carries.
    pub fn to_value(&self) -> Value {
        let mut v = json!({
            "question": self.question, "answer": self.answer, "right": self.right,
            "wrong": self.wrong, "guesses": self.guesses,
        });
        if let Some(n) = self.hints_before {
            v["hints_before"] = json!(n);
        }
        v
    }

    /// How many of `total` hints may be read while `diagnosis` is still looking.
    pub fn hints_open(&self, diagnosis: Diagnosis, total: usize) -> usize {
        match (diagnosis, self.hints_before) {
            (Diagnosis::Looking, Some(n)) => n.min(total),
            _ => total,
        }
    }
}

const FIELDS: [&str; 6] = [
    "question",
    "answer",
    "right",
    "wrong",
    "guesses",
    "hints_before",
];

#[cfg(test)]
mod tests {
    use super::*;

    fn find() -> Find {
        Find::read(
            &json!({"question": "Which?", "answer": "recs", "right": "Yes.", "wrong": "No.",
                    "guesses": 2, "hints_before": 1}),
            "find",
            100,
        )
        .expect("reads")
    }

    #[test]
    fn a_right_guess_is_found_on_its_number_and_the_last_wrong_one_shows_the_answer() {
        let f = find();
        let first_wrong = Diagnosis::Looking.after(false, 1, f.guesses);
        assert_eq!(first_wrong, Diagnosis::Looking);
        assert_eq!(first_wrong.after(true, 2, f.guesses), Diagnosis::Found(2));
        assert_eq!(first_wrong.after(false, 2, f.guesses), Diagnosis::Shown);
        // Settled stays settled.
        assert_eq!(Diagnosis::Shown.after(true, 3, f.guesses), Diagnosis::Shown);
        assert_eq!(
            Diagnosis::Found(1).after(false, 2, f.guesses),
            Diagnosis::Found(1)
        );
    }

    #[test]
    fn hints_that_point_at_the_culprit_wait_until_it_is_named_or_shown() {
        let f = find();
        assert_eq!(f.hints_open(Diagnosis::Looking, 4), 1);
        assert_eq!(f.hints_open(Diagnosis::Found(2), 4), 4);
        assert_eq!(f.hints_open(Diagnosis::Shown, 4), 4);
        let ungated = Find {
            hints_before: None,
            ..f
        };
        assert_eq!(ungated.hints_open(Diagnosis::Looking, 4), 4);
    }

    #[test]
    fn a_record_reads_back_and_a_damaged_one_is_none() {
        for d in [Diagnosis::Found(1), Diagnosis::Found(3), Diagnosis::Shown] {
            assert_eq!(Diagnosis::from_record(&d.record().unwrap()), Some(d));
        }
        assert_eq!(Diagnosis::Looking.record(), None);
        assert_eq!(
            Diagnosis::from_record(&json!({"found": true, "guesses": 0})),
            None
        );
        assert_eq!(
            Diagnosis::from_record(&json!({"found": true, "guesses": 99})),
            None
        );
        assert_eq!(Diagnosis::from_record(&json!("yes")), None);
    }

    #[test]
    fn a_find_reads_back_and_bad_ones_are_named() {
        let f = find();
        assert_eq!(Find::read(&f.to_value(), "find", 100), Ok(f));
        let bad = |v: Value| Find::read(&v, "find", 10).expect_err("refused");
        let base = json!({"question": "Which?", "answer": "recs", "right": "Yes.", "wrong": "No."});
        assert_eq!(
            Find::read(&base, "find", 10).map(|f| f.guesses),
            Ok(DEFAULT_GUESSES)
        );
        let mut many = base.clone();
        many["guesses"] = json!(11);
        assert!(bad(many).contains("guesses"));
        let mut long = base.clone();
        long["wrong"] = json!("x".repeat(11));
        assert!(bad(long).contains("find.wrong: longer than 10"));
        let mut typo = base.clone();
        typo["gueses"] = json!(2);
        assert!(bad(typo).contains("unknown field \"gueses\""));
        let mut empty = base;
        empty["answer"] = json!("");
        assert!(bad(empty).contains("find.answer"));
    }
}
