//! Rows of `outbox`: insert, the worker's claim and leases, and status read by trackers.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::outbox;
use crate::db::AnyConn;

/// Lifecycle of one message: queued → sending → sent | failed (sending → queued on retry).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Queued,
    Sending,
    Sent,
    Failed,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Queued => "queued",
            Self::Sending => "sending",
            Self::Sent => "sent",
            Self::Failed => "failed",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "queued" => Self::Queued,
            "sending" => Self::Sending,
            "sent" => Self::Sent,
            "failed" => Self::Failed,
            _ => return None,
        })
    }

    /// What a user reads.
    pub fn label(self) -> &'static str {
        match self {
            Self::Queued => "Đang chờ gửi",
            Self::Sending => "Đang gửi",
            Self::Sent => "Đã gửi",
            Self::Failed => "Gửi thất bại",
        }
    }
}

#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = outbox)]
pub struct OutboxRow {
    pub id: String,
    pub message_id: String,
    pub kind: String,
    pub ref_id: Option<String>,
    pub to_address: String,
    pub to_name: Option<String>,
    pub subject: String,
    pub text_body: String,
    pub html_body: Option<String>,
    pub status: String,
    pub attempts: i32,
    pub next_attempt_at: NaiveDateTime,
    pub claimed_until: Option<NaiveDateTime>,
    pub last_reply: Option<String>,
    pub sent_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Insertable)]
#[diesel(table_name = outbox, treat_none_as_default_value = false)]
pub struct NewOutboxRow {
    pub id: String,
    pub message_id: String,
    pub kind: String,
    pub ref_id: Option<String>,
    pub to_address: String,
    pub to_name: Option<String>,
    pub subject: String,
    pub text_body: String,
    pub html_body: Option<String>,
    pub status: String,
    pub attempts: i32,
    pub next_attempt_at: NaiveDateTime,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// What a tracker shows per message, without the bodies. Also usable in a join, e.g.
/// `alert_deliveries::table.left_join(outbox::table.on(outbox::id.nullable().eq(alert_deliveries::outbox_id)))
/// .select((DeliveryRow::as_select(), Option::<OutboxStatus>::as_select()))`.
#[derive(Clone, Debug, Queryable, Selectable, serde::Serialize)]
#[diesel(table_name = outbox)]
pub struct OutboxStatus {
    pub id: String,
    pub kind: String,
    pub ref_id: Option<String>,
    pub to_address: String,
    pub status: String,
    pub attempts: i32,
    /// The server's reply when sent, the reason when failed or waiting for a retry.
    pub last_reply: Option<String>,
    pub next_attempt_at: NaiveDateTime,
    pub sent_at: Option<NaiveDateTime>,
    pub updated_at: NaiveDateTime,
}

impl OutboxStatus {
    pub fn status(&self) -> Option<Status> {
        Status::parse(&self.status)
    }
}

/// Rows per multi-row INSERT and per `IN (…)` list (well under both backends' limits).
const CHUNK: usize = 200;

pub fn insert_many(conn: &mut AnyConn, rows: &[NewOutboxRow]) -> QueryResult<usize> {
    let mut inserted = 0;
    // Multi-row INSERT is not available through the MultiConnection enum: per backend.
    for chunk in rows.chunks(CHUNK) {
        let insert = diesel::insert_into(outbox::table).values(chunk);
        inserted += match conn {
            AnyConn::Postgres(pg) => insert.execute(pg)?,
            AnyConn::Sqlite(lite) => insert.execute(lite)?,
        };
    }
    Ok(inserted)
}

pub fn find(conn: &mut AnyConn, id: &str) -> QueryResult<Option<OutboxRow>> {
    outbox::table
        .find(id)
        .select(OutboxRow::as_select())
        .first(conn)
        .optional()
}

/// Claims up to `limit` due messages for this worker until `lease_until`: expired leases
/// (a worker that died) are reclaimed first. PostgreSQL skips rows another worker holds
/// (`FOR UPDATE SKIP LOCKED`); SQLite has one writer at a time (`BEGIN IMMEDIATE`).
pub fn claim(
    conn: &mut AnyConn,
    now: NaiveDateTime,
    lease_until: NaiveDateTime,
    limit: i64,
) -> QueryResult<Vec<OutboxRow>> {
    // A read first: an idle queue costs no write transaction (SQLite's single write lock).
    let due_or_expired = outbox::table
        .filter(
            outbox::status
                .eq(Status::Queued.as_str())
                .and(outbox::next_attempt_at.le(now))
                .or(outbox::status
                    .eq(Status::Sending.as_str())
                    .and(outbox::claimed_until.lt(now))),
        )
        .select(outbox::id)
        .first::<String>(conn)
        .optional()?;
    if due_or_expired.is_none() {
        return Ok(Vec::new());
    }
    crate::db::write_tx(conn, |conn| {
        diesel::update(
            outbox::table
                .filter(outbox::status.eq(Status::Sending.as_str()))
                .filter(outbox::claimed_until.lt(now)),
        )
        .set((
            outbox::status.eq(Status::Queued.as_str()),
            outbox::claimed_until.eq(None::<NaiveDateTime>),
            outbox::next_attempt_at.eq(now),
            outbox::updated_at.eq(now),
        ))
        .execute(conn)?;
        // One query per backend: the selection is typed by its backend.
        macro_rules! due {
            () => {
                outbox::table
                    .filter(outbox::status.eq(Status::Queued.as_str()))
                    .filter(outbox::next_attempt_at.le(now))
                    .order((outbox::next_attempt_at.asc(), outbox::id.asc()))
                    .limit(limit)
                    .select(OutboxRow::as_select())
            };
        }
        let mut rows: Vec<OutboxRow> = match conn {
            AnyConn::Postgres(pg) => due!().for_update().skip_locked().load(pg)?,
            AnyConn::Sqlite(lite) => due!().load(lite)?,
        };
        if rows.is_empty() {
            return Ok(rows);
        }
        let ids: Vec<&str> = rows.iter().map(|r| r.id.as_str()).collect();
        diesel::update(outbox::table.filter(outbox::id.eq_any(&ids)))
            .set((
                outbox::status.eq(Status::Sending.as_str()),
                outbox::claimed_until.eq(Some(lease_until)),
                outbox::attempts.eq(outbox::attempts + 1),
                outbox::updated_at.eq(now),
            ))
            .execute(conn)?;
        for row in &mut rows {
            row.status = Status::Sending.as_str().into();
            row.claimed_until = Some(lease_until);
            row.attempts += 1;
            row.updated_at = now;
        }
        Ok(rows)
    })
}

/// The rows this worker still holds: same id, still sending, same lease. A worker whose
/// lease was reclaimed changes nothing.
macro_rules! held {
    ($id:expr, $lease:expr) => {
        outbox::table
            .filter(outbox::id.eq($id))
            .filter(outbox::status.eq(Status::Sending.as_str()))
            .filter(outbox::claimed_until.eq(Some($lease)))
    };
}

pub fn mark_sent(
    conn: &mut AnyConn,
    id: &str,
    lease: NaiveDateTime,
    reply: &str,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    diesel::update(held!(id, lease))
        .set((
            outbox::status.eq(Status::Sent.as_str()),
            outbox::claimed_until.eq(None::<NaiveDateTime>),
            outbox::last_reply.eq(Some(reply)),
            outbox::sent_at.eq(Some(now)),
            outbox::updated_at.eq(now),
        ))
        .execute(conn)
        .map(|n| n == 1)
}

/// Back to the queue after a transient failure, due again at `next_attempt_at`.
pub fn mark_retry(
    conn: &mut AnyConn,
    id: &str,
    lease: NaiveDateTime,
    reason: &str,
    next_attempt_at: NaiveDateTime,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    diesel::update(held!(id, lease))
        .set((
            outbox::status.eq(Status::Queued.as_str()),
            outbox::claimed_until.eq(None::<NaiveDateTime>),
            outbox::last_reply.eq(Some(reason)),
            outbox::next_attempt_at.eq(next_attempt_at),
            outbox::updated_at.eq(now),
        ))
        .execute(conn)
        .map(|n| n == 1)
}

pub fn mark_failed(
    conn: &mut AnyConn,
    id: &str,
    lease: NaiveDateTime,
    reason: &str,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    diesel::update(held!(id, lease))
        .set((
            outbox::status.eq(Status::Failed.as_str()),
            outbox::claimed_until.eq(None::<NaiveDateTime>),
            outbox::last_reply.eq(Some(reason)),
            outbox::updated_at.eq(now),
        ))
        .execute(conn)
        .map(|n| n == 1)
}

/// Gives back claimed messages that were never tried (shutdown, server unreachable): the
/// claim's attempt is not counted.
pub fn release(
    conn: &mut AnyConn,
    id: &str,
    lease: NaiveDateTime,
    next_attempt_at: NaiveDateTime,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    diesel::update(held!(id, lease))
        .set((
            outbox::status.eq(Status::Queued.as_str()),
            outbox::claimed_until.eq(None::<NaiveDateTime>),
            outbox::attempts.eq(outbox::attempts - 1),
            outbox::next_attempt_at.eq(next_attempt_at),
            outbox::updated_at.eq(now),
        ))
        .execute(conn)
        .map(|n| n == 1)
}

/// Puts a failed message back in the queue, due now, with a fresh count of attempts.
pub fn retry_failed(conn: &mut AnyConn, id: &str, now: NaiveDateTime) -> QueryResult<bool> {
    diesel::update(
        outbox::table
            .filter(outbox::id.eq(id))
            .filter(outbox::status.eq(Status::Failed.as_str())),
    )
    .set((
        outbox::status.eq(Status::Queued.as_str()),
        outbox::attempts.eq(0),
        outbox::next_attempt_at.eq(now),
        outbox::updated_at.eq(now),
    ))
    .execute(conn)
    .map(|n| n == 1)
}

/// Status of the given outbox ids (as `enqueue` returned them), in no particular order.
pub fn status_of(conn: &mut AnyConn, ids: &[String]) -> QueryResult<Vec<OutboxStatus>> {
    let mut out = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(CHUNK) {
        out.extend(
            outbox::table
                .filter(outbox::id.eq_any(chunk))
                .select(OutboxStatus::as_select())
                .load(conn)?,
        );
    }
    Ok(out)
}

/// For each `ref_id` (e.g. the deliveries of one page), the newest message of `kind` that
/// refers to it: a resend supersedes the earlier message.
pub fn latest_by_ref(
    conn: &mut AnyConn,
    kind: &str,
    ref_ids: &[String],
) -> QueryResult<HashMap<String, OutboxStatus>> {
    let mut out = HashMap::with_capacity(ref_ids.len());
    for chunk in ref_ids.chunks(CHUNK) {
        // Ids are UUIDv7, so the greatest id is the newest message.
        let rows = outbox::table
            .filter(outbox::kind.eq(kind))
            .filter(outbox::ref_id.eq_any(chunk))
            .order(outbox::id.asc())
            .select(OutboxStatus::as_select())
            .load(conn)?;
        for row in rows {
            if let Some(r) = row.ref_id.clone() {
                out.insert(r, row);
            }
        }
    }
    Ok(out)
}

/// How many messages are in each state (for the settings page and metrics).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct QueueSummary {
    pub queued: i64,
    pub sending: i64,
    pub sent: i64,
    pub failed: i64,
}

pub fn summary(conn: &mut AnyConn) -> QueryResult<QueueSummary> {
    let counts: Vec<(String, i64)> = outbox::table
        .group_by(outbox::status)
        .select((outbox::status, diesel::dsl::count_star()))
        .load(conn)?;
    let mut s = QueueSummary::default();
    for (status, n) in counts {
        match Status::parse(&status) {
            Some(Status::Queued) => s.queued = n,
            Some(Status::Sending) => s.sending = n,
            Some(Status::Sent) => s.sent = n,
            Some(Status::Failed) => s.failed = n,
            None => {}
        }
    }
    Ok(s)
}
