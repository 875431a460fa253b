//! The inspector: every parameter of the selected component with its unit, and the switches as
//! switches. It is generated from the component's canonical JSON form, so every engine field is
//! here without a hand-written form per kind; a change that the engine would refuse is shown
//! next to the field and not applied.

use engine::kinds;
use engine::scenario::{Component, ComponentSpec};
use serde_json::{json, Value};
use std::rc::Rc;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

/// Properties of [`Inspector`].
#[derive(Properties, PartialEq, Debug, Clone)]
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
    /// This component's locked conditions: the field path inside its spec ("" for all of it,
    /// `retry.max_attempts` for one nested field) and why it is locked.
    #[prop_or_default]
    pub locks: Rc<Vec<(String, String)>>,
}

/// Draws the inspector: the inspector's part of the wasm file (`crate::parts`).
pub fn draw(props: &InspectorProps) -> Html {
    html! { <Inspector ..props.clone() /> }
}

/// The inspector, drawn once its part has arrived: a line says it is on its way (the part is
/// fetched a moment after the page is up, so this is seldom seen), or that it could not come.
#[function_component(LazyInspector)]
pub fn lazy_inspector(props: &InspectorProps) -> Html {
    let waiting = html! {
        <section class="inspector" aria-busy="true"><p class="hint">{ "Loading the inspector…" }</p></section>
    };
    match crate::parts::provided().inspector {
        Some(part) => html! {
            <crate::parts::Late<InspectorProps> props={props.clone()} {part} what="the inspector" {waiting} />
        },
        None => {
            html! { <p class="notice error" role="alert">{ "This page's file has no inspector." }</p> }
        }
    }
}

/// A component's locks from a scenario's: those on `id` or on one of its fields, and those on
/// its kind (which hold a component the learner added too).
pub fn locks_of(scenario: &engine::Scenario, id: &str) -> Vec<(String, String)> {
    engine::conditions::locks_on(scenario, id)
}

/// A padlock drawn in SVG (an emoji padlock needs a font the reader may not have), with its
/// reason as the accessible name when it stands alone.
pub fn lock_icon(why: Option<&str>) -> Html {
    let label = why.map(|w| AttrValue::from(format!("locked: {w}")));
    let hidden = if why.is_none() { Some("true") } else { None };
    html! {
        <svg class="lock" viewBox="0 0 12 14" width="12" height="14" role={why.map(|_| "img")} aria-label={label} aria-hidden={hidden}>
            if let Some(w) = why { <title>{ w.to_string() }</title> }
            <path d="M3 6V4a3 3 0 0 1 6 0v2" fill="none" stroke="currentColor" stroke-width="1.6" />
            <rect x="1" y="6" width="10" height="8" rx="1.5" fill="currentColor" />
        </svg>
    }
}

/// Why the field at `path` is locked, if one of `locks` covers it.
fn locked_by<'a>(locks: &'a [(String, String)], path: &[Seg]) -> Option<&'a str> {
    let dotted: Vec<&str> = path
        .iter()
        .filter_map(|s| match s {
            Seg::Key(k) => Some(k.as_str()),
            Seg::Index(_) => None,
        })
        .collect();
    let dotted = dotted.join(".");
    locks
        .iter()
        .find(|(p, _)| {
            p.is_empty()
                || dotted == *p
                || dotted
                    .strip_prefix(p.as_str())
                    .is_some_and(|r| r.starts_with('.'))
        })
        .map(|(_, why)| why.as_str())
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

/// The words a field takes, when it takes one of a few (from the engine's registry of kinds).
fn choices(field: &str) -> Option<&'static [&'static str]> {
    let words = kinds::choices(field);
    (!words.is_empty()).then_some(words)
}

/// What an optional field of a `kind` holds when it is switched on (from the engine's registry).
fn default_for(kind: &str, field: &str, spec: &Value) -> Value {
    kinds::switched_on(kind, field, spec).unwrap_or(json!(1))
}

/// A label and a unit from a field name: `timeout_ms` is "Timeout" in "ms".
pub(crate) fn label_and_unit(field: &str) -> (String, &'static str) {
    let (stem, suffix_unit) = [("_per_sec", "/s"), ("_ms", "ms"), ("_s", "s")]
        .iter()
        .find_map(|(suffix, unit)| field.strip_suffix(suffix).map(|s| (s, *unit)))
        .unwrap_or((field, ""));
    // The registry's unit where it has the field (probabilities are "0–1"), else the suffix's.
    let unit = kinds::field("", field).map_or(suffix_unit, |f| f.unit);
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
    ComponentSpec::from_json(&doc.to_string()).map_err(|e| e.to_string())
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
    let fields = match &spec_value {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().filter(|k| k.as_str() != "kind").collect();
            keys.sort_by_key(|k| (kinds::rank(k), k.as_str()));
            keys.into_iter()
                .map(|k| {
                    let path = vec![Seg::Key(k.clone())];
                    field(k, &map[k], path, &spec_value, &commit, &props.locks)
                })
                .collect::<Html>()
        }
        _ => Html::default(),
    };
    let on_delete = props.on_delete.clone();
    // Each reason for a lock once, above the fields it holds.
    let mut reasons: Vec<&str> = Vec::new();
    for (_, why) in props.locks.iter() {
        if !reasons.contains(&why.as_str()) {
            reasons.push(why);
        }
    }
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
            <h2>{ props.component.spec.info().label }</h2>
            <p class="hint">{ props.component.spec.info().description }</p>
            <label class="field">
                <span class="field-label">{ "Name" }</span>
                <input type="text" value={props.component.name.clone()} onchange={rename} maxlength="80" />
            </label>
            <div class="field"><span class="field-label">{ "Id" }</span><code>{ props.component.id.clone() }</code></div>
            { for reasons.into_iter().map(|why| html! {
                <p class="locked-note">{ lock_icon(None) }{ format!(" Locked: {why}") }</p>
            }) }
            { fields }
            if let Some(e) = &*error { <p class="field-error" role="alert">{ e.clone() }</p> }
            if let Some(text) = &props.refusal {
                <p class="field-error" role="alert">{ format!("The running simulation refused this: {text} It starts again from your document.") }</p>
            }
            if let Some(text) = &*explained { <p class="field-help" aria-live="polite">{ text.clone() }</p> }
            if props.locks.is_empty() {
                <button class="danger" onclick={Callback::from(move |_| on_delete.emit(()))}>{ "Delete component" }</button>
            }
        </section>
    }
}

fn field(
    name: &str,
    value: &Value,
    path: Vec<Seg>,
    spec: &Value,
    commit: &Callback<(Vec<Seg>, Value)>,
    locks: &[(String, String)],
) -> Html {
    let (label, unit) = label_and_unit(name);
    // What the field is comes from the engine's registry, for this spec's kind.
    let kind = spec["kind"].as_str().unwrap_or_default();
    let info = kinds::field(kind, name);
    let title = info.map(|f| AttrValue::from(f.help));
    let locked = locked_by(locks, &path);
    if let (Some(why), false) = (locked, value.is_object() || value.is_array()) {
        // Read-only: the value, its unit and a lock that says why.
        let shown = match value {
            Value::Null => "off".to_string(),
            Value::String(s) => s.replace('_', " "),
            other => number_text(other),
        };
        return html! {
            <div class="field locked">
                <span class="field-label" title={title}>{ label }</span>
                <span class="locked-value">{ shown }{ " " }{ unit }</span>
                { lock_icon(Some(why)) }
            </div>
        };
    }
    let optional = info.is_some_and(|f| f.when_on.is_some());
    // The registry's bounds on the input: a spinner and a phone's keypad stay inside them.
    let (min, max) = match info.and_then(|f| f.range) {
        Some((lo, hi)) => (Some(lo.to_string()), Some(hi.to_string())),
        None => (None, None),
    };
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
            let on = default_for(kind, name, spec);
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
        Value::Number(_) => {
            let commit = commit.clone();
            let current = number_text(value);
            html! {
                <label class="field">
                    <span class="field-label" title={title.clone()}>{ label }</span>
                    <input type="number" step="any" {min} {max} value={current}
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
        Value::Object(map) => {
            // Inside a group too, the registry's order: bounds before timings, say.
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort_by_key(|k| (kinds::rank(k), k.as_str()));
            html! {
                <fieldset class="group">
                    <legend title={title.clone()}>{ label }if locked.is_none() { { off_button } }</legend>
                    { for keys.into_iter().map(|k| {
                        let mut p = path.clone();
                        p.push(Seg::Key(k.clone()));
                        field(k, &map[k], p, spec, commit, locks)
                    }) }
                </fieldset>
            }
        }
        Value::Array(items) => list_field(name, title, items, path, spec, commit, locks),
    }
}

/// A number as a person writes it: whole numbers without a trailing ".0".
fn number_text(value: &Value) -> String {
    match value.as_f64() {
        Some(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", f as i64),
        _ => value.to_string(),
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
    title: Option<AttrValue>,
    items: &[Value],
    path: Vec<Seg>,
    spec: &Value,
    commit: &Callback<(Vec<Seg>, Value)>,
    locks: &[(String, String)],
) -> Html {
    let (label, _) = label_and_unit(name);
    let locked = locked_by(locks, &path).is_some();
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
                        { field(&format!("{} {}", name.trim_end_matches('s'), i + 1), item, p, spec, commit, locks) }
                        if items.len() > 1 && !locked { <button class="small" onclick={remove}>{ "remove" }</button> }
                    </div>
                }
            }) }
            if !locked { <button class="small" onclick={add}>{ "add" }</button> }
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
        fn walk(kind: &str, v: &Value, missing: &mut Vec<String>) {
            if let Value::Object(map) = v {
                for (k, child) in map {
                    if k != "kind" && kinds::field(kind, k).is_none() {
                        missing.push(format!("{kind}.{k}"));
                    }
                    walk(kind, child, missing);
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
                        *v = default_for(kind, k, &spec);
                    }
                }
            }
            walk(kind, &tree, &mut missing);
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
            service[field] = default_for("service", field, &service);
        }
        let spec = spec_from_tree(&service).expect("parses");
        engine::topology::check_spec(&engine::topology::Subject::Scenario, &spec).expect("valid");
    }
}
