//! A fingerprint of every number a run produced, to prove runs identical across platforms.

use crate::rng::stable_hash;
use crate::simulation::Simulation;

/// FNV-1a over the canonical JSON of every closed window of every component, the totals, the
/// ledgers and the event count. Floats print in their shortest exact form, so two runs with
/// equal digests produced the same numbers to the last bit.
pub fn digest(sim: &Simulation) -> u64 {
    let mut bytes: Vec<u8> = Vec::new();
    for m in sim.metrics() {
        for w in &m.history {
            bytes.extend(serde_json::to_vec(w).unwrap_or_default());
        }
        bytes.extend(serde_json::to_vec(&m.totals).unwrap_or_default());
        bytes.extend_from_slice(&m.mean_latency_us().to_bits().to_le_bytes());
    }
    bytes.extend(serde_json::to_vec(&sim.ledger()).unwrap_or_default());
    bytes.extend(serde_json::to_vec(&sim.job_ledger()).unwrap_or_default());
    bytes.extend_from_slice(&sim.events_processed().to_le_bytes());
    stable_hash(&bytes)
}
