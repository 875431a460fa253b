//! Same-seed A/B: pin the system as it is (A), change a switch (B), and compare both runs from
//! time zero on the same seed, overlaid on one set of charts.

use yew::prelude::*;

/// Properties of [`Compare`].
#[derive(Properties, PartialEq, Debug)]
pub struct CompareProps {
    /// Whether a variant A is pinned, and its name.
    pub pinned: Option<String>,
    /// Whether a comparison is shown.
    pub showing: bool,
    /// Pin the current system as A.
    pub on_pin: Callback<()>,
    /// Run A and B and show them.
    pub on_compare: Callback<()>,
    /// Forget A and hide the comparison.
    pub on_clear: Callback<()>,
}

/// The A/B panel.
#[function_component(Compare)]
pub fn compare(props: &CompareProps) -> Html {
    let (pin, run, clear) = (
        props.on_pin.clone(),
        props.on_compare.clone(),
        props.on_clear.clone(),
    );
    html! {
        <section class="compare-panel" aria-label="A/B comparison">
            <h2>{ "A/B on the same seed" }</h2>
            if let Some(name) = &props.pinned {
                <p class="hint">{ format!("A is pinned ({name}). Change a switch, then compare: both runs start at zero with the same seed, so every difference comes from your change.") }</p>
                <div class="lesson-actions">
                    <button class="primary" onclick={Callback::from(move |_| run.emit(()))}>{ if props.showing { "Compare again" } else { "Compare A with now" } }</button>
                    <button onclick={Callback::from(move |_| pin.emit(()))}>{ "Pin again" }</button>
                    <button onclick={Callback::from(move |_| clear.emit(()))}>{ "Clear" }</button>
                </div>
            } else {
                <p class="hint">{ "Pin the system as it is, flip a switch, and see both runs overlaid." }</p>
                <button onclick={Callback::from(move |_| pin.emit(()))}>{ "Pin as A" }</button>
            }
        </section>
    }
}
