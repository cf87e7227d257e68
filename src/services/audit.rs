//! Writing and reading the audit trail.

use serde::Serialize;

use super::{utc, Actor};
use crate::db::{self, AnyConn};
use crate::error::AppError;
use crate::repo::audit::{self as repo, AuditFilter, NewAuditRow};
use crate::repo::Page;

/// One change about to be recorded; `before`/`after` must never hold passwords or secrets.
pub struct Change<'a> {
    pub entity_type: &'a str,
    pub entity_id: &'a str,
    pub action: &'a str,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
    /// Path of the organisation the entity belongs to, so audit reads can be scoped.
    pub scope_path: &'a str,
}

/// Writes the audit row; call inside the transaction of the change it records.
pub fn record(conn: &mut AnyConn, actor: &Actor, change: Change<'_>) -> Result<(), AppError> {
    let before = change.before.map(|v| v.to_string());
    let after = change.after.map(|v| v.to_string());
    let id = db::new_id();
    repo::insert(
        conn,
        &NewAuditRow {
            id: &id,
            at: db::now(),
            actor_id: actor.user_id.as_deref(),
            actor_label: &actor.label,
            entity_type: change.entity_type,
            entity_id: change.entity_id,
            action: change.action,
            before_json: before.as_deref(),
            after_json: after.as_deref(),
            scope_path: change.scope_path,
        },
    )?;
    Ok(())
}

pub fn snapshot<T: Serialize>(value: &T) -> Option<serde_json::Value> {
    serde_json::to_value(value).ok()
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct AuditEntry {
    pub id: String,
    pub at: chrono::DateTime<chrono::Utc>,
    pub actor_id: Option<String>,
    pub actor_label: String,
    pub entity_type: String,
    pub entity_id: String,
    pub action: String,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
}

pub fn list(
    conn: &mut AnyConn,
    actor: &Actor,
    filter: &AuditFilter,
    page: Page,
) -> Result<(Vec<AuditEntry>, i64), AppError> {
    if actor.role != crate::domain::Role::Admin {
        return Err(AppError::forbidden());
    }
    let (rows, total) = repo::list_in_scope(conn, &actor.scope_path, filter, page)?;
    let parse = |s: Option<String>| s.and_then(|t| serde_json::from_str(&t).ok());
    let entries = rows
        .into_iter()
        .map(|r| AuditEntry {
            id: r.id,
            at: utc(r.at),
            actor_id: r.actor_id,
            actor_label: r.actor_label,
            entity_type: r.entity_type,
            entity_id: r.entity_id,
            action: r.action,
            before: parse(r.before_json),
            after: parse(r.after_json),
        })
        .collect();
    Ok((entries, total))
}
