//! What a compliance checklist looks like to its readers: requirements by group with their
//! answers, evidence and percentages.

use std::collections::HashMap;

use chrono::NaiveDate;
use serde::Serialize;

use super::utc;
use crate::db::AnyConn;
use crate::domain::compliance::{ComplianceStatus, Tally, PERCENT_RULE};
use crate::error::AppError;
use crate::repo::compliance::{self as repo, EvidenceRow, ReviewRow};
use crate::repo::systems::SystemRow;
use crate::rules::baseline::{Baseline, Part, Special};
use crate::rules::model::Basis;
use crate::rules::Registry;

/// Một minh chứng: văn bản (số, ký hiệu, ngày) và/hoặc tệp đính kèm.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct EvidenceView {
    pub id: String,
    pub title: Option<String>,
    pub document_number: Option<String>,
    pub document_date: Option<NaiveDate>,
    /// Tên tệp đã làm sạch, khi có tệp.
    pub file_name: Option<String>,
    pub content_type: Option<String>,
    pub size: Option<i64>,
    pub sha256: Option<String>,
    /// Đường dẫn tải tệp (API), khi có tệp.
    pub download_path: Option<String>,
    pub added_at: chrono::DateTime<chrono::Utc>,
    pub added_by_name: Option<String>,
}

/// Một yêu cầu trong bảng đánh giá, với câu trả lời.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct ItemView {
    /// Mã ổn định của capdo, ví dụ `C2.1`.
    pub code: String,
    pub group: String,
    pub part: Part,
    pub text: String,
    pub citation: String,
    pub basis: Basis,
    /// Điều khoản/mục được dẫn ở cấp độ này (ví dụ TCVN 11930:2017 `7.2.1.4`).
    pub clause: Option<String>,
    /// Yêu cầu riêng của cấp độ này.
    pub detail: Option<String>,
    pub special: Option<Special>,
    pub status: ComplianceStatus,
    pub status_label: String,
    /// Lý do không áp dụng.
    pub na_reason: Option<String>,
    /// Cách đáp ứng.
    pub how_met: Option<String>,
    pub responsible_id: Option<String>,
    pub responsible_name: Option<String>,
    pub target_date: Option<NaiveDate>,
    /// Còn là tồn tại và đã quá ngày mục tiêu.
    pub overdue: bool,
    pub evidence: Vec<EvidenceView>,
}

/// Một nhóm yêu cầu với tỷ lệ đáp ứng.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct GroupView {
    pub code: String,
    pub part: Part,
    pub part_label: String,
    pub title: String,
    pub tally: Tally,
    pub percent: Option<f64>,
    pub items: Vec<ItemView>,
}

/// Kỳ rà soát.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct ReviewView {
    pub id: String,
    pub year: i32,
    /// Cấp độ bảng đánh giá đang theo.
    pub level: i32,
    /// approved | proposed | computed: cấp độ được phê duyệt, đề xuất, hay do quy tắc tính.
    pub level_source: String,
    pub hosting_kind: Option<String>,
    /// Thời hạn phải đáp ứng (danh mục của chế độ mới áp dụng cho hệ thống đã phân loại theo chế độ cũ).
    pub due_on: Option<NaiveDate>,
    pub is_current: bool,
    pub previous_id: Option<String>,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

/// Danh mục yêu cầu khác áp dụng cho hệ thống.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct OtherBaseline {
    pub id: String,
    pub title: String,
    pub due_on: Option<NaiveDate>,
    pub started: bool,
}

/// Bảng đánh giá đáp ứng yêu cầu cơ bản theo cấp độ của một hệ thống.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct ChecklistView {
    pub system_id: String,
    pub system_name: String,
    pub baseline_id: String,
    pub baseline_title: String,
    pub standard: String,
    pub review: ReviewView,
    pub tally: Tally,
    pub percent: Option<f64>,
    /// Cách tính tỷ lệ.
    pub percent_rule: String,
    /// Quy chế bảo đảm an toàn đã được ghi nhận (số, ký hiệu, ngày) — điều kiện để phê duyệt hồ sơ.
    pub regulation_recorded: bool,
    pub groups: Vec<GroupView>,
    pub other_baselines: Vec<OtherBaseline>,
    /// Người xem được cập nhật bảng này.
    pub editable: bool,
}

pub(super) fn evidence_view(system_id: &str, e: EvidenceRow, by: Option<String>) -> EvidenceView {
    EvidenceView {
        download_path: e
            .sha256
            .as_ref()
            .map(|_| format!("/api/v1/systems/{system_id}/compliance/evidence/{}", e.id)),
        id: e.id,
        title: e.title,
        document_number: e.document_number,
        document_date: e.document_date,
        file_name: e.file_name,
        content_type: e.content_type,
        size: e.size_bytes,
        sha256: e.sha256,
        added_at: utc(e.added_at),
        added_by_name: by,
    }
}

/// Whether a requirement's evidence records a document by number and date.
pub(super) fn has_dated_document(evidence: &[EvidenceView]) -> bool {
    evidence
        .iter()
        .any(|e| e.document_number.is_some() && e.document_date.is_some())
}

/// Every review of a visible system under one catalogue, newest year first, with its tally.
pub fn review_history(
    conn: &mut AnyConn,
    registry: &Registry,
    actor: &super::Actor,
    system_id: &str,
    baseline: Option<&str>,
) -> Result<Vec<(ReviewView, Tally)>, AppError> {
    let row = super::systems::find_visible(conn, actor, system_id)?;
    let chosen = super::compliance::choose(registry, &row, baseline)?;
    let mut out = Vec::new();
    for r in repo::history(conn, &row.id, &chosen.baseline.id)? {
        let mut tally = Tally::default();
        for t in repo::tallies(conn, &r.id)? {
            tally.add(&Tally {
                total: t.total.into(),
                met: t.met.into(),
                partial: t.partial.into(),
                not_met: t.not_met.into(),
                not_applicable: t.not_applicable.into(),
                to_review: t.to_review.into(),
            });
        }
        out.push((review_view(&r), tally));
    }
    Ok(out)
}

pub(super) fn review_view(r: &ReviewRow) -> ReviewView {
    ReviewView {
        id: r.id.clone(),
        year: r.year,
        level: r.level,
        level_source: r.level_source.clone(),
        hosting_kind: r.hosting_kind.clone(),
        due_on: r.due_on,
        is_current: r.is_current,
        previous_id: r.previous_id.clone(),
        created_at: utc(r.created_at),
    }
}

/// The whole checklist of one review: three queries (answers, evidence, other catalogues).
pub fn checklist_view(
    conn: &mut AnyConn,
    registry: &Registry,
    system: &SystemRow,
    baseline: &Baseline,
    review: &ReviewRow,
    editable: bool,
    today: NaiveDate,
) -> Result<ChecklistView, AppError> {
    let level = u8::try_from(review.level).unwrap_or(0);
    let mut evidence: HashMap<String, Vec<EvidenceView>> = HashMap::new();
    for (e, by) in repo::evidence_for(conn, &system.id, &baseline.id)? {
        evidence
            .entry(e.requirement_code.clone())
            .or_default()
            .push(evidence_view(&system.id, e, by));
    }
    let mut groups: Vec<GroupView> = Vec::new();
    let mut tally = Tally::default();
    let mut regulation_recorded = false;
    for (item, responsible_name) in repo::items_with_responsible(conn, &review.id)? {
        // An answer to a requirement an overlay catalogue no longer has stays visible by code.
        let requirement = baseline.requirement(&item.requirement_code);
        let status = ComplianceStatus::parse(&item.status).unwrap_or(ComplianceStatus::ToReview);
        let rule = requirement.and_then(|r| r.levels.get(&level));
        let ev = evidence.remove(&item.requirement_code).unwrap_or_default();
        let special = requirement.and_then(|r| r.special);
        if special == Some(Special::RegulationBeforeApproval)
            && status == ComplianceStatus::Met
            && has_dated_document(&ev)
        {
            regulation_recorded = true;
        }
        let view = ItemView {
            text: requirement.map_or_else(|| item.requirement_code.clone(), |r| r.text.clone()),
            part: requirement.map_or(Part::General, |r| r.part),
            citation: requirement.map(|r| r.citation.clone()).unwrap_or_default(),
            basis: requirement.map_or(Basis::Interpretation, |r| r.basis),
            clause: rule.and_then(|r| r.clause.clone()),
            detail: rule.and_then(|r| r.detail.clone()),
            special,
            status,
            status_label: status.label().into(),
            na_reason: item.na_reason,
            how_met: item.how_met,
            responsible_id: item.responsible_id,
            responsible_name,
            overdue: status.is_gap() && item.target_date.is_some_and(|d| d < today),
            target_date: item.target_date,
            evidence: ev,
            group: item.group_code.clone(),
            code: item.requirement_code,
        };
        tally.count(status);
        match groups.iter_mut().find(|g| g.code == item.group_code) {
            Some(g) => {
                g.tally.count(status);
                g.items.push(view);
            }
            None => {
                let group = baseline.group(&item.group_code);
                let part = group.map_or(view.part, |g| g.part);
                let mut t = Tally::default();
                t.count(status);
                groups.push(GroupView {
                    code: item.group_code,
                    part,
                    part_label: part.label().into(),
                    title: group.map_or_else(String::new, |g| g.title.clone()),
                    tally: t,
                    percent: None,
                    items: vec![view],
                });
            }
        }
    }
    for g in &mut groups {
        g.percent = g.tally.percent();
    }
    let mut other_baselines = Vec::new();
    for a in super::compliance::applicable(registry, &system.regime_id) {
        if a.baseline.id == baseline.id {
            continue;
        }
        other_baselines.push(OtherBaseline {
            started: repo::current(conn, &system.id, &a.baseline.id)?.is_some(),
            id: a.baseline.id.clone(),
            title: a.baseline.title.clone(),
            due_on: a.due_on,
        });
    }
    Ok(ChecklistView {
        system_id: system.id.clone(),
        system_name: system.name.clone(),
        baseline_id: baseline.id.clone(),
        baseline_title: baseline.title.clone(),
        standard: baseline.standard.clone(),
        review: review_view(review),
        percent: tally.percent(),
        tally,
        percent_rule: PERCENT_RULE.into(),
        regulation_recorded,
        groups,
        other_baselines,
        editable,
    })
}
