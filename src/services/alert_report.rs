//! Who a warning reached and what they answered: the recipient table and the closing report
//! (XLSX and CSV), read in keyset batches so a large broadcast never sits in memory.

use chrono::NaiveDate;
use serde::Serialize;

use super::alerts::find_visible;
use super::{utc, Actor};
use crate::db::AnyConn;
use crate::domain::alert::{AckAnswer, Severity};
use crate::error::AppError;
use crate::repo::alerts::{self as repo, AlertRow, DeliveryWithStatus};
use crate::repo::Page;

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct DeliveryView {
    pub id: String,
    pub email: String,
    pub full_name: String,
    pub reasons: String,
    /// `queued`, `sending`, `sent` or `failed` (of the latest message).
    pub status: String,
    pub status_label: &'static str,
    /// The SMTP server's reply, or why sending failed.
    pub reply: Option<String>,
    pub sent_at: Option<chrono::DateTime<chrono::Utc>>,
    pub attempts: i32,
    pub send_count: i32,
    pub answer: Option<AckAnswer>,
    pub answer_label: Option<&'static str>,
    pub note: Option<String>,
    pub answered_at: Option<chrono::DateTime<chrono::Utc>>,
}

pub fn status_label(status: &str) -> &'static str {
    match status {
        "sent" => "Đã gửi",
        "failed" => "Gửi lỗi",
        "sending" => "Đang gửi",
        _ => "Chờ gửi",
    }
}

fn delivery_view(d: DeliveryWithStatus) -> DeliveryView {
    let status = d.status.unwrap_or_else(|| "queued".into());
    let answer = d.delivery.answer.as_deref().and_then(AckAnswer::parse);
    DeliveryView {
        id: d.delivery.id,
        email: d.delivery.email,
        full_name: d.delivery.full_name,
        reasons: d.delivery.reasons,
        status_label: status_label(&status),
        status,
        reply: d.reply,
        sent_at: d.sent_at.map(utc),
        attempts: d.attempts.unwrap_or(0),
        send_count: d.delivery.send_count,
        answer,
        answer_label: answer.map(AckAnswer::label),
        note: d.delivery.note,
        answered_at: d.delivery.answered_at.map(utc),
    }
}

pub fn deliveries(
    conn: &mut AnyConn,
    actor: &Actor,
    id: &str,
    unanswered_only: bool,
    page: Page,
) -> Result<(Vec<DeliveryView>, i64), AppError> {
    find_visible(conn, actor, id)?;
    let (rows, total) = repo::deliveries_with_status(conn, id, unanswered_only, page)?;
    Ok((rows.into_iter().map(delivery_view).collect(), total))
}

/// Every delivery, page by page, to `sink`.
fn each(
    conn: &mut AnyConn,
    id: &str,
    mut sink: impl FnMut(DeliveryView) -> Result<(), AppError>,
) -> Result<(), AppError> {
    let size = 1000;
    let mut number = 1;
    loop {
        let (rows, _) = repo::deliveries_with_status(conn, id, false, Page { number, size })?;
        let done = (rows.len() as i64) < size;
        for row in rows {
            sink(delivery_view(row))?;
        }
        if done {
            return Ok(());
        }
        number += 1;
    }
}

const HEADERS: [&str; 9] = [
    "Họ và tên",
    "Thư điện tử",
    "Lý do nhận",
    "Trạng thái gửi",
    "Phản hồi của máy chủ thư",
    "Số lần gửi",
    "Trả lời",
    "Ghi chú",
    "Thời điểm trả lời",
];

fn cells(d: &DeliveryView) -> [String; 9] {
    [
        d.full_name.clone(),
        d.email.clone(),
        d.reasons.clone(),
        d.status_label.to_string(),
        d.reply.clone().unwrap_or_default(),
        d.send_count.to_string(),
        d.answer_label.unwrap_or("Chưa trả lời").to_string(),
        d.note.clone().unwrap_or_default(),
        d.answered_at
            .map(|t| {
                (t + chrono::Duration::hours(7))
                    .format("%d/%m/%Y %H:%M")
                    .to_string()
            })
            .unwrap_or_default(),
    ]
}

fn csv_field(s: &str) -> String {
    // Cells starting like a formula are prefixed so spreadsheets do not evaluate them.
    let s = if s.starts_with(['=', '+', '-', '@']) {
        format!("'{s}")
    } else {
        s.to_string()
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

/// The closing report as CSV (UTF-8 with a BOM, so Excel shows Vietnamese correctly).
pub fn csv(conn: &mut AnyConn, actor: &Actor, id: &str) -> Result<String, AppError> {
    find_visible(conn, actor, id)?;
    let mut out = String::from("\u{feff}");
    out.push_str(&HEADERS.map(csv_field).join(","));
    out.push_str("\r\n");
    each(conn, id, |d| {
        out.push_str(&cells(&d).map(|c| csv_field(&c)).join(","));
        out.push_str("\r\n");
        Ok(())
    })?;
    Ok(out)
}

/// The closing report as XLSX: the recipients, then a summary sheet.
pub fn xlsx(
    conn: &mut AnyConn,
    actor: &Actor,
    id: &str,
    today: NaiveDate,
) -> Result<std::fs::File, AppError> {
    use crate::export::xlsx::{Cell, XlsxTable};
    let alert: AlertRow = find_visible(conn, actor, id)?;
    let widths = [28.0, 30.0, 40.0, 12.0, 40.0, 8.0, 16.0, 40.0, 18.0];
    let columns: Vec<(&str, f64)> = HEADERS.iter().copied().zip(widths).collect();
    let xlsx_error = |e: rust_xlsxwriter::XlsxError| AppError::internal(anyhow::anyhow!(e));
    let mut table = XlsxTable::new("Người nhận", &columns).map_err(xlsx_error)?;
    each(conn, id, |d| {
        let row = cells(&d);
        let cells: Vec<Cell<'_>> = row.iter().map(|c| Cell::Text(c)).collect();
        table.push(&cells).map_err(xlsx_error)
    })?;
    let p = super::alerts::progress(conn, &alert, today)?;
    let severity = Severity::parse(&alert.severity).map_or("", Severity::label);
    let summary = vec![
        ("Cảnh báo".to_string(), alert.title.clone()),
        ("Mức độ".to_string(), severity.to_string()),
        (
            "Nguồn".to_string(),
            format!(
                "{}{}",
                alert.source_authority,
                alert
                    .source_document
                    .as_deref()
                    .map(|d| format!(", {d}"))
                    .unwrap_or_default()
            ),
        ),
        (
            "Ngày gửi".to_string(),
            alert
                .sent_at
                .map(|t| {
                    (t + chrono::Duration::hours(7))
                        .format("%d/%m/%Y %H:%M")
                        .to_string()
                })
                .unwrap_or_default(),
        ),
        (
            "Hạn thực hiện".to_string(),
            alert
                .action_due_on
                .map(|d| d.format("%d/%m/%Y").to_string())
                .unwrap_or_default(),
        ),
        ("Số người nhận".to_string(), p.recipients.to_string()),
        (
            "Đã gửi".to_string(),
            format!("{} ({}%)", p.sent, p.sent_percent),
        ),
        ("Gửi lỗi".to_string(), p.failed.to_string()),
        (
            "Đã trả lời".to_string(),
            format!("{} ({}%)", p.acknowledged, p.acknowledged_percent),
        ),
        ("Đã nhận".to_string(), p.received.to_string()),
        ("Đã khắc phục".to_string(), p.fixed.to_string()),
        ("Không ảnh hưởng".to_string(), p.not_affected.to_string()),
        ("Quá hạn chưa trả lời".to_string(), p.overdue.to_string()),
    ];
    table
        .finish("Tổng hợp", &summary)
        .map_err(AppError::internal)
}
