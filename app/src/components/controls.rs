//! The run controls: play, pause, step, reset, speed, seed and the simulated clock, plus the
//! document's undo, redo, import, export, share and new.

use yew::prelude::*;

/// Speeds offered, as multiples of real time.
pub const SPEEDS: [f64; 8] = [0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 25.0, 100.0];

/// A button of the toolbar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Control {
    /// Start the run.
    Play,
    /// Stop it.
    Pause,
    /// Advance 100 ms of simulated time.
    Step,
    /// Start the run again from time zero.
    Reset,
    /// Undo the last edit.
    Undo,
    /// Redo the last undone edit.
    Redo,
    /// Save the scenario as a file.
    Export,
    /// Put the scenario and seed in the address bar and copy the link.
    Share,
    /// Save a picture of the design: SVG.
    DiagramSvg,
    /// Save a picture of the design: PNG.
    DiagramPng,
    /// Save the design as a Mermaid flowchart.
    DiagramMermaid,
    /// Open the Embed dialog (snippets for a blog post).
    Embed,
    /// Open the Challenge dialog (a link for a workshop).
    Challenge,
    /// Start from an empty canvas.
    New,
}

/// Properties of [`Controls`].
#[derive(Properties, PartialEq, Debug)]
pub struct ControlsProps {
    /// Whether the simulation runs.
    pub running: bool,
    /// Whether there is a valid simulation to run.
    pub runnable: bool,
    /// Simulated seconds so far.
    pub clock_s: f64,
    /// Speed multiple.
    pub speed: f64,
    /// Seed.
    pub seed: u64,
    /// Whether undo / redo are possible.
    pub can_undo: bool,
    /// See `can_undo`.
    pub can_redo: bool,
    /// A button pressed.
    pub on: Callback<Control>,
    /// A new speed.
    pub on_speed: Callback<f64>,
    /// A new seed.
    pub on_seed: Callback<u64>,
    /// A file chosen for import.
    pub on_import: Callback<web_sys::File>,
}

/// The toolbar.
#[function_component(Controls)]
pub fn controls(props: &ControlsProps) -> Html {
    let emit = |control: Control| {
        let on = props.on.clone();
        Callback::from(move |_: MouseEvent| on.emit(control))
    };
    // A choice in a menu closes the menu.
    let pick = |control: Control| {
        let on = props.on.clone();
        Callback::from(move |e: MouseEvent| {
            let menu = e
                .target_dyn_into::<web_sys::Element>()
                .and_then(|t| t.closest("details").ok().flatten());
            if let Some(menu) = menu {
                let _ = menu.remove_attribute("open");
            }
            on.emit(control);
        })
    };
    let on_speed = props.on_speed.clone();
    let on_seed = props.on_seed.clone();
    let on_import = props.on_import.clone();
    html! {
        <div class="controls" role="toolbar" aria-label="Simulation controls">
            if props.running {
                <button class="primary" onclick={emit(Control::Pause)} aria-label="Pause">{ "❚❚ Pause" }</button>
            } else {
                <button class="primary" onclick={emit(Control::Play)} disabled={!props.runnable} aria-label="Play">{ "▶ Play" }</button>
            }
            <button onclick={emit(Control::Step)} disabled={!props.runnable} title="Advance 100 ms of simulated time">{ "Step" }</button>
            <button onclick={emit(Control::Reset)} title="Start the run again from time zero">{ "Reset" }</button>
            <label class="inline">{ "Speed " }{ speed_select(props.speed, on_speed) }</label>
            <SeedInput seed={props.seed} on_seed={on_seed} />
            <span class="clock" aria-live="off" title="Simulated time">{ format!("{:.1} s", props.clock_s) }</span>
            <span class="spacer" />
            <button class="edit-only" onclick={emit(Control::Undo)} disabled={!props.can_undo} title="Undo (Ctrl+Z)">{ "Undo" }</button>
            <button class="edit-only" onclick={emit(Control::Redo)} disabled={!props.can_redo} title="Redo (Ctrl+Shift+Z)">{ "Redo" }</button>
            <label class="button edit-only" title="Open a scenario file">{ "Import" }
                <input type="file" accept=".json,application/json" class="visually-hidden" onchange={Callback::from(move |e: Event| {
                    if let Some(input) = e.target_dyn_into::<web_sys::HtmlInputElement>() {
                        if let Some(file) = input.files().and_then(|f| f.get(0)) { on_import.emit(file); }
                        input.set_value("");
                    }
                })} />
            </label>
            <button class="edit-only" onclick={emit(Control::Export)} title="Save the scenario as a file">{ "Export" }</button>
            <details class="menu edit-only">
                <summary title="Save a picture of the design for a design doc or a post">{ "Diagram" }</summary>
                <div class="menu-items" role="group" aria-label="Diagram formats">
                    <button onclick={pick(Control::DiagramSvg)} title="The design as an SVG drawing">{ "SVG" }</button>
                    <button onclick={pick(Control::DiagramPng)} title="The design as a PNG image">{ "PNG" }</button>
                    <button onclick={pick(Control::DiagramMermaid)} title="The design as a Mermaid flowchart, to paste into Markdown">{ "Mermaid" }</button>
                </div>
            </details>
            <button class="edit-only" onclick={emit(Control::Share)} title="Put the scenario and seed in the address bar and copy the link">{ "Share link" }</button>
            <button class="edit-only" onclick={emit(Control::Embed)} title="Put this scenario in a blog post: pick what readers see and copy a snippet">{ "Embed" }</button>
            <button class="edit-only" onclick={emit(Control::Challenge)} title="Turn this into a challenge link for a workshop">{ "Challenge" }</button>
            <button class="edit-only" onclick={emit(Control::New)} title="Start from an empty canvas (undo brings the old one back)">{ "New" }</button>
        </div>
    }
}

/// The list of speeds, `speed` chosen; a choice goes to `on_speed` (the embed view's bar uses
/// it too).
pub fn speed_select(speed: f64, on_speed: Callback<f64>) -> Html {
    html! {
        <select aria-label="Speed" onchange={Callback::from(move |e: Event| {
            if let Some(s) = e.target_dyn_into::<web_sys::HtmlSelectElement>() {
                if let Ok(v) = s.value().parse() { on_speed.emit(v); }
            }
        })}>
            { for SPEEDS.iter().map(|s| html! { <option value={s.to_string()} selected={(*s - speed).abs() < 1e-9}>{ format!("{s}×") }</option> }) }
        </select>
    }
}

/// Properties of [`SeedInput`].
#[derive(Properties, PartialEq, Debug)]
pub struct SeedInputProps {
    /// The seed.
    pub seed: u64,
    /// A new seed.
    pub on_seed: Callback<u64>,
}

/// The seed field, its own component so the toolbar's redraws while a run plays (the clock)
/// do not reset what is being typed in it.
#[function_component(SeedInput)]
pub fn seed_input(props: &SeedInputProps) -> Html {
    let on_seed = props.on_seed.clone();
    html! {
        <label class="inline">{ "Seed " }
            <input class="seed" type="number" min="0" value={props.seed.to_string()} aria-label="Seed"
                onchange={Callback::from(move |e: Event| {
                    if let Some(i) = e.target_dyn_into::<web_sys::HtmlInputElement>() {
                        if let Ok(v) = i.value().trim().parse() { on_seed.emit(v); }
                    }
                })} />
        </label>
    }
}
