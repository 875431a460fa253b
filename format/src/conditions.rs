//! Locked conditions: the parts of the world a lesson or challenge holds fixed (traffic and its
//! spikes, faults, third parties' behaviour, the goals themselves).
//!
//! A scenario lists them in `locked`, each with the value it had when locked. A run compares
//! them once as it starts and again after every live change; a run whose conditions changed
//! says which and why, and its goals do not count. The comparison is on the scenario as it
//! writes itself back (numbers as numbers, an absent field as null), so a lock written by
//! [`lock`] always matches the scenario it was taken from.

use crate::scenario::{ComponentSpec, Lock, Op, Scenario};
use crate::topology::{ScenarioError, Subject};
use serde::Serialize;
use serde_json::Value;

/// A locked condition that no longer holds.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    /// The lock's path (`shoppers.rate_per_sec`, `faults`).
    pub path: String,
    /// The locked value, in words.
    pub expected: String,
    /// What the run has instead, in words.
    pub found: String,
    /// Why it is locked, as the scenario says.
    pub why: String,
}

impl Change {
    /// One sentence naming the condition by its path, both values and the reason.
    pub fn message(&self) -> String {
        self.describe(&self.path)
    }

    /// The same sentence with `subject` for the path (an app shows a component's name).
    pub fn describe(&self, subject: &str) -> String {
        let why = if self.why.is_empty() {
            String::new()
        } else {
            format!(" ({})", self.why.trim_end_matches('.'))
        };
        let call = self
            .path
            .strip_prefix(CALLS_PREFIX)
            .and_then(|p| p.split_once("->"));
        if let Some((from, to)) = call {
            let subject = if subject == self.path {
                format!("{from} → {to}")
            } else {
                subject.to_string()
            };
            let which = if self.found == GONE {
                ""
            } else {
                " for every request it carried"
            };
            format!(
                "The call {subject} is no longer made and waited for{which}, \
                 but the scenario needs it{why}"
            )
        } else if self.found == GONE {
            format!("{subject} was removed, but the scenario holds it fixed{why}")
        } else if self.expected.is_empty() || self.found.is_empty() {
            format!("{subject} was changed, but the scenario holds it fixed{why}")
        } else {
            format!(
                "{subject} is {}, but the scenario holds it at {}{why}",
                self.found, self.expected
            )
        }
    }
}

/// What `found` says of a path that names nothing any more.
const GONE: &str = "gone";

/// Scenario-wide fields a lock may hold.
const TOP_LEVEL: [&str; 4] = ["faults", "goals", "seed", "duration_s"];

/// A lock path that starts so holds a field of every component of a kind
/// (`kind:provider.latency`): the world's rule, which a component the learner adds obeys too.
pub const KIND_PREFIX: &str = "kind:";

/// A lock path that starts so holds a call the product must make (`calls:api->psp`): the
/// first component still waits for the second's answer, over a synchronous wire or a chain of
/// them (through a cache, a limiter or a load balancer; not through a queue's hand-off or a
/// database's replication; an optional wire still waits, and its fallbacks are counted as
/// unfulfilled work).
pub const CALLS_PREFIX: &str = "calls:";

/// The value at `path` in a scenario, as it writes itself back; None for a path naming nothing
/// (a removed component or wire). For a kind's lock, the value at the first component of that
/// kind.
pub fn value_at(scenario: &Scenario, path: &str) -> Option<Value> {
    lookup(&tree(&scenario.to_json())?, path)
}

/// The value at `path` in a scenario's JSON tree (see [`value_at`]).
pub fn lookup(whole: &Value, path: &str) -> Option<Value> {
    if TOP_LEVEL.contains(&path) {
        return whole.get(path).cloned();
    }
    if let Some(rest) = path.strip_prefix(CALLS_PREFIX) {
        let (from, to) = rest.split_once("->")?;
        return tree_calls(whole, from, to);
    }
    if let Some(rest) = path.strip_prefix(KIND_PREFIX) {
        let (kind, field) = rest.split_once('.').unwrap_or((rest, ""));
        let parts = whole["components"].as_array()?;
        let first = parts.iter().find(|c| c["spec"]["kind"] == kind)?;
        return Some(field_of(first["spec"].clone(), field));
    }
    let parts = whole["components"].as_array()?;
    let (component, rest) = split(path, parts.iter().filter_map(|c| c["id"].as_str()))?;
    let spec = &parts.iter().find(|c| c["id"] == component)?["spec"];
    Some(field_of(spec.clone(), rest))
}

/// `scenario` with the component fields at these paths (`buyers.rate_per_sec`, dots into
/// nested fields) set to these values, read back through the scenario reader: other conditions
/// for a lesson, one point of a sweep. A path that names no component, or goes into a field
/// that holds a plain value, is refused by name.
pub fn with_values(
    scenario: &Scenario,
    values: &[(String, Value)],
) -> Result<Scenario, ScenarioError> {
    let mut whole = tree(&scenario.to_json())
        .ok_or_else(|| setting("", "the scenario does not write itself"))?;
    for (path, value) in values {
        let parts = whole["components"]
            .as_array_mut()
            .ok_or_else(|| setting(path, "the scenario has no components"))?;
        let ids = parts.iter().filter_map(|c| c["id"].as_str());
        let Some((component, rest)) = split(path, ids).map(|(c, r)| (c.to_string(), r)) else {
            let id = path.split('.').next().unwrap_or_default();
            return Err(setting(path, format!("no component has the id {id:?}")));
        };
        let part = parts.iter_mut().find(|c| c["id"] == component.as_str());
        let spec = &mut part.ok_or_else(|| setting(path, "the component went missing"))?["spec"];
        set_field(spec, path, rest, value.clone())?;
    }
    Scenario::from_json(&whole.to_string())
}

/// A setting (`api.workers` and a value) that cannot be made: the path as the field.
fn setting(path: &str, message: impl Into<String>) -> ScenarioError {
    ScenarioError::one(Subject::Scenario, path, message)
}

/// The component (by id, among `(id, spec)` pairs) and its spec at `path`
/// (`api.idempotency.enabled`) with that field set to `value`, read back through the reader: a
/// running simulation's `Command::Set`, an embed's switch. The id is the longest one the path
/// starts with, so ids with dots work.
pub fn spec_with_value<'a>(
    components: impl IntoIterator<Item = (&'a str, &'a ComponentSpec)>,
    path: &str,
    value: Value,
) -> Result<(String, ComponentSpec), ScenarioError> {
    let components: Vec<(&str, &ComponentSpec)> = components.into_iter().collect();
    let Some((component, rest)) = split(path, components.iter().map(|(id, _)| *id)) else {
        let id = path.split('.').next().unwrap_or_default();
        return Err(setting(path, format!("no component has the id {id:?}")));
    };
    let (_, spec) = components
        .iter()
        .find(|(id, _)| *id == component)
        .ok_or_else(|| setting(path, "the component went missing"))?;
    let mut tree = tree(&spec.to_json())
        .ok_or_else(|| setting(path, "the component does not write itself"))?;
    set_field(&mut tree, path, rest, value)?;
    // The reader's place is inside the spec: name it from the path.
    let spec = ComponentSpec::from_json(&tree.to_string()).map_err(|e| {
        let mut e = e;
        for p in &mut e.problems {
            p.subject = Subject::Scenario;
            p.field = if p.field.is_empty() {
                path.to_string()
            } else {
                format!("{component}.{}", p.field)
            };
        }
        e
    })?;
    Ok((component.to_string(), spec))
}

/// Sets the field at `rest` (dots into nested fields; empty: the whole spec) of a spec's tree;
/// `path` names it in messages.
fn set_field(spec: &mut Value, path: &str, rest: &str, value: Value) -> Result<(), ScenarioError> {
    let mut node = spec;
    for key in rest.split('.').filter(|k| !k.is_empty()) {
        if !(node.is_object() || node.is_null()) {
            return Err(setting(
                path,
                format!("{key} is inside a field that holds a plain value"),
            ));
        }
        node = &mut node[key];
    }
    *node = value;
    Ok(())
}

/// A lock on `path` holding the scenario's value there now.
pub fn lock(scenario: &Scenario, path: &str, why: &str) -> Option<Lock> {
    Some(Lock {
        path: path.to_string(),
        value: value_at(scenario, path)?,
        why: why.to_string(),
    })
}

/// Every locked condition of the scenario that its own values break. A kind's lock is checked
/// on every component of the kind, and a break is named by that component's path.
pub fn changed(scenario: &Scenario) -> Vec<Change> {
    if scenario.locked.is_empty() {
        return Vec::new();
    }
    // Written once, looked up once a lock.
    let whole = tree(&scenario.to_json()).unwrap_or_default();
    let mut out = Vec::new();
    for l in &scenario.locked {
        if let Some(rest) = l.path.strip_prefix(KIND_PREFIX) {
            let (kind, field) = rest.split_once('.').unwrap_or((rest, ""));
            for c in whole["components"].as_array().into_iter().flatten() {
                if c["spec"]["kind"] == kind {
                    let id = c["id"].as_str().unwrap_or_default();
                    out.extend(kind_change(l, id, field, &c["spec"]));
                }
            }
        } else {
            out.extend(compare(l, lookup(&whole, &l.path)));
        }
    }
    // A component held by its id and by its kind breaks both: say it once.
    let mut seen = Vec::new();
    out.retain(|c: &Change| {
        let first = !seen.contains(&c.path);
        seen.push(c.path.clone());
        first
    });
    out
}

/// A kind's lock broken at one component, named by that component's own path.
fn kind_change(lock: &Lock, id: &str, field: &str, spec: &Value) -> Option<Change> {
    let mut c = compare(lock, Some(field_of(spec.clone(), field)))?;
    c.path = if field.is_empty() {
        id.to_string()
    } else {
        format!("{id}.{field}")
    };
    Some(c)
}

/// Whether a call waits on through a component of this kind: a queue hands the work off (its
/// caller stops waiting) and a database's wires are replication, not calls.
pub fn waits_through(kind: &str) -> bool {
    !matches!(kind, "queue" | "database")
}

/// The value a `calls:` lock compares: the operations among `sent` for which component `from`
/// waits for `to` (None when none does), among `n` components. `through(i)` says whether calls
/// go on through component `i` ([`waits_through`] of its kind), `waits_on(i, op)` which
/// components it waits for on a synchronous wire carrying `op`. The file's tree and a running
/// simulation's topology each give their own view of the same rule.
pub fn calls_value(
    from: usize,
    to: usize,
    n: usize,
    sent: &[Op],
    through: impl Fn(usize) -> bool,
    waits_on: impl Fn(usize, Op) -> Vec<usize>,
) -> Option<Value> {
    let reaches = |op: Op| {
        let mut seen = vec![false; n];
        let mut todo = vec![from];
        while let Some(i) = todo.pop() {
            if !through(i) {
                continue;
            }
            for j in waits_on(i, op) {
                if j == to {
                    return true;
                }
                if j < n && !seen[j] {
                    seen[j] = true;
                    todo.push(j);
                }
            }
        }
        false
    };
    let ops: Vec<&str> = Op::ALL
        .iter()
        .filter(|op| sent.contains(op))
        .filter(|&&op| reaches(op))
        .map(|op| op.name())
        .collect();
    (!ops.is_empty()).then(|| Value::from(ops))
}

/// [`calls_value`] in a scenario's JSON tree.
fn tree_calls(whole: &Value, from: &str, to: &str) -> Option<Value> {
    let parts = whole["components"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default();
    let index = |id: &str| parts.iter().position(|c| c["id"] == id);
    let (a, b) = (index(from)?, index(to)?);
    let wires = whole["wires"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default();
    let carries = |w: &Value, op: Op| {
        w["ops"]
            .as_array()
            .is_none_or(|ops| ops.is_empty() || ops.iter().any(|o| o == op.name()))
    };
    // The operations the clients send (a file writes every client's mix).
    let sent: Vec<Op> = parts
        .iter()
        .flat_map(|c| {
            c["spec"]["mix"]
                .as_array()
                .map(Vec::as_slice)
                .unwrap_or_default()
        })
        .filter_map(|m| Op::ALL.into_iter().find(|op| m["op"] == op.name()))
        .collect();
    let kind = |i: usize| parts[i]["spec"]["kind"].as_str().unwrap_or_default();
    calls_value(
        a,
        b,
        parts.len(),
        &sent,
        |i| waits_through(kind(i)),
        |i, op| {
            let id = &parts[i]["id"];
            wires
                .iter()
                .filter(|w| &w["from"] == id && w["mode"] != "async" && carries(w, op))
                .filter_map(|w| w["to"].as_str().and_then(index))
                .collect()
        },
    )
}

/// The `calls:` locks a live change to the wires breaks, given each call's value now
/// (`calls_now(from, to)`, see [`calls_value`]).
pub fn calls_changed(
    locks: &[Lock],
    calls_now: impl Fn(&str, &str) -> Option<Value>,
) -> Vec<Change> {
    locks
        .iter()
        .filter_map(|l| {
            let (from, to) = l.path.strip_prefix(CALLS_PREFIX)?.split_once("->")?;
            compare(l, calls_now(from, to))
        })
        .collect()
}

/// The locks that hold a component's fields, as (field path inside its spec, "" for all of it;
/// why): those on its id and those on its kind. The inspector shows them locked.
pub fn locks_on(scenario: &Scenario, id: &str) -> Vec<(String, String)> {
    let kind = scenario
        .components
        .iter()
        .find(|c| c.id == id)
        .map(|c| c.spec.kind_name());
    scenario
        .locked
        .iter()
        .filter_map(|l| {
            let field = match l.path.strip_prefix(KIND_PREFIX) {
                Some(k) => field_under(k, kind?)?,
                None => field_under(&l.path, id)?,
            };
            Some((field.to_string(), l.why.clone()))
        })
        .collect()
}

/// `spec` with the fields its kind's locks hold set to the world's values: what a component a
/// learner adds starts as, so it obeys the world's rules (a new provider is as slow as the
/// others). A spec no lock touches comes back unchanged.
pub fn with_world(locks: &[Lock], spec: &ComponentSpec) -> ComponentSpec {
    let prefix = format!("{KIND_PREFIX}{}", spec.kind_name());
    let mine: Vec<(&str, &Value)> = locks
        .iter()
        .filter_map(|l| Some((field_under(&l.path, &prefix)?, &l.value)))
        .collect();
    if mine.is_empty() {
        return spec.clone();
    }
    let Some(mut tree) = tree(&spec.to_json()) else {
        return spec.clone();
    };
    for (field, value) in mine {
        if set_field(&mut tree, field, field, value.clone()).is_err() {
            return spec.clone();
        }
    }
    ComponentSpec::from_json(&tree.to_string()).unwrap_or_else(|_| spec.clone())
}

/// The locks on component `id`, checked against its new `spec` (a live change).
pub fn changed_by_spec<'a>(
    locks: &'a [Lock],
    ids: &'a [&'a str],
    id: &'a str,
    spec: &'a ComponentSpec,
) -> impl Iterator<Item = Change> + 'a {
    // Written once (lazily: a change to a component without locks writes nothing).
    let mut written: Option<Value> = None;
    let kind = format!("{KIND_PREFIX}{}", spec.kind_name());
    locks.iter().filter_map(move |l| {
        if l.path.starts_with(&kind) {
            let field = field_under(&l.path, &kind)?;
            let spec = written.get_or_insert_with(|| tree(&spec.to_json()).unwrap_or_default());
            return kind_change(l, id, field, spec);
        }
        let (component, rest) = split(&l.path, ids.iter().copied())?;
        if component != id {
            return None;
        }
        let spec = written.get_or_insert_with(|| tree(&spec.to_json()).unwrap_or_default());
        compare(l, Some(field_of(spec.clone(), rest)))
    })
}

/// The change a fault added or ended during a run makes, when the faults are locked.
pub fn faults_changed(locks: &[Lock]) -> Option<Change> {
    let lock = locks.iter().find(|l| l.path == "faults")?;
    Some(Change {
        path: lock.path.clone(),
        expected: words(&lock.value),
        found: String::new(),
        why: lock.why.clone(),
    })
}

/// `path` as the longest component id it starts with and the field path after it ("" for the
/// whole spec).
fn split<'a, 'b>(path: &'a str, ids: impl Iterator<Item = &'b str>) -> Option<(&'a str, &'a str)> {
    ids.filter_map(|id| field_under(path, id).map(|field| (&path[..id.len()], field)))
        .max_by_key(|(id, _)| id.len())
}

/// The field inside a spec that `path` holds when it names `owner` (a component id, or
/// `kind:<kind>`): "" for the whole spec, `retry.max_attempts` for a nested field; None when
/// the path names another owner.
fn field_under<'a>(path: &'a str, owner: &str) -> Option<&'a str> {
    let rest = path.strip_prefix(owner)?;
    if rest.is_empty() {
        Some("")
    } else {
        rest.strip_prefix('.')
    }
}

/// The field at `rest` (dots into nested fields; empty: all of it) of a spec's tree.
fn field_of(mut v: Value, rest: &str) -> Value {
    for key in rest.split('.').filter(|k| !k.is_empty()) {
        // A field the writer leaves out (switched off) reads as null.
        v = v.get(key).cloned().unwrap_or(Value::Null);
    }
    v
}

/// A value as a JSON tree, through the file format's own writer and parser: `to_value` would
/// put a second serialiser for every scenario type into the browser bundle (about 14 KB).
fn tree(text: &str) -> Option<Value> {
    serde_json::from_str(text).ok()
}

fn compare(lock: &Lock, found: Option<Value>) -> Option<Change> {
    let change = |found: String| Change {
        path: lock.path.clone(),
        expected: words(&lock.value),
        found,
        why: lock.why.clone(),
    };
    match found {
        None => Some(change(GONE.into())),
        Some(v) if same(&lock.value, &v) => None,
        Some(v) => Some(change(words(&v))),
    }
}

/// Equal as the file means them: numbers by value (40 and 40.0 are the same), an absent field
/// the same as null.
pub fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same(a, b))
        }
        (Value::Object(x), Value::Object(y)) => {
            let null = Value::Null;
            x.keys()
                .chain(y.keys())
                .all(|k| same(x.get(k).unwrap_or(&null), y.get(k).unwrap_or(&null)))
        }
        _ => a == b,
    }
}

/// A plain value in a word; empty for a list or an object, which a sentence calls "changed".
fn words(v: &Value) -> String {
    match v {
        Value::Null => "off".into(),
        Value::Bool(b) => b.to_string(),
        Value::String(s) => s.clone(),
        Value::Number(n) => n.as_f64().map_or_else(|| n.to_string(), |x| x.to_string()),
        Value::Array(_) | Value::Object(_) => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_longest_id_wins_and_a_bare_id_is_the_whole_spec() {
        let ids = ["api", "api.v2", "db"];
        assert_eq!(
            split("api.v2.workers", ids.into_iter()),
            Some(("api.v2", "workers"))
        );
        assert_eq!(
            split("api.workers", ids.into_iter()),
            Some(("api", "workers"))
        );
        assert_eq!(split("db", ids.into_iter()), Some(("db", "")));
        assert_eq!(split("dbx.pool_size", ids.into_iter()), None);
    }

    #[test]
    fn values_are_set_by_path_and_bad_paths_are_refused_by_name() {
        let text = r#"{"version": 1, "duration_s": 1, "components": [
            {"id": "api", "spec": {"kind": "service", "workers": 4,
                "service_time": {"dist": "constant", "ms": 1}}},
            {"id": "api.v2", "spec": {"kind": "service", "workers": 4,
                "service_time": {"dist": "constant", "ms": 1}}}]}"#;
        let s = Scenario::from_json(text).expect("valid");
        let set = |path: &str, v: Value| with_values(&s, &[(path.to_string(), v)]);
        let twice = set("api.v2.workers", json!(8)).expect("the longest id");
        assert_eq!(value_at(&twice, "api.v2.workers"), Some(json!(8)));
        assert_eq!(value_at(&twice, "api.workers"), Some(json!(4)));
        let nested = set("api.service_time.ms", json!(5)).expect("nested");
        assert_eq!(value_at(&nested, "api.service_time.ms"), Some(json!(5.0)));
        let none = set("db.pool_size", json!(3)).expect_err("no such component");
        let p = &none.problems[0];
        assert_eq!(
            (&p.field, p.message.as_str()),
            (
                &"db.pool_size".to_string(),
                "no component has the id \"db\""
            )
        );
        let plain = set("api.workers.extra", json!(3)).expect_err("inside a number");
        assert!(
            plain
                .to_string()
                .contains("extra is inside a field that holds a plain value"),
            "{plain}"
        );
        // The reader's refusal names the place in the file, as data.
        let unread = set("api.workers", json!("many")).expect_err("refused by the reader");
        let p = &unread.problems[0];
        assert_eq!(p.subject, Subject::File);
        assert_eq!(p.field, "components[0].spec.workers", "{unread}");
    }

    #[test]
    fn numbers_compare_by_value_and_absent_is_null() {
        assert!(same(&json!(40), &json!(40.0)));
        assert!(same(&json!({"a": 1, "b": null}), &json!({"a": 1.0})));
        assert!(!same(&json!({"a": 1}), &json!({"a": 2})));
        assert!(!same(&json!([1, 2]), &json!([1])));
    }

    #[test]
    fn a_message_names_the_path_both_values_and_the_reason() {
        let lock = Lock {
            path: "shoppers.rate_per_sec".into(),
            value: json!(40),
            why: "This is your traffic; you don't control it.".into(),
        };
        let c = compare(&lock, Some(json!(1.0))).expect("changed");
        assert_eq!(
            c.message(),
            "shoppers.rate_per_sec is 1, but the scenario holds it at 40 \
             (This is your traffic; you don't control it)"
        );
        let gone = compare(&lock, None).expect("changed");
        assert_eq!(
            gone.describe("The shoppers' rate"),
            "The shoppers' rate was removed, but the scenario holds it fixed \
             (This is your traffic; you don't control it)"
        );
        let list = Lock {
            path: "faults".into(),
            value: json!([]),
            why: String::new(),
        };
        let c = compare(&list, Some(json!([{"at_s": 1}]))).expect("changed");
        assert_eq!(
            c.message(),
            "faults was changed, but the scenario holds it fixed"
        );
    }
}
