//! The inspector when several components are selected, or nothing is.

use crate::state::Action;
use yew::prelude::*;

/// Properties of [`SelectionInspector`].
#[derive(Properties, PartialEq, Debug)]
pub struct SelectionInspectorProps {
    /// The selected components' ids; empty when nothing is selected.
    pub ids: Vec<String>,
    /// Edits go here.
    pub edit: Callback<Action>,
}

/// What the side panel says about a multi-selection (and offers to delete it), or how to start
/// when nothing is selected.
#[function_component(SelectionInspector)]
pub fn selection_inspector(props: &SelectionInspectorProps) -> Html {
    if props.ids.is_empty() {
        return html! {
            <section class="inspector empty" aria-label="Inspector">
                <h2>{ "Inspector" }</h2>
                <p class="hint">{ "Select a component to see its parameters and switches, or a wire to change how it is called. Charts show the whole system until you select something." }</p>
            </section>
        };
    }
    let delete = {
        let edit = props.edit.clone();
        Callback::from(move |_: MouseEvent| edit.emit(Action::DeleteSelected))
    };
    html! {
        <section class="inspector" aria-label="Inspector">
            <h2>{ format!("{} components selected", props.ids.len()) }</h2>
            <p class="hint">{ props.ids.join(", ") }{ ". Shift-click a card to add or remove it." }</p>
            <button class="danger" onclick={delete}>{ "Delete them" }</button>
        </section>
    }
}
