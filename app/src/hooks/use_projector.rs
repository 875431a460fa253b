//! Projector mode: large type, thick lines, high contrast and the editing chrome hidden, for a
//! room reading the screen from its back row (docs/workshops.md). The app holds it in a context;
//! the root element carries `data-projector` for the stylesheet, and charts draw larger.

use yew::prelude::*;

/// Whether projector mode is on, and the way to turn it on or off.
#[derive(Debug, Clone, PartialEq)]
pub struct Projector {
    pub on: bool,
    pub set: Callback<bool>,
}

/// The app's projector mode, mirrored on the root element's `data-projector` attribute.
#[hook]
pub fn use_projector() -> Projector {
    let on = use_state_eq(|| false);
    let set = {
        let on = on.clone();
        Callback::from(move |v: bool| {
            // The attribute first, so the screens re-render (and measure) under the new styles.
            mark_root(v);
            on.set(v)
        })
    };
    Projector { on: *on, set }
}

/// Sets or clears `data-projector` on the root element.
fn mark_root(on: bool) {
    if let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        let _ = if on {
            root.set_attribute("data-projector", "")
        } else {
            root.remove_attribute("data-projector")
        };
    }
}

/// Projector mode as the app provides it (off where no app provides it, as in tests).
#[hook]
pub fn use_projector_mode() -> bool {
    use_context::<Projector>().is_some_and(|p| p.on)
}

/// The top bar's switch for projector mode.
#[function_component(ProjectorToggle)]
pub fn projector_toggle() -> Html {
    let Some(p) = use_context::<Projector>() else {
        return html! {};
    };
    let (on, set) = (p.on, p.set.clone());
    let facilitator = Callback::from(|_: MouseEvent| {
        // A second window of this browser, paired through a BroadcastChannel.
        if let Some(w) = web_sys::window() {
            let url = format!("{}#facilitator", crate::io::page_address());
            let _ = w.open_with_url_and_target_and_features(
                &url,
                "playground-facilitator",
                "popup,width=620,height=860",
            );
        }
    });
    html! {
        <>
            <button class="small projector-toggle" aria-pressed={on.to_string()} onclick={Callback::from(move |_: MouseEvent| set.emit(!on))}
                title="Large type, thick lines and no editing chrome, for a room">{ "Projector" }</button>
            <button class="small facilitator-open edit-only" onclick={facilitator}
                title="Open a second window with notes, a timer and buttons that act on this tab's run">{ "Facilitator" }</button>
        </>
    }
}
