//! Template structs of `frontend/templates/` (askama, checked at compile time).

use actix_web::http::StatusCode;
use actix_web::HttpResponse;
use askama::Template;

/// What the layout needs on every page.
pub struct Chrome {
    pub csrf_token: String,
    pub user_name: Option<String>,
    pub org_name: Option<String>,
    pub role_label: Option<String>,
    pub nav_active: &'static str,
}

impl Chrome {
    pub fn anonymous(csrf_token: String) -> Self {
        Self {
            csrf_token,
            user_name: None,
            org_name: None,
            role_label: None,
            nav_active: "",
        }
    }

    pub fn signed_in(
        csrf_token: String,
        p: &crate::auth::Principal,
        nav_active: &'static str,
    ) -> Self {
        Self {
            csrf_token,
            user_name: Some(p.full_name.clone()),
            org_name: Some(p.organization_name.clone()),
            role_label: Some(p.role.label().to_string()),
            nav_active,
        }
    }
}

#[derive(Template)]
#[template(path = "pages/login.html")]
pub struct LoginPage {
    pub chrome: Chrome,
    pub email: String,
    pub error: Option<String>,
    pub next: String,
}

#[derive(Template)]
#[template(path = "pages/home.html")]
pub struct HomePage {
    pub chrome: Chrome,
    pub user_name: String,
    pub org_name: String,
    pub org_code: String,
    pub role_label: String,
    /// Systems in scope flagged "cần xác định lại cấp độ" (Đ18).
    pub flagged: i64,
    /// "Việc cần làm": deadlines in the next 30 days and overdue ones.
    pub tasks: super::home_tasks::Tasks,
}

#[derive(Template)]
#[template(path = "pages/error.html")]
pub struct ErrorPage {
    pub chrome: Chrome,
    pub status: u16,
    pub title: String,
    pub message: String,
}

/// Renders a page with `status`; a template failure becomes a plain 500.
pub fn render<T: Template>(status: StatusCode, page: &T) -> HttpResponse {
    match page.render() {
        Ok(html) => HttpResponse::build(status)
            .content_type("text/html; charset=utf-8")
            .body(html),
        Err(err) => {
            tracing::error!(error = %err, "template rendering failed");
            HttpResponse::InternalServerError()
                .content_type("text/plain; charset=utf-8")
                .body("Lỗi hiển thị trang")
        }
    }
}
