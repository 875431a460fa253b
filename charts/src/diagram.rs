//! Pictures of a design, for docs and posts: the components where the file places them, each
//! with its kind and key settings, and each wire with its mode, as SVG (which the command line
//! also rasterises to PNG) or as a Mermaid flowchart. Pure functions of the scenario: no run.
//!
//! A component's key settings are read off the registry of kinds: the fields a file must write,
//! the switches that are on, and the settings that differ from their defaults, a few at most.

use engine::kinds::{self, Need};
use engine::scenario::{Component, Scenario, WireMode};
use serde_json::Value;
use std::fmt::Write;

/// A card's width in drawing units: the diagram's and the app canvas's.
pub const CARD_W: f64 = 190.0;
/// A card's height; see [`CARD_W`].
pub const CARD_H: f64 = 74.0;
/// Settings shown per component, at most.
const SETTINGS: usize = 3;
/// Room around the drawing.
const MARGIN: f64 = 24.0;

/// A value as a setting reads: numbers short, with the field's unit; a distribution by its kind
/// and its first time; a switch by its name alone.
fn value_words(kind: &str, name: &str, v: &Value) -> Option<String> {
    let unit = kinds::field(kind, name).map_or("", |f| f.unit);
    let number = |n: f64| match unit {
        "/s" => format!("{}{unit}", number_plain(n)),
        "ms" => duration(n),
        "s" => format!("{} {unit}", number_plain(n)),
        // A share, a count of workers or entries: the name says what it is.
        _ => number_plain(n),
    };
    Some(match v {
        Value::Null => return None,
        Value::Bool(true) => String::new(),
        Value::Bool(false) => "off".into(),
        Value::Number(n) => number(n.as_f64()?),
        Value::String(s) => s.replace('_', " "),
        Value::Object(o) if o.contains_key("dist") => {
            let dist = o.get("dist").and_then(Value::as_str).unwrap_or("");
            let ms = o
                .iter()
                .find(|(k, _)| k.ends_with("ms"))
                .and_then(|(_, v)| v.as_f64());
            match ms {
                Some(ms) => format!("{dist} {} ms", number_plain(ms)),
                None => dist.to_string(),
            }
        }
        // A switch that is on: its name says it; a list (a client's mix) is too long to show.
        Value::Object(_) => String::new(),
        Value::Array(_) => return None,
    })
}

/// Whether a default (as JSON) and a value are the same setting: numbers by value (`0` and
/// `0.0` are one), the rest as written.
fn same(default: &Option<Value>, v: &Value) -> bool {
    match (default, v) {
        (Some(Value::Number(a)), Value::Number(b)) => a.as_f64() == b.as_f64(),
        (Some(d), v) => d == v,
        (None, _) => false,
    }
}

/// Milliseconds in the unit that reads best: "300 ms", "2.5 s", "10 min", "24 h".
fn duration(ms: f64) -> String {
    match ms {
        ms if ms >= 3_600_000.0 => format!("{} h", number_plain(ms / 3_600_000.0)),
        ms if ms >= 60_000.0 => format!("{} min", number_plain(ms / 60_000.0)),
        ms if ms >= 1_000.0 => format!("{} s", number_plain(ms / 1_000.0)),
        ms => format!("{} ms", number_plain(ms)),
    }
}

fn number_plain(n: f64) -> String {
    if n.fract() == 0.0 || n.abs() >= 100.0 {
        format!("{n:.0}")
    } else {
        format!("{n}")
    }
}

/// A component's key settings, a few words each ("workers 8", "circuit breaker").
pub fn settings(c: &Component) -> Vec<String> {
    let kind = c.spec.kind_name();
    let Some(info) = kinds::kind(kind) else {
        return Vec::new();
    };
    let Ok(Value::Object(spec)) = serde_json::from_str::<Value>(&c.spec.to_json()) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for slot in info.fields {
        let Some(v) = spec.get(slot.name) else {
            continue;
        };
        let shown = match slot.need {
            Need::Required => true,
            Need::Off => !v.is_null(),
            Need::Default(d) => !same(&serde_json::from_str::<Value>(d).ok(), v),
        };
        if !shown {
            continue;
        }
        let Some(words) = value_words(kind, slot.name, v) else {
            continue;
        };
        // The unit follows the number, so the name drops it: "visibility timeout 5000 ms".
        let name = ["_per_sec", "_ms", "_s"]
            .iter()
            .find_map(|u| slot.name.strip_suffix(u))
            .unwrap_or(slot.name)
            .replace('_', " ");
        out.push(if words.is_empty() {
            name
        } else {
            format!("{name} {words}")
        });
        if out.len() == SETTINGS {
            break;
        }
    }
    out
}

/// Text safe inside SVG.
fn xml(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The corners of the cards' bounding box, as the file places them: (left, top, right, bottom);
/// a card's size with no cards.
pub fn bounds(scenario: &Scenario) -> (f64, f64, f64, f64) {
    let cs = &scenario.components;
    if cs.is_empty() {
        return (0.0, 0.0, CARD_W, CARD_H);
    }
    let (x0, y0) = cs
        .iter()
        .fold((f64::MAX, f64::MAX), |(x, y), c| (x.min(c.x), y.min(c.y)));
    let (x1, y1) = cs.iter().fold((f64::MIN, f64::MIN), |(x, y), c| {
        (x.max(c.x + CARD_W), y.max(c.y + CARD_H))
    });
    (x0, y0, x1, y1)
}

/// The SVG drawing's width and height, in pixels.
pub fn size(scenario: &Scenario) -> (f64, f64) {
    let (x0, y0, x1, y1) = bounds(scenario);
    (x1 - x0 + 2.0 * MARGIN, y1 - y0 + 2.0 * MARGIN)
}

/// The design as an SVG drawing, its cards where the file places them.
pub fn svg(scenario: &Scenario) -> String {
    let cs = &scenario.components;
    let (x0, y0, _, _) = bounds(scenario);
    let at = |c: &Component| (c.x - x0 + MARGIN, c.y - y0 + MARGIN);
    let (w, h) = size(scenario);
    let mut out = String::new();
    let _ = write!(
        out,
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{w:.0}" height="{h:.0}" viewBox="0 0 {w:.0} {h:.0}" font-family="sans-serif">
<title>{}</title>
<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="#5b6b7c"/></marker></defs>
<rect width="100%" height="100%" fill="#ffffff"/>
"##,
        xml(&scenario.name)
    );
    for wire in &scenario.wires {
        let (Some(a), Some(b)) = (
            cs.iter().find(|c| c.id == wire.from),
            cs.iter().find(|c| c.id == wire.to),
        ) else {
            continue;
        };
        let ((ax, ay), (bx, by)) = (at(a), at(b));
        // Left to right from side to side; to a card above or below, from edge to edge.
        let d = if bx >= ax + CARD_W + 20.0 {
            let (sx, sy, ex, ey) = (ax + CARD_W, ay + CARD_H / 2.0, bx - 4.0, by + CARD_H / 2.0);
            let bend = ((ex - sx) / 2.0).max(40.0);
            let (c1, c2) = (sx + bend, ex - bend);
            format!("M {sx:.1} {sy:.1} C {c1:.1} {sy:.1}, {c2:.1} {ey:.1}, {ex:.1} {ey:.1}")
        } else {
            let down = by >= ay;
            let (sx, ex) = (ax + CARD_W / 2.0, bx + CARD_W / 2.0);
            let (sy, ey) = if down {
                (ay + CARD_H, by - 4.0)
            } else {
                (ay, by + CARD_H + 4.0)
            };
            let bend = ((ey - sy).abs() / 2.0).max(30.0) * if down { 1.0 } else { -1.0 };
            let (c1, c2) = (sy + bend, ey - bend);
            format!("M {sx:.1} {sy:.1} C {sx:.1} {c1:.1}, {ex:.1} {c2:.1}, {ex:.1} {ey:.1}")
        };
        let (sx, sy, ex, ey) = (ax + CARD_W, ay + CARD_H / 2.0, bx, by + CARD_H / 2.0);
        let dash = if wire.mode == WireMode::Async {
            r#" stroke-dasharray="6 4""#
        } else {
            ""
        };
        let _ = writeln!(
            out,
            r##"<path class="wire" data-from="{}" data-to="{}" d="{d}" fill="none" stroke="#5b6b7c" stroke-width="1.6"{dash} marker-end="url(#arrow)"/>"##,
            xml(&wire.from),
            xml(&wire.to),
        );
        let label = wire_label(wire.mode, wire.optional, &wire.ops);
        if !label.is_empty() {
            let _ = writeln!(
                out,
                r##"<text x="{:.1}" y="{:.1}" font-size="11" fill="#5b6b7c" text-anchor="middle">{}</text>"##,
                (sx + ex) / 2.0,
                (sy + ey) / 2.0 - 6.0,
                xml(&label)
            );
        }
    }
    for c in cs {
        let (x, y) = at(c);
        let info = kinds::kind(c.spec.kind_name());
        let label = info.map_or(c.spec.kind_name(), |k| k.label);
        let name: String = c.name.chars().take(24).collect();
        let _ = write!(
            out,
            r##"<g class="card" data-id="{}" transform="translate({x:.1} {y:.1})"><rect width="{CARD_W}" height="{CARD_H}" rx="10" fill="#f3f5f8" stroke="#1f6fb2" stroke-width="1.5"/><text x="10" y="20" font-size="14" font-weight="600" fill="#16202b">{}</text><text x="10" y="36" font-size="11" fill="#5b6b7c">{}</text>"##,
            xml(&c.id),
            xml(&name),
            xml(label)
        );
        let settings = settings(c);
        for (i, s) in settings.iter().take(2).enumerate() {
            let s: String = s.chars().take(30).collect();
            let _ = write!(
                out,
                r##"<text x="10" y="{}" font-size="11" fill="#16202b">{}</text>"##,
                52 + 14 * i,
                xml(&s)
            );
        }
        out.push_str("</g>\n");
    }
    out.push_str("</svg>\n");
    out
}

/// A wire's words: its mode when it does not wait, whether it is optional, what it carries.
fn wire_label(mode: WireMode, optional: bool, ops: &[engine::scenario::Op]) -> String {
    let mut words = Vec::new();
    if mode == WireMode::Async {
        words.push("async".to_string());
    }
    if optional {
        words.push("optional".to_string());
    }
    if !ops.is_empty() {
        let ops: Vec<String> = ops
            .iter()
            .filter_map(|o| serde_json::to_value(o).ok())
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect();
        words.push(ops.join(", "));
    }
    words.join(" · ")
}

/// Text safe inside a Mermaid label in double quotes.
fn mermaid_text(text: &str) -> String {
    text.replace('"', "#quot;")
        .replace('<', "#lt;")
        .replace('>', "#gt;")
}

/// The design as a Mermaid flowchart, left to right: a node per component (its name, kind and
/// key settings) and an arrow per wire (dotted when the sender does not wait), with the wire's
/// words as its label.
pub fn mermaid(scenario: &Scenario) -> String {
    let mut out = String::from("flowchart LR\n");
    let node = |id: &str| {
        scenario
            .components
            .iter()
            .position(|c| c.id == id)
            .map(|i| format!("c{i}"))
    };
    for (i, c) in scenario.components.iter().enumerate() {
        let label = kinds::kind(c.spec.kind_name()).map_or(c.spec.kind_name(), |k| k.label);
        let mut lines = vec![
            format!("<b>{}</b>", mermaid_text(&c.name)),
            mermaid_text(label),
        ];
        lines.extend(settings(c).iter().map(|s| mermaid_text(s)));
        let _ = writeln!(out, "    c{i}[\"{}\"]", lines.join("<br/>"));
    }
    for w in &scenario.wires {
        let (Some(a), Some(b)) = (node(&w.from), node(&w.to)) else {
            continue;
        };
        let label = wire_label(w.mode, w.optional, &w.ops);
        let arrow = if w.mode == WireMode::Async {
            "-.->"
        } else {
            "-->"
        };
        if label.is_empty() {
            let _ = writeln!(out, "    {a} {arrow} {b}");
        } else {
            let _ = writeln!(out, "    {a} {arrow}|\"{}\"| {b}", mermaid_text(&label));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lesson(file: &str) -> Scenario {
        Scenario::from_json(file).expect("a lesson file")
    }

    #[test]
    fn the_svg_names_every_component_and_draws_every_wire() {
        let mut s = lesson(include_str!(
            "../../lessons/04-nobody-got-the-email/solution.json"
        ));
        s.wires[0].mode = WireMode::Async;
        let svg = svg(&s);
        for c in &s.components {
            assert!(svg.contains(&format!(r#"data-id="{}""#, c.id)), "{}", c.id);
            assert!(svg.contains(&xml(&c.name)), "{}", c.name);
        }
        assert_eq!(svg.matches(r#"class="wire""#).count(), s.wires.len());
        // An async wire is dashed and says so.
        assert!(svg.contains("stroke-dasharray") && svg.contains(">async<"));
        assert!(svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"));
    }

    #[test]
    fn settings_are_the_required_fields_and_what_is_switched_on() {
        let s = lesson(include_str!("../../lessons/01-paid-twice/solution.json"));
        let api = s.components.iter().find(|c| c.id == "api").expect("api");
        let words = settings(api);
        assert!(words.iter().any(|w| w.starts_with("workers ")), "{words:?}");
        assert!(words.len() <= SETTINGS);
        let m = mermaid(&s);
        assert!(m.starts_with("flowchart LR\n"));
        assert_eq!(
            m.matches(" --> ").count()
                + m.matches(" -.-> ").count()
                + m.matches("-->|").count()
                + m.matches("-.->|").count(),
            s.wires.len()
        );
        for (i, c) in s.components.iter().enumerate() {
            assert!(m.contains(&format!("c{i}[\"<b>{}</b>", mermaid_text(&c.name))));
        }
        // Quotes and angle brackets in a name cannot end the label early.
        assert_eq!(mermaid_text(r#"a "b" <c>"#), "a #quot;b#quot; #lt;c#gt;");
    }
}
