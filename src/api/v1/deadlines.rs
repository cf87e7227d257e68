//! `/api/v1/deadlines`: everything with a date in the caller's subtree, overdue first.

use actix_web::web;
use serde::Deserialize;

use super::PageQuery;
use crate::auth::AuthUser;
use crate::error::{AppError, ErrorBody};
use crate::rules::today_in_vietnam;
use crate::services::deadlines::{self, DeadlinePage, DeadlineQuery};
use crate::services::Actor;
use crate::startup::AppState;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct DeadlineParams {
    /// Số ngày tới (mặc định 30, tối đa 366); việc quá hạn luôn được liệt kê.
    pub within_days: Option<i64>,
    /// Chỉ các đơn vị thuộc cây của đơn vị này.
    pub organization_id: Option<String>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

#[utoipa::path(get, path = "/api/v1/deadlines", tag = "dossiers", security(("bearer" = [])),
    params(DeadlineParams),
    responses((status = 200, body = DeadlinePage), (status = 422, body = ErrorBody)))]
pub async fn deadlines(
    state: web::Data<AppState>,
    user: AuthUser,
    query: web::Query<DeadlineParams>,
) -> Result<web::Json<DeadlinePage>, AppError> {
    let q = query.into_inner();
    let page = PageQuery {
        page: q.page,
        per_page: q.per_page,
    }
    .page()?;
    let input = DeadlineQuery {
        within_days: q.within_days.unwrap_or(30),
        organization_id: q.organization_id,
        page,
    };
    let actor = Actor::user(&user);
    let registry = state.rules.clone();
    let list = state
        .db
        .run(move |conn| deadlines::for_actor(conn, &registry, &actor, today_in_vietnam(), input))
        .await?;
    Ok(web::Json(list))
}
