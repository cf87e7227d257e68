//! `/api/v1/alerts`: security warnings — drafts, audience preview, send, deliveries, resend,
//! and the closing report.

use actix_web::{web, HttpResponse};
use serde::{Deserialize, Serialize};
use validator::Validate;

use super::{validated, PageQuery};
use crate::auth::AuthUser;
use crate::error::{AppError, ErrorBody};
use crate::rules::today_in_vietnam;
use crate::services::alert_report::{self as report, DeliveryView};
use crate::services::alert_send::{self as sending, AudiencePreview, Mailing};
use crate::services::alerts::{self as service, AlertInput, AlertView};
use crate::services::Actor;
use crate::startup::AppState;

#[derive(Serialize, utoipa::ToSchema)]
pub struct AlertList {
    pub items: Vec<AlertView>,
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct DeliveryList {
    pub items: Vec<DeliveryView>,
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Resent {
    /// How many recipients without an answer were sent the warning again.
    pub recipients: usize,
}

#[derive(Deserialize, Validate, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct DeliveryQuery {
    #[validate(range(min = 1, message = "Số trang bắt đầu từ 1"))]
    pub page: Option<i64>,
    #[validate(range(min = 1, max = 500, message = "Mỗi trang có từ 1 đến 500 dòng"))]
    pub per_page: Option<i64>,
    /// Chỉ người chưa trả lời.
    pub unanswered: Option<bool>,
    /// `json` (mặc định), `xlsx` hoặc `csv`: báo cáo tổng kết của cảnh báo.
    pub format: Option<String>,
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SendRequest {
    /// Chỉ xem trước danh sách người nhận, không gửi.
    #[serde(default)]
    pub dry_run: bool,
}

fn mailing(state: &AppState) -> (url::Url, crate::auth::ack_token::AckSigner) {
    (state.config.public_url.clone(), state.ack.clone())
}

#[utoipa::path(get, path = "/api/v1/alerts", tag = "alerts", security(("bearer" = [])), params(PageQuery),
    responses((status = 200, body = AlertList), (status = 401, body = ErrorBody)))]
pub async fn list(
    state: web::Data<AppState>,
    user: AuthUser,
    query: web::Query<PageQuery>,
) -> Result<web::Json<AlertList>, AppError> {
    let page = query.page()?;
    let actor = Actor::user(&user);
    let (items, total) = state
        .db
        .run(move |conn| service::list(conn, &actor, page, today_in_vietnam()))
        .await?;
    Ok(web::Json(AlertList {
        items,
        total,
        page: page.number,
        per_page: page.size,
    }))
}

/// Create a draft warning.
#[utoipa::path(post, path = "/api/v1/alerts", tag = "alerts", security(("bearer" = [])), request_body = AlertInput,
    responses((status = 201, body = AlertView), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create(
    state: web::Data<AppState>,
    user: AuthUser,
    body: web::Json<AlertInput>,
) -> Result<HttpResponse, AppError> {
    let actor = Actor::user(&user);
    let mut input = body.into_inner();
    if input.organization_id.is_none() {
        input.organization_id = Some(user.organization_id.clone());
    }
    let view = state
        .db
        .run(move |conn| service::create_draft(conn, &actor, input))
        .await?;
    Ok(HttpResponse::Created().json(view))
}

#[utoipa::path(get, path = "/api/v1/alerts/{id}", tag = "alerts", security(("bearer" = [])),
    params(("id" = String, Path, description = "Mã cảnh báo")),
    responses((status = 200, body = AlertView), (status = 404, body = ErrorBody)))]
pub async fn get(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
) -> Result<web::Json<AlertView>, AppError> {
    let actor = Actor::user(&user);
    let id = id.into_inner();
    let view = state
        .db
        .run(move |conn| service::get(conn, &actor, &id, today_in_vietnam()))
        .await?;
    Ok(web::Json(view))
}

/// Replace a draft (a sent warning is immutable: 409).
#[utoipa::path(put, path = "/api/v1/alerts/{id}", tag = "alerts", security(("bearer" = [])), request_body = AlertInput,
    params(("id" = String, Path, description = "Mã cảnh báo")),
    responses((status = 200, body = AlertView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
    body: web::Json<AlertInput>,
) -> Result<web::Json<AlertView>, AppError> {
    let actor = Actor::user(&user);
    let id = id.into_inner();
    let mut input = body.into_inner();
    if input.organization_id.is_none() {
        input.organization_id = Some(user.organization_id.clone());
    }
    let view = state
        .db
        .run(move |conn| service::update_draft(conn, &actor, &id, input))
        .await?;
    Ok(web::Json(view))
}

/// Send a draft to its audience (`{"dry_run": true}` only previews the recipients).
#[utoipa::path(post, path = "/api/v1/alerts/{id}/send", tag = "alerts", security(("bearer" = [])), request_body = SendRequest,
    params(("id" = String, Path, description = "Mã cảnh báo")),
    responses((status = 200, body = AlertView, description = "Đã xếp hàng gửi; với dry_run là AudiencePreview"),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn send(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
    body: Option<web::Json<SendRequest>>,
) -> Result<HttpResponse, AppError> {
    let actor = Actor::user(&user);
    let id = id.into_inner();
    let dry_run = body.is_some_and(|b| b.dry_run);
    if dry_run {
        let preview: AudiencePreview = state
            .db
            .run(move |conn| sending::preview_alert(conn, &actor, &id))
            .await?;
        return Ok(HttpResponse::Ok().json(preview));
    }
    let (public_url, signer) = mailing(&state);
    let view = state
        .db
        .run(move |conn| {
            let mailing = Mailing {
                public_url: &public_url,
                signer: &signer,
            };
            sending::send(conn, &actor, &id, &mailing, today_in_vietnam())
        })
        .await?;
    state.mail.notify();
    Ok(HttpResponse::Ok().json(view))
}

/// Send again to every recipient who has not answered.
#[utoipa::path(post, path = "/api/v1/alerts/{id}/resend", tag = "alerts", security(("bearer" = [])),
    params(("id" = String, Path, description = "Mã cảnh báo")),
    responses((status = 200, body = Resent), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn resend(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
) -> Result<web::Json<Resent>, AppError> {
    let actor = Actor::user(&user);
    let id = id.into_inner();
    let (public_url, signer) = mailing(&state);
    let recipients = state
        .db
        .run(move |conn| {
            let mailing = Mailing {
                public_url: &public_url,
                signer: &signer,
            };
            sending::resend(conn, &actor, &id, &mailing)
        })
        .await?;
    state.mail.notify();
    Ok(web::Json(Resent { recipients }))
}

/// Per-recipient delivery and acknowledgement; `format=xlsx|csv` gives the closing report.
#[utoipa::path(get, path = "/api/v1/alerts/{id}/deliveries", tag = "alerts", security(("bearer" = [])),
    params(("id" = String, Path, description = "Mã cảnh báo"), DeliveryQuery),
    responses((status = 200, body = DeliveryList), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn deliveries(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
    query: web::Query<DeliveryQuery>,
) -> Result<HttpResponse, AppError> {
    let q = validated(query.into_inner())?;
    let actor = Actor::user(&user);
    let id = id.into_inner();
    match q.format.as_deref().unwrap_or("json") {
        "json" => {
            let page = PageQuery {
                page: q.page,
                per_page: q.per_page,
            }
            .page()?;
            let unanswered = q.unanswered.unwrap_or(false);
            let (items, total) = state
                .db
                .run(move |conn| report::deliveries(conn, &actor, &id, unanswered, page))
                .await?;
            Ok(HttpResponse::Ok().json(DeliveryList {
                items,
                total,
                page: page.number,
                per_page: page.size,
            }))
        }
        "csv" => {
            let text = state
                .db
                .run(move |conn| report::csv(conn, &actor, &id))
                .await?;
            Ok(HttpResponse::Ok()
                .content_type("text/csv; charset=utf-8")
                .insert_header((
                    "Content-Disposition",
                    "attachment; filename=\"bao-cao-canh-bao.csv\"",
                ))
                .body(text))
        }
        "xlsx" => {
            let file = state
                .db
                .run(move |conn| report::xlsx(conn, &actor, &id, today_in_vietnam()))
                .await?;
            Ok(crate::export::download::xlsx_response(
                file,
                "bao-cao-canh-bao.xlsx",
            ))
        }
        _ => Err(AppError::field(
            "format",
            "Định dạng là json, xlsx hoặc csv",
        )),
    }
}
