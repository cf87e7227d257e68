//! What the register shows of a system: the full record and the list row.

use chrono::NaiveDate;
use serde::Serialize;

use super::systems::Product;
use super::utc;
use crate::db::AnyConn;
use crate::domain::system::{HostingKind, SystemStatus, BELOW_CRITERIA_LABEL};
use crate::domain::SystemFacts;
use crate::error::AppError;
use crate::repo::system_regimes::{self, SystemRegimeRow};
use crate::repo::systems::{self as repo, ProductRow, SystemListRow, SystemRow};

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Contact {
    pub id: String,
    pub full_name: String,
    pub email: String,
}

/// The stored classification of a system.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct ClassificationSnapshot {
    pub regime_id: String,
    pub regime_version: String,
    pub level: Option<i32>,
    pub status: String,
    /// The whole result (contract §2) as computed at the last change.
    pub result: serde_json::Value,
}

/// The regime record of a system.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct SystemRegime {
    /// Dự án đầu tư, xây dựng trước ngày 01/07/2026 (Điều 39 khoản 1 NĐ 331).
    pub investment_before_law: bool,
    /// Văn bản được chọn cho dự án chuyển tiếp; null: văn bản đang có hiệu lực.
    pub chosen_regime: Option<String>,
    /// Văn bản và phiên bản bộ quy tắc của quyết định phê duyệt cấp độ.
    pub approved_regime_id: Option<String>,
    pub approved_regime_version: Option<String>,
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct SystemView {
    pub id: String,
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
    pub contacts: Vec<Contact>,
    pub products: Vec<Product>,
    pub component_ids: Vec<String>,
    pub facts: SystemFacts,
    pub classification: ClassificationSnapshot,
    pub proposed_level: Option<i32>,
    pub proposal_justification: Option<String>,
    pub below_criteria: bool,
    /// "Thấp hơn cấp độ xác định theo tiêu chí" when the proposal is below the computed level.
    pub below_criteria_label: Option<String>,
    pub approved_level: Option<i32>,
    pub approval_decision_number: Option<String>,
    pub approval_decision_date: Option<NaiveDate>,
    pub redetermination_required: bool,
    pub redetermination_reason: Option<String>,
    /// What decides the regime of the determination (Law 116 Đ45 k1, NĐ331 Đ39 k1).
    pub transition: SystemRegime,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct SystemSummary {
    pub id: String,
    pub organization_id: String,
    pub name: String,
    pub kind: Option<String>,
    pub operator_id: Option<String>,
    pub status: SystemStatus,
    pub regime_id: String,
    pub computed_level: Option<i32>,
    pub classification_status: String,
    pub proposed_level: Option<i32>,
    pub below_criteria: bool,
    pub approved_level: Option<i32>,
    pub redetermination_required: bool,
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

impl SystemSummary {
    pub fn from_row(r: SystemListRow) -> Self {
        Self {
            status: SystemStatus::parse(&r.status).unwrap_or(SystemStatus::InOperation),
            id: r.id,
            organization_id: r.organization_id,
            name: r.name,
            kind: r.kind,
            operator_id: r.operator_id,
            regime_id: r.regime_id,
            computed_level: r.computed_level,
            classification_status: r.classification_status,
            proposed_level: r.proposed_level,
            below_criteria: r.below_criteria,
            approved_level: r.approved_level,
            redetermination_required: r.redetermination_required,
            updated_at: utc(r.updated_at),
        }
    }
}

/// What a system's view shows besides its own row.
pub struct ViewParts {
    /// (user id, full name, email) of each contact.
    pub contacts: Vec<(String, String, String)>,
    pub products: Vec<ProductRow>,
    pub component_ids: Vec<String>,
    pub regime: SystemRegimeRow,
}

impl ViewParts {
    pub fn load(conn: &mut AnyConn, system_id: &str) -> Result<Self, AppError> {
        Ok(Self {
            contacts: repo::contacts(conn, system_id)?,
            products: repo::products(conn, system_id)?,
            component_ids: repo::components(conn, system_id)?,
            regime: system_regimes::find(conn, system_id)?,
        })
    }
}

pub fn view(conn: &mut AnyConn, row: &SystemRow) -> Result<SystemView, AppError> {
    view_from(row, ViewParts::load(conn, &row.id)?)
}

/// The view of a row and its parts, without reading anything: a create builds it before its
/// transaction, so the write lock is held only for the writes. Lists are sorted here, by
/// code point, so the view is the same whichever database collation would have sorted them.
pub fn view_from(row: &SystemRow, parts: ViewParts) -> Result<SystemView, AppError> {
    let ViewParts {
        mut contacts,
        mut products,
        mut component_ids,
        regime: r,
    } = parts;
    contacts.sort_by(|a, b| (&a.1, &a.0).cmp(&(&b.1, &b.0)));
    products.sort_by(|a, b| (&a.name, &a.id).cmp(&(&b.name, &b.id)));
    component_ids.sort();
    Ok(SystemView {
        id: row.id.clone(),
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
        contacts: contacts
            .into_iter()
            .map(|(id, full_name, email)| Contact {
                id,
                full_name,
                email,
            })
            .collect(),
        products: products
            .into_iter()
            .map(|p| Product {
                name: p.name,
                vendor: p.vendor,
                version: p.version,
            })
            .collect(),
        component_ids,
        facts: serde_json::from_str(&row.facts_json).map_err(AppError::internal)?,
        classification: ClassificationSnapshot {
            regime_id: row.regime_id.clone(),
            regime_version: row.regime_version.clone(),
            level: row.computed_level,
            status: row.classification_status.clone(),
            result: serde_json::from_str(&row.classification_json)
                .unwrap_or(serde_json::Value::Null),
        },
        proposed_level: row.proposed_level,
        proposal_justification: row.proposal_justification.clone(),
        below_criteria: row.below_criteria,
        below_criteria_label: row.below_criteria.then(|| BELOW_CRITERIA_LABEL.to_string()),
        approved_level: row.approved_level,
        approval_decision_number: row.approval_decision_number.clone(),
        approval_decision_date: row.approval_decision_date,
        redetermination_required: row.redetermination_required,
        redetermination_reason: row.redetermination_reason.clone(),
        transition: {
            SystemRegime {
                investment_before_law: r.investment_before_law,
                chosen_regime: r.chosen_regime,
                approved_regime_id: r
                    .approved_regime_id
                    .filter(|_| row.approved_level.is_some()),
                approved_regime_version: r
                    .approved_regime_version
                    .filter(|_| row.approved_level.is_some()),
            }
        },
        created_at: utc(row.created_at),
        updated_at: utc(row.updated_at),
    })
}
