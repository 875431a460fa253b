//! The fault timeline: add a spike, crash, latency, errors, partition, replication lag, contract
//! change or slow query at a time and for a duration; faults show as bands on the charts.

use engine::scenario::{Fault, FaultKind, Scenario};
use std::rc::Rc;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

/// Fault kinds offered, with their labels; which components each applies to comes from the engine.
const KINDS: [(&str, &str); 8] = [
    ("traffic_spike", "Traffic spike (×10)"),
    ("crash", "Crash"),
    ("latency", "Latency (+200 ms)"),
    ("errors", "Errors (50%)"),
    ("partition", "Network partition"),
    ("replication_lag", "Replication lag (×20)"),
    ("contract_change", "Contract change (v2)"),
    ("slow_query", "Slow query (index dropped)"),
];

pub(crate) fn make(kind: &str, target: &str) -> Option<FaultKind> {
    let t = target.to_string();
    Some(match kind {
        "traffic_spike" => FaultKind::TrafficSpike {
            target: t,
            multiplier: 10.0,
        },
        "crash" => FaultKind::Crash { target: t },
        "latency" => FaultKind::Latency {
            target: t,
            add_ms: 200.0,
        },
        "errors" => FaultKind::Errors {
            target: t,
            probability: 0.5,
        },
        "partition" => {
            let (from, to) = target.split_once(" → ")?;
            FaultKind::Partition {
                from: from.into(),
                to: to.into(),
            }
        }
        "replication_lag" => FaultKind::ReplicationLag {
            target: t,
            multiplier: 20.0,
        },
        "contract_change" => FaultKind::ContractChange {
            target: t,
            contract: 2,
        },
        "slow_query" => FaultKind::SlowQuery { target: t },
        _ => return None,
    })
}

/// A fault in words, naming components as people named them.
pub fn describe(f: &Fault, scenario: &Scenario) -> String {
    let name = |id: &str| crate::state::display_name_of(scenario, id);
    let what = match &f.fault {
        FaultKind::TrafficSpike { target, multiplier } => {
            format!("{}: traffic ×{multiplier}", name(target))
        }
        FaultKind::Crash { target } => format!("{}: crash", name(target)),
        FaultKind::Latency { target, add_ms } => format!("{}: +{add_ms} ms", name(target)),
        FaultKind::Errors {
            target,
            probability,
        } => format!("{}: {:.0}% errors", name(target), probability * 100.0),
        FaultKind::Partition { from, to } => {
            format!("{} → {}: partition", name(from), name(to))
        }
        FaultKind::ReplicationLag { target, multiplier } => {
            format!("{}: lag ×{multiplier}", name(target))
        }
        FaultKind::ContractChange { target, contract } => {
            format!("{}: format v{contract}", name(target))
        }
        FaultKind::SlowQuery { target } => format!("{}: index dropped", name(target)),
    };
    match f.duration_s {
        Some(d) => format!("{what}, {:.0}–{:.0} s", f.at_s, f.at_s + d),
        None => format!("{what}, from {:.0} s", f.at_s),
    }
}

/// Properties of [`Faults`].
#[derive(Properties, PartialEq, Debug)]
pub struct FaultsProps {
    /// The document.
    pub scenario: Rc<Scenario>,
    /// Simulated seconds now.
    pub now_s: f64,
    /// A new fault.
    pub on_add: Callback<Fault>,
    /// Remove the fault at an index.
    pub on_remove: Callback<usize>,
    /// Why the faults are locked, when they are (a lesson's world): listed, not changed.
    #[prop_or_default]
    pub locked: Option<AttrValue>,
    /// Whether locked faults are kept out of sight (a lesson whose culprit is to be found).
    #[prop_or_default]
    pub hidden: bool,
    /// Why the running simulation refused the last fault injected here, if it did.
    #[prop_or_default]
    pub refusal: Option<AttrValue>,
}

/// The fault panel.
#[function_component(Faults)]
pub fn faults(props: &FaultsProps) -> Html {
    let kind = use_state(|| "crash".to_string());
    let target = use_state(String::new);
    let delay = use_state(|| 0.0f64);
    let duration = use_state(|| 10.0f64);
    let applies = engine::topology::fault_targets(kind.as_str());
    // (value, what the option shows): ids travel, names are shown.
    let name = |id: &str| crate::state::display_name_of(&props.scenario, id);
    let options: Vec<(String, String)> = if kind.as_str() == "partition" {
        props
            .scenario
            .wires
            .iter()
            .map(|w| {
                (
                    format!("{} → {}", w.from, w.to),
                    format!("{} → {}", name(&w.from), name(&w.to)),
                )
            })
            .collect()
    } else {
        props
            .scenario
            .components
            .iter()
            .filter(|c| applies.contains(&c.spec.kind_name()))
            .map(|c| (c.id.clone(), name(&c.id)))
            .collect()
    };
    let targets: Vec<String> = options.iter().map(|o| o.0.clone()).collect();
    let chosen = if targets.contains(&target) {
        (*target).clone()
    } else {
        targets.first().cloned().unwrap_or_default()
    };
    let add = {
        let (kind, chosen, delay, duration) = ((*kind).clone(), chosen.clone(), *delay, *duration);
        let on_add = props.on_add.clone();
        let now = props.now_s;
        Callback::from(move |_: MouseEvent| {
            if let Some(fault) = make(&kind, &chosen) {
                on_add.emit(Fault {
                    at_s: (now + delay).max(0.0),
                    duration_s: (duration > 0.0).then_some(duration),
                    fault,
                });
            }
        })
    };
    let select = |state: UseStateHandle<String>| {
        Callback::from(move |e: Event| {
            if let Some(s) = e.target_dyn_into::<HtmlSelectElement>() {
                state.set(s.value());
            }
        })
    };
    let number = |state: UseStateHandle<f64>| {
        Callback::from(move |e: Event| {
            if let Some(i) = e.target_dyn_into::<HtmlInputElement>() {
                if let Ok(v) = i.value().parse::<f64>() {
                    if v.is_finite() && v >= 0.0 {
                        state.set(v);
                    }
                }
            }
        })
    };
    // A lesson that holds its faults fixed shows them without the means to change them.
    if let Some(why) = &props.locked {
        return html! {
            <section class="faults" aria-label="Faults">
                <h2>{ "Faults" }</h2>
                <p class="locked-note">{ crate::components::inspector::lock_icon(None) }{ format!(" Locked: {why}") }</p>
                if props.hidden {
                    <p class="hint">{ "What goes wrong is yours to find: it is listed here once you have named the culprit." }</p>
                } else {
                    <ul class="fault-list">
                        { for props.scenario.faults.iter().map(|f| html! { <li>{ describe(f, &props.scenario) }</li> }) }
                        if props.scenario.faults.is_empty() { <li>{ "none" }</li> }
                    </ul>
                }
            </section>
        };
    }
    html! {
        <section class="faults" aria-label="Faults">
            <h2>{ "Faults" }</h2>
            <div class="fault-form">
                <select aria-label="Fault" onchange={select(kind.clone())}>
                    { for KINDS.iter().map(|(k, label)| html! { <option value={*k} selected={*k == kind.as_str()}>{ *label }</option> }) }
                </select>
                <select aria-label="Target" onchange={select(target.clone())}>
                    { for options.iter().map(|(t, shown)| html! { <option value={t.clone()} selected={*t == chosen}>{ shown.clone() }</option> }) }
                </select>
                <label class="inline">{ "in " }<input type="number" min="0" step="1" placeholder="0" onchange={number(delay.clone())} aria-label="Starts in (seconds)" />{ " s" }</label>
                <label class="inline">{ "for " }<input type="number" min="0" step="1" placeholder="10" onchange={number(duration.clone())} aria-label="Lasts (seconds, 0 for ever)" />{ " s" }</label>
                <button onclick={add} disabled={targets.is_empty()}>{ "Inject" }</button>
            </div>
            if let Some(text) = &props.refusal {
                <p class="field-error" role="alert">{ format!("The running simulation refused this fault: {text} It starts again from your document.") }</p>
            }
            <ul class="fault-list">
                { for props.scenario.faults.iter().enumerate().map(|(i, f)| {
                    let on_remove = props.on_remove.clone();
                    html! { <li>{ describe(f, &props.scenario) }<button class="small" onclick={Callback::from(move |_| on_remove.emit(i))} aria-label="Remove fault">{ "×" }</button></li> }
                }) }
            </ul>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_panel_offers_every_fault_the_engine_has_and_each_can_be_made() {
        let offered: Vec<&str> = KINDS.iter().map(|(k, _)| *k).collect();
        assert_eq!(offered, engine::scenario::FAULT_KINDS);
        for kind in offered {
            let target = if kind == "partition" { "a → b" } else { "a" };
            let fault = make(kind, target).unwrap_or_else(|| panic!("{kind}"));
            assert_eq!(fault.kind_name(), kind);
        }
    }
}
