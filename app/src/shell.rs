//! The app: the editor state (a pure reducer), the simulation it drives through the engine's
//! public API, and the page around them.
//!
//! The engine lives in a `use_mut_ref`, never in the reducer. One animation-frame loop advances
//! it by the wall-clock time since the last frame (clamped, so a hidden tab does not cause a
//! huge catch-up) times the speed, inside an event budget, and asks for a redraw at most ten
//! times a second. The loop stops when its effect is torn down (pause, or leaving the page).

use crate::chart::{Band, DARK, LIGHT};
use crate::components::canvas::{Canvas, Problems};
use crate::components::charts::{prefers_dark, Charts};
use crate::components::controls::Controls;
use crate::components::faults::Faults;
use crate::components::inspector::Inspector;
use crate::components::logs::Observability;
use crate::components::palette::Palette;
use crate::state::{starter, Action, Editor, Notice, Selection};
use crate::{io, share, views};
use engine::scenario::{ComponentSpec, Scenario, WireMode};
use engine::{Command, Simulation};
use gloo_render::{request_animation_frame, AnimationFrame};
use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;
use yew::prelude::*;

/// The product's name, shown in the top bar and the page title.
pub const PRODUCT_NAME: &str = "Backend Playground";
/// Events one frame may process, so a frame stays inside its budget whatever the load.
const EVENTS_PER_FRAME: u64 = 300_000;
/// Longest wall-clock step one frame simulates, in milliseconds.
const MAX_FRAME_MS: f64 = 100.0;

type SimCell = Rc<RefCell<Option<Simulation>>>;

/// The frame loop's own state.
struct FrameLoop {
    stop: Cell<bool>,
    handle: RefCell<Option<AnimationFrame>>,
    last_ts: Cell<Option<f64>>,
    last_redraw: Cell<f64>,
}

fn schedule(lp: Rc<FrameLoop>, sim: SimCell, speed: Rc<Cell<f64>>, redraw: Callback<()>) {
    let me = lp.clone();
    let handle = request_animation_frame(move |ts| {
        if me.stop.get() {
            return;
        }
        let dt_ms = me
            .last_ts
            .get()
            .map_or(16.0, |last| (ts - last).clamp(0.0, MAX_FRAME_MS));
        me.last_ts.set(Some(ts));
        if let Some(sim) = sim.borrow_mut().as_mut() {
            let step_us = (dt_ms * 1_000.0 * speed.get()) as u64;
            let deadline = sim.now().plus_us(step_us).min(sim.end());
            sim.run_until_bounded(deadline, EVENTS_PER_FRAME);
        }
        if ts - me.last_redraw.get() >= 100.0 {
            me.last_redraw.set(ts);
            redraw.emit(());
        }
        schedule(me, sim, speed, redraw);
    });
    *lp.handle.borrow_mut() = Some(handle);
}

/// Which screen is open; it lives in the URL fragment so any screen can be linked to.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Route {
    /// The lesson list.
    Home,
    /// The free canvas (also where share links open).
    Sandbox,
    /// A lesson, by slug.
    Lesson(&'static str),
}

impl Route {
    /// The screen a fragment names.
    pub fn from_fragment(fragment: &str) -> Route {
        if let Some(slug) = fragment.strip_prefix("lesson=") {
            if let Some(known) = crate::lessons::slugs().find(|s| *s == slug) {
                return Route::Lesson(known);
            }
        }
        if fragment == "sandbox" || fragment.starts_with(share::FRAGMENT_KEY) {
            Route::Sandbox
        } else {
            Route::Home
        }
    }

    /// The fragment that names this screen.
    pub fn fragment(self) -> String {
        match self {
            Route::Home => String::new(),
            Route::Sandbox => "sandbox".into(),
            Route::Lesson(slug) => format!("lesson={slug}"),
        }
    }
}

/// The editor to start with on a screen: a lesson's starting scenario, or for the sandbox the
/// share link in the URL, else the autosave, else the starter scenario.
fn editor_for(route: Route) -> Editor {
    if let Route::Lesson(slug) = route {
        if let Some(l) = crate::lessons::lesson(slug) {
            return Editor::new(l.start);
        }
    }
    initial_editor()
}

/// What opening a screen loads into the editor: a lesson's starting scenario, or the sandbox's
/// work (see `initial_editor`); nothing for the home screen.
fn load_for(route: Route) -> Option<Action> {
    match route {
        Route::Lesson(slug) => crate::lessons::lesson(slug).map(|l| Action::Open {
            source: format!("the lesson \"{}\"", l.meta.title),
            scenario: Box::new(l.start),
        }),
        Route::Sandbox => Some(Action::Open {
            scenario: Box::new(initial_editor().scenario),
            source: "the sandbox".into(),
        }),
        Route::Home => None,
    }
}

/// The sandbox's editor: a share link if the URL carries one, else the autosave, else the
/// starter scenario. A bad link leaves the user's saved work in place and says what is wrong.
fn initial_editor() -> Editor {
    let saved = io::autosaved()
        .and_then(|json: String| Scenario::from_json(&json).ok())
        .filter(|s| Simulation::new(s).is_ok() || !s.components.is_empty());
    let mut e = Editor::new(saved.unwrap_or_else(starter));
    if let Some(open) = open_link(&io::fragment()) {
        e.apply(open);
    }
    e
}

/// What a share link in the fragment does to the editor: load its scenario, or say what is
/// wrong with it (the user's work stays). None when the fragment is not a share link.
fn open_link(fragment: &str) -> Option<Action> {
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

/// Validation problems placed where the canvas shows them: on the component or the wire they
/// concern. A wire whose end does not exist cannot be drawn, so its problems go to the end that
/// does.
pub fn place_problems(scenario: &Scenario, error: Option<&engine::ScenarioError>) -> Problems {
    let mut out = Problems::default();
    let exists = |id: &str| scenario.components.iter().any(|c| c.id == id);
    for p in error.map(|e| e.problems.as_slice()).unwrap_or_default() {
        let message = p.message.clone();
        match &p.subject {
            engine::topology::Subject::Component { id, .. } if exists(id) => {
                out.components.entry(id.clone()).or_default().push(message);
            }
            engine::topology::Subject::Wire { index, from, to } => {
                if exists(from) && exists(to) {
                    out.wires.entry(*index).or_default().push(message);
                } else if let Some(end) = [from, to].into_iter().find(|id| exists(id)) {
                    out.components.entry(end.clone()).or_default().push(message);
                }
            }
            _ => {}
        }
    }
    out
}

/// A validation problem in a learner's words: the component's display name, then the reason.
fn plain_problem(scenario: &Scenario, p: &engine::Problem) -> String {
    let name = |id: &str| crate::state::display_name_of(scenario, id);
    let mut message = p.message.clone();
    if let Some(first) = message.get(..1) {
        message = first.to_ascii_uppercase() + &message[1..];
    }
    // "spec.rate_per_sec" reads as "Rate"; the id field and the kind read as themselves.
    let field = p.field.rsplit('.').next().unwrap_or_default();
    let field = match field {
        "" | "spec" | "id" | "kind" => String::new(),
        f => format!(", {}", crate::components::inspector::label_and_unit(f).0),
    };
    match &p.subject {
        engine::topology::Subject::Component { id, .. } => {
            format!("{}{field}: {message}.", name(id))
        }
        engine::topology::Subject::Wire { from, to, .. } => {
            format!("Wire {} → {}: {message}.", name(from), name(to))
        }
        engine::topology::Subject::Fault { kind, .. } => {
            format!("Fault ({}): {message}.", kind.replace('_', " "))
        }
        engine::topology::Subject::Goal { label, .. } => format!("Goal \"{label}\": {message}."),
        engine::topology::Subject::Scenario => format!("{}: {message}.", p.field),
    }
}

/// The whole app.
#[function_component(App)]
pub fn app() -> Html {
    let route = use_state(|| Route::from_fragment(&io::fragment()));
    let editor = {
        let first = *route;
        use_reducer(move || editor_for(first))
    };
    let completed = use_state(io::completed);
    let pinned = use_state(|| None::<Rc<Scenario>>);
    let ab_view = use_state(|| None::<Rc<views::ChartsView>>);
    let sim: SimCell = use_mut_ref(|| None);
    let build_error = use_state(|| None::<engine::ScenarioError>);
    let running = use_state(|| false);
    let speed_value = use_state(|| 1.0f64);
    let speed: Rc<Cell<f64>> = use_memo((), |_| Cell::new(1.0));
    // The frame loop asks for a redraw; what is drawn is read from the simulation at render time.
    let redraw = {
        let trigger = use_force_update();
        Callback::from(move |()| trigger.force_update())
    };
    let dispatch = {
        let editor = editor.clone();
        Callback::from(move |a: Action| editor.dispatch(a))
    };

    // Rebuild the simulation whenever the structure changes.
    {
        let sim = sim.clone();
        let scenario = editor.scenario.clone();
        let build_error = build_error.clone();
        let running = running.clone();
        let redraw = redraw.clone();
        use_effect_with(editor.structure, move |_| {
            match Simulation::new(&scenario) {
                Ok(s) => {
                    *sim.borrow_mut() = Some(s);
                    build_error.set(None);
                }
                Err(e) => {
                    *sim.borrow_mut() = None;
                    build_error.set(Some(e));
                    running.set(false);
                }
            }
            redraw.emit(());
        });
    }
    // A share link pasted into this tab changes only the fragment: open it as well.
    {
        let dispatch = dispatch.clone();
        let route = route.clone();
        use_effect_with((), move |_| {
            let listener = wasm_bindgen::closure::Closure::<dyn Fn()>::new(move || {
                let fragment = io::fragment();
                let next = Route::from_fragment(&fragment);
                if next != *route {
                    route.set(next);
                    // A share link brings its own scenario, loaded just below.
                    if !fragment.starts_with(share::FRAGMENT_KEY) {
                        if let Some(load) = load_for(next) {
                            dispatch.emit(load);
                        }
                    }
                }
                if let Some(open) = open_link(&fragment) {
                    dispatch.emit(open);
                }
            });
            io::on_window("hashchange", listener)
        });
    }
    // Autosave every edit; while the browser refuses (storage full or turned off), a banner says
    // so, so nobody trusts a save that did not happen.
    let unsaved = use_state(|| false);
    {
        let sandbox = *route == Route::Sandbox;
        let unsaved = unsaved.clone();
        let revision = editor.revision;
        let editor = editor.clone();
        use_effect_with(revision, move |_| {
            if sandbox {
                unsaved.set(!io::autosave(&editor.scenario.to_json()));
            }
        });
    }
    // The frame loop runs while playing.
    {
        let sim = sim.clone();
        let speed = speed.clone();
        let redraw = redraw.clone();
        use_effect_with(*running, move |&on| {
            let lp = Rc::new(FrameLoop {
                stop: Cell::new(!on),
                handle: RefCell::new(None),
                last_ts: Cell::new(None),
                last_redraw: Cell::new(0.0),
            });
            if on {
                schedule(lp.clone(), sim, speed, redraw);
            }
            move || {
                lp.stop.set(true);
                lp.handle.borrow_mut().take();
            }
        });
    }

    let on_control = {
        let running = running.clone();
        let sim = sim.clone();
        let editor = editor.clone();
        let redraw = redraw.clone();
        Callback::from(move |name: &'static str| match name {
            "play" => running.set(true),
            "pause" => running.set(false),
            "step" => {
                if let Some(s) = sim.borrow_mut().as_mut() {
                    let deadline = s.now().plus_us(100_000);
                    s.run_until_bounded(deadline, EVENTS_PER_FRAME * 10);
                }
                redraw.emit(());
            }
            "reset" => {
                *sim.borrow_mut() = Simulation::new(&editor.scenario).ok();
                redraw.emit(());
            }
            "undo" => editor.dispatch(Action::Undo),
            "redo" => editor.dispatch(Action::Redo),
            "export" => io::download(
                "scenario.json",
                &editor.scenario.to_json(),
                "application/json",
            ),
            "share" => {
                let url = io::set_fragment(&share::encode(&editor.scenario));
                let seed = editor.scenario.seed;
                let dispatcher = editor.dispatcher();
                // Say "copied" only when the browser really copied it.
                wasm_bindgen_futures::spawn_local(async move {
                    let text = if io::copy(&url).await {
                        format!("Link copied (scenario and seed {seed}): {url}")
                    } else {
                        format!("The browser did not allow copying; the link is in the address bar (scenario and seed {seed}): {url}")
                    };
                    dispatcher.dispatch(Action::Notify(Some(Notice { error: false, text })));
                });
            }
            "new" => {
                running.set(false);
                editor.dispatch(Action::Load {
                    scenario: Box::new(crate::state::empty()),
                    source: "an empty canvas".into(),
                });
            }
            _ => {}
        })
    };
    let on_speed = {
        let speed = speed.clone();
        let speed_value = speed_value.clone();
        Callback::from(move |v: f64| {
            speed.set(v);
            speed_value.set(v);
        })
    };
    let on_import = {
        let dispatch = dispatch.clone();
        Callback::from(move |file: web_sys::File| {
            let dispatch = dispatch.clone();
            let name = file.name();
            wasm_bindgen_futures::spawn_local(async move {
                let text = wasm_bindgen_futures::JsFuture::from(file.text())
                    .await
                    .ok()
                    .and_then(|v| v.as_string());
                let result = text
                    .ok_or_else(|| "the file could not be read as text".to_string())
                    .and_then(|t| Scenario::from_json(&t))
                    .and_then(|s| crate::state::editable(&s).map(|()| s));
                match result {
                    Ok(s) => dispatch.emit(Action::Load {
                        scenario: Box::new(s),
                        source: name,
                    }),
                    Err(e) => dispatch.emit(Action::Notify(Some(Notice {
                        error: true,
                        text: format!("Could not open {name}: {e} Your work is unchanged."),
                    }))),
                }
            });
        })
    };
    // Undo and redo answer anywhere on the page, also when focus fell back to the page body
    // (after the focused card was deleted, say).
    {
        let dispatcher = editor.dispatcher();
        use_effect_with((), move |_| {
            let listener = wasm_bindgen::closure::Closure::<dyn Fn(web_sys::KeyboardEvent)>::new(
                move |e: web_sys::KeyboardEvent| {
                    let typing = e
                        .target()
                        .and_then(|t| {
                            wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlInputElement>(t).ok()
                        })
                        .is_some();
                    if (e.ctrl_key() || e.meta_key()) && !typing {
                        match (e.key().to_ascii_lowercase().as_str(), e.shift_key()) {
                            ("z", false) => {
                                e.prevent_default();
                                dispatcher.dispatch(Action::Undo);
                            }
                            ("z", true) | ("y", _) => {
                                e.prevent_default();
                                dispatcher.dispatch(Action::Redo);
                            }
                            _ => {}
                        }
                    }
                },
            );
            io::on_window("keydown", listener)
        });
    }

    // What the page shows from the simulation now.
    let window_s = editor.scenario.window_ms / 1_000.0;
    let sim_ref = sim.borrow();
    // Parsed once per screen, not on every redraw.
    let lesson: Option<Rc<crate::lessons::Lesson>> = (*use_memo(*route, |route| match *route {
        Route::Lesson(slug) => crate::lessons::lesson(slug).map(Rc::new),
        _ => None,
    }))
    .clone();
    let goals: Vec<engine::goal::GoalStatus> =
        sim_ref.as_ref().map(|s| s.goals()).unwrap_or_default();
    let (clock_s, live, partitioned, charts_view, logs, trace, names) = match sim_ref.as_ref() {
        Some(s) => {
            let snap = s.snapshot();
            let live: HashMap<String, _> = snap
                .components
                .iter()
                .map(|c| (c.id.clone(), c.clone()))
                .collect();
            // Charts follow the selection; in a lesson they start on the component that tells its story.
            let focus = match &editor.selection {
                Some(Selection::Component(id)) => s.topology().index_of(id),
                _ => lesson
                    .as_ref()
                    .and_then(|l| s.topology().index_of(&l.meta.focus)),
            };
            let palette = if prefers_dark() { DARK } else { LIGHT };
            let mut view = views::charts(s, focus, palette, window_s);
            view.bands = editor
                .scenario
                .faults
                .iter()
                .map(|f| Band {
                    from_s: f.at_s,
                    to_s: f.duration_s.map_or(f64::MAX, |d| f.at_s + d),
                })
                .collect();
            let logs: Vec<_> = s.logs().cloned().collect();
            let trace = s
                .traces()
                .rev()
                .find(|t| t.spans.len() > 1 && t.spans.iter().all(|sp| sp.end_ms.is_some()))
                .cloned()
                .map(Rc::new);
            let names: Vec<String> = s.topology().nodes.iter().map(|n| n.name.clone()).collect();
            (
                snap.now_ms / 1_000.0,
                live,
                snap.partitioned,
                view,
                logs,
                trace,
                names,
            )
        }
        None => (
            0.0,
            HashMap::new(),
            Vec::new(),
            views::ChartsView::default(),
            Vec::new(),
            None,
            Vec::new(),
        ),
    };
    drop(sim_ref);
    let problems = place_problems(&editor.scenario, build_error.as_ref());

    // The inspector's callbacks stay the same object from frame to frame, so a running
    // simulation's redraws do not re-render the inspector and reset what the user is typing.
    let selected_id = editor.selected_component().map(|c| c.id.clone());
    let dispatcher = editor.dispatcher();
    let sim_for_spec = sim.clone();
    let on_spec = use_callback(
        (selected_id.clone(), dispatcher.clone()),
        move |spec: ComponentSpec, (id, dispatcher)| {
            let sim = &sim_for_spec;
            let Some(id) = id.clone() else { return };
            // The running simulation takes the change at once; the document records it.
            if let Some(s) = sim.borrow_mut().as_mut() {
                let _ = s.apply(Command::SetComponent {
                    id: id.clone(),
                    spec: spec.clone(),
                });
            }
            dispatcher.dispatch(Action::SetSpec { id, spec });
        },
    );
    let sim_for_rename = sim.clone();
    let on_rename = use_callback(
        (selected_id.clone(), dispatcher.clone()),
        move |name: String, (id, dispatcher)| {
            let Some(id) = id.clone() else { return };
            // Logs, traces and the charts' titles take the new name at once.
            if let Some(s) = sim_for_rename.borrow_mut().as_mut() {
                let _ = s.apply(Command::Rename {
                    id: id.clone(),
                    name: name.clone(),
                });
            }
            dispatcher.dispatch(Action::Rename { id, name });
        },
    );
    let on_delete = use_callback(dispatcher.clone(), |(), dispatcher| {
        dispatcher.dispatch(Action::DeleteSelected)
    });
    let on_seed = use_callback(dispatcher.clone(), |seed: u64, dispatcher| {
        dispatcher.dispatch(Action::SetSeed(seed))
    });
    let side = match &editor.selection {
        Some(Selection::Component(_)) => editor.selected_component().cloned().map(|c| {
            let id = c.id.clone();
            html! { <Inspector key={id} component={c} on_spec={on_spec.clone()} on_rename={on_rename.clone()} on_delete={on_delete.clone()} /> }
        }),
        Some(Selection::Wire(i)) => editor.scenario.wires.get(*i).map(|w| {
            let index = *i;
            let set_mode = {
                let dispatch = dispatch.clone();
                let sim = sim.clone();
                let (from, to) = (w.from.clone(), w.to.clone());
                Callback::from(move |e: Event| {
                    if let Some(s) = e.target_dyn_into::<web_sys::HtmlSelectElement>() {
                        let mode = if s.value() == "async" { WireMode::Async } else { WireMode::Sync };
                        // The running simulation takes the change at once; if it cannot (a loop
                        // of waiting calls, say), the document is rebuilt and shows why.
                        let applied = sim.borrow_mut().as_mut().is_some_and(|sim| {
                            sim.apply(Command::SetWireMode { from: from.clone(), to: to.clone(), mode }).is_ok()
                        });
                        dispatch.emit(Action::SetWireMode { index, mode, rebuild: !applied });
                    }
                })
            };
            let delete = {
                let dispatch = dispatch.clone();
                Callback::from(move |_: MouseEvent| dispatch.emit(Action::DeleteSelected))
            };
            // Which operations travel the wire: none ticked means all of them.
            let op_boxes = engine::scenario::Op::ALL.iter().map(|&op| {
                let dispatch = dispatch.clone();
                let current = w.ops.clone();
                let toggle = Callback::from(move |_: Event| {
                    let mut ops: Vec<engine::scenario::Op> = current.iter().copied().filter(|o| *o != op).collect();
                    if !current.contains(&op) {
                        ops.push(op);
                    }
                    // Keep the file's order stable: the order of Op::ALL.
                    ops.sort_by_key(|o| engine::scenario::Op::ALL.iter().position(|a| a == o));
                    dispatch.emit(Action::SetWireOps { index, ops });
                });
                html! {
                    <label class="op-choice">
                        <input type="checkbox" checked={w.ops.contains(&op)} onchange={toggle} />
                        { op.name() }
                    </label>
                }
            });
            html! {
                <section class="inspector" aria-label="Wire inspector">
                    <h2>{ "Wire" }</h2>
                    <p class="hint">{ format!("{} sends requests to {}.", crate::state::display_name_of(&editor.scenario, &w.from), crate::state::display_name_of(&editor.scenario, &w.to)) }</p>
                    <label class="field wide"><span class="field-label">{ "Mode" }</span>
                        <select onchange={set_mode}>
                            <option value="sync" selected={w.mode == WireMode::Sync}>{ "synchronous: the caller waits" }</option>
                            <option value="async" selected={w.mode == WireMode::Async}>{ "asynchronous: hand over, move on" }</option>
                        </select>
                    </label>
                    <fieldset class="wire-ops">
                        <legend>{ "Carries" }</legend>
                        <div class="op-choices">{ for op_boxes }</div>
                        <p class="hint">{ if w.ops.is_empty() { "Every kind of request (tick some to route only those, e.g. reads to a replica service)." } else { "Only the ticked kinds of request." } }</p>
                    </fieldset>
                    <button class="danger" onclick={delete}>{ "Delete wire" }</button>
                </section>
            }
        }),
        Some(Selection::Components(ids)) => {
            let delete = {
                let dispatch = dispatch.clone();
                Callback::from(move |_: MouseEvent| dispatch.emit(Action::DeleteSelected))
            };
            Some(html! {
                <section class="inspector" aria-label="Inspector">
                    <h2>{ format!("{} components selected", ids.len()) }</h2>
                    <p class="hint">{ ids.join(", ") }{ ". Shift-click a card to add or remove it." }</p>
                    <button class="danger" onclick={delete}>{ "Delete them" }</button>
                </section>
            })
        }
        None => None,
    }
    .unwrap_or_else(|| html! {
        <section class="inspector empty" aria-label="Inspector">
            <h2>{ "Inspector" }</h2>
            <p class="hint">{ "Select a component to see its parameters and switches, or a wire to change how it is called. Charts show the whole system until you select something." }</p>
        </section>
    });

    let on_add_fault = {
        let dispatch = dispatch.clone();
        let sim = sim.clone();
        Callback::from(move |fault: engine::scenario::Fault| {
            if let Some(s) = sim.borrow_mut().as_mut() {
                let _ = s.apply(Command::InjectFault(fault.clone()));
            }
            dispatch.emit(Action::AddFault(fault));
        })
    };
    let on_remove_fault = {
        let dispatch = dispatch.clone();
        Callback::from(move |i: usize| dispatch.emit(Action::RemoveFault(i)))
    };
    let notice = editor.notice.clone();
    let close_notice = {
        let dispatch = dispatch.clone();
        Callback::from(move |_: MouseEvent| dispatch.emit(Action::Notify(None)))
    };
    let scenario = Rc::new(editor.scenario.clone());
    let open = {
        let route = route.clone();
        let dispatch = dispatch.clone();
        let running = running.clone();
        Callback::from(move |target: Route| {
            running.set(false);
            io::set_fragment(&target.fragment());
            route.set(target);
            if let Some(load) = load_for(target) {
                dispatch.emit(load);
                dispatch.emit(Action::Notify(None));
            }
        })
    };
    // A lesson is finished when every goal has passed and every goal's interval has ended.
    let finished =
        lesson.is_some() && !goals.is_empty() && goals.iter().all(|g| g.passed && g.settled);
    {
        let completed = completed.clone();
        let slug = lesson.as_ref().map(|l| l.slug);
        use_effect_with((finished, slug), move |(finished, slug)| {
            if let (true, Some(slug)) = (finished, slug) {
                io::complete(slug);
                completed.set(io::completed());
            }
        });
    }
    let topbar = {
        let open = open.clone();
        html! {
            <header class="topbar">
                <h1><a href="#" onclick={Callback::from(move |e: MouseEvent| { e.prevent_default(); open.emit(Route::Home); })}>{ PRODUCT_NAME }</a></h1>
                <span class="tagline">{ "Wire a backend, break it, and watch what happens." }</span>
                if *route != Route::Home {
                    <span class="doc-name">{ editor.scenario.name.clone() }</span>
                }
            </header>
        }
    };
    if *route == Route::Home {
        let open = open.clone();
        let on_open = Callback::from(move |slug: Option<&'static str>| {
            open.emit(slug.map_or(Route::Sandbox, Route::Lesson))
        });
        return html! {
            <div class="shell">
                { topbar }
                <crate::components::home::Home completed={(*completed).clone()} {on_open}
                    missing={io::fragment().strip_prefix("lesson=").filter(|s| !s.is_empty()).map(str::to_string)} />
            </div>
        };
    }
    let compare_panel = {
        let on_pin = {
            let pinned = pinned.clone();
            let ab_view = ab_view.clone();
            let scenario = editor.scenario.clone();
            Callback::from(move |()| {
                pinned.set(Some(Rc::new(scenario.clone())));
                ab_view.set(None);
            })
        };
        let on_compare = {
            let pinned = pinned.clone();
            let ab_view = ab_view.clone();
            let scenario = editor.scenario.clone();
            Callback::from(move |()| {
                let Some(a) = pinned.as_deref() else { return };
                let palette = if prefers_dark() { DARK } else { LIGHT };
                let mut a = a.clone();
                a.seed = scenario.seed;
                // Long enough for faults early in a run to show, short enough to stay instant.
                let until = clock_s.clamp(30.0, 120.0);
                if let (Some(va), Some(vb)) = (
                    views::run_charts(&a, until, palette),
                    views::run_charts(&scenario, until, palette),
                ) {
                    ab_view.set(Some(Rc::new(views::overlay(&va, &vb, palette))));
                }
            })
        };
        let on_clear = {
            let pinned = pinned.clone();
            let ab_view = ab_view.clone();
            Callback::from(move |()| {
                pinned.set(None);
                ab_view.set(None);
            })
        };
        html! {
            <crate::components::compare::Compare pinned={pinned.as_ref().map(|s| s.name.clone())} showing={ab_view.is_some()}
                {on_pin} {on_compare} {on_clear} />
        }
    };
    let lesson_panel = lesson.clone().map(|l| {
        let slug = l.slug;
        let on_solution = {
            let dispatch = dispatch.clone();
            let solution = l.solution.clone();
            let seed = editor.scenario.seed;
            Callback::from(move |()| {
                let mut s = solution.clone();
                s.seed = seed;
                dispatch.emit(Action::Load { scenario: Box::new(s), source: "the solution".into() });
            })
        };
        let on_reset = {
            let open = open.clone();
            let completed = completed.clone();
            Callback::from(move |()| {
                io::forget(slug);
                completed.set(io::completed());
                open.emit(Route::Lesson(slug));
            })
        };
        let on_back = {
            let open = open.clone();
            Callback::from(move |()| open.emit(Route::Home))
        };
        html! {
            <crate::components::lesson_panel::LessonPanel lesson={l} goals={Rc::new(goals.clone())} seed={editor.scenario.seed} now_s={clock_s}
                {on_solution} {on_reset} {on_back} />
        }
    });
    html! {
        <div class={classes!("shell", lesson.is_some().then_some("in-lesson"))}>
            { topbar }
            <Controls running={*running} runnable={build_error.is_none() && !editor.scenario.components.is_empty()} {clock_s}
                speed={*speed_value} seed={editor.scenario.seed} can_undo={editor.can_undo()} can_redo={editor.can_redo()}
                on={on_control} {on_speed} {on_seed} {on_import} />
            if let Some(n) = notice {
                <div class={classes!("notice", n.error.then_some("error"))} role={if n.error { "alert" } else { "status" }}>
                    <span>{ n.text }</span>
                    <button class="small" onclick={close_notice} aria-label="Dismiss">{ "×" }</button>
                </div>
            }
            if *unsaved && *route == Route::Sandbox {
                <div class="notice error" role="alert">
                    <span>{ "This browser is not keeping your work (its storage is full or turned off). Use Export to save a copy." }</span>
                </div>
            }
            if let Some(e) = &*build_error {
                if !editor.scenario.components.is_empty() {
                    <div class="problems" role="status">
                        <strong>{ "Not ready to run yet:" }</strong>
                        <ul>{ for e.problems.iter().take(6).map(|p| html! { <li>{ plain_problem(&editor.scenario, p) }</li> }) }</ul>
                        if e.problems.len() > 6 {
                            <p class="hint">{ format!("and {} more, marked on the canvas.", e.problems.len() - 6) }</p>
                        }
                    </div>
                }
            }
            <main class="workspace">
                <Palette placed={editor.scenario.components.len()} dispatch={dispatch.clone()} />
                <Canvas scenario={scenario.clone()} live={Rc::new(live)} partitioned={Rc::new(partitioned)} problems={Rc::new(problems)}
                    selection={editor.selection.clone()} {window_s} loaded={editor.loaded} dispatch={dispatch.clone()} />
                <aside class="side">
                    { lesson_panel.unwrap_or_default() }
                    { side }
                    <Faults scenario={scenario} now_s={clock_s} on_add={on_add_fault} on_remove={on_remove_fault} />
                    { compare_panel }
                </aside>
            </main>
            <Charts view={Rc::new(charts_view)} />
            if let Some(ab) = &*ab_view {
                <Charts view={ab.clone()} />
            }
            <Observability logs={Rc::new(logs)} {trace} names={Rc::new(names)} />
        </div>
    }
}
