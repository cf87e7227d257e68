//! Changes that ripple through the register: re-classifying the systems that contain a changed
//! component, recording an approval, removing a system.

use chrono::NaiveDate;

use super::audit::{self, Change};
use super::system_checks::clean;
use super::system_classification::{apply, facts_with_components, snapshot};
use super::system_views::{view, SystemView};
use super::systems::{audit_snapshot, current_input, find_visible, manages};
use super::Actor;
use crate::db::{self, write_tx, AnyConn};
use crate::error::{AppError, FieldErrors};
use crate::repo::organizations;
use crate::repo::systems as repo;
use crate::rules::Registry;

/// A component changed: every system containing it is classified again (Đ5 k2).
pub(super) fn reclassify_parents(
    conn: &mut AnyConn,
    registry: &Registry,
    actor: &Actor,
    id: &str,
    today: NaiveDate,
) -> Result<(), AppError> {
    let parents = repo::parents(conn, id)?;
    reclassify(conn, registry, actor, parents, id, today)
}

/// Classifies `queue` again, and every system above them, recording why (`changed` is the
/// component whose change started it).
fn reclassify(
    conn: &mut AnyConn,
    registry: &Registry,
    actor: &Actor,
    mut queue: Vec<String>,
    changed: &str,
    today: NaiveDate,
) -> Result<(), AppError> {
    let id = changed;
    let mut seen = std::collections::HashSet::new();
    while let Some(parent_id) = queue.pop() {
        if !seen.insert(parent_id.clone()) {
            continue;
        }
        let Some(parent) = repo::find(conn, &parent_id)? else {
            continue;
        };
        let input = current_input(conn, &parent)?;
        let facts = facts_with_components(conn, &input.facts, &input.component_ids, 0)?;
        let snap = snapshot(registry, &facts, today)?;
        let mut row = parent.clone();
        // A proposal that falls below the new computed level keeps its justification rule.
        apply(
            &mut row,
            &snap,
            input.proposed_level,
            input.proposal_justification.clone(),
        )
        .or_else(|_| apply(&mut row, &snap, None, input.proposal_justification.clone()))?;
        if row.computed_level != parent.computed_level
            || row.redetermination_required != parent.redetermination_required
        {
            row.updated_at = db::now();
            repo::update(conn, &row)?;
            let scope = organizations::find(conn, &row.organization_id)?
                .map(|o| o.path)
                .unwrap_or_default();
            let before = serde_json::json!({ "computed_level": parent.computed_level, "redetermination_required": parent.redetermination_required });
            let after = serde_json::json!({ "computed_level": row.computed_level, "redetermination_required": row.redetermination_required, "reason": format!("thành phần {id} thay đổi") });
            audit::record(
                conn,
                actor,
                Change {
                    entity_type: "system",
                    entity_id: &parent_id,
                    action: "reclassify",
                    before: Some(before),
                    after: Some(after),
                    scope_path: &scope,
                },
            )?;
        }
        queue.extend(repo::parents(conn, &parent_id)?);
    }
    Ok(())
}

/// Records the approved level and its decision (the dossier workflow will set it later).
pub fn record_approval(
    conn: &mut AnyConn,
    actor: &Actor,
    id: &str,
    level: u8,
    decision_number: String,
    decision_date: NaiveDate,
    today: NaiveDate,
) -> Result<SystemView, AppError> {
    let current = find_visible(conn, actor, id)?;
    if !manages(actor) {
        return Err(AppError::forbidden());
    }
    let mut errors = FieldErrors::new();
    if !(1..=5).contains(&level) {
        errors
            .entry("level".into())
            .or_default()
            .push("Cấp độ từ 1 đến 5".into());
    }
    let number = clean(&decision_number);
    if number.is_empty() || number.chars().count() > 60 {
        errors
            .entry("decision_number".into())
            .or_default()
            .push("Vui lòng nhập số, ký hiệu quyết định (ví dụ 2559/QĐ-UBND)".into());
    }
    if decision_date > today {
        errors
            .entry("decision_date".into())
            .or_default()
            .push("Ngày quyết định không được sau hôm nay".into());
    }
    if !errors.is_empty() {
        return Err(AppError::fields(errors));
    }
    let mut row = current.clone();
    row.approved_level = Some(i32::from(level));
    row.approval_decision_number = Some(number);
    row.approval_decision_date = Some(decision_date);
    row.redetermination_required = false;
    row.redetermination_reason = None;
    row.updated_at = db::now();
    let scope = organizations::find(conn, &row.organization_id)?
        .map(|o| o.path)
        .unwrap_or_default();
    write_tx(conn, |conn| {
        let before = view(conn, &current)?;
        repo::update(conn, &row)?;
        let after = view(conn, &row)?;
        audit::record(
            conn,
            actor,
            Change {
                entity_type: "system",
                entity_id: id,
                action: "approve",
                before: audit_snapshot(&before),
                after: audit_snapshot(&after),
                scope_path: &scope,
            },
        )?;
        Ok(after)
    })
}

pub fn delete(
    conn: &mut AnyConn,
    registry: &Registry,
    actor: &Actor,
    id: &str,
    today: NaiveDate,
) -> Result<(), AppError> {
    let current = find_visible(conn, actor, id)?;
    if !manages(actor) {
        return Err(AppError::forbidden());
    }
    let parents = repo::parents(conn, id)?;
    let scope = organizations::find(conn, &current.organization_id)?
        .map(|o| o.path)
        .unwrap_or_default();
    write_tx(conn, |conn| {
        let before = view(conn, &current)?;
        repo::delete(conn, id)?;
        audit::record(
            conn,
            actor,
            Change {
                entity_type: "system",
                entity_id: id,
                action: "delete",
                before: audit_snapshot(&before),
                after: None,
                scope_path: &scope,
            },
        )?;
        reclassify(conn, registry, actor, parents, id, today)
    })
}
