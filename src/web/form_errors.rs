//! Field errors of a form, named as the service names them, with the error summary.

use crate::error::FieldErrors;

/// Field errors of the form, keyed as the service names them (`name`, `facts.function`).
#[derive(Clone, Debug, Default)]
pub struct FormErrors(pub FieldErrors);

/// One entry of the error summary at the top of the form.
pub struct ErrorLink {
    pub href: String,
    pub text: String,
}

impl FormErrors {
    pub fn has(&self, key: &str) -> bool {
        self.0.contains_key(key)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The messages of one field, joined into one sentence.
    pub fn text(&self, key: &str) -> String {
        self.0.get(key).map(|m| m.join(" ")).unwrap_or_default()
    }

    /// `aria-invalid` and `aria-describedby` for the control of `key` whose id is `f-{id}`;
    /// the hint is `h-{id}`, the error `e-{id}`. Built from fixed ids only (safe to emit raw).
    pub fn aria(&self, key: &str, id: &str, hint: bool) -> String {
        let mut described = Vec::new();
        if hint {
            described.push(format!("h-{id}"));
        }
        let invalid = self.has(key);
        if invalid {
            described.push(format!("e-{id}"));
        }
        let mut out = String::new();
        if invalid {
            out.push_str(" aria-invalid=\"true\"");
        }
        if !described.is_empty() {
            out.push_str(&format!(" aria-describedby=\"{}\"", described.join(" ")));
        }
        out
    }

    /// Links to every field in error, in the order of the form.
    pub fn summary(&self) -> Vec<ErrorLink> {
        let mut keys: Vec<&String> = self.0.keys().collect();
        keys.sort_by_key(|k| {
            FIELD_ORDER
                .iter()
                .position(|f| f == k)
                .unwrap_or(usize::MAX)
        });
        keys.into_iter()
            .map(|key| {
                let bare = key.strip_prefix("facts.").unwrap_or(key);
                let id = bare.replace(['.', '[', ']'], "-");
                ErrorLink {
                    href: format!("#f-{id}"),
                    text: format!("{}: {}", label(key), self.text(key)),
                }
            })
            .collect()
    }
}

/// Fields in the order of the form, for the error summary.
const FIELD_ORDER: &[&str] = &[
    "name",
    "organization_id",
    "description",
    "kind",
    "status",
    "go_live_on",
    "owner_name",
    "urls",
    "facts.function",
    "facts.information",
    "facts.state_secret_grade",
    "facts.defence_security_harm",
    "facts.online_services",
    "facts.online_filing",
    "facts.public_service_mode",
    "facts.public_service_level",
    "facts.conditional_business_service",
    "facts.personal_data_subjects",
    "facts.infrastructure_scope",
    "facts.ics_works_grade",
    "investment_before_law",
    "chosen_regime",
    "proposed_level",
    "proposal_justification",
    "operator_id",
    "appraiser_name",
    "hosting_kind",
    "hosting_provider",
    "data_in_vietnam",
    "component_ids",
    "contact_ids",
    "products",
];

pub use crate::domain::labels::field_label;

fn label(key: &str) -> &'static str {
    field_label(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_the_control_and_links_the_summary_in_form_order() {
        let mut fields = FieldErrors::new();
        fields.insert(
            "proposal_justification".into(),
            vec!["Cần giải trình".into()],
        );
        fields.insert("name".into(), vec!["Vui lòng nhập tên".into()]);
        fields.insert("facts.function".into(), vec!["Chọn chức năng".into()]);
        let errors = FormErrors(fields);
        assert_eq!(
            errors.aria("name", "name", true),
            " aria-invalid=\"true\" aria-describedby=\"h-name e-name\""
        );
        assert_eq!(
            errors.aria("kind", "kind", true),
            " aria-describedby=\"h-kind\""
        );
        assert_eq!(errors.aria("kind", "kind", false), "");
        let hrefs: Vec<_> = errors.summary().into_iter().map(|l| l.href).collect();
        assert_eq!(
            hrefs,
            ["#f-name", "#f-function", "#f-proposal_justification"]
        );
    }
}
