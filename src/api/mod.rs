//! The JSON API under `/api`, its OpenAPI document and the operations endpoints.

pub mod files;
pub mod openapi;
pub mod ops;
pub mod table_upload;
pub mod v1;

use std::sync::OnceLock;

use actix_web::{http::header, web, HttpResponse};
use utoipa::OpenApi;
use utoipa_swagger_ui::{Config as SwaggerConfig, SwaggerUi};

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
        web::resource(OPENAPI_PATH)
            .get(openapi_document)
            .route(web::head().to(openapi_document)),
    )
    .service(SwaggerUi::new("/api/docs/{_:.*}").config(SwaggerConfig::from(OPENAPI_PATH)))
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

const OPENAPI_PATH: &str = "/api/openapi.json";

/// `GET /api/openapi.json`. The document is built and serialised once per process: this
/// function runs for every worker's `App`, and letting Swagger UI hold its own copy of the
/// document per worker cost an idle server about 7 MB (measured with bench/run.sh).
async fn openapi_document() -> HttpResponse {
    static DOCUMENT: OnceLock<web::Bytes> = OnceLock::new();
    let body = DOCUMENT.get_or_init(|| {
        serde_json::to_vec(&openapi::ApiDoc::openapi())
            .map(web::Bytes::from)
            .unwrap_or_default()
    });
    HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "application/json"))
        .body(body.clone())
}
