//! The server-rendered Vietnamese web UI: pages, embedded assets, security headers.

pub mod ack;
pub mod alert_actions;
pub mod alert_edit;
pub mod alert_form;
pub mod alert_form_data;
pub mod alert_templates;
pub mod alerts;
pub mod annual_report;
pub mod assessments;
pub mod assets;
pub mod compliance_checklist;
pub mod compliance_checklist_forms;
pub mod compliance_checklist_model;
pub mod compliance_evidence;
pub mod compliance_overview;
pub mod dossier_actions;
pub mod dossier_files;
pub mod dossier_forms;
pub mod dossier_list;
pub mod dossier_page;
pub mod dossier_steps;
pub mod dossier_templates;
pub mod dossiers;
pub mod form_errors;
pub mod form_post;
pub mod home_tasks;
pub mod mail_settings;
pub mod pages;
pub mod regime_compare;
pub mod regime_report;
pub mod regime_templates;
pub mod regime_views;
pub mod security;
pub mod system_choices;
pub mod system_documents;
pub mod system_dossiers;
pub mod system_edit;
pub mod system_form;
pub mod system_form_data;
pub mod system_import;
pub mod system_input;
pub mod system_panel;
pub mod system_templates;
pub mod system_views;
pub mod systems;
pub mod templates;

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse, ResponseError};

use crate::error::AppError;
use templates::{render, Chrome, ErrorPage};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/")
            .get(pages::home)
            .route(web::head().to(pages::home)),
    )
    .service(
        web::resource("/login")
            .get(pages::login_form)
            .route(web::head().to(pages::login_form))
            .post(pages::login_submit),
    )
    .service(web::resource("/logout").post(pages::logout))
    .service(
        web::resource("/systems")
            .get(systems::list)
            .route(web::head().to(systems::list))
            .post(system_edit::create),
    )
    .service(web::resource("/systems/new").get(system_edit::new_form))
    // Before `/systems/{id}`, which would take these paths for ids.
    .service(web::resource("/systems/export.{format}").get(system_import::export))
    .service(
        web::resource("/systems/import")
            .get(system_import::page)
            .post(system_import::upload),
    )
    .service(web::resource("/systems/import/staged").post(system_import::staged))
    .service(web::resource("/systems/preview").post(system_edit::preview))
    .service(
        web::resource("/systems/{id}")
            .get(systems::detail)
            .post(system_edit::update),
    )
    .service(web::resource("/systems/{id}/edit").get(system_edit::edit_form))
    .service(web::resource("/systems/{id}/regimes").get(regime_compare::compare))
    .service(web::resource("/systems/{id}/justification.docx").get(system_documents::justification))
    .service(web::resource("/systems/{id}/dossiers").post(dossiers::create))
    .service(web::resource("/systems/{id}/compliance").get(compliance_checklist::page))
    .service(web::resource("/systems/{id}/compliance/start").post(compliance_checklist::start))
    .service(
        web::resource("/systems/{id}/compliance/items/{code}")
            .post(compliance_checklist::update_item),
    )
    .service(
        web::resource("/systems/{id}/compliance/items/{code}/evidence")
            .post(compliance_evidence::add_evidence),
    )
    .service(
        web::resource("/systems/{id}/compliance/evidence/{eid}").get(compliance_evidence::download),
    )
    .service(
        web::resource("/systems/{id}/compliance/evidence/{eid}/delete")
            .post(compliance_evidence::remove_evidence),
    )
    .service(web::resource("/compliance").get(compliance_overview::page))
    .service(web::resource("/compliance/gaps.xlsx").get(compliance_overview::xlsx))
    .service(
        web::resource("/dossiers")
            .get(dossier_list::list)
            .route(web::head().to(dossier_list::list)),
    )
    .service(web::resource("/dossiers/{id}").get(dossiers::detail))
    .service(
        web::resource("/dossiers/{id}/components/{component}")
            .post(dossier_actions::update_component),
    )
    .service(web::resource("/dossiers/{id}/transitions").post(dossier_actions::transition))
    .service(web::resource("/dossiers/{id}/files").post(dossier_files::upload))
    .service(web::resource("/dossiers/{id}/files/{file_id}").get(dossier_files::download))
    .service(
        web::resource("/reports/regime-change")
            .get(regime_report::page)
            .route(web::head().to(regime_report::page)),
    )
    .service(web::resource("/reports/regime-change.xlsx").get(regime_report::xlsx))
    .service(
        web::resource("/reports/annual")
            .get(annual_report::page)
            .route(web::head().to(annual_report::page)),
    )
    .service(web::resource("/reports/annual.xlsx").get(annual_report::xlsx))
    .service(web::resource("/reports/annual.docx").get(annual_report::docx))
    .service(
        web::resource("/alerts")
            .get(alerts::list)
            .route(web::head().to(alerts::list))
            .post(alert_edit::create),
    )
    .service(web::resource("/alerts/new").get(alert_edit::new_form))
    .service(web::resource("/alerts/preview").post(alert_edit::preview))
    .service(web::resource("/alerts/recipients").get(alert_edit::recipient_options))
    .service(
        web::resource("/alerts/{id}")
            .get(alerts::detail)
            .post(alert_edit::update),
    )
    .service(web::resource("/alerts/{id}/edit").get(alert_edit::edit_form))
    .service(
        web::resource("/alerts/{id}/send")
            .get(alert_actions::confirm)
            .post(alert_actions::send),
    )
    .service(web::resource("/alerts/{id}/resend").post(alert_actions::resend))
    .service(web::resource("/alerts/{id}/report.xlsx").get(alert_actions::report_xlsx))
    .service(web::resource("/alerts/{id}/report.csv").get(alert_actions::report_csv))
    // Public, no login: the token in the path is the capability (contract §3).
    .service(
        web::resource("/ack/{token}")
            .get(ack::open)
            .post(ack::submit),
    )
    .service(
        web::resource("/assessments")
            .get(assessments::list)
            .route(web::head().to(assessments::list)),
    )
    .service(web::resource("/assessments/{id}/complete").post(assessments::complete))
    .service(web::resource("/settings/mail").get(mail_settings::page))
    .service(web::resource("/settings/mail/test").post(mail_settings::send_test))
    .service(
        web::resource("/static/{path:.*}")
            .get(assets::serve)
            .route(web::head().to(assets::serve)),
    )
    .default_service(web::to(not_found));
}

/// Unknown pages; a signed-in user keeps the navigation and their name on the 404 page.
async fn not_found(
    req: actix_web::HttpRequest,
    user: Option<crate::auth::AuthUser>,
) -> HttpResponse {
    let err = AppError::NotFound("Không tìm thấy trang bạn yêu cầu".into());
    match user {
        Some(user) => {
            let csrf = crate::auth::csrf::cookie_token(&req).unwrap_or_default();
            let page = ErrorPage {
                chrome: Chrome::signed_in(csrf, &user.principal, ""),
                status: 404,
                title: "Không tìm thấy".into(),
                message: err.to_string(),
            };
            render(StatusCode::NOT_FOUND, &page)
        }
        None => WebError(err).error_response(),
    }
}

/// An `AppError` met while rendering a page: shown as an HTML page, not JSON.
#[derive(Debug)]
pub struct WebError(pub AppError);

impl std::fmt::Display for WebError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl From<AppError> for WebError {
    fn from(err: AppError) -> Self {
        Self(err)
    }
}

impl ResponseError for WebError {
    fn status_code(&self) -> StatusCode {
        self.0.status_code()
    }

    fn error_response(&self) -> HttpResponse {
        if let AppError::Internal(cause) = &self.0 {
            tracing::error!(error = ?cause, "internal error on a page");
        }
        let title = match self.0 {
            AppError::NotFound(_) => "Không tìm thấy",
            AppError::Forbidden(_) => "Không có quyền truy cập",
            AppError::Internal(_) => "Đã xảy ra lỗi",
            _ => "Không thực hiện được yêu cầu",
        };
        let page = ErrorPage {
            chrome: Chrome::anonymous(String::new()),
            status: self.status_code().as_u16(),
            title: title.to_string(),
            message: self.0.to_string(),
        };
        render(self.status_code(), &page)
    }
}
