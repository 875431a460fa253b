//! A participant's seat in a live room (`#room=CODE`, served by `playground workshop`): join
//! with a name, then work on the room's challenge on the same challenge screen as a link opens,
//! with the room's panel beside it: the prediction, and the answer, sent when the run reaches
//! its end (or with a button) and judged by the server's own run. The seat is kept in the
//! browser, so a reload rejoins; an answer made offline waits and is sent when the connection
//! returns; the service worker (`static/sw.js`) keeps the app's files for a reload offline.

use super::challenge::ChallengeView;
use super::ScreenProps;
use crate::challenge::Challenge;
use crate::components::topbar::top_bar;
use crate::hooks::SessionHandle;
use crate::io;
use crate::room::{self, Failure, Seat, Verdict};
use crate::route::Route;
use serde_json::json;
use std::cell::RefCell;
use std::rc::Rc;
use yew::prelude::*;

/// Where joining stands.
#[derive(Debug, Clone, PartialEq)]
enum Joining {
    /// Asking the room (with a kept token, or a name just given).
    Asking,
    /// No seat yet: the name form, with what went wrong last (if anything) and the room's
    /// title and head count, when the room said them.
    Name(Option<String>, String),
    /// In the room.
    Seated(Rc<Seat>, Rc<Challenge>),
    /// No room by this code, or the code is not one.
    Closed(String),
}

/// The challenge a seat opens: the room's link, or (a room opened without one) its start.
fn challenge_of(seat: &Seat) -> Result<Challenge, String> {
    if !seat.challenge.is_empty() {
        return Challenge::from_link(&seat.challenge);
    }
    let start = engine::Scenario::from_json(&seat.start)
        .map_err(|e| format!("the room's challenge cannot be read: {e}"))?;
    Ok(Challenge {
        title: seat.title.clone(),
        brief: String::new(),
        start,
        hints: Vec::new(),
        solution: None,
        released: false,
        lesson: None,
        find: None,
    })
}

/// Sends a join (a name, or the kept token) and moves to where it leads.
fn ask(code: String, name: Option<String>, joining: UseStateHandle<Joining>) {
    wasm_bindgen_futures::spawn_local(async move {
        let kept = room::kept_seat(&code);
        let body = match (&name, &kept) {
            (Some(n), _) => json!({ "name": n }),
            (None, Some(s)) => json!({ "token": s.token }),
            (None, None) => {
                // Who is asking to be let in sees what they join (and a wrong code is said now).
                return match room::call(&format!("/{code}"), None).await {
                    Ok(v) => {
                        let title = v["title"].as_str().unwrap_or_default();
                        let here = v["participants"].as_u64().unwrap_or(0);
                        joining.set(Joining::Name(None, format!("{title} · {here} here")))
                    }
                    Err(f) if f.no_room() => joining.set(Joining::Closed(format!(
                        "There is no room {code} on this server: check the code."
                    ))),
                    Err(f) => joining.set(Joining::Name(Some(f.words()), String::new())),
                };
            }
        };
        let answer = room::call(&format!("/{code}/join"), Some(&body)).await;
        let seat = match answer {
            Ok(v) => match Seat::read(&code, &v) {
                Some(mut seat) => {
                    // A design changed here while the room was out of reach is the newer one.
                    if let Some(k) = kept.filter(|k| k.token == seat.token && k.design.is_some()) {
                        seat.design = k.design.or(seat.design);
                    }
                    seat
                }
                None => {
                    return joining.set(Joining::Name(
                        Some("The room answered oddly; try again.".into()),
                        String::new(),
                    ))
                }
            },
            // Offline: the seat kept in this browser is enough to go on working.
            Err(Failure::Offline) => match kept.filter(|_| name.is_none()) {
                Some(seat) => seat,
                None => {
                    return joining
                        .set(Joining::Name(Some(Failure::Offline.words()), String::new()))
                }
            },
            Err(Failure::Refused(401, _)) => {
                room::forget_seat(&code);
                return joining.set(Joining::Name(
                    Some(
                        "The room does not know this browser any more: join again with your name."
                            .into(),
                    ),
                    String::new(),
                ));
            }
            Err(f) if f.no_room() => {
                return joining.set(Joining::Closed(format!(
                    "There is no room {code} on this server."
                )))
            }
            Err(f) => return joining.set(Joining::Name(Some(f.words()), String::new())),
        };
        room::keep_seat(&seat);
        match challenge_of(&seat) {
            Ok(c) => joining.set(Joining::Seated(Rc::new(seat), Rc::new(c))),
            Err(e) => joining.set(Joining::Closed(e)),
        }
    });
}

/// The participant's room screen.
#[function_component(RoomScreen)]
pub fn room_screen(props: &ScreenProps) -> Html {
    let code = use_memo((), |_| room::code_in(&io::fragment(), room::ROOM_KEY));
    let joining = use_state(|| Joining::Asking);
    {
        let (code, joining) = ((*code).clone(), joining.clone());
        use_effect_with((), move |_| match code {
            Some(code) => {
                offline_ready();
                ask(code, None, joining);
            }
            None => joining.set(Joining::Closed(
                "This room link has no room code in it.".into(),
            )),
        });
    }
    let name_ref = use_node_ref();
    let on_home = {
        let navigate = props.navigate.clone();
        Callback::from(move |()| navigate.emit(Route::Home))
    };
    let code_text = (*code).clone().unwrap_or_default();
    match (*joining).clone() {
        Joining::Seated(seat, challenge) => html! {
            <ChallengeView navigate={props.navigate.clone()} {challenge} {seat} />
        },
        Joining::Asking => html! {
            <div class="shell">{ top_bar(None, on_home) }<main class="room-join-form" aria-busy="true"><p>{ format!("Joining room {code_text}…") }</p></main></div>
        },
        Joining::Closed(why) => html! {
            <div class="shell">{ top_bar(None, on_home) }<p class="notice error" role="alert">{ why }</p></div>
        },
        Joining::Name(problem, about) => {
            let on_join = {
                let (name_ref, joining, code) =
                    (name_ref.clone(), joining.clone(), code_text.clone());
                Callback::from(move |e: SubmitEvent| {
                    e.prevent_default();
                    let name = name_ref
                        .cast::<web_sys::HtmlInputElement>()
                        .map(|i| i.value())
                        .unwrap_or_default();
                    joining.set(Joining::Asking);
                    ask(code.clone(), Some(name), joining.clone());
                })
            };
            html! {
                <div class="shell">{ top_bar(None, on_home) }
                    <main class="room-join-form">
                        <h1>{ format!("Join room {code_text}") }</h1>
                        if !about.is_empty() { <p class="room-about">{ about }</p> }
                        <form onsubmit={on_join}>
                            <label for="room-name">{ "Your name, as the room will see it" }</label>
                            <input id="room-name" ref={name_ref} maxlength="40" autocomplete="nickname" required=true />
                            <button class="primary" type="submit">{ "Join" }</button>
                        </form>
                        if let Some(p) = problem { <p class="notice error" role="alert">{ p }</p> }
                        <p class="hint">{ "No account: your name and a token kept in this browser, so a reload brings you back." }</p>
                    </main>
                </div>
            }
        }
    }
}

/// Registers the service worker that keeps the app's files for a reload without a network, and
/// puts the files this page already loaded in its cache (they were fetched before it ran).
pub fn offline_ready() {
    use wasm_bindgen::JsCast;
    let Some(window) = web_sys::window() else {
        return;
    };
    let _ = window.navigator().service_worker().register("sw.js");
    // Opened from the cache without a network: what it holds is already there.
    if !window.navigator().on_line() {
        return;
    }
    let Ok(caches) = window.caches() else { return };
    let own = window.location().origin().unwrap_or_default();
    let urls = js_sys::Array::new();
    urls.push(&wasm_bindgen::JsValue::from_str(&io::page_address()));
    if let Some(perf) = window.performance() {
        for entry in perf.get_entries_by_type("resource").iter() {
            let Ok(entry) = entry.dyn_into::<web_sys::PerformanceEntry>() else {
                continue;
            };
            let url = entry.name();
            if url.starts_with(&own) && !url.contains("/api/") {
                urls.push(&wasm_bindgen::JsValue::from_str(&url));
            }
        }
    }
    wasm_bindgen_futures::spawn_local(async move {
        let opened = wasm_bindgen_futures::JsFuture::from(caches.open(OFFLINE_CACHE)).await;
        if let Ok(cache) = opened.and_then(|c| c.dyn_into::<web_sys::Cache>()) {
            let _ =
                wasm_bindgen_futures::JsFuture::from(cache.add_all_with_str_sequence(&urls)).await;
        }
    });
}

/// The cache `static/sw.js` answers from when the network is gone (the same name there).
pub const OFFLINE_CACHE: &str = "playground-offline-v1";

/// What became of the participant's answer.
#[derive(Debug, Clone, PartialEq)]
enum Sent {
    Nothing,
    Sending,
    /// Made offline (or the server was busy): kept here and sent when the room can be reached.
    Waiting,
    Judged(Verdict),
    Refused(String),
}

/// What the room's panel is given.
#[derive(Properties, PartialEq)]
pub struct RoomPanelProps {
    pub seat: Rc<Seat>,
    pub session: SessionHandle,
    /// The run reached its end: the answer goes to the room.
    pub ended: bool,
    /// The design changed a locked condition (the room will flag it).
    pub flagged: bool,
}

/// The room's part of the challenge screen.
#[function_component(RoomPanel)]
pub fn room_panel(props: &RoomPanelProps) -> Html {
    let seat = props.seat.clone();
    let code = seat.code.clone();
    let prediction = use_state_eq(|| seat.prediction);
    let revealed = use_state_eq(|| (seat.revealed, Vec::<(String, usize)>::new()));
    let sent = use_state_eq(|| match (&seat.verdict, room::queued_answer(&code)) {
        (_, Some(_)) => Sent::Waiting,
        (Some(v), None) => Sent::Judged(v.clone()),
        (None, None) => Sent::Nothing,
    });
    let problem = use_state_eq(|| None::<String>);
    // What the timer must see as it is now, not as it was when it started: an answer on its
    // way, and the reveal already seen.
    let busy = use_mut_ref(|| (false, seat.revealed));
    // The design last sent as an answer and last kept by the room (text), to send each once.
    let last = use_mut_ref(|| (String::new(), seat.design.clone().unwrap_or_default()));
    let design_now = {
        let cell = props.session.cell();
        move || cell.borrow().editor.scenario.to_json()
    };
    let send = {
        let (seat, sent, last, busy) = (seat.clone(), sent.clone(), last.clone(), busy.clone());
        Rc::new(move |design: String| {
            last.borrow_mut().0 = design.clone();
            busy.borrow_mut().0 = true;
            sent.set(Sent::Sending);
            let (seat, sent, busy) = (seat.clone(), sent.clone(), busy.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let _done = Finally(move || busy.borrow_mut().0 = false);
                let body = json!({ "token": seat.token, "design": design });
                match room::call(&format!("/{}/answers", seat.code), Some(&body)).await {
                    Ok(v) => {
                        room::clear_queue(&seat.code);
                        let verdict = Verdict::read(&v["verdict"]);
                        room::update_seat(&seat, |kept| {
                            kept.verdict = verdict.clone();
                            kept.design = Some(design);
                        });
                        sent.set(verdict.map_or(Sent::Nothing, Sent::Judged));
                    }
                    Err(Failure::Offline) | Err(Failure::Refused(429, _)) => {
                        room::queue_answer(&seat.code, &design);
                        sent.set(Sent::Waiting);
                    }
                    Err(f) => {
                        room::clear_queue(&seat.code);
                        sent.set(Sent::Refused(f.words()));
                    }
                }
            });
        })
    };
    // The run reached its end: that design is the answer (once per design).
    {
        let (send, last, design_now) = (send.clone(), last.clone(), design_now.clone());
        use_effect_with(props.ended, move |ended| {
            if *ended {
                let design = design_now();
                if last.borrow().0 != design {
                    send(design);
                }
            }
        });
    }
    // Every few seconds: a waiting answer goes out, the design is kept by the room when it
    // changed, and (until the reveal) the room is asked whether the predictions are shown.
    {
        let (send, seat, busy, revealed, design_now, last) = (
            send.clone(),
            seat.clone(),
            busy.clone(),
            revealed.clone(),
            design_now.clone(),
            last.clone(),
        );
        let ticks = Rc::new(RefCell::new(0u32));
        let tick = move || {
            let n = {
                let mut t = ticks.borrow_mut();
                *t += 1;
                *t
            };
            if !busy.borrow().0 {
                if let Some(design) = room::queued_answer(&seat.code) {
                    send(design);
                }
            }
            if n % 4 == 0 {
                let design = design_now();
                if last.borrow().1 != design {
                    last.borrow_mut().1 = design.clone();
                    room::update_seat(&seat, |kept| kept.design = Some(design.clone()));
                    let seat = seat.clone();
                    wasm_bindgen_futures::spawn_local(async move {
                        let body = json!({ "token": seat.token, "design": design });
                        let _ = room::call(&format!("/{}/design", seat.code), Some(&body)).await;
                    });
                }
            }
            if n % 2 == 0 && !seat.choices.is_empty() && !busy.borrow().1 {
                let (seat, revealed, busy) = (seat.clone(), revealed.clone(), busy.clone());
                wasm_bindgen_futures::spawn_local(async move {
                    let path = format!("/{}?token={}", seat.code, seat.token);
                    if let Ok(v) = room::call(&path, None).await {
                        if v["revealed"].as_bool() == Some(true) {
                            busy.borrow_mut().1 = true;
                            revealed.set((true, room::spread(&v)));
                        }
                    }
                });
            }
        };
        use_effect_with((), move |_| every(2500, tick));
    }
    let choose = |i: usize| {
        let (seat, prediction, problem) = (seat.clone(), prediction.clone(), problem.clone());
        Callback::from(move |_: MouseEvent| {
            let (seat, prediction, problem) = (seat.clone(), prediction.clone(), problem.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let body = json!({ "token": seat.token, "choice": i });
                match room::call(&format!("/{}/predict", seat.code), Some(&body)).await {
                    Ok(_) => {
                        prediction.set(Some(i));
                        problem.set(None);
                        room::update_seat(&seat, |kept| kept.prediction = Some(i));
                    }
                    Err(f) => problem.set(Some(f.words())),
                }
            });
        })
    };
    let on_send = {
        let (send, design_now) = (send.clone(), design_now.clone());
        Callback::from(move |_: MouseEvent| send(design_now()))
    };
    let total: usize = revealed.1.iter().map(|(_, n)| n).sum();
    html! {
        <section class="room-panel" aria-label="Live room">
            <h3>{ format!("Room {} · {}", seat.code, seat.name) }</h3>
            if !seat.choices.is_empty() {
                <div class="room-predict" role="group" aria-label="Your prediction">
                    <p>{ if seat.question.is_empty() { "Before you press Play: your prediction".to_string() } else { seat.question.clone() } }</p>
                    if revealed.0 {
                        <ul class="room-spread">{ for revealed.1.iter().enumerate().map(|(i, (words, n))| html! {
                            <li>{ format!("{words}: {n} of {total}{}", if *prediction == Some(i) { " (yours)" } else { "" }) }</li>
                        }) }</ul>
                    } else {
                        <div class="room-choices">{ for seat.choices.iter().enumerate().map(|(i, c)| html! {
                            <button aria-pressed={(*prediction == Some(i)).to_string()} onclick={choose(i)}>{ c.clone() }</button>
                        }) }</div>
                        <p class="hint">{ if prediction.is_some() { "Kept: you can change it until the facilitator reveals the room's guesses." } else { "The room's guesses stay hidden until the facilitator reveals them." } }</p>
                    }
                </div>
            }
            if let Some(p) = (*problem).clone() { <p class="notice error" role="alert">{ p }</p> }
            <p class="room-sent" role="status">{ match &*sent {
                Sent::Nothing => "Your answer goes to the room when your run reaches its end.".to_string(),
                Sent::Sending => "Sending your answer…".to_string(),
                Sent::Waiting => "Offline: your answer is kept here and goes to the room when the connection returns.".to_string(),
                Sent::Judged(v) => format!("The room ran your answer: {}.", v.words()),
                Sent::Refused(why) => format!("Not accepted: {why}"),
            } }</p>
            if props.flagged {
                <p class="embed-note">{ "A locked condition changed: the room will flag this answer." }</p>
            }
            <button onclick={on_send}>{ "Send my design as my answer now" }</button>
        </section>
    }
}

/// Runs its function when dropped: at the end of a task, however it ends.
struct Finally<F: FnMut()>(F);

impl<F: FnMut()> Drop for Finally<F> {
    fn drop(&mut self) {
        (self.0)();
    }
}

/// Calls `tick` every `ms` milliseconds until the returned clean-up runs.
fn every(ms: i32, tick: impl Fn() + 'static) -> impl FnOnce() {
    use wasm_bindgen::JsCast;
    let closure = wasm_bindgen::closure::Closure::<dyn Fn()>::new(tick);
    let window = web_sys::window();
    let id = window.as_ref().and_then(|w| {
        w.set_interval_with_callback_and_timeout_and_arguments_0(
            closure.as_ref().unchecked_ref(),
            ms,
        )
        .ok()
    });
    // Back online: the waiting answer goes out now, not at the next tick.
    let online = closure.as_ref().unchecked_ref::<js_sys::Function>().clone();
    if let Some(w) = &window {
        w.add_event_listener_with_callback("online", &online).ok();
    }
    move || {
        if let Some(w) = window {
            if let Some(id) = id {
                w.clear_interval_with_handle(id);
            }
            w.remove_event_listener_with_callback("online", &online)
                .ok();
        }
        drop(closure);
    }
}
