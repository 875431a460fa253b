//! The inspector: every parameter of the selected component with its unit, and the switches as
//! switches. It is generated from the component's canonical JSON form, so every engine field is
//! here without a hand-written form per kind; a change that the engine would refuse is shown
//! next to the field and not applied.

use engine::scenario::{Component, ComponentSpec};
use serde_json::{json, Value};
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

/// Properties of [`Inspector`].
#[derive(Properties, PartialEq, Debug)]
pub struct InspectorProps {
    /// The component being edited.
    pub component: Component,
    /// A valid new spec.
    pub on_spec: Callback<ComponentSpec>,
    /// A new name.
    pub on_rename: Callback<String>,
    /// Delete the component.
    pub on_delete: Callback<()>,
    /// Why the running simulation refused the last change made here, if it did.
    #[prop_or_default]
    pub refusal: Option<AttrValue>,
}

#[derive(Debug, Clone, PartialEq)]
enum Seg {
    Key(String),
    Index(usize),
}

fn set_at(root: &mut Value, path: &[Seg], new: Value) {
    let mut node = root;
    for seg in path {
        node = match seg {
            Seg::Key(k) => &mut node[k.as_str()],
            Seg::Index(i) => &mut node[*i],
        };
    }
    *node = new;
}

/// Choices of the fields that take one of a few words.
fn choices(field: &str) -> Option<&'static [&'static str]> {
    Some(match field {
        "arrival" => &["poisson", "constant"],
        "jitter" => &["none", "full", "equal"],
        "policy" => &["round_robin", "least_connections", "random"],
        "idempotency" => &["off", "check_after_completion", "atomic_reserve"],
        "concurrency" => &["none", "optimistic", "lock"],
        "scope" => &["global", "per_user"],
        "action" => &["reject", "delay"],
        "dist" => &["constant", "exponential", "lognormal"],
        "op" => &["read", "write", "payment", "job", "purchase"],
        _ => return None,
    })
}

/// Where a field comes in the inspector: capacity and load first, switches next, details last.
fn importance(field: &str) -> usize {
    const ORDER: [&str; 30] = [
        "rate_per_sec",
        "workers",
        "pool_size",
        "concurrency",
        "capacity",
        "service_time",
        "read_time",
        "write_time",
        "job_time",
        "latency",
        "lag",
        "queue_capacity",
        "timeout_ms",
        "call_timeout_ms",
        "retry",
        "idempotency",
        "idempotency_keys",
        "circuit_breaker",
        "read_your_writes_ms",
        "strong_reads",
        "indexed",
        "invalidate_on_write",
        "ttl_ms",
        "max_deliveries",
        "visibility_timeout_ms",
        "retry_backoff_ms",
        "idempotent",
        "mix",
        "policy",
        "error_probability",
    ];
    ORDER
        .iter()
        .position(|f| *f == field)
        .unwrap_or(ORDER.len())
}

/// What an optional field holds when it is switched on.
fn default_for(field: &str, spec: &Value) -> Value {
    match field {
        "timeout_ms" | "call_timeout_ms" => json!(1000),
        "queue_capacity" => json!(100),
        "capacity" => json!(1000),
        "read_your_writes_ms" => json!(2000),
        "ramp_to_per_sec" => json!(spec["rate_per_sec"].as_f64().unwrap_or(100.0) * 2.0),
        "accepts_contract" => json!(1),
        "budget_ratio" => json!(0.1),
        "circuit_breaker" => json!({ "failure_ratio": 0.5, "window_calls": 20, "open_ms": 5000 }),
        _ => json!(1),
    }
}

/// A label and a unit from a field name: `timeout_ms` is "Timeout" in "ms".
pub(crate) fn label_and_unit(field: &str) -> (String, &'static str) {
    let (stem, unit) = [("_per_sec", "/s"), ("_ms", "ms"), ("_s", "s")]
        .iter()
        .find_map(|(suffix, unit)| field.strip_suffix(suffix).map(|s| (s, *unit)))
        .unwrap_or((field, ""));
    let unit = match field {
        "error_probability"
        | "failure_probability"
        | "failure_under_load"
        | "poison_probability"
        | "failure_ratio" => "0–1",
        "budget_ratio" => "share",
        _ => unit,
    };
    let mut words = stem.replace('_', " ");
    if let Some(first) = words.get(..1) {
        words = first.to_ascii_uppercase() + &words[1..];
    }
    (words, unit)
}

/// `spec` as a JSON tree to walk and edit. Going through text (rather than `serde_json::to_value`)
/// reuses the scenario file's serialiser and parser instead of adding a second copy of each to
/// the bundle.
fn spec_tree(spec: &ComponentSpec) -> Value {
    serde_json::from_str(&spec.to_json()).unwrap_or(Value::Null)
}

/// The spec an edited tree describes, or what is wrong with it.
fn spec_from_tree(doc: &Value) -> Result<ComponentSpec, String> {
    ComponentSpec::from_json(&doc.to_string())
}

/// What a field does, in a sentence a learner can act on (shown when pointing at its label).
fn help(field: &str) -> Option<&'static str> {
    Some(match field {
        "rate_per_sec" => "Requests per second: new requests from users, or tokens added to a rate limiter's bucket.",
        "arrival" => "Poisson: random gaps between requests, as real users make them. Constant: evenly spaced.",
        "timeout_ms" => "How long a user waits for an answer before giving up (and retrying, if retries are on).",
        "retry" => "What a user does after a failure or a timeout.",
        "max_attempts" => "Tries in all, the first one included: 1 means no retries.",
        "backoff_ms" => "The wait before a retry; it doubles with each further try.",
        "jitter" => "Randomises the wait so that retries from many users do not arrive together.",
        "budget_ratio" => "A retry budget: retries allowed as a share of first tries, so retries cannot multiply an overload.",
        "idempotency_keys" => "Send a key with each request, the same key on a retry, so a server can recognise a repeat.",
        "mix" => "What users ask for, and how often.",
        "users" => "How many different users send the requests.",
        "keys" => "How many different records the requests touch.",
        "key_skew" => "How unevenly records are hit: 0 is even; higher values make a few records hot.",
        "ramp_to_per_sec" | "ramp_s" => "Move the rate to this value over the first seconds of the run.",
        "workers" => "How many requests it handles at once; the rest wait in its queue.",
        "queue_capacity" | "capacity" => "How many may wait or be kept. For a queue of requests: when full, new ones are refused at once (backpressure). Off: no limit.",
        "service_time" => "How long handling one request takes, not counting the calls it makes.",
        "error_probability" | "failure_probability" => "The chance that handling fails with an error.",
        "call_timeout_ms" => "How long it waits for each call it makes before giving up on it.",
        "circuit_breaker" => "After too many failed calls, stop calling for a while and fail at once instead.",
        "failure_ratio" => "The share of failed calls that opens the circuit.",
        "window_calls" => "How many recent calls the failure share is measured over.",
        "open_ms" => "How long the circuit stays open before trying again.",
        "idempotency" => "Remember request keys so a repeated request does not repeat its side effect. Check after completion leaves a gap where duplicates slip through; atomic reserve closes it.",
        "idempotency_ttl_ms" => "How long a request key is remembered.",
        "concurrency" => "How it guards read-modify-write of one record: none (updates get lost), optimistic (a version check) or a lock.",
        "read_your_writes_ms" => "After a user writes, send that user's reads to the primary database for this long.",
        "strong_reads" => "Always read from the primary database, never from a replica.",
        "contract" => "The version of the response format it produces.",
        "accepts_contract" => "The only response format version it can read; any other fails.",
        "versioned_contract" => "Keep answering each caller in the format version it asks for.",
        "policy" => "How the load balancer picks the next instance.",
        "health_checks" => "Stop sending to an instance that has crashed.",
        "burst" => "The most tokens the bucket can save up: how big a burst passes at once.",
        "scope" => "One bucket for everybody, or one per user.",
        "action" => "Refuse requests over the limit, or make them wait (up to the maximum delay).",
        "max_delay_ms" => "The longest a request may be held back before it is refused.",
        "ttl_ms" => "How long a cached entry is served before it is fetched again.",
        "hit_ms" => "How long answering from the cache takes.",
        "invalidate_on_write" => "Drop an entry when its record is written, so reads do not see old data.",
        "pool_size" => "Connections: how many queries run at once.",
        "read_time" | "write_time" => "How long one query takes.",
        "indexed" => "With the index, reads are quick; without it each read scans the table.",
        "no_index_factor" => "How many times slower a read is without the index.",
        "stock_per_key" => "Items in stock per record at the start, for purchases.",
        "lag" => "How far behind the primary database the replica runs.",
        "visibility_timeout_ms" => "How long a delivered message stays hidden; not acknowledged by then, it is delivered again.",
        "max_deliveries" => "Deliveries before a message goes to the dead-letter queue (or is dropped, if there is none).",
        "retry_backoff_ms" => "The wait before a failed message is delivered again; it doubles each time.",
        "job_time" => "How long one job takes, not counting the calls it makes.",
        "failure_under_load" => "Extra chance of failure while every worker is busy.",
        "poison_probability" => "The share of jobs that fail every time, however often they are tried.",
        "idempotent" => "Remember finished jobs, so a job delivered twice acts once.",
        "latency" => "How long the provider takes to answer.",
        "dist" => "The shape of the durations: constant, exponential (memoryless) or log-normal (a long slow tail).",
        "sigma" => "The spread of the log-normal: 1 gives a heavy slow tail.",
        "ms" => "Every duration is exactly this long.",
        "mean_ms" => "The average duration; single ones vary a lot around it.",
        "median_ms" => "Half the durations are shorter than this, half longer.",
        _ => return None,
    })
}

/// The inspector panel.
#[function_component(Inspector)]
pub fn inspector(props: &InspectorProps) -> Html {
    let error = use_state(|| None::<String>);
    let spec_value = spec_tree(&props.component.spec);
    let id = props.component.id.clone();
    {
        let error = error.clone();
        use_effect_with(id.clone(), move |_| error.set(None));
    }
    let commit = {
        let base = spec_value.clone();
        let on_spec = props.on_spec.clone();
        let error = error.clone();
        Callback::from(move |(path, new): (Vec<Seg>, Value)| {
            let mut doc = base.clone();
            set_at(&mut doc, &path, new);
            match spec_from_tree(&doc) {
                Ok(spec) => {
                    match engine::topology::check_spec(&engine::topology::Subject::Scenario, &spec)
                    {
                        Ok(()) => {
                            error.set(None);
                            on_spec.emit(spec);
                        }
                        Err(e) => error.set(Some(
                            e.problems
                                .iter()
                                .map(|p| format!("{}: {}", p.field, p.message))
                                .collect::<Vec<_>>()
                                .join("; "),
                        )),
                    }
                }
                Err(e) => error.set(Some(format!("not applied: {e}"))),
            }
        })
    };
    let rename = {
        let on_rename = props.on_rename.clone();
        Callback::from(move |e: Event| {
            if let Some(input) = e.target_dyn_into::<HtmlInputElement>() {
                on_rename.emit(input.value());
            }
        })
    };
    let kind = props.component.spec.kind_name();
    let fields = match &spec_value {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().filter(|k| k.as_str() != "kind").collect();
            keys.sort_by_key(|k| (importance(k), k.as_str()));
            keys.into_iter()
                .map(|k| field(k, &map[k], vec![Seg::Key(k.clone())], &spec_value, &commit))
                .collect::<Html>()
        }
        _ => Html::default(),
    };
    let on_delete = props.on_delete.clone();
    // The explanation of the field that has focus, shown in the panel: pointing at a label shows
    // it too, but a touch screen has no pointer to hover with.
    let explained = use_state(|| None::<String>);
    let onfocusin = {
        let explained = explained.clone();
        Callback::from(move |e: FocusEvent| {
            let text = e
                .target_dyn_into::<web_sys::Element>()
                .and_then(|t| t.closest(".field, fieldset").ok().flatten())
                .and_then(|f| f.query_selector("[title]").ok().flatten())
                .and_then(|l| l.get_attribute("title"));
            if *explained != text {
                explained.set(text);
            }
        })
    };
    html! {
        <section class="inspector" aria-label="Inspector" {onfocusin}>
            <h2>{ crate::kinds::label(kind) }</h2>
            <p class="hint">{ crate::kinds::describe(kind) }</p>
            <label class="field">
                <span class="field-label">{ "Name" }</span>
                <input type="text" value={props.component.name.clone()} onchange={rename} maxlength="80" />
            </label>
            <div class="field"><span class="field-label">{ "Id" }</span><code>{ props.component.id.clone() }</code></div>
            { fields }
            if let Some(e) = &*error { <p class="field-error" role="alert">{ e.clone() }</p> }
            if let Some(text) = &props.refusal {
                <p class="field-error" role="alert">{ format!("The running simulation refused this: {text} It starts again from your document.") }</p>
            }
            if let Some(text) = &*explained { <p class="field-help" aria-live="polite">{ text.clone() }</p> }
            <button class="danger" onclick={Callback::from(move |_| on_delete.emit(()))}>{ "Delete component" }</button>
        </section>
    }
}

fn field(
    name: &str,
    value: &Value,
    path: Vec<Seg>,
    spec: &Value,
    commit: &Callback<(Vec<Seg>, Value)>,
) -> Html {
    let (label, unit) = label_and_unit(name);
    let title = match (name, value) {
        ("concurrency", Value::Number(_)) => Some("How many it handles at once."),
        _ => help(name),
    }
    .map(AttrValue::from);
    let optional = matches!(
        name,
        "timeout_ms"
            | "call_timeout_ms"
            | "queue_capacity"
            | "read_your_writes_ms"
            | "ramp_to_per_sec"
            | "accepts_contract"
            | "budget_ratio"
            | "circuit_breaker"
    ) || (name == "capacity" && spec.get("visibility_timeout_ms").is_some());
    let off_button = if optional && !value.is_null() {
        let commit = commit.clone();
        let path = path.clone();
        html! { <button class="small" onclick={Callback::from(move |_| commit.emit((path.clone(), Value::Null)))}>{ "turn off" }</button> }
    } else {
        Html::default()
    };
    match value {
        Value::Null => {
            let commit = commit.clone();
            let on = default_for(name, spec);
            html! {
                <div class="field">
                    <span class="field-label" title={title.clone()}>{ label }</span>
                    <span class="off">{ "off" }</span>
                    <button class="small" onclick={Callback::from(move |_| commit.emit((path.clone(), on.clone())))}>{ "turn on" }</button>
                </div>
            }
        }
        Value::Bool(b) => {
            let commit = commit.clone();
            let checked = *b;
            html! {
                <label class="field switch">
                    <span class="field-label" title={title.clone()}>{ label }</span>
                    <input type="checkbox" role="switch" checked={checked}
                        onchange={Callback::from(move |_| commit.emit((path.clone(), json!(!checked))))} />
                    <span class="switch-track" aria-hidden="true"></span>
                </label>
            }
        }
        Value::Number(n) => {
            let commit = commit.clone();
            // Whole numbers show without a trailing ".0".
            let current = match n.as_f64() {
                Some(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", f as i64),
                _ => n.to_string(),
            };
            html! {
                <label class="field">
                    <span class="field-label" title={title.clone()}>{ label }</span>
                    <input type="number" step="any" value={current}
                        onchange={Callback::from(move |e: Event| {
                            if let Some(input) = e.target_dyn_into::<HtmlInputElement>() {
                                if let Ok(v) = input.value().parse::<f64>() {
                                    let v = if v.fract() == 0.0 && v.abs() < 1e15 { json!(v as i64) } else { json!(v) };
                                    commit.emit((path.clone(), v));
                                }
                            }
                        })} />
                    <span class="unit">{ unit }</span>
                    { off_button }
                </label>
            }
        }
        Value::String(s) => text_field(name, &label, title, s, path, spec, commit),
        Value::Object(map) => html! {
            <fieldset class="group">
                <legend title={title.clone()}>{ label }{ off_button }</legend>
                { for map.iter().map(|(k, v)| {
                    let mut p = path.clone();
                    p.push(Seg::Key(k.clone()));
                    field(k, v, p, spec, commit)
                }) }
            </fieldset>
        },
        Value::Array(items) => list_field(name, &label, title, items, path, spec, commit),
    }
}

/// A field holding a word: a choice among the engine's words, or a distribution's shape (which
/// keeps its central value when changed), or fixed text.
fn text_field(
    name: &str,
    label: &str,
    title: Option<AttrValue>,
    s: &str,
    path: Vec<Seg>,
    spec: &Value,
    commit: &Callback<(Vec<Seg>, Value)>,
) -> Html {
    match choices(name) {
        Some(options) if name == "dist" => {
            // Changing the distribution keeps its central value.
            let parent: Vec<Seg> = path[..path.len() - 1].to_vec();
            let mut here = spec;
            for seg in &parent {
                here = match seg {
                    Seg::Key(k) => &here[k.as_str()],
                    Seg::Index(i) => &here[*i],
                };
            }
            let centre = ["ms", "mean_ms", "median_ms"]
                .iter()
                .find_map(|k| here[*k].as_f64())
                .unwrap_or(10.0);
            let commit = commit.clone();
            select(
                label,
                title.clone(),
                s,
                options,
                Callback::from(move |choice: String| {
                    let new = match choice.as_str() {
                        "constant" => json!({ "dist": "constant", "ms": centre }),
                        "exponential" => json!({ "dist": "exponential", "mean_ms": centre }),
                        _ => json!({ "dist": "lognormal", "median_ms": centre, "sigma": 0.8 }),
                    };
                    commit.emit((parent.clone(), new));
                }),
            )
        }
        Some(options) => {
            let commit = commit.clone();
            select(
                label,
                title.clone(),
                s,
                options,
                Callback::from(move |choice: String| commit.emit((path.clone(), json!(choice)))),
            )
        }
        None => {
            html! { <div class="field"><span class="field-label" title={title.clone()}>{ label }</span><code>{ s.to_string() }</code></div> }
        }
    }
}

/// A list field (a client's mix of operations, say): each item with a remove button, and add.
fn list_field(
    name: &str,
    label: &str,
    title: Option<AttrValue>,
    items: &[Value],
    path: Vec<Seg>,
    spec: &Value,
    commit: &Callback<(Vec<Seg>, Value)>,
) -> Html {
    let add = {
        let commit = commit.clone();
        let path = path.clone();
        let mut grown = items.to_vec();
        grown.push(if name == "mix" {
            json!({ "op": "write", "weight": 1 })
        } else {
            json!("read")
        });
        Callback::from(move |_| commit.emit((path.clone(), Value::Array(grown.clone()))))
    };
    html! {
        <fieldset class="group">
            <legend title={title.clone()}>{ label }</legend>
            { for items.iter().enumerate().map(|(i, item)| {
                let mut p = path.clone();
                p.push(Seg::Index(i));
                let remove = {
                    let commit = commit.clone();
                    let path = path.clone();
                    let mut fewer = items.to_vec();
                    fewer.remove(i);
                    Callback::from(move |_| commit.emit((path.clone(), Value::Array(fewer.clone()))))
                };
                html! {
                    <div class="array-item">
                        { field(&format!("{} {}", name.trim_end_matches('s'), i + 1), item, p, spec, commit) }
                        if items.len() > 1 { <button class="small" onclick={remove}>{ "remove" }</button> }
                    </div>
                }
            }) }
            <button class="small" onclick={add}>{ "add" }</button>
        </fieldset>
    }
}

fn select(
    label: &str,
    title: Option<AttrValue>,
    current: &str,
    options: &[&str],
    on: Callback<String>,
) -> Html {
    html! {
        <label class="field">
            <span class="field-label" {title}>{ label.to_string() }</span>
            <select onchange={Callback::from(move |e: Event| {
                if let Some(s) = e.target_dyn_into::<HtmlSelectElement>() {
                    on.emit(s.value());
                }
            })}>
                { for options.iter().map(|o| html! {
                    <option value={o.to_string()} selected={*o == current}>{ o.replace('_', " ") }</option>
                }) }
            </select>
        </label>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_field_of_every_kind_is_explained() {
        fn walk(v: &Value, missing: &mut Vec<String>) {
            if let Value::Object(map) = v {
                for (k, child) in map {
                    if k != "kind" && help(k).is_none() {
                        missing.push(k.clone());
                    }
                    walk(child, missing);
                }
            }
        }
        let mut missing = Vec::new();
        for kind in engine::scenario::KINDS {
            let mut tree = spec_tree(&ComponentSpec::example(kind).expect("example"));
            // Optional fields show too, once turned on.
            let spec = tree.clone();
            if let Value::Object(map) = &mut tree {
                for (k, v) in map.iter_mut() {
                    if v.is_null() {
                        *v = default_for(k, &spec);
                    }
                }
            }
            walk(&tree, &mut missing);
        }
        missing.sort();
        missing.dedup();
        assert!(missing.is_empty(), "fields without help: {missing:?}");
    }

    #[test]
    fn labels_carry_units() {
        assert_eq!(label_and_unit("timeout_ms"), ("Timeout".to_string(), "ms"));
        assert_eq!(label_and_unit("rate_per_sec"), ("Rate".to_string(), "/s"));
        assert_eq!(label_and_unit("duration_s"), ("Duration".to_string(), "s"));
        assert_eq!(label_and_unit("error_probability").1, "0–1");
    }

    #[test]
    fn every_switchable_word_field_has_choices_the_engine_accepts() {
        for kind in engine::scenario::KINDS {
            let spec = ComponentSpec::example(kind).expect("example");
            let mut doc = spec_tree(&spec);
            for field in [
                "arrival",
                "jitter",
                "policy",
                "idempotency",
                "concurrency",
                "scope",
                "action",
            ] {
                if doc.get(field).is_some_and(Value::is_string) {
                    for choice in choices(field).expect("choices") {
                        doc[field] = json!(choice);
                        spec_from_tree(&doc)
                            .unwrap_or_else(|e| panic!("{kind}.{field}={choice}: {e}"));
                    }
                }
            }
        }
    }

    #[test]
    fn optional_defaults_are_valid() {
        let mut service = spec_tree(&ComponentSpec::example("service").expect("example"));
        for field in [
            "call_timeout_ms",
            "queue_capacity",
            "read_your_writes_ms",
            "accepts_contract",
            "circuit_breaker",
        ] {
            service[field] = default_for(field, &service);
        }
        let spec = spec_from_tree(&service).expect("parses");
        engine::topology::check_spec(&engine::topology::Subject::Scenario, &spec).expect("valid");
    }
}
