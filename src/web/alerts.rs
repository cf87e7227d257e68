//! Security warnings (cảnh báo): the list and the detail page with progress and the recipient
//! table. Composing is in `alert_edit`, sending and downloads in `alert_actions`.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;

use super::alert_templates::{
    percent, severity_class, AlertDetailPage, AlertLine, AlertListPage, DeliveryLine, PreviewView,
    ProgressView,
};
use super::pages::csrf_for;
use super::system_views::{date_vn, time_vn};
use super::systems::{login_redirect, respond};
use super::templates::{Chrome, ErrorPage};
use crate::auth::AuthUser;
use crate::db::AnyConn;
use crate::domain::Role;
use crate::error::AppError;
use crate::repo::Page;
use crate::rules::today_in_vietnam;
use crate::services::alert_report::{self as report, DeliveryView};
use crate::services::alerts::{self as service, AlertView};
use crate::services::{self, alert_send, Actor};
use crate::startup::AppState;

const PAGE_SIZE: i64 = 25;
const DELIVERY_PAGE_SIZE: i64 = 50;

/// Who may compose and send warnings (the service decides; this only hides the buttons).
pub(super) fn can_send(role: Role) -> bool {
    matches!(role, Role::Admin | Role::SecurityOfficer)
}

/// An error as a page that keeps the navigation, with "Cảnh báo" marked.
pub(super) fn alert_error_page(
    req: &HttpRequest,
    state: &AppState,
    user: &AuthUser,
    err: AppError,
) -> HttpResponse {
    use actix_web::ResponseError;
    if let AppError::Internal(cause) = &err {
        tracing::error!(error = ?cause, "internal error on a page");
    }
    let status = err.status_code();
    let title = match err {
        AppError::NotFound(_) => "Không tìm thấy",
        AppError::Forbidden(_) => "Không có quyền truy cập",
        AppError::Internal(_) => "Đã xảy ra lỗi",
        _ => "Không thực hiện được yêu cầu",
    };
    let (token, cookie) = csrf_for(req, state);
    let page = ErrorPage {
        chrome: Chrome::signed_in(token, &user.principal, "alerts"),
        status: status.as_u16(),
        title: title.into(),
        message: err.to_string(),
    };
    respond(status, &page, cookie)
}

fn page_number(raw: &Option<String>) -> i64 {
    raw.as_deref()
        .and_then(|p| p.trim().parse::<i64>().ok())
        .unwrap_or(1)
        .clamp(1, 100_000)
}

#[derive(Deserialize)]
pub struct ListQuery {
    page: Option<String>,
}

fn line(v: AlertView) -> AlertLine {
    let p = v.progress.clone().unwrap_or_default();
    AlertLine {
        severity: v.severity.label(),
        severity_class: severity_class(v.severity),
        source: match &v.source_document {
            Some(doc) => format!("{}, {doc}", v.source_authority),
            None => v.source_authority.clone(),
        },
        draft: v.status == "draft",
        sent_at: v.sent_at.map(time_vn).unwrap_or_default(),
        recipients: p.recipients,
        sent_percent: percent(p.sent_percent),
        ack_percent: percent(p.acknowledged_percent),
        overdue: p.overdue,
        id: v.id,
        title: v.title,
    }
}

pub async fn list(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: Option<AuthUser>,
    query: web::Query<ListQuery>,
) -> HttpResponse {
    let Some(user) = user else {
        return login_redirect(&req);
    };
    let number = page_number(&query.page);
    let page = Page {
        number,
        size: PAGE_SIZE,
    };
    let actor = Actor::user(&user);
    let (items, total) = match state
        .db
        .run(move |conn| service::list(conn, &actor, page, today_in_vietnam()))
        .await
    {
        Ok(found) => found,
        Err(e) => return alert_error_page(&req, &state, &user, e),
    };
    let pages = ((total + PAGE_SIZE - 1) / PAGE_SIZE).max(1);
    let (token, cookie) = csrf_for(&req, &state);
    let page = AlertListPage {
        chrome: Chrome::signed_in(token, &user.principal, "alerts"),
        rows: items.into_iter().map(line).collect(),
        total,
        page: number,
        pages,
        prev_href: (number > 1).then(|| format!("/alerts?page={}", (number - 1).min(pages))),
        next_href: (number < pages).then(|| format!("/alerts?page={}", number + 1)),
        can_send: can_send(user.role),
        is_admin: user.role == Role::Admin,
    };
    respond(StatusCode::OK, &page, cookie)
}

#[derive(Deserialize)]
pub struct DetailQuery {
    page: Option<String>,
    unanswered: Option<String>,
    saved: Option<String>,
    sent: Option<String>,
    resent: Option<String>,
}

fn status_class(status: &str) -> &'static str {
    match status {
        "sent" => "badge-success",
        "failed" => "badge-danger",
        "sending" => "badge-info",
        _ => "badge-neutral",
    }
}

fn delivery_line(d: DeliveryView) -> DeliveryLine {
    DeliveryLine {
        status_class: status_class(&d.status),
        status_label: d.status_label,
        reply: d.reply.unwrap_or_default(),
        sent_at: d.sent_at.map(time_vn).unwrap_or_default(),
        send_count: d.send_count,
        answer_label: d.answer_label,
        note: d.note.unwrap_or_default(),
        answered_at: d.answered_at.map(time_vn).unwrap_or_default(),
        name: d.full_name,
        email: d.email,
        reasons: d.reasons,
    }
}

/// Everything the detail page reads, in one trip to the database.
struct DetailData {
    view: AlertView,
    corrects_title: Option<String>,
    audience: Vec<String>,
    preview: Option<PreviewView>,
    deliveries: Vec<DeliveryView>,
    delivery_total: i64,
}

/// The audience in words: "Đơn vị: …", "Vai trò: …", "3 người được chọn trực tiếp", …
fn audience_lines(
    conn: &mut AnyConn,
    actor: &Actor,
    v: &AlertView,
) -> Result<Vec<String>, AppError> {
    let mut out = Vec::new();
    let a = &v.audience;
    if !a.organization_ids.is_empty() {
        let orgs = services::organizations::list(conn, actor, Default::default())?;
        let names: Vec<String> = a
            .organization_ids
            .iter()
            .map(|id| {
                orgs.iter()
                    .find(|o| &o.id == id)
                    .map(|o| o.name.clone())
                    .unwrap_or_else(|| "đơn vị ngoài phạm vi của bạn".into())
            })
            .collect();
        out.push(format!(
            "Đơn vị (cả các đơn vị trực thuộc): {}",
            names.join(", ")
        ));
    }
    if !a.roles.is_empty() {
        let roles: Vec<&str> = a.roles.iter().map(|r| r.label()).collect();
        out.push(format!("Vai trò: {}", roles.join(", ")));
    }
    if !a.user_ids.is_empty() {
        out.push(format!("{} người được chọn trực tiếp", a.user_ids.len()));
    }
    if a.systems_with_affected_products {
        out.push(
            "Người phụ trách và đơn vị vận hành của hệ thống dùng sản phẩm bị ảnh hưởng".into(),
        );
    }
    Ok(out)
}

fn load_detail(
    conn: &mut AnyConn,
    actor: &Actor,
    id: &str,
    unanswered: bool,
    page: Page,
) -> Result<DetailData, AppError> {
    let view = service::get(conn, actor, id, today_in_vietnam())?;
    let corrects_title = match &view.corrects_id {
        Some(cid) => Some(match service::find_visible(conn, actor, cid) {
            Ok(row) => row.title,
            Err(AppError::NotFound(_)) => "Cảnh báo ngoài phạm vi của bạn".into(),
            Err(e) => return Err(e),
        }),
        None => None,
    };
    let audience = audience_lines(conn, actor, &view)?;
    let (preview, deliveries, delivery_total) = if view.status == "draft" {
        let preview = if view.audience.is_empty() {
            PreviewView::default()
        } else {
            PreviewView::from_preview(alert_send::preview_alert(conn, actor, id)?)
        };
        (Some(preview), Vec::new(), 0)
    } else {
        let (rows, total) = report::deliveries(conn, actor, id, unanswered, page)?;
        (None, rows, total)
    };
    Ok(DetailData {
        view,
        corrects_title,
        audience,
        preview,
        deliveries,
        delivery_total,
    })
}

fn detail_href(id: &str, unanswered: bool, page: i64) -> String {
    let filter = if unanswered { "&unanswered=1" } else { "" };
    format!("/alerts/{id}?page={page}{filter}#recipients")
}

pub async fn detail(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: Option<AuthUser>,
    id: web::Path<String>,
    query: web::Query<DetailQuery>,
) -> HttpResponse {
    let Some(user) = user else {
        return login_redirect(&req);
    };
    let q = query.into_inner();
    let number = page_number(&q.page);
    let unanswered = q.unanswered.as_deref() == Some("1");
    let actor = Actor::user(&user);
    let id = id.into_inner();
    let lookup = id.clone();
    let page = Page {
        number,
        size: DELIVERY_PAGE_SIZE,
    };
    let d = match state
        .db
        .run(move |conn| load_detail(conn, &actor, &lookup, unanswered, page))
        .await
    {
        Ok(d) => d,
        Err(e) => return alert_error_page(&req, &state, &user, e),
    };
    let v = d.view;
    let draft = v.status == "draft";
    let notice = if q.saved.is_some() {
        Some("Đã lưu bản nháp cảnh báo.".to_string())
    } else if q.sent.is_some() {
        let n = v.progress.as_ref().map_or(0, |p| p.recipients);
        Some(format!(
            "Đã xếp hàng gửi cảnh báo tới {n} người nhận. Tình trạng gửi được cập nhật dưới đây."
        ))
    } else {
        q.resent
            .as_deref()
            .and_then(|n| n.parse::<usize>().ok())
            .map(|n| format!("Đã gửi lại cảnh báo cho {n} người chưa trả lời."))
    };
    let pages = ((d.delivery_total + DELIVERY_PAGE_SIZE - 1) / DELIVERY_PAGE_SIZE).max(1);
    let (token, cookie) = csrf_for(&req, &state);
    let page = AlertDetailPage {
        chrome: Chrome::signed_in(token, &user.principal, "alerts"),
        severity_class: severity_class(v.severity),
        tlp: v.tlp.map(|t| t.label().to_string()).unwrap_or_default(),
        due: v.action_due_on.map(date_vn).unwrap_or_default(),
        created: time_vn(v.created_at),
        sent_at: v.sent_at.map(time_vn).unwrap_or_default(),
        corrects_title: d.corrects_title,
        audience: d.audience,
        draft,
        can_send: can_send(user.role),
        notice,
        progress: v.progress.clone().map(ProgressView::new),
        preview: d.preview,
        deliveries: d.deliveries.into_iter().map(delivery_line).collect(),
        delivery_total: d.delivery_total,
        unanswered_only: unanswered,
        page: number,
        pages,
        prev_href: (number > 1).then(|| detail_href(&id, unanswered, (number - 1).min(pages))),
        next_href: (number < pages).then(|| detail_href(&id, unanswered, number + 1)),
        v,
    };
    respond(StatusCode::OK, &page, cookie)
}
