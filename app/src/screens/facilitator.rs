//! The facilitator window (`#facilitator`, opened from the top bar's Facilitator button): paired
//! with the projected tab of the same browser through a `BroadcastChannel`, no server. It shows
//! the notes for what is projected, a timer with stages, and buttons that act on the projected
//! run now: play, pause, reset, fire a fault, pin A and compare, reveal the next hint, release
//! the solution, projector mode (docs/workshops.md; messages in [`crate::facilitator`]).

use crate::components::topbar::PRODUCT_NAME;
use crate::facilitator::{Command, Solution, Status};
use crate::hooks::{post, use_channel};
use crate::markdown;
use std::cell::RefCell;
use std::rc::Rc;
use yew::prelude::*;

/// The timer's stages unless the facilitator writes their own: minutes and a name, one a line.
const STAGES: &str = "5 Predict\n15 Challenge\n10 Debrief";

/// The facilitator screen.
#[function_component(FacilitatorScreen)]
pub fn facilitator_screen() -> Html {
    let status = use_state_eq(|| None::<Status>);
    let channel = {
        let status = status.clone();
        use_channel(Rc::new(move |_, message| {
            if let Some(s) = Status::from_message(&message) {
                status.set(Some(s));
            }
        }))
    };
    {
        // Ask who is there once the channel is open (effects run in order).
        let channel = channel.clone();
        use_effect_with((), move |_| {
            if let Some(ch) = channel.borrow().as_ref() {
                post(ch, &Command::Hello.to_message());
            }
        });
    }
    let send = {
        let channel = channel.clone();
        move |command: Command| {
            let channel: Rc<RefCell<Option<web_sys::BroadcastChannel>>> = channel.clone();
            Callback::from(move |_: MouseEvent| {
                if let Some(ch) = channel.borrow().as_ref() {
                    post(ch, &command.to_message());
                }
            })
        }
    };
    let seconds = use_state_eq(|| Some(10.0));
    let on_seconds = {
        let seconds = seconds.clone();
        Callback::from(move |e: Event| {
            if let Some(s) = e.target_dyn_into::<web_sys::HtmlSelectElement>() {
                seconds.set(s.value().parse::<f64>().ok());
            }
        })
    };

    let Some(s) = (*status).clone() else {
        return html! {
            <div class="facilitator">
                <header class="topbar"><h1>{ format!("{PRODUCT_NAME}: facilitator") }</h1></header>
                <p class="notice" role="status">{ "Waiting for the playground: open a lesson, a challenge or the sandbox in another tab or window of this browser and keep it open. This window pairs with it on its own." }</p>
                <button onclick={send(Command::Hello)}>{ "Look again" }</button>
            </div>
        };
    };
    let faults = s.components.iter().filter(|(_, _, f)| !f.is_empty()).map(|(id, name, kinds)| {
        html! {
            <li>
                <span class="facilitator-target">{ name.clone() }</span>
                { for kinds.iter().filter(|k| k.as_str() != "partition").map(|k| html! {
                    <button onclick={send(Command::Fault { kind: k.clone(), target: id.clone(), seconds: *seconds })}
                        aria-label={format!("{} on {name}", k.replace('_', " "))}>{ k.replace('_', " ") }</button>
                }) }
            </li>
        }
    });
    let all_shown = s.hints_shown >= s.hints.len();
    let release = match s.solution {
        Solution::Sealed => {
            html! { <button onclick={send(Command::Release)}>{ "Release the solution on the projector" }</button> }
        }
        Solution::Released => {
            html! { <p class="hint">{ "The solution is released on the projector." }</p> }
        }
        Solution::None => html! {},
    };
    html! {
        <div class="facilitator">
            <header class="topbar">
                <h1>{ format!("{PRODUCT_NAME}: facilitator") }</h1>
                <span class="doc-name" role="status">{ format!("Paired: {} · {:.1} s · {}", s.title, s.now_s, if s.running { "playing" } else { "paused" }) }</span>
            </header>
            <main class="facilitator-body">
                <section aria-label="Timer"><Timer /></section>
                <section aria-label="The projected run">
                    <h2>{ "The projected run" }</h2>
                    <div class="facilitator-row">
                        if s.running {
                            <button class="primary" onclick={send(Command::Pause)}>{ "Pause" }</button>
                        } else {
                            <button class="primary" onclick={send(Command::Play)}>{ "Play" }</button>
                        }
                        <button onclick={send(Command::Reset)}>{ "Reset" }</button>
                        <button onclick={send(Command::Pin)}>{ if s.pinned { "Pin again as A" } else { "Pin as A" } }</button>
                        <button onclick={send(Command::Compare)} disabled={!s.pinned}>{ "Compare with A" }</button>
                        <button aria-pressed={s.projector.to_string()} onclick={send(Command::Projector(!s.projector))}>{ "Projector mode" }</button>
                    </div>
                    <h3>{ "Fire a fault now" }</h3>
                    <label>{ "for " }
                        <select onchange={on_seconds} aria-label="How long">
                            <option value="10" selected={*seconds == Some(10.0)}>{ "10 s" }</option>
                            <option value="30" selected={*seconds == Some(30.0)}>{ "30 s" }</option>
                            <option value="end" selected={seconds.is_none()}>{ "the rest of the run" }</option>
                        </select>
                    </label>
                    <ul class="facilitator-faults">{ for faults }</ul>
                </section>
                <p><a href="#compare" target="_blank" rel="noopener">{ "Compare the room's answers ↗" }</a>{ " (paste the challenge link and the answer links from the chat)" }</p>
                <p><a href="#host" target="_blank" rel="noopener">{ "Open a live room ↗" }</a>{ " (served by `playground workshop`: the room joins by a QR code, predictions and answers arrive live)" }</p>
                <section aria-label="Notes">
                    <h2>{ "Notes" }</h2>
                    <div class="story">{ markdown::render(&s.notes) }</div>
                    if let Some(slug) = s.lesson.clone() {
                        <p><a href={format!("#notes={slug}")} target="_blank" rel="noopener">{ "The lesson's notes as a printable handout ↗" }</a></p>
                        <LessonNotes {slug} />
                    }
                    if !s.hints.is_empty() {
                        <h3>{ format!("Hints ({} of {} shown on the projector)", s.hints_shown.min(s.hints.len()), s.hints.len()) }</h3>
                        <ol class="facilitator-hints">
                            { for s.hints.iter().enumerate().map(|(i, h)| html! {
                                <li class={classes!((i < s.hints_shown).then_some("shown"))}>{ h.clone() }</li>
                            }) }
                        </ol>
                        if s.can_reveal {
                            <button onclick={send(Command::Hint)} disabled={all_shown}>{ "Reveal the next hint on the projector" }</button>
                        } else {
                            <p class="hint">{ "In a lesson the room asks for hints in the panel; in a challenge you release them from here." }</p>
                        }
                    }
                    { release }
                </section>
            </main>
        </div>
    }
}

/// Properties of [`LessonNotes`].
#[derive(Properties, PartialEq)]
struct LessonNotesProps {
    slug: String,
}

/// A lesson's facilitator notes (`facilitator.md` in its folder), fetched when shown.
#[function_component(LessonNotes)]
fn lesson_notes(props: &LessonNotesProps) -> Html {
    let text = use_state(|| None::<Result<String, String>>);
    {
        let text = text.clone();
        use_effect_with(props.slug.clone(), move |slug| {
            let url = format!("lessons/{slug}/facilitator.md");
            wasm_bindgen_futures::spawn_local(async move {
                text.set(Some(crate::io::fetch_text(&url).await));
            });
        });
    }
    match &*text {
        None => html! { <p class="hint">{ "Opening the lesson's notes…" }</p> },
        Some(Err(why)) => {
            html! { <p class="hint">{ format!("The lesson's notes could not be opened: {why}") }</p> }
        }
        Some(Ok(notes)) => {
            html! { <div class="story facilitator-notes">{ markdown::render(notes) }</div> }
        }
    }
}

/// A pacing timer with stages: minutes and a name, one a line; counts down the current stage.
#[function_component(Timer)]
fn timer() -> Html {
    let stages_text = use_state(|| STAGES.to_string());
    let stage = use_state_eq(|| 0usize);
    let elapsed = use_state_eq(|| 0u32);
    let running = use_state_eq(|| false);
    {
        let (elapsed, running_now) = (elapsed.clone(), *running);
        use_effect_with(running_now, move |&on| {
            use wasm_bindgen::closure::Closure;
            use wasm_bindgen::JsCast;
            let tick = Closure::<dyn Fn()>::new(move || elapsed.set(*elapsed + 1));
            let id = on
                .then(|| {
                    web_sys::window()?
                        .set_interval_with_callback_and_timeout_and_arguments_0(
                            tick.as_ref().unchecked_ref(),
                            1000,
                        )
                        .ok()
                })
                .flatten();
            move || {
                if let (Some(id), Some(w)) = (id, web_sys::window()) {
                    w.clear_interval_with_handle(id);
                }
                drop(tick);
            }
        });
    }
    let stages: Vec<(u32, String)> = stages_text
        .lines()
        .filter_map(|l| {
            let (m, name) = l.trim().split_once(' ')?;
            Some((m.parse::<u32>().ok()?.min(600), name.trim().to_string()))
        })
        .take(20)
        .collect();
    let (minutes, name) = stages.get(*stage).cloned().unwrap_or((0, "Done".into()));
    let left = i64::from(minutes) * 60 - i64::from(*elapsed);
    let shown = format!(
        "{}{}:{:02}",
        if left < 0 { "−" } else { "" },
        left.abs() / 60,
        left.abs() % 60
    );
    let toggle = {
        let running = running.clone();
        Callback::from(move |_: MouseEvent| running.set(!*running))
    };
    let next = {
        let (stage, elapsed, count) = (stage.clone(), elapsed.clone(), stages.len());
        Callback::from(move |_: MouseEvent| {
            stage.set((*stage + 1).min(count));
            elapsed.set(0);
        })
    };
    let edit = {
        let stages_text = stages_text.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(t) = e.target_dyn_into::<web_sys::HtmlTextAreaElement>() {
                stages_text.set(t.value());
            }
        })
    };
    html! {
        <div class="timer">
            <h2>{ "Timer" }</h2>
            <p class={classes!("timer-clock", (left < 0).then_some("over"))} aria-live="off">
                <span class="timer-stage">{ format!("{name}: ") }</span>{ shown }
            </p>
            <button class="primary" onclick={toggle}>{ if *running { "Pause timer" } else { "Start timer" } }</button>
            <button onclick={next}>{ "Next stage" }</button>
            <details>
                <summary>{ "Stages" }</summary>
                <label for="timer-stages">{ "Minutes and a name, one stage a line" }</label>
                <textarea id="timer-stages" rows="4" value={(*stages_text).clone()} oninput={edit} />
            </details>
        </div>
    }
}
