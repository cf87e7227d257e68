//! Authentication: password hashing, JWT sessions, the request extractor, CSRF and login limits.

pub mod csrf;
pub mod extractor;
pub mod jwt;
pub mod password;
pub mod principal;
pub mod rate_limit;

pub use extractor::AuthUser;
pub use principal::{Principal, PrincipalCache};

/// Name of the HttpOnly cookie that carries the session token for the web UI.
pub const SESSION_COOKIE: &str = "capdo_session";
