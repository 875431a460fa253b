//! Simulated time.
//!
//! Time is an integer count of microseconds so that event order never depends on floating-point
//! rounding, and so that a run gives the same numbers on every platform.

use serde::{Deserialize, Serialize};

/// A point in simulated time, in microseconds since the start of the run.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
pub struct SimTime(pub u64);

impl SimTime {
    /// The start of every run.
    pub const ZERO: SimTime = SimTime(0);
    /// Later than any event a run can schedule.
    pub const NEVER: SimTime = SimTime(u64::MAX);

    /// Whole microseconds.
    pub const fn from_us(us: u64) -> SimTime {
        SimTime(us)
    }

    /// Milliseconds, rounded to the nearest microsecond; negative or NaN becomes zero.
    pub fn from_ms(ms: f64) -> SimTime {
        SimTime(to_us(ms * 1_000.0))
    }

    /// Seconds, rounded to the nearest microsecond; negative or NaN becomes zero.
    pub fn from_secs(secs: f64) -> SimTime {
        SimTime(to_us(secs * 1_000_000.0))
    }

    /// Microseconds since the start.
    pub const fn as_us(self) -> u64 {
        self.0
    }

    /// Milliseconds since the start, for display.
    pub fn as_ms(self) -> f64 {
        self.0 as f64 / 1_000.0
    }

    /// Seconds since the start, for display.
    pub fn as_secs(self) -> f64 {
        self.0 as f64 / 1_000_000.0
    }

    /// This time plus a duration in microseconds, saturating instead of overflowing.
    pub fn plus_us(self, us: u64) -> SimTime {
        SimTime(self.0.saturating_add(us))
    }

    /// The duration from `earlier` to `self` in microseconds (zero if `earlier` is later).
    pub fn since(self, earlier: SimTime) -> u64 {
        self.0.saturating_sub(earlier.0)
    }
}

/// Converts a float count of microseconds to an integer one, clamping what is out of range.
pub fn to_us(us: f64) -> u64 {
    if us.is_nan() || us <= 0.0 {
        0
    } else if us >= u64::MAX as f64 {
        u64::MAX
    } else {
        libm::round(us) as u64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conversions_round_and_clamp() {
        assert_eq!(SimTime::from_ms(1.5).as_us(), 1_500);
        assert_eq!(SimTime::from_secs(2.0).as_us(), 2_000_000);
        assert_eq!(SimTime::from_ms(-3.0), SimTime::ZERO);
        assert_eq!(SimTime::from_ms(f64::NAN), SimTime::ZERO);
        assert_eq!(SimTime::from_ms(f64::INFINITY), SimTime::NEVER);
        assert_eq!(SimTime::NEVER.plus_us(5), SimTime::NEVER);
        assert_eq!(SimTime(10).since(SimTime(20)), 0);
    }
}
