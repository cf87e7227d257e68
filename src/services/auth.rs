//! Sign-in, sign-out and password change.

use super::audit::{self, Change};
use super::Actor;
use crate::auth::{password, Principal};
use crate::db::{self, write_tx, AnyConn};
use crate::domain::{Email, Role};
use crate::error::AppError;
use crate::repo::{organizations, users};

/// The current principal of `user_id`, with their organisation; `None` if the user is gone.
pub fn load_principal(conn: &mut AnyConn, user_id: &str) -> Result<Option<Principal>, AppError> {
    let Some((user, _)) = users::find_with_org_path(conn, user_id)? else {
        return Ok(None);
    };
    let org = organizations::find(conn, &user.organization_id)?.ok_or_else(AppError::not_found)?;
    Ok(Some(Principal {
        id: user.id,
        email: user.email,
        full_name: user.full_name,
        role: Role::parse(&user.role).unwrap_or(Role::Viewer),
        active: user.active,
        token_version: user.token_version,
        organization_id: org.id,
        organization_name: org.name,
        organization_code: org.code,
        organization_kind: org.kind,
        scope_path: org.path,
    }))
}

fn bad_credentials() -> AppError {
    AppError::Unauthorized("Địa chỉ thư điện tử hoặc mật khẩu không đúng".into())
}

/// Checks the credentials (slow: argon2) and records the sign-in.
pub fn login(conn: &mut AnyConn, email: &str, password_text: &str) -> Result<Principal, AppError> {
    let Ok(email) = Email::parse(email) else {
        password::verify_against_dummy(password_text);
        return Err(bad_credentials());
    };
    let Some(user) = users::find_by_email(conn, email.as_str())? else {
        password::verify_against_dummy(password_text);
        return Err(bad_credentials());
    };
    if !password::verify(password_text, &user.password_hash) {
        return Err(bad_credentials());
    }
    if !user.active {
        return Err(AppError::Unauthorized(
            "Tài khoản đã bị khóa; vui lòng liên hệ quản trị viên".into(),
        ));
    }
    let principal = load_principal(conn, &user.id)?.ok_or_else(bad_credentials)?;
    users::touch_last_login(conn, &user.id, db::now())?;
    Ok(principal)
}

/// Revokes every session of the user (token version bump) and records it.
pub fn logout(conn: &mut AnyConn, principal: &Principal) -> Result<(), AppError> {
    let actor = Actor::user(principal);
    write_tx(conn, |conn| {
        users::bump_token_version(conn, &principal.id)?;
        audit::record(
            conn,
            &actor,
            Change {
                entity_type: "user",
                entity_id: &principal.id,
                action: "logout",
                before: None,
                after: None,
                scope_path: &principal.scope_path,
            },
        )
    })
}

/// Changes the caller's own password; the old one is required. Returns the new token version
/// (every older session is revoked).
pub fn change_password(
    conn: &mut AnyConn,
    principal: &Principal,
    old_password: &str,
    new_password: &str,
) -> Result<i32, AppError> {
    let user = users::find(conn, &principal.id)?.ok_or_else(AppError::not_found)?;
    if !password::verify(old_password, &user.password_hash) {
        return Err(AppError::field(
            "old_password",
            "Mật khẩu hiện tại không đúng",
        ));
    }
    if old_password == new_password {
        return Err(AppError::field(
            "new_password",
            "Mật khẩu mới phải khác mật khẩu hiện tại",
        ));
    }
    let email = Email::parse(&user.email).map_err(|m| AppError::field("email", m))?;
    password::check_policy(new_password, &email).map_err(|m| AppError::field("new_password", m))?;
    let hash = password::hash(new_password).map_err(AppError::internal)?;
    let actor = Actor::user(principal);
    let version = user.token_version + 1;
    let now = db::now();
    write_tx(conn, |conn| {
        users::update(
            conn,
            &user.id,
            &users::UserChanges {
                password_hash: Some(hash),
                token_version: Some(version),
                password_changed_at: Some(now),
                updated_at: Some(now),
                ..Default::default()
            },
        )?;
        audit::record(
            conn,
            &actor,
            Change {
                entity_type: "user",
                entity_id: &user.id,
                action: "password_change",
                before: None,
                after: None,
                scope_path: &principal.scope_path,
            },
        )
    })?;
    Ok(version)
}
