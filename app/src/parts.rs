//! Parts of a wasm file that a page opens later: the embed's screen, the Embed and Challenge
//! dialogs and the inspector. Each part's code is cut into a file of its own at build time (`xtask/split.mjs`,
//! at the `#[wasm_split]` functions [`part!`] writes), which shares the memory, Yew and standard
//! library of the file that loads it; the part is fetched the first time it is drawn, then kept
//! for the page's life. Natively (tests, clippy) a part is an ordinary function.
//!
//! A part is a function that draws its props, handed over by an async function (a [`Fetch`]);
//! [`Late`] draws what it is given to wait with until the part arrives, and a sentence that says
//! what to do if it cannot be fetched (offline, or a site missing the file).
//!
//! Each wasm file names its parts in its `main` ([`provide`]), not here: a split function is an
//! export, and an export in the library would be kept in every file, the home screen's too.

use std::future::Future;
use std::pin::Pin;
use wasm_split_helpers::SplitLoaderError;
use yew::prelude::*;

/// Draws a part: the code a split file holds.
pub type Render<P> = fn(&P) -> Html;

/// Fetches a part's file (once a page: later calls answer at once) and hands over its drawing.
pub type Fetch<P> = fn() -> Pin<Box<dyn Future<Output = Result<Render<P>, SplitLoaderError>>>>;

/// A part of this wasm file: how to fetch it, and its drawing once it has arrived (so a part
/// drawn again, such as the inspector for the next component, is drawn at once, not after a
/// frame of waiting).
pub struct Part<P> {
    /// Fetches it.
    pub fetch: Fetch<P>,
    /// Its drawing, if it has arrived.
    pub ready: fn() -> Option<Render<P>>,
}

impl<P> Clone for Part<P> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<P> Copy for Part<P> {}

impl<P> PartialEq for Part<P> {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::fn_addr_eq(self.fetch, other.fetch)
    }
}

impl<P> std::fmt::Debug for Part<P> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Part")
    }
}

/// The parts a wasm file has.
#[derive(Debug, Default, Clone, Copy)]
pub struct Parts {
    /// The Embed and Challenge dialogs ([`crate::dialogs::draw`]).
    pub dialogs: Option<Part<crate::dialogs::LazyDialogProps>>,
    /// The embed's screen ([`crate::shell::draw_embed`]).
    pub embed: Option<Part<()>>,
    /// A component's inspector ([`crate::components::inspector::draw`]), fetched a moment after
    /// the workbench is drawn ([`prefetch`]), so it is there when a component is first selected.
    pub inspector: Option<Part<crate::components::inspector::InspectorProps>>,
}

thread_local! {
    static PARTS: std::cell::Cell<Parts> = std::cell::Cell::new(Parts::default());
}

/// Names the parts of this wasm file; its `main` calls it before the app starts.
pub fn provide(parts: Parts) {
    PARTS.with(|p| p.set(parts));
}

/// The parts this wasm file has (none unless its `main` named them).
pub fn provided() -> Parts {
    PARTS.with(std::cell::Cell::get)
}

/// Fetches `part` in the background after `delay_ms`, unless it has arrived already: for a part
/// most visitors open soon, fetched once the page is up so it does not slow the start.
pub fn prefetch<P: 'static>(part: Option<Part<P>>, delay_ms: u32) {
    let Some(part) = part else { return };
    if (part.ready)().is_some() {
        return;
    }
    wasm_bindgen_futures::spawn_local(async move {
        yew::platform::time::sleep(std::time::Duration::from_millis(delay_ms.into())).await;
        // A failed fetch is tried again when the part is drawn, which says so if it fails.
        let _ = (part.fetch)().await;
    });
}

/// A part of this wasm file: the split function that holds `draw` (a [`Render`] of `Props`),
/// cut into the file `split_<name>.wasm`. Written in a bin's `main.rs`, so only that wasm file
/// has it.
#[macro_export]
macro_rules! part {
    ($name:ident, $props:ty, $draw:path) => {{
        #[wasm_split_helpers::wasm_split($name, fallible)]
        fn $name() -> Result<$crate::parts::Render<$props>, wasm_split_helpers::SplitLoaderError> {
            Ok($draw)
        }
        thread_local! {
            static READY: ::std::cell::Cell<Option<$crate::parts::Render<$props>>> =
                const { ::std::cell::Cell::new(None) };
        }
        fn fetch() -> ::std::pin::Pin<
            Box<
                dyn ::std::future::Future<
                    Output = Result<
                        $crate::parts::Render<$props>,
                        wasm_split_helpers::SplitLoaderError,
                    >,
                >,
            >,
        > {
            Box::pin(async {
                let render = $name().await?;
                READY.with(|r| r.set(Some(render)));
                Ok(render)
            })
        }
        fn ready() -> Option<$crate::parts::Render<$props>> {
            READY.with(::std::cell::Cell::get)
        }
        $crate::parts::Part::<$props> { fetch, ready }
    }};
}

/// A part drawn once its file has arrived.
#[derive(Properties)]
pub struct LateProps<P: PartialEq> {
    /// What the part draws.
    pub props: P,
    /// Where its code comes from.
    pub part: Part<P>,
    /// What it is, for the sentence shown if it cannot be fetched ("the dialog").
    pub what: &'static str,
    /// Shown while it is fetched (nothing by default: a dialog shows its own backdrop).
    #[prop_or_default]
    pub waiting: Html,
    /// Shown instead of the usual sentence if the part cannot be fetched.
    #[prop_or_default]
    pub failed: Option<Html>,
}

impl<P: PartialEq> std::fmt::Debug for LateProps<P> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LateProps")
            .field("what", &self.what)
            .finish_non_exhaustive()
    }
}

impl<P: PartialEq> PartialEq for LateProps<P> {
    fn eq(&self, other: &Self) -> bool {
        self.props == other.props
            && self.part == other.part
            && self.what == other.what
            && self.waiting == other.waiting
            && self.failed == other.failed
    }
}

/// How far a part's fetch has got.
enum Stage<P> {
    Fetching,
    Ready(Render<P>),
    Failed,
}

/// Draws `props.props` with the part once it has arrived.
#[function_component(Late)]
pub fn late<P: PartialEq + 'static>(props: &LateProps<P>) -> Html {
    let part = props.part;
    let stage = use_state(|| (part.ready)().map_or(Stage::<P>::Fetching, Stage::Ready));
    {
        let stage = stage.clone();
        use_effect_with((), move |_| {
            if matches!(*stage, Stage::Fetching) {
                wasm_bindgen_futures::spawn_local(async move {
                    stage.set(match (part.fetch)().await {
                        Ok(render) => Stage::Ready(render),
                        Err(_) => Stage::Failed,
                    });
                });
            }
        });
    }
    match *stage {
        Stage::Ready(render) => render(&props.props),
        Stage::Fetching => props.waiting.clone(),
        Stage::Failed => props.failed.clone().unwrap_or_else(|| {
            html! {
                <p class="notice error" role="alert">
                    { format!("Could not load {} (check the connection, then reload the page).", props.what) }
                </p>
            }
        }),
    }
}
