//! The Challenge dialog: a facilitator turns the lesson on screen (its start, hints and solution)
//! or the canvas (as the start) into a challenge link for the room, and a second link with the
//! solution released, to hand out afterwards (docs/workshops.md).

use crate::challenge::{Challenge, MAX_HINTS, MAX_TEXT};
use crate::components::dialog::{copy_on_click, Dialog};
use std::rc::Rc;
use yew::prelude::*;

/// Properties of [`ChallengeDialog`].
#[derive(Properties, PartialEq, Debug)]
pub struct ChallengeDialogProps {
    /// What the challenge starts from: a lesson's (with its hints and solution) or the canvas.
    pub from: Rc<Challenge>,
    /// Closes the dialog.
    pub on_close: Callback<()>,
}

/// The dialog.
#[function_component(ChallengeDialog)]
pub fn challenge_dialog(props: &ChallengeDialogProps) -> Html {
    let title = use_state(|| props.from.title.clone());
    let brief = use_state(|| props.from.brief.clone());
    let hints = use_state(|| props.from.hints.join("\n"));
    let with_solution = use_state(|| props.from.solution.is_some());
    let copied = use_state(|| None::<&'static str>);
    let clip = |t: &str| t.chars().take(MAX_TEXT).collect::<String>();
    let challenge = Challenge {
        title: clip(&title),
        brief: clip(&brief),
        start: props.from.start.clone(),
        hints: hints
            .lines()
            .map(str::trim)
            .filter(|h| !h.is_empty())
            .take(MAX_HINTS)
            .map(clip)
            .collect(),
        solution: props.from.solution.clone().filter(|_| *with_solution),
        released: false,
        lesson: props.from.lesson.clone(),
        find: props.from.find.clone(),
    };
    let base = crate::io::page_address();
    let link = format!("{base}#{}", challenge.link());
    let released = Challenge {
        released: true,
        ..challenge.clone()
    };
    let released_link = format!("{base}#{}", released.link());

    let text_input = |state: &UseStateHandle<String>| {
        let state = state.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(t) = e.target_dyn_into::<web_sys::HtmlTextAreaElement>() {
                state.set(t.value());
            } else if let Some(i) = e.target_dyn_into::<web_sys::HtmlInputElement>() {
                state.set(i.value());
            }
        })
    };
    let toggle = {
        let with_solution = with_solution.clone();
        Callback::from(move |_: Event| with_solution.set(!*with_solution))
    };
    let locked = props.from.start.locked.len();
    html! {
        <Dialog heading_id="challenge-dialog-title" title="Make a challenge" class="challenge-dialog" on_close={props.on_close.clone()}>
                <div class="embed-dialog-options">
                    <label for="challenge-title">{ "Title" }</label>
                    <input id="challenge-title" value={(*title).clone()} oninput={text_input(&title)} maxlength="200" />
                    <label for="challenge-brief">{ "Brief (what participants are asked to do)" }</label>
                    <textarea id="challenge-brief" rows="4" value={(*brief).clone()} oninput={text_input(&brief)} />
                    <label for="challenge-hints">{ format!("Hints, one a line, released in order (up to {MAX_HINTS})") }</label>
                    <textarea id="challenge-hints" rows="4" value={(*hints).clone()} oninput={text_input(&hints)} />
                    if props.from.solution.is_some() {
                        <label class="check"><input type="checkbox" checked={*with_solution} onchange={toggle} />
                            { "Include the solution, sealed until you hand out the released link" }</label>
                    } else {
                        <p class="hint">{ "From the canvas: no solution is included." }</p>
                    }
                    <p class="hint">{ format!(
                        "Participants start from {} with seed {}, its goals, and {locked} locked condition{} they cannot change. The link holds everything: a participant who decodes it can read the solution; the screen does not show it until released.",
                        if props.from.lesson.is_some() { "the lesson's start" } else { "the canvas as it is now" },
                        props.from.start.seed,
                        if locked == 1 { "" } else { "s" },
                    ) }</p>
                    <crate::components::shortcut_check::ShortcutCheck from={props.from.clone()} />
                </div>
                <div class="embed-dialog-snippets">
                    <div class="embed-snippet">
                        <label for="challenge-link">{ "Challenge link (for the room)" }</label>
                        <textarea id="challenge-link" readonly=true rows="2" value={link.clone()} />
                        <button onclick={copy_on_click(&copied, "challenge", link)}>{ if *copied == Some("challenge") { "Copied" } else { "Copy" } }</button>
                    </div>
                    if challenge.solution.is_some() {
                        <div class="embed-snippet">
                            <label for="challenge-released">{ "The same with the solution released (hand out at the end)" }</label>
                            <textarea id="challenge-released" readonly=true rows="2" value={released_link.clone()} />
                            <button onclick={copy_on_click(&copied, "released", released_link)}>{ if *copied == Some("released") { "Copied" } else { "Copy" } }</button>
                        </div>
                    }
                </div>
        </Dialog>
    }
}
