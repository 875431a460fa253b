//! The inspector when several components are selected, or nothing is. A function rather than a
//! component: it has no state, and each component is compiled code of its own in the bundle.

use crate::state::Action;
use yew::prelude::*;

/// What the side panel says about a multi-selection of `ids` (and offers to delete it), or, with
/// no ids, how to start.
pub fn selection_inspector(ids: &[String], edit: &Callback<Action>) -> Html {
    if ids.is_empty() {
        return html! {
            <section class="inspector empty" aria-label="Inspector">
                <h2>{ "Inspector" }</h2>
                <p class="hint">{ "Select a component to see its parameters and switches, or a wire to change how it is called. Charts show the whole system until you select something." }</p>
            </section>
        };
    }
    let delete = edit.reform(|_: MouseEvent| Action::DeleteSelected);
    html! {
        <section class="inspector" aria-label="Inspector">
            <h2>{ format!("{} components selected", ids.len()) }</h2>
            <p class="hint">{ ids.join(", ") }{ ". Shift-click a card to add or remove it." }</p>
            <button class="danger" onclick={delete}>{ "Delete them" }</button>
        </section>
    }
}
