//! Use cases of the system register: register, change, approve, remove, read, list, history.

use chrono::NaiveDate;
use serde::Serialize;

use super::audit::{self, Change};
use super::system_checks::{clean, validate};
use super::system_classification::{apply, facts_with_components, situation, snapshot};
use super::system_lifecycle::reclassify_parents;
pub use super::system_lifecycle::{delete, record_approval, Approval};
pub use super::system_views::{
    view, view_from, ClassificationSnapshot, Contact, SystemSummary, SystemView, ViewParts,
};
use super::Actor;
use crate::db::{self, write_tx, AnyConn};
use crate::domain::search::{contains_pattern, search_key};
use crate::domain::system::{HostingKind, SystemStatus};
use crate::domain::{Role, SystemFacts};
use crate::error::AppError;
use crate::repo::system_regimes::{self, SystemRegimeRow};
use crate::repo::systems::{self as repo, ProductRow, SystemFilter, SystemRow, SystemSort};
use crate::repo::{organizations, Page};
use crate::rules::Registry;

#[derive(Clone, Debug, Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Product {
    /// Tên phần mềm hoặc sản phẩm, ví dụ "Apache Tomcat".
    pub name: String,
    pub vendor: Option<String>,
    pub version: Option<String>,
}

/// Everything a system record holds, as the user gives it.
#[derive(Clone, Debug)]
pub struct SystemInput {
    pub organization_id: String,
    pub name: String,
    pub description: String,
    pub kind: Option<String>,
    pub urls: Vec<String>,
    pub hosting_kind: Option<HostingKind>,
    pub hosting_provider: Option<String>,
    pub data_in_vietnam: Option<bool>,
    pub owner_name: String,
    pub operator_id: Option<String>,
    pub appraiser_name: Option<String>,
    pub status: SystemStatus,
    pub go_live_on: Option<NaiveDate>,
    pub contact_ids: Vec<String>,
    pub products: Vec<Product>,
    pub facts: SystemFacts,
    pub component_ids: Vec<String>,
    /// `None`: the proposal follows the computed level.
    pub proposed_level: Option<u8>,
    pub proposal_justification: Option<String>,
    /// Under investment or construction before the new law took effect (NĐ331 Đ39 k1).
    pub investment_before_law: bool,
    /// The regime chosen for such a project (`None`: the regime in force).
    pub chosen_regime: Option<String>,
}

/// Whether the actor may change the system `id` (which must be visible to them).
pub fn actor_may_edit(conn: &mut AnyConn, actor: &Actor, id: &str) -> Result<bool, AppError> {
    let row = find_visible(conn, actor, id)?;
    may_edit(conn, actor, &row)
}

/// Who may change a system: managers of its subtree, or the operators of its operating unit.
pub(super) fn may_edit(
    conn: &mut AnyConn,
    actor: &Actor,
    row: &SystemRow,
) -> Result<bool, AppError> {
    Ok(match actor.role {
        Role::Admin | Role::SecurityOfficer => true,
        Role::Viewer => false,
        Role::Operator => match &row.operator_id {
            Some(op) => organizations::find_in_scope(conn, &actor.scope_path, op)?.is_some(),
            None => false,
        },
    })
}

pub(super) fn manages(actor: &Actor) -> bool {
    matches!(actor.role, Role::Admin | Role::SecurityOfficer)
}

fn key_of(input: &SystemInput) -> String {
    search_key(&format!(
        "{} {} {}",
        input.name,
        input.urls.join(" "),
        input.description
    ))
}

fn fill(row: &mut SystemRow, input: &SystemInput) -> Result<(), AppError> {
    row.organization_id = input.organization_id.clone();
    row.name = input.name.clone();
    row.description = input.description.trim().to_string();
    row.kind = input.kind.clone();
    row.urls_json = serde_json::to_string(&input.urls).map_err(AppError::internal)?;
    row.hosting_kind = input.hosting_kind.map(|h| h.as_str().to_string());
    row.hosting_provider = input
        .hosting_provider
        .as_deref()
        .map(clean)
        .filter(|p| !p.is_empty());
    row.data_in_vietnam = input.data_in_vietnam;
    row.owner_name = input.owner_name.clone();
    row.operator_id = input.operator_id.clone();
    row.appraiser_name = input
        .appraiser_name
        .as_deref()
        .map(clean)
        .filter(|p| !p.is_empty());
    row.status = input.status.as_str().to_string();
    row.go_live_on = input.go_live_on;
    row.facts_json = serde_json::to_string(&input.facts).map_err(AppError::internal)?;
    row.search_key = key_of(input);
    Ok(())
}

fn products_rows(system_id: &str, products: &[Product]) -> Vec<ProductRow> {
    products
        .iter()
        .map(|p| ProductRow {
            id: db::new_id(),
            system_id: system_id.to_string(),
            name: p.name.clone(),
            vendor: p.vendor.as_deref().map(clean).filter(|v| !v.is_empty()),
            version: p
                .version
                .as_deref()
                .map(str::trim)
                .map(str::to_string)
                .filter(|v| !v.is_empty()),
            search_key: search_key(&format!(
                "{} {}",
                p.vendor.as_deref().unwrap_or_default(),
                p.name
            )),
        })
        .collect()
}

pub fn create(
    conn: &mut AnyConn,
    registry: &Registry,
    actor: &Actor,
    mut input: SystemInput,
    today: NaiveDate,
) -> Result<SystemView, AppError> {
    if !manages(actor) {
        return Err(AppError::forbidden());
    }
    validate(conn, actor, &mut input, None, None)?;
    let id = db::new_id();
    let now = db::now();
    let facts = facts_with_components(conn, &input.facts, &input.component_ids, 0)?;
    let regime = regime_row(
        registry,
        &id,
        &input,
        &SystemRegimeRow::default_for(&id),
        false,
        today,
    )?;
    let snap = snapshot(registry, &facts, situation(&regime, false), today)?;
    let mut row = SystemRow {
        id: id.clone(),
        organization_id: String::new(),
        name: String::new(),
        description: String::new(),
        kind: None,
        urls_json: "[]".into(),
        hosting_kind: None,
        hosting_provider: None,
        data_in_vietnam: None,
        owner_name: String::new(),
        operator_id: None,
        appraiser_name: None,
        status: String::new(),
        go_live_on: None,
        facts_json: String::new(),
        regime_id: String::new(),
        regime_version: String::new(),
        computed_level: None,
        classification_status: String::new(),
        classification_json: String::new(),
        proposed_level: None,
        proposal_justification: None,
        below_criteria: false,
        approved_level: None,
        approval_decision_number: None,
        approval_decision_date: None,
        redetermination_required: false,
        redetermination_reason: None,
        search_key: String::new(),
        created_at: now,
        updated_at: now,
    };
    fill(&mut row, &input)?;
    apply(
        &mut row,
        &snap,
        input.proposed_level,
        input.proposal_justification.clone(),
    )?;
    let scope = organizations::find(conn, &row.organization_id)?
        .map(|o| o.path)
        .unwrap_or_default();
    // Everything that only reads happens before the write transaction: on SQLite the writers
    // of the process take turns, so what runs inside it bounds how many creates a second
    // can commit.
    let products = products_rows(&id, &input.products);
    let view = view_from(
        &row,
        ViewParts {
            contacts: repo::users_as_contacts(conn, &input.contact_ids)?,
            products: products.clone(),
            component_ids: input.component_ids.clone(),
            regime: regime.clone(),
        },
    )?;
    let after = audit_snapshot(&view);
    write_tx(conn, |conn| {
        repo::insert(conn, &row)?;
        system_regimes::save(conn, &regime)?;
        repo::add_contacts(conn, &id, &input.contact_ids)?;
        repo::add_products(conn, &products)?;
        repo::add_components(conn, &id, &input.component_ids)?;
        audit::record(
            conn,
            actor,
            Change {
                entity_type: "system",
                entity_id: &id,
                action: "create",
                before: None,
                after,
                scope_path: &scope,
            },
        )?;
        Ok(view)
    })
}

/// The record as input, for a partial change.
pub fn current_input(conn: &mut AnyConn, row: &SystemRow) -> Result<SystemInput, AppError> {
    let regime = system_regimes::find(conn, &row.id)?;
    let explicit = row
        .proposed_level
        .filter(|p| Some(*p) != row.computed_level || row.proposal_justification.is_some());
    Ok(SystemInput {
        organization_id: row.organization_id.clone(),
        name: row.name.clone(),
        description: row.description.clone(),
        kind: row.kind.clone(),
        urls: serde_json::from_str(&row.urls_json).unwrap_or_default(),
        hosting_kind: row.hosting_kind.as_deref().and_then(HostingKind::parse),
        hosting_provider: row.hosting_provider.clone(),
        data_in_vietnam: row.data_in_vietnam,
        owner_name: row.owner_name.clone(),
        operator_id: row.operator_id.clone(),
        appraiser_name: row.appraiser_name.clone(),
        status: SystemStatus::parse(&row.status).unwrap_or(SystemStatus::InOperation),
        go_live_on: row.go_live_on,
        contact_ids: repo::contacts(conn, &row.id)?
            .into_iter()
            .map(|c| c.0)
            .collect(),
        products: repo::products(conn, &row.id)?
            .into_iter()
            .map(|p| Product {
                name: p.name,
                vendor: p.vendor,
                version: p.version,
            })
            .collect(),
        facts: serde_json::from_str(&row.facts_json).map_err(AppError::internal)?,
        component_ids: repo::components(conn, &row.id)?,
        proposed_level: explicit.and_then(|p| u8::try_from(p).ok()),
        proposal_justification: row.proposal_justification.clone(),
        investment_before_law: regime.investment_before_law,
        chosen_regime: regime.chosen_regime,
    })
}

pub fn find_visible(conn: &mut AnyConn, actor: &Actor, id: &str) -> Result<SystemRow, AppError> {
    repo::find_in_scope(conn, &actor.scope_path, id)?.ok_or_else(AppError::not_found)
}

/// Applies `change` to the current record, re-classifies, and re-classifies every system
/// that has this one among its components.
pub fn update(
    conn: &mut AnyConn,
    registry: &Registry,
    actor: &Actor,
    id: &str,
    change: impl FnOnce(&mut SystemInput) -> Result<(), AppError>,
    today: NaiveDate,
) -> Result<SystemView, AppError> {
    let current = find_visible(conn, actor, id)?;
    if !may_edit(conn, actor, &current)? {
        return Err(AppError::forbidden());
    }
    let mut input = current_input(conn, &current)?;
    let original = input.clone();
    let before_org = (input.organization_id.clone(), input.operator_id.clone());
    change(&mut input)?;
    if actor.role == Role::Operator
        && (input.organization_id.clone(), input.operator_id.clone()) != before_org
    {
        return Err(AppError::Forbidden(
            "Đơn vị vận hành không được đổi đơn vị quản lý hoặc đơn vị vận hành của hệ thống"
                .into(),
        ));
    }
    validate(conn, actor, &mut input, Some(id), Some(&original))?;
    let facts = facts_with_components(conn, &input.facts, &input.component_ids, 0)?;
    let approved = current.approved_level.is_some();
    let stored = system_regimes::find(conn, id)?;
    let regime = regime_row(registry, id, &input, &stored, approved, today)?;
    let snap = snapshot(registry, &facts, situation(&regime, approved), today)?;
    let mut row = current.clone();
    fill(&mut row, &input)?;
    apply(
        &mut row,
        &snap,
        input.proposed_level,
        input.proposal_justification.clone(),
    )?;
    row.updated_at = db::now();
    let scope = organizations::find(conn, &row.organization_id)?
        .map(|o| o.path)
        .unwrap_or_default();
    write_tx(conn, |conn| {
        let before = view(conn, &current)?;
        // A new owner takes the system's compliance figures with it.
        let moved = current.organization_id != row.organization_id;
        if moved {
            super::compliance::roll_out_system(conn, id)?;
        }
        repo::update(conn, &row)?;
        if moved {
            super::compliance::roll_in_system(conn, id)?;
        }
        super::compliance::sync_system(conn, registry, actor, &row)?;
        system_regimes::save(conn, &regime)?;
        repo::set_contacts(conn, id, &input.contact_ids)?;
        repo::set_products(conn, id, &products_rows(id, &input.products))?;
        repo::set_components(conn, id, &input.component_ids)?;
        let after = view(conn, &row)?;
        audit::record(
            conn,
            actor,
            Change {
                entity_type: "system",
                entity_id: id,
                action: "update",
                before: audit_snapshot(&before),
                after: audit_snapshot(&after),
                scope_path: &scope,
            },
        )?;
        reclassify_parents(conn, registry, actor, id, today)?;
        Ok(after)
    })
}

pub fn get(conn: &mut AnyConn, actor: &Actor, id: &str) -> Result<SystemView, AppError> {
    let row = find_visible(conn, actor, id)?;
    view(conn, &row)
}

pub fn list(
    conn: &mut AnyConn,
    actor: &Actor,
    filter: SystemFilter,
    sort: SystemSort,
    page: Page,
) -> Result<(Vec<SystemSummary>, i64), AppError> {
    let filter = SystemFilter {
        search: filter.search.as_deref().map(contains_pattern),
        ..filter
    };
    let (rows, total) = repo::list_in_scope(conn, &actor.scope_path, &filter, sort, page)?;
    Ok((
        rows.into_iter().map(SystemSummary::from_row).collect(),
        total,
    ))
}

pub fn history(
    conn: &mut AnyConn,
    actor: &Actor,
    id: &str,
    page: Page,
) -> Result<(Vec<audit::AuditEntry>, i64), AppError> {
    find_visible(conn, actor, id)?;
    let filter = crate::repo::audit::AuditFilter {
        entity_type: Some("system".into()),
        entity_id: Some(id.to_string()),
        ..Default::default()
    };
    // Everyone who may see the system may see its history: read it with the console's scope.
    audit::list(
        conn,
        &Actor {
            role: Role::Admin,
            scope_path: "/".into(),
            ..actor.clone()
        },
        &filter,
        page,
    )
}

pub(super) fn audit_snapshot(view: &SystemView) -> Option<serde_json::Value> {
    let mut value = audit::snapshot(view)?;
    if let Some(map) = value.as_object_mut() {
        // The full result is recomputable from facts and regime version; keep the audit row small.
        if let Some(c) = map
            .get_mut("classification")
            .and_then(|c| c.as_object_mut())
        {
            c.remove("result");
        }
    }
    Some(value)
}

/// `name`, `level`, `updated`, each with `-` for descending; the default is by name.
pub fn parse_sort(sort: Option<&str>) -> Result<SystemSort, AppError> {
    Ok(match sort.unwrap_or("name") {
        "name" => SystemSort::Name,
        "-name" => SystemSort::NameDesc,
        "level" => SystemSort::Level,
        "-level" => SystemSort::LevelDesc,
        "updated" => SystemSort::Updated,
        "-updated" => SystemSort::UpdatedDesc,
        other => {
            return Err(AppError::field(
                "sort",
                format!(
                "Không sắp xếp được theo `{other}`; dùng name, level, updated (thêm - để giảm dần)"
            ),
            ))
        }
    })
}

/// The regime record the input asks for; a chosen regime must be one the transition allows
/// (the regime in force, or the predecessor for a project under investment before the law).
fn regime_row(
    registry: &Registry,
    id: &str,
    input: &SystemInput,
    stored: &SystemRegimeRow,
    approved: bool,
    today: NaiveDate,
) -> Result<SystemRegimeRow, AppError> {
    let row = SystemRegimeRow {
        system_id: id.to_string(),
        investment_before_law: input.investment_before_law,
        chosen_regime: input
            .chosen_regime
            .as_deref()
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .map(str::to_string),
        ..stored.clone()
    };
    if let Some(chosen) = row.chosen_regime.clone() {
        let allowed = registry.choosable(situation(&row, approved), today);
        if !allowed.iter().any(|p| p.meta.id == chosen) {
            let names: Vec<_> = allowed.iter().map(|p| p.meta.id.as_str()).collect();
            let message = if registry.get(&chosen).is_none() {
                format!(
                    "Không có bộ quy tắc `{chosen}`; chọn một trong: {}",
                    names.join(", ")
                )
            } else {
                format!(
                    "Không thể xác định cấp độ theo `{chosen}`: chỉ dự án đầu tư trước khi Luật An ninh mạng 2025 có hiệu lực, chưa được phê duyệt cấp độ và còn trong thời hạn chuyển tiếp mới được chọn văn bản cũ; chọn một trong: {}",
                    names.join(", ")
                )
            };
            return Err(AppError::field("chosen_regime", message));
        }
    }
    Ok(row)
}
