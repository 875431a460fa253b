//! An external provider of side effects (payments, email). It performs one effect per call it
//! completes, whether or not the caller is still waiting, and counts effects per logical key:
//! every effect beyond the first for the same key is a duplicate — a customer charged twice.
//! One that honours idempotency keys (as card processors do) answers a call whose key it
//! remembers with the first call's answer and no second effect, and refuses one that comes
//! while the first is still running.

use crate::components::{KeyRecords, State};
use crate::metrics::Counter;
use crate::scenario::ComponentSpec;
use crate::simulation::{Event, Reply, Simulation, Status};
use crate::slab::Key;
use crate::time::{to_us, SimTime};
use std::collections::{HashMap, VecDeque};

/// How long a logical key is remembered for duplicate counting: longer than any retry sequence a
/// scenario can configure takes in practice, and bounded so memory stays flat in long runs.
pub(crate) const HORIZON_US: u64 = 300_000_000;

/// Counts per logical key over a sliding horizon of simulated time.
#[derive(Debug, Clone, Default)]
pub(crate) struct Horizon {
    counts: HashMap<u64, u32>,
    order: VecDeque<(SimTime, u64)>,
}

impl Horizon {
    /// Counts one more for `key` and returns its count, forgetting keys older than the horizon.
    pub fn add(&mut self, key: u64, now: SimTime) -> u32 {
        while let Some(&(at, old)) = self.order.front() {
            if now.since(at) < HORIZON_US {
                break;
            }
            self.order.pop_front();
            self.counts.remove(&old);
        }
        let count = self.counts.entry(key).or_insert(0);
        if *count == 0 {
            self.order.push_back((now, key));
        }
        *count += 1;
        *count
    }

    /// Whether `key` was counted within the horizon.
    pub fn contains(&self, key: u64) -> bool {
        self.counts.contains_key(&key)
    }
}

/// Effects performed, per logical key, and the idempotency keys it honours.
#[derive(Debug, Clone, Default)]
pub(crate) struct ProviderState {
    effects: Horizon,
    keys: KeyRecords,
}

/// The idempotency key a call to `spec` is honoured by, and for how long (None: it honours no
/// keys, or the call carries none).
fn honoured(spec: &ComponentSpec, idem: Option<u64>) -> Option<(u64, u64)> {
    let ComponentSpec::Provider(p) = spec else {
        return None;
    };
    Some((idem?, to_us(p.key_ttl_ms? * 1_000.0)))
}

impl Simulation {
    /// The provider starts on a call.
    pub(crate) fn provider_start(&mut self, job: Key) {
        let Some(j) = self.jobs.get(job).copied() else {
            return;
        };
        let comp = j.comp;
        let ComponentSpec::Provider(p) = &self.topology.nodes[comp].spec else {
            return;
        };
        let (latency, p_fail) = (p.latency, p.failure_probability);
        if let Some((key, ttl_us)) = honoured(&self.topology.nodes[comp].spec, j.msg.idem()) {
            let now = self.now;
            let State::Provider(_, st) = &mut self.state[comp] else {
                return;
            };
            let claim = st.keys.claim(key, now, ttl_us, true);
            if self.answered_by_claim(job, claim, "idempotent replay at the provider", "key") {
                return;
            }
        }
        let us = self.draw_us(comp, &latency);
        let failed = self.rngs[comp].chance((p_fail + self.mods[comp].add_error).min(1.0));
        if let Some(j) = self.jobs.get_mut(job) {
            j.failed = failed;
        }
        self.agenda
            .schedule(self.now.plus_us(us), Event::WorkDone { job });
    }

    /// The provider finishes: the effect happens (unless the call failed) and is counted.
    pub(crate) fn provider_done(&mut self, job: Key) {
        let Some(j) = self.jobs.get(job).copied() else {
            return;
        };
        let comp = j.comp;
        let now = self.now;
        let honoured = honoured(&self.topology.nodes[comp].spec, j.msg.idem());
        let State::Provider(_, st) = &mut self.state[comp] else {
            return;
        };
        let reply = Reply::status(if j.failed { Status::Error } else { Status::Ok });
        if let Some((key, ttl_us)) = honoured {
            st.keys.settle(key, reply, now, ttl_us);
        }
        if j.failed {
            self.finish_job(job, reply);
            return;
        }
        let count = st.effects.add(j.msg.request, now);
        self.metrics[comp].bump(Counter::Effects);
        if count > 1 {
            self.metrics[comp].bump(Counter::Duplicates);
            let span = j.call.and_then(|c| self.calls.get(c)).and_then(|c| c.span);
            self.observer.note(j.msg.trace, span, "duplicate effect");
        }
        self.finish_job(job, reply);
    }
}
