//! The organisation's own assessment intervals where the pack marks its default adjustable (NĐ 331 Điều 28 khoản 5 điểm a: "theo cấp độ và mức độ rủi ro"); the nearest ancestor's setting applies to a subtree.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use super::audit::{self, Change};
use super::{utc, Actor};
use crate::db::{self, write_tx, AnyConn};
use crate::domain::Role;
use crate::error::{AppError, FieldErrors};
use crate::repo::assessment_intervals::{self as repo, IntervalRow};
use crate::repo::organizations::{self, OrganizationRow};
use crate::rules::dossier::AssessmentScope;
use crate::rules::Registry;

/// Chu kỳ kiểm tra, đánh giá do cơ quan tự đặt.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct IntervalView {
    /// `system` hoặc `agency`.
    pub scope: String,
    /// Cấp độ (0 với đánh giá tổng thể của cơ quan).
    pub level: i32,
    pub every_months: i32,
    pub reason: String,
    /// Đơn vị đặt chu kỳ (chính đơn vị này hoặc đơn vị cấp trên).
    pub organization_id: String,
    /// Đặt ở đơn vị cấp trên, áp dụng cho cả cây.
    pub inherited: bool,
    pub set_by: Option<String>,
    pub set_at: chrono::DateTime<chrono::Utc>,
}

/// Chu kỳ mặc định của bộ quy tắc.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct DefaultView {
    pub regime_id: String,
    pub scope: AssessmentScope,
    pub levels: Vec<u8>,
    pub every_months: u32,
    /// Cơ quan được điều chỉnh chu kỳ này.
    pub adjustable: bool,
    pub citation: String,
}

/// Chu kỳ áp dụng cho một đơn vị: chu kỳ tự đặt (của đơn vị hoặc cấp trên gần nhất) và mặc định của các bộ quy tắc.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct IntervalsView {
    pub organization_id: String,
    pub items: Vec<IntervalView>,
    pub defaults: Vec<DefaultView>,
}

/// Một chu kỳ cơ quan tự đặt.
#[derive(Clone, Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IntervalInput {
    /// `system` hoặc `agency`.
    pub scope: String,
    /// Cấp độ 1–5 (bỏ trống hoặc 0 với `agency`).
    #[serde(default)]
    pub level: i32,
    /// Số tháng, từ 1 đến 60.
    pub every_months: i32,
    /// Lý do điều chỉnh (ít nhất 10 ký tự), ví dụ kết quả đánh giá rủi ro.
    pub reason: String,
}

/// The ids from the root down to the organisation (its materialised path).
fn lineage(org: &OrganizationRow) -> Vec<String> {
    org.path
        .split('/')
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

fn scope_of(s: &str) -> Option<AssessmentScope> {
    match s {
        "system" => Some(AssessmentScope::System),
        "agency" => Some(AssessmentScope::Agency),
        _ => None,
    }
}

/// The setting that applies to `organization_id` for `scope` and `level`: its own, else the
/// nearest ancestor's.
pub(super) fn effective(
    conn: &mut AnyConn,
    organization_id: &str,
    scope: AssessmentScope,
    level: u8,
) -> Result<Option<IntervalRow>, AppError> {
    let Some(org) = organizations::find(conn, organization_id)? else {
        return Ok(None);
    };
    let ids = lineage(&org);
    let (scope, level) = match scope {
        AssessmentScope::System => ("system", i32::from(level)),
        AssessmentScope::Agency => ("agency", 0),
    };
    let rows = repo::for_scope(conn, &ids, scope, level)?;
    Ok(ids
        .iter()
        .rev()
        .find_map(|id| rows.iter().find(|r| &r.organization_id == id).cloned()))
}

fn allowed(actor: &Actor, conn: &mut AnyConn, org_id: &str) -> Result<OrganizationRow, AppError> {
    let org = organizations::find_in_scope(conn, &actor.scope_path, org_id)?
        .ok_or_else(AppError::not_found)?;
    if !matches!(actor.role, Role::Admin | Role::SecurityOfficer) {
        return Err(AppError::Forbidden(
            "Chỉ quản trị hoặc chuyên trách an toàn thông tin được xem, điều chỉnh chu kỳ kiểm tra, đánh giá".into(),
        ));
    }
    Ok(org)
}

fn load(
    conn: &mut AnyConn,
    registry: &Registry,
    org: &OrganizationRow,
) -> Result<IntervalsView, AppError> {
    let ids = lineage(org);
    let rows = repo::of_orgs(conn, &ids)?;
    // Nearest first: the organisation's own setting hides an ancestor's.
    let mut seen = BTreeSet::new();
    let mut items = Vec::new();
    for id in ids.iter().rev() {
        for r in rows.iter().filter(|r| &r.organization_id == id) {
            if seen.insert((r.scope.clone(), r.level)) {
                items.push(IntervalView {
                    scope: r.scope.clone(),
                    level: r.level,
                    every_months: r.every_months,
                    reason: r.reason.clone(),
                    inherited: r.organization_id != org.id,
                    organization_id: r.organization_id.clone(),
                    set_by: r.set_by.clone(),
                    set_at: utc(r.set_at),
                });
            }
        }
    }
    items.sort_by(|a, b| a.scope.cmp(&b.scope).then(a.level.cmp(&b.level)));
    let defaults = registry
        .packs()
        .iter()
        .filter_map(|p| Some((p.meta.id.clone(), p.dossier.as_ref()?)))
        .flat_map(|(id, d)| {
            d.periodic.iter().map(move |p| DefaultView {
                regime_id: id.clone(),
                scope: p.scope,
                levels: p.levels.clone(),
                every_months: p.every_months,
                adjustable: p.adjustable,
                citation: p.citation.clone(),
            })
        })
        .collect();
    Ok(IntervalsView {
        organization_id: org.id.clone(),
        items,
        defaults,
    })
}

pub fn get(
    conn: &mut AnyConn,
    registry: &Registry,
    actor: &Actor,
    org_id: &str,
) -> Result<IntervalsView, AppError> {
    let org = allowed(actor, conn, org_id)?;
    load(conn, registry, &org)
}

/// Whether some pack leaves this interval to the agency.
fn adjustable(registry: &Registry, scope: AssessmentScope, level: u8) -> bool {
    registry.packs().iter().any(|p| {
        p.dossier
            .as_ref()
            .and_then(|d| d.periodic(scope, level))
            .is_some_and(|p| p.adjustable)
    })
}

/// Replaces the organisation's own intervals with `input`, in one audited transaction.
pub fn put(
    conn: &mut AnyConn,
    registry: &Registry,
    actor: &Actor,
    org_id: &str,
    input: Vec<IntervalInput>,
) -> Result<IntervalsView, AppError> {
    write_tx(conn, |conn| {
        let org = allowed(actor, conn, org_id)?;
        let mut errors = FieldErrors::new();
        let mut fail = |i: usize, field: &str, message: String| {
            errors
                .entry(format!("items[{i}].{field}"))
                .or_default()
                .push(message);
        };
        let now = db::now();
        let mut seen = BTreeSet::new();
        let mut rows = Vec::with_capacity(input.len());
        for (i, item) in input.into_iter().enumerate() {
            let Some(scope) = scope_of(item.scope.trim()) else {
                fail(
                    i,
                    "scope",
                    "Phạm vi phải là system (một hệ thống) hoặc agency (toàn cơ quan)".into(),
                );
                continue;
            };
            let level = match scope {
                AssessmentScope::Agency => 0,
                AssessmentScope::System => item.level,
            };
            let Ok(level_u8) = u8::try_from(level) else {
                fail(i, "level", "Cấp độ từ 1 đến 5".into());
                continue;
            };
            if scope == AssessmentScope::System && !(1..=5).contains(&level_u8) {
                fail(i, "level", "Cấp độ từ 1 đến 5".into());
                continue;
            }
            if !seen.insert((item.scope.trim().to_string(), level)) {
                fail(
                    i,
                    "level",
                    "Mỗi phạm vi và cấp độ chỉ đặt một chu kỳ".into(),
                );
            }
            if !adjustable(registry, scope, level_u8) {
                let what = match scope {
                    AssessmentScope::System => format!("hệ thống cấp độ {level}"),
                    AssessmentScope::Agency => "đánh giá tổng thể của cơ quan".into(),
                };
                fail(
                    i,
                    "every_months",
                    format!("Bộ quy tắc quy định cố định chu kỳ kiểm tra, đánh giá {what}; cơ quan không được điều chỉnh"),
                );
            }
            if !(1..=60).contains(&item.every_months) {
                fail(i, "every_months", "Chu kỳ từ 1 đến 60 tháng".into());
            }
            let reason = item.reason.trim().to_string();
            if reason.chars().count() < 10 || reason.chars().count() > 2000 {
                fail(i, "reason", "Lý do điều chỉnh từ 10 đến 2000 ký tự".into());
            }
            rows.push(IntervalRow {
                organization_id: org.id.clone(),
                scope: item.scope.trim().to_string(),
                level,
                every_months: item.every_months,
                reason,
                set_by: actor.user_id.clone(),
                set_at: now,
            });
        }
        if !errors.is_empty() {
            return Err(AppError::fields(errors));
        }
        let before = repo::of_orgs(conn, std::slice::from_ref(&org.id))?;
        repo::replace(conn, &org.id, &rows)?;
        let summary = |rows: &[IntervalRow]| {
            serde_json::Value::Array(
                rows.iter()
                    .map(|r| serde_json::json!({ "scope": r.scope, "level": r.level, "every_months": r.every_months, "reason": r.reason }))
                    .collect(),
            )
        };
        audit::record(
            conn,
            actor,
            Change {
                entity_type: "assessment_intervals",
                entity_id: &org.id,
                action: "update",
                before: Some(summary(&before)),
                after: Some(summary(&rows)),
                scope_path: &org.path,
            },
        )?;
        load(conn, registry, &org)
    })
}
