//! Chart drawing, generic over the plotters backend: the browser draws on a canvas, the native
//! tests draw the same chart as SVG and check what came out.

use crate::demo::SweepPoint;
use plotters::coord::Shift;
use plotters::prelude::*;

/// Colours of one theme. Blue and orange stay distinct for the common colour-vision deficiencies.
#[derive(Debug, Clone, Copy)]
pub struct Palette {
    /// Background.
    pub background: RGBColor,
    /// Axis labels and titles.
    pub ink: RGBColor,
    /// Grid lines.
    pub grid: RGBColor,
    /// First series.
    pub first: RGBColor,
    /// Second series.
    pub second: RGBColor,
    /// Reference line.
    pub reference: RGBColor,
}

/// The light theme.
pub const LIGHT: Palette = Palette {
    background: RGBColor(255, 255, 255),
    ink: RGBColor(22, 32, 43),
    grid: RGBColor(230, 235, 241),
    first: RGBColor(31, 111, 178),
    second: RGBColor(230, 120, 30),
    reference: RGBColor(120, 130, 140),
};

/// The dark theme.
pub const DARK: Palette = Palette {
    background: RGBColor(22, 32, 43),
    ink: RGBColor(230, 237, 245),
    grid: RGBColor(42, 54, 68),
    first: RGBColor(124, 196, 255),
    second: RGBColor(255, 170, 90),
    reference: RGBColor(154, 171, 189),
};

/// Draws latency against load: the engine's mean and p99, with theory's mean dashed on top.
/// `scale` is the device-pixel ratio: sizes are given in CSS pixels and multiplied by it.
pub fn draw_latency_curve<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    points: &[SweepPoint],
    palette: Palette,
    scale: f64,
) -> Result<(), String> {
    let err = |e: DrawingAreaErrorKind<DB::ErrorType>| format!("chart: {e:?}");
    let px = |css: f64| (css * scale).round().max(1.0) as u32;
    area.fill(&palette.background).map_err(err)?;
    let y_max = points.iter().map(|p| p.p99_ms).fold(10.0, f64::max) * 1.1;
    let text = |size: f64| {
        ("sans-serif", f64::from(px(size)))
            .into_font()
            .color(&palette.ink)
    };
    let mut chart = ChartBuilder::on(area)
        .margin(px(8.0))
        .x_label_area_size(px(38.0))
        .y_label_area_size(px(48.0))
        .build_cartesian_2d(0.0f64..100.0f64, 0.0f64..y_max)
        .map_err(err)?;
    chart
        .configure_mesh()
        .x_desc("load (% of capacity)")
        .y_desc("time in system (ms)")
        .x_labels(6)
        .y_labels(6)
        .axis_desc_style(text(13.0))
        .label_style(text(12.0))
        .light_line_style(palette.grid)
        .bold_line_style(palette.grid)
        .axis_style(palette.ink)
        .draw()
        .map_err(err)?;
    let series =
        |f: fn(&SweepPoint) -> f64| points.iter().map(move |p| (p.utilisation * 100.0, f(p)));
    for (f, colour, label) in [
        (
            (|p: &SweepPoint| p.mean_ms) as fn(&SweepPoint) -> f64,
            palette.first,
            "mean, simulated",
        ),
        (|p: &SweepPoint| p.p99_ms, palette.second, "p99, simulated"),
    ] {
        chart
            .draw_series(LineSeries::new(series(f), colour.stroke_width(px(2.5))))
            .map_err(err)?
            .label(label)
            .legend(move |(x, y)| {
                PathElement::new(
                    [(x, y), (x + px(16.0) as i32, y)],
                    colour.stroke_width(px(2.5)),
                )
            });
        chart
            .draw_series(series(f).map(|xy| Circle::new(xy, px(3.5), colour.filled())))
            .map_err(err)?;
    }
    let dash = palette.reference.stroke_width(px(1.5));
    chart
        .draw_series(DashedLineSeries::new(
            series(|p| p.theory_mean_ms),
            px(6.0),
            px(4.0),
            dash,
        ))
        .map_err(err)?
        .label("mean, queueing theory")
        .legend(move |(x, y)| PathElement::new([(x, y), (x + px(16.0) as i32, y)], dash));
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperLeft)
        .background_style(palette.background.mix(0.9))
        .border_style(palette.grid)
        .label_font(text(12.0))
        .draw()
        .map_err(err)?;
    area.present().map_err(err)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo::{latency_sweep, LOADS};

    #[test]
    fn svg_has_axes_legend_and_every_point() {
        let points = latency_sweep(&LOADS, 5_000.0, 3);
        let mut svg = String::new();
        {
            let area = SVGBackend::with_string(&mut svg, (800, 480)).into_drawing_area();
            draw_latency_curve(&area, &points, LIGHT, 2.0).expect("draws");
        }
        assert!(svg.contains("load (% of capacity)"));
        assert!(svg.contains("mean, queueing theory"));
        assert!(svg.contains("p99, simulated"));
        // One circle per point for each of the two simulated series.
        assert_eq!(svg.matches("<circle").count(), 2 * LOADS.len());
    }
}
