//! The answer to one baseline requirement, and how a set of answers scores.

use serde::{Deserialize, Serialize};

/// Mức đáp ứng một yêu cầu.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ComplianceStatus {
    /// Chưa đánh giá / cần rà soát lại (mặc định, và sau khi sao chép sang kỳ rà soát mới).
    ToReview,
    /// Đáp ứng.
    Met,
    /// Đáp ứng một phần.
    Partial,
    /// Chưa đáp ứng.
    NotMet,
    /// Không áp dụng (phải ghi lý do).
    NotApplicable,
}

impl ComplianceStatus {
    pub const ALL: [Self; 5] = [
        Self::ToReview,
        Self::Met,
        Self::Partial,
        Self::NotMet,
        Self::NotApplicable,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::ToReview => "to_review",
            Self::Met => "met",
            Self::Partial => "partial",
            Self::NotMet => "not_met",
            Self::NotApplicable => "not_applicable",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::ToReview => "Chưa đánh giá",
            Self::Met => "Đáp ứng",
            Self::Partial => "Đáp ứng một phần",
            Self::NotMet => "Chưa đáp ứng",
            Self::NotApplicable => "Không áp dụng",
        }
    }

    /// A gap: something still to do (not met, partly met, or not yet assessed).
    pub fn is_gap(self) -> bool {
        matches!(self, Self::ToReview | Self::Partial | Self::NotMet)
    }

    /// The statuses that count as gaps, as stored.
    pub fn gap_codes() -> [&'static str; 3] {
        ["to_review", "partial", "not_met"]
    }
}

/// Số yêu cầu theo mức đáp ứng, và tỷ lệ đáp ứng.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Tally {
    pub total: i64,
    pub met: i64,
    pub partial: i64,
    pub not_met: i64,
    pub not_applicable: i64,
    pub to_review: i64,
}

impl Tally {
    pub fn count(&mut self, status: ComplianceStatus) {
        self.total += 1;
        match status {
            ComplianceStatus::Met => self.met += 1,
            ComplianceStatus::Partial => self.partial += 1,
            ComplianceStatus::NotMet => self.not_met += 1,
            ComplianceStatus::NotApplicable => self.not_applicable += 1,
            ComplianceStatus::ToReview => self.to_review += 1,
        }
    }

    pub fn add(&mut self, other: &Tally) {
        self.total += other.total;
        self.met += other.met;
        self.partial += other.partial;
        self.not_met += other.not_met;
        self.not_applicable += other.not_applicable;
        self.to_review += other.to_review;
    }

    /// Compliance in per cent, one decimal: (met + ½ partial) / (total − not applicable).
    /// A requirement not yet assessed counts as not met; `None` when nothing applies.
    pub fn percent(&self) -> Option<f64> {
        let applicable = self.total - self.not_applicable;
        if applicable <= 0 {
            return None;
        }
        let score = (self.met as f64 + self.partial as f64 / 2.0) / applicable as f64;
        Some((score * 1000.0).round() / 10.0)
    }

    pub fn gaps(&self) -> i64 {
        self.partial + self.not_met + self.to_review
    }
}

/// How the percentage is computed, for the pages and the report.
pub const PERCENT_RULE: &str = "Tỷ lệ đáp ứng = (số yêu cầu Đáp ứng + ½ số yêu cầu Đáp ứng một phần) / (tổng số yêu cầu − số yêu cầu Không áp dụng); yêu cầu chưa đánh giá được tính là chưa đáp ứng.";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_counts_half_for_partial_and_ignores_not_applicable() {
        let mut t = Tally::default();
        for s in [
            ComplianceStatus::Met,
            ComplianceStatus::Met,
            ComplianceStatus::Partial,
            ComplianceStatus::NotMet,
            ComplianceStatus::NotApplicable,
            ComplianceStatus::ToReview,
        ] {
            t.count(s);
        }
        // (2 + 0.5) / 5 = 50 %.
        assert_eq!(t.percent(), Some(50.0));
        assert_eq!(t.gaps(), 3);
        let mut none = Tally::default();
        none.count(ComplianceStatus::NotApplicable);
        assert_eq!(none.percent(), None);
    }

    #[test]
    fn statuses_round_trip() {
        for s in ComplianceStatus::ALL {
            assert_eq!(ComplianceStatus::parse(s.as_str()), Some(s));
        }
        assert_eq!(ComplianceStatus::parse("done"), None);
    }
}
