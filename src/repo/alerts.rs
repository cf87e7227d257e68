//! Rows of `alerts` and `alert_deliveries`, and the audience queries that resolve who a
//! warning reaches. No business rules here.

use diesel::prelude::*;

use super::systems::scope_ids;
use super::Page;
use crate::db::schema::{
    alert_deliveries, alerts, organizations, system_contacts, system_products, systems, users,
};
use crate::db::AnyConn;

#[derive(Clone, Debug, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = alerts, treat_none_as_null = true)]
pub struct AlertRow {
    pub id: String,
    pub organization_id: String,
    pub title: String,
    pub severity: String,
    pub source_authority: String,
    pub source_document: Option<String>,
    pub body: String,
    pub cve_ids_json: String,
    pub affected_products_json: String,
    pub required_action: String,
    pub action_due_on: Option<chrono::NaiveDate>,
    pub tlp: Option<String>,
    pub corrects_id: Option<String>,
    pub audience_json: String,
    pub status: String,
    pub created_by: Option<String>,
    pub created_at: chrono::NaiveDateTime,
    pub updated_at: chrono::NaiveDateTime,
    pub sent_at: Option<chrono::NaiveDateTime>,
}

#[derive(Clone, Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = alert_deliveries)]
pub struct DeliveryRow {
    pub id: String,
    pub alert_id: String,
    pub user_id: Option<String>,
    pub email: String,
    pub full_name: String,
    pub reasons: String,
    pub outbox_id: Option<String>,
    pub send_count: i32,
    pub answer: Option<String>,
    pub note: Option<String>,
    pub answered_at: Option<chrono::NaiveDateTime>,
    pub created_at: chrono::NaiveDateTime,
}

pub fn insert(conn: &mut AnyConn, row: &AlertRow) -> QueryResult<()> {
    diesel::insert_into(alerts::table)
        .values(row)
        .execute(conn)?;
    Ok(())
}

pub fn update(conn: &mut AnyConn, row: &AlertRow) -> QueryResult<()> {
    diesel::update(alerts::table.find(&row.id))
        .set(row)
        .execute(conn)?;
    Ok(())
}

pub fn find(conn: &mut AnyConn, id: &str) -> QueryResult<Option<AlertRow>> {
    alerts::table
        .find(id)
        .select(AlertRow::as_select())
        .first(conn)
        .optional()
}

/// A warning is visible to the subtree that holds its issuing organisation.
pub fn find_in_scope(
    conn: &mut AnyConn,
    scope_path: &str,
    id: &str,
) -> QueryResult<Option<AlertRow>> {
    let Some(row) = find(conn, id)? else {
        return Ok(None);
    };
    Ok(match scope_ids(conn, scope_path)? {
        None => Some(row),
        Some(ids) => ids.contains(&row.organization_id).then_some(row),
    })
}

pub fn list_in_scope(
    conn: &mut AnyConn,
    scope_path: &str,
    page: Page,
) -> QueryResult<(Vec<AlertRow>, i64)> {
    let scope = scope_ids(conn, scope_path)?;
    let build = || {
        let mut q = alerts::table.into_boxed();
        if let Some(ids) = &scope {
            q = q.filter(alerts::organization_id.eq_any(ids.clone()));
        }
        q
    };
    let total = build().count().get_result(conn)?;
    let rows = build()
        .select(AlertRow::as_select())
        .order((alerts::created_at.desc(), alerts::id.desc()))
        .limit(page.size)
        .offset(page.offset())
        .load(conn)?;
    Ok((rows, total))
}

pub fn insert_deliveries(conn: &mut AnyConn, rows: &[DeliveryRow]) -> QueryResult<()> {
    // MultiConnection has no batch insert; one statement per row inside the caller's
    // transaction is fast enough on both backends (prepared statements are cached).
    for row in rows {
        diesel::insert_into(alert_deliveries::table)
            .values(row)
            .execute(conn)?;
    }
    Ok(())
}

pub fn set_outbox(conn: &mut AnyConn, delivery_id: &str, outbox_id: &str) -> QueryResult<()> {
    diesel::update(alert_deliveries::table.find(delivery_id))
        .set((
            alert_deliveries::outbox_id.eq(outbox_id),
            alert_deliveries::send_count.eq(alert_deliveries::send_count + 1),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn find_delivery(conn: &mut AnyConn, id: &str) -> QueryResult<Option<DeliveryRow>> {
    alert_deliveries::table
        .find(id)
        .select(DeliveryRow::as_select())
        .first(conn)
        .optional()
}

pub fn set_answer(
    conn: &mut AnyConn,
    id: &str,
    answer: &str,
    note: Option<&str>,
    at: chrono::NaiveDateTime,
) -> QueryResult<()> {
    diesel::update(alert_deliveries::table.find(id))
        .set((
            alert_deliveries::answer.eq(answer),
            alert_deliveries::note.eq(note),
            alert_deliveries::answered_at.eq(at),
        ))
        .execute(conn)?;
    Ok(())
}

/// Deliveries of a warning in email order, after `after_email` (keyset pages).
pub fn deliveries_after(
    conn: &mut AnyConn,
    alert_id: &str,
    unanswered_only: bool,
    after_email: Option<&str>,
    limit: i64,
) -> QueryResult<Vec<DeliveryRow>> {
    let mut q = alert_deliveries::table
        .filter(alert_deliveries::alert_id.eq(alert_id))
        .into_boxed();
    if unanswered_only {
        q = q.filter(alert_deliveries::answer.is_null());
    }
    if let Some(after) = after_email {
        q = q.filter(alert_deliveries::email.gt(after.to_string()));
    }
    q.select(DeliveryRow::as_select())
        .order(alert_deliveries::email.asc())
        .limit(limit)
        .load(conn)
}

pub fn deliveries_page(
    conn: &mut AnyConn,
    alert_id: &str,
    page: Page,
) -> QueryResult<(Vec<DeliveryRow>, i64)> {
    let total = alert_deliveries::table
        .filter(alert_deliveries::alert_id.eq(alert_id))
        .count()
        .get_result(conn)?;
    let rows = alert_deliveries::table
        .filter(alert_deliveries::alert_id.eq(alert_id))
        .select(DeliveryRow::as_select())
        .order(alert_deliveries::email.asc())
        .limit(page.size)
        .offset(page.offset())
        .load(conn)?;
    Ok((rows, total))
}

/// (answer, count) over a warning's deliveries; `None` is "no answer yet".
pub fn answer_counts(
    conn: &mut AnyConn,
    alert_id: &str,
) -> QueryResult<Vec<(Option<String>, i64)>> {
    alert_deliveries::table
        .filter(alert_deliveries::alert_id.eq(alert_id))
        .group_by(alert_deliveries::answer)
        .select((alert_deliveries::answer, diesel::dsl::count_star()))
        .load(conn)
}

/// A user an audience rule reaches.
#[derive(Clone, Debug, Queryable)]
pub struct Reached {
    pub user_id: String,
    pub email: String,
    pub full_name: String,
}

fn active_users() -> users::BoxedQuery<'static, crate::db::MultiBackend> {
    users::table.filter(users::active.eq(true)).into_boxed()
}

/// An active user of the scope with what audience rules look at: organisation path and role.
#[derive(Clone, Debug, Queryable)]
pub struct ScopedUser {
    pub reached: Reached,
    pub role: String,
    pub organization_path: String,
}

/// One page of the active users under `scope_path`, in email order after `after` (emails are
/// stored lower-case and unique, so the email is the keyset).
pub fn active_users_page(
    conn: &mut AnyConn,
    scope_path: &str,
    after: Option<&str>,
    limit: i64,
) -> QueryResult<Vec<ScopedUser>> {
    let mut q = users::table
        .inner_join(organizations::table.on(organizations::id.eq(users::organization_id)))
        .filter(users::active.eq(true))
        .filter(organizations::path.like(format!("{scope_path}%")))
        .into_boxed();
    if let Some(after) = after {
        q = q.filter(users::email.gt(after.to_string()));
    }
    q.order(users::email.asc())
        .limit(limit)
        .select((
            (users::id, users::email, users::full_name),
            users::role,
            organizations::path,
        ))
        .load(conn)
}

/// A registered product of a system of the subtree, with the system and its operating unit.
#[derive(Clone, Debug, Queryable)]
pub struct ProductInUse {
    pub system_id: String,
    pub system_name: String,
    pub operator_id: Option<String>,
    pub product_key: String,
    pub version: Option<String>,
}

/// Products of systems under `scope_path` whose folded name contains `pattern` (`%key%`).
pub fn products_matching(
    conn: &mut AnyConn,
    scope_path: &str,
    pattern: &str,
) -> QueryResult<Vec<ProductInUse>> {
    let mut q = system_products::table
        .inner_join(systems::table)
        .filter(system_products::search_key.like(pattern.to_string()))
        .into_boxed();
    if let Some(ids) = scope_ids(conn, scope_path)? {
        q = q.filter(
            systems::organization_id
                .eq_any(ids.clone())
                .or(systems::operator_id.eq_any(ids)),
        );
    }
    q.select((
        systems::id,
        systems::name,
        systems::operator_id,
        system_products::search_key,
        system_products::version,
    ))
    .load(conn)
}

/// The contacts of a system (active users).
pub fn system_contacts(conn: &mut AnyConn, system_id: &str) -> QueryResult<Vec<Reached>> {
    active_users()
        .filter(
            users::id.eq_any(
                system_contacts::table
                    .filter(system_contacts::system_id.eq(system_id.to_string()))
                    .select(system_contacts::user_id),
            ),
        )
        .select((users::id, users::email, users::full_name))
        .load(conn)
}

/// The operator accounts of an operating unit (active users with role `operator`).
pub fn unit_operators(conn: &mut AnyConn, organization_id: &str) -> QueryResult<Vec<Reached>> {
    active_users()
        .filter(users::organization_id.eq(organization_id.to_string()))
        .filter(users::role.eq("operator"))
        .select((users::id, users::email, users::full_name))
        .load(conn)
}

/// (outbox status, count) over a warning's deliveries, by each delivery's latest message.
pub fn delivery_status_counts(
    conn: &mut AnyConn,
    alert_id: &str,
) -> QueryResult<Vec<(String, i64)>> {
    use crate::db::schema::outbox;
    alert_deliveries::table
        .inner_join(outbox::table.on(outbox::id.nullable().eq(alert_deliveries::outbox_id)))
        .filter(alert_deliveries::alert_id.eq(alert_id))
        .group_by(outbox::status)
        .select((outbox::status, diesel::dsl::count_star()))
        .load(conn)
}

/// A delivery with the state of its latest message.
#[derive(Clone, Debug, Queryable)]
pub struct DeliveryWithStatus {
    pub delivery: DeliveryRow,
    pub status: Option<String>,
    pub reply: Option<String>,
    pub sent_at: Option<chrono::NaiveDateTime>,
    pub attempts: Option<i32>,
}

/// One page of a warning's deliveries in email order (`unanswered_only` for the resend view).
pub fn deliveries_with_status(
    conn: &mut AnyConn,
    alert_id: &str,
    unanswered_only: bool,
    page: Page,
) -> QueryResult<(Vec<DeliveryWithStatus>, i64)> {
    use crate::db::schema::outbox;
    let build = || {
        let mut q = alert_deliveries::table
            .filter(alert_deliveries::alert_id.eq(alert_id.to_string()))
            .into_boxed();
        if unanswered_only {
            q = q.filter(alert_deliveries::answer.is_null());
        }
        q
    };
    let total = build().count().get_result(conn)?;
    let mut q = alert_deliveries::table
        .left_join(outbox::table.on(outbox::id.nullable().eq(alert_deliveries::outbox_id)))
        .filter(alert_deliveries::alert_id.eq(alert_id.to_string()))
        .into_boxed();
    if unanswered_only {
        q = q.filter(alert_deliveries::answer.is_null());
    }
    let rows = q
        .select((
            DeliveryRow::as_select(),
            outbox::status.nullable(),
            outbox::last_reply.nullable(),
            outbox::sent_at.nullable(),
            outbox::attempts.nullable(),
        ))
        .order(alert_deliveries::email.asc())
        .limit(page.size)
        .offset(page.offset())
        .load::<(
            DeliveryRow,
            Option<String>,
            Option<String>,
            Option<chrono::NaiveDateTime>,
            Option<i32>,
        )>(conn)?
        .into_iter()
        .map(
            |(delivery, status, reply, sent_at, attempts)| DeliveryWithStatus {
                delivery,
                status,
                reply,
                sent_at,
                attempts,
            },
        )
        .collect();
    Ok((rows, total))
}
