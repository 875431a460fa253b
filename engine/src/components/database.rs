//! The primary database and its read replicas.
//!
//! Records carry versions, so a write that overwrites a change it never saw is detected (a lost
//! update) and a read that returns an older version than the reader's own write is detected
//! (a stale read). Purchases keep stock and count sales, so overselling is measured. Writes
//! replicate to replicas after a drawn lag; a partitioned replication wire stalls them.

use crate::components::State;
use crate::metrics::Counter;
use crate::scenario::{ComponentSpec, Op};
use crate::simulation::{Event, Reply, Rmw, Simulation, Status};
use crate::slab::Key;
use crate::time::SimTime;
use std::collections::{HashMap, VecDeque};

/// A lock older than this is taken over: its holder's connection is presumed dead.
const LOCK_TIMEOUT_US: u64 = 5_000_000;

#[derive(Debug, Clone)]
struct Record {
    version: u64,
    stock: i64,
    sold: u64,
    lock: Option<(u64, SimTime)>,
    waiters: VecDeque<Key>,
}

/// Records of the primary.
#[derive(Debug, Clone, Default)]
pub(crate) struct DatabaseState {
    records: HashMap<u32, Record>,
    oversold: u64,
}

impl DatabaseState {
    /// Items sold beyond the stock, over all keys.
    pub fn oversold(&self) -> u32 {
        u32::try_from(self.oversold).unwrap_or(u32::MAX)
    }

    fn record(&mut self, key: u32, stock: u32) -> &mut Record {
        self.records.entry(key).or_insert_with(|| Record {
            version: 1,
            stock: i64::from(stock),
            sold: 0,
            lock: None,
            waiters: VecDeque::new(),
        })
    }

    /// The committed version of a key (1 for a key never written).
    pub fn version(&self, key: u32) -> u64 {
        self.records.get(&key).map_or(1, |r| r.version)
    }
}

/// Versions a replica has applied, and the primary it copies.
#[derive(Debug, Clone, Default)]
pub(crate) struct ReplicaState {
    pub primary: Option<usize>,
    versions: HashMap<u32, u64>,
}

impl ReplicaState {
    /// The version this replica serves for a key.
    pub fn version(&self, key: u32) -> u64 {
        self.versions.get(&key).copied().unwrap_or(1)
    }
}

impl Simulation {
    /// The primary's committed version of a key, seen from a data store (database or replica).
    pub(crate) fn primary_version(&self, store: usize, key: u32) -> Option<u64> {
        match &self.state[store] {
            State::Database(_, db) => Some(db.version(key)),
            State::Replica(_, r) => r.primary.and_then(|p| self.primary_version(p, key)),
            _ => None,
        }
    }

    /// A connection picks up a query.
    pub(crate) fn data_start(&mut self, job: Key) {
        let Some(j) = self.jobs.get(job).copied() else {
            return;
        };
        let comp = j.comp;
        let (cost, stock) = match &self.topology.nodes[comp].spec {
            ComponentSpec::Database(d) => {
                let reading = j.msg.op == Op::Read || matches!(j.msg.rmw, Some(Rmw::Read { .. }));
                if reading {
                    let slow = !d.indexed || self.mods[comp].index_dropped;
                    let mut dist = d.read_time;
                    if slow {
                        dist = scale(dist, d.no_index_factor);
                    }
                    (dist, d.stock_per_key)
                } else {
                    (d.write_time, d.stock_per_key)
                }
            }
            ComponentSpec::Replica(r) => (r.read_time, 0),
            _ => return,
        };
        if let (Some(Rmw::Read { lock: true }), State::Database(_, db)) =
            (j.msg.rmw, &mut self.state[comp])
        {
            let now = self.now;
            let rec = db.record(j.msg.key, stock);
            match rec.lock {
                Some((holder, since))
                    if holder != j.msg.request && now.since(since) < LOCK_TIMEOUT_US =>
                {
                    // Wait for the lock, holding the connection, as SELECT ... FOR UPDATE does.
                    rec.waiters.push_back(job);
                    return;
                }
                _ => rec.lock = Some((j.msg.request, now)),
            }
        }
        let us = self.draw_us(comp, &cost);
        self.agenda
            .schedule(self.now.plus_us(us), Event::WorkDone { job });
    }

    /// A query finished: read or write the record and answer.
    pub(crate) fn data_done(&mut self, job: Key) {
        let Some(j) = self.jobs.get(job).copied() else {
            return;
        };
        let comp = j.comp;
        let p_error = self.mods[comp].add_error;
        if p_error > 0.0 && self.rngs[comp].chance(p_error) {
            self.release_lock_of(comp, &j);
            self.finish_job(job, Reply::status(Status::Error));
            return;
        }
        let key = j.msg.key;
        let mut reply = Reply::status(Status::Ok);
        match (&self.topology.nodes[comp].spec, &mut self.state[comp]) {
            (ComponentSpec::Replica(_), State::Replica(_, r)) => {
                reply.version = r.version(key);
                let primary = r.primary;
                if primary
                    .and_then(|p| self.primary_version(p, key))
                    .is_some_and(|v| v > reply.version)
                {
                    self.metrics[comp].bump(Counter::StaleReads);
                }
            }
            (ComponentSpec::Database(d), State::Database(_, db)) => {
                let stock = d.stock_per_key;
                let now = self.now;
                let mut committed = None;
                let mut lost = false;
                let mut oversold = false;
                let mut unlock = false;
                {
                    let rec = db.record(key, stock);
                    match (j.msg.op, j.msg.rmw) {
                        (_, Some(Rmw::Read { .. })) | (Op::Read, None) => {
                            reply.version = rec.version;
                            reply.value = rec.stock;
                        }
                        (_, Some(Rmw::Decrement)) => {
                            // `stock = stock - 1 where stock > 0`, as one statement.
                            if rec.stock > 0 {
                                rec.stock -= 1;
                                rec.version += 1;
                                rec.sold += 1;
                                committed = Some(rec.version);
                            }
                            reply.version = rec.version;
                            reply.value = rec.stock;
                        }
                        (
                            _,
                            Some(Rmw::Write {
                                value,
                                read_version,
                                checked,
                                unlock: u,
                                sale,
                            }),
                        ) => {
                            unlock = u;
                            if checked && read_version != rec.version {
                                reply.status = Status::Conflict;
                                reply.version = rec.version;
                            } else {
                                lost = rec.version != read_version;
                                rec.stock = value;
                                rec.version += 1;
                                if sale {
                                    rec.sold += 1;
                                    oversold = rec.sold > u64::from(stock);
                                }
                                reply.version = rec.version;
                                committed = Some(rec.version);
                            }
                        }
                        (_, None) => {
                            rec.version += 1;
                            reply.version = rec.version;
                            committed = Some(rec.version);
                        }
                    }
                }
                if oversold {
                    db.oversold += 1;
                }
                if lost {
                    self.metrics[comp].bump(Counter::LostUpdates);
                }
                if let Some(version) = committed {
                    self.replicate_from(comp, key, version, now);
                }
                if unlock {
                    self.release_lock_of(comp, &j);
                }
            }
            _ => {}
        }
        self.finish_job(job, reply);
    }

    /// Releases a purchase's lock on its record and lets the next waiter in.
    fn release_lock_of(&mut self, comp: usize, j: &crate::simulation::Job) {
        let State::Database(_, db) = &mut self.state[comp] else {
            return;
        };
        let Some(rec) = db.records.get_mut(&j.msg.key) else {
            return;
        };
        if rec.lock.is_some_and(|(holder, _)| holder == j.msg.request) {
            rec.lock = None;
        }
        if rec.lock.is_none() {
            if let Some(next) = rec.waiters.pop_front() {
                let request = self.jobs.get(next).map(|n| n.msg.request);
                if let Some(request) = request {
                    rec.lock = Some((request, self.now));
                    let cost = match &self.topology.nodes[comp].spec {
                        ComponentSpec::Database(d) => d.read_time,
                        _ => return,
                    };
                    let us = self.draw_us(comp, &cost);
                    self.agenda
                        .schedule(self.now.plus_us(us), Event::WorkDone { job: next });
                }
            }
        }
    }

    /// Ships a committed write to every replica of the primary, each after its own lag.
    fn replicate_from(&mut self, primary: usize, key: u32, version: u64, committed: SimTime) {
        for e in 0..self.topology.nodes[primary].downstream.len() {
            let edge = &self.topology.nodes[primary].downstream[e];
            let (replica, wire) = (edge.to, edge.wire);
            if self.partitioned.get(wire).copied().unwrap_or(false) {
                continue;
            }
            let ComponentSpec::Replica(r) = &self.topology.nodes[replica].spec else {
                continue;
            };
            let lag = r.lag;
            let ms = crate::components::draw(&mut self.rngs[replica], &lag)
                * self.mods[replica].lag_multiplier;
            let at = committed.plus_us(crate::time::to_us(ms * 1_000.0));
            self.agenda.schedule(
                at,
                Event::Replicate {
                    replica,
                    key,
                    version,
                    committed,
                },
            );
        }
    }

    /// A replicated write reaches a replica.
    #[cfg_attr(not(target_arch = "wasm32"), inline(never))] // rare: out of the event loop
    pub(crate) fn replicate(&mut self, replica: usize, key: u32, version: u64, committed: SimTime) {
        let lag = self.now.since(committed);
        if let State::Replica(_, r) = &mut self.state[replica] {
            let v = r.versions.entry(key).or_insert(1);
            if version > *v {
                *v = version;
            }
        }
        self.metrics[replica].replication_lag(lag);
    }
}

/// A distribution made `factor` times slower.
fn scale(dist: crate::scenario::Dist, factor: f64) -> crate::scenario::Dist {
    use crate::scenario::Dist;
    match dist {
        Dist::Constant { ms } => Dist::Constant { ms: ms * factor },
        Dist::Exponential { mean_ms } => Dist::Exponential {
            mean_ms: mean_ms * factor,
        },
        Dist::Lognormal { median_ms, sigma } => Dist::Lognormal {
            median_ms: median_ms * factor,
            sigma,
        },
    }
}
