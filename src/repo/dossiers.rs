//! Rows of `dossiers`, `dossier_components` and `dossier_steps`. No business rules here.

use diesel::prelude::*;

use crate::db::schema::{dossier_components, dossier_steps, dossier_systems, dossiers, systems};
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

/// Records where the routed units came from (`configuration` or `pack`).
pub fn set_unit_sources(
    conn: &mut AnyConn,
    id: &str,
    appraiser: Option<&str>,
    approver: Option<&str>,
) -> QueryResult<()> {
    diesel::update(dossiers::table.find(id))
        .set((
            dossiers::appraiser_unit_source.eq(appraiser.map(str::to_string)),
            dossiers::approver_unit_source.eq(approver.map(str::to_string)),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn unit_sources(conn: &mut AnyConn, id: &str) -> QueryResult<(Option<String>, Option<String>)> {
    dossiers::table
        .find(id)
        .select((
            dossiers::appraiser_unit_source,
            dossiers::approver_unit_source,
        ))
        .first(conn)
}

/// A system beyond the first of a dossier that covers several.
#[derive(Clone, Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = dossier_systems)]
pub struct DossierSystemRow {
    pub dossier_id: String,
    pub system_id: String,
    pub position: i32,
    pub proposed_level: i32,
}

pub fn insert_systems(conn: &mut AnyConn, rows: &[DossierSystemRow]) -> QueryResult<()> {
    for row in rows {
        diesel::insert_into(dossier_systems::table)
            .values(row)
            .execute(conn)?;
    }
    Ok(())
}

/// The further systems of a dossier with their current name and approved level, in order.
pub fn extra_systems(
    conn: &mut AnyConn,
    dossier_id: &str,
) -> QueryResult<Vec<(DossierSystemRow, String, Option<i32>)>> {
    dossier_systems::table
        .inner_join(systems::table.on(systems::id.eq(dossier_systems::system_id)))
        .filter(dossier_systems::dossier_id.eq(dossier_id))
        .select((
            DossierSystemRow::as_select(),
            systems::name,
            systems::approved_level,
        ))
        .order(dossier_systems::position.asc())
        .load(conn)
}

/// The open dossiers that hold `system_id` beyond their first system.
pub fn open_holding(conn: &mut AnyConn, system_id: &str) -> QueryResult<Vec<String>> {
    dossier_systems::table
        .inner_join(dossiers::table)
        .filter(dossier_systems::system_id.eq(system_id))
        .filter(dossiers::status.ne("approved"))
        .select(dossiers::id)
        .load(conn)
}

/// Systems of `organization_id` under `regime_id` with a proposed level, other than `except`,
/// by name: the candidates to join a new dossier of `except` (at most `limit`).
pub fn extra_candidates(
    conn: &mut AnyConn,
    organization_id: &str,
    regime_id: &str,
    except: &str,
    limit: i64,
) -> QueryResult<Vec<String>> {
    systems::table
        .filter(systems::organization_id.eq(organization_id))
        .filter(systems::regime_id.eq(regime_id))
        .filter(systems::proposed_level.is_not_null())
        .filter(systems::id.ne(except))
        .order((systems::name.asc(), systems::id.asc()))
        .limit(limit)
        .select(systems::id)
        .load(conn)
}

/// Which side of the procedure a list is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ListSide {
    /// Dossiers of systems the scope holds (as owner or operating unit).
    Owner,
    /// Dossiers sent (not drafts) to an appraising or approving unit of the scope.
    Appraiser,
    Either,
}

#[derive(Clone, Debug)]
pub struct DossierFilter {
    pub side: ListSide,
    /// Organisations of the scope; `None` for the whole tree.
    pub scope: Option<Vec<String>>,
    pub statuses: Vec<String>,
    /// Only the dossiers that hold this system, as their first system or a further one.
    pub system_id: Option<String>,
}

/// A dossier row with its first system's name and its owner organisation's name.
pub type ListedRow = (DossierRow, String, String);

/// A page of rows, the total, and `(dossier_id, system_id)` of the page's further systems.
pub type ListPage = (Vec<ListedRow>, i64, Vec<(String, String)>);

/// One page of dossiers, newest change first, and the total: one query for the page (joined
/// with systems and organisations), one for the count, one for the further systems' count.
pub fn list(
    conn: &mut AnyConn,
    filter: &DossierFilter,
    page: crate::repo::Page,
) -> QueryResult<ListPage> {
    use crate::db::schema::organizations;
    let build = || {
        let mut q = dossiers::table
            .inner_join(systems::table.on(systems::id.eq(dossiers::system_id)))
            .inner_join(organizations::table.on(organizations::id.eq(dossiers::organization_id)))
            .into_boxed();
        let sent = dossiers::status.ne("draft");
        q = match (&filter.side, &filter.scope) {
            (ListSide::Owner, None) => q,
            (ListSide::Owner, Some(ids)) => q.filter(
                systems::organization_id
                    .eq_any(ids.clone())
                    .or(systems::operator_id.eq_any(ids.clone())),
            ),
            (ListSide::Appraiser, None) => q.filter(
                sent.and(
                    dossiers::appraiser_unit_id
                        .is_not_null()
                        .or(dossiers::approver_unit_id.is_not_null()),
                ),
            ),
            (ListSide::Appraiser, Some(ids)) => q.filter(
                sent.and(
                    dossiers::appraiser_unit_id
                        .eq_any(ids.clone())
                        .or(dossiers::approver_unit_id.eq_any(ids.clone())),
                ),
            ),
            (ListSide::Either, None) => q,
            (ListSide::Either, Some(ids)) => q.filter(
                systems::organization_id
                    .eq_any(ids.clone())
                    .or(systems::operator_id.eq_any(ids.clone()))
                    .or(sent.and(
                        dossiers::appraiser_unit_id
                            .eq_any(ids.clone())
                            .or(dossiers::approver_unit_id.eq_any(ids.clone())),
                    )),
            ),
        };
        if !filter.statuses.is_empty() {
            q = q.filter(dossiers::status.eq_any(filter.statuses.clone()));
        }
        if let Some(id) = &filter.system_id {
            // Both sides use an index: dossiers(system_id) and dossier_systems(system_id).
            let further = dossier_systems::table
                .filter(dossier_systems::system_id.eq(id.clone()))
                .select(dossier_systems::dossier_id);
            q = q.filter(
                dossiers::system_id
                    .eq(id.clone())
                    .or(dossiers::id.eq_any(further)),
            );
        }
        q
    };
    let total = build().count().get_result(conn)?;
    let rows: Vec<ListedRow> = build()
        .select((DossierRow::as_select(), systems::name, organizations::name))
        .order((dossiers::updated_at.desc(), dossiers::id.desc()))
        .limit(page.size)
        .offset(page.offset())
        .load(conn)?;
    let ids: Vec<String> = rows.iter().map(|r| r.0.id.clone()).collect();
    let extras = if ids.is_empty() {
        Vec::new()
    } else {
        dossier_systems::table
            .filter(dossier_systems::dossier_id.eq_any(ids))
            .select((dossier_systems::dossier_id, dossier_systems::system_id))
            .load(conn)?
    };
    Ok((rows, total, extras))
}
