//! The app's parts mounted one at a time in headless Chromium: the inspector commits what a
//! person types, the canvas draws cards and wires and marks problems where they are, a chart
//! card draws and offers its numbers as a table, text from a scenario stays text, and the
//! editor's reducer behaves in WebAssembly as it does natively.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::expect_used, clippy::unwrap_used)] // A test may stop at the first broken expectation.

use app::chart::{Series, LIGHT};
use app::components::canvas::{Canvas, CanvasProps};
use app::components::charts::{ChartCard, ChartCardProps};
use app::components::inspector::{Inspector, InspectorProps};
use app::state::{Action, Editor, Selection};
use app::views::ChartView;
use engine::scenario::{Component, ComponentSpec};
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlInputElement};
use yew::Callback;

mod common;

use common::*;

wasm_bindgen_test_configure!(run_in_browser);

fn all(host: &Element, selector: &str) -> Vec<Element> {
    let list = host.query_selector_all(selector).expect("query");
    (0..list.length())
        .filter_map(|i| list.get(i)?.dyn_into::<Element>().ok())
        .collect()
}

fn component(id: &str, name: &str, kind: &str) -> Component {
    Component {
        id: id.into(),
        name: name.into(),
        x: 40.0,
        y: 40.0,
        spec: ComponentSpec::example(kind).expect("a kind"),
    }
}

#[wasm_bindgen_test]
async fn the_inspector_shows_units_and_commits_what_is_typed() {
    let host = host();
    let committed = Rc::new(RefCell::new(None::<ComponentSpec>));
    let sink = committed.clone();
    let props = InspectorProps {
        component: component("api", "API", "service"),
        on_spec: Callback::from(move |spec| *sink.borrow_mut() = Some(spec)),
        on_rename: Callback::noop(),
        on_delete: Callback::noop(),
        refusal: None,
        locks: Rc::default(),
    };
    yew::Renderer::<Inspector>::with_root_and_props(host.clone(), props).render();
    settle(50).await;

    let fields = all(&host, "label.field");
    let field = |label: &str| {
        fields
            .iter()
            .find(|f| {
                f.query_selector(".field-label")
                    .ok()
                    .flatten()
                    .and_then(|l| l.text_content())
                    .as_deref()
                    == Some(label)
            })
            .cloned()
            .unwrap_or_else(|| panic!("a field labelled {label}"))
    };
    let unit = |label: &str| {
        field(label)
            .query_selector(".unit")
            .ok()
            .flatten()
            .and_then(|u| u.text_content())
            .unwrap_or_default()
    };
    assert_eq!(unit("Error probability"), "0–1");
    assert!(
        fields
            .iter()
            .any(|f| f.text_content().unwrap_or_default().contains("ms")),
        "durations carry their unit"
    );

    // Pointing at a label explains the field.
    let explained = field("Workers")
        .query_selector(".field-label")
        .ok()
        .flatten()
        .and_then(|l| l.get_attribute("title"))
        .unwrap_or_default();
    assert!(explained.contains("at once"), "{explained:?}");
    // Focusing the field (a tap on a touch screen) shows the same sentence in the panel.
    let workers_input: web_sys::HtmlElement = field("Workers")
        .query_selector("input")
        .ok()
        .flatten()
        .and_then(|i| i.dyn_into().ok())
        .expect("an input");
    workers_input.focus().expect("focus");
    settle(20).await;
    let shown = host
        .query_selector(".field-help")
        .ok()
        .flatten()
        .and_then(|h| h.text_content())
        .unwrap_or_default();
    assert_eq!(shown, explained);

    // Type 7 workers: the change reaches the callback as a whole, valid spec.
    let input: HtmlInputElement = field("Workers")
        .query_selector("input")
        .ok()
        .flatten()
        .and_then(|i| i.dyn_into().ok())
        .expect("a number input");
    input.set_value("7");
    input
        .dispatch_event(&web_sys::Event::new("change").expect("event"))
        .expect("dispatch");
    settle(20).await;
    match committed.borrow().as_ref() {
        Some(ComponentSpec::Service(s)) => assert_eq!(s.workers, 7),
        other => panic!("a service spec was committed: {other:?}"),
    }

    // An impossible value is refused with a sentence, and nothing is committed.
    *committed.borrow_mut() = None;
    input.set_value("0");
    input
        .dispatch_event(&web_sys::Event::new("change").expect("event"))
        .expect("dispatch");
    settle(20).await;
    assert!(committed.borrow().is_none(), "zero workers is not applied");
    let message = host
        .query_selector(".field-error")
        .ok()
        .flatten()
        .and_then(|e| e.text_content())
        .unwrap_or_default();
    assert!(
        message.contains("workers"),
        "the refusal names the field: {message:?}"
    );
}

#[wasm_bindgen_test]
async fn locked_fields_are_read_only_and_say_why() {
    let host = host();
    let props = InspectorProps {
        component: component("psp", "Payment provider", "provider"),
        on_spec: Callback::noop(),
        on_rename: Callback::noop(),
        on_delete: Callback::noop(),
        refusal: None,
        locks: Rc::new(vec![("latency".into(), "Someone else's system.".into())]),
    };
    yew::Renderer::<Inspector>::with_root_and_props(host.clone(), props).render();
    settle(50).await;
    let locked = all(&host, ".field.locked");
    let texts: Vec<String> = locked.iter().filter_map(|f| f.text_content()).collect();
    assert!(!locked.is_empty(), "the latency's fields are shown locked");
    assert!(
        locked
            .iter()
            .all(|f| f.query_selector("input, select").ok().flatten().is_none()),
        "a locked field has nothing to edit: {texts:?}"
    );
    let lock = locked[0]
        .query_selector(".lock")
        .ok()
        .flatten()
        .expect("a padlock");
    assert_eq!(
        lock.get_attribute("aria-label").as_deref(),
        Some("locked: Someone else's system.")
    );
    let note = host
        .query_selector(".locked-note")
        .ok()
        .flatten()
        .and_then(|n| n.text_content());
    assert_eq!(note.as_deref(), Some(" Locked: Someone else's system."));
    // Fields outside the lock stay editable; a part with locks cannot be deleted from here.
    assert!(host
        .query_selector("label.field input")
        .ok()
        .flatten()
        .is_some());
    assert!(host
        .query_selector("button.danger")
        .ok()
        .flatten()
        .is_none());
}

fn canvas_props(scenario: engine::Scenario, dispatch: Callback<Action>) -> CanvasProps {
    let error = engine::Simulation::new(&scenario).err();
    let problems = app::problems::place_problems(&scenario, error.as_ref());
    CanvasProps {
        scenario: Rc::new(scenario),
        live: Rc::new(HashMap::new()),
        partitioned: Rc::new(Vec::new()),
        problems: Rc::new(problems),
        selection: None,
        window_s: 0.1,
        loaded: 0,
        dispatch,
    }
}

#[wasm_bindgen_test]
async fn the_canvas_draws_cards_and_wires_and_marks_problems_where_they_are() {
    let host = host();
    let mut scenario = app::state::starter();
    // A cache with no database behind it is a problem of the cache's; a database sending to
    // the users is a problem of that wire's.
    scenario
        .components
        .push(component("orphan", "Lonely cache", "cache"));
    scenario.wires.push(engine::scenario::Wire {
        from: "db".into(),
        to: "users".into(),
        mode: Default::default(),
        ops: Vec::new(),
        optional: false,
    });
    let actions = Rc::new(RefCell::new(Vec::<Action>::new()));
    let sink = actions.clone();
    let props = canvas_props(
        scenario.clone(),
        Callback::from(move |a| sink.borrow_mut().push(a)),
    );
    let mut marked: Vec<String> = props.problems.components.keys().cloned().collect();
    marked.sort();
    assert_eq!(
        marked,
        ["orphan"],
        "the cache has a problem, the database does not"
    );
    assert_eq!(
        props.problems.wires.keys().copied().collect::<Vec<_>>(),
        [scenario.wires.len() - 1]
    );
    yew::Renderer::<Canvas>::with_root_and_props(host.clone(), props).render();
    settle(50).await;

    assert_eq!(all(&host, ".card").len(), scenario.components.len());
    assert_eq!(all(&host, ".wire").len(), scenario.wires.len());
    let mut flagged: Vec<String> = all(&host, ".card")
        .iter()
        .filter(|c| c.query_selector(".problem-mark").ok().flatten().is_some())
        .filter_map(|c| c.get_attribute("data-id"))
        .collect();
    flagged.sort();
    assert_eq!(
        flagged, marked,
        "exactly the components with problems are marked"
    );

    // Focusing a card selects it (the canvas only asks; the reducer decides).
    let card: web_sys::SvgElement = host
        .query_selector(".card[data-id=\"db\"]")
        .ok()
        .flatten()
        .and_then(|c| c.dyn_into().ok())
        .expect("the database card");
    card.focus().expect("focus");
    settle(20).await;
    assert!(
        actions.borrow().iter().any(|a| matches!(
            a,
            Action::Select(Some(Selection::Component(id))) if id == "db"
        )),
        "focusing a card selects it: {:?}",
        actions.borrow()
    );
}

#[wasm_bindgen_test]
async fn names_from_a_scenario_are_shown_as_text_never_as_markup() {
    let host = host();
    let mut scenario = app::state::starter();
    let hostile = "<img src=x onerror=alert(1)>";
    scenario.components[0].name = hostile.into();
    yew::Renderer::<Canvas>::with_root_and_props(
        host.clone(),
        canvas_props(scenario, Callback::noop()),
    )
    .render();
    settle(50).await;
    assert!(host.query_selector("img").expect("query").is_none());
    assert!(host
        .text_content()
        .unwrap_or_default()
        .contains("<img src=x onerror"));
}

#[wasm_bindgen_test]
async fn a_chart_card_draws_its_series_and_reads_as_a_table() {
    let host = host();
    let points: Vec<(f64, f64)> = (0..100)
        .map(|i| (f64::from(i) / 10.0, f64::from(i % 17)))
        .collect();
    let props_chart = ChartView {
        title: "Latency",
        y_desc: "ms",
        series: vec![Series {
            label: "p99".into(),
            colour: LIGHT.first,
            points,
        }],
    };
    let props = ChartCardProps {
        chart: props_chart.clone(),
        bands: Vec::new(),
    };
    yew::Renderer::<ChartCard>::with_root_and_props(host.clone(), props).render();
    settle(100).await;
    let canvas = host
        .query_selector("canvas.chart")
        .ok()
        .flatten()
        .expect("a canvas");
    let drawn: usize = canvas
        .get_attribute("data-points")
        .and_then(|p| p.parse().ok())
        .unwrap_or(0);
    assert_eq!(
        drawn,
        100,
        "every point is drawn: {:?}",
        canvas.get_attribute("data-error")
    );
    // The table reads every tenth window (a screen reader's page, not a wall of numbers); the
    // CSV download holds them all.
    let rows = all(&host, "table tbody tr");
    assert_eq!(rows.len(), 10, "the table samples the series");
    assert_eq!(app::views::csv(&props_chart).lines().count(), 101);
    assert!(host.text_content().unwrap_or_default().contains("p99"));
}

#[wasm_bindgen_test]
fn the_reducer_edits_undoes_and_redoes_in_webassembly() {
    let mut editor = Editor::new(app::state::starter());
    let before = editor.scenario.clone();
    editor.apply(Action::Add {
        kind: "cache".into(),
        x: 300.0,
        y: 300.0,
    });
    let cache = editor
        .scenario
        .components
        .last()
        .map(|c| c.id.clone())
        .expect("added");
    editor.apply(Action::Connect {
        from: "api".into(),
        to: cache.clone(),
    });
    assert_eq!(
        editor.scenario.components.len(),
        before.components.len() + 1
    );
    assert!(editor
        .scenario
        .wires
        .iter()
        .any(|w| w.from == "api" && w.to == cache));
    // An illegal wire is refused and leaves the document alone.
    let edited = editor.scenario.clone();
    editor.apply(Action::Connect {
        from: "db".into(),
        to: "users".into(),
    });
    assert_eq!(editor.scenario, edited);
    editor.apply(Action::Undo);
    editor.apply(Action::Undo);
    assert_eq!(editor.scenario, before);
    editor.apply(Action::Redo);
    editor.apply(Action::Redo);
    assert_eq!(editor.scenario, edited);
}

/// Work and progress saved by earlier builds (JSON text in local storage, as the storage crate
/// they used wrote it) still open, and what this build writes reads back.
#[wasm_bindgen_test]
fn saved_work_and_progress_in_the_earlier_format_still_open() {
    let storage = web_sys::window()
        .and_then(|w| w.local_storage().ok().flatten())
        .expect("local storage");
    let scenario = app::state::starter().to_json();
    let earlier = serde_json::to_string(&scenario).expect("a JSON string");
    storage
        .set_item(app::io::AUTOSAVE_KEY, &earlier)
        .expect("stored");
    assert_eq!(app::io::autosaved(), Some(scenario.clone()));
    storage
        .set_item(
            app::io::PROGRESS_KEY,
            r#"["01-paid-twice","02-launch-spike"]"#,
        )
        .expect("stored");
    assert_eq!(app::io::completed(), ["01-paid-twice", "02-launch-spike"]);
    app::io::forget("01-paid-twice");
    app::io::complete("03-one-cashier");
    assert_eq!(
        storage
            .get_item(app::io::PROGRESS_KEY)
            .ok()
            .flatten()
            .as_deref(),
        Some(r#"["02-launch-spike","03-one-cashier"]"#)
    );
    assert!(app::io::autosave("{}"));
    assert_eq!(
        storage
            .get_item(app::io::AUTOSAVE_KEY)
            .ok()
            .flatten()
            .as_deref(),
        Some(r#""{}""#)
    );
    // Damaged storage reads as nothing saved, not as a crash.
    storage
        .set_item(app::io::PROGRESS_KEY, "[1, 2")
        .expect("stored");
    assert!(app::io::completed().is_empty());
    storage.remove_item(app::io::AUTOSAVE_KEY).ok();
    storage.remove_item(app::io::PROGRESS_KEY).ok();
}
