//! Operations endpoints: liveness, readiness and Prometheus metrics.

use actix_web::{web, HttpResponse};
use diesel::connection::SimpleConnection;

use crate::startup::AppState;

/// The process is up.
#[utoipa::path(get, path = "/healthz", tag = "operations", responses((status = 200, description = "Tiến trình đang chạy")))]
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/plain; charset=utf-8")
        .body("ok")
}

/// The database answers.
#[utoipa::path(get, path = "/readyz", tag = "operations", responses(
    (status = 200, description = "Cơ sở dữ liệu sẵn sàng"),
    (status = 503, description = "Không kết nối được cơ sở dữ liệu")
))]
pub async fn readyz(state: web::Data<AppState>) -> HttpResponse {
    let ping = state
        .db
        .run(|conn| {
            conn.batch_execute("SELECT 1")
                .map_err(crate::error::AppError::from)
        })
        .await;
    match ping {
        Ok(()) => HttpResponse::Ok()
            .content_type("text/plain; charset=utf-8")
            .body("ready"),
        Err(err) => {
            tracing::warn!(error = %err, "readiness check failed");
            HttpResponse::ServiceUnavailable()
                .content_type("text/plain; charset=utf-8")
                .body("Cơ sở dữ liệu chưa sẵn sàng")
        }
    }
}

/// Request counts by route and status, latency histograms, pool connections in use.
#[utoipa::path(get, path = "/metrics", tag = "operations", responses((status = 200, description = "Định dạng văn bản Prometheus")))]
pub async fn metrics(state: web::Data<AppState>) -> HttpResponse {
    let pool = state.db.pool().state();
    let in_use = pool.connections.saturating_sub(pool.idle_connections);
    HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4; charset=utf-8")
        .body(state.metrics.render(in_use, pool.idle_connections))
}
