//! The projected tab's side of the facilitator window (`crate::facilitator`): it listens on the
//! `BroadcastChannel`, carries out what the facilitator asks (run, faults, A/B, hints, the
//! solution, projector mode) and tells its status whenever it changes.

use crate::facilitator::{Command, Solution, Status, CHANNEL};
use crate::hooks::{CompareHandle, Projector, Run, RunHandle, SessionHandle};
use crate::state::Action;
use engine::scenario::Fault;
use std::cell::RefCell;
use std::rc::Rc;
use yew::prelude::*;

/// What a screen lets the facilitator see and release.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Reveal {
    /// The brief or the lesson's hook and question.
    pub notes: String,
    /// Every hint, in order, and how many the room has seen.
    pub hints: Vec<String>,
    pub shown: usize,
    /// Reveals the next hint on this screen (None: the facilitator cannot, here).
    pub on_hint: Option<Callback<()>>,
    pub solution: Option<bool>,
    /// Releases the solution on this screen.
    pub on_release: Option<Callback<()>>,
    /// The lesson on screen, whose facilitator notes the window shows.
    pub lesson: Option<&'static str>,
}

/// What the listener needs, kept current by every render.
struct Latest {
    status: Status,
    control: Callback<Run>,
    edit: Callback<Action>,
    compare: CompareHandle,
    reveal: Rc<Reveal>,
    projector: Option<Callback<bool>>,
}

/// Listens for a facilitator window and answers it.
#[hook]
pub fn use_facilitated(
    session: &SessionHandle,
    run: &RunHandle,
    compare: &CompareHandle,
    reveal: Rc<Reveal>,
) {
    let projector = use_context::<Projector>();
    let status = {
        let s = session.borrow();
        let scenario = &s.editor.scenario;
        Status {
            title: scenario.name.clone(),
            notes: reveal.notes.clone(),
            lesson: reveal.lesson.map(str::to_string),
            now_s: s
                .sim()
                .map_or(0.0, |sim| (sim.now().as_secs() * 2.0).floor() / 2.0),
            running: run.running,
            components: scenario
                .components
                .iter()
                .map(|c| {
                    let name = if c.name.is_empty() {
                        c.id.clone()
                    } else {
                        c.name.clone()
                    };
                    let faults = c.spec.info().faults.iter().map(|f| f.to_string()).collect();
                    (c.id.clone(), name, faults)
                })
                .collect(),
            hints: reveal.hints.clone(),
            hints_shown: reveal.shown,
            can_reveal: reveal.on_hint.is_some(),
            solution: match reveal.solution {
                None => Solution::None,
                Some(false) => Solution::Sealed,
                Some(true) => Solution::Released,
            },
            projector: projector.as_ref().is_some_and(|p| p.on),
            pinned: compare.pinned.is_some(),
        }
    };
    let latest = use_mut_ref(|| None::<Latest>);
    *latest.borrow_mut() = Some(Latest {
        status: status.clone(),
        control: run.control.clone(),
        edit: session.edit.clone(),
        compare: compare.clone(),
        reveal,
        projector: projector.map(|p| p.set),
    });
    let channel = use_channel(Rc::new(
        move |reply: &web_sys::BroadcastChannel, message| {
            let Some(command) = Command::from_message(&message) else {
                return;
            };
            let latest = latest.borrow();
            let Some(l) = latest.as_ref() else { return };
            match command {
                Command::Hello => post(reply, &l.status.to_message()),
                Command::Play => l.control.emit(Run::Play),
                Command::Pause => l.control.emit(Run::Pause),
                Command::Reset => l.control.emit(Run::Reset),
                Command::Fault {
                    kind,
                    target,
                    seconds,
                } => {
                    if let Some(fault) = crate::components::faults::make(&kind, &target) {
                        l.edit.emit(Action::AddFault(Fault {
                            at_s: l.status.now_s,
                            duration_s: seconds,
                            fault,
                        }));
                    }
                }
                Command::Pin => l.compare.pin.emit(()),
                Command::Compare => l.compare.compare.emit(()),
                Command::Hint => {
                    if let Some(hint) = &l.reveal.on_hint {
                        hint.emit(());
                    }
                }
                Command::Release => {
                    if let Some(release) = &l.reveal.on_release {
                        release.emit(());
                    }
                }
                Command::Projector(on) => {
                    if let Some(set) = &l.projector {
                        set.emit(on);
                    }
                }
            }
        },
    ));
    // Whenever what the facilitator sees changes (the clock by half seconds), say so.
    use_effect_with(status, move |status| {
        if let Some(ch) = channel.borrow().as_ref() {
            post(ch, &status.to_message());
        }
    });
}

/// What [`use_channel`] calls with each message: the channel to answer on, and the message.
pub type OnChannelMessage = Rc<dyn Fn(&web_sys::BroadcastChannel, serde_json::Value)>;

/// The facilitator channel, open for the component's life: every message that is plain JSON
/// goes to `on_message` with the channel to answer on. Returns the channel, to post on.
#[hook]
pub fn use_channel(on_message: OnChannelMessage) -> Rc<RefCell<Option<web_sys::BroadcastChannel>>> {
    let channel = use_mut_ref(|| None::<web_sys::BroadcastChannel>);
    {
        let channel = channel.clone();
        use_effect_with((), move |_| {
            use wasm_bindgen::closure::Closure;
            use wasm_bindgen::JsCast;
            let opened = web_sys::BroadcastChannel::new(CHANNEL).ok();
            let listener = opened.as_ref().map(|ch| {
                let reply = ch.clone();
                let on_message = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(
                    move |e: web_sys::MessageEvent| {
                        if let Some(message) = crate::io::message_json(&e, 200_000) {
                            on_message(&reply, message);
                        }
                    },
                );
                ch.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
                on_message
            });
            *channel.borrow_mut() = opened;
            move || {
                if let Some(ch) = channel.borrow_mut().take() {
                    ch.set_onmessage(None);
                    ch.close();
                }
                drop(listener);
            }
        });
    }
    channel
}

/// Posts JSON on a channel.
pub(crate) fn post(channel: &web_sys::BroadcastChannel, message: &serde_json::Value) {
    if let Some(value) = crate::io::js_value(message) {
        let _ = channel.post_message(&value);
    }
}
