//! Where a dossier goes: the pack says which role appraises and approves at its level, the
//! organisation's authority assignments say which concrete unit, in force on the submission
//! date. The units are stored on the dossier at submission, so later changes do not move it.

use chrono::NaiveDate;
use serde::Serialize;

use super::authorities::{in_force, AuthorityRole};
use crate::db::AnyConn;
use crate::error::AppError;
use crate::repo::dossiers::{self as repo, DossierRow};
use crate::repo::systems::SystemRow;
use crate::rules::dossier::{Dossier, LevelAuthority, Party, Role};
use crate::rules::Registry;

/// Where the concrete unit of a role came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum UnitSource {
    /// An authority assignment of the owner's organisation (or an ancestor).
    Configuration,
    /// Nothing configured: the role the regime names.
    Pack,
}

impl UnitSource {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Configuration => "configuration",
            Self::Pack => "pack",
        }
    }

    fn parse(s: &str) -> Option<Self> {
        match s {
            "configuration" => Some(Self::Configuration),
            "pack" => Some(Self::Pack),
            _ => None,
        }
    }

    fn label(self) -> &'static str {
        match self {
            Self::Configuration => "theo phân công đơn vị thẩm định, phê duyệt của tổ chức",
            Self::Pack => "theo quy định của văn bản (chưa cấu hình đơn vị cụ thể)",
        }
    }
}

/// Đơn vị cụ thể thẩm định hoặc phê duyệt hồ sơ.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct RoutedUnit {
    /// Tổ chức trong capdo, nếu đơn vị làm việc trên capdo.
    pub unit_id: Option<String>,
    pub name: String,
    pub source: UnitSource,
    pub source_label: String,
}

impl RoutedUnit {
    fn new(unit_id: Option<String>, name: String, source: UnitSource) -> Self {
        Self {
            unit_id,
            name,
            source,
            source_label: source.label().into(),
        }
    }
}

/// Thẩm quyền đối với hồ sơ: vai trò theo văn bản (kèm căn cứ) và đơn vị cụ thể.
#[derive(Clone, Debug, Default, Serialize, utoipa::ToSchema)]
pub struct AuthorityView {
    /// Vai trò thẩm định, phê duyệt theo bộ quy tắc ở cấp độ của trình tự.
    pub roles: Option<LevelAuthority>,
    pub appraiser: Option<RoutedUnit>,
    pub approver: Option<RoutedUnit>,
    /// `true` khi đơn vị đã được ghi vào hồ sơ lúc gửi; `false`: đơn vị sẽ áp dụng nếu gửi hôm nay.
    pub stored: bool,
}

fn fallback_name(party: &Party, system: &SystemRow) -> String {
    if let Some(unit) = &party.unit {
        return unit.clone();
    }
    let owner = system.owner_name.trim();
    match party.role {
        Role::SecurityUnit if owner.is_empty() => {
            "Đơn vị chuyên trách của chủ quản hệ thống thông tin".into()
        }
        Role::SecurityUnit => {
            format!("Đơn vị chuyên trách của chủ quản hệ thống thông tin ({owner})")
        }
        Role::Owner if !owner.is_empty() => owner.to_string(),
        Role::Owner => "Chủ quản hệ thống thông tin".into(),
        Role::NationalAppraiser => "Bộ chủ trì thẩm định".into(),
        Role::PrimeMinister => "Thủ tướng Chính phủ".into(),
        Role::OperatingUnit => "Đơn vị vận hành hệ thống thông tin".into(),
    }
}

/// The units for a dossier of `level` of `organization_id`, on `date`.
pub(super) fn route(
    conn: &mut AnyConn,
    spec: Option<&Dossier>,
    system: &SystemRow,
    organization_id: &str,
    level: i32,
    date: NaiveDate,
) -> Result<(Option<RoutedUnit>, Option<RoutedUnit>), AppError> {
    let roles = spec.and_then(|s| u8::try_from(level).ok().and_then(|l| s.authority(l)));
    let configured = |conn: &mut AnyConn, role| -> Result<Option<RoutedUnit>, AppError> {
        Ok(in_force(conn, organization_id, role, level, date)?
            .map(|a| RoutedUnit::new(a.unit_id, a.unit_name, UnitSource::Configuration)))
    };
    let appraiser = match configured(conn, AuthorityRole::Appraiser)? {
        Some(u) => Some(u),
        None => roles
            .map(|r| RoutedUnit::new(None, fallback_name(&r.appraiser, system), UnitSource::Pack)),
    };
    let approver = match configured(conn, AuthorityRole::Approver)? {
        Some(u) => Some(u),
        None => roles.and_then(|r| {
            let first = r.approvers.first()?;
            // Levels 1–2: the unit that appraises also approves (NĐ331 Đ18 k1, NĐ85 Đ12 k1).
            if first.role == r.appraiser.role {
                if let Some(a) = appraiser
                    .as_ref()
                    .filter(|a| a.source == UnitSource::Configuration)
                {
                    return Some(a.clone());
                }
            }
            Some(RoutedUnit::new(
                None,
                fallback_name(first, system),
                UnitSource::Pack,
            ))
        }),
    };
    Ok((appraiser, approver))
}

/// Stores the routed units on the dossier row (the caller saves it) and their sources.
pub(super) fn store(
    conn: &mut AnyConn,
    row: &mut DossierRow,
    appraiser: Option<RoutedUnit>,
    approver: Option<RoutedUnit>,
) -> Result<(), AppError> {
    let source = |u: &Option<RoutedUnit>| u.as_ref().map(|u| u.source.as_str());
    repo::set_unit_sources(conn, &row.id, source(&appraiser), source(&approver))?;
    row.appraiser_unit_id = appraiser.as_ref().and_then(|u| u.unit_id.clone());
    row.appraiser_unit_name = appraiser.map(|u| u.name);
    row.approver_unit_id = approver.as_ref().and_then(|u| u.unit_id.clone());
    row.approver_unit_name = approver.map(|u| u.name);
    Ok(())
}

/// What was stored at submission; `None` before the first submission.
pub(super) fn stored(
    conn: &mut AnyConn,
    row: &DossierRow,
) -> Result<Option<AuthorityView>, AppError> {
    if row.appraiser_unit_name.is_none() && row.approver_unit_name.is_none() {
        return Ok(None);
    }
    let (a_src, b_src) = repo::unit_sources(conn, &row.id)?;
    let unit = |id: &Option<String>, name: &Option<String>, src: Option<String>| {
        name.as_ref().map(|n| {
            let source = src
                .as_deref()
                .and_then(UnitSource::parse)
                .unwrap_or(if id.is_some() {
                    UnitSource::Configuration
                } else {
                    UnitSource::Pack
                });
            RoutedUnit::new(id.clone(), n.clone(), source)
        })
    };
    Ok(Some(AuthorityView {
        roles: None,
        appraiser: unit(&row.appraiser_unit_id, &row.appraiser_unit_name, a_src),
        approver: unit(&row.approver_unit_id, &row.approver_unit_name, b_src),
        stored: true,
    }))
}

/// The authority of a dossier with the pack's roles: what was stored, or, before the first
/// submission, what would apply if it were sent on `today`.
pub(super) fn authority(
    conn: &mut AnyConn,
    registry: &Registry,
    row: &DossierRow,
    system: &SystemRow,
    today: NaiveDate,
) -> Result<AuthorityView, AppError> {
    let spec = registry
        .get(&row.regime_id)
        .and_then(|p| p.dossier.as_ref());
    let roles = spec
        .and_then(|s| {
            u8::try_from(row.procedure_level)
                .ok()
                .and_then(|l| s.authority(l))
        })
        .cloned();
    let mut view = match stored(conn, row)? {
        Some(v) => v,
        None => {
            let (appraiser, approver) = route(
                conn,
                spec,
                system,
                &row.organization_id,
                row.procedure_level,
                today,
            )?;
            AuthorityView {
                roles: None,
                appraiser,
                approver,
                stored: false,
            }
        }
    };
    view.roles = roles;
    Ok(view)
}
