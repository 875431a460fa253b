//! A lesson: the story and its live goals beside the canvas, hints, the solution and a reset;
//! finishing it is remembered in the browser.

use crate::components::lesson_panel::LessonPanel;
use crate::components::topbar::top_bar;
use crate::components::workbench::Workbench;
use crate::hooks::{use_run, use_session, Run};
use crate::io;
use crate::lessons::{self, Lesson};
use crate::route::Route;
use crate::state::{Action, Editor};
use std::rc::Rc;
use yew::prelude::*;

/// Properties of [`LessonScreen`].
#[derive(Properties, PartialEq, Debug)]
pub struct LessonScreenProps {
    /// Which lesson.
    pub slug: &'static str,
    /// Opens another screen.
    pub navigate: Callback<Route>,
}

/// The lesson screen.
#[function_component(LessonScreen)]
pub fn lesson_screen(props: &LessonScreenProps) -> Html {
    // Parsed once per screen, not on every redraw.
    let lesson: Option<Rc<Lesson>> =
        (*use_memo(props.slug, |slug| lessons::lesson(slug).map(Rc::new))).clone();
    let start = lesson
        .as_ref()
        .map_or_else(crate::state::empty, |l| l.start.clone());
    let session = use_session(Box::new(move || Editor::new(start)));
    let run = use_run(&session);
    let navigate = props.navigate.clone();
    let on_home = {
        let navigate = navigate.clone();
        Callback::from(move |()| navigate.emit(Route::Home))
    };
    let (goals, now_s, seed) = {
        let s = session.borrow();
        let goals = s.sim().map(|sim| sim.goals()).unwrap_or_default();
        let now_s = s.sim().map_or(0.0, |sim| sim.now().as_secs());
        (goals, now_s, s.editor.scenario.seed)
    };
    // A lesson is finished when every goal has passed and every goal's interval has ended.
    let finished = !goals.is_empty() && goals.iter().all(|g| g.passed && g.settled);
    use_effect_with((finished, props.slug), |&(finished, slug)| {
        if finished {
            io::complete(slug);
        }
    });
    let Some(lesson) = lesson else {
        return html! { <div class="shell">{ top_bar(None, on_home) }<p class="notice error">{ "This lesson's files could not be read." }</p></div> };
    };
    let edit = session.edit.clone();
    let on_solution = {
        let (edit, solution) = (edit.clone(), lesson.solution.clone());
        Callback::from(move |()| {
            let mut s = solution.clone();
            s.seed = seed;
            edit.emit(Action::Load {
                scenario: Box::new(s),
                source: "the solution".into(),
            });
        })
    };
    let on_reset = {
        let (edit, run, l) = (edit.clone(), run.control.clone(), lesson.clone());
        Callback::from(move |()| {
            io::forget(l.slug);
            run.emit(Run::Pause);
            edit.emit(Action::Open {
                scenario: Box::new(l.start.clone()),
                source: format!("the lesson \"{}\"", l.meta.title),
            });
            edit.emit(Action::Notify(None));
        })
    };
    let on_back = on_home.clone();
    let document = session.borrow().editor.scenario.name.clone();
    let side = html! {
        <LessonPanel lesson={lesson.clone()} goals={Rc::new(goals)} {seed} {now_s} {on_solution} {on_reset} {on_back} />
    };
    html! {
        <div class="shell in-lesson">
            { top_bar(Some(document), on_home) }
            <Workbench {session} {run} {side} focus={Some(AttrValue::from(lesson.meta.focus.clone()))} />
        </div>
    }
}
