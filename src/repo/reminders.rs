//! Rows of `reminders_sent`: the key of every reminder and digest already enqueued. No
//! business rules here.

use diesel::prelude::*;

use crate::db::schema::reminders_sent;
use crate::db::AnyConn;

/// Records that a reminder goes out; `false` when it already went (the key exists), so the
/// caller enqueues nothing. Safe between instances: the primary key decides.
pub fn claim_reminder(
    conn: &mut AnyConn,
    key: &str,
    user_id: Option<&str>,
    at: chrono::NaiveDateTime,
) -> QueryResult<bool> {
    let insert = diesel::insert_into(reminders_sent::table)
        .values((
            reminders_sent::reminder_key.eq(key),
            reminders_sent::user_id.eq(user_id),
            reminders_sent::sent_at.eq(at),
        ))
        .on_conflict_do_nothing();
    // No ON CONFLICT through the MultiConnection enum: one statement per backend.
    let n = match conn {
        AnyConn::Postgres(pg) => insert.execute(pg)?,
        AnyConn::Sqlite(lite) => insert.execute(lite)?,
    };
    Ok(n == 1)
}

pub fn set_reminder_outbox(conn: &mut AnyConn, key: &str, outbox_id: &str) -> QueryResult<()> {
    diesel::update(reminders_sent::table.find(key))
        .set(reminders_sent::outbox_id.eq(Some(outbox_id)))
        .execute(conn)
        .map(|_| ())
}

pub fn reminder_exists(conn: &mut AnyConn, key: &str) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(reminders_sent::table.find(key))).get_result(conn)
}
