//! Rows of `users`.

use diesel::prelude::*;

use super::Page;
use crate::db::schema::{organizations, users};
use crate::db::AnyConn;

#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = users)]
pub struct UserRow {
    pub id: String,
    pub email: String,
    pub full_name: String,
    pub role: String,
    pub organization_id: String,
    pub active: bool,
    pub password_hash: String,
    pub token_version: i32,
    pub password_changed_at: chrono::NaiveDateTime,
    pub last_login_at: Option<chrono::NaiveDateTime>,
    pub search_key: String,
    pub created_at: chrono::NaiveDateTime,
    pub updated_at: chrono::NaiveDateTime,
}

#[derive(Insertable)]
#[diesel(table_name = users)]
pub struct NewUser<'a> {
    pub id: &'a str,
    pub email: &'a str,
    pub full_name: &'a str,
    pub role: &'a str,
    pub organization_id: &'a str,
    pub active: bool,
    pub password_hash: &'a str,
    pub token_version: i32,
    pub password_changed_at: chrono::NaiveDateTime,
    pub search_key: &'a str,
    pub created_at: chrono::NaiveDateTime,
    pub updated_at: chrono::NaiveDateTime,
}

#[derive(AsChangeset, Default)]
#[diesel(table_name = users)]
pub struct UserChanges {
    pub full_name: Option<String>,
    pub role: Option<String>,
    pub organization_id: Option<String>,
    pub active: Option<bool>,
    pub password_hash: Option<String>,
    pub token_version: Option<i32>,
    pub password_changed_at: Option<chrono::NaiveDateTime>,
    pub search_key: Option<String>,
    pub updated_at: Option<chrono::NaiveDateTime>,
}

pub fn insert(conn: &mut AnyConn, row: &NewUser<'_>) -> QueryResult<()> {
    diesel::insert_into(users::table)
        .values(row)
        .execute(conn)
        .map(|_| ())
}

pub fn count(conn: &mut AnyConn) -> QueryResult<i64> {
    users::table.count().get_result(conn)
}

pub fn find(conn: &mut AnyConn, id: &str) -> QueryResult<Option<UserRow>> {
    users::table
        .find(id)
        .select(UserRow::as_select())
        .first(conn)
        .optional()
}

pub fn find_by_email(conn: &mut AnyConn, email: &str) -> QueryResult<Option<UserRow>> {
    users::table
        .filter(users::email.eq(email))
        .select(UserRow::as_select())
        .first(conn)
        .optional()
}

/// A user together with the path of their organisation.
pub fn find_with_org_path(conn: &mut AnyConn, id: &str) -> QueryResult<Option<(UserRow, String)>> {
    users::table
        .inner_join(organizations::table)
        .filter(users::id.eq(id))
        .select((UserRow::as_select(), organizations::path))
        .first(conn)
        .optional()
}

pub fn find_in_scope(
    conn: &mut AnyConn,
    scope_path: &str,
    id: &str,
) -> QueryResult<Option<UserRow>> {
    users::table
        .inner_join(organizations::table)
        .filter(users::id.eq(id))
        .filter(organizations::path.like(format!("{scope_path}%")))
        .select(UserRow::as_select())
        .first(conn)
        .optional()
}

#[derive(Default)]
pub struct UserFilter {
    pub organization_id: Option<String>,
    pub role: Option<String>,
    pub active: Option<bool>,
    pub search: Option<String>,
}

pub fn list_in_scope(
    conn: &mut AnyConn,
    scope_path: &str,
    filter: &UserFilter,
    page: Page,
) -> QueryResult<(Vec<UserRow>, i64)> {
    let build = || {
        let mut q = users::table
            .inner_join(organizations::table)
            .filter(organizations::path.like(format!("{scope_path}%")))
            .into_boxed();
        if let Some(org) = &filter.organization_id {
            q = q.filter(users::organization_id.eq(org.clone()));
        }
        if let Some(role) = &filter.role {
            q = q.filter(users::role.eq(role.clone()));
        }
        if let Some(active) = filter.active {
            q = q.filter(users::active.eq(active));
        }
        if let Some(pattern) = &filter.search {
            q = q.filter(
                users::search_key
                    .like(pattern.clone())
                    .or(users::email.like(pattern.clone())),
            );
        }
        q
    };
    let total = build().count().get_result(conn)?;
    let rows = build()
        .select(UserRow::as_select())
        .order((users::full_name.asc(), users::email.asc()))
        .limit(page.size)
        .offset(page.offset())
        .load(conn)?;
    Ok((rows, total))
}

pub fn update(conn: &mut AnyConn, id: &str, changes: &UserChanges) -> QueryResult<()> {
    diesel::update(users::table.find(id))
        .set(changes)
        .execute(conn)
        .map(|_| ())
}

/// Revokes every token issued so far to the user.
pub fn bump_token_version(conn: &mut AnyConn, id: &str) -> QueryResult<()> {
    diesel::update(users::table.find(id))
        .set(users::token_version.eq(users::token_version + 1))
        .execute(conn)
        .map(|_| ())
}

pub fn touch_last_login(
    conn: &mut AnyConn,
    id: &str,
    at: chrono::NaiveDateTime,
) -> QueryResult<()> {
    diesel::update(users::table.find(id))
        .set(users::last_login_at.eq(Some(at)))
        .execute(conn)
        .map(|_| ())
}
