//! Operating an index over time: running it as a service ([`watch`]),
//! reconciling it with its source ([`verify`]), what it holds and how far
//! behind it is ([`status`]), and retention ([`prune`]).
//! [`tally`] counts the index's documents per blob and per table for both.

pub mod prune;
pub mod status;
pub mod tally;
pub mod verify;
pub mod watch;
