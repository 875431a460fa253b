//! The app shell: the product name, the empty work surface and the first live chart.

use crate::chart::{draw_latency_curve, DARK, LIGHT};
use crate::demo::{latency_sweep, SweepPoint, CUSTOMERS, LOADS, SERVICE_MS};
use plotters::prelude::IntoDrawingArea;
use plotters_canvas::CanvasBackend;
use web_sys::HtmlCanvasElement;
use yew::prelude::*;

/// The product's name, shown in the top bar and the page title.
pub const PRODUCT_NAME: &str = "Backend Playground";

fn prefers_dark() -> bool {
    web_sys::window()
        .and_then(|w| w.match_media("(prefers-color-scheme: dark)").ok().flatten())
        .is_some_and(|m| m.matches())
}

/// The whole app.
#[function_component(App)]
pub fn app() -> Html {
    // Computed once, in WebAssembly, by the same engine the tests run natively.
    let points = use_memo((), |_| latency_sweep(&LOADS, CUSTOMERS, 42));
    html! {
        <div class="shell">
            <header class="topbar">
                <h1>{ PRODUCT_NAME }</h1>
                <span class="tagline">{ "Wire a backend, break it, and watch what happens." }</span>
            </header>
            <main class="workspace">
                <section class="surface" aria-label="Work surface">
                    <div class="empty">
                        <strong>{ "Your canvas is empty" }</strong>
                        <span>{ "Components you place will appear here, wired left to right." }</span>
                    </div>
                </section>
                <LatencyPanel points={(*points).clone()} />
            </main>
        </div>
    }
}

/// Properties of [`LatencyPanel`].
#[derive(Properties, PartialEq, Debug)]
pub struct LatencyPanelProps {
    /// The sweep to draw.
    pub points: Vec<SweepPoint>,
}

/// The latency-versus-load chart, with the same numbers as a table for screen readers.
#[function_component(LatencyPanel)]
pub fn latency_panel(props: &LatencyPanelProps) -> Html {
    let canvas = use_node_ref();
    {
        let canvas = canvas.clone();
        use_effect_with(props.points.clone(), move |points| {
            if let Some(el) = canvas.cast::<HtmlCanvasElement>() {
                // Draw at the device's pixel density so text stays crisp at any zoom.
                let scale = web_sys::window()
                    .map_or(1.0, |w| w.device_pixel_ratio())
                    .clamp(1.0, 4.0);
                let css_width = f64::from(el.client_width().max(280));
                el.set_width((css_width * scale) as u32);
                el.set_height((css_width * 0.62 * scale) as u32);
                if let Some(backend) = CanvasBackend::with_canvas_object(el.clone()) {
                    let palette = if prefers_dark() { DARK } else { LIGHT };
                    if let Err(e) =
                        draw_latency_curve(&backend.into_drawing_area(), points, palette, scale)
                    {
                        el.set_attribute("data-error", &e).ok();
                    } else {
                        el.set_attribute("data-drawn", &points.len().to_string())
                            .ok();
                    }
                }
            }
        });
    }
    html! {
        <section class="panel" aria-labelledby="latency-title">
            <h2 id="latency-title">{ "Why queues hurt before they are full" }</h2>
            <p>
                { format!("One server that needs {SERVICE_MS} ms per request, simulated in your browser at nine loads. \
                   Latency stays flat, then climbs steeply past 70%: the shape behind most slowdowns.") }
            </p>
            <canvas ref={canvas} id="latency-chart" width="800" height="480"
                role="img" aria-label="Line chart of mean and 99th-percentile latency against load" />
            <details>
                <summary>{ "Show the numbers" }</summary>
                <table class="chart-table">
                    <caption>{ "Time in system by load (milliseconds)" }</caption>
                    <thead><tr><th>{ "load" }</th><th>{ "mean" }</th><th>{ "p99" }</th><th>{ "theory mean" }</th></tr></thead>
                    <tbody>
                        { for props.points.iter().map(|p| html! {
                            <tr>
                                <td>{ format!("{:.0}%", p.utilisation * 100.0) }</td>
                                <td>{ format!("{:.1}", p.mean_ms) }</td>
                                <td>{ format!("{:.1}", p.p99_ms) }</td>
                                <td>{ format!("{:.1}", p.theory_mean_ms) }</td>
                            </tr>
                        }) }
                    </tbody>
                </table>
            </details>
        </section>
    }
}
