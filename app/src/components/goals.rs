//! How a goal reads wherever one is shown: the lesson panel, a challenge's panel and result
//! card, the embed, and the result card's PNG. [`goal_line`] decides a goal's state, its mark and
//! its words in one place; the lists differ only in their markup.

use crate::components::lesson_panel::{amount, target};
use engine::goal::GoalStatus;
use yew::prelude::*;

/// Where a goal stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum GoalState {
    /// Not measured yet: the run has not reached its interval (or has not started).
    Waiting,
    /// Met so far (or for good, once settled).
    Pass,
    /// Missed so far (or for good, once settled).
    Fail,
}

impl GoalState {
    /// The class lists and the stylesheet use.
    pub(crate) fn class(self) -> &'static str {
        match self {
            GoalState::Waiting => "waiting",
            GoalState::Pass => "pass",
            GoalState::Fail => "fail",
        }
    }

    /// The mark before the goal.
    pub(crate) fn mark(self) -> &'static str {
        match self {
            GoalState::Waiting => "…",
            GoalState::Pass => "✓",
            GoalState::Fail => "✗",
        }
    }
}

/// One goal, read: its state, its label, and its measured value against its target.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct GoalLine {
    /// Where it stands.
    pub state: GoalState,
    /// The goal's own words.
    pub label: String,
    /// "12 (target ≤ 0), so far", or what it waits for.
    pub value: String,
}

/// How `g` reads when the run is at `now_s` seconds (0: not started).
pub(crate) fn goal_line(g: &GoalStatus, now_s: f64) -> GoalLine {
    let (state, value) = if g.started && now_s > 0.0 {
        let state = if g.passed {
            GoalState::Pass
        } else {
            GoalState::Fail
        };
        let so_far = if g.settled { "" } else { ", so far" };
        let value = format!(
            "{} (target {}){so_far}",
            amount(g.metric, g.measured),
            target(g)
        );
        (state, value)
    } else if now_s > 0.0 {
        let value = format!("measured from {:.0} s (target {})", g.from_s, target(g));
        (GoalState::Waiting, value)
    } else {
        let value = format!("press Play to measure (target {})", target(g));
        (GoalState::Waiting, value)
    };
    GoalLine {
        state,
        label: g.label.clone(),
        value,
    }
}

/// The goals under their heading, a line each with its label and value apart: the side panel of
/// a lesson and of a challenge.
pub(crate) fn goal_section(goals: &[GoalStatus], now_s: f64, all_green: bool) -> Html {
    html! {
        <>
            <h3 class="goals-title">{ "Goals" }{ if all_green { " — all met ✓" } else { "" } }</h3>
            <ul class="goals">
                { for goals.iter().map(|g| {
                    let line = goal_line(g, now_s);
                    html! {
                        <li class={line.state.class()}>
                            <span class="mark" aria-hidden="true">{ line.state.mark() }</span>
                            <span class="goal-label">{ line.label }</span>
                            <span class="goal-value">{ line.value }</span>
                        </li>
                    }
                }) }
            </ul>
        </>
    }
}

/// The goals as a compact list, a line each (the embed, a challenge's result card).
pub(crate) fn goal_list(goals: &[GoalStatus], now_s: f64) -> Html {
    if goals.is_empty() {
        return html! {};
    }
    html! {
        <ul class="embed-goals" aria-label="Goals">
            { for goals.iter().map(|g| {
                let line = goal_line(g, now_s);
                let class = classes!("goal", line.state.class());
                html! {
                    <li {class}>
                        <span class="mark" aria-hidden="true">{ line.state.mark() }</span>
                        { format!(" {}: {}", line.label, line.value) }
                    </li>
                }
            }) }
        </ul>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use engine::scenario::{Comparison, GoalMetric};

    fn goal(started: bool, passed: bool, settled: bool) -> GoalStatus {
        GoalStatus {
            label: "Nobody is charged twice".into(),
            component: None,
            metric: GoalMetric::Duplicates,
            compare: Comparison::AtMost,
            target: 0.0,
            measured: 3.0,
            passed,
            started,
            settled,
            from_s: 10.0,
            lost_at_s: None,
        }
    }

    #[test]
    fn a_goal_reads_the_same_wherever_it_is_shown() {
        let missed = goal_line(&goal(true, false, true), 60.0);
        assert_eq!(missed.state, GoalState::Fail);
        assert_eq!(missed.value, "3 (target ≤ 0)");
        let so_far = goal_line(&goal(true, true, false), 12.0);
        assert_eq!(
            (so_far.state.mark(), so_far.value.as_str()),
            ("✓", "3 (target ≤ 0), so far")
        );
        let waiting = goal_line(&goal(false, true, false), 5.0);
        assert_eq!(waiting.state, GoalState::Waiting);
        assert_eq!(waiting.value, "measured from 10 s (target ≤ 0)");
        let before = goal_line(&goal(true, true, false), 0.0);
        assert_eq!(before.value, "press Play to measure (target ≤ 0)");
    }
}
