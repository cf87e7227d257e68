//! The classification panel: the stored or live result (contract §2) read back from its JSON
//! and shown with every matched clause, the questions that could change it and the warnings.

use serde::Deserialize;

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct RegimeView {
    pub id: String,
    pub version: String,
    pub title: String,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct RuleView {
    pub rule: String,
    pub level: u8,
    pub citation: String,
    pub summary: String,
    pub basis: String,
    pub instrument: Option<String>,
    pub note: Option<String>,
}

impl RuleView {
    /// How firmly the clause rests on the law, in words (not colour alone).
    pub fn basis_label(&self) -> &'static str {
        basis_label(&self.basis)
    }

    /// Whether the basis is shown as a caution (capdo's reading, an estimate, unverified).
    pub fn basis_caution(&self) -> bool {
        self.basis != "law"
    }
}

pub fn basis_label(basis: &str) -> &'static str {
    match basis {
        "law" => "Theo văn bản",
        "interpretation" => "Cách hiểu của capdo",
        "heuristic" => "Ước lượng, cần người có thẩm quyền xem xét",
        "secondary" => "Theo nguồn thứ cấp",
        "reported" => "Chưa đối chiếu văn bản",
        _ => "Chưa rõ căn cứ",
    }
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct QuestionView {
    pub field: String,
    pub text: String,
    pub could_change_level_to: u8,
}

impl QuestionView {
    /// The anchor of the form control that answers the question.
    pub fn anchor(&self) -> String {
        let bare = self.field.rsplit('.').next().unwrap_or(&self.field);
        format!("f-{bare}")
    }
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct ComponentView {
    pub index: usize,
    pub level: Option<u8>,
    pub status: String,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct AuthorityView {
    pub appraiser: String,
    pub approver: String,
    pub citations: Vec<String>,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct DossierView {
    pub title: String,
    pub citation: String,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct TimeLimitView {
    pub step: String,
    pub limit: u32,
    pub unit: String,
    pub citation: String,
}

impl TimeLimitView {
    pub fn step_label(&self) -> &str {
        match self.step.as_str() {
            "validity_check" => "Kiểm tra tính hợp lệ của hồ sơ",
            "appraisal" => "Thẩm định",
            "approval" => "Phê duyệt",
            "professional_opinion" => "Ý kiến chuyên môn",
            other => other,
        }
    }

    pub fn unit_label(&self) -> &'static str {
        match self.unit.as_str() {
            "working_days" => "ngày làm việc",
            "months" => "tháng",
            _ => "ngày",
        }
    }
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct PeriodicView {
    pub every_months: u32,
    pub citation: String,
}

/// The parts of a `Classification` the pages show.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct ResultView {
    pub regime: RegimeView,
    pub level: Option<u8>,
    pub status: String,
    pub matched: Vec<RuleView>,
    pub minimums: Vec<RuleView>,
    pub components: Vec<ComponentView>,
    pub questions: Vec<QuestionView>,
    pub warnings: Vec<String>,
    pub authority: Option<AuthorityView>,
    pub dossier: Vec<DossierView>,
    pub time_limits: Vec<TimeLimitView>,
    pub periodic_assessment: Option<PeriodicView>,
}

pub fn status_label(status: &str) -> &'static str {
    match status {
        "determined" => "Đã xác định",
        "needs_review" => "Cần xem xét",
        "undetermined" => "Chưa xác định được",
        _ => "Chưa rõ",
    }
}

pub fn status_badge(status: &str) -> &'static str {
    match status {
        "determined" => "badge-success",
        "needs_review" => "badge-warning",
        _ => "badge-neutral",
    }
}

impl ResultView {
    pub fn from_json(value: &serde_json::Value) -> Option<Self> {
        if value.is_null() {
            return None;
        }
        serde_json::from_value(value.clone()).ok()
    }

    pub fn status_label(&self) -> &'static str {
        status_label(&self.status)
    }

    pub fn status_badge(&self) -> &'static str {
        status_badge(&self.status)
    }
}

/// What the panel shows: a result, or why there is none yet.
#[derive(Clone, Debug, Default)]
pub struct Panel {
    pub result: Option<ResultView>,
    /// Why the facts cannot be classified yet (missing or invalid answers).
    pub problems: Vec<String>,
    /// The level proposed in the form, when it is not the computed one.
    pub proposed: Option<u8>,
    /// Names of the component systems, in the order of the result's components.
    pub component_names: Vec<String>,
    /// Where the questions' links lead: "" on the form itself, the edit page elsewhere.
    pub answer_base: String,
    /// Set on the detail page: the result stored at the last change.
    pub stored: bool,
    /// Set on an htmx response: the screen-reader announcement is swapped out of band.
    pub live: bool,
}

impl Panel {
    /// A proposal below the computed level needs a written justification (and is flagged).
    pub fn below(&self) -> bool {
        match (self.proposed, self.result.as_ref().and_then(|r| r.level)) {
            (Some(p), Some(c)) => p < c,
            _ => false,
        }
    }

    /// One short sentence for screen readers when the live panel changes.
    pub fn announcement(&self) -> String {
        match &self.result {
            Some(r) => match r.level {
                Some(l) => format!(
                    "Cấp độ {l}, {}; {} tiêu chí đáp ứng",
                    r.status_label().to_lowercase(),
                    r.matched.len()
                ),
                None => "Chưa xác định được cấp độ".to_string(),
            },
            None => "Chưa đủ dữ kiện để xác định cấp độ".to_string(),
        }
    }

    pub fn status_label(&self) -> &'static str {
        self.result
            .as_ref()
            .map(ResultView::status_label)
            .unwrap_or("")
    }

    /// A proposal at another level than the computed one (higher, or with no computed level).
    pub fn proposal_differs(&self) -> bool {
        self.proposed
            .is_some_and(|p| Some(p) != self.result.as_ref().and_then(|r| r.level))
    }

    pub fn computed_level(&self) -> u8 {
        self.result.as_ref().and_then(|r| r.level).unwrap_or(0)
    }

    pub fn component_name(&self, index: &usize) -> String {
        self.component_names
            .get(*index)
            .cloned()
            .unwrap_or_else(|| format!("Hệ thống thành phần thứ {}", index + 1))
    }
}
