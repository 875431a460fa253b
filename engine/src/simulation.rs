//! The running simulation: `new`, `step`, `run_until`, `run_until_bounded`, `metrics`, `snapshot`.
//!
//! Requests move as *calls*: a caller (a client's request, or a service's job waiting on a
//! downstream) sends a call to a callee, which queues it, works on it, makes its own downstream
//! calls in order while holding its worker (synchronous calls tie up capacity, which is how
//! cascades happen), and answers. A caller that times out forgets the call; the callee does not
//! know and finishes the work anyway, just as a real server would.

use crate::agenda::Agenda;
use crate::metrics::ComponentMetrics;
use crate::rng::Rng;
use crate::scenario::{Arrival, ClientSpec, ComponentSpec, Dist, Scenario, ServiceSpec};
use crate::slab::{Key, Slab};
use crate::time::{to_us, SimTime};
use crate::topology::{ScenarioError, Topology};
use serde::{Deserialize, Serialize};
use std::collections::VecDeque;

/// How many closed windows each component keeps (30 minutes at the default 100 ms).
pub const HISTORY_WINDOWS: usize = 18_000;

/// How a call ended, as the caller sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reply {
    Ok,
    Error,
    Rejected,
}

/// Who is waiting for a call's answer.
#[derive(Debug, Clone, Copy)]
enum Caller {
    /// A client's logical request.
    Request(Key),
    /// A service job waiting on a downstream.
    Job(Key),
}

#[derive(Debug, Clone, Copy)]
struct Call {
    caller: Caller,
    callee: usize,
}

/// One logical request of a client population, across its attempts.
#[derive(Debug, Clone, Copy)]
struct Request {
    client: usize,
    started: SimTime,
    attempts: u32,
}

/// A service's handling of one incoming call.
#[derive(Debug, Clone, Copy)]
struct Job {
    service: usize,
    call: Key,
    arrived: SimTime,
    next_downstream: usize,
    failed: bool,
}

#[derive(Debug, Clone, Copy)]
enum Event {
    /// A client population produces a new request.
    Arrive { client: usize },
    /// A request sends (or re-sends) an attempt.
    Attempt { request: Key },
    /// A call reaches its callee.
    Deliver { call: Key },
    /// A job's own work is finished.
    WorkDone { job: Key },
    /// An answer reaches the caller.
    Respond { call: Key, reply: Reply },
    /// A caller stops waiting.
    CallTimeout { call: Key },
    /// The metrics window closes.
    WindowClose,
}

/// Live state of one component.
#[derive(Debug, Clone)]
enum State {
    Client {
        spec: ClientSpec,
        target: usize,
        next_arrival_armed: bool,
    },
    Service {
        spec: ServiceSpec,
        queue: VecDeque<Key>,
        busy: u32,
    },
}

/// Every logical request ends in exactly one of these; the books balance at every instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Ledger {
    /// Requests that entered (created by clients).
    pub entered: u64,
    /// Answered successfully.
    pub succeeded: u64,
    /// Answered with an error after the last attempt.
    pub failed: u64,
    /// Refused (shed or rate limited) on the last attempt.
    pub rejected: u64,
    /// The last attempt timed out.
    pub timed_out: u64,
    /// Not finished yet.
    pub in_flight: u64,
}

impl Ledger {
    /// True when every request that entered is counted exactly once.
    pub fn balances(&self) -> bool {
        self.entered
            == self.succeeded + self.failed + self.rejected + self.timed_out + self.in_flight
    }
}

/// What the canvas draws for one component.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ComponentSnapshot {
    /// The id as written.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Kind as written in files.
    pub kind: String,
    /// Waiting requests now.
    pub queue_depth: u32,
    /// Capacity of the waiting line, if bounded.
    pub queue_capacity: Option<u32>,
    /// Busy workers now.
    pub in_service: u32,
    /// Worker count (zero for clients).
    pub workers: u32,
}

/// Plain data describing the system now, for drawing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    /// Simulated time, in milliseconds.
    pub now_ms: f64,
    /// One entry per component, in scenario order.
    pub components: Vec<ComponentSnapshot>,
    /// The request ledger.
    pub ledger: Ledger,
}

/// A running simulation of one scenario.
#[derive(Debug, Clone)]
pub struct Simulation {
    topology: Topology,
    state: Vec<State>,
    rngs: Vec<Rng>,
    metrics: Vec<ComponentMetrics>,
    agenda: Agenda<Event>,
    requests: Slab<Request>,
    jobs: Slab<Job>,
    calls: Slab<Call>,
    ledger: Ledger,
    now: SimTime,
    end: SimTime,
    window_us: u64,
    window_start: SimTime,
    version: u64,
    events: u64,
}

impl Simulation {
    /// Validates the scenario and sets up the run at time zero.
    pub fn new(scenario: &Scenario) -> Result<Simulation, ScenarioError> {
        let topology = Topology::build(scenario)?;
        let mut agenda = Agenda::default();
        let mut state = Vec::with_capacity(topology.nodes.len());
        let mut rngs = Vec::with_capacity(topology.nodes.len());
        let mut metrics = Vec::with_capacity(topology.nodes.len());
        for (i, node) in topology.nodes.iter().enumerate() {
            rngs.push(Rng::stream(scenario.seed, &node.id));
            match &node.spec {
                ComponentSpec::Client(spec) => {
                    let armed = spec.rate_per_sec > 0.0;
                    if armed {
                        agenda.schedule(SimTime::ZERO, Event::Arrive { client: i });
                    }
                    metrics.push(ComponentMetrics::new(0, HISTORY_WINDOWS));
                    state.push(State::Client {
                        spec: spec.clone(),
                        target: node.downstream.first().copied().unwrap_or(i),
                        next_arrival_armed: armed,
                    });
                }
                ComponentSpec::Service(spec) => {
                    metrics.push(ComponentMetrics::new(spec.workers, HISTORY_WINDOWS));
                    state.push(State::Service {
                        spec: spec.clone(),
                        queue: VecDeque::new(),
                        busy: 0,
                    });
                }
            }
        }
        let window_us = to_us(scenario.window_ms * 1_000.0).max(1_000);
        agenda.schedule(SimTime(window_us), Event::WindowClose);
        Ok(Simulation {
            topology,
            state,
            rngs,
            metrics,
            agenda,
            requests: Slab::default(),
            jobs: Slab::default(),
            calls: Slab::default(),
            ledger: Ledger::default(),
            now: SimTime::ZERO,
            end: SimTime::from_secs(scenario.duration_s),
            window_us,
            window_start: SimTime::ZERO,
            version: 0,
            events: 0,
        })
    }

    /// Simulated time now.
    pub fn now(&self) -> SimTime {
        self.now
    }

    /// The end of a full run, from the scenario's duration.
    pub fn end(&self) -> SimTime {
        self.end
    }

    /// Events processed so far.
    pub fn events_processed(&self) -> u64 {
        self.events
    }

    /// Changes whenever a metrics window closes: the app redraws charts when it moves.
    pub fn version(&self) -> u64 {
        self.version
    }

    /// Per-component metrics, in scenario order.
    pub fn metrics(&self) -> &[ComponentMetrics] {
        &self.metrics
    }

    /// The request ledger now.
    pub fn ledger(&self) -> Ledger {
        self.ledger
    }

    /// The validated graph.
    pub fn topology(&self) -> &Topology {
        &self.topology
    }

    /// Processes the next event; false when nothing is left to do.
    pub fn step(&mut self) -> bool {
        let Some((at, event)) = self.agenda.pop() else {
            return false;
        };
        self.now = at;
        self.events += 1;
        self.handle(event);
        true
    }

    /// Processes every event up to and including `deadline`, then sets the clock to it.
    pub fn run_until(&mut self, deadline: SimTime) {
        while self.agenda.peek_time().is_some_and(|t| t <= deadline) {
            self.step();
        }
        self.now = self.now.max(deadline);
    }

    /// Like `run_until` but stops after `max_events`; true when the deadline was reached.
    /// A UI frame uses this to stay inside its time budget whatever the load.
    pub fn run_until_bounded(&mut self, deadline: SimTime, max_events: u64) -> bool {
        let mut left = max_events;
        while self.agenda.peek_time().is_some_and(|t| t <= deadline) {
            if left == 0 {
                return false;
            }
            self.step();
            left -= 1;
        }
        self.now = self.now.max(deadline);
        true
    }

    /// Runs to the scenario's end.
    pub fn run(&mut self) {
        self.run_until(self.end);
    }

    /// Plain data for drawing the canvas.
    pub fn snapshot(&self) -> Snapshot {
        let components = self
            .topology
            .nodes
            .iter()
            .zip(&self.state)
            .zip(&self.metrics)
            .map(|((node, state), m)| {
                let (queue_capacity, workers) = match state {
                    State::Client { .. } => (None, 0),
                    State::Service { spec, .. } => (spec.queue_capacity, spec.workers),
                };
                ComponentSnapshot {
                    id: node.id.clone(),
                    name: node.name.clone(),
                    kind: node.spec.kind_name().to_string(),
                    queue_depth: m.queue_depth(),
                    queue_capacity,
                    in_service: m.in_service(),
                    workers,
                }
            })
            .collect();
        Snapshot {
            now_ms: self.now.as_ms(),
            components,
            ledger: self.ledger,
        }
    }

    fn handle(&mut self, event: Event) {
        match event {
            Event::Arrive { client } => self.arrive(client),
            Event::Attempt { request } => self.attempt(request),
            Event::Deliver { call } => self.deliver(call),
            Event::WorkDone { job } => self.work_done(job),
            Event::Respond { call, reply } => self.respond(call, reply),
            Event::CallTimeout { call } => self.call_timeout(call),
            Event::WindowClose => self.close_window(),
        }
    }

    fn close_window(&mut self) {
        let end = self.now;
        for m in &mut self.metrics {
            m.close_window(self.window_start, end);
        }
        self.window_start = end;
        self.version += 1;
        self.agenda
            .schedule(end.plus_us(self.window_us), Event::WindowClose);
    }

    fn arrive(&mut self, client: usize) {
        let State::Client {
            spec,
            next_arrival_armed,
            ..
        } = &self.state[client]
        else {
            return;
        };
        let gap_us = match spec.arrival {
            Arrival::Poisson => to_us(self.rngs[client].exponential(1e6 / spec.rate_per_sec)),
            Arrival::Constant => to_us(1e6 / spec.rate_per_sec),
        };
        if *next_arrival_armed {
            self.agenda
                .schedule(self.now.plus_us(gap_us.max(1)), Event::Arrive { client });
        }
        let request = self.requests.insert(Request {
            client,
            started: self.now,
            attempts: 0,
        });
        self.ledger.entered += 1;
        self.ledger.in_flight += 1;
        self.metrics[client].arrival();
        self.attempt(request);
    }

    fn attempt(&mut self, request: Key) {
        let Some(r) = self.requests.get_mut(request) else {
            return;
        };
        r.attempts += 1;
        let client = r.client;
        if r.attempts > 1 {
            self.metrics[client].retry();
        }
        let State::Client { spec, target, .. } = &self.state[client] else {
            return;
        };
        let timeout = spec.timeout_ms;
        let target = *target;
        self.send(Caller::Request(request), target, timeout);
    }

    fn send(&mut self, caller: Caller, callee: usize, timeout_ms: Option<f64>) {
        let call = self.calls.insert(Call { caller, callee });
        self.agenda.schedule(self.now, Event::Deliver { call });
        if let Some(ms) = timeout_ms {
            self.agenda.schedule(
                self.now.plus_us(to_us(ms * 1_000.0).max(1)),
                Event::CallTimeout { call },
            );
        }
    }

    fn deliver(&mut self, call: Key) {
        let Some(&Call { callee, .. }) = self.calls.get(call) else {
            return;
        };
        self.metrics[callee].arrival();
        let job = Job {
            service: callee,
            call,
            arrived: self.now,
            next_downstream: 0,
            failed: false,
        };
        let State::Service { spec, queue, busy } = &mut self.state[callee] else {
            self.agenda.schedule(
                self.now,
                Event::Respond {
                    call,
                    reply: Reply::Error,
                },
            );
            return;
        };
        if *busy < spec.workers {
            *busy += 1;
            let key = self.jobs.insert(job);
            self.start_work(key);
        } else if spec
            .queue_capacity
            .is_some_and(|cap| queue.len() >= cap as usize)
        {
            self.metrics[callee].rejection();
            self.agenda.schedule(
                self.now,
                Event::Respond {
                    call,
                    reply: Reply::Rejected,
                },
            );
        } else {
            let key = self.jobs.insert(job);
            queue.push_back(key);
        }
        self.update_levels(callee);
    }

    fn update_levels(&mut self, component: usize) {
        if let State::Service { queue, busy, .. } = &self.state[component] {
            let (q, b) = (queue.len() as u32, *busy);
            self.metrics[component].set_levels(self.now, q, b);
        }
    }

    fn start_work(&mut self, job: Key) {
        let Some(j) = self.jobs.get_mut(job) else {
            return;
        };
        let service = j.service;
        let State::Service { spec, .. } = &self.state[service] else {
            return;
        };
        self.metrics[service].waited(self.now.since(j.arrived));
        let rng = &mut self.rngs[service];
        let ms = draw(rng, &spec.service_time);
        j.failed = rng.chance(spec.error_probability);
        self.agenda.schedule(
            self.now.plus_us(to_us(ms * 1_000.0)),
            Event::WorkDone { job },
        );
    }

    fn work_done(&mut self, job: Key) {
        let Some(j) = self.jobs.get(job) else { return };
        if j.failed {
            self.finish_job(job, Reply::Error);
        } else {
            self.call_next_downstream(job);
        }
    }

    fn call_next_downstream(&mut self, job: Key) {
        let Some(j) = self.jobs.get_mut(job) else {
            return;
        };
        let service = j.service;
        let next = self.topology.nodes[service]
            .downstream
            .get(j.next_downstream)
            .copied();
        match next {
            Some(callee) => {
                j.next_downstream += 1;
                let timeout = match &self.state[service] {
                    State::Service { spec, .. } => spec.call_timeout_ms,
                    State::Client { .. } => None,
                };
                self.send(Caller::Job(job), callee, timeout);
            }
            None => self.finish_job(job, Reply::Ok),
        }
    }

    fn finish_job(&mut self, job: Key, reply: Reply) {
        let Some(j) = self.jobs.remove(job) else {
            return;
        };
        let latency = self.now.since(j.arrived);
        match reply {
            Reply::Ok => self.metrics[j.service].completion(latency),
            Reply::Error | Reply::Rejected => self.metrics[j.service].error(latency),
        }
        self.agenda.schedule(
            self.now,
            Event::Respond {
                call: j.call,
                reply,
            },
        );
        if let State::Service { queue, busy, .. } = &mut self.state[j.service] {
            match queue.pop_front() {
                Some(next) => self.start_work(next),
                None => *busy -= 1,
            }
        }
        self.update_levels(j.service);
    }

    fn respond(&mut self, call: Key, reply: Reply) {
        let Some(c) = self.calls.remove(call) else {
            return;
        };
        match c.caller {
            Caller::Request(request) => self.request_answered(request, reply),
            Caller::Job(job) => match reply {
                Reply::Ok => self.call_next_downstream(job),
                Reply::Error | Reply::Rejected => self.finish_job(job, Reply::Error),
            },
        }
    }

    fn call_timeout(&mut self, call: Key) {
        let Some(c) = self.calls.remove(call) else {
            return;
        };
        match c.caller {
            Caller::Request(request) => {
                if let Some(r) = self.requests.get(request) {
                    self.metrics[r.client].timeout();
                }
                self.request_failed(request, Outcome::TimedOut);
            }
            Caller::Job(job) => {
                if let Some(j) = self.jobs.get(job) {
                    self.metrics[j.service].timeout();
                }
                self.finish_job(job, Reply::Error);
            }
        }
    }

    fn request_answered(&mut self, request: Key, reply: Reply) {
        match reply {
            Reply::Ok => {
                let Some(r) = self.requests.remove(request) else {
                    return;
                };
                self.metrics[r.client].completion(self.now.since(r.started));
                self.ledger.in_flight -= 1;
                self.ledger.succeeded += 1;
            }
            Reply::Error => self.request_failed(request, Outcome::Failed),
            Reply::Rejected => self.request_failed(request, Outcome::Rejected),
        }
    }

    /// An attempt failed: retry after backoff if attempts remain, otherwise close the books.
    fn request_failed(&mut self, request: Key, outcome: Outcome) {
        let Some(r) = self.requests.get(request) else {
            return;
        };
        let client = r.client;
        let State::Client { spec, .. } = &self.state[client] else {
            return;
        };
        if r.attempts < spec.max_attempts {
            let backoff_ms = spec.backoff_ms * f64::from(1u32 << (r.attempts - 1).min(16));
            self.agenda.schedule(
                self.now.plus_us(to_us(backoff_ms * 1_000.0)),
                Event::Attempt { request },
            );
            return;
        }
        let Some(r) = self.requests.remove(request) else {
            return;
        };
        let m = &mut self.metrics[client];
        self.ledger.in_flight -= 1;
        match outcome {
            Outcome::Failed => {
                self.ledger.failed += 1;
                m.error(self.now.since(r.started));
            }
            Outcome::Rejected => {
                self.ledger.rejected += 1;
                m.rejection();
            }
            Outcome::TimedOut => self.ledger.timed_out += 1,
        }
    }
}

/// How a request's last attempt ended badly.
#[derive(Debug, Clone, Copy)]
enum Outcome {
    Failed,
    Rejected,
    TimedOut,
}

/// Draws a duration in milliseconds.
fn draw(rng: &mut Rng, dist: &Dist) -> f64 {
    match *dist {
        Dist::Constant { ms } => ms,
        Dist::Exponential { mean_ms } => rng.exponential(mean_ms),
        Dist::Lognormal { median_ms, sigma } => {
            median_ms * libm::exp(sigma * rng.standard_normal())
        }
    }
}
