//! What the list and detail pages show of a system, in Vietnamese: dates, facts, history.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde_json::Value;

use super::form_errors::field_label;
use super::system_choices::{label_in, yes_no, CHOICES};
use crate::domain::SystemFacts;
use crate::rules::model::Term;
use crate::services::audit::AuditEntry;

/// dd/mm/yyyy.
pub fn date_vn(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

/// dd/mm/yyyy hh:mm in Asia/Ho_Chi_Minh (UTC+7, no daylight saving).
pub fn time_vn(at: DateTime<Utc>) -> String {
    (at + Duration::hours(7))
        .format("%d/%m/%Y %H:%M")
        .to_string()
}

pub fn term_label(terms: &[Term], id: &str) -> String {
    terms
        .iter()
        .find(|t| t.id == id)
        .map(|t| t.label.clone())
        .unwrap_or_else(|| id.to_string())
}

/// One answered fact on the detail page: question, answer, clause.
pub struct FactRow {
    pub label: &'static str,
    pub value: String,
    pub cite: &'static str,
}

fn code<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

fn count(n: i64) -> String {
    // Vietnamese groups thousands with a dot: 12.000.
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push('.');
        }
        out.push(ch);
    }
    if n < 0 {
        out.insert(0, '-');
    }
    out
}

/// Every fact that has an answer, in the order of the form.
pub fn fact_rows(f: &SystemFacts, tiers: &[Term], tags: &[Term]) -> Vec<FactRow> {
    let c = &CHOICES;
    let mut rows = Vec::new();
    let mut push = |label, value: String, cite| rows.push(FactRow { label, value, cite });
    if let Some(v) = f.function {
        push(
            field_label("function"),
            label_in(c.functions, v.as_str()),
            "Điều 6 khoản 2",
        );
    }
    if !f.information.is_empty() {
        let labels: Vec<String> = f
            .information
            .iter()
            .map(|i| label_in(c.information, i.as_str()))
            .collect();
        push(
            field_label("information"),
            labels.join(", "),
            "Điều 6 khoản 1",
        );
    }
    if let Some(v) = f.state_secret_grade {
        push(
            field_label("state_secret_grade"),
            label_in(c.secret_grades, &code(&v)),
            "Luật Bảo vệ bí mật nhà nước, Điều 8",
        );
    }
    if let Some(v) = f.defence_security_harm {
        push(
            field_label("defence_security_harm"),
            label_in(c.harms, &code(&v)),
            "Điều 9–11 khoản 1",
        );
    }
    let flags = [
        (
            "online_services",
            f.online_services,
            "Điều 8 khoản 2 điểm b",
        ),
        ("online_filing", f.online_filing, "Điều 9 khoản 2 điểm a"),
        (
            "conditional_business_service",
            f.conditional_business_service,
            "Điều 9 khoản 2 điểm b",
        ),
        (
            "handles_administrative_procedures",
            f.handles_administrative_procedures,
            "Thông tư 21/2023/TT-BTTTT, Điều 8 khoản 2",
        ),
    ];
    for (key, value, cite) in flags {
        if value.is_some() {
            push(field_label(key), yes_no(value).to_string(), cite);
        }
    }
    if let Some(v) = f.public_service_mode {
        push(
            field_label("public_service_mode"),
            label_in(c.service_modes, &code(&v)),
            "Nghị định 42/2022/NĐ-CP, Điều 11",
        );
    }
    if let Some(v) = f.public_service_level {
        push(
            field_label("public_service_level"),
            label_in(c.service_levels, &v.to_string()),
            "Điều 8, 9 khoản 2 điểm a",
        );
    }
    if let Some(v) = &f.conditional_business_item {
        push(
            field_label("conditional_business_item"),
            v.clone(),
            "Phụ lục IV Luật Đầu tư",
        );
    }
    if let Some(v) = f.personal_data_subjects {
        push(
            field_label("personal_data_subjects"),
            format!("{} người", count(v)),
            "Điều 8, 9 khoản 2 điểm c",
        );
    }
    if let Some(v) = f.sensitive_personal_data_subjects {
        push(
            field_label("sensitive_personal_data_subjects"),
            format!("{} người", count(v)),
            "Nghị định 331/2026/NĐ-CP, Điều 12, 13",
        );
    }
    if let Some(v) = f.infrastructure_scope {
        push(
            field_label("infrastructure_scope"),
            label_in(c.infrastructure_scopes, &code(&v)),
            "Điều 8–11 khoản 3",
        );
    }
    let flags = [
        (
            "continuous_operation",
            f.continuous_operation,
            "Điều 10 khoản 2, 3",
        ),
        (
            "national_egov_system",
            f.national_egov_system,
            "Điều 10 khoản 2",
        ),
        (
            "special_national_data",
            f.special_national_data,
            "Điều 11 khoản 2",
        ),
        (
            "national_security_important",
            f.national_security_important,
            "Nghị định 331/2026/NĐ-CP, Điều 16",
        ),
    ];
    for (key, value, cite) in flags {
        if value.is_some() {
            push(field_label(key), yes_no(value).to_string(), cite);
        }
    }
    if let Some(v) = f.ics_works_grade {
        push(
            field_label("ics_works_grade"),
            label_in(c.works_grades, &code(&v)),
            "Điều 9–11 khoản 4",
        );
    }
    if let Some(v) = f.prime_minister_level {
        push(
            field_label("prime_minister_level"),
            format!("Cấp độ {v}"),
            "Điều 11 khoản 5",
        );
    }
    if let Some(v) = f.risk_assessed_level {
        push(
            field_label("risk_assessed_level"),
            format!("Cấp độ {v}"),
            "Nghị định 331/2026/NĐ-CP, Điều 10 khoản 5",
        );
    }
    if let Some(v) = &f.tier {
        push(
            field_label("tier"),
            term_label(tiers, v),
            "Thông tư 21/2023/TT-BTTTT, Điều 8 khoản 2",
        );
    }
    if !f.tags.is_empty() {
        let labels: Vec<String> = f.tags.iter().map(|t| term_label(tags, t)).collect();
        push(field_label("tags"), labels.join("; "), "");
    }
    rows
}

/// One change of the system's history.
pub struct HistoryRow {
    pub at: String,
    pub actor: String,
    pub action: String,
    pub changes: Vec<String>,
}

fn action_label(action: &str) -> String {
    match action {
        "create" => "Đăng ký",
        "update" => "Cập nhật",
        "approve" => "Ghi nhận phê duyệt cấp độ",
        "reclassify" => "Xác định lại do hệ thống thành phần thay đổi",
        "delete" => "Xóa khỏi danh mục",
        other => other,
    }
    .to_string()
}

/// A short text of one stored value ("(trống)", "Có", a cut string).
fn short(v: Option<&Value>) -> Option<String> {
    Some(match v {
        None | Some(Value::Null) => "(trống)".to_string(),
        Some(Value::Bool(b)) => yes_no(Some(*b)).to_string(),
        Some(Value::Number(n)) => n.to_string(),
        Some(Value::String(s)) => {
            let cut: String = s.chars().take(60).collect();
            if cut.chars().count() < s.chars().count() {
                format!("“{cut}…”")
            } else {
                format!("“{cut}”")
            }
        }
        Some(Value::Array(a)) if a.is_empty() => "(trống)".to_string(),
        _ => return None,
    })
}

/// Fields of the stored view compared between two history entries, with their labels.
const HISTORY_FIELDS: &[(&str, &str)] = &[
    ("name", "Tên"),
    ("organization_id", "Đơn vị quản lý"),
    ("description", "Mô tả"),
    ("kind", "Loại hệ thống"),
    ("urls", "Địa chỉ"),
    ("hosting_kind", "Nơi đặt"),
    ("hosting_provider", "Nhà cung cấp"),
    ("data_in_vietnam", "Dữ liệu tại Việt Nam"),
    ("owner_name", "Chủ quản"),
    ("operator_id", "Đơn vị vận hành"),
    ("appraiser_name", "Đơn vị thẩm định"),
    ("status", "Trạng thái"),
    ("go_live_on", "Ngày vận hành"),
    ("contacts", "Người phụ trách"),
    ("products", "Phần mềm, sản phẩm"),
    ("component_ids", "Hệ thống thành phần"),
    ("computed_level", "Cấp độ theo tiêu chí"),
    ("proposed_level", "Cấp độ đề xuất"),
    ("proposal_justification", "Giải trình"),
    ("approved_level", "Cấp độ được phê duyệt"),
    ("approval_decision_number", "Số quyết định phê duyệt"),
    ("redetermination_required", "Cần xác định lại cấp độ"),
];

fn level_of(v: &Value) -> Option<&Value> {
    v.get("classification")
        .and_then(|c| c.get("level"))
        .or_else(|| v.get("computed_level"))
}

/// "Tên: “A” → “B”", one line per changed field; facts by their question.
pub fn history_changes(before: Option<&Value>, after: Option<&Value>) -> Vec<String> {
    let (Some(before), Some(after)) = (before, after) else {
        return match (before, after) {
            (None, Some(a)) => match level_of(a).and_then(Value::as_i64) {
                Some(l) => vec![format!("Cấp độ theo tiêu chí: {l}")],
                None => vec!["Chưa xác định được cấp độ theo tiêu chí".into()],
            },
            _ => Vec::new(),
        };
    };
    let mut out = Vec::new();
    for (key, label) in HISTORY_FIELDS {
        let (b, a) = if *key == "computed_level" {
            (level_of(before), level_of(after))
        } else {
            (before.get(*key), after.get(*key))
        };
        if b == a || (b.is_none_or(Value::is_null) && a.is_none_or(Value::is_null)) {
            continue;
        }
        out.push(match (short(b), short(a)) {
            (Some(b), Some(a)) => format!("{label}: {b} → {a}"),
            _ => format!("{label}: đã thay đổi"),
        });
    }
    let empty = serde_json::Map::new();
    let facts = |v: &Value| {
        v.get("facts")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_else(|| empty.clone())
    };
    let (fb, fa) = (facts(before), facts(after));
    let mut keys: Vec<&String> = fb.keys().chain(fa.keys()).collect();
    keys.sort();
    keys.dedup();
    for key in keys {
        let (b, a) = (fb.get(key), fa.get(key));
        if b != a {
            let label = field_label(key);
            out.push(match (short(b), short(a)) {
                (Some(b), Some(a)) => format!("Dữ kiện — {label}: {b} → {a}"),
                _ => format!("Dữ kiện — {label}: đã thay đổi"),
            });
        }
    }
    if let Some(reason) = after.get("reason").and_then(Value::as_str) {
        out.push(format!("Lý do: {reason}"));
    }
    out
}

pub fn history_rows(entries: &[AuditEntry]) -> Vec<HistoryRow> {
    entries
        .iter()
        .map(|e| HistoryRow {
            at: time_vn(e.at),
            actor: e.actor_label.clone(),
            action: action_label(&e.action),
            changes: history_changes(e.before.as_ref(), e.after.as_ref()),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn counts_group_thousands_with_dots() {
        assert_eq!(count(3200), "3.200");
        assert_eq!(count(1_000_000), "1.000.000");
        assert_eq!(count(999), "999");
    }

    #[test]
    fn history_names_changed_fields_and_facts() {
        let before =
            json!({"name": "A", "classification": {"level": 2}, "facts": {"online_filing": false}});
        let after =
            json!({"name": "B", "classification": {"level": 3}, "facts": {"online_filing": true}});
        let lines = history_changes(Some(&before), Some(&after));
        assert!(lines.contains(&"Tên: “A” → “B”".to_string()), "{lines:?}");
        assert!(
            lines.contains(&"Cấp độ theo tiêu chí: 2 → 3".to_string()),
            "{lines:?}"
        );
        assert!(
            lines
                .iter()
                .any(|l| l.contains("Nộp, xử lý hồ sơ trực tuyến: Không → Có")),
            "{lines:?}"
        );
    }

    #[test]
    fn times_are_shown_in_vietnam() {
        let at = DateTime::parse_from_rfc3339("2026-01-31T20:30:00Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(time_vn(at), "01/02/2026 03:30");
    }
}
