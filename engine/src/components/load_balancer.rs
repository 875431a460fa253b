//! A load balancer: a proxy that picks one target per request (round robin, least connections
//! or random) and, with health checks on, skips crashed targets.

use crate::components::State;
use crate::observe::Level;
use crate::scenario::{Balance, ComponentSpec};
use crate::simulation::{Caller, Job, Reply, Simulation, Status, PROXY_TIMEOUT_US};
use crate::slab::Key;

/// Where the rotation stands and how many requests each target has in flight.
#[derive(Debug, Clone)]
pub(crate) struct BalancerState {
    next: usize,
    outstanding: Vec<u32>,
}

impl BalancerState {
    pub fn new(targets: usize) -> BalancerState {
        BalancerState {
            next: 0,
            outstanding: vec![0; targets],
        }
    }
}

impl Simulation {
    /// Picks a target for a call and forwards it.
    pub(crate) fn balance(&mut self, call: Key) {
        let Some(c) = self.calls.get(call).copied() else {
            return;
        };
        let lb = c.callee;
        let ComponentSpec::LoadBalancer(spec) = &self.topology.nodes[lb].spec else {
            return;
        };
        let (policy, health_checks) = (spec.policy, spec.health_checks);
        let edges = &self.topology.nodes[lb].downstream;
        let candidates: Vec<usize> = (0..edges.len())
            .filter(|&e| {
                edges[e].carries(c.msg.op) && !(health_checks && self.mods[edges[e].to].crashed)
            })
            .collect();
        if candidates.is_empty() {
            self.log(Level::Error, lb, || {
                "no healthy target: answering 503".into()
            });
            self.metrics[lb].error(0);
            self.answer(call, Reply::status(Status::Error));
            return;
        }
        let State::LoadBalancer(st) = &mut self.state[lb] else {
            return;
        };
        let edge = match policy {
            Balance::RoundRobin => {
                st.next = st.next.wrapping_add(1);
                candidates[st.next % candidates.len()]
            }
            Balance::LeastConnections => candidates
                .iter()
                .copied()
                .min_by_key(|&e| st.outstanding[e])
                .unwrap_or(candidates[0]),
            Balance::Random => candidates[self.rngs[lb].below(candidates.len() as u64) as usize],
        };
        if let State::LoadBalancer(st) = &mut self.state[lb] {
            st.outstanding[edge] += 1;
        }
        let mut job = Job::new(lb, Some(call), None, c.msg, self.now, self.epochs[lb]);
        job.stage = edge as u16;
        let job = self.jobs.insert(job);
        self.forward(job);
    }

    /// Sends a proxy job's request on to the target chosen in its `stage`.
    pub(crate) fn forward(&mut self, job: Key) {
        let Some(j) = self.live_job(job).copied() else {
            return;
        };
        let edge = j.stage as usize;
        let Some(to) = self.topology.nodes[j.comp]
            .downstream
            .get(edge)
            .map(|e| e.to)
        else {
            return;
        };
        let mut msg = j.msg;
        msg.parent_span = self.parent_span(&j);
        self.send(
            Caller::Job(job),
            j.comp,
            Some(edge),
            to,
            msg,
            Some(PROXY_TIMEOUT_US),
        );
    }

    /// The target answered: pass the answer back unchanged.
    pub(crate) fn proxy_answered(&mut self, job: Key, _callee: usize, reply: Reply) {
        let Some(j) = self.jobs.remove(job) else {
            return;
        };
        self.proxy_done(&j);
        self.record_finish(j.comp, j.arrived, reply.status == Status::Ok);
        if let Some(call) = j.call {
            self.answer(call, reply);
        }
    }

    /// The target never answered within the proxy's idle timeout: 504.
    pub(crate) fn proxy_give_up(&mut self, job: Key) {
        let Some(j) = self.jobs.remove(job) else {
            return;
        };
        self.proxy_done(&j);
        self.log(Level::Error, j.comp, || {
            "upstream timed out: answering 504".into()
        });
        self.record_finish(j.comp, j.arrived, false);
        if let Some(call) = j.call {
            self.answer(call, Reply::status(Status::Error));
        }
    }

    fn proxy_done(&mut self, j: &Job) {
        if let State::LoadBalancer(st) = &mut self.state[j.comp] {
            if let Some(n) = st.outstanding.get_mut(j.stage as usize) {
                *n = n.saturating_sub(1);
            }
        }
    }
}
