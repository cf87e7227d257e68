//! The checklist as the security-plan section of the level justification (thuyết minh phương
//! án bảo đảm an toàn): per part of the catalogue, each requirement with how it is met, and
//! what is still open. The DOCX writer lays these sections out; this is only their content.

use serde::Serialize;

use super::compliance_views::ChecklistView;
use crate::domain::compliance::ComplianceStatus;
use crate::rules::baseline::Part;

/// Một dòng của phương án: yêu cầu và cách đáp ứng.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct PlanLine {
    pub code: String,
    pub requirement: String,
    pub clause: Option<String>,
    /// Cách đáp ứng đã ghi, hoặc lời nhắc cần bổ sung.
    pub how: String,
    pub status_label: String,
    /// Văn bản minh chứng "số … ngày …".
    pub documents: Vec<String>,
}

/// Một phần của phương án (yêu cầu quản lý, vùng mạng, phương án thiết kế, cấu hình, yêu cầu chung).
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct PlanSection {
    pub part: Part,
    pub title: String,
    pub lines: Vec<PlanLine>,
    /// Yêu cầu chưa đáp ứng đầy đủ, để đưa vào kế hoạch khắc phục.
    pub open: usize,
}

/// The sections in catalogue order; requirements marked not applicable are left out of the
/// plan but their reason is kept as the line's text, since the appraiser asks for it.
pub fn security_plan(view: &ChecklistView) -> Vec<PlanSection> {
    let mut sections: Vec<PlanSection> = Vec::new();
    for group in &view.groups {
        for item in &group.items {
            let how = match (item.status, &item.how_met, &item.na_reason) {
                (ComplianceStatus::NotApplicable, _, Some(reason)) => {
                    format!("Không áp dụng: {reason}")
                }
                (_, Some(how), _) => how.clone(),
                _ => "(Cần bổ sung phương án đáp ứng)".to_string(),
            };
            let documents = item
                .evidence
                .iter()
                .filter_map(|e| {
                    let number = e.document_number.as_ref()?;
                    Some(match e.document_date {
                        Some(d) => format!("Văn bản số {number} ngày {}", d.format("%d/%m/%Y")),
                        None => format!("Văn bản số {number}"),
                    })
                })
                .collect();
            let line = PlanLine {
                code: item.code.clone(),
                requirement: match &item.detail {
                    Some(detail) => format!("{} — {detail}", item.text),
                    None => item.text.clone(),
                },
                clause: item.clause.clone(),
                how,
                status_label: item.status_label.clone(),
                documents,
            };
            let open = usize::from(item.status.is_gap());
            match sections.iter_mut().find(|s| s.part == item.part) {
                Some(s) => {
                    s.lines.push(line);
                    s.open += open;
                }
                None => sections.push(PlanSection {
                    part: item.part,
                    title: item.part.label().to_string(),
                    lines: vec![line],
                    open,
                }),
            }
        }
    }
    sections
}
