//! What the regime-change report reads: systems of a subtree with their facts, organisation,
//! approval and regime record, in id order and in batches so memory stays flat.

use diesel::prelude::*;

use super::systems::scope_ids;
use crate::db::schema::{
    organizations, system_components, system_documents, system_regimes, systems,
};
use crate::db::AnyConn;

/// One system as the report needs it.
#[derive(Clone, Debug, Queryable)]
pub struct ReportSource {
    pub id: String,
    pub name: String,
    pub organization_id: String,
    pub organization_name: String,
    pub status: String,
    pub regime_id: String,
    pub regime_version: String,
    pub computed_level: Option<i32>,
    pub classification_status: String,
    pub approved_level: Option<i32>,
    pub approval_decision_number: Option<String>,
    pub approval_decision_date: Option<chrono::NaiveDate>,
    pub facts_json: String,
    pub investment_before_law: Option<bool>,
    pub chosen_regime: Option<String>,
    pub approved_regime_id: Option<String>,
}

/// The next `limit` systems of the subtree after `after_id` (ids are uuid v7, so id order is
/// also registration order).
pub fn batch(
    conn: &mut AnyConn,
    scope: &Option<Vec<String>>,
    after_id: Option<&str>,
    limit: i64,
) -> QueryResult<Vec<ReportSource>> {
    batch_filtered(conn, scope, after_id, limit, None)
}

/// As `batch` over every system, leaving out those classified under the pack in force
/// (`current`: its id and version) in a plain situation: what the daily refresh must check.
pub fn refresh_batch(
    conn: &mut AnyConn,
    current: Option<(&str, &str)>,
    after_id: Option<&str>,
    limit: i64,
) -> QueryResult<Vec<ReportSource>> {
    batch_filtered(conn, &None, after_id, limit, current)
}

fn batch_filtered(
    conn: &mut AnyConn,
    scope: &Option<Vec<String>>,
    after_id: Option<&str>,
    limit: i64,
    unless_current: Option<(&str, &str)>,
) -> QueryResult<Vec<ReportSource>> {
    let mut q = systems::table
        .inner_join(organizations::table.on(organizations::id.eq(systems::organization_id)))
        .inner_join(system_documents::table)
        .left_join(system_regimes::table)
        .select((
            systems::id,
            systems::name,
            systems::organization_id,
            organizations::name,
            systems::status,
            systems::regime_id,
            systems::regime_version,
            systems::computed_level,
            systems::classification_status,
            systems::approved_level,
            systems::approval_decision_number,
            systems::approval_decision_date,
            system_documents::facts_json,
            system_regimes::investment_before_law.nullable(),
            system_regimes::chosen_regime.nullable(),
            system_regimes::approved_regime_id.nullable(),
        ))
        .into_boxed();
    if let Some(ids) = scope {
        q = q.filter(
            systems::organization_id
                .eq_any(ids.clone())
                .or(systems::operator_id.eq_any(ids.clone())),
        );
    }
    if let Some(after) = after_id {
        q = q.filter(systems::id.gt(after.to_string()));
    }
    if let Some((id, version)) = unless_current {
        // A system classified under the pack in force, at its current version, with no
        // transitional choice and no approval under another regime, cannot have gone stale:
        // its level depends only on its facts and that pack.
        let other_approval = system_regimes::approved_regime_id
            .nullable()
            .is_not_null()
            .and(
                system_regimes::approved_regime_id
                    .nullable()
                    .ne(id.to_string()),
            );
        let approved_without_regime = systems::approved_level
            .is_not_null()
            .and(system_regimes::approved_regime_id.nullable().is_null());
        q = q.filter(
            systems::regime_id
                .ne(id.to_string())
                .or(systems::regime_version.ne(version.to_string()))
                .or(system_regimes::investment_before_law.nullable().eq(true))
                .or(system_regimes::chosen_regime.nullable().is_not_null())
                .or(other_approval)
                .or(approved_without_regime),
        );
    }
    q.order(systems::id.asc()).limit(limit).load(conn)
}

/// The organisations of a subtree (`None`: everything), as the register scopes lists.
pub fn subtree(conn: &mut AnyConn, path: &str) -> QueryResult<Option<Vec<String>>> {
    scope_ids(conn, path)
}

/// Every component edge whose parent is among `ids`, with the component's own facts.
pub fn components_of(
    conn: &mut AnyConn,
    ids: &[String],
) -> QueryResult<Vec<(String, String, String)>> {
    let mut out = Vec::new();
    for chunk in ids.chunks(5000) {
        out.extend(
            system_components::table
                .inner_join(
                    system_documents::table
                        .on(system_documents::system_id.eq(system_components::component_id)),
                )
                .filter(system_components::system_id.eq_any(chunk))
                .select((
                    system_components::system_id,
                    system_components::component_id,
                    system_documents::facts_json,
                ))
                .load::<(String, String, String)>(conn)?,
        );
    }
    Ok(out)
}
