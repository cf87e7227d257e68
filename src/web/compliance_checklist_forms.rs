//! The compliance checklist page's forms as typed (one requirement's answer, a piece of
//! evidence), kept as text so nothing is lost when a form comes back, and the template structs.

use askama::Template;
use chrono::NaiveDate;

use super::templates::Chrome;
use crate::domain::compliance::{ComplianceStatus, Tally};
use crate::error::FieldErrors;
use crate::services::compliance_items::ItemChanges;
use crate::services::compliance_views::ItemView;

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
pub fn date(errors: &mut FieldErrors, field: &str, raw: &str) -> Option<NaiveDate> {
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

/// Reads an urlencoded body into `(key, value)` slots named by `pick`.
fn parse_into<T: Default>(body: &[u8], mut pick: impl FnMut(&mut T, &str, String)) -> T {
    let mut f = T::default();
    for (key, value) in url::form_urlencoded::parse(body) {
        pick(&mut f, key.as_ref(), value.into_owned());
    }
    f
}

/// The answer to one requirement, as typed.
#[derive(Clone, Debug, Default)]
pub struct ItemForm {
    pub csrf_token: String,
    pub baseline: String,
    pub status: String,
    pub na_reason: String,
    pub how_met: String,
    pub responsible_id: String,
    pub target_date: String,
}

impl ItemForm {
    pub fn parse(body: &[u8]) -> Self {
        parse_into(body, |f: &mut Self, key, value| {
            let slot = match key {
                "csrf_token" => &mut f.csrf_token,
                "baseline" => &mut f.baseline,
                "status" => &mut f.status,
                "na_reason" => &mut f.na_reason,
                "how_met" => &mut f.how_met,
                "responsible_id" => &mut f.responsible_id,
                "target_date" => &mut f.target_date,
                _ => return,
            };
            *slot = value;
        })
    }

    pub fn from_view(i: &ItemView) -> Self {
        Self {
            status: i.status.as_str().into(),
            na_reason: i.na_reason.clone().unwrap_or_default(),
            how_met: i.how_met.clone().unwrap_or_default(),
            responsible_id: i.responsible_id.clone().unwrap_or_default(),
            target_date: i
                .target_date
                .map(|d| d.format("%Y-%m-%d").to_string())
                .unwrap_or_default(),
            ..Self::default()
        }
    }

    /// Every field is sent: an emptied field clears the stored value.
    pub fn to_changes(&self) -> (ItemChanges, FieldErrors) {
        let mut errors = FieldErrors::new();
        let status = ComplianceStatus::parse(self.status.trim());
        if status.is_none() {
            fail(
                &mut errors,
                "status",
                "Vui lòng chọn mức đáp ứng trong danh sách",
            );
        }
        let changes = ItemChanges {
            status,
            na_reason: Some(text(&self.na_reason)),
            how_met: Some(text(&self.how_met)),
            responsible_id: Some(text(&self.responsible_id)),
            target_date: Some(date(&mut errors, "target_date", &self.target_date)),
        };
        (changes, errors)
    }
}

/// A piece of evidence, as typed (the file itself is not kept when the form comes back).
#[derive(Clone, Debug, Default)]
pub struct EvidenceForm {
    pub title: String,
    pub document_number: String,
    pub document_date: String,
}

/// A form with only the CSRF token and the catalogue (start a review, delete evidence).
#[derive(Clone, Debug, Default)]
pub struct SimpleForm {
    pub csrf_token: String,
    pub baseline: String,
    pub year: String,
}

impl SimpleForm {
    pub fn parse(body: &[u8]) -> Self {
        parse_into(body, |f: &mut Self, key, value| {
            let slot = match key {
                "csrf_token" => &mut f.csrf_token,
                "baseline" => &mut f.baseline,
                "year" => &mut f.year,
                _ => return,
            };
            *slot = value;
        })
    }
}

/// The badge of a status: colour and its label, never colour alone.
pub fn status_badge(s: ComplianceStatus) -> &'static str {
    match s {
        ComplianceStatus::ToReview => "badge-neutral",
        ComplianceStatus::Met => "badge-success",
        ComplianceStatus::Partial => "badge-warning",
        ComplianceStatus::NotMet => "badge-danger",
        ComplianceStatus::NotApplicable => "badge-info",
    }
}

/// "57,5 %", or a dash when nothing applies.
pub fn percent_vn(p: Option<f64>) -> String {
    p.map(|p| format!("{}%", format!("{p:.1}").replace('.', ",")))
        .unwrap_or_else(|| "—".into())
}

/// An element id from a requirement code (`C2.1` → `r-C2-1`).
pub fn anchor(code: &str) -> String {
    let safe: String = code
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    format!("r-{safe}")
}

/// One `<option>` of a select with owned text.
pub struct Choice {
    pub value: String,
    pub label: String,
}

/// One piece of evidence as listed under a requirement.
pub struct EvidenceLine {
    pub id: String,
    pub title: Option<String>,
    /// "Số 12/QĐ-SCT ngày 03/11/2026".
    pub document: Option<String>,
    pub href: Option<String>,
    pub file_name: Option<String>,
    pub size: String,
    pub added: String,
}

/// One requirement with its answer and (for editors) its forms.
pub struct ItemCard {
    pub code: String,
    pub anchor: String,
    pub text: String,
    pub clause: Option<String>,
    pub detail: Option<String>,
    pub citation: String,
    pub basis_note: Option<&'static str>,
    pub regulation: bool,
    pub status: &'static str,
    pub status_label: String,
    pub status_badge: &'static str,
    pub na_reason: Option<String>,
    pub how_met: Option<String>,
    pub responsible_name: Option<String>,
    pub target_date: String,
    pub overdue: bool,
    pub evidence: Vec<EvidenceLine>,
    pub saved: bool,
    /// The edit form starts open (it came back with an error).
    pub open: bool,
    pub form: ItemForm,
    pub errors: super::form_errors::FormErrors,
    pub alert: Option<String>,
    pub ev_form: EvidenceForm,
    pub ev_errors: super::form_errors::FormErrors,
    pub ev_alert: Option<String>,
    pub ev_open: bool,
}

impl ItemCard {
    /// `aria-invalid`/`aria-describedby` of the control of `field`.
    pub fn aria(&self, field: &str) -> String {
        self.errors
            .aria(field, &format!("{}-{field}", self.anchor), false)
    }

    pub fn ev_aria(&self, field: &str) -> String {
        self.ev_errors
            .aria(field, &format!("{}-ev-{field}", self.anchor), false)
    }
}

/// One group of requirements with its percentage; `part_heading` when a new part starts.
pub struct GroupCard {
    pub code: String,
    pub title: String,
    pub part_heading: Option<String>,
    pub percent: String,
    pub tally: Tally,
    pub items: Vec<ItemCard>,
}

/// The checklist itself: summary and groups (swapped as a whole by htmx after a save).
pub struct Body {
    pub system_id: String,
    pub baseline_id: String,
    pub csrf_token: String,
    pub editable: bool,
    pub users: Vec<Choice>,
    pub statuses: Vec<Choice>,
    pub baseline_title: String,
    pub standard: String,
    pub year: i32,
    pub level: i32,
    pub level_source: &'static str,
    pub due_on: Option<String>,
    pub percent: String,
    pub tally: Tally,
    pub percent_rule: String,
    pub regulation_recorded: bool,
    /// The requirement that records the regulation, when the catalogue has one.
    pub regulation: Option<(String, String)>,
    pub groups: Vec<GroupCard>,
    /// "Bắt đầu rà soát năm YYYY": the year a new review would be, when this one is older.
    pub next_year: Option<i32>,
}

/// A catalogue that applies to the system, as a tab.
pub struct Tab {
    pub id: String,
    pub title: String,
    pub due_on: Option<String>,
    pub active: bool,
    pub started: bool,
}

/// No checklist yet under the chosen catalogue.
pub struct Empty {
    pub baseline_id: String,
    pub baseline_title: String,
    pub year: i32,
    pub can_start: bool,
    /// Why it cannot be started (no level yet), for editors.
    pub blocked: Option<String>,
}

#[derive(Template)]
#[template(path = "pages/compliance_checklist.html")]
pub struct ChecklistPage {
    pub chrome: Chrome,
    pub system_id: String,
    pub system_name: String,
    pub tabs: Vec<Tab>,
    pub body: Option<Body>,
    pub empty: Option<Empty>,
    pub notice: Option<String>,
    pub page_alert: Option<String>,
}

#[derive(Template)]
#[template(path = "partials/compliance_body.html")]
pub struct BodyPartial {
    pub b: Body,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_item_reads_every_field_and_names_bad_input() {
        let f = ItemForm::parse(
            b"status=partial&how_met=+Co+quy+trinh+&na_reason=&responsible_id=&target_date=31%2F12%2F2026",
        );
        let (c, errors) = f.to_changes();
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(c.status, Some(ComplianceStatus::Partial));
        assert_eq!(c.how_met, Some(Some("Co quy trinh".into())));
        assert_eq!(c.na_reason, Some(None));
        assert_eq!(c.target_date, Some(NaiveDate::from_ymd_opt(2026, 12, 31)));
        let (_, errors) = ItemForm::parse(b"status=done&target_date=31%2F02%2F2026").to_changes();
        assert!(errors.contains_key("status") && errors.contains_key("target_date"));
    }

    #[test]
    fn percent_and_anchor() {
        assert_eq!(percent_vn(Some(57.5)), "57,5%");
        assert_eq!(percent_vn(None), "—");
        assert_eq!(anchor("C2.1"), "r-C2-1");
    }
}
