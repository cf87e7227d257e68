//! Reading the typed form into the service's `SystemInput` and `SystemFacts`; every answer
//! that cannot be read is reported under its field, the rest is kept.

use chrono::NaiveDate;
use serde::de::DeserializeOwned;

use super::system_form::SystemForm;
use crate::domain::system::{HostingKind, SystemStatus};
use crate::domain::SystemFacts;
use crate::error::FieldErrors;
use crate::services::systems::{Product, SystemInput};

impl SystemForm {
    /// The facts typed in the form; unreadable answers are reported under `facts.<field>`.
    pub fn facts(&self, errors: &mut FieldErrors) -> SystemFacts {
        let mut p = Parser {
            errors,
            prefix: "facts.",
        };
        let information = self
            .information
            .iter()
            .filter_map(|v| p.code("information", v))
            .collect();
        SystemFacts {
            function: p.code("function", &self.function),
            information,
            state_secret_grade: p.code("state_secret_grade", &self.state_secret_grade),
            defence_security_harm: p.code("defence_security_harm", &self.defence_security_harm),
            online_services: p.flag("online_services", &self.online_services),
            public_service_level: p.number("public_service_level", &self.public_service_level),
            public_service_mode: p.code("public_service_mode", &self.public_service_mode),
            online_filing: p.flag("online_filing", &self.online_filing),
            conditional_business_service: p.flag(
                "conditional_business_service",
                &self.conditional_business_service,
            ),
            conditional_business_item: text(&self.conditional_business_item),
            personal_data_subjects: p
                .number("personal_data_subjects", &self.personal_data_subjects),
            sensitive_personal_data_subjects: p.number(
                "sensitive_personal_data_subjects",
                &self.sensitive_personal_data_subjects,
            ),
            handles_administrative_procedures: p.flag(
                "handles_administrative_procedures",
                &self.handles_administrative_procedures,
            ),
            infrastructure_scope: p.code("infrastructure_scope", &self.infrastructure_scope),
            continuous_operation: p.flag("continuous_operation", &self.continuous_operation),
            national_egov_system: p.flag("national_egov_system", &self.national_egov_system),
            ics_works_grade: p.code("ics_works_grade", &self.ics_works_grade),
            special_national_data: p.flag("special_national_data", &self.special_national_data),
            prime_minister_level: p.number("prime_minister_level", &self.prime_minister_level),
            risk_assessed_level: p.number("risk_assessed_level", &self.risk_assessed_level),
            national_security_important: p.flag(
                "national_security_important",
                &self.national_security_important,
            ),
            kind: text(&self.kind),
            tier: text(&self.tier),
            tags: self
                .tags
                .iter()
                .filter(|t| !t.is_empty())
                .cloned()
                .collect(),
            components: Vec::new(),
        }
    }

    /// The proposal typed in the form (`None`: follow the computed level).
    pub fn proposal(&self, errors: &mut FieldErrors) -> Option<u8> {
        let mut p = Parser { errors, prefix: "" };
        p.number("proposed_level", &self.proposed_level)
            .and_then(|n| u8::try_from(n).ok())
    }

    /// The record as the service takes it, with every answer that could not be read.
    pub fn to_input(&self) -> (SystemInput, FieldErrors) {
        let mut errors = FieldErrors::new();
        let facts = self.facts(&mut errors);
        let proposed_level = self.proposal(&mut errors);
        let mut p = Parser {
            errors: &mut errors,
            prefix: "",
        };
        let hosting_kind = p.hosting(&self.hosting_kind);
        let data_in_vietnam = p.flag("data_in_vietnam", &self.data_in_vietnam);
        let status = match self.status.as_str() {
            "" => SystemStatus::InOperation,
            s => SystemStatus::parse(s).unwrap_or_else(|| {
                p.fail("status", "Vui lòng chọn trạng thái trong danh sách");
                SystemStatus::InOperation
            }),
        };
        let go_live_on = p.date("go_live_on", &self.go_live_on);
        let input = SystemInput {
            organization_id: self.organization_id.trim().to_string(),
            name: self.name.clone(),
            description: self.description.trim().to_string(),
            kind: text(&self.kind),
            urls: lines(&self.urls),
            hosting_kind,
            hosting_provider: text(&self.hosting_provider),
            data_in_vietnam,
            owner_name: self.owner_name.clone(),
            operator_id: text(&self.operator_id),
            appraiser_name: text(&self.appraiser_name),
            status,
            go_live_on,
            contact_ids: nonempty(&self.contact_ids),
            products: lines(&self.products)
                .iter()
                .map(|line| {
                    let mut parts = line.split('|').map(str::trim);
                    Product {
                        name: parts.next().unwrap_or_default().to_string(),
                        vendor: parts.next().and_then(text),
                        version: parts.next().and_then(text),
                    }
                })
                .collect(),
            facts,
            component_ids: nonempty(&self.component_ids),
            proposed_level,
            proposal_justification: text(&self.proposal_justification),
            investment_before_law: self.investment_before_law == "true",
            chosen_regime: text(&self.chosen_regime),
        };
        (input, errors)
    }
}

fn text(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_string())
}

fn lines(s: &str) -> Vec<String> {
    s.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

fn nonempty(values: &[String]) -> Vec<String> {
    values.iter().filter(|v| !v.is_empty()).cloned().collect()
}

/// Reads typed answers and records why one could not be read.
struct Parser<'e> {
    errors: &'e mut FieldErrors,
    prefix: &'static str,
}

impl Parser<'_> {
    fn fail(&mut self, field: &str, message: &str) {
        self.errors
            .entry(format!("{}{field}", self.prefix))
            .or_default()
            .push(message.to_string());
    }

    /// A value of a fixed list (radio, select); the list's codes are the serde names.
    fn code<T: DeserializeOwned>(&mut self, field: &str, raw: &str) -> Option<T> {
        let raw = raw.trim();
        if raw.is_empty() {
            return None;
        }
        let parsed = serde_json::from_value(serde_json::Value::String(raw.to_string())).ok();
        if parsed.is_none() {
            self.fail(field, "Vui lòng chọn một giá trị trong danh sách");
        }
        parsed
    }

    fn flag(&mut self, field: &str, raw: &str) -> Option<bool> {
        match raw.trim() {
            "" => None,
            "true" => Some(true),
            "false" => Some(false),
            _ => {
                self.fail(field, "Vui lòng chọn Có, Không hoặc Chưa rõ");
                None
            }
        }
    }

    /// A whole number; thousands separators ("12.000", "12 000") are accepted.
    fn number(&mut self, field: &str, raw: &str) -> Option<i64> {
        let digits: String = raw
            .chars()
            .filter(|c| !matches!(c, '.' | ',' | ' ' | '\u{a0}' | '\u{202f}'))
            .collect();
        if digits.is_empty() {
            return None;
        }
        let parsed = digits.parse().ok();
        if parsed.is_none() {
            self.fail(field, "Vui lòng nhập một số nguyên, ví dụ 12.000");
        }
        parsed
    }

    /// `yyyy-mm-dd` (date picker) or `dd/mm/yyyy` (typed by hand).
    fn date(&mut self, field: &str, raw: &str) -> Option<NaiveDate> {
        let raw = raw.trim();
        if raw.is_empty() {
            return None;
        }
        let parsed = NaiveDate::parse_from_str(raw, "%Y-%m-%d")
            .or_else(|_| NaiveDate::parse_from_str(raw, "%d/%m/%Y"))
            .ok();
        if parsed.is_none() {
            self.fail(
                field,
                "Ngày không hợp lệ; nhập theo dạng ngày/tháng/năm, ví dụ 01/07/2024",
            );
        }
        parsed
    }

    fn hosting(&mut self, raw: &str) -> Option<HostingKind> {
        match raw.trim() {
            "" => None,
            s => HostingKind::parse(s).or_else(|| {
                self.fail(
                    "hosting_kind",
                    "Vui lòng chọn nơi đặt hệ thống trong danh sách",
                );
                None
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::facts::{Function, InformationType};

    fn form(body: &str) -> SystemForm {
        SystemForm::parse(body.as_bytes())
    }

    #[test]
    fn reads_repeated_fields_and_vietnamese_numbers_and_dates() {
        let f = form(
            "name=H%E1%BB%87+th%E1%BB%91ng&function=citizen_business&information=public\
             &information=personal&online_filing=true&personal_data_subjects=12.000\
             &go_live_on=01%2F07%2F2024&products=Apache+Tomcat+%7C+Apache+%7C+9.0&urls=a.gov.vn%0Ab.gov.vn",
        );
        let (input, errors) = f.to_input();
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(input.name, "Hệ thống");
        assert_eq!(input.facts.function, Some(Function::CitizenBusiness));
        assert_eq!(
            input.facts.information,
            vec![InformationType::Public, InformationType::Personal]
        );
        assert_eq!(input.facts.online_filing, Some(true));
        assert_eq!(input.facts.personal_data_subjects, Some(12_000));
        assert_eq!(input.go_live_on, NaiveDate::from_ymd_opt(2024, 7, 1));
        assert_eq!(input.urls, vec!["a.gov.vn", "b.gov.vn"]);
        assert_eq!(input.products[0].vendor.as_deref(), Some("Apache"));
        assert_eq!(input.products[0].version.as_deref(), Some("9.0"));
        assert_eq!(input.proposed_level, None);
    }

    #[test]
    fn unreadable_answers_are_named_by_their_field() {
        let f = form("personal_data_subjects=nhieu&go_live_on=31%2F02%2F2024&function=bogus&data_in_vietnam=maybe");
        let (_, errors) = f.to_input();
        for key in [
            "facts.personal_data_subjects",
            "go_live_on",
            "facts.function",
            "data_in_vietnam",
        ] {
            assert!(errors.contains_key(key), "{key}: {errors:?}");
        }
    }

    #[test]
    fn what_was_typed_is_kept_as_typed() {
        let f = form("name=++X++&personal_data_subjects=nhieu&tags=a&tags=b");
        assert_eq!(f.name, "  X  ");
        assert_eq!(f.personal_data_subjects, "nhieu");
        assert!(f.has("tags", "b") && !f.has("tags", "c"));
    }
}
