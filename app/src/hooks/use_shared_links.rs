//! Share links pasted into a tab that is already open: only the fragment changes, so the page
//! does not reload; the link is opened into the session like an import.

use crate::state::{Action, Notice};
use crate::{io, share};
use yew::prelude::*;

/// What a share link (or an answer link) in the fragment does to the editor: load its scenario,
/// or say what is wrong with it (the user's work stays). None for any other fragment.
pub fn open_link(fragment: &str) -> Option<Action> {
    if fragment.starts_with(crate::challenge::ANSWER_KEY) {
        // A participant's answer opens as their design, to look at and run.
        return Some(match crate::challenge::Answer::from_link(fragment) {
            Ok(a) => Action::Load {
                scenario: Box::new(a.scenario),
                source: format!("an answer to \"{}\"", a.title),
            },
            Err(text) => Action::Notify(Some(Notice {
                error: true,
                text: format!("{text} Your own work is unchanged."),
            })),
        });
    }
    if !fragment.starts_with(share::FRAGMENT_KEY) {
        return None;
    }
    Some(match share::decode(fragment) {
        Ok(s) => Action::Load {
            scenario: Box::new(s),
            source: "the shared link".into(),
        },
        Err(text) => Action::Notify(Some(Notice {
            error: true,
            text: format!("{text} Your own work is unchanged."),
        })),
    })
}

/// Opens every share link that arrives in the fragment while the screen is open, through `edit`.
#[hook]
pub fn use_shared_links(edit: Callback<Action>) {
    use_effect_with(edit, move |edit| {
        let edit = edit.clone();
        let listener = wasm_bindgen::closure::Closure::<dyn Fn()>::new(move || {
            if let Some(open) = open_link(&io::fragment()) {
                edit.emit(open);
            }
        });
        io::on_window("hashchange", listener)
    });
}
