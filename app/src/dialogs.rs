//! The Embed and Challenge dialogs, a part of the wasm file fetched the first time one opens
//! ([`crate::parts`]): most visitors never open either.

use crate::challenge::Challenge;
use crate::components::challenge_dialog::{ChallengeDialog, ChallengeDialogProps};
use crate::components::embed_dialog::{EmbedDialog, EmbedDialogProps};
use crate::parts::Late;
use engine::Scenario;
use std::rc::Rc;
use yew::prelude::*;

/// Which dialog to open, with what it needs.
#[derive(Debug, Clone, PartialEq)]
pub enum Request {
    /// The Embed dialog for the design and the lesson on screen, if any (slug and title).
    Embed {
        scenario: Rc<Scenario>,
        lesson: Option<(&'static str, AttrValue)>,
    },
    /// The Challenge dialog starting from this challenge.
    Challenge { from: Rc<Challenge> },
}

/// A dialog, drawn once its code has arrived.
#[derive(Properties, PartialEq, Debug, Clone)]
pub struct LazyDialogProps {
    /// What to open.
    pub request: Rc<Request>,
    /// Closes it.
    pub on_close: Callback<()>,
}

/// Fetches the dialogs' part (once a page) and opens the dialog; says so if it cannot be
/// fetched (offline, or a site missing the file), leaving the design as it was.
#[function_component(LazyDialog)]
pub fn lazy_dialog(props: &LazyDialogProps) -> Html {
    let close = props.on_close.reform(|_: MouseEvent| ());
    let failed = html! {
        <div class="dialog-backdrop">
            <section class="embed-dialog" role="alertdialog" aria-modal="true" aria-label="The dialog did not open">
                <p>{ "This dialog could not be loaded. Check the connection and try again; your design is unchanged." }</p>
                <button onclick={close}>{ "Close" }</button>
            </section>
        </div>
    };
    match crate::parts::provided().dialogs {
        Some(part) => html! {
            <Late<LazyDialogProps> props={props.clone()} {part} what="the dialog" failed={failed} />
        },
        None => failed,
    }
}

/// Draws the dialog a request names: the dialogs' part.
pub fn draw(props: &LazyDialogProps) -> Html {
    let on_close = props.on_close.clone();
    match &*props.request {
        Request::Embed { scenario, lesson } => {
            let props = EmbedDialogProps {
                scenario: scenario.clone(),
                lesson: lesson.clone(),
                on_close,
            };
            html! { <EmbedDialog ..props /> }
        }
        Request::Challenge { from } => {
            let props = ChallengeDialogProps {
                from: from.clone(),
                on_close,
            };
            html! { <ChallengeDialog ..props /> }
        }
    }
}
