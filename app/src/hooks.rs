//! Hooks the screens share, one a file (the habit of Yew's own examples). Each owns one concern:
//! the route, the editing session, the run loop, autosave, keyboard history, share links arriving
//! in the fragment, and the pinned A/B comparison.

mod use_autosave;
mod use_compare;
mod use_facilitated;
mod use_history_keys;
mod use_projector;
mod use_route;
mod use_run;
mod use_session;
mod use_shared_links;

pub use use_autosave::use_autosave;
pub use use_compare::{use_compare, CompareHandle};
pub(crate) use use_facilitated::{post, use_channel};
pub use use_facilitated::{use_facilitated, Reveal};
pub use use_history_keys::use_history_keys;
pub use use_projector::{use_projector, use_projector_mode, Projector, ProjectorToggle};
pub use use_route::{use_route, RouteHandle};
pub use use_run::{use_run, Run, RunHandle};
pub use use_session::{use_session, SessionHandle};
pub use use_shared_links::{open_link, use_shared_links};
