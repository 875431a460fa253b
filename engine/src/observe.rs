//! Observability the way a real system offers it: structured log lines (sampled access logs,
//! warnings and errors, rate-limited so a storm cannot flood the ring) and sampled request
//! traces, one span per hop. Both live in bounded rings.
//!
//! The logs are deliberately what a service would write: a slow dependency that never errors
//! shows up as ordinary `200` access lines, which is the point of the observability lesson.

use crate::simulation::{Msg, Status};
use crate::time::SimTime;
use serde::{Deserialize, Serialize};
use std::collections::VecDeque;

/// Log lines kept.
pub const LOG_CAPACITY: usize = 2_000;
/// Traces kept.
pub const TRACE_CAPACITY: usize = 64;
/// Spans kept per trace (a retry storm could otherwise grow one trace without bound).
pub const SPANS_PER_TRACE: usize = 200;
/// Log lines one component may write per second of simulated time.
const LOG_LINES_PER_SEC: u32 = 20;

/// Severity of a log line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Level {
    /// Normal activity.
    Info,
    /// Something went wrong but was handled.
    Warn,
    /// A request or job failed.
    Error,
}

/// One structured log line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LogLine {
    /// When, in simulated milliseconds.
    pub at_ms: f64,
    /// Severity.
    pub level: Level,
    /// Index of the component that wrote it.
    pub component: usize,
    /// The text.
    pub message: String,
}

/// One hop of a traced request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Span {
    /// Position in its trace.
    pub id: u32,
    /// The span that made this call (None: the client's attempt).
    pub parent: Option<u32>,
    /// Component that was called.
    pub component: usize,
    /// Component that called.
    pub caller: usize,
    /// Attempt number of the client request this belongs to.
    pub attempt: u32,
    /// Start, in simulated milliseconds.
    pub start_ms: f64,
    /// End (None: still open, or never answered).
    pub end_ms: Option<f64>,
    /// How it ended.
    pub status: Option<Status>,
    /// What is notable: "timed out", "duplicate effect", "cache hit", ...
    pub note: String,
}

/// A sampled request with all its hops.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Trace {
    /// The logical request id.
    pub request: u64,
    /// The spans, in the order they started.
    pub spans: Vec<Span>,
}

/// The rings of logs and traces.
#[derive(Debug, Clone)]
pub struct Observer {
    logs: VecDeque<LogLine>,
    log_budget: Vec<(u64, u32)>,
    access_every: u32,
    access_counter: u64,
    traces: VecDeque<Trace>,
    /// Absolute index of `traces[0]`: a trace's slot number stays valid while it is kept.
    first_trace: u64,
    trace_every: u32,
}

impl Observer {
    /// Rings that trace one request in `trace_every` and log one success in `access_every`.
    pub fn new(trace_every: u32, access_every: u32) -> Observer {
        Observer {
            logs: VecDeque::with_capacity(LOG_CAPACITY),
            log_budget: Vec::new(),
            access_every,
            access_counter: 0,
            traces: VecDeque::with_capacity(TRACE_CAPACITY),
            first_trace: 0,
            trace_every,
        }
    }

    /// Writes a line unless the component used up its budget for this second.
    pub fn log(
        &mut self,
        now: SimTime,
        level: Level,
        component: usize,
        message: impl FnOnce() -> String,
    ) {
        if self.log_budget.len() <= component {
            self.log_budget.resize(component + 1, (u64::MAX, 0));
        }
        let second = now.as_us() / 1_000_000;
        let budget = &mut self.log_budget[component];
        if budget.0 != second {
            *budget = (second, 0);
        }
        if budget.1 >= LOG_LINES_PER_SEC {
            return;
        }
        budget.1 += 1;
        if self.logs.len() == LOG_CAPACITY {
            self.logs.pop_front();
        }
        self.logs.push_back(LogLine {
            at_ms: now.as_ms(),
            level,
            component,
            message: message(),
        });
    }

    /// Whether this success gets an access-log line (one in `access_every`).
    pub(crate) fn sample_access(&mut self) -> bool {
        if self.access_every == 0 {
            return false;
        }
        self.access_counter += 1;
        self.access_counter
            .is_multiple_of(u64::from(self.access_every))
    }

    /// A trace slot for a new logical request, if it is sampled.
    pub(crate) fn start_trace(&mut self, request: u64) -> Option<u64> {
        if self.trace_every == 0 || !request.is_multiple_of(u64::from(self.trace_every)) {
            return None;
        }
        if self.traces.len() == TRACE_CAPACITY {
            self.traces.pop_front();
            self.first_trace += 1;
        }
        self.traces.push_back(Trace {
            request,
            spans: Vec::new(),
        });
        Some(self.first_trace + self.traces.len() as u64 - 1)
    }

    fn trace_mut(&mut self, slot: u64) -> Option<&mut Trace> {
        let index = slot.checked_sub(self.first_trace)?;
        self.traces.get_mut(usize::try_from(index).ok()?)
    }

    /// Opens a span for a call made on behalf of a traced request.
    pub(crate) fn open_span(
        &mut self,
        msg: &Msg,
        component: usize,
        caller: usize,
        now: SimTime,
    ) -> Option<u32> {
        let trace = self.trace_mut(msg.trace?)?;
        if trace.spans.len() >= SPANS_PER_TRACE {
            return None;
        }
        let id = trace.spans.len() as u32;
        trace.spans.push(Span {
            id,
            parent: msg.parent_span,
            component,
            caller,
            attempt: msg.attempt,
            start_ms: now.as_ms(),
            end_ms: None,
            status: None,
            note: String::new(),
        });
        Some(id)
    }

    /// Closes a span with its outcome.
    pub(crate) fn close_span(
        &mut self,
        slot: Option<u64>,
        span: Option<u32>,
        now: SimTime,
        status: Status,
        note: &str,
    ) {
        let (Some(slot), Some(span)) = (slot, span) else {
            return;
        };
        if let Some(s) = self
            .trace_mut(slot)
            .and_then(|t| t.spans.get_mut(span as usize))
        {
            if s.end_ms.is_none() {
                s.end_ms = Some(now.as_ms());
                s.status = Some(status);
                if !note.is_empty() {
                    s.note = note.to_string();
                }
            }
        }
    }

    /// Adds a note to a span without closing it (a cache hit, a duplicate effect).
    pub(crate) fn note(&mut self, slot: Option<u64>, span: Option<u32>, note: &str) {
        let (Some(slot), Some(span)) = (slot, span) else {
            return;
        };
        if let Some(s) = self
            .trace_mut(slot)
            .and_then(|t| t.spans.get_mut(span as usize))
        {
            s.note = note.to_string();
        }
    }

    /// Log lines, oldest first.
    pub fn logs(&self) -> impl DoubleEndedIterator<Item = &LogLine> {
        self.logs.iter()
    }

    /// Traces, oldest first.
    pub fn traces(&self) -> impl DoubleEndedIterator<Item = &Trace> {
        self.traces.iter()
    }
}
