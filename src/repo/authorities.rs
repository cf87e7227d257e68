//! Rows of `authority_assignments`: which unit appraises or approves the dossiers of an
//! organisation's subtree, for a range of levels, over a dated period. No business rules here.

use chrono::NaiveDate;
use diesel::prelude::*;

use crate::db::schema::authority_assignments as aa;
use crate::db::AnyConn;

#[derive(Clone, Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = aa, treat_none_as_null = true)]
pub struct AssignmentRow {
    pub id: String,
    pub organization_id: String,
    /// `appraiser` or `approver`.
    pub role: String,
    pub min_level: i32,
    pub max_level: i32,
    /// The unit when it is an organisation registered in capdo.
    pub unit_id: Option<String>,
    pub unit_name: String,
    pub valid_from: NaiveDate,
    /// Last day in force; `None` while open.
    pub valid_until: Option<NaiveDate>,
    pub basis: Option<String>,
    pub note: Option<String>,
    pub created_by: Option<String>,
    pub created_at: chrono::NaiveDateTime,
}

pub fn insert(conn: &mut AnyConn, row: &AssignmentRow) -> QueryResult<()> {
    diesel::insert_into(aa::table).values(row).execute(conn)?;
    Ok(())
}

/// Ends an assignment on `until` (its last day in force).
pub fn close(conn: &mut AnyConn, id: &str, until: NaiveDate) -> QueryResult<()> {
    diesel::update(aa::table.find(id))
        .set(aa::valid_until.eq(Some(until)))
        .execute(conn)?;
    Ok(())
}

/// The history of one organisation, newest first.
pub fn for_organization(
    conn: &mut AnyConn,
    organization_id: &str,
) -> QueryResult<Vec<AssignmentRow>> {
    aa::table
        .filter(aa::organization_id.eq(organization_id))
        .select(AssignmentRow::as_select())
        .order((aa::valid_from.desc(), aa::created_at.desc(), aa::id.desc()))
        .load(conn)
}

/// The assignments of one organisation and role whose level range meets `min..=max`.
pub fn overlapping_levels(
    conn: &mut AnyConn,
    organization_id: &str,
    role: &str,
    min: i32,
    max: i32,
) -> QueryResult<Vec<AssignmentRow>> {
    aa::table
        .filter(aa::organization_id.eq(organization_id))
        .filter(aa::role.eq(role))
        .filter(aa::min_level.le(max))
        .filter(aa::max_level.ge(min))
        .select(AssignmentRow::as_select())
        .order(aa::valid_from.asc())
        .load(conn)
}

/// The assignments of `role` in force on `date` for `level`, set on any of `organization_ids`
/// (the caller picks the nearest ancestor).
pub fn in_force(
    conn: &mut AnyConn,
    organization_ids: &[String],
    role: &str,
    level: i32,
    date: NaiveDate,
) -> QueryResult<Vec<AssignmentRow>> {
    aa::table
        .filter(aa::organization_id.eq_any(organization_ids.to_vec()))
        .filter(aa::role.eq(role))
        .filter(aa::min_level.le(level))
        .filter(aa::max_level.ge(level))
        .filter(aa::valid_from.le(date))
        .filter(aa::valid_until.is_null().or(aa::valid_until.ge(date)))
        .select(AssignmentRow::as_select())
        .load(conn)
}
