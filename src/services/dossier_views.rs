//! The JSON shape of a dossier: its checklist, its timeline and what may follow, and the
//! summary the audit trail keeps.

use chrono::NaiveDate;
use serde::Serialize;

use super::dossiers::{appraisal_in_pack, status_of, step_of};
use super::utc;
use crate::db::AnyConn;
use crate::domain::dossier::{AppraisalOpinion, ComponentStatus, DossierKind, DossierStatus};
use crate::error::AppError;
use crate::repo::dossiers::{self as repo, ComponentRow, DossierRow};
use crate::repo::systems::SystemRow;
use crate::rules::dossier::DossierStep;
use crate::rules::Registry;

/// Một thành phần của hồ sơ.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct ComponentView {
    /// Mã thành phần trong bộ quy tắc, ví dụ `overview`.
    pub component: String,
    pub title: String,
    pub citation: String,
    pub step: DossierStep,
    pub required: bool,
    pub status: ComponentStatus,
    /// Số, ký hiệu văn bản, ví dụ `2559/SCT-VP`.
    pub document_number: Option<String>,
    pub document_date: Option<NaiveDate>,
    pub note: Option<String>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
    /// Các tệp đính kèm, mọi phiên bản, mới nhất trước.
    pub files: Vec<super::dossier_files::FileView>,
}

/// Một bước trên dòng thời gian của hồ sơ.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct StepView {
    pub from: Option<DossierStatus>,
    pub to: DossierStatus,
    /// Ngày sự việc diễn ra (ngày gửi, ngày tiếp nhận, ngày thẩm định, …).
    pub occurred_on: NaiveDate,
    pub document_number: Option<String>,
    pub document_date: Option<NaiveDate>,
    pub note: Option<String>,
    pub actor_id: Option<String>,
    pub actor_label: String,
    pub at: chrono::DateTime<chrono::Utc>,
}

/// Hồ sơ đề xuất cấp độ, với danh mục thành phần và các bước đã qua.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct DossierView {
    pub id: String,
    pub system_id: String,
    pub system_name: String,
    pub organization_id: String,
    pub kind: DossierKind,
    pub proposed_level: i32,
    /// Cấp độ có trình tự, thủ tục được áp dụng (khác cấp độ đề xuất khi bộ quy tắc chuyển lên trình tự cao hơn).
    pub procedure_level: i32,
    /// Bộ quy tắc (văn bản) và phiên bản tại thời điểm lập hồ sơ.
    pub regime_id: String,
    pub regime_version: String,
    pub status: DossierStatus,
    pub status_label: String,
    /// Các trạng thái hồ sơ có thể chuyển sang.
    pub next: Vec<DossierStatus>,
    pub submission_number: Option<String>,
    pub submission_date: Option<NaiveDate>,
    /// Đơn vị nhận văn bản đề nghị thẩm định, phê duyệt.
    pub submission_recipient: Option<String>,
    pub received_on: Option<NaiveDate>,
    pub appraisal_started_on: Option<NaiveDate>,
    pub appraisal_opinion: Option<AppraisalOpinion>,
    pub appraisal_number: Option<String>,
    pub appraisal_date: Option<NaiveDate>,
    pub decision_number: Option<String>,
    pub decision_date: Option<NaiveDate>,
    pub approved_level: Option<i32>,
    /// Thời hạn pháp lý đang chạy (trống khi không có thời hạn nào đang chạy).
    pub clock: Option<super::dossier_clock::ClockView>,
    pub components: Vec<ComponentView>,
    pub steps: Vec<StepView>,
    /// Các hệ thống của hồ sơ (hệ thống đầu tiên trước); nhiều hệ thống khi văn bản cho phép.
    pub systems: Vec<super::dossier_multi::DossierSystemView>,
    /// Thẩm quyền thẩm định, phê duyệt: vai trò theo văn bản và đơn vị cụ thể.
    pub authority: super::dossier_routing::AuthorityView,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

pub(super) fn component_view(c: ComponentRow) -> ComponentView {
    ComponentView {
        step: step_of(&c),
        status: ComponentStatus::parse(&c.status).unwrap_or(ComponentStatus::Missing),
        component: c.component_id,
        title: c.title,
        citation: c.citation,
        required: c.required,
        document_number: c.document_number,
        document_date: c.document_date,
        note: c.note,
        updated_at: utc(c.updated_at),
        files: Vec::new(),
    }
}

pub(super) fn view(
    conn: &mut AnyConn,
    registry: &Registry,
    row: &DossierRow,
    system: &SystemRow,
) -> Result<DossierView, AppError> {
    let components = repo::components(conn, &row.id)?;
    let mut files = super::dossier_files::by_component(conn, &row.id)?;
    let status = status_of(row)?;
    let next = status.next(appraisal_in_pack(&components));
    let steps = repo::steps(conn, &row.id)?
        .into_iter()
        .map(|s| StepView {
            from: s.from_status.as_deref().and_then(DossierStatus::parse),
            to: DossierStatus::parse(&s.to_status).unwrap_or(DossierStatus::Draft),
            occurred_on: s.occurred_on,
            document_number: s.document_number,
            document_date: s.document_date,
            note: s.note,
            actor_id: s.actor_id,
            actor_label: s.actor_label,
            at: utc(s.at),
        })
        .collect();
    Ok(DossierView {
        id: row.id.clone(),
        system_id: row.system_id.clone(),
        system_name: system.name.clone(),
        organization_id: row.organization_id.clone(),
        kind: DossierKind::parse(&row.kind).unwrap_or(DossierKind::First),
        proposed_level: row.proposed_level,
        procedure_level: row.procedure_level,
        regime_id: row.regime_id.clone(),
        regime_version: row.regime_version.clone(),
        status,
        status_label: status.label().into(),
        next,
        submission_number: row.submission_number.clone(),
        submission_date: row.submission_date,
        submission_recipient: row.submission_recipient.clone(),
        received_on: row.received_on,
        appraisal_started_on: row.appraisal_started_on,
        appraisal_opinion: row
            .appraisal_opinion
            .as_deref()
            .and_then(AppraisalOpinion::parse),
        appraisal_number: row.appraisal_number.clone(),
        appraisal_date: row.appraisal_date,
        decision_number: row.decision_number.clone(),
        decision_date: row.decision_date,
        approved_level: row.approved_level,
        clock: super::dossier_clock::view(row, registry, crate::rules::today_in_vietnam()),
        components: components
            .into_iter()
            .map(|c| ComponentView {
                files: files.remove(&c.component_id).unwrap_or_default(),
                ..component_view(c)
            })
            .collect(),
        steps,
        systems: super::dossier_multi::systems_view(conn, row, system)?,
        authority: super::dossier_routing::stored(conn, row)?.unwrap_or_default(),
        created_at: utc(row.created_at),
        updated_at: utc(row.updated_at),
    })
}

/// What the audit trail keeps of a dossier: its state, not the whole checklist.
pub(super) fn audit_summary(view: &DossierView) -> serde_json::Value {
    serde_json::json!({
        "system_id": view.system_id,
        "kind": view.kind,
        "status": view.status,
        "proposed_level": view.proposed_level,
        "procedure_level": view.procedure_level,
        "regime_id": view.regime_id,
        "regime_version": view.regime_version,
        "submission_number": view.submission_number,
        "submission_date": view.submission_date,
        "submission_recipient": view.submission_recipient,
        "received_on": view.received_on,
        "appraisal_opinion": view.appraisal_opinion,
        "appraisal_number": view.appraisal_number,
        "appraisal_date": view.appraisal_date,
        "decision_number": view.decision_number,
        "decision_date": view.decision_date,
        "approved_level": view.approved_level,
        "systems": view.systems.iter().map(|s| s.system_id.clone()).collect::<Vec<_>>(),
        "appraiser_unit": view.authority.appraiser.as_ref().map(|u| u.name.clone()),
        "approver_unit": view.authority.approver.as_ref().map(|u| u.name.clone()),
        "components": view.components.iter().map(|c| (c.component.clone(), c.status)).collect::<std::collections::BTreeMap<_, _>>(),
    })
}
