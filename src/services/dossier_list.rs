//! The list of dossiers an actor sees: those of its own systems (owner side) and those sent to
//! its unit for appraisal or approval ("Hồ sơ gửi thẩm định"), as narrow rows.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::systems::manages;
use super::{utc, Actor};
use crate::db::AnyConn;
use crate::domain::dossier::DossierStatus;
use crate::error::AppError;
use crate::repo::dossiers::{self as repo, DossierFilter, ListSide};
use crate::repo::systems::scope_ids;
use crate::repo::Page;

/// Phía của người xem đối với hồ sơ.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ListRole {
    /// Hồ sơ của các hệ thống thuộc đơn vị mình.
    Owner,
    /// Hồ sơ được gửi tới đơn vị mình để thẩm định hoặc phê duyệt.
    Appraiser,
}

/// Một dòng của danh sách hồ sơ.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct DossierRowView {
    pub id: String,
    pub system_id: String,
    pub system_name: String,
    /// Số hệ thống của hồ sơ (hơn 1 khi hồ sơ gồm danh mục nhiều hệ thống).
    pub systems_count: usize,
    pub organization_id: String,
    pub organization_name: String,
    pub proposed_level: i32,
    pub procedure_level: i32,
    pub regime_id: String,
    pub status: DossierStatus,
    pub status_label: String,
    pub submission_number: Option<String>,
    pub submission_date: Option<NaiveDate>,
    pub received_on: Option<NaiveDate>,
    pub appraiser_unit_id: Option<String>,
    pub appraiser_unit_name: Option<String>,
    pub approver_unit_id: Option<String>,
    pub approver_unit_name: Option<String>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct DossierList {
    pub items: Vec<DossierRowView>,
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
}

/// Parses `status=submitted,received` (empty: every status).
pub fn parse_statuses(raw: Option<&str>) -> Result<Vec<DossierStatus>, AppError> {
    raw.unwrap_or_default()
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| {
            DossierStatus::parse(s).ok_or_else(|| {
                AppError::field(
                    "status",
                    format!("Trạng thái `{s}` không hợp lệ (draft, submitted, received, returned, under_appraisal, appraised, approved)"),
                )
            })
        })
        .collect()
}

/// What a list is narrowed to besides the actor's scope.
#[derive(Clone, Debug, Default)]
pub struct ListQuery {
    /// Without it, both sides; the appraiser side is for security officers and admins only.
    pub role: Option<ListRole>,
    /// Empty: every status.
    pub statuses: Vec<DossierStatus>,
    /// Only the dossiers that hold this system (first or further system of the dossier).
    pub system_id: Option<String>,
}

/// The dossiers visible to the actor, newest change first.
pub fn list(
    conn: &mut AnyConn,
    actor: &Actor,
    query: &ListQuery,
    page: Page,
) -> Result<DossierList, AppError> {
    let role = query.role;
    let side = match role {
        Some(ListRole::Owner) => ListSide::Owner,
        Some(ListRole::Appraiser) if !manages(actor) => return Err(AppError::Forbidden(
            "Chỉ cán bộ chuyên trách và quản trị của đơn vị thẩm định xem được hồ sơ gửi thẩm định"
                .into(),
        )),
        Some(ListRole::Appraiser) => ListSide::Appraiser,
        None if manages(actor) => ListSide::Either,
        None => ListSide::Owner,
    };
    let filter = DossierFilter {
        side,
        scope: scope_ids(conn, &actor.scope_path)?,
        statuses: query
            .statuses
            .iter()
            .map(|s| s.as_str().to_string())
            .collect(),
        system_id: query
            .system_id
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string),
    };
    let (rows, total, extras) = repo::list(conn, &filter, page)?;
    let items = rows
        .into_iter()
        .map(|(d, system_name, organization_name)| {
            let status = DossierStatus::parse(&d.status).unwrap_or(DossierStatus::Draft);
            DossierRowView {
                systems_count: 1 + extras.iter().filter(|(id, _)| *id == d.id).count(),
                id: d.id,
                system_id: d.system_id,
                system_name,
                organization_id: d.organization_id,
                organization_name,
                proposed_level: d.proposed_level,
                procedure_level: d.procedure_level,
                regime_id: d.regime_id,
                status,
                status_label: status.label().into(),
                submission_number: d.submission_number,
                submission_date: d.submission_date,
                received_on: d.received_on,
                appraiser_unit_id: d.appraiser_unit_id,
                appraiser_unit_name: d.appraiser_unit_name,
                approver_unit_id: d.approver_unit_id,
                approver_unit_name: d.approver_unit_name,
                updated_at: utc(d.updated_at),
            }
        })
        .collect();
    Ok(DossierList {
        items,
        total,
        page: page.number,
        per_page: page.size,
    })
}
