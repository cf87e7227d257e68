//! The append-only audit trail (the database refuses UPDATE and DELETE on it).

use diesel::prelude::*;

use super::Page;
use crate::db::schema::audit_log;
use crate::db::AnyConn;

#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = audit_log)]
pub struct AuditRow {
    pub id: String,
    pub at: chrono::NaiveDateTime,
    pub actor_id: Option<String>,
    pub actor_label: String,
    pub entity_type: String,
    pub entity_id: String,
    pub action: String,
    pub before_json: Option<String>,
    pub after_json: Option<String>,
    pub scope_path: String,
}

#[derive(Insertable)]
#[diesel(table_name = audit_log)]
pub struct NewAuditRow<'a> {
    pub id: &'a str,
    pub at: chrono::NaiveDateTime,
    pub actor_id: Option<&'a str>,
    pub actor_label: &'a str,
    pub entity_type: &'a str,
    pub entity_id: &'a str,
    pub action: &'a str,
    pub before_json: Option<&'a str>,
    pub after_json: Option<&'a str>,
    pub scope_path: &'a str,
}

pub fn insert(conn: &mut AnyConn, row: &NewAuditRow<'_>) -> QueryResult<()> {
    diesel::insert_into(audit_log::table)
        .values(row)
        .execute(conn)
        .map(|_| ())
}

#[derive(Default)]
pub struct AuditFilter {
    pub entity_type: Option<String>,
    pub entity_id: Option<String>,
    pub actor_id: Option<String>,
    pub from: Option<chrono::NaiveDateTime>,
    pub to: Option<chrono::NaiveDateTime>,
}

/// Newest first, limited to rows recorded for the subtree at `scope_path`.
pub fn list_in_scope(
    conn: &mut AnyConn,
    scope_path: &str,
    filter: &AuditFilter,
    page: Page,
) -> QueryResult<(Vec<AuditRow>, i64)> {
    let build = || {
        let mut q = audit_log::table
            .filter(audit_log::scope_path.like(format!("{scope_path}%")))
            .into_boxed();
        if let Some(t) = &filter.entity_type {
            q = q.filter(audit_log::entity_type.eq(t.clone()));
        }
        if let Some(id) = &filter.entity_id {
            q = q.filter(audit_log::entity_id.eq(id.clone()));
        }
        if let Some(actor) = &filter.actor_id {
            q = q.filter(audit_log::actor_id.eq(actor.clone()));
        }
        if let Some(from) = filter.from {
            q = q.filter(audit_log::at.ge(from));
        }
        if let Some(to) = filter.to {
            q = q.filter(audit_log::at.lt(to));
        }
        q
    };
    let total = build().count().get_result(conn)?;
    let rows = build()
        .select(AuditRow::as_select())
        .order((audit_log::at.desc(), audit_log::id.desc()))
        .limit(page.size)
        .offset(page.offset())
        .load(conn)?;
    Ok((rows, total))
}
