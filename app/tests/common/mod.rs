//! What the browser tests share: letting the page run for a moment, and a place to mount.
#![allow(dead_code)] // Each test file uses its own share of these.

/// Lets Yew's scheduler, effects and animation frames run.
pub async fn settle(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(w) = web_sys::window() {
            w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
                .ok();
        }
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.ok();
}

/// The page's document.
pub fn document() -> web_sys::Document {
    web_sys::window()
        .and_then(|w| w.document())
        .expect("a document")
}

/// A fresh element in the page to mount a component in.
pub fn host() -> web_sys::Element {
    let host = document().create_element("div").expect("div");
    document()
        .body()
        .expect("body")
        .append_child(&host)
        .expect("append");
    host
}
