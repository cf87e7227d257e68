//! Office-format writers (and, later, readers) for what users file and keep: no business rules.

pub mod download;
pub mod xlsx;
