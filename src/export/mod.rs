//! Office-format writers (and, later, readers) for what users file and keep: no business rules.

pub mod cells;
pub mod docx;
pub mod download;
pub mod import_table;
pub mod system_columns;
pub mod xlsx;
