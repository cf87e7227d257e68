//! A loaded rule pack: metadata, vocabulary, compiled rules and per-level procedure data.

use chrono::NaiveDate;
use serde::Serialize;

use super::condition::Condition;
use super::duties::{DossierScope, Escalation, Form, Obligation, Transition};
use super::schema::VocabularyKind;

/// How firmly a rule rests on the law (the digest's V / S / R / M tags).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Basis {
    /// The text of the article was verified.
    Law,
    /// capdo's reading of the law where the text leaves room; shown as such.
    Interpretation,
    /// An estimate where the law says nothing precise: the result needs a human decision.
    Heuristic,
    /// Known from a secondary source quoting the text.
    Secondary,
    /// Reported only, not read.
    Reported,
}

impl Basis {
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "law" => Basis::Law,
            "interpretation" => Basis::Interpretation,
            "heuristic" => Basis::Heuristic,
            "secondary" => Basis::Secondary,
            "reported" => Basis::Reported,
            _ => return None,
        })
    }
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Source {
    pub title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Term {
    pub id: String,
    pub label: String,
}

#[derive(Clone, Debug, Default, Serialize, utoipa::ToSchema)]
pub struct Vocabulary {
    pub kind: Vec<Term>,
    pub tier: Vec<Term>,
    pub tags: Vec<Term>,
}

impl Vocabulary {
    pub fn terms(&self, kind: VocabularyKind) -> &[Term] {
        match kind {
            VocabularyKind::Kind => &self.kind,
            VocabularyKind::Tier => &self.tier,
            VocabularyKind::Tags => &self.tags,
        }
    }

    pub fn code(&self, kind: VocabularyKind, id: &str) -> Option<u16> {
        self.terms(kind)
            .iter()
            .position(|t| t.id == id)
            .map(|p| p as u16)
    }
}

impl super::condition::VocabularyLookup for Vocabulary {
    fn code(&self, kind: VocabularyKind, id: &str) -> Option<u16> {
        Vocabulary::code(self, kind, id)
    }
}

/// A rule of combination (highest criterion, composite system), cited in results.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Principle {
    pub rule: String,
    pub citation: String,
    pub summary: String,
    pub basis: Basis,
}

/// A criterion of the regime or a minimum level set by another instrument.
#[derive(Clone, Debug)]
pub struct Rule {
    pub id: String,
    pub level: u8,
    pub citation: String,
    pub summary: String,
    pub basis: Basis,
    /// The level it gives needs a human decision.
    pub review: bool,
    pub note: Option<String>,
    /// For minimum-level rules: the instrument that sets it.
    pub instrument: Option<String>,
    pub effective_from: Option<NaiveDate>,
    pub effective_until: Option<NaiveDate>,
    pub condition: Condition,
}

impl Rule {
    pub fn in_force_on(&self, date: NaiveDate) -> bool {
        self.effective_from.is_none_or(|from| from <= date)
            && self.effective_until.is_none_or(|until| date <= until)
    }

    /// Whether the level this rule gives can stand without a human decision.
    pub fn needs_review(&self) -> bool {
        self.review || self.basis == Basis::Heuristic
    }
}

#[derive(Clone, Debug)]
pub struct QuestionRule {
    pub id: String,
    pub field: String,
    pub text: String,
    pub could_change_level_to: u8,
    pub condition: Condition,
}

#[derive(Clone, Debug)]
pub struct WarningRule {
    pub id: String,
    pub text: String,
    pub condition: Condition,
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Authority {
    /// Cơ quan thẩm định.
    pub appraiser: String,
    /// Cơ quan phê duyệt.
    pub approver: String,
    pub citations: Vec<String>,
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct DossierItem {
    /// Stable id of the component, e.g. `overview`.
    pub component: String,
    pub title: String,
    pub citation: String,
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct TimeLimit {
    /// `validity_check`, `appraisal`, `approval`, …
    pub step: String,
    pub limit: u32,
    /// `days` (calendar) or `working_days`.
    pub unit: String,
    pub citation: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub basis: Option<Basis>,
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct PeriodicAssessment {
    pub every_months: u32,
    pub citation: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub basis: Option<Basis>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// What the law requires of a system once its level is known.
#[derive(Clone, Debug)]
pub struct LevelProcedure {
    pub authority: Authority,
    pub dossier: Vec<DossierItem>,
    pub approval_dossier: Vec<DossierItem>,
    pub time_limits: Vec<TimeLimit>,
    pub periodic_assessment: Option<PeriodicAssessment>,
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct PackMeta {
    pub id: String,
    /// First 12 hex digits of the SHA-256 of the pack file: which text a stored result came from.
    pub version: String,
    pub title: String,
    pub name: String,
    pub number: String,
    pub issuer: String,
    pub effective_from: NaiveDate,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub effective_until: Option<NaiveDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub effective_until_basis: Option<Basis>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub effective_until_note: Option<String>,
    pub sources: Vec<Source>,
}

/// One regime, ready for the engine.
#[derive(Clone, Debug)]
pub struct RulePack {
    pub meta: PackMeta,
    pub vocabulary: Vocabulary,
    pub highest: Principle,
    pub composite: Principle,
    pub criteria: Vec<Rule>,
    pub minimums: Vec<Rule>,
    pub questions: Vec<QuestionRule>,
    pub warnings: Vec<WarningRule>,
    pub undetermined: String,
    /// Index 0 is level 1.
    pub levels: Vec<LevelProcedure>,
    pub escalations: Vec<Escalation>,
    pub obligations: Vec<Obligation>,
    pub forms: Vec<Form>,
    pub dossier_scope: Option<DossierScope>,
    /// The dossier section: components, authorities, clocks, periodic defaults.
    pub dossier: Option<super::dossier::Dossier>,
    /// Present in a pack that replaces another.
    pub transition: Option<Transition>,
    /// Where the pack came from: `embedded:nd85-2016.yaml` or a file path.
    pub origin: String,
}

impl RulePack {
    pub fn procedure(&self, level: u8) -> Option<&LevelProcedure> {
        self.levels.get(usize::from(level).checked_sub(1)?)
    }

    pub fn in_force_on(&self, date: NaiveDate) -> bool {
        self.meta.effective_from <= date
            && self.meta.effective_until.is_none_or(|until| date <= until)
    }
}
