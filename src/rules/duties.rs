//! What a regime asks beyond the level itself: escalated procedures, duties, forms, the
//! scope of one dossier and the transition from the regime it replaces.

use chrono::NaiveDate;
use serde::Serialize;

use super::condition::Condition;
use super::model::Basis;

/// A higher level's procedure applies to systems of some levels (NĐ331 Đ20 k4: levels 3–4 on
/// the list of systems important to national security follow the level-5 procedure).
#[derive(Clone, Debug)]
pub struct Escalation {
    pub id: String,
    pub to_level: u8,
    pub from_levels: Vec<u8>,
    pub citation: String,
    pub summary: String,
    pub basis: Basis,
    pub condition: Condition,
}

/// The escalation that applied, as shown in a result.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct AppliedEscalation<'p> {
    pub rule: &'p str,
    /// The level whose procedure (authority, dossier, time limits) applies.
    pub procedure_level: u8,
    pub citation: &'p str,
    pub summary: &'p str,
    pub basis: Basis,
}

/// A duty that follows the level: a precondition of a step, or a yearly deadline.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Obligation {
    pub id: String,
    pub title: String,
    pub citation: String,
    pub basis: Basis,
    /// Levels it applies to (1–5).
    pub levels: Vec<u8>,
    /// The step that may not happen before the duty is done, e.g. `approval`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub before_step: Option<String>,
    /// A yearly deadline as `MM-DD`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub due_yearly: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A form (mẫu) of the regime and when it is used.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Form {
    pub id: String,
    pub title: String,
    pub purpose: String,
    pub levels: Vec<u8>,
    pub citation: String,
    pub basis: Basis,
}

/// Whether one dossier may list several systems.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct DossierScope {
    pub several_systems: bool,
    pub citation: String,
    pub summary: String,
}

/// A rule of the transition, with its legal basis.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct TransitionRule {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub citation: Option<String>,
    pub summary: String,
    pub basis: Basis,
}

/// Systems approved under the predecessor keep their level and must meet this regime by a date.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct KeepApproved {
    pub approved_before: NaiveDate,
    pub comply_by: NaiveDate,
    #[serde(flatten)]
    pub rule: TransitionRule,
}

/// Projects under investment before a date may finish appraisal and approval under the
/// predecessor until a deadline.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct InvestmentProjects {
    pub started_before: NaiveDate,
    pub finish_under: String,
    pub approve_by: NaiveDate,
    pub comply_by: NaiveDate,
    #[serde(flatten)]
    pub rule: TransitionRule,
}

/// How a successor regime takes over from the one it replaces.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Transition {
    pub predecessor: String,
    pub keep_approved: KeepApproved,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub investment_projects: Option<InvestmentProjects>,
    /// Systems neither transition clause covers (e.g. operating but never classified).
    pub not_covered: TransitionRule,
    /// Shown for dates after the predecessor lapsed and before this regime took effect.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gap: Option<TransitionRule>,
    pub redetermination: TransitionRule,
}
