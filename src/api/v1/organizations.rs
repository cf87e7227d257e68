//! `/api/v1/organizations`: the organisation tree within the caller's subtree.

use actix_web::{web, HttpResponse};
use serde::{Deserialize, Serialize};
use validator::Validate;

use super::validated;
use crate::auth::AuthUser;
use crate::domain::OrgKind;
use crate::error::{AppError, ErrorBody};
use crate::repo::organizations::OrganizationFilter;
use crate::services::organizations::{
    self as service, OrganizationInput, OrganizationPatch, OrganizationView,
};
use crate::services::Actor;
use crate::startup::AppState;

#[derive(Deserialize, Validate, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct OrganizationQuery {
    /// Only this kind.
    pub kind: Option<OrgKind>,
    /// Only direct children of this organisation.
    pub parent_id: Option<String>,
    /// Search in names (diacritics ignored) and codes.
    #[validate(length(max = 100, message = "Từ khóa tìm kiếm quá dài"))]
    pub q: Option<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct OrganizationList {
    pub items: Vec<OrganizationView>,
    pub total: usize,
}

#[derive(Deserialize, Validate, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateOrganization {
    #[validate(length(min = 1, max = 200, message = "Tên đơn vị có từ 1 đến 200 ký tự"))]
    pub name: String,
    #[validate(length(min = 2, max = 20, message = "Mã đơn vị có từ 2 đến 20 ký tự"))]
    pub code: String,
    pub kind: OrgKind,
    /// The organisation above; required (only `capdo init` creates the root).
    pub parent_id: Option<String>,
}

#[derive(Deserialize, Validate, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateOrganization {
    #[validate(length(min = 1, max = 200, message = "Tên đơn vị có từ 1 đến 200 ký tự"))]
    pub name: Option<String>,
    #[validate(length(min = 2, max = 20, message = "Mã đơn vị có từ 2 đến 20 ký tự"))]
    pub code: Option<String>,
    pub kind: Option<OrgKind>,
    /// Move the organisation (with its subtree) under another one.
    pub parent_id: Option<String>,
}

/// Organisations of the caller's subtree, parents before children.
#[utoipa::path(get, path = "/api/v1/organizations", tag = "organizations", security(("bearer" = [])),
    params(OrganizationQuery),
    responses((status = 200, body = OrganizationList), (status = 401, body = ErrorBody)))]
pub async fn list(
    state: web::Data<AppState>,
    user: AuthUser,
    query: web::Query<OrganizationQuery>,
) -> Result<web::Json<OrganizationList>, AppError> {
    let query = validated(query.into_inner())?;
    let actor = Actor::user(&user);
    let filter = OrganizationFilter {
        kind: query.kind.map(|k| k.as_str().to_string()),
        parent_id: query.parent_id,
        search: query.q,
    };
    let items = state
        .db
        .run(move |conn| service::list(conn, &actor, filter))
        .await?;
    Ok(web::Json(OrganizationList {
        total: items.len(),
        items,
    }))
}

#[utoipa::path(get, path = "/api/v1/organizations/{id}", tag = "organizations", security(("bearer" = [])),
    params(("id" = String, Path, description = "Mã định danh đơn vị")),
    responses((status = 200, body = OrganizationView), (status = 404, body = ErrorBody)))]
pub async fn get(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
) -> Result<web::Json<OrganizationView>, AppError> {
    let actor = Actor::user(&user);
    let id = id.into_inner();
    Ok(web::Json(
        state
            .db
            .run(move |conn| service::get(conn, &actor, &id))
            .await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/organizations", tag = "organizations", security(("bearer" = [])),
    request_body = CreateOrganization,
    responses((status = 201, body = OrganizationView), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create(
    state: web::Data<AppState>,
    user: AuthUser,
    body: web::Json<CreateOrganization>,
) -> Result<HttpResponse, AppError> {
    let body = validated(body.into_inner())?;
    let actor = Actor::user(&user);
    let input = OrganizationInput {
        name: body.name,
        code: body.code,
        kind: body.kind,
        parent_id: body.parent_id,
    };
    let view = state
        .db
        .run(move |conn| service::create(conn, &actor, input))
        .await?;
    Ok(HttpResponse::Created().json(view))
}

#[utoipa::path(patch, path = "/api/v1/organizations/{id}", tag = "organizations", security(("bearer" = [])),
    params(("id" = String, Path, description = "Mã định danh đơn vị")),
    request_body = UpdateOrganization,
    responses((status = 200, body = OrganizationView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
    body: web::Json<UpdateOrganization>,
) -> Result<web::Json<OrganizationView>, AppError> {
    let body = validated(body.into_inner())?;
    let actor = Actor::user(&user);
    let id = id.into_inner();
    let patch = OrganizationPatch {
        name: body.name,
        code: body.code,
        kind: body.kind,
        parent_id: body.parent_id,
    };
    let view = state
        .db
        .run(move |conn| service::update(conn, &actor, &id, patch))
        .await?;
    // Names, codes and subtree paths of signed-in users may have changed.
    state.principals.clear();
    Ok(web::Json(view))
}
