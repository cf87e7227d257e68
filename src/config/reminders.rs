//! The `reminders` section: lead times of deadline reminders (`reminders.lead_days`, `CAPDO_REMINDER_LEAD_DAYS`).

use serde::Deserialize;

use super::ConfigError;

/// When deadline reminders go out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReminderConfig {
    /// Calendar days before the due date, distinct, largest first (default 7 and 1).
    pub lead_days: Vec<u32>,
}

impl Default for ReminderConfig {
    fn default() -> Self {
        Self {
            lead_days: vec![7, 1],
        }
    }
}

#[derive(Deserialize, Default, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawReminders {
    pub(super) lead_days: Option<LeadDays>,
}

/// A list in TOML (`[7, 1]`) or text from the environment (`"7,1"`).
#[derive(Deserialize, serde::Serialize, Clone, Debug)]
#[serde(untagged)]
pub(super) enum LeadDays {
    List(Vec<i64>),
    Text(String),
}

impl LeadDays {
    const KEY: &'static str = "reminders.lead_days";

    /// Distinct whole days within 1..=90, largest first.
    pub(super) fn parse(value: Option<&LeadDays>) -> Result<Vec<u32>, ConfigError> {
        let bad = |shown: &str| {
            ConfigError::new(
                Self::KEY,
                format!(
                    "`{shown}` không hợp lệ; phải là danh sách số ngày khác nhau, mỗi số từ 1 đến 90 (ví dụ \"7,1\")"
                ),
            )
        };
        let days: Vec<i64> = match value {
            None => return Ok(ReminderConfig::default().lead_days),
            Some(LeadDays::List(list)) => list.clone(),
            Some(LeadDays::Text(t)) => t
                .split(',')
                .map(|p| p.trim().parse::<i64>().map_err(|_| bad(t)))
                .collect::<Result<_, _>>()?,
        };
        let shown = days
            .iter()
            .map(i64::to_string)
            .collect::<Vec<_>>()
            .join(",");
        let mut out: Vec<u32> = Vec::with_capacity(days.len());
        for d in &days {
            match u32::try_from(*d) {
                Ok(n) if (1..=90).contains(&n) && !out.contains(&n) => out.push(n),
                _ => return Err(bad(&shown)),
            }
        }
        if out.is_empty() {
            return Err(bad(&shown));
        }
        out.sort_unstable_by(|a, b| b.cmp(a));
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use figment::providers::{Format, Serialized, Toml};
    use figment::Figment;

    use crate::config::{Config, ConfigError, RawConfig};

    fn from(pairs: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let mut f = Figment::from(Serialized::defaults(RawConfig::default()));
        for (k, v) in pairs {
            f = f.merge(Serialized::default(k, v.to_string()));
        }
        Config::from_figment(f)
    }

    #[test]
    fn reminder_lead_days_parse_and_validate() {
        assert_eq!(from(&[]).unwrap().reminders.lead_days, [7, 1]);
        let c = from(&[("reminders.lead_days", "1, 14,3")]).unwrap();
        assert_eq!(c.reminders.lead_days, [14, 3, 1]);
        let f = Figment::from(Serialized::defaults(RawConfig::default()))
            .merge(Toml::string("[reminders]\nlead_days = [30, 7]"));
        assert_eq!(
            Config::from_figment(f).unwrap().reminders.lead_days,
            [30, 7]
        );
        for bad in ["7,7", "0", "91", "", "7;1", "-1"] {
            let e = from(&[("reminders.lead_days", bad)]).unwrap_err();
            assert_eq!(e.key, "reminders.lead_days", "{bad}");
            assert!(e.to_string().contains("từ 1 đến 90"), "{e}");
        }
    }
}
