//! The system register form: what the user typed, kept as text so that nothing is lost when
//! the form comes back with an error (reading it into `SystemInput` is in `system_input`).

use crate::domain::system::SystemStatus;
use crate::services::systems::SystemView;

/// Every field of the form as typed (multi-valued fields as lists).
#[derive(Clone, Debug, Default)]
pub struct SystemForm {
    pub csrf_token: String,
    /// Set on the edit form, so the no-JavaScript preview knows which page to show again.
    pub system_id: String,
    pub organization_id: String,
    pub name: String,
    pub description: String,
    pub kind: String,
    pub urls: String,
    pub hosting_kind: String,
    pub hosting_provider: String,
    pub data_in_vietnam: String,
    pub owner_name: String,
    pub operator_id: String,
    pub appraiser_name: String,
    pub status: String,
    pub go_live_on: String,
    pub proposed_level: String,
    pub proposal_justification: String,
    /// "true" for a project under investment before the new law (NĐ331 Đ39 k1).
    pub investment_before_law: String,
    pub chosen_regime: String,
    pub products: String,
    pub contact_ids: Vec<String>,
    pub component_ids: Vec<String>,
    // Classification facts (contract §1).
    pub function: String,
    pub information: Vec<String>,
    pub state_secret_grade: String,
    pub defence_security_harm: String,
    pub online_services: String,
    pub public_service_level: String,
    pub public_service_mode: String,
    pub online_filing: String,
    pub conditional_business_service: String,
    pub conditional_business_item: String,
    pub personal_data_subjects: String,
    pub sensitive_personal_data_subjects: String,
    pub handles_administrative_procedures: String,
    pub infrastructure_scope: String,
    pub continuous_operation: String,
    pub national_egov_system: String,
    pub ics_works_grade: String,
    pub special_national_data: String,
    pub prime_minister_level: String,
    pub risk_assessed_level: String,
    pub national_security_important: String,
    pub tier: String,
    pub tags: Vec<String>,
}

fn opt_bool(v: Option<bool>) -> String {
    v.map(|b| b.to_string()).unwrap_or_default()
}

fn opt_num(v: Option<impl ToString>) -> String {
    v.map(|n| n.to_string()).unwrap_or_default()
}

fn opt_code<T: serde::Serialize>(v: Option<T>) -> String {
    v.and_then(|v| serde_json::to_value(v).ok())
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// The single-valued fields by name (the form's `name` attributes are the field names).
macro_rules! text_fields {
    ($($field:ident),+ $(,)?) => {
        impl SystemForm {
            fn text_mut(&mut self, key: &str) -> Option<&mut String> {
                match key {
                    $(stringify!($field) => Some(&mut self.$field),)+
                    _ => None,
                }
            }
        }
    };
}

text_fields!(
    csrf_token,
    system_id,
    organization_id,
    name,
    description,
    kind,
    urls,
    hosting_kind,
    hosting_provider,
    data_in_vietnam,
    owner_name,
    operator_id,
    appraiser_name,
    status,
    go_live_on,
    proposed_level,
    proposal_justification,
    investment_before_law,
    chosen_regime,
    products,
    function,
    state_secret_grade,
    defence_security_harm,
    online_services,
    public_service_level,
    public_service_mode,
    online_filing,
    conditional_business_service,
    conditional_business_item,
    personal_data_subjects,
    sensitive_personal_data_subjects,
    handles_administrative_procedures,
    infrastructure_scope,
    continuous_operation,
    national_egov_system,
    ics_works_grade,
    special_national_data,
    prime_minister_level,
    risk_assessed_level,
    national_security_important,
    tier,
);

impl SystemForm {
    /// Reads an `application/x-www-form-urlencoded` body; unknown fields are ignored.
    pub fn parse(body: &[u8]) -> Self {
        let mut f = Self::default();
        for (key, value) in url::form_urlencoded::parse(body) {
            let value = value.into_owned();
            if let Some(list) = f.list_mut(&key) {
                list.push(value);
            } else if let Some(slot) = f.text_mut(&key) {
                *slot = value;
            }
        }
        f
    }

    /// An empty form for a new system of `organization_id`.
    pub fn blank(organization_id: &str) -> Self {
        Self {
            organization_id: organization_id.to_string(),
            status: SystemStatus::InOperation.as_str().to_string(),
            ..Self::default()
        }
    }

    /// The form of a stored system (the edit page).
    pub fn from_view(v: &SystemView) -> Self {
        let x = &v.facts;
        // Only a proposal that differs from the computed level, or carries a justification,
        // was chosen by someone; otherwise the proposal follows the criteria.
        let explicit = v
            .proposed_level
            .filter(|p| Some(*p) != v.classification.level || v.proposal_justification.is_some());
        Self {
            csrf_token: String::new(),
            system_id: v.id.clone(),
            organization_id: v.organization_id.clone(),
            name: v.name.clone(),
            description: v.description.clone(),
            kind: v.kind.clone().unwrap_or_default(),
            urls: v.urls.join("\n"),
            hosting_kind: v
                .hosting_kind
                .map(|h| h.as_str().into())
                .unwrap_or_default(),
            hosting_provider: v.hosting_provider.clone().unwrap_or_default(),
            data_in_vietnam: opt_bool(v.data_in_vietnam),
            owner_name: v.owner_name.clone(),
            operator_id: v.operator_id.clone().unwrap_or_default(),
            appraiser_name: v.appraiser_name.clone().unwrap_or_default(),
            status: v.status.as_str().to_string(),
            go_live_on: v
                .go_live_on
                .map(|d| d.format("%d/%m/%Y").to_string())
                .unwrap_or_default(),
            proposed_level: opt_num(explicit),
            proposal_justification: v.proposal_justification.clone().unwrap_or_default(),
            investment_before_law: v.transition.investment_before_law.to_string(),
            chosen_regime: v.transition.chosen_regime.clone().unwrap_or_default(),
            products: v
                .products
                .iter()
                .map(|p| {
                    let mut line = p.name.clone();
                    if p.vendor.is_some() || p.version.is_some() {
                        line.push_str(&format!(" | {}", p.vendor.as_deref().unwrap_or("")));
                    }
                    if let Some(version) = &p.version {
                        line.push_str(&format!(" | {version}"));
                    }
                    line
                })
                .collect::<Vec<_>>()
                .join("\n"),
            contact_ids: v.contacts.iter().map(|c| c.id.clone()).collect(),
            component_ids: v.component_ids.clone(),
            function: opt_code(x.function),
            information: x.information.iter().map(|i| i.as_str().into()).collect(),
            state_secret_grade: opt_code(x.state_secret_grade),
            defence_security_harm: opt_code(x.defence_security_harm),
            online_services: opt_bool(x.online_services),
            public_service_level: opt_num(x.public_service_level),
            public_service_mode: opt_code(x.public_service_mode),
            online_filing: opt_bool(x.online_filing),
            conditional_business_service: opt_bool(x.conditional_business_service),
            conditional_business_item: x.conditional_business_item.clone().unwrap_or_default(),
            personal_data_subjects: opt_num(x.personal_data_subjects),
            sensitive_personal_data_subjects: opt_num(x.sensitive_personal_data_subjects),
            handles_administrative_procedures: opt_bool(x.handles_administrative_procedures),
            infrastructure_scope: opt_code(x.infrastructure_scope),
            continuous_operation: opt_bool(x.continuous_operation),
            national_egov_system: opt_bool(x.national_egov_system),
            ics_works_grade: opt_code(x.ics_works_grade),
            special_national_data: opt_bool(x.special_national_data),
            prime_minister_level: opt_num(x.prime_minister_level),
            risk_assessed_level: opt_num(x.risk_assessed_level),
            national_security_important: opt_bool(x.national_security_important),
            tier: x.tier.clone().unwrap_or_default(),
            tags: x.tags.clone(),
        }
    }

    /// The multi-valued fields (checkboxes) by name.
    fn list_mut(&mut self, key: &str) -> Option<&mut Vec<String>> {
        Some(match key {
            "information" => &mut self.information,
            "tags" => &mut self.tags,
            "contact_ids" => &mut self.contact_ids,
            "component_ids" => &mut self.component_ids,
            _ => return None,
        })
    }

    /// Whether a multi-valued field holds `value` (checkboxes).
    pub fn has(&self, field: &str, value: &str) -> bool {
        let list = match field {
            "information" => &self.information,
            "tags" => &self.tags,
            "contact_ids" => &self.contact_ids,
            "component_ids" => &self.component_ids,
            _ => return false,
        };
        list.iter().any(|v| v == value)
    }
}
