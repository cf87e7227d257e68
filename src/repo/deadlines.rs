//! Queries behind the deadline list and the reminders: running dossier clocks, systems to re-determine, and who to tell. No business rules here.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::assessments::AssessmentRow;
use crate::db::schema::{
    alert_deliveries, alerts, assessments, dossiers, system_contacts, systems, users,
};
use crate::db::AnyConn;

/// A dossier whose clock runs, with its system's name.
#[derive(Clone, Debug, Queryable)]
pub struct ClockItem {
    pub dossier_id: String,
    pub system_id: String,
    pub system_name: String,
    pub organization_id: String,
    pub regime_id: String,
    pub procedure_level: i32,
    pub clock_step: Option<String>,
    pub clock_started_on: Option<NaiveDate>,
    pub clock_due_on: Option<NaiveDate>,
    pub created_by: Option<String>,
    pub appraiser_unit_id: Option<String>,
}

/// A system flagged for re-determination.
#[derive(Clone, Debug, Queryable)]
pub struct FlagItem {
    pub system_id: String,
    pub name: String,
    pub organization_id: String,
    pub regime_id: String,
    pub reason: Option<String>,
    pub updated_at: NaiveDateTime,
}

macro_rules! clock_query {
    ($visible:expr, $until:expr) => {{
        let mut q = dossiers::table
            .inner_join(systems::table)
            .filter(dossiers::clock_due_on.is_not_null())
            .filter(dossiers::clock_due_on.le($until))
            .into_boxed();
        if let Some(ids) = $visible {
            // Seen by the subtree that sees the system, and by the appraising unit it was sent to.
            q = q.filter(
                systems::organization_id
                    .eq_any(ids.to_vec())
                    .or(systems::operator_id.eq_any(ids.to_vec()))
                    .or(dossiers::appraiser_unit_id.eq_any(ids.to_vec())),
            );
        }
        q
    }};
}

fn clock_columns() -> (
    dossiers::id,
    dossiers::system_id,
    systems::name,
    dossiers::organization_id,
    dossiers::regime_id,
    dossiers::procedure_level,
    dossiers::clock_step,
    dossiers::clock_started_on,
    dossiers::clock_due_on,
    dossiers::created_by,
    dossiers::appraiser_unit_id,
) {
    (
        dossiers::id,
        dossiers::system_id,
        systems::name,
        dossiers::organization_id,
        dossiers::regime_id,
        dossiers::procedure_level,
        dossiers::clock_step,
        dossiers::clock_started_on,
        dossiers::clock_due_on,
        dossiers::created_by,
        dossiers::appraiser_unit_id,
    )
}

/// The first `limit` running clocks due on or before `until` among `visible` organisations
/// (all when `None`), soonest first, and how many there are.
pub fn clocks(
    conn: &mut AnyConn,
    visible: Option<&[String]>,
    until: NaiveDate,
    limit: i64,
) -> QueryResult<(Vec<ClockItem>, i64)> {
    let total = match visible {
        // Every clock is visible: count on the partial index alone, without visiting the
        // system of each running clock (10 ms at 4,000 clocks, against 0.1 ms).
        None => dossiers::table
            .filter(dossiers::clock_due_on.is_not_null())
            .filter(dossiers::clock_due_on.le(until))
            .count()
            .get_result(conn)?,
        Some(_) => clock_query!(visible, until).count().get_result(conn)?,
    };
    let rows = clock_query!(visible, until)
        .select(clock_columns())
        .order((dossiers::clock_due_on.asc(), dossiers::id.asc()))
        .limit(limit)
        .load(conn)?;
    Ok((rows, total))
}

/// Every running clock due on or before `until`, in pages after `after` (due day, id).
pub fn clocks_after(
    conn: &mut AnyConn,
    until: NaiveDate,
    after: Option<(NaiveDate, String)>,
    limit: i64,
) -> QueryResult<Vec<ClockItem>> {
    let mut q = clock_query!(None::<&[String]>, until);
    if let Some((due, id)) = after {
        q = q.filter(
            dossiers::clock_due_on
                .gt(due)
                .or(dossiers::clock_due_on.eq(due).and(dossiers::id.gt(id))),
        );
    }
    q.select(clock_columns())
        .order((dossiers::clock_due_on.asc(), dossiers::id.asc()))
        .limit(limit)
        .load(conn)
}

/// A sent warning with an action due date, and how many of its recipients answered.
#[derive(Clone, Debug, Queryable)]
pub struct AlertItem {
    pub id: String,
    pub title: String,
    pub organization_id: String,
    pub source_authority: String,
    pub action_due_on: Option<NaiveDate>,
    pub recipients: i64,
    pub answered: i64,
}

macro_rules! alert_query {
    ($visible:expr, $until:expr) => {{
        let mut q = alerts::table
            .filter(alerts::status.eq("sent"))
            .filter(alerts::action_due_on.is_not_null())
            .filter(alerts::action_due_on.le($until))
            .into_boxed();
        if let Some(ids) = $visible {
            q = q.filter(alerts::organization_id.eq_any(ids.to_vec()));
        }
        q
    }};
}

/// The first `limit` sent warnings of `visible` organisations whose action is due on or
/// before `until`, soonest first, with their answer counts (one grouped query), and the total.
pub fn alerts_due(
    conn: &mut AnyConn,
    visible: Option<&[String]>,
    until: NaiveDate,
    limit: i64,
) -> QueryResult<(Vec<AlertItem>, i64)> {
    use diesel::dsl::count;
    let total = alert_query!(visible, until).count().get_result(conn)?;
    // GROUP BY does not box, so the two shapes are written out.
    macro_rules! grouped {
        ($q:expr) => {
            $q.group_by(alerts::id)
                .select((
                    alerts::id,
                    alerts::title,
                    alerts::organization_id,
                    alerts::source_authority,
                    alerts::action_due_on,
                    count(alert_deliveries::id.nullable()),
                    count(alert_deliveries::answer.nullable()),
                ))
                .order((alerts::action_due_on.asc(), alerts::id.asc()))
                .limit(limit)
                .load(conn)?
        };
    }
    let base = alerts::table
        .left_join(alert_deliveries::table)
        .filter(alerts::status.eq("sent"))
        .filter(alerts::action_due_on.is_not_null())
        .filter(alerts::action_due_on.le(until));
    let rows = match visible {
        Some(ids) => grouped!(base.filter(alerts::organization_id.eq_any(ids.to_vec()))),
        None => grouped!(base),
    };
    Ok((rows, total))
}

macro_rules! flag_query {
    ($visible:expr) => {{
        // The bare column (not `= true`) so both databases match the partial index
        // `systems_flagged_idx`, whose predicate is written the same way.
        let mut q = systems::table
            .filter(systems::redetermination_required)
            .into_boxed();
        if let Some(ids) = $visible {
            q = q.filter(
                systems::organization_id
                    .eq_any(ids.to_vec())
                    .or(systems::operator_id.eq_any(ids.to_vec())),
            );
        }
        q
    }};
}

/// The first `limit` systems flagged for re-determination, longest flagged first, and the total.
pub fn flagged(
    conn: &mut AnyConn,
    visible: Option<&[String]>,
    limit: i64,
) -> QueryResult<(Vec<FlagItem>, i64)> {
    let total = super::system_list::count_flagged(conn, visible)?;
    let rows = flag_query!(visible)
        .select((
            systems::id,
            systems::name,
            systems::organization_id,
            systems::regime_id,
            systems::redetermination_reason,
            systems::updated_at,
        ))
        .order((systems::updated_at.asc(), systems::id.asc()))
        .limit(limit)
        .load(conn)?;
    Ok((rows, total))
}

/// Every open assessment due on or before `until`, with its system's name, in pages after
/// `after` (due day, id).
pub fn assessments_after(
    conn: &mut AnyConn,
    until: NaiveDate,
    after: Option<(NaiveDate, String)>,
    limit: i64,
) -> QueryResult<Vec<(AssessmentRow, Option<String>)>> {
    let mut q = assessments::table
        .left_join(systems::table.on(assessments::system_id.eq(systems::id.nullable())))
        .filter(assessments::done_on.is_null())
        .filter(assessments::due_on.le(until))
        .into_boxed();
    if let Some((due, id)) = after {
        q = q.filter(
            assessments::due_on
                .gt(due)
                .or(assessments::due_on.eq(due).and(assessments::id.gt(id))),
        );
    }
    q.select((AssessmentRow::as_select(), systems::name.nullable()))
        .order((assessments::due_on.asc(), assessments::id.asc()))
        .limit(limit)
        .load(conn)
}

/// A person to tell: (key, user id, full name, email) where key is a system or organisation id.
pub type Recipient = (String, String, String, String);

/// The active contacts of `system_ids`.
pub fn contacts_of(conn: &mut AnyConn, system_ids: &[String]) -> QueryResult<Vec<Recipient>> {
    system_contacts::table
        .inner_join(users::table)
        .filter(system_contacts::system_id.eq_any(system_ids.to_vec()))
        .filter(users::active.eq(true))
        .select((
            system_contacts::system_id,
            users::id,
            users::full_name,
            users::email,
        ))
        .load(conn)
}

/// The active security officers of the organisations `org_ids`.
pub fn officers_of(conn: &mut AnyConn, org_ids: &[String]) -> QueryResult<Vec<Recipient>> {
    users::table
        .filter(users::organization_id.eq_any(org_ids.to_vec()))
        .filter(users::role.eq("security_officer"))
        .filter(users::active.eq(true))
        .select((
            users::organization_id,
            users::id,
            users::full_name,
            users::email,
        ))
        .load(conn)
}

/// Active users by id (the creators of dossiers), keyed by their own id.
pub fn active_users(conn: &mut AnyConn, ids: &[String]) -> QueryResult<Vec<Recipient>> {
    users::table
        .filter(users::id.eq_any(ids.to_vec()))
        .filter(users::active.eq(true))
        .select((users::id, users::id, users::full_name, users::email))
        .load(conn)
}

/// An active user: (id, name, email, role, organisation path).
pub type UserScope = (String, String, String, String, String);

/// A page of active users with one of `roles`, after `after` (by id).
pub fn users_after(
    conn: &mut AnyConn,
    roles: &[&str],
    after: Option<&str>,
    limit: i64,
) -> QueryResult<Vec<UserScope>> {
    use crate::db::schema::organizations;
    let roles: Vec<String> = roles.iter().map(|r| r.to_string()).collect();
    let mut q = users::table
        .inner_join(organizations::table)
        .filter(users::active.eq(true))
        .filter(users::role.eq_any(roles))
        .into_boxed();
    if let Some(id) = after {
        q = q.filter(users::id.gt(id.to_string()));
    }
    q.select((
        users::id,
        users::full_name,
        users::email,
        users::role,
        organizations::path,
    ))
    .order(users::id.asc())
    .limit(limit)
    .load(conn)
}
