//! Rows of `organizations`: the tree is kept as a materialised path (`/root/child/`), so a
//! subtree is one indexed prefix match on both backends.

use diesel::prelude::*;

use crate::db::schema::organizations;
use crate::db::AnyConn;

#[derive(Clone, Debug, Queryable, Selectable, serde::Serialize)]
#[diesel(table_name = organizations)]
pub struct OrganizationRow {
    pub id: String,
    pub name: String,
    pub code: String,
    pub kind: String,
    pub parent_id: Option<String>,
    pub path: String,
    pub search_key: String,
    pub created_at: chrono::NaiveDateTime,
    pub updated_at: chrono::NaiveDateTime,
}

#[derive(Insertable)]
#[diesel(table_name = organizations)]
pub struct NewOrganization<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub code: &'a str,
    pub kind: &'a str,
    pub parent_id: Option<&'a str>,
    pub path: &'a str,
    pub search_key: &'a str,
    pub created_at: chrono::NaiveDateTime,
    pub updated_at: chrono::NaiveDateTime,
}

#[derive(AsChangeset, Default)]
#[diesel(table_name = organizations)]
pub struct OrganizationChanges {
    pub name: Option<String>,
    pub code: Option<String>,
    pub kind: Option<String>,
    pub parent_id: Option<Option<String>>,
    pub path: Option<String>,
    pub search_key: Option<String>,
    pub updated_at: Option<chrono::NaiveDateTime>,
}

pub fn insert(conn: &mut AnyConn, row: &NewOrganization<'_>) -> QueryResult<()> {
    diesel::insert_into(organizations::table)
        .values(row)
        .execute(conn)
        .map(|_| ())
}

pub fn count(conn: &mut AnyConn) -> QueryResult<i64> {
    organizations::table.count().get_result(conn)
}

pub fn find(conn: &mut AnyConn, id: &str) -> QueryResult<Option<OrganizationRow>> {
    organizations::table
        .find(id)
        .select(OrganizationRow::as_select())
        .first(conn)
        .optional()
}

pub fn find_by_code(conn: &mut AnyConn, code: &str) -> QueryResult<Option<OrganizationRow>> {
    organizations::table
        .filter(organizations::code.eq(code))
        .select(OrganizationRow::as_select())
        .first(conn)
        .optional()
}

/// The organisation `id` if it lies in the subtree rooted at `scope_path`.
pub fn find_in_scope(
    conn: &mut AnyConn,
    scope_path: &str,
    id: &str,
) -> QueryResult<Option<OrganizationRow>> {
    organizations::table
        .find(id)
        .filter(organizations::path.like(format!("{scope_path}%")))
        .select(OrganizationRow::as_select())
        .first(conn)
        .optional()
}

#[derive(Default)]
pub struct OrganizationFilter {
    pub kind: Option<String>,
    pub parent_id: Option<String>,
    /// Pattern on the search key (see `domain::search::contains_pattern`).
    pub search: Option<String>,
}

/// Every organisation of the subtree, parents before children.
pub fn list_in_scope(
    conn: &mut AnyConn,
    scope_path: &str,
    filter: &OrganizationFilter,
) -> QueryResult<Vec<OrganizationRow>> {
    let mut query = organizations::table
        .filter(organizations::path.like(format!("{scope_path}%")))
        .select(OrganizationRow::as_select())
        .order((organizations::path.asc(), organizations::name.asc()))
        .into_boxed();
    if let Some(kind) = &filter.kind {
        query = query.filter(organizations::kind.eq(kind.clone()));
    }
    if let Some(parent) = &filter.parent_id {
        query = query.filter(organizations::parent_id.eq(parent.clone()));
    }
    if let Some(pattern) = &filter.search {
        query = query.filter(
            organizations::search_key
                .like(pattern.clone())
                .or(organizations::code.like(pattern.to_uppercase())),
        );
    }
    query.load(conn)
}

/// Every organisation strictly below `path`, for moving a subtree.
pub fn descendants(conn: &mut AnyConn, path: &str) -> QueryResult<Vec<OrganizationRow>> {
    organizations::table
        .filter(organizations::path.like(format!("{path}%")))
        .filter(organizations::path.ne(path))
        .select(OrganizationRow::as_select())
        .load(conn)
}

pub fn update(conn: &mut AnyConn, id: &str, changes: &OrganizationChanges) -> QueryResult<()> {
    diesel::update(organizations::table.find(id))
        .set(changes)
        .execute(conn)
        .map(|_| ())
}

pub fn set_path(conn: &mut AnyConn, id: &str, path: &str) -> QueryResult<()> {
    diesel::update(organizations::table.find(id))
        .set(organizations::path.eq(path))
        .execute(conn)
        .map(|_| ())
}
