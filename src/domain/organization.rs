//! Kinds of organisation and how they nest.

use serde::{Deserialize, Serialize};

/// The kind of an organisation in the tree (province → department → unit; district → commune).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum OrgKind {
    Province,
    Department,
    Unit,
    District,
    Commune,
    /// An outside operator or hosting company (e.g. a data-centre provider).
    External,
}

impl OrgKind {
    pub const ALL: [OrgKind; 6] = [
        OrgKind::Province,
        OrgKind::Department,
        OrgKind::Unit,
        OrgKind::District,
        OrgKind::Commune,
        OrgKind::External,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            OrgKind::Province => "province",
            OrgKind::Department => "department",
            OrgKind::Unit => "unit",
            OrgKind::District => "district",
            OrgKind::Commune => "commune",
            OrgKind::External => "external",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            OrgKind::Province => "Tỉnh/Thành phố",
            OrgKind::Department => "Sở, ban, ngành",
            OrgKind::Unit => "Đơn vị trực thuộc",
            OrgKind::District => "Huyện/Quận",
            OrgKind::Commune => "Xã/Phường",
            OrgKind::External => "Tổ chức bên ngoài",
        }
    }

    /// Whether an organisation of kind `child` may sit directly under one of this kind.
    pub fn may_contain(self, child: OrgKind) -> bool {
        use OrgKind::*;
        match self {
            Province => matches!(child, Department | District | Unit | External),
            Department => matches!(child, Unit | External),
            District => matches!(child, Commune | Unit | External),
            Commune | Unit => matches!(child, Unit | External),
            External => false,
        }
    }
}

/// A short code used in document numbers (`SCT`, `SCT-VP`): 2–20 upper-case ASCII letters,
/// digits or single hyphens, starting with a letter.
pub fn normalize_code(raw: &str) -> Option<String> {
    let code = raw.trim().to_uppercase();
    let ok_len = (2..=20).contains(&code.len());
    let starts_with_letter = code.chars().next().is_some_and(|c| c.is_ascii_uppercase());
    let ok_chars = code
        .chars()
        .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-');
    let ok_hyphens = !code.ends_with('-') && !code.contains("--");
    (ok_len && starts_with_letter && ok_chars && ok_hyphens).then_some(code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_normalised_or_rejected() {
        assert_eq!(normalize_code(" sct-vp ").as_deref(), Some("SCT-VP"));
        assert_eq!(normalize_code("S"), None);
        assert_eq!(normalize_code("SCT--VP"), None);
        assert_eq!(normalize_code("SCT/VP"), None);
        assert_eq!(normalize_code("1SCT"), None);
        assert_eq!(normalize_code("SỞ"), None);
    }

    #[test]
    fn external_organisations_contain_nothing() {
        for kind in OrgKind::ALL {
            assert!(!OrgKind::External.may_contain(kind));
        }
        assert!(OrgKind::Province.may_contain(OrgKind::Department));
        assert!(!OrgKind::Unit.may_contain(OrgKind::Province));
    }
}
