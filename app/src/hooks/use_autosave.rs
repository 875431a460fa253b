//! Autosave: every edit of the document is written to the browser's storage.

use super::SessionHandle;
use crate::io;
use yew::prelude::*;

/// Saves the document after every edit; true while the browser refuses (storage full or turned
/// off), so the screen can say so and nobody trusts a save that did not happen.
#[hook]
pub fn use_autosave(session: &SessionHandle) -> bool {
    let unsaved = use_state_eq(|| false);
    let revision = session.borrow().editor.revision;
    {
        let unsaved = unsaved.clone();
        let cell = session.cell();
        use_effect_with(revision, move |_| {
            let json = cell.borrow().editor.scenario.to_json();
            unsaved.set(!io::autosave(&json));
        });
    }
    *unsaved
}
