//! "What happened": the run report (`engine::report`) as a timeline under the charts, each moment
//! a button that moves the charts' cursor to its time and selects its component; and, at a
//! lesson's end, each missed goal with the chain of moments that led to it.

use engine::report::{Moment, Report, What};
use std::rc::Rc;
use yew::prelude::*;

/// Properties of [`Timeline`].
#[derive(Properties, PartialEq, Debug)]
pub struct TimelineProps {
    /// The run's report so far.
    pub report: Rc<Report>,
    /// The moment the charts' cursor is on, by index.
    #[prop_or_default]
    pub picked: Option<usize>,
    /// A moment was clicked.
    pub on_pick: Callback<usize>,
}

/// A short tag for a moment's kind, for the timeline's left column and styling.
pub fn tag(what: &What) -> &'static str {
    match what {
        What::FaultStarts { .. } | What::FaultEnds { .. } => "fault",
        What::GoalMissed { .. } => "goal",
        What::FirstDuplicate
        | What::FirstStaleRead
        | What::FirstLostUpdate
        | What::FirstOversold
        | What::FirstJobLost
        | What::FirstDeadLettered => "wrong",
        What::ScalesOut | What::ScalesIn | What::BreakerCloses | What::Refuses { .. } => "response",
        _ => "strain",
    }
}

/// The timeline under the charts.
#[function_component(Timeline)]
pub fn timeline(props: &TimelineProps) -> Html {
    let r = &props.report;
    html! {
        <section class="timeline" aria-label="What happened">
            <h2>{ "What happened" }</h2>
            if r.moments.is_empty() {
                <p class="hint">{ "Nothing has crossed a threshold yet: no fault, saturation, growing queue, timeout, error, refusal, amplified retries or wrong result." }</p>
            } else {
                <ol class="moments">
                    { for r.moments.iter().zip(&r.chain).enumerate().map(|(i, (m, line))| {
                        let pick = props.on_pick.reform(move |_: MouseEvent| i);
                        let current = props.picked == Some(i);
                        html! {
                            <li key={i} class={classes!("moment", tag(&m.what), current.then_some("picked"))}>
                                <button class="moment-button" onclick={pick} aria-pressed={current.to_string()}
                                    data-at={format!("{}", m.at_s)} data-component={m.component.clone().unwrap_or_default()}
                                    title="Show this moment on the charts">
                                    <span class="moment-at">{ format!("{:.1} s", m.at_s) }</span>
                                    <span class="moment-line">{ line.clone() }</span>
                                </button>
                            </li>
                        }
                    }) }
                </ol>
            }
        </section>
    }
}

/// A moment found again in a report made anew (each frame, with indices that move as moments
/// are found): by when, where and what.
pub type MomentKey = (u64, Option<String>, What);

/// The key of a moment.
pub fn key_of(m: &Moment) -> MomentKey {
    (m.at_s.to_bits(), m.component.clone(), m.what.clone())
}

/// Where the moment with `key` is in `report`, if it still is.
pub fn position_of(report: &Report, key: Option<&MomentKey>) -> Option<usize> {
    let key = key?;
    report.moments.iter().position(|m| key_of(m) == *key)
}

/// The charts' cursor at a moment: a band of no width at its time.
pub fn cursor_at(m: &Moment) -> crate::chart::Band {
    crate::chart::Band {
        from_s: m.at_s,
        to_s: m.at_s,
    }
}

/// The moments that led to moment `i`, its root first and `i` last, by following `because`.
pub fn path_to(report: &Report, i: usize) -> Vec<usize> {
    let mut path = vec![i];
    let mut at = i;
    while let Some(p) = report.moments.get(at).and_then(|m| m.because) {
        // Links point to earlier moments; a link that does not is ignored, so this ends.
        if p >= at {
            break;
        }
        path.push(p);
        at = p;
    }
    path.reverse();
    path
}

/// The moments that led to the missed goals, the goals included: every path from a root to a
/// missed goal, merged, in time order (a cause two goals share is told once).
pub fn missed_goal_path(report: &Report) -> Vec<usize> {
    let mut picked: Vec<usize> = (0..report.moments.len())
        .filter(|&i| matches!(report.moments[i].what, What::GoalMissed { .. }))
        .flat_map(|g| path_to(report, g))
        .collect();
    picked.sort_unstable();
    picked.dedup();
    picked
}

/// At a lesson's end, beside the goals: how the missed goals came to be missed, first cause
/// first.
pub fn missed_goal_stories(report: &Report) -> Html {
    let path = missed_goal_path(report);
    if path.is_empty() {
        return Html::default();
    }
    html! {
        <div class="end-story" role="region" aria-label="Why goals were missed">
            <h3>{ "What happened" }</h3>
            <ol>{ for path.iter().map(|&i| html! {
                <li class={tag(&report.moments[i].what)}>{ report.chain.get(i).cloned().unwrap_or_default() }</li>
            }) }</ol>
        </div>
    }
}

/// The component a moment concerns, when it is one of the scenario's (a partition names a wire).
pub fn component_of<'m>(m: &'m Moment, ids: &[&str]) -> Option<&'m str> {
    m.component.as_deref().filter(|c| ids.contains(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn moment(because: Option<usize>, what: What) -> Moment {
        Moment {
            at_s: 1.0,
            component: Some("api".into()),
            what,
            value: 0.0,
            threshold: 0.0,
            because,
        }
    }

    #[test]
    fn a_missed_goal_is_told_from_its_root() {
        let report = Report {
            moments: vec![
                moment(
                    None,
                    What::FaultStarts {
                        fault: "crash".into(),
                    },
                ),
                moment(None, What::QueueGrows),
                moment(Some(0), What::TimeoutsBegin),
                moment(Some(2), What::ErrorsBegin),
                moment(
                    Some(3),
                    What::GoalMissed {
                        label: "ok".into(),
                        metric: engine::scenario::GoalMetric::SuccessRatio,
                    },
                ),
            ],
            chain: (0..5).map(|i| format!("line {i}")).collect(),
            goals: Vec::new(),
        };
        assert_eq!(path_to(&report, 4), vec![0, 2, 3, 4]);
        assert_eq!(path_to(&report, 1), vec![1]);
        // The queue that grew led to no missed goal: the end story leaves it out.
        assert_eq!(missed_goal_path(&report), vec![0, 2, 3, 4]);
        // A link forward (never made by the engine) cannot loop.
        let mut odd = report.clone();
        odd.moments[0].because = Some(4);
        assert_eq!(path_to(&odd, 4), vec![0, 2, 3, 4]);
        assert_eq!(tag(&report.moments[4].what), "goal");
        assert_eq!(component_of(&report.moments[0], &["api"]), Some("api"));
        assert_eq!(component_of(&report.moments[0], &["web"]), None);
    }
}
