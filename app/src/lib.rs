//! The playground's browser app. It drives the engine through its public API and is the only
//! crate that touches the DOM.
//!
//! # Layout
//! - [`shell`]: the top-level component.
//! - [`chart`]: chart drawing, generic over the plotters backend (canvas in the browser, SVG in tests).
//! - [`demo`]: numbers the engine computes for the shell's first chart.

pub mod chart;
pub mod demo;
pub mod shell;

pub use shell::App;
