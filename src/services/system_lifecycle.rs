//! Changes that ripple through the register: re-classifying the systems that contain a changed
//! component, recording an approval, removing a system.

use chrono::NaiveDate;

use super::audit::{self, Change};
use super::system_checks::clean;
use super::system_classification::{apply, facts_with_components, situation, snapshot};
use super::system_views::{view, SystemView};
use super::systems::{audit_snapshot, current_input, find_visible, manages};
use super::Actor;
use crate::db::{self, write_tx, AnyConn};
use crate::error::{AppError, FieldErrors};
use crate::repo::organizations;
use crate::repo::system_regimes::{self, SystemRegimeRow};
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
        let regime = system_regimes::find(conn, &parent_id)?;
        let approved = parent.approved_level.is_some();
        let snap = snapshot(registry, &facts, situation(&regime, approved), today)?;
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
            super::compliance::sync_system(conn, registry, actor, &row)?;
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

/// Records the approved level, its decision and the regime it was made under, then classifies
/// the system again: a level approved under a lapsed regime is kept (Law 116 Đ45 k1).
#[allow(clippy::too_many_arguments)]
pub fn record_approval(
    conn: &mut AnyConn,
    registry: &Registry,
    actor: &Actor,
    id: &str,
    approval: Approval,
    today: NaiveDate,
) -> Result<SystemView, AppError> {
    let current = find_visible(conn, actor, id)?;
    if !manages(actor) {
        return Err(AppError::forbidden());
    }
    let Approval {
        level,
        decision_number,
        decision_date,
        regime,
    } = approval;
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
    let mut regime_row = system_regimes::find(conn, id)?;
    let pack = match approval_regime(registry, &regime_row, regime.as_deref(), decision_date) {
        Ok(pack) => Some(pack),
        Err(message) => {
            errors.entry("regime".into()).or_default().push(message);
            None
        }
    };
    let Some(pack) = pack.filter(|_| errors.is_empty()) else {
        return Err(AppError::fields(errors));
    };
    regime_row.approved_regime_id = Some(pack.meta.id.clone());
    regime_row.approved_regime_version = Some(pack.meta.version.clone());

    let input = current_input(conn, &current)?;
    let facts = facts_with_components(conn, &input.facts, &input.component_ids, 0)?;
    let snap = snapshot(registry, &facts, situation(&regime_row, true), today)?;
    let mut row = current.clone();
    row.approved_level = Some(i32::from(level));
    row.approval_decision_number = Some(number);
    row.approval_decision_date = Some(decision_date);
    apply(
        &mut row,
        &snap,
        input.proposed_level,
        input.proposal_justification.clone(),
    )
    .or_else(|_| apply(&mut row, &snap, None, input.proposal_justification.clone()))?;
    // The decision settles the level: nothing to re-determine until the facts change.
    row.redetermination_required = false;
    row.redetermination_reason = None;
    row.updated_at = db::now();
    let scope = organizations::find(conn, &row.organization_id)?
        .map(|o| o.path)
        .unwrap_or_default();
    write_tx(conn, |conn| {
        let before = view(conn, &current)?;
        repo::update(conn, &row)?;
        super::compliance::sync_system(conn, registry, actor, &row)?;
        system_regimes::save(conn, &regime_row)?;
        // The next periodic assessment runs from the approval (the pack's `periodic`).
        super::assessments::plan_after_approval(
            conn,
            registry,
            actor,
            id,
            &row.organization_id,
            level,
            &pack.meta.id,
            decision_date,
        )?;
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

/// An approval decision as recorded.
pub struct Approval {
    pub level: u8,
    pub decision_number: String,
    pub decision_date: NaiveDate,
    /// The regime the decision was made under; by default the one the date calls for.
    pub regime: Option<String>,
}

/// The regime of an approval: the one named, or the one in force on the decision date — except
/// that a transitional project that chose the predecessor is approved under it until its
/// deadline (NĐ331 Đ39 k1).
fn approval_regime<'r>(
    registry: &'r Registry,
    regime: &SystemRegimeRow,
    named: Option<&str>,
    decision_date: NaiveDate,
) -> Result<&'r std::sync::Arc<crate::rules::RulePack>, String> {
    if let Some(id) = named {
        let pack = registry.get(id).ok_or_else(|| {
            let known: Vec<_> = registry
                .packs()
                .iter()
                .map(|p| p.meta.id.as_str())
                .collect();
            format!(
                "Không có bộ quy tắc `{id}`; các bộ hiện có: {}",
                known.join(", ")
            )
        })?;
        if pack.meta.effective_from > decision_date {
            return Err(format!(
                "{} có hiệu lực từ {}, sau ngày quyết định",
                pack.meta.title,
                pack.meta.effective_from.format("%d/%m/%Y")
            ));
        }
        return Ok(pack);
    }
    let in_force = registry.for_date(decision_date).ok_or_else(|| {
        format!(
            "Không có văn bản quy định cấp độ nào có hiệu lực vào ngày {}",
            decision_date.format("%d/%m/%Y")
        )
    })?;
    let transitional = in_force
        .transition
        .as_ref()
        .and_then(|t| t.investment_projects.as_ref())
        .filter(|p| {
            regime.investment_before_law
                && regime.chosen_regime.as_deref() == Some(p.finish_under.as_str())
                && decision_date <= p.approve_by
        })
        .and_then(|p| registry.get(&p.finish_under));
    Ok(transitional.unwrap_or(in_force))
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
        super::compliance::roll_out_system(conn, id)?;
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
