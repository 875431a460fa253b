//! The shortcut check in the Challenge dialog: the engine's shortcut search run on the
//! challenge's start in a Web Worker (`shortcuts-worker.js`, the npm package's engine), so a
//! facilitator is warned, with each edit named, before sharing a challenge that can be passed
//! without its idea (docs/workshops.md).

use crate::challenge::Challenge;
use crate::io;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// Runs a search in the browser makes: every single edit of a lesson-sized design and some
/// pairs, about ten seconds on a laptop.
const BUDGET: u32 = 300;

/// Where the check stands.
#[derive(Debug, Clone, PartialEq)]
enum Check {
    Running { runs: u64, planned: u64 },
    Done(Found),
    Failed(String),
}

/// What a finished search found, in the dialog's words.
#[derive(Debug, Clone, PartialEq)]
struct Found {
    runs: u64,
    seeds: String,
    start_passes: bool,
    shortcuts: Vec<String>,
}

impl Found {
    /// From the worker's summary (a `ShortcutSummary`).
    fn read(summary: &serde_json::Value) -> Found {
        let seeds: Vec<String> = summary["seeds"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|s| s.as_u64().map(|s| s.to_string()))
            .collect();
        Found {
            runs: summary["runs"].as_u64().unwrap_or(0),
            seeds: seeds.join(" and "),
            start_passes: summary["start_passes"].as_bool().unwrap_or(false),
            shortcuts: summary["found"]
                .as_array()
                .into_iter()
                .flatten()
                .filter(|f| f["verdict"]["verdict"] == "shortcut")
                .filter_map(|f| f["edit"]["words"].as_str())
                .map(|w| w.chars().take(300).collect())
                .take(20)
                .collect(),
        }
    }
}

/// The worker and its listener, kept while the dialog is open.
type Running = (
    web_sys::Worker,
    wasm_bindgen::closure::Closure<dyn FnMut(web_sys::MessageEvent)>,
);

/// Properties of [`ShortcutCheck`].
#[derive(Properties, PartialEq, Debug)]
pub struct ShortcutCheckProps {
    /// The challenge whose start is searched (its solution tells its own fix apart).
    pub from: Rc<Challenge>,
}

/// The check: started when the dialog opens, stopped when it closes.
#[function_component(ShortcutCheck)]
pub fn shortcut_check(props: &ShortcutCheckProps) -> Html {
    let check = use_state(|| Check::Running {
        runs: 0,
        planned: u64::from(BUDGET),
    });
    let worker = use_mut_ref(|| None::<Running>);
    {
        let (check, worker, from) = (check.clone(), worker.clone(), props.from.clone());
        use_effect_with((), move |()| {
            match start(&from, check.clone()) {
                Ok(w) => *worker.borrow_mut() = Some(w),
                Err(why) => check.set(Check::Failed(why)),
            }
            move || {
                if let Some((w, _)) = worker.borrow_mut().take() {
                    w.terminate();
                }
            }
        });
    }
    let body = match &*check {
        Check::Running { runs, planned } => html! {
            <p>{ format!("Looking for shortcuts: {runs} of about {planned} runs…") }</p>
        },
        Check::Failed(why) => html! {
            <p>{ format!("The shortcut check could not run: {why}") }</p>
        },
        Check::Done(found) if found.start_passes => html! {
            <p class="shortcut-warning">{ "The start already meets every goal: there is nothing to solve." }</p>
        },
        Check::Done(found) if found.shortcuts.is_empty() => html! {
            <p>{ format!("No shortcut found: {} runs of single edits and pairs on seeds {} pass only with the idea.", found.runs, found.seeds) }</p>
        },
        Check::Done(found) => html! {
            <div class="shortcut-warning">
                <p><strong>{ format!("{} way{} to meet every goal without the idea (seeds {}):", found.shortcuts.len(), if found.shortcuts.len() == 1 { "" } else { "s" }, found.seeds) }</strong></p>
                <ul>{ for found.shortcuts.iter().map(|w| html! { <li>{ w.clone() }</li> }) }</ul>
                <p>{ "Lock what these change (by kind, or the call itself), or add a goal that sees what they break, before you share the link." }</p>
            </div>
        },
    };
    html! {
        <section class="shortcut-check" aria-live="polite" aria-label="Shortcut check">
            <h3>{ "Shortcut check" }</h3>
            { body }
        </section>
    }
}

/// Starts the worker on the challenge's start (its seed and the next), posting its progress and
/// verdict into `check`.
fn start(from: &Challenge, check: UseStateHandle<Check>) -> Result<Running, String> {
    let options = web_sys::WorkerOptions::new();
    options.set_type(web_sys::WorkerType::Module);
    let worker = web_sys::Worker::new_with_options("shortcuts-worker.js", &options)
        .map_err(|_| "this browser could not start a worker.".to_string())?;
    // The worker posts its progress, then one verdict, in that order.
    let on_message = wasm_bindgen::closure::Closure::<dyn FnMut(web_sys::MessageEvent)>::new(
        move |e: web_sys::MessageEvent| {
            let Some(m) = io::message_json(&e, 500_000) else {
                return;
            };
            match m["type"].as_str() {
                Some("progress") => check.set(Check::Running {
                    runs: m["runs"].as_u64().unwrap_or(0),
                    planned: m["planned"].as_u64().unwrap_or(0),
                }),
                Some("done") => check.set(Check::Done(Found::read(&m["summary"]))),
                Some("error") => {
                    let why = m["error"].as_str().unwrap_or("unknown error");
                    check.set(Check::Failed(why.chars().take(300).collect()));
                }
                _ => {}
            }
        },
    );
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    let seed = from.start.seed;
    // A lesson's challenge starts from its start.json: the alternatives it accepts there are
    // not shortcuts.
    let accepted = from
        .lesson
        .as_deref()
        .map(|slug| crate::lessons::accepted_alternatives(slug, "start.json"))
        .unwrap_or_default();
    let message = serde_json::json!({
        "start": from.start.to_json(),
        "solution": from.solution.as_ref().map(|s| s.to_json()),
        "seeds": [seed, seed.wrapping_add(1)],
        "budget": BUDGET,
        "accepted": accepted,
    });
    let posted = io::js_value(&message).and_then(|v| worker.post_message(&v).ok());
    if posted.is_none() {
        worker.terminate();
        return Err("the challenge could not be handed to the worker.".into());
    }
    Ok((worker, on_message))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_summary_reads_as_the_shortcuts_a_facilitator_is_warned_of() {
        let summary = serde_json::json!({
            "singles": 80, "skipped": 30, "runs": 290, "stopped": 0, "seeds": [1, 2],
            "start_passes": false,
            "found": [
                {"edit": {"key": "set api.idempotency atomic_reserve", "words": "Set API's idempotency to atomic reserve", "family": "setting"}, "verdict": {"verdict": "solution"}},
                {"edit": {"key": "async api->psp", "words": "Make the wire API → Provider asynchronous (fire and forget)", "family": "dropped_work"}, "verdict": {"verdict": "shortcut"}},
                {"edit": {"key": "set shop.concurrency lock", "words": "Set Shop's concurrency to lock", "family": "setting"}, "verdict": {"verdict": "accepted", "why": "the other fix"}}
            ]
        });
        let found = Found::read(&summary);
        assert_eq!(found.runs, 290);
        assert_eq!(found.seeds, "1 and 2");
        assert!(!found.start_passes);
        assert_eq!(
            found.shortcuts,
            ["Make the wire API → Provider asynchronous (fire and forget)"]
        );
    }
}
