//! `AuthUser`: the extractor every protected handler takes. It reads the bearer token (API)
//! or the session cookie (web UI), verifies it and resolves the current principal.

use std::future::{ready, Future, Ready};
use std::pin::Pin;
use std::sync::Arc;

use futures_util::future::Either;

use actix_web::dev::Payload;
use actix_web::http::{header, Method};
use actix_web::{web, FromRequest, HttpRequest};

use super::jwt::Claims;
use super::{csrf, Principal, SESSION_COOKIE};
use crate::error::AppError;
use crate::services;
use crate::startup::AppState;

/// The authenticated caller of a request.
#[derive(Clone, Debug)]
pub struct AuthUser {
    pub principal: Arc<Principal>,
    /// Id of the token, for logs.
    pub token_id: String,
}

impl std::ops::Deref for AuthUser {
    type Target = Principal;
    fn deref(&self) -> &Principal {
        &self.principal
    }
}

enum Credential {
    Bearer(String),
    Cookie(String),
}

fn credential(req: &HttpRequest) -> Option<Credential> {
    if let Some(value) = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
    {
        let token = value
            .strip_prefix("Bearer ")
            .or_else(|| value.strip_prefix("bearer "))?;
        return Some(Credential::Bearer(token.trim().to_string()));
    }
    req.cookie(SESSION_COOKIE)
        .map(|c| Credential::Cookie(c.value().to_string()))
}

fn is_unsafe(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

impl FromRequest for AuthUser {
    type Error = AppError;
    type Future = Either<
        Ready<Result<Self, AppError>>,
        Pin<Box<dyn Future<Output = Result<Self, AppError>>>>,
    >;

    /// Token checks are on the hot path of every request: the signature and the cached
    /// principal are checked synchronously; only a cache miss goes to the database.
    fn from_request(req: &HttpRequest, _payload: &mut Payload) -> Self::Future {
        let claims = match verify(req) {
            Ok(claims) => claims,
            Err(err) => return Either::Left(ready(Err(err))),
        };
        let Some(state) = req.app_data::<web::Data<AppState>>().cloned() else {
            return Either::Left(ready(Err(AppError::internal(anyhow::anyhow!(
                "AppState missing"
            )))));
        };
        if let Some(principal) = state.principals.get(&claims.sub) {
            return Either::Left(ready(accept(principal, claims)));
        }
        Either::Right(Box::pin(async move {
            let user_id = claims.sub.clone();
            let loaded = state
                .db
                .run(move |conn| services::auth::load_principal(conn, &user_id))
                .await?;
            let principal = Arc::new(loaded.ok_or_else(expired_session)?);
            state.principals.put(principal.clone());
            accept(principal, claims)
        }))
    }
}

/// Reads and verifies the credential of the request (and its CSRF header where needed).
fn verify(req: &HttpRequest) -> Result<Claims, AppError> {
    let state = req
        .app_data::<web::Data<AppState>>()
        .ok_or_else(|| AppError::internal(anyhow::anyhow!("AppState missing")))?;
    let (token, via_cookie) = match credential(req) {
        Some(Credential::Bearer(t)) => (t, false),
        Some(Credential::Cookie(t)) => (t, true),
        None => return Err(AppError::unauthenticated()),
    };
    // A cookie is sent by the browser on its own, so a state-changing API request that relies
    // on it must also prove it comes from our pages. Web forms carry the token as a field,
    // checked by their handlers.
    if via_cookie && is_unsafe(req.method()) && req.path().starts_with("/api/") {
        let header = req
            .headers()
            .get(csrf::CSRF_HEADER)
            .and_then(|v| v.to_str().ok());
        if !csrf::matches(req, header) {
            return Err(AppError::Forbidden(
                "Thiếu hoặc sai mã chống giả mạo yêu cầu (CSRF); vui lòng tải lại trang".into(),
            ));
        }
    }
    state.jwt.verify(&token).ok_or_else(expired_session)
}

fn accept(principal: Arc<Principal>, claims: Claims) -> Result<AuthUser, AppError> {
    if !principal.active || principal.token_version != claims.ver {
        return Err(expired_session());
    }
    Ok(AuthUser {
        principal,
        token_id: claims.jti,
    })
}

fn expired_session() -> AppError {
    AppError::Unauthorized(
        "Phiên đăng nhập không hợp lệ hoặc đã hết hạn; vui lòng đăng nhập lại".into(),
    )
}
