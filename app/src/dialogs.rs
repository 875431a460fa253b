//! The Embed and Challenge dialogs live in their own wasm file, `dialogs.js` (`src/bin/dialogs.rs`),
//! which the main file loads the first time one is opened: most visitors never open either, and
//! together they weigh 22 KB gzipped (docs/performance.md). [`LazyDialog`] is the main file's
//! side: it asks `static/boot.js` for the file, hands it a host element, the design as text and
//! a function to call on close. [`mount`] is the dialogs file's side.

use crate::challenge::Challenge;
use crate::components::challenge_dialog::{ChallengeDialog, ChallengeDialogProps};
use crate::components::embed_dialog::{EmbedDialog, EmbedDialogProps};
use engine::Scenario;
use js_sys::{Function, Promise, Reflect};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use yew::prelude::*;

/// Which dialog to open, with what it needs, as text that crosses from one wasm file to the
/// other.
#[derive(Debug, Clone, PartialEq)]
pub enum Request {
    /// The Embed dialog for the design (`Scenario::to_json`) and the lesson on screen, if any
    /// (slug and title).
    Embed {
        scenario: String,
        lesson: Option<(String, String)>,
    },
    /// The Challenge dialog starting from this challenge (`Challenge::link`).
    Challenge { link: String },
}

/// The file's name beside `index.html`.
const FILE: &str = "dialogs";

/// A dialog drawn by the dialogs file into a host element of this page.
#[derive(Properties, PartialEq, Debug)]
pub struct LazyDialogProps {
    /// What to open.
    pub request: Rc<Request>,
    /// Closes it.
    pub on_close: Callback<()>,
}

/// Loads the dialogs file (once a page) and opens the dialog in it; says so if the file cannot
/// be loaded (offline, or a site missing the file).
///
/// The dialog is another Yew app in this page, so its host sits outside `<body>`, this app's
/// root (a child of `<html>`, after it): each app numbers its elements' listeners from one, and
/// an event from the dialog bubbling through `<body>` would run this app's handler of the same
/// number.
#[function_component(LazyDialog)]
pub fn lazy_dialog(props: &LazyDialogProps) -> Html {
    let failed = use_state(|| None::<String>);
    {
        let (failed, request) = (failed.clone(), props.request.clone());
        let on_close = props.on_close.clone();
        use_effect_with((), move |_| {
            // The function the dialogs file calls on close, alive as long as the host is.
            let close = Closure::<dyn FnMut()>::new(move || on_close.emit(()));
            let callback: Function = close.as_ref().unchecked_ref::<Function>().clone();
            let host = web_sys::window().and_then(|w| w.document()).and_then(|d| {
                let host = d.create_element("div").ok()?;
                host.set_class_name("lazy-dialog");
                d.document_element()?.append_child(&host).ok()?;
                Some(host)
            });
            match host.clone() {
                Some(host) => wasm_bindgen_futures::spawn_local(async move {
                    if let Err(e) = open(host, &request, &callback).await {
                        failed.set(Some(e));
                    }
                }),
                None => failed.set(Some("the page has no place for it".into())),
            }
            move || {
                if let Some(host) = host {
                    host.remove();
                }
                drop(close);
            }
        });
    }
    let close = props.on_close.reform(|_: MouseEvent| ());
    html! {
        if let Some(why) = &*failed {
            <div class="dialog-backdrop">
                <section class="embed-dialog" role="alertdialog" aria-modal="true" aria-label="The dialog did not open">
                    <p>{ format!("This dialog could not be loaded ({why}). Check the connection and try again; your design is unchanged.") }</p>
                    <button onclick={close}>{ "Close" }</button>
                </section>
            </div>
        }
    }
}

/// Loads the file and calls its opener.
async fn open(
    element: web_sys::Element,
    request: &Request,
    on_close: &Function,
) -> Result<(), String> {
    let window = web_sys::window().ok_or("no window")?;
    let loader = Reflect::get(&window, &"playgroundModule".into())
        .ok()
        .and_then(|f| f.dyn_into::<Function>().ok())
        .ok_or("the page's boot.js is older than its app")?;
    let promise: Promise = loader
        .call1(&JsValue::NULL, &FILE.into())
        .map_err(describe)?
        .dyn_into()
        .map_err(describe)?;
    let module = wasm_bindgen_futures::JsFuture::from(promise)
        .await
        .map_err(describe)?;
    let (name, args) = match request {
        Request::Embed { scenario, lesson } => {
            let (slug, title) = lesson.clone().unzip();
            let args = js_sys::Array::of5(
                &element,
                &scenario.into(),
                &slug.map_or(JsValue::NULL, JsValue::from),
                &title.map_or(JsValue::NULL, JsValue::from),
                on_close,
            );
            ("open_embed_dialog", args)
        }
        Request::Challenge { link } => (
            "open_challenge_dialog",
            js_sys::Array::of3(&element, &link.into(), on_close),
        ),
    };
    let opener: Function = Reflect::get(&module, &name.into())
        .map_err(describe)?
        .dyn_into()
        .map_err(describe)?;
    opener.apply(&JsValue::NULL, &args).map_err(describe)?;
    Ok(())
}

fn describe(e: JsValue) -> String {
    e.dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| e.as_string())
        .unwrap_or_else(|| "unknown error".into())
}

thread_local! {
    /// The dialog open now, destroyed when the next opens (not from inside its own close).
    static OPEN: RefCell<Option<Mounted>> = const { RefCell::new(None) };
}

enum Mounted {
    Embed(yew::AppHandle<EmbedDialog>),
    Challenge(yew::AppHandle<ChallengeDialog>),
}

/// The dialogs file's opener: draws the dialog the request names into `host`; `on_close` is
/// called when the reader closes it. A request that does not read is refused with a sentence.
pub fn mount(host: web_sys::Element, request: Request, on_close: Function) -> Result<(), String> {
    if let Some(previous) = OPEN.with(|o| o.borrow_mut().take()) {
        match previous {
            Mounted::Embed(h) => h.destroy(),
            Mounted::Challenge(h) => h.destroy(),
        }
    }
    let on_close = Callback::from(move |()| {
        let _ = on_close.call0(&JsValue::NULL);
    });
    let mounted = match request {
        Request::Embed { scenario, lesson } => {
            let scenario = Scenario::from_json(&scenario).map_err(|e| e.to_string())?;
            // The slug names a lesson of this build, or none.
            let lesson = lesson.and_then(|(slug, title)| {
                crate::lessons::slugs()
                    .find(|s| *s == slug)
                    .map(|s| (s, AttrValue::from(title)))
            });
            let props = EmbedDialogProps {
                scenario: Rc::new(scenario),
                lesson,
                on_close,
            };
            Mounted::Embed(yew::Renderer::<EmbedDialog>::with_root_and_props(host, props).render())
        }
        Request::Challenge { link } => {
            let from = Rc::new(Challenge::from_link(&link)?);
            let props = ChallengeDialogProps { from, on_close };
            Mounted::Challenge(
                yew::Renderer::<ChallengeDialog>::with_root_and_props(host, props).render(),
            )
        }
    };
    OPEN.with(|o| *o.borrow_mut() = Some(mounted));
    Ok(())
}
