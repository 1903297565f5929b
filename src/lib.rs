//! The fairpanel service and command line: everything around the pure protocol
//! crate `fairpanel-core` that touches files, the OS, a database or the network.

pub mod accounts;
pub mod anchor;
pub mod applications;
pub mod audit;
pub mod backup;
pub mod calendar;
pub mod cli;
pub mod client;
pub mod clock;
pub mod config;
pub mod demo;
pub mod draws;
pub mod http;
pub mod keyfile;
pub mod limits;
pub mod materials;
pub mod ministry;
pub mod notice;
pub mod observe;
pub mod outbox;
pub mod print;
pub mod qr;
pub mod record_sheet;
pub mod roster;
pub mod rotate;
pub mod scores;
pub mod screen;
pub mod serve;
pub mod store;
pub mod text;
pub mod throttle;
pub mod tls;
pub mod web;
