//! Files kept beside the database: content-addressed blobs under `<data_dir>/files/` (dossier
//! attachments, compliance evidence).

pub mod blob;

pub use blob::{BlobStore, StageError, StagedBlob, StoredBlob};
