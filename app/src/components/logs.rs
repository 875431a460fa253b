//! The log stream, filterable by level and component, and the waterfall of one sampled trace.

use engine::observe::{Level, LogLine, Trace};
use std::rc::Rc;
use yew::prelude::*;

/// Properties of [`Observability`].
#[derive(Properties, PartialEq, Debug)]
pub struct ObservabilityProps {
    /// Recent log lines, oldest first.
    pub logs: Rc<Vec<LogLine>>,
    /// The latest finished trace with several hops.
    pub trace: Option<Rc<Trace>>,
    /// Component names by index.
    pub names: Rc<Vec<String>>,
}

/// Logs and a trace.
#[function_component(Observability)]
pub fn observability(props: &ObservabilityProps) -> Html {
    let level = use_state(|| Level::Info);
    let filter = use_state(String::new);
    let on_level = {
        let level = level.clone();
        Callback::from(move |e: Event| {
            if let Some(s) = e.target_dyn_into::<web_sys::HtmlSelectElement>() {
                level.set(match s.value().as_str() {
                    "WARN" => Level::Warn,
                    "ERROR" => Level::Error,
                    _ => Level::Info,
                });
            }
        })
    };
    let on_filter = {
        let filter = filter.clone();
        Callback::from(move |e: Event| {
            if let Some(s) = e.target_dyn_into::<web_sys::HtmlSelectElement>() {
                filter.set(s.value());
            }
        })
    };
    let name = |i: usize| props.names.get(i).cloned().unwrap_or_default();
    let lines = props
        .logs
        .iter()
        .rev()
        .filter(|l| l.level >= *level && (filter.is_empty() || name(l.component) == *filter))
        .take(60)
        .map(|l| {
            let class = match l.level {
                Level::Info => "log-info",
                Level::Warn => "log-warn",
                Level::Error => "log-error",
            };
            html! {
                <li class={class}>
                    <span class="log-time">{ format!("{:>8.1}s", l.at_ms / 1000.0) }</span>
                    <span class="log-level">{ format!("{:?}", l.level).to_ascii_uppercase() }</span>
                    <span class="log-comp">{ name(l.component) }</span>
                    <span class="log-msg">{ l.message.clone() }</span>
                </li>
            }
        });
    html! {
        <section class="observability" aria-label="Logs and traces">
            <div class="obs-head">
                <h2>{ "Logs" }</h2>
                <select aria-label="Lowest level shown" onchange={on_level}>
                    <option value="INFO" selected={*level == Level::Info}>{ "info and up" }</option>
                    <option value="WARN" selected={*level == Level::Warn}>{ "warnings and errors" }</option>
                    <option value="ERROR" selected={*level == Level::Error}>{ "errors only" }</option>
                </select>
                <select aria-label="Component" onchange={on_filter}>
                    <option value="" selected={filter.is_empty()}>{ "all components" }</option>
                    { for props.names.iter().map(|n| html! { <option value={n.clone()} selected={*n == *filter}>{ n.clone() }</option> }) }
                </select>
            </div>
            // Focusable, so the scrolling list can be read and scrolled from the keyboard.
            <ol class="log-lines" tabindex="0" aria-label="Log lines, newest first">{ for lines }</ol>
            <h2>{ "A sampled request, hop by hop" }</h2>
            { waterfall(props.trace.as_deref(), &name) }
        </section>
    }
}

fn waterfall(trace: Option<&Trace>, name: &dyn Fn(usize) -> String) -> Html {
    let Some(t) = trace else {
        return html! { <p class="hint">{ "Press play: every so often a request is traced through each component it visits." }</p> };
    };
    let start = t.spans.iter().map(|s| s.start_ms).fold(f64::MAX, f64::min);
    let end = t
        .spans
        .iter()
        .map(|s| s.end_ms.unwrap_or(s.start_ms))
        .fold(start + 1.0, f64::max);
    let width = end - start;
    html! {
        <ol class="waterfall" aria-label={format!("Trace of request {}", t.request)}>
            { for t.spans.iter().map(|s| {
                let left = (s.start_ms - start) / width * 100.0;
                let span_end = s.end_ms.unwrap_or(end);
                let w = ((span_end - s.start_ms) / width * 100.0).max(0.5);
                let bad = !matches!(s.status, Some(engine::Status::Ok));
                let class = classes!("bar", bad.then_some("bad"), (s.attempt > 1).then_some("retry"), (s.note == "duplicate effect").then_some("duplicate"));
                html! {
                    <li>
                        <span class="wf-name">{ format!("{} {}", "· ".repeat(depth(t, s.id)), name(s.component)) }</span>
                        <span class="wf-track">
                            <span class={class} style={format!("left:{left:.2}%;width:{w:.2}%")}></span>
                        </span>
                        <span class="wf-time">{ format!("{:.0} ms{}{}", span_end - s.start_ms,
                            if s.attempt > 1 { format!(" · attempt {}", s.attempt) } else { String::new() },
                            if s.note.is_empty() { String::new() } else { format!(" · {}", s.note) }) }</span>
                    </li>
                }
            }) }
        </ol>
    }
}

fn depth(t: &Trace, id: u32) -> usize {
    let mut d = 0;
    let mut cur = t.spans.get(id as usize).and_then(|s| s.parent);
    while let Some(p) = cur {
        d += 1;
        cur = t.spans.get(p as usize).and_then(|s| s.parent);
        if d > 20 {
            break;
        }
    }
    d
}
