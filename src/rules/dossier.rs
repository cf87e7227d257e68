//! What a regime asks of a level-proposal dossier: components, authorities, legal clocks,
//! periodic-assessment defaults and re-determination triggers (the pack's `dossier:` section).

use serde::Serialize;

#[cfg(test)]
mod tests;

use super::calendar::DayUnit;
use super::model::Basis;

/// The step of the workflow a component belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DossierStep {
    /// The proposal dossier the operating unit prepares and submits (hồ sơ đề xuất cấp độ).
    Proposal,
    /// Issued by the appraising body (ý kiến thẩm định).
    Appraisal,
    /// The approval dossier put to the approving body (hồ sơ phê duyệt).
    Approval,
    /// After approval: the yearly report (not part of a dossier).
    Reporting,
}

impl DossierStep {
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "proposal" => Self::Proposal,
            "appraisal" => Self::Appraisal,
            "approval" => Self::Approval,
            "reporting" => Self::Reporting,
            _ => return None,
        })
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Proposal => "hồ sơ đề xuất cấp độ",
            Self::Appraisal => "thẩm định",
            Self::Approval => "phê duyệt",
            Self::Reporting => "báo cáo",
        }
    }
}

/// One document of the dossier, for the levels it applies to.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Component {
    /// Stable id, e.g. `overview`, `professional_opinion`.
    pub id: String,
    pub title: String,
    pub citation: String,
    pub step: DossierStep,
    pub levels: Vec<u8>,
    pub required: bool,
    pub basis: Basis,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// Where a form of the pack (`forms:`) is used in the workflow.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct FormUse {
    /// Id of a form of the pack.
    pub form: String,
    pub step: DossierStep,
    /// The component the form produces or requests, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub component: Option<String>,
}

/// A role in the procedure; the concrete unit is configured per organisation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Đơn vị vận hành hệ thống thông tin.
    OperatingUnit,
    /// Đơn vị chuyên trách về an toàn thông tin / an ninh mạng của chủ quản.
    SecurityUnit,
    /// Chủ quản hệ thống thông tin.
    Owner,
    /// The ministry that appraises levels 4–5 (Decree 85: MIC, since 03/2025 Public Security;
    /// Decree 331: Public Security, Defence or the Government Cipher Committee).
    NationalAppraiser,
    /// Thủ tướng Chính phủ (approves the list of level-5 systems).
    PrimeMinister,
}

impl Role {
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "operating_unit" => Self::OperatingUnit,
            "security_unit" => Self::SecurityUnit,
            "owner" => Self::Owner,
            "national_appraiser" => Self::NationalAppraiser,
            "prime_minister" => Self::PrimeMinister,
            _ => return None,
        })
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::OperatingUnit => "đơn vị vận hành",
            Self::SecurityUnit => "đơn vị chuyên trách",
            Self::Owner => "chủ quản",
            Self::NationalAppraiser => "bộ chủ trì thẩm định",
            Self::PrimeMinister => "Thủ tướng Chính phủ",
        }
    }
}

/// A role and what it does at this step, in Vietnamese.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Party {
    pub role: Role,
    pub description: String,
    /// The concrete unit when the law names it (e.g. "Bộ Công an"); otherwise each
    /// organisation configures it (`authority_assignments`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
}

/// Who gives the professional opinion, appraises and approves, for some levels.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct LevelAuthority {
    pub levels: Vec<u8>,
    /// Professional opinion required before submission (levels 4–5).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub opinion: Option<Party>,
    pub appraiser: Party,
    pub approvers: Vec<Party>,
    /// Who the approver reports to after approving (levels 1–2).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub report_to: Option<Party>,
    pub citations: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A step that runs against a legal clock.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ClockStep {
    /// Checking that a received dossier is complete and valid.
    ValidityCheck,
    Appraisal,
    Approval,
}

impl ClockStep {
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "validity_check" => Self::ValidityCheck,
            "appraisal" => Self::Appraisal,
            "approval" => Self::Approval,
            _ => return None,
        })
    }

    pub fn id(self) -> &'static str {
        match self {
            Self::ValidityCheck => "validity_check",
            Self::Appraisal => "appraisal",
            Self::Approval => "approval",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::ValidityCheck => "kiểm tra tính hợp lệ của hồ sơ",
            Self::Appraisal => "thẩm định",
            Self::Approval => "phê duyệt",
        }
    }
}

/// A legal time limit. It runs from the day after the triggering receipt (see
/// `calendar::Calendar::add_days`).
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Clock {
    pub step: ClockStep,
    pub levels: Vec<u8>,
    pub length: u32,
    pub unit: DayUnit,
    pub citation: String,
    pub basis: Basis,
    /// capdo's reading where the text is ambiguous (e.g. "ngày" vs "ngày làm việc"), shown to
    /// the user next to the deadline.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub judgement: Option<String>,
}

/// What a periodic assessment covers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AssessmentScope {
    /// One system, by its approved level.
    System,
    /// The whole agency (owner).
    Agency,
}

/// How often an assessment is due.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct PeriodicDefault {
    pub scope: AssessmentScope,
    /// Empty for the agency scope.
    pub levels: Vec<u8>,
    pub every_months: u32,
    pub citation: String,
    pub basis: Basis,
    /// The agency may set another interval (the law fixes none, or leaves it to risk).
    pub adjustable: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A circumstance that should prompt a re-determination.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Trigger {
    pub id: String,
    pub title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub citation: Option<String>,
    pub basis: Basis,
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Redetermination {
    pub citation: String,
    pub summary: String,
    pub basis: Basis,
    pub triggers: Vec<Trigger>,
}

/// Whether one dossier may cover several systems (NĐ 331 Đ22 k4 a: "danh mục các hệ thống").
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct SeveralSystems {
    pub allowed: bool,
    pub citation: String,
    pub basis: Basis,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// The dossier section of a pack.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Dossier {
    pub several_systems: SeveralSystems,
    pub components: Vec<Component>,
    pub forms: Vec<FormUse>,
    pub authorities: Vec<LevelAuthority>,
    pub clocks: Vec<Clock>,
    pub periodic: Vec<PeriodicDefault>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub redetermination: Option<Redetermination>,
}

impl Dossier {
    /// The components of `step` for a dossier of `level` (the procedure level, after any
    /// escalation of the pack).
    pub fn components(&self, level: u8, step: DossierStep) -> impl Iterator<Item = &Component> {
        self.components
            .iter()
            .filter(move |c| c.step == step && c.levels.contains(&level))
    }

    /// Whether a component must be present before the step can complete.
    pub fn requires(&self, level: u8, component: &str) -> bool {
        self.components
            .iter()
            .any(|c| c.id == component && c.required && c.levels.contains(&level))
    }

    pub fn authority(&self, level: u8) -> Option<&LevelAuthority> {
        self.authorities.iter().find(|a| a.levels.contains(&level))
    }

    pub fn clock(&self, step: ClockStep, level: u8) -> Option<&Clock> {
        self.clocks
            .iter()
            .find(|c| c.step == step && c.levels.contains(&level))
    }

    /// The interval of a system's periodic assessment, or of the agency-wide review.
    pub fn periodic(&self, scope: AssessmentScope, level: u8) -> Option<&PeriodicDefault> {
        self.periodic.iter().find(|p| {
            p.scope == scope && (scope == AssessmentScope::Agency || p.levels.contains(&level))
        })
    }

    pub fn forms_for(&self, step: DossierStep) -> impl Iterator<Item = &FormUse> {
        self.forms.iter().filter(move |f| f.step == step)
    }
}

fn levels_label(levels: &[u8]) -> String {
    let list: Vec<String> = levels.iter().map(u8::to_string).collect();
    format!("cấp độ {}", list.join(", "))
}

impl Dossier {
    /// Lines for `capdo check-rules`, in Vietnamese.
    pub fn summary(&self) -> Vec<String> {
        let mut out = vec![format!(
            "hồ sơ: {} thành phần, {} biểu mẫu theo bước, {} dấu hiệu xác định lại",
            self.components.len(),
            self.forms.len(),
            self.redetermination
                .as_ref()
                .map_or(0, |r| r.triggers.len())
        )];
        for level in 1..=5u8 {
            let ids = |step| {
                self.components(level, step)
                    .map(|c| {
                        if c.required {
                            c.id.clone()
                        } else {
                            format!("{}?", c.id)
                        }
                    })
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            let roles = |parties: &[&Party]| {
                parties
                    .iter()
                    .map(|p| p.role.label())
                    .collect::<Vec<_>>()
                    .join(" + ")
            };
            let (appraiser, approvers) = self.authority(level).map_or_else(
                || ("?".to_string(), "?".to_string()),
                |a| {
                    (
                        roles(&[&a.appraiser]),
                        roles(&a.approvers.iter().collect::<Vec<_>>()),
                    )
                },
            );
            out.push(format!(
                "  cấp độ {level}: đề xuất [{}]; thẩm định [{}]; phê duyệt [{}]; thẩm định bởi {appraiser}, phê duyệt bởi {approvers}",
                ids(DossierStep::Proposal),
                ids(DossierStep::Appraisal),
                ids(DossierStep::Approval),
            ));
        }
        for k in &self.clocks {
            out.push(format!(
                "  thời hạn {}: {} {} ({}; {}){}",
                k.step.label(),
                k.length,
                k.unit.label(),
                levels_label(&k.levels),
                k.citation,
                if k.judgement.is_some() {
                    " — có nhận định của capdo"
                } else {
                    ""
                }
            ));
        }
        for p in &self.periodic {
            let scope = match p.scope {
                AssessmentScope::System => levels_label(&p.levels),
                AssessmentScope::Agency => "toàn cơ quan".to_string(),
            };
            out.push(format!(
                "  kiểm tra, đánh giá định kỳ {scope}: {} tháng một lần{}",
                p.every_months,
                if p.adjustable {
                    " (mặc định, cơ quan có thể điều chỉnh)"
                } else {
                    ""
                }
            ));
        }
        out
    }
}
