//! The live charts: one canvas per chart, redrawn when its data changes, each with its numbers
//! as a table and a CSV download.

use crate::chart::{draw_time_series, Band, DARK, LIGHT};
use crate::views::{csv, rows, ChartView, ChartsView};
use plotters::prelude::IntoDrawingArea;
use plotters_canvas::CanvasBackend;
use std::rc::Rc;
use web_sys::HtmlCanvasElement;
use yew::prelude::*;

/// Whether the page is in dark mode: as the page's `data-theme` says (an embed can force
/// either), else as the system prefers.
pub fn prefers_dark() -> bool {
    let window = web_sys::window();
    let forced = window
        .as_ref()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
        .and_then(|root| root.get_attribute("data-theme"));
    match forced.as_deref() {
        Some("dark") => true,
        Some("light") => false,
        _ => window
            .and_then(|w| w.match_media("(prefers-color-scheme: dark)").ok().flatten())
            .is_some_and(|m| m.matches()),
    }
}

/// Properties of [`Charts`].
#[derive(Properties, PartialEq, Debug)]
pub struct ChartsProps {
    /// What to draw.
    pub view: Rc<ChartsView>,
}

/// The charts panel.
#[function_component(Charts)]
pub fn charts(props: &ChartsProps) -> Html {
    html! {
        <section class="charts" aria-label="Charts">
            <h2>{ "Charts: " }<span class="subject">{ props.view.subject.clone() }</span></h2>
            if props.view.charts.is_empty() {
                <p class="hint">{ "Charts appear once the system is ready to run: fix what is listed above, or place a component to begin." }</p>
            }
            <div class="chart-grid">
                { for props.view.charts.iter().enumerate().map(|(i, c)| html! {
                    <ChartCard key={i} chart={c.clone()} bands={props.view.bands.clone()} />
                }) }
            </div>
        </section>
    }
}

/// Properties of [`ChartCard`].
#[derive(Properties, PartialEq, Debug)]
pub struct ChartCardProps {
    /// The chart.
    pub chart: ChartView,
    /// Fault bands.
    pub bands: Vec<Band>,
}

/// One chart with its table and download.
#[function_component(ChartCard)]
pub fn chart_card(props: &ChartCardProps) -> Html {
    let canvas = use_node_ref();
    let projector = crate::hooks::use_projector_mode();
    {
        let canvas = canvas.clone();
        use_effect_with(
            (props.chart.clone(), props.bands.clone(), projector),
            move |(chart, bands, projector)| {
                if let Some(el) = canvas.cast::<HtmlCanvasElement>() {
                    let scale = web_sys::window()
                        .map_or(1.0, |w| w.device_pixel_ratio())
                        .clamp(1.0, 3.0);
                    // A projector draws everything half as large again: type and lines.
                    let ink = if *projector { scale * 1.5 } else { scale };
                    let css_width = f64::from(el.client_width().max(200));
                    let (w, h) = ((css_width * scale) as u32, (css_width * 0.5 * scale) as u32);
                    if el.width() != w || el.height() != h {
                        el.set_width(w);
                        el.set_height(h);
                    }
                    let clock = web_sys::window().and_then(|w| w.performance());
                    let started = clock.as_ref().map_or(0.0, |p| p.now());
                    if let Some(backend) = CanvasBackend::with_canvas_object(el.clone()) {
                        let palette = if prefers_dark() { DARK } else { LIGHT };
                        let area = backend.into_drawing_area();
                        let result = draw_time_series(
                            &area,
                            chart.y_desc,
                            &chart.series,
                            bands,
                            palette,
                            ink,
                        )
                        .and_then(|shaded| {
                            area.present().map_err(|e| format!("chart: {e}"))?;
                            Ok(shaded)
                        });
                        match result {
                            Ok(shaded) => {
                                let cursor = bands.iter().find(|b| b.from_s == b.to_s);
                                match cursor {
                                    Some(b) => {
                                        el.set_attribute("data-cursor", &b.from_s.to_string())
                                    }
                                    None => el.remove_attribute("data-cursor"),
                                }
                                .ok();
                                let points: usize =
                                    chart.series.iter().map(|s| s.points.len()).sum();
                                el.set_attribute("data-points", &points.to_string()).ok();
                                el.set_attribute("data-bands", &shaded.to_string()).ok()
                            }
                            Err(e) => el.set_attribute("data-error", &e).ok(),
                        };
                    }
                    // How long this redraw took, read by the frame-rate benchmark.
                    let took = clock.as_ref().map_or(0.0, |p| p.now()) - started;
                    el.set_attribute("data-draw-ms", &format!("{took:.3}")).ok();
                }
            },
        );
    }
    let download = {
        let chart = props.chart.clone();
        Callback::from(move |_: MouseEvent| {
            crate::io::download(
                &format!("{}.csv", chart.title.to_ascii_lowercase().replace(' ', "-")),
                &csv(&chart),
                "text/csv",
            )
        })
    };
    let png = {
        let canvas = canvas.clone();
        let name = props.chart.title.to_ascii_lowercase().replace(' ', "-");
        Callback::from(move |_: MouseEvent| {
            if let Some(url) = canvas
                .cast::<HtmlCanvasElement>()
                .and_then(|c| c.to_data_url().ok())
            {
                crate::io::download_url(&format!("{name}.png"), &url);
            }
        })
    };
    // A read-out of the values under the pointer, as text (screen readers announce it too).
    let readout = use_state(String::new);
    let onmousemove = {
        let readout = readout.clone();
        let chart = props.chart.clone();
        Callback::from(move |e: MouseEvent| {
            let Some(el) = e.target_dyn_into::<web_sys::Element>() else {
                return;
            };
            let width = f64::from(el.client_width()).max(1.0);
            let share = ((f64::from(e.offset_x()) - crate::chart::PLOT_LEFT)
                / (width - crate::chart::PLOT_LEFT - crate::chart::PLOT_RIGHT))
                .clamp(0.0, 1.0);
            let Some(longest) = chart.series.iter().max_by_key(|s| s.points.len()) else {
                return;
            };
            if longest.points.is_empty() {
                return;
            }
            let i = ((longest.points.len() - 1) as f64 * share).round() as usize;
            let t = longest.points[i].0;
            let values: Vec<String> = chart
                .series
                .iter()
                .filter_map(|s| s.points.get(i).map(|p| format!("{} {:.1}", s.label, p.1)))
                .collect();
            readout.set(format!(
                "at {t:.1} s: {} ({})",
                values.join(" · "),
                chart.y_desc
            ));
        })
    };
    let (head, body) = rows(&props.chart, 10);
    let empty = props
        .chart
        .series
        .iter()
        .all(|s| s.points.iter().all(|p| p.1 == 0.0));
    html! {
        <figure class="chart-card">
            <figcaption>
                <span>{ props.chart.title }</span>
                <span>
                    <button class="small" onclick={download} title="Download these numbers as CSV">{ "CSV" }</button>
                    <button class="small" onclick={png} title="Download this chart as a PNG image">{ "PNG" }</button>
                </span>
            </figcaption>
            <canvas ref={canvas} class="chart" role="img" aria-label={format!("{} chart", props.chart.title)} {onmousemove} />
            <p class="readout" aria-live="polite">{ (*readout).clone() }</p>
            if empty && props.chart.title.starts_with("Side effects") {
                <p class="chart-empty">{ "No duplicates, stale reads, lost updates or lost jobs so far." }</p>
            }
            <details>
                <summary>{ "Numbers" }</summary>
                <table class="chart-table">
                    <thead><tr>{ for head.iter().map(|h| html! { <th>{ h.clone() }</th> }) }</tr></thead>
                    <tbody>{ for body.iter().rev().take(30).map(|r| html! {
                        <tr>{ for r.iter().map(|c| html! { <td>{ c.clone() }</td> }) }</tr>
                    }) }</tbody>
                </table>
            </details>
        </figure>
    }
}
