//! `/api/v1/users`: accounts within the caller's subtree.

use actix_web::{web, HttpResponse};
use serde::{Deserialize, Serialize};
use validator::Validate;

use super::{validated, PageQuery};
use crate::auth::AuthUser;
use crate::domain::Role;
use crate::error::{AppError, ErrorBody};
use crate::repo::users::UserFilter;
use crate::services::users::{self as service, UserInput, UserPatch, UserView};
use crate::services::Actor;
use crate::startup::AppState;

#[derive(Deserialize, Validate, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct UserQuery {
    pub organization_id: Option<String>,
    pub role: Option<Role>,
    pub active: Option<bool>,
    /// Search in names (diacritics ignored) and e-mail addresses.
    #[validate(length(max = 100, message = "Từ khóa tìm kiếm quá dài"))]
    pub q: Option<String>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct UserList {
    pub items: Vec<UserView>,
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
}

#[derive(Deserialize, Validate, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateUser {
    #[validate(email(message = "Địa chỉ thư điện tử không hợp lệ"))]
    pub email: String,
    #[validate(length(min = 1, max = 120, message = "Họ và tên có từ 1 đến 120 ký tự"))]
    pub full_name: String,
    pub role: Role,
    pub organization_id: String,
    #[validate(length(min = 10, max = 128, message = "Mật khẩu có từ 10 đến 128 ký tự"))]
    pub password: String,
}

#[derive(Deserialize, Validate, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateUser {
    #[validate(length(min = 1, max = 120, message = "Họ và tên có từ 1 đến 120 ký tự"))]
    pub full_name: Option<String>,
    pub role: Option<Role>,
    pub organization_id: Option<String>,
    /// `false` locks the account and ends its sessions.
    pub active: Option<bool>,
    /// Set a new password for the user (their sessions end).
    #[validate(length(min = 10, max = 128, message = "Mật khẩu có từ 10 đến 128 ký tự"))]
    pub password: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/users", tag = "users", security(("bearer" = [])),
    params(UserQuery),
    responses((status = 200, body = UserList), (status = 401, body = ErrorBody)))]
pub async fn list(
    state: web::Data<AppState>,
    user: AuthUser,
    query: web::Query<UserQuery>,
) -> Result<web::Json<UserList>, AppError> {
    let query = validated(query.into_inner())?;
    let page = PageQuery {
        page: query.page,
        per_page: query.per_page,
    }
    .page()?;
    let actor = Actor::user(&user);
    let filter = UserFilter {
        organization_id: query.organization_id,
        role: query.role.map(|r| r.as_str().to_string()),
        active: query.active,
        search: query.q,
    };
    let (items, total) = state
        .db
        .run(move |conn| service::list(conn, &actor, filter, page))
        .await?;
    Ok(web::Json(UserList {
        items,
        total,
        page: page.number,
        per_page: page.size,
    }))
}

#[utoipa::path(get, path = "/api/v1/users/{id}", tag = "users", security(("bearer" = [])),
    params(("id" = String, Path, description = "Mã định danh tài khoản")),
    responses((status = 200, body = UserView), (status = 404, body = ErrorBody)))]
pub async fn get(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
) -> Result<web::Json<UserView>, AppError> {
    let actor = Actor::user(&user);
    let id = id.into_inner();
    Ok(web::Json(
        state
            .db
            .run(move |conn| service::get(conn, &actor, &id))
            .await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/users", tag = "users", security(("bearer" = [])),
    request_body = CreateUser,
    responses((status = 201, body = UserView), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create(
    state: web::Data<AppState>,
    user: AuthUser,
    body: web::Json<CreateUser>,
) -> Result<HttpResponse, AppError> {
    let body = validated(body.into_inner())?;
    let actor = Actor::user(&user);
    let input = UserInput {
        email: body.email,
        full_name: body.full_name,
        role: body.role,
        organization_id: body.organization_id,
        password: body.password,
    };
    let view = state
        .db
        .run(move |conn| service::create(conn, &actor, input))
        .await?;
    Ok(HttpResponse::Created().json(view))
}

#[utoipa::path(patch, path = "/api/v1/users/{id}", tag = "users", security(("bearer" = [])),
    params(("id" = String, Path, description = "Mã định danh tài khoản")),
    request_body = UpdateUser,
    responses((status = 200, body = UserView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
    body: web::Json<UpdateUser>,
) -> Result<web::Json<UserView>, AppError> {
    let body = validated(body.into_inner())?;
    let actor = Actor::user(&user);
    let id = id.into_inner();
    let target = id.clone();
    let patch = UserPatch {
        full_name: body.full_name,
        role: body.role,
        organization_id: body.organization_id,
        active: body.active,
        password: body.password,
    };
    let view = state
        .db
        .run(move |conn| service::update(conn, &actor, &id, patch))
        .await?;
    state.principals.invalidate(&target);
    Ok(web::Json(view))
}
