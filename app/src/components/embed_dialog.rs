//! The Embed dialog: from the scenario on the canvas (or the lesson as it starts), the author
//! picks a size, a theme, the charts, the switches a reader may flip and autoplay; a live
//! preview shows the embed as the post will (the same `embed.html` the snippets name), and the
//! iframe snippet, the script-tag snippet and a plain link are there to copy
//! (docs/embedding.md). The options and snippets are written by `crate::embed`.

use crate::components::dialog::{copy_on_click, Dialog};
use crate::embed::{
    self, ControlsMode, EmbedOptions, Source, Theme, CHARTS, MAX_CHARTS, MAX_SWITCHES, SIZES,
};
use crate::share;
use engine::Scenario;
use std::rc::Rc;
use yew::prelude::*;

/// Properties of [`EmbedDialog`].
#[derive(Properties, PartialEq, Debug)]
pub struct EmbedDialogProps {
    /// The scenario on the canvas now.
    pub scenario: Rc<Scenario>,
    /// The lesson on screen, when it is one (its starting scenario can be embedded by name).
    #[prop_or_default]
    pub lesson: Option<(&'static str, AttrValue)>,
    /// Closes the dialog.
    pub on_close: Callback<()>,
}

/// What the author has chosen so far.
#[derive(Debug, Clone, PartialEq)]
struct Choice {
    /// Embed the lesson by name (its starting scenario) rather than the canvas as it is.
    by_lesson: bool,
    size: usize,
    fixed: bool,
    theme: Theme,
    charts: Vec<&'static str>,
    component: Option<String>,
    switches: Vec<String>,
    autoplay: bool,
    controls: ControlsMode,
    /// Show what happened under the charts.
    report: bool,
}

impl Choice {
    /// What the dialog opens with: the lesson by name where there is one, and the two charts
    /// that tell its story (latency and side effects; latency and throughput for a design).
    fn first(has_lesson: bool) -> Choice {
        Choice {
            by_lesson: has_lesson,
            size: 0,
            fixed: false,
            theme: Theme::Auto,
            charts: if has_lesson {
                vec!["latency", "side-effects"]
            } else {
                vec!["latency", "throughput"]
            },
            component: None,
            switches: Vec::new(),
            autoplay: false,
            controls: ControlsMode::Full,
            report: false,
        }
    }

    /// The embed's options and title for these choices: the lesson by its slug, or the design
    /// itself in the link.
    fn options(
        &self,
        scenario: &Scenario,
        lesson: Option<&(&'static str, AttrValue)>,
    ) -> (EmbedOptions, String) {
        let lesson = lesson.filter(|_| self.by_lesson);
        let options = EmbedOptions {
            source: match lesson {
                Some((slug, _)) => Source::Lesson(slug),
                None => Source::Shared(
                    share::encode(scenario)
                        .trim_start_matches(share::FRAGMENT_KEY)
                        .to_string(),
                ),
            },
            charts: self.charts.clone(),
            component: self.component.clone(),
            seed: Some(scenario.seed),
            autoplay: self.autoplay,
            theme: self.theme,
            controls: self.controls,
            switches: self.switches.clone(),
            report: self.report,
            ..EmbedOptions::default()
        };
        let title = match lesson {
            Some((_, title)) => title.to_string(),
            None => scenario.name.clone(),
        };
        (options, title)
    }

    /// A chart ticked or unticked (at most [`MAX_CHARTS`] ticked).
    fn toggle_chart(&mut self, name: &'static str) {
        if let Some(i) = self.charts.iter().position(|c| *c == name) {
            self.charts.remove(i);
        } else if self.charts.len() < MAX_CHARTS {
            self.charts.push(name);
        }
    }

    /// The switch in `slot` set to `path` ("" for none); the switches stay in slot order, each
    /// once, with no gaps.
    fn set_switch(&mut self, slot: usize, path: String) {
        let mut slots: Vec<String> = self.switches.clone();
        slots.resize(MAX_SWITCHES, String::new());
        if let Some(s) = slots.get_mut(slot) {
            *s = path;
        }
        self.switches.clear();
        for path in slots {
            if !path.is_empty() && !self.switches.contains(&path) {
                self.switches.push(path);
            }
        }
    }
}

/// The dialog.
#[function_component(EmbedDialog)]
pub fn embed_dialog(props: &EmbedDialogProps) -> Html {
    let choice = use_state(|| Choice::first(props.lesson.is_some()));
    let copied = use_state(|| None::<&'static str>);
    let c = (*choice).clone();
    let scenario = &props.scenario;
    let (options, title) = c.options(scenario, props.lesson.as_ref());
    let size = SIZES[c.size];
    // Where the embed cannot run, the diagram links to the playground.
    let open = match &options.source {
        Source::Lesson(slug) => format!("{}#lesson={slug}", base()),
        _ => format!("{}#{}", base(), share::encode(scenario)),
    };
    let picture = embed::fallback(&open, &crate::diagram::svg(scenario), &title);
    let snippets = embed::snippets(&base(), &options, size, c.fixed, &title, &picture);
    let preview = format!("embed.html#{}", embed::query(&options));

    let update = |f: fn(&mut Choice, String)| {
        let choice = choice.clone();
        Callback::from(move |e: Event| {
            let value = e
                .target_dyn_into::<web_sys::HtmlSelectElement>()
                .map(|s| s.value())
                .or_else(|| {
                    e.target_dyn_into::<web_sys::HtmlInputElement>().map(|i| {
                        if i.checked() {
                            "on".into()
                        } else {
                            String::new()
                        }
                    })
                })
                .unwrap_or_default();
            let mut next = (*choice).clone();
            f(&mut next, value);
            choice.set(next);
        })
    };
    let toggle_chart = |name: &'static str| {
        let choice = choice.clone();
        Callback::from(move |_: Event| {
            let mut next = (*choice).clone();
            next.toggle_chart(name);
            choice.set(next);
        })
    };
    let set_switch = |slot: usize| {
        let choice = choice.clone();
        Callback::from(move |e: Event| {
            let Some(s) = e.target_dyn_into::<web_sys::HtmlSelectElement>() else {
                return;
            };
            let mut next = (*choice).clone();
            next.set_switch(slot, s.value());
            choice.set(next);
        })
    };
    let candidates = embed::switch_candidates(scenario);
    let snippet = |what: &'static str, label: &str, text: String, rows: u32| {
        let id = format!("embed-snippet-{what}");
        html! {
            <div class="embed-snippet">
                <label for={id.clone()}>{ label.to_string() }</label>
                <textarea id={id} readonly=true rows={rows.to_string()} value={text.clone()} />
                <button onclick={copy_on_click(&copied, what, text)}>{ if *copied == Some(what) { "Copied" } else { "Copy" } }</button>
            </div>
        }
    };

    html! {
        <Dialog heading_id="embed-dialog-title" title="Embed in a post" on_close={props.on_close.clone()}>
                <div class="embed-dialog-body">
                    <div class="embed-dialog-options">
                        if let Some((_, lesson_title)) = &props.lesson {
                            <label>{ "Show " }
                                <select onchange={update(|c, v| c.by_lesson = v == "lesson")}>
                                    <option value="lesson" selected={c.by_lesson}>{ format!("the lesson \"{lesson_title}\" as it starts") }</option>
                                    <option value="canvas" selected={!c.by_lesson}>{ "the canvas as it is now" }</option>
                                </select>
                            </label>
                        }
                        <label>{ "Size " }
                            <select onchange={update(|c, v| c.size = v.parse().unwrap_or(0).min(SIZES.len() - 1))}>
                                { for SIZES.iter().enumerate().map(|(i, s)| html! { <option value={i.to_string()} selected={i == c.size}>{ s.name }</option> }) }
                            </select>
                        </label>
                        <label class="check"><input type="checkbox" checked={c.fixed} onchange={update(|c, v| c.fixed = !v.is_empty())} />
                            { format!("Fixed height ({} px) instead of fitting its content", size.height) }</label>
                        <label>{ "Theme " }
                            <select onchange={update(|c, v| c.theme = match v.as_str() { "light" => Theme::Light, "dark" => Theme::Dark, _ => Theme::Auto })}>
                                <option value="auto" selected={c.theme == Theme::Auto}>{ "as the reader's system" }</option>
                                <option value="light" selected={c.theme == Theme::Light}>{ "light" }</option>
                                <option value="dark" selected={c.theme == Theme::Dark}>{ "dark" }</option>
                            </select>
                        </label>
                        <fieldset>
                            <legend>{ format!("Charts (up to {MAX_CHARTS})") }</legend>
                            { for CHARTS.iter().map(|(name, title)| {
                                let on = c.charts.contains(name);
                                html! {
                                    <label class="check"><input type="checkbox" checked={on} disabled={!on && c.charts.len() >= MAX_CHARTS} onchange={toggle_chart(name)} />{ *title }</label>
                                }
                            }) }
                            <label>{ "About " }
                                <select onchange={update(|c, v| c.component = Some(v).filter(|v| !v.is_empty()))}>
                                    <option value="" selected={c.component.is_none()}>{ "the whole system" }</option>
                                    { for scenario.components.iter().map(|k| html! {
                                        <option value={k.id.clone()} selected={c.component.as_deref() == Some(k.id.as_str())}>{ if k.name.is_empty() { k.id.clone() } else { k.name.clone() } }</option>
                                    }) }
                                </select>
                            </label>
                        </fieldset>
                        <fieldset>
                            <legend>{ "Switches the reader may flip" }</legend>
                            { for (0..MAX_SWITCHES).map(|slot| {
                                let now = c.switches.get(slot).cloned().unwrap_or_default();
                                html! {
                                    <label>{ format!("Switch {} ", slot + 1) }
                                        <select onchange={set_switch(slot)} disabled={slot > c.switches.len()}>
                                            <option value="" selected={now.is_empty()}>{ "none" }</option>
                                            { for candidates.iter().map(|(path, label)| html! {
                                                <option value={path.clone()} selected={*path == now}>{ label.clone() }</option>
                                            }) }
                                        </select>
                                    </label>
                                }
                            }) }
                        </fieldset>
                        <label class="check"><input type="checkbox" checked={c.autoplay} onchange={update(|c, v| c.autoplay = !v.is_empty())} />
                            { "Play by itself when scrolled into view (not for readers who prefer less motion)" }</label>
                        <label class="check"><input type="checkbox" checked={c.report} onchange={update(|c, v| c.report = !v.is_empty())} />
                            { "Say what happened under the charts (the run's moments, in sentences)" }</label>
                        <label>{ "Controls " }
                            <select onchange={update(|c, v| c.controls = match v.as_str() { "minimal" => ControlsMode::Minimal, "none" => ControlsMode::None, _ => ControlsMode::Full })}>
                                <option value="full" selected={c.controls == ControlsMode::Full}>{ "Play, Reset, speed and clock" }</option>
                                <option value="minimal" selected={c.controls == ControlsMode::Minimal}>{ "Play only" }</option>
                                <option value="none" selected={c.controls == ControlsMode::None}>{ "none" }</option>
                            </select>
                        </label>
                        <p class="hint">{ format!("Seed {} is in the snippet, so the numbers readers see match yours.", scenario.seed) }</p>
                    </div>
                    <div class="embed-dialog-preview">
                        <iframe src={preview} title="Preview of the embed" style={format!("max-width: {}px; height: {}px", size.width, size.height)} />
                    </div>
                </div>
                <div class="embed-dialog-snippets">
                    { snippet("element", "Script tag and element", snippets.element, 3) }
                    { snippet("iframe", "Iframe (where posts cannot hold scripts)", snippets.iframe, 3) }
                    { snippet("link", "Link", snippets.link, 2) }
                </div>
        </Dialog>
    }
}

/// The playground's own address up to its last `/` (where `embed.html` and `embed.js` are).
fn base() -> String {
    let page = crate::io::page_address();
    let page = page.split('?').next().unwrap_or_default();
    match page.rfind('/') {
        Some(i) => page[..=i].to_string(),
        None => "./".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn charts_are_ticked_up_to_the_most_an_embed_shows() {
        let mut c = Choice::first(true);
        assert_eq!(c.charts, vec!["latency", "side-effects"]);
        c.toggle_chart("latency");
        assert_eq!(c.charts, vec!["side-effects"]);
        for name in CHARTS.iter().map(|(n, _)| *n) {
            c.toggle_chart(name);
        }
        assert!(c.charts.len() <= MAX_CHARTS);
    }

    #[test]
    fn switches_keep_their_order_once_each_without_gaps() {
        let mut c = Choice::first(false);
        c.set_switch(0, "api.idempotency".into());
        c.set_switch(1, "api.idempotency".into());
        assert_eq!(c.switches, vec!["api.idempotency"], "once each");
        c.set_switch(1, "shoppers.retry.max_attempts".into());
        c.set_switch(0, String::new());
        assert_eq!(
            c.switches,
            vec!["shoppers.retry.max_attempts"],
            "no gap left"
        );
        c.set_switch(MAX_SWITCHES + 3, "x".into());
        assert_eq!(c.switches.len(), 1, "a slot past the last is ignored");
    }

    #[test]
    fn the_options_name_the_lesson_or_carry_the_design() {
        let scenario = crate::state::starter();
        let lesson = ("01-paid-twice", AttrValue::from("Paid twice"));
        let by_name = Choice::first(true);
        let (options, title) = by_name.options(&scenario, Some(&lesson));
        assert_eq!(options.source, Source::Lesson("01-paid-twice"));
        assert_eq!(
            (title.as_str(), options.seed),
            ("Paid twice", Some(scenario.seed))
        );
        let canvas = Choice {
            by_lesson: false,
            ..by_name
        };
        let (options, title) = canvas.options(&scenario, Some(&lesson));
        assert!(matches!(options.source, Source::Shared(_)));
        assert_eq!(title, scenario.name);
    }
}
