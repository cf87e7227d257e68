//! The dossier page's forms as typed (a checklist component, a workflow step), kept as text so
//! that nothing is lost when a form comes back with an error, and their reading into the
//! service's `ComponentChanges` and `Transition`.

use chrono::NaiveDate;

use crate::domain::dossier::{AppraisalOpinion, ComponentStatus, DossierStatus};
use crate::error::FieldErrors;
use crate::services::dossier_views::ComponentView;
use crate::services::dossier_workflow::Transition;
use crate::services::dossiers::ComponentChanges;

fn fail(errors: &mut FieldErrors, field: &str, message: &str) {
    errors
        .entry(field.to_string())
        .or_default()
        .push(message.to_string());
}

fn text(raw: &str) -> Option<String> {
    Some(raw.trim().to_string()).filter(|t| !t.is_empty())
}

/// `yyyy-mm-dd` (date picker) or `dd/mm/yyyy` (typed by hand); empty is `None`.
fn date(errors: &mut FieldErrors, field: &str, raw: &str) -> Option<NaiveDate> {
    let raw = raw.trim();
    if raw.is_empty() {
        return None;
    }
    let parsed = NaiveDate::parse_from_str(raw, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(raw, "%d/%m/%Y"))
        .ok();
    if parsed.is_none() {
        fail(
            errors,
            field,
            "Ngày không hợp lệ; nhập theo dạng ngày/tháng/năm, ví dụ 03/11/2026",
        );
    }
    parsed
}

/// The value a date field shows: what the date picker reads (`yyyy-mm-dd`).
pub fn date_value(d: Option<NaiveDate>) -> String {
    d.map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_default()
}

/// One component of the checklist, as typed.
#[derive(Clone, Debug, Default)]
pub struct ComponentForm {
    pub csrf_token: String,
    pub status: String,
    pub document_number: String,
    pub document_date: String,
    pub note: String,
}

impl ComponentForm {
    /// Reads an `application/x-www-form-urlencoded` body; unknown fields are ignored.
    pub fn parse(body: &[u8]) -> Self {
        let mut f = Self::default();
        for (key, value) in url::form_urlencoded::parse(body) {
            let slot = match key.as_ref() {
                "csrf_token" => &mut f.csrf_token,
                "status" => &mut f.status,
                "document_number" => &mut f.document_number,
                "document_date" => &mut f.document_date,
                "note" => &mut f.note,
                _ => continue,
            };
            *slot = value.into_owned();
        }
        f
    }

    /// The stored component, to fill its form.
    pub fn from_view(c: &ComponentView) -> Self {
        Self {
            csrf_token: String::new(),
            status: c.status.as_str().to_string(),
            document_number: c.document_number.clone().unwrap_or_default(),
            document_date: date_value(c.document_date),
            note: c.note.clone().unwrap_or_default(),
        }
    }

    /// Every field is sent: an emptied field clears the stored value.
    pub fn to_changes(&self) -> (ComponentChanges, FieldErrors) {
        let mut errors = FieldErrors::new();
        let status = ComponentStatus::parse(self.status.trim());
        if status.is_none() {
            fail(
                &mut errors,
                "status",
                "Vui lòng chọn tình trạng của thành phần trong danh sách",
            );
        }
        let changes = ComponentChanges {
            status,
            document_number: Some(text(&self.document_number)),
            document_date: Some(date(&mut errors, "document_date", &self.document_date)),
            note: Some(text(&self.note)),
        };
        (changes, errors)
    }
}

/// One workflow step, as typed; which fields a step shows is `fields_of`.
#[derive(Clone, Debug, Default)]
pub struct TransitionForm {
    pub csrf_token: String,
    pub to: String,
    pub document_number: String,
    pub document_date: String,
    pub recipient: String,
    pub date: String,
    pub opinion: String,
    pub approved_level: String,
    pub note: String,
}

/// The fields the form of each step shows: the ones the service reads for it, from the
/// service's own description so the two cannot drift.
pub use crate::services::dossier_fields::fields_for as fields_of;

impl TransitionForm {
    pub fn parse(body: &[u8]) -> Self {
        let mut f = Self::default();
        for (key, value) in url::form_urlencoded::parse(body) {
            let slot = match key.as_ref() {
                "csrf_token" => &mut f.csrf_token,
                "to" => &mut f.to,
                "document_number" => &mut f.document_number,
                "document_date" => &mut f.document_date,
                "recipient" => &mut f.recipient,
                "date" => &mut f.date,
                "opinion" => &mut f.opinion,
                "approved_level" => &mut f.approved_level,
                "note" => &mut f.note,
                _ => continue,
            };
            *slot = value.into_owned();
        }
        f
    }

    /// The blank form of a step, with what it may default to.
    pub fn blank(to: DossierStatus, recipient: &str, proposed_level: i32) -> Self {
        Self {
            to: to.as_str().to_string(),
            recipient: if to == DossierStatus::Submitted {
                recipient.to_string()
            } else {
                String::new()
            },
            approved_level: if to == DossierStatus::Approved {
                proposed_level.to_string()
            } else {
                String::new()
            },
            ..Self::default()
        }
    }

    /// The step asked for; `None` (with an error) when the form names none the page offers.
    pub fn target(&self) -> Option<DossierStatus> {
        DossierStatus::parse(self.to.trim()).filter(|s| *s != DossierStatus::Draft)
    }

    /// Only the fields of the step are sent (the service refuses any other); empty ones are
    /// left out, so the service applies its defaults and names what is missing.
    pub fn to_transition(&self, to: DossierStatus) -> (Transition, FieldErrors) {
        let mut errors = FieldErrors::new();
        let shown = fields_of(to);
        let pick = |name: &str, raw: &str| {
            if shown.contains(&name) {
                text(raw)
            } else {
                None
            }
        };
        let document_number = pick("document_number", &self.document_number);
        let recipient = pick("recipient", &self.recipient);
        let note = pick("note", &self.note);
        let document_date = pick("document_date", &self.document_date)
            .and_then(|raw| date(&mut errors, "document_date", &raw));
        let day = pick("date", &self.date).and_then(|raw| date(&mut errors, "date", &raw));
        let opinion = pick("opinion", &self.opinion).and_then(|raw| {
            let parsed = AppraisalOpinion::parse(&raw);
            if parsed.is_none() {
                fail(
                    &mut errors,
                    "opinion",
                    "Vui lòng chọn kết luận thẩm định trong danh sách",
                );
            }
            parsed
        });
        let approved_level = pick("approved_level", &self.approved_level).and_then(|raw| {
            let parsed = raw.parse::<u8>().ok().filter(|l| (1..=5).contains(l));
            if parsed.is_none() {
                fail(
                    &mut errors,
                    "approved_level",
                    "Cấp độ được phê duyệt từ 1 đến 5",
                );
            }
            parsed
        });
        let t = Transition {
            to,
            document_number,
            document_date,
            recipient,
            date: day,
            opinion,
            approved_level,
            note,
        };
        (t, errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_component_reads_every_field_and_names_a_bad_date() {
        let f = ComponentForm::parse(
            b"status=complete&document_number=+2559%2FSCT-VP+&document_date=03%2F11%2F2026&note=",
        );
        let (c, errors) = f.to_changes();
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(c.status, Some(ComponentStatus::Complete));
        assert_eq!(c.document_number, Some(Some("2559/SCT-VP".into())));
        assert_eq!(c.document_date, Some(NaiveDate::from_ymd_opt(2026, 11, 3)));
        assert_eq!(c.note, Some(None), "an emptied note clears it");
        let f = ComponentForm::parse(b"status=done&document_date=31%2F02%2F2026");
        let (_, errors) = f.to_changes();
        assert!(errors.contains_key("status") && errors.contains_key("document_date"));
    }

    #[test]
    fn a_step_sends_only_its_own_fields() {
        let f = TransitionForm::parse(
            b"to=received&date=2026-11-04&document_number=12%2FCA&recipient=X&note=+",
        );
        let to = f.target().unwrap();
        let (t, errors) = f.to_transition(to);
        assert!(errors.is_empty());
        assert_eq!(t.date, NaiveDate::from_ymd_opt(2026, 11, 4));
        assert!(t.document_number.is_none() && t.recipient.is_none() && t.note.is_none());
        let f = TransitionForm::parse(b"to=approved&approved_level=7&document_number=1%2FQD");
        let (t, errors) = f.to_transition(DossierStatus::Approved);
        assert!(errors.contains_key("approved_level"));
        assert_eq!(t.document_number.as_deref(), Some("1/QD"));
        assert!(TransitionForm::parse(b"to=draft").target().is_none());
    }
}
