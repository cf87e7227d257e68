//! A loaded requirements catalogue (`rules/requirements/*.yaml`): the baseline security
//! requirements per level of one regime, keyed on capdo's own stable codes.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;

use super::model::Basis;

/// The part of an annex a requirement comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Part {
    /// Yêu cầu quản lý.
    Management,
    /// Vùng mạng tối thiểu (thiết kế hệ thống).
    Zone,
    /// Phương án thiết kế (thiết kế hệ thống).
    Design,
    /// Thiết lập, cấu hình hệ thống.
    Configuration,
    /// Yêu cầu chung của nghị định/thông tư: điều kiện, không phải mục kiểm tra kỹ thuật.
    General,
}

impl Part {
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "management" => Self::Management,
            "zone" => Self::Zone,
            "design" => Self::Design,
            "configuration" => Self::Configuration,
            "general" => Self::General,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Management => "management",
            Self::Zone => "zone",
            Self::Design => "design",
            Self::Configuration => "configuration",
            Self::General => "general",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Management => "Yêu cầu quản lý",
            Self::Zone => "Vùng mạng tối thiểu",
            Self::Design => "Phương án thiết kế",
            Self::Configuration => "Thiết lập, cấu hình hệ thống",
            Self::General => "Yêu cầu chung",
        }
    }
}

/// A requirement that is a legal condition with its own effect in capdo, not only a line to tick.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Special {
    /// The cybersecurity regulation (quy chế) must be issued before the dossier is approved:
    /// approval is refused until this requirement is met with the regulation's number and date.
    RegulationBeforeApproval,
}

impl Special {
    /// Every special kind, for validation messages and tests.
    pub const ALL: &'static [Special] = &[Special::RegulationBeforeApproval];

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "regulation_before_approval" => Some(Self::RegulationBeforeApproval),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::RegulationBeforeApproval => "regulation_before_approval",
        }
    }
}

/// The hosting kinds of the register (`SystemFacts`/system form) a requirement may be limited to.
pub const HOSTING_KINDS: &[&str] = &[
    "provincial_data_center",
    "own_server_room",
    "outside_provider",
    "cloud",
];

/// A heading of the catalogue (e.g. "Bảo đảm an toàn máy chủ"); percentages are given per group.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Group {
    pub code: String,
    pub part: Part,
    pub title: String,
}

/// How one requirement reads at one level.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct LevelRule {
    /// The clause or item the annex cites at this level, e.g. `7.2.1.4` (TCVN 11930:2017) or
    /// `II.1.b.iv`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub clause: Option<String>,
    /// What this level asks beyond the requirement's text (e.g. "sản phẩm tường lửa ứng dụng web").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

/// One baseline requirement, under a code that does not change between levels.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Requirement {
    /// capdo's stable code, e.g. `M5.8`, `Z3`, `D4`, `C2.1`, `G7`.
    pub code: String,
    /// Code of its group.
    pub group: String,
    pub part: Part,
    /// Short Vietnamese text.
    pub text: String,
    /// Where it comes from, e.g. "TT 12/2022/TT-BTTTT, Phụ lục I–V, mục I".
    pub citation: String,
    pub basis: Basis,
    /// The levels it applies to, with how it reads at each.
    pub levels: BTreeMap<u8, LevelRule>,
    /// Applies only to systems hosted this way (hosting kinds of the register); empty: all.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub hosting: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub special: Option<Special>,
    /// A remark shown with the requirement (e.g. that its detail rests on a reported standard,
    /// or how capdo reads its hosting condition).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl Requirement {
    pub fn applies(&self, level: u8, hosting: Option<&str>) -> bool {
        self.levels.contains_key(&level)
            && (self.hosting.is_empty()
                || hosting.is_some_and(|h| self.hosting.iter().any(|x| x == h)))
    }
}

/// Another regime whose systems must also meet this baseline by a date (systems classified
/// under Decree 85 must meet the Decree 331 baseline by 01/07/2027).
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct AlsoRequired {
    pub regime: String,
    pub due: NaiveDate,
    pub citation: String,
}

/// A requirements catalogue for one regime.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Baseline {
    /// e.g. `tt12-2022`.
    pub id: String,
    pub title: String,
    /// The rule pack (regime) whose systems follow this baseline, e.g. `nd85-2016`.
    pub regime: String,
    /// The national standard whose clauses the catalogue cites.
    pub standard: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub also_required: Vec<AlsoRequired>,
    pub groups: Vec<Group>,
    pub requirements: Vec<Requirement>,
    /// The file it was loaded from.
    #[serde(skip)]
    pub origin: String,
}

impl Baseline {
    /// The requirements that apply to a system of `level` hosted as `hosting`, in catalogue order.
    pub fn applicable<'a>(
        &'a self,
        level: u8,
        hosting: Option<&'a str>,
    ) -> impl Iterator<Item = &'a Requirement> + 'a {
        self.requirements
            .iter()
            .filter(move |r| r.applies(level, hosting))
    }

    pub fn requirement(&self, code: &str) -> Option<&Requirement> {
        self.requirements.iter().find(|r| r.code == code)
    }

    pub fn group(&self, code: &str) -> Option<&Group> {
        self.groups.iter().find(|g| g.code == code)
    }

    /// The requirement whose special effect is `special`, if the catalogue has one.
    pub fn special(&self, special: Special) -> Option<&Requirement> {
        self.requirements
            .iter()
            .find(|r| r.special == Some(special))
    }

    /// How many requirements of `part` apply at `level` to a system not hosted in a rented data
    /// centre or cloud (the counts of `shared/legal/requirements.md`).
    pub fn count(&self, part: Part, level: u8) -> usize {
        self.requirements
            .iter()
            .filter(|r| r.part == part && r.hosting.is_empty() && r.levels.contains_key(&level))
            .count()
    }
}

#[cfg(test)]
mod tests;
