//! What a user or a lesson writes: plain serde data, versioned.
//!
//! A `Scenario` is untrusted input (it may come from a file or a share link). Nothing here is
//! checked; `topology::Topology::build` validates it once and reports every problem together.
//! The JSON form is the one canonical file format; `docs/scenario-format.md` describes it.

use serde::{Deserialize, Serialize};

/// The format version this build writes and reads.
pub const SCENARIO_VERSION: u32 = 1;

/// A whole scenario: components, wires, the seed and how long to run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// Format version; must equal [`SCENARIO_VERSION`].
    pub version: u32,
    /// A title shown to people.
    #[serde(default)]
    pub name: String,
    /// Seed of every random stream in the run.
    #[serde(default)]
    pub seed: u64,
    /// How long a full run lasts, in simulated seconds.
    pub duration_s: f64,
    /// Width of one metrics window, in simulated milliseconds.
    #[serde(default = "default_window_ms")]
    pub window_ms: f64,
    /// The parts of the system.
    pub components: Vec<Component>,
    /// Directed connections: `from` sends requests to `to`.
    #[serde(default)]
    pub wires: Vec<Wire>,
}

fn default_window_ms() -> f64 {
    100.0
}

/// One placed component.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Component {
    /// Unique, stable identifier (also names the component's random stream).
    pub id: String,
    /// A label shown to people; defaults to the id.
    #[serde(default)]
    pub name: String,
    /// Position on the canvas (canvas units); the engine ignores it.
    #[serde(default)]
    pub x: f64,
    /// Position on the canvas (canvas units); the engine ignores it.
    #[serde(default)]
    pub y: f64,
    /// What kind of component it is, with that kind's parameters.
    pub spec: ComponentSpec,
}

/// Component kinds and their parameters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ComponentSpec {
    /// A population of clients sending requests down its one outgoing wire.
    Client(ClientSpec),
    /// A service: a pool of workers in front of a queue, calling its downstreams in order.
    Service(ServiceSpec),
}

impl ComponentSpec {
    /// The kind's name as written in files.
    pub fn kind_name(&self) -> &'static str {
        match self {
            ComponentSpec::Client(_) => "client",
            ComponentSpec::Service(_) => "service",
        }
    }
}

/// How a client population sends requests.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClientSpec {
    /// Mean new requests per second across the population.
    pub rate_per_sec: f64,
    /// How arrivals are spaced.
    #[serde(default)]
    pub arrival: Arrival,
    /// How long a client waits for an answer before giving up on an attempt (None: forever).
    #[serde(default)]
    pub timeout_ms: Option<f64>,
    /// Total attempts per request, first included (1 means no retries).
    #[serde(default = "one")]
    pub max_attempts: u32,
    /// Wait before a retry, doubled each time.
    #[serde(default)]
    pub backoff_ms: f64,
}

fn one() -> u32 {
    1
}

/// Arrival processes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Arrival {
    /// Exponential gaps: a Poisson process.
    #[default]
    Poisson,
    /// Equal gaps.
    Constant,
}

/// A service's capacity and behaviour.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceSpec {
    /// Requests handled at once.
    pub workers: u32,
    /// Waiting requests beyond which new ones are shed (None: unbounded).
    #[serde(default)]
    pub queue_capacity: Option<u32>,
    /// Time a worker spends on one request, before any downstream call.
    pub service_time: Dist,
    /// Chance that handling a request fails with an error.
    #[serde(default)]
    pub error_probability: f64,
    /// How long this service waits for each downstream call (None: forever).
    #[serde(default)]
    pub call_timeout_ms: Option<f64>,
}

/// A distribution of durations in milliseconds.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "dist", rename_all = "snake_case", deny_unknown_fields)]
pub enum Dist {
    /// Always the same.
    Constant {
        /// The duration.
        ms: f64,
    },
    /// Exponential with this mean.
    Exponential {
        /// The mean.
        mean_ms: f64,
    },
    /// Log-normal with this median; `sigma` sets the tail (1.0 is a heavy one).
    Lognormal {
        /// The median.
        median_ms: f64,
        /// Standard deviation of the underlying normal.
        sigma: f64,
    },
}

impl Dist {
    /// The mean duration in milliseconds.
    pub fn mean_ms(&self) -> f64 {
        match *self {
            Dist::Constant { ms } => ms,
            Dist::Exponential { mean_ms } => mean_ms,
            Dist::Lognormal { median_ms, sigma } => median_ms * libm::exp(sigma * sigma / 2.0),
        }
    }
}

/// A directed connection between two components.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Wire {
    /// Id of the sender.
    pub from: String,
    /// Id of the receiver.
    pub to: String,
}

impl Scenario {
    /// Parses the canonical JSON form, naming the line and column of a syntax or type error.
    pub fn from_json(text: &str) -> Result<Scenario, String> {
        serde_json::from_str(text).map_err(|e| format!("not a valid scenario file: {e}"))
    }

    /// The canonical JSON form, pretty-printed.
    pub fn to_json(&self) -> String {
        // Serialising plain data with string keys cannot fail.
        serde_json::to_string_pretty(self).unwrap_or_default()
    }
}
