//! What the facilitator window and the projected tab say to each other over a `BroadcastChannel`
//! (two windows of one browser, no server; docs/workshops.md). The facilitator sends commands;
//! the projected tab answers with its status (what runs, what can be fired, where the hints
//! stand). Every message carries `source` and `version`; anything else is ignored.

use serde_json::{json, Value};

/// The channel's name.
pub const CHANNEL: &str = "backend-playground-facilitator";
const SOURCE: &str = "backend-playground";
const VERSION: u64 = 1;

/// What the facilitator asks of the projected run.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    /// "Who is there?": the projected tab answers with its status.
    Hello,
    Play,
    Pause,
    Reset,
    /// Fire a fault now, for `seconds` (None: to the end), on a component by id.
    Fault {
        kind: String,
        target: String,
        seconds: Option<f64>,
    },
    /// Pin the system as it is as A, and compare (the A/B panel's two steps).
    Pin,
    Compare,
    /// Reveal the next hint on the projector.
    Hint,
    /// Release the solution on the projector.
    Release,
    /// Projector mode on or off.
    Projector(bool),
}

impl Command {
    /// The message that carries it.
    pub fn to_message(&self) -> Value {
        let mut m = json!({ "source": SOURCE, "version": VERSION, "role": "facilitator" });
        let (kind, extra) = match self {
            Command::Hello => ("hello", json!({})),
            Command::Play => ("play", json!({})),
            Command::Pause => ("pause", json!({})),
            Command::Reset => ("reset", json!({})),
            Command::Fault {
                kind,
                target,
                seconds,
            } => (
                "fault",
                json!({ "fault": kind, "target": target, "seconds": seconds }),
            ),
            Command::Pin => ("pin", json!({})),
            Command::Compare => ("compare", json!({})),
            Command::Hint => ("hint", json!({})),
            Command::Release => ("release", json!({})),
            Command::Projector(on) => ("projector", json!({ "on": on })),
        };
        m["type"] = Value::String(kind.into());
        if let (Some(m), Value::Object(extra)) = (m.as_object_mut(), extra) {
            m.extend(extra);
        }
        m
    }

    /// The command a message carries; None for anything not from a facilitator of this version.
    pub fn from_message(m: &Value) -> Option<Command> {
        if m.get("source")?.as_str()? != SOURCE
            || m.get("version")?.as_u64()? != VERSION
            || m.get("role")?.as_str()? != "facilitator"
        {
            return None;
        }
        Some(match m.get("type")?.as_str()? {
            "hello" => Command::Hello,
            "play" => Command::Play,
            "pause" => Command::Pause,
            "reset" => Command::Reset,
            "fault" => {
                let kind = m.get("fault")?.as_str()?;
                let target = m.get("target")?.as_str()?;
                if !engine::scenario::FAULT_KINDS.contains(&kind)
                    || target.is_empty()
                    || target.len() > 200
                {
                    return None;
                }
                let seconds = match m.get("seconds") {
                    None | Some(Value::Null) => None,
                    Some(v) => Some(
                        v.as_f64()
                            .filter(|s| s.is_finite() && *s > 0.0 && *s <= 86_400.0)?,
                    ),
                };
                Command::Fault {
                    kind: kind.to_string(),
                    target: target.to_string(),
                    seconds,
                }
            }
            "pin" => Command::Pin,
            "compare" => Command::Compare,
            "hint" => Command::Hint,
            "release" => Command::Release,
            "projector" => Command::Projector(m.get("on")?.as_bool()?),
            _ => return None,
        })
    }
}

/// Where the projected tab's solution stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Solution {
    /// There is none to release (the sandbox, a challenge without one).
    None,
    Sealed,
    Released,
}

/// What the projected tab tells the facilitator.
#[derive(Debug, Clone, PartialEq)]
pub struct Status {
    pub title: String,
    /// The brief or the lesson's hook, and the prediction question if there is one.
    pub notes: String,
    /// The lesson on screen (its slug), whose facilitator notes the window can show.
    pub lesson: Option<String>,
    /// Simulated seconds, to a tenth.
    pub now_s: f64,
    pub running: bool,
    /// Components: id, name, and the faults that can be fired on each.
    pub components: Vec<(String, String, Vec<String>)>,
    /// Every hint, in order, and how many the room has seen.
    pub hints: Vec<String>,
    pub hints_shown: usize,
    /// Whether hints and the solution can be released from the facilitator window here.
    pub can_reveal: bool,
    pub solution: Solution,
    pub projector: bool,
    /// Whether an A is pinned.
    pub pinned: bool,
}

impl Status {
    pub fn to_message(&self) -> Value {
        json!({
            "source": SOURCE, "version": VERSION, "role": "projector", "type": "status",
            "title": self.title, "notes": self.notes, "lesson": self.lesson, "now_s": self.now_s, "running": self.running,
            "components": self.components.iter().map(|(id, name, faults)| json!({ "id": id, "name": name, "faults": faults })).collect::<Vec<_>>(),
            "hints": self.hints, "hints_shown": self.hints_shown, "can_reveal": self.can_reveal,
            "solution": match self.solution { Solution::None => "none", Solution::Sealed => "sealed", Solution::Released => "released" },
            "projector": self.projector, "pinned": self.pinned,
        })
    }

    /// The status a message carries; None for anything else.
    pub fn from_message(m: &Value) -> Option<Status> {
        if m.get("source")?.as_str()? != SOURCE
            || m.get("version")?.as_u64()? != VERSION
            || m.get("role")?.as_str()? != "projector"
            || m.get("type")?.as_str()? != "status"
        {
            return None;
        }
        let text = |k: &str| {
            m.get(k)
                .and_then(Value::as_str)
                .unwrap_or_default()
                .chars()
                .take(20_000)
                .collect::<String>()
        };
        let strings = |v: &Value| -> Vec<String> {
            v.as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(Value::as_str)
                        .take(64)
                        .map(str::to_string)
                        .collect()
                })
                .unwrap_or_default()
        };
        Some(Status {
            title: text("title"),
            notes: text("notes"),
            lesson: m
                .get("lesson")
                .and_then(Value::as_str)
                .filter(|l| crate::lessons::slugs().any(|s| s == *l))
                .map(str::to_string),
            now_s: m.get("now_s")?.as_f64()?,
            running: m.get("running")?.as_bool()?,
            components: m
                .get("components")?
                .as_array()?
                .iter()
                .take(500)
                .filter_map(|c| {
                    Some((
                        c.get("id")?.as_str()?.to_string(),
                        c.get("name")?.as_str()?.to_string(),
                        strings(c.get("faults")?),
                    ))
                })
                .collect(),
            hints: strings(m.get("hints")?),
            hints_shown: m.get("hints_shown")?.as_u64()? as usize,
            can_reveal: m.get("can_reveal")?.as_bool()?,
            solution: match m.get("solution")?.as_str()? {
                "sealed" => Solution::Sealed,
                "released" => Solution::Released,
                _ => Solution::None,
            },
            projector: m.get("projector")?.as_bool()?,
            pinned: m.get("pinned")?.as_bool()?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_command_reads_back_from_its_message() {
        let all = [
            Command::Hello,
            Command::Play,
            Command::Pause,
            Command::Reset,
            Command::Fault {
                kind: "traffic_spike".into(),
                target: "shoppers".into(),
                seconds: Some(10.0),
            },
            Command::Fault {
                kind: "crash".into(),
                target: "api".into(),
                seconds: None,
            },
            Command::Pin,
            Command::Compare,
            Command::Hint,
            Command::Release,
            Command::Projector(true),
        ];
        for c in all {
            assert_eq!(Command::from_message(&c.to_message()), Some(c));
        }
    }

    #[test]
    fn messages_of_other_shapes_are_ignored() {
        let good = Command::Fault {
            kind: "crash".into(),
            target: "api".into(),
            seconds: Some(5.0),
        }
        .to_message();
        for (key, bad) in [
            ("source", json!("someone-else")),
            ("version", json!(2)),
            ("role", json!("projector")),
            ("type", json!("format-disk")),
            ("fault", json!("meteor")),
            ("target", json!("")),
            ("seconds", json!(-1)),
            ("seconds", json!("soon")),
        ] {
            let mut m = good.clone();
            m[key] = bad;
            assert_eq!(Command::from_message(&m), None, "{key}");
        }
        for junk in [json!(null), json!("play"), json!([1, 2]), json!({})] {
            assert_eq!(Command::from_message(&junk), None);
            assert_eq!(Status::from_message(&junk), None);
        }
    }

    #[test]
    fn a_status_reads_back() {
        let s = Status {
            title: "Paid twice".into(),
            notes: "A slow payment.".into(),
            lesson: Some("01-paid-twice".into()),
            now_s: 12.3,
            running: true,
            components: vec![(
                "api".into(),
                "Payments API".into(),
                vec!["crash".into(), "latency".into()],
            )],
            hints: vec!["one".into(), "two".into()],
            hints_shown: 1,
            can_reveal: true,
            solution: Solution::Sealed,
            projector: true,
            pinned: false,
        };
        assert_eq!(Status::from_message(&s.to_message()), Some(s));
    }
}
