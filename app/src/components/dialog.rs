//! What the app's dialogs share: the backdrop and a labelled section, focus moved to the Close
//! button when the dialog opens, Escape and Close to close it, and Copy buttons that say
//! "Copied" only when the browser really copied.

use crate::io;
use yew::prelude::*;

/// Properties of [`Dialog`].
#[derive(Properties, PartialEq, Debug)]
pub struct DialogProps {
    /// The heading's id (the section is labelled by it).
    pub heading_id: AttrValue,
    pub title: AttrValue,
    /// Classes of the section beside `embed-dialog`.
    #[prop_or_default]
    pub class: Classes,
    pub on_close: Callback<()>,
    #[prop_or_default]
    pub children: Html,
}

/// A modal dialog's frame around its content.
#[function_component(Dialog)]
pub fn dialog(props: &DialogProps) -> Html {
    let close_ref = use_node_ref();
    {
        // Focus moves into the dialog when it opens.
        let close_ref = close_ref.clone();
        use_effect_with((), move |_| {
            if let Some(button) = close_ref.cast::<web_sys::HtmlElement>() {
                let _ = button.focus();
            }
        });
    }
    let close = props.on_close.reform(|_: MouseEvent| ());
    let onkeydown = {
        let on_close = props.on_close.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Escape" {
                on_close.emit(());
            }
        })
    };
    html! {
        <div class="dialog-backdrop">
            <section class={classes!("embed-dialog", props.class.clone())} role="dialog" aria-modal="true"
                aria-labelledby={props.heading_id.clone()} {onkeydown}>
                <header class="embed-dialog-head">
                    <h2 id={props.heading_id.clone()}>{ props.title.clone() }</h2>
                    <button ref={close_ref} class="small" onclick={close} aria-label="Close">{ "×" }</button>
                </header>
                { props.children.clone() }
            </section>
        </div>
    }
}

/// A Copy button's click: copies `text`, and sets `copied` to `what` only when the browser did.
pub fn copy_on_click(
    copied: &UseStateHandle<Option<&'static str>>,
    what: &'static str,
    text: String,
) -> Callback<MouseEvent> {
    let copied = copied.clone();
    Callback::from(move |_: MouseEvent| {
        let (copied, text) = (copied.clone(), text.clone());
        wasm_bindgen_futures::spawn_local(async move {
            copied.set(io::copy(&text).await.then_some(what));
        });
    })
}
