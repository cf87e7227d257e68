//! The login, logout and home pages.

use actix_web::cookie::Cookie;
use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;

use super::templates::{render, Chrome, HomePage, LoginPage};
use super::WebError;
use crate::auth::session::{session_cookie, session_removal_cookie, sign_in};
use crate::auth::{csrf, AuthUser};
use crate::error::AppError;
use crate::services;
use crate::startup::AppState;

/// This browser's CSRF token, and the cookie to set when it is new.
pub(super) fn csrf_for(req: &HttpRequest, state: &AppState) -> (String, Option<Cookie<'static>>) {
    match csrf::cookie_token(req) {
        Some(token) => (token, None),
        None => {
            let token = csrf::new_token();
            let cookie = csrf::cookie(&token, state.secure_cookies);
            (token, Some(cookie))
        }
    }
}

/// Only local paths are followed after login, so the form cannot redirect elsewhere.
fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.contains('\\') => n.to_string(),
        _ => "/".to_string(),
    }
}

pub(super) fn redirect(to: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, to))
        .finish()
}

fn login_page(
    req: &HttpRequest,
    state: &AppState,
    status: StatusCode,
    email: String,
    error: Option<String>,
    next: String,
) -> HttpResponse {
    let (token, new_cookie) = csrf_for(req, state);
    let page = LoginPage {
        chrome: Chrome::anonymous(token),
        email,
        error,
        next,
    };
    let mut res = render(status, &page);
    if let Some(cookie) = new_cookie {
        let _ = res.add_cookie(&cookie);
    }
    res
}

#[derive(Deserialize)]
pub struct LoginQuery {
    next: Option<String>,
}

pub async fn login_form(
    req: HttpRequest,
    state: web::Data<AppState>,
    query: web::Query<LoginQuery>,
) -> HttpResponse {
    let next = safe_next(query.next.as_deref());
    login_page(&req, &state, StatusCode::OK, String::new(), None, next)
}

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    next: String,
}

pub async fn login_submit(
    req: HttpRequest,
    state: web::Data<AppState>,
    form: web::Form<LoginForm>,
) -> HttpResponse {
    let form = form.into_inner();
    let next = safe_next(Some(&form.next));
    // A failed attempt shows the form again with what was typed (never the password).
    let again = |status: StatusCode, message: String| {
        login_page(
            &req,
            &state,
            status,
            form.email.clone(),
            Some(message),
            next.clone(),
        )
    };
    if !csrf::matches(&req, Some(&form.csrf_token)) {
        return again(
            StatusCode::FORBIDDEN,
            "Phiên biểu mẫu đã hết hạn; vui lòng đăng nhập lại".into(),
        );
    }
    if form.email.trim().is_empty() || form.password.is_empty() {
        return again(
            StatusCode::UNPROCESSABLE_ENTITY,
            "Vui lòng nhập địa chỉ thư điện tử và mật khẩu".into(),
        );
    }
    match sign_in(&state, &req, &form.email, &form.password).await {
        Ok((_, token, _)) => {
            let session = session_cookie(token, state.secure_cookies);
            let mut res = redirect(&next);
            let _ = res.add_cookie(&session);
            res
        }
        Err(err @ (AppError::Unauthorized(_) | AppError::RateLimited { .. })) => {
            use actix_web::ResponseError;
            again(err.status_code(), err.to_string())
        }
        Err(other) => actix_web::ResponseError::error_response(&WebError(other)),
    }
}

pub async fn home(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: Option<AuthUser>,
) -> HttpResponse {
    let Some(user) = user else {
        return redirect("/login");
    };
    let scope = user.principal.scope_path.clone();
    let actor = services::Actor::user(&user);
    let registry = state.rules.clone();
    let (flagged, tasks) = match state
        .db
        .run(move |conn| {
            let flagged = crate::repo::systems::count_flagged_in_scope(conn, &scope)
                .map_err(AppError::from)?;
            let today = crate::rules::today_in_vietnam();
            let tasks = super::home_tasks::load(conn, &registry, &actor, today)?;
            Ok((flagged, tasks))
        })
        .await
    {
        Ok(found) => found,
        Err(err) => return actix_web::ResponseError::error_response(&WebError(err)),
    };
    let (token, new_cookie) = csrf_for(&req, &state);
    let p = &user.principal;
    let page = HomePage {
        chrome: Chrome::signed_in(token, p, "home"),
        user_name: p.full_name.clone(),
        org_name: p.organization_name.clone(),
        org_code: p.organization_code.clone(),
        role_label: p.role.label().to_string(),
        flagged,
        tasks,
    };
    let mut res = render(StatusCode::OK, &page);
    if let Some(cookie) = new_cookie {
        let _ = res.add_cookie(&cookie);
    }
    res
}

#[derive(Deserialize)]
pub struct LogoutForm {
    #[serde(default)]
    csrf_token: String,
}

pub async fn logout(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: Option<AuthUser>,
    form: web::Form<LogoutForm>,
) -> Result<HttpResponse, WebError> {
    if !csrf::matches(&req, Some(&form.csrf_token)) {
        return Err(WebError(AppError::Forbidden(
            "Phiên biểu mẫu đã hết hạn; vui lòng tải lại trang rồi thử lại".into(),
        )));
    }
    if let Some(user) = user {
        let principal = user.principal.clone();
        state
            .db
            .run(move |conn| services::auth::logout(conn, &principal))
            .await?;
        state.principals.invalidate(&user.id);
    }
    let mut res = redirect("/login");
    let _ = res.add_cookie(&session_removal_cookie());
    Ok(res)
}
