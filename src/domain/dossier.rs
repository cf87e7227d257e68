//! The level-proposal dossier's vocabulary and state machine: which status may follow which,
//! and why not, in Vietnamese. Pure: what the pack requires is passed in by the caller.

use serde::{Deserialize, Serialize};

macro_rules! terms {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $id:literal => $label:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $id),+ }
            }

            pub fn parse(s: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|v| v.as_str() == s)
            }

            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }
        }
    };
}

terms!(
    /// Trạng thái của hồ sơ đề xuất cấp độ.
    DossierStatus {
        Draft = "draft" => "Đang lập hồ sơ",
        Submitted = "submitted" => "Đã gửi",
        Received = "received" => "Đã được tiếp nhận",
        Returned = "returned" => "Được trả lại để hoàn thiện",
        UnderAppraisal = "under_appraisal" => "Đang thẩm định",
        Appraised = "appraised" => "Đã có ý kiến thẩm định",
        Approved = "approved" => "Đã phê duyệt",
    }
);

terms!(
    /// Xác định cấp độ lần đầu hay xác định lại.
    DossierKind {
        First = "first" => "Xác định cấp độ lần đầu",
        Redetermination = "redetermination" => "Xác định lại cấp độ",
    }
);

terms!(
    /// Kết luận của ý kiến thẩm định.
    AppraisalOpinion {
        Favourable = "favourable" => "Thống nhất với cấp độ đề xuất",
        FavourableWithConditions = "favourable_with_conditions" => "Thống nhất, có điều kiện",
        Unfavourable = "unfavourable" => "Chưa thống nhất",
    }
);

terms!(
    /// Tình trạng của một thành phần hồ sơ.
    ComponentStatus {
        Missing = "missing" => "Chưa có",
        InProgress = "in_progress" => "Đang chuẩn bị",
        Complete = "complete" => "Đã có",
    }
);

impl AppraisalOpinion {
    /// Whether the dossier may go on to approval.
    pub fn allows_approval(self) -> bool {
        !matches!(self, Self::Unfavourable)
    }
}

impl DossierStatus {
    /// The statuses in which the preparing unit may still change the proposal documents.
    pub fn open_for_completion(self) -> bool {
        matches!(self, Self::Draft | Self::Returned)
    }

    /// Where the dossier may go from here. `appraisal_in_pack`: the pack lists an appraisal
    /// component for the dossier's level (Decree 85 and 331: levels 3–5), so approval must
    /// follow an appraisal opinion; without one (levels 1–2, where the security unit
    /// appraises and approves at once) approval may follow receipt directly.
    pub fn next(self, appraisal_in_pack: bool) -> Vec<DossierStatus> {
        use DossierStatus::*;
        match self {
            Draft | Returned => vec![Submitted],
            Submitted => vec![Received],
            Received if appraisal_in_pack => vec![UnderAppraisal, Returned],
            Received => vec![UnderAppraisal, Approved, Returned],
            UnderAppraisal => vec![Appraised, Returned],
            Appraised => vec![Approved, Returned],
            Approved => vec![],
        }
    }

    /// Checks that `to` may follow `self`; the error says why not and what may follow.
    pub fn check_transition(
        self,
        to: DossierStatus,
        appraisal_in_pack: bool,
    ) -> Result<(), String> {
        let next = self.next(appraisal_in_pack);
        if next.contains(&to) {
            return Ok(());
        }
        if self == to {
            return Err(format!("Hồ sơ đã ở trạng thái “{}”", self.label()));
        }
        let why = match (self, to) {
            (DossierStatus::Approved, _) => {
                "hồ sơ đã được phê duyệt; để thay đổi cấp độ, hãy lập hồ sơ xác định lại cấp độ"
                    .to_string()
            }
            (DossierStatus::Received, DossierStatus::Approved) => {
                "cấp độ này cần có ý kiến thẩm định trước khi phê duyệt: hãy ghi nhận việc thẩm định và ý kiến thẩm định".to_string()
            }
            (DossierStatus::Draft | DossierStatus::Returned, _) => {
                "hồ sơ cần được gửi đi trước".to_string()
            }
            (DossierStatus::Submitted, _) => {
                "hồ sơ cần được cơ quan nhận ghi nhận tiếp nhận trước".to_string()
            }
            (DossierStatus::UnderAppraisal, DossierStatus::Approved) => {
                "hồ sơ đang thẩm định: cần ghi nhận ý kiến thẩm định trước khi phê duyệt"
                    .to_string()
            }
            _ => format!("không thể chuyển từ “{}”", self.label()),
        };
        let allowed = if next.is_empty() {
            "không còn bước nào tiếp theo".to_string()
        } else {
            let labels: Vec<String> = next.iter().map(|s| format!("“{}”", s.label())).collect();
            format!("bước tiếp theo có thể là {}", labels.join(", "))
        };
        Err(format!(
            "Không thể chuyển hồ sơ sang “{}”: {why}; {allowed}",
            to.label()
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::DossierStatus::{self, *};

    #[test]
    fn the_full_path_is_allowed_for_levels_with_appraisal() {
        let path = [
            Draft,
            Submitted,
            Received,
            UnderAppraisal,
            Appraised,
            Approved,
        ];
        for pair in path.windows(2) {
            assert!(pair[0].check_transition(pair[1], true).is_ok(), "{pair:?}");
        }
    }

    #[test]
    fn approval_follows_receipt_only_without_an_appraisal_component() {
        assert!(Received.check_transition(Approved, false).is_ok());
        let err = Received.check_transition(Approved, true).unwrap_err();
        assert!(err.contains("ý kiến thẩm định"), "{err}");
    }

    #[test]
    fn a_returned_dossier_is_submitted_again() {
        for from in [Received, UnderAppraisal, Appraised] {
            assert!(from.check_transition(Returned, true).is_ok());
        }
        assert!(Returned.check_transition(Submitted, true).is_ok());
        assert!(Submitted.check_transition(Returned, true).is_err());
    }

    #[test]
    fn invalid_moves_explain_what_may_follow() {
        let err = Draft.check_transition(Approved, false).unwrap_err();
        assert!(err.contains("cần được gửi đi trước"), "{err}");
        assert!(err.contains("“Đã gửi”"), "{err}");
        let err = Approved.check_transition(Draft, true).unwrap_err();
        assert!(err.contains("xác định lại"), "{err}");
        let err = Submitted.check_transition(Submitted, true).unwrap_err();
        assert!(err.contains("đã ở trạng thái"), "{err}");
    }

    #[test]
    fn every_status_round_trips() {
        for s in DossierStatus::ALL {
            assert_eq!(DossierStatus::parse(s.as_str()), Some(*s));
        }
    }
}
