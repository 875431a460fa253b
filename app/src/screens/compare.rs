//! The compare-answers page (`#compare`): the facilitator pastes the challenge link and the
//! room's answer links; each answer is re-run on the challenge's seed in a Web Worker
//! (`compare-worker.js`, the npm package's engine), so the page keeps answering while they run.
//! The table ranks answers by goals met, then cost; shows what each changed from the challenge's
//! start, field by field; flags, without ranking, an answer for another challenge or one that
//! changed a locked condition; and exports as CSV (docs/workshops.md).

use crate::challenge::{diff, Answer, Challenge, MAX_ANSWERS};
use crate::chart::{DARK, LIGHT};
use crate::components::charts::{prefers_dark, Charts};
use crate::components::topbar::PRODUCT_NAME;
use crate::diagnosis::Diagnosis;
use crate::io;
use std::cell::RefCell;
use std::rc::Rc;
use yew::functional::UseForceUpdateHandle;
use yew::prelude::*;

/// The worker and the listener that must live as long as it does.
type Running = (
    web_sys::Worker,
    wasm_bindgen::closure::Closure<dyn FnMut(web_sys::MessageEvent)>,
);

/// One answer's line in the table.
#[derive(Debug, Clone, PartialEq)]
struct Row {
    /// Its position in the pasted list, from 1.
    number: usize,
    title: String,
    /// Why it is not ranked (another challenge, a locked condition changed).
    flags: Vec<String>,
    changes: Vec<String>,
    cost: f64,
    outcome: Outcome,
    /// Whether the participant named the culprit (None: the challenge asks for none).
    culprit: Option<Diagnosis>,
    /// The design as re-run (on the challenge's seed), for overlaying on charts.
    scenario: Option<Rc<engine::Scenario>>,
}

#[derive(Debug, Clone, PartialEq)]
enum Outcome {
    Running,
    /// Each goal's label and whether it passed; the share of requests that succeeded.
    Done {
        goals: Vec<(String, bool)>,
        success: f64,
    },
    Failed(String),
}

impl Row {
    fn passed(&self) -> usize {
        match &self.outcome {
            Outcome::Done { goals, .. } => goals.iter().filter(|g| g.1).count(),
            _ => 0,
        }
    }
    fn ranked(&self) -> bool {
        self.flags.is_empty() && matches!(self.outcome, Outcome::Done { .. })
    }
}

/// Ranked rows first (goals met, then cheaper), then those still running, then the flagged.
fn order(rows: &[Row]) -> Vec<Row> {
    let mut sorted = rows.to_vec();
    sorted.sort_by(|a, b| {
        let group = |r: &Row| match (r.ranked(), &r.outcome) {
            (true, _) => 0,
            (false, Outcome::Running) if r.flags.is_empty() => 1,
            _ => 2,
        };
        // Where the challenge asks for the culprit, naming it is part of the answer.
        let found = |r: &Row| matches!(r.culprit, Some(Diagnosis::Found(_)));
        group(a)
            .cmp(&group(b))
            .then(found(b).cmp(&found(a)))
            .then(b.passed().cmp(&a.passed()))
            .then(a.cost.total_cmp(&b.cost))
            .then(a.number.cmp(&b.number))
    });
    sorted
}

/// The table as CSV.
fn csv(rows: &[Row]) -> String {
    let mut out = engine::csv::record([
        "rank",
        "answer",
        "title",
        "culprit",
        "goals_met",
        "goals",
        "cost_per_hour",
        "success_ratio",
        "flagged",
        "changes",
    ]);
    let mut rank = 0;
    for r in order(rows) {
        let ranked = r.ranked();
        if ranked {
            rank += 1;
        }
        let (goals, success) = match &r.outcome {
            Outcome::Done { goals, success } => (goals.len().to_string(), format!("{success:.4}")),
            _ => (String::new(), String::new()),
        };
        out += &engine::csv::record([
            if ranked {
                rank.to_string()
            } else {
                String::new()
            },
            r.number.to_string(),
            r.title.clone(),
            r.culprit.map_or(String::new(), Diagnosis::words),
            r.passed().to_string(),
            goals,
            format!("{:.2}", r.cost),
            success,
            r.flags.join("; "),
            r.changes.join("; "),
        ]);
    }
    out
}

/// A drop zone's handlers: files dropped on it or chosen with its button go to `add`;
/// `dragging` while files are held over it.
struct DropZone {
    ondrop: Callback<DragEvent>,
    ondragover: Callback<DragEvent>,
    ondragleave: Callback<DragEvent>,
    onchoose: Callback<Event>,
    dragging: bool,
}

#[hook]
fn use_drop_zone(add: Callback<web_sys::FileList>) -> DropZone {
    let dragging = use_state_eq(|| false);
    let ondrop = {
        let (add, dragging) = (add.clone(), dragging.clone());
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            dragging.set(false);
            if let Some(files) = e.data_transfer().and_then(|d| d.files()) {
                add.emit(files);
            }
        })
    };
    let ondragover = {
        let dragging = dragging.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            dragging.set(true);
        })
    };
    let ondragleave = {
        let dragging = dragging.clone();
        Callback::from(move |_: DragEvent| dragging.set(false))
    };
    let onchoose = Callback::from(move |e: Event| {
        if let Some(input) = e.target_dyn_into::<web_sys::HtmlInputElement>() {
            if let Some(files) = input.files() {
                add.emit(files);
            }
            input.set_value("");
        }
    });
    DropZone {
        ondrop,
        ondragover,
        ondragleave,
        onchoose,
        dragging: *dragging,
    }
}

/// Judges the pasted answers against the challenge and sends each one worth running to the
/// worker (started on first use); the table fills in as the worker answers. Or what is wrong
/// with the links, for the page to say.
fn rerun(
    challenge_link: &str,
    answers: &str,
    rows: &Rc<RefCell<Vec<Row>>>,
    timing: &Rc<RefCell<(f64, Option<f64>)>>,
    worker: &Rc<RefCell<Option<Running>>>,
    redraw: &UseForceUpdateHandle,
) -> Result<(), String> {
    let challenge =
        Challenge::from_link(challenge_link).map_err(|why| format!("The challenge link: {why}"))?;
    let lines = answer_lines(answers)?;
    if worker.borrow().is_none() {
        *worker.borrow_mut() = Some(start_worker(rows.clone(), timing.clone(), redraw.clone())?);
    }
    let now = web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now());
    *timing.borrow_mut() = (now, None);
    let fingerprint = challenge.fingerprint();
    let mut fresh = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let row = judge(&challenge, &fingerprint, i + 1, line);
        // The worker answers with the row's index.
        if let (Some((w, _)), Some(run)) = (worker.borrow().as_ref(), &row.scenario) {
            let message = serde_json::json!({ "id": i, "scenario": run.to_json() });
            if let Some(value) = io::js_value(&message) {
                let _ = w.post_message(&value);
            }
        }
        fresh.push(row);
    }
    *rows.borrow_mut() = fresh;
    redraw.force_update();
    Ok(())
}

/// The designs of the answers ticked for overlaying, by number.
fn picked(rows: &[Row], overlaid: &[usize]) -> Vec<(usize, Rc<engine::Scenario>)> {
    overlaid
        .iter()
        .filter_map(|n| {
            let scenario = rows.iter().find(|r| r.number == *n)?.scenario.clone()?;
            Some((*n, scenario))
        })
        .collect()
}

/// The pasted answer links, one a line, or why they cannot be compared.
fn answer_lines(text: &str) -> Result<Vec<&str>, String> {
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    if lines.is_empty() {
        return Err("Paste at least one answer link, one a line.".into());
    }
    if lines.len() > MAX_ANSWERS {
        return Err(format!(
            "At most {MAX_ANSWERS} answers at once; {} were pasted.",
            lines.len()
        ));
    }
    Ok(lines)
}

/// One answer link judged against the challenge before it runs: its title, what it changed, its
/// cost, the flags that keep it from being ranked (not an answer, another challenge or seed, a
/// locked condition changed), and the design to re-run on the challenge's seed.
fn judge(challenge: &Challenge, fingerprint: &str, number: usize, line: &str) -> Row {
    let mut row = Row {
        number,
        title: String::new(),
        flags: Vec::new(),
        changes: Vec::new(),
        cost: 0.0,
        outcome: Outcome::Running,
        culprit: None,
        scenario: None,
    };
    let answer = match Answer::from_link(line) {
        Ok(answer) => answer,
        Err(why) => {
            row.flags.push("not an answer link".into());
            row.outcome = Outcome::Failed(why);
            return row;
        }
    };
    row.title = answer.title.clone();
    row.culprit = challenge.find.is_some().then_some(answer.culprit);
    if answer.challenge.is_empty() {
        // A scenario file names no challenge: its seed is what can be checked.
        if answer.scenario.seed != challenge.start.seed {
            row.flags.push(format!(
                "a scenario file on seed {}, not the challenge's {}",
                answer.scenario.seed, challenge.start.seed
            ));
        }
    } else if answer.challenge != fingerprint {
        row.flags
            .push("answers another challenge (or another seed)".into());
    }
    let mut judged = answer.scenario.clone();
    judged.locked = challenge.start.locked.clone();
    for c in engine::conditions::changed(&judged) {
        row.flags
            .push(format!("changed a locked condition: {}", c.path));
    }
    row.changes = diff(&challenge.start, &answer.scenario);
    row.cost = engine::kinds::design_cost_per_hour(&answer.scenario);
    let mut run = answer.scenario;
    run.seed = challenge.start.seed;
    row.scenario = Some(Rc::new(run));
    row
}

/// One answer's line in the table; `rank` is its place if it is ranked.
fn answer_row(
    r: &Row,
    rank: usize,
    asks_culprit: bool,
    overlaid: bool,
    toggle: Callback<Event>,
) -> Html {
    let (goals, success) = match &r.outcome {
        Outcome::Done { goals, success } => {
            let each: Vec<String> = goals
                .iter()
                .map(|(l, p)| format!("{} {l}", if *p { "✓" } else { "✗" }))
                .collect();
            (
                html! { <span title={each.join("\n")}>{ format!("{} of {}", r.passed(), goals.len()) }</span> },
                format!("{:.1}%", success * 100.0),
            )
        }
        Outcome::Running => (html! { "…" }, String::new()),
        Outcome::Failed(why) => (
            html! { <span class="embed-note">{ why.clone() }</span> },
            String::new(),
        ),
    };
    let place = if r.ranked() {
        rank.to_string()
    } else if r.flags.is_empty() {
        String::new()
    } else {
        "flagged".into()
    };
    html! {
        <tr key={r.number} class={classes!((!r.flags.is_empty()).then_some("flagged"))}>
            <td>{ place }</td>
            <td>{ format!("#{} {}", r.number, r.title) }
                { for r.flags.iter().map(|f| html! { <div class="embed-note">{ f.clone() }</div> }) }</td>
            if asks_culprit { <td>{ r.culprit.map_or(String::new(), Diagnosis::words) }</td> }
            <td>{ goals }</td>
            <td>{ format!("${:.2}", r.cost) }</td>
            <td>{ success }</td>
            <td><ul class="compare-changes">
                if r.changes.is_empty() { <li>{ "nothing" }</li> }
                { for r.changes.iter().take(8).map(|c| html! { <li>{ c.clone() }</li> }) }
                if r.changes.len() > 8 { <li>{ format!("and {} more", r.changes.len() - 8) }</li> }
            </ul></td>
            <td>if r.scenario.is_some() {
                <input type="checkbox" aria-label={format!("Overlay answer {}", r.number)}
                    checked={overlaid} onchange={toggle} />
            }</td>
        </tr>
    }
}

/// The compare screen.
#[function_component(CompareScreen)]
pub fn compare_screen() -> Html {
    let challenge_text = use_state(String::new);
    let answers_text = use_state(String::new);
    let problem = use_state_eq(|| None::<String>);
    let rows: Rc<RefCell<Vec<Row>>> = use_mut_ref(Vec::new);
    let timing = use_mut_ref(|| (0.0f64, None::<f64>));
    let redraw = use_force_update();
    // Up to two answers (by number) drawn on the same charts.
    let overlaid = use_state_eq(Vec::<usize>::new);
    let worker = use_mut_ref(|| None::<Running>);
    // What became of the files last dropped or chosen.
    let file_note = use_state_eq(|| None::<String>);
    let add_files = {
        let (answers_text, file_note) = (answers_text.clone(), file_note.clone());
        Callback::from(move |files: web_sys::FileList| {
            add_answer_files(files, answers_text.clone(), file_note.clone())
        })
    };
    let DropZone {
        ondrop,
        ondragover,
        ondragleave,
        onchoose,
        dragging,
    } = use_drop_zone(add_files);

    let compare = {
        let (challenge_text, answers_text, problem) = (
            challenge_text.clone(),
            answers_text.clone(),
            problem.clone(),
        );
        let (rows, timing, worker, redraw) =
            (rows.clone(), timing.clone(), worker.clone(), redraw.clone());
        Callback::from(move |_: MouseEvent| {
            let started = rerun(
                &challenge_text,
                &answers_text,
                &rows,
                &timing,
                &worker,
                &redraw,
            );
            problem.set(started.err());
        })
    };
    let text = |state: &UseStateHandle<String>| {
        let state = state.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(t) = e.target_dyn_into::<web_sys::HtmlTextAreaElement>() {
                state.set(t.value());
            }
        })
    };
    let shown = order(&rows.borrow());
    let asks_culprit = shown.iter().any(|r| r.culprit.is_some());
    let total = shown.len();
    let running = shown
        .iter()
        .filter(|r| r.outcome == Outcome::Running && r.flags.is_empty())
        .count();
    let (started, finished) = *timing.borrow();
    let download = {
        let rows = rows.clone();
        Callback::from(move |_: MouseEvent| {
            io::download("answers.csv", &csv(&rows.borrow()), "text/csv")
        })
    };
    let toggle = |number: usize| {
        let overlaid = overlaid.clone();
        Callback::from(move |_: Event| {
            let mut next: Vec<usize> = (*overlaid).clone();
            if let Some(i) = next.iter().position(|n| *n == number) {
                next.remove(i);
            } else {
                next.push(number);
                if next.len() > 2 {
                    next.remove(0);
                }
            }
            overlaid.set(next);
        })
    };
    let picked = picked(&rows.borrow(), &overlaid);
    // Run once per pair ticked, not at every message from the worker.
    let overlay = (*use_memo(picked, |p| overlay_view(p))).clone();
    let mut rank = 0;
    html! {
        <div class="facilitator compare-page">
            <header class="topbar"><h1>{ format!("{PRODUCT_NAME}: compare answers") }</h1></header>
            <main class="facilitator-body compare-body">
                <section aria-label="Links">
                    <label for="compare-challenge">{ "The challenge link" }</label>
                    <textarea id="compare-challenge" rows="2" value={(*challenge_text).clone()} oninput={text(&challenge_text)} />
                    <label for="compare-answers">{ "Answer links, one a line (as pasted in the chat)" }</label>
                    <textarea id="compare-answers" rows="6" wrap="off" value={(*answers_text).clone()} oninput={text(&answers_text)} />
                    <div class={classes!("drop-zone", dragging.then_some("dragging"))} {ondrop} {ondragover} {ondragleave}>
                        { "Or drop files here: answers saved from result cards, scenario files (Export), or a saved chat with answer links. " }
                        <label class="button">{ "Choose files" }
                            <input type="file" multiple=true class="visually-hidden" accept=".json,.txt,.md,.html,.csv,application/json,text/plain" onchange={onchoose} />
                        </label>
                    </div>
                    if let Some(note) = &*file_note {
                        <p role="status" class="hint file-note">{ note.clone() }</p>
                    }
                    <button class="primary" onclick={compare}>{ "Re-run and rank" }</button>
                    if let Some(p) = &*problem {
                        <p class="notice error" role="alert">{ p.clone() }</p>
                    }
                </section>
                if total > 0 {
                    <section aria-label="Answers">
                        <p role="status" class="compare-progress">{
                            match finished {
                                Some(end) if running == 0 => format!("{total} answers re-run on the challenge's seed in {:.1} s.", (end - started) / 1000.0),
                                _ => format!("Re-running: {} of {total} done…", total - running),
                            }
                        }</p>
                        <table class="compare-table">
                            <thead><tr><th>{ "Rank" }</th><th>{ "Answer" }</th>if asks_culprit { <th>{ "Culprit" }</th> }<th>{ "Goals met" }</th><th>{ "Cost an hour" }</th><th>{ "Succeeded" }</th><th>{ "What it changed" }</th><th>{ "Overlay" }</th></tr></thead>
                            <tbody>
                                { for shown.iter().map(|r| {
                                    if r.ranked() { rank += 1; }
                                    answer_row(r, rank, asks_culprit, overlaid.contains(&r.number), toggle(r.number))
                                }) }
                            </tbody>
                        </table>
                        <button onclick={download}>{ "Download the table (CSV)" }</button>
                    </section>
                    if let Some(view) = overlay {
                        <section aria-label="Two answers overlaid" class="compare-overlay">
                            <Charts {view} />
                        </section>
                    } else {
                        <p class="hint">{ "Tick two answers to draw them on the same charts." }</p>
                    }
                }
            </main>
        </div>
    }
}

/// At most this many files at once.
const MAX_FILES: u32 = 200;

/// Reads the chosen or dropped `files` and adds the answers in them to the list, one a line, as
/// links (so every answer is numbered, re-run and exported alike); `note` says what each file
/// gave, or why it gave nothing.
fn add_answer_files(
    files: web_sys::FileList,
    answers_text: UseStateHandle<String>,
    note: UseStateHandle<Option<String>>,
) {
    let count = files.length();
    let picked: Vec<web_sys::File> = (0..count.min(MAX_FILES))
        .filter_map(|i| files.get(i))
        .collect();
    wasm_bindgen_futures::spawn_local(async move {
        let mut lines = Vec::new();
        let mut refused = Vec::new();
        for file in picked {
            let name = file.name();
            // A file holds no more than a link may carry.
            if file.size() > crate::share::MAX_INFLATED as f64 {
                refused.push(format!(
                    "{name}: larger than {} MB",
                    crate::share::MAX_INFLATED / (1024 * 1024)
                ));
                continue;
            }
            let text = wasm_bindgen_futures::JsFuture::from(file.text())
                .await
                .ok()
                .and_then(|v| v.as_string());
            match text
                .ok_or_else(|| "it could not be read as text.".to_string())
                .and_then(|t| crate::challenge::answers_in_file(&name, &t))
            {
                Ok(found) => lines.extend(found),
                Err(why) => refused.push(format!("{name}: {why}")),
            }
        }
        let mut words = vec![format!(
            "{} answer(s) added from {} file(s).",
            lines.len(),
            count.min(MAX_FILES)
        )];
        if count > MAX_FILES {
            words.push(format!("Only the first {MAX_FILES} files were read."));
        }
        if !refused.is_empty() {
            words.push(format!("Nothing from {}", refused.join("; ")));
        }
        if !lines.is_empty() {
            let mut text = (*answers_text).trim_end().to_string();
            for line in lines {
                if !text.is_empty() {
                    text.push('\n');
                }
                text.push_str(&line);
            }
            answers_text.set(text);
        }
        note.set(Some(words.join(" ")));
    });
}

/// Two ticked answers run side by side on the page (two lesson-sized runs take a moment) and
/// overlaid on the same charts, the first as A.
fn overlay_view(picked: &[(usize, Rc<engine::Scenario>)]) -> Option<Rc<crate::views::ChartsView>> {
    let [(na, a), (nb, b)] = picked else {
        return None;
    };
    let palette = if prefers_dark() { DARK } else { LIGHT };
    let until = b.duration_s.clamp(30.0, 120.0);
    let va = crate::views::run_charts(a, until, palette)?;
    let vb = crate::views::run_charts(b, until, palette)?;
    let mut view = crate::views::overlay(&va, &vb, palette);
    view.subject = format!("answer #{na} (A) against answer #{nb} (B), on the challenge's seed");
    Some(Rc::new(view))
}

/// The worker that re-runs answers; its answers land in `rows`.
fn start_worker(
    rows: Rc<RefCell<Vec<Row>>>,
    timing: Rc<RefCell<(f64, Option<f64>)>>,
    redraw: UseForceUpdateHandle,
) -> Result<Running, String> {
    use wasm_bindgen::JsCast;
    let options = web_sys::WorkerOptions::new();
    options.set_type(web_sys::WorkerType::Module);
    let pending: Rc<RefCell<Option<gloo_render::AnimationFrame>>> = Rc::default();
    let worker = web_sys::Worker::new_with_options("compare-worker.js", &options)
        .map_err(|_| "This browser could not start the worker that re-runs answers.".to_string())?;
    let on_message = wasm_bindgen::closure::Closure::<dyn FnMut(web_sys::MessageEvent)>::new(
        move |e: web_sys::MessageEvent| {
            let Some(m) = io::message_json(&e, 200_000) else {
                return;
            };
            let Some(id) = m["id"].as_u64().map(|i| i as usize) else {
                return;
            };
            let mut all = rows.borrow_mut();
            let Some(row) = all.iter_mut().find(|r| r.number == id + 1) else {
                return;
            };
            row.outcome = match m["error"].as_str() {
                Some(why) => Outcome::Failed(why.chars().take(300).collect()),
                None => {
                    let goals = m["goals"]
                        .as_array()
                        .map(|gs| {
                            gs.iter()
                                .map(|g| {
                                    (
                                        g["label"].as_str().unwrap_or_default().to_string(),
                                        g["passed"].as_bool().unwrap_or(false),
                                    )
                                })
                                .collect()
                        })
                        .unwrap_or_default();
                    let entered = m["ledger"]["entered"].as_f64().unwrap_or(0.0);
                    let succeeded = m["ledger"]["succeeded"].as_f64().unwrap_or(0.0);
                    Outcome::Done {
                        goals,
                        success: if entered > 0.0 {
                            succeeded / entered
                        } else {
                            0.0
                        },
                    }
                }
            };
            if !all.iter().any(|r| r.outcome == Outcome::Running) {
                let now = web_sys::window()
                    .and_then(|w| w.performance())
                    .map_or(0.0, |p| p.now());
                timing.borrow_mut().1 = Some(now);
            }
            drop(all);
            // Results come faster than frames: one redraw a frame, however many arrived.
            if pending.borrow().is_none() {
                let (redraw, again) = (redraw.clone(), pending.clone());
                *pending.borrow_mut() = Some(gloo_render::request_animation_frame(move |_| {
                    again.borrow_mut().take();
                    redraw.force_update();
                }));
            }
        },
    );
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    Ok((worker, on_message))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pasted_lines_are_trimmed_and_counted() {
        assert_eq!(answer_lines("  a \n\n b\n"), Ok(vec!["a", "b"]));
        assert!(answer_lines(" \n ").is_err_and(|e| e.starts_with("Paste at least one")));
        let many = "x\n".repeat(MAX_ANSWERS + 1);
        assert!(answer_lines(&many).is_err_and(|e| e.contains(&format!("{}", MAX_ANSWERS + 1))));
    }

    /// An answer is judged before it runs: the shipped answer to the shipped challenge is ranked
    /// and re-run on its seed; a line that is not an answer, or one for another seed, is flagged.
    #[test]
    fn answers_are_judged_before_they_run() {
        let challenge = Challenge::from_link(include_str!(
            "../../../tests/data/challenge-links/v1-lesson-01.txt"
        ))
        .expect("the v1 challenge opens");
        let fingerprint = challenge.fingerprint();
        let link = include_str!("../../../tests/data/challenge-links/v1-answer-lesson-01.txt");
        let row = judge(&challenge, &fingerprint, 3, link.trim());
        assert_eq!((row.number, row.flags.len()), (3, 0), "{:?}", row.flags);
        assert_eq!(
            row.changes,
            vec!["api.idempotency: \"off\" → \"atomic_reserve\""]
        );
        let run = row.scenario.as_ref().expect("a design to re-run");
        assert_eq!(run.seed, challenge.start.seed);
        assert!(row.cost > 0.0);

        let bad = judge(&challenge, &fingerprint, 1, "not a link");
        assert_eq!(bad.flags, vec!["not an answer link"]);
        assert!(matches!(bad.outcome, Outcome::Failed(_)) && bad.scenario.is_none());

        let other = judge(&challenge, "another", 2, link.trim());
        assert_eq!(
            other.flags,
            vec!["answers another challenge (or another seed)"]
        );
        assert!(!other.ranked());
    }

    fn row(number: usize, passed: usize, of: usize, cost: f64, flags: &[&str]) -> Row {
        Row {
            number,
            title: format!("answer {number}"),
            flags: flags.iter().map(|f| f.to_string()).collect(),
            changes: vec![],
            cost,
            outcome: Outcome::Done {
                goals: (0..of).map(|i| (format!("g{i}"), i < passed)).collect(),
                success: 1.0,
            },
            culprit: None,
            scenario: None,
        }
    }

    #[test]
    fn naming_the_culprit_ranks_before_goals_where_a_challenge_asks_for_it() {
        let mut rows = vec![row(1, 3, 3, 1.0, &[]), row(2, 2, 3, 1.0, &[])];
        rows[0].culprit = Some(Diagnosis::Shown);
        rows[1].culprit = Some(Diagnosis::Found(2));
        let order: Vec<usize> = order(&rows).iter().map(|r| r.number).collect();
        assert_eq!(order, vec![2, 1]);
        let table = csv(&rows);
        assert!(
            table
                .lines()
                .nth(1)
                .unwrap()
                .starts_with("1,2,answer 2,\"found, 2nd guess\",2,3,"),
            "{table}"
        );
        assert!(table.contains(",not found,"), "{table}");
    }

    #[test]
    fn ranked_by_goals_then_cost_with_the_flagged_last() {
        let rows = vec![
            row(1, 2, 3, 1.0, &[]),
            row(2, 3, 3, 4.0, &[]),
            row(3, 3, 3, 2.0, &[]),
            row(4, 3, 3, 0.5, &["changed a locked condition: shoppers"]),
        ];
        let order: Vec<usize> = order(&rows).iter().map(|r| r.number).collect();
        assert_eq!(order, vec![3, 2, 1, 4]);
        let table = csv(&rows);
        let lines: Vec<&str> = table.lines().collect();
        assert!(lines[1].starts_with("1,3,"), "{table}");
        assert!(
            lines[4].starts_with(",4,"),
            "a flagged answer has no rank: {table}"
        );
        assert!(lines[4].contains("changed a locked condition"));
    }
}
