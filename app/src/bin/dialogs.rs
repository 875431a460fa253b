//! Entry point of `dialogs.js`: the Embed and Challenge dialogs, which the main file loads the
//! first time one is opened (`app::dialogs`). It draws nothing by itself.

use wasm_bindgen::prelude::*;

fn main() {}

/// Opens the Embed dialog in `host` for the design `scenario` (the file format's text) and the
/// lesson on screen, if any; `on_close` is called when it closes.
#[wasm_bindgen]
pub fn open_embed_dialog(
    host: web_sys::Element,
    scenario: String,
    lesson_slug: Option<String>,
    lesson_title: Option<String>,
    on_close: js_sys::Function,
) -> Result<(), JsValue> {
    let lesson = lesson_slug.zip(lesson_title);
    app::dialogs::mount(
        host,
        app::dialogs::Request::Embed { scenario, lesson },
        on_close,
    )
    .map_err(|e| JsValue::from(js_sys::Error::new(&e)))
}

/// Opens the Challenge dialog in `host`, starting from the challenge `link` carries.
#[wasm_bindgen]
pub fn open_challenge_dialog(
    host: web_sys::Element,
    link: String,
    on_close: js_sys::Function,
) -> Result<(), JsValue> {
    app::dialogs::mount(host, app::dialogs::Request::Challenge { link }, on_close)
        .map_err(|e| JsValue::from(js_sys::Error::new(&e)))
}
