//! Version 1 of the JSON API, one module per resource.

pub mod alerts;
pub mod annual_report;
pub mod assessment_intervals;
pub mod assessments;
pub mod audit;
pub mod auth;
pub mod authorities;
pub mod classify;
pub mod compliance;
pub mod compliance_evidence;
pub mod compliance_reports;
pub mod deadlines;
pub mod dossier_documents;
pub mod dossiers;
pub mod organizations;
pub mod reports;
pub mod requirements;
pub mod system_documents;
pub mod system_register;
pub mod systems;
pub mod users;

use actix_web::web;
use serde::Deserialize;
use validator::Validate;

use super::method_not_allowed;
use crate::error::AppError;
use crate::repo::Page;

pub fn configure(cfg: &mut web::ServiceConfig) {
    let resource = |path: &str| web::resource(path).default_service(web::to(method_not_allowed));
    cfg.service(resource("/auth/login").post(auth::login))
        .service(resource("/auth/logout").post(auth::logout))
        .service(resource("/me").get(auth::me))
        .service(resource("/me/password").post(auth::change_password))
        .service(
            resource("/organizations")
                .get(organizations::list)
                .post(organizations::create),
        )
        .service(
            resource("/organizations/{id}")
                .get(organizations::get)
                .patch(organizations::update),
        )
        .service(
            resource("/organizations/{id}/authorities")
                .get(authorities::list)
                .post(authorities::create),
        )
        .service(resource("/users").get(users::list).post(users::create))
        .service(resource("/users/{id}").get(users::get).patch(users::update))
        .service(resource("/audit").get(audit::list))
        .service(resource("/classify").post(classify::classify))
        .service(resource("/classify/compare").post(classify::compare))
        .service(resource("/regimes").get(classify::regimes))
        .service(
            resource("/systems")
                .get(systems::list)
                .post(systems::create),
        )
        // Before `/systems/{id}`, which would take "export" and "import" for ids.
        .service(resource("/systems/export").get(system_register::export))
        .service(resource("/systems/import").post(system_register::import))
        .service(
            resource("/systems/{id}")
                .get(systems::get)
                .patch(systems::update)
                .delete(systems::delete),
        )
        .service(resource("/systems/{id}/history").get(systems::history))
        .service(resource("/systems/{id}/approval").post(systems::approve))
        .service(resource("/systems/{id}/regimes").get(reports::system_regimes))
        .service(resource("/systems/{id}/justification.docx").get(system_documents::justification))
        .service(resource("/systems/{id}/dossiers").post(dossiers::create))
        .service(resource("/requirements").get(requirements::list))
        .service(resource("/requirements/{baseline}").get(requirements::get))
        .service(
            resource("/systems/{id}/compliance")
                .get(compliance::get)
                .post(compliance::start),
        )
        .service(resource("/systems/{id}/compliance/reviews").get(compliance::reviews))
        .service(resource("/systems/{id}/compliance/plan").get(compliance::plan))
        .service(resource("/systems/{id}/compliance/items/{code}").patch(compliance::update_item))
        .service(
            resource("/systems/{id}/compliance/items/{code}/evidence")
                .post(compliance_evidence::add_evidence),
        )
        .service(
            resource("/systems/{id}/compliance/evidence/{evidence_id}")
                .get(compliance_evidence::download)
                .delete(compliance_evidence::delete_evidence),
        )
        .service(resource("/dossiers").get(dossiers::list))
        .service(resource("/dossiers/{id}").get(dossiers::get))
        .service(
            resource("/dossiers/{id}/components/{component}").patch(dossiers::update_component),
        )
        .service(resource("/dossiers/{id}/transitions").post(dossiers::transition))
        .service(resource("/deadlines").get(deadlines::deadlines))
        .service(resource("/compliance/summary").get(compliance_reports::summary))
        .service(resource("/compliance/gaps").get(compliance_reports::gaps))
        .service(resource("/compliance/gaps/export").get(compliance_reports::export))
        .service(resource("/assessments").get(assessments::list))
        .service(
            resource("/organizations/{id}/assessment-intervals")
                .get(assessment_intervals::get)
                .put(assessment_intervals::put),
        )
        .service(resource("/assessments/{id}/complete").post(assessments::complete))
        .service(
            resource("/dossiers/{id}/documents")
                .get(dossier_documents::list)
                .post(dossier_documents::upload),
        )
        .service(resource("/dossiers/{id}/documents/{file_id}").get(dossier_documents::download))
        .service(resource("/reports/regime-change").get(reports::regime_change))
        .service(resource("/reports/annual").get(annual_report::annual))
        .service(resource("/alerts").get(alerts::list).post(alerts::create))
        .service(
            resource("/alerts/{id}")
                .get(alerts::get)
                .put(alerts::update),
        )
        .service(resource("/alerts/{id}/send").post(alerts::send))
        .service(resource("/alerts/{id}/resend").post(alerts::resend))
        .service(resource("/alerts/{id}/deliveries").get(alerts::deliveries));
}

/// `page` (from 1) and `per_page` (1–200, default 50) of a list.
#[derive(Debug, Deserialize, Validate, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct PageQuery {
    #[validate(range(min = 1, message = "Số trang bắt đầu từ 1"))]
    pub page: Option<i64>,
    #[validate(range(min = 1, max = 200, message = "Mỗi trang có từ 1 đến 200 dòng"))]
    pub per_page: Option<i64>,
}

impl PageQuery {
    pub fn page(&self) -> Result<Page, AppError> {
        self.validate()?;
        Ok(Page {
            number: self.page.unwrap_or(1),
            size: self.per_page.unwrap_or(50),
        })
    }
}

/// Validates a request DTO (422 with per-field Vietnamese messages).
pub fn validated<T: Validate>(value: T) -> Result<T, AppError> {
    value.validate()?;
    Ok(value)
}
