//! Template structs of the system register pages (`frontend/templates/pages/system_*.html`).

use askama::Template;

use super::form_errors::{ErrorLink, FormErrors};
use super::system_choices::Choices;
use super::system_form::SystemForm;
use super::system_panel::{status_badge, status_label, Panel};
use super::system_views::{FactRow, HistoryRow};
use super::templates::Chrome;
use crate::rules::model::Term;
use crate::services::systems::SystemView;

/// A `<select>` option or a checkbox of a record (organisation, user, system).
pub struct OptionItem {
    pub value: String,
    pub label: String,
}

/// One row of the register.
pub struct ListRow {
    pub id: String,
    pub name: String,
    pub kind: String,
    pub level: Option<i32>,
    pub proposed: Option<i32>,
    pub approved: Option<i32>,
    pub status: &'static str,
    pub classification: String,
    pub below: bool,
    pub redetermination: bool,
}

impl ListRow {
    pub fn classification_label(&self) -> &'static str {
        status_label(&self.classification)
    }

    pub fn classification_badge(&self) -> &'static str {
        status_badge(&self.classification)
    }
}

/// The filters as typed, to fill the filter form again.
#[derive(Default)]
pub struct ListFilters {
    pub q: String,
    pub level: String,
    pub status: String,
    pub kind: String,
    pub below: bool,
    pub redetermination: bool,
    pub sort: String,
}

#[derive(Template)]
#[template(path = "pages/system_list.html")]
pub struct SystemListPage {
    pub chrome: Chrome,
    pub f: ListFilters,
    pub filtered: bool,
    pub notice: Option<String>,
    pub rows: Vec<ListRow>,
    pub total: i64,
    pub page: i64,
    pub pages: i64,
    pub first_shown: i64,
    pub last_shown: i64,
    pub prev_href: Option<String>,
    pub next_href: Option<String>,
    pub kinds: Vec<Term>,
    pub can_register: bool,
    pub c: &'static Choices,
}

#[derive(Template)]
#[template(path = "pages/system_form.html")]
pub struct SystemFormPage {
    pub chrome: Chrome,
    pub editing: bool,
    pub action: String,
    pub heading: String,
    /// The stored name of the system being edited (the form may hold a changed one).
    pub record_name: String,
    pub cancel_href: String,
    pub form: SystemForm,
    pub errors: FormErrors,
    pub summary: Vec<ErrorLink>,
    pub alert: Option<String>,
    pub panel: Panel,
    pub orgs: Vec<OptionItem>,
    pub users: Vec<OptionItem>,
    pub systems: Vec<OptionItem>,
    /// The rule packs a transitional project may be determined under.
    pub regimes: Vec<OptionItem>,
    pub kinds: Vec<Term>,
    pub tiers: Vec<Term>,
    pub tags: Vec<Term>,
    pub c: &'static Choices,
}

#[derive(Template)]
#[template(path = "pages/system_detail.html")]
pub struct SystemDetailPage {
    pub chrome: Chrome,
    pub v: SystemView,
    pub saved: bool,
    pub can_edit: bool,
    pub kind: String,
    pub hosting: String,
    pub status: &'static str,
    pub org: String,
    pub operator: String,
    pub go_live: String,
    pub created: String,
    pub updated: String,
    pub decision_date: String,
    pub facts: Vec<FactRow>,
    pub panel: Panel,
    pub components: Vec<OptionItem>,
    pub history: Vec<HistoryRow>,
    pub history_total: i64,
    /// The dossiers holding the system and the further systems "Lập hồ sơ" may add.
    pub dossiers: super::system_dossiers::SystemDossiers,
}

/// The live panel alone, swapped in by htmx.
#[derive(Template)]
#[template(path = "partials/classification_panel.html")]
pub struct ClassificationPanelPartial {
    pub panel: Panel,
}
