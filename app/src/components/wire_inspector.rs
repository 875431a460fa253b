//! The inspector of a selected wire: its mode (does the caller wait?), whether the caller can
//! do without the answer (optional), and which operations it carries.

use crate::state::{display_name_of, Action};
use engine::scenario::{Op, Scenario, WireMode};
use std::rc::Rc;
use yew::prelude::*;

/// What [`wire_inspector`] shows.
#[derive(PartialEq, Debug)]
pub struct WireInspectorProps {
    /// The document.
    pub scenario: Rc<Scenario>,
    /// The wire, by index.
    pub index: usize,
    /// Why the engine refused the last change made here, if it did.
    pub refusal: Option<AttrValue>,
    /// Why the call this wire makes is required (a `calls:` lock), when the screen holds locks.
    pub required: Option<AttrValue>,
    /// Edits go here.
    pub edit: Callback<Action>,
}

/// The wire inspector; nothing when the index names no wire. A function rather than a component:
/// it has no state of its own, and each component is compiled code of its own in the bundle.
pub fn wire_inspector(props: &WireInspectorProps) -> Html {
    let Some(w) = props.scenario.wires.get(props.index) else {
        return Html::default();
    };
    let index = props.index;
    let set_mode = {
        let edit = props.edit.clone();
        Callback::from(move |e: Event| {
            if let Some(s) = e.target_dyn_into::<web_sys::HtmlSelectElement>() {
                let mode = if s.value() == "async" {
                    WireMode::Async
                } else {
                    WireMode::Sync
                };
                edit.emit(Action::SetWireMode { index, mode });
            }
        })
    };
    let set_optional = {
        let edit = props.edit.clone();
        let optional = !w.optional;
        Callback::from(move |_: Event| edit.emit(Action::SetWireOptional { index, optional }))
    };
    let delete = {
        let edit = props.edit.clone();
        Callback::from(move |_: MouseEvent| edit.emit(Action::DeleteSelected))
    };
    // Which operations travel the wire: none ticked means all of them.
    let op_boxes = Op::ALL.iter().map(|&op| {
        let edit = props.edit.clone();
        let current = w.ops.clone();
        let toggle = Callback::from(move |_: Event| {
            let mut ops: Vec<Op> = current.iter().copied().filter(|o| *o != op).collect();
            if !current.contains(&op) {
                ops.push(op);
            }
            // Keep the file's order stable: the order of Op::ALL.
            ops.sort_by_key(|o| Op::ALL.iter().position(|a| a == o));
            edit.emit(Action::SetWireOps { index, ops });
        });
        html! {
            <label class="op-choice">
                <input type="checkbox" checked={w.ops.contains(&op)} onchange={toggle} />
                { op.name() }
            </label>
        }
    });
    let name = |id: &str| display_name_of(&props.scenario, id);
    // Keyed by the wire and its mode: a select the user has changed no longer follows its
    // options' `selected` attributes, so another wire (or an undone mode) gets a fresh one.
    html! {
        <section key={format!("wire-{index}-{:?}-{}", w.mode, w.optional)} class="inspector" aria-label="Wire inspector">
            <h2>{ "Wire" }</h2>
            <p class="hint">{ format!("{} sends requests to {}.", name(&w.from), name(&w.to)) }</p>
            if let Some(why) = &props.required {
                <p class="locked-note">{ crate::components::inspector::lock_icon(None) }{ format!(" A required call: {why} Deleting it, handing it off or limiting what it carries makes the run not count.") }</p>
            }
            <label class="field wide"><span class="field-label">{ "Mode" }</span>
                <select onchange={set_mode}>
                    <option value="sync" selected={w.mode == WireMode::Sync}>{ "synchronous: the caller waits" }</option>
                    <option value="async" selected={w.mode == WireMode::Async}>{ "asynchronous: hand over, move on" }</option>
                </select>
            </label>
            <label class="field switch wide">
                <span class="field-label" title="When the call fails, times out or meets an open circuit breaker, the caller carries on without the answer (a fallback), instead of failing its own request.">{ "Optional (fallback)" }</span>
                <input type="checkbox" role="switch" checked={w.optional} onchange={set_optional} />
                <span class="switch-track" aria-hidden="true"></span>
            </label>
            if let Some(text) = &props.refusal {
                <p class="field-error" role="alert">{ format!("The running simulation refused this: {text} It starts again from your document.") }</p>
            }
            <fieldset class="wire-ops">
                <legend>{ "Carries" }</legend>
                <div class="op-choices">{ for op_boxes }</div>
                <p class="hint">{ if w.ops.is_empty() { "Every kind of request (tick some to route only those, e.g. reads to a replica service)." } else { "Only the ticked kinds of request." } }</p>
            </fieldset>
            <button class="danger" onclick={delete}>{ "Delete wire" }</button>
        </section>
    }
}
