//! Chart drawing, generic over the plotters backend: the browser draws on a canvas, the native
//! tests draw the same chart as SVG and check what came out. Sizes are given in CSS pixels and
//! multiplied by the device-pixel ratio, so text stays crisp at any zoom.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

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

/// One line of a time-series chart.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    /// Legend text.
    pub label: String,
    /// Line colour.
    pub colour: RGBColor,
    /// (time in seconds, value) points, oldest first.
    pub points: Vec<(f64, f64)>,
}

/// A coloured band on the time axis (a fault), in seconds.
#[derive(Debug, Clone, PartialEq)]
pub struct Band {
    /// Start (a band that ends where it starts is a cursor, drawn as a line).
    pub from_s: f64,
    /// End.
    pub to_s: f64,
}

/// `points` thinned to at most two per column of `columns`: the lowest and the highest of each
/// column, in time order, so a one-window spike still shows however narrow the chart.
pub fn downsample(points: &[(f64, f64)], columns: usize) -> Vec<(f64, f64)> {
    if points.len() <= 2 * columns {
        return points.to_vec();
    }
    let per = points.len().div_ceil(columns);
    let mut out = Vec::with_capacity(2 * columns);
    for chunk in points.chunks(per) {
        let lowest = chunk.iter().min_by(|a, b| a.1.total_cmp(&b.1));
        let highest = chunk.iter().max_by(|a, b| a.1.total_cmp(&b.1));
        if let (Some(&lo), Some(&hi)) = (lowest, highest) {
            if lo.0 <= hi.0 {
                out.extend([lo, hi]);
            } else {
                out.extend([hi, lo]);
            }
        }
    }
    out
}

/// Where the plot starts from the left edge, in CSS pixels: the margin and the y-label area.
pub const PLOT_LEFT: f64 = 6.0 + 44.0;
/// Where the plot ends from the right edge, in CSS pixels: the margin and room for the last
/// time label ("10 s"), which is centred on the plot's right edge.
pub const PLOT_RIGHT: f64 = 6.0 + 16.0;

/// Draws a time-series chart: lines over simulated time, the y axis labelled with its unit,
/// fault bands shaded behind. `scale` is the device-pixel ratio. The caller presents the area.
pub fn draw_time_series<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    y_desc: &str,
    series: &[Series],
    bands: &[Band],
    palette: Palette,
    scale: f64,
) -> Result<usize, String> {
    let err = |e: DrawingAreaErrorKind<DB::ErrorType>| format!("chart: {e}");
    let px = |css: f64| (css * scale).round().max(1.0) as u32;
    area.fill(&palette.background).map_err(err)?;
    let (mut x0, mut x1, mut y1) = (f64::MAX, f64::MIN, 0.0f64);
    for s in series {
        for &(x, y) in &s.points {
            x0 = x0.min(x);
            x1 = x1.max(x);
            if y.is_finite() {
                y1 = y1.max(y);
            }
        }
    }
    if x0 > x1 {
        (x0, x1) = (0.0, 10.0);
    }
    if x1 - x0 < 1.0 {
        x1 = x0 + 1.0;
    }
    let y1 = if y1 <= 0.0 { 1.0 } else { y1 * 1.15 };
    let text = |size: f64| {
        ("sans-serif", f64::from(px(size)))
            .into_font()
            .color(&palette.ink)
    };
    // The legend gets rows of its own above the plot, so it never hides the data under it.
    let font = text(11.0);
    let (width, _) = area.dim_in_pixel();
    let (swatch, gap, row_h, pad) = (
        px(14.0) as i32,
        px(5.0) as i32,
        px(15.0) as i32,
        px(8.0) as i32,
    );
    let (mut x, mut row) = (pad, 0);
    let mut placed = Vec::with_capacity(series.len());
    for s in series {
        let (w, _) = area.estimate_text_size(&s.label, &font).map_err(err)?;
        let item = swatch + gap + w as i32 + px(12.0) as i32;
        if x > pad && x + item > width as i32 - pad {
            (x, row) = (pad, row + 1);
        }
        placed.push((s, x, row * row_h + row_h / 2 + px(3.0) as i32));
        x += item;
    }
    let legend_h = if series.is_empty() {
        0
    } else {
        (row + 1) * row_h + px(4.0) as i32
    };
    let (legend, plot) = area.split_vertically(legend_h);
    for (s, x, y) in placed {
        legend
            .draw(&PathElement::new(
                [(x, y), (x + swatch, y)],
                s.colour.stroke_width(px(2.5)),
            ))
            .map_err(err)?;
        legend
            .draw(&Text::new(
                s.label.as_str(),
                (x + swatch + gap, y),
                font.pos(Pos::new(HPos::Left, VPos::Center)),
            ))
            .map_err(err)?;
    }
    let mut chart = ChartBuilder::on(&plot)
        .margin(px(6.0))
        .margin_right(px(PLOT_RIGHT))
        .x_label_area_size(px(22.0))
        .y_label_area_size(px(PLOT_LEFT - 6.0))
        .build_cartesian_2d(x0..x1, 0.0..y1)
        .map_err(err)?;
    chart
        .configure_mesh()
        .x_labels(5)
        .y_labels(4)
        // Short spans tick every half second or less: whole seconds would repeat.
        .x_label_formatter(&|x| {
            if x1 - x0 < 5.0 {
                format!("{x:.1} s")
            } else {
                format!("{x:.0} s")
            }
        })
        .y_label_formatter(&|y| {
            if *y >= 10_000.0 {
                format!("{:.0}k", y / 1000.0)
            } else if *y >= 1000.0 {
                format!("{:.1}k", y / 1000.0)
            } else if y1 < 10.0 {
                format!("{y:.1}")
            } else {
                format!("{y:.0}")
            }
        })
        .y_desc(y_desc)
        .axis_desc_style(text(11.0))
        .label_style(text(11.0))
        .light_line_style(palette.grid)
        .bold_line_style(palette.grid)
        .axis_style(palette.ink)
        .draw()
        .map_err(err)?;
    let band_colour = palette.second.mix(0.12);
    let mut shaded = 0;
    for b in bands {
        let (a, z) = (b.from_s.max(x0), b.to_s.min(x1));
        if b.from_s == b.to_s && (x0..=x1).contains(&b.from_s) {
            // A band of no width is a cursor: a line across the plot at that time.
            chart
                .draw_series(LineSeries::new(
                    [(b.from_s, 0.0), (b.from_s, y1)],
                    palette.ink.stroke_width(px(1.5)),
                ))
                .map_err(err)?;
        } else if a < z {
            shaded += 1;
            chart
                .draw_series(std::iter::once(Rectangle::new(
                    [(a, 0.0), (z, y1)],
                    band_colour.filled(),
                )))
                .map_err(err)?;
        }
    }
    // No more than two points per pixel column reach the canvas.
    let columns = (width as usize).saturating_sub(px(PLOT_LEFT + PLOT_RIGHT) as usize);
    for s in series {
        let colour = s.colour;
        chart
            .draw_series(LineSeries::new(
                downsample(&s.points, columns.max(1)),
                colour.stroke_width(px(1.8)),
            ))
            .map_err(err)?;
    }
    // Presenting is the caller's: several charts may share one backend (one SVG file holds six).
    Ok(shaded)
}

#[cfg(test)]
mod series_tests {
    use super::*;

    #[test]
    fn downsampling_keeps_spikes_and_order() {
        let mut points: Vec<(f64, f64)> = (0..600).map(|i| (f64::from(i) * 0.1, 5.0)).collect();
        points[301].1 = 900.0;
        points[17].1 = -3.0;
        let thin = downsample(&points, 100);
        assert!(thin.len() <= 200, "{}", thin.len());
        assert!(thin.iter().any(|p| p.1 == 900.0), "the spike survives");
        assert!(thin.iter().any(|p| p.1 == -3.0), "so does the dip");
        assert!(thin.windows(2).all(|w| w[0].0 <= w[1].0), "time order");
        assert_eq!(
            downsample(&points[..150], 100).len(),
            150,
            "short series are left alone"
        );
    }

    #[test]
    fn time_series_svg_has_legend_axes_and_bands() {
        let series = vec![
            Series {
                label: "p99".into(),
                colour: LIGHT.second,
                points: (0..50)
                    .map(|i| (f64::from(i) * 0.1, f64::from(i)))
                    .collect(),
            },
            Series {
                label: "p50".into(),
                colour: LIGHT.first,
                points: vec![],
            },
        ];
        let mut svg = String::new();
        {
            let area = SVGBackend::with_string(&mut svg, (400, 200)).into_drawing_area();
            let shaded = draw_time_series(
                &area,
                "latency (ms)",
                &series,
                &[
                    Band {
                        from_s: 1.0,
                        to_s: 2.0,
                    },
                    Band {
                        from_s: 50.0,
                        to_s: 60.0,
                    },
                ],
                LIGHT,
                1.0,
            )
            .expect("draws");
            assert_eq!(shaded, 1, "a band outside the time shown is not drawn");
        }
        assert!(svg.contains("latency (ms)") && svg.contains("p99") && svg.contains("p50"));
        assert!(svg.contains("<rect"), "the fault band is drawn");
        // An empty chart draws too.
        let mut empty = String::new();
        {
            let area = SVGBackend::with_string(&mut empty, (400, 200)).into_drawing_area();
            draw_time_series(&area, "x", &[], &[], DARK, 2.0).expect("draws");
        }
    }
}
