//! Rows of `systems` and their contacts, products and components.

use diesel::prelude::*;

use super::Page;
use crate::db::schema::{
    organizations, system_components, system_contacts, system_products, systems, users,
};
use crate::db::AnyConn;

#[derive(Clone, Debug, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = systems, treat_none_as_null = true)]
pub struct SystemRow {
    pub id: String,
    pub organization_id: String,
    pub name: String,
    pub description: String,
    pub kind: Option<String>,
    pub urls_json: String,
    pub hosting_kind: Option<String>,
    pub hosting_provider: Option<String>,
    pub data_in_vietnam: Option<bool>,
    pub owner_name: String,
    pub operator_id: Option<String>,
    pub appraiser_name: Option<String>,
    pub status: String,
    pub go_live_on: Option<chrono::NaiveDate>,
    pub facts_json: String,
    pub regime_id: String,
    pub regime_version: String,
    pub computed_level: Option<i32>,
    pub classification_status: String,
    pub classification_json: String,
    pub proposed_level: Option<i32>,
    pub proposal_justification: Option<String>,
    pub below_criteria: bool,
    pub approved_level: Option<i32>,
    pub approval_decision_number: Option<String>,
    pub approval_decision_date: Option<chrono::NaiveDate>,
    pub redetermination_required: bool,
    pub redetermination_reason: Option<String>,
    pub search_key: String,
    pub created_at: chrono::NaiveDateTime,
    pub updated_at: chrono::NaiveDateTime,
}

#[derive(Clone, Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = system_products)]
pub struct ProductRow {
    pub id: String,
    pub system_id: String,
    pub name: String,
    pub vendor: Option<String>,
    pub version: Option<String>,
    pub search_key: String,
}

/// The columns of a list row (no JSON blobs).
#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = systems)]
pub struct SystemListRow {
    pub id: String,
    pub organization_id: String,
    pub name: String,
    pub kind: Option<String>,
    pub operator_id: Option<String>,
    pub status: String,
    pub regime_id: String,
    pub computed_level: Option<i32>,
    pub classification_status: String,
    pub proposed_level: Option<i32>,
    pub below_criteria: bool,
    pub approved_level: Option<i32>,
    pub redetermination_required: bool,
    pub updated_at: chrono::NaiveDateTime,
}

pub fn insert(conn: &mut AnyConn, row: &SystemRow) -> QueryResult<()> {
    diesel::insert_into(systems::table)
        .values(row)
        .execute(conn)
        .map(|_| ())
}

pub fn update(conn: &mut AnyConn, row: &SystemRow) -> QueryResult<()> {
    diesel::update(systems::table.find(&row.id))
        .set(row)
        .execute(conn)
        .map(|_| ())
}

pub fn delete(conn: &mut AnyConn, id: &str) -> QueryResult<()> {
    diesel::delete(
        system_components::table.filter(
            system_components::system_id
                .eq(id)
                .or(system_components::component_id.eq(id)),
        ),
    )
    .execute(conn)?;
    diesel::delete(system_contacts::table.filter(system_contacts::system_id.eq(id)))
        .execute(conn)?;
    diesel::delete(system_products::table.filter(system_products::system_id.eq(id)))
        .execute(conn)?;
    diesel::delete(systems::table.find(id))
        .execute(conn)
        .map(|_| ())
}

pub fn find(conn: &mut AnyConn, id: &str) -> QueryResult<Option<SystemRow>> {
    systems::table
        .find(id)
        .select(SystemRow::as_select())
        .first(conn)
        .optional()
}

/// The organisations a scope covers: `None` when it covers the whole tree (the root, or the
/// console), so the common case of a department-wide deployment needs no filter at all.
pub fn scope_ids(conn: &mut AnyConn, scope_path: &str) -> QueryResult<Option<Vec<String>>> {
    if scope_path.matches('/').count() <= 2 {
        return Ok(None);
    }
    organizations::table
        .filter(organizations::path.like(format!("{scope_path}%")))
        .select(organizations::id)
        .load(conn)
        .map(Some)
}

/// A system is visible to a subtree that holds its organisation or its operating unit.
pub fn find_in_scope(
    conn: &mut AnyConn,
    scope_path: &str,
    id: &str,
) -> QueryResult<Option<SystemRow>> {
    let Some(row) = find(conn, id)? else {
        return Ok(None);
    };
    let visible = match scope_ids(conn, scope_path)? {
        None => true,
        Some(ids) => {
            ids.contains(&row.organization_id)
                || row.operator_id.as_ref().is_some_and(|o| ids.contains(o))
        }
    };
    Ok(visible.then_some(row))
}

#[derive(Clone, Debug, Default)]
pub struct SystemFilter {
    pub organization_id: Option<String>,
    pub level: Option<i32>,
    pub status: Option<String>,
    pub kind: Option<String>,
    pub below_criteria: Option<bool>,
    pub redetermination_required: Option<bool>,
    /// LIKE pattern over the search key.
    pub search: Option<String>,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SystemSort {
    #[default]
    Name,
    NameDesc,
    Level,
    LevelDesc,
    Updated,
    UpdatedDesc,
}

pub fn list_in_scope(
    conn: &mut AnyConn,
    scope_path: &str,
    filter: &SystemFilter,
    sort: SystemSort,
    page: Page,
) -> QueryResult<(Vec<SystemListRow>, i64)> {
    let scope = scope_ids(conn, scope_path)?;
    let build = || {
        let mut q = systems::table.into_boxed();
        if let Some(ids) = &scope {
            q = q.filter(
                systems::organization_id
                    .eq_any(ids.clone())
                    .or(systems::operator_id.eq_any(ids.clone())),
            );
        }
        if let Some(org) = &filter.organization_id {
            q = q.filter(systems::organization_id.eq(org.clone()));
        }
        if let Some(level) = filter.level {
            q = q.filter(systems::computed_level.eq(level));
        }
        if let Some(status) = &filter.status {
            q = q.filter(systems::status.eq(status.clone()));
        }
        if let Some(kind) = &filter.kind {
            q = q.filter(systems::kind.eq(kind.clone()));
        }
        if let Some(flag) = filter.below_criteria {
            q = q.filter(systems::below_criteria.eq(flag));
        }
        if let Some(flag) = filter.redetermination_required {
            q = q.filter(systems::redetermination_required.eq(flag));
        }
        if let Some(pattern) = &filter.search {
            q = q.filter(systems::search_key.like(pattern.clone()));
        }
        q
    };
    let total = build().count().get_result(conn)?;
    let q = build().select(SystemListRow::as_select());
    let q = match sort {
        SystemSort::Name => q.order((systems::name.asc(), systems::id.asc())),
        SystemSort::NameDesc => q.order((systems::name.desc(), systems::id.desc())),
        SystemSort::Level => q.order((systems::computed_level.asc(), systems::name.asc())),
        SystemSort::LevelDesc => q.order((systems::computed_level.desc(), systems::name.asc())),
        SystemSort::Updated => q.order((systems::updated_at.asc(), systems::id.asc())),
        SystemSort::UpdatedDesc => q.order((systems::updated_at.desc(), systems::id.desc())),
    };
    let rows = q.limit(page.size).offset(page.offset()).load(conn)?;
    Ok((rows, total))
}

pub fn count_flagged_in_scope(conn: &mut AnyConn, scope_path: &str) -> QueryResult<i64> {
    let filter = SystemFilter {
        redetermination_required: Some(true),
        ..Default::default()
    };
    let (_, total) = list_in_scope(
        conn,
        scope_path,
        &filter,
        SystemSort::Name,
        Page { number: 1, size: 1 },
    )?;
    Ok(total)
}

pub fn set_contacts(conn: &mut AnyConn, system_id: &str, user_ids: &[String]) -> QueryResult<()> {
    diesel::delete(system_contacts::table.filter(system_contacts::system_id.eq(system_id)))
        .execute(conn)?;
    for user_id in user_ids {
        diesel::insert_into(system_contacts::table)
            .values((
                system_contacts::system_id.eq(system_id),
                system_contacts::user_id.eq(user_id),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Contacts with their names, in one query.
pub fn contacts(conn: &mut AnyConn, system_id: &str) -> QueryResult<Vec<(String, String, String)>> {
    system_contacts::table
        .inner_join(users::table)
        .filter(system_contacts::system_id.eq(system_id))
        .select((users::id, users::full_name, users::email))
        .order(users::full_name.asc())
        .load(conn)
}

pub fn set_products(
    conn: &mut AnyConn,
    system_id: &str,
    products: &[ProductRow],
) -> QueryResult<()> {
    diesel::delete(system_products::table.filter(system_products::system_id.eq(system_id)))
        .execute(conn)?;
    for p in products {
        diesel::insert_into(system_products::table)
            .values(p)
            .execute(conn)?;
    }
    Ok(())
}

pub fn products(conn: &mut AnyConn, system_id: &str) -> QueryResult<Vec<ProductRow>> {
    system_products::table
        .filter(system_products::system_id.eq(system_id))
        .select(ProductRow::as_select())
        .order(system_products::name.asc())
        .load(conn)
}

pub fn set_components(
    conn: &mut AnyConn,
    system_id: &str,
    component_ids: &[String],
) -> QueryResult<()> {
    diesel::delete(system_components::table.filter(system_components::system_id.eq(system_id)))
        .execute(conn)?;
    for c in component_ids {
        diesel::insert_into(system_components::table)
            .values((
                system_components::system_id.eq(system_id),
                system_components::component_id.eq(c),
            ))
            .execute(conn)?;
    }
    Ok(())
}

pub fn components(conn: &mut AnyConn, system_id: &str) -> QueryResult<Vec<String>> {
    system_components::table
        .filter(system_components::system_id.eq(system_id))
        .select(system_components::component_id)
        .order(system_components::component_id.asc())
        .load(conn)
}

/// Systems that list `component_id` among their components.
pub fn parents(conn: &mut AnyConn, component_id: &str) -> QueryResult<Vec<String>> {
    system_components::table
        .filter(system_components::component_id.eq(component_id))
        .select(system_components::system_id)
        .load(conn)
}
