//! Metrics aggregated into fixed windows of simulated time.
//!
//! Every component accumulates counts and time-weighted levels for the window in progress; when
//! the window closes its summary goes into a ring buffer of bounded length, so memory depends on
//! the configured history and never on how many events a run processes. Whole-run totals and a
//! whole-run latency histogram are kept beside it for goals and accuracy checks.

use crate::histogram::Histogram;
use crate::time::SimTime;
use serde::{Deserialize, Serialize};
use std::collections::VecDeque;

/// Summary of one component over one closed window.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct Window {
    /// Start of the window, in simulated milliseconds.
    pub start_ms: f64,
    /// Requests that reached the component (for a client: new requests offered).
    pub arrivals: u32,
    /// Requests answered successfully (for a client: requests that finally succeeded).
    pub completions: u32,
    /// Requests answered with an error.
    pub errors: u32,
    /// Requests refused because the component was full.
    pub rejections: u32,
    /// Calls this component made that it gave up waiting for.
    pub timeouts: u32,
    /// Attempts beyond the first (clients).
    pub retries: u32,
    /// Time-weighted mean of the waiting line.
    pub queue_depth_avg: f32,
    /// Largest waiting line seen.
    pub queue_depth_max: u32,
    /// Share of worker time busy, 0 to 1.
    pub utilisation: f32,
    /// Latency percentiles of requests finished in this window, in milliseconds.
    pub p50_ms: f32,
    /// See `p50_ms`.
    pub p95_ms: f32,
    /// See `p50_ms`.
    pub p99_ms: f32,
    /// Largest latency finished in this window, in milliseconds.
    pub max_ms: f32,
    /// Attempts a client sent (first tries and retries).
    pub attempts: u32,
    /// Side effects performed (a provider's charges or emails).
    pub effects: u32,
    /// Side effects beyond the first for the same logical key.
    pub duplicates: u32,
    /// Reads older than they should be: behind the user's own write, or a cache entry behind
    /// the database.
    pub stale_reads: u32,
    /// Writes that overwrote a change they never saw.
    pub lost_updates: u32,
    /// Version conflicts and in-progress refusals (409).
    pub conflicts: u32,
    /// Cache hits.
    pub hits: u32,
    /// Cache misses.
    pub misses: u32,
    /// Messages moved to a dead-letter queue.
    pub dead_lettered: u32,
    /// Jobs lost without a trace.
    pub dropped: u32,
    /// Answers that could not be read (a contract mismatch).
    pub contract_errors: u32,
    /// Calls refused at once by an open circuit breaker.
    pub short_circuits: u32,
    /// Mean replication delay of the changes applied in this window, in milliseconds.
    pub lag_ms: f32,
    /// Messages held by a dead-letter queue at the end of the window.
    pub dlq_size: u32,
    /// Items sold beyond the stock so far (a database).
    pub oversold: u32,
    /// Whether a circuit breaker of this component was open at the end of the window.
    pub circuit_open: bool,
    /// Workers serving at the end of the window, for a component that autoscales (None
    /// otherwise, and then left out of files, so fixed-size runs read and hash as before).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workers: Option<u32>,
    /// Optional calls that failed or timed out, after which the caller carried on without the
    /// answer (left out of files when zero, so runs without optional wires hash as before).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub fallbacks: u32,
    /// Fire-and-forget hand-offs from this component that failed or were lost: work its caller
    /// was told was done that did not happen (left out of files when zero).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub handoffs_failed: u32,
    /// Answers in a format this component was not written for that it read anyway (a tolerant
    /// reader): no error, but data read wrong (left out of files when zero).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub misreads: u32,
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

/// Counters a component can bump; each has a field in [`Window`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Counter {
    /// See [`Window::attempts`].
    Attempts,
    /// See [`Window::effects`].
    Effects,
    /// See [`Window::duplicates`].
    Duplicates,
    /// See [`Window::stale_reads`].
    StaleReads,
    /// See [`Window::lost_updates`].
    LostUpdates,
    /// See [`Window::conflicts`].
    Conflicts,
    /// See [`Window::hits`].
    Hits,
    /// See [`Window::misses`].
    Misses,
    /// See [`Window::dead_lettered`].
    DeadLettered,
    /// See [`Window::dropped`].
    Dropped,
    /// See [`Window::contract_errors`].
    ContractErrors,
    /// See [`Window::short_circuits`].
    ShortCircuits,
    /// See [`Window::fallbacks`].
    Fallbacks,
    /// See [`Window::handoffs_failed`].
    HandoffsFailed,
    /// See [`Window::misreads`].
    Misreads,
}

/// Levels a component reports when a window closes.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Levels {
    /// See [`Window::dlq_size`].
    pub dlq_size: u32,
    /// See [`Window::oversold`].
    pub oversold: u32,
}

/// Whole-run counters of one component.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct Totals {
    /// See [`Window::arrivals`].
    pub arrivals: u64,
    /// See [`Window::completions`].
    pub completions: u64,
    /// See [`Window::errors`].
    pub errors: u64,
    /// See [`Window::rejections`].
    pub rejections: u64,
    /// See [`Window::timeouts`].
    pub timeouts: u64,
    /// See [`Window::retries`].
    pub retries: u64,
    /// See [`Window::attempts`].
    pub attempts: u64,
    /// See [`Window::effects`].
    pub effects: u64,
    /// See [`Window::duplicates`].
    pub duplicates: u64,
    /// See [`Window::stale_reads`].
    pub stale_reads: u64,
    /// See [`Window::lost_updates`].
    pub lost_updates: u64,
    /// See [`Window::conflicts`].
    pub conflicts: u64,
    /// See [`Window::hits`].
    pub hits: u64,
    /// See [`Window::misses`].
    pub misses: u64,
    /// See [`Window::dead_lettered`].
    pub dead_lettered: u64,
    /// See [`Window::dropped`].
    pub dropped: u64,
    /// See [`Window::contract_errors`].
    pub contract_errors: u64,
    /// See [`Window::short_circuits`].
    pub short_circuits: u64,
    /// See [`Window::fallbacks`].
    #[serde(default, skip_serializing_if = "is_zero_total")]
    pub fallbacks: u64,
    /// See [`Window::handoffs_failed`].
    #[serde(default, skip_serializing_if = "is_zero_total")]
    pub handoffs_failed: u64,
    /// See [`Window::misreads`].
    #[serde(default, skip_serializing_if = "is_zero_total")]
    pub misreads: u64,
}

fn is_zero_total(n: &u64) -> bool {
    *n == 0
}

/// The running accumulators and history of one component.
#[derive(Debug, Clone)]
pub struct ComponentMetrics {
    window: Window,
    window_latency: Histogram,
    queue_depth: u32,
    in_service: u32,
    workers: u32,
    last_change: SimTime,
    window_queue_area: f64,
    window_busy_area: f64,
    run_busy_area: f64,
    run_in_system_area: f64,
    run_latency_sum_us: f64,
    run_latency_count: u64,
    run_wait_sum_us: f64,
    run_wait_count: u64,
    window_lag_sum_ms: f64,
    window_lag_count: u32,
    /// Whole-run latency of every finished request, in microseconds.
    pub latency: Histogram,
    /// Whole-run counters.
    pub totals: Totals,
    /// Closed windows, oldest first, at most `history` of them.
    pub history: VecDeque<Window>,
    history_limit: usize,
}

impl ComponentMetrics {
    /// Fresh metrics for a component with `workers` parallel servers (zero for clients).
    pub fn new(workers: u32, history_limit: usize) -> Self {
        ComponentMetrics {
            window: Window::default(),
            // Allocated at the first finished request: a client or a queue never needs them.
            window_latency: Histogram::empty(),
            queue_depth: 0,
            in_service: 0,
            workers,
            last_change: SimTime::ZERO,
            window_queue_area: 0.0,
            window_busy_area: 0.0,
            run_busy_area: 0.0,
            run_in_system_area: 0.0,
            run_latency_sum_us: 0.0,
            run_latency_count: 0,
            run_wait_sum_us: 0.0,
            run_wait_count: 0,
            window_lag_sum_ms: 0.0,
            window_lag_count: 0,
            latency: Histogram::empty(),
            totals: Totals::default(),
            // Grown as windows close: a short run never holds room for a long one.
            history: VecDeque::new(),
            history_limit,
        }
    }

    /// Integrates the time-weighted levels up to `now`.
    fn advance(&mut self, now: SimTime) {
        let dt = now.since(self.last_change) as f64;
        if dt > 0.0 {
            self.window_queue_area += f64::from(self.queue_depth) * dt;
            self.window_busy_area += f64::from(self.in_service) * dt;
            self.run_busy_area += f64::from(self.in_service) * dt;
            self.run_in_system_area += f64::from(self.queue_depth + self.in_service) * dt;
            self.last_change = now;
        }
    }

    /// Sets the waiting line and the busy workers as of `now`.
    pub fn set_levels(&mut self, now: SimTime, queue_depth: u32, in_service: u32) {
        self.advance(now);
        self.queue_depth = queue_depth;
        self.in_service = in_service;
        self.window.queue_depth_max = self.window.queue_depth_max.max(queue_depth);
    }

    /// Counts one arrival.
    pub fn arrival(&mut self) {
        self.window.arrivals += 1;
        self.totals.arrivals += 1;
    }

    /// Counts one success that took `latency_us`.
    pub fn completion(&mut self, latency_us: u64) {
        self.window.completions += 1;
        self.totals.completions += 1;
        self.finished(latency_us);
    }

    /// Counts one error answer that took `latency_us`.
    pub fn error(&mut self, latency_us: u64) {
        self.window.errors += 1;
        self.totals.errors += 1;
        self.finished(latency_us);
    }

    fn finished(&mut self, latency_us: u64) {
        self.window_latency.record(latency_us);
        self.latency.record(latency_us);
        self.run_latency_sum_us += latency_us as f64;
        self.run_latency_count += 1;
    }

    /// Bumps one counter.
    pub fn bump(&mut self, counter: Counter) {
        let (w, t) = (&mut self.window, &mut self.totals);
        match counter {
            Counter::Attempts => (w.attempts += 1, t.attempts += 1),
            Counter::Effects => (w.effects += 1, t.effects += 1),
            Counter::Duplicates => (w.duplicates += 1, t.duplicates += 1),
            Counter::StaleReads => (w.stale_reads += 1, t.stale_reads += 1),
            Counter::LostUpdates => (w.lost_updates += 1, t.lost_updates += 1),
            Counter::Conflicts => (w.conflicts += 1, t.conflicts += 1),
            Counter::Hits => (w.hits += 1, t.hits += 1),
            Counter::Misses => (w.misses += 1, t.misses += 1),
            Counter::DeadLettered => (w.dead_lettered += 1, t.dead_lettered += 1),
            Counter::Dropped => (w.dropped += 1, t.dropped += 1),
            Counter::ContractErrors => (w.contract_errors += 1, t.contract_errors += 1),
            Counter::ShortCircuits => (w.short_circuits += 1, t.short_circuits += 1),
            Counter::Fallbacks => (w.fallbacks += 1, t.fallbacks += 1),
            Counter::HandoffsFailed => (w.handoffs_failed += 1, t.handoffs_failed += 1),
            Counter::Misreads => (w.misreads += 1, t.misreads += 1),
        };
    }

    /// Records one replication delay applied at a replica.
    pub fn replication_lag(&mut self, lag_us: u64) {
        self.window_lag_sum_ms += lag_us as f64 / 1_000.0;
        self.window_lag_count += 1;
    }

    /// Changes the worker count (a switch flipped mid-run); utilisation uses it from `now` on.
    pub fn set_workers(&mut self, now: SimTime, workers: u32) {
        self.advance(now);
        // Busy time integrated so far stays; it is divided by the new count at close, which
        // slightly misstates only the one window in which the change happened.
        self.workers = workers;
    }

    /// Busy worker-microseconds since the start of the run, up to `now`: the difference between
    /// two readings, divided by the interval and the workers, is their busy share in between.
    pub fn busy_area(&mut self, now: SimTime) -> f64 {
        self.advance(now);
        self.run_busy_area
    }

    /// Records how long a request waited in line before a worker took it.
    pub fn waited(&mut self, wait_us: u64) {
        self.run_wait_sum_us += wait_us as f64;
        self.run_wait_count += 1;
    }

    /// Whole-run mean time in line before service, in microseconds.
    pub fn mean_wait_us(&self) -> f64 {
        if self.run_wait_count == 0 {
            0.0
        } else {
            self.run_wait_sum_us / self.run_wait_count as f64
        }
    }

    /// Counts one refusal (shed or rate limited).
    pub fn rejection(&mut self) {
        self.window.rejections += 1;
        self.totals.rejections += 1;
    }

    /// Counts one call given up on.
    pub fn timeout(&mut self) {
        self.window.timeouts += 1;
        self.totals.timeouts += 1;
    }

    /// Counts one retry.
    pub fn retry(&mut self) {
        self.window.retries += 1;
        self.totals.retries += 1;
    }

    /// Closes the window that started at `start` and ends at `end`, and opens the next.
    pub fn close_window(
        &mut self,
        start: SimTime,
        end: SimTime,
        levels: Levels,
        circuit_open: bool,
    ) {
        self.advance(end);
        let width = end.since(start).max(1) as f64;
        let mut w = self.window;
        w.start_ms = start.as_ms();
        w.queue_depth_avg = (self.window_queue_area / width) as f32;
        w.utilisation = if self.workers == 0 {
            0.0
        } else {
            (self.window_busy_area / (width * f64::from(self.workers))) as f32
        };
        let ms = |us: u64| (us as f64 / 1_000.0) as f32;
        w.p50_ms = ms(self.window_latency.quantile(0.50));
        w.p95_ms = ms(self.window_latency.quantile(0.95));
        w.p99_ms = ms(self.window_latency.quantile(0.99));
        w.max_ms = ms(self.window_latency.max());
        w.lag_ms = if self.window_lag_count == 0 {
            0.0
        } else {
            (self.window_lag_sum_ms / f64::from(self.window_lag_count)) as f32
        };
        w.dlq_size = levels.dlq_size;
        w.oversold = levels.oversold;
        w.circuit_open = circuit_open;
        if self.history.len() == self.history_limit {
            self.history.pop_front();
        }
        if self.history_limit > 0 {
            if self.history.len() == self.history.capacity() {
                // Grow by doubling, as push_back would, but never past the limit: doubling from
                // 16,384 windows for a limit of 17,476 kept twice the memory the budget allows.
                let more = self
                    .history
                    .len()
                    .max(16)
                    .min(self.history_limit - self.history.len());
                self.history.reserve_exact(more);
            }
            self.history.push_back(w);
        }
        self.window = Window {
            queue_depth_max: self.queue_depth,
            ..Window::default()
        };
        self.window_latency.clear();
        self.window_queue_area = 0.0;
        self.window_busy_area = 0.0;
        self.window_lag_sum_ms = 0.0;
        self.window_lag_count = 0;
    }

    /// Whole-run time-average of requests inside the component (waiting plus in service), up to `now`.
    pub fn mean_in_system(&self, now: SimTime) -> f64 {
        let pending =
            now.since(self.last_change) as f64 * f64::from(self.queue_depth + self.in_service);
        let t = now.as_us().max(1) as f64;
        (self.run_in_system_area + pending) / t
    }

    /// Whole-run mean latency of finished requests, in microseconds.
    pub fn mean_latency_us(&self) -> f64 {
        if self.run_latency_count == 0 {
            0.0
        } else {
            self.run_latency_sum_us / self.run_latency_count as f64
        }
    }

    /// The waiting line now.
    pub fn queue_depth(&self) -> u32 {
        self.queue_depth
    }

    /// Busy workers now.
    pub fn in_service(&self) -> u32 {
        self.in_service
    }
}
