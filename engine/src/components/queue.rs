//! A message broker with at-least-once delivery, the worker pools that consume it, and the
//! dead-letter queue behind it.
//!
//! A delivered message stays hidden for the visibility timeout. Acknowledged in time, it is
//! gone; not acknowledged (the worker failed, crashed or was too slow), it comes back and is
//! delivered again, so a job can run twice. After `max_deliveries` it goes to the dead-letter
//! queue, or, without one, is dropped without a word: the silent failure of lesson 4.

use crate::components::{Horizon, State};
use crate::metrics::Counter;
use crate::observe::Level;
use crate::scenario::ComponentSpec;
use crate::simulation::{Event, Job, Msg, Reply, Simulation, Status};
use crate::slab::{Key, Slab};
use crate::time::to_us;
use std::collections::VecDeque;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    Ready,
    Invisible,
    Backoff,
}

#[derive(Debug, Clone, Copy)]
struct Message {
    msg: Msg,
    deliveries: u32,
    receipt: u32,
    phase: Phase,
}

/// The broker's messages.
#[derive(Debug, Clone, Default)]
pub(crate) struct QueueState {
    pub ready: VecDeque<Key>,
    pub invisible: u32,
    backoff: u32,
    messages: Slab<Message>,
    next_pool: usize,
}

impl QueueState {
    fn held(&self) -> usize {
        self.messages.len()
    }
}

/// A worker pool's memory of jobs whose effects already happened (for idempotent jobs), and
/// the queues it consumes.
#[derive(Debug, Clone, Default)]
pub(crate) struct WorkersState {
    processed: Horizon,
    pub sources: Vec<usize>,
}

fn poison(request: u64, share: f64) -> bool {
    // Decided by the message itself, so a poison message fails on every delivery.
    let h = crate::rng::stable_hash(&request.to_le_bytes());
    ((h >> 11) as f64 / (1u64 << 53) as f64) < share
}

impl Simulation {
    fn queue_parts(&mut self, queue: usize) -> Option<&mut QueueState> {
        match &mut self.state[queue] {
            State::Queue(q) => Some(q),
            _ => None,
        }
    }

    /// A producer hands a job to the broker; it is acknowledged at once unless the broker is full.
    pub(crate) fn enqueue(&mut self, call: Key) {
        let Some(c) = self.calls.get(call).copied() else {
            return;
        };
        let queue = c.callee;
        let ComponentSpec::Queue(spec) = &self.topology.nodes[queue].spec else {
            return;
        };
        let capacity = spec.capacity;
        let Some(q) = self.queue_parts(queue) else {
            return;
        };
        if capacity.is_some_and(|cap| q.held() >= cap as usize) {
            self.metrics[queue].rejection();
            self.log(Level::Warn, queue, || {
                "queue full: rejecting message".into()
            });
            self.answer(call, Reply::status(Status::Rejected));
            return;
        }
        let mut msg = c.msg;
        msg.parent_span = None;
        let key = q.messages.insert(Message {
            msg,
            deliveries: 0,
            receipt: 0,
            phase: Phase::Ready,
        });
        q.ready.push_back(key);
        self.job_ledger.accepted += 1;
        self.job_ledger.in_flight += 1;
        self.metrics[queue].completion(0);
        self.answer(call, Reply::status(Status::Ok));
        self.update_levels(queue);
        self.dispatch(queue);
    }

    /// Hands ready messages to consuming pools with free workers, taking pools in turn.
    pub(crate) fn dispatch(&mut self, queue: usize) {
        if self.mods[queue].crashed {
            return;
        }
        let ComponentSpec::Queue(spec) = &self.topology.nodes[queue].spec else {
            return;
        };
        let visibility_us = to_us(spec.visibility_timeout_ms * 1_000.0);
        let pools: Vec<usize> = self.topology.nodes[queue]
            .downstream
            .iter()
            .map(|e| e.to)
            .filter(|&t| matches!(self.topology.nodes[t].spec, ComponentSpec::Workers(_)))
            .collect();
        if pools.is_empty() {
            return;
        }
        let mut idle_rounds = 0;
        while idle_rounds < pools.len() {
            let Some(q) = self.queue_parts(queue) else {
                return;
            };
            if q.ready.is_empty() {
                break;
            }
            let pool = pools[q.next_pool % pools.len()];
            q.next_pool = q.next_pool.wrapping_add(1);
            let free = !self.mods[pool].crashed
                && self.state[pool]
                    .station()
                    .is_some_and(|s| s.busy < self.topology.nodes[pool].spec.workers());
            if !free {
                idle_rounds += 1;
                continue;
            }
            idle_rounds = 0;
            let Some(q) = self.queue_parts(queue) else {
                return;
            };
            let Some(key) = q.ready.pop_front() else {
                break;
            };
            let Some(m) = q.messages.get_mut(key) else {
                continue;
            };
            m.deliveries += 1;
            m.receipt = m.deliveries;
            m.phase = Phase::Invisible;
            let (msg, receipt) = (m.msg, m.receipt);
            q.invisible += 1;
            self.agenda.schedule_after(
                self.now.plus_us(visibility_us),
                visibility_us,
                Event::Visible {
                    queue,
                    message: key,
                    receipt,
                },
            );
            self.update_levels(queue);
            self.metrics[pool].arrival();
            let job = self.jobs.insert(Job::new(
                pool,
                None,
                Some((queue, key, receipt)),
                msg,
                self.now,
                self.epochs[pool],
            ));
            self.queue_or_start(job);
        }
    }

    /// A pool has a free worker: ask its queues for more.
    pub(crate) fn pull_for(&mut self, pool: usize) {
        let sources = match &self.state[pool] {
            State::Workers(_, w) => w.sources.clone(),
            _ => return,
        };
        for queue in sources {
            self.dispatch(queue);
        }
    }

    /// A worker acknowledges a message: it is done.
    fn ack(&mut self, queue: usize, message: Key, receipt: u32) {
        let Some(q) = self.queue_parts(queue) else {
            return;
        };
        let current = q
            .messages
            .get(message)
            .is_some_and(|m| m.receipt == receipt && m.phase == Phase::Invisible);
        if !current {
            // A stale receipt: the message was already delivered again after its visibility
            // timeout, so this copy's work was duplicated and its acknowledgement is refused.
            return;
        }
        q.messages.remove(message);
        q.invisible -= 1;
        self.job_ledger.delivered += 1;
        self.job_ledger.in_flight -= 1;
        self.update_levels(queue);
    }

    /// A worker gives a message back, or the queue gives up waiting for it.
    pub(crate) fn nack(&mut self, queue: usize, message: Key, receipt: u32) {
        let Some(q) = self.queue_parts(queue) else {
            return;
        };
        let current = q
            .messages
            .get(message)
            .is_some_and(|m| m.receipt == receipt && m.phase == Phase::Invisible);
        if current {
            self.retry_or_dead(queue, message);
        }
    }

    /// A visibility timeout or a backoff ended.
    #[cfg_attr(not(target_arch = "wasm32"), inline(never))] // rare: out of the event loop
    pub(crate) fn visible(&mut self, queue: usize, message: Key, receipt: u32) {
        let Some(q) = self.queue_parts(queue) else {
            return;
        };
        let Some(m) = q.messages.get_mut(message) else {
            return;
        };
        if m.receipt != receipt {
            return;
        }
        match m.phase {
            Phase::Invisible => self.retry_or_dead(queue, message),
            Phase::Backoff => {
                m.phase = Phase::Ready;
                q.backoff -= 1;
                q.ready.push_back(message);
                self.update_levels(queue);
                self.dispatch(queue);
            }
            Phase::Ready => {}
        }
    }

    /// A delivery failed: try again after a backoff, or dead-letter (or drop) the message.
    fn retry_or_dead(&mut self, queue: usize, message: Key) {
        let ComponentSpec::Queue(spec) = &self.topology.nodes[queue].spec else {
            return;
        };
        let (max, backoff_ms) = (spec.max_deliveries, spec.retry_backoff_ms);
        let dlq = self.topology.nodes[queue]
            .downstream
            .iter()
            .map(|e| e.to)
            .find(|&t| matches!(self.topology.nodes[t].spec, ComponentSpec::DeadLetter(_)));
        let Some(q) = self.queue_parts(queue) else {
            return;
        };
        let Some(m) = q.messages.get_mut(message) else {
            return;
        };
        q.invisible -= 1;
        if m.deliveries < max {
            m.phase = Phase::Backoff;
            m.receipt += 1_000_000;
            let receipt = m.receipt;
            let wait_ms = backoff_ms * f64::from(1u32 << (m.deliveries - 1).min(16));
            q.backoff += 1;
            self.agenda.schedule(
                self.now.plus_us(to_us(wait_ms * 1_000.0)),
                Event::Visible {
                    queue,
                    message,
                    receipt,
                },
            );
            self.update_levels(queue);
            return;
        }
        let deliveries = m.deliveries;
        q.messages.remove(message);
        self.job_ledger.in_flight -= 1;
        match dlq {
            Some(d) => {
                self.job_ledger.dead_lettered += 1;
                self.metrics[queue].bump(Counter::DeadLettered);
                if let State::DeadLetter { size } = &mut self.state[d] {
                    *size += 1;
                }
                self.metrics[d].arrival();
                self.log(Level::Warn, queue, || {
                    format!("moved message to dead-letter queue after {deliveries} deliveries")
                });
            }
            None => {
                // No log line: nothing in a real system reports a job that simply vanished.
                self.job_ledger.dropped += 1;
                self.metrics[queue].bump(Counter::Dropped);
            }
        }
        self.update_levels(queue);
    }

    /// A worker picks up a delivered message.
    pub(crate) fn worker_start(&mut self, job: Key) {
        let Some(j) = self.jobs.get(job).copied() else {
            return;
        };
        let pool = j.comp;
        let ComponentSpec::Workers(w) = &self.topology.nodes[pool].spec else {
            return;
        };
        let (dist, base, under_load, poison_share, idempotent, workers) = (
            w.job_time,
            w.failure_probability,
            w.failure_under_load,
            w.poison_probability,
            w.idempotent,
            w.concurrency,
        );
        let already = idempotent
            && matches!(&self.state[pool], State::Workers(_, s) if s.processed.contains(j.msg.request));
        let busy = self.state[pool].station().map_or(0, |s| s.busy);
        let p = base
            + under_load * f64::from(busy) / f64::from(workers.max(1))
            + self.mods[pool].add_error;
        let failed = poison(j.msg.request, poison_share) || self.rngs[pool].chance(p.min(1.0));
        let fail_late = failed && self.rngs[pool].chance(0.5);
        let edges = self.topology.nodes[pool].downstream.len() as u16;
        if let Some(jm) = self.jobs.get_mut(job) {
            jm.failed = failed;
            jm.fail_late = fail_late;
            if already {
                // The effect already happened on an earlier delivery: skip straight to the end.
                jm.stage = edges;
            }
        }
        let us = self.draw_us(pool, &dist);
        self.agenda
            .schedule(self.now.plus_us(us), Event::WorkDone { job });
    }

    /// A worker job ends: remember its effects, free the worker, acknowledge or give back.
    pub(crate) fn worker_end(&mut self, job: Key, ok: bool) {
        let Some(j) = self.jobs.remove(job) else {
            return;
        };
        let pool = j.comp;
        let effects_done = j.stage as usize >= self.topology.nodes[pool].downstream.len();
        let idempotent =
            matches!(&self.topology.nodes[pool].spec, ComponentSpec::Workers(w) if w.idempotent);
        if idempotent && effects_done {
            let now = self.now;
            if let State::Workers(_, s) = &mut self.state[pool] {
                if !s.processed.contains(j.msg.request) {
                    s.processed.add(j.msg.request, now);
                }
            }
        }
        self.record_finish(pool, j.arrived, ok);
        if !ok {
            self.log(Level::Warn, pool, || {
                format!(
                    "job for request {} failed; returning it to the queue",
                    j.msg.request
                )
            });
        }
        if let Some((queue, message, receipt)) = j.delivery {
            if ok {
                self.ack(queue, message, receipt);
            } else {
                self.nack(queue, message, receipt);
            }
        }
        if j.holds_worker {
            self.release_worker(pool);
        }
    }
}
