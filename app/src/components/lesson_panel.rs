//! A lesson beside the canvas: the story, the goals as a live checklist with measured values,
//! hints on demand, the solution, and a before/after comparison on the same seed.

use crate::components::find_it::FindIt;
use crate::diagnosis::{Diagnosis, Find};
use crate::lessons::{Lesson, Predict};
use engine::goal::GoalStatus;
use engine::scenario::{Comparison, GoalMetric};
use engine::{Scenario, Simulation};
use std::rc::Rc;
use yew::prelude::*;

/// Properties of [`LessonPanel`].
#[derive(Properties, PartialEq, Debug)]
pub struct LessonPanelProps {
    /// The lesson.
    pub lesson: Rc<Lesson>,
    /// The goals as the running simulation measures them.
    pub goals: Rc<Vec<GoalStatus>>,
    /// The locked conditions this run changed, one sentence each (empty: the goals count).
    #[prop_or_default]
    pub changed: Rc<Vec<String>>,
    /// The answer the learner picked before the run, by position, if they did.
    #[prop_or_default]
    pub guess: Option<usize>,
    /// Picks an answer.
    #[prop_or_default]
    pub on_guess: Callback<usize>,
    /// Where the learner stands with naming the culprit (lessons with a diagnosis).
    #[prop_or_default]
    pub diagnosis: Diagnosis,
    /// The learner named the culprit, or ran out of guesses.
    #[prop_or_default]
    pub on_diagnosis: Callback<Diagnosis>,
    /// Whether the solution was shown (goals met then do not mark the lesson as done).
    #[prop_or_default]
    pub peeked: bool,
    /// Which conditions the run is under: 0 the lesson's own, then its other profiles.
    #[prop_or_default]
    pub profile: usize,
    /// Chooses the conditions.
    #[prop_or_default]
    pub on_profile: Callback<usize>,
    /// Opens the harder variant; present once the lesson is done and it has one.
    #[prop_or_default]
    pub on_harder: Option<Callback<()>>,
    /// The seed in use.
    pub seed: u64,
    /// Simulated seconds so far (at zero nothing has been measured yet).
    pub now_s: f64,
    /// What happened, once the run has ended (None while it runs).
    #[prop_or_default]
    pub report: Option<Rc<engine::report::Report>>,
    /// Load the solution.
    pub on_solution: Callback<()>,
    /// Start the lesson over.
    pub on_reset: Callback<()>,
    /// Back to the lesson list.
    pub on_back: Callback<()>,
}

/// Runs a scenario to its end with `seed` and returns its goals.
pub fn final_goals(scenario: &Scenario, seed: u64) -> Vec<GoalStatus> {
    let mut s = scenario.clone();
    s.seed = seed;
    match Simulation::new(&s) {
        Ok(mut sim) => {
            sim.run();
            sim.goals()
        }
        Err(_) => Vec::new(),
    }
}

/// A goal's target in words ("≤ 0", "≥ 0.990").
pub(crate) fn target(g: &GoalStatus) -> String {
    let cmp = match g.compare {
        Comparison::AtMost => "≤",
        Comparison::AtLeast => "≥",
    };
    format!("{cmp} {}", amount(g.metric, g.target))
}

/// A measured value or a target in the goal's own terms: money as dollars an hour.
pub(crate) fn amount(metric: GoalMetric, v: f64) -> String {
    match metric {
        GoalMetric::CostPerHour => format!("${v:.2}/h"),
        _ => value(v),
    }
}

fn value(v: f64) -> String {
    if v.fract() == 0.0 {
        format!("{v:.0}")
    } else if v.abs() < 10.0 {
        format!("{v:.3}")
    } else {
        format!("{v:.1}")
    }
}

/// "Before you press Play": the question and its answers; after the run, the guess beside what
/// happened (the chart that shows the quantity draws the guess as a line too).
fn predict_box(p: &Predict, props: &LessonPanelProps) -> Html {
    let goal = props.goals.get(p.goal);
    let started = props.now_s > 0.0;
    let reveal = match (props.guess.and_then(|i| p.choices.get(i)), goal) {
        (Some((words, _)), Some(g)) if g.settled => {
            let drawn = if crate::views::chart_of(g.metric).is_some() {
                " Your guess is the flat line labelled \"your guess\" on its chart."
            } else {
                ""
            };
            Some(format!(
                "You guessed {words}; it was {}.{drawn}",
                amount(g.metric, g.measured)
            ))
        }
        (Some((words, _)), _) => Some(format!("Your guess: {words}. Press Play and see.")),
        (None, _) if started => {
            Some("No guess this time: reset the lesson and guess before you press Play.".into())
        }
        (None, _) => None,
    };
    html! {
        <div class="predict">
            <h3>{ "Before you press Play" }</h3>
            <p>{ p.question.clone() }</p>
            <div class="choices" role="group" aria-label="Your guess">
                { for p.choices.iter().enumerate().map(|(i, (words, _))| {
                    let on_guess = props.on_guess.clone();
                    let chosen = props.guess == Some(i);
                    html! {
                        <button class={classes!("choice", chosen.then_some("chosen"))} aria-pressed={chosen.to_string()}
                            disabled={started} onclick={Callback::from(move |_| on_guess.emit(i))}>{ words.clone() }</button>
                    }
                }) }
            </div>
            if let Some(text) = reveal { <p class="reveal" role="status">{ text }</p> }
        </div>
    }
}

/// How many of `total` hints may be read now: all, unless some wait for the culprit.
pub(crate) fn hints_open(find: Option<&Find>, diagnosis: Diagnosis, total: usize) -> usize {
    find.map_or(total, |f| f.hints_open(diagnosis, total))
}

/// The note under hints that wait for the culprit to be named.
/// The hints shown so far, numbered, with a button for the next while more are open, and a word
/// on those held until the culprit is named: a lesson's panel and a challenge's.
pub(crate) fn hint_list(
    hints: &[String],
    shown: usize,
    open: usize,
    on_more: Callback<MouseEvent>,
) -> Html {
    if hints.is_empty() {
        return Html::default();
    }
    html! {
        <div class="hints">
            { for hints.iter().take(shown).enumerate().map(|(i, h)| html! {
                <p class="hint-text"><strong>{ format!("Hint {}: ", i + 1) }</strong>{ h.clone() }</p>
            }) }
            if shown < open {
                <button onclick={on_more}>{ format!("Show a hint ({} left)", hints.len() - shown) }</button>
            }
            { held_hints(open, hints.len()) }
        </div>
    }
}

fn held_hints(open: usize, total: usize) -> Html {
    if open >= total {
        return Html::default();
    }
    let held = total - open;
    html! {
        <p class="hint held-hints">{ format!(
            "{held} more hint{} point{} at the culprit: name it in Find it first.",
            if held == 1 { "" } else { "s" },
            if held == 1 { "s" } else { "" },
        ) }</p>
    }
}

/// The lesson panel.
#[function_component(LessonPanel)]
pub fn lesson_panel(props: &LessonPanelProps) -> Html {
    let hints_shown = use_state(|| 0usize);
    let comparison = use_state(|| None::<Rc<(Vec<GoalStatus>, Vec<GoalStatus>)>>);
    {
        let hints_shown = hints_shown.clone();
        let comparison = comparison.clone();
        use_effect_with(props.lesson.slug, move |_| {
            hints_shown.set(0);
            comparison.set(None);
        });
    }
    let l = &props.lesson;
    let prediction = l
        .meta
        .predict
        .as_ref()
        .map(|p| predict_box(p, props))
        .unwrap_or_default();
    let diagnosis = l
        .meta
        .find
        .as_ref()
        .map(|f| html! { <FindIt find={Rc::new(f.clone())} start={Rc::new(l.start.clone())} diagnosis={props.diagnosis} on_diagnosis={props.on_diagnosis.clone()} /> })
        .unwrap_or_default();
    // Hints that point at the culprit wait until the learner has named it (or run out of guesses).
    let open = hints_open(l.meta.find.as_ref(), props.diagnosis, l.meta.hints.len());
    let shown = (*hints_shown).min(open);
    let more_hint = {
        let hints_shown = hints_shown.clone();
        Callback::from(move |_: MouseEvent| hints_shown.set((shown + 1).min(open)))
    };
    let compare = {
        let comparison = comparison.clone();
        let lesson = l.clone();
        let seed = props.seed;
        Callback::from(move |_: MouseEvent| {
            comparison.set(Some(Rc::new((
                final_goals(&lesson.start, seed),
                final_goals(&lesson.solution, seed),
            ))));
        })
    };
    let all_green =
        props.changed.is_empty() && !props.goals.is_empty() && props.goals.iter().all(|g| g.passed);
    let (solution, reset, back) = (
        props.on_solution.clone(),
        props.on_reset.clone(),
        props.on_back.clone(),
    );
    html! {
        <section class="lesson-panel" aria-label="Lesson">
            <button class="small back" onclick={Callback::from(move |_| back.emit(()))}>{ "← All lessons" }</button>
            <h2>{ l.meta.title.clone() }</h2>
            if !l.meta.profiles.is_empty() {
                <label class="field wide profile">
                    <span class="field-label">{ "Conditions" }</span>
                    <select key={props.profile.to_string()} onchange={{
                        let on_profile = props.on_profile.clone();
                        Callback::from(move |e: Event| {
                            if let Some(s) = e.target_dyn_into::<web_sys::HtmlSelectElement>() {
                                on_profile.emit(s.selected_index().max(0) as usize);
                            }
                        })
                    }}>
                        <option selected={props.profile == 0}>{ "Production (the lesson's own)" }</option>
                        { for l.meta.profiles.iter().enumerate().map(|(i, p)| html! {
                            <option selected={props.profile == i + 1}>{ p.label.clone() }</option>
                        }) }
                    </select>
                </label>
            }
            if !props.changed.is_empty() {
                <div class="conditions-changed" role="status">
                    if props.profile > 0 {
                        <p><strong>{ "Other conditions: these goals do not count." }</strong>
                            { " Try your design here as much as you like; switch back to production to be judged." }</p>
                    } else {
                        <p><strong>{ "Conditions changed: these goals do not count." }</strong>
                            { " The lesson holds these fixed; reset the lesson to try again under them." }</p>
                    }
                    <ul>{ for props.changed.iter().map(|c| html! { <li>{ c.clone() }</li> }) }</ul>
                </div>
            }
            { prediction }
            if props.peeked && all_green {
                <p class="hint">{ "Met with the solution shown, so the lesson is not marked as done: reset it and solve it yourself to mark it." }</p>
            }
            if !props.peeked && all_green && props.diagnosis == Diagnosis::Shown {
                <p class="hint">{ "Met, but the culprit was shown rather than found, so the lesson is not marked as done: reset it and find it yourself to mark it." }</p>
            }
            { crate::components::goals::goal_section(&props.goals, props.now_s, all_green) }
            { props.report.as_deref().map(crate::components::timeline::missed_goal_stories).unwrap_or_default() }
            if let (Some(open), Some(h)) = (&props.on_harder, &l.meta.harder) {
                <div class="harder" role="status">
                    <h3>{ "Done. Ready for a harder one?" }</h3>
                    <p><strong>{ h.title.clone() }</strong>{ ": " }{ h.brief.clone() }</p>
                    <button class="primary" onclick={open.reform(|_: MouseEvent| ())}>{ "Try the harder variant" }</button>
                </div>
            }
            { diagnosis }
            <div class="story" tabindex="0" role="region" aria-label="The lesson">{ crate::markdown::render(&l.story) }</div>
            { hint_list(&l.meta.hints, shown, open, more_hint) }
            <div class="lesson-actions">
                <button onclick={Callback::from(move |_| solution.emit(()))}>{ "Show solution" }</button>
                <button onclick={Callback::from(move |_| reset.emit(()))}>{ "Reset lesson" }</button>
                <button onclick={compare}>{ "Compare before / after" }</button>
            </div>
            if let Some(c) = &*comparison {
                <table class="compare">
                    <caption>{ format!("The whole run, seed {}: the starting system against the solved one", props.seed) }</caption>
                    <thead><tr><th>{ "goal" }</th><th>{ "before" }</th><th>{ "after" }</th></tr></thead>
                    <tbody>
                        { for c.0.iter().zip(c.1.iter()).map(|(b, a)| html! {
                            <tr>
                                <td>{ b.label.clone() }</td>
                                <td class={if b.passed { "pass" } else { "fail" }}>{ amount(b.metric, b.measured) }</td>
                                <td class={if a.passed { "pass" } else { "fail" }}>{ amount(a.metric, a.measured) }</td>
                            </tr>
                        }) }
                    </tbody>
                </table>
            }
        </section>
    }
}
