//! The warning form: what the user typed, kept as text so nothing is lost when the form comes
//! back with an error, and its reading into the service's `AlertInput`.

use chrono::NaiveDate;

use crate::domain::alert::{AffectedProduct, Severity, Tlp};
use crate::domain::Role;
use crate::error::FieldErrors;
use crate::services::alerts::{AlertInput, AlertView, Audience};

/// Every field of the form as typed (checkbox groups as lists).
#[derive(Clone, Debug, Default)]
pub struct AlertForm {
    pub csrf_token: String,
    /// Set on the edit form, so the no-JavaScript preview knows which page to show again.
    pub alert_id: String,
    pub organization_id: String,
    pub title: String,
    pub severity: String,
    pub source_authority: String,
    pub source_document: String,
    pub body: String,
    /// One CVE id a line.
    pub cve_ids: String,
    /// One product a line: `Tên | khoảng phiên bản`.
    pub affected_products: String,
    pub required_action: String,
    pub action_due_on: String,
    pub tlp: String,
    pub corrects_id: String,
    pub audience_orgs: Vec<String>,
    pub audience_roles: Vec<String>,
    pub audience_users: Vec<String>,
    /// "true" when the systems running an affected product are targeted.
    pub audience_systems: String,
    /// What was typed in the recipient search box (not part of the warning).
    pub user_q: String,
}

fn lines(text: &str) -> impl Iterator<Item = &str> {
    text.lines().map(str::trim).filter(|l| !l.is_empty())
}

fn fail(errors: &mut FieldErrors, field: &str, message: &str) {
    let list = errors.entry(field.to_string()).or_default();
    if !list.iter().any(|m| m == message) {
        list.push(message.to_string());
    }
}

impl AlertForm {
    /// Reads an `application/x-www-form-urlencoded` body; unknown fields are ignored.
    pub fn parse(body: &[u8]) -> Self {
        let mut f = Self::default();
        for (key, value) in url::form_urlencoded::parse(body) {
            let value = value.into_owned();
            let slot = match key.as_ref() {
                "audience_orgs" => {
                    f.audience_orgs.push(value);
                    continue;
                }
                "audience_roles" => {
                    f.audience_roles.push(value);
                    continue;
                }
                "audience_users" => {
                    f.audience_users.push(value);
                    continue;
                }
                "csrf_token" => &mut f.csrf_token,
                "user_q" => &mut f.user_q,

                "alert_id" => &mut f.alert_id,
                "organization_id" => &mut f.organization_id,
                "title" => &mut f.title,
                "severity" => &mut f.severity,
                "source_authority" => &mut f.source_authority,
                "source_document" => &mut f.source_document,
                "body" => &mut f.body,
                "cve_ids" => &mut f.cve_ids,
                "affected_products" => &mut f.affected_products,
                "required_action" => &mut f.required_action,
                "action_due_on" => &mut f.action_due_on,
                "tlp" => &mut f.tlp,
                "corrects_id" => &mut f.corrects_id,
                "audience_systems" => &mut f.audience_systems,
                _ => continue,
            };
            *slot = value;
        }
        f
    }

    /// An empty form of a new warning issued by `organization_id`.
    pub fn blank(organization_id: &str) -> Self {
        Self {
            organization_id: organization_id.to_string(),
            severity: Severity::High.as_str().to_string(),
            ..Self::default()
        }
    }

    /// The form of a stored warning (editing a draft).
    pub fn from_view(v: &AlertView) -> Self {
        Self {
            csrf_token: String::new(),
            alert_id: v.id.clone(),
            organization_id: v.organization_id.clone(),
            title: v.title.clone(),
            severity: v.severity.as_str().to_string(),
            source_authority: v.source_authority.clone(),
            source_document: v.source_document.clone().unwrap_or_default(),
            body: v.body.clone(),
            cve_ids: v.cve_ids.join("\n"),
            affected_products: v
                .affected_products
                .iter()
                .map(|p| match &p.versions {
                    Some(range) => format!("{} | {range}", p.name),
                    None => p.name.clone(),
                })
                .collect::<Vec<_>>()
                .join("\n"),
            required_action: v.required_action.clone(),
            action_due_on: v
                .action_due_on
                .map(|d| d.format("%d/%m/%Y").to_string())
                .unwrap_or_default(),
            tlp: v.tlp.map(|t| t.as_str().to_string()).unwrap_or_default(),
            corrects_id: v.corrects_id.clone().unwrap_or_default(),
            audience_orgs: v.audience.organization_ids.clone(),
            audience_roles: v
                .audience
                .roles
                .iter()
                .map(|r| r.as_str().to_string())
                .collect(),
            audience_users: v.audience.user_ids.clone(),
            audience_systems: v.audience.systems_with_affected_products.to_string(),
            user_q: String::new(),
        }
    }

    /// A correction of the sent warning `v`: its content copied, pointing back to it.
    pub fn correcting(v: &AlertView) -> Self {
        Self {
            alert_id: String::new(),
            title: format!("Đính chính: {}", v.title),
            corrects_id: v.id.clone(),
            ..Self::from_view(v)
        }
    }

    /// Whether a checkbox group holds `value`.
    pub fn has(&self, field: &str, value: &str) -> bool {
        let list = match field {
            "audience_orgs" => &self.audience_orgs,
            "audience_roles" => &self.audience_roles,
            "audience_users" => &self.audience_users,
            _ => return false,
        };
        list.iter().any(|v| v == value)
    }

    /// The affected products as typed; problems go to `errors`.
    pub fn products(&self, errors: &mut FieldErrors) -> Vec<AffectedProduct> {
        let mut out = Vec::new();
        for line in lines(&self.affected_products) {
            let mut parts = line.splitn(2, '|').map(str::trim);
            let name = parts.next().unwrap_or_default().to_string();
            let versions = parts.next().filter(|v| !v.is_empty()).map(str::to_string);
            if name.is_empty() {
                fail(
                    errors,
                    "affected_products",
                    "Mỗi dòng có dạng “Tên sản phẩm | khoảng phiên bản”, ví dụ “Apache HTTP Server | >=2.4.0, <2.4.58”",
                );
                continue;
            }
            out.push(AffectedProduct { name, versions });
        }
        out
    }

    /// The audience as typed; unknown roles go to `errors`.
    pub fn audience(&self, errors: &mut FieldErrors) -> Audience {
        let mut roles = Vec::new();
        for r in &self.audience_roles {
            match Role::parse(r) {
                Some(role) if !roles.contains(&role) => roles.push(role),
                Some(_) => {}
                None => fail(errors, "audience", "Vui lòng chọn vai trò trong danh sách"),
            }
        }
        let ids = |list: &[String]| {
            let mut out: Vec<String> = Vec::new();
            for id in list.iter().map(|s| s.trim()).filter(|s| !s.is_empty()) {
                if !out.iter().any(|o| o == id) {
                    out.push(id.to_string());
                }
            }
            out
        };
        Audience {
            organization_ids: ids(&self.audience_orgs),
            roles,
            user_ids: ids(&self.audience_users),
            systems_with_affected_products: self.audience_systems == "true",
        }
    }

    /// The service's input, and the problems found reading the text (dates, lists).
    pub fn to_input(&self) -> (AlertInput, FieldErrors) {
        let mut errors = FieldErrors::new();
        let severity = Severity::parse(self.severity.trim()).unwrap_or_else(|| {
            fail(
                &mut errors,
                "severity",
                "Vui lòng chọn mức độ trong danh sách",
            );
            Severity::Medium
        });
        let tlp = match self.tlp.trim() {
            "" => None,
            t => Tlp::parse(t).or_else(|| {
                fail(&mut errors, "tlp", "Vui lòng chọn nhãn TLP trong danh sách");
                None
            }),
        };
        let due = self.action_due_on.trim();
        let action_due_on = if due.is_empty() {
            None
        } else {
            let parsed = NaiveDate::parse_from_str(due, "%d/%m/%Y")
                .or_else(|_| NaiveDate::parse_from_str(due, "%Y-%m-%d"))
                .ok();
            if parsed.is_none() {
                fail(
                    &mut errors,
                    "action_due_on",
                    "Ngày không hợp lệ; nhập theo dạng ngày/tháng/năm, ví dụ 15/03/2021",
                );
            }
            parsed
        };
        let affected_products = self.products(&mut errors);
        let audience = self.audience(&mut errors);
        let input = AlertInput {
            organization_id: Some(self.organization_id.trim().to_string())
                .filter(|o| !o.is_empty()),
            title: self.title.clone(),
            severity,
            source_authority: self.source_authority.clone(),
            source_document: Some(self.source_document.clone()),
            body: self.body.clone(),
            cve_ids: lines(&self.cve_ids).map(str::to_string).collect(),
            affected_products,
            required_action: self.required_action.clone(),
            action_due_on,
            tlp,
            corrects_id: Some(self.corrects_id.trim().to_string()).filter(|c| !c.is_empty()),
            audience,
        };
        (input, errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_lines_dates_and_checkboxes() {
        let body = "title=C%E1%BA%A3nh+b%C3%A1o&severity=critical&action_due_on=15%2F03%2F2021\
&cve_ids=cve-2024-1234%0D%0A%0D%0ACVE-2024-5678&affected_products=Apache+HTTP+Server+%7C+%3E%3D2.4.0%2C+%3C2.4.58%0D%0ANginx\
&audience_roles=operator&audience_roles=operator&audience_orgs=o1&audience_systems=true";
        let form = AlertForm::parse(body.as_bytes());
        assert_eq!(form.title, "Cảnh báo");
        let (input, errors) = form.to_input();
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(input.severity, Severity::Critical);
        assert_eq!(input.action_due_on, NaiveDate::from_ymd_opt(2021, 3, 15));
        assert_eq!(input.cve_ids, ["cve-2024-1234", "CVE-2024-5678"]);
        assert_eq!(input.affected_products.len(), 2);
        assert_eq!(
            input.affected_products[0].versions.as_deref(),
            Some(">=2.4.0, <2.4.58")
        );
        assert_eq!(input.affected_products[1].versions, None);
        assert_eq!(input.audience.roles, [Role::Operator]);
        assert!(input.audience.systems_with_affected_products);
        assert!(form.has("audience_orgs", "o1"));
    }

    #[test]
    fn a_bad_date_and_a_nameless_product_are_named() {
        let form = AlertForm {
            severity: "high".into(),
            action_due_on: "31/02/2021".into(),
            affected_products: "| >=1.0".into(),
            ..AlertForm::default()
        };
        let (_, errors) = form.to_input();
        assert!(errors.contains_key("action_due_on"));
        assert!(errors.contains_key("affected_products"));
    }
}
