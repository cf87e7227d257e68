//! Account use cases: create, read, change, deactivate — within the actor's subtree and never
//! above the actor's own role.

use serde::Serialize;

use super::audit::{self, Change};
use super::organizations::{merge_field_errors, require_in_scope};
use super::{utc, Actor};
use crate::auth::password;
use crate::db::{self, write_tx, AnyConn};
use crate::domain::search::{contains_pattern, search_key};
use crate::domain::{Email, Role};
use crate::error::AppError;
use crate::repo::users::{self as repo, NewUser, UserChanges, UserFilter, UserRow};
use crate::repo::Page;

/// An account as shown to others: never the password hash.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct UserView {
    pub id: String,
    pub email: String,
    pub full_name: String,
    pub role: Role,
    pub role_label: String,
    pub organization_id: String,
    pub active: bool,
    pub last_login_at: Option<chrono::DateTime<chrono::Utc>>,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

impl UserView {
    pub fn from_row(row: &UserRow) -> Self {
        let role = Role::parse(&row.role).unwrap_or(Role::Viewer);
        Self {
            id: row.id.clone(),
            email: row.email.clone(),
            full_name: row.full_name.clone(),
            role,
            role_label: role.label().to_string(),
            organization_id: row.organization_id.clone(),
            active: row.active,
            last_login_at: row.last_login_at.map(utc),
            created_at: utc(row.created_at),
            updated_at: utc(row.updated_at),
        }
    }
}

pub struct UserInput {
    pub email: String,
    pub full_name: String,
    pub role: Role,
    pub organization_id: String,
    pub password: String,
}

#[derive(Default)]
pub struct UserPatch {
    pub full_name: Option<String>,
    pub role: Option<Role>,
    pub organization_id: Option<String>,
    pub active: Option<bool>,
    /// A new password set by an administrator (the user's own change goes through `auth`).
    pub password: Option<String>,
}

fn clean_full_name(raw: &str) -> Result<String, AppError> {
    let name = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    match name.chars().count() {
        0 => Err(AppError::field("full_name", "Vui lòng nhập họ và tên")),
        n if n > 120 => Err(AppError::field(
            "full_name",
            "Họ và tên không được dài quá 120 ký tự",
        )),
        _ => Ok(name),
    }
}

fn email_taken(email: &str) -> AppError {
    AppError::Conflict(format!(
        "Địa chỉ thư điện tử {email} đã được dùng cho một tài khoản khác"
    ))
}

pub fn list(
    conn: &mut AnyConn,
    actor: &Actor,
    filter: UserFilter,
    page: Page,
) -> Result<(Vec<UserView>, i64), AppError> {
    let filter = UserFilter {
        search: filter.search.as_deref().map(contains_pattern),
        ..filter
    };
    let (rows, total) = repo::list_in_scope(conn, &actor.scope_path, &filter, page)?;
    Ok((rows.iter().map(UserView::from_row).collect(), total))
}

pub fn get(conn: &mut AnyConn, actor: &Actor, id: &str) -> Result<UserView, AppError> {
    let row = repo::find_in_scope(conn, &actor.scope_path, id)?.ok_or_else(AppError::not_found)?;
    Ok(UserView::from_row(&row))
}

pub fn create(conn: &mut AnyConn, actor: &Actor, input: UserInput) -> Result<UserView, AppError> {
    if !actor.role.can_manage_accounts_with(input.role) {
        return Err(AppError::forbidden());
    }
    let email = Email::parse(&input.email).map_err(|m| AppError::field("email", m));
    let full_name = clean_full_name(&input.full_name);
    let (email, full_name) = match (email, full_name) {
        (Ok(e), Ok(n)) => (e, n),
        (e, n) => return Err(merge_field_errors([e.err(), n.err()])),
    };
    password::check_policy(&input.password, &email).map_err(|m| AppError::field("password", m))?;
    let org = require_in_scope(conn, actor, &input.organization_id, "organization_id")?;
    let hash = password::hash(&input.password).map_err(AppError::internal)?;

    let id = db::new_id();
    let now = db::now();
    let key = search_key(&full_name);
    let row = UserRow {
        id: id.clone(),
        email: email.as_str().to_string(),
        full_name: full_name.clone(),
        role: input.role.as_str().to_string(),
        organization_id: org.id.clone(),
        active: true,
        password_hash: hash,
        token_version: 0,
        password_changed_at: now,
        last_login_at: None,
        search_key: key,
        created_at: now,
        updated_at: now,
    };
    let view = UserView::from_row(&row);
    write_tx(conn, |conn| {
        audit::record(
            conn,
            actor,
            Change {
                entity_type: "user",
                entity_id: &id,
                action: "create",
                before: None,
                after: audit::snapshot(&view),
                scope_path: &org.path,
            },
        )?;
        repo::insert(
            conn,
            &NewUser {
                id: &row.id,
                email: &row.email,
                full_name: &row.full_name,
                role: &row.role,
                organization_id: &row.organization_id,
                active: true,
                password_hash: &row.password_hash,
                token_version: 0,
                password_changed_at: now,
                search_key: &row.search_key,
                created_at: now,
                updated_at: now,
            },
        )
        .map_err(AppError::from)
    })
    .map_err(|e| match e {
        AppError::Conflict(_) => email_taken(email.as_str()),
        other => other,
    })?;
    Ok(view)
}

pub fn update(
    conn: &mut AnyConn,
    actor: &Actor,
    id: &str,
    patch: UserPatch,
) -> Result<UserView, AppError> {
    let current =
        repo::find_in_scope(conn, &actor.scope_path, id)?.ok_or_else(AppError::not_found)?;
    let current_role = Role::parse(&current.role).unwrap_or(Role::Viewer);
    let new_role = patch.role.unwrap_or(current_role);
    if !actor.role.can_manage_accounts_with(current_role)
        || !actor.role.can_manage_accounts_with(new_role)
    {
        return Err(AppError::forbidden());
    }
    let is_self = actor.user_id.as_deref() == Some(id);
    if is_self
        && (patch.active == Some(false)
            || new_role != current_role
            || patch.organization_id.is_some())
    {
        return Err(AppError::Conflict(
            "Không thể tự khóa, đổi vai trò hoặc đổi đơn vị của chính tài khoản mình; hãy nhờ một quản trị viên khác".into(),
        ));
    }
    let full_name = patch
        .full_name
        .as_deref()
        .map(clean_full_name)
        .transpose()?;
    let email = Email::parse(&current.email).map_err(|m| AppError::field("email", m))?;
    if let Some(pw) = &patch.password {
        password::check_policy(pw, &email).map_err(|m| AppError::field("password", m))?;
    }
    let org = match &patch.organization_id {
        Some(org_id) => require_in_scope(conn, actor, org_id, "organization_id")?,
        None => crate::repo::organizations::find(conn, &current.organization_id)?
            .ok_or_else(AppError::not_found)?,
    };
    let new_hash = patch
        .password
        .as_deref()
        .map(password::hash)
        .transpose()
        .map_err(AppError::internal)?;

    let now = db::now();
    // Sessions end when the account is deactivated, moved, given another role or a new password.
    let revoke = patch.active == Some(false)
        || new_role != current_role
        || org.id != current.organization_id
        || new_hash.is_some();
    let mut next = current.clone();
    if let Some(n) = &full_name {
        next.full_name = n.clone();
        next.search_key = search_key(n);
    }
    next.role = new_role.as_str().to_string();
    next.organization_id = org.id.clone();
    if let Some(active) = patch.active {
        next.active = active;
    }
    if revoke {
        next.token_version += 1;
    }
    next.updated_at = now;

    let before = UserView::from_row(&current);
    let after = UserView::from_row(&next);
    let mut after_json = audit::snapshot(&after);
    if new_hash.is_some() {
        if let Some(serde_json::Value::Object(map)) = after_json.as_mut() {
            map.insert("password_reset".into(), serde_json::Value::Bool(true));
        }
    }
    let changes = UserChanges {
        full_name: full_name.clone(),
        role: Some(next.role.clone()),
        organization_id: Some(next.organization_id.clone()),
        active: Some(next.active),
        password_hash: new_hash.clone(),
        token_version: Some(next.token_version),
        password_changed_at: new_hash.as_ref().map(|_| now),
        search_key: full_name.as_ref().map(|_| next.search_key.clone()),
        updated_at: Some(now),
    };
    write_tx(conn, |conn| {
        audit::record(
            conn,
            actor,
            Change {
                entity_type: "user",
                entity_id: id,
                action: "update",
                before: audit::snapshot(&before),
                after: after_json,
                scope_path: &org.path,
            },
        )?;
        repo::update(conn, id, &changes).map_err(AppError::from)
    })?;
    Ok(after)
}
