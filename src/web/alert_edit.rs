//! Composing a warning and editing its draft: the form, its submission and the live audience
//! preview. Without JavaScript every step is a plain form post ("Xem trước người nhận" posts
//! to /alerts/preview and comes back here); htmx only refreshes the preview.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;

use super::alert_form::AlertForm;
use super::alert_form_data::{
    compute_preview, load_form, recipient_choices, roles, severities, summary, tlps,
};
use super::alert_templates::{
    AlertFormPage, AudiencePreviewPartial, PreviewView, RecipientOptionsPartial,
};

use super::alerts::{alert_error_page, can_send};
use super::form_errors::FormErrors;
use super::form_post::{self, Outcome, Posted};
use super::pages::{csrf_for, redirect};
use super::system_form_data::Mode;
use super::systems::{login_redirect, respond};
use super::templates::{render, Chrome};
use crate::auth::AuthUser;
use crate::error::AppError;
use crate::rules::today_in_vietnam;
use crate::services::alerts as service;
use crate::services::Actor;
use crate::startup::AppState;

/// Shows the form with what the user typed, the errors and the audience preview.
async fn render_form(
    req: &HttpRequest,
    state: &AppState,
    user: &AuthUser,
    mode: Mode,
    form: AlertForm,
    outcome: Outcome,
) -> HttpResponse {
    let actor = Actor::user(user);
    let loaded_form = form.clone();
    let data = match state
        .db
        .run(move |conn| load_form(conn, &actor, &loaded_form))
        .await
    {
        Ok(d) => d,
        Err(e) => return alert_error_page(req, state, user, e),
    };
    let (editing, action, heading, cancel_href) = match &mode {
        Mode::New => (
            false,
            "/alerts".to_string(),
            if form.corrects_id.is_empty() {
                "Soạn cảnh báo".to_string()
            } else {
                "Soạn cảnh báo đính chính".to_string()
            },
            "/alerts".to_string(),
        ),
        Mode::Edit(id) => (
            true,
            format!("/alerts/{id}"),
            "Sửa bản nháp cảnh báo".to_string(),
            format!("/alerts/{id}"),
        ),
    };
    let errors = FormErrors(outcome.errors);
    let (token, cookie) = csrf_for(req, state);
    let page = AlertFormPage {
        chrome: Chrome::signed_in(token, &user.principal, "alerts"),
        editing,
        action,
        heading,
        cancel_href,
        summary: summary(&errors),
        errors,
        alert: outcome.alert,
        orgs: data.orgs,
        recipients: data.recipients,
        sent_alerts: data.sent_alerts,
        severities: severities(),
        tlps: tlps(),
        roles: roles(),
        preview: data.preview,
        form: AlertForm {
            alert_id: mode.id().unwrap_or_default().to_string(),
            ..form
        },
    };
    respond(outcome.status, &page, cookie)
}

#[derive(Deserialize)]
pub struct NewQuery {
    /// The sent warning a correction refers to.
    corrects: Option<String>,
}

pub async fn new_form(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: Option<AuthUser>,
    query: web::Query<NewQuery>,
) -> HttpResponse {
    let Some(user) = user else {
        return login_redirect(&req);
    };
    if !can_send(user.role) {
        return alert_error_page(&req, &state, &user, AppError::forbidden());
    }
    let form = match query.into_inner().corrects.filter(|c| !c.is_empty()) {
        None => AlertForm::blank(&user.organization_id),
        Some(id) => {
            let actor = Actor::user(&user);
            match state
                .db
                .run(move |conn| service::get(conn, &actor, &id, today_in_vietnam()))
                .await
            {
                Ok(v) if v.status == "sent" => AlertForm::correcting(&v),
                Ok(_) => {
                    let err = AppError::Conflict(
                        "Chỉ đính chính được một cảnh báo đã gửi; bản nháp thì sửa trực tiếp"
                            .into(),
                    );
                    return alert_error_page(&req, &state, &user, err);
                }
                Err(e) => return alert_error_page(&req, &state, &user, e),
            }
        }
    };
    render_form(&req, &state, &user, Mode::New, form, Outcome::ok()).await
}

pub async fn edit_form(
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
    let lookup = id.clone();
    let view = match state
        .db
        .run(move |conn| service::get(conn, &actor, &lookup, today_in_vietnam()))
        .await
    {
        Ok(v) => v,
        Err(e) => return alert_error_page(&req, &state, &user, e),
    };
    if !can_send(user.role) {
        return alert_error_page(&req, &state, &user, AppError::forbidden());
    }
    if view.status != "draft" {
        let err = AppError::Conflict(
            "Cảnh báo đã gửi không sửa được; hãy tạo cảnh báo đính chính tham chiếu tới cảnh báo này".into(),
        );
        return alert_error_page(&req, &state, &user, err);
    }
    let form = AlertForm::from_view(&view);
    render_form(&req, &state, &user, Mode::Edit(id), form, Outcome::ok()).await
}

fn read_form(body: &web::Bytes) -> Option<AlertForm> {
    form_post::read(body, AlertForm::parse)
}

pub async fn create(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: Option<AuthUser>,
    body: web::Bytes,
) -> HttpResponse {
    let Some(user) = user else {
        return login_redirect(&req);
    };
    let Some(form) = read_form(&body) else {
        return alert_error_page(&req, &state, &user, AppError::PayloadTooLarge);
    };
    save(&req, &state, &user, Mode::New, form).await
}

pub async fn update(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: Option<AuthUser>,
    id: web::Path<String>,
    body: web::Bytes,
) -> HttpResponse {
    let Some(user) = user else {
        return login_redirect(&req);
    };
    let Some(form) = read_form(&body) else {
        return alert_error_page(&req, &state, &user, AppError::PayloadTooLarge);
    };
    save(&req, &state, &user, Mode::Edit(id.into_inner()), form).await
}

async fn save(
    req: &HttpRequest,
    state: &AppState,
    user: &AuthUser,
    mode: Mode,
    form: AlertForm,
) -> HttpResponse {
    let (mut input, parse_errors) = form.to_input();
    if input.organization_id.is_none() {
        input.organization_id = Some(user.organization_id.clone());
    }
    let actor = Actor::user(user);
    let target = mode.clone();
    let run = state.db.run(move |conn| match target {
        Mode::New => service::create_draft(conn, &actor, input),
        Mode::Edit(id) => service::update_draft(conn, &actor, &id, input),
    });
    let outcome = match form_post::submit(req, &form.csrf_token, parse_errors, run).await {
        Posted::Done(view) => return redirect(&format!("/alerts/{}?saved=1", view.id)),
        Posted::Again(outcome) => outcome,
        Posted::Failed(other) => return alert_error_page(req, state, user, other),
    };
    render_form(req, state, user, mode, form, outcome).await
}

/// `POST /alerts/preview`: the audience preview for htmx, or (without JavaScript) the whole
/// form again with the preview filled in.
pub async fn preview(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: Option<AuthUser>,
    body: web::Bytes,
) -> HttpResponse {
    let htmx = form_post::is_htmx(&req);
    let Some(user) = user else {
        return form_post::sign_in_first(&req);
    };
    let Some(form) = read_form(&body) else {
        return alert_error_page(&req, &state, &user, AppError::PayloadTooLarge);
    };
    if !form_post::csrf_header_or_field(&req, &form.csrf_token) {
        let err = AppError::Forbidden("Phiên biểu mẫu đã hết hạn; vui lòng tải lại trang".into());
        return alert_error_page(&req, &state, &user, err);
    }
    if !can_send(user.role) {
        return alert_error_page(&req, &state, &user, AppError::forbidden());
    }
    if !htmx {
        let mode = match form.alert_id.trim() {
            "" => Mode::New,
            id => Mode::Edit(id.to_string()),
        };
        let (_, errors) = form.to_input();
        let outcome = Outcome::errors(errors, StatusCode::OK);
        return render_form(&req, &state, &user, mode, form, outcome).await;
    }
    let actor = Actor::user(&user);
    let preview = state
        .db
        .run(move |conn| compute_preview(conn, &actor, &form))
        .await
        .unwrap_or_else(|e| {
            tracing::warn!(error = %e, "audience preview failed");
            PreviewView::problem(
                "Chưa xem trước được người nhận lúc này; vui lòng thử lại sau ít phút.",
            )
        });
    form_post::no_store(render(StatusCode::OK, &AudiencePreviewPartial { preview }))
}

/// `GET /alerts/recipients?user_q=…&audience_users=…`: the recipient picker's list for what is
/// typed in its search box, keeping the people already ticked (htmx swaps it in place).
pub async fn recipient_options(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: Option<AuthUser>,
) -> HttpResponse {
    let Some(user) = user else {
        return form_post::sign_in_first(&req);
    };
    if !can_send(user.role) {
        return alert_error_page(&req, &state, &user, AppError::forbidden());
    }
    let form = AlertForm::parse(req.query_string().as_bytes());
    let actor = Actor::user(&user);
    let choices = state
        .db
        .run(move |conn| recipient_choices(conn, &actor, &form.audience_users, &form.user_q))
        .await;
    match choices {
        Ok(recipients) => form_post::no_store(render(
            StatusCode::OK,
            &RecipientOptionsPartial { recipients },
        )),
        Err(e) => alert_error_page(&req, &state, &user, e),
    }
}
