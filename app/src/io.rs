//! Browser input and output: downloads, autosave in localStorage, the URL fragment.

use serde_json::Value;
use wasm_bindgen::JsCast;

/// The localStorage key of the autosaved scenario.
pub const AUTOSAVE_KEY: &str = "backend-playground.scenario";

/// Offers `text` as a file download.
pub fn download(name: &str, text: &str, mime: &str) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options) else {
        return;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
        return;
    };
    if let Some(a) = document
        .create_element("a")
        .ok()
        .and_then(|a| a.dyn_into::<web_sys::HtmlAnchorElement>().ok())
    {
        a.set_href(&url);
        a.set_download(name);
        a.click();
    }
    web_sys::Url::revoke_object_url(&url).ok();
}

/// Offers a URL (a data URL of an image) as a file download.
pub fn download_url(name: &str, url: &str) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    if let Some(a) = document
        .create_element("a")
        .ok()
        .and_then(|a| a.dyn_into::<web_sys::HtmlAnchorElement>().ok())
    {
        a.set_href(url);
        a.set_download(name);
        a.click();
    }
}

/// Downloads an SVG drawing of `width` × `height` pixels as a PNG at twice that size (sharp on
/// a high-density screen), drawn by the browser into a canvas once the image has loaded.
pub fn download_svg_as_png(name: &str, svg: &str, width: f64, height: f64) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(svg));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("image/svg+xml");
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options) else {
        return;
    };
    let (Ok(url), Ok(image)) = (
        web_sys::Url::create_object_url_with_blob(&blob),
        web_sys::HtmlImageElement::new(),
    ) else {
        return;
    };
    let canvas = document
        .create_element("canvas")
        .ok()
        .and_then(|c| c.dyn_into::<web_sys::HtmlCanvasElement>().ok());
    let Some(canvas) = canvas else { return };
    let (name, source, drawn) = (name.to_string(), url.clone(), image.clone());
    let onload = wasm_bindgen::closure::Closure::once_into_js(move || {
        let (w, h) = (width * 2.0, height * 2.0);
        canvas.set_width(w as u32);
        canvas.set_height(h as u32);
        let context = canvas
            .get_context("2d")
            .ok()
            .flatten()
            .and_then(|c| c.dyn_into::<web_sys::CanvasRenderingContext2d>().ok());
        if let Some(context) = context {
            let _ =
                context.draw_image_with_html_image_element_and_dw_and_dh(&drawn, 0.0, 0.0, w, h);
            if let Ok(png) = canvas.to_data_url() {
                download_url(&name, &png);
            }
        }
        let _ = web_sys::Url::revoke_object_url(&source);
    });
    image.set_onload(Some(onload.unchecked_ref()));
    image.set_src(&url);
}

/// The browser's local storage, when it lets the page have it.
fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

/// Writes `value` under `key` as JSON text (the form earlier builds wrote, so saved work keeps
/// opening); false when the browser refused (storage full or turned off).
pub(crate) fn store(key: &str, value: Value) -> bool {
    storage().is_some_and(|s| s.set_item(key, &value.to_string()).is_ok())
}

/// What is stored under `key`, read as JSON.
pub(crate) fn stored(key: &str) -> Option<Value> {
    let text = storage()?.get_item(key).ok()??;
    serde_json::from_str(&text).ok()
}

/// Saves the scenario's JSON; false when the browser refused (storage full or turned off).
pub fn autosave(json: &str) -> bool {
    store(AUTOSAVE_KEY, Value::from(json))
}

/// The autosaved scenario's JSON, if any.
pub fn autosaved() -> Option<String> {
    stored(AUTOSAVE_KEY)?.as_str().map(str::to_string)
}

/// The URL fragment without `#`.
pub fn fragment() -> String {
    web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default()
        .trim_start_matches('#')
        .to_string()
}

/// This page's address without its fragment (links made here add their own).
pub fn page_address() -> String {
    let href = web_sys::window()
        .and_then(|w| w.location().href().ok())
        .unwrap_or_default();
    href.split('#').next().unwrap_or_default().to_string()
}

/// A message's data as JSON: None when it is not plain data or its text is over `max_len`.
pub fn message_json(e: &web_sys::MessageEvent, max_len: usize) -> Option<serde_json::Value> {
    let text = js_sys::JSON::stringify(&e.data()).ok()?.as_string()?;
    if text.len() > max_len {
        return None;
    }
    serde_json::from_str(&text).ok()
}

/// JSON as a JavaScript value, to post as a message.
pub fn js_value(message: &serde_json::Value) -> Option<wasm_bindgen::JsValue> {
    js_sys::JSON::parse(&message.to_string()).ok()
}

/// Replaces the URL fragment without adding a history entry, and returns the full URL.
pub fn set_fragment(fragment: &str) -> String {
    let Some(window) = web_sys::window() else {
        return String::new();
    };
    let url = format!("{}#{fragment}", page_address());
    if let Ok(history) = window.history() {
        history
            .replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url))
            .ok();
    }
    url
}

/// Loads the page again so that `static/modules.js` starts the module holding the screen this
/// `fragment` names, unless this session already did so for the same fragment: then it returns
/// true and does nothing, so two files that disagree cannot make the page load itself forever.
pub fn reload_once(fragment: &str) -> bool {
    const KEY: &str = "playground-reloaded-for";
    let Some(window) = web_sys::window() else {
        return true;
    };
    let storage = window.session_storage().ok().flatten();
    let before = storage
        .as_ref()
        .and_then(|s| s.get_item(KEY).ok().flatten());
    if before.as_deref() == Some(fragment) {
        if let Some(s) = &storage {
            s.remove_item(KEY).ok();
        }
        return true;
    }
    if let Some(s) = &storage {
        s.set_item(KEY, fragment).ok();
    }
    window.location().reload().is_err()
}

/// Listens to `event` on the window; the returned function stops listening (an effect's
/// clean-up) and keeps the closure alive until then.
pub fn on_window<T: ?Sized + 'static>(
    event: &'static str,
    listener: wasm_bindgen::closure::Closure<T>,
) -> impl FnOnce() {
    use wasm_bindgen::JsCast;
    let window = web_sys::window();
    if let Some(w) = &window {
        w.add_event_listener_with_callback(event, listener.as_ref().unchecked_ref())
            .ok();
    }
    move || {
        if let Some(w) = window {
            w.remove_event_listener_with_callback(event, listener.as_ref().unchecked_ref())
                .ok();
        }
    }
}

/// Copies text to the clipboard; whether the browser allowed it.
pub async fn copy(text: &str) -> bool {
    let Some(w) = web_sys::window() else {
        return false;
    };
    let promise = w.navigator().clipboard().write_text(text);
    wasm_bindgen_futures::JsFuture::from(promise).await.is_ok()
}

/// The localStorage key of the finished lessons.
pub const PROGRESS_KEY: &str = "backend-playground.progress";

/// Slugs of the lessons finished on this browser.
pub fn completed() -> Vec<String> {
    let list = stored(PROGRESS_KEY);
    let items = list
        .as_ref()
        .and_then(Value::as_array)
        .map_or(&[][..], Vec::as_slice);
    items
        .iter()
        .filter_map(|s| s.as_str().map(str::to_string))
        .collect()
}

/// Records a finished lesson.
pub fn complete(slug: &str) {
    let mut done = completed();
    if !done.iter().any(|d| d == slug) {
        done.push(slug.to_string());
        store(PROGRESS_KEY, Value::from(done));
    }
}

/// Forgets that a lesson was finished (a reset).
pub fn forget(slug: &str) {
    let done: Vec<String> = completed().into_iter().filter(|d| d != slug).collect();
    store(PROGRESS_KEY, Value::from(done));
}

/// The text at `url` (relative to the page), or a sentence saying why it could not be had.
pub async fn fetch_text(url: &str) -> Result<String, String> {
    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::JsFuture;
    let failed = || format!("{url} could not be loaded (is the site's lessons folder there?).");
    let window = web_sys::window().ok_or_else(failed)?;
    let answer = JsFuture::from(window.fetch_with_str(url))
        .await
        .map_err(|_| failed())?;
    let response: web_sys::Response = answer.dyn_into().map_err(|_| failed())?;
    if !response.ok() {
        return Err(format!(
            "{url} could not be loaded: the site answered {}.",
            response.status()
        ));
    }
    let text = JsFuture::from(response.text().map_err(|_| failed())?)
        .await
        .map_err(|_| failed())?;
    text.as_string().ok_or_else(failed)
}
