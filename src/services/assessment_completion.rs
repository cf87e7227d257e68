//! Recording a periodic assessment as done, which plans the next one from the pack in force on its day.

use chrono::NaiveDate;

use super::assessments::{next_due, summary, view, AssessmentView};
use super::audit::{self, Change};
use super::systems::manages;
use super::Actor;
use crate::db::{self, write_tx, AnyConn};
use crate::domain::document_number::DocNumber;
use crate::error::{AppError, FieldErrors};
use crate::repo::assessments::{self as repo, AssessmentRow};
use crate::repo::organizations;
use crate::repo::systems as systems_repo;
use crate::rules::calendar::Calendar;
use crate::rules::dossier::AssessmentScope;
use crate::rules::Registry;

/// The record of a done assessment.
#[derive(Clone, Debug)]
pub struct Completion {
    pub done_on: NaiveDate,
    pub assessor: String,
    pub result: String,
    pub document_number: Option<String>,
    pub document_date: Option<NaiveDate>,
    pub note: Option<String>,
}

fn text(
    errors: &mut FieldErrors,
    field: &str,
    value: &str,
    max: usize,
    required: &str,
) -> Option<String> {
    let v = value.trim();
    if v.is_empty() || v.chars().count() > max {
        errors
            .entry(field.into())
            .or_default()
            .push(format!("{required} (tối đa {max} ký tự)"));
        return None;
    }
    Some(v.to_string())
}

/// Records an assessment as done and plans the next one from the pack in force on its day.
pub fn complete(
    conn: &mut AnyConn,
    registry: &Registry,
    calendar: &Calendar,
    actor: &Actor,
    id: &str,
    c: Completion,
    today: NaiveDate,
) -> Result<AssessmentView, AppError> {
    write_tx(conn, |conn| {
        let old = repo::find(conn, id)?.ok_or_else(AppError::not_found)?;
        let system = match &old.system_id {
            Some(s) => Some(
                systems_repo::find_in_scope(conn, &actor.scope_path, s)?
                    .ok_or_else(AppError::not_found)?,
            ),
            None => None,
        };
        let org = organizations::find_in_scope(conn, &actor.scope_path, &old.organization_id)?;
        if system.is_none() && org.is_none() {
            return Err(AppError::not_found());
        }
        if !manages(actor) {
            return Err(AppError::forbidden());
        }
        if old.done_on.is_some() {
            return Err(AppError::Conflict(
                "Đợt kiểm tra, đánh giá này đã được ghi nhận thực hiện".into(),
            ));
        }
        let mut errors = FieldErrors::new();
        if c.done_on > today {
            errors
                .entry("done_on".into())
                .or_default()
                .push("Ngày thực hiện không được sau hôm nay".into());
        }
        let assessor = text(
            &mut errors,
            "assessor",
            &c.assessor,
            300,
            "Vui lòng nhập tổ chức, bộ phận thực hiện kiểm tra, đánh giá",
        );
        let result = text(
            &mut errors,
            "result",
            &c.result,
            2000,
            "Vui lòng nhập kết quả kiểm tra, đánh giá",
        );
        let number = match c
            .document_number
            .as_deref()
            .map(str::trim)
            .filter(|n| !n.is_empty())
        {
            Some(n) => match DocNumber::parse(n) {
                Ok(d) => Some(d.into_string()),
                Err(m) => {
                    errors.entry("document_number".into()).or_default().push(m);
                    None
                }
            },
            None => None,
        };
        if c.document_date.is_some_and(|d| d > today) {
            errors
                .entry("document_date".into())
                .or_default()
                .push("Ngày văn bản không được sau hôm nay".into());
        }
        let note = c
            .note
            .as_deref()
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .map(str::to_string);
        if note.as_ref().is_some_and(|n| n.chars().count() > 2000) {
            errors
                .entry("note".into())
                .or_default()
                .push("Ghi chú dài tối đa 2000 ký tự".into());
        }
        if !errors.is_empty() {
            return Err(AppError::fields(errors));
        }
        let mut row = old.clone();
        row.done_on = Some(c.done_on);
        row.assessor = assessor;
        row.result = result;
        row.document_number = number;
        row.document_date = c.document_date;
        row.note = note;
        row.updated_at = db::now();
        repo::update(conn, &row)?;
        let scope_path = organizations::find(conn, &row.organization_id)?
            .map(|o| o.path)
            .unwrap_or_default();
        audit::record(
            conn,
            actor,
            Change {
                entity_type: "assessment",
                entity_id: id,
                action: "complete",
                before: Some(summary(&old)),
                after: Some(summary(&row)),
                scope_path: &scope_path,
            },
        )?;
        // The next one follows the regime in force on the day it was done (a lapsed regime's
        // interval no longer applies), at the system's approved level.
        let regime = registry
            .for_date(c.done_on)
            .map_or(row.regime_id.clone(), |p| p.meta.id.clone());
        let level = system
            .as_ref()
            .and_then(|s| s.approved_level)
            .and_then(|l| u8::try_from(l).ok())
            .unwrap_or(0);
        let scope = if row.scope == "agency" {
            AssessmentScope::Agency
        } else {
            AssessmentScope::System
        };
        if scope == AssessmentScope::Agency || level > 0 {
            if let Some(planned) = next_due(
                conn,
                registry,
                &row.organization_id,
                &regime,
                scope,
                level,
                c.done_on,
            )? {
                let now = db::now();
                let next = AssessmentRow {
                    id: db::new_id(),
                    due_on: planned.due_on,
                    citation: planned.citation,
                    interval_months: Some(planned.months),
                    interval_reason: planned.reason,
                    regime_id: regime,
                    done_on: None,
                    assessor: None,
                    result: None,
                    document_number: None,
                    document_date: None,
                    note: None,
                    created_by: actor.user_id.clone(),
                    created_at: now,
                    updated_at: now,
                    ..row.clone()
                };
                repo::insert(conn, &next)?;
                audit::record(
                    conn,
                    actor,
                    Change {
                        entity_type: "assessment",
                        entity_id: &next.id,
                        action: "plan",
                        before: None,
                        after: Some(summary(&next)),
                        scope_path: &scope_path,
                    },
                )?;
            }
        }
        Ok(view(calendar, row, system.map(|s| s.name), today))
    })
}
