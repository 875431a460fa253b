//! Autoscaling of a service's or a worker pool's workers (`AutoscaleSpec`).
//!
//! Every interval the autoscaler reads how busy the serving workers were since its last look,
//! and asks for `ceil(serving × busy share / target)` workers, kept within the bounds. More are
//! ordered at once but serve only after the warm-up (new instances boot); fewer take effect at
//! once, but only when nothing is warming up and the cooldown since the last change has passed,
//! so a short lull does not throw away capacity the next burst needs. A worker let go finishes
//! what it holds: the station simply starts nothing new until the busy count is under the new
//! count. Each step is a log line; the worker count is in every window of the component.

use crate::observe::Level;
use crate::simulation::{Event, Simulation};
use crate::time::{to_us, SimTime};

/// One component's autoscaler.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(crate) struct Scaler {
    /// Whether its evaluation is on the agenda.
    armed: bool,
    /// When it last looked, and the busy area then.
    last_look: SimTime,
    last_busy_area: f64,
    /// Workers ordered that do not serve yet.
    warming: u32,
    /// When the count last changed (or the run started).
    last_change: SimTime,
}

impl Simulation {
    /// Puts the component's first evaluation on the agenda if it autoscales and has none (at
    /// the start, or when autoscaling is switched on mid-run).
    pub(crate) fn arm_autoscaler(&mut self, comp: usize) {
        let Some(spec) = self.topology.nodes[comp].spec.autoscale().copied() else {
            return;
        };
        if self.scalers[comp].armed {
            return;
        }
        let busy = self.metrics[comp].busy_area(self.now);
        self.scalers[comp] = Scaler {
            armed: true,
            last_look: self.now,
            last_busy_area: busy,
            warming: 0,
            last_change: self.now,
        };
        let at = self.now.plus_us(to_us(spec.interval_ms * 1_000.0).max(1));
        self.agenda.schedule(at, Event::Autoscale { comp });
    }

    /// One evaluation: measure, decide, and put the next one on the agenda.
    #[cfg_attr(not(target_arch = "wasm32"), inline(never))] // rare: out of the event loop
    pub(crate) fn autoscale(&mut self, comp: usize) {
        let Some(spec) = self.topology.nodes[comp].spec.autoscale().copied() else {
            // Switched off mid-run: the count stays where it is.
            self.scalers[comp].armed = false;
            return;
        };
        let now = self.now;
        let serving = self.topology.nodes[comp].spec.workers();
        let busy = self.metrics[comp].busy_area(now);
        let scaler = self.scalers[comp];
        let span = now.since(scaler.last_look) as f64;
        let share = if span > 0.0 && serving > 0 {
            ((busy - scaler.last_busy_area) / (span * f64::from(serving))).clamp(0.0, 1.0)
        } else {
            0.0
        };
        let wanted = libm::ceil(f64::from(serving) * share / spec.target_utilisation - 1e-9) as u32;
        let wanted = wanted.clamp(spec.min_workers, spec.max_workers);
        let planned = serving + scaler.warming;
        let (pct, target_pct) = (share * 100.0, spec.target_utilisation * 100.0);
        if wanted > planned {
            let more = wanted - planned;
            self.scalers[comp].warming += more;
            self.scalers[comp].last_change = now;
            let ready = now.plus_us(to_us(spec.warmup_ms * 1_000.0));
            self.agenda
                .schedule(ready, Event::WorkersReady { comp, count: more });
            let warmup_s = spec.warmup_ms / 1_000.0;
            self.log(Level::Info, comp, || {
                format!("scaling out: {more} more workers ordered ({serving} busy {pct:.0}% of the time, target {target_pct:.0}%); they serve after a {warmup_s} s warm-up")
            });
        } else if wanted < serving
            && scaler.warming == 0
            && now.since(scaler.last_change) as f64 >= spec.cooldown_ms * 1_000.0
        {
            self.set_serving(comp, wanted);
            self.scalers[comp].last_change = now;
            self.log(Level::Info, comp, || {
                format!("scaling in: {serving} → {wanted} workers (busy {pct:.0}% of the time, target {target_pct:.0}%)")
            });
        }
        let scaler = &mut self.scalers[comp];
        scaler.last_look = now;
        scaler.last_busy_area = busy;
        let next = now.plus_us(to_us(spec.interval_ms * 1_000.0).max(1));
        self.agenda.schedule(next, Event::Autoscale { comp });
    }

    /// Workers ordered earlier have warmed up and start serving.
    #[cfg_attr(not(target_arch = "wasm32"), inline(never))] // rare: out of the event loop
    pub(crate) fn workers_ready(&mut self, comp: usize, count: u32) {
        let scaler = &mut self.scalers[comp];
        scaler.warming = scaler.warming.saturating_sub(count);
        scaler.last_change = self.now;
        let Some(spec) = self.topology.nodes[comp].spec.autoscale().copied() else {
            return;
        };
        let serving = self.topology.nodes[comp].spec.workers();
        let now_serving = serving.saturating_add(count).min(spec.max_workers);
        if now_serving == serving {
            return;
        }
        self.set_serving(comp, now_serving);
        self.log(Level::Info, comp, || {
            format!(
                "{} new workers warmed up: {now_serving} serving",
                now_serving - serving
            )
        });
    }

    /// Changes the count of serving workers and lets waiting work start on new ones, the way a
    /// live change of the count does (`respec`).
    fn set_serving(&mut self, comp: usize, n: u32) {
        self.topology.nodes[comp].spec.set_workers(n);
        self.metrics[comp].set_workers(self.now, n);
        self.respec(comp);
    }
}
