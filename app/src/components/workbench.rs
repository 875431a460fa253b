//! The editing page every screen with a canvas shares (the sandbox, a lesson): run controls,
//! messages, the palette, the canvas, the side column (what the screen puts there, then the
//! inspector, faults and A/B), the charts and the logs. The screen owns the session and the run
//! (`crate::hooks`); this component draws them and turns clicks into edits.

use crate::challenge::Challenge;
use crate::chart::{DARK, LIGHT};
use crate::components::canvas::Canvas;
use crate::components::charts::{prefers_dark, Charts};
use crate::components::compare::Compare;
use crate::components::controls::{Control, Controls};
use crate::components::faults::Faults;
use crate::components::inspector::LazyInspector;
use crate::components::logs::Observability;
use crate::components::palette::Palette;
use crate::components::selection_inspector::selection_inspector;
use crate::components::timeline::{component_of, cursor_at, key_of, position_of, Timeline};
use crate::components::wire_inspector::{wire_inspector, WireInspectorProps};
use crate::dialogs::{LazyDialog, Request};
use crate::hooks::{
    use_compare, use_facilitated, use_history_keys, Reveal, Run, RunHandle, SessionHandle,
};
use crate::session::Session;
use crate::state::{Action, Editor, Notice, Place, Selection};
use crate::{io, problems, share, views};
use engine::scenario::ComponentSpec;
use engine::Scenario;
use std::cell::RefCell;
use std::rc::Rc;
use yew::prelude::*;

/// Properties of [`Workbench`].
#[derive(Properties, PartialEq, Debug)]
pub struct WorkbenchProps {
    /// The document and its simulation.
    pub session: SessionHandle,
    /// Whether it plays, and how fast.
    pub run: RunHandle,
    /// What the screen puts at the top of the side column (a lesson's story and goals).
    #[prop_or_default]
    pub side: Html,
    /// The component whose charts show while nothing is selected (a lesson's focus).
    #[prop_or_default]
    pub focus: Option<AttrValue>,
    /// Whether the document's locked conditions are held (a lesson or a challenge: locked
    /// fields and faults are read-only); the sandbox is free, and shows them as ordinary fields.
    #[prop_or_default]
    pub hold_locks: bool,
    /// Whether the locked faults are kept out of sight (a culprit still to be found).
    #[prop_or_default]
    pub hide_faults: bool,
    /// A guess the learner made, drawn on the chart that shows its quantity.
    #[prop_or_default]
    pub guide: Option<Rc<views::Guide>>,
    /// Whether the browser refuses to keep the work (autosave failing).
    #[prop_or_default]
    pub unsaved: bool,
    /// The lesson on screen (slug and title), so the Embed dialog can name it.
    #[prop_or_default]
    pub lesson: Option<(&'static str, AttrValue)>,
    /// The lesson the Challenge dialog starts from (its start, hints and solution; None: the
    /// canvas as it is). The challenge is made only when the dialog opens.
    #[prop_or_default]
    pub challenge_lesson: Option<Rc<crate::lessons::Lesson>>,
    /// What a facilitator window may see and release here (notes, hints, the solution).
    #[prop_or_default]
    pub reveal: Option<Rc<Reveal>>,
}

/// What the Challenge dialog starts from: the screen's lesson, else the canvas as it is.
fn challenge_from(lesson: Option<&crate::lessons::Lesson>, scenario: &Scenario) -> Rc<Challenge> {
    Rc::new(match lesson {
        Some(l) => crate::screens::lesson_challenge(l),
        None => Challenge {
            title: scenario.name.clone(),
            brief: String::new(),
            start: scenario.clone(),
            hints: Vec::new(),
            solution: None,
            released: false,
            lesson: None,
            find: None,
        },
    })
}

/// Carries out a toolbar button that is not about the run.
fn tool(
    control: Control,
    cell: &Rc<RefCell<Session>>,
    edit: &Callback<Action>,
    run: &Callback<Run>,
) {
    // Export and Share read the document as it is now; the other buttons need nothing of it.
    let scenario = || cell.borrow().editor.scenario.clone();
    match control {
        Control::Embed | Control::Challenge => {} // dialogs: the workbench opens them
        Control::Play => run.emit(Run::Play),
        Control::Pause => run.emit(Run::Pause),
        Control::Step => run.emit(Run::Step),
        Control::Reset => run.emit(Run::Reset),
        Control::Undo => edit.emit(Action::Undo),
        Control::Redo => edit.emit(Action::Redo),
        Control::Export => io::download("scenario.json", &scenario().to_json(), "application/json"),
        Control::DiagramSvg => {
            let svg = crate::diagram::svg(&scenario());
            io::download("diagram.svg", &svg, "image/svg+xml");
        }
        Control::DiagramPng => {
            let scenario = scenario();
            let (w, h) = crate::diagram::size(&scenario);
            io::download_svg_as_png("diagram.png", &crate::diagram::svg(&scenario), w, h);
        }
        Control::DiagramMermaid => {
            let text = crate::diagram::mermaid(&scenario());
            io::download("diagram.mmd", &text, "text/plain");
        }
        Control::Share => {
            let scenario = scenario();
            let url = io::set_fragment(&share::encode(&scenario));
            let seed = scenario.seed;
            let edit = edit.clone();
            // Say "copied" only when the browser really copied it.
            wasm_bindgen_futures::spawn_local(async move {
                let text = if io::copy(&url).await {
                    format!("Link copied (scenario and seed {seed}): {url}")
                } else {
                    format!("The browser did not allow copying; the link is in the address bar (scenario and seed {seed}): {url}")
                };
                edit.emit(Action::Notify(Some(Notice { error: false, text })));
            });
        }
        Control::New => {
            run.emit(Run::Pause);
            edit.emit(Action::Load {
                scenario: Box::new(crate::state::empty()),
                source: "an empty canvas".into(),
            });
        }
    }
}

/// Reads a chosen file and opens it through `edit`, or says why it cannot.
fn import(file: web_sys::File, edit: Callback<Action>) {
    let name = file.name();
    wasm_bindgen_futures::spawn_local(async move {
        let text = wasm_bindgen_futures::JsFuture::from(file.text())
            .await
            .ok()
            .and_then(|v| v.as_string());
        let result = text
            .ok_or_else(|| "the file could not be read as text".to_string())
            .and_then(|t| {
                Scenario::from_json(&t).map_err(|e| format!("not a valid scenario file: {e}"))
            })
            .and_then(|s| crate::state::editable(&s).map(|()| s));
        edit.emit(match result {
            Ok(s) => Action::Load {
                scenario: Box::new(s),
                source: name,
            },
            Err(e) => Action::Notify(Some(Notice {
                error: true,
                text: format!("Could not open {name}: {e} Your work is unchanged."),
            })),
        });
    });
}

/// The engine's refusal of an edit made at `place`, if that is where the last one was made.
fn refusal_at(editor: &Editor, place: &Place) -> Option<AttrValue> {
    editor
        .refusal
        .as_ref()
        .filter(|r| r.place == *place)
        .map(|r| AttrValue::from(r.text.clone()))
}

/// The message line, the autosave warning and the list of problems that stop the run.
fn messages(session: &Session, unsaved: bool, close: Callback<MouseEvent>) -> Html {
    let editor = &session.editor;
    let problems = session
        .build_error()
        .filter(|_| !editor.scenario.components.is_empty());
    html! {
        <>
            if let Some(n) = editor.notice.clone() {
                <div class={classes!("notice", n.error.then_some("error"))} role={if n.error { "alert" } else { "status" }}>
                    <span>{ n.text }</span>
                    <button class="small" onclick={close} aria-label="Dismiss">{ "×" }</button>
                </div>
            }
            if unsaved {
                <div class="notice error" role="alert">
                    <span>{ "This browser is not keeping your work (its storage is full or turned off). Use Export to save a copy." }</span>
                </div>
            }
            if let Some(e) = problems {
                <div class="problems" role="status">
                    <strong>{ "Not ready to run yet:" }</strong>
                    <ul>{ for e.problems.iter().take(6).map(|p| html! { <li>{ problems::plain_problem(&editor.scenario, p) }</li> }) }</ul>
                    if e.problems.len() > 6 {
                        <p class="hint">{ format!("and {} more, marked on the canvas.", e.problems.len() - 6) }</p>
                    }
                </div>
            }
        </>
    }
}

/// The editing page.
#[function_component(Workbench)]
pub fn workbench(props: &WorkbenchProps) -> Html {
    let edit = props.session.edit.clone();
    use_history_keys(edit.clone());
    let compare = use_compare(&props.session);
    use_facilitated(
        &props.session,
        &props.run,
        &compare,
        props.reveal.clone().unwrap_or_default(),
    );
    // The dialog open, if any, with what it was opened on (the design as it was then).
    let picked = use_state(|| None::<crate::components::timeline::MomentKey>);
    let dialog = use_state_eq(|| None::<Rc<Request>>);
    // The inspector's part, a few seconds after the page is up: after what a lesson needs to
    // play, before the learner is likely to select a component.
    use_effect_with((), |_| {
        crate::parts::prefetch(crate::parts::provided().inspector, 3_000)
    });
    // Callbacks made afresh each render where no text input depends on them (each use_callback
    // is compiled code of its own in the bundle).
    let on_control = {
        let (cell, run, edit) = (
            props.session.cell(),
            props.run.control.clone(),
            edit.clone(),
        );
        let dialog = dialog.clone();
        let (lesson, challenge_lesson) = (props.lesson.clone(), props.challenge_lesson.clone());
        Callback::from(move |control: Control| match control {
            Control::Embed => {
                let scenario = Rc::new(cell.borrow().editor.scenario.clone());
                let lesson = lesson.clone();
                dialog.set(Some(Rc::new(Request::Embed { scenario, lesson })));
            }
            Control::Challenge => {
                let from =
                    challenge_from(challenge_lesson.as_deref(), &cell.borrow().editor.scenario);
                dialog.set(Some(Rc::new(Request::Challenge { from })));
            }
            other => tool(other, &cell, &edit, &run),
        })
    };
    let close_dialog = {
        let dialog = dialog.clone();
        use_callback((), move |(), _| dialog.set(None))
    };
    let on_import = {
        let edit = edit.clone();
        Callback::from(move |file: web_sys::File| import(file, edit.clone()))
    };
    // The inspector's callbacks stay the same object from frame to frame, so a running
    // simulation's redraws do not re-render the inspector and reset what the user is typing.
    let session = props.session.borrow();
    let editor = &session.editor;
    let selected_id = editor.selected_component().map(|c| c.id.clone());
    let on_spec = use_callback(
        (selected_id.clone(), edit.clone()),
        |spec: ComponentSpec, (id, edit)| {
            if let Some(id) = id.clone() {
                edit.emit(Action::SetSpec { id, spec });
            }
        },
    );
    let on_rename = use_callback((selected_id, edit.clone()), |name: String, (id, edit)| {
        if let Some(id) = id.clone() {
            edit.emit(Action::Rename { id, name });
        }
    });
    let on_delete = use_callback(edit.clone(), |(), edit| edit.emit(Action::DeleteSelected));
    let on_seed = use_callback(edit.clone(), |seed: u64, edit| {
        edit.emit(Action::SetSeed(seed))
    });
    let on_add_fault = edit.reform(Action::AddFault);
    let on_remove_fault = edit.reform(Action::RemoveFault);
    let close_notice = edit.reform(|_: MouseEvent| Action::Notify(None));
    // What happened, made each frame while the timeline shows (not while it is hidden).
    let report = Rc::new(
        session
            .sim()
            .filter(|_| !props.hide_faults)
            .map(engine::report::report)
            .unwrap_or_default(),
    );
    let picked_at = position_of(&report, (*picked).as_ref());
    let on_pick = {
        let (report, picked, edit) = (report.clone(), picked.clone(), edit.clone());
        let ids: Vec<String> = editor
            .scenario
            .components
            .iter()
            .map(|c| c.id.clone())
            .collect();
        Callback::from(move |i: usize| {
            let Some(m) = report.moments.get(i) else {
                return;
            };
            picked.set(Some(key_of(m)));
            let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
            if let Some(id) = component_of(m, &ids) {
                edit.emit(Action::Select(Some(Selection::Component(id.to_string()))));
            }
        })
    };

    let chart_id = match &editor.selection {
        Some(Selection::Component(id)) => Some(id.clone()),
        _ => props.focus.as_ref().map(|f| f.to_string()),
    };
    let palette = if prefers_dark() { DARK } else { LIGHT };
    let mut live = session
        .sim()
        .map(|sim| views::live(sim, &editor.scenario, chart_id.as_deref(), palette))
        .unwrap_or_default();
    if let Some(m) = picked_at.and_then(|i| report.moments.get(i)) {
        live.charts.bands.push(cursor_at(m));
    }
    if let Some(guide) = props.guide.as_deref() {
        // A system-wide goal's guess is drawn on whichever chart is shown (the focus, or the
        // whole system).
        if guide.component.is_none() || guide.component == chart_id {
            views::add_guide(&mut live.charts, guide, palette);
        }
    }
    let scenario = Rc::new(editor.scenario.clone());
    let faults_locked = editor
        .scenario
        .locked
        .iter()
        .find(|l| props.hold_locks && l.path == "faults")
        .map(|l| AttrValue::from(l.why.clone()));
    let side = match &editor.selection {
        Some(Selection::Component(_)) => editor.selected_component().cloned().map(|c| {
            let id = c.id.clone();
            let refusal = refusal_at(editor, &Place::Component(id.clone()));
            let locks = if props.hold_locks {
                crate::components::inspector::locks_of(&editor.scenario, &id)
            } else {
                Vec::new()
            };
            let locks = Rc::new(locks);
            html! { <LazyInspector key={id} component={c} {refusal} {locks} on_spec={on_spec.clone()} on_rename={on_rename.clone()} on_delete={on_delete.clone()} /> }
        }),
        Some(Selection::Wire(i)) => Some(wire_inspector(&WireInspectorProps {
            scenario: scenario.clone(),
            index: *i,
            refusal: refusal_at(editor, &Place::Wire(*i)),
            required: required_call(&editor.scenario, *i, props.hold_locks),
            edit: edit.clone(),
        })),
        Some(Selection::Components(ids)) => Some(selection_inspector(ids, &edit)),
        None => None,
    }
    .unwrap_or_else(|| selection_inspector(&[], &edit));
    let problems = problems::place_problems(&editor.scenario, session.build_error());
    html! {
        <>
            <Controls running={props.run.running} runnable={session.runnable()} clock_s={live.clock_s}
                speed={props.run.speed} seed={editor.scenario.seed} can_undo={editor.can_undo()} can_redo={editor.can_redo()}
                on={on_control} on_speed={props.run.set_speed.clone()} {on_seed} {on_import} />
            { messages(&session, props.unsaved, close_notice) }
            <main class="workspace">
                <Palette placed={editor.scenario.components.len()} dispatch={edit.clone()} />
                <Canvas scenario={scenario.clone()} live={Rc::new(live.live)} partitioned={Rc::new(live.partitioned)} problems={Rc::new(problems)}
                    selection={editor.selection.clone()} window_s={editor.scenario.window_ms / 1_000.0} loaded={editor.loaded} dispatch={edit.clone()} />
                <aside class="side">
                    { props.side.clone() }
                    { side }
                    <Faults scenario={scenario} locked={faults_locked} hidden={props.hide_faults} now_s={live.clock_s} refusal={refusal_at(editor, &Place::Faults)} on_add={on_add_fault} on_remove={on_remove_fault} />
                    <Compare pinned={compare.pinned.as_ref().map(|s| s.name.clone())} showing={compare.view.is_some()}
                        on_pin={compare.pin} on_compare={compare.compare} on_clear={compare.clear} />
                </aside>
            </main>
            <Charts view={Rc::new(live.charts)} />
            if props.hide_faults {
                <section class="timeline" aria-label="What happened">
                    <h2>{ "What happened" }</h2>
                    <p class="hint">{ "The timeline of what happened shows once you have named the culprit: it would give the answer away." }</p>
                </section>
            } else {
                <Timeline {report} picked={picked_at} {on_pick} />
            }
            if let Some(ab) = compare.view {
                <Charts view={ab} />
            }
            <Observability logs={Rc::new(live.logs)} trace={live.trace} names={Rc::new(live.names)} />
            if let Some(request) = &*dialog {
                <LazyDialog request={request.clone()} on_close={close_dialog} />
            }
        </>
    }
}

/// Why the call the wire at `index` makes is required (a `calls:` lock on its two ends), when
/// the screen holds its locks.
fn required_call(scenario: &engine::Scenario, index: usize, hold: bool) -> Option<AttrValue> {
    let w = scenario.wires.get(index).filter(|_| hold)?;
    let path = format!("{}{}->{}", engine::conditions::CALLS_PREFIX, w.from, w.to);
    let lock = scenario.locked.iter().find(|l| l.path == path)?;
    Some(AttrValue::from(lock.why.clone()))
}
