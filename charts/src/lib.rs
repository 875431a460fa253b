//! The playground's charts, shared by the browser app (drawn on a canvas) and the command line
//! (written as SVG files): no web code here.
//!
//! - [`views`]: what each chart shows, computed from a simulation's metrics: pure functions.
//! - [`chart`]: drawing a chart, generic over the plotters backend.
//! - [`diagram`]: a picture of the design (SVG, Mermaid) for docs and posts.

pub mod chart;
pub mod diagram;
pub mod views;
