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
    run_in_system_area: f64,
    run_latency_sum_us: f64,
    run_latency_count: u64,
    run_wait_sum_us: f64,
    run_wait_count: u64,
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
            window_latency: Histogram::default(),
            queue_depth: 0,
            in_service: 0,
            workers,
            last_change: SimTime::ZERO,
            window_queue_area: 0.0,
            window_busy_area: 0.0,
            run_in_system_area: 0.0,
            run_latency_sum_us: 0.0,
            run_latency_count: 0,
            run_wait_sum_us: 0.0,
            run_wait_count: 0,
            latency: Histogram::default(),
            totals: Totals::default(),
            history: VecDeque::with_capacity(history_limit.min(4096)),
            history_limit,
        }
    }

    /// Integrates the time-weighted levels up to `now`.
    fn advance(&mut self, now: SimTime) {
        let dt = now.since(self.last_change) as f64;
        if dt > 0.0 {
            self.window_queue_area += f64::from(self.queue_depth) * dt;
            self.window_busy_area += f64::from(self.in_service) * dt;
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
    pub fn close_window(&mut self, start: SimTime, end: SimTime) {
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
        if self.history.len() == self.history_limit {
            self.history.pop_front();
        }
        if self.history_limit > 0 {
            self.history.push_back(w);
        }
        self.window = Window {
            queue_depth_max: self.queue_depth,
            ..Window::default()
        };
        self.window_latency.clear();
        self.window_queue_area = 0.0;
        self.window_busy_area = 0.0;
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
