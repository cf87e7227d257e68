//! Vocabulary of security warnings (cảnh báo): severity, TLP label, the recipient's answer,
//! and the version ranges that target systems by the software they run.

use std::cmp::Ordering;

use serde::{Deserialize, Serialize};

macro_rules! vocabulary {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $id:literal => $label:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
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

vocabulary!(
    /// Mức độ của cảnh báo.
    Severity {
        Low = "low" => "Thấp",
        Medium = "medium" => "Trung bình",
        High = "high" => "Cao",
        Critical = "critical" => "Nghiêm trọng",
    }
);

vocabulary!(
    /// Traffic Light Protocol label of a warning (FIRST TLP 2.0).
    Tlp {
        Clear = "clear" => "TLP:CLEAR",
        Green = "green" => "TLP:GREEN",
        Amber = "amber" => "TLP:AMBER",
        AmberStrict = "amber_strict" => "TLP:AMBER+STRICT",
        Red = "red" => "TLP:RED",
    }
);

vocabulary!(
    /// What a recipient answers on the acknowledgement page.
    AckAnswer {
        Received = "received" => "Đã nhận",
        Fixed = "fixed" => "Đã khắc phục",
        NotAffected = "not_affected" => "Không ảnh hưởng",
    }
);

/// A product a warning concerns, with an optional version range such as `>=2.4.0, <2.4.58`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AffectedProduct {
    pub name: String,
    #[serde(default)]
    pub versions: Option<String>,
}

/// Compares dotted versions numerically where both parts are numbers ("2.10" > "2.9"),
/// textually otherwise; a missing part counts as 0.
pub fn compare_versions(a: &str, b: &str) -> Ordering {
    let parts = |v: &str| -> Vec<String> {
        v.trim()
            .trim_start_matches(['v', 'V'])
            .split(['.', '-', '_'])
            .map(str::to_string)
            .collect()
    };
    let (a, b) = (parts(a), parts(b));
    for i in 0..a.len().max(b.len()) {
        let x = a.get(i).map(String::as_str).unwrap_or("0");
        let y = b.get(i).map(String::as_str).unwrap_or("0");
        let order = match (x.parse::<u64>(), y.parse::<u64>()) {
            (Ok(x), Ok(y)) => x.cmp(&y),
            _ => x.cmp(y),
        };
        if order != Ordering::Equal {
            return order;
        }
    }
    Ordering::Equal
}

/// One bound of a range.
fn bound_holds(version: &str, bound: &str) -> Option<bool> {
    let bound = bound.trim();
    let (op, v) = ["<=", ">=", "==", "<", ">", "="]
        .iter()
        .find_map(|op| bound.strip_prefix(op).map(|rest| (*op, rest.trim())))
        .unwrap_or(("=", bound));
    if v.is_empty() {
        return None;
    }
    let order = compare_versions(version, v);
    Some(match op {
        "<" => order == Ordering::Less,
        "<=" => order != Ordering::Greater,
        ">" => order == Ordering::Greater,
        ">=" => order != Ordering::Less,
        _ => order == Ordering::Equal,
    })
}

/// Checks a range such as `>=2.4.0, <2.4.58` (comma-separated bounds, all must hold).
/// `None` when the range cannot be read.
pub fn version_in_range(version: &str, range: &str) -> Option<bool> {
    let mut all = true;
    for bound in range.split(',').filter(|b| !b.trim().is_empty()) {
        all &= bound_holds(version, bound)?;
    }
    Some(all)
}

/// Whether a range can be read (for validating a warning before it is saved).
pub fn valid_range(range: &str) -> bool {
    version_in_range("0", range).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_compare_numerically() {
        assert_eq!(compare_versions("2.10", "2.9"), Ordering::Greater);
        assert_eq!(compare_versions("v2.4", "2.4.0"), Ordering::Equal);
        assert_eq!(compare_versions("7.4.1", "7.4.10"), Ordering::Less);
    }

    #[test]
    fn ranges_hold_on_every_bound() {
        assert_eq!(version_in_range("2.4.57", ">=2.4.0, <2.4.58"), Some(true));
        assert_eq!(version_in_range("2.4.58", ">=2.4.0, <2.4.58"), Some(false));
        assert_eq!(version_in_range("1.9", ">=2.4.0"), Some(false));
        assert_eq!(version_in_range("9.0.1", "9.0.1"), Some(true));
        assert_eq!(version_in_range("9.0.1", ">="), None);
        assert!(!valid_range("<"));
    }

    #[test]
    fn labels_are_vietnamese() {
        assert_eq!(Severity::Critical.label(), "Nghiêm trọng");
        assert_eq!(
            AckAnswer::parse("not_affected"),
            Some(AckAnswer::NotAffected)
        );
    }
}
