//! Component behaviour: one `State` enum of kinds, one file per kind, and the shared pieces
//! (a station of workers with a waiting line, circuit breakers, duration draws).
//!
//! State is an enum matched exhaustively rather than trait objects, so it can be cloned and
//! inspected and so every kind is visibly handled everywhere.

mod autoscale;
mod cache;
mod client;
mod database;
mod load_balancer;
mod provider;
mod queue;
mod rate_limiter;
mod service;
mod station;

pub(crate) use autoscale::Scaler;
pub(crate) use cache::CacheState;
pub(crate) use client::ClientState;
pub(crate) use database::{DatabaseState, ReplicaState};
pub(crate) use load_balancer::BalancerState;
pub(crate) use provider::{Horizon, ProviderState};
pub(crate) use queue::{QueueState, WorkersState};
pub(crate) use rate_limiter::LimiterState;
pub(crate) use service::KeyRecords;
pub(crate) use station::Station;

use crate::metrics::Levels;
use crate::rng::Rng;
use crate::scenario::{BreakerSpec, ComponentSpec, Dist};
use crate::time::{to_us, SimTime};
use crate::topology::Node;

/// Live state of one component; its parameters stay in the topology's `Node`.
#[derive(Debug, Clone)]
pub(crate) enum State {
    Client(ClientState),
    LoadBalancer(BalancerState),
    Service(Station, KeyRecords),
    RateLimiter(LimiterState),
    Cache(CacheState),
    Database(Station, DatabaseState),
    Replica(Station, ReplicaState),
    Queue(QueueState),
    Workers(Station, WorkersState),
    DeadLetter { size: u32 },
    Provider(Station, ProviderState),
}

impl State {
    /// Fresh state for a node; `total_users` sizes per-user structures.
    pub fn new(node: &Node, total_users: u32) -> State {
        match &node.spec {
            ComponentSpec::Client(c) => State::Client(ClientState::new(c)),
            ComponentSpec::LoadBalancer(_) => {
                State::LoadBalancer(BalancerState::new(node.downstream.len()))
            }
            ComponentSpec::Service(_) => State::Service(Station::default(), KeyRecords::default()),
            ComponentSpec::RateLimiter(r) => State::RateLimiter(LimiterState::new(r, total_users)),
            ComponentSpec::Cache(_) => State::Cache(CacheState::default()),
            ComponentSpec::Database(_) => {
                State::Database(Station::default(), DatabaseState::default())
            }
            ComponentSpec::Replica(_) => {
                State::Replica(Station::default(), ReplicaState::default())
            }
            ComponentSpec::Queue(_) => State::Queue(QueueState::default()),
            ComponentSpec::Workers(_) => {
                State::Workers(Station::default(), WorkersState::default())
            }
            ComponentSpec::DeadLetter(_) => State::DeadLetter { size: 0 },
            ComponentSpec::Provider(_) => {
                State::Provider(Station::default(), ProviderState::default())
            }
        }
    }

    /// The station of a kind that has workers and a waiting line.
    pub fn station(&self) -> Option<&Station> {
        match self {
            State::Service(s, _)
            | State::Database(s, _)
            | State::Replica(s, _)
            | State::Workers(s, _)
            | State::Provider(s, _) => Some(s),
            _ => None,
        }
    }

    /// Mutable access to the station.
    pub fn station_mut(&mut self) -> Option<&mut Station> {
        match self {
            State::Service(s, _)
            | State::Database(s, _)
            | State::Replica(s, _)
            | State::Workers(s, _)
            | State::Provider(s, _) => Some(s),
            _ => None,
        }
    }

    /// The capacity of the waiting line, if bounded.
    pub fn capacity(&self, spec: &ComponentSpec) -> Option<u32> {
        match spec {
            ComponentSpec::Service(s) => s.queue_capacity,
            ComponentSpec::Database(d) => d.queue_capacity,
            ComponentSpec::Queue(q) => q.capacity,
            _ => None,
        }
    }

    /// Levels reported when a window closes.
    pub fn window_levels(&self, _spec: &ComponentSpec) -> Levels {
        match self {
            State::DeadLetter { size } => Levels {
                dlq_size: *size,
                ..Levels::default()
            },
            State::Database(_, db) => Levels {
                oversold: db.oversold(),
                ..Levels::default()
            },
            _ => Levels::default(),
        }
    }
}

/// Draws a duration in milliseconds.
pub(crate) fn draw(rng: &mut Rng, dist: &Dist) -> f64 {
    match *dist {
        Dist::Constant { ms } => ms,
        Dist::Exponential { mean_ms } => rng.exponential(mean_ms),
        Dist::Lognormal { median_ms, sigma } => {
            median_ms * libm::exp(sigma * rng.standard_normal())
        }
    }
}

/// A circuit breaker on one downstream wire: closed, open until a time, or half open with one
/// trial call out.
#[derive(Debug, Clone, Default)]
pub(crate) struct Breaker {
    /// Outcomes of the most recent calls, newest last (true: failed).
    recent: std::collections::VecDeque<bool>,
    open_until: Option<SimTime>,
    trial_out: bool,
}

impl Breaker {
    /// Whether calls are refused at `now`.
    pub fn is_open(&self, now: SimTime) -> bool {
        self.open_until.is_some_and(|t| now < t)
    }

    /// Whether a call may go out now; in half-open state only one trial at a time.
    pub fn admit(&mut self, now: SimTime) -> bool {
        match self.open_until {
            None => true,
            Some(t) if now < t => false,
            Some(_) if self.trial_out => false,
            Some(_) => {
                self.trial_out = true;
                true
            }
        }
    }

    /// Records a call's outcome; returns true when this outcome opened the circuit.
    pub fn record(&mut self, spec: &BreakerSpec, now: SimTime, failed: bool) -> bool {
        if self.open_until.is_some() && self.trial_out {
            // The half-open trial decides: close on success, open again on failure.
            self.trial_out = false;
            if failed {
                self.open_until = Some(now.plus_us(to_us(spec.open_ms * 1_000.0)));
                return true;
            }
            self.open_until = None;
            self.recent.clear();
            return false;
        }
        self.recent.push_back(failed);
        while self.recent.len() > spec.window_calls as usize {
            self.recent.pop_front();
        }
        let failures = self.recent.iter().filter(|f| **f).count();
        let full = self.recent.len() >= spec.window_calls as usize;
        if self.open_until.is_none()
            && full
            && failures as f64 >= spec.failure_ratio * self.recent.len() as f64
        {
            self.open_until = Some(now.plus_us(to_us(spec.open_ms * 1_000.0)));
            self.recent.clear();
            return true;
        }
        false
    }
}
