//! Browser input and output: downloads, autosave in localStorage, the URL fragment.

use gloo_storage::{LocalStorage, Storage};
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

/// Saves the scenario's JSON; false when the browser refused (storage full or turned off).
pub fn autosave(json: &str) -> bool {
    LocalStorage::set(AUTOSAVE_KEY, json).is_ok()
}

/// The autosaved scenario's JSON, if any.
pub fn autosaved() -> Option<String> {
    LocalStorage::get::<String>(AUTOSAVE_KEY).ok()
}

/// The URL fragment without `#`.
pub fn fragment() -> String {
    web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default()
        .trim_start_matches('#')
        .to_string()
}

/// Replaces the URL fragment without adding a history entry, and returns the full URL.
pub fn set_fragment(fragment: &str) -> String {
    let Some(window) = web_sys::window() else {
        return String::new();
    };
    let location = window.location();
    let base = location.href().unwrap_or_default();
    let base = base.split('#').next().unwrap_or_default().to_string();
    let url = format!("{base}#{fragment}");
    if let Ok(history) = window.history() {
        history
            .replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url))
            .ok();
    }
    url
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
    LocalStorage::get::<Vec<String>>(PROGRESS_KEY).unwrap_or_default()
}

/// Records a finished lesson.
pub fn complete(slug: &str) {
    let mut done = completed();
    if !done.iter().any(|d| d == slug) {
        done.push(slug.to_string());
        LocalStorage::set(PROGRESS_KEY, done).ok();
    }
}

/// Forgets that a lesson was finished (a reset).
pub fn forget(slug: &str) {
    let done: Vec<String> = completed().into_iter().filter(|d| d != slug).collect();
    LocalStorage::set(PROGRESS_KEY, done).ok();
}
