//! The palette: every kind in the engine's registry of kinds, with its badge letter and its
//! one-line explanation.
//! Drag a kind onto the canvas, or click it (or press Enter on it) to place it in a free spot.

use crate::state::Action;
use engine::kinds::KIND_INFO;
use web_sys::DragEvent;
use yew::prelude::*;

/// Properties of [`Palette`].
#[derive(Properties, PartialEq, Debug)]
pub struct PaletteProps {
    /// How many components are placed (to find a free spot).
    pub placed: usize,
    /// Edits go here.
    pub dispatch: Callback<Action>,
}

/// The palette of component kinds.
#[function_component(Palette)]
pub fn palette(props: &PaletteProps) -> Html {
    let items = KIND_INFO.iter().map(|info| {
        let kind = info.name;
        let ondragstart = Callback::from(move |e: DragEvent| {
            if let Some(dt) = e.data_transfer() {
                dt.set_data("text/plain", kind).ok();
            }
        });
        let dispatch = props.dispatch.clone();
        let n = props.placed as f64;
        let onclick = Callback::from(move |_: MouseEvent| {
            // Place new cards on a loose grid so they never land on top of each other.
            let (col, row) = (n % 4.0, (n / 4.0).floor());
            dispatch.emit(Action::Add { kind: kind.to_string(), x: 60.0 + col * 220.0, y: 60.0 + row * 120.0 });
        });
        html! {
            <li>
                <button class={classes!("palette-item", format!("kind-{kind}"))} draggable="true" {ondragstart} {onclick}
                    title={format!("Add: {}", info.description)}>
                    <span class="badge" aria-hidden="true">{ info.letter }</span>
                    <span class="palette-label">{ info.label }</span>
                </button>
            </li>
        }
    });
    html! {
        <nav class="palette" aria-label="Components">
            <h2>{ "Components" }</h2>
            <ul>{ for items }</ul>
            <p class="hint">{ "Drag onto the canvas or click to add. Wire by dragging from a card's right-hand dot, or focus a card, press C, Tab to the target and press Enter." }</p>
            <p class="hint keys">{ "Keys on a focused card: arrows move it (Shift: further), Delete removes it. Anywhere: Ctrl+Z undo, Ctrl+Shift+Z redo." }</p>
        </nav>
    }
}
