//! `/api/v1/auth/*` and `/api/v1/me`: sign-in, sign-out, the current user, password change.

use actix_web::{web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};
use validator::Validate;

use super::validated;
use crate::auth::session::{session_removal_cookie, sign_in};
use crate::auth::{AuthUser, Principal};
use crate::domain::Role;
use crate::error::{AppError, ErrorBody};
use crate::services;
use crate::startup::AppState;

#[derive(Deserialize, Validate, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    #[validate(length(min = 1, max = 254, message = "Vui lòng nhập địa chỉ thư điện tử"))]
    pub email: String,
    #[validate(length(min = 1, max = 1024, message = "Vui lòng nhập mật khẩu"))]
    pub password: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct OrganizationRef {
    pub id: String,
    pub name: String,
    pub code: String,
    pub kind: String,
}

/// The signed-in user.
#[derive(Serialize, utoipa::ToSchema)]
pub struct Me {
    pub id: String,
    pub email: String,
    pub full_name: String,
    pub role: Role,
    pub role_label: String,
    pub organization: OrganizationRef,
}

impl From<&Principal> for Me {
    fn from(p: &Principal) -> Self {
        Self {
            id: p.id.clone(),
            email: p.email.clone(),
            full_name: p.full_name.clone(),
            role: p.role,
            role_label: p.role.label().to_string(),
            organization: OrganizationRef {
                id: p.organization_id.clone(),
                name: p.organization_name.clone(),
                code: p.organization_code.clone(),
                kind: p.organization_kind.clone(),
            },
        }
    }
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct LoginResponse {
    pub token: String,
    pub expires_at: chrono::DateTime<chrono::Utc>,
    pub user: Me,
}

#[derive(Deserialize, Validate, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordChange {
    #[validate(length(min = 1, message = "Vui lòng nhập mật khẩu hiện tại"))]
    pub old_password: String,
    #[validate(length(min = 1, message = "Vui lòng nhập mật khẩu mới"))]
    pub new_password: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct TokenResponse {
    pub token: String,
    pub expires_at: chrono::DateTime<chrono::Utc>,
}

/// Sign in with e-mail and password; returns a bearer token.
#[utoipa::path(post, path = "/api/v1/auth/login", tag = "auth", request_body = LoginRequest, responses(
    (status = 200, body = LoginResponse),
    (status = 401, description = "Sai thông tin đăng nhập", body = ErrorBody),
    (status = 422, body = ErrorBody),
    (status = 429, description = "Quá nhiều lần thử", body = ErrorBody)
))]
pub async fn login(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: web::Json<LoginRequest>,
) -> Result<web::Json<LoginResponse>, AppError> {
    let body = validated(body.into_inner())?;
    let (principal, token, expires_at) = sign_in(&state, &req, &body.email, &body.password).await?;
    Ok(web::Json(LoginResponse {
        token,
        expires_at,
        user: Me::from(&principal),
    }))
}

/// Sign out: every token of the user stops working.
#[utoipa::path(post, path = "/api/v1/auth/logout", tag = "auth", security(("bearer" = [])), responses(
    (status = 204, description = "Đã đăng xuất"),
    (status = 401, body = ErrorBody)
))]
pub async fn logout(state: web::Data<AppState>, user: AuthUser) -> Result<HttpResponse, AppError> {
    let principal = user.principal.clone();
    state
        .db
        .run(move |conn| services::auth::logout(conn, &principal))
        .await?;
    state.principals.invalidate(&user.id);
    Ok(HttpResponse::NoContent()
        .cookie(session_removal_cookie())
        .finish())
}

/// The signed-in user and their organisation.
#[utoipa::path(get, path = "/api/v1/me", tag = "auth", security(("bearer" = [])), responses(
    (status = 200, body = Me),
    (status = 401, body = ErrorBody)
))]
pub async fn me(user: AuthUser) -> web::Json<Me> {
    web::Json(Me::from(&*user.principal))
}

/// Change one's own password (the current one is required); other sessions end.
#[utoipa::path(post, path = "/api/v1/me/password", tag = "auth", security(("bearer" = [])), request_body = PasswordChange, responses(
    (status = 200, description = "Mật khẩu đã đổi; mã phiên mới", body = TokenResponse),
    (status = 401, body = ErrorBody),
    (status = 422, body = ErrorBody)
))]
pub async fn change_password(
    state: web::Data<AppState>,
    user: AuthUser,
    body: web::Json<PasswordChange>,
) -> Result<web::Json<TokenResponse>, AppError> {
    let body = validated(body.into_inner())?;
    let principal = user.principal.clone();
    let version = state
        .db
        .run(move |conn| {
            services::auth::change_password(
                conn,
                &principal,
                &body.old_password,
                &body.new_password,
            )
        })
        .await?;
    state.principals.invalidate(&user.id);
    let (token, expires_at) = state
        .jwt
        .issue(&user.id, version)
        .map_err(AppError::internal)?;
    Ok(web::Json(TokenResponse { token, expires_at }))
}
