//! A client population: arrivals (Poisson or constant, ramps, spikes), a request mix over a
//! skewed key space, timeouts, retries with backoff, jitter and a budget, idempotency keys,
//! double submissions and answers lost on the way back, and per-user sessions that notice when
//! a read misses the user's own write.

use crate::metrics::Counter;
use crate::observe::Level;
use crate::scenario::{Arrival, ClientSpec, ComponentSpec, Jitter, Op};
use crate::simulation::{Caller, Msg, Reply, Request, Simulation, Status};
use crate::slab::Key;
use crate::time::{to_us, SimTime};

/// The last write one user made.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Session {
    key: u32,
    version: u64,
    at: Option<SimTime>,
}

/// Live state of a client population.
#[derive(Debug, Clone)]
pub(crate) struct ClientState {
    /// Bumped whenever the arrival rate changes, so the old arrival chain stops.
    pub generation: u32,
    /// Cumulative key popularity (empty: uniform).
    key_cdf: Vec<f64>,
    /// Cumulative request mix.
    mix_cdf: Vec<(f64, Op)>,
    sessions: Vec<Session>,
    retry_tokens: f64,
}

/// How long after the first a double submission comes, in ms (drawn evenly between): a double
/// click, or a second tap on a button that did not seem to answer.
const DOUBLE_SUBMIT_GAP_MS: (f64, f64) = (150.0, 500.0);

/// Most retry tokens a budget can save up.
const RETRY_TOKEN_CAP: f64 = 100.0;

impl ClientState {
    pub fn new(spec: &ClientSpec) -> ClientState {
        let mut state = ClientState {
            generation: 0,
            key_cdf: Vec::new(),
            mix_cdf: Vec::new(),
            sessions: Vec::new(),
            retry_tokens: 10.0,
        };
        state.respec(spec);
        state
    }

    /// Rebuilds what derives from the parameters.
    pub fn respec(&mut self, spec: &ClientSpec) {
        self.key_cdf.clear();
        if spec.key_skew > 0.0 && spec.keys > 1 {
            let mut total = 0.0;
            self.key_cdf.reserve(spec.keys as usize);
            for k in 0..spec.keys {
                total += 1.0 / libm::pow(f64::from(k) + 1.0, spec.key_skew);
                self.key_cdf.push(total);
            }
            for c in &mut self.key_cdf {
                *c /= total;
            }
        }
        let total: f64 = spec.mix.iter().map(|m| m.weight).sum();
        let mut acc = 0.0;
        self.mix_cdf = spec
            .mix
            .iter()
            .map(|m| {
                acc += m.weight / total;
                (acc, m.op)
            })
            .collect();
        if self.sessions.len() > spec.users as usize {
            self.sessions.truncate(spec.users as usize);
        }
    }

    fn pick_key(&self, u: f64, keys: u32) -> u32 {
        if self.key_cdf.is_empty() {
            return ((u * f64::from(keys)) as u32).min(keys.saturating_sub(1));
        }
        let i = self.key_cdf.partition_point(|&c| c < u);
        (i as u32).min(keys.saturating_sub(1))
    }

    fn pick_op(&self, u: f64) -> Op {
        self.mix_cdf
            .iter()
            .find(|(c, _)| u < *c)
            .or(self.mix_cdf.last())
            .map_or(Op::Read, |(_, op)| *op)
    }

    fn session(&self, user: u32) -> Session {
        self.sessions
            .get(user as usize)
            .copied()
            .unwrap_or_default()
    }
}

fn client_spec(sim: &Simulation, client: usize) -> Option<&ClientSpec> {
    match &sim.topology.nodes[client].spec {
        ComponentSpec::Client(c) => Some(c),
        _ => None,
    }
}

impl Simulation {
    fn client_state(&mut self, client: usize) -> Option<&mut ClientState> {
        match &mut self.state[client] {
            crate::components::State::Client(c) => Some(c),
            _ => None,
        }
    }

    /// The offered rate now, per second, with ramps and spikes applied.
    fn current_rate(&self, client: usize) -> f64 {
        let Some(spec) = client_spec(self, client) else {
            return 0.0;
        };
        let mut rate = spec.rate_per_sec;
        if let Some(to) = spec.ramp_to_per_sec {
            let t = self.now.as_secs();
            let share = if spec.ramp_s <= 0.0 {
                1.0
            } else {
                (t / spec.ramp_s).min(1.0)
            };
            rate += (to - rate) * share;
        }
        rate * self.mods[client].rate_multiplier
    }

    /// Starts (or restarts, after a rate change) the arrival chain of a client.
    pub(crate) fn arm_client(&mut self, client: usize) {
        let Some(state) = self.client_state(client) else {
            return;
        };
        state.generation = state.generation.wrapping_add(1);
        let generation = state.generation;
        self.schedule_arrival(client, generation);
    }

    fn schedule_arrival(&mut self, client: usize, generation: u32) {
        let rate = self.current_rate(client);
        let Some(spec) = client_spec(self, client) else {
            return;
        };
        let ramping = spec.ramp_to_per_sec.is_some() && self.now.as_secs() < spec.ramp_s;
        if rate <= 0.0 {
            if ramping {
                // The rate is zero only for now: look again shortly.
                self.agenda.schedule(
                    self.now.plus_us(100_000),
                    crate::simulation::Event::Arrive { client, generation },
                );
            }
            return;
        }
        let gap_us = match spec.arrival {
            Arrival::Poisson => to_us(self.rngs[client].exponential(1e6 / rate)),
            Arrival::Constant => to_us(1e6 / rate),
        };
        self.agenda.schedule(
            self.now.plus_us(gap_us.max(1)),
            crate::simulation::Event::Arrive { client, generation },
        );
    }

    pub(crate) fn arrive(&mut self, client: usize, generation: u32) {
        let Some(state) = self.client_state(client) else {
            return;
        };
        if state.generation != generation {
            return;
        }
        self.schedule_arrival(client, generation);
        if self.current_rate(client) <= 0.0 {
            return;
        }
        let Some(spec) = client_spec(self, client) else {
            return;
        };
        let (users, keys, idempotent, wants_contract, budget, twice) = (
            spec.users,
            spec.keys,
            spec.idempotency_keys,
            spec.accepts_contract,
            spec.retry.budget_ratio,
            spec.double_submit,
        );
        let one_op = spec.mix.len() == 1;
        let rng = &mut self.rngs[client];
        // Draw only what varies: a single-operation mix needs no draw for the operation.
        let u_op = if one_op { 0.0 } else { rng.uniform() };
        let (u_key, u_user) = (rng.uniform(), rng.below(u64::from(users)) as u32);
        let Some(state) = self.client_state(client) else {
            return;
        };
        let op = state.pick_op(u_op);
        let key = state.pick_key(u_key, keys);
        let session = state.session(u_user);
        if let Some(ratio) = budget {
            state.retry_tokens = (state.retry_tokens + ratio).min(RETRY_TOKEN_CAP);
        }
        let request = self.next_request;
        self.next_request += 1;
        let msg = Msg {
            request,
            attempt: 0,
            user: self.user_base[client] + u_user,
            op,
            key,
            keyed: idempotent,
            session_version: if session.key == key {
                session.version
            } else {
                0
            },
            wrote_at: session.at,
            wants_contract,
            rmw: None,
            trace: self.observer.start_trace(request),
            parent_span: None,
        };
        let key = self.requests.insert(Request {
            client,
            started: self.now,
            attempts: 0,
            msg,
        });
        self.ledger.entered += 1;
        self.ledger.in_flight += 1;
        self.metrics[client].arrival();
        self.attempt(key);
        if self.rngs[client].chance(twice) {
            self.submit_again(client, msg);
        }
    }

    /// The user sends the same request again a moment later (a double click, or a second tap
    /// on a button that seemed dead): a request of its own to the server, for the same logical
    /// payment (side effects count it as such) and with the same idempotency key.
    fn submit_again(&mut self, client: usize, msg: Msg) {
        let gap_ms = DOUBLE_SUBMIT_GAP_MS.0
            + (DOUBLE_SUBMIT_GAP_MS.1 - DOUBLE_SUBMIT_GAP_MS.0) * self.rngs[client].uniform();
        let at = self.now.plus_us(to_us(gap_ms * 1_000.0));
        let key = self.requests.insert(Request {
            client,
            started: at,
            attempts: 0,
            msg: Msg { trace: None, ..msg },
        });
        self.ledger.entered += 1;
        self.ledger.in_flight += 1;
        self.metrics[client].arrival();
        self.agenda
            .schedule(at, crate::simulation::Event::Attempt { request: key });
    }

    pub(crate) fn attempt(&mut self, request: Key) {
        let Some(r) = self.requests.get_mut(request) else {
            return;
        };
        r.attempts += 1;
        r.msg.attempt = r.attempts;
        let (client, msg, attempts) = (r.client, r.msg, r.attempts);
        self.metrics[client].bump(Counter::Attempts);
        if attempts > 1 {
            self.metrics[client].retry();
        }
        let Some(spec) = client_spec(self, client) else {
            return;
        };
        let timeout = spec.timeout_ms.map(|ms| to_us(ms * 1_000.0));
        let target = self.topology.nodes[client].downstream[0].to;
        self.send(
            Caller::Request(request),
            client,
            Some(0),
            target,
            msg,
            timeout,
        );
    }

    pub(crate) fn request_answered(&mut self, request: Key, reply: Reply) {
        let Some(&Request {
            client,
            started,
            msg:
                Msg {
                    request: id,
                    op,
                    key,
                    user,
                    session_version,
                    trace,
                    ..
                },
            ..
        }) = self.requests.get(request)
        else {
            return;
        };
        let mut status = reply.status;
        if status == Status::Ok {
            let (expected, loss) = client_spec(self, client)
                .map_or((None, 0.0), |c| (c.accepts_contract, c.reply_loss));
            if expected.is_some_and(|v| v != reply.contract) {
                self.metrics[client].bump(Counter::ContractErrors);
                status = Status::Error;
            } else if self.rngs[client].chance(loss) {
                // The work was done; the user never hears of it.
                self.observer
                    .note(trace, None, "reply lost on the way back");
                self.log(Level::Warn, client, || {
                    format!("the answer to request {id} was lost on the way back")
                });
                status = Status::Error;
            }
        }
        if status != Status::Ok {
            let outcome = if status == Status::Rejected {
                Outcome::Rejected
            } else {
                Outcome::Failed
            };
            self.attempt_failed(request, outcome);
            return;
        }
        self.requests.discard(request);
        if matches!(op, Op::Read) && reply.version < session_version {
            self.metrics[client].bump(Counter::StaleReads);
        }
        if matches!(op, Op::Write | Op::Purchase) && reply.version > 0 {
            let local = (user - self.user_base[client]) as usize;
            let now = self.now;
            if let Some(state) = self.client_state(client) {
                if state.sessions.len() <= local {
                    state.sessions.resize(local + 1, Session::default());
                }
                state.sessions[local] = Session {
                    key,
                    version: reply.version,
                    at: Some(now),
                };
            }
        }
        self.ledger.in_flight -= 1;
        self.ledger.succeeded += 1;
        self.record_finish(client, started, true);
    }

    pub(crate) fn request_timed_out(&mut self, request: Key) {
        if let Some(r) = self.requests.get(request) {
            self.metrics[r.client].timeout();
        }
        self.attempt_failed(request, Outcome::TimedOut);
    }

    /// An attempt failed: retry if the policy and budget allow,
    /// otherwise close the books on the request.
    fn attempt_failed(&mut self, request: Key, outcome: Outcome) {
        let Some(r) = self.requests.get(request).copied() else {
            return;
        };
        let client = r.client;
        let Some(spec) = client_spec(self, client) else {
            return;
        };
        let policy = spec.retry;
        if r.attempts < policy.max_attempts {
            let allowed = match (policy.budget_ratio, self.client_state(client)) {
                (Some(_), Some(state)) if state.retry_tokens >= 1.0 => {
                    state.retry_tokens -= 1.0;
                    true
                }
                (Some(_), _) => false,
                (None, _) => true,
            };
            if allowed {
                let base = policy.backoff_ms * f64::from(1u32 << (r.attempts - 1).min(16));
                let wait_ms = match policy.jitter {
                    Jitter::None => base,
                    Jitter::Full => base * self.rngs[client].uniform(),
                    Jitter::Equal => base / 2.0 + base / 2.0 * self.rngs[client].uniform(),
                };
                let at = self.now.plus_us(to_us(wait_ms * 1_000.0));
                self.agenda
                    .schedule(at, crate::simulation::Event::Attempt { request });
                return;
            }
        }
        self.requests.remove(request);
        self.ledger.in_flight -= 1;
        match outcome {
            Outcome::Rejected => {
                self.ledger.rejected += 1;
                self.metrics[client].rejection();
            }
            Outcome::TimedOut => {
                self.ledger.timed_out += 1;
                self.record_finish(client, r.started, false);
            }
            Outcome::Failed => {
                self.ledger.failed += 1;
                self.record_finish(client, r.started, false);
            }
        }
    }
}

/// How an attempt went wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Failed,
    Rejected,
    TimedOut,
}
