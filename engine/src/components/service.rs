//! A service: its own work, then its downstream calls in wire order while it holds a worker.
//! Here live the switches that matter most to the lessons: idempotency keys (off, naive,
//! atomic), circuit breakers, response-format contracts, read routing (replicas, caches,
//! read-your-writes, strong reads) and read-modify-write protection for purchases.
//! Worker pools run the same plan for the jobs a queue delivers.

use crate::components::State;
use crate::metrics::Counter;
use crate::observe::Level;
use crate::scenario::{ComponentSpec, Concurrency, IdempotencyMode, Op, ServiceSpec, WireMode};
use crate::simulation::{Caller, Job, Msg, Reply, Rmw, Simulation, Status};
use crate::slab::Key;
use crate::time::{to_us, SimTime};
use std::collections::{HashMap, VecDeque};

/// Optimistic-concurrency retries before a purchase gives up.
const MAX_CONFLICT_RETRIES: u8 = 5;

/// What is known of an idempotency key.
#[derive(Debug, Clone, Copy)]
enum IdemRecord {
    /// A call with this key is running.
    InProgress,
    /// A call with this key finished with this answer.
    Done(Reply),
}

/// Idempotency records, expiring after their TTL: a service's (its idempotency switch) and a
/// provider's (the keys it honours).
#[derive(Debug, Clone, Default)]
pub(crate) struct KeyRecords {
    records: HashMap<u64, (IdemRecord, SimTime)>,
    expiry: VecDeque<(SimTime, u64)>,
}

/// What a call whose idempotency key is known gets before it does any work.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Claim {
    /// The first call with this key finished: its answer, again, and no second effect.
    Replay(Reply),
    /// The first call with this key is still running: refused as a conflict.
    Busy,
    /// Nothing stands in the way: do the work (the key is reserved, if asked).
    Go,
}

impl KeyRecords {
    /// Looks `key` up before a call does its work, forgetting what has expired: the first
    /// call's answer to replay; with `reserve`, a refusal while the first still runs, else the
    /// key reserved for this call (without it, a running call is not seen: the naive check
    /// after completion).
    pub(crate) fn claim(&mut self, key: u64, now: SimTime, ttl_us: u64, reserve: bool) -> Claim {
        self.prune(now);
        match self.records.get(&key).map(|r| r.0) {
            Some(IdemRecord::Done(reply)) => Claim::Replay(reply),
            Some(IdemRecord::InProgress) if reserve => Claim::Busy,
            _ => {
                if reserve {
                    self.set(key, IdemRecord::InProgress, now, ttl_us);
                }
                Claim::Go
            }
        }
    }

    /// Records how a call with `key` ended: a success's answer is kept to replay; a failure
    /// frees a reservation so a later call may try again; a conflict leaves the first call's
    /// reservation alone.
    pub(crate) fn settle(&mut self, key: u64, reply: Reply, now: SimTime, ttl_us: u64) {
        match reply.status {
            Status::Ok => self.set(key, IdemRecord::Done(reply), now, ttl_us),
            Status::Conflict => {}
            _ => {
                if matches!(self.records.get(&key), Some((IdemRecord::InProgress, _))) {
                    self.records.remove(&key);
                }
            }
        }
    }

    /// Forgets the records whose time is up.
    fn prune(&mut self, now: SimTime) {
        while let Some(&(at, key)) = self.expiry.front() {
            if at > now {
                break;
            }
            self.expiry.pop_front();
            if self.records.get(&key).is_some_and(|(_, exp)| *exp <= now) {
                self.records.remove(&key);
            }
        }
    }

    /// Records `key` as `record` until `ttl_us` from now.
    fn set(&mut self, key: u64, record: IdemRecord, now: SimTime, ttl_us: u64) {
        let expires = now.plus_us(ttl_us);
        self.records.insert(key, (record, expires));
        self.expiry.push_back((expires, key));
    }
}

fn service_spec(sim: &Simulation, comp: usize) -> Option<&ServiceSpec> {
    match &sim.topology.nodes[comp].spec {
        ComponentSpec::Service(s) => Some(s),
        _ => None,
    }
}

/// What the next step of a plan is.
enum Step {
    Call { edge: usize, wait: bool },
    Invalidate { edge: usize },
    Done,
}

impl Simulation {
    /// Answers `job` from its key's claim when the key was seen before: the first call's
    /// answer replayed (`replay_note` in its trace), or 409 while the first still runs (logged
    /// as "`what` KEY already in progress"). True when it answered, so the caller stops; the
    /// service's switch and the provider's honoured keys share this.
    pub(crate) fn answered_by_claim(
        &mut self,
        job: Key,
        claim: Claim,
        replay_note: &'static str,
        what: &'static str,
    ) -> bool {
        let Some(j) = self.jobs.get(job).copied() else {
            return false;
        };
        match claim {
            Claim::Replay(reply) => {
                self.observer.note(j.msg.trace, None, replay_note);
                self.finish_job(job, reply);
                true
            }
            Claim::Busy => {
                let key = j.msg.idem().unwrap_or_default();
                self.log(Level::Info, j.comp, || {
                    format!("{what} {key} already in progress: 409")
                });
                self.finish_job(job, Reply::status(Status::Conflict));
                true
            }
            Claim::Go => false,
        }
    }

    /// A service worker picks up a request.
    pub(crate) fn service_start(&mut self, job: Key) {
        let Some(j) = self.jobs.get(job).copied() else {
            return;
        };
        let comp = j.comp;
        let Some(spec) = service_spec(self, comp) else {
            return;
        };
        let (mode, ttl_us, dist, p_error) = (
            spec.idempotency,
            to_us(spec.idempotency_ttl_ms * 1_000.0),
            spec.service_time,
            spec.error_probability,
        );
        if let (Some(key), true) = (j.msg.idem(), mode != IdempotencyMode::Off) {
            let (now, reserve) = (self.now, mode == IdempotencyMode::AtomicReserve);
            let claim = match &mut self.state[comp] {
                State::Service(_, st) => st.claim(key, now, ttl_us, reserve),
                _ => Claim::Go,
            };
            if self.answered_by_claim(job, claim, "idempotent replay", "request") {
                return;
            }
        }
        let us = self.draw_us(comp, &dist);
        let p = (p_error + self.mods[comp].add_error).min(1.0);
        let failed = self.rngs[comp].chance(p);
        if let Some(j) = self.jobs.get_mut(job) {
            j.failed = failed;
        }
        self.agenda.schedule(
            self.now.plus_us(us),
            crate::simulation::Event::WorkDone { job },
        );
    }

    /// Which data wire a read goes to: the primary for strong or read-your-writes reads,
    /// otherwise a cache, then a replica, then the primary.
    fn read_store(&self, comp: usize, msg: &crate::simulation::Msg) -> Option<usize> {
        let edges = &self.topology.nodes[comp].downstream;
        let kind = |e: usize| self.topology.nodes[edges[e].to].spec.kind_name();
        let usable = |e: usize| {
            edges[e].carries(Op::Read) && matches!(kind(e), "cache" | "replica" | "database")
        };
        let primary_first = match service_spec(self, comp) {
            Some(s) => {
                s.strong_reads
                    || s.read_your_writes_ms.is_some_and(|w| {
                        msg.wrote_at
                            .is_some_and(|t| self.now.since(t) <= to_us(w * 1_000.0))
                    })
            }
            None => false,
        };
        let order: &[&str] = if primary_first {
            &["database", "cache", "replica"]
        } else {
            &["cache", "replica", "database"]
        };
        order
            .iter()
            .find_map(|k| (0..edges.len()).find(|&e| usable(e) && kind(e) == *k))
    }

    /// The next step of a job's plan from its current stage.
    fn next_step(&mut self, job: Key) -> Step {
        let Some(j) = self.jobs.get(job).copied() else {
            return Step::Done;
        };
        let comp = j.comp;
        let op = j.msg.op;
        let read_store = if op == Op::Read {
            self.read_store(comp, &j.msg)
        } else {
            None
        };
        let edges = &self.topology.nodes[comp].downstream;
        let mut stage = j.stage as usize;
        let step = loop {
            let Some(e) = edges.get(stage) else {
                break Step::Done;
            };
            let edge = stage;
            stage += 1;
            if !e.carries(op) {
                continue;
            }
            let wait = e.mode == WireMode::Sync;
            match self.topology.nodes[e.to].spec.kind_name() {
                "provider" if matches!(op, Op::Payment | Op::Job) => {
                    break Step::Call { edge, wait }
                }
                "queue" if op == Op::Job => break Step::Call { edge, wait },
                "cache" if matches!(op, Op::Write | Op::Purchase) => {
                    break Step::Invalidate { edge }
                }
                "cache" | "replica" | "database" if op == Op::Read && read_store == Some(edge) => {
                    break Step::Call { edge, wait }
                }
                "database" if matches!(op, Op::Write | Op::Purchase) => {
                    break Step::Call { edge, wait }
                }
                "service" | "load_balancer" | "rate_limiter" => break Step::Call { edge, wait },
                _ => {}
            }
        };
        if let Some(j) = self.jobs.get_mut(job) {
            j.stage = stage as u16;
        }
        step
    }

    /// Runs a job's downstream calls until one must be waited for, or the plan is done.
    pub(crate) fn run_plan(&mut self, job: Key) {
        let Some(&Job {
            comp,
            failed,
            fail_late,
            ..
        }) = self.live_job(job)
        else {
            return;
        };
        let is_worker = matches!(self.topology.nodes[comp].spec, ComponentSpec::Workers(_));
        if failed && !(is_worker && fail_late) {
            self.end_job(job, Reply::status(Status::Error));
            return;
        }
        loop {
            match self.next_step(job) {
                Step::Done => {
                    let failed_late = self.jobs.get(job).is_some_and(|j| j.failed);
                    if failed_late {
                        self.end_job(job, Reply::status(Status::Error));
                    } else {
                        self.end_job(job, Reply::status(Status::Ok));
                    }
                    return;
                }
                Step::Invalidate { edge } => {
                    let Some(j) = self.jobs.get(job).copied() else {
                        return;
                    };
                    let to = self.topology.nodes[j.comp].downstream[edge].to;
                    let mut msg = j.msg;
                    msg.op = Op::Write;
                    msg.parent_span = self.parent_span(&j);
                    self.send(Caller::Nobody, j.comp, Some(edge), to, msg, None);
                }
                Step::Call { edge, wait } => {
                    if !wait {
                        let Some(j) = self.jobs.get(job).copied() else {
                            return;
                        };
                        let to = self.topology.nodes[j.comp].downstream[edge].to;
                        let mut msg = j.msg;
                        msg.parent_span = self.parent_span(&j);
                        self.send(Caller::HandOff(j.comp), j.comp, Some(edge), to, msg, None);
                        continue;
                    }
                    self.call_edge(job, edge);
                    return;
                }
            }
        }
    }

    /// Sends a job's call over one of its wires and waits for the answer.
    fn call_edge(&mut self, job: Key, edge: usize) {
        let Some(j) = self.jobs.get(job).copied() else {
            return;
        };
        let comp = j.comp;
        let to = self.topology.nodes[comp].downstream[edge].to;
        let (timeout_ms, breaker, concurrency) = match &self.topology.nodes[comp].spec {
            ComponentSpec::Service(s) => (s.call_timeout_ms, s.circuit_breaker, s.concurrency),
            ComponentSpec::Workers(w) => (w.call_timeout_ms, None, Concurrency::None),
            _ => (None, None, Concurrency::None),
        };
        if breaker.is_some() && !self.breakers[comp][edge].admit(self.now) {
            self.metrics[comp].bump(Counter::ShortCircuits);
            let name = self.topology.nodes[to].name.clone();
            self.log(Level::Warn, comp, || {
                format!("circuit to {name} is open: failing fast")
            });
            self.fail_call(job, edge);
            return;
        }
        let mut msg = j.msg;
        if msg.op == Op::Purchase
            && self.topology.nodes[to].spec.kind_name() == "database"
            && msg.rmw.is_none()
        {
            msg.rmw = Some(match concurrency {
                Concurrency::Atomic => Rmw::Decrement,
                _ => Rmw::Read {
                    lock: concurrency == Concurrency::Lock,
                },
            });
            if let Some(jm) = self.jobs.get_mut(job) {
                jm.msg.rmw = msg.rmw;
            }
        }
        msg.parent_span = self.parent_span(&j);
        // A caller asks for the response format it understands, so a versioned downstream can
        // keep answering in it.
        if let Some(v) = service_spec(self, comp).and_then(|s| s.accepts_contract) {
            msg.wants_contract = Some(v);
        }
        let timeout = timeout_ms.map(|ms| to_us(ms * 1_000.0));
        self.send(Caller::Job(job), comp, Some(edge), to, msg, timeout);
    }

    /// An answer to a job's call arrived.
    pub(crate) fn job_answered(&mut self, job: Key, callee: usize, reply: Reply) {
        let Some(&Job {
            comp,
            stage,
            msg: Msg { rmw, .. },
            ..
        }) = self.live_job(job)
        else {
            return;
        };
        match self.topology.nodes[comp].spec {
            ComponentSpec::LoadBalancer(_) | ComponentSpec::RateLimiter(_) => {
                self.proxy_answered(job, callee, reply);
                return;
            }
            ComponentSpec::Cache(_) => {
                self.cache_filled(job, reply);
                return;
            }
            _ => {}
        }
        let edge = (stage as usize).saturating_sub(1);
        if reply.status == Status::Conflict && matches!(rmw, Some(Rmw::Write { checked: true, .. }))
        {
            self.purchase_conflict(job);
            return;
        }
        let failed = reply.status != Status::Ok;
        self.record_breaker(comp, edge, failed);
        if failed {
            let name = self.topology.nodes[callee].name.clone();
            self.log(Level::Warn, comp, || {
                format!("call to {name} failed ({:?})", reply.status)
            });
            self.fail_call(job, edge);
            return;
        }
        let accepts = service_spec(self, comp).and_then(|s| s.accepts_contract);
        let answers_contract =
            matches!(self.topology.nodes[callee].spec, ComponentSpec::Service(_));
        if answers_contract && accepts.is_some_and(|v| v != reply.contract) {
            self.metrics[comp].bump(Counter::ContractErrors);
            let name = self.topology.nodes[callee].name.clone();
            self.log(Level::Error, comp, || {
                format!(
                    "could not parse response from {name}: format v{} (expected v{})",
                    reply.contract,
                    accepts.unwrap_or(0)
                )
            });
            self.fail_call(job, edge);
            return;
        }
        if answers_contract && accepts.is_none() {
            // A tolerant reader takes any format; one it was not written for (the callee's
            // format changed since) is read without an error, and some of it read wrong.
            let written_for = service_spec(self, callee).map_or(reply.contract, |s| s.contract);
            if reply.contract != written_for {
                self.metrics[comp].bump(Counter::Misreads);
            }
        }
        if let Some(rmw) = rmw {
            self.purchase_step(job, edge, rmw, reply);
            return;
        }
        let Some(jm) = self.jobs.get_mut(job) else {
            return;
        };
        if jm.msg.op == Op::Read && reply.version < jm.msg.session_version {
            self.metrics[comp].bump(Counter::StaleReads);
        }
        if reply.version > 0 {
            jm.reply.version = reply.version;
            jm.reply.value = reply.value;
        }
        self.run_plan(job);
    }

    /// The read-modify-write of a purchase: read, then write back one lower.
    fn purchase_step(&mut self, job: Key, edge: usize, rmw: Rmw, reply: Reply) {
        let Some(j) = self.jobs.get(job).copied() else {
            return;
        };
        let comp = j.comp;
        let concurrency = service_spec(self, comp).map_or(Concurrency::None, |s| s.concurrency);
        let next = match (rmw, reply.status) {
            (Rmw::Read { lock }, _) if reply.value <= 0 => {
                // Sold out: nothing to write (release the lock by writing the same value back).
                if lock {
                    Some(Rmw::Write {
                        value: reply.value,
                        read_version: reply.version,
                        checked: false,
                        unlock: true,
                        sale: false,
                    })
                } else {
                    None
                }
            }
            (Rmw::Read { lock }, _) => Some(Rmw::Write {
                value: reply.value - 1,
                read_version: reply.version,
                checked: concurrency == Concurrency::Optimistic,
                unlock: lock,
                sale: true,
            }),
            (Rmw::Write { .. } | Rmw::Decrement, _) => None,
        };
        if let Some(jm) = self.jobs.get_mut(job) {
            jm.msg.rmw = next;
            jm.reply.version = reply.version;
            jm.reply.value = reply.value;
        }
        match next {
            Some(_) => self.call_edge_again(job, edge),
            None => self.run_plan(job),
        }
    }

    fn call_edge_again(&mut self, job: Key, edge: usize) {
        if let Some(jm) = self.jobs.get_mut(job) {
            jm.stage = edge as u16 + 1;
        }
        self.call_edge(job, edge);
    }

    /// A version check failed: read again and retry, a bounded number of times.
    pub(crate) fn purchase_conflict(&mut self, job: Key) {
        let Some(&Job {
            comp,
            conflicts,
            stage,
            ..
        }) = self.live_job(job)
        else {
            return;
        };
        self.metrics[comp].bump(Counter::Conflicts);
        if conflicts >= MAX_CONFLICT_RETRIES {
            self.end_job(job, Reply::status(Status::Conflict));
            return;
        }
        let edge = (stage as usize).saturating_sub(1);
        if let Some(jm) = self.jobs.get_mut(job) {
            jm.conflicts += 1;
            jm.msg.rmw = Some(Rmw::Read { lock: false });
        }
        self.call_edge_again(job, edge);
    }

    /// A job's downstream call timed out.
    pub(crate) fn job_call_timed_out(&mut self, job: Key, callee: usize) {
        let Some(&Job {
            comp,
            stage,
            arrived,
            ..
        }) = self.live_job(job)
        else {
            return;
        };
        if matches!(
            self.topology.nodes[comp].spec,
            ComponentSpec::LoadBalancer(_)
                | ComponentSpec::RateLimiter(_)
                | ComponentSpec::Cache(_)
        ) {
            self.metrics[comp].timeout();
            self.proxy_give_up(job);
            return;
        }
        let edge = (stage as usize).saturating_sub(1);
        self.record_breaker(comp, edge, true);
        // A timed-out optional call is a fallback (counted in `fail_call`), not a timeout of
        // the caller's own work.
        if !self.is_optional(comp, edge) {
            self.metrics[comp].timeout();
        }
        let name = self.topology.nodes[callee].name.clone();
        let waited = self.now.since(arrived) as f64 / 1_000.0;
        self.log(Level::Warn, comp, || {
            format!("timed out waiting for {name} (request open {waited:.0} ms)")
        });
        self.fail_call(job, edge);
    }

    /// Whether component `comp` can do without the answer of its wire `edge`.
    fn is_optional(&self, comp: usize, edge: usize) -> bool {
        self.topology.nodes[comp]
            .downstream
            .get(edge)
            .is_some_and(|e| e.optional)
    }

    /// A job's call over `edge` failed: the job fails, unless the wire is optional, when it
    /// carries on with the rest of its plan without the answer (a fallback).
    fn fail_call(&mut self, job: Key, edge: usize) {
        let Some(j) = self.jobs.get(job).copied() else {
            return;
        };
        if !self.is_optional(j.comp, edge) {
            // The plan stops at the failed call: its effect did not happen, so an idempotent
            // worker must not record the job as done (a redelivery has to send it again).
            if let Some(jm) = self.jobs.get_mut(job) {
                jm.stage = edge as u16;
            }
            self.end_job(job, Reply::status(Status::Error));
            return;
        }
        let to = self.topology.nodes[j.comp].downstream[edge].to;
        let name = self.topology.nodes[to].name.clone();
        self.metrics[j.comp].bump(Counter::Fallbacks);
        self.log(Level::Info, j.comp, || {
            format!("carrying on without {name} (optional)")
        });
        self.run_plan(job);
    }

    fn record_breaker(&mut self, comp: usize, edge: usize, failed: bool) {
        let Some(spec) = service_spec(self, comp).and_then(|s| s.circuit_breaker) else {
            return;
        };
        let Some(b) = self.breakers[comp].get_mut(edge) else {
            return;
        };
        if b.record(&spec, self.now, failed) {
            let to = self.topology.nodes[comp].downstream[edge].to;
            let name = self.topology.nodes[to].name.clone();
            self.log(Level::Warn, comp, || {
                format!("circuit to {name} opened after repeated failures")
            });
        }
    }

    /// Ends a service or worker job with its outcome: idempotency records, logs, answer.
    pub(crate) fn end_job(&mut self, job: Key, outcome: Reply) {
        let Some(&Job {
            comp,
            arrived,
            reply: kept,
            msg:
                Msg {
                    op,
                    key: item,
                    request,
                    keyed,
                    wants_contract,
                    ..
                },
            ..
        }) = self.jobs.get(job)
        else {
            return;
        };
        if matches!(self.topology.nodes[comp].spec, ComponentSpec::Workers(_)) {
            self.worker_end(job, outcome.status == Status::Ok);
            return;
        }
        let mut reply = outcome;
        if reply.status == Status::Ok {
            reply.version = kept.version;
            reply.value = kept.value;
        }
        if let Some(spec) = service_spec(self, comp) {
            let produced = self.mods[comp].contract.unwrap_or(spec.contract);
            reply.contract = match wants_contract {
                Some(v) if spec.versioned_contract && v <= produced => v,
                _ => produced,
            };
            let (mode, ttl_us) = (spec.idempotency, to_us(spec.idempotency_ttl_ms * 1_000.0));
            if keyed && mode != IdempotencyMode::Off {
                let now = self.now;
                if let State::Service(_, st) = &mut self.state[comp] {
                    st.settle(request, reply, now, ttl_us);
                }
            }
        }
        let took_ms = self.now.since(arrived) as f64 / 1_000.0;
        match reply.status {
            Status::Ok => {
                if self.observer.sample_access() {
                    self.log(Level::Info, comp, || {
                        format!("{} key={} 200 OK in {took_ms:.1} ms", op_name(op), item)
                    });
                }
            }
            Status::Conflict => {}
            _ => self.log(Level::Error, comp, || {
                format!("{} key={} 500 after {took_ms:.1} ms", op_name(op), item)
            }),
        }
        self.finish_job(job, reply);
    }
}

/// How an operation appears in access logs.
pub(crate) fn op_name(op: Op) -> &'static str {
    match op {
        Op::Read => "GET /items",
        Op::Write => "PUT /items",
        Op::Payment => "POST /payments",
        Op::Job => "POST /signup",
        Op::Purchase => "POST /orders",
    }
}
