//! Template structs of the warning pages (`frontend/templates/pages/alert_*.html`), and the
//! small views they show (badges, percentages, recipients).

use askama::Template;

use super::alert_form::AlertForm;
use super::form_errors::{ErrorLink, FormErrors};
use super::system_templates::OptionItem;
use super::templates::Chrome;
use crate::domain::alert::Severity;
use crate::services::alert_send::AudiencePreview;
use crate::services::alerts::{AlertView, Progress};

/// How many recipients a preview lists (the count is always the whole audience).
pub const PREVIEW_SHOWN: usize = 20;

/// The badge class of a severity (the badge also carries the label: colour is not the only
/// signal).
pub fn severity_class(s: Severity) -> &'static str {
    match s {
        Severity::Low => "badge-neutral",
        Severity::Medium => "badge-info",
        Severity::High => "badge-warning",
        Severity::Critical => "badge-danger",
    }
}

/// A percentage the Vietnamese way: `66,7`, `100`.
pub fn percent(p: f64) -> String {
    if p.fract() == 0.0 {
        format!("{p:.0}")
    } else {
        format!("{p:.1}").replace('.', ",")
    }
}

/// One row of the warnings list.
pub struct AlertLine {
    pub id: String,
    pub title: String,
    pub severity: &'static str,
    pub severity_class: &'static str,
    pub source: String,
    pub draft: bool,
    pub sent_at: String,
    pub recipients: i64,
    pub sent_percent: String,
    pub ack_percent: String,
    pub overdue: i64,
}

#[derive(Template)]
#[template(path = "pages/alert_list.html")]
pub struct AlertListPage {
    pub chrome: Chrome,
    pub rows: Vec<AlertLine>,
    pub total: i64,
    pub page: i64,
    pub pages: i64,
    pub prev_href: Option<String>,
    pub next_href: Option<String>,
    pub can_send: bool,
    pub is_admin: bool,
}

/// One recipient of a preview, with why they are reached.
pub struct RecipientLine {
    pub name: String,
    pub email: String,
    pub reasons: String,
}

/// The audience preview: the count and the first recipients.
#[derive(Default)]
pub struct PreviewView {
    /// Whether anything was computed (the form shows a hint otherwise).
    pub computed: bool,
    pub count: usize,
    pub recipients: Vec<RecipientLine>,
    /// Recipients not listed.
    pub more: usize,
    /// Why no preview could be computed.
    pub problem: Option<String>,
}

impl PreviewView {
    pub fn from_preview(p: AudiencePreview) -> Self {
        let recipients: Vec<RecipientLine> = p
            .recipients
            .into_iter()
            .take(PREVIEW_SHOWN)
            .map(|r| RecipientLine {
                name: r.full_name,
                email: r.email,
                reasons: r.reasons.join("; "),
            })
            .collect();
        Self {
            computed: true,
            more: p.count.saturating_sub(recipients.len()),
            count: p.count,
            recipients,
            problem: None,
        }
    }

    pub fn problem(message: &str) -> Self {
        Self {
            computed: true,
            problem: Some(message.to_string()),
            ..Self::default()
        }
    }
}

#[derive(Template)]
#[template(path = "partials/alert_audience_preview.html")]
pub struct AudiencePreviewPartial {
    pub preview: PreviewView,
}

#[derive(Template)]
#[template(path = "pages/alert_form.html")]
pub struct AlertFormPage {
    pub chrome: Chrome,
    pub editing: bool,
    pub action: String,
    pub heading: String,
    pub cancel_href: String,
    pub form: AlertForm,
    pub errors: FormErrors,
    pub summary: Vec<ErrorLink>,
    pub alert: Option<String>,
    pub orgs: Vec<OptionItem>,
    pub recipients: RecipientChoices,
    pub sent_alerts: Vec<OptionItem>,
    pub severities: Vec<OptionItem>,
    pub tlps: Vec<OptionItem>,
    pub roles: Vec<OptionItem>,
    pub preview: PreviewView,
}

/// One account in the recipient picker.
pub struct RecipientOption {
    pub value: String,
    pub label: String,
    pub checked: bool,
}

/// The recipient picker: the people already chosen, then the accounts matching the search.
#[derive(Default)]
pub struct RecipientChoices {
    pub options: Vec<RecipientOption>,
    pub query: String,
    /// Accounts matching the search (all of them, not only those shown).
    pub matches: i64,
    /// How many of the matches are listed.
    pub shown: usize,
}

/// The picker's list alone, swapped in by htmx as the user types in the search box.
#[derive(Template)]
#[template(path = "partials/alert_recipient_options.html")]
pub struct RecipientOptionsPartial {
    pub recipients: RecipientChoices,
}

/// Progress of a sent warning, as the bars show it.
pub struct ProgressView {
    pub p: Progress,
    pub sent_percent: String,
    pub ack_percent: String,
}

impl ProgressView {
    pub fn new(p: Progress) -> Self {
        Self {
            sent_percent: percent(p.sent_percent),
            ack_percent: percent(p.acknowledged_percent),
            p,
        }
    }
}

/// One row of the recipient table.
pub struct DeliveryLine {
    pub name: String,
    pub email: String,
    pub reasons: String,
    pub status_label: &'static str,
    pub status_class: &'static str,
    pub reply: String,
    pub sent_at: String,
    pub send_count: i32,
    pub answer_label: Option<&'static str>,
    pub note: String,
    pub answered_at: String,
}

#[derive(Template)]
#[template(path = "pages/alert_detail.html")]
pub struct AlertDetailPage {
    pub chrome: Chrome,
    pub v: AlertView,
    pub severity_class: &'static str,
    pub tlp: String,
    pub due: String,
    pub created: String,
    pub sent_at: String,
    pub corrects_title: Option<String>,
    pub audience: Vec<String>,
    pub draft: bool,
    pub can_send: bool,
    pub notice: Option<String>,
    pub progress: Option<ProgressView>,
    pub preview: Option<PreviewView>,
    pub deliveries: Vec<DeliveryLine>,
    pub delivery_total: i64,
    pub unanswered_only: bool,
    pub page: i64,
    pub pages: i64,
    pub prev_href: Option<String>,
    pub next_href: Option<String>,
}

#[derive(Template)]
#[template(path = "pages/alert_send.html")]
pub struct AlertSendPage {
    pub chrome: Chrome,
    pub id: String,
    pub title: String,
    pub preview: PreviewView,
    pub alert: Option<String>,
}
