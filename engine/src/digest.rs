//! A fingerprint of every number a run produced, to prove runs identical across platforms.

use crate::rng::stable_hash;
use crate::simulation::Simulation;

/// FNV-1a over the bits of every closed window of every component, the totals and the ledger.
/// Two runs with equal digests produced the same numbers to the last bit.
pub fn digest(sim: &Simulation) -> u64 {
    let mut bytes: Vec<u8> = Vec::new();
    for m in sim.metrics() {
        for w in &m.history {
            bytes.extend_from_slice(&w.start_ms.to_bits().to_le_bytes());
            for v in [
                w.arrivals,
                w.completions,
                w.errors,
                w.rejections,
                w.timeouts,
                w.retries,
                w.queue_depth_max,
            ] {
                bytes.extend_from_slice(&v.to_le_bytes());
            }
            for v in [
                w.queue_depth_avg,
                w.utilisation,
                w.p50_ms,
                w.p95_ms,
                w.p99_ms,
                w.max_ms,
            ] {
                bytes.extend_from_slice(&v.to_bits().to_le_bytes());
            }
        }
        let t = m.totals;
        for v in [
            t.arrivals,
            t.completions,
            t.errors,
            t.rejections,
            t.timeouts,
            t.retries,
        ] {
            bytes.extend_from_slice(&v.to_le_bytes());
        }
        bytes.extend_from_slice(&m.mean_latency_us().to_bits().to_le_bytes());
    }
    let l = sim.ledger();
    for v in [
        l.entered,
        l.succeeded,
        l.failed,
        l.rejected,
        l.timed_out,
        l.in_flight,
        sim.events_processed(),
    ] {
        bytes.extend_from_slice(&v.to_le_bytes());
    }
    stable_hash(&bytes)
}
