//! An example of what a user's crate keeps: its system as a scenario file, and (in `tests/`)
//! checks that a change to it cannot break what the team promised. See docs/headless.md.

/// The checkout system: the API reserves idempotency keys atomically, and a 10x traffic spike
/// hits it from 20 s to 35 s.
pub const CHECKOUT: &str = include_str!("../scenarios/checkout.json");
