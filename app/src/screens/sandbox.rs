//! The sandbox: a free canvas, autosaved, where share links and imported files open.

use super::ScreenProps;
use crate::components::topbar::top_bar;
use crate::components::workbench::Workbench;
use crate::hooks::{open_link, use_autosave, use_run, use_session, use_shared_links};
use crate::io;
use crate::route::Route;
use crate::state::{starter, Editor};
use engine::{Scenario, Simulation};
use yew::prelude::*;

/// The sandbox's first document: a share link if the URL carries one, else the autosave, else
/// the starter scenario. A bad link leaves the saved work in place and says what is wrong.
fn sandbox_editor() -> Editor {
    let saved = io::autosaved()
        .and_then(|json: String| Scenario::from_json(&json).ok())
        .filter(|s| Simulation::new(s).is_ok() || !s.components.is_empty());
    let mut e = Editor::new(saved.unwrap_or_else(starter));
    if let Some(open) = open_link(&io::fragment()) {
        e.apply(open);
    }
    e
}

/// The sandbox screen.
#[function_component(SandboxScreen)]
pub fn sandbox_screen(props: &ScreenProps) -> Html {
    let session = use_session(Box::new(sandbox_editor));
    let run = use_run(&session);
    let unsaved = use_autosave(&session);
    use_shared_links(session.edit.clone());
    let on_home = {
        let navigate = props.navigate.clone();
        Callback::from(move |()| navigate.emit(Route::Home))
    };
    let document = session.borrow().editor.scenario.name.clone();
    html! {
        <div class="shell">
            { top_bar(Some(document), on_home) }
            <Workbench {session} {run} {unsaved} />
        </div>
    }
}
