//! The fields a dossier transition reads: which ones each step accepts, the checks of
//! document numbers and dates, collected per field with Vietnamese messages, and what the
//! checklist must hold before a move.

use chrono::NaiveDate;

use super::dossier_workflow::Transition;
use super::dossiers::step_of;
use crate::domain::document_number::DocNumber;
use crate::domain::dossier::{AppraisalOpinion, ComponentStatus, DossierStatus};
use crate::error::{AppError, FieldErrors};
use crate::repo::dossiers::{ComponentRow, DossierRow};
use crate::rules::dossier::DossierStep;

/// The request fields each target status reads; any other field is refused. The single
/// description of a step's fields: the web forms show exactly these, in this order (the
/// return's note comes first, as it is the one it requires).
pub fn fields_for(to: DossierStatus) -> &'static [&'static str] {
    use DossierStatus::*;
    match to {
        Submitted => &["document_number", "document_date", "recipient", "note"],
        Received | UnderAppraisal => &["date", "note"],
        Returned => &["note", "date", "document_number", "document_date"],
        Appraised => &["opinion", "document_number", "document_date", "note"],
        Approved => &["document_number", "document_date", "approved_level", "note"],
        Draft => &[],
    }
}

pub(super) fn given(t: &Transition) -> Vec<&'static str> {
    let mut out = Vec::new();
    let mut push = |present: bool, name| {
        if present {
            out.push(name);
        }
    };
    push(t.document_number.is_some(), "document_number");
    push(t.document_date.is_some(), "document_date");
    push(t.recipient.is_some(), "recipient");
    push(t.date.is_some(), "date");
    push(t.opinion.is_some(), "opinion");
    push(t.approved_level.is_some(), "approved_level");
    push(t.note.is_some(), "note");
    out
}

fn dmy(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

/// Collects the per-field errors of one transition.
pub(super) struct Checks {
    pub errors: FieldErrors,
    pub today: NaiveDate,
}

impl Checks {
    pub fn fail(&mut self, field: &str, message: String) {
        self.errors.entry(field.into()).or_default().push(message);
    }

    pub fn number(&mut self, value: &Option<String>, required: bool, what: &str) -> Option<String> {
        match value.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
            None if required => {
                self.fail(
                    "document_number",
                    format!("Vui lòng nhập số, ký hiệu {what} (ví dụ 2559/SCT-VP)"),
                );
                None
            }
            None => None,
            Some(v) => match DocNumber::parse(v) {
                Ok(n) => Some(n.into_string()),
                Err(message) => {
                    self.fail("document_number", message);
                    None
                }
            },
        }
    }

    /// A date that must be given (or defaults), not after today and not before `after`.
    pub fn date(
        &mut self,
        field: &str,
        value: Option<NaiveDate>,
        default: Option<NaiveDate>,
        after: Option<(NaiveDate, &str)>,
        what: &str,
    ) -> Option<NaiveDate> {
        let Some(d) = value.or(default) else {
            self.fail(field, format!("Vui lòng nhập {what}"));
            return None;
        };
        if d > self.today {
            self.fail(
                field,
                format!("{} không được sau hôm nay", capitalise(what)),
            );
        } else if let Some((earliest, label)) = after.filter(|(e, _)| d < *e) {
            self.fail(
                field,
                format!(
                    "{} không được trước {label} ({})",
                    capitalise(what),
                    dmy(earliest)
                ),
            );
        }
        Some(d)
    }
}

fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// The required components of `steps` that are not complete yet, as a Vietnamese list.
fn missing(components: &[ComponentRow], steps: &[DossierStep]) -> Option<String> {
    let list: Vec<String> = components
        .iter()
        .filter(|c| c.required && steps.contains(&step_of(c)))
        .filter(|c| c.status != ComponentStatus::Complete.as_str())
        .map(|c| format!("“{}” ({})", c.title, c.component_id))
        .collect();
    (!list.is_empty()).then(|| list.join("; "))
}

/// What must be true of the checklist and the opinion before the move (409 otherwise).
pub(super) fn preconditions(
    row: &DossierRow,
    components: &[ComponentRow],
    to: DossierStatus,
    with_appraisal: bool,
) -> Result<(), AppError> {
    match to {
        DossierStatus::Submitted => {
            if let Some(list) = missing(components, &[DossierStep::Proposal]) {
                return Err(AppError::Conflict(format!(
                    "Chưa thể gửi hồ sơ: còn thiếu thành phần bắt buộc {list}"
                )));
            }
        }
        DossierStatus::Approved => {
            let opinion = row
                .appraisal_opinion
                .as_deref()
                .and_then(AppraisalOpinion::parse);
            // Levels 1–2 may skip the appraisal step, but an unfavourable opinion, once
            // recorded, still stops the approval.
            let refused = opinion.map_or(with_appraisal, |o| !o.allows_approval());
            if refused {
                return Err(AppError::Conflict(
                    "Chưa thể phê duyệt: ý kiến thẩm định chưa thống nhất với cấp độ đề xuất; hãy trả lại hồ sơ để hoàn thiện và gửi thẩm định lại".into(),
                ));
            }
            let steps: &[DossierStep] = if with_appraisal {
                &[DossierStep::Appraisal, DossierStep::Approval]
            } else {
                &[DossierStep::Approval]
            };
            if let Some(list) = missing(components, steps) {
                return Err(AppError::Conflict(format!(
                    "Chưa thể phê duyệt: hồ sơ phê duyệt còn thiếu thành phần bắt buộc {list}"
                )));
            }
        }
        _ => {}
    }
    Ok(())
}
