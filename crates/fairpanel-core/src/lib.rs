//! # fairpanel-core
//!
//! The draw protocol of fairpanel, as a library with no I/O: canonical records,
//! tagged hashes, Ed25519 signatures, the seeded draw with its constraints, the
//! log's Merkle tree and C2SP checkpoints, drand quicknet verification, and
//! [`verify::verify_bundle`], which checks a draw's bundle offline.
//!
//! `docs/PROTOCOL.md` in the repository is the normative description; this crate
//! is its reference implementation. It reads no files, opens no sockets and draws
//! no randomness of its own: callers bring bytes in and take bytes out.

pub mod beacon;
pub mod bundle;
pub mod checkpoint;
pub mod cosignature;
pub mod draw;
pub mod entry;
pub mod fill;
pub mod hash;
pub mod jcs;
pub mod keys;
pub mod ledger;
pub mod merkle;
mod par;
pub mod pool;
pub mod report;
pub mod rotation;
pub mod sampler;
pub mod scoring;
pub mod script;
pub mod tags;
pub mod types;
pub mod verify;

pub use hash::Hash32;
pub use keys::{KeyId, PublicKey, SecretKey};
pub use verify::{Report, verify_bundle};
