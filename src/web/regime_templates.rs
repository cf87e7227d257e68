//! Template structs of the regime pages: the comparison of one system under both regimes and
//! the regime-change report (`frontend/templates/*/regime_*.html`).

use askama::Template;

use super::regime_views::{Comparison, ReportLine};
use super::system_choices::Choices;
use super::system_templates::OptionItem;
use super::templates::Chrome;
use crate::services::regime_report::ReportTotals;

/// The comparison alone, swapped into the detail page by htmx.
#[derive(Template)]
#[template(path = "partials/regime_comparison.html")]
pub struct ComparisonPartial {
    pub c: Comparison,
}

/// The comparison as a page of its own (without JavaScript).
#[derive(Template)]
#[template(path = "pages/regime_comparison.html")]
pub struct ComparisonPage {
    pub chrome: Chrome,
    pub c: Comparison,
}

/// Why there is no comparison (for example, no regime replaces another), in place of it.
#[derive(Template)]
#[template(path = "partials/regime_notice.html")]
pub struct RegimeNoticePartial {
    pub message: String,
}

/// The report's filters as typed, to fill the filter form again.
#[derive(Default)]
pub struct ReportFilters {
    pub organization_id: String,
    pub direction: String,
    pub level: String,
    pub approved: String,
}

/// A direction the report can be filtered on.
pub struct DirectionOption {
    pub value: &'static str,
    pub label: &'static str,
}

#[derive(Template)]
#[template(path = "pages/regime_report.html")]
pub struct RegimeReportPage {
    pub chrome: Chrome,
    pub old_title: String,
    pub new_title: String,
    pub date: String,
    pub totals: ReportTotals,
    pub rows: Vec<ReportLine>,
    pub f: ReportFilters,
    pub filtered: bool,
    pub notice: Option<String>,
    pub orgs: Vec<OptionItem>,
    pub directions: Vec<DirectionOption>,
    pub page: u64,
    pub pages: u64,
    pub first_shown: u64,
    pub last_shown: u64,
    pub prev_href: Option<String>,
    pub next_href: Option<String>,
    pub xlsx_href: String,
    pub c: &'static Choices,
}
