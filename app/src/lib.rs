//! The playground's browser app. It drives the engine through its public API and is the only
//! crate that touches the DOM.
//!
//! # Layout
//! - [`shell`]: the root components, one per wasm file (home, the main one, the workshop), routers
//!   over [`screens`] by [`route`].
//! - [`screens`]: home, sandbox, lesson, embed ([`embed`]: its options); each owns its [`hooks`] (session, run, autosave...).
//! - [`state`]: the editor (document, selection, undo, redo) and what each edit means for the
//!   simulation; [`session`]: the document and its simulation kept in step. Both tested natively.
//! - [`components`]: one file per part of the page (workbench, canvas, palette, inspectors,
//!   controls, charts, faults, logs, top bar).
//! - [`problems`]: validation problems in words and in place.
//! - [`views`], [`chart`]: the charts (what they show, and drawing them over any plotters
//!   backend), from the `playground-charts` crate, which the command line shares.
//! - [`lessons`]: the lessons, embedded at build time from `lesson-catalog`; [`markdown`]: their text, rendered safely.
//! - [`parts`]: what a wasm file fetches when first drawn (the [`dialogs`], the embed's screen),
//!   cut into files of their own that share the file's runtime.
//! - [`share`]: share links (compressed scenario in the URL fragment); [`io`]: downloads,
//!   autosave, the address bar. What each component kind is (label, fields, wiring rules)
//!   comes from the engine's registry, `engine::kinds`.

pub mod challenge;
pub mod components;
pub mod diagnosis;
pub mod dialogs;
pub mod embed;
pub mod facilitator;
pub mod hooks;
pub mod io;
pub mod lessons;
pub mod markdown;
pub mod parts;
pub mod problems;
pub mod room;
pub mod route;
pub mod screens;
pub mod session;
pub mod share;
pub mod shell;
pub mod state;
#[cfg(test)]
mod views_tests;

pub use playground_charts::{chart, diagram, views};
pub use shell::App;
