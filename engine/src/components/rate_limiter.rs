//! A token-bucket rate limiter, global or per user, that answers 429 or delays what is over
//! the limit.

use crate::components::State;
use crate::observe::Level;
use crate::scenario::{LimitAction, LimitScope, RateLimiterSpec};
use crate::simulation::{Event, Job, Reply, Simulation, Status};
use crate::slab::Key;
use crate::time::{to_us, SimTime};

/// Token buckets: one, or one per user.
#[derive(Debug, Clone)]
pub(crate) struct LimiterState {
    buckets: Vec<(f64, SimTime)>,
}

impl LimiterState {
    pub fn new(spec: &RateLimiterSpec, total_users: u32) -> LimiterState {
        let n = match spec.scope {
            LimitScope::Global => 1,
            LimitScope::PerUser => total_users.max(1) as usize,
        };
        LimiterState {
            buckets: vec![(spec.burst, SimTime::ZERO); n],
        }
    }

    /// Makes sure there is a bucket for every user the scope needs.
    pub fn respec(&mut self, spec: &RateLimiterSpec, total_users: u32) {
        let n = match spec.scope {
            LimitScope::Global => 1,
            LimitScope::PerUser => total_users.max(1) as usize,
        };
        self.buckets.resize(n, (spec.burst, SimTime::ZERO));
    }
}

impl Simulation {
    /// Lets a call through, delays it, or refuses it with 429.
    pub(crate) fn limit(&mut self, call: Key) {
        let Some(c) = self.calls.get(call).copied() else {
            return;
        };
        let comp = c.callee;
        let crate::scenario::ComponentSpec::RateLimiter(spec) = &self.topology.nodes[comp].spec
        else {
            return;
        };
        let (rate, burst, scope, action, max_delay_ms) = (
            spec.rate_per_sec,
            spec.burst,
            spec.scope,
            spec.action,
            spec.max_delay_ms,
        );
        let now = self.now;
        let State::RateLimiter(st) = &mut self.state[comp] else {
            return;
        };
        let index = match scope {
            LimitScope::Global => 0,
            LimitScope::PerUser => c.msg.user as usize % st.buckets.len().max(1),
        };
        let Some(bucket) = st.buckets.get_mut(index) else {
            return;
        };
        let elapsed_s = now.since(bucket.1) as f64 / 1e6;
        bucket.0 = (bucket.0 + elapsed_s * rate).min(burst);
        bucket.1 = now;
        let delay_us = if bucket.0 >= 1.0 {
            bucket.0 -= 1.0;
            Some(0)
        } else if action == LimitAction::Delay && rate > 0.0 {
            let wait_s = (1.0 - bucket.0) / rate;
            if wait_s * 1_000.0 <= max_delay_ms {
                // The token is spent now; the request goes when it would have been earned.
                bucket.0 -= 1.0;
                Some(to_us(wait_s * 1e6))
            } else {
                None
            }
        } else {
            None
        };
        match delay_us {
            Some(us) => {
                let job = self.jobs.insert(Job::new(
                    comp,
                    Some(call),
                    None,
                    c.msg,
                    now,
                    self.epochs[comp],
                ));
                self.agenda
                    .schedule(now.plus_us(us), Event::Forward { job });
            }
            None => {
                self.metrics[comp].rejection();
                self.log(Level::Warn, comp, || {
                    "rate limit exceeded: answering 429".into()
                });
                self.answer(call, Reply::status(Status::Rejected));
            }
        }
    }
}
