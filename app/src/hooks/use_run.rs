//! Playing a session's simulation: one animation-frame loop advances it by the wall-clock time
//! since the last frame (clamped, so a hidden tab does not cause a huge catch-up) times the
//! speed, inside an event budget, and asks for a redraw at most ten times a second. The loop
//! stops when its effect is torn down (pause, or leaving the screen): its handle is dropped.

use super::SessionHandle;
use crate::session::Session;
use gloo_render::{request_animation_frame, AnimationFrame};
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use yew::prelude::*;

/// Events one frame may process, so a frame stays inside its budget whatever the load.
const EVENTS_PER_FRAME: u64 = 300_000;
/// Longest wall-clock step one frame simulates, in milliseconds.
const MAX_FRAME_MS: f64 = 100.0;
/// Simulated time one press of Step advances, in microseconds.
const STEP_US: u64 = 100_000;

/// What the run controls ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Run {
    /// Start the frame loop.
    Play,
    /// Stop it.
    Pause,
    /// Advance 100 ms of simulated time.
    Step,
    /// Start again from time zero.
    Reset,
}

/// Whether the run plays, how fast, and the callbacks that change that.
#[derive(Debug, Clone, PartialEq)]
pub struct RunHandle {
    /// Whether the frame loop runs.
    pub running: bool,
    /// Speed, as a multiple of real time.
    pub speed: f64,
    /// Play, pause, step, reset.
    pub control: Callback<Run>,
    /// A new speed.
    pub set_speed: Callback<f64>,
}

/// The frame loop's own state.
struct FrameLoop {
    stop: Cell<bool>,
    handle: RefCell<Option<AnimationFrame>>,
    last_ts: Cell<Option<f64>>,
    last_redraw: Cell<f64>,
}

fn schedule(
    lp: Rc<FrameLoop>,
    session: Rc<RefCell<Session>>,
    speed: Rc<Cell<f64>>,
    redraw: Callback<()>,
) {
    let me = lp.clone();
    let handle = request_animation_frame(move |ts| {
        if me.stop.get() {
            return;
        }
        let dt_ms = me
            .last_ts
            .get()
            .map_or(16.0, |last| (ts - last).clamp(0.0, MAX_FRAME_MS));
        me.last_ts.set(Some(ts));
        let step_us = (dt_ms * 1_000.0 * speed.get()) as u64;
        session.borrow_mut().advance(step_us, EVENTS_PER_FRAME);
        if ts - me.last_redraw.get() >= 100.0 {
            me.last_redraw.set(ts);
            redraw.emit(());
        }
        schedule(me, session, speed, redraw);
    });
    *lp.handle.borrow_mut() = Some(handle);
}

/// The run of `session`: paused at first; a document that stops building stops it.
#[hook]
pub fn use_run(session: &SessionHandle) -> RunHandle {
    let running = use_state_eq(|| false);
    let speed_value = use_state_eq(|| 1.0f64);
    let speed: Rc<Cell<f64>> = use_memo((), |_| Cell::new(1.0));
    let update = use_force_update();
    let redraw = {
        let update = update.clone();
        Callback::from(move |()| update.force_update())
    };
    let runnable = session.borrow().runnable();
    {
        let running = running.clone();
        use_effect_with(runnable, move |&runnable| {
            if !runnable {
                running.set(false);
            }
        });
    }
    {
        let cell = session.cell();
        let speed = speed.clone();
        let redraw = redraw.clone();
        use_effect_with(*running && runnable, move |&on| {
            let lp = Rc::new(FrameLoop {
                stop: Cell::new(!on),
                handle: RefCell::new(None),
                last_ts: Cell::new(None),
                last_redraw: Cell::new(0.0),
            });
            if on {
                schedule(lp.clone(), cell, speed, redraw);
            }
            move || {
                lp.stop.set(true);
                lp.handle.borrow_mut().take();
            }
        });
    }
    let control = {
        let running = running.clone();
        let cell = session.cell();
        Callback::from(move |run: Run| match run {
            Run::Play => running.set(true),
            Run::Pause => running.set(false),
            Run::Step => {
                cell.borrow_mut().advance(STEP_US, EVENTS_PER_FRAME * 10);
                update.force_update();
            }
            Run::Reset => {
                cell.borrow_mut().rebuild();
                update.force_update();
            }
        })
    };
    let set_speed = {
        let speed = speed.clone();
        let speed_value = speed_value.clone();
        Callback::from(move |v: f64| {
            speed.set(v);
            speed_value.set(v);
        })
    };
    RunHandle {
        running: *running && runnable,
        speed: *speed_value,
        control,
        set_speed,
    }
}
