//! The fairpanel service and command line: everything around the pure protocol
//! crate `fairpanel-core` that touches files, the OS, a database or the network.

pub mod accounts;
pub mod audit;
pub mod cli;
pub mod config;
pub mod demo;
pub mod http;
pub mod keyfile;
pub mod roster;
pub mod serve;
pub mod store;
