//! Evidence of a requirement: documents by number and date and files stored like dossier
//! files, kept per system and requirement from one review to the next.

use chrono::NaiveDate;

use super::audit::{self, Change};
use super::compliance::scope_of;
use super::compliance_items::{target, text};
use super::compliance_views::{evidence_view, EvidenceView};
use super::dossier_files::NewFile;
use super::systems::{find_visible, may_edit};
use super::Actor;
use crate::db::{self, write_tx, AnyConn};
use crate::domain::document_number::DocNumber;
use crate::domain::file_name;
use crate::error::{AppError, FieldErrors};
use crate::repo::compliance::{self as repo, EvidenceRow};
use crate::repo::dossier_files;
use crate::rules::Registry;
use crate::storage::{BlobStore, StoredBlob};

/// A piece of evidence to add: a document by number and date, a file, or both.
#[derive(Debug, Default)]
pub struct EvidenceInput {
    pub title: Option<String>,
    pub document_number: Option<String>,
    pub document_date: Option<NaiveDate>,
    pub file: Option<NewFile>,
}

/// Adds evidence to one requirement. A blob this call newly stored is removed again when the
/// transaction fails.
#[allow(clippy::too_many_arguments)]
pub fn add_evidence(
    conn: &mut AnyConn,
    registry: &Registry,
    store: &BlobStore,
    actor: &Actor,
    system_id: &str,
    baseline: Option<&str>,
    code: &str,
    input: EvidenceInput,
    today: NaiveDate,
) -> Result<EvidenceView, AppError> {
    let mut errors = FieldErrors::new();
    let title = text(&mut errors, "title", input.title, 300, "Tên minh chứng");
    let number = match input.document_number.as_deref().map(str::trim) {
        Some(n) if !n.is_empty() => match DocNumber::parse(n) {
            Ok(n) => Some(n.into_string()),
            Err(e) => {
                errors.entry("document_number".into()).or_default().push(e);
                None
            }
        },
        _ => None,
    };
    if input.document_date.is_some_and(|d| d > today) {
        errors
            .entry("document_date".into())
            .or_default()
            .push("Ngày văn bản không được sau hôm nay".into());
    }
    if input.file.is_none() && number.is_none() && errors.is_empty() {
        errors
            .entry("file".into())
            .or_default()
            .push("Hãy chọn tệp minh chứng, hoặc nhập số, ký hiệu và ngày của văn bản".into());
    }
    if !errors.is_empty() {
        return Err(AppError::fields(errors));
    }
    // Visibility and permission before the bytes go into the store.
    target(conn, registry, actor, system_id, baseline, code)?;
    let stored = match input.file {
        Some(f) => Some((
            store.put(f.blob).map_err(AppError::internal)?,
            f.original_name,
        )),
        None => None,
    };
    let result = write_tx(conn, |conn| {
        let t = target(conn, registry, actor, system_id, baseline, code)?;
        let row = EvidenceRow {
            id: db::new_id(),
            system_id: t.system.id.clone(),
            baseline_id: t.review.baseline_id.clone(),
            requirement_code: code.to_string(),
            title: title.clone(),
            document_number: number.clone(),
            document_date: input.document_date,
            sha256: stored.as_ref().map(|(b, _)| b.sha256.clone()),
            file_name: stored
                .as_ref()
                .map(|(b, name)| file_name::sanitize(name, b.kind)),
            content_type: stored.as_ref().map(|(b, _)| b.kind.mime().to_string()),
            size_bytes: stored
                .as_ref()
                .map(|(b, _)| i64::try_from(b.size).unwrap_or(i64::MAX)),
            added_by: actor.user_id.clone(),
            added_at: db::now(),
        };
        repo::insert_evidence(conn, &row)?;
        let scope = scope_of(conn, &t.system)?;
        audit::record(
            conn,
            actor,
            Change {
                entity_type: "system",
                entity_id: &t.system.id,
                action: "compliance_evidence_added",
                before: None,
                after: Some(serde_json::json!({
                    "evidence_id": row.id,
                    "baseline": row.baseline_id,
                    "code": code,
                    "title": row.title,
                    "document_number": row.document_number,
                    "document_date": row.document_date,
                    "file_name": row.file_name,
                    "sha256": row.sha256,
                })),
                scope_path: &scope,
            },
        )?;
        let by = actor.label.clone();
        Ok(evidence_view(&t.system.id, row, Some(by)))
    });
    if let (Err(_), Some((blob, _))) = (&result, &stored) {
        discard(conn, store, blob);
    }
    result
}

/// Removes one piece of evidence (the file's bytes stay while anything points at them).
pub fn remove_evidence(
    conn: &mut AnyConn,
    actor: &Actor,
    system_id: &str,
    evidence_id: &str,
) -> Result<(), AppError> {
    write_tx(conn, |conn| {
        let system = find_visible(conn, actor, system_id)?;
        if !may_edit(conn, actor, &system)? {
            return Err(AppError::forbidden());
        }
        let row = repo::find_evidence(conn, &system.id, evidence_id)?
            .ok_or_else(|| AppError::NotFound("Không tìm thấy minh chứng".into()))?;
        repo::delete_evidence(conn, &row.id)?;
        let scope = scope_of(conn, &system)?;
        audit::record(
            conn,
            actor,
            Change {
                entity_type: "system",
                entity_id: &system.id,
                action: "compliance_evidence_removed",
                before: Some(serde_json::json!({
                    "evidence_id": row.id,
                    "code": row.requirement_code,
                    "document_number": row.document_number,
                    "file_name": row.file_name,
                    "sha256": row.sha256,
                })),
                after: None,
                scope_path: &scope,
            },
        )
    })
}

/// One piece of evidence with a file, for anyone who sees the system.
pub fn evidence_for_download(
    conn: &mut AnyConn,
    actor: &Actor,
    system_id: &str,
    evidence_id: &str,
) -> Result<EvidenceRow, AppError> {
    let system = find_visible(conn, actor, system_id)?;
    repo::find_evidence(conn, &system.id, evidence_id)?
        .filter(|e| e.sha256.is_some())
        .ok_or_else(|| AppError::NotFound("Không tìm thấy tệp minh chứng".into()))
}

/// Whether a dossier file or a piece of evidence points at this content.
pub fn blob_referenced(conn: &mut AnyConn, sha256: &str) -> diesel::QueryResult<bool> {
    Ok(dossier_files::sha256_referenced(conn, sha256)? || repo::sha256_referenced(conn, sha256)?)
}

fn discard(conn: &mut AnyConn, store: &BlobStore, blob: &StoredBlob) {
    if !blob.created {
        return;
    }
    match blob_referenced(conn, &blob.sha256) {
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
