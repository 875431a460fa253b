//! Parts of a wasm file that a page opens later: the embed's screen and the Embed and Challenge
//! dialogs. Each part's code is cut into a file of its own at build time (`xtask/split.mjs`,
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

/// The parts a wasm file has, each as the function that fetches it.
#[derive(Debug, Default, Clone, Copy)]
pub struct Parts {
    /// The Embed and Challenge dialogs ([`crate::dialogs::draw`]).
    pub dialogs: Option<Fetch<crate::dialogs::LazyDialogProps>>,
    /// The embed's screen ([`crate::shell::draw_embed`]).
    pub embed: Option<Fetch<()>>,
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

/// The fetch function of a part: the split function that holds `draw` (a [`Render`] of `Props`),
/// cut into the file `split_<name>.wasm`. Written in a bin's `main.rs`, so only that wasm file
/// has it.
#[macro_export]
macro_rules! part {
    ($name:ident, $props:ty, $draw:path) => {{
        #[wasm_split_helpers::wasm_split($name, fallible)]
        fn $name() -> Result<$crate::parts::Render<$props>, wasm_split_helpers::SplitLoaderError> {
            Ok($draw)
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
            Box::pin($name())
        }
        fetch as $crate::parts::Fetch<$props>
    }};
}

/// A part drawn once its file has arrived.
#[derive(Properties)]
pub struct LateProps<P: PartialEq> {
    /// What the part draws.
    pub props: P,
    /// Where its code comes from.
    pub fetch: Fetch<P>,
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
            && std::ptr::fn_addr_eq(self.fetch, other.fetch)
            && self.what == other.what
            && self.waiting == other.waiting
            && self.failed == other.failed
    }
}

/// How far a part's fetch has got.
#[derive(Clone, Copy)]
enum Stage<P> {
    Fetching,
    Ready(Render<P>),
    Failed,
}

/// Draws `props.props` with the part once it has arrived.
#[function_component(Late)]
pub fn late<P: PartialEq + 'static>(props: &LateProps<P>) -> Html {
    let stage = use_state(|| Stage::<P>::Fetching);
    {
        let (stage, fetch) = (stage.clone(), props.fetch);
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                stage.set(match fetch().await {
                    Ok(render) => Stage::Ready(render),
                    Err(_) => Stage::Failed,
                });
            });
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
