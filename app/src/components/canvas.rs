//! The work surface: components as cards, wires as arrows, live state drawn on both.
//! Drag a card to move it, drag from its output port (the dot on its right) to another card to
//! wire them, drag the background to pan, use the wheel or the buttons to zoom. Cards are
//! focusable: Tab moves between them, Delete removes the selection.

use crate::state::{Action, Selection};
use engine::scenario::Scenario;
use engine::simulation::ComponentSnapshot;
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;
use web_sys::{Element, PointerEvent};
use yew::prelude::*;

/// Card size in canvas units: the same cards the diagrams draw.
pub use crate::diagram::{CARD_H, CARD_W};
/// Room for a card's live line, in canvas units, and how many characters fit unsqueezed.
const LIVE_WIDTH: f64 = CARD_W - 26.0;
const LIVE_CHARS: usize = 26;
/// Below this zoom a card's details would be smaller than about 8 px on screen: cards then show
/// their name (and their live numbers or kind, while there is room) in type scaled back up to a
/// readable size.
pub const COMPACT_BELOW: f64 = 0.8;
/// The on-screen size, in CSS pixels, of a compact card's name and of its kind.
const COMPACT_NAME_PX: f64 = 12.5;
const COMPACT_KIND_PX: f64 = 10.5;

/// A compact card's text for `zoom`: its lines (the name, then `second` while it fits) with the
/// font size each needs in drawing units to show at a readable size, its baseline, and the
/// length to squeeze it to when it would overflow the card.
fn compact_lines(name: &str, second: &str, zoom: f64) -> Vec<(String, f64, f64, Option<f64>)> {
    let zoom = zoom.max(0.1);
    let name_size = COMPACT_NAME_PX / zoom;
    let kind_size = COMPACT_KIND_PX / zoom;
    let room = CARD_W - 20.0;
    // Sans-serif type is about 0.56 of its size wide a character, bold a little more.
    let fit = |text: &str, size: f64, per: f64| {
        let wide = text.chars().count() as f64 * size * per;
        (wide > room).then_some(room)
    };
    let mut lines = Vec::new();
    let two = name_size + kind_size + 14.0 <= CARD_H - 8.0;
    let name_y = if two {
        8.0 + name_size
    } else {
        (CARD_H + name_size * 0.7) / 2.0
    };
    lines.push((
        name.to_string(),
        name_size,
        name_y,
        fit(name, name_size, 0.6),
    ));
    if two {
        let y = name_y + 4.0 + kind_size;
        lines.push((
            second.to_string(),
            kind_size,
            y,
            fit(second, kind_size, 0.6),
        ));
    }
    lines
}

/// Validation problems where the canvas shows them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Problems {
    /// By component id.
    pub components: HashMap<String, Vec<String>>,
    /// By wire index.
    pub wires: HashMap<usize, Vec<String>>,
}

/// Properties of [`Canvas`].
#[derive(Properties, PartialEq, Debug)]
pub struct CanvasProps {
    /// The document.
    pub scenario: Rc<Scenario>,
    /// Live state per component id, when a simulation runs.
    pub live: Rc<HashMap<String, ComponentSnapshot>>,
    /// Wires that are partitioned now, by index.
    pub partitioned: Rc<Vec<bool>>,
    /// Validation problems, on the component or wire they concern.
    pub problems: Rc<Problems>,
    /// The selection.
    pub selection: Option<Selection>,
    /// Seconds per metrics window.
    pub window_s: f64,
    /// Bumped when a whole document is loaded: the view is fitted to it.
    pub loaded: u64,
    /// Edits go here.
    pub dispatch: Callback<Action>,
}

#[derive(Debug, Clone)]
enum Drag {
    Card {
        id: String,
        dx: f64,
        dy: f64,
        moved: bool,
        /// Pressed inside a multi-selection: the whole group moves; a click without a drag
        /// selects just this card when released.
        in_group: bool,
    },
    Wire {
        from: String,
    },
    Pan {
        x: f64,
        y: f64,
        pan_x: f64,
        pan_y: f64,
    },
    /// Two fingers down: the view then, their distance and their midpoint then.
    Pinch {
        start: View,
        d0: f64,
        m0: (f64, f64),
    },
}

/// The distance between the first two pointers of `down` and their midpoint.
fn spread(down: &[(i32, f64, f64)]) -> Option<(f64, (f64, f64))> {
    let [(_, ax, ay), (_, bx, by), ..] = down else {
        return None;
    };
    Some(((ax - bx).hypot(ay - by), ((ax + bx) / 2.0, (ay + by) / 2.0)))
}

/// The view after a two-finger pinch: `start` was the view when the fingers went down, `d0` and
/// `d1` their distance then and now, `m0` and `m1` their midpoint then and now (relative to the
/// surface's corner). Zoom follows the spread, and the drawing under the fingers stays there.
fn pinched(start: View, d0: f64, d1: f64, m0: (f64, f64), m1: (f64, f64)) -> View {
    let zoom = (start.zoom * d1 / d0.max(1.0)).clamp(0.3, 2.5);
    let (px, py) = (m0.0 / start.zoom - start.x, m0.1 / start.zoom - start.y);
    View {
        x: m1.0 / zoom - px,
        y: m1.1 / zoom - py,
        zoom,
    }
}

/// Pan and zoom.
#[derive(Debug, Clone, Copy, PartialEq)]
struct View {
    x: f64,
    y: f64,
    zoom: f64,
}

fn card_at(scenario: &Scenario, x: f64, y: f64) -> Option<String> {
    scenario
        .components
        .iter()
        .rev()
        .find(|c| x >= c.x && x <= c.x + CARD_W && y >= c.y && y <= c.y + CARD_H)
        .map(|c| c.id.clone())
}

/// A count short enough for a card: 950, 12.3k, 121k, 1.5M.
fn short_count(n: f64) -> String {
    match n {
        n if n >= 999_500.0 => format!("{:.1}M", n / 1e6),
        n if n >= 99_950.0 => format!("{:.0}k", n / 1e3),
        n if n >= 999.5 => format!("{:.1}k", n / 1e3),
        n => format!("{n:.0}"),
    }
}

/// A latency short enough for a card: 89 ms, 20.8 s.
fn short_ms(ms: f32) -> String {
    if ms >= 999.5 {
        format!("{:.1} s", ms / 1000.0)
    } else {
        format!("{ms:.0} ms")
    }
}

/// What a card says about its component's last window.
fn live_line(kind: &str, c: &ComponentSnapshot, window_s: f64) -> String {
    let Some(w) = c.last_window else {
        return String::new();
    };
    let per_s = |n: u32| short_count(f64::from(n) / window_s.max(1e-9));
    let n = |n: u32| short_count(f64::from(n));
    match kind {
        "client" => format!("{}/s sent · p99 {}", per_s(w.arrivals), short_ms(w.p99_ms)),
        "queue" => format!("{} waiting · {} in work", n(c.queue_depth), n(c.in_service)),
        "dead_letter" => format!("{} messages", n(w.dlq_size)),
        // Duplicates add up over the run: the card agrees with the goals and the chart.
        "provider" => format!(
            "{}/s · {} duplicates",
            per_s(w.effects),
            short_count(c.totals.duplicates as f64)
        ),
        "cache" => {
            let total = w.hits + w.misses;
            if total == 0 {
                "idle".into()
            } else {
                format!(
                    "{:.0}% hits · {} stale",
                    100.0 * f64::from(w.hits) / f64::from(total),
                    n(w.stale_reads)
                )
            }
        }
        "load_balancer" | "rate_limiter" => {
            format!("{}/s · {} refused", per_s(w.arrivals), n(w.rejections))
        }
        _ => format!(
            "{} queued · {:.0}% busy · p99 {}",
            n(c.queue_depth),
            w.utilisation * 100.0,
            short_ms(w.p99_ms)
        ),
    }
}

/// The share of the last window's requests that went wrong (errors, timeouts, refusals,
/// unreadable answers), when it is enough to call the component failing: at least 3 and 5%.
fn failing_share(c: &ComponentSnapshot) -> Option<f64> {
    let w = c.last_window?;
    let bad = w.errors + w.timeouts + w.rejections + w.contract_errors;
    let share = f64::from(bad) / f64::from(w.arrivals.max(1));
    (bad >= 3 && share > 0.05).then_some(share.min(1.0))
}

fn failing(c: &ComponentSnapshot) -> bool {
    failing_share(c).is_some()
}

/// A colour for utilisation, from calm blue through yellow to orange (readable with the common
/// colour-vision deficiencies, unlike green-to-red).
fn heat(u: f32) -> &'static str {
    match u {
        u if u >= 0.95 => "var(--heat-4)",
        u if u >= 0.8 => "var(--heat-3)",
        u if u >= 0.5 => "var(--heat-2)",
        _ => "var(--heat-1)",
    }
}

/// The pan and zoom that show every card with a margin (at most 1.2× zoom).
fn fit_view(scenario: &Scenario, svg_ref: &NodeRef) -> View {
    fit_view_up_to(scenario, svg_ref, 1.2)
}

/// As [`fit_view`], at most `max_zoom` times life size.
fn fit_view_up_to(scenario: &Scenario, svg_ref: &NodeRef, max_zoom: f64) -> View {
    let cs = &scenario.components;
    if cs.is_empty() {
        return View {
            x: 0.0,
            y: 0.0,
            zoom: 1.0,
        };
    }
    let (x0, y0, x1, y1) = crate::diagram::bounds(scenario);
    let (w, h) = svg_ref
        .cast::<Element>()
        .map(|e| e.get_bounding_client_rect())
        .map_or((800.0, 500.0), |r| (r.width(), r.height()));
    let zoom = ((w - 60.0) / (x1 - x0))
        .min((h - 60.0) / (y1 - y0))
        .clamp(0.3, max_zoom);
    // Centre the drawing in the surface.
    let x = (w / zoom - (x1 - x0)) / 2.0 - x0;
    let y = (h / zoom - (y1 - y0)) / 2.0 - y0;
    View { x, y, zoom }
}

/// What the pointer handlers share: the surface, the gesture in progress, the pointers down,
/// the view, the ghost wire while wiring by drag, and the document they act on.
#[derive(Clone)]
struct Gestures {
    svg_ref: NodeRef,
    drag: Rc<RefCell<Option<Drag>>>,
    /// Pointers now down (id, position relative to the surface), for two-finger pinch.
    down: Rc<RefCell<Vec<(i32, f64, f64)>>>,
    view: UseStateHandle<View>,
    ghost: UseStateHandle<Option<(f64, f64, f64, f64)>>,
    scenario: Rc<Scenario>,
    selection: Option<Selection>,
    dispatch: Callback<Action>,
}

impl Gestures {
    /// Where a point of the page lies on the surface, from its top-left corner, in CSS pixels.
    fn on_surface(&self, cx: i32, cy: i32) -> (f64, f64) {
        let rect = self
            .svg_ref
            .cast::<Element>()
            .map(|e| e.get_bounding_client_rect());
        let (left, top) = rect.map_or((0.0, 0.0), |r| (r.left(), r.top()));
        (f64::from(cx) - left, f64::from(cy) - top)
    }

    /// A point of the surface in canvas units (undoing pan and zoom).
    fn surface_to_canvas(&self, (sx, sy): (f64, f64)) -> (f64, f64) {
        let v = *self.view;
        (sx / v.zoom - v.x, sy / v.zoom - v.y)
    }

    /// A point of the page in canvas units.
    fn to_canvas(&self, cx: i32, cy: i32) -> (f64, f64) {
        self.surface_to_canvas(self.on_surface(cx, cy))
    }

    /// A pointer goes down: a second finger starts a pinch; on a port a wire starts, on a card a
    /// move (and the card is selected), elsewhere a pan (and nothing is selected).
    fn pointer_down(&self) -> Callback<PointerEvent> {
        let g = self.clone();
        let Gestures {
            svg_ref: svg_for_capture,
            drag,
            down,
            view,
            ghost,
            scenario,
            selection,
            dispatch,
        } = self.clone();
        Callback::from(move |e: PointerEvent| {
            let here = g.on_surface(e.client_x(), e.client_y());
            let (x, y) = g.surface_to_canvas(here);
            {
                let mut down = down.borrow_mut();
                // The first finger of a gesture starts afresh, so a lost release cannot leave a
                // stale pointer behind to turn the next touch into a pinch.
                if e.is_primary() {
                    down.clear();
                }
                down.retain(|p| p.0 != e.pointer_id());
                down.push((e.pointer_id(), here.0, here.1));
                if let Some((d0, m0)) = spread(&down) {
                    if let Some(svg) = svg_for_capture.cast::<Element>() {
                        svg.set_pointer_capture(e.pointer_id()).ok();
                    }
                    ghost.set(None);
                    *drag.borrow_mut() = Some(Drag::Pinch {
                        start: *view,
                        d0,
                        m0,
                    });
                    return;
                }
            }
            let target = e
                .target()
                .and_then(|t| wasm_bindgen::JsCast::dyn_into::<Element>(t).ok());
            let port = target.as_ref().and_then(|t| t.get_attribute("data-port"));
            // Capture on the svg itself (Yew delegates events from the root, so the event's
            // current target is not the svg), so moves and the release come back here.
            if let Some(svg) = svg_for_capture.cast::<Element>() {
                svg.set_pointer_capture(e.pointer_id()).ok();
            }
            *drag.borrow_mut() = Some(match (port, card_at(&scenario, x, y)) {
                (Some(from), _) => Drag::Wire { from },
                (None, Some(id)) => {
                    let c = scenario.components.iter().find(|c| c.id == id);
                    let (cx, cy) = c.map_or((x, y), |c| (c.x, c.y));
                    let in_group =
                        matches!(&selection, Some(Selection::Components(ids)) if ids.contains(&id));
                    if e.shift_key() {
                        dispatch.emit(Action::ToggleSelect(id.clone()));
                    } else if !in_group {
                        dispatch.emit(Action::Select(Some(Selection::Component(id.clone()))));
                    }
                    Drag::Card {
                        in_group: in_group && !e.shift_key(),
                        id,
                        dx: x - cx,
                        dy: y - cy,
                        moved: false,
                    }
                }
                (None, None) => {
                    if target
                        .as_ref()
                        .and_then(|t| t.get_attribute("data-wire"))
                        .is_none()
                    {
                        dispatch.emit(Action::Select(None));
                    }
                    Drag::Pan {
                        x: f64::from(e.client_x()),
                        y: f64::from(e.client_y()),
                        pan_x: view.x,
                        pan_y: view.y,
                    }
                }
            });
        })
    }

    /// A pointer moves: the gesture in progress follows it.
    fn pointer_move(&self) -> Callback<PointerEvent> {
        let g = self.clone();
        let Gestures {
            drag,
            down,
            view,
            ghost,
            scenario,
            dispatch,
            ..
        } = self.clone();
        Callback::from(move |e: PointerEvent| {
            let here = g.on_surface(e.client_x(), e.client_y());
            let (x, y) = g.surface_to_canvas(here);
            let id = e.pointer_id();
            let mut down = down.borrow_mut();
            if let Some(p) = down.iter_mut().find(|p| p.0 == id) {
                *p = (id, here.0, here.1);
            }
            let mut d = drag.borrow_mut();
            match d.as_mut() {
                Some(Drag::Pinch { start, d0, m0 }) => {
                    if let Some((d1, m1)) = spread(&down) {
                        view.set(pinched(*start, *d0, d1, *m0, m1));
                    }
                }
                Some(Drag::Card {
                    id, dx, dy, moved, ..
                }) => {
                    let (nx, ny) = ((x - *dx).round(), (y - *dy).round());
                    let record = !*moved;
                    *moved = true;
                    dispatch.emit(Action::Move {
                        id: id.clone(),
                        x: nx,
                        y: ny,
                        record,
                    });
                }
                Some(Drag::Wire { from, .. }) => {
                    if let Some(c) = scenario.components.iter().find(|c| &c.id == from) {
                        ghost.set(Some((c.x + CARD_W, c.y + CARD_H / 2.0, x, y)));
                    }
                }
                Some(Drag::Pan {
                    x: sx,
                    y: sy,
                    pan_x,
                    pan_y,
                }) => {
                    let z = view.zoom;
                    view.set(View {
                        x: *pan_x + (f64::from(e.client_x()) - *sx) / z,
                        y: *pan_y + (f64::from(e.client_y()) - *sy) / z,
                        zoom: z,
                    });
                }
                None => {}
            }
        })
    }

    /// A pointer goes up (or is cancelled): a wire dragged onto a card connects them.
    fn pointer_up(&self) -> Callback<PointerEvent> {
        let g = self.clone();
        let Gestures {
            drag,
            down,
            ghost,
            scenario,
            dispatch,
            ..
        } = self.clone();
        Callback::from(move |e: PointerEvent| {
            down.borrow_mut().retain(|p| p.0 != e.pointer_id());
            let (x, y) = g.to_canvas(e.client_x(), e.client_y());
            // A cancelled pointer (the browser took the gesture) ends a drag without wiring.
            let cancelled = e.type_() == "pointercancel";
            match drag.borrow_mut().take() {
                Some(Drag::Wire { from, .. }) => {
                    if let (false, Some(to)) = (cancelled, card_at(&scenario, x, y)) {
                        dispatch.emit(Action::Connect { from, to });
                    }
                }
                Some(Drag::Card {
                    id,
                    moved: false,
                    in_group: true,
                    ..
                }) if !cancelled => {
                    dispatch.emit(Action::Select(Some(Selection::Component(id))));
                }
                _ => {}
            }
            ghost.set(None);
        })
    }

    /// The wheel zooms.
    fn wheel(&self) -> Callback<WheelEvent> {
        let view = self.view.clone();
        Callback::from(move |e: WheelEvent| {
            e.prevent_default();
            let factor = if e.delta_y() > 0.0 { 0.9 } else { 1.0 / 0.9 };
            let v = *view;
            view.set(View {
                zoom: (v.zoom * factor).clamp(0.3, 2.5),
                ..v
            });
        })
    }

    /// A kind dropped from the palette is placed where it was dropped.
    fn drop(&self) -> Callback<DragEvent> {
        let g = self.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            let kind = e
                .data_transfer()
                .and_then(|d| d.get_data("text/plain").ok())
                .unwrap_or_default();
            if !kind.is_empty() {
                let (x, y) = g.to_canvas(e.client_x(), e.client_y());
                g.dispatch.emit(Action::Add {
                    kind,
                    x: (x - CARD_W / 2.0).round(),
                    y: (y - CARD_H / 2.0).round(),
                });
            }
        })
    }
}

/// One wire: a curve from the sender's port to the receiver, as thick as its flow, red when it
/// fails or is partitioned; None when an end does not exist.
fn draw_wire(
    props: &CanvasProps,
    pos: &HashMap<&str, (f64, f64)>,
    i: usize,
    w: &engine::scenario::Wire,
) -> Option<Html> {
    let (&(ax, ay), &(bx, by)) = (pos.get(w.from.as_str())?, pos.get(w.to.as_str())?);
    let (x1, y1, x2, y2) = (ax + CARD_W, ay + CARD_H / 2.0, bx - 6.0, by + CARD_H / 2.0);
    let bend = ((x2 - x1).abs() / 2.0).max(40.0);
    let d = format!(
        "M {x1} {y1} C {} {y1}, {} {y2}, {x2} {y2}",
        x1 + bend,
        x2 - bend
    );
    let callee = props.live.get(&w.to);
    let rate = callee
        .and_then(|c| c.last_window)
        .map_or(0.0, |w| f64::from(w.arrivals) / props.window_s.max(1e-9));
    let width = 1.5 + (1.0 + rate).log10() * 1.4;
    let partitioned = props.partitioned.get(i).copied().unwrap_or(false);
    let bad = partitioned || callee.is_some_and(failing);
    let selected = props.selection == Some(Selection::Wire(i));
    let problems = props.problems.wires.get(&i);
    let class = classes!(
        "wire",
        bad.then_some("failing"),
        (rate > 0.0).then_some("flowing"),
        selected.then_some("selected"),
        (w.mode == engine::scenario::WireMode::Async).then_some("async"),
        problems.is_some().then_some("invalid")
    );
    let dispatch = props.dispatch.clone();
    let onpointerdown = Callback::from(move |e: PointerEvent| {
        e.stop_propagation();
        dispatch.emit(Action::Select(Some(Selection::Wire(i))));
    });
    let title = format!(
        "{} → {}{}{}{}",
        w.from,
        w.to,
        if partitioned { " (partitioned)" } else { "" },
        if rate > 0.0 {
            format!(", {rate:.0} requests/s")
        } else {
            String::new()
        },
        problems
            .map(|p| format!(": {}", p.join("; ")))
            .unwrap_or_default()
    );
    let (mx, my) = ((x1 + x2) / 2.0, (y1 + y2) / 2.0);
    Some(html! {
        <g key={format!("w{i}")} class={class} data-wire={i.to_string()} {onpointerdown}>
            <title>{ title }</title>
            <path class="wire-hit" d={d.clone()} data-wire={i.to_string()} />
            <path class="wire-line" d={d} stroke-width={format!("{width:.1}")} marker-end="url(#arrow)" data-wire={i.to_string()} />
            if problems.is_some() {
                <circle class="problem-dot" cx={mx.to_string()} cy={my.to_string()} r="9" data-wire={i.to_string()} />
                <text class="problem-mark" x={mx.to_string()} y={(my + 5.0).to_string()} text-anchor="middle" data-wire={i.to_string()}>{ "!" }</text>
            }
        </g>
    })
}

/// Keys on a card. Arrows nudge it (Shift: further), one undo step a press; wiring by keyboard:
/// C on a card starts a wire from it, Enter on another card ends it there, Escape cancels.
fn card_keys(
    c: &engine::scenario::Component,
    wiring: &UseStateHandle<Option<String>>,
    dispatch: Callback<Action>,
) -> Callback<KeyboardEvent> {
    let id = c.id.clone();
    let wiring = wiring.clone();
    let name = crate::state::display_name(c).to_string();
    let (cx, cy) = (c.x, c.y);
    Callback::from(
        move |e: KeyboardEvent| match (e.key().as_str(), (*wiring).clone()) {
            (arrow @ ("ArrowLeft" | "ArrowRight" | "ArrowUp" | "ArrowDown"), None) => {
                e.prevent_default();
                let step = if e.shift_key() { 50.0 } else { 10.0 };
                let (dx, dy) = match arrow {
                    "ArrowLeft" => (-step, 0.0),
                    "ArrowRight" => (step, 0.0),
                    "ArrowUp" => (0.0, -step),
                    _ => (0.0, step),
                };
                dispatch.emit(Action::Move {
                    id: id.clone(),
                    x: cx + dx,
                    y: cy + dy,
                    record: true,
                });
            }
            ("c" | "C", None) if !e.ctrl_key() && !e.meta_key() => {
                e.stop_propagation();
                wiring.set(Some(id.clone()));
                dispatch.emit(Action::Notify(Some(crate::state::Notice {
                error: false,
                text: format!("Wiring from {name}: Tab to the component it should send to and press Enter (Escape cancels)."),
            })));
            }
            ("Enter", Some(from)) => {
                e.stop_propagation();
                wiring.set(None);
                dispatch.emit(Action::Connect {
                    from,
                    to: id.clone(),
                });
            }
            ("Escape", Some(_)) => {
                wiring.set(None);
                dispatch.emit(Action::Notify(None));
            }
            _ => {}
        },
    )
}

/// One card: the component's name and kind, its live line, utilisation and queue bars, its
/// problems, and its output port.
fn draw_card(
    props: &CanvasProps,
    c: &engine::scenario::Component,
    wiring: &UseStateHandle<Option<String>>,
    zoom: f64,
) -> Html {
    let kind = c.spec.kind_name();
    let live = props.live.get(&c.id);
    let problems = props.problems.components.get(&c.id);
    let selected = props
        .selection
        .as_ref()
        .is_some_and(|s| s.has_component(&c.id));
    let crashed = live.is_some_and(|l| l.crashed);
    let open = live.is_some_and(|l| l.circuit_open);
    let u = live
        .and_then(|l| l.last_window)
        .map_or(0.0, |w| w.utilisation);
    let fill = live
        .map_or(0.0, |l| match l.queue_capacity {
            Some(cap) if cap > 0 => f64::from(l.queue_depth) / f64::from(cap),
            _ => (1.0 + f64::from(l.queue_depth)).log10() / 4.0,
        })
        .min(1.0);
    let class = classes!(
        "card",
        format!("kind-{kind}"),
        selected.then_some("selected"),
        crashed.then_some("crashed"),
        problems.is_some().then_some("invalid"),
        live.is_some_and(failing).then_some("failing"),
        (wiring.as_deref() == Some(c.id.as_str())).then_some("wiring-source")
    );
    let dispatch = props.dispatch.clone();
    let id = c.id.clone();
    let onfocus = {
        let dispatch = dispatch.clone();
        let id = id.clone();
        let wiring = wiring.clone();
        Callback::from(move |e: FocusEvent| {
            // Focus from the keyboard selects; a pointer has already said what it selects
            // (shift-click adds to a group, which focus must not undo). While wiring by
            // keyboard, focus moves to the target without losing the source.
            let from_keyboard = e
                .target_dyn_into::<Element>()
                .is_some_and(|t| t.matches(":focus-visible").unwrap_or(true));
            if from_keyboard && wiring.is_none() {
                dispatch.emit(Action::Select(Some(Selection::Component(id.clone()))));
            }
        })
    };
    let onkeydown = card_keys(c, wiring, dispatch.clone());
    let line = if crashed {
        "crashed".to_string()
    } else {
        live.map(|l| live_line(kind, l, props.window_s))
            .unwrap_or_default()
    };
    // A long line is squeezed to fit between the card's edge and its output port (10.5 px
    // monospace is about 6.3 px a character).
    let squeeze = (line.chars().count() > LIVE_CHARS).then(|| format!("{LIVE_WIDTH}"));
    // The card's accessible name is its visible words in order (name, kind, state); its
    // problems are its description. The badge letter, the live numbers and the "!" are hidden
    // from screen readers (the numbers change ten times a second; the charts' tables carry
    // them).
    let shown_name: String = crate::state::display_name(c).chars().take(20).collect();
    let failing_text = live
        .and_then(failing_share)
        .filter(|_| !open)
        .map(|share| format!(" · {:.0}% failing", share * 100.0));
    // What its capacity costs, where it has a price (see the registry); a card that is failing
    // or whose breaker is open says that instead, as the line has room for one of them.
    let cost = engine::kinds::cost_per_hour(&c.spec);
    let aside = if open {
        " · circuit open".to_string()
    } else if cost > 0.0 && failing_text.is_none() {
        format!(" · ${cost:.2}/h")
    } else {
        String::new()
    };
    let kind_text = format!("{}{aside}", c.spec.info().label);
    html! {
        <g key={c.id.clone()} class={class} transform={format!("translate({} {})", c.x, c.y)} tabindex="0" role="button"
            {onfocus} {onkeydown} data-id={c.id.clone()}>
            if let Some(p) = problems { <desc>{ format!("Problem: {}", p.join("; ")) }</desc> }
            <rect class="card-body" width={CARD_W.to_string()} height={CARD_H.to_string()} rx="10" />
            <rect class="card-heat" x="0" y={(CARD_H - 6.0).to_string()} width={(CARD_W * f64::from(u.min(1.0))).to_string()} height="6" rx="3" fill={heat(u)} />
            <rect class="card-queue" x={(CARD_W - 8.0).to_string()} y={(8.0 + (CARD_H - 22.0) * (1.0 - fill)).to_string()} width="4" height={((CARD_H - 22.0) * fill).to_string()} rx="2" />
            if zoom < COMPACT_BELOW {
                // Fewer details in type scaled up: the name, then (while it fits) the live numbers
                // once it runs, else the kind.
                { for compact_lines(&shown_name, if line.is_empty() { c.spec.info().label } else { &line }, zoom).into_iter().enumerate().map(|(i, (text, size, y, squeeze))| html! {
                    <text class={match (i, line.is_empty()) { (0, _) => "name compact", (_, true) => "kind compact", _ => "live compact" }} x="10" y={format!("{y:.1}")}
                        style={format!("font-size: {size:.1}px")} textLength={squeeze.map(|w| format!("{w:.0}"))} lengthAdjust="spacingAndGlyphs">
                        { text }{ if i == 0 { " " } else { "" } }
                    </text>
                }) }
            } else {
                <circle class="badge" cx="22" cy="24" r="15" />
                <text class="glyph" x="22" y="28" text-anchor="middle" aria-hidden="true">{ c.spec.info().letter }</text>
                <text class="name" x="44" y="22">{ shown_name }{ " " }</text>
                <text class="kind" x="44" y="38">{ kind_text }
                    if let Some(text) = failing_text {
                        <tspan class="failing-share">{ text }</tspan>
                    }
                </text>
                <text class="live" x="10" y="60" textLength={squeeze.clone()} lengthAdjust="spacingAndGlyphs" aria-hidden="true">{ line }</text>
            }
            if problems.is_some() { <text class="problem-mark" x={(CARD_W - 22.0).to_string()} y="24" aria-hidden="true">{ "!" }</text> }
            if !c.spec.info().sends_to.is_empty() {
                <circle class="port" cx={CARD_W.to_string()} cy={(CARD_H / 2.0).to_string()} r="7" data-port={c.id.clone()} aria-hidden="true">
                </circle>
            }
        </g>
    }
}

/// The work surface.
#[function_component(Canvas)]
pub fn canvas(props: &CanvasProps) -> Html {
    let svg_ref = use_node_ref();
    let view = use_state(|| View {
        x: 0.0,
        y: 0.0,
        zoom: 1.0,
    });
    let gestures = Gestures {
        svg_ref: svg_ref.clone(),
        drag: use_mut_ref(|| None),
        down: use_mut_ref(Vec::new),
        view: view.clone(),
        ghost: use_state(|| None),
        scenario: props.scenario.clone(),
        selection: props.selection.clone(),
        dispatch: props.dispatch.clone(),
    };
    let wiring = use_state(|| None::<String>);
    let zoom = |factor: f64| {
        let view = view.clone();
        Callback::from(move |_: MouseEvent| {
            let v = *view;
            view.set(View {
                zoom: (v.zoom * factor).clamp(0.3, 2.5),
                ..v
            });
        })
    };
    let fit = {
        let view = view.clone();
        let scenario = props.scenario.clone();
        let svg_ref = svg_ref.clone();
        Callback::from(move |_: MouseEvent| view.set(fit_view(&scenario, &svg_ref)))
    };
    // A newly loaded document (a lesson, an import, a link) is fitted into view, and so is
    // every document when projector mode changes the canvas's size (closer up on a projector).
    let projector = crate::hooks::use_projector_mode();
    {
        let view = view.clone();
        let scenario = props.scenario.clone();
        let svg_ref = svg_ref.clone();
        use_effect_with((props.loaded, projector), move |&(_, projector)| {
            // On a projector the drawing may grow to fill the wider canvas, up to twice life size.
            let most = if projector { 2.0 } else { 1.2 };
            view.set(fit_view_up_to(&scenario, &svg_ref, most))
        });
    }
    let arrange = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |_: MouseEvent| dispatch.emit(Action::Arrange))
    };
    let onkeydown = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Delete" || e.key() == "Backspace" {
                e.prevent_default();
                dispatch.emit(Action::DeleteSelected);
            }
        })
    };
    let onpointerdown = gestures.pointer_down();
    let onpointermove = gestures.pointer_move();
    let onpointerup = gestures.pointer_up();
    let (onwheel, ondrop) = (gestures.wheel(), gestures.drop());
    let ondragover = Callback::from(|e: DragEvent| e.prevent_default());
    let ghost = gestures.ghost.clone();
    let scenario = &props.scenario;
    // The capacity bill of the whole design, beside each card's own.
    let total_cost = engine::kinds::design_cost_per_hour(scenario);
    let pos: HashMap<&str, (f64, f64)> = scenario
        .components
        .iter()
        .map(|c| (c.id.as_str(), (c.x, c.y)))
        .collect();
    let wires = scenario
        .wires
        .iter()
        .enumerate()
        .filter_map(|(i, w)| draw_wire(props, &pos, i, w));
    let cards = scenario
        .components
        .iter()
        .map(|c| draw_card(props, c, &wiring, view.zoom));
    let v = *view;
    html! {
        <div class="surface-wrap">
            <svg ref={svg_ref} class="surface" role="application" aria-label="Work surface: components and wires" tabindex="0"
                {onpointerdown} {onpointermove} onpointerup={onpointerup.clone()} onpointercancel={onpointerup} {onwheel} {ondragover} {ondrop} {onkeydown}>
                <defs>
                    <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="11" markerHeight="11" markerUnits="userSpaceOnUse" orient="auto-start-reverse">
                        <path d="M 0 0 L 10 5 L 0 10 z" class="arrow-head" />
                    </marker>
                    <pattern id="dots" width="24" height="24" patternUnits="userSpaceOnUse">
                        <circle cx="1.5" cy="1.5" r="1.2" class="grid-dot" />
                    </pattern>
                </defs>
                <rect class="grid" x="-5000" y="-5000" width="10000" height="10000" fill="url(#dots)"
                    transform={format!("scale({}) translate({} {})", v.zoom, v.x, v.y)} />
                <g transform={format!("scale({}) translate({} {})", v.zoom, v.x, v.y)}>
                    { for wires }
                    { for cards }
                    if let Some((x1, y1, x2, y2)) = *ghost {
                        <path class="wire-ghost" d={format!("M {x1} {y1} L {x2} {y2}")} />
                    }
                </g>
            </svg>
            if scenario.components.is_empty() {
                <div class="empty-hint">
                    <strong>{ "Your canvas is empty" }</strong>
                    <span>{ "Drag a component from the palette, or click one to place it. Then drag from a card's right-hand dot to another card to wire them." }</span>
                </div>
            }
            if total_cost > 0.0 {
                <p class="cost-total" title="What the capacity of every part costs, at the prices in the docs (workers, connections, cache entries)">
                    { format!("Capacity: ${total_cost:.2} an hour") }
                </p>
            }
            <div class="zoom-buttons">
                <button onclick={zoom(1.0 / 0.8)} aria-label="Zoom in" title="Zoom in">{ "+" }</button>
                <button onclick={zoom(0.8)} aria-label="Zoom out" title="Zoom out">{ "−" }</button>
                <button onclick={fit} aria-label="Fit to view" title="Fit everything in view">{ "Fit" }</button>
                <button onclick={arrange} aria-label="Arrange" title="Lay the components out along their wires (Undo puts them back)" disabled={props.scenario.components.len() < 2}>{ "Arrange" }</button>
            </div>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spreading_two_fingers_zooms_about_their_midpoint() {
        let start = View {
            x: 10.0,
            y: -20.0,
            zoom: 1.0,
        };
        let at = |v: View, m: (f64, f64)| (m.0 / v.zoom - v.x, m.1 / v.zoom - v.y);
        let m = (200.0, 150.0);
        let v = pinched(start, 100.0, 200.0, m, m);
        assert!((v.zoom - 2.0).abs() < 1e-9);
        let (a, b) = (at(start, m), at(v, m));
        assert!(
            (a.0 - b.0).abs() < 1e-9 && (a.1 - b.1).abs() < 1e-9,
            "{a:?} {b:?}"
        );
        // Moving both fingers pans: the same drawing point follows the midpoint.
        let moved = pinched(start, 100.0, 100.0, m, (260.0, 150.0));
        assert!((at(moved, (260.0, 150.0)).0 - a.0).abs() < 1e-9);
        // Zoom stays within its bounds however far the fingers go.
        assert_eq!(pinched(start, 100.0, 10_000.0, m, m).zoom, 2.5);
        assert_eq!(pinched(start, 100.0, 0.0, m, m).zoom, 0.3);
    }

    #[test]
    fn a_compact_card_s_type_shows_at_a_readable_size_and_fits_the_card() {
        for zoom in [0.3, 0.45, 0.6, 0.79] {
            let lines = compact_lines("Recommendations service", "Service", zoom);
            let (_, size, y, squeeze) = &lines[0];
            // On screen: the size in drawing units times the zoom.
            assert!((size * zoom - COMPACT_NAME_PX).abs() < 1e-9, "{zoom}");
            assert!(*y > 0.0 && *y <= CARD_H, "{zoom}: {y}");
            assert_eq!(
                *squeeze,
                Some(CARD_W - 20.0),
                "a long name is squeezed to the card"
            );
            for (_, size, y, _) in &lines {
                assert!(
                    y - size * 0.8 >= 0.0 && *y <= CARD_H - 4.0,
                    "{zoom}: inside the card"
                );
            }
        }
        // Room for the kind at middling zoom, not when the name alone fills the card.
        assert_eq!(compact_lines("API", "Service", 0.6).len(), 2);
        assert_eq!(compact_lines("API", "Service", 0.3).len(), 1);
        assert_eq!(compact_lines("API", "Service", 0.6)[0].3, None);
    }

    #[test]
    fn card_numbers_stay_short() {
        let counts = [0.0, 950.0, 12_345.0, 121_021.0, 1_500_000.0].map(short_count);
        assert_eq!(counts, ["0", "950", "12.3k", "121k", "1.5M"]);
        assert_eq!([short_ms(89.4), short_ms(20_812.0)], ["89 ms", "20.8 s"]);
    }

    #[test]
    fn spread_needs_two_pointers() {
        assert_eq!(spread(&[(1, 0.0, 0.0)]), None);
        assert_eq!(
            spread(&[(1, 0.0, 0.0), (2, 30.0, 40.0)]),
            Some((50.0, (15.0, 20.0)))
        );
    }
}
