//! Classifying a registered system: its facts with those of its component systems, the stored
//! snapshot, the proposal rule and the re-determination flag (Đ18).

use chrono::NaiveDate;

use crate::db::AnyConn;
use crate::domain::SystemFacts;
use crate::error::{AppError, FieldErrors};
use crate::repo::system_regimes::SystemRegimeRow;
use crate::repo::systems::{self as repo, SystemRow};
use crate::rules::transition::Situation;
use crate::rules::{Registry, Status};

/// Component systems nest at most this deep (the register refuses cycles anyway).
const MAX_DEPTH: usize = 8;

/// The facts of a system with its registered components folded in (Đ5 k2).
pub fn facts_with_components(
    conn: &mut AnyConn,
    own: &SystemFacts,
    component_ids: &[String],
    depth: usize,
) -> Result<SystemFacts, AppError> {
    let mut facts = own.clone();
    facts.components.clear();
    if depth >= MAX_DEPTH {
        return Ok(facts);
    }
    for id in component_ids {
        let Some(row) = repo::find(conn, id)? else {
            continue;
        };
        let child: SystemFacts =
            serde_json::from_str(&row.facts_json).map_err(AppError::internal)?;
        let grandchildren = repo::components(conn, id)?;
        facts.components.push(facts_with_components(
            conn,
            &child,
            &grandchildren,
            depth + 1,
        )?);
    }
    Ok(facts)
}

/// The result of classifying a system, ready to be stored.
pub struct Snapshot {
    pub regime_id: String,
    pub regime_version: String,
    pub level: Option<u8>,
    pub status: Status,
    pub json: serde_json::Value,
}

/// Classifies under the regime the system's situation calls for (Law 116 Đ45 k1, NĐ331 Đ39
/// k1); the stored result carries that choice and its deadlines as `transition`.
pub fn snapshot(
    registry: &Registry,
    facts: &SystemFacts,
    situation: Situation<'_>,
    today: NaiveDate,
) -> Result<Snapshot, AppError> {
    let plan = registry
        .plan(situation, today)
        .map_err(|e| AppError::internal(anyhow::anyhow!(e)))?;
    let pack = plan.pack;
    let result = registry
        .classify(pack, facts, plan.as_of)
        .map_err(|errors| prefixed(errors, "facts."))?;
    let mut json = serde_json::to_value(&result).map_err(AppError::internal)?;
    if let Some(map) = json.as_object_mut() {
        map.insert(
            "transition".into(),
            serde_json::to_value(plan.view()).map_err(AppError::internal)?,
        );
    }
    Ok(Snapshot {
        regime_id: pack.meta.id.clone(),
        regime_version: pack.meta.version.clone(),
        level: result.level,
        status: result.status,
        json,
    })
}

/// The situation of a system as its regime record and approval describe it.
pub fn situation(regime: &SystemRegimeRow, approved: bool) -> Situation<'_> {
    Situation {
        approved_regime: regime.approved_regime_id.as_deref().filter(|_| approved),
        approved,
        investment_before_law: regime.investment_before_law,
        chosen_regime: regime.chosen_regime.as_deref(),
    }
}

pub fn prefixed(errors: FieldErrors, prefix: &str) -> AppError {
    let fields = errors
        .into_iter()
        .map(|(k, v)| (format!("{prefix}{k}"), v))
        .collect();
    AppError::Validation {
        message: "Dữ kiện của hệ thống không hợp lệ".into(),
        fields,
    }
}

fn status_str(status: Status) -> &'static str {
    match status {
        Status::Determined => "determined",
        Status::NeedsReview => "needs_review",
        Status::Undetermined => "undetermined",
    }
}

/// Stores the snapshot in the row and applies the proposal and re-determination rules.
/// `explicit_proposal` is the level the user asked for, if any; otherwise the proposal follows
/// the computed level.
pub fn apply(
    row: &mut SystemRow,
    snap: &Snapshot,
    explicit_proposal: Option<u8>,
    justification: Option<String>,
) -> Result<(), AppError> {
    let previous_level = row.computed_level;
    row.regime_id = snap.regime_id.clone();
    row.regime_version = snap.regime_version.clone();
    row.computed_level = snap.level.map(i32::from);
    row.classification_status = status_str(snap.status).to_string();
    row.classification_json = snap.json.to_string();

    let justification = justification
        .map(|j| j.trim().to_string())
        .filter(|j| !j.is_empty());
    let proposed = explicit_proposal.map(i32::from).or(row.computed_level);
    let below = match (proposed, row.computed_level) {
        (Some(p), Some(c)) => p < c,
        (Some(_), None) => false,
        _ => false,
    };
    let needs_reason = below || (explicit_proposal.is_some() && row.computed_level.is_none());
    if needs_reason
        && justification
            .as_ref()
            .is_none_or(|j| j.chars().count() < 20)
    {
        let message = match row.computed_level {
            Some(c) => format!(
                "Đề xuất cấp độ {} thấp hơn cấp độ {c} xác định theo tiêu chí: cần văn bản giải trình (ít nhất 20 ký tự)",
                proposed.unwrap_or_default()
            ),
            None => "Chưa xác định được cấp độ theo tiêu chí: đề xuất cấp độ cần có văn bản giải trình (ít nhất 20 ký tự)".to_string(),
        };
        let mut fields = FieldErrors::new();
        fields.insert("proposal_justification".into(), vec![message]);
        return Err(AppError::fields(fields));
    }
    row.proposed_level = proposed;
    row.below_criteria = below;
    row.proposal_justification = justification;

    // Đ18 NĐ85 (and its successors): new facts moved the computed level away from the approved
    // one. An approval that deliberately differs from the computed level raises no flag until
    // the facts change again.
    match row.approved_level {
        Some(approved) if row.computed_level != Some(approved) => {
            if row.computed_level != previous_level {
                row.redetermination_required = true;
                row.redetermination_reason = Some(match row.computed_level {
                    Some(c) => format!(
                        "Cấp độ xác định theo tiêu chí hiện là {c}, khác cấp độ {approved} đã được phê duyệt: cần xác định lại cấp độ."
                    ),
                    None => format!(
                        "Theo dữ kiện mới không xác định được cấp độ theo tiêu chí, khác cấp độ {approved} đã được phê duyệt: cần xem xét xác định lại cấp độ."
                    ),
                });
            }
        }
        _ => {
            row.redetermination_required = false;
            row.redetermination_reason = None;
        }
    }
    Ok(())
}
