//! The app mounted in a real headless Chromium: it renders the product name, the empty work
//! surface, and a chart whose pixels were really drawn from the engine's numbers.
#![allow(clippy::expect_used, clippy::unwrap_used)] // A test may stop at the first broken expectation.
#![cfg(target_arch = "wasm32")]

use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

wasm_bindgen_test_configure!(run_in_browser);

/// Lets Yew's scheduler and effects run.
async fn settle(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(w) = web_sys::window() {
            w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
                .ok();
        }
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.ok();
}

fn document() -> web_sys::Document {
    web_sys::window()
        .and_then(|w| w.document())
        .expect("a document")
}

#[wasm_bindgen_test]
async fn app_mounts_with_name_surface_and_drawn_chart() {
    let host = document().create_element("div").expect("div");
    document()
        .body()
        .expect("body")
        .append_child(&host)
        .expect("append");
    yew::Renderer::<app::App>::with_root(host.clone()).render();
    settle(50).await;

    let title = host.query_selector("h1").expect("query").expect("an h1");
    assert_eq!(
        title.text_content().as_deref(),
        Some(app::shell::PRODUCT_NAME)
    );
    assert!(host
        .query_selector("[aria-label='Work surface']")
        .expect("query")
        .is_some());

    let canvas: HtmlCanvasElement = host
        .query_selector("#latency-chart")
        .expect("query")
        .expect("the chart canvas")
        .dyn_into()
        .expect("a canvas");
    assert_eq!(
        canvas.get_attribute("data-drawn").as_deref(),
        Some("9"),
        "{:?}",
        canvas.get_attribute("data-error")
    );
    let ctx: CanvasRenderingContext2d = canvas
        .get_context("2d")
        .expect("context")
        .expect("2d")
        .dyn_into()
        .expect("2d context");
    let pixels = ctx
        .get_image_data(
            0.0,
            0.0,
            f64::from(canvas.width()),
            f64::from(canvas.height()),
        )
        .expect("pixels")
        .data();
    // The chart paints a background and lines in several colours; a blank canvas has one.
    let mut colours: Vec<[u8; 4]> = pixels
        .chunks(4)
        .step_by(97)
        .map(|p| [p[0], p[1], p[2], p[3]])
        .collect();
    colours.sort();
    colours.dedup();
    assert!(
        colours.len() > 5,
        "the canvas looks blank: {} colours",
        colours.len()
    );

    let rows = host
        .query_selector_all(".chart-table tbody tr")
        .expect("rows");
    assert_eq!(rows.length(), 9);
}
