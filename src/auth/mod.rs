//! Authentication: password hashing, JWT sessions, the request extractor, CSRF and login limits.

pub mod ack_token;
pub mod csrf;
pub mod extractor;
pub mod jwt;
pub mod password;
pub mod principal;
pub mod rate_limit;
pub mod session;

pub use extractor::AuthUser;
pub use principal::{Principal, PrincipalCache};
pub use session::SESSION_COOKIE;
