//! What a sender does with a warning: send a draft (after a confirmation naming the recipient
//! count), resend to those who have not answered, download the closing report.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;

use super::alert_templates::{AlertSendPage, PreviewView};
use super::alerts::{alert_error_page, can_send};
use super::pages::{csrf_for, redirect};
use super::systems::{login_redirect, respond};
use super::templates::Chrome;
use crate::auth::{csrf, AuthUser};
use crate::error::AppError;
use crate::export::download::xlsx_response;
use crate::rules::today_in_vietnam;
use crate::services::alert_report as report;
use crate::services::alert_send::{self as sending, Mailing};
use crate::services::alerts as service;
use crate::services::Actor;
use crate::startup::AppState;

const CSRF_MESSAGE: &str =
    "Phiên biểu mẫu đã hết hạn nên cảnh báo chưa được gửi; vui lòng tải lại trang rồi thử lại.";

#[derive(Deserialize)]
pub struct ActionForm {
    #[serde(default)]
    csrf_token: String,
}

/// The confirmation page: the recipient count and the first recipients, then "Xác nhận gửi".
async fn confirm_page(
    req: &HttpRequest,
    state: &AppState,
    user: &AuthUser,
    id: String,
    alert: Option<String>,
    status: StatusCode,
) -> HttpResponse {
    let actor = Actor::user(user);
    let lookup = id.clone();
    let loaded = state
        .db
        .run(move |conn| {
            let view = service::get(conn, &actor, &lookup, today_in_vietnam())?;
            let preview = if view.status == "draft" {
                Some(sending::preview_alert(conn, &actor, &lookup)?)
            } else {
                None
            };
            Ok((view, preview))
        })
        .await;
    let (view, preview) = match loaded {
        Ok((view, Some(preview))) => (view, preview),
        // Already sent: its page shows the deliveries.
        Ok((_, None)) => return redirect(&format!("/alerts/{id}")),
        Err(e) => return alert_error_page(req, state, user, e),
    };
    let (token, cookie) = csrf_for(req, state);
    let page = AlertSendPage {
        chrome: Chrome::signed_in(token, &user.principal, "alerts"),
        id,
        title: view.title,
        preview: PreviewView::from_preview(preview),
        alert,
    };
    respond(status, &page, cookie)
}

pub async fn confirm(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: Option<AuthUser>,
    id: web::Path<String>,
) -> HttpResponse {
    let Some(user) = user else {
        return login_redirect(&req);
    };
    if !can_send(user.role) {
        return alert_error_page(&req, &state, &user, AppError::forbidden());
    }
    confirm_page(&req, &state, &user, id.into_inner(), None, StatusCode::OK).await
}

fn mailing_parts(state: &AppState) -> (url::Url, crate::auth::ack_token::AckSigner) {
    (state.config.public_url.clone(), state.ack.clone())
}

pub async fn send(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: Option<AuthUser>,
    id: web::Path<String>,
    form: web::Form<ActionForm>,
) -> HttpResponse {
    let Some(user) = user else {
        return login_redirect(&req);
    };
    let id = id.into_inner();
    if !csrf::matches(&req, Some(&form.csrf_token)) {
        let message = Some(CSRF_MESSAGE.to_string());
        return confirm_page(&req, &state, &user, id, message, StatusCode::FORBIDDEN).await;
    }
    let actor = Actor::user(&user);
    let (public_url, signer) = mailing_parts(&state);
    let target = id.clone();
    let result = state
        .db
        .run(move |conn| {
            let mailing = Mailing {
                public_url: &public_url,
                signer: &signer,
            };
            sending::send(conn, &actor, &target, &mailing, today_in_vietnam())
        })
        .await;
    match result {
        Ok(_) => {
            state.mail.notify();
            redirect(&format!("/alerts/{id}?sent=1"))
        }
        Err(AppError::Validation { fields, message }) => {
            let text = fields.into_values().flatten().next().unwrap_or(message);
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            confirm_page(&req, &state, &user, id, Some(text), status).await
        }
        Err(e) => alert_error_page(&req, &state, &user, e),
    }
}

pub async fn resend(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: Option<AuthUser>,
    id: web::Path<String>,
    form: web::Form<ActionForm>,
) -> HttpResponse {
    let Some(user) = user else {
        return login_redirect(&req);
    };
    if !csrf::matches(&req, Some(&form.csrf_token)) {
        let err = AppError::Forbidden(
            "Phiên biểu mẫu đã hết hạn nên chưa gửi lại; vui lòng tải lại trang rồi thử lại."
                .into(),
        );
        return alert_error_page(&req, &state, &user, err);
    }
    let actor = Actor::user(&user);
    let id = id.into_inner();
    let (public_url, signer) = mailing_parts(&state);
    let target = id.clone();
    let result = state
        .db
        .run(move |conn| {
            let mailing = Mailing {
                public_url: &public_url,
                signer: &signer,
            };
            sending::resend(conn, &actor, &target, &mailing)
        })
        .await;
    match result {
        Ok(n) => {
            state.mail.notify();
            redirect(&format!("/alerts/{id}?resent={n}"))
        }
        Err(e) => alert_error_page(&req, &state, &user, e),
    }
}

/// `GET /alerts/{id}/report.xlsx`: who answered what and when, who did not.
pub async fn report_xlsx(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: Option<AuthUser>,
    id: web::Path<String>,
) -> HttpResponse {
    let Some(user) = user else {
        return login_redirect(&req);
    };
    let actor = Actor::user(&user);
    let id = id.into_inner();
    match state
        .db
        .run(move |conn| report::xlsx(conn, &actor, &id, today_in_vietnam()))
        .await
    {
        Ok(file) => xlsx_response(file, "bao-cao-canh-bao.xlsx"),
        Err(e) => alert_error_page(&req, &state, &user, e),
    }
}

/// `GET /alerts/{id}/report.csv`: the same report as CSV (UTF-8 with a BOM).
pub async fn report_csv(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: Option<AuthUser>,
    id: web::Path<String>,
) -> HttpResponse {
    let Some(user) = user else {
        return login_redirect(&req);
    };
    let actor = Actor::user(&user);
    let id = id.into_inner();
    match state
        .db
        .run(move |conn| report::csv(conn, &actor, &id))
        .await
    {
        Ok(text) => HttpResponse::Ok()
            .content_type("text/csv; charset=utf-8")
            .insert_header((
                "Content-Disposition",
                "attachment; filename=\"bao-cao-canh-bao.csv\"",
            ))
            .body(text),
        Err(e) => alert_error_page(&req, &state, &user, e),
    }
}
