//! A challenge, as a participant opens it from a link (`#challenge=...`, format in
//! [`crate::challenge`]): the brief and the live goals beside the canvas, the locked conditions
//! read-only, hints released one at a time, the solution sealed until the facilitator hands out
//! the released link, and a result card with the answer link to paste into the chat once the run
//! has reached its end.

use super::lesson::changed_conditions;
use crate::challenge::{Answer, Challenge};
use crate::components::dialog::copy_on_click;
use crate::components::find_it::FindIt;
use crate::components::goals::{goal_list, goal_section, GoalState};
use crate::components::lesson_panel::{hint_list, hints_open};
use crate::components::topbar::top_bar;
use crate::components::workbench::Workbench;
use crate::diagnosis::Diagnosis;
use crate::hooks::{use_run, use_session, Reveal, Run};
use crate::route::Route;
use crate::state::{Action, Editor};
use crate::{io, markdown};
use std::rc::Rc;
use yew::prelude::*;

/// The challenge screen, opened from a challenge link (a function, not a component: the view
/// below keeps the state).
pub fn challenge_screen(navigate: Callback<Route>) -> Html {
    match Challenge::from_link(&io::fragment()) {
        Ok(challenge) => html! { <ChallengeView {navigate} challenge={Rc::new(challenge)} /> },
        Err(why) => {
            let on_home = Callback::from(move |()| navigate.emit(Route::Home));
            html! {
                <div class="shell">{ top_bar(None, on_home) }
                    <p class="notice error" role="alert">{ format!("This challenge could not be opened: {why}") }</p>
                </div>
            }
        }
    }
}

/// What the challenge view is given.
#[derive(Properties, PartialEq)]
pub struct ChallengeViewProps {
    /// Opens a screen.
    pub navigate: Callback<Route>,
    pub challenge: Rc<Challenge>,
    /// A live room's seat, when the challenge was opened from one (`#room=CODE`): the design
    /// starts from the one the room kept, and the room's panel sends answers.
    #[prop_or_default]
    pub seat: Option<Rc<crate::room::Seat>>,
}

/// A challenge being worked on: from its link, or from a live room.
#[function_component(ChallengeView)]
pub fn challenge_view(props: &ChallengeViewProps) -> Html {
    let session = {
        // Read once, when the view mounts: a design kept by the room comes back.
        let start = props.challenge.start.clone();
        let kept = props.seat.as_ref().and_then(|s| s.design.clone());
        use_session(Box::new(move || {
            let design = kept.and_then(|d| engine::scenario::Scenario::from_json(&d).ok());
            Editor::new(design.unwrap_or(start))
        }))
    };
    let run = use_run(&session);
    let hints_shown = use_state_eq(|| 0usize);
    let diagnosis = use_state_eq(Diagnosis::default);
    let copied = use_state_eq(|| None::<&'static str>);
    // Released from the facilitator window (the link may say so itself).
    let released_here = use_state_eq(|| false);
    let on_home = {
        let navigate = props.navigate.clone();
        Callback::from(move |()| navigate.emit(Route::Home))
    };
    let challenge = props.challenge.clone();
    let (goals, now_s, ended, changed, cost, seed) = {
        let s = session.borrow();
        let sim = s.sim();
        let scenario = &s.editor.scenario;
        (
            sim.map(|sim| sim.goals()).unwrap_or_default(),
            sim.map_or(0.0, |sim| sim.now().as_secs()),
            sim.is_some_and(|sim| sim.now() >= sim.end()),
            changed_conditions(&s, Some(&challenge.start)),
            engine::kinds::design_cost_per_hour(scenario),
            scenario.seed,
        )
    };
    // The answer, and its link (a deflated scenario), only once there is a result to send.
    let card = ended.then(|| {
        let answer = challenge.answer(&session.borrow().editor.scenario, *diagnosis);
        (format!("{}#{}", io::page_address(), answer.link()), answer)
    });
    // Hints that point at the culprit wait until it is named (or the guesses are used up).
    let open = hints_open(challenge.find.as_ref(), *diagnosis, challenge.hints.len());
    let shown = (*hints_shown).min(open);
    let reveal = {
        let hints_shown = hints_shown.clone();
        Callback::from(move |_: MouseEvent| hints_shown.set((shown + 1).min(open)))
    };
    let find_it = challenge.find.clone().map(|find| {
        let on_diagnosis = {
            let diagnosis = diagnosis.clone();
            Callback::from(move |d| diagnosis.set(d))
        };
        html! { <FindIt find={Rc::new(find)} start={Rc::new(challenge.start.clone())} diagnosis={*diagnosis} {on_diagnosis} /> }
    });
    let released = challenge.released || *released_here;
    let load_solution = challenge
        .solution
        .clone()
        .filter(|_| released)
        .map(|solution| {
            let (edit, control) = (session.edit.clone(), run.control.clone());
            Callback::from(move |_: MouseEvent| {
                control.emit(Run::Pause);
                edit.emit(Action::Load {
                    scenario: Box::new(solution.clone()),
                    source: "the released solution".into(),
                });
            })
        });
    let restart = {
        let (edit, control, start) = (
            session.edit.clone(),
            run.control.clone(),
            challenge.start.clone(),
        );
        Callback::from(move |_: MouseEvent| {
            control.emit(Run::Pause);
            edit.emit(Action::Open {
                scenario: Box::new(start.clone()),
                source: "the challenge's start".into(),
            });
        })
    };
    let passed = goals.iter().filter(|g| g.passed && g.settled).count();
    let summary = format!(
        "{passed} of {} goals met · capacity ${cost:.2} an hour · seed {seed}",
        goals.len()
    );
    let side = html! {
        <section class="lesson-panel challenge-panel" aria-label="Challenge">
            <h2>{ challenge.title.clone() }</h2>
            <div class="story">{ markdown::render(&challenge.brief) }</div>
            { goal_section(&goals, now_s, false) }
            if !changed.is_empty() {
                <div class="notice error" role="alert">
                    { "Conditions changed; this run would be flagged, not ranked:" }
                    <ul>{ for changed.iter().map(|c| html! { <li>{ c.clone() }</li> }) }</ul>
                </div>
            }
            { find_it.unwrap_or_default() }
            if let Some(seat) = props.seat.clone() {
                <super::room::RoomPanel {seat} session={session.clone()} {ended} flagged={!changed.is_empty()} />
            }
            { hint_list(&challenge.hints, shown, open, reveal) }
            if let Some(load) = load_solution {
                <button onclick={load}>{ "Load the released solution" }</button>
            } else if challenge.solution.is_some() {
                <p class="hint">{ "The solution is sealed until your facilitator releases it." }</p>
            }
            <button onclick={restart}>{ "Start over" }</button>
            if let Some((url, answer)) = card {
                { result_card(&challenge, &summary, &goals, now_s, *diagnosis, !changed.is_empty(), &copied, url, answer) }
            } else {
                <p class="hint">{ "Run it to the end for your result card and answer link." }</p>
            }
        </section>
    };
    let reveal = Rc::new(Reveal {
        notes: challenge.brief.clone(),
        hints: challenge.hints.clone(),
        shown: *hints_shown,
        on_hint: Some({
            let (hints_shown, total) = (hints_shown.clone(), challenge.hints.len());
            Callback::from(move |()| hints_shown.set((*hints_shown + 1).min(total)))
        }),
        solution: challenge.solution.as_ref().map(|_| released),
        on_release: Some({
            let released_here = released_here.clone();
            Callback::from(move |()| released_here.set(true))
        }),
        lesson: None,
    });
    let document = session.borrow().editor.scenario.name.clone();
    // A culprit to find is not named by the faults panel before it is named.
    let hide_faults = challenge.find.is_some() && !diagnosis.settled();
    html! {
        <div class="shell in-lesson">
            { top_bar(Some(document), on_home) }
            <Workbench {session} {run} {side} {reveal} {hide_faults} hold_locks=true />
        </div>
    }
}

/// The result card, once the run has ended: the summary, the culprit named or not, the goals,
/// and the answer as a link to paste, a PNG and a file.
#[allow(clippy::too_many_arguments)] // The card shows each of these; a struct would only rename them.
fn result_card(
    challenge: &Challenge,
    summary: &str,
    goals: &[engine::goal::GoalStatus],
    now_s: f64,
    diagnosis: Diagnosis,
    flagged: bool,
    copied: &UseStateHandle<Option<&'static str>>,
    url: String,
    answer: Answer,
) -> Html {
    html! {
        <section class="result-card" aria-label="Your result">
            <h3>{ "Your result" }</h3>
            <p>{ summary.to_string() }</p>
            if challenge.find.is_some() {
                <p class="culprit">{ match diagnosis {
                    Diagnosis::Looking => "Culprit: not named yet (Find it, above); the answer says so.".to_string(),
                    d => format!("Culprit: {}.", d.words()),
                } }</p>
            }
            { goal_list(goals, now_s) }
            if flagged {
                <p class="embed-note">{ "Conditions changed: this answer will be flagged." }</p>
            }
            <label for="answer-link">{ "Answer link: paste it into the chat" }</label>
            <input id="answer-link" readonly=true value={url.clone()} />
            <button class="primary" onclick={copy_on_click(copied, "answer", url.clone())}>{ if **copied == Some("answer") { "Copied" } else { "Copy answer link" } }</button>
            <button onclick={save_png(&challenge.title, summary, goals, &url)}>{ "Save the card as PNG" }</button>
            <button onclick={save_answer(answer)} title="For a facilitator who collects files: the compare page reads it">{ "Save the answer as a file" }</button>
        </section>
    }
}

/// The answer's file download (answer.json), made when pressed.
fn save_answer(answer: Answer) -> Callback<MouseEvent> {
    Callback::from(move |_: MouseEvent| {
        io::download("answer.json", &answer.file(), "application/json")
    })
}

/// The card's PNG download, drawn when pressed.
fn save_png(
    title: &str,
    summary: &str,
    goals: &[engine::goal::GoalStatus],
    link: &str,
) -> Callback<MouseEvent> {
    let (title, summary, goals, link) = (
        title.to_string(),
        summary.to_string(),
        goals.to_vec(),
        link.to_string(),
    );
    Callback::from(move |_: MouseEvent| {
        if let Some(url) = card_png(&title, &summary, &goals, &link) {
            io::download_url("result.png", &url);
        }
    })
}

/// The result card drawn as a PNG (a picture to paste where links are not welcome): the title,
/// the summary line, each goal with its measured value, and the answer link.
fn card_png(
    title: &str,
    summary: &str,
    goals: &[engine::goal::GoalStatus],
    link: &str,
) -> Option<String> {
    use wasm_bindgen::JsCast;
    let document = web_sys::window()?.document()?;
    let canvas = document
        .create_element("canvas")
        .ok()?
        .dyn_into::<web_sys::HtmlCanvasElement>()
        .ok()?;
    let (width, pad, line) = (900.0, 32.0, 26.0);
    // The link wrapped at a fixed count of monospace characters.
    let link_lines: Vec<String> = link
        .chars()
        .collect::<Vec<_>>()
        .chunks(96)
        .map(|c| c.iter().collect())
        .collect();
    let height =
        pad * 2.0 + line * (3.0 + goals.len() as f64) + 16.0 * link_lines.len() as f64 + 24.0;
    canvas.set_width(width as u32);
    canvas.set_height(height as u32);
    let ctx = canvas
        .get_context("2d")
        .ok()??
        .dyn_into::<web_sys::CanvasRenderingContext2d>()
        .ok()?;
    ctx.set_fill_style_str("#ffffff");
    ctx.fill_rect(0.0, 0.0, width, height);
    ctx.set_fill_style_str("#16202b");
    ctx.set_font("bold 24px sans-serif");
    let mut y = pad + 20.0;
    ctx.fill_text(title, pad, y).ok()?;
    y += line + 4.0;
    ctx.set_font("17px sans-serif");
    ctx.fill_text(summary, pad, y).ok()?;
    y += line;
    for g in goals {
        // The card is drawn once the run has ended.
        let read = crate::components::goals::goal_line(g, f64::MAX);
        ctx.set_fill_style_str(match read.state {
            GoalState::Pass => "#1f6fb2",
            GoalState::Fail => "#c2410c",
            GoalState::Waiting => "#5b6470",
        });
        let text = format!("{} {}: {}", read.state.mark(), read.label, read.value);
        ctx.fill_text(&text, pad, y).ok()?;
        y += line;
    }
    ctx.set_fill_style_str("#5b6b7c");
    ctx.set_font("13px monospace");
    y += 8.0;
    for l in &link_lines {
        ctx.fill_text(l, pad, y).ok()?;
        y += 16.0;
    }
    canvas.to_data_url_with_type("image/png").ok()
}
