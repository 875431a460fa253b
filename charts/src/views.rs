//! What the charts and tables show, computed from the engine's metrics: pure functions, so the
//! numbers a learner sees are tested natively.

use crate::chart::{Band, Palette, Series};
use engine::metrics::Window;
use engine::scenario::ComponentSpec;
use engine::Simulation;
use plotters::style::RGBColor;

/// Windows shown: the last 60 seconds at the default 100 ms window.
pub const SHOWN_WINDOWS: usize = 600;

/// One chart's content.
#[derive(Debug, Clone, PartialEq)]
pub struct ChartView {
    /// Heading.
    pub title: &'static str,
    /// Y-axis description with unit.
    pub y_desc: &'static str,
    /// The lines.
    pub series: Vec<Series>,
}

/// Everything the charts panel draws.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ChartsView {
    /// Whose numbers these are.
    pub subject: String,
    /// The charts.
    pub charts: Vec<ChartView>,
    /// Fault bands.
    pub bands: Vec<Band>,
}

fn sum_windows(sim: &Simulation, pick: impl Fn(&ComponentSpec) -> bool) -> Vec<Window> {
    let mut out: Vec<Window> = Vec::new();
    for (node, m) in sim.topology().nodes.iter().zip(sim.metrics()) {
        if !pick(&node.spec) {
            continue;
        }
        let skip = m.history.len().saturating_sub(SHOWN_WINDOWS);
        for (i, w) in m.history.iter().skip(skip).enumerate() {
            if out.len() <= i {
                out.push(Window {
                    start_ms: w.start_ms,
                    ..Window::default()
                });
            }
            let o = &mut out[i];
            o.arrivals += w.arrivals;
            o.completions += w.completions;
            o.errors += w.errors;
            o.rejections += w.rejections;
            o.timeouts += w.timeouts;
            o.retries += w.retries;
            o.attempts += w.attempts;
            o.queue_depth_avg += w.queue_depth_avg;
            o.queue_depth_max += w.queue_depth_max;
            o.duplicates += w.duplicates;
            o.stale_reads += w.stale_reads;
            o.lost_updates += w.lost_updates;
            o.dlq_size += w.dlq_size;
            o.dropped += w.dropped;
            o.oversold = o.oversold.max(w.oversold);
            o.p50_ms = o.p50_ms.max(w.p50_ms);
            o.p95_ms = o.p95_ms.max(w.p95_ms);
            o.p99_ms = o.p99_ms.max(w.p99_ms);
            o.utilisation = o.utilisation.max(w.utilisation);
        }
    }
    out
}

/// Everything the editing page shows from the simulation at one moment.
#[derive(Debug, Clone, Default)]
pub struct LiveView {
    /// Simulated seconds so far.
    pub clock_s: f64,
    /// Each component's live state, by id.
    pub live: std::collections::HashMap<String, engine::simulation::ComponentSnapshot>,
    /// Whether each wire is partitioned now.
    pub partitioned: Vec<bool>,
    /// The charts, with the faults' intervals shaded.
    pub charts: ChartsView,
    /// The log lines kept.
    pub logs: Vec<engine::observe::LogLine>,
    /// The latest finished trace with more than one hop.
    pub trace: Option<std::rc::Rc<engine::observe::Trace>>,
    /// Component names by index, for the trace waterfall.
    pub names: Vec<String>,
}

/// The faults of a scenario as shaded intervals of the time axis.
pub fn fault_bands(scenario: &engine::Scenario) -> Vec<Band> {
    scenario
        .faults
        .iter()
        .map(|f| Band {
            from_s: f.at_s,
            to_s: f.duration_s.map_or(f64::MAX, |d| f.at_s + d),
        })
        .collect()
}

/// The live view of `sim`. Charts follow `chart_id` (the selected component, else the one a
/// lesson's story is about); with neither, the whole system.
pub fn live(
    sim: &Simulation,
    scenario: &engine::Scenario,
    chart_id: Option<&str>,
    palette: Palette,
) -> LiveView {
    let snap = sim.snapshot();
    let window_s = scenario.window_ms / 1_000.0;
    let focus = chart_id.and_then(|id| sim.topology().index_of(id));
    let mut view = charts(sim, focus, palette, window_s);
    view.bands = fault_bands(scenario);
    let trace = sim
        .traces()
        .rev()
        .find(|t| t.spans.len() > 1 && t.spans.iter().all(|sp| sp.end_ms.is_some()))
        .cloned()
        .map(std::rc::Rc::new);
    LiveView {
        clock_s: snap.now_ms / 1_000.0,
        live: snap
            .components
            .iter()
            .map(|c| (c.id.clone(), c.clone()))
            .collect(),
        partitioned: snap.partitioned,
        charts: view,
        logs: sim.logs().cloned().collect(),
        trace,
        names: sim
            .topology()
            .nodes
            .iter()
            .map(|n| n.name.clone())
            .collect(),
    }
}

/// The charts for one component (or, with `focus` None, the whole system as clients see it).
pub fn charts(
    sim: &Simulation,
    focus: Option<usize>,
    palette: Palette,
    window_s: f64,
) -> ChartsView {
    let nodes = &sim.topology().nodes;
    let (subject, windows, is_client) = match focus.and_then(|i| nodes.get(i).map(|n| (i, n))) {
        Some((i, node)) => {
            let m = &sim.metrics()[i];
            let skip = m.history.len().saturating_sub(SHOWN_WINDOWS);
            (
                node.name.clone(),
                m.history.iter().skip(skip).copied().collect::<Vec<_>>(),
                matches!(node.spec, ComponentSpec::Client(_)),
            )
        }
        None => (
            "the whole system (what users see)".to_string(),
            sum_windows(sim, |s| matches!(s, ComponentSpec::Client(_))),
            true,
        ),
    };
    let system = focus.is_none();
    let mut charts = traffic_charts(&windows, is_client, palette, window_s);
    // Users have no queue and no workers: for them these charts would be flat zero.
    if system || !is_client {
        let services = if system {
            sum_windows(sim, |s| !matches!(s, ComponentSpec::Client(_)))
        } else {
            windows.clone()
        };
        charts.extend(capacity_charts(&services, system, palette));
    }
    let all = if system {
        sum_windows(sim, |_| true)
    } else {
        windows
    };
    charts.push(effects_chart(&all, palette));
    ChartsView {
        subject,
        charts,
        bands: Vec::new(),
    }
}

/// One line of a chart: `f` of each window, against the window's start in seconds.
fn line(label: &str, colour: RGBColor, f: &dyn Fn(&Window) -> f64, ws: &[Window]) -> Series {
    Series {
        label: label.to_string(),
        colour,
        points: ws.iter().map(|w| (w.start_ms / 1_000.0, f(w))).collect(),
    }
}

/// Latency, throughput (offered, accepted or sent, good) and errors.
fn traffic_charts(
    windows: &[Window],
    is_client: bool,
    palette: Palette,
    window_s: f64,
) -> Vec<ChartView> {
    let per_s = |n: u32| f64::from(n) / window_s.max(1e-9);
    vec![
        ChartView {
            title: "Latency",
            y_desc: "ms",
            series: vec![
                line("p50", palette.first, &|w| f64::from(w.p50_ms), windows),
                line("p95", palette.reference, &|w| f64::from(w.p95_ms), windows),
                line("p99", palette.second, &|w| f64::from(w.p99_ms), windows),
            ],
        },
        ChartView {
            title: "Throughput",
            y_desc: "per second",
            series: if is_client {
                vec![
                    line(
                        "offered (new requests)",
                        palette.reference,
                        &|w| per_s(w.arrivals),
                        windows,
                    ),
                    line(
                        "sent (with retries)",
                        palette.ink,
                        &|w| per_s(w.attempts),
                        windows,
                    ),
                    line(
                        "good (succeeded)",
                        palette.first,
                        &|w| per_s(w.completions),
                        windows,
                    ),
                ]
            } else {
                vec![
                    line(
                        "offered (arrived)",
                        palette.reference,
                        &|w| per_s(w.arrivals),
                        windows,
                    ),
                    line(
                        "accepted",
                        palette.ink,
                        &|w| per_s(w.arrivals.saturating_sub(w.rejections)),
                        windows,
                    ),
                    line(
                        "good (completed)",
                        palette.first,
                        &|w| per_s(w.completions),
                        windows,
                    ),
                ]
            },
        },
        ChartView {
            title: "Errors",
            y_desc: "per second",
            series: vec![
                line("errors", palette.second, &|w| per_s(w.errors), windows),
                line(
                    "timeouts",
                    palette.reference,
                    &|w| per_s(w.timeouts),
                    windows,
                ),
                line(
                    "refused (full, limited or circuit open)",
                    palette.ink,
                    &|w| per_s(w.rejections + w.short_circuits),
                    windows,
                ),
            ]
            .into_iter()
            // Optional calls given up on, where there are any: the pages that showed less.
            .chain(windows.iter().any(|w| w.fallbacks > 0).then(|| {
                line(
                    "fallbacks (carried on without an optional answer)",
                    palette.first,
                    &|w| per_s(w.fallbacks),
                    windows,
                )
            }))
            // Fire-and-forget hand-offs that failed: work the user was told was done.
            .chain(windows.iter().any(|w| w.handoffs_failed > 0).then(|| {
                line(
                    "hand-offs failed (answered OK, never done)",
                    palette.second,
                    &|w| per_s(w.handoffs_failed),
                    windows,
                )
            }))
            // Answers a tolerant reader took in a format it was not written for.
            .chain(windows.iter().any(|w| w.misreads > 0).then(|| {
                line(
                    "misread (a format it was not written for, no error)",
                    palette.reference,
                    &|w| per_s(w.misreads),
                    windows,
                )
            }))
            .collect(),
        },
    ]
}

/// Queue depth and utilisation, for one component or (with `system`) all of them.
fn capacity_charts(services: &[Window], system: bool, palette: Palette) -> Vec<ChartView> {
    let mut charts = vec![
        ChartView {
            title: if system {
                "Queue depth (all components)"
            } else {
                "Queue depth"
            },
            y_desc: "waiting",
            series: vec![
                line(
                    "average",
                    palette.first,
                    &|w| f64::from(w.queue_depth_avg),
                    services,
                ),
                line(
                    "peak",
                    palette.second,
                    &|w| f64::from(w.queue_depth_max),
                    services,
                ),
            ],
        },
        ChartView {
            title: if system {
                "Utilisation (busiest component)"
            } else {
                "Utilisation"
            },
            y_desc: "% busy",
            series: vec![line(
                "busy share",
                palette.second,
                &|w| f64::from(w.utilisation) * 100.0,
                services,
            )],
        },
    ];
    // A component that autoscales reports its serving workers in every window.
    if services.iter().any(|w| w.workers.is_some()) {
        charts.push(ChartView {
            title: "Workers (autoscaling)",
            y_desc: "serving",
            series: vec![line(
                "workers serving",
                palette.first,
                &|w| f64::from(w.workers.unwrap_or(0)),
                services,
            )],
        });
    }
    charts
}

/// What happened that should not have: duplicates, stale reads, lost updates, lost jobs, the
/// dead-letter queue, overselling (only the ones that happened; a flat line when none did).
fn effects_chart(all: &[Window], palette: Palette) -> ChartView {
    let t = |w: &Window| w.start_ms / 1_000.0;
    let mut effects = Vec::new();
    let cumulative = |f: fn(&Window) -> u32| {
        let mut total = 0u64;
        move |w: &Window| {
            total += u64::from(f(w));
            total as f64
        }
    };
    for (label, f, colour) in [
        (
            "duplicate effects",
            (|w: &Window| w.duplicates) as fn(&Window) -> u32,
            palette.second,
        ),
        ("stale reads", |w: &Window| w.stale_reads, palette.first),
        (
            "lost updates",
            |w: &Window| w.lost_updates,
            palette.reference,
        ),
        ("jobs lost", |w: &Window| w.dropped, palette.ink),
    ] {
        if all.iter().any(|w| f(w) > 0) {
            let mut acc = cumulative(f);
            effects.push(Series {
                label: label.to_string(),
                colour,
                points: all.iter().map(|w| (t(w), acc(w))).collect(),
            });
        }
    }
    if all.iter().any(|w| w.dlq_size > 0) {
        effects.push(line(
            "in dead-letter queue",
            palette.grid,
            &|w| f64::from(w.dlq_size),
            all,
        ));
    }
    if all.iter().any(|w| w.oversold > 0) {
        effects.push(line(
            "oversold",
            palette.second,
            &|w| f64::from(w.oversold),
            all,
        ));
    }
    if effects.is_empty() {
        // A flat line keeps the time axis in step with the other charts.
        effects.push(line("none so far", palette.reference, &|_| 0.0, all));
    }
    ChartView {
        title: "Side effects (since the start of the chart)",
        y_desc: "count",
        series: effects,
    }
}

/// A value the learner guessed before the run, drawn as a flat line beside what happened.
#[derive(Debug, Clone, PartialEq)]
pub struct Guide {
    /// The component whose charts show it (None: the whole system's).
    pub component: Option<String>,
    /// What was guessed, in the goal's terms.
    pub metric: engine::scenario::GoalMetric,
    /// The guessed value, in the goal's unit.
    pub value: f64,
    /// The legend, e.g. "your guess: hundreds".
    pub label: String,
}

/// The chart a goal's metric is drawn on (by the start of its title) and the factor from the
/// goal's unit to the chart's; None for a metric no chart shows as such.
pub fn chart_of(metric: engine::scenario::GoalMetric) -> Option<(&'static str, f64)> {
    use engine::scenario::GoalMetric as M;
    Some(match metric {
        M::Duplicates
        | M::StaleReads
        | M::LostUpdates
        | M::Oversold
        | M::JobsLost
        | M::DeadLettered => ("Side effects", 1.0),
        M::P50Ms | M::P95Ms | M::P99Ms => ("Latency", 1.0),
        M::GoodputPerSec => ("Throughput", 1.0),
        M::Utilisation => ("Utilisation", 100.0),
        M::MaxQueueDepth | M::QueueDepthAtEnd => ("Queue depth", 1.0),
        M::SuccessRatio
        | M::ComponentsInError
        | M::CostPerHour
        | M::Unfulfilled
        | M::JobsUnresolved
        | M::Misreads => return None,
    })
}

/// Adds `guide` as a flat line across the chart that shows its quantity, if one is shown.
pub fn add_guide(view: &mut ChartsView, guide: &Guide, palette: Palette) {
    let Some((title, factor)) = chart_of(guide.metric) else {
        return;
    };
    let Some(chart) = view.charts.iter_mut().find(|c| c.title.starts_with(title)) else {
        return;
    };
    // At every time the chart has, so its table shows the guess on each row too.
    let Some(longest) = chart.series.iter().max_by_key(|s| s.points.len()) else {
        return;
    };
    let y = guide.value * factor;
    let points = longest.points.iter().map(|p| (p.0, y)).collect();
    chart.series.push(Series {
        label: guide.label.clone(),
        colour: palette.ink,
        points,
    });
}

/// The rows of a chart as text: time, then each series' value (an accessible table and CSV).
pub fn rows(chart: &ChartView, every: usize) -> (Vec<String>, Vec<Vec<String>>) {
    let mut head = vec!["time (s)".to_string()];
    head.extend(chart.series.iter().map(|s| s.label.to_string()));
    let n = chart
        .series
        .iter()
        .map(|s| s.points.len())
        .max()
        .unwrap_or(0);
    let rows = (0..n)
        .step_by(every.max(1))
        .map(|i| {
            let time = chart
                .series
                .iter()
                .find_map(|s| s.points.get(i))
                .map_or(0.0, |p| p.0);
            let mut row = vec![format!("{time:.1}")];
            row.extend(chart.series.iter().map(|s| {
                s.points
                    .get(i)
                    .map_or(String::new(), |p| format!("{:.2}", p.1))
            }));
            row
        })
        .collect();
    (head, rows)
}

/// A chart as CSV text.
pub fn csv(chart: &ChartView) -> String {
    let (head, rows) = rows(chart, 1);
    let mut out = engine::csv::record(head);
    for r in rows {
        out += &engine::csv::record(r);
    }
    out
}

/// What the A/B overlay keeps of one chart of [`charts`].
enum Keep {
    /// These series.
    Series(&'static [usize]),
    /// One line adding every series up, with this label.
    Sum(&'static str),
}

/// Per chart of [`charts`], in order; charts past the end keep every series.
const AB_KEEP: [Keep; 5] = [
    Keep::Series(&[2]),
    Keep::Series(&[2]),
    Keep::Sum("all failures"),
    Keep::Series(&[0]),
    Keep::Series(&[0]),
];

/// Same-seed A/B: for each chart, the telling line of run A beside the same line of run B
/// (p99 latency, good throughput, all failures, average queue, utilisation, and every side
/// effect).
pub fn overlay(a: &ChartsView, b: &ChartsView, palette: Palette) -> ChartsView {
    let charts = a
        .charts
        .iter()
        .zip(&b.charts)
        .enumerate()
        .map(|(i, (ca, cb))| {
            let pick = |c: &ChartView, tag: &str, colour| -> Vec<Series> {
                let summed;
                let chosen: Vec<&Series> = match AB_KEEP.get(i) {
                    Some(Keep::Series(idx)) => {
                        idx.iter().filter_map(|&k| c.series.get(k)).collect()
                    }
                    Some(Keep::Sum(label)) => {
                        summed = sum_series(label, &c.series, colour);
                        vec![&summed]
                    }
                    None => c.series.iter().collect(),
                };
                chosen
                    .into_iter()
                    .map(|s| Series {
                        label: format!("{tag}: {}", s.label),
                        colour,
                        points: s.points.clone(),
                    })
                    .collect()
            };
            let mut series = pick(ca, "A", palette.reference);
            series.extend(pick(cb, "B", palette.first));
            ChartView {
                title: ca.title,
                y_desc: ca.y_desc,
                series,
            }
        })
        .collect();
    ChartsView {
        subject: "A (pinned) against B (now), same seed".into(),
        charts,
        bands: Vec::new(),
    }
}

/// One series adding `series` up point by point (they share their time axis).
fn sum_series(label: &str, series: &[Series], colour: RGBColor) -> Series {
    let mut points = series.first().map(|s| s.points.clone()).unwrap_or_default();
    for s in series.iter().skip(1) {
        for (p, q) in points.iter_mut().zip(&s.points) {
            p.1 += q.1;
        }
    }
    Series {
        label: label.to_string(),
        colour,
        points,
    }
}

/// Runs a scenario from the start to `until_s` (at most its duration) and returns its charts.
pub fn run_charts(
    scenario: &engine::Scenario,
    until_s: f64,
    palette: Palette,
) -> Option<ChartsView> {
    let mut sim = Simulation::new(scenario).ok()?;
    let until = engine::SimTime::from_secs(until_s).min(sim.end());
    sim.run_until(until);
    Some(charts(&sim, None, palette, scenario.window_ms / 1_000.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_series_named_with_a_comma_and_a_quote_stays_one_column() {
        let series = |label: &str, y: f64| Series {
            label: label.to_string(),
            colour: crate::chart::LIGHT.ink,
            points: vec![(0.0, y), (0.1, y + 1.0)],
        };
        let chart = ChartView {
            title: "Queue",
            y_desc: "requests",
            series: vec![series("api, \"v2\"", 1.0), series("db", 2.0)],
        };
        let text = csv(&chart);
        let rows: Vec<Vec<String>> = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(text.as_bytes())
            .records()
            .map(|r| r.map(|r| r.iter().map(str::to_string).collect()))
            .collect::<Result<_, _>>()
            .unwrap_or_default();
        assert_eq!(rows.len(), 3, "{text}");
        assert_eq!(rows[0], ["time (s)", "api, \"v2\"", "db"]);
        assert_eq!(rows[2], ["0.1", "2.00", "3.00"]);
    }
}
