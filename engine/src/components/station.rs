//! A station: a fixed number of workers in front of a first-come-first-served waiting line.
//! Services, databases, replicas, worker pools and providers are all stations; what a worker
//! does with a job is up to the kind.

use crate::metrics::Counter;
use crate::observe::Level;
use crate::scenario::ComponentSpec;
use crate::simulation::{Call, Job, Reply, Simulation, Status};
use crate::slab::Key;
use std::collections::VecDeque;

/// Workers in use and the waiting line.
#[derive(Debug, Clone, Default)]
pub(crate) struct Station {
    pub queue: VecDeque<Key>,
    pub busy: u32,
}

impl Simulation {
    /// A call reaches a station: start it, queue it, or shed it when the line is full.
    pub(crate) fn admit(&mut self, call: Key) {
        let Some(&Call {
            callee: comp, msg, ..
        }) = self.calls.get(call)
        else {
            return;
        };
        let job = self.jobs.insert(Job::new(
            comp,
            Some(call),
            None,
            msg,
            self.now,
            self.epochs[comp],
        ));
        self.queue_or_start(job);
    }

    /// Puts a job in front of the station's workers.
    pub(crate) fn queue_or_start(&mut self, job: Key) {
        let Some(&Job {
            comp,
            call,
            delivery,
            ..
        }) = self.jobs.get(job)
        else {
            return;
        };
        let spec = &self.topology.nodes[comp].spec;
        let workers = spec.workers();
        let capacity = self.state[comp].capacity(spec);
        let Some(station) = self.state[comp].station_mut() else {
            return;
        };
        if station.busy < workers {
            station.busy += 1;
            if let Some(j) = self.jobs.get_mut(job) {
                j.holds_worker = true;
            }
            self.update_levels(comp);
            self.start_job(job);
        } else if capacity.is_some_and(|cap| station.queue.len() >= cap as usize) {
            self.jobs.remove(job);
            self.metrics[comp].rejection();
            self.log(Level::Warn, comp, || {
                "queue full: shedding request with 503".into()
            });
            match (call, delivery) {
                (Some(call), _) => self.answer(call, Reply::status(Status::Rejected)),
                (None, Some((queue, message, receipt))) => self.nack(queue, message, receipt),
                (None, None) => {}
            }
        } else {
            station.queue.push_back(job);
            self.update_levels(comp);
        }
    }

    /// Starts a job on a worker, by kind.
    fn start_job(&mut self, job: Key) {
        let Some(&Job { comp, arrived, .. }) = self.jobs.get(job) else {
            return;
        };
        self.metrics[comp].waited(self.now.since(arrived));
        match self.topology.nodes[comp].spec {
            ComponentSpec::Service(_) => self.service_start(job),
            ComponentSpec::Database(_) | ComponentSpec::Replica(_) => self.data_start(job),
            ComponentSpec::Workers(_) => self.worker_start(job),
            ComponentSpec::Provider(_) => self.provider_start(job),
            _ => {}
        }
    }

    /// A worker finished its own part of a job, by kind.
    pub(crate) fn work_done(&mut self, job: Key) {
        let Some(&Job { comp, .. }) = self.live_job(job) else {
            return;
        };
        match self.topology.nodes[comp].spec {
            ComponentSpec::Service(_) | ComponentSpec::Workers(_) => self.run_plan(job),
            ComponentSpec::Database(_) | ComponentSpec::Replica(_) => self.data_done(job),
            ComponentSpec::Provider(_) => self.provider_done(job),
            _ => {}
        }
    }

    /// Ends a job: records it, answers its caller, and hands the worker to the next in line.
    pub(crate) fn finish_job(&mut self, job: Key, reply: Reply) {
        let Some(&Job {
            comp,
            arrived,
            call,
            holds_worker,
            ..
        }) = self.jobs.get(job)
        else {
            return;
        };
        self.jobs.discard(job);
        let ok = reply.status == Status::Ok;
        self.record_finish(comp, arrived, ok);
        if reply.status == Status::Conflict {
            self.metrics[comp].bump(Counter::Conflicts);
        }
        if let Some(call) = call {
            self.answer(call, reply);
        }
        if holds_worker {
            self.release_worker(comp);
        }
    }

    /// A worker becomes free: it takes the next job in line, if any.
    pub(crate) fn release_worker(&mut self, comp: usize) {
        if let Some(station) = self.state[comp].station_mut() {
            station.busy = station.busy.saturating_sub(1);
        }
        self.fill_workers(comp);
        if matches!(self.topology.nodes[comp].spec, ComponentSpec::Workers(_)) {
            self.pull_for(comp);
        }
    }

    /// Free workers (one just released, or more added by a switch) take waiting jobs.
    pub(crate) fn fill_workers(&mut self, comp: usize) {
        let workers = self.topology.nodes[comp].spec.workers();
        let Some(station) = self.state[comp].station_mut() else {
            return;
        };
        // Usually one worker was freed: the first job to start needs no list (no allocation).
        let (mut first, mut rest) = (None, Vec::new());
        while station.busy < workers {
            let Some(next) = station.queue.pop_front() else {
                break;
            };
            station.busy += 1;
            match first {
                None => first = Some(next),
                Some(_) => rest.push(next),
            }
        }
        self.update_levels(comp);
        for next in first.into_iter().chain(rest) {
            if let Some(j) = self.jobs.get_mut(next) {
                j.holds_worker = true;
            }
            self.start_job(next);
        }
    }

    /// Tells the metrics the station's waiting line and busy workers now.
    pub(crate) fn update_levels(&mut self, comp: usize) {
        let (q, b) = match &self.state[comp] {
            crate::components::State::Queue(q) => (q.ready.len() as u32, q.invisible),
            other => match other.station() {
                Some(s) => (s.queue.len() as u32, s.busy),
                None => return,
            },
        };
        self.metrics[comp].set_levels(self.now, q, b);
    }

    /// A crash: everything waiting or in progress here is lost.
    pub(crate) fn crash_station(&mut self, comp: usize) {
        self.epochs[comp] = self.epochs[comp].wrapping_add(1);
        if let Some(station) = self.state[comp].station_mut() {
            let lost: Vec<Key> = station.queue.drain(..).collect();
            station.busy = 0;
            for job in lost {
                self.jobs.remove(job);
            }
        }
        self.update_levels(comp);
    }
}

impl Job {
    /// A new job at `comp`.
    pub(crate) fn new(
        comp: usize,
        call: Option<Key>,
        delivery: Option<(usize, Key, u32)>,
        msg: crate::simulation::Msg,
        now: crate::time::SimTime,
        epoch: u32,
    ) -> Job {
        Job {
            comp,
            call,
            delivery,
            msg,
            arrived: now,
            epoch,
            stage: 0,
            failed: false,
            holds_worker: false,
            reply: Reply::status(Status::Ok),
            conflicts: 0,
            fail_late: false,
        }
    }
}
