//! A live workshop room, apart from HTTP: who joined, their predictions and answers, each answer
//! verified by running it natively under the room's own conditions; and the room's record, an
//! append-only file of JSON lines, each synced to disk before the request that made it is
//! answered, so a server killed at any moment comes back with every acknowledged answer.

use engine::scenario::Scenario;
use engine::shortcuts::{self, Accepted, Found, Search};
use engine::{SimTime, Simulation};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

/// What one room and one client may do: documented in docs/workshops.md.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// The largest request body, in bytes.
    pub body_bytes: usize,
    /// The longest name, in characters.
    pub name_chars: usize,
    /// Participants in one room.
    pub participants: usize,
    /// Answers one participant may submit.
    pub answers_each: usize,
    /// Rooms one server keeps.
    pub rooms: usize,
    /// Requests a second one client address may send, on average (`--rate` changes it); a burst
    /// may be three times that.
    pub per_second: f64,
    /// Events the re-run of one answer may take (a design that needs more is refused).
    pub events: u64,
}

/// The limits the server runs with.
pub const LIMITS: Limits = Limits {
    body_bytes: 128 * 1024,
    name_chars: 40,
    participants: 200,
    answers_each: 30,
    rooms: 20,
    per_second: 20.0,
    events: 200_000_000,
};

/// What the server found when it ran an answer: the only result the room records (a result a
/// participant sends is never read).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Verdict {
    /// Goals met.
    pub met: usize,
    /// Goals in all.
    pub goals: usize,
    /// Every goal met and every locked condition kept.
    pub passed: bool,
    /// What the design's capacity costs an hour.
    pub cost_per_hour: f64,
    /// Locked conditions the design changed, in words (then no goal counts).
    pub changed: Vec<String>,
    /// The run's fingerprint (`playground run --format json`'s digest).
    pub digest: String,
    /// Shortcuts the search found for the room's challenge that the design makes (their
    /// words): it may apply the idea as well, but it also holds a change that passes without it.
    #[serde(default)]
    pub shortcuts: Vec<String>,
}

/// One line of a room's record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "record", rename_all = "snake_case")]
pub enum Record {
    /// The room, as the facilitator opened it.
    Opened {
        room: String,
        facilitator: String,
        #[serde(flatten)]
        opening: Opening,
    },
    /// A participant joined.
    Joined {
        participant: u32,
        token: String,
        name: String,
    },
    /// A participant's prediction (a later one replaces it until the reveal).
    Predicted { participant: u32, choice: usize },
    /// The facilitator showed the spread of predictions.
    Revealed,
    /// A participant's design as it stands, kept for rejoining (not an answer: not run).
    Saved { participant: u32, design: String },
    /// A participant's answer and what the server's run found.
    Answered {
        participant: u32,
        design: String,
        verdict: Verdict,
    },
}

/// A participant, as the room knows them.
#[derive(Debug, Clone, PartialEq)]
pub struct Participant {
    /// Their number in the room.
    pub id: u32,
    /// The name they gave (text, never markup).
    pub name: String,
    token: String,
    /// Their prediction, by position.
    pub prediction: Option<usize>,
    /// Their answers' verdicts, in order (the designs are in the record on disk).
    pub answers: Vec<Verdict>,
    /// Their design as last saved or answered, for rejoining: the only design kept in memory,
    /// so a room's memory stays within participants × the largest request.
    pub design: Option<String>,
}

/// A room: its challenge, its participants and its record on disk.
#[derive(Debug)]
pub struct Room {
    /// The code in its address.
    pub id: String,
    facilitator: String,
    /// What the facilitator called it.
    pub title: String,
    start_json: String,
    start: Scenario,
    /// The seed every answer runs on.
    pub seed: u64,
    /// The prediction's answers.
    pub choices: Vec<String>,
    /// The prediction's question.
    pub question: String,
    /// The challenge link's fragment, for the participants' screens.
    pub challenge: String,
    /// The shortcut search over the challenge, run once, in the background from the room's
    /// opening (or by the first answer after a restart).
    pub shortcuts: Arc<Shortcuts>,
    /// Whether the predictions' spread is shown.
    pub revealed: bool,
    /// Everybody who joined, in order.
    pub participants: Vec<Participant>,
    log: Option<File>,
}

/// Why a request was refused, with the HTTP status it gets.
#[derive(Debug, Clone, PartialEq)]
pub struct Refusal {
    /// 400, 401, 403, 404, 409, 413, 422, 429 or 500.
    pub status: u16,
    /// What is wrong, for people.
    pub message: String,
}

fn refuse<T>(status: u16, message: impl Into<String>) -> Result<T, Refusal> {
    Err(Refusal {
        status,
        message: message.into(),
    })
}

/// A random token: 128 bits from the process's randomly keyed hashers (the command line may use
/// the OS's randomness; the engine never does).
pub fn token() -> String {
    use std::hash::{BuildHasher, Hasher};
    let part = || {
        let mut h = std::collections::hash_map::RandomState::new().build_hasher();
        h.write_u64(0);
        h.finish()
    };
    format!("{:016x}{:016x}", part(), part())
}

/// A room code people can read aloud: six letters and digits, none that look alike.
pub fn room_code() -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";
    let bits = u128::from_str_radix(&token(), 16).unwrap_or_default();
    (0..6)
        .map(|i| ALPHABET[((bits >> (i * 8)) % ALPHABET.len() as u128) as usize] as char)
        .collect()
}

/// Runs `design` as the room runs every answer: on the room's seed, for the challenge's length,
/// under the challenge's goals, faults and locked conditions whatever the design says of them.
pub fn verify(start: &Scenario, seed: u64, design: &str) -> Result<Verdict, Refusal> {
    let mut d = match Scenario::from_json(design) {
        Ok(d) => d,
        Err(e) => {
            return refuse(
                422,
                format!("the design is not a scenario the playground reads: {e}"),
            )
        }
    };
    d.seed = seed;
    d.duration_s = start.duration_s;
    d.window_ms = start.window_ms;
    d.goals = start.goals.clone();
    d.faults = start.faults.clone();
    d.locked = start.locked.clone();
    let mut sim = match Simulation::new(&d) {
        Ok(sim) => sim,
        Err(e) => return refuse(422, format!("the design does not run: {e}")),
    };
    let end: SimTime = sim.end();
    if !sim.run_until_bounded(end, LIMITS.events) {
        return refuse(
            422,
            format!("the design needs more than {} events to run", LIMITS.events),
        );
    }
    let goals = sim.goals();
    let changed: Vec<String> = sim
        .conditions_changed()
        .iter()
        .map(|c| c.message())
        .collect();
    let met = goals.iter().filter(|g| g.passed).count();
    Ok(Verdict {
        met,
        goals: goals.len(),
        passed: changed.is_empty() && met == goals.len(),
        cost_per_hour: d
            .components
            .iter()
            .map(|c| engine::kinds::cost_per_hour(&c.spec))
            .sum(),
        changed,
        digest: format!("{:016x}", engine::digest::digest(&sim)),
        shortcuts: Vec::new(),
    })
}

impl Room {
    /// The room an `Opened` record describes.
    fn from_opened(record: &Record) -> Result<Room, String> {
        let Record::Opened {
            room,
            facilitator,
            opening:
                Opening {
                    title,
                    start,
                    seed,
                    choices,
                    question,
                    challenge,
                    solution,
                    accepted,
                },
        } = record
        else {
            return Err("a room's record starts with the room".into());
        };
        let scenario = Scenario::from_json(start).map_err(|e| e.to_string())?;
        let solution = if solution.is_empty() {
            None
        } else {
            Some(Scenario::from_json(solution).map_err(|e| format!("the solution: {e}"))?)
        };
        let shortcuts = Arc::new(Shortcuts {
            start: scenario.clone(),
            solution,
            accepted: accepted
                .iter()
                .map(|(key, why)| Accepted {
                    key: key.clone(),
                    why: why.clone(),
                })
                .collect(),
            seeds: vec![*seed, seed.wrapping_add(1)],
            found: OnceLock::new(),
        });
        Ok(Room {
            id: room.clone(),
            facilitator: facilitator.clone(),
            title: title.clone(),
            start_json: start.clone(),
            start: scenario,
            seed: *seed,
            choices: choices.clone(),
            question: question.clone(),
            challenge: challenge.clone(),
            shortcuts,
            revealed: false,
            participants: Vec::new(),
            log: None,
        })
    }

    /// Applies a record already on disk (or being written).
    fn apply(&mut self, record: &Record) {
        match record {
            Record::Opened { .. } => {}
            Record::Joined {
                participant,
                token,
                name,
            } => self.participants.push(Participant {
                id: *participant,
                name: name.clone(),
                token: token.clone(),
                prediction: None,
                answers: Vec::new(),
                design: None,
            }),
            Record::Predicted {
                participant,
                choice,
            } => {
                if let Some(p) = self.participant_mut(*participant) {
                    p.prediction = Some(*choice);
                }
            }
            Record::Revealed => self.revealed = true,
            Record::Saved {
                participant,
                design,
            } => {
                if let Some(p) = self.participant_mut(*participant) {
                    p.design = Some(design.clone());
                }
            }
            Record::Answered {
                participant,
                design,
                verdict,
            } => {
                if let Some(p) = self.participant_mut(*participant) {
                    p.answers.push(verdict.clone());
                    p.design = Some(design.clone());
                }
            }
        }
    }

    fn participant_mut(&mut self, id: u32) -> Option<&mut Participant> {
        self.participants.iter_mut().find(|p| p.id == id)
    }

    /// Writes `record` to the room's file and syncs it, then applies it: once this returns, the
    /// record survives the server being killed.
    fn commit(&mut self, record: Record) -> Result<(), Refusal> {
        if let Some(log) = &mut self.log {
            let mut line = serde_json::to_string(&record).unwrap_or_default();
            line.push('\n');
            let written = log
                .write_all(line.as_bytes())
                .and_then(|()| log.sync_data());
            if let Err(e) = written {
                return refuse(500, format!("the room's record could not be written: {e}"));
            }
        }
        self.apply(&record);
        Ok(())
    }

    /// Whether `token` is the facilitator's.
    pub fn is_facilitator(&self, token: &str) -> bool {
        !token.is_empty() && token == self.facilitator
    }

    /// The participant whose token this is.
    pub fn participant(&self, token: &str) -> Option<&Participant> {
        self.participants
            .iter()
            .find(|p| !token.is_empty() && p.token == token)
    }

    /// The challenge's starting scenario, as JSON text.
    pub fn start_json(&self) -> &str {
        &self.start_json
    }

    /// A new participant called `name`, or (with the token they were given) the same one back.
    pub fn join(&mut self, name: &str, token: Option<&str>) -> Result<(u32, String), Refusal> {
        if let Some(t) = token {
            return match self.participant(t) {
                Some(p) => Ok((p.id, p.token.clone())),
                None => refuse(
                    401,
                    "this token belongs to nobody in the room: join again without it",
                ),
            };
        }
        let name = name.trim();
        if name.is_empty() {
            return refuse(400, "a name is needed to join");
        }
        if name.chars().count() > LIMITS.name_chars {
            return refuse(
                413,
                format!("a name has at most {} characters", LIMITS.name_chars),
            );
        }
        if name.chars().any(char::is_control) {
            return refuse(400, "a name cannot hold control characters");
        }
        if self.participants.len() >= LIMITS.participants {
            return refuse(
                409,
                format!("the room is full ({} participants)", LIMITS.participants),
            );
        }
        let id = self.participants.len() as u32 + 1;
        let fresh = crate::room::token();
        self.commit(Record::Joined {
            participant: id,
            token: fresh.clone(),
            name: name.to_string(),
        })?;
        Ok((id, fresh))
    }

    /// A participant's prediction (until the facilitator reveals them).
    pub fn predict(&mut self, token: &str, choice: usize) -> Result<(), Refusal> {
        let Some(id) = self.participant(token).map(|p| p.id) else {
            return refuse(401, "join the room first");
        };
        if choice >= self.choices.len() {
            return refuse(
                400,
                format!("choose one of the {} answers", self.choices.len()),
            );
        }
        if self.revealed {
            return refuse(409, "the predictions were revealed: no more can be made");
        }
        self.commit(Record::Predicted {
            participant: id,
            choice,
        })
    }

    /// Keeps a participant's design as it stands, so they get it back when they rejoin (a saved
    /// design is not run: only answers are).
    pub fn save(&mut self, token: &str, design: &str) -> Result<(), Refusal> {
        let Some(id) = self.participant(token).map(|p| p.id) else {
            return refuse(401, "join the room first");
        };
        if let Err(e) = Scenario::from_json(design) {
            return refuse(
                422,
                format!("the design is not a scenario the playground reads: {e}"),
            );
        }
        self.commit(Record::Saved {
            participant: id,
            design: design.to_string(),
        })
    }

    /// Shows the predictions' spread; the facilitator's token only.
    pub fn reveal(&mut self, token: &str) -> Result<(), Refusal> {
        if !self.is_facilitator(token) {
            return refuse(403, "only the facilitator can reveal the predictions");
        }
        if self.revealed {
            return Ok(());
        }
        self.commit(Record::Revealed)
    }

    /// What running a participant's answer needs: their number, the challenge and the seed (the
    /// run itself happens outside the room's lock).
    pub fn answer_ticket(&self, token: &str) -> Result<Ticket, Refusal> {
        let Some(p) = self.participant(token) else {
            return refuse(401, "join the room first");
        };
        if p.answers.len() >= LIMITS.answers_each {
            return refuse(409, format!("{} answers at most each", LIMITS.answers_each));
        }
        Ok(Ticket {
            participant: p.id,
            start: self.start.clone(),
            seed: self.seed,
            shortcuts: self.shortcuts.clone(),
        })
    }

    /// Records participant `id`'s answer with the verdict the server's run found.
    pub fn record_answer(
        &mut self,
        id: u32,
        design: &str,
        verdict: &Verdict,
    ) -> Result<(), Refusal> {
        let Some(p) = self.participant_mut(id) else {
            return refuse(401, "join the room first");
        };
        if p.answers.len() >= LIMITS.answers_each {
            return refuse(409, format!("{} answers at most each", LIMITS.answers_each));
        }
        self.commit(Record::Answered {
            participant: id,
            design: design.to_string(),
            verdict: verdict.clone(),
        })
    }

    /// A participant's answer: run natively on the room's seed and recorded with what the run
    /// found (the server does the same in three steps, running outside the room's lock).
    #[cfg(test)]
    pub fn answer(&mut self, token: &str, design: &str) -> Result<Verdict, Refusal> {
        let verdict = self.answer_ticket(token)?.judge(design)?;
        let id = self.participant(token).map_or(0, |p| p.id);
        self.record_answer(id, design, &verdict)?;
        Ok(verdict)
    }

    /// How many predicted each answer.
    pub fn spread(&self) -> Vec<usize> {
        let mut counts = vec![0; self.choices.len()];
        for p in &self.participants {
            if let Some(c) = p.prediction.and_then(|c| counts.get_mut(c)) {
                *c += 1;
            }
        }
        counts
    }
}

/// What a facilitator opens a room with (and the room's record keeps, beside its code).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Opening {
    /// What the room is called.
    pub title: String,
    /// The challenge's starting scenario, as JSON text: every answer runs under its goals,
    /// faults and locked conditions.
    pub start: String,
    /// The seed every answer runs on.
    pub seed: u64,
    /// The prediction's answers (empty: no prediction).
    pub choices: Vec<String>,
    /// The prediction's question. Rooms recorded before it have none.
    #[serde(default)]
    pub question: String,
    /// The challenge link's fragment the participants' screens open. Rooms recorded before it
    /// have none.
    #[serde(default)]
    pub challenge: String,
    /// The challenge's solution, as JSON text (empty: none), which tells the shortcut search's
    /// fix apart from shortcuts. Rooms recorded before it have none.
    #[serde(default)]
    pub solution: String,
    /// Alternatives the lesson accepts: (edit key, why). Rooms recorded before it have none.
    #[serde(default)]
    pub accepted: Vec<(String, String)>,
}

/// What running an answer needs, taken from the room so the run happens outside its lock.
#[derive(Debug)]
pub struct Ticket {
    /// Whose answer.
    pub participant: u32,
    /// The challenge's start: its goals, faults and locks judge the answer.
    pub start: Scenario,
    /// The room's seed.
    pub seed: u64,
    /// The room's shortcut search.
    pub shortcuts: Arc<Shortcuts>,
}

impl Ticket {
    /// Runs `design` as the room runs every answer ([`verify`]) and names the shortcuts it
    /// makes.
    pub fn judge(&self, design: &str) -> Result<Verdict, Refusal> {
        let mut verdict = verify(&self.start, self.seed, design)?;
        verdict.shortcuts = self.shortcuts.named(design);
        Ok(verdict)
    }
}

/// The shortcut search over a room's challenge, on the room's seed and the next (as the
/// Challenge dialog checks a challenge), run once when first needed.
#[derive(Debug)]
pub struct Shortcuts {
    start: Scenario,
    solution: Option<Scenario>,
    accepted: Vec<Accepted>,
    seeds: Vec<u64>,
    found: OnceLock<Option<(Search, Vec<Found>)>>,
}

impl Shortcuts {
    /// The search and what it found; the first caller runs it, any other waits for it. None
    /// without a solution: then nothing tells the fix apart from a shortcut.
    pub fn found(&self) -> Option<&(Search, Vec<Found>)> {
        self.found
            .get_or_init(|| {
                self.solution.as_ref()?;
                let search = Search::new(
                    &self.start,
                    self.solution.as_ref(),
                    self.accepted.clone(),
                    self.seeds.clone(),
                )
                .ok()?;
                let summary = search.search(shortcuts::DEFAULT_BUDGET, || {});
                Some((search, summary.found))
            })
            .as_ref()
    }

    /// The shortcuts the search found that `design` makes, in words.
    pub fn named(&self, design: &str) -> Vec<String> {
        match (Scenario::from_json(design), self.found()) {
            (Ok(d), Some((search, found))) => search.shortcuts_in(found, &d),
            _ => Vec::new(),
        }
    }
}

/// Every room of a server, and the folder their records live in (None: kept in memory only).
#[derive(Debug, Default)]
pub struct Rooms {
    dir: Option<PathBuf>,
    /// By code.
    pub rooms: BTreeMap<String, Room>,
}

impl Rooms {
    /// The rooms recorded in `dir` (created if missing), each replayed from its record; a last
    /// line cut short by a crash was never acknowledged and is left out. `None`: memory only.
    pub fn load(dir: Option<&Path>) -> Result<Rooms, String> {
        let mut rooms = Rooms {
            dir: dir.map(Path::to_path_buf),
            rooms: BTreeMap::new(),
        };
        let Some(dir) = dir else {
            return Ok(rooms);
        };
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        let entries =
            std::fs::read_dir(dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
        let mut paths: Vec<PathBuf> = entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "jsonl"))
            .collect();
        paths.sort();
        for path in paths {
            let room = replay(&path)?;
            rooms.rooms.insert(room.id.clone(), room);
        }
        Ok(rooms)
    }

    /// A new room for `start` on `seed`; returns its code and the facilitator's token.
    pub fn open(&mut self, opening: Opening) -> Result<(String, String), Refusal> {
        let Opening {
            title,
            start,
            question,
            choices,
            ..
        } = &opening;
        if self.rooms.len() >= LIMITS.rooms {
            return refuse(
                409,
                format!("this server keeps {} rooms at most", LIMITS.rooms),
            );
        }
        if title.chars().count() > 120
            || question.chars().count() > 400
            || choices.len() > 8
            || choices.iter().any(|c| c.chars().count() > 120)
        {
            return refuse(
                413,
                "a title, a question or a prediction's answer is too long (120 characters, a question 400, 8 answers)",
            );
        }
        if let Err(e) = Scenario::from_json(start) {
            return refuse(422, format!("the challenge's start is not a scenario: {e}"));
        }
        let mut id = room_code();
        while self.rooms.contains_key(&id) {
            id = room_code();
        }
        let facilitator = token();
        let record = Record::Opened {
            room: id.clone(),
            facilitator: facilitator.clone(),
            opening,
        };
        let mut room = match Room::from_opened(&record) {
            Ok(room) => room,
            Err(e) => return refuse(422, e),
        };
        if let Some(dir) = &self.dir {
            let path = dir.join(format!("room-{id}.jsonl"));
            let file = OpenOptions::new().create_new(true).append(true).open(&path);
            match file {
                Ok(file) => room.log = Some(file),
                Err(e) => return refuse(500, format!("cannot create the room's record: {e}")),
            }
        }
        room.commit(record)?;
        // The new file's name is durable once the folder is synced too.
        if let Some(dir) = &self.dir {
            if let Ok(d) = File::open(dir) {
                let _ = d.sync_all();
            }
        }
        // The search starts now, so the first answers rarely wait for it.
        let search = room.shortcuts.clone();
        if search.solution.is_some() {
            #[allow(clippy::disallowed_methods)]
            // One thread a room, at most `LIMITS.rooms`; no run sees it.
            std::thread::spawn(move || {
                search.found();
            });
        }
        self.rooms.insert(id.clone(), room);
        Ok((id, facilitator))
    }
}

/// A room read back from its record. A last line cut short by a crash (never acknowledged) is
/// cut off the file, so the next record starts on a line of its own.
fn replay(path: &Path) -> Result<Room, String> {
    let name = path.display();
    let text = std::fs::read(path).map_err(|e| format!("cannot read {name}: {e}"))?;
    let mut room: Option<Room> = None;
    let mut good = 0;
    for (n, line) in text.split_inclusive(|b| *b == b'\n').enumerate() {
        let (complete, last) = (line.ends_with(b"\n"), good + line.len() == text.len());
        let record: Record = match serde_json::from_slice(line) {
            Ok(r) if complete => r,
            _ if last => break,
            // A line before the last always ends with its newline.
            Ok(r) => r,
            Err(e) => return Err(format!("{name}, line {}: {e}", n + 1)),
        };
        good += line.len();
        match &mut room {
            None => room = Some(Room::from_opened(&record).map_err(|e| format!("{name}: {e}"))?),
            Some(r) => r.apply(&record),
        }
    }
    let mut room = room.ok_or_else(|| format!("{name} holds no room"))?;
    let log = OpenOptions::new()
        .append(true)
        .open(path)
        .map_err(|e| format!("cannot append to {name}: {e}"))?;
    if good < text.len() {
        log.set_len(good as u64)
            .and_then(|()| log.sync_data())
            .map_err(|e| format!("cannot cut the unfinished line off {name}: {e}"))?;
    }
    room.log = Some(log);
    Ok(room)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lesson(file: &str) -> String {
        let path = format!(
            "{}/../lessons/01-paid-twice/{file}",
            env!("CARGO_MANIFEST_DIR")
        );
        std::fs::read_to_string(path).expect("lesson 1")
    }

    #[test]
    fn an_answer_is_judged_by_the_room_s_run_not_by_what_it_claims() {
        let mut rooms = Rooms::load(None).expect("memory");
        let (code, facilitator) = rooms
            .open(Opening {
                title: "Paid twice".into(),
                start: lesson("start.json"),
                seed: 7,
                choices: vec!["yes".into(), "no".into()],
                ..Opening::default()
            })
            .expect("opened");
        let room = rooms.rooms.get_mut(&code).expect("the room");
        let (_, ada) = room.join("Ada", None).expect("joined");
        let solved = room
            .answer(&ada, &lesson("solution.json"))
            .expect("verified");
        assert!(solved.passed && solved.met == solved.goals, "{solved:?}");
        let start = room.answer(&ada, &lesson("start.json")).expect("verified");
        assert!(!start.passed, "the start misses a goal");
        // A design that drops the goals and the locks is judged by the room's own.
        let mut forged: serde_json::Value =
            serde_json::from_str(&lesson("start.json")).expect("JSON");
        forged["goals"] = serde_json::json!([]);
        forged["locked"] = serde_json::json!([]);
        let forged = room.answer(&ada, &forged.to_string()).expect("verified");
        assert!(!forged.passed && forged.goals > 0, "{forged:?}");
        // Only the facilitator reveals; the spread counts each participant's last prediction.
        let (_, bo) = room.join("Bo", None).expect("joined");
        room.predict(&bo, 1).expect("predicted");
        room.predict(&ada, 0).expect("predicted");
        room.predict(&ada, 1).expect("changed");
        assert_eq!(room.reveal(&ada).map_err(|r| r.status), Err(403));
        room.reveal(&facilitator).expect("revealed");
        assert_eq!(room.spread(), vec![0, 2]);
        assert_eq!(room.predict(&bo, 0).map_err(|r| r.status), Err(409));
        assert_eq!(room.predict("nobody", 0).map_err(|r| r.status), Err(401));
        assert_eq!(room.join("", None).map_err(|r| r.status), Err(400));
        assert!(
            room.join(&"y".repeat(LIMITS.name_chars), None).is_ok(),
            "a name at the limit"
        );
        let long = "x".repeat(LIMITS.name_chars + 1);
        assert_eq!(room.join(&long, None).map_err(|r| r.status), Err(413));
        assert_eq!(room.answer(&bo, "{").map_err(|r| r.status), Err(422));
        assert_eq!(room.join("", Some(&bo)).map(|(id, _)| id), Ok(2));
    }

    #[test]
    fn the_record_replays_and_a_cut_last_line_is_left_out() {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/tmp/room-replay");
        let _ = std::fs::remove_dir_all(&dir);
        let mut rooms = Rooms::load(Some(&dir)).expect("a folder");
        let (code, _) = rooms
            .open(Opening {
                title: "t".into(),
                start: lesson("start.json"),
                seed: 3,
                ..Opening::default()
            })
            .expect("opened");
        let room = rooms.rooms.get_mut(&code).expect("room");
        let (_, t) = room.join("Ada", None).expect("joined");
        room.answer(&t, &lesson("solution.json")).expect("answered");
        drop(rooms);
        // A crash in the middle of a write leaves half a line.
        let path = dir.join(format!("room-{code}.jsonl"));
        let mut f = OpenOptions::new().append(true).open(&path).expect("open");
        f.write_all(br#"{"record":"joined","participant":2,"tok"#)
            .expect("write");
        drop(f);
        let mut back = Rooms::load(Some(&dir)).expect("replayed");
        let room = back.rooms.get_mut(&code).expect("room");
        assert_eq!(room.participants.len(), 1);
        assert_eq!(room.participants[0].answers.len(), 1);
        assert!(room.participants[0].answers[0].passed);
        assert!(room.participants[0].design.is_some());
        assert!(room.participant(&t).is_some(), "the token still works");
        // The cut line is gone from the file: the next record starts a line of its own.
        room.join("Bo", None).expect("joined");
        drop(back);
        let again = Rooms::load(Some(&dir)).expect("replayed again");
        let names: Vec<&str> = again.rooms[&code]
            .participants
            .iter()
            .map(|p| p.name.as_str())
            .collect();
        assert_eq!(names, ["Ada", "Bo"]);
    }

    /// A room recorded before rooms kept their question, challenge link and solution (the first
    /// format of `playground workshop`'s record, kept in tests/data/rooms/) replays: its
    /// participant, prediction, reveal and answer are back, the new fields empty.
    #[test]
    fn a_room_recorded_in_the_first_format_replays() {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/tmp/room-first-format");
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("a folder");
        let fixture =
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/data/rooms/room-OLD234.jsonl");
        std::fs::copy(&fixture, dir.join("room-OLD234.jsonl")).expect("copied");
        let rooms = Rooms::load(Some(&dir)).expect("replayed");
        let room = &rooms.rooms["OLD234"];
        assert_eq!((room.title.as_str(), room.seed), ("Paid twice", 3));
        assert!(room.revealed);
        assert_eq!(room.spread(), vec![0, 1]);
        assert_eq!(room.participants[0].answers[0].met, 3);
        assert!(room.participants[0].answers[0].shortcuts.is_empty());
        assert!(room.question.is_empty() && room.challenge.is_empty());
        assert!(room.shortcuts.found().is_none(), "no solution: no search");
        assert!(room.is_facilitator(&"f".repeat(32)));
    }
}
