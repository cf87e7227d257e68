//! Files of dossier components: uploading a new version (or recording only the number and date
//! of a document that stays in the official records system), listing every version, and
//! finding one to download. Who may do what is decided as for editing a component.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;

use super::audit::{self, Change};
use super::dossier_views::DossierView;
use super::dossiers::{self, find_visible, scope_of, ComponentChanges};
use super::{utc, Actor};
use crate::db::{self, write_tx, AnyConn};
use crate::domain::file_kind::FileKind;
use crate::domain::file_name;
use crate::error::AppError;
use crate::repo::dossier_files::{self as repo, FileRow, FileWithUploader};
use crate::repo::dossiers as dossiers_repo;
use crate::rules::Registry;
use crate::storage::{BlobStore, StagedBlob, StoredBlob};

/// Một phiên bản tệp đính kèm của một thành phần hồ sơ.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct FileView {
    pub id: String,
    /// Mã thành phần hồ sơ, ví dụ `overview`.
    pub component: String,
    /// Phiên bản, từ 1, tăng sau mỗi lần tải lên cho cùng thành phần.
    pub version: i32,
    /// Tên tệp đã làm sạch; phần mở rộng theo nội dung thực của tệp.
    pub name: String,
    /// Loại tệp xác định theo nội dung.
    pub kind: FileKind,
    pub content_type: String,
    /// Kích thước (byte).
    pub size: i64,
    /// SHA-256 của nội dung (chữ thường, hệ 16).
    pub sha256: String,
    pub uploaded_at: chrono::DateTime<chrono::Utc>,
    /// Mã tài khoản đã tải lên.
    pub uploaded_by: Option<String>,
    pub uploaded_by_name: Option<String>,
}

/// An upload already checked and hashed, with the name the client gave it.
#[derive(Debug)]
pub struct NewFile {
    pub blob: StagedBlob,
    pub original_name: String,
}

/// What one upload records on a component: a file, or only the number, date and note of
/// the document (as `PATCH …/components/{component}` does), or both.
#[derive(Debug, Default)]
pub struct UploadInput {
    pub component: String,
    pub file: Option<NewFile>,
    pub document_number: Option<String>,
    pub document_date: Option<NaiveDate>,
    pub note: Option<String>,
}

/// The dossier after an upload, and the file record when a file was stored.
#[derive(Debug)]
pub struct Uploaded {
    pub dossier: DossierView,
    pub file: Option<FileView>,
}

fn file_view(f: FileWithUploader) -> FileView {
    let FileWithUploader {
        file,
        uploader_name,
    } = f;
    FileView {
        kind: FileKind::from_mime(&file.content_type).unwrap_or(FileKind::Pdf),
        id: file.id,
        component: file.component_id,
        version: file.version,
        name: file.file_name,
        content_type: file.content_type,
        size: file.size_bytes,
        sha256: file.sha256,
        uploaded_at: utc(file.uploaded_at),
        uploaded_by: file.uploaded_by,
        uploaded_by_name: uploader_name,
    }
}

/// Every file of a dossier by component, newest version first: one query for the whole
/// dossier view.
pub(super) fn by_component(
    conn: &mut AnyConn,
    dossier_id: &str,
) -> Result<BTreeMap<String, Vec<FileView>>, AppError> {
    let mut map: BTreeMap<String, Vec<FileView>> = BTreeMap::new();
    for f in repo::for_dossier(conn, dossier_id)? {
        let v = file_view(f);
        map.entry(v.component.clone()).or_default().push(v);
    }
    Ok(map)
}

/// Checks what can be checked before the body is read: the dossier exists and the actor sees
/// it (404 otherwise). Whether the actor may change the component is decided in the upload's
/// transaction, exactly as for `PATCH …/components/{component}`.
pub fn check_visible(conn: &mut AnyConn, actor: &Actor, dossier_id: &str) -> Result<(), AppError> {
    find_visible(conn, actor, dossier_id).map(|_| ())
}

/// Records an upload on one component in one transaction: the file version, its audit row and
/// the component's number, date and note when given. A blob this call newly put in the store
/// is removed again when the transaction fails.
pub fn upload(
    conn: &mut AnyConn,
    registry: &Registry,
    store: &BlobStore,
    actor: &Actor,
    dossier_id: &str,
    input: UploadInput,
    today: NaiveDate,
) -> Result<Uploaded, AppError> {
    let UploadInput {
        component,
        file,
        document_number,
        document_date,
        note,
    } = input;
    if file.is_none() && document_number.is_none() && document_date.is_none() && note.is_none() {
        return Err(AppError::field(
            "file",
            "Hãy chọn tệp đính kèm, hoặc nhập số, ký hiệu và ngày của văn bản đang lưu tại hệ thống quản lý văn bản",
        ));
    }
    check_visible(conn, actor, dossier_id)?;
    let changes = ComponentChanges {
        status: None,
        document_number: document_number.map(Some),
        document_date: document_date.map(Some),
        note: note.map(Some),
    };
    let stored = match file {
        Some(f) => Some((
            store.put(f.blob).map_err(AppError::internal)?,
            f.original_name,
        )),
        None => None,
    };
    let result = write_tx(conn, |conn| {
        upload_in_tx(
            conn,
            registry,
            actor,
            (dossier_id, &component),
            stored.as_ref(),
            changes,
            today,
        )
    });
    if let (Err(_), Some((blob, _))) = (&result, &stored) {
        discard(conn, store, blob);
    }
    result
}

/// The upload's writes, for the component `component` of the dossier `dossier_id`.
fn upload_in_tx(
    conn: &mut AnyConn,
    registry: &Registry,
    actor: &Actor,
    (dossier_id, component): (&str, &str),
    stored: Option<&(StoredBlob, String)>,
    changes: ComponentChanges,
    today: NaiveDate,
) -> Result<Uploaded, AppError> {
    // Permissions, the statuses that allow editing, the validation of the number, date and
    // note, and the check that nobody moved the dossier meanwhile: all those of the PATCH.
    let mut dossier =
        dossiers::update_component(conn, registry, actor, dossier_id, component, changes, today)?;
    let Some((blob, original_name)) = stored else {
        return Ok(Uploaded {
            dossier,
            file: None,
        });
    };
    let (row, _) = find_visible(conn, actor, dossier_id)?;
    let file = FileRow {
        id: db::new_id(),
        dossier_id: row.id.clone(),
        component_id: component.to_string(),
        version: repo::next_version(conn, &row.id, component)?,
        sha256: blob.sha256.clone(),
        file_name: file_name::sanitize(original_name, blob.kind),
        content_type: blob.kind.mime().to_string(),
        size_bytes: i64::try_from(blob.size).map_err(AppError::internal)?,
        uploaded_by: actor.user_id.clone(),
        uploaded_at: db::now(),
    };
    repo::insert(conn, &file)?;
    let scope = scope_of(conn, &row)?;
    audit::record(
        conn,
        actor,
        Change {
            entity_type: "dossier",
            entity_id: &row.id,
            action: "upload_file",
            before: None,
            after: Some(serde_json::json!({
                "file_id": file.id,
                "component": file.component_id,
                "version": file.version,
                "name": file.file_name,
                "original_name": original_name,
                "kind": blob.kind,
                "size": file.size_bytes,
                "sha256": file.sha256,
            })),
            scope_path: &scope,
        },
    )?;
    // The view the PATCH answered, with the files as they are now.
    let mut files = by_component(conn, &row.id)?;
    for c in &mut dossier.components {
        c.files = files.remove(&c.component).unwrap_or_default();
    }
    let file = dossier
        .components
        .iter()
        .flat_map(|c| c.files.iter())
        .find(|f| f.id == file.id)
        .cloned();
    Ok(Uploaded { dossier, file })
}

/// Removes a blob that this request created, unless a record points at it by now (the same
/// content uploaded at the same moment by someone else). A blob left behind is only space.
fn discard(conn: &mut AnyConn, store: &BlobStore, blob: &StoredBlob) {
    if !blob.created {
        return;
    }
    match super::compliance_evidence::blob_referenced(conn, &blob.sha256) {
        Ok(false) => {
            if let Err(e) = store.remove(&blob.sha256) {
                tracing::warn!(error = %e, sha256 = %blob.sha256, "could not remove an unused blob");
            }
        }
        Ok(true) => {}
        Err(e) => {
            tracing::warn!(error = %e, sha256 = %blob.sha256, "kept a blob: its references could not be checked");
        }
    }
}

/// Every file of a visible dossier, in checklist order, newest version first per component.
pub fn list(
    conn: &mut AnyConn,
    actor: &Actor,
    dossier_id: &str,
) -> Result<Vec<FileView>, AppError> {
    let (row, _) = find_visible(conn, actor, dossier_id)?;
    let mut files = by_component(conn, &row.id)?;
    let mut out = Vec::new();
    for c in dossiers_repo::components(conn, &row.id)? {
        out.extend(files.remove(&c.component_id).unwrap_or_default());
    }
    out.extend(files.into_values().flatten());
    Ok(out)
}

/// One file of a visible dossier (anyone who may read the dossier may download it).
pub fn find_for_download(
    conn: &mut AnyConn,
    actor: &Actor,
    dossier_id: &str,
    file_id: &str,
) -> Result<FileView, AppError> {
    let (row, _) = find_visible(conn, actor, dossier_id)?;
    let file = repo::find(conn, &row.id, file_id)?
        .ok_or_else(|| AppError::NotFound("Không tìm thấy tệp đính kèm của hồ sơ".into()))?;
    if FileKind::from_mime(&file.content_type).is_none() {
        return Err(AppError::internal(anyhow::anyhow!(
            "file {} has an unknown content type {}",
            file.id,
            file.content_type
        )));
    }
    Ok(file_view(FileWithUploader {
        file,
        uploader_name: None,
    }))
}
