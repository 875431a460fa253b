//! A live workshop room as the app sees it: the calls to `playground workshop`'s API
//! (docs/workshops.md), what a participant's browser keeps so a reload, a sleeping laptop or a
//! dropped Wi-Fi loses nothing (their seat, and an answer waiting to be sent), and how the
//! facilitator's screen ranks the answers. The screens are `screens::room` and `screens::host`.

use crate::io;
use serde_json::{json, Value};

/// The fragment key of a participant's room: `#room=CODE`.
pub const ROOM_KEY: &str = "room=";
/// The fragment of the facilitator's screen: `#host` (open a room) or `#host=CODE`.
pub const HOST_KEY: &str = "host";

/// The room code a fragment names after `key`: letters and digits only (at most 12), upper
/// case, so a code read aloud or typed in lower case still finds its room.
pub fn code_in(fragment: &str, key: &str) -> Option<String> {
    let code = fragment.strip_prefix(key)?;
    let ok =
        !code.is_empty() && code.len() <= 12 && code.chars().all(|c| c.is_ascii_alphanumeric());
    ok.then(|| code.to_ascii_uppercase())
}

/// Why a call to the room's server did not go through.
#[derive(Debug, Clone, PartialEq)]
pub enum Failure {
    /// No answer at all: the network is down, or the page is not served by `playground workshop`.
    Offline,
    /// The server refused, with its status and its message.
    Refused(u16, String),
}

impl Failure {
    /// The room's server said it has no such room (a plain static host's 404 says nothing).
    pub fn no_room(&self) -> bool {
        matches!(self, Failure::Refused(404, m) if !m.is_empty())
    }

    /// For people.
    pub fn words(&self) -> String {
        match self {
            Failure::Offline => "The room's server cannot be reached (offline?).".into(),
            Failure::Refused(404, m) if m.is_empty() => NOT_A_ROOM_SERVER.into(),
            Failure::Refused(_, m) => m.clone(),
        }
    }
}

/// What a page served as static files says about rooms.
pub const NOT_A_ROOM_SERVER: &str = "Live rooms need the workshop server: run `playground workshop` and open the address it prints (this page is served as plain files).";

/// A call to the room's API (`path` after `api/rooms`), relative to the page, with a JSON body
/// when `body` is given (POST) or none (GET).
pub async fn call(path: &str, body: Option<&Value>) -> Result<Value, Failure> {
    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::JsFuture;
    let window = web_sys::window().ok_or(Failure::Offline)?;
    let init = web_sys::RequestInit::new();
    if let Some(body) = body {
        init.set_method("POST");
        init.set_body(&wasm_bindgen::JsValue::from_str(&body.to_string()));
    }
    let url = format!("api/rooms{path}");
    let request =
        web_sys::Request::new_with_str_and_init(&url, &init).map_err(|_| Failure::Offline)?;
    request
        .headers()
        .set("Content-Type", "application/json")
        .ok();
    let response = JsFuture::from(window.fetch_with_request(&request))
        .await
        .map_err(|_| Failure::Offline)?;
    let response: web_sys::Response = response.dyn_into().map_err(|_| Failure::Offline)?;
    let status = response.status();
    let text = match response.text() {
        Ok(p) => JsFuture::from(p).await.ok().and_then(|t| t.as_string()),
        Err(_) => None,
    }
    .unwrap_or_default();
    let value: Option<Value> = serde_json::from_str(&text).ok();
    match value {
        Some(v) if response.ok() => Ok(v),
        Some(v) => Err(Failure::Refused(
            status,
            v["error"].as_str().unwrap_or_default().to_string(),
        )),
        // A static host answers an API call with its own page or a plain 404.
        None => Err(Failure::Refused(404, String::new())),
    }
}

/// What the server's run found for an answer (the room's `Verdict`).
#[derive(Debug, Clone, PartialEq)]
pub struct Verdict {
    /// Goals met, of `goals`.
    pub met: usize,
    /// Goals in all.
    pub goals: usize,
    /// Every goal met and every locked condition kept.
    pub passed: bool,
    /// The design's capacity, an hour.
    pub cost_per_hour: f64,
    /// Locked conditions the design changed (then it is flagged, not ranked).
    pub changed: Vec<String>,
    /// Shortcuts the server's search found for the challenge that the design makes, in words
    /// (shown beside its rank: it may apply the idea as well).
    pub shortcuts: Vec<String>,
}

impl Verdict {
    /// The verdict in a server's JSON, if it is one.
    pub fn read(v: &Value) -> Option<Verdict> {
        Some(Verdict {
            met: v["met"].as_u64()? as usize,
            goals: v["goals"].as_u64()? as usize,
            passed: v["passed"].as_bool()?,
            cost_per_hour: v["cost_per_hour"].as_f64()?,
            changed: words(&v["changed"]),
            shortcuts: words(&v["shortcuts"]),
        })
    }

    /// What the facilitator's Flags column says: conditions changed, and shortcuts made.
    pub fn flags(&self) -> String {
        let shortcuts = self.shortcuts.iter().map(|s| format!("shortcut: {s}"));
        let all: Vec<String> = self.changed.iter().cloned().chain(shortcuts).collect();
        all.join("; ")
    }

    /// One line, as the participant and the facilitator read it.
    pub fn words(&self) -> String {
        let mut flag = String::new();
        if !self.changed.is_empty() {
            flag += &format!(" · flagged: {}", self.changed.join("; "));
        }
        if !self.shortcuts.is_empty() {
            flag += &format!(" · passes by a shortcut too: {}", self.shortcuts.join("; "));
        }
        format!(
            "{} of {} goals met · ${:.2} an hour{flag}",
            self.met, self.goals, self.cost_per_hour
        )
    }
}

/// A participant's place in a room: what joining returned, kept in the browser so a reload
/// (even offline) opens the same challenge with their design.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Seat {
    pub code: String,
    pub token: String,
    pub name: String,
    pub title: String,
    /// The challenge link's fragment the room was opened with (empty for a room opened without).
    pub challenge: String,
    /// The challenge's start, as JSON text.
    pub start: String,
    pub question: String,
    pub choices: Vec<String>,
    pub prediction: Option<usize>,
    pub revealed: bool,
    /// Their design as last kept (by the room, or here while offline), as JSON text.
    pub design: Option<String>,
    /// What the room's run found for their last answer.
    pub verdict: Option<Verdict>,
}

/// A list of texts in the server's JSON (anything else in it left out).
fn words(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|c| c.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

fn text(v: &Value, key: &str) -> String {
    v[key].as_str().unwrap_or_default().to_string()
}

impl Seat {
    /// The seat a join answered (or one kept in the browser), in room `code`.
    pub fn read(code: &str, v: &Value) -> Option<Seat> {
        let token = text(v, "token");
        if token.is_empty() {
            return None;
        }
        Some(Seat {
            code: code.to_string(),
            token,
            name: text(v, "name"),
            title: text(v, "title"),
            challenge: text(v, "challenge"),
            start: text(v, "start"),
            question: text(v, "question"),
            choices: words(&v["choices"]),
            prediction: v["prediction"].as_u64().map(|p| p as usize),
            revealed: v["revealed"].as_bool().unwrap_or(false),
            design: v["design"].as_str().map(str::to_string),
            verdict: Verdict::read(&v["verdict"]),
        })
    }

    /// The seat as the browser keeps it (the same fields a join answers).
    pub fn to_value(&self) -> Value {
        let verdict = self.verdict.as_ref().map(|v| {
            json!({ "met": v.met, "goals": v.goals, "passed": v.passed,
                    "cost_per_hour": v.cost_per_hour, "changed": v.changed,
                    "shortcuts": v.shortcuts })
        });
        json!({
            "token": self.token, "name": self.name, "title": self.title,
            "challenge": self.challenge, "start": self.start, "question": self.question,
            "choices": self.choices, "prediction": self.prediction, "revealed": self.revealed,
            "design": self.design, "verdict": verdict,
        })
    }
}

fn seat_key(code: &str) -> String {
    format!("backend-playground.room.{code}")
}

fn outbox_key(code: &str) -> String {
    format!("backend-playground.room.{code}.outbox")
}

fn host_key(code: &str) -> String {
    format!("backend-playground.host.{code}")
}

/// The seat this browser holds in room `code`.
pub fn kept_seat(code: &str) -> Option<Seat> {
    Seat::read(code, &io::stored(&seat_key(code))?)
}

/// Keeps the seat in this browser.
pub fn keep_seat(seat: &Seat) {
    io::store(&seat_key(&seat.code), seat.to_value());
}

/// Changes the seat this browser keeps for `seat`'s room (starting from `seat` if none is kept).
pub fn update_seat(seat: &Seat, change: impl FnOnce(&mut Seat)) {
    let mut kept = kept_seat(&seat.code).unwrap_or_else(|| seat.clone());
    change(&mut kept);
    keep_seat(&kept);
}

/// Forgets this browser's seat in room `code` (the room no longer knows its token).
pub fn forget_seat(code: &str) {
    io::store(&seat_key(code), Value::Null);
}

/// An answer made while the room could not be reached, to send when it can.
pub fn queue_answer(code: &str, design: &str) {
    io::store(&outbox_key(code), Value::from(design));
}

/// The answer waiting to be sent, if any.
pub fn queued_answer(code: &str) -> Option<String> {
    io::stored(&outbox_key(code))?.as_str().map(str::to_string)
}

/// The waiting answer went through (or was refused for good).
pub fn clear_queue(code: &str) {
    io::store(&outbox_key(code), Value::Null);
}

/// The facilitator's token for room `code`, kept by the browser that opened it.
pub fn host_token(code: &str) -> Option<String> {
    io::stored(&host_key(code))?.as_str().map(str::to_string)
}

/// Keeps the facilitator's token of a room just opened.
pub fn keep_host_token(code: &str, token: &str) {
    io::store(&host_key(code), Value::from(token));
}

/// A row of the facilitator's ranking: a participant and their last answer.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub participant: u64,
    pub name: String,
    /// Answers sent.
    pub answers: usize,
    pub last: Option<Verdict>,
    /// Their place (None: no answer yet, or flagged for changing a locked condition).
    pub rank: Option<usize>,
    /// Their prediction, by position.
    pub prediction: Option<usize>,
}

/// Everyone in the facilitator's view of the room, ranked by their last answer: more goals met
/// first, then the cheaper capacity, then who joined first; answers that changed a locked
/// condition are flagged and not ranked, and those who have not answered come last.
pub fn ranking(view: &Value) -> Vec<Row> {
    let mut rows: Vec<Row> = view["participants"]
        .as_array()
        .map_or(&[][..], Vec::as_slice)
        .iter()
        .map(|p| {
            let answers = p["answers"].as_array().map_or(&[][..], Vec::as_slice);
            Row {
                participant: p["participant"].as_u64().unwrap_or_default(),
                name: text(p, "name"),
                answers: answers.len(),
                last: answers.last().and_then(Verdict::read),
                rank: None,
                prediction: p["prediction"].as_u64().map(|c| c as usize),
            }
        })
        .collect();
    let group = |r: &Row| match &r.last {
        Some(v) if v.changed.is_empty() => 0,
        Some(_) => 1,
        None => 2,
    };
    rows.sort_by(|a, b| {
        let key = |r: &Row| {
            let v = r.last.as_ref();
            (
                group(r),
                std::cmp::Reverse(v.map_or(0, |v| v.met)),
                v.map_or(0.0, |v| v.cost_per_hour),
            )
        };
        let (ka, kb) = (key(a), key(b));
        (ka.0, ka.1)
            .cmp(&(kb.0, kb.1))
            .then(ka.2.total_cmp(&kb.2))
            .then(a.participant.cmp(&b.participant))
    });
    let mut place = 0;
    for r in &mut rows {
        if group(r) == 0 {
            place += 1;
            r.rank = Some(place);
        }
    }
    rows
}

/// How many chose each answer, with its words.
pub fn spread(view: &Value) -> Vec<(String, usize)> {
    let choices = view["choices"].as_array().map_or(&[][..], Vec::as_slice);
    let counts = view["spread"].as_array().map_or(&[][..], Vec::as_slice);
    choices
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let n = counts.get(i).and_then(Value::as_u64).unwrap_or(0) as usize;
            (c.as_str().unwrap_or_default().to_string(), n)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_room_code_is_letters_and_digits_only() {
        assert_eq!(code_in("room=ab3xyz", ROOM_KEY), Some("AB3XYZ".into()));
        assert_eq!(code_in("room=", ROOM_KEY), None);
        assert_eq!(code_in("room=<b>x</b>", ROOM_KEY), None);
        assert_eq!(code_in("room=../../etc", ROOM_KEY), None);
        assert_eq!(code_in(&format!("room={}", "A".repeat(13)), ROOM_KEY), None);
        assert_eq!(code_in("host=K2M9PQ", "host="), Some("K2M9PQ".into()));
        // The room's server names a missing room; a static host's bare 404 is another matter.
        assert!(Failure::Refused(404, "there is no room \"AB\"".into()).no_room());
        assert!(!Failure::Refused(404, String::new()).no_room());
        assert!(!Failure::Offline.no_room());
    }

    fn verdict(met: usize, cost: f64, changed: &[&str]) -> Value {
        json!({ "met": met, "goals": 3, "passed": met == 3 && changed.is_empty(),
                "cost_per_hour": cost, "changed": changed, "digest": "0" })
    }

    #[test]
    fn answers_rank_by_goals_then_cost_and_a_changed_condition_is_not_ranked() {
        let view = json!({ "participants": [
            { "participant": 1, "name": "Ada", "answers": [verdict(3, 9.0, &[])] },
            { "participant": 2, "name": "Bo", "answers": [] },
            { "participant": 3, "name": "Cy", "answers": [verdict(3, 4.0, &["the client changed"])] },
            { "participant": 4, "name": "Di", "answers": [verdict(1, 1.0, &[]), verdict(3, 5.0, &[])] },
            { "participant": 5, "name": "<b>Ed</b>", "answers": [verdict(2, 1.0, &[])] },
        ]});
        let rows = ranking(&view);
        let order: Vec<(&str, Option<usize>)> =
            rows.iter().map(|r| (r.name.as_str(), r.rank)).collect();
        assert_eq!(
            order,
            [
                ("Di", Some(1)),
                ("Ada", Some(2)),
                ("<b>Ed</b>", Some(3)),
                ("Cy", None),
                ("Bo", None)
            ]
        );
        assert_eq!(rows[0].answers, 2, "the last answer counts");
        assert!(rows[3]
            .last
            .as_ref()
            .unwrap()
            .words()
            .contains("flagged: the client changed"));
    }

    #[test]
    fn a_seat_kept_in_the_browser_reads_back_the_same() {
        let joined = json!({
            "participant": 2, "token": "t0k", "name": "Ada", "title": "Paid twice",
            "start": "{}", "seed": 3, "choices": ["none", "hundreds"], "question": "How many?",
            "challenge": "challenge=x", "revealed": false, "prediction": 1,
            "design": "{\"name\":\"mine\"}", "verdict": verdict(3, 2.5, &[]),
        });
        let seat = Seat::read("K2M9PQ", &joined).expect("a seat");
        assert_eq!(seat.prediction, Some(1));
        assert_eq!(seat.verdict.as_ref().map(|v| v.passed), Some(true));
        assert_eq!(Seat::read("K2M9PQ", &seat.to_value()), Some(seat));
        assert_eq!(Seat::read("K2M9PQ", &json!({ "name": "no token" })), None);
        assert_eq!(
            spread(&json!({ "choices": ["a", "b"], "spread": [2] })),
            [("a".to_string(), 2), ("b".to_string(), 0)]
        );
    }
}
