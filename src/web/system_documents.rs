//! `GET /systems/{id}/justification.docx`: the draft thuyết minh đề xuất cấp độ of a system,
//! downloaded from its page.

use actix_web::{web, HttpRequest, HttpResponse};

use super::systems::{error_page, login_redirect};
use crate::api::v1::system_documents::justification_file;
use crate::auth::AuthUser;
use crate::services::Actor;
use crate::startup::AppState;

pub async fn justification(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: Option<AuthUser>,
    id: web::Path<String>,
) -> HttpResponse {
    let Some(user) = user else {
        return login_redirect(&req);
    };
    match justification_file(&state, Actor::user(&user), id.into_inner()).await {
        Ok(response) => response,
        Err(e) => error_page(&req, &state, &user, e),
    }
}
