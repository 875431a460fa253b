//! A lesson beside the canvas: the story, the goals as a live checklist with measured values,
//! hints on demand, the solution, and a before/after comparison on the same seed.

use crate::lessons::Lesson;
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
    /// The seed in use.
    pub seed: u64,
    /// Simulated seconds so far (at zero nothing has been measured yet).
    pub now_s: f64,
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

fn target(g: &GoalStatus) -> String {
    let cmp = match g.compare {
        Comparison::AtMost => "≤",
        Comparison::AtLeast => "≥",
    };
    format!("{cmp} {}", amount(g.metric, g.target))
}

/// A measured value or a target in the goal's own terms: money as dollars an hour.
fn amount(metric: GoalMetric, v: f64) -> String {
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
    let more_hint = {
        let hints_shown = hints_shown.clone();
        let n = l.meta.hints.len();
        Callback::from(move |_: MouseEvent| hints_shown.set((*hints_shown + 1).min(n)))
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
            if !props.changed.is_empty() {
                <div class="conditions-changed" role="status">
                    <p><strong>{ "Conditions changed: these goals do not count." }</strong>
                        { " The lesson holds these fixed; reset the lesson to try again under them." }</p>
                    <ul>{ for props.changed.iter().map(|c| html! { <li>{ c.clone() }</li> }) }</ul>
                </div>
            }
            <h3 class="goals-title">{ "Goals" }{ if all_green { " — all met ✓" } else { "" } }</h3>
            <ul class="goals">
                { for props.goals.iter().map(|g| if g.started && props.now_s > 0.0 { html! {
                    <li class={classes!(if g.passed { "pass" } else { "fail" })}>
                        <span class="mark" aria-hidden="true">{ if g.passed { "✓" } else { "✗" } }</span>
                        <span class="goal-label">{ g.label.clone() }</span>
                        <span class="goal-value">{ format!("{} (target {}){}", amount(g.metric, g.measured), target(g), if g.settled { "" } else { ", so far" }) }</span>
                    </li>
                } } else { html! {
                    <li class="waiting">
                        <span class="mark" aria-hidden="true">{ "…" }</span>
                        <span class="goal-label">{ g.label.clone() }</span>
                        <span class="goal-value">{
                            if props.now_s > 0.0 {
                                format!("measured from {:.0} s (target {})", g.from_s, target(g))
                            } else {
                                format!("press Play to measure (target {})", target(g))
                            }
                        }</span>
                    </li>
                } }) }
            </ul>
            <div class="story" tabindex="0" role="region" aria-label="The lesson">{ crate::markdown::render(&l.story) }</div>
            <div class="hints">
                { for l.meta.hints.iter().take(*hints_shown).map(|h| html! { <p class="hint-text">{ "Hint: " }{ h.clone() }</p> }) }
                if *hints_shown < l.meta.hints.len() {
                    <button onclick={more_hint}>{ if *hints_shown == 0 { "Show a hint" } else { "Another hint" } }</button>
                }
            </div>
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
