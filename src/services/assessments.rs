//! Periodic inspection and assessment (kiểm tra, đánh giá định kỳ): planned from the pack's `periodic` (or the agency's own adjustable interval) when a level is approved, listed, recorded as done (which plans the next one).

use chrono::{Months, NaiveDate};
use serde::Serialize;

pub use super::assessment_completion::{complete, Completion};
use super::audit::{self, Change};
use super::{utc, Actor};
use crate::db::{self, AnyConn};
use crate::error::AppError;
use crate::repo::assessments::{self as repo, AssessmentRow, State};
use crate::repo::systems::scope_ids;
use crate::repo::{organizations, Page};
use crate::rules::calendar::Calendar;
use crate::rules::dossier::AssessmentScope;
use crate::rules::Registry;

/// Một đợt kiểm tra, đánh giá định kỳ.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct AssessmentView {
    pub id: String,
    pub organization_id: String,
    /// Trống với đợt kiểm tra, đánh giá tổng thể của cơ quan.
    pub system_id: Option<String>,
    pub system_name: Option<String>,
    /// `system` (một hệ thống) hoặc `agency` (toàn cơ quan).
    pub scope: String,
    pub title: String,
    pub regime_id: String,
    pub citation: String,
    pub due_on: NaiveDate,
    pub done_on: Option<NaiveDate>,
    /// `planned`, `due` (đến hạn trong 30 ngày), `overdue` hoặc `done`.
    pub state: String,
    pub state_label: String,
    /// Số ngày làm việc đến hạn (âm khi quá hạn); trống khi đã thực hiện hoặc ngoài phạm vi lịch.
    pub working_days_left: Option<i64>,
    pub assessor: Option<String>,
    pub result: Option<String>,
    pub document_number: Option<String>,
    pub document_date: Option<NaiveDate>,
    pub note: Option<String>,
    /// Chu kỳ (tháng) đã dùng để lập kế hoạch đợt này.
    pub interval_months: Option<i32>,
    /// Chu kỳ áp dụng: "theo bộ quy tắc" hoặc "do cơ quan điều chỉnh: <lý do>" (căn cứ ở `citation`).
    pub interval_source: String,
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

/// How far ahead an open assessment counts as due.
pub const DUE_WITHIN_DAYS: i64 = 30;

pub fn title_of(scope: &str, system_name: Option<&str>) -> String {
    match (scope, system_name) {
        ("agency", _) => "Kiểm tra, đánh giá tổng thể về an toàn thông tin của cơ quan".into(),
        (_, Some(name)) => format!("Kiểm tra, đánh giá định kỳ hệ thống “{name}”"),
        _ => "Kiểm tra, đánh giá định kỳ hệ thống".into(),
    }
}

pub fn view(
    calendar: &Calendar,
    row: AssessmentRow,
    system_name: Option<String>,
    today: NaiveDate,
) -> AssessmentView {
    let (state, label) = if row.done_on.is_some() {
        ("done", "Đã thực hiện")
    } else if row.due_on < today {
        ("overdue", "Quá hạn")
    } else if row.due_on <= today + chrono::Duration::days(DUE_WITHIN_DAYS) {
        ("due", "Sắp đến hạn")
    } else {
        ("planned", "Đã lên kế hoạch")
    };
    let working_days_left = row
        .done_on
        .is_none()
        .then(|| {
            calendar
                .working_days_between(today, row.due_on)
                .ok()
                .map(|r| r.value)
        })
        .flatten();
    AssessmentView {
        title: title_of(&row.scope, system_name.as_deref()),
        id: row.id,
        organization_id: row.organization_id,
        system_id: row.system_id,
        system_name,
        scope: row.scope,
        regime_id: row.regime_id,
        citation: row.citation,
        due_on: row.due_on,
        done_on: row.done_on,
        state: state.into(),
        state_label: label.into(),
        working_days_left,
        assessor: row.assessor,
        result: row.result,
        document_number: row.document_number,
        document_date: row.document_date,
        note: row.note,
        interval_source: match &row.interval_reason {
            Some(r) => format!("do cơ quan điều chỉnh: {r}"),
            None => "theo bộ quy tắc".into(),
        },
        interval_months: row.interval_months,
        updated_at: utc(row.updated_at),
    }
}

fn scope_str(scope: AssessmentScope) -> &'static str {
    match scope {
        AssessmentScope::System => "system",
        AssessmentScope::Agency => "agency",
    }
}

/// When the next assessment falls and why.
pub(super) struct NextDue {
    pub due_on: NaiveDate,
    pub citation: String,
    pub months: i32,
    /// The agency's reason when its own interval applied.
    pub reason: Option<String>,
}

/// The next assessment of `scope` after `from` under the pack `regime_id`, if the pack sets an
/// interval: the organisation's own (nearest ancestor's) interval where the pack marks its
/// default adjustable, else the pack's.
pub(super) fn next_due(
    conn: &mut AnyConn,
    registry: &Registry,
    organization_id: &str,
    regime_id: &str,
    scope: AssessmentScope,
    level: u8,
    from: NaiveDate,
) -> Result<Option<NextDue>, AppError> {
    let Some(p) = registry
        .get(regime_id)
        .and_then(|p| p.dossier.as_ref()?.periodic(scope, level))
    else {
        return Ok(None);
    };
    let own = if p.adjustable {
        super::assessment_intervals::effective(conn, organization_id, scope, level)?
    } else {
        None
    };
    let (months, reason) = match own {
        Some(r) => (r.every_months, Some(r.reason)),
        None => (i32::try_from(p.every_months).unwrap_or(12), None),
    };
    let Some(due_on) = u32::try_from(months)
        .ok()
        .and_then(|m| from.checked_add_months(Months::new(m)))
    else {
        return Ok(None);
    };
    Ok(Some(NextDue {
        due_on,
        citation: p.citation.clone(),
        months,
        reason,
    }))
}

/// Plans (or re-plans) the system's next assessment, and the owner organisation's agency-wide
/// one when none is planned, after an approval of `level` under `regime_id` on `approved_on`.
/// Runs inside the caller's transaction.
#[allow(clippy::too_many_arguments)]
pub fn plan_after_approval(
    conn: &mut AnyConn,
    registry: &Registry,
    actor: &Actor,
    system_id: &str,
    organization_id: &str,
    level: u8,
    regime_id: &str,
    approved_on: NaiveDate,
) -> Result<(), AppError> {
    let scope_path = organizations::find(conn, organization_id)?
        .map(|o| o.path)
        .unwrap_or_default();
    for (scope, system) in [
        (AssessmentScope::System, Some(system_id)),
        (AssessmentScope::Agency, None),
    ] {
        let Some(next) = next_due(
            conn,
            registry,
            organization_id,
            regime_id,
            scope,
            level,
            approved_on,
        )?
        else {
            continue;
        };
        let existing = repo::open_one(conn, organization_id, system)?;
        let now = db::now();
        let (row, before) = match existing {
            // The agency-wide review keeps its own cycle; one system's approval does not move it.
            Some(_) if scope == AssessmentScope::Agency => continue,
            Some(old) => {
                let mut row = old.clone();
                row.due_on = next.due_on;
                row.citation = next.citation;
                row.interval_months = Some(next.months);
                row.interval_reason = next.reason;
                row.regime_id = regime_id.into();
                row.updated_at = now;
                repo::update(conn, &row)?;
                (row, Some(old))
            }
            None => {
                let row = AssessmentRow {
                    id: db::new_id(),
                    organization_id: organization_id.into(),
                    system_id: system.map(str::to_string),
                    scope: scope_str(scope).into(),
                    regime_id: regime_id.into(),
                    citation: next.citation,
                    due_on: next.due_on,
                    done_on: None,
                    assessor: None,
                    result: None,
                    document_number: None,
                    document_date: None,
                    note: None,
                    created_by: actor.user_id.clone(),
                    created_at: now,
                    updated_at: now,
                    interval_months: Some(next.months),
                    interval_reason: next.reason,
                };
                repo::insert(conn, &row)?;
                (row, None)
            }
        };
        audit::record(
            conn,
            actor,
            Change {
                entity_type: "assessment",
                entity_id: &row.id,
                action: "plan",
                before: before.map(|b| summary(&b)),
                after: Some(summary(&row)),
                scope_path: &scope_path,
            },
        )?;
    }
    Ok(())
}

pub(super) fn summary(row: &AssessmentRow) -> serde_json::Value {
    serde_json::json!({
        "system_id": row.system_id, "scope": row.scope, "regime_id": row.regime_id,
        "due_on": row.due_on, "done_on": row.done_on, "assessor": row.assessor,
        "result": row.result, "document_number": row.document_number,
        "document_date": row.document_date,
    })
}

/// What the list shows: `due` (within 30 days, overdue included), `overdue`, `done`, `open`
/// (default) or `all`.
pub fn parse_state(s: Option<&str>, today: NaiveDate) -> Result<State, AppError> {
    Ok(match s.unwrap_or("open") {
        "open" => State::Open,
        "due" => State::DueBy(today + chrono::Duration::days(DUE_WITHIN_DAYS)),
        "overdue" => State::OverdueOn(today),
        "done" => State::Done,
        "all" => State::All,
        other => {
            return Err(AppError::field(
                "status",
                format!(
                    "Trạng thái “{other}” không hợp lệ; dùng open, due, overdue, done hoặc all"
                ),
            ))
        }
    })
}

/// The organisations an actor's list covers, narrowed to `organization_id`'s subtree if given
/// (`None`: everything).
pub(super) fn visible_orgs(
    conn: &mut AnyConn,
    actor: &Actor,
    organization_id: Option<&str>,
) -> Result<Option<Vec<String>>, AppError> {
    let Some(org) = organization_id else {
        return Ok(scope_ids(conn, &actor.scope_path)?);
    };
    let Some(found) = organizations::find_in_scope(conn, &actor.scope_path, org)? else {
        return Err(AppError::field(
            "organization_id",
            "Không có đơn vị này trong phạm vi của bạn",
        ));
    };
    Ok(scope_ids(conn, &found.path)?.or(Some(vec![found.id])))
}

pub fn list(
    conn: &mut AnyConn,
    calendar: &Calendar,
    actor: &Actor,
    organization_id: Option<&str>,
    state: State,
    today: NaiveDate,
    page: Page,
) -> Result<(Vec<AssessmentView>, i64), AppError> {
    let orgs = visible_orgs(conn, actor, organization_id)?;
    let (rows, total) = repo::list(conn, orgs.as_deref(), state, page)?;
    Ok((
        rows.into_iter()
            .map(|(r, name)| view(calendar, r, name, today))
            .collect(),
        total,
    ))
}
