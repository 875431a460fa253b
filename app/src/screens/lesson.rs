//! A lesson: the story and its live goals beside the canvas, hints, the solution and a reset;
//! finishing it is remembered in the browser. The lesson's story and scenarios are fetched when
//! the screen opens (they are not in the first download); until then the screen says so.

use crate::components::lesson_panel::LessonPanel;
use crate::components::topbar::top_bar;
use crate::components::workbench::Workbench;
use crate::diagnosis::Diagnosis;
use crate::hooks::{use_run, use_session, Run, SessionHandle};
use crate::io;
use crate::lessons::{self, Lesson};
use crate::route::Route;
use crate::state::{Action, Editor};
use crate::views::Guide;
use engine::goal::GoalStatus;
use std::rc::Rc;
use yew::prelude::*;

/// The locked conditions a run broke, live or in the document, one sentence each, judged by the
/// locks of `start` (a lesson's or a challenge's own: a document imported over it cannot bring
/// locks of its own).
pub(crate) fn changed_conditions(
    s: &crate::session::Session,
    start: Option<&engine::Scenario>,
) -> Vec<String> {
    let mut out: Vec<engine::conditions::Change> = s
        .sim()
        .map(|sim| sim.conditions_changed().to_vec())
        .unwrap_or_default();
    let mut names = &s.editor.scenario;
    if let Some(start) = start {
        let mut doc = s.editor.scenario.clone();
        doc.locked = start.locked.clone();
        for c in engine::conditions::changed(&doc) {
            if !out.iter().any(|o| o.path == c.path) {
                out.push(c);
            }
        }
        names = start;
    }
    let subject = |path: &str| crate::problems::condition_subject(names, path);
    out.iter().map(|c| c.describe(&subject(&c.path))).collect()
}

/// Properties of [`LessonScreen`].
#[derive(Properties, PartialEq, Debug)]
pub struct LessonScreenProps {
    /// Which lesson.
    pub slug: &'static str,
    /// Whether this is the lesson's harder variant.
    #[prop_or_default]
    pub harder: bool,
    /// Opens another screen.
    pub navigate: Callback<Route>,
}

/// The lesson's files: not yet here, here, or a sentence saying why not.
type Loaded = Option<Result<Rc<Lesson>, String>>;

/// Opens the lesson's starting scenario in the session (a fresh history) once it has arrived.
fn open_start(edit: &Callback<Action>, lesson: &Lesson) {
    edit.emit(Action::Open {
        scenario: Box::new(lesson.start.clone()),
        source: format!("the lesson \"{}\"", lesson.meta.title),
    });
    edit.emit(Action::Notify(None));
}

/// What the learner did in the panel: their guess before the run (an answer's position) and
/// where they stand with naming the culprit. Both start afresh when another lesson opens.
struct Learner {
    guess: UseStateHandle<Option<usize>>,
    diagnosis: UseStateHandle<Diagnosis>,
    /// Whether the solution was shown since the lesson (re)started: goals met then do not mark
    /// the lesson as done.
    peeked: UseStateHandle<bool>,
    /// Which conditions the system runs under: 0 the lesson's own, then its other profiles.
    profile: UseStateHandle<usize>,
}

impl Learner {
    fn on_guess(&self) -> Callback<usize> {
        let guess = self.guess.clone();
        Callback::from(move |i| guess.set(Some(i)))
    }

    fn on_diagnosis(&self) -> Callback<Diagnosis> {
        let diagnosis = self.diagnosis.clone();
        Callback::from(move |d| diagnosis.set(d))
    }
}

/// The lesson's own conditions, as a profile: its start's values for every field the other
/// profiles set.
fn production(lesson: &Lesson) -> Option<lessons::Profile> {
    let mut set: Vec<(String, serde_json::Value)> = Vec::new();
    for (path, _) in lesson.meta.profiles.iter().flat_map(|p| &p.set) {
        if !set.iter().any(|(p, _)| p == path) {
            set.push((
                path.clone(),
                engine::conditions::value_at(&lesson.start, path)?,
            ));
        }
    }
    Some(lessons::Profile {
        label: "Production (the lesson's own)".into(),
        set,
    })
}

/// The guess drawn on the chart once the goal it is about has been measured to its end.
fn guide(lesson: &Lesson, goals: &[GoalStatus], guess: Option<usize>) -> Option<Rc<Guide>> {
    let predict = lesson.meta.predict.as_ref()?;
    let (words, value) = predict.choices.get(guess?)?;
    let goal = goals.get(predict.goal).filter(|g| g.settled)?;
    Some(Rc::new(Guide {
        component: goal.component.clone(),
        metric: goal.metric,
        value: *value,
        label: format!("your guess: {words}"),
    }))
}

/// Where the run stands for the panel: the goals as measured now, the locked conditions it
/// changed, and the way to the harder variant once the lesson is done.
struct Standing {
    goals: Rc<Vec<GoalStatus>>,
    changed: Rc<Vec<String>>,
    on_harder: Option<Callback<()>>,
}

/// The lesson panel, showing where the run stands, and its callbacks: show the solution (on
/// the current seed), start again, go back.
fn panel(
    lesson: &Rc<Lesson>,
    standing: Standing,
    learner: &Learner,
    session: &SessionHandle,
    run: &Callback<Run>,
    on_home: &Callback<()>,
) -> Html {
    // A culprit still to be found is not named by the report either.
    let hidden = lesson.meta.find.is_some() && !learner.diagnosis.settled();
    let (now_s, seed, report) = {
        let s = session.borrow();
        let now_s = s.sim().map_or(0.0, |sim| sim.now().as_secs());
        // At the run's end, what happened, beside the goals.
        let report = s
            .sim()
            .filter(|sim| sim.now() >= sim.end() && !hidden)
            .map(|sim| Rc::new(engine::report::report(sim)));
        (now_s, s.editor.scenario.seed, report)
    };
    let Standing {
        goals,
        changed,
        on_harder,
    } = standing;
    let on_solution = {
        let (edit, solution) = (session.edit.clone(), lesson.solution.clone());
        let peeked = learner.peeked.clone();
        Callback::from(move |()| {
            peeked.set(true);
            let mut s = solution.clone();
            s.seed = seed;
            edit.emit(Action::Load {
                scenario: Box::new(s),
                source: "the solution".into(),
            });
        })
    };
    let on_profile = {
        let (edit, cell, l) = (session.edit.clone(), session.cell(), lesson.clone());
        let profile = learner.profile.clone();
        Callback::from(move |i: usize| {
            // The learner's own design under the chosen conditions: the lesson's (its start's
            // values for the same fields) or another profile's.
            let chosen = match i.checked_sub(1) {
                None => production(&l),
                Some(k) => l.meta.profiles.get(k).cloned(),
            };
            let Some(chosen) = chosen else { return };
            let doc = cell.borrow().editor.scenario.clone();
            if let Ok(scenario) = chosen.apply(&doc) {
                profile.set(i);
                edit.emit(Action::Load {
                    scenario: Box::new(scenario),
                    source: format!("the conditions \"{}\"", chosen.label),
                });
            }
        })
    };
    let on_reset = {
        let (edit, run, l) = (session.edit.clone(), run.clone(), lesson.clone());
        let (peeked, profile) = (learner.peeked.clone(), learner.profile.clone());
        Callback::from(move |()| {
            peeked.set(false);
            profile.set(0);
            io::forget(l.slug);
            run.emit(Run::Pause);
            open_start(&edit, &l);
        })
    };
    html! {
        <LessonPanel lesson={lesson.clone()} {goals} {changed} guess={*learner.guess} on_guess={learner.on_guess()}
            diagnosis={*learner.diagnosis} on_diagnosis={learner.on_diagnosis()} {on_harder} peeked={*learner.peeked} profile={*learner.profile} {on_profile} {seed} {now_s} {report} {on_solution} {on_reset} on_back={on_home.clone()} />
    }
}

/// The lesson screen.
#[function_component(LessonScreen)]
pub fn lesson_screen(props: &LessonScreenProps) -> Html {
    let loaded = use_state(|| None as Loaded);
    let learner = Learner {
        guess: use_state(|| None),
        diagnosis: use_state(Diagnosis::default),
        peeked: use_state(|| false),
        profile: use_state(|| 0),
    };
    {
        let (guess, diagnosis) = (learner.guess.clone(), learner.diagnosis.clone());
        let (peeked, profile) = (learner.peeked.clone(), learner.profile.clone());
        use_effect_with(props.slug, move |_| {
            guess.set(None);
            diagnosis.set(Diagnosis::Looking);
            peeked.set(false);
            profile.set(0);
        });
    }
    let session = use_session(Box::new(|| Editor::new(crate::state::empty())));
    let run = use_run(&session);
    {
        let (loaded, edit) = (loaded.clone(), session.edit.clone());
        use_effect_with((props.slug, props.harder), move |&(slug, harder)| {
            wasm_bindgen_futures::spawn_local(async move {
                let lesson = lessons::fetch(slug, harder).await.map(Rc::new);
                if let Ok(l) = &lesson {
                    open_start(&edit, l);
                }
                loaded.set(Some(lesson));
            });
        });
    }
    let navigate = props.navigate.clone();
    let on_home = Callback::from(move |()| navigate.emit(Route::Home));
    // Measured once a redraw, for the panel and for finishing. A lesson is finished when every
    // goal has passed and every goal's interval has ended.
    let goals = Rc::new(
        session
            .borrow()
            .sim()
            .map(|sim| sim.goals())
            .unwrap_or_default(),
    );
    let changed: Rc<Vec<String>> = Rc::new(changed_conditions(
        &session.borrow(),
        match &*loaded {
            Some(Ok(lesson)) => Some(&lesson.start),
            _ => None,
        },
    ));
    // A lesson with a diagnosis to make finishes only once it is settled, and counts as done
    // only if the learner found the culprit rather than ran out of guesses.
    let asks = matches!(&*loaded, Some(Ok(l)) if l.meta.find.is_some());
    let diagnosed = !asks || learner.diagnosis.settled();
    let finished = changed.is_empty()
        && diagnosed
        && !goals.is_empty()
        && goals.iter().all(|g| g.passed && g.settled);
    let earned = finished && !*learner.peeked && *learner.diagnosis != Diagnosis::Shown;
    use_effect_with(
        (earned, props.slug, props.harder),
        |&(earned, slug, harder)| {
            // The lesson counts as done for the list when solved without the solution shown; its
            // harder variant is extra.
            if earned && !harder {
                io::complete(slug);
            }
        },
    );
    let lesson = match &*loaded {
        Some(Ok(lesson)) => lesson.clone(),
        Some(Err(why)) => {
            return html! { <div class="shell">{ top_bar(None, on_home) }<p class="notice error" role="alert">{ format!("This lesson could not be opened: {why}") }</p></div> };
        }
        None => {
            return html! { <div class="shell">{ top_bar(None, on_home) }<p class="notice" role="status">{ "Opening the lesson…" }</p></div> };
        }
    };
    let guide = guide(&lesson, &goals, *learner.guess);
    // A culprit to find is not named by the faults panel before the learner names it.
    let hide_faults = lesson.meta.find.is_some() && !learner.diagnosis.settled();
    let on_harder = (lesson.meta.harder.is_some() && finished).then(|| {
        let (navigate, slug) = (props.navigate.clone(), props.slug);
        Callback::from(move |()| navigate.emit(Route::Harder(slug)))
    });
    let standing = Standing {
        goals,
        changed,
        on_harder,
    };
    let side = panel(
        &lesson,
        standing,
        &learner,
        &session,
        &run.control,
        &on_home,
    );
    let document = session.borrow().editor.scenario.name.clone();
    html! {
        <div class="shell in-lesson">
            { top_bar(Some(document), on_home) }
            <Workbench {session} {run} {side} {guide} {hide_faults} hold_locks=true focus={Some(AttrValue::from(lesson.meta.focus.clone()))}
                lesson={(!props.harder).then(|| (props.slug, AttrValue::from(lesson.meta.title.clone())))}
                reveal={Rc::new(crate::hooks::Reveal {
                    notes: match &lesson.meta.predict {
                        Some(p) => format!("{}\n\nAsk the room first: {}", lesson.meta.hook, p.question),
                        None => lesson.meta.hook.clone(),
                    },
                    hints: lesson.meta.hints.clone(),
                    lesson: (!props.harder).then_some(props.slug),
                    ..Default::default()
                })}
                challenge_lesson={lesson.clone()} />
        </div>
    }
}
