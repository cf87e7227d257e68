//! Template structs of the dossier pages (`frontend/templates/pages/dossier_*.html` and the
//! checklist fragment), with what each shows already worded and formatted.

use askama::Template;

use super::templates::Chrome;

/// A labelled value of the header ("Văn bản gửi hồ sơ": "2559/SCT-VP ngày 03/11/2026").
pub struct Fact {
    pub label: String,
    pub value: String,
}

/// Who appraises and approves: the concrete units, and the roles the rule pack names.
pub struct AuthorityView {
    /// "Công an tỉnh Đồng Nai (theo phân công …)".
    pub appraiser_unit: Option<String>,
    pub approver_unit: Option<String>,
    /// Whether the units were fixed at submission or would apply if sent today.
    pub units_note: &'static str,
    pub opinion: Option<String>,
    pub appraiser: String,
    pub approvers: Vec<String>,
    pub report_to: Option<String>,
    pub citations: String,
    pub note: Option<String>,
}

/// One control of a form: ids, label, hint, value as typed, and its error.
pub struct FieldView {
    /// The service's field name (the control's `name`).
    pub name: &'static str,
    /// Unique on the page: the control is `f-{id}`, its hint `h-{id}`, its error `e-{id}`.
    pub id: String,
    pub label: &'static str,
    pub hint: &'static str,
    /// `text`, `date`, `textarea` or `select`.
    pub kind: &'static str,
    /// The options of a `select`.
    pub options: &'static [Choice],
    pub value: String,
    pub required: bool,
    pub error: String,
    /// ` aria-invalid="true" aria-describedby="…"`, built from fixed ids only.
    pub aria: String,
}

/// One `<option>` of a select.
pub struct Choice {
    pub value: &'static str,
    pub label: &'static str,
}

/// One stored version of a component's file, with its download link.
pub struct FileLine {
    pub href: String,
    pub name: String,
    pub version: i32,
    pub size: String,
    pub sha256: String,
    pub uploaded: String,
}

/// One document of the checklist with its form.
pub struct ComponentCard {
    pub dossier_id: String,
    pub component: String,
    pub title: String,
    pub citation: String,
    pub required: bool,
    pub status: &'static str,
    pub status_label: &'static str,
    pub status_badge: &'static str,
    pub document_number: Option<String>,
    pub document_date: String,
    pub note: Option<String>,
    pub updated: String,
    /// Whether this user may change it now (status of the dossier and their rights).
    pub editable: bool,
    /// Why it cannot be changed now, when it cannot.
    pub locked_reason: Option<String>,
    pub fields: Vec<FieldView>,
    pub alert: Option<String>,
    /// The form is shown unfolded (it came back with an error).
    pub open: bool,
    /// Just saved: "Đã lưu" is shown next to it.
    pub saved: bool,
    pub csrf_token: String,
    /// Every version, newest first.
    pub files: Vec<FileLine>,
}

/// The components of one step of the workflow.
pub struct StepGroup {
    pub id: &'static str,
    pub title: &'static str,
    pub required_total: usize,
    pub required_done: usize,
    pub cards: Vec<ComponentCard>,
}

/// One line of the timeline.
pub struct TimelineRow {
    pub label: &'static str,
    pub badge: &'static str,
    pub occurred_on: String,
    pub document: Option<String>,
    pub note: Option<String>,
    pub actor: String,
    pub at: String,
}

/// A step the user may take now, with its form.
pub struct ActionView {
    pub to: &'static str,
    pub heading: &'static str,
    pub explain: &'static str,
    pub button: &'static str,
    pub danger: bool,
    pub fields: Vec<FieldView>,
    pub alert: Option<String>,
    pub open: bool,
}

/// The legal clock running now.
pub struct ClockPanel {
    /// "Thời hạn thẩm định".
    pub label: String,
    /// "15 ngày làm việc kể từ ngày tiếp nhận hồ sơ (03/11/2026)".
    pub basis: String,
    pub due_on: String,
    /// "Còn 7 ngày làm việc", "Quá hạn 2 ngày làm việc", "Hôm nay là ngày cuối".
    pub remaining: String,
    pub overdue: bool,
    pub citation: Option<String>,
    pub judgement: Option<String>,
    pub caveats: Vec<String>,
}

/// A system the dossier is for.
pub struct SystemLink {
    pub id: String,
    pub name: String,
}

#[derive(Template)]
#[template(path = "pages/dossier_detail.html")]
pub struct DossierPage {
    pub chrome: Chrome,
    pub id: String,
    pub systems: Vec<SystemLink>,
    pub title: String,
    pub kind_label: &'static str,
    pub regime: String,
    pub proposed_level: i32,
    pub procedure_level: i32,
    pub approved_level: Option<i32>,
    pub status: &'static str,
    pub status_label: String,
    pub status_badge: &'static str,
    pub facts: Vec<Fact>,
    pub clock: Option<ClockPanel>,
    pub authority: AuthorityView,
    pub appraiser_name: Option<String>,
    pub groups: Vec<StepGroup>,
    pub timeline: Vec<TimelineRow>,
    pub actions: Vec<ActionView>,
    /// Why no step can be taken by this user now, when none can.
    pub no_action: Option<String>,
    /// Shown at the top: the step just taken.
    pub notice: Option<String>,
    /// A refusal that belongs to no form shown now (the dossier moved on meanwhile).
    pub page_alert: Option<String>,
}

/// One component card alone, swapped in place by htmx.
#[derive(Template)]
#[template(path = "partials/dossier_component.html")]
pub struct ComponentPartial {
    pub c: ComponentCard,
}

/// "Lập hồ sơ" refused: why, and the way back to the system.
#[derive(Template)]
#[template(path = "pages/dossier_refused.html")]
pub struct DossierRefusedPage {
    pub chrome: Chrome,
    pub system_id: String,
    pub system_name: String,
    pub message: String,
}
