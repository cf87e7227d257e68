//! The blob store: an upload is streamed to a temporary file while hashed and counted, told
//! by its content, then linked into place as `<root>/<first 2 hex>/<sha256>`, so the same
//! content is stored once whoever uploads it.

use std::io;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use actix_web::web::Bytes;
use futures_util::{Stream, StreamExt};
use sha2::{Digest, Sha256};
use tempfile::NamedTempFile;
use tokio::io::AsyncWriteExt;

use crate::domain::file_kind::{self, FileKind};

/// How old a temporary upload file must be before start-up removes it as a crash's leftover.
pub const STALE_TEMP_AGE: Duration = Duration::from_secs(60 * 60);

/// The files under `<data_dir>/files/`; cheap to build, so build it where needed.
#[derive(Clone, Debug)]
pub struct BlobStore {
    root: PathBuf,
}

/// An upload hashed and told by content, still in its temporary file (removed when dropped
/// without being put).
#[derive(Debug)]
pub struct StagedBlob {
    file: NamedTempFile,
    pub sha256: String,
    pub size: u64,
    pub kind: FileKind,
}

/// A blob in the store.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredBlob {
    pub sha256: String,
    pub size: u64,
    pub kind: FileKind,
    /// Whether this put created the file (same content was not stored before): only then may
    /// a failed use case remove it again.
    pub created: bool,
}

/// Why an upload was not staged; `E` is the error of the body stream.
#[derive(Debug, thiserror::Error)]
pub enum StageError<E: std::fmt::Debug> {
    #[error("the upload exceeds {max_bytes} bytes")]
    TooLarge { max_bytes: u64 },
    #[error("the upload is empty")]
    Empty,
    #[error("the content is not of an accepted kind")]
    Unsupported,
    #[error("reading the upload failed: {0:?}")]
    Source(E),
    #[error("writing the upload failed: {0}")]
    Io(#[from] io::Error),
}

impl BlobStore {
    pub fn new(data_dir: &Path) -> Self {
        Self {
            root: data_dir.join("files"),
        }
    }

    /// Streams `body` into `<root>/tmp/`, stopping as soon as it passes `max_bytes`; then
    /// tells its kind by content. Nothing is left on disk when this fails.
    pub async fn stage<S, E>(
        &self,
        mut body: S,
        max_bytes: u64,
    ) -> Result<StagedBlob, StageError<E>>
    where
        S: Stream<Item = Result<Bytes, E>> + Unpin,
        E: std::fmt::Debug,
    {
        let tmp = self.root.join("tmp");
        tokio::fs::create_dir_all(&tmp).await?;
        let named = NamedTempFile::new_in(&tmp)?;
        let mut out = tokio::fs::File::from_std(named.as_file().try_clone()?);
        let mut hasher = Sha256::new();
        let mut size: u64 = 0;
        while let Some(chunk) = body.next().await {
            let chunk = chunk.map_err(StageError::Source)?;
            size = size.saturating_add(chunk.len() as u64);
            if size > max_bytes {
                return Err(StageError::TooLarge { max_bytes });
            }
            hasher.update(&chunk);
            out.write_all(&chunk).await?;
        }
        if size == 0 {
            return Err(StageError::Empty);
        }
        out.flush().await?;
        out.sync_all().await?;
        drop(out);
        let (named, kind) = tokio::task::spawn_blocking(move || {
            let mut reader = named.reopen()?;
            let kind = file_kind::detect(&mut reader)?;
            Ok::<_, io::Error>((named, kind))
        })
        .await
        .map_err(io::Error::other)??;
        Ok(StagedBlob {
            file: named,
            sha256: hex::encode(hasher.finalize()),
            size,
            kind: kind.ok_or(StageError::Unsupported)?,
        })
    }

    /// Moves a staged blob into place (blocking I/O). Content already stored stays as it is
    /// and the staged copy is dropped.
    pub fn put(&self, staged: StagedBlob) -> io::Result<StoredBlob> {
        let path = self.path_of(&staged.sha256)?;
        let dir = path.parent().unwrap_or(&self.root).to_path_buf();
        if !dir.is_dir() {
            std::fs::create_dir_all(&dir)?;
            sync_dir(&self.root)?;
        }
        let StagedBlob {
            file,
            sha256,
            size,
            kind,
        } = staged;
        // Link without replacing: atomic, and it tells whether this request created the blob.
        let created = match file.persist_noclobber(&path) {
            Ok(_) => {
                sync_dir(&dir)?;
                true
            }
            Err(e) if e.error.kind() == io::ErrorKind::AlreadyExists => false,
            Err(e) => return Err(e.error),
        };
        Ok(StoredBlob {
            sha256,
            size,
            kind,
            created,
        })
    }

    /// `stage` then `put`, for callers with nothing to check in between.
    pub async fn put_stream<S, E>(
        &self,
        body: S,
        max_bytes: u64,
    ) -> Result<StoredBlob, StageError<E>>
    where
        S: Stream<Item = Result<Bytes, E>> + Unpin,
        E: std::fmt::Debug,
    {
        let staged = self.stage(body, max_bytes).await?;
        let store = self.clone();
        Ok(tokio::task::spawn_blocking(move || store.put(staged))
            .await
            .map_err(io::Error::other)??)
    }

    /// Removes the files of `<root>/tmp/` last written more than `older_than` ago: uploads cut
    /// off by a crash (a clean failure removes its own). Younger files are left alone, as they
    /// may be uploads running in another instance on the same data dir. Blocking; returns how
    /// many files were removed.
    pub fn sweep_stale_temp(&self, older_than: Duration) -> io::Result<usize> {
        let entries = match std::fs::read_dir(self.root.join("tmp")) {
            Ok(entries) => entries,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(0),
            Err(e) => return Err(e),
        };
        let now = SystemTime::now();
        let mut removed = 0;
        for entry in entries {
            let entry = entry?;
            let meta = entry.metadata()?;
            // A clock set back makes a file look new: it is kept, never removed too early.
            let age = now
                .duration_since(meta.modified()?)
                .unwrap_or(Duration::ZERO);
            if !meta.is_file() || age <= older_than {
                continue;
            }
            match std::fs::remove_file(entry.path()) {
                Ok(()) => removed += 1,
                // Finished or swept by another instance meanwhile.
                Err(e) if e.kind() == io::ErrorKind::NotFound => {}
                Err(e) => return Err(e),
            }
        }
        Ok(removed)
    }

    /// The stored content (blocking open).
    pub fn open(&self, sha256: &str) -> io::Result<std::fs::File> {
        std::fs::File::open(self.path_of(sha256)?)
    }

    /// Whether content with this hash is stored.
    pub fn contains(&self, sha256: &str) -> bool {
        self.path_of(sha256).is_ok_and(|p| p.is_file())
    }

    /// Removes a blob (no error if it is already gone). Only for a blob that no record
    /// references: a use case whose transaction failed after its `put` created the file.
    pub fn remove(&self, sha256: &str) -> io::Result<()> {
        match std::fs::remove_file(self.path_of(sha256)?) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
            _ => Ok(()),
        }
    }

    fn path_of(&self, sha256: &str) -> io::Result<PathBuf> {
        let valid = sha256.len() == 64
            && sha256
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
        if !valid {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "not a SHA-256 in lower-case hex",
            ));
        }
        Ok(self.root.join(&sha256[..2]).join(sha256))
    }
}

/// Makes a new directory entry durable (the file itself was synced before the link).
fn sync_dir(dir: &Path) -> io::Result<()> {
    #[cfg(unix)]
    std::fs::File::open(dir)?.sync_all()?;
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    use futures_util::stream;

    use super::*;

    fn body(chunks: &[&[u8]]) -> impl Stream<Item = Result<Bytes, io::Error>> + Unpin {
        let chunks: Vec<_> = chunks
            .iter()
            .map(|c| Ok(Bytes::copy_from_slice(c)))
            .collect();
        stream::iter(chunks)
    }

    fn tmp_is_empty(dir: &Path) -> bool {
        std::fs::read_dir(dir.join("files/tmp"))
            .map(|mut d| d.next().is_none())
            .unwrap_or(true)
    }

    #[tokio::test]
    async fn content_is_stored_once_by_its_hash() {
        let dir = tempfile::tempdir().unwrap();
        let store = BlobStore::new(dir.path());
        let pdf: &[u8] = b"%PDF-1.4\n1 0 obj\n";
        let first = store
            .put_stream(body(&[&pdf[..5], &pdf[5..]]), 1024)
            .await
            .unwrap();
        assert_eq!(first.kind, FileKind::Pdf);
        assert_eq!(first.size, pdf.len() as u64);
        assert_eq!(first.sha256, hex::encode(Sha256::digest(pdf)));
        assert!(first.created);
        let again = store.put_stream(body(&[pdf]), 1024).await.unwrap();
        assert!(!again.created, "same content, same file");
        let mut stored = Vec::new();
        store
            .open(&first.sha256)
            .unwrap()
            .read_to_end(&mut stored)
            .unwrap();
        assert_eq!(stored, pdf);
        let path = dir
            .path()
            .join("files")
            .join(&first.sha256[..2])
            .join(&first.sha256);
        assert!(path.is_file());
        assert!(tmp_is_empty(dir.path()));
        store.remove(&first.sha256).unwrap();
        assert!(!store.contains(&first.sha256));
        store.remove(&first.sha256).unwrap();
    }

    #[tokio::test]
    async fn too_large_empty_and_unknown_content_leave_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let store = BlobStore::new(dir.path());
        let big = vec![b'%'; 600];
        let err = store.stage(body(&[&big, &big]), 1000).await.unwrap_err();
        assert!(
            matches!(err, StageError::TooLarge { max_bytes: 1000 }),
            "{err:?}"
        );
        let err = store.stage(body(&[]), 1000).await.unwrap_err();
        assert!(matches!(err, StageError::Empty), "{err:?}");
        let err = store
            .stage(body(&[b"<html><script>"]), 1000)
            .await
            .unwrap_err();
        assert!(matches!(err, StageError::Unsupported), "{err:?}");
        let failing = stream::iter(vec![
            Ok(Bytes::from_static(b"%PDF-")),
            Err(io::Error::other("connection reset")),
        ]);
        let err = store.stage(failing, 1000).await.unwrap_err();
        assert!(matches!(err, StageError::Source(_)), "{err:?}");
        assert!(tmp_is_empty(dir.path()));
    }

    #[tokio::test]
    async fn only_stale_temp_files_are_swept() {
        let dir = tempfile::tempdir().unwrap();
        let store = BlobStore::new(dir.path());
        assert_eq!(
            store.sweep_stale_temp(STALE_TEMP_AGE).unwrap(),
            0,
            "no tmp dir yet"
        );
        let tmp = dir.path().join("files/tmp");
        std::fs::create_dir_all(&tmp).unwrap();
        let stale = tmp.join(".tmpOLD");
        let fresh = tmp.join(".tmpNEW");
        std::fs::write(&stale, b"%PDF-1.4 cut off").unwrap();
        std::fs::write(&fresh, b"%PDF-1.4 running").unwrap();
        let two_hours_ago = SystemTime::now() - Duration::from_secs(2 * 60 * 60);
        std::fs::File::options()
            .write(true)
            .open(&stale)
            .unwrap()
            .set_modified(two_hours_ago)
            .unwrap();
        // A stored blob is never under tmp/, so it is not touched.
        let kept = store
            .put_stream(body(&[b"%PDF-1.4\n"]), 1024)
            .await
            .unwrap();

        assert_eq!(store.sweep_stale_temp(STALE_TEMP_AGE).unwrap(), 1);
        assert!(!stale.exists(), "the crash's leftover is removed");
        assert!(fresh.exists(), "a running upload is left alone");
        assert!(store.contains(&kept.sha256));
        assert_eq!(store.sweep_stale_temp(STALE_TEMP_AGE).unwrap(), 0);
    }

    #[test]
    fn only_hashes_name_files() {
        let store = BlobStore::new(Path::new("/tmp/capdo-none"));
        assert!(store.open("../../etc/passwd").is_err());
        assert!(store.open(&"A".repeat(64)).is_err());
        assert!(!store.contains(&"0".repeat(63)));
    }
}
