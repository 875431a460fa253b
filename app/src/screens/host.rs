//! The facilitator's live room (`#host`, served by `playground workshop`). Without a code it
//! opens a room: for a lesson (its challenge and its "before you press Play" question) or for a
//! pasted challenge link. With one (`#host=CODE`, in the browser that opened it: the
//! facilitator's token is kept there) it is the projector's screen: the join address and its QR
//! code, the predictions (hidden until revealed), the room's answers ranked as the server's runs
//! judged them, live over Server-Sent Events, and the challenge's start on the workbench beside
//! them, to play once the guesses are in.

use super::ScreenProps;
use crate::challenge::Challenge;
use crate::components::topbar::top_bar;
use crate::components::workbench::Workbench;
use crate::hooks::{use_run, use_session, Reveal};
use crate::room;
use crate::route::Route;
use crate::state::{Action, Editor};
use crate::{io, lessons};
use serde_json::{json, Value};
use std::cell::Cell;
use std::rc::Rc;
use yew::prelude::*;

/// The host screen: opening a room, or the room.
#[function_component(HostScreen)]
pub fn host_screen(props: &ScreenProps) -> Html {
    let code = use_state(|| room::code_in(&io::fragment(), "host="));
    let lesson_ref = use_node_ref();
    let link_ref = use_node_ref();
    let problem = use_state_eq(|| None::<String>);
    let busy = use_state_eq(|| false);
    let navigate = props.navigate.clone();
    let on_home = Callback::from(move |()| navigate.emit(Route::Home));
    if let Some(code) = (*code).clone() {
        return match room::host_token(&code) {
            Some(token) => {
                let key = code.clone();
                html! { <LiveRoom {key} {code} {token} navigate={props.navigate.clone()} /> }
            }
            None => html! {
                <div class="shell">{ top_bar(None, on_home) }
                    <p class="notice error" role="alert">{ format!("This browser did not open room {code}: open this page in the browser that did (the facilitator's key is kept there), or open a new room.") }</p>
                    <p><a href="#host">{ "Open a new room" }</a></p>
                </div>
            },
        };
    }
    let on_submit = {
        let (lesson_ref, link_ref, problem, busy, code) = (
            lesson_ref.clone(),
            link_ref.clone(),
            problem.clone(),
            busy.clone(),
            code.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let slug = lesson_ref
                .cast::<web_sys::HtmlSelectElement>()
                .map(|s| s.value())
                .unwrap_or_default();
            let link = link_ref
                .cast::<web_sys::HtmlTextAreaElement>()
                .map(|t| t.value())
                .unwrap_or_default();
            let (problem, busy, code) = (problem.clone(), busy.clone(), code.clone());
            busy.set(true);
            wasm_bindgen_futures::spawn_local(async move {
                let opened = open(&slug, link.trim()).await;
                busy.set(false);
                match opened {
                    Ok(c) => {
                        io::set_fragment(&format!("host={c}"));
                        code.set(Some(c));
                    }
                    Err(e) => problem.set(Some(e)),
                }
            });
        })
    };
    html! {
        <div class="shell">{ top_bar(None, on_home) }
            <main class="room-open">
                <h1>{ "Open a live room" }</h1>
                <p>{ "The room joins from their own laptops or phones by the address and QR code this screen then shows. Their predictions and answers arrive here as they make them; every answer is run again by the server on the challenge's seed." }</p>
                <form onsubmit={on_submit}>
                    <label for="room-lesson">{ "A lesson's challenge" }</label>
                    // The first lesson is chosen unless another is: Yew inserts the options from
                    // the last, which the browser would otherwise keep selected.
                    <select id="room-lesson" ref={lesson_ref}>
                        { for lessons::metas().into_iter().enumerate().map(|(i, (slug, m))| html! { <option value={slug} selected={i == 0}>{ m.title }</option> }) }
                    </select>
                    <label for="room-link">{ "or a challenge link (from the Challenge dialog), which takes the place of the lesson" }</label>
                    <textarea id="room-link" ref={link_ref} rows="3" placeholder="https://…#challenge=…" />
                    <button class="primary" type="submit" disabled={*busy}>{ if *busy { "Opening…" } else { "Open the room" } }</button>
                </form>
                if let Some(p) = (*problem).clone() { <p class="notice error" role="alert">{ p }</p> }
            </main>
        </div>
    }
}

/// Opens a room for lesson `slug`'s challenge, or for the challenge `link` carries; returns its
/// code (the facilitator's token is kept in this browser).
async fn open(slug: &str, link: &str) -> Result<String, String> {
    // The lesson the challenge comes from, read once: its question and its accepted
    // alternatives go to the room too.
    let (challenge, lesson) = if link.is_empty() {
        let slug = lessons::slugs()
            .find(|s| *s == slug)
            .ok_or("Choose a lesson.")?;
        let lesson = lessons::fetch(slug, false).await?;
        (super::lesson_challenge(&lesson), Some(lesson))
    } else {
        let challenge = Challenge::from_link(link)?;
        let slug = challenge
            .lesson
            .as_deref()
            .and_then(|l| lessons::slugs().find(|s| *s == l));
        let lesson = match slug {
            Some(slug) => lessons::fetch(slug, false).await.ok(),
            None => None,
        };
        (challenge, lesson)
    };
    let predict = lesson.and_then(|l| l.meta.predict);
    let (question, choices) = predict.map_or((String::new(), Vec::new()), |p| {
        (
            p.question,
            p.choices.into_iter().map(|(words, _)| words).collect(),
        )
    });
    // The solution and the lesson's accepted alternatives let the server's shortcut search tell
    // the fix apart from shortcuts, and name the shortcuts an answer makes.
    let accepted = challenge
        .lesson
        .as_deref()
        .map(|slug| lessons::accepted_alternatives(slug, "start.json"))
        .unwrap_or_default();
    let body = json!({
        "title": challenge.title, "start": challenge.start.to_json(), "seed": challenge.start.seed,
        "question": question, "choices": choices, "challenge": challenge.link(),
        "solution": challenge.solution.as_ref().map(|s| s.to_json()), "accepted": accepted,
    });
    let opened = room::call("", Some(&body)).await.map_err(|f| f.words())?;
    let code = opened["room"]
        .as_str()
        .ok_or("The server answered oddly.")?;
    let token = opened["facilitator_token"]
        .as_str()
        .ok_or("The server answered oddly.")?;
    room::keep_host_token(code, token);
    Ok(code.to_string())
}

#[derive(Properties, PartialEq)]
struct LiveRoomProps {
    code: String,
    token: String,
    navigate: Callback<Route>,
}

/// Where the live events stand.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Link {
    Connecting,
    Live,
    Lost,
}

/// The room on the projector.
#[function_component(LiveRoom)]
fn live_room(props: &LiveRoomProps) -> Html {
    let view = use_state(|| None::<Rc<Value>>);
    let problem = use_state_eq(|| None::<String>);
    let link = use_state_eq(|| Link::Connecting);
    let board = use_state_eq(|| true);
    let challenge = use_state(|| None::<Rc<Challenge>>);
    // The challenge's start on the workbench, to play on the projector beside the room: opened
    // when the room's first view names its challenge.
    let session = use_session(Box::new(|| Editor::new(crate::state::empty())));
    let run = use_run(&session);
    // The room's view, asked again on every event; events that arrive while it is being asked
    // make one more ask, not one each (fifty answers at once redraw a few times, not fifty).
    let refresh = {
        let (code, token, view, problem, challenge, edit) = (
            props.code.clone(),
            props.token.clone(),
            view.clone(),
            problem.clone(),
            challenge.clone(),
            session.edit.clone(),
        );
        let (asking, again) = (Rc::new(Cell::new(false)), Rc::new(Cell::new(false)));
        Rc::new(move || {
            if asking.get() {
                again.set(true);
                return;
            }
            asking.set(true);
            let (code, token, view, problem, challenge, edit, asking, again) = (
                code.clone(),
                token.clone(),
                view.clone(),
                problem.clone(),
                challenge.clone(),
                edit.clone(),
                asking.clone(),
                again.clone(),
            );
            wasm_bindgen_futures::spawn_local(async move {
                loop {
                    again.set(false);
                    match room::call(&format!("/{code}?token={token}"), None).await {
                        Ok(v) => {
                            if challenge.is_none() {
                                let c = Challenge::from_link(
                                    v["challenge"].as_str().unwrap_or_default(),
                                );
                                if let Ok(c) = c {
                                    edit.emit(Action::Open {
                                        scenario: Box::new(c.start.clone()),
                                        source: "the room's challenge".into(),
                                    });
                                    challenge.set(Some(Rc::new(c)));
                                }
                            }
                            problem.set(None);
                            view.set(Some(Rc::new(v)));
                        }
                        Err(f) if f.no_room() => {
                            problem.set(Some(format!("There is no room {code} on this server (was it started without --data, and restarted?).")));
                        }
                        Err(f) => problem.set(Some(f.words())),
                    }
                    if !again.get() {
                        break;
                    }
                }
                asking.set(false);
            });
        })
    };
    {
        let (code, token, refresh, link) = (
            props.code.clone(),
            props.token.clone(),
            refresh.clone(),
            link.clone(),
        );
        use_effect_with((), move |_| {
            super::room::offline_ready();
            refresh();
            listen(
                &format!("api/rooms/{code}/events?token={token}"),
                refresh,
                link,
            )
        });
    }
    let on_reveal = {
        let (code, token, refresh, problem) = (
            props.code.clone(),
            props.token.clone(),
            refresh.clone(),
            problem.clone(),
        );
        Callback::from(move |_: MouseEvent| {
            let (code, token, refresh, problem) = (
                code.clone(),
                token.clone(),
                refresh.clone(),
                problem.clone(),
            );
            wasm_bindgen_futures::spawn_local(async move {
                match room::call(&format!("/{code}/reveal"), Some(&json!({ "token": token }))).await
                {
                    Ok(_) => refresh(),
                    Err(f) => problem.set(Some(f.words())),
                }
            });
        })
    };
    let on_board = {
        let board = board.clone();
        Callback::from(move |_: MouseEvent| board.set(!*board))
    };
    let navigate = props.navigate.clone();
    let on_home = Callback::from(move |()| navigate.emit(Route::Home));
    let Some(v) = (*view).clone() else {
        return html! {
            <div class="shell">{ top_bar(None, on_home) }
                if let Some(p) = (*problem).clone() { <p class="notice error" role="alert">{ p }</p> }
                else { <main aria-busy="true"><p>{ format!("Opening room {}…", props.code) }</p></main> }
            </div>
        };
    };
    let code = props.code.clone();
    let join = v["join"].as_str().unwrap_or_default().to_string();
    let rows = room::ranking(&v);
    let people = rows.len();
    let spread = room::spread(&v);
    let predicted: usize = spread.iter().map(|(_, n)| n).sum();
    let revealed = v["revealed"].as_bool().unwrap_or(false);
    let answered = rows.iter().filter(|r| r.answers > 0).count();
    let question = v["question"].as_str().unwrap_or_default().to_string();
    let csv = format!("api/rooms/{code}/answers.csv?token={}", props.token);
    let side = html! {
        <section class="lesson-panel room-host" aria-label="Live room">
            <h2>{ v["title"].as_str().unwrap_or_default().to_string() }</h2>
            <div class="room-join">
                <img class="room-qr" src={format!("api/rooms/{code}/qr.svg")} width="200" height="200" alt={format!("QR code for {join}")} />
                <p>{ "Join at" }<br /><strong class="room-address">{ join.clone() }</strong></p>
                <p class="room-count" role="status">{ format!("Room {code} · {people} joined") }{ match *link {
                    Link::Live => "",
                    Link::Connecting => " · connecting…",
                    Link::Lost => " · reconnecting…",
                } }</p>
            </div>
            if !spread.is_empty() {
                <section class="room-predictions" aria-label="Predictions">
                    <h3>{ "Predictions" }</h3>
                    <p>{ question }</p>
                    if revealed {
                        <ul class="room-spread">{ for spread.iter().map(|(words, n)| {
                            let share = if predicted == 0 { 0.0 } else { *n as f64 * 100.0 / predicted as f64 };
                            html! {
                                <li><span class="room-bar" style={format!("width: {share:.0}%")}></span>{ format!("{words}: {n}") }</li>
                            }
                        }) }</ul>
                    } else {
                        <p role="status">{ format!("{predicted} of {people} predicted; the spread stays hidden until you reveal it.") }</p>
                        <button class="primary" onclick={on_reveal}>{ "Reveal the predictions" }</button>
                    }
                </section>
            }
            <section class="room-answers" aria-label="Answers">
                <h3>{ "Answers" }</h3>
                <p role="status">{ format!("{answered} of {people} answered; each run again by the server on seed {}.", v["seed"].as_u64().unwrap_or_default()) }</p>
                <button onclick={on_board} aria-pressed={(!*board).to_string()}>{ if *board { "Hide the leaderboard" } else { "Show the leaderboard" } }</button>
                if *board {
                    <table class="room-ranking">
                        <thead><tr><th>{ "#" }</th><th>{ "Name" }</th><th>{ "Goals" }</th><th>{ "Cost an hour" }</th><th>{ "Flags" }</th><th>{ "Sent" }</th></tr></thead>
                        <tbody>{ for rows.iter().filter(|r| r.answers > 0).map(|r| {
                            let last = r.last.clone();
                            html! {
                                <tr>
                                    <td>{ r.rank.map(|n| n.to_string()).unwrap_or_else(|| "–".into()) }</td>
                                    <td>{ r.name.clone() }</td>
                                    <td>{ last.as_ref().map(|l| format!("{} of {}", l.met, l.goals)).unwrap_or_default() }</td>
                                    <td>{ last.as_ref().map(|l| format!("${:.2}", l.cost_per_hour)).unwrap_or_default() }</td>
                                    <td>{ last.as_ref().map(room::Verdict::flags).unwrap_or_default() }</td>
                                    <td>{ r.answers }</td>
                                </tr>
                            }
                        }) }</tbody>
                    </table>
                }
                <a href={csv} download={format!("room-{code}.csv")}>{ "Download the answers (CSV)" }</a>
            </section>
            if let Some(p) = (*problem).clone() { <p class="notice error" role="alert">{ p }</p> }
        </section>
    };
    let Some(c) = (*challenge).clone() else {
        return html! { <div class="shell">{ top_bar(None, on_home) }<main class="room-host-alone">{ side }</main></div> };
    };
    let reveal = Rc::new(Reveal {
        notes: c.brief.clone(),
        hints: c.hints.clone(),
        ..Reveal::default()
    });
    let document = session.borrow().editor.scenario.name.clone();
    html! {
        <div class="shell in-lesson">
            { top_bar(Some(document), on_home) }
            <Workbench {session} {run} {side} {reveal} hold_locks=true />
        </div>
    }
}

/// Listens to the room's live events: each one asks for the room again (so does reconnecting,
/// for what was missed meanwhile). The returned clean-up closes the stream.
fn listen(url: &str, refresh: Rc<dyn Fn()>, link: UseStateHandle<Link>) -> impl FnOnce() {
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;
    let source = web_sys::EventSource::new(url).ok();
    let on_message = {
        let refresh = refresh.clone();
        Closure::<dyn Fn()>::new(move || refresh())
    };
    let on_open = {
        let link = link.clone();
        Closure::<dyn Fn()>::new(move || {
            link.set(Link::Live);
            refresh();
        })
    };
    let on_error = Closure::<dyn Fn()>::new(move || link.set(Link::Lost));
    if let Some(s) = &source {
        s.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        s.set_onopen(Some(on_open.as_ref().unchecked_ref()));
        s.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    }
    move || {
        if let Some(s) = source {
            s.close();
        }
        drop((on_message, on_open, on_error));
    }
}
