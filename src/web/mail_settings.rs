//! `GET /settings/mail`: the configured mail transport (never its password) and the
//! "Gửi thư thử" form, which sends one message now and shows the server's reply or the exact
//! failure. Administrators only.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use serde::Deserialize;

use super::alerts::alert_error_page;
use super::pages::csrf_for;
use super::systems::{login_redirect, respond};
use super::templates::Chrome;
use crate::auth::{csrf, AuthUser};
use crate::config::{Config, MailTransport};
use crate::domain::Role;
use crate::error::AppError;
use crate::mail::endpoint::SmtpEndpoint;
use crate::startup::AppState;

/// One line of the settings table.
pub struct SettingRow {
    pub label: &'static str,
    pub value: String,
}

/// The outcome of a test message.
pub struct TestOutcome {
    pub ok: bool,
    pub text: String,
}

#[derive(Template)]
#[template(path = "pages/mail_settings.html")]
pub struct MailSettingsPage {
    pub chrome: Chrome,
    pub rows: Vec<SettingRow>,
    pub to: String,
    pub to_error: Option<String>,
    pub outcome: Option<TestOutcome>,
    pub alert: Option<String>,
}

fn row(label: &'static str, value: impl Into<String>) -> SettingRow {
    SettingRow {
        label,
        value: value.into(),
    }
}

/// What is configured, in words; the password of `mail.smtp_url` is never shown.
fn settings_rows(config: &Config) -> Vec<SettingRow> {
    let mail = &config.mail;
    let mut rows = Vec::new();
    match mail.transport {
        MailTransport::Smtp => {
            rows.push(row("Cách gửi (mail.transport)", "smtp — qua máy chủ thư"));
            match mail
                .smtp_url
                .as_ref()
                .map(|u| SmtpEndpoint::parse(u.expose()))
            {
                Some(Ok(e)) => {
                    rows.push(row("Máy chủ thư", e.label()));
                    rows.push(row("Bảo mật kết nối", e.security.label()));
                    rows.push(row(
                        "Xác thực",
                        match &e.username {
                            Some(user) => format!("có, tài khoản {user} (mật khẩu không hiển thị)"),
                            None => "không (máy chủ chuyển tiếp không cần đăng nhập)".into(),
                        },
                    ));
                }
                Some(Err(message)) => {
                    rows.push(row("Máy chủ thư", format!("không đọc được: {message}")))
                }
                None => rows.push(row("Máy chủ thư", "chưa cấu hình mail.smtp_url")),
            }
            rows.push(row(
                "Chứng chỉ gốc bổ sung (mail.ca_file)",
                mail.ca_file
                    .as_ref()
                    .map(|p| p.display().to_string())
                    .unwrap_or_else(|| "không (chỉ kho chứng chỉ của hệ thống)".into()),
            ));
            rows.push(row(
                "Tên HELO (mail.helo_name)",
                mail.helo_name
                    .clone()
                    .unwrap_or_else(|| "tên máy chủ này".into()),
            ));
        }
        MailTransport::File => {
            rows.push(row(
                "Cách gửi (mail.transport)",
                "file — ghi mỗi thư thành một tệp .eml",
            ));
            rows.push(row(
                "Thư mục",
                config.data_dir.join("mail").display().to_string(),
            ));
        }
        MailTransport::None => {
            rows.push(row("Cách gửi (mail.transport)", "none — không gửi thư"));
        }
    }
    rows.push(row("Địa chỉ gửi (mail.from)", mail.from.clone()));
    rows.push(row("Số kết nối đồng thời", mail.pool_size.to_string()));
    rows.push(row(
        "Giới hạn mỗi phút",
        match mail.rate_per_minute {
            0 => "không giới hạn".to_string(),
            n => format!("{n} thư"),
        },
    ));
    rows.push(row(
        "Số lần thử tối đa khi lỗi tạm thời",
        mail.max_attempts.to_string(),
    ));
    rows.push(row(
        "Gốc đường dẫn trong thư (public_url)",
        config.public_url.to_string(),
    ));
    rows
}

fn show(
    req: &HttpRequest,
    state: &AppState,
    user: &AuthUser,
    status: StatusCode,
    form: (String, Option<String>, Option<TestOutcome>, Option<String>),
) -> HttpResponse {
    let (to, to_error, outcome, alert) = form;
    let (token, cookie) = csrf_for(req, state);
    let page = MailSettingsPage {
        chrome: Chrome::signed_in(token, &user.principal, "mail"),
        rows: settings_rows(&state.config),
        to,
        to_error,
        outcome,
        alert,
    };
    respond(status, &page, cookie)
}

pub async fn page(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: Option<AuthUser>,
) -> HttpResponse {
    let Some(user) = user else {
        return login_redirect(&req);
    };
    if user.role != Role::Admin {
        return alert_error_page(&req, &state, &user, AppError::forbidden());
    }
    let to = user.email.clone();
    show(&req, &state, &user, StatusCode::OK, (to, None, None, None))
}

#[derive(Deserialize)]
pub struct TestForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    to: String,
}

pub async fn send_test(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: Option<AuthUser>,
    form: web::Form<TestForm>,
) -> HttpResponse {
    let Some(user) = user else {
        return login_redirect(&req);
    };
    if user.role != Role::Admin {
        return alert_error_page(&req, &state, &user, AppError::forbidden());
    }
    let TestForm { csrf_token, to } = form.into_inner();
    let to = to.trim().to_string();
    if !csrf::matches(&req, Some(&csrf_token)) {
        let alert = Some(
            "Phiên biểu mẫu đã hết hạn nên thư thử chưa được gửi; vui lòng bấm gửi lại.".into(),
        );
        return show(
            &req,
            &state,
            &user,
            StatusCode::FORBIDDEN,
            (to, None, None, alert),
        );
    }
    if to.is_empty() {
        let error = Some("Vui lòng nhập địa chỉ thư điện tử nhận thư thử".into());
        let status = StatusCode::UNPROCESSABLE_ENTITY;
        return show(&req, &state, &user, status, (to, error, None, None));
    }
    tracing::info!(to = %to, by = %user.email, "test mail from the settings page");
    let outcome = match crate::mail::send_test(&state.config, &to).await {
        Ok(reply) => TestOutcome {
            ok: true,
            text: reply,
        },
        Err(reason) => TestOutcome {
            ok: false,
            text: reason,
        },
    };
    show(
        &req,
        &state,
        &user,
        StatusCode::OK,
        (to, None, Some(outcome), None),
    )
}
