//! `/api/v1/systems/{id}/justification.docx`: the draft thuyết minh đề xuất cấp độ of one
//! system as a Word document.

use actix_web::{web, HttpResponse};

use crate::auth::AuthUser;
use crate::error::{AppError, ErrorBody};
use crate::export::download::docx_response;
use crate::rules::today_in_vietnam;
use crate::services::justification_docx::{self, GeneratedDocx};
use crate::services::Actor;
use crate::startup::AppState;

/// Builds the document of a system the actor can see (shared with the web UI).
pub async fn justification_file(
    state: &AppState,
    actor: Actor,
    id: String,
) -> Result<HttpResponse, AppError> {
    let registry = state.rules.clone();
    let GeneratedDocx { file, filename } = state
        .db
        .run(move |conn| {
            justification_docx::justification(conn, &registry, &actor, &id, today_in_vietnam())
        })
        .await?;
    Ok(docx_response(file, &filename))
}

/// The draft level justification of a system, laid out per Decree 30/2020 and following the
/// regime of the system's determination (Decree 85: Điều 19 khoản 2; Decree 331: Điều 22).
#[utoipa::path(get, path = "/api/v1/systems/{id}/justification.docx", tag = "systems", security(("bearer" = [])),
    params(("id" = String, Path, description = "Mã định danh hệ thống")),
    responses((status = 200, description = "Tệp Word (DOCX) dự thảo thuyết minh đề xuất cấp độ", content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn justification(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    justification_file(&state, Actor::user(&user), id.into_inner()).await
}
