//! The playground's browser app. It drives the engine through its public API and is the only
//! crate that touches the DOM.
//!
//! # Layout
//! - [`shell`]: the top-level component: the simulation, the frame loop, the page.
//! - [`state`]: the editor as a pure reducer (undo, redo, selection), tested natively.
//! - [`components`]: one file per part of the page (canvas, palette, inspector, controls,
//!   charts, faults, logs).
//! - [`views`]: the numbers the charts show, computed from the engine's metrics.
//! - [`chart`]: chart drawing, generic over the plotters backend (canvas in the page, SVG in tests).
//! - [`lessons`]: the lessons, embedded at build time from `lesson-catalog`; [`markdown`]: their text, rendered safely.
//! - [`share`]: share links (compressed scenario in the URL fragment); [`io`]: downloads,
//!   autosave, the address bar; [`kinds`]: what the palette says about each kind.

pub mod chart;
pub mod components;
pub mod io;
pub mod kinds;
pub mod lessons;
pub mod markdown;
pub mod share;
pub mod shell;
pub mod state;
pub mod views;

pub use shell::App;
