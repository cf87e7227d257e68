//! Answering one requirement of a checklist: its status, how it is met, who is responsible and
//! by when, and the evidence (documents by number and date, files stored like dossier files).

use chrono::{Datelike, NaiveDate};

use super::audit::{self, Change};
use super::compliance::{choose, refresh_tallies, scope_of};
use super::compliance_views::{evidence_view, has_dated_document, EvidenceView};
use super::systems::{find_visible, may_edit};
use super::Actor;
use crate::db::{self, write_tx, AnyConn};
use crate::domain::compliance::ComplianceStatus;
use crate::error::{AppError, FieldErrors};
use crate::repo::compliance::{self as repo, ItemRow, ReviewRow};
use crate::repo::systems::SystemRow;
use crate::repo::users;
use crate::rules::baseline::{Requirement, Special};
use crate::rules::Registry;

/// What a PATCH of one requirement changes; `None` leaves a field as it is, `Some(None)` clears it.
#[derive(Clone, Debug, Default)]
pub struct ItemChanges {
    pub status: Option<ComplianceStatus>,
    pub na_reason: Option<Option<String>>,
    pub how_met: Option<Option<String>>,
    pub responsible_id: Option<Option<String>>,
    pub target_date: Option<Option<NaiveDate>>,
}

/// The current review, the answer and the requirement a request is about, for an editor.
pub(super) struct Target {
    pub system: SystemRow,
    pub review: ReviewRow,
    pub item: ItemRow,
    pub requirement: Requirement,
}

pub(super) fn target(
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

pub(super) fn text(
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
