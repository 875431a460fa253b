//! The embed view (`#embed?...`, options in [`crate::embed`]): what a blog post's reader needs
//! and nothing else. The canvas is fitted and read-only, a compact control bar, the charts the
//! author picked, the goals when the scenario has them, the switches the author exposed, and
//! "Open in the playground" with the exact scenario and seed. Nothing is saved: a frame on
//! someone else's page works with storage blocked.

use crate::components::canvas::Canvas;
use crate::components::charts::{prefers_dark, Charts};
use crate::components::controls::speed_select;
use crate::components::goals::goal_list;
use crate::components::timeline::{cursor_at, key_of, position_of, MomentKey, Timeline};
use crate::embed::{self, ControlsMode, EmbedOptions, HostMessage, Source, CHARTS};
use crate::hooks::{use_run, use_session, Run, RunHandle, SessionHandle};
use crate::state::{Action, Editor};
use crate::views;
use crate::{chart, io, lessons, share};
use engine::goal::GoalStatus;
use engine::Scenario;
use std::rc::Rc;
use yew::prelude::*;

/// The embed screen; its options come from the address when it mounts.
#[function_component(EmbedScreen)]
pub fn embed_screen() -> Html {
    let parsed = use_memo((), |_| embed::parse(&io::fragment()));
    let (options, notes) = (&parsed.0, &parsed.1);
    let extra_note = use_state_eq(|| None::<String>);
    let session = {
        let options = options.clone();
        let extra_note = extra_note.clone();
        use_session(Box::new(move || {
            let scenario = match &options.source {
                Source::Shared(payload) => match share::decode(&format!("s={payload}")) {
                    Ok(s) => s,
                    Err(why) => {
                        extra_note.set(Some(format!("s: {why}")));
                        crate::state::starter()
                    }
                },
                // A lesson arrives below, once fetched; until then the canvas is empty.
                Source::Lesson(_) => crate::state::empty(),
                Source::Starter => crate::state::starter(),
            };
            Editor::new(with_seed(scenario, options.seed))
        }))
    };
    let run = use_run(&session);
    let title = use_state_eq(String::new);
    let picked = use_state(|| None::<MomentKey>);
    {
        let (edit, source, seed) = (session.edit.clone(), options.source.clone(), options.seed);
        let (title, extra_note) = (title.clone(), extra_note.clone());
        use_effect_with((), move |_| {
            if let Source::Lesson(slug) = source {
                wasm_bindgen_futures::spawn_local(async move {
                    match lessons::fetch(slug, false).await {
                        Ok(lesson) => {
                            title.set(lesson.meta.title.clone());
                            edit.emit(Action::Open {
                                scenario: Box::new(with_seed(lesson.start, seed)),
                                source: format!("the lesson \"{}\"", lesson.meta.title),
                            });
                            edit.emit(Action::Notify(None));
                        }
                        Err(why) => extra_note.set(Some(format!("lesson: {why}"))),
                    }
                });
            }
        });
    }
    let root = use_node_ref();
    use_height_messages(&root);
    use_host_messages(&session, &run);
    let (goals, now_s, end_s) = {
        let s = session.borrow();
        let sim = s.sim();
        let goals = sim.map(|sim| sim.goals()).unwrap_or_default();
        (
            Rc::new(goals),
            sim.map_or(0.0, |sim| sim.now().as_secs()),
            sim.map(|sim| sim.end().as_secs()),
        )
    };
    use_run_events(&goals, now_s, end_s);
    use_theme(options.theme);
    let seen = use_seen(&root);
    use_pause_when_unseen(seen, &run);
    use_autoplay(options, &session, &run, seen);
    use_until(options.until, &session, &run);

    // The exposed switches' one setter: the same callback for the screen's life. The control
    // offers only values of the field's type; a refusal changes nothing.
    let on_set = {
        let (edit, cell) = (session.edit.clone(), session.cell());
        use_callback((), move |(path, value): (String, serde_json::Value), _| {
            let _ = set_field(&cell, &edit, &path, value);
        })
    };
    let s = session.borrow();
    let scenario = &s.editor.scenario;
    let dark = prefers_dark();
    let palette = if dark { chart::DARK } else { chart::LIGHT };
    let mut live = s
        .sim()
        .map(|sim| views::live(sim, scenario, options.component.as_deref(), palette))
        .unwrap_or_default();
    live.charts.charts = options
        .charts
        .iter()
        .filter_map(|name| {
            let title = CHARTS.iter().find(|(n, _)| n == name)?.1;
            live.charts
                .charts
                .iter()
                .find(|c| c.title.starts_with(title))
                .cloned()
        })
        .collect();
    // What happened, when the author asked for it: a click puts the charts' cursor on a moment.
    let report = options
        .report
        .then(|| Rc::new(s.sim().map(engine::report::report).unwrap_or_default()));
    let picked_at = report
        .as_deref()
        .and_then(|r| position_of(r, (*picked).as_ref()));
    if let Some(m) = report
        .as_deref()
        .zip(picked_at)
        .and_then(|(r, i)| r.moments.get(i))
    {
        live.charts.bands.push(cursor_at(m));
    }
    let on_pick = {
        let (report, picked) = (report.clone(), picked.clone());
        Callback::from(move |i: usize| {
            let m = report.as_deref().and_then(|r| r.moments.get(i));
            picked.set(m.map(key_of));
        })
    };
    let heading = if title.is_empty() {
        scenario.name.clone()
    } else {
        (*title).clone()
    };
    let open = format!("./#{}", share::encode(scenario));
    let all_notes: Vec<String> = notes.iter().cloned().chain((*extra_note).clone()).collect();
    let noop = Callback::from(|_: Action| ());
    html! {
        <div class="embed" ref={root}>
            <header class="embed-bar">
                { control_bar(options.controls, &run, live.clock_s, s.runnable()) }
                <span class="embed-title">{ heading }</span>
                <a class="embed-open" href={open} target="_blank" rel="noopener">{ "Open in the playground ↗" }</a>
            </header>
            if !all_notes.is_empty() {
                <div role="status">
                    <ul class="embed-notes">
                        { for all_notes.iter().map(|n| html! { <li>{ n.clone() }</li> }) }
                    </ul>
                </div>
            }
            <div class="embed-body">
                <div class="embed-canvas">
                    <Canvas scenario={Rc::new(scenario.clone())} live={Rc::new(live.live)} partitioned={Rc::new(live.partitioned)}
                        problems={Rc::new(Default::default())} selection={None} window_s={scenario.window_ms / 1_000.0}
                        loaded={s.editor.loaded} dispatch={noop} />
                </div>
                if !options.switches.is_empty() || !goals.is_empty() {
                    <aside class="embed-side">
                        { switches(&options.switches, scenario, &on_set) }
                        { goal_list(&goals, now_s) }
                    </aside>
                }
            </div>
            <Charts view={Rc::new(live.charts)} />
            if let Some(report) = report {
                <Timeline {report} picked={picked_at} {on_pick} />
            }
        </div>
    }
}

/// The scenario with the seed the embed asks for, if any.
fn with_seed(mut scenario: Scenario, seed: Option<u64>) -> Scenario {
    if let Some(seed) = seed {
        scenario.seed = seed;
    }
    scenario
}

/// Tells the host page the frame's content height whenever it changes, in the documented,
/// versioned message `embed-resize.js` (or the host's own code) listens for. Nothing is sent
/// when the view is not in a frame.
#[hook]
fn use_height_messages(root: &NodeRef) {
    let last = use_mut_ref(|| 0.0f64);
    let root = root.clone();
    use_effect(move || {
        let Some(el) = root.cast::<web_sys::Element>() else {
            return;
        };
        let height = el.get_bounding_client_rect().height().ceil();
        if (height - *last.borrow()).abs() >= 1.0 {
            *last.borrow_mut() = height;
            post_to_host("height", serde_json::json!({ "height": height }));
        }
    });
}

/// Posts `fields` to the host page as one message of the documented shape (`source`,
/// `version`, then the rest); nothing when the view is not in a frame.
fn post_to_host(kind: &str, fields: serde_json::Value) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let Some(parent) = window
        .parent()
        .ok()
        .flatten()
        .filter(|p| !js_sys::Object::is(p, &window))
    else {
        return;
    };
    let mut message =
        serde_json::json!({ "source": "backend-playground", "version": 1, "type": kind });
    if let (Some(m), serde_json::Value::Object(extra)) = (message.as_object_mut(), fields) {
        m.extend(extra);
    }
    if let Some(data) = io::js_value(&message) {
        // Nothing here is secret (the host embeds this very scenario), so any parent may read it.
        let _ = parent.post_message(&data, "*");
    }
}

/// Acts on the host page's messages (play, pause, reset, set a field, ask for the goals); a
/// message from any other window, or of any other shape, is ignored.
#[hook]
fn use_host_messages(session: &SessionHandle, run: &RunHandle) {
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;
    // The run's callbacks change as it renders; the listener reads the latest.
    let control = use_mut_ref(|| run.control.clone());
    *control.borrow_mut() = run.control.clone();
    let (cell, edit) = (session.cell(), session.edit.clone());
    use_effect_with((), move |_| {
        let on_message =
            Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
                // Only the page that frames this one drives it: another frame or window on that
                // page (an ad, a comment widget) may post here too, and is ignored.
                let parent = web_sys::window().and_then(|w| w.parent().ok().flatten());
                let from_parent = match (e.source(), parent) {
                    (Some(source), Some(parent)) => js_sys::Object::is(&source, &parent),
                    _ => false,
                };
                if !from_parent {
                    return;
                }
                let Some(data) = io::message_json(&e, 100_000) else {
                    return;
                };
                match embed::host_message(&data) {
                    Some(HostMessage::Play) => control.borrow().emit(Run::Play),
                    Some(HostMessage::Pause) => control.borrow().emit(Run::Pause),
                    Some(HostMessage::Reset) => control.borrow().emit(Run::Reset),
                    Some(HostMessage::Goals) => {
                        let goals = cell
                            .borrow()
                            .sim()
                            .map(|sim| sim.goals())
                            .unwrap_or_default();
                        // Through text: `to_value` would bring a second serialiser into the bundle.
                        let text = serde_json::to_string(&goals).unwrap_or_default();
                        let goals: serde_json::Value =
                            serde_json::from_str(&text).unwrap_or_default();
                        post_to_host("goals", serde_json::json!({ "goals": goals }));
                    }
                    Some(HostMessage::Set { path, value }) => {
                        if let Err(why) = set_field(&cell, &edit, &path, value) {
                            post_to_host("refused", serde_json::json!({ "message": why }));
                        }
                    }
                    None => {}
                }
            });
        let window = web_sys::window();
        if let Some(w) = &window {
            let _ =
                w.add_event_listener_with_callback("message", on_message.as_ref().unchecked_ref());
        }
        move || {
            if let Some(w) = window {
                let _ = w.remove_event_listener_with_callback(
                    "message",
                    on_message.as_ref().unchecked_ref(),
                );
            }
        }
    });
}

/// Sets one component field of the document by path, as the inspector would (a reader's
/// switch, a host's `set` message); the reason when the field cannot take the value.
fn set_field(
    cell: &std::rc::Rc<std::cell::RefCell<crate::session::Session>>,
    edit: &Callback<Action>,
    path: &str,
    value: serde_json::Value,
) -> Result<(), String> {
    let (id, spec) = {
        let session = cell.borrow();
        let components = session.editor.scenario.components.iter();
        engine::conditions::spec_with_value(
            components.map(|c| (c.id.as_str(), &c.spec)),
            path,
            value,
        )
        .map_err(|e| e.to_string())?
    };
    edit.emit(Action::SetSpec { id, spec });
    Ok(())
}

/// Tells the host page when a goal's verdict is final (`goal`, with its label, whether it
/// passed and the value measured) and when the run reaches its end (`ended`).
#[hook]
fn use_run_events(goals: &Rc<Vec<GoalStatus>>, now_s: f64, end_s: Option<f64>) {
    let told = use_mut_ref(|| (Vec::<String>::new(), false));
    let goals = goals.clone();
    use_effect(move || {
        let mut told = told.borrow_mut();
        if now_s == 0.0 {
            *told = (Vec::new(), false); // a reset: tell again
        }
        for g in goals.iter().filter(|g| g.settled) {
            if !told.0.contains(&g.label) {
                told.0.push(g.label.clone());
                let verdict = serde_json::json!({ "label": g.label, "passed": g.passed, "measured": g.measured });
                post_to_host("goal", verdict);
            }
        }
        if end_s.is_some_and(|end| now_s >= end) && !told.1 {
            told.1 = true;
            post_to_host("ended", serde_json::json!({ "at_s": now_s }));
        }
    });
}

/// Sets the page's `data-theme` (the stylesheet and the charts read it) while the frame shows.
#[hook]
fn use_theme(theme: embed::Theme) {
    use_effect_with(theme, |theme| {
        let root = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element());
        if let Some(root) = &root {
            let _ = root.set_attribute("data-theme", theme.attribute());
        }
        move || {
            if let Some(root) = root {
                let _ = root.remove_attribute("data-theme");
            }
        }
    });
}

/// Whether the reader can see the frame: some of it is inside the top-level viewport (an
/// `IntersectionObserver` with no root measures against it, even from a frame on another
/// origin) and the tab is not hidden. False until the observer first reports (true at once
/// where there is no observer to ask).
#[hook]
fn use_seen(root: &NodeRef) -> bool {
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;
    let in_view = use_state_eq(|| false);
    let tab_shown = use_state_eq(|| true);
    {
        let (root, in_view, tab_shown) = (root.clone(), in_view.clone(), tab_shown.clone());
        use_effect_with((), move |_| {
            let report = in_view.clone();
            let on_cross =
                Closure::<dyn FnMut(js_sys::Array)>::new(move |entries: js_sys::Array| {
                    if let Some(entry) = entries
                        .iter()
                        .last()
                        .and_then(|e| e.dyn_into::<web_sys::IntersectionObserverEntry>().ok())
                    {
                        report.set(entry.is_intersecting());
                    }
                });
            let observer =
                web_sys::IntersectionObserver::new(on_cross.as_ref().unchecked_ref()).ok();
            match (&observer, root.cast::<web_sys::Element>()) {
                (Some(observer), Some(el)) => observer.observe(&el),
                _ => in_view.set(true),
            }
            let document = web_sys::window().and_then(|w| w.document());
            let on_visibility = Closure::<dyn FnMut()>::new({
                let document = document.clone();
                move || {
                    let hidden = document
                        .as_ref()
                        .is_some_and(|d| d.visibility_state() == web_sys::VisibilityState::Hidden);
                    tab_shown.set(!hidden);
                }
            });
            if let Some(d) = &document {
                let _ = d.add_event_listener_with_callback(
                    "visibilitychange",
                    on_visibility.as_ref().unchecked_ref(),
                );
            }
            move || {
                if let Some(observer) = observer {
                    observer.disconnect();
                }
                if let Some(d) = document {
                    let _ = d.remove_event_listener_with_callback(
                        "visibilitychange",
                        on_visibility.as_ref().unchecked_ref(),
                    );
                }
                drop(on_cross);
            }
        });
    }
    *in_view && *tab_shown
}

/// Pauses a playing run while the frame is out of sight and plays it again when it comes back,
/// so an embed the reader cannot see does no simulation work.
#[hook]
fn use_pause_when_unseen(seen: bool, run: &RunHandle) {
    let paused_by_us = use_mut_ref(|| false);
    let (control, running) = (run.control.clone(), run.running);
    use_effect_with(seen, move |&seen| {
        if !seen && running {
            *paused_by_us.borrow_mut() = true;
            control.emit(Run::Pause);
        } else if seen && *paused_by_us.borrow() {
            *paused_by_us.borrow_mut() = false;
            control.emit(Run::Play);
        }
    });
}

/// Applies the speed once, and plays once the scenario can run and the frame is in sight if
/// `autoplay` asks, unless the reader prefers reduced motion; `play` (the reader pressed the
/// preview's Play) plays whatever the motion setting.
#[hook]
fn use_autoplay(options: &EmbedOptions, session: &SessionHandle, run: &RunHandle, seen: bool) {
    let started = use_mut_ref(|| false);
    let runnable = seen
        && session.borrow().runnable()
        && !session.borrow().editor.scenario.components.is_empty();
    let (autoplay, play, speed) = (options.autoplay, options.play, options.speed);
    let (control, set_speed) = (run.control.clone(), run.set_speed.clone());
    use_effect_with(runnable, move |&runnable| {
        if runnable && !*started.borrow() {
            *started.borrow_mut() = true;
            set_speed.emit(speed);
            let reduced = web_sys::window()
                .and_then(|w| {
                    w.match_media("(prefers-reduced-motion: reduce)")
                        .ok()
                        .flatten()
                })
                .is_some_and(|m| m.matches());
            if play || (autoplay && !reduced) {
                control.emit(Run::Play);
            }
            if play {
                // The reader pressed the preview's Play: keep their place on the button that
                // now pauses.
                if let Some(button) = web_sys::window()
                    .and_then(|w| w.document())
                    .and_then(|d| d.query_selector(".embed-bar button").ok().flatten())
                    .and_then(|e| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(e).ok())
                {
                    let _ = button.focus();
                }
            }
        }
    });
}

/// Pauses the run when the simulated clock reaches `until`.
#[hook]
fn use_until(until: Option<f64>, session: &SessionHandle, run: &RunHandle) {
    let now = session
        .borrow()
        .sim()
        .map_or(0.0, |sim| sim.now().as_secs());
    let over = until.is_some_and(|t| now >= t) && run.running;
    let control = run.control.clone();
    use_effect_with(over, move |&over| {
        if over {
            control.emit(Run::Pause);
        }
    });
}

/// Play/Pause, and with full controls Reset, speed and the clock.
fn control_bar(mode: ControlsMode, run: &RunHandle, clock_s: f64, runnable: bool) -> Html {
    if mode == ControlsMode::None {
        return html! {};
    }
    let emit = |r: Run| {
        let control = run.control.clone();
        Callback::from(move |_: MouseEvent| control.emit(r))
    };
    let play = if run.running {
        html! { <button class="primary" onclick={emit(Run::Pause)} aria-label="Pause">{ "❚❚ Pause" }</button> }
    } else {
        html! { <button class="primary" onclick={emit(Run::Play)} disabled={!runnable} aria-label="Play">{ "▶ Play" }</button> }
    };
    if mode == ControlsMode::Minimal {
        return play;
    }
    html! {
        <>
            { play }
            <button onclick={emit(Run::Reset)} title="Start again from time zero">{ "Reset" }</button>
            { speed_select(run.speed, run.set_speed.clone()) }
            <span class="clock" title="Simulated time">{ format!("{clock_s:.1} s") }</span>
        </>
    }
}

/// The fields the author exposed, each as a control of its type: a checkbox for a switch, a
/// list for a choice of words, a number box for a number. A path that names nothing says so.
fn switches(
    paths: &[String],
    scenario: &Scenario,
    on_set: &Callback<(String, serde_json::Value)>,
) -> Html {
    html! {
        <div class="embed-switches">
            { for paths.iter().map(|path| switch(path, scenario, on_set)) }
        </div>
    }
}

fn switch(path: &str, scenario: &Scenario, on_set: &Callback<(String, serde_json::Value)>) -> Html {
    let Some(value) = engine::conditions::value_at(scenario, path) else {
        return html! { <p class="embed-note">{ format!("switches: nothing is at \"{path}\"") }</p> };
    };
    let field = path.rsplit('.').next().unwrap_or(path).to_string();
    let id = path.split('.').next().unwrap_or_default();
    let name = scenario
        .components
        .iter()
        .find(|c| c.id == id)
        .map_or(id.to_string(), |c| {
            if c.name.is_empty() {
                c.id.clone()
            } else {
                c.name.clone()
            }
        });
    let control = match &value {
        serde_json::Value::Bool(_) => Control::Toggle,
        serde_json::Value::String(_) if !engine::kinds::choices(&field).is_empty() => {
            Control::Choice(engine::kinds::choices(&field))
        }
        serde_json::Value::Number(_) => Control::Number,
        serde_json::Value::Null if numeric(scenario, id, &field) => Control::Number,
        _ => {
            return html! { <p class="embed-note">{ format!("switches: \"{path}\" is not a switch, a choice or a number") }</p> };
        }
    };
    html! {
        <Switch path={path.to_string()} label={format!("{name}: {}", field.replace('_', " "))}
            {value} {control} on_set={on_set.clone()} />
    }
}

/// How an exposed field is shown.
#[derive(Clone, Copy, PartialEq, Debug)]
enum Control {
    Toggle,
    Choice(&'static [&'static str]),
    /// A number, or an optional number that is off (an empty box).
    Number,
}

/// Properties of [`Switch`].
#[derive(Properties, PartialEq)]
struct SwitchProps {
    path: String,
    label: String,
    value: serde_json::Value,
    control: Control,
    /// The screen's one setter (the same callback for its whole life).
    on_set: Callback<(String, serde_json::Value)>,
}

/// One exposed field, its own component so the ten redraws a second of a playing run do not
/// reset a number being typed (its props change only when the field's value does).
#[function_component(Switch)]
fn switch_control(props: &SwitchProps) -> Html {
    let set = {
        let (on_set, path) = (props.on_set.clone(), props.path.clone());
        Callback::from(move |value: serde_json::Value| on_set.emit((path.clone(), value)))
    };
    let label = props.label.clone();
    match props.control {
        Control::Toggle => html! {
            <label class="embed-switch">
                <input type="checkbox" checked={props.value.as_bool().unwrap_or(false)} onchange={Callback::from(move |e: Event| {
                    if let Some(i) = e.target_dyn_into::<web_sys::HtmlInputElement>() {
                        set.emit(serde_json::Value::Bool(i.checked()));
                    }
                })} />
                { label }
            </label>
        },
        Control::Choice(choices) => {
            let now = props.value.as_str().unwrap_or_default().to_string();
            html! {
                <label class="embed-switch">{ label }
                    <select onchange={Callback::from(move |e: Event| {
                        if let Some(s) = e.target_dyn_into::<web_sys::HtmlSelectElement>() {
                            set.emit(serde_json::Value::String(s.value()));
                        }
                    })}>
                        { for choices.iter().map(|c| html! { <option value={*c} selected={*c == now}>{ c.replace('_', " ") }</option> }) }
                    </select>
                </label>
            }
        }
        Control::Number => {
            let shown = props
                .value
                .as_f64()
                .map(|n| n.to_string())
                .unwrap_or_default();
            html! {
                <label class="embed-switch">{ label }
                    <input type="number" value={shown} placeholder="off" onchange={Callback::from(move |e: Event| {
                        if let Some(i) = e.target_dyn_into::<web_sys::HtmlInputElement>() {
                            let text = i.value();
                            if text.trim().is_empty() {
                                set.emit(serde_json::Value::Null);
                            } else if let Some(n) = text.parse::<f64>().ok().and_then(json_number) {
                                set.emit(serde_json::Value::Number(n));
                            }
                        }
                    })} />
                </label>
            }
        }
    }
}

/// `v` as JSON: a whole number as an integer (a count field refuses `30.0`), else a float.
fn json_number(v: f64) -> Option<serde_json::Number> {
    if v.fract() == 0.0 && v.abs() < 9e15 {
        Some(serde_json::Number::from(v as i64))
    } else {
        serde_json::Number::from_f64(v)
    }
}

/// Whether the field `name` of component `id` holds a number (by the registry's range for it).
fn numeric(scenario: &Scenario, id: &str, name: &str) -> bool {
    scenario
        .components
        .iter()
        .find(|c| c.id == id)
        .and_then(|c| engine::kinds::field(c.spec.info().name, name))
        .is_some_and(|f| f.range.is_some())
}
