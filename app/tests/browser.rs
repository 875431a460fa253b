//! The app mounted in a real headless Chromium: it renders the product name and the lesson list;
//! the sandbox opens on the starter scenario's cards; pressing Play runs the engine in WebAssembly, moves the clock and fills the
//! charts with drawn points.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::expect_used, clippy::unwrap_used)] // A test may stop at the first broken expectation.

use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::HtmlElement;

mod common;

use common::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
async fn playing_the_starter_scenario_moves_clock_and_charts() {
    web_sys::window()
        .and_then(|w| w.local_storage().ok().flatten())
        .map(|s| s.clear());
    // The test page has none of the app's stylesheet: give the canvas the size the stylesheet
    // gives it on a desktop screen, where cards show their details at life size.
    let style = document().create_element("style").expect("style");
    style.set_text_content(Some("svg.surface { width: 1100px; height: 520px; }"));
    document()
        .head()
        .expect("head")
        .append_child(&style)
        .expect("append");
    let host = host();
    yew::Renderer::<app::App>::with_root(host.clone()).render();
    settle(100).await;

    let title = host.query_selector("h1").expect("query").expect("an h1");
    assert_eq!(
        title.text_content().as_deref(),
        Some(app::shell::PRODUCT_NAME)
    );
    // The home screen lists the eight lessons and the sandbox; open the sandbox.
    assert_eq!(
        host.query_selector_all(".lesson-card")
            .expect("cards")
            .length(),
        9
    );
    let sandbox: HtmlElement = host
        .query_selector(".lesson-card.sandbox a")
        .expect("query")
        .expect("sandbox")
        .dyn_into()
        .expect("link");
    sandbox.click();
    settle(100).await;
    assert_eq!(
        host.query_selector_all(".card").expect("cards").length(),
        3,
        "the starter scenario has three components"
    );
    assert_eq!(host.query_selector_all(".wire").expect("wires").length(), 2);

    let clock = || {
        host.query_selector(".clock")
            .ok()
            .flatten()
            .and_then(|c| c.text_content())
            .unwrap_or_default()
    };
    assert_eq!(clock(), "0.0 s");
    let play: HtmlElement = host
        .query_selector("button[aria-label=Play]")
        .expect("query")
        .expect("play")
        .dyn_into()
        .expect("button");
    play.click();
    settle(1_500).await;
    let seconds: f64 = clock().trim_end_matches(" s").parse().expect("a number");
    assert!(seconds > 0.5, "the clock moves while playing: {seconds}");

    let charts = host.query_selector_all("canvas.chart").expect("charts");
    assert_eq!(
        charts.length(),
        6,
        "latency, throughput, errors, queue, utilisation, side effects"
    );
    let first = charts
        .get(0)
        .and_then(|n| n.dyn_into::<web_sys::Element>().ok())
        .expect("a chart");
    let points: usize = first
        .get_attribute("data-points")
        .and_then(|p| p.parse().ok())
        .unwrap_or(0);
    assert!(
        points > 10,
        "the latency chart has drawn points: {points} ({:?})",
        first.get_attribute("data-error")
    );
    let live = host
        .query_selector(".card .live")
        .expect("query")
        .and_then(|e| e.text_content())
        .unwrap_or_default();
    assert!(live.contains("/s"), "cards show live numbers: {live:?}");
}
