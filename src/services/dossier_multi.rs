//! Dossiers that cover several systems where the regime allows it (NĐ 331 Đ22 k4 a): which
//! further systems may join, their listing on the dossier, and their approval.

use std::collections::HashSet;

use chrono::NaiveDate;
use serde::Serialize;

use super::system_lifecycle::{record_approval, Approval};
use super::systems::{find_visible as find_system, may_edit};
use super::Actor;
use crate::db::AnyConn;
use crate::error::AppError;
use crate::repo::dossiers::{self as repo, DossierRow, DossierSystemRow};
use crate::repo::systems::SystemRow;
use crate::rules::dossier::Dossier;
use crate::rules::{Registry, RulePack};

/// Một hệ thống trong hồ sơ (hệ thống đầu tiên có `position` 0).
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct DossierSystemView {
    pub system_id: String,
    pub name: String,
    pub position: i32,
    /// Cấp độ đề xuất của hệ thống khi lập hồ sơ.
    pub proposed_level: i32,
    /// Cấp độ đã được phê duyệt hiện nay của hệ thống.
    pub approved_level: Option<i32>,
}

/// Một hệ thống có thể đưa thêm vào danh mục của hồ sơ mới.
#[derive(Clone, Debug, Serialize)]
pub struct ExtraChoice {
    pub system_id: String,
    pub name: String,
    pub proposed_level: i32,
}

/// Whether a new dossier of `first` may hold several systems, and which further systems may
/// join it now: those `check_extras` accepts, so the choices offered and the checks at
/// creation are the same.
pub fn eligible_extras(
    conn: &mut AnyConn,
    registry: &Registry,
    actor: &Actor,
    first: &SystemRow,
) -> Result<(bool, Vec<ExtraChoice>), AppError> {
    let Some((pack, spec)) = registry
        .get(&first.regime_id)
        .and_then(|p| p.dossier.as_ref().map(|d| (p, d)))
    else {
        return Ok((false, Vec::new()));
    };
    if !spec.several_systems.allowed {
        return Ok((false, Vec::new()));
    }
    let ids = repo::extra_candidates(
        conn,
        &first.organization_id,
        &first.regime_id,
        &first.id,
        200,
    )?;
    let mut out = Vec::new();
    for id in ids {
        match check_extras(conn, actor, pack, spec, first, std::slice::from_ref(&id)) {
            Ok(found) => out.extend(found.into_iter().map(|(s, level)| ExtraChoice {
                system_id: s.id,
                name: s.name,
                proposed_level: i32::from(level),
            })),
            Err(AppError::Validation { .. }) => {}
            Err(e) => return Err(e),
        }
    }
    Ok((true, out))
}

fn refuse(message: String) -> AppError {
    AppError::field("systems", message)
}

/// The further systems of a new dossier, checked: the regime allows several, and each one is
/// visible and editable, of the same owner organisation and regime, with a proposed level, and
/// in no other open dossier (422 naming `systems` otherwise).
pub(super) fn check_extras(
    conn: &mut AnyConn,
    actor: &Actor,
    pack: &RulePack,
    spec: &Dossier,
    first: &SystemRow,
    ids: &[String],
) -> Result<Vec<(SystemRow, u8)>, AppError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    if !spec.several_systems.allowed {
        return Err(refuse(format!(
            "{} không cho phép lập một hồ sơ cho nhiều hệ thống ({}): hãy lập mỗi hồ sơ cho một hệ thống",
            pack.meta.title, spec.several_systems.citation
        )));
    }
    let mut seen = HashSet::from([first.id.clone()]);
    let mut out = Vec::new();
    for id in ids {
        let id = id.trim();
        if !seen.insert(id.to_string()) {
            return Err(refuse(format!(
                "Hệ thống `{id}` được nêu hai lần hoặc trùng với hệ thống đầu tiên của hồ sơ"
            )));
        }
        let system = match find_system(conn, actor, id) {
            Ok(s) => s,
            Err(AppError::NotFound(_)) => {
                return Err(refuse(format!(
                    "Không tìm thấy hệ thống `{id}` trong phạm vi đơn vị của bạn"
                )))
            }
            Err(e) => return Err(e),
        };
        if !may_edit(conn, actor, &system)? {
            return Err(refuse(format!(
                "Bạn không có quyền lập hồ sơ cho hệ thống “{}”",
                system.name
            )));
        }
        if system.organization_id != first.organization_id {
            return Err(refuse(format!(
                "Hệ thống “{}” thuộc đơn vị chủ quản khác: một hồ sơ chỉ gồm các hệ thống của cùng một đơn vị",
                system.name
            )));
        }
        if system.regime_id != first.regime_id {
            return Err(refuse(format!(
                "Hệ thống “{}” xác định cấp độ theo văn bản khác (`{}`), không thể chung hồ sơ theo {}",
                system.name, system.regime_id, pack.meta.title
            )));
        }
        let Some(level) = system.proposed_level.and_then(|l| u8::try_from(l).ok()) else {
            return Err(refuse(format!(
                "Hệ thống “{}” chưa có cấp độ đề xuất",
                system.name
            )));
        };
        if !repo::open_for_system(conn, &system.id)?.is_empty()
            || !repo::open_holding(conn, &system.id)?.is_empty()
        {
            return Err(refuse(format!(
                "Hệ thống “{}” đã thuộc một hồ sơ đề xuất cấp độ chưa được phê duyệt",
                system.name
            )));
        }
        out.push((system, level));
    }
    Ok(out)
}

pub(super) fn rows(dossier_id: &str, extras: &[(SystemRow, u8)]) -> Vec<DossierSystemRow> {
    extras
        .iter()
        .enumerate()
        .map(|(i, (s, level))| DossierSystemRow {
            dossier_id: dossier_id.to_string(),
            system_id: s.id.clone(),
            position: i32::try_from(i + 1).unwrap_or(i32::MAX),
            proposed_level: i32::from(*level),
        })
        .collect()
}

/// Every system of the dossier, the first one included.
pub(super) fn systems_view(
    conn: &mut AnyConn,
    row: &DossierRow,
    first: &SystemRow,
) -> Result<Vec<DossierSystemView>, AppError> {
    let mut out = vec![DossierSystemView {
        system_id: first.id.clone(),
        name: first.name.clone(),
        position: 0,
        proposed_level: row.proposed_level,
        approved_level: first.approved_level,
    }];
    for (s, name, approved) in repo::extra_systems(conn, &row.id)? {
        out.push(DossierSystemView {
            system_id: s.system_id,
            name,
            position: s.position,
            proposed_level: s.proposed_level,
            approved_level: approved,
        });
    }
    Ok(out)
}

/// The decision approves the further systems at their proposed level (the request's
/// `approved_level` is the first system's); each approval clears the re-determination flag.
pub(super) fn approve_extras(
    conn: &mut AnyConn,
    registry: &Registry,
    actor: &Actor,
    row: &DossierRow,
    decision_number: &str,
    decision_date: NaiveDate,
    today: NaiveDate,
) -> Result<(), AppError> {
    for (s, _, _) in repo::extra_systems(conn, &row.id)? {
        let approval = Approval {
            level: u8::try_from(s.proposed_level).unwrap_or(0),
            decision_number: decision_number.to_string(),
            decision_date,
            regime: Some(row.regime_id.clone()),
        };
        record_approval(conn, registry, actor, &s.system_id, approval, today)?;
    }
    Ok(())
}
