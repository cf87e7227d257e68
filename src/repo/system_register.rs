//! The register read a page at a time in id order (for exports), and the external ids that let
//! an import find the systems it created before.

use diesel::prelude::*;

use crate::db::schema::{
    dossier_systems, dossiers, organizations, system_documents, system_regimes, systems,
};
use crate::db::{AnyConn, MultiBackend};

/// What the register file shows of one system.
#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = systems)]
pub struct RegisterRow {
    pub id: String,
    pub organization_id: String,
    pub name: String,
    pub description: String,
    pub kind: Option<String>,
    pub urls_json: String,
    pub hosting_kind: Option<String>,
    pub hosting_provider: Option<String>,
    pub data_in_vietnam: Option<bool>,
    pub owner_name: String,
    pub operator_id: Option<String>,
    pub appraiser_name: Option<String>,
    pub status: String,
    pub go_live_on: Option<chrono::NaiveDate>,
    pub regime_id: String,
    pub computed_level: Option<i32>,
    pub proposed_level: Option<i32>,
    pub proposal_justification: Option<String>,
    pub approved_level: Option<i32>,
    pub approval_decision_number: Option<String>,
    pub approval_decision_date: Option<chrono::NaiveDate>,
    pub external_id: Option<String>,
}

/// Up to `limit` systems after `after` in id order, owned or operated by one of `orgs`
/// (every system when `None`).
pub fn page(
    conn: &mut AnyConn,
    orgs: Option<&[String]>,
    after: Option<&str>,
    limit: i64,
) -> QueryResult<Vec<RegisterRow>> {
    let mut q = systems::table
        .select(RegisterRow::as_select())
        .into_boxed::<MultiBackend>();
    if let Some(ids) = orgs {
        q = q.filter(
            systems::organization_id
                .eq_any(ids.to_vec())
                .or(systems::operator_id.eq_any(ids.to_vec())),
        );
    }
    if let Some(after) = after {
        q = q.filter(systems::id.gt(after.to_string()));
    }
    q.order(systems::id.asc()).limit(limit).load(conn)
}

/// The stored facts of the systems `ids`, as JSON.
pub fn facts(conn: &mut AnyConn, ids: &[String]) -> QueryResult<Vec<(String, String)>> {
    system_documents::table
        .filter(system_documents::system_id.eq_any(ids))
        .select((system_documents::system_id, system_documents::facts_json))
        .load(conn)
}

/// `(system, investment before the law, chosen regime)` of the systems `ids` that have one.
pub fn regimes(
    conn: &mut AnyConn,
    ids: &[String],
) -> QueryResult<Vec<(String, bool, Option<String>)>> {
    system_regimes::table
        .filter(system_regimes::system_id.eq_any(ids))
        .select((
            system_regimes::system_id,
            system_regimes::investment_before_law,
            system_regimes::chosen_regime,
        ))
        .load(conn)
}

/// A dossier's submission letter: `(system, number, date)`.
pub type Submission = (String, String, Option<chrono::NaiveDate>);

/// The submission letters of the dossiers that cover the systems `ids` (as their first
/// system or a further one).
pub fn submissions(conn: &mut AnyConn, ids: &[String]) -> QueryResult<Vec<Submission>> {
    let mut first: Vec<(String, Option<String>, Option<chrono::NaiveDate>)> = dossiers::table
        .filter(dossiers::system_id.eq_any(ids))
        .filter(dossiers::submission_number.is_not_null())
        .select((
            dossiers::system_id,
            dossiers::submission_number,
            dossiers::submission_date,
        ))
        .load(conn)?;
    let further: Vec<(String, Option<String>, Option<chrono::NaiveDate>)> = dossier_systems::table
        .inner_join(dossiers::table)
        .filter(dossier_systems::system_id.eq_any(ids))
        .filter(dossiers::submission_number.is_not_null())
        .select((
            dossier_systems::system_id,
            dossiers::submission_number,
            dossiers::submission_date,
        ))
        .load(conn)?;
    first.extend(further);
    Ok(first
        .into_iter()
        .filter_map(|(s, n, d)| Some((s, n?, d)))
        .collect())
}

/// `(id, code, name, path)` of every organisation (a province holds a few hundred).
pub fn organizations(conn: &mut AnyConn) -> QueryResult<Vec<(String, String, String, String)>> {
    organizations::table
        .select((
            organizations::id,
            organizations::code,
            organizations::name,
            organizations::path,
        ))
        .load(conn)
}

pub fn set_external_id(conn: &mut AnyConn, id: &str, external_id: Option<&str>) -> QueryResult<()> {
    diesel::update(systems::table.find(id))
        .set(systems::external_id.eq(external_id))
        .execute(conn)?;
    Ok(())
}

pub fn external_id(conn: &mut AnyConn, id: &str) -> QueryResult<Option<String>> {
    systems::table
        .find(id)
        .select(systems::external_id)
        .first::<Option<String>>(conn)
        .optional()
        .map(Option::flatten)
}

/// `(id, owner, operator)` of the systems with this external id.
pub fn with_external_id(
    conn: &mut AnyConn,
    external_id: &str,
) -> QueryResult<Vec<(String, String, Option<String>)>> {
    systems::table
        .filter(systems::external_id.eq(external_id))
        .select((systems::id, systems::organization_id, systems::operator_id))
        .load(conn)
}

/// The systems of `organization_id` named `name` (exactly, as stored).
pub fn named(conn: &mut AnyConn, organization_id: &str, name: &str) -> QueryResult<Vec<String>> {
    systems::table
        .filter(systems::organization_id.eq(organization_id))
        .filter(systems::name.eq(name))
        .select(systems::id)
        .load(conn)
}
