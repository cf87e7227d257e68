//! Who sees a dossier and from which side: the owner side (the subtree that sees its system),
//! the appraising unit and the approving unit when they work in capdo (their security officers
//! and admins, for dossiers sent to them — never drafts, never the owner's other records).

use super::systems::manages;
use super::Actor;
use crate::db::AnyConn;
use crate::domain::dossier::DossierStatus;
use crate::error::AppError;
use crate::repo::dossiers::{self as repo, DossierRow};
use crate::repo::organizations;
use crate::repo::systems::{self as systems_repo, SystemRow};

/// The sides of the procedure the actor stands on for one dossier.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Sides {
    /// The owner's subtree: prepares, submits, and records what came back on paper.
    pub owner: bool,
    /// The appraising unit the dossier was routed to: receipt, return, appraisal.
    pub appraiser: bool,
    /// The approving unit the dossier was routed to: the decision.
    pub approver: bool,
}

impl Sides {
    pub fn any(self) -> bool {
        self.owner || self.appraiser || self.approver
    }
}

fn unit_in_scope(
    conn: &mut AnyConn,
    actor: &Actor,
    unit: &Option<String>,
) -> Result<bool, AppError> {
    Ok(match unit {
        Some(id) => organizations::find_in_scope(conn, &actor.scope_path, id)?.is_some(),
        None => false,
    })
}

/// The sides of `actor` for `row`.
pub(super) fn sides_of(
    conn: &mut AnyConn,
    actor: &Actor,
    row: &DossierRow,
) -> Result<(Sides, Option<SystemRow>), AppError> {
    let owned = systems_repo::find_in_scope(conn, &actor.scope_path, &row.system_id)?;
    let sent = row.status != DossierStatus::Draft.as_str();
    let officer = manages(actor) && sent;
    let sides = Sides {
        owner: owned.is_some(),
        appraiser: officer && unit_in_scope(conn, actor, &row.appraiser_unit_id)?,
        approver: officer && unit_in_scope(conn, actor, &row.approver_unit_id)?,
    };
    Ok((sides, owned))
}

/// A dossier the actor sees from some side, its first system and the sides (404 otherwise).
pub(super) fn find_with_sides(
    conn: &mut AnyConn,
    actor: &Actor,
    id: &str,
) -> Result<(DossierRow, SystemRow, Sides), AppError> {
    let row = repo::find(conn, id)?.ok_or_else(AppError::not_found)?;
    let (sides, owned) = sides_of(conn, actor, &row)?;
    if !sides.any() {
        return Err(AppError::not_found());
    }
    let system = match owned {
        Some(s) => s,
        None => systems_repo::find(conn, &row.system_id)?.ok_or_else(AppError::not_found)?,
    };
    Ok((row, system, sides))
}

/// The actor as it acts on the owner's records for an appraising or approving unit: the same
/// person (the audit trail names them), seeing the dossier owner's subtree for this one step.
pub(super) fn acting_for_owner(actor: &Actor, owner_scope: &str) -> Actor {
    Actor {
        scope_path: owner_scope.to_string(),
        ..actor.clone()
    }
}
