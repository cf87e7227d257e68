//! Sessions: signing in (limits, credentials, token) and the session cookie of the web UI.

use actix_web::cookie::{time, Cookie, SameSite};
use actix_web::HttpRequest;

use super::{jwt, Principal};
use crate::error::AppError;
use crate::services;
use crate::startup::AppState;

/// Name of the HttpOnly cookie that carries the session token for the web UI.
pub const SESSION_COOKIE: &str = "capdo_session";

/// The session cookie: HttpOnly, and SameSite=Lax so links from e-mails still open the UI.
pub fn session_cookie(token: String, secure: bool) -> Cookie<'static> {
    Cookie::build(SESSION_COOKIE, token)
        .path("/")
        .http_only(true)
        .secure(secure)
        .same_site(SameSite::Lax)
        .max_age(time::Duration::hours(jwt::SESSION_HOURS))
        .finish()
}

/// A cookie that makes the browser forget the session.
pub fn session_removal_cookie() -> Cookie<'static> {
    let mut gone = Cookie::new(SESSION_COOKIE, "");
    gone.set_path("/");
    gone.make_removal();
    gone
}

/// Checks the login limits, then the credentials; shared by the API and the login page.
pub async fn sign_in(
    state: &AppState,
    req: &HttpRequest,
    email: &str,
    password: &str,
) -> Result<(Principal, String, chrono::DateTime<chrono::Utc>), AppError> {
    let ip = req.peer_addr().map(|a| a.ip());
    state
        .login_limiter
        .check(ip, email.trim())
        .map_err(|retry_after_secs| AppError::RateLimited { retry_after_secs })?;
    let (email, password) = (email.to_string(), password.to_string());
    let principal = state
        .db
        .run(move |conn| services::auth::login(conn, &email, &password))
        .await?;
    state.principals.put(std::sync::Arc::new(principal.clone()));
    let (token, expires_at) = state
        .jwt
        .issue(&principal.id, principal.token_version)
        .map_err(AppError::internal)?;
    Ok((principal, token, expires_at))
}
