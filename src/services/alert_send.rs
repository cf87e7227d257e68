//! Sending a warning (its audience frozen into deliveries, one outbox message each, in one
//! transaction), resending to those who have not answered, and the recipient's answer.

use chrono::{Duration, NaiveDate, Utc};
use serde::Serialize;

use super::alert_audience::{for_each_page, Recipient};
use super::alert_email::{html_body, subject, text_body};
use super::alerts::{find_visible, may_send, view, AlertView, Audience};
use super::audit::{self, Change};
use super::Actor;
use crate::auth::ack_token::{AckSigner, AckTokenError, VALID_DAYS};
use crate::db::{self, write_tx, AnyConn};
use crate::domain::alert::{AckAnswer, AffectedProduct};
use crate::error::AppError;
use crate::mail::outbox::{enqueue, NewMessage};
use crate::repo::alerts::{self as repo, AlertRow, DeliveryRow};
use crate::repo::organizations;

/// What a message needs beyond the warning: where links point and how they are signed.
pub struct Mailing<'a> {
    pub public_url: &'a url::Url,
    pub signer: &'a AckSigner,
}

impl Mailing<'_> {
    pub fn ack_url(&self, delivery_id: &str) -> String {
        let token = self
            .signer
            .issue(delivery_id, Utc::now() + Duration::days(VALID_DAYS));
        let base = self.public_url.as_str().trim_end_matches('/');
        format!("{base}/ack/{token}")
    }
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct AudiencePreview {
    pub count: usize,
    /// At most the first `PREVIEW_LISTED`, in email order.
    pub recipients: Vec<Recipient>,
}

/// How many recipients a preview lists (it counts them all).
pub const PREVIEW_LISTED: usize = 500;

fn audience_of(row: &AlertRow) -> (Audience, Vec<AffectedProduct>) {
    (
        serde_json::from_str(&row.audience_json).unwrap_or_default(),
        serde_json::from_str(&row.affected_products_json).unwrap_or_default(),
    )
}

/// The audience of a draft (or of any audience before it is saved).
pub fn preview(
    conn: &mut AnyConn,
    actor: &Actor,
    audience: &Audience,
    products: &[AffectedProduct],
) -> Result<AudiencePreview, AppError> {
    let mut recipients = Vec::new();
    let count = for_each_page(conn, actor, audience, products, |_, page| {
        let room = PREVIEW_LISTED.saturating_sub(recipients.len());
        recipients.extend(page.into_iter().take(room));
        Ok(())
    })?;
    Ok(AudiencePreview { count, recipients })
}

pub fn preview_alert(
    conn: &mut AnyConn,
    actor: &Actor,
    id: &str,
) -> Result<AudiencePreview, AppError> {
    let row = find_visible(conn, actor, id)?;
    let (audience, products) = audience_of(&row);
    preview(conn, actor, &audience, &products)
}

fn message(alert: &AlertRow, delivery: &DeliveryRow, mailing: &Mailing<'_>) -> NewMessage {
    let url = mailing.ack_url(&delivery.id);
    let mut msg = NewMessage::new(
        "alert",
        delivery.email.clone(),
        subject(alert),
        text_body(alert, &delivery.full_name, &url),
    );
    msg.ref_id = Some(delivery.id.clone());
    msg.to_name = Some(delivery.full_name.clone());
    msg.html_body = Some(html_body(alert, &delivery.full_name, &url));
    msg
}

/// Freezes the audience and queues one message per recipient, all in one transaction.
pub fn send(
    conn: &mut AnyConn,
    actor: &Actor,
    id: &str,
    mailing: &Mailing<'_>,
    today: NaiveDate,
) -> Result<AlertView, AppError> {
    let current = find_visible(conn, actor, id)?;
    if !may_send(actor) {
        return Err(AppError::forbidden());
    }
    let scope = organizations::find(conn, &current.organization_id)?
        .map(|o| o.path)
        .unwrap_or_default();
    write_tx(conn, |conn| {
        // Read again inside the transaction: two clicks on "Gửi" send once.
        let current = repo::find(conn, id)?.ok_or_else(AppError::not_found)?;
        if current.status != "draft" {
            return Err(AppError::Conflict("Cảnh báo này đã được gửi".into()));
        }
        let (audience, products) = audience_of(&current);
        let now = db::now();
        let mut row = current.clone();
        row.status = "sent".into();
        row.sent_at = Some(now);
        row.updated_at = now;
        repo::update(conn, &row)?;
        // Recipients are frozen into deliveries and queued a page at a time, so a warning to
        // the whole province holds one page in memory, not every message.
        let recipients = for_each_page(conn, actor, &audience, &products, |conn, page| {
            for r in page {
                let mut d = DeliveryRow {
                    id: db::new_id(),
                    alert_id: id.to_string(),
                    user_id: Some(r.user_id),
                    email: r.email,
                    full_name: r.full_name,
                    reasons: r.reasons.join("; "),
                    outbox_id: None,
                    send_count: 1,
                    answer: None,
                    note: None,
                    answered_at: None,
                    created_at: now,
                };
                d.outbox_id = Some(enqueue(conn, message(&row, &d, mailing))?);
                repo::insert_deliveries(conn, std::slice::from_ref(&d))?;
            }
            Ok(())
        })?;
        if recipients == 0 {
            return Err(AppError::field(
                "audience",
                "Không có người nhận nào: hãy chọn đơn vị, vai trò, người dùng hoặc hệ thống bị ảnh hưởng",
            ));
        }
        audit::record(
            conn,
            actor,
            Change {
                entity_type: "alert",
                entity_id: id,
                action: "send",
                before: None,
                after: Some(serde_json::json!({ "recipients": recipients })),
                scope_path: &scope,
            },
        )?;
        let progress = super::alerts::progress(conn, &row, today)?;
        view(conn, &row, Some(progress))
    })
}

/// Queues a new message to every recipient who has not answered; returns how many.
pub fn resend(
    conn: &mut AnyConn,
    actor: &Actor,
    id: &str,
    mailing: &Mailing<'_>,
) -> Result<usize, AppError> {
    let alert = find_visible(conn, actor, id)?;
    if !may_send(actor) {
        return Err(AppError::forbidden());
    }
    if alert.status != "sent" {
        return Err(AppError::Conflict("Cảnh báo chưa được gửi".into()));
    }
    let scope = organizations::find(conn, &alert.organization_id)?
        .map(|o| o.path)
        .unwrap_or_default();
    write_tx(conn, |conn| {
        let mut count = 0;
        let mut after: Option<String> = None;
        loop {
            let batch = repo::deliveries_after(conn, id, true, after.as_deref(), 500)?;
            let Some(last) = batch.last() else { break };
            after = Some(last.email.clone());
            for d in &batch {
                let outbox_id = enqueue(conn, message(&alert, d, mailing))?;
                repo::set_outbox(conn, &d.id, &outbox_id)?;
                count += 1;
            }
        }
        audit::record(
            conn,
            actor,
            Change {
                entity_type: "alert",
                entity_id: id,
                action: "resend",
                before: None,
                after: Some(serde_json::json!({ "recipients": count })),
                scope_path: &scope,
            },
        )?;
        Ok(count)
    })
}

/// What the public acknowledgement page shows.
#[derive(Clone, Debug, Serialize)]
pub struct AckPage {
    pub delivery_id: String,
    pub recipient: String,
    pub alert_title: String,
    pub severity_label: &'static str,
    pub required_action: String,
    pub action_due_on: Option<NaiveDate>,
    pub answer: Option<AckAnswer>,
    pub note: Option<String>,
    pub answered_at: Option<chrono::DateTime<Utc>>,
}

/// Why an acknowledgement cannot be shown or recorded (a clear page, never a 500).
#[derive(Debug)]
pub enum AckError {
    Token(AckTokenError),
    Gone,
    Invalid(String),
    Internal(AppError),
}

impl From<AppError> for AckError {
    fn from(e: AppError) -> Self {
        AckError::Internal(e)
    }
}

impl From<diesel::result::Error> for AckError {
    fn from(e: diesel::result::Error) -> Self {
        AckError::Internal(e.into())
    }
}

fn ack_page(conn: &mut AnyConn, delivery: DeliveryRow) -> Result<AckPage, AckError> {
    let alert = repo::find(conn, &delivery.alert_id)?.ok_or(AckError::Gone)?;
    let severity = crate::domain::alert::Severity::parse(&alert.severity)
        .unwrap_or(crate::domain::alert::Severity::Medium);
    Ok(AckPage {
        delivery_id: delivery.id,
        recipient: delivery.full_name,
        alert_title: alert.title,
        severity_label: severity.label(),
        required_action: alert.required_action,
        action_due_on: alert.action_due_on,
        answer: delivery.answer.as_deref().and_then(AckAnswer::parse),
        note: delivery.note,
        answered_at: delivery.answered_at.map(super::utc),
    })
}

pub fn open_ack(conn: &mut AnyConn, signer: &AckSigner, token: &str) -> Result<AckPage, AckError> {
    let id = signer.verify(token, Utc::now()).map_err(AckError::Token)?;
    let delivery = repo::find_delivery(conn, &id)?.ok_or(AckError::Gone)?;
    ack_page(conn, delivery)
}

/// Records (or changes) the recipient's answer.
pub fn answer(
    conn: &mut AnyConn,
    signer: &AckSigner,
    token: &str,
    answer: &str,
    note: Option<&str>,
) -> Result<AckPage, AckError> {
    let id = signer.verify(token, Utc::now()).map_err(AckError::Token)?;
    let answer = AckAnswer::parse(answer).ok_or_else(|| {
        AckError::Invalid("Vui lòng chọn Đã nhận, Đã khắc phục hoặc Không ảnh hưởng".into())
    })?;
    let note = note.map(str::trim).filter(|n| !n.is_empty());
    if note.is_some_and(|n| n.chars().count() > 2000) {
        return Err(AckError::Invalid("Ghi chú tối đa 2.000 ký tự".into()));
    }
    let page = write_tx(conn, |conn| -> Result<AckPage, AppError> {
        let delivery = repo::find_delivery(conn, &id)?.ok_or_else(AppError::not_found)?;
        repo::set_answer(conn, &id, answer.as_str(), note, db::now())?;
        let updated = repo::find_delivery(conn, &id)?.ok_or_else(AppError::not_found)?;
        let scope = repo::find(conn, &delivery.alert_id)?
            .and_then(|a| organizations::find(conn, &a.organization_id).ok().flatten())
            .map(|o| o.path)
            .unwrap_or_default();
        audit::record(
            conn,
            &Actor {
                user_id: delivery.user_id.clone(),
                label: delivery.email.clone(),
                role: crate::domain::Role::Viewer,
                scope_path: scope.clone(),
            },
            Change {
                entity_type: "alert_delivery",
                entity_id: &id,
                action: "acknowledge",
                before: None,
                after: Some(serde_json::json!({ "answer": answer.as_str(), "note": note })),
                scope_path: &scope,
            },
        )?;
        ack_page(conn, updated).map_err(|e| match e {
            AckError::Internal(e) => e,
            _ => AppError::not_found(),
        })
    });
    match page {
        Ok(p) => Ok(p),
        Err(AppError::NotFound(_)) => Err(AckError::Gone),
        Err(e) => Err(AckError::Internal(e)),
    }
}
