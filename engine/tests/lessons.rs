//! The proof behind every lesson: for five seeds, the starting scenario fails at least one of
//! its goals (and already does within the first 30 simulated seconds, so the failure shows on
//! the charts early), and the solved scenario passes every goal. Runs natively and in wasm.
#![allow(clippy::expect_used, clippy::unwrap_used)] // A test may stop at the first broken expectation.

// The crate is published as `backend-playground-engine`; the tests call it by its short name.
extern crate backend_playground_engine as engine;

mod common;

use common::{data, lesson_slugs};
use engine::{SimTime, Simulation};
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

const SEEDS: [u64; 5] = [1, 2, 3, 4, 5];

fn report(sim: &Simulation) -> String {
    sim.goals()
        .iter()
        .map(|g| {
            format!(
                "  {} {} = {:.3}\n",
                if g.passed { "PASS" } else { "FAIL" },
                g.label,
                g.measured
            )
        })
        .collect()
}

#[test]
fn every_lesson_fails_at_the_start_and_passes_when_solved() {
    for lesson in lesson_slugs() {
        for seed in SEEDS {
            let mut start = data(&format!("lessons/{lesson}/start.json"));
            start.seed = seed;
            assert!(!start.goals.is_empty(), "{lesson} has goals");
            let mut sim = Simulation::new(&start).expect("valid start");
            sim.run_until(SimTime::from_secs(30.0));
            assert!(
                sim.goals().iter().any(|g| !g.passed),
                "{lesson} seed {seed}: the failure shows by 30 s:\n{}",
                report(&sim)
            );
            sim.run();
            assert!(
                sim.goals().iter().any(|g| !g.passed),
                "{lesson} seed {seed}: the start fails a goal:\n{}",
                report(&sim)
            );

            let mut solution = data(&format!("lessons/{lesson}/solution.json"));
            solution.seed = seed;
            assert_eq!(
                solution.goals, start.goals,
                "{lesson}: the solution is judged by the same goals"
            );
            let mut sim = Simulation::new(&solution).expect("valid solution");
            sim.run();
            assert!(
                sim.goals().iter().all(|g| g.passed),
                "{lesson} seed {seed}: the solution passes:\n{}",
                report(&sim)
            );
        }
    }
}

/// A way to turn a lesson's goals green without applying its idea, and how it must end.
struct Shortcut {
    lesson: &'static str,
    what: &'static str,
    /// Changes to the starting scenario: a component's field (`api.workers`), `faults`, or
    /// `-wire:from>to` to remove a wire; the value is JSON (`null` switches a field off).
    edits: &'static [(&'static str, &'static str)],
    ends: Ends,
}

enum Ends {
    /// The run reports these locked conditions changed (so its goals do not count).
    ConditionsChanged(&'static [&'static str]),
    /// The goal with this label fails.
    GoalFails(&'static str),
    /// Every goal passes, under the lesson's conditions (an alternative the story names).
    Passes,
}

use Ends::{ConditionsChanged, GoalFails, Passes};

const LIMITER: &str =
    r#"{"kind": "rate_limiter", "rate_per_sec": 450, "burst": 50, "scope": "global"}"#;
const PER_USER: &str =
    r#"{"kind": "rate_limiter", "rate_per_sec": 450, "burst": 50, "scope": "per_user"}"#;
const CACHE: &str = r#"{"kind": "cache", "capacity": 2000, "ttl_ms": 10000}"#;

/// Alternatives each story names, and what the story says of them.
const ALTERNATIVES: &[Shortcut] = &[
    Shortcut {
        lesson: "02-launch-spike",
        what: "a global rate limiter in front of the API",
        edits: &[
            ("+limit", LIMITER),
            ("-wire:users>api", ""),
            ("+wire:users>limit", ""),
            ("+wire:limit>api", ""),
        ],
        ends: Passes,
    },
    Shortcut {
        lesson: "02-launch-spike",
        what: "a per-user rate limit, against a crowd of ordinary users",
        edits: &[
            ("+limit", PER_USER),
            ("-wire:users>api", ""),
            ("+wire:users>limit", ""),
            ("+wire:limit>api", ""),
        ],
        ends: GoalFails("Useful work stays above 350 per second during the spike"),
    },
    Shortcut {
        lesson: "03-one-cashier",
        what: "a cache for reads instead of the index",
        edits: &[
            ("+cache", CACHE),
            ("-wire:api>db", ""),
            ("+wire:api>cache:read", ""),
            ("+wire:api>db:write", ""),
            ("+wire:cache>db", ""),
        ],
        ends: Passes,
    },
    Shortcut {
        lesson: "08-worked-on-my-machine",
        what: "a lock instead of a version check",
        edits: &[("shop.concurrency", r#""lock""#)],
        ends: Passes,
    },
    Shortcut {
        lesson: "08-worked-on-my-machine",
        what: "one conditional update in the database",
        edits: &[("shop.concurrency", r#""atomic""#)],
        ends: Passes,
    },
];

const SHORTCUTS: &[Shortcut] = &[
    // 1. Paid twice: the client is the shoppers' app, the provider someone else's.
    Shortcut {
        lesson: "01-paid-twice",
        what: "a long client timeout hides the slow tail",
        edits: &[("shoppers.timeout_ms", "10000")],
        ends: ConditionsChanged(&["shoppers"]),
    },
    Shortcut {
        lesson: "01-paid-twice",
        what: "no client retries",
        edits: &[("shoppers.retry.max_attempts", "1")],
        ends: ConditionsChanged(&["shoppers"]),
    },
    Shortcut {
        lesson: "01-paid-twice",
        what: "a faster provider",
        edits: &[("psp.latency", r#"{"dist": "constant", "ms": 50}"#)],
        ends: ConditionsChanged(&["psp"]),
    },
    Shortcut {
        lesson: "01-paid-twice",
        what: "the naive check after completion",
        edits: &[("api.idempotency", r#""check_after_completion""#)],
        ends: GoalFails("Nobody is charged twice, by any provider"),
    },
    // 2. The launch spike.
    Shortcut {
        lesson: "02-launch-spike",
        what: "no spike",
        edits: &[("faults", "[]")],
        ends: ConditionsChanged(&["faults"]),
    },
    Shortcut {
        lesson: "02-launch-spike",
        what: "less traffic",
        edits: &[("users.rate_per_sec", "30")],
        ends: ConditionsChanged(&["users.rate_per_sec"]),
    },
    Shortcut {
        lesson: "02-launch-spike",
        what: "eight times the workers",
        edits: &[("api.workers", "80")],
        ends: GoalFails("Capacity costs at most $1.00 an hour"),
    },
    Shortcut {
        lesson: "02-launch-spike",
        what: "retries off, the queue still unbounded",
        edits: &[("users.retry.max_attempts", "1")],
        ends: GoalFails("Requests that get in are answered fast (p99 under 500 ms)"),
    },
    // 3. One cashier.
    Shortcut {
        lesson: "03-one-cashier",
        what: "fewer users",
        edits: &[("users.rate_per_sec", "100")],
        ends: ConditionsChanged(&["users"]),
    },
    Shortcut {
        lesson: "03-one-cashier",
        what: "faster queries without the index",
        edits: &[("db.no_index_factor", "1")],
        ends: ConditionsChanged(&["db.no_index_factor"]),
    },
    Shortcut {
        lesson: "03-one-cashier",
        what: "twice the connections",
        edits: &[("db.pool_size", "20")],
        ends: GoalFails("Capacity costs at most $5.00 an hour"),
    },
    Shortcut {
        lesson: "03-one-cashier",
        what: "two more connections",
        edits: &[("db.pool_size", "12")],
        ends: GoalFails("The database stays under 80% busy"),
    },
    Shortcut {
        lesson: "03-one-cashier",
        what: "half the API's workers to pay for a connection",
        edits: &[("api.workers", "8"), ("db.pool_size", "11")],
        ends: GoalFails("95% of requests answered within 100 ms"),
    },
    // 4. Nobody got the email.
    Shortcut {
        lesson: "04-nobody-got-the-email",
        what: "mail that never fails",
        edits: &[
            ("mailers.failure_probability", "0"),
            ("mailers.failure_under_load", "0"),
        ],
        ends: ConditionsChanged(&["mailers.failure_probability", "mailers.failure_under_load"]),
    },
    Shortcut {
        lesson: "04-nobody-got-the-email",
        what: "a dead-letter queue alone",
        edits: &[("+dlq", ""), ("+wire:jobs>dlq", "")],
        ends: GoalFails("At most 1% of emails end up undelivered, in the dead-letter queue"),
    },
    Shortcut {
        lesson: "04-nobody-got-the-email",
        what: "retries without idempotent jobs",
        edits: &[
            ("+dlq", ""),
            ("+wire:jobs>dlq", ""),
            ("jobs.max_deliveries", "5"),
            ("jobs.retry_backoff_ms", "200"),
        ],
        ends: GoalFails("Nobody gets the email twice"),
    },
    Shortcut {
        lesson: "04-nobody-got-the-email",
        what: "six times the mail workers",
        edits: &[("mailers.concurrency", "60")],
        ends: GoalFails("Capacity costs at most $2.00 an hour"),
    },
    // 5. Two answers.
    Shortcut {
        lesson: "05-two-answers",
        what: "strong reads for everyone on the profile",
        edits: &[("profile.strong_reads", "true")],
        ends: GoalFails("The primary stays under 30% busy"),
    },
    Shortcut {
        lesson: "05-two-answers",
        what: "strong reads and a bigger primary",
        edits: &[
            ("profile.strong_reads", "true"),
            ("primary.pool_size", "16"),
        ],
        ends: GoalFails("Capacity costs at most $31.00 an hour"),
    },
    Shortcut {
        lesson: "05-two-answers",
        what: "no replication lag",
        edits: &[("replica.lag", r#"{"dist": "constant", "ms": 1}"#)],
        ends: ConditionsChanged(&["replica.lag"]),
    },
    Shortcut {
        lesson: "05-two-answers",
        what: "the profile stops reading the replica",
        edits: &[("-wire:profile>replica", "")],
        // Strong reads are the switch for that; the wire is the design the lesson starts from.
        ends: ConditionsChanged(&["calls:profile->replica"]),
    },
    // 6. The logs said fine.
    Shortcut {
        lesson: "06-the-logs-said-fine",
        what: "no slowdown",
        edits: &[("faults", "[]")],
        ends: ConditionsChanged(&["faults"]),
    },
    Shortcut {
        lesson: "06-the-logs-said-fine",
        what: "fail slow pages fast",
        edits: &[("web.call_timeout_ms", "100")],
        ends: GoalFails("At least 99% of page loads succeed"),
    },
    Shortcut {
        lesson: "06-the-logs-said-fine",
        what: "users who give up sooner",
        edits: &[("users.timeout_ms", "200")],
        ends: ConditionsChanged(&["users"]),
    },
    Shortcut {
        lesson: "06-the-logs-said-fine",
        what: "three times the recommendation workers",
        edits: &[("recs.workers", "24")],
        ends: GoalFails("Capacity costs at most $3.25 an hour"),
    },
    Shortcut {
        lesson: "06-the-logs-said-fine",
        what: "a fallback with no timeout: the page still waits",
        edits: &[("wire:web>recs.optional", "true")],
        ends: GoalFails("p99 seen by users under 250 ms"),
    },
    // 7. Pull one wire.
    Shortcut {
        lesson: "07-pull-one-wire",
        what: "no format change",
        edits: &[("faults", "[]")],
        ends: ConditionsChanged(&["faults"]),
    },
    Shortcut {
        lesson: "07-pull-one-wire",
        what: "a tolerant reader: the caller accepts any format and reads the new one wrong",
        edits: &[("b.accepts_contract", "null")],
        ends: GoalFails("Every answer is the real one: no fallbacks, no misread formats"),
    },
    Shortcut {
        lesson: "07-pull-one-wire",
        what: "the caller switches to the new format at once",
        edits: &[("b.accepts_contract", "2")],
        ends: GoalFails("The storefront keeps at least 99% success"),
    },
    Shortcut {
        lesson: "07-pull-one-wire",
        what: "a timeout and circuit breaker at the storefront",
        edits: &[
            ("a.call_timeout_ms", "50"),
            (
                "a.circuit_breaker",
                r#"{"failure_ratio": 0.5, "window_calls": 20, "open_ms": 1000}"#,
            ),
        ],
        ends: GoalFails("At most one component in error"),
    },
    // 8. It worked on my machine.
    Shortcut {
        lesson: "08-worked-on-my-machine",
        what: "one buyer a second",
        edits: &[("buyers.rate_per_sec", "1")],
        ends: ConditionsChanged(&["buyers"]),
    },
    Shortcut {
        lesson: "08-worked-on-my-machine",
        what: "a shop that takes one order at a time",
        edits: &[("shop.workers", "1")],
        ends: GoalFails("Buyers get an answer within 250 ms (p99)"),
    },
    Shortcut {
        lesson: "08-worked-on-my-machine",
        what: "more stock than anyone can buy",
        edits: &[("db.stock_per_key", "1000000")],
        ends: ConditionsChanged(&["db.stock_per_key"]),
    },
    Shortcut {
        lesson: "08-worked-on-my-machine",
        what: "one database connection",
        edits: &[("db.pool_size", "1")],
        ends: GoalFails("Nothing is sold that was not in stock"),
    },
];

/// The starting scenario of `lesson` with a shortcut's edits made.
fn with_edits(lesson: &str, edits: &[(&str, &str)]) -> engine::Scenario {
    let start = data(&format!("lessons/{lesson}/start.json"));
    let mut doc: serde_json::Value = serde_json::from_str(&start.to_json()).expect("JSON");
    for (path, value) in edits {
        if let Some(wire) = path.strip_prefix("-wire:") {
            let (from, to) = wire.split_once('>').expect("from>to");
            let wires = doc["wires"].as_array_mut().expect("wires");
            wires.retain(|w| !(w["from"] == from && w["to"] == to));
        } else if let Some(wire) = path.strip_prefix("+wire:") {
            // `from>to`, or `from>to:op` for a wire that carries one kind of request.
            let (ends, op) = wire.split_once(':').unwrap_or((wire, ""));
            let (from, to) = ends.split_once('>').expect("from>to");
            let ops: Vec<&str> = if op.is_empty() { vec![] } else { vec![op] };
            let wires = doc["wires"].as_array_mut().expect("wires");
            wires.push(serde_json::json!({ "from": from, "to": to, "ops": ops }));
        } else if let Some(wire) = path.strip_prefix("wire:") {
            let (ends, field) = wire.split_once('.').expect("from>to.field");
            let (from, to) = ends.split_once('>').expect("from>to");
            let wires = doc["wires"].as_array_mut().expect("wires");
            let w = wires
                .iter_mut()
                .find(|w| w["from"] == from && w["to"] == to);
            w.expect("the wire")[field] = serde_json::from_str(value).expect("edit value");
        } else if let Some(id) = path.strip_prefix('+') {
            // A new component: its spec, or a dead-letter queue when none is given.
            let spec = if value.is_empty() {
                serde_json::json!({ "kind": "dead_letter" })
            } else {
                serde_json::from_str(value).expect("a spec")
            };
            let parts = doc["components"].as_array_mut().expect("components");
            parts.push(serde_json::json!({ "id": id, "spec": spec }));
        } else {
            let value: serde_json::Value = serde_json::from_str(value).expect("edit value");
            if *path == "faults" {
                doc["faults"] = value;
                continue;
            }
            let (id, field) = path.split_once('.').expect("id.field");
            let parts = doc["components"].as_array_mut().expect("components");
            let part = parts.iter_mut().find(|c| c["id"] == id).expect("component");
            let mut spec = &mut part["spec"];
            let mut keys = field.split('.').peekable();
            while let Some(key) = keys.next() {
                if keys.peek().is_none() {
                    spec[key] = value.clone();
                } else {
                    spec = &mut spec[key];
                }
            }
        }
    }
    engine::Scenario::from_json(&doc.to_string()).expect("a valid edited scenario")
}

#[test]
fn shortcuts_that_skip_the_idea_fail() {
    for lesson in lesson_slugs() {
        let count = SHORTCUTS.iter().filter(|s| s.lesson == lesson).count();
        assert!(
            count >= 3,
            "{lesson} has {count} shortcuts tested, wants at least three"
        );
    }
    for s in SHORTCUTS {
        check(s);
    }
}

#[test]
fn the_alternatives_each_story_names_behave_as_it_says() {
    for s in ALTERNATIVES {
        check(s);
    }
}

fn check(s: &Shortcut) {
    {
        match s.ends {
            ConditionsChanged(paths) => {
                let sim = Simulation::new(&with_edits(s.lesson, s.edits)).expect("valid");
                let changed: Vec<&str> = sim
                    .conditions_changed()
                    .iter()
                    .map(|c| c.path.as_str())
                    .collect();
                assert_eq!(changed, paths, "{}: {}", s.lesson, s.what);
            }
            GoalFails(label) => {
                for seed in [1, 2, 3] {
                    let mut scenario = with_edits(s.lesson, s.edits);
                    scenario.seed = seed;
                    let mut sim = Simulation::new(&scenario).expect("valid");
                    assert!(
                        sim.conditions_changed().is_empty(),
                        "{}: {}",
                        s.lesson,
                        s.what
                    );
                    sim.run();
                    let goal = sim.goals().into_iter().find(|g| g.label == label);
                    let goal = goal.unwrap_or_else(|| panic!("{}: no goal {label:?}", s.lesson));
                    assert!(
                        !goal.passed,
                        "{} seed {seed}: \"{}\" passes {label:?}:\n{}",
                        s.lesson,
                        s.what,
                        report(&sim)
                    );
                }
            }
            Passes => {
                for seed in [1, 2, 3] {
                    let mut scenario = with_edits(s.lesson, s.edits);
                    scenario.seed = seed;
                    let mut sim = Simulation::new(&scenario).expect("valid");
                    assert!(
                        sim.conditions_changed().is_empty(),
                        "{}: {}",
                        s.lesson,
                        s.what
                    );
                    sim.run();
                    assert!(
                        sim.goals().iter().all(|g| g.passed),
                        "{} seed {seed}: \"{}\" should pass:\n{}",
                        s.lesson,
                        s.what,
                        report(&sim)
                    );
                }
            }
        }
    }
}

#[test]
fn every_lesson_locks_its_world_and_prices_its_capacity() {
    for lesson in lesson_slugs() {
        for file in ["start", "solution"] {
            let scenario = data(&format!("lessons/{lesson}/{file}.json"));
            let sim = Simulation::new(&scenario).expect("valid");
            let changed: Vec<String> = sim
                .conditions_changed()
                .iter()
                .map(|c| c.message())
                .collect();
            assert!(
                changed.is_empty(),
                "{lesson}/{file} breaks its own locks: {changed:?}"
            );
            let paths: Vec<&str> = scenario.locked.iter().map(|l| l.path.as_str()).collect();
            assert!(paths.contains(&"goals"), "{lesson} locks its goals");
            assert!(
                paths.len() >= 2,
                "{lesson} locks its world, not only its goals"
            );
            assert!(
                scenario.locked.iter().all(|l| !l.why.is_empty()),
                "{lesson}: every lock says why"
            );
            let budget = scenario
                .goals
                .iter()
                .find(|g| g.metric == engine::scenario::GoalMetric::CostPerHour);
            assert!(budget.is_some(), "{lesson} has a budget");
        }
    }
}

/// What each solution changes from its start: exactly what the lesson teaches, as its
/// `lesson.json` lists it in `solution_changes` (`api.idempotency`, `+dlq` for an added component,
/// `+wire:a>b` for an added wire, `~wire:a>b` for a changed one), so a new lesson needs no edit here.
#[test]
fn solutions_change_only_what_the_lesson_teaches() {
    let mut taught: Vec<(&str, Vec<String>)> = Vec::new();
    for lesson in lesson_slugs() {
        let meta: serde_json::Value =
            serde_json::from_str(lesson_catalog::find(lesson).expect("a lesson").meta)
                .expect("lesson.json is JSON");
        let listed = meta["solution_changes"].as_array().unwrap_or_else(|| {
            panic!(
                "lessons/{lesson}/lesson.json: list what solution.json changes from start.json \
                 in \"solution_changes\""
            )
        });
        let listed = listed
            .iter()
            .map(|c| c.as_str().expect("a change is text").to_string())
            .collect();
        taught.push((lesson, listed));
    }
    assert!(taught.len() >= 8);
    for (lesson, expected) in taught {
        let start = data(&format!("lessons/{lesson}/start.json"));
        let solution = data(&format!("lessons/{lesson}/solution.json"));
        let mut changed = Vec::new();
        for c in &solution.components {
            match start.components.iter().find(|s| s.id == c.id) {
                None => changed.push(format!("+{}", c.id)),
                Some(s) => {
                    let a = serde_json::to_value(&s.spec).expect("JSON");
                    let b = serde_json::to_value(&c.spec).expect("JSON");
                    let keys = b.as_object().expect("object").keys();
                    for key in keys.filter(|k| a.get(k.as_str()) != b.get(k.as_str())) {
                        changed.push(format!("{}.{key}", c.id));
                    }
                }
            }
        }
        for w in &solution.wires {
            match start
                .wires
                .iter()
                .find(|s| s.from == w.from && s.to == w.to)
            {
                None => changed.push(format!("+wire:{}>{}", w.from, w.to)),
                Some(s) if s != w => changed.push(format!("~wire:{}>{}", w.from, w.to)),
                Some(_) => {}
            }
        }
        let mut want = expected.clone();
        want.sort();
        changed.sort();
        assert_eq!(changed, want, "{lesson}");
        assert_eq!(start.faults, solution.faults, "{lesson}: the same world");
        assert_eq!(start.locked, solution.locked, "{lesson}: the same locks");
    }
}

/// The harder variants, reached from a lesson's end: the solved system in a harsher world fails,
/// and the variant's own solution passes, on every seed; each keeps the lesson's locks.
#[test]
fn harder_variants_fail_until_solved_again() {
    let mut variants = 0;
    for lesson in lesson_slugs() {
        let Some(_) = lesson_catalog::find(lesson).and_then(|f| f.harder) else {
            continue;
        };
        variants += 1;
        let base = data(&format!("lessons/{lesson}/start.json"));
        for seed in SEEDS {
            let mut start = data(&format!("lessons/{lesson}/harder.json"));
            start.seed = seed;
            let mut sim = Simulation::new(&start).expect("valid harder start");
            assert!(
                sim.conditions_changed().is_empty(),
                "{lesson}: harder keeps its locks"
            );
            sim.run();
            assert!(
                sim.goals().iter().any(|g| !g.passed),
                "{lesson} seed {seed}: the harder variant fails with the lesson's solution:\n{}",
                report(&sim)
            );
            let mut solution = data(&format!("lessons/{lesson}/harder-solution.json"));
            solution.seed = seed;
            assert_eq!(
                solution.goals, start.goals,
                "{lesson}: judged by the same goals"
            );
            assert_eq!(solution.locked, start.locked, "{lesson}: the same locks");
            let mut sim = Simulation::new(&solution).expect("valid harder solution");
            assert!(sim.conditions_changed().is_empty());
            sim.run();
            assert!(
                sim.goals().iter().all(|g| g.passed),
                "{lesson} seed {seed}: the harder solution passes:\n{}",
                report(&sim)
            );
        }
        let paths = |s: &engine::Scenario| -> Vec<String> {
            s.locked.iter().map(|l| l.path.clone()).collect()
        };
        let harder = data(&format!("lessons/{lesson}/harder.json"));
        assert!(
            paths(&base).iter().all(|p| paths(&harder).contains(p)),
            "{lesson}: the harder variant locks at least what the lesson locks"
        );
    }
    assert!(variants >= 5, "{variants} harder variants");
}
