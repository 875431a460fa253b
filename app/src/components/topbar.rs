//! The bar across the top of every screen: the product's name (a way home) and the open
//! document's name. A function rather than a component: it has no state, and each component is
//! compiled code of its own in the bundle.

use crate::hooks::ProjectorToggle;
use yew::prelude::*;

/// The product's name, shown in the top bar and the page title.
pub const PRODUCT_NAME: &str = "Backend Playground";

/// The top bar: `document` is the open document's name on screens that have one; pressing the
/// product's name calls `on_home`.
pub fn top_bar(document: Option<String>, on_home: Callback<()>) -> Html {
    let home = Callback::from(move |e: MouseEvent| {
        e.prevent_default();
        on_home.emit(());
    });
    html! {
        <header class="topbar">
            <h1><a href="#" onclick={home}>{ PRODUCT_NAME }</a></h1>
            <span class="tagline">{ "Wire a backend, break it, and watch what happens." }</span>
            if let Some(name) = document {
                <span class="doc-name">{ name }</span>
            }
            <ProjectorToggle />
        </header>
    }
}
