//! Level-proposal dossiers: creating one for a system with the checklist of its regime pack,
//! reading it with its checklist and timeline (completing components is in
//! `dossier_components`). The workflow (submission, receipt, appraisal, approval) is in
//! `dossier_workflow`.

use chrono::NaiveDate;

use super::audit::{self, Change};
use super::dossier_access::find_with_sides;
use super::dossier_multi::{check_extras, rows as multi_rows};
use super::dossier_routing::authority;
use super::dossier_views::{audit_summary, view, DossierView};
use super::dossier_workflow::{record_step, StepDoc};

pub use super::dossier_components::{update_component, ComponentChanges};
use super::system_classification::facts_with_components;
use super::systems::{find_visible as find_system, may_edit};
use super::Actor;
use crate::db::{self, write_tx, AnyConn};
use crate::domain::dossier::{ComponentStatus, DossierKind, DossierStatus};
use crate::domain::SystemFacts;
use crate::error::AppError;
use crate::repo::dossiers::{self as repo, ComponentRow, DossierRow};
use crate::repo::organizations;
use crate::repo::systems::{self as systems_repo, SystemRow};
use crate::rules::dossier::DossierStep;
use crate::rules::schema::FactView;
use crate::rules::{Registry, RulePack};

/// The steps whose components make up a dossier's checklist, in workflow order.
const CHECKLIST_STEPS: [DossierStep; 3] = [
    DossierStep::Proposal,
    DossierStep::Appraisal,
    DossierStep::Approval,
];

/// What the caller asks for when opening a dossier.
#[derive(Clone, Debug, Default)]
pub struct NewDossier {
    /// Must equal the system's proposed level when given (the system holds the proposal).
    pub proposed_level: Option<u8>,
    /// Further systems of the same owner, where the regime allows one dossier for several
    /// (NĐ 331 Đ22 k4 a).
    pub systems: Vec<String>,
}

pub(super) fn status_of(row: &DossierRow) -> Result<DossierStatus, AppError> {
    DossierStatus::parse(&row.status)
        .ok_or_else(|| AppError::internal(anyhow::anyhow!("unknown dossier status {}", row.status)))
}

fn step_id(step: DossierStep) -> &'static str {
    match step {
        DossierStep::Proposal => "proposal",
        DossierStep::Appraisal => "appraisal",
        DossierStep::Approval => "approval",
        DossierStep::Reporting => "reporting",
    }
}

pub(super) fn step_of(row: &ComponentRow) -> DossierStep {
    DossierStep::parse(&row.step).unwrap_or(DossierStep::Proposal)
}

/// Whether the pack asks for an appraisal document at this dossier's level: then approval
/// must follow an appraisal opinion.
pub(super) fn appraisal_in_pack(components: &[ComponentRow]) -> bool {
    components
        .iter()
        .any(|c| c.required && step_of(c) == DossierStep::Appraisal)
}

/// A dossier visible to the actor (404 otherwise): the subtree that sees its system sees it,
/// and so do the appraising and approving units it was sent to (`dossier_access`). Writes
/// check the side as well: only the owner side edits components.
pub(super) fn find_visible(
    conn: &mut AnyConn,
    actor: &Actor,
    id: &str,
) -> Result<(DossierRow, SystemRow), AppError> {
    let (row, system, _) = find_with_sides(conn, actor, id)?;
    Ok((row, system))
}

/// The view with the authority of the pack and, for a draft, the units it would go to today.
pub(super) fn full_view(
    conn: &mut AnyConn,
    registry: &Registry,
    row: &DossierRow,
    system: &SystemRow,
    today: NaiveDate,
) -> Result<DossierView, AppError> {
    let mut v = view(conn, registry, row, system)?;
    v.authority = authority(conn, registry, row, system, today)?;
    Ok(v)
}

pub(super) fn scope_of(conn: &mut AnyConn, row: &DossierRow) -> Result<String, AppError> {
    Ok(organizations::find(conn, &row.organization_id)?
        .map(|o| o.path)
        .unwrap_or_default())
}

/// The level whose procedure applies: the proposed one, unless an escalation of the pack
/// moves the system to a higher procedure (e.g. NĐ331 Đ20 k4).
pub(super) fn procedure_level(
    conn: &mut AnyConn,
    pack: &RulePack,
    system: &SystemRow,
    proposed: u8,
) -> Result<u8, AppError> {
    let own: SystemFacts = serde_json::from_str(&system.facts_json).map_err(AppError::internal)?;
    let component_ids = systems_repo::components(conn, &system.id)?;
    let facts = facts_with_components(conn, &own, &component_ids, 0)?;
    let view = FactView::new(&facts, |kind, id| pack.vocabulary.code(kind, id));
    Ok(pack
        .escalations
        .iter()
        .find(|e| e.from_levels.contains(&proposed) && e.condition.holds(&view))
        .map_or(proposed, |e| e.to_level))
}

pub fn create(
    conn: &mut AnyConn,
    registry: &Registry,
    actor: &Actor,
    system_id: &str,
    input: NewDossier,
    today: NaiveDate,
) -> Result<DossierView, AppError> {
    // The check for an open dossier and the insert share one write transaction.
    write_tx(conn, |conn| {
        create_in_tx(conn, registry, actor, system_id, input, today)
    })
}

fn create_in_tx(
    conn: &mut AnyConn,
    registry: &Registry,
    actor: &Actor,
    system_id: &str,
    input: NewDossier,
    today: NaiveDate,
) -> Result<DossierView, AppError> {
    let system = find_system(conn, actor, system_id)?;
    if !may_edit(conn, actor, &system)? {
        return Err(AppError::forbidden());
    }
    let pack = registry.get(&system.regime_id).ok_or_else(|| {
        AppError::Conflict(format!(
            "Không có bộ quy tắc `{}` của hệ thống để lập danh mục hồ sơ",
            system.regime_id
        ))
    })?;
    let spec = pack.dossier.as_ref().ok_or_else(|| {
        AppError::Conflict(format!(
            "{} chưa có quy định về thành phần hồ sơ trong bộ quy tắc",
            pack.meta.title
        ))
    })?;
    let proposed = system
        .proposed_level
        .and_then(|l| u8::try_from(l).ok())
        .ok_or_else(|| {
            AppError::Conflict(
                "Hệ thống chưa có cấp độ đề xuất: hãy bổ sung dữ kiện để xác định cấp độ trước khi lập hồ sơ".into(),
            )
        })?;
    if let Some(level) = input.proposed_level.filter(|l| *l != proposed) {
        return Err(AppError::field(
            "proposed_level",
            format!("Cấp độ đề xuất của hồ sơ ({level}) phải là cấp độ đề xuất của hệ thống (cấp độ {proposed}); hãy sửa cấp độ đề xuất của hệ thống trước"),
        ));
    }
    let open = repo::open_for_system(conn, &system.id)?
        .into_iter()
        .map(|d| d.id)
        .chain(repo::open_holding(conn, &system.id)?);
    if let Some(open) = open.into_iter().next() {
        return Err(AppError::Conflict(format!(
            "Hệ thống đã có một hồ sơ đề xuất cấp độ chưa được phê duyệt (mã {open}); hãy hoàn tất hồ sơ đó trước khi lập hồ sơ mới"
        )));
    }
    let extras = check_extras(conn, actor, pack, spec, &system, &input.systems)?;
    // The checklist follows the highest procedure level among the systems.
    let mut level = procedure_level(conn, pack, &system, proposed)?;
    for (other, proposed) in &extras {
        level = level.max(procedure_level(conn, pack, other, *proposed)?);
    }
    let now = db::now();
    let id = db::new_id();
    let components: Vec<ComponentRow> = CHECKLIST_STEPS
        .iter()
        .flat_map(|step| spec.components(level, *step))
        .enumerate()
        .map(|(i, c)| ComponentRow {
            dossier_id: id.clone(),
            component_id: c.id.clone(),
            position: i32::try_from(i).unwrap_or(i32::MAX),
            step: step_id(c.step).into(),
            required: c.required,
            title: c.title.clone(),
            citation: c.citation.clone(),
            status: ComponentStatus::Missing.as_str().into(),
            document_number: None,
            document_date: None,
            note: None,
            updated_by: actor.user_id.clone(),
            updated_at: now,
        })
        .collect();
    if components.is_empty() {
        return Err(AppError::Conflict(format!(
            "{} không quy định thành phần hồ sơ nào cho cấp độ {level}",
            pack.meta.title
        )));
    }
    let kind = if system.approved_level.is_some() {
        DossierKind::Redetermination
    } else {
        DossierKind::First
    };
    let row = DossierRow {
        id: id.clone(),
        system_id: system.id.clone(),
        organization_id: system.organization_id.clone(),
        kind: kind.as_str().into(),
        proposed_level: i32::from(proposed),
        procedure_level: i32::from(level),
        regime_id: pack.meta.id.clone(),
        regime_version: pack.meta.version.clone(),
        status: DossierStatus::Draft.as_str().into(),
        submission_number: None,
        submission_date: None,
        submission_recipient: None,
        received_on: None,
        appraisal_started_on: None,
        appraisal_opinion: None,
        appraisal_number: None,
        appraisal_date: None,
        decision_number: None,
        decision_date: None,
        approved_level: None,
        created_by: actor.user_id.clone(),
        created_at: now,
        updated_at: now,
        appraiser_unit_id: None,
        appraiser_unit_name: None,
        approver_unit_id: None,
        approver_unit_name: None,
        clock_step: None,
        clock_started_on: None,
        clock_due_on: None,
    };
    let scope = scope_of(conn, &row)?;
    {
        repo::insert(conn, &row)?;
        repo::insert_components(conn, &components)?;
        repo::insert_systems(conn, &multi_rows(&row.id, &extras))?;
        record_step(
            conn,
            actor,
            &row.id,
            None,
            DossierStatus::Draft,
            today,
            StepDoc::default(),
        )?;
        let view = full_view(conn, registry, &row, &system, today)?;
        audit::record(
            conn,
            actor,
            Change {
                entity_type: "dossier",
                entity_id: &row.id,
                action: "create",
                before: None,
                after: Some(audit_summary(&view)),
                scope_path: &scope,
            },
        )?;
        Ok(view)
    }
}

/// A dossier as the actor sees it (owner side, or the unit it was sent to), with its
/// authority; `today` dates the preview of a draft's routing.
pub fn get(
    conn: &mut AnyConn,
    registry: &Registry,
    actor: &Actor,
    id: &str,
    today: NaiveDate,
) -> Result<DossierView, AppError> {
    let (row, system) = find_visible(conn, actor, id)?;
    full_view(conn, registry, &row, &system, today)
}
