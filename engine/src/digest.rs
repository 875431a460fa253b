//! A fingerprint of every number a run produced, to prove runs identical across platforms.

use crate::rng::Fnv;
use crate::simulation::Simulation;
use serde::Serialize;

/// FNV-1a over the canonical JSON of every closed window of every component, the totals, the
/// ledgers and the event count. Floats print in their shortest exact form, so two runs with
/// equal digests produced the same numbers to the last bit. The bytes are hashed as they are
/// written, so a run keeping 180,000 windows needs no buffer of them.
pub fn digest(sim: &Simulation) -> u64 {
    let mut h = Fnv::new();
    for m in sim.metrics() {
        for w in &m.history {
            h.json(w);
        }
        h.json(&m.totals);
        h.bytes(&m.mean_latency_us().to_bits().to_le_bytes());
    }
    h.json(&sim.ledger());
    h.json(&sim.job_ledger());
    h.bytes(&sim.events_processed().to_le_bytes());
    h.0
}

/// FNV-1a of some bytes: a short, stable name for a text (a sweep's file, grid and seeds), the
/// same on every platform and in every version.
pub fn of_bytes(bytes: &[u8]) -> u64 {
    let mut h = Fnv::new();
    h.bytes(bytes);
    h.0
}

impl Fnv {
    fn json(&mut self, value: &impl Serialize) {
        // Writing into the hash cannot fail, and the engine's types always serialise.
        let _ = serde_json::to_writer(&mut *self, value);
    }
}

impl std::io::Write for Fnv {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.bytes(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn bytes_hash_as_published_fnv_1a() {
        // The published 64-bit FNV-1a values for "" and "a".
        assert_eq!(super::of_bytes(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(super::of_bytes(b"a"), 0xaf63_dc4c_8601_ec8c);
    }
}
