//! Answering one requirement of a checklist: its status, how it is met, who is responsible and
//! by when, and the evidence (documents by number and date, files stored like dossier files).

use chrono::{Datelike, NaiveDate};

use super::audit::{self, Change};
use super::compliance::{choose, refresh_tallies, scope_of};
use super::compliance_views::{evidence_view, has_dated_document, EvidenceView};
use super::dossier_files::NewFile;
use super::systems::{find_visible, may_edit};
use super::Actor;
use crate::db::{self, write_tx, AnyConn};
use crate::domain::compliance::ComplianceStatus;
use crate::domain::document_number::DocNumber;
use crate::domain::file_name;
use crate::error::{AppError, FieldErrors};
use crate::repo::compliance::{self as repo, EvidenceRow, ItemRow, ReviewRow};
use crate::repo::systems::SystemRow;
use crate::repo::{dossier_files, users};
use crate::rules::baseline::{Requirement, Special};
use crate::rules::Registry;
use crate::storage::{BlobStore, StoredBlob};

/// What a PATCH of one requirement changes; `None` leaves a field as it is, `Some(None)` clears it.
#[derive(Clone, Debug, Default)]
pub struct ItemChanges {
    pub status: Option<ComplianceStatus>,
    pub na_reason: Option<Option<String>>,
    pub how_met: Option<Option<String>>,
    pub responsible_id: Option<Option<String>>,
    pub target_date: Option<Option<NaiveDate>>,
}

/// A piece of evidence to add: a document by number and date, a file, or both.
#[derive(Debug, Default)]
pub struct EvidenceInput {
    pub title: Option<String>,
    pub document_number: Option<String>,
    pub document_date: Option<NaiveDate>,
    pub file: Option<NewFile>,
}

/// The current review, the answer and the requirement a request is about, for an editor.
struct Target {
    system: SystemRow,
    review: ReviewRow,
    item: ItemRow,
    requirement: Requirement,
}

fn target(
    conn: &mut AnyConn,
    registry: &Registry,
    actor: &Actor,
    system_id: &str,
    baseline: Option<&str>,
    code: &str,
) -> Result<Target, AppError> {
    let system = find_visible(conn, actor, system_id)?;
    let chosen = choose(registry, &system, baseline)?;
    let review = repo::current(conn, &system.id, &chosen.baseline.id)?.ok_or_else(|| {
        AppError::NotFound(
            "Hệ thống chưa lập bảng đánh giá đáp ứng yêu cầu theo danh mục này".into(),
        )
    })?;
    if !may_edit(conn, actor, &system)? {
        return Err(AppError::forbidden());
    }
    let item = repo::find_item(conn, &review.id, code)?.ok_or_else(|| {
        AppError::NotFound(format!(
            "Yêu cầu `{code}` không có trong bảng đánh giá của hệ thống ở cấp độ {}",
            review.level
        ))
    })?;
    let requirement = chosen
        .baseline
        .requirement(code)
        .cloned()
        .ok_or_else(|| AppError::NotFound(format!("Danh mục không còn yêu cầu `{code}`")))?;
    Ok(Target {
        system,
        review,
        item,
        requirement,
    })
}

/// Checks that the actor may answer `code` in the current checklist (before an upload's body
/// is read).
pub fn check_editable(
    conn: &mut AnyConn,
    registry: &Registry,
    actor: &Actor,
    system_id: &str,
    baseline: Option<&str>,
    code: &str,
) -> Result<(), AppError> {
    target(conn, registry, actor, system_id, baseline, code).map(drop)
}

fn text(
    errors: &mut FieldErrors,
    field: &str,
    value: Option<String>,
    max: usize,
    what: &str,
) -> Option<String> {
    let value = value
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())?;
    if value.chars().count() > max {
        errors
            .entry(field.into())
            .or_default()
            .push(format!("{what} dài tối đa {max} ký tự"));
    }
    Some(value)
}

/// Records the answer to one requirement of the current checklist, in one transaction with its
/// audit row and the review's tallies.
#[allow(clippy::too_many_arguments)]
pub fn update_item(
    conn: &mut AnyConn,
    registry: &Registry,
    actor: &Actor,
    system_id: &str,
    baseline: Option<&str>,
    code: &str,
    changes: ItemChanges,
    today: NaiveDate,
) -> Result<super::compliance_views::ChecklistView, AppError> {
    write_tx(conn, |conn| {
        let t = target(conn, registry, actor, system_id, baseline, code)?;
        let before = t.item.clone();
        let mut next = t.item.clone();
        let mut errors = FieldErrors::new();
        if let Some(status) = changes.status {
            next.status = status.as_str().into();
        }
        if let Some(v) = changes.how_met {
            next.how_met = text(&mut errors, "how_met", v, 4000, "Cách đáp ứng");
        }
        if let Some(v) = changes.na_reason {
            next.na_reason = text(&mut errors, "na_reason", v, 1000, "Lý do không áp dụng");
        }
        if let Some(v) = changes.target_date {
            if v.is_some_and(|d| !(2016..=2100).contains(&d.year())) {
                errors
                    .entry("target_date".into())
                    .or_default()
                    .push("Ngày mục tiêu không hợp lệ".into());
            }
            next.target_date = v;
        }
        if let Some(v) = changes.responsible_id {
            let v = v.map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
            if let Some(id) = &v {
                match users::find_in_scope(conn, &actor.scope_path, id)? {
                    Some(u) if u.active => {}
                    Some(_) => errors
                        .entry("responsible_id".into())
                        .or_default()
                        .push("Tài khoản này đã bị khóa; hãy chọn người khác".into()),
                    None => errors
                        .entry("responsible_id".into())
                        .or_default()
                        .push("Không có tài khoản này trong phạm vi của bạn".into()),
                }
            }
            next.responsible_id = v;
        }
        let status = ComplianceStatus::parse(&next.status).unwrap_or(ComplianceStatus::ToReview);
        if status == ComplianceStatus::NotApplicable && next.na_reason.is_none() {
            errors
                .entry("na_reason".into())
                .or_default()
                .push("Vui lòng ghi lý do không áp dụng yêu cầu này".into());
        }
        if status != ComplianceStatus::NotApplicable {
            next.na_reason = None;
        }
        if t.requirement.special == Some(Special::RegulationBeforeApproval)
            && status == ComplianceStatus::Met
        {
            let evidence: Vec<EvidenceView> =
                repo::evidence_for(conn, &t.system.id, &t.review.baseline_id)?
                    .into_iter()
                    .filter(|(e, _)| e.requirement_code == code)
                    .map(|(e, by)| evidence_view(&t.system.id, e, by))
                    .collect();
            if !has_dated_document(&evidence) {
                errors.entry("status".into()).or_default().push(
                    "Hãy ghi số, ký hiệu và ngày ban hành quy chế (thêm minh chứng là văn bản) trước khi đánh dấu Đáp ứng".into(),
                );
            }
        }
        if !errors.is_empty() {
            return Err(AppError::fields(errors));
        }
        next.updated_by = actor.user_id.clone();
        next.updated_at = db::now();
        repo::update_item(conn, &next)?;
        refresh_tallies(conn, &t.review.id)?;
        let scope = scope_of(conn, &t.system)?;
        let summary = |i: &ItemRow| {
            serde_json::json!({
                "code": i.requirement_code,
                "status": i.status,
                "na_reason": i.na_reason,
                "how_met": i.how_met,
                "responsible_id": i.responsible_id,
                "target_date": i.target_date,
            })
        };
        audit::record(
            conn,
            actor,
            Change {
                entity_type: "system",
                entity_id: &t.system.id,
                action: "compliance_item_updated",
                before: Some(summary(&before)),
                after: Some(summary(&next)),
                scope_path: &scope,
            },
        )?;
        let baseline = registry
            .baseline(&t.review.baseline_id)
            .ok_or_else(AppError::not_found)?;
        super::compliance_views::checklist_view(
            conn, registry, &t.system, baseline, &t.review, true, today,
        )
    })
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
