//! A cache in front of a database or replica: hits are answered at once, misses go through
//! and fill the cache, writes delete the entry. A hit older than the primary's latest version
//! is counted as a stale read: the price of caching.

use crate::components::State;
use crate::metrics::Counter;
use crate::scenario::{ComponentSpec, Op};
use crate::simulation::{Event, Job, Reply, Simulation, Status};
use crate::slab::Key;
use crate::time::{to_us, SimTime};
use std::collections::{HashMap, VecDeque};

#[derive(Debug, Clone, Copy)]
struct Entry {
    version: u64,
    stored: SimTime,
    touched: u64,
}

/// Cached entries with least-recently-used eviction (a lazy queue of touches).
#[derive(Debug, Clone, Default)]
pub(crate) struct CacheState {
    entries: HashMap<u32, Entry>,
    touches: VecDeque<(u32, u64)>,
    tick: u64,
}

impl CacheState {
    fn touch(&mut self, key: u32) {
        self.tick += 1;
        if let Some(e) = self.entries.get_mut(&key) {
            e.touched = self.tick;
        }
        self.touches.push_back((key, self.tick));
    }

    fn insert(&mut self, key: u32, version: u64, now: SimTime, capacity: usize) {
        self.tick += 1;
        self.entries.insert(
            key,
            Entry {
                version,
                stored: now,
                touched: self.tick,
            },
        );
        self.touches.push_back((key, self.tick));
        while self.entries.len() > capacity {
            let Some((k, t)) = self.touches.pop_front() else {
                break;
            };
            if self.entries.get(&k).is_some_and(|e| e.touched == t) {
                self.entries.remove(&k);
            }
        }
        // Keep the touch log from outgrowing the entries it describes.
        if self.touches.len() > 4 * capacity.max(16) {
            let entries = &self.entries;
            self.touches
                .retain(|(k, t)| entries.get(k).is_some_and(|e| e.touched == *t));
        }
    }

    /// Forgets everything (a restart).
    pub fn clear(&mut self) {
        self.entries.clear();
        self.touches.clear();
    }
}

impl Simulation {
    /// A read looks in the cache; a write deletes the entry; anything else passes through.
    pub(crate) fn cache_lookup(&mut self, call: Key) {
        let Some(c) = self.calls.get(call).copied() else {
            return;
        };
        let comp = c.callee;
        let ComponentSpec::Cache(spec) = &self.topology.nodes[comp].spec else {
            return;
        };
        let (ttl_us, hit_us, invalidate) = (
            to_us(spec.ttl_ms * 1_000.0),
            to_us(spec.hit_ms * 1_000.0),
            spec.invalidate_on_write,
        );
        let store = self.topology.nodes[comp].downstream[0].to;
        let now = self.now;
        match c.msg.op {
            Op::Write | Op::Purchase if c.caller_is_nobody() => {
                if invalidate {
                    if let State::Cache(st) = &mut self.state[comp] {
                        st.entries.remove(&c.msg.key);
                    }
                }
                self.record_finish(comp, now, true);
                self.answer(call, Reply::status(Status::Ok));
            }
            Op::Read => {
                let primary = self.primary_version(store, c.msg.key);
                let State::Cache(st) = &mut self.state[comp] else {
                    return;
                };
                let hit = st
                    .entries
                    .get(&c.msg.key)
                    .copied()
                    .filter(|e| now.since(e.stored) < ttl_us);
                match hit {
                    Some(e) => {
                        st.touch(c.msg.key);
                        self.metrics[comp].bump(Counter::Hits);
                        if primary.is_some_and(|v| v > e.version) {
                            self.metrics[comp].bump(Counter::StaleReads);
                        }
                        self.observer.note(c.msg.trace, c.span, "cache hit");
                        let mut reply = Reply::status(Status::Ok);
                        reply.version = e.version;
                        self.metrics[comp].completion(hit_us);
                        self.goals.latency(comp, now, hit_us, true);
                        self.agenda
                            .schedule(now.plus_us(hit_us), Event::Respond { call, reply });
                    }
                    None => {
                        self.metrics[comp].bump(Counter::Misses);
                        self.pass_through(call);
                    }
                }
            }
            _ => self.pass_through(call),
        }
    }

    fn pass_through(&mut self, call: Key) {
        let Some(c) = self.calls.get(call).copied() else {
            return;
        };
        let job = self.jobs.insert(Job::new(
            c.callee,
            Some(call),
            None,
            c.msg,
            self.now,
            self.epochs[c.callee],
        ));
        self.forward(job);
    }

    /// The store answered a miss: keep the value and pass the answer back.
    pub(crate) fn cache_filled(&mut self, job: Key, reply: Reply) {
        let Some(j) = self.jobs.get(job).copied() else {
            return;
        };
        let comp = j.comp;
        if j.msg.op == Op::Read && reply.status == Status::Ok {
            let ComponentSpec::Cache(spec) = &self.topology.nodes[comp].spec else {
                return;
            };
            let capacity = spec.capacity as usize;
            let now = self.now;
            if let State::Cache(st) = &mut self.state[comp] {
                st.insert(j.msg.key, reply.version, now, capacity);
            }
        }
        self.proxy_answered(job, comp, reply);
    }
}

impl crate::simulation::Call {
    /// Whether nobody waits for this call (an invalidation sent on the side).
    fn caller_is_nobody(&self) -> bool {
        matches!(self.caller, crate::simulation::Caller::Nobody)
    }
}
