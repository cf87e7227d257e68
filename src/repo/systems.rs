//! Rows of `systems` and their contacts, products and components.

use diesel::prelude::*;

pub use super::system_list::{count_flagged_in_scope, list_in_scope, SystemFilter, SystemSort};
use crate::db::schema::{
    organizations, system_components, system_contacts, system_documents, system_products,
    system_search, systems, users,
};
use crate::db::AnyConn;

/// A system with its facts and stored classification (kept in two tables).
#[derive(Clone, Debug)]
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

#[derive(Clone, Debug, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = systems, treat_none_as_null = true)]
struct SystemRecord {
    id: String,
    organization_id: String,
    name: String,
    description: String,
    kind: Option<String>,
    urls_json: String,
    hosting_kind: Option<String>,
    hosting_provider: Option<String>,
    data_in_vietnam: Option<bool>,
    owner_name: String,
    operator_id: Option<String>,
    appraiser_name: Option<String>,
    status: String,
    go_live_on: Option<chrono::NaiveDate>,
    regime_id: String,
    regime_version: String,
    computed_level: Option<i32>,
    classification_status: String,
    proposed_level: Option<i32>,
    proposal_justification: Option<String>,
    below_criteria: bool,
    approved_level: Option<i32>,
    approval_decision_number: Option<String>,
    approval_decision_date: Option<chrono::NaiveDate>,
    redetermination_required: bool,
    redetermination_reason: Option<String>,
    search_key: String,
    created_at: chrono::NaiveDateTime,
    updated_at: chrono::NaiveDateTime,
}

fn record(row: &SystemRow) -> SystemRecord {
    SystemRecord {
        id: row.id.clone(),
        organization_id: row.organization_id.clone(),
        name: row.name.clone(),
        description: row.description.clone(),
        kind: row.kind.clone(),
        urls_json: row.urls_json.clone(),
        hosting_kind: row.hosting_kind.clone(),
        hosting_provider: row.hosting_provider.clone(),
        data_in_vietnam: row.data_in_vietnam,
        owner_name: row.owner_name.clone(),
        operator_id: row.operator_id.clone(),
        appraiser_name: row.appraiser_name.clone(),
        status: row.status.clone(),
        go_live_on: row.go_live_on,
        regime_id: row.regime_id.clone(),
        regime_version: row.regime_version.clone(),
        computed_level: row.computed_level,
        classification_status: row.classification_status.clone(),
        proposed_level: row.proposed_level,
        proposal_justification: row.proposal_justification.clone(),
        below_criteria: row.below_criteria,
        approved_level: row.approved_level,
        approval_decision_number: row.approval_decision_number.clone(),
        approval_decision_date: row.approval_decision_date,
        redetermination_required: row.redetermination_required,
        redetermination_reason: row.redetermination_reason.clone(),
        search_key: row.search_key.clone(),
        created_at: row.created_at,
        updated_at: row.updated_at,
    }
}

fn with_documents(r: SystemRecord, facts_json: String, classification_json: String) -> SystemRow {
    SystemRow {
        id: r.id,
        organization_id: r.organization_id,
        name: r.name,
        description: r.description,
        kind: r.kind,
        urls_json: r.urls_json,
        hosting_kind: r.hosting_kind,
        hosting_provider: r.hosting_provider,
        data_in_vietnam: r.data_in_vietnam,
        owner_name: r.owner_name,
        operator_id: r.operator_id,
        appraiser_name: r.appraiser_name,
        status: r.status,
        go_live_on: r.go_live_on,
        regime_id: r.regime_id,
        regime_version: r.regime_version,
        computed_level: r.computed_level,
        classification_status: r.classification_status,
        proposed_level: r.proposed_level,
        proposal_justification: r.proposal_justification,
        below_criteria: r.below_criteria,
        approved_level: r.approved_level,
        approval_decision_number: r.approval_decision_number,
        approval_decision_date: r.approval_decision_date,
        redetermination_required: r.redetermination_required,
        redetermination_reason: r.redetermination_reason,
        search_key: r.search_key,
        created_at: r.created_at,
        updated_at: r.updated_at,
        facts_json,
        classification_json,
    }
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
        .values(record(row))
        .execute(conn)?;
    diesel::insert_into(system_documents::table)
        .values((
            system_documents::system_id.eq(&row.id),
            system_documents::facts_json.eq(&row.facts_json),
            system_documents::classification_json.eq(&row.classification_json),
        ))
        .execute(conn)?;
    diesel::insert_into(system_search::table)
        .values((
            system_search::system_id.eq(&row.id),
            system_search::search_key.eq(&row.search_key),
        ))
        .execute(conn)
        .map(|_| ())
}

pub fn update(conn: &mut AnyConn, row: &SystemRow) -> QueryResult<()> {
    diesel::update(systems::table.find(&row.id))
        .set(record(row))
        .execute(conn)?;
    diesel::update(system_documents::table.find(&row.id))
        .set((
            system_documents::facts_json.eq(&row.facts_json),
            system_documents::classification_json.eq(&row.classification_json),
        ))
        .execute(conn)?;
    diesel::update(system_search::table.find(&row.id))
        .set(system_search::search_key.eq(&row.search_key))
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
    diesel::delete(system_search::table.find(id)).execute(conn)?;
    diesel::delete(system_documents::table.find(id)).execute(conn)?;
    diesel::delete(systems::table.find(id))
        .execute(conn)
        .map(|_| ())
}

pub fn find(conn: &mut AnyConn, id: &str) -> QueryResult<Option<SystemRow>> {
    let found = systems::table
        .inner_join(system_documents::table)
        .filter(systems::id.eq(id))
        .select((
            SystemRecord::as_select(),
            system_documents::facts_json,
            system_documents::classification_json,
        ))
        .first::<(SystemRecord, String, String)>(conn)
        .optional()?;
    Ok(found.map(|(r, facts, classification)| with_documents(r, facts, classification)))
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

pub fn set_contacts(conn: &mut AnyConn, system_id: &str, user_ids: &[String]) -> QueryResult<()> {
    diesel::delete(system_contacts::table.filter(system_contacts::system_id.eq(system_id)))
        .execute(conn)?;
    add_contacts(conn, system_id, user_ids)
}

/// Contacts of a system that has none yet (a new one).
pub fn add_contacts(conn: &mut AnyConn, system_id: &str, user_ids: &[String]) -> QueryResult<()> {
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

/// (id, full name, email) of these users, as the contacts of a system about to be written.
pub fn users_as_contacts(
    conn: &mut AnyConn,
    user_ids: &[String],
) -> QueryResult<Vec<(String, String, String)>> {
    if user_ids.is_empty() {
        return Ok(Vec::new());
    }
    users::table
        .filter(users::id.eq_any(user_ids))
        .select((users::id, users::full_name, users::email))
        .load(conn)
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
    add_products(conn, products)
}

/// Products of a system that has none yet.
pub fn add_products(conn: &mut AnyConn, products: &[ProductRow]) -> QueryResult<()> {
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
    add_components(conn, system_id, component_ids)
}

/// Components of a system that has none yet.
pub fn add_components(
    conn: &mut AnyConn,
    system_id: &str,
    component_ids: &[String],
) -> QueryResult<()> {
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
