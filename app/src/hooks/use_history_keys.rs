//! Undo and redo from the keyboard, anywhere on the page: also when focus fell back to the page
//! body (after the focused card was deleted, say), but not while typing in a field.

use crate::io;
use crate::state::Action;
use yew::prelude::*;

/// Ctrl+Z undoes, Ctrl+Shift+Z and Ctrl+Y redo (Cmd on a Mac), through `edit`.
#[hook]
pub fn use_history_keys(edit: Callback<Action>) {
    use_effect_with(edit, move |edit| {
        let edit = edit.clone();
        let listener = wasm_bindgen::closure::Closure::<dyn Fn(web_sys::KeyboardEvent)>::new(
            move |e: web_sys::KeyboardEvent| {
                let typing = e
                    .target()
                    .and_then(|t| {
                        wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlInputElement>(t).ok()
                    })
                    .is_some();
                if !(e.ctrl_key() || e.meta_key()) || typing {
                    return;
                }
                let action = match (e.key().to_ascii_lowercase().as_str(), e.shift_key()) {
                    ("z", false) => Action::Undo,
                    ("z", true) | ("y", _) => Action::Redo,
                    _ => return,
                };
                e.prevent_default();
                edit.emit(action);
            },
        );
        io::on_window("keydown", listener)
    });
}
