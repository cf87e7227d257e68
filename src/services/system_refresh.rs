//! Keeps stored classifications current: when a rule pack changes (a new version, a new
//! regime) or the date moves a system to another regime (a transitional deadline passes),
//! every affected system is classified again and the change is audited.

use chrono::NaiveDate;

use super::audit::{self, Change};
use super::regime_report::{component_facts, with_components};
use super::system_classification::{apply, facts_with_components, situation, snapshot, Snapshot};
use super::systems::current_input;
use super::Actor;
use crate::db::{self, write_tx, AnyConn};
use crate::error::AppError;
use crate::repo::regime_report::{self as source, ReportSource};
use crate::repo::{organizations, system_regimes, systems as repo};
use crate::rules::transition::Situation;
use crate::rules::Registry;

const BATCH: i64 = 1000;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RefreshOutcome {
    pub checked: u64,
    pub reclassified: u64,
}

fn stale(s: &ReportSource, snap: &Snapshot) -> bool {
    s.regime_id != snap.regime_id
        || s.regime_version != snap.regime_version
        || s.computed_level != snap.level.map(i32::from)
}

/// Checks the systems that could have gone stale against the packs as of `today` (all but
/// those classified under the pack in force in a plain situation) and reclassifies those
/// whose stored regime, pack version or level no longer holds. `checked` counts the former.
pub fn refresh(
    conn: &mut AnyConn,
    registry: &Registry,
    today: NaiveDate,
) -> Result<RefreshOutcome, AppError> {
    let mut outcome = RefreshOutcome::default();
    let mut after: Option<String> = None;
    // Systems already classified under the pack in force are skipped in SQL, so a restart
    // of a server with a large register does not re-read every system's facts.
    let plain = Situation {
        approved_regime: None,
        approved: false,
        investment_before_law: false,
        chosen_regime: None,
    };
    let in_force = registry.plan(plain, today).ok().map(|plan| plan.pack);
    let current = in_force.map(|p| (p.meta.id.as_str(), p.meta.version.as_str()));
    loop {
        let batch = source::refresh_batch(conn, current, after.as_deref(), BATCH)?;
        let Some(last) = batch.last() else { break };
        after = Some(last.id.clone());
        let components = component_facts(conn, &batch)?;
        for s in &batch {
            outcome.checked += 1;
            let facts = with_components(&s.id, &s.facts_json, &components, 0)?;
            let regime = system_regimes::find(conn, &s.id)?;
            let approved = s.approved_level.is_some();
            // Facts a pack no longer accepts are left as stored, for a person to correct.
            let Ok(snap) = snapshot(registry, &facts, situation(&regime, approved), today) else {
                continue;
            };
            if stale(s, &snap) && reclassify(conn, registry, &s.id, today)? {
                outcome.reclassified += 1;
            }
        }
    }
    Ok(outcome)
}

/// Classifies one system again from what is stored now, inside one transaction (so a change
/// made meanwhile is not overwritten with older facts). Returns whether anything changed.
fn reclassify(
    conn: &mut AnyConn,
    registry: &Registry,
    id: &str,
    today: NaiveDate,
) -> Result<bool, AppError> {
    write_tx(conn, |conn| {
        let Some(current) = repo::find(conn, id)? else {
            return Ok(false);
        };
        let input = current_input(conn, &current)?;
        let facts = facts_with_components(conn, &input.facts, &input.component_ids, 0)?;
        let regime = system_regimes::find(conn, id)?;
        let snap = snapshot(
            registry,
            &facts,
            situation(&regime, current.approved_level.is_some()),
            today,
        )?;
        let mut row = current.clone();
        apply(
            &mut row,
            &snap,
            input.proposed_level,
            input.proposal_justification.clone(),
        )
        .or_else(|_| apply(&mut row, &snap, None, input.proposal_justification.clone()))?;
        if row.regime_id == current.regime_id
            && row.regime_version == current.regime_version
            && row.computed_level == current.computed_level
        {
            return Ok(false);
        }
        row.updated_at = db::now();
        repo::update(conn, &row)?;
        super::compliance::sync_system(conn, registry, &Actor::console(), &row)?;
        let scope = organizations::find(conn, &row.organization_id)?
            .map(|o| o.path)
            .unwrap_or_default();
        let summary = |r: &repo::SystemRow| {
            serde_json::json!({
                "regime_id": r.regime_id,
                "regime_version": r.regime_version,
                "computed_level": r.computed_level,
                "redetermination_required": r.redetermination_required,
            })
        };
        let mut after = summary(&row);
        after["reason"] = serde_json::json!("bộ quy tắc hoặc quy định chuyển tiếp thay đổi");
        audit::record(
            conn,
            &Actor::console(),
            Change {
                entity_type: "system",
                entity_id: id,
                action: "reclassify",
                before: Some(summary(&current)),
                after: Some(after),
                scope_path: &scope,
            },
        )?;
        Ok(true)
    })
}
