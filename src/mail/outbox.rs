//! Enqueueing: callers write messages inside their own write transaction (transactional outbox).

use chrono::NaiveDateTime;

use super::message::{message_id_for, one_line, parse_address};
use crate::db::AnyConn;
use crate::error::AppError;
use crate::repo::outbox::{self as rows, NewOutboxRow, Status};

/// One message to send. Build with [`NewMessage::new`] and the `with_*` methods.
#[derive(Clone, Debug)]
pub struct NewMessage {
    /// What the message is for: `alert`, `test`, `reminder`, …
    pub kind: String,
    /// What it belongs to, e.g. an alert delivery id; trackers read status by it.
    pub ref_id: Option<String>,
    pub to_address: String,
    pub to_name: Option<String>,
    pub subject: String,
    pub text_body: String,
    pub html_body: Option<String>,
    /// Not sent before this time (UTC); `None` = as soon as possible.
    pub not_before: Option<NaiveDateTime>,
}

impl NewMessage {
    pub fn new(
        kind: impl Into<String>,
        to_address: impl Into<String>,
        subject: impl Into<String>,
        text_body: impl Into<String>,
    ) -> Self {
        Self {
            kind: kind.into(),
            ref_id: None,
            to_address: to_address.into(),
            to_name: None,
            subject: subject.into(),
            text_body: text_body.into(),
            html_body: None,
            not_before: None,
        }
    }

    pub fn with_ref(mut self, ref_id: impl Into<String>) -> Self {
        self.ref_id = Some(ref_id.into());
        self
    }

    pub fn with_name(mut self, to_name: impl Into<String>) -> Self {
        self.to_name = Some(to_name.into());
        self
    }

    pub fn with_html(mut self, html_body: impl Into<String>) -> Self {
        self.html_body = Some(html_body.into());
        self
    }

    pub fn not_before(mut self, at: NaiveDateTime) -> Self {
        self.not_before = Some(at);
        self
    }

    /// The row to insert, or a validation error naming the field.
    fn into_row(self, now: NaiveDateTime) -> Result<NewOutboxRow, AppError> {
        let address =
            parse_address(&self.to_address).map_err(|m| AppError::field("to_address", m))?;
        let kind = self.kind.trim().to_string();
        if kind.is_empty() {
            return Err(AppError::field("kind", "Loại thư là bắt buộc"));
        }
        let subject = one_line(&self.subject);
        if subject.is_empty() {
            return Err(AppError::field("subject", "Tiêu đề thư là bắt buộc"));
        }
        let id = crate::db::new_id();
        Ok(NewOutboxRow {
            message_id: message_id_for(&id),
            id,
            kind,
            ref_id: self.ref_id,
            to_address: address.to_string(),
            to_name: self.to_name.map(|n| one_line(&n)).filter(|n| !n.is_empty()),
            subject,
            text_body: self.text_body,
            html_body: self.html_body,
            status: Status::Queued.as_str().into(),
            attempts: 0,
            next_attempt_at: self.not_before.unwrap_or(now),
            created_at: now,
            updated_at: now,
        })
    }
}

/// Writes one message to the outbox and returns its id. Call it inside the caller's
/// `write_tx`, so the message exists exactly when its cause is committed; then wake the
/// worker (`Notifier::notify`) after the commit.
pub fn enqueue(conn: &mut AnyConn, msg: NewMessage) -> Result<String, AppError> {
    let row = msg.into_row(crate::db::now())?;
    let id = row.id.clone();
    rows::insert_many(conn, std::slice::from_ref(&row))?;
    Ok(id)
}

/// Writes many messages, a few hundred rows per INSERT, without holding them all in
/// memory; returns how many were written. Same transaction rule as [`enqueue`]; one invalid
/// message fails the whole call (and so the caller's transaction).
pub fn enqueue_many(
    conn: &mut AnyConn,
    msgs: impl IntoIterator<Item = NewMessage>,
) -> Result<usize, AppError> {
    const CHUNK: usize = 200;
    let now = crate::db::now();
    let mut chunk = Vec::with_capacity(CHUNK);
    let mut written = 0;
    for msg in msgs {
        chunk.push(msg.into_row(now)?);
        if chunk.len() == CHUNK {
            written += rows::insert_many(conn, &chunk)?;
            chunk.clear();
        }
    }
    if !chunk.is_empty() {
        written += rows::insert_many(conn, &chunk)?;
    }
    Ok(written)
}
