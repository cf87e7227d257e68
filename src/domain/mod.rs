//! Pure domain types: no I/O, no database, no HTTP.

pub mod alert;
pub mod compliance;
pub mod document_number;
pub mod dossier;
pub mod email;
pub mod facts;
pub mod file_kind;
pub mod file_name;
pub mod labels;
pub mod organization;
pub mod role;
pub mod search;
pub mod system;

pub use email::Email;
pub use facts::SystemFacts;
pub use organization::OrgKind;
pub use role::Role;
