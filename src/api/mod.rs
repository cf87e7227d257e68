//! The JSON API under `/api`, its OpenAPI document and the operations endpoints.

pub mod openapi;
pub mod ops;
pub mod v1;

use actix_web::web;
use utoipa::OpenApi;
use utoipa_swagger_ui::SwaggerUi;

use crate::error::AppError;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/healthz")
            .get(ops::healthz)
            .route(web::head().to(ops::healthz)),
    )
    .service(
        web::resource("/readyz")
            .get(ops::readyz)
            .route(web::head().to(ops::readyz)),
    )
    .service(web::resource("/metrics").get(ops::metrics))
    .service(web::redirect("/api/docs", "/api/docs/"))
    // Registered before the `/api` scope, which would otherwise answer these paths with 404.
    .service(
        SwaggerUi::new("/api/docs/{_:.*}").url("/api/openapi.json", openapi::ApiDoc::openapi()),
    )
    .service(
        web::scope("/api")
            .service(
                web::scope("/v1")
                    .configure(v1::configure)
                    .default_service(web::to(unknown_route)),
            )
            .default_service(web::to(unknown_route)),
    );
}

/// Any unknown `/api/*` path: JSON 404, never the HTML page.
async fn unknown_route() -> Result<actix_web::HttpResponse, AppError> {
    Err(AppError::NotFound("Không có đường dẫn API này".into()))
}

/// A known path called with a method it does not support.
pub async fn method_not_allowed() -> Result<actix_web::HttpResponse, AppError> {
    Err(AppError::MethodNotAllowed)
}
