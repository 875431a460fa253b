//! Seeded, portable random numbers.
//!
//! The generator is xoshiro256++ seeded through SplitMix64, both written out here so that the
//! stream is fixed by this file alone and never changes with a dependency's version. Each
//! component draws from its own stream, derived from the scenario seed and the component's id
//! (not its position), so adding a component does not change what the others draw.
//! Transcendental functions come from `libm`, which gives the same bits natively and in wasm.
//!
//! The generator speaks the ecosystem's language: it implements `rand_core`'s `TryRng` (so
//! `rand_core::Rng` and rand's extension methods work on it) and `SeedableRng`, whose
//! `seed_from_u64` is [`Rng::seeded`], so a user of the Rust API can bring rand's distributions
//! and get the same streams the engine draws.

use serde::{Deserialize, Serialize};

/// A named, portable pseudo-random generator (xoshiro256++).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rng {
    s: [u64; 4],
}

/// One step of SplitMix64, used to spread a seed over the generator's state.
fn splitmix64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// FNV-1a over bytes: a stable hash for deriving per-component streams from ids.
pub fn stable_hash(bytes: &[u8]) -> u64 {
    let mut h = Fnv::new();
    h.bytes(bytes);
    h.0
}

/// FNV-1a fed a piece at a time (a run's digest hashes its numbers as it writes them).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Fnv(pub u64);

impl Fnv {
    pub(crate) fn new() -> Fnv {
        Fnv(0xcbf2_9ce4_8422_2325)
    }

    pub(crate) fn bytes(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 ^= u64::from(*b);
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01B3);
        }
    }
}

impl Rng {
    /// A generator seeded from one number.
    pub fn seeded(seed: u64) -> Rng {
        let mut sm = seed;
        let s = [
            splitmix64(&mut sm),
            splitmix64(&mut sm),
            splitmix64(&mut sm),
            splitmix64(&mut sm),
        ];
        Rng { s }
    }

    /// The stream for one named part of a scenario (a component id, plus a purpose).
    pub fn stream(seed: u64, name: &str) -> Rng {
        Rng::seeded(seed ^ stable_hash(name.as_bytes()).rotate_left(17))
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        let result = self.s[0]
            .wrapping_add(self.s[3])
            .rotate_left(23)
            .wrapping_add(self.s[0]);
        let t = self.s[1] << 17;
        self.s[2] ^= self.s[0];
        self.s[3] ^= self.s[1];
        self.s[1] ^= self.s[2];
        self.s[0] ^= self.s[3];
        self.s[2] ^= t;
        self.s[3] = self.s[3].rotate_left(45);
        result
    }

    /// A uniform float in [0, 1) with 53 random bits.
    pub fn uniform(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// A uniform float in (0, 1], safe to take the logarithm of.
    pub fn uniform_open0(&mut self) -> f64 {
        1.0 - self.uniform()
    }

    /// True with probability `p` (clamped to [0, 1]).
    pub fn chance(&mut self, p: f64) -> bool {
        p > 0.0 && self.uniform() < p
    }

    /// A uniform integer in [0, n); zero when n is zero.
    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            return 0;
        }
        // Lemire's multiply-shift; the tiny bias is irrelevant at these ranges. Ranges that fit
        // in 32 bits use 64-bit arithmetic, which wasm does natively (u128 is a slow library call).
        if let Ok(n32) = u32::try_from(n) {
            ((self.next_u64() >> 32) * u64::from(n32)) >> 32
        } else {
            ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
        }
    }

    /// An exponential draw with the given mean.
    pub fn exponential(&mut self, mean: f64) -> f64 {
        -mean * libm::log(self.uniform_open0())
    }

    /// A standard normal draw (Box–Muller, one value used).
    pub fn standard_normal(&mut self) -> f64 {
        let u1 = self.uniform_open0();
        let u2 = self.uniform();
        libm::sqrt(-2.0 * libm::log(u1)) * libm::cos(core::f64::consts::TAU * u2)
    }
}

impl rand_core::TryRng for Rng {
    type Error = core::convert::Infallible;

    /// The high half of the next 64 bits (the better half of xoshiro's output).
    fn try_next_u32(&mut self) -> Result<u32, Self::Error> {
        Ok((self.next_u64() >> 32) as u32)
    }

    fn try_next_u64(&mut self) -> Result<u64, Self::Error> {
        Ok(self.next_u64())
    }

    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Self::Error> {
        rand_core::utils::fill_bytes_via_next_word(dst, || Ok(self.next_u64()))
    }
}

impl rand_core::SeedableRng for Rng {
    /// The four state words, little-endian.
    type Seed = [u8; 32];

    /// The state as given; an all-zero state (which xoshiro never leaves) becomes `seeded(0)`.
    fn from_seed(seed: [u8; 32]) -> Rng {
        let mut s = [0u64; 4];
        for (word, bytes) in s.iter_mut().zip(seed.chunks_exact(8)) {
            let mut b = [0u8; 8];
            b.copy_from_slice(bytes);
            *word = u64::from_le_bytes(b);
        }
        if s == [0; 4] {
            Rng::seeded(0)
        } else {
            Rng { s }
        }
    }

    /// The engine's own seeding (SplitMix64), so `seed_from_u64(n)` equals `Rng::seeded(n)`.
    fn seed_from_u64(seed: u64) -> Rng {
        Rng::seeded(seed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rand_core_traits_give_the_engines_stream_and_the_published_vector() {
        use rand_core::{Rng as _, SeedableRng};
        // The reference xoshiro256++ from state [1, 2, 3, 4]: the first output is
        // rotl(1 + 4, 23) + 1.
        let mut seed = [0u8; 32];
        for (i, word) in [1u64, 2, 3, 4].iter().enumerate() {
            seed[i * 8..i * 8 + 8].copy_from_slice(&word.to_le_bytes());
        }
        let mut r = <Rng as SeedableRng>::from_seed(seed);
        assert_eq!(rand_core::Rng::next_u64(&mut r), 41_943_041);
        assert_eq!(rand_core::Rng::next_u64(&mut r), 58_720_359);
        // Seeding through rand_core is the engine's seeding, so streams agree.
        let mut a = <Rng as SeedableRng>::seed_from_u64(9);
        let mut b = Rng::seeded(9);
        assert_eq!(rand_core::Rng::next_u64(&mut a), b.next_u64());
        assert_eq!(a.next_u32(), (b.next_u64() >> 32) as u32);
        let mut bytes = [0u8; 11];
        a.fill_bytes(&mut bytes);
        assert_eq!(bytes[..8], b.next_u64().to_le_bytes());
        assert_eq!(bytes[8..], b.next_u64().to_le_bytes()[..3]);
        // An all-zero state would stick at zero forever; it is replaced.
        let mut z = <Rng as SeedableRng>::from_seed([0; 32]);
        assert_ne!(rand_core::Rng::next_u64(&mut z), 0);
    }

    #[test]
    fn same_seed_same_stream_and_streams_differ_by_name() {
        let mut a = Rng::stream(7, "api");
        let mut b = Rng::stream(7, "api");
        let mut c = Rng::stream(7, "db");
        let xs: Vec<u64> = (0..8).map(|_| a.next_u64()).collect();
        let ys: Vec<u64> = (0..8).map(|_| b.next_u64()).collect();
        let zs: Vec<u64> = (0..8).map(|_| c.next_u64()).collect();
        assert_eq!(xs, ys);
        assert_ne!(xs, zs);
    }

    #[test]
    fn exponential_mean_is_close() {
        let mut r = Rng::seeded(1);
        let n = 200_000;
        let mean = (0..n).map(|_| r.exponential(3.0)).sum::<f64>() / n as f64;
        assert!((mean - 3.0).abs() < 0.03, "mean {mean}");
    }

    #[test]
    fn normal_moments_are_close() {
        let mut r = Rng::seeded(2);
        let n = 200_000;
        let xs: Vec<f64> = (0..n).map(|_| r.standard_normal()).collect();
        let mean = xs.iter().sum::<f64>() / n as f64;
        let var = xs.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / n as f64;
        assert!(mean.abs() < 0.01, "mean {mean}");
        assert!((var - 1.0).abs() < 0.02, "var {var}");
    }

    #[test]
    fn below_stays_in_range() {
        let mut r = Rng::seeded(3);
        assert_eq!(r.below(0), 0);
        assert!((0..10_000).all(|_| r.below(10) < 10));
    }
}
