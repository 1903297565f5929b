//! The fairpanel service and command line: everything around the pure protocol
//! crate `fairpanel-core` that touches files, the OS or the network.

pub mod cli;
pub mod demo;
pub mod keyfile;
