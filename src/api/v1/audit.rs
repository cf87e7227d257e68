//! `/api/v1/audit`: the audit trail, for administrators.

use actix_web::web;
use serde::{Deserialize, Serialize};

use super::PageQuery;
use crate::auth::AuthUser;
use crate::error::{AppError, ErrorBody};
use crate::repo::audit::AuditFilter;
use crate::services::audit::{self as service, AuditEntry};
use crate::services::Actor;
use crate::startup::AppState;

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct AuditQuery {
    /// e.g. `user`, `organization`.
    pub entity_type: Option<String>,
    pub entity_id: Option<String>,
    pub actor_id: Option<String>,
    /// From this instant (inclusive), RFC 3339.
    pub from: Option<chrono::DateTime<chrono::Utc>>,
    /// Until this instant (exclusive), RFC 3339.
    pub to: Option<chrono::DateTime<chrono::Utc>>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct AuditList {
    pub items: Vec<AuditEntry>,
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
}

/// Changes newest first, filtered by entity, actor and time range.
#[utoipa::path(get, path = "/api/v1/audit", tag = "audit", security(("bearer" = [])),
    params(AuditQuery),
    responses((status = 200, body = AuditList), (status = 403, body = ErrorBody)))]
pub async fn list(
    state: web::Data<AppState>,
    user: AuthUser,
    query: web::Query<AuditQuery>,
) -> Result<web::Json<AuditList>, AppError> {
    let query = query.into_inner();
    let page = PageQuery {
        page: query.page,
        per_page: query.per_page,
    }
    .page()?;
    if let (Some(from), Some(to)) = (query.from, query.to) {
        if from >= to {
            return Err(AppError::field(
                "to",
                "Thời điểm kết thúc phải sau thời điểm bắt đầu",
            ));
        }
    }
    let filter = AuditFilter {
        entity_type: query.entity_type,
        entity_id: query.entity_id,
        actor_id: query.actor_id,
        from: query.from.map(|t| t.naive_utc()),
        to: query.to.map(|t| t.naive_utc()),
    };
    let actor = Actor::user(&user);
    let (items, total) = state
        .db
        .run(move |conn| service::list(conn, &actor, &filter, page))
        .await?;
    Ok(web::Json(AuditList {
        items,
        total,
        page: page.number,
        per_page: page.size,
    }))
}
