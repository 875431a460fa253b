//! The bar across the top of every screen: the product's name (a way home) and the open
//! document's name.

use yew::prelude::*;

/// The product's name, shown in the top bar and the page title.
pub const PRODUCT_NAME: &str = "Backend Playground";

/// Properties of [`TopBar`].
#[derive(Properties, PartialEq, Debug)]
pub struct TopBarProps {
    /// The open document's name, on screens that have one.
    #[prop_or_default]
    pub document: Option<AttrValue>,
    /// The product's name was pressed: go home.
    pub on_home: Callback<()>,
}

/// The top bar.
#[function_component(TopBar)]
pub fn top_bar(props: &TopBarProps) -> Html {
    let on_home = props.on_home.clone();
    let home = Callback::from(move |e: MouseEvent| {
        e.prevent_default();
        on_home.emit(());
    });
    html! {
        <header class="topbar">
            <h1><a href="#" onclick={home}>{ PRODUCT_NAME }</a></h1>
            <span class="tagline">{ "Wire a backend, break it, and watch what happens." }</span>
            if let Some(name) = &props.document {
                <span class="doc-name">{ name.clone() }</span>
            }
        </header>
    }
}
