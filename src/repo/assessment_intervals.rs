//! Rows of `assessment_intervals`: an organisation's own assessment intervals. No business rules here.

use diesel::prelude::*;

use crate::db::schema::assessment_intervals;
use crate::db::AnyConn;

#[derive(Clone, Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = assessment_intervals)]
pub struct IntervalRow {
    pub organization_id: String,
    /// `system` or `agency`.
    pub scope: String,
    /// 0 for the agency-wide review.
    pub level: i32,
    pub every_months: i32,
    pub reason: String,
    pub set_by: Option<String>,
    pub set_at: chrono::NaiveDateTime,
}

/// The settings of the organisations `org_ids` (an organisation and its ancestors).
pub fn of_orgs(conn: &mut AnyConn, org_ids: &[String]) -> QueryResult<Vec<IntervalRow>> {
    assessment_intervals::table
        .filter(assessment_intervals::organization_id.eq_any(org_ids.to_vec()))
        .select(IntervalRow::as_select())
        .order((
            assessment_intervals::scope.asc(),
            assessment_intervals::level.asc(),
        ))
        .load(conn)
}

/// The setting for one scope and level among `org_ids`, one row per organisation that has one.
pub fn for_scope(
    conn: &mut AnyConn,
    org_ids: &[String],
    scope: &str,
    level: i32,
) -> QueryResult<Vec<IntervalRow>> {
    assessment_intervals::table
        .filter(assessment_intervals::organization_id.eq_any(org_ids.to_vec()))
        .filter(assessment_intervals::scope.eq(scope))
        .filter(assessment_intervals::level.eq(level))
        .select(IntervalRow::as_select())
        .load(conn)
}

/// Replaces every setting of `organization_id` with `rows`.
pub fn replace(conn: &mut AnyConn, organization_id: &str, rows: &[IntervalRow]) -> QueryResult<()> {
    diesel::delete(
        assessment_intervals::table
            .filter(assessment_intervals::organization_id.eq(organization_id)),
    )
    .execute(conn)?;
    // No batch insert through the multi-backend connection; a handful of rows at most.
    for row in rows {
        diesel::insert_into(assessment_intervals::table)
            .values(row)
            .execute(conn)?;
    }
    Ok(())
}
