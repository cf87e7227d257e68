//! The dossier workflow: draft → submitted → received → (returned | under appraisal →
//! appraised) → approved, each step checked, recorded on the timeline and audited in one
//! transaction; approval becomes the system's approved level.

use chrono::NaiveDate;

use super::audit::{self, Change};
use super::dossier_access::{acting_for_owner, find_with_sides};
use super::dossier_fields::{fields_for, given, preconditions, Checks};
use super::dossier_multi::approve_extras;
use super::dossier_routing::{authority, route, store};
use super::dossier_views::{audit_summary, view, DossierView};
use super::dossiers::{appraisal_in_pack, scope_of, status_of, step_of};
use super::system_lifecycle::{record_approval, Approval};
use super::systems::{manages, may_edit};
use super::Actor;
use crate::db::{self, write_tx, AnyConn};
use crate::domain::dossier::{AppraisalOpinion, ComponentStatus, DossierStatus};
use crate::error::{AppError, FieldErrors};
use crate::repo::dossiers::{self as repo, ComponentRow, DossierRow, StepRow};
use crate::repo::systems as systems_repo;
use crate::rules::dossier::DossierStep;
use crate::rules::Registry;

/// A requested move of a dossier and the facts it records.
#[derive(Clone, Debug)]
pub struct Transition {
    pub to: DossierStatus,
    /// The letter, opinion or decision: "số/ký hiệu".
    pub document_number: Option<String>,
    pub document_date: Option<NaiveDate>,
    /// The unit the dossier is sent to (submission).
    pub recipient: Option<String>,
    /// The day of a receipt, a return or the start of the appraisal; default today.
    pub date: Option<NaiveDate>,
    pub opinion: Option<AppraisalOpinion>,
    pub approved_level: Option<u8>,
    pub note: Option<String>,
}

pub fn transition(
    conn: &mut AnyConn,
    registry: &Registry,
    actor: &Actor,
    id: &str,
    t: Transition,
    today: NaiveDate,
) -> Result<DossierView, AppError> {
    // Read, check and write in one write transaction (BEGIN IMMEDIATE on SQLite), so two
    // people moving the same dossier cannot both pass the checks.
    write_tx(conn, |conn| {
        transition_in_tx(conn, registry, actor, id, t, today)
    })
}

fn transition_in_tx(
    conn: &mut AnyConn,
    registry: &Registry,
    actor: &Actor,
    id: &str,
    t: Transition,
    today: NaiveDate,
) -> Result<DossierView, AppError> {
    let (row, system, sides) = find_with_sides(conn, actor, id)?;
    // The owner side does everything (on paper for the appraiser's steps); the unit the
    // dossier was sent to records its own steps: receipt, return, appraisal — or the decision.
    let owner = sides.owner && manages(actor);
    let allowed = match t.to {
        DossierStatus::Submitted => sides.owner && may_edit(conn, actor, &system)?,
        DossierStatus::Received
        | DossierStatus::Returned
        | DossierStatus::UnderAppraisal
        | DossierStatus::Appraised => owner || sides.appraiser,
        DossierStatus::Approved => owner || sides.approver,
        DossierStatus::Draft => owner,
    };
    if !allowed {
        return Err(AppError::forbidden());
    }
    let from = status_of(&row)?;
    let mut components = repo::components(conn, id)?;
    let with_appraisal = appraisal_in_pack(&components);
    from.check_transition(t.to, with_appraisal)
        .map_err(AppError::Conflict)?;

    let mut checks = Checks {
        errors: FieldErrors::new(),
        today,
    };
    let accepted = fields_for(t.to);
    for field in given(&t).into_iter().filter(|f| !accepted.contains(f)) {
        checks.fail(
            field,
            format!(
                "Trường này không dùng khi chuyển hồ sơ sang “{}”",
                t.to.label()
            ),
        );
    }
    let note = t.note.as_deref().map(str::trim).filter(|n| !n.is_empty());
    if note.is_some_and(|n| n.chars().count() > 2000) {
        checks.fail("note", "Ghi chú dài tối đa 2000 ký tự".into());
    }
    let mut next = row.clone();
    let mut doc = StepDoc {
        note: note.map(str::to_string),
        ..StepDoc::default()
    };
    let occurred_on;
    let mut approval = None;
    match t.to {
        DossierStatus::Submitted => {
            let number = checks.number(&t.document_number, true, "văn bản gửi hồ sơ");
            let date = checks.date("document_date", t.document_date, None, None, "ngày văn bản gửi hồ sơ");
            // The units in force on the submission date, kept for the life of the dossier (a
            // resubmission after a return goes back to the same units).
            if row.appraiser_unit_name.is_none() && row.approver_unit_name.is_none() {
                let spec = registry.get(&row.regime_id).and_then(|p| p.dossier.as_ref());
                let on = date.unwrap_or(today);
                let (appraiser, approver) =
                    route(conn, spec, &system, &row.organization_id, row.procedure_level, on)?;
                store(conn, &mut next, appraiser, approver)?;
            }
            let recipient = match t.recipient.as_deref() {
                Some(r) => r.trim(),
                None => next.appraiser_unit_name.as_deref().unwrap_or_default(),
            };
            if recipient.is_empty() || recipient.chars().count() > 300 {
                checks.fail("recipient", "Vui lòng nhập đơn vị nhận hồ sơ (tối đa 300 ký tự), ví dụ “Công an tỉnh Đồng Nai”".into());
            }
            next.submission_number = number.clone();
            next.submission_date = date;
            next.submission_recipient = Some(recipient.to_string());
            next.received_on = None;
            doc.number = number;
            doc.date = date;
            occurred_on = date.unwrap_or(today);
        }
        DossierStatus::Received => {
            let after = row.submission_date.map(|d| (d, "ngày văn bản gửi hồ sơ"));
            let date = checks.date("date", t.date, Some(today), after, "ngày tiếp nhận hồ sơ");
            next.received_on = date;
            occurred_on = date.unwrap_or(today);
        }
        DossierStatus::Returned => {
            if note.is_none() {
                checks.fail("note", "Vui lòng ghi rõ nội dung cần bổ sung, hoàn thiện".into());
            }
            let after = row.received_on.map(|d| (d, "ngày tiếp nhận hồ sơ"));
            let date = checks.date("date", t.date, Some(today), after, "ngày trả lại hồ sơ");
            doc.number = checks.number(&t.document_number, false, "văn bản trả lại hồ sơ");
            doc.date = t.document_date.and_then(|d| {
                checks.date("document_date", Some(d), None, None, "ngày văn bản trả lại hồ sơ")
            });
            // A new round needs a new receipt and a new opinion.
            next.received_on = None;
            next.appraisal_started_on = None;
            next.appraisal_opinion = None;
            next.appraisal_number = None;
            next.appraisal_date = None;
            occurred_on = date.unwrap_or(today);
        }
        DossierStatus::UnderAppraisal => {
            let after = row.received_on.map(|d| (d, "ngày tiếp nhận hồ sơ"));
            let date = checks.date("date", t.date, Some(today), after, "ngày bắt đầu thẩm định");
            next.appraisal_started_on = date;
            occurred_on = date.unwrap_or(today);
        }
        DossierStatus::Appraised => {
            if t.opinion.is_none() {
                checks.fail("opinion", "Vui lòng chọn kết luận thẩm định: favourable (thống nhất), favourable_with_conditions (thống nhất, có điều kiện) hoặc unfavourable (chưa thống nhất)".into());
            }
            let number = checks.number(&t.document_number, true, "văn bản ý kiến thẩm định");
            let after = row.received_on.map(|d| (d, "ngày tiếp nhận hồ sơ"));
            let date = checks.date("document_date", t.document_date, None, after, "ngày văn bản ý kiến thẩm định");
            next.appraisal_opinion = t.opinion.map(|o| o.as_str().to_string());
            next.appraisal_number = number.clone();
            next.appraisal_date = date;
            doc.number = number;
            doc.date = date;
            occurred_on = date.unwrap_or(today);
        }
        DossierStatus::Approved => {
            let number = checks.number(&t.document_number, true, "quyết định phê duyệt");
            let after = row
                .appraisal_date
                .map(|d| (d, "ngày văn bản ý kiến thẩm định"))
                .or(row.received_on.map(|d| (d, "ngày tiếp nhận hồ sơ")));
            let date = checks.date("document_date", t.document_date, None, after, "ngày quyết định phê duyệt");
            let level = t
                .approved_level
                .unwrap_or(u8::try_from(row.proposed_level).unwrap_or(0));
            if !(1..=5).contains(&level) {
                checks.fail("approved_level", "Cấp độ được phê duyệt từ 1 đến 5".into());
            }
            next.decision_number = number.clone();
            next.decision_date = date;
            next.approved_level = Some(i32::from(level));
            doc.number = number.clone();
            doc.date = date;
            occurred_on = date.unwrap_or(today);
            if let (Some(number), Some(date)) = (number, date) {
                approval = Some(Approval {
                    level,
                    decision_number: number,
                    decision_date: date,
                    regime: Some(row.regime_id.clone()),
                });
            }
        }
        DossierStatus::Draft => {
            return Err(AppError::Conflict(
                "Hồ sơ không quay lại trạng thái đang lập; hồ sơ được trả lại ở trạng thái “Được trả lại để hoàn thiện”".into(),
            ))
        }
    }
    if !checks.errors.is_empty() {
        return Err(AppError::fields(checks.errors));
    }
    preconditions(&row, &components, t.to, with_appraisal)?;
    if t.to == DossierStatus::Approved {
        let mut covered = vec![(system.id.clone(), system.name.clone())];
        for (extra, name, _) in repo::extra_systems(conn, id)? {
            covered.push((extra.system_id, name));
        }
        super::compliance_gate::check_regulation(conn, registry, &row.regime_id, &covered)?;
    }

    next.status = t.to.as_str().into();
    next.updated_at = db::now();
    super::dossier_clock::apply(&mut next, registry);
    refresh_components(&mut components, &next, t.to, actor);
    let scope = scope_of(conn, &row)?;
    let before = view(conn, registry, &row, &system)?;
    // PostgreSQL reads committed data: the status in the WHERE clause catches a concurrent move.
    if repo::update_if_status(conn, &next, &row.status)? == 0 {
        return Err(AppError::Conflict(
            "Hồ sơ vừa được người khác cập nhật; vui lòng tải lại trang và thử lại".into(),
        ));
    }
    {
        for c in &components {
            repo::update_component(conn, c)?;
        }
        record_step(conn, actor, id, Some(from), t.to, occurred_on, doc)?;
        let system = match approval {
            Some(approval) => {
                // An approving unit outside the owner's subtree records the decision on the
                // owner's systems as itself (the audit names it).
                let acting = acting_for_owner(actor, &scope);
                let (number, date) = (approval.decision_number.clone(), approval.decision_date);
                record_approval(conn, registry, &acting, &row.system_id, approval, today)
                    .map_err(regime_error_on_date)?;
                approve_extras(conn, registry, &acting, &row, &number, date, today)
                    .map_err(regime_error_on_date)?;
                systems_repo::find(conn, &row.system_id)?.ok_or_else(AppError::not_found)?
            }
            None => system.clone(),
        };
        let mut after = view(conn, registry, &next, &system)?;
        after.authority = authority(conn, registry, &next, &system, today)?;
        audit::record(
            conn,
            actor,
            Change {
                entity_type: "dossier",
                entity_id: id,
                action: t.to.as_str(),
                before: Some(audit_summary(&before)),
                after: Some(audit_summary(&after)),
                scope_path: &scope,
            },
        )?;
        Ok(after)
    }
}

/// The approval names the dossier's regime; a decision dated before that regime took effect
/// is a fault of the decision date, the only date the caller gave.
fn regime_error_on_date(err: AppError) -> AppError {
    match err {
        AppError::Validation {
            message,
            mut fields,
        } => {
            if let Some(messages) = fields.remove("regime") {
                fields
                    .entry("document_date".into())
                    .or_default()
                    .extend(messages);
            }
            AppError::Validation { message, fields }
        }
        other => other,
    }
}

/// The appraisal opinion is a component of the approval dossier: recording it completes the
/// appraisal components; a return clears them for the next round.
fn refresh_components(
    components: &mut [ComponentRow],
    after: &DossierRow,
    to: DossierStatus,
    actor: &Actor,
) {
    for c in components
        .iter_mut()
        .filter(|c| step_of(c) == DossierStep::Appraisal)
    {
        match to {
            DossierStatus::Appraised => {
                c.status = ComponentStatus::Complete.as_str().into();
                c.document_number = after.appraisal_number.clone();
                c.document_date = after.appraisal_date;
            }
            DossierStatus::Returned => {
                c.status = ComponentStatus::Missing.as_str().into();
                c.document_number = None;
                c.document_date = None;
            }
            _ => continue,
        }
        c.updated_by = actor.user_id.clone();
        c.updated_at = after.updated_at;
    }
}

/// The document a step rests on, and a note.
#[derive(Clone, Debug, Default)]
pub(super) struct StepDoc {
    pub number: Option<String>,
    pub date: Option<NaiveDate>,
    pub note: Option<String>,
}

pub(super) fn record_step(
    conn: &mut AnyConn,
    actor: &Actor,
    dossier_id: &str,
    from: Option<DossierStatus>,
    to: DossierStatus,
    occurred_on: NaiveDate,
    doc: StepDoc,
) -> Result<(), AppError> {
    repo::insert_step(
        conn,
        &StepRow {
            id: db::new_id(),
            dossier_id: dossier_id.into(),
            from_status: from.map(|s| s.as_str().into()),
            to_status: to.as_str().into(),
            occurred_on,
            document_number: doc.number,
            document_date: doc.date,
            note: doc.note,
            actor_id: actor.user_id.clone(),
            actor_label: actor.label.clone(),
            at: db::now(),
        },
    )?;
    Ok(())
}
