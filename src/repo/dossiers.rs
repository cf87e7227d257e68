//! Rows of `dossiers`, `dossier_components` and `dossier_steps`. No business rules here.

use diesel::prelude::*;

use crate::db::schema::{dossier_components, dossier_steps, dossiers};
use crate::db::AnyConn;

#[derive(Clone, Debug, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = dossiers, treat_none_as_null = true)]
pub struct DossierRow {
    pub id: String,
    pub system_id: String,
    pub organization_id: String,
    pub kind: String,
    pub proposed_level: i32,
    pub procedure_level: i32,
    pub regime_id: String,
    pub regime_version: String,
    pub status: String,
    pub submission_number: Option<String>,
    pub submission_date: Option<chrono::NaiveDate>,
    pub submission_recipient: Option<String>,
    pub received_on: Option<chrono::NaiveDate>,
    pub appraisal_started_on: Option<chrono::NaiveDate>,
    pub appraisal_opinion: Option<String>,
    pub appraisal_number: Option<String>,
    pub appraisal_date: Option<chrono::NaiveDate>,
    pub decision_number: Option<String>,
    pub decision_date: Option<chrono::NaiveDate>,
    pub approved_level: Option<i32>,
    pub created_by: Option<String>,
    pub created_at: chrono::NaiveDateTime,
    pub updated_at: chrono::NaiveDateTime,
    /// The units the dossier was routed to at submission (kept: a later change of the
    /// organisation's authorities does not move a dossier already sent).
    pub appraiser_unit_id: Option<String>,
    pub appraiser_unit_name: Option<String>,
    pub approver_unit_id: Option<String>,
    pub approver_unit_name: Option<String>,
    /// The legal clock running now: its step, first day and last day (working or calendar
    /// days per the pack).
    pub clock_step: Option<String>,
    pub clock_started_on: Option<chrono::NaiveDate>,
    pub clock_due_on: Option<chrono::NaiveDate>,
}

#[derive(Clone, Debug, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = dossier_components, treat_none_as_null = true)]
pub struct ComponentRow {
    pub dossier_id: String,
    pub component_id: String,
    pub position: i32,
    pub step: String,
    pub required: bool,
    pub title: String,
    pub citation: String,
    pub status: String,
    pub document_number: Option<String>,
    pub document_date: Option<chrono::NaiveDate>,
    pub note: Option<String>,
    pub updated_by: Option<String>,
    pub updated_at: chrono::NaiveDateTime,
}

#[derive(Clone, Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = dossier_steps)]
pub struct StepRow {
    pub id: String,
    pub dossier_id: String,
    pub from_status: Option<String>,
    pub to_status: String,
    pub occurred_on: chrono::NaiveDate,
    pub document_number: Option<String>,
    pub document_date: Option<chrono::NaiveDate>,
    pub note: Option<String>,
    pub actor_id: Option<String>,
    pub actor_label: String,
    pub at: chrono::NaiveDateTime,
}

pub fn insert(conn: &mut AnyConn, row: &DossierRow) -> QueryResult<()> {
    diesel::insert_into(dossiers::table)
        .values(row)
        .execute(conn)?;
    Ok(())
}

pub fn update(conn: &mut AnyConn, row: &DossierRow) -> QueryResult<()> {
    diesel::update(dossiers::table.find(&row.id))
        .set(row)
        .execute(conn)?;
    Ok(())
}

/// Updates the row only if its status is still `status`; returns the rows changed (0 when
/// someone else moved the dossier first).
pub fn update_if_status(conn: &mut AnyConn, row: &DossierRow, status: &str) -> QueryResult<usize> {
    diesel::update(
        dossiers::table
            .find(&row.id)
            .filter(dossiers::status.eq(status.to_string())),
    )
    .set(row)
    .execute(conn)
}

pub fn find(conn: &mut AnyConn, id: &str) -> QueryResult<Option<DossierRow>> {
    dossiers::table
        .find(id)
        .select(DossierRow::as_select())
        .first(conn)
        .optional()
}

/// The dossiers of a system that are not approved yet.
pub fn open_for_system(conn: &mut AnyConn, system_id: &str) -> QueryResult<Vec<DossierRow>> {
    dossiers::table
        .filter(dossiers::system_id.eq(system_id))
        .filter(dossiers::status.ne("approved"))
        .select(DossierRow::as_select())
        .order(dossiers::created_at.asc())
        .load(conn)
}

pub fn insert_components(conn: &mut AnyConn, rows: &[ComponentRow]) -> QueryResult<()> {
    // No batch insert through MultiConnection; the caller's transaction keeps it fast.
    for row in rows {
        diesel::insert_into(dossier_components::table)
            .values(row)
            .execute(conn)?;
    }
    Ok(())
}

pub fn components(conn: &mut AnyConn, dossier_id: &str) -> QueryResult<Vec<ComponentRow>> {
    dossier_components::table
        .filter(dossier_components::dossier_id.eq(dossier_id))
        .select(ComponentRow::as_select())
        .order(dossier_components::position.asc())
        .load(conn)
}

pub fn update_component(conn: &mut AnyConn, row: &ComponentRow) -> QueryResult<()> {
    diesel::update(dossier_components::table.find((&row.dossier_id, &row.component_id)))
        .set(row)
        .execute(conn)?;
    Ok(())
}

pub fn insert_step(conn: &mut AnyConn, row: &StepRow) -> QueryResult<()> {
    diesel::insert_into(dossier_steps::table)
        .values(row)
        .execute(conn)?;
    Ok(())
}

/// The timeline, oldest first (ids are time-ordered, so they break ties of the same instant).
pub fn steps(conn: &mut AnyConn, dossier_id: &str) -> QueryResult<Vec<StepRow>> {
    dossier_steps::table
        .filter(dossier_steps::dossier_id.eq(dossier_id))
        .select(StepRow::as_select())
        .order((dossier_steps::at.asc(), dossier_steps::id.asc()))
        .load(conn)
}
