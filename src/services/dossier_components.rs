//! Completing one component of a dossier's checklist: status, document number, date, note —
//! by the owner side only, in the statuses that allow it.

use chrono::NaiveDate;

use super::audit::{self, Change};
use super::dossier_access::find_with_sides;
use super::dossier_views::{component_view, DossierView};
use super::dossiers::{full_view, scope_of, status_of, step_of};
use super::systems::may_edit;
use super::Actor;
use crate::db::{self, write_tx, AnyConn};
use crate::domain::document_number::DocNumber;
use crate::domain::dossier::{ComponentStatus, DossierStatus};
use crate::error::{AppError, FieldErrors};
use crate::repo::dossiers as repo;
use crate::rules::dossier::DossierStep;
use crate::rules::Registry;

/// A change to one component of the checklist; `None` leaves a field as it is, `Some(None)`
/// clears it.
#[derive(Clone, Debug, Default)]
pub struct ComponentChanges {
    pub status: Option<ComponentStatus>,
    pub document_number: Option<Option<String>>,
    pub document_date: Option<Option<NaiveDate>>,
    pub note: Option<Option<String>>,
}

/// Completes one component: its status, document number ("số/ký hiệu"), date and note.
pub fn update_component(
    conn: &mut AnyConn,
    registry: &Registry,
    actor: &Actor,
    id: &str,
    component: &str,
    changes: ComponentChanges,
    today: NaiveDate,
) -> Result<DossierView, AppError> {
    write_tx(conn, |conn| {
        update_component_in_tx(conn, registry, actor, id, component, changes, today)
    })
}

fn update_component_in_tx(
    conn: &mut AnyConn,
    registry: &Registry,
    actor: &Actor,
    id: &str,
    component: &str,
    changes: ComponentChanges,
    today: NaiveDate,
) -> Result<DossierView, AppError> {
    let (row, system, sides) = find_with_sides(conn, actor, id)?;
    // The appraising unit sees the dossier but its documents stay the owner's.
    if !sides.owner || !may_edit(conn, actor, &system)? {
        return Err(AppError::forbidden());
    }
    let components = repo::components(conn, id)?;
    let current = components
        .iter()
        .find(|c| c.component_id == component)
        .cloned()
        .ok_or_else(|| AppError::NotFound(format!("Hồ sơ không có thành phần `{component}`")))?;
    let status = status_of(&row)?;
    let editable = match step_of(&current) {
        DossierStep::Proposal => status.open_for_completion(),
        DossierStep::Appraisal => {
            matches!(
                status,
                DossierStatus::UnderAppraisal | DossierStatus::Appraised
            )
        }
        _ => status != DossierStatus::Approved,
    };
    if !editable {
        return Err(AppError::Conflict(format!(
            "Không thể sửa thành phần “{}” khi hồ sơ ở trạng thái “{}”{}",
            current.title,
            status.label(),
            if step_of(&current) == DossierStep::Proposal {
                ": hồ sơ đã gửi chỉ được hoàn thiện khi được trả lại"
            } else {
                ""
            }
        )));
    }
    let mut next = current.clone();
    let mut errors = FieldErrors::new();
    if let Some(s) = changes.status {
        next.status = s.as_str().into();
    }
    if let Some(number) = changes.document_number {
        next.document_number = match number.as_deref().map(str::trim).filter(|n| !n.is_empty()) {
            None => None,
            Some(n) => match DocNumber::parse(n) {
                Ok(n) => Some(n.into_string()),
                Err(message) => {
                    errors.insert("document_number".into(), vec![message]);
                    None
                }
            },
        };
    }
    if let Some(date) = changes.document_date {
        if date.is_some_and(|d| d > today) {
            errors.insert(
                "document_date".into(),
                vec!["Ngày văn bản không được sau hôm nay".into()],
            );
        }
        next.document_date = date;
    }
    if let Some(note) = changes.note {
        let note = note.map(|n| n.trim().to_string()).filter(|n| !n.is_empty());
        if note.as_ref().is_some_and(|n| n.chars().count() > 2000) {
            errors.insert("note".into(), vec!["Ghi chú dài tối đa 2000 ký tự".into()]);
        }
        next.note = note;
    }
    if !errors.is_empty() {
        return Err(AppError::fields(errors));
    }
    next.updated_by = actor.user_id.clone();
    next.updated_at = db::now();
    let scope = scope_of(conn, &row)?;
    let mut updated = row.clone();
    updated.updated_at = next.updated_at;
    if repo::update_if_status(conn, &updated, &row.status)? == 0 {
        return Err(AppError::Conflict(
            "Hồ sơ vừa được chuyển bước; vui lòng tải lại trang và thử lại".into(),
        ));
    }
    {
        repo::update_component(conn, &next)?;
        audit::record(
            conn,
            actor,
            Change {
                entity_type: "dossier",
                entity_id: id,
                action: "update_component",
                before: audit::snapshot(&component_view(current)),
                after: audit::snapshot(&component_view(next)),
                scope_path: &scope,
            },
        )?;
        full_view(conn, registry, &updated, &system, today)
    }
}
